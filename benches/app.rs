//! Benchmarks on a practitioner-sized file (2,000 people, 10 years, ≈100k sessions):
//! opening the app to its first frame, a key press to the redraw on the Sessions
//! and Timeline screens, export and import throughput, and peak memory.
//!
//! Run: `cargo bench --bench app` (uses $NEEDLELOG_BENCH_DB when set, else builds
//! the file first with the same generator as `needlelog demo`; with
//! $NEEDLELOG_BENCH_SERVER, a server address holding the same records, opening
//! is measured there too). Reports the median and the spread (min – p90) of
//! each; nothing is asserted.

use std::time::{Duration, Instant};

use chrono::{TimeZone, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use needlelog::app::{App, Tab};
use needlelog::domain::Rules;
use needlelog::domain::time::Zone;
use needlelog::store::Store;
use needlelog::store::prelude::*;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn stats(name: &str, mut samples: Vec<Duration>) {
    samples.sort();
    let at = |q: f64| samples[((samples.len() - 1) as f64 * q).round() as usize];
    println!(
        "{name:<44} median {:>8.2} ms   min {:>8.2} ms   p90 {:>8.2} ms   ({} runs)",
        at(0.5).as_secs_f64() * 1e3,
        samples[0].as_secs_f64() * 1e3,
        at(0.9).as_secs_f64() * 1e3,
        samples.len()
    );
}

fn peak_rss_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kb: f64 = status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0.0);
    kb / 1024.0
}

