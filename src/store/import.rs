//! An import's one transaction: a document's records handed over one at a time,
//! in the order the document holds them, each written as it comes. What is held
//! meanwhile is the ids the records are known by, not the records: a million
//! sessions go in through a chunk of memory.

use std::collections::{HashMap, HashSet};

use super::sql::{Connection, OptionalExtension, params};

use super::checklist::{insert_custom_item, insert_tick};
use super::courses::insert_course;
use super::records::{ImportCounts, ImportSink};
use super::row::instant_text;
use super::sessions::insert_session;
use super::trail::Stamp;
use super::{Result, StoreError};
use crate::domain::{
    AdverseEvent, Consent, Course, CustomItem, DiaryEntry, Edit, Follows, Person, Photo, Session, Tick,
};

/// After how many sessions the debug builds' test hook pauses (see
/// [`pause_for_tests`]): well inside the transaction, before it ends.
const PAUSE_AFTER: usize = 50;

/// The part of the document the records handed over have reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Reached {
    People,
    Courses,
    Sessions,
    /// Ticks and what follows them: each course's done count is settled.
    Rest,
}

/// How far a large write (an import, a merge) has come through a document's
/// parts, and what it put off meanwhile: into tables that are empty (a fresh
/// file) each index is built once from all the rows instead of kept up to date
/// row by row, and each course's done count and last sessions are worked out
/// once, after its sessions, not again with every session added.
pub(super) struct Phases {
    reached: Reached,
    course_indexes: Option<Deferred>,
    session_indexes: Option<Deferred>,
}

impl Phases {
    pub(super) fn new() -> Phases {
        Phases { reached: Reached::People, course_indexes: None, session_indexes: None }
    }

    /// Moves on to `part`, settling what the parts before it put off; `recount`
    /// names the courses whose sessions came.
    pub(super) fn reach(&mut self, tx: &Connection, part: Reached, recount: impl FnOnce() -> Vec<i64>) -> Result<()> {
        if part <= self.reached {
            return Ok(());
        }
        if self.reached < Reached::Courses && part >= Reached::Courses {
            self.course_indexes = Some(Deferred::on(tx, "courses")?);
        }
        if self.reached < Reached::Sessions && part >= Reached::Sessions {
            super::courses::hold_recounts(tx)?;
            self.session_indexes = Some(Deferred::on(tx, "sessions")?);
        }
        if part >= Reached::Rest {
            self.indexes_back(tx)?;
            super::courses::recount_done(tx, &recount())?;
        }
        self.reached = part;
        Ok(())
    }

    /// Builds the indexes put off so far, from the rows in: what comes next looks
    /// rows up through them.
    pub(super) fn indexes_back(&mut self, tx: &Connection) -> Result<()> {
        for indexes in [self.session_indexes.take(), self.course_indexes.take()].into_iter().flatten() {
            if let Some(file) = tx.sqlite() {
                indexes.restore(file)?;
            }
        }
        Ok(())
    }
}

/// Writes a document's records as they are handed over (see [`ImportSink`]).
pub(super) struct Importer<'t> {
    tx: &'t Connection,
    stamp: Stamp,
    counts: ImportCounts,
    phases: Phases,
    /// The document's person ids to the file's.
    people: HashMap<i64, i64>,
    /// People who were here before: their sessions are each checked for one
    /// already here.
    existing_people: HashSet<i64>,
    /// The document's course ids to the file's.
    courses: HashMap<i64, i64>,
    /// Courses of people who were here before.
    courses_of_existing: HashSet<i64>,
    /// Sessions whose id was taken here: the document's id to the new one (the
    /// others keep theirs).
    moved_sessions: HashMap<i64, i64>,
    events: HashMap<i64, i64>,
    /// The trail waits in a table of its own until the events are in: an edit of
    /// an event follows it to its id here.
    edits_waiting: i64,
}

