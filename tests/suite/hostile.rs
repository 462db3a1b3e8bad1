//! Hostile files and input: every import bounded by the same checks as typed input,
//! and rows that got into a file anyway are found by `doctor` and mended by
//! `doctor --fix` — never a crash.

use std::fs;
use std::path::{Path, PathBuf};

use crate::common;
use common::{json, ok, run};

fn temp() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("needlelog.db");
    (dir, db)
}

/// A small file: one course, one session, and its JSON export.
fn exported(db: &Path) -> serde_json::Value {
    ok(db, &["course", "add", "--concern", "scars", "--area", "cheeks", "--now", "2026-11-01 09:00"]);
    ok(db, &["log", "--at", "2026-11-20 10:00", "--depth", "0.5", "--now", "2026-11-24 09:00"]);
    json(db, &["export", "--format", "json"])
}

/// A change made to an export to make it hostile.
type Change = Box<dyn Fn(&mut serde_json::Value)>;

#[test]
fn imports_are_bounded_like_typed_input() {
    let (dir, source) = temp();
    let doc = exported(&source);
    let cases: Vec<(&str, Change, &str)> = vec![
        (
            "a window of a million years",
            Box::new(|d| {
                d["custom_items"] = serde_json::json!([{ "id": 1, "course_id": 1, "phase": "post",
                    "text": "Ice", "from_hours": 0, "to_hours": 1_000_000_000_000i64 }]);
            }),
            "within a year of the session",
        ),
        ("the largest id", Box::new(|d| d["courses"][0]["id"] = 9_223_372_036_854_775_807i64.into()), "out of range"),
        ("a long name", Box::new(|d| d["people"][0]["name"] = "x".repeat(10_000).into()), "at most 80"),
        ("a NUL in a name", Box::new(|d| d["people"][0]["name"] = "Eve\u{0}".into()), "control character"),
        (
            "an area three times",
            Box::new(|d| d["courses"][0]["areas"] = serde_json::json!(["cheeks", "cheeks", "cheeks"])),
            "named twice",
        ),
        (
            "a depth for an area the course does not cover",
            Box::new(|d| d["sessions"][0]["depths"] = serde_json::json!([{ "area": "neck", "mm": 0.5 }])),
            "not an area of this course",
        ),
        ("year 0000", Box::new(|d| d["sessions"][0]["at"] = "0000-11-20T10:00:00+00:00".into()), "year from 1900"),
        ("start in year -1", Box::new(|d| d["courses"][0]["started_on"] = "-0001-01-01".into()), "year from 1900"),
        ("an offset of a day", Box::new(|d| d["sessions"][0]["at"] = "2026-11-20T10:00:00+23:59".into()), "from UTC"),
        ("a note of 70 KB", Box::new(|d| d["sessions"][0]["notes"] = "x".repeat(70_000).into()), "under 64 KB"),
    ];
    for (name, change, wanted) in cases {
        let (_keep, db) = temp();
        ok(&db, &["person", "list"]);
        let mut bad = doc.clone();
        change(&mut bad);
        let file = dir.path().join("bad.json");
        fs::write(&file, bad.to_string()).unwrap();
        let r = run(&db, &["import", file.to_str().unwrap()]);
        assert_eq!(r.code, 1, "{name}: {}{}", r.stdout, r.stderr);
        assert_eq!(r.stderr.lines().count(), 1, "{name}: {}", r.stderr);
        assert!(r.stderr.contains(wanted), "{name}: {}", r.stderr);
        assert_eq!(json(&db, &["list", "--json"]), serde_json::json!([]), "{name}: nothing imported");
    }
}

