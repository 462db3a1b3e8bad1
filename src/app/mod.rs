//! The full-screen app's state and what keys do to it. Rendering (in `ui`) reads
//! this state and never writes; the event loop (in `terminal`) feeds it keys, the
//! mouse, the clock and changes made by other processes.

mod actions;
pub mod editors;
mod finding;
pub mod form;
pub mod input;
pub mod keys;
mod loading;
mod overlays;
pub mod photo_check;
pub mod photos;
mod small_forms;
pub mod timeline;
pub mod views;

use chrono::{DateTime, Utc};
use crossterm::event::{KeyEvent, KeyEventKind, MouseEvent, MouseEventKind};

pub use self::editors::Editor;
use self::form::Form;
pub use self::keys::{Action, Tab};
pub use self::photos::{PhotosMode, PhotosView, Strip};
use self::timeline::TimelineView;
pub use self::views::{Pane, PeopleRow, PeopleView, SessionsView};
use crate::domain::rules::Rules;
use crate::domain::time::Zone;
use crate::domain::{CourseStatus, Person, Session, SessionStatus};
use crate::store::Records;
use crate::summary::CourseSummary;

/// The day sheet's state: which day, its bookings as read, the one selected.
#[derive(Debug, Clone, PartialEq)]
pub struct DaySheet {
    pub day: chrono::NaiveDate,
    pub bookings: Vec<crate::summary::Booking>,
    pub cursor: usize,
}

/// A one-line message in the footer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flash {
    pub text: String,
    pub error: bool,
    /// Something was done (saved, written, restored): marked ✓. Other messages
    /// (a hint, a refusal) carry no mark, errors carry ✗.
    pub done: bool,
}

/// What happens when a question is answered yes.
#[derive(Debug, Clone, PartialEq)]
pub enum Confirmed {
    DeleteSession(i64),
    ToggleArchive(i64),
    CloseCourse(i64),
    /// Recall a finished course no more.
    EndRecall(i64),
    /// Add a session to a course whose sessions are all done: yes logs it as a
    /// maintenance session of that course, no extends the course to `extend_to`
    /// sessions (every one done so far counted as its own).
    LogMaintenance {
        course: i64,
        extend_to: u32,
    },
    /// Plan with a session already booked: yes opens that one to move it.
    MoveBooking(i64),
    /// Log a visit with a session booked within hours: yes marks that booking
    /// done (one visit, one session), no logs a separate session.
    LogBooking {
        booking: i64,
    },
    /// Quit although a form has unsaved input; no returns to it.
    Quit {
        back: Box<Overlay>,
    },
}

/// Something drawn over the screen that takes the keys first.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum Overlay {
    /// Every key; `first` is the first column shown when they do not all fit.
    Help {
        first: usize,
    },
    /// The day sheet (`D`): one day's bookings, one selected.
    Day(Box<DaySheet>),
    /// A session's notes, whole (`N` on Sessions), scrolled `offset` rows.
    Notes {
        session_id: i64,
        offset: u16,
    },
    /// `/`: the People or Sessions list narrowed to what is typed.
    Find {
        input: input::TextInput,
    },
    /// A client's card.
    Card(Box<views::Card>),
    Form {
        form: Form,
        editor: Editor,
    },
    /// The contraindication questions, asked before a done session is saved.
    Contraindications {
        form: Form,
        editor: Editor,
        /// What the form read, to save once the questions are answered.
        edited: Editor,
        ticked: Vec<bool>,
        cursor: usize,
    },
    Confirm {
        question: String,
        on_yes: Confirmed,
    },
    /// On a new file: whose log is it, one person's own or a practitioner's?
    WhoseFile,
    /// A planned session whose time has passed: done, moved or cancelled?
    Happened {
        session_id: i64,
        question: String,
    },
    /// The checklist of these sessions (items that apply now), one item selected.
    Checklist {
        sessions: Vec<i64>,
        cursor: usize,
        /// Opened by itself (a window opened): the screen's own keys (`a`, `d`)
        /// close it and act, rather than adding or removing items.
        popped: bool,
    },
    /// A save met changes made elsewhere to the same fields: which to keep, per field.
    Conflict {
        form: Form,
        editor: Editor,
        /// What the form would save.
        edited: Editor,
        conflicts: Vec<crate::store::FieldConflict>,
        /// Per conflict: keep what was typed here (else what was saved elsewhere).
        keep_mine: Vec<bool>,
        cursor: usize,
    },
}

