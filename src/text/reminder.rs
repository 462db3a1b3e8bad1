//! Reminders and the status line, in a few words each.

use chrono::{DateTime, TimeZone, Utc};

use super::{day, day_short, days_phrase, plural, relative};
use crate::domain::reminders::{Reminder, ReminderKind};
use crate::domain::time::local_date;
use crate::domain::windows::{CourseState, Phase};

/// What a reminder says, told at `now`: `session tomorrow 10:00 — from now: Pause
/// retinol and other retinoids (+4 more)`.
pub fn reminder<Tz: TimeZone>(r: &Reminder, now: DateTime<Utc>, tz: &Tz) -> String
where
    Tz::Offset: std::fmt::Display,
{
    let today = local_date(now, tz);
    let in_days = |d: chrono::NaiveDate| days_phrase((d - today).num_days());
    match &r.kind {
        ReminderKind::PreCare { session_at, items, .. } => {
            let from = if r.at > now {
                format!("from {}", relative(r.at, now, tz))
            } else if now - r.at < chrono::Duration::hours(1) {
                "from now".to_string()
            } else {
                format!("since {}", relative(r.at, now, tz))
            };
            let first = items.first().map(String::as_str).unwrap_or("pre-care");
            let more = if items.len() > 1 { format!(" (+{} more)", items.len() - 1) } else { String::new() };
            format!("session {} — {from}: {first}{more}", relative(*session_at, now, tz))
        }
        ReminderKind::SensitiveOver { session_at, .. } => {
            let hours = (r.at - *session_at).num_hours();
            if r.at <= now {
                format!(
                    "{hours} h since the session: the sensitive days are over — your usual routine again, sunscreen outdoors"
                )
            } else {
                format!(
                    "the sensitive {hours} h end {}: then your usual routine again, sunscreen outdoors",
                    relative(r.at, now, tz)
                )
            }
        }
        ReminderKind::WindowOpens { window } => {
            let when = in_days(window.earliest);
            let verb = if window.earliest <= today { "is open" } else { "opens" };
            let when = if window.earliest < today { String::new() } else { format!(" {when}") };
            format!("the window for the next session {verb}{when} (until {}): time to book", day(window.latest))
        }
        ReminderKind::WindowClosing { window } => {
            let left = (window.latest - today).num_days();
            let closes = match left {
                0 => "closes today".to_string(),
                1 => "closes tomorrow".to_string(),
                n => format!("closes in {} ({})", plural(n, "day"), day(window.latest)),
            };
            format!("the window for the next session {closes}: book now")
        }
        ReminderKind::Overdue { window } => {
            let late = (today - window.latest).num_days().max(1);
            format!(
                "the next session is overdue: the window closed {} ({}) — book one soon",
                days_phrase(-late),
                day(window.latest)
            )
        }
        ReminderKind::MaintenanceDue { window } => {
            let starts = if window.earliest <= today {
                "is due".to_string()
            } else {
                format!("is due {}", in_days(window.earliest))
            };
            format!("a maintenance session {starts} (window until {})", day(window.latest))
        }
        ReminderKind::ResultsDay { day: results } => {
            let when = if *results <= today { "today".to_string() } else { in_days(*results) };
            format!(
                "results day {when}: time to judge the results — compare your photos and give a final rating \
                 (needlelog rate 1-10)"
            )
        }
        ReminderKind::Passed { session_id, session_at, .. } => format!(
            "the session planned {} — did it happen? done: needlelog log --done {session_id}; \
             moved: needlelog edit {session_id} --at DATETIME; cancelled: needlelog edit {session_id} --status cancelled",
            relative(*session_at, now, tz)
        ),
    }
}

