//! The recall list: who needs a session, grouped (overdue, this week, next week,
//! later, maintenance, lapsed) and most urgent first, from where each course
//! stands. Pure: the app's Due list and `needlelog due` read the courses, this
//! decides.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};

use super::windows::CourseState;
use super::{Course, CourseStatus, Person};

/// Where a course stands in the recall list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum RecallGroup {
    /// The next window has closed, less than an interval ago.
    Overdue,
    /// A session is due within the next 7 days (its window is open or opens).
    ThisWeek,
    /// Due in 7 to 13 days.
    NextWeek,
    /// Due later than that, within the look-ahead asked for.
    Later,
    /// A finished course whose maintenance window is open.
    Maintenance,
    /// Overdue by more than the interval again, or maintenance whose window has passed.
    Lapsed,
}

impl RecallGroup {
    pub const ALL: [RecallGroup; 6] = [
        RecallGroup::Overdue,
        RecallGroup::ThisWeek,
        RecallGroup::NextWeek,
        RecallGroup::Later,
        RecallGroup::Maintenance,
        RecallGroup::Lapsed,
    ];

    pub fn title(self) -> &'static str {
        match self {
            RecallGroup::Overdue => "Overdue",
            RecallGroup::ThisWeek => "This week",
            RecallGroup::NextWeek => "Next week",
            RecallGroup::Later => "Later",
            RecallGroup::Maintenance => "Maintenance",
            RecallGroup::Lapsed => "Lapsed",
        }
    }

    /// A stable key for scripts.
    pub fn key(self) -> &'static str {
        match self {
            RecallGroup::Overdue => "overdue",
            RecallGroup::ThisWeek => "this_week",
            RecallGroup::NextWeek => "next_week",
            RecallGroup::Later => "later",
            RecallGroup::Maintenance => "maintenance",
            RecallGroup::Lapsed => "lapsed",
        }
    }
}

/// One course in the recall list.
#[derive(Debug, Clone, PartialEq)]
pub struct Recall {
    pub course_id: i64,
    pub group: RecallGroup,
    /// The day the session is due from (or was due by, when late).
    pub day: NaiveDate,
    /// Days late (overdue, lapsed) or days until due (this and next week).
    pub days: i64,
    /// A session already booked.
    pub booked: Option<DateTime<Utc>>,
    /// The last day of the window (due ones).
    pub closes: Option<NaiveDate>,
}

/// The recall list: who needs a session, grouped and most urgent first within each
/// group; due ones only when due within `within_days`. People archived, courses
/// paused and finished courses that a later course of the same concern followed
/// are left out.
pub fn recalls<'a>(
    courses: impl IntoIterator<Item = (&'a Course, &'a Person, &'a CourseState)>,
    within_days: i64,
    quiet: &HashSet<i64>,
    recall_months: u32,
) -> Vec<Recall> {
    let mut out = Vec::new();
    for (course, person, state) in courses {
        // Ended or put off (`course recall`), archived, paused: not recalled.
        if person.archived || course.status == CourseStatus::Paused || quiet.contains(&course.id) {
            continue;
        }
        let today = state.today;
        let booked = state.next_planned.map(|(_, at)| at);
        let closes = state.next_window.map(|w| w.latest);
        let recall = |group, day, days| Recall { course_id: course.id, group, day, days, booked, closes };
        if let Some(m) = state.maintenance {
            // A missed maintenance is recalled for a while, then no more.
            if today > super::time::add_months(m.latest, recall_months) {
                continue;
            }
            if today > m.latest {
                out.push(recall(RecallGroup::Lapsed, m.latest, (today - m.latest).num_days()));
            } else if today >= m.earliest {
                out.push(recall(RecallGroup::Maintenance, m.earliest, (today - m.earliest).num_days()));
            }
        } else if let Some(w) = state.next_window {
            if today > w.latest {
                let late = (today - w.latest).num_days();
                let group =
                    if late > i64::from(course.interval.max) { RecallGroup::Lapsed } else { RecallGroup::Overdue };
                out.push(recall(group, w.latest, late));
            } else {
                let due = w.earliest.max(today);
                let days = (due - today).num_days();
                if days <= within_days {
                    let group = match days {
                        ..7 => RecallGroup::ThisWeek,
                        7..14 => RecallGroup::NextWeek,
                        _ => RecallGroup::Later,
                    };
                    out.push(recall(group, due, days));
                }
            }
        }
    }
    sort(&mut out);
    out
}

/// The recall list's order: by group, the most urgent first within each.
pub fn sort(list: &mut [Recall]) {
    list.sort_by(|a, b| {
        let urgency = |r: &Recall| match r.group {
            RecallGroup::Overdue | RecallGroup::Lapsed | RecallGroup::Maintenance => -r.days,
            RecallGroup::ThisWeek | RecallGroup::NextWeek | RecallGroup::Later => r.days,
        };
        // Within a group, the most urgent first: then the window that closes
        // soonest (a day left before thirteen).
        (a.group, a.booked.is_some(), urgency(a), a.closes, a.course_id).cmp(&(
            b.group,
            b.booked.is_some(),
            urgency(b),
            b.closes,
            b.course_id,
        ))
    });
}

/// Each person's latest course of each concern among those noted: what tells a
/// finished course that a later one followed.
#[derive(Debug, Default)]
pub struct Latest {
    /// By person and concern (its number in `concerns`: a practice has tens of
    /// thousands of courses and a dozen concerns).
    latest: HashMap<(i64, usize), (NaiveDate, i64)>,
    concerns: Vec<String>,
}

/// What [`Latest`] needs to say whether a later course followed one, without
/// the course itself: a list of thousands of finished courses keeps this much.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lineage {
    person_id: i64,
    /// Its number in [`Latest`]'s concerns.
    concern: usize,
    pub started_on: NaiveDate,
    pub id: i64,
    completed: bool,
}

impl Latest {
    pub fn note(&mut self, c: &Course) {
        self.lineage(c);
    }

    /// Notes `c` and says what tells later whether a later course followed it.
    pub fn lineage(&mut self, c: &Course) -> Lineage {
        let concern = match self.concerns.iter().position(|k| *k == c.concern) {
            Some(i) => i,
            None => {
                self.concerns.push(c.concern.clone());
                self.concerns.len() - 1
            }
        };
        let latest = self.latest.entry((c.person_id, concern)).or_insert((c.started_on, c.id));
        *latest = (*latest).max((c.started_on, c.id));
        Lineage {
            person_id: c.person_id,
            concern,
            started_on: c.started_on,
            id: c.id,
            completed: c.status == CourseStatus::Completed,
        }
    }

    /// `c` is finished and a later course of its concern was noted.
    pub fn supersedes(&self, c: &Course) -> bool {
        let Some(concern) = self.concerns.iter().position(|k| *k == c.concern) else { return false };
        let lineage = Lineage {
            person_id: c.person_id,
            concern,
            started_on: c.started_on,
            id: c.id,
            completed: c.status == CourseStatus::Completed,
        };
        self.followed(&lineage)
    }

    /// The course of `lineage` is finished and a later course of its concern was
    /// noted.
    pub fn followed(&self, lineage: &Lineage) -> bool {
        let latest = self.latest.get(&(lineage.person_id, lineage.concern));
        lineage.completed && latest.is_some_and(|&latest| latest != (lineage.started_on, lineage.id))
    }
}
