//! The seam between the records and where they are kept: what the app, the
//! CLI, the report and the summaries ask of a store, as a few traits by kind of
//! record. [`Store`] implements them over a SQLite file or a PostgreSQL server
//! alike. Everything here is about records: ids are issued by the
//! store (`add_*` return them), edits are saved against a revision
//! ([`EditStore`]), and no method takes or returns a file's path. The file's own
//! care (opening, upgrading, copies, restore, salvage, doctor) is not here: it is
//! [`Store`]'s alone, reached through [`Records::file`].
//!
//! Methods of these traits are called like any other once the traits are in
//! scope: `use crate::store::prelude::*`.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};

use super::{Result, Store};
use crate::domain::{
    AdverseEvent, Consent, Course, CourseStatus, CustomItem, DiaryEntry, Edit, FileKind, Person, Photo, Session,
    SkinType, Snapshot, Tick,
};

/// Every kind of record, and the file behind them when there is one.
pub trait Records:
    ReadStore
    + PeopleStore
    + CourseStore
    + SessionStore
    + EventStore
    + DiaryStore
    + ConsentStore
    + ChecklistStore
    + PhotoStore
    + RecallStore
    + ToldStore
    + TrailStore
    + TrashStore
    + SettingStore
    + SnapshotStore
    + MergeStore
    + EditStore
{
    /// The SQLite file these records are kept in, for its care (copies, doctor,
    /// restore, photos kept beside it); `None` for a store that is not a file.
    fn file(&self) -> Option<&Store>;

    /// [`Records::file`], to change it (a restore, the daily copy).
    fn file_mut(&mut self) -> Option<&mut Store>;

    /// Where the records are kept, as shown: the file's path, or the server's
    /// address without its password.
    fn place(&self) -> String;

    /// Where pictures come from when they are kept elsewhere (a server); `None`
    /// for a file, whose pictures are in the folder beside it.
    fn picture_origin(&self) -> Option<std::sync::Arc<dyn super::server::Origin>>;
}

impl dyn Records + '_ {
    /// Runs `f`'s reads so that they see one state of the records (see
    /// [`ReadStore::in_one_read`]), and returns what `f` returns.
    pub fn consistent<T>(&self, f: impl FnOnce() -> Result<T>) -> Result<T> {
        let mut f = Some(f);
        let mut value = None;
        self.in_one_read(&mut || {
            if let Some(f) = f.take() {
                value = Some(f()?);
            }
            Ok(())
        })?;
        value.ok_or_else(|| super::StoreError::Invalid("a read together ran nothing".into()))
    }
}

/// A course's sessions as far as where it stands goes: how many were done, and
/// the last one done with every planned one, oldest first. Times only (id, course,
/// time, offset, status, device; depths not loaded): see
/// [`CourseStore::courses_standing`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Standing {
    pub done: u32,
    pub sessions: Vec<Session>,
    /// When the last main session was, once maintenance sessions follow it.
    pub last_main: Option<DateTime<Utc>>,
}

impl Standing {
    /// What the course's row counted: see [`crate::domain::windows::Counted`].
    pub fn counted(&self) -> crate::domain::windows::Counted {
        crate::domain::windows::Counted { done: self.done, last_main: self.last_main }
    }
}

/// Which courses to list.
#[derive(Debug, Clone, Copy, Default)]
pub struct CourseFilter {
    pub person_id: Option<i64>,
    /// Only active courses.
    pub active_only: bool,
    /// Leave out completed courses (active and paused ones stay).
    pub unfinished_only: bool,
    /// Voided courses too (left out unless asked for).
    pub with_voided: bool,
}

/// One lot number as used: `needlelog lots`.
#[derive(Debug, Clone, PartialEq)]
pub struct LotUse {
    pub lot: String,
    pub serum: String,
    pub sessions: i64,
    pub first: DateTime<Utc>,
    pub last: DateTime<Utc>,
}

/// Whether a streamed read goes on (`Continue`) or stops (`Break`: the reader
/// went away).
pub type Flow = std::ops::ControlFlow<()>;

