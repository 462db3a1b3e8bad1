//! The store's one way to SQL, whichever backend keeps the records: a SQLite file
//! or a PostgreSQL server. The record code is written once, against this module,
//! in SQLite's dialect; on a server each statement is put into PostgreSQL's
//! (placeholders, SQLite's hints and function names: [`for_server`]) when it is
//! first prepared, and kept prepared.
//!
//! Values travel in SQLite's model on both sides ([`rusqlite::types::Value`]):
//! a row read from a server is turned into it, so one `from_row` reads both, and
//! a parameter is turned into whatever type the server expects in its place (an
//! integer for a `boolean`, text for a `json`).
//!
//! The API follows rusqlite's (`prepare_cached`, `query_row`, `optional`), so the
//! record code reads as it did when it spoke to SQLite alone.

use std::cell::{Cell, RefCell, RefMut};
use std::collections::{HashMap, VecDeque};
use std::fmt;
use std::rc::Rc;
use std::time::{Duration, Instant};

use bytes::{BufMut, BytesMut};
use postgres::fallible_iterator::FallibleIterator;
use postgres::types::{IsNull, Type};
use rusqlite::types::{FromSql, FromSqlError, ToSqlOutput, Value, ValueRef};

pub(crate) use rusqlite::{ToSql, params};

use super::server::{Server, WRITERS};

/// An error of either backend.
#[derive(Debug)]
pub(crate) enum Error {
    File(rusqlite::Error),
    Server(postgres::Error),
    /// Asked of a backend that has no such thing (a pragma of a server).
    Unsupported(&'static str),
    /// The server, lost, could not be reached again: why, in one line.
    Away(Box<super::StoreError>),
}

pub(crate) type Result<T> = std::result::Result<T, Error>;

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::File(e) => e.fmt(f),
            Error::Server(e) => e.fmt(f),
            Error::Unsupported(what) => f.write_str(what),
            Error::Away(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::File(e) => Some(e),
            Error::Server(e) => Some(e),
            Error::Unsupported(_) | Error::Away(_) => None,
        }
    }
}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        Error::File(e)
    }
}

impl From<postgres::Error> for Error {
    fn from(e: postgres::Error) -> Self {
        Error::Server(e)
    }
}

impl From<FromSqlError> for Error {
    fn from(e: FromSqlError) -> Self {
        Error::File(e.into())
    }
}

impl Error {
    /// The SQLite error, when the file gave it.
    pub(crate) fn file(&self) -> Option<&rusqlite::Error> {
        match self {
            Error::File(e) => Some(e),
            Error::Server(_) | Error::Unsupported(_) | Error::Away(_) => None,
        }
    }
}

/// `optional()` on a single-row read: no row is `None` rather than an error.
pub(crate) trait OptionalExtension<T> {
    fn optional(self) -> Result<Option<T>>;
}

impl<T> OptionalExtension<T> for Result<T> {
    fn optional(self) -> Result<Option<T>> {
        match self {
            Ok(value) => Ok(Some(value)),
            Err(Error::File(rusqlite::Error::QueryReturnedNoRows)) => Ok(None),
            Err(e) => Err(e),
        }
    }
}

/// A statement's parameters: `params![…]`, `[a, b]`, `()`, or
/// [`params_from_iter`].
pub(crate) trait Params {
    fn refs(&self) -> Vec<&dyn ToSql>;
}

impl Params for () {
    fn refs(&self) -> Vec<&dyn ToSql> {
        Vec::new()
    }
}

impl Params for [&(dyn ToSql + Send + Sync); 0] {
    fn refs(&self) -> Vec<&dyn ToSql> {
        Vec::new()
    }
}

impl Params for &[&dyn ToSql] {
    fn refs(&self) -> Vec<&dyn ToSql> {
        self.to_vec()
    }
}

macro_rules! arrays {
    ($($n:literal)+) => {$(
        impl<T: ToSql> Params for [T; $n] {
            fn refs(&self) -> Vec<&dyn ToSql> {
                self.iter().map(|v| v as &dyn ToSql).collect()
            }
        }
        impl<T: ToSql> Params for &[&T; $n] {
            fn refs(&self) -> Vec<&dyn ToSql> {
                self.iter().map(|v| *v as &dyn ToSql).collect()
            }
        }
    )+};
}
arrays!(1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16);

/// Parameters from a list of values of one kind.
pub(crate) struct FromIter<T>(Vec<T>);

pub(crate) fn params_from_iter<I: IntoIterator>(iter: I) -> FromIter<I::Item> {
    FromIter(iter.into_iter().collect())
}

