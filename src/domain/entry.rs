//! Entering a session — typed in the app's form, given on the command line or read
//! from an imported file. One function decides what cannot be saved (errors, each
//! on the field it concerns) and what deserves a word before saving (warnings):
//! every front end calls it, so they cannot drift apart.

use std::ops::RangeInclusive;

use chrono::{DateTime, Duration, TimeZone, Utc};

use super::depth::{check_range, depth_warnings, is_self_provider};
use super::model::{Course, FileKind, Session};
use super::rules::Rules;
use super::time::local_date;
use super::validate;

/// How far ahead of the clock a done session may be: two devices' clocks rarely
/// agree to the second.
pub const FUTURE_SLACK_MINUTES: i64 = 5;

/// Passes accepted (the literature reports 4–10).
pub const PASSES: RangeInclusive<u32> = 1..=20;
/// Pain, from none to the worst.
pub const PAIN: RangeInclusive<u8> = 0..=10;
/// How the skin looks, from worst to best.
pub const RATING: RangeInclusive<u8> = 1..=10;

/// How far from a booking a visit logged still completes it: the same visit,
/// logged late or early on the day.
pub const BOOKING_REACH_HOURS: i64 = 12;

/// How close two done sessions of a course may be before the second is taken
/// for the first logged twice.
pub const SAME_VISIT_MINUTES: i64 = 60;

/// Fills what `session` leaves empty from `last`, the course's last done session
/// — depths, passes, serum, numbing, provider and the device's model (when the
/// device is the same) — as the app's `a` and `m` and the command line's `log`
/// do alike. Returns the fields filled, as people name them.
pub fn fill_from_last(session: &mut Session, last: &Session) -> Vec<&'static str> {
    let mut filled = Vec::new();
    if session.depths().is_empty() && session.depths.is_some() && !last.depths().is_empty() {
        session.depths = Some(last.depths().to_vec());
        filled.push("depth");
    }
    let mut take = |field: &mut Option<String>, from: &Option<String>, name: &'static str| {
        if field.is_none() && from.is_some() {
            field.clone_from(from);
            filled.push(name);
        }
    };
    take(&mut session.serum, &last.serum, "serum");
    take(&mut session.numbing, &last.numbing, "numbing");
    take(&mut session.provider, &last.provider, "provider");
    if session.device == last.device {
        take(&mut session.device_model, &last.device_model, "model");
    }
    if session.passes.is_none() && last.passes.is_some() {
        session.passes = last.passes;
        filled.push("passes");
    }
    filled
}

/// The booking a visit at `at` completes: the course's planned session nearest
/// to it, within [`BOOKING_REACH_HOURS`] either side. One visit, one session:
/// the app and the command line both ask this before adding a session.
pub fn booking_for(at: DateTime<Utc>, sessions: &[Session]) -> Option<&Session> {
    let reach = Duration::hours(BOOKING_REACH_HOURS);
    sessions.iter().filter(|s| s.is_planned() && (s.at - at).abs() <= reach).min_by_key(|s| ((s.at - at).abs(), s.id))
}

/// A done session of the course within [`SAME_VISIT_MINUTES`] of `at` (other
/// than `except`): marking a booking done then would count one visit twice.
pub fn done_beside(at: DateTime<Utc>, sessions: &[Session], except: i64) -> Option<&Session> {
    let reach = Duration::minutes(SAME_VISIT_MINUTES);
    sessions.iter().find(|s| s.id != except && s.is_done() && (s.at - at).abs() <= reach)
}

/// The part of a session an error or a warning is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryField {
    When,
    Depth,
    Passes,
    Pain,
    Rating,
    Notes,
    /// Serum, lot, numbing, provider or photos.
    Details,
    Device,
}

/// One thing said about an entry, on one field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Remark {
    pub field: EntryField,
    pub message: String,
}