pub struct App {
    pub store: Box<dyn Records>,
    pub rules: &'static Rules,
    pub now: DateTime<Utc>,
    pub zone: Zone,
    pub tab: Tab,
    pub people: Vec<std::sync::Arc<Person>>,
    /// The people who share their name with someone (worked out on reload, not
    /// while drawing): lists tell them apart.
    pub namesakes: std::collections::HashSet<i64>,
    /// Every course with where it stands at `now`.
    pub courses: Vec<CourseSummary>,
    /// Where each course is in `courses`, by id: the Due list looks up thousands.
    course_at: std::collections::HashMap<i64, usize>,
    /// The finished courses the Due list recalls, each as the lists show it
    /// (one that is also in `courses`, opened, is shown from there).
    pub recalled: Vec<views::Recalled>,
    /// Where each is in `recalled`, by id.
    recalled_at: std::collections::HashMap<i64, usize>,
    /// The course the header, Today, Timeline and Sessions are about.
    pub current: Option<i64>,
    pub sessions_view: SessionsView,
    pub people_view: PeopleView,
    pub timeline: TimelineView,
    pub overlay: Option<Overlay>,
    pub flash: Option<Flash>,
    pub quit: bool,
    /// Ctrl-Z asked to suspend: the event loop gives the terminal back and stops.
    pub suspend: bool,
    /// The window is below the smallest size drawn: keys other than quit and
    /// suspend do nothing (nothing they would act on can be seen).
    pub too_small: bool,
    /// Draw with colour (off with `NO_COLOR`).
    pub color: bool,
    /// Open a written report with the system's opener (there is a display).
    pub open_reports: bool,
    /// The edit trail of the current course's sessions, by session.
    pub session_edits: std::collections::HashMap<i64, Vec<crate::domain::Edit>>,
    /// The adverse events of the current course's sessions.
    pub session_events: Vec<crate::domain::AdverseEvent>,
    /// Whose file it is: a practitioner's never pops a checklist up by itself.
    pub kind: crate::domain::FileKind,
    /// The current course's place among its person's courses: (3, 8) is the third
    /// of eight, by start.
    pub course_place: Option<(usize, usize)>,
    /// The consent on record for the current course (a practitioner's file
    /// says when there is none).
    pub consent: Option<crate::domain::Consent>,
    /// The recovery diary of the current course's sessions.
    pub diary: Vec<crate::domain::DiaryEntry>,
    /// The folder of pictures beside the file.
    pub photo_store: crate::photos::PhotoStore,
    /// The current course's photos, in session order.
    pub photos: Vec<crate::domain::Photo>,
    /// Which of those pictures' files are in the store (by hash).
    pub photo_files: std::collections::HashSet<String>,
    pub photos_view: PhotosView,
    /// Pictures decoded for drawing (the draw needs `&mut` for their state).
    pub pictures: std::cell::RefCell<photos::Pictures>,
    /// Decodes pictures off this thread; started when first needed.
    loader: Option<crate::photos::loader::Loader>,
    /// The pictures a session form names, read off this thread (`photo_check`).
    photo_check: Option<photo_check::PhotoCheck>,
    data_version: i64,
    /// The server keeping the records does not answer: what is shown stays,
    /// and nothing can be changed until it answers again.
    pub away: bool,
    /// The calendars this user keeps current (`export --keep-current`), from the
    /// state folder; none where there is no home folder.
    pub kept: Option<crate::kept_calendar::KeptList>,
    /// The store's commit count when kept calendars were last brought up to date.
    commits_kept: u64,
    /// Only the course opened on is read yet.
    opening: bool,
}

impl App {
    /// The app with everything read: the current course, every list, the
    /// questions a new file is asked and any checklist due to pop up.
    pub fn new(store: impl Records + 'static, rules: &'static Rules, now: DateTime<Utc>, zone: Zone) -> App {
        let mut app = App::blank(Box::new(store), rules, now, zone);
        app.finish_opening();
        app
    }

