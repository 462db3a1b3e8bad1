//! Calendars kept current: `export --format ics -o FILE --keep-current` records
//! FILE, and every later change (a command or a save in the app) rewrites it, so a
//! calendar app subscribed to the file always shows the plan and its pre-care
//! alarms.
//!
//! Which calendars are kept is the user's choice on this machine, so the list
//! lives in needlelog's state folder (`$XDG_STATE_HOME/needlelog/kept-calendars.json`,
//! by default `~/.local/state/needlelog`), one entry per database and calendar —
//! never in the database, which may come from someone else. A kept file is
//! replaced only when it is a regular file (not a link) that needlelog wrote (its
//! PRODID), or when it is gone.
//!
//! A kept calendar holds what a calendar is for: the courses still running and
//! the finished ones whose maintenance is open or to come, with their sessions.
//! Sessions older than 30 days count ("session 4/6") but get no event of their
//! own: years of history stay in the full export.

use std::io::Read;
use std::path::{Path, PathBuf};

use chrono::{DateTime, TimeZone, Utc};

use crate::domain::Snapshot;
use crate::domain::reminders::WATCH_GRACE_MONTHS;
use crate::domain::rules::Rules;
use crate::exchange::ics::to_ics_since;
use crate::store::Result;
use crate::store::prelude::*;
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
pub fn calendar<Tz: TimeZone>(store: &dyn Records, rules: &Rules, now: DateTime<Utc>, tz: &Tz) -> Result<String> {
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
    store: &dyn Records,
    rules: &Rules,
    now: DateTime<Utc>,
    tz: &Tz,
    path: &Path,
) -> std::result::Result<(), String> {
    let ics = calendar(store, rules, now, tz).map_err(|e| e.to_string())?;
    crate::private_file::write(path, ics.as_bytes()).map_err(|e| e.to_string())
}

/// Rewrites every calendar `list` keeps for this store after a change. Never
/// fails the change that caused it: each file that could not be written is one
/// line to show.
pub fn refresh<Tz: TimeZone>(
    store: &dyn Records,
    list: &KeptList,
    rules: &Rules,
    now: DateTime<Utc>,
    tz: &Tz,
) -> Vec<String> {
    // Kept calendars are listed by the file (or server) they come from.
    let files = match list.calendars(&records_key(store)) {
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
        } else if let Err(why) = replaceable(&path) {
            warnings.push(format!("calendar {shown} not updated: {why} ({stop})"));
        } else if let Err(e) = crate::private_file::write(&path, ics.as_bytes()) {
            warnings.push(format!("calendar {shown} not updated: {e} ({stop})"));
        }
    }
    warnings
}

/// Whether a kept calendar's file may be replaced: gone, or a regular file (not a
/// link, a device or a pipe) that begins as needlelog's calendars do.
pub fn replaceable(path: &Path) -> std::result::Result<(), String> {
    let meta = match std::fs::symlink_metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(format!("cannot be read ({e})")),
        Ok(meta) => meta,
    };
    if meta.file_type().is_symlink() {
        return Err("it is a link now, and needlelog replaces only the file it wrote".into());
    }
    if !meta.is_file() {
        return Err("it is not a regular file now".into());
    }
    // Opened without waiting (a file swapped for a pipe meanwhile does not block).
    let mut head = Vec::with_capacity(512);
    let opened = {
        use std::os::unix::fs::OpenOptionsExt;
        std::fs::OpenOptions::new().read(true).custom_flags(libc::O_NONBLOCK | libc::O_NOFOLLOW).open(path)
    };
    opened.and_then(|f| f.take(512).read_to_end(&mut head)).map_err(|e| format!("cannot be read ({e})"))?;
    let head = String::from_utf8_lossy(&head);
    if head.starts_with("BEGIN:VCALENDAR") && head.contains(&format!("PRODID:{}", crate::exchange::ics::PRODID)) {
        Ok(())
    } else {
        Err("it no longer holds a calendar needlelog wrote".into())
    }
}

/// The calendars kept current on this machine, for every database of this user:
/// a small JSON file in the state folder, written whole (0600 in a 0700 folder).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeptList {
    file: PathBuf,
}

#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
struct ListFile {
    kept: Vec<Entry>,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
struct Entry {
    database: PathBuf,
    calendar: PathBuf,
}

impl KeptList {
    /// This user's list: `kept-calendars.json` in needlelog's state folder (the
    /// local data folder where the platform has no state folder).
    pub fn of_this_user() -> Option<KeptList> {
        let dirs = directories::ProjectDirs::from("", "", "needlelog")?;
        let folder = dirs.state_dir().unwrap_or(dirs.data_local_dir());
        Some(KeptList::at(folder.join("kept-calendars.json")))
    }