impl<'t> Importer<'t> {
    pub(super) fn new(tx: &'t Connection, stamp: Stamp) -> Importer<'t> {
        Importer {
            tx,
            stamp,
            counts: ImportCounts::default(),
            phases: Phases::new(),
            people: HashMap::new(),
            existing_people: HashSet::new(),
            courses: HashMap::new(),
            courses_of_existing: HashSet::new(),
            moved_sessions: HashMap::new(),
            events: HashMap::new(),
            edits_waiting: 0,
        }
    }

    /// Moves on to `part` (a course's indexes are back once someone already here
    /// has sessions to check: see `session`); every course of the document is
    /// counted again once its sessions are in.
    fn reach(&mut self, part: Reached) -> Result<()> {
        let courses = &self.courses;
        self.phases.reach(self.tx, part, || courses.values().copied().collect())
    }

    fn session_id(&self, old: i64) -> i64 {
        self.moved_sessions.get(&old).copied().unwrap_or(old)
    }

    /// Ends the import: the trail follows its records, and the import itself is noted.
    pub(super) fn finish(mut self) -> Result<ImportCounts> {
        self.reach(Reached::Rest)?;
        if self.edits_waiting > 0 {
            let mut stmt = self.tx.prepare("SELECT edit FROM temp.import_edits ORDER BY n")?;
            let mut rows = stmt.query([])?;
            while let Some(row) = rows.next()? {
                let text: String = row.get(0)?;
                let edit: Edit = serde_json::from_str(&text).map_err(|e| StoreError::Invalid(e.to_string()))?;
                self.append_edit(&edit)?;
            }
            drop(rows);
            drop(stmt);
            self.tx.execute_batch("DROP TABLE temp.import_edits")?;
        }
        // Paths an export names are the user's to add (`photo add`), never read by
        // themselves: this file's one move of its own old paths is over.
        super::settings::settle_photo_paths(self.tx)?;
        let counts = self.counts;
        let said = format!("{} people, {} courses, {} sessions", counts.people, counts.courses, counts.sessions);
        self.stamp.note(self.tx, ("file", 0), "import", "", said)?;
        Ok(counts)
    }

    /// An edit of the trail, following its record to its id here (what feeds an
    /// import hands over only edits of records the document holds, events aside:
    /// an edit of an event it does not hold has nothing to follow).
    fn append_edit(&self, edit: &Edit) -> Result<()> {
        let id = match Follows::of(&edit.kind) {
            Some(Follows::Session) => Some(self.session_id(edit.record_id)),
            Some(Follows::Course) => self.courses.get(&edit.record_id).copied(),
            Some(Follows::Person) => self.people.get(&edit.record_id).copied(),
            Some(Follows::Event) => self.events.get(&edit.record_id).copied(),
            Some(Follows::File) => Some(0),
            None => None,
        };
        if let Some(record_id) = id {
            super::trail::append(self.tx, &Edit { record_id, ..edit.clone() })?;
        }
        Ok(())
    }
}

impl ImportSink for Importer<'_> {
    fn person(&mut self, p: &Person) -> Result<()> {
        let id = match same_person_here(self.tx, p)? {
            Some(id) => {
                self.existing_people.insert(id);
                id
            }
            None => {
                self.counts.people += 1;
                super::people::insert_person(self.tx, p, free_id(self.tx, "people", p.id)?)?
            }
        };
        self.people.insert(p.id, id);
        Ok(())
    }

    fn course(&mut self, c: &Course) -> Result<()> {
        self.reach(Reached::Courses)?;
        let person_id = *self.people.get(&c.person_id).ok_or_else(|| missing("course", c.id, "person", c.person_id))?;
        let course = Course { person_id, ..c.clone() };
        // The same course (stable id, same person, concern and start) is already here.
        let same: bool = self
            .tx
            .prepare_cached(
                "SELECT EXISTS(SELECT 1 FROM courses WHERE id = ?1 AND person_id = ?2 AND concern = ?3 \
                 AND started_on = ?4)",
            )?
            .query_row(params![c.id, person_id, course.concern, course.started_on.to_string()], |r| r.get(0))?;
        let id = match same {
            true => c.id,
            false => {
                let free = free_id(self.tx, "courses", c.id)?;
                insert_course(self.tx, &course, free)?;
                self.counts.courses += 1;
                match free {
                    Some(id) => id,
                    None => self.tx.last_insert_rowid()?,
                }
            }
        };
        if self.existing_people.contains(&person_id) {
            self.courses_of_existing.insert(id);
        }
        self.courses.insert(c.id, id);
        Ok(())
    }

