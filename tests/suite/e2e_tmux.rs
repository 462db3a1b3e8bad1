//! The real binary in a real terminal (tmux): start a course and log a session
//! with the keys, quit, and check both the stored data and the restored terminal.

use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_needlelog");

/// A tmux server of our own, killed when the test ends.
struct Tmux {
    socket: String,
}

impl Tmux {
    fn start(command: &str) -> Tmux {
        if Command::new("tmux").arg("-V").output().is_err() {
            panic!("install tmux (see .ci/run): this test drives the real binary in a real terminal");
        }
        static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let socket = format!("needlelog-e2e-{}-{n}", std::process::id());
        let tmux = Tmux { socket };
        let out = tmux.run(&["new-session", "-d", "-s", "app", "-x", "80", "-y", "24", command]);
        assert!(out.status.success(), "tmux starts: {}", String::from_utf8_lossy(&out.stderr));
        tmux
    }

    fn run(&self, args: &[&str]) -> Output {
        Command::new("tmux")
            .env("NEEDLELOG_NOW", crate::common::FIXED_NOW)
            .args(["-L", &self.socket, "-f", "/dev/null"])
            .args(args)
            .output()
            .expect("tmux is installed (.ci/run installs it)")
    }

    fn screen(&self) -> String {
        String::from_utf8_lossy(&self.run(&["capture-pane", "-p", "-t", "app"]).stdout).into_owned()
    }

