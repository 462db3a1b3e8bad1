//! Every screen, form and pop-up drawn into ratatui's TestBackend at 80×24 and
//! 120×40 from the demo data at a fixed time, plus the key handling that matters:
//! adding a session through the form, a bad date, delete and undo.

use chrono::{DateTime, TimeZone, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use needlelog::app::{App, Overlay, Tab};
use needlelog::domain::Rules;
use needlelog::domain::time::Zone;
use needlelog::store::prelude::*;
use needlelog::store::{SessionFilter, Store};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 24, 9, 0, 0).unwrap()
}

/// The demo data in a fresh temp file, opened at the fixed time in UTC.
fn demo_app() -> (tempfile::TempDir, App) {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("demo.db")).unwrap();
    needlelog::demo::fill(&mut store, Rules::embedded(), now(), &Zone::utc()).unwrap();
    let mut app = App::new(store, Rules::embedded(), now(), Zone::utc());
    // Yesterday's session's checklist pops up on opening; close it.
    assert!(matches!(app.overlay, Some(Overlay::Checklist { .. })));
    press(&mut app, KeyCode::Enter);
    assert!(app.overlay.is_none());
    (dir, app)
}

fn empty_app() -> (tempfile::TempDir, App) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("empty.db")).unwrap();
    (dir, App::new(store, Rules::embedded(), now(), Zone::utc()))
}

fn render(app: &App, width: u16, height: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|frame| needlelog::ui::draw(frame, app)).unwrap();
    terminal.backend().to_string()
}

fn press(app: &mut App, code: KeyCode) {
    app.handle_key(KeyEvent::new(code, KeyModifiers::NONE));
}

fn ctrl(app: &mut App, c: char) {
    app.handle_key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL));
}

fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        press(app, KeyCode::Char(c));
    }
}

fn snap_both(name: &str, app: &App) {
    insta::assert_snapshot!(format!("{name}_80x24"), render(app, 80, 24));
    insta::assert_snapshot!(format!("{name}_120x40"), render(app, 120, 40));
}

#[test]
fn every_screen_at_both_sizes() {
    let (_dir, mut app) = demo_app();
    for tab in Tab::ALL {
        app.tab = tab;
        snap_both(&format!("screen_{}", tab.title().to_lowercase()), &app);
    }
}

#[test]
fn forms_and_popups() {
    let (_dir, mut app) = demo_app();
    app.tab = Tab::Sessions;
    press(&mut app, KeyCode::Char('a'));
    snap_both("form_session", &app);
    press(&mut app, KeyCode::Enter);
    // Yesterday's session is a day away: said first, saved on a second Enter.
    snap_both("form_session_timing", &app);
    press(&mut app, KeyCode::Enter);
    assert!(matches!(app.overlay, Some(Overlay::Contraindications { .. })));
    press(&mut app, KeyCode::Char(' '));
    snap_both("popup_contraindications", &app);

    app.overlay = None;
    press(&mut app, KeyCode::Char('n'));
    snap_both("form_course", &app);
    app.overlay = None;
    app.tab = Tab::People;
    press(&mut app, KeyCode::Char('a'));
    snap_both("form_person", &app);
    app.overlay = None;
    press(&mut app, KeyCode::Char('?'));
    snap_both("popup_help", &app);
    app.overlay = None;
    app.tab = Tab::Sessions;
    press(&mut app, KeyCode::Char('d'));
    snap_both("popup_confirm_delete", &app);
}

#[test]
fn empty_file_and_small_window() {
    let (_dir, mut app) = empty_app();
    // A new file asks whose it is first; Esc puts it off.
    assert!(matches!(app.overlay, Some(Overlay::WhoseFile)));
    snap_both("first_run_whose_file", &app);
    press(&mut app, KeyCode::Esc);
    snap_both("empty_today", &app);
    app.tab = Tab::Sessions;
    insta::assert_snapshot!("empty_sessions_80x24", render(&app, 80, 24));
    insta::assert_snapshot!("too_small_59x24", render(&app, 59, 24));
    insta::assert_snapshot!("too_small_80x17", render(&app, 80, 17));
}

#[test]
fn no_color_is_still_readable() {
    let (_dir, mut app) = demo_app();
    app.color = false;
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    terminal.draw(|frame| needlelog::ui::draw(frame, &app)).unwrap();
    let buffer = terminal.backend().buffer();
    for cell in buffer.content() {
        assert_eq!(cell.fg, ratatui::style::Color::Reset, "no foreground colour at all");
        assert_eq!(cell.bg, ratatui::style::Color::Reset, "no background colour at all");
    }
}

#[test]
fn a_session_added_through_the_form_is_stored_and_listed() {
    let (_dir, mut app) = demo_app();
    app.tab = Tab::Sessions;
    let before = app.store.sessions(SessionFilter::default()).unwrap().len();
    press(&mut app, KeyCode::Char('a'));
    // When: this morning at 08:30.
    ctrl(&mut app, 'u');
    type_text(&mut app, "today 08:30");
    // Depth is the fourth field; replace the depth carried over from last time.
    for _ in 0..3 {
        press(&mut app, KeyCode::Tab);
    }
    ctrl(&mut app, 'u');
    type_text(&mut app, "0.75");
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Tab);
    ctrl(&mut app, 'u');
    type_text(&mut app, "3");
    press(&mut app, KeyCode::Enter);
    // Hours after yesterday's session: the second Enter saves it anyway.
    assert!(matches!(app.overlay, Some(Overlay::Form { .. })), "the timing is pointed out");
    press(&mut app, KeyCode::Enter);
    assert!(matches!(app.overlay, Some(Overlay::Contraindications { .. })), "asked first");
    // The second question applies.
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Char(' '));
    press(&mut app, KeyCode::Enter);
    // Saved: the form closes and the new session's post-care checklist pops up.
    let Some(Overlay::Checklist { sessions, .. }) = &app.overlay else { panic!("post-care pops up") };
    let session_id = sessions[0];
    press(&mut app, KeyCode::Esc);
    assert!(app.overlay.is_none());

    let stored = app.store.sessions(SessionFilter::default()).unwrap();
    assert_eq!(stored.len(), before + 1);
    let added = stored.iter().find(|s| s.at == Utc.with_ymd_and_hms(2026, 11, 24, 8, 30, 0).unwrap()).unwrap();
    assert_eq!(added.id, session_id);
    assert_eq!(added.depths().iter().map(|d| d.mm).collect::<Vec<_>>(), [0.75, 0.75]);
    assert_eq!(added.pain, Some(3));
    let second = Rules::embedded().contraindications[1].id.clone();
    assert_eq!(added.screening, Some(vec![second]), "the answers are kept with the session");
    let screen = render(&app, 80, 24);
    assert!(screen.contains("24 Nov 26 08:30"), "{screen}");
}

#[test]
fn a_bad_date_keeps_the_form_open_with_the_message() {
    let (_dir, mut app) = demo_app();
    app.tab = Tab::Sessions;
    let before = app.store.sessions(SessionFilter::default()).unwrap();
    press(&mut app, KeyCode::Char('a'));
    ctrl(&mut app, 'u');
    type_text(&mut app, "31/31/26");
    press(&mut app, KeyCode::Enter);
    let Some(Overlay::Form { form, .. }) = &app.overlay else { panic!("the form stays open") };
    assert_eq!(form.value("when"), "31/31/26", "what was typed is kept");
    assert!(form.fields[0].error.as_deref().unwrap().starts_with("cannot read date \"31/31/26\""));
    let screen = render(&app, 80, 24);
    assert!(screen.contains("✗ When: cannot read date"), "{screen}");
    assert_eq!(app.store.sessions(SessionFilter::default()).unwrap(), before, "nothing saved");

    // A depth of 30 mm is refused the same way.
    ctrl(&mut app, 'u');
    type_text(&mut app, "today");
    for _ in 0..3 {
        press(&mut app, KeyCode::Tab);
    }
    ctrl(&mut app, 'u');
    type_text(&mut app, "30");
    press(&mut app, KeyCode::Enter);
    let Some(Overlay::Form { form, .. }) = &app.overlay else { panic!("the form stays open") };
    assert_eq!(form.fields[3].error.as_deref(), Some("depth 30 mm is outside 0.1–3 mm: check for a typo"));
}

#[test]
fn a_deep_session_warns_but_saves() {
    let (_dir, mut app) = demo_app();
    app.tab = Tab::Sessions;
    press(&mut app, KeyCode::Char('a'));
    for _ in 0..3 {
        press(&mut app, KeyCode::Tab);
    }
    ctrl(&mut app, 'u');
    type_text(&mut app, "cheeks=2.0");
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Enter);
    let Some(Overlay::Contraindications { form, .. }) = &app.overlay else { panic!("on to the questions") };
    assert!(form.fields[3].warning.as_deref().unwrap().contains("above the usual 0.5–1 mm"));
    press(&mut app, KeyCode::Enter);
    assert!(matches!(app.overlay, Some(Overlay::Checklist { .. })), "saved; post-care follows");
}

#[test]
fn a_deleted_session_comes_back_with_undo() {
    let (_dir, mut app) = demo_app();
    app.tab = Tab::Sessions;
    let planned = app.sessions().iter().position(|s| s.is_planned()).expect("the demo books one");
    app.sessions_view.selected = planned;
    let chosen = app.selected_session().unwrap().clone();
    press(&mut app, KeyCode::Char('d'));
    press(&mut app, KeyCode::Char('y'));
    assert!(app.store.session(chosen.id).is_err(), "deleted");
    assert!(render(&app, 80, 24).contains("press u to undo"));
    press(&mut app, KeyCode::Char('u'));
    assert_eq!(app.store.session(chosen.id).unwrap(), chosen);
    assert!(app.sessions().iter().any(|s| s.id == chosen.id));
}

/// `d` on a done session voids it: a practitioner says why, the list shows it
/// voided, it counts nowhere, and `u` brings it back.
#[test]
fn a_done_session_is_voided_with_a_reason_and_comes_back_with_undo() {
    let (_dir, mut app) = demo_app();
    app.store.set_file_kind(needlelog::domain::FileKind::Practitioner).unwrap();
    app.reload();
    app.tab = Tab::Sessions;
    let done = app.sessions().iter().position(|s| s.is_done()).unwrap();
    app.sessions_view.selected = done;
    let chosen = app.selected_session().unwrap().clone();
    let counted = app.current_summary().unwrap().state.sessions_done;
    press(&mut app, KeyCode::Char('d'));
    assert!(render(&app, 80, 24).contains("Void the session of"), "{}", render(&app, 80, 24));
    press(&mut app, KeyCode::Enter);
    assert!(matches!(app.overlay, Some(Overlay::Form { .. })), "a practitioner's file asks why");
    for c in "wrong client".chars() {
        press(&mut app, KeyCode::Char(c));
    }
    press(&mut app, KeyCode::Enter);
    assert!(app.overlay.is_none(), "{:?}", app.flash);
    let voided = app.store.session(chosen.id).unwrap();
    assert_eq!(voided.void.unwrap().reason, "wrong client");
    assert_eq!(app.current_summary().unwrap().state.sessions_done, counted - 1, "counted nowhere");
    assert!(render(&app, 80, 24).contains("voided"), "{}", render(&app, 80, 24));
    press(&mut app, KeyCode::Char('u'));
    assert_eq!(app.store.session(chosen.id).unwrap().status, needlelog::domain::SessionStatus::Done);
    assert_eq!(app.current_summary().unwrap().state.sessions_done, counted);
}

#[test]
fn a_new_course_from_the_empty_state() {
    let (_dir, mut app) = empty_app();
    press(&mut app, KeyCode::Char('n'));
    // The focus starts on the areas; the concern picker prefills sessions and interval.
    type_text(&mut app, "cheeks");
    press(&mut app, KeyCode::Up);
    press(&mut app, KeyCode::Right);
    let Some(Overlay::Form { form, .. }) = &app.overlay else { panic!("course form") };
    assert_eq!(form.value("concern"), "collagen-induction");
    assert_eq!(form.value("sessions"), "3");
    press(&mut app, KeyCode::Enter);
    assert!(app.overlay.is_none(), "saved");
    let summary = app.current_summary().expect("the new course is current");
    assert_eq!(summary.course.concern, "collagen-induction");
    assert_eq!(summary.course.areas, ["cheeks"]);
    assert!(render(&app, 80, 24).contains("Not started — press a to log your first session"));
}

#[test]
fn the_due_list_leads_to_a_course() {
    let (_dir, mut app) = demo_app();
    app.tab = Tab::People;
    press(&mut app, KeyCode::Right);
    let first_due = app.due_list()[0].0.course_id;
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.current, Some(first_due));
    assert_eq!(app.tab, Tab::Today);
    assert!(render(&app, 80, 24).contains("Ben Okafor ▸ Wrinkles and fine lines"));
}

/// `x` on a running course in the Due list leaves it out of the list, as
/// `course recall --done` does, and says so in words: it never closes the course.
#[test]
fn x_on_a_running_course_in_the_due_list_ends_its_recall_only() {
    let (_dir, mut app) = demo_app();
    app.tab = Tab::People;
    press(&mut app, KeyCode::Right);
    let (at, running) = app
        .due_list()
        .iter()
        .enumerate()
        .find(|(_, (_, c))| c.status != needlelog::domain::CourseStatus::Completed)
        .map(|(i, (r, _))| (i, r.course_id))
        .expect("the demo has a running course due");
    let running = app.store.course(running).unwrap();
    app.people_view.due_selected = at;
    press(&mut app, KeyCode::Char('x'));
    let screen = render(&app, 120, 40);
    assert!(screen.contains("It stays open with") && screen.contains("is marked complete"), "{screen}");
    press(&mut app, KeyCode::Char('y'));
    let after = app.store.course(running.id).unwrap();
    assert_eq!(after.status, running.status, "still running");
    assert!(app.due_list().iter().all(|(r, _)| r.course_id != running.id), "out of the Due list");
}

