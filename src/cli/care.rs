//! The file's care from the command line: `doctor` (and `--fix`, `--salvage`),
//! `backup`, `restore` and `trash`.

use std::path::{Path, PathBuf};

use serde_json::json;

use super::exchange::may_write;
use super::{CliError, CliResult, Ctx, Output};
use crate::store::prelude::*;
use crate::store::{Mend, backup};
use crate::text;

pub(super) fn doctor(ctx: &mut Ctx, fix: bool) -> CliResult<()> {
    if fix {
        let before = ctx.file()?.health()?;
        if !before.integrity_problems.is_empty() {
            return Err(CliError::Failed(format!(
                "{}: the file is damaged, --fix mends values, not pages; restore a backup",
                before.path.display()
            )));
        }
        for f in ctx.file_mut()?.mend_out_of_bounds()? {
            let done = match f.mend {
                Mend::Renumber => "renumbered",
                Mend::Remove => "removed",
                Mend::ResetOffset => "offset set to UTC",
                Mend::Refold => "key set from the name",
                Mend::ByHand => "left for you",
            };
            ctx.say(format!("{done:<18} {}", text::printable(&f.to_string())));
        }
        for path in ctx.file()?.calendars_named_in_file()? {
            ctx.say(format!("{:<18} calendar {}", "forgotten", text::printable(&path.display().to_string())));
        }
        ctx.file_mut()?.forget_calendars_named_in_file()?;
    }
    let h = ctx.file()?.health()?;
    let named = ctx.file()?.calendars_named_in_file()?;
    let path = ctx.file()?.path().to_path_buf();
    let kept = ctx.kept.as_ref().and_then(|list| list.calendars(&path).ok()).unwrap_or_default();
    let photos = photo_health(ctx, fix)?;
    if ctx.json {
        ctx.print_json(&json!({
            "path": h.path.display().to_string(), "bytes": h.bytes, "schema_version": h.schema_version,
            "ok": h.is_ok(), "integrity_problems": h.integrity_problems, "broken_references": h.broken_references,
            "people": h.people, "courses": h.courses, "sessions": h.sessions, "ticks": h.ticks, "custom_items": h.custom_items,
            "trashed": h.trashed,
            "edits": h.edits,
            "edits_unreadable": h.edits_unreadable,
            "out_of_bounds": h.out_of_bounds.iter().map(ToString::to_string).collect::<Vec<_>>(),
            "photos": {
                "records": photos.records,
                "store": photos.dir.display().to_string(),
                "missing": photos.check.missing.iter().map(|(id, name)| json!({ "id": id, "file": name })).collect::<Vec<_>>(),
                "unreferenced": photos.check.unreferenced.iter().map(|p| p.display().to_string()).collect::<Vec<_>>(),
                "mismatched": photos.check.mismatched.iter().map(|p| p.display().to_string()).collect::<Vec<_>>(),
                "stale_copies": photos.check.stale_copies.iter().map(|p| p.display().to_string()).collect::<Vec<_>>(),
                "removed": photos.removed,
                "paths_not_moved": photos.paths.iter().map(|(id, path)| json!({ "session": id, "path": path })).collect::<Vec<_>>(),
            },
            "calendars_kept": kept.iter().map(|p| p.display().to_string()).collect::<Vec<_>>(),
            "calendars_named_in_file": named.iter().map(|p| p.display().to_string()).collect::<Vec<_>>(),
        }));
    } else {
        ctx.say(format!("file         {}", h.path.display()));
        ctx.say(format!("size         {:.1} MB ({} bytes)", h.bytes as f64 / 1e6, h.bytes));
        ctx.say(format!("schema       v{} (this build writes v{})", h.schema_version, crate::store::current_version()));
        ctx.say(format!(
            "records      {} people, {} courses, {} sessions, {} ticks, {} own checklist items",
            h.people, h.courses, h.sessions, h.ticks, h.custom_items
        ));
        ctx.say(format!("trash        {} (kept 30 days; needlelog trash lists them)", h.trashed));
        ctx.say(format!("edit trail   {} changes kept", h.edits));
        if h.edits_unreadable > 0 {
            ctx.say(format!(
                "edit trail   {} entries needlelog did not write (kind, time or source)",
                h.edits_unreadable
            ));
        }
        let integrity =
            if h.integrity_problems.is_empty() { "ok".to_string() } else { h.integrity_problems.join("; ") };
        ctx.say(format!("integrity    {integrity}"));
        ctx.say(format!(
            "references   {}",
            if h.broken_references == 0 { "ok".to_string() } else { format!("{} broken", h.broken_references) }
        ));
        if h.out_of_bounds.is_empty() {
            ctx.say("values       ok");
        } else {
            ctx.say(format!("values       {} out of bounds:", h.out_of_bounds.len()));
            for f in h.out_of_bounds.iter().take(20) {
                ctx.say(format!("  {}", text::printable(&f.to_string())));
            }
            if h.out_of_bounds.len() > 20 {
                ctx.say(format!("  … and {} more", h.out_of_bounds.len() - 20));
            }
        }
        say_photo_health(ctx, &photos);
        let shown = |paths: &[PathBuf]| {
            paths.iter().map(|p| text::printable(&p.display().to_string())).collect::<Vec<_>>().join(", ")
        };
        if !kept.is_empty() {
            ctx.say(format!("calendars    kept current on this machine: {}", shown(&kept)));
        }
        if !named.is_empty() {
            ctx.say(format!(
                "calendars    {} named inside the file, not followed (a file may come from anyone): {}; \
                 keep yours with export --format ics -o FILE --keep-current, and doctor --fix forgets these",
                named.len(),
                shown(&named)
            ));
        }
    }
    if !photos.check.mismatched.is_empty() {
        return Err(CliError::Failed(format!(
            "{}: {} picture(s) no longer match their name (changed or damaged on disk); add them again from your own copies",
            photos.dir.display(),
            photos.check.mismatched.len()
        )));
    }
    if h.integrity_problems.is_empty() && h.broken_references == 0 && !h.out_of_bounds.is_empty() {
        let mendable = h.out_of_bounds.iter().any(|f| f.mend != Mend::ByHand);
        let how = if mendable { "needlelog doctor --fix mends them" } else { "edit them as each line says" };
        return Err(CliError::Failed(format!("{}: values out of bounds; {how}", h.path.display())));
    }
    if !h.is_ok() {
        return Err(CliError::Failed(format!(
            "{}: the file has problems; restore a copy you trust (needlelog.db.bak-v* after an upgrade)",
            h.path.display()
        )));
    }
    Ok(())
}