    /// Waits until the screen shows `text`; fails with the screen after 10 s.
    fn wait_for(&self, text: &str) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if screen.contains(text) {
                return screen;
            }
            assert!(start.elapsed() < Duration::from_secs(10), "waited for {text:?}; the screen shows:\n{screen}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Waits until the screen shows one of `texts`; returns the one it shows.
    fn wait_for_any<'a>(&self, texts: &[&'a str]) -> &'a str {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if let Some(found) = texts.iter().find(|t| screen.contains(**t)) {
                return found;
            }
            assert!(start.elapsed() < Duration::from_secs(10), "waited for {texts:?}; the screen shows:\n{screen}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Presses Escape and waits until `closes` is gone from the screen: a key sent
    /// at once after it could be read with it as Alt+key.
    fn escape(&self, closes: &str) {
        self.keys(&["Escape"]);
        self.wait_gone_from_screen(closes);
    }

    /// Waits until the screen no longer shows `text`.
    fn wait_gone_from_screen(&self, text: &str) {
        let start = Instant::now();
        while self.screen().contains(text) {
            assert!(start.elapsed() < Duration::from_secs(10), "{text:?} stays on the screen");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn keys(&self, keys: &[&str]) {
        for key in keys {
            self.run(&["send-keys", "-t", "app", key]);
        }
    }

    fn type_text(&self, text: &str) {
        self.run(&["send-keys", "-t", "app", "-l", text]);
    }

    fn pane(&self, format: &str) -> String {
        let out = self.run(&["display-message", "-p", "-t", "app", format]);
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.run(&["kill-server"]);
    }
}

fn list_json(db: &Path) -> serde_json::Value {
    let out = crate::common::needlelog().arg("--db").arg(db).args(["list", "--json"]).output().unwrap();
    assert!(out.status.success());
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn start_a_course_and_log_a_session_with_the_keys() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("needlelog.db");
    // A fixed clock, so the screens read the same whatever the day.
    let command = format!("TZ=UTC {BIN} --db '{}' --now '2026-11-24 09:00'; echo EXIT=$?; sleep 30", db.display());
    let tmux = Tmux::start(&command);

    // A new file asks whose it is: my own.
    tmux.wait_for("Whose log is this?");
    tmux.keys(&["m"]);
    tmux.wait_for("No course yet — press n to start one");
    tmux.keys(&["n"]);
    tmux.wait_for("New course");
    tmux.type_text("cheeks");
    tmux.keys(&["Enter"]);
    tmux.wait_for("Not started — press a to log your first session");

    tmux.keys(&["a"]);
    tmux.wait_for("Log a session");
    tmux.keys(&["Tab", "Tab", "Tab", "C-u"]);
    tmux.type_text("0.5");
    tmux.keys(&["Enter"]);
    tmux.wait_for("Before you save");
    tmux.keys(&["Enter"]);
    // The post-care checklist pops up by itself.
    tmux.wait_for("After your session today");
    tmux.keys(&["Space", "Enter"]);
    tmux.wait_for("Sensitive skin — 72 h left");

    tmux.keys(&["q"]);
    let screen = tmux.wait_for("EXIT=0");
    assert!(!screen.contains("1 Today │ 2 Timeline"), "the app's screen is gone:\n{screen}");
    assert_eq!(tmux.pane("#{alternate_on}"), "0", "back on the main screen");
    assert_eq!(tmux.pane("#{cursor_flag}"), "1", "cursor visible again");

    let sessions = list_json(&db);
    let sessions = sessions.as_array().unwrap();
    assert_eq!(sessions.len(), 1);
    assert_eq!(sessions[0]["status"], "done");
    assert_eq!(sessions[0]["depths"][0]["area"], "cheeks");
    assert_eq!(sessions[0]["depths"][0]["mm"], 0.5);
    assert_eq!(sessions[0]["at"], "2026-11-24T09:00:00+00:00", "logged at the clock it was given");
}

/// The pid of the needlelog process working on `db`.
fn pid_of(db: &Path) -> Option<u32> {
    let wanted = db.to_string_lossy().into_owned();
    std::fs::read_dir("/proc").ok()?.flatten().find_map(|entry| {
        let pid: u32 = entry.file_name().to_str()?.parse().ok()?;
        let cmdline = std::fs::read(entry.path().join("cmdline")).ok()?;
        let args: Vec<String> = cmdline.split(|b| *b == 0).map(|a| String::from_utf8_lossy(a).into_owned()).collect();
        (args.first().is_some_and(|a| a.ends_with("needlelog")) && args.contains(&wanted)).then_some(pid)
    })
}

fn signal(pid: u32, name: &str) {
    let status = Command::new("kill").args(["-s", name, &pid.to_string()]).status().unwrap();
    assert!(status.success(), "kill -s {name} {pid}");
}

/// Waits until no needlelog works on `db`.
fn wait_gone(db: &Path) {
    let start = Instant::now();
    while pid_of(db).is_some() {
        assert!(start.elapsed() < Duration::from_secs(10), "the app is still running");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn signals_end_the_app_cleanly_and_give_the_terminal_back() {
    for (signal_name, prefix) in [("TERM", ""), ("HUP", "trap '' HUP; "), ("INT", "")] {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("needlelog.db");
        // With HUP ignored by the shell (as nohup does), the app must still end on it.
        let command = format!(
            "{prefix}TZ=UTC {BIN} --db '{}' --now '2026-11-24 09:00'; echo EXIT=$?; stty -a | tr '\\n' ' '; sleep 30",
            db.display()
        );
        let tmux = Tmux::start(&command);
        tmux.wait_for("Whose log is this?");
        let pid = pid_of(&db).expect("the app runs");
        signal(pid, signal_name);
        let screen = tmux.wait_for(" baud");
        wait_gone(&db);
        assert!(
            screen.contains(" icanon ") && screen.contains(" echo "),
            "SIG{signal_name}: cooked mode back:\n{screen}"
        );
        assert_eq!(tmux.pane("#{alternate_on}"), "0", "SIG{signal_name}: back on the main screen");
        assert_eq!(tmux.pane("#{mouse_any_flag}"), "0", "SIG{signal_name}: the mouse is released");
        let sound = crate::common::needlelog().arg("--db").arg(&db).arg("doctor").output().unwrap();
        assert!(sound.status.success(), "SIG{signal_name}: {}", String::from_utf8_lossy(&sound.stdout));
    }
}

#[test]
fn ctrl_z_suspends_and_fg_brings_the_app_back() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("needlelog.db");
    let tmux = Tmux::start("env -i PATH=/usr/bin:/bin TERM=screen PS1='$ ' bash --norc --noprofile -i");
    tmux.wait_for("$");
    tmux.type_text(&format!("TZ=UTC {BIN} --db '{}' --now '2026-11-24 09:00'", db.display()));
    tmux.keys(&["Enter"]);
    tmux.wait_for("Whose log is this?");
    tmux.keys(&["C-z"]);
    let shell = tmux.wait_for("Stopped");
    assert!(!shell.contains("Whose log"), "the app's screen is gone while it is stopped:\n{shell}");
    assert_eq!(tmux.pane("#{alternate_on}"), "0");
    tmux.type_text("fg");
    tmux.keys(&["Enter"]);
    tmux.wait_for("Whose log is this?");
    assert_eq!(tmux.pane("#{alternate_on}"), "1", "the app has the screen again");
    // Keys work again (raw mode is back): open help, close it, quit.
    tmux.keys(&["?"]);
    tmux.wait_for("Esc closes this");
    // Esc and q apart: sent together they read as Alt-q.
    tmux.keys(&["Escape"]);
    tmux.wait_gone_from_screen("Esc closes this");
    tmux.keys(&["q"]);
    wait_gone(&db);
}

#[test]
fn closing_the_terminal_ends_the_app() {
    for prefix in ["", "trap '' HUP; "] {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("needlelog.db");
        let command = format!("{prefix}TZ=UTC {BIN} --db '{}' --now '2026-11-24 09:00'; sleep 30", db.display());
        let tmux = Tmux::start(&command);
        tmux.wait_for("Whose log is this?");
        assert!(pid_of(&db).is_some());
        // The window closes: the terminal hangs up under the app.
        tmux.run(&["kill-server"]);
        wait_gone(&db);
        let sound = crate::common::needlelog().arg("--db").arg(&db).arg("doctor").output().unwrap();
        assert!(sound.status.success(), "{prefix}: {}", String::from_utf8_lossy(&sound.stdout));
    }
}

#[test]
fn a_practitioner_finds_a_client_with_four_letters_and_logs_a_session() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("practice.db");
    let now = "2026-11-24 09:00";
    let made = crate::common::needlelog()
        .args(["demo", "--people", "300", "--years", "3", "--seed", "1", "--now", now, "--out"])
        .arg(&db)
        .output()
        .unwrap();
    assert!(made.status.success(), "{}", String::from_utf8_lossy(&made.stderr));
    // Someone whom four letters of their name find first, and who has a running course.
    let people = crate::common::needlelog().arg("--db").arg(&db).args(["person", "list", "--json"]).output().unwrap();
    let people: serde_json::Value = serde_json::from_slice(&people.stdout).unwrap();
    let names: Vec<(String, String)> = people
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["active_courses"] == 1)
        .map(|p| {
            let name = p["name"].as_str().unwrap().to_string();
            (name.clone(), format!("{name} {}", p["notes"].as_str().unwrap_or("")))
        })
        .collect();
    let all: Vec<(String, String)> = people
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            let name = p["name"].as_str().unwrap().to_string();
            (name.clone(), name)
        })
        .collect();
    let (name, letters) = names
        .iter()
        .find_map(|(name, _)| {
            let letters: String = name.split_whitespace().last()?.chars().take(4).collect();
            let ranked = needlelog::find::rank(&letters, all.iter().cloned());
            (letters.chars().count() == 4 && ranked.first() == Some(name)).then(|| (name.clone(), letters))
        })
        .expect("some client is found by four letters");

    let command = format!("TZ=UTC {BIN} --db '{}' --now '{now}'; echo EXIT=$?; sleep 30", db.display());
    let tmux = Tmux::start(&command);
    // A practitioner's file pops nothing up on opening: a client's aftercare is on Today.
    tmux.wait_for("1 Today");
    tmux.keys(&["/"]);
    tmux.wait_for("Find people");
    tmux.type_text(&letters);
    tmux.wait_for(&format!("▶ {name}"));
    tmux.keys(&["Enter"]);
    tmux.wait_for("Enter open · a log");
    tmux.keys(&["a"]);
    tmux.wait_for("Log a session");
    tmux.keys(&["Enter"]);
    // A client seen days ago gets a word on the timing first; Enter again saves.
    if tmux.wait_for_any(&["Before you save", "Enter again saves it"]) != "Before you save" {
        tmux.keys(&["Enter"]);
        tmux.wait_for("Before you save");
    }
    tmux.keys(&["Enter"]);
    tmux.wait_for("Saved");
    tmux.escape("Enter open · a log");
    tmux.keys(&["q"]);
    tmux.wait_for("EXIT=0");

    let out = crate::common::needlelog()
        .arg("--db")
        .arg(&db)
        .args(["list", "--json", "--person", &name, "--since", "2026-11-24"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let logged: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let logged = logged.as_array().unwrap();
    assert!(
        logged.iter().any(|s| s["status"] == "done" && s["at"] == "2026-11-24T09:00:00+00:00"),
        "{name} got today's session: {logged:?}"
    );
}

#[test]
fn two_photos_attached_on_the_command_line_compare_in_half_blocks() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("photos.db");
    let cli = |args: &[&str]| {
        let out = crate::common::needlelog().arg("--db").arg(&db).args(args).env("TZ", "UTC").output().unwrap();
        assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    };
    let picture = |name: &str, tint: u8| {
        let path = dir.path().join(name);
        image::RgbImage::from_fn(160, 120, |x, y| image::Rgb([(x + y) as u8, tint, (x * 2) as u8]))
            .save(&path)
            .unwrap();
        format!("cheeks={}", path.display())
    };
    cli(&["init", "--patient", "--now", "2026-10-01 09:00"]);
    cli(&["course", "add", "--concern", "acne-scars", "--area", "cheeks", "--now", "2026-10-01 09:00"]);
    for (at, name, tint) in [("2026-10-01 10:00", "before.jpg", 20), ("2026-11-02 10:00", "after.png", 220)] {
        let photo = picture(name, tint);
        cli(&["log", "--at", at, "--now", at, "--depth", "1.0", "--screening", "none", "--photo", &photo]);
    }
    let command = format!("TZ=UTC {BIN} --db '{}' --now '2026-11-24 09:00'; echo EXIT=$?; sleep 30", db.display());
    let tmux = Tmux::start(&command);
    // The last session's aftercare runs until 30 Nov: it pops up first.
    tmux.wait_for("After your session Mon 2 Nov 10:00");
    tmux.escape("After your session Mon 2 Nov 10:00");
    tmux.keys(&["5"]);
    tmux.wait_for("2 photos over 2 sessions");
    tmux.keys(&["v"]);
    let screen = tmux.wait_for("After: Session 2 of");
    assert!(screen.contains("Before: Session 1 of") && screen.contains("32 days apart"), "{screen}");
    // The pictures arrive from the decoding threads: half blocks fill both halves.
    let start = Instant::now();
    let screen = loop {
        let screen = tmux.screen();
        let cells = screen.chars().filter(|c| matches!(c, '▀' | '▄')).count();
        if cells > 200 {
            break screen;
        }
        assert!(start.elapsed() < Duration::from_secs(10), "no half blocks came:\n{screen}");
        std::thread::sleep(Duration::from_millis(50));
    };
    let halves: Vec<&str> = screen.lines().filter(|l| l.matches('▄').count() + l.matches('▀').count() > 20).collect();
    assert!(halves.iter().any(|l| l.contains("││")), "both pictures side by side:\n{screen}");
    tmux.keys(&["q"]);
    tmux.wait_for("EXIT=0");
}

