//! A course laid out in time: every session and window as an event with a start,
//! an optional end and its kind. The timeline screen draws these.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};

use super::model::{Course, DiaryEntry, Session, SessionStatus};
use super::rules::{Mark, Rules};
use super::time::{add_days, add_months, after_hours, resolve_local_lenient};
use super::windows::{CourseState, Phase, pre_care_start};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EventKind {
    Done,
    Planned,
    Cancelled,
    PreCare,
    Sensitive,
    NextWindow,
    Overdue,
    Remodeling,
    FinalResults,
    Maintenance,
    /// A day noted in the recovery diary.
    Diary,
}

impl EventKind {
    /// The name and meaning of this kind, from `assets/timeline.toml`.
    pub fn mark(self, rules: &Rules) -> &Mark {
        let m = &rules.marks;
        match self {
            EventKind::Done => &m.done,
            EventKind::Planned => &m.planned,
            EventKind::Cancelled => &m.cancelled,
            EventKind::PreCare => &m.pre_care,
            EventKind::Sensitive => &m.sensitive,
            EventKind::NextWindow => &m.next_window,
            EventKind::Overdue => &m.overdue,
            EventKind::Remodeling => &m.remodeling,
            EventKind::FinalResults => &m.final_results,
            EventKind::Maintenance => &m.maintenance,
            EventKind::Diary => &m.diary,
        }
    }
}

/// One mark on the timeline.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    pub kind: EventKind,
    pub from: DateTime<Utc>,
    /// The end of a window; `None` for a moment.
    pub to: Option<DateTime<Utc>>,
    /// The session this event belongs to.
    pub session_id: Option<i64>,
    /// For done sessions: which one of the course (1, 2, ...).
    pub number: Option<u32>,
    /// A window whose first part is the most intense (the first 24 h of sensitivity).
    pub intense_until: Option<DateTime<Utc>>,
    /// Drawn lighter: a longer, softer part of a window (pre-care items a week ahead).
    pub light: bool,
}

impl Event {
    fn new(kind: EventKind, from: DateTime<Utc>, to: Option<DateTime<Utc>>) -> Event {
        Event { kind, from, to, session_id: None, number: None, intense_until: None, light: false }
    }
}

/// The start of a local calendar day.
fn day_start<Tz: TimeZone>(day: NaiveDate, tz: &Tz) -> DateTime<Utc> {
    resolve_local_lenient(day.and_hms_opt(0, 0, 0).unwrap_or_default(), tz)
}

/// Every event of `course` (whose sessions are `sessions`), ordered by start.
pub fn events<Tz: TimeZone>(
    course: &Course,
    sessions: &[Session],
    state: &CourseState,
    rules: &Rules,
    now: DateTime<Utc>,
    tz: &Tz,
) -> Vec<Event> {
    let mut out = Vec::new();
    let mut ordered: Vec<&Session> = sessions.iter().filter(|s| s.course_id == course.id).collect();
    ordered.sort_by_key(|s| (s.at, s.id));
    let mut number = 0;
    for s in ordered {
        match s.status {
            SessionStatus::Done => {
                number += 1;
                out.push(Event {
                    session_id: Some(s.id),
                    number: Some(number),
                    ..Event::new(EventKind::Done, s.at, None)
                });
                let until = after_hours(s.at, rules.course.sensitive_hours);
                out.push(Event {
                    session_id: Some(s.id),
                    intense_until: Some(after_hours(s.at, rules.course.most_intense_hours)),
                    ..Event::new(EventKind::Sensitive, s.at, Some(until))
                });
                // Like the day windows, the lane ends after its last day: the day
                // Today and `status` name ("keeps building until about …").
                let day = super::time::local_date(s.at, tz);
                let last_day = |months: u32| day_start(add_days(add_months(day, months), 1), tz);
                out.push(Event {
                    session_id: Some(s.id),
                    intense_until: Some(last_day(rules.course.remodeling_months[0])),
                    ..Event::new(EventKind::Remodeling, s.at, Some(last_day(rules.course.remodeling_months[1])))
                });
            }
            SessionStatus::Planned => {
                out.push(Event { session_id: Some(s.id), ..Event::new(EventKind::Planned, s.at, None) });
                let starts = pre_care_start(s.at, &rules.course);
                if starts.lead < starts.core {
                    out.push(Event {
                        session_id: Some(s.id),
                        light: true,
                        ..Event::new(EventKind::PreCare, starts.lead, Some(starts.core))
                    });
                }
                out.push(Event { session_id: Some(s.id), ..Event::new(EventKind::PreCare, starts.core, Some(s.at)) });
            }
            // A voided one is marked where it was, as a cancelled one: it counts nowhere.
            SessionStatus::Cancelled | SessionStatus::Voided => {
                out.push(Event { session_id: Some(s.id), ..Event::new(EventKind::Cancelled, s.at, None) });
            }
        }
    }
    if let Some(w) = state.next_window {
        let end = day_start(add_days(w.latest, 1), tz);
        out.push(Event::new(EventKind::NextWindow, day_start(w.earliest, tz), Some(end)));
        if let Phase::Overdue { .. } = state.phase {
            out.push(Event::new(EventKind::Overdue, end, Some(now.max(end))));
        }
    }
    if let Some(w) = state.maintenance {
        out.push(Event::new(
            EventKind::Maintenance,
            day_start(w.earliest, tz),
            Some(day_start(add_days(w.latest, 1), tz)),
        ));
    }
    if let Some(day) = state.final_results {
        out.push(Event::new(EventKind::FinalResults, day_start(day, tz), None));
    }
    out.sort_by_key(|e| (e.from, e.to));
    out
}

