//! Copies that exist when they are needed. Before the first write of each (local)
//! day the file is checked (`PRAGMA quick_check`: a damaged file takes no writes)
//! and copied through SQLite's online backup API into `backups/` beside it (0700,
//! files 0600), unless nothing changed since the newest copy; the last 7 daily and
//! 4 weekly copies are kept. A copy taken by hand (`needlelog backup`) has a name
//! of its own and a rotation of its own (the newest [`BY_HAND_KEPT`]): it never
//! replaces the day's "before" copy. Whether a copy holds what the newest one
//! holds is told by their SHA-256, read in chunks and kept beside each copy: no
//! copy is ever read whole into memory. `restore` uses the same pieces.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use rusqlite::{Connection, OpenFlags};

use super::{Result, Store, StoreError};

/// How many copies to keep.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Keep {
    pub daily: usize,
    pub weekly: usize,
}

impl Default for Keep {
    fn default() -> Self {
        Keep { daily: 7, weekly: 4 }
    }
}

impl Keep {
    /// The most copies of either kind a setting may ask for.
    pub const MOST: usize = 1000;

    /// `7d,4w` (either part may be left out; each at most [`Keep::MOST`]).
    pub fn parse(text: &str) -> Option<Keep> {
        let mut keep = Keep::default();
        for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (n, daily) = match (part.strip_suffix('d'), part.strip_suffix('w')) {
                (Some(n), _) => (n, true),
                (_, Some(n)) => (n, false),
                _ => return None,
            };
            let n: usize = n.parse().ok().filter(|n| *n <= Keep::MOST)?;
            if daily {
                keep.daily = n;
            } else {
                keep.weekly = n;
            }
        }
        Some(keep)
    }
}

/// How many copies taken by hand are kept (the newest).
pub const BY_HAND_KEPT: usize = 10;

/// The daily care of a store: when it is, and whether today's is done.
#[derive(Debug, Clone)]
pub(super) struct Care {
    pub(super) now: DateTime<Utc>,
    /// Where the day begins and ends.
    pub(super) zone: crate::domain::time::Zone,
    pub(super) keep: Keep,
    /// The trash keeps what was deleted this many days.
    pub(super) trash_days: u32,
    pub(super) done_for: Option<NaiveDate>,
}

use super::copies::stem;
pub use super::copies::{BackupFile, advice, folder, list};