#[test]
fn typed_input_is_bounded_too() {
    let (_dir, db) = temp();
    exported(&db);
    for (args, wanted) in [
        (vec!["log", "--at", "-2026-11-20 10:00", "--depth", "0.5"], "is not a date needlelog keeps"),
        (vec!["--now", "+20000-01-01", "log", "--depth", "0.5"], "is not a date needlelog keeps"),
        (vec!["log", "--depth", "cheeks=1,cheeks=2"], "cheeks has two depths"),
        (vec!["log", "--depth", "neck=1"], "not an area of this course"),
        (vec!["person", "add", "Eve\u{1b}]0;pwned\u{7}"], "control character"),
    ] {
        let before = json(&db, &["export", "--format", "json"]);
        let r = run(&db, &args);
        assert!(r.code == 1 || r.code == 2, "{args:?}: {}", r.stderr);
        assert!(r.stderr.contains(wanted), "{args:?}: {}", r.stderr);
        assert!(!r.stderr.contains("Conversion error") && !r.stderr.contains("UNIQUE"), "{}", r.stderr);
        assert_eq!(json(&db, &["export", "--format", "json"]), before, "{args:?}: nothing written");
    }
}

#[test]
fn rows_out_of_bounds_are_found_and_mended_by_doctor() {
    let (_dir, db) = temp();
    exported(&db);
    // Rows written before the bounds existed (or by hand, past the triggers).
    let conn = rusqlite::Connection::open(&db).unwrap();
    let trigger: String =
        conn.query_row("SELECT sql FROM sqlite_schema WHERE name = 'sessions_at_insert'", [], |r| r.get(0)).unwrap();
    conn.execute_batch("DROP TRIGGER sessions_at_insert").unwrap();
    conn.execute_batch(
        "INSERT INTO custom_items (id, course_id, phase, text, from_hours, to_hours)
             VALUES (7, 1, 'post', 'Ice', 0, 1000000000000);
         INSERT INTO checklist_ticks (session_id, item_id, ticked_at) VALUES (1, 'custom-7', '2026-11-20T11:00:00Z');
         INSERT INTO courses (id, person_id, concern, areas, sessions_target, interval_min_days, interval_max_days,
             maintenance_min_months, maintenance_max_months, device, status, started_on, notes)
           SELECT 9223372036854775807, person_id, concern, areas, sessions_target, interval_min_days,
             interval_max_days, maintenance_min_months, maintenance_max_months, device, status, started_on, 'big'
           FROM courses WHERE id = 1;
         INSERT INTO sessions (course_id, at_utc, utc_offset, status, device, photos, notes)
           VALUES (1, '-2026-11-20T10:00:00Z', 0, 'done', 'pen', '[]', 'typo');",
    )
    .unwrap();
    conn.execute_batch(&trigger).unwrap();
    // The file itself refuses such an instant now.
    let refused = conn.execute(
        "INSERT INTO sessions (course_id, at_utc, utc_offset, status, device, photos, notes)
           VALUES (1, '+10000-01-01T00:00:00Z', 0, 'done', 'pen', '[]', '')",
        [],
    );
    assert!(refused.unwrap_err().to_string().contains("not an instant needlelog writes"));
    drop(conn);

    // Nothing panics on them, and an unreadable row does not take a command down.
    let status = run(&db, &["status", "--now", "2026-11-21 09:00"]);
    assert_eq!(status.code, 0, "{}", status.stderr);
    for args in [&["list"][..], &["list", "--json"], &["course", "show", "1"], &["export", "--format", "csv"]] {
        let r = run(&db, args);
        assert_eq!(r.code, 0, "{args:?}: {}", r.stderr);
        assert!(r.stderr.contains("session 2 was left out: its at_utc cannot be read"), "{args:?}: {}", r.stderr);
    }
    let r = run(&db, &["rm", "2", "--yes"]);
    assert!(r.stderr.contains("doctor --fix") && !r.stderr.contains("Conversion error"), "{}", r.stderr);

    let r = run(&db, &["doctor"]);
    assert_eq!(r.code, 1);
    assert!(r.stdout.contains("own checklist item 7: a window from 0 h to 1000000000000 h"), "{}", r.stdout);
    assert!(r.stdout.contains("course 9223372036854775807: an id too large"), "{}", r.stdout);
    assert!(r.stdout.contains("dated -2026-11-20T10:00:00Z"), "{}", r.stdout);
    assert!(r.stderr.contains("doctor --fix mends them"), "{}", r.stderr);

    let fixed = run(&db, &["doctor", "--fix"]);
    assert_eq!(fixed.code, 0, "{}{}", fixed.stdout, fixed.stderr);
    assert!(fixed.stdout.contains("renumbered"), "{}", fixed.stdout);
    assert!(fixed.stdout.contains("removed"), "{}", fixed.stdout);
    assert!(fixed.stdout.contains("values       ok"), "{}", fixed.stdout);

    // The file takes writes again, and the renumbered course kept its notes.
    ok(&db, &["course", "add", "--concern", "scars", "--area", "nose"]);
    let courses = json(&db, &["course", "list", "--all", "--json"]);
    assert_eq!(courses.as_array().unwrap().len(), 3, "{courses}");
    ok(&db, &["status"]);
    assert_eq!(json(&db, &["list", "--json"]).as_array().unwrap().len(), 1, "the typo session is gone");
}

