//! `needlelog person ...` and `needlelog course ...`.

use chrono::NaiveDate;
use serde_json::json;

use super::context::Stream;
use super::present::{TableStream, course_json, pretty_in_array, session_json, session_table, state_lines, table};
use super::{CliError, CliResult, CourseCommand, CourseFields, Ctx, PersonCommand};
use crate::domain::time::{local_date, parse_interval, parse_months};
use crate::domain::validate::check_course;
use crate::domain::windows::ResultsBasis;
use crate::domain::{Course, CourseStatus, Person};
use crate::store::{CourseFilter, StoreError};
use crate::summary::{each_summary, summarize};
use crate::text;

pub(super) fn person(ctx: &mut Ctx, cmd: PersonCommand) -> CliResult<()> {
    match cmd {
        PersonCommand::Add { name, skin_type, notes, born, contact } => {
            let namesakes = ctx.store.people_named(&name)?;
            let person = Person {
                id: 0,
                name: name.clone(),
                skin_type,
                notes,
                archived: false,
                born_on: born,
                contact: contact.trim().to_string(),
                revision: 0,
            };
            let id = ctx.store.add_person_with(&person)?;
            if !namesakes.is_empty() {
                let others: Vec<String> = namesakes.iter().map(|p| p.told_apart(true)).collect();
                ctx.warn(format!(
                    "also called {}: {}; name this one as #{id}{}",
                    name.trim(),
                    others.join(", "),
                    if born.is_none() { ", or add --born DATE to tell them apart" } else { "" }
                ));
            }
            if ctx.json {
                ctx.print_json(&json!({ "id": id }));
            } else {
                ctx.say(format!("Added {} (person {id}).", name.trim()));
            }
        }
        PersonCommand::List { all, search } => {
            let mut people = ctx.store.people(all)?;
            let mut by_name = None;
            if let Some(query) = &search {
                let texts = people.into_iter().map(|p| {
                    let who = crate::find::who(&p);
                    let whole = format!("{who} {}", p.notes);
                    (p, who, whole)
                });
                let found = crate::find::rank_people(query, texts);
                by_name = Some(found.iter().filter(|f| f.by_name).count());
                people = found.into_iter().map(|f| f.item).collect();
                if people.is_empty() {
                    ctx.say(format!("Nobody matches \"{}\".", text::printable(query)));
                    return Ok(());
                }
            }
            let courses = ctx.store.courses(CourseFilter { active_only: true, ..Default::default() })?;
            let mut running: std::collections::HashMap<i64, usize> = std::collections::HashMap::new();
            for c in &courses {
                *running.entry(c.person_id).or_default() += 1;
            }
            let active = |p: &Person| running.get(&p.id).copied().unwrap_or(0);
            if ctx.json {
                let list: Vec<_> = people
                    .iter()
                    .map(|p| {
                        json!({
                            "id": p.id, "name": p.name, "skin_type": p.skin_type.map(|s| s.label()),
                            "notes": p.notes, "archived": p.archived, "active_courses": active(p),
                            "born_on": p.born_on.map(|d| d.to_string()), "contact": p.contact,
                        })
                    })
                    .collect();
                ctx.print_json(&json!(list));
            } else {
                let mut rows = vec![
                    ["ID", "NAME", "BORN", "SKIN", "ACTIVE COURSES", "CONTACT", "NOTES"].map(String::from).to_vec(),
                ];
                for p in &people {
                    let name = if p.archived { format!("{} (archived)", p.name) } else { p.name.clone() };
                    let skin = p.skin_type.map(|s| s.label()).unwrap_or_else(|| "–".into());
                    rows.push(vec![
                        p.id.to_string(),
                        name,
                        p.born_on.map_or_else(|| "–".to_string(), |d| d.to_string()),
                        skin,
                        active(p).to_string(),
                        text::abbreviate(&p.contact, 30),
                        text::abbreviate(&p.notes, 40),
                    ]);
                }
                ctx.say(table(rows));
                // How many were found by who they are, the rest by their notes.
                if let Some(n) = by_name.filter(|n| *n < people.len()) {
                    ctx.say(format!("{n} found by name; {} more by their notes.", people.len() - n));
                }
            }
        }
        PersonCommand::Edit { name, rename, skin_type, notes, born, contact, archive, unarchive } => {
            let mut person = ctx.person_found(&name)?;
            if born.is_some() {
                person.born_on = born;
            }
            if let Some(contact) = contact {
                person.contact = contact.trim().to_string();
            }
            if let Some(new_name) = rename {
                person.name = new_name;
            }
            if skin_type.is_some() {
                person.skin_type = skin_type;
            }
            if let Some(notes) = notes {
                person.notes = notes;
            }
            if archive || unarchive {
                person.archived = archive;
            }
            ctx.store.update_person(&person)?;
            ctx.say(format!("Saved {} (person {}).", person.name, person.id));
        }
    }
    Ok(())
}

