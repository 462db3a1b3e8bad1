//! Records on a PostgreSQL server: `db copy` from a file into an empty server
//! database and back, losslessly; what the server itself enforces; and a server
//! that is away, refuses, or is named where a file is wanted.
//!
//! The server is the one `NEEDLELOG_TEST_PG` names (a role that may create
//! databases: `.ci/run` starts one); each test works in a database of its own,
//! dropped when it ends. Without the variable the tests are skipped, except in
//! CI, where they fail.

use crate::common;

use std::path::{Path, PathBuf};

use common::{TestDb, json, ok, run, write_picture};

/// Runs `needlelog ARGS` with no file of its own (`db copy` names both sides).
fn needlelog(args: &[&str]) -> common::Run {
    let out = common::needlelog().args(args).output().expect("the binary runs");
    common::Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// A practitioner's file with a little of everything: clients and their years
/// (the demo), an adverse event, a diary day, a consent, a photo, a voided
/// session, a deleted one in the trash, edits in the trail.
fn everything(dir: &Path) -> PathBuf {
    let db = dir.join("first").join("needlelog.db");
    std::fs::create_dir_all(db.parent().unwrap()).unwrap();
    let out = db.display().to_string();
    let r = needlelog(&["demo", "--people", "12", "--years", "2", "--seed", "3", "--out", &out]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    ok(&db, &["init", "--practitioner", "--name", "Dr Ines Moreau"]);
    let done = json(&db, &["--json", "list", "--status", "done", "--limit", "3"]);
    let ids: Vec<String> = done.as_array().unwrap().iter().map(|s| s["id"].to_string()).collect();
    let planned = json(&db, &["--json", "list", "--status", "planned", "--limit", "1"]);
    let planned = planned[0]["id"].to_string();
    ok(
        &db,
        &[
            "event",
            "add",
            &ids[0],
            "--kind",
            "bruising",
            "--severity",
            "1",
            "--notes",
            "left cheek, faded by day 3 \\ C:\\N ok",
        ],
    );
    ok(&db, &["diary", "--session", &ids[0], "--day", "1", "--redness", "2", "--note", "warm, tight"]);
    let course = done[0]["course_id"].to_string();
    ok(&db, &["course", "consent", &course, "--what", "Microneedling consent v3", "--on", "2026-11-01", "--photos"]);
    let picture = dir.join("cheek.jpg");
    write_picture(&picture, 64, 48, 10);
    ok(&db, &["photo", "add", &ids[0], &format!("cheeks={}", picture.display())]);
    ok(&db, &["edit", &ids[1], "--notes", "Zoë's second pass: lighter"]);
    ok(&db, &["rm", &ids[2], "--reason", "logged twice", "--yes"]);
    // The planned session goes to the trash with a picture of its own.
    let other = dir.join("forehead.png");
    write_picture(&other, 32, 32, 200);
    ok(&db, &["photo", "add", &planned, &format!("forehead={}", other.display())]);
    ok(&db, &["rm", &planned, "--yes"]);
    db
}

/// A file with Ana's course and one session (#1), in a folder of its own.
fn one_session() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("needlelog.db");
    ok(&db, &["person", "add", "Ana Ruiz"]);
    ok(&db, &["course", "add", "--person", "Ana Ruiz", "--concern", "acne-scars", "--area", "cheeks"]);
    ok(&db, &["log", "--course", "1", "--at", "2026-11-02 10:00", "--depth", "1.0", "--screening", "none"]);
    (dir, db)
}

/// What a file says of itself, to compare two: the export, and the status at
/// three moments.
fn seen(db: &Path) -> Vec<String> {
    let mut out = vec![ok(db, &["export", "--format", "json"])];
    for now in ["2026-11-24 09:00", "2027-01-15 08:00", "2027-06-01 18:30"] {
        out.push(ok(db, &["--json", "--now", now, "status"]));
    }
    out
}

#[test]
fn a_file_goes_to_a_server_and_comes_back_whole() {
    let Some(server) = TestDb::new("whole") else { return };
    let dir = tempfile::tempdir().unwrap();
    let first = everything(dir.path());
    let r = needlelog(&["db", "copy", &first.display().to_string(), &server.url]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.starts_with("Copied "), "{}", r.stdout);
    assert!(r.stdout.contains("1 adverse event") && r.stdout.contains("2 photos"), "{}", r.stdout);
    assert!(!r.stdout.contains(":x@") && !r.stderr.contains("password"), "{}", r.stdout);

    // The server counts done sessions as the file does: counted again there by
    // its own trigger, every course comes back the same.
    let mut client = server.client();
    client.batch_execute("SELECT needlelog_recount(id) FROM courses").unwrap();
    let version: i32 = client.query_one("SELECT version FROM needlelog_schema", &[]).unwrap().get(0);
    assert_eq!(version, needlelog::store::current_version());

    let second = dir.path().join("second").join("needlelog.db");
    std::fs::create_dir_all(second.parent().unwrap()).unwrap();
    let r = needlelog(&["--json", "db", "copy", &server.url, &second.display().to_string()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let said: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(said["photos"], 2, "the trashed session's picture too: {said}");
    let conn = rusqlite::Connection::open(&first).unwrap();
    for (table, n) in said["rows"].as_object().unwrap() {
        let here: i64 = conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0)).unwrap();
        assert_eq!(n.as_i64(), Some(here), "{table}");
    }
    assert_eq!(said["rows"].as_object().unwrap().len(), 17, "every table: {said}");
    drop(conn);

    assert_eq!(seen(&first), seen(&second), "the copy back exports and stands as the first file");
    let pictures = std::fs::read_dir(second.parent().unwrap().join("photos")).unwrap().count();
    assert_eq!(pictures, 2, "the pictures came back beside the file");
    // The session in the trash comes back with its picture, on the copy as on the first.
    for db in [&first, &second] {
        let trash = json(db, &["--json", "trash", "list"]);
        let id =
            trash.as_array().unwrap().iter().find(|t| t["kind"] == "session").expect("a session in the trash")["id"]
                .to_string();
        ok(db, &["trash", "restore", &id]);
    }
    assert_eq!(seen(&first), seen(&second));
    // Doctor finds the same in both (the size aside: a file written in one go is packed tighter).
    let doctor = |db: &Path| -> Vec<String> {
        let said = ok(db, &["doctor"]).replace("first", "second");
        said.lines().filter(|l| !l.starts_with("size")).map(String::from).collect()
    };
    assert_eq!(doctor(&first), doctor(&second));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&second).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }

    // Ids go on from where the first file's went, deleted ones included: a new
    // session on either gets the same id.
    let course = json(&first, &["--json", "list", "--status", "planned", "--limit", "1"])[0]["course_id"].to_string();
    let a = json(&first, &["--json", "plan", "--course", &course, "--at", "2027-01-10 10:00", "--another"]);
    let b = json(&second, &["--json", "plan", "--course", &course, "--at", "2027-01-10 10:00", "--another"]);
    assert_eq!(a["id"], b["id"]);
}

