//! Tests of `orepress copies`: numbered personalised memos and the register.

use std::fs;
use std::path::Path;

use sha2::{Digest, Sha256};

use crate::testsuite::common::*;

pub(super) const BRIEF: &str = "antimony-opportunity";

pub(super) fn recipients(dir: &Path, body: &str) -> String {
    fs::write(dir.join("recipients.csv"), body).unwrap();
    "recipients.csv".into()
}

pub(super) fn copies(dir: &Path, args: &[&str]) -> std::process::Output {
    let mut all = vec!["copies"];
    all.extend_from_slice(args);
    std::process::Command::new(env!("CARGO_BIN_EXE_orepress"))
        .args(&all)
        .current_dir(dir)
        .env("SOURCE_DATE_EPOCH", "1764547200") // 2025-12-01
        .output()
        .unwrap()
}

pub(super) fn register(dir: &Path) -> String {
    fs::read_to_string(dir.join("copies").join(BRIEF).join("register.csv")).unwrap()
}

pub(super) fn sha(path: &Path) -> String {
    Sha256::digest(fs::read(path).unwrap())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The numbered copies in a register folder, sorted.
pub(super) fn pdfs(folder: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(folder)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".pdf") && n.as_bytes()[0].is_ascii_digit())
        .collect();
    names.sort();
    names
}

const THREE: &str = "name,organisation,email\nJane Doe,Acme Capital,jane@acme.example\nLi Wei,Delta Fund,\nJane Doe,Beta Partners,jd@beta.example\n";

#[test]
fn three_recipients_get_numbered_copies_and_a_register() {
    let dir = example();
    let file = recipients(dir.path(), THREE);
    let out = copies(dir.path(), &[BRIEF, "--recipients", &file]);
    assert!(out.status.success(), "{}", stderr(&out));

    let folder = dir.path().join("copies").join(BRIEF);
    let expected = [
        (
            "001-jane-doe-acme-capital.pdf",
            "Jane Doe, Acme Capital",
            "Copy No. 001",
        ),
        (
            "002-li-wei-delta-fund.pdf",
            "Li Wei, Delta Fund",
            "Copy No. 002",
        ),
        (
            "003-jane-doe-beta-partners.pdf",
            "Jane Doe, Beta Partners",
            "Copy No. 003",
        ),
    ];
    let reg = register(dir.path());
    let rows: Vec<&str> = reg.lines().skip(1).collect();
    assert_eq!(rows.len(), 3, "{reg}");
    for (i, (name, who, copy)) in expected.iter().enumerate() {
        let path = folder.join(name);
        assert!(path.is_file(), "{name}");
        // The register row names the recipient and holds the file's hash.
        let row = rows[i];
        assert!(row.starts_with(&format!("{:03},", i + 1)), "{row}");
        assert!(row.contains(&sha(&path)), "hash of {name} in {row}");
        assert!(row.contains(",2025-12-01,"), "issue date: {row}");
        if let Some(text) = pdftotext(&path, &[]) {
            let pages: Vec<&str> = text
                .split('\u{c}')
                .filter(|p| !p.trim().is_empty())
                .collect();
            assert!(pages.len() >= 4);
            // The cover keeps the whole contents list beside the
            // distribution box: nothing is cut to make room for it.
            let cover = flat(pages[0]);
            for section in [
                "Executive summary",
                "Risks",
                "Deal facts",
                "Contact",
                "Important notices",
            ] {
                assert!(
                    cover.contains(section),
                    "cover of {name} lists {section}: {cover}"
                );
            }
            for (n, page) in pages.iter().enumerate() {
                let flat = flat(page);
                assert!(flat.contains(who), "page {} of {name} names {who}", n + 1);
                let number = copy.trim_start_matches("Copy No. ");
                assert!(
                    flat.contains(copy) || flat.contains(&format!("COPY NO. {number}")),
                    "page {} of {name} has {copy}",
                    n + 1
                );
            }
        }
    }
    // The PDF's subject and keywords name the recipient.
    let pdf = lopdf::Document::load(folder.join(expected[1].0)).unwrap();
    let info = pdf
        .trailer
        .get(b"Info")
        .and_then(|o| o.as_reference())
        .and_then(|r| pdf.get_dictionary(r))
        .unwrap();
    let subject = lopdf::decode_text_string(info.get(b"Subject").unwrap()).unwrap();
    assert!(
        subject.contains("Li Wei, Delta Fund") && subject.contains("Copy No. 002"),
        "{subject}"
    );
}

