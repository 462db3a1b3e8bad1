//! `needlelog status` and `protocols`: where each active course stands, and the
//! protocol table.

use serde_json::json;

use super::present::{CoursesJson, state_lines, table};
use super::{CliResult, Ctx, Output};
use crate::domain::rules::Rules;
use crate::store::CourseFilter;
use crate::summary::summarize_listed;
use crate::text;

pub(super) fn status(ctx: &mut Ctx, person: Option<&str>, due: bool) -> CliResult<()> {
    let person_id = person.map(|name| ctx.person_found(name)).transpose()?.map(|p| p.id);
    let filter = CourseFilter { active_only: true, person_id, ..Default::default() };
    let mut summaries = summarize_listed(&*ctx.store, filter, &[], &[], ctx.rules, ctx.now, &ctx.tz)?;
    if due {
        summaries.retain(|s| {
            use crate::domain::windows::Phase;
            !s.state.unresolved.is_empty()
                || matches!(
                    s.state.phase,
                    Phase::PreCare { .. }
                        | Phase::Sensitive { .. }
                        | Phase::Due { .. }
                        | Phase::Overdue { .. }
                        | Phase::MaintenanceDue { .. }
                )
        });
    }
    if ctx.json {
        #[derive(serde::Serialize)]
        struct Status<'a> {
            now: String,
            courses: CoursesJson<'a>,
        }
        ctx.print_json(&Status { now: ctx.now.to_rfc3339(), courses: CoursesJson::new(summaries, ctx.rules) });
        return Ok(());
    }
    if summaries.is_empty() && (due || person_id.is_some()) {
        ctx.say(if due { "Nothing calls for anything now." } else { "No active course for this person." });
        return Ok(());
    }
    if summaries.is_empty() {
        ctx.say("No active course. Start one: needlelog course add --concern rejuvenation --area cheeks");
        ctx.say("(needlelog protocols lists the concerns and their usual number of sessions.)");
        return Ok(());
    }
    for (i, summary) in summaries.iter().enumerate() {
        if i > 0 {
            ctx.say("");
        }
        ctx.say(format!("{} · course {}", summary.title(ctx.rules), summary.course.id));
        state_lines(ctx, summary);
    }
    Ok(())
}

/// `status --line`: one short line for a shell prompt or a status bar: the one
/// running course's phase, or for many courses how many call for something;
/// nothing when nothing does. Reads only what the phases need.
pub(super) fn line(ctx: &mut Ctx) -> CliResult<()> {
    let (courses, people) = ctx.store.consistent(|| {
        let courses =
            crate::summary::standings(&*ctx.store, CourseFilter { active_only: true, ..Default::default() }, ctx.now)?;
        let mut person_ids: Vec<i64> = courses.iter().map(|(c, _)| c.person_id).collect();
        person_ids.sort_unstable();
        person_ids.dedup();
        Ok((courses, ctx.store.people_by_ids(&person_ids)?))
    })?;
    let present: std::collections::HashSet<i64> = people.iter().filter(|p| !p.archived).map(|p| p.id).collect();
    let states: Vec<_> = courses
        .iter()
        .filter(|(c, _)| present.contains(&c.person_id))
        .map(|(c, standing)| {
            crate::domain::windows::course_state_counted(
                c,
                &standing.sessions,
                standing.counted(),
                &ctx.rules.course,
                ctx.now,
                &ctx.tz,
            )
        })
        .collect();
    let line = match states.as_slice() {
        [one] => text::status_line(one, ctx.now, &ctx.tz),
        many => {
            let saying: Vec<_> = many.iter().filter(|s| text::status_line(s, ctx.now, &ctx.tz).is_some()).collect();
            match saying.as_slice() {
                [one] => text::status_line(one, ctx.now, &ctx.tz),
                _ => text::status_counts(&saying),
            }
        }
    };
    if let Some(line) = line {
        ctx.say(line);
    }
    Ok(())
}

pub(super) fn protocols(rules: &Rules, as_json: bool) -> Output {
    let mut out = Output::default();
    if as_json {
        let list: Vec<_> = rules
            .concerns
            .iter()
            .map(|p| {
                json!({
                    "key": p.key, "name": p.name,
                    "sessions": { "min": p.sessions[0], "max": p.sessions[1], "typical": p.typical },
                    "interval_days": { "min": p.interval().min, "max": p.interval().max },
                    "note": p.note, "source": p.source,
                })
            })
            .collect();
        let c = &rules.course;
        let questions: Vec<_> = rules.contraindications.iter().map(|c| json!({ "id": c.id, "text": c.text })).collect();
        let value = json!({
            "own_rules": rules.own.as_ref().map(|o| o.files.clone()),
            "concerns": list,
            "contraindications": questions,
            "course": {
                "final_results_months": c.final_results_months,
                "remodeling_months": c.remodeling_months,
                "maintenance_months": c.maintenance_months,
                "sensitive_hours": c.sensitive_hours,
                "source": c.source,
            },
        });
        out.stdout = serde_json::to_string_pretty(&value).unwrap_or_default() + "\n";
        out.exact = true;
        return out;
    }
    let mut rows = vec![["CONCERN", "NAME", "SESSIONS", "INTERVAL", "SOURCE"].map(String::from).to_vec()];
    for p in &rules.concerns {
        rows.push(vec![
            p.key.clone(),
            p.name.clone(),
            p.sessions_text(),
            p.interval_text(),
            text::abbreviate(&p.source, 60),
        ]);
    }
    out.stdout = table(rows);
    let c = &rules.course;
    out.stdout.push_str(&format!(
        "\nEvery course: skin is sensitive for {} h after a session; final results about {} months after the last one;\n\
         collagen keeps building for {}–{} months; maintenance every {}–{} months (editable per course).\n\
         {}\n",
        c.sensitive_hours,
        c.final_results_months,
        c.remodeling_months[0],
        c.remodeling_months[1],
        c.maintenance_months[0],
        c.maintenance_months[1],
        match &rules.own {
            Some(own) => format!(
                "Your own rules are in use ({}): needlelog rules show says what they change. Not medical advice.",
                own.files.join(", ")
            ),
            None => "Defaults, not medical advice.".to_string(),
        }
    ));
    out
}
