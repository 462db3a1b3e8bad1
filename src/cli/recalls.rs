//! `needlelog due` (who needs a session, grouped) and `needlelog lots` (which
//! serum lots were used, and who received one).

use std::collections::HashMap;
use std::path::PathBuf;

use serde_json::json;

use super::context::Stream;
use super::present::{TableStream, table};
use super::{CliError, CliResult, Ctx};
use crate::domain::time::parse_duration;
use crate::domain::windows::{CourseState, course_state_counted};
use crate::domain::{Course, Person, Session};
use crate::store::{CourseFilter, SessionFilter};
use crate::summary::{Recall, RecallGroup, finished_to_recall, recalls, standings};
use crate::text;

/// The courses the recall list is drawn from, each with its person and where it
/// stands now: the running ones (paused ones too: they are not recalled, but a
/// later course of a concern is what ends the earlier one's recall), and the
/// finished ones the app's Due list recalls too ([`finished_to_recall`]).
fn gather(ctx: &Ctx) -> CliResult<Gathered> {
    Ok(ctx.store.consistent(|| {
        // Where each running course stands from its row and its bookings (the
        // index that holds them whole), not from every session it had.
        let filter = CourseFilter { unfinished_only: true, ..Default::default() };
        let running = standings(&*ctx.store, filter, ctx.now)?;
        let mut states: Vec<(Course, CourseState)> = running
            .into_iter()
            .map(|(c, standing)| {
                let state = course_state_counted(
                    &c,
                    &standing.sessions,
                    standing.counted(),
                    &ctx.rules.course,
                    ctx.now,
                    &ctx.tz,
                );
                (c, state)
            })
            .collect();
        let running: Vec<&Course> = states.iter().map(|(c, _)| c).collect();
        let finished =
            finished_to_recall(&*ctx.store, ctx.rules, ctx.now, &ctx.tz, &running, |c, _, state| Some((c, state)))?;
        states.extend(finished);
        // Their people read once, in one pass.
        let mut person_ids: Vec<i64> = states.iter().map(|(c, _)| c.person_id).collect();
        person_ids.sort_unstable();
        person_ids.dedup();
        let people = ctx.store.people_by_ids(&person_ids)?.into_iter().map(|p| (p.id, p)).collect();
        Ok(Gathered { courses: states, people })
    })?)
}

/// What `gather` read: every course that may be recalled with where it stands,
/// and their people, each once (a practice recalls thousands of courses of
/// fewer people).
struct Gathered {
    courses: Vec<(Course, CourseState)>,
    people: HashMap<i64, Person>,
}

impl Gathered {
    /// Each course with its person (one whose person is not here is left out).
    fn listed(&self) -> impl Iterator<Item = (&Course, &Person, &CourseState)> {
        self.courses.iter().filter_map(|(c, state)| Some((c, self.people.get(&c.person_id)?, state)))
    }

    /// Each course and its person by the course's id.
    fn by_id(&self) -> HashMap<i64, (&Course, &Person)> {
        self.listed().map(|(c, p, _)| (c.id, (c, p))).collect()
    }
}

/// The recall list of what `gather` read, due ones within `days`.
fn recall_list(ctx: &Ctx, gathered: &Gathered, days: i64) -> CliResult<Vec<Recall>> {
    let quiet = ctx.store.quiet_recalls(crate::domain::time::local_date(ctx.now, &ctx.tz))?;
    Ok(recalls(gathered.listed(), days, &quiet, ctx.rules.course.recall_months))
}

/// The finished courses whose maintenance recall is open now, as `due` and the
/// app's Due list show them (`course list` agrees with them).
pub(super) fn open_maintenance(ctx: &Ctx) -> CliResult<std::collections::HashSet<i64>> {
    let states = gather(ctx)?;
    Ok(recall_list(ctx, &states, 0)?
        .into_iter()
        .filter(|r| matches!(r.group, RecallGroup::Maintenance | RecallGroup::Lapsed))
        .map(|r| r.course_id)
        .collect())
}

