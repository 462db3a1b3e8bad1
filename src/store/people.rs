//! Rows of `people`.

use super::sql::{self, Connection, OptionalExtension, Row, params};

use super::records::PeopleStore;
use super::{Result, Store, StoreError, rows_with_keys};
use crate::domain::{Person, SkinType};

const COLUMNS: &str = "id, name, skin_type, notes, archived, revision, born_on, contact";

fn from_row(row: &Row<'_>) -> sql::Result<Person> {
    let skin: Option<String> = row.get(2)?;
    let born: Option<String> = row.get(6)?;
    Ok(Person {
        id: row.get(0)?,
        name: row.get(1)?,
        skin_type: skin.and_then(|s| s.parse::<SkinType>().ok()),
        notes: row.get(3)?,
        archived: row.get(4)?,
        revision: row.get(5)?,
        born_on: born.map(|b| super::row::parse_day(&b, 6)).transpose()?,
        contact: row.get(7)?,
    })
}

impl PeopleStore for Store {
    fn people(&self, include_archived: bool) -> Result<Vec<Person>> {
        // The table read in one pass and sorted here (as `COLLATE NOCASE` orders):
        // through the index by name, thousands of people cost a lookup each.
        let sql = format!("SELECT {COLUMNS} FROM people NOT INDEXED WHERE archived = 0 OR ?1");
        let mut people: Vec<Person> = self.read(|c| {
            let mut stmt = c.prepare_cached(&sql)?;
            let rows = stmt.query_map([include_archived], from_row)?;
            Ok(rows.collect::<sql::Result<_>>()?)
        })?;
        people.sort_by_cached_key(|p| (p.name.to_ascii_lowercase(), p.id));
        Ok(people)
    }

    fn people_by_ids(&self, ids: &[i64]) -> Result<Vec<Person>> {
        let select = format!("SELECT {COLUMNS} FROM people");
        self.read(|c| Ok(rows_with_keys(c, &select, ("id", 0), "", ids, from_row)?))
    }

    fn names_of(&self, ids: &[i64]) -> Result<std::collections::HashMap<i64, (String, bool)>> {
        self.read(|c| {
            let named = rows_with_keys(c, "SELECT id, name, archived FROM people", ("id", 0), "", ids, |r| {
                Ok((r.get(0)?, (r.get(1)?, r.get(2)?)))
            })?;
            Ok(named.into_iter().collect())
        })
    }

    fn namesakes(&self) -> Result<std::collections::HashSet<i64>> {
        self.read(|c| {
            let mut stmt = c.prepare_cached(
                "SELECT p.id FROM people AS p JOIN \
                 (SELECT folded FROM people INDEXED BY people_by_folded GROUP BY folded HAVING count(*) > 1) AS shared \
                 ON p.folded = shared.folded",
            )?;
            let ids = stmt.query_map([], |r| r.get(0))?;
            Ok(ids.collect::<sql::Result<_>>()?)
        })
    }

    fn namesakes_among(&self, people: &[&Person]) -> Result<std::collections::HashSet<i64>> {
        use std::collections::HashSet;
        if people.is_empty() {
            return Ok(HashSet::new());
        }
        // Each name counted in the index of folded names alone: the rows of
        // people already read are not read again.
        let mut keys: Vec<String> = people.iter().map(|p| crate::find::folded(&p.name)).collect();
        keys.sort_unstable();
        keys.dedup();
        let list = serde_json::to_string(&keys).unwrap_or_else(|_| "[]".into());
        let shared: HashSet<String> = self.read(|c| {
            let mut stmt = c.prepare_cached(
                "SELECT k.value FROM json_each(?1) AS k \
                 WHERE (SELECT count(*) FROM people INDEXED BY people_by_folded WHERE folded = k.value) > 1",
            )?;
            let keys = stmt.query_map([list], |r| r.get(0))?;
            Ok(keys.collect::<sql::Result<_>>()?)
        })?;
        Ok(people.iter().filter(|p| shared.contains(&crate::find::folded(&p.name))).map(|p| p.id).collect())
    }

    fn person(&self, id: i64) -> Result<Person> {
        let sql = format!("SELECT {COLUMNS} FROM people WHERE id = ?1");
        self.read(|c| Ok(c.query_row(&sql, [id], from_row).optional()?))?
            .ok_or(StoreError::NotFound { what: "person", id: id.to_string() })
    }

    fn people_named(&self, name: &str) -> Result<Vec<Person>> {
        // Namesakes by their letters ("Zoe Khan", "Zoë Khan"), from the index of
        // folded names.
        let sql = format!("SELECT {COLUMNS} FROM people WHERE folded = ?1 ORDER BY id");
        self.read(|c| {
            let mut stmt = c.prepare_cached(&sql)?;
            let found = stmt.query_map([crate::find::folded(name)], from_row)?;
            Ok(found.collect::<sql::Result<_>>()?)
        })
    }

    fn person_by_name(&self, typed: &str) -> Result<Person> {
        let typed = typed.trim();
        if let Some(id) = typed.strip_prefix('#').and_then(|n| n.trim().parse::<i64>().ok()) {
            return self.person(id);
        }
        let (name, born) = split_birth(typed);
        let mut found = self.people_named(name)?;
        if let Some(born) = born {
            found.retain(|p| p.born_on == Some(born));
        }
        match found.len() {
            0 => Err(StoreError::NotFound { what: "person", id: format!("\"{typed}\"") }),
            1 => Ok(found.remove(0)),
            _ => {
                let named: Vec<String> = found.iter().map(|p| p.told_apart(true)).collect();
                Err(StoreError::Conflict(format!(
                    "{} people are called \"{name}\": {}; name one by #ID or by date of birth (\"{name} (1984-03-02)\")",
                    found.len(),
                    named.join(", ")
                )))
            }
        }
    }

