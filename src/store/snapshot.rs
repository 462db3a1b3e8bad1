//! The whole file at once: reading everything for an export, and adding a
//! document's contents in one all-or-nothing import.

use super::prelude::*;
use super::sql;
use std::collections::{HashMap, HashSet};

use super::records::{Flow, ImportCounts, ImportSink, SessionFilter, SnapshotStore};
use super::{Result, Store, StoreError};

/// How many records a streamed read hands on at once.
const CHUNK: usize = 1024;

/// Hands the rows, read by `read`, to `each` a chunk at a time until it says to
/// stop.
fn in_chunks<T>(
    mut rows: sql::Rows<'_>,
    mut read: impl FnMut(&sql::Row<'_>) -> sql::Result<T>,
    each: &mut dyn FnMut(&[T]) -> Result<Flow>,
) -> Result<()> {
    let mut chunk = Vec::with_capacity(CHUNK);
    while let Some(row) = rows.next()? {
        chunk.push(read(&row)?);
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
use crate::domain::{Snapshot, Tick};

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
            let tick = |row: &sql::Row<'_>| {
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
            Ok(rows.collect::<sql::Result<_>>()?)
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
                    super::row::parse_key(&row, 4),
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
        self.import_each(&mut |sink| feed_snapshot(doc, sink))
    }

    fn import_each(&mut self, feed: &mut super::records::ImportFeed<'_>) -> Result<ImportCounts> {
        let stamp = self.stamped()?;
        // One transaction, run as large writes are (see [`Store::in_bulk`]).
        self.in_bulk(|store| {
            store.write(|tx| {
                let mut importer = super::import::Importer::new(tx, stamp);
                feed(&mut importer)?;
                importer.finish()
            })
        })
    }
}

/// Hands `doc`'s records to `sink` in the order a document holds them.
pub(super) fn feed_snapshot(doc: &Snapshot, sink: &mut dyn ImportSink) -> Result<()> {
    // Every field named: a new part does not build until it is handed over.
    let Snapshot {
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
        photo_paths,
    } = doc;
    let mut session_photos: HashMap<i64, Vec<&crate::domain::Photo>> = HashMap::new();
    let mut course_photos: HashMap<i64, Vec<&crate::domain::Photo>> = HashMap::new();
    for p in photos {
        match p.session_id {
            Some(id) => session_photos.entry(id).or_default().push(p),
            None => course_photos.entry(p.course_id).or_default().push(p),
        }
    }
    let paths: HashMap<i64, &Vec<String>> = photo_paths.iter().map(|(id, paths)| (*id, paths)).collect();
    people.iter().try_for_each(|p| sink.person(p))?;
    for c in courses {
        sink.course(c)?;
        course_photos.remove(&c.id).unwrap_or_default().into_iter().try_for_each(|p| sink.photo(p))?;
    }
    for s in sessions {
        sink.session(s, paths.get(&s.id).map(|p| p.as_slice()).unwrap_or_default())?;
        session_photos.remove(&s.id).unwrap_or_default().into_iter().try_for_each(|p| sink.photo(p))?;
    }
    ticks.iter().try_for_each(|t| sink.tick(t))?;
    custom_items.iter().try_for_each(|i| sink.custom_item(i))?;
    // The trail's edits of records the document holds (events: see the sink).
    let session_ids: HashSet<i64> = sessions.iter().map(|s| s.id).collect();
    let course_ids: HashSet<i64> = courses.iter().map(|c| c.id).collect();
    let person_ids: HashSet<i64> = people.iter().map(|p| p.id).collect();
    for e in edits {
        let holds = match crate::domain::Follows::of(&e.kind) {
            Some(crate::domain::Follows::Session) => session_ids.contains(&e.record_id),
            Some(crate::domain::Follows::Course) => course_ids.contains(&e.record_id),
            Some(crate::domain::Follows::Person) => person_ids.contains(&e.record_id),
            Some(crate::domain::Follows::Event | crate::domain::Follows::File) => true,
            None => false,
        };
        if holds {
            sink.edit(e)?;
        }
    }
    events.iter().try_for_each(|e| sink.event(e))?;
    diary.iter().try_for_each(|d| sink.diary(d))?;
    consents.iter().try_for_each(|c| sink.consent(c))
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