    /// The app before anything is read.
    fn blank(mut store: Box<dyn Records>, rules: &'static Rules, now: DateTime<Utc>, zone: Zone) -> App {
        store.set_source("app");
        store.set_clock(now);
        // Pictures are kept beside the file (records kept elsewhere: in the
        // folder the app runs in).
        let photo_store = crate::photos::PhotoStore::of(&*store);
        let mut app = App {
            store,
            rules,
            now,
            zone,
            tab: Tab::Today,
            people: Vec::new(),
            namesakes: Default::default(),
            courses: Vec::new(),
            course_at: Default::default(),
            recalled: Vec::new(),
            recalled_at: Default::default(),
            current: None,
            sessions_view: SessionsView::default(),
            people_view: PeopleView::default(),
            timeline: TimelineView::new(now),
            overlay: None,
            flash: None,
            quit: false,
            suspend: false,
            too_small: false,
            color: true,
            open_reports: false,
            session_edits: Default::default(),
            session_events: Vec::new(),
            diary: Vec::new(),
            course_place: None,
            consent: None,
            photo_store,
            photos: Vec::new(),
            photo_files: Default::default(),
            photos_view: PhotosView::default(),
            pictures: Default::default(),
            loader: None,
            photo_check: None,
            kind: crate::domain::FileKind::Patient,
            data_version: 0,
            away: false,
            kept: crate::kept_calendar::KeptList::of_this_user(),
            commits_kept: 0,
            opening: false,
        };
        app.commits_kept = app.store.commits();
        app
    }

    /// A person's name as lists show it: told apart (`Ana Ruiz (b. 1984-03-02)`,
    /// `Ana Ruiz (#7)`) when someone else has the same name.
    pub fn shown_name(&self, person: &Person) -> String {
        person.told_apart(self.namesakes.contains(&person.id))
    }

    /// Selects the latest event of the timeline that has started and puts now in
    /// the middle.
    pub fn focus_timeline_on_now(&mut self) {
        let events = self.timeline_events();
        self.timeline.selected =
            events.iter().position(|e| e.from > self.now).unwrap_or(events.len()).saturating_sub(1);
        self.timeline.center = self.now;
    }

    /// Moves the timeline selection by `delta` events and brings it into view.
    fn select_event(&mut self, delta: i64) {
        self.move_selection(delta);
        if let Some(e) = self.timeline_events().get(self.timeline.selected) {
            self.timeline.center = e.from;
        }
    }

    /// Person `id`, as held in the lists.
    pub fn person(&self, id: i64) -> Option<&Person> {
        self.people.iter().find(|p| p.id == id).map(|p| p.as_ref())
    }

    pub fn current_summary(&self) -> Option<&CourseSummary> {
        self.current.and_then(|id| self.summary(id))
    }

    /// The Sessions screen's rows: the current course's sessions, newest first, or
    /// while finding those that match, best first.
    pub fn sessions(&self) -> Vec<&Session> {
        let all: Vec<&Session> = self.current_summary().map(|s| s.sessions.iter().rev().collect()).unwrap_or_default();
        if self.sessions_view.filter.trim().is_empty() {
            return all;
        }
        let text = |s: &Session| {
            let opt = |v: &Option<String>| v.clone().unwrap_or_default();
            format!(
                "{} {} {} {} {} {} {} {} {}",
                crate::text::when(s.at, &self.zone),
                s.status,
                s.notes,
                opt(&s.serum),
                opt(&s.lot),
                opt(&s.provider),
                opt(&s.numbing),
                s.reaction.map(|r| r.to_string()).unwrap_or_default(),
                s.depths().iter().map(|d| d.area.as_str()).collect::<Vec<_>>().join(" ")
            )
        };
        crate::find::rank(&self.sessions_view.filter, all.into_iter().map(|s| (s, text(s))))
    }

    /// The current course's events in time order.
    pub fn timeline_events(&self) -> Vec<crate::domain::timeline::Event> {
        self.current_summary()
            .map(|s| {
                let mut events =
                    crate::domain::timeline::events(&s.course, &s.sessions, &s.state, self.rules, self.now, &self.zone);
                events.extend(crate::domain::timeline::diary_events(&self.diary, &s.sessions, &self.zone));
                events.sort_by_key(|e| (e.from, e.to));
                events
            })
            .unwrap_or_default()
    }

