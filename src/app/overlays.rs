//! Keys inside pop-ups: help, confirmations, forms and the contraindication
//! questions. Each handler takes the overlay and returns what stays open.

use crossterm::event::{KeyCode, KeyEvent};

use super::editors::{self, Target};
use super::form::{Form, FormEvent};
use super::{App, Confirmed, Draft, Overlay, Saved, is_interrupt};
use crate::domain::SessionStatus;

impl App {
    pub(super) fn handle_overlay(&mut self, overlay: Overlay, key: KeyEvent) -> Option<Overlay> {
        match overlay {
            Overlay::Help => match key.code {
                _ if is_interrupt(&key) => {
                    self.quit = true;
                    None
                }
                KeyCode::Esc | KeyCode::Enter | KeyCode::Char('?') | KeyCode::Char('q') => None,
                _ => Some(Overlay::Help),
            },
            Overlay::Confirm { question, on_yes } => match key.code {
                KeyCode::Char('y') | KeyCode::Char('Y') => self.confirmed(on_yes),
                _ if is_interrupt(&key) => {
                    self.quit = true;
                    None
                }
                KeyCode::Char('n') | KeyCode::Char('N') | KeyCode::Esc => match on_yes {
                    Confirmed::Quit { back } => Some(*back),
                    _ => None,
                },
                _ => Some(Overlay::Confirm { question, on_yes }),
            },
            Overlay::Form { form, target, draft } => self.handle_form(form, target, draft, key),
            Overlay::Checklist { sessions, cursor } => self.handle_checklist(sessions, cursor, key),
            Overlay::Contraindications { form, target, draft, session, mut ticked, mut cursor } => {
                let n = ticked.len();
                match key.code {
                    _ if is_interrupt(&key) => {
                        let back = Overlay::Contraindications { form, target, draft, session, ticked, cursor };
                        return Some(Overlay::Confirm {
                            question: "Quit without saving this session?".into(),
                            on_yes: Confirmed::Quit { back: Box::new(back) },
                        });
                    }
                    KeyCode::Up | KeyCode::Char('k') => cursor = cursor.saturating_sub(1),
                    KeyCode::Down | KeyCode::Char('j') => cursor = (cursor + 1).min(n.saturating_sub(1)),
                    KeyCode::Char(' ') | KeyCode::Char('x') => {
                        if let Some(t) = ticked.get_mut(cursor) {
                            *t = !*t;
                        }
                    }
                    KeyCode::Esc => return Some(Overlay::Form { form, target, draft }),
                    KeyCode::Enter => {
                        let concerns = ticked.iter().filter(|t| **t).count();
                        return match self.save(&target, Saved::Session(session)) {
                            Ok(()) => {
                                let mut note = String::from("Saved the session");
                                if concerns > 0 {
                                    note.push_str(" — you noted a reason for caution: talk it over with your provider");
                                }
                                self.say(note);
                                None
                            }
                            Err(e) => {
                                let mut form = form;
                                form.error = Some(e);
                                Some(Overlay::Form { form, target, draft })
                            }
                        };
                    }
                    _ => {}
                }
                Some(Overlay::Contraindications { form, target, draft, session, ticked, cursor })
            }
        }
    }

    /// Space ticks, `a` adds an item of one's own, `d` removes one, Enter or Esc
    /// closes (and the items shown will not pop up again for this window).
    fn handle_checklist(&mut self, sessions: Vec<i64>, mut cursor: usize, key: KeyEvent) -> Option<Overlay> {
        let entries: Vec<(i64, String)> =
            self.checklist_entries(&sessions).iter().map(|e| (e.session_id, e.item.id.clone())).collect();
        if is_interrupt(&key) {
            self.quit = true;
            return None;
        }
        match key.code {
            KeyCode::Up | KeyCode::Char('k') => cursor = cursor.saturating_sub(1),
            KeyCode::Down | KeyCode::Char('j') => cursor = (cursor + 1).min(entries.len().saturating_sub(1)),
            KeyCode::Char(' ') | KeyCode::Char('x') => {
                if let Some((session, item)) = entries.get(cursor) {
                    let done = self.checklist_entries(&sessions).get(cursor).is_some_and(|e| e.done);
                    match self.store.set_tick(*session, item, !done, self.now) {
                        Ok(()) => self.reload(),
                        Err(e) => self.fail(e.to_string()),
                    }
                }
            }
            KeyCode::Char('a') => {
                let course_id =
                    entries.get(cursor).and_then(|(session, _)| self.course_of_session(*session)).or(self.current);
                if let Some(course_id) = course_id {
                    let phase = self.checklist_entries(&sessions).get(cursor).map(|e| e.item.phase);
                    let (form, draft) = editors::custom_item_form(course_id, phase, self.rules);
                    return Some(Overlay::Form { form, target: Target::NewCustomItem { course_id }, draft });
                }
            }
            KeyCode::Char('d') | KeyCode::Delete => {
                let custom = self.checklist_entries(&sessions).get(cursor).and_then(|e| e.item.custom_id());
                match custom {
                    Some(id) => match self.store.remove_custom_item(id) {
                        Ok(()) => {
                            self.reload();
                            self.say("Removed your item");
                        }
                        Err(e) => self.fail(e.to_string()),
                    },
                    None => self.say("Only your own items can be removed"),
                }
            }
            KeyCode::Enter | KeyCode::Esc | KeyCode::Char('c') | KeyCode::Char('q') => {
                if let Err(e) = self.store.mark_seen(&entries, self.now) {
                    self.fail(e.to_string());
                }
                self.reload();
                return None;
            }
            _ => {}
        }
        let left = self.checklist_entries(&sessions).len();
        if left == 0 {
            return None;
        }
        Some(Overlay::Checklist { sessions, cursor: cursor.min(left - 1) })
    }

