//! The SQLite file: the only module that speaks SQL.
//!
//! `Store::open` checks a file before touching it (not SQLite, another program's,
//! a newer needlelog's: refused, byte-for-byte untouched), backs it up before a
//! migration, and sets the connection up. Every write is one `BEGIN IMMEDIATE`
//! transaction, committed before the method returns.

pub mod backup;
mod checklist;
mod consents;
mod courses;
mod diary;
mod edit;
mod events;
mod health;
mod kept;
mod merge;
mod people;
mod photos;
mod recall_state;
mod repair;
mod row;
mod salvage;
mod schema;
mod sessions;
mod settings;
mod snapshot;
mod told;
mod trail;
mod trash;

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, ErrorCode, OpenFlags, Transaction, TransactionBehavior};

pub use courses::{CourseFilter, Standing, months_before};
pub use edit::{EditOutcome, FieldConflict, Settle};
pub use health::Health;
pub use merge::MergeCounts;
pub use photos::Attached;
pub use repair::{Finding, Mend};
pub use salvage::Lost;
pub use schema::{APPLICATION_ID, MIGRATIONS, current_version};
pub use sessions::{LotUse, SessionFilter};
pub use snapshot::ImportCounts;
pub use trash::TrashItem;

const SQLITE_HEADER: &[u8; 16] = b"SQLite format 3\0";

