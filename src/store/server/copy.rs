//! `needlelog db copy`: every row of every table, and the pictures, from a file
//! into an empty server database or from a server into a new file — as they
//! are, ids and all, in one transaction on the side written. Nothing is
//! interpreted on the way: a copy back holds what the first file held, and both
//! export the same document.
//!
//! Into a server, rows travel by `COPY … FROM STDIN` (a million sessions without
//! a round trip each); out of one, by a read of one snapshot, a row at a time.
//! Each table's rows are counted on both sides before the copy is committed.

use std::io::Write;
use std::path::{Path, PathBuf};

use postgres::GenericClient;
use postgres::fallible_iterator::FallibleIterator;
use postgres::types::Type;
use rusqlite::types::{Value, ValueRef};

use super::schema::{self, TABLES, WITH_IDS};
use super::{Server, failure, migrate};
use crate::domain::PhotoFormat;
use crate::store::records::PhotoStore as _;
use crate::store::{Result, Store, StoreError};

/// What a copy wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Copied {
    /// Rows by table, in [`TABLES`]' order.
    pub rows: Vec<(&'static str, u64)>,
    /// Pictures copied.
    pub photos: u64,
    /// Pictures the records name that were not there to copy (file names).
    pub photos_missing: Vec<String>,
}

impl Copied {
    /// How many rows of `table` were copied.
    pub fn of(&self, table: &str) -> u64 {
        self.rows.iter().find(|(t, _)| *t == table).map_or(0, |(_, n)| *n)
    }
}

/// Told as a copy goes: the table, rows copied so far, and how many it has
/// (all of them while its indexes are made).
pub type Progress<'a> = dyn FnMut(&'static str, u64, u64) + 'a;

/// The pictures kept beside a file, as a copy reads and writes them (the
/// `photos/` folder: see `crate::photos`).
pub trait Pictures {
    /// The pictures there, by name: (hash, format).
    fn listed(&self) -> Vec<(String, PhotoFormat)>;
    /// A picture's bytes; an error when they no longer match its name.
    fn read(&self, hash: &str, format: PhotoFormat) -> std::io::Result<Vec<u8>>;
    /// Keeps a picture (its bytes match its hash: the server checks that).
    fn keep(&self, hash: &str, format: PhotoFormat, bytes: &[u8]) -> std::io::Result<()>;
}

/// Rows between two reports of progress.
const REPORT_EVERY: u64 = 20_000;

impl Server {
    /// Copies every record of `file` (and its pictures) into this database,
    /// which must hold none: creating needlelog's tables when it has none yet.
    /// One transaction: on any failure the database is as it was.
    pub fn copy_from_file(
        &mut self,
        file: &Store,
        pictures: &dyn Pictures,
        progress: &mut Progress<'_>,
    ) -> Result<Copied> {
        let address = self.address.clone();
        let at = |e: postgres::Error| failure(&address, &e);
        let version = self.version()?;
        let known = schema::current_version();
        match version {
            Some(found) if found > known => return Err(self.newer(found)),
            Some(_) => {}
            None => self.refuse_foreign("copy into an empty database (createdb)")?,
        }
        let mut tx = self.client.transaction().map_err(at)?;
        if version.is_none() {
            super::create(&mut tx).map_err(at)?;
        }
        migrate(&mut tx, version.unwrap_or(schema::FIRST_VERSION)).map_err(at)?;
        if let Some(table) = first_with_rows(&mut tx).map_err(at)? {
            return Err(StoreError::Server {
                at: address.to_string(),
                detail: format!(
                    "the database already holds needlelog records ({table}); a copy goes into an empty one, \
                     so nothing was changed"
                ),
            });
        }
        tx.batch_execute("SET LOCAL needlelog.bulk_load = 'on'; SET LOCAL needlelog.copying = 'on'").map_err(at)?;
        let mut copied = Copied::default();
        file.consistent(|| {
            for &table in TABLES {
                let n = rows_into_server(file, &mut tx, table, progress, &address)?;
                copied.rows.push((table, n));
            }
            for &table in WITH_IDS {
                let next = file.sqlite(|c| {
                    let kept: Option<i64> = c
                        .query_row("SELECT seq FROM sqlite_sequence WHERE name = ?1", [table], |r| r.get(0))
                        .ok();
                    let top: Option<i64> = c.query_row(&format!("SELECT max(id) FROM {table}"), [], |r| r.get(0))?;
                    Ok(kept.max(top).unwrap_or(0))
                })?;
                tx.execute(
                    &format!(
                        "SELECT setval(pg_get_serial_sequence('{table}', 'id'), greatest($1::bigint, 1), $1::bigint > 0)"
                    ),
                    &[&next],
                )
                .map_err(at)?;
            }
            let named: Vec<(String, String)> = file.sqlite(|c| {
                let mut stmt = c.prepare("SELECT DISTINCT hash, format FROM session_photos ORDER BY hash")?;
                let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
                Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
            })?;
            let trashed = file.trashed_photo_hashes()?;
            let (photos, missing) = pictures_into_server(&mut tx, pictures, &named, &trashed, progress, &address)?;
            copied.photos = photos;
            copied.photos_missing = missing;
            Ok(())
        })?;
        for (table, n) in &copied.rows {
            let there: i64 = tx.query_one(&format!("SELECT count(*) FROM {table}"), &[]).map_err(at)?.get(0);
            if there as u64 != *n {
                return Err(StoreError::Server {
                    at: address.to_string(),
                    detail: format!("{table}: {n} rows read but {there} arrived; nothing was changed, try again"),
                });
            }
        }
        tx.commit().map_err(at)?;
        Ok(copied)
    }