#[test]
fn rerunning_changes_nothing_and_a_new_recipient_adds_one_row() {
    let dir = example();
    let file = recipients(dir.path(), THREE);
    assert!(copies(dir.path(), &[BRIEF, "--recipients", &file])
        .status
        .success());
    let before_reg = register(dir.path());
    let before = snapshot(&dir.path().join("copies"));

    let again = copies(dir.path(), &[BRIEF, "--recipients", &file]);
    assert!(again.status.success(), "{}", stderr(&again));
    assert_eq!(register(dir.path()), before_reg, "register unchanged");
    assert!(
        snapshot(&dir.path().join("copies")) == before,
        "files byte-identical"
    );

    let more = format!("{THREE}Ana Ruiz,Gamma Metals,\n");
    let file = recipients(dir.path(), &more);
    assert!(copies(dir.path(), &[BRIEF, "--recipients", &file])
        .status
        .success());
    let after = register(dir.path());
    assert!(after.starts_with(&before_reg), "append-only");
    assert_eq!(after.lines().count(), before_reg.lines().count() + 1);
    assert!(after
        .lines()
        .last()
        .unwrap()
        .starts_with("004,Ana Ruiz,Gamma Metals,"));

    // One recipient from the command line; a build keeps every copy.
    assert!(
        copies(dir.path(), &[BRIEF, "--for", "Omar Khan, Sigma Holdings"])
            .status
            .success()
    );
    assert!(register(dir.path())
        .lines()
        .last()
        .unwrap()
        .starts_with("005,Omar Khan,Sigma Holdings,"));
    let built = orepress(dir.path(), &["build", "--quiet"]);
    assert!(built.status.success());
    assert_eq!(pdfs(&dir.path().join("copies").join(BRIEF)).len(), 5);
    assert!(!dir.path().join("output/copies").exists());
}

#[test]
fn a_new_version_gets_a_new_row() {
    let dir = example();
    assert!(
        copies(dir.path(), &[BRIEF, "--for", "Jane Doe, Acme Capital"])
            .status
            .success()
    );
    let brief = dir
        .path()
        .join("content/briefs")
        .join(format!("{BRIEF}.md"));
    let text = fs::read_to_string(&brief).unwrap();
    fs::write(
        &brief,
        format!("{text}\nA paragraph added in a later version.\n"),
    )
    .unwrap();
    assert!(
        copies(dir.path(), &[BRIEF, "--for", "Jane Doe, Acme Capital"])
            .status
            .success()
    );
    let reg = register(dir.path());
    let rows: Vec<&str> = reg.lines().skip(1).collect();
    assert_eq!(rows.len(), 2);
    let version = |row: &str| row.split(',').nth(5).unwrap().to_string();
    assert_ne!(version(rows[0]), version(rows[1]));
    assert!(rows[1].starts_with("002,Jane Doe,Acme Capital,"));
}

