//! The trash: a deleted planned or cancelled session goes here whole — every
//! column, its depths, ticks and "seen" marks — in the same transaction that
//! removes it, and comes back from here under its own id. A done session is never
//! removed: it is voided (it stays on its row, with who, when and why) and the
//! trash lists the void, so that `trash restore` brings it back the same way; a
//! voided course likewise. Nothing in the trash counts anywhere else (windows,
//! exports, reports); `doctor` counts it. Entries older than the kept days are
//! emptied at the day's first write — never those holding clinical records (a
//! void, a done session or an event trashed by an older needlelog): only
//! `trash empty` on a patient's own file removes those.

use super::prelude::*;
use super::sql::{self, Connection, OptionalExtension, params, params_from_iter};
use chrono::{DateTime, Utc};
use rusqlite::types::Value;
use serde::{Deserialize, Serialize};

use super::records::{TrashItem, TrashStore};
use super::row::{instant_text, parse_instant, void_columns};
use super::{Result, Store, StoreError};
use crate::domain::{Session, SessionStatus, Void};

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

fn pairs(tx: &Connection, sql: &str, id: i64) -> sql::Result<Vec<(String, String)>> {
    let mut stmt = tx.prepare(sql)?;
    let rows = stmt.query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?;
    rows.collect()
}

