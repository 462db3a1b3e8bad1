//! `needlelog photo add|list|rm`, and the `--photo` of `log`, `plan` and `edit`:
//! pictures checked, copied into the photo store beside the file, and recorded.

use serde_json::json;

use super::present::table;
use super::{CliError, CliResult, Ctx, PhotoCommand};
use crate::domain::{Photo, PhotoOf, Session};
use crate::photos::{Pending, PhotoStore, PrepareError};
use crate::store::Attached;
use crate::text;

pub(super) fn photo(ctx: &mut Ctx, command: PhotoCommand) -> CliResult<()> {
    match command {
        PhotoCommand::Add { args, course, area } => {
            let (to, paths) = match course {
                Some(course) => (PhotoOf::Course(course), &args[..]),
                None => match args.split_first() {
                    Some((session, paths)) if !paths.is_empty() => {
                        let id = session.trim().trim_start_matches('#').parse::<i64>().map_err(|_| {
                            CliError::Usage(format!(
                                "\"{}\" is not a session's id: photo add SESSION PATH… (or --course ID PATH…)",
                                text::printable(session)
                            ))
                        })?;
                        (PhotoOf::Session(id), paths)
                    }
                    _ => return Err(CliError::Usage("photo add SESSION PATH…, or --course ID PATH…".into())),
                },
            };
            let course = match to {
                PhotoOf::Session(id) => ctx.store.session(id)?.course_id,
                PhotoOf::Course(id) => ctx.store.course(id)?.id,
            };
            let pending = prepare(ctx, paths, area.as_deref())?;
            attach(ctx, to, &pending)?;
            // Consent to photos: a word on a practitioner's file when none is on record.
            if ctx.kind == crate::domain::FileKind::Practitioner
                && !ctx.store.consents_of(&[course])?.first().is_some_and(|c| c.photos)
            {
                ctx.warn(format!(
                    "no consent to photos on record for course {course}: \
                     needlelog course consent {course} --what \"…\" --photos records it"
                ));
            }
            Ok(())
        }
        PhotoCommand::List { course } => list(ctx, course),
        PhotoCommand::Rm { id, yes } => remove(ctx, id, yes),
    }
}

/// Where the pictures are kept: beside the file, or on the server (and in this
/// laptop's cache of it).
fn photo_store(ctx: &Ctx) -> CliResult<PhotoStore> {
    Ok(PhotoStore::of(&*ctx.store))
}

/// Checks every picture given (all before any is kept): a bad one is exit 2.
pub(super) fn prepare(ctx: &Ctx, args: &[String], area: Option<&str>) -> CliResult<Vec<Pending>> {
    crate::photos::prepare(args, area, ctx.rules).map_err(|e| match e {
        PrepareError::Photo(e) => CliError::Usage(text::printable(&e.to_string())),
        PrepareError::Area(e) => CliError::Usage(format!("--photo: {}", text::printable(&e))),
    })
}

/// Adds a session with its checked pictures: the files into the store first (a
/// record never names a missing file), then the session and their records in one
/// transaction. Returns the session's id and the photos'.
pub(super) fn add_session(ctx: &mut Ctx, session: &Session, pending: &[Pending]) -> CliResult<(i64, Vec<i64>)> {
    crate::photos::keep(&photo_store(ctx)?, pending).map_err(|e| CliError::Failed(e.to_string()))?;
    let records: Vec<Photo> = pending.iter().map(Pending::record).collect();
    Ok(ctx.store.add_session_with_photos(session, &records)?)
}

/// "Kept 2 photos (#4, #5) in …/photos." when some were (JSON says it otherwise).
pub(super) fn say_kept(ctx: &mut Ctx, ids: &[i64]) {
    if !ids.is_empty()
        && !ctx.json
        && let Ok(store) = photo_store(ctx)
    {
        let line = attached_line(ids, &store);
        ctx.say(line);
    }
}