    /// The list kept in `file`.
    pub fn at(file: PathBuf) -> KeptList {
        KeptList { file }
    }

    pub fn file(&self) -> &Path {
        &self.file
    }

    /// The calendars kept for the database at `db`, in the order they were added.
    pub fn calendars(&self, db: &Path) -> std::io::Result<Vec<PathBuf>> {
        let db = key(db);
        Ok(self.read()?.kept.into_iter().filter(|e| e.database == db).map(|e| e.calendar).collect())
    }

    /// Keeps `calendar` (an absolute path) current for `db`; true when it is new.
    pub fn keep(&self, db: &Path, calendar: &Path) -> std::io::Result<bool> {
        let entry = Entry { database: key(db), calendar: calendar.to_path_buf() };
        let mut list = self.read()?;
        if list.kept.contains(&entry) {
            return Ok(false);
        }
        list.kept.push(entry);
        self.write(list)?;
        Ok(true)
    }

    /// Stops keeping `calendar` for `db`; false when it was not kept.
    pub fn stop(&self, db: &Path, calendar: &Path) -> std::io::Result<bool> {
        let db = key(db);
        let mut list = self.read()?;
        let before = list.kept.len();
        list.kept.retain(|e| !(e.database == db && e.calendar == calendar));
        if list.kept.len() == before {
            return Ok(false);
        }
        self.write(list)?;
        Ok(true)
    }

    fn read(&self) -> std::io::Result<ListFile> {
        match std::fs::read(&self.file) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(ListFile::default()),
            Err(e) => Err(e),
            Ok(bytes) => serde_json::from_slice(&bytes).map_err(|e| {
                std::io::Error::other(format!("{} cannot be read ({e}): remove it to start again", self.file.display()))
            }),
        }
    }

    /// Writes the list whole. (A database that cannot be seen now keeps its
    /// entries: it may be on a drive that is not mounted.)
    fn write(&self, list: ListFile) -> std::io::Result<()> {
        if let Some(folder) = self.file.parent() {
            crate::private_file::folder(folder)?;
        }
        let text = serde_json::to_string_pretty(&list).map_err(std::io::Error::other)?;
        crate::private_file::write(&self.file, text.as_bytes())
    }
}

/// A database named the same way whatever path reached it.
/// What the list keys the calendars of `store` by: its file, or its server's
/// address (without the password).
pub fn records_key(store: &dyn Records) -> PathBuf {
    store.file().map_or_else(|| PathBuf::from(store.place()), |file| file.path().to_path_buf())
}

fn key(db: &Path) -> PathBuf {
    if db.to_str().is_some_and(crate::store::server::is_address) {
        return db.to_path_buf();
    }
    std::fs::canonicalize(db).or_else(|_| std::path::absolute(db)).unwrap_or_else(|_| db.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_keeps_each_calendar_once_per_database() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a.db"), dir.path().join("b.db"));
        std::fs::write(&a, b"").unwrap();
        std::fs::write(&b, b"").unwrap();
        let list = KeptList::at(dir.path().join("state/kept.json"));
        let cal = dir.path().join("a.ics");
        assert!(list.keep(&a, &cal).unwrap());
        assert!(!list.keep(&dir.path().join(".").join("a.db"), &cal).unwrap(), "the same file by another path");
        assert!(list.keep(&b, &dir.path().join("b.ics")).unwrap());
        assert_eq!(list.calendars(&a).unwrap(), vec![cal.clone()]);
        assert!(list.stop(&a, &cal).unwrap());
        assert!(!list.stop(&a, &cal).unwrap());
        assert!(list.calendars(&a).unwrap().is_empty());
        assert_eq!(list.calendars(&b).unwrap(), vec![dir.path().join("b.ics")], "the other file's stays");
    }

    #[test]
    fn only_a_calendar_needlelog_wrote_is_replaced() {
        use std::os::unix::fs::symlink;
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let ours = d.join("ours.ics");
        std::fs::write(&ours, format!("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:{}\r\n", crate::exchange::ics::PRODID))
            .unwrap();
        assert_eq!(replaceable(&ours), Ok(()));
        assert_eq!(replaceable(&d.join("gone.ics")), Ok(()));
        std::fs::write(d.join("bashrc"), "export PATH=~/bin:$PATH\n").unwrap();
        assert!(replaceable(&d.join("bashrc")).unwrap_err().contains("no longer holds a calendar needlelog wrote"));
        symlink(&ours, d.join("link.ics")).unwrap();
        assert!(replaceable(&d.join("link.ics")).unwrap_err().contains("link"));
        assert!(replaceable(d).unwrap_err().contains("not a regular file"));
    }
}