#[test]
fn verify_identifies_a_copy_and_catches_an_altered_one() {
    let dir = example();
    let file = recipients(dir.path(), THREE);
    assert!(copies(dir.path(), &[BRIEF, "--recipients", &file])
        .status
        .success());
    let copy = dir
        .path()
        .join("copies")
        .join(BRIEF)
        .join("002-li-wei-delta-fund.pdf");
    let out = copies(dir.path(), &["--verify", copy.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let said = stdout(&out);
    assert!(
        said.contains("copy No. 002")
            && said.contains("Li Wei, Delta Fund")
            && said.contains("matches the register"),
        "{said}"
    );

    // Append bytes (as an editor saving the file would change it).
    let mut bytes = fs::read(&copy).unwrap();
    bytes.extend_from_slice(b"\n% edited\n");
    let altered = dir.path().join("altered.pdf");
    fs::write(&altered, bytes).unwrap();
    let out = copies(dir.path(), &["--verify", altered.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let said = stderr(&out);
    assert!(
        said.contains("copy No. 002") && said.contains("Li Wei") && said.contains("differ"),
        "{said}"
    );

    let memo = orepress(dir.path(), &["build", "--quiet", "--pdf-only"]);
    assert!(memo.status.success());
    let out = copies(
        dir.path(),
        &["--verify", "output/memos/antimony-opportunity.pdf"],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("is not a registered copy"));
}

#[test]
fn bad_input_fails_cleanly_and_leaves_the_register_alone() {
    let dir = example();
    let file = recipients(dir.path(), THREE);
    assert!(copies(dir.path(), &[BRIEF, "--recipients", &file])
        .status
        .success());
    let reg_path = dir.path().join("copies").join(BRIEF).join("register.csv");
    let before = fs::read(&reg_path).unwrap();

    let cases: &[(&str, &str, &str)] = &[
        ("empty.csv", "", "no recipients"),
        ("header-only.csv", "name,organisation\n", "no recipients"),
        (
            "ragged.csv",
            "name,organisation\nJane Doe,Acme\nLi Wei,Delta,extra\n",
            "ragged.csv:3:",
        ),
        (
            "dup.csv",
            "name,organisation\nJane Doe,Acme\nJANE DOE, acme\n",
            "dup.csv:3:1: duplicate recipient",
        ),
        (
            "typo.csv",
            "nmae,organisation\nJane,Acme\n",
            "did you mean `name`?",
        ),
        (
            "bad.yaml",
            "- name: Jane\n  organisaton: Acme\n",
            "bad.yaml:2:",
        ),
    ];
    for (name, body, want) in cases {
        fs::write(dir.path().join(name), body).unwrap();
        let out = copies(dir.path(), &[BRIEF, "--recipients", name]);
        assert_eq!(out.status.code(), Some(1), "{name}: {}", stderr(&out));
        assert!(
            stderr(&out).contains(want),
            "{name}: want {want:?} in {}",
            stderr(&out)
        );
        assert!(!stderr(&out).contains("panicked"));
        assert_eq!(
            fs::read(&reg_path).unwrap(),
            before,
            "{name} left the register alone"
        );
    }

    // A list far too large to be one (sparse: no disk used) is refused by
    // its size before it is read, in words that fit a recipients list.
    let huge = dir.path().join("huge.csv");
    fs::File::create(&huge).unwrap().set_len(2 << 30).unwrap();
    let out = copies(dir.path(), &[BRIEF, "--recipients", "huge.csv"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains(
            "huge.csv: file is too large (2147483648 bytes; orepress reads text files of 8 MiB at most)"
        ),
        "{}",
        stderr(&out)
    );
    assert_eq!(fs::read(&reg_path).unwrap(), before);

    let out = copies(dir.path(), &["antimony-oportunity", "--recipients", &file]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("unknown brief `antimony-oportunity`")
            && stderr(&out).contains("did you mean `antimony-opportunity`?"),
        "{}",
        stderr(&out)
    );

    // A register edited by hand into an invalid state is refused, unchanged.
    let broken = String::from_utf8(before.clone())
        .unwrap()
        .replacen("002,", "two,", 1);
    fs::write(&reg_path, &broken).unwrap();
    let out = copies(dir.path(), &[BRIEF, "--for", "New Person, New Org"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains(&format!("copies/{BRIEF}/register.csv:3:")),
        "{}",
        stderr(&out)
    );
    assert_eq!(fs::read_to_string(&reg_path).unwrap(), broken);
}

#[test]
fn progress_counts_every_copy_and_stays_off_a_pipe() {
    let dir = example();
    let file = recipients(dir.path(), THREE);
    let seen = std::sync::Mutex::new(Vec::new());
    let opts = orepress::copies::CopiesOptions {
        root: dir.path().to_path_buf(),
        brief: BRIEF.into(),
        lang: None,
        recipients: orepress::copies::Recipients::File(dir.path().join(file)),
        date: None,
    };
    let report = orepress::copies::make_with_progress(&opts, &|done, total| {
        seen.lock().unwrap().push((done, total));
    })
    .unwrap();
    assert_eq!(report.new_rows, 3);
    let mut seen = seen.into_inner().unwrap();
    seen.sort();
    assert_eq!(seen, [(1, 3), (2, 3), (3, 3)]);
    // The command line draws progress only on a terminal.
    let many: String = std::iter::once("name,organisation\n".to_string())
        .chain((0..25).map(|i| format!("Investor {i},Fund {i}\n")))
        .collect();
    let file = recipients(dir.path(), &many);
    let out = copies(dir.path(), &[BRIEF, "--recipients", &file]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!stderr(&out).contains("Typesetting"), "{}", stderr(&out));
}

/// Copies of a memo with a photograph carry the photo downsampled once for
/// the run: the same image bytes in every copy and in the built memo, and
/// every copy still verifies.
#[test]
fn copies_share_one_downsampled_photo_and_verify() {
    let dir = example();
    let photo = crate::testsuite::memo::photo_jpeg(2000, 1500);
    fs::write(dir.path().join("content/assets/photo.jpg"), &photo).unwrap();
    let brief = dir.path().join(format!("content/briefs/{BRIEF}.md"));
    let text = fs::read_to_string(&brief).unwrap();
    fs::write(
        &brief,
        format!("{text}\n\n![A mine site](../assets/photo.jpg)\n"),
    )
    .unwrap();
    let file = recipients(dir.path(), THREE);
    let out = copies(dir.path(), &[BRIEF, "--recipients", &file]);
    assert!(out.status.success(), "{}", stderr(&out));
    build(dir.path(), &["--pdf-only"]);

    let image = |path: &Path| -> Vec<u8> {
        let pdf = lopdf::Document::load(path).unwrap();
        let images: Vec<Vec<u8>> = pdf
            .objects
            .values()
            .filter_map(|o| o.as_stream().ok())
            .filter(|s| s.dict.get(b"Subtype").and_then(|t| t.as_name()).ok() == Some(b"Image"))
            .map(|s| s.content.clone())
            .collect();
        assert_eq!(images.len(), 1, "{}", path.display());
        images.into_iter().next().unwrap()
    };
    let memo = image(&dir.path().join(format!("output/memos/{BRIEF}.pdf")));
    assert!(
        memo.starts_with(&[0xFF, 0xD8]) && memo != photo,
        "downsampled"
    );
    let folder = dir.path().join("copies").join(BRIEF);
    let names = pdfs(&folder);
    assert_eq!(names.len(), 3);
    for name in names {
        let copy = folder.join(&name);
        assert!(image(&copy) == memo, "{name} embeds the memo's picture");
        let out = copies(dir.path(), &["--verify", copy.to_str().unwrap()]);
        assert!(out.status.success(), "{name}: {}", stderr(&out));
    }
}

#[test]
fn copies_of_the_urdu_translation_have_their_own_register_and_urdu_labels() {
    let dir = example();
    let file = recipients(dir.path(), THREE);
    // The brief as written first: its numbers are not the translation's.
    let out = copies(dir.path(), &[BRIEF, "--recipients", &file]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = copies(dir.path(), &[BRIEF, "--lang", "ur", "--recipients", &file]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("Copy 001  Jane Doe, Acme Capital  (new)"));
    let key = format!("{BRIEF}.ur");
    let folder = dir.path().join("copies").join(&key);
    assert_eq!(
        pdfs(&folder),
        [
            "001-jane-doe-acme-capital.pdf",
            "002-li-wei-delta-fund.pdf",
            "003-jane-doe-beta-partners.pdf"
        ]
    );
    let reg = fs::read_to_string(folder.join("register.csv")).unwrap();
    assert!(
        reg.starts_with(
            "copy,recipient,organisation,email,brief,version,issued,sha256,file,note,chain\n"
        ),
        "{reg}"
    );
    assert_eq!(reg.matches(&format!(",{key},")).count(), 3, "{reg}");
    // The brief's own register is as it was.
    assert_eq!(
        register(dir.path()).matches(&format!(",{BRIEF},")).count(),
        3
    );

    // `<slug>.ur` is the same memo: the same recipient keeps its number.
    let out = copies(dir.path(), &[&key, "--for", "Sana Mir, Indus Capital"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("Copy 004  Sana Mir, Indus Capital  (new)"),
        "{}",
        stdout(&out)
    );
    let out = copies(
        dir.path(),
        &[&key, "--lang", "ur", "--for", "Sana Mir, Indus Capital"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("Copy 004  Sana Mir, Indus Capital  (already issued"));

    // The cover box and the footer speak Urdu.
    let copy = folder.join("004-sana-mir-indus-capital.pdf");
    if let Some(text) = pdftotext(&copy, &["-f", "1", "-l", "1"]) {
        let text = text.replace(
            |c| ('\u{202A}'..='\u{202E}').contains(&c) || c == '\u{200E}' || c == '\u{200F}',
            "",
        );
        assert!(text.contains("برائے"), "{text}");
        assert!(text.contains("نسخہ نمبر"), "{text}");
        assert!(text.contains("Sana Mir, Indus Capital"), "{text}");
        assert!(!text.contains("PREPARED FOR"), "{text}");
    }
    let out = copies(dir.path(), &["--verify", copy.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains(&format!("copy No. 004 of `{key}`")),
        "{}",
        stdout(&out)
    );

    // A language the brief has no translation into, or two that disagree.
    let out = copies(dir.path(), &[BRIEF, "--lang", "fr", "--for", "X"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("has no `fr` translation"),
        "{}",
        stderr(&out)
    );
    let out = copies(dir.path(), &[&key, "--lang", "en", "--for", "X"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
}

/// Numbered copies differ only where they are personal: each body page is
/// the recipient's page furniture (watermark, running header and footer)
/// in one content stream and the body, byte for byte the same in every
/// copy, in a second, which copies deflate once.
#[test]
fn copies_differ_only_in_their_personal_content() {
    let dir = example();
    let file = recipients(dir.path(), THREE);
    let out = copies(dir.path(), &[BRIEF, "--recipients", &file]);
    assert!(out.status.success(), "{}", stderr(&out));
    let folder = dir.path().join("copies").join(BRIEF);
    let names = pdfs(&folder);
    assert_eq!(names.len(), 3);
    let a = page_streams(&folder.join(&names[0]));
    let b = page_streams(&folder.join(&names[1]));
    assert_eq!(a.len(), b.len());
    assert!(a.len() >= 4);
    // The cover is all personal: one stream, naming its recipient.
    assert_eq!(a[0].len(), 1);
    assert_ne!(a[0], b[0]);
    for (n, (pa, pb)) in a.iter().zip(&b).enumerate().skip(1) {
        assert_eq!(pa.len(), 2, "page {}: personal and shared streams", n + 1);
        assert_ne!(pa[0], pb[0], "page {}: the personal parts differ", n + 1);
        assert_eq!(
            pa[1],
            pb[1],
            "page {}: the shared parts are the same",
            n + 1
        );
        // The shared part draws the body's text: marked content with
        // MCIDs, no artifact of the page furniture left open into it.
        let text = String::from_utf8_lossy(&pa[1]);
        assert!(text.contains("/MCID 0"), "page {}: {text:.200}", n + 1);
        let opens = text.matches(" BDC").count();
        let closes = text.matches("EMC").count();
        assert_eq!(opens, closes, "page {}: balanced marked content", n + 1);
    }
}

#[test]
fn a_recipients_file_saved_by_excel_is_reported_at_its_own_lines() {
    let dir = example();
    // Excel ends lines with \r\n; a quoted cell may hold a line break.
    let file = recipients(
        dir.path(),
        "name,organisation\r\nJane Doe,Acme Capital\r\n\"Li\r\nWei\",Delta\r\n,Empty Name Fund\r\nJane Doe,Acme Capital\r\nA,B,C\r\n",
    );
    let out = copies(dir.path(), &[BRIEF, "--recipients", &file]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    for line in [
        "recipients.csv:5:1: recipient has no name",
        "recipients.csv:6:1: duplicate recipient `Jane Doe, Acme Capital`",
        "already listed on line 2",
        "recipients.csv:7:1: this row has 3 fields but the header has 2",
    ] {
        assert!(err.contains(line), "no `{line}` in:\n{err}");
    }
    assert!(!dir.path().join("copies").exists(), "nothing is written");
}

/// A name printed on every page must show: one of only invisible
/// characters (a zero-width space) or holding a control character is
/// refused; a line break or tab in a cell is read as a space.
#[test]
fn a_recipient_name_that_would_not_show_is_refused_and_line_breaks_are_spaces() {
    let dir = example();
    let file = recipients(
        dir.path(),
        "name,organisation\n\u{200B}\u{2060},Acme\nLi Wei,Delta\n",
    );
    let out = copies(dir.path(), &[BRIEF, "--recipients", &file]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("recipients.csv:2:1: the recipient's name has no visible letter"),
        "{err}"
    );
    for (who, says) in [
        (
            "\u{FEFF}, Acme",
            "--for: the recipient's name has no visible letter",
        ),
        (
            "Li\u{1}Wei, Acme",
            "--for: the recipient's name holds the control character U+0001",
        ),
    ] {
        let out = copies(dir.path(), &[BRIEF, "--for", who]);
        assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
        assert!(stderr(&out).contains(says), "{}", stderr(&out));
    }
    assert!(!dir.path().join("copies").exists(), "nothing is written");

    let file = recipients(
        dir.path(),
        "name,organisation\n\"Li\r\n  Wei\",\"Delta\tFund\"\n",
    );
    let out = copies(dir.path(), &[BRIEF, "--recipients", &file]);
    assert!(out.status.success(), "{}", stderr(&out));
    let register =
        std::fs::read_to_string(dir.path().join(format!("copies/{BRIEF}/register.csv"))).unwrap();
    assert!(register.contains("Li Wei,Delta Fund"), "{register}");
}

#[test]
fn a_recipient_longer_than_a_business_card_is_refused() {
    let dir = example();
    let long = "Jane ".repeat(60);
    let file = recipients(
        dir.path(),
        &format!("name,organisation\nLi Wei,Delta\n{},Acme\n", long.trim()),
    );
    let out = copies(dir.path(), &[BRIEF, "--recipients", &file]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains(
            "recipients.csv:3:1: the recipient's name is 299 characters long; at most 200 are allowed"
        ),
        "{}",
        stderr(&out)
    );
    let out = copies(
        dir.path(),
        &[BRIEF, "--for", &format!("Li Wei, {}", "Fund ".repeat(50))],
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("--for: the recipient's organisation is 249 characters long"),
        "{}",
        stderr(&out)
    );
    assert!(!dir.path().join("copies").exists(), "nothing is written");
}
