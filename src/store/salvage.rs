//! Salvage: every record of a damaged file that can still be read, one at a time
//! (a damaged page costs only the rows on it), as a snapshot to import into a new
//! file, with a count of what could not be read.

use super::prelude::*;
use std::collections::HashSet;

use super::Store;
use crate::domain::Snapshot;

/// What could not be read, by kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Lost {
    pub people: u64,
    pub courses: u64,
    pub sessions: u64,
    pub ticks_and_items: u64,
}

impl Store {
    /// The highest id a table has given out, from wherever it can be read.
    fn highest_id(&self, table: &str) -> i64 {
        let from_sequence = self.sqlite(|c| {
            Ok(c.query_row("SELECT seq FROM sqlite_sequence WHERE name = ?1", [table], |r| r.get::<_, i64>(0))?)
        });
        let from_table = self.sqlite(|c| Ok(c.query_row(&format!("SELECT max(id) FROM {table}"), [], |r| r.get(0))?));
        from_sequence.unwrap_or(0).max(from_table.unwrap_or(0)).min(crate::domain::validate::ID_MAX)
    }

    /// Every record that can be read, each on its own; what hangs off a record that
    /// cannot be read is lost with it.
    pub fn salvage(&self) -> (Snapshot, Lost) {
        let mut doc = Snapshot::default();
        let mut lost = Lost::default();
        // Ids past the counter may exist in a damaged file; a margin finds most of them.
        let ids = |table: &str| 1..=self.highest_id(table).saturating_add(64);
        (doc.people, lost.people) = each(ids("people"), |id| self.person(id), |_| true);
        let people: HashSet<i64> = doc.people.iter().map(|p| p.id).collect();
        (doc.courses, lost.courses) = each(ids("courses"), |id| self.course(id), |c| people.contains(&c.person_id));
        let courses: HashSet<i64> = doc.courses.iter().map(|c| c.id).collect();
        (doc.sessions, lost.sessions) =
            each(ids("sessions"), |id| self.session(id), |s| courses.contains(&s.course_id));
        let _ = self.take_skipped();
        for s in &doc.sessions {
            match self.ticks_of(&[s.id]) {
                Ok(ticks) => doc.ticks.extend(ticks),
                Err(_) => lost.ticks_and_items += 1,
            }
        }
        for c in &doc.courses {
            match self.custom_items(c.id) {
                Ok(items) => doc.custom_items.extend(items),
                Err(_) => lost.ticks_and_items += 1,
            }
        }
        // Own items some tick names but that were lost: the tick goes with them.
        let items: HashSet<String> = doc.custom_items.iter().map(|i| i.item_id()).collect();
        let before = doc.ticks.len();
        doc.ticks.retain(|t| !t.item_id.starts_with("custom-") || items.contains(&t.item_id));
        lost.ticks_and_items += u64::try_from(before - doc.ticks.len()).unwrap_or(0);
        // Photo records, session by session (the pictures are files beside it),
        // then each course's own (of no session).
        for s in &doc.sessions {
            match self.photos_of_sessions(&[s.id]) {
                Ok(photos) => doc.photos.extend(photos),
                Err(_) => lost.ticks_and_items += 1,
            }
        }
        for c in &doc.courses {
            match self.photos_of_course(c.id) {
                Ok(photos) => doc.photos.extend(photos.into_iter().filter(|p| p.session_id.is_none())),
                Err(_) => lost.ticks_and_items += 1,
            }
        }
        // The edit trail comes along when it can be read whole (a trail with a hole
        // would misstate what changed); the records stand without it.
        doc.edits = self.edits().unwrap_or_default();
        (doc, lost)
    }
}

/// Reads each id on its own (an id never given out is skipped): the records read
/// that `keep` accepts, and how many could not be read or belong to something lost.
fn each<T>(
    ids: impl Iterator<Item = i64>,
    read: impl Fn(i64) -> super::Result<T>,
    keep: impl Fn(&T) -> bool,
) -> (Vec<T>, u64) {
    let (mut found, mut lost) = (Vec::new(), 0);
    for id in ids {
        match read(id) {
            Ok(record) if keep(&record) => found.push(record),
            Err(super::StoreError::NotFound { .. }) => {}
            Ok(_) | Err(_) => lost += 1,
        }
    }
    (found, lost)
}
