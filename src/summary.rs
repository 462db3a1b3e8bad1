//! Where each course stands right now, with its active checklist and ticks: the
//! answer to "what matters now", shared by `needlelog status` and the app.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use chrono::{DateTime, TimeZone, Utc};

use crate::domain::checklist::ChecklistItem;
use crate::domain::checklist::active_items;
use crate::domain::rules::Rules;
use crate::domain::windows::{CourseState, course_state, course_state_counted};
use crate::domain::{Course, CourseStatus, Person, Session};
use crate::store::{Records, Result, Standing};

pub use crate::domain::recall::{Latest, Recall, RecallGroup, recalls};

/// One checklist item that applies now, and whether it is ticked.
#[derive(Debug, Clone, PartialEq)]
pub struct ChecklistEntry {
    /// Shared by every entry of the same item: thousands of courses list the same
    /// few items.
    pub item: Arc<ChecklistItem>,
    pub session_id: i64,
    pub session_at: DateTime<Utc>,
    pub until: DateTime<Utc>,
    pub done: bool,
    /// Shown already in a checklist that was closed.
    pub seen: bool,
}

/// A course as titles name it: `Ana Ruiz ▸ Acne scars (cheeks, forehead)`.
pub fn course_title(name: &str, concern: &str, areas: &[String], rules: &Rules) -> String {
    format!("{name} ▸ {} ({})", rules.concern_name(concern), areas.join(", "))
}

/// A course, whose it is, its sessions (oldest first, depths not loaded: see
/// `Store::fill_depths`) and where it stands.
#[derive(Debug, Clone)]
pub struct CourseSummary {
    pub course: Course,
    pub person: Arc<Person>,
    /// Every session when `whole`; else the last one done and the planned ones,
    /// times only (all that where it stands and its checklist need).
    pub sessions: Vec<Session>,
    pub whole: bool,
    pub state: CourseState,
    pub checklist: Vec<ChecklistEntry>,
}

impl CourseSummary {
    /// Each loaded session's place in the course as people count them ("session 4
    /// of 6"), right also when only the last done ones are loaded.
    pub fn places(&self) -> HashMap<i64, u32> {
        let mut places = crate::domain::windows::places(&self.sessions);
        let loaded = self.sessions.iter().filter(|s| s.is_done()).count();
        let done = self.state.sessions_done + self.state.maintenance_done;
        let before = done.saturating_sub(u32::try_from(loaded).unwrap_or(u32::MAX));
        if before > 0 {
            places.values_mut().for_each(|p| *p += before);
        }
        places
    }

    /// "session 3 of 6 (#12)": a session by its place in the course, with the id a
    /// command needs; "session #12" for a cancelled one.
    pub fn session_label(&self, id: i64) -> String {
        let target = self.course.sessions_target;
        match self.places().get(&id) {
            // Past the course's main sessions: maintenance, counted apart.
            Some(&place) if place > target => format!("maintenance session {} (#{id})", place - target),
            Some(place) => format!("session {place} of {target} (#{id})"),
            None => format!("session #{id}"),
        }
    }

    /// The done sessions' places with their part of `diary`, latest first: what
    /// [`crate::text::recovery_comparison`] compares.
    pub fn diary_by_session(&self, diary: &[crate::domain::DiaryEntry]) -> Vec<(u32, Vec<crate::domain::DiaryEntry>)> {
        let places = self.places();
        let mut done: Vec<&Session> = self.sessions.iter().filter(|s| s.is_done()).collect();
        done.sort_by_key(|s| std::cmp::Reverse(s.at));
        done.iter()
            .map(|s| {
                let mine = diary.iter().filter(|e| e.session_id == s.id).cloned().collect();
                (places.get(&s.id).copied().unwrap_or(0), mine)
            })
            .collect()
    }

    /// "session 3": a session by its place in the course alone.
    pub fn session_place(&self, id: i64) -> String {
        let target = self.course.sessions_target;
        match self.places().get(&id) {
            Some(&place) if place > target => format!("maintenance session {}", place - target),
            Some(place) => format!("session {place}"),
            None => format!("session #{id}"),
        }
    }

