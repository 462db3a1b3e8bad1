//! `needlelog export` and `import` (and `--merge`): the file's records out to JSON,
//! CSV or a calendar (kept current on request), and in again; `may_write` is
//! what every command that writes a file asks first.

use std::path::{Path, PathBuf};

use serde_json::json;

use super::{CliError, CliResult, Ctx, ExportFormat};
use crate::exchange;
use crate::private_file;
use crate::store::Records;
use crate::store::records::ImportFeed;
use crate::text;

/// An export written as the records are read; how many sessions it wrote.
type Writer = dyn Fn(&dyn Records, &mut dyn std::io::Write) -> Result<usize, String>;

/// What `export` was asked for.
pub(super) struct ExportOptions {
    pub format: ExportFormat,
    pub output: Option<PathBuf>,
    pub force: bool,
    pub keep_current: bool,
    pub names: Option<super::IcsNames>,
    pub all: bool,
}

pub(super) fn export(ctx: &mut Ctx, options: ExportOptions) -> CliResult<()> {
    let ExportOptions { format, output, force, keep_current, names, all } = options;
    if keep_current {
        let Some(path) = output else { return Err(CliError::Usage("--keep-current needs -o FILE".into())) };
        if format != ExportFormat::Ics {
            return Err(CliError::Usage("--keep-current keeps a calendar: use it with --format ics".into()));
        }
        return keep_calendar(ctx, &path, force);
    }
    // Written as the records are read: an export of a million sessions is a stream.
    let (rules, now, tz) = (ctx.rules, ctx.now, ctx.tz);
    let write: Box<Writer> = match format {
        ExportFormat::Json => Box::new(exchange::json::write_json),
        ExportFormat::Csv => Box::new(exchange::csv::write_csv),
        ExportFormat::Ics => {
            use exchange::ics::Names;
            let names = match names {
                Some(super::IcsNames::Full) => Names::Full,
                Some(super::IcsNames::Initials) => Names::Initials,
                Some(super::IcsNames::None) => Names::None,
                None => crate::kept_calendar::names_for(ctx.kind),
            };
            // A practitioner's calendar: what is coming, not years of clients' history.
            let practitioner = ctx.kind == crate::domain::FileKind::Practitioner;
            let since = (practitioner && !all).then(|| now - chrono::Duration::days(30));
            Box::new(move |store, out| exchange::ics::write_ics(store, rules, (now, &tz), since, names, out))
        }
    };
    let written = match &output {
        None => {
            let mut out = super::context::Stream::new(&mut ctx.sink, &mut ctx.out, true);
            write(&*ctx.store, &mut out).map_err(CliError::Failed)?
        }
        Some(path) => {
            may_write(ctx, path, force)?;
            let mut written = 0;
            private_file::write_from(path, |out| {
                written = write(&*ctx.store, out)?;
                Ok(())
            })
            .map_err(|e| CliError::Failed(format!("cannot write {}: {e}", path.display())))?;
            written
        }
    };
    if let Some(path) = output {
        let sessions = text::plural(i64::try_from(written).unwrap_or(i64::MAX), "session");
        ctx.say(format!("Exported {sessions} to {}.", text::printable(&path.display().to_string())));
    }
    Ok(())
}

