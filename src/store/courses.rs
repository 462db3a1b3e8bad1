//! Rows of `courses`.

use super::sql::{self, Connection, OptionalExtension, Row, params};
use chrono::{DateTime, Utc};

use super::records::{CourseFilter, CourseStore, Standing};
use super::row::{instant_text, parse_instant, parse_key};
use super::{Result, Store, StoreError};
use crate::domain::{Course, DayRange, MonthRange, Session, SessionStatus};

pub(super) fn from_row(row: &Row<'_>) -> sql::Result<Course> {
    let areas: String = row.get(3)?;
    // Held by the thousand in lists: no room kept for more areas than it has.
    let mut areas: Vec<String> = areas.split(',').filter(|a| !a.is_empty()).map(str::to_string).collect();
    areas.shrink_to_fit();
    Ok(Course {
        id: row.get(0)?,
        person_id: row.get(1)?,
        concern: row.get(2)?,
        areas,
        sessions_target: row.get(4)?,
        interval: DayRange { min: row.get(5)?, max: row.get(6)? },
        maintenance: MonthRange { min: row.get(7)?, max: row.get(8)? },
        device: parse_key(row, 9)?,
        status: parse_key(row, 10)?,
        started_on: super::row::parse_day(row.get_ref(11)?.as_str()?, 11)?,
        notes: row.get(12)?,
        final_rating: row.get(13)?,
        place: row.get(14)?,
        void: super::row::void_at(row, 15)?,
        revision: row.get(18)?,
    })
}

/// The `WHERE` condition of `filter`, written out only as far as asked, so the
/// indexes on person and status serve it (`status IN` is the condition of the
/// index that holds the unfinished courses whole).
fn condition(filter: &CourseFilter) -> String {
    let mut conditions = vec!["1 = 1"];
    if !filter.with_voided {
        conditions.push("voided_at IS NULL");
    }
    if filter.person_id.is_some() {
        conditions.push("person_id = ?1");
    }
    if filter.active_only || filter.unfinished_only {
        conditions.push("status IN ('active', 'paused')");
    }
    if filter.active_only {
        conditions.push("status = 'active'");
    }
    conditions.join(" AND ")
}

impl CourseStore for Store {
    fn course(&self, id: i64) -> Result<Course> {
        let sql = format!("SELECT id, {FIELDS}, revision FROM courses WHERE id = ?1");
        self.read(|c| Ok(c.query_row(&sql, [id], from_row).optional()?))?
            .ok_or(StoreError::NotFound { what: "course", id: id.to_string() })
    }

    fn courses_by_ids(&self, ids: &[i64]) -> Result<Vec<Course>> {
        let sql = format!("SELECT id, {FIELDS}, revision FROM courses WHERE id IN ({{ids}}) ORDER BY id");
        self.read(|c| Ok(super::query_for_ids(c, &sql, ids, from_row)?))
    }

    fn courses_standing_by_ids(&self, ids: &[i64]) -> Result<Vec<(Course, Standing)>> {
        let sql = format!("SELECT id, {FIELDS}, revision, {STANDING} FROM courses WHERE id IN ({{ids}}) ORDER BY id");
        self.read(|c| {
            let mut courses = super::query_for_ids(c, &sql, ids, standing_row)?;
            chunk_with_planned(c, &mut courses, None)?;
            Ok(courses)
        })
    }

    fn courses(&self, filter: CourseFilter) -> Result<Vec<Course>> {
        let sql = format!(
            "SELECT id, {FIELDS}, revision FROM courses WHERE {} ORDER BY started_on DESC, id DESC",
            condition(&filter)
        );
        self.read(|c| {
            let mut stmt = c.prepare_cached(&sql)?;
            let rows = stmt.query_map(sql::params_from_iter(filter.person_id), from_row)?;
            Ok(rows.collect::<sql::Result<_>>()?)
        })
    }

