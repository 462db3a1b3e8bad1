//! Where a course stands at a given moment: its phase, the next-session window,
//! the final-results date and maintenance.
//!
//! Hours-based windows (pre-care, sensitive) are absolute time; day- and month-based
//! windows are local calendar days in the zone passed in.

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};

use super::model::{Course, CourseStatus, Session};
use super::rules::CourseRules;
use super::time::{add_days, add_months, after_hours, local_date};

/// An inclusive span of local calendar days.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateWindow {
    pub earliest: NaiveDate,
    pub latest: NaiveDate,
}

/// The one thing that matters most about a course right now.
#[derive(Debug, Clone, PartialEq)]
pub enum Phase {
    /// No session done yet.
    NotStarted,
    /// The course is on hold.
    Paused,
    /// A planned session is less than `pre_care_hours` away.
    PreCare { session_id: i64, at: DateTime<Utc>, hours_left: i64 },
    /// Within 72 h of a done session.
    Sensitive { session_id: i64, until: DateTime<Utc>, hours_left: i64, intense: bool },
    /// Healing; the next window opens in `days` days.
    Recovering { days: i64 },
    /// The next window is open; it closes in `days_left` days (0 = today is the last day).
    Due { days_left: i64 },
    /// The next window closed `days_late` days ago.
    Overdue { days_late: i64 },
    /// Every session is done; maintenance from `maintenance_from`.
    Complete { maintenance_from: NaiveDate },
    /// A maintenance session is due (since `days` days); `late` days after its
    /// window closed (0 while it is open).
    MaintenanceDue { days: i64, late: i64 },
    /// The next session (or maintenance) is booked: nothing to book, nothing
    /// overdue. `outside` when the booking misses the window it is for.
    Booked { session_id: i64, at: DateTime<Utc>, day: NaiveDate, outside: bool },
}

impl Phase {
    /// A stable key for scripts.
    pub fn key(&self) -> &'static str {
        match self {
            Phase::NotStarted => "not_started",
            Phase::Paused => "paused",
            Phase::PreCare { .. } => "pre_care",
            Phase::Sensitive { .. } => "sensitive",
            Phase::Recovering { .. } => "recovering",
            Phase::Due { .. } => "due",
            Phase::Overdue { .. } => "overdue",
            Phase::Complete { .. } => "complete",
            Phase::MaintenanceDue { .. } => "maintenance_due",
            Phase::Booked { .. } => "booked",
        }
    }
}

/// What a course's results date is worked out from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResultsBasis {
    /// Every session is done: the last one.
    Done,
    /// The sessions planned, then the earliest spacing for any not planned yet.
    Planned,
    /// The earliest days of the windows ahead.
    EarliestDays,
    /// The next window has passed: from today, at the earliest spacing.
    FromToday,
}

/// Everything derived about a course at one moment.
#[derive(Debug, Clone, PartialEq)]
pub struct CourseState {
    pub phase: Phase,
    pub today: NaiveDate,
    /// Main sessions done (at most the target).
    pub sessions_done: u32,
    pub sessions_target: u32,
    pub sessions_left: u32,
    /// Maintenance sessions done: those done after the course's main sessions.
    pub maintenance_done: u32,
    /// The last session done, main or maintenance.
    pub last_done: Option<DateTime<Utc>>,
    /// The last main session done (the results are judged from its day).
    pub last_main: Option<DateTime<Utc>>,
    /// The day the last maintenance session has settled: its own results day
    /// (the course's results day belongs to its main sessions and never moves).
    pub settled_by: Option<NaiveDate>,
    /// The next planned session that has not happened yet.
    pub next_planned: Option<(i64, DateTime<Utc>)>,
    /// Planned sessions whose time has come and gone, oldest first: did they
    /// happen (done), move, or were they cancelled?
    pub unresolved: Vec<(i64, DateTime<Utc>)>,
    /// When the next planned session's pre-care begins.
    pub pre_care: Option<PreCareStart>,
    /// When the next session of the course should happen (none once complete).
    pub next_window: Option<DateWindow>,
    /// When a maintenance session is due (only once the course is complete).
    pub maintenance: Option<DateWindow>,
    /// When the final result can be judged: 3 months after the last session.
    pub final_results: Option<NaiveDate>,
    /// `final_results` is an estimate from the sessions still to come.
    pub final_results_projected: bool,
    /// What the results and collagen dates are worked out from.
    pub results_basis: ResultsBasis,
    /// Collagen keeps building until about this day.
    pub remodeling_end: Option<NaiveDate>,
}