/// Which sessions to list: every condition given must hold.
#[derive(Debug, Clone, Default)]
pub struct SessionFilter {
    pub course_id: Option<i64>,
    pub person_id: Option<i64>,
    /// From this instant on.
    pub since: Option<DateTime<Utc>>,
    /// Before this instant.
    pub until: Option<DateTime<Utc>>,
    /// This lot number exactly (case aside).
    pub lot: Option<String>,
    /// A serum whose name holds this text (case aside).
    pub serum: Option<String>,
    /// Sessions that treated this area (a depth given for it).
    pub area: Option<String>,
    pub status: Option<crate::domain::SessionStatus>,
    pub limit: Option<u32>,
    /// Voided sessions too (left out unless asked for, or asked for by status).
    pub with_voided: bool,
    /// In which order (newest first unless asked).
    pub order: SessionOrder,
}

/// The order sessions are listed in.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum SessionOrder {
    #[default]
    NewestFirst,
    OldestFirst,
    /// By id: an export's order.
    ById,
}

/// Which side wins for fields in conflict, by field name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Settle {
    pub theirs: Vec<&'static str>,
    pub mine: Vec<&'static str>,
}

/// Whose trail to read: everyone's, a person's or a session's.
#[derive(Debug, Clone, Copy, Default)]
pub struct TrailFilter {
    pub person_id: Option<i64>,
    pub session_id: Option<i64>,
}

/// What saving an edit did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EditOutcome {
    /// Nothing was different: nothing written, the revision stays.
    Unchanged,
    Saved,
}

/// How many rows an import added.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportCounts {
    pub people: usize,
    pub courses: usize,
    pub sessions: usize,
    pub ticks: usize,
    pub custom_items: usize,
    /// Photos the document named by path only (left for the user to add).
    pub photo_paths: usize,
}

/// What an import is handed, a record at a time, in the order a document holds
/// them: people, courses, sessions (each with the paths of photos it names), ticks,
/// checklist items, the trail, events, diary, consents; a photo after its course
/// or session; an edit of the trail only when the document holds its record (an
/// event's aside: those come later). Each is written as it comes, inside the
/// import's one transaction.
pub trait ImportSink {
    fn person(&mut self, person: &Person) -> Result<()>;
    fn course(&mut self, course: &Course) -> Result<()>;
    fn session(&mut self, session: &Session, photo_paths: &[String]) -> Result<()>;
    fn photo(&mut self, photo: &Photo) -> Result<()>;
    fn tick(&mut self, tick: &Tick) -> Result<()>;
    fn custom_item(&mut self, item: &CustomItem) -> Result<()>;
    fn edit(&mut self, edit: &Edit) -> Result<()>;
    fn event(&mut self, event: &AdverseEvent) -> Result<()>;
    fn diary(&mut self, entry: &DiaryEntry) -> Result<()>;
    fn consent(&mut self, consent: &Consent) -> Result<()>;
}

/// Hands a document's records, read and checked as they come, to an import.
pub type ImportFeed<'a> = dyn FnMut(&mut dyn ImportSink) -> Result<()> + 'a;

/// What a merge did, by record.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MergeCounts {
    pub added: usize,
    pub already_here: usize,
    /// One line per record that is here with other content (not imported).
    pub conflicts: Vec<String>,
    pub ticks: usize,
}

/// How an attach went for one picture.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attached {
    /// A new record, with its id.
    New(i64),
    /// The session already shows this picture (this record).
    Already(i64),
}

/// A record in the trash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrashItem {
    /// The trash entry's own number (`trash restore N`).
    pub id: i64,
    /// What it is: `session`.
    pub kind: String,
    /// Its id as it was, and will be again.
    pub record_id: i64,
    pub course_id: i64,
    /// When the session was (or was planned).
    pub at: DateTime<Utc>,
    pub deleted_at: DateTime<Utc>,
}

/// Reading, and knowing what changed.
pub trait ReadStore {
    /// Runs `f`'s reads as one: they see one state of the records, whatever is
    /// written meanwhile. Inside another, `f` simply joins it.
    fn in_one_read(&self, f: &mut dyn FnMut() -> Result<()>) -> Result<()>;

    /// How many writes this handle has committed: compare two readings to learn
    /// whether something between them changed the records.
    fn commits(&self) -> u64;

    /// A number that changes whenever another writer commits: cheap enough to poll.
    fn data_version(&self) -> Result<i64>;

    /// What reads have left out since the last call: one line per record that
    /// holds a value needlelog cannot read. The command goes on without it;
    /// `doctor` names it and `doctor --fix` mends it.
    fn take_skipped(&self) -> Vec<String>;