#[test]
fn an_export_never_overwrites_the_database_or_a_file_unasked() {
    let (dir, db) = temp();
    exported(&db);
    let before = fs::read(&db).unwrap();
    let r = run(&db, &["export", "--format", "csv", "-o", db.to_str().unwrap()]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("is the database itself"), "{}", r.stderr);
    // The same file by another name.
    let alias = dir.path().join("alias.db");
    std::os::unix::fs::symlink(&db, &alias).unwrap();
    let r = run(&db, &["export", "--format", "csv", "-o", alias.to_str().unwrap(), "--force"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert_eq!(fs::read(&db).unwrap(), before, "the database is untouched");

    let out = dir.path().join("out.csv");
    fs::write(&out, "mine").unwrap();
    let r = run(&db, &["export", "--format", "csv", "-o", out.to_str().unwrap()]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("exists: add --force"), "{}", r.stderr);
    assert_eq!(fs::read_to_string(&out).unwrap(), "mine");
    let r = run(&db, &["export", "--format", "csv", "-o", out.to_str().unwrap(), "--force"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.starts_with("Exported 1 session to "), "{}", r.stdout);
    assert!(r.stderr.is_empty(), "success is not a warning: {}", r.stderr);
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(fs::metadata(&out).unwrap().permissions().mode() & 0o777, 0o600, "health data stays private");

    // A symlink planted at the old temporary name is left alone.
    let victim = dir.path().join("victim");
    fs::write(&victim, "keep").unwrap();
    let json_out = dir.path().join("out.json");
    std::os::unix::fs::symlink(&victim, dir.path().join("out.json.partial")).unwrap();
    ok(&db, &["export", "--format", "json", "-o", json_out.to_str().unwrap()]);
    assert_eq!(fs::read_to_string(&victim).unwrap(), "keep");
    assert!(fs::read_to_string(&json_out).unwrap().contains("\"format\": \"needlelog\""));
}

#[test]
fn small_ones_each_get_a_plain_answer() {
    let (dir, db) = temp();
    exported(&db);

    // --db on a FIFO is refused at once instead of blocking.
    let fifo = dir.path().join("fifo");
    assert!(std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    let out = common::within(10, common::needlelog().arg("--db").arg(&fifo).arg("status"));
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a regular file"));

    // No control characters reach a calendar (RFC 5545 TEXT), even from an old file.
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute("UPDATE sessions SET notes = 'a\u{1b}[2Jb\u{b}c\u{7f}d'", []).unwrap();
    drop(conn);
    let ics = ok(&db, &["export", "--format", "ics", "--now", "2026-11-24 09:00"]);
    assert!(ics.contains("a[2Jbcd"), "{ics}");
    assert!(!ics.replace("\r\n", "").chars().any(|c| c.is_control()), "control characters in the calendar");

    // --limit 0 is not "no sessions yet".
    let r = run(&db, &["list", "--limit", "0"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    // Concerns read like areas, whatever the case.
    ok(&db, &["course", "add", "--concern", "SCARS", "--area", "NOSE"]);
    // Notes keep line breaks and tabs, and nothing else below a space.
    let r = run(
        &db,
        &["log", "--at", "2026-11-21 10:00", "--course", "1", "--notes", "a\u{1b}b", "--now", "2026-11-24 09:00"],
    );
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("control character"), "{}", r.stderr);
}

#[test]
fn tables_align_by_display_width_and_never_panic_on_a_long_cell() {
    let (_dir, db) = temp();
    ok(&db, &["person", "add", "王小明"]);
    ok(&db, &["person", "add", "Zoë Khan 😀", "--skin-type", "iv"]);
    // Rows from before the bounds: a 70,000-character name, a line break and an escape.
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute("INSERT INTO people (name) VALUES (?1)", [format!("Long{}", "x".repeat(70_000))]).unwrap();
    conn.execute("INSERT INTO people (name) VALUES ('Two\nLines')", []).unwrap();
    conn.execute("INSERT INTO people (name) VALUES ('Eve\u{1b}]0;pwned\u{7}')", []).unwrap();
    drop(conn);
    let r = run(&db, &["person", "list"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!r.stdout.contains('\u{1b}'), "no escape from stored text reaches the output");
    assert!(r.stdout.contains("Two⏎Lines"), "{}", r.stdout);
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert_eq!(lines.len(), 7, "one line a person: {}", r.stdout);
    // The BORN column (– on every row here) starts at the same display column on every line.
    let column = |line: &str| {
        let at = line.find(" – ").or_else(|| line.find(" BORN ")).unwrap();
        unicode_width::UnicodeWidthStr::width(&line[..at])
    };
    let first = column(lines[0]);
    assert!(lines.iter().all(|l| column(l) == first), "{}", r.stdout);
    assert!(lines.iter().all(|l| unicode_width::UnicodeWidthStr::width(*l) < 120), "cells are cut");
}

#[test]
fn reimporting_an_export_adds_nothing_and_keeps_names_as_they_were() {
    let (dir, db) = temp();
    ok(&db, &["course", "add", "--concern", "scars", "--area", "cheeks", "--now", "2026-11-01 09:00"]);
    let mut doc = json(&db, &["export", "--format", "json"]);
    doc["people"][0]["name"] = " Ana  Ruiz ".into();
    doc["courses"][0]["person_id"] = doc["people"][0]["id"].clone();
    let file = dir.path().join("export.json");
    fs::write(&file, doc.to_string()).unwrap();
    let (_keep, fresh) = temp();
    ok(&fresh, &["person", "list"]);
    ok(&fresh, &["import", file.to_str().unwrap()]);
    let once = json(&fresh, &["export", "--format", "json"]);
    ok(&fresh, &["import", file.to_str().unwrap()]);
    ok(&fresh, &["import", file.to_str().unwrap()]);
    let thrice = json(&fresh, &["export", "--format", "json"]);
    assert_eq!(once["courses"], thrice["courses"], "a course without sessions is not added again");
    let names: Vec<&str> = thrice["people"].as_array().unwrap().iter().map(|p| p["name"].as_str().unwrap()).collect();
    assert!(names.contains(&" Ana  Ruiz "), "{names:?}");
}

#[test]
fn an_edit_from_the_command_line_can_insist_on_a_revision() {
    let (_dir, db) = temp();
    exported(&db);
    let rev = json(&db, &["list", "--json"])[0]["revision"].as_i64().unwrap();
    ok(&db, &["edit", "1", "--notes", "first", "--if-rev", &rev.to_string()]);
    let r = run(&db, &["edit", "1", "--notes", "second", "--if-rev", &rev.to_string()]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("it was changed since"), "{}", r.stderr);
    assert_eq!(json(&db, &["list", "--json"])[0]["notes"], "first");
    // Without it, only the fields given change.
    ok(&db, &["edit", "1", "--pain", "4"]);
    let s = &json(&db, &["list", "--json"])[0];
    assert_eq!((s["notes"].as_str(), s["pain"].as_i64()), (Some("first"), Some(4)));
}

#[test]
fn typed_areas_are_a_set_and_the_course_stays_usable() {
    let (_dir, db) = temp();
    ok(&db, &["course", "add", "--concern", "scars", "--area", "cheeks,nose,Cheeks , NOSE"]);
    let course = &json(&db, &["course", "list", "--json"])[0];
    assert_eq!(course["areas"], serde_json::json!(["cheeks", "nose"]));
    ok(&db, &["log", "--depth", "0.5"]);
    let r = run(&db, &["log", "--depth", "cheeks=1,cheeks=2"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("cheeks has two depths: give each area once"), "{}", r.stderr);
}

#[test]
fn the_backup_before_an_upgrade_never_follows_a_planted_link() {
    let (dir, db) = temp();
    // A file at schema v3, as the first wave wrote it.
    let conn = rusqlite::Connection::open(&db).unwrap();
    for step in &needlelog::store::MIGRATIONS[..3] {
        conn.execute_batch(step).unwrap();
    }
    conn.pragma_update(None, "application_id", needlelog::store::APPLICATION_ID).unwrap();
    conn.pragma_update(None, "user_version", 3).unwrap();
    drop(conn);
    let victim = dir.path().join("victim");
    fs::write(&victim, "keep me").unwrap();
    let backup = dir.path().join("needlelog.db.bak-v3");
    std::os::unix::fs::symlink(&victim, &backup).unwrap();

    ok(&db, &["person", "list"]);
    assert_eq!(fs::read_to_string(&victim).unwrap(), "keep me", "the link's target is untouched");
    let meta = fs::symlink_metadata(&backup).unwrap();
    assert!(meta.is_file(), "the backup is a file of its own");
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(meta.permissions().mode() & 0o777, 0o600);
    assert!(fs::read(&backup).unwrap().starts_with(b"SQLite format 3\0"));
}

#[test]
fn a_csv_cell_never_runs_as_a_formula() {
    let (_dir, db) = temp();
    exported(&db);
    ok(&db, &["edit", "1", "--serum", "=cmd|' /C calc'!A0", "--lot", "@SUM(A1:A9)"]);
    let csv = ok(&db, &["export", "--format", "csv"]);
    assert!(csv.contains("'=cmd|' /C calc'!A0"), "{csv}");
    assert!(csv.contains("'@SUM(A1:A9)"), "{csv}");
}

#[test]
fn stored_text_never_reaches_the_output_raw() {
    let (_dir, db) = temp();
    exported(&db);
    // An escape sequence that got into the file anyway (an old version, a hand edit).
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute("UPDATE people SET name = 'Eve\u{1b}]0;pwned\u{7}\u{1b}[2J\u{202e}x' WHERE id = 1", []).unwrap();
    conn.execute("UPDATE sessions SET serum = 'HA\u{1b}[31m', notes = 'n\u{1b}[2Jb'", []).unwrap();
    drop(conn);
    for args in [
        &["person", "list"][..],
        &["course", "list"],
        &["course", "show", "1"],
        &["status", "--now", "2026-11-21 09:00"],
        &["list"],
        &["doctor"],
    ] {
        let r = run(&db, args);
        assert!(!r.stdout.contains('\u{1b}') && !r.stderr.contains('\u{1b}'), "{args:?}: {:?}", r.stdout);
        assert!(!r.stdout.contains('\u{202e}'), "{args:?}: bidi override shown, not obeyed");
        assert!(!r.stdout.contains('\u{7}'), "{args:?}");
    }
    // JSON stays exact (its own escaping makes it safe).
    let listed = json(&db, &["person", "list", "--json"]);
    assert_eq!(listed[0]["name"], "Eve\u{1b}]0;pwned\u{7}\u{1b}[2J\u{202e}x");
}