    fn courses_standing(&self, filter: CourseFilter) -> Result<Vec<(Course, Standing)>> {
        // The number done and the last one done come from the course's row (kept
        // by triggers), the planned sessions from their own index: one pass over
        // an index that holds the courses whole and one over the planned sessions.
        // Unfinished courses are read from the index that holds them whole. Active
        // ones come out of it in the order they are listed in; active and paused
        // ones together are sorted here, not by SQLite: ten thousand rows would go
        // through a temporary b-tree.
        let running = filter.active_only || filter.unfinished_only;
        let every = filter.person_id.is_none();
        let sql = format!(
            "SELECT id, {FIELDS}, revision, {STANDING} FROM courses {} WHERE {}{}",
            if running && every { "INDEXED BY courses_running" } else { "" },
            condition(&filter),
            if filter.active_only && every { " ORDER BY started_on DESC, id DESC" } else { "" },
        );
        self.read(|c| {
            let mut stmt = c.prepare_cached(&sql)?;
            let rows = stmt.query_map(sql::params_from_iter(filter.person_id), standing_row)?;
            let mut courses: Vec<(Course, Standing)> = rows.collect::<sql::Result<_>>()?;
            list_with_planned(c, &mut courses)?;
            Ok(courses)
        })
    }

    fn each_course_standing(
        &self,
        filter: CourseFilter,
        each: &mut dyn FnMut(Vec<(Course, Standing)>) -> Result<super::records::Flow>,
    ) -> Result<()> {
        const CHUNK: usize = 1024;
        let sql = format!(
            "SELECT id, {FIELDS}, revision, {STANDING} FROM courses WHERE {} ORDER BY started_on DESC, id DESC",
            condition(&filter)
        );
        self.read(|c| {
            let mut stmt = c.prepare(&sql)?;
            let mut rows = stmt.query(sql::params_from_iter(filter.person_id))?;
            let mut chunk: Vec<(Course, Standing)> = Vec::with_capacity(CHUNK);
            loop {
                let row = rows.next()?;
                if let Some(row) = &row {
                    chunk.push(standing_row(row)?);
                }
                if chunk.len() == CHUNK || (row.is_none() && !chunk.is_empty()) {
                    chunk_with_planned(c, &mut chunk, None)?;
                    if each(std::mem::replace(&mut chunk, Vec::with_capacity(CHUNK)))?.is_break() {
                        return Ok(());
                    }
                }
                if row.is_none() {
                    return Ok(());
                }
            }
        })
    }

    fn finished_standing(
        &self,
        since: DateTime<Utc>,
        until: DateTime<Utc>,
        keep: &mut dyn FnMut(&Course, &Standing) -> bool,
        each: &mut dyn FnMut(Vec<(Course, Standing)>) -> Result<()>,
    ) -> Result<()> {
        const CHUNK: usize = 1024;
        // Read from the index of finished courses by when they ended.
        let sql = format!(
            "SELECT id, {FIELDS}, revision, {STANDING} FROM courses INDEXED BY courses_finished \
             WHERE status = 'completed' AND last_done_at >= ?1 AND last_done_at < ?2 AND voided_at IS NULL"
        );
        self.read(|c| {
            // Few finished courses have a booking (a maintenance session): the
            // courses that do are known first, from the index of bookings alone,
            // and only theirs are looked up.
            let booked: std::collections::HashSet<i64> = {
                let mut stmt = c.prepare_cached(
                    "SELECT DISTINCT course_id FROM sessions INDEXED BY sessions_ahead WHERE status = 'planned'",
                )?;
                stmt.query_map([], |r| r.get(0))?.collect::<sql::Result<_>>()?
            };
            let mut stmt = c.prepare_cached(&sql)?;
            let mut rows = stmt.query([instant_text(since), instant_text(until)])?;
            let mut chunk: Vec<(Course, Standing)> = Vec::with_capacity(CHUNK);
            loop {
                let row = rows.next()?;
                if let Some(row) = &row {
                    let (course, standing) = standing_row(row)?;
                    if keep(&course, &standing) {
                        chunk.push((course, standing));
                    }
                }
                if chunk.len() == CHUNK || (row.is_none() && !chunk.is_empty()) {
                    chunk_with_planned(c, &mut chunk, Some(&booked))?;
                    each(std::mem::replace(&mut chunk, Vec::with_capacity(CHUNK)))?;
                }
                if row.is_none() {
                    return Ok(());
                }
            }
        })
    }

