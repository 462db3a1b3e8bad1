//! Rows of `recovery_diary`: how the skin was on the days after a session.

use super::prelude::*;
use super::sql::{self, Connection, Row, params};

use super::records::DiaryStore;
use super::{Result, Store, StoreError, query_for_ids};
use crate::domain::DiaryEntry;

pub(super) const COLUMNS: &str = "session_id, day, redness, swelling, flaking, tightness, note";

pub(super) fn from_row(row: &Row<'_>) -> sql::Result<DiaryEntry> {
    Ok(DiaryEntry {
        session_id: row.get(0)?,
        day: row.get(1)?,
        redness: row.get(2)?,
        swelling: row.get(3)?,
        flaking: row.get(4)?,
        tightness: row.get(5)?,
        note: row.get(6)?,
    })
}

/// Writes one entry, replacing the one for the same session and day.
pub(super) fn put_entry(tx: &Connection, e: &DiaryEntry) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO recovery_diary (session_id, day, redness, swelling, flaking, tightness, note) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (session_id, day) DO UPDATE SET \
         redness = excluded.redness, swelling = excluded.swelling, flaking = excluded.flaking, \
         tightness = excluded.tightness, note = excluded.note",
    )?
    .execute(params![e.session_id, e.day, e.redness, e.swelling, e.flaking, e.tightness, e.note])?;
    Ok(())
}

impl DiaryStore for Store {
    fn note_diary(&mut self, entry: &DiaryEntry) -> Result<DiaryEntry> {
        let session = self.session(entry.session_id)?;
        if !session.is_done() {
            return Err(StoreError::Invalid(format!(
                "session #{} is {}: a recovery diary follows a session that was done",
                session.id, session.status
            )));
        }
        crate::domain::validate::check_diary(entry).map_err(|e| StoreError::Invalid(e.message))?;
        let before = self.diary_of(&[entry.session_id])?.into_iter().find(|e| e.day == entry.day);
        let kept = match before {
            Some(b) => DiaryEntry {
                redness: entry.redness.or(b.redness),
                swelling: entry.swelling.or(b.swelling),
                flaking: entry.flaking.or(b.flaking),
                tightness: entry.tightness.or(b.tightness),
                note: if entry.note.is_empty() { b.note } else { entry.note.clone() },
                ..entry.clone()
            },
            None => entry.clone(),
        };
        let stamp = self.stamped()?;
        self.write(|tx| {
            put_entry(tx, &kept)?;
            let signs = [
                ("redness", kept.redness),
                ("swelling", kept.swelling),
                ("flaking", kept.flaking),
                ("tightness", kept.tightness),
            ];
            let mut said: Vec<String> =
                signs.iter().filter_map(|(name, v)| Some(format!("{name} {}", (*v)?))).collect();
            if !kept.note.is_empty() {
                said.push(kept.note.clone());
            }
            stamp.note(tx, ("diary", kept.session_id), &format!("day {}", kept.day), "", said.join(", "))
        })?;
        Ok(kept)
    }

    fn diary_of(&self, session_ids: &[i64]) -> Result<Vec<DiaryEntry>> {
        let sql =
            format!("SELECT {COLUMNS} FROM recovery_diary WHERE session_id IN ({{ids}}) ORDER BY session_id, day");
        self.read(|c| Ok(query_for_ids(c, &sql, session_ids, from_row)?))
    }

    fn diary(&self) -> Result<Vec<DiaryEntry>> {
        self.read(|c| {
            let mut stmt = c.prepare(&format!("SELECT {COLUMNS} FROM recovery_diary ORDER BY session_id, day"))?;
            let rows = stmt.query_map([], from_row)?;
            Ok(rows.collect::<sql::Result<_>>()?)
        })
    }
}
