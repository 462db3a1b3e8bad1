//! Keys inside pop-ups: help, confirmations, forms, the contraindication questions
//! and the checklist. Each handler looks the key up in its pop-up's table
//! (`keys`), acts, and returns what stays open.

use crossterm::event::KeyEvent;

use super::editors::{self, Editor};
use super::form::{Form, FormEvent};
use super::keys::{
    CHECKLIST_KEYS, CONFIRM_KEYS, CONFLICT_KEYS, ChecklistAction, ConfirmAction, ConflictAction, FORM_KEYS, FormAction,
    HAPPENED_KEYS, HELP_KEYS, HappenedAction, HelpAction, SCREENING_KEYS, ScreeningAction, WHOSE_KEYS, WhoseAction,
    lookup,
};
use super::{App, Confirmed, Overlay};
use crate::store::{Settle, StoreError};

impl App {
    pub(super) fn handle_overlay(&mut self, overlay: Overlay, key: KeyEvent) -> Option<Overlay> {
        match overlay {
            Overlay::Find { input } => self.handle_find(input, key),
            Overlay::Card(card) => self.handle_card(card, key),
            Overlay::Day(sheet) => self.handle_day(sheet, key),
            Overlay::Notes { session_id, offset } => match lookup(super::keys::NOTES_KEYS, &key) {
                Some(super::keys::NotesAction::Down) => {
                    Some(Overlay::Notes { session_id, offset: offset.saturating_add(1) })
                }
                Some(super::keys::NotesAction::Up) => {
                    Some(Overlay::Notes { session_id, offset: offset.saturating_sub(1) })
                }
                Some(super::keys::NotesAction::Close) => None,
                Some(super::keys::NotesAction::Quit) => self.quit_now(),
                None => Some(Overlay::Notes { session_id, offset }),
            },
            Overlay::Help { first } => match lookup(HELP_KEYS, &key) {
                Some(HelpAction::More) => Some(Overlay::Help { first: first + 1 }),
                Some(HelpAction::Back) => Some(Overlay::Help { first: first.saturating_sub(1) }),
                Some(HelpAction::Close) => None,
                Some(HelpAction::Quit) => self.quit_now(),
                None => Some(Overlay::Help { first }),
            },
            Overlay::Confirm { question, on_yes } => match lookup(CONFIRM_KEYS, &key) {
                Some(ConfirmAction::Yes) => self.confirmed(on_yes),
                Some(ConfirmAction::No) => match on_yes {
                    Confirmed::Quit { back } => Some(*back),
                    Confirmed::LogMaintenance { course, extend_to } => self.extend_course(course, extend_to),
                    Confirmed::LogBooking { .. } => {
                        self.open_log_form();
                        self.overlay.take()
                    }
                    _ => None,
                },
                // Esc starts nothing, whatever "no" would have done.
                Some(ConfirmAction::Cancel) => match on_yes {
                    Confirmed::Quit { back } => Some(*back),
                    _ => None,
                },
                Some(ConfirmAction::Quit) => self.quit_now(),
                None => {
                    self.say("Press y or n");
                    Some(Overlay::Confirm { question, on_yes })
                }
            },
            Overlay::WhoseFile => {
                let kind = match lookup(WHOSE_KEYS, &key) {
                    Some(WhoseAction::Mine) => crate::domain::FileKind::Patient,
                    Some(WhoseAction::Clients) => crate::domain::FileKind::Practitioner,
                    Some(WhoseAction::Later) => return None,
                    // Any other key: asked again next time, and the key acts.
                    None => {
                        if let Some(action) = super::keys::action_for(self.tab, key) {
                            self.act(action);
                        }
                        return self.overlay.take();
                    }
                };
                match self.store.set_file_kind(kind) {
                    Ok(()) => {
                        self.reload();
                        if kind == crate::domain::FileKind::Practitioner {
                            self.tab = super::Tab::People;
                            self.done("A practitioner's file: a adds a client, then n starts their course");
                        } else {
                            self.done("Your own log: n starts your course");
                        }
                    }
                    Err(e) => self.fail(e.to_string()),
                }
                None
            }
            Overlay::Happened { session_id, question } => match lookup(HAPPENED_KEYS, &key) {
                Some(HappenedAction::Done) => {
                    self.mark_done(session_id);
                    self.overlay.take()
                }
                Some(HappenedAction::Moved) => {
                    self.open_session(session_id, "Move the session: when is it now?", |_| {});
                    self.overlay.take()
                }
                Some(HappenedAction::Cancelled) => {
                    self.cancel_planned(session_id);
                    None
                }
                Some(HappenedAction::Later) => None,
                Some(HappenedAction::Quit) => self.quit_now(),
                None => {
                    self.say("Press d, m or c (Esc: later)");
                    Some(Overlay::Happened { session_id, question })
                }
            },
            Overlay::Form { form, editor } => self.handle_form(form, editor, key),
            Overlay::Checklist { sessions, cursor, popped } => self.handle_checklist(sessions, cursor, popped, key),
            Overlay::Contraindications { form, editor, edited, ticked, cursor } => {
                self.handle_screening(form, editor, edited, ticked, cursor, key)
            }
            Overlay::Conflict { form, editor, edited, conflicts, mut keep_mine, mut cursor } => {
                match lookup(CONFLICT_KEYS, &key) {
                    Some(ConflictAction::Quit) => {
                        let back = Overlay::Conflict { form, editor, edited, conflicts, keep_mine, cursor };
                        return App::ask_quit("Quit without saving?", back);
                    }
                    Some(ConflictAction::Up) => cursor = cursor.saturating_sub(1),
                    Some(ConflictAction::Down) => cursor = (cursor + 1).min(conflicts.len().saturating_sub(1)),
                    Some(ConflictAction::Toggle) => {
                        if let Some(mine) = keep_mine.get_mut(cursor) {
                            *mine = !*mine;
                        }
                    }
                    Some(ConflictAction::Back) => return Some(Overlay::Form { form, editor }),
                    Some(ConflictAction::Reopen) => return self.reopen(&editor),
                    Some(ConflictAction::Save) => {
                        let mut settle = Settle::default();
                        for (c, mine) in conflicts.iter().zip(&keep_mine) {
                            if *mine { settle.mine.push(c.field) } else { settle.theirs.push(c.field) }
                        }
                        return match self.save(&edited, &settle) {
                            Ok(()) => {
                                self.done("Saved, with what was changed elsewhere where you chose it");
                                None
                            }
                            Err(e) => {
                                let mut form = form;
                                form.error = Some(e.to_string());
                                Some(Overlay::Form { form, editor })
                            }
                        };
                    }
                    None => {}
                }
                Some(Overlay::Conflict { form, editor, edited, conflicts, keep_mine, cursor })
            }
        }
    }