    /// `Ana ▸ Acne scars (cheeks)`.
    pub fn title(&self, rules: &Rules) -> String {
        self.title_for(&self.person.name, rules)
    }

    /// The title with the person named as given (`Ana Ruiz (b. 1984-03-02)`).
    pub fn title_for(&self, name: &str, rules: &Rules) -> String {
        course_title(name, &self.course.concern, &self.course.areas, rules)
    }

    /// The sessions whose checklist should pop up by itself: some item applies that
    /// is neither ticked nor already shown.
    pub fn sessions_to_pop(&self) -> Vec<i64> {
        let mut ids: Vec<i64> = Vec::new();
        for e in self.checklist.iter().filter(|e| !e.done && !e.seen) {
            if !ids.contains(&e.session_id) {
                ids.push(e.session_id);
            }
        }
        ids
    }

    /// Ticked and total items of the active checklist.
    pub fn checklist_progress(&self) -> (usize, usize) {
        (self.checklist.iter().filter(|e| e.done).count(), self.checklist.len())
    }
}

/// Finished courses whose maintenance can be open or lately lapsed at `now`:
/// done from the longest maintenance spacing and the recalls' grace ago up to
/// when results are judged, each with where it stands: those `keep` keeps, as
/// they are read (see [`finished_to_recall`]).
pub fn finished_in_maintenance_range(
    store: &dyn Records,
    rules: &Rules,
    now: DateTime<Utc>,
    mut keep: impl FnMut(&Course, &Standing) -> bool,
) -> Result<Vec<(Course, Standing)>> {
    let mut courses = Vec::new();
    each_finished_in_maintenance_range(store, rules, now, &mut keep, &mut |course, standing| {
        courses.push((course, standing))
    })?;
    Ok(courses)
}

/// [`finished_in_maintenance_range`], each course handed to `each` as it is read
/// (with its bookings), none held here.
fn each_finished_in_maintenance_range(
    store: &dyn Records,
    rules: &Rules,
    now: DateTime<Utc>,
    keep: &mut dyn FnMut(&Course, &Standing) -> bool,
    each: &mut dyn FnMut(Course, Standing),
) -> Result<()> {
    let grace = i64::from(rules.course.recall_months.max(crate::domain::reminders::WATCH_GRACE_MONTHS));
    let since = crate::store::months_before(now, store.longest_maintenance_months()? + grace);
    let until = now - chrono::Duration::days(i64::from(rules.course.final_results_months) * 28);
    // Judged by the row: a completed course's maintenance window runs from its
    // last session, and its results day from its last main one, both of which
    // the row keeps. Those with a session done after `now` (the clock set back)
    // are then read whole and judged again on everything.
    let keep = std::cell::RefCell::new(keep);
    store.finished_standing(
        since,
        until,
        &mut |course, standing| (keep.borrow_mut())(course, standing),
        &mut |mut chunk| {
            let read_whole = read_whole_where_needed(store, &mut chunk, now)?;
            for (course, standing) in chunk {
                if !read_whole.contains(&course.id) || (keep.borrow_mut())(&course, &standing) {
                    each(course, standing);
                }
            }
            Ok(())
        },
    )
}

