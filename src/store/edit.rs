//! Saving an edit of a person, a course or a session: only the fields the edit
//! changed are written, and only over what it was opened on. A field changed both
//! here and elsewhere since then (another process, another window) is a conflict,
//! reported field by field with both values; nothing is written until the caller
//! says, per field, which to keep. Fields changed only elsewhere stay as they are.

use super::prelude::*;
use super::sql::{self, Connection, params_from_iter};
use rusqlite::types::Value;

use super::records::{EditOutcome, EditStore, Settle};
use super::row::Column;
use super::trail::Stamp;
use super::{FieldConflict, Result, Store, StoreError};
use crate::domain::{AreaDepth, Course, CourseStatus, Person, Session, SessionStatus};

fn shown(v: &Value) -> String {
    match v {
        Value::Null => "–".into(),
        Value::Integer(i) => i.to_string(),
        Value::Real(r) => r.to_string(),
        Value::Text(t) => t.clone(),
        Value::Blob(b) => format!("{} bytes", b.len()),
    }
}

fn depths_shown(d: &[AreaDepth]) -> String {
    if d.is_empty() {
        return "–".into();
    }
    d.iter().map(|d| format!("{}={}", d.area, d.mm)).collect::<Vec<_>>().join(", ")
}

/// The three-way save: `base` as the edit was opened, `edited` as it is now, the row
/// as it is in the file. Depths, when both sides loaded them, are one more field.
/// Every field written goes to the edit trail, stamped with `stamp`.
#[allow(clippy::too_many_arguments)]
fn merge(
    tx: &Connection,
    what: &'static str,
    table: &'static str,
    id: i64,
    base: &[Column],
    edited: &[Column],
    depths: Option<(&[AreaDepth], &[AreaDepth])>,
    settle: &Settle,
    stamp: &Stamp,
) -> Result<EditOutcome> {
    let changed: Vec<usize> = (0..base.len()).filter(|i| base[*i].2 != edited[*i].2).collect();
    // Depths compare as sets of (area, mm): the order they were typed in is not a change.
    let by_area = |d: &[AreaDepth]| {
        let mut d = d.to_vec();
        d.sort_by(|a, b| a.area.cmp(&b.area));
        d
    };
    let depths = depths.map(|(b, e)| (by_area(b), by_area(e)));
    let depths_changed = depths.as_ref().filter(|(b, e)| b != e);
    if changed.is_empty() && depths_changed.is_none() {
        return Ok(EditOutcome::Unchanged);
    }
    let columns: Vec<&str> = base.iter().map(|c| c.1).collect();
    let sql = format!("SELECT {} FROM {table} WHERE id = ?1", columns.join(", "));
    let current: Vec<Value> = tx
        .query_row(&sql, [id], |r| (0..columns.len()).map(|i| r.get::<_, Value>(i)).collect())
        .map_err(|e| match e {
            sql::Error::File(rusqlite::Error::QueryReturnedNoRows) => StoreError::NotFound { what, id: id.to_string() },
            e => e.into(),
        })?;

    let mut conflicts: Vec<FieldConflict> = Vec::new();
    let mut writes: Vec<usize> = Vec::new();
    for i in changed {
        let field = base[i].0;
        if settle.theirs.contains(&field) {
            continue;
        }
        let moved_elsewhere = current[i] != base[i].2 && current[i] != edited[i].2;
        if moved_elsewhere && !settle.mine.contains(&field) {
            if !conflicts.iter().any(|c| c.field == field) {
                conflicts.push(FieldConflict { field, theirs: shown(&current[i]), mine: shown(&edited[i].2) });
            }
            continue;
        }
        writes.push(i);
    }
    let mut new_depths = None;
    if let Some((base_d, edited_d)) = depths_changed.filter(|_| !settle.theirs.contains(&"depth")) {
        let current_d = super::sessions::depths_of(tx, id)?;
        if current_d != *base_d && current_d != *edited_d && !settle.mine.contains(&"depth") {
            conflicts.push(FieldConflict {
                field: "depth",
                theirs: depths_shown(&current_d),
                mine: depths_shown(edited_d),
            });
        } else {
            new_depths = Some(edited_d);
        }
    }
    if !conflicts.is_empty() {
        return Err(StoreError::Changed { what, id, conflicts });
    }
    if writes.is_empty() && new_depths.is_none() {
        return Ok(EditOutcome::Unchanged);
    }
    let sets: Vec<String> = writes.iter().enumerate().map(|(n, i)| format!("{} = ?{}", base[*i].1, n + 2)).collect();
    let mut sets = sets.join(", ");
    if !sets.is_empty() {
        sets.push_str(", ");
    }
    let sql = format!("UPDATE {table} SET {sets}revision = revision + 1 WHERE id = ?1");
    let values = std::iter::once(Value::Integer(id)).chain(writes.iter().map(|i| edited[*i].2.clone()));
    tx.execute(&sql, params_from_iter(values))?;
    // Fields that share a name (a time and its offset) are one change.
    let mut told: Vec<&str> = Vec::new();
    for i in &writes {
        let field = base[*i].0;
        if !told.contains(&field) {
            told.push(field);
            stamp.note(tx, (what, id), field, shown(&current[*i]), shown(&edited[*i].2))?;
        }
    }
    if let Some(d) = new_depths {
        let before = super::sessions::depths_of(tx, id)?;
        super::sessions::replace_depths(tx, id, d)?;
        stamp.note(tx, (what, id), "depth", depths_shown(&before), depths_shown(d))?;
    }
    Ok(EditOutcome::Saved)
}

