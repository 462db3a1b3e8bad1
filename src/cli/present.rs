//! What the command line shows: aligned tables, the lines that say where a course
//! stands, and the stable JSON forms of sessions and courses. Shared by every
//! command so they read alike.

use serde_json::json;

use super::Ctx;
use crate::domain::windows::Phase;
use crate::domain::{CarePhase, Rules, Session};
use crate::summary::CourseSummary;
use crate::text;

/// The widest a table cell is shown, in columns.
const CELL_MAX: usize = 48;

/// Rows as columns separated by two spaces; the first row is the header.
/// Every cell is shown safely (control characters visible, a line break as ⏎) and
/// cut to [`CELL_MAX`] columns by display width, so CJK, emoji and accents align.
pub(super) fn table(rows: Vec<Vec<String>>) -> String {
    aligned(rows, false)
}

/// [`table`] with the last column whole, however long: what is to be copied
/// from it (a file name `restore` takes).
pub(super) fn table_last_whole(rows: Vec<Vec<String>>) -> String {
    aligned(rows, true)
}

/// A table written as its rows come, for lists of any length: the first
/// [`TableStream::BLOCK`] rows set the columns' widths (a table that short reads
/// exactly as [`table`] has it); later rows are fitted to those widths.
pub(super) struct TableStream {
    rows: Vec<Vec<String>>,
    widths: Option<Vec<usize>>,
    /// Whether the first row is a header (a table of a header alone says nothing).
    headed: bool,
}

impl TableStream {
    const BLOCK: usize = 2000;

    pub(super) fn new(header: Vec<String>) -> TableStream {
        TableStream { rows: vec![header], widths: None, headed: true }
    }

    /// A table without a header, starting with `first`.
    pub(super) fn rows(first: Vec<String>) -> TableStream {
        TableStream { rows: vec![first], widths: None, headed: false }
    }

    pub(super) fn push(&mut self, row: Vec<String>, out: &mut super::context::Stream<'_>) {
        match &self.widths {
            None => {
                self.rows.push(row);
                if self.rows.len() > Self::BLOCK {
                    let rows = std::mem::take(&mut self.rows);
                    let cells: Vec<Vec<String>> = rows.into_iter().map(shown_cells).collect();
                    let widths = widths_of(&cells);
                    for row in &cells {
                        out.write(&line_of(row, &widths));
                    }
                    self.widths = Some(widths);
                }
            }
            Some(widths) => {
                let cells: Vec<String> =
                    row.iter().zip(widths).map(|(c, w)| text::fit(&text::printable(c), *w)).collect();
                out.write(&line_of(&cells, widths));
            }
        }
    }

    /// Writes what is held back; true when there was a row (under the header).
    pub(super) fn finish(self, out: &mut super::context::Stream<'_>) -> bool {
        if self.widths.is_some() {
            return true;
        }
        if self.rows.len() <= usize::from(self.headed) {
            return false;
        }
        out.write(&aligned(self.rows, false));
        out.write("\n");
        true
    }
}

/// A row's cells as a table shows them: safely, each cut to [`CELL_MAX`].
fn shown_cells(row: Vec<String>) -> Vec<String> {
    row.iter().map(|c| text::fit(&text::printable(c), CELL_MAX)).collect()
}

fn widths_of(rows: &[Vec<String>]) -> Vec<usize> {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    (0..columns).map(|i| rows.iter().filter_map(|r| r.get(i)).map(|c| text::width(c)).max().unwrap_or(0)).collect()
}

/// One row, its cells padded to `widths` two spaces apart, with its line break.
fn line_of(row: &[String], widths: &[usize]) -> String {
    let mut line = String::new();
    for (i, cell) in row.iter().enumerate() {
        line.push_str(cell);
        if i + 1 < row.len() {
            line.push_str(&" ".repeat(widths.get(i).copied().unwrap_or(0).saturating_sub(text::width(cell)) + 2));
        }
    }
    let mut line = line.trim_end().to_string();
    line.push('\n');
    line
}

fn aligned(rows: Vec<Vec<String>>, last_whole: bool) -> String {
    let rows: Vec<Vec<String>> = rows
        .into_iter()
        .map(|r| {
            let n = r.len();
            r.iter()
                .enumerate()
                .map(|(i, c)| match last_whole && i + 1 == n {
                    true => text::printable(c),
                    false => text::fit(&text::printable(c), CELL_MAX),
                })
                .collect()
        })
        .collect();
    let widths = widths_of(&rows);
    let mut out = String::new();
    for row in &rows {
        out.push_str(&line_of(row, &widths));
    }
    out.pop();
    out
}

