//! Copies that exist when needed: the daily copy and its rotation, backup and
//! restore, a damaged file that takes no writes, and salvage.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use crate::common;
use common::{json, ok, run};

fn temp() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("needlelog.db");
    (dir, db)
}

fn day(n: u32) -> String {
    let d = chrono::NaiveDate::from_ymd_opt(2026, 10, 1).unwrap() + chrono::Days::new(u64::from(n));
    format!("{d} 09:00")
}

/// A practitioner's file of about a thousand sessions, so a page in the middle
/// holds sessions. Returns how many.
pub(crate) fn with_sessions(db: &Path) -> usize {
    let r = run(
        db,
        &[
            "demo",
            "--people",
            "20",
            "--years",
            "10",
            "--seed",
            "1",
            "--out",
            db.to_str().unwrap(),
            "--now",
            "2026-11-20 09:00",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    json(db, &["list", "--json"]).as_array().unwrap().len()
}

#[test]
fn a_copy_a_day_seven_days_and_four_weeks_kept() {
    let (dir, db) = temp();
    ok(&db, &["person", "add", "Day 0", "--now", &day(0)]);
    for n in 1..40 {
        ok(&db, &["person", "add", &format!("Day {n}"), "--now", &day(n)]);
        // A second change the same day makes no second copy.
        ok(&db, &["person", "add", &format!("Day {n} again"), "--now", &day(n)]);
    }
    let copies = json(&db, &["backup", "list", "--json"]);
    let days: Vec<&str> = copies.as_array().unwrap().iter().map(|c| c["day"].as_str().unwrap()).collect();
    assert_eq!(days.len(), 11, "{days:?}");
    assert_eq!(days[0], "2026-11-09", "the newest is from the day's first change");
    let folder = dir.path().join("backups");
    assert_eq!(fs::metadata(&folder).unwrap().permissions().mode() & 0o777, 0o700);
    for c in copies.as_array().unwrap() {
        let path = c["path"].as_str().unwrap();
        assert_eq!(fs::metadata(path).unwrap().permissions().mode() & 0o777, 0o600, "{path}");
    }
    // Nothing changed: no new copy.
    let r = run(&db, &["backup", "--now", &day(40)]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("Copied") || r.stdout.contains("Nothing changed"), "{}", r.stdout);
}

/// The copy made before the day's first change holds the file as it was that
/// morning, whatever is done by hand later: a copy taken by hand has a name of
/// its own, `backup list` says which is which, and each keeps its hash beside it.
#[test]
fn a_copy_by_hand_never_replaces_the_days_before_copy() {
    let (dir, db) = temp();
    ok(&db, &["person", "add", "Yesterday", "--now", "2026-10-01 09:00"]);
    ok(&db, &["person", "add", "Morning", "--now", "2026-10-02 09:00"]);
    let before = dir.path().join("backups/needlelog-2026-10-02.db");
    let morning = fs::read(&before).unwrap();
    ok(&db, &["person", "add", "Evening", "--now", "2026-10-02 17:00"]);
    let said = ok(&db, &["backup", "--now", "2026-10-02 18:30"]);
    assert!(said.contains("needlelog-2026-10-02-183000-by-hand.db"), "{said}");
    assert_eq!(fs::read(&before).unwrap(), morning, "the day's before copy is untouched");
    let again = ok(&db, &["backup", "--now", "2026-10-02 18:45"]);
    assert!(again.contains("-184500-by-hand.db"), "each copy by hand is kept: {again}");
    let copies = json(&db, &["backup", "list", "--json"]);
    let kinds: Vec<(&str, &str)> =
        copies.as_array().unwrap().iter().map(|c| (c["day"].as_str().unwrap(), c["kind"].as_str().unwrap())).collect();
    assert_eq!(
        kinds,
        [
            ("2026-10-02", "by hand"),
            ("2026-10-02", "by hand"),
            ("2026-10-02", "before the day's first change"),
            ("2026-10-01", "before the day's first change")
        ]
    );
    let table = ok(&db, &["backup", "list"]);
    assert!(table.contains("by hand at 18:30") && table.contains("before the day's first change"), "{table}");
    let whole = dir.path().join("backups/needlelog-2026-10-02-183000-by-hand.db");
    assert!(table.contains(&whole.display().to_string()), "the name restore takes, whole: {table}");
    for c in copies.as_array().unwrap() {
        let hash = fs::read_to_string(format!("{}.sha256", c["path"].as_str().unwrap())).unwrap();
        assert_eq!(hash.len(), 64, "kept beside each copy");
    }
    // The next morning's first change: the newest copy (by hand) holds the same
    // bytes, so no copy is made twice; a real change the day after is copied.
    ok(&db, &["person", "add", "Next day", "--now", "2026-10-03 09:00"]);
    assert!(!dir.path().join("backups/needlelog-2026-10-03.db").exists());
    ok(&db, &["person", "add", "Day after", "--now", "2026-10-04 09:00"]);
    assert!(dir.path().join("backups/needlelog-2026-10-04.db").exists());
}

#[test]
fn a_copy_comes_back_and_the_file_it_replaces_is_kept() {
    let (dir, db) = temp();
    ok(&db, &["person", "add", "Ana"]);
    let copy = dir.path().join("copy.db");
    ok(&db, &["backup", "-o", copy.to_str().unwrap()]);
    assert_eq!(fs::metadata(&copy).unwrap().permissions().mode() & 0o777, 0o600);
    ok(&db, &["person", "add", "Ben"]);
    let r = run(&db, &["restore", copy.to_str().unwrap()]);
    assert_eq!(r.code, 2, "asks, or needs --yes: {}", r.stderr);
    let r = run(&db, &["restore", copy.to_str().unwrap(), "--yes", "--now", "2026-11-24 09:00"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let people = json(&db, &["person", "list", "--json"]);
    let names: Vec<&str> = people.as_array().unwrap().iter().map(|p| p["name"].as_str().unwrap()).collect();
    assert!(names.contains(&"Ana") && !names.contains(&"Ben"), "{names:?}");
    let aside = dir.path().join("needlelog.db.before-restore-20261124T090000");
    assert!(aside.exists(), "{}", r.stdout);
    // A file that is not a sound needlelog copy is refused, and nothing changes.
    let junk = dir.path().join("junk.db");
    fs::write(&junk, "not a database").unwrap();
    let before = fs::read(&db).unwrap();
    let r = run(&db, &["restore", junk.to_str().unwrap(), "--yes"]);
    assert_eq!(r.code, 1);
    assert_eq!(fs::read(&db).unwrap(), before);
}

/// Overwrites bytes in the middle of the file, as a failing disk would.
pub(crate) fn scribble(db: &Path) {
    let mut bytes = fs::read(db).unwrap();
    let middle = bytes.len() / 2 / 4096 * 4096;
    for b in &mut bytes[middle + 100..middle + 2000] {
        *b = 0x5A;
    }
    fs::write(db, &bytes).unwrap();
}

#[test]
fn a_damaged_file_takes_no_writes_and_names_the_copy_to_restore() {
    let (_dir, db) = temp();
    with_sessions(&db);
    ok(&db, &["person", "add", "Before the damage", "--now", "2026-11-23 09:00"]);
    scribble(&db);
    let before = fs::read(&db).unwrap();
    let r = run(&db, &["person", "add", "After the damage", "--now", "2026-11-24 09:00"]);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert!(r.stderr.contains("damaged"), "{}", r.stderr);
    assert!(r.stderr.contains("restore the copy of Mon 23 Nov 2026: needlelog --db"), "{}", r.stderr);
    assert_eq!(fs::read(&db).unwrap(), before, "byte for byte as it was");
}

#[test]
fn salvage_copies_what_can_still_be_read() {
    let (dir, db) = temp();
    let total = with_sessions(&db);
    // Damage across the file, its schema aside (without it nothing can be
    // read): a plain export can no longer read it.
    let schema: Vec<usize> = {
        let conn = rusqlite::Connection::open(&db).unwrap();
        let mut stmt = conn.prepare("SELECT pageno - 1 FROM dbstat WHERE name = 'sqlite_schema'").unwrap();
        stmt.query_map([], |r| r.get::<_, i64>(0)).unwrap().map(|p| usize::try_from(p.unwrap()).unwrap()).collect()
    };
    let mut bytes = fs::read(&db).unwrap();
    let pages = bytes.len() / 4096;
    for page in (pages / 4..pages).step_by((pages / 24).max(1)).filter(|p| !schema.contains(p)) {
        for b in &mut bytes[page * 4096 + 100..page * 4096 + 3000] {
            *b = 0x5A;
        }
    }
    fs::write(&db, &bytes).unwrap();
    let export = run(&db, &["export", "--format", "json"]);
    assert_eq!(export.code, 1, "the damage is real");
    let out = dir.path().join("salvaged.db");
    let r = run(&db, &["doctor", "--salvage", out.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("Salvaged into"), "{}", r.stdout);
    assert!(r.stdout.contains("Could not be read:"), "a damaged page loses its rows: {}", r.stdout);
    let saved = json(&out, &["list", "--json"]).as_array().unwrap().len();
    // Which pages the damage hits depends on the layout; most rows survive it.
    assert!(saved > total / 3 && saved < total, "{saved} of {total} sessions");
    ok(&out, &["doctor"]);
}

#[test]
fn the_trash_keeps_a_deleted_session_until_restored_or_old() {
    let (_dir, db) = temp();
    ok(&db, &["course", "add", "--concern", "scars", "--area", "cheeks", "--now", "2026-11-01 09:00"]);
    ok(&db, &["log", "--at", "2026-11-02 10:00", "--depth", "0.5", "--notes", "keep me", "--now", "2026-11-02 12:00"]);
    ok(&db, &["check", "post-no-swimming", "--session", "1", "--now", "2026-11-02 12:00"]);
    ok(&db, &["plan", "--at", "2026-12-01 10:00", "--now", "2026-11-02 12:00"]);
    let before = json(&db, &["list", "--json"]);
    // A planned session goes to the trash.
    let r = run(&db, &["rm", "2", "--yes", "--now", "2026-11-03 09:00"]);
    assert!(r.stdout.contains("to the trash; needlelog trash restore 1 brings it back"), "{}", r.stdout);
    assert_eq!(json(&db, &["list", "--json"]).as_array().unwrap().len(), 1);
    assert_eq!(json(&db, &["doctor", "--json"])["trashed"], 1);
    let listed = json(&db, &["trash", "list", "--json"]);
    assert_eq!(listed[0]["record_id"], 2);
    ok(&db, &["trash", "restore", "1"]);
    assert_eq!(json(&db, &["list", "--json"]), before, "notes, depths and all");
    // A done one is voided: kept, counted nowhere, listed only when asked.
    let r = run(&db, &["rm", "1", "--yes", "--now", "2026-11-03 09:00"]);
    assert!(r.stdout.contains("Voided session 1") && r.stdout.contains("trash restore 2"), "{}", r.stdout);
    assert_eq!(json(&db, &["list", "--json"]).as_array().unwrap().len(), 1);
    let all = json(&db, &["list", "--all", "--json"]);
    assert_eq!(all[1]["status"], "voided", "{all}");
    // Both in the trash, then thirty days pass: the day's first write empties
    // the planned one; the voided treatment stays.
    ok(&db, &["rm", "2", "--yes", "--now", "2026-11-03 09:00"]);
    ok(&db, &["person", "add", "Later", "--now", "2026-11-20 09:00"]);
    assert_eq!(json(&db, &["trash", "list", "--json"]).as_array().unwrap().len(), 2, "not yet");
    ok(&db, &["person", "add", "Much later", "--now", "2026-12-05 09:00"]);
    let left = json(&db, &["trash", "list", "--json"]);
    assert_eq!(left.as_array().unwrap().len(), 1, "older than 30 days: {left}");
    assert_eq!(left[0]["kind"], "void");
    // Emptied by hand on one's own file: only with a yes, and then for good.
    let r = run(&db, &["trash", "empty"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("without --yes"), "{}", r.stderr);
    ok(&db, &["trash", "empty", "--yes"]);
    assert_eq!(json(&db, &["list", "--all", "--json"]), serde_json::json!([]));
    let r = run(&db, &["trash", "empty", "--older-than", "nonsense"]);
    assert_eq!(r.code, 2);
}

#[test]
fn a_merge_brings_back_exactly_what_is_missing_and_names_conflicts() {
    let (dir, db) = temp();
    ok(&db, &["course", "add", "--concern", "scars", "--area", "cheeks", "--now", "2026-10-01 09:00"]);
    for day in ["2026-10-02", "2026-11-02", "2026-11-20"] {
        ok(
            &db,
            &["log", "--at", &format!("{day} 10:00"), "--depth", "0.5", "--notes", day, "--now", "2026-11-24 09:00"],
        );
    }
    ok(&db, &["check", "post-no-swimming", "--session", "2", "--now", "2026-11-24 09:00"]);
    let export = dir.path().join("old.json");
    ok(&db, &["export", "--format", "json", "-o", export.to_str().unwrap()]);
    let before = json(&db, &["list", "--json"]);
    // The session is deleted and the trash emptied: only the old export has it.
    ok(&db, &["rm", "2", "--yes"]);
    ok(&db, &["trash", "empty", "--yes"]);
    // A plain import refuses the whole file; a merge brings back that one session.
    assert_eq!(run(&db, &["import", export.to_str().unwrap()]).code, 1);
    let r = run(&db, &["import", "--merge", export.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("1 added") && r.stdout.contains("0 in conflict"), "{}", r.stdout);
    assert_eq!(json(&db, &["list", "--json"]), before, "exactly the one session, as it was");
    let again = run(&db, &["import", "--merge", export.to_str().unwrap()]);
    assert!(again.stdout.contains("0 added"), "{}", again.stdout);

    // A session changed since the export is a conflict: nothing merged, or the rest with --skip-conflicts.
    ok(&db, &["edit", "3", "--notes", "changed since"]);
    ok(&db, &["rm", "1", "--yes"]);
    ok(&db, &["trash", "empty", "--yes"]);
    let r = run(&db, &["import", "--merge", export.to_str().unwrap()]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("session 3: here with other notes"), "{}", r.stderr);
    assert!(r.stderr.contains("--skip-conflicts"), "{}", r.stderr);
    let r = run(&db, &["import", "--merge", "--skip-conflicts", export.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("1 added") && r.stdout.contains("1 in conflict"), "{}", r.stdout);
    let notes: Vec<String> = json(&db, &["list", "--json"])
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["notes"].as_str().unwrap().into())
        .collect();
    assert!(notes.contains(&"changed since".to_string()) && notes.contains(&"2026-10-02".to_string()), "{notes:?}");
}

/// A merge into an empty file builds its indexes once at the end, as an import
/// does: the file ends with every index a fresh file has, and sound.
#[test]
fn a_merge_into_an_empty_file_ends_with_every_index() {
    let (dir, db) = temp();
    ok(&db, &["course", "add", "--concern", "scars", "--area", "cheeks", "--now", "2026-10-01 09:00"]);
    ok(&db, &["log", "--at", "2026-10-02 10:00", "--depth", "0.5", "--now", "2026-11-24 09:00"]);
    let export = dir.path().join("e.json");
    ok(&db, &["export", "--format", "json", "-o", export.to_str().unwrap()]);
    let empty = dir.path().join("empty.db");
    let r = run(&empty, &["import", "--merge", export.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let indexes = |file: &Path| -> Vec<String> {
        let conn = rusqlite::Connection::open(file).unwrap();
        let mut stmt = conn
            .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name")
            .unwrap();
        stmt.query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect()
    };
    assert!(indexes(&empty).contains(&"sessions_by_course".to_string()));
    assert_eq!(indexes(&empty), indexes(&db));
    assert_eq!(json(&empty, &["list", "--json"]), json(&db, &["list", "--json"]));
    assert!(ok(&empty, &["doctor"]).contains("ok"));
}
