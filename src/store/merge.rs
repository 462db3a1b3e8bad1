//! `import --merge`: a document merged into the file by stable ids. A record whose
//! id is here with the same content is skipped, one whose id is free is added under
//! it, and one whose id is here with other content is a conflict: listed, and the
//! whole merge refused unless conflicts are to be skipped. The way to bring one
//! deleted session back from an old export, or to combine two files.

use std::collections::{HashMap, HashSet};

use super::sql::{Connection, OptionalExtension, params};

use super::checklist::{insert_custom_item, insert_tick};
use super::courses::insert_course;
use super::import::{Phases, Reached};
use super::records::{ImportSink, MergeCounts, MergeStore};
use super::sessions::insert_session;
use super::{Result, Store, StoreError};
use crate::domain::{
    AdverseEvent, AreaDepth, Consent, Course, CustomItem, DiaryEntry, Edit, Person, Photo, Session, Snapshot, Tick,
};

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
        self.merge_each(&mut |sink| super::snapshot::feed_snapshot(doc, sink), skip_conflicts, as_person)
    }

    fn merge_each(
        &mut self,
        feed: &mut super::records::ImportFeed<'_>,
        skip_conflicts: bool,
        as_person: Option<i64>,
    ) -> Result<MergeCounts> {
        let stamp = self.stamped()?;
        // As an import is run: room for one large write, and each course's done
        // count worked out once at the end, not again with every session added.
        self.in_bulk(|store| {
            store.write(|tx| {
                let mut merger = Merger {
                    tx,
                    as_person,
                    counts: MergeCounts::default(),
                    people: HashMap::new(),
                    in_conflict: HashSet::new(),
                    touched: HashSet::new(),
                    phases: Phases::new(),
                };
                feed(&mut merger)?;
                merger.reach(Reached::Rest)?;
                let counts = merger.counts;
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

/// Merges a document's records as they are handed over: each looked up here by
/// its id as it comes. What is held is the people's ids and the records in
/// conflict, not the records.
struct Merger<'t> {
    tx: &'t Connection,
    as_person: Option<i64>,
    counts: MergeCounts,
    /// The document's person ids to the file's.
    people: HashMap<i64, i64>,
    /// Courses and sessions here with other content (by kind and id): what
    /// belongs to them cannot come either.
    in_conflict: HashSet<(Kind, i64)>,
    /// Courses given sessions: their done counts are settled once, after them.
    touched: HashSet<i64>,
    phases: Phases,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Kind {
    Course,
    Session,
}

impl Merger<'_> {
    /// Moves on to `part` (see [`Phases`]): the courses given sessions are
    /// counted again once the sessions are in.
    fn reach(&mut self, part: Reached) -> Result<()> {
        let touched = &mut self.touched;
        self.phases.reach(self.tx, part, || touched.drain().collect())
    }

    fn usable(&self, kind: Kind, id: i64) -> bool {
        !self.in_conflict.contains(&(kind, id))
    }
}

impl ImportSink for Merger<'_> {
    fn person(&mut self, p: &Person) -> Result<()> {
        let here = match self.as_person {
            Some(id) => Some(id),
            None => super::import::same_person_here(self.tx, p)?,
        };
        let id = match here {
            Some(id) => {
                self.counts.already_here += 1;
                id
            }
            None => {
                self.counts.added += 1;
                super::people::insert_person(self.tx, p, None)?
            }
        };
        self.people.insert(p.id, id);
        Ok(())
    }

    /// A course: the same as here, new, or in conflict (then its sessions cannot
    /// come either).
    fn course(&mut self, c: &Course) -> Result<()> {
        self.reach(Reached::Courses)?;
        let Some(&person_id) = self.people.get(&c.person_id) else {
            return Err(StoreError::Invalid(format!(
                "course {} points to person {}, who is not in the file; nothing merged",
                c.id, c.person_id
            )));
        };
        let mapped = Course { person_id, ..c.clone() };
        match super::courses::course_here(self.tx, c.id)? {
            Some(here) => {
                let diff = differing(&super::courses::columns(&here), &super::courses::columns(&mapped));
                if diff.is_empty() {
                    self.counts.already_here += 1;
                } else {
                    self.counts.conflicts.push(format!("course {}: here with other {}", c.id, diff.join(", ")));
                    self.in_conflict.insert((Kind::Course, c.id));
                }
            }
            None => {
                insert_course(self.tx, &mapped, Some(c.id))?;
                self.counts.added += 1;
            }
        }
        Ok(())
    }

    fn session(&mut self, s: &Session, _photo_paths: &[String]) -> Result<()> {
        self.reach(Reached::Sessions)?;
        if !self.usable(Kind::Course, s.course_id) {
            self.counts.conflicts.push(format!("session {}: its course {} is in conflict", s.id, s.course_id));
            self.in_conflict.insert((Kind::Session, s.id));
            return Ok(());
        }
        match super::sessions::session_here(self.tx, s.id)? {
            Some(here) => {
                let mut diff = differing(&super::sessions::columns(&here), &super::sessions::columns(s));
                if sorted(here.depths()) != sorted(s.depths()) {
                    diff.push("depth");
                }
                if diff.is_empty() {
                    self.counts.already_here += 1;
                } else {
                    self.counts.conflicts.push(format!("session {}: here with other {}", s.id, diff.join(", ")));
                    self.in_conflict.insert((Kind::Session, s.id));
                }
            }
            None => {
                insert_session(self.tx, s, Some(s.id))?;
                self.touched.insert(s.course_id);
                self.counts.added += 1;
            }
        }
        Ok(())
    }

    fn photo(&mut self, p: &Photo) -> Result<()> {
        let usable = match p.session_id {
            Some(session) => self.usable(Kind::Session, session) && self.usable(Kind::Course, p.course_id),
            None => self.usable(Kind::Course, p.course_id),
        };
        if !usable {
            return Ok(());
        }
        let exists: bool = self.tx.query_row(
            "SELECT EXISTS(SELECT 1 FROM session_photos \
             WHERE course_id = ?1 AND ifnull(session_id, 0) = ifnull(?2, 0) AND hash = ?3)",
            params![p.course_id, p.session_id, p.hash],
            |r| r.get(0),
        )?;
        if !exists {
            let free: bool =
                self.tx
                    .query_row("SELECT NOT EXISTS(SELECT 1 FROM session_photos WHERE id = ?1)", [p.id], |r| r.get(0))?;
            super::photos::insert_photo(self.tx, p, free.then_some(p.id))?;
            self.counts.added += 1;
        }
        Ok(())
    }

    fn tick(&mut self, t: &Tick) -> Result<()> {
        self.reach(Reached::Rest)?;
        if !self.usable(Kind::Session, t.session_id) {
            return Ok(());
        }
        let exists: bool = self.tx.query_row(
            "SELECT EXISTS(SELECT 1 FROM checklist_ticks WHERE session_id = ?1 AND item_id = ?2)",
            params![t.session_id, t.item_id],
            |r| r.get(0),
        )?;
        if !exists {
            insert_tick(self.tx, t)?;
            self.counts.ticks += 1;
        }
        Ok(())
    }

    fn custom_item(&mut self, item: &CustomItem) -> Result<()> {
        self.reach(Reached::Rest)?;
        if !self.usable(Kind::Course, item.course_id) {
            return Ok(());
        }
        let here: Option<(String, i64, i64)> = self
            .tx
            .query_row("SELECT text, from_hours, to_hours FROM custom_items WHERE id = ?1", [item.id], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })
            .optional()?;
        match here {
            Some(h) if h == (item.text.clone(), item.from_hours, item.to_hours) => self.counts.already_here += 1,
            Some(_) => self.counts.conflicts.push(format!("own checklist item {}: here with another text", item.id)),
            None => {
                insert_custom_item(self.tx, item, Some(item.id))?;
                self.counts.added += 1;
            }
        }
        Ok(())
    }

    // A merge brings records by their ids; the trail, events, diary and consents
    // of another file are that file's (a plain import brings them).
    fn edit(&mut self, _: &Edit) -> Result<()> {
        self.reach(Reached::Rest)
    }

    fn event(&mut self, _: &AdverseEvent) -> Result<()> {
        self.reach(Reached::Rest)
    }

    fn diary(&mut self, _: &DiaryEntry) -> Result<()> {
        self.reach(Reached::Rest)
    }

    fn consent(&mut self, _: &Consent) -> Result<()> {
        self.reach(Reached::Rest)
    }
}
