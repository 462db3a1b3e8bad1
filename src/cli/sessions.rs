//! `needlelog log`, `plan`, `edit`, `rm`, `list` and `check`.

use std::collections::HashMap;

use serde_json::json;

use super::context::Stream;
use super::present::{
    Clients, TableStream, course_json, pretty_in_array, session_header, session_json, session_row, state_lines,
};
use super::{CliError, CliResult, Ctx, EditArgs, LogArgs, PlanArgs, SessionFields};
use crate::domain::depth::parse_depths;
use crate::domain::entry::{EntryField, check_entry};
use crate::domain::time::offset_seconds;
use crate::domain::windows::{default_plan_time, pre_care_start};
use crate::domain::{Course, Session, SessionStatus};
use crate::store::{CourseFilter, EditOutcome, SessionFilter, Settle};
use crate::summary::summarize;
use crate::text;

pub(super) fn log(ctx: &mut Ctx, args: LogArgs) -> CliResult<()> {
    if let Some(id) = args.done {
        return mark_done(ctx, id, args);
    }
    let course = pick_course_of(ctx, args.course, args.person.as_deref())?;
    let at = match &args.at {
        Some(text) => ctx.when(text)?,
        None => ctx.now,
    };
    // One visit, one session: a booking within hours is the visit being logged.
    if !args.another {
        let sessions = ctx.store.sessions_of(&[course.id])?;
        if let Some(booking) = crate::domain::entry::booking_for(at, &sessions) {
            let id = booking.id;
            ctx.warn(format!(
                "this visit completes the session booked for {} (#{id}); --another adds a separate one",
                text::when(booking.at, &ctx.tz)
            ));
            return mark_done(ctx, id, args);
        }
    }
    let mut session = Session::new(course.id, at, offset_seconds(at, &ctx.tz), SessionStatus::Done, course.device);
    session.screening = screening(ctx, args.screening.as_deref())?;
    let fresh = args.fresh;
    let photos = apply_fields(ctx, &course, &mut session, args.fields)?;
    // What was used last time fills what is not given, as the app's `a` does.
    if !fresh {
        prefill(ctx, &course, &mut session)?;
    }
    let (id, photo_ids) = super::photos::add_session(ctx, &session, &photos)?;
    screening_notes(ctx, session.screening.as_deref());
    consent_notes(ctx, course.id, !photos.is_empty())?;
    report_saved(ctx, &course, id, "Logged")?;
    super::photos::say_kept(ctx, &photo_ids);
    Ok(())
}

/// `--screening none|ID,ID`: the answers kept with the session. Without it, a
/// note that none were given (the app asks them before saving).
fn screening(ctx: &mut Ctx, answers: Option<&str>) -> CliResult<Option<Vec<String>>> {
    let Some(answers) = answers else { return Ok(None) };
    if answers.trim().eq_ignore_ascii_case("none") {
        return Ok(Some(Vec::new()));
    }
    let known = &ctx.rules.contraindications;
    let mut ids = Vec::new();
    for id in answers.split(',').map(str::trim).filter(|id| !id.is_empty()) {
        match known.iter().find(|c| c.id.eq_ignore_ascii_case(id)) {
            Some(c) => ids.push(c.id.clone()),
            None => {
                let all: Vec<&str> = known.iter().map(|c| c.id.as_str()).collect();
                return Err(CliError::Usage(format!(
                    "--screening: no question \"{}\"; use none, or some of: {}",
                    text::printable(id),
                    all.join(", ")
                )));
            }
        }
    }
    Ok(Some(ids))
}

/// Fills what the command line left empty from the course's last done session
/// (the app's `a` and `m` do the same), and says what it took.
fn prefill(ctx: &mut Ctx, course: &Course, session: &mut Session) -> CliResult<()> {
    let mut earlier = ctx.store.sessions_of(&[course.id])?;
    earlier.retain(|s| s.is_done() && s.id != session.id);
    let Some(mut last) = earlier.into_iter().max_by_key(|s| (s.at, s.id)) else { return Ok(()) };
    ctx.store.fill_depths(std::slice::from_mut(&mut last))?;
    let filled = crate::domain::entry::fill_from_last(session, &last);
    if !filled.is_empty() {
        ctx.warn(format!("took {} from the last session (#{}); --fresh starts blank", filled.join(", "), last.id));
    }
    Ok(())
}