#[test]
fn a_copy_never_writes_over_records() {
    let Some(server) = TestDb::new("over") else { return };
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("needlelog.db");
    ok(&db, &["init", "--practitioner"]);
    ok(&db, &["person", "add", "Ana Ruiz"]);
    let file = db.display().to_string();
    assert_eq!(needlelog(&["db", "copy", &file, &server.url]).code, 0);

    // Into a server that holds records: refused, the records as they were.
    let other = dir.path().join("other.db");
    ok(&other, &["person", "add", "Bea Lund"]);
    let r = needlelog(&["db", "copy", &other.display().to_string(), &server.url]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("already holds needlelog records"), "{}", r.stderr);
    let names: Vec<String> =
        server.client().query("SELECT name FROM people ORDER BY id", &[]).unwrap().iter().map(|r| r.get(0)).collect();
    assert_eq!(names, ["Ana Ruiz"]);

    // Onto a file that exists: refused, the file untouched.
    let before = std::fs::read(&other).unwrap();
    let r = needlelog(&["db", "copy", &server.url, &other.display().to_string()]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("already exists"), "{}", r.stderr);
    assert_eq!(std::fs::read(&other).unwrap(), before);

    // Into a folder that is not there: said, and nothing made.
    let nowhere = dir.path().join("no-such-folder").join("copy.db");
    let r = needlelog(&["db", "copy", &server.url, &nowhere.display().to_string()]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("does not exist; create it"), "{}", r.stderr);
    assert!(!nowhere.parent().unwrap().exists());

    // Two files or two servers: not what it is for, and it says what is.
    let r = needlelog(&["db", "copy", &file, &other.display().to_string()]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("backup -o"), "{}", r.stderr);
    let r = needlelog(&["db", "copy", &server.url, &server.url]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("pg_dump"), "{}", r.stderr);
}

