//! `needlelog diary`: a quick note on the days after a session, and how the
//! recoveries of a course's sessions compare.

use serde_json::json;

use super::present::table;
use super::sessions::pick_course;
use super::{CliError, CliResult, Ctx, DiaryArgs};
use crate::domain::time::local_date;
use crate::domain::{DiaryEntry, Session};
use crate::text;

pub(super) fn diary(ctx: &mut Ctx, args: DiaryArgs) -> CliResult<()> {
    let session = match args.session {
        Some(id) => ctx.store.session(id)?,
        None => last_done(ctx, args.course)?,
    };
    let noting =
        [args.redness, args.swelling, args.flaking, args.tightness].iter().any(Option::is_some) || args.note.is_some();
    if !noting {
        return show(ctx, &session);
    }
    let today = (local_date(ctx.now, &ctx.tz) - local_date(session.at, &ctx.tz)).num_days();
    let day = match args.day {
        Some(day) => day,
        None => u32::try_from(today).map_err(|_| {
            CliError::Usage(format!("session #{} is later than today: name the day with --day N", session.id))
        })?,
    };
    let entry = DiaryEntry {
        session_id: session.id,
        day,
        redness: args.redness,
        swelling: args.swelling,
        flaking: args.flaking,
        tightness: args.tightness,
        note: args.note.map(|n| n.trim().to_string()).unwrap_or_default(),
    };
    crate::domain::validate::check_diary(&entry).map_err(|e| CliError::Usage(e.message))?;
    let kept = ctx.store.note_diary(&entry)?;
    if ctx.json {
        ctx.print_json(&json!(kept));
        return Ok(());
    }
    let place = place_of(ctx, &session)?;
    ctx.say(format!("Noted day {} after {place}: {}.", kept.day, signs_text(&kept)));
    Ok(())
}

/// The course's last done session up to now.
fn last_done(ctx: &Ctx, course: Option<i64>) -> CliResult<Session> {
    let course = pick_course(ctx, course)?;
    let sessions = ctx.store.sessions_of(&[course.id])?;
    sessions.into_iter().filter(|s| s.is_done() && s.at <= ctx.now).max_by_key(|s| s.at).ok_or_else(|| {
        CliError::Usage(format!("course {} has no session done yet: the diary follows a done session", course.id))
    })
}

/// "session 3 of 6 (#12)".
fn place_of(ctx: &Ctx, session: &Session) -> CliResult<String> {
    let course = ctx.store.course(session.course_id)?;
    let summary = crate::summary::summarize(&*ctx.store, vec![course], ctx.rules, ctx.now, &ctx.tz)?;
    Ok(summary.first().map_or_else(|| format!("session #{}", session.id), |s| s.session_label(session.id)))
}

/// `redness 2 · flaking 1 · "tight around the mouth"`.
fn signs_text(e: &DiaryEntry) -> String {
    let mut parts: Vec<String> = e.signs().iter().filter_map(|(name, v)| v.map(|v| format!("{name} {v}"))).collect();
    if !e.note.is_empty() {
        parts.push(format!("\"{}\"", e.note));
    }
    parts.join(" · ")
}

/// The diary of every done session of the course, and how they compare.
fn show(ctx: &mut Ctx, session: &Session) -> CliResult<()> {
    let course = ctx.store.course(session.course_id)?;
    let Some(summary) = crate::summary::summarize(&*ctx.store, vec![course], ctx.rules, ctx.now, &ctx.tz)?.pop() else {
        return Ok(());
    };
    let ids: Vec<i64> = summary.sessions.iter().map(|s| s.id).collect();
    let diary = ctx.store.diary_of(&ids)?;
    if ctx.json {
        ctx.print_json(&json!(diary));
        return Ok(());
    }
    if diary.is_empty() {
        ctx.say("Nothing in the diary yet: needlelog diary --redness 2 --note \"warm, tight\" notes today's skin.");
        return Ok(());
    }
    let mut rows =
        vec![["SESSION", "DAY", "REDNESS", "SWELLING", "FLAKING", "TIGHTNESS", "NOTE"].map(String::from).to_vec()];
    let by_session = summary.diary_by_session(&diary);
    for (place, mine) in &by_session {
        for e in mine {
            let at = summary.sessions.iter().find(|s| s.id == e.session_id).map(|s| local_date(s.at, &ctx.tz));
            let sign = |v: Option<u8>| v.map_or_else(|| "–".to_string(), |v| v.to_string());
            rows.push(vec![
                format!("{place} ({})", at.map(text::day_short).unwrap_or_default()),
                e.day.to_string(),
                sign(e.redness),
                sign(e.swelling),
                sign(e.flaking),
                sign(e.tightness),
                e.note.clone(),
            ]);
        }
    }
    ctx.say(table(rows));
    let compared = text::recovery_comparison(&by_session);
    if !compared.is_empty() {
        ctx.say("");
        for line in compared {
            ctx.say(text::capitalized(&line));
        }
    }
    Ok(())
}