/// The phase, progress, windows and active checklist of one course.
pub(super) fn state_lines(ctx: &mut Ctx, s: &CourseSummary) {
    let st = &s.state;
    let tz = ctx.tz;
    let phase_line = match &st.phase {
        Phase::Sensitive { until, intense, .. } => {
            let hours = ctx.rules.course.most_intense_hours;
            let note = if *intense { format!(" — the first {hours} h are the most intense") } else { String::new() };
            format!("{} — until {}{note}", text::badge(st), text::when_short(*until, &tz))
        }
        Phase::PreCare { at, .. } => format!("{} — session {}", text::badge(st), text::when_short(*at, &tz)),
        Phase::Complete { maintenance_from } => {
            format!("{} — maintenance from {}", text::badge(st), text::day(*maintenance_from))
        }
        _ => text::badge(st),
    };
    ctx.say(format!("  now          {phase_line}"));
    ctx.say(format!("  sessions     {}, {} left", text::sessions_done(st), st.sessions_left));
    if let Some(day) = st.settled_by {
        ctx.say(format!("  settled by   {} (the last maintenance session's results)", text::day(day)));
    }
    if let Some(w) = st.next_window {
        ctx.say(format!("  next window  {} – {}", text::day(w.earliest), text::day(w.latest)));
    }
    if let Some(w) = st.maintenance {
        ctx.say(format!("  maintenance  {} – {}", text::day(w.earliest), text::day(w.latest)));
    }
    for &(id, at) in &st.unresolved {
        ctx.say(format!("  happened?    {}, planned {} — did it happen?", s.session_label(id), text::when(at, &tz)));
        ctx.say(format!(
            "               done: needlelog log --done {id} · moved: needlelog edit {id} --at DATETIME · \
             cancelled: needlelog edit {id} --status cancelled"
        ));
    }
    if let Some((id, at)) = st.next_planned {
        let note = text::booking_note(st, &tz).map(|n| format!(" — {n}")).unwrap_or_default();
        ctx.say(format!("  planned      {} — {}{note}", text::when(at, &tz), s.session_label(id)));
    }
    if let (Some(results), Some(remodeling)) = (st.final_results, st.remodeling_end) {
        let estimate = text::results_basis(st.results_basis);
        let rated = s.course.final_rating.map(|r| format!(", rated {r}/10")).unwrap_or_default();
        ctx.say(format!("  results      {}{estimate}{rated}", text::day(results)));
        ctx.say(format!("  collagen     keeps building until about {}", text::day(remodeling)));
    }
    let mut last_session = None;
    for entry in &s.checklist {
        if last_session != Some(entry.session_id) {
            last_session = Some(entry.session_id);
            let side = if entry.item.phase == CarePhase::Pre { "before" } else { "after" };
            let (done, total) = count_for(s, entry.session_id);
            ctx.say(format!(
                "  checklist    {side} {} ({}) · {done}/{total} ticked",
                s.session_place(entry.session_id),
                text::when_short(entry.session_at, &tz)
            ));
        }
        let mark = if entry.done { "[x]" } else { "[ ]" };
        ctx.say(format!(
            "    {mark} {:<22} {} (until {})",
            entry.item.id,
            entry.item.text,
            text::when_short(entry.until, &tz)
        ));
    }
}

fn count_for(s: &CourseSummary, session_id: i64) -> (usize, usize) {
    let of_session = s.checklist.iter().filter(|e| e.session_id == session_id);
    (of_session.clone().filter(|e| e.done).count(), of_session.count())
}

/// The stable JSON form of a course and where it stands (`status --json`).
#[derive(serde::Serialize)]
pub(super) struct CourseJson<'a> {
    id: i64,
    person: &'a str,
    concern: &'a str,
    concern_name: &'a str,
    areas: &'a [String],
    status: &'static str,
    phase: &'static str,
    phase_label: String,
    hours_left: Option<i64>,
    sessions_done: u32,
    sessions_target: u32,
    sessions_left: u32,
    /// Maintenance sessions done after the main ones.
    maintenance_done: u32,
    /// The last maintenance session's own results day.
    #[serde(skip_serializing_if = "Option::is_none")]
    settled_by: Option<String>,
    interval_days: MinMax,
    last_session: Option<Instant>,
    next_planned: Option<Planned>,
    /// Planned sessions whose time has passed: did they happen?
    unresolved: PlannedList<'a>,
    next_window: Option<WindowJson>,
    maintenance: Option<WindowJson>,
    final_results: Option<Day>,
    final_results_projected: bool,
    remodeling_end: Option<Day>,
    checklist: ItemsJson<'a>,
}