pub(super) fn course(ctx: &mut Ctx, cmd: CourseCommand) -> CliResult<()> {
    match cmd {
        CourseCommand::Add(fields) => add_course(ctx, fields),
        CourseCommand::List { all, person } => {
            let person_id = person.map(|name| ctx.person_found(&name).map(|p| p.id)).transpose()?;
            let filter = CourseFilter { person_id, active_only: !all, ..Default::default() };
            // A finished course says "maintenance due" only while it is recalled,
            // as `due` and the app's Due list have it.
            let recalled = if all { super::recalls::open_maintenance(ctx)? } else { Default::default() };
            let now_text = |s: &crate::summary::CourseSummary| match s.state.phase {
                crate::domain::windows::Phase::MaintenanceDue { .. }
                    if s.course.status == CourseStatus::Completed && !recalled.contains(&s.course.id) =>
                {
                    "complete".to_string()
                }
                _ => text::badge(&s.state),
            };
            // Written a chunk of courses at a time, as they are read.
            let (store, rules, now, tz, json) = (&*ctx.store, ctx.rules, ctx.now, ctx.tz, ctx.json);
            let mut out = Stream::new(&mut ctx.sink, &mut ctx.out, json);
            let mut count = 0usize;
            let header = ["ID", "PERSON", "CONCERN", "AREAS", "STATUS", "DONE", "NOW"].map(String::from).to_vec();
            let mut table = TableStream::new(header);
            each_summary(store, filter, rules, now, &tz, &mut |chunk| {
                for s in &chunk {
                    if json {
                        out.write(if count == 0 { "[\n" } else { ",\n" });
                        out.write(&pretty_in_array(&course_json(rules, s)));
                    } else {
                        let row = vec![
                            s.course.id.to_string(),
                            s.person.name.clone(),
                            s.course.concern.clone(),
                            s.course.areas.join(","),
                            s.course.status.key().into(),
                            format!("{}/{}", s.state.sessions_done, s.state.sessions_target),
                            now_text(s),
                        ];
                        table.push(row, &mut out);
                    }
                    count += 1;
                }
                Ok(out.flow())
            })?;
            match (json, count) {
                (true, 0) => out.write("[]\n"),
                (true, _) => out.write("\n]\n"),
                (false, _) => {
                    table.finish(&mut out);
                }
            }
            drop(out);
            if count == 0 && !json {
                ctx.say("No courses yet. Start one: needlelog course add --concern acne-scars --area cheeks");
            }
            Ok(())
        }
        CourseCommand::Show { id } => show_course(ctx, id),
        CourseCommand::Edit { id, fields, status } => {
            let mut course = ctx.store.course(id)?;
            let before = course.areas.clone();
            let device = course.device;
            apply_fields(ctx, &mut course, fields)?;
            note_unguided(ctx, &course, &before);
            if course.device != device {
                note_device(ctx, &course);
            }
            if let Some(status) = status {
                course.status = status;
            }
            check_course(&course, ctx.rules).map_err(|e| CliError::Usage(e.to_string()))?;
            ctx.store.update_course(&course)?;
            ctx.say(format!("Saved course {id}."));
            Ok(())
        }
        CourseCommand::Consent { id, what, on, photos, by } => {
            let given_on = match on {
                Some(day) => match NaiveDate::parse_from_str(day.trim(), "%Y-%m-%d") {
                    Ok(day) => day,
                    Err(_) => local_date(ctx.when(&day)?, &ctx.tz),
                },
                None => local_date(ctx.now, &ctx.tz),
            };
            let consent = crate::domain::Consent {
                course_id: id,
                given_on,
                what: what.trim().to_string(),
                photos,
                by: by.unwrap_or_default(),
            };
            crate::domain::validate::check_consent(&consent).map_err(|e| CliError::Usage(e.message))?;
            ctx.store.record_consent(&consent)?;
            let photos = if photos { ", photos included" } else { ", no photos" };
            ctx.say(format!("Consent for course {id} on record: {} ({}{photos}).", consent.what, text::day(given_on)));
            Ok(())
        }
        CourseCommand::Recall { id, done, snooze } => {
            let today = local_date(ctx.now, &ctx.tz);
            match (done, snooze) {
                (true, _) => {
                    ctx.store.end_recall(id, today)?;
                    ctx.say(format!("Course {id} is recalled no more."));
                }
                (false, Some(span)) => {
                    let span = crate::domain::time::parse_duration(&span)?;
                    let until = local_date(ctx.now + span, &ctx.tz);
                    ctx.store.snooze_recall(id, until)?;
                    ctx.say(format!("Course {id}'s recall is put off until {}.", text::day(until)));
                }
                (false, None) => return Err(CliError::Usage("say --done or --snooze DURATION".into())),
            }
            Ok(())
        }
        CourseCommand::Close { id } => {
            ctx.store.set_course_status(id, CourseStatus::Completed)?;
            ctx.say(format!("Closed course {id}: marked completed."));
            Ok(())
        }
        CourseCommand::Void { id, reason } => {
            let item = ctx.store.void_course(id, &reason, ctx.now).map_err(|e| match e {
                StoreError::Invalid(message) => CliError::Usage(message),
                other => other.into(),
            })?;
            ctx.say(format!(
                "Voided course {id}: it and its done sessions stay on record, counted nowhere; \
                 its planned sessions are cancelled. needlelog trash restore {} brings all of it back.",
                item.id
            ));
            Ok(())
        }
    }
}