#[test]
fn another_process_writing_shows_up() {
    let (dir, mut app) = demo_app();
    let mut other = Store::open(&dir.path().join("demo.db")).unwrap();
    let course = app.current.unwrap();
    let mut s = needlelog::domain::Session::new(
        course,
        now() - chrono::Duration::hours(1),
        0,
        needlelog::domain::SessionStatus::Done,
        needlelog::domain::Device::Pen,
    );
    s.notes = "logged from the shell".into();
    other.add_session(&s).unwrap();
    app.check_external_changes();
    assert!(app.sessions().iter().any(|s| s.notes == "logged from the shell"));
}

#[test]
fn the_selection_stays_on_its_session_when_another_process_adds_one() {
    let (dir, mut app) = demo_app();
    app.tab = Tab::Sessions;
    press(&mut app, KeyCode::Down);
    let chosen = app.selected_session().unwrap().id;
    let mut other = Store::open(&dir.path().join("demo.db")).unwrap();
    let mut s = app.selected_session().unwrap().clone();
    s.at = now() + chrono::Duration::days(60);
    s.status = needlelog::domain::SessionStatus::Planned;
    other.add_session(&s).unwrap();
    app.check_external_changes();
    assert_eq!(app.selected_session().unwrap().id, chosen);
}

#[test]
fn mouse_scrolls_and_clicks_tabs() {
    use crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
    let (_dir, mut app) = demo_app();
    let click = |column| MouseEvent {
        kind: MouseEventKind::Down(MouseButton::Left),
        column,
        row: needlelog::app::keys::TAB_ROW,
        modifiers: KeyModifiers::NONE,
    };
    // " 1 Today │ 2 Timeline │ 3 Sessions │ 4 People": column 26 is in "3 Sessions".
    app.handle_mouse(click(26));
    assert_eq!(app.tab, Tab::Sessions);
    app.handle_mouse(MouseEvent { kind: MouseEventKind::ScrollDown, column: 5, row: 5, modifiers: KeyModifiers::NONE });
    assert_eq!(app.sessions_view.selected, 1);
    app.handle_mouse(click(2));
    assert_eq!(app.tab, Tab::Today);
}

#[test]
fn a_storm_of_keys_in_every_state_never_panics() {
    // A fixed pseudo-random sequence over the keys that matter, drawing after each.
    let (_dir, mut app) = demo_app();
    let keys = [
        KeyCode::Char('a'),
        KeyCode::Char('e'),
        KeyCode::Char('d'),
        KeyCode::Char('u'),
        KeyCode::Char('m'),
        KeyCode::Char('p'),
        KeyCode::Char('n'),
        KeyCode::Char('x'),
        KeyCode::Char('y'),
        KeyCode::Char('?'),
        KeyCode::Char('1'),
        KeyCode::Char('2'),
        KeyCode::Char('3'),
        KeyCode::Char('4'),
        KeyCode::Char(' '),
        KeyCode::Char('0'),
        KeyCode::Char('é'),
        KeyCode::Enter,
        KeyCode::Esc,
        KeyCode::Tab,
        KeyCode::BackTab,
        KeyCode::Up,
        KeyCode::Down,
        KeyCode::Left,
        KeyCode::Right,
        KeyCode::Backspace,
        KeyCode::Delete,
        KeyCode::Home,
        KeyCode::End,
        KeyCode::PageUp,
        KeyCode::PageDown,
    ];
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    for _ in 0..4000 {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let code = keys[(seed % keys.len() as u64) as usize];
        press(&mut app, code);
        app.quit = false;
        terminal.draw(|frame| needlelog::ui::draw(frame, &app)).unwrap();
    }
    // Whatever was saved on the way is consistent.
    let health = app.store.file().unwrap().health().unwrap();
    assert!(health.is_ok(), "{health:?}");
    assert!(health.people >= 3, "no key deletes a person");
}

#[test]
fn the_timeline_at_every_zoom() {
    let (_dir, mut app) = demo_app();
    app.tab = Tab::Timeline;
    // Months first (the whole course), then zoomed in to weeks and days.
    for (name, key) in [("month", None), ("week", Some('+')), ("day", Some('+'))] {
        if let Some(k) = key {
            press(&mut app, KeyCode::Char(k));
        }
        insta::assert_snapshot!(format!("timeline_{name}_80x24"), render(&app, 80, 24));
        insta::assert_snapshot!(format!("timeline_{name}_160x48"), render(&app, 160, 48));
    }
}

#[test]
fn timeline_keys_scroll_jump_and_come_back() {
    let (_dir, mut app) = demo_app();
    app.tab = Tab::Timeline;
    let start = app.timeline.center;
    press(&mut app, KeyCode::Right);
    assert!(app.timeline.center > start);
    press(&mut app, KeyCode::PageUp);
    assert!(app.timeline.center < start);
    let before = app.timeline.selected;
    press(&mut app, KeyCode::Char(']'));
    assert_eq!(app.timeline.selected, before + 1);
    let events = app.timeline_events();
    assert_eq!(app.timeline.center, events[app.timeline.selected].from, "the selected event comes into view");
    press(&mut app, KeyCode::Char('['));
    press(&mut app, KeyCode::Char('['));
    assert_eq!(app.timeline.selected, before - 1);
    press(&mut app, KeyCode::Char('t'));
    assert_eq!(app.timeline.center, now());
    assert_eq!(app.timeline.selected, before);
}

#[test]
fn the_post_care_checklist_pops_up_once_and_keeps_its_ticks() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("n.db");
    let mut store = Store::open(&path).unwrap();
    needlelog::demo::fill(&mut store, Rules::embedded(), now(), &Zone::utc()).unwrap();
    let mut app = App::new(store, Rules::embedded(), now(), Zone::utc());
    let Some(Overlay::Checklist { sessions, .. }) = &app.overlay else { panic!("pops up on opening") };
    let session = sessions[0];
    snap_both("popup_post_care", &app);
    // The first two are ticked in the demo; tick the next two.
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Char(' '));
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Char(' '));
    assert!(render(&app, 80, 24).contains("4/7 ticked"));
    press(&mut app, KeyCode::Enter);
    assert!(app.overlay.is_none());
    drop(app);

    // Reopened: the ticks are there and the checklist does not pop again.
    let store = Store::open(&path).unwrap();
    let ticked: Vec<String> = store.ticks_of(&[session]).unwrap().into_iter().map(|t| t.item_id).collect();
    assert_eq!(ticked.len(), 4, "{ticked:?}");
    let mut app = App::new(store, Rules::embedded(), now() + chrono::Duration::minutes(5), Zone::utc());
    assert!(app.overlay.is_none(), "no second pop-up for the same window");
    assert!(render(&app, 80, 24).contains("4/7 ticked"));

    // When new items start to apply (the sunscreen item at 72 h), it pops again.
    app.set_now(now() + chrono::Duration::hours(60));
    assert!(matches!(app.overlay, Some(Overlay::Checklist { .. })), "new items: a new pop-up");
    let screen = render(&app, 80, 24);
    assert!(screen.contains("aftercare until"), "{screen}");
}

#[test]
fn the_pre_care_checklist_pops_up_the_day_before() {
    let (_dir, mut app) = demo_app();
    let planned = app.sessions().iter().find(|s| s.is_planned()).map(|s| s.at).unwrap();
    app.set_now(planned - chrono::Duration::hours(20));
    let Some(Overlay::Checklist { .. }) = &app.overlay else { panic!("pre-care pops up") };
    let screen = render(&app, 80, 24);
    assert!(screen.contains("Before your session tomorrow 10:00 — 20 h to go"), "{screen}");
    snap_both("popup_pre_care", &app);
}

#[test]
fn your_own_checklist_items() {
    let (_dir, mut app) = demo_app();
    press(&mut app, KeyCode::Char('c'));
    assert!(matches!(app.overlay, Some(Overlay::Checklist { .. })));
    press(&mut app, KeyCode::Char('a'));
    type_text(&mut app, "Ice pack, 10 minutes");
    press(&mut app, KeyCode::Enter);
    // Saved; being new and unseen, it brings the checklist back.
    let Some(Overlay::Checklist { sessions, .. }) = app.overlay.clone() else { panic!("back to the checklist") };
    let entries = app.checklist_entries(&sessions);
    let mine = entries.iter().position(|e| e.item.text == "Ice pack, 10 minutes").expect("listed");
    for _ in 0..mine {
        press(&mut app, KeyCode::Down);
    }
    press(&mut app, KeyCode::Char('d'));
    assert!(app.checklist_entries(&sessions).iter().all(|e| e.item.text != "Ice pack, 10 minutes"));
    let course = app.current.unwrap();
    assert!(app.store.custom_items(course).unwrap().is_empty());
}

#[test]
fn a_new_person_is_selected_and_gets_their_first_course() {
    let (_dir, mut app) = demo_app();
    app.tab = Tab::People;
    press(&mut app, KeyCode::Char('a'));
    type_text(&mut app, "Dana Kim");
    press(&mut app, KeyCode::Enter);
    assert!(app.overlay.is_none());
    press(&mut app, KeyCode::Char('n'));
    let Some(Overlay::Form { form, .. }) = &app.overlay else { panic!("course form") };
    assert_eq!(form.field("person").unwrap().display(), "Dana Kim");
    type_text(&mut app, "neck");
    press(&mut app, KeyCode::Enter);
    let current = app.current_summary().unwrap();
    assert_eq!(
        (current.person.name.as_str(), current.course.areas.as_slice()),
        ("Dana Kim", &["neck".to_string()][..])
    );
}

#[test]
fn editing_a_session_whose_depths_were_not_read_keeps_them() {
    let (_dir, mut app) = demo_app();
    app.tab = Tab::Sessions;
    let id = app.selected_session().unwrap().id;
    let stored = app.store.session(id).unwrap().depths;
    assert!(stored.as_ref().is_some_and(|d| !d.is_empty()), "the demo session has depths");
    // As if reading them had failed: the screen holds the session without depths.
    for course in &mut app.courses {
        for s in &mut course.sessions {
            s.depths = None;
        }
    }
    press(&mut app, KeyCode::Char('e'));
    for _ in 0..5 {
        press(&mut app, KeyCode::Tab);
    }
    ctrl(&mut app, 'u');
    type_text(&mut app, "2");
    press(&mut app, KeyCode::Enter);
    assert!(app.overlay.is_none(), "saved");
    let after = app.store.session(id).unwrap();
    assert_eq!(after.pain, Some(2));
    assert_eq!(after.depths, stored, "the depths are as they were");
}

#[test]
fn a_question_waits_for_yes_or_no_and_no_goes_back_to_the_form() {
    let (_dir, mut app) = demo_app();
    app.tab = Tab::Sessions;
    press(&mut app, KeyCode::Char('a'));
    type_text(&mut app, "xyz");
    ctrl(&mut app, 'c');
    assert!(matches!(app.overlay, Some(Overlay::Confirm { .. })), "asks before losing what was typed");
    for key in ['1', '?', 'a', 'q'] {
        press(&mut app, KeyCode::Char(key));
        assert!(matches!(app.overlay, Some(Overlay::Confirm { .. })), "{key} keeps the question");
        assert!(!app.quit);
        assert_eq!(app.flash.as_ref().map(|f| f.text.as_str()), Some("Press y or n"), "and says what it waits for");
    }
    press(&mut app, KeyCode::Char('n'));
    let Some(Overlay::Form { form, .. }) = &app.overlay else { panic!("back to the form") };
    assert!(form.value("when").ends_with("xyz"), "what was typed is still there");
    ctrl(&mut app, 'c');
    press(&mut app, KeyCode::Char('y'));
    assert!(app.quit);
}

#[test]
fn every_pop_up_takes_only_the_keys_its_table_names() {
    let (_dir, mut app) = demo_app();
    // The checklist closes with c or q (its table says so) and not with other letters.
    press(&mut app, KeyCode::Char('c'));
    assert!(matches!(app.overlay, Some(Overlay::Checklist { .. })));
    press(&mut app, KeyCode::Char('z'));
    assert!(matches!(app.overlay, Some(Overlay::Checklist { .. })));
    press(&mut app, KeyCode::Char('q'));
    assert!(app.overlay.is_none() && !app.quit, "q closes the checklist, it does not quit");
    // Ctrl-S saves a form, as the help says.
    app.tab = Tab::People;
    press(&mut app, KeyCode::Char('a'));
    type_text(&mut app, "Nora Diaz");
    app.handle_key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL));
    assert!(app.overlay.is_none(), "saved");
    assert!(app.people.iter().any(|p| p.name == "Nora Diaz"));
    // Help closes with Esc and ignores the rest.
    press(&mut app, KeyCode::Char('?'));
    press(&mut app, KeyCode::Char('4'));
    assert!(matches!(app.overlay, Some(Overlay::Help { .. })));
    press(&mut app, KeyCode::Esc);
    assert!(app.overlay.is_none());
}