fn main() {
    let rules = Rules::embedded();
    let now = Utc.with_ymd_and_hms(2026, 11, 24, 9, 0, 0).unwrap();
    let zone = Zone::utc();
    let dir = tempfile::tempdir().expect("temp dir");
    let path = match std::env::var_os("NEEDLELOG_BENCH_DB") {
        Some(p) => std::path::PathBuf::from(p),
        None => {
            let path = dir.path().join("big.db");
            let snapshot = needlelog::demo::generate(2000, 10, 1, rules, now, &zone);
            let started = Instant::now();
            let mut store = Store::open(&path).expect("new file");
            let counts = store.import(&snapshot).expect("import");
            let took = started.elapsed();
            println!(
                "import (generated file)                      {} sessions in {:.0} ms = {:.0} sessions/s",
                counts.sessions,
                took.as_secs_f64() * 1e3,
                counts.sessions as f64 / took.as_secs_f64()
            );
            path
        }
    };
    println!(
        "file: {} ({:.1} MB)",
        path.display(),
        std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0) as f64 / 1e6
    );
    println!("peak memory before the app: {:.1} MB", peak_rss_mb());

    // Opening as the binary does: store, the course opened on, first frame at
    // 120×40; then every list and the frame with them (`finish_opening`).
    let opening = |open: &dyn Fn() -> Store, place: &str| {
        let mut first = Vec::new();
        let mut lists = Vec::new();
        for _ in 0..15 {
            let started = Instant::now();
            let mut app = App::opening(open(), rules, now, zone);
            let mut terminal = Terminal::new(TestBackend::new(120, 40)).expect("terminal");
            terminal.draw(|f| needlelog::ui::draw(f, &app)).expect("draw");
            first.push(started.elapsed());
            app.finish_opening();
            terminal.draw(|f| needlelog::ui::draw(f, &app)).expect("draw");
            lists.push(started.elapsed());
        }
        stats(&format!("{place}open the app to the first frame (120×40)"), first);
        stats(&format!("{place}…then every list read and drawn"), lists);
    };
    opening(&|| Store::open(&path).expect("open"), "");
    // The same records on a server (`db copy` of the file), when one is named:
    // connecting is part of opening.
    if let Ok(address) = std::env::var("NEEDLELOG_BENCH_SERVER") {
        opening(&|| Store::open_server(&address).expect("the server answers"), "server: ");
    }

    let store = Store::open(&path).expect("open");
    let mut app = App::new(store, rules, now, zone);
    app.overlay = None;
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).expect("terminal");
    let people = format!("{} people", app.people.len());
    let on_people = format!("key to redraw, People ({people})");
    for (tab, keys, name) in [
        (Tab::Sessions, [KeyCode::Down, KeyCode::Up], "key to redraw, Sessions"),
        (Tab::Timeline, [KeyCode::Right, KeyCode::Left], "key to redraw, Timeline"),
        (Tab::People, [KeyCode::Down, KeyCode::Up], on_people.as_str()),
        (Tab::Today, [KeyCode::Char('1'), KeyCode::Char('1')], "key to redraw, Today"),
    ] {
        app.tab = tab;
        let mut samples = Vec::new();
        for i in 0..400 {
            let started = Instant::now();
            app.handle_key(KeyEvent::new(keys[i % 2], KeyModifiers::NONE));
            terminal.draw(|f| needlelog::ui::draw(f, &app)).expect("draw");
            samples.push(started.elapsed());
        }
        stats(name, samples);
    }

    // `/` on People, then each letter of a query (and back): the list narrows.
    app.tab = Tab::People;
    app.handle_key(KeyEvent::new(KeyCode::Char('/'), KeyModifiers::NONE));
    let mut samples = Vec::new();
    for i in 0..200 {
        let key = if i % 8 < 4 { KeyCode::Char(['k', 'h', 'a', 'n'][i % 4]) } else { KeyCode::Backspace };
        let started = Instant::now();
        app.handle_key(KeyEvent::new(key, KeyModifiers::NONE));
        terminal.draw(|f| needlelog::ui::draw(f, &app)).expect("draw");
        samples.push(started.elapsed());
    }
    stats(&format!("find: key to redraw, People ({people})"), samples);
    // A first letter never typed before searches everyone (later letters search
    // what it found, and a query typed before is kept).
    let mut first = Vec::new();
    for letter in 'a'..='z' {
        let started = Instant::now();
        app.handle_key(KeyEvent::new(KeyCode::Char(letter), KeyModifiers::NONE));
        terminal.draw(|f| needlelog::ui::draw(f, &app)).expect("draw");
        first.push(started.elapsed());
        app.handle_key(KeyEvent::new(KeyCode::Backspace, KeyModifiers::NONE));
    }
    stats(&format!("find: a first letter, everyone searched ({people})"), first);
    app.handle_key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE));

    // A save with its edit trail: one field changed, then nine at once (each field
    // changed is one more trail row in the same transaction).
    if let Some(mut session) = app.sessions().first().map(|s| (*s).clone()) {
        app.store.fill_depths(std::slice::from_mut(&mut session)).expect("depths");
        let mut one = Vec::new();
        let mut nine = Vec::new();
        for i in 0..60 {
            let base = app.store.session(session.id).expect("session");
            let mut edited = base.clone();
            edited.notes = format!("bench {i}");
            let started = Instant::now();
            app.store.save_session_edit(&base, &edited, &Default::default()).expect("save");
            one.push(started.elapsed());
            let base = app.store.session(session.id).expect("session");
            let mut edited = base.clone();
            edited.notes = format!("bench again {i}");
            edited.pain = Some(u8::try_from(i % 10).unwrap_or(0));
            edited.rating = Some(u8::try_from(i % 9 + 1).unwrap_or(1));
            edited.passes = Some(u32::try_from(i % 5 + 1).unwrap_or(1));
            edited.serum = Some(format!("serum {i}"));
            edited.lot = Some(format!("lot {i}"));
            edited.numbing = Some(format!("numbing {i}"));
            edited.provider = Some(format!("provider {i}"));
            edited.reaction =
                Some(if i % 2 == 0 { needlelog::domain::Reaction::Mild } else { needlelog::domain::Reaction::None });
            let started = Instant::now();
            app.store.save_session_edit(&base, &edited, &Default::default()).expect("save");
            nine.push(started.elapsed());
        }
        stats("save one field (+1 trail row)", one);
        stats("save nine fields (+9 trail rows)", nine);
    }

    let mut reload = Vec::new();
    for _ in 0..30 {
        let started = Instant::now();
        app.reload();
        reload.push(started.elapsed());
    }
    stats("reload (another process wrote; a new day)", reload);
    let mut tick = Vec::new();
    for i in 1..=30 {
        let started = Instant::now();
        app.set_now(now + chrono::Duration::seconds(30 * i));
        tick.push(started.elapsed());
    }
    stats("clock tick (later the same day)", tick);
    println!("peak memory with the app open: {:.1} MB", peak_rss_mb());

    // Export and import of the whole file.
    let started = Instant::now();
    let snapshot = app.store.snapshot().expect("snapshot");
    let json = needlelog::exchange::json::to_json(&snapshot);
    let took = started.elapsed();
    println!(
        "export --format json                          {} sessions in {:.0} ms = {:.0} sessions/s ({:.1} MB)",
        snapshot.sessions.len(),
        took.as_secs_f64() * 1e3,
        snapshot.sessions.len() as f64 / took.as_secs_f64(),
        json.len() as f64 / 1e6
    );
    let started = Instant::now();
    let parsed = needlelog::exchange::json::from_json(&json, rules, now).expect("parse");
    let mut fresh = Store::open(&dir.path().join("imported.db")).expect("fresh");
    let counts = fresh.import(&parsed).expect("import");
    let took = started.elapsed();
    println!(
        "import (read JSON + write)                    {} sessions in {:.0} ms = {:.0} sessions/s",
        counts.sessions,
        took.as_secs_f64() * 1e3,
        counts.sessions as f64 / took.as_secs_f64()
    );

    huge_note(rules, now, zone, dir.path());
}

