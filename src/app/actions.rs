//! What the screen keys do: open forms and questions, save what they produce,
//! delete and undo, pick the current course. `mod.rs` maps an action to these.

use super::editors::{self, Editor};
use super::{App, Confirmed, Overlay, Pane, PeopleRow, Tab};
use crate::domain::time::offset_seconds;
use crate::domain::windows::default_plan_time;
use crate::domain::{CourseStatus, Person, Session, SessionStatus};
use crate::store::{CourseFilter, Settle, StoreError};

/// `z` puts a recall off this long.
const SNOOZE_DAYS: u64 = 28;

impl App {
    /// The person a new course is for: the one selected on People, else the current
    /// course's, else "Me" or the first.
    pub(super) fn person_for_new_course(&self) -> Option<i64> {
        if self.tab == Tab::People {
            match self.people_view.focused_row() {
                Some(PeopleRow::Person(id)) => return Some(id),
                Some(PeopleRow::Course(id)) => return self.course_line(id).map(|c| c.person.id),
                None => {}
            }
        }
        self.current_summary()
            .map(|c| c.person.id)
            .or_else(|| self.people.iter().find(|p| p.is_me() && !p.archived).map(|p| p.id))
            .or_else(|| self.people.first().map(|p| p.id))
    }

    pub(super) fn open_new_course(&mut self) {
        let Some(person_id) = self.person_for_new_course() else {
            self.open_person(None);
            return;
        };
        let Some(mut course) = editors::blank_course(person_id, self.rules, self.now, &self.zone) else {
            return self.fail("No concern to start a course with: the rules list none");
        };
        // The person's last course offers its areas.
        let previous = self.store.courses(CourseFilter { person_id: Some(person_id), ..Default::default() });
        if let Some(last) = previous.ok().and_then(|courses| courses.into_iter().max_by_key(|c| (c.started_on, c.id))) {
            course.areas = last.areas;
        }
        let mut form = editors::new_course_form("New course", &course, &self.people, self.rules, self.kind);
        // One's skin type, asked once with the first course (skippable): its
        // cautions need it.
        if self.kind == crate::domain::FileKind::Patient
            && self.people.iter().any(|p| p.id == person_id && p.skin_type.is_none())
        {
            form.fields.push(editors::skin_type_field(self.rules));
        }
        // The areas are the one thing with no default (a previous course's are offered).
        form.focus_on("areas");
        self.overlay = Some(Overlay::Form { form, editor: Editor::course(course, false) });
    }

    pub(super) fn open_person(&mut self, person: Option<Person>) {
        let (title, editor) = match person {
            Some(p) => ("Edit person", Editor::person(p, true)),
            None => {
                let blank = Person {
                    id: 0,
                    name: String::new(),
                    skin_type: None,
                    notes: String::new(),
                    archived: false,
                    born_on: None,
                    contact: String::new(),
                    revision: 0,
                };
                ("New person", Editor::person(blank, false))
            }
        };
        let Editor::Person { person, .. } = &editor else { return };
        let form = editors::person_form(title, person);
        self.overlay = Some(Overlay::Form { form, editor });
    }

    pub(super) fn open_new_session(&mut self, status: SessionStatus) {
        let Some(summary) = self.current_summary() else {
            self.fail("No course yet: start one first (n)");
            self.open_new_course();
            return;
        };
        let course = summary.course.clone();
        // One booking per window: planning again offers to move the one booked.
        if let (SessionStatus::Planned, Some((booked, at))) = (status, summary.state.next_planned) {
            self.overlay = Some(Overlay::Confirm {
                question: format!(
                    "A session is booked already for {}. y: move it · n: keep it",
                    crate::text::when(at, &self.zone)
                ),
                on_yes: Confirmed::MoveBooking(booked),
            });
            return;
        }
        // Past the course's own sessions a session is maintenance, in the same
        // course: its results day stays. Or the course grows to count it.
        if status == SessionStatus::Done && summary.state.sessions_left == 0 && summary.state.sessions_done > 0 {
            let n = summary.state.sessions_target;
            let all = n + summary.state.maintenance_done;
            self.overlay = Some(Overlay::Confirm {
                question: format!(
                    "All {n} sessions of this course are done. y: log a maintenance session (the results day stays) · n: extend the course to {} · Esc: neither",
                    all + 1
                ),
                on_yes: Confirmed::LogMaintenance { course: course.id, extend_to: all + 1 },
            });
            return;
        }
        // One visit, one session: a booking within hours of now is what this logs.
        if status == SessionStatus::Done
            && let Some(booking) = crate::domain::entry::booking_for(self.now, &summary.sessions)
        {
            let when = crate::text::relative(booking.at, self.now, &self.zone);
            self.overlay = Some(Overlay::Confirm {
                question: format!("Is this the visit booked for {when}? y: mark it done · n: a separate session"),
                on_yes: Confirmed::LogBooking { booking: booking.id },
            });
            return;
        }
        self.open_session_form(status);
    }