#[test]
fn a_paste_is_text_in_the_focused_field_never_keys() {
    let (_dir, mut app) = demo_app();
    app.tab = Tab::Sessions;
    let before = app.store.sessions(SessionFilter::default()).unwrap().len();
    // On a screen, a paste does nothing (no j, d, y, q run).
    app.handle_paste("\njdydydyq");
    assert!(app.overlay.is_none() && !app.quit);
    press(&mut app, KeyCode::Char('e'));
    // Into the notes field (the last one), a line break stays; elsewhere it is a space.
    for _ in 0..30 {
        press(&mut app, KeyCode::Tab);
    }
    press(&mut app, KeyCode::End); // after what is there, not in place of it
    app.handle_paste(" PASTED\njdy");
    let Some(Overlay::Form { form, .. }) = &app.overlay else { panic!("the form stays open") };
    assert!(form.value("notes").ends_with(" PASTED\njdy"), "{:?}", form.value("notes"));
    for _ in 0..30 {
        press(&mut app, KeyCode::BackTab);
    }
    app.handle_paste("x\ny");
    let Some(Overlay::Form { form, .. }) = &app.overlay else { panic!("the form stays open") };
    assert!(form.value("when").ends_with("x y"), "{:?}", form.value("when"));
    // Too much is cut, and said.
    for _ in 0..30 {
        press(&mut app, KeyCode::Tab);
    }
    app.handle_paste(&"z".repeat(100_000));
    let flash = app.flash.clone().expect("says what was cut");
    assert!(flash.error && flash.text.contains("too many"), "{flash:?}");
    assert_eq!(app.store.sessions(SessionFilter::default()).unwrap().len(), before, "nothing deleted");
}

#[test]
fn a_save_over_changes_made_elsewhere_asks_per_field() {
    let (dir, mut app) = demo_app();
    app.tab = Tab::Sessions;
    let id = app.selected_session().unwrap().id;
    press(&mut app, KeyCode::Char('e'));
    // Meanwhile, another process (the CLI) changes notes and pain.
    let mut other = Store::open(&dir.path().join("demo.db")).unwrap();
    let stored = other.session(id).unwrap();
    let theirs = needlelog::domain::Session { notes: "IMPORTANT".into(), pain: Some(8), ..stored.clone() };
    other.save_session_edit(&stored, &theirs, &Default::default()).unwrap();
    // Here: pain (the sixth field) and passes (the fifth).
    for _ in 0..4 {
        press(&mut app, KeyCode::Tab);
    }
    ctrl(&mut app, 'u');
    type_text(&mut app, "5");
    press(&mut app, KeyCode::Tab);
    ctrl(&mut app, 'u');
    type_text(&mut app, "2");
    press(&mut app, KeyCode::Enter);
    let Some(Overlay::Conflict { conflicts, .. }) = &app.overlay else { panic!("asks: {:?}", app.flash) };
    assert_eq!(conflicts.iter().map(|c| c.field).collect::<Vec<_>>(), ["pain"]);
    snap_both("popup_conflict", &app);
    // Keep theirs for pain; passes (changed only here) and notes (only there) both stay.
    press(&mut app, KeyCode::Char(' '));
    press(&mut app, KeyCode::Enter);
    assert!(app.overlay.is_none());
    let saved = app.store.session(id).unwrap();
    assert_eq!((saved.pain, saved.passes, saved.notes.as_str()), (Some(8), Some(5), "IMPORTANT"));
}

#[test]
fn undo_works_after_a_restart_while_the_trash_holds_the_session() {
    let (dir, mut app) = demo_app();
    app.tab = Tab::Sessions;
    press(&mut app, KeyCode::Down);
    let id = app.selected_session().unwrap().id;
    let before = app.store.session(id).unwrap();
    let ticks = app.store.ticks_of(&[id]).unwrap();
    press(&mut app, KeyCode::Char('d'));
    press(&mut app, KeyCode::Char('y'));
    press(&mut app, KeyCode::Char('q'));
    drop(app);
    // Reopened: u still brings it back, depths and ticks included.
    let store = Store::open(&dir.path().join("demo.db")).unwrap();
    let mut app = App::new(store, Rules::embedded(), now(), Zone::utc());
    app.overlay = None;
    app.tab = Tab::Sessions;
    press(&mut app, KeyCode::Char('u'));
    assert_eq!(app.store.session(id).unwrap(), before);
    assert_eq!(app.store.ticks_of(&[id]).unwrap(), ticks);
    press(&mut app, KeyCode::Char('u'));
    assert!(app.flash.as_ref().is_some_and(|f| f.text.contains("trash is empty")), "{:?}", app.flash);
}

#[test]
fn today_on_results_day() {
    let last = Utc.with_ymd_and_hms(2026, 8, 24, 10, 0, 0).unwrap();
    let (_dir, store, course_id) = one_session("collagen-induction", 1, last, needlelog::domain::SessionStatus::Done);
    let rules = Rules::embedded();
    let mut app = App::new(store, rules, now(), Zone::utc());
    let screen = render(&app, 80, 24);
    assert!(screen.contains("Results day"), "{screen}");
    snap_both("today_results_day", &app);
    // r asks for the final rating; it is kept with the course.
    press(&mut app, KeyCode::Char('r'));
    let Some(Overlay::Form { form, .. }) = &app.overlay else { panic!("the rating form") };
    assert_eq!(form.title, "Rate the results");
    type_text(&mut app, "11");
    press(&mut app, KeyCode::Enter);
    assert!(matches!(app.overlay, Some(Overlay::Form { .. })), "11 is not a rating");
    ctrl(&mut app, 'u');
    type_text(&mut app, "8");
    press(&mut app, KeyCode::Enter);
    assert!(app.overlay.is_none());
    assert_eq!(app.store.course(course_id).unwrap().final_rating, Some(8));
    let screen = render(&app, 80, 24);
    assert!(screen.contains("rated 8/10") && !screen.contains("Results day"), "{screen}");
}

#[test]
fn pre_care_a_week_ahead_counts_in_days() {
    let at = now() + chrono::Duration::days(6);
    let (_dir, store, _) = one_session("acne-scars", 6, at, needlelog::domain::SessionStatus::Planned);
    let rules = Rules::embedded();
    let app = App::new(store, rules, now(), Zone::utc());
    let Some(Overlay::Checklist { .. }) = &app.overlay else { panic!("the long-lead items pop up") };
    let screen = render(&app, 80, 24);
    assert!(screen.contains("6 days to go"), "{screen}");
    snap_both("popup_pre_care_days", &app);
}

/// A fresh file with one course (on the cheeks) for Me, started 200 days ago, and
/// one session in it.
fn one_session(
    concern: &str,
    target: u32,
    at: DateTime<Utc>,
    status: needlelog::domain::SessionStatus,
) -> (tempfile::TempDir, Store, i64) {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("one.db")).unwrap();
    let rules = Rules::embedded();
    let me = store.person_by_name(needlelog::domain::Person::ME).unwrap().id;
    let started = now().date_naive() - chrono::Days::new(200);
    let mut course = rules.new_course(me, rules.protocol(concern).unwrap(), started);
    course.areas = vec!["cheeks".into()];
    course.sessions_target = target;
    let course_id = store.add_course(&course).unwrap();
    let session = needlelog::domain::Session::new(course_id, at, 0, status, needlelog::domain::Device::Pen);
    store.add_session(&session).unwrap();
    (dir, store, course_id)
}

#[test]
fn a_save_in_the_app_rewrites_a_kept_calendar() {
    let (dir, mut app) = demo_app();
    app.overlay = None;
    let cal = dir.path().join("kept.ics");
    let ics = needlelog::kept_calendar::calendar(&*app.store, app.rules, app.now, &app.zone).unwrap();
    std::fs::write(&cal, &ics).unwrap();
    let list = needlelog::kept_calendar::KeptList::at(dir.path().join("state/kept.json"));
    list.keep(app.store.file().unwrap().path(), &cal).unwrap();
    app.kept = Some(list.clone());
    app.tab = Tab::Sessions;
    let id = app.selected_session().unwrap().id;
    let uid = format!("UID:session-{id}@needlelog");
    assert!(ics.contains(&uid));
    press(&mut app, KeyCode::Char('d'));
    press(&mut app, KeyCode::Char('y'));
    let after = std::fs::read_to_string(&cal).unwrap();
    assert!(!after.contains(&uid), "the deleted session left the kept calendar");
    // Its folder gone: the next save says so in one line, and is saved.
    std::fs::remove_file(&cal).unwrap();
    let moved = dir.path().join("gone").join("kept.ics");
    list.stop(app.store.file().unwrap().path(), &cal).unwrap();
    list.keep(app.store.file().unwrap().path(), &moved).unwrap();
    press(&mut app, KeyCode::Char('u'));
    assert_eq!(app.store.session(id).map(|s| s.id).ok(), Some(id));
    let flash = app.flash.as_ref().map(|f| f.text.clone()).unwrap_or_default();
    assert!(flash.contains("not updated: its folder is gone"), "{flash}");
}

#[test]
fn capital_r_writes_the_course_report_beside_the_file() {
    use std::os::unix::fs::PermissionsExt;
    let (dir, mut app) = demo_app();
    app.overlay = None;
    app.tab = Tab::Timeline;
    press(&mut app, KeyCode::Char('R'));
    let folder = dir.path().join("reports");
    let files: Vec<_> = std::fs::read_dir(&folder).unwrap().map(|e| e.unwrap().path()).collect();
    assert_eq!(files.len(), 1, "{files:?}");
    let html = std::fs::read_to_string(&files[0]).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>") && html.contains("Microneedling course report"));
    assert_eq!(std::fs::metadata(&files[0]).unwrap().permissions().mode() & 0o777, 0o600);
    assert_eq!(std::fs::metadata(&folder).unwrap().permissions().mode() & 0o777, 0o700);
    let flash = app.flash.as_ref().map(|f| f.text.clone()).unwrap_or_default();
    assert!(flash.starts_with("Report written: ") && flash.contains("reports/course-"), "{flash}");
}

#[test]
fn slash_and_a_few_letters_find_a_client_and_open_their_card() {
    let (_dir, mut app) = demo_app();
    app.tab = Tab::Today;
    press(&mut app, KeyCode::Char('/'));
    assert_eq!(app.tab, Tab::People, "/ finds people from anywhere but Sessions");
    type_text(&mut app, "okaf");
    let first = app.people_view.selected_row();
    let ben = app.people.iter().find(|p| p.name == "Ben Okafor").unwrap().id;
    assert_eq!(first, Some(needlelog::app::PeopleRow::Person(ben)));
    snap_both("find_people", &app);
    press(&mut app, KeyCode::Enter);
    assert!(matches!(&app.overlay, Some(Overlay::Card(card)) if card.person.id == ben), "{:?}", app.overlay.is_some());
    assert!(app.people_view.filter.is_empty(), "the list is whole again");
    snap_both("client_card", &app);
    // From the card: log a session for them.
    press(&mut app, KeyCode::Char('a'));
    assert!(matches!(app.overlay, Some(Overlay::Form { .. })));
    assert_eq!(app.current_summary().map(|c| c.person.id), Some(ben));
}

#[test]
fn finding_sessions_narrows_the_list_and_esc_gives_it_back() {
    let (_dir, mut app) = demo_app();
    app.tab = Tab::Sessions;
    let all = app.sessions().len();
    assert!(all > 2);
    press(&mut app, KeyCode::Char('/'));
    assert_eq!(app.tab, Tab::Sessions);
    type_text(&mut app, "zzzzqqq");
    assert!(app.sessions().is_empty());
    press(&mut app, KeyCode::Enter);
    assert!(matches!(app.overlay, Some(Overlay::Find { .. })), "nothing to select: finding goes on");
    press(&mut app, KeyCode::Esc);
    assert!(app.overlay.is_none());
    assert_eq!(app.sessions().len(), all);
}

#[test]
fn logging_into_a_finished_course_asks_to_extend_it_or_start_maintenance() {
    let last = Utc.with_ymd_and_hms(2026, 10, 1, 10, 0, 0).unwrap();
    let (_dir, store, course_id) = one_session("collagen-induction", 1, last, needlelog::domain::SessionStatus::Done);
    let mut app = App::new(store, Rules::embedded(), now(), Zone::utc());
    app.overlay = None;
    press(&mut app, KeyCode::Char('a'));
    let Some(Overlay::Confirm { question, .. }) = &app.overlay else {
        panic!("no question: {:?}", app.overlay.is_some())
    };
    assert!(
        question.contains("All 1 sessions of this course are done")
            && question.contains("y: log a maintenance session")
            && question.contains("n: extend the course to 2"),
        "{question}"
    );
    // Esc: neither.
    press(&mut app, KeyCode::Esc);
    assert!(app.overlay.is_none());
    assert_eq!(app.store.course(course_id).unwrap().sessions_target, 1);
    // y: a maintenance session of this course, said so.
    press(&mut app, KeyCode::Char('a'));
    press(&mut app, KeyCode::Char('y'));
    let Some(Overlay::Form { form, .. }) = &app.overlay else { panic!("the log form") };
    assert_eq!(form.title, "Log a maintenance session");
    press(&mut app, KeyCode::Esc);
    // With a maintenance session done, n counts right: every session so far, and one more.
    let results_before = app.current_summary().unwrap().state.final_results;
    let s = needlelog::domain::Session::new(
        course_id,
        last + chrono::Duration::days(30),
        0,
        needlelog::domain::SessionStatus::Done,
        needlelog::domain::Device::Pen,
    );
    app.store.add_session(&s).unwrap();
    app.reload();
    let state = &app.current_summary().unwrap().state;
    assert_eq!((state.sessions_done, state.maintenance_done), (1, 1));
    assert_eq!(state.final_results, results_before, "the results day stays");
    press(&mut app, KeyCode::Char('a'));
    let Some(Overlay::Confirm { question, .. }) = &app.overlay else { panic!("asked again") };
    assert!(question.contains("n: extend the course to 3"), "{question}");
    press(&mut app, KeyCode::Char('n'));
    assert_eq!(app.store.course(course_id).unwrap().sessions_target, 3);
    assert!(matches!(app.overlay, Some(Overlay::Form { .. })));
}