/// `export --format ics -o FILE --keep-current`: writes the calendar and records
/// FILE (by its absolute path) in this user's list on this machine, so every later
/// change rewrites it.
fn keep_calendar(ctx: &mut Ctx, path: &Path, force: bool) -> CliResult<()> {
    let absolute = std::path::absolute(path)
        .map_err(|e| CliError::Failed(format!("cannot find {}: {e}", text::printable(&path.display().to_string()))))?;
    let shown = text::printable(&absolute.display().to_string());
    if absolute.to_str().is_none_or(|p| p.chars().any(char::is_control)) {
        return Err(CliError::Usage(format!("{shown}: a calendar kept current needs a name of plain letters")));
    }
    let list = kept_list(ctx)?;
    let already =
        list.calendars(&crate::kept_calendar::records_key(&*ctx.store)).map_err(kept_error)?.contains(&absolute);
    if already {
        crate::kept_calendar::replaceable(&absolute).map_err(|why| CliError::Usage(format!("{shown}: {why}")))?;
    } else {
        may_write(ctx, &absolute, force)?;
    }
    crate::kept_calendar::write(&*ctx.store, ctx.rules, ctx.now, &ctx.tz, &absolute)
        .map_err(|e| CliError::Failed(format!("cannot write {shown}: {e}")))?;
    list.keep(&crate::kept_calendar::records_key(&*ctx.store), &absolute).map_err(kept_error)?;
    ctx.say(format!("Wrote the calendar to {shown}; it is rewritten after every change from now on."));
    ctx.say("Subscribe to it in your calendar app. Stop with: needlelog export --stop-keeping FILE");
    Ok(())
}

/// `export --stop-keeping FILE`.
pub(super) fn stop_keeping(ctx: &mut Ctx, path: &Path) -> CliResult<()> {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let shown = text::printable(&absolute.display().to_string());
    let list = kept_list(ctx)?;
    if list.stop(&crate::kept_calendar::records_key(&*ctx.store), &absolute).map_err(kept_error)? {
        ctx.say(format!("{shown} is no longer kept current (the file stays as it is)."));
        return Ok(());
    }
    let kept = list.calendars(&crate::kept_calendar::records_key(&*ctx.store)).map_err(kept_error)?;
    let kept: Vec<String> = kept.iter().map(|p| text::printable(&p.display().to_string())).collect();
    let which = if kept.is_empty() { "none is".to_string() } else { format!("these are: {}", kept.join(", ")) };
    Err(CliError::Usage(format!("{shown} is not a calendar kept current; {which}")))
}

/// This user's list of kept calendars, or why there is none.
fn kept_list(ctx: &Ctx) -> CliResult<crate::kept_calendar::KeptList> {
    ctx.kept
        .clone()
        .ok_or_else(|| CliError::Failed("no home folder to keep the list of calendars in (is HOME set?)".into()))
}

fn kept_error(e: std::io::Error) -> CliError {
    CliError::Failed(format!("the list of calendars kept current: {}", text::printable(&e.to_string())))
}

/// An output file may be written when it is not the database itself, and an
/// existing one only when the user says so (`--force`, or yes at a terminal).
pub(super) fn may_write(ctx: &Ctx, path: &Path, force: bool) -> CliResult<()> {
    let shown = text::printable(&path.display().to_string());
    if let Some(file) = ctx.store.file()
        && private_file::same_file(path, file.path())
    {
        return Err(CliError::Usage(format!("{shown} is the database itself: write the export to another file")));
    }
    match std::fs::symlink_metadata(path) {
        Err(_) => Ok(()),
        Ok(meta) if !meta.is_file() => Err(CliError::Usage(format!("{shown} is not a regular file: pick another"))),
        Ok(_) if force => Ok(()),
        Ok(_) => match super::ask_yes(&format!("{shown} exists. Replace it?")) {
            Some(true) => Ok(()),
            Some(false) => Err(CliError::Usage(format!("kept {shown} as it was"))),
            None => Err(CliError::Usage(format!("{shown} exists: add --force to replace it"))),
        },
    }
}

/// A JSON export read and checked, or one line saying why not.
/// The file is parsed as it is read: a million sessions' export is never held
/// as text besides its records.
fn read_export(ctx: &Ctx, file: &Path) -> CliResult<crate::domain::Snapshot> {
    std::fs::File::open(file).map_err(|e| CliError::Failed(format!("cannot read {}: {e}", file.display())))?;
    exchange::json::from_json_reader(|| std::fs::File::open(file), ctx.rules, ctx.now)
        .map_err(|e| CliError::Failed(format!("{}: {e}; nothing imported", file.display())))
}