    /// `a` past the booking question: a new session's form.
    pub(super) fn open_log_form(&mut self) {
        self.open_session_form(SessionStatus::Done);
    }

    /// The form of a new session of the current course, filled from the last one.
    pub(super) fn open_session_form(&mut self, status: SessionStatus) {
        let Some(summary) = self.current_summary() else { return };
        let course = summary.course.clone();
        let at = match status {
            SessionStatus::Planned => default_plan_time(&summary.state, self.now, &self.zone)
                // The first one: tomorrow at ten, not at this minute of the night.
                .unwrap_or_else(|| {
                    let tomorrow = crate::domain::time::local_date(self.now, &self.zone) + chrono::Days::new(1);
                    let ten = chrono::NaiveTime::from_hms_opt(10, 0, 0).unwrap_or_default();
                    crate::domain::time::resolve_local_lenient(tomorrow.and_time(ten), &self.zone)
                }),
            _ => self.now,
        };
        let mut base = Session::new(course.id, at, offset_seconds(at, &self.zone), status, course.device);
        // Start from what was used last time: depth, passes, products, provider.
        if let Some(last) = summary.sessions.iter().rev().find(|s| s.is_done()) {
            base.device = last.device;
            crate::domain::entry::fill_from_last(&mut base, last);
        }
        // Once the course's own sessions are done, the next is maintenance: said so.
        let maintenance = summary.state.sessions_left == 0 && summary.state.sessions_done > 0;
        let title = match (status, maintenance) {
            (SessionStatus::Planned, false) => "Plan the next session",
            (SessionStatus::Planned, true) => "Plan a maintenance session",
            (_, false) => "Log a session",
            (_, true) => "Log a maintenance session",
        };
        let mut form = editors::session_form(title, &base, &course, &self.zone);
        form.note = self.client_note(course.id);
        self.overlay = Some(Overlay::Form {
            form,
            editor: Editor::Session { session: base, course, stored: None, photos: Vec::new() },
        });
    }

    /// What to keep in mind while logging for the person of course `course_id`:
    /// their notes (allergies, medication) and the cautions for their skin type.
    pub(super) fn client_note(&self, course_id: i64) -> Option<String> {
        let person = &self.summary(course_id)?.person;
        let mut parts = Vec::new();
        if !person.notes.trim().is_empty() {
            parts.push(format!("{}: {}", person.name, crate::text::abbreviate(&person.notes, 120)));
        }
        parts.extend(crate::domain::depth::skin_note(person.skin_type, self.rules).into_iter().take(1));
        // On a practitioner's file: a treatment logged without consent on record is said.
        if self.kind == crate::domain::FileKind::Practitioner
            && self.store.consents_of(&[course_id]).is_ok_and(|c| c.is_empty())
        {
            parts.push("no consent on record for this course (c on the client's card)".into());
        }
        (!parts.is_empty()).then(|| parts.join(" · "))
    }

    /// The skin-type cautions a session just read applies to, for the saved message.
    pub(super) fn caution_for(&self, edited: &Editor) -> Option<String> {
        let Editor::Session { session, course, .. } = edited else { return None };
        let person = &self.summary(course.id)?.person;
        crate::domain::depth::cautions(person.skin_type, session.depths(), session.device, self.rules)
            .into_iter()
            .next()
    }

    /// Opens a stored session's form: read afresh from the file (depths included),
    /// shown with `change` applied.
    pub(super) fn open_session(&mut self, id: i64, title: &str, change: impl FnOnce(&mut Session)) {
        let Some(course) = self.current_summary().map(|s| s.course.clone()) else {
            return;
        };
        let stored = match self.store.session(id) {
            Ok(stored) => stored,
            Err(e) => return self.fail(e.to_string()),
        };
        let editor = Editor::session(stored, course, change);
        let Editor::Session { session, course, .. } = &editor else { return };
        let mut form = editors::session_form(title, session, course, &self.zone);
        form.note = self.client_note(course.id);
        self.overlay = Some(Overlay::Form { form, editor });
    }