/// What [`check_entry`] found: errors stop the save, warnings do not.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EntryCheck {
    pub errors: Vec<Remark>,
    pub warnings: Vec<Remark>,
}

impl EntryCheck {
    pub fn is_ok(&self) -> bool {
        self.errors.is_empty()
    }

    /// The first error, as one line.
    pub fn first_error(&self) -> Option<&str> {
        self.errors.first().map(|r| r.message.as_str())
    }

    fn error(&mut self, field: EntryField, message: impl Into<String>) {
        self.errors.push(Remark { field, message: message.into() });
    }

    fn warn(&mut self, field: EntryField, message: impl Into<String>) {
        self.warnings.push(Remark { field, message: message.into() });
    }
}

/// Checks `session` of `course` at `now`. `others` are the course's other sessions
/// (this one, by id, and other courses' are ignored); they matter for its timing.
pub fn check_entry<Tz: TimeZone>(
    session: &Session,
    course: &Course,
    others: &[Session],
    rules: &Rules,
    kind: FileKind,
    now: DateTime<Utc>,
    tz: &Tz,
) -> EntryCheck {
    let mut check = record_errors(session, &course.areas, rules, now);
    if !check.is_ok() {
        return check;
    }

    let at_home = session.provider.as_deref().is_some_and(is_self_provider);
    let professional = kind == FileKind::Practitioner;
    for warning in depth_warnings(session.depths(), session.device, at_home, professional, rules) {
        check.warn(EntryField::Depth, warning);
    }
    if session.is_done() {
        check_timing(session, course, others, rules, tz, &mut check);
    }
    // Planned too close to keep the longest pre-care rule in full.
    if session.is_planned() && session.at > now {
        let late = rules
            .checklist
            .iter()
            .filter(|i| i.phase == super::CarePhase::Pre && super::time::after_hours(session.at, i.from_hours) < now)
            .min_by_key(|i| i.from_hours);
        if let Some(item) = late {
            let ahead = (session.at - now).num_hours();
            let ahead = if ahead >= 48 { format!("{} days", ahead / 24) } else { format!("{ahead} h") };
            check.warn(
                EntryField::When,
                format!("planned {ahead} ahead: \"{}\" can't be kept in full — ask your provider", item.text),
            );
        }
    }
    // A course on a roller heard it when it was started.
    if session.device != course.device
        && let Some(note) = rules.device_note(session.device)
    {
        check.warn(EntryField::Device, note);
    }
    check
}

/// What makes `session` a record no file can hold, whatever else is said of it: a
/// done session in the future, a date, offset or text out of bounds, a depth of
/// an area its course (of `areas`) does not treat, numbers out of range. Errors
/// only: what [`check_entry`] checks first, and all an import needs of it.
pub fn record_errors(session: &Session, areas: &[String], rules: &Rules, now: DateTime<Utc>) -> EntryCheck {
    let mut check = EntryCheck::default();
    if session.is_done() && session.at > now + Duration::minutes(FUTURE_SLACK_MINUTES) {
        check.error(EntryField::When, "a done session cannot be in the future: plan it instead");
    }
    check_bounds(session, &mut check);
    check_numbers(session, areas, rules, &mut check);
    check
}

/// The bounds every stored session keeps to: its date, clock offset and texts.
fn check_bounds(session: &Session, check: &mut EntryCheck) {
    if let Err(e) = validate::check_instant("the date", session.at) {
        check.error(EntryField::When, e.message);
    } else if session.utc_offset_s.abs() > validate::OFFSET_MAX_SECONDS {
        check.error(EntryField::When, format!("a clock {} s from UTC does not exist", session.utc_offset_s));
    }
    if let Err(e) = validate::check_notes(&session.notes) {
        check.error(EntryField::Notes, e.message);
    }
    if let Err(e) = validate::check_bounds_of_session(session)
        && check.is_ok()
    {
        check.error(EntryField::Details, e.message);
    }
}

