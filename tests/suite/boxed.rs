//! A file from someone else stays in its box: a crafted database, export, rule
//! file or environment may make a command refuse, but never write, read or delete
//! outside the test's folder, hang, or panic (exit 101).

use std::fs;
use std::path::{Path, PathBuf};

use crate::common;
use common::{ok, run};

fn temp() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("received.db");
    (dir, db)
}

/// A file with one course and one done session, as a colleague might send it.
fn received(db: &Path) {
    ok(db, &["course", "add", "--concern", "scars", "--area", "cheeks", "--now", "2026-11-01 09:00"]);
    ok(db, &["log", "--at", "2026-11-02 10:00", "--depth", "0.5", "--screening", "none", "--now", "2026-11-02 12:00"]);
}

fn sql(db: &Path, statement: &str) {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.execute_batch(statement).unwrap();
}

fn no_panic(r: &common::Run, what: &str) {
    assert_ne!(r.code, 101, "{what} panicked: {}", r.stderr);
    assert!(!r.stderr.contains("panicked"), "{what}: {}", r.stderr);
}

#[test]
fn a_calendar_path_inside_a_received_file_is_never_written() {
    let (dir, db) = temp();
    received(&db);
    let victim = dir.path().join("bashrc");
    fs::write(&victim, "export PATH=~/bin:$PATH\n").unwrap();
    sql(
        &db,
        &format!(
            "INSERT INTO kept_files (path, format, since) VALUES ('{}', 'ics', '2026-11-01T09:00:00Z')",
            victim.display()
        ),
    );
    // Every command that commits used to rewrite each path the file named.
    ok(&db, &["check", "post-pillowcase", "--session", "1", "--now", "2026-11-02 12:00"]);
    ok(&db, &["person", "add", "Someone", "--now", "2026-11-03 09:00"]);
    assert_eq!(fs::read_to_string(&victim).unwrap(), "export PATH=~/bin:$PATH\n");

    let doctor = run(&db, &["doctor"]);
    assert!(doctor.stdout.contains("1 named inside the file, not followed"), "{}", doctor.stdout);
    assert!(doctor.stdout.contains("bashrc"), "{}", doctor.stdout);
    let fixed = ok(&db, &["doctor", "--fix"]);
    assert!(fixed.contains("forgotten") && fixed.contains("bashrc"), "{fixed}");
    assert!(!ok(&db, &["doctor"]).contains("named inside the file"));
    assert_eq!(fs::read_to_string(&victim).unwrap(), "export PATH=~/bin:$PATH\n");
}

