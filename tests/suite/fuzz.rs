//! Random input: key sequences from every screen into forms and pop-ups must
//! never panic nor leave the file inconsistent, and drawing at every terminal size
//! from 1×1 to 300×100 must never panic.
//!
//! A run of the suite draws a sample of the sizes (both sides of every limit and a
//! stride over the rest) and a modest number of random cases. `NEEDLELOG_FUZZ=full`
//! draws every size and ten times the cases; `PROPTEST_CASES=N` sets the cases.

use chrono::{TimeZone, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use needlelog::app::{App, Overlay, Tab};
use needlelog::domain::Rules;
use needlelog::domain::time::Zone;
use needlelog::store::Store;
use needlelog::store::prelude::*;
use proptest::prelude::*;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

/// Whether the whole draw was asked for (`NEEDLELOG_FUZZ=full`).
fn full() -> bool {
    std::env::var("NEEDLELOG_FUZZ").is_ok_and(|v| v == "full")
}

/// How many random cases a property runs: `PROPTEST_CASES`, else `usual` (ten
/// times that for the full draw).
fn cases(usual: u32) -> u32 {
    match std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()) {
        Some(n) => n,
        None if full() => usual * 10,
        None => usual,
    }
}

/// The sizes drawn along one side from 1 to `max`: every one for the full draw,
/// else 1, 2, both sides of each limit, and every `stride`th.
fn sides(max: u16, limits: &[u16], stride: u16) -> Vec<u16> {
    if full() {
        return (1..=max).collect();
    }
    let mut all: Vec<u16> = (1..=max).step_by(usize::from(stride)).chain([1, 2, max]).collect();
    for &limit in limits {
        all.extend([limit.saturating_sub(1), limit, limit + 1]);
    }
    all.retain(|n| (1..=max).contains(n));
    all.sort_unstable();
    all.dedup();
    all
}

fn demo_app(dir: &tempfile::TempDir) -> App {
    let now = Utc.with_ymd_and_hms(2026, 11, 24, 9, 0, 0).unwrap();
    let mut store = Store::open(&dir.path().join("fuzz.db")).unwrap();
    needlelog::demo::fill(&mut store, Rules::embedded(), now, &Zone::utc()).unwrap();
    App::new(store, Rules::embedded(), now, Zone::utc())
}

/// Every key the app reads, plus some it does not.
fn key() -> impl Strategy<Value = KeyEvent> {
    let plain = prop_oneof![
        prop::char::range('a', 'z').prop_map(KeyCode::Char),
        prop::char::range('0', '9').prop_map(KeyCode::Char),
        prop::sample::select(vec![' ', '?', '+', '-', '=', '[', ']', '/', ',', '.', ':', 'é', '→', 'G', 'Q'])
            .prop_map(KeyCode::Char),
        prop::sample::select(vec![
            KeyCode::Enter,
            KeyCode::Esc,
            KeyCode::Tab,
            KeyCode::BackTab,
            KeyCode::Up,
            KeyCode::Down,
            KeyCode::Left,
            KeyCode::Right,
            KeyCode::Home,
            KeyCode::End,
            KeyCode::PageUp,
            KeyCode::PageDown,
            KeyCode::Backspace,
            KeyCode::Delete,
            KeyCode::Insert,
            KeyCode::F(5),
        ]),
    ];
    let modifiers = prop::sample::select(vec![
        KeyModifiers::NONE,
        KeyModifiers::NONE,
        KeyModifiers::NONE,
        KeyModifiers::SHIFT,
        KeyModifiers::CONTROL,
        KeyModifiers::ALT,
    ]);
    (plain, modifiers).prop_map(|(code, m)| KeyEvent::new(code, m))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(32), .. ProptestConfig::default() })]

    #[test]
    fn random_keys_never_panic_and_keep_the_file_sound(
        start in prop::sample::select(Tab::ALL.to_vec()),
        keys in prop::collection::vec(key(), 1..250),
        width in 60u16..140,
        height in 18u16..50,
    ) {
        let dir = tempfile::tempdir().unwrap();
        let mut app = demo_app(&dir);
        app.tab = start;
        let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
        for key in keys {
            app.handle_key(key);
            app.quit = false;
            terminal.draw(|f| needlelog::ui::draw(f, &app)).unwrap();
        }
        let health = app.store.file().unwrap().health().unwrap();
        prop_assert!(health.is_ok(), "{:?}", health);
        prop_assert!(health.people >= 3, "no key deletes a person: {} left of the demo's 3", health.people);
    }
}

