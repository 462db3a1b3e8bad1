//! `needlelog report`: one course's report as an HTML page or Markdown.

use std::path::PathBuf;

use super::{CliError, CliResult, Ctx, ReportFormat};
use crate::private_file;
use crate::store::CourseFilter;
use crate::text;

pub(super) fn report(
    ctx: &mut Ctx,
    course: Option<i64>,
    person: Option<&str>,
    format: ReportFormat,
    output: Option<PathBuf>,
    force: bool,
) -> CliResult<()> {
    let course_id = match (course, person) {
        (Some(id), _) => id,
        (None, Some(name)) => {
            let person = ctx.person_found(name)?;
            let courses = ctx.store.courses(CourseFilter { person_id: Some(person.id), ..Default::default() })?;
            let current = courses.iter().find(|c| c.status == crate::domain::CourseStatus::Active).or(courses.first());
            match current {
                Some(c) => c.id,
                None => {
                    return Err(CliError::Usage(format!(
                        "{} has no course yet: nothing to report",
                        text::printable(&person.name)
                    )));
                }
            }
        }
        (None, None) => default_course(ctx)?,
    };
    let report = crate::report::gather(&*ctx.store, course_id, ctx.rules, ctx.now, &ctx.tz)?;
    let body = match format {
        ReportFormat::Html => crate::report::html::page(&report),
        ReportFormat::Md => crate::report::markdown::document(&report),
    };
    match output {
        None => {
            ctx.out.stdout.push_str(&body);
            ctx.out.exact = true;
        }
        Some(path) => {
            super::exchange::may_write(ctx, &path, force)?;
            private_file::write(&path, body.as_bytes())
                .map_err(|e| CliError::Failed(format!("cannot write {}: {e}", path.display())))?;
            ctx.say(format!(
                "Wrote the report of course {course_id} ({}) to {}.",
                text::printable(&report.title),
                text::printable(&path.display().to_string())
            ));
        }
    }
    Ok(())
}

/// The only running course (or "Me"'s), else a message listing at most ten.
fn default_course(ctx: &Ctx) -> CliResult<i64> {
    let courses = ctx.store.courses(CourseFilter::default())?;
    let people = ctx.store.people(true)?;
    crate::report::default_course(&courses, &people).map_err(|candidates| {
        if candidates.is_empty() {
            return CliError::Usage("no course yet: start one with needlelog course add".into());
        }
        let named: Vec<String> = candidates
            .iter()
            .take(10)
            .filter_map(|id| courses.iter().find(|c| c.id == *id))
            .map(|c| {
                let who = people.iter().find(|p| p.id == c.person_id).map(|p| p.name.as_str()).unwrap_or("?");
                format!("{} {} ▸ {}", c.id, text::printable(who), ctx.rules.concern_name(&c.concern))
            })
            .collect();
        let more = if candidates.len() > 10 { format!(" and {} more", candidates.len() - 10) } else { String::new() };
        CliError::Usage(format!("which course? pick one with --course ID or --person NAME: {}{more}", named.join("; ")))
    })
}
