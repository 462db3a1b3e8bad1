//! Where each course stands right now, with its active checklist and ticks: the
//! answer to "what matters now", shared by `needlelog status` and the app.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, TimeZone, Utc};

use crate::domain::checklist::ChecklistItem;
use crate::domain::checklist::active_items;
use crate::domain::rules::Rules;
use crate::domain::windows::{CourseState, Phase, course_state};
use crate::domain::{Course, CourseStatus, Person, Session};
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

/// A course, whose it is, its sessions (oldest first, depths not loaded: see
/// `Store::fill_depths`) and where it stands.
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

/// Active courses of people not archived that need a session, most urgent first:
/// overdue, then maintenance, then due (whose window closes soonest first).
pub fn due(courses: &[CourseSummary]) -> Vec<i64> {
    let mut due: Vec<&CourseSummary> = courses
        .iter()
        .filter(|c| c.course.status == CourseStatus::Active && !c.person.archived && c.state.phase.needs_session())
        .collect();
    due.sort_by_key(|c| match c.state.phase {
        Phase::Overdue { days_late } => (0, -days_late),
        Phase::MaintenanceDue { days } => (1, -days),
        Phase::Due { days_left } => (2, days_left),
        _ => (3, 0),
    });
    due.into_iter().map(|c| c.course.id).collect()
}

/// Summaries of `courses` at `now`, in the order given. All reads happen in one
/// read transaction, with one query per kind of row whatever the number of courses.
pub fn summarize<Tz: TimeZone>(
    store: &Store,
    courses: Vec<Course>,
    rules: &Rules,
    now: DateTime<Utc>,
    tz: &Tz,
) -> Result<Vec<CourseSummary>> {
    store.consistent(|| build(store, courses, rules, now, tz))
}

fn build<Tz: TimeZone>(
    store: &Store,
    courses: Vec<Course>,
    rules: &Rules,
    now: DateTime<Utc>,
    tz: &Tz,
) -> Result<Vec<CourseSummary>> {
    let ids: Vec<i64> = courses.iter().map(|c| c.id).collect();
    let mut sessions_by_course: HashMap<i64, Vec<Session>> = HashMap::new();
    for s in store.sessions_of(&ids)? {
        sessions_by_course.entry(s.course_id).or_default().push(s);
    }
    let mut custom_by_course: HashMap<i64, Vec<ChecklistItem>> = HashMap::new();
    for item in store.custom_items_of(&ids)? {
        custom_by_course.entry(item.course_id).or_default().push(item.to_item());
    }
    let mut person_ids: Vec<i64> = courses.iter().map(|c| c.person_id).collect();
    person_ids.sort_unstable();
    person_ids.dedup();
    let people: HashMap<i64, Person> = store.people_by_ids(&person_ids)?.into_iter().map(|p| (p.id, p)).collect();

    // First where each course stands and which items apply, then the ticks and
    // "seen" marks of all those sessions at once.
    let mut out = Vec::with_capacity(courses.len());
    let mut active_sessions = Vec::new();
    for course in courses {
        let mine = sessions_by_course.remove(&course.id).unwrap_or_default();
        let state = course_state(&course, &mine, &rules.course, now, tz);
        let mut items: Vec<&ChecklistItem> = rules.checklist.iter().collect();
        let own = custom_by_course.remove(&course.id).unwrap_or_default();
        items.extend(own.iter());
        let checklist: Vec<ChecklistEntry> = active_items(items.iter().copied(), &mine, now)
            .into_iter()
            .map(|a| ChecklistEntry {
                item: a.item.clone(),
                session_id: a.session_id,
                session_at: a.session_at,
                until: a.until,
                done: false,
                seen: false,
            })
            .collect();
        active_sessions.extend(checklist.iter().map(|e| e.session_id));
        let Some(person) = people.get(&course.person_id).cloned() else {
            return Err(crate::store::StoreError::NotFound { what: "person", id: course.person_id.to_string() });
        };
        out.push(CourseSummary { course, person, sessions: mine, state, checklist });
    }
    active_sessions.sort_unstable();
    active_sessions.dedup();
    if !active_sessions.is_empty() {
        let ticked: HashSet<(i64, String)> =
            store.ticks_of(&active_sessions)?.into_iter().map(|t| (t.session_id, t.item_id)).collect();
        let seen: HashSet<(i64, String)> = store.seen_of(&active_sessions)?.into_iter().collect();
        for entry in out.iter_mut().flat_map(|c| c.checklist.iter_mut()) {
            let key = (entry.session_id, entry.item.id.clone());
            entry.done = ticked.contains(&key);
            entry.seen = seen.contains(&key);
        }
    }
    Ok(out)
}