    fn course_to_open_on(&self) -> Result<Option<i64>> {
        self.read(|c| {
            let mine: Option<i64> = c
                .query_row(
                    "SELECT c.id FROM courses c JOIN people p ON p.id = c.person_id \
                     WHERE p.name = ?1 AND p.name = ?1 COLLATE BINARY AND c.status = 'active' \
                     AND c.voided_at IS NULL \
                     ORDER BY c.started_on DESC, c.id DESC LIMIT 1",
                    [crate::domain::Person::ME],
                    |r| r.get(0),
                )
                .optional()?;
            if mine.is_some() {
                return Ok(mine);
            }
            // The end of the index of running courses for each status.
            for status in ["active", "paused"] {
                let newest: Option<i64> = c
                    .query_row(
                        "SELECT id FROM courses INDEXED BY courses_running \
                         WHERE status IN ('active', 'paused') AND status = ?1 AND voided_at IS NULL \
                         ORDER BY started_on DESC, id DESC LIMIT 1",
                        [status],
                        |r| r.get(0),
                    )
                    .optional()?;
                if newest.is_some() {
                    return Ok(newest);
                }
            }
            Ok(None)
        })
    }

    fn courses_to_watch(&self, now: DateTime<Utc>, grace_months: u32) -> Result<Vec<Course>> {
        let active =
            format!("SELECT id, {FIELDS}, revision FROM courses WHERE status = 'active' AND voided_at IS NULL");
        let mut courses: Vec<Course> = self.read(|c| {
            let mut stmt = c.prepare_cached(&active)?;
            Ok(stmt.query_map([], from_row)?.collect::<sql::Result<_>>()?)
        })?;
        let since = months_before(now, self.longest_maintenance_months()? + i64::from(grace_months));
        courses.extend(self.finished_courses_between(since, now)?);
        courses.sort_by_key(|c| std::cmp::Reverse((c.started_on, c.id)));
        Ok(courses)
    }

    fn longest_maintenance_months(&self) -> Result<i64> {
        self.read(|c| {
            // The end of the index of finished courses' spacings, not every finished course.
            let longest: i64 = c
                .query_row(
                    "SELECT maintenance_max_months FROM courses INDEXED BY courses_spacing \
                     WHERE status = 'completed' ORDER BY maintenance_max_months DESC LIMIT 1",
                    [],
                    |r| r.get(0),
                )
                .optional()?
                .unwrap_or(0);
            Ok(longest.clamp(0, 1200))
        })
    }

    fn finished_courses_between(&self, since: DateTime<Utc>, until: DateTime<Utc>) -> Result<Vec<Course>> {
        // The recent done sessions, through the index by time, name them: far
        // fewer than all finished courses.
        let finished = format!(
            "SELECT id, {FIELDS}, revision FROM courses WHERE id IN ({{ids}}) AND status = 'completed' \
                     AND voided_at IS NULL"
        );
        self.read(|c| {
            // Named, or SQLite may walk every session by course to find the few recent.
            let mut recent = c.prepare_cached(
                "SELECT course_id FROM sessions INDEXED BY sessions_by_time \
                 WHERE at_utc >= ?1 AND at_utc < ?2 AND status = 'done'",
            )?;
            let mut ids: Vec<i64> = recent
                .query_map([instant_text(since), instant_text(until)], |r| r.get(0))?
                .collect::<sql::Result<_>>()?;
            ids.sort_unstable();
            ids.dedup();
            Ok(super::query_for_ids(c, &finished, &ids, from_row)?)
        })
    }

    fn add_course(&mut self, course: &Course) -> Result<i64> {
        let stamp = self.stamped()?;
        self.write(|tx| {
            insert_course(tx, course, None)?;
            let id = tx.last_insert_rowid()?;
            let said =
                format!("{} on {}, {} sessions", course.concern, course.areas.join(", "), course.sessions_target);
            stamp.note(tx, ("course", id), "added", "", said)?;
            Ok(id)
        })
    }
}