#[test]
fn a_copy_that_fails_leaves_the_server_as_it_was() {
    let Some(server) = TestDb::new("fails") else { return };
    let (_dir, db) = one_session();
    // A value no server can keep, put in behind needlelog's back.
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute("UPDATE sessions SET notes = 'a' || char(0) || 'b' WHERE id = 1", []).unwrap();
    drop(conn);

    let r = needlelog(&["db", "copy", &db.display().to_string(), &server.url]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("sessions 1, notes") && r.stderr.contains("NUL"), "{}", r.stderr);
    assert_eq!(r.stderr.trim().lines().count(), 1, "{}", r.stderr);
    let tables: i64 = server
        .client()
        .query_one("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'", &[])
        .unwrap()
        .get(0);
    assert_eq!(tables, 0, "not even the tables stay");
}

#[test]
fn the_server_keeps_the_trail_whole_whoever_asks() {
    let Some(server) = TestDb::new("trail") else { return };
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("needlelog.db");
    ok(&db, &["person", "add", "Ana Ruiz"]);
    ok(&db, &["person", "edit", "Ana Ruiz", "--contact", "ana@example.org"]);
    assert_eq!(needlelog(&["db", "copy", &db.display().to_string(), &server.url]).code, 0);
    let mut client = server.client();
    for sql in ["UPDATE edit_trail SET new = 'x'", "DELETE FROM edit_trail", "TRUNCATE edit_trail"] {
        let e = client.batch_execute(sql).expect_err(sql);
        assert!(e.as_db_error().is_some_and(|d| d.message() == "the edit trail only grows"), "{sql}: {e}");
    }
    let n: i64 = client.query_one("SELECT count(*) FROM edit_trail", &[]).unwrap().get(0);
    assert!(n >= 2);
    // New records get ids from the server, past the ones copied in.
    let id: i64 = client.query_one("INSERT INTO people (name) VALUES ('Bea Lund') RETURNING id", &[]).unwrap().get(0);
    let top: i64 = client.query_one("SELECT max(id) FROM people WHERE name <> 'Bea Lund'", &[]).unwrap().get(0);
    assert_eq!(id, top + 1);
}

