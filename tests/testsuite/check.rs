//! Tests of orepress's check: the example is clean, and every invalid
//! fixture under tests/fixtures/invalid/ gives its one precise problem.

use std::fs;
use std::path::Path;

use crate::testsuite::common::*;

#[test]
fn example_checks_clean() {
    let dir = example();
    let out = orepress(dir.path(), &["check"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("No problems found"),
        "{}",
        stdout(&out)
    );
    assert!(!dir.path().join("output").exists(), "check writes nothing");
}

#[test]
fn minimal_fixture_checks_and_builds_clean() {
    // Every invalid fixture is this project with one thing broken (an
    // overlay on it), so it must itself be free of problems and warnings.
    let dir = fixture(BASE);
    let out = orepress(dir.path(), &["check"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out).trim(), "No problems found.");
    assert_eq!(stderr(&out), "", "no warnings either");
    let out = orepress(dir.path(), &["build", "--quiet"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(dir.path().join("output/site/index.html").is_file());
    assert!(dir.path().join("output/memos/alpha.pdf").is_file());
}

/// One invalid fixture: where its problem is, as the CLI prints it
/// (`path:line:col`, or `path` for a problem with a whole file), the gist
/// of the message and, where one helps, of the hint.
struct Case {
    name: &'static str,
    at: &'static str,
    gist: &'static str,
    hint: Option<&'static str>,
}

const fn case(name: &'static str, at: &'static str, gist: &'static str) -> Case {
    Case {
        name,
        at,
        gist,
        hint: None,
    }
}

const fn hinted(
    name: &'static str,
    at: &'static str,
    gist: &'static str,
    hint: &'static str,
) -> Case {
    Case {
        name,
        at,
        gist,
        hint: Some(hint),
    }
}

#[rustfmt::skip]
const CASES: &[Case] = &[
    // Files and folders
    hinted("missing-content-folder", "content", "no `content/` folder", "orepress new"),
    hinted("missing-site-yaml", "content/site.yaml", "missing site settings", "base_url"),
    hinted("non-utf8-brief", "content/briefs/alpha.md:11:4", "not valid UTF-8", "UTF-8 encoding"),
    hinted("non-utf8-contact", "content/contacts/ana.yaml:3:19", "not valid UTF-8", "UTF-8 encoding"),
    hinted("site-not-utf8", "content/site.yaml:1:27", "not valid UTF-8", "UTF-8 encoding"),
    // Malformed YAML
    case("site-malformed-yaml", "content/site.yaml:1:23", "mapping values are not allowed"),
    hinted("site-tab-indentation", "content/site.yaml:7:1", "cannot start any token", "indent with spaces"),
    case("site-empty", "content/site.yaml:1:1", "missing field `title`"),
    hinted("deal-malformed-yaml", "content/deals/ussm-fwo-mou.yaml:7:6", "did not find expected ',' or ']'", "flow sequence that starts at line 6, column 11"),
    case("deal-truncated", "content/deals/ussm-fwo-mou.yaml:5:33", "did not find expected node content"),
    case("contact-malformed-yaml", "content/contacts/ana.yaml:2:15", "mapping values are not allowed"),
    hinted("front-matter-malformed-yaml", "content/briefs/alpha.md:7:12", "did not find expected ',' or ']'", "flow sequence that starts at line 7, column 7"),
    // Front matter fences
    hinted("front-matter-missing", "content/briefs/alpha.md:1:1", "missing front matter", "`---`"),
    hinted("front-matter-unterminated", "content/briefs/alpha.md:1:1", "front matter is not closed", "`---`"),
    case("front-matter-empty", "content/briefs/alpha.md:1:1", "front matter is empty"),
    // Wrong types
    case("brief-title-is-a-list", "content/briefs/alpha.md:2:8", "invalid type: list, expected a string"),
    case("contact-name-is-a-map", "content/contacts/ana.yaml:1:7", "invalid type: mapping, expected a string"),
    case("deal-amount-not-a-number", "content/deals/ussm-fwo-mou.yaml:7:18", "invalid type: string \"lots\", expected a number"),
    case("brief-tags-not-a-list", "content/briefs/alpha.md:7:7", "tags: invalid type: string \"test\", expected a list"),
    case("brief-confidential-not-a-bool", "content/briefs/alpha.md:8:15", "confidential: invalid type: string \"maybe\", expected a boolean"),
    case("deal-not-a-mapping", "content/deals/ussm-fwo-mou.yaml:1:1", "invalid type: list, expected `key: value` lines"),
    // Unknown keys
    hinted("site-unknown-key", "content/site.yaml:3:1", "unknown field `langauge`", "did you mean `language`?"),
    hinted("deal-unknown-key", "content/deals/ussm-fwo-mou.yaml:7:10", "unknown field `amonut`", "did you mean `amount`?"),
    hinted("contact-unknown-key", "content/contacts/ana.yaml:7:1", "unknown field `emial`", "did you mean `email`?"),
    hinted("front-matter-unknown-key", "content/briefs/alpha.md:5:1", "unknown field `autor`", "did you mean `author`?"),
    hinted("page-unknown-key", "content/pages/about.md:3:1", "unknown field `descripton`", "did you mean `description`?"),
    case("deal-unknown-status", "content/deals/ussm-fwo-mou.yaml:2:9", "unknown variant `signed`, expected one of `rumoured`"),
    // Missing required fields
    hinted("brief-missing-title", "content/briefs/alpha.md:2:1", "missing field `title`", "add a line `title: …`"),
    case("brief-title-null", "content/briefs/alpha.md:2:1", "the title is empty"),
    case("brief-title-invisible", "content/briefs/alpha.md:2:1", "the title is empty"),
    case("deal-title-empty", "content/deals/ussm-fwo-mou.yaml:1:1", "the deal's title is empty"),
    case("deal-party-name-null", "content/deals/ussm-fwo-mou.yaml:5:7", "a party's name is empty"),
    case("deal-source-title-null", "content/deals/ussm-fwo-mou.yaml:10:5", "a source's title is empty"),
    case("page-title-null", "content/pages/about.md:2:1", "the page's title is empty"),
    case("data-source-empty", "content/data/prices.yaml:2:1", "the table's source is empty"),
    case("data-figure-label-null", "content/data/prices.yaml:13:19", "a key figure's label is empty"),
    case("deal-translated-title-empty", "content/deals/ussm-fwo-mou.yaml:15:5", "the `ur` translation of the deal's title is empty"),
    case("page-translated-title-invisible", "content/pages/about.md:5:9", "the `ur` translation of the page's title is empty"),
    case("data-translated-figure-label-empty", "content/data/prices.yaml:17:5", "the `ur` translation of a key figure's label is empty"),
    case("contact-translated-name-blank", "content/contacts/ana.yaml:11:9", "the `ur` translation of the contact's name is empty"),
    case("contact-translated-title-blank", "content/contacts/ana.yaml:13:5", "the `ur` translation of the contact's title is empty"),
    case("contact-translated-phone-label-empty", "content/contacts/ana.yaml:12:5", "the `ur` translation of a phone's label is empty"),
    case("contact-phone-label-empty", "content/contacts/ana.yaml:6:31", "a phone's label is empty"),
    case("contact-language-empty", "content/contacts/ana.yaml:9:1", "entry 2 of `languages` is empty"),
    case("data-column-label-empty", "content/data/prices.yaml:8:19", "a column's label is empty"),
    case("data-translated-column-label-empty", "content/data/prices.yaml:13:5", "the `ur` translation of a column's label is empty"),
    case("deal-translated-role-empty", "content/deals/ussm-fwo-mou.yaml:15:5", "the `ur` translation of a party's role is empty"),
    case("deal-mineral-empty", "content/deals/ussm-fwo-mou.yaml:6:1", "entry 2 of `minerals` is empty"),
    hinted("brief-missing-summary", "content/briefs/alpha.md:2:1", "missing field `summary`", "add a line `summary: …`"),
    hinted("brief-missing-date", "content/briefs/alpha.md:2:1", "missing field `date`", "add a line `date: …`"),
    case("page-missing-title", "content/pages/about.md:2:1", "missing field `title`"),
    case("deal-missing-title", "content/deals/ussm-fwo-mou.yaml:1:1", "missing field `title`"),
    hinted("deal-value-missing-currency", "content/deals/ussm-fwo-mou.yaml:7:8", "missing field `currency`", "add it to `value`"),
    case("deal-value-missing-amount", "content/deals/ussm-fwo-mou.yaml:7:1", "a value needs `amount`, or `min` and `max`"),
    case("contact-missing-name", "content/contacts/ana.yaml:1:1", "missing field `name`"),
    // YAML's null (`~`, `null`) is no text: never the title "~".
    case("contact-name-null", "content/contacts/ana.yaml:1:1", "the contact's name is empty"),
    case("data-missing-source", "content/data/prices.yaml:1:1", "missing field `source`"),
    case("data-missing-as-of", "content/data/prices.yaml:1:1", "missing field `as_of`"),
    // References
    hinted("unknown-author", "content/briefs/alpha.md:5:9", "unknown contact `anna`", "did you mean `ana`?"),
    hinted("unknown-deal", "content/briefs/alpha.md:6:9", "unknown deal `ussm-fwo-mo`", "did you mean `ussm-fwo-mou`?"),
    hinted("site-unknown-contact", "content/site.yaml:5:10", "unknown contact `bob`", "known contacts: `ana`"),
    hinted("unknown-deal-several-close", "content/briefs/alpha.md:6:9", "unknown deal `ussm-fwo`", "did you mean `ussm-fwo-loi` or `ussm-fwo-mou`?"),
    hinted("theme-not-found", "content/site.yaml:4:8", "theme `nosuch` not found", "themes/nosuch"),
    hinted("theme-outside-project", "content/site.yaml:4:8", "invalid theme name `../../etc`", "a folder under themes/"),
    case("deal-listed-twice", "content/briefs/alpha.md:6:23", "deal `ussm-fwo-mou` is listed twice"),
    case("language-listed-twice", "content/site.yaml:4:21", "`ur` is listed twice in `languages`"),
    hinted("table-unknown-data", "content/briefs/alpha.md:15:1", "unknown data table `nope`", "known data files: `prices`"),
    // Duplicates and ids
    hinted("duplicate-deal-id", "content/deals/second.yaml:1:5", "duplicate deal id `ussm-fwo-mou`", "content/deals/ussm-fwo-mou.yaml"),
    hinted("duplicate-contact-id", "content/contacts/ana-copy.yaml:2:5", "duplicate contact id `ana`", "content/contacts/ana.yaml"),
    hinted("duplicate-brief-slug", "content/briefs/beta.md:5:7", "duplicate slug `alpha`", "content/briefs/alpha.md"),
    case("invalid-slug", "content/briefs/alpha.md:8:7", "slug `Alpha Brief` is not a valid id"),
    case("brief-file-named-in-urdu", "content/briefs/سرمایہ.md:1:1", "name the file in Latin letters, or set `slug:` in it"),
    case("reserved-page-slug", "content/pages/about.md:4:7", "slug `briefs` is used by the site itself"),
    // Values
    case("date-not-a-day", "content/briefs/alpha.md:4:7", "invalid date `2026-02-30`"),
    case("date-wrong-format", "content/deals/ussm-fwo-mou.yaml:3:12", "invalid date `08/09/2025`: expected a real date written YYYY-MM-DD"),
    case("date-empty", "content/briefs/alpha.md:4:1", "the date is empty"),
    case("deal-invalid-currency", "content/deals/ussm-fwo-mou.yaml:7:39", "invalid currency code `XYZ`"),
    case("deal-currency-lowercase", "content/deals/ussm-fwo-mou.yaml:7:39", "invalid currency code `usd`: expected an ISO 4217 code such as `USD` or `PKR` (did you mean `USD`?)"),
    case("deal-bad-country", "content/deals/ussm-fwo-mou.yaml:5:56", "unknown country code `USA`"),
    case("deal-value-min-above-max", "content/deals/ussm-fwo-mou.yaml:7:1", "`min` is larger than `max`"),
    case("deal-negative-amount", "content/deals/ussm-fwo-mou.yaml:7:1", "amounts must be positive numbers"),
    case("deal-amount-zero", "content/deals/ussm-fwo-mou.yaml:7:1", "amounts must be positive numbers"),
    case("deal-amount-below-a-cent", "content/deals/ussm-fwo-mou.yaml:7:1", "amounts are written to the cent: two decimals at most"),
    case("deal-amount-too-small", "content/deals/ussm-fwo-mou.yaml:7:1", "amount too small: at least 0.01"),
    case("deal-amount-too-large", "content/deals/ussm-fwo-mou.yaml:7:1", "amount too large: at most 1,000,000,000,000,000 (10^15)"),
    case("deal-currency-for-testing", "content/deals/ussm-fwo-mou.yaml:7:39", "invalid currency code `XTS`: ISO 4217's code for testing, not a currency"),
    case("deal-latitude-out-of-range", "content/deals/ussm-fwo-mou.yaml:8:47", "latitude must be between -90 and 90"),
    case("phone-not-e164", "content/contacts/ana.yaml:5:16", "phone number `12345` is not a valid number"),
    case("phone-not-a-number", "content/contacts/ana.yaml:6:16", "phone number `call the office` cannot be read"),
    hinted("phone-too-long", "content/contacts/ana.yaml:5:16", "phone number `+92 333 333 333 333 333 …` is longer than 64 characters", "one number per entry"),
    case("bad-email", "content/contacts/ana.yaml:7:8", "invalid e-mail address `ana.example.org`"),
    case("bad-colour", "content/site.yaml:8:12", "invalid colour `teal`: expected `#rrggbb`"),
    hinted("colour-unquoted", "content/site.yaml:8:12", "`brand.primary` is empty: quote colours, `primary: \"#0f4c45\"`", "an unquoted # starts a comment"),
    hinted("share-image-missing", "content/site.yaml:10:10", "image `assets/share.png` does not exist", "PNG or JPEG under content/assets/"),
    hinted("bad-base-url", "content/site.yaml:2:11", "invalid base_url `example.org/minimal`", "https://"),
    hinted("base-url-with-query", "content/site.yaml:2:12", "invalid base_url `https://example.org/minimal/?ref=memo#top`", "without ?query, #fragment or user:password@"),
    hinted("bad-language-tag", "content/site.yaml:3:11", "invalid language tag `English`", "BCP 47"),
    case("bad-register-dir", "content/site.yaml:11:3", "register_dir `../registers` must be a folder inside the project"),
    case("contact-website-javascript", "content/contacts/ana.yaml:8:10", "invalid URL `javascript:alert(1)`"),
    case("deal-source-url-javascript", "content/deals/ussm-fwo-mou.yaml:11:10", "invalid URL `javascript:alert(1)`"),
    case("data-rows-without-columns", "content/data/prices.yaml:6:1", "rows are given but no `columns`"),
    hinted("data-unknown-column", "content/data/prices.yaml:10:25", "unknown column `prize` in a row", "did you mean `price`?"),
    case("data-cell-list", "content/data/prices.yaml:11:5", "a table cell holds text or a number, not a list"),
    case("data-cell-nan", "content/data/prices.yaml:10:32", "invalid number `.nan`: not a number a reader can use"),
    // Markdown bodies
    hinted("placeholder-malformed", "content/briefs/alpha.md:15:1", "`{{ table(data=prices) }}` is not a placeholder", "table(data=\"ID\")"),
    case("image-empty-source", "content/briefs/alpha.md:13:1", "image has no file"),
    case("brief-empty-body", "content/briefs/alpha.md:9:1", "no text after its front matter"),
    hinted("link-javascript", "content/briefs/alpha.md:11:13", "link target `javascript:alert(1)` is not allowed", "https://"),
    case("image-missing", "content/briefs/alpha.md:13:1", "image `../assets/map.png` does not exist"),
    case("image-escapes-project", "content/briefs/alpha.md:13:1", "image `../../etc/passwd.png` points outside"),
    case("image-absolute-path", "content/briefs/alpha.md:13:1", "image `/etc/passwd.png` must be inside content/assets/"),
    case("image-path-not-from-the-brief", "content/briefs/alpha.md:13:1", "image `assets/chart.png` must be inside content/assets/: write `../assets/chart.png` (a path is read from the file's own folder)"),
    case("image-remote", "content/briefs/alpha.md:13:1", "image `https://example.org/chart.png` is remote"),
    case("image-not-png-or-jpeg", "content/briefs/alpha.md:13:1", "image `../assets/chart.gif` is not a PNG or JPEG file"),
    case("image-not-a-picture", "content/assets/chart.png", "named as a picture but is not a PNG or JPEG image"),
    case("image-empty-file", "content/assets/chart.png", "this picture is an empty file"),
    case("markdown-control-reference", "content/briefs/alpha.md:11:5", "this character reference makes U+0007"),
    case("brief-link-target-too-long", "content/briefs/alpha.md:11:13", "is longer than 4096 bytes"),
    // Lengths: beyond what a cover, a card or a tag page shows, and where
    // work would grow with the text
    hinted("brief-title-too-long", "content/briefs/alpha.md:2:1", "`title` is 501 characters long; at most 500", "a line or two of a cover"),
    hinted("brief-heading-too-long", "content/briefs/alpha.md:13:1", "heading of 674 characters (at most 500)", "`---` or `===` right under it"),
    case("brief-summary-too-long", "content/briefs/alpha.md:3:1", "`summary` is 2002 characters long; at most 2000"),
    case("brief-too-many-tags", "content/briefs/alpha.md:7:1", "33 tags; a brief may have at most 32"),
    case("contact-too-many-phones", "content/contacts/ana.yaml:4:1", "`phones` lists 12 entries; at most 10 are allowed"),
    case("deal-too-many-sources", "content/deals/ussm-fwo-mou.yaml:9:1", "`sources` lists 65 entries; at most 64 are allowed"),
    case("brief-too-many-deals", "content/briefs/alpha.md:6:1", "65 deals; a brief may list at most 64"),
    case("brief-tag-too-long", "content/briefs/alpha.md:7:14", "is longer than 64 characters"),
    case("brief-tag-without-letters", "content/briefs/alpha.md:7:15", "tag `!!!` has no letter or digit to name its page"),
    case("contact-name-too-long", "content/contacts/ana.yaml:1:1", "`name` is 599 characters long"),
    case("page-description-too-long", "content/pages/about.md:3:1", "`description` is 2199 characters long"),
    case("deal-source-url-too-long", "content/deals/nlc-mota-mou.yaml:4:5", "is longer than 4096 bytes"),
];

/// The "many problems" fixture: every problem, in file order.
#[rustfmt::skip]
const MANY: &[(&str, &str)] = &[
    ("content/briefs/alpha.md:5:9", "unknown contact `anna`"),
    ("content/briefs/alpha.md:6:9", "unknown deal `nlc-mota`"),
    ("content/briefs/alpha.md:13:1", "image `../assets/missing.png` does not exist"),
    ("content/briefs/alpha.md:15:1", "unknown data table `nope`"),
    ("content/contacts/ana.yaml:7:8", "invalid e-mail address `not-an-email`"),
    ("content/deals/ussm-fwo-mou.yaml:7:39", "invalid currency code `XYZ`"),
    ("content/pages/about.md:3:1", "unknown field `descripton`"),
];

/// A problem as printed: its first line and the lines indented under it.
#[derive(Debug, PartialEq)]
struct Printed {
    line: String,
    more: Vec<String>,
}

/// The problems (not warnings) in stderr, in the order printed.
fn problems(stderr: &str) -> Vec<Printed> {
    let mut out: Vec<Printed> = Vec::new();
    let mut in_warning = false;
    for line in stderr.lines() {
        if let Some(more) = line.strip_prefix("  ") {
            if !in_warning {
                if let Some(last) = out.last_mut() {
                    last.more.push(more.to_string());
                }
            }
        } else if line.starts_with("error: ")
            && (line.ends_with(" found") || line.ends_with("nothing was written"))
        {
            in_warning = true;
        } else {
            in_warning = line.contains(": warning: ");
            if !in_warning {
                out.push(Printed {
                    line: line.to_string(),
                    more: Vec::new(),
                });
            }
        }
    }
    out
}

/// Replaces the first `find` in `file` of `project` with `replace`.
fn edit(project: &Path, file: &str, find: &str, replace: &str) {
    let path = project.join(file);
    let text = fs::read_to_string(&path).unwrap();
    assert!(text.contains(find), "{file} has no {find}");
    fs::write(&path, text.replacen(find, replace, 1)).unwrap();
}

/// Runs `command` in `project`; asserts that it fails with exit code 1 and
/// exactly one problem, and returns that problem and the whole stderr.
fn the_one_problem(project: &Path, command: &str, case: &str) -> (Printed, String) {
    let out = orepress(project, &[command]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{case} {command}: {err}");
    let mut found = problems(&err);
    assert_eq!(found.len(), 1, "{case} {command}: {err}");
    (found.remove(0), err)
}

/// A previous build's output, with bytes no build writes.
fn plant_output(project: &Path) {
    let site = project.join("output/site");
    fs::create_dir_all(&site).unwrap();
    fs::write(site.join("index.html"), b"sentinel \x00\xff previous build").unwrap();
    fs::create_dir_all(project.join("output/memos")).unwrap();
    fs::write(project.join("output/memos/old.pdf"), b"%PDF-sentinel").unwrap();
    fs::write(project.join("output").join(MARKER), "made by orepress").unwrap();
}

/// Runs check and build on a copy of a fixture; returns check's stderr,
/// or a description of everything that went wrong.
fn run_case(name: &str) -> Result<String, String> {
    let dir = fixture(&format!("invalid/{name}"));
    let mut failures = Vec::new();
    let check = orepress(dir.path(), &["check"]);
    let check_err = stderr(&check);
    if check.status.code() != Some(1) {
        failures.push(format!("check exited {:?}", check.status.code()));
    }
    if dir.path().join("output").exists() {
        failures.push("check wrote output/".into());
    }
    plant_output(dir.path());
    let before = snapshot(&dir.path().join("output"));
    let build = orepress(dir.path(), &["build"]);
    let build_err = stderr(&build);
    if build.status.code() != Some(1) {
        failures.push(format!("build exited {:?}", build.status.code()));
    }
    if snapshot(&dir.path().join("output")) != before {
        failures.push("the failed build changed output/".into());
    }
    let leftovers: Vec<String> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".output"))
        .collect();
    if !leftovers.is_empty() {
        failures.push(format!("staging folders left behind: {leftovers:?}"));
    }
    for (what, text) in [("check", &check_err), ("build", &build_err)] {
        if text.contains("panicked") {
            failures.push(format!("{what} panicked"));
        }
    }
    if problems(&check_err)
        .iter()
        .map(|p| &p.line)
        .ne(problems(&build_err).iter().map(|p| &p.line))
    {
        failures.push("check and build report different problems".into());
    }
    if failures.is_empty() {
        Ok(check_err)
    } else {
        Err(format!(
            "{}\ncheck stderr:\n{check_err}build stderr:\n{build_err}",
            failures.join("; ")
        ))
    }
}

#[test]
fn invalid_fixtures_report_their_problem_where_it_is() {
    let mut failures = Vec::new();
    let mut transcript = String::new();
    for c in CASES {
        let stderr = match run_case(c.name) {
            Ok(s) => s,
            Err(why) => {
                failures.push(format!("{}: {why}", c.name));
                continue;
            }
        };
        transcript.push_str(&format!("== {}\n{stderr}", c.name));
        let found = problems(&stderr);
        let [only] = found.as_slice() else {
            failures.push(format!(
                "{}: expected exactly one problem, got {}:\n{stderr}",
                c.name,
                found.len()
            ));
            continue;
        };
        let Some(message) = only.line.strip_prefix(&format!("{}: ", c.at)) else {
            failures.push(format!(
                "{}: expected the problem at `{}`, got `{}`",
                c.name, c.at, only.line
            ));
            continue;
        };
        if !message.contains(c.gist) {
            failures.push(format!(
                "{}: message `{message}` does not say `{}`",
                c.name, c.gist
            ));
        }
        if let Some(hint) = c.hint {
            if !only
                .more
                .iter()
                .any(|m| m.starts_with("hint: ") && m.contains(hint))
            {
                failures.push(format!(
                    "{}: no hint with `{hint}` in {:?}",
                    c.name, only.more
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} invalid fixtures failed:\n\n{}",
        failures.len(),
        CASES.len(),
        failures.join("\n\n")
    );
    compare_snapshot(&transcript);
}

/// The full output of `check` for every fixture, hints included, kept in
/// tests/snapshots/invalid-fixtures.txt so a change in wording is seen in
/// review. `UPDATE_SNAPSHOTS=1 cargo test` rewrites it.
fn compare_snapshot(transcript: &str) {
    let snap = repo().join("tests/snapshots/invalid-fixtures.txt");
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        fs::write(&snap, transcript).unwrap();
        return;
    }
    let want = fs::read_to_string(&snap).unwrap_or_default();
    if want != transcript {
        let mut diff: Vec<String> = want
            .lines()
            .zip(transcript.lines())
            .filter(|(a, b)| a != b)
            .take(10)
            .map(|(a, b)| format!("- {a}\n+ {b}"))
            .collect();
        if diff.is_empty() {
            diff.push(format!(
                "{} lines expected, {} printed",
                want.lines().count(),
                transcript.lines().count()
            ));
        }
        panic!(
            "the problems printed for invalid fixtures changed; review and run with \
             UPDATE_SNAPSHOTS=1 to accept:\n{}",
            diff.join("\n")
        );
    }
}

#[test]
fn many_problems_are_all_reported_in_one_run_in_file_order() {
    let stderr = run_case("many-problems").unwrap_or_else(|why| panic!("{why}"));
    let found = problems(&stderr);
    let lines: Vec<&str> = found.iter().map(|p| p.line.as_str()).collect();
    assert_eq!(lines.len(), MANY.len(), "{stderr}");
    for (line, (at, gist)) in lines.iter().zip(MANY) {
        let message = line
            .strip_prefix(&format!("{at}: "))
            .unwrap_or_else(|| panic!("expected `{at}: …`, got `{line}`\n{stderr}"));
        assert!(message.contains(gist), "`{line}` does not say `{gist}`");
    }
    assert!(
        stderr.contains(&format!("error: {} problems found", MANY.len())),
        "{stderr}"
    );
}

#[test]
fn every_invalid_fixture_has_a_table_entry() {
    let dir = repo().join("tests/fixtures/invalid");
    let mut on_disk: Vec<String> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().unwrap().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    on_disk.sort();
    let mut in_table: Vec<String> = CASES
        .iter()
        .map(|c| c.name.to_string())
        .chain(["many-problems".to_string()])
        .collect();
    in_table.sort();
    let mut dups = in_table.clone();
    dups.dedup();
    assert_eq!(dups.len(), in_table.len(), "a fixture is listed twice");
    let untested: Vec<&String> = on_disk.iter().filter(|n| !in_table.contains(n)).collect();
    let missing: Vec<&String> = in_table.iter().filter(|n| !on_disk.contains(n)).collect();
    assert!(
        untested.is_empty(),
        "fixtures without an entry in CASES (tests/testsuite/check.rs): {untested:?}"
    );
    assert!(missing.is_empty(), "entries without a fixture: {missing:?}");
    assert!(CASES.len() >= 35, "only {} invalid fixtures", CASES.len());
}

#[test]
fn every_overlay_changes_the_base_and_deletes_only_what_it_has() {
    // An overlay holds only what differs from the base project: a file the
    // same as the base's (say after a change to the base) changes nothing
    // and is noise, and a path to delete must be there to delete.
    let fixtures = repo().join("tests/fixtures");
    let base = fixtures.join(BASE);
    let mut failures = Vec::new();
    for entry in fs::read_dir(fixtures.join(OVERLAYS)).unwrap() {
        let overlay = entry.unwrap().path();
        let name = overlay.file_name().unwrap().to_string_lossy().into_owned();
        let files = snapshot(&overlay);
        let deletes = overlay_deletes(&overlay);
        if files.iter().all(|(rel, _)| rel == Path::new(DELETE)) && deletes.is_empty() {
            failures.push(format!("{name}: the overlay changes nothing"));
        }
        for (rel, bytes) in &files {
            let replaced = deletes.iter().any(|d| rel.starts_with(d));
            if rel != Path::new(DELETE)
                && !replaced
                && fs::read(base.join(rel)).ok().as_ref() == Some(bytes)
            {
                failures.push(format!(
                    "{name}: {} is the same as the base's",
                    rel.display()
                ));
            }
        }
        for rel in &deletes {
            if !base.join(rel).exists() {
                failures.push(format!("{name}: {DELETE} lists `{rel}`, not in the base"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Symbolic links and huge files cannot be committed as fixtures: these
/// are made in a copy of the minimal project instead.
#[cfg(unix)]
#[test]
fn links_out_loops_and_huge_files_are_refused_without_hanging() {
    use std::os::unix::fs::symlink;
    type Setup = fn(&Path);
    let cases: &[(&str, Setup, &str)] = &[
        (
            "loop",
            |p| symlink("..", p.join("content/assets/loop")).unwrap(),
            "content/assets/loop: symbolic link loop",
        ),
        (
            "outside",
            |p| symlink("/etc/hostname", p.join("content/assets/host.png")).unwrap(),
            "content/assets/host.png: symbolic link points outside the project folder",
        ),
        (
            "folder outside",
            |p| {
                let outside =
                    std::env::temp_dir().join(format!("orepress-out-{}", std::process::id()));
                fs::create_dir_all(&outside).unwrap();
                fs::write(outside.join("secret.png"), b"\x89PNG").unwrap();
                symlink(&outside, p.join("content/assets/ext")).unwrap();
            },
            "content/assets/ext: symbolic link points outside the project folder",
        ),
        (
            "folder below a folder outside",
            |p| {
                let outside =
                    std::env::temp_dir().join(format!("orepress-deep-{}", std::process::id()));
                fs::create_dir_all(outside.join("deep")).unwrap();
                fs::write(outside.join("deep/secret.png"), b"\x89PNG").unwrap();
                symlink(&outside, p.join("content/assets/far")).unwrap();
            },
            "content/assets/far: symbolic link points outside the project folder",
        ),
        (
            "theme static file outside",
            |p| {
                let stat = p.join("themes/default/static");
                fs::create_dir_all(&stat).unwrap();
                symlink("/etc/passwd", stat.join("pw.css")).unwrap();
            },
            "themes/default/static/pw.css: symbolic link points outside the project folder",
        ),
        (
            "template outside",
            |p| {
                fs::create_dir_all(p.join("templates")).unwrap();
                symlink("/etc/hostname", p.join("templates/page.html")).unwrap();
            },
            "templates/page.html: symbolic link points outside the project folder",
        ),
        (
            "dangling",
            |p| symlink("/nonexistent", p.join("content/deals/gone.yaml")).unwrap(),
            "content/deals/gone.yaml: ",
        ),
        (
            "huge",
            |p| {
                let f = fs::File::create(p.join("content/pages/huge.md")).unwrap();
                f.set_len(9 * 1024 * 1024).unwrap();
            },
            "content/pages/huge.md: file is too large",
        ),
    ];
    for (name, setup, want) in cases {
        let dir = fixture("minimal");
        setup(dir.path());
        plant_output(dir.path());
        let before = snapshot(&dir.path().join("output"));
        for command in ["check", "build"] {
            let (found, err) = the_one_problem(dir.path(), command, name);
            assert!(found.line.starts_with(want), "{name} {command}: {err}");
            assert!(!err.contains("panicked"));
        }
        assert!(
            snapshot(&dir.path().join("output")) == before,
            "{name}: output/ changed"
        );
    }
    // The folders the links pointed to, outside every project.
    for kind in ["out", "deep"] {
        let outside = std::env::temp_dir().join(format!("orepress-{kind}-{}", std::process::id()));
        fs::remove_dir_all(outside).unwrap();
    }
}

/// A file name is printed as one line, with its control characters
/// escaped: a name holding a line feed split its problem over two lines,
/// and one holding a terminal's escape sequence was obeyed, not shown.
#[cfg(unix)]
#[test]
fn control_characters_in_file_names_are_shown_escaped() {
    let dir = fixture("minimal");
    let briefs = dir.path().join("content/briefs");
    let brief = briefs.join("alpha.md");
    fs::copy(&brief, briefs.join("two\nlines.md")).unwrap();
    fs::copy(&brief, briefs.join("red\u{1b}[31m.md")).unwrap();
    let out = orepress(dir.path(), &["check"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    let found: Vec<String> = problems(&err).into_iter().map(|p| p.line).collect();
    assert_eq!(found.len(), 2, "{err}");
    assert!(
        found[0].starts_with(r"content/briefs/red\u{1b}[31m.md:1:1: slug `red\u{1b}[31m`"),
        "{err}"
    );
    assert!(
        found[1].starts_with(r"content/briefs/two\nlines.md:1:1: slug `two\nlines`"),
        "{err}"
    );
    assert!(
        !err.contains('\u{1b}'),
        "an escape reached the terminal: {err}"
    );
}

/// `check` renders everything without writing, so a problem that only
/// shows when rendering (a template that fails at run time, an image that
/// cannot be decoded) is reported by `check` exactly as `build` reports it.
#[test]
fn check_reports_every_problem_build_does() {
    type Setup = fn(&Path);
    let cases: [(&str, Setup, &str); 7] = [
        (
            // Tera gives this one no place: it is found where the template
            // names its parent.
            "template extending a missing parent",
            |p| {
                fs::create_dir_all(p.join("templates")).unwrap();
                let base = repo().join("themes/default/templates/page.html");
                let text = fs::read_to_string(base).unwrap();
                let broken = text.replacen("\"base.html\"", "\"nope.html\"", 1);
                fs::write(p.join("templates/page.html"), broken).unwrap();
            },
            "templates/page.html:1:12: template error: Template 'page.html' is inheriting from 'nope.html'",
        ),
        (
            "template error",
            |p| {
                fs::create_dir_all(p.join("templates")).unwrap();
                let base = repo().join("themes/default/templates/page.html");
                let text = fs::read_to_string(base).unwrap();
                let broken = text.replacen("{{", "{{ no_such_value.field }}{{", 1);
                fs::write(p.join("templates/page.html"), broken).unwrap();
            },
            "page.html",
        ),
        (
            "image that cannot be decoded",
            |p| {
                let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
                png.extend_from_slice(&[0u8; 64]);
                fs::write(p.join("content/assets/chart.png"), png).unwrap();
            },
            "content/assets/chart.png",
        ),
        (
            "JPEG with a header and no data",
            |p| {
                fs::write(
                    p.join("content/assets/chart.png"),
                    b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00",
                )
                .unwrap();
            },
            "content/assets/chart.png",
        ),
        (
            // The share card is published as it is and only checked, not
            // decoded: its data cut short is still found.
            "share card cut short",
            |p| {
                let card = fs::read(repo().join("content/assets/share-card.png")).unwrap();
                fs::write(p.join("content/assets/card.png"), &card[..card.len() / 2]).unwrap();
                share_card(p, "card.png");
            },
            "content/assets/card.png: cannot read this PNG file",
        ),
        (
            "share card with a damaged checksum",
            |p| {
                let mut card = fs::read(repo().join("content/assets/share-card.png")).unwrap();
                // The last byte of the first IDAT chunk's CRC.
                let idat = card.windows(4).position(|w| w == b"IDAT").unwrap();
                let len = u32::from_be_bytes(card[idat - 4..idat].try_into().unwrap()) as usize;
                card[idat + 4 + len + 3] ^= 0x55;
                fs::write(p.join("content/assets/card.png"), card).unwrap();
                share_card(p, "card.png");
            },
            "content/assets/card.png: cannot read this PNG file",
        ),
        (
            // Named as the file the project has (it once named the
            // theme.yaml's `name:`, here `default`, a folder not there).
            "theme font cut short",
            |p| {
                let theme = p.join("themes/corp");
                fs::create_dir_all(theme.join("fonts")).unwrap();
                let default = repo().join("themes/default");
                fs::copy(default.join("theme.yaml"), theme.join("theme.yaml")).unwrap();
                let font = fs::read(default.join("fonts/NotoSerif-Bold.ttf")).unwrap();
                fs::write(theme.join("fonts/NotoSerif-Bold.ttf"), &font[..3000]).unwrap();
                let site = p.join("content/site.yaml");
                let text = fs::read_to_string(&site).unwrap();
                fs::write(site, format!("{text}theme: corp\n")).unwrap();
            },
            "themes/corp/fonts/NotoSerif-Bold.ttf: ",
        ),
    ];
    for (name, setup, want) in cases {
        let dir = fixture("minimal");
        setup(dir.path());
        let check = orepress(dir.path(), &["check"]);
        let build = orepress(dir.path(), &["build"]);
        let (check_err, build_err) = (stderr(&check), stderr(&build));
        assert_eq!(build.status.code(), Some(1), "{name}: build: {build_err}");
        assert_eq!(check.status.code(), Some(1), "{name}: check: {check_err}");
        assert!(!check_err.contains("No problems"), "{name}: {check_err}");
        let check_problems = problems(&check_err);
        assert!(!check_problems.is_empty(), "{name}: {check_err}");
        assert!(
            check_problems.iter().any(|p| p.line.contains(want)),
            "{name}: check does not name {want}: {check_err}"
        );
        assert_eq!(
            check_problems,
            problems(&build_err),
            "{name}: check and build report differently"
        );
        assert!(stdout(&check).is_empty() || !stdout(&check).contains("No problems"));
        assert!(!dir.path().join("output").exists(), "{name}: check wrote");
    }
}

/// Makes `content/assets/NAME` the project's share card (`brand.image`).
fn share_card(project: &Path, name: &str) {
    let site = project.join("content/site.yaml");
    let text = fs::read_to_string(&site).unwrap();
    let text = text.replacen("brand:\n", &format!("brand:\n  image: assets/{name}\n"), 1);
    assert!(text.contains("image: assets/"), "{text}");
    fs::write(site, text).unwrap();
}

/// Thousands of nested quotes, list items or emphasis once overflowed the
/// stack and aborted every command; deep YAML took minutes. Each is now a
/// located error from check and build alike, and output/ stays as it was.
#[test]
fn deep_nesting_is_a_located_error_not_an_abort() {
    let cases: [(&str, &str, String, &str); 5] = [
        (
            "quotes",
            "content/briefs/alpha.md",
            format!("\n{} deep\n", ">".repeat(3000)),
            "content/briefs/alpha.md:17:",
        ),
        (
            "list items",
            "content/briefs/alpha.md",
            format!("\n{}x\n", "- ".repeat(3000)),
            "content/briefs/alpha.md:17:",
        ),
        (
            "emphasis",
            "content/pages/about.md",
            format!("\n{0}x{0}\n", "*".repeat(5000)),
            "content/pages/about.md:",
        ),
        (
            "flow YAML",
            "content/data/prices.yaml",
            format!("extra: {}\n", "[".repeat(1_000_000)),
            "content/data/prices.yaml:",
        ),
        (
            "block YAML",
            "content/deals/ussm-fwo-mou.yaml",
            format!("notes:\n{}x\n", "- ".repeat(3000)),
            "content/deals/ussm-fwo-mou.yaml:",
        ),
    ];
    for (name, file, added, want) in cases {
        let dir = fixture("minimal");
        let path = dir.path().join(file);
        let mut text = fs::read_to_string(&path).unwrap();
        text.push_str(&added);
        fs::write(&path, text).unwrap();
        plant_output(dir.path());
        let before = snapshot(&dir.path().join("output"));
        for command in ["check", "build"] {
            let (found, err) = the_one_problem(dir.path(), command, name);
            assert!(found.line.starts_with(want), "{name} {command}: {err}");
            assert!(
                found.line.contains("nested more than"),
                "{name} {command}: {err}"
            );
        }
        assert!(
            snapshot(&dir.path().join("output")) == before,
            "{name}: output/ changed"
        );
    }
}

/// A page's slug becomes a folder of the site: it gets the checks a
/// brief's slug gets, and names the site uses itself are refused where
/// they are written.
#[test]
fn page_slugs_are_validated_like_brief_slugs() {
    for slug in ["a/b", "x y", "\"<b>x</b>\"", "robots.txt", "tags", "../up"] {
        let dir = fixture("minimal");
        let about = "content/pages/about.md";
        edit(dir.path(), about, "---\n", &format!("---\nslug: {slug}\n"));
        for command in ["check", "build"] {
            let (found, err) = the_one_problem(dir.path(), command, slug);
            assert!(
                found.line.starts_with("content/pages/about.md:2:")
                    && found.line.contains(": slug `"),
                "{slug} {command}: {err}"
            );
        }
        assert!(!dir.path().join("output").exists());
    }
}

/// Control characters written as YAML escapes (`"\u0001"`) or raw in a
/// Markdown file once reached the feed and made it ill-formed XML.
#[test]
fn control_characters_are_refused_where_they_are_written() {
    let cases = [
        (
            "content/site.yaml",
            "title: ",
            "title: \"Bad\\u0001title\" #",
            "content/site.yaml:",
        ),
        (
            "content/briefs/alpha.md",
            "title: ",
            "title: \"A\\x07b\" #",
            "content/briefs/alpha.md:2:",
        ),
        (
            "content/briefs/alpha.md",
            "Text with",
            "Text\u{1}with",
            "content/briefs/alpha.md:",
        ),
        // The noncharacters U+FFFE and U+FFFF are not XML either.
        (
            "content/briefs/alpha.md",
            "title: ",
            "title: \"A\\uFFFEb\" #",
            "content/briefs/alpha.md:2:",
        ),
        (
            "content/briefs/alpha.md",
            "Text with",
            "Text\u{FFFF}with",
            "content/briefs/alpha.md:11:5: noncharacter U+FFFF",
        ),
    ];
    for (file, find, replace, want) in cases {
        let dir = fixture("minimal");
        edit(dir.path(), file, find, replace);
        let (found, err) = the_one_problem(dir.path(), "check", file);
        assert!(found.line.starts_with(want), "{file}: {err}");
        assert!(
            found.line.contains("control character") || found.line.contains("noncharacter"),
            "{file}: {err}"
        );
    }
}

/// A bidirectional override (U+202D, U+202E) shows the text after it in
/// reverse: "$1,000" can read as "000,1$". It is refused wherever it is
/// written (raw, as a YAML escape, as a character reference); the
/// embeddings, isolates and marks of right-to-left text are not.
#[test]
fn bidirectional_overrides_are_refused_and_right_to_left_marks_are_not() {
    let refused = [
        ("title: ", "title: Offtake at \u{202E}000,1$ a tonne #", "content/briefs/alpha.md:2:"),
        ("title: ", "title: \"Offtake \\u202Dat\" #", "content/briefs/alpha.md:2:"),
        ("Text with", "Text \u{202D}with", "content/briefs/alpha.md:11:6: bidirectional override U+202D"),
        ("Text with", "Text &#x202E; with", "content/briefs/alpha.md:11:6: this character reference makes U+202E, a bidirectional override"),
    ];
    let alpha = "content/briefs/alpha.md";
    for (find, replace, want) in refused {
        let dir = fixture("minimal");
        edit(dir.path(), alpha, find, replace);
        for command in ["check", "build"] {
            let (found, err) = the_one_problem(dir.path(), command, replace);
            assert!(found.line.starts_with(want), "{replace}: {err}");
            assert!(found.line.contains("U+202"), "{replace}: {err}");
        }
        assert!(!dir.path().join("output").exists());
    }
    // Urdu with a right-to-left mark, an embedding and an isolate builds.
    let dir = fixture("minimal");
    edit(
        dir.path(),
        alpha,
        "Text with",
        "\u{202B}اینٹیمنی\u{202C} \u{2067}کان\u{2069}\u{200F} Text with",
    );
    let out = orepress(dir.path(), &["check"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

/// A year before 1900 in a brief's or a deal's date is a slip of the
/// keyboard (`0000-01-01` was once published, and sitemaps cannot carry it).
#[test]
fn dates_before_1900_are_refused_where_they_are_written() {
    for (file, find, replace, want) in [
        (
            "content/briefs/alpha.md",
            "date: 2025-11-01",
            "date: 0000-01-01",
            "content/briefs/alpha.md:4:",
        ),
        (
            "content/deals/ussm-fwo-mou.yaml",
            "announced: 2025-09-08",
            "announced: 0202-09-08",
            "content/deals/ussm-fwo-mou.yaml:3:",
        ),
    ] {
        let dir = fixture("minimal");
        edit(dir.path(), file, find, replace);
        let (found, err) = the_one_problem(dir.path(), "check", file);
        assert!(found.line.starts_with(want), "{file}: {err}");
        assert!(found.line.contains("before 1900"), "{file}: {err}");
    }
}

/// Several problems in one file are all reported in one run: an unknown
/// key no longer hides a refused value after it, or an unknown deal.
#[test]
fn an_unknown_key_does_not_hide_the_other_problems_of_its_file() {
    let dir = fixture("minimal");
    let brief = dir.path().join("content/briefs/alpha.md");
    let text = fs::read_to_string(&brief).unwrap();
    fs::write(
        &brief,
        text.replace("author: ana", "autor: ana\nauthor: ana")
            .replace("deals: [ussm-fwo-mou]", "deals: [ussm-fwo-moo]"),
    )
    .unwrap();
    let out = orepress(dir.path(), &["check"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("content/briefs/alpha.md:5:1: unknown field `autor`"),
        "{err}"
    );
    assert!(err.contains("unknown deal `ussm-fwo-moo`"), "{err}");

    let text = fs::read_to_string(&brief).unwrap();
    fs::write(&brief, text.replace("date: 2025-11-01", "date: 2025-02-30")).unwrap();
    let out = orepress(dir.path(), &["check"]);
    let err = stderr(&out);
    assert!(
        err.contains("content/briefs/alpha.md:4:7: invalid date `2025-02-30`"),
        "{err}"
    );
    assert!(
        err.contains("content/briefs/alpha.md:5:1: unknown field `autor`"),
        "{err}"
    );
    // The refused date makes the front matter unreadable; its deals and
    // author are still checked against the other files.
    assert!(
        err.contains("content/briefs/alpha.md:7:9: unknown deal `ussm-fwo-moo`"),
        "{err}"
    );
    let text = fs::read_to_string(&brief).unwrap();
    fs::write(&brief, text.replace("author: ana", "author: anna")).unwrap();
    let err = stderr(&orepress(dir.path(), &["check"]));
    assert!(
        err.contains("content/briefs/alpha.md:6:9: unknown contact `anna`"),
        "{err}"
    );
    assert!(err.contains("did you mean `ana`?"), "{err}");
}

/// A link to a brief, page, deal or contact card that cannot be read is
/// not reported as leading nowhere: the file is there, and its own problem
/// is.
#[test]
fn a_link_to_an_unreadable_file_is_not_a_second_problem() {
    let dir = fixture("minimal");
    let about = dir.path().join("content/pages/linker.md");
    fs::write(
        &about,
        "---\ntitle: Linker\n---\nSee [alpha](@/briefs/alpha.md), [gone](@/briefs/gone.md), \
         [the MoU](@/deals/ussm-fwo-mou.yaml), [Ana](@/contacts/ana.yaml) and \
         [no deal](@/deals/none.yaml).\n",
    )
    .unwrap();
    let edit = |rel: &str, from: &str, to: &str| edit(dir.path(), rel, from, to);
    edit(
        "content/briefs/alpha.md",
        "date: 2025-11-01",
        "date: 2025-11-31",
    );
    edit(
        "content/deals/ussm-fwo-mou.yaml",
        "url: https://example.org/news/mou",
        "url: \"javascript:alert(1)\"",
    );
    edit(
        "content/contacts/ana.yaml",
        "email: ana@example.org",
        "email: [a, b]",
    );
    let out = orepress(dir.path(), &["check"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("invalid date `2025-11-31`"), "{err}");
    assert!(err.contains("content/deals/ussm-fwo-mou.yaml:"), "{err}");
    assert!(err.contains("content/contacts/ana.yaml:"), "{err}");
    assert!(err.contains("`@/briefs/gone.md` leads nowhere"), "{err}");
    assert!(err.contains("`@/deals/none.yaml` leads nowhere"), "{err}");
    for unreadable in [
        "briefs/alpha.md",
        "deals/ussm-fwo-mou.yaml",
        "contacts/ana.yaml",
    ] {
        assert!(
            !err.contains(&format!("`@/{unreadable}` leads nowhere")),
            "{err}"
        );
    }
}

/// A translation of a brief that could not be read is not reported as
/// translating a brief that does not exist: the brief's own problem is.
#[test]
fn a_translation_of_an_unreadable_brief_is_not_a_second_problem() {
    let dir = example();
    let brief = "content/briefs/antimony-opportunity.md";
    assert!(dir
        .path()
        .join("content/briefs/antimony-opportunity.ur.md")
        .is_file());
    let text = fs::read_to_string(dir.path().join(brief)).unwrap();
    let date = text.lines().find(|l| l.starts_with("date: ")).unwrap();
    edit(dir.path(), brief, date, "date: 2025-02-30");
    let (found, err) = the_one_problem(dir.path(), "check", brief);
    assert!(
        found
            .line
            .starts_with("content/briefs/antimony-opportunity.md:")
            && found.line.contains("2025-02-30"),
        "{err}"
    );
}

/// A heading in Urdu has an id in Urdu (it was `section-N`, which no
/// author could guess): a link to it by its words is found in check and
/// on the page, and the contents of the page link to it the same way.
#[test]
fn a_heading_in_urdu_has_an_id_a_link_can_name() {
    let dir = example();
    let brief = dir.path().join("content/briefs/antimony-opportunity.ur.md");
    let mut text = fs::read_to_string(&brief).unwrap();
    assert!(text.contains("\n## خطرات\n"), "the example's heading");
    assert!(text.contains("\n## پاکستان ہی کیوں، اور ابھی کیوں\n"));
    text.push_str("\nدیکھیے [خطرات](#خطرات) اور [وجوہات](#پاکستان-ہی-کیوں-اور-ابھی-کیوں)۔\n");
    fs::write(&brief, text).unwrap();
    let out = orepress(dir.path(), &["check"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(!stderr(&out).contains("warning"), "{}", stderr(&out));
    build(dir.path(), &["--site-only"]);
    let page = fs::read_to_string(
        dir.path()
            .join("output/site/ur/briefs/antimony-opportunity/index.html"),
    )
    .unwrap();
    for id in ["خطرات", "پاکستان-ہی-کیوں-اور-ابھی-کیوں"] {
        assert!(
            page.contains(&format!("<h2 id=\"{id}\">")),
            "no heading {id}"
        );
        assert!(
            page.matches(&format!("href=\"#{id}\"")).count() >= 2,
            "the contents and the text link to {id}"
        );
    }
    assert!(!page.contains("id=\"section"), "a generic id is left");
}

/// A brief saved with classic Mac OS line ends (a carriage return alone)
/// is read line by line: it builds, and a problem in it is reported at its
/// line (it was "missing front matter" at 1:1).
#[test]
fn a_brief_with_lines_ended_by_carriage_returns_is_read() {
    let dir = fixture("minimal");
    let brief = dir.path().join("content/briefs/alpha.md");
    let text = fs::read_to_string(&brief).unwrap().replace("\r\n", "\n");
    let mac = format!("{text}\nSee [nothing](#nowhere-at-all).\n").replace('\n', "\r");
    let line = text.lines().count() + 2;
    fs::write(&brief, mac).unwrap();
    let out = orepress(dir.path(), &["check"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(
        err.contains(&format!(
            "content/briefs/alpha.md:{line}:5: warning: link to `#nowhere-at-all`"
        )),
        "{err}"
    );
    build(dir.path(), &[]);
    assert!(dir
        .path()
        .join("output/site/briefs/alpha/index.html")
        .is_file());
}

/// A `#place` link to no heading of its own text goes nowhere on the page
/// or in the memo: a warning at the link, with the heading meant.
#[test]
fn a_link_to_a_missing_heading_is_a_warning_at_the_link() {
    let dir = fixture("minimal");
    let brief = dir.path().join("content/briefs/alpha.md");
    let mut text = fs::read_to_string(&brief).unwrap();
    let line = text.lines().count() + 2;
    text.push_str("\nSee [the overview](#overveiw), [it again](#overview) and [the top](#).\n");
    fs::write(&brief, text).unwrap();
    let out = orepress(dir.path(), &["check"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains(&format!(
            "content/briefs/alpha.md:{line}:5: warning: link to `#overveiw`: no heading of this text has that id"
        )),
        "{err}"
    );
    assert!(err.contains("did you mean `#overview`?"), "{err}");
    assert_eq!(err.matches("warning:").count(), 1, "{err}");
}

/// A translation may leave blank only what the original leaves blank: a
/// party with no role has none in Urdu either, and a phone with no label
/// keeps none.
#[test]
fn a_translation_may_leave_blank_what_the_original_leaves_blank() {
    let dir = fixture(BASE);
    let root = dir.path();
    let deal = root.join("content/deals/ussm-fwo-mou.yaml");
    let text = fs::read_to_string(&deal).unwrap().replace(
        "  - { name: US Strategic Metals, role: buyer, country: US }\n",
        "  - { name: US Strategic Metals, role: buyer, country: US }\n  - { name: Frontier Works, country: PK }\n",
    );
    fs::write(
        &deal,
        format!("{text}translations:\n  ur:\n    roles: [خریدار, \"\"]\n"),
    )
    .unwrap();
    let contact = root.join("content/contacts/ana.yaml");
    let text = fs::read_to_string(&contact)
        .unwrap()
        .replace("label: Mobile }", "}");
    fs::write(
        &contact,
        format!("{text}translations:\n  ur:\n    phone_labels: [دفتر, \"\"]\n"),
    )
    .unwrap();
    let out = orepress(root, &["check"]);
    assert!(out.status.success(), "{}", stderr(&out));
    // The same blanks against an original that says something are errors.
    fs::write(
        &deal,
        fs::read_to_string(&deal)
            .unwrap()
            .replace("[خریدار, \"\"]", "[\"\", \"\"]"),
    )
    .unwrap();
    let out = orepress(root, &["check"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("the `ur` translation of a party's role is empty"),
        "{}",
        stderr(&out)
    );
}