/// Removes what a copy killed half-way left in the backups folder (`.backup-*.partial`,
/// `.*.new`), once it is an hour old: a copy still being made is newer.
fn sweep_leftovers(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let leftover = (name.starts_with(".backup-") && name.ends_with(".partial"))
            || (name.starts_with('.') && name.ends_with(".new"));
        let old = e
            .metadata()
            .and_then(|m| m.modified())
            .is_ok_and(|t| t.elapsed().is_ok_and(|age| age > std::time::Duration::from_secs(3600)));
        if leftover && old && e.file_type().is_ok_and(|t| t.is_file()) {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

/// Creates the backups folder (0700) when missing.
fn make_folder(dir: &Path) -> std::io::Result<()> {
    crate::private_file::folder(dir)
}

/// Copies the open database to `to` through the online backup API (a consistent
/// copy even while others write), 0600, whole or not at all.
pub(super) fn copy_to(conn: &Connection, to: &Path) -> std::io::Result<()> {
    let folder = to.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let temp = tempfile::Builder::new().prefix(".backup-").suffix(".partial").tempfile_in(folder)?;
    let mut dest = Connection::open(temp.path()).map_err(std::io::Error::other)?;
    {
        let backup = rusqlite::backup::Backup::new(conn, &mut dest).map_err(std::io::Error::other)?;
        backup.run_to_completion(1024, std::time::Duration::ZERO, None).map_err(std::io::Error::other)?;
    }
    dest.close().map_err(|(_, e)| std::io::Error::other(e))?;
    temp.as_file().sync_all()?;
    temp.persist(to).map_err(|e| e.error)?;
    Ok(())
}

/// The SHA-256 of a file, read 64 KB at a time.
fn hash_file(path: &Path) -> std::io::Result<String> {
    use sha2::{Digest, Sha256};
    use std::io::Read;
    let mut file = std::fs::File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 64 * 1024];
    loop {
        let n = file.read(&mut buffer)?;
        if n == 0 {
            break;
        }
        hasher.update(&buffer[..n]);
    }
    Ok(format!("{:x}", hasher.finalize()))
}

/// Where a copy's SHA-256 is kept.
fn hash_path(copy: &Path) -> PathBuf {
    let mut name = copy.as_os_str().to_owned();
    name.push(".sha256");
    PathBuf::from(name)
}

/// A copy's SHA-256: the one kept beside it, else worked out (in chunks) and kept.
fn hash_of(copy: &Path) -> std::io::Result<String> {
    if let Ok(kept) = std::fs::read_to_string(hash_path(copy))
        && kept.trim().len() == 64
    {
        return Ok(kept.trim().to_string());
    }
    let hash = hash_file(copy)?;
    let _ = crate::private_file::write(&hash_path(copy), hash.as_bytes());
    Ok(hash)
}

/// Removes a copy and the hash kept beside it.
fn remove_copy(copy: &Path) {
    let _ = std::fs::remove_file(copy);
    let _ = std::fs::remove_file(hash_path(copy));
}

/// Which copies rotation removes: of the copies made before a day's first change,
/// beyond the newest `keep.daily`, one per ISO week for `keep.weekly` weeks is
/// kept; of those taken by hand, the newest [`BY_HAND_KEPT`].
fn to_remove(files: &[BackupFile], keep: Keep) -> Vec<PathBuf> {
    let mut weeks_kept: Vec<(i32, u32)> = Vec::new();
    let mut remove: Vec<PathBuf> =
        files.iter().filter(|f| f.by_hand.is_some()).skip(BY_HAND_KEPT).map(|f| f.path.clone()).collect();
    let daily = files.iter().filter(|f| f.by_hand.is_none());
    for (i, f) in daily.enumerate() {
        if i < keep.daily {
            continue;
        }
        let week = (f.day.iso_week().year(), f.day.iso_week().week());
        if weeks_kept.len() < keep.weekly && !weeks_kept.contains(&week) {
            weeks_kept.push(week);
        } else {
            remove.push(f.path.clone());
        }
    }
    remove
}

impl Store {
    /// Turns the daily check and copy on, at `now` (the app moves it on with
    /// [`Store::set_now`]).
    pub fn take_daily_care(
        &mut self,
        now: DateTime<Utc>,
        zone: crate::domain::time::Zone,
        keep: Keep,
        trash_days: u32,
    ) {
        // A server's copies are its own (pg_dump), not needlelog's.
        if !self.on_server() {
            self.care = Some(Care { now, zone, keep, trash_days, done_for: None });
        }
    }

    /// Moves the store's clock on (for the daily care).
    pub fn set_now(&mut self, now: DateTime<Utc>) {
        if let Some(care) = &mut self.care {
            care.now = now;
        }
    }

    /// `PRAGMA quick_check`: the problems it finds, none when the file is sound.
    pub fn quick_check(&self) -> Result<Vec<String>> {
        self.sqlite(|c| {
            let mut stmt = c.prepare("PRAGMA quick_check")?;
            let lines = stmt.query_map([], |r| r.get::<_, String>(0))?.collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(lines.into_iter().filter(|l| l != "ok").collect())
        })
    }

    /// Before the day's first write: check the file, copy it, rotate the copies.
    pub(super) fn daily_care(&mut self) -> Result<()> {
        let Some(care) = self.care.clone() else { return Ok(()) };
        let today = crate::domain::time::local_date(care.now, &care.zone);
        if care.done_for == Some(today) {
            return Ok(());
        }
        let dir = folder(&self.path);
        let marker = dir.join(format!(".{}.checked", stem(&self.path)));
        let marked = std::fs::read_to_string(&marker).ok().and_then(|t| t.trim().parse::<NaiveDate>().ok());
        if marked != Some(today) {
            // The check and the copy read the whole file once, through the page
            // cache: the day's first write costs what any does in memory.
            self.check_and_copy(today, &care, &marker)?;
        }
        if let Some(care) = &mut self.care {
            care.done_for = Some(today);
        }
        Ok(())
    }

    /// The daily care itself: check, copy, empty the trash of old entries.
    fn check_and_copy(&mut self, today: NaiveDate, care: &Care, marker: &Path) -> Result<()> {
        let problems = self.quick_check()?;
        if let Some(first) = problems.first() {
            return Err(StoreError::Corrupt {
                path: self.path.clone(),
                detail: first.clone(),
                advice: advice(&self.path, Some(today)),
            });
        }
        // A copy that cannot be made (a full disk, a read-only folder) is told, and
        // the write goes ahead: it meets the same problem, or succeeds.
        match self.backup_into_folder(today, care.keep) {
            Ok(_) => {
                let _ = crate::private_file::write(marker, today.to_string().as_bytes());
            }
            Err(e) => self.skip(format!("no backup copy today: {e}")),
        }
        // What was deleted long enough ago leaves the trash (one statement, atomic),
        // clinical records never. (A span past the calendar's start keeps everything.)
        let cutoff = chrono::Duration::try_days(i64::from(care.trash_days))
            .and_then(|span| care.now.checked_sub_signed(span))
            .unwrap_or(DateTime::<Utc>::MIN_UTC);
        let purged = self
            .conn
            .execute("DELETE FROM trash WHERE deleted_at < ?1 AND clinical = 0", [super::row::instant_text(cutoff)]);
        if let Err(e) = purged {
            self.skip(format!("the trash was not emptied of old entries: {e}"));
        }
        Ok(())
    }

    /// The copy of `day` (local) made before its first change, in the backups
    /// folder, unless the newest copy holds the same bytes (a day's copy already
    /// made is never replaced); then the rotation. Returns the copy made, if one was.
    pub fn backup_into_folder(&self, day: NaiveDate, keep: Keep) -> Result<Option<PathBuf>> {
        let target = folder(&self.path).join(format!("{}-{day}.db", stem(&self.path)));
        if target.exists() {
            return Ok(None);
        }
        self.copy_into_folder(&target, keep, true)
    }

    /// A copy taken by hand at `at` (local time), beside the day's "before" copy
    /// and never in its place; then the rotation.
    pub fn backup_by_hand(&self, at: chrono::NaiveDateTime, keep: Keep) -> Result<PathBuf> {
        let name = format!("{}-{}-{}{}", stem(&self.path), at.date(), at.format("%H%M%S"), super::copies::BY_HAND);
        let target = folder(&self.path).join(name);
        let made = self.copy_into_folder(&target, keep, false)?;
        Ok(made.unwrap_or(target))
    }

    /// Copies the file to `target` in the backups folder (skipped when `unless_same`
    /// and the newest copy holds the same bytes), keeps its hash beside it, brings
    /// the pictures, and rotates.
    fn copy_into_folder(&self, target: &Path, keep: Keep, unless_same: bool) -> Result<Option<PathBuf>> {
        let dir = folder(&self.path);
        let failed = |source| StoreError::Backup { path: self.path.clone(), during: "into its backups folder", source };
        make_folder(&dir).map_err(failed)?;
        sweep_leftovers(&dir);
        let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let fresh = dir.join(format!(".{name}.new"));
        copy_to(self.sqlite_conn()?, &fresh).map_err(failed)?;
        let hash = hash_file(&fresh).map_err(failed)?;
        let newest = list(&self.path).into_iter().next();
        let same = unless_same && newest.is_some_and(|b| hash_of(&b.path).is_ok_and(|h| h == hash));
        let made = if same {
            let _ = std::fs::remove_file(&fresh);
            None
        } else {
            crate::private_file::write(&hash_path(target), hash.as_bytes()).map_err(failed)?;
            std::fs::rename(&fresh, target).map_err(failed)?;
            Some(target.to_path_buf())
        };
        copy_pictures(self.sqlite_conn()?, &self.path, &dir.join("pictures.db")).map_err(failed)?;
        for old in to_remove(&list(&self.path), keep) {
            remove_copy(&old);
        }
        prune_pictures(&self.path);
        Ok(made)
    }

    /// A copy of the whole file at `to` (0600, whole or not at all), with the
    /// pictures it refers to in `photos/` beside it.
    pub fn backup_to(&self, to: &Path) -> Result<()> {
        let failed = |source| StoreError::Backup { path: self.path.clone(), during: "to the file named", source };
        copy_to(self.sqlite_conn()?, to).map_err(failed)?;
        copy_pictures(self.sqlite_conn()?, &self.path, to).map_err(failed)?;
        Ok(())
    }
}

/// The photo store beside a database file (as `crate::photos::PhotoStore` has it).
fn pictures_folder(db: &Path) -> PathBuf {
    db.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new(".")).join("photos")
}

