//! Rows of `settings`: what the file says about itself.

use super::sql::{self, Connection, OptionalExtension, params};

use super::records::SettingStore;
use super::{Result, Store};
use crate::domain::{FileKind, Person};

const KIND: &str = "kind";

/// Sets one setting (`?1` its key, `?2` its value), whether it was set or not.
pub(super) const PUT: &str =
    "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value";

impl SettingStore for Store {
    fn file_kind(&self) -> Result<FileKind> {
        let said: Option<String> = self.read(|c| {
            Ok(c.query_row("SELECT value FROM settings WHERE key = ?1", [KIND], |r| r.get(0)).optional()?)
        })?;
        if let Some(kind) = said.and_then(|k| k.parse().ok()) {
            return Ok(kind);
        }
        // Two lookups by index, whatever the size of the file.
        let (mine, any): (bool, bool) = self.read(|c| {
            Ok(c.query_row(
                "SELECT EXISTS (SELECT 1 FROM people p JOIN courses c ON c.person_id = p.id WHERE p.name = ?1), \
                        EXISTS (SELECT 1 FROM courses)",
                [Person::ME],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?)
        })?;
        Ok(if any && !mine { FileKind::Practitioner } else { FileKind::Patient })
    }

    fn file_kind_chosen(&self) -> Result<bool> {
        self.read(|c| {
            Ok(c.query_row("SELECT count(*) FROM settings WHERE key = ?1", [KIND], |r| r.get::<_, i64>(0))? > 0)
        })
    }

    fn set_file_kind(&mut self, kind: FileKind) -> Result<()> {
        let before = if self.file_kind_chosen()? { self.file_kind()?.key() } else { "" };
        let stamp = self.stamped()?;
        self.write(|tx| {
            tx.execute(PUT, params![KIND, kind.key()])?;
            if before != kind.key() {
                stamp.note(tx, ("file", 0), "kind", before, kind.key())?;
            }
            if kind == FileKind::Practitioner {
                tx.execute(
                    "DELETE FROM people WHERE name = ?1 AND notes = '' AND skin_type IS NULL \
                     AND NOT EXISTS (SELECT 1 FROM courses WHERE person_id = people.id)",
                    [Person::ME],
                )?;
            }
            Ok(())
        })
    }
}

impl Store {
    /// Whether photos named by path were moved into the store once already (or the
    /// file took an import, whose paths are for the user to add): then paths are
    /// never read by themselves again.
    pub fn photo_paths_settled(&self) -> Result<bool> {
        self.read(|c| {
            Ok(c.query_row("SELECT count(*) FROM settings WHERE key = ?1", [PHOTO_PATHS_SETTLED], |r| {
                r.get::<_, i64>(0)
            })? > 0)
        })
    }

    /// Notes that paths are settled (see [`Store::photo_paths_settled`]).
    pub fn settle_photo_paths(&mut self) -> Result<()> {
        self.write(|tx| settle_photo_paths(tx).map_err(Into::into))
    }
}

/// The settings row that says photos named by path are settled.
const PHOTO_PATHS_SETTLED: &str = "photo_paths_settled";

/// The same, inside a transaction (an import's).
pub(super) fn settle_photo_paths(tx: &Connection) -> sql::Result<()> {
    tx.execute(PUT, [PHOTO_PATHS_SETTLED, "1"]).map(drop)
}