/// An instant as RFC 3339 (`2026-11-23T09:00:00+00:00`, as `to_rfc3339` writes
/// it), written straight into the JSON: thousands of courses, no string each.
struct Instant(chrono::DateTime<chrono::Utc>);

impl serde::Serialize for Instant {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use chrono::Timelike;
        use chrono::format::{Fixed, Item};
        // Whole seconds of years 0–9999, digit by digit: through chrono's
        // formatting machinery, the 35,000 dates of `status --json` at a million
        // sessions took 5 ms.
        let mut text = *b"0000-00-00T00:00:00+00:00";
        let time = self.0.time();
        if time.nanosecond() == 0 && put_date(&mut text, self.0.date_naive()) {
            put_digits(&mut text[11..13], time.hour());
            put_digits(&mut text[14..16], time.minute());
            put_digits(&mut text[17..19], time.second());
            return serializer.serialize_str(ascii(&text));
        }
        const RFC3339: [Item<'static>; 1] = [Item::Fixed(Fixed::RFC3339)];
        serializer.collect_str(&self.0.format_with_items(RFC3339.iter()))
    }
}

/// A day as `2026-11-23`, as chrono writes it, without its formatting machinery.
struct Day(chrono::NaiveDate);

impl serde::Serialize for Day {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut text = *b"0000-00-00";
        match put_date(&mut text, self.0) {
            true => serializer.serialize_str(ascii(&text)),
            false => self.0.serialize(serializer),
        }
    }
}

/// Writes `day` as `YYYY-MM-DD` over the first ten bytes of `out`; false (and
/// nothing written) for a year chrono writes with a sign (before 0 or after 9999).
fn put_date(out: &mut [u8], day: chrono::NaiveDate) -> bool {
    use chrono::Datelike;
    let Some(year) = u32::try_from(day.year()).ok().filter(|&y| y <= 9999) else { return false };
    put_digits(&mut out[0..4], year);
    put_digits(&mut out[5..7], day.month());
    put_digits(&mut out[8..10], day.day());
    true
}

/// `n` in decimal, zero-padded to fill `out` (the lowest digits if it is longer).
fn put_digits(out: &mut [u8], mut n: u32) {
    for digit in out.iter_mut().rev() {
        *digit = b'0' + (n % 10) as u8;
        n /= 10;
    }
}

/// Text made only of ASCII digits and punctuation by [`put_date`] and [`put_digits`].
fn ascii(text: &[u8]) -> &str {
    std::str::from_utf8(text).unwrap_or_default()
}

struct PlannedList<'a>(&'a [(i64, chrono::DateTime<chrono::Utc>)]);

impl serde::Serialize for PlannedList<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.iter().map(|&(id, at)| Planned { id, at: Instant(at) }))
    }
}

struct ItemsJson<'a>(&'a [crate::summary::ChecklistEntry]);

impl serde::Serialize for ItemsJson<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.iter().map(|e| ItemJson {
            id: &e.item.id,
            text: &e.item.text,
            phase: e.item.phase.key(),
            done: e.done,
            session_id: e.session_id,
            until: Instant(e.until),
        }))
    }
}

#[derive(serde::Serialize)]
struct MinMax {
    min: u32,
    max: u32,
}

#[derive(serde::Serialize)]
struct Planned {
    id: i64,
    at: Instant,
}

#[derive(serde::Serialize)]
struct WindowJson {
    earliest: Day,
    latest: Day,
}

#[derive(serde::Serialize)]
struct ItemJson<'a> {
    id: &'a str,
    text: &'a str,
    phase: &'static str,
    done: bool,
    session_id: i64,
    until: Instant,
}

/// Courses in their JSON form, each built as it is written and let go once it
/// is: a list of thousands never exists whole a second time, nor is freed all at
/// once at the end.
pub(super) struct CoursesJson<'a>(std::cell::RefCell<std::vec::IntoIter<CourseSummary>>, &'a Rules);

impl<'a> CoursesJson<'a> {
    pub(super) fn new(courses: Vec<CourseSummary>, rules: &'a Rules) -> Self {
        CoursesJson(std::cell::RefCell::new(courses.into_iter()), rules)
    }
}