    /// Whether the records can be reached now: a file always; a server while
    /// the connection to it stands (the app is read-only while it does not).
    fn reachable(&self) -> bool;
}

/// People: who the records are about.
pub trait PeopleStore {
    /// People by name (ASCII letters folded, then by id); archived ones only
    /// when asked.
    fn people(&self, include_archived: bool) -> Result<Vec<Person>>;

    /// The people with these ids.
    fn people_by_ids(&self, ids: &[i64]) -> Result<Vec<Person>>;

    /// The name of each of these people, and whether they are archived: all
    /// that lists of thousands of reminders say of them, without the rest.
    fn names_of(&self, ids: &[i64]) -> Result<HashMap<i64, (String, bool)>>;

    /// Everyone who shares their name with someone else (letters without accents,
    /// case or extra spaces: "Zoë Khan", "zoe  khan"): those a list tells apart.
    /// Read from the index of names as compared.
    fn namesakes(&self) -> Result<HashSet<i64>>;

    /// Those of `people` (as read) who share their name with someone else, as
    /// [`Self::namesakes`] says: each name looked up in the index of names as
    /// compared, what a day's sheet of a few dozen clients asks.
    fn namesakes_among(&self, people: &[&Person]) -> Result<HashSet<i64>>;

    fn person(&self, id: i64) -> Result<Person>;

    /// Everyone called `name` (any case, accents or spacing), oldest first.
    fn people_named(&self, name: &str) -> Result<Vec<Person>>;

    /// The person `typed` names: `#7` by id, `Ana Ruiz (1984-03-02)` (or with the
    /// date after a space) by name and date of birth, else the one person of that
    /// name (any case). Namesakes without more to go on are listed, and how to
    /// name one.
    fn person_by_name(&self, typed: &str) -> Result<Person>;

    /// Adds a person (namesakes may be told apart by a date of birth later).
    fn add_person(&mut self, name: &str, skin_type: Option<SkinType>, notes: &str) -> Result<i64>;

    /// Adds `person` with every detail given (its id is ignored).
    fn add_person_with(&mut self, person: &Person) -> Result<i64>;
}

/// Courses, and where each stands.
pub trait CourseStore {
    fn course(&self, id: i64) -> Result<Course>;

    /// The courses with these ids (voided ones too), by id; ids not found are left out.
    fn courses_by_ids(&self, ids: &[i64]) -> Result<Vec<Course>>;

    /// The courses with these ids, each with where it stands (see
    /// [`Self::courses_standing`]), by id; ids not found are left out.
    fn courses_standing_by_ids(&self, ids: &[i64]) -> Result<Vec<(Course, Standing)>>;

    /// Courses, newest first.
    fn courses(&self, filter: CourseFilter) -> Result<Vec<Course>>;

    /// Courses as [`CourseStore::courses`] lists them, each with where it stands
    /// (see [`Standing`]): what lists of thousands of courses read, at a cost that
    /// does not grow with their sessions.
    fn courses_standing(&self, filter: CourseFilter) -> Result<Vec<(Course, Standing)>>;

    /// [`CourseStore::courses_standing`] for lists of any length: newest first,
    /// handed to `each` a chunk at a time as they are read.
    fn each_course_standing(
        &self,
        filter: CourseFilter,
        each: &mut dyn FnMut(Vec<(Course, Standing)>) -> Result<Flow>,
    ) -> Result<()>;

    /// Completed courses whose last session was done from `since` to before
    /// `until`, each with where it stands (see [`CourseStore::courses_standing`]):
    /// those `keep` keeps, given their planned sessions and handed to `each` a
    /// chunk at a time. Each is judged as it is read and none is held longer
    /// than its chunk: a practice has tens of thousands.
    fn finished_standing(
        &self,
        since: DateTime<Utc>,
        until: DateTime<Utc>,
        keep: &mut dyn FnMut(&Course, &Standing) -> bool,
        each: &mut dyn FnMut(Vec<(Course, Standing)>) -> Result<()>,
    ) -> Result<()>;

    /// The course the app opens on, as its lists would choose it: "Me"'s newest
    /// active course, else the newest active one, else the newest paused one.
    /// Quick whatever the number of courses.
    fn course_to_open_on(&self) -> Result<Option<i64>>;