    /// Copies every record of this database (and its pictures) into a new file
    /// at `path`, which must not exist yet; the file appears whole or not at all.
    /// `pictures` is the picture folder beside `path`.
    pub fn copy_to_file(
        &mut self,
        path: &Path,
        pictures: &dyn Pictures,
        progress: &mut Progress<'_>,
    ) -> Result<Copied> {
        if path.exists() {
            return Err(StoreError::Invalid(format!(
                "{} already exists; a copy from a server makes a new file: name one that is not there",
                path.display()
            )));
        }
        let address = self.address.clone();
        let at = |e: postgres::Error| failure(&address, &e);
        self.upgrade()?;
        if let Some(folder) = path.parent().filter(|f| !f.as_os_str().is_empty() && !f.is_dir()) {
            return Err(StoreError::Invalid(format!(
                "cannot create {}: the folder {} does not exist; create it or name a file in another",
                path.display(),
                folder.display()
            )));
        }
        let partial = Partial::beside(path);
        let mut tx = self.snapshot()?;
        let mut store = Store::open(&partial.0)?;
        let copied = store.in_bulk(|store| {
            store.write(|records| {
                let file = records.sqlite_only()?;
                for &table in TABLES.iter().rev() {
                    file.execute(&format!("DELETE FROM {table}"), [])?;
                }
                file.execute("DELETE FROM sqlite_sequence", [])?;
                crate::store::courses::hold_recounts(records)?;
                let mut copied = Copied::default();
                for &table in TABLES {
                    let n = rows_into_file(&mut tx, file, table, progress, &address)?;
                    copied.rows.push((table, n));
                }
                // The last id each table of the file's own numbering gave, so that a
                // deleted record's id is not given again (AUTOINCREMENT's tables).
                let numbered: Vec<String> = file
                    .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND sql LIKE '%AUTOINCREMENT%'")?
                    .query_map([], |r| r.get(0))?
                    .collect::<rusqlite::Result<_>>()?;
                for table in numbered {
                    let last = sequence_of(&mut tx, &table).map_err(at)?;
                    file.execute(
                        "UPDATE sqlite_sequence SET seq = max(seq, ?2) WHERE name = ?1",
                        rusqlite::params![table, last],
                    )?;
                    file.execute(
                        "INSERT INTO sqlite_sequence (name, seq) SELECT ?1, ?2 \
                     WHERE ?2 > 0 AND NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = ?1)",
                        rusqlite::params![table, last],
                    )?;
                }
                file.execute("DELETE FROM settings WHERE key = 'bulk-load'", [])?;
                let (photos, missing) = pictures_into_file(&mut tx, file, pictures, progress, &address)?;
                copied.photos = photos;
                copied.photos_missing = missing;
                for (table, n) in &copied.rows {
                    let here: i64 = file.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))?;
                    if here as u64 != *n {
                        return Err(StoreError::Invalid(format!(
                            "{table}: {n} rows read from the server but {here} written; the copy was not kept"
                        )));
                    }
                }
                Ok(copied)
            })
        })?;
        tx.commit().map_err(at)?;
        drop(store);
        partial.keep_as(path)?;
        Ok(copied)
    }
}