    /// The form again, on the record as it is in the file now.
    fn reopen(&mut self, editor: &Editor) -> Option<Overlay> {
        let reopened = match editor {
            Editor::Session { session, course, stored: Some(_), .. } => self.store.session(session.id).map(|s| {
                let form = editors::session_form("Edit session", &s, course, &self.zone);
                (form, Editor::session(s, course.clone(), |_| {}))
            }),
            Editor::Course { course, stored: Some(_), .. } => self.store.course(course.id).map(|c| {
                let form = editors::course_form("Edit course", &c, &self.people, self.rules);
                (form, Editor::course(c, true))
            }),
            Editor::Person { person, stored: Some(_) } => self.store.person(person.id).map(|p| {
                let form = editors::person_form("Edit person", &p);
                (form, Editor::person(p, true))
            }),
            _ => return None,
        };
        match reopened {
            Ok((form, editor)) => {
                self.reload();
                self.say("Reopened with what is saved now");
                Some(Overlay::Form { form, editor })
            }
            Err(e) => {
                self.fail(e.to_string());
                None
            }
        }
    }

    fn quit_now(&mut self) -> Option<Overlay> {
        self.quit = true;
        None
    }

    /// Asks before quitting with what the user typed unsaved; `back` is reopened on no.
    fn ask_quit(question: &str, back: Overlay) -> Option<Overlay> {
        Some(Overlay::Confirm { question: question.into(), on_yes: Confirmed::Quit { back: Box::new(back) } })
    }

