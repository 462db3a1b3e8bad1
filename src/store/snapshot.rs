//! The whole file at once: reading everything for an export, and adding a
//! document's contents in one all-or-nothing import.

use super::prelude::*;
use std::collections::{HashMap, HashSet};

use rusqlite::{OptionalExtension, Transaction, params};

use super::checklist::{insert_custom_item, insert_tick};
use super::courses::insert_course;
use super::records::{Flow, ImportCounts, SessionFilter, SnapshotStore};
use super::row::instant_text;
use super::sessions::insert_session;
use super::{Result, Store, StoreError};

/// How many records a streamed read hands on at once.
const CHUNK: usize = 1024;

/// Hands the rows, read by `read`, to `each` a chunk at a time until it says to
/// stop.
fn in_chunks<T>(
    mut rows: rusqlite::Rows<'_>,
    mut read: impl FnMut(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
    each: &mut dyn FnMut(&[T]) -> Result<Flow>,
) -> Result<()> {
    let mut chunk = Vec::with_capacity(CHUNK);
    while let Some(row) = rows.next()? {
        chunk.push(read(row)?);
        if chunk.len() == CHUNK {
            if each(&chunk)?.is_break() {
                return Ok(());
            }
            chunk.clear();
        }
    }
    if !chunk.is_empty() {
        // The last chunk: whether to go on says nothing more.
        let _ = each(&chunk)?;
    }
    Ok(())
}
use crate::domain::{SkinType, Snapshot, Tick};

impl SnapshotStore for Store {
    fn snapshot(&self) -> Result<Snapshot> {
        let mut people = self.people(true)?;
        people.sort_by_key(|p| p.id);
        let mut courses = Vec::new();
        self.each_course_by_id(&mut |chunk| {
            courses.extend_from_slice(chunk);
            Ok(Flow::Continue(()))
        })?;
        let order = super::records::SessionOrder::ById;
        let sessions = self.sessions(SessionFilter { with_voided: true, order, ..Default::default() })?;
        let mut ticks = Vec::new();
        self.each_tick_by_session(&mut |chunk| {
            ticks.extend_from_slice(chunk);
            Ok(Flow::Continue(()))
        })?;
        let custom_items = self.all_custom_items()?;
        let edits = self.edits()?;
        let mut events = self.events(false)?;
        events.sort_by_key(|e| e.id);
        let diary = self.diary()?;
        let consents = self.consents()?;
        let photos = self.all_photos()?;
        Ok(Snapshot {
            people,
            courses,
            sessions,
            ticks,
            custom_items,
            edits,
            events,
            diary,
            consents,
            photos,
            photo_paths: self.legacy_photo_paths()?,
        })
    }

    fn each_course_by_id(&self, each: &mut dyn FnMut(&[crate::domain::Course]) -> Result<Flow>) -> Result<()> {
        let sql = format!("SELECT id, {}, revision FROM courses ORDER BY id", super::courses::FIELDS);
        self.read(|c| {
            let mut stmt = c.prepare(&sql)?;
            in_chunks(stmt.query([])?, super::courses::from_row, each)
        })
    }

    fn each_tick_by_session(&self, each: &mut dyn FnMut(&[Tick]) -> Result<Flow>) -> Result<()> {
        self.read(|c| {
            let mut stmt =
                c.prepare("SELECT session_id, item_id, ticked_at FROM checklist_ticks ORDER BY session_id, item_id")?;
            let tick = |row: &rusqlite::Row<'_>| {
                Ok(Tick {
                    session_id: row.get(0)?,
                    item_id: row.get(1)?,
                    ticked_at: super::row::parse_instant(&row.get::<_, String>(2)?, 2)?,
                })
            };
            in_chunks(stmt.query([])?, tick, each)
        })
    }

    fn all_custom_items(&self) -> Result<Vec<crate::domain::CustomItem>> {
        self.read(|c| {
            let mut stmt = c.prepare(
                "SELECT id, course_id, phase, text, from_hours, to_hours FROM custom_items ORDER BY course_id, id",
            )?;
            let rows = stmt.query_map([], super::checklist::custom_from_row)?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        })
    }

    fn each_done_by_course(&self, each: &mut dyn FnMut(&[crate::domain::Session]) -> Result<Flow>) -> Result<()> {
        self.read(|c| {
            let mut stmt = c.prepare(
                "SELECT id, course_id, at_utc, utc_offset, device FROM sessions INDEXED BY sessions_by_course \
                 WHERE status = 'done' AND voided_at IS NULL ORDER BY course_id, at_utc, id",
            )?;
            let mut rows = stmt.query([])?;
            let mut chunk: Vec<crate::domain::Session> = Vec::with_capacity(CHUNK);
            while let Some(row) = rows.next()? {
                let course_id: i64 = row.get(1)?;
                // A chunk ends between courses, never inside one.
                if chunk.len() >= CHUNK && chunk.last().is_some_and(|s| s.course_id != course_id) {
                    if each(&chunk)?.is_break() {
                        return Ok(());
                    }
                    chunk.clear();
                }
                // A row that cannot be read is left out here; the read of the
                // sessions themselves says so.
                let (Ok(at), Ok(device)) = (
                    row.get::<_, String>(2).and_then(|t| super::row::parse_instant(&t, 2)),
                    super::row::parse_key(row, 4),
                ) else {
                    continue;
                };
                let mut s =
                    crate::domain::Session::new(course_id, at, row.get(3)?, crate::domain::SessionStatus::Done, device);
                s.id = row.get(0)?;
                chunk.push(s);
            }
            if !chunk.is_empty() {
                // The last chunk: whether to go on says nothing more.
                let _ = each(&chunk)?;
            }
            Ok(())
        })
    }

    fn import(&mut self, doc: &Snapshot) -> Result<ImportCounts> {
        check_references(doc)?;
        self.in_bulk(|store| store.import_rows(doc))
    }
}

