//! `needlelog rules`: the rules in effect and where each comes from, starter files
//! for your own, and a check of them.

use std::path::Path;

use serde_json::{Value, json};

use super::present::table;
use super::{CliError, CliResult, Output};
use crate::domain::Rules;
use crate::domain::layering::Change;
use crate::own_rules::Wrote;

fn shown(path: &Path) -> String {
    crate::text::printable(&path.display().to_string())
}

/// `rules init`: the commented starter files, never over a file that exists.
pub(super) fn init(folder: Option<&Path>) -> CliResult<Output> {
    let folder = folder
        .ok_or_else(|| CliError::Failed("cannot find a config folder (is HOME set?); pass --config DIR".into()))?;
    let done = crate::own_rules::init(folder).map_err(|e| {
        CliError::Failed(format!(
            "{}: cannot write the starter files ({e}): check the folder's permissions",
            shown(folder)
        ))
    })?;
    let mut out = Output::default();
    for wrote in done {
        match wrote {
            Wrote::Written(path) => out.stdout.push_str(&format!("wrote {} (all commented out)\n", shown(&path))),
            Wrote::Kept(path) => out.stdout.push_str(&format!("kept {}: it is there already\n", shown(&path))),
        }
    }
    out.stdout.push_str("Uncomment what you want to change, then run: needlelog rules check\n");
    Ok(out)
}

/// Where a record comes from, in words: the place first (`protocols.toml:12
/// changed sessions`), so a narrow column keeps it; the heading names the folder.
fn origin_text(rules: &Rules, subject: &str) -> String {
    let Some(o) = rules.own.as_ref().and_then(|o| o.origin(subject)) else { return "built-in".to_string() };
    let file = Path::new(&o.path).file_name().map_or_else(|| o.path.clone(), |f| f.to_string_lossy().into_owned());
    let what = match &o.change {
        Change::Changed(fields) => format!("changed {}", fields.join(", ")),
        Change::Added => "added".to_string(),
        Change::SwitchedOff => "switched off".to_string(),
    };
    format!("{file}:{} {what}", o.line)
}

fn origin_json(rules: &Rules, subject: &str) -> Value {
    match rules.own.as_ref().and_then(|o| o.origin(subject)) {
        None => json!("built-in"),
        Some(o) => {
            let (change, fields): (&str, &[&str]) = match &o.change {
                Change::Changed(fields) => ("changed", fields),
                Change::Added => ("added", &[]),
                Change::SwitchedOff => ("switched off", &[]),
            };
            json!({ "file": o.path, "line": o.line, "change": change, "fields": fields })
        }
    }
}

fn range<T: std::fmt::Display + PartialEq>(r: &[T; 2]) -> String {
    if r[0] == r[1] { r[0].to_string() } else { format!("{}–{}", r[0], r[1]) }
}

/// A line saying whose rules these are.
fn heading(rules: &Rules, folder: Option<&Path>) -> String {
    match (&rules.own, folder) {
        (Some(own), _) => format!("Your own rules are in use: {}\n", own.files.join(", ")),
        (None, Some(dir)) => {
            format!(
                "The built-in rules (no files of your own in {}: needlelog rules init writes starters)\n",
                shown(dir)
            )
        }
        (None, None) => "The built-in rules\n".to_string(),
    }
}

/// `rules show [--json]`.
pub(super) fn show(rules: &Rules, folder: Option<&Path>, as_json: bool) -> Output {
    if as_json {
        return Output { stdout: show_json(rules, folder), warnings: Vec::new(), exact: true };
    }
    let mut text = heading(rules, folder);
    let c = &rules.course;
    let at = origin_text(rules, "course");
    text.push_str(&format!(
        "\nEVERY COURSE  ({at})\n  sensitive skin {} h after a session, the first {} h the most intense; glow after {} days\n  \
         pre-care from {} h before a session (the earliest item: {} h)\n  collagen builds for {} months; \
         final results {} months after the last session; maintenance every {} months\n",
        c.sensitive_hours,
        c.most_intense_hours,
        range(&c.glow_days),
        c.pre_care_hours,
        c.pre_care_lead_hours,
        range(&c.remodeling_months),
        c.final_results_months,
        range(&c.maintenance_months),
    ));
    let mut rows = vec![["CONCERN", "SESSIONS", "INTERVAL", "NAME", "FROM"].map(String::from).to_vec()];
    for p in &rules.concerns {
        rows.push(vec![
            p.key.clone(),
            format!("{} (usually {})", p.sessions_text(), p.typical),
            p.interval_text(),
            p.name.clone(),
            origin_text(rules, &format!("concern/{}", p.key)),
        ]);
    }
    text.push('\n');
    text.push_str(&table(rows));
    text.push('\n');
    let l = &rules.depth_limits;
    text.push_str(&format!(
        "\nDEPTHS  any area is accepted; outside {}–{} mm is refused; home devices up to {} mm  ({})\n",
        l.min_mm,
        l.max_mm,
        l.home_max_mm,
        origin_text(rules, "limits")
    ));
    let mut rows = vec![["AREA", "USUAL MM", "PROFESSIONAL", "NAME", "FROM"].map(String::from).to_vec()];
    for a in &rules.areas {
        let professional = match (a.professional_mm, a.professional) {
            (Some(p), _) => format!("{} mm", range(&p)),
            (None, true) => "all of it".to_string(),
            (None, false) => String::new(),
        };
        rows.push(vec![
            a.key.clone(),
            range(&a.usual_mm),
            professional,
            a.name.clone(),
            origin_text(rules, &format!("area/{}", a.key)),
        ]);
    }
    text.push_str(&table(rows));
    text.push('\n');
    let mut rows = vec![["ITEM", "WHEN (H)", "TEXT", "FROM"].map(String::from).to_vec()];
    for item in &rules.checklist {
        rows.push(vec![
            item.id.clone(),
            format!("{} {}…{}", item.phase.key(), item.from_hours, item.to_hours),
            item.text.clone(),
            origin_text(rules, &format!("item/{}", item.id)),
        ]);
    }
    text.push_str("\nCHECKLISTS  hours from the session: pre-care before it, aftercare after it\n");
    text.push_str(&table(rows));
    text.push('\n');
    let mut rows = vec![["QUESTION", "TEXT", "FROM"].map(String::from).to_vec()];
    for q in &rules.contraindications {
        rows.push(vec![q.id.clone(), q.text.clone(), origin_text(rules, &format!("contraindication/{}", q.id))]);
    }
    text.push_str("\nASKED BEFORE A SESSION\n");
    text.push_str(&table(rows));
    text.push('\n');
    let kinds: Vec<String> = rules.adverse_kinds.iter().map(|k| k.key.clone()).collect();
    text.push_str(&format!("\nADVERSE EVENT KINDS  {}\n", kinds.join(", ")));
    if let Some(own) = &rules.own {
        let off: Vec<String> = own.switched_off().map(|(s, o)| format!("  {s} ({})", o.place())).collect();
        if !off.is_empty() {
            text.push_str(&format!("\nSWITCHED OFF\n{}\n", off.join("\n")));
        }
    }
    Output { stdout: text, warnings: Vec::new(), exact: false }
}

