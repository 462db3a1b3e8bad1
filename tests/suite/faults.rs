//! Faults and bad input, each a named case: concurrent writers, a kill in the
//! middle of an import, files that are not ours or are damaged, a full disk, and
//! imports that must be refused whole. After each, the data is what it was.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use chrono::{TimeZone, Utc};
use needlelog::app::App;
use needlelog::domain::Rules;
use needlelog::domain::time::Zone;
use needlelog::store::Store;

use crate::common;
use common::{BIN, ok, run};

const NOW: &str = "2026-11-24 09:00";

fn temp() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("needlelog.db");
    (dir, db)
}

/// The whole file as a JSON export: what "nothing changed" is checked against.
fn contents(db: &Path) -> String {
    ok(db, &["export", "--format", "json"])
}

fn assert_sound(db: &Path) {
    let out = ok(db, &["doctor"]);
    assert!(out.contains("integrity    ok") && out.contains("references   ok"), "{out}");
}

/// A file with a practitioner's history, and its JSON export.
fn large_export(dir: &Path, people: &str) -> (PathBuf, usize) {
    let source = dir.join("source.db");
    let r =
        run(&source, &["demo", "--people", people, "--years", "10", "--out", source.to_str().unwrap(), "--now", NOW]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let export = dir.join("export.json");
    ok(&source, &["export", "--format", "json", "-o", export.to_str().unwrap()]);
    let sessions = common::json(&source, &["list", "--json"]).as_array().map_or(0, Vec::len);
    (export, sessions)
}

#[test]
fn concurrent_writers_while_the_app_is_open() {
    let (_dir, db) = temp();
    ok(&db, &["course", "add", "--concern", "scars", "--area", "cheeks", "--now", "2026-01-01 09:00"]);
    let now = Utc.with_ymd_and_hms(2026, 11, 24, 9, 0, 0).unwrap();
    let mut app = App::new(Store::open(&db).unwrap(), Rules::embedded(), now, Zone::utc());
    assert!(app.sessions().is_empty());

    let children: Vec<_> = (1..=8)
        .map(|i| {
            let at = format!("2026-{i:02}-10 10:00");
            common::needlelog()
                .args(["--db", db.to_str().unwrap(), "log", "--course", "1", "--at", &at, "--now", NOW, "--notes"])
                .arg(format!("writer {i}"))
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for child in children {
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "a writer failed: {stderr}");
        assert!(!stderr.contains("locked"), "{stderr}");
    }

    app.check_external_changes();
    assert_eq!(app.sessions().len(), 8, "the open app shows every write");
    let notes: Vec<&str> = app.sessions().iter().map(|s| s.notes.as_str()).collect();
    for i in 1..=8 {
        assert!(notes.contains(&format!("writer {i}").as_str()), "{notes:?}");
    }
    assert_sound(&db);
}

#[test]
#[cfg_attr(not(debug_assertions), ignore = "the pause it kills the import at is in debug builds only")]
fn kill_during_a_large_import_leaves_nothing_half_done() {
    let (dir, db) = temp();
    let (export, total) = large_export(dir.path(), "40");
    assert!(total > 100, "{total} sessions");
    let before = contents(&db);
    let journal = dir.path().join("needlelog.db-journal");
    let paused = dir.path().join("paused");

    // The debug build's test hook stops the import halfway through its sessions,
    // inside its transaction, and says so with a file: kill it there.
    let mut child = common::needlelog()
        .args(["--db", db.to_str().unwrap(), "import", export.to_str().unwrap()])
        .env("NEEDLELOG_TEST_PAUSE", &paused)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while !paused.exists() {
        assert!(child.try_wait().unwrap().is_none(), "the import ended before its halfway point");
        assert!(start.elapsed() < Duration::from_secs(30), "the import never reached its halfway point");
        std::thread::sleep(Duration::from_millis(5));
    }
    assert!(journal.exists(), "halfway through, the import is writing");
    child.kill().unwrap();
    child.wait().unwrap();

    // Opening rolls the interrupted transaction back: nothing of it stays.
    assert_sound(&db);
    let sessions = common::json(&db, &["list", "--json"]).as_array().map_or(0, Vec::len);
    assert_eq!(sessions, 0, "half of {total} sessions were written when it was killed; none may stay");
    assert_eq!(contents(&db), before, "killed mid-write: exactly as before");
    // And the file takes writes again (a stale journal is cleared by the next one).
    ok(&db, &["person", "add", "After the crash"]);
    assert_sound(&db);
    assert!(!journal.exists());
}

#[test]
fn files_that_cannot_be_used_get_one_line_and_exit_1() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();

    // A file of ours, cut in half.
    let whole = d.join("whole.db");
    ok(&whole, &["course", "add", "--concern", "scars", "--area", "cheeks"]);
    for i in 0..150 {
        ok(&whole, &["log", "--at", &format!("-{}d", 200 + i), "--depth", "0.5", "--notes", &"x".repeat(200)]);
    }
    let bytes = fs::read(&whole).unwrap();
    let truncated = d.join("truncated.db");
    fs::write(&truncated, &bytes[..bytes.len() / 2]).unwrap();

    let empty = d.join("empty.db");
    fs::write(&empty, b"").unwrap();
    let random = d.join("random.db");
    fs::write(&random, (0..8192u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 11) as u8).collect::<Vec<u8>>()).unwrap();
    let other = d.join("other.db");
    rusqlite::Connection::open(&other)
        .unwrap()
        .execute_batch("CREATE TABLE photos (path TEXT); INSERT INTO photos VALUES ('a.jpg');")
        .unwrap();
    let newer = d.join("newer.db");
    ok(&newer, &["status"]);
    let next = needlelog::store::current_version() + 1;
    rusqlite::Connection::open(&newer).unwrap().pragma_update(None, "user_version", next).unwrap();
    let newer_message = format!("written by a newer needlelog (schema v{next}");
    let missing = d.join("no/such/folder/needlelog.db");

    let cases: [(&str, &Path, &str); 6] = [
        ("empty file", &empty, "the file is empty"),
        ("random bytes", &random, "not a SQLite database"),
        ("truncated database", &truncated, "the database is damaged"),
        ("another program's database", &other, "a SQLite database of another program"),
        ("newer schema", &newer, newer_message.as_str()),
        ("missing folder", &missing, "does not exist; create it or pick another --db"),
    ];
    for (name, path, wanted) in cases {
        let before = fs::read(path).ok();
        let r = run(path, &["status"]);
        assert_eq!(r.code, 1, "{name}: exit code, stderr {}", r.stderr);
        assert_eq!(r.stderr.lines().count(), 1, "{name}: one line: {}", r.stderr);
        assert!(r.stderr.contains(wanted), "{name}: {}", r.stderr);
        assert!(r.stderr.contains(&path.display().to_string()), "{name}: names the file: {}", r.stderr);
        assert_eq!(fs::read(path).ok(), before, "{name}: nothing overwritten");
        // A write is refused the same way.
        let r = run(path, &["person", "add", "Someone"]);
        assert_eq!(r.code, 1, "{name}: {}", r.stderr);
        assert_eq!(fs::read(path).ok(), before, "{name}: nothing written");
    }
    assert!(!missing.parent().unwrap().exists(), "no folder was made for a mistyped path");
}

