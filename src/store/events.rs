//! Rows of `adverse_events`: what happened after a session beyond the expected
//! redness, recorded by a practitioner.

use super::prelude::*;
use super::sql::{self, Connection, OptionalExtension, Row, params};
use chrono::NaiveDate;

use super::records::EventStore;
use super::row::{void_at, void_columns};
use super::{Result, Store, StoreError, query_for_ids};
use crate::domain::AdverseEvent;

pub(super) const COLUMNS: &str =
    "id, session_id, kind, noticed_on, severity, notes, resolved_on, voided_at, voided_by, void_reason";

pub(super) fn from_row(row: &Row<'_>) -> sql::Result<AdverseEvent> {
    let day = |i: usize, text: String| super::row::parse_day(&text, i);
    Ok(AdverseEvent {
        id: row.get(0)?,
        session_id: row.get(1)?,
        kind: row.get(2)?,
        noticed_on: day(3, row.get(3)?)?,
        severity: row.get(4)?,
        notes: row.get(5)?,
        resolved_on: row.get::<_, Option<String>>(6)?.map(|t| day(6, t)).transpose()?,
        void: void_at(row, 7)?,
    })
}

/// Writes one event (under `id` when given and free).
pub(super) fn insert_event(tx: &Connection, e: &AdverseEvent, id: Option<i64>) -> Result<i64> {
    let (voided_at, voided_by, void_reason) = void_columns(e.void.as_ref());
    tx.prepare_cached(
        "INSERT INTO adverse_events (id, session_id, kind, noticed_on, severity, notes, resolved_on, \
         voided_at, voided_by, void_reason) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?
    .execute(params![
        id,
        e.session_id,
        e.kind,
        e.noticed_on.to_string(),
        e.severity,
        e.notes,
        e.resolved_on.map(|d| d.to_string()),
        voided_at,
        voided_by,
        void_reason
    ])?;
    id.map_or_else(|| Ok(tx.last_insert_rowid()?), Ok)
}

/// An event's fields as the trail names them, with their values in words.
fn fields(e: &AdverseEvent) -> [(&'static str, String); 5] {
    let AdverseEvent { id: _, session_id: _, kind, noticed_on, severity, notes, resolved_on, void: _ } = e;
    [
        ("kind", kind.clone()),
        ("noticed", noticed_on.to_string()),
        ("severity", severity.to_string()),
        ("notes", notes.clone()),
        ("resolved", resolved_on.map_or_else(|| "–".to_string(), |d| d.to_string())),
    ]
}

impl Store {
    /// The session an event is (or is to be) recorded against, checked: done,
    /// and the event noticed from its day up to `today`.
    fn checked_against_session(&self, event: &AdverseEvent, today: NaiveDate) -> Result<()> {
        let session = self.session(event.session_id)?;
        crate::domain::validate::check_event_timing(event, &session, today).map_err(|e| StoreError::Invalid(e.message))
    }
}

impl EventStore for Store {
    fn add_event(&mut self, event: &AdverseEvent, today: NaiveDate) -> Result<i64> {
        self.checked_against_session(event, today)?;
        let stamp = self.stamped()?;
        self.write(|tx| {
            let id = insert_event(tx, &AdverseEvent { void: None, ..event.clone() }, None)?;
            let said = fields(event).map(|(field, value)| format!("{field} {value}")).join(", ");
            stamp.note(tx, ("event", id), "recorded", "", format!("on session {}: {said}", event.session_id))?;
            Ok(id)
        })
    }

    fn edit_event(&mut self, edited: &AdverseEvent, today: NaiveDate) -> Result<AdverseEvent> {
        let base = self.event(edited.id)?;
        if base.void.is_some() {
            return Err(StoreError::Invalid(format!("event {} is voided: it can no longer be changed", base.id)));
        }
        let edited = AdverseEvent { session_id: base.session_id, void: None, ..edited.clone() };
        self.checked_against_session(&edited, today)?;
        let stamp = self.stamped()?;
        self.write(|tx| {
            tx.execute(
                "UPDATE adverse_events SET kind = ?2, noticed_on = ?3, severity = ?4, notes = ?5, resolved_on = ?6 \
                 WHERE id = ?1",
                params![
                    edited.id,
                    edited.kind,
                    edited.noticed_on.to_string(),
                    edited.severity,
                    edited.notes,
                    edited.resolved_on.map(|d| d.to_string())
                ],
            )?;
            for ((field, old), (_, new)) in fields(&base).into_iter().zip(fields(&edited)) {
                if old != new {
                    stamp.note(tx, ("event", edited.id), field, old, new)?;
                }
            }
            Ok(())
        })?;
        Ok(edited)
    }

    fn void_event(&mut self, id: i64, reason: &str) -> Result<AdverseEvent> {
        let event = self.event(id)?;
        if event.void.is_some() {
            return Err(StoreError::Invalid(format!("event {id} is voided already")));
        }
        let reason = checked_reason(reason)?;
        let stamp = self.stamped()?;
        let void = crate::domain::Void { at: stamp.at, by: stamp.by.clone(), reason: reason.clone() };
        self.write(|tx| {
            let (at, by, why) = void_columns(Some(&void));
            tx.execute(
                "UPDATE adverse_events SET voided_at = ?2, voided_by = ?3, void_reason = ?4 WHERE id = ?1",
                params![id, at, by, why],
            )?;
            stamp.note(tx, ("event", id), "voided", "", reason.as_str())
        })?;
        Ok(AdverseEvent { void: Some(void), ..event })
    }

    fn resolve_event(&mut self, id: i64, day: NaiveDate) -> Result<AdverseEvent> {
        let event = self.event(id)?;
        if event.void.is_some() {
            return Err(StoreError::Invalid(format!("event {id} is voided: it can no longer be changed")));
        }
        if day < event.noticed_on {
            return Err(StoreError::Invalid(format!(
                "resolved {day} is before event {id} was noticed ({})",
                event.noticed_on
            )));
        }
        let stamp = self.stamped()?;
        self.write(|tx| {
            tx.execute("UPDATE adverse_events SET resolved_on = ?2 WHERE id = ?1", params![id, day.to_string()])?;
            let before = event.resolved_on.map_or_else(|| "–".to_string(), |d| d.to_string());
            stamp.note(tx, ("event", id), "resolved", before, day.to_string())
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
        let filter = if open_only { "WHERE resolved_on IS NULL AND voided_at IS NULL" } else { "" };
        self.read(|c| {
            let mut stmt =
                c.prepare(&format!("SELECT {COLUMNS} FROM adverse_events {filter} ORDER BY noticed_on DESC, id DESC"))?;
            let rows = stmt.query_map([], from_row)?;
            Ok(rows.collect::<sql::Result<_>>()?)
        })
    }

    fn events_of_sessions(&self, session_ids: &[i64]) -> Result<Vec<AdverseEvent>> {
        let sql = format!("SELECT {COLUMNS} FROM adverse_events WHERE session_id IN ({{ids}}) ORDER BY noticed_on, id");
        self.read(|c| Ok(query_for_ids(c, &sql, session_ids, from_row)?))
    }

    fn events_of_courses(&self, course_ids: &[i64]) -> Result<Vec<(i64, AdverseEvent)>> {
        let columns: Vec<String> = COLUMNS.split(", ").map(|c| format!("e.{c}")).collect();
        let sql = format!(
            "SELECT {}, s.course_id FROM adverse_events e JOIN sessions s ON s.id = e.session_id \
             WHERE s.course_id IN ({{ids}}) ORDER BY e.noticed_on, e.id",
            columns.join(", ")
        );
        let last = columns.len();
        self.read(|c| Ok(query_for_ids(c, &sql, course_ids, |r| Ok((r.get(last)?, from_row(r)?)))?))
    }
}

/// A reason for a void, as it will be kept: one line, not blank.
pub(super) fn checked_reason(reason: &str) -> Result<String> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(StoreError::Invalid("say why it is voided (--reason \"…\"): the record keeps it".into()));
    }
    crate::domain::validate::check_line("a reason", reason).map_err(|e| StoreError::Invalid(e.message))?;
    Ok(reason.to_string())
}