impl<T: ToSql> Params for FromIter<T> {
    fn refs(&self) -> Vec<&dyn ToSql> {
        self.0.iter().map(|v| v as &dyn ToSql).collect()
    }
}

/// Where the records are: an open SQLite connection, or a server's.
pub(crate) struct Connection {
    backend: Backend,
}

enum Backend {
    File(rusqlite::Connection),
    Server(Box<Remote>),
}

/// A server connection with its statements kept prepared, by their SQLite text.
pub(crate) struct Remote {
    server: RefCell<Server>,
    /// Prepared statements by their SQLite text, with their server text.
    prepared: RefCell<HashMap<String, (postgres::Statement, Rc<str>)>>,
    /// Cursors opened so far (each gets a name of its own).
    cursors: Cell<u64>,
    /// Whether a transaction is open (`BEGIN` given, not yet ended).
    in_transaction: Cell<bool>,
    /// How many writers' notices were heard (see [`Connection::data_version`]).
    heard: Cell<i64>,
    /// When the server, lost, was last tried again.
    last_try: Cell<Option<Instant>>,
}

impl Connection {
    pub(crate) fn of_file(conn: rusqlite::Connection) -> Connection {
        Connection { backend: Backend::File(conn) }
    }

    pub(crate) fn of_server(server: Server) -> Connection {
        Connection {
            backend: Backend::Server(Box::new(Remote {
                server: RefCell::new(server),
                prepared: RefCell::default(),
                in_transaction: Cell::new(false),
                heard: Cell::new(0),
                last_try: Cell::new(None),
                cursors: Cell::new(0),
            })),
        }
    }

    /// The SQLite connection, for the file's own care (pragmas, backups,
    /// salvage); `None` on a server.
    pub(crate) fn sqlite(&self) -> Option<&rusqlite::Connection> {
        match &self.backend {
            Backend::File(conn) => Some(conn),
            Backend::Server(_) => None,
        }
    }

    /// The server's address, when the records are on one.
    pub(crate) fn server_address(&self) -> Option<super::server::Address> {
        match &self.backend {
            Backend::File(_) => None,
            Backend::Server(remote) => Some(remote.server.borrow().address().clone()),
        }
    }

    /// The role a server connection acts as; `None` on a file.
    pub(crate) fn server_role(&self) -> Option<String> {
        match &self.backend {
            Backend::File(_) => None,
            Backend::Server(remote) => Some(remote.server.borrow().role().to_string()),
        }
    }

    /// Whether the records can be reached: always for a file; for a server,
    /// while its connection stands.
    pub(crate) fn reachable(&self) -> bool {
        match &self.backend {
            Backend::File(_) => true,
            Backend::Server(remote) => remote.connected(),
        }
    }

    pub(crate) fn is_server(&self) -> bool {
        matches!(self.backend, Backend::Server(_))
    }

    /// True outside a transaction.
    pub(crate) fn is_autocommit(&self) -> bool {
        match &self.backend {
            Backend::File(conn) => conn.is_autocommit(),
            Backend::Server(remote) => !remote.in_transaction.get(),
        }
    }

    /// Opens a write transaction: on a file `BEGIN IMMEDIATE`; on a server a
    /// transaction that first waits its turn among writers.
    pub(crate) fn begin_write(&self) -> Result<()> {
        match &self.backend {
            Backend::File(conn) => Ok(conn.execute_batch("BEGIN IMMEDIATE")?),
            // Waiting for the turn as long as a file waits for its lock (5 s),
            // then as long as the write takes.
            Backend::Server(remote) => remote.begin(&format!(
                "BEGIN; SET LOCAL lock_timeout = '5s'; SELECT pg_advisory_xact_lock({WRITERS}); \
                 SET LOCAL lock_timeout = 0"
            )),
        }
    }

    /// Opens a read transaction: one state of the records throughout.
    pub(crate) fn begin_read(&self) -> Result<()> {
        match &self.backend {
            Backend::File(conn) => Ok(conn.execute_batch("BEGIN DEFERRED")?),
            Backend::Server(remote) => remote.begin("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"),
        }
    }

    /// Ends the open transaction, keeping its work (`keep`) or not.
    pub(crate) fn end(&self, keep: bool) -> Result<()> {
        let word = if keep { "COMMIT" } else { "ROLLBACK" };
        match &self.backend {
            Backend::File(conn) => Ok(conn.execute_batch(word)?),
            Backend::Server(remote) => {
                remote.in_transaction.set(false);
                remote.batch(word)
            }
        }
    }