    fn confirmed(&mut self, on_yes: Confirmed) -> Option<Overlay> {
        let outcome = match on_yes {
            Confirmed::Quit { .. } => {
                self.quit = true;
                return None;
            }
            Confirmed::DeleteSession(id) => self.store.remove_session(id).map(|removed| {
                self.undo.push(removed);
                "Deleted the session — press u to undo".to_string()
            }),
            Confirmed::ToggleArchive(id) => {
                let person = self.people.iter().find(|p| p.id == id).cloned();
                match person {
                    Some(mut p) => {
                        p.archived = !p.archived;
                        let verb = if p.archived { "Archived" } else { "Brought back" };
                        self.store.update_person(&p).map(|()| format!("{verb} {}", p.name))
                    }
                    None => return None,
                }
            }
            Confirmed::CloseCourse(id) => self
                .store
                .set_course_status(id, crate::domain::CourseStatus::Completed)
                .map(|()| "Marked the course complete".to_string()),
        };
        match outcome {
            Ok(message) => {
                self.reload();
                self.say(message);
            }
            Err(e) => self.fail(e.to_string()),
        }
        None
    }

    fn handle_form(&mut self, mut form: Form, target: Target, draft: Draft, key: KeyEvent) -> Option<Overlay> {
        if is_interrupt(&key) {
            if !form.dirty {
                self.quit = true;
                return None;
            }
            let back = Overlay::Form { form, target, draft };
            return Some(Overlay::Confirm {
                question: "Quit and lose what you typed?".into(),
                on_yes: Confirmed::Quit { back: Box::new(back) },
            });
        }
        match form.handle(key) {
            FormEvent::Cancel => return None,
            FormEvent::Changed("concern") => editors::prefill_from_concern(&mut form, self.rules),
            FormEvent::Submit => return self.submit(form, target, draft),
            FormEvent::Changed(_) | FormEvent::Nothing => {}
        }
        Some(Overlay::Form { form, target, draft })
    }

    /// Reads the form; on errors it stays open with them, a new done session goes
    /// through the contraindication questions, everything else is saved.
    fn submit(&mut self, mut form: Form, target: Target, draft: Draft) -> Option<Overlay> {
        let record = match &draft {
            Draft::Session { base, course } => {
                let others = self.summary(course.id).map_or(&[][..], |s| s.sessions.as_slice());
                editors::read_session(&mut form, base, course, others, self.rules, self.now, &self.zone)
                    .map(Saved::Session)
            }
            Draft::Course(base) => editors::read_course(&mut form, base, self.rules).map(Saved::Course),
            Draft::Person(base) => editors::read_person(&mut form, base).map(Saved::Person),
            Draft::CustomItem(base) => editors::read_custom_item(&mut form, base, self.rules).map(Saved::CustomItem),
        };
        let Some(record) = record else {
            return Some(Overlay::Form { form, target, draft });
        };
        if let (Saved::Session(session), Draft::Session { base, .. }) = (&record, &draft) {
            let becomes_done = session.status == SessionStatus::Done
                && (matches!(target, Target::NewSession { .. }) || base.status != SessionStatus::Done || base.id == 0);
            if becomes_done {
                let ticked = vec![false; self.rules.contraindications.len()];
                let session = session.clone();
                return Some(Overlay::Contraindications { form, target, draft, session, ticked, cursor: 0 });
            }
        }
        let warning = form.fields.iter().find_map(|f| f.warning.clone());
        match self.save(&target, record) {
            Ok(()) => {
                match (warning, &target) {
                    (Some(w), _) => self.say(format!("Saved — note: {w}")),
                    (None, Target::NewCourse) => self.say("Course started: a logs a session you had, p plans one"),
                    (None, Target::NewPerson) => self.say("Added: n starts their first course"),
                    (None, _) => self.say("Saved"),
                }
                None
            }
            Err(e) => {
                form.error = Some(e);
                Some(Overlay::Form { form, target, draft })
            }
        }
    }
}