    /// The courses that may still have something ahead at `now`: every active
    /// course, and each completed one with a session done within the longest
    /// maintenance spacing any course has plus `grace_months` (its maintenance
    /// window may be open or to come). Newest first.
    fn courses_to_watch(&self, now: DateTime<Utc>, grace_months: u32) -> Result<Vec<Course>>;

    /// The longest maintenance spacing of any completed course, in months.
    fn longest_maintenance_months(&self) -> Result<i64>;

    /// Completed courses with a session done from `since` to before `until`.
    fn finished_courses_between(&self, since: DateTime<Utc>, until: DateTime<Utc>) -> Result<Vec<Course>>;

    /// Adds a course (its `id` is ignored) and returns the new id.
    fn add_course(&mut self, course: &Course) -> Result<i64>;
}

/// Sessions, planned and done.
pub trait SessionStore {
    fn session(&self, id: i64) -> Result<Session>;

    /// Sessions, newest first, that meet every condition of `filter`.
    fn sessions(&self, filter: SessionFilter) -> Result<Vec<Session>>;

    /// The sessions `filter` lists, in the same order, handed to `each` a chunk at
    /// a time (with their depths) as they are read, until it says to stop: what
    /// a list of any length streams from.
    fn each_session(&self, filter: SessionFilter, each: &mut dyn FnMut(&[Session]) -> Result<Flow>) -> Result<()>;

    /// The planned sessions from `since` until before `until`, as (session,
    /// course) ids in time order: a day's bookings, read from the index by time
    /// alone (what else a booking holds comes with its course's standing).
    fn bookings_between(&self, since: DateTime<Utc>, until: DateTime<Utc>) -> Result<Vec<(i64, i64)>>;

    /// Every lot number used in a done session, with its serum, how often and
    /// when first and last: the answer to a product recall. Newest use first.
    fn lots(&self) -> Result<Vec<LotUse>>;

    /// All sessions of the given courses, by course and oldest first, without
    /// their depths (see [`SessionStore::fill_depths`]): where a course stands
    /// never needs them.
    fn sessions_of(&self, course_ids: &[i64]) -> Result<Vec<Session>>;

    /// These sessions (depths not loaded), by id; ids not found are left out.
    fn sessions_by_ids(&self, ids: &[i64]) -> Result<Vec<Session>>;

    /// The sessions of these courses from `since` on, whole (depths not loaded).
    fn sessions_of_since(&self, course_ids: &[i64], since: DateTime<Utc>) -> Result<Vec<Session>>;

    /// Only when and how the sessions of these courses happened (id, course, time,
    /// status, device; every other field empty): all that windows and reminders
    /// need, in no particular order.
    fn session_times_of(&self, course_ids: &[i64]) -> Result<Vec<Session>>;

    /// Fills in the needle depths of these sessions.
    fn fill_depths(&self, sessions: &mut [Session]) -> Result<()>;

    /// Adds a session with its depths (its `id` is ignored); returns the new id.
    fn add_session(&mut self, session: &Session) -> Result<i64>;

    /// Adds a session and the records of its photos (their files already in the
    /// photo store) in one transaction; returns the new id and the photos' ids.
    fn add_session_with_photos(&mut self, session: &Session, photos: &[Photo]) -> Result<(i64, Vec<i64>)>;
}

/// Adverse events.
pub trait EventStore {
    /// Records an adverse event (its `id` is ignored); returns the new id.
    fn add_event(&mut self, event: &AdverseEvent, today: NaiveDate) -> Result<i64>;

    /// Saves what `edited` says of event `edited.id` (its session stays), each
    /// changed field in the trail. Checked as when it was recorded.
    fn edit_event(&mut self, edited: &AdverseEvent, today: NaiveDate) -> Result<AdverseEvent>;

    /// Voids an event recorded in error: it stays, marked, with who, when and why.
    fn void_event(&mut self, id: i64, reason: &str) -> Result<AdverseEvent>;

    /// Marks event `id` resolved on `day`.
    fn resolve_event(&mut self, id: i64, day: NaiveDate) -> Result<AdverseEvent>;

    fn event(&self, id: i64) -> Result<AdverseEvent>;

    /// Every event, or only those not resolved, newest noticed first.
    fn events(&self, open_only: bool) -> Result<Vec<AdverseEvent>>;