pub(super) const FIELDS: &str = "person_id, concern, areas, sessions_target, interval_min_days, interval_max_days, \
                      maintenance_min_months, maintenance_max_months, device, status, started_on, notes, final_rating, place, \
                      voided_at, voided_by, void_reason";
/// Lets the rows of many sessions go in without the triggers counting each
/// course's done sessions again at every one: until [`recount_done`], in the same
/// transaction (a rollback takes the mark with it).
pub(super) fn hold_recounts(tx: &Connection) -> sql::Result<()> {
    tx.execute(
        "INSERT INTO settings (key, value) VALUES ('bulk-load', '1') ON CONFLICT (key) DO UPDATE SET value = '1'",
        [],
    )?;
    if tx.is_server() {
        // The server's triggers look at the transaction's own mark instead.
        tx.execute_batch("SET LOCAL needlelog.bulk_load = 'on'")?;
    }
    Ok(())
}

/// How a course's row keeps its done sessions: how many, and the last one's id,
/// time, offset and device, voided ones left out — what the triggers of the v22
/// migration write (that step keeps its own copy, as it shipped). `WHERE` picks
/// the rows.
const RECOUNT_DONE: &str = "UPDATE courses SET \
     done_count = (SELECT count(*) FROM sessions \
     WHERE course_id = courses.id AND status = 'done' AND voided_at IS NULL), \
     (last_done_id, last_done_at, last_done_offset, last_done_device) = \
     (SELECT id, at_utc, utc_offset, device FROM sessions \
     WHERE course_id = courses.id AND status = 'done' AND voided_at IS NULL \
     ORDER BY at_utc DESC, id DESC LIMIT 1)";

/// Course `id` as this file has it (none when it has none).
pub(super) fn course_here(c: &Connection, id: i64) -> sql::Result<Option<Course>> {
    let sql = format!("SELECT id, {FIELDS}, revision FROM courses WHERE id = ?1");
    c.prepare_cached(&sql)?.query_row([id], from_row).optional()
}

/// When a course's last main session was, once maintenance sessions follow it
/// (the target-th done, voided ones left out; else none): what the triggers of
/// the v24 migration write, after the count.
/// (SQLite's `OFFSET` cannot name the course: the one with target − 1 before it.)
const RECOUNT_MAIN: &str = "UPDATE courses SET last_main_at = CASE WHEN done_count > sessions_target THEN \
     (SELECT s.at_utc FROM sessions s WHERE s.course_id = courses.id AND s.status = 'done' \
     AND s.voided_at IS NULL AND (SELECT count(*) FROM sessions t WHERE t.course_id = s.course_id \
     AND t.status = 'done' AND t.voided_at IS NULL AND (t.at_utc < s.at_utc OR (t.at_utc = s.at_utc AND t.id < s.id))) \
     = courses.sessions_target - 1) END";

/// Counts the done sessions of `course_ids` and finds the last one and the last
/// main one, as the triggers of the v24 migration do, and lets the triggers count
/// again.
pub(super) fn recount_done(tx: &Connection, course_ids: &[i64]) -> sql::Result<()> {
    tx.execute("DELETE FROM settings WHERE key = 'bulk-load'", [])?;
    if tx.is_server() {
        tx.execute_batch("SET LOCAL needlelog.bulk_load = 'off'")?;
    }
    let mut ids = course_ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    // A thousand courses a statement: what one statement changes is kept aside
    // until it ends (to undo it alone), and all of an import's courses at once
    // would keep tens of megabytes.
    for chunk in ids.chunks(1000) {
        let list = serde_json::to_string(chunk).unwrap_or_else(|_| "[]".into());
        for recount in [RECOUNT_DONE, RECOUNT_MAIN] {
            tx.execute(&format!("{recount} WHERE id IN (SELECT CAST(value AS INTEGER) FROM json_each(?1))"), [&list])?;
        }
    }
    Ok(())
}

/// What a course's row keeps of its done sessions (see the v21, v22 and v24
/// migrations).
const STANDING: &str = "done_count, last_done_id, last_done_at, last_done_offset, last_done_device, last_main_at";

/// Where [`STANDING`] begins in `SELECT id, {FIELDS}, revision, {STANDING}`:
/// after the course's own columns (see the test that counts them).
const STANDING_AT: usize = 19;