/// The first of needlelog's tables that holds a row.
fn first_with_rows(tx: &mut impl GenericClient) -> std::result::Result<Option<&'static str>, postgres::Error> {
    for &table in TABLES {
        if tx.query_one(&format!("SELECT EXISTS (SELECT 1 FROM {table})"), &[])?.get::<_, bool>(0) {
            return Ok(Some(table));
        }
    }
    Ok(None)
}

/// The last id a table's sequence gave (0 when none yet).
fn sequence_of(tx: &mut impl GenericClient, table: &str) -> std::result::Result<i64, postgres::Error> {
    let name: String = tx
        .query_one("SELECT pg_get_serial_sequence($1, 'id')", &[&table])?
        .get::<_, Option<String>>(0)
        .unwrap_or_default();
    let row = tx.query_one(&format!("SELECT last_value, is_called FROM {name}"), &[])?;
    Ok(if row.get::<_, bool>(1) { row.get(0) } else { 0 })
}

/// A table's columns on the server, in order, with their types.
fn server_columns(
    tx: &mut impl GenericClient,
    table: &str,
) -> std::result::Result<Vec<(String, String)>, postgres::Error> {
    let rows = tx.query(
        "SELECT column_name::text, data_type::text FROM information_schema.columns \
         WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position",
        &[&table],
    )?;
    Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
}

/// A table's columns in the file, in order.
fn file_columns(c: &rusqlite::Connection, table: &str) -> rusqlite::Result<Vec<String>> {
    let mut stmt = c.prepare(&format!("SELECT name FROM pragma_table_info('{table}') ORDER BY cid"))?;
    stmt.query_map([], |r| r.get(0))?.collect()
}

/// The columns both sides have, in the file's order, with the server's type; an
/// error when they differ (one side from another version).
fn matched_columns(
    file: &[String],
    server: &[(String, String)],
    table: &str,
    at: &super::Address,
) -> Result<Vec<(String, String)>> {
    let mut out = Vec::new();
    for name in file {
        match server.iter().find(|(n, _)| n == name) {
            Some((_, kind)) => out.push((name.clone(), kind.clone())),
            None => return Err(mismatch(table, name, at)),
        }
    }
    if let Some((name, _)) = server.iter().find(|(n, _)| !file.contains(n)) {
        return Err(mismatch(table, name, at));
    }
    Ok(out)
}

fn mismatch(table: &str, column: &str, at: &super::Address) -> StoreError {
    StoreError::Server {
        at: at.to_string(),
        detail: format!(
            "{table}.{column} is on one side only: the file and the server are of different needlelog versions; \
             open both with this needlelog first"
        ),
    }
}

/// Streams one table of the file into the server by `COPY`.
fn rows_into_server(
    file: &Store,
    tx: &mut postgres::Transaction<'_>,
    table: &'static str,
    progress: &mut Progress<'_>,
    address: &super::Address,
) -> Result<u64> {
    let server = server_columns(tx, table).map_err(|e| failure(address, &e))?;
    let (columns, total) = file.sqlite(|c| {
        let total: i64 = c.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))?;
        Ok((file_columns(c, table)?, total as u64))
    })?;
    let columns = matched_columns(&columns, &server, table, address)?;
    let names: Vec<&str> = columns.iter().map(|(n, _)| n.as_str()).collect();
    let list = names.join(", ");
    progress(table, 0, total);
    // The table's indexes (not its keys) are made again once its rows are in:
    // building one from all the rows beats keeping it up to date row by row.
    let indexes: Vec<(String, String)> = tx
        .query(
            "SELECT indexname::text, indexdef FROM pg_indexes WHERE schemaname = current_schema() \
             AND tablename = $1 AND indexname NOT IN (SELECT conname FROM pg_constraint)",
            &[&table],
        )
        .map_err(|e| failure(address, &e))?
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    for (name, _) in &indexes {
        tx.batch_execute(&format!("DROP INDEX \"{}\"", name.replace('"', "\"\""))).map_err(|e| failure(address, &e))?;
    }
    let writer = tx.copy_in(&format!("COPY {table} ({list}) FROM STDIN")).map_err(|e| failure(address, &e))?;
    let mut out = std::io::BufWriter::with_capacity(256 * 1024, writer);
    let mut line = Vec::with_capacity(1024);
    let mut n = 0u64;
    let lost = |e: std::io::Error| write_failed(e, address, table);
    file.sqlite(|c| {
        let mut stmt = c.prepare(&format!("SELECT {list} FROM {table} ORDER BY 1, 2"))?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            line.clear();
            for (i, (name, kind)) in columns.iter().enumerate() {
                if i > 0 {
                    line.push(b'\t');
                }
                copy_value(&mut line, row.get_ref(i)?, kind).map_err(|what| {
                    let key = row.get_ref(0).map(describe).unwrap_or_default();
                    StoreError::Invalid(format!(
                        "{}: {table} {key}, {name}: {what}; nothing was copied (needlelog doctor checks the file)",
                        file.path().display()
                    ))
                })?;
            }
            line.push(b'\n');
            out.write_all(&line).map_err(lost)?;
            n += 1;
            if n.is_multiple_of(REPORT_EVERY) {
                progress(table, n, total);
            }
        }
        Ok(())
    })?;
    progress(table, n, total);
    let writer = out.into_inner().map_err(|e| lost(e.into_error()))?;
    writer.finish().map_err(|e| failure(address, &e))?;
    for (_, sql) in &indexes {
        tx.batch_execute(sql).map_err(|e| failure(address, &e))?;
    }
    Ok(n)
}