/// On a practitioner's file, after a treatment is logged: a word when no consent
/// is on record for the course, or none to photos when pictures were kept.
/// Never a refusal: the record is the practitioner's to complete.
pub(super) fn consent_notes(ctx: &mut Ctx, course_id: i64, photos: bool) -> CliResult<()> {
    if ctx.kind != crate::domain::FileKind::Practitioner {
        return Ok(());
    }
    match ctx.store.consents_of(&[course_id])?.first() {
        None => ctx.warn(format!(
            "no consent on record for course {course_id}: needlelog course consent {course_id} --what \"…\" records it"
        )),
        Some(consent) if photos && !consent.photos => ctx.warn(format!(
            "the consent on record for course {course_id} does not cover photos: \
             needlelog course consent {course_id} --what \"…\" --photos records one that does"
        )),
        Some(_) => {}
    }
    Ok(())
}

/// After a done session is saved: what its screening answers call for.
fn screening_notes(ctx: &mut Ctx, answers: Option<&[String]>) {
    match answers {
        None => ctx.warn(
            "no screening answers given: add --screening none, or the ids that apply (needlelog protocols --json lists them)",
        ),
        Some([]) => {}
        Some(_) => ctx.warn("a reason for caution was noted: talk it over with your provider before the next session"),
    }
}

fn mark_done(ctx: &mut Ctx, id: i64, args: LogArgs) -> CliResult<()> {
    let stored = ctx.store.session(id)?;
    let mut session = stored.clone();
    if session.status != SessionStatus::Planned {
        return Err(CliError::Usage(format!(
            "session {id} is {}, not planned; change it with needlelog edit {id}",
            session.status
        )));
    }
    let course = ctx.store.course(session.course_id)?;
    session.at = match &args.at {
        Some(text) => ctx.when(text)?,
        None if session.at <= ctx.now => session.at,
        None => ctx.now,
    };
    session.utc_offset_s = offset_seconds(session.at, &ctx.tz);
    session.status = SessionStatus::Done;
    // The same visit logged already: marking the booking too would count it twice.
    let others = ctx.store.sessions_of(&[course.id])?;
    if let Some(done) = crate::domain::entry::done_beside(session.at, &others, id) {
        return Err(CliError::Usage(format!(
            "session {} was done at {}, within an hour of this one: that visit is logged already; \
             cancel the booking (needlelog edit {id} --status cancelled) or give --at",
            done.id,
            text::when(done.at, &ctx.tz)
        )));
    }
    session.screening = screening(ctx, args.screening.as_deref())?;
    let fresh = args.fresh;
    let photos = apply_fields(ctx, &course, &mut session, args.fields)?;
    if !fresh {
        prefill(ctx, &course, &mut session)?;
    }
    ctx.store.save_session_edit(&stored, &session, &Settle::default())?;
    screening_notes(ctx, session.screening.as_deref());
    consent_notes(ctx, course.id, !photos.is_empty())?;
    report_saved(ctx, &course, id, "Marked done")?;
    super::photos::attach(ctx, crate::domain::PhotoOf::Session(id), &photos)
}