#[test]
fn the_app_follows_a_restore_made_from_another_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("needlelog.db");
    let cli = |args: &[&str]| {
        let out = crate::common::needlelog().arg("--db").arg(&db).args(args).env("TZ", "UTC").output().unwrap();
        assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    };
    let copy = dir.path().join("copy.db");
    cli(&["init", "--patient", "--now", "2026-10-01 09:00"]);
    cli(&["course", "add", "--concern", "scars", "--area", "cheeks", "--now", "2026-10-01 09:00"]);
    cli(&["backup", "-o", copy.to_str().unwrap(), "--now", "2026-10-01 09:00"]);
    cli(&["course", "add", "--concern", "wrinkles", "--area", "forehead", "--now", "2026-10-02 09:00"]);
    let command = format!("TZ=UTC {BIN} --db '{}' --now '2026-11-24 09:00'; echo EXIT=$?; sleep 30", db.display());
    let tmux = Tmux::start(&command);
    tmux.wait_for("Me ▸ Wrinkles");
    cli(&["restore", copy.to_str().unwrap(), "--yes", "--now", "2026-11-24 09:01"]);
    // Within the second the app looks for other writes, it opens the new file.
    let screen = tmux.wait_for("The file was replaced on disk");
    assert!(screen.contains("Me ▸ Scars"), "{screen}");
    // And it writes to the restored file, not the one set aside.
    tmux.keys(&["n"]);
    tmux.wait_for("New course");
    tmux.type_text("neck");
    tmux.keys(&["Enter"]);
    tmux.wait_for("Not started — press a to log your first session");
    tmux.keys(&["q"]);
    tmux.wait_for("EXIT=0");
    let courses = crate::common::needlelog().arg("--db").arg(&db).args(["course", "list", "--json"]).output().unwrap();
    let courses: serde_json::Value = serde_json::from_slice(&courses.stdout).unwrap();
    let concerns: Vec<&str> = courses.as_array().unwrap().iter().map(|c| c["concern"].as_str().unwrap()).collect();
    assert_eq!(concerns.len(), 2, "the restored course and the new one: {concerns:?}");
    assert!(concerns.contains(&"scars") && !concerns.contains(&"wrinkles"), "{concerns:?}");
}

