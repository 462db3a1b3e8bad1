//! Finding someone and seeing them whole: `/` narrows the People or Sessions list
//! with every key (fuzzy, see `find`), Enter selects; a person selected opens their
//! card — every course, what was used last time, reactions, ratings, what is next —
//! from which a session is logged or planned, a course started or the person edited.

use crossterm::event::KeyEvent;

use super::input::TextInput;
use super::keys::{CARD_KEYS, CardAction, FIND_KEYS, FindAction, lookup};
use super::views::Card;
use super::{App, DaySheet, Overlay, Pane, PeopleRow, Tab};
use crate::domain::SessionStatus;
use crate::store::CourseFilter;
use crate::summary::summarize;

impl App {
    /// `/`: find on Sessions; anywhere else, find a person on People.
    pub(super) fn open_find(&mut self) {
        if self.tab != Tab::Sessions {
            self.tab = Tab::People;
            self.people_view.pane = Pane::People;
        }
        let current = match self.tab {
            Tab::Sessions => self.sessions_view.filter.clone(),
            _ => self.people_view.filter.clone(),
        };
        self.overlay = Some(Overlay::Find { input: TextInput::new(current) });
    }

    /// The list narrowed to `query`, its best match selected.
    fn set_filter(&mut self, query: &str) {
        match self.tab {
            Tab::Sessions => {
                self.sessions_view.filter = query.to_string();
                self.sessions_view.selected = 0;
            }
            _ => {
                self.people_view.filter = query.to_string();
                self.people_view.rebuild_rows();
                self.people_view.selected = 0;
            }
        }
    }

    /// Ends finding: the whole list again, the selection kept on its record.
    fn clear_filter(&mut self) {
        match self.tab {
            Tab::Sessions => {
                let id = self.selected_session().map(|s| s.id);
                self.sessions_view.filter.clear();
                if let Some(i) = id.and_then(|id| self.sessions().iter().position(|s| s.id == id)) {
                    self.sessions_view.selected = i;
                }
            }
            _ => {
                self.people_view.filter.clear();
                self.people_view.rebuild_rows();
            }
        }
    }

    pub(super) fn handle_find(&mut self, mut input: TextInput, key: KeyEvent) -> Option<Overlay> {
        match lookup(FIND_KEYS, &key) {
            Some(FindAction::Quit) => {
                self.quit = true;
                None
            }
            Some(FindAction::Clear) => {
                self.set_filter("");
                self.clear_filter();
                None
            }
            Some(FindAction::Select) => {
                let found = match self.tab {
                    Tab::Sessions => !self.sessions().is_empty(),
                    _ => self.people_view.selected_row().is_some(),
                };
                if !found {
                    self.say("Nothing matches: change the letters, or Esc to clear");
                    return Some(Overlay::Find { input });
                }
                self.clear_filter();
                if self.tab == Tab::People {
                    self.select_from_people();
                }
                // What selecting opened (a card) stays open.
                self.overlay.take()
            }
            Some(FindAction::Up) => {
                self.move_selection(-1);
                Some(Overlay::Find { input })
            }
            Some(FindAction::Down) => {
                self.move_selection(1);
                Some(Overlay::Find { input })
            }
            None => {
                if input.handle(key) {
                    let query = input.value().to_string();
                    self.set_filter(&query);
                }
                Some(Overlay::Find { input })
            }
        }
    }

    /// Opens the card of person `id`: every course of theirs, read whole.
    /// The day sheet of `day`, its cursor on `booking` when it is there.
    pub(super) fn day_sheet(&mut self, day: chrono::NaiveDate, booking: Option<i64>) -> Option<DaySheet> {
        use crate::domain::time::resolve_local_lenient;
        let start = resolve_local_lenient(day.and_time(chrono::NaiveTime::MIN), &self.zone);
        let end = resolve_local_lenient((day + chrono::Days::new(1)).and_time(chrono::NaiveTime::MIN), &self.zone);
        let read = crate::summary::day_sheet(&*self.store, self.rules, self.kind, (start, end), self.now, &self.zone);
        match read {
            Ok(bookings) => {
                let cursor = booking.and_then(|id| bookings.iter().position(|b| b.session_id == id)).unwrap_or(0);
                Some(DaySheet { day, bookings, cursor })
            }
            Err(e) => {
                self.fail(e.to_string());
                None
            }
        }
    }

