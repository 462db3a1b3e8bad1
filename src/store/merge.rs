//! `import --merge`: a document merged into the file by stable ids. A record whose
//! id is here with the same content is skipped, one whose id is free is added under
//! it, and one whose id is here with other content is a conflict: listed, and the
//! whole merge refused unless conflicts are to be skipped. The way to bring one
//! deleted session back from an old export, or to combine two files.

use super::prelude::*;
use std::collections::HashMap;

use rusqlite::{OptionalExtension, Transaction, params};

use super::checklist::{insert_custom_item, insert_tick};
use super::courses::insert_course;
use super::records::{MergeCounts, MergeStore};
use super::sessions::insert_session;
use super::{Result, Store, StoreError};
use crate::domain::{AreaDepth, Course, Snapshot, Tick};

/// Fields that differ between two column lists.
fn differing(a: &[super::row::Column], b: &[super::row::Column]) -> Vec<&'static str> {
    let mut fields: Vec<&'static str> = Vec::new();
    for (x, y) in a.iter().zip(b) {
        if x.2 != y.2 && !fields.contains(&x.0) {
            fields.push(x.0);
        }
    }
    fields
}

fn sorted(d: &[AreaDepth]) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = d.iter().map(|d| (d.area.clone(), d.mm.to_string())).collect();
    v.sort();
    v
}

