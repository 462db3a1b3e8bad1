//! `needlelog demo`: a large, realistic file for trying things out and measuring.

use std::path::Path;

use super::{CliError, CliResult, Output};
use crate::demo::Made;
use crate::domain::rules::Rules;
use crate::store::prelude::*;

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
    let mut store = crate::store::Store::open(out)?;
    store.set_clock(now);
    // Written as it is made, in one import: the file twice over, the ticks the
    // second time (an import takes them after every session).
    let counts = store.import_each(&mut |sink| {
        crate::demo::generate_each(people, years, seed, rules, now, &zone, &mut |made| match made {
            Made::Person(p) => sink.person(&p),
            Made::Course(c) => sink.course(&c),
            Made::Session(s) => sink.session(&s, &[]),
            Made::Tick(_) => Ok(()),
        })?;
        crate::demo::generate_each(people, years, seed, rules, now, &zone, &mut |made| match made {
            Made::Tick(t) => sink.tick(&t),
            _ => Ok(()),
        })
    })?;
    Ok(Output {
        stdout: format!(
            "Wrote {}: {} people, {} courses, {} sessions.\n",
            out.display(),
            counts.people,
            counts.courses,
            counts.sessions
        ),
        ..Output::default()
    })
}