/// A course and its last done session, from `SELECT id, {FIELDS}, revision, {STANDING}`.
/// Read by position: a list of thousands of courses looks no name up per row.
fn standing_row(r: &Row<'_>) -> sql::Result<(Course, Standing)> {
    let course = from_row(r)?;
    let at = STANDING_AT;
    let last = match r.get::<_, Option<i64>>(at + 1)? {
        Some(id) => Some(times_only(r, at + 2, id, course.id, SessionStatus::Done)?),
        None => None,
    };
    let last_main = match r.get::<_, Option<String>>(at + 5)? {
        Some(text) => Some(parse_instant(&text, at + 5)?),
        None => None,
    };
    let standing = Standing { done: r.get(at)?, sessions: last.into_iter().collect(), last_main };
    Ok((course, standing))
}

/// A session known only by when and how it happened (depths not loaded), from
/// the columns `at_utc, utc_offset, device` from `first` on.
fn times_only(r: &Row<'_>, first: usize, id: i64, course_id: i64, status: SessionStatus) -> sql::Result<Session> {
    let at = parse_instant(&r.get::<_, String>(first)?, first)?;
    let mut s = Session::new(course_id, at, r.get(first + 1)?, status, parse_key(r, first + 2)?);
    s.id = id;
    s.depths = None;
    Ok(s)
}

/// The planned sessions of a chunk of courses, looked up by course: of every
/// course, or only of those `booked` holds (the courses known to have one).
fn chunk_with_planned(
    c: &Connection,
    courses: &mut [(Course, Standing)],
    booked: Option<&std::collections::HashSet<i64>>,
) -> sql::Result<()> {
    let at: std::collections::HashMap<i64, usize> = courses.iter().enumerate().map(|(i, (c, _))| (c.id, i)).collect();
    let ids: Vec<i64> =
        courses.iter().map(|(c, _)| c.id).filter(|id| booked.is_none_or(|booked| booked.contains(id))).collect();
    let sql = "SELECT id, course_id, at_utc, utc_offset, device FROM sessions INDEXED BY sessions_ahead \
               WHERE status = 'planned' AND course_id IN ({ids}) ORDER BY course_id, at_utc, id";
    super::each_for_ids(c, sql, &ids, |r| {
        if let Some(&i) = at.get(&r.get::<_, i64>(1)?) {
            let session = times_only(r, 2, r.get(0)?, courses[i].0.id, SessionStatus::Planned)?;
            courses[i].1.sessions.push(session);
        }
        Ok(())
    })
}

/// Puts `courses` in the order they are listed in (started last first) and adds
/// their planned sessions to their standings, each oldest first. Few sessions are
/// planned at any time: all are read, ours kept.
fn list_with_planned(c: &Connection, courses: &mut [(Course, Standing)]) -> sql::Result<()> {
    let order = |(c, _): &(Course, Standing)| std::cmp::Reverse((c.started_on, c.id));
    if !courses.is_sorted_by_key(order) {
        courses.sort_unstable_by_key(order);
    }
    let at: std::collections::HashMap<i64, usize> = courses.iter().enumerate().map(|(i, (c, _))| (c.id, i)).collect();
    let mut planned = c.prepare_cached(
        "SELECT id, course_id, at_utc, utc_offset, device FROM sessions INDEXED BY sessions_ahead \
         WHERE status = 'planned'",
    )?;
    let mut rows = planned.query([])?;
    let mut ours: Vec<(usize, Session)> = Vec::new();
    let mut counts = vec![0usize; courses.len()];
    while let Some(r) = rows.next()? {
        let Some(&i) = at.get(&r.get::<_, i64>(1)?) else { continue };
        ours.push((i, times_only(&r, 2, r.get(0)?, courses[i].0.id, SessionStatus::Planned)?));
        counts[i] += 1;
    }
    // Room made once for each course's planned sessions: pushed one by one, a
    // list keeps room for four sessions (a kilobyte), and thousands hold one or two.
    for ((_, standing), &count) in courses.iter_mut().zip(&counts).filter(|(_, count)| **count > 0) {
        standing.sessions.reserve_exact(count);
    }
    for (i, session) in ours {
        courses[i].1.sessions.push(session);
    }
    for ((_, standing), _) in courses.iter_mut().zip(&counts).filter(|(_, count)| **count > 0) {
        standing.sessions.sort_by_key(|s| (s.at, s.id));
    }
    Ok(())
}