/// When the pre-care of a session begins.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PreCareStart {
    /// The earliest item (e.g. no laser two weeks before).
    pub lead: DateTime<Utc>,
    /// The day-before rules, and the pre-care phase of the course.
    pub core: DateTime<Utc>,
}

/// When pre-care begins for a session at `at`.
pub fn pre_care_start(at: DateTime<Utc>, rules: &CourseRules) -> PreCareStart {
    PreCareStart { lead: after_hours(at, -rules.pre_care_lead_hours), core: after_hours(at, -rules.pre_care_hours) }
}

/// Works out where `course` stands at `now`. `sessions` may be in any order and may
/// include other courses' sessions (they are ignored).
pub fn course_state<Tz: TimeZone>(
    course: &Course,
    sessions: &[Session],
    rules: &CourseRules,
    now: DateTime<Utc>,
    tz: &Tz,
) -> CourseState {
    let done = sessions.iter().filter(|s| s.course_id == course.id && s.is_done()).count();
    course_state_counted(course, sessions, u32::try_from(done).unwrap_or(u32::MAX), rules, now, tz)
}

/// How many of a course's sessions were done, and when its last main one was
/// (the target-th done, once maintenance sessions follow it): what the course's
/// row keeps, so that a list of thousands of courses judges each without
/// reading its sessions.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counted {
    pub done: u32,
    pub last_main: Option<DateTime<Utc>>,
}

impl From<u32> for Counted {
    fn from(done: u32) -> Self {
        Counted { done, last_main: None }
    }
}

