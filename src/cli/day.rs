//! `needlelog day [DATE] [--week]`: the day sheet — each booking in time order,
//! with the client (told apart from a namesake), the course and its place, and
//! what needs attention before the visit (see [`crate::summary::day_sheet`]).

use chrono::{Days, NaiveTime};
use serde_json::json;

use super::{CliResult, Ctx};
use crate::domain::time::{local_date, resolve_local_lenient};
use crate::summary::day_sheet;
use crate::text;

pub(super) fn sheet(ctx: &mut Ctx, date: Option<&str>, week: bool) -> CliResult<()> {
    let first = match date {
        Some(typed) => local_date(ctx.when(&format!("{} 12:00", typed.trim())).or_else(|_| ctx.when(typed))?, &ctx.tz),
        None => local_date(ctx.now, &ctx.tz),
    };
    let days = if week { 7 } else { 1 };
    let last = first + Days::new(days);
    let span = (
        resolve_local_lenient(first.and_time(NaiveTime::MIN), &ctx.tz),
        resolve_local_lenient(last.and_time(NaiveTime::MIN), &ctx.tz),
    );
    let bookings = day_sheet(&*ctx.store, ctx.rules, ctx.kind, span, ctx.now, &ctx.tz)?;
    let said = match week {
        true => format!("{} – {}", text::day(first), text::day(last - Days::new(1))),
        false => text::day(first),
    };
    if ctx.json {
        let listed: Vec<_> = bookings
            .iter()
            .map(|b| {
                json!({
                    "session_id": b.session_id, "at": b.at.to_rfc3339(), "course_id": b.course_id,
                    "person": { "id": b.person.id, "name": b.person.name,
                                "born_on": b.person.born_on.map(|d| d.to_string()), "contact": b.person.contact },
                    "course": b.course, "attention": b.attention,
                })
            })
            .collect();
        ctx.print_json(&json!({ "from": first.to_string(), "days": days, "bookings": listed }));
        return Ok(());
    }
    if bookings.is_empty() {
        ctx.say(format!("No bookings on {said}."));
        return Ok(());
    }
    ctx.say(format!("{said}: {}", text::plural(i64::try_from(bookings.len()).unwrap_or(0), "booking")));
    let mut rows = vec![["WHEN", "CLIENT", "COURSE", "BEFORE THE VISIT"].map(String::from).to_vec()];
    for b in &bookings {
        let when = match week {
            true => text::when_short(b.at, &ctx.tz),
            false => b.at.with_timezone(&ctx.tz).format("%H:%M").to_string(),
        };
        rows.push(vec![when, b.client.clone(), b.course.clone(), b.attention.join(" · ")]);
    }
    ctx.say(super::present::table_last_whole(rows));
    Ok(())
}
