//! Tests of the register's safety: where copies live, one writer at a time,
//! runs killed part-way, copies never overwritten, rows never lost or
//! reused unnoticed, spreadsheet formulas, and `--verify` on files that are
//! not what was issued.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::testsuite::common::*;
use crate::testsuite::copies::{copies, pdfs, recipients, register, sha, BRIEF};

fn folder(dir: &Path) -> PathBuf {
    dir.join("copies").join(BRIEF)
}

/// Starts `orepress copies BRIEF --recipients FILE` without waiting.
fn spawn_copies(dir: &Path, file: &str) -> Child {
    Command::new(env!("CARGO_BIN_EXE_orepress"))
        .args(["copies", BRIEF, "--recipients", file])
        .current_dir(dir)
        .env("SOURCE_DATE_EPOCH", "1764547200")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run orepress")
}

/// The register's rows, cells as they are in the file.
fn rows(dir: &Path) -> Vec<csv::StringRecord> {
    let text = register(dir);
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    assert_eq!(
        reader.headers().unwrap().iter().next_back(),
        Some("chain"),
        "{text}"
    );
    reader.records().map(Result::unwrap).collect()
}

/// Every numbered PDF in the register folder has its row, whose hash is
/// the file's; numbers are unique.
fn assert_every_copy_registered(dir: &Path, context: &str) {
    let rows = rows(dir);
    let mut numbers: Vec<&str> = rows.iter().map(|r| &r[0]).collect();
    numbers.sort();
    numbers.dedup();
    assert_eq!(numbers.len(), rows.len(), "{context}: numbers unique");
    for name in pdfs(&folder(dir)) {
        let row = rows
            .iter()
            .find(|r| r[8].ends_with(&format!("/{name}")))
            .unwrap_or_else(|| panic!("{context}: {name} has no register row"));
        assert_eq!(
            row[7],
            sha(&folder(dir).join(&name)),
            "{context}: hash of {name}"
        );
        assert!(
            name.starts_with(&row[0]),
            "{context}: {name} is copy {}",
            &row[0]
        );
    }
}

/// The names of `n` recipients, different for each `batch`.
fn batch(batch: usize, n: usize) -> String {
    std::iter::once("name,organisation\n".to_string())
        .chain((0..n).map(|i| format!("Investor {batch}-{i},Fund {batch}\n")))
        .collect()
}