/// A client with a course and a session on `server`, and the app open on it in
/// tmux (its state and cache in `dir`); and how another laptop runs a command.
fn app_on_a_server<'a>(server: &'a crate::common::TestDb, dir: &Path) -> (Tmux, impl Fn(&[&str]) + 'a) {
    let other_laptop = move |args: &[&str]| {
        let out = crate::common::needlelog().arg("--db").arg(&server.url).args(args).output().unwrap();
        assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    };
    other_laptop(&["person", "add", "Ana Ruiz"]);
    other_laptop(&["course", "add", "--person", "Ana Ruiz", "--concern", "acne-scars", "--area", "cheeks"]);
    other_laptop(&["log", "--course", "1", "--at", "2026-09-01", "--depth", "1.0", "--screening", "none"]);
    (open_app_on(server, dir), other_laptop)
}

/// The app on `server` in tmux, its state and cache in `dir`, showing the course.
fn open_app_on(server: &crate::common::TestDb, dir: &Path) -> Tmux {
    let command = format!(
        "TZ=UTC XDG_STATE_HOME='{0}' XDG_CACHE_HOME='{0}' {BIN} --db '{1}' --now '2026-11-24 09:00'; \
         echo EXIT=$?; sleep 30",
        dir.display(),
        server.url
    );
    let tmux = Tmux::start(&command);
    tmux.wait_for("1 of 6 sessions");
    tmux
}