    /// The events of these sessions, oldest noticed first.
    fn events_of_sessions(&self, session_ids: &[i64]) -> Result<Vec<AdverseEvent>>;

    /// The events of these courses' sessions, each with its course, oldest noticed first.
    fn events_of_courses(&self, course_ids: &[i64]) -> Result<Vec<(i64, AdverseEvent)>>;
}

/// The patient's diary after a session.
pub trait DiaryStore {
    /// Keeps the diary entry for its session and day: signs not given keep what
    /// was noted before that day, a note given replaces the old one. Returns the
    /// entry as kept. Only a done session has a recovery to note.
    fn note_diary(&mut self, entry: &DiaryEntry) -> Result<DiaryEntry>;

    /// The diary of these sessions, by session and day.
    fn diary_of(&self, session_ids: &[i64]) -> Result<Vec<DiaryEntry>>;

    /// The whole diary, by session and day.
    fn diary(&self) -> Result<Vec<DiaryEntry>>;
}

/// Consent and screening, as recorded before a course.
pub trait ConsentStore {
    /// Records the consent for its course (replacing an earlier one).
    fn record_consent(&mut self, consent: &Consent) -> Result<()>;

    /// The consents on record for these courses.
    fn consents_of(&self, course_ids: &[i64]) -> Result<Vec<Consent>>;

    /// Every consent on record.
    fn consents(&self) -> Result<Vec<Consent>>;
}

/// Checklist ticks, items seen, and a course's own items.
pub trait ChecklistStore {
    /// Ticks of the given sessions.
    fn ticks_of(&self, session_ids: &[i64]) -> Result<Vec<Tick>>;

    /// Each item ticked for these sessions, handed to `each` as it is read
    /// (session, item id): what a checklist shows, for thousands of sessions.
    fn each_tick(&self, session_ids: &[i64], each: &mut dyn FnMut(i64, &str)) -> Result<()>;

    /// Each item shown already in a checklist that was closed, for these sessions,
    /// as [`ChecklistStore::each_tick`] hands ticks.
    fn each_seen(&self, session_ids: &[i64], each: &mut dyn FnMut(i64, &str)) -> Result<()>;

    /// Ticks (or, with `done == false`, unticks) one item for one session.
    fn set_tick(&mut self, session_id: i64, item_id: &str, done: bool, now: DateTime<Utc>) -> Result<()>;

    /// Remembers that these items were shown for these sessions.
    fn mark_seen(&mut self, items: &[(i64, String)], now: DateTime<Utc>) -> Result<()>;

    /// The user's own checklist items of one course.
    fn custom_items(&self, course_id: i64) -> Result<Vec<CustomItem>>;

    /// The user's own checklist items of several courses (for thousands of
    /// courses, read in one pass: see [`rows_with_keys`](super::rows_with_keys)).
    fn custom_items_of(&self, course_ids: &[i64]) -> Result<Vec<CustomItem>>;

    /// Adds a checklist item of the user's own to a course; returns its id.
    fn add_custom_item(&mut self, item: &CustomItem) -> Result<i64>;

    fn remove_custom_item(&mut self, id: i64) -> Result<()>;
}

/// The records of photos (the pictures themselves are kept by hash).
pub trait PhotoStore {
    /// One photo record.
    fn photo(&self, id: i64) -> Result<Photo>;

    /// The photos of these sessions, by session, then as taken.
    fn photos_of_sessions(&self, session_ids: &[i64]) -> Result<Vec<Photo>>;

    /// The photos of a course: its sessions' at their times, its own on their days.
    fn photos_of_course(&self, course_id: i64) -> Result<Vec<Photo>>;

    /// Every photo record, by id.
    fn all_photos(&self) -> Result<Vec<Photo>>;

    /// Adds photo records to a session or a course in one transaction (their files
    /// are in the store already). A picture it shows already is not added twice.
    fn attach_photos(&mut self, to: crate::domain::PhotoOf, photos: &[Photo]) -> Result<Vec<Attached>>;

    /// Removes a photo record; returns it and whether its picture is still used
    /// (by another record, or by a session in the trash).
    fn remove_photo(&mut self, id: i64) -> Result<(Photo, bool)>;

    /// True when a record, or a session in the trash, refers to this picture.
    fn photo_in_use(&self, hash: &str) -> Result<bool>;