/// Everything that can go wrong with the file, each a single line naming it.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{path}: the file is empty, not a needlelog database; remove it or pick another file with --db")]
    Empty { path: PathBuf },
    #[error("{path}: not a SQLite database; is this the right file? pick another with --db")]
    NotSqlite { path: PathBuf },
    #[error("{path}: a SQLite database of another program, not needlelog; pick another file with --db")]
    Foreign { path: PathBuf },
    #[error("{path}: written by a newer needlelog (schema v{found}, this build knows v{known}); upgrade needlelog")]
    Newer { path: PathBuf, found: i32, known: i32 },
    #[error("{path}: the database is damaged ({detail}); {advice}")]
    Corrupt { path: PathBuf, detail: String, advice: String },
    #[error("cannot write to {path}: the file or its folder is read-only")]
    ReadOnly { path: PathBuf },
    #[error("{path}: the database stayed locked by another program for too long; try again")]
    Busy { path: PathBuf },
    #[error("cannot create {path}: the folder {} does not exist; create it or pick another --db", folder.display())]
    NoFolder { path: PathBuf, folder: PathBuf },
    #[error("cannot write to {path}: the disk is full; free some space and try again (nothing was changed)")]
    Full { path: PathBuf },
    #[error("cannot write to {path}: the disk refused a write (full or failing); nothing was changed, try again")]
    WriteFailed { path: PathBuf },
    #[error("cannot create {path}: {source}")]
    Create { path: PathBuf, source: std::io::Error },
    #[error("cannot read {path}: {source}")]
    Unreadable { path: PathBuf, source: std::io::Error },
    #[error("cannot read {path}: you have no permission to read it; check its owner and mode (ls -l)")]
    NoReadPermission { path: PathBuf },
    /// An upgrade of the file's schema failed: at which step (the steps before it
    /// are kept, that one rolled back), and where the copy from before it is.
    #[error("{}", migration_message(.path, *.from, *.step, .copy.as_deref(), .detail))]
    Migration { path: PathBuf, from: i32, step: Option<usize>, copy: Option<PathBuf>, detail: String },
    /// A copy of the file could not be made; `during` says which (before an
    /// upgrade, the daily copy, a restore).
    #[error("cannot copy {path} {during}: {source}")]
    Backup { path: PathBuf, during: &'static str, source: std::io::Error },
    #[error("{what} {id} does not exist")]
    NotFound { what: &'static str, id: String },
    /// The record clashes with one already in the file.
    #[error("{0}")]
    Conflict(String),
    /// An edit met changes made elsewhere to the same fields since it was opened.
    #[error("{what} {id} was changed elsewhere since you opened it ({}): choose which to keep", .conflicts.iter().map(|c| c.field).collect::<Vec<_>>().join(", "))]
    Changed { what: &'static str, id: i64, conflicts: Vec<FieldConflict> },
    /// The record (or imported document) is not one the file can hold.
    #[error("{0}")]
    Invalid(String),
    #[error("{path}: {source}")]
    Sqlite { path: PathBuf, source: rusqlite::Error },
    /// A SQLite error not yet tied to the file; `Store::read`/`write` classify it.
    #[error(transparent)]
    Raw(#[from] rusqlite::Error),
}

pub type Result<T> = std::result::Result<T, StoreError>;

/// An open needlelog file.
pub struct Store {
    conn: Connection,
    path: PathBuf,
    /// Rows left out of reads because they could not be read (see `take_skipped`).
    skipped: std::cell::RefCell<Vec<String>>,
    /// The daily check and copy before the first write, when turned on.
    care: Option<backup::Care>,
    /// How many write transactions this connection has committed.
    commits: std::cell::Cell<u64>,
    /// Where changes come from, for the edit trail (`cli`, `app`).
    source: &'static str,
    /// The time the front end works at (`--now`, the app's clock), for the trail.
    clock: Option<chrono::DateTime<chrono::Utc>>,
    /// The file opened (device and inode): a file put in its place (a restore)
    /// is noticed by [`Store::replaced_on_disk`].
    identity: Option<(u64, u64)>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("path", &self.path).finish()
    }
}

impl Store {
    /// Opens `path`, creating the file (mode 0600) when missing and migrating it
    /// when older. The folder must exist: a mistyped `--db` is reported, not created.
    pub fn open(path: &Path) -> Result<Store> {
        Store::open_in(path, false)
    }

    /// Like [`Store::open`], and creates the folder (mode 0700) when missing: for
    /// the default location in the platform data folder.
    pub fn open_default(path: &Path) -> Result<Store> {
        Store::open_in(path, true)
    }

    fn open_in(path: &Path, create_folder: bool) -> Result<Store> {
        if !path.exists() {
            create_database(path, create_folder)?;
        }
        check_header(path)?;
        Store::connect(path, true)
    }

    /// Opens a file whose header is checked (or that is brand new, when `existed`
    /// is false) and brings its schema up to date.
    fn connect(path: &Path, existed: bool) -> Result<Store> {
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags).map_err(|e| classify(path, e))?;
        let mut store = Store {
            conn,
            path: path.to_path_buf(),
            skipped: Default::default(),
            care: None,
            commits: Default::default(),
            source: "cli",
            clock: None,
            identity: identity(path),
        };
        store.configure()?;
        let version = store.identify()?;
        if version < current_version() {
            let copy = if existed && version > 0 { Some(store.backup_before_migration(version)?) } else { None };
            store.migrate(version).map_err(|e| match e {
                StoreError::Migration { path, from, step, detail, .. } => {
                    StoreError::Migration { path, from, step, copy, detail }
                }
                e => StoreError::Migration {
                    path: path.to_path_buf(),
                    from: version,
                    step: None,
                    copy,
                    detail: e.to_string(),
                },
            })?;
        }
        Ok(store)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Whether another file now stands at this store's path (`restore` puts a copy
    /// in place in one step): this connection still reads the old one.
    pub fn replaced_on_disk(&self) -> bool {
        let now = identity(&self.path);
        now.is_some() && now != self.identity
    }

    /// The same file opened again at its path, keeping this store's settings
    /// (the daily care, where changes come from, the clock).
    pub fn reopen(&self) -> Result<Store> {
        let mut fresh = Store::open(&self.path)?;
        fresh.care = self.care.clone();
        fresh.source = self.source;
        fresh.clock = self.clock;
        Ok(fresh)
    }

    fn configure(&self) -> Result<()> {
        self.setting(|c| {
            c.busy_timeout(Duration::from_secs(5))?;
            c.pragma_update(None, "foreign_keys", true)?;
            c.pragma_update(None, "synchronous", "FULL")?;
            Ok(())
        })
    }

    /// Refuses files that are not ours; returns the schema version of ours.
    fn identify(&self) -> Result<i32> {
        let (app_id, version, tables) = self.read(|c| {
            let app_id: i32 = c.pragma_query_value(None, "application_id", |r| r.get(0))?;
            let version: i32 = c.pragma_query_value(None, "user_version", |r| r.get(0))?;
            let tables: i64 = c.query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))?;
            Ok((app_id, version, tables))
        })?;
        let blank = app_id == 0 && version == 0 && tables == 0;
        if app_id != APPLICATION_ID && !blank {
            return Err(StoreError::Foreign { path: self.path.clone() });
        }
        if version > current_version() {
            return Err(StoreError::Newer { path: self.path.clone(), found: version, known: current_version() });
        }
        Ok(version)
    }

    /// Copies the file beside itself as `NAME.bak-vN` before its upgrade, through
    /// SQLite's online backup (a consistent copy even while another process
    /// writes); returns where.
    fn backup_before_migration(&self, version: i32) -> Result<PathBuf> {
        let mut name = self.path.file_name().unwrap_or_default().to_os_string();
        name.push(format!(".bak-v{version}"));
        let backup = self.path.with_file_name(name);
        backup::copy_to(&self.conn, &backup).map_err(|source| StoreError::Backup {
            path: self.path.clone(),
            during: "before upgrading it",
            source,
        })?;
        Ok(backup)
    }

    /// Applies every step after `from`, each in its own transaction with its bump.
    fn migrate(&mut self, from: i32) -> Result<()> {
        // A rollback journal keeps the database one self-contained file.
        self.setting(|c| Ok(c.pragma_update_and_check(None, "journal_mode", "DELETE", |_| Ok(()))?))?;
        // A step may rebuild a table others refer to (SQLite's way to change a
        // constraint): foreign keys are off while steps run, and each step checks
        // them itself before it commits.
        self.setting(|c| Ok(c.pragma_update(None, "foreign_keys", false)?))?;
        let mut outcome = Ok(());
        for (index, step) in MIGRATIONS.iter().enumerate().skip(usize::try_from(from).unwrap_or(0)) {
            outcome = self.write(|tx| {
                // Another process may have applied this step while we waited for the lock.
                let now_at: i64 = tx.pragma_query_value(None, "user_version", |r| r.get(0))?;
                if now_at > i64::try_from(index).unwrap_or(i64::MAX) {
                    return Ok(());
                }
                // No step may leave a reference dangling that was not dangling
                // before it (an old orphan is doctor's business).
                let dangling = |tx: &Transaction<'_>| -> Result<i64> {
                    Ok(tx.query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| r.get(0))?)
                };
                let before = dangling(tx)?;
                tx.execute_batch(step)?;
                if dangling(tx)? > before {
                    return Err(StoreError::Invalid("it would leave rows pointing nowhere".into()));
                }
                tx.pragma_update(None, "application_id", APPLICATION_ID)?;
                tx.pragma_update(None, "user_version", i64::try_from(index + 1).unwrap_or(i64::MAX))?;
                Ok(())
            });
            if let Err(e) = outcome {
                outcome = Err(StoreError::Migration {
                    path: self.path.clone(),
                    from,
                    step: Some(index + 1),
                    copy: None,
                    detail: e.to_string(),
                });
                break;
            }
        }
        self.setting(|c| Ok(c.pragma_update(None, "foreign_keys", true)?))?;
        outcome
    }

    /// Runs `f` in one immediate transaction and commits it; on any error nothing
    /// of `f`'s work stays.
    pub(crate) fn write<T>(&mut self, f: impl FnOnce(&Transaction<'_>) -> Result<T>) -> Result<T> {
        self.daily_care()?;
        let path = self.path.clone();
        let run = |conn: &mut Connection| -> Result<T> {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let value = f(&tx)?;
            tx.commit()?;
            Ok(value)
        };
        let value = run(&mut self.conn).map_err(|e| e.at(&path))?;
        self.commits.set(self.commits.get() + 1);
        Ok(value)
    }

    /// How many writes this connection has committed: compare two readings to
    /// learn whether something between them changed the file.
    pub fn commits(&self) -> u64 {
        self.commits.get()
    }

    /// Runs `f`'s reads in one read transaction: they see one state of the file,
    /// and take the file's lock once instead of once per query.
    /// Inside another `consistent`, `f` simply joins it.
    pub fn consistent<T>(&self, f: impl FnOnce() -> Result<T>) -> Result<T> {
        if !self.conn.is_autocommit() {
            return f();
        }
        self.conn.execute_batch("BEGIN DEFERRED").map_err(|e| classify(&self.path, e))?;
        let outcome = f();
        // A read transaction has nothing to keep; ending it releases the lock.
        let _ = self.conn.execute_batch(if outcome.is_ok() { "COMMIT" } else { "ROLLBACK" });
        outcome
    }

    /// Runs the queries in `f`, naming the file in any error.
    pub(crate) fn read<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        f(&self.conn).map_err(|e| e.at(&self.path))
    }

    /// Changes how this connection works (pragmas), naming the file in any error.
    /// Not for rows: those are written only through [`Store::write`].
    fn setting<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        f(&self.conn).map_err(|e| e.at(&self.path))
    }

    /// Reads pages through a memory map instead of a system call each: faster for
    /// a short command that reads much of the file once. The mapped pages count
    /// towards the process's memory, so the long-running app does not use it.
    pub fn read_through_memory_map(&self) -> Result<()> {
        self.setting(|c| Ok(c.pragma_update(None, "mmap_size", 256i64 << 20)?))
    }

    /// Runs `f` (one large write: an import) with room for it: statement journals
    /// in memory rather than a temporary file for each row written (the rows' checks
    /// can abort a statement), and a 64 MB page cache rather than 2 MB spilled to
    /// the file mid-way. The connection's usual settings come back afterwards.
    pub(crate) fn in_bulk<T>(&mut self, f: impl FnOnce(&mut Self) -> Result<T>) -> Result<T> {
        self.setting(|c| {
            c.pragma_update(None, "temp_store", "MEMORY")?;
            Ok(c.pragma_update(None, "cache_size", -65536)?)
        })?;
        let outcome = f(self);
        let restored = self.setting(|c| {
            c.pragma_update(None, "temp_store", "DEFAULT")?;
            Ok(c.pragma_update(None, "cache_size", -2000)?)
        });
        let value = outcome?;
        restored?;
        Ok(value)
    }

    /// A number that changes whenever another connection commits to the file:
    /// cheap enough to poll.
    pub fn data_version(&self) -> Result<i64> {
        self.read(|c| Ok(c.pragma_query_value(None, "data_version", |r| r.get(0))?))
    }

    /// What reads have left out since the last call: one line per row that holds a
    /// value needlelog cannot read (a file written by hand or by an old bug). The
    /// command goes on without it; `doctor` names it and `doctor --fix` mends it.
    pub fn take_skipped(&self) -> Vec<String> {
        let mut lines = std::mem::take(&mut *self.skipped.borrow_mut());
        lines.dedup();
        lines
    }

    /// Notes a row left out of a read.
    fn skip(&self, line: String) {
        self.skipped.borrow_mut().push(line);
    }

    /// The schema version of the open file.
    pub fn schema_version(&self) -> Result<i32> {
        self.read(|c| Ok(c.pragma_query_value(None, "user_version", |r| r.get(0))?))
    }
}

