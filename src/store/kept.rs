//! Rows of `kept_files`: calendars an older needlelog kept current by a path
//! written in the database. A file may come from anyone, so paths in it are no
//! longer followed (the list lives on this machine: `crate::kept_calendar`);
//! `doctor` names them and `doctor --fix` forgets them.

use std::path::PathBuf;

use super::sql;
use super::{Result, Store};

impl Store {
    /// The calendar paths the file itself names, in the order they were added.
    pub fn calendars_named_in_file(&self) -> Result<Vec<PathBuf>> {
        self.read(|c| {
            let mut stmt = c.prepare_cached("SELECT path FROM kept_files ORDER BY since, path")?;
            let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
            Ok(rows.map(|r| r.map(PathBuf::from)).collect::<sql::Result<Vec<_>>>()?)
        })
    }

    /// Forgets the calendar paths the file names; returns how many there were.
    pub fn forget_calendars_named_in_file(&mut self) -> Result<usize> {
        self.write(|tx| Ok(tx.execute("DELETE FROM kept_files", [])?))
    }
}