/// Two laptops on one server: a session logged on one (here the command line)
/// shows on the other's open app without a key pressed, as it does for two
/// processes on one file.
#[test]
fn a_session_logged_on_another_laptop_shows_in_the_open_app() {
    let Some(server) = crate::common::TestDb::new("live") else { return };
    let dir = tempfile::tempdir().unwrap();
    let (tmux, other_laptop) = app_on_a_server(&server, dir.path());
    tmux.wait_for("[overdue 42 days]");
    other_laptop(&["log", "--course", "1", "--at", "2026-10-06", "--depth", "1.5", "--serum", "Peptide X"]);
    let screen = tmux.wait_for("2 of 6 sessions");
    assert!(screen.contains("[overdue 7 days]"), "the course counts from the new session:\n{screen}");
    tmux.keys(&["q"]);
    tmux.wait_for("EXIT=0");
}

/// The server going away leaves the open app showing what it showed, saying
/// so and refusing changes; when the server answers again, the app reads
/// what was written meanwhile, by itself.
#[test]
fn the_app_stays_read_only_while_the_server_is_away() {
    let Some(server) = crate::common::TestDb::new("away_app") else { return };
    let dir = tempfile::tempdir().unwrap();
    let (tmux, other_laptop) = app_on_a_server(&server, dir.path());

    // Away: no new connection is let in, and the app's is cut.
    let mut admin = server.admin();
    admin.batch_execute(&format!("ALTER DATABASE {} ALLOW_CONNECTIONS false", server.name)).unwrap();
    admin
        .execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()",
            &[&server.name],
        )
        .unwrap();
    tmux.wait_for("server away: read-only");
    tmux.keys(&["a"]);
    tmux.wait_for("does not answer: read-only until it does");
    assert!(tmux.screen().contains("1 of 6 sessions"), "what it showed stays");

    // Back: a session logged meanwhile elsewhere shows without a key pressed.
    admin.batch_execute(&format!("ALTER DATABASE {} ALLOW_CONNECTIONS true", server.name)).unwrap();
    other_laptop(&["log", "--course", "1", "--at", "2026-10-06", "--depth", "1.5", "--screening", "none"]);
    tmux.wait_for("2 of 6 sessions");
    tmux.wait_gone_from_screen("server away: read-only");
    tmux.keys(&["q"]);
    tmux.wait_for("EXIT=0");
}