fn add_course(ctx: &mut Ctx, fields: CourseFields) -> CliResult<()> {
    let rules = ctx.rules;
    let key = fields
        .concern
        .as_deref()
        .map(|k| k.trim().to_ascii_lowercase())
        .ok_or_else(|| CliError::Usage(format!("a course needs --concern: one of {}", rules.concern_keys())))?;
    let protocol = rules
        .protocol(&key)
        .ok_or_else(|| CliError::Usage(format!("unknown concern \"{key}\": use one of {}", rules.concern_keys())))?;
    let person = match &fields.person {
        Some(name) => ctx.person_found(name)?,
        None => default_person(ctx)?,
    };
    let mut course = rules.new_course(person.id, protocol, local_date(ctx.now, &ctx.tz));
    apply_fields(ctx, &mut course, fields)?;
    check_course(&course, rules).map_err(|e| CliError::Usage(e.to_string()))?;
    let id = ctx.store.add_course(&course)?;
    retire_finished(ctx, &course, id)?;
    note_unguided(ctx, &course, &[]);
    note_device(ctx, &course);
    note_professional(ctx, &course);
    if ctx.json {
        ctx.print_json(&json!({ "id": id }));
    } else {
        ctx.say(format!(
            "Started course {id}: {} on {} for {} — {} sessions, every {}–{} days.",
            protocol.name,
            course.areas.join(", "),
            person.name,
            course.sessions_target,
            course.interval.min,
            course.interval.max
        ));
        ctx.say(format!("Protocol: {} Log a session with: needlelog log --course {id}", protocol.note));
    }
    Ok(())
}