impl MergeStore for Store {
    fn merge(&mut self, doc: &Snapshot, skip_conflicts: bool, as_person: Option<i64>) -> Result<MergeCounts> {
        // The same checks as a plain import: every reference points inside the document.
        super::snapshot::check_references(doc)?;
        // Read what is here for the ids the document names, before writing: in one
        // query each, not one per record (a merge of a million sessions).
        let course_ids: Vec<i64> = doc.courses.iter().map(|c| c.id).collect();
        let here_courses: HashMap<i64, Course> =
            self.courses_by_ids(&course_ids)?.into_iter().map(|c| (c.id, c)).collect();
        let session_ids: Vec<i64> = doc.sessions.iter().map(|s| s.id).collect();
        let mut found = self.sessions_by_ids(&session_ids)?;
        self.fill_depths(&mut found)?;
        let here_sessions: HashMap<i64, crate::domain::Session> = found.into_iter().map(|s| (s.id, s)).collect();
        let stamp = self.stamped()?;
        // As an import is run: room for one large write, and each course's done
        // count worked out once at the end, not again with every session added.
        self.in_bulk(|store| {
            store.write(|tx| {
                let mut counts = MergeCounts::default();
                let person = map_people(tx, doc, as_person, &mut counts)?;
                // Into tables that are empty, indexes are built once at the end, as
                // an import builds them (nothing here is looked up through them).
                let course_indexes = super::import::Deferred::if_empty(tx, "courses")?;
                let session_indexes = super::import::Deferred::if_empty(tx, "sessions")?;
                // Courses: same, new, or in conflict (then its sessions cannot come either).
                let mut usable_courses: HashMap<i64, i64> = HashMap::new();
                for c in &doc.courses {
                    let Some(&person_id) = person.get(&c.person_id) else {
                        return Err(StoreError::Invalid(format!(
                            "course {} points to person {}, who is not in the file; nothing merged",
                            c.id, c.person_id
                        )));
                    };
                    let mapped = Course { person_id, ..c.clone() };
                    match here_courses.get(&c.id) {
                        Some(here) => {
                            let diff = differing(&super::courses::columns(here), &super::courses::columns(&mapped));
                            if diff.is_empty() {
                                counts.already_here += 1;
                                usable_courses.insert(c.id, c.id);
                            } else {
                                counts.conflicts.push(format!("course {}: here with other {}", c.id, diff.join(", ")));
                            }
                        }
                        None => {
                            insert_course(tx, &mapped, Some(c.id))?;
                            counts.added += 1;
                            usable_courses.insert(c.id, c.id);
                        }
                    }
                }
                let mut usable_sessions: std::collections::HashSet<i64> = std::collections::HashSet::new();
                super::courses::hold_recounts(tx)?;
                let mut touched: Vec<i64> = Vec::new();
                for s in &doc.sessions {
                    if !usable_courses.contains_key(&s.course_id) {
                        counts.conflicts.push(format!("session {}: its course {} is in conflict", s.id, s.course_id));
                        continue;
                    }
                    match here_sessions.get(&s.id) {
                        Some(here) => {
                            let mut diff = differing(&super::sessions::columns(here), &super::sessions::columns(s));
                            if sorted(here.depths()) != sorted(s.depths()) {
                                diff.push("depth");
                            }
                            if diff.is_empty() {
                                counts.already_here += 1;
                                usable_sessions.insert(s.id);
                            } else {
                                counts.conflicts.push(format!("session {}: here with other {}", s.id, diff.join(", ")));
                            }
                        }
                        None => {
                            insert_session(tx, s, Some(s.id))?;
                            touched.push(s.course_id);
                            counts.added += 1;
                            usable_sessions.insert(s.id);
                        }
                    }
                }
                session_indexes.restore(tx)?;
                super::courses::recount_done(tx, &touched)?;
                course_indexes.restore(tx)?;
                for t in doc.ticks.iter().filter(|t| usable_sessions.contains(&t.session_id)) {
                    let exists: bool = tx.query_row(
                        "SELECT EXISTS(SELECT 1 FROM checklist_ticks WHERE session_id = ?1 AND item_id = ?2)",
                        params![t.session_id, t.item_id],
                        |r| r.get(0),
                    )?;
                    if !exists {
                        insert_tick(tx, &Tick { ..t.clone() })?;
                        counts.ticks += 1;
                    }
                }
                let usable_photo = |p: &&crate::domain::Photo| match p.session_id {
                    Some(session) => usable_sessions.contains(&session),
                    None => usable_courses.contains_key(&p.course_id),
                };
                for p in doc.photos.iter().filter(usable_photo) {
                    let exists: bool = tx.query_row(
                        "SELECT EXISTS(SELECT 1 FROM session_photos \
                     WHERE course_id = ?1 AND ifnull(session_id, 0) = ifnull(?2, 0) AND hash = ?3)",
                        params![p.course_id, p.session_id, p.hash],
                        |r| r.get(0),
                    )?;
                    if !exists {
                        let free: bool = tx.query_row(
                            "SELECT NOT EXISTS(SELECT 1 FROM session_photos WHERE id = ?1)",
                            [p.id],
                            |r| r.get(0),
                        )?;
                        super::photos::insert_photo(tx, p, free.then_some(p.id))?;
                        counts.added += 1;
                    }
                }
                for item in doc.custom_items.iter().filter(|i| usable_courses.contains_key(&i.course_id)) {
                    let here: Option<(String, i64, i64)> = tx
                        .query_row(
                            "SELECT text, from_hours, to_hours FROM custom_items WHERE id = ?1",
                            [item.id],
                            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                        )
                        .optional()?;
                    match here {
                        Some(h) if h == (item.text.clone(), item.from_hours, item.to_hours) => counts.already_here += 1,
                        Some(_) => {
                            counts.conflicts.push(format!("own checklist item {}: here with another text", item.id))
                        }
                        None => {
                            insert_custom_item(tx, item, Some(item.id))?;
                            counts.added += 1;
                        }
                    }
                }
                if !counts.conflicts.is_empty() && !skip_conflicts {
                    let shown: Vec<&str> = counts.conflicts.iter().take(10).map(String::as_str).collect();
                    let more = counts.conflicts.len().saturating_sub(10);
                    let more = if more > 0 { format!(" (and {more} more)") } else { String::new() };
                    return Err(StoreError::Conflict(format!(
                        "{}{more}; nothing merged — add --skip-conflicts to merge the rest",
                        shown.join("; ")
                    )));
                }
                let said = format!("{} added, {} here already", counts.added, counts.already_here);
                stamp.note(tx, ("file", 0), "merge", "", said)?;
                Ok(counts)
            })
        })
    }
}

/// The person here for each person of the document: `as_person` for all, else the
/// one with the same name, else a new one.
fn map_people(
    tx: &Transaction<'_>,
    doc: &Snapshot,
    as_person: Option<i64>,
    counts: &mut MergeCounts,
) -> Result<HashMap<i64, i64>> {
    let mut map = HashMap::new();
    for p in &doc.people {
        let here = match as_person {
            Some(id) => Some(id),
            None => super::import::same_person_here(tx, p)?,
        };
        let id = match here {
            Some(id) => {
                counts.already_here += 1;
                id
            }
            None => {
                tx.execute(
                    "INSERT INTO people (name, skin_type, notes, archived, born_on, contact) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                    params![
                        p.name,
                        p.skin_type.map(|s| s.key()),
                        p.notes,
                        p.archived,
                        p.born_on.map(|d| d.to_string()),
                        p.contact
                    ],
                )?;
                counts.added += 1;
                tx.last_insert_rowid()
            }
        };
        map.insert(p.id, id);
    }
    Ok(map)
}
