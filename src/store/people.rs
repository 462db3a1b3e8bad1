//! Rows of `people`.

use rusqlite::{OptionalExtension, Row, params};

use super::records::PeopleStore;
use super::{Result, Store, StoreError, rows_with_keys};
use crate::domain::{Person, SkinType};

const COLUMNS: &str = "id, name, skin_type, notes, archived, revision, born_on, contact";

fn from_row(row: &Row<'_>) -> rusqlite::Result<Person> {
    let skin: Option<String> = row.get(2)?;
    let born: Option<String> = row.get(6)?;
    Ok(Person {
        id: row.get(0)?,
        name: row.get(1)?,
        skin_type: skin.and_then(|s| s.parse::<SkinType>().ok()),
        notes: row.get(3)?,
        archived: row.get(4)?,
        revision: row.get(5)?,
        born_on: born.map(|b| b.parse::<chrono::NaiveDate>()).transpose().map_err(|e| super::row::bad_column(6, e))?,
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
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        })?;
        people.sort_by_cached_key(|p| (p.name.to_ascii_lowercase(), p.id));
        Ok(people)
    }

    fn people_by_ids(&self, ids: &[i64]) -> Result<Vec<Person>> {
        let select = format!("SELECT {COLUMNS} FROM people");
        self.read(|c| Ok(rows_with_keys(c, &select, ("id", 0), "", ids, from_row)?))
    }

    fn namesakes(&self) -> Result<std::collections::HashSet<i64>> {
        self.read(|c| {
            let mut stmt = c.prepare_cached("SELECT id, name FROM people")?;
            let mut rows = stmt.query([])?;
            // Names counted by the hash of their folded letters: no copy of each
            // name is kept (two names sharing a 64-bit hash would only be told
            // apart when they need not be).
            let hasher = std::collections::hash_map::RandomState::new();
            let mut bearers: std::collections::HashMap<u64, u32> = std::collections::HashMap::new();
            let mut everyone: Vec<(i64, u64)> = Vec::new();
            let mut key = String::new();
            while let Some(row) = rows.next()? {
                crate::find::fold_into(row.get_ref(1)?.as_str().unwrap_or_default(), &mut key);
                let hash = std::hash::BuildHasher::hash_one(&hasher, key.as_str());
                everyone.push((row.get(0)?, hash));
                *bearers.entry(hash).or_default() += 1;
            }
            Ok(everyone.into_iter().filter(|(_, h)| bearers.get(h).is_some_and(|n| *n > 1)).map(|(id, _)| id).collect())
        })
    }

    fn namesakes_among(&self, ids: &[i64]) -> Result<std::collections::HashSet<i64>> {
        use std::collections::HashMap;
        if ids.is_empty() {
            return Ok(Default::default());
        }
        self.read(|c| {
            let mut key = String::new();
            let mut asked: HashMap<String, Vec<i64>> = HashMap::new();
            super::each_for_ids(c, "SELECT id, name FROM people WHERE id IN ({ids})", ids, |r| {
                crate::find::fold_into(r.get_ref(1)?.as_str().unwrap_or_default(), &mut key);
                asked.entry(key.clone()).or_default().push(r.get(0)?);
                Ok(())
            })?;
            // A name folds to one of theirs only if it starts as theirs does: only
            // those names are read, from the index of names, by range (see
            // `fold_ranges`), each once, and folded here.
            let ranges = disjoint(asked.keys().flat_map(|k| fold_ranges(k)).collect());
            let (bounded, open): (Vec<_>, Vec<_>) = ranges.into_iter().partition(|(_, to)| to.is_some());
            let bounded: Vec<(String, String)> =
                bounded.into_iter().filter_map(|(from, to)| Some((from, to?))).collect();
            let mut bearers: HashMap<&str, u32> = HashMap::new();
            let mut count = |row: &Row<'_>| -> rusqlite::Result<()> {
                crate::find::fold_into(row.get_ref(0)?.as_str().unwrap_or_default(), &mut key);
                if let Some((name, _)) = asked.get_key_value(key.as_str()) {
                    *bearers.entry(name.as_str()).or_default() += 1;
                }
                Ok(())
            };
            // Every bounded range in one statement (a day's clients ask hundreds).
            let list = serde_json::to_string(&bounded).unwrap_or_else(|_| "[]".into());
            let mut stmt = c.prepare_cached(
                "SELECT p.name FROM json_each(?1) AS r, people AS p INDEXED BY people_by_name \
                 WHERE p.name >= r.value ->> 0 COLLATE NOCASE AND p.name < r.value ->> 1 COLLATE NOCASE",
            )?;
            let mut rows = stmt.query([list])?;
            while let Some(row) = rows.next()? {
                count(row)?;
            }
            for (from, _) in open {
                let mut stmt = c.prepare_cached(
                    "SELECT name FROM people INDEXED BY people_by_name WHERE name >= ?1 COLLATE NOCASE",
                )?;
                let mut rows = stmt.query([from])?;
                while let Some(row) = rows.next()? {
                    count(row)?;
                }
            }
            Ok(asked
                .iter()
                .filter(|(name, _)| bearers.get(name.as_str()).is_some_and(|n| *n > 1))
                .flat_map(|(_, ids)| ids.iter().copied())
                .collect())
        })
    }

    fn person(&self, id: i64) -> Result<Person> {
        let sql = format!("SELECT {COLUMNS} FROM people WHERE id = ?1");
        self.read(|c| Ok(c.query_row(&sql, [id], from_row).optional()?))?
            .ok_or(StoreError::NotFound { what: "person", id: id.to_string() })
    }

    fn people_named(&self, name: &str) -> Result<Vec<Person>> {
        // Namesakes by their letters ("Zoe Khan", "Zoë Khan"): every name is
        // folded here, in one pass over the table.
        let wanted = crate::find::folded(name);
        let sql = format!("SELECT {COLUMNS} FROM people NOT INDEXED ORDER BY id");
        self.read(|c| {
            let mut stmt = c.prepare_cached(&sql)?;
            let mut found = Vec::new();
            for person in stmt.query_map([], from_row)? {
                let person = person?;
                if crate::find::folded(&person.name) == wanted {
                    found.push(person);
                }
            }
            Ok(found)
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
                "INSERT INTO people (name, skin_type, notes, born_on, contact) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![
                    person.name,
                    person.skin_type.map(SkinType::key),
                    person.notes,
                    person.born_on.map(|d| d.to_string()),
                    person.contact
                ],
            )?;
            let id = tx.last_insert_rowid();
            stamp.note(tx, ("person", id), "added", "", person.name.as_str())?;
            Ok(id)
        })
    }
}