    pub(crate) fn execute_batch(&self, sql: &str) -> Result<()> {
        match &self.backend {
            Backend::File(conn) => Ok(conn.execute_batch(sql)?),
            Backend::Server(remote) => remote.batch(&for_server(sql)),
        }
    }

    pub(crate) fn prepare(&self, sql: &str) -> Result<Statement<'_>> {
        match &self.backend {
            Backend::File(conn) => Ok(Statement::File(Prepared::Plain(conn.prepare(sql)?))),
            Backend::Server(remote) => remote.prepare(sql),
        }
    }

    pub(crate) fn prepare_cached(&self, sql: &str) -> Result<Statement<'_>> {
        match &self.backend {
            Backend::File(conn) => Ok(Statement::File(Prepared::Cached(conn.prepare_cached(sql)?))),
            Backend::Server(remote) => remote.prepare(sql),
        }
    }

    pub(crate) fn execute<P: Params>(&self, sql: &str, params: P) -> Result<usize> {
        self.prepare_cached(sql)?.execute(params)
    }

    pub(crate) fn query_row<T, P: Params>(
        &self,
        sql: &str,
        params: P,
        f: impl FnOnce(&Row<'_>) -> Result<T>,
    ) -> Result<T> {
        self.prepare_cached(sql)?.query_row(params, f)
    }

    /// The id the last insert was given.
    pub(crate) fn last_insert_rowid(&self) -> Result<i64> {
        match &self.backend {
            Backend::File(conn) => Ok(conn.last_insert_rowid()),
            Backend::Server(_) => self.query_row("SELECT lastval()", (), |r| r.get(0usize)),
        }
    }

    /// A number that changes when another connection has written: on a file
    /// SQLite's `data_version`; on a server the count of notices heard from
    /// writers (each write transaction sends one, see the server's schema).
    pub(crate) fn data_version(&self) -> Result<i64> {
        match &self.backend {
            Backend::File(conn) => Ok(conn.pragma_query_value(None, "data_version", |r| r.get(0))?),
            Backend::Server(remote) => {
                let mut server = remote.server()?;
                let own = server.pid();
                // Waiting a moment lets the client look at the socket: what
                // arrived while it was idle is read then (a look that cannot
                // wait sees only what an earlier query already read).
                let heard = server
                    .client()
                    .notifications()
                    .timeout_iter(Duration::from_millis(1))
                    .filter(|n| Ok(n.process_id() != own))
                    .count()?;
                remote.heard.set(remote.heard.get() + i64::try_from(heard).unwrap_or(0));
                Ok(remote.heard.get())
            }
        }
    }

    /// [`Connection::sqlite`], or an error on a server.
    pub(crate) fn sqlite_only(&self) -> Result<&rusqlite::Connection> {
        self.sqlite().ok_or(Error::Unsupported("a part of a SQLite file, which a server does not have"))
    }
}

/// How often a lost server is tried again (each try waits at most
/// [`super::server::RECONNECT_WITHIN`]).
const RETRY_EVERY: Duration = Duration::from_secs(5);

