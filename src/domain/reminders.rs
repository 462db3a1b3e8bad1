//! The moments worth telling someone about when the app is closed: pre-care
//! starting before a planned session, the sensitive hours ending, the next window
//! opening and about to close, a session overdue, maintenance due, and the day the
//! results are judged.
//!
//! Each reminder has a moment it becomes worth telling (`at`) and a moment after
//! which it is stale (`until`): `remind` tells the ones whose `at` falls within its
//! look-ahead and that are not stale yet. Each has a key that names the event and
//! the dates it depends on, so a reminder told once is not told again, while a
//! session moved to another day is a new event.

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, TimeZone, Utc};

use super::CarePhase;
use super::checklist::ChecklistItem;
use super::model::{Course, Session};
use super::rules::Rules;
use super::time::{add_days, after_hours, resolve_local_lenient};
use super::windows::{CourseState, DateWindow, ResultsBasis};

/// A finished course is watched this many months past its longest maintenance
/// spacing: by then its last reminder is stale.
pub const WATCH_GRACE_MONTHS: u32 = 1;
/// Day-based reminders (a window opening, maintenance) are due at this local hour,
/// not at midnight.
const DAY_REMINDER_HOUR: u32 = 9;
/// "The window closes in 3 days: book now."
const CLOSING_LEAD_DAYS: u32 = 3;
/// How long "overdue" and "time to judge the results" stay worth telling.
const STALE_AFTER_DAYS: i64 = 14;
/// "Did it happen?" is asked this many hours after a planned session's time.
const PASSED_AFTER_HOURS: i64 = 2;
/// How long "the sensitive hours are over" stays worth telling.
const SENSITIVE_OVER_STALE_HOURS: i64 = 24;

/// What a reminder is about.
#[derive(Debug, Clone, PartialEq)]
pub enum ReminderKind {
    /// Pre-care items that start `lead_hours` before a planned session.
    PreCare { session_id: i64, session_at: DateTime<Utc>, lead_hours: i64, items: Vec<String> },
    /// The sensitive hours after a session are over.
    SensitiveOver { session_id: i64, session_at: DateTime<Utc> },
    /// The next window opens (nothing is booked yet).
    WindowOpens { window: DateWindow },
    /// The next window closes in a few days (nothing is booked yet).
    WindowClosing { window: DateWindow },
    /// The next window has closed without a session.
    Overdue { window: DateWindow },
    /// A finished course's maintenance window is open.
    MaintenanceDue { window: DateWindow },
    /// The day the course's final results are judged.
    ResultsDay { day: NaiveDate },
    /// A planned session's time has passed: did it happen? Asked once a day
    /// (`asked`: 0 the day it passed, 1 the next…) until answered.
    Passed { session_id: i64, session_at: DateTime<Utc>, asked: u32 },
}

impl ReminderKind {
    /// A stable key for scripts.
    pub fn key(&self) -> &'static str {
        match self {
            ReminderKind::PreCare { .. } => "pre_care",
            ReminderKind::SensitiveOver { .. } => "sensitive_over",
            ReminderKind::WindowOpens { .. } => "window_opens",
            ReminderKind::WindowClosing { .. } => "window_closing",
            ReminderKind::Overdue { .. } => "overdue",
            ReminderKind::MaintenanceDue { .. } => "maintenance_due",
            ReminderKind::ResultsDay { .. } => "results_day",
            ReminderKind::Passed { .. } => "passed",
        }
    }
}

/// One moment worth telling.
#[derive(Debug, Clone, PartialEq)]
pub struct Reminder {
    pub course_id: i64,
    /// When it becomes worth telling.
    pub at: DateTime<Utc>,
    /// When it is stale: not told any more.
    pub until: DateTime<Utc>,
    pub kind: ReminderKind,
}

impl Reminder {
    /// Names this event and the dates it hangs on: told once per key.
    pub fn key(&self) -> String {
        // `20261124T0900`, written out: a practice's run keys thousands.
        let stamp = |at: DateTime<Utc>| {
            use chrono::{Datelike, Timelike};
            format!("{:04}{:02}{:02}T{:02}{:02}", at.year(), at.month(), at.day(), at.hour(), at.minute())
        };
        let kind = self.kind.key();
        match &self.kind {
            ReminderKind::PreCare { session_id, session_at, lead_hours, .. } => {
                format!("{kind}:session-{session_id}:{}:{lead_hours}h", stamp(*session_at))
            }
            ReminderKind::SensitiveOver { session_id, session_at } => {
                format!("{kind}:session-{session_id}:{}", stamp(*session_at))
            }
            ReminderKind::Passed { session_id, session_at, asked: 0 } => {
                format!("{kind}:session-{session_id}:{}", stamp(*session_at))
            }
            ReminderKind::Passed { session_id, session_at, asked } => {
                format!("{kind}:session-{session_id}:{}:{asked}", stamp(*session_at))
            }
            ReminderKind::WindowOpens { window }
            | ReminderKind::WindowClosing { window }
            | ReminderKind::Overdue { window }
            | ReminderKind::MaintenanceDue { window } => {
                format!("{kind}:course-{}:{}:{}", self.course_id, window.earliest, window.latest)
            }
            ReminderKind::ResultsDay { day } => format!("{kind}:course-{}:{day}", self.course_id),
        }
    }