#[test]
fn copies_live_in_the_project_not_in_output() {
    let dir = example();
    let out = copies(dir.path(), &[BRIEF, "--for", "Jane Doe, Acme Capital"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(pdfs(&folder(dir.path())), ["001-jane-doe-acme-capital.pdf"]);
    assert!(!dir.path().join("output").exists(), "nothing in output/");
    assert!(rows(dir.path())[0][8].eq("copies/antimony-opportunity/001-jane-doe-acme-capital.pdf"));
    // A build replaces output/ and leaves the copies alone.
    let before = snapshot(&dir.path().join("copies"));
    build(dir.path(), &[]);
    assert!(snapshot(&dir.path().join("copies")) == before);
    assert!(!dir.path().join("output/copies").exists());
    // `--out` no longer applies to copies.
    let out = copies(
        dir.path(),
        &[BRIEF, "--for", "Li Wei, Delta Fund", "--out", "elsewhere"],
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
}

#[test]
fn two_runs_at_once_lose_no_rows() {
    let dir = example();
    let mut expected = 0;
    for round in 0..3 {
        let a = recipients(dir.path(), &batch(2 * round, 3));
        let a_file = format!("a{round}.csv");
        fs::rename(dir.path().join(a), dir.path().join(&a_file)).unwrap();
        let b = recipients(dir.path(), &batch(2 * round + 1, 2));
        let b_file = format!("b{round}.csv");
        fs::rename(dir.path().join(b), dir.path().join(&b_file)).unwrap();
        let first = spawn_copies(dir.path(), &a_file);
        let second = spawn_copies(dir.path(), &b_file);
        for child in [first, second] {
            let out = child.wait_with_output().unwrap();
            assert!(out.status.success(), "round {round}: {}", stderr(&out));
        }
        expected += 5;
        let rows = rows(dir.path());
        assert_eq!(
            rows.len(),
            expected,
            "round {round}: {}",
            register(dir.path())
        );
        let numbers: Vec<String> = rows.iter().map(|r| r[0].to_string()).collect();
        let want: Vec<String> = (1..=expected).map(|n| format!("{n:03}")).collect();
        assert_eq!(numbers, want, "round {round}");
        assert_every_copy_registered(dir.path(), &format!("round {round}"));
        assert_eq!(pdfs(&folder(dir.path())).len(), expected);
    }
    // The register reads back whole: a later run adds to it.
    let out = copies(dir.path(), &[BRIEF, "--for", "Last One, Omega"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(register(dir.path())
        .lines()
        .last()
        .unwrap()
        .starts_with("016,"));
}

/// The names in a folder.
fn entries(folder: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(folder)
        .map(|d| {
            d.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

/// A small xorshift generator: reproducible kill times from a printed seed.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n.max(1)
    }
}

#[test]
fn a_killed_run_leaves_no_copy_without_its_row() {
    let dir = example();
    let seed = std::env::var("OREPRESS_KILL_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos() as u64
                | 1
        });
    let mut rng = Rng(seed);
    // How long a whole run takes here, to spread the kills over it.
    let file = recipients(dir.path(), &batch(0, 8));
    let start = Instant::now();
    let out = spawn_copies(dir.path(), &file).wait_with_output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let run = start.elapsed().as_micros() as u64;
    for kill in 1..=15 {
        let file = recipients(dir.path(), &batch(kill, 8));
        let before = entries(&folder(dir.path()));
        let mut child = spawn_copies(dir.path(), &file);
        // Half the kills at any moment of the run; half once it starts
        // writing files, where a kill does harm.
        let when = if kill % 2 == 0 {
            let delay = rng.below(run + run / 4);
            std::thread::sleep(Duration::from_micros(delay));
            format!("{delay} µs after the start")
        } else {
            // Until the folder changes, or the run ends without writing.
            while entries(&folder(dir.path())) == before && child.try_wait().unwrap().is_none() {
                std::thread::sleep(Duration::from_micros(50));
            }
            let delay = rng.below(3000);
            std::thread::sleep(Duration::from_micros(delay));
            format!("{delay} µs after it began writing")
        };
        let _ = child.kill(); // SIGKILL
        child.wait().unwrap();
        assert_every_copy_registered(
            dir.path(),
            &format!("kill {kill} {when} (OREPRESS_KILL_SEED={seed})"),
        );
    }
    // The next run finishes what a killed one left: every registered copy
    // is in place, and no half-written file remains.
    let file = recipients(dir.path(), &batch(99, 1));
    let out = copies(dir.path(), &[BRIEF, "--recipients", &file]);
    assert!(
        out.status.success(),
        "OREPRESS_KILL_SEED={seed}: {}",
        stderr(&out)
    );
    assert_every_copy_registered(dir.path(), &format!("OREPRESS_KILL_SEED={seed}"));
    let rows = rows(dir.path());
    assert_eq!(
        pdfs(&folder(dir.path())).len(),
        rows.len(),
        "OREPRESS_KILL_SEED={seed}"
    );
    let leftovers: Vec<String> = fs::read_dir(folder(dir.path()))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".partial") || n.contains(".tmp-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn reissuing_never_overwrites_the_file_that_was_sent() {
    let dir = example();
    let out = copies(dir.path(), &[BRIEF, "--for", "Jane Doe, Acme Capital"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let copy = folder(dir.path()).join("001-jane-doe-acme-capital.pdf");
    let sent = fs::read(&copy).unwrap();
    let reg = register(dir.path());

    // Different spelling of the same recipient: other bytes, same copy.
    let out = copies(dir.path(), &[BRIEF, "--for", "jane  doe, ACME CAPITAL"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("kept as it was sent"),
        "{}",
        stdout(&out)
    );
    assert_eq!(fs::read(&copy).unwrap(), sent, "the issued file is kept");

    // Another theme colour: the same version of the brief, other bytes.
    let site = dir.path().join("content/site.yaml");
    let text = fs::read_to_string(&site).unwrap();
    assert!(text.contains("#0f4c45"));
    fs::write(&site, text.replace("#0f4c45", "#123456")).unwrap();
    let out = copies(dir.path(), &[BRIEF, "--for", "Jane Doe, Acme Capital"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("kept as it was sent"),
        "{}",
        stdout(&out)
    );
    assert_eq!(fs::read(&copy).unwrap(), sent, "the issued file is kept");
    assert_eq!(register(dir.path()), reg);
    assert_eq!(pdfs(&folder(dir.path())).len(), 1);
}

#[test]
fn rows_removed_or_edited_by_hand_are_caught_and_numbers_not_reused() {
    let dir = example();
    let file = recipients(
        dir.path(),
        "name,organisation\nJane Doe,Acme\nLi Wei,Delta\nAna Ruiz,Gamma\n",
    );
    assert!(copies(dir.path(), &[BRIEF, "--recipients", &file])
        .status
        .success());
    let reg_path = folder(dir.path()).join("register.csv");
    let good = register(dir.path());
    let lines: Vec<&str> = good.lines().collect();
    let at = |line: usize| format!("copies/{BRIEF}/register.csv:{line}:");
    let cases: Vec<(&str, String, String)> = vec![
        (
            "last row deleted",
            format!("{}\n{}\n{}\n", lines[0], lines[1], lines[2]),
            at(3),
        ),
        (
            "middle row deleted",
            format!("{}\n{}\n{}\n", lines[0], lines[1], lines[3]),
            at(3),
        ),
        (
            "row edited",
            good.replacen(",Delta,", ",Delta Capital,", 1),
            at(3),
        ),
        (
            "chain column removed and a row edited",
            good.lines()
                .map(|l| l.rsplit_once(',').unwrap().0.to_string() + "\n")
                .collect::<String>()
                .replacen(",Gamma,", ",Gamma Partners,", 1),
            at(4),
        ),
    ];
    for (what, text, want) in &cases {
        fs::write(&reg_path, text).unwrap();
        let out = copies(dir.path(), &[BRIEF, "--for", "New Person, New Org"]);
        assert_eq!(out.status.code(), Some(1), "{what}: {}", stderr(&out));
        assert!(
            stderr(&out).contains(want.as_str()),
            "{what}: want {want} in {}",
            stderr(&out)
        );
        assert_eq!(
            &fs::read_to_string(&reg_path).unwrap(),
            text,
            "{what}: untouched"
        );
        assert_eq!(pdfs(&folder(dir.path())).len(), 3, "{what}: no copy made");
    }
    // `.last-number` deleted: a chained register no longer proves its end.
    fs::write(&reg_path, &good).unwrap();
    let last = folder(dir.path()).join(".last-number");
    let last_text = fs::read(&last).unwrap();
    fs::remove_file(&last).unwrap();
    let out = copies(dir.path(), &[BRIEF, "--for", "New Person, New Org"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains(".last-number"), "{}", stderr(&out));
    // The register deleted: the numbers issued are still known.
    fs::write(&last, &last_text).unwrap();
    fs::remove_file(&reg_path).unwrap();
    let out = copies(dir.path(), &[BRIEF, "--for", "Jane Doe, Acme"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("is missing, but copies up to No. 003 were issued"),
        "{}",
        stderr(&out)
    );
    assert!(!reg_path.exists());
    // Put back as it was, the register works again and numbers go on.
    fs::write(&reg_path, &good).unwrap();
    let out = copies(dir.path(), &[BRIEF, "--for", "New Person, New Org"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(register(dir.path())
        .lines()
        .last()
        .unwrap()
        .starts_with("004,New Person,"));
}

#[test]
fn the_next_number_survives_the_register_being_restored_without_its_end() {
    let dir = example();
    assert!(copies(dir.path(), &[BRIEF, "--for", "Jane Doe, Acme"])
        .status
        .success());
    assert!(copies(dir.path(), &[BRIEF, "--for", "Li Wei, Delta"])
        .status
        .success());
    let reg_path = folder(dir.path()).join("register.csv");
    let text = register(dir.path());
    let shortened: String = text.lines().take(2).map(|l| format!("{l}\n")).collect();
    fs::write(&reg_path, shortened).unwrap();
    fs::remove_file(folder(dir.path()).join("002-li-wei-delta.pdf")).unwrap();
    let out = copies(dir.path(), &[BRIEF, "--for", "Ana Ruiz, Gamma"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("copy No. 002 was issued"),
        "{}",
        stderr(&out)
    );
    assert!(!folder(dir.path()).join("002-ana-ruiz-gamma.pdf").exists());
}

#[test]
fn a_register_of_the_previous_format_is_read_and_continued() {
    let dir = example();
    let file = recipients(
        dir.path(),
        "name,organisation\nJane Doe,Acme\nLi Wei,Delta\n",
    );
    assert!(copies(dir.path(), &[BRIEF, "--recipients", &file])
        .status
        .success());
    // What the previous orepress left: no chain column, no `.last-number`,
    // the copies in output/copies/.
    let reg_path = folder(dir.path()).join("register.csv");
    let legacy: String = register(dir.path())
        .lines()
        .map(|l| l.rsplit_once(',').unwrap().0.to_string() + "\n")
        .collect();
    fs::write(&reg_path, &legacy).unwrap();
    fs::remove_file(folder(dir.path()).join(".last-number")).unwrap();
    let old = dir.path().join("output/copies").join(BRIEF);
    fs::create_dir_all(&old).unwrap();
    for name in pdfs(&folder(dir.path())) {
        fs::rename(folder(dir.path()).join(&name), old.join(&name)).unwrap();
    }

    let out = copies(dir.path(), &[BRIEF, "--for", "Ana Ruiz, Gamma"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let rows = rows(dir.path());
    assert_eq!(rows.len(), 3);
    assert_eq!((&rows[0][10], &rows[1][10]), ("", ""), "legacy rows");
    assert_eq!(rows[2][10].len(), 64, "the chain starts after them");
    assert!(rows[2][0].eq("003"));
    // The copies the previous orepress issued are carried over, unchanged.
    assert_eq!(pdfs(&folder(dir.path())).len(), 3);
    assert_every_copy_registered(dir.path(), "after the upgrade");
    // An edit to a legacy row now breaks the chain.
    let edited = register(dir.path()).replacen("Li Wei", "Li Wu", 1);
    fs::write(&reg_path, edited).unwrap();
    let out = copies(dir.path(), &[BRIEF, "--for", "Omar Khan, Sigma"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains(&format!("copies/{BRIEF}/register.csv:4:")),
        "{}",
        stderr(&out)
    );
}

#[test]
fn spreadsheet_formulas_in_names_are_neutralised() {
    let dir = example();
    let file = recipients(
        dir.path(),
        "name,organisation,email,note\n\"=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",-Acme,=cmd@evil.example,+1 call\n",
    );
    let out = copies(dir.path(), &[BRIEF, "--recipients", &file]);
    assert!(out.status.success(), "{}", stderr(&out));
    let rows = rows(dir.path());
    for cell in rows[0].iter() {
        assert!(
            !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
            "cell {cell:?} would run in a spreadsheet"
        );
    }
    assert_eq!(&rows[0][1], "'=HYPERLINK(\"http://x\",\"y\")");
    assert_eq!(&rows[0][2], "'-Acme");
    // An address may start with `=` (RFC 5322 allows it): neutralised too.
    assert_eq!(&rows[0][3], "'=cmd@evil.example");
    // Read back unchanged: the same recipient keeps the copy...
    let again = copies(dir.path(), &[BRIEF, "--recipients", &file]);
    assert!(again.status.success(), "{}", stderr(&again));
    assert!(
        stdout(&again).contains("0 new register entries"),
        "{}",
        stdout(&again)
    );
    // ...and verify names them as they were given.
    let copy = folder(dir.path()).join(&pdfs(&folder(dir.path()))[0]);
    let out = copies(dir.path(), &["--verify", copy.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("issued to =HYPERLINK(\"http://x\",\"y\"), -Acme on"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn usage_and_file_system_errors_exit_2() {
    let dir = example();
    let out = copies(dir.path(), &[BRIEF, "--recipients", "missing.csv"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("missing.csv"), "{}", stderr(&out));
    fs::create_dir(dir.path().join("list.csv")).unwrap();
    let out = copies(dir.path(), &[BRIEF, "--recipients", "list.csv"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let out = copies(dir.path(), &["--verify", "missing.pdf"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("missing.pdf"), "{}", stderr(&out));
    let out = copies(dir.path(), &["--verify", "content"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("is a folder"), "{}", stderr(&out));
    // A file far larger than any memo is refused unread (sparse: no disk used).
    let huge = dir.path().join("huge.pdf");
    fs::File::create(&huge)
        .unwrap()
        .set_len((64 << 20) + 1)
        .unwrap();
    let out = copies(dir.path(), &["--verify", "huge.pdf"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("larger than 64 MiB"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn verify_knows_a_copy_from_one_page_taken_out_of_it() {
    if !have("qpdf") {
        return;
    }
    let dir = example();
    let long_org = "Consolidated International Strategic and Critical Minerals Investment Holdings Partners Limited Partnership";
    let file = recipients(
        dir.path(),
        &format!("name,organisation\nJane Doe,Acme Capital\nLi Wei,Delta Fund\nMaximilian Alexander Fitzgerald-Montgomery,{long_org}\n"),
    );
    assert!(copies(dir.path(), &[BRIEF, "--recipients", &file])
        .status
        .success());
    let names = pdfs(&folder(dir.path()));
    for (name, who) in [
        (&names[1], "copy No. 002 of `antimony-opportunity`"),
        (&names[2], "copy No. 003 of `antimony-opportunity`"),
    ] {
        let copy = folder(dir.path()).join(name);
        let page2 = dir.path().join("page2.pdf");
        let status = Command::new("qpdf")
            .args(["--empty", "--pages"])
            .arg(&copy)
            .args(["2", "--"])
            .arg(&page2)
            .status()
            .unwrap();
        assert!(status.success());
        let out = copies(dir.path(), &["--verify", "page2.pdf"]);
        assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
        let said = stderr(&out);
        assert!(
            said.contains(&format!("this looks like {who}"))
                && said.contains("differs from what was issued"),
            "{name}: {said}"
        );
        if name.starts_with("002") {
            assert!(said.contains("Li Wei, Delta Fund on 2025-12-01"), "{said}");
        }
    }
    // A re-saved file (object streams, new layout) is known too.
    let status = Command::new("qpdf")
        .arg("--object-streams=generate")
        .arg(folder(dir.path()).join(&names[0]))
        .arg(dir.path().join("resaved.pdf"))
        .status()
        .unwrap();
    assert!(status.success());
    let out = copies(dir.path(), &["--verify", "resaved.pdf"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("copy No. 001") && stderr(&out).contains("Jane Doe, Acme Capital"),
        "{}",
        stderr(&out)
    );
}

/// A page taken out of an Urdu copy is known by its Urdu footer ("نسخہ
/// نمبر 002", extracted in visual order) and its recipient, even where an
/// English copy has the same number.
#[test]
fn verify_knows_an_urdu_copy_from_one_page_taken_out_of_it() {
    if !have("qpdf") {
        return;
    }
    let dir = example();
    let file = recipients(
        dir.path(),
        "name,organisation\nJane Doe,Acme Capital\nLi Wei,Delta Fund\n",
    );
    assert!(copies(dir.path(), &[BRIEF, "--recipients", &file])
        .status
        .success());
    let file = recipients(
        dir.path(),
        "name,organisation\nSana Mir,Indus Capital\nImran Qureshi,Karachi Growth Fund\n",
    );
    let out = copies(dir.path(), &[BRIEF, "--lang", "ur", "--recipients", &file]);
    assert!(out.status.success(), "{}", stderr(&out));
    let urdu = dir.path().join("copies/antimony-opportunity.ur");
    let second = pdfs(&urdu)
        .into_iter()
        .find(|n| n.starts_with("002"))
        .expect("copy 002");
    let page3 = dir.path().join("page3.pdf");
    let status = Command::new("qpdf")
        .args(["--empty", "--pages"])
        .arg(urdu.join(&second))
        .args(["3", "--"])
        .arg(&page3)
        .status()
        .unwrap();
    assert!(status.success());
    let out = copies(dir.path(), &["--verify", "page3.pdf"]);
    let said = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{said}");
    assert!(
        said.contains("this looks like copy No. 002 of `antimony-opportunity.ur`")
            && said.contains("Imran Qureshi, Karachi Growth Fund"),
        "{said}"
    );
}

/// The register folder may be any folder of the project but the project
/// folder itself and the folders orepress reads or replaces, however the
/// path is written (`./content` is `content`).
#[test]
fn register_dir_is_never_the_project_content_themes_or_templates() {
    let dir = fixture("minimal");
    let site = dir.path().join("content/site.yaml");
    let base = std::fs::read_to_string(&site).unwrap();
    let with = |value: &str| {
        let text = format!(
            "{}\ncopies:\n  register_dir: \"{value}\"\n",
            base.trim_end()
        );
        std::fs::write(&site, text).unwrap();
        let line = base.trim_end().lines().count() + 2;
        (orepress(dir.path(), &["check"]), line)
    };
    for bad in [
        ".",
        "./",
        "./content/x",
        "themes",
        "templates/c",
        "./output",
        ".output.staging-1",
    ] {
        let (out, line) = with(bad);
        assert_eq!(out.status.code(), Some(1), "{bad}: {}", stderr(&out));
        let want = format!(
            "content/site.yaml:{line}:3: register_dir `{bad}` must be a folder inside the project"
        );
        assert!(stderr(&out).contains(&want), "{bad}: {}", stderr(&out));
    }
    let (out, _) = with("./records/memos");
    assert!(out.status.success(), "{}", stderr(&out));
    let out = orepress(dir.path(), &["copies", "alpha", "--for", "Li Wei, Delta"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(dir
        .path()
        .join("records/memos/alpha/register.csv")
        .is_file());
}

/// A named pipe in place of the register or its lock: opening the lock
/// (a pipe) to write waited for ever for a reader. Both are refused at
/// once, by name, and no copy is made: a file-system error (exit 2) for
/// either.
#[cfg(unix)]
#[test]
fn pipes_in_the_register_folder_are_refused_without_waiting() {
    for (name, code) in [(".lock", 2), ("register.csv", 2)] {
        let dir = example();
        let out = copies(dir.path(), &[BRIEF, "--for", "Jane Doe, Acme Capital"]);
        assert!(out.status.success(), "{}", stderr(&out));
        let at = folder(dir.path()).join(name);
        let _ = fs::remove_file(&at);
        pipe_at(&at);
        let Some((status, err)) = run_within(
            dir.path(),
            &["copies", BRIEF, "--for", "Li Wei, Delta Fund"],
            Duration::from_secs(30),
        ) else {
            panic!("copies with a pipe at {name} ran past 30 s");
        };
        assert_eq!(status, code, "{name}: {err}");
        assert!(err.contains("a named pipe"), "{name}: {err}");
        assert!(
            err.contains(&format!("copies/{BRIEF}/{name}")),
            "{name}: {err}"
        );
        assert_eq!(
            pdfs(&folder(dir.path())),
            ["001-jane-doe-acme-capital.pdf"],
            "{name}: no new copy"
        );
    }
}