/// The finished courses the recall list draws on, besides the running ones:
/// completed courses whose maintenance window is open, or closed less than the
/// recalls' grace ago (lapsed), less those a later course of the same concern
/// followed (`running` courses count as later ones), newest first. Each is
/// judged as it is read (a practice has tens of thousands of finished courses)
/// and handed to `make` with where it stands at `now`, bookings included; what
/// `make` makes of it is all that is kept. The app's Due list and `needlelog
/// due` both take them from here, and `recalls` decides.
pub fn finished_to_recall<T, Tz: TimeZone>(
    store: &dyn Records,
    rules: &Rules,
    now: DateTime<Utc>,
    tz: &Tz,
    running: &[&Course],
    mut make: impl FnMut(Course, &Standing, CourseState) -> Option<T>,
) -> Result<Vec<T>> {
    let state = |course: &Course, standing: &Standing| {
        course_state_counted(course, &standing.sessions, standing.counted(), &rules.course, now, tz)
    };
    let grace = rules.course.recall_months;
    let recalled = |state: &CourseState| {
        state.maintenance.is_some_and(|m| {
            m.earliest <= state.today && state.today <= crate::domain::time::add_months(m.latest, grace)
        })
    };
    let latest = std::cell::RefCell::new(Latest::default());
    running.iter().for_each(|c| latest.borrow_mut().note(c));
    let mut made: Vec<(crate::domain::recall::Lineage, T)> = Vec::new();
    each_finished_in_maintenance_range(
        store,
        rules,
        now,
        &mut |course, standing| {
            latest.borrow_mut().note(course);
            recalled(&state(course, standing))
        },
        &mut |course, standing| {
            let lineage = latest.borrow_mut().lineage(&course);
            let state = state(&course, &standing);
            if let Some(it) = make(course, &standing, state) {
                made.push((lineage, it));
            }
        },
    )?;
    let latest = latest.into_inner();
    made.retain(|(lineage, _)| !latest.followed(lineage));
    made.sort_by_cached_key(|(lineage, _)| std::cmp::Reverse((lineage.started_on, lineage.id)));
    Ok(made.into_iter().map(|(_, it)| it).collect())
}

/// Summaries of `courses` at `now`, in the order given. All reads happen in one
/// read transaction, with one query per kind of row whatever the number of courses.
pub fn summarize<Tz: TimeZone>(
    store: &dyn Records,
    courses: Vec<Course>,
    rules: &Rules,
    now: DateTime<Utc>,
    tz: &Tz,
) -> Result<Vec<CourseSummary>> {
    store.consistent(|| {
        build(store, courses.into_iter().map(|c| (c, None)).collect(), &[], Checklists::Worked, rules, now, tz)
    })
}

/// Summaries of the courses `filter` lists, newest first, each worked out from
/// where it stands (its row and its planned sessions: see
/// [`Store::courses_standing`]) rather than from all its sessions; the courses in
/// `whole` come with every session; `known` people (the app holds everyone) are
/// not read again. What lists of thousands of courses read.
pub fn summarize_listed<Tz: TimeZone>(
    store: &dyn Records,
    filter: crate::store::CourseFilter,
    whole: &[i64],
    known: &[Arc<Person>],
    rules: &Rules,
    now: DateTime<Utc>,
    tz: &Tz,
) -> Result<Vec<CourseSummary>> {
    store.consistent(|| {
        let courses = standings(store, filter, now)?
            .into_iter()
            .map(|(course, standing)| {
                let standing = (!whole.contains(&course.id)).then_some(standing);
                (course, standing)
            })
            .collect();
        build(store, courses, known, Checklists::Worked, rules, now, tz)
    })
}

/// [`summarize_listed`] for lists of any length (`course list --all` of a
/// practice's ten years): the summaries handed to `each` a chunk at a time, newest
/// first, as the courses are read.
pub fn each_summary<Tz: TimeZone>(
    store: &dyn Records,
    filter: crate::store::CourseFilter,
    rules: &Rules,
    now: DateTime<Utc>,
    tz: &Tz,
    each: &mut dyn FnMut(Vec<CourseSummary>) -> Result<crate::store::Flow>,
) -> Result<()> {
    store.consistent(|| {
        store.each_course_standing(filter, &mut |mut chunk| {
            read_whole_where_needed(store, &mut chunk, now)?;
            let courses = chunk.into_iter().map(|(course, standing)| (course, Some(standing))).collect();
            each(build(store, courses, &[], Checklists::Worked, rules, now, tz)?)
        })
    })
}

