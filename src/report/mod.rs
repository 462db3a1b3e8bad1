//! A one-page course report to hand over: `needlelog report` and `R` in the app.
//!
//! `gather` reads one course (sessions with depths, ticks) through the store;
//! `CourseReport` holds every fact the page shows, worded once; `html` (maud,
//! escaped by default, print CSS, inline SVG) and `markdown` lay it out; `svg`
//! draws the course's timeline and the ratings trend.

pub mod html;
pub mod markdown;
mod svg;

use std::collections::HashSet;

use chrono::{DateTime, NaiveDate, TimeZone, Utc};

use crate::domain::rules::Rules;
use crate::domain::time::{after_hours, local_date};
use crate::domain::windows::DateWindow;
use crate::domain::{Course, Person, Session, SessionStatus};
use crate::store::Result;
use crate::store::prelude::*;
use crate::summary::{CourseSummary, summarize};
use crate::text;

/// The footer every report carries.
pub const DISCLAIMER: &str = "A logbook, not medical advice.";

/// Today is drawn on the timeline when it falls this close after the course.
const TODAY_NEAR_DAYS: u64 = 90;

/// Notes in the sessions table are cut here so the page stays one page.
const NOTES_IN_TABLE: usize = 140;

/// One row of the sessions table.
#[derive(Debug, Clone)]
pub struct SessionRow {
    pub id: i64,
    /// `3` for the third session of the course; `None` for planned and cancelled.
    pub number: Option<usize>,
    /// How the row is numbered: `3`, or `M1` for the first maintenance session
    /// (past the course's own); empty for planned and cancelled ones.
    pub place: String,
    pub status: SessionStatus,
    pub at: DateTime<Utc>,
    pub date: String,
    pub device: String,
    pub depths: String,
    pub passes: String,
    pub serum: String,
    /// The serum's lot number.
    pub lot: String,
    pub numbing: String,
    pub pain: String,
    pub reaction: String,
    pub rating: Option<u8>,
    pub provider: String,
    /// Checklist items ticked of those that applied (done sessions).
    pub care: Option<(usize, usize)>,
    /// The contraindication answers given before it: `none applied`, the ones
    /// that did, or `not recorded`.
    pub screening: String,
    pub notes: String,
}

/// A labelled fact: `Started · Mon 5 Jan 2026`.
#[derive(Debug, Clone)]
pub struct Fact {
    pub label: &'static str,
    pub value: String,
}

/// What the timeline graphic draws, in days and instants.
#[derive(Debug, Clone)]
pub struct Timeline {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub today: NaiveDate,
    /// (day, done?) per done or planned session.
    pub sessions: Vec<(NaiveDate, bool)>,
    /// The days of the sensitive hours after each done session.
    pub sensitive: Vec<(NaiveDate, NaiveDate)>,
    pub next_window: Option<DateWindow>,
    pub remodeling: Option<(NaiveDate, NaiveDate)>,
    pub results: Option<NaiveDate>,
    pub maintenance: Option<DateWindow>,
}

/// Every fact of one course's report, worded for people.
#[derive(Debug, Clone)]
pub struct CourseReport {
    pub title: String,
    pub person: String,
    pub skin_type: Option<String>,
    pub concern: String,
    pub areas: String,
    pub facts: Vec<Fact>,
    pub protocol: Option<String>,
    pub course_notes: String,
    pub sessions: Vec<SessionRow>,
    /// (session number, rating) of done sessions with a rating, in order.
    pub ratings: Vec<(usize, u8)>,
    pub final_rating: Option<u8>,
    pub timeline: Timeline,
    /// Adverse events, one line each: `#3 Bruising 1/3, 5 Mar – 7 Mar: cold pack`.
    pub events: Vec<String>,
    /// How recoveries compare, from the diary: `Redness gone by day 2 after session 3, …`.
    pub recovery: Vec<String>,
    /// What was voided (kept on record, counted nowhere): `session of 3 Mar 2026
    /// 10:00, voided 6 Dec 2026 by Dr Lee: wrong client`.
    pub voided: Vec<String>,
    pub made: String,
}

