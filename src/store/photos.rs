//! Rows of `session_photos`: which course (and which of its sessions, when taken
//! at one) shows which picture of the photo store, of what area, taken when. (The pictures are files: `crate::photos`.)
//! Also the paths older files kept in `sessions.photos`, until they are moved
//! into the store.

use super::prelude::*;
use std::collections::HashSet;

use super::sql::{self, Connection, OptionalExtension, Row, params};
use chrono::NaiveDateTime;

use super::records::{Attached, PhotoStore};
use super::row::bad_column;
use super::{Result, Store, StoreError, query_for_ids};
use crate::domain::{Photo, PhotoOf};

const COLUMNS: &str = "id, course_id, session_id, hash, format, area, taken, original_name";

/// A row's picture name is 64 lowercase hex digits (a SHA-256): only such rows are
/// read, so no other text ever becomes a path. `doctor` names the others.
pub(super) const SOUND_HASH: &str = "length(hash) = 64 AND hash NOT GLOB '*[^0-9a-f]*'";
const TAKEN: &str = "%Y-%m-%d %H:%M:%S";

fn from_row(row: &Row<'_>) -> sql::Result<Photo> {
    let format: String = row.get(4)?;
    let taken: String = row.get(6)?;
    Ok(Photo {
        id: row.get(0)?,
        course_id: row.get(1)?,
        session_id: row.get(2)?,
        hash: row.get(3)?,
        format: format.parse().map_err(|e: String| bad_column(4, e))?,
        area: row.get(5)?,
        taken: NaiveDateTime::parse_from_str(&taken, TAKEN).map_err(|e| bad_column(6, e))?,
        original_name: row.get(7)?,
    })
}

/// Inserts a photo record, with `id` when given; returns its id.
pub(super) fn insert_photo(tx: &Connection, p: &Photo, id: Option<i64>) -> Result<i64> {
    crate::domain::validate::check_photo(p).map_err(|e| StoreError::Invalid(e.message))?;
    let Photo { id: _, course_id, session_id, hash, format, area, taken, original_name } = p;
    tx.prepare_cached(
        "INSERT INTO session_photos (id, course_id, session_id, hash, format, area, taken, original_name) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        id,
        course_id,
        session_id,
        hash,
        format.key(),
        area,
        taken.format(TAKEN).to_string(),
        original_name
    ])?;
    id.map_or_else(|| Ok(tx.last_insert_rowid()?), Ok)
}

/// The record of this picture already on the course (or on the session), if any.
fn already(tx: &Connection, course_id: i64, session_id: Option<i64>, hash: &str) -> Result<Option<i64>> {
    Ok(tx
        .query_row(
            "SELECT id FROM session_photos WHERE course_id = ?1 AND ifnull(session_id, 0) = ifnull(?2, 0) AND hash = ?3",
            params![course_id, session_id, hash],
            |r| r.get(0),
        )
        .optional()?)
}

/// The photo records of these sessions (as they go to the trash).
pub(super) fn photos_in(tx: &Connection, session_ids: &[i64]) -> Result<Vec<Photo>> {
    Ok(query_for_ids(
        tx,
        &format!("SELECT {COLUMNS} FROM session_photos WHERE {SOUND_HASH} AND session_id IN ({{ids}})"),
        session_ids,
        from_row,
    )?)
}

impl PhotoStore for Store {
    fn photo(&self, id: i64) -> Result<Photo> {
        self.read(|c| {
            c.query_row(&format!("SELECT {COLUMNS} FROM session_photos WHERE id = ?1 AND {SOUND_HASH}"), [id], from_row)
                .optional()?
                .ok_or(StoreError::NotFound { what: "photo", id: id.to_string() })
        })
    }

    fn photos_of_sessions(&self, session_ids: &[i64]) -> Result<Vec<Photo>> {
        let mut photos = self.read(|c| {
            Ok(query_for_ids(
                c,
                &format!("SELECT {COLUMNS} FROM session_photos WHERE {SOUND_HASH} AND session_id IN ({{ids}})"),
                session_ids,
                from_row,
            )?)
        })?;
        photos.sort_by_key(|p| (p.session_id, p.taken, p.id));
        Ok(photos)
    }

    fn photos_of_course(&self, course_id: i64) -> Result<Vec<Photo>> {
        self.read(|c| {
            // Each session's photos at its time; the course's own ones on their day.
            let sql = format!(
                "SELECT {} FROM session_photos p LEFT JOIN sessions s ON s.id = p.session_id \
                 WHERE p.course_id = ?1 AND {SOUND_HASH} \
                 ORDER BY coalesce(substr(s.at_utc, 1, 10), substr(p.taken, 1, 10)), s.at_utc IS NULL, s.at_utc, \
                 s.id, p.taken, p.id",
                COLUMNS.split(", ").map(|c| format!("p.{c}")).collect::<Vec<_>>().join(", ")
            );
            let mut stmt = c.prepare_cached(&sql)?;
            let rows = stmt.query_map([course_id], from_row)?;
            Ok(rows.collect::<sql::Result<Vec<_>>>()?)
        })
    }

