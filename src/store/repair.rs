//! Rows outside the bounds every record keeps to (`domain::validate`): files
//! written before those bounds, or by hand. `doctor` lists them; `doctor --fix`
//! mends what can be mended in one transaction — ids are renumbered (records and
//! everything that points at them move together), dates no calendar holds and
//! windows of a thousand years are removed — and says what it did.

use rusqlite::{Connection, params};

use super::{Result, Store};
use crate::domain::validate::{ID_MAX, NAME_MAX, NOTES_MAX, OFFSET_MAX_SECONDS, WINDOW_MAX_HOURS, YEARS};

/// What `--fix` does about a finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mend {
    /// Give the record the next free id, and everything that points at it too.
    Renumber,
    /// Remove the row (and what hangs off it).
    Remove,
    /// Set the clock offset to UTC's.
    ResetOffset,
    /// Set the name's folded key (how namesakes are found) from the name.
    Refold,
    /// Nothing automatic: the message says what to do.
    ByHand,
}

/// One row outside the bounds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub table: &'static str,
    pub id: i64,
    /// What is wrong, in a few words.
    pub problem: String,
    pub mend: Mend,
}

impl std::fmt::Display for Finding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let what = match self.table {
            "people" => "person",
            "courses" => "course",
            "sessions" => "session",
            "custom_items" => "own checklist item",
            "session_photos" => "photo record",
            _ => "tick of session",
        };
        write!(f, "{what} {}: {}", self.id, self.problem)
    }
}

/// Instants are RFC 3339 text in UTC: inside the years kept, they sort between these.
fn instant_bounds() -> (String, String) {
    (format!("{:04}-01-01", YEARS.start()), format!("{:04}-01-01", YEARS.end() + 1))
}

fn find(c: &Connection) -> rusqlite::Result<Vec<Finding>> {
    let mut found = Vec::new();
    // Every query takes ID_MAX as ?1 (most only to share this loop).
    let mut query = |sql: &str, table: &'static str, mend: Mend, describe: &dyn Fn(&rusqlite::Row<'_>) -> String| {
        let mut stmt = c.prepare(sql)?;
        let mut rows = stmt.query(params![ID_MAX])?;
        while let Some(row) = rows.next()? {
            found.push(Finding { table, id: row.get(0)?, problem: describe(row), mend });
        }
        Ok::<_, rusqlite::Error>(())
    };
    let big_id = |_: &rusqlite::Row<'_>| "an id too large to give out ids after it".to_string();
    for table in ["people", "courses", "sessions", "custom_items"] {
        query(&format!("SELECT id FROM {table} WHERE id >= ?1 OR id < 1"), table, Mend::Renumber, &big_id)?;
    }
    let (first, after) = instant_bounds();
    let text = |i: usize| move |r: &rusqlite::Row<'_>| r.get::<_, String>(i).unwrap_or_default();
    let date = text(1);
    query(
        &format!("SELECT id, at_utc FROM sessions WHERE ?1 > 0 AND (at_utc < '{first}' OR at_utc >= '{after}')"),
        "sessions",
        Mend::Remove,
        &|r| format!("dated {}, which no calendar here holds", date(r)),
    )?;
    query(
        &format!("SELECT id, utc_offset FROM sessions WHERE ?1 > 0 AND abs(utc_offset) > {OFFSET_MAX_SECONDS}"),
        "sessions",
        Mend::ResetOffset,
        &|r| format!("a clock {} s from UTC", r.get::<_, i64>(1).unwrap_or_default()),
    )?;
    query(
        &format!(
            "SELECT id, started_on FROM courses WHERE ?1 > 0 AND (started_on < '{first}' OR started_on >= '{after}')"
        ),
        "courses",
        Mend::ByHand,
        &|r| format!("started {}: set the start with needlelog course edit", date(r)),
    )?;
    query(
        &format!(
            "SELECT id, from_hours, to_hours FROM custom_items WHERE ?1 > 0 AND \
             (abs(from_hours) > {WINDOW_MAX_HOURS} OR abs(to_hours) > {WINDOW_MAX_HOURS} OR from_hours >= to_hours)"
        ),
        "custom_items",
        Mend::Remove,
        &|r| {
            let hours = |i| r.get::<_, i64>(i).unwrap_or_default();
            format!("a window from {} h to {} h, beyond a year", hours(1), hours(2))
        },
    )?;
    query(
        &format!(
            "SELECT session_id, item_id FROM checklist_ticks WHERE ?1 > 0 AND \
             (ticked_at < '{first}' OR ticked_at >= '{after}')"
        ),
        "checklist_ticks",
        Mend::Remove,
        &|r| format!("\"{}\" ticked on a date no calendar here holds", text(1)(r)),
    )?;
    for table in ["people", "courses", "sessions"] {
        query(
            &format!("SELECT id FROM {table} WHERE ?1 > 0 AND length(CAST(notes AS BLOB)) > {NOTES_MAX}"),
            table,
            Mend::ByHand,
            &|_| format!("notes over {} KB: shorten them", NOTES_MAX / 1024),
        )?;
    }
    query(
        &format!("SELECT id, hash FROM session_photos WHERE ?1 > 0 AND NOT ({})", super::photos::SOUND_HASH),
        "session_photos",
        Mend::Remove,
        &|r| {
            let name: String = text(1)(r).chars().take(80).collect();
            format!("named {name:?}, not a picture of the photo store: a record of no picture")
        },
    )?;
    let mut names = c.prepare("SELECT id, name, folded FROM people")?;
    let mut rows = names.query([])?;
    let mut key = String::new();
    while let Some(row) = rows.next()? {
        let name = row.get_ref(1)?.as_str().unwrap_or_default();
        if name.chars().count() > NAME_MAX || name.chars().any(char::is_control) {
            let problem = "a name over 80 characters or with control characters: rename with needlelog person edit";
            found.push(Finding { table: "people", id: row.get(0)?, problem: problem.into(), mend: Mend::ByHand });
        }
        crate::find::fold_into(name, &mut key);
        if row.get_ref(2)?.as_str().ok() != Some(key.as_str()) {
            let problem = "the key its namesakes are found by does not match its name";
            found.push(Finding { table: "people", id: row.get(0)?, problem: problem.into(), mend: Mend::Refold });
        }
    }
    Ok(found)
}