#[test]
fn a_full_disk_is_reported_and_changes_nothing() {
    let (dir, db) = temp();
    let (export, _) = large_export(dir.path(), "150");
    ok(&db, &["course", "add", "--concern", "scars", "--area", "cheeks"]);
    ok(&db, &["log", "--depth", "0.5"]);
    let before = contents(&db);
    // The file may not grow past 200 KiB: writes fail as on a full disk.
    let script =
        format!("trap '' XFSZ; ulimit -f 200; exec {BIN} --db '{}' import '{}'", db.display(), export.display());
    let out = Command::new("bash").args(["-c", &script]).env("NEEDLELOG_NOW", common::FIXED_NOW).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("cannot write to") && stderr.contains("nothing was changed"), "{stderr}");
    assert_sound(&db);
    assert_eq!(contents(&db), before);
}

#[test]
fn imports_that_must_be_refused_whole() {
    let (dir, db) = temp();
    ok(&db, &["course", "add", "--concern", "scars", "--area", "cheeks"]);
    ok(&db, &["log", "--depth", "0.5"]);
    let before = contents(&db);
    let d = dir.path();

    let malformed = d.join("malformed.json");
    fs::write(&malformed, &before[..before.len() / 2]).unwrap();
    let wrong_version = d.join("version.json");
    fs::write(&wrong_version, before.replace("\"version\": 1", "\"version\": 2")).unwrap();
    let dangling = d.join("dangling.json");
    fs::write(&dangling, before.replacen("\"course_id\": 1", "\"course_id\": 99", 1)).unwrap();
    let garbage = d.join("garbage.bin");
    fs::write(&garbage, (0..50_000_000u32).map(|i| (i.wrapping_mul(2_246_822_519) >> 13) as u8).collect::<Vec<u8>>())
        .unwrap();
    let text_garbage = d.join("garbage.json");
    fs::write(&text_garbage, "[".repeat(50_000_000)).unwrap();
    let not_there = d.join("nope.json");

    let cases: [(&str, &Path, &str); 6] = [
        ("cut in half", &malformed, "not a complete needlelog JSON export: it ends early"),
        ("wrong version", &wrong_version, "export version 2 is not supported"),
        ("dangling reference", &dangling, "points to course 99, which is not in the file"),
        ("50 MB of binary garbage", &garbage, "not a needlelog JSON export"),
        ("50 MB of text garbage", &text_garbage, "not a needlelog JSON export"),
        ("missing file", &not_there, "cannot read"),
    ];
    for (name, file, wanted) in cases {
        let r = run(&db, &["import", file.to_str().unwrap()]);
        assert_eq!(r.code, 1, "{name}: {}", r.stderr);
        assert_eq!(r.stderr.lines().count(), 1, "{name}: {}", r.stderr);
        assert!(r.stderr.contains(wanted), "{name}: {}", r.stderr);
        assert_eq!(contents(&db), before, "{name}: nothing imported");
    }
}