/// Runs `sql`, whose `{ids}` stands for a list of ids, for every id in `ids`,
/// collecting the rows. The list travels as one JSON parameter, so the statement
/// is prepared once whatever the number of ids.
pub(crate) fn query_for_ids<T>(
    c: &Connection,
    sql: &str,
    ids: &[i64],
    mut map: impl FnMut(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
) -> rusqlite::Result<Vec<T>> {
    let mut out = Vec::new();
    each_for_ids(c, sql, ids, |row| {
        out.push(map(row)?);
        Ok(())
    })?;
    Ok(out)
}

/// The rows of `select` (`SELECT … FROM table`) whose `key` column, selected at
/// `key_at`, is one of `ids`, then `order`. A few are looked up through the list;
/// for many (a practice's running courses), one pass over the table with each
/// row's key checked here is quicker than SQLite finding each one (1 ms against
/// 5 ms for 10,000 of 20,000 people).
pub(crate) fn rows_with_keys<T>(
    c: &Connection,
    select: &str,
    (key, key_at): (&str, usize),
    order: &str,
    ids: &[i64],
    mut map: impl FnMut(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
) -> rusqlite::Result<Vec<T>> {
    const FEW: usize = 64;
    if ids.len() <= FEW {
        return query_for_ids(c, &format!("{select} WHERE {key} IN ({{ids}}) {order}"), ids, map);
    }
    let mut wanted = ids.to_vec();
    wanted.sort_unstable();
    wanted.dedup();
    let mut stmt = c.prepare_cached(&format!("{select} {order}"))?;
    let mut rows = stmt.query([])?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        if wanted.binary_search(&row.get(key_at)?).is_ok() {
            out.push(map(row)?);
        }
    }
    Ok(out)
}

/// [`query_for_ids`], handing each row to `each` as it is read instead of
/// collecting them.
pub(crate) fn each_for_ids(
    c: &Connection,
    sql: &str,
    ids: &[i64],
    mut each: impl FnMut(&rusqlite::Row<'_>) -> rusqlite::Result<()>,
) -> rusqlite::Result<()> {
    if ids.is_empty() {
        return Ok(());
    }
    let list = serde_json::to_string(ids).unwrap_or_else(|_| "[]".into());
    let mut stmt = c.prepare_cached(&sql.replace("{ids}", "SELECT value FROM json_each(?1)"))?;
    let mut rows = stmt.query([list])?;
    while let Some(row) = rows.next()? {
        each(row)?;
    }
    Ok(())
}

impl StoreError {
    /// Ties a raw SQLite error to the file it came from.
    fn at(self, path: &Path) -> StoreError {
        match self {
            StoreError::Raw(e) => classify(path, e),
            other => other,
        }
    }
}

/// What a failed upgrade says: the file, the step, why, and the copy to go back to.
fn migration_message(path: &Path, from: i32, step: Option<usize>, copy: Option<&Path>, detail: &str) -> String {
    let at = step.map_or_else(|| "upgrading it".to_string(), |n| format!("upgrading it, at schema step {n}"));
    let back = match copy {
        Some(copy) => format!("the file as it was before (v{from}) is {}", copy.display()),
        None => format!("the file stays at the last step that finished (it was v{from})"),
    };
    format!("{}: {at} failed ({detail}); that step changed nothing, and {back}", path.display())
}

/// Maps SQLite failures that have a plain explanation; keeps the rest as they are.
fn classify(path: &Path, e: rusqlite::Error) -> StoreError {
    let path = path.to_path_buf();
    match e.sqlite_error_code() {
        Some(ErrorCode::ReadOnly | ErrorCode::CannotOpen | ErrorCode::PermissionDenied) => {
            StoreError::ReadOnly { path }
        }
        Some(ErrorCode::NotADatabase) => StoreError::NotSqlite { path },
        Some(ErrorCode::DatabaseCorrupt) => {
            let advice = backup::advice(&path, None);
            StoreError::Corrupt { path, detail: e.to_string(), advice }
        }
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => StoreError::Busy { path },
        Some(ErrorCode::DiskFull) => StoreError::Full { path },
        Some(ErrorCode::SystemIoFailure) => StoreError::WriteFailed { path },
        Some(ErrorCode::ConstraintViolation) => StoreError::Conflict(format!("{}: refused: {e}", path.display())),
        _ => StoreError::Sqlite { path, source: e },
    }
}

/// Reads the first bytes of an existing file without changing it.
fn check_header(path: &Path) -> Result<()> {
    let mut header = [0u8; 16];
    let mut file = fs::File::open(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::PermissionDenied => StoreError::NoReadPermission { path: path.to_path_buf() },
        _ => StoreError::Unreadable { path: path.to_path_buf(), source: e },
    })?;
    let n = read_up_to(&mut file, &mut header)
        .map_err(|source| StoreError::Unreadable { path: path.to_path_buf(), source })?;
    if n == 0 {
        return Err(StoreError::Empty { path: path.to_path_buf() });
    }
    if n < header.len() || &header != SQLITE_HEADER {
        return Err(StoreError::NotSqlite { path: path.to_path_buf() });
    }
    Ok(())
}

fn read_up_to(file: &mut fs::File, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match file.read(&mut buf[filled..])? {
            0 => break,
            n => filled += n,
        }
    }
    Ok(filled)
}