/// The stored names of the pictures a database refers to (`HASH.jpg`).
fn pictures_of(conn: &Connection) -> rusqlite::Result<Vec<String>> {
    let mut stmt =
        conn.prepare(&format!("SELECT DISTINCT hash, format FROM session_photos WHERE {}", super::photos::SOUND_HASH))?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
    let mut names = Vec::new();
    for row in rows {
        let (hash, format) = row?;
        if let Ok(format) = format.parse::<crate::domain::PhotoFormat>() {
            names.push(format!("{hash}.{}", format.extension()));
        }
    }
    Ok(names)
}

/// Puts the pictures `conn`'s file refers to in `photos/` beside `to` (a backup
/// or restored file): hard links where the file system allows (a stored
/// picture never changes), else private copies. Pictures already there stay.
fn copy_pictures(conn: &Connection, from_db: &Path, to_db: &Path) -> std::io::Result<usize> {
    let (from, to) = (pictures_folder(from_db), pictures_folder(to_db));
    let names = pictures_of(conn).map_err(std::io::Error::other)?;
    if names.is_empty() || crate::private_file::same_file(&from, &to) {
        return Ok(0);
    }
    crate::private_file::folder(&to)?;
    let mut copied = 0;
    for name in names {
        let (source, target) = (from.join(&name), to.join(&name));
        if target.is_file() || !source.is_file() {
            continue;
        }
        if std::fs::hard_link(&source, &target).is_err() {
            crate::private_file::copy(&source, &target)?;
        }
        copied += 1;
    }
    Ok(copied)
}

