//! Rows of `courses`.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{OptionalExtension, Row, params};

use super::row::{bad_column, instant_text, parse_key};
use super::{Result, Store, StoreError};
use crate::domain::{Course, CourseStatus, DayRange, MonthRange};

pub(super) fn from_row(row: &Row<'_>) -> rusqlite::Result<Course> {
    let areas: String = row.get(3)?;
    Ok(Course {
        id: row.get(0)?,
        person_id: row.get(1)?,
        concern: row.get(2)?,
        areas: areas.split(',').filter(|a| !a.is_empty()).map(str::to_string).collect(),
        sessions_target: row.get(4)?,
        interval: DayRange { min: row.get(5)?, max: row.get(6)? },
        maintenance: MonthRange { min: row.get(7)?, max: row.get(8)? },
        device: parse_key(row, 9)?,
        status: parse_key(row, 10)?,
        started_on: row.get::<_, String>(11)?.parse::<NaiveDate>().map_err(|e| bad_column(11, e))?,
        notes: row.get(12)?,
        final_rating: row.get(13)?,
        place: row.get(14)?,
        revision: row.get(15)?,
    })
}

/// Which courses to list.
#[derive(Debug, Clone, Copy, Default)]
pub struct CourseFilter {
    pub person_id: Option<i64>,
    /// Only active courses.
    pub active_only: bool,
    /// Leave out completed courses (active and paused ones stay).
    pub unfinished_only: bool,
}

impl Store {
    pub fn course(&self, id: i64) -> Result<Course> {
        let sql = format!("SELECT id, {FIELDS}, revision FROM courses WHERE id = ?1");
        self.read(|c| Ok(c.query_row(&sql, [id], from_row).optional()?))?
            .ok_or(StoreError::NotFound { what: "course", id: id.to_string() })
    }

    /// Courses, newest first. The conditions are written out only when asked for,
    /// so the indexes on status and person serve them.
    pub fn courses(&self, filter: CourseFilter) -> Result<Vec<Course>> {
        let mut conditions = vec!["1"];
        if filter.person_id.is_some() {
            conditions.push("person_id = ?1");
        }
        if filter.active_only {
            conditions.push("status = 'active'");
        }
        if filter.unfinished_only {
            conditions.push("status IN ('active', 'paused')");
        }
        let sql = format!(
            "SELECT id, {FIELDS}, revision FROM courses WHERE {} ORDER BY started_on DESC, id DESC",
            conditions.join(" AND ")
        );
        self.read(|c| {
            let mut stmt = c.prepare_cached(&sql)?;
            let rows = stmt.query_map(rusqlite::params_from_iter(filter.person_id), from_row)?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        })
    }

    /// The courses that may still have something ahead at `now`: every active
    /// course, and each completed one with a session done within the longest
    /// maintenance spacing any course has plus `grace_months` (its maintenance
    /// window may be open or to come). Newest first.
    pub fn courses_to_watch(&self, now: DateTime<Utc>, grace_months: u32) -> Result<Vec<Course>> {
        let active = format!("SELECT id, {FIELDS}, revision FROM courses WHERE status = 'active'");
        let mut courses: Vec<Course> = self.read(|c| {
            let mut stmt = c.prepare_cached(&active)?;
            Ok(stmt.query_map([], from_row)?.collect::<rusqlite::Result<_>>()?)
        })?;
        let since = months_before(now, self.longest_maintenance_months()? + i64::from(grace_months));
        courses.extend(self.finished_courses_between(since, now)?);
        courses.sort_by_key(|c| std::cmp::Reverse((c.started_on, c.id)));
        Ok(courses)
    }

    /// The longest maintenance spacing of any completed course, in months.
    pub fn longest_maintenance_months(&self) -> Result<i64> {
        self.read(|c| {
            let longest: i64 = c.query_row(
                "SELECT coalesce(max(maintenance_max_months), 0) FROM courses WHERE status = 'completed'",
                [],
                |r| r.get(0),
            )?;
            Ok(longest.clamp(0, 1200))
        })
    }

