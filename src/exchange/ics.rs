//! iCalendar (RFC 5545) for the user's own calendar: planned sessions with an
//! alarm at each pre-care lead that has items (two weeks, a week, 3 days, the day
//! before), done sessions, each active course's next-session window as an all-day
//! event, the maintenance window's first and last days, and results day.

use std::collections::HashMap;

use chrono::{DateTime, Days, NaiveDate, TimeZone, Utc};

use crate::domain::CarePhase;
use crate::domain::rules::Rules;
use crate::domain::windows::course_state;
use crate::domain::{CourseStatus, SessionStatus, Snapshot};

/// Who wrote a calendar: a kept calendar is replaced only when it says needlelog.
pub const PRODID: &str = "-//needlelog//needlelog//EN";

/// How event titles name people: calendars sync to phones and clouds, so a
/// practitioner's titles carry initials by default.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Names {
    Full,
    Initials,
    None,
}

impl Names {
    fn apply(self, name: &str) -> String {
        match self {
            Names::Full => name.to_string(),
            Names::Initials => name
                .split_whitespace()
                .filter_map(|w| w.chars().next())
                .flat_map(char::to_uppercase)
                .map(|c| format!("{c}."))
                .collect(),
            Names::None => String::new(),
        }
    }
}

/// The calendar for everything in `snapshot`. `now` stamps each event (`DTSTAMP`).
pub fn to_ics<Tz: TimeZone>(snapshot: &Snapshot, rules: &Rules, now: DateTime<Utc>, tz: &Tz) -> String {
    to_ics_since(snapshot, rules, now, tz, None, Names::Full)
}

/// Like [`to_ics`], with events only for sessions from `since` on (earlier ones
/// still count: "session 4/6"), and people named as `names` says.
pub fn to_ics_since<Tz: TimeZone>(
    snapshot: &Snapshot,
    rules: &Rules,
    now: DateTime<Utc>,
    tz: &Tz,
    since: Option<DateTime<Utc>>,
    names: Names,
) -> String {
    let mut bytes = Vec::new();
    // Written to memory from memory: neither side can fail.
    let _ = write_ics_from(snapshot, rules, (now, tz), since, names, &mut bytes);
    String::from_utf8(bytes).unwrap_or_default()
}

/// [`to_ics_since`] of a file's records, written to `out` a chunk of courses at a
/// time as they are read; how many sessions the file holds.
pub fn write_ics<Tz: TimeZone>(
    store: &dyn crate::store::Records,
    rules: &Rules,
    (now, tz): (DateTime<Utc>, &Tz),
    since: Option<DateTime<Utc>>,
    names: Names,
    out: &mut dyn std::io::Write,
) -> Result<usize, String> {
    super::Stored(store).whole(|parts| write_ics_from(parts, rules, (now, tz), since, names, out))
}