/// Two laptops edit the same session at once, each in its own app: the first
/// to save is kept; the second is shown the same "changed elsewhere" dialog as
/// two apps on one file, with both values, and nothing of the first is lost.
#[test]
fn two_laptops_editing_one_session_meet_the_conflict_dialog() {
    let Some(server) = crate::common::TestDb::new("two_apps") else { return };
    let dirs = [tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap()];
    let (first, _) = app_on_a_server(&server, dirs[0].path());
    let second = open_app_on(&server, dirs[1].path());
    // Both open the session's form (Sessions, the one listed, e)...
    for laptop in [&first, &second] {
        laptop.keys(&["3"]);
        laptop.wait_for("Sessions (1)");
        laptop.keys(&["e"]);
        laptop.wait_for("Edit session");
    }
    // ...and each sets the pain (the sixth field) and saves: the first one first.
    // (The session is older than its course's start: the form asks once.)
    for (laptop, pain) in [(&first, "4"), (&second, "9")] {
        laptop.keys(&["Tab", "Tab", "Tab", "Tab", "Tab", "C-u"]);
        laptop.type_text(pain);
        laptop.keys(&["Enter"]);
        laptop.wait_for("Enter again saves it as it is");
        laptop.keys(&["Enter"]);
    }
    first.wait_gone_from_screen("Edit session");
    let screen = second.wait_for("Changed elsewhere since you opened this");
    assert!(screen.contains("theirs 4 · mine 9"), "{screen}");
    let pain = || {
        let out = crate::common::needlelog().arg("--db").arg(&server.url).args(["list", "--json"]).output().unwrap();
        let list: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        list[0]["pain"].clone()
    };
    assert_eq!(pain(), 4, "the first save is kept until the second laptop chooses");
    // Mine, chosen here, is saved over theirs knowingly.
    second.keys(&["Enter"]);
    second.wait_gone_from_screen("Changed elsewhere since you opened this");
    assert_eq!(pain(), 9);
}
