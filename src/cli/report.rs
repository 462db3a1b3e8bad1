//! `needlelog status`, `protocols`, `export` and `import`, and the lines that say
//! where a course stands.

use std::path::{Path, PathBuf};

use serde_json::json;

use super::records::course_json;
use super::{CliError, CliResult, Ctx, ExportFormat, Output, table};
use crate::domain::CarePhase;
use crate::domain::rules::Rules;
use crate::domain::windows::Phase;
use crate::exchange;
use crate::store::CourseFilter;
use crate::summary::{CourseSummary, summarize};
use crate::text;

pub(super) fn status(ctx: &mut Ctx) -> CliResult<()> {
    let courses = ctx.store.courses(CourseFilter { active_only: true, ..Default::default() })?;
    let summaries = summarize(&ctx.store, courses, ctx.rules, ctx.now, &ctx.tz)?;
    if ctx.json {
        #[derive(serde::Serialize)]
        struct Status<'a> {
            now: String,
            courses: Vec<super::records::CourseJson<'a>>,
        }
        let status =
            Status { now: ctx.now.to_rfc3339(), courses: summaries.iter().map(|s| course_json(ctx, s)).collect() };
        let text = serde_json::to_string_pretty(&status).unwrap_or_default();
        ctx.say(text);
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

/// The phase, progress, windows and active checklist of one course.
pub(super) fn state_lines(ctx: &mut Ctx, s: &CourseSummary) {
    let st = &s.state;
    let tz = ctx.tz;
    let phase_line = match &st.phase {
        Phase::Sensitive { until, intense, .. } => {
            let note = if *intense { " — the first 24 h are the most intense" } else { "" };
            format!("{} — until {}{note}", text::badge(st), text::when_short(*until, &tz))
        }
        Phase::PreCare { at, .. } => format!("{} — session {}", text::badge(st), text::when_short(*at, &tz)),
        Phase::Complete { maintenance_from } => {
            format!("{} — maintenance from {}", text::badge(st), text::day(*maintenance_from))
        }
        _ => text::badge(st),
    };
    ctx.say(format!("  now          {phase_line}"));
    ctx.say(format!("  sessions     {} of {} done, {} left", st.sessions_done, st.sessions_target, st.sessions_left));
    if let Some(w) = st.next_window {
        ctx.say(format!("  next window  {} – {}", text::day(w.earliest), text::day(w.latest)));
    }
    if let Some(w) = st.maintenance {
        ctx.say(format!("  maintenance  {} – {}", text::day(w.earliest), text::day(w.latest)));
    }
    if let Some((id, at)) = st.next_planned {
        ctx.say(format!("  planned      {} (session {id})", text::when(at, &tz)));
    }
    if let (Some(results), Some(remodeling)) = (st.final_results, st.remodeling_end) {
        let estimate =
            if st.final_results_projected { " (estimate: if the rest keep to the earliest days)" } else { "" };
        ctx.say(format!("  results      {}{estimate}", text::day(results)));
        ctx.say(format!("  collagen     keeps building until about {}", text::day(remodeling)));
    }
    let mut last_session = None;
    for entry in &s.checklist {
        if last_session != Some(entry.session_id) {
            last_session = Some(entry.session_id);
            let side = if entry.item.phase == CarePhase::Pre { "before" } else { "after" };
            let (done, total) = count_for(s, entry.session_id);
            ctx.say(format!(
                "  checklist    {side} session {} ({}) · {done}/{total} ticked",
                entry.session_id,
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
        let value = json!({
            "concerns": list,
            "course": {
                "final_results_months": c.final_results_months,
                "remodeling_months": c.remodeling_months,
                "maintenance_months": c.maintenance_months,
                "sensitive_hours": c.sensitive_hours,
                "source": c.source,
            },
        });
        out.stdout = serde_json::to_string_pretty(&value).unwrap_or_default() + "\n";
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
         Defaults, not medical advice.\n",
        c.sensitive_hours,
        c.final_results_months,
        c.remodeling_months[0],
        c.remodeling_months[1],
        c.maintenance_months[0],
        c.maintenance_months[1]
    ));
    out
}

pub(super) fn export(ctx: &mut Ctx, format: ExportFormat, output: Option<PathBuf>) -> CliResult<()> {
    let snapshot = ctx.store.snapshot()?;
    let text = match format {
        ExportFormat::Json => exchange::json::to_json(&snapshot),
        ExportFormat::Csv => exchange::csv::to_csv(&snapshot),
        ExportFormat::Ics => exchange::ics::to_ics(&snapshot, ctx.rules, ctx.now, &ctx.tz),
    };
    match output {
        None => ctx.out.stdout.push_str(&text),
        Some(path) => {
            write_atomically(&path, text.as_bytes())
                .map_err(|e| CliError::Failed(format!("cannot write {}: {e}", path.display())))?;
            ctx.warn(format!("wrote {} sessions to {}", snapshot.sessions.len(), path.display()));
        }
    }
    Ok(())
}

/// Writes to a temporary file beside `path`, then renames it over: a reader never
/// sees half a file, and an old file survives a failed write.
fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".partial");
    let partial = path.with_file_name(name);
    let mut file = std::fs::File::create(&partial)?;
    let written = file.write_all(bytes).and_then(|()| file.sync_all());
    if let Err(e) = written.and_then(|()| std::fs::rename(&partial, path)) {
        let _ = std::fs::remove_file(&partial);
        return Err(e);
    }
    Ok(())
}

pub(super) fn import(ctx: &mut Ctx, file: &Path) -> CliResult<()> {
    let bytes = std::fs::read(file).map_err(|e| CliError::Failed(format!("cannot read {}: {e}", file.display())))?;
    let text = String::from_utf8(bytes)
        .map_err(|_| CliError::Failed(format!("{}: not a needlelog JSON export (not UTF-8 text)", file.display())))?;
    let snapshot = exchange::json::from_json(&text, ctx.rules)
        .map_err(|e| CliError::Failed(format!("{}: {e}; nothing imported", file.display())))?;
    let counts = ctx.store.import(&snapshot)?;
    if ctx.json {
        ctx.print_json(&json!({
            "people": counts.people, "courses": counts.courses, "sessions": counts.sessions,
            "ticks": counts.ticks, "custom_items": counts.custom_items,
        }));
    } else {
        ctx.say(format!(
            "Imported {} people, {} courses, {} sessions, {} ticks and {} checklist items from {}.",
            counts.people,
            counts.courses,
            counts.sessions,
            counts.ticks,
            counts.custom_items,
            file.display()
        ));
    }
    Ok(())
}

pub(super) fn doctor(ctx: &mut Ctx) -> CliResult<()> {
    let h = ctx.store.health()?;
    if ctx.json {
        ctx.print_json(&json!({
            "path": h.path.display().to_string(), "bytes": h.bytes, "schema_version": h.schema_version,
            "ok": h.is_ok(), "integrity_problems": h.integrity_problems, "broken_references": h.broken_references,
            "people": h.people, "courses": h.courses, "sessions": h.sessions, "ticks": h.ticks, "custom_items": h.custom_items,
        }));
    } else {
        ctx.say(format!("file         {}", h.path.display()));
        ctx.say(format!("size         {:.1} MB ({} bytes)", h.bytes as f64 / 1e6, h.bytes));
        ctx.say(format!("schema       v{} (this build writes v{})", h.schema_version, crate::store::current_version()));
        ctx.say(format!(
            "records      {} people, {} courses, {} sessions, {} ticks, {} own checklist items",
            h.people, h.courses, h.sessions, h.ticks, h.custom_items
        ));
        let integrity =
            if h.integrity_problems.is_empty() { "ok".to_string() } else { h.integrity_problems.join("; ") };
        ctx.say(format!("integrity    {integrity}"));
        ctx.say(format!(
            "references   {}",
            if h.broken_references == 0 { "ok".to_string() } else { format!("{} broken", h.broken_references) }
        ));
    }
    if !h.is_ok() {
        return Err(CliError::Failed(format!(
            "{}: the file has problems; restore a backup (needlelog.db.bak-v*) or export what can be read",
            h.path.display()
        )));
    }
    Ok(())
}

/// `needlelog demo`: a large, realistic file for trying things out and measuring.
pub(super) fn demo(
    rules: &Rules,
    now: chrono::DateTime<chrono::Utc>,
    people: u32,
    years: u32,
    seed: u64,
    out: &Path,
) -> CliResult<Output> {
    if out.exists() {
        return Err(CliError::Usage(format!("{} exists already; pick a new file name", out.display())));
    }
    let zone = crate::domain::time::Zone::Local;
    let snapshot = crate::demo::generate(people, years, seed, rules, now, &zone);
    let mut store = crate::store::Store::open(out)?;
    let counts = store.import(&snapshot)?;
    Ok(Output {
        stdout: format!(
            "Wrote {}: {} people, {} courses, {} sessions.\n",
            out.display(),
            counts.people,
            counts.courses,
            counts.sessions
        ),
        warnings: Vec::new(),
    })
}
