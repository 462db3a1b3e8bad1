//! The real binary, run as a user would run it: a whole course, exports, and every
//! kind of bad input with its message and exit code.

use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value;

/// New York's rules, written out so the test needs no time-zone database.
const NEW_YORK: &str = "EST5EDT,M3.2.0,M11.1.0";

use crate::common;
use crate::common::export_without_imports;
use common::{json, ok, run, run_in};

fn temp_db() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("needlelog.db");
    (dir, db)
}

/// A course of acne-scar work with three sessions done and one planned.
fn three_sessions(db: &Path) {
    ok(db, &["course", "add", "--concern", "acne-scars", "--area", "cheeks,forehead", "--now", "2026-09-01 09:00"]);
    ok(
        db,
        &[
            "log",
            "--at",
            "2026-09-01 10:00",
            "--depth",
            "cheeks=1.0,forehead=0.5",
            "--passes",
            "4",
            "--rating",
            "5",
            "--now",
            "2026-09-01 12:00",
        ],
    );
    ok(
        db,
        &[
            "log",
            "--at",
            "2026-10-03 10:00",
            "--depth",
            "0.5",
            "--pain",
            "4",
            "--serum",
            "HA, 2%",
            "--now",
            "2026-10-03 12:00",
        ],
    );
    ok(
        db,
        &[
            "log",
            "--at",
            "2026-11-02 10:00",
            "--depth",
            "0.5",
            "--reaction",
            "mild",
            "--rating",
            "7",
            "--now",
            "2026-11-02 12:00",
        ],
    );
    ok(db, &["plan", "--now", "2026-11-03 09:00"]);
}

#[test]
fn a_whole_course_from_the_command_line() {
    let (_dir, db) = temp_db();
    three_sessions(&db);

    // One day after the third session: sensitive, 48 h left.
    let status = json(&db, &["status", "--json", "--now", "2026-11-03 10:00"]);
    let course = &status["courses"][0];
    assert_eq!(course["person"], "Me");
    assert_eq!(course["concern"], "acne-scars");
    assert_eq!(course["areas"], serde_json::json!(["cheeks", "forehead"]));
    assert_eq!(course["phase"], "sensitive");
    assert_eq!(course["hours_left"], 48);
    assert_eq!(course["sessions_done"], 3);
    assert_eq!(course["sessions_target"], 6);
    assert_eq!(course["next_window"]["earliest"], "2026-11-30");
    assert_eq!(course["next_window"]["latest"], "2026-12-14");
    assert_eq!(course["next_planned"]["at"], "2026-11-30T10:00:00+00:00");
    // Three more at 28-day spacing from Nov 30: the last on Jan 25, results Apr 25.
    assert_eq!(course["final_results"], "2027-04-25");
    let checklist = course["checklist"].as_array().unwrap();
    assert!(checklist.iter().all(|i| i["phase"] == "post" && i["done"] == false));
    assert!(checklist.iter().any(|i| i["id"] == "post-no-swimming"));

    // Tick one item from the shell; status shows it.
    ok(&db, &["check", "post-no-swimming", "--now", "2026-11-03 10:00"]);
    let status = json(&db, &["status", "--json", "--now", "2026-11-03 10:00"]);
    let ticked: Vec<_> =
        status["courses"][0]["checklist"].as_array().unwrap().iter().filter(|i| i["done"] == true).collect();
    assert_eq!(ticked.len(), 1);
    assert_eq!(ticked[0]["id"], "post-no-swimming");

    // The day before the planned session: pre-care.
    let status = json(&db, &["status", "--json", "--now", "2026-11-29 12:00"]);
    assert_eq!(status["courses"][0]["phase"], "pre_care");
    assert!(status["courses"][0]["checklist"].as_array().unwrap().iter().any(|i| i["id"] == "pre-retinoids"));
    // Long after the window: overdue.
    let status = json(&db, &["status", "--json", "--now", "2026-12-20 12:00"]);
    assert_eq!(status["courses"][0]["phase"], "overdue");

    // Sessions, newest first, with their details.
    let list = json(&db, &["list", "--json"]);
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 4);
    assert_eq!(list[0]["status"], "planned");
    assert_eq!(list[3]["passes"], 4);
    assert_eq!(list[2]["serum"], "HA, 2%");
    assert_eq!(list[1]["reaction"], "mild");

    // Mark the planned session done on the day; the count moves on.
    let planned = list[0]["id"].as_i64().unwrap().to_string();
    ok(&db, &["log", "--done", &planned, "--depth", "0.75", "--now", "2026-11-30 12:00"]);
    let status = json(&db, &["status", "--json", "--now", "2026-11-30 12:00"]);
    assert_eq!(status["courses"][0]["sessions_done"], 4);

    // Text status reads well too.
    let text = ok(&db, &["--now", "2026-11-30 12:00"]);
    assert!(text.contains("Me ▸ Acne scars (cheeks, forehead) · course 1"), "{text}");
    assert!(text.contains("sensitive · 70 h left"), "{text}");
}