/// What `doctor` found in the photo store.
struct PhotoHealth {
    dir: PathBuf,
    records: usize,
    check: crate::photos::StoreCheck,
    /// Pictures nothing referred to, removed by `--fix`.
    removed: usize,
    /// Paths from before the store whose file could not be moved in: (session, path).
    paths: Vec<(i64, String)>,
}

fn photo_health(ctx: &mut Ctx, fix: bool) -> CliResult<PhotoHealth> {
    let store = crate::photos::PhotoStore::beside(ctx.file()?.path());
    let records = ctx.store.all_photos()?;
    let trashed = ctx.store.trashed_photo_hashes()?;
    let mut check = store.check(&records, &trashed);
    let mut removed = 0;
    if fix {
        for path in std::mem::take(&mut check.unreferenced) {
            let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or_default().to_string();
            // Asked again: a record may have come since the check.
            if !ctx.store.photo_in_use(&stem)? && std::fs::remove_file(&path).is_ok() {
                crate::photos::thumbs::forget(&store, &stem);
                removed += 1;
            } else {
                check.unreferenced.push(path);
            }
        }
        // Made again from their pictures when next shown.
        check.stale_copies.retain(|path| std::fs::remove_file(path).is_err());
    }
    let paths = ctx
        .file()?
        .legacy_photo_paths()?
        .into_iter()
        .flat_map(|(id, paths)| paths.into_iter().map(move |p| (id, p)))
        .collect();
    Ok(PhotoHealth { dir: store.dir().to_path_buf(), records: records.len(), check, removed, paths })
}

fn say_photo_health(ctx: &mut Ctx, p: &PhotoHealth) {
    let dir = text::printable(&p.dir.display().to_string());
    let clean = p.check.is_clean() && p.paths.is_empty();
    ctx.say(format!("photos       {} kept in {dir}{}", p.records, if clean { ": ok" } else { "" }));
    for (id, name) in &p.check.missing {
        ctx.say(format!("  photo {id}: {name} is missing from the store (photo add it again, or photo rm {id})"));
    }
    for path in &p.check.mismatched {
        ctx.say(format!("  {}: its content no longer matches its name", text::printable(&path.display().to_string())));
    }
    if !p.check.unreferenced.is_empty() {
        ctx.say(format!(
            "  {} picture(s) nothing refers to (needlelog doctor --fix removes them)",
            p.check.unreferenced.len()
        ));
    }
    if !p.check.stale_copies.is_empty() {
        ctx.say(format!(
            "  {} smaller cop(ies) in .thumbs not made from their picture (changed on disk): \
             needlelog doctor --fix removes them, and they are made again when shown",
            p.check.stale_copies.len()
        ));
    }
    if p.removed > 0 {
        ctx.say(format!("  removed {} picture(s) nothing referred to", p.removed));
    }
    for (id, path) in &p.paths {
        ctx.say(format!(
            "  session #{id} names {} from before the photo store, by path: not read by itself \
             (photo add {id} PATH to keep it)",
            text::printable(path)
        ));
    }
}