    fn session(&mut self, s: &Session, paths: &[String]) -> Result<()> {
        self.reach(Reached::Sessions)?;
        let course_id =
            *self.courses.get(&s.course_id).ok_or_else(|| missing("session", s.id, "course", s.course_id))?;
        if self.courses_of_existing.contains(&course_id) {
            // Checked against the sessions here, through their indexes.
            self.phases.indexes_back(self.tx)?;
            refuse_duplicate(self.tx, course_id, s)?;
        }
        let session = Session { course_id, ..s.clone() };
        let free = free_id(self.tx, "sessions", s.id)?;
        let id = insert_session(self.tx, &session, free)?;
        if id != s.id {
            self.moved_sessions.insert(s.id, id);
        }
        if !paths.is_empty() {
            let listed = serde_json::to_string(paths).map_err(|e| StoreError::Invalid(e.to_string()))?;
            self.tx.execute("UPDATE sessions SET photos = ?2 WHERE id = ?1", params![id, listed])?;
            self.counts.photo_paths += paths.len();
        }
        self.counts.sessions += 1;
        if self.counts.sessions == PAUSE_AFTER {
            pause_for_tests();
        }
        Ok(())
    }

    fn photo(&mut self, photo: &Photo) -> Result<()> {
        // A record whose picture is not in the store is kept: `photo list` and
        // `doctor` say it is missing until the picture is added again.
        let Some(&course_id) = self.courses.get(&photo.course_id) else { return Ok(()) };
        let session_id = photo.session_id.map(|old| self.session_id(old));
        let id = free_id(self.tx, "session_photos", photo.id)?;
        super::photos::insert_photo(self.tx, &Photo { course_id, session_id, ..photo.clone() }, id)?;
        Ok(())
    }

    fn tick(&mut self, t: &Tick) -> Result<()> {
        self.reach(Reached::Rest)?;
        insert_tick(self.tx, &Tick { session_id: self.session_id(t.session_id), ..t.clone() })?;
        self.counts.ticks += 1;
        Ok(())
    }

    fn custom_item(&mut self, item: &CustomItem) -> Result<()> {
        self.reach(Reached::Rest)?;
        let course_id = *self
            .courses
            .get(&item.course_id)
            .ok_or_else(|| missing("checklist item", item.id, "course", item.course_id))?;
        insert_custom_item(
            self.tx,
            &CustomItem { course_id, ..item.clone() },
            free_id(self.tx, "custom_items", item.id)?,
        )?;
        self.counts.custom_items += 1;
        Ok(())
    }

    fn edit(&mut self, edit: &Edit) -> Result<()> {
        self.reach(Reached::Rest)?;
        if self.edits_waiting == 0 {
            self.tx.execute_batch("CREATE TEMP TABLE import_edits (n BIGINT NOT NULL, edit TEXT NOT NULL)")?;
        }
        self.edits_waiting += 1;
        let text = serde_json::to_string(edit).map_err(|e| StoreError::Invalid(e.to_string()))?;
        self.tx
            .prepare_cached("INSERT INTO temp.import_edits (n, edit) VALUES (?1, ?2)")?
            .execute(params![self.edits_waiting, text])?;
        Ok(())
    }

    fn event(&mut self, event: &AdverseEvent) -> Result<()> {
        self.reach(Reached::Rest)?;
        let mine = AdverseEvent { session_id: self.session_id(event.session_id), ..event.clone() };
        let id = super::events::insert_event(self.tx, &mine, free_id(self.tx, "adverse_events", event.id)?)?;
        self.events.insert(event.id, id);
        Ok(())
    }

    fn diary(&mut self, entry: &DiaryEntry) -> Result<()> {
        self.reach(Reached::Rest)?;
        super::diary::put_entry(self.tx, &DiaryEntry { session_id: self.session_id(entry.session_id), ..entry.clone() })
    }

