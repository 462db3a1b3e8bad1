//! Where the records are kept — a SQLite file, or a PostgreSQL server — and the
//! only module that speaks SQL.
//!
//! The app and the CLI reach the records through the traits of [`records`]
//! (together [`Records`]); each file here implements one of them for [`Store`],
//! once for both backends: the record code speaks to [`sql`], which runs it on
//! either. The file's own care — opening, upgrading, copies, restore, salvage,
//! doctor — is [`Store`]'s alone; a server's is [`server`]'s.
//!
//! `Store::open` checks a file before touching it (not SQLite, another program's,
//! a newer needlelog's: refused, byte-for-byte untouched), backs it up before a
//! migration, and sets the connection up; `Store::open_server` connects and
//! makes or upgrades a server's schema. Every write is one transaction (on a
//! file `BEGIN IMMEDIATE`; on a server after its turn among writers), committed
//! before the method returns.

pub mod backup;
mod checklist;
mod consents;
mod copies;
mod courses;
mod diary;
mod edit;
mod error;
mod events;
mod health;
mod import;
mod kept;
mod merge;
mod open;
mod people;
mod photos;
mod recall_state;
pub mod records;
mod repair;
mod row;
mod salvage;
mod schema;
pub mod server;
mod sessions;
mod settings;
mod snapshot;
mod sql;
mod told;
mod trail;
mod trash;

use std::path::PathBuf;

use sql::Connection;

pub use courses::months_before;
use error::classify;
pub use error::{FieldConflict, Result, StoreError};
pub use health::Health;
use open::check_header;
use records::ReadStore;
pub use records::{
    Attached, CourseFilter, EditOutcome, Flow, ImportCounts, ImportSink, LotUse, MergeCounts, Records, SessionFilter,
    SessionOrder, Settle, Standing, TrailFilter, TrashItem, prelude,
};
pub use repair::{Finding, Mend};
pub use salvage::Lost;
pub use schema::{APPLICATION_ID, MIGRATIONS, current_version};

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
    /// The login name the front end runs as: who changes are made by when the
    /// file names no practitioner.
    login: String,
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
    /// Runs `f` in one immediate transaction and commits it; on any error nothing
    /// of `f`'s work stays.
    pub(crate) fn write<T>(&mut self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        self.daily_care()?;
        let conn = &self.conn;
        let run = || -> Result<T> {
            conn.begin_write()?;
            let value = match f(conn) {
                Ok(value) => value,
                Err(e) => {
                    // The error is what is said; a rollback that fails too (the
                    // connection lost) has nothing to add to it.
                    let _ = conn.end(false);
                    return Err(e);
                }
            };
            if let Err(e) = conn.end(true) {
                let _ = conn.end(false);
                return Err(e.into());
            }
            Ok(value)
        };
        let value = run().map_err(|e| e.at(&self.path))?;
        self.commits.set(self.commits.get() + 1);
        Ok(value)
    }

    /// Runs `f`'s reads in one read transaction: they see one state of the file,
    /// and take the file's lock once instead of once per query.
    /// Inside another `consistent`, `f` simply joins it.
    pub fn consistent<T>(&self, f: impl FnOnce() -> Result<T>) -> Result<T> {
        if !self.conn.is_autocommit() {
            return f();
        }
        self.conn.begin_read().map_err(|e| StoreError::from(e).at(&self.path))?;
        let outcome = f();
        // A read transaction has nothing to keep; ending it releases the lock.
        let _ = self.conn.end(outcome.is_ok());
        outcome
    }

    /// Runs the queries in `f`, naming the file in any error.
    pub(crate) fn read<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        f(&self.conn).map_err(|e| e.at(&self.path))
    }

    /// Runs `f` on the SQLite file itself, for the file's own care (its header,
    /// pragmas, copies; not rows: those are written only through
    /// [`Store::write`]); refused on a server.
    pub(crate) fn sqlite<T>(&self, f: impl FnOnce(&rusqlite::Connection) -> Result<T>) -> Result<T> {
        f(self.sqlite_conn()?).map_err(|e| e.at(&self.path))
    }

    /// The SQLite connection of a file; refused on a server.
    fn sqlite_conn(&self) -> Result<&rusqlite::Connection> {
        self.conn.sqlite().ok_or_else(|| {
            StoreError::Invalid(format!("{}: a server, not a file; this is for needlelog's files", self.path.display()))
        })
    }

    /// Runs `f` (one large write: an import) with room for it: an 8 MB page cache
    /// rather than 2 MB spilled to the file mid-way. Temporary files (the sort of
    /// an index built after its rows, a statement's journal) stay files: in memory
    /// they held the sort of a million sessions' index, 140 MB, for no time saved
    /// (21.4 s either way; a 64 MB cache saved 8% for twice the memory). The
    /// connection's usual cache comes back afterwards.
    pub(crate) fn in_bulk<T>(&mut self, f: impl FnOnce(&mut Self) -> Result<T>) -> Result<T> {
        if self.on_server() {
            return f(self); // the server sizes its own memory
        }
        self.sqlite(|c| Ok(c.pragma_update(None, "cache_size", -8192)?))?;
        let outcome = f(self);
        let restored = self.sqlite(|c| Ok(c.pragma_update(None, "cache_size", -2000)?));
        let value = outcome?;
        restored?;
        Ok(value)
    }

    /// Notes a row left out of a read.
    fn skip(&self, line: String) {
        self.skipped.borrow_mut().push(line);
    }

    /// The schema version of the open file.
    pub fn schema_version(&self) -> Result<i32> {
        if self.on_server() {
            return self.read(|c| Ok(c.query_row("SELECT version FROM needlelog_schema", (), |r| r.get(0))?));
        }
        self.sqlite(|c| Ok(c.pragma_query_value(None, "user_version", |r| r.get(0))?))
    }
}

