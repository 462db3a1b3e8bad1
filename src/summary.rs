//! Where each course stands right now, with its active checklist and ticks: the
//! answer to "what matters now", shared by `needlelog status` and the app.

use chrono::{DateTime, TimeZone, Utc};

use crate::domain::checklist::active_items;
use crate::domain::rules::{ChecklistItem, Rules};
use crate::domain::windows::{CourseState, course_state};
use crate::domain::{Course, Person, Session};
use crate::store::{Result, Store};

/// One checklist item that applies now, and whether it is ticked.
#[derive(Debug, Clone, PartialEq)]
pub struct ChecklistEntry {
    pub item: ChecklistItem,
    pub session_id: i64,
    pub session_at: DateTime<Utc>,
    pub until: DateTime<Utc>,
    pub done: bool,
    /// Shown already in a checklist that was closed.
    pub seen: bool,
}

/// A course, whose it is, its sessions (oldest first) and where it stands.
#[derive(Debug, Clone)]
pub struct CourseSummary {
    pub course: Course,
    pub person: Person,
    pub sessions: Vec<Session>,
    pub state: CourseState,
    pub checklist: Vec<ChecklistEntry>,
}

impl CourseSummary {
    /// `Ana ▸ Acne scars (cheeks)`.
    pub fn title(&self, rules: &Rules) -> String {
        format!(
            "{} ▸ {} ({})",
            self.person.name,
            rules.concern_name(&self.course.concern),
            self.course.areas.join(", ")
        )
    }

    /// The sessions whose checklist should pop up by itself: some item applies that
    /// is neither ticked nor already shown.
    pub fn sessions_to_pop(&self) -> Vec<i64> {
        let mut ids: Vec<i64> = Vec::new();
        for e in self.checklist.iter().filter(|e| !e.done && !e.seen) {
            if !ids.contains(&e.session_id) {
                ids.push(e.session_id);
            }
        }
        ids
    }

    /// Ticked and total items of the active checklist.
    pub fn checklist_progress(&self) -> (usize, usize) {
        (self.checklist.iter().filter(|e| e.done).count(), self.checklist.len())
    }
}

/// Summaries of `courses` at `now`, in the order given.
pub fn summarize<Tz: TimeZone>(
    store: &Store,
    courses: Vec<Course>,
    rules: &Rules,
    now: DateTime<Utc>,
    tz: &Tz,
) -> Result<Vec<CourseSummary>> {
    let ids: Vec<i64> = courses.iter().map(|c| c.id).collect();
    let mut sessions = store.sessions_of(&ids)?;
    let mut people = std::collections::HashMap::new();
    for p in store.people(true)? {
        people.insert(p.id, p);
    }
    let mut out = Vec::with_capacity(courses.len());
    for course in courses {
        let (mine, rest): (Vec<Session>, Vec<Session>) = sessions.into_iter().partition(|s| s.course_id == course.id);
        sessions = rest;
        let state = course_state(&course, &mine, &rules.course, now, tz);
        let mut items = rules.checklist.clone();
        items.extend(store.custom_items(course.id)?.iter().map(|c| c.to_item()));
        let active = active_items(&items, &mine, now);
        let session_ids: Vec<i64> = active.iter().map(|a| a.session_id).collect();
        let (ticks, seen) = if session_ids.is_empty() {
            (Vec::new(), Vec::new())
        } else {
            (store.ticks_of(&session_ids)?, store.seen_of(&session_ids)?)
        };
        let checklist = active
            .iter()
            .map(|a| ChecklistEntry {
                item: a.item.clone(),
                session_id: a.session_id,
                session_at: a.session_at,
                until: a.until,
                done: ticks.iter().any(|t| t.session_id == a.session_id && t.item_id == a.item.id),
                seen: seen.iter().any(|(id, item)| *id == a.session_id && *item == a.item.id),
            })
            .collect();
        let person = match people.get(&course.person_id) {
            Some(p) => p.clone(),
            None => store.person(course.person_id)?,
        };
        out.push(CourseSummary { course, person, sessions: mine, state, checklist });
    }
    Ok(out)
}