/// Where `course` stands, given how many of its sessions were done and a part of
/// its sessions holding at least the last one done and every planned one (what
/// the course's row keeps: see `Store::courses_standing`). Earlier done sessions
/// change nothing here: the count stands for them — unless more were done than
/// the course's target: the done sessions past it are maintenance, and the last
/// main one (whose day the results are judged from) is then either given by
/// `counted` or found among `sessions`, when they hold every done one.
pub fn course_state_counted<Tz: TimeZone>(
    course: &Course,
    sessions: &[Session],
    counted: impl Into<Counted>,
    rules: &CourseRules,
    now: DateTime<Utc>,
    tz: &Tz,
) -> CourseState {
    let counted = counted.into();
    let today = local_date(now, tz);
    let mine = || sessions.iter().filter(|s| s.course_id == course.id);
    // Main sessions first, up to the target; the rest are maintenance.
    let all_done = counted.done;
    let sessions_done = all_done.min(course.sessions_target);
    let maintenance_done = all_done - sessions_done;
    let mut dones: Vec<&Session> = mine().filter(|s| s.is_done()).collect();
    dones.sort_by_key(|s| (s.at, s.id));
    let last_done = dones.last().copied();
    let last_main = match maintenance_done {
        0 => last_done.map(|s| s.at),
        // The target-th of all done sessions, when all are here; else as counted
        // (or, not known, the last).
        _ if dones.len() == usize::try_from(all_done).unwrap_or(usize::MAX) => {
            dones.get(usize::try_from(course.sessions_target).unwrap_or(0).saturating_sub(1)).map(|s| s.at)
        }
        _ => counted.last_main.or(last_done.map(|s| s.at)),
    };
    let last_maintenance = last_done.filter(|_| maintenance_done > 0);
    let next_planned = mine().filter(|s| s.is_planned() && s.at > now).min_by_key(|s| s.at);
    let mut unresolved: Vec<(i64, DateTime<Utc>)> =
        mine().filter(|s| s.is_planned() && s.at <= now).map(|s| (s.id, s.at)).collect();
    unresolved.sort_by_key(|&(id, at)| (at, id));
    let sessions_left = course.sessions_target.saturating_sub(sessions_done);
    let complete = course.status == CourseStatus::Completed || sessions_left == 0;

    let last_day = last_main.map(|at| local_date(at, tz));
    let next_window = match (last_day, complete) {
        (Some(day), false) => Some(DateWindow {
            earliest: add_days(day, course.interval.min),
            latest: add_days(day, course.interval.max),
        }),
        _ => None,
    };
    // Maintenance begins after the day the results are judged, not on it; after
    // a maintenance session, the next is due its spacing after that one.
    let maintenance = match (last_day, complete) {
        (Some(_), true) if let Some(m) = last_maintenance => {
            let day = local_date(m.at, tz);
            Some(DateWindow {
                earliest: add_months(day, course.maintenance.min),
                latest: add_months(day, course.maintenance.max),
            })
        }
        (Some(day), true) => {
            let judged = add_months(day, rules.final_results_months);
            let earliest = add_months(day, course.maintenance.min).max(add_days(judged, 1));
            Some(DateWindow { earliest, latest: add_months(day, course.maintenance.max).max(earliest) })
        }
        _ => None,
    };

    // The last session: done already, or projected from the sessions planned, else
    // from the next window's first day (or today, once that window has passed).
    let mut planned: Vec<NaiveDate> =
        mine().filter(|s| s.is_planned() && s.at > now).map(|s| local_date(s.at, tz)).collect();
    planned.sort();
    let left = usize::try_from(sessions_left).unwrap_or(usize::MAX);
    let step = |from: NaiveDate, more: usize| add_days(from, course.interval.min * u32::try_from(more).unwrap_or(0));
    let (projected_last, results_basis) = if complete {
        (last_day, ResultsBasis::Done)
    } else if let Some(last_planned) = planned[..planned.len().min(left)].last() {
        (Some(step(*last_planned, left - planned.len().min(left))), ResultsBasis::Planned)
    } else {
        match next_window {
            Some(w) if today > w.latest => (Some(step(today, left.saturating_sub(1))), ResultsBasis::FromToday),
            Some(w) => (Some(step(w.earliest, left.saturating_sub(1))), ResultsBasis::EarliestDays),
            None => (None, ResultsBasis::EarliestDays),
        }
    };
    let final_results = projected_last.map(|d| add_months(d, rules.final_results_months));
    let remodeling_end = projected_last.map(|d| add_months(d, rules.remodeling_months[1]));

    let sensitive = last_done.and_then(|s| {
        let until = after_hours(s.at, rules.sensitive_hours);
        (s.at <= now && now < until).then(|| Phase::Sensitive {
            session_id: s.id,
            until,
            hours_left: ceil_hours(until - now),
            intense: now < after_hours(s.at, rules.most_intense_hours),
        })
    });
    let pre_care_from = next_planned.map(|s| pre_care_start(s.at, rules));
    let pre_care = next_planned.and_then(|s| {
        (pre_care_start(s.at, rules).core <= now).then(|| Phase::PreCare {
            session_id: s.id,
            at: s.at,
            hours_left: ceil_hours(s.at - now),
        })
    });

    let phase = if course.status == CourseStatus::Paused {
        Phase::Paused
    } else if let Some(p) = sensitive.or(pre_care) {
        p
    } else if let Some(m) = maintenance {
        if today >= m.earliest {
            Phase::MaintenanceDue { days: (today - m.earliest).num_days(), late: (today - m.latest).num_days().max(0) }
        } else {
            Phase::Complete { maintenance_from: m.earliest }
        }
    } else if let Some(w) = next_window {
        if today < w.earliest {
            Phase::Recovering { days: (w.earliest - today).num_days() }
        } else if today <= w.latest {
            Phase::Due { days_left: (w.latest - today).num_days() }
        } else {
            Phase::Overdue { days_late: (today - w.latest).num_days() }
        }
    } else {
        Phase::NotStarted
    };
    // A booking stands: what was "book now" or "overdue" is "booked" (one rule
    // for Today, status, the status line, reminders and the recall list).
    let phase = match (phase, next_planned) {
        (
            Phase::Recovering { .. }
            | Phase::Due { .. }
            | Phase::Overdue { .. }
            | Phase::Complete { .. }
            | Phase::MaintenanceDue { .. },
            Some(s),
        ) => {
            let day = local_date(s.at, tz);
            let outside = next_window.or(maintenance).is_some_and(|w| day < w.earliest || day > w.latest);
            Phase::Booked { session_id: s.id, at: s.at, day, outside }
        }
        (phase, _) => phase,
    };

    CourseState {
        phase,
        today,
        sessions_done,
        sessions_target: course.sessions_target,
        sessions_left,
        maintenance_done,
        last_done: last_done.map(|s| s.at),
        last_main,
        settled_by: last_maintenance.map(|m| add_months(local_date(m.at, tz), rules.final_results_months)),
        next_planned: next_planned.map(|s| (s.id, s.at)),
        unresolved,
        pre_care: pre_care_from,
        next_window,
        maintenance,
        final_results,
        final_results_projected: !complete,
        results_basis,
        remodeling_end,
    }
}