/// The records of the export `file`, handed to `streamed` (an import or a merge)
/// as the file is parsed; a document whose parts are in another order than
/// needlelog writes them is read whole and handed to `whole` instead. A refused
/// document is one line naming the file, and nothing of it stays.
fn take_in<T>(
    ctx: &mut Ctx,
    file: &Path,
    streamed: impl FnOnce(&mut dyn Records, &mut ImportFeed<'_>) -> crate::store::Result<T>,
    whole: impl FnOnce(&mut dyn Records, &crate::domain::Snapshot) -> crate::store::Result<T>,
) -> CliResult<T> {
    let opened =
        std::fs::File::open(file).map_err(|e| CliError::Failed(format!("cannot read {}: {e}", file.display())))?;
    let (rules, now) = (ctx.rules, ctx.now);
    let mut fed = None;
    let outcome = streamed(&mut *ctx.store, &mut |sink| match exchange::json::feed_json(&opened, rules, now, sink) {
        Ok(()) => Ok(()),
        Err(exchange::json::Fed::File(e)) => Err(e),
        Err(other) => {
            fed = Some(other);
            Err(crate::store::StoreError::Invalid("the document was refused".into()))
        }
    });
    match (outcome, fed) {
        (Ok(value), _) => Ok(value),
        (Err(_), Some(exchange::json::Fed::Unordered)) => {
            let snapshot = read_export(ctx, file)?;
            Ok(whole(&mut *ctx.store, &snapshot)?)
        }
        (Err(_), Some(exchange::json::Fed::Refused(why))) => {
            Err(CliError::Failed(format!("{}: {why}; nothing imported", file.display())))
        }
        (Err(e), _) => Err(e.into()),
    }
}

/// `needlelog import --merge FILE`.
pub(super) fn merge(ctx: &mut Ctx, file: &Path, skip_conflicts: bool, as_person: Option<&str>) -> CliResult<()> {
    let as_person = match as_person {
        Some(name) => Some(ctx.person_named(name)?.id),
        None => None,
    };
    let counts = take_in(
        ctx,
        file,
        |store, feed| store.merge_each(feed, skip_conflicts, as_person),
        |store, snapshot| store.merge(snapshot, skip_conflicts, as_person),
    )?;
    if ctx.json {
        ctx.print_json(&json!({
            "added": counts.added, "already_here": counts.already_here, "ticks": counts.ticks,
            "conflicts": counts.conflicts,
        }));
        return Ok(());
    }
    ctx.say(format!(
        "Merged {}: {} added, {} already here, {} ticks added, {} in conflict{}.",
        file.display(),
        counts.added,
        counts.already_here,
        counts.ticks,
        counts.conflicts.len(),
        if counts.conflicts.is_empty() { "" } else { " (left out)" }
    ));
    for c in &counts.conflicts {
        ctx.say(format!("  {c}"));
    }
    Ok(())
}

/// `needlelog import FILE`: the records go in as the file is parsed, so a
/// million sessions' export needs no more memory than a chunk of them.
pub(super) fn import(ctx: &mut Ctx, file: &Path) -> CliResult<()> {
    let counts = take_in(ctx, file, |store, feed| store.import_each(feed), |store, snapshot| store.import(snapshot))?;
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
    // Paths an export names are never read by themselves: the user adds them.
    let named = counts.photo_paths;
    if named > 0 {
        ctx.warn(format!(
            "{} named by path in the export {} not read: add {} with needlelog photo add SESSION PATH \
             (needlelog doctor lists {})",
            text::plural(i64::try_from(named).unwrap_or(i64::MAX), "photo"),
            if named == 1 { "was" } else { "were" },
            if named == 1 { "it" } else { "each" },
            if named == 1 { "it" } else { "them" },
        ));
    }
    Ok(())
}
