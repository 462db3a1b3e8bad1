//! Reading what the app shows: the course it opens on first (drawn at once), then
//! every list; again after a write here or elsewhere, when the file is replaced,
//! and when the clock moves on (a new day reads everything, a tick later the same
//! day only works out where each course stands).

use chrono::{DateTime, Utc};

use super::{App, DaySheet, Flash, Overlay, views};
use crate::domain::rules::Rules;
use crate::domain::time::Zone;
use crate::domain::{CourseStatus, Person};
use crate::store::{CourseFilter, Records};
use crate::summary::{CourseSummary, summarize, summarize_listed};

impl App {
    /// The app with only the course it opens on read, to draw at once: on a file
    /// of thousands of courses the lists take a while longer. Call
    /// [`App::finish_opening`] right after the first frame, before any key.
    pub fn opening(store: impl Records + 'static, rules: &'static Rules, now: DateTime<Utc>, zone: Zone) -> App {
        let mut app = App::blank(Box::new(store), rules, now, zone);
        app.opening = true;
        let first = (|| {
            app.kind = app.store.file_kind()?;
            let Some(id) = app.store.course_to_open_on()? else { return Ok(()) };
            let course = app.store.course(id)?;
            let summaries = summarize(&*app.store, vec![course], app.rules, app.now, &app.zone)?;
            app.course_at = summaries.iter().enumerate().map(|(i, c)| (c.course.id, i)).collect();
            app.courses = summaries;
            app.current = Some(id);
            app.load_current_details();
            app.focus_timeline_on_now();
            Ok::<_, crate::store::StoreError>(())
        })();
        // Whatever went wrong is said by the whole reading that follows.
        if first.is_err() {
            app.courses.clear();
            app.course_at.clear();
            app.current = None;
        }
        let _ = app.store.take_skipped();
        app
    }

    /// Whether only the course opened on is read yet (see [`App::opening`]).
    pub fn is_opening(&self) -> bool {
        self.opening
    }

    /// Reads everything else: every list, then asks a new file whose it is and
    /// pops up any checklist due.
    pub fn finish_opening(&mut self) {
        self.opening = false;
        self.reload();
        self.focus_timeline_on_now();
        // A new file is asked whose it is (any other key answers "later").
        let fresh = self.courses.is_empty() && self.people.iter().all(|p| p.is_me());
        if fresh && self.store.file_kind_chosen().is_ok_and(|chosen| !chosen) {
            self.overlay = Some(Overlay::WhoseFile);
        }
        // A practitioner's day opens on its bookings, when some are still ahead.
        if self.overlay.is_none() && self.kind == crate::domain::FileKind::Practitioner {
            let today = crate::domain::time::local_date(self.now, &self.zone);
            if let Some(sheet) = self.day_sheet(today, None)
                && let Some(next) = sheet.bookings.iter().position(|b| b.at >= self.now)
            {
                self.overlay = Some(Overlay::Day(Box::new(DaySheet { cursor: next, ..sheet })));
            }
        }
        self.pop_checklist();
    }

    /// Reads what the screens show again, keeping the selections on the same
    /// records even when rows were added above them. Only unfinished courses (and
    /// the current one) are loaded, so the work does not grow with years of history.
    pub fn reload(&mut self) {
        let session = self.selected_session().map(|s| s.id);
        let loaded = (|| {
            self.kind = self.store.file_kind()?;
            // Into a list of their own size: collected in place, twenty thousand
            // handles would keep the room the people themselves took.
            let read = self.store.people(true)?;
            let mut people: Vec<std::sync::Arc<Person>> = Vec::with_capacity(read.len());
            people.extend(read.into_iter().map(std::sync::Arc::new));
            // Every unfinished course from where it stands, the current one whole.
            let unfinished = CourseFilter { unfinished_only: true, ..Default::default() };
            let whole: Vec<i64> = self.current.into_iter().collect();
            let mut summaries =
                summarize_listed(&*self.store, unfinished, &whole, &people, self.rules, self.now, &self.zone)?;
            let running = summaries.len();
            if let Some(id) = self.current.filter(|id| !summaries.iter().any(|c| c.course.id == *id)) {
                match self.store.course(id) {
                    Ok(course) => {
                        summaries.extend(summarize(&*self.store, vec![course], self.rules, self.now, &self.zone)?)
                    }
                    Err(crate::store::StoreError::NotFound { .. }) => {}
                    Err(e) => return Err(e),
                }
            }
            // Finished courses whose maintenance is due, for the Due list: worked
            // out from where each stands, not read whole.
            let quiet = self.store.quiet_recalls(crate::domain::time::local_date(self.now, &self.zone))?;
            let recalled = self.recalled_finished(&people, &summaries[..running], &quiet)?;
            let version = self.store.data_version()?;
            Ok::<_, crate::store::StoreError>((people, summaries, recalled, quiet, version))
        })();
        match loaded {
            Ok((people, summaries, recalled, quiet, version)) => {
                self.people = people;
                self.people.sort_by_key(|p| p.archived);
                self.namesakes = namesakes(&self.people);
                self.course_at = summaries.iter().enumerate().map(|(i, c)| (c.course.id, i)).collect();
                self.courses = summaries;
                self.recalled_at = recalled.iter().enumerate().map(|(i, r)| (r.recall.course_id, i)).collect();
                self.recalled = recalled;
                self.people_view.quiet = quiet;
                self.data_version = version;
            }
            Err(e) => self.fail(e.to_string()),
        }
        let skipped = self.store.take_skipped();
        if let Some(first) = skipped.first() {
            let more = if skipped.len() > 1 { format!(" (and {} more)", skipped.len() - 1) } else { String::new() };
            self.fail(format!("{first}{more}"));
        }
        if self.current.is_none_or(|id| !self.courses.iter().any(|c| c.course.id == id)) {
            self.current = self.default_course();
        }
        self.load_current_details();
        self.people_view.recall_months = self.rules.course.recall_months;
        self.people_view.rebuild(&self.people, &self.courses, &self.recalled);
        if let Some(i) = session.and_then(|id| self.sessions().iter().position(|s| s.id == id)) {
            self.sessions_view.selected = i;
        }
        self.sessions_view.selected = views::moved(self.sessions_view.selected, 0, self.sessions().len());
    }