impl Remote {
    /// The server, connected again first when the connection was lost (and
    /// not tried in the last few seconds). Outside a transaction only: one
    /// that was open is lost with its connection, and says so.
    fn server(&self) -> Result<RefMut<'_, Server>> {
        let mut server = self.server.borrow_mut();
        if !server.is_closed() || self.in_transaction.get() {
            return Ok(server);
        }
        let now = Instant::now();
        if self.last_try.get().is_some_and(|at| now.duration_since(at) < RETRY_EVERY) {
            return Ok(server); // still lost: what is asked of it says so
        }
        self.last_try.set(Some(now));
        let fresh = Server::reconnect(server.address()).map_err(|e| Error::Away(Box::new(e)))?;
        *server = fresh;
        self.prepared.borrow_mut().clear();
        // What was written meanwhile was not heard: read everything again.
        self.heard.set(self.heard.get() + 1);
        Ok(server)
    }

    /// Whether the connection stands (false once it is lost, until it is made
    /// again).
    fn connected(&self) -> bool {
        self.server.try_borrow().is_ok_and(|server| !server.is_closed())
    }

    /// Opens a transaction with `sql`; one that opened but then failed (the
    /// turn not given in time) is ended, never left open.
    fn begin(&self, sql: &str) -> Result<()> {
        match self.batch(sql) {
            Ok(()) => {
                self.in_transaction.set(true);
                Ok(())
            }
            Err(e) => {
                let _ = self.batch("ROLLBACK");
                Err(e)
            }
        }
    }

    fn batch(&self, sql: &str) -> Result<()> {
        Ok(self.server()?.client().batch_execute(sql)?)
    }

    fn prepare(&self, sql: &str) -> Result<Statement<'_>> {
        if let Some((stmt, text)) = self.prepared.borrow().get(sql) {
            return Ok(Statement::Server { remote: self, stmt: stmt.clone(), text: Rc::clone(text) });
        }
        let text: Rc<str> = for_server(sql).into();
        let stmt = self.server()?.client().prepare(&text)?;
        let mut prepared = self.prepared.borrow_mut();
        // The record code's statements are a few hundred; a long session never
        // keeps more than that many prepared.
        if prepared.len() >= KEPT_PREPARED {
            prepared.clear();
        }
        prepared.insert(sql.to_string(), (stmt.clone(), Rc::clone(&text)));
        Ok(Statement::Server { remote: self, stmt, text })
    }

    /// Runs `stmt` and reads every row it gives into values.
    fn rows(&self, stmt: &postgres::Statement, params: &[&dyn ToSql]) -> Result<Vec<Vec<Value>>> {
        let bound = bind(params)?;
        let refs: Vec<&(dyn postgres::types::ToSql + Sync)> = bound.iter().map(|b| b as _).collect();
        let rows = self.server()?.client().query(stmt, &refs)?;
        values(&rows)
    }

    /// Opens a cursor on the query `text` (inside a transaction, which it lasts
    /// at most): its rows are then fetched a chunk at a time. Returns its name.
    fn declare(&self, text: &str, params: &[&dyn ToSql]) -> Result<String> {
        let name = format!("needlelog_rows_{}", self.cursors.get());
        self.cursors.set(self.cursors.get() + 1);
        let bound = bind(params)?;
        let refs: Vec<&(dyn postgres::types::ToSql + Sync)> = bound.iter().map(|b| b as _).collect();
        let mut server = self.server()?;
        let declare = server.client().prepare(&format!("DECLARE {name} NO SCROLL CURSOR FOR {text}"))?;
        server.client().execute(&declare, &refs)?;
        Ok(name)
    }

    /// The next rows of cursor `name`, up to [`CHUNK`].
    fn fetch(&self, name: &str) -> Result<Vec<Vec<Value>>> {
        let rows = self.server()?.client().query(&format!("FETCH {CHUNK} FROM {name}"), &[])?;
        values(&rows)
    }

    /// Closes cursor `name` (a read that stops early); an error is no matter,
    /// the transaction's end closes it too.
    fn close(&self, name: &str) {
        if let Ok(mut server) = self.server.try_borrow_mut() {
            let _ = server.client().batch_execute(&format!("CLOSE {name}"));
        }
    }

    fn execute(&self, stmt: &postgres::Statement, params: &[&dyn ToSql]) -> Result<usize> {
        let bound = bind(params)?;
        let refs: Vec<&(dyn postgres::types::ToSql + Sync)> = bound.iter().map(|b| b as _).collect();
        let changed = self.server()?.client().execute(stmt, &refs)?;
        Ok(usize::try_from(changed).unwrap_or(usize::MAX))
    }
}

/// Rows a server sent, in SQLite's model of values.
fn values(rows: &[postgres::Row]) -> Result<Vec<Vec<Value>>> {
    rows.iter().map(|row| (0..row.len()).map(|i| Ok(row.try_get::<_, Received>(i)?.0)).collect()).collect()
}

/// How many statements a server connection keeps prepared at most.
const KEPT_PREPARED: usize = 512;

/// How many rows a server's cursor hands over at a time: a read of a million
/// sessions holds no more than these at once.
const CHUNK: usize = 1000;

/// Whether `text` is a query a cursor can run (a `SELECT`, or one `WITH` first).
fn streamable(text: &str) -> bool {
    let head: String = text.trim_start().chars().take(6).collect::<String>().to_ascii_uppercase();
    head.starts_with("SELECT") || head.starts_with("WITH")
}

/// Each parameter's value, as it will be bound on a server.
fn bind(params: &[&dyn ToSql]) -> Result<Vec<Bound>> {
    params
        .iter()
        .map(|p| {
            Ok(Bound(match p.to_sql()? {
                ToSqlOutput::Borrowed(v) => owned(v),
                ToSqlOutput::Owned(v) => v,
                _ => Value::Null,
            }))
        })
        .collect()
}