/// The days noted in the recovery diary, at noon of each, after the sessions they
/// follow (`sessions`: the course's).
pub fn diary_events<Tz: TimeZone>(diary: &[DiaryEntry], sessions: &[Session], tz: &Tz) -> Vec<Event> {
    diary
        .iter()
        .filter_map(|d| {
            let s = sessions.iter().find(|s| s.id == d.session_id)?;
            let day = add_days(super::time::local_date(s.at, tz), d.day);
            let noon = resolve_local_lenient(day.and_hms_opt(12, 0, 0).unwrap_or_default(), tz);
            Some(Event { session_id: Some(s.id), ..Event::new(EventKind::Diary, noon, None) })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::model::Device;
    use crate::domain::windows::course_state;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn a_course_becomes_sessions_windows_and_results() {
        let rules = Rules::embedded();
        let started = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        let course = Course {
            id: 1,
            areas: vec!["cheeks".into()],
            sessions_target: 3,
            ..rules.new_course(1, rules.protocol("scars").unwrap(), started)
        };
        let mut done = Session::new(1, at("2026-01-10T10:00:00Z"), 0, SessionStatus::Done, Device::Pen);
        done.id = 1;
        let mut planned = Session::new(1, at("2026-02-10T10:00:00Z"), 0, SessionStatus::Planned, Device::Pen);
        planned.id = 2;
        let sessions = [done, planned];
        let now = at("2026-03-01T12:00:00Z");
        let state = course_state(&course, &sessions, &rules.course, now, &Utc);
        let events = events(&course, &sessions, &state, rules, now, &Utc);
        let kinds: Vec<EventKind> = events.iter().map(|e| e.kind).collect();
        assert_eq!(
            kinds,
            [
                EventKind::Done,
                EventKind::Sensitive,
                EventKind::Remodeling,
                EventKind::PreCare,
                EventKind::NextWindow,
                EventKind::PreCare,
                EventKind::Planned,
                EventKind::Overdue,
                EventKind::FinalResults,
            ]
        );
        let sensitive = &events[1];
        assert_eq!(sensitive.to, Some(at("2026-01-13T10:00:00Z")));
        assert_eq!(sensitive.intense_until, Some(at("2026-01-11T10:00:00Z")));
        let window = &events[4];
        assert_eq!((window.from, window.to), (at("2026-02-07T00:00:00Z"), Some(at("2026-02-22T00:00:00Z"))));
        assert!(events[3].light && !events[5].light, "the two-weeks-ahead part of pre-care is lighter");
        assert_eq!(events[7].to, Some(now), "overdue runs up to now");
        assert_eq!(events[0].number, Some(1));
        assert_eq!(EventKind::Sensitive.mark(rules).name, "Sensitive skin");
    }

    #[test]
    fn the_collagen_lane_ends_on_the_day_today_names() {
        let rules = Rules::embedded();
        let started = NaiveDate::from_ymd_opt(2027, 3, 1).unwrap();
        let course =
            Course { id: 1, sessions_target: 1, ..rules.new_course(1, rules.protocol("scars").unwrap(), started) };
        let mut done = Session::new(1, at("2027-04-13T10:00:00Z"), 0, SessionStatus::Done, Device::Pen);
        done.id = 1;
        let now = at("2027-05-01T12:00:00Z");
        let state = course_state(&course, std::slice::from_ref(&done), &rules.course, now, &Utc);
        let events = events(&course, &[done], &state, rules, now, &Utc);
        let lane = events.iter().find(|e| e.kind == EventKind::Remodeling).unwrap();
        let last_day = lane.to.map(|t| (t - chrono::Duration::seconds(1)).date_naive());
        assert_eq!(last_day, state.remodeling_end, "one date on every screen");
        assert_eq!(state.remodeling_end, NaiveDate::from_ymd_opt(2027, 10, 13));
    }
}
