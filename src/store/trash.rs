//! The trash: a deleted session goes here whole — every column, its depths, ticks
//! and "seen" marks — in the same transaction that removes it, and comes back from
//! here under its own id. Nothing in the trash counts anywhere else (windows,
//! exports, reports); `doctor` counts it. Entries older than the kept days are
//! emptied at the day's first write.

use super::prelude::*;
use chrono::{DateTime, Utc};
use rusqlite::types::Value;
use rusqlite::{OptionalExtension, Transaction, params, params_from_iter};
use serde::{Deserialize, Serialize};

use super::records::{TrashItem, TrashStore};
use super::row::{instant_text, parse_instant};
use super::{Result, Store, StoreError};

/// A session as it was, column by column.
#[derive(Serialize, Deserialize)]
struct Trashed {
    columns: Vec<(String, serde_json::Value)>,
    depths: Vec<(String, f64)>,
    ticks: Vec<(String, String)>,
    seen: Vec<(String, String)>,
    /// Its adverse events (none in entries from before they existed).
    #[serde(default)]
    events: Vec<crate::domain::AdverseEvent>,
    /// Its recovery diary (likewise).
    #[serde(default)]
    diary: Vec<crate::domain::DiaryEntry>,
    /// Its photo records (the pictures stay in the store while the trash holds them).
    #[serde(default)]
    photos: Vec<TrashedPhoto>,
}

/// A photo record in the trash.
#[derive(Serialize, Deserialize)]
struct TrashedPhoto {
    id: i64,
    hash: String,
    format: crate::domain::PhotoFormat,
    area: Option<String>,
    taken: chrono::NaiveDateTime,
    original_name: String,
}

fn to_json(v: Value) -> serde_json::Value {
    match v {
        Value::Null => serde_json::Value::Null,
        Value::Integer(i) => i.into(),
        Value::Real(r) => r.into(),
        Value::Text(t) => t.into(),
        Value::Blob(b) => b.into(),
    }
}

fn from_json(v: &serde_json::Value) -> Value {
    match v {
        serde_json::Value::Null => Value::Null,
        serde_json::Value::Bool(b) => Value::Integer(i64::from(*b)),
        serde_json::Value::Number(n) => {
            n.as_i64().map_or_else(|| Value::Real(n.as_f64().unwrap_or(0.0)), Value::Integer)
        }
        serde_json::Value::String(s) => Value::Text(s.clone()),
        other => Value::Text(other.to_string()),
    }
}

fn pairs(tx: &Transaction<'_>, sql: &str, id: i64) -> rusqlite::Result<Vec<(String, String)>> {
    let mut stmt = tx.prepare(sql)?;
    let rows = stmt.query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?;
    rows.collect()
}

fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<TrashItem> {
    Ok(TrashItem {
        id: r.get(0)?,
        kind: r.get(1)?,
        record_id: r.get(2)?,
        course_id: r.get(3)?,
        at: parse_instant(&r.get::<_, String>(4)?, 4)?,
        deleted_at: parse_instant(&r.get::<_, String>(5)?, 5)?,
    })
}

const ITEM: &str = "SELECT id, kind, record_id, course_id, at_utc, deleted_at FROM trash";

impl TrashStore for Store {
    fn remove_session(&mut self, id: i64, now: DateTime<Utc>) -> Result<TrashItem> {
        // Read first: an unreadable session says so (doctor --fix) instead of vanishing.
        self.session(id)?;
        self.write(|tx| {
            let mut stmt = tx.prepare("SELECT * FROM sessions WHERE id = ?1")?;
            let names: Vec<String> = stmt.column_names().map(String::from).collect();
            let found = stmt
                .query_row([id], |r| {
                    (0..names.len()).map(|i| r.get::<_, Value>(i)).collect::<rusqlite::Result<Vec<_>>>()
                })
                .optional()?;
            let Some(values) = found else { return Err(StoreError::NotFound { what: "session", id: id.to_string() }) };
            let column = |name: &str| names.iter().position(|n| n == name).map(|i| values[i].clone());
            let course_id = match column("course_id") {
                Some(Value::Integer(c)) => c,
                _ => 0,
            };
            let at = match column("at_utc") {
                Some(Value::Text(t)) => t,
                _ => String::new(),
            };
            let mut depths_stmt = tx.prepare("SELECT area, depth_mm FROM session_depths WHERE session_id = ?1")?;
            let depths =
                depths_stmt.query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<_>>()?;
            let trashed = Trashed {
                columns: names.iter().cloned().zip(values.into_iter().map(to_json)).collect(),
                depths,
                ticks: pairs(tx, "SELECT item_id, ticked_at FROM checklist_ticks WHERE session_id = ?1", id)?,
                seen: pairs(tx, "SELECT item_id, seen_at FROM checklist_seen WHERE session_id = ?1", id)?,
                events: super::query_for_ids(
                    tx,
                    "SELECT id FROM adverse_events WHERE session_id IN ({ids})",
                    &[id],
                    |r| r.get::<_, i64>(0),
                )?
                .into_iter()
                .map(|event_id| event_in(tx, event_id))
                .collect::<Result<Vec<_>>>()?,
                diary: super::query_for_ids(
                    tx,
                    &format!("SELECT {} FROM recovery_diary WHERE session_id IN ({{ids}})", super::diary::COLUMNS),
                    &[id],
                    super::diary::from_row,
                )?,
                photos: super::photos::photos_in(tx, &[id])?
                    .into_iter()
                    .map(|p| TrashedPhoto {
                        id: p.id,
                        hash: p.hash,
                        format: p.format,
                        area: p.area,
                        taken: p.taken,
                        original_name: p.original_name,
                    })
                    .collect(),
            };
            let payload = serde_json::to_string(&trashed).map_err(|e| StoreError::Invalid(e.to_string()))?;
            tx.execute(
                "INSERT INTO trash (kind, record_id, course_id, at_utc, deleted_at, payload) \
                 VALUES ('session', ?1, ?2, ?3, ?4, ?5)",
                params![id, course_id, at, instant_text(now), payload],
            )?;
            let trash_id = tx.last_insert_rowid();
            tx.execute("DELETE FROM sessions WHERE id = ?1", [id])?;
            Ok(tx.query_row(&format!("{ITEM} WHERE id = ?1"), [trash_id], from_row)?)
        })
    }