/// A borrowed value, owned.
fn owned(value: ValueRef<'_>) -> Value {
    match value {
        ValueRef::Null => Value::Null,
        ValueRef::Integer(n) => Value::Integer(n),
        ValueRef::Real(x) => Value::Real(x),
        ValueRef::Text(text) => Value::Text(String::from_utf8_lossy(text).into_owned()),
        ValueRef::Blob(bytes) => Value::Blob(bytes.to_vec()),
    }
}

/// A prepared statement of either backend.
pub(crate) enum Statement<'c> {
    File(Prepared<'c>),
    /// `text`: the statement in the server's dialect (a cursor runs it).
    Server {
        remote: &'c Remote,
        stmt: postgres::Statement,
        text: Rc<str>,
    },
}

/// A file's statement, kept in the connection's cache or not.
pub(crate) enum Prepared<'c> {
    Cached(rusqlite::CachedStatement<'c>),
    Plain(rusqlite::Statement<'c>),
}

impl<'c> Prepared<'c> {
    fn get(&mut self) -> &mut rusqlite::Statement<'c> {
        match self {
            Prepared::Cached(stmt) => stmt,
            Prepared::Plain(stmt) => stmt,
        }
    }
}

impl Statement<'_> {
    pub(crate) fn query<P: Params>(&mut self, params: P) -> Result<Rows<'_>> {
        let refs = params.refs();
        match self {
            Statement::File(stmt) => Ok(Rows::File(stmt.get().query(&*refs)?)),
            Statement::Server { remote, stmt, text } => {
                let remote: &Remote = remote;
                // In a transaction (a read together, an export) a query's rows
                // come a chunk at a time from a cursor; else whole (a few rows,
                // mostly: the long reads run in one).
                if remote.in_transaction.get() && streamable(text) {
                    let cursor = Some(remote.declare(text, &refs)?);
                    Ok(Rows::Server { remote, cursor, rows: VecDeque::new(), current: None })
                } else {
                    Ok(Rows::Server { remote, cursor: None, rows: remote.rows(stmt, &refs)?.into(), current: None })
                }
            }
        }
    }

    pub(crate) fn query_map<T, P: Params, F>(&mut self, params: P, f: F) -> Result<MappedRows<'_, F>>
    where
        F: FnMut(&Row<'_>) -> Result<T>,
    {
        Ok(MappedRows { rows: self.query(params)?, f })
    }

    pub(crate) fn query_row<T, P: Params>(&mut self, params: P, f: impl FnOnce(&Row<'_>) -> Result<T>) -> Result<T> {
        // One row: never through a cursor.
        let mut rows = match self {
            Statement::Server { remote, stmt, .. } => {
                let refs = params.refs();
                Rows::Server { remote, cursor: None, rows: remote.rows(stmt, &refs)?.into(), current: None }
            }
            Statement::File(_) => self.query(params)?,
        };
        match rows.next()? {
            Some(row) => f(&row),
            None => Err(Error::File(rusqlite::Error::QueryReturnedNoRows)),
        }
    }

    pub(crate) fn execute<P: Params>(&mut self, params: P) -> Result<usize> {
        let refs = params.refs();
        match self {
            Statement::File(stmt) => Ok(stmt.get().execute(&*refs)?),
            Statement::Server { remote, stmt, .. } => remote.execute(stmt, &refs),
        }
    }

    /// The names of the columns the statement gives.
    pub(crate) fn column_names(&mut self) -> Vec<String> {
        match self {
            Statement::File(stmt) => stmt.get().column_names().map(String::from).collect(),
            Statement::Server { stmt, .. } => stmt.columns().iter().map(|c| c.name().to_string()).collect(),
        }
    }
}

/// The rows a query gives, one at a time: a file's as SQLite steps through
/// them; a server's whole, or a chunk at a time from a cursor.
pub(crate) enum Rows<'s> {
    File(rusqlite::Rows<'s>),
    Server {
        remote: &'s Remote,
        /// The cursor still holding rows, if they come from one.
        cursor: Option<String>,
        rows: VecDeque<Vec<Value>>,
        current: Option<Vec<Value>>,
    },
}

impl Rows<'_> {
    pub(crate) fn next(&mut self) -> Result<Option<Row<'_>>> {
        match self {
            Rows::File(rows) => Ok(rows.next()?.map(Row::File)),
            Rows::Server { remote, cursor, rows, current } => {
                if rows.is_empty()
                    && let Some(name) = cursor.take()
                {
                    let fetched = remote.fetch(&name)?;
                    if fetched.len() == CHUNK {
                        *cursor = Some(name);
                    } else {
                        remote.close(&name);
                    }
                    rows.extend(fetched);
                }
                *current = rows.pop_front();
                Ok(current.as_deref().map(Row::Server))
            }
        }
    }
}