/// Reads course `course_id` whole and words its report at `now`.
pub fn gather<Tz: TimeZone>(
    store: &dyn Records,
    course_id: i64,
    rules: &Rules,
    now: DateTime<Utc>,
    tz: &Tz,
) -> Result<CourseReport>
where
    Tz::Offset: std::fmt::Display,
{
    store.consistent(|| {
        let course = store.course(course_id)?;
        let Some(mut summary) = summarize(store, vec![course], rules, now, tz)?.pop() else {
            return Err(crate::store::StoreError::NotFound { what: "course", id: course_id.to_string() });
        };
        store.fill_depths(&mut summary.sessions)?;
        let ids: Vec<i64> = summary.sessions.iter().map(|s| s.id).collect();
        let ticks: HashSet<(i64, String)> =
            store.ticks_of(&ids)?.into_iter().map(|t| (t.session_id, t.item_id)).collect();
        let own = store.custom_items(course_id)?;
        let mut items: Vec<String> = rules.checklist.iter().map(|i| i.id.clone()).collect();
        items.extend(own.iter().map(|i| i.to_item().id));
        let events = store.events_of_sessions(&ids)?;
        let mut report = build(&summary, &items, &ticks, rules, now, tz);
        report.events = event_lines(&report, &events, rules);
        report.voided.extend(events.iter().filter_map(|e| {
            let what = format!("{} noticed {}", rules.adverse_name(&e.kind), text::day_short(e.noticed_on));
            Some(voided_line(&what, e.void.as_ref()?))
        }));
        let diary = store.diary_of(&ids)?;
        report.recovery = recovery_lines(&summary, &diary);
        Ok(report)
    })
}

/// The report of `summary` (sessions with depths), given the ids of the checklist
/// items that apply to a session and the ticks made.
pub fn build<Tz: TimeZone>(
    summary: &CourseSummary,
    items: &[String],
    ticks: &HashSet<(i64, String)>,
    rules: &Rules,
    now: DateTime<Utc>,
    tz: &Tz,
) -> CourseReport
where
    Tz::Offset: std::fmt::Display,
{
    let CourseSummary { course, person, sessions, state, .. } = summary;
    let mut number = 0;
    let rows: Vec<SessionRow> = sessions
        .iter()
        .filter(|s| s.void.is_none())
        .map(|s| {
            let nth = s.is_done().then(|| {
                number += 1;
                number
            });
            row(s, nth, items, ticks, tz)
        })
        .collect();
    // Past the course's own sessions, a row is maintenance: numbered apart.
    let target = usize::try_from(course.sessions_target).unwrap_or(usize::MAX);
    let rows: Vec<SessionRow> = rows
        .into_iter()
        .map(|r| {
            let place = match r.number {
                Some(n) if n > target => format!("M{}", n - target),
                Some(n) => n.to_string(),
                None => String::new(),
            };
            SessionRow { place, ..r }
        })
        .collect();
    let ratings: Vec<(usize, u8)> = rows.iter().filter_map(|r| Some((r.number?, r.rating?))).collect();

    let first_day = sessions.iter().filter(|s| s.is_done()).map(|s| local_date(s.at, tz)).min();
    let started = first_day.map_or(course.started_on, |d| d.min(course.started_on));
    let mut facts = vec![
        Fact { label: "Started", value: text::day(started) },
        Fact { label: "Sessions", value: text::sessions_done(state) },
    ];
    if let Some(last) = state.last_done {
        facts.push(Fact { label: "Last session", value: text::day(local_date(last, tz)) });
    }
    match (state.next_window, state.sessions_left) {
        (_, 0) => facts.push(Fact { label: "Next session", value: "none: the course is complete".into() }),
        (Some(w), _) => facts.push(Fact { label: "Next window", value: window_text(w) }),
        (None, _) => facts.push(Fact { label: "Next session", value: "after the first one is logged".into() }),
    }
    if let Some((_, at)) = state.next_planned {
        facts.push(Fact { label: "Planned", value: text::when(at, tz) });
    }
    if let Some(results) = state.final_results {
        let basis = text::results_basis(state.results_basis);
        facts.push(Fact { label: "Final results", value: format!("{}{basis}", text::day(results)) });
    }
    if let Some(end) = state.remodeling_end {
        facts.push(Fact { label: "Collagen builds until", value: format!("about {}", text::day(end)) });
    }
    if let Some(m) = state.maintenance {
        facts.push(Fact { label: "Maintenance", value: window_text(m) });
    } else {
        facts.push(Fact {
            label: "Maintenance",
            value: format!("every {}–{} months after the course", course.maintenance.min, course.maintenance.max),
        });
    }
    facts.push(Fact {
        label: "Plan",
        value: format!(
            "{} sessions, {}–{} days apart, {}",
            course.sessions_target, course.interval.min, course.interval.max, course.device
        ),
    });
    if let Some(r) = course.final_rating {
        facts.push(Fact { label: "Final rating", value: format!("{r}/10") });
    }

    let protocol = rules.protocol(&course.concern).map(|p| {
        format!("{} sessions, {} apart — {}", p.sessions_text(), p.interval_text(), text::source_words(&p.source))
    });

    CourseReport {
        title: format!("{} ({})", rules.concern_name(&course.concern), course.areas.join(", ")),
        person: person.name.clone(),
        skin_type: person.skin_type.map(|t| format!("skin type {}", t.label())),
        concern: rules.concern_name(&course.concern).to_string(),
        areas: course.areas.join(", "),
        facts,
        protocol,
        course_notes: course.notes.clone(),
        sessions: rows,
        ratings,
        final_rating: course.final_rating,
        timeline: timeline(course, sessions, summary, rules, now, tz),
        events: Vec::new(),
        recovery: Vec::new(),
        voided: sessions
            .iter()
            .filter_map(|s| Some(voided_line(&format!("session of {}", text::when(s.at, tz)), s.void.as_ref()?)))
            .collect(),
        made: text::when(now, tz),
    }
}