    /// Worth telling at `now`, looking `ahead` forward. "Did it happen?" never
    /// looks ahead: it is asked once the booked time has passed, not before.
    pub fn is_due(&self, now: DateTime<Utc>, ahead: Duration) -> bool {
        due_between(self.at, self.until, matches!(self.kind, ReminderKind::Passed { .. }), now, ahead)
    }
}

/// A reminder from `at` until `until` is worth telling at `now`, looking `ahead`
/// (`passed`: a "did it happen?", which never looks ahead).
fn due_between(at: DateTime<Utc>, until: DateTime<Utc>, passed: bool, now: DateTime<Utc>, ahead: Duration) -> bool {
    let by = if passed { now } else { now + ahead };
    at <= by && now < until
}

/// The reminders of `course` due at `now` looking `ahead` (see
/// [`Reminder::is_due`]), around the moment `state` was worked out for, in time
/// order. `sessions` are the course's own; `own_items` its own checklist items.
/// Those not due are never made: a practice's run weighs thousands of courses.
#[allow(clippy::too_many_arguments)]
pub fn reminders<Tz: TimeZone>(
    course: &Course,
    sessions: &[Session],
    own_items: &[ChecklistItem],
    state: &CourseState,
    rules: &Rules,
    tz: &Tz,
    now: DateTime<Utc>,
    ahead: Duration,
) -> Vec<Reminder> {
    let due = |at, until, passed| due_between(at, until, passed, now, ahead);
    let mut out = Vec::new();
    let at_nine = |day: NaiveDate| {
        resolve_local_lenient(day.and_time(NaiveTime::from_hms_opt(DAY_REMINDER_HOUR, 0, 0).unwrap_or_default()), tz)
    };
    let day_start = |day: NaiveDate| resolve_local_lenient(day.and_time(NaiveTime::MIN), tz);
    let mine = || sessions.iter().filter(|s| s.course_id == course.id);

    // Pre-care: one reminder per lead time that has items, for each planned session.
    let any_planned = mine().any(Session::is_planned);
    let pre_items: Vec<&ChecklistItem> = match any_planned {
        true => rules.checklist.iter().chain(own_items).filter(|i| i.phase == CarePhase::Pre).collect(),
        false => Vec::new(),
    };
    let mut leads: Vec<i64> = pre_items.iter().map(|i| -i.from_hours).filter(|h| *h > 0).collect();
    leads.sort_unstable_by(|a, b| b.cmp(a));
    leads.dedup();
    for s in mine().filter(|s| s.is_planned()) {
        for lead in &leads {
            let at = after_hours(s.at, -lead);
            if !due(at, s.at, false) {
                continue;
            }
            let items = pre_items.iter().filter(|i| -i.from_hours == *lead).map(|i| i.text.clone()).collect();
            out.push(Reminder {
                course_id: course.id,
                at,
                until: s.at,
                kind: ReminderKind::PreCare { session_id: s.id, session_at: s.at, lead_hours: *lead, items },
            });
        }
    }

    // A planned session whose time has come and gone, a couple of hours on:
    // did it happen? Asked again each day until answered (then it is no longer
    // planned and these go), for two weeks.
    for s in mine().filter(|s| s.is_planned()) {
        let first = after_hours(s.at, PASSED_AFTER_HOURS);
        for asked in 0..u32::try_from(STALE_AFTER_DAYS).unwrap_or(14) {
            let at = first + Duration::days(i64::from(asked));
            if !due(at, at + Duration::days(1), true) {
                continue;
            }
            out.push(Reminder {
                course_id: course.id,
                at,
                until: at + Duration::days(1),
                kind: ReminderKind::Passed { session_id: s.id, session_at: s.at, asked },
            });
        }
    }

    // The sensitive hours after each done session.
    for s in mine().filter(|s| s.is_done()) {
        let over = after_hours(s.at, rules.course.sensitive_hours);
        out.push(Reminder {
            course_id: course.id,
            at: over,
            until: after_hours(over, SENSITIVE_OVER_STALE_HOURS),
            kind: ReminderKind::SensitiveOver { session_id: s.id, session_at: s.at },
        });
    }

    // The next window, unless a session is booked already (or one booked has
    // passed unanswered: "did it happen?" is what to tell then).
    let booked = state.next_planned.is_some() || !state.unresolved.is_empty();
    if let (Some(window), false) = (state.next_window, booked) {
        let closes = day_start(add_days(window.latest, 1));
        out.push(Reminder {
            course_id: course.id,
            at: at_nine(window.earliest),
            until: closes,
            kind: ReminderKind::WindowOpens { window },
        });
        let closing_day = window.latest.checked_sub_days(chrono::Days::new(u64::from(CLOSING_LEAD_DAYS)));
        if let Some(day) = closing_day.filter(|d| *d > window.earliest) {
            out.push(Reminder {
                course_id: course.id,
                at: at_nine(day),
                until: closes,
                kind: ReminderKind::WindowClosing { window },
            });
        }
        let late = at_nine(add_days(window.latest, 1));
        out.push(Reminder {
            course_id: course.id,
            at: late,
            until: late + Duration::days(STALE_AFTER_DAYS),
            kind: ReminderKind::Overdue { window },
        });
    }

    // Maintenance, once the course is done.
    if let (Some(window), false) = (state.maintenance, booked) {
        out.push(Reminder {
            course_id: course.id,
            at: at_nine(window.earliest),
            until: day_start(add_days(window.latest, 1)),
            kind: ReminderKind::MaintenanceDue { window },
        });
    }

    // The day the results are judged, until a final rating is given.
    if let (Some(day), ResultsBasis::Done, None) = (state.final_results, state.results_basis, course.final_rating) {
        let at = at_nine(day);
        out.push(Reminder {
            course_id: course.id,
            at,
            until: at + Duration::days(STALE_AFTER_DAYS),
            kind: ReminderKind::ResultsDay { day },
        });
    }

    out.retain(|r| r.is_due(now, ahead));
    out.sort_by_key(|r| (r.at, r.kind.key()));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::model::{Device, SessionStatus};
    use crate::domain::time::resolve_local;
    use crate::domain::windows::course_state;
    use chrono::NaiveDateTime;
    use chrono_tz::Europe::London;

    fn at(s: &str) -> DateTime<Utc> {
        resolve_local(NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap(), &London).unwrap()
    }

    fn course(target: u32) -> Course {
        let rules = Rules::embedded();
        let acne = rules.protocol("acne-scars").unwrap();
        let start = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        Course { id: 3, areas: vec!["cheeks".into()], sessions_target: target, ..rules.new_course(1, acne, start) }
    }

    fn session(id: i64, when: &str, status: SessionStatus) -> Session {
        let mut s = Session::new(3, at(when), 0, status, Device::Pen);
        s.id = id;
        s
    }

    /// Keys are kept in the file (what was told): the words of one never change.
    #[test]
    fn a_reminders_key_names_its_kind_record_and_minute() {
        let session_at = at("2026-03-07 09:05");
        let until = session_at + Duration::hours(1);
        let pre = ReminderKind::PreCare { session_id: 7, session_at, lead_hours: 24, items: Vec::new() };
        let reminder = |kind| Reminder { course_id: 3, at: session_at, until, kind };
        assert_eq!(reminder(pre).key(), "pre_care:session-7:20260307T0905:24h");
        let passed = ReminderKind::Passed { session_id: 7, session_at: at("2026-11-24 23:59"), asked: 2 };
        assert_eq!(reminder(passed).key(), "passed:session-7:20261124T2359:2");
        let day = NaiveDate::from_ymd_opt(2026, 5, 1).unwrap();
        assert_eq!(reminder(ReminderKind::ResultsDay { day }).key(), "results_day:course-3:2026-05-01");
    }

    fn due_at(course: &Course, sessions: &[Session], now: &str, ahead_hours: i64) -> Vec<Reminder> {
        let rules = Rules::embedded();
        let now = at(now);
        let state = course_state(course, sessions, &rules.course, now, &London);
        reminders(course, sessions, &[], &state, rules, &London, now, Duration::hours(ahead_hours))
    }

    fn kinds(list: &[Reminder]) -> Vec<&'static str> {
        list.iter().map(|r| r.kind.key()).collect()
    }

    #[test]
    fn each_pre_care_lead_is_its_own_reminder_at_its_own_start() {
        let sessions = [
            session(1, "2026-01-05 10:00", SessionStatus::Done),
            session(2, "2026-02-09 10:00", SessionStatus::Planned),
        ];
        let c = course(6);
        // Two weeks ahead: the no-laser rule starts.
        let two_weeks = due_at(&c, &sessions, "2026-01-26 10:00", 0);
        assert_eq!(kinds(&two_weeks), ["pre_care"]);
        let ReminderKind::PreCare { lead_hours, items, .. } = &two_weeks[0].kind else { panic!() };
        assert_eq!(*lead_hours, 336);
        assert!(items[0].contains("laser"), "{items:?}");
        // The day before: the 24 h items, and the earlier leads are still worth telling.
        let day_before = due_at(&c, &sessions, "2026-02-08 10:00", 0);
        let leads: Vec<i64> = day_before
            .iter()
            .filter_map(|r| match &r.kind {
                ReminderKind::PreCare { lead_hours, .. } => Some(*lead_hours),
                _ => None,
            })
            .collect();
        assert_eq!(leads, [336, 168, 72, 24]);
        // Once the session time has come, none.
        assert!(due_at(&c, &sessions, "2026-02-09 10:00", 0).iter().all(|r| r.kind.key() != "pre_care"));
    }

    #[test]
    fn the_sensitive_hours_end_72_real_hours_later_across_the_clock_change() {
        // British clocks go forward on 2026-03-29: 72 h after Sat 10:00 reads Tue 11:00.
        let sessions = [session(1, "2026-03-28 10:00", SessionStatus::Done)];
        let c = course(6);
        assert!(due_at(&c, &sessions, "2026-03-31 10:59", 0).is_empty());
        let over = due_at(&c, &sessions, "2026-03-31 11:00", 0);
        assert_eq!(kinds(&over), ["sensitive_over"]);
        assert!(due_at(&c, &sessions, "2026-04-01 11:00", 0).is_empty(), "stale a day later");
    }

    #[test]
    fn the_window_opens_closes_and_is_overdue_once_each_unless_booked() {
        // Acne scars: 28–42 days after 5 Jan → 2 Feb to 16 Feb.
        let sessions = [session(1, "2026-01-05 10:00", SessionStatus::Done)];
        let c = course(6);
        assert_eq!(kinds(&due_at(&c, &sessions, "2026-02-02 09:00", 0)), ["window_opens"]);
        assert_eq!(kinds(&due_at(&c, &sessions, "2026-02-13 09:00", 0)), ["window_opens", "window_closing"]);
        let late = due_at(&c, &sessions, "2026-02-17 09:00", 0);
        assert_eq!(kinds(&late), ["overdue"]);
        assert!(due_at(&c, &sessions, "2026-03-04 09:00", 0).is_empty(), "overdue is stale after two weeks");

        let booked = [sessions[0].clone(), session(2, "2026-02-20 10:00", SessionStatus::Planned)];
        let told = due_at(&c, &booked, "2026-02-17 09:00", 0);
        assert!(told.iter().all(|r| r.kind.key() == "pre_care"), "{:?}", kinds(&told));
    }

    #[test]
    fn a_finished_course_tells_the_results_day_then_maintenance() {
        let sessions = [session(1, "2026-01-05 10:00", SessionStatus::Done)];
        let c = course(1);
        assert_eq!(kinds(&due_at(&c, &sessions, "2026-04-05 09:00", 0)), ["results_day"]);
        let rated = Course { final_rating: Some(8), ..c.clone() };
        assert!(due_at(&rated, &sessions, "2026-04-05 09:00", 0).is_empty());
        // Maintenance: 3–6 months, from the day after the results are judged.
        assert_eq!(kinds(&due_at(&c, &sessions, "2026-04-06 09:00", 0)), ["results_day", "maintenance_due"]);
    }

    #[test]
    fn looking_ahead_tells_earlier_and_keys_follow_a_moved_session() {
        let c = course(6);
        let planned = [
            session(1, "2026-01-05 10:00", SessionStatus::Done),
            session(2, "2026-02-09 10:00", SessionStatus::Planned),
        ];
        let ahead = due_at(&c, &planned, "2026-02-07 10:00", 24);
        assert!(ahead.iter().any(|r| matches!(r.kind, ReminderKind::PreCare { lead_hours: 24, .. })));
        let moved = [planned[0].clone(), session(2, "2026-02-10 10:00", SessionStatus::Planned)];
        let key = |list: &[Reminder]| list.iter().map(Reminder::key).collect::<Vec<_>>();
        let before = key(&due_at(&c, &planned, "2026-02-08 12:00", 0));
        let after = key(&due_at(&c, &moved, "2026-02-08 12:00", 0));
        assert!(before.iter().all(|k| !after.contains(k)), "{before:?} / {after:?}");
    }
}