#[test]
fn every_size_from_1x1_to_300x100_draws() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = demo_app(&dir);
    // A few pop-ups to draw over the screens, taken from the app itself.
    let checklist = app.overlay.clone();
    app.overlay = None;
    app.tab = Tab::Sessions;
    app.handle_key(KeyEvent::new(KeyCode::Char('a'), KeyModifiers::NONE));
    let form = app.overlay.take();
    app.handle_key(KeyEvent::new(KeyCode::Char('?'), KeyModifiers::NONE));
    let help = app.overlay.take();
    let overlays: Vec<Option<Overlay>> = vec![None, checklist, form, help];
    let (mut too_small, mut screens) = (0u32, 0u32);
    use needlelog::ui::{MIN_HEIGHT, MIN_WIDTH};
    // 30 columns is where "window too small" starts to be written out.
    let (widths, heights) = (sides(300, &[30, MIN_WIDTH, 80], 7), sides(100, &[MIN_HEIGHT, 24], 5));
    let drawn = widths.len() * heights.len();
    for &width in &widths {
        for &height in &heights {
            let i = usize::from(width) * 7 + usize::from(height);
            app.tab = Tab::ALL[i % Tab::ALL.len()];
            app.overlay = overlays[(i / 4) % overlays.len()].clone();
            let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
            terminal.draw(|f| needlelog::ui::draw(f, &app)).unwrap();
            let buffer = terminal.backend().buffer();
            let row = |y: u16| (0..width).map(|x| buffer[(x, y)].symbol()).collect::<String>();
            let small = width < MIN_WIDTH || height < MIN_HEIGHT;
            if small && width >= 30 {
                // Said in words on the middle row, and nothing else drawn.
                assert!(row(height / 2).contains("window too small"), "{width}×{height}: {}", row(height / 2));
                too_small += 1;
            } else if !small && app.overlay.is_none() {
                assert!(row(1).contains("1 Today"), "{width}×{height}: the tab bar is on row 1: {}", row(1));
                screens += 1;
            }
        }
    }
    // Both kinds are a good share of what was drawn (the rest: pop-ups, under 30 columns).
    let share = u32::try_from(drawn / 10).unwrap();
    assert!(too_small > share && screens > share, "{too_small} too-small and {screens} screens checked of {drawn}");
}

/// Every column of a session and its depths, as SQLite holds them.
fn stored_row(path: &std::path::Path, id: i64) -> Vec<String> {
    let conn = rusqlite::Connection::open(path).unwrap();
    let mut row: Vec<String> = conn
        .query_row("SELECT * FROM sessions WHERE id = ?1", [id], |r| {
            (0..r.as_ref().column_count())
                .map(|i| r.get::<_, rusqlite::types::Value>(i).map(|v| format!("{v:?}")))
                .collect::<rusqlite::Result<Vec<_>>>()
        })
        .unwrap();
    let mut stmt =
        conn.prepare("SELECT area, depth_mm FROM session_depths WHERE session_id = ?1 ORDER BY area").unwrap();
    let depths = stmt.query_map([id], |r| Ok(format!("{}={}", r.get::<_, String>(0)?, r.get::<_, f64>(1)?))).unwrap();
    row.extend(depths.map(Result::unwrap));
    row
}

/// One-line texts a form would show differently from how they are stored.
fn awkward_line() -> impl Strategy<Value = String> {
    prop::sample::select(vec!["", " leading", "trailing ", "a;b; c", "ünï çødé", "x"]).prop_map(String::from)
}

/// Notes keep line breaks and tabs.
fn awkward_notes() -> impl Strategy<Value = String> {
    prop::sample::select(vec!["", " leading", "trailing \n", "line\nbreak\n", "tab\there", "x"]).prop_map(String::from)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(40), .. ProptestConfig::default() })]

    /// Opening a session's form and saving it untouched leaves the row exactly as it
    /// was: seconds, spaces and line breaks, the revision.
    #[test]
    fn saving_an_untouched_form_changes_nothing(
        seconds in 0u32..60,
        offset in prop::sample::select(vec![-18_000i32, 0, 3_600, 19_800]),
        notes in awkward_notes(),
        serum in prop::option::of(awkward_line()),
        depth in prop::option::of(prop::sample::select(vec![0.25f64, 0.5, 1.0, 1.25])),
        passes in prop::option::of(1u32..20),
        planned in any::<bool>(),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("round.db");
        let now = Utc.with_ymd_and_hms(2026, 11, 24, 9, 0, 0).unwrap();
        let rules = Rules::embedded();
        let mut store = Store::open(&path).unwrap();
        let me = store.person_by_name(needlelog::domain::Person::ME).unwrap().id;
        let mut course = rules.new_course(me, rules.protocol("scars").unwrap(), now.date_naive() - chrono::Days::new(60));
        course.areas = vec!["cheeks".into(), "nose".into()];
        let course_id = store.add_course(&course).unwrap();
        let at = Utc.with_ymd_and_hms(2026, 11, if planned { 30 } else { 20 }, 10, 7, seconds).unwrap();
        let status = if planned { needlelog::domain::SessionStatus::Planned } else { needlelog::domain::SessionStatus::Done };
        let mut session = needlelog::domain::Session::new(course_id, at, offset, status, needlelog::domain::Device::Pen);
        session.notes = notes;
        session.serum = serum;
        session.passes = passes;
        session.depths = Some(depth.map(|mm| vec![
            needlelog::domain::AreaDepth { area: "cheeks".into(), mm },
            needlelog::domain::AreaDepth { area: "nose".into(), mm: 0.5 },
        ]).unwrap_or_default());
        let id = store.add_session(&session).unwrap();
        let before = stored_row(&path, id);

        let mut app = App::new(store, rules, now, Zone::Fixed(chrono::FixedOffset::east_opt(3_600).unwrap()));
        app.overlay = None;
        app.tab = Tab::Sessions;
        app.handle_key(KeyEvent::new(KeyCode::Char('e'), KeyModifiers::NONE));
        let opened = matches!(app.overlay, Some(Overlay::Form { .. }));
        prop_assert!(opened, "the form opens");
        app.handle_key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE));
        let closed = !matches!(app.overlay, Some(Overlay::Form { .. }));
        prop_assert!(closed, "saved: {:?}", app.flash);
        prop_assert_eq!(stored_row(&path, id), before);
    }
}