#[test]
fn a_kept_calendar_is_replaced_only_while_needlelog_wrote_it() {
    let (dir, db) = temp();
    received(&db);
    let cal = dir.path().join("plan.ics");
    let said = ok(&db, &["export", "--format", "ics", "-o", cal.to_str().unwrap(), "--keep-current"]);
    assert!(said.contains("rewritten after every change"), "{said}");
    // The list is this machine's, in the state folder; the database names nothing.
    let list = fs::read_to_string(common::state_beside(&db).join("needlelog/kept-calendars.json")).unwrap();
    assert!(list.contains("plan.ics") && list.contains("received.db"), "{list}");
    let conn = rusqlite::Connection::open(&db).unwrap();
    let in_file: i64 = conn.query_row("SELECT count(*) FROM kept_files", [], |r| r.get(0)).unwrap();
    assert_eq!(in_file, 0);

    ok(&db, &["plan", "--at", "2026-12-01 10:00", "--now", "2026-11-03 09:00"]);
    assert!(fs::read_to_string(&cal).unwrap().contains("DTSTART:20261201T100000Z"));

    // The user puts something else there: it is theirs now, and stays.
    fs::write(&cal, "my notes\n").unwrap();
    let r = run(&db, &["person", "add", "Someone", "--now", "2026-11-03 10:00"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("no longer holds a calendar needlelog wrote"), "{}", r.stderr);
    assert_eq!(fs::read_to_string(&cal).unwrap(), "my notes\n");

    // A link in its place is not followed either.
    let elsewhere = dir.path().join("elsewhere.txt");
    fs::write(&elsewhere, "keep me\n").unwrap();
    fs::remove_file(&cal).unwrap();
    std::os::unix::fs::symlink(&elsewhere, &cal).unwrap();
    let r = run(&db, &["person", "add", "Someone else", "--now", "2026-11-03 11:00"]);
    assert!(r.stderr.contains("it is a link now"), "{}", r.stderr);
    assert_eq!(fs::read_to_string(&elsewhere).unwrap(), "keep me\n");
}

#[test]
fn a_photo_name_that_walks_out_of_the_store_is_never_a_path() {
    let (dir, db) = temp();
    received(&db);
    let victim = dir.path().join("victim");
    fs::create_dir(&victim).unwrap();
    fs::write(victim.join("wedding.jpg"), b"not yours to delete").unwrap();
    fs::create_dir(dir.path().join("photos")).unwrap();
    // 64 characters, as the schema checks: "./" 23 times, then "/../victim/wedding".
    let hash = format!("{}/../victim/wedding", "./".repeat(23));
    assert_eq!(hash.len(), 64);
    sql(
        &db,
        &format!(
            "INSERT INTO session_photos (id, course_id, session_id, hash, format, area, taken, original_name) \
             VALUES (7, 1, 1, '{hash}', 'jpeg', 'cheeks', '2026-11-02 10:00:00', 'wedding.jpg')"
        ),
    );
    let listed = run(&db, &["photo", "list"]);
    no_panic(&listed, "photo list");
    let rm = run(&db, &["photo", "rm", "7", "--yes"]);
    no_panic(&rm, "photo rm");
    assert_ne!(rm.code, 0, "no such photo: {}", rm.stdout);
    let backup = run(&db, &["backup", "--now", "2026-11-04 09:00"]);
    no_panic(&backup, "backup");
    assert_eq!(fs::read(victim.join("wedding.jpg")).unwrap(), b"not yours to delete");
    let copies: Vec<_> = walk(&dir.path().join("backups"));
    assert!(copies.iter().all(|p| !p.ends_with("wedding.jpg")), "{copies:?}");

    let doctor = run(&db, &["doctor"]);
    assert_eq!(doctor.code, 1, "{}", doctor.stdout);
    assert!(
        doctor.stdout.contains("photo record 7: named") && doctor.stdout.contains("not a picture"),
        "{}",
        doctor.stdout
    );
    let fixed = ok(&db, &["doctor", "--fix"]);
    assert!(fixed.contains("removed") && fixed.contains("photo record 7"), "{fixed}");
    assert_eq!(fs::read(victim.join("wedding.jpg")).unwrap(), b"not yours to delete");
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = fs::read_dir(dir) else { return Vec::new() };
    let mut all = Vec::new();
    for e in entries.flatten() {
        let path = e.path();
        if path.is_dir() {
            all.extend(walk(&path));
        } else {
            all.push(path);
        }
    }
    all
}

#[test]
fn numbers_in_own_rules_are_bounded_and_said_with_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("log.db");
    let config = dir.path().join("config");
    fs::create_dir(&config).unwrap();
    let rules = |args: &[&str]| {
        let out = common::needlelog().arg("--db").arg(&db).arg("--config").arg(&config).args(args).output().unwrap();
        (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stderr).into_owned())
    };
    for (file, text, said) in [
        ("protocols.toml", "[course]\nfinal_results_months = 4000000\n", "final_results_months must be at most 120"),
        ("protocols.toml", "[course]\nrecall_months = 4294967295\n", "recall_months must be at most 120"),
        ("protocols.toml", "[course]\nsensitive_hours = 9000000\n", "sensitive_hours must be at most"),
        (
            "checklists.toml",
            "[[item]]\nid = \"\\u200b\"\ntext = \"x\"\nphase = \"pre\"\nfrom_hours = -5\nto_hours = 0\n",
            "an id of visible letters",
        ),
        (
            "checklists.toml",
            "[[item]]\nid = \"mine\"\ntext = \" \"\nphase = \"pre\"\nfrom_hours = -5\nto_hours = 0\n",
            "an item needs a text",
        ),
        (
            "checklists.toml",
            "[[item]]\nid = \"mine\"\ntext = \"far\"\nphase = \"pre\"\nfrom_hours = -900000\nto_hours = 0\n",
            "within 8784 hours",
        ),
    ] {
        for f in ["protocols.toml", "checklists.toml"] {
            let _ = fs::remove_file(config.join(f));
        }
        fs::write(config.join(file), text).unwrap();
        let (code, stderr) = rules(&["rules", "check"]);
        assert_eq!(code, 1, "{text}: {stderr}");
        assert!(stderr.contains(&format!("{file}:1")) && stderr.contains(said), "{text}: {stderr}");
        let (code, stderr) = rules(&["due"]);
        assert_eq!(code, 1, "refused at start too, never a panic: {stderr}");
    }
}