    fn handle_screening(
        &mut self,
        form: Form,
        editor: Editor,
        edited: Editor,
        mut ticked: Vec<bool>,
        mut cursor: usize,
        key: KeyEvent,
    ) -> Option<Overlay> {
        let n = ticked.len();
        match lookup(SCREENING_KEYS, &key) {
            Some(ScreeningAction::Quit) => {
                let back = Overlay::Contraindications { form, editor, edited, ticked, cursor };
                return App::ask_quit("Quit without saving this session?", back);
            }
            Some(ScreeningAction::Up) => cursor = cursor.saturating_sub(1),
            Some(ScreeningAction::Down) => cursor = (cursor + 1).min(n.saturating_sub(1)),
            Some(ScreeningAction::Tick) => {
                if let Some(t) = ticked.get_mut(cursor) {
                    *t = !*t;
                }
            }
            Some(ScreeningAction::Back) => return Some(Overlay::Form { form, editor }),
            Some(ScreeningAction::Save) => {
                let concerns = ticked.iter().filter(|t| **t).count();
                // The answers are kept with the session.
                let mut edited = edited;
                if let Editor::Session { session, .. } = &mut edited {
                    let applied = self.rules.contraindications.iter().zip(&ticked).filter(|(_, t)| **t);
                    session.screening = Some(applied.map(|(c, _)| c.id.clone()).collect());
                }
                let mut note = String::from("Saved the session");
                if concerns > 0 {
                    note.push_str(" — you noted a reason for caution: talk it over with your provider");
                } else if let Some(caution) = self.caution_for(&edited) {
                    note.push_str(&format!(" — note: {caution}"));
                }
                return self.save_or_settle(form, editor, edited, note);
            }
            None => {}
        }
        Some(Overlay::Contraindications { form, editor, edited, ticked, cursor })
    }

    /// Space ticks, `a` adds an item of one's own, `d` removes one, Enter or Esc
    /// closes (and the items shown will not pop up again for this window).
    fn handle_checklist(
        &mut self,
        sessions: Vec<i64>,
        mut cursor: usize,
        popped: bool,
        key: KeyEvent,
    ) -> Option<Overlay> {
        let entries: Vec<(i64, String)> =
            self.checklist_entries(&sessions).iter().map(|e| (e.session_id, e.item.id.clone())).collect();
        // A checklist that opened by itself leaves the screen's keys to the screen.
        let action = lookup(CHECKLIST_KEYS, &key).filter(|a| {
            !(popped
                && matches!(a, ChecklistAction::AddOwn | ChecklistAction::RemoveOwn)
                && super::keys::action_for(self.tab, key).is_some())
        });
        match action {
            Some(ChecklistAction::Quit) => return self.quit_now(),
            Some(ChecklistAction::Up) => cursor = cursor.saturating_sub(1),
            Some(ChecklistAction::Down) => cursor = (cursor + 1).min(entries.len().saturating_sub(1)),
            Some(ChecklistAction::Tick) => {
                if let Some((session, item)) = entries.get(cursor) {
                    let done = self.checklist_entries(&sessions).get(cursor).is_some_and(|e| e.done);
                    match self.store.set_tick(*session, item, !done, self.now) {
                        Ok(()) => self.reload(),
                        Err(e) => self.fail(e.to_string()),
                    }
                }
            }
            Some(ChecklistAction::AddOwn) => {
                let course_id =
                    entries.get(cursor).and_then(|(session, _)| self.course_of_session(*session)).or(self.current);
                if let Some(course_id) = course_id {
                    let phase = self.checklist_entries(&sessions).get(cursor).map(|e| e.item.phase);
                    let (form, editor) = editors::custom_item_form(course_id, phase, self.rules);
                    return Some(Overlay::Form { form, editor });
                }
            }
            Some(ChecklistAction::RemoveOwn) => {
                let custom = self.checklist_entries(&sessions).get(cursor).and_then(|e| e.item.custom_id());
                match custom {
                    Some(id) => match self.store.remove_custom_item(id) {
                        Ok(()) => {
                            self.reload();
                            self.done("Removed your item");
                        }
                        Err(e) => self.fail(e.to_string()),
                    },
                    None => self.fail("Only your own items can be removed"),
                }
            }
            Some(ChecklistAction::Close) => {
                if let Err(e) = self.store.mark_seen(&entries, self.now) {
                    self.fail(e.to_string());
                }
                self.reload();
                return None;
            }
            // A key of the screen behind: the checklist (which may have opened by
            // itself) steps aside, as closed, and the key does what it says.
            None => {
                if let Some(action) = super::keys::action_for(self.tab, key) {
                    if let Err(e) = self.store.mark_seen(&entries, self.now) {
                        self.fail(e.to_string());
                    }
                    self.reload();
                    self.act(action);
                    return self.overlay.take();
                }
            }
        }
        let left = self.checklist_entries(&sessions).len();
        if left == 0 {
            return None;
        }
        Some(Overlay::Checklist { sessions, cursor: cursor.min(left - 1), popped })
    }

