//! `needlelog event`: adverse events after a session — recorded, listed, resolved.

use serde_json::json;

use super::present::table;
use super::{CliError, CliResult, Ctx, EventCommand};
use crate::domain::AdverseEvent;
use crate::domain::time::local_date;
use crate::text;

pub(super) fn event(ctx: &mut Ctx, cmd: EventCommand) -> CliResult<()> {
    match cmd {
        EventCommand::Add { session, kind, severity, on, notes, resolved } => {
            let noticed_on = day(ctx, on.as_deref())?;
            let resolved_on = resolved.as_deref().map(|d| day(ctx, Some(d))).transpose()?;
            let event = AdverseEvent {
                id: 0,
                session_id: session,
                kind: kind.trim().to_lowercase(),
                noticed_on,
                severity,
                notes,
                resolved_on,
            };
            crate::domain::validate::check_event(&event, ctx.rules).map_err(|e| CliError::Usage(e.message))?;
            let id = ctx.store.add_event(&event)?;
            if ctx.json {
                ctx.print_json(&json!({ "id": id }));
            } else {
                ctx.say(format!(
                    "Recorded event {id} on session {session}: {} ({}/3), noticed {}{}.",
                    ctx.rules.adverse_name(&event.kind),
                    severity,
                    text::day(noticed_on),
                    resolved_on.map(|d| format!(", resolved {}", text::day(d))).unwrap_or_default()
                ));
            }
        }
        EventCommand::List { open } => {
            let events = ctx.store.events(open)?;
            if ctx.json {
                ctx.print_json(&json!(events));
            } else if events.is_empty() {
                ctx.say(if open { "No open adverse events." } else { "No adverse events recorded." });
            } else {
                let mut rows = vec![
                    ["ID", "SESSION", "KIND", "SEVERITY", "NOTICED", "RESOLVED", "NOTES"].map(String::from).to_vec(),
                ];
                for e in &events {
                    rows.push(vec![
                        e.id.to_string(),
                        e.session_id.to_string(),
                        ctx.rules.adverse_name(&e.kind).to_string(),
                        format!("{}/3", e.severity),
                        text::day(e.noticed_on),
                        e.resolved_on.map_or_else(|| "open".to_string(), text::day),
                        text::abbreviate(&e.notes, 40),
                    ]);
                }
                ctx.say(table(rows));
            }
        }
        EventCommand::Resolve { id, on } => {
            let resolved = day(ctx, on.as_deref())?;
            let event = ctx.store.resolve_event(id, resolved)?;
            ctx.say(format!("Event {id} ({}) resolved {}.", ctx.rules.adverse_name(&event.kind), text::day(resolved)));
        }
    }
    Ok(())
}

/// A day typed (`2026-03-02`, `yesterday`), or today.
fn day(ctx: &mut Ctx, typed: Option<&str>) -> CliResult<chrono::NaiveDate> {
    let at = match typed {
        Some(text) => ctx.when(text)?,
        None => ctx.now,
    };
    Ok(local_date(at, &ctx.tz))
}