#[test]
fn marking_a_plan_done_fills_what_was_used_last_time_as_logging_does() {
    let (_dir, mut app) = demo_app();
    app.tab = Tab::Sessions;
    let Some(planned) = app.sessions().iter().position(|s| s.is_planned()) else { panic!("the demo has a plan") };
    app.sessions_view.selected = planned;
    let id = app.selected_session().unwrap().id;
    let last = app.sessions().iter().find(|s| s.is_done()).map(|s| (*s).clone()).unwrap();
    press(&mut app, KeyCode::Char('m'));
    assert!(matches!(app.overlay, Some(Overlay::Form { .. })));
    press(&mut app, KeyCode::Enter);
    if matches!(app.overlay, Some(Overlay::Form { .. })) {
        press(&mut app, KeyCode::Enter); // the timing note, read
    }
    assert!(matches!(app.overlay, Some(Overlay::Contraindications { .. })), "screened like a");
    press(&mut app, KeyCode::Enter);
    let done = app.store.session(id).unwrap();
    assert!(done.is_done());
    assert_eq!(done.depths(), last.depths(), "last time's depths");
    assert_eq!((done.passes, &done.serum, &done.provider), (last.passes, &last.serum, &last.provider));
    assert_eq!(done.screening, Some(Vec::new()));
}

#[test]
fn keys_on_people_act_on_the_focused_list() {
    let (_dir, mut app) = demo_app();
    app.tab = Tab::People;
    // The people list has the keys: e edits the selected person.
    press(&mut app, KeyCode::Left);
    let first = app.people_view.selected_row();
    let Some(needlelog::app::PeopleRow::Person(person)) = first else { panic!("a person first") };
    press(&mut app, KeyCode::Char('e'));
    let screen = render(&app, 100, 30);
    let name = app.people.iter().find(|p| p.id == person).unwrap().name.clone();
    assert!(screen.contains("Edit person") && screen.contains(&name), "{screen}");
    press(&mut app, KeyCode::Esc);
    // → gives the Due list the keys: e edits the course selected there, not the person.
    press(&mut app, KeyCode::Right);
    assert_eq!(app.people_view.pane, needlelog::app::Pane::Due);
    let due = app.people_view.selected_due().unwrap();
    press(&mut app, KeyCode::Char('e'));
    let Some(Overlay::Form { editor, .. }) = &app.overlay else { panic!("a form") };
    assert!(matches!(editor, needlelog::app::Editor::Course { course, .. } if course.id == due));
    let screen = render(&app, 120, 40);
    assert!(screen.contains("Edit course"), "{screen}");
    press(&mut app, KeyCode::Esc);
    // The focused list's title is marked.
    let screen = render(&app, 120, 40);
    assert!(screen.contains("▸ Due (") && !screen.contains("▸ People & courses"), "{screen}");
    press(&mut app, KeyCode::Char('h'));
    assert_eq!(app.people_view.pane, needlelog::app::Pane::People);
}

#[test]
fn planning_again_offers_to_move_the_session_booked() {
    let (_dir, mut app) = demo_app();
    let booked = app.current_summary().and_then(|c| c.state.next_planned).map(|(id, _)| id);
    let Some(booked) = booked else { panic!("the demo's current course has a booking") };
    app.tab = Tab::Today;
    press(&mut app, KeyCode::Char('p'));
    let Some(Overlay::Confirm { question, .. }) = &app.overlay else { panic!("asked first") };
    assert!(question.starts_with("A session is booked already for"), "{question}");
    press(&mut app, KeyCode::Char('n'));
    assert!(app.overlay.is_none(), "n keeps it:\n{}", render(&app, 100, 30));
    press(&mut app, KeyCode::Char('p'));
    press(&mut app, KeyCode::Char('y'));
    let Some(Overlay::Form { editor, .. }) = &app.overlay else { panic!("the booking opens") };
    assert!(matches!(editor, needlelog::app::Editor::Session { stored: Some(s), .. } if s.id == booked));
}

#[test]
fn a_checklist_that_popped_up_never_swallows_a_screen_key() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("demo.db")).unwrap();
    needlelog::demo::fill(&mut store, Rules::embedded(), now(), &Zone::utc()).unwrap();
    let mut app = App::new(store, Rules::embedded(), now(), Zone::utc());
    assert!(matches!(app.overlay, Some(Overlay::Checklist { .. })), "it pops up on opening");
    press(&mut app, KeyCode::Char('4'));
    assert_eq!(app.tab, Tab::People, "4 goes to People at once");
    assert!(app.overlay.is_none(), "and the checklist stepped aside");
    // It counts as seen: it does not pop up again by itself.
    press(&mut app, KeyCode::Char('1'));
    assert!(app.overlay.is_none());
    // Its own keys still work when it is open.
    press(&mut app, KeyCode::Char('c'));
    assert!(matches!(app.overlay, Some(Overlay::Checklist { .. })));
    press(&mut app, KeyCode::Char('/'));
    assert!(matches!(app.overlay, Some(Overlay::Find { .. })), "a screen key opens what it opens");
}

#[test]
fn the_log_form_shows_the_clients_notes_and_skin_cautions() {
    let (_dir, mut app) = demo_app();
    let ana = app.courses.iter().find(|c| c.person.name == "Ana Ruiz").map(|c| c.course.id).unwrap();
    app.current = Some(ana);
    app.tab = Tab::Today;
    let today = render(&app, 120, 40);
    assert!(today.contains("Caution") && today.contains("skin type IV"), "{today}");
    press(&mut app, KeyCode::Char('a'));
    let form = render(&app, 100, 36);
    assert!(form.contains("skin type IV raises the risk of dark marks"), "{form}");
}

#[test]
fn an_edit_in_the_app_is_on_the_trail_and_in_the_details() {
    let (_dir, mut app) = demo_app();
    app.tab = Tab::Sessions;
    let id = app.selected_session().unwrap().id;
    press(&mut app, KeyCode::Char('e'));
    for _ in 0..5 {
        press(&mut app, KeyCode::Tab);
    }
    ctrl(&mut app, 'u');
    type_text(&mut app, "2");
    press(&mut app, KeyCode::Enter);
    assert!(app.overlay.is_none(), "saved");
    let trail = app.store.edits_of("session", id).unwrap();
    assert_eq!(trail.len(), 2, "added, then changed: {trail:?}");
    assert_eq!((trail[1].field.as_str(), trail[1].new.as_str(), trail[1].source.as_str()), ("pain", "2", "app"));
    assert_eq!(trail[1].at, now(), "stamped with the app's clock");
    let screen = render(&app, 120, 40);
    assert!(
        screen.contains("Changed") && screen.contains("pain") && screen.contains("→ 2 on 24 Nov (app)"),
        "{screen}"
    );
}

#[test]
fn v_records_an_adverse_event_shown_in_the_details_and_on_today() {
    let (_dir, mut app) = demo_app();
    app.tab = Tab::Sessions;
    let Some(done) = app.sessions().iter().position(|s| s.is_done()) else { panic!("a done session") };
    app.sessions_view.selected = done;
    let id = app.selected_session().unwrap().id;
    press(&mut app, KeyCode::Char('v'));
    assert!(matches!(app.overlay, Some(Overlay::Form { .. })));
    assert!(render(&app, 100, 30).contains("Record an adverse event"));
    press(&mut app, KeyCode::Right); // What: the second kind, swelling
    press(&mut app, KeyCode::Enter);
    assert!(app.overlay.is_none(), "saved:\n{}", render(&app, 100, 30));
    let events = app.store.events(false).unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!((events[0].session_id, events[0].kind.as_str(), events[0].severity), (id, "swelling", 1));
    assert!(render(&app, 120, 40).contains("Swelling 1/3 · 24 Nov – open"));
    app.tab = Tab::Today;
    let today = render(&app, 120, 40);
    assert!(today.contains("Open event") && today.contains("Swelling 1/3"), "{today}");
}

#[test]
fn own_rules_show_in_the_app() {
    use needlelog::domain::layering::{OwnFile, OwnKind, layer};
    let files = [
        OwnFile {
            kind: OwnKind::Protocols,
            path: "/cfg/protocols.toml".into(),
            text:
                "[[concern]]\nkey = \"hair-loss\"\nname = \"Hair loss\"\nsessions = [6, 12]\ninterval_weeks = [2, 4]\n"
                    .into(),
        },
        OwnFile {
            kind: OwnKind::Checklists,
            path: "/cfg/checklists.toml".into(),
            text: "[[item]]\nid = \"post-no-makeup\"\ntext = \"Our mineral powder only, from tomorrow\"\n".into(),
        },
    ];
    let rules: &'static Rules = Box::leak(Box::new(layer(Rules::embedded(), &files).unwrap()));
    let last = now() - chrono::Duration::hours(2);
    let (_dir, store, _) = one_session("acne-scars", 1, last, needlelog::domain::SessionStatus::Done);
    let mut app = App::new(store, rules, now(), Zone::utc());
    app.overlay = None;
    let today = render(&app, 120, 40);
    assert!(today.contains("Our mineral powder only"), "{today}");
    press(&mut app, KeyCode::Char('?'));
    let help = render(&app, 80, 24);
    assert!(help.contains("Your own rules are in use"), "{help}");
    app.overlay = None;
    press(&mut app, KeyCode::Char('n'));
    let Some(Overlay::Form { form, .. }) = &app.overlay else { panic!("the course form") };
    let concern = form.fields.iter().find(|f| f.name == "concern").unwrap();
    assert!(format!("{concern:?}").contains("hair-loss"), "{concern:?}");
}

#[test]
fn a_planned_session_that_passed_asks_whether_it_happened() {
    use needlelog::domain::{Device, Session, SessionStatus};
    let first = now() - chrono::Duration::days(35);
    let (_dir, mut store, course_id) = one_session("acne-scars", 6, first, SessionStatus::Done);
    let mut plan = |hours_ago: i64| {
        let at = now() - chrono::Duration::hours(hours_ago);
        store.add_session(&Session::new(course_id, at, 0, SessionStatus::Planned, Device::Pen)).unwrap()
    };
    let (passed, later) = (plan(3), plan(2));
    let mut app = App::new(store, Rules::embedded(), now(), Zone::utc());
    app.overlay = None;
    let today = render(&app, 80, 24);
    assert!(today.contains("Session 2 was planned for"), "{today}");
    assert!(today.contains("did it happen? Press h."), "{today}");
    snap_both("today_did_it_happen", &app);

    // Cancelled: kept as such, and the next one is asked about.
    press(&mut app, KeyCode::Char('h'));
    assert!(matches!(app.overlay, Some(Overlay::Happened { session_id, .. }) if session_id == passed));
    snap_both("popup_did_it_happen", &app);
    press(&mut app, KeyCode::Char('1'));
    assert!(matches!(app.overlay, Some(Overlay::Happened { .. })), "another key keeps the question");
    press(&mut app, KeyCode::Char('c'));
    assert!(app.overlay.is_none());
    assert_eq!(app.store.session(passed).unwrap().status, SessionStatus::Cancelled);

    // Done: the mark-done form, then the screening, then saved.
    press(&mut app, KeyCode::Char('h'));
    assert!(matches!(app.overlay, Some(Overlay::Happened { session_id, .. }) if session_id == later));
    press(&mut app, KeyCode::Char('d'));
    let Some(Overlay::Form { form, .. }) = &app.overlay else { panic!("the mark-done form") };
    assert_eq!(form.title, "Mark session done");
    press(&mut app, KeyCode::Enter);
    assert!(matches!(app.overlay, Some(Overlay::Contraindications { .. })), "screened first");
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.store.session(later).unwrap().status, SessionStatus::Done);
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char('h'));
    assert!(app.flash.as_ref().is_some_and(|f| f.text.contains("nothing to answer")), "{:?}", app.flash);
}

#[test]
fn a_done_session_hours_after_another_asks_for_a_second_enter() {
    use needlelog::domain::SessionStatus;
    let (_dir, store, _) = one_session("acne-scars", 6, now() - chrono::Duration::hours(2), SessionStatus::Done);
    let mut app = App::new(store, Rules::embedded(), now(), Zone::utc());
    app.overlay = None;
    press(&mut app, KeyCode::Char('a'));
    press(&mut app, KeyCode::Enter);
    let Some(Overlay::Form { form, .. }) = &app.overlay else { panic!("the form stays open") };
    let said = form.acknowledged.clone().unwrap_or_default();
    assert!(said.contains("only 2 h after session 1"), "{said}");
    assert!(render(&app, 80, 24).contains("Enter again saves it as it is"));
    press(&mut app, KeyCode::Enter);
    assert!(matches!(app.overlay, Some(Overlay::Contraindications { .. })), "the second Enter goes on");
}

#[test]
fn small_screens_keep_what_matters() {
    let (_dir, mut app) = demo_app();
    insta::assert_snapshot!("today_60x18", render(&app, 60, 18));
    app.tab = Tab::Timeline;
    insta::assert_snapshot!("timeline_60x18", render(&app, 60, 18));
    app.tab = Tab::Today;
    app.color = false;
    insta::assert_snapshot!("today_no_color_80x24", render(&app, 80, 24));
}