impl ReadStore for Store {
    fn in_one_read(&self, f: &mut dyn FnMut() -> Result<()>) -> Result<()> {
        self.consistent(f)
    }

    fn commits(&self) -> u64 {
        self.commits.get()
    }

    fn data_version(&self) -> Result<i64> {
        self.read(|c| Ok(c.data_version()?))
    }

    fn reachable(&self) -> bool {
        self.conn.reachable()
    }

    fn take_skipped(&self) -> Vec<String> {
        let mut lines = std::mem::take(&mut *self.skipped.borrow_mut());
        lines.dedup();
        lines
    }
}

impl Records for Store {
    fn file(&self) -> Option<&Store> {
        (!self.on_server()).then_some(self)
    }

    fn file_mut(&mut self) -> Option<&mut Store> {
        (!self.on_server()).then_some(self)
    }

    fn place(&self) -> String {
        self.path.display().to_string()
    }

    fn picture_origin(&self) -> Option<std::sync::Arc<dyn server::Origin>> {
        let address = self.conn.server_address()?;
        Some(std::sync::Arc::new(server::ServerPictures::new(address)))
    }
}

/// Runs `sql`, whose `{ids}` stands for a list of ids, for every id in `ids`,
/// collecting the rows. The list travels as one JSON parameter, so the statement
/// is prepared once whatever the number of ids.
pub(crate) fn query_for_ids<T>(
    c: &Connection,
    sql: &str,
    ids: &[i64],
    mut map: impl FnMut(&sql::Row<'_>) -> sql::Result<T>,
) -> sql::Result<Vec<T>> {
    let mut out = Vec::new();
    each_for_ids(c, sql, ids, |row| {
        out.push(map(row)?);
        Ok(())
    })?;
    Ok(out)
}

/// The rows of `select` (`SELECT … FROM table`) whose `key` column, selected at
/// `key_at`, is one of `ids`, then `order`. Up to a thousand are looked up through
/// the list (a day's clients: 0.1 ms for a hundred, against 3 ms to pass over
/// 20,000 people); for many (a practice's running courses), one pass over the
/// table with each row's key checked here is quicker than SQLite finding each one
/// (1 ms against 5 ms for 10,000 of 20,000 people).
pub(crate) fn rows_with_keys<T>(
    c: &Connection,
    select: &str,
    (key, key_at): (&str, usize),
    order: &str,
    ids: &[i64],
    mut map: impl FnMut(&sql::Row<'_>) -> sql::Result<T>,
) -> sql::Result<Vec<T>> {
    const FEW: usize = 1000;
    if ids.len() <= FEW {
        return query_for_ids(c, &format!("{select} WHERE {key} IN ({{ids}}) {order}"), ids, map);
    }
    let mut wanted = ids.to_vec();
    wanted.sort_unstable();
    wanted.dedup();
    let mut stmt = c.prepare_cached(&format!("{select} {order}"))?;
    let mut rows = stmt.query(())?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        if wanted.binary_search(&row.get(key_at)?).is_ok() {
            out.push(map(&row)?);
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
    mut each: impl FnMut(&sql::Row<'_>) -> sql::Result<()>,
) -> sql::Result<()> {
    if ids.is_empty() {
        return Ok(());
    }
    let list = serde_json::to_string(ids).unwrap_or_else(|_| "[]".into());
    let mut stmt = c.prepare_cached(&sql.replace("{ids}", "SELECT CAST(value AS INTEGER) FROM json_each(?1)"))?;
    let mut rows = stmt.query([list])?;
    while let Some(row) = rows.next()? {
        each(&row)?;
    }
    Ok(())
}
