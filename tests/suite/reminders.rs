//! Reminders when the app is closed, the status line and the calendar kept current,
//! through the real binary at crafted `--now` times.

use std::path::Path;

use crate::common;
use common::{json, ok, run};

fn temp_db() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("needlelog.db");
    (dir, db)
}

/// What `remind --within 0 --json` tells at `now`: (kind, text) pairs.
fn told(db: &Path, now: &str) -> Vec<(String, String)> {
    let value = json(db, &["remind", "--within", "0", "--json", "--now", now]);
    value["reminders"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["kind"].as_str().unwrap().to_string(), r["text"].as_str().unwrap().to_string()))
        .collect()
}

fn kinds(list: &[(String, String)]) -> Vec<&str> {
    list.iter().map(|(k, _)| k.as_str()).collect()
}

/// My acne-scar course (one session on 5 Jan: window 2–16 Feb) and Ana's
/// one-session course (results day 5 Apr, maintenance from 6 Apr).
fn two_courses(db: &Path) {
    let now = ["--now", "2026-01-05 12:00"];
    ok(db, &[&["course", "add", "--concern", "acne-scars", "--area", "cheeks"][..], &now].concat());
    ok(db, &[&["log", "--course", "1", "--at", "2026-01-05 10:00", "--depth", "1.0"][..], &now].concat());
    ok(db, &[&["person", "add", "Ana Ruiz"][..], &now].concat());
    ok(
        db,
        &[
            &["course", "add", "--person", "Ana Ruiz", "--concern", "rejuvenation", "--area", "forehead"][..],
            &["--sessions", "1"],
            &now,
        ]
        .concat(),
    );
    ok(db, &[&["log", "--course", "2", "--at", "2026-01-05 10:00", "--depth", "0.5"][..], &now].concat());
}

#[test]
fn each_moment_is_told_once_and_a_second_run_is_silent() {
    let (_dir, db) = temp_db();
    two_courses(&db);
    let steps: [(&str, &[&str]); 8] = [
        ("2026-01-08 10:00", &["sensitive_over", "sensitive_over"]),
        ("2026-02-02 09:00", &["window_opens"]),
        ("2026-02-13 09:00", &["window_closing"]),
        ("2026-02-17 09:00", &["overdue"]),
        ("2026-04-05 09:00", &["results_day"]),
        ("2026-04-06 09:00", &["maintenance_due"]),
        ("2026-04-06 10:00", &["pre_care"]),
        // The booked session's time passes, unanswered: asked once.
        ("2026-04-20 12:30", &["passed"]),
    ];
    for (now, expected) in steps {
        if now == "2026-04-06 10:00" {
            ok(&db, &["plan", "--course", "1", "--at", "2026-04-20 10:00", "--now", "2026-04-06 09:30"]);
        }
        let first = told(&db, now);
        assert_eq!(kinds(&first), expected, "at {now}: {first:?}");
        assert!(told(&db, now).is_empty(), "told twice at {now}");
    }
    let asked = ok(&db, &["remind", "--again", "--within", "0", "--now", "2026-04-20 12:30"]);
    assert!(asked.contains("did it happen? done: needlelog log --done 3"), "{asked}");
    // Wording: whose course, and what to do.
    let lines = ok(&db, &["remind", "--again", "--within", "0", "--now", "2026-04-06 10:00"]);
    assert!(
        lines.contains("Ana Ruiz ▸ General rejuvenation / texture (forehead): a maintenance session is due"),
        "{lines}"
    );
    assert!(
        lines.contains("Acne scars (cheeks): session Mon 20 Apr 10:00 — from now: Keep clear of sunburn"),
        "{lines}"
    );
    // Nothing to tell: no output at all, exit 0.
    let quiet = run(&db, &["remind", "--now", "2026-04-06 10:01"]);
    assert_eq!((quiet.code, quiet.stdout.as_str(), quiet.stderr.as_str()), (0, "", ""));
}

#[test]
fn looking_ahead_tells_before_the_moment_and_again_repeats() {
    let (_dir, db) = temp_db();
    two_courses(&db);
    // Default: what starts within 24 h.
    let ahead = ok(&db, &["remind", "--now", "2026-02-01 09:30"]);
    assert!(ahead.contains("the window for the next session opens tomorrow"), "{ahead}");
    assert_eq!(ok(&db, &["remind", "--now", "2026-02-01 09:45"]), "");
    assert_eq!(ok(&db, &["remind", "--again", "--now", "2026-02-01 09:45"]), ahead);
}