fn from_row(r: &sql::Row<'_>) -> sql::Result<TrashItem> {
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

/// The trash entry of a voided session.
const VOID: &str = "void";
/// The trash entry of a voided course.
const COURSE_VOID: &str = "course-void";

/// What a voided course's entry keeps: the sessions voided and cancelled with it.
#[derive(Serialize, Deserialize, Default)]
struct CourseVoid {
    voided: Vec<i64>,
    cancelled: Vec<i64>,
}

impl TrashStore for Store {
    fn remove_session(&mut self, id: i64, reason: &str, now: DateTime<Utc>) -> Result<TrashItem> {
        // Read first: an unreadable session says so (doctor --fix) instead of vanishing.
        let session = self.session(id)?;
        match session.status {
            SessionStatus::Done => return self.void_session(&session, reason, now),
            SessionStatus::Voided => {
                return Err(StoreError::Invalid(format!("session {id} is voided already (needlelog trash lists it)")));
            }
            SessionStatus::Planned | SessionStatus::Cancelled => {}
        }
        let stamp = self.stamped()?;
        self.write(|tx| {
            let mut stmt = tx.prepare("SELECT * FROM sessions WHERE id = ?1")?;
            let names: Vec<String> = stmt.column_names();
            let found = stmt
                .query_row([id], |r| (0..names.len()).map(|i| r.get::<_, Value>(i)).collect::<sql::Result<Vec<_>>>())
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
            let depths = depths_stmt.query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<sql::Result<_>>()?;
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
            let trash_id = tx.last_insert_rowid()?;
            tx.execute("DELETE FROM sessions WHERE id = ?1", [id])?;
            stamp.note(tx, ("session", id), "deleted", at.as_str(), "in the trash")?;
            Ok(tx.query_row(&format!("{ITEM} WHERE id = ?1"), [trash_id], from_row)?)
        })
    }

    fn void_course(&mut self, id: i64, reason: &str, now: DateTime<Utc>) -> Result<TrashItem> {
        let course = self.course(id)?;
        if course.void.is_some() {
            return Err(StoreError::Invalid(format!("course {id} is voided already (needlelog trash lists it)")));
        }
        let reason = super::events::checked_reason(reason)?;
        let stamp = self.stamped()?;
        let (at, by, why) = void_columns(Some(&Void { at: stamp.at, by: stamp.by.clone(), reason: reason.clone() }));
        self.write(|tx| {
            let ids = |sql: &str| -> sql::Result<Vec<i64>> {
                let mut stmt = tx.prepare(sql)?;
                let rows = stmt.query_map([id], |r| r.get(0))?;
                rows.collect()
            };
            let undo = CourseVoid {
                voided: ids("SELECT id FROM sessions WHERE course_id = ?1 AND status = 'done' AND voided_at IS NULL")?,
                cancelled: ids("SELECT id FROM sessions WHERE course_id = ?1 AND status = 'planned'")?,
            };
            tx.execute(
                "UPDATE courses SET voided_at = ?2, voided_by = ?3, void_reason = ?4 WHERE id = ?1",
                params![id, at, by, why],
            )?;
            for session in &undo.voided {
                tx.execute(
                    "UPDATE sessions SET voided_at = ?2, voided_by = ?3, void_reason = ?4 WHERE id = ?1",
                    params![session, at, by, why],
                )?;
                stamp.note(tx, ("session", *session), "voided", "", format!("with course {id}: {reason}"))?;
            }
            for session in &undo.cancelled {
                tx.execute("UPDATE sessions SET status = 'cancelled' WHERE id = ?1", [session])?;
                stamp.note(tx, ("session", *session), "status", "planned", format!("cancelled with course {id}"))?;
            }
            stamp.note(tx, ("course", id), "voided", "", reason.as_str())?;
            let payload = serde_json::to_string(&undo).map_err(|e| StoreError::Invalid(e.to_string()))?;
            tx.execute(
                "INSERT INTO trash (kind, record_id, course_id, at_utc, deleted_at, payload, clinical) \
                 VALUES (?1, ?2, ?2, ?3, ?4, ?5, 1)",
                params![COURSE_VOID, id, format!("{}T00:00:00Z", course.started_on), instant_text(now), payload],
            )?;
            let trash_id = tx.last_insert_rowid()?;
            Ok(tx.query_row(&format!("{ITEM} WHERE id = ?1"), [trash_id], from_row)?)
        })
    }

    fn trash(&self) -> Result<Vec<TrashItem>> {
        self.read(|c| {
            let mut stmt = c.prepare_cached(&format!("{ITEM} ORDER BY id DESC"))?;
            let rows = stmt.query_map([], from_row)?;
            Ok(rows.collect::<sql::Result<_>>()?)
        })
    }

    fn restore_from_trash(&mut self, trash_id: i64) -> Result<TrashItem> {
        let stamp = self.stamped()?;
        self.write(|tx| {
            let item = tx
                .query_row(&format!("{ITEM} WHERE id = ?1"), [trash_id], from_row)
                .optional()?
                .ok_or(StoreError::NotFound { what: "trash entry", id: trash_id.to_string() })?;
            if item.kind == VOID {
                tx.execute(
                    "UPDATE sessions SET voided_at = NULL, voided_by = NULL, void_reason = NULL WHERE id = ?1",
                    [item.record_id],
                )?;
                tx.execute("DELETE FROM trash WHERE id = ?1", [trash_id])?;
                stamp.note(tx, ("session", item.record_id), "restored", "voided", "done")?;
                return Ok(item);
            }
            if item.kind == COURSE_VOID {
                let payload: String =
                    tx.query_row("SELECT payload FROM trash WHERE id = ?1", [trash_id], |r| r.get(0))?;
                let undo: CourseVoid = serde_json::from_str(&payload).unwrap_or_default();
                tx.execute(
                    "UPDATE courses SET voided_at = NULL, voided_by = NULL, void_reason = NULL WHERE id = ?1",
                    [item.record_id],
                )?;
                for session in &undo.voided {
                    tx.execute(
                        "UPDATE sessions SET voided_at = NULL, voided_by = NULL, void_reason = NULL WHERE id = ?1",
                        [session],
                    )?;
                    stamp.note(tx, ("session", *session), "restored", "voided", "done")?;
                }
                for session in &undo.cancelled {
                    tx.execute(
                        "UPDATE sessions SET status = 'planned' WHERE id = ?1 AND status = 'cancelled'",
                        [session],
                    )?;
                    stamp.note(tx, ("session", *session), "status", "cancelled", "planned")?;
                }
                tx.execute("DELETE FROM trash WHERE id = ?1", [trash_id])?;
                stamp.note(tx, ("course", item.record_id), "restored", "voided", "")?;
                return Ok(item);
            }
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
                    course_id: item.course_id,
                    session_id: Some(sid),
                    hash: p.hash,
                    format: p.format,
                    area: p.area,
                    taken: p.taken,
                    original_name: p.original_name,
                };
                super::photos::insert_photo(tx, &photo, free.then_some(photo.id))?;
            }
            tx.execute("DELETE FROM trash WHERE id = ?1", [trash_id])?;
            stamp.note(tx, ("session", sid), "restored", "in the trash", item.at.to_rfc3339())?;
            Ok(item)
        })
    }

    fn trash_counts(&self) -> Result<(usize, usize)> {
        self.read(|c| {
            Ok(c.query_row(
                "SELECT count(*) - coalesce(sum(clinical), 0), coalesce(sum(clinical), 0) FROM trash",
                [],
                |r| Ok((r.get::<_, i64>(0)? as usize, r.get::<_, i64>(1)? as usize)),
            )?)
        })
    }

    fn empty_trash(&mut self, before: Option<DateTime<Utc>>, clinical_too: bool) -> Result<usize> {
        let cutoff = before.map_or_else(|| "9999".to_string(), instant_text);
        let stamp = self.stamped()?;
        self.write(|tx| {
            let mut gone = tx.execute("DELETE FROM trash WHERE deleted_at < ?1 AND clinical = 0", [&cutoff])?;
            if clinical_too {
                // A void's record goes with its entry (its events, diary and
                // photo records with it); a voided course's sessions too.
                let mut stmt = tx
                    .prepare("SELECT id, kind, record_id, payload FROM trash WHERE deleted_at < ?1 AND clinical = 1")?;
                let entries: Vec<(i64, String, i64, String)> = stmt
                    .query_map([&cutoff], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
                    .collect::<sql::Result<_>>()?;
                drop(stmt);
                for (entry, kind, record, payload) in entries {
                    if kind == VOID {
                        tx.execute("DELETE FROM sessions WHERE id = ?1 AND voided_at IS NOT NULL", [record])?;
                    } else if kind == COURSE_VOID {
                        let undo: CourseVoid = serde_json::from_str(&payload).unwrap_or_default();
                        for session in undo.voided {
                            tx.execute("DELETE FROM sessions WHERE id = ?1 AND voided_at IS NOT NULL", [session])?;
                        }
                    }
                    tx.execute("DELETE FROM trash WHERE id = ?1", [entry])?;
                    stamp.note(tx, (kind.as_str(), record), "purged", "in the trash", "gone for good")?;
                    gone += 1;
                }
            }
            Ok(gone)
        })
    }
}