    fn add_person(&mut self, name: &str, skin_type: Option<SkinType>, notes: &str) -> Result<i64> {
        let person = Person {
            id: 0,
            name: name.to_string(),
            skin_type,
            notes: notes.to_string(),
            archived: false,
            born_on: None,
            contact: String::new(),
            revision: 0,
        };
        self.add_person_with(&person)
    }

    fn add_person_with(&mut self, person: &Person) -> Result<i64> {
        let name = checked_name(&person.name)?;
        let person = Person { name, ..person.clone() };
        crate::domain::validate::check_person(&person).map_err(|e| StoreError::Invalid(e.message))?;
        let stamp = self.stamped()?;
        self.write(|tx| {
            tx.execute(
                "INSERT INTO people (name, skin_type, notes, born_on, contact, folded) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    person.name,
                    person.skin_type.map(SkinType::key),
                    person.notes,
                    person.born_on.map(|d| d.to_string()),
                    person.contact,
                    crate::find::folded(&person.name)
                ],
            )?;
            let id = tx.last_insert_rowid()?;
            stamp.note(tx, ("person", id), "added", "", person.name.as_str())?;
            Ok(id)
        })
    }
}

/// Adds a person from another file (an import, a merge) under `id`, or a new id
/// when none; returns the id it has here.
pub(super) fn insert_person(tx: &Connection, p: &Person, id: Option<i64>) -> Result<i64> {
    tx.prepare_cached(
        "INSERT INTO people (id, name, skin_type, notes, archived, born_on, contact, folded) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        id,
        p.name,
        p.skin_type.map(SkinType::key),
        p.notes,
        p.archived,
        p.born_on.map(|d| d.to_string()),
        p.contact,
        crate::find::folded(&p.name)
    ])?;
    id.map_or_else(|| Ok(tx.last_insert_rowid()?), Ok)
}

/// Keeps `people.folded` the fold of the person's name: after an edit that may
/// have changed it, and where `doctor --fix` finds it astray.
pub(super) fn refold(tx: &Connection, id: i64) -> sql::Result<()> {
    let name: Option<String> = tx.query_row("SELECT name FROM people WHERE id = ?1", [id], |r| r.get(0)).optional()?;
    if let Some(name) = name {
        tx.prepare_cached("UPDATE people SET folded = ?1 WHERE id = ?2 AND folded IS DISTINCT FROM ?1")?
            .execute(params![crate::find::folded(&name), id])?;
    }
    Ok(())
}

/// Fills `people.folded` for every row whose key is not its name's fold (the
/// schema step that adds it).
pub(super) fn fill_folded(tx: &Connection) -> Result<()> {
    let stale: Vec<(i64, String)> = {
        let mut stmt = tx.prepare("SELECT id, name, folded FROM people")?;
        let mut rows = stmt.query([])?;
        let mut stale = Vec::new();
        let mut key = String::new();
        while let Some(row) = rows.next()? {
            crate::find::fold_into(row.get_ref(1)?.as_str().unwrap_or_default(), &mut key);
            if row.get_ref(2)?.as_str().ok() != Some(key.as_str()) {
                stale.push((row.get(0)?, key.clone()));
            }
        }
        stale
    };
    let mut update = tx.prepare("UPDATE people SET folded = ?2 WHERE id = ?1")?;
    for (id, key) in &stale {
        update.execute(params![id, key])?;
    }
    Ok(())
}

/// A person's fields as columns, for saving an edit field by field.
pub(super) fn columns(p: &Person) -> Vec<super::row::Column> {
    use rusqlite::types::Value;
    // Every field named: a new one does not build until it has its column here.
    let Person { id: _, name, skin_type, notes, archived, born_on, contact, revision: _ } = p;
    vec![
        ("name", "name", Value::Text(name.clone())),
        ("skin type", "skin_type", skin_type.map_or(Value::Null, |s| Value::Text(s.key().into()))),
        ("notes", "notes", Value::Text(notes.clone())),
        ("archived", "archived", Value::Integer(i64::from(*archived))),
        ("born", "born_on", born_on.map_or(Value::Null, |d| Value::Text(d.to_string()))),
        ("contact", "contact", Value::Text(contact.clone())),
    ]
}

/// `Ana Ruiz (1984-03-02)` or `Ana Ruiz 1984-03-02`: the name and the date of
/// birth; anything else is all name.
fn split_birth(typed: &str) -> (&str, Option<chrono::NaiveDate>) {
    let trimmed = typed.trim_end_matches(')').trim_end();
    if let Some((name, date)) = trimmed.rsplit_once(['(', ' '])
        && let Ok(day) = date.trim().parse::<chrono::NaiveDate>()
    {
        return (name.trim(), Some(day));
    }
    (typed, None)
}

/// The name as it will be stored (trimmed), if it is one.
pub(super) fn checked_name(name: &str) -> Result<String> {
    let name = name.trim();
    crate::domain::validate::check_name(name).map_err(|e| StoreError::Invalid(e.message))?;
    Ok(name.to_string())
}