/// The recovery diary compared across the course's done sessions, latest first.
fn recovery_lines(summary: &CourseSummary, diary: &[crate::domain::DiaryEntry]) -> Vec<String> {
    text::recovery_comparison(&summary.diary_by_session(diary)).into_iter().map(|l| text::capitalized(&l)).collect()
}

/// Each adverse event in a line, by the session's place in the course.
/// One line of the appendix of what was voided.
fn voided_line(what: &str, void: &crate::domain::Void) -> String {
    let by = if void.by.is_empty() { String::new() } else { format!(" by {}", void.by) };
    let why = if void.reason.is_empty() { "no reason given".to_string() } else { text::abbreviate(&void.reason, 80) };
    format!("{what}, voided {}{by}: {why}", text::day(void.at.date_naive()))
}

fn event_lines(report: &CourseReport, events: &[crate::domain::AdverseEvent], rules: &Rules) -> Vec<String> {
    events
        .iter()
        .filter(|e| e.void.is_none())
        .map(|e| {
            let place = report
                .sessions
                .iter()
                .find(|s| s.id == e.session_id)
                .and_then(|s| s.number)
                .map_or_else(|| format!("session {}", e.session_id), |n| format!("#{n}"));
            let until = e.resolved_on.map_or_else(|| "open".to_string(), text::day_short);
            let notes =
                if e.notes.is_empty() { String::new() } else { format!(": {}", text::abbreviate(&e.notes, 80)) };
            format!(
                "{place} {} {}/3, {} – {until}{notes}",
                rules.adverse_name(&e.kind),
                e.severity,
                text::day_short(e.noticed_on)
            )
        })
        .collect()
}

fn window_text(w: DateWindow) -> String {
    format!("{} – {}", text::day(w.earliest), text::day(w.latest))
}

