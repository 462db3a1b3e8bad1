//! `needlelog demo`: a large, realistic file for trying things out and measuring.

use std::path::Path;

use super::{CliError, CliResult, Output};
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
    let snapshot = crate::demo::generate(people, years, seed, rules, now, &zone);
    let mut store = crate::store::Store::open(out)?;
    store.set_clock(now);
    let counts = store.import(&snapshot)?;
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
