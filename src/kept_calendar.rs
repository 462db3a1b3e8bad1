//! Calendars kept current: `export --format ics -o FILE --keep-current` records
//! FILE in the database, and every later change (a command or a save in the app)
//! rewrites it, so a calendar app subscribed to the file always shows the plan and
//! its pre-care alarms.
//!
//! A kept calendar holds what a calendar is for: the courses still running and
//! the finished ones whose maintenance is open or to come, with their sessions.
//! Sessions older than 30 days count ("session 4/6") but get no event of their
//! own: years of history stay in the full export.

use std::path::Path;

use chrono::{DateTime, TimeZone, Utc};

use crate::domain::Snapshot;
use crate::domain::reminders::WATCH_GRACE_MONTHS;
use crate::domain::rules::Rules;
use crate::exchange::ics::to_ics_since;
use crate::store::{Result, Store};
use crate::text;

/// How far back a kept calendar shows sessions.
const PAST_DAYS: i64 = 30;

/// How a file's calendars name people unless told: a practitioner's by initials.
pub fn names_for(kind: crate::domain::FileKind) -> crate::exchange::ics::Names {
    match kind {
        crate::domain::FileKind::Practitioner => crate::exchange::ics::Names::Initials,
        crate::domain::FileKind::Patient => crate::exchange::ics::Names::Full,
    }
}

/// The calendar a kept file holds at `now`.
pub fn calendar<Tz: TimeZone>(store: &Store, rules: &Rules, now: DateTime<Utc>, tz: &Tz) -> Result<String> {
    let since = now - chrono::Duration::days(PAST_DAYS);
    let snapshot = store.consistent(|| {
        let mut courses = store.courses_to_watch(now, WATCH_GRACE_MONTHS)?;
        courses.sort_by_key(|c| c.id);
        let ids: Vec<i64> = courses.iter().map(|c| c.id).collect();
        // Whole rows (with depths, for the events' details) only where an event is
        // written; older sessions only count, so when and how they happened will do.
        let mut recent = store.sessions_of_since(&ids, since)?;
        store.fill_depths(&mut recent)?;
        let mut sessions: Vec<_> = store.session_times_of(&ids)?.into_iter().filter(|s| s.at < since).collect();
        sessions.extend(recent);
        let mut person_ids: Vec<i64> = courses.iter().map(|c| c.person_id).collect();
        person_ids.sort_unstable();
        person_ids.dedup();
        let people = store.people_by_ids(&person_ids)?;
        Ok(Snapshot { people, courses, sessions, ..Snapshot::default() })
    })?;
    Ok(to_ics_since(&snapshot, rules, now, tz, Some(since), names_for(store.file_kind()?)))
}

/// Writes the calendar to `path` (0600, whole or not at all).
pub fn write<Tz: TimeZone>(
    store: &Store,
    rules: &Rules,
    now: DateTime<Utc>,
    tz: &Tz,
    path: &Path,
) -> std::result::Result<(), String> {
    let ics = calendar(store, rules, now, tz).map_err(|e| e.to_string())?;
    crate::private_file::write(path, ics.as_bytes()).map_err(|e| e.to_string())
}

/// Rewrites every kept calendar after a change. Never fails the change that
/// caused it: each file that could not be written is one line to show.
pub fn refresh<Tz: TimeZone>(store: &Store, rules: &Rules, now: DateTime<Utc>, tz: &Tz) -> Vec<String> {
    let files = match store.kept_files() {
        Ok(files) if files.is_empty() => return Vec::new(),
        Ok(files) => files,
        Err(e) => return vec![format!("the calendars kept current were not updated: {e}")],
    };
    let ics = match calendar(store, rules, now, tz) {
        Ok(ics) => ics,
        Err(e) => return vec![format!("the calendars kept current were not updated: {e}")],
    };
    let mut warnings = Vec::new();
    for path in files {
        let shown = text::printable(&path.display().to_string());
        let stop = format!("needlelog export --stop-keeping {shown} stops keeping it");
        if path.parent().is_some_and(|dir| !dir.as_os_str().is_empty() && !dir.is_dir()) {
            warnings.push(format!("calendar {shown} not updated: its folder is gone ({stop})"));
        } else if let Err(e) = crate::private_file::write(&path, ics.as_bytes()) {
            warnings.push(format!("calendar {shown} not updated: {e} ({stop})"));
        }
    }
    warnings
}