/// One course's phase for a shell prompt or a status bar: `sensitive · 46 h left`,
/// `window opens in 5 d`, `session tomorrow 10:00 · pre-care`; `None` when nothing
/// is worth a prompt's space (not started, paused, complete).
pub fn status_line<Tz: TimeZone>(state: &CourseState, now: DateTime<Utc>, tz: &Tz) -> Option<String>
where
    Tz::Offset: std::fmt::Display,
{
    // A booked session that passed unanswered comes first, unless the skin or the
    // next session's pre-care needs the space.
    if let Some(&(_, at)) = state.unresolved.last()
        && !matches!(state.phase, Phase::Sensitive { .. } | Phase::PreCare { .. })
    {
        return Some(format!("session {} · did it happen?", relative(at, now, tz)));
    }
    Some(match &state.phase {
        Phase::PreCare { at, .. } => format!("session {} · pre-care", relative(*at, now, tz)),
        Phase::Sensitive { hours_left, .. } => format!("sensitive · {hours_left} h left"),
        Phase::Recovering { days: 1 } => "window opens tomorrow".into(),
        Phase::Recovering { days } => format!("window opens in {days} d"),
        Phase::Due { days_left: 0 } => "window open · closes today".into(),
        Phase::Due { days_left } => format!("window open · {days_left} d left"),
        Phase::Overdue { days_late } => format!("overdue {days_late} d"),
        Phase::MaintenanceDue { late: 0, .. } => "maintenance due".into(),
        Phase::MaintenanceDue { .. } => "maintenance overdue".into(),
        Phase::Booked { at, outside, .. } => {
            format!("booked {}{}", relative(*at, now, tz), if *outside { " · outside the window" } else { "" })
        }
        Phase::NotStarted | Phase::Paused | Phase::Complete { .. } => return None,
    })
}

/// Many courses at once, for a practitioner's status bar: `1 pre-care · 2 sensitive
/// · 3 due · 1 overdue · 4 maintenance`, the phases that call for something.
pub fn status_counts(states: &[&CourseState]) -> Option<String> {
    let count = |f: fn(&Phase) -> bool| states.iter().filter(|s| f(&s.phase)).count();
    let parts: Vec<String> = [
        (count(|p| matches!(p, Phase::PreCare { .. })), "pre-care"),
        (count(|p| matches!(p, Phase::Sensitive { .. })), "sensitive"),
        (count(|p| matches!(p, Phase::Due { .. })), "due"),
        (count(|p| matches!(p, Phase::Overdue { .. })), "overdue"),
        (count(|p| matches!(p, Phase::MaintenanceDue { .. })), "maintenance"),
    ]
    .into_iter()
    .filter(|(n, _)| *n > 0)
    .map(|(n, what)| format!("{n} {what}"))
    .collect();
    (!parts.is_empty()).then(|| parts.join(" · "))
}

/// A recall in a few words: `overdue 12 days`, `due from Mon 7 Dec`, `maintenance
/// due since 3 Nov`, with the booking if there is one (and whether it misses the window).
pub fn recall<Tz: TimeZone>(r: &crate::domain::recall::Recall, tz: &Tz) -> String {
    use crate::domain::recall::RecallGroup;
    let when = match r.group {
        RecallGroup::Overdue => format!("overdue {}", plural(r.days, "day")),
        RecallGroup::Lapsed => format!("lapsed: {} past its window", plural(r.days, "day")),
        RecallGroup::Maintenance => format!("maintenance due since {}", day_short(r.day)),
        RecallGroup::ThisWeek | RecallGroup::NextWeek | RecallGroup::Later if r.days == 0 => {
            match r.closes.map(|c| (c - r.day).num_days()) {
                Some(0) => "due · last day today".to_string(),
                Some(left) => format!("due · {} left", plural(left, "day")),
                None => "due now".to_string(),
            }
        }
        RecallGroup::ThisWeek | RecallGroup::NextWeek | RecallGroup::Later => format!("due from {}", day(r.day)),
    };
    match r.booked {
        Some(at) => {
            let day = local_date(at, tz);
            let late = r.closes.filter(|c| day > *c).map(|_| " — after the window closes").unwrap_or_default();
            format!("{when} · booked {}{late}", day.format("%a %-d %b"))
        }
        None => when,
    }
}

/// How a booking sits against the next window: `None` when inside it (or there is
/// no booking or window), else a few words: `after the window closes (Mon 16 Feb)`.
pub fn booking_note<Tz: TimeZone>(state: &CourseState, tz: &Tz) -> Option<String> {
    let (_, at) = state.next_planned?;
    let w = state.next_window?;
    let day = local_date(at, tz);
    if day > w.latest {
        Some(format!("after the window closes ({})", day_short(w.latest)))
    } else if day < w.earliest {
        Some(format!("before the window opens ({})", day_short(w.earliest)))
    } else {
        None
    }
}
