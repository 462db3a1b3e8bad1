//! Where a file's backup copies are and which there are: what `backup` writes and
//! rotates, and what a damaged file's advice names. The copy made before the
//! day's first change is `NAME-DAY.db`; a copy taken by hand is
//! `NAME-DAY-HHMMSS-by-hand.db` (the local time), so one never replaces the other.
//! Each copy's SHA-256 is kept beside it (`….db.sha256`).

use std::path::{Path, PathBuf};

use chrono::{NaiveDate, NaiveTime};

/// A copy in the backups folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupFile {
    pub path: PathBuf,
    pub day: NaiveDate,
    pub bytes: u64,
    /// When a copy taken by hand was taken (local time); `None` for the copy
    /// made before the day's first change.
    pub by_hand: Option<NaiveTime>,
}

/// What a copy taken by hand ends its name with.
pub(super) const BY_HAND: &str = "-by-hand.db";

/// The backups folder of a database file.
pub fn folder(db: &Path) -> PathBuf {
    db.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new(".")).join("backups")
}

pub(super) fn stem(db: &Path) -> String {
    db.file_stem().unwrap_or_default().to_string_lossy().into_owned()
}

/// The copies of `db` in its backups folder, newest first (on one day, a copy
/// taken by hand is newer than the one before the day's first change).
pub fn list(db: &Path) -> Vec<BackupFile> {
    let prefix = format!("{}-", stem(db));
    let Ok(entries) = std::fs::read_dir(folder(db)) else { return Vec::new() };
    let mut found: Vec<BackupFile> = entries
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let rest = name.strip_prefix(&prefix)?;
            let (day, by_hand) = match rest.strip_suffix(BY_HAND) {
                // `2026-12-06-183000`
                Some(stamp) => {
                    let (day, time) = stamp.rsplit_once('-')?;
                    (day.parse().ok()?, Some(NaiveTime::parse_from_str(time, "%H%M%S").ok()?))
                }
                None => (rest.strip_suffix(".db")?.parse().ok()?, None),
            };
            let bytes = e.metadata().ok()?.len();
            Some(BackupFile { path: e.path(), day, bytes, by_hand })
        })
        .collect();
    found.sort_by_key(|b| std::cmp::Reverse((b.day, b.by_hand.is_some(), b.by_hand)));
    found
}

/// What to do about a damaged file: restore the newest copy (not dated after
/// `today`, when known: a write with a later `--now` leaves a copy from the
/// future), or salvage.
pub fn advice(db: &Path, today: Option<NaiveDate>) -> String {
    let shown = db.display();
    match list(db).iter().find(|b| today.is_none_or(|t| b.day <= t)) {
        Some(b) => format!(
            "restore the copy of {}: needlelog --db {shown} restore {}",
            b.day.format("%a %-d %b %Y"),
            b.path.display()
        ),
        None => format!("no backup copy yet: needlelog --db {shown} doctor --salvage NEW.db copies what can be read"),
    }
}