pub(super) fn plan(ctx: &mut Ctx, args: PlanArgs) -> CliResult<()> {
    let course = pick_course_of(ctx, args.course, args.person.as_deref())?;
    let summary = summarize(&*ctx.store, vec![course.clone()], ctx.rules, ctx.now, &ctx.tz)?;
    let state = &summary[0].state;
    let at = match &args.at {
        Some(text) => ctx.when(text)?,
        None => default_plan_time(state, ctx.now, &ctx.tz).ok_or_else(|| {
            CliError::Usage(format!("no session done yet in course {}: say when with --at DATETIME", course.id))
        })?,
    };
    if at < ctx.now && !args.past {
        return Err(CliError::Usage(format!(
            "{} has already passed: plan a time ahead (--at), or add --past to record a plan made for then",
            text::when(at, &ctx.tz)
        )));
    }
    // One booking per window: a second one is asked for by name.
    if let Some((booked, booked_at)) = state.next_planned.filter(|_| !args.another) {
        return Err(CliError::Usage(format!(
            "course {} already has a session booked for {} (#{booked}): move it with needlelog edit {booked} --at DATETIME, \
             or add --another to book a second one",
            course.id,
            text::when(booked_at, &ctx.tz)
        )));
    }
    if let Some(w) = state.next_window {
        let day = crate::domain::time::local_date(at, &ctx.tz);
        if day < w.earliest || day > w.latest {
            ctx.warn(format!(
                "{} is outside the next window ({} – {})",
                text::day(day),
                text::day(w.earliest),
                text::day(w.latest)
            ));
        }
    }
    let mut session = Session::new(course.id, at, offset_seconds(at, &ctx.tz), SessionStatus::Planned, course.device);
    let photos = apply_fields(ctx, &course, &mut session, args.fields)?;
    let (id, photo_ids) = super::photos::add_session(ctx, &session, &photos)?;
    if ctx.json {
        ctx.print_json(&json!({ "id": id, "at": at.to_rfc3339() }));
    } else {
        let summary = summarize(&*ctx.store, vec![course.clone()], ctx.rules, ctx.now, &ctx.tz)?;
        let label = summary.first().map_or_else(|| format!("session #{id}"), |s| s.session_label(id));
        ctx.say(format!("Planned {label}: {}.", text::when(at, &ctx.tz)));
        let starts = pre_care_start(at, &ctx.rules.course);
        if starts.lead < starts.core {
            ctx.say(format!(
                "Pre-care starts {} (its earliest item); the day-before items from {}.",
                text::when(starts.lead, &ctx.tz),
                text::when(starts.core, &ctx.tz)
            ));
        } else {
            ctx.say(format!("Pre-care starts {}.", text::when(starts.core, &ctx.tz)));
        }
        super::photos::say_kept(ctx, &photo_ids);
    }
    Ok(())
}

/// Changes only the fields given: whatever else was changed meanwhile (in the app,
/// say) stays. With `--if-rev`, refuses when the session moved on since then.
pub(super) fn edit(ctx: &mut Ctx, args: EditArgs) -> CliResult<()> {
    let stored = ctx.store.session(args.id)?;
    if let Some(rev) = args.if_rev.filter(|rev| *rev != stored.revision) {
        return Err(CliError::Failed(format!(
            "session {} is at revision {}, not {rev}: it was changed since; look at it again with needlelog list --json",
            stored.id, stored.revision
        )));
    }
    let mut session = stored.clone();
    let course = ctx.store.course(session.course_id)?;
    if let Some(text) = &args.at {
        session.at = ctx.when(text)?;
        session.utc_offset_s = offset_seconds(session.at, &ctx.tz);
    }
    if let Some(status) = args.status {
        session.status = status;
    }
    let photos = apply_fields(ctx, &course, &mut session, args.fields)?;
    let saved = ctx.store.save_session_edit(&stored, &session, &Settle::default())?;
    let verb = if saved == EditOutcome::Unchanged { "Nothing to change in" } else { "Saved" };
    let summary = summarize(&*ctx.store, vec![course.clone()], ctx.rules, ctx.now, &ctx.tz)?;
    let label = summary.first().map_or_else(|| format!("session #{}", session.id), |s| s.session_label(session.id));
    let verb = if verb == "Nothing to change in" && !photos.is_empty() { "Kept" } else { verb };
    ctx.say(format!("{verb} {label}: {}, {}.", text::when(session.at, &ctx.tz), session.status));
    super::photos::attach(ctx, crate::domain::PhotoOf::Session(session.id), &photos)
}