#[test]
fn a_duration_that_cannot_be_read_names_the_forms() {
    let (_dir, db) = temp_db();
    let r = run(&db, &["remind", "--within", "soon"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("cannot read duration \"soon\": use a number and a unit, such as 90m, 24h, 3d or 2w"));
}

/// `remind --notify` with `notify-send` on PATH being `script` (none when `None`):
/// (exit code, stdout, stderr, seconds taken).
fn notify_with(script: Option<&str>) -> (tempfile::TempDir, i32, String, String, f64) {
    use std::os::unix::fs::PermissionsExt;
    let (dir, db) = temp_db();
    two_courses(&db);
    let bin = dir.path().join("bin");
    std::fs::create_dir(&bin).unwrap();
    if let Some(script) = script {
        let path = bin.join("notify-send");
        std::fs::write(&path, format!("#!/bin/sh\n{script}\n")).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let started = std::time::Instant::now();
    // A notifier that never answers must not hold the command: a deadline.
    let out = common::within(
        30,
        common::needlelog()
            .args(["--db"])
            .arg(&db)
            .args(["remind", "--notify", "--within", "0", "--now", "2026-01-08 10:00"])
            .env("TZ", "UTC")
            .env("PATH", &bin),
    );
    let took = started.elapsed().as_secs_f64();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    (dir, out.status.code().unwrap_or(-1), stdout, stderr, took)
}

/// A reminder says whose course it is (my own by its concern alone), and an
/// archived client is reminded of nothing until brought back.
#[test]
fn reminders_name_the_client_and_leave_archived_ones_out() {
    let (_dir, db) = temp_db();
    two_courses(&db);
    let now = "2026-01-08 10:00";
    let lines = |db: &Path| {
        let r = run(db, &["remind", "--within", "0", "--again", "--now", now]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        r.stdout.lines().map(|l| l.split(": ").next().unwrap_or_default().to_string()).collect::<Vec<_>>()
    };
    let whose = lines(&db);
    assert_eq!(whose.len(), 2, "{whose:?}");
    assert!(whose.iter().any(|w| w.starts_with("Acne scars")), "mine: {whose:?}");
    assert!(whose.iter().any(|w| w.starts_with("Ana Ruiz ▸ ")), "Ana's: {whose:?}");
    ok(&db, &["person", "edit", "Ana Ruiz", "--archive", "--now", now]);
    let whose = lines(&db);
    assert_eq!(whose.len(), 1, "{whose:?}");
    assert!(whose[0].starts_with("Acne scars"), "{whose:?}");
    ok(&db, &["person", "edit", "Ana Ruiz", "--unarchive", "--now", now]);
    assert_eq!(lines(&db).len(), 2);
}

#[test]
fn without_a_notification_service_reminders_are_printed() {
    let (dir, code, stdout, stderr, _) = notify_with(None);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout.lines().count(), 2, "{stdout}");
    assert!(stdout.contains("the sensitive days are over"), "{stdout}");
    assert!(
        stderr.contains("no desktop notification could be shown (notify-send is not installed)")
            && stderr.contains("printed instead"),
        "{stderr}"
    );
    // Told all the same: not again.
    assert!(told(&dir.path().join("needlelog.db"), "2026-01-08 10:00").is_empty());
}

#[test]
fn reminders_go_to_the_platform_notifier_as_arguments() {
    // The fake notifier appends its arguments, one a line, to a file beside it.
    let (dir, code, stdout, stderr, _) =
        notify_with(Some(r#"for a in "$@"; do printf '%s\n' "$a"; done >> "${0%/*}/shown""#));
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout, "", "shown, not printed");
    assert!(!stderr.contains("printed instead"), "{stderr}");
    let shown = std::fs::read_to_string(dir.path().join("bin/shown")).unwrap();
    assert_eq!(shown.matches("--app-name=needlelog").count(), 2, "{shown}");
    assert!(shown.contains("the sensitive days are over"), "{shown}");
}

#[test]
fn a_notifier_that_never_answers_is_given_up_and_the_reminders_printed() {
    // A session bus that takes the call and never replies: notify-send waits for good.
    let (_dir, code, stdout, stderr, took) = notify_with(Some("exec /bin/sleep 600"));
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("notify-send gave no answer in 3 s") && stderr.contains("printed instead"), "{stderr}");
    assert_eq!(stdout.lines().count(), 2, "the first and the rest are printed: {stdout}");
    assert!(took < 20.0, "given up after a few seconds, not waited on: {took:.1} s");
}

#[test]
fn setup_prints_snippets_with_this_binary_and_file() {
    let (_dir, db) = temp_db();
    for (target, marker) in
        [("cron", "*/15 * * * *"), ("systemd", "OnCalendar=*:0/15"), ("launchd", "<integer>900</integer>")]
    {
        let out = ok(&db, &["remind", "--setup", target]);
        assert!(out.contains(marker), "{target}: {out}");
        assert!(out.contains(&db.display().to_string()), "{target}: {out}");
        assert!(out.contains("remind --notify") || out.contains("<string>--notify</string>"), "{out}");
    }
    assert!(!db.exists(), "--setup installs nothing and creates no file");
}

#[test]
fn the_status_line_says_the_phase_in_a_few_words() {
    let (dir, db) = temp_db();
    let line = |now: &str| ok(&db, &["status", "--line", "--now", now]);
    assert_eq!(line("2026-01-01 09:00"), "", "no file yet: nothing, and none made");
    assert!(!db.exists());
    let now = ["--now", "2026-01-05 12:00"];
    ok(&db, &[&["course", "add", "--concern", "acne-scars", "--area", "cheeks"][..], &now].concat());
    assert_eq!(line("2026-01-05 12:00"), "", "not started: nothing");
    ok(&db, &[&["log", "--at", "2026-01-05 10:00", "--depth", "1.0"][..], &now].concat());
    assert_eq!(line("2026-01-06 12:00"), "sensitive · 46 h left\n");
    assert_eq!(line("2026-01-20 12:00"), "window opens in 13 d\n");
    assert_eq!(line("2026-02-03 12:00"), "window open · 13 d left\n");
    assert_eq!(line("2026-02-20 12:00"), "overdue 4 d\n");
    ok(&db, &["plan", "--at", "2026-02-21 10:00", "--now", "2026-02-20 12:00"]);
    assert_eq!(line("2026-02-20 12:00"), "session tomorrow 10:00 · pre-care\n");
    assert_eq!(line("2026-02-21 15:00"), "session today 10:00 · did it happen?\n");
    // Several courses: how many call for something.
    ok(&db, &["person", "add", "Ana Ruiz", "--now", "2026-02-20 12:00"]);
    ok(
        &db,
        &[
            "course",
            "add",
            "--person",
            "Ana Ruiz",
            "--concern",
            "rejuvenation",
            "--area",
            "forehead",
            "--now",
            "2026-02-20 12:00",
        ],
    );
    ok(&db, &["log", "--course", "2", "--at", "2026-02-20 09:00", "--depth", "0.5", "--now", "2026-02-20 12:00"]);
    assert_eq!(line("2026-02-20 12:00"), "1 pre-care · 1 sensitive\n");
    drop(dir);
}

/// Content lines of an iCalendar file, unfolded, after checking its framing.
fn parse_ics(text: &str) -> Vec<String> {
    assert!(text.ends_with("\r\n"));
    for raw in text.split("\r\n").filter(|l| !l.is_empty()) {
        assert!(raw.len() <= 75, "a line over 75 octets: {raw}");
    }
    let lines: Vec<String> =
        text.replace("\r\n ", "").split("\r\n").filter(|l| !l.is_empty()).map(String::from).collect();
    assert_eq!(lines.first().map(String::as_str), Some("BEGIN:VCALENDAR"));
    assert_eq!(lines.last().map(String::as_str), Some("END:VCALENDAR"));
    let opened = lines.iter().filter(|l| l.starts_with("BEGIN:")).count();
    let closed = lines.iter().filter(|l| l.starts_with("END:")).count();
    assert_eq!(opened, closed);
    lines
}

#[test]
fn a_kept_calendar_follows_every_change_and_a_missing_folder_only_warns() {
    use std::os::unix::fs::PermissionsExt;
    let (dir, db) = temp_db();
    two_courses(&db);
    let folder = dir.path().join("calendar");
    std::fs::create_dir(&folder).unwrap();
    let cal = folder.join("needlelog.ics");
    let cal_arg = cal.to_str().unwrap();
    let said = ok(&db, &["export", "--format", "ics", "-o", cal_arg, "--keep-current", "--now", "2026-01-06 09:00"]);
    assert!(said.contains("rewritten after every change"), "{said}");
    let before = std::fs::read_to_string(&cal).unwrap();
    assert_eq!(std::fs::metadata(&cal).unwrap().permissions().mode() & 0o777, 0o600);
    assert!(!parse_ics(&before).iter().any(|l| l.starts_with("DTSTART:20260203")));

    ok(&db, &["plan", "--course", "1", "--at", "2026-02-03 10:00", "--now", "2026-01-06 09:05"]);
    let after = parse_ics(&std::fs::read_to_string(&cal).unwrap());
    assert!(after.iter().any(|l| l == "DTSTART:20260203T100000Z"), "the planned session is in the calendar");
    assert!(after.iter().any(|l| l.starts_with("TRIGGER:")), "with its pre-care alarm");

    // The folder goes away: the change is saved all the same, with one line about it.
    std::fs::remove_dir_all(&folder).unwrap();
    let r =
        run(&db, &["log", "--course", "1", "--at", "2026-02-03 10:00", "--depth", "1.0", "--now", "2026-02-03 12:00"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("not updated: its folder is gone"), "{}", r.stderr);
    assert!(r.stderr.contains("export --stop-keeping"), "{}", r.stderr);
    // (The visit completes the booking: one visit, one session.)
    let sessions = json(&db, &["list", "--json"]);
    assert_eq!(sessions.as_array().map(Vec::len), Some(3), "the session was saved");
    assert!(sessions.as_array().unwrap().iter().all(|s| s["status"] == "done"), "{sessions}");

    ok(&db, &["export", "--stop-keeping", cal_arg]);
    let quiet =
        run(&db, &["log", "--course", "1", "--at", "2026-03-03 10:00", "--depth", "1.0", "--now", "2026-03-03 12:00"]);
    assert!(!quiet.stderr.contains("not updated"), "{}", quiet.stderr);
    let again = run(&db, &["export", "--stop-keeping", cal_arg]);
    assert_eq!(again.code, 2);
    assert!(again.stderr.contains("is not a calendar kept current; none is"), "{}", again.stderr);
}

/// Reminders follow the bookings: nothing asks to book while one stands, the
/// status line names it, and "did it happen?" comes only once its time has
/// passed — once a day until answered.
#[test]
fn reminders_and_the_status_line_follow_a_booking() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("booked.db");
    ok(&db, &["course", "add", "--concern", "acne-scars", "--area", "cheeks", "--now", "2026-01-01 09:00"]);
    ok(&db, &["log", "--at", "2026-01-05 10:00", "--depth", "1.0", "--screening", "none", "--now", "2026-01-05 12:00"]);
    // Before the booking: the window is open, so "book" is said.
    let open = ok(&db, &["status", "--line", "--now", "2026-02-03 09:00"]);
    assert!(open.contains("window open"), "{open}");
    ok(&db, &["plan", "--at", "2026-02-10 10:00", "--now", "2026-02-03 09:30"]);
    let line = ok(&db, &["status", "--line", "--now", "2026-02-03 10:00"]);
    assert_eq!(line, "booked Tue 10 Feb 10:00\n");
    let status = ok(&db, &["status", "--now", "2026-02-03 10:00"]);
    assert!(!status.contains("book the next") && !status.to_lowercase().contains("overdue"), "{status}");
    // The day before: pre-care, never "did it happen?".
    let before = ok(&db, &["remind", "--now", "2026-02-09 11:00"]);
    assert!(!before.contains("did it happen") && !before.contains("book"), "{before}");
    // After it: asked, once that day, again the next.
    let after = ok(&db, &["remind", "--now", "2026-02-10 13:00"]);
    assert!(after.contains("did it happen?"), "{after}");
    assert!(!ok(&db, &["remind", "--now", "2026-02-10 18:00"]).contains("did it happen?"), "told once a day");
    assert!(ok(&db, &["remind", "--now", "2026-02-11 13:00"]).contains("did it happen?"), "asked again");
    assert!(!ok(&db, &["remind", "--now", "2026-02-11 13:00"]).contains("book now"));
    // Answered: nothing more about it.
    ok(&db, &["log", "--done", "2", "--screening", "none", "--now", "2026-02-11 14:00"]);
    assert!(!ok(&db, &["remind", "--now", "2026-02-12 13:00"]).contains("did it happen?"));
}
