//! How values are written to and read from columns: instants, keyed enums, and the
//! conversion error that names a column SQLite could not give back as asked.

use chrono::{DateTime, Utc};
use rusqlite::Row;
use rusqlite::types::Value;

/// One column of a record: the field's name as people see it, the column, the value
/// (what `courses`, `people` and `sessions` give an edit to compare).
pub(super) type Column = (&'static str, &'static str, Value);

/// How instants are written: RFC 3339 in UTC, which also sorts as text.
pub(super) fn instant_text(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// Reads an instant written by [`instant_text`].
pub(super) fn parse_instant(text: &str, index: usize) -> rusqlite::Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text).map(|t| t.with_timezone(&Utc)).map_err(|e| bad_column(index, e))
}

/// Reads a keyed enum column, turning an unknown key into a conversion error.
pub(super) fn parse_key<T: std::str::FromStr<Err = String>>(row: &Row<'_>, index: usize) -> rusqlite::Result<T> {
    row.get::<_, String>(index)?.parse::<T>().map_err(|e| bad_column(index, e))
}

/// A column whose text does not read as the value it should hold.
pub(super) fn bad_column(index: usize, e: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(index, rusqlite::types::Type::Text, e.into())
}