    /// The course grows to `target` sessions (every one done so far its own),
    /// and the new one's form opens.
    fn extend_course(&mut self, id: i64, target: u32) -> Option<Overlay> {
        let extended = self.store.course(id).and_then(|mut c| {
            c.sessions_target = target;
            c.status = crate::domain::CourseStatus::Active;
            self.store.update_course(&c).map(|()| c.sessions_target)
        });
        match extended {
            Ok(target) => {
                self.reload();
                self.done(format!("The course now has {target} sessions"));
                self.open_new_session(crate::domain::SessionStatus::Done);
                self.overlay.take()
            }
            Err(e) => {
                self.fail(e.to_string());
                None
            }
        }
    }

    fn confirmed(&mut self, on_yes: Confirmed) -> Option<Overlay> {
        let outcome = match on_yes {
            Confirmed::Quit { .. } => return self.quit_now(),
            Confirmed::DeleteSession(id) => self
                .store
                .remove_session(id, "", self.now)
                .map(|_| "Moved the session to the trash — press u to undo".to_string()),
            Confirmed::ToggleArchive(id) => {
                let person = self.person(id).cloned();
                match person {
                    Some(mut p) => {
                        p.archived = !p.archived;
                        let verb = if p.archived { "Archived" } else { "Brought back" };
                        self.store.update_person(&p).map(|()| format!("{verb} {}", p.name))
                    }
                    None => return None,
                }
            }
            Confirmed::EndRecall(id) => {
                let today = crate::domain::time::local_date(self.now, &self.zone);
                self.store.end_recall(id, today).map(|()| "No more recalls for that course".to_string())
            }
            Confirmed::CloseCourse(id) => self
                .store
                .set_course_status(id, crate::domain::CourseStatus::Completed)
                .map(|()| "Marked the course complete".to_string()),
            Confirmed::MoveBooking(id) => {
                self.open_session(id, "Move the booked session", |_| {});
                return self.overlay.take();
            }
            Confirmed::LogBooking { booking } => {
                self.mark_done(booking);
                return self.overlay.take();
            }
            Confirmed::LogMaintenance { .. } => {
                self.open_session_form(crate::domain::SessionStatus::Done);
                return self.overlay.take();
            }
        };
        match outcome {
            Ok(message) => {
                self.reload();
                self.done(message);
            }
            Err(e) => self.fail(e.to_string()),
        }
        None
    }

    fn handle_form(&mut self, mut form: Form, editor: Editor, key: KeyEvent) -> Option<Overlay> {
        let action = lookup(FORM_KEYS, &key).unwrap_or(FormAction::Edit);
        if action == FormAction::Quit {
            if !form.dirty {
                return self.quit_now();
            }
            return App::ask_quit("Quit and lose what you typed?", Overlay::Form { form, editor });
        }
        match form.act(action, key) {
            FormEvent::Cancel => return None,
            FormEvent::Changed(field) => editor.changed(&mut form, field, self.rules),
            FormEvent::Submit => return self.submit(form, editor),
            FormEvent::Nothing => {}
        }
        Some(Overlay::Form { form, editor })
    }