    pub(super) fn open_edit(&mut self) {
        match self.tab {
            Tab::Sessions => match self.selected_session().map(|s| s.id) {
                Some(id) => self.open_session(id, "Edit session", |_| {}),
                None => self.say("No session to edit: press a to add one"),
            },
            Tab::People => match self.people_view.focused_row() {
                Some(PeopleRow::Person(id)) => {
                    let person = self.person(id).cloned();
                    self.open_person(person);
                }
                Some(PeopleRow::Course(id)) => {
                    // A finished course the Due list recalls is read when edited.
                    let course = match self.summary(id) {
                        Some(c) => c.course.clone(),
                        None => match self.store.course(id) {
                            Ok(course) => course,
                            Err(e) => return self.fail(e.to_string()),
                        },
                    };
                    let form = editors::course_form("Edit course", &course, &self.people, self.rules);
                    self.overlay = Some(Overlay::Form { form, editor: Editor::course(course, true) });
                }
                None => {}
            },
            _ => {}
        }
    }

    pub(super) fn open_mark_done(&mut self) {
        match self.selected_session().map(|s| (s.id, s.is_planned())) {
            Some((id, true)) => self.mark_done(id),
            Some(_) => self.say("Only a planned session can be marked done"),
            None => self.say("No session selected"),
        }
    }

    /// The form that marks planned session `id` done (its screening follows on save).
    pub(super) fn mark_done(&mut self, id: i64) {
        let now = self.now;
        // What was used last time fills what the plan left empty, as `a` does.
        let last = self.current_summary().and_then(|c| c.sessions.iter().rev().find(|s| s.is_done()).cloned());
        self.open_session(id, "Mark session done", |s| {
            if s.at > now {
                s.at = now;
            }
            s.status = SessionStatus::Done;
            if let Some(last) = last {
                crate::domain::entry::fill_from_last(s, &last);
            }
        });
    }

    /// `h` on Today: the oldest planned session whose time has passed, asked about.
    pub(super) fn ask_happened(&mut self) {
        let Some(s) = self.current_summary() else { return self.say("No course yet: press n to start one") };
        let Some(&(id, at)) = s.state.unresolved.first() else {
            return self.say("No planned session has passed: nothing to answer");
        };
        let place = s.session_place(id).replacen("session", "Session", 1);
        let question = format!("{place} was planned for {}. Did it happen?", crate::text::when(at, &self.zone));
        self.overlay = Some(Overlay::Happened { session_id: id, question });
    }

    /// `d` on Today: today's page of the last done session's recovery diary.
    pub(super) fn open_diary(&mut self) {
        let Some(s) = self.current_summary() else { return self.say("No course yet: press n to start one") };
        let Some(last) = s.sessions.iter().filter(|x| x.is_done() && x.at <= self.now).max_by_key(|x| x.at) else {
            return self.say("The diary follows a done session: a logs one");
        };
        let zone = &self.zone;
        let days = (crate::domain::time::local_date(self.now, zone) - crate::domain::time::local_date(last.at, zone))
            .num_days();
        let day = u32::try_from(days).unwrap_or(0);
        let (id, place) = (last.id, s.session_place(last.id));
        let noted = match self.store.diary_of(&[id]) {
            Ok(diary) => diary.into_iter().find(|e| e.day == day),
            Err(e) => return self.fail(e.to_string()),
        };
        let (form, editor) = editors::diary_form(id, &place, day, noted.as_ref());
        self.overlay = Some(Overlay::Form { form, editor });
    }

    /// A planned session that passed did not happen: it is kept, as cancelled.
    pub(super) fn cancel_planned(&mut self, id: i64) {
        let label = self.current_summary().map_or_else(|| format!("session #{id}"), |s| s.session_place(id));
        let stored = match self.store.session(id) {
            Ok(stored) => stored,
            Err(e) => return self.fail(e.to_string()),
        };
        let mut session = stored.clone();
        session.status = SessionStatus::Cancelled;
        match self.store.save_session_edit(&stored, &session, &Settle::default()) {
            Ok(_) => {
                self.reload();
                self.done(format!("Kept {label} as cancelled: p plans the next one"));
            }
            Err(e) => self.fail(e.to_string()),
        }
    }