    fn trash(&self) -> Result<Vec<TrashItem>> {
        self.read(|c| {
            let mut stmt = c.prepare_cached(&format!("{ITEM} ORDER BY id DESC"))?;
            let rows = stmt.query_map([], from_row)?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        })
    }

    fn restore_from_trash(&mut self, trash_id: i64) -> Result<TrashItem> {
        self.write(|tx| {
            let item = tx
                .query_row(&format!("{ITEM} WHERE id = ?1"), [trash_id], from_row)
                .optional()?
                .ok_or(StoreError::NotFound { what: "trash entry", id: trash_id.to_string() })?;
            let payload: String = tx.query_row("SELECT payload FROM trash WHERE id = ?1", [trash_id], |r| r.get(0))?;
            let trashed: Trashed = serde_json::from_str(&payload)
                .map_err(|e| StoreError::Invalid(format!("trash entry {trash_id} cannot be read: {e}")))?;
            let exists: bool =
                tx.query_row("SELECT EXISTS(SELECT 1 FROM courses WHERE id = ?1)", [item.course_id], |r| r.get(0))?;
            if !exists {
                return Err(StoreError::Invalid(format!(
                    "session {} belonged to course {}, which is gone: nothing restored",
                    item.record_id, item.course_id
                )));
            }
            let names: Vec<&str> = trashed.columns.iter().map(|(n, _)| n.as_str()).collect();
            let marks: Vec<String> = (1..=names.len()).map(|i| format!("?{i}")).collect();
            let sql = format!("INSERT INTO sessions ({}) VALUES ({})", names.join(", "), marks.join(", "));
            tx.execute(&sql, params_from_iter(trashed.columns.iter().map(|(_, v)| from_json(v))))?;
            let sid = item.record_id;
            for (area, mm) in &trashed.depths {
                tx.execute(
                    "INSERT INTO session_depths (session_id, area, depth_mm) VALUES (?1, ?2, ?3)",
                    params![sid, area, mm],
                )?;
            }
            for (item_id, at) in &trashed.ticks {
                tx.execute(
                    "INSERT INTO checklist_ticks (session_id, item_id, ticked_at) VALUES (?1, ?2, ?3)",
                    params![sid, item_id, at],
                )?;
            }
            for (item_id, at) in &trashed.seen {
                tx.execute(
                    "INSERT INTO checklist_seen (session_id, item_id, seen_at) VALUES (?1, ?2, ?3)",
                    params![sid, item_id, at],
                )?;
            }
            for event in &trashed.events {
                super::events::insert_event(tx, event, Some(event.id))?;
            }
            for entry in &trashed.diary {
                super::diary::put_entry(tx, entry)?;
            }
            for p in trashed.photos {
                let free: bool =
                    tx.query_row("SELECT NOT EXISTS(SELECT 1 FROM session_photos WHERE id = ?1)", [p.id], |r| {
                        r.get(0)
                    })?;
                let photo = crate::domain::Photo {
                    id: p.id,
                    session_id: sid,
                    hash: p.hash,
                    format: p.format,
                    area: p.area,
                    taken: p.taken,
                    original_name: p.original_name,
                };
                super::photos::insert_photo(tx, &photo, free.then_some(photo.id))?;
            }
            tx.execute("DELETE FROM trash WHERE id = ?1", [trash_id])?;
            Ok(item)
        })
    }

    fn empty_trash(&mut self, before: Option<DateTime<Utc>>) -> Result<usize> {
        let cutoff = before.map_or_else(|| "9999".to_string(), instant_text);
        self.write(|tx| Ok(tx.execute("DELETE FROM trash WHERE deleted_at < ?1", [cutoff])?))
    }
}

/// One adverse event, read inside a transaction.
fn event_in(tx: &Transaction<'_>, id: i64) -> Result<crate::domain::AdverseEvent> {
    let sql = format!("SELECT {} FROM adverse_events WHERE id = ?1", super::events::COLUMNS);
    Ok(tx.query_row(&sql, [id], super::events::from_row)?)
}
