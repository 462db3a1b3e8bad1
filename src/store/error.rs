//! Everything that can go wrong with the file, each a single line naming it, and
//! how SQLite's own errors become one of them.

use std::path::{Path, PathBuf};

use rusqlite::ErrorCode;

use super::{copies, sql};

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
    /// Something the server (or the way to it) said, in one line: `at` is its
    /// address without the password.
    #[error("{at}: {detail}")]
    Server { at: String, detail: String },
    #[error("{path}: {source}")]
    Sqlite { path: PathBuf, source: rusqlite::Error },
    /// A SQLite error not yet tied to the file; `Store::read`/`write` classify it.
    #[error(transparent)]
    Raw(#[from] rusqlite::Error),
    /// A server's error not yet tied to its address; `Store::read`/`write` say it
    /// in one line.
    #[error(transparent)]
    RawServer(postgres::Error),
}

impl From<sql::Error> for StoreError {
    fn from(e: sql::Error) -> Self {
        match e {
            sql::Error::File(e) => StoreError::Raw(e),
            sql::Error::Server(e) => StoreError::RawServer(e),
            sql::Error::Unsupported(what) => StoreError::Invalid(what.to_string()),
            sql::Error::Away(e) => *e,
        }
    }
}

pub type Result<T> = std::result::Result<T, StoreError>;

impl StoreError {
    /// Ties a raw SQLite error to the file it came from.
    pub(super) fn at(self, path: &Path) -> StoreError {
        match self {
            StoreError::Raw(e) => classify(path, e),
            StoreError::RawServer(e) => super::server::failure_shown(&path.display().to_string(), &e),
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
pub(super) fn classify(path: &Path, e: rusqlite::Error) -> StoreError {
    let path = path.to_path_buf();
    match e.sqlite_error_code() {
        Some(ErrorCode::ReadOnly | ErrorCode::CannotOpen | ErrorCode::PermissionDenied) => {
            StoreError::ReadOnly { path }
        }
        Some(ErrorCode::NotADatabase) => StoreError::NotSqlite { path },
        Some(ErrorCode::DatabaseCorrupt) => {
            let advice = copies::advice(&path, None);
            StoreError::Corrupt { path, detail: e.to_string(), advice }
        }
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => StoreError::Busy { path },
        Some(ErrorCode::DiskFull) => StoreError::Full { path },
        Some(ErrorCode::SystemIoFailure) => StoreError::WriteFailed { path },
        Some(ErrorCode::ConstraintViolation) => StoreError::Conflict(format!("{}: refused: {e}", path.display())),
        _ => StoreError::Sqlite { path, source: e },
    }
}

/// A field changed both in the edit and elsewhere since the edit was opened.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldConflict {
    pub field: &'static str,
    pub theirs: String,
    pub mine: String,
}
