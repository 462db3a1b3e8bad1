//! Rows of `sessions` and `session_depths`.

use std::collections::HashMap;

use super::sql::{self, Connection, OptionalExtension, Row, params};
use chrono::{DateTime, Utc};

use super::records::{LotUse, SessionFilter, SessionStore};
use super::row::{bad_column, instant_text, parse_instant, parse_key};
use super::{Result, Store, StoreError, query_for_ids};
use crate::domain::{AreaDepth, Session, SessionStatus};

const FIELDS: &str = "course_id, at_utc, utc_offset, status, device, passes, serum, lot, numbing, pain, reaction, \
                      rating, provider, notes, screening, device_model, voided_at, voided_by, void_reason";
const PLACEHOLDERS: &str = "?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20";

fn from_row(row: &Row<'_>) -> sql::Result<Session> {
    let reaction: Option<String> = row.get(11)?;
    let screening: Option<String> = row.get(15)?;
    let void = super::row::void_at(row, 17)?;
    Ok(Session {
        id: row.get(0)?,
        course_id: row.get(1)?,
        at: parse_instant(&row.get::<_, String>(2)?, 2)?,
        utc_offset_s: row.get(3)?,
        // A voided session's row keeps the status it had (done) beside the void.
        status: if void.is_some() { SessionStatus::Voided } else { parse_key(row, 4)? },
        device: parse_key(row, 5)?,
        depths: None,
        passes: row.get(6)?,
        serum: row.get(7)?,
        lot: row.get(8)?,
        numbing: row.get(9)?,
        pain: row.get(10)?,
        reaction: reaction.map(|r| r.parse()).transpose().map_err(|e: String| bad_column(11, e))?,
        rating: row.get(12)?,
        provider: row.get(13)?,
        notes: row.get(14)?,
        screening: screening.map(|t| serde_json::from_str(&t)).transpose().map_err(|e| bad_column(15, e))?,
        device_model: row.get(16)?,
        void,
        revision: row.get(20)?,
    })
}

/// True for the errors a row's own values cause (rather than the file's or SQL's).
fn unreadable_value(e: &sql::Error) -> bool {
    matches!(
        e.file(),
        Some(
            rusqlite::Error::FromSqlConversionFailure(..)
                | rusqlite::Error::IntegralValueOutOfRange(..)
                | rusqlite::Error::InvalidColumnType(..)
        )
    )
}

impl SessionStore for Store {
    fn session(&self, id: i64) -> Result<Session> {
        let sql = format!("SELECT id, {FIELDS}, revision FROM sessions WHERE id = ?1");
        let found = self.read(|c| {
            let Some(read) = c.query_row(&sql, [id], |r| self.readable(r)).optional()? else {
                return Ok(None);
            };
            let Some(mut session) = read else {
                let why = self.skipped.borrow_mut().pop().unwrap_or_default();
                return Err(StoreError::Invalid(why.replace("was left out", "cannot be opened")));
            };
            attach_depths(c, std::slice::from_mut(&mut session))?;
            Ok(Some(session))
        })?;
        found.ok_or(StoreError::NotFound { what: "session", id: id.to_string() })
    }

    fn sessions(&self, filter: SessionFilter) -> Result<Vec<Session>> {
        let mut all = Vec::new();
        self.each_session(filter, &mut |chunk| {
            all.extend_from_slice(chunk);
            Ok(super::records::Flow::Continue(()))
        })?;
        Ok(all)
    }

