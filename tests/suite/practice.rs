//! A practitioner's day from the command line: filters on `list`, lot tracing,
//! the grouped recall list, finding people, and what an unknown name or lot says.

use std::path::Path;

use crate::common;
use common::{json, ok, run};

fn temp_db() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("practice.db");
    (dir, db)
}

fn log(db: &Path, course: &str, at: &str, extra: &[&str]) {
    let mut args = vec!["log", "--course", course, "--at", at, "--now", at];
    args.extend_from_slice(extra);
    ok(db, &args);
}

/// Three clients: Zoë (acne scars, cheeks: three sessions, lot L-1 twice),
/// Ana (rejuvenation, forehead: one session with lot L-1 and one with L-2) and Ben
/// (one session long ago: lapsed).
fn practice(db: &Path) {
    let at = ["--now", "2026-01-01 09:00"];
    for name in ["Zoë Khan", "Ana Ruiz", "Ben Okafor"] {
        ok(db, &[&["person", "add", name][..], &at].concat());
    }
    ok(db, &[&["person", "edit", "Ana Ruiz", "--notes", "allergic to lidocaine"][..], &at].concat());
    let course = |person: &str, concern: &str, area: &str| {
        ok(db, &[&["course", "add", "--person", person, "--concern", concern, "--area", area][..], &at].concat());
    };
    course("Zoë Khan", "acne-scars", "cheeks");
    course("Ana Ruiz", "rejuvenation", "forehead");
    course("Ben Okafor", "wrinkles", "forehead");
    let serum = ["--serum", "Hyaluronic acid 2%", "--lot"];
    log(db, "1", "2026-01-05 10:00", &[&["--depth", "1.0"][..], &serum, &["L-1"]].concat());
    log(db, "1", "2026-02-05 10:00", &[&["--depth", "1.0"][..], &serum, &["l-1"]].concat());
    log(db, "1", "2026-03-09 10:00", &["--depth", "1.0", "--serum", "Peptides", "--lot", "P-9"]);
    log(db, "2", "2026-02-20 10:00", &[&["--depth", "0.5"][..], &serum, &["L-1"]].concat());
    log(db, "2", "2026-03-02 10:00", &[&["--depth", "0.5"][..], &serum, &["L-2"]].concat());
    log(db, "3", "2025-06-01 10:00", &["--depth", "0.5"]);
    ok(db, &["plan", "--course", "1", "--at", "2026-04-10 10:00", "--now", "2026-03-09 12:00"]);
}

fn ids(value: &serde_json::Value) -> Vec<i64> {
    value.as_array().unwrap().iter().map(|s| s["id"].as_i64().unwrap()).collect()
}

#[test]
fn list_filters_combine() {
    let (_dir, db) = temp_db();
    practice(&db);
    let now = ["--now", "2026-03-20 09:00"];
    let list = |args: &[&str]| ids(&json(&db, &[&["list", "--json"][..], args, &now].concat()));
    assert_eq!(list(&["--person", "zoë khan"]), [7, 3, 2, 1], "her sessions, newest first");
    assert_eq!(list(&["--lot", "l-1"]), [4, 2, 1], "a lot, whatever its case");
    assert_eq!(list(&["--since", "2026-02-05", "--until", "2026-03-02"]), [5, 4, 2], "both days included");
    assert_eq!(list(&["--serum", "hyaluronic", "--area", "forehead"]), [5, 4]);
    assert_eq!(list(&["--status", "planned"]), [7]);
    assert_eq!(list(&["--person", "Ana Ruiz", "--lot", "L-1"]), [4]);
    let none = ok(&db, &[&["list", "--person", "Ben Okafor", "--since", "2026-01-01"][..], &now].concat());
    assert_eq!(none, "No session matches these filters.\n");
}

#[test]
fn unknown_names_and_lots_get_the_closest_ones() {
    let (_dir, db) = temp_db();
    practice(&db);
    // A few letters find her, as on every command.
    let found = ok(&db, &["list", "--person", "zoe kh"]);
    assert!(found.contains("Zoë Khan"), "the client is named: {found}");
    let person = run(&db, &["list", "--person", "zoe kx"]);
    assert_eq!(person.code, 2);
    assert!(person.stderr.contains("nobody is called \"zoe kx\"; closest: Zoë Khan"), "{}", person.stderr);
    let lot = run(&db, &["list", "--lot", "L-3"]);
    assert_eq!(lot.code, 2);
    assert!(lot.stderr.contains("no session used lot \"L-3\"; closest:"), "{}", lot.stderr);
    let lots = run(&db, &["lots", "--lot", "XQ-77"]);
    assert_eq!(lots.code, 2, "{}", lots.stderr);
    assert!(lots.stderr.contains("needlelog lots lists every lot"), "{}", lots.stderr);
}

#[test]
fn lots_answer_a_product_recall() {
    let (_dir, db) = temp_db();
    practice(&db);
    let table = ok(&db, &["lots"]);
    assert!(table.lines().next().unwrap().starts_with("LOT"), "{table}");
    assert!(table.contains("P-9") && table.contains("L-2"), "{table}");
    let all = json(&db, &["lots", "--json"]);
    let l1 = all.as_array().unwrap().iter().find(|l| l["lot"].as_str().unwrap().eq_ignore_ascii_case("L-1")).unwrap();
    assert_eq!(l1["sessions"], 3);
    assert_eq!(l1["serum"], "Hyaluronic acid 2%");
    let one = ok(&db, &["lots", "--lot", "L-1"]);
    assert!(one.starts_with("Lot L-1: 3 sessions for 2 people."), "{one}");
    assert!(one.contains("Zoë Khan") && one.contains("Ana Ruiz") && !one.contains("Ben Okafor"), "{one}");
    let one = json(&db, &["lots", "--lot", "L-1", "--json"]);
    assert_eq!(one["people"], 2);
}