#[test]
fn below_the_smallest_size_keys_only_quit() {
    let (_dir, mut app) = demo_app();
    app.too_small = true;
    assert!(render(&app, 50, 12).contains("window too small"));
    press(&mut app, KeyCode::Char('a'));
    press(&mut app, KeyCode::Char('4'));
    assert!(app.overlay.is_none() && app.tab == Tab::Today, "nothing acts on a screen that cannot be seen");
    // With typed work in a form, q does not throw it away unseen.
    app.too_small = false;
    press(&mut app, KeyCode::Char('a'));
    type_text(&mut app, "x");
    app.too_small = true;
    press(&mut app, KeyCode::Char('q'));
    assert!(!app.quit);
    app.too_small = false;
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char('y'));
    app.too_small = true;
    press(&mut app, KeyCode::Char('q'));
    assert!(app.quit);
}

#[test]
fn the_recovery_diary_from_today() {
    use needlelog::domain::SessionStatus;
    let (_dir, store, _) = one_session("acne-scars", 6, now() - chrono::Duration::hours(26), SessionStatus::Done);
    let mut app = App::new(store, Rules::embedded(), now(), Zone::utc());
    app.overlay = None;
    press(&mut app, KeyCode::Char('d'));
    let Some(Overlay::Form { form, .. }) = &app.overlay else { panic!("the diary form") };
    assert_eq!(form.value("day"), "1", "the day after the session");
    snap_both("form_diary", &app);
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Right);
    press(&mut app, KeyCode::Right);
    press(&mut app, KeyCode::Right); // redness: 2
    press(&mut app, KeyCode::Enter);
    assert!(!matches!(app.overlay, Some(Overlay::Form { .. })), "saved: {:?}", app.flash);
    assert!(app.flash.as_ref().is_some_and(|f| f.text == "Noted day 1 in the recovery diary"), "{:?}", app.flash);
    assert_eq!(app.diary.len(), 1);
    assert_eq!(app.diary[0].redness, Some(2));
    app.tab = Tab::Timeline;
    assert!(render(&app, 120, 40).contains('✎'), "the day is marked on the timeline");
    // Opened again on the same day, it shows what was noted.
    app.tab = Tab::Today;
    app.overlay = None;
    press(&mut app, KeyCode::Char('d'));
    let Some(Overlay::Form { form, .. }) = &app.overlay else { panic!("the diary form") };
    assert_eq!(form.value("redness"), "2");
}

#[test]
fn a_new_file_asked_whose_it_is_becomes_a_practitioners() {
    let (_dir, mut app) = empty_app();
    assert!(matches!(app.overlay, Some(Overlay::WhoseFile)));
    press(&mut app, KeyCode::Char('c'));
    assert!(app.overlay.is_none());
    assert_eq!(app.kind, needlelog::domain::FileKind::Practitioner);
    assert_eq!(app.tab, Tab::People);
    assert!(app.people.is_empty(), "no \"Me\" on a practitioner's file");
    // Any other key on the question puts it off and does what it says.
    let (_dir2, mut other) = empty_app();
    press(&mut other, KeyCode::Char('4'));
    assert!(other.overlay.is_none());
    assert_eq!(other.tab, Tab::People);
    assert_eq!(other.kind, needlelog::domain::FileKind::Patient);
}

#[test]
fn a_practitioners_file_never_pops_aftercare_up_and_takes_scar_depths_quietly() {
    use needlelog::domain::SessionStatus;
    let (_dir, mut store, _) = one_session("acne-scars", 6, now() - chrono::Duration::hours(2), SessionStatus::Done);
    store.set_file_kind(needlelog::domain::FileKind::Practitioner).unwrap();
    let mut app = App::new(store, Rules::embedded(), now(), Zone::utc());
    assert!(app.overlay.is_none(), "aftercare is listed on Today, never a pop-up");
    assert!(render(&app, 80, 24).contains("What applies now"));
    // Asked for, the checklist speaks of the client.
    press(&mut app, KeyCode::Char('c'));
    assert!(render(&app, 80, 24).contains("After the client's session"), "{}", render(&app, 80, 24));
    press(&mut app, KeyCode::Esc);
    // 2 mm on cheeks is scar work within the professional range: no warning.
    app.tab = Tab::Sessions;
    press(&mut app, KeyCode::Char('a'));
    for _ in 0..3 {
        press(&mut app, KeyCode::Tab);
    }
    ctrl(&mut app, 'u');
    type_text(&mut app, "2.0");
    press(&mut app, KeyCode::Enter);
    let Some(Overlay::Form { form, .. }) = &app.overlay else { panic!("the timing note first") };
    assert!(form.fields[3].warning.is_none(), "{:?}", form.fields[3].warning);
}

#[test]
fn saving_a_session_leaves_the_sessions_cursor_on_it() {
    let (_dir, mut app) = demo_app();
    app.tab = Tab::Sessions;
    press(&mut app, KeyCode::End);
    let before = app.selected_session().unwrap().id;
    app.tab = Tab::Today;
    press(&mut app, KeyCode::Char('a'));
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Enter); // the timing note, read
    press(&mut app, KeyCode::Enter); // the screening
    app.overlay = None;
    app.tab = Tab::Sessions;
    let selected = app.selected_session().unwrap();
    assert_ne!(selected.id, before);
    assert_eq!(selected.at, now(), "e would edit the session just logged");
}

#[test]
fn the_header_says_which_of_a_persons_courses_is_open() {
    use needlelog::domain::SessionStatus;
    let (_dir, mut store, first) =
        one_session("acne-scars", 1, now() - chrono::Duration::days(200), SessionStatus::Done);
    store.set_course_status(first, needlelog::domain::CourseStatus::Completed).unwrap();
    let me = store.person_by_name(needlelog::domain::Person::ME).unwrap().id;
    let rules = Rules::embedded();
    let mut course = rules.new_course(me, rules.protocol("wrinkles").unwrap(), now().date_naive());
    course.areas = vec!["forehead".into()];
    store.add_course(&course).unwrap();
    let app = App::new(store, rules, now(), Zone::utc());
    let screen = render(&app, 120, 40);
    assert!(screen.contains("Me ▸ Wrinkles and fine lines (forehead) · course 2 of 2"), "{screen}");
}

#[test]
fn a_practitioners_card_shows_the_consent_or_its_absence() {
    use needlelog::domain::SessionStatus;
    let (_dir, mut store, course) =
        one_session("acne-scars", 6, now() - chrono::Duration::days(3), SessionStatus::Done);
    store.set_file_kind(needlelog::domain::FileKind::Practitioner).unwrap();
    let mut app = App::new(store, Rules::embedded(), now(), Zone::utc());
    app.tab = Tab::People;
    app.people_view.selected = 0;
    press(&mut app, KeyCode::Enter);
    assert!(matches!(app.overlay, Some(Overlay::Card(_))));
    assert!(render(&app, 120, 40).contains("none on record for this course"));
    let day = now().date_naive();
    let consent = needlelog::domain::Consent {
        course_id: course,
        given_on: day,
        what: "Form v3".into(),
        photos: false,
        by: String::new(),
    };
    app.store.record_consent(&consent).unwrap();
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Enter);
    assert!(render(&app, 120, 40).contains("Form v3"), "{}", render(&app, 120, 40));
    // Recorded from the card: c, then the form (photos this time).
    press(&mut app, KeyCode::Char('c'));
    let Some(Overlay::Form { form, .. }) = &app.overlay else { panic!("the consent form") };
    assert_eq!(form.value("what"), "Form v3", "the consent on record fills it");
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Right);
    press(&mut app, KeyCode::Enter);
    assert!(app.overlay.is_none(), "{:?}", app.flash);
    assert!(app.store.consents_of(&[course]).unwrap()[0].photos, "photos included now");
}

#[test]
fn namesakes_are_told_apart_on_people() {
    let (_dir, mut app) = empty_app();
    app.overlay = None;
    let first = app.store.add_person("Ana Ruiz", None, "").unwrap();
    let mut ana = app.store.person(first).unwrap();
    ana.born_on = chrono::NaiveDate::from_ymd_opt(1984, 3, 2);
    app.store.update_person(&ana).unwrap();
    let second = app.store.add_person("Ana Ruiz", None, "").unwrap();
    app.reload();
    app.tab = Tab::People;
    let screen = render(&app, 80, 24);
    assert!(screen.contains("Ana Ruiz (b. 1984-03-02)"), "{screen}");
    assert!(screen.contains(&format!("Ana Ruiz (#{second})")), "{screen}");
}

/// A practitioner's client with eight courses over the years, the last one running,
/// each done course's sessions screened.
fn client_with_eight_courses() -> (tempfile::TempDir, App) {
    use needlelog::domain::{CourseStatus, Device, Session, SessionStatus};
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("client.db")).unwrap();
    store.set_file_kind(needlelog::domain::FileKind::Practitioner).unwrap();
    let ana = store.add_person("Ana Ruiz", Some(needlelog::domain::SkinType::IV), "").unwrap();
    let rules = Rules::embedded();
    for i in 0..8u32 {
        let started = now().date_naive() - chrono::Days::new(u64::from(8 - i) * 150);
        let concern = ["acne-scars", "rejuvenation", "wrinkles", "scars"][i as usize % 4];
        let mut course = rules.new_course(ana, rules.protocol(concern).unwrap(), started);
        course.areas = vec!["cheeks".into()];
        course.sessions_target = 2;
        let id = store.add_course(&course).unwrap();
        for s in 0..2i64 {
            let at = started.and_hms_opt(10, 0, 0).unwrap().and_utc() + chrono::Duration::days(10 + s * 35);
            if at > now() {
                continue;
            }
            let mut session = Session::new(id, at, 0, SessionStatus::Done, Device::Pen);
            session.screening = Some(if s == 0 { Vec::new() } else { vec!["sunburn".into()] });
            store.add_session(&session).unwrap();
        }
        if i < 7 {
            store.set_course_status(id, CourseStatus::Completed).unwrap();
        }
    }
    let app = App::new(store, rules, now(), Zone::utc());
    (dir, app)
}

#[test]
fn a_practitioners_client_card_with_eight_courses_and_a_past_one_opened() {
    let (_dir, mut app) = client_with_eight_courses();
    snap_both("practitioner_today", &app);
    app.tab = Tab::People;
    app.people_view.selected = 0;
    press(&mut app, KeyCode::Enter);
    assert!(matches!(app.overlay, Some(Overlay::Card(_))));
    snap_both("client_card_eight_courses", &app);
    // The third course, long finished, opens read-write on Today.
    for _ in 0..5 {
        press(&mut app, KeyCode::Down);
    }
    press(&mut app, KeyCode::Enter);
    assert!(app.overlay.is_none());
    app.tab = Tab::Today;
    let screen = render(&app, 120, 40);
    assert!(screen.contains("course 3 of 8"), "{screen}");
    snap_both("practitioner_past_course", &app);
    app.tab = Tab::Sessions;
    let sessions = render(&app, 120, 40);
    assert!(sessions.contains("Screened"), "the stored screening is shown: {sessions}");
}

/// The demo app with photos on the current course's first and latest done
/// sessions (cheeks on both, the forehead on the first), generated here.
fn app_with_photos() -> (tempfile::TempDir, App) {
    let (dir, mut app) = demo_app();
    let course = app.current.unwrap();
    let mut done: Vec<_> = app.sessions().iter().filter(|s| s.is_done()).map(|s| s.id).collect();
    done.sort();
    let pictures = dir.path().join("camera");
    std::fs::create_dir_all(&pictures).unwrap();
    let picture = |name: &str, tint: u8| {
        let path = pictures.join(name);
        let img = image::RgbImage::from_fn(120, 90, |x, y| {
            image::Rgb([(x * 2) as u8, (y * 2) as u8, tint.wrapping_add((x / 12) as u8 * 20)])
        });
        img.save(&path).unwrap();
        path.display().to_string()
    };
    let (first, last) = (done[0], *done.last().unwrap());
    let photo_store = needlelog::photos::PhotoStore::beside(app.store.file().unwrap().path());
    let before = [format!("cheeks={}", picture("before.jpg", 0)), format!("forehead={}", picture("brow.jpg", 90))];
    let after = [format!("cheeks={}", picture("after.jpg", 200))];
    for (session, args) in [(first, &before[..]), (last, &after[..])] {
        let mut pending = needlelog::photos::prepare(args, None, app.rules).unwrap();
        // Taken an hour after the session (the files' own times vary from run to run).
        let at = app.sessions().iter().find(|s| s.id == session).unwrap().at.naive_utc() + chrono::Duration::hours(1);
        for p in &mut pending {
            std::sync::Arc::make_mut(&mut p.photo).taken = at;
        }
        needlelog::photos::attach(
            &mut *app.store,
            &photo_store,
            needlelog::domain::PhotoOf::Session(session),
            &pending,
        )
        .unwrap();
    }
    app.reload();
    assert_eq!(app.current, Some(course));
    assert_eq!(app.photos.len(), 3);
    (dir, app)
}

fn settle_pictures(app: &mut App) {
    app.want_pictures();
    app.wait_for_pictures(std::time::Duration::from_secs(20));
    assert!(!app.pictures_pending());
}