/// `needlelog rm ID`: a planned or cancelled session to the trash; a done one voided.
pub(super) fn remove(ctx: &mut Ctx, id: i64, reason: Option<&str>, yes: bool) -> CliResult<()> {
    let session = ctx.store.session(id)?;
    let description = format!("session {id} ({}, {})", text::when(session.at, &ctx.tz), session.status);
    if session.status != SessionStatus::Done {
        if !super::confirmed(ctx, yes, &format!("Delete {description}?"), &format!("delete {description}"))? {
            return Ok(());
        }
        let item = ctx.store.remove_session(id, "", ctx.now)?;
        ctx.say(format!("Moved {description} to the trash; needlelog trash restore {} brings it back.", item.id));
        return Ok(());
    }
    // A treatment that happened is voided, never erased: on a practitioner's
    // file, with the reason the record keeps.
    let reason = reason.map(str::trim).unwrap_or_default();
    if reason.is_empty() && ctx.kind == crate::domain::FileKind::Practitioner {
        return Err(CliError::Usage(format!(
            "{description} was done: it is voided, not deleted, and the record keeps why: \
             needlelog rm {id} --reason \"logged for the wrong client\""
        )));
    }
    let question = format!("Void {description}? It stays on record, counted nowhere.");
    if !super::confirmed(ctx, yes, &question, &format!("void {description}"))? {
        return Ok(());
    }
    let events = ctx.store.events_of_sessions(&[id])?.len();
    let item = ctx.store.remove_session(id, reason, ctx.now)?;
    let kept = match events {
        0 => String::new(),
        1 => " Its adverse event stays with it.".to_string(),
        n => format!(" Its {n} adverse events stay with it."),
    };
    ctx.say(format!(
        "Voided {description}: kept on record, counted nowhere.{kept} needlelog trash restore {} brings it back.",
        item.id
    ));
    Ok(())
}

pub(super) fn list(ctx: &mut Ctx, args: super::ListArgs) -> CliResult<()> {
    if let Some(id) = args.course {
        ctx.store.course(id)?;
    }
    let person = match &args.person {
        Some(name) => Some(ctx.person_found(name)?),
        None => None,
    };
    // A day alone means from the start of that day.
    let since = match args.since.as_deref() {
        Some(d) if !d.contains(':') => Some(ctx.when(&format!("{d} 00:00"))?),
        Some(d) => Some(ctx.when(d)?),
        None => None,
    };
    let until = match args.until.as_deref() {
        // A day alone means up to the end of that day.
        Some(d) if !d.contains(':') => Some(ctx.when(&format!("{d} 00:00"))? + chrono::Duration::days(1)),
        Some(d) => Some(ctx.when(d)?),
        None => None,
    };
    let filtered = person.is_some()
        || since.is_some()
        || until.is_some()
        || args.lot.is_some()
        || args.serum.is_some()
        || args.area.is_some()
        || args.status.is_some();
    let filter = SessionFilter {
        course_id: args.course,
        person_id: person.as_ref().map(|p| p.id),
        since,
        until,
        lot: args.lot.clone(),
        serum: args.serum.clone(),
        area: args.area.clone(),
        status: args.status,
        limit: args.limit,
        with_voided: args.all,
        order: Default::default(),
    };
    // A lot no session used is said (with the closest ones) before anything.
    if let Some(lot) = &args.lot {
        super::recalls::known_lot(ctx, lot)?;
    }
    // Written as they are read: a list of a million sessions is a stream.
    let listed = if ctx.json {
        let mut out = Stream::new(&mut ctx.sink, &mut ctx.out, true);
        let mut count = 0usize;
        ctx.store.each_session(filter, &mut |chunk| {
            for s in chunk {
                out.write(if count == 0 { "[\n" } else { ",\n" });
                out.write(&pretty_in_array(&session_json(s)));
                count += 1;
            }
            Ok(out.flow())
        })?;
        out.write(if count == 0 { "[]\n" } else { "\n]\n" });
        return Ok(());
    } else {
        let with_course = args.course.is_none();
        let mut out = Stream::new(&mut ctx.sink, &mut ctx.out, false);
        let mut clients = Clients::default();
        let mut table = TableStream::new(session_header(with_course));
        let (store, tz) = (&*ctx.store, ctx.tz);
        store.each_session(filter, &mut |chunk| {
            if with_course {
                clients.learn(store, chunk)?;
            }
            for s in chunk {
                table.push(session_row(s, &tz, with_course.then_some(&clients)), &mut out);
            }
            Ok(out.flow())
        })?;
        table.finish(&mut out)
    };
    match (listed, filtered) {
        (true, _) => {}
        (false, true) => ctx.say("No session matches these filters."),
        (false, false) => ctx.say("No sessions yet. Log one: needlelog log --depth 0.5"),
    }
    Ok(())
}