#[test]
fn a_server_away_or_refusing_is_one_line_without_the_password() {
    let Some(server) = TestDb::new("away") else { return };
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("needlelog.db");
    ok(&db, &["person", "add", "Ana Ruiz"]);
    let file = db.display().to_string();

    let r = needlelog(&["db", "copy", &file, "postgresql://nl:hunter2@127.0.0.1:1/nowhere"]);
    assert_eq!(r.code, 1);
    let line = r.stderr.trim();
    assert_eq!(line.lines().count(), 1, "{line}");
    assert!(line.contains("127.0.0.1:1") && line.contains("nothing answers there"), "{line}");
    assert!(!line.contains("hunter2"), "{line}");

    let config: postgres::Config = server.url.parse().unwrap();
    let host = match &config.get_hosts()[0] {
        postgres::config::Host::Tcp(host) => host.clone(),
        other => panic!("the test server is reached over TCP, not {other:?}"),
    };
    let (user, port) = (config.get_user().unwrap(), config.get_ports().first().copied().unwrap_or(5432));
    let wrong = format!("postgresql://{user}:hunter2@{host}:{port}/{}", server.name);
    let r = needlelog(&["db", "copy", &file, &wrong]);
    assert_eq!(r.code, 1);
    let line = r.stderr.trim();
    assert_eq!(line.lines().count(), 1, "{line}");
    assert!(line.contains("the server refused the connection") && line.contains("check the user"), "{line}");
    assert!(!line.contains("hunter2"), "{line}");

    // Every other command on a server says the same, in one line, and makes
    // nothing of the address.
    let r = run(Path::new(&wrong), &["status"]);
    assert_eq!(r.code, 1);
    let line = r.stderr.trim();
    assert_eq!(line.lines().count(), 1, "{line}");
    assert!(line.contains("the server refused the connection") && line.contains("check the user"), "{line}");
    assert!(!line.contains("hunter2"), "{line}");
    assert!(!Path::new("postgresql:").exists(), "no folder made of an address");
}

