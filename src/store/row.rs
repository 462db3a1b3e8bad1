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
    // Read in place: lists parse thousands of rows.
    row.get_ref(index)?.as_str()?.parse::<T>().map_err(|e| bad_column(index, e))
}

/// The void kept in three columns from `index` on (`voided_at, voided_by,
/// void_reason`): none when the first is NULL.
pub(super) fn void_at(row: &Row<'_>, index: usize) -> rusqlite::Result<Option<crate::domain::Void>> {
    let Some(at) = row.get::<_, Option<String>>(index)? else { return Ok(None) };
    Ok(Some(crate::domain::Void {
        at: parse_instant(&at, index)?,
        by: row.get::<_, Option<String>>(index + 1)?.unwrap_or_default(),
        reason: row.get::<_, Option<String>>(index + 2)?.unwrap_or_default(),
    }))
}

/// A void as its three columns (see [`void_at`]).
pub(super) fn void_columns(void: Option<&crate::domain::Void>) -> (Option<String>, Option<String>, Option<String>) {
    match void {
        Some(v) => (Some(instant_text(v.at)), Some(v.by.clone()), Some(v.reason.clone())),
        None => (None, None, None),
    }
}

/// A column whose text does not read as the value it should hold.
pub(super) fn bad_column(index: usize, e: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(index, rusqlite::types::Type::Text, e.into())
}