    pub(super) fn handle_day(&mut self, mut sheet: Box<DaySheet>, key: KeyEvent) -> Option<Overlay> {
        use super::keys::{DAY_KEYS, DayAction};
        let selected = sheet.bookings.get(sheet.cursor).cloned();
        match lookup(DAY_KEYS, &key) {
            None => Some(Overlay::Day(sheet)),
            Some(DayAction::Quit) => {
                self.quit = true;
                None
            }
            Some(DayAction::Close) => None,
            Some(DayAction::Up) => {
                sheet.cursor = sheet.cursor.saturating_sub(1);
                Some(Overlay::Day(sheet))
            }
            Some(DayAction::Down) => {
                sheet.cursor = (sheet.cursor + 1).min(sheet.bookings.len().saturating_sub(1));
                Some(Overlay::Day(sheet))
            }
            Some(action @ (DayAction::PrevDay | DayAction::NextDay | DayAction::Today)) => {
                let day = match action {
                    DayAction::PrevDay => sheet.day - chrono::Days::new(1),
                    DayAction::NextDay => sheet.day + chrono::Days::new(1),
                    _ => crate::domain::time::local_date(self.now, &self.zone),
                };
                self.day_sheet(day, None).map(|s| Overlay::Day(Box::new(s)))
            }
            Some(DayAction::Open) => match selected {
                Some(b) => {
                    self.open_card(b.person.id);
                    self.overlay.take()
                }
                None => Some(Overlay::Day(sheet)),
            },
            // The visit happened: its booking becomes the session (one visit, one session).
            Some(DayAction::Log) => match selected {
                Some(b) => {
                    self.open_course(b.course_id);
                    self.mark_done(b.session_id);
                    self.overlay.take()
                }
                None => Some(Overlay::Day(sheet)),
            },
        }
    }

    pub(super) fn open_card(&mut self, id: i64) {
        let Some(person) = self.person(id).cloned() else { return };
        let loaded = (|| {
            let courses = self.store.courses(CourseFilter { person_id: Some(id), ..Default::default() })?;
            let mut summaries = summarize(&*self.store, courses, self.rules, self.now, &self.zone)?;
            for s in &mut summaries {
                self.store.fill_depths(&mut s.sessions)?;
            }
            let ids: Vec<i64> = summaries.iter().flat_map(|c| c.sessions.iter().map(|s| s.id)).collect();
            let events = self.store.events_of_sessions(&ids)?;
            let course_ids: Vec<i64> = summaries.iter().map(|c| c.course.id).collect();
            let consents = self.store.consents_of(&course_ids)?;
            Ok::<_, crate::store::StoreError>((summaries, events, consents))
        })();
        match loaded {
            Ok((courses, events, consents)) => {
                let cursor = courses
                    .iter()
                    .position(|c| self.current == Some(c.course.id))
                    .or_else(|| courses.iter().position(|c| c.course.status == crate::domain::CourseStatus::Active))
                    .unwrap_or(0);
                self.overlay = Some(Overlay::Card(Box::new(Card { person, courses, cursor, events, consents })));
            }
            Err(e) => self.fail(e.to_string()),
        }
    }

    pub(super) fn handle_card(&mut self, mut card: Box<Card>, key: KeyEvent) -> Option<Overlay> {
        let Some(action) = lookup(CARD_KEYS, &key) else { return Some(Overlay::Card(card)) };
        let course = card.selected().map(|c| c.course.id);
        match action {
            CardAction::Quit => {
                self.quit = true;
                None
            }
            CardAction::Close => None,
            CardAction::Up | CardAction::Down => {
                let delta = if action == CardAction::Up { -1 } else { 1 };
                card.cursor = super::views::moved(card.cursor, delta, card.courses.len());
                Some(Overlay::Card(card))
            }
            CardAction::Open | CardAction::Log | CardAction::Plan => {
                let Some(id) = course else {
                    self.say("No course yet: press n to start one");
                    return Some(Overlay::Card(card));
                };
                self.open_course(id);
                match action {
                    CardAction::Log => self.open_new_session(SessionStatus::Done),
                    CardAction::Plan => self.open_new_session(SessionStatus::Planned),
                    _ => {}
                }
                self.overlay.take()
            }
            CardAction::NewCourse => {
                self.tab = Tab::People;
                self.people_view.select_person(card.person.id);
                self.open_new_course();
                self.overlay.take()
            }
            CardAction::EditPerson => {
                self.open_person(Some(card.person.clone()));
                self.overlay.take()
            }
            CardAction::Consent => {
                let Some(id) = course else {
                    self.say("No course yet: press n to start one");
                    return Some(Overlay::Card(card));
                };
                let on_record = card.consents.iter().find(|c| c.course_id == id);
                let today = crate::domain::time::local_date(self.now, &self.zone);
                let by = self.store.practitioner().ok().flatten().unwrap_or_default();
                let (form, editor) = super::small_forms::consent_form(id, on_record, today, &by);
                Some(Overlay::Form { form, editor })
            }
        }
    }

    /// Makes course `id` current, past ones too (read on demand), and shows Today.
    /// A finished one the Due list recalls is read alone: the lists stand as read.
    pub(super) fn open_course(&mut self, id: i64) {
        if self.summary(id).is_none() && self.course_line(id).is_some() {
            let read =
                self.store.course(id).and_then(|c| summarize(&*self.store, vec![c], self.rules, self.now, &self.zone));
            match read.map(|mut one| one.pop()) {
                Ok(Some(summary)) => {
                    self.course_at.insert(id, self.courses.len());
                    self.courses.push(summary);
                }
                Ok(None) => {}
                Err(e) => return self.fail(e.to_string()),
            }
        }
        if self.summary(id).is_none() {
            self.current = Some(id);
            self.reload();
        }
        self.make_current(id);
    }

    /// Enter on People: a person opens their card; a course becomes current.
    pub(super) fn select_person_row(&mut self) -> bool {
        if self.people_view.pane == Pane::People
            && let Some(PeopleRow::Person(id)) = self.people_view.selected_row()
        {
            self.open_card(id);
            return true;
        }
        false
    }
}