fn write_ics_from<Tz: TimeZone>(
    parts: &dyn super::Parts,
    rules: &Rules,
    (now, tz): (DateTime<Utc>, &Tz),
    since: Option<DateTime<Utc>>,
    names: Names,
    out: &mut dyn std::io::Write,
) -> Result<usize, String> {
    let mut people: HashMap<i64, String> = HashMap::new();
    parts.people(&mut |p| {
        people.insert(p.id, names.apply(&p.name));
        Ok(())
    })?;
    let mut cal = Calendar::default();
    cal.line("BEGIN:VCALENDAR");
    cal.line("VERSION:2.0");
    cal.line(&format!("PRODID:{PRODID}"));
    cal.line("CALSCALE:GREGORIAN");
    cal.line("X-WR-CALNAME:needlelog");
    let stamp = utc_stamp(now);
    let leads = pre_care_leads(rules);
    let today = crate::domain::time::local_date(now, tz);

    let mut read = 0;
    parts.course_chunks(&mut |courses, chunk_sessions| {
        read += chunk_sessions.len();
        let mut by_course: HashMap<i64, Vec<&crate::domain::Session>> = HashMap::new();
        for s in chunk_sessions {
            by_course.entry(s.course_id).or_default().push(s);
        }
        for course in courses {
            let person = people.get(&course.person_id).map(String::as_str).unwrap_or("");
            let what = format!("{} ({})", rules.concern_name(&course.concern), course.areas.join(", "));
            // "· Ana Ruiz", "· A.R.", or nothing.
            let person = if person.is_empty() { String::new() } else { format!(" · {person}") };
            let mut done = 0;
            let mut sessions = by_course.remove(&course.id).unwrap_or_default();
            sessions.sort_by_key(|s| (s.at, s.id));
            for s in sessions.iter().copied() {
                let (summary, status) = match s.status {
                    SessionStatus::Planned => (format!("Microneedling (planned): {what}{person}"), "CONFIRMED"),
                    SessionStatus::Done => {
                        done += 1;
                        // Past the course's own sessions: maintenance, counted apart.
                        let target = course.sessions_target;
                        let title = match done > target {
                            true => format!("Microneedling maintenance {}: {what}{person}", done - target),
                            false => format!("Microneedling {done}/{target}: {what}{person}"),
                        };
                        (title, "CONFIRMED")
                    }
                    SessionStatus::Cancelled => (format!("Microneedling (cancelled): {what}{person}"), "CANCELLED"),
                    // Recorded in error: no event in a calendar.
                    SessionStatus::Voided => continue,
                };
                if since.is_some_and(|since| s.at < since) {
                    continue;
                }
                let mut details = Vec::new();
                if !s.depths().is_empty() {
                    details.push(format!("Depth: {} mm", s.depths_text(", ")));
                }
                if let Some(p) = s.passes {
                    details.push(format!("Passes: {p}"));
                }
                if let Some(serum) = &s.serum {
                    details.push(format!("Serum: {serum}"));
                }
                if !s.notes.is_empty() {
                    details.push(s.notes.clone());
                }
                cal.line("BEGIN:VEVENT");
                cal.prop("UID", &format!("session-{}@needlelog", s.id));
                cal.prop("DTSTAMP", &stamp);
                cal.prop("DTSTART", &utc_stamp(s.at));
                cal.prop("DURATION", "PT1H");
                cal.text("SUMMARY", &summary);
                if !details.is_empty() {
                    cal.text("DESCRIPTION", &details.join("\n"));
                }
                cal.prop("STATUS", status);
                if !course.place.is_empty() {
                    cal.text("LOCATION", &course.place);
                }
                if s.status == SessionStatus::Planned {
                    for (hours, items) in &leads {
                        cal.line("BEGIN:VALARM");
                        cal.prop("ACTION", "DISPLAY");
                        cal.prop("TRIGGER", &before(*hours));
                        cal.text("DESCRIPTION", &format!("Pre-care from now until the session: {}", items.join("; ")));
                        cal.line("END:VALARM");
                    }
                }
                cal.line("END:VEVENT");
            }

            if course.status == CourseStatus::Paused {
                continue;
            }
            let mine: Vec<crate::domain::Session> = sessions.iter().map(|s| (*s).clone()).collect();
            let state = course_state(course, &mine, &rules.course, now, tz);
            // Maintenance and results day: a day each, with an alarm that morning,
            // rather than a banner across three months.
            let mut days = Vec::new();
            if let Some(w) = state.maintenance.filter(|w| w.latest >= today) {
                let open = format!("Maintenance window opens: {what}{person}");
                let text =
                    format!("Time to book a maintenance session: any day until {}.", w.latest.format("%-d %b %Y"));
                days.push(("maintenance", w.earliest, open, text));
                let last = format!("Maintenance window: last day · {what}{person}");
                days.push(("maintenance-last", w.latest, last, "The maintenance window closes today.".to_string()));
            }
            if let Some(day) = state.final_results.filter(|d| *d >= today && course.final_rating.is_none()) {
                let estimate = if state.final_results_projected { " (estimate)" } else { "" };
                let title = format!("Results day{estimate}: {what}{person}");
                let text = "Time to judge your results: compare your photos with the first ones, \
                        and rate how your skin looks now (r in needlelog)."
                    .to_string();
                days.push(("results", day, title, text));
            }
            for (kind, day, title, text) in days {
                cal.line("BEGIN:VEVENT");
                cal.prop("UID", &format!("{kind}-course-{}@needlelog", course.id));
                cal.prop("DTSTAMP", &stamp);
                cal.prop("DTSTART;VALUE=DATE", &day_stamp(day));
                cal.prop("DTEND;VALUE=DATE", &day_stamp(day.checked_add_days(Days::new(1)).unwrap_or(day)));
                cal.text("SUMMARY", &title);
                cal.text("DESCRIPTION", &text);
                if !course.place.is_empty() {
                    cal.text("LOCATION", &course.place);
                }
                cal.prop("TRANSP", "TRANSPARENT");
                cal.line("BEGIN:VALARM");
                cal.prop("ACTION", "DISPLAY");
                cal.prop("TRIGGER", "PT9H");
                cal.text("DESCRIPTION", &title);
                cal.line("END:VALARM");
                cal.line("END:VEVENT");
            }

            if course.status != CourseStatus::Active {
                continue;
            }
            for (window, kind, title) in [(state.next_window, "window", "Next microneedling window")] {
                let Some(w) = window else { continue };
                cal.line("BEGIN:VEVENT");
                cal.prop("UID", &format!("{kind}-course-{}@needlelog", course.id));
                cal.prop("DTSTAMP", &stamp);
                cal.prop("DTSTART;VALUE=DATE", &day_stamp(w.earliest));
                // All-day events end on the day after the last one (DTEND is exclusive).
                cal.prop("DTEND;VALUE=DATE", &day_stamp(w.latest.checked_add_days(Days::new(1)).unwrap_or(w.latest)));
                cal.text("SUMMARY", &format!("{title}: {what}{person}"));
                cal.text(
                    "DESCRIPTION",
                    &format!(
                        "Book a session between {} and {}.",
                        w.earliest.format("%-d %b"),
                        w.latest.format("%-d %b %Y")
                    ),
                );
                cal.prop("TRANSP", "TRANSPARENT");
                cal.line("END:VEVENT");
            }
        }
        // Each chunk's events go out before the next chunk is read.
        out.write_all(cal.out.as_bytes()).map_err(|e| e.to_string())?;
        cal.out.clear();
        Ok(())
    })?;
    cal.line("END:VCALENDAR");
    out.write_all(cal.out.as_bytes()).map_err(|e| e.to_string())?;
    Ok(read)
}