/// Removes pictures from the backups' `photos/` that no kept copy refers to. A
/// copy that cannot be read keeps every picture.
fn prune_pictures(db: &Path) {
    let dir = folder(db);
    let pool = pictures_folder(&dir.join("x.db"));
    let Ok(entries) = std::fs::read_dir(&pool) else { return };
    let mut wanted = std::collections::HashSet::new();
    let copies = std::fs::read_dir(&dir).into_iter().flatten().filter_map(|e| e.ok()).map(|e| e.path());
    for copy in copies.filter(|p| p.extension().is_some_and(|e| e == "db")) {
        let names = Connection::open_with_flags(&copy, OpenFlags::SQLITE_OPEN_READ_ONLY).and_then(|c| pictures_of(&c));
        match names {
            Ok(names) => wanted.extend(names),
            // An older copy from before photos were kept has no such table: nothing to keep.
            Err(rusqlite::Error::SqliteFailure(..)) if !has_photo_table(&copy) => {}
            Err(_) => return,
        }
    }
    for entry in entries.filter_map(|e| e.ok()) {
        let name = entry.file_name().to_string_lossy().into_owned();
        if entry.path().is_file() && !wanted.contains(&name) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

fn has_photo_table(db: &Path) -> bool {
    Connection::open_with_flags(db, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .and_then(|c| {
            c.query_row("SELECT count(*) FROM sqlite_master WHERE name = 'session_photos'", [], |r| r.get::<_, i64>(0))
        })
        .map_or(true, |n| n > 0)
}

/// Brings back the pictures a restored copy refers to from `photos/` beside the
/// copy, where the store beside `db` lacks them. Returns how many came.
pub fn restore_pictures(db: &Path, copy: &Path) -> std::io::Result<usize> {
    let conn = Connection::open_with_flags(db, OpenFlags::SQLITE_OPEN_READ_ONLY).map_err(std::io::Error::other)?;
    copy_pictures(&conn, copy, db)
}

/// Checks that `file` is a sound needlelog database this build can open, without
/// changing it: for `restore`.
pub fn check_copy(file: &Path) -> Result<()> {
    super::check_header(file)?;
    let conn =
        Connection::open_with_flags(file, OpenFlags::SQLITE_OPEN_READ_ONLY).map_err(|e| super::classify(file, e))?;
    let (app_id, version): (i32, i32) = conn
        .query_row("SELECT * FROM pragma_application_id, pragma_user_version", [], |r| Ok((r.get(0)?, r.get(1)?)))
        .map_err(|e| super::classify(file, e))?;
    if app_id != super::APPLICATION_ID {
        return Err(StoreError::Foreign { path: file.to_path_buf() });
    }
    if version > super::current_version() {
        return Err(StoreError::Newer { path: file.to_path_buf(), found: version, known: super::current_version() });
    }
    let problem: String =
        conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).map_err(|e| super::classify(file, e))?;
    if problem != "ok" {
        return Err(StoreError::Corrupt {
            path: file.to_path_buf(),
            detail: problem,
            advice: "pick another copy".into(),
        });
    }
    Ok(())
}

/// Puts `copy` in place of `db` in one step, after keeping the current file aside
/// as `db.before-restore-<time>` (`-2`, `-3`… when that name is taken: a copy set
/// aside is never replaced). A database reached through a link is restored where
/// the link points, and the link stays. Returns where the old file went.
pub fn restore(db: &Path, copy: &Path, now: DateTime<Utc>) -> Result<Option<PathBuf>> {
    check_copy(copy)?;
    let failed = |source| StoreError::Backup { path: db.to_path_buf(), during: "while restoring", source };
    let is_link = std::fs::symlink_metadata(db).is_ok_and(|m| m.file_type().is_symlink());
    let db = if is_link { std::fs::canonicalize(db).map_err(failed)? } else { db.to_path_buf() };
    let aside = if db.exists() {
        let mut stem = db.file_name().unwrap_or_default().to_os_string();
        stem.push(format!(".before-restore-{}", now.format("%Y%m%dT%H%M%S")));
        let mut n = 1;
        loop {
            let mut name = stem.clone();
            if n > 1 {
                name.push(format!("-{n}"));
            }
            let aside = db.with_file_name(name);
            match crate::private_file::copy_new(&db, &aside) {
                Ok(()) => break Some(aside),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && n < 1000 => n += 1,
                Err(e) => return Err(failed(e)),
            }
        }
    } else {
        None
    };
    crate::private_file::copy(copy, &db).map_err(failed)?;
    let _ = std::fs::remove_file(
        db.with_file_name(format!("{}-journal", db.file_name().unwrap_or_default().to_string_lossy())),
    );
    Ok(aside)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rotation_keeps_seven_days_and_four_weeks() {
        let start = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        let files: Vec<BackupFile> = (0..40)
            .map(|i| {
                let day = start - chrono::Days::new(i);
                BackupFile { path: PathBuf::from(day.to_string()), day, bytes: 1, by_hand: None }
            })
            .collect();
        let removed = to_remove(&files, Keep::default());
        let kept: Vec<&BackupFile> = files.iter().filter(|f| !removed.contains(&f.path)).collect();
        assert_eq!(kept.len(), 11, "{kept:?}");
        assert!(kept[..7].iter().zip(&files[..7]).all(|(a, b)| a == &b), "the newest seven");
        let weeks: Vec<u32> = kept[7..].iter().map(|f| f.day.iso_week().week()).collect();
        let mut unique = weeks.clone();
        unique.dedup();
        assert_eq!(weeks, unique, "one a week");
        assert_eq!(Keep::parse("3d,2w"), Some(Keep { daily: 3, weekly: 2 }));
        assert_eq!(Keep::parse("x"), None);
        // A letter of several bytes, a count past the bound: refused, never a panic.
        assert_eq!(Keep::parse("7d,4ш"), None);
        assert_eq!(Keep::parse("ш"), None);
        assert_eq!(Keep::parse("1001d"), None);
        assert_eq!(Keep::parse("1000w"), Some(Keep { daily: 7, weekly: 1000 }));
    }
}
