//! Rows of `edit_trail`: each change to a record — a field of a session, course
//! or person, an event, consent, a diary page, a photo, a tick, a void, a
//! restore, an import — written in the same transaction as the change, saying
//! who made it and from where. The table only grows: triggers refuse updates and
//! deletes.

use super::sql::{self, Connection, OptionalExtension, Row, params};
use chrono::{DateTime, Utc};

use super::records::{TrailFilter, TrailStore};
use super::row::{instant_text, parse_instant};
use super::{Result, Store};
use crate::domain::Edit;

fn from_row(row: &Row<'_>) -> sql::Result<Edit> {
    Ok(Edit {
        kind: row.get(0)?,
        record_id: row.get(1)?,
        field: row.get(2)?,
        old: row.get(3)?,
        new: row.get(4)?,
        at: parse_instant(&row.get::<_, String>(5)?, 5)?,
        source: row.get(6)?,
        by: row.get(7)?,
    })
}

const COLUMNS: &str = "kind, record_id, field, old, new, at_utc, source, by";

/// Appends one change to the trail.
pub(super) fn append(tx: &Connection, edit: &Edit) -> Result<()> {
    tx.prepare_cached(&format!("INSERT INTO edit_trail ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"))?
        .execute(params![
            edit.kind,
            edit.record_id,
            edit.field,
            edit.old,
            edit.new,
            instant_text(edit.at),
            edit.source,
            edit.by
        ])?;
    Ok(())
}

/// When a change is made, from where and by whom: taken before its transaction,
/// written with each of its trail rows.
#[derive(Debug, Clone)]
pub(super) struct Stamp {
    pub at: DateTime<Utc>,
    pub source: &'static str,
    pub by: String,
}

impl Stamp {
    /// Appends one change to `kind` `record_id`'s trail.
    pub(super) fn note(
        &self,
        tx: &Connection,
        (kind, record_id): (&str, i64),
        field: &str,
        old: impl Into<String>,
        new: impl Into<String>,
    ) -> Result<()> {
        append(
            tx,
            &Edit {
                kind: kind.to_string(),
                record_id,
                field: field.to_string(),
                old: old.into(),
                new: new.into(),
                at: self.at,
                source: self.source.to_string(),
                by: self.by.clone(),
            },
        )
    }
}

/// The settings row naming the practitioner whose file it is.
pub(super) const PRACTITIONER: &str = "practitioner_name";

impl TrailStore for Store {
    fn set_source(&mut self, source: &'static str) {
        self.source = source;
    }

    fn set_clock(&mut self, now: DateTime<Utc>) {
        self.clock = Some(now);
    }

    fn set_login(&mut self, login: &str) {
        self.login = login.to_string();
    }

    fn practitioner(&self) -> Result<Option<String>> {
        let key = self.practitioner_key();
        self.read(|c| Ok(c.query_row("SELECT value FROM settings WHERE key = ?1", [&key], |r| r.get(0)).optional()?))
    }

    fn set_practitioner(&mut self, name: &str) -> Result<()> {
        let name = super::people::checked_name(name)?;
        let stamp = self.stamped()?;
        let before = self.practitioner()?.unwrap_or_default();
        let key = self.practitioner_key();
        self.write(|tx| {
            tx.execute(super::settings::PUT, params![key, name])?;
            stamp.note(tx, ("file", 0), "practitioner", before, name.as_str())
        })
    }

    fn trail(&self, filter: TrailFilter) -> Result<Vec<Edit>> {
        // A person's trail: the person, their courses, those courses' sessions
        // and what hangs off them (events, photos, diary pages, ticks), by the
        // record each row names.
        let mut sql = format!("SELECT {COLUMNS} FROM edit_trail");
        let mut ids: Vec<i64> = Vec::new();
        if let Some(session) = filter.session_id {
            sql.push_str(
                " WHERE (kind IN ('session', 'diary', 'tick', 'photo', 'void') AND record_id = ?1) \
                  OR (kind = 'event' AND record_id IN (SELECT id FROM adverse_events WHERE session_id = ?1))",
            );
            ids.push(session);
        } else if let Some(person) = filter.person_id {
            sql.push_str(
                " WHERE (kind = 'person' AND record_id = ?1) \
                  OR (kind IN ('course', 'consent', 'recall', 'course-void') \
                      AND record_id IN (SELECT id FROM courses WHERE person_id = ?1)) \
                  OR (kind IN ('session', 'diary', 'tick', 'photo', 'void') AND record_id IN \
                      (SELECT s.id FROM sessions s JOIN courses c ON c.id = s.course_id WHERE c.person_id = ?1)) \
                  OR (kind = 'event' AND record_id IN (SELECT e.id FROM adverse_events e \
                      JOIN sessions s ON s.id = e.session_id JOIN courses c ON c.id = s.course_id \
                      WHERE c.person_id = ?1))",
            );
            ids.push(person);
        }
        sql.push_str(" ORDER BY id");
        self.read(|c| {
            let mut stmt = c.prepare_cached(&sql)?;
            let rows = stmt.query_map(sql::params_from_iter(ids), from_row)?;
            Ok(rows.collect::<sql::Result<_>>()?)
        })
    }

    fn edits_of(&self, kind: &str, record_id: i64) -> Result<Vec<Edit>> {
        self.read(|c| {
            let mut stmt = c.prepare_cached(&format!(
                "SELECT {COLUMNS} FROM edit_trail WHERE kind = ?1 AND record_id = ?2 ORDER BY id"
            ))?;
            let rows = stmt.query_map(params![kind, record_id], from_row)?;
            Ok(rows.collect::<sql::Result<_>>()?)
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
            Ok(rows.collect::<sql::Result<_>>()?)
        })
    }
}

impl Store {
    /// The moment a change is written at: the front end's clock, else the
    /// system's.
    pub(super) fn stamp(&self) -> DateTime<Utc> {
        self.clock.or_else(|| self.care.as_ref().map(|care| care.now)).unwrap_or_else(Utc::now)
    }

    /// When, from where and by whom a change is made: the file's practitioner,
    /// else the login name the front end gave.
    /// Where the practitioner's name is kept: a file has one; on a server each
    /// practitioner connects as a role of their own, and each role has its name.
    fn practitioner_key(&self) -> String {
        match self.conn.server_role() {
            Some(role) => format!("{PRACTITIONER}:{role}"),
            None => PRACTITIONER.to_string(),
        }
    }

    pub(super) fn stamped(&self) -> Result<Stamp> {
        let by = self.practitioner()?.unwrap_or_else(|| self.login.clone());
        Ok(Stamp { at: self.stamp(), source: self.source, by })
    }
}