#[test]
fn settings_in_the_environment_are_read_with_their_error() {
    let (_dir, db) = temp();
    received(&db);
    for (var, value, said) in [
        ("NEEDLELOG_KEEP_BACKUPS", "7d,4ш", "use days and weeks such as 7d,4w"),
        ("NEEDLELOG_KEEP_BACKUPS", "99999999999999999999d", "at most 1000 of each"),
        ("NEEDLELOG_TRASH_DAYS", "100000000", "from 1 to 3650"),
        ("NEEDLELOG_NOW", "someday", "someday"),
    ] {
        let out =
            common::needlelog().arg("--db").arg(&db).args(["person", "add", "X"]).env(var, value).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{var}={value}: {stderr}");
        assert!(stderr.contains(said), "{var}={value}: {stderr}");
    }
    let count = common::json(&db, &["person", "list", "--json"]).as_array().map_or(0, Vec::len);
    assert_eq!(count, 1, "nothing was added");
    // The app's own setting, read before the terminal is taken.
    let out = common::needlelog().arg("--demo").env("NEEDLELOG_GRAPHICS", "sixels please").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("use auto, query or halfblocks (NEEDLELOG_GRAPHICS"));
}

#[test]
fn a_merge_of_a_document_whose_people_were_removed_is_refused_whole() {
    let (dir, db) = temp();
    received(&db);
    let export = dir.path().join("export.json");
    ok(&db, &["export", "--format", "json", "-o", export.to_str().unwrap()]);
    let mut doc: serde_json::Value = serde_json::from_str(&fs::read_to_string(&export).unwrap()).unwrap();
    doc["people"] = serde_json::json!([]);
    fs::write(&export, serde_json::to_string(&doc).unwrap()).unwrap();
    let other = dir.path().join("other.db");
    let r = run(&other, &["import", "--merge", export.to_str().unwrap()]);
    no_panic(&r, "import --merge");
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("points to person 1, which is not in the file; nothing imported"), "{}", r.stderr);
}

#[test]
fn the_demo_keeps_a_concern_that_own_rules_switch_off() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("protocols.toml"), "[[concern]]\nkey = \"acne-scars\"\nenabled = false\n").unwrap();
    let rules = needlelog::own_rules::load(Some(dir.path())).unwrap();
    assert!(rules.protocol("acne-scars").is_none());
    let mut store = needlelog::store::Store::open(&dir.path().join("demo.db")).unwrap();
    let now = chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 11, 24, 9, 0, 0).unwrap();
    needlelog::demo::fill(&mut store, rules, now, &needlelog::domain::time::Zone::utc()).unwrap();
    assert!(store.health().unwrap().sessions > 0);
}

/// Runs the binary on `db`, failing if it blocks: (exit code, stderr).
fn within(seconds: u64, db: &Path, args: &[&str]) -> (i32, String) {
    let mut cmd = common::needlelog();
    cmd.arg("--db").arg(db).args(args).env("XDG_STATE_HOME", common::state_beside(db));
    let out = common::within(seconds, &mut cmd);
    (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stderr).into_owned())
}