impl serde::Serialize for CoursesJson<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        /// One course, freed once written.
        struct Written<'a>(CourseSummary, &'a Rules);
        impl serde::Serialize for Written<'_> {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                course_json(self.1, &self.0).serialize(serializer)
            }
        }
        let mut courses = self.0.borrow_mut();
        serializer.collect_seq(courses.by_ref().map(|s| Written(s, self.1)))
    }
}

pub(super) fn course_json<'a>(rules: &'a Rules, s: &'a CourseSummary) -> CourseJson<'a> {
    use crate::domain::windows::{DateWindow, Phase};
    let st = &s.state;
    let hours_left = match &st.phase {
        Phase::Sensitive { hours_left, .. } | Phase::PreCare { hours_left, .. } => Some(*hours_left),
        _ => None,
    };
    let window = |w: Option<DateWindow>| w.map(|w| WindowJson { earliest: Day(w.earliest), latest: Day(w.latest) });
    CourseJson {
        id: s.course.id,
        person: &s.person.name,
        concern: &s.course.concern,
        concern_name: rules.concern_name(&s.course.concern),
        areas: &s.course.areas,
        status: s.course.status.key(),
        phase: st.phase.key(),
        phase_label: text::badge(st),
        hours_left,
        sessions_done: st.sessions_done,
        sessions_target: st.sessions_target,
        sessions_left: st.sessions_left,
        maintenance_done: st.maintenance_done,
        settled_by: st.settled_by.map(|d| d.to_string()),
        interval_days: MinMax { min: s.course.interval.min, max: s.course.interval.max },
        last_session: st.last_done.map(Instant),
        next_planned: st.next_planned.map(|(id, at)| Planned { id, at: Instant(at) }),
        unresolved: PlannedList(&st.unresolved),
        next_window: window(st.next_window),
        maintenance: window(st.maintenance),
        final_results: st.final_results.map(Day),
        final_results_projected: st.final_results_projected,
        remodeling_end: st.remodeling_end.map(Day),
        checklist: ItemsJson(&s.checklist),
    }
}

/// The stable JSON form of a session.
pub(super) fn session_json(s: &Session) -> serde_json::Value {
    json!({
        "id": s.id,
        "course_id": s.course_id,
        "at": s.at.to_rfc3339(),
        "utc_offset_seconds": s.utc_offset_s,
        "status": s.status.key(),
        "device": s.device.key(),
        "device_model": s.device_model,
        "depths": s.depths().iter().map(|d| json!({ "area": d.area, "mm": d.mm })).collect::<Vec<_>>(),
        "passes": s.passes,
        "serum": s.serum,
        "lot": s.lot,
        "numbing": s.numbing,
        "pain": s.pain,
        "reaction": s.reaction.map(|r| r.key()),
        "rating": s.rating,
        "provider": s.provider,
        "notes": s.notes,
        "screening": s.screening,
        "void": s.void.as_ref().map(|v| json!({ "at": v.at.to_rfc3339(), "by": v.by, "reason": v.reason })),
        "revision": s.revision,
    })
}

/// Whose each course is, as a list of sessions across courses names them: the
/// name, told apart from a namesake's by date of birth or #id. Learnt a chunk of
/// sessions at a time, each course and person read once.
#[derive(Default)]
pub(super) struct Clients {
    namesakes: Option<std::collections::HashSet<i64>>,
    person_of: std::collections::HashMap<i64, i64>,
    names: std::collections::HashMap<i64, String>,
}

impl Clients {
    pub(super) fn learn(
        &mut self,
        store: &dyn crate::store::Records,
        sessions: &[Session],
    ) -> crate::store::Result<()> {
        let mut courses: Vec<i64> =
            sessions.iter().map(|s| s.course_id).filter(|id| !self.person_of.contains_key(id)).collect();
        courses.sort_unstable();
        courses.dedup();
        if courses.is_empty() {
            return Ok(());
        }
        self.person_of.extend(store.courses_by_ids(&courses)?.into_iter().map(|c| (c.id, c.person_id)));
        let mut people: Vec<i64> = courses
            .iter()
            .filter_map(|c| self.person_of.get(c).copied())
            .filter(|p| !self.names.contains_key(p))
            .collect();
        people.sort_unstable();
        people.dedup();
        if people.is_empty() {
            return Ok(());
        }
        if self.namesakes.is_none() {
            self.namesakes = Some(store.namesakes()?);
        }
        let namesakes = self.namesakes.as_ref();
        for p in store.people_by_ids(&people)? {
            let told = p.told_apart(namesakes.is_some_and(|n| n.contains(&p.id)));
            self.names.insert(p.id, told);
        }
        Ok(())
    }