/// Where each table's id is referred to: (table, column).
fn references(table: &str) -> &'static [(&'static str, &'static str)] {
    match table {
        "people" => &[("courses", "person_id")],
        "courses" => &[("sessions", "course_id"), ("custom_items", "course_id")],
        "sessions" => {
            &[("session_depths", "session_id"), ("checklist_ticks", "session_id"), ("checklist_seen", "session_id")]
        }
        _ => &[],
    }
}

fn mend(tx: &super::sql::Connection, f: &Finding) -> super::sql::Result<()> {
    match (f.mend, f.table) {
        (Mend::Renumber, table) => {
            let next: i64 = tx.query_row(
                &format!("SELECT coalesce(max(id), 0) + 1 FROM {table} WHERE id < ?1 AND id >= 1"),
                [ID_MAX],
                |r| r.get(0),
            )?;
            for (child, column) in references(table) {
                tx.execute(&format!("UPDATE {child} SET {column} = ?1 WHERE {column} = ?2"), params![next, f.id])?;
            }
            if table == "custom_items" {
                // Ticks and "seen" marks name own items by text id.
                for marks in ["checklist_ticks", "checklist_seen"] {
                    tx.execute(
                        &format!("UPDATE {marks} SET item_id = ?1 WHERE item_id = ?2"),
                        params![format!("custom-{next}"), format!("custom-{}", f.id)],
                    )?;
                }
            }
            tx.execute(&format!("UPDATE {table} SET id = ?1 WHERE id = ?2"), params![next, f.id])?;
            // The counter behind AUTOINCREMENT must come down too, or the next id overflows.
            let has_sequence: bool =
                tx.query_row("SELECT EXISTS(SELECT 1 FROM sqlite_schema WHERE name = 'sqlite_sequence')", [], |r| {
                    r.get(0)
                })?;
            if has_sequence {
                tx.execute(
                    &format!(
                        "UPDATE sqlite_sequence SET seq = (SELECT coalesce(max(id), 0) FROM {table}) \
                         WHERE name = ?1 AND seq >= ?2"
                    ),
                    params![table, ID_MAX],
                )?;
            }
        }
        (Mend::Remove, "checklist_ticks") => {
            let (first, after) = instant_bounds();
            tx.execute(
                "DELETE FROM checklist_ticks WHERE session_id = ?1 AND (ticked_at < ?2 OR ticked_at >= ?3)",
                params![f.id, first, after],
            )?;
        }
        (Mend::Remove, table) => {
            tx.execute(&format!("DELETE FROM {table} WHERE id = ?1"), [f.id])?;
        }
        (Mend::ResetOffset, _) => {
            tx.execute("UPDATE sessions SET utc_offset = 0 WHERE id = ?1", [f.id])?;
        }
        (Mend::Refold, _) => super::people::refold(tx, f.id)?,
        (Mend::ByHand, _) => {}
    }
    Ok(())
}

impl Store {
    /// Rows outside the bounds every record keeps to.
    pub fn out_of_bounds(&self) -> Result<Vec<Finding>> {
        self.sqlite(|c| Ok(find(c)?))
    }

    /// Mends every finding that can be mended, in one transaction; returns what
    /// was found (the `ByHand` ones are left as they are).
    pub fn mend_out_of_bounds(&mut self) -> Result<Vec<Finding>> {
        self.write(|tx| {
            let file = tx.sqlite_only()?;
            file.pragma_update(None, "defer_foreign_keys", true)?;
            let found = find(file)?;
            for f in &found {
                mend(tx, f)?;
            }
            Ok(found)
        })
    }
}