/// Sets a new database up beside `path` and puts it in place in one step, so no
/// other process ever sees a half-made file there. When another process puts its
/// own in place first, that one is kept.
fn create_database(path: &Path, create_folder: bool) -> Result<()> {
    let refused = |source: std::io::Error| match source.kind() {
        std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem => {
            StoreError::ReadOnly { path: path.to_path_buf() }
        }
        std::io::ErrorKind::StorageFull => StoreError::Full { path: path.to_path_buf() },
        _ => StoreError::Create { path: path.to_path_buf(), source },
    };
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty() && !d.exists()) {
        if !create_folder {
            return Err(StoreError::NoFolder { path: path.to_path_buf(), folder: dir.to_path_buf() });
        }
        let mut builder = fs::DirBuilder::new();
        builder.recursive(true);
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
        builder.create(dir).map_err(refused)?;
    }
    // A new name of our own (0600, O_EXCL: nothing planted there is followed),
    // removed when `fresh` goes out of scope.
    let folder = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let prefix = format!(".{}.new-", path.file_name().unwrap_or_default().to_string_lossy());
    let fresh = tempfile::Builder::new().prefix(&prefix).tempfile_in(folder).map_err(refused)?.into_temp_path();
    let made = Store::connect(&fresh, false).map(drop).map_err(|e| match e {
        // Name the file the user asked for, not the one being set up.
        StoreError::ReadOnly { .. } => StoreError::ReadOnly { path: path.to_path_buf() },
        StoreError::Full { .. } | StoreError::WriteFailed { .. } => StoreError::Full { path: path.to_path_buf() },
        other => other,
    });
    made.and_then(|()| match fs::hard_link(&fresh, path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(refused(e)),
    })
}

/// The device and inode of the file at `path` (none when it cannot be read).
fn identity(path: &Path) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
}