impl Store {
    /// Voids a done session: it stays on its row with who, when and why, counts
    /// nowhere, and the trash lists the void for `trash restore`.
    fn void_session(&mut self, session: &Session, reason: &str, now: DateTime<Utc>) -> Result<TrashItem> {
        let reason = reason.trim();
        if !reason.is_empty() {
            crate::domain::validate::check_line("a reason", reason).map_err(|e| StoreError::Invalid(e.message))?;
        }
        let stamp = self.stamped()?;
        let void = Void { at: stamp.at, by: stamp.by.clone(), reason: reason.to_string() };
        let (at, by, why) = void_columns(Some(&void));
        let id = session.id;
        self.write(|tx| {
            tx.execute(
                "UPDATE sessions SET voided_at = ?2, voided_by = ?3, void_reason = ?4 WHERE id = ?1",
                params![id, at, by, why],
            )?;
            tx.execute(
                "INSERT INTO trash (kind, record_id, course_id, at_utc, deleted_at, payload, clinical) \
                 VALUES (?1, ?2, ?3, ?4, ?5, '{}', 1)",
                params![VOID, id, session.course_id, instant_text(session.at), instant_text(now)],
            )?;
            let trash_id = tx.last_insert_rowid()?;
            stamp.note(
                tx,
                ("session", id),
                "voided",
                "done",
                if reason.is_empty() { "no reason given" } else { reason },
            )?;
            Ok(tx.query_row(&format!("{ITEM} WHERE id = ?1"), [trash_id], from_row)?)
        })
    }
}

/// One adverse event, read inside a transaction.
fn event_in(tx: &Connection, id: i64) -> Result<crate::domain::AdverseEvent> {
    let sql = format!("SELECT {} FROM adverse_events WHERE id = ?1", super::events::COLUMNS);
    Ok(tx.query_row(&sql, [id], super::events::from_row)?)
}
