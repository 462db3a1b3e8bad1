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
                void: None,
            };
            crate::domain::validate::check_event(&event, ctx.rules).map_err(|e| CliError::Usage(e.message))?;
            let today = local_date(ctx.now, &ctx.tz);
            let id = ctx.store.add_event(&event, today).map_err(usage)?;
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
                    let resolved = match (&e.void, e.resolved_on) {
                        (Some(void), _) => format!("voided {}", text::day(void.at.date_naive())),
                        (None, Some(day)) => text::day(day),
                        (None, None) => "open".to_string(),
                    };
                    let notes = match &e.void {
                        Some(void) => format!("voided: {}", text::abbreviate(&void.reason, 40)),
                        None => text::abbreviate(&e.notes, 40),
                    };
                    rows.push(vec![
                        e.id.to_string(),
                        e.session_id.to_string(),
                        ctx.rules.adverse_name(&e.kind).to_string(),
                        format!("{}/3", e.severity),
                        text::day(e.noticed_on),
                        resolved,
                        notes,
                    ]);
                }
                ctx.say(table(rows));
            }
        }
        EventCommand::Resolve { id, on } => {
            let resolved = day(ctx, on.as_deref())?;
            let event = ctx.store.resolve_event(id, resolved).map_err(usage)?;
            ctx.say(format!("Event {id} ({}) resolved {}.", ctx.rules.adverse_name(&event.kind), text::day(resolved)));
        }
        EventCommand::Edit { id, kind, severity, on, notes, resolved } => {
            let mut event = ctx.store.event(id)?;
            if let Some(kind) = kind {
                event.kind = kind.trim().to_lowercase();
            }
            if let Some(severity) = severity {
                event.severity = severity;
            }
            if let Some(on) = on {
                event.noticed_on = day(ctx, Some(&on))?;
            }
            if let Some(notes) = notes {
                event.notes = notes;
            }
            match resolved.as_deref().map(str::trim) {
                Some("open") => event.resolved_on = None,
                Some(typed) => event.resolved_on = Some(day(ctx, Some(typed))?),
                None => {}
            }
            crate::domain::validate::check_event(&event, ctx.rules).map_err(|e| CliError::Usage(e.message))?;
            let today = local_date(ctx.now, &ctx.tz);
            let event = ctx.store.edit_event(&event, today).map_err(usage)?;
            ctx.say(format!(
                "Event {id} on session {}: {} ({}/3), noticed {}{}.",
                event.session_id,
                ctx.rules.adverse_name(&event.kind),
                event.severity,
                text::day(event.noticed_on),
                event.resolved_on.map(|d| format!(", resolved {}", text::day(d))).unwrap_or_default()
            ));
        }
        EventCommand::Void { id, reason } => {
            let event = ctx.store.void_event(id, &reason).map_err(usage)?;
            ctx.say(format!(
                "Voided event {id} ({} on session {}): kept on record, counted nowhere.",
                ctx.rules.adverse_name(&event.kind),
                event.session_id
            ));
        }
    }
    Ok(())
}

/// A record refused for what it says (a date, a void twice) is a usage error.
fn usage(e: crate::store::StoreError) -> CliError {
    match e {
        crate::store::StoreError::Invalid(message) => CliError::Usage(message),
        other => other.into(),
    }
}

/// A day typed (`2026-03-02`, `yesterday`), or today.
fn day(ctx: &mut Ctx, typed: Option<&str>) -> CliResult<chrono::NaiveDate> {
    let at = match typed {
        Some(text) => ctx.when(text)?,
        None => ctx.now,
    };
    Ok(local_date(at, &ctx.tz))
}