/// `needlelog due [--within 14d]`.
pub(super) fn due(ctx: &mut Ctx, within: &str) -> CliResult<()> {
    let ahead = parse_duration(within).map_err(|e| CliError::Usage(e.to_string()))?;
    let states = gather(ctx)?;
    let list = recall_list(ctx, &states, ahead.num_days())?;
    let by_id = states.by_id();
    let course = |id: i64| by_id.get(&id).copied();

    if ctx.json {
        let groups: serde_json::Map<String, serde_json::Value> = RecallGroup::ALL
            .iter()
            .map(|g| {
                let entries: Vec<_> = list
                    .iter()
                    .filter(|r| r.group == *g)
                    .filter_map(|r| {
                        let (c, p) = course(r.course_id)?;
                        Some(json!({
                            "course_id": c.id, "person": p.name, "person_id": p.id,
                            "born_on": p.born_on.map(|d| d.to_string()), "contact": p.contact,
                            "concern": c.concern, "areas": c.areas,
                            "day": r.day.to_string(), "days": r.days,
                            "booked": r.booked.map(|at| at.to_rfc3339()),
                        }))
                    })
                    .collect();
                (g.key().to_string(), json!(entries))
            })
            .collect();
        ctx.print_json(&json!({ "now": ctx.now.to_rfc3339(), "groups": groups }));
        return Ok(());
    }
    if list.is_empty() {
        ctx.say(format!("Nobody needs a session within {}.", within.trim()));
        return Ok(());
    }
    // Each group's rows written as they are made (thousands of maintenance recalls).
    let (rules, tz) = (ctx.rules, ctx.tz);
    let mut out = Stream::new(&mut ctx.sink, &mut ctx.out, false);
    for group in RecallGroup::ALL {
        let mine: Vec<&Recall> = list.iter().filter(|r| r.group == group).collect();
        if mine.is_empty() {
            continue;
        }
        out.write(&format!("{} ({})\n", group.title(), mine.len()));
        let mut rows = mine.into_iter().filter_map(|r| {
            let (c, p) = course(r.course_id)?;
            Some(vec![
                format!("  {}", p.name),
                format!("#{}", p.id),
                p.born_on.map(|d| format!("b. {d}")).unwrap_or_default(),
                p.contact.clone(),
                format!("{} ({})", rules.concern_name(&c.concern), c.areas.join(", ")),
                text::recall(r, &tz),
                format!("course {}", c.id),
            ])
        });
        let Some(first) = rows.next() else { continue };
        let mut table = TableStream::rows(first);
        for row in rows {
            table.push(row, &mut out);
        }
        table.finish(&mut out);
    }
    Ok(())
}

/// `needlelog due --csv [-o FILE]`: the same list, one row per course to recall,
/// in the same order, for a spreadsheet or a mail merge.
pub(super) fn due_csv(ctx: &mut Ctx, within: &str, output: Option<PathBuf>, force: bool) -> CliResult<()> {
    if ctx.json {
        return Err(CliError::Usage("due writes --csv or --json, not both: choose one".into()));
    }
    let ahead = parse_duration(within).map_err(|e| CliError::Usage(e.to_string()))?;
    let states = gather(ctx)?;
    let list = recall_list(ctx, &states, ahead.num_days())?;
    let by_id = states.by_id();
    let header = [
        "group",
        "person",
        "person_id",
        "born_on",
        "contact",
        "concern",
        "areas",
        "course_id",
        "day",
        "days",
        "booked",
    ];
    let ordered = RecallGroup::ALL.iter().flat_map(|g| list.iter().filter(move |r| r.group == *g));
    let rows = ordered.filter_map(|r| {
        let (c, p) = by_id.get(&r.course_id).copied()?;
        Some([
            r.group.key().to_string(),
            p.name.clone(),
            p.id.to_string(),
            p.born_on.map(|d| d.to_string()).unwrap_or_default(),
            p.contact.clone(),
            ctx.rules.concern_name(&c.concern).to_string(),
            c.areas.join(";"),
            c.id.to_string(),
            r.day.to_string(),
            r.days.to_string(),
            r.booked.map(|at| at.with_timezone(&ctx.tz).to_rfc3339()).unwrap_or_default(),
        ])
    });
    let written = crate::exchange::csv::table(header, rows).map_err(CliError::Failed)?;
    match output {
        None => {
            ctx.out.stdout.push_str(&written);
            ctx.out.exact = true;
        }
        Some(path) => {
            super::exchange::may_write(ctx, &path, force)?;
            crate::private_file::write(&path, written.as_bytes())
                .map_err(|e| CliError::Failed(format!("cannot write {}: {e}", path.display())))?;
            let count = i64::try_from(list.len()).unwrap_or(i64::MAX);
            let shown = text::printable(&path.display().to_string());
            ctx.say(format!("Wrote {} to call or mail to {shown}.", text::plural(count, "recall")));
        }
    }
    Ok(())
}