pub(super) fn check(ctx: &mut Ctx, item: &str, session: Option<i64>, undo: bool) -> CliResult<()> {
    let courses = ctx.store.courses(CourseFilter { active_only: true, ..Default::default() })?;
    let summaries = summarize(&*ctx.store, courses, ctx.rules, ctx.now, &ctx.tz)?;
    let active: Vec<_> = summaries.iter().flat_map(|s| s.checklist.iter()).collect();
    let matching: Vec<_> =
        active.iter().filter(|e| e.item.id == item && session.is_none_or(|id| e.session_id == id)).collect();
    let (session_id, text) = match (matching.as_slice(), session) {
        ([entry], _) => (entry.session_id, entry.item.text.clone()),
        ([], Some(id)) => {
            // Ticking afterwards: any item that exists, for the session named.
            let s = ctx.store.session(id)?;
            let custom = ctx.store.custom_items(s.course_id)?;
            let known = ctx.rules.checklist.iter().map(|i| (i.id.clone(), i.text.clone()));
            let mine = custom.iter().map(|c| (c.item_id(), c.text.clone()));
            let found = known.chain(mine).find(|(id, _)| id == item);
            let (_, text) = found.ok_or_else(|| CliError::Usage(format!("no checklist item \"{item}\"")))?;
            (id, text)
        }
        ([], None) => {
            let ids: Vec<&str> = active.iter().map(|e| e.item.id.as_str()).collect();
            let hint = if ids.is_empty() {
                "nothing applies right now".to_string()
            } else {
                format!("active now: {}", ids.join(", "))
            };
            return Err(CliError::Usage(format!(
                "\"{item}\" does not apply now ({hint}); name a session with --session ID"
            )));
        }
        (many, _) => {
            let ids: Vec<String> = many.iter().map(|e| e.session_id.to_string()).collect();
            return Err(CliError::Usage(format!(
                "\"{item}\" applies to sessions {}: choose one with --session ID",
                ids.join(", ")
            )));
        }
    };
    ctx.store.set_tick(session_id, item, !undo, ctx.now)?;
    let mark = if undo { "[ ]" } else { "[x]" };
    ctx.say(format!("{mark} {text} (session {session_id})"));
    Ok(())
}

/// The course a command applies to: the one named, or the only active one.
pub(super) fn pick_course(ctx: &Ctx, id: Option<i64>) -> CliResult<Course> {
    pick_course_of(ctx, id, None)
}

/// At most this many candidates are listed when a choice is ambiguous.
const CHOICES_SHOWN: usize = 10;

/// Course `id`, else the active course of `person` (found as `/` finds people),
/// else the only active course. An ambiguous choice lists a few and says how to
/// narrow it.
pub(super) fn pick_course_of(ctx: &Ctx, id: Option<i64>, person: Option<&str>) -> CliResult<Course> {
    if let Some(id) = id {
        return Ok(ctx.store.course(id)?);
    }
    let person = person.map(|name| ctx.person_found(name)).transpose()?;
    let filter = CourseFilter { active_only: true, person_id: person.as_ref().map(|p| p.id), ..Default::default() };
    let active = ctx.store.courses(filter)?;
    match (active.as_slice(), &person) {
        ([only], _) => Ok(only.clone()),
        ([], None) => Err(CliError::Usage(
            "no active course: start one with needlelog course add --concern KEY --area AREA".into(),
        )),
        ([], Some(p)) => Err(CliError::Usage(format!(
            "{} has no active course: start one with needlelog course add --person \"{}\" --concern KEY --area AREA",
            p.name, p.name
        ))),
        (many, _) => {
            let people: HashMap<i64, String> = ctx.store.people(true)?.into_iter().map(|p| (p.id, p.name)).collect();
            let choices: Vec<String> = many
                .iter()
                .take(CHOICES_SHOWN)
                .map(|c| {
                    let who = people.get(&c.person_id).map_or("?", String::as_str);
                    format!("{} ({who}, {}, {})", c.id, c.concern, c.areas.join("+"))
                })
                .collect();
            let more = match many.len().saturating_sub(CHOICES_SHOWN) {
                0 => String::new(),
                n => format!(" and {n} more; --person NAME narrows it"),
            };
            Err(CliError::Usage(format!(
                "{} active courses; choose with --course ID: {}{more}",
                many.len(),
                choices.join(", ")
            )))
        }
    }
}