/// Numbers a session can hold at all, whenever it happened.
fn check_numbers(session: &Session, areas: &[String], rules: &Rules, check: &mut EntryCheck) {
    for (i, d) in session.depths().iter().enumerate() {
        if !areas.contains(&d.area) {
            let areas = areas.join(", ");
            check.error(EntryField::Depth, format!("{} is not an area of this course ({areas})", d.area));
        } else if session.depths()[..i].iter().any(|e| e.area == d.area) {
            check.error(EntryField::Depth, format!("{} has two depths: give each area once", d.area));
        } else if let Err(e) = check_range(d.mm, rules) {
            check.error(EntryField::Depth, e.to_string());
        }
    }
    let range = |r: (u32, u32)| format!("use {} to {}", r.0, r.1);
    if let Some(p) = session.passes.filter(|p| !PASSES.contains(p)) {
        check.error(EntryField::Passes, format!("{p} passes: {}", range(bounds(&PASSES))));
    }
    if let Some(p) = session.pain.filter(|p| !PAIN.contains(p)) {
        check.error(EntryField::Pain, format!("pain {p}: {}", range(bounds(&PAIN))));
    }
    if let Some(r) = session.rating.filter(|r| !RATING.contains(r)) {
        check.error(EntryField::Rating, format!("rating {r}: {}", range(bounds(&RATING))));
    }
}

/// The ends of a range, as whole numbers.
pub fn bounds<T: Copy + Into<u32>>(range: &RangeInclusive<T>) -> (u32, u32) {
    ((*range.start()).into(), (*range.end()).into())
}

/// A done session before the course started, or closer to another done session
/// than the skin needs to recover, is worth a second look.
fn check_timing<Tz: TimeZone>(
    session: &Session,
    course: &Course,
    others: &[Session],
    rules: &Rules,
    tz: &Tz,
    check: &mut EntryCheck,
) {
    let day = local_date(session.at, tz);
    if day < course.started_on {
        check.warn(EntryField::When, format!("{day} is before the course started ({})", course.started_on));
    }
    if course.status == crate::domain::CourseStatus::Completed {
        let last = others.iter().filter(|s| s.course_id == course.id && s.is_done()).map(|s| s.at).max();
        if let Some(last) = last.filter(|l| session.id == 0 && session.at > *l) {
            let closed = local_date(last, tz);
            check.warn(
                EntryField::When,
                format!("{day} is after the course was completed (last session {closed}): it counts as maintenance"),
            );
        }
    }
    let mine: Vec<Session> =
        others.iter().filter(|s| s.course_id == course.id && s.id != session.id).cloned().collect();
    let nearest = mine.iter().filter(|s| s.is_done()).min_by_key(|s| (s.at - session.at).abs());
    let Some(other) = nearest else { return };
    let hours = (other.at - session.at).abs().num_hours();
    let days = (local_date(other.at, tz) - day).num_days().abs();
    let side = if other.at <= session.at { "after" } else { "before" };
    let place = super::windows::places(&mine).get(&other.id).copied().unwrap_or(0);
    let other_at = super::time::local_naive(other.at, tz).format("%Y-%m-%d %H:%M");
    let usual = format!(
        "this course's sessions are usually {}–{} days apart, for the skin to heal: check the date",
        course.interval.min, course.interval.max
    );
    let gap = if hours < rules.course.sensitive_hours {
        format!("only {hours} h")
    } else if days < i64::from(course.interval.min) {
        format!("only {days} days")
    } else {
        return;
    };
    check.warn(EntryField::When, format!("{gap} {side} session {place} ({other_at}): {usual}"));
}

#[cfg(test)]
mod tests {
    use chrono::{NaiveDate, TimeZone};

    use super::*;
    use crate::domain::model::{AreaDepth, Device, SessionStatus};