/// Each session's place in its course, as people count them: done sessions 1, 2,
/// 3… in time order, then the planned ones after them ("session 4 of 6"); a
/// cancelled session has none. `sessions` are one course's, in any order.
pub fn places(sessions: &[Session]) -> std::collections::HashMap<i64, u32> {
    let mut done: Vec<&Session> = sessions.iter().filter(|s| s.is_done()).collect();
    let mut planned: Vec<&Session> = sessions.iter().filter(|s| s.is_planned()).collect();
    done.sort_by_key(|s| (s.at, s.id));
    planned.sort_by_key(|s| (s.at, s.id));
    done.into_iter().chain(planned).zip(1..).map(|(s, place)| (s.id, place)).collect()
}

/// The maintenance sessions among `sessions`: each course's done sessions past
/// its target, in time order (what the course's own are, and what follows).
pub fn maintenance_ids(courses: &[Course], sessions: &[Session]) -> std::collections::HashSet<i64> {
    let targets: std::collections::HashMap<i64, u32> = courses.iter().map(|c| (c.id, c.sessions_target)).collect();
    maintenance_among(&targets, sessions)
}

/// [`maintenance_ids`] with each course's target given by id: what an export,
/// handed a course's done sessions at a time, asks.
pub fn maintenance_among(
    targets: &std::collections::HashMap<i64, u32>,
    sessions: &[Session],
) -> std::collections::HashSet<i64> {
    let mut done: Vec<&Session> = sessions.iter().filter(|s| s.is_done()).collect();
    done.sort_by_key(|s| (s.course_id, s.at, s.id));
    let mut seen: std::collections::HashMap<i64, u32> = std::collections::HashMap::new();
    done.into_iter()
        .filter(|s| {
            let n = seen.entry(s.course_id).or_default();
            *n += 1;
            targets.get(&s.course_id).is_some_and(|t| *n > *t)
        })
        .map(|s| s.id)
        .collect()
}

/// Whole hours, rounded up: 45 h 10 min left is "46 h left".
fn ceil_hours(d: Duration) -> i64 {
    let minutes = d.num_minutes().max(0);
    (minutes + 59) / 60
}