    /// Reads the form; on errors it stays open with them, a session that becomes
    /// done goes through the contraindication questions, everything else is saved.
    pub(super) fn submit(&mut self, mut form: Form, editor: Editor) -> Option<Overlay> {
        // Pictures are read off this thread; until they are, the form waits.
        let photos = match &editor {
            Editor::Session { .. } | Editor::CoursePhotos { .. } => self.photos_for(form.value("photos")),
            _ => super::photo_check::Photos::Checked(Ok(Vec::new())),
        };
        // The course's other sessions, every one (a course listed from where it
        // stands holds only its last ones).
        let listed = editor.course_id().and_then(|id| self.summary(id));
        let read_whole = match listed {
            Some(s) if !s.whole => self.store.sessions_of(&[s.course.id]).unwrap_or_default(),
            _ => Vec::new(),
        };
        let others = match listed {
            Some(s) if s.whole => s.sessions.as_slice(),
            _ => read_whole.as_slice(),
        };
        let Some(edited) = editor.read(
            &mut form,
            &editors::Reading { others, rules: self.rules, kind: self.kind, now: self.now, zone: &self.zone, photos },
        ) else {
            return Some(Overlay::Form { form, editor });
        };
        // A done session at an odd time (hours after another, before the course)
        // is saved on a second Enter, once the warning has been read.
        if let Editor::Session { session, .. } = &edited
            && session.is_done()
            && let Some(warning) = form.field("when").and_then(|f| f.warning.clone())
            && form.acknowledged.as_deref() != Some(warning.as_str())
        {
            form.acknowledged = Some(warning);
            return Some(Overlay::Form { form, editor });
        }
        // Pictures with no consent to photos on record (a practitioner's file):
        // kept on a second Enter, once that has been read.
        let pictures = match &edited {
            Editor::Session { session, photos, .. } => Some((session.course_id, photos)),
            Editor::CoursePhotos { course_id, photos } => Some((*course_id, photos)),
            _ => None,
        };
        if let Some((course_id, photos)) = pictures
            && !photos.is_empty()
            && self.kind == crate::domain::FileKind::Practitioner
            && !self.store.consents_of(&[course_id]).is_ok_and(|c| c.first().is_some_and(|c| c.photos))
        {
            let warning = "no consent to photos on record for this course: Enter again keeps them".to_string();
            if form.acknowledged.as_deref() != Some(warning.as_str()) {
                if let Some(field) = form.field_mut("photos") {
                    field.warning = Some(warning.clone());
                }
                form.acknowledged = Some(warning);
                return Some(Overlay::Form { form, editor });
            }
        }
        // A session that becomes done — new, or planned until now — is screened first.
        if let Editor::Session { session, stored, .. } = &edited
            && session.is_done()
            && stored.as_ref().is_none_or(|stored| !stored.is_done())
        {
            let ticked = vec![false; self.rules.contraindications.len()];
            return Some(Overlay::Contraindications { form, editor, edited, ticked, cursor: 0 });
        }
        // What was worth a look, in the saved message too: the first, and how many more.
        let all: Vec<String> = form
            .fields
            .iter()
            .filter_map(|f| f.warning.as_deref())
            .flat_map(|w| w.split("; "))
            .map(String::from)
            .collect();
        let warning = match all.as_slice() {
            [] => self.caution_for(&edited),
            [one] => Some(one.clone()),
            [first, rest @ ..] => Some(format!("{first} (+{} more)", rest.len())),
        };
        let message = match (warning, &edited, edited.is_new()) {
            (Some(w), ..) => format!("Saved — note: {w}"),
            (None, Editor::Course { .. }, true) => "Course started: a logs a session you had, p plans one".into(),
            (None, Editor::Person { .. }, true) => "Added: n starts their first course".into(),
            (None, Editor::Diary { entry }, _) => format!("Noted day {} in the recovery diary", entry.day),
            (None, Editor::Event { event }, false) if event.void.is_some() => {
                format!("Voided adverse event {}: kept on record, counted nowhere", event.id)
            }
            (None, Editor::CoursePhotos { photos, .. }, _) => {
                let n = i64::try_from(photos.len()).unwrap_or(i64::MAX);
                format!("Kept {} with the course", crate::text::plural(n, "photo"))
            }
            (None, Editor::Void { .. }, _) => {
                "Voided: kept on record, counted nowhere — press u to bring it back".into()
            }
            (None, Editor::Consent { consent }, _) => {
                let photos = if consent.photos { "photos included" } else { "no photos" };
                format!("Consent on record: {} ({photos})", consent.what)
            }
            (None, ..) => "Saved".into(),
        };
        self.save_or_settle(form, editor, edited, message)
    }

    /// Saves; when the same fields were changed elsewhere meanwhile, asks which to
    /// keep; on any other refusal the form stays open with it.
    fn save_or_settle(&mut self, mut form: Form, editor: Editor, edited: Editor, saved: String) -> Option<Overlay> {
        match self.save(&edited, &Settle::default()) {
            Ok(()) => {
                self.done(saved);
                // One's own item was added from the checklist: back to it, as opened by hand.
                if let Editor::CustomItem { .. } = edited {
                    self.pop_checklist();
                    if let Some(Overlay::Checklist { popped, .. }) = &mut self.overlay {
                        *popped = false;
                    }
                    return self.overlay.take();
                }
                None
            }
            Err(StoreError::Changed { conflicts, .. }) => {
                let keep_mine = vec![true; conflicts.len()];
                Some(Overlay::Conflict { form, editor, edited, conflicts, keep_mine, cursor: 0 })
            }
            Err(e) => {
                form.error = Some(e.to_string());
                Some(Overlay::Form { form, editor })
            }
        }
    }
}