    /// Completed courses with a session done from `since` to before `until`. The
    /// recent done sessions, through the index by time, name them: far fewer than
    /// all finished courses.
    pub fn finished_courses_between(&self, since: DateTime<Utc>, until: DateTime<Utc>) -> Result<Vec<Course>> {
        let finished =
            format!("SELECT id, {FIELDS}, revision FROM courses WHERE id IN ({{ids}}) AND status = 'completed'");
        self.read(|c| {
            // Named, or SQLite may walk every session by course to find the few recent.
            let mut recent = c.prepare_cached(
                "SELECT course_id FROM sessions INDEXED BY sessions_by_time \
                 WHERE at_utc >= ?1 AND at_utc < ?2 AND status = 'done'",
            )?;
            let mut ids: Vec<i64> = recent
                .query_map([instant_text(since), instant_text(until)], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            ids.sort_unstable();
            ids.dedup();
            Ok(super::query_for_ids(c, &finished, &ids, from_row)?)
        })
    }

    /// Adds a course (its `id` is ignored) and returns the new id.
    pub fn add_course(&mut self, course: &Course) -> Result<i64> {
        self.write(|tx| {
            insert_course(tx, course, None)?;
            Ok(tx.last_insert_rowid())
        })
    }

    /// Saves every field of `course` that differs from the file (each change goes
    /// to the edit trail). Its sessions are not touched.
    pub fn update_course(&mut self, course: &Course) -> Result<()> {
        let base = self.course(course.id)?;
        self.save_course_edit(&base, course, &super::Settle::default()).map(drop)
    }

    pub fn set_course_status(&mut self, id: i64, status: CourseStatus) -> Result<()> {
        let mut course = self.course(id)?;
        course.status = status;
        self.update_course(&course)
    }
}

const FIELDS: &str = "person_id, concern, areas, sessions_target, interval_min_days, interval_max_days, \
                      maintenance_min_months, maintenance_max_months, device, status, started_on, notes, final_rating, place";
const PLACEHOLDERS: &str = "?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15";

/// A course's fields as columns, for saving an edit field by field.
pub(super) fn columns(course: &Course) -> Vec<super::edit::Column> {
    use rusqlite::types::Value;
    let int = |v: u32| Value::Integer(i64::from(v));
    vec![
        ("person", "person_id", Value::Integer(course.person_id)),
        ("concern", "concern", Value::Text(course.concern.clone())),
        ("areas", "areas", Value::Text(course.areas.join(","))),
        ("sessions", "sessions_target", int(course.sessions_target)),
        ("interval", "interval_min_days", int(course.interval.min)),
        ("interval", "interval_max_days", int(course.interval.max)),
        ("maintenance", "maintenance_min_months", int(course.maintenance.min)),
        ("maintenance", "maintenance_max_months", int(course.maintenance.max)),
        ("device", "device", Value::Text(course.device.key().into())),
        ("status", "status", Value::Text(course.status.key().into())),
        ("started", "started_on", Value::Text(course.started_on.to_string())),
        ("notes", "notes", Value::Text(course.notes.clone())),
        ("final rating", "final_rating", course.final_rating.map_or(Value::Null, |r| Value::Integer(i64::from(r)))),
        ("place", "place", Value::Text(course.place.clone())),
    ]
}

/// Inserts a course, with `id` when given (imports keep ids where they can).
pub(super) fn insert_course(tx: &rusqlite::Transaction<'_>, course: &Course, id: Option<i64>) -> Result<()> {
    let sql = format!("INSERT INTO courses (id, {FIELDS}) VALUES (?1, {PLACEHOLDERS})");
    execute(tx, &sql, id, course)?;
    Ok(())
}

/// Runs an insert or update whose `?1` is the id and `?2..` the fields in `FIELDS` order.
fn execute(tx: &rusqlite::Transaction<'_>, sql: &str, id: Option<i64>, course: &Course) -> rusqlite::Result<usize> {
    tx.prepare_cached(sql)?.execute(params![
        id,
        course.person_id,
        course.concern,
        course.areas.join(","),
        course.sessions_target,
        course.interval.min,
        course.interval.max,
        course.maintenance.min,
        course.maintenance.max,
        course.device.key(),
        course.status.key(),
        course.started_on.to_string(),
        course.notes,
        course.final_rating,
        course.place,
    ])
}

/// `now` less `months` months, counted as 31 days each (erring towards earlier).
pub fn months_before(now: DateTime<Utc>, months: i64) -> DateTime<Utc> {
    now.checked_sub_signed(chrono::Duration::days(months.saturating_mul(31))).unwrap_or(now)
}