/// The courses reminders watch, each with where it stands at `now` (its row and
/// bookings, read whole where those cannot say): the active ones, and those
/// finished recently enough that their maintenance may be coming (the longest
/// spacing, plus `grace_months`), less those a later course of the same concern
/// followed. What `needlelog remind` reads, not every session the courses had.
pub fn watched(store: &dyn Records, now: DateTime<Utc>, grace_months: u32) -> Result<Vec<(Course, Standing)>> {
    let mut courses = standings(store, crate::store::CourseFilter { active_only: true, ..Default::default() }, now)?;
    let since = crate::store::months_before(now, store.longest_maintenance_months()? + i64::from(grace_months));
    store.finished_standing(since, now + chrono::Duration::seconds(1), &mut |_, _| true, &mut |mut chunk| {
        read_whole_where_needed(store, &mut chunk, now)?;
        courses.extend(chunk);
        Ok(())
    })?;
    let mut latest = Latest::default();
    courses.iter().for_each(|(c, _)| latest.note(c));
    courses.retain(|(c, _)| !latest.supersedes(c));
    // By key, then moved once each: a course and its standing are 272 bytes.
    courses.sort_by_cached_key(|(c, _)| std::cmp::Reverse((c.started_on, c.id)));
    Ok(courses)
}

/// The courses `filter` lists, each with where it stands at `now` (see
/// [`crate::store::CourseStore::courses_standing`]).
pub fn standings(
    store: &dyn Records,
    filter: crate::store::CourseFilter,
    now: DateTime<Utc>,
) -> Result<Vec<(Course, Standing)>> {
    let mut courses = store.courses_standing(filter)?;
    read_whole_where_needed(store, &mut courses, now)?;
    Ok(courses)
}

/// Gives the courses whose row cannot say where they stand all their sessions'
/// times: those with a session done after `now` (the clock set back: the last
/// one done by `now` is not the one the row keeps). Few courses, if any, are;
/// their ids are returned.
fn read_whole_where_needed(
    store: &dyn Records,
    courses: &mut [(Course, Standing)],
    now: DateTime<Utc>,
) -> Result<HashSet<i64>> {
    let mut ahead: Vec<&mut (Course, Standing)> =
        courses.iter_mut().filter(|(_, s)| s.sessions.iter().any(|x| x.is_done() && x.at > now)).collect();
    let read: HashSet<i64> = ahead.iter().map(|(c, _)| c.id).collect();
    // A thousand courses at a time: their sessions are read once, not held twice.
    for chunk in ahead.chunks_mut(1024) {
        let ids: Vec<i64> = chunk.iter().map(|(c, _)| c.id).collect();
        let mut times: HashMap<i64, Vec<Session>> = HashMap::new();
        for s in store.session_times_of(&ids)? {
            times.entry(s.course_id).or_default().push(s);
        }
        for (course, standing) in chunk.iter_mut().map(|x| &mut **x) {
            let mut sessions = times.remove(&course.id).unwrap_or_default();
            sessions.retain(|s| s.status != crate::domain::SessionStatus::Cancelled);
            sessions.sort_by_key(|s| (s.at, s.id));
            sessions.shrink_to_fit();
            *standing = Standing { done: standing.done, sessions, last_main: None };
        }
    }
    Ok(read)
}

/// Whether [`build`] works out each course's checklist and reads its ticks: the
/// day sheet says what is due before a visit without them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Checklists {
    Worked,
    Skipped,
}