fn show_json(rules: &Rules, folder: Option<&Path>) -> String {
    let c = &rules.course;
    let value = json!({
        "folder": folder.map(shown),
        "files": rules.own.as_ref().map(|o| o.files.clone()).unwrap_or_default(),
        "course": {
            "final_results_months": c.final_results_months,
            "remodeling_months": c.remodeling_months,
            "maintenance_months": c.maintenance_months,
            "sensitive_hours": c.sensitive_hours,
            "most_intense_hours": c.most_intense_hours,
            "pre_care_hours": c.pre_care_hours,
            "pre_care_lead_hours": c.pre_care_lead_hours,
            "glow_days": c.glow_days,
            "source": c.source,
            "origin": origin_json(rules, "course"),
        },
        "concerns": rules.concerns.iter().map(|p| json!({
            "key": p.key, "name": p.name, "sessions": p.sessions, "typical": p.typical,
            "interval_weeks": p.interval_weeks, "note": p.note, "source": p.source,
            "origin": origin_json(rules, &format!("concern/{}", p.key)),
        })).collect::<Vec<_>>(),
        "limits": {
            "min_mm": rules.depth_limits.min_mm, "max_mm": rules.depth_limits.max_mm,
            "home_max_mm": rules.depth_limits.home_max_mm, "origin": origin_json(rules, "limits"),
        },
        "areas": rules.areas.iter().map(|a| json!({
            "key": a.key, "name": a.name, "usual_mm": a.usual_mm, "professional_mm": a.professional_mm,
            "professional_note": a.professional_note, "professional": a.professional, "aliases": a.aliases,
            "source": a.source, "origin": origin_json(rules, &format!("area/{}", a.key)),
        })).collect::<Vec<_>>(),
        "checklist": rules.checklist.iter().map(|i| json!({
            "id": i.id, "phase": i.phase.key(), "text": i.text, "from_hours": i.from_hours,
            "to_hours": i.to_hours, "source": i.source,
            "origin": origin_json(rules, &format!("item/{}", i.id)),
        })).collect::<Vec<_>>(),
        "contraindications": rules.contraindications.iter().map(|q| json!({
            "id": q.id, "text": q.text, "origin": origin_json(rules, &format!("contraindication/{}", q.id)),
        })).collect::<Vec<_>>(),
        "adverse_kinds": rules.adverse_kinds.iter().map(|k| json!({
            "key": k.key, "name": k.name, "origin": origin_json(rules, &format!("adverse/{}", k.key)),
        })).collect::<Vec<_>>(),
        "switched_off": rules.own.iter().flat_map(|o| o.switched_off()).map(|(s, o)| json!({
            "subject": s, "file": o.path, "line": o.line,
        })).collect::<Vec<_>>(),
    });
    serde_json::to_string_pretty(&value).unwrap_or_default() + "\n"
}

/// `rules check`: the files were read and hold together (else the command has
/// already stopped with the place of the problem); say what they change.
pub(super) fn check(rules: &Rules, folder: Option<&Path>) -> Output {
    let mut out = Output::default();
    let Some(own) = &rules.own else {
        let place = folder.map_or_else(|| "no config folder".to_string(), shown);
        out.stdout = format!("No files of your own in {place}: the built-in rules are in use.\n");
        return out;
    };
    out.stdout.push_str(&format!("Your files hold together: {}\n", own.files.join(", ")));
    for (subject, origin) in &own.origins {
        let what = match &origin.change {
            Change::Changed(fields) if fields.is_empty() => {
                out.warnings.push(format!("{}: {subject} changes nothing; remove it or name a field", origin.place()));
                continue;
            }
            Change::Changed(fields) => format!("changes {}", fields.join(", ")),
            Change::Added => "adds it".to_string(),
            Change::SwitchedOff => "switches it off".to_string(),
        };
        out.stdout.push_str(&format!("  {subject}: {what} ({})\n", origin.place()));
    }
    out
}