    fn all_photos(&self) -> Result<Vec<Photo>> {
        self.read(|c| {
            let mut stmt =
                c.prepare(&format!("SELECT {COLUMNS} FROM session_photos WHERE {SOUND_HASH} ORDER BY id"))?;
            let rows = stmt.query_map([], from_row)?;
            Ok(rows.collect::<sql::Result<Vec<_>>>()?)
        })
    }

    fn attach_photos(&mut self, to: PhotoOf, photos: &[Photo]) -> Result<Vec<Attached>> {
        let (course_id, session_id) = match to {
            PhotoOf::Session(id) => (self.session(id)?.course_id, Some(id)),
            PhotoOf::Course(id) => (self.course(id)?.id, None),
        };
        let stamp = self.stamped()?;
        self.write(|tx| {
            photos
                .iter()
                .map(|p| match already(tx, course_id, session_id, &p.hash)? {
                    Some(id) => Ok(Attached::Already(id)),
                    None => {
                        let id = insert_photo(tx, &Photo { course_id, session_id, ..p.clone() }, None)?;
                        stamp.note(tx, trail_key(course_id, session_id), "photo", "", photo_said(id, p))?;
                        Ok(Attached::New(id))
                    }
                })
                .collect()
        })
    }

    fn remove_photo(&mut self, id: i64) -> Result<(Photo, bool)> {
        let photo = self.photo(id)?;
        let stamp = self.stamped()?;
        self.write(|tx| {
            tx.execute("DELETE FROM session_photos WHERE id = ?1", [id])?;
            stamp.note(tx, trail_key(photo.course_id, photo.session_id), "photo", photo_said(id, &photo), "removed")
        })?;
        let used = self.photo_in_use(&photo.hash)?;
        Ok((photo, used))
    }

    fn photo_in_use(&self, hash: &str) -> Result<bool> {
        let recorded = self.read(|c| {
            Ok(c.query_row("SELECT EXISTS(SELECT 1 FROM session_photos WHERE hash = ?1)", [hash], |r| r.get(0))?)
        })?;
        Ok(recorded || self.trashed_photo_hashes()?.contains(hash))
    }

    fn trashed_photo_hashes(&self) -> Result<HashSet<String>> {
        self.read(|c| {
            let mut stmt = c.prepare("SELECT payload FROM trash WHERE payload LIKE '%\"photos\"%'")?;
            let payloads = stmt.query_map([], |r| r.get::<_, String>(0))?;
            let mut out = HashSet::new();
            for payload in payloads {
                if let Ok(v) = serde_json::from_str::<serde_json::Value>(&payload?) {
                    for p in v.get("photos").and_then(|p| p.as_array()).into_iter().flatten() {
                        if let Some(h) =
                            p.get("hash").and_then(|h| h.as_str()).filter(|h| crate::domain::is_photo_hash(h))
                        {
                            out.insert(h.to_string());
                        }
                    }
                }
            }
            Ok(out)
        })
    }
}

impl Store {
    /// Sessions that still name photos by path (files from before the photo
    /// store, or imports of such files): (session id, paths).
    pub fn legacy_photo_paths(&self) -> Result<Vec<(i64, Vec<String>)>> {
        self.read(|c| {
            let mut stmt = c.prepare("SELECT id, photos FROM sessions WHERE photos <> '[]' ORDER BY id")?;
            let rows = stmt.query_map([], |r| {
                let text: String = r.get(1)?;
                Ok((r.get(0)?, serde_json::from_str::<Vec<String>>(&text).unwrap_or_default()))
            })?;
            Ok(rows.collect::<sql::Result<Vec<_>>>()?)
        })
    }

    /// Records the photos moved into the store for a session and keeps only the
    /// paths that could not be, in one transaction.
    pub fn settle_legacy_photos(&mut self, session_id: i64, moved: &[Photo], left: &[String]) -> Result<()> {
        self.write(|tx| {
            let course_id: i64 =
                tx.query_row("SELECT course_id FROM sessions WHERE id = ?1", [session_id], |r| r.get(0))?;
            for p in moved {
                if already(tx, course_id, Some(session_id), &p.hash)?.is_none() {
                    insert_photo(tx, &Photo { course_id, session_id: Some(session_id), ..p.clone() }, None)?;
                }
            }
            let left = serde_json::to_string(left).map_err(|e| StoreError::Invalid(e.to_string()))?;
            tx.execute("UPDATE sessions SET photos = ?2 WHERE id = ?1", params![session_id, left])?;
            Ok(())
        })
    }
}

/// Where the trail keeps a photo's change: with its session, else its course.
fn trail_key(course_id: i64, session_id: Option<i64>) -> (&'static str, i64) {
    match session_id {
        Some(id) => ("photo", id),
        None => ("course", course_id),
    }
}

/// A photo as the trail names it: `#4 cheeks IMG_0012.jpg (3f2a…)`.
fn photo_said(id: i64, p: &Photo) -> String {
    let area = p.area.as_deref().map(|a| format!(" {a}")).unwrap_or_default();
    format!("#{id}{area} {} ({}…)", p.original_name, p.hash.get(..8).unwrap_or_default())
}
