//! Rows of `adverse_events`: what happened after a session beyond the expected
//! redness, recorded by a practitioner.

use super::prelude::*;
use chrono::NaiveDate;
use rusqlite::{OptionalExtension, Row, Transaction, params};

use super::records::EventStore;
use super::row::bad_column;
use super::{Result, Store, StoreError, query_for_ids};
use crate::domain::AdverseEvent;

pub(super) const COLUMNS: &str = "id, session_id, kind, noticed_on, severity, notes, resolved_on";

pub(super) fn from_row(row: &Row<'_>) -> rusqlite::Result<AdverseEvent> {
    let day = |i: usize, text: String| text.parse::<NaiveDate>().map_err(|e| bad_column(i, e));
    Ok(AdverseEvent {
        id: row.get(0)?,
        session_id: row.get(1)?,
        kind: row.get(2)?,
        noticed_on: day(3, row.get(3)?)?,
        severity: row.get(4)?,
        notes: row.get(5)?,
        resolved_on: row.get::<_, Option<String>>(6)?.map(|t| day(6, t)).transpose()?,
    })
}

/// Writes one event (under `id` when given and free).
pub(super) fn insert_event(tx: &Transaction<'_>, e: &AdverseEvent, id: Option<i64>) -> Result<i64> {
    tx.prepare_cached(
        "INSERT INTO adverse_events (id, session_id, kind, noticed_on, severity, notes, resolved_on) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        id,
        e.session_id,
        e.kind,
        e.noticed_on.to_string(),
        e.severity,
        e.notes,
        e.resolved_on.map(|d| d.to_string())
    ])?;
    Ok(tx.last_insert_rowid())
}

impl EventStore for Store {
    fn add_event(&mut self, event: &AdverseEvent) -> Result<i64> {
        self.session(event.session_id)?;
        self.write(|tx| insert_event(tx, event, None))
    }

    fn resolve_event(&mut self, id: i64, day: NaiveDate) -> Result<AdverseEvent> {
        let event = self.event(id)?;
        if day < event.noticed_on {
            return Err(StoreError::Invalid(format!(
                "resolved {day} is before event {id} was noticed ({})",
                event.noticed_on
            )));
        }
        self.write(|tx| {
            tx.execute("UPDATE adverse_events SET resolved_on = ?2 WHERE id = ?1", params![id, day.to_string()])?;
            Ok(())
        })?;
        Ok(AdverseEvent { resolved_on: Some(day), ..event })
    }

    fn event(&self, id: i64) -> Result<AdverseEvent> {
        self.read(|c| {
            Ok(c.query_row(&format!("SELECT {COLUMNS} FROM adverse_events WHERE id = ?1"), [id], from_row)
                .optional()?)
        })?
        .ok_or(StoreError::NotFound { what: "adverse event", id: id.to_string() })
    }

    fn events(&self, open_only: bool) -> Result<Vec<AdverseEvent>> {
        let filter = if open_only { "WHERE resolved_on IS NULL" } else { "" };
        self.read(|c| {
            let mut stmt =
                c.prepare(&format!("SELECT {COLUMNS} FROM adverse_events {filter} ORDER BY noticed_on DESC, id DESC"))?;
            let rows = stmt.query_map([], from_row)?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        })
    }

    fn events_of_sessions(&self, session_ids: &[i64]) -> Result<Vec<AdverseEvent>> {
        let sql = format!("SELECT {COLUMNS} FROM adverse_events WHERE session_id IN ({{ids}}) ORDER BY noticed_on, id");
        self.read(|c| Ok(query_for_ids(c, &sql, session_ids, from_row)?))
    }
}