/// `needlelog lots [--lot LOT]`.
pub(super) fn lots(ctx: &mut Ctx, lot: Option<&str>) -> CliResult<()> {
    let Some(lot) = lot else {
        let lots = ctx.store.lots()?;
        if ctx.json {
            let list: Vec<_> = lots
                .iter()
                .map(|l| {
                    json!({ "lot": l.lot, "serum": l.serum, "sessions": l.sessions,
                            "first": l.first.to_rfc3339(), "last": l.last.to_rfc3339() })
                })
                .collect();
            ctx.print_json(&json!(list));
        } else if lots.is_empty() {
            ctx.say("No lot numbers recorded yet: log --lot LOT keeps the serum's lot with a session.");
        } else {
            let mut rows = vec![["LOT", "SERUM", "SESSIONS", "FIRST", "LAST"].map(String::from).to_vec()];
            for l in &lots {
                rows.push(vec![
                    l.lot.clone(),
                    l.serum.clone(),
                    l.sessions.to_string(),
                    text::day(crate::domain::time::local_date(l.first, &ctx.tz)),
                    text::day(crate::domain::time::local_date(l.last, &ctx.tz)),
                ]);
            }
            ctx.say(table(rows));
        }
        return Ok(());
    };
    let filter = SessionFilter {
        lot: Some(lot.to_string()),
        status: Some(crate::domain::SessionStatus::Done),
        ..Default::default()
    };
    let sessions = ctx.store.sessions(filter)?;
    if sessions.is_empty() {
        known_lot(ctx, lot)?;
    }
    let mut course_ids: Vec<i64> = sessions.iter().map(|s| s.course_id).collect();
    course_ids.sort_unstable();
    course_ids.dedup();
    let courses: HashMap<i64, Course> = ctx.store.courses_by_ids(&course_ids)?.into_iter().map(|c| (c.id, c)).collect();
    let mut person_ids: Vec<i64> = courses.values().map(|c| c.person_id).collect();
    person_ids.sort_unstable();
    person_ids.dedup();
    let people: HashMap<i64, Person> = ctx.store.people_by_ids(&person_ids)?.into_iter().map(|p| (p.id, p)).collect();
    let whose = |s: &Session| courses.get(&s.course_id).and_then(|c| people.get(&c.person_id));
    let name = |s: &Session| whose(s).map(|p| p.name.clone()).unwrap_or_default();
    if ctx.json {
        let list: Vec<_> = sessions
            .iter()
            .map(|s| {
                let p = whose(s);
                json!({ "session_id": s.id, "course_id": s.course_id, "person": name(s),
                        "person_id": p.map(|p| p.id), "born_on": p.and_then(|p| p.born_on).map(|d| d.to_string()),
                        "contact": p.map(|p| p.contact.clone()), "at": s.at.to_rfc3339(),
                        "serum": s.serum, "lot": s.lot })
            })
            .collect();
        ctx.print_json(&json!({ "lot": lot.trim(), "people": person_ids.len(), "sessions": list }));
        return Ok(());
    }
    let people_count = i64::try_from(person_ids.len()).unwrap_or(i64::MAX);
    ctx.say(format!(
        "Lot {}: {} for {}.",
        text::printable(lot.trim()),
        text::plural(i64::try_from(sessions.len()).unwrap_or(i64::MAX), "session"),
        if people_count == 1 { "1 person".to_string() } else { format!("{people_count} people") }
    ));
    let mut rows =
        vec![["PERSON", "ID", "BORN", "CONTACT", "WHEN", "SESSION", "COURSE", "SERUM"].map(String::from).to_vec()];
    for s in &sessions {
        let p = whose(s);
        rows.push(vec![
            name(s),
            p.map(|p| format!("#{}", p.id)).unwrap_or_default(),
            p.and_then(|p| p.born_on).map(|d| d.to_string()).unwrap_or_default(),
            p.map(|p| p.contact.clone()).unwrap_or_default(),
            text::when(s.at, &ctx.tz),
            format!("#{}", s.id),
            s.course_id.to_string(),
            s.serum.clone().unwrap_or_default(),
        ]);
    }
    ctx.say(table(rows));
    Ok(())
}

/// A lot that no session used: the closest lot numbers that were (exit 2).
pub(super) fn known_lot(ctx: &Ctx, lot: &str) -> CliResult<()> {
    let lots = ctx.store.lots()?;
    if lots.iter().any(|l| l.lot.trim().eq_ignore_ascii_case(lot.trim())) {
        return Ok(());
    }
    let close = crate::find::closest(lot, lots.iter().map(|l| l.lot.as_str()), 5);
    let shown = text::printable(lot.trim());
    Err(CliError::Usage(if close.is_empty() {
        format!("no session used lot \"{shown}\" (needlelog lots lists every lot)")
    } else {
        let close: Vec<String> = close.iter().map(|l| text::printable(l)).collect();
        format!("no session used lot \"{shown}\"; closest: {}", close.join(", "))
    }))
}