#[test]
fn doctor_checks_a_server_and_mends_its_counts_and_the_trails_guard() {
    let Some(server) = TestDb::new("doctor") else { return };
    let dir = tempfile::tempdir().unwrap();
    let first = everything(dir.path());
    assert_eq!(needlelog(&["db", "copy", &first.display().to_string(), &server.url]).code, 0);
    let doctor = |args: &[&str]| needlelog(&[&["--db", server.url.as_str(), "doctor"][..], args].concat());
    let r = doctor(&[]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stdout.contains("guarded by the server")
            && r.stdout.contains("workings     ids, notices to other laptops, nocase: in place")
            && r.stdout.contains("photos       1 kept in the server: ok"),
        "{}",
        r.stdout
    );

    // What the owner of the tables could still do by hand: turn the guard off,
    // spoil a count, lose a picture.
    let mut client = server.client();
    client
        .batch_execute(
            "ALTER TABLE edit_trail DISABLE TRIGGER edit_trail_kept; \
             DROP TRIGGER needlelog_changed ON sessions; \
             UPDATE courses SET done_count = done_count + 5 WHERE id = (SELECT min(id) FROM courses); \
             DELETE FROM photo_files",
        )
        .unwrap();
    let r = doctor(&["--json"]);
    assert_eq!(r.code, 1);
    let found: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(found["trail_guarded"], false);
    assert_eq!(found["working"], false, "the other laptops would not hear of sessions");
    assert_eq!(found["miscounted_courses"].as_array().unwrap().len(), 1);
    assert_eq!(found["photos"]["missing"].as_array().unwrap().len(), 1);
    assert!(r.stderr.contains("doctor --fix"), "{}", r.stderr);

    let r = doctor(&["--fix"]);
    assert!(r.stdout.contains("counted again") && r.stdout.contains("put back"), "{}", r.stdout);
    assert!(r.stdout.contains("the server's workings"), "{}", r.stdout);
    assert_eq!(r.code, 1, "the lost picture is for the user to bring back: {}", r.stdout);
    let e = client.batch_execute("DELETE FROM edit_trail").expect_err("guarded again");
    assert!(e.to_string().contains("only grows") || e.as_db_error().is_some(), "{e}");
    let found: serde_json::Value = serde_json::from_str(&doctor(&["--json"]).stdout).unwrap();
    assert_eq!(
        (found["trail_guarded"].clone(), found["working"].clone(), found["miscounted_courses"].clone()),
        (true.into(), true.into(), serde_json::json!([]))
    );

    // Copies of a server are pg_dump's, or a new file written by hand.
    for command in [&["backup"][..], &["restore", "copy.db", "--yes"]] {
        let r = needlelog(&[&["--db", server.url.as_str()][..], command].concat());
        assert_eq!(r.code, 2);
        assert!(r.stderr.contains("pg_dump") && r.stderr.contains("backup -o FILE"), "{}", r.stderr);
    }
    let copy = dir.path().join("by-hand.db");
    let r = needlelog(&["--db", server.url.as_str(), "backup", "-o", &copy.display().to_string()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.starts_with("Copied ") && copy.is_file(), "{}", r.stdout);
    assert_eq!(ok(&copy, &["export", "--format", "json"]), ok(&first, &["export", "--format", "json"]));
}

#[test]
fn tls_is_used_and_checked_as_sslmode_asks() {
    let Some(server) = TestDb::new("tls") else { return };
    let snakeoil = Path::new("/etc/ssl/certs/ssl-cert-snakeoil.pem");
    let ssl: String = server.client().query_one("SHOW ssl", &[]).unwrap().get(0);
    if ssl != "on" || !snakeoil.is_file() {
        // Debian's cluster serves TLS with the machine's snakeoil certificate (for
        // localhost); a server set up otherwise is not this test's to judge.
        eprintln!("SKIPPED: the test server does not serve Debian's snakeoil certificate");
        return;
    }
    let config: postgres::Config = server.url.parse().unwrap();
    let password = String::from_utf8(config.get_password().unwrap_or_default().to_vec()).unwrap();
    let port = config.get_ports().first().copied().unwrap_or(5432);
    let user = config.get_user().unwrap();
    let at = |host: &str, query: &str| format!("postgresql://{user}:{password}@{host}:{port}/{}?{query}", server.name);
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("needlelog.db");
    ok(&db, &["person", "add", "Ana Ruiz"]);
    let file = db.display().to_string();
    let root = format!("sslrootcert={}", snakeoil.display());
    let other = "sslrootcert=/etc/ssl/certs/ISRG_Root_X1.pem";

    // Encrypted and checked against the authority given: the copy goes.
    let r = needlelog(&["db", "copy", &file, &at("localhost", &format!("sslmode=verify-full&{root}"))]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let back = |name: &str, url: &str| needlelog(&["db", "copy", url, &dir.path().join(name).display().to_string()]);
    assert_eq!(back("a.db", &at("127.0.0.1", "sslmode=require")).code, 0, "require encrypts without checking");
    assert_eq!(back("b.db", &at("127.0.0.1", &format!("sslmode=verify-ca&{root}"))).code, 0);

    // The name does not match: verify-full refuses, and says why in one line.
    let r = back("c.db", &at("127.0.0.1", &format!("sslmode=verify-full&{root}")));
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("certificate was not accepted (IP address mismatch)"), "{}", r.stderr);
    assert_eq!(r.stderr.trim().lines().count(), 1);
    assert!(!r.stderr.contains(&password), "{}", r.stderr);
    // Another authority: refused, whatever the system trusts.
    if Path::new("/etc/ssl/certs/ISRG_Root_X1.pem").is_file() {
        let r = back("d.db", &at("localhost", &format!("sslmode=verify-ca&{other}")));
        assert_eq!(r.code, 1);
        assert!(r.stderr.contains("certificate was not accepted"), "{}", r.stderr);
    }
    assert!(!dir.path().join("c.db").exists() && !dir.path().join("d.db").exists(), "no file from a refused copy");
}

#[test]
fn a_copy_shows_where_it_is_on_a_terminal_and_leaves_no_trace() {
    let Some(server) = TestDb::new("progress") else { return };
    if !common::have_tool("tmux", "tmux") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("needlelog.db");
    let r = needlelog(&["demo", "--people", "40", "--years", "2", "--seed", "5", "--out", &db.display().to_string()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let socket = format!("needlelog-copy-{}", std::process::id());
    let tmux = |args: &[&str]| {
        std::process::Command::new("tmux").args(["-L", &socket, "-f", "/dev/null"]).args(args).output().unwrap()
    };
    assert!(tmux(&["new-session", "-d", "-s", "copy", "-x", "120", "-y", "20", "sh"]).status.success());
    // Everything the terminal is sent, the lines written over included.
    let raw = dir.path().join("terminal.log");
    tmux(&["pipe-pane", "-o", "-t", "copy", &format!("cat > {}", raw.display())]);
    let command = format!(
        "NEEDLELOG_NOW='{}' {} db copy {} '{}'; echo ended-$?",
        common::FIXED_NOW,
        common::BIN,
        db.display(),
        server.url
    );
    tmux(&["send-keys", "-t", "copy", &command, "Enter"]);
    let start = std::time::Instant::now();
    let screen = loop {
        let screen = String::from_utf8_lossy(&tmux(&["capture-pane", "-p", "-t", "copy"]).stdout).into_owned();
        if screen.lines().any(|line| line.starts_with("ended-")) {
            break screen;
        }
        assert!(start.elapsed().as_secs() < 20, "the copy did not end:\n{screen}");
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    tmux(&["kill-server"]);
    assert!(screen.lines().any(|line| line == "ended-0") && screen.contains("Copied "), "{screen}");
    assert!(!screen.contains("copying "), "the progress line is gone once the copy ends:\n{screen}");
    let sent = String::from_utf8_lossy(&std::fs::read(&raw).unwrap()).into_owned();
    assert!(sent.contains("copying sessions: 0 of "), "{sent}");
    assert!(sent.contains(", then its indexes"), "{sent}");
}

#[test]
fn text_and_numbers_travel_exactly_whatever_they_hold() {
    let Some(server) = TestDb::new("exact") else { return };
    let (dir, db) = one_session();
    // What COPY's text form has to escape, and what it must leave alone, put in
    // behind needlelog's back (as an older file or another tool might hold it).
    let nasty = "tab\there\nnew line\r\\N not null \\\\ two \\x41 é 🙂 'quote' \"double\" ;--";
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute("UPDATE sessions SET notes = ?1, serum = '', lot = NULL WHERE id = 1", [nasty]).unwrap();
    conn.execute("UPDATE session_depths SET depth_mm = 0.1 + 0.2 WHERE session_id = 1", []).unwrap();
    drop(conn);
    assert_eq!(needlelog(&["db", "copy", &db.display().to_string(), &server.url]).code, 0);
    let back = dir.path().join("back.db");
    assert_eq!(needlelog(&["db", "copy", &server.url, &back.display().to_string()]).code, 0);
    let read = |path: &Path| -> (String, Option<String>, Option<String>, f64) {
        let conn = rusqlite::Connection::open(path).unwrap();
        conn.query_row(
            "SELECT notes, serum, lot, (SELECT depth_mm FROM session_depths WHERE session_id = 1) FROM sessions WHERE id = 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .unwrap()
    };
    let (notes, serum, lot, depth) = read(&back);
    assert_eq!(notes, nasty);
    assert_eq!((serum.as_deref(), lot), (Some(""), None), "an empty text stays apart from none");
    assert_eq!(depth.to_bits(), (0.1f64 + 0.2).to_bits(), "a real number to the last bit");
}

/// A write through one connection (another laptop) changes what the other's
/// store says of the records' version, which is how its app knows to read
/// again; its own writes do not.
#[test]
fn a_write_elsewhere_is_heard() {
    use needlelog::store::prelude::*;
    let Some(server) = TestDb::new("heard") else { return };
    let mut here = needlelog::store::Store::open_server(&server.url).unwrap();
    let mut there = needlelog::store::Store::open_server(&server.url).unwrap();
    let before = here.data_version().unwrap();
    here.add_person("Ana", None, "").unwrap();
    assert_eq!(here.data_version().unwrap(), before, "its own write is not news");
    let start = std::time::Instant::now();
    there.add_person("Bea", None, "").unwrap();
    while here.data_version().unwrap() == before {
        assert!(start.elapsed() < std::time::Duration::from_secs(1), "heard within a second");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let _ = &mut there;
}

/// A picture kept on one laptop goes into the server; another laptop, with a
/// cache of its own, draws it from there (the same bytes) and lists it present;
/// removed, it leaves the server too.
#[test]
fn pictures_are_kept_in_the_server_and_drawn_on_another_laptop() {
    use std::os::unix::fs::PermissionsExt;
    let Some(server) = TestDb::new("pictures") else { return };
    let dir = tempfile::tempdir().unwrap();
    let laptop = |cache: &str, args: &[&str]| {
        let out = common::needlelog()
            .arg("--db")
            .arg(&server.url)
            .args(args)
            .env("XDG_CACHE_HOME", dir.path().join(cache))
            .output()
            .unwrap();
        assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let picture = dir.path().join("cheek.png");
    write_picture(&picture, 40, 30, 90);
    let bytes = std::fs::read(&picture).unwrap();
    laptop("a", &["person", "add", "Ana Ruiz"]);
    laptop("a", &["course", "add", "--person", "Ana Ruiz", "--concern", "acne-scars", "--area", "cheeks"]);
    let photo = format!("cheeks={}", picture.display());
    laptop("a", &["log", "--course", "1", "--at", "2026-09-01", "--depth", "1.0", "--photo", &photo]);

    let kept: Vec<(String, Vec<u8>)> = server
        .client()
        .query("SELECT hash, bytes FROM photo_files", &[])
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    assert_eq!(kept.len(), 1);
    assert_eq!(kept[0].1, bytes, "the server keeps the picture itself");

    let listed: serde_json::Value = serde_json::from_str(&laptop("b", &["--json", "photo", "list"])).unwrap();
    let row = &listed.as_array().unwrap()[0];
    assert_eq!(row["missing"], false, "{listed}");
    let file = PathBuf::from(row["file"].as_str().unwrap());
    assert!(file.starts_with(dir.path().join("b")), "in the other laptop's own cache: {}", file.display());
    assert_eq!(std::fs::read(&file).unwrap(), bytes);
    assert_eq!(std::fs::metadata(&file).unwrap().permissions().mode() & 0o777, 0o600);
    assert_eq!(std::fs::metadata(file.parent().unwrap()).unwrap().permissions().mode() & 0o777, 0o700);
    assert_eq!(row["hash"], kept[0].0.as_str());

    laptop("b", &["photo", "rm", "1", "--yes"]);
    let left: i64 = server.client().query_one("SELECT count(*) FROM photo_files", &[]).unwrap().get(0);
    assert_eq!(left, 0, "nothing names it any more");
}

/// A change waits for another laptop's as long as a file waits for its lock,
/// then says so in one line, having written nothing.
#[test]
fn a_change_held_up_too_long_by_another_says_so() {
    use needlelog::store::prelude::*;
    let Some(server) = TestDb::new("held") else { return };
    let mut store = needlelog::store::Store::open_server(&server.url).unwrap();
    // Another laptop in the middle of a long change: it holds the writers' turn.
    let mut other = server.client();
    other.batch_execute("SELECT pg_advisory_lock(121381771832421)").unwrap();
    let err = store.add_person("Ana", None, "").unwrap_err().to_string();
    assert!(err.contains("another laptop's change held the records for too long"), "{err}");
    assert!(!err.contains('\n'), "{err}");
    other.batch_execute("SELECT pg_advisory_unlock(121381771832421)").unwrap();
    assert_eq!(store.people(true).unwrap().len(), 1, "only Me: nothing was written");
    store.add_person("Ana", None, "").unwrap();
}