impl Drop for Rows<'_> {
    fn drop(&mut self) {
        if let Rows::Server { remote, cursor: Some(name), .. } = self {
            remote.close(name);
        }
    }
}

/// [`Rows`], each read by a function.
pub(crate) struct MappedRows<'s, F> {
    rows: Rows<'s>,
    f: F,
}

impl<T, F: FnMut(&Row<'_>) -> Result<T>> Iterator for MappedRows<'_, F> {
    type Item = Result<T>;

    fn next(&mut self) -> Option<Result<T>> {
        match self.rows.next() {
            Ok(Some(row)) => Some((self.f)(&row)),
            Ok(None) => None,
            Err(e) => Some(Err(e)),
        }
    }
}

/// One row, read by column index.
pub(crate) enum Row<'r> {
    File(&'r rusqlite::Row<'r>),
    Server(&'r [Value]),
}

/// A column's place in a row (rusqlite's `get::<_, T>(i)` reads the same here).
pub(crate) trait ColumnIndex {
    fn at(self) -> usize;
}

impl ColumnIndex for usize {
    fn at(self) -> usize {
        self
    }
}

impl Row<'_> {
    pub(crate) fn get<I: ColumnIndex, T: FromSql>(&self, index: I) -> Result<T> {
        let index = index.at();
        match self {
            Row::File(row) => Ok(row.get(index)?),
            Row::Server(values) => {
                let value = values.get(index).ok_or(rusqlite::Error::InvalidColumnIndex(index))?;
                T::column_result(value.into()).map_err(|e| {
                    Error::File(match e {
                        FromSqlError::InvalidType => {
                            rusqlite::Error::InvalidColumnType(index, String::new(), value.data_type())
                        }
                        FromSqlError::OutOfRange(n) => rusqlite::Error::IntegralValueOutOfRange(index, n),
                        FromSqlError::Other(e) => {
                            rusqlite::Error::FromSqlConversionFailure(index, value.data_type(), e)
                        }
                        other => rusqlite::Error::FromSqlConversionFailure(index, value.data_type(), Box::new(other)),
                    })
                })
            }
        }
    }

    pub(crate) fn get_ref<I: ColumnIndex>(&self, index: I) -> Result<ValueRef<'_>> {
        let index = index.at();
        match self {
            Row::File(row) => Ok(row.get_ref(index)?),
            Row::Server(values) => Ok(values.get(index).ok_or(rusqlite::Error::InvalidColumnIndex(index))?.into()),
        }
    }
}

/// A value bound to a server's statement, in the type the statement has in its
/// place: SQLite's integers also stand for booleans, and text for JSON.
#[derive(Debug)]
struct Bound(Value);

type Boxed = Box<dyn std::error::Error + Sync + Send>;