/// `needlelog backup [-o FILE]`: a copy now.
pub(super) fn backup(ctx: &mut Ctx, output: Option<PathBuf>) -> CliResult<()> {
    match output {
        Some(path) => {
            may_write(ctx, &path, false)?;
            ctx.file()?.backup_to(&path)?;
            ctx.say(format!("Copied the file to {}.", text::printable(&path.display().to_string())));
        }
        None => {
            // A copy of its own, beside the one made before the day's first change.
            let at = ctx.now.with_timezone(&ctx.tz).naive_local();
            let path = ctx.file()?.backup_by_hand(at, ctx.keep_backups)?;
            ctx.say(format!("Copied the file to {}.", text::printable(&path.display().to_string())));
        }
    }
    Ok(())
}

/// `needlelog backup list`.
pub(super) fn backup_list(ctx: &mut Ctx) -> CliResult<()> {
    let copies = backup::list(ctx.file()?.path());
    if ctx.json {
        let list: Vec<_> = copies
            .iter()
            .map(|b| {
                json!({ "path": b.path.display().to_string(), "day": b.day.to_string(), "bytes": b.bytes,
                        "kind": if b.by_hand.is_some() { "by hand" } else { "before the day's first change" },
                        "time": b.by_hand.map(|t| t.format("%H:%M:%S").to_string()) })
            })
            .collect();
        ctx.print_json(&json!(list));
        return Ok(());
    }
    if copies.is_empty() {
        ctx.say(format!(
            "No copies yet in {}: one is made before the first change of each day, or now with needlelog backup.",
            backup::folder(ctx.file()?.path()).display()
        ));
        return Ok(());
    }
    let mut rows = vec![vec!["DAY".to_string(), "WHICH".into(), "SIZE".into(), "FILE".into()]];
    for b in &copies {
        let which = match b.by_hand {
            Some(at) => format!("by hand at {}", at.format("%H:%M")),
            None => "before the day's first change".to_string(),
        };
        rows.push(vec![
            text::day(b.day),
            which,
            format!("{:.1} MB", b.bytes as f64 / 1e6),
            text::printable(&b.path.display().to_string()),
        ]);
    }
    ctx.say(super::present::table_last_whole(rows));
    Ok(())
}

/// `needlelog restore COPY`: checks the copy, keeps the current file aside, puts the
/// copy in place.
pub(super) fn restore(db: &Path, copy: &Path, yes: bool, now: chrono::DateTime<chrono::Utc>) -> CliResult<Output> {
    backup::check_copy(copy)?;
    let shown = db.display();
    if !yes {
        match super::ask_yes(&format!("Replace {shown} with {}?", copy.display())) {
            None => return Err(CliError::Usage(format!("refusing to replace {shown} without --yes"))),
            Some(false) => return Ok(Output { stdout: "Kept it as it was.".into(), ..Output::default() }),
            Some(true) => {}
        }
    }
    let aside = backup::restore(db, copy, now)?;
    let mut stdout = format!("Restored {shown} from {}.", copy.display());
    match backup::restore_pictures(db, copy) {
        Ok(0) => {}
        Ok(n) => stdout.push_str(&format!("\nBrought back {n} picture(s) from the photos kept with the copy.")),
        Err(e) => stdout
            .push_str(&format!("\nThe copy's pictures could not be brought back ({e}): doctor lists what is missing.")),
    }
    if let Some(aside) = aside {
        stdout.push_str(&format!("\nThe file it replaced is kept as {}.", aside.display()));
    }
    Ok(Output { stdout, ..Output::default() })
}