/// The default time for the next planned session: the first day of the next
/// window at the last session's wall-clock time.
pub fn default_plan_time<Tz: TimeZone>(state: &CourseState, now: DateTime<Utc>, tz: &Tz) -> Option<DateTime<Utc>> {
    let window = state.next_window.or(state.maintenance)?;
    let time = super::time::local_naive(state.last_done?, tz).time();
    let day = window.earliest.max(local_date(now, tz));
    let at = super::time::resolve_local_lenient(day.and_time(time), tz);
    // Never a time already past: that time tomorrow, while the window lasts;
    // else the next whole hour.
    if at > now {
        return Some(at);
    }
    let tomorrow = add_days(day, 1);
    if tomorrow <= window.latest {
        return Some(super::time::resolve_local_lenient(tomorrow.and_time(time), tz));
    }
    use chrono::Timelike;
    let wall = super::time::local_naive(now, tz);
    Some(now + Duration::minutes(60 - i64::from(wall.minute())) - Duration::seconds(i64::from(wall.second())))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::model::{Device, SessionStatus};
    use crate::domain::rules::Rules;
    use crate::domain::time::resolve_local;
    use chrono::NaiveDateTime;
    use chrono_tz::America::New_York;

    fn ny(s: &str) -> DateTime<Utc> {
        resolve_local(NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap(), &New_York).unwrap()
    }

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn course(target: u32) -> Course {
        let rules = Rules::embedded();
        let acne = rules.protocol("acne-scars").unwrap();
        Course {
            id: 1,
            areas: vec!["cheeks".into()],
            sessions_target: target,
            ..rules.new_course(1, acne, day("2026-01-01"))
        }
    }

    fn session(id: i64, at: &str, status: SessionStatus) -> Session {
        let mut s = Session::new(1, ny(at), -5 * 3600, status, Device::Pen);
        s.id = id;
        s
    }

    fn state_at(course: &Course, sessions: &[Session], now: &str) -> CourseState {
        course_state(course, sessions, &Rules::embedded().course, ny(now), &New_York)
    }

    #[test]
    fn a_course_without_sessions_has_not_started() {
        let s = state_at(&course(6), &[], "2026-02-01 09:00");
        assert_eq!(s.phase, Phase::NotStarted);
        assert_eq!((s.sessions_done, s.sessions_left), (0, 6));
        assert_eq!(s.next_window, None);
        assert_eq!(s.final_results, None);
    }

    #[test]
    fn sensitive_for_72_real_hours_across_the_dst_change() {
        // Clocks jump forward on 2026-03-08 in New York: 72 h later reads 11:00.
        let sessions = [session(7, "2026-03-07 10:00", SessionStatus::Done)];
        let c = course(6);
        let at_session = state_at(&c, &sessions, "2026-03-07 10:00");
        assert!(matches!(at_session.phase, Phase::Sensitive { hours_left: 72, intense: true, .. }));
        let Phase::Sensitive { until, .. } = at_session.phase else { unreachable!() };
        assert_eq!(until.with_timezone(&New_York).format("%Y-%m-%d %H:%M").to_string(), "2026-03-10 11:00");

        let after_24h = state_at(&c, &sessions, "2026-03-08 11:00");
        assert!(matches!(after_24h.phase, Phase::Sensitive { hours_left: 48, intense: false, .. }), "{after_24h:?}");
        let last_minute = state_at(&c, &sessions, "2026-03-10 10:59");
        assert!(matches!(last_minute.phase, Phase::Sensitive { hours_left: 1, .. }));
        // Exactly 72 h after: no longer sensitive. 10:00 local is only 71 h.
        assert!(matches!(state_at(&c, &sessions, "2026-03-10 10:00").phase, Phase::Sensitive { hours_left: 1, .. }));
        assert_eq!(state_at(&c, &sessions, "2026-03-10 11:00").phase, Phase::Recovering { days: 25 });
    }

    #[test]
    fn next_window_is_calendar_days_and_phases_follow_it() {
        let c = course(6);
        let sessions = [session(1, "2026-03-01 18:00", SessionStatus::Done)];
        let s = state_at(&c, &sessions, "2026-03-20 09:00");
        let window = DateWindow { earliest: day("2026-03-29"), latest: day("2026-04-12") };
        assert_eq!(s.next_window, Some(window));
        assert_eq!(s.phase, Phase::Recovering { days: 9 });
        // The day before the window opens, the day it opens, its last day, the day after.
        assert_eq!(state_at(&c, &sessions, "2026-03-28 23:59").phase, Phase::Recovering { days: 1 });
        assert_eq!(state_at(&c, &sessions, "2026-03-29 00:00").phase, Phase::Due { days_left: 14 });
        assert_eq!(state_at(&c, &sessions, "2026-04-12 23:59").phase, Phase::Due { days_left: 0 });
        let late = state_at(&c, &sessions, "2026-04-13 00:00");
        assert_eq!(late.phase, Phase::Overdue { days_late: 1 });
        assert_eq!(state_at(&c, &sessions, "2026-04-20 12:00").phase, Phase::Overdue { days_late: 8 });
    }

    #[test]
    fn pre_care_starts_exactly_24_hours_before_a_planned_session() {
        let c = course(6);
        let sessions = [
            session(1, "2026-03-01 10:00", SessionStatus::Done),
            session(2, "2026-04-02 10:00", SessionStatus::Planned),
        ];
        // Booked: no "book now" while the booking stands.
        let booked = state_at(&c, &sessions, "2026-04-01 09:59").phase;
        assert!(matches!(booked, Phase::Booked { session_id: 2, outside: false, .. }), "{booked:?}");
        let s = state_at(&c, &sessions, "2026-04-01 10:00");
        assert!(matches!(s.phase, Phase::PreCare { session_id: 2, hours_left: 24, .. }));
        assert_eq!(s.next_planned.map(|p| p.0), Some(2));
        // At the session time the planned session is no longer ahead: it asks
        // whether it happened (`unresolved`), and the window shows again.
        let passed = state_at(&c, &sessions, "2026-04-02 10:00");
        assert_eq!(passed.phase, Phase::Due { days_left: 10 });
        assert_eq!(passed.unresolved.len(), 1);
    }

    #[test]
    fn final_results_are_projected_until_the_course_is_complete() {
        let c = course(3);
        let mut sessions = vec![session(1, "2026-01-10 10:00", SessionStatus::Done)];
        let s = state_at(&c, &sessions, "2026-01-20 10:00");
        // Two more at 28-day spacing: Feb 7, Mar 7 → results Jun 7.
        assert_eq!(s.final_results, Some(day("2026-06-07")));
        assert!(s.final_results_projected);

        sessions.push(session(2, "2026-02-10 10:00", SessionStatus::Done));
        sessions.push(session(3, "2026-03-15 10:00", SessionStatus::Done));
        let done = state_at(&c, &sessions, "2026-04-01 10:00");
        // Maintenance begins the day after the results are judged, not on it.
        assert_eq!(done.phase, Phase::Complete { maintenance_from: day("2026-06-16") });
        assert_eq!(done.final_results, Some(day("2026-06-15")));
        assert_eq!(done.remodeling_end, Some(day("2026-09-15")));
        assert!(!done.final_results_projected);
        assert_eq!(done.results_basis, ResultsBasis::Done);
        assert_eq!(done.next_window, None);
        assert!(matches!(state_at(&c, &sessions, "2026-06-15 08:00").phase, Phase::Complete { .. }));
        assert_eq!(state_at(&c, &sessions, "2026-06-16 08:00").phase, Phase::MaintenanceDue { days: 0, late: 0 });
    }

    #[test]
    fn the_results_estimate_follows_the_plan_and_never_a_past_window() {
        let c = course(3);
        let mut sessions = vec![session(1, "2026-01-10 10:00", SessionStatus::Done)];
        // A week overdue (the window closed Feb 21): from today, not from Feb 7.
        let late = state_at(&c, &sessions, "2026-02-28 10:00");
        assert!(matches!(late.phase, Phase::Overdue { days_late: 7 }));
        assert_eq!(late.results_basis, ResultsBasis::FromToday);
        // Two more from Feb 28 at 28 days: Mar 28 → results Jun 28.
        assert_eq!(late.final_results, Some(day("2026-06-28")));
        // With the next session planned, from the plan (then the earliest spacing).
        sessions.push(session(2, "2026-03-03 10:00", SessionStatus::Planned));
        let planned = state_at(&c, &sessions, "2026-02-28 10:00");
        assert_eq!(planned.results_basis, ResultsBasis::Planned);
        // Mar 3, then one more 28 days on: Mar 31 → results Jun 30.
        assert_eq!(planned.final_results, Some(day("2026-06-30")));
    }

    #[test]
    fn cancelled_and_other_courses_sessions_do_not_count() {
        let c = course(3);
        let mut other = session(9, "2026-03-10 10:00", SessionStatus::Done);
        other.course_id = 2;
        let sessions = [
            session(1, "2026-03-01 10:00", SessionStatus::Done),
            session(2, "2026-03-05 10:00", SessionStatus::Cancelled),
            other,
        ];
        let s = state_at(&c, &sessions, "2026-03-20 10:00");
        assert_eq!(s.sessions_done, 1);
        assert_eq!(s.next_window.map(|w| w.earliest), Some(day("2026-03-29")));
    }

    #[test]
    fn paused_courses_say_so() {
        let mut c = course(3);
        c.status = CourseStatus::Paused;
        let sessions = [session(1, "2026-03-01 10:00", SessionStatus::Done)];
        assert_eq!(state_at(&c, &sessions, "2026-06-01 10:00").phase, Phase::Paused);
    }

    #[test]
    fn default_plan_time_keeps_the_time_of_day() {
        let c = course(6);
        let sessions = [session(1, "2026-02-20 18:30", SessionStatus::Done)];
        let s = state_at(&c, &sessions, "2026-02-25 09:00");
        let at = default_plan_time(&s, ny("2026-02-25 09:00"), &New_York).unwrap();
        // 28 calendar days later, across the DST change, still 18:30 on the wall.
        assert_eq!(at, ny("2026-03-20 18:30"));
        // When the window is already open, today at that time.
        let late = state_at(&c, &sessions, "2026-03-25 09:00");
        assert_eq!(default_plan_time(&late, ny("2026-03-25 09:00"), &New_York), Some(ny("2026-03-25 18:30")));
        // Never a time already past: that time tomorrow while the window lasts...
        let evening = state_at(&c, &sessions, "2026-03-25 20:00");
        assert_eq!(default_plan_time(&evening, ny("2026-03-25 20:00"), &New_York), Some(ny("2026-03-26 18:30")));
        // ...else the next whole hour (the window's last day, 3 Apr, evening).
        let last = state_at(&c, &sessions, "2026-04-03 20:10");
        assert_eq!(default_plan_time(&last, ny("2026-04-03 20:10"), &New_York), Some(ny("2026-04-03 21:00")));
    }

    #[test]
    fn a_planned_session_that_passes_stays_to_be_answered() {
        let c = course(6);
        let sessions = [
            session(1, "2026-03-01 10:00", SessionStatus::Done),
            session(2, "2026-03-30 08:00", SessionStatus::Planned),
            session(3, "2026-04-20 08:00", SessionStatus::Planned),
        ];
        let before = state_at(&c, &sessions, "2026-03-29 09:00");
        assert!(before.unresolved.is_empty());
        assert_eq!(before.next_planned.map(|(id, _)| id), Some(2));
        let after = state_at(&c, &sessions, "2026-03-30 09:30");
        assert_eq!(after.unresolved, [(2, ny("2026-03-30 08:00"))]);
        assert_eq!(after.next_planned.map(|(id, _)| id), Some(3));
    }

    #[test]
    fn sessions_are_counted_by_their_place_in_the_course() {
        let sessions = [
            session(7, "2026-03-01 10:00", SessionStatus::Done),
            session(9, "2026-03-20 10:00", SessionStatus::Cancelled),
            session(4, "2026-04-20 10:00", SessionStatus::Planned),
            session(12, "2026-03-29 10:00", SessionStatus::Done),
        ];
        let places = places(&sessions);
        assert_eq!((places[&7], places[&12], places[&4]), (1, 2, 3));
        assert!(!places.contains_key(&9), "a cancelled session has no place");
    }

    #[test]
    fn a_booking_outside_the_window_is_booked_and_said_to_miss_it() {
        let c = course(6);
        // The window after 1 Mar is 29 Mar – 12 Apr (acne scars: 4–6 weeks).
        let sessions = [
            session(1, "2026-03-01 10:00", SessionStatus::Done),
            session(2, "2026-04-20 10:00", SessionStatus::Planned),
        ];
        let overdue_but_booked = state_at(&c, &sessions, "2026-04-15 12:00").phase;
        assert!(
            matches!(overdue_but_booked, Phase::Booked { session_id: 2, outside: true, .. }),
            "{overdue_but_booked:?}"
        );
    }
}
