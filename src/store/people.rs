//! Rows of `people`.

use rusqlite::{OptionalExtension, Row, params};

use super::{Result, Store, StoreError, query_for_ids};
use crate::domain::{Person, SkinType};

const COLUMNS: &str = "id, name, skin_type, notes, archived, revision";

fn from_row(row: &Row<'_>) -> rusqlite::Result<Person> {
    let skin: Option<String> = row.get(2)?;
    Ok(Person {
        id: row.get(0)?,
        name: row.get(1)?,
        skin_type: skin.and_then(|s| s.parse::<SkinType>().ok()),
        notes: row.get(3)?,
        archived: row.get(4)?,
        revision: row.get(5)?,
    })
}

impl Store {
    /// People by name; archived ones only when asked.
    pub fn people(&self, include_archived: bool) -> Result<Vec<Person>> {
        let sql = format!("SELECT {COLUMNS} FROM people WHERE archived = 0 OR ?1 ORDER BY name COLLATE NOCASE");
        self.read(|c| {
            let mut stmt = c.prepare_cached(&sql)?;
            let rows = stmt.query_map([include_archived], from_row)?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        })
    }

    /// The people with these ids.
    pub fn people_by_ids(&self, ids: &[i64]) -> Result<Vec<Person>> {
        let sql = format!("SELECT {COLUMNS} FROM people WHERE id IN ({{ids}})");
        self.read(|c| Ok(query_for_ids(c, &sql, ids, from_row)?))
    }

    pub fn person(&self, id: i64) -> Result<Person> {
        let sql = format!("SELECT {COLUMNS} FROM people WHERE id = ?1");
        self.read(|c| Ok(c.query_row(&sql, [id], from_row).optional()?))?
            .ok_or(StoreError::NotFound { what: "person", id: id.to_string() })
    }

    /// The person with this name (any case).
    pub fn person_by_name(&self, name: &str) -> Result<Person> {
        let sql = format!("SELECT {COLUMNS} FROM people WHERE name = ?1 COLLATE NOCASE");
        self.read(|c| Ok(c.query_row(&sql, [name.trim()], from_row).optional()?))?
            .ok_or_else(|| StoreError::NotFound { what: "person", id: format!("\"{}\"", name.trim()) })
    }

    /// Adds a person; names are unique regardless of case.
    pub fn add_person(&mut self, name: &str, skin_type: Option<SkinType>, notes: &str) -> Result<i64> {
        let name = checked_name(name)?;
        crate::domain::validate::check_notes(notes).map_err(|e| StoreError::Invalid(e.0))?;
        self.write(|tx| {
            let taken: bool =
                tx.query_row("SELECT EXISTS(SELECT 1 FROM people WHERE name = ?1 COLLATE NOCASE)", [&name], |r| {
                    r.get(0)
                })?;
            if taken {
                return Err(StoreError::Conflict(format!("a person called \"{name}\" already exists")));
            }
            tx.execute(
                "INSERT INTO people (name, skin_type, notes) VALUES (?1, ?2, ?3)",
                params![name, skin_type.map(SkinType::key), notes],
            )?;
            Ok(tx.last_insert_rowid())
        })
    }

    /// Saves every field of `person` that differs from the file (each change goes
    /// to the edit trail); a name another person has is refused.
    pub fn update_person(&mut self, person: &Person) -> Result<()> {
        let base = self.person(person.id)?;
        self.save_person_edit(&base, person, &super::Settle::default()).map(drop)
    }
}

/// A person's fields as columns, for saving an edit field by field.
pub(super) fn columns(p: &Person) -> Vec<super::edit::Column> {
    use rusqlite::types::Value;
    vec![
        ("name", "name", Value::Text(p.name.clone())),
        ("skin type", "skin_type", p.skin_type.map_or(Value::Null, |s| Value::Text(s.key().into()))),
        ("notes", "notes", Value::Text(p.notes.clone())),
        ("archived", "archived", Value::Integer(i64::from(p.archived))),
    ]
}

/// Refuses a name another person (any case) has already.
pub(super) fn refuse_namesake(tx: &rusqlite::Transaction<'_>, name: &str, id: i64) -> Result<()> {
    let clash: bool = tx.query_row(
        "SELECT EXISTS(SELECT 1 FROM people WHERE name = ?1 COLLATE NOCASE AND id <> ?2)",
        params![name, id],
        |r| r.get(0),
    )?;
    if clash {
        return Err(StoreError::Conflict(format!("a person called \"{name}\" already exists")));
    }
    Ok(())
}

/// The name as it will be stored (trimmed), if it is one.
pub(super) fn checked_name(name: &str) -> Result<String> {
    let name = name.trim();
    crate::domain::validate::check_name(name).map_err(|e| StoreError::Invalid(e.0))?;
    Ok(name.to_string())
}