    /// The pictures sessions in the trash refer to (restoring one brings them back).
    fn trashed_photo_hashes(&self) -> Result<HashSet<String>>;
}

/// Recalls ended or put off by hand.
pub trait RecallStore {
    /// Ends course `id`'s recall on `day`: it leaves the Due list for good.
    fn end_recall(&mut self, id: i64, day: NaiveDate) -> Result<()>;

    /// Puts course `id`'s recall off until `day` (it comes back that day).
    fn snooze_recall(&mut self, id: i64, day: NaiveDate) -> Result<()>;

    /// The courses whose recall is ended, or put off past `today`.
    fn quiet_recalls(&self, today: NaiveDate) -> Result<HashSet<i64>>;
}

/// Which reminders have been told already.
pub trait ToldStore {
    /// Which of `keys` have been told already.
    fn told(&self, keys: &[String]) -> Result<Vec<String>>;

    /// Remembers that `keys` were told at `now`, and forgets what was told long ago.
    fn mark_told(&mut self, keys: &[String], now: DateTime<Utc>) -> Result<()>;
}

/// The edit trail: who changed what, and when.
pub trait TrailStore {
    /// Where changes come from, for the trail: `cli` unless the front end says.
    fn set_source(&mut self, source: &'static str);

    /// The time changes are stamped with from now on (`--now`, the app's clock).
    fn set_clock(&mut self, now: DateTime<Utc>);

    /// The login name the front end runs as: who changes are made by when the
    /// file names no practitioner.
    fn set_login(&mut self, login: &str);

    /// The practitioner whose file it is (`init --practitioner --name`), if named.
    fn practitioner(&self) -> Result<Option<String>>;

    /// Names the practitioner whose file it is: every change is theirs from now on.
    fn set_practitioner(&mut self, name: &str) -> Result<()>;

    /// The trail, oldest first: all of it, or what concerns one person or one
    /// session (the records that hang off them too).
    fn trail(&self, filter: TrailFilter) -> Result<Vec<Edit>>;

    /// The changes to one record, oldest first.
    fn edits_of(&self, kind: &str, record_id: i64) -> Result<Vec<Edit>>;

    /// The changes to these sessions, oldest first.
    fn edits_of_sessions(&self, session_ids: &[i64]) -> Result<Vec<Edit>>;

    /// The whole trail, oldest first.
    fn edits(&self) -> Result<Vec<Edit>>;
}

/// Sessions put in the trash, and back.
pub trait TrashStore {
    /// Takes a session away. A planned or cancelled one moves, with everything
    /// that hangs off it, to the trash (its entry's kind `session`); a done one is
    /// voided with `reason` (kind `void`): it stays, with its events, diary and
    /// photos, and counts nowhere. Either comes back with `restore_from_trash`.
    fn remove_session(&mut self, id: i64, reason: &str, now: DateTime<Utc>) -> Result<TrashItem>;

    /// Voids a course started by mistake (kind `course-void`): its done sessions
    /// are voided with it, its planned ones cancelled; `restore_from_trash` undoes
    /// all of it.
    fn void_course(&mut self, id: i64, reason: &str, now: DateTime<Utc>) -> Result<TrashItem>;

    /// What the trash holds, newest first.
    fn trash(&self) -> Result<Vec<TrashItem>>;

    /// Puts a trashed record back under its own id, with all it had, or undoes a void.
    fn restore_from_trash(&mut self, trash_id: i64) -> Result<TrashItem>;

    /// How many entries the trash holds: (others, those holding clinical records).
    fn trash_counts(&self) -> Result<(usize, usize)>;

    /// Empties the trash, or only what was deleted before `before`; returns how
    /// many entries went. Clinical records (voids; done sessions and events
    /// trashed by older versions) go only when `clinical_too`, and then for good.
    fn empty_trash(&mut self, before: Option<DateTime<Utc>>, clinical_too: bool) -> Result<usize>;
}

/// The file's own settings.
pub trait SettingStore {
    /// Whose file this is. A file that was never told is a practitioner's when
    /// others have courses and "Me" has none (or is gone), else a patient's.
    fn file_kind(&self) -> Result<FileKind>;

    /// Whether the file was told whose it is (at first run, or by `init`).
    fn file_kind_chosen(&self) -> Result<bool>;