impl postgres::types::ToSql for Bound {
    fn to_sql(&self, ty: &Type, out: &mut BytesMut) -> std::result::Result<IsNull, Boxed> {
        let textual = [Type::TEXT, Type::VARCHAR, Type::BPCHAR, Type::NAME, Type::UNKNOWN].contains(ty);
        match &self.0 {
            Value::Null => Ok(IsNull::Yes),
            Value::Integer(n) => match *ty {
                Type::INT8 => put(*n, ty, out),
                Type::INT4 => put(i32::try_from(*n)?, ty, out),
                Type::INT2 => put(i16::try_from(*n)?, ty, out),
                Type::BOOL => put(*n != 0, ty, out),
                Type::FLOAT8 => put(*n as f64, ty, out),
                _ if textual => put(n.to_string().as_str(), ty, out),
                _ => Err(format!("an integer cannot stand for a {ty}").into()),
            },
            Value::Real(x) => match *ty {
                Type::FLOAT8 => put(*x, ty, out),
                Type::FLOAT4 => put(*x as f32, ty, out),
                _ if textual => put(x.to_string().as_str(), ty, out),
                _ => Err(format!("a real cannot stand for a {ty}").into()),
            },
            Value::Text(text) => match *ty {
                Type::JSON => {
                    out.put_slice(text.as_bytes());
                    Ok(IsNull::No)
                }
                Type::JSONB => {
                    out.put_u8(1);
                    out.put_slice(text.as_bytes());
                    Ok(IsNull::No)
                }
                Type::INT8 => put(text.parse::<i64>()?, ty, out),
                Type::FLOAT8 => put(text.parse::<f64>()?, ty, out),
                _ => put(text.as_str(), ty, out),
            },
            Value::Blob(bytes) => put(bytes.as_slice(), ty, out),
        }
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    postgres::types::to_sql_checked!();
}

/// Writes `value` in a server's binary form for `ty`.
fn put<T: postgres::types::ToSql>(value: T, ty: &Type, out: &mut BytesMut) -> std::result::Result<IsNull, Boxed> {
    value.to_sql(ty, out)
}

/// A column of a server's row, read into SQLite's model of values.
struct Received(Value);

impl<'a> postgres::types::FromSql<'a> for Received {
    fn from_sql(ty: &Type, raw: &'a [u8]) -> std::result::Result<Self, Boxed> {
        Ok(Received(match *ty {
            Type::INT8 => Value::Integer(i64::from_sql(ty, raw)?),
            Type::INT4 => Value::Integer(i32::from_sql(ty, raw)?.into()),
            Type::INT2 => Value::Integer(i16::from_sql(ty, raw)?.into()),
            Type::OID => Value::Integer(u32::from_sql(ty, raw)?.into()),
            Type::BOOL => Value::Integer(bool::from_sql(ty, raw)?.into()),
            Type::FLOAT8 => Value::Real(f64::from_sql(ty, raw)?),
            Type::FLOAT4 => Value::Real(f32::from_sql(ty, raw)?.into()),
            Type::BYTEA => Value::Blob(raw.to_vec()),
            Type::NUMERIC => numeric(raw)?,
            // Text of every kind (text, name, json) comes as its UTF-8 bytes.
            _ => Value::Text(std::str::from_utf8(raw)?.to_string()),
        }))
    }

    fn from_sql_null(_: &Type) -> std::result::Result<Self, Boxed> {
        Ok(Received(Value::Null))
    }

    fn accepts(_: &Type) -> bool {
        true
    }
}

/// A `numeric` (what a server's `sum` of integers gives) as an integer when it
/// has no fraction and fits, else as a real.
fn numeric(raw: &[u8]) -> std::result::Result<Value, Boxed> {
    let word = |i: usize| -> std::result::Result<u16, Boxed> {
        raw.get(i * 2..i * 2 + 2).map(|b| u16::from_be_bytes([b[0], b[1]])).ok_or_else(|| "a short numeric".into())
    };
    let (digits, weight, sign, scale) = (usize::from(word(0)?), word(1)? as i16, word(2)?, word(3)?);
    if sign == 0xC000 {
        return Ok(Value::Null); // NaN
    }
    let negative = sign == 0x4000;
    let mut whole: Option<i64> = Some(0);
    let mut real = 0.0f64;
    for i in 0..digits {
        let digit = word(4 + i)?;
        let power = i32::from(weight) - i32::try_from(i).unwrap_or(i32::MAX);
        real += f64::from(digit) * 10000f64.powi(power);
        whole = match u32::try_from(power) {
            Ok(p) => whole.and_then(|w| w.checked_add(i64::from(digit).checked_mul(10000i64.checked_pow(p)?)?)),
            Err(_) => None,
        };
    }
    Ok(match whole {
        Some(n) if scale == 0 => Value::Integer(if negative { -n } else { n }),
        _ => Value::Real(if negative { -real } else { real }),
    })
}

/// A statement in SQLite's dialect, in PostgreSQL's: `?N` placeholders become
/// `$N`; SQLite's index hints go (the server plans for itself); `instr`,
/// `ifnull` and `json_each` become the server's functions; `INTEGER`/`REAL`
/// casts its 64-bit types; SQLite's `temp` schema the server's.
pub(crate) fn for_server(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len() + 32);
    let mut chars = sql.chars().peekable();
    let mut quote = None;
    let mut bare = 0;
    while let Some(ch) = chars.next() {
        if let Some(q) = quote {
            out.push(ch);
            if ch == q {
                quote = None;
            }
            continue;
        }
        match ch {
            '\'' | '"' => {
                quote = Some(ch);
                out.push(ch);
            }
            '?' => {
                let mut number = String::new();
                while let Some(d) = chars.peek().copied().filter(char::is_ascii_digit) {
                    number.push(d);
                    chars.next();
                }
                if number.is_empty() {
                    bare += 1;
                    number = bare.to_string();
                }
                out.push('$');
                out.push_str(&number);
            }
            _ => out.push(ch),
        }
    }
    let mut out = without_hints(&out);
    for (sqlite, server) in [
        ("instr(", "strpos("),
        ("ifnull(", "coalesce("),
        ("AS INTEGER)", "AS BIGINT)"),
        ("AS REAL)", "AS DOUBLE PRECISION)"),
        ("NOT GLOB '*[^0-9a-f]*'", "!~ '[^0-9a-f]'"),
        ("temp.", "pg_temp."),
    ] {
        out = replace_words(&out, sqlite, server);
    }
    // `json_each($N) [AS alias]`: the list's items as rows of one `value` column.
    while let Some(at) = out.find("json_each($") {
        let open = at + "json_each(".len();
        let Some(close) = out[open..].find(')').map(|c| open + c) else { break };
        let param = out[open..close].to_string();
        let rest = &out[close + 1..];
        let (alias, skip) = match rest.strip_prefix(" AS ") {
            Some(after) => {
                let name: String = after.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
                let skip = 4 + name.len();
                (name, skip)
            }
            None => ("json_each".to_string(), 0),
        };
        let with = format!("json_array_elements_text(CAST({param} AS json)) AS {alias}(value)");
        out.replace_range(at..close + 1 + skip, &with);
    }
    out
}

