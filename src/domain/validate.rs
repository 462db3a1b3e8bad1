//! Checks every record must pass before it is saved, whether typed in a form, given
//! on the command line or read from an imported file.

use super::depth::check_range;
use super::model::{Course, Session};
use super::rules::Rules;

/// Highest number of passes accepted (the literature reports 4–10).
pub const MAX_PASSES: u32 = 20;

/// Why a course cannot be saved, in one line.
pub fn check_course(course: &Course, rules: &Rules) -> Result<(), String> {
    if rules.protocol(&course.concern).is_none() {
        return Err(format!("unknown concern \"{}\": use one of {}", course.concern, rules.concern_keys()));
    }
    if course.areas.is_empty() {
        return Err(format!("a course needs at least one area: use {}", rules.area_keys()));
    }
    if let Some(area) = course.areas.iter().find(|a| rules.area(a).is_none()) {
        return Err(format!("unknown area \"{area}\": use one of {}", rules.area_keys()));
    }
    if !(1..=50).contains(&course.sessions_target) {
        return Err(format!("{} sessions is not a course: use 1 to 50", course.sessions_target));
    }
    let i = course.interval;
    if i.min == 0 || i.min > i.max || i.max > 730 {
        return Err(format!("an interval of {}–{} days is not possible: use e.g. 4-6w", i.min, i.max));
    }
    let m = course.maintenance;
    if m.min == 0 || m.min > m.max || m.max > 60 {
        return Err(format!("maintenance every {}–{} months is not possible: use e.g. 3-6m", m.min, m.max));
    }
    Ok(())
}

/// Why a session cannot be saved, in one line.
pub fn check_session(session: &Session, rules: &Rules) -> Result<(), String> {
    for d in &session.depths {
        if rules.area(&d.area).is_none() {
            return Err(format!("unknown area \"{}\": use one of {}", d.area, rules.area_keys()));
        }
        check_range(d.mm, rules).map_err(|e| e.to_string())?;
    }
    if let Some(p) = session.passes.filter(|p| !(1..=MAX_PASSES).contains(p)) {
        return Err(format!("{p} passes: use 1 to {MAX_PASSES}"));
    }
    if let Some(p) = session.pain.filter(|p| *p > 10) {
        return Err(format!("pain {p}: use 0 to 10"));
    }
    if let Some(r) = session.rating.filter(|r| !(1..=10).contains(r)) {
        return Err(format!("rating {r}: use 1 to 10"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::model::{AreaDepth, DayRange, Device, MonthRange, SessionStatus};
    use chrono::{NaiveDate, Utc};

    fn course() -> Course {
        let rules = Rules::embedded();
        let started = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        Course { areas: vec!["forehead".into()], ..rules.new_course(1, rules.protocol("wrinkles").unwrap(), started) }
    }

    #[test]
    fn courses_need_known_concerns_and_areas_and_sane_numbers() {
        let rules = Rules::embedded();
        assert_eq!(check_course(&course(), rules), Ok(()));
        let bad = [
            Course { concern: "tattoo".into(), ..course() },
            Course { areas: vec![], ..course() },
            Course { areas: vec!["elbow".into()], ..course() },
            Course { sessions_target: 0, ..course() },
            Course { interval: DayRange { min: 42, max: 28 }, ..course() },
            Course { maintenance: MonthRange { min: 0, max: 6 }, ..course() },
        ];
        for c in bad {
            assert!(check_course(&c, rules).is_err(), "{c:?}");
        }
    }

    #[test]
    fn sessions_need_numbers_in_range() {
        let rules = Rules::embedded();
        let ok = Session::new(1, Utc::now(), 0, SessionStatus::Done, Device::Pen);
        assert_eq!(check_session(&ok, rules), Ok(()));
        let deep = Session { depths: vec![AreaDepth { area: "cheeks".into(), mm: 30.0 }], ..ok.clone() };
        assert_eq!(check_session(&deep, rules).unwrap_err(), "depth 30 mm is outside 0.1–3 mm: check for a typo");
        assert!(check_session(&Session { pain: Some(11), ..ok.clone() }, rules).is_err());
        assert!(check_session(&Session { rating: Some(0), ..ok.clone() }, rules).is_err());
        assert!(check_session(&Session { passes: Some(0), ..ok }, rules).is_err());
    }
}
