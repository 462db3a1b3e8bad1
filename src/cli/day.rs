//! `needlelog day [DATE] [--week]`: the day sheet — each booking in time order,
//! with the client (told apart from a namesake), the course and its place, and
//! what needs attention before the visit.

use std::collections::HashMap;

use chrono::{Days, NaiveTime};
use serde_json::json;

use super::{CliResult, Ctx};
use crate::domain::SessionStatus;
use crate::domain::time::{local_date, resolve_local_lenient};
use crate::store::SessionFilter;
use crate::summary::{Visit, before_visit, summarize};
use crate::text;

pub(super) fn sheet(ctx: &mut Ctx, date: Option<&str>, week: bool) -> CliResult<()> {
    let first = match date {
        Some(typed) => local_date(ctx.when(&format!("{} 12:00", typed.trim())).or_else(|_| ctx.when(typed))?, &ctx.tz),
        None => local_date(ctx.now, &ctx.tz),
    };
    let days = if week { 7 } else { 1 };
    let last = first + Days::new(days);
    let start = resolve_local_lenient(first.and_time(NaiveTime::MIN), &ctx.tz);
    let end = resolve_local_lenient(last.and_time(NaiveTime::MIN), &ctx.tz);
    // The bookings, oldest first, with their courses whole and their people.
    let (mut bookings, summaries, consents, events, everyone) = ctx.store.consistent(|| {
        let filter = SessionFilter {
            since: Some(start),
            until: Some(end),
            status: Some(SessionStatus::Planned),
            ..Default::default()
        };
        let bookings = ctx.store.sessions(filter)?;
        let mut course_ids: Vec<i64> = bookings.iter().map(|s| s.course_id).collect();
        course_ids.sort_unstable();
        course_ids.dedup();
        let courses = course_ids.iter().map(|id| ctx.store.course(*id)).collect::<crate::store::Result<Vec<_>>>()?;
        let summaries = summarize(&*ctx.store, courses, ctx.rules, ctx.now, &ctx.tz)?;
        let consents = ctx.store.consents_of(&course_ids)?;
        let session_ids: Vec<i64> = summaries.iter().flat_map(|s| s.sessions.iter().map(|x| x.id)).collect();
        let events = ctx.store.events_of_sessions(&session_ids)?;
        Ok((bookings, summaries, consents, events, ctx.store.people(true)?))
    })?;
    bookings.sort_by_key(|s| (s.at, s.id));
    let by_course: HashMap<i64, &crate::summary::CourseSummary> = summaries.iter().map(|s| (s.course.id, s)).collect();
    let folded = |name: &str| crate::find::folded(name);
    let namesake = |name: &str| everyone.iter().filter(|p| folded(&p.name) == folded(name)).count() > 1;
    let mut rows = Vec::new();
    let mut listed = Vec::new();
    for booking in &bookings {
        let Some(summary) = by_course.get(&booking.course_id) else { continue };
        let mine: Vec<crate::domain::AdverseEvent> =
            events.iter().filter(|e| summary.sessions.iter().any(|s| s.id == e.session_id)).cloned().collect();
        let visit =
            Visit { kind: ctx.kind, consent: consents.iter().any(|c| c.course_id == booking.course_id), events: &mine };
        let attention = before_visit(summary, booking, &visit, ctx.rules, ctx.now, &ctx.tz);
        let client = summary.person.told_apart(namesake(&summary.person.name));
        let course =
            format!("{} · {}", ctx.rules.concern_name(&summary.course.concern), summary.session_label(booking.id));
        listed.push(json!({
            "session_id": booking.id, "at": booking.at.to_rfc3339(), "course_id": booking.course_id,
            "person": { "id": summary.person.id, "name": summary.person.name,
                        "born_on": summary.person.born_on.map(|d| d.to_string()), "contact": summary.person.contact },
            "course": course, "attention": attention,
        }));
        let when = match week {
            true => text::when_short(booking.at, &ctx.tz),
            false => booking.at.with_timezone(&ctx.tz).format("%H:%M").to_string(),
        };
        rows.push(vec![when, client, course, attention.join(" · ")]);
    }
    let span = match week {
        true => format!("{} – {}", text::day(first), text::day(last - Days::new(1))),
        false => text::day(first),
    };
    if ctx.json {
        ctx.print_json(&json!({ "from": first.to_string(), "days": days, "bookings": listed }));
        return Ok(());
    }
    if rows.is_empty() {
        ctx.say(format!("No bookings on {span}."));
        return Ok(());
    }
    ctx.say(format!("{span}: {}", text::plural(i64::try_from(rows.len()).unwrap_or(0), "booking")));
    let mut all = vec![["WHEN", "CLIENT", "COURSE", "BEFORE THE VISIT"].map(String::from).to_vec()];
    all.extend(rows);
    ctx.say(super::present::table_last_whole(all));
    Ok(())
}
