//! Rows of `edit_trail`: each change to a field of a stored session, course or
//! person, written in the same transaction as the change (see `edit::merge`). The
//! table only grows: triggers refuse updates and deletes.

use chrono::{DateTime, Utc};
use rusqlite::{Row, Transaction, params};

use super::records::TrailStore;
use super::row::{instant_text, parse_instant};
use super::{Result, Store};
use crate::domain::Edit;

fn from_row(row: &Row<'_>) -> rusqlite::Result<Edit> {
    Ok(Edit {
        kind: row.get(0)?,
        record_id: row.get(1)?,
        field: row.get(2)?,
        old: row.get(3)?,
        new: row.get(4)?,
        at: parse_instant(&row.get::<_, String>(5)?, 5)?,
        source: row.get(6)?,
    })
}

const COLUMNS: &str = "kind, record_id, field, old, new, at_utc, source";

/// Appends one change to the trail.
pub(super) fn append(tx: &Transaction<'_>, edit: &Edit) -> Result<()> {
    tx.prepare_cached(&format!("INSERT INTO edit_trail ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"))?.execute(
        params![edit.kind, edit.record_id, edit.field, edit.old, edit.new, instant_text(edit.at), edit.source],
    )?;
    Ok(())
}

impl TrailStore for Store {
    fn set_source(&mut self, source: &'static str) {
        self.source = source;
    }

    fn set_clock(&mut self, now: DateTime<Utc>) {
        self.clock = Some(now);
    }

    fn edits_of(&self, kind: &str, record_id: i64) -> Result<Vec<Edit>> {
        self.read(|c| {
            let mut stmt = c.prepare_cached(&format!(
                "SELECT {COLUMNS} FROM edit_trail WHERE kind = ?1 AND record_id = ?2 ORDER BY id"
            ))?;
            let rows = stmt.query_map(params![kind, record_id], from_row)?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        })
    }

    fn edits_of_sessions(&self, session_ids: &[i64]) -> Result<Vec<Edit>> {
        let sql =
            format!("SELECT {COLUMNS} FROM edit_trail WHERE kind = 'session' AND record_id IN ({{ids}}) ORDER BY id");
        self.read(|c| Ok(super::query_for_ids(c, &sql, session_ids, from_row)?))
    }

    fn edits(&self) -> Result<Vec<Edit>> {
        self.read(|c| {
            let mut stmt = c.prepare_cached(&format!("SELECT {COLUMNS} FROM edit_trail ORDER BY id"))?;
            let rows = stmt.query_map([], from_row)?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        })
    }
}

impl Store {
    /// The moment a change is written at: the front end's clock, else the
    /// system's.
    pub(super) fn stamp(&self) -> DateTime<Utc> {
        self.clock.or_else(|| self.care.as_ref().map(|care| care.now)).unwrap_or_else(Utc::now)
    }
}