/// A new course of a concern the person has an active course of, whose sessions
/// are all done: that course is closed (its recall is the new one's now), so
/// commands without `--course` act on the one course that is current.
fn retire_finished(ctx: &mut Ctx, course: &Course, id: i64) -> CliResult<()> {
    let filter = CourseFilter { person_id: Some(course.person_id), active_only: true, ..Default::default() };
    let earlier: Vec<Course> =
        ctx.store.courses(filter)?.into_iter().filter(|c| c.id != id && c.concern == course.concern).collect();
    for summary in summarize(&*ctx.store, earlier, ctx.rules, ctx.now, &ctx.tz)? {
        if summary.state.sessions_left == 0 {
            let done = Course { status: CourseStatus::Completed, ..summary.course.clone() };
            ctx.store.save_course_edit(&summary.course, &done, &crate::store::Settle::default())?;
            ctx.warn(format!(
                "course {} had all its sessions done: it is closed, and course {id} follows it",
                summary.course.id
            ));
        }
    }
    Ok(())
}

/// "Me" when present, else the only person; otherwise the user must say.
fn default_person(ctx: &Ctx) -> CliResult<Person> {
    let people = ctx.store.people(false)?;
    if let Some(me) = people.iter().find(|p| p.is_me()) {
        return Ok(me.clone());
    }
    match people.as_slice() {
        [only] => Ok(only.clone()),
        _ => Err(CliError::Usage(format!(
            "whose course? add --person NAME (one of: {})",
            people.iter().map(|p| p.name.as_str()).collect::<Vec<_>>().join(", ")
        ))),
    }
}

/// `init`: whose file this is (and, for a practitioner's, whose name the trail gives).
pub(super) fn init(ctx: &mut Ctx, practitioner: bool, name: Option<&str>) -> CliResult<()> {
    use crate::domain::FileKind;
    let kind = if practitioner { FileKind::Practitioner } else { FileKind::Patient };
    ctx.store.set_file_kind(kind)?;
    if let Some(name) = name {
        ctx.store.set_practitioner(name).map_err(|e| match e {
            StoreError::Invalid(message) => CliError::Usage(message),
            other => other.into(),
        })?;
    }
    let path = text::printable(&ctx.store.place());
    let what = match ctx.store.file() {
        Some(_) => "is a practitioner's file",
        None => "holds a practitioner's records",
    };
    let by = ctx.store.practitioner()?.map(|n| format!(" Changes are {}'s.", text::printable(&n))).unwrap_or_default();
    ctx.say(match kind {
        FileKind::Practitioner => format!(
            "{path} {what}: add clients with needlelog person add NAME; \
             aftercare shows on Today, never as a pop-up; calendars use initials.{by}"
        ),
        FileKind::Patient => format!("{path} is your own log: needlelog course add --concern ... starts a course."),
    });
    Ok(())
}

/// `needlelog rate N [--course C]`: the final rating, once the results are judged.
pub(super) fn rate(ctx: &mut Ctx, rating: u8, course: Option<i64>) -> CliResult<()> {
    let course = match course {
        Some(id) => ctx.store.course(id)?,
        None => {
            // The one course whose results are for rating: active, or finished.
            let mut courses = ctx.store.courses(CourseFilter::default())?;
            courses.retain(|c| c.final_rating.is_none());
            match courses.as_slice() {
                [one] => one.clone(),
                _ => super::sessions::pick_course(ctx, None)?,
            }
        }
    };
    let summary = summarize(&*ctx.store, vec![course.clone()], ctx.rules, ctx.now, &ctx.tz)?;
    let state = summary.first().map(|s| &s.state);
    let judged = state.and_then(|s| s.final_results.filter(|_| s.results_basis == ResultsBasis::Done));
    match judged {
        Some(day) if day <= local_date(ctx.now, &ctx.tz) => {}
        Some(day) => {
            return Err(CliError::Usage(format!(
                "course {}'s results are judged on {}: rate them then",
                course.id,
                text::day(day)
            )));
        }
        None => {
            return Err(CliError::Usage(format!(
                "course {} has sessions to go: its results are judged three months after the last",
                course.id
            )));
        }
    }
    let rated = Course { final_rating: Some(rating), ..course.clone() };
    ctx.store.save_course_edit(&course, &rated, &crate::store::Settle::default())?;
    ctx.say(format!("Rated course {}'s results {rating}/10.", course.id));
    Ok(())
}