/// A session whose notes are 10 MB (a file from before the 64 KB bound, or written
/// by hand): Today, Sessions and the key between them stay cheap.
fn huge_note(rules: &'static Rules, now: chrono::DateTime<Utc>, zone: Zone, dir: &std::path::Path) {
    let path = dir.join("huge-note.db");
    let mut store = Store::open(&path).expect("open");
    let me = store.person_by_name(needlelog::domain::Person::ME).expect("me").id;
    let started = now.date_naive() - chrono::Days::new(30);
    let mut course = rules.new_course(me, rules.protocol("acne-scars").expect("protocol"), started);
    course.areas = vec!["cheeks".into()];
    let course_id = store.add_course(&course).expect("course");
    let at = now - chrono::Duration::days(2);
    let session = needlelog::domain::Session::new(
        course_id,
        at,
        0,
        needlelog::domain::SessionStatus::Done,
        needlelog::domain::Device::Pen,
    );
    let id = store.add_session(&session).expect("session");
    drop(store);
    let conn = rusqlite::Connection::open(&path).expect("sqlite");
    let note = "a line of notes about the skin today\n".repeat(10 * 1024 * 1024 / 36);
    conn.execute("UPDATE sessions SET notes = ?1 WHERE id = ?2", rusqlite::params![note, id]).expect("note");
    drop(conn);

    let store = Store::open(&path).expect("open");
    let mut app = App::new(store, rules, now, zone);
    app.overlay = None;
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).expect("terminal");
    let mut today = Vec::new();
    for i in 0..50 {
        let key = if i % 2 == 0 { KeyCode::Char('3') } else { KeyCode::Char('1') };
        let started = Instant::now();
        app.handle_key(KeyEvent::new(key, KeyModifiers::NONE));
        terminal.draw(|f| needlelog::ui::draw(f, &app)).expect("draw");
        today.push(started.elapsed());
    }
    stats("10 MB note: key to redraw, Today ⇄ Sessions", today);
}