    fn each_session(
        &self,
        filter: SessionFilter,
        each: &mut dyn FnMut(&[Session]) -> Result<super::records::Flow>,
    ) -> Result<()> {
        use rusqlite::types::Value;
        // Each condition written out only when given, so the indexes by course,
        // time and lot serve it.
        let mut conditions: Vec<&str> = Vec::new();
        let mut values: Vec<Value> = Vec::new();
        let mut add = |condition: &'static str, value: Value| {
            conditions.push(condition);
            values.push(value);
        };
        if let Some(id) = filter.course_id {
            add("course_id = ?", Value::Integer(id));
        }
        if let Some(id) = filter.person_id {
            add("course_id IN (SELECT id FROM courses WHERE person_id = ?)", Value::Integer(id));
        }
        if let Some(at) = filter.since {
            add("at_utc >= ?", Value::Text(instant_text(at)));
        }
        if let Some(at) = filter.until {
            add("at_utc < ?", Value::Text(instant_text(at)));
        }
        if let Some(lot) = &filter.lot {
            add("lot = ? COLLATE NOCASE", Value::Text(lot.trim().to_string()));
        }
        if let Some(serum) = &filter.serum {
            add("instr(lower(serum), lower(?)) > 0", Value::Text(serum.trim().to_string()));
        }
        if let Some(area) = &filter.area {
            add(
                "id IN (SELECT session_id FROM session_depths WHERE area = ? COLLATE NOCASE)",
                Value::Text(area.trim().to_string()),
            );
        }
        match filter.status {
            Some(SessionStatus::Voided) => add("status = ? AND voided_at IS NOT NULL", Value::Text("done".into())),
            Some(status) => add("status = ? AND voided_at IS NULL", Value::Text(status.key().to_string())),
            None if !filter.with_voided => conditions.push("voided_at IS NULL"),
            None => {}
        }
        values.push(Value::Integer(filter.limit.map_or(i64::MAX, i64::from)));
        let condition = if conditions.is_empty() { "1 = 1".to_string() } else { conditions.join(" AND ") };
        let order = match filter.order {
            super::records::SessionOrder::NewestFirst => "at_utc DESC, id DESC",
            super::records::SessionOrder::OldestFirst => "at_utc, id",
            super::records::SessionOrder::ById => "id",
        };
        let sql = format!("SELECT id, {FIELDS}, revision FROM sessions WHERE {condition} ORDER BY {order} LIMIT ?");
        // One read throughout (on a server, the rows then come from a cursor).
        self.consistent(|| {
            self.read(|c| {
                let mut stmt = c.prepare_cached(&sql)?;
                let mut rows = stmt.query(sql::params_from_iter(values))?;
                // Handed on a chunk at a time, each with its depths: a million sessions
                // never sit in memory at once.
                let mut chunk: Vec<Session> = Vec::with_capacity(CHUNK);
                loop {
                    let row = rows.next()?;
                    if let Some(row) = &row
                        && let Some(session) = self.readable(row)?
                    {
                        chunk.push(session);
                    }
                    if chunk.len() == CHUNK || (row.is_none() && !chunk.is_empty()) {
                        attach_depths(c, &mut chunk)?;
                        if each(&chunk)?.is_break() {
                            return Ok(());
                        }
                        chunk.clear();
                    }
                    if row.is_none() {
                        return Ok(());
                    }
                }
            })
        })
    }

    fn bookings_between(&self, since: DateTime<Utc>, until: DateTime<Utc>) -> Result<Vec<(i64, i64)>> {
        // A planned session is never voided (a void course's bookings are
        // cancelled): the index holds all that is asked.
        self.read(|c| {
            let mut stmt = c.prepare_cached(
                "SELECT id, course_id FROM sessions INDEXED BY sessions_by_time \
                 WHERE at_utc >= ?1 AND at_utc < ?2 AND status = 'planned' ORDER BY at_utc, id",
            )?;
            let rows =
                stmt.query_map(params![instant_text(since), instant_text(until)], |r| Ok((r.get(0)?, r.get(1)?)))?;
            Ok(rows.collect::<sql::Result<_>>()?)
        })
    }

    fn lots(&self) -> Result<Vec<LotUse>> {
        self.read(|c| {
            let mut stmt = c.prepare_cached(
                "SELECT max(lot), coalesce(serum, ''), count(*), min(at_utc), max(at_utc) FROM sessions \
                 WHERE lot IS NOT NULL AND trim(lot) <> '' AND status = 'done' AND voided_at IS NULL \
                 GROUP BY lot COLLATE NOCASE, serum ORDER BY max(at_utc) DESC, max(lot)",
            )?;
            let rows = stmt.query_map([], |r| {
                Ok(LotUse {
                    lot: r.get(0)?,
                    serum: r.get(1)?,
                    sessions: r.get(2)?,
                    first: parse_instant(&r.get::<_, String>(3)?, 3)?,
                    last: parse_instant(&r.get::<_, String>(4)?, 4)?,
                })
            })?;
            Ok(rows.collect::<sql::Result<Vec<_>>>()?)
        })
    }

    fn sessions_of(&self, course_ids: &[i64]) -> Result<Vec<Session>> {
        let sql = format!(
            "SELECT id, {FIELDS}, revision FROM sessions WHERE course_id IN ({{ids}}) ORDER BY course_id, at_utc, id"
        );
        let rows = self.read(|c| Ok(query_for_ids(c, &sql, course_ids, |r| self.readable(r))?))?;
        Ok(rows.into_iter().flatten().collect())
    }

    fn sessions_by_ids(&self, ids: &[i64]) -> Result<Vec<Session>> {
        let mut ids = ids.to_vec();
        ids.sort_unstable();
        ids.dedup();
        let sql = format!("SELECT id, {FIELDS}, revision FROM sessions WHERE id IN ({{ids}}) ORDER BY id");
        let rows = self.read(|c| Ok(query_for_ids(c, &sql, &ids, |r| self.readable(r))?))?;
        Ok(rows.into_iter().flatten().collect())
    }

    fn sessions_of_since(&self, course_ids: &[i64], since: DateTime<Utc>) -> Result<Vec<Session>> {
        let sql = format!(
            "SELECT id, {FIELDS}, revision FROM sessions WHERE course_id IN ({{ids}}) AND at_utc >= '{}' \
             ORDER BY course_id, at_utc, id",
            instant_text(since)
        );
        let rows = self.read(|c| Ok(query_for_ids(c, &sql, course_ids, |r| self.readable(r))?))?;
        Ok(rows.into_iter().flatten().collect())
    }

    fn session_times_of(&self, course_ids: &[i64]) -> Result<Vec<Session>> {
        let sql = "SELECT id, course_id, at_utc, utc_offset, status, device, voided_at FROM sessions \
                   WHERE course_id IN ({ids})";
        let rows = self.read(|c| {
            Ok(query_for_ids(c, sql, course_ids, |r| {
                let read = || -> sql::Result<Session> {
                    // A voided one is known as such (who and why are not read here).
                    let voided = r.get_ref(6)?.as_str_or_null()?.is_some();
                    let status = if voided { SessionStatus::Voided } else { parse_key(r, 4)? };
                    let mut s = Session::new(
                        r.get(1)?,
                        parse_instant(&r.get::<_, String>(2)?, 2)?,
                        r.get(3)?,
                        status,
                        parse_key(r, 5)?,
                    );
                    s.id = r.get(0)?;
                    Ok(s)
                };
                match read() {
                    Err(e) if unreadable_value(&e) => {
                        let id: i64 = r.get(0)?;
                        self.skip(format!(
                            "session {id} was left out: its time, status or device cannot be read; \
                             needlelog doctor --fix mends the file"
                        ));
                        Ok(None)
                    }
                    other => other.map(Some),
                }
            })?)
        })?;
        Ok(rows.into_iter().flatten().collect())
    }

    fn fill_depths(&self, sessions: &mut [Session]) -> Result<()> {
        self.read(|c| attach_depths(c, sessions))
    }

    fn add_session(&mut self, session: &Session) -> Result<i64> {
        self.add_session_with_photos(session, &[]).map(|(id, _)| id)
    }

    fn add_session_with_photos(
        &mut self,
        session: &Session,
        photos: &[crate::domain::Photo],
    ) -> Result<(i64, Vec<i64>)> {
        let stamp = self.stamped()?;
        self.write(|tx| {
            let id = insert_session(tx, session, None)?;
            stamp.note(tx, ("session", id), "added", "", format!("{} {}", session.status, instant_text(session.at)))?;
            let photo_ids = photos
                .iter()
                .map(|p| {
                    let mine = crate::domain::Photo { course_id: session.course_id, session_id: Some(id), ..p.clone() };
                    super::photos::insert_photo(tx, &mine, None)
                })
                .collect::<Result<Vec<_>>>()?;
            Ok((id, photo_ids))
        })
    }
}