#[test]
fn the_photos_screen_shows_strips_one_large_and_the_before_and_after_in_half_blocks() {
    let (_dir, mut app) = app_with_photos();
    press(&mut app, KeyCode::Char('5'));
    assert_eq!(app.tab, Tab::Photos);
    settle_pictures(&mut app);
    let strips = render(&app, 80, 24);
    assert!(strips.contains("3 photos over 2 sessions"), "{strips}");
    assert!(strips.contains('▀') || strips.contains('▄'), "thumbnails in half blocks:\n{strips}");
    snap_both("photos_strips", &app);

    // The before/after: first and latest of the selected photo's area.
    press(&mut app, KeyCode::Char('v'));
    assert!(matches!(app.photos_view.mode, needlelog::app::PhotosMode::Compare(..)));
    settle_pictures(&mut app);
    let compare = render(&app, 80, 24);
    assert!(compare.contains("Before: Session 1 of"), "{compare}");
    assert!(compare.contains("After: Session"), "{compare}");
    assert!(compare.contains("cheeks ·") && compare.contains("days apart"), "{compare}");
    snap_both("photos_compare", &app);

    // Enter: one large; Esc: back to the strips.
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Enter);
    settle_pictures(&mut app);
    let one = render(&app, 120, 40);
    assert!(one.contains("1 of 3") && one.contains("cheeks: before.jpg"), "{one}");
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.photos_view.mode, needlelog::app::PhotosMode::Strips);
}

#[test]
fn a_photo_of_the_course_has_its_own_strip_on_its_day_and_compares_as_the_course() {
    let (dir, mut app) = app_with_photos();
    let course = app.current.unwrap();
    let path = dir.path().join("camera").join("results.jpg");
    image::RgbImage::from_fn(120, 90, |x, _| image::Rgb([x as u8, 40, 160])).save(&path).unwrap();
    let mut pending = needlelog::photos::prepare(&[format!("cheeks={}", path.display())], None, app.rules).unwrap();
    // Results day: taken after every session, this morning.
    let taken = (now() - chrono::Duration::hours(2)).naive_utc();
    std::sync::Arc::make_mut(&mut pending[0].photo).taken = taken;
    let photo_store = needlelog::photos::PhotoStore::beside(app.store.file().unwrap().path());
    let to = needlelog::domain::PhotoOf::Course(course);
    needlelog::photos::attach(&mut *app.store, &photo_store, to, &pending).unwrap();
    app.reload();
    assert_eq!(app.photos.len(), 4);
    assert_eq!(app.photos.last().unwrap().session_id, None, "on its day, after the sessions");
    press(&mut app, KeyCode::Char('5'));
    let strips = render(&app, 120, 40);
    assert!(strips.contains("4 photos over 2 sessions, 1 of the course"), "{strips}");
    assert!(strips.contains(&format!("The course · {}", needlelog::text::day(taken.date()))), "{strips}");
    // Compared with the first cheeks photo: the course's own day, not a session's.
    press(&mut app, KeyCode::Char('G'));
    press(&mut app, KeyCode::Char('v'));
    let compare = render(&app, 120, 40);
    assert!(compare.contains("After: The course"), "{compare}");

    // From the Photos screen: a, the pictures, Enter.
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char('a'));
    let Some(Overlay::Form { form, .. }) = &app.overlay else { panic!("a: a form") };
    assert!(form.title.starts_with("Add photos to the course"));
    press(&mut app, KeyCode::Enter);
    assert!(render(&app, 120, 40).contains("name a picture"), "nothing named: said");
    type_text(&mut app, &format!("forehead={}", path.display()));
    press(&mut app, KeyCode::Enter);
    app.wait_for_photo_check(std::time::Duration::from_secs(20));
    let screen = render(&app, 120, 40);
    assert!(screen.contains("the course has these pictures already (#4): nothing added"), "{screen}");
    let other = dir.path().join("camera").join("later.jpg");
    image::RgbImage::from_fn(60, 40, |_, y| image::Rgb([20, y as u8, 90])).save(&other).unwrap();
    ctrl(&mut app, 'u');
    type_text(&mut app, &format!("forehead={}", other.display()));
    press(&mut app, KeyCode::Enter);
    app.wait_for_photo_check(std::time::Duration::from_secs(20));
    assert!(app.overlay.is_none(), "{}", render(&app, 120, 40));
    assert!(render(&app, 120, 40).contains("Kept 1 photo with the course"));
    let own = app.store.photos_of_course(course).unwrap().into_iter().filter(|p| p.session_id.is_none()).count();
    assert_eq!(own, 2);
}

#[test]
fn any_two_photos_can_be_compared_and_one_alone_says_how() {
    let (_dir, mut app) = app_with_photos();
    press(&mut app, KeyCode::Char('5'));
    // The forehead has one photo: nothing to compare it with yet.
    press(&mut app, KeyCode::Right);
    assert_eq!(app.selected_photo().unwrap().area.as_deref(), Some("forehead"));
    press(&mut app, KeyCode::Char('v'));
    assert_eq!(app.photos_view.mode, needlelog::app::PhotosMode::Strips);
    assert!(app.flash.as_ref().unwrap().text.contains("Only one photo of the forehead"));
    // Picked with space, then another selected: those two.
    press(&mut app, KeyCode::Char(' '));
    press(&mut app, KeyCode::Down);
    assert_eq!(app.selected_photo().unwrap().original_name, "after.jpg");
    press(&mut app, KeyCode::Char('v'));
    let forehead = app.photos.iter().find(|p| p.original_name == "brow.jpg").unwrap().id;
    let after = app.photos.iter().find(|p| p.original_name == "after.jpg").unwrap().id;
    assert_eq!(app.photos_view.mode, needlelog::app::PhotosMode::Compare(forehead, after));
}

#[test]
fn a_picture_gone_from_the_store_shows_its_name_instead_of_failing() {
    let (_dir, mut app) = app_with_photos();
    let gone = app.photos[0].clone();
    std::fs::remove_file(app.photo_store.path(&gone)).unwrap();
    app.reload();
    press(&mut app, KeyCode::Char('5'));
    settle_pictures(&mut app);
    let screen = render(&app, 120, 40);
    assert!(screen.contains("1 missing from the store"), "{screen}");
    press(&mut app, KeyCode::Enter);
    settle_pictures(&mut app);
    let screen = render(&app, 80, 24);
    assert!(screen.contains("before.jpg") && screen.contains("not in the photo store"), "{screen}");
}

#[test]
fn the_session_form_attaches_photos_and_refuses_a_bad_one_on_its_field() {
    let (dir, mut app) = demo_app();
    let good = dir.path().join("good.png");
    image::RgbImage::from_pixel(8, 8, image::Rgb([1, 2, 3])).save(&good).unwrap();
    let bad = dir.path().join("IMG_1.HEIC");
    std::fs::write(&bad, [&[0, 0, 0, 0x18][..], b"ftypheic", &[0; 16]].concat()).unwrap();
    app.tab = Tab::Sessions;
    let before = app.store.all_photos().unwrap().len();
    press(&mut app, KeyCode::Char('e'));
    let form_has_photos = |app: &App| match &app.overlay {
        Some(Overlay::Form { form, .. }) => form.field("photos").is_some(),
        _ => false,
    };
    assert!(form_has_photos(&app));
    if let Some(Overlay::Form { form, .. }) = &mut app.overlay {
        let at = form.fields.iter().position(|f| f.name == "photos").unwrap();
        form.focus = at;
    }
    type_text(&mut app, &format!("cheeks={}, {}", good.display(), bad.display()));
    press(&mut app, KeyCode::Enter);
    // The pictures are read off the drawing thread: the field says so meanwhile.
    let screen = render(&app, 120, 40);
    assert!(screen.contains("reading the pictures"), "{screen}");
    app.wait_for_photo_check(std::time::Duration::from_secs(20));
    let screen = render(&app, 120, 40);
    assert!(screen.contains("convert it to JPEG"), "{screen}");
    assert_eq!(app.store.all_photos().unwrap().len(), before, "nothing attached");
    // Without the bad one: saved by itself once read, and attached.
    ctrl(&mut app, 'u');
    type_text(&mut app, &format!("cheeks={}", good.display()));
    press(&mut app, KeyCode::Enter);
    app.wait_for_photo_check(std::time::Duration::from_secs(20));
    assert!(app.overlay.is_none(), "{}", render(&app, 120, 40));
    assert_eq!(app.store.all_photos().unwrap().len(), before + 1);
    assert!(render(&app, 120, 40).contains("cheeks: good.png"));
}

#[test]
fn a_pipe_in_the_photos_field_never_holds_the_app() {
    let (dir, mut app) = demo_app();
    let fifo = dir.path().join("scan.jpg");
    assert!(std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    app.tab = Tab::Sessions;
    press(&mut app, KeyCode::Char('e'));
    if let Some(Overlay::Form { form, .. }) = &mut app.overlay {
        form.focus = form.fields.iter().position(|f| f.name == "photos").unwrap();
    }
    type_text(&mut app, &fifo.display().to_string());
    let start = std::time::Instant::now();
    press(&mut app, KeyCode::Enter);
    assert!(start.elapsed() < std::time::Duration::from_secs(2), "the key came back at once");
    app.wait_for_photo_check(std::time::Duration::from_secs(20));
    let screen = render(&app, 120, 40);
    assert!(screen.contains("is not a regular file"), "{screen}");
}

#[test]
fn a_click_on_the_photos_tab_asks_for_the_pictures() {
    let (_dir, mut app) = app_with_photos();
    let (_, _, from, _) = needlelog::app::keys::tab_spans().into_iter().find(|(t, ..)| *t == Tab::Photos).unwrap();
    app.handle_mouse(crossterm::event::MouseEvent {
        kind: crossterm::event::MouseEventKind::Down(crossterm::event::MouseButton::Left),
        column: from + 1,
        row: needlelog::app::keys::TAB_ROW,
        modifiers: KeyModifiers::NONE,
    });
    assert_eq!(app.tab, Tab::Photos);
    assert!(app.pictures_pending(), "decoding started without a key");
    app.wait_for_pictures(std::time::Duration::from_secs(20));
    assert!(render(&app, 80, 24).contains('▄'));
}

/// A practice with hundreds due: the Due list draws only what can show, and the
/// selection is on screen, named, at every step down the list and back up.
#[test]
fn a_long_due_list_keeps_its_selection_on_screen() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("practice.db")).unwrap();
    store.import(&needlelog::demo::generate(400, 3, 3, Rules::embedded(), now(), &Zone::utc())).unwrap();
    let mut app = App::new(store, Rules::embedded(), now(), Zone::utc());
    app.overlay = None;
    app.tab = Tab::People;
    press(&mut app, KeyCode::Right);
    let count = app.people_view.due.len();
    assert!(count > 60, "a long list: {count}");
    let check = |app: &App| {
        let screen = render(app, 100, 30);
        // The Due list is the right-hand pane.
        let marked: Vec<&str> =
            screen.lines().filter_map(|l| l.split_once("││").map(|(_, due)| due)).filter(|l| l.contains('▶')).collect();
        assert_eq!(marked.len(), 1, "{screen}");
        let due = app.due_list();
        let (_, course) = due[app.people_view.due_selected];
        assert!(marked[0].contains(&app.shown_name(course.person)), "{screen}");
        screen
    };
    for _ in 0..count + 3 {
        check(&app);
        press(&mut app, KeyCode::Down);
    }
    assert_eq!(app.people_view.due_selected, count - 1);
    check(&app);
    for _ in 0..count {
        press(&mut app, KeyCode::Up);
    }
    let screen = check(&app);
    let first = app.due_list()[0].0.group.title();
    assert!(screen.contains(&format!("{first} (")), "the first group's heading: {screen}");
}

/// The demo data in a fresh file: a patient's, or (`practice`) a practice of 120
/// clients over three years.
fn demo_file(practice: bool) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("log.db");
    let mut store = Store::open(&path).unwrap();
    if practice {
        store.import(&needlelog::demo::generate(120, 3, 5, Rules::embedded(), now(), &Zone::utc())).unwrap();
    } else {
        needlelog::demo::fill(&mut store, Rules::embedded(), now(), &Zone::utc()).unwrap();
    }
    (dir, path)
}

/// The binary draws the course it opens on before it reads every list: that first
/// frame is the Today the whole reading draws, and once the lists are read the
/// app is the one `App::new` gives, checklist pop-up included.
#[test]
fn the_first_frame_is_the_course_opened_on() {
    for practice in [false, true] {
        let (_dir, path) = demo_file(practice);
        let mut whole = App::new(Store::open(&path).unwrap(), Rules::embedded(), now(), Zone::utc());
        let mut first = App::opening(Store::open(&path).unwrap(), Rules::embedded(), now(), Zone::utc());
        assert!(first.is_opening() && !whole.is_opening());
        assert!(first.current.is_some());
        assert_eq!(first.current, whole.current, "the same course (practice: {practice})");
        assert_eq!(first.courses.len(), 1, "only the course opened on is read");
        let popped = whole.overlay.take();
        assert_eq!(render(&first, 100, 30), render(&whole, 100, 30), "practice: {practice}");
        first.finish_opening();
        assert!(!first.is_opening());
        assert_eq!(first.overlay.is_some(), popped.is_some(), "a checklist due pops up once the lists are read");
        first.overlay = None;
        for tab in [Tab::Today, Tab::People, Tab::Sessions] {
            first.tab = tab;
            whole.tab = tab;
            assert_eq!(render(&first, 100, 30), render(&whole, 100, 30), "{tab:?}, practice: {practice}");
        }
    }
}

/// A practitioner's file, empty.
fn practice_file() -> (tempfile::TempDir, std::path::PathBuf, Store) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("practice.db");
    let mut store = Store::open(&path).unwrap();
    store.set_file_kind(needlelog::domain::FileKind::Practitioner).unwrap();
    (dir, path, store)
}