/// Copies the given details onto `session` and checks it with the one rule for
/// every session: errors refuse the command, warnings are printed.
/// Sets the fields given and checks the session; returns the photos given,
/// checked, to keep once the session is saved.
fn apply_fields(
    ctx: &mut Ctx,
    course: &Course,
    session: &mut Session,
    fields: SessionFields,
) -> CliResult<Vec<crate::photos::Pending>> {
    if let Some(device) = fields.device {
        session.device = device;
    }
    if let Some(depth) = &fields.depth {
        session.depths =
            Some(parse_depths(depth, &course.areas, ctx.rules).map_err(|e| CliError::Usage(e.to_string()))?);
    }
    let text = |v: Option<String>| v.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
    if let Some(model) = fields.model {
        session.device_model = Some(model.trim().to_string()).filter(|m| !m.is_empty());
    } else if session.id == 0 && session.device_model.is_none() {
        // Remembered: the course's last session with this device names it.
        let earlier = ctx.store.sessions_of(&[course.id])?;
        session.device_model = earlier
            .iter()
            .filter(|s| s.device == session.device && s.device_model.is_some())
            .max_by_key(|s| s.at)
            .and_then(|s| s.device_model.clone());
    }
    if fields.passes.is_some() {
        session.passes = fields.passes;
    }
    if let Some(v) = text(fields.serum) {
        session.serum = Some(v);
    }
    if let Some(v) = text(fields.lot) {
        session.lot = Some(v);
    }
    if let Some(v) = text(fields.numbing) {
        session.numbing = Some(v);
    }
    if fields.pain.is_some() {
        session.pain = fields.pain;
    }
    if fields.reaction.is_some() {
        session.reaction = fields.reaction;
    }
    if fields.rating.is_some() {
        session.rating = fields.rating;
    }
    if let Some(v) = text(fields.provider) {
        session.provider = Some(v);
    }
    if let Some(notes) = fields.notes {
        session.notes = notes;
    }
    let others = ctx.store.sessions_of(&[course.id])?;
    let check = check_entry(session, course, &others, ctx.rules, ctx.kind, ctx.now, &ctx.tz);
    if let Some(e) = check.errors.first() {
        return Err(CliError::Usage(match e.field {
            EntryField::When => format!("{}: {}", text::when(session.at, &ctx.tz), e.message),
            _ => e.message.clone(),
        }));
    }
    // Pictures are checked before anything is said to be saved.
    let photos = super::photos::prepare(ctx, &fields.photos, None)?;
    for warning in check.warnings {
        ctx.warn(format!("{} (saved anyway)", warning.message));
    }
    let skin = ctx.store.person(course.person_id)?.skin_type;
    for caution in crate::domain::depth::cautions(skin, session.depths(), session.device, ctx.rules) {
        ctx.warn(format!("note: {caution}"));
    }
    Ok(photos)
}

/// After a done session is saved: where the course stands and what to do now.
fn report_saved(ctx: &mut Ctx, course: &Course, id: i64, verb: &str) -> CliResult<()> {
    let summary = summarize(&*ctx.store, vec![course.clone()], ctx.rules, ctx.now, &ctx.tz)?;
    let summary = &summary[0];
    if ctx.json {
        let value = serde_json::to_value(course_json(ctx.rules, summary)).unwrap_or_default();
        ctx.print_json(&json!({ "id": id, "course": value }));
        return Ok(());
    }
    let session = ctx.store.session(id)?;
    let st = &summary.state;
    ctx.say(format!("{verb} {}: {}.", summary.session_label(id), text::when(session.at, &ctx.tz)));
    if session.is_done() && st.maintenance_done > 0 && st.last_done == Some(session.at) {
        ctx.warn(format!(
            "course {} had all its {} sessions done already: this one counts as maintenance, and the \
             results day stays; to count it as one of the course's own instead: \
             needlelog course edit {} --sessions {}",
            course.id,
            st.sessions_target,
            course.id,
            st.sessions_target + st.maintenance_done,
        ));
    }
    state_lines(ctx, summary);
    Ok(())
}