/// The summaries of `courses`: those without a standing read whole.
fn build<Tz: TimeZone>(
    store: &dyn Records,
    courses: Vec<(Course, Option<Standing>)>,
    known: &[Arc<Person>],
    checklists: Checklists,
    rules: &Rules,
    now: DateTime<Utc>,
    tz: &Tz,
) -> Result<Vec<CourseSummary>> {
    let ids: Vec<i64> = courses.iter().map(|(c, _)| c.id).collect();
    let whole: Vec<i64> = courses.iter().filter(|(_, s)| s.is_none()).map(|(c, _)| c.id).collect();
    let mut sessions_by_course: HashMap<i64, Vec<Session>> = HashMap::new();
    if !whole.is_empty() {
        for s in store.sessions_of(&whole)? {
            sessions_by_course.entry(s.course_id).or_default().push(s);
        }
    }
    let mut custom_by_course = match checklists {
        Checklists::Worked => own_items(store, &ids)?,
        Checklists::Skipped => HashMap::new(),
    };
    let shared = shared_items(rules);
    let mut person_ids: Vec<i64> = courses.iter().map(|(c, _)| c.person_id).collect();
    person_ids.sort_unstable();
    person_ids.dedup();
    // One copy of each person, shared by their courses.
    let mut people: HashMap<i64, Arc<Person>> = HashMap::with_capacity(person_ids.len());
    if !known.is_empty() {
        let wanted: HashSet<i64> = person_ids.iter().copied().collect();
        people.extend(known.iter().filter(|p| wanted.contains(&p.id)).map(|p| (p.id, Arc::clone(p))));
        person_ids.retain(|id| !people.contains_key(id));
    }
    people.extend(store.people_by_ids(&person_ids)?.into_iter().map(|p| (p.id, Arc::new(p))));

    // First where each course stands and which items apply, then the ticks and
    // "seen" marks of all those sessions at once.
    let mut out = Vec::with_capacity(courses.len());
    for (course, standing) in courses {
        let whole = standing.is_none();
        let (mine, state) = match standing {
            Some(standing) => {
                let state =
                    course_state_counted(&course, &standing.sessions, standing.counted(), &rules.course, now, tz);
                let sessions = standing.sessions;
                (sessions, state)
            }
            None => {
                let mine = sessions_by_course.remove(&course.id).unwrap_or_default();
                let state = course_state(&course, &mine, &rules.course, now, tz);
                (mine, state)
            }
        };
        let checklist = match checklists {
            Checklists::Worked => {
                let own = custom_by_course.remove(&course.id).unwrap_or_default();
                checklist_of(&shared, &own, &mine, rules, now)
            }
            Checklists::Skipped => Vec::new(),
        };
        let Some(person) = people.get(&course.person_id).map(Arc::clone) else {
            return Err(crate::store::StoreError::NotFound { what: "person", id: course.person_id.to_string() });
        };
        out.push(CourseSummary { course, person, sessions: mine, whole, state, checklist });
    }
    if checklists == Checklists::Worked {
        mark_ticks(store, &mut out)?;
    }
    Ok(out)
}

/// The user's own checklist items of these courses, by course.
fn own_items(store: &dyn Records, ids: &[i64]) -> Result<HashMap<i64, Vec<Arc<ChecklistItem>>>> {
    let mut by_course: HashMap<i64, Vec<Arc<ChecklistItem>>> = HashMap::new();
    for item in store.custom_items_of(ids)? {
        by_course.entry(item.course_id).or_default().push(Arc::new(item.to_item()));
    }
    Ok(by_course)
}

/// The rules' checklist items, each to be shared by every entry of it.
fn shared_items(rules: &Rules) -> Vec<Arc<ChecklistItem>> {
    rules.checklist.iter().cloned().map(Arc::new).collect()
}

/// The items of `shared` and `own` that apply at `now` to one course's
/// `sessions`, not yet ticked (see [`mark_ticks`]).
fn checklist_of(
    shared: &[Arc<ChecklistItem>],
    own: &[Arc<ChecklistItem>],
    sessions: &[Session],
    rules: &Rules,
    now: DateTime<Utc>,
) -> Vec<ChecklistEntry> {
    let items = || shared.iter().chain(own.iter());
    let mut checklist: Vec<ChecklistEntry> =
        active_items(items().map(|i| i.as_ref()), sessions, now, rules.course.pre_care_hours)
            .into_iter()
            .filter_map(|a| {
                let item = items().find(|i| std::ptr::eq(i.as_ref(), a.item))?;
                Some(ChecklistEntry {
                    item: Arc::clone(item),
                    session_id: a.session_id,
                    session_at: a.session_at,
                    until: a.until,
                    done: false,
                    seen: false,
                })
            })
            .collect();
    checklist.shrink_to_fit();
    checklist
}