/// A course of acne scars on the cheeks started `started` for a new client
/// `name`, its two sessions done `at` and the course complete: (person, course).
fn finished_course(store: &mut Store, name: &str, started: chrono::NaiveDate, at: [DateTime<Utc>; 2]) -> (i64, i64) {
    use needlelog::domain::{CourseStatus, Device, Session, SessionStatus};
    let rules = Rules::embedded();
    let person = store.add_person(name, None, "").unwrap();
    let mut course = rules.new_course(person, rules.protocol("acne-scars").unwrap(), started);
    course.areas = vec!["cheeks".into()];
    course.sessions_target = 2;
    let id = store.add_course(&course).unwrap();
    for at in at {
        store.add_session(&Session::new(id, at, 0, SessionStatus::Done, Device::Pen)).unwrap();
    }
    store.set_course_status(id, CourseStatus::Completed).unwrap();
    (person, id)
}

/// `needlelog due --json` on `path` at `now` (UTC, no rules of one's own).
fn due_json(dir: &tempfile::TempDir, path: &std::path::Path, now: DateTime<Utc>) -> serde_json::Value {
    let out = crate::common::needlelog()
        .args(["--db", path.to_str().unwrap(), "due", "--json", "--now", &now.format("%Y-%m-%d %H:%M").to_string()])
        .env("TZ", "UTC")
        .env("NEEDLELOG_CONFIG", dir.path().join("no-config"))
        .output()
        .unwrap();
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Two clients finished a course of acne scars four months ago; one of them has
/// since started another (paused now). Only the other is recalled for maintenance,
/// in the app's Due list as in `needlelog due`; opening that finished course from
/// the list reads its sessions.
#[test]
fn the_due_list_leaves_out_a_finished_course_a_later_one_followed() {
    use needlelog::domain::CourseStatus;
    use needlelog::summary::RecallGroup;
    let (dir, path, mut store) = practice_file();
    let rules = Rules::embedded();
    let started = now().date_naive() - chrono::Days::new(190);
    let done = [165, 130].map(|days| now() - chrono::Duration::days(days));
    let (ana, ana_finished) = finished_course(&mut store, "Ana Ruiz", started, done);
    let (_, ben_finished) = finished_course(&mut store, "Ben Okafor", started, done);
    let mut again =
        rules.new_course(ana, rules.protocol("acne-scars").unwrap(), now().date_naive() - chrono::Days::new(10));
    again.areas = vec!["cheeks".into()];
    let again = store.add_course(&again).unwrap();
    store.set_course_status(again, CourseStatus::Paused).unwrap();

    let mut app = App::new(store, rules, now(), Zone::utc());
    let maintenance: Vec<i64> =
        app.due_list().iter().filter(|(r, _)| r.group == RecallGroup::Maintenance).map(|(r, _)| r.course_id).collect();
    assert_eq!(maintenance, [ben_finished], "Ana's finished course was followed by another");
    assert!(app.due_list().iter().all(|(r, _)| r.course_id != ana_finished));

    let due = due_json(&dir, &path, now());
    let listed: Vec<i64> =
        due["groups"]["maintenance"].as_array().unwrap().iter().map(|r| r["course_id"].as_i64().unwrap()).collect();
    assert_eq!(listed, maintenance, "needlelog due recalls the same: {due}");

    // Listed under Ben too, from the line the lists keep of it: read whole only
    // when opened.
    assert!(app.summary(ben_finished).is_none(), "not read whole until opened");
    let line = app.course_line(ben_finished).expect("listed");
    assert_eq!((line.status, line.done), (CourseStatus::Completed, (2, 2)));
    app.tab = Tab::People;
    let screen = render(&app, 120, 40);
    assert!(screen.contains("completed · 2/2 done"), "{screen}");

    // x asks to end its recall, by name.
    press(&mut app, KeyCode::Right);
    app.people_view.due_selected = app.due_list().iter().position(|(r, _)| r.course_id == ben_finished).unwrap();
    press(&mut app, KeyCode::Char('x'));
    let screen = render(&app, 120, 40);
    assert!(screen.contains("Recall Ben Okafor ▸ Acne scars (cheeks) no more?"), "{screen}");
    press(&mut app, KeyCode::Esc);

    // Opened from the list, the finished course comes with its sessions.
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.current, Some(ben_finished));
    assert_eq!(app.sessions().iter().filter(|s| s.is_done()).count(), 2);
    assert!(render(&app, 80, 24).contains("Ben Okafor ▸ Acne scars"), "{}", render(&app, 80, 24));
}

/// A finished course whose maintenance is booked says so in the Due list and in
/// `needlelog due`: it is judged with its bookings, as running courses are.
#[test]
fn a_booked_maintenance_is_shown_booked_by_the_app_and_due() {
    use needlelog::domain::{Device, Session, SessionStatus};
    use needlelog::summary::RecallGroup;
    let (dir, path, mut store) = practice_file();
    let started = now().date_naive() - chrono::Days::new(190);
    let done = [165, 130].map(|days| now() - chrono::Duration::days(days));
    let (_, id) = finished_course(&mut store, "Dara Quinn", started, done);
    let booked = now() + chrono::Duration::days(3);
    store.add_session(&Session::new(id, booked, 0, SessionStatus::Planned, Device::Pen)).unwrap();

    let app = App::new(store, Rules::embedded(), now(), Zone::utc());
    let due = app.due_list();
    let (recall, _) = due.iter().find(|(r, _)| r.course_id == id).expect("recalled");
    assert_eq!((recall.group, recall.booked), (RecallGroup::Maintenance, Some(booked)));

    let due = due_json(&dir, &path, now());
    let entry = &due["groups"]["maintenance"][0];
    assert_eq!(entry["course_id"], id, "{due}");
    assert_eq!(entry["booked"], booked.to_rfc3339(), "{due}");
}

/// A finished course whose maintenance window closed a few weeks ago is lapsed:
/// `needlelog due` lists it so, and the app's Due list counts it, from one list.
#[test]
fn a_lapsed_maintenance_is_counted_alike_by_the_app_and_due() {
    use needlelog::domain::windows::course_state;
    let (dir, path, mut store) = practice_file();
    let rules = Rules::embedded();
    let first = Utc.with_ymd_and_hms(2025, 6, 2, 10, 0, 0).unwrap();
    let (_, id) =
        finished_course(&mut store, "Cleo Marsh", first.date_naive(), [first, first + chrono::Duration::days(35)]);
    // Three weeks after its maintenance window closed.
    let course = store.course(id).unwrap();
    let sessions = store.sessions_of(&[id]).unwrap();
    let closed = course_state(&course, &sessions, &rules.course, first, &Zone::utc()).maintenance.unwrap().latest;
    let now = (closed + chrono::Days::new(21)).and_hms_opt(9, 0, 0).unwrap().and_utc();

    let app = App::new(store, rules, now, Zone::utc());
    assert_eq!(app.people_view.lapsed, 1, "the app counts the lapsed maintenance");
    let due = due_json(&dir, &path, now);
    let lapsed: Vec<i64> =
        due["groups"]["lapsed"].as_array().unwrap().iter().map(|r| r["course_id"].as_i64().unwrap()).collect();
    assert_eq!(lapsed, [id], "needlelog due: {due}");
}

/// The clock moving on later the same day works out where every listed course
/// stands from the lists as they were read: the app then says what an app opened
/// at that moment says (states, checklists and their ticks, the Due list), on a
/// patient's file and on a practice's. A new day reads everything again.
#[test]
fn the_clock_moving_on_says_what_reading_everything_again_says() {
    for practice in [false, true] {
        let (_dir, path) = demo_file(practice);
        let mut moving = App::new(Store::open(&path).unwrap(), Rules::embedded(), now(), Zone::utc());
        let mut changed = 0;
        for hours in [1, 3, 7, 14, 38] {
            let at = now() + chrono::Duration::hours(hours);
            moving.set_now(at);
            let fresh = App::new(Store::open(&path).unwrap(), Rules::embedded(), at, Zone::utc());
            let facts = |app: &App| {
                app.courses
                    .iter()
                    .map(|c| {
                        let entries: Vec<_> = c
                            .checklist
                            .iter()
                            .map(|e| (e.item.id.clone(), e.session_id, e.until, e.done, e.seen))
                            .collect();
                        (c.course.id, format!("{:?}", c.state), entries)
                    })
                    .collect::<Vec<_>>()
            };
            assert_eq!(facts(&moving), facts(&fresh), "{hours} h on (practice: {practice})");
            let due = |app: &App| app.due_list().iter().map(|(r, _)| (*r).clone()).collect::<Vec<_>>();
            assert_eq!(due(&moving), due(&fresh), "{hours} h on (practice: {practice})");
            let mut fresh = fresh;
            moving.overlay = None;
            fresh.overlay = None;
            // Selections stay on their records as lists change: from the top here.
            (moving.people_view.selected, moving.people_view.due_selected) = (0, 0);
            for tab in [Tab::Today, Tab::People] {
                moving.tab = tab;
                fresh.tab = tab;
                assert_eq!(
                    render(&moving, 100, 30),
                    render(&fresh, 100, 30),
                    "{tab:?}, {hours} h (practice: {practice})"
                );
            }
            changed += usize::from(
                facts(&moving) != facts(&App::new(Store::open(&path).unwrap(), Rules::embedded(), now(), Zone::utc())),
            );
        }
        assert!(changed > 0, "the hours change where some course stands (practice: {practice})");
    }
}

#[test]
fn a_record_that_cannot_be_saved_says_so_on_the_field_it_is_about() {
    let (_dir, mut app) = demo_app();
    app.overlay = None;
    app.tab = Tab::People;
    press(&mut app, KeyCode::Char('a'));
    // A name of 81 letters: said under Name, not under another field.
    type_text(&mut app, &"A".repeat(81));
    press(&mut app, KeyCode::Enter);
    let Some(Overlay::Form { form, .. }) = &app.overlay else { panic!("the form stays open") };
    let name = form.field("name").unwrap();
    assert!(name.error.as_deref().is_some_and(|e| e.contains("at most 80 characters")), "{:?}", name.error);
    assert!(form.fields.iter().filter(|f| f.name != "name").all(|f| f.error.is_none()), "only Name is marked");
}

/// `a` with a session booked within hours asks whether this is that visit: y
/// marks the booking done, n logs a separate session, Esc does neither.
#[test]
fn logging_beside_a_booking_asks_whether_it_is_that_visit() {
    use needlelog::domain::{Device, Session, SessionStatus};
    let (_dir, mut app) = demo_app();
    let course = app.current.unwrap();
    let mut booked = Session::new(course, now() + chrono::Duration::hours(1), 0, SessionStatus::Planned, Device::Pen);
    booked.depths = Some(Vec::new());
    let planned = app.sessions().iter().filter(|s| s.is_planned()).map(|s| s.id).collect::<Vec<_>>();
    for id in planned {
        app.store.remove_session(id, "", now()).unwrap();
    }
    let id = app.store.add_session(&booked).unwrap();
    app.reload();
    app.tab = Tab::Sessions;
    press(&mut app, KeyCode::Char('a'));
    let screen = render(&app, 80, 24);
    assert!(screen.contains("Is this the visit booked for today 10:00?"), "{screen}");
    press(&mut app, KeyCode::Esc);
    // (The booking's pre-care checklist may show: it is due within the hour.)
    assert!(!matches!(app.overlay, Some(Overlay::Confirm { .. } | Overlay::Form { .. })), "Esc: neither");
    app.overlay = None;
    press(&mut app, KeyCode::Char('a'));
    press(&mut app, KeyCode::Char('n'));
    let Some(Overlay::Form { form, .. }) = &app.overlay else { panic!("n: a separate session's form") };
    assert_eq!(form.title, "Log a session");
    app.overlay = None;
    press(&mut app, KeyCode::Char('a'));
    press(&mut app, KeyCode::Char('y'));
    let Some(Overlay::Form { form, .. }) = &app.overlay else { panic!("y: the booking's form") };
    assert_eq!(form.title, "Mark session done");
    let Some(Overlay::Form { editor: needlelog::app::Editor::Session { session, .. }, .. }) = &app.overlay else {
        panic!()
    };
    assert_eq!((session.id, session.status), (id, SessionStatus::Done));
}

/// `V` on Sessions corrects the selected session's event, each change in the
/// trail; a reason in its Void field voids it instead.
#[test]
fn an_event_is_corrected_and_voided_from_the_sessions_screen() {
    let (_dir, mut app) = demo_app();
    app.tab = Tab::Sessions;
    let done = app.sessions().iter().position(|s| s.is_done()).unwrap();
    app.sessions_view.selected = done;
    let session = app.selected_session().unwrap().clone();
    let event = needlelog::domain::AdverseEvent {
        id: 0,
        session_id: session.id,
        kind: "bruising".into(),
        noticed_on: session.at.date_naive(),
        severity: 1,
        notes: String::new(),
        resolved_on: None,
        void: None,
    };
    let id = app.store.add_event(&event, now().date_naive()).unwrap();
    app.reload();
    press(&mut app, KeyCode::Char('V'));
    let Some(Overlay::Form { form, .. }) = &app.overlay else { panic!("the correction form") };
    assert_eq!(form.title, format!("Correct adverse event {id}"));
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Right);
    press(&mut app, KeyCode::Enter);
    assert!(app.overlay.is_none(), "{:?}", app.flash);
    assert_eq!(app.store.event(id).unwrap().severity, 2);
    let trail = app.store.trail(needlelog::store::TrailFilter { session_id: Some(session.id), ..Default::default() });
    assert!(trail.unwrap().iter().any(|e| e.kind == "event" && e.field == "severity" && e.new == "2"));
    press(&mut app, KeyCode::Char('V'));
    for _ in 0..5 {
        press(&mut app, KeyCode::Tab);
    }
    type_text(&mut app, "it was the next client's");
    press(&mut app, KeyCode::Enter);
    assert!(app.overlay.is_none(), "{:?}", app.flash);
    assert_eq!(app.store.event(id).unwrap().void.unwrap().reason, "it was the next client's");
    assert!(render(&app, 120, 40).contains("(voided)"), "{}", render(&app, 120, 40));
}