    pub(super) fn of(&self, course_id: i64) -> String {
        self.person_of.get(&course_id).and_then(|p| self.names.get(p)).cloned().unwrap_or_else(|| "–".into())
    }
}

/// The header of a table of sessions (with whose and which course, across courses).
pub(super) fn session_header(with_course: bool) -> Vec<String> {
    let mut header = vec!["ID", "WHEN", "STATUS"];
    if with_course {
        header.extend(["CLIENT", "COURSE"]);
    }
    header.extend(["DEVICE", "DEPTH MM", "PASSES", "PAIN", "REACTION", "RATING", "NOTES"]);
    header.into_iter().map(String::from).collect()
}

/// A session's row of that table.
pub(super) fn session_row(s: &Session, tz: &crate::domain::time::Zone, clients: Option<&Clients>) -> Vec<String> {
    let dash = |v: Option<String>| v.unwrap_or_else(|| "–".into());
    let mut row = vec![s.id.to_string(), text::when(s.at, tz), s.status.key().into()];
    if let Some(clients) = clients {
        row.push(clients.of(s.course_id));
        row.push(s.course_id.to_string());
    }
    row.extend([
        s.device.key().to_string(),
        if s.depths().is_empty() { "–".into() } else { s.depths_text(" ") },
        dash(s.passes.map(|v| v.to_string())),
        dash(s.pain.map(|v| v.to_string())),
        dash(s.reaction.map(|v| v.key().to_string())),
        dash(s.rating.map(|v| v.to_string())),
        text::abbreviate(&s.notes, 30),
    ]);
    row
}

/// Sessions as an aligned table, in the order given.
pub(super) fn session_table(ctx: &mut Ctx, sessions: &[Session], with_course: bool) {
    let mut clients = Clients::default();
    let clients = match with_course && clients.learn(&*ctx.store, sessions).is_ok() {
        true => Some(&clients),
        false => None,
    };
    let mut rows = vec![session_header(clients.is_some())];
    rows.extend(sessions.iter().map(|s| session_row(s, &ctx.tz, clients)));
    ctx.say(table(rows));
}

/// A value as `to_writer_pretty` writes it inside an array: indented one step.
pub(super) fn pretty_in_array(value: &impl serde::Serialize) -> String {
    let pretty = serde_json::to_string_pretty(value).unwrap_or_default();
    let mut out = String::with_capacity(pretty.len() + 64);
    for (i, line) in pretty.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str("  ");
        out.push_str(line);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{Day, Instant};
    use chrono::{DateTime, NaiveDate, TimeZone, Timelike, Utc};

    fn json(value: &impl serde::Serialize) -> String {
        serde_json::to_string(value).unwrap_or_default()
    }

    #[test]
    fn instants_and_days_are_written_as_chrono_writes_them() {
        let days = [
            NaiveDate::from_ymd_opt(2026, 11, 23),
            NaiveDate::from_ymd_opt(1, 1, 1),
            NaiveDate::from_ymd_opt(0, 12, 31),
            NaiveDate::from_ymd_opt(9999, 12, 31),
            NaiveDate::from_ymd_opt(10000, 1, 1),
            NaiveDate::from_ymd_opt(-1, 6, 15),
            NaiveDate::from_ymd_opt(2024, 2, 29),
        ];
        for day in days.into_iter().flatten() {
            assert_eq!(json(&Day(day)), json(&day), "{day:?}");
        }
        let instants: Vec<DateTime<Utc>> = [
            Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).single(),
            Utc.with_ymd_and_hms(2026, 3, 29, 1, 59, 59).single(),
            Utc.with_ymd_and_hms(9999, 12, 31, 23, 59, 59).single(),
            Utc.with_ymd_and_hms(10000, 1, 1, 0, 0, 0).single(),
            Utc.with_ymd_and_hms(-5, 1, 1, 0, 0, 0).single(),
            Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 7).single().and_then(|t| t.with_nanosecond(120_000_000)),
            Utc.with_ymd_and_hms(2026, 6, 30, 23, 59, 59).single().and_then(|t| t.with_nanosecond(1_500_000_000)),
        ]
        .into_iter()
        .flatten()
        .collect();
        assert_eq!(instants.len(), 7);
        for at in instants {
            assert_eq!(json(&Instant(at)), format!("\"{}\"", at.to_rfc3339()), "{at:?}");
        }
    }
}