const PLACEHOLDERS: &str = "?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18";

/// A course's fields as columns, for saving an edit field by field.
pub(super) fn columns(course: &Course) -> Vec<super::row::Column> {
    use rusqlite::types::Value;
    // Every field named: a new one does not build until it has its column here.
    let Course {
        id: _,
        person_id,
        concern,
        areas,
        sessions_target,
        interval,
        maintenance,
        device,
        status,
        started_on,
        notes,
        place,
        final_rating,
        void: _,     // written by a void and a restore, never by an edit
        revision: _, // kept by the store's writes
    } = course;
    let int = |v: u32| Value::Integer(i64::from(v));
    vec![
        ("person", "person_id", Value::Integer(*person_id)),
        ("concern", "concern", Value::Text(concern.clone())),
        ("areas", "areas", Value::Text(areas.join(","))),
        ("sessions", "sessions_target", int(*sessions_target)),
        ("interval", "interval_min_days", int(interval.min)),
        ("interval", "interval_max_days", int(interval.max)),
        ("maintenance", "maintenance_min_months", int(maintenance.min)),
        ("maintenance", "maintenance_max_months", int(maintenance.max)),
        ("device", "device", Value::Text(device.key().into())),
        ("status", "status", Value::Text(status.key().into())),
        ("started", "started_on", Value::Text(started_on.to_string())),
        ("notes", "notes", Value::Text(notes.clone())),
        ("final rating", "final_rating", final_rating.map_or(Value::Null, |r| Value::Integer(i64::from(r)))),
        ("place", "place", Value::Text(place.clone())),
    ]
}

/// Inserts a course, with `id` when given (imports keep ids where they can).
pub(super) fn insert_course(tx: &Connection, course: &Course, id: Option<i64>) -> Result<()> {
    let sql = format!("INSERT INTO courses (id, {FIELDS}) VALUES (?1, {PLACEHOLDERS})");
    execute(tx, &sql, id, course)?;
    Ok(())
}

/// Runs an insert or update whose `?1` is the id and `?2..` the fields in `FIELDS` order.
fn execute(tx: &Connection, sql: &str, id: Option<i64>, course: &Course) -> sql::Result<usize> {
    // Every field named, as in `columns`.
    let Course {
        id: _, // `id`, given apart (None: the next)
        person_id,
        concern,
        areas,
        sessions_target,
        interval,
        maintenance,
        device,
        status,
        started_on,
        notes,
        place,
        final_rating,
        void,
        revision: _,
    } = course;
    let (voided_at, voided_by, void_reason) = super::row::void_columns(void.as_ref());
    tx.prepare_cached(sql)?.execute(params![
        id,
        person_id,
        concern,
        areas.join(","),
        sessions_target,
        interval.min,
        interval.max,
        maintenance.min,
        maintenance.max,
        device.key(),
        status.key(),
        started_on.to_string(),
        notes,
        final_rating,
        place,
        voided_at,
        voided_by,
        void_reason,
    ])
}

/// `now` less `months` months, counted as 31 days each (erring towards earlier).
pub fn months_before(now: DateTime<Utc>, months: i64) -> DateTime<Utc> {
    now.checked_sub_signed(chrono::Duration::days(months.saturating_mul(31))).unwrap_or(now)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The standing is read by position: it begins where the course's own columns end.
    #[test]
    fn the_standing_begins_after_the_courses_own_columns() {
        assert_eq!(STANDING_AT, 1 + FIELDS.split(',').count() + 1, "id, the fields, revision");
        let names: Vec<&str> = STANDING.split(',').map(str::trim).collect();
        assert_eq!(
            names,
            ["done_count", "last_done_id", "last_done_at", "last_done_offset", "last_done_device", "last_main_at"]
        );
    }
}