/// `needlelog doctor --salvage NEW`: what can be read, into a new file.
pub(super) fn salvage(ctx: &mut Ctx, out: &Path) -> CliResult<()> {
    if out.exists() {
        return Err(CliError::Usage(format!("{} exists: salvage into a new file", out.display())));
    }
    let (doc, lost) = ctx.file()?.salvage();
    let mut fresh = crate::store::Store::open(out)?;
    let counts = fresh.import(&doc)?;
    ctx.say(format!(
        "Salvaged into {}: {} people, {} courses, {} sessions, {} ticks, {} own checklist items.",
        out.display(),
        doc.people.len(),
        counts.courses,
        counts.sessions,
        counts.ticks,
        counts.custom_items
    ));
    let lost_any = lost.people + lost.courses + lost.sessions + lost.ticks_and_items;
    if lost_any == 0 {
        ctx.say("Nothing was lost.");
    } else {
        ctx.say(format!(
            "Could not be read: {} people, {} courses, {} sessions, {} ticks or own items.",
            lost.people, lost.courses, lost.sessions, lost.ticks_and_items
        ));
    }
    ctx.say(format!(
        "Check it, then put it in place: needlelog --db {} restore {}",
        ctx.file()?.path().display(),
        out.display()
    ));
    Ok(())
}

/// `needlelog trash [list|restore ID|empty [--older-than D]]`.
pub(super) fn trash(ctx: &mut Ctx, command: super::TrashCommand) -> CliResult<()> {
    use super::TrashCommand;
    match command {
        TrashCommand::List => {
            let items = ctx.store.trash()?;
            if ctx.json {
                let list: Vec<_> = items
                    .iter()
                    .map(|t| {
                        json!({ "id": t.id, "kind": t.kind, "record_id": t.record_id, "course_id": t.course_id,
                                "at": t.at.to_rfc3339(), "deleted_at": t.deleted_at.to_rfc3339() })
                    })
                    .collect();
                ctx.print_json(&json!(list));
            } else if items.is_empty() {
                ctx.say("The trash is empty.");
            } else {
                let mut rows = vec![vec!["#".to_string(), "WHAT".into(), "DELETED".into()]];
                for t in &items {
                    let what = match t.kind.as_str() {
                        "void" => format!(
                            "voided session {} of course {}, {}",
                            t.record_id,
                            t.course_id,
                            text::when(t.at, &ctx.tz)
                        ),
                        "course-void" => format!("voided course {} (and its sessions)", t.record_id),
                        kind => {
                            format!("{kind} {} of course {}, {}", t.record_id, t.course_id, text::when(t.at, &ctx.tz))
                        }
                    };
                    rows.push(vec![t.id.to_string(), what, text::when(t.deleted_at, &ctx.tz)]);
                }
                ctx.say(super::present::table(rows));
                ctx.say("needlelog trash restore # brings one back.");
            }
        }
        TrashCommand::Restore { id } => {
            let item = ctx.store.restore_from_trash(id)?;
            ctx.say(match item.kind.as_str() {
                "void" => format!("Brought back session {}: it counts again.", item.record_id),
                "course-void" => {
                    format!("Brought back course {} with its sessions as they were (its bookings too).", item.record_id)
                }
                kind => format!(
                    "Restored {kind} {} ({}) with its depths and ticks.",
                    item.record_id,
                    text::when(item.at, &ctx.tz)
                ),
            });
        }
        TrashCommand::Empty { older_than, yes } => {
            let before = match older_than {
                Some(text) => {
                    let days = crate::domain::time::parse_interval(&text)
                        .map_err(|_| {
                            CliError::Usage(format!("--older-than \"{text}\": use days or weeks such as 30d or 4w"))
                        })?
                        .min;
                    Some(ctx.now - chrono::Duration::days(i64::from(days)))
                }
                None => None,
            };
            let entries = |n: usize| if n == 1 { "1 entry".to_string() } else { format!("{n} entries") };
            let (_, clinical) = ctx.store.trash_counts()?;
            // Clinical records go only from one's own file, and only when confirmed.
            let own = ctx.kind == crate::domain::FileKind::Patient;
            let clinical_too = own
                && clinical > 0
                && super::confirmed(
                    ctx,
                    yes,
                    &format!(
                        "The trash holds {} of treatments done or adverse events (voided). Delete them for good too?",
                        entries(clinical)
                    ),
                    "delete voided records for good",
                )?;
            let gone = ctx.store.empty_trash(before, clinical_too)?;
            ctx.say(format!("Emptied {} from the trash.", entries(gone)));
            let (_, kept) = ctx.store.trash_counts()?;
            if kept > 0 {
                ctx.say(if own {
                    format!("{} of voided records stay.", entries(kept))
                } else {
                    format!("{} of voided records stay: a practitioner's file keeps them.", entries(kept))
                });
            }
        }
    }
    Ok(())
}