/// `needlelog trail [--person P | --session S]`: who changed what, oldest first.
pub(super) fn trail(ctx: &mut Ctx, person: Option<&str>, session: Option<i64>) -> CliResult<()> {
    let person_id = person.map(|name| ctx.person_found(name).map(|p| p.id)).transpose()?;
    if let Some(id) = session {
        ctx.store.session(id)?;
    }
    let edits = ctx.store.trail(crate::store::TrailFilter { person_id, session_id: session })?;
    if ctx.json {
        ctx.print_json(&json!(edits));
        return Ok(());
    }
    if edits.is_empty() {
        ctx.say("Nothing changed yet.");
        return Ok(());
    }
    let mut rows = vec![["WHEN", "WHO", "WHAT", "FIELD", "BEFORE", "AFTER"].map(String::from).to_vec()];
    for e in &edits {
        let who = if e.by.is_empty() { e.source.clone() } else { format!("{} ({})", e.by, e.source) };
        let what = if e.kind == "file" { "the file".to_string() } else { format!("{} {}", e.kind, e.record_id) };
        rows.push(vec![
            text::when(e.at, &ctx.tz),
            who,
            what,
            e.field.clone(),
            text::abbreviate(&e.old, 30),
            text::abbreviate(&e.new, 40),
        ]);
    }
    ctx.say(table(rows));
    Ok(())
}

/// On a practitioner's file, once per course: depths within an area's
/// professional range are saved without a word from now on.
fn note_professional(ctx: &mut Ctx, course: &Course) {
    if ctx.kind != crate::domain::FileKind::Practitioner {
        return;
    }
    let ranges: Vec<String> = course
        .areas
        .iter()
        .filter_map(|a| {
            let guide = ctx.rules.area(a)?;
            let [lo, hi] = if guide.professional { guide.usual_mm } else { guide.professional_mm? };
            Some(format!("{a} {lo}–{hi} mm"))
        })
        .collect();
    if !ranges.is_empty() {
        ctx.warn(format!(
            "note: professional depths ({}) are saved without a warning on this practitioner's file",
            ranges.join(", ")
        ));
    }
}

/// The word on a course's device (a roller), said when the course takes it up.
fn note_device(ctx: &mut Ctx, course: &Course) {
    if let Some(note) = ctx.rules.device_note(course.device) {
        ctx.warn(format!("note: {note}"));
    }
}

/// Says once, when a course first names them, which areas have no depth guidance.
fn note_unguided(ctx: &mut Ctx, course: &Course, before: &[String]) {
    let new: Vec<&String> = course.areas.iter().filter(|a| !before.contains(a) && !ctx.rules.knows_area(a)).collect();
    if let Some(note) = text::unguided_areas(&new, ctx.rules) {
        ctx.warn(note);
    }
}