impl Store {
    /// Reads a session row, or notes it as left out when a value cannot be read.
    fn readable(&self, row: &Row<'_>) -> sql::Result<Option<Session>> {
        match from_row(row) {
            Ok(s) => Ok(Some(s)),
            Err(e) if unreadable_value(&e) => {
                let id: i64 = row.get(0)?;
                let column = match e.file() {
                    Some(rusqlite::Error::FromSqlConversionFailure(i, ..))
                    | Some(rusqlite::Error::IntegralValueOutOfRange(i, _))
                    | Some(rusqlite::Error::InvalidColumnType(i, ..)) => *i,
                    _ => 0,
                };
                let name = std::iter::once("id").chain(FIELDS.split(", ")).chain(["revision"]).nth(column);
                self.skip(format!(
                    "session {id} was left out: its {} cannot be read; needlelog doctor --fix mends the file",
                    name.unwrap_or("row")
                ));
                Ok(None)
            }
            Err(e) => Err(e),
        }
    }
}

/// Inserts a session and its depths, with `id` when given; returns the id. A
/// session read without its depths is refused: they would be lost.
pub(super) fn insert_session(tx: &Connection, session: &Session, id: Option<i64>) -> Result<i64> {
    let Some(depths) = &session.depths else {
        return Err(StoreError::Invalid(format!("session {}: its depths were not read; nothing saved", session.id)));
    };
    let sql = format!("INSERT INTO sessions (id, {FIELDS}) VALUES (?1, {PLACEHOLDERS})");
    execute(tx, &sql, id, session)?;
    let id = match id {
        Some(id) => id,
        None => tx.last_insert_rowid()?,
    };
    insert_depths(tx, id, depths)?;
    Ok(id)
}