    pub(super) fn ask_delete(&mut self) {
        let Some(s) = self.selected_session() else {
            self.say("No session to delete");
            return;
        };
        match s.status {
            SessionStatus::Voided => return self.say("This session is voided already: u brings it back"),
            // A treatment that happened is voided, not deleted: why is asked.
            SessionStatus::Done => {
                let required = self.kind == crate::domain::FileKind::Practitioner;
                let title = format!("Void the session of {}", crate::text::when(s.at, &self.zone));
                let hint = if required { "what the record keeps" } else { "what the record keeps (may be empty)" };
                let form = super::form::Form::new(&title, vec![super::form::Field::text("reason", "Why", "", hint)]);
                let editor = Editor::Void { session_id: s.id, reason: String::new(), required };
                self.overlay = Some(Overlay::Form { form, editor });
                return;
            }
            SessionStatus::Planned | SessionStatus::Cancelled => {}
        }
        let question =
            format!("Delete the {} session of {}? (u undoes it)", s.status, crate::text::when(s.at, &self.zone));
        self.overlay = Some(Overlay::Confirm { question, on_yes: Confirmed::DeleteSession(s.id) });
    }

    /// `r` on Today: the course's final rating, from results day on.
    pub(super) fn open_rating(&mut self) {
        let Some(s) = self.current_summary() else { return self.say("No course yet: press n to start one") };
        let due = s.state.final_results.is_some_and(|d| d <= s.state.today)
            && s.state.results_basis == crate::domain::windows::ResultsBasis::Done;
        if !due {
            let when = s.state.final_results.map_or("after the last session".to_string(), crate::text::day);
            return self.say(format!("The results are judged on {when}: rate them then"));
        }
        let course = s.course.clone();
        let form = editors::rating_form(&course);
        self.overlay = Some(Overlay::Form { form, editor: Editor::FinalRating { stored: course.clone(), course } });
    }

    /// `R`: the current course's one-page report, written (0600) into `reports/`
    /// beside the database, then opened where there is a display.
    pub(super) fn write_report(&mut self) {
        let Some(id) = self.current else { return self.say("No course yet: press n to start one") };
        let report = match crate::report::gather(&*self.store, id, self.rules, self.now, &self.zone) {
            Ok(report) => report,
            Err(e) => return self.fail(e.to_string()),
        };
        // Beside the file; for records on a server, in this laptop's data folder.
        let folder = match self.store.file() {
            Some(file) => file.path().parent().unwrap_or(std::path::Path::new(".")).join("reports"),
            None => match directories::ProjectDirs::from("", "", "needlelog") {
                Some(dirs) => dirs.data_dir().join("reports"),
                None => return self.fail("No data folder to write the report in (is HOME set?)"),
            },
        };
        let day = crate::domain::time::local_date(self.now, &self.zone);
        let path = folder.join(format!("course-{id}-{day}.html"));
        let written = crate::private_file::folder(&folder)
            .and_then(|()| crate::private_file::write(&path, crate::report::html::page(&report).as_bytes()));
        let shown = crate::text::printable(&path.display().to_string());
        if let Err(e) = written {
            return self.fail(format!("The report was not written to {shown}: {e}"));
        }
        if self.open_reports && open_with_system(&path) {
            self.done(format!("Report written and opened: {shown}"));
        } else {
            self.done(format!("Report written: {shown}"));
        }
    }

    /// `V` on Sessions: correct (or void) the selected session's latest event.
    pub(super) fn open_event_correction(&mut self) {
        let Some(s) = self.selected_session() else { return self.say("No session selected") };
        let latest = self.session_events.iter().rfind(|e| e.session_id == s.id && e.void.is_none());
        let Some(event) = latest.cloned() else { return self.say("No adverse event on this session: v records one") };
        let (form, editor) = editors::event_edit_form(&event, self.rules);
        self.overlay = Some(Overlay::Form { form, editor });
    }

    /// `v` on Sessions: record an adverse event against the selected session.
    pub(super) fn open_event(&mut self) {
        let Some(s) = self.selected_session() else { return self.say("No session selected") };
        if !s.is_done() {
            return self.say("Adverse events belong to a session that was done");
        }
        let today = crate::domain::time::local_date(self.now, &self.zone);
        let (form, editor) = editors::event_form(s.id, today, self.rules);
        self.overlay = Some(Overlay::Form { form, editor });
    }

