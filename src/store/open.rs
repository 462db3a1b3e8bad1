//! The file's care on opening: refusing what is not a needlelog file (or is from a
//! newer one), creating a new one privately, the connection's settings, and the
//! schema brought up to date — each step in its own transaction, after a copy.

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

use super::error::classify;
use super::schema::{APPLICATION_ID, FOLDED_NAMES, MIGRATIONS, current_version};
use super::{Result, Store, StoreError, backup};

const SQLITE_HEADER: &[u8; 16] = b"SQLite format 3\0";

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

    /// Opens the records on a PostgreSQL server (`postgresql://…`): connects,
    /// makes needlelog's schema in an empty database or brings it up to date, as
    /// [`Store::open`] does a file's. Errors name the server without the password.
    pub fn open_server(address: &str) -> Result<Store> {
        let address = super::server::Address::parse(address)?;
        let mut server = super::server::Server::connect(&address)?;
        server.open_records()?;
        Ok(Store::on(super::sql::Connection::of_server(server), PathBuf::from(address.to_string()), None))
    }

    /// A store on `conn`, known as `path` in what it says, with the defaults
    /// the front end then sets (no daily care, the command line's clock).
    fn on(conn: super::sql::Connection, path: PathBuf, identity: Option<(u64, u64)>) -> Store {
        Store {
            conn,
            path,
            skipped: Default::default(),
            care: None,
            commits: Default::default(),
            source: "cli",
            clock: None,
            login: String::new(),
            identity,
        }
    }

    /// True when the records are on a server rather than in a file.
    pub fn on_server(&self) -> bool {
        self.conn.is_server()
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
        let mut store = Store::on(super::sql::Connection::of_file(conn), path.to_path_buf(), identity(path));
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
        fresh.login = self.login.clone();
        Ok(fresh)
    }

    fn configure(&self) -> Result<()> {
        self.sqlite(|c| {
            c.busy_timeout(Duration::from_secs(5))?;
            c.pragma_update(None, "foreign_keys", true)?;
            c.pragma_update(None, "synchronous", "FULL")?;
            Ok(())
        })
    }

    /// Refuses files that are not ours; returns the schema version of ours.
    fn identify(&self) -> Result<i32> {
        let (app_id, version, tables) = self.sqlite(|c| {
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
        backup::copy_to(self.sqlite_conn()?, &backup).map_err(|source| StoreError::Backup {
            path: self.path.clone(),
            during: "before upgrading it",
            source,
        })?;
        Ok(backup)
    }

    /// Applies every step after `from`, each in its own transaction with its bump.
    fn migrate(&mut self, from: i32) -> Result<()> {
        // A rollback journal keeps the database one self-contained file.
        self.sqlite(|c| Ok(c.pragma_update_and_check(None, "journal_mode", "DELETE", |_| Ok(()))?))?;
        // A step may rebuild a table others refer to (SQLite's way to change a
        // constraint): foreign keys are off while steps run, and each step checks
        // them itself before it commits.
        self.sqlite(|c| Ok(c.pragma_update(None, "foreign_keys", false)?))?;
        let mut outcome = Ok(());
        for (index, step) in MIGRATIONS.iter().enumerate().skip(usize::try_from(from).unwrap_or(0)) {
            outcome = self.write(|records| {
                let tx = records.sqlite_only()?;
                // Another process may have applied this step while we waited for the lock.
                let now_at: i64 = tx.pragma_query_value(None, "user_version", |r| r.get(0))?;
                if now_at > i64::try_from(index).unwrap_or(i64::MAX) {
                    return Ok(());
                }
                // No step may leave a reference dangling that was not dangling
                // before it (an old orphan is doctor's business).
                let dangling = |tx: &Connection| -> Result<i64> {
                    Ok(tx.query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| r.get(0))?)
                };
                let before = dangling(tx)?;
                tx.execute_batch(step)?;
                if index + 1 == FOLDED_NAMES {
                    super::people::fill_folded(records)?;
                }
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
        self.sqlite(|c| Ok(c.pragma_update(None, "foreign_keys", true)?))?;
        outcome
    }
}

/// Reads the first bytes of an existing file without changing it.
pub(super) fn check_header(path: &Path) -> Result<()> {
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
pub(super) fn identity(path: &Path) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
}