/// `text` with `from` replaced by `to` where `from` begins a word (`instr(`,
/// never the end of `myinstr(`).
fn replace_words(text: &str, from: &str, to: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(from) {
        out.push_str(&rest[..at]);
        let word = !out.ends_with(|c: char| c.is_ascii_alphanumeric() || c == '_');
        out.push_str(if word { to } else { from });
        rest = &rest[at + from.len()..];
    }
    out.push_str(rest);
    out
}

/// `sql` without SQLite's `INDEXED BY name` and `NOT INDEXED` hints.
fn without_hints(sql: &str) -> String {
    let mut out = sql.replace(" NOT INDEXED", "");
    while let Some(at) = out.find(" INDEXED BY ") {
        let name = at + " INDEXED BY ".len();
        let end = out[name..].find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).map_or(out.len(), |e| name + e);
        out.replace_range(at..end, "");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statements_are_put_into_the_servers_dialect() {
        assert_eq!(for_server("SELECT a FROM t WHERE b = ?1 AND c = ?12"), "SELECT a FROM t WHERE b = $1 AND c = $12");
        assert_eq!(for_server("x = ? AND y = ? AND z = '?'"), "x = $1 AND y = $2 AND z = '?'");
        assert_eq!(
            for_server("SELECT id FROM courses INDEXED BY courses_running WHERE x"),
            "SELECT id FROM courses WHERE x"
        );
        assert_eq!(for_server("SELECT 1 FROM people NOT INDEXED WHERE a"), "SELECT 1 FROM people WHERE a");
        assert_eq!(
            for_server("id IN (SELECT CAST(value AS INTEGER) FROM json_each(?1))"),
            "id IN (SELECT CAST(value AS BIGINT) FROM json_array_elements_text(CAST($1 AS json)) AS json_each(value))"
        );
        assert_eq!(
            for_server("SELECT k.value FROM json_each(?1) AS k WHERE k.value = 1"),
            "SELECT k.value FROM json_array_elements_text(CAST($1 AS json)) AS k(value) WHERE k.value = 1"
        );
        assert_eq!(
            for_server("instr(lower(a), ?) > 0 AND ifnull(b, 0)"),
            "strpos(lower(a), $1) > 0 AND coalesce(b, 0)"
        );
        // Only where the word begins: a name that ends the same stays.
        assert_eq!(
            for_server("SELECT attempt.x, myinstr(a) FROM temp.t"),
            "SELECT attempt.x, myinstr(a) FROM pg_temp.t"
        );
    }

    #[test]
    fn a_numeric_reads_as_an_integer_when_whole() {
        // 12345678 = 1234 * 10000 + 5678: two digits, weight 1.
        let raw = [0, 2, 0, 1, 0, 0, 0, 0, 0x04, 0xd2, 0x16, 0x2e];
        assert_eq!(numeric(&raw).ok(), Some(Value::Integer(12_345_678)));
        // -2.5: digits 2 and 5000 at weights 0 and -1, scale 1.
        let raw = [0, 2, 0, 0, 0x40, 0, 0, 1, 0, 2, 0x13, 0x88];
        assert_eq!(numeric(&raw).ok(), Some(Value::Real(-2.5)));
        // Zero has no digits.
        assert_eq!(numeric(&[0, 0, 0, 0, 0, 0, 0, 0]).ok(), Some(Value::Integer(0)));
    }
}