    /// Says whose file this is. A practitioner's file has no "Me": the one a new
    /// file starts with goes when nothing refers to it.
    fn set_file_kind(&mut self, kind: FileKind) -> Result<()>;
}

/// The whole record as one document, out and in.
pub trait SnapshotStore {
    /// Everything in the file, each list in id order.
    fn snapshot(&self) -> Result<Snapshot>;

    /// Every course (voided ones too), by id, handed to `each` a chunk at a time.
    fn each_course_by_id(&self, each: &mut dyn FnMut(&[Course]) -> Result<Flow>) -> Result<()>;

    /// Every tick, by session then item, a chunk at a time.
    fn each_tick_by_session(&self, each: &mut dyn FnMut(&[Tick]) -> Result<Flow>) -> Result<()>;

    /// Every course's own checklist items, by course then id.
    fn all_custom_items(&self) -> Result<Vec<CustomItem>>;

    /// When and how every done session (voided ones left out) happened, by course,
    /// each course's together, oldest first: what tells maintenance sessions apart
    /// (see [`crate::domain::windows::maintenance_ids`]). Chunks never split a course.
    fn each_done_by_course(&self, each: &mut dyn FnMut(&[Session]) -> Result<Flow>) -> Result<()>;

    /// Adds a document's people, courses, sessions, ticks and items in one
    /// transaction: on any problem nothing is added.
    ///
    /// People are matched by name with those already here, and a course by its id
    /// when it is the same course (person, concern, start), so importing the same
    /// export twice adds nothing. Rows keep their ids where those are free, so a
    /// document imported into a fresh file exports again unchanged; names keep their
    /// spaces (only typed input is trimmed). A session already present (same person,
    /// concern and time) is a duplicate, and refuses the whole import.
    fn import(&mut self, doc: &Snapshot) -> Result<ImportCounts>;

    /// [`Self::import`] of the records `feed` hands over as it reads them (see
    /// [`ImportSink`]): a document of any size goes in through a chunk of memory.
    /// An error from `feed` ends it, and nothing is added.
    fn import_each(&mut self, feed: &mut ImportFeed<'_>) -> Result<ImportCounts>;
}

/// Another file's records brought in beside these.
pub trait MergeStore {
    /// Merges `doc` into the file in one transaction. People are matched by name
    /// (or all mapped to `as_person`).
    fn merge(&mut self, doc: &Snapshot, skip_conflicts: bool, as_person: Option<i64>) -> Result<MergeCounts>;

    /// [`Self::merge`] of the records `feed` hands over as it reads them (see
    /// [`ImportSink`]); an error from `feed` ends it, and nothing is merged.
    fn merge_each(
        &mut self,
        feed: &mut ImportFeed<'_>,
        skip_conflicts: bool,
        as_person: Option<i64>,
    ) -> Result<MergeCounts>;
}

/// Edits saved field by field against a revision.
pub trait EditStore {
    /// Saves what an edit changed in a session since it was read as `base`.
    fn save_session_edit(&mut self, base: &Session, edited: &Session, settle: &Settle) -> Result<EditOutcome>;

    /// Saves what an edit changed in a course since it was read as `base`.
    fn save_course_edit(&mut self, base: &Course, edited: &Course, settle: &Settle) -> Result<EditOutcome>;

    /// Saves every field of `course` that differs from the file (each change goes
    /// to the edit trail). Its sessions are not touched.
    fn update_course(&mut self, course: &Course) -> Result<()>;

    fn set_course_status(&mut self, id: i64, status: CourseStatus) -> Result<()>;

    /// Saves every field of `person` that differs from the file (each change goes
    /// to the edit trail); a name another person has is refused.
    fn update_person(&mut self, person: &Person) -> Result<()>;

    /// Saves what an edit changed in a person since it was read as `base`.
    fn save_person_edit(&mut self, base: &Person, edited: &Person, settle: &Settle) -> Result<EditOutcome>;
}

/// The traits, to call their methods: `use crate::store::prelude::*`.
pub mod prelude {
    pub use super::{
        ChecklistStore as _, ConsentStore as _, CourseStore as _, DiaryStore as _, EditStore as _, EventStore as _,
        MergeStore as _, PeopleStore as _, PhotoStore as _, ReadStore as _, RecallStore as _, Records,
        SessionStore as _, SettingStore as _, SnapshotStore as _, ToldStore as _, TrailStore as _, TrashStore as _,
    };
}