/// Copies the given fields onto `course`, reading intervals and dates.
fn apply_fields(ctx: &mut Ctx, course: &mut Course, fields: CourseFields) -> CliResult<()> {
    if let Some(concern) = fields.concern {
        let key = concern.trim().to_ascii_lowercase();
        if ctx.rules.protocol(&key).is_none() {
            let keys = ctx.rules.concern_keys();
            return Err(CliError::Usage(format!("unknown concern \"{key}\": use one of {keys}")));
        }
        course.concern = key;
    }
    if !fields.areas.is_empty() {
        course.areas = crate::domain::validate::area_set(fields.areas.iter().map(String::as_str), ctx.rules);
    }
    if let Some(name) = fields.person {
        course.person_id = ctx.person_found(&name)?.id;
    }
    if let Some(n) = fields.sessions {
        course.sessions_target = n;
    }
    if let Some(interval) = fields.interval {
        course.interval = parse_interval(&interval)?;
    }
    if let Some(m) = fields.maintenance {
        course.maintenance = parse_months(&m).map_err(CliError::Usage)?;
    }
    if let Some(device) = fields.device {
        course.device = device;
    }
    if let Some(start) = fields.start {
        course.started_on = match NaiveDate::parse_from_str(start.trim(), "%Y-%m-%d") {
            Ok(day) => day,
            Err(_) => local_date(ctx.when(&start)?, &ctx.tz),
        };
    }
    if let Some(notes) = fields.notes {
        course.notes = notes;
    }
    if let Some(place) = fields.place {
        course.place = place.trim().to_string();
    }
    Ok(())
}

fn show_course(ctx: &mut Ctx, id: i64) -> CliResult<()> {
    let course = ctx.store.course(id)?;
    let mut summary = summarize(&*ctx.store, vec![course], ctx.rules, ctx.now, &ctx.tz)?
        .pop()
        .ok_or(CliError::Failed(format!("course {id} vanished while reading it")))?;
    ctx.store.fill_depths(&mut summary.sessions)?;
    if ctx.json {
        let mut value = serde_json::to_value(course_json(ctx.rules, &summary)).unwrap_or_default();
        value["sessions"] = json!(summary.sessions.iter().map(session_json).collect::<Vec<_>>());
        ctx.print_json(&value);
        return Ok(());
    }
    let c = &summary.course;
    let protocol = ctx.rules.protocol(&c.concern);
    ctx.say(format!("Course {} · {}", c.id, summary.title(ctx.rules)));
    // A session logged before the start date counts as the start.
    let first_session = summary.sessions.first().map(|s| local_date(s.at, &ctx.tz));
    let since = first_session.map_or(c.started_on, |d| d.min(c.started_on));
    match c.status {
        CourseStatus::Active => ctx.say(format!("  status       active since {}", text::day(since))),
        status => {
            // When it was closed or paused: the trail's last change of status,
            // else (older files) its last session.
            let trail = ctx.store.edits_of("course", c.id)?;
            let changed = trail.iter().rev().find(|e| e.field == "status" && e.new == status.key()).map(|e| e.at);
            let last = summary.sessions.iter().filter(|s| s.is_done()).map(|s| s.at).max();
            let on = changed.or(last).map(|at| local_date(at, &ctx.tz)).unwrap_or(since);
            let verb = if status == CourseStatus::Completed { "completed" } else { "paused" };
            ctx.say(format!("  status       {verb} on {} (started {})", text::day(on), text::day(since)));
        }
    }
    ctx.say(format!(
        "  plan         {} sessions, every {}–{} days, {} device",
        c.sessions_target, c.interval.min, c.interval.max, c.device
    ));
    if let Some(p) = protocol {
        ctx.say(format!("  protocol     {} sessions, {} ({})", p.sessions_text(), p.interval_text(), p.source));
    }
    if !c.place.is_empty() {
        ctx.say(format!("  place        {}", c.place));
    }
    match ctx.store.consents_of(&[c.id])?.first() {
        Some(k) => {
            let photos = if k.photos { "photos included" } else { "no photos" };
            let by = if k.by.is_empty() { String::new() } else { format!(", taken by {}", k.by) };
            ctx.say(format!("  consent      {} ({}, {photos}{by})", k.what, text::day(k.given_on)));
        }
        None if ctx.kind == crate::domain::FileKind::Practitioner => {
            ctx.say(format!("  consent      none on record (needlelog course consent {} --what ...)", c.id));
        }
        None => {}
    }
    if !c.notes.is_empty() {
        ctx.say(format!("  notes        {}", c.notes));
    }
    state_lines(ctx, &summary);
    ctx.say("");
    let sessions: Vec<_> = summary.sessions.iter().rev().cloned().collect();
    session_table(ctx, &sessions, false);
    Ok(())
}