    /// Puts the Sessions cursor on session `id` (one just saved, say).
    pub fn select_session(&mut self, id: i64) {
        if let Some(i) = self.sessions().iter().position(|s| s.id == id) {
            self.sessions_view.selected = i;
        }
    }

    /// The finished courses the Due list recalls (maintenance open, or lapsed
    /// lately), as `needlelog due` has them (see
    /// [`crate::summary::finished_to_recall`]), each as the lists show it: only
    /// where each stands is read, and only its line is kept. One is read whole
    /// when it is opened. `running` are the unfinished courses.
    fn recalled_finished(
        &self,
        people: &[std::sync::Arc<Person>],
        running: &[CourseSummary],
        quiet: &std::collections::HashSet<i64>,
    ) -> crate::store::Result<Vec<views::Recalled>> {
        let running: Vec<&crate::domain::Course> = running.iter().map(|s| &s.course).collect();
        let people: std::collections::HashMap<i64, &std::sync::Arc<Person>> =
            people.iter().map(|p| (p.id, p)).collect();
        let months = self.rules.course.recall_months;
        let mut concerns: std::collections::HashSet<std::sync::Arc<str>> = Default::default();
        let mut areas_named: std::collections::HashSet<std::sync::Arc<[String]>> = Default::default();
        let mut recalled = crate::summary::finished_to_recall(
            &*self.store,
            self.rules,
            self.now,
            &self.zone,
            &running,
            |course, _, state| {
                let person = people.get(&course.person_id)?;
                let one = std::iter::once((&course, person.as_ref(), &state));
                let recall = crate::summary::recalls(one, views::DUE_WITHIN_DAYS, quiet, months).pop()?;
                let concern = shared(&mut concerns, course.concern.as_str());
                let areas = shared(&mut areas_named, course.areas.as_slice());
                let done = (state.sessions_done, state.sessions_target);
                let person = std::sync::Arc::clone(person);
                Some(views::Recalled { recall, person, concern, areas, phase: state.phase, done })
            },
        )?;
        recalled.shrink_to_fit();
        Ok(recalled)
    }

    pub(super) fn load_current_details(&mut self) {
        let Some(id) = self.current else { return };
        let at = match self.course_at.get(&id) {
            Some(&i) if self.courses.get(i).is_some_and(|c| c.course.id == id) => Some(i),
            _ => self.courses.iter().position(|c| c.course.id == id),
        };
        let Some(summary) = at.and_then(|i| self.courses.get_mut(i)) else { return };
        // Listed from where it stands: now every session, whole.
        if !summary.whole {
            match self.store.sessions_of(&[id]) {
                Ok(sessions) => {
                    summary.sessions = sessions;
                    summary.whole = true;
                }
                Err(e) => self.flash = Some(Flash { text: e.to_string(), error: true, done: false }),
            }
        }
        if let Err(e) = self.store.fill_depths(&mut summary.sessions) {
            self.flash = Some(Flash { text: e.to_string(), error: true, done: false });
        }
        let ids: Vec<i64> = summary.sessions.iter().map(|s| s.id).collect();
        self.session_edits.clear();
        match self.store.edits_of_sessions(&ids) {
            Ok(edits) => {
                for e in edits {
                    self.session_edits.entry(e.record_id).or_default().push(e);
                }
            }
            Err(e) => self.flash = Some(Flash { text: e.to_string(), error: true, done: false }),
        }
        match self.store.events_of_sessions(&ids) {
            Ok(events) => self.session_events = events,
            Err(e) => self.flash = Some(Flash { text: e.to_string(), error: true, done: false }),
        }
        match self.store.diary_of(&ids) {
            Ok(diary) => self.diary = diary,
            Err(e) => self.flash = Some(Flash { text: e.to_string(), error: true, done: false }),
        }
        match self.store.consents_of(&[id]) {
            Ok(mut consents) => self.consent = consents.pop(),
            Err(e) => self.flash = Some(Flash { text: e.to_string(), error: true, done: false }),
        }
        let person = summary.person.id;
        let filter = CourseFilter { person_id: Some(person), ..Default::default() };
        self.course_place = self.store.courses(filter).ok().and_then(|mut theirs| {
            theirs.sort_by_key(|c| (c.started_on, c.id));
            Some((theirs.iter().position(|c| c.id == id)? + 1, theirs.len()))
        });
        self.load_photos();
    }