#[test]
fn doctor_finds_a_damaged_file() {
    let (_dir, db) = temp();
    ok(&db, &["course", "add", "--concern", "scars", "--area", "cheeks"]);
    for i in 0..300 {
        ok(&db, &["log", "--at", &format!("-{}d", 400 + i), "--notes", &"note ".repeat(40)]);
    }
    let report = common::json(&db, &["doctor", "--json"]);
    assert_eq!(report["ok"], true);
    assert_eq!(report["sessions"], 300);
    // Scribble over pages across the middle of the file.
    let mut bytes = fs::read(&db).unwrap();
    let pages = bytes.len() / 4096;
    for page in (pages / 3..2 * pages / 3).step_by((pages / 12).max(1)) {
        for b in &mut bytes[page * 4096 + 100..page * 4096 + 2000] {
            *b = 0x5A;
        }
    }
    fs::write(&db, &bytes).unwrap();
    let r = run(&db, &["doctor"]);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert!(r.stderr.contains("the file has problems") || r.stderr.contains("damaged"), "{}", r.stderr);
}

#[test]
fn eight_first_runs_at_once_make_one_sound_file() {
    let (_dir, db) = temp();
    let children: Vec<_> = (0..8)
        .map(|i| {
            common::needlelog()
                .args(["--db", db.to_str().unwrap(), "person", "add", &format!("Client {i}")])
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
    let people = common::json(&db, &["person", "list", "--json"]);
    assert_eq!(people.as_array().map_or(0, Vec::len), 9, "Me and eight clients: {people}");
    assert_sound(&db);
}