impl Store {
    /// The import's one transaction (see [`Store::in_bulk`] for how it is run).
    fn import_rows(&mut self, doc: &Snapshot) -> Result<ImportCounts> {
        let stamp = self.stamped()?;
        self.write(|tx| {
            let mut counts = ImportCounts::default();
            let mut people = HashMap::new();
            let mut existing_people = HashSet::new();
            for p in &doc.people {
                let found = same_person_here(tx, p)?;
                let id = match found {
                    Some(id) => {
                        existing_people.insert(id);
                        id
                    }
                    None => {
                        tx.execute(
                            "INSERT INTO people (id, name, skin_type, notes, archived, born_on, contact) \
                             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                            params![
                                free_id(tx, "people", p.id)?,
                                p.name,
                                p.skin_type.map(SkinType::key),
                                p.notes,
                                p.archived,
                                p.born_on.map(|d| d.to_string()),
                                p.contact
                            ],
                        )?;
                        counts.people += 1;
                        tx.last_insert_rowid()
                    }
                };
                people.insert(p.id, id);
            }

            // Into tables that are empty (a fresh file), each index is built once
            // from all the rows instead of kept up to date row by row. Not when
            // sessions of people already here are each checked for a duplicate:
            // that check needs the indexes as it goes.
            let person_of: HashMap<i64, i64> = doc.courses.iter().map(|c| (c.id, people[&c.person_id])).collect();
            let checked = doc.sessions.iter().any(|s| existing_people.contains(&person_of[&s.course_id]));
            let fill = |table: &str| match checked {
                true => Ok(Deferred::default()),
                false => Deferred::if_empty(tx, table),
            };
            let course_indexes = fill("courses")?;
            let mut courses = HashMap::new();
            for c in &doc.courses {
                let mut course = c.clone();
                course.person_id = people[&c.person_id];
                // The same course (stable id, same person, concern and start) is already here.
                let same: bool = tx
                    .prepare_cached(
                        "SELECT EXISTS(SELECT 1 FROM courses WHERE id = ?1 AND person_id = ?2 AND concern = ?3 \
                         AND started_on = ?4)",
                    )?
                    .query_row(params![c.id, course.person_id, course.concern, course.started_on.to_string()], |r| {
                        r.get(0)
                    })?;
                if same {
                    courses.insert(c.id, (c.id, course));
                    continue;
                }
                insert_course(tx, &course, free_id(tx, "courses", c.id)?)?;
                courses.insert(c.id, (tx.last_insert_rowid(), course));
                counts.courses += 1;
            }

            // Each course's done count and last session are worked out once at the
            // end, not again with every session added.
            super::courses::hold_recounts(tx)?;
            let session_indexes = fill("sessions")?;
            let mut sessions = HashMap::new();
            let mut touched: Vec<i64> = Vec::new();
            for s in &doc.sessions {
                let (course_id, course) = &courses[&s.course_id];
                if existing_people.contains(&course.person_id) {
                    refuse_duplicate(tx, course.person_id, &course.concern, s)?;
                }
                let mut session = s.clone();
                session.course_id = *course_id;
                touched.push(*course_id);
                let id = insert_session(tx, &session, free_id(tx, "sessions", s.id)?)?;
                sessions.insert(s.id, id);
                counts.sessions += 1;
                if counts.sessions == doc.sessions.len() / 2 {
                    pause_for_tests();
                }
            }
            session_indexes.restore(tx)?;
            super::courses::recount_done(tx, &touched)?;
            course_indexes.restore(tx)?;

            for t in &doc.ticks {
                insert_tick(tx, &Tick { session_id: sessions[&t.session_id], ..t.clone() })?;
                counts.ticks += 1;
            }
            for item in &doc.custom_items {
                let mut mine = item.clone();
                mine.course_id = courses[&item.course_id].0;
                insert_custom_item(tx, &mine, free_id(tx, "custom_items", item.id)?)?;
                counts.custom_items += 1;
            }
            let mut events = HashMap::new();
            for event in &doc.events {
                let Some(session_id) = sessions.get(&event.session_id).copied() else { continue };
                let mine = crate::domain::AdverseEvent { session_id, ..event.clone() };
                let id = super::events::insert_event(tx, &mine, free_id(tx, "adverse_events", event.id)?)?;
                events.insert(event.id, id);
            }
            for consent in &doc.consents {
                let Some(course_id) = courses.get(&consent.course_id).map(|(id, _)| *id) else { continue };
                super::consents::put_consent(tx, &crate::domain::Consent { course_id, ..consent.clone() })?;
            }
            for entry in &doc.diary {
                let Some(session_id) = sessions.get(&entry.session_id).copied() else { continue };
                super::diary::put_entry(tx, &crate::domain::DiaryEntry { session_id, ..entry.clone() })?;
            }
            // A record whose picture is not in the store is kept: `photo list` and
            // `doctor` say it is missing until the picture is added again.
            for photo in &doc.photos {
                let Some(course_id) = courses.get(&photo.course_id).map(|(id, _)| *id) else { continue };
                let session_id = match photo.session_id {
                    Some(old) => match sessions.get(&old).copied() {
                        Some(new) => Some(new),
                        None => continue,
                    },
                    None => None,
                };
                let id = free_id(tx, "session_photos", photo.id)?;
                let mine = crate::domain::Photo { course_id, session_id, ..photo.clone() };
                super::photos::insert_photo(tx, &mine, id)?;
            }
            // Paths an export names are the user's to add (`photo add`), never read
            // by themselves: this file's one move of its own old paths is over.
            super::settings::settle_photo_paths(tx)?;
            for (old, paths) in &doc.photo_paths {
                let Some(session_id) = sessions.get(old).copied() else { continue };
                let paths = serde_json::to_string(paths).map_err(|e| StoreError::Invalid(e.to_string()))?;
                tx.execute("UPDATE sessions SET photos = ?2 WHERE id = ?1", params![session_id, paths])?;
            }
            // The trail follows its records to their ids here; a change to a record
            // the document does not hold has nothing to follow.
            for edit in &doc.edits {
                let id = match edit.kind.as_str() {
                    "session" | "diary" | "tick" | "photo" | "void" => sessions.get(&edit.record_id).copied(),
                    "course" | "consent" | "recall" | "course-void" => courses.get(&edit.record_id).map(|c| c.0),
                    "person" => people.get(&edit.record_id).copied(),
                    "event" => events.get(&edit.record_id).copied(),
                    "file" => Some(0),
                    _ => None,
                };
                if let Some(record_id) = id {
                    super::trail::append(tx, &crate::domain::Edit { record_id, ..edit.clone() })?;
                }
            }
            let said = format!("{} people, {} courses, {} sessions", counts.people, counts.courses, counts.sessions);
            stamp.note(tx, ("file", 0), "import", "", said)?;
            Ok(counts)
        })
    }
}