#[test]
fn due_is_grouped_and_lapsed_ones_are_apart() {
    let (_dir, db) = temp_db();
    practice(&db);
    // 20 March: Zoë is booked for 10 April (window 6 Apr – 20 Apr: next week+);
    // Ana's window (30 Mar – 13 Apr) opens in 10 days; Ben lapsed long ago.
    let text = ok(&db, &["due", "--now", "2026-03-20 09:00"]);
    assert!(text.contains("Next week (1)\n  Ana Ruiz"), "{text}");
    assert!(text.contains("Lapsed (1)\n  Ben Okafor"), "{text}");
    assert!(!text.contains("Zoë"), "Zoë's window is further than 14 days: {text}");
    let later = json(&db, &["due", "--within", "30d", "--json", "--now", "2026-03-20 09:00"]);
    let groups = &later["groups"];
    assert_eq!(groups["later"][0]["person"], "Zoë Khan");
    assert!(groups["later"][0]["booked"].as_str().unwrap().starts_with("2026-04-10"));
    assert_eq!(groups["overdue"].as_array().unwrap().len(), 0);
    let overdue = json(&db, &["due", "--json", "--now", "2026-04-20 09:00"]);
    assert_eq!(overdue["groups"]["overdue"][0]["person"], "Ana Ruiz");
    let bad = run(&db, &["due", "--within", "soon"]);
    assert_eq!(bad.code, 2);
}

#[test]
fn recalls_say_who_exactly_and_how_to_reach_them() {
    let (_dir, db) = temp_db();
    practice(&db);
    let at = ["--now", "2026-03-20 09:00"];
    ok(&db, &[&["person", "edit", "Ana Ruiz", "--born", "1984-03-02", "--contact", "07700 900123"][..], &at].concat());
    let text = ok(&db, &[&["due"][..], &at].concat());
    let ana = text.lines().find(|l| l.contains("Ana Ruiz")).unwrap();
    assert!(ana.contains("#3") && ana.contains("b. 1984-03-02") && ana.contains("07700 900123"), "{text}");
    let listed = json(&db, &[&["due", "--json"][..], &at].concat());
    let entry = &listed["groups"]["next_week"][0];
    assert_eq!((entry["person_id"].as_i64(), entry["born_on"].as_str()), (Some(3), Some("1984-03-02")));
    assert_eq!(entry["contact"], "07700 900123");
    // A list to call: the same rows and order, as CSV.
    let csv = ok(&db, &[&["due", "--csv"][..], &at].concat());
    let rows: Vec<&str> = csv.lines().collect();
    assert_eq!(rows[0], "group,person,person_id,born_on,contact,concern,areas,course_id,day,days,booked");
    assert_eq!(
        rows[1],
        "next_week,Ana Ruiz,3,1984-03-02,07700 900123,General rejuvenation / texture,forehead,2,2026-03-30,10,"
    );
    assert!(rows[2].starts_with("lapsed,Ben Okafor,4,"), "{csv}");
    let both = run(&db, &[&["due", "--csv", "--json"][..], &at].concat());
    assert_eq!(both.code, 2, "{}", both.stderr);
    // To a file: private, and said.
    let out = db.with_file_name("calls.csv");
    let said = ok(&db, &[&["due", "--csv", "-o", out.to_str().unwrap()][..], &at].concat());
    assert!(said.starts_with("Wrote 2 recalls to call or mail to"), "{said}");
    assert_eq!(std::fs::read_to_string(&out).unwrap(), csv);
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(std::fs::metadata(&out).unwrap().permissions().mode() & 0o777, 0o600);
    // A product recall names them the same way.
    let lot = ok(&db, &[&["lots", "--lot", "L-2"][..], &at].concat());
    assert!(lot.contains("#3") && lot.contains("1984-03-02") && lot.contains("07700 900123"), "{lot}");
    let lot = json(&db, &[&["lots", "--lot", "L-2", "--json"][..], &at].concat());
    assert_eq!(lot["sessions"][0]["contact"], "07700 900123");
}

#[test]
fn person_list_search_finds_by_a_few_letters() {
    let (_dir, db) = temp_db();
    practice(&db);
    let found = ok(&db, &["person", "list", "--search", "zoe kh"]);
    let rows: Vec<&str> = found.lines().skip(1).collect();
    assert!(rows[0].contains("Zoë Khan"), "{found}");
    let notes = ok(&db, &["person", "list", "--search", "lidoc"]);
    assert!(notes.contains("Ana Ruiz") && !notes.contains("Zoë"), "notes are searched too: {notes}");
    assert_eq!(ok(&db, &["person", "list", "--search", "qqqq"]), "Nobody matches \"qqqq\".\n");
}

#[test]
fn logging_past_a_finished_course_says_what_to_do() {
    let (_dir, db) = temp_db();
    let at = ["--now", "2026-01-01 09:00"];
    ok(&db, &[&["course", "add", "--concern", "acne-scars", "--area", "cheeks", "--sessions", "1"][..], &at].concat());
    log(&db, "1", "2026-01-05 10:00", &["--depth", "1.0"]);
    let second =
        run(&db, &["log", "--course", "1", "--at", "2026-02-05 10:00", "--depth", "1.0", "--now", "2026-02-05 12:00"]);
    assert_eq!(second.code, 0);
    assert!(second.stdout.contains("Logged maintenance session 1"), "{}", second.stdout);
    assert!(second.stdout.contains("1 of 1 done + 1 maintenance"), "{}", second.stdout);
    assert!(
        second.stderr.contains("had all its 1 sessions done already: this one counts as maintenance"),
        "{}",
        second.stderr
    );
    assert!(second.stderr.contains("needlelog course edit 1 --sessions 2"), "{}", second.stderr);
}

#[test]
fn screening_answers_are_kept_exported_and_imported() {
    let (dir, db) = temp_db();
    let at = ["--now", "2026-01-01 09:00"];
    ok(&db, &[&["course", "add", "--concern", "acne-scars", "--area", "cheeks"][..], &at].concat());
    let none = run(&db, &["log", "--depth", "1.0", "--at", "2026-01-05 10:00", "--now", "2026-01-05 12:00"]);
    assert!(none.stderr.contains("no screening answers given"), "{}", none.stderr);
    let some = run(
        &db,
        &["log", "--depth", "1.0", "--at", "2026-02-05 10:00", "--now", "2026-02-05 12:00", "--screening", "Cold-Sore"],
    );
    assert!(some.stderr.contains("a reason for caution was noted"), "{}", some.stderr);
    log(&db, "1", "2026-03-05 10:00", &["--depth", "1.0", "--screening", "none"]);
    let bad = run(&db, &["log", "--depth", "1.0", "--screening", "flu"]);
    assert_eq!(bad.code, 2);
    assert!(
        bad.stderr.contains("--screening: no question \"flu\"; use none, or some of: active-acne"),
        "{}",
        bad.stderr
    );

    let answers = |db: &Path| -> Vec<serde_json::Value> {
        let mut list: Vec<_> = json(db, &["list", "--json"]).as_array().unwrap().clone();
        list.sort_by_key(|s| s["id"].as_i64());
        list.iter().map(|s| s["screening"].clone()).collect()
    };
    let expected = vec![serde_json::Value::Null, serde_json::json!(["cold-sore"]), serde_json::json!([])];
    assert_eq!(answers(&db), expected);
    let export = dir.path().join("export.json");
    ok(&db, &["export", "--format", "json", "-o", export.to_str().unwrap()]);
    let copy = dir.path().join("copy.db");
    ok(&copy, &["import", export.to_str().unwrap()]);
    assert_eq!(answers(&copy), expected, "through JSON and back");
    let csv = ok(&db, &["export", "--format", "csv"]);
    assert!(csv.lines().next().unwrap().ends_with(",screening,adverse_events,voided"), "{csv}");
    assert!(csv.contains(",cold-sore,,\r") && csv.contains(",none,,\r"), "{csv}");
}

