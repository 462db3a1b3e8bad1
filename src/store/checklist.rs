//! Rows of `checklist_ticks` and `custom_items`.

use super::sql::{self, Connection, Row, params};
use chrono::{DateTime, Utc};

use super::records::{ChecklistStore, SettingStore};
use super::row::{instant_text, parse_instant, parse_key};
use super::{Result, Store, StoreError, each_for_ids, query_for_ids, rows_with_keys};
use crate::domain::{CustomItem, Tick};

pub(super) fn custom_from_row(row: &Row<'_>) -> sql::Result<CustomItem> {
    Ok(CustomItem {
        id: row.get(0)?,
        course_id: row.get(1)?,
        phase: parse_key(row, 2)?,
        text: row.get(3)?,
        from_hours: row.get(4)?,
        to_hours: row.get(5)?,
    })
}

impl ChecklistStore for Store {
    fn ticks_of(&self, session_ids: &[i64]) -> Result<Vec<Tick>> {
        let sql = "SELECT session_id, item_id, ticked_at FROM checklist_ticks WHERE session_id IN ({ids}) \
                   ORDER BY session_id, item_id";
        self.read(|c| {
            Ok(query_for_ids(c, sql, session_ids, |r| {
                Ok(Tick {
                    session_id: r.get(0)?,
                    item_id: r.get(1)?,
                    ticked_at: parse_instant(&r.get::<_, String>(2)?, 2)?,
                })
            })?)
        })
    }

    fn each_tick(&self, session_ids: &[i64], each: &mut dyn FnMut(i64, &str)) -> Result<()> {
        let sql = "SELECT session_id, item_id FROM checklist_ticks WHERE session_id IN ({ids})";
        self.each_mark(sql, session_ids, each)
    }

    fn each_seen(&self, session_ids: &[i64], each: &mut dyn FnMut(i64, &str)) -> Result<()> {
        let sql = "SELECT session_id, item_id FROM checklist_seen WHERE session_id IN ({ids})";
        self.each_mark(sql, session_ids, each)
    }

    fn set_tick(&mut self, session_id: i64, item_id: &str, done: bool, now: DateTime<Utc>) -> Result<()> {
        // On a practitioner's file a tick is part of the record: the trail has it.
        let stamp = (self.file_kind()? == crate::domain::FileKind::Practitioner).then(|| self.stamped()).transpose()?;
        self.write(|tx| {
            if let Some(stamp) = &stamp {
                let (old, new) = if done { ("", "ticked") } else { ("ticked", "") };
                stamp.note(tx, ("tick", session_id), item_id, old, new)?;
            }
            let exists: bool =
                tx.query_row("SELECT EXISTS(SELECT 1 FROM sessions WHERE id = ?1)", [session_id], |r| r.get(0))?;
            if !exists {
                return Err(StoreError::NotFound { what: "session", id: session_id.to_string() });
            }
            if done {
                insert_tick(tx, &Tick { session_id, item_id: item_id.to_string(), ticked_at: now })
            } else {
                tx.execute(
                    "DELETE FROM checklist_ticks WHERE session_id = ?1 AND item_id = ?2",
                    params![session_id, item_id],
                )?;
                Ok(())
            }
        })
    }

    fn mark_seen(&mut self, items: &[(i64, String)], now: DateTime<Utc>) -> Result<()> {
        self.write(|tx| {
            let mut stmt = tx.prepare_cached(
                "INSERT INTO checklist_seen (session_id, item_id, seen_at) \
                 SELECT ?1, ?2, ?3 WHERE EXISTS (SELECT 1 FROM sessions WHERE id = ?1) ON CONFLICT DO NOTHING",
            )?;
            for (session_id, item_id) in items {
                stmt.execute(params![session_id, item_id, instant_text(now)])?;
            }
            Ok(())
        })
    }

    fn custom_items(&self, course_id: i64) -> Result<Vec<CustomItem>> {
        self.read(|c| {
            let mut stmt = c.prepare_cached(
                "SELECT id, course_id, phase, text, from_hours, to_hours FROM custom_items WHERE course_id = ?1 ORDER BY id",
            )?;
            let rows = stmt.query_map([course_id], custom_from_row)?;
            Ok(rows.collect::<sql::Result<_>>()?)
        })
    }

    fn custom_items_of(&self, course_ids: &[i64]) -> Result<Vec<CustomItem>> {
        let select = "SELECT id, course_id, phase, text, from_hours, to_hours FROM custom_items";
        self.read(|c| Ok(rows_with_keys(c, select, ("course_id", 1), "ORDER BY id", course_ids, custom_from_row)?))
    }

    fn add_custom_item(&mut self, item: &CustomItem) -> Result<i64> {
        crate::domain::validate::check_custom_item(item).map_err(|e| StoreError::Invalid(e.message))?;
        self.write(|tx| insert_custom_item(tx, item, None))
    }

    fn remove_custom_item(&mut self, id: i64) -> Result<()> {
        self.write(|tx| {
            if tx.execute("DELETE FROM custom_items WHERE id = ?1", [id])? == 0 {
                return Err(StoreError::NotFound { what: "own checklist item", id: id.to_string() });
            }
            Ok(())
        })
    }
}

impl Store {
    fn each_mark(&self, sql: &str, session_ids: &[i64], each: &mut dyn FnMut(i64, &str)) -> Result<()> {
        self.read(|c| {
            Ok(each_for_ids(c, sql, session_ids, |r| {
                each(r.get(0)?, r.get_ref(1)?.as_str()?);
                Ok(())
            })?)
        })
    }
}

pub(super) fn insert_tick(tx: &Connection, tick: &Tick) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO checklist_ticks (session_id, item_id, ticked_at) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING",
    )?
    .execute(params![tick.session_id, tick.item_id, instant_text(tick.ticked_at)])?;
    Ok(())
}

pub(super) fn insert_custom_item(tx: &Connection, item: &CustomItem, id: Option<i64>) -> Result<i64> {
    tx.prepare_cached(
        "INSERT INTO custom_items (id, course_id, phase, text, from_hours, to_hours) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![id, item.course_id, item.phase.key(), item.text, item.from_hours, item.to_hours])?;
    id.map_or_else(|| Ok(tx.last_insert_rowid()?), Ok)
}