    /// `u`: the session deleted or voided last comes back, even after a restart.
    pub(super) fn undo_delete(&mut self) {
        let newest = match self.store.trash() {
            Ok(items) => items.into_iter().find(|t| t.kind == "session" || t.kind == "void"),
            Err(e) => return self.fail(e.to_string()),
        };
        let Some(item) = newest else {
            self.say("Nothing to undo: the trash is empty");
            return;
        };
        match self.store.restore_from_trash(item.id) {
            Ok(item) => {
                self.current = Some(item.course_id);
                self.reload();
                self.done(format!("Restored the session of {}", crate::text::when(item.at, &self.zone)));
            }
            Err(e) => self.fail(e.to_string()),
        }
    }

    pub(super) fn select_from_people(&mut self) {
        if self.select_person_row() {
            return;
        }
        if self.people_view.pane == Pane::Due {
            if let Some(id) = self.people_view.selected_due() {
                self.open_course(id);
            }
            return;
        }
        match self.people_view.selected_row() {
            Some(PeopleRow::Course(id)) => self.open_course(id),
            Some(PeopleRow::Person(person)) => {
                // Their active course, else the latest one (loaded on demand).
                let active =
                    self.courses.iter().find(|c| c.person.id == person && c.course.status == CourseStatus::Active);
                let latest = || self.store.courses(CourseFilter { person_id: Some(person), ..Default::default() });
                match active.map(|c| c.course.id) {
                    Some(id) => self.make_current(id),
                    None => match latest() {
                        Ok(list) if !list.is_empty() => {
                            self.current = Some(list[0].id);
                            self.reload();
                            self.make_current(list[0].id);
                        }
                        Ok(_) => self.say("No course for this person yet: press n to start one"),
                        Err(e) => self.fail(e.to_string()),
                    },
                }
            }
            None => {}
        }
    }

    pub(super) fn make_current(&mut self, course_id: i64) {
        self.current = Some(course_id);
        self.load_current_details();
        self.sessions_view.selected = 0;
        self.focus_timeline_on_now();
        self.tab = Tab::Today;
        if let Some(s) = self.current_summary() {
            let title = s.title(self.rules);
            self.say(format!("Now showing {title}"));
        }
    }

    pub(super) fn ask_archive(&mut self) {
        // On the Due list, x ends the course's recall — as `course recall --done`
        // does — and nothing else: a running course stays running.
        if self.people_view.pane == Pane::Due
            && let Some(id) = self.people_view.selected_due()
            && let Some(c) = self.course_line(id)
        {
            let title = c.title(self.rules);
            let question = match c.status {
                CourseStatus::Completed => {
                    format!("Recall {title} no more? (a later course of it ends a recall too)")
                }
                _ => format!(
                    "Leave {title} out of the Due list? It stays open with {} of {} done; nothing is marked complete",
                    c.done.0, c.done.1
                ),
            };
            self.overlay = Some(Overlay::Confirm { question, on_yes: Confirmed::EndRecall(id) });
            return;
        }
        match self.people_view.focused_row() {
            Some(PeopleRow::Person(id)) => {
                let Some(p) = self.person(id) else { return };
                let verb = if p.archived { "Bring back" } else { "Archive" };
                let question = format!("{verb} {}? (their records are kept)", p.name);
                self.overlay = Some(Overlay::Confirm { question, on_yes: Confirmed::ToggleArchive(id) });
            }
            Some(PeopleRow::Course(id)) => {
                let Some(c) = self.course_line(id) else {
                    return;
                };
                if c.status == CourseStatus::Completed {
                    self.say("This course is already complete");
                    return;
                }
                let question = format!("Mark {} complete?", c.title(self.rules));
                self.overlay = Some(Overlay::Confirm { question, on_yes: Confirmed::CloseCourse(id) });
            }
            None => {}
        }
    }

    /// `z` on the Due list: the selected recall comes back in four weeks.
    pub(super) fn snooze_recall(&mut self) {
        let Some(id) = self.people_view.selected_due().filter(|_| self.people_view.pane == Pane::Due) else {
            return self.say("z puts off a recall: → goes to the Due list");
        };
        let until = crate::domain::time::local_date(self.now, &self.zone) + chrono::Days::new(SNOOZE_DAYS);
        match self.store.snooze_recall(id, until) {
            Ok(()) => {
                self.reload();
                self.done(format!("Put off until {}", crate::text::day(until)));
            }
            Err(e) => self.fail(e.to_string()),
        }
    }