#[test]
fn one_booking_per_window_and_no_plans_in_the_past_unless_asked() {
    let (_dir, db) = temp_db();
    let at = ["--now", "2026-01-01 09:00"];
    ok(&db, &[&["course", "add", "--concern", "acne-scars", "--area", "cheeks"][..], &at].concat());
    log(&db, "1", "2026-01-05 10:00", &["--depth", "1.0", "--screening", "none"]);
    // Window: 2 Feb – 16 Feb. Booked for the 20th: after it closes, and it says so.
    let booked = run(&db, &["plan", "--at", "2026-02-20 10:00", "--now", "2026-01-10 09:00"]);
    assert_eq!(booked.code, 0, "{}", booked.stderr);
    assert!(booked.stderr.contains("outside the next window"), "{}", booked.stderr);
    let status = ok(&db, &["status", "--now", "2026-01-10 09:00"]);
    assert!(status.contains("— session 2 of 6 (#2) — after the window closes (16 Feb)"), "{status}");
    // A second booking is asked for by name.
    let second = run(&db, &["plan", "--at", "2026-02-10 10:00", "--now", "2026-01-10 09:00"]);
    assert_eq!(second.code, 2);
    assert!(second.stderr.contains("already has a session booked for Fri 20 Feb 2026 10:00 (#2)"), "{}", second.stderr);
    assert!(second.stderr.contains("needlelog edit 2 --at DATETIME, or add --another"), "{}", second.stderr);
    ok(&db, &["plan", "--at", "2026-02-10 10:00", "--another", "--now", "2026-01-10 09:00"]);
    // A time already passed is refused unless --past says so.
    ok(&db, &["rm", "2", "--yes"]);
    ok(&db, &["rm", "3", "--yes"]);
    let past = run(&db, &["plan", "--at", "2026-01-08 10:00", "--now", "2026-01-10 09:00"]);
    assert_eq!(past.code, 2);
    assert!(past.stderr.contains("has already passed: plan a time ahead (--at), or add --past"), "{}", past.stderr);
    ok(&db, &["plan", "--at", "2026-01-08 10:00", "--past", "--now", "2026-01-10 09:00"]);
}

#[test]
fn skin_type_cautions_are_notes_never_blocks() {
    let (_dir, db) = temp_db();
    let at = ["--now", "2026-01-01 09:00"];
    ok(
        &db,
        &[&["person", "add", "Ama Mensah", "--skin-type", "v", "--notes", "on isotretinoin until March"][..], &at]
            .concat(),
    );
    ok(
        &db,
        &[&["course", "add", "--person", "Ama Mensah", "--concern", "acne-scars", "--area", "cheeks"][..], &at]
            .concat(),
    );
    let deep = run(
        &db,
        &["log", "--depth", "1.5", "--screening", "none", "--at", "2026-01-05 10:00", "--now", "2026-01-05 12:00"],
    );
    assert_eq!(deep.code, 0, "saved: {}", deep.stderr);
    assert!(
        deep.stderr.contains("note: deeper than 1 mm on skin type V raises the risk of dark marks"),
        "{}",
        deep.stderr
    );
    ok(&db, &[&["person", "add", "Bo Lind", "--skin-type", "ii"][..], &at].concat());
    ok(
        &db,
        &[&["course", "add", "--person", "Bo Lind", "--concern", "rejuvenation", "--area", "cheeks"][..], &at].concat(),
    );
    let light =
        run(&db, &["log", "--course", "2", "--depth", "0.5", "--screening", "none", "--now", "2026-01-05 12:00"]);
    assert!(!light.stderr.contains("note:"), "{}", light.stderr);
}