    fn at(d: u32, h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, d, h, 0, 0).unwrap()
    }

    fn course() -> Course {
        let rules = Rules::embedded();
        let started = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
        let areas = vec!["cheeks".to_string(), "forehead".to_string()];
        Course { id: 1, areas, ..rules.new_course(1, rules.protocol("acne-scars").unwrap(), started) }
    }

    fn done(id: i64, when: DateTime<Utc>) -> Session {
        Session { id, ..Session::new(1, when, 0, SessionStatus::Done, Device::Pen) }
    }

    fn check(s: &Session, others: &[Session], now: DateTime<Utc>) -> EntryCheck {
        check_entry(s, &course(), others, Rules::embedded(), FileKind::Patient, now, &Utc)
    }

    #[test]
    fn a_done_session_may_be_a_few_minutes_ahead_of_the_clock_but_not_more() {
        let now = at(10, 10);
        assert!(check(&done(0, now + Duration::minutes(FUTURE_SLACK_MINUTES)), &[], now).is_ok());
        let ahead = check(&done(0, now + Duration::minutes(FUTURE_SLACK_MINUTES + 1)), &[], now);
        assert_eq!(ahead.errors[0].field, EntryField::When);
        let planned = Session { status: SessionStatus::Planned, ..done(0, at(20, 10)) };
        assert!(check(&planned, &[], now).is_ok());
    }

    #[test]
    fn numbers_out_of_range_are_errors_on_their_field() {
        let s = done(0, at(2, 10));
        let deep = Session { depths: Some(vec![AreaDepth { area: "cheeks".into(), mm: 30.0 }]), ..s.clone() };
        let got = check(&deep, &[], at(10, 10));
        assert_eq!(got.first_error(), Some("depth 30 mm is outside 0.1–3 mm: check for a typo"));
        assert_eq!(got.errors[0].field, EntryField::Depth);
        let fields = |s: Session| check(&s, &[], at(10, 10)).errors.iter().map(|e| e.field).collect::<Vec<_>>();
        assert_eq!(fields(Session { pain: Some(11), ..s.clone() }), [EntryField::Pain]);
        assert_eq!(fields(Session { rating: Some(0), ..s.clone() }), [EntryField::Rating]);
        assert_eq!(fields(Session { passes: Some(0), ..s.clone() }), [EntryField::Passes]);
        let twice = vec![AreaDepth { area: "cheeks".into(), mm: 1.0 }, AreaDepth { area: "cheeks".into(), mm: 2.0 }];
        assert_eq!(
            check(&Session { depths: Some(twice), ..s.clone() }, &[], at(10, 10)).first_error(),
            Some("cheeks has two depths: give each area once")
        );
        let elbow = vec![AreaDepth { area: "elbow".into(), mm: 1.0 }];
        assert_eq!(fields(Session { depths: Some(elbow), ..s.clone() }), [EntryField::Depth]);
        let neck = vec![AreaDepth { area: "neck".into(), mm: 0.5 }];
        assert_eq!(
            check(&Session { depths: Some(neck), ..s.clone() }, &[], at(10, 10)).first_error(),
            Some("neck is not an area of this course (cheeks, forehead)")
        );
        let typo = Utc.with_ymd_and_hms(-2026, 11, 20, 10, 0, 0).unwrap();
        assert_eq!(fields(Session { at: typo, ..s.clone() }), [EntryField::When]);
        assert_eq!(fields(Session { utc_offset_s: 86_399, ..s.clone() }), [EntryField::When]);
        assert_eq!(fields(Session { notes: "x".repeat(70_000), ..s.clone() }), [EntryField::Notes]);
        assert_eq!(fields(Session { serum: Some("HA\u{1b}[2J".into()), ..s }), [EntryField::Details]);
    }

    #[test]
    fn depth_guidance_and_home_limits_are_warnings() {
        let s = Session {
            depths: Some(vec![AreaDepth { area: "cheeks".into(), mm: 1.5 }]),
            provider: Some("self".into()),
            ..done(0, at(2, 10))
        };
        let got = check(&s, &[], at(10, 10));
        assert!(got.is_ok());
        assert_eq!(got.warnings[0].field, EntryField::Depth);
        assert!(got.warnings[0].message.contains("home devices"), "{got:?}");
    }

    #[test]
    fn sessions_too_close_together_or_before_the_start_are_warned_about() {
        let first = done(1, at(2, 10));
        let an_hour_later = check(&done(0, at(2, 11)), std::slice::from_ref(&first), at(10, 10));
        assert!(an_hour_later.is_ok());
        assert_eq!(
            an_hour_later.warnings[0].message,
            "only 1 h after session 1 (2026-03-02 10:00): this course's sessions are usually 28–42 days apart, \
             for the skin to heal: check the date"
        );
        let a_week_later = check(&done(0, at(9, 10)), std::slice::from_ref(&first), at(10, 10));
        assert!(a_week_later.warnings[0].message.starts_with("only 7 days after session 1 (2026-03-02 10:00)"));
        let a_day_before = check(&done(0, at(1, 10)), std::slice::from_ref(&first), at(10, 10));
        assert!(a_day_before.warnings.iter().any(|w| w.message.starts_with("only 24 h before session 1")));
        // Editing a session does not compare it with itself; spacing as usual says nothing.
        assert!(check(&first, std::slice::from_ref(&first), at(10, 10)).warnings.is_empty());
        let later = Utc.with_ymd_and_hms(2026, 4, 1, 10, 0, 0).unwrap();
        assert!(check(&done(0, later), std::slice::from_ref(&first), later).warnings.is_empty());
        let before = Utc.with_ymd_and_hms(2026, 2, 20, 10, 0, 0).unwrap();
        assert_eq!(
            check(&done(0, before), &[], at(10, 10)).warnings[0].message,
            "2026-02-20 is before the course started (2026-03-01)"
        );
    }

    #[test]
    fn a_session_after_a_completed_course_is_warned_about_with_both_dates() {
        let rules = Rules::embedded();
        let course = Course { status: crate::domain::CourseStatus::Completed, ..course() };
        let last = done(1, at(2, 10));
        let after = Session { id: 0, ..done(0, at(9, 10)) };
        let got = check_entry(&after, &course, std::slice::from_ref(&last), rules, FileKind::Patient, at(10, 10), &Utc);
        assert!(
            got.warnings.iter().any(|w| w.message
                == "2026-03-09 is after the course was completed (last session 2026-03-02): it counts as maintenance"),
            "{got:?}"
        );
        assert!(got.is_ok(), "a warning, never a block");
    }

    #[test]
    fn a_visit_completes_the_nearest_booking_within_twelve_hours() {
        let session = |id: i64, h: u32, status| {
            let mut s = Session::new(1, at(10, h), 0, status, Device::Pen);
            s.id = id;
            s
        };
        let sessions = [
            session(1, 10, SessionStatus::Planned),
            session(2, 20, SessionStatus::Planned),
            session(3, 9, SessionStatus::Done),
        ];
        assert_eq!(booking_for(at(10, 11), &sessions).map(|s| s.id), Some(1), "an hour after the 10:00 booking");
        assert_eq!(booking_for(at(10, 19), &sessions).map(|s| s.id), Some(2), "the nearer one");
        assert_eq!(booking_for(at(11, 7), &sessions).map(|s| s.id), Some(2), "11 h after 20:00: still that visit");
        assert_eq!(booking_for(at(12, 9), &sessions), None, "a day and more away");
        assert_eq!(done_beside(at(10, 9) + Duration::minutes(40), &sessions, 1).map(|s| s.id), Some(3));
        assert_eq!(done_beside(at(10, 11), &sessions, 1), None, "two hours apart");
        assert_eq!(done_beside(at(10, 9), &sessions, 3), None, "itself");
    }
}