#[test]
fn a_pipe_or_a_device_named_as_a_photo_is_refused_at_once() {
    let (dir, db) = temp();
    received(&db);
    let fifo = dir.path().join("scan.jpg");
    assert!(std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    let fifo = fifo.to_str().unwrap();
    for args in [
        vec!["photo", "add", "1", fifo],
        vec!["photo", "add", "1", "/dev/zero"],
        vec!["log", "--at", "2026-11-20 10:00", "--depth", "0.5", "--screening", "none", "--photo", fifo],
    ] {
        let (code, stderr) = within(10, &db, &args);
        assert_ne!(code, 0, "{args:?}");
        assert!(stderr.contains("is not a regular file (a folder, a device or a pipe)"), "{args:?}: {stderr}");
    }
    // Paths a file names from before the photo store: moved once, regular files
    // only; a pipe among them holds nothing up, then, or ever after.
    let paths = serde_json::json!([fifo, "/dev/zero"]).to_string();
    rusqlite::Connection::open(&db).unwrap().execute("UPDATE sessions SET photos = ?1 WHERE id = 1", [paths]).unwrap();
    let (code, stderr) = within(10, &db, &["status"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("2 of the photos named by path could not be moved"), "{stderr}");
    for args in [&["status"][..], &["doctor"], &["photo", "list"]] {
        let (_, stderr) = within(10, &db, args);
        assert!(!stderr.contains("moved"), "read once only: {stderr}");
    }
}

fn names(db: &Path) -> Vec<String> {
    let people = common::json(db, &["person", "list", "--json"]);
    people.as_array().unwrap().iter().map(|p| p["name"].as_str().unwrap().to_string()).collect()
}

#[test]
fn two_restores_in_one_second_keep_both_files_they_replaced() {
    let (dir, db) = temp();
    ok(&db, &["person", "add", "Ana"]);
    let copy = dir.path().join("copy.db");
    ok(&db, &["backup", "-o", copy.to_str().unwrap()]);
    ok(&db, &["person", "add", "Ben"]);
    let now = ["--yes", "--now", "2026-11-24 09:00"];
    let first = ok(&db, &[&["restore", copy.to_str().unwrap()][..], &now].concat());
    ok(&db, &["person", "add", "Cleo"]);
    let second = ok(&db, &[&["restore", copy.to_str().unwrap()][..], &now].concat());
    let aside = dir.path().join("received.db.before-restore-20261124T090000");
    let again = dir.path().join("received.db.before-restore-20261124T090000-2");
    assert!(first.contains(&aside.display().to_string()), "{first}");
    assert!(second.contains(&again.display().to_string()), "{second}");
    assert!(names(&aside).contains(&"Ben".to_string()), "the first file set aside is still there");
    assert!(names(&again).contains(&"Cleo".to_string()));
}

#[test]
fn a_database_behind_a_link_is_restored_where_the_link_points() {
    let (dir, db) = temp();
    let real = dir.path().join("sync");
    fs::create_dir(&real).unwrap();
    let target = real.join("needlelog.db");
    ok(&target, &["person", "add", "Ana"]);
    std::os::unix::fs::symlink(&target, &db).unwrap();
    let copy = dir.path().join("copy.db");
    ok(&db, &["backup", "-o", copy.to_str().unwrap()]);
    ok(&db, &["person", "add", "Ben"]);
    ok(&db, &["restore", copy.to_str().unwrap(), "--yes", "--now", "2026-11-24 09:00"]);
    assert!(fs::symlink_metadata(&db).unwrap().file_type().is_symlink(), "the link stays a link");
    assert!(!names(&target).contains(&"Ben".to_string()), "the real file holds the copy");
    assert!(names(&real.join("needlelog.db.before-restore-20261124T090000")).contains(&"Ben".to_string()));
}

#[test]
fn a_path_with_a_line_break_never_reaches_a_crontab_or_a_unit() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("evil\n* * * * * rm -rf ~\n");
    fs::create_dir(&folder).unwrap();
    let db = folder.join("needlelog.db");
    for target in ["cron", "systemd", "launchd"] {
        let r = run(&db, &["remind", "--setup", target]);
        no_panic(&r, "remind --setup");
        assert_eq!(r.code, 2, "{target}: {}", r.stdout);
        assert!(r.stdout.is_empty(), "{target}: nothing printed: {}", r.stdout);
        assert!(r.stderr.contains("holds a line break or another control character"), "{}", r.stderr);
        assert_eq!(r.stderr.lines().count(), 1, "{}", r.stderr);
    }
}

#[test]
fn a_copy_dated_in_the_future_is_not_the_one_advised() {
    let (dir, db) = temp();
    crate::backups::with_sessions(&db);
    ok(&db, &["person", "add", "Today", "--now", "2026-11-23 09:00"]);
    // A look at next summer that writes: its copy is dated then.
    ok(&db, &["person", "add", "Pretend", "--now", "2027-06-01 09:00"]);
    assert!(dir.path().join("backups/received-2027-06-01.db").exists());
    crate::backups::scribble(&db);
    let r = run(&db, &["person", "add", "After the damage", "--now", "2026-11-24 09:00"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("restore the copy of Mon 23 Nov 2026"), "{}", r.stderr);
}

#[test]
fn what_a_killed_copy_left_in_the_backups_folder_is_swept() {
    let (dir, db) = temp();
    received(&db);
    let backups = dir.path().join("backups");
    let old = backups.join(".backup-x1y2z3.partial");
    let new = backups.join(".backup-a1b2c3.partial");
    fs::write(&old, b"half a copy").unwrap();
    fs::write(&new, b"a copy being made").unwrap();
    // Both times set here: under a faked clock, a file's own time is the real one.
    let now = std::time::SystemTime::now();
    fs::File::options().write(true).open(&new).unwrap().set_modified(now).unwrap();
    let hours_ago = now - std::time::Duration::from_secs(2 * 3600);
    fs::File::options().write(true).open(&old).unwrap().set_modified(hours_ago).unwrap();
    ok(&db, &["person", "add", "Someone", "--now", "2026-11-05 09:00"]);
    assert!(!old.exists(), "an hour-old leftover goes");
    assert!(new.exists(), "a copy another process may be making stays");
}

#[test]
fn a_smaller_copy_moved_from_another_picture_is_not_drawn_as_this_one() {
    use needlelog::photos::thumbs::{self, Size};
    let (dir, db) = temp();
    received(&db);
    let (a, b) = (dir.path().join("a.jpg"), dir.path().join("b.jpg"));
    common::write_picture(&a, 64, 48, 10);
    common::write_picture(&b, 64, 48, 240);
    ok(&db, &["photo", "add", "1", a.to_str().unwrap(), b.to_str().unwrap()]);
    let store = needlelog::photos::PhotoStore::beside(&db);
    let hash = |p: &Path| needlelog::photos::intake::hash_of(&fs::read(p).unwrap());
    let (ha, hb) = (hash(&a), hash(&b));
    for h in [&ha, &hb] {
        thumbs::load(&store, h, needlelog::domain::PhotoFormat::Jpeg, Size::Thumb).unwrap();
    }
    assert!(thumbs::cached(&store, &hb, Size::Thumb).is_some());
    // A's smaller copy put in B's place.
    let cache = dir.path().join("photos/.thumbs");
    let name = |h: &str| {
        fs::read_dir(&cache)
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .find(|p| p.file_name().unwrap().to_string_lossy().starts_with(&format!("{h}-")))
            .unwrap()
    };
    fs::copy(name(&ha), name(&hb)).unwrap();
    assert!(thumbs::cached(&store, &hb, Size::Thumb).is_none(), "not drawn: made again from B");
    let doctor = run(&db, &["doctor"]);
    assert!(doctor.stdout.contains("1 smaller cop(ies) in .thumbs not made from their picture"), "{}", doctor.stdout);
    ok(&db, &["doctor", "--fix"]);
    assert!(ok(&db, &["doctor"]).contains(": ok"), "clean after --fix");
    // Made again from B (blue 240), not A (blue 10).
    thumbs::load(&store, &hb, needlelog::domain::PhotoFormat::Jpeg, Size::Thumb).unwrap();
    let again = thumbs::cached(&store, &hb, Size::Thumb).expect("cached again, as B's");
    assert!(again.to_rgb8().get_pixel(0, 0)[2] > 200, "{:?}", again.to_rgb8().get_pixel(0, 0));
}