/// Adds a person from another file (an import, a merge) under `id`, or a new id
/// when none; returns the id it has here.
pub(super) fn insert_person(tx: &rusqlite::Transaction<'_>, p: &Person, id: Option<i64>) -> Result<i64> {
    tx.prepare_cached(
        "INSERT INTO people (id, name, skin_type, notes, archived, born_on, contact) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        id,
        p.name,
        p.skin_type.map(SkinType::key),
        p.notes,
        p.archived,
        p.born_on.map(|d| d.to_string()),
        p.contact
    ])?;
    Ok(tx.last_insert_rowid())
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

/// `ranges` (from, and before; none: to the end) as few that do not overlap and
/// hold the same names: a name in two would be counted twice. The bounds are
/// folded (lower case), so their order as bytes is the index's order.
fn disjoint(mut ranges: Vec<(String, Option<String>)>) -> Vec<(String, Option<String>)> {
    ranges.sort();
    let mut out: Vec<(String, Option<String>)> = Vec::with_capacity(ranges.len());
    for (from, to) in ranges {
        match out.last_mut() {
            // Starts before the last one ends (or where it ends): one range.
            Some((_, last_to)) if last_to.as_ref().is_none_or(|end| from <= *end) => {
                *last_to = match (last_to.take(), to) {
                    (Some(a), Some(b)) => Some(a.max(b)),
                    _ => None,
                };
            }
            _ => out.push((from, to)),
        }
    }
    out
}

/// The ranges of the index of names (ASCII letters compared without case) that
/// hold every name folding to `key` (see [`crate::find::fold_into`]): a name
/// starting with a space or a sign (before `!`), and for the first few plain
/// letters of `key`, each shorter start followed by a letter that is not plain
/// (an accent can fold to anything), and the start itself. Each range is from,
/// and before (none: to the end).
fn fold_ranges(key: &str) -> Vec<(String, Option<String>)> {
    const LETTERS: usize = 4;
    let after = |start: &str| -> Option<String> {
        let mut chars: Vec<char> = start.chars().collect();
        let last = chars.pop()?;
        chars.push(char::from_u32(u32::from(last) + 1)?);
        Some(chars.into_iter().collect())
    };
    let start: String = key.chars().take_while(|c| c.is_ascii() && *c != ' ').take(LETTERS).collect();
    let mut ranges = vec![(String::new(), Some("!".to_string()))];
    for i in 0..=start.len() {
        let before = &start[..i];
        // What follows `before` is a letter that is not plain.
        ranges.push((format!("{before}\u{80}"), after(before)));
    }
    if !start.is_empty() {
        ranges.push((start.clone(), after(&start)));
    }
    ranges
}

#[cfg(test)]
mod tests {
    use super::disjoint;

    fn range(from: &str, to: Option<&str>) -> (String, Option<String>) {
        (from.to_string(), to.map(str::to_string))
    }

    #[test]
    fn ranges_that_overlap_or_touch_become_one() {
        let ranges = vec![
            range("ana", Some("anb")),
            range("anai", Some("anaj")),
            range("b", Some("c")),
            range("c", Some("d")),
            range("y", Some("z")),
            range("x", None),
            range("", Some("!")),
        ];
        let expected = vec![range("", Some("!")), range("ana", Some("anb")), range("b", Some("d")), range("x", None)];
        assert_eq!(disjoint(ranges), expected);
    }
}