    /// The course a session belongs to.
    pub fn course_of_session(&self, session_id: i64) -> Option<i64> {
        self.courses.iter().find(|c| c.sessions.iter().any(|s| s.id == session_id)).map(|c| c.course.id)
    }

    pub fn selected_session(&self) -> Option<&Session> {
        self.sessions().get(self.sessions_view.selected).copied()
    }

    /// The Due list's entries with their courses, grouped as shown.
    pub fn due_list(&self) -> Vec<(&crate::summary::Recall, views::CourseLine<'_>)> {
        self.people_view.due.iter().filter_map(|r| Some((r, self.course_line(r.course_id)?))).collect()
    }

    /// What the People lists show of course `id`: loaded with where it stands,
    /// or one of the finished ones the Due list recalls.
    pub fn course_line(&self, id: i64) -> Option<views::CourseLine<'_>> {
        // By id only: the Due list asks this of each entry it draws.
        let loaded = self.course_at.get(&id).and_then(|&i| self.courses.get(i)).filter(|c| c.course.id == id);
        let recalled =
            self.recalled_at.get(&id).and_then(|&i| self.recalled.get(i)).filter(|r| r.recall.course_id == id);
        if let (None, Some(r)) = (loaded, recalled) {
            return Some(views::CourseLine {
                person: &r.person,
                concern: &r.concern,
                areas: &r.areas,
                status: CourseStatus::Completed,
                state: None,
                phase: &r.phase,
                done: r.done,
            });
        }
        let c = loaded.or_else(|| self.summary(id))?;
        Some(views::CourseLine {
            person: &c.person,
            concern: &c.course.concern,
            areas: &c.course.areas,
            status: c.course.status,
            state: Some(&c.state),
            phase: &c.state.phase,
            done: (c.state.sessions_done, c.state.sessions_target),
        })
    }

    /// The loaded summary of a course.
    pub fn summary(&self, course_id: i64) -> Option<&CourseSummary> {
        match self.course_at.get(&course_id).and_then(|&i| self.courses.get(i)) {
            Some(c) if c.course.id == course_id => Some(c),
            _ => self.courses.iter().find(|c| c.course.id == course_id),
        }
    }

    fn say(&mut self, text: impl Into<String>) {
        self.flash = Some(Flash { text: text.into(), error: false, done: false });
    }

    /// Says that something was done (saved, written, restored).
    fn done(&mut self, text: impl Into<String>) {
        self.flash = Some(Flash { text: text.into(), error: false, done: true });
    }

    fn fail(&mut self, text: impl Into<String>) {
        self.flash = Some(Flash { text: text.into(), error: true, done: false });
    }

    /// One key press: the overlay takes it first, else the screen's key table.
    pub fn handle_key(&mut self, key: KeyEvent) {
        if key.kind == KeyEventKind::Release {
            return;
        }
        if keys::SUSPEND.matches(&key) {
            self.suspend = true;
            return;
        }
        if self.too_small {
            // q or Ctrl-C quits, unless a form holds typed work (the question
            // that would guard it cannot be seen): the window must grow first.
            let quit = matches!(keys::action_for(Tab::Today, key), Some(Action::Quit));
            let unsaved = match &self.overlay {
                Some(Overlay::Form { form, .. }) => form.dirty,
                Some(Overlay::Contraindications { .. } | Overlay::Conflict { .. }) => true,
                _ => false,
            };
            if quit && !unsaved {
                self.quit = true;
            }
            return;
        }
        if let Some(overlay) = self.overlay.take() {
            self.overlay = self.handle_overlay(overlay, key);
        } else {
            self.flash = None;
            match keys::action_for(self.tab, key) {
                Some(action) if self.away && action.writes() => {
                    self.fail("The server does not answer: read-only until it does");
                }
                Some(action) => self.act(action),
                None => {}
            }
        }
        self.want_pictures();
        // Logging a session opens its post-care window: show it right away.
        self.pop_checklist();
        self.keep_calendars_current();
    }

    /// After a save, rewrites the calendars kept current (`export --keep-current`);
    /// a file that cannot be written is a warning, never a failed save.
    fn keep_calendars_current(&mut self) {
        if self.store.commits() == self.commits_kept {
            return;
        }
        self.commits_kept = self.store.commits();
        let Some(list) = &self.kept else { return };
        if let Some(first) = crate::kept_calendar::refresh(&*self.store, list, self.rules, self.now, &self.zone).first()
        {
            let saved = self.flash.as_ref().filter(|f| !f.error).map(|f| format!("{} · ", f.text)).unwrap_or_default();
            self.fail(format!("{saved}{first}"));
        }
    }

    /// Pasted text goes into the focused field of an open form, as text: never as
    /// keys, so a pasted line break or letter runs no command.
    pub fn handle_paste(&mut self, text: &str) {
        match &mut self.overlay {
            Some(Overlay::Form { form, editor }) => {
                let (event, cut) = form.paste(text);
                if let form::FormEvent::Changed(field) = event {
                    editor.changed(form, field, self.rules);
                }
                if let Some((dropped, limit)) = cut {
                    self.fail(format!("Pasted {dropped} characters too many: the field holds {limit}"));
                }
            }
            Some(Overlay::Find { input }) => {
                input.paste(text);
                let query = input.value().to_string();
                match self.tab {
                    Tab::Sessions => self.sessions_view.filter = query,
                    _ => {
                        self.people_view.filter = query;
                        self.people_view.rebuild_rows();
                        self.people_view.selected = 0;
                    }
                }
            }
            Some(_) => {}
            None => self.say("Paste into a form: open one first (a, e, p or n)"),
        }
    }

    /// The active checklist entries of these sessions, in their courses' order.
    pub fn checklist_entries(&self, sessions: &[i64]) -> Vec<&crate::summary::ChecklistEntry> {
        self.courses.iter().flat_map(|c| c.checklist.iter()).filter(|e| sessions.contains(&e.session_id)).collect()
    }

    /// Opens the checklist of a session of the current person whose items apply
    /// now and have been neither ticked nor shown, if there is one and nothing else
    /// is open.
    pub fn pop_checklist(&mut self) {
        // A practitioner's Today lists the client's aftercare; nothing pops up.
        if self.overlay.is_some() || self.kind == crate::domain::FileKind::Practitioner {
            return;
        }
        let Some(person) = self.current_summary().map(|c| c.person.id) else { return };
        // Everything that opened for this person, in one pop-up (grouped by session).
        let due: Vec<i64> = self
            .courses
            .iter()
            .filter(|c| c.person.id == person && c.course.status == CourseStatus::Active)
            .flat_map(|c| c.sessions_to_pop())
            .collect();
        if !due.is_empty() {
            self.overlay = Some(Overlay::Checklist { sessions: due, cursor: 0, popped: true });
        }
    }

    /// `c`: the current course's checklist, whatever has been ticked or seen.
    fn open_checklist(&mut self) {
        let Some(summary) = self.current_summary() else {
            self.say("No course yet: press n to start one");
            return;
        };
        let mut sessions: Vec<i64> = Vec::new();
        for e in &summary.checklist {
            if !sessions.contains(&e.session_id) {
                sessions.push(e.session_id);
            }
        }
        if sessions.is_empty() {
            let next = summary
                .state
                .pre_care
                .map(|starts| format!("; pre-care starts {}", crate::text::when_short(starts.core, &self.zone)));
            self.say(format!("Nothing on the checklist right now{}", next.unwrap_or_default()));
            return;
        }
        self.overlay = Some(Overlay::Checklist { sessions, cursor: 0, popped: false });
    }

    /// Scrolling moves the selection; a click on the tab bar changes screen.
    pub fn handle_mouse(&mut self, mouse: MouseEvent) {
        if self.overlay.is_some() {
            return;
        }
        match mouse.kind {
            MouseEventKind::ScrollUp => self.act(Action::Up),
            MouseEventKind::ScrollDown => self.act(Action::Down),
            MouseEventKind::Down(_) if mouse.row == keys::TAB_ROW => {
                if let Some(tab) = keys::tab_at(mouse.column) {
                    self.tab = tab;
                }
            }
            _ => {}
        }
        self.want_pictures();
    }

    pub fn act(&mut self, action: Action) {
        match action {
            Action::Quit => self.quit = true,
            Action::Suspend => self.suspend = true,
            Action::Help => self.overlay = Some(Overlay::Help { first: 0 }),
            Action::NextTab => self.tab = Tab::ALL[(self.tab.index() + 1) % Tab::ALL.len()],
            Action::PrevTab => self.tab = Tab::ALL[(self.tab.index() + Tab::ALL.len() - 1) % Tab::ALL.len()],
            Action::GoTo(tab) => self.tab = tab,
            Action::Up => self.move_selection(-1),
            Action::Down => self.move_selection(1),
            Action::PageUp => self.move_selection(-10),
            Action::PageDown => self.move_selection(10),
            Action::Top => self.move_selection(i64::MIN / 2),
            Action::Bottom => self.move_selection(i64::MAX / 2),
            Action::NewCourse => self.open_new_course(),
            Action::AddSession => self.open_new_session(SessionStatus::Done),
            Action::Plan => self.open_new_session(SessionStatus::Planned),
            Action::RateResults => self.open_rating(),
            Action::Report => self.write_report(),
            Action::Find => self.open_find(),
            Action::AdverseEvent => self.open_event(),
            Action::CorrectEvent => self.open_event_correction(),
            Action::AddCoursePhotos => match self.current {
                Some(course_id) => {
                    let form = editors::course_photos_form();
                    self.overlay =
                        Some(Overlay::Form { form, editor: Editor::CoursePhotos { course_id, photos: Vec::new() } });
                }
                None => self.say("No course yet: press n to start one"),
            },
            Action::DaySheet => {
                let today = crate::domain::time::local_date(self.now, &self.zone);
                self.overlay = self.day_sheet(today, None).map(|sheet| Overlay::Day(Box::new(sheet)));
            }
            Action::Notes => match self.selected_session() {
                Some(s) if !s.notes.trim().is_empty() => {
                    self.overlay = Some(Overlay::Notes { session_id: s.id, offset: 0 });
                }
                Some(_) => self.say("This session has no notes: e adds some"),
                None => self.say("No session selected"),
            },
            Action::Edit => self.open_edit(),
            Action::Delete => self.ask_delete(),
            Action::Undo => self.undo_delete(),
            Action::MarkDone => self.open_mark_done(),
            Action::Happened => self.ask_happened(),
            Action::Diary => self.open_diary(),
            Action::AddPerson => self.open_person(None),
            Action::Select => self.select_from_people(),
            Action::ArchiveOrComplete => self.ask_archive(),
            Action::SnoozeRecall => self.snooze_recall(),
            Action::FocusPeople => self.people_view.pane = Pane::People,
            Action::FocusDue => self.people_view.pane = Pane::Due,
            Action::Checklist => self.open_checklist(),
            Action::ZoomIn => self.timeline.zoom = self.timeline.zoom.zoom_in(),
            Action::ZoomOut => self.timeline.zoom = self.timeline.zoom.zoom_out(),
            Action::ScrollBack => self.timeline.center -= self.timeline.step(),
            Action::ScrollForward => self.timeline.center += self.timeline.step(),
            Action::PageBack => self.timeline.center -= self.timeline.page(),
            Action::PageForward => self.timeline.center += self.timeline.page(),
            Action::JumpToNow => self.focus_timeline_on_now(),
            Action::PrevEvent => self.select_event(-1),
            Action::NextEvent => self.select_event(1),
            Action::PrevPhoto => self.move_photo(-1),
            Action::NextPhoto => self.move_photo(1),
            Action::ShowPhoto => self.show_photo(),
            Action::PickPhoto => self.pick_photo(),
            Action::ComparePhotos => self.compare_photos(),
            Action::PhotosBack => self.photos_back(),
        }
    }

    /// Moves the selection of the screen in front by `delta` rows.
    pub(super) fn move_selection(&mut self, delta: i64) {
        match self.tab {
            Tab::Sessions => {
                let len = self.sessions().len();
                self.sessions_view.selected = views::moved(self.sessions_view.selected, delta, len);
            }
            Tab::People => self.people_view.move_by(delta),
            Tab::Timeline => {
                let len = self.timeline_events().len();
                self.timeline.selected = views::moved(self.timeline.selected, delta, len);
            }
            Tab::Photos => {
                if delta.abs() == 1 {
                    self.move_photo_session(delta);
                } else {
                    self.move_photo(delta);
                }
            }
            Tab::Today => {}
        }
    }
}