/// Debug builds only: with `NEEDLELOG_TEST_PAUSE` naming a file, an import creates
/// that file halfway through its sessions and waits there, so a test can kill it at
/// a known point of its transaction. Release builds have no such hook.
#[cfg(debug_assertions)]
fn pause_for_tests() {
    if let Some(path) = std::env::var_os("NEEDLELOG_TEST_PAUSE") {
        let _ = std::fs::write(&path, b"paused");
        std::thread::sleep(std::time::Duration::from_secs(60));
    }
}

#[cfg(not(debug_assertions))]
fn pause_for_tests() {}

/// The indexes of a table an import fills from empty, dropped while it does and
/// made again from their own SQL once the rows are in: building an index from all
/// its rows costs a fraction of keeping it up to date one row at a time. All within
/// the import's transaction, so a failure (or a kill) puts them back as they were.
#[derive(Default)]
#[must_use = "the indexes are gone until restored"]
pub(super) struct Deferred(Vec<String>);

impl Deferred {
    pub(super) fn if_empty(tx: &Transaction<'_>, table: &str) -> Result<Self> {
        let empty: bool = tx.query_row(&format!("SELECT NOT EXISTS (SELECT 1 FROM {table})"), [], |r| r.get(0))?;
        if !empty {
            return Ok(Deferred::default());
        }
        let mut stmt = tx.prepare(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ?1 AND sql IS NOT NULL",
        )?;
        let indexes: Vec<(String, String)> =
            stmt.query_map([table], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<_>>()?;
        for (name, _) in &indexes {
            tx.execute_batch(&format!("DROP INDEX \"{}\"", name.replace('"', "\"\"")))?;
        }
        Ok(Deferred(indexes.into_iter().map(|(_, sql)| sql).collect()))
    }

    pub(super) fn restore(self, tx: &Transaction<'_>) -> Result<()> {
        for sql in &self.0 {
            tx.execute_batch(sql)?;
        }
        Ok(())
    }
}

/// `Some(id)` when no row of `table` has it yet, else `None` (a new id is given).
fn free_id(tx: &Transaction<'_>, table: &str, id: i64) -> Result<Option<i64>> {
    let sql = format!("SELECT EXISTS(SELECT 1 FROM {table} WHERE id = ?1)");
    let taken: bool = tx.prepare_cached(&sql)?.query_row([id], |r| r.get(0))?;
    Ok((!taken && id > 0).then_some(id))
}

fn refuse_duplicate(tx: &Transaction<'_>, person_id: i64, concern: &str, s: &crate::domain::Session) -> Result<()> {
    let duplicate: bool = tx
        .prepare_cached(
            "SELECT EXISTS(SELECT 1 FROM sessions s JOIN courses c ON c.id = s.course_id \
             WHERE c.person_id = ?1 AND c.concern = ?2 AND s.at_utc = ?3)",
        )?
        .query_row(params![person_id, concern, instant_text(s.at)], |r| r.get(0))?;
    if duplicate {
        return Err(StoreError::Conflict(format!(
            "session {} ({concern}, {}) is already in this file; nothing imported",
            s.id,
            instant_text(s.at)
        )));
    }
    Ok(())
}

/// Every reference inside the document points at something in it.
pub(super) fn check_references(doc: &Snapshot) -> Result<()> {
    let unique = |what: &str, ids: Vec<i64>| -> Result<HashSet<i64>> {
        let mut seen = HashSet::new();
        for id in ids {
            if !seen.insert(id) {
                return Err(StoreError::Invalid(format!("{what} {id} appears twice in the file; nothing imported")));
            }
        }
        Ok(seen)
    };
    let people = unique("person", doc.people.iter().map(|p| p.id).collect())?;
    let courses = unique("course", doc.courses.iter().map(|c| c.id).collect())?;
    let sessions = unique("session", doc.sessions.iter().map(|s| s.id).collect())?;
    unique("checklist item", doc.custom_items.iter().map(|i| i.id).collect())?;
    let missing = |what: &str, id: i64, target: &str, target_id: i64| {
        StoreError::Invalid(format!(
            "{what} {id} points to {target} {target_id}, which is not in the file; nothing imported"
        ))
    };
    if let Some(c) = doc.courses.iter().find(|c| !people.contains(&c.person_id)) {
        return Err(missing("course", c.id, "person", c.person_id));
    }
    if let Some(s) = doc.sessions.iter().find(|s| !courses.contains(&s.course_id)) {
        return Err(missing("session", s.id, "course", s.course_id));
    }
    if let Some(t) = doc.ticks.iter().find(|t| !sessions.contains(&t.session_id)) {
        return Err(StoreError::Invalid(format!(
            "a tick of \"{}\" points to session {}, which is not in the file; nothing imported",
            t.item_id, t.session_id
        )));
    }
    if let Some(i) = doc.custom_items.iter().find(|i| !courses.contains(&i.course_id)) {
        return Err(missing("checklist item", i.id, "course", i.course_id));
    }
    Ok(())
}

/// The person already here that `p` is: the same name (any case) and, when both
/// give one, the same date of birth (namesakes stay apart).
pub(super) fn same_person_here(tx: &Transaction<'_>, p: &crate::domain::Person) -> Result<Option<i64>> {
    Ok(tx
        .query_row(
            "SELECT id FROM people WHERE name = ?1 COLLATE NOCASE \
             AND (?2 IS NULL OR born_on IS NULL OR born_on = ?2) ORDER BY id LIMIT 1",
            params![p.name, p.born_on.map(|d| d.to_string())],
            |r| r.get(0),
        )
        .optional()?)
}