impl EditStore for Store {
    fn save_session_edit(&mut self, base: &Session, edited: &Session, settle: &Settle) -> Result<EditOutcome> {
        if base.status == SessionStatus::Voided || self.session(base.id)?.status == SessionStatus::Voided {
            return Err(StoreError::Invalid(format!(
                "session {} is voided: bring it back first (needlelog trash restore), then change it",
                base.id
            )));
        }
        if edited.status == SessionStatus::Voided {
            return Err(StoreError::Invalid(format!(
                "session {}: a session is voided with needlelog rm (and a reason), not by an edit",
                base.id
            )));
        }
        let depths = match (&base.depths, &edited.depths) {
            (Some(b), Some(e)) => Some((b.as_slice(), e.as_slice())),
            _ => None,
        };
        let (b, e) = (super::sessions::columns(base), super::sessions::columns(edited));
        let stamp = self.stamped()?;
        self.write(|tx| merge(tx, "session", "sessions", base.id, &b, &e, depths, settle, &stamp))
    }

    fn save_course_edit(&mut self, base: &Course, edited: &Course, settle: &Settle) -> Result<EditOutcome> {
        if base.void.is_some() || self.course(base.id)?.void.is_some() {
            return Err(StoreError::Invalid(format!(
                "course {} is voided: bring it back first (needlelog trash restore), then change it",
                base.id
            )));
        }
        let (b, e) = (super::courses::columns(base), super::courses::columns(edited));
        let stamp = self.stamped()?;
        self.write(|tx| merge(tx, "course", "courses", base.id, &b, &e, None, settle, &stamp))
    }

    fn update_course(&mut self, course: &Course) -> Result<()> {
        let base = self.course(course.id)?;
        self.save_course_edit(&base, course, &Settle::default()).map(drop)
    }

    fn set_course_status(&mut self, id: i64, status: CourseStatus) -> Result<()> {
        let mut course = self.course(id)?;
        course.status = status;
        self.update_course(&course)
    }

    fn update_person(&mut self, person: &Person) -> Result<()> {
        let base = self.person(person.id)?;
        self.save_person_edit(&base, person, &Settle::default()).map(drop)
    }

    fn save_person_edit(&mut self, base: &Person, edited: &Person, settle: &Settle) -> Result<EditOutcome> {
        let name = super::people::checked_name(&edited.name)?;
        crate::domain::validate::check_notes(&edited.notes).map_err(|e| StoreError::Invalid(e.message))?;
        let edited = Person { name, ..edited.clone() };
        let (b, e) = (super::people::columns(base), super::people::columns(&edited));
        let stamp = self.stamped()?;
        crate::domain::validate::check_line("a contact", &edited.contact)
            .map_err(|e| StoreError::Invalid(e.message))?;
        if let Some(day) = edited.born_on {
            crate::domain::validate::check_day("the date of birth", day).map_err(|e| StoreError::Invalid(e.message))?;
        }
        self.write(|tx| {
            let outcome = merge(tx, "person", "people", base.id, &b, &e, None, settle, &stamp)?;
            super::people::refold(tx, base.id)?;
            Ok(outcome)
        })
    }
}