    /// Reloads when another process wrote to the file since the last look, and
    /// opens the file again when another was put in its place (a restore).
    pub fn check_external_changes(&mut self) {
        if let Some(file) = self.store.file().filter(|file| file.replaced_on_disk()) {
            match file.reopen() {
                Ok(store) => {
                    self.store = Box::new(store);
                    self.data_version = -1;
                    self.reload();
                    self.done("The file was replaced on disk (restored from a copy?): showing it now");
                }
                Err(e) => self.fail(format!("The file was replaced on disk and cannot be opened: {e}")),
            }
            return;
        }
        let version = self.store.data_version();
        self.note_reachable();
        if let Ok(version) = version
            && version != self.data_version
        {
            self.reload();
        }
    }

    /// Notes whether the records can be reached (a server may go away and come
    /// back), and says so when that changes.
    pub(super) fn note_reachable(&mut self) {
        let away = !self.store.reachable();
        if away == self.away {
            return;
        }
        self.away = away;
        if away {
            self.fail(format!(
                "The server does not answer: what you see stays, read-only, until it does ({})",
                self.store.place()
            ));
        } else {
            self.done("The server answers again: showing what it holds now");
        }
    }

    /// Moves the clock on; windows and checklists follow, and a checklist whose
    /// window has just opened pops up.
    pub fn set_now(&mut self, now: DateTime<Utc>) {
        let day = |at| crate::domain::time::local_date(at, &self.zone);
        // Later the same day, with nothing written: every list stands as it was
        // read, only where each course stands moves on. Else (a new day: windows
        // open and close, recalls are put off by the day; the clock set back; a
        // write) every list is read again.
        let onward = now >= self.now && day(now) == day(self.now);
        let unchanged = self.store.data_version().is_ok_and(|v| v == self.data_version);
        self.now = now;
        if let Some(file) = self.store.file_mut() {
            file.set_now(now);
        }
        self.store.set_clock(now);
        match onward && unchanged {
            true => self.restate(),
            false => self.reload(),
        }
        self.note_reachable();
        self.pop_checklist();
    }

    /// Where every listed course stands at `now`, from the lists as they were
    /// read: what the clock's tick every half minute needs, at a cost that does
    /// not hold every list twice.
    pub(super) fn restate(&mut self) {
        if let Err(e) = crate::summary::restate(&*self.store, &mut self.courses, self.rules, self.now, &self.zone) {
            self.fail(e.to_string());
        }
        self.people_view.rebuild(&self.people, &self.courses, &self.recalled);
    }

    /// "Me"'s first active course, else any active course, else any course.
    pub(super) fn default_course(&self) -> Option<i64> {
        let active = |c: &&CourseSummary| c.course.status == CourseStatus::Active;
        self.courses
            .iter()
            .filter(active)
            .find(|c| c.person.is_me())
            .or_else(|| self.courses.iter().find(active))
            .or(self.courses.first())
            .map(|c| c.course.id)
    }
}

/// The people who share their name (in any case) with someone else. Names are
/// counted by a hash first and only the few that may be shared are compared in
/// full: no set of twenty thousand names held at once.
fn namesakes(people: &[std::sync::Arc<Person>]) -> std::collections::HashSet<i64> {
    use std::hash::BuildHasher;
    let hasher = std::collections::hash_map::RandomState::new();
    let key = |p: &Person| hasher.hash_one(crate::find::folded(&p.name));
    let mut counts: std::collections::HashMap<u64, u32> = std::collections::HashMap::with_capacity(people.len());
    for p in people {
        *counts.entry(key(p)).or_default() += 1;
    }
    let mut by_name: std::collections::HashMap<String, Vec<i64>> = Default::default();
    for p in people.iter().filter(|p| counts.get(&key(p)).is_some_and(|&n| n > 1)) {
        by_name.entry(crate::find::folded(&p.name)).or_default().push(p.id);
    }
    by_name.into_values().filter(|ids| ids.len() > 1).flatten().collect()
}

/// The one shared copy of `value` in `kept`, kept there when it is new.
fn shared<T: ?Sized + Eq + std::hash::Hash>(
    kept: &mut std::collections::HashSet<std::sync::Arc<T>>,
    value: &T,
) -> std::sync::Arc<T>
where
    std::sync::Arc<T>: for<'a> From<&'a T>,
{
    if let Some(one) = kept.get(value) {
        return std::sync::Arc::clone(one);
    }
    let one: std::sync::Arc<T> = std::sync::Arc::from(value);
    kept.insert(std::sync::Arc::clone(&one));
    one
}