    /// Saves what a form read: adds a new record, or writes what changed since the
    /// form opened. Returns the store's refusal for the form to show.
    pub(super) fn save(&mut self, edited: &Editor, settle: &Settle) -> Result<(), StoreError> {
        let mut new_person = None;
        let mut saved_session = None;
        match edited {
            Editor::Session { session, stored: None, photos, .. } => {
                // The pictures go into the store first: a record never names a missing file.
                crate::photos::keep(&self.photo_store, photos).map_err(|e| StoreError::Invalid(e.to_string()))?;
                let records: Vec<_> = photos.iter().map(crate::photos::Pending::record).collect();
                saved_session = Some(self.store.add_session_with_photos(session, &records)?.0)
            }
            Editor::Session { session, stored: Some(stored), photos, .. } => {
                self.store.save_session_edit(stored, session, settle).map(drop)?;
                if !photos.is_empty() {
                    crate::photos::attach(
                        &mut *self.store,
                        &self.photo_store,
                        crate::domain::PhotoOf::Session(session.id),
                        photos,
                    )
                    .map_err(StoreError::Invalid)?;
                }
            }
            Editor::Course { course, stored: None, consent, skin } => {
                let id = self.store.add_course(course)?;
                self.current = Some(id);
                if let Some(consent) = consent {
                    self.store.record_consent(&crate::domain::Consent { course_id: id, ..consent.clone() })?;
                }
                if let (Some(skin), Ok(person)) = (skin, self.store.person(course.person_id)) {
                    let told = Person { skin_type: Some(*skin), ..person.clone() };
                    self.store.save_person_edit(&person, &told, settle)?;
                }
            }
            Editor::Course { course, stored: Some(stored), .. } => {
                self.store.save_course_edit(stored, course, settle).map(drop)?
            }
            Editor::Person { person, stored: None } => new_person = Some(self.store.add_person_with(person)?),
            Editor::Person { person, stored: Some(stored) } => {
                self.store.save_person_edit(stored, person, settle).map(drop)?
            }
            Editor::CustomItem { item } => self.store.add_custom_item(item).map(drop)?,
            Editor::Event { event } => {
                let today = crate::domain::time::local_date(self.now, &self.zone);
                match (event.id, &event.void) {
                    (0, _) => self.store.add_event(event, today).map(drop)?,
                    (id, Some(void)) => self.store.void_event(id, &void.reason).map(drop)?,
                    (_, None) => self.store.edit_event(event, today).map(drop)?,
                }
            }
            Editor::Void { session_id, reason, .. } => {
                self.store.remove_session(*session_id, reason, self.now).map(drop)?
            }
            Editor::CoursePhotos { course_id, photos } => {
                let to = crate::domain::PhotoOf::Course(*course_id);
                let outcome = crate::photos::attach(&mut *self.store, &self.photo_store, to, photos)
                    .map_err(StoreError::Invalid)?;
                // Nothing new: the form stays open and says which they are.
                if outcome.iter().all(|a| matches!(a, crate::store::Attached::Already(_))) {
                    let ids: Vec<String> = outcome
                        .iter()
                        .filter_map(|a| match a {
                            crate::store::Attached::Already(id) => Some(format!("#{id}")),
                            crate::store::Attached::New(_) => None,
                        })
                        .collect();
                    return Err(StoreError::Invalid(format!(
                        "the course has these pictures already ({}): nothing added",
                        ids.join(", ")
                    )));
                }
            }
            Editor::Consent { consent } => self.store.record_consent(consent)?,
            Editor::Diary { entry } => self.store.note_diary(entry).map(drop)?,
            Editor::FinalRating { course, stored } => self.store.save_course_edit(stored, course, settle).map(drop)?,
        }
        self.reload();
        // The lists' cursors sit on what was just saved: `e` edits that one.
        if let Some(id) = saved_session.or(match edited {
            Editor::Session { session, .. } => Some(session.id),
            _ => None,
        }) {
            self.select_session(id);
        }
        // A new person is selected, so `n` starts their first course.
        if let Some(id) = new_person {
            self.people_view.select_person(id);
        }
        Ok(())
    }
}

/// Hands `path` to the system's opener (`open` on macOS, `xdg-open` elsewhere),
/// detached and silent: it must never write over the screen. False when none runs.
fn open_with_system(path: &std::path::Path) -> bool {
    use std::process::{Command, Stdio};
    let opener = if cfg!(target_os = "macos") { "open" } else { "xdg-open" };
    let child = Command::new(opener).arg(path).stdin(Stdio::null()).stdout(Stdio::null()).stderr(Stdio::null()).spawn();
    match child {
        Ok(mut child) => {
            // Reaped in the background, so no zombie is left behind.
            std::thread::spawn(move || child.wait());
            true
        }
        Err(_) => false,
    }
}