/// A checklist that pops up by itself at launch leaves the screen's keys to the
/// screen: `a` logs a session (as Today says), never "add your own item"; the
/// checklist opened with `c` keeps `a` for its own items.
#[test]
fn a_launch_pop_up_never_takes_the_screens_keys() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("n.db")).unwrap();
    needlelog::demo::fill(&mut store, Rules::embedded(), now(), &Zone::utc()).unwrap();
    let mut app = App::new(store, Rules::embedded(), now(), Zone::utc());
    assert!(matches!(app.overlay, Some(Overlay::Checklist { popped: true, .. })), "pops up on opening");
    assert!(!render(&app, 80, 24).contains("add your own"), "only its own keys are named");
    press(&mut app, KeyCode::Char('a'));
    let Some(Overlay::Form { form, .. }) = &app.overlay else { panic!("a: the screen's key") };
    assert_eq!(form.title, "Log a session");
    app.overlay = None;
    press(&mut app, KeyCode::Char('c'));
    press(&mut app, KeyCode::Char('a'));
    let Some(Overlay::Form { form, .. }) = &app.overlay else { panic!("c then a: its own item") };
    assert_eq!(form.title, "Add your own checklist item");
}

/// One's own skin type is asked once, with the first course (each type in a
/// line, skippable); given, its cautions apply as for a client.
#[test]
fn ones_skin_type_is_asked_with_the_first_course() {
    let (_dir, mut app) = empty_app();
    press(&mut app, KeyCode::Char('n'));
    type_text(&mut app, "cheeks");
    let Some(Overlay::Form { form, .. }) = &app.overlay else { panic!("course form") };
    let skin = form.fields.iter().position(|f| f.name == "skin").expect("asked");
    let areas = form.focus;
    for _ in areas..skin {
        press(&mut app, KeyCode::Tab);
    }
    for _ in 0..5 {
        press(&mut app, KeyCode::Right);
    }
    let screen = render(&app, 120, 40);
    assert!(screen.contains("Type V — brown: very rarely burns"), "{screen}");
    press(&mut app, KeyCode::Enter);
    assert!(app.overlay.is_none(), "{:?}", app.flash);
    let me = app.store.people(false).unwrap().into_iter().find(|p| p.is_me()).unwrap();
    assert_eq!(me.skin_type, Some(needlelog::domain::SkinType::V));
    // Asked once: the next course's form does not.
    press(&mut app, KeyCode::Char('n'));
    let Some(Overlay::Form { form, .. }) = &app.overlay else { panic!("course form") };
    assert!(form.field("skin").is_none());
}

/// Help at 80×24: columns as wide as their lines, never overlapping; → shows
/// the keys that do not fit.
#[test]
fn help_at_80_by_24_never_cuts_a_label() {
    let (_dir, mut app) = demo_app();
    press(&mut app, KeyCode::Char('?'));
    let screen = render(&app, 80, 24);
    assert!(screen.contains("V       correct or void its event"), "{screen}");
    assert!(screen.contains("→ more keys"), "{screen}");
    let mut more = String::new();
    for _ in 0..6 {
        press(&mut app, KeyCode::Right);
        more = render(&app, 80, 24);
        if more.contains("Before saving") {
            break;
        }
    }
    assert!(more.contains("Before saving") && more.contains("previous field"), "{more}");
    assert!(more.contains("← back"), "{more}");
    press(&mut app, KeyCode::Esc);
    assert!(app.overlay.is_none());
}

/// `N` on Sessions shows a session's notes whole at 80×24, wrapped and scrolled.
#[test]
fn a_sessions_notes_read_whole_at_80_by_24() {
    let (_dir, mut app) = demo_app();
    app.tab = Tab::Sessions;
    let id = app.selected_session().unwrap().id;
    let base = app.store.session(id).unwrap();
    let long = format!("{} the end of the note", "a long line of what was done and how it went; ".repeat(12));
    let noted = needlelog::domain::Session { notes: long, ..base.clone() };
    app.store.save_session_edit(&base, &noted, &needlelog::store::Settle::default()).unwrap();
    app.reload();
    press(&mut app, KeyCode::Char('N'));
    assert!(matches!(app.overlay, Some(Overlay::Notes { .. })));
    let mut screen = render(&app, 80, 24);
    for _ in 0..10 {
        if screen.contains("the end of the note") {
            break;
        }
        press(&mut app, KeyCode::Down);
        screen = render(&app, 80, 24);
    }
    assert!(screen.contains("the end of the note"), "{screen}");
    press(&mut app, KeyCode::Esc);
    assert!(app.overlay.is_none());
}

/// A message longer than the footer's line is wrapped onto the rows it needs,
/// never cut, at 80×24.
#[test]
fn a_long_message_is_wrapped_not_cut() {
    let (_dir, mut app) = demo_app();
    let long = "Saved — note: only 23 h after session 3 (2026-11-23 10:00): this course's sessions are usually \
                28–42 days apart, for the skin to heal: check the date";
    app.flash = Some(needlelog::app::Flash { text: long.into(), error: false, done: true });
    let screen = render(&app, 80, 24);
    assert!(screen.contains("for the skin to heal: check the date"), "{screen}");
}

/// A photo keeps its own day: the before/after counts the days between when
/// the pictures were taken (a results-day photo added to the last session is
/// of results day), not between their sessions.
#[test]
fn compared_photos_keep_their_own_days() {
    let (_dir, mut app) = app_with_photos();
    let latest = app.photos.iter().max_by_key(|p| p.session_id).unwrap().clone();
    let first = app.photos.iter().min_by_key(|p| p.session_id).unwrap().taken.date();
    // Taken this morning, the day after its session (not in the future).
    let taken = (now() - chrono::Duration::hours(1)).naive_utc();
    let session_day = app.sessions().iter().find(|s| Some(s.id) == latest.session_id).unwrap().at.date_naive();
    assert_ne!(taken.date(), session_day);
    let store_path = app.store.file().unwrap().path().to_path_buf();
    rusqlite::Connection::open(&store_path)
        .unwrap()
        .execute(
            "UPDATE session_photos SET taken = ?1 WHERE id = ?2",
            rusqlite::params![taken.format("%Y-%m-%d %H:%M:%S").to_string(), latest.id],
        )
        .unwrap();
    app.reload();
    press(&mut app, KeyCode::Char('5'));
    press(&mut app, KeyCode::Char('v'));
    let apart = (taken.date() - first).num_days();
    let compare = render(&app, 120, 40);
    assert!(compare.contains(&format!("{apart} days apart")), "{apart}: {compare}");
}

/// `p` never books a time already past: it proposes one ahead, and a past time
/// typed in is refused on its field.
#[test]
fn planning_in_the_app_is_never_in_the_past() {
    let (_dir, mut app) = demo_app();
    let planned: Vec<i64> = app.sessions().iter().filter(|s| s.is_planned()).map(|s| s.id).collect();
    for id in planned {
        app.store.remove_session(id, "", now()).unwrap();
    }
    app.reload();
    app.overlay = None;
    press(&mut app, KeyCode::Char('p'));
    let Some(Overlay::Form { editor: needlelog::app::Editor::Session { session, .. }, .. }) = &app.overlay else {
        panic!("the plan form: {:?}", app.overlay.is_some())
    };
    assert!(session.at > now(), "proposed ahead: {}", session.at);
    ctrl(&mut app, 'u');
    type_text(&mut app, "2026-11-20 10:00");
    press(&mut app, KeyCode::Enter);
    let Some(Overlay::Form { form, .. }) = &app.overlay else { panic!("refused, the form stays") };
    assert!(form.field("when").unwrap().error.as_deref().unwrap_or_default().contains("already passed"));
}

/// The day sheet (D): a day's bookings in time order with the client (namesakes
/// told apart), the course and what needs attention; ←/→ move by day, Enter opens
/// the client, a logs the booking.
#[test]
fn the_day_sheet_in_the_app() {
    use needlelog::domain::{AdverseEvent, Consent, CourseStatus, Device, FileKind, Person, Session, SessionStatus};
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("practice.db")).unwrap();
    store.set_file_kind(FileKind::Practitioner).unwrap();
    let rules = Rules::embedded();
    let person = |name: &str, born: (i32, u32, u32)| Person {
        id: 0,
        name: name.into(),
        skin_type: None,
        notes: String::new(),
        archived: false,
        born_on: chrono::NaiveDate::from_ymd_opt(born.0, born.1, born.2),
        contact: String::new(),
        revision: 0,
    };
    let tomorrow = |h: u32| Utc.with_ymd_and_hms(2026, 11, 25, h, 0, 0).unwrap();
    let mut courses = Vec::new();
    for (born, hour) in [((1984, 3, 2), 10), ((1990, 7, 11), 14)] {
        let id = store.add_person_with(&person("Ana Ruiz", born)).unwrap();
        let mut course = rules.new_course(
            id,
            rules.protocol("acne-scars").unwrap(),
            chrono::NaiveDate::from_ymd_opt(2026, 10, 1).unwrap(),
        );
        course.areas = vec!["cheeks".into()];
        course.status = CourseStatus::Active;
        let course_id = store.add_course(&course).unwrap();
        let done = store
            .add_session(&Session::new(
                course_id,
                Utc.with_ymd_and_hms(2026, 10, 20, 10, 0, 0).unwrap(),
                0,
                SessionStatus::Done,
                Device::Pen,
            ))
            .unwrap();
        store.add_session(&Session::new(course_id, tomorrow(hour), 0, SessionStatus::Planned, Device::Pen)).unwrap();
        courses.push((course_id, done));
    }
    let event = AdverseEvent {
        id: 0,
        session_id: courses[0].1,
        kind: "bruising".into(),
        noticed_on: chrono::NaiveDate::from_ymd_opt(2026, 10, 21).unwrap(),
        severity: 1,
        notes: String::new(),
        resolved_on: None,
        void: None,
    };
    store.add_event(&event, now().date_naive()).unwrap();
    let consent = Consent {
        course_id: courses[1].0,
        given_on: chrono::NaiveDate::from_ymd_opt(2026, 10, 1).unwrap(),
        what: "Form v3".into(),
        photos: false,
        by: String::new(),
    };
    store.record_consent(&consent).unwrap();
    let mut app = App::new(store, rules, now(), Zone::utc());
    app.overlay = None;
    press(&mut app, KeyCode::Char('D'));
    assert!(render(&app, 80, 24).contains("no bookings"), "today: none");
    press(&mut app, KeyCode::Right);
    let screen = render(&app, 120, 40);
    assert!(screen.contains("Wed 25 Nov 2026 · 2 bookings"), "{screen}");
    assert!(screen.contains("10:00  Ana Ruiz (b. 1984-03-02)") && screen.contains("no consent on record"), "{screen}");
    assert!(screen.contains("open: Bruising 1/3"), "{screen}");
    snap_both("day_sheet", &app);
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Char('a'));
    let Some(Overlay::Form { form, .. }) = &app.overlay else { panic!("a: the booking's form") };
    assert_eq!(form.title, "Mark session done");
    assert_eq!(app.current, Some(courses[1].0), "the second booking's course");

    // The morning of the day, the app opens on its sheet, on the next booking.
    let store = Store::open(&dir.path().join("practice.db")).unwrap();
    let app = App::new(store, rules, Utc.with_ymd_and_hms(2026, 11, 25, 11, 0, 0).unwrap(), Zone::utc());
    let Some(Overlay::Day(sheet)) = &app.overlay else { panic!("the day sheet opens: {:?}", app.overlay) };
    assert_eq!((sheet.bookings.len(), sheet.cursor), (2, 1), "on the 14:00 booking, still ahead");
    // Once the day's bookings are behind, it opens on the screens.
    let store = Store::open(&dir.path().join("practice.db")).unwrap();
    let app = App::new(store, rules, Utc.with_ymd_and_hms(2026, 11, 25, 15, 0, 0).unwrap(), Zone::utc());
    assert!(app.overlay.is_none(), "{:?}", app.overlay);
}

/// The records' server away: the header says so on every screen, what was shown
/// stays, and a key that would change something says why it does nothing.
#[test]
fn a_server_away_is_read_only_and_says_so() {
    let (_dir, mut app) = demo_app();
    app.away = true;
    let before = app.store.sessions(SessionFilter::default()).unwrap().len();
    press(&mut app, KeyCode::Char('a'));
    assert!(app.overlay.is_none(), "no form opens");
    snap_both("server_away", &app);
    press(&mut app, KeyCode::Char('3'));
    press(&mut app, KeyCode::Char('e'));
    assert!(app.overlay.is_none(), "nor an edit");
    assert!(render(&app, 80, 24).contains("server away: read-only"));
    assert_eq!(app.store.sessions(SessionFilter::default()).unwrap().len(), before);
}