/// Puts the ticks and "seen" marks of `summaries`' checklist entries on them.
fn mark_ticks(store: &dyn Records, summaries: &mut [CourseSummary]) -> Result<()> {
    // Ticks and "seen" marks, each put on its entries as it is read: entries
    // found by session in a sorted list, not by a key built for each of thousands.
    let mut places: Vec<(i64, usize, usize)> = summaries
        .iter()
        .enumerate()
        .flat_map(|(c, s)| s.checklist.iter().enumerate().map(move |(e, entry)| (entry.session_id, c, e)))
        .collect();
    places.sort_unstable();
    let mut sessions: Vec<i64> = places.iter().map(|&(session, ..)| session).collect();
    sessions.dedup();
    let mut mark = |session_id: i64, item_id: &str, seen: bool| {
        let from = places.partition_point(|&(s, ..)| s < session_id);
        for &(_, c, e) in places[from..].iter().take_while(|&&(s, ..)| s == session_id) {
            if let Some(entry) = summaries[c].checklist.get_mut(e).filter(|entry| entry.item.id == item_id) {
                match seen {
                    true => entry.seen = true,
                    false => entry.done = true,
                }
            }
        }
    };
    store.each_tick(&sessions, &mut |session, item| mark(session, item, false))?;
    store.each_seen(&sessions, &mut |session, item| mark(session, item, true))
}

/// Where `summaries` stand at `now`, worked out again from what they hold (their
/// sessions, and how many were done), with their checklists and ticks read again:
/// what the clock moving on changes, without reading every list again. Finished
/// courses listed only for their maintenance keep no checklist, as when listed.
pub fn restate<Tz: TimeZone>(
    store: &dyn Records,
    summaries: &mut [CourseSummary],
    rules: &Rules,
    now: DateTime<Utc>,
    tz: &Tz,
) -> Result<()> {
    store.consistent(|| {
        let ids: Vec<i64> = summaries.iter().map(|s| s.course.id).collect();
        let own = own_items(store, &ids)?;
        let shared = shared_items(rules);
        for s in summaries.iter_mut() {
            s.state = match s.whole {
                true => course_state(&s.course, &s.sessions, &rules.course, now, tz),
                false => {
                    // Every done session, main and maintenance, as the row counted them.
                    let done = s.state.sessions_done + s.state.maintenance_done;
                    let counted = crate::domain::windows::Counted { done, last_main: s.state.last_main };
                    course_state_counted(&s.course, &s.sessions, counted, &rules.course, now, tz)
                }
            };
            let for_maintenance = s.course.status == CourseStatus::Completed && !s.whole;
            s.checklist = match for_maintenance {
                true => Vec::new(),
                false => {
                    checklist_of(&shared, own.get(&s.course.id).map_or(&[], Vec::as_slice), &s.sessions, rules, now)
                }
            };
        }
        mark_ticks(store, summaries)
    })
}

/// What needs attention before the visit `booking` of `summary`'s course, in a
/// few words each: pre-care under way or ahead, a booking outside its window,
/// no consent on record (on a practitioner's file), open adverse events (most
/// severe first), the caution for the person's skin type. The day sheet asks it.
pub fn before_visit<Tz: TimeZone>(
    summary: &CourseSummary,
    booking: &Session,
    visit: &Visit<'_>,
    rules: &Rules,
    now: DateTime<Utc>,
    tz: &Tz,
) -> Vec<String>
where
    Tz::Offset: std::fmt::Display,
{
    let mut said = Vec::new();
    let starts = crate::domain::windows::pre_care_start(booking.at, &rules.course).core;
    if booking.at > now {
        said.push(match starts <= now {
            true => "pre-care under way".to_string(),
            false => format!("pre-care from {}", crate::text::when_short(starts, tz)),
        });
    }
    let day = crate::domain::time::local_date(booking.at, tz);
    if let Some(w) = summary.state.next_window.or(summary.state.maintenance)
        && (day < w.earliest || day > w.latest)
    {
        said.push(format!(
            "outside its window ({} – {})",
            crate::text::day_short(w.earliest),
            crate::text::day_short(w.latest)
        ));
    }
    if visit.kind == crate::domain::FileKind::Practitioner && !visit.consent {
        said.push("no consent on record".into());
    }
    if let Some(open) = crate::text::open_events(visit.events, rules, 2) {
        said.push(format!("open: {open}"));
    }
    // The caution's first clause: the sheet has a line, the card the rest.
    if let Some(caution) = crate::domain::depth::skin_note(summary.person.skin_type, rules).into_iter().next() {
        said.push(caution.split(':').next().unwrap_or_default().trim().to_string());
    }
    said
}

