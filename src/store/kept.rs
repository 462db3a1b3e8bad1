//! Rows of `kept_files`: exports rewritten after every change, such as a calendar
//! a phone subscribes to (`export --format ics -o FILE --keep-current`).

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use rusqlite::params;

use super::row::instant_text;
use super::{Result, Store};

impl Store {
    /// The files kept current, in the order they were added.
    pub fn kept_files(&self) -> Result<Vec<PathBuf>> {
        self.read(|c| {
            let mut stmt = c.prepare_cached("SELECT path FROM kept_files ORDER BY since, path")?;
            let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
            Ok(rows.map(|r| r.map(PathBuf::from)).collect::<rusqlite::Result<Vec<_>>>()?)
        })
    }

    /// Keeps the calendar at `path` current from now on (`path` should be absolute).
    pub fn keep_file(&mut self, path: &Path, now: DateTime<Utc>) -> Result<()> {
        let text = path.to_string_lossy().into_owned();
        self.write(|tx| {
            tx.execute(
                "INSERT INTO kept_files (path, format, since) VALUES (?1, 'ics', ?2) \
                 ON CONFLICT (path) DO NOTHING",
                params![text, instant_text(now)],
            )?;
            Ok(())
        })
    }

    /// Stops keeping `path` current; false when it was not kept.
    pub fn stop_keeping(&mut self, path: &Path) -> Result<bool> {
        let text = path.to_string_lossy().into_owned();
        self.write(|tx| Ok(tx.execute("DELETE FROM kept_files WHERE path = ?1", [text])? > 0))
    }
}