/// Attaches checked pictures to a saved session (or a course) and says so.
pub(super) fn attach(ctx: &mut Ctx, to: PhotoOf, pending: &[Pending]) -> CliResult<()> {
    if pending.is_empty() {
        return Ok(());
    }
    let store = photo_store(ctx)?;
    let outcome = crate::photos::attach(&mut *ctx.store, &store, to, pending).map_err(CliError::Failed)?;
    let whose = match to {
        PhotoOf::Session(id) => format!("session #{id}"),
        PhotoOf::Course(id) => format!("course {id}"),
    };
    let mut ids = Vec::new();
    for (p, how) in pending.iter().zip(&outcome) {
        match how {
            Attached::New(id) => ids.push(*id),
            Attached::Already(id) => ctx.warn(format!(
                "{} is already photo {id} of {whose}: not added twice",
                text::printable(&p.photo.path.display().to_string())
            )),
        }
    }
    if ctx.json {
        match to {
            PhotoOf::Session(id) => ctx.print_json(&json!({ "session": id, "photos": ids })),
            PhotoOf::Course(id) => ctx.print_json(&json!({ "course": id, "photos": ids })),
        }
    }
    say_kept(ctx, &ids);
    Ok(())
}

/// "Kept 2 photos (#4, #5) in ~/.local/share/needlelog/photos."
fn attached_line(ids: &[i64], store: &PhotoStore) -> String {
    let numbers: Vec<String> = ids.iter().map(|id| format!("#{id}")).collect();
    let what = if ids.len() == 1 { "photo".to_string() } else { format!("{} photos", ids.len()) };
    format!("Kept {what} ({}) in {}.", numbers.join(", "), text::printable(&store.dir().display().to_string()))
}

fn list(ctx: &mut Ctx, course: Option<i64>) -> CliResult<()> {
    let photos = match course {
        Some(id) => {
            ctx.store.course(id)?;
            ctx.store.photos_of_course(id)?
        }
        None => ctx.store.all_photos()?,
    };
    let store = photo_store(ctx)?;
    if ctx.json {
        let rows: Vec<_> = photos
            .iter()
            .map(|p| {
                json!({
                    "id": p.id,
                    "session": p.session_id,
                    "course": p.course_id,
                    "hash": p.hash,
                    "format": p.format.key(),
                    "area": p.area,
                    "taken": p.taken.format("%Y-%m-%dT%H:%M:%S").to_string(),
                    "original_name": p.original_name,
                    "file": store.path(p),
                    "missing": !store.has(p),
                })
            })
            .collect();
        ctx.print_json(&json!(rows));
        return Ok(());
    }
    if photos.is_empty() {
        ctx.say("No photos yet: needlelog photo add SESSION PATH (or --course ID PATH) [--area AREA] adds one.");
        return Ok(());
    }
    let mut rows = vec![["ID", "SESSION", "COURSE", "TAKEN", "AREA", "NAME", ""].map(String::from).to_vec()];
    for p in &photos {
        rows.push(vec![
            p.id.to_string(),
            p.session_id.map_or_else(|| "–".into(), |id| format!("#{id}")),
            p.course_id.to_string(),
            p.taken.format("%Y-%m-%d %H:%M").to_string(),
            p.area.as_deref().map(text::printable).unwrap_or_else(|| "–".into()),
            text::printable(&p.original_name),
            if store.has(p) { String::new() } else { "missing from the store".into() },
        ]);
    }
    ctx.say(table(rows).trim_end());
    let missing = photos.iter().filter(|p| !store.has(p)).count();
    if missing > 0 {
        ctx.warn(format!(
            "{missing} photo{} missing from {}: add the picture again (photo add) or remove the record (photo rm)",
            if missing == 1 { " is" } else { "s are" },
            text::printable(&store.dir().display().to_string())
        ));
    }
    Ok(())
}

fn remove(ctx: &mut Ctx, id: i64, yes: bool) -> CliResult<()> {
    let photo = ctx.store.photo(id)?;
    let whose = match photo.session_id {
        Some(session) => format!("session #{session}"),
        None => format!("course {}", photo.course_id),
    };
    let description = format!("photo {id} ({}, {whose})", text::photo_label(&photo));
    if !super::confirmed(ctx, yes, &format!("Remove {description}?"), &format!("remove {description}"))? {
        return Ok(());
    }
    let (photo, in_use) = ctx.store.remove_photo(id)?;
    let store = photo_store(ctx)?;
    if in_use {
        ctx.say(format!("Removed {description}; the picture stays, another record uses it."));
    } else {
        store
            .remove(&photo.hash, photo.format)
            .map_err(|e| CliError::Failed(format!("removed {description}, but its file could not be deleted: {e}")))?;
        ctx.say(format!("Removed {description} and its picture."));
    }
    Ok(())
}