    fn consent(&mut self, consent: &Consent) -> Result<()> {
        self.reach(Reached::Rest)?;
        let Some(&course_id) = self.courses.get(&consent.course_id) else { return Ok(()) };
        super::consents::put_consent(self.tx, &Consent { course_id, ..consent.clone() })
    }
}

/// The indexes of a table an import fills from empty, dropped while it does and
/// made again from their own SQL once the rows are in: building an index from all
/// its rows costs a fraction of keeping it up to date one row at a time. All within
/// the import's transaction, so a failure (or a kill) puts them back as they were.
#[derive(Default)]
#[must_use = "the indexes are gone until restored"]
pub(super) struct Deferred(Vec<String>);

impl Deferred {
    /// On a file: the indexes of `table` dropped when it is empty, to be made
    /// after its rows. A server keeps its indexes (it has no `sqlite_master`).
    pub(super) fn on(tx: &Connection, table: &str) -> Result<Self> {
        match tx.sqlite() {
            Some(file) => Deferred::if_empty(file, table),
            None => Ok(Deferred::default()),
        }
    }

    pub(super) fn if_empty(tx: &rusqlite::Connection, table: &str) -> Result<Self> {
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

    pub(super) fn restore(self, tx: &rusqlite::Connection) -> Result<()> {
        for sql in &self.0 {
            tx.execute_batch(sql)?;
        }
        Ok(())
    }
}

/// The person already here that `p` is: the same name (any case) and, when both
/// give one, the same date of birth (namesakes stay apart).
pub(super) fn same_person_here(tx: &Connection, p: &Person) -> Result<Option<i64>> {
    Ok(tx
        .query_row(
            "SELECT id FROM people WHERE name = ?1 COLLATE NOCASE \
             AND (CAST(?2 AS TEXT) IS NULL OR born_on IS NULL OR born_on = ?2) ORDER BY id LIMIT 1",
            params![p.name, p.born_on.map(|d| d.to_string())],
            |r| r.get(0),
        )
        .optional()?)
}

fn missing(what: &str, id: i64, target: &str, target_id: i64) -> StoreError {
    StoreError::Invalid(format!(
        "{what} {id} points to {target} {target_id}, which is not in the file; nothing imported"
    ))
}

/// `Some(id)` when no row of `table` has it yet, else `None` (a new id is given).
pub(super) fn free_id(tx: &Connection, table: &str, id: i64) -> Result<Option<i64>> {
    let sql = format!("SELECT EXISTS(SELECT 1 FROM {table} WHERE id = ?1)");
    let taken: bool = tx.prepare_cached(&sql)?.query_row([id], |r| r.get(0))?;
    Ok((!taken && id > 0).then_some(id))
}

/// A session of a person already here at the very time one of the same concern
/// was: the same visit, already in this file.
fn refuse_duplicate(tx: &Connection, course_id: i64, s: &Session) -> Result<()> {
    let duplicate: Option<String> = tx
        .prepare_cached(
            "SELECT c.concern FROM courses c WHERE c.id = ?1 AND EXISTS (SELECT 1 FROM sessions s \
             JOIN courses o ON o.id = s.course_id WHERE o.person_id = c.person_id AND o.concern = c.concern \
             AND s.at_utc = ?2)",
        )?
        .query_row(params![course_id, instant_text(s.at)], |r| r.get(0))
        .ok();
    if let Some(concern) = duplicate {
        return Err(StoreError::Conflict(format!(
            "session {} ({concern}, {}) is already in this file; nothing imported",
            s.id,
            instant_text(s.at)
        )));
    }
    Ok(())
}

/// Debug builds only: with `NEEDLELOG_TEST_PAUSE` naming a file, an import creates
/// that file partway through its sessions and waits there, so a test can kill it
/// at a known point of its transaction. Release builds have no such hook.
#[cfg(debug_assertions)]
fn pause_for_tests() {
    if let Some(path) = std::env::var_os("NEEDLELOG_TEST_PAUSE") {
        let _ = std::fs::write(&path, b"paused");
        std::thread::sleep(std::time::Duration::from_secs(60));
    }
}

#[cfg(not(debug_assertions))]
fn pause_for_tests() {}