/// Runs an insert or update whose `?1` is the id and `?2..` the fields in `FIELDS` order.
fn execute(tx: &Connection, sql: &str, id: Option<i64>, s: &Session) -> Result<usize> {
    // Every field named: a new one does not build until it has its column here.
    let Session {
        id: _, // `id`, given apart (None: the next)
        course_id,
        at,
        utc_offset_s,
        status,
        device,
        device_model,
        depths: _, // their own table: `insert_depths`
        passes,
        serum,
        lot,
        numbing,
        pain,
        reaction,
        rating,
        provider,
        screening: _, // as `screening_text`
        notes,
        void,
        revision: _, // kept by the store's writes
    } = s;
    let (voided_at, voided_by, void_reason) = super::row::void_columns(void.as_ref());
    Ok(tx.prepare_cached(sql)?.execute(params![
        id,
        course_id,
        instant_text(*at),
        utc_offset_s,
        row_status(*status),
        device.key(),
        passes,
        serum,
        lot,
        numbing,
        pain,
        reaction.map(|r| r.key()),
        rating,
        provider,
        notes,
        screening_text(s),
        device_model,
        voided_at,
        voided_by,
        void_reason,
    ])?)
}

/// The status a session's row holds: a voided one keeps `done` (it was done), its
/// void beside it.
fn row_status(status: SessionStatus) -> &'static str {
    match status {
        SessionStatus::Voided => SessionStatus::Done.key(),
        other => other.key(),
    }
}

