//! How values are written to and read from columns: instants, keyed enums, and the
//! conversion error that names a column SQLite could not give back as asked.

use super::sql::{self, Row};
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::types::Value;

/// One column of a record: the field's name as people see it, the column, the value
/// (what `courses`, `people` and `sessions` give an edit to compare).
pub(super) type Column = (&'static str, &'static str, Value);

/// How instants are written: RFC 3339 in UTC, which also sorts as text.
pub(super) fn instant_text(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// Reads an instant written by [`instant_text`].
pub(super) fn parse_instant(text: &str, index: usize) -> sql::Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text).map(|t| t.with_timezone(&Utc)).map_err(|e| bad_column(index, e))
}

/// Reads a day written as `YYYY-MM-DD` from column `index`: the form needlelog
/// writes read directly (lists read thousands), anything else as chrono reads it.
pub(super) fn parse_day(text: &str, index: usize) -> sql::Result<NaiveDate> {
    let b = text.as_bytes();
    let digits = |r: std::ops::Range<usize>| {
        b[r].iter().try_fold(0u32, |n, d| d.is_ascii_digit().then(|| n * 10 + u32::from(d - b'0')))
    };
    if b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && let (Some(y), Some(m), Some(d)) = (digits(0..4), digits(5..7), digits(8..10))
        && let Some(day) = i32::try_from(y).ok().and_then(|y| NaiveDate::from_ymd_opt(y, m, d))
    {
        return Ok(day);
    }
    text.parse::<NaiveDate>().map_err(|e| bad_column(index, e))
}

/// Reads a keyed enum column, turning an unknown key into a conversion error.
pub(super) fn parse_key<T: std::str::FromStr<Err = String>>(row: &Row<'_>, index: usize) -> sql::Result<T> {
    // Read in place: lists parse thousands of rows.
    row.get_ref(index)?.as_str()?.parse::<T>().map_err(|e| bad_column(index, e))
}

/// The void kept in three columns from `index` on (`voided_at, voided_by,
/// void_reason`): none when the first is NULL.
pub(super) fn void_at(row: &Row<'_>, index: usize) -> sql::Result<Option<crate::domain::Void>> {
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
pub(super) fn bad_column(index: usize, e: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> sql::Error {
    rusqlite::Error::FromSqlConversionFailure(index, rusqlite::types::Type::Text, e.into()).into()
}

#[cfg(test)]
mod tests {
    use super::parse_day;
    use chrono::NaiveDate;

    #[test]
    fn days_read_as_chrono_reads_them() {
        for text in ["2026-11-24", "1999-02-28", "2024-02-29", "0001-01-01", "9999-12-31"] {
            assert_eq!(parse_day(text, 0).ok(), text.parse::<NaiveDate>().ok(), "{text}");
        }
        // Not days: refused as chrono refuses them, whatever the path.
        for text in ["2026-02-30", "2026-13-01", "2026-1-01", "2026/11/24", "26-11-24", "", "2026-11-2x", "+2026-11-24"]
        {
            assert_eq!(parse_day(text, 0).is_ok(), text.parse::<NaiveDate>().is_ok(), "{text}");
        }
        assert!(parse_day("2026-02-30", 0).is_err());
    }
}
