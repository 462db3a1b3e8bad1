//! Where a course stands, in a few words.

use super::plural;
use crate::domain::windows::{CourseState, Phase};

/// A short badge: `sensitive · 46 h left`, `due in 5–19 days`, `overdue 3 days`.
pub fn badge(state: &CourseState) -> String {
    match &state.phase {
        Phase::NotStarted => "not started".into(),
        Phase::Paused => "paused".into(),
        Phase::PreCare { hours_left, .. } => format!("pre-care · {} to go", hours(*hours_left)),
        Phase::Sensitive { hours_left, .. } => format!("sensitive · {hours_left} h left"),
        Phase::Recovering { days } => match state.next_window {
            Some(w) => format!("due in {}–{} days", days, (w.latest - state.today).num_days()),
            None => format!("due in {days} days"),
        },
        Phase::Due { days_left: 0 } => "due · last day today".into(),
        Phase::Due { days_left } => format!("due · {} left", plural(*days_left, "day")),
        Phase::Overdue { days_late } => format!("overdue {}", plural(*days_late, "day")),
        Phase::Complete { .. } => "course complete".into(),
        Phase::MaintenanceDue { late: 0, .. } => "maintenance due".into(),
        Phase::MaintenanceDue { late, .. } => format!("maintenance overdue {}", plural(*late, "day")),
        Phase::Booked { day, outside: false, .. } => format!("booked {}", super::day_short(*day)),
        Phase::Booked { day, outside: true, .. } => format!("booked {} · outside the window", super::day_short(*day)),
    }
}

/// `3 of 6 done`, and `+ 1 maintenance` once maintenance sessions followed.
pub fn sessions_done(state: &CourseState) -> String {
    let main = format!("{} of {} done", state.sessions_done, state.sessions_target);
    match state.maintenance_done {
        0 => main,
        n => format!("{main} + {n} maintenance"),
    }
}

fn hours(hours: i64) -> String {
    if hours < 1 { "under an hour".into() } else { format!("{hours} h") }
}

#[cfg(test)]
mod tests {
    use chrono::{NaiveDate, TimeZone, Utc};

    use super::*;
    use crate::domain::windows::DateWindow;

    fn state(phase: Phase, window: Option<DateWindow>) -> CourseState {
        let today = NaiveDate::from_ymd_opt(2026, 3, 20).unwrap();
        CourseState {
            unresolved: Vec::new(),
            phase,
            today,
            sessions_done: 1,
            sessions_target: 6,
            sessions_left: 5,
            maintenance_done: 0,
            last_done: None,
            last_main: None,
            settled_by: None,
            next_planned: None,
            pre_care: None,
            next_window: window,
            maintenance: None,
            final_results: None,
            final_results_projected: false,
            results_basis: crate::domain::windows::ResultsBasis::Done,
            remodeling_end: None,
        }
    }

    #[test]
    fn badges_say_the_phase_in_a_few_words() {
        let day = |d: u32| NaiveDate::from_ymd_opt(2026, 3, d).unwrap();
        let at = Utc.with_ymd_and_hms(2026, 3, 21, 10, 0, 0).unwrap();
        let window = DateWindow { earliest: day(29), latest: NaiveDate::from_ymd_opt(2026, 4, 12).unwrap() };
        let cases = [
            (state(Phase::NotStarted, None), "not started"),
            (state(Phase::Recovering { days: 9 }, Some(window)), "due in 9–23 days"),
            (state(Phase::Overdue { days_late: 1 }, None), "overdue 1 day"),
            (state(Phase::Overdue { days_late: 8 }, None), "overdue 8 days"),
            (state(Phase::Due { days_left: 0 }, None), "due · last day today"),
            (state(Phase::PreCare { session_id: 2, at, hours_left: 24 }, None), "pre-care · 24 h to go"),
            (state(Phase::PreCare { session_id: 2, at, hours_left: 0 }, None), "pre-care · under an hour to go"),
            (state(Phase::Complete { maintenance_from: day(30) }, None), "course complete"),
        ];
        for (state, expected) in cases {
            assert_eq!(badge(&state), expected, "{:?}", state.phase);
        }
    }
}