/// A session's fields as columns, for saving an edit field by field (and the
/// trail's words for them). Every field named, as in `execute`.
pub(super) fn columns(s: &Session) -> Vec<super::row::Column> {
    use rusqlite::types::Value;
    let Session {
        id: _,
        course_id: _, // a session does not move between courses
        at,
        utc_offset_s,
        status,
        device,
        device_model,
        depths: _, // compared apart: `Store::save_session_edit`
        passes,
        serum,
        lot,
        numbing,
        pain,
        reaction,
        rating,
        provider,
        screening: _, // as `screening_text`
        notes,
        void: _, // written by a void and a restore, never by an edit
        revision: _,
    } = s;
    let text = |v: &Option<String>| v.clone().map_or(Value::Null, Value::Text);
    let int = |v: Option<i64>| v.map_or(Value::Null, Value::Integer);
    vec![
        ("when", "at_utc", Value::Text(instant_text(*at))),
        ("when", "utc_offset", Value::Integer(i64::from(*utc_offset_s))),
        ("status", "status", Value::Text(row_status(*status).into())),
        ("device", "device", Value::Text(device.key().into())),
        ("passes", "passes", int(passes.map(i64::from))),
        ("serum", "serum", text(serum)),
        ("lot", "lot", text(lot)),
        ("numbing", "numbing", text(numbing)),
        ("pain", "pain", int(pain.map(i64::from))),
        ("redness", "reaction", text(&reaction.map(|r| r.key().to_string()))),
        ("skin", "rating", int(rating.map(i64::from))),
        ("provider", "provider", text(provider)),
        ("notes", "notes", Value::Text(notes.clone())),
        ("screening", "screening", screening_text(s).map_or(Value::Null, Value::Text)),
        ("model", "device_model", text(device_model)),
    ]
}

/// How the screening answers are stored: a JSON list, or NULL when none were asked.
fn screening_text(s: &Session) -> Option<String> {
    s.screening.as_ref().map(|ids| serde_json::to_string(ids).unwrap_or_else(|_| "[]".into()))
}

/// The depths stored for one session, by area.
/// Session `id` as this file has it, with its depths (none when it has none).
pub(super) fn session_here(c: &Connection, id: i64) -> Result<Option<Session>> {
    let sql = format!("SELECT id, {FIELDS}, revision FROM sessions WHERE id = ?1");
    let Some(mut session) = c.prepare_cached(&sql)?.query_row([id], from_row).optional()? else { return Ok(None) };
    session.depths = Some(depths_of(c, id)?);
    Ok(Some(session))
}

pub(super) fn depths_of(c: &Connection, session_id: i64) -> Result<Vec<AreaDepth>> {
    let mut stmt = c.prepare_cached("SELECT area, depth_mm FROM session_depths WHERE session_id = ?1 ORDER BY area")?;
    let rows = stmt.query_map([session_id], |r| Ok(AreaDepth { area: r.get(0)?, mm: r.get(1)? }))?;
    Ok(rows.collect::<sql::Result<_>>()?)
}

/// Replaces one session's depths.
pub(super) fn replace_depths(tx: &Connection, session_id: i64, depths: &[AreaDepth]) -> Result<()> {
    tx.execute("DELETE FROM session_depths WHERE session_id = ?1", [session_id])?;
    insert_depths(tx, session_id, depths)
}

fn insert_depths(tx: &Connection, session_id: i64, depths: &[AreaDepth]) -> Result<()> {
    let mut stmt = tx.prepare_cached("INSERT INTO session_depths (session_id, area, depth_mm) VALUES (?1, ?2, ?3)")?;
    for d in depths {
        stmt.execute(params![session_id, d.area, d.mm])?;
    }
    Ok(())
}

/// Fills in `depths` for each session, in as few queries as the list allows.
/// How many sessions a streamed read hands on at once.
const CHUNK: usize = 1024;

pub(super) fn attach_depths(c: &Connection, sessions: &mut [Session]) -> Result<()> {
    let ids: Vec<i64> = sessions.iter().map(|s| s.id).collect();
    let sql = "SELECT session_id, area, depth_mm FROM session_depths WHERE session_id IN ({ids})";
    let rows =
        query_for_ids(c, sql, &ids, |r| Ok((r.get::<_, i64>(0)?, AreaDepth { area: r.get(1)?, mm: r.get(2)? })))?;
    let mut by_id: HashMap<i64, Vec<AreaDepth>> = HashMap::new();
    for (id, depth) in rows {
        by_id.entry(id).or_default().push(depth);
    }
    for s in sessions {
        s.depths = Some(by_id.remove(&s.id).unwrap_or_default());
    }
    Ok(())
}