/// Why writing into a `COPY` failed: the server's word when it refused a row
/// mid-way (the client hands it back inside the I/O error), else the connection.
fn write_failed(e: std::io::Error, address: &super::Address, what: &str) -> StoreError {
    match e.get_ref().and_then(|inner| inner.downcast_ref::<postgres::Error>()) {
        Some(refused) => failure(address, refused),
        None => StoreError::Server {
            at: address.to_string(),
            detail: format!("the connection failed while copying {what} ({e}); nothing was changed, try again"),
        },
    }
}

/// A row's first value, to name it in a message.
fn describe(value: ValueRef<'_>) -> String {
    match value {
        ValueRef::Integer(i) => i.to_string(),
        ValueRef::Text(t) => crate::text::printable(&String::from_utf8_lossy(t)),
        _ => "(a row)".into(),
    }
}

/// Writes one value in `COPY`'s text form, as the server column `kind` takes it;
/// what does not fit is said.
fn copy_value(line: &mut Vec<u8>, value: ValueRef<'_>, kind: &str) -> std::result::Result<(), &'static str> {
    match (value, kind) {
        (ValueRef::Null, _) => line.extend_from_slice(b"\\N"),
        (ValueRef::Integer(i), "bigint" | "double precision") => line.extend_from_slice(i.to_string().as_bytes()),
        (ValueRef::Real(r), "double precision") => {
            let text = if r.is_nan() {
                "NaN".to_string()
            } else if r.is_infinite() {
                if r > 0.0 { "Infinity".into() } else { "-Infinity".into() }
            } else {
                r.to_string()
            };
            line.extend_from_slice(text.as_bytes());
        }
        (ValueRef::Text(t), "text") => {
            let text = std::str::from_utf8(t).map_err(|_| "text that is not UTF-8")?;
            if text.contains('\0') {
                return Err("text holding a NUL character, which a server cannot keep");
            }
            for b in text.bytes() {
                match b {
                    b'\\' => line.extend_from_slice(b"\\\\"),
                    b'\n' => line.extend_from_slice(b"\\n"),
                    b'\r' => line.extend_from_slice(b"\\r"),
                    b'\t' => line.extend_from_slice(b"\\t"),
                    _ => line.push(b),
                }
            }
        }
        (ValueRef::Real(_), "bigint") => return Err("a fraction where a whole number belongs"),
        (ValueRef::Integer(_) | ValueRef::Real(_), _) => return Err("a number where text belongs"),
        (ValueRef::Text(_), _) => return Err("text where a number belongs"),
        (ValueRef::Blob(_), _) => return Err("bytes where a value belongs"),
    }
    Ok(())
}

/// Streams one table of the server into the file.
fn rows_into_file(
    tx: &mut postgres::Transaction<'_>,
    file: &rusqlite::Connection,
    table: &'static str,
    progress: &mut Progress<'_>,
    address: &super::Address,
) -> Result<u64> {
    let at = |e: postgres::Error| failure(address, &e);
    let server = server_columns(tx, table).map_err(at)?;
    let columns = matched_columns(&file_columns(file, table)?, &server, table, address)?;
    let list = columns.iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>().join(", ");
    let total: i64 = tx.query_one(&format!("SELECT count(*) FROM {table}"), &[]).map_err(at)?.get(0);
    let total = total as u64;
    progress(table, 0, total);
    let deferred = crate::store::import::Deferred::if_empty(file, table)?;
    let placeholders = (1..=columns.len()).map(|i| format!("?{i}")).collect::<Vec<_>>().join(", ");
    let mut insert = file.prepare(&format!("INSERT INTO {table} ({list}) VALUES ({placeholders})"))?;
    let select = tx.prepare(&format!("SELECT {list} FROM {table} ORDER BY 1, 2")).map_err(at)?;
    let types: Vec<Type> = select.columns().iter().map(|c| c.type_().clone()).collect();
    let mut rows = tx.query_raw(&select, std::iter::empty::<i64>()).map_err(at)?;
    let mut values: Vec<Value> = Vec::with_capacity(columns.len());
    let mut n = 0u64;
    while let Some(row) = rows.next().map_err(at)? {
        values.clear();
        for (i, kind) in types.iter().enumerate() {
            values.push(from_server(&row, i, kind).map_err(at)?);
        }
        insert.execute(rusqlite::params_from_iter(values.iter()))?;
        n += 1;
        if n.is_multiple_of(REPORT_EVERY) {
            progress(table, n, total);
        }
    }
    progress(table, n, total);
    deferred.restore(file)?;
    Ok(n)
}

/// One value of a server row as the file keeps it.
fn from_server(row: &postgres::Row, i: usize, kind: &Type) -> std::result::Result<Value, postgres::Error> {
    Ok(match *kind {
        Type::INT8 => row.try_get::<_, Option<i64>>(i)?.map_or(Value::Null, Value::Integer),
        Type::INT4 => row.try_get::<_, Option<i32>>(i)?.map_or(Value::Null, |v| Value::Integer(v.into())),
        Type::FLOAT8 => row.try_get::<_, Option<f64>>(i)?.map_or(Value::Null, Value::Real),
        Type::BYTEA => row.try_get::<_, Option<Vec<u8>>>(i)?.map_or(Value::Null, Value::Blob),
        _ => row.try_get::<_, Option<String>>(i)?.map_or(Value::Null, Value::Text),
    })
}

/// Puts the file's pictures in the server: the ones the records name (`named`:
/// hash, format) or the trash keeps (`trashed`) that are beside the file. Returns how many went, and the file
/// names of those that were not there.
fn pictures_into_server(
    tx: &mut postgres::Transaction<'_>,
    pictures: &dyn Pictures,
    named: &[(String, String)],
    trashed: &std::collections::HashSet<String>,
    progress: &mut Progress<'_>,
    address: &super::Address,
) -> Result<(u64, Vec<String>)> {
    let present: std::collections::HashSet<(String, PhotoFormat)> = pictures.listed().into_iter().collect();
    let mut missing = Vec::new();
    // By hash: a picture's bytes decide its format, so a hash has one.
    let mut wanted = std::collections::BTreeMap::new();
    for (hash, format) in named {
        let Ok(format) = format.parse::<PhotoFormat>() else { continue };
        if present.contains(&(hash.clone(), format)) {
            wanted.insert(hash.clone(), format);
        } else {
            missing.push(format!("{hash}.{}", format.extension()));
        }
    }
    // The pictures of what is in the trash go too: a session restored from it
    // on the server, or in a file copied back, still has them.
    wanted.extend(present.iter().filter(|(hash, _)| trashed.contains(hash)).cloned());
    let wanted: Vec<(String, PhotoFormat)> = wanted.into_iter().collect();
    let total = wanted.len() as u64;
    progress("photos", 0, total);
    let lost = |e: std::io::Error| write_failed(e, address, "pictures");
    let writer = tx.copy_in("COPY photo_files (hash, format, bytes) FROM STDIN").map_err(|e| failure(address, &e))?;
    let mut out = std::io::BufWriter::with_capacity(256 * 1024, writer);
    let mut n = 0;
    for (hash, format) in &wanted {
        let bytes = match pictures.read(hash, *format) {
            Ok(bytes) => bytes,
            Err(_) => {
                missing.push(format!("{hash}.{}", format.extension()));
                continue;
            }
        };
        let mut line = Vec::with_capacity(bytes.len() * 2 + 100);
        line.extend_from_slice(format!("{hash}\t{}\t\\\\x", format.key()).as_bytes());
        for b in &bytes {
            line.extend_from_slice(format!("{b:02x}").as_bytes());
        }
        line.push(b'\n');
        out.write_all(&line).map_err(lost)?;
        n += 1;
        progress("photos", n, total);
    }
    let writer = out.into_inner().map_err(|e| lost(e.into_error()))?;
    writer.finish().map_err(|e| failure(address, &e))?;
    Ok((n, missing))
}

/// Keeps the server's pictures beside the new file. Returns how many, and the
/// file names of pictures its records name that the server does not hold.
fn pictures_into_file(
    tx: &mut postgres::Transaction<'_>,
    file: &rusqlite::Connection,
    pictures: &dyn Pictures,
    progress: &mut Progress<'_>,
    address: &super::Address,
) -> Result<(u64, Vec<String>)> {
    let at = |e: postgres::Error| failure(address, &e);
    let total: i64 = tx.query_one("SELECT count(*) FROM photo_files", &[]).map_err(at)?.get(0);
    progress("photos", 0, total as u64);
    let select = tx.prepare("SELECT hash, format, bytes FROM photo_files ORDER BY hash").map_err(at)?;
    let mut rows = tx.query_raw(&select, std::iter::empty::<i64>()).map_err(at)?;
    let mut kept = std::collections::HashSet::new();
    let mut n = 0;
    while let Some(row) = rows.next().map_err(at)? {
        let (hash, format, bytes): (String, String, Vec<u8>) = (row.get(0), row.get(1), row.get(2));
        let Ok(format) = format.parse::<PhotoFormat>() else { continue };
        pictures.keep(&hash, format, &bytes).map_err(|e| {
            StoreError::Invalid(format!("cannot keep picture {hash}.{} beside the copy: {e}", format.extension()))
        })?;
        kept.insert(hash);
        n += 1;
        progress("photos", n, total as u64);
    }
    let mut stmt = file.prepare("SELECT DISTINCT hash, format FROM session_photos ORDER BY hash")?;
    let named = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
    let mut missing = Vec::new();
    for pair in named {
        let (hash, format) = pair?;
        if !kept.contains(&hash) {
            let extension = format.parse::<PhotoFormat>().map_or("", |f| f.extension());
            missing.push(format!("{hash}.{extension}"));
        }
    }
    Ok((n, missing))
}

/// A new file being written under a name of its own beside where it goes: gone
/// unless [`Partial::keep_as`] puts it in place.
struct Partial(PathBuf);

impl Partial {
    fn beside(path: &Path) -> Partial {
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        Partial(path.with_file_name(format!(".{name}.copying-{}", std::process::id())))
    }

    /// Puts the file at `path`, unless something got there meanwhile.
    fn keep_as(self, path: &Path) -> Result<()> {
        std::fs::hard_link(&self.0, path).map_err(|e| {
            if e.kind() == std::io::ErrorKind::AlreadyExists {
                StoreError::Invalid(format!("{} appeared while copying; the copy was not kept", path.display()))
            } else {
                StoreError::Create { path: path.to_path_buf(), source: e }
            }
        })?;
        Ok(())
    }
}

impl Drop for Partial {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
        let mut journal = self.0.clone().into_os_string();
        journal.push("-journal");
        let _ = std::fs::remove_file(journal);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn copied(value: ValueRef<'_>, kind: &str) -> std::result::Result<String, &'static str> {
        let mut line = Vec::new();
        copy_value(&mut line, value, kind)?;
        Ok(String::from_utf8(line).unwrap())
    }

    #[test]
    fn values_are_written_as_copy_reads_them() {
        assert_eq!(copied(ValueRef::Null, "text").unwrap(), "\\N");
        assert_eq!(copied(ValueRef::Text(b"a\tb\nc\\N\rd"), "text").unwrap(), "a\\tb\\nc\\\\N\\rd");
        assert_eq!(copied(ValueRef::Integer(-42), "bigint").unwrap(), "-42");
        assert_eq!(copied(ValueRef::Integer(2), "double precision").unwrap(), "2");
        assert_eq!(copied(ValueRef::Real(0.1), "double precision").unwrap(), "0.1");
        assert_eq!(copied(ValueRef::Real(f64::INFINITY), "double precision").unwrap(), "Infinity");
    }

    #[test]
    fn a_value_the_server_cannot_keep_is_named() {
        assert_eq!(copied(ValueRef::Text(b"abc"), "bigint"), Err("text where a number belongs"));
        assert_eq!(copied(ValueRef::Real(1.5), "bigint"), Err("a fraction where a whole number belongs"));
        assert_eq!(copied(ValueRef::Integer(7), "text"), Err("a number where text belongs"));
        assert_eq!(
            copied(ValueRef::Text(b"a\0b"), "text"),
            Err("text holding a NUL character, which a server cannot keep")
        );
        assert_eq!(copied(ValueRef::Text(b"\xff"), "text"), Err("text that is not UTF-8"));
    }
}