#[test]
fn every_change_leaves_a_trail_that_only_grows_and_travels_with_exports() {
    let (dir, db) = temp_db();
    let at = ["--now", "2026-01-01 09:00"];
    ok(&db, &[&["course", "add", "--concern", "acne-scars", "--area", "cheeks"][..], &at].concat());
    log(&db, "1", "2026-01-05 10:00", &["--depth", "1.0", "--screening", "none"]);
    ok(&db, &["edit", "1", "--depth", "1.25", "--pain", "3", "--now", "2026-01-06 09:00"]);
    ok(&db, &["course", "edit", "1", "--sessions", "5", "--now", "2026-01-06 09:30"]);
    let export = json(&db, &["export", "--format", "json"]);
    let edits = export["edits"].as_array().unwrap();
    let fields: Vec<(&str, &str, &str, &str)> = edits
        .iter()
        .map(|e| {
            (
                e["kind"].as_str().unwrap(),
                e["field"].as_str().unwrap(),
                e["old"].as_str().unwrap(),
                e["new"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        fields,
        [
            ("course", "added", "", "acne-scars on cheeks, 6 sessions"),
            ("session", "added", "", "done 2026-01-05T10:00:00Z"),
            ("session", "pain", "–", "3"),
            ("session", "depth", "cheeks=1", "cheeks=1.25"),
            ("course", "sessions", "6", "5")
        ]
    );
    assert_eq!(edits[2]["source"], "cli");
    assert_eq!(edits[2]["at"], "2026-01-06T09:00:00Z", "stamped with the commands' clock");
    // Through JSON into a new file and out again: the same trail.
    let file = dir.path().join("export.json");
    ok(&db, &["export", "--format", "json", "-o", file.to_str().unwrap()]);
    let copy = dir.path().join("copy.db");
    ok(&copy, &["import", file.to_str().unwrap()]);
    let copied = json(&copy, &["export", "--format", "json"]);
    assert_eq!(copied["edits"].as_array().unwrap()[..5], edits[..], "and then the import itself");
    assert!(ok(&db, &["doctor"]).contains("edit trail   5 changes kept"));
    // It only grows: the file refuses to rewrite or drop an entry.
    let conn = rusqlite::Connection::open(&db).unwrap();
    let changed = conn.execute("UPDATE edit_trail SET new = 'x'", []);
    assert!(changed.unwrap_err().to_string().contains("only grows"));
    assert!(conn.execute("DELETE FROM edit_trail", []).is_err());
}

#[test]
fn adverse_events_are_recorded_resolved_exported_and_kept_through_the_trash() {
    let (dir, db) = temp_db();
    let at = ["--now", "2026-03-01 09:00"];
    ok(&db, &[&["course", "add", "--concern", "acne-scars", "--area", "cheeks"][..], &at].concat());
    log(&db, "1", "2026-03-02 10:00", &["--depth", "1.5", "--screening", "none"]);
    let added = ok(
        &db,
        &[
            "event",
            "add",
            "1",
            "--kind",
            "bruising",
            "--severity",
            "1",
            "--on",
            "2026-03-03",
            "--notes",
            "left cheek; cold pack",
            "--now",
            "2026-03-03 12:00",
        ],
    );
    assert!(added.contains("Recorded event 1 on session 1: Bruising (1/3), noticed Tue 3 Mar 2026."), "{added}");
    ok(&db, &["event", "add", "1", "--kind", "pih", "--severity", "2", "--now", "2026-03-10 12:00"]);
    let bad = run(&db, &["event", "add", "1", "--kind", "rash", "--severity", "1"]);
    assert_eq!(bad.code, 2);
    assert!(bad.stderr.contains("no adverse event kind \"rash\": use one of bruising, swelling"), "{}", bad.stderr);
    assert_eq!(run(&db, &["event", "add", "1", "--kind", "pih", "--severity", "4"]).code, 2);
    let early = run(&db, &["event", "resolve", "1", "--on", "2026-03-01"]);
    assert_eq!(early.code, 2);
    assert!(early.stderr.contains("is before event 1 was noticed"), "{}", early.stderr);
    ok(&db, &["event", "resolve", "1", "--on", "2026-03-06"]);
    let open = json(&db, &["event", "list", "--open", "--json"]);
    assert_eq!(open.as_array().unwrap().len(), 1);
    assert_eq!(open[0]["kind"], "pih");
    // JSON and back, and the CSV line.
    let file = dir.path().join("export.json");
    ok(&db, &["export", "--format", "json", "-o", file.to_str().unwrap()]);
    let copy = dir.path().join("copy.db");
    ok(&copy, &["import", file.to_str().unwrap()]);
    assert_eq!(json(&copy, &["event", "list", "--json"]), json(&db, &["event", "list", "--json"]));
    let csv = ok(&db, &["export", "--format", "csv"]);
    assert!(csv.contains("bruising 1 2026-03-03..2026-03-06; pih 2 2026-03-10..open"), "{csv}");
    // Its session voided, they stay with it (never purged), and come back with it.
    ok(&db, &["rm", "1", "--yes"]);
    assert_eq!(json(&db, &["event", "list", "--json"]).as_array().unwrap().len(), 2);
    assert_eq!(run(&db, &["trash", "empty"]).code, 2, "not without a yes");
    assert_eq!(json(&db, &["trash", "list", "--json"]).as_array().unwrap().len(), 1);
    ok(&db, &["trash", "restore", "1"]);
    assert_eq!(json(&db, &["list", "--json"]).as_array().unwrap().len(), 1);
}

#[test]
fn a_practitioners_file_names_its_clients_by_a_few_letters_and_keeps_calendars_discreet() {
    let (_dir, db) = temp_db();
    let said = ok(&db, &["init", "--practitioner"]);
    assert!(said.contains("is a practitioner's file"), "{said}");
    assert_eq!(json(&db, &["person", "list", "--json"]).as_array().map(Vec::len), Some(0), "no \"Me\"");
    practice(&db);
    // Scar work's depths are said once, when the course starts; not at each save.
    ok(&db, &["person", "add", "Ivo Petrov", "--now", "2026-04-01 09:00"]);
    let r = run(
        &db,
        &["course", "add", "--person", "Ivo", "--concern", "scars", "--area", "cheeks", "--now", "2026-04-01 09:00"],
    );
    assert!(r.stderr.contains("professional depths (cheeks 1.5–2.5 mm) are saved without a warning"), "{}", r.stderr);
    let r = run(&db, &["log", "--person", "Ivo", "--depth", "2.0", "--screening", "none", "--now", "2026-04-02 09:00"]);
    assert!(!r.stderr.contains("above the usual"), "{}", r.stderr);

    // --person on log, plan and status: a few letters will do.
    ok(&db, &["log", "--person", "zoe", "--at", "2026-04-10 10:00", "--depth", "1.0", "--now", "2026-04-10 12:00"]);
    let planned = ok(&db, &["plan", "--person", "ana r", "--at", "2026-05-10 10:00", "--now", "2026-04-10 12:00"]);
    assert!(planned.starts_with("Planned session 3 of 4 (#"), "{planned}");
    let status = ok(&db, &["status", "--person", "Zoë", "--now", "2026-04-10 12:00"]);
    assert!(status.contains("Zoë Khan ▸ Acne scars") && !status.contains("Ana Ruiz"), "{status}");
    let due = ok(&db, &["status", "--due", "--now", "2026-04-10 12:00"]);
    assert!(due.contains("Zoë Khan ▸ Acne") && due.contains("Ben Okafor ▸ Wrinkles"), "sensitive and overdue: {due}");
    // Zoë's visit that morning completed her booking: one visit, one session,
    // and nothing asks whether it happened.
    let later = ok(&db, &["status", "--due", "--person", "zoe", "--now", "2026-04-20 12:00"]);
    assert_eq!(later, "Nothing calls for anything now.\n", "recovering: nothing to do");
    // Too few letters to tell people apart: a few are named, and how to narrow it.
    let r = run(&db, &["log", "--person", "a", "--now", "2026-04-10 12:00"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("finds") && r.stderr.contains("type more of the name"), "{}", r.stderr);

    // Calendars: initials, the last 30 days and what is ahead; --names and --all change that.
    let ics = ok(&db, &["export", "--format", "ics", "--now", "2026-04-20 09:00"]);
    assert!(ics.contains("· Z.K.") && !ics.contains("Zoë Khan"), "initials only");
    assert!(!ics.contains("DTSTART:20260105T100000Z"), "old sessions stay out");
    let all = ok(&db, &["export", "--format", "ics", "--names", "full", "--all", "--now", "2026-04-20 09:00"]);
    assert!(all.contains("Zoë Khan") && all.contains("DTSTART:20260105T100000Z"));
    let none = ok(&db, &["export", "--format", "ics", "--names", "none", "--now", "2026-04-20 09:00"]);
    assert!(!none.contains("Z.K.") && !none.contains("Zoë"));
    // Changeable later.
    ok(&db, &["init", "--patient"]);
    assert!(ok(&db, &["export", "--format", "ics", "--now", "2026-04-20 09:00"]).contains("Zoë Khan"));
}

/// Ana's one-session course, done on 5 Jan and closed: maintenance from 6 Apr to 5 Jul.
fn one_finished_course(db: &Path) {
    let at = ["--now", "2026-01-01 09:00"];
    ok(db, &[&["person", "add", "Ana Ruiz"][..], &at].concat());
    let course = ["course", "add", "--person", "Ana Ruiz", "--concern", "rejuvenation", "--area", "forehead"];
    ok(db, &[&course[..], &["--sessions", "1"], &at].concat());
    log(db, "1", "2026-01-05 10:00", &["--depth", "0.5", "--screening", "none"]);
    ok(db, &["course", "close", "1", "--now", "2026-01-06 09:00"]);
}

#[test]
fn a_recall_can_be_put_off_or_ended_and_course_list_agrees() {
    let (_dir, db) = temp_db();
    one_finished_course(&db);
    // Maintenance opens on 6 Apr: recalled.
    let due = |now: &str| ok(&db, &["due", "--now", now]);
    assert!(due("2026-04-10 09:00").contains("Ana Ruiz"), "{}", due("2026-04-10 09:00"));
    let listed = ok(&db, &["course", "list", "--all", "--now", "2026-04-10 09:00"]);
    assert!(listed.contains("maintenance due"), "{listed}");
    // Put off two weeks: gone until then, back after.
    let said = ok(&db, &["course", "recall", "1", "--snooze", "2w", "--now", "2026-04-10 09:00"]);
    assert!(said.contains("put off until Fri 24 Apr 2026"), "{said}");
    assert!(!due("2026-04-20 09:00").contains("Ana Ruiz"));
    assert!(due("2026-04-25 09:00").contains("Ana Ruiz"));
    // Ended: gone for good, and course list says it is complete.
    ok(&db, &["course", "recall", "1", "--done", "--now", "2026-04-25 09:00"]);
    assert!(!due("2026-05-10 09:00").contains("Ana Ruiz"));
    let listed = ok(&db, &["course", "list", "--all", "--now", "2026-05-10 09:00"]);
    assert!(!listed.contains("maintenance due") && listed.contains("complete"), "{listed}");
    let r = run(&db, &["course", "recall", "1"]);
    assert_eq!(r.code, 2, "--done or --snooze");
}

#[test]
fn consent_is_on_record_shown_and_exported() {
    let (dir, db) = temp_db();
    ok(&db, &["init", "--practitioner"]);
    practice(&db);
    let said =
        ok(&db, &["course", "consent", "1", "--what", "Clinic consent form v3", "--on", "2026-01-02", "--photos"]);
    assert!(said.contains("Consent for course 1 on record: Clinic consent form v3"), "{said}");
    assert!(
        ok(&db, &["course", "show", "1"])
            .contains("consent      Clinic consent form v3 (Fri 2 Jan 2026, photos included)")
    );
    assert!(ok(&db, &["course", "show", "2"]).contains("consent      none on record"), "a reminder, never a block");
    let r = run(&db, &["course", "consent", "1", "--what", " "]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    // Through JSON and back.
    let export = ok(&db, &["export", "--format", "json"]);
    let value: serde_json::Value = serde_json::from_str(&export).unwrap();
    assert_eq!(value["consents"][0]["what"], "Clinic consent form v3");
    let file = dir.path().join("export.json");
    std::fs::write(&file, &export).unwrap();
    let fresh = dir.path().join("fresh.db");
    ok(&fresh, &["import", file.to_str().unwrap(), "--now", "2026-12-01 09:00"]);
    assert!(ok(&fresh, &["course", "show", "1"]).contains("Clinic consent form v3"));
}

#[test]
fn a_device_is_a_category_and_a_model_remembered() {
    let (_dir, db) = temp_db();
    practice(&db);
    ok(
        &db,
        &[
            "log",
            "--course",
            "1",
            "--at",
            "2026-04-10 10:00",
            "--device",
            "pen",
            "--model",
            "SkinPen Precision",
            "--now",
            "2026-04-10 12:00",
        ],
    );
    ok(&db, &["log", "--course", "1", "--at", "2026-05-12 10:00", "--now", "2026-05-12 12:00"]);
    let sessions = json(&db, &["list", "--course", "1", "--json"]);
    let models: Vec<&str> =
        sessions.as_array().unwrap().iter().take(2).filter_map(|s| s["device_model"].as_str()).collect();
    assert_eq!(models, ["SkinPen Precision", "SkinPen Precision"], "the next session takes the last one's model");
    let help = ok(&db, &["log", "--help"]);
    assert!(help.contains("pen, roller, rf (radio-frequency microneedling) or other"), "{help}");
    let r = run(&db, &["log", "--course", "1", "--model", "Pen\u{1b}[2J", "--now", "2026-06-20 12:00"]);
    assert_eq!(r.code, 2, "one line, no control characters: {}", r.stderr);
}

#[test]
fn a_missed_maintenance_is_recalled_for_a_while_then_no_more() {
    let (_dir, db) = temp_db();
    one_finished_course(&db);
    // The window closes 5 Jul; recall_months = 3 (protocols.toml) keeps it until 5 Oct.
    let due = |now: &str| ok(&db, &["due", "--now", now]);
    assert!(due("2026-09-01 09:00").contains("Ana Ruiz"), "lapsed, still recalled");
    assert!(!due("2026-10-10 09:00").contains("Ana Ruiz"), "{}", due("2026-10-10 09:00"));
}

#[test]
fn namesakes_are_allowed_and_told_apart_wherever_typed() {
    let (_dir, db) = temp_db();
    ok(&db, &["init", "--practitioner"]);
    ok(&db, &["person", "add", "Ana Ruiz", "--born", "1984-03-02", "--contact", "ana@example.org"]);
    let second = run(&db, &["person", "add", "Ana Ruiz"]);
    assert_eq!(second.code, 0, "{}", second.stderr);
    assert!(
        second.stderr.contains("also called Ana Ruiz: Ana Ruiz (b. 1984-03-02); name this one as #2"),
        "{}",
        second.stderr
    );
    // A name two people have asks which; a date of birth or an id says it.
    let r = run(&db, &["course", "add", "--person", "Ana Ruiz", "--concern", "scars", "--area", "cheeks"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("2 people are called \"Ana Ruiz\": Ana Ruiz (b. 1984-03-02), Ana Ruiz (#2)"),
        "{}",
        r.stderr
    );
    ok(&db, &["course", "add", "--person", "Ana Ruiz (1984-03-02)", "--concern", "scars", "--area", "cheeks"]);
    ok(&db, &["course", "add", "--person", "#2", "--concern", "wrinkles", "--area", "forehead"]);
    let list = ok(&db, &["person", "list"]);
    assert!(list.contains("1984-03-02") && list.contains("ana@example.org"), "{list}");
    ok(&db, &["person", "edit", "#2", "--born", "1990-07-14"]);
    let people = json(&db, &["person", "list", "--json"]);
    assert_eq!(people[1]["born_on"], "1990-07-14");
    // Through JSON, namesakes stay two people.
    let export = ok(&db, &["export", "--format", "json"]);
    let fresh = _dir.path().join("fresh.db");
    let file = _dir.path().join("e.json");
    std::fs::write(&file, &export).unwrap();
    ok(&fresh, &["import", file.to_str().unwrap()]);
    assert_eq!(json(&fresh, &["person", "list", "--json"]).as_array().map(Vec::len), Some(3), "Me and both Anas");
}

/// One visit, one session: logging beside a booking completes it (and says so),
/// `--another` adds a separate one, and marking a booking done an hour from a
/// done session is refused as the same visit twice.
#[test]
fn a_visit_completes_its_booking_and_is_never_counted_twice() {
    let (_dir, db) = temp_db();
    let at = ["--now", "2026-01-01 09:00"];
    ok(&db, &[&["course", "add", "--concern", "acne-scars", "--area", "cheeks"][..], &at].concat());
    log(&db, "1", "2026-01-05 10:00", &["--depth", "1.0", "--screening", "none"]);
    ok(&db, &["plan", "--at", "2026-02-05 10:00", "--now", "2026-01-05 12:00"]);
    let r = run(&db, &["log", "--depth", "1.0", "--screening", "none", "--now", "2026-02-05 10:30"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("this visit completes the session booked for Thu 5 Feb 2026 10:00 (#2)"), "{}", r.stderr);
    assert!(r.stdout.contains("Marked done session 2 of 6"), "{}", r.stdout);
    let sessions = json(&db, &["list", "--json"]);
    assert_eq!(sessions.as_array().unwrap().len(), 2, "one visit, one session: {sessions}");
    // Planned again, logged an hour before as a separate visit on purpose.
    ok(&db, &["plan", "--at", "2026-03-05 10:00", "--now", "2026-02-05 12:00"]);
    let r = run(&db, &["log", "--another", "--at", "2026-03-05 09:20", "--depth", "1.0", "--now", "2026-03-05 12:00"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(json(&db, &["list", "--json"]).as_array().unwrap().len(), 4);
    // Now the booking at 10:00 is within an hour of that done session: refused.
    let r = run(&db, &["log", "--done", "3", "--now", "2026-03-05 12:00"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("session 4 was done at Thu 5 Mar 2026 09:20, within an hour"), "{}", r.stderr);
    let status = ok(&db, &["status", "--now", "2026-03-05 12:00"]);
    assert!(status.contains("3 of 6"), "counted once each: {status}");
}

/// "Zoë Khan" and "Zoe Khan" are namesakes by their letters: adding the second
/// names the first, and the name alone is ambiguous (both listed, exit 2).
#[test]
fn names_that_match_without_accents_and_case_are_namesakes() {
    let (_dir, db) = temp_db();
    ok(&db, &["init", "--practitioner"]);
    ok(&db, &["person", "add", "Zoë Khan", "--born", "1984-03-02"]);
    let r = run(&db, &["person", "add", "zoe  KHAN"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("also called zoe  KHAN: Zoë Khan (b. 1984-03-02)"), "{}", r.stderr);
    let r = run(&db, &["course", "add", "--person", "zoe khan", "--concern", "scars", "--area", "cheeks"]);
    assert_eq!(r.code, 2, "{}", r.stdout);
    assert!(
        r.stderr.contains("2 people are called \"zoe khan\"") && r.stderr.contains("Zoë Khan (b. 1984-03-02)"),
        "{}",
        r.stderr
    );
    // Told apart by the date of birth, it is the one.
    let r = run(&db, &["course", "add", "--person", "Zoe Khan (1984-03-02)", "--concern", "scars", "--area", "cheeks"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
}

/// Consent in the flow: on a practitioner's file, a treatment logged with no
/// consent on record, or pictures kept without consent to photos, get a word —
/// never a refusal — and the consent says who took it.
#[test]
fn logging_without_consent_on_a_practitioners_file_is_said_never_refused() {
    let (_dir, db) = temp_db();
    ok(&db, &["init", "--practitioner", "--name", "Dr Ines Lee"]);
    ok(&db, &["person", "add", "Ana Ruiz"]);
    ok(&db, &["course", "add", "--person", "Ana", "--concern", "scars", "--area", "cheeks"]);
    let r = run(&db, &["log", "--person", "Ana", "--depth", "1.0", "--screening", "none"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("no consent on record for course 1"), "{}", r.stderr);
    ok(&db, &["course", "consent", "1", "--what", "Form v3"]);
    let shown = ok(&db, &["course", "show", "1"]);
    assert!(shown.contains("Form v3") && shown.contains("taken by Dr Ines Lee"), "{shown}");
    let r = run(&db, &["log", "--person", "Ana", "--depth", "1.0", "--screening", "none", "--another"]);
    assert!(!r.stderr.contains("consent"), "{}", r.stderr);
    let trail = ok(&db, &["trail", "--person", "Ana"]);
    assert!(trail.contains("Dr Ines Lee (cli)") && trail.contains("consent"), "{trail}");
}

/// `needlelog rate` gives the final rating the results-day reminder asks for —
/// not before that day.
#[test]
fn the_final_rating_is_given_from_the_command_line_on_results_day() {
    let (_dir, db) = temp_db();
    one_finished_course(&db);
    let early = run(&db, &["rate", "8", "--now", "2026-02-01 09:00"]);
    assert_eq!(early.code, 2);
    assert!(early.stderr.contains("results are judged on"), "{}", early.stderr);
    let said = ok(&db, &["rate", "8", "--now", "2026-04-06 09:00"]);
    assert!(said.contains("Rated course 1's results 8/10."), "{said}");
    let export = json(&db, &["export", "--format", "json"]);
    assert_eq!(export["courses"][0]["final_rating"], 8);
    assert_eq!(run(&db, &["rate", "11"]).code, 2, "1 to 10");
}

/// A maintenance session logged in a finished course is the course's own:
/// counted apart, its own "settled by" day, and the course's results day and
/// rating never move — in status, JSON, the report and the calendar.
#[test]
fn a_maintenance_session_keeps_the_results_day_and_its_rating() {
    let (dir, db) = temp_db();
    one_finished_course(&db);
    ok(&db, &["rate", "8", "--now", "2026-04-06 09:00"]);
    let before = ok(&db, &["course", "show", "1", "--now", "2026-04-06 09:00"]);
    assert!(before.contains("results      Mon 5 Apr 2026") || before.contains("results"), "{before}");
    let r =
        run(&db, &["log", "--course", "1", "--at", "2026-05-10 10:00", "--depth", "0.5", "--now", "2026-05-10 12:00"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("Logged maintenance session 1"), "{}", r.stdout);
    let after = ok(&db, &["course", "show", "1", "--now", "2026-05-20 09:00"]);
    let results = |text: &str| text.lines().find(|l| l.trim_start().starts_with("results")).map(str::to_string);
    assert_eq!(results(&after), results(&before), "the results day and its rating stay: {after}");
    assert!(after.contains("1 of 1 done + 1 maintenance") && after.contains("settled by   Mon 10 Aug 2026"), "{after}");
    let export = json(&db, &["export", "--format", "json"]);
    assert_eq!(export["courses"][0]["final_rating"], 8);
    assert_eq!(export["sessions"][1]["maintenance"], true, "JSON says which is maintenance");
    assert!(export["sessions"][0].get("maintenance").is_none());
    let csv = ok(&db, &["export", "--format", "csv"]);
    assert!(csv.contains(",done,maintenance,") && csv.contains(",done,main,"), "{csv}");
    let ics = ok(&db, &["export", "--format", "ics", "--now", "2026-05-20 09:00"]);
    assert!(ics.contains("Microneedling maintenance 1"), "{ics}");
    let report = dir.path().join("report.html");
    ok(&db, &["report", "--course", "1", "-o", report.to_str().unwrap(), "--now", "2026-05-20 09:00"]);
    let page = std::fs::read_to_string(&report).unwrap();
    assert!(page.contains("1 of 1 done + 1 maintenance") && page.contains("8/10"), "the report counts it apart");
    assert!(page.contains(">M1<"), "its row is numbered as maintenance");
}

/// A separate maintenance course closes the first one (all its sessions done):
/// commands without --course then act on the one current course.
#[test]
fn a_maintenance_course_retires_the_finished_one() {
    let (_dir, db) = temp_db();
    let at = ["--now", "2026-01-01 09:00"];
    ok(&db, &[&["course", "add", "--concern", "acne-scars", "--area", "cheeks", "--sessions", "1"][..], &at].concat());
    log(&db, "1", "2026-01-05 10:00", &["--depth", "1.0", "--screening", "none"]);
    let r = run(
        &db,
        &[
            "course",
            "add",
            "--concern",
            "acne-scars",
            "--area",
            "cheeks",
            "--sessions",
            "1",
            "--now",
            "2026-05-01 09:00",
        ],
    );
    assert!(
        r.stderr.contains("course 1 had all its sessions done: it is closed, and course 2 follows it"),
        "{}",
        r.stderr
    );
    let logged = run(&db, &["log", "--depth", "1.0", "--screening", "none", "--now", "2026-05-02 09:00"]);
    assert_eq!(logged.code, 0, "no --course needed: {}", logged.stderr);
    assert!(!ok(&db, &["due", "--now", "2026-09-01 09:00"]).contains("course 1"), "its recall is retired");
}

/// A course started by mistake is voided with its done sessions (kept, counted
/// nowhere) and its bookings cancelled; trash restore brings all of it back.
#[test]
fn a_course_started_by_mistake_is_voided_and_comes_back() {
    let (_dir, db) = temp_db();
    let at = ["--now", "2026-01-01 09:00"];
    ok(&db, &[&["course", "add", "--concern", "acne-scars", "--area", "cheeks"][..], &at].concat());
    log(&db, "1", "2026-01-05 10:00", &["--depth", "1.0", "--screening", "none"]);
    ok(&db, &["plan", "--at", "2026-02-05 10:00", "--now", "2026-01-06 09:00"]);
    let r = run(&db, &["course", "void", "1", "--reason", "   "]);
    assert_eq!(r.code, 2, "a reason is needed: {}", r.stderr);
    let said =
        ok(&db, &["course", "void", "1", "--reason", "started for the wrong person", "--now", "2026-01-06 10:00"]);
    assert!(said.contains("Voided course 1"), "{said}");
    let listed = ok(&db, &["course", "list", "--all"]);
    assert!(listed.starts_with("No courses yet"), "listed nowhere: {listed}");
    let all = json(&db, &["list", "--all", "--json"]);
    let statuses: Vec<&str> = all.as_array().unwrap().iter().map(|s| s["status"].as_str().unwrap()).collect();
    assert!(statuses.contains(&"voided") && statuses.contains(&"cancelled"), "{statuses:?}");
    let trash = ok(&db, &["trash", "list"]);
    assert!(trash.contains("voided course 1 (and its sessions)"), "{trash}");
    let back = ok(&db, &["trash", "restore", "1"]);
    assert!(back.contains("Brought back course 1"), "{back}");
    let all = json(&db, &["list", "--json"]);
    let statuses: Vec<&str> = all.as_array().unwrap().iter().map(|s| s["status"].as_str().unwrap()).collect();
    assert_eq!(statuses, ["planned", "done"], "as they were");
}

/// `log` fills what is not given from the course's last session, as the app's
/// `a` does, and says what it took; `--fresh` starts blank.
#[test]
fn log_fills_from_the_last_session_as_the_app_does() {
    let (_dir, db) = temp_db();
    let at = ["--now", "2026-01-01 09:00"];
    ok(&db, &[&["course", "add", "--concern", "acne-scars", "--area", "cheeks"][..], &at].concat());
    log(&db, "1", "2026-01-05 10:00", &["--depth", "1.25", "--passes", "4", "--serum", "HA 2%", "--screening", "none"]);
    let r = run(&db, &["log", "--at", "2026-02-05 10:00", "--screening", "none", "--now", "2026-02-05 12:00"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains("took depth, serum, passes from the last session (#1); --fresh starts blank"),
        "{}",
        r.stderr
    );
    let last = &json(&db, &["list", "--json"])[0];
    assert_eq!(
        (last["depths"][0]["mm"].as_f64(), last["passes"].as_i64(), last["serum"].as_str()),
        (Some(1.25), Some(4), Some("HA 2%"))
    );
    let r =
        run(&db, &["log", "--fresh", "--at", "2026-03-08 10:00", "--screening", "none", "--now", "2026-03-08 12:00"]);
    assert!(!r.stderr.contains("took"), "{}", r.stderr);
    assert!(json(&db, &["list", "--json"])[0]["serum"].is_null());
}

/// The day sheet: a day's bookings in time order, each client told apart from a
/// namesake, the course and its place, and what needs attention before the visit.
#[test]
fn the_day_sheet_lists_the_bookings_and_what_needs_attention() {
    let (_dir, db) = temp_db();
    let at = ["--now", "2026-03-01 09:00"];
    ok(&db, &[&["init", "--practitioner"][..], &at].concat());
    ok(
        &db,
        &[&["person", "add", "Ana Ruiz", "--born", "1984-03-02", "--contact", "ana@example.org"][..], &at].concat(),
    );
    ok(&db, &[&["person", "add", "Ana Ruiz", "--born", "1990-07-11"][..], &at].concat());
    for person in ["#1", "#2"] {
        ok(
            &db,
            &[&["course", "add", "--person", person, "--concern", "acne-scars", "--area", "cheeks"][..], &at].concat(),
        );
    }
    ok(
        &db,
        &[
            "log",
            "--course",
            "1",
            "--at",
            "2026-03-02 10:00",
            "--depth",
            "1.0",
            "--screening",
            "none",
            "--now",
            "2026-03-02 12:00",
        ],
    );
    ok(&db, &["event", "add", "1", "--kind", "bruising", "--severity", "1", "--now", "2026-03-03 09:00"]);
    ok(&db, &["course", "consent", "2", "--what", "Form v3", "--now", "2026-03-03 09:00"]);
    ok(&db, &["plan", "--course", "2", "--at", "2026-04-01 14:00", "--now", "2026-03-03 09:00"]);
    ok(&db, &["plan", "--course", "1", "--at", "2026-04-01 10:00", "--now", "2026-03-03 09:00"]);
    let sheet = ok(&db, &["day", "2026-04-01", "--now", "2026-03-31 09:00"]);
    let lines: Vec<&str> = sheet.lines().collect();
    assert!(lines[0].starts_with("Wed 1 Apr 2026: 2 bookings"), "{sheet}");
    assert!(lines[2].starts_with("10:00  Ana Ruiz (b. 1984-03-02)"), "time order, told apart: {sheet}");
    assert!(lines[2].contains("no consent on record") && lines[2].contains("open: Bruising 1/3"), "{sheet}");
    assert!(lines[3].starts_with("14:00  Ana Ruiz (b. 1990-07-11)") && !lines[3].contains("consent"), "{sheet}");
    let json = json(&db, &["day", "2026-04-01", "--json", "--now", "2026-03-31 09:00"]);
    assert_eq!(json["bookings"][0]["person"]["contact"], "ana@example.org");
    assert_eq!(ok(&db, &["day", "2026-04-02", "--now", "2026-03-31 09:00"]), "No bookings on Thu 2 Apr 2026.\n");
    // A booking kept is on the sheet; one done, or of a course voided, is not.
    ok(&db, &["log", "--course", "1", "--at", "2026-04-01 10:05", "--depth", "1.0", "--now", "2026-04-01 11:00"]);
    ok(&db, &["course", "void", "2", "--reason", "started by mistake", "--now", "2026-04-01 11:00"]);
    assert_eq!(ok(&db, &["day", "2026-04-01", "--now", "2026-04-01 11:00"]), "No bookings on Wed 1 Apr 2026.\n");
}

/// A list longer than the rows a table holds back is written as it is read: every
/// session once, in order, the later rows in the same columns as the first, and
/// JSON an array of them all.
#[test]
fn a_long_list_streams_in_the_same_columns_and_as_one_json_array() {
    let (_dir, db) = temp_db();
    let now = "2026-11-24 09:00";
    let said = ok(
        &db,
        &["demo", "--people", "150", "--years", "4", "--seed", "2", "--now", now, "--out", db.to_str().unwrap()],
    );
    assert!(said.starts_with("Wrote"), "{said}");
    let listed = json(&db, &["list", "--json", "--now", now]);
    let sessions = listed.as_array().unwrap();
    assert!(sessions.len() > 2500, "more than a block: {}", sessions.len());
    let ids: Vec<i64> = sessions.iter().map(|s| s["id"].as_i64().unwrap()).collect();
    let mut unique = ids.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), ids.len(), "each once");
    let text = ok(&db, &["list", "--now", now]);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), ids.len() + 1, "a header and a row each");
    assert!(lines[0].starts_with("ID "));
    // Each row's STATUS column starts where the header's does, early and late.
    let at = lines[0].find("STATUS").unwrap();
    for line in [lines[1], lines[1999], lines[2001], lines[lines.len() - 1]] {
        let status = &line[at..];
        assert!(["planned", "done", "cancelled"].iter().any(|s| status.starts_with(s)), "{line}");
    }
    let first: Vec<&str> = lines[1..].iter().map(|l| l.split_whitespace().next().unwrap()).collect();
    assert_eq!(
        first,
        ids.iter().map(|i| i.to_string()).collect::<Vec<_>>().iter().map(String::as_str).collect::<Vec<_>>()
    );
}