#[test]
fn seventy_two_hours_across_the_clock_change_are_real_hours() {
    let (_dir, db) = temp_db();
    let r = run_in(
        &db,
        NEW_YORK,
        &["course", "add", "--concern", "scars", "--area", "cheeks", "--now", "2026-03-01 09:00"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = run_in(&db, NEW_YORK, &["log", "--at", "2026-03-07 10:00", "--now", "2026-03-07 10:30"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = run_in(&db, NEW_YORK, &["status", "--now", "2026-03-08 12:00"]);
    assert!(r.stdout.contains("until Tue 10 Mar 11:00"), "{}", r.stdout);
    let r = run_in(&db, NEW_YORK, &["status", "--json", "--now", "2026-03-10 10:59"]);
    assert!(r.stdout.contains("\"phase\": \"sensitive\""), "{}", r.stdout);
    let r = run_in(&db, NEW_YORK, &["status", "--json", "--now", "2026-03-10 11:00"]);
    assert!(r.stdout.contains("\"phase\": \"recovering\""), "{}", r.stdout);
}

#[test]
fn json_export_imports_into_an_empty_file_unchanged() {
    let (dir, db) = temp_db();
    three_sessions(&db);
    ok(&db, &["person", "add", "Ana Ruiz", "--skin-type", "iv", "--notes", "sensitive to lidocaine"]);
    ok(
        &db,
        &[
            "course",
            "add",
            "--person",
            "Ana Ruiz",
            "--concern",
            "large-pores",
            "--area",
            "nose",
            "--now",
            "2026-10-01 09:00",
        ],
    );
    ok(
        &db,
        &[
            "log",
            "--course",
            "2",
            "--at",
            "2026-10-01 15:00",
            "--depth",
            "0.5",
            "--notes",
            "line one\nline \"two\"",
            "--now",
            "2026-10-02 09:00",
        ],
    );
    ok(&db, &["check", "post-red-flags", "--session", "5", "--now", "2026-10-02 09:00"]);
    let export = dir.path().join("export.json");
    ok(&db, &["export", "--format", "json", "-o", export.to_str().unwrap()]);

    let fresh = dir.path().join("fresh.db");
    let imported = ok(&fresh, &["import", export.to_str().unwrap()]);
    assert!(imported.contains("Imported 1 people, 2 courses, 5 sessions, 1 ticks"), "{imported}");
    let again = ok(&fresh, &["export", "--format", "json"]);
    assert_eq!(export_without_imports(&again), export_without_imports(&fs::read_to_string(&export).unwrap()));

    // Importing the same document twice is refused and adds nothing.
    let r = run(&fresh, &["import", export.to_str().unwrap()]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("is already in this file; nothing imported"), "{}", r.stderr);
    assert_eq!(ok(&fresh, &["export", "--format", "json"]), again);

    // An export goes in as it is parsed; the same document with its parts in
    // another order (keys sorted, as a hand-made one may be) is read whole: both
    // end the same.
    let text = fs::read_to_string(&export).unwrap();
    assert!(text.find("\"people\"") < text.find("\"sessions\"") && text.find("\"sessions\"") < text.find("\"ticks\""));
    let sorted = dir.path().join("sorted.json");
    let value: Value = serde_json::from_str(&text).unwrap();
    let mut keys: Vec<(String, Value)> = value.as_object().unwrap().clone().into_iter().collect();
    keys.sort_by(|a, b| a.0.cmp(&b.0));
    let body: Vec<String> = keys.iter().map(|(k, v)| format!("{}: {v}", serde_json::json!(k))).collect();
    fs::write(&sorted, format!("{{{}}}", body.join(", "))).unwrap();
    let other = dir.path().join("other.db");
    ok(&other, &["import", sorted.to_str().unwrap()]);
    let from_sorted = ok(&other, &["export", "--format", "json"]);
    assert_eq!(export_without_imports(&from_sorted), export_without_imports(&again));
    // A refusal halfway through the sessions (of the document as written, in
    // order) leaves nothing of those before it.
    let (at, _) = text.match_indices("\"pain\": ").nth(3).unwrap();
    let end = at + text[at..].find(',').unwrap();
    let bad = dir.path().join("bad.json");
    fs::write(&bad, format!("{}\"pain\": 42{}", &text[..at], &text[end..])).unwrap();
    let empty = dir.path().join("empty.db");
    ok(&empty, &["person", "list"]);
    let r = run(&empty, &["import", bad.to_str().unwrap()]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("session 4: pain 42") && r.stderr.contains("nothing imported"), "{}", r.stderr);
    assert_eq!(json(&empty, &["list", "--all", "--json"]), serde_json::json!([]));
    assert_eq!(json(&empty, &["course", "list", "--all", "--json"]), serde_json::json!([]));
}

#[test]
fn csv_and_calendar_exports() {
    let (_dir, db) = temp_db();
    three_sessions(&db);
    let csv = ok(&db, &["export", "--format", "csv"]);
    let lines: Vec<&str> = csv.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(lines.len(), 5, "header and four sessions");
    assert!(lines[2].contains("\"HA, 2%\""), "RFC 4180 quoting: {}", lines[2]);

    let ics = ok(&db, &["export", "--format", "ics", "--now", "2026-11-03 09:00"]);
    assert!(ics.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
    assert!(ics.ends_with("END:VCALENDAR\r\n"));
    assert!(ics.split("\r\n").all(|l| l.len() <= 75), "folded");
    assert!(ics.contains("UID:session-4@needlelog\r\nDTSTAMP:20261103T090000Z\r\nDTSTART:20261130T100000Z"));
    // An alarm at each pre-care lead that has items: two weeks, a week, 3 days, the day before.
    for lead in ["-P14D", "-P7D", "-P3D", "-P1D"] {
        assert!(ics.contains(&format!("TRIGGER:{lead}\r\n")), "an alarm {lead} before the planned session");
    }
    // The window Nov 30 – Dec 14 as an all-day event whose end is exclusive.
    assert!(ics.contains("DTSTART;VALUE=DATE:20261130\r\nDTEND;VALUE=DATE:20261215"));
    // Results day, one day with an alarm that morning.
    assert!(ics.contains("SUMMARY:Results day (estimate): Acne scars"), "{ics}");
    assert!(ics.contains("TRIGGER:PT9H"));
    // Stable: the same file and clock give the same calendar.
    assert_eq!(ics, ok(&db, &["export", "--format", "ics", "--now", "2026-11-03 09:00"]));

    // A place on the course is each event's LOCATION.
    ok(&db, &["course", "edit", "1", "--place", "Clinic Lumen, 4 Rue Haute"]);
    let ics = ok(&db, &["export", "--format", "ics", "--now", "2026-11-03 09:00"]);
    assert!(ics.contains("LOCATION:Clinic Lumen\\, 4 Rue Haute"), "{ics}");
    assert!(ok(&db, &["course", "show", "1"]).contains("place        Clinic Lumen, 4 Rue Haute"));

    // Maintenance after a finished course: its first and last days, not a three-month banner.
    ok(&db, &["course", "edit", "1", "--sessions", "3", "--status", "completed"]);
    let ics = ok(&db, &["export", "--format", "ics", "--now", "2026-12-01 09:00"]);
    let opens = ics.find("SUMMARY:Maintenance window opens").expect("the window's first day");
    assert!(ics[..opens].ends_with("DTSTART;VALUE=DATE:20270203\r\nDTEND;VALUE=DATE:20270204\r\n"), "{ics}");
    assert!(ics.contains("UID:maintenance-last-course-1@needlelog"), "{ics}");
    assert!(ics.contains("SUMMARY:Results day: Acne scars"), "{ics}");
}

#[test]
fn bad_input_gets_one_line_and_the_right_exit_code() {
    let (dir, db) = temp_db();
    three_sessions(&db);
    let before = ok(&db, &["export", "--format", "json"]);

    let r = run(&db, &["log", "--at", "31/31/26"]);
    assert_eq!(r.code, 2);
    assert_eq!(r.stderr, "error: cannot read date \"31/31/26\": use YYYY-MM-DD [HH:MM], today, yesterday, +4w ...\n");

    let r = run(&db, &["log", "--depth", "30"]);
    assert_eq!(r.code, 2);
    assert_eq!(r.stderr, "error: depth 30 mm is outside 0.1–3 mm: check for a typo\n");

    let r = run(&db, &["log", "--depth", "2.0", "--at", "2026-11-20 10:00"]);
    assert_eq!(r.code, 0, "a deep session is saved");
    assert!(r.stderr.contains("warning: 2 mm on cheeks is above the usual 0.5–1 mm"), "{}", r.stderr);
    ok(&db, &["rm", "5", "--yes"]);

    let r = run(&db, &["log", "--at", "+2d"]);
    assert_eq!(r.code, 2, "a done session cannot be in the future");
    assert!(r.stderr.ends_with("a done session cannot be in the future: plan it instead\n"), "{}", r.stderr);
    // Offsets with a minus sign are dates, not options.
    let r = run(&db, &["log", "--at", "-3d", "--now", "2026-11-20 12:00", "--notes", "three days ago"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("Tue 17 Nov 2026 12:00"), "{}", r.stdout);
    ok(&db, &["rm", "6", "--yes"]);
    // The same rule as the app's form: a session an hour after another is saved, with a word.
    let r = run(&db, &["log", "--at", "2026-11-02 11:00", "--depth", "0.5", "--now", "2026-11-20 12:00"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains("warning: only 1 h after session 3 (2026-11-02 10:00): this course's sessions are usually"),
        "{}",
        r.stderr
    );
    let id = r.stdout.split("(#").nth(1).and_then(|rest| rest.split(')').next()).unwrap().to_string();
    ok(&db, &["rm", &id, "--yes"]);

    let r = run(&db, &["rm", "1"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("without --yes"), "{}", r.stderr);

    let r = run(&db, &["course", "add", "--concern", "tattoos", "--area", "cheeks"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("unknown concern \"tattoos\": use one of rejuvenation, collagen-induction"),
        "{}",
        r.stderr
    );

    let r = run(&db, &["course", "add", "--concern", "scars", "--area", "elbow=1"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("the area \"elbow=1\" holds , or ="), "{}", r.stderr);

    let r = run(&db, &["edit", "999", "--pain", "3"]);
    assert_eq!(r.code, 1);
    assert_eq!(r.stderr, "error: session 999 does not exist\n");

    // A second active course makes the default ambiguous.
    ok(&db, &["course", "add", "--concern", "wrinkles", "--area", "forehead"]);
    let r = run(&db, &["log"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("choose with --course ID: 2 (Me, wrinkles, forehead), 1 (Me, acne-scars, cheeks+forehead)"),
        "{}",
        r.stderr
    );
    ok(&db, &["course", "close", "2"]);

    // Garbage and the wrong version are refused as a whole.
    let garbage = dir.path().join("garbage.json");
    fs::write(&garbage, "{ this is not json").unwrap();
    let r = run(&db, &["import", garbage.to_str().unwrap()]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("not a needlelog JSON export") && r.stderr.contains("nothing imported"), "{}", r.stderr);
    let future = dir.path().join("future.json");
    fs::write(&future, before.replace("\"version\": 1", "\"version\": 9")).unwrap();
    let r = run(&db, &["import", future.to_str().unwrap()]);
    assert!(r.stderr.contains("export version 9 is not supported"), "{}", r.stderr);
    let deep = dir.path().join("deep.json");
    fs::write(&deep, before.replace("\"mm\": 0.5", "\"mm\": 30.0")).unwrap();
    let r = run(&db, &["import", deep.to_str().unwrap()]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("depth 30 mm is outside"), "{}", r.stderr);

    let after = ok(&db, &["export", "--format", "json"]);
    let courses_before: Value = serde_json::from_str(&before).unwrap();
    let courses_after: Value = serde_json::from_str(&after).unwrap();
    // (The session logged by mistake above is voided: kept, apart.)
    let standing: Vec<&Value> =
        courses_after["sessions"].as_array().unwrap().iter().filter(|s| s["status"] != "voided").collect();
    let before: Vec<&Value> = courses_before["sessions"].as_array().unwrap().iter().collect();
    assert_eq!(before, standing, "no bad input changed a session");
}

#[test]
fn files_that_are_not_needlelog_databases_are_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let text = dir.path().join("notes.txt");
    fs::write(&text, "shopping list\n").unwrap();
    let r = run(&text, &["status"]);
    assert_eq!(r.code, 1);
    assert_eq!(r.stderr.lines().count(), 1);
    assert!(r.stderr.contains("notes.txt: not a SQLite database"), "{}", r.stderr);
    assert_eq!(fs::read_to_string(&text).unwrap(), "shopping list\n");

    let newer = dir.path().join("newer.db");
    ok(&newer, &["status"]);
    rusqlite::Connection::open(&newer).unwrap().pragma_update(None, "user_version", 42).unwrap();
    let bytes = fs::read(&newer).unwrap();
    let r = run(&newer, &["log"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("written by a newer needlelog (schema v42"), "{}", r.stderr);
    assert_eq!(fs::read(&newer).unwrap(), bytes);
}

#[test]
fn a_read_only_folder_is_reported_not_written() {
    // Permissions do not bind root, so the binary runs as nobody where we are root.
    let dir = tempfile::tempdir().unwrap();
    let locked = dir.path().join("locked");
    fs::create_dir(&locked).unwrap();
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o755)).unwrap();
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o555)).unwrap();
    let db = locked.join("needlelog.db");
    let out = common::output_as_nobody(dir.path(), &["--db".as_ref(), db.as_os_str(), "status".as_ref()]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr, format!("error: cannot write to {}: the file or its folder is read-only\n", db.display()));
    assert!(!db.exists());
}

#[test]
fn the_environment_variable_chooses_the_file() {
    let (dir, _) = temp_db();
    let db = dir.path().join("from-env.db");
    let out = common::needlelog().arg("person").arg("list").env("NEEDLELOG_DB", &db).output().unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("Me"));
    assert!(db.exists());
}

#[test]
fn protocols_and_completions_need_no_file() {
    let protocols =
        common::needlelog().args(["protocols", "--json"]).env("NEEDLELOG_DB", "/nonexistent/x.db").output().unwrap();
    assert!(protocols.status.success());
    let value: Value = serde_json::from_slice(&protocols.stdout).unwrap();
    assert_eq!(value["concerns"].as_array().unwrap().len(), 9);
    assert_eq!(value["concerns"][3]["key"], "acne-scars");
    assert!(value["concerns"][3]["source"].as_str().unwrap().contains("seed"));

    let bash = common::needlelog().args(["completions", "bash"]).output().unwrap();
    assert!(bash.status.success());
    assert!(String::from_utf8_lossy(&bash.stdout).contains("needlelog"));
}

#[test]
fn a_session_before_the_start_date_counts_as_the_start() {
    let (_dir, db) = temp_db();
    ok(&db, &["course", "add", "--concern", "scars", "--area", "cheeks", "--now", "2026-11-20 09:00"]);
    ok(&db, &["log", "--at", "2026-10-01 10:00", "--now", "2026-11-20 09:00"]);
    let show = ok(&db, &["course", "show", "1", "--now", "2026-11-20 09:00"]);
    assert!(show.contains("active since Thu 1 Oct 2026"), "{show}");
}

#[test]
fn a_time_the_clocks_show_twice_is_the_first_unless_an_offset_says_otherwise() {
    // Lord Howe Island moves its clocks by half an hour.
    const LORD_HOWE: &str = "LHST-10:30LHDT-11,M10.1.0,M4.1.0";
    for (tz, typed, first, second) in [
        (NEW_YORK, "2026-11-01 01:30", "2026-11-01T05:30:00+00:00", "2026-11-01T06:30:00+00:00"),
        (LORD_HOWE, "2026-04-05 01:45", "2026-04-04T14:45:00+00:00", "2026-04-04T15:15:00+00:00"),
    ] {
        let (_dir, db) = temp_db();
        run_in(&db, tz, &["course", "add", "--concern", "scars", "--area", "cheeks", "--now", "2026-01-01 09:00"]);
        let r = run_in(&db, tz, &["log", "--at", typed, "--now", "2026-12-01 09:00"]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert!(
            r.stderr.contains("happens twice that night") && r.stderr.contains("this is the first"),
            "{}",
            r.stderr
        );
        let explicit = r.stderr.split('"').nth(1).expect("names the other").to_string();
        let r = run_in(&db, tz, &["log", "--at", &explicit, "--now", "2026-12-01 09:00"]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert!(!r.stderr.contains("happens twice"), "{}", r.stderr);
        let out = run_in(&db, tz, &["list", "--json"]);
        let list: Value = serde_json::from_str(&out.stdout).unwrap();
        let mut at: Vec<String> = list.as_array().unwrap().iter().map(|s| s["at"].as_str().unwrap().into()).collect();
        at.sort();
        assert_eq!(at, [first, second], "{tz}");
    }
}

#[test]
fn a_file_that_cannot_be_read_is_not_called_read_only() {
    // Permissions do not bind root, so the binary runs as nobody where we are root.
    let dir = tempfile::tempdir().unwrap();
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o755)).unwrap();
    let db = dir.path().join("needlelog.db");
    ok(&db, &["person", "list"]);
    fs::set_permissions(&db, fs::Permissions::from_mode(0o000)).unwrap();
    let out = common::output_as_nobody(dir.path(), &["--db".as_ref(), db.as_os_str(), "status".as_ref()]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("you have no permission to read it"), "{stderr}");
}

#[test]
fn a_planned_session_that_passes_asks_whether_it_happened() {
    let (_dir, db) = temp_db();
    ok(&db, &["course", "add", "--concern", "acne-scars", "--area", "cheeks", "--now", "2027-06-01 09:00"]);
    ok(&db, &["log", "--at", "2027-06-20 10:00", "--depth", "0.5", "--screening", "none", "--now", "2027-06-20 12:00"]);
    let planned = ok(&db, &["plan", "--at", "2027-07-20 08:00", "--now", "2027-06-21 09:00"]);
    assert!(planned.starts_with("Planned session 2 of 6 (#2): Tue 20 Jul 2027 08:00."), "{planned}");

    let status = ok(&db, &["status", "--now", "2027-07-20 09:30"]);
    assert!(status.contains("session 2 of 6 (#2), planned Tue 20 Jul 2027 08:00 — did it happen?"), "{status}");
    assert!(status.contains("done: needlelog log --done 2"), "{status}");
    let value = json(&db, &["status", "--json", "--now", "2027-07-20 09:30"]);
    assert_eq!(value["courses"][0]["unresolved"][0]["id"], 2);

    // Moved: no longer asked about.
    ok(&db, &["edit", "2", "--at", "2027-07-22 08:00", "--now", "2027-07-20 09:30"]);
    assert!(!ok(&db, &["status", "--now", "2027-07-20 09:30"]).contains("did it happen?"));
    // It passes again and did not happen: cancelled, kept, no longer asked.
    let cancelled = ok(&db, &["edit", "2", "--status", "cancelled", "--now", "2027-07-23 09:00"]);
    assert!(cancelled.contains("Saved session #2"), "{cancelled}");
    assert!(!ok(&db, &["status", "--now", "2027-07-23 09:30"]).contains("did it happen?"));

    // Done, the usual way: screening asked for on the command line as in `log`.
    let close = run(&db, &["plan", "--at", "2027-07-25 08:00", "--now", "2027-07-23 09:30"]);
    assert!(
        close
            .stderr
            .contains("planned 46 h ahead: \"Keep clear of sunburn and laser/IPL for two weeks before\" can't be kept"),
        "{}",
        close.stderr
    );
    let r = run(&db, &["log", "--done", "3", "--now", "2027-07-25 12:00"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.starts_with("Marked done session 2 of 6 (#3): Sun 25 Jul 2027 08:00."), "{}", r.stdout);
    assert!(r.stderr.contains("no screening answers given"), "{}", r.stderr);
}

#[test]
fn a_recovery_diary_compares_sessions_and_travels_with_the_file() {
    let (dir, db) = temp_db();
    ok(&db, &["course", "add", "--concern", "acne-scars", "--area", "cheeks", "--now", "2027-01-04 09:00"]);
    ok(&db, &["log", "--at", "2027-01-04 10:00", "--depth", "0.5", "--screening", "none", "--now", "2027-01-04 12:00"]);
    let noted = ok(&db, &["diary", "--redness", "3", "--note", "hot, tight", "--now", "2027-01-04 20:00"]);
    assert_eq!(noted, "Noted day 0 after session 1 of 6 (#1): redness 3 · \"hot, tight\".\n");
    ok(&db, &["diary", "--redness", "1", "--flaking", "2", "--now", "2027-01-06 09:00"]);
    ok(&db, &["diary", "--redness", "0", "--now", "2027-01-07 09:00"]);
    // A sign given later fills in a day without losing what was noted.
    ok(&db, &["diary", "--day", "2", "--tightness", "1", "--now", "2027-01-08 09:00"]);
    ok(&db, &["log", "--at", "2027-02-04 10:00", "--depth", "0.5", "--screening", "none", "--now", "2027-02-04 12:00"]);
    ok(&db, &["diary", "--redness", "1", "--now", "2027-02-05 09:00"]);
    ok(&db, &["diary", "--redness", "0", "--now", "2027-02-06 09:00"]);
    let shown = ok(&db, &["diary", "--now", "2027-02-06 10:00"]);
    assert!(shown.contains("Redness gone by day 2 after session 2, day 3 after session 1"), "{shown}");
    let day2 = json(&db, &["diary", "--session", "1", "--json", "--now", "2027-02-06 10:00"]);
    let day2 = day2.as_array().unwrap().iter().find(|e| e["day"] == 2).unwrap().clone();
    assert_eq!((day2["redness"].as_u64(), day2["tightness"].as_u64()), (Some(1), Some(1)));

    // Bad input names the problem; a planned session has no diary.
    let r = run(&db, &["diary", "--redness", "5", "--now", "2027-02-06 10:00"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("5 is not in 0..=3"), "{}", r.stderr);
    ok(&db, &["plan", "--at", "2027-03-10 10:00", "--now", "2027-02-06 10:00"]);
    let r = run(&db, &["diary", "--session", "3", "--day", "1", "--redness", "1", "--now", "2027-02-06 10:00"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("a recovery diary follows a session that was done"), "{}", r.stderr);

    // Through JSON and back, whole.
    let export = ok(&db, &["export", "--format", "json"]);
    let value: Value = serde_json::from_str(&export).unwrap();
    assert_eq!(value["diary"].as_array().map(Vec::len), Some(5));
    let file = dir.path().join("export.json");
    fs::write(&file, &export).unwrap();
    let fresh = dir.path().join("fresh.db");
    ok(&fresh, &["import", file.to_str().unwrap(), "--now", "2027-02-06 10:00"]);
    assert_eq!(export_without_imports(&ok(&fresh, &["export", "--format", "json"])), export_without_imports(&export));
    // A voided session keeps its diary, and comes back with it.
    ok(&db, &["rm", "2", "--yes", "--now", "2027-02-06 10:00"]);
    let voided: Value = serde_json::from_str(&ok(&db, &["export", "--format", "json"])).unwrap();
    assert_eq!(voided["sessions"][1]["status"], "voided");
    assert_eq!(voided["diary"], value["diary"], "the diary stays with it");
    ok(&db, &["trash", "restore", "1", "--now", "2027-02-06 10:00"]);
    let back: Value = serde_json::from_str(&ok(&db, &["export", "--format", "json"])).unwrap();
    assert_eq!((&back["sessions"], &back["diary"]), (&value["sessions"], &value["diary"]));
    let fields: Vec<&str> = back["edits"].as_array().unwrap().iter().filter_map(|e| e["field"].as_str()).collect();
    assert!(fields.ends_with(&["voided", "restored"]), "{fields:?}");
}

/// `demo` writes its records as it makes them; the file holds exactly what the
/// same seed makes as a whole (the ticks, made again after the sessions, too).
#[test]
fn a_demo_file_holds_what_its_seed_makes() {
    let (dir, db) = temp_db();
    let now = "2026-11-20 09:00";
    let demo = dir.path().join("demo.db");
    let r = run_in(
        &demo,
        "UTC",
        &["demo", "--people", "25", "--years", "4", "--seed", "3", "--out", demo.to_str().unwrap(), "--now", now],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let at = chrono::NaiveDateTime::parse_from_str(now, "%Y-%m-%d %H:%M").unwrap().and_utc();
    let made = needlelog::demo::generate(25, 4, 3, needlelog::domain::Rules::embedded(), at, &chrono::Utc);
    assert!(!made.ticks.is_empty() && made.sessions.len() > 100);
    use needlelog::store::prelude::*;
    let mut whole = needlelog::store::Store::open(&db).unwrap();
    whole.import(&made).unwrap();
    drop(whole);
    let streamed = run_in(&demo, "UTC", &["export", "--format", "json"]);
    let from_whole = run_in(&db, "UTC", &["export", "--format", "json"]);
    assert_eq!(export_without_imports(&streamed.stdout), export_without_imports(&from_whole.stdout));
}