/// What the day sheet knows of a visit besides its course: whose file it is,
/// whether consent is on record, the course's adverse events.
pub struct Visit<'a> {
    pub kind: crate::domain::FileKind,
    pub consent: bool,
    pub events: &'a [crate::domain::AdverseEvent],
}

/// One booking of a day sheet: when, whose (told apart from a namesake), which
/// course and its place, and what needs attention before the visit.
#[derive(Debug, Clone, PartialEq)]
pub struct Booking {
    pub session_id: i64,
    pub course_id: i64,
    pub person: Person,
    pub at: DateTime<Utc>,
    /// The name, with the date of birth or #id when someone shares it.
    pub client: String,
    /// `Scars (general) · session 5 of 6 (#464)`.
    pub course: String,
    pub attention: Vec<String>,
}

/// The bookings from `start` to before `end`, in time order, for the day sheet
/// of the app and `needlelog day` alike. One read of the bookings by time, then
/// their courses, consents and events.
pub fn day_sheet<Tz: TimeZone>(
    store: &dyn Records,
    rules: &Rules,
    kind: crate::domain::FileKind,
    (start, end): (DateTime<Utc>, DateTime<Utc>),
    now: DateTime<Utc>,
    tz: &Tz,
) -> Result<Vec<Booking>>
where
    Tz::Offset: std::fmt::Display,
{
    let (bookings, summaries, consents, events, namesakes) = store.consistent(|| {
        let bookings = store.bookings_between(start, end)?;
        let mut course_ids: Vec<i64> = bookings.iter().map(|&(_, course)| course).collect();
        course_ids.sort_unstable();
        course_ids.dedup();
        // Where each booked course stands, from its row: not its every session.
        let mut courses = store.courses_standing_by_ids(&course_ids)?;
        read_whole_where_needed(store, &mut courses, now)?;
        let courses = courses.into_iter().map(|(course, standing)| (course, Some(standing))).collect();
        // Where each course stands, without its checklist: the sheet does not show it.
        let summaries = build(store, courses, &[], Checklists::Skipped, rules, now, tz)?;
        let consents = store.consents_of(&course_ids)?;
        let events = store.events_of_courses(&course_ids)?;
        let clients: Vec<&Person> = summaries.iter().map(|s| s.person.as_ref()).collect();
        let namesakes = store.namesakes_among(&clients)?;
        Ok((bookings, summaries, consents, events, namesakes))
    })?;
    let by_course: HashMap<i64, &CourseSummary> = summaries.iter().map(|s| (s.course.id, s)).collect();
    let mut out = Vec::with_capacity(bookings.len());
    for (session_id, course_id) in bookings {
        // The booking as its course's standing holds it (its time and device).
        let Some(summary) = by_course.get(&course_id) else { continue };
        let Some(booking) = summary.sessions.iter().find(|s| s.id == session_id) else { continue };
        let mine: Vec<crate::domain::AdverseEvent> =
            events.iter().filter(|(course, _)| *course == booking.course_id).map(|(_, e)| e.clone()).collect();
        let visit = Visit { kind, consent: consents.iter().any(|c| c.course_id == booking.course_id), events: &mine };
        out.push(Booking {
            session_id: booking.id,
            course_id: booking.course_id,
            person: summary.person.as_ref().clone(),
            at: booking.at,
            client: summary.person.told_apart(namesakes.contains(&summary.person.id)),
            course: format!("{} · {}", rules.concern_name(&summary.course.concern), summary.session_label(booking.id)),
            attention: before_visit(summary, booking, &visit, rules, now, tz),
        });
    }
    Ok(out)
}
