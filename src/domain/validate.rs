//! Checks a course must pass before it is saved, whether typed in a form, given on
//! the command line or read from an imported file. Sessions: see `entry`.

use std::ops::RangeInclusive;

use super::model::Course;
use super::rules::Rules;

/// How many sessions a course may aim for.
pub const SESSIONS_TARGET: RangeInclusive<u32> = 1..=50;

/// Why a record cannot be saved, in one line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct Invalid(pub String);

/// Checks a course's concern, areas and numbers.
pub fn check_course(course: &Course, rules: &Rules) -> Result<(), Invalid> {
    let invalid = |message: String| Err(Invalid(message));
    if rules.protocol(&course.concern).is_none() {
        return invalid(format!("unknown concern \"{}\": use one of {}", course.concern, rules.concern_keys()));
    }
    if course.areas.is_empty() {
        return invalid(format!("a course needs at least one area: use {}", rules.area_keys()));
    }
    if let Some(area) = course.areas.iter().find(|a| rules.area(a).is_none()) {
        return invalid(format!("unknown area \"{area}\": use one of {}", rules.area_keys()));
    }
    if !SESSIONS_TARGET.contains(&course.sessions_target) {
        let (lo, hi) = (SESSIONS_TARGET.start(), SESSIONS_TARGET.end());
        return invalid(format!("{} sessions is not a course: use {lo} to {hi}", course.sessions_target));
    }
    let i = course.interval;
    if i.min == 0 || i.min > i.max || i.max > 730 {
        return invalid(format!("an interval of {}–{} days is not possible: use e.g. 4-6w", i.min, i.max));
    }
    let m = course.maintenance;
    if m.min == 0 || m.min > m.max || m.max > 60 {
        return invalid(format!("maintenance every {}–{} months is not possible: use e.g. 3-6m", m.min, m.max));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::model::{DayRange, MonthRange};
    use chrono::NaiveDate;

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
}
