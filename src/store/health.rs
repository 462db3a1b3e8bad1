//! `needlelog doctor`: is the file sound, and what is in it.

use std::path::PathBuf;

use super::{Result, Store};

/// What a check of the file found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Health {
    pub path: PathBuf,
    pub bytes: u64,
    pub schema_version: i32,
    /// `PRAGMA integrity_check` lines other than "ok".
    pub integrity_problems: Vec<String>,
    /// Rows whose references point nowhere (`PRAGMA foreign_key_check`).
    pub broken_references: u64,
    pub people: u64,
    pub courses: u64,
    pub sessions: u64,
    pub ticks: u64,
    pub custom_items: u64,
    /// Records in the trash.
    pub trashed: u64,
    /// Changes in the edit trail, and how many of them are not what the trail
    /// holds (a kind, time or text needlelog does not write).
    pub edits: u64,
    pub edits_unreadable: u64,
    /// Rows outside the bounds every record keeps to (see `doctor --fix`).
    pub out_of_bounds: Vec<super::Finding>,
}

impl Health {
    pub fn is_ok(&self) -> bool {
        self.integrity_problems.is_empty()
            && self.broken_references == 0
            && self.out_of_bounds.is_empty()
            && self.edits_unreadable == 0
    }
}

impl Store {
    /// Runs SQLite's integrity and foreign-key checks and counts the records.
    pub fn health(&self) -> Result<Health> {
        let mut health = self.counts_and_checks()?;
        if health.integrity_problems.is_empty() {
            health.out_of_bounds = self.out_of_bounds()?;
        }
        Ok(health)
    }

    fn counts_and_checks(&self) -> Result<Health> {
        let bytes = std::fs::metadata(&self.path).map(|m| m.len()).unwrap_or(0);
        self.sqlite(|c| {
            let mut problems = Vec::new();
            let mut stmt = c.prepare("PRAGMA integrity_check")?;
            let mut rows = stmt.query([])?;
            while let Some(row) = rows.next()? {
                let line: String = row.get(0)?;
                if line != "ok" {
                    problems.push(line);
                }
            }
            let mut stmt = c.prepare("PRAGMA foreign_key_check")?;
            let mut broken = 0;
            let mut rows = stmt.query([])?;
            while rows.next()?.is_some() {
                broken += 1;
            }
            let count = |table: &str| -> rusqlite::Result<u64> {
                c.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get::<_, i64>(0))
                    .map(|n| n.max(0).unsigned_abs())
            };
            Ok(Health {
                path: self.path.clone(),
                bytes,
                schema_version: c.pragma_query_value(None, "user_version", |r| r.get(0))?,
                integrity_problems: problems,
                broken_references: broken,
                people: count("people")?,
                courses: count("courses")?,
                sessions: count("sessions")?,
                ticks: count("checklist_ticks")?,
                custom_items: count("custom_items")?,
                trashed: count("trash")?,
                edits: count("edit_trail")?,
                edits_unreadable: c.query_row(
                    "SELECT count(*) FROM edit_trail WHERE kind NOT IN (SELECT value FROM json_each(?1)) \
                     OR at_utc NOT GLOB '[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9]Z' \
                     OR source NOT IN ('app', 'cli')",
                    [serde_json::to_string(crate::domain::TRAIL_KINDS).unwrap_or_default()],
                    |r| r.get::<_, i64>(0).map(|n| u64::try_from(n).unwrap_or(0)),
                )?,
                out_of_bounds: Vec::new(),
            })
        })
    }
}