fn row<Tz: TimeZone>(
    s: &Session,
    number: Option<usize>,
    items: &[String],
    ticks: &HashSet<(i64, String)>,
    tz: &Tz,
) -> SessionRow
where
    Tz::Offset: std::fmt::Display,
{
    // Every field of the session is named: a new one does not build until the
    // report shows it (or says why not).
    let Session {
        id,
        course_id: _, // the report is of one course
        at,
        utc_offset_s: _, // `date` is in the reader's zone
        status,
        device,
        device_model,
        depths: _, // read through `depths()`
        passes,
        serum,
        lot,
        numbing,
        pain,
        reaction,
        rating,
        provider,
        screening,
        notes,
        void: _,     // a voided session is not a row: it is in the appendix (`voided`)
        revision: _, // the file's bookkeeping
    } = s;
    let opt = |v: &Option<String>| v.clone().unwrap_or_default();
    let care = s.is_done().then(|| {
        let ticked = items.iter().filter(|item| ticks.contains(&(*id, (*item).clone()))).count();
        (ticked, items.len())
    });
    let device = match device_model.as_deref().map(str::trim) {
        Some(model) if !model.is_empty() => format!("{device} ({model})"),
        _ => device.to_string(),
    };
    SessionRow {
        id: *id,
        number,
        place: String::new(),
        status: *status,
        at: *at,
        date: text::when_compact(*at, tz),
        device,
        depths: s.depths().iter().map(|d| format!("{} {} mm", d.area, d.mm)).collect::<Vec<_>>().join(", "),
        passes: passes.map(|p| p.to_string()).unwrap_or_default(),
        serum: opt(serum),
        lot: opt(lot),
        numbing: opt(numbing),
        pain: pain.map(|p| format!("{p}/10")).unwrap_or_default(),
        reaction: reaction.map(|r| r.to_string()).unwrap_or_default(),
        rating: *rating,
        provider: opt(provider),
        care,
        screening: text::screening(screening.as_deref()),
        notes: text::abbreviate(notes, NOTES_IN_TABLE),
    }
}

fn timeline<Tz: TimeZone>(
    course: &Course,
    sessions: &[Session],
    summary: &CourseSummary,
    rules: &Rules,
    now: DateTime<Utc>,
    tz: &Tz,
) -> Timeline {
    let state = &summary.state;
    let shown: Vec<&Session> = sessions.iter().filter(|s| s.status != SessionStatus::Cancelled).collect();
    let days: Vec<(NaiveDate, bool)> = shown.iter().map(|s| (local_date(s.at, tz), s.is_done())).collect();
    let sensitive = shown
        .iter()
        .filter(|s| s.is_done())
        .map(|s| (local_date(s.at, tz), local_date(after_hours(s.at, rules.course.sensitive_hours), tz)))
        .collect();
    let first = days.iter().map(|(d, _)| *d).min().unwrap_or(course.started_on).min(course.started_on);
    let last_done = state.last_done.map(|at| local_date(at, tz));
    let remodeling = match (last_done, state.remodeling_end) {
        (Some(from), Some(to)) => Some((from, to)),
        _ => None,
    };
    let mut ends = vec![first];
    ends.extend(days.iter().map(|(d, _)| *d));
    ends.extend(state.next_window.map(|w| w.latest));
    ends.extend(state.final_results);
    ends.extend(state.remodeling_end);
    let course_end = ends.into_iter().max().unwrap_or(first);
    // Today widens the axis only when it is near the course: a course of years ago
    // keeps its own scale (and no "today" line).
    let near = course_end.checked_add_days(chrono::Days::new(TODAY_NEAR_DAYS)).unwrap_or(course_end);
    let to = if state.today <= near { course_end.max(state.today) } else { course_end };
    Timeline {
        from: first,
        to: to.max(first.succ_opt().unwrap_or(first)),
        today: local_date(now, tz),
        sessions: days,
        sensitive,
        next_window: state.next_window,
        remodeling,
        results: state.final_results,
        maintenance: state.maintenance,
    }
}

/// The course a report is about when none is named: the only running course, or
/// "Me"'s; `Err` lists the candidates.
pub fn default_course(courses: &[Course], people: &[Person]) -> std::result::Result<i64, Vec<i64>> {
    let running: Vec<&Course> = courses.iter().filter(|c| c.status == crate::domain::CourseStatus::Active).collect();
    if let [one] = running.as_slice() {
        return Ok(one.id);
    }
    let me = people.iter().find(|p| p.is_me()).map(|p| p.id);
    let mine: Vec<&&Course> = running.iter().filter(|c| Some(c.person_id) == me).collect();
    if let [one] = mine.as_slice() {
        return Ok(one.id);
    }
    if running.is_empty()
        && let [one] = courses
    {
        return Ok(one.id);
    }
    Err(if running.is_empty() {
        courses.iter().map(|c| c.id).collect()
    } else {
        running.iter().map(|c| c.id).collect()
    })
}