/// Each pre-care lead that has items, earliest first: its hours before the
/// session and the items that start then.
fn pre_care_leads(rules: &Rules) -> Vec<(i64, Vec<&str>)> {
    let mut leads: Vec<(i64, Vec<&str>)> = Vec::new();
    for item in rules.checklist.iter().filter(|i| i.phase == CarePhase::Pre) {
        let hours = -item.from_hours;
        match leads.iter_mut().find(|(h, _)| *h == hours) {
            Some((_, items)) => items.push(&item.text),
            None => leads.push((hours, vec![&item.text])),
        }
    }
    leads.sort_by_key(|(hours, _)| std::cmp::Reverse(*hours));
    leads
}

/// An alarm `hours` before the start: `-P14D`, `-PT36H`.
fn before(hours: i64) -> String {
    if hours % 24 == 0 { format!("-P{}D", hours / 24) } else { format!("-PT{hours}H") }
}

fn utc_stamp(at: DateTime<Utc>) -> String {
    at.format("%Y%m%dT%H%M%SZ").to_string()
}

fn day_stamp(day: NaiveDate) -> String {
    day.format("%Y%m%d").to_string()
}

#[derive(Default)]
struct Calendar {
    out: String,
}

impl Calendar {
    /// Writes one content line, folded at 75 octets, ended by CRLF.
    fn line(&mut self, line: &str) {
        let mut width = 0;
        for ch in line.chars() {
            let len = ch.len_utf8();
            if width + len > 75 {
                self.out.push_str("\r\n ");
                width = 1;
            }
            self.out.push(ch);
            width += len;
        }
        self.out.push_str("\r\n");
    }

    fn prop(&mut self, name: &str, value: &str) {
        self.line(&format!("{name}:{value}"));
    }

    /// A TEXT property, escaped.
    fn text(&mut self, name: &str, value: &str) {
        let mut escaped = String::with_capacity(value.len());
        for ch in value.chars() {
            match ch {
                '\\' => escaped.push_str("\\\\"),
                ';' => escaped.push_str("\\;"),
                ',' => escaped.push_str("\\,"),
                '\n' => escaped.push_str("\\n"),
                // RFC 5545 allows no other control characters in TEXT.
                c if c.is_control() => {}
                c => escaped.push(c),
            }
        }
        self.prop(name, &escaped);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_fold_at_75_octets_without_splitting_characters() {
        let mut cal = Calendar::default();
        let long = format!("SUMMARY:{}", "é".repeat(60));
        cal.line(&long);
        for line in cal.out.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(line.len() <= 75, "{} octets", line.len());
        }
        let unfolded = cal.out.replace("\r\n ", "");
        assert_eq!(unfolded, format!("{long}\r\n"));
    }

    #[test]
    fn text_values_are_escaped() {
        let mut cal = Calendar::default();
        cal.text("DESCRIPTION", "a,b;c\\d\ne");
        assert_eq!(cal.out, "DESCRIPTION:a\\,b\\;c\\\\d\\ne\r\n");
    }
}
