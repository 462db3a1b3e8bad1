//! Rows of `consents`: the consent on record for a course.

use super::prelude::*;
use super::sql::{self, Connection, Row, params};

use super::records::ConsentStore;
use super::{Result, Store, StoreError, query_for_ids};
use crate::domain::Consent;

const COLUMNS: &str = "course_id, given_on, what, photos, taken_by";

fn from_row(row: &Row<'_>) -> sql::Result<Consent> {
    Ok(Consent {
        course_id: row.get(0)?,
        given_on: super::row::parse_day(row.get_ref(1)?.as_str()?, 1)?,
        what: row.get(2)?,
        photos: row.get(3)?,
        by: row.get(4)?,
    })
}

pub(super) fn put_consent(tx: &Connection, c: &Consent) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO consents (course_id, given_on, what, photos, taken_by) VALUES (?1, ?2, ?3, ?4, ?5) \
         ON CONFLICT (course_id) DO UPDATE SET given_on = excluded.given_on, what = excluded.what, \
         photos = excluded.photos, taken_by = excluded.taken_by",
    )?
    .execute(params![c.course_id, c.given_on.to_string(), c.what, c.photos, c.by])?;
    Ok(())
}

impl ConsentStore for Store {
    fn record_consent(&mut self, consent: &Consent) -> Result<()> {
        self.course(consent.course_id)?;
        crate::domain::validate::check_consent(consent).map_err(|e| StoreError::Invalid(e.message))?;
        let before = self.consents_of(&[consent.course_id])?.pop();
        let stamp = self.stamped()?;
        // Taken by whoever records it, unless said.
        let consent = &Consent {
            by: if consent.by.trim().is_empty() { stamp.by.clone() } else { consent.by.trim().to_string() },
            ..consent.clone()
        };
        self.write(|tx| {
            put_consent(tx, consent)?;
            let said = |c: &Consent| {
                let photos = if c.photos { "photos included" } else { "no photos" };
                format!("{} on {} ({photos})", c.what, c.given_on)
            };
            stamp.note(
                tx,
                ("consent", consent.course_id),
                "consent",
                before.as_ref().map(said).unwrap_or_default(),
                said(consent),
            )
        })
    }

    fn consents_of(&self, course_ids: &[i64]) -> Result<Vec<Consent>> {
        let sql = format!("SELECT {COLUMNS} FROM consents WHERE course_id IN ({{ids}}) ORDER BY course_id");
        self.read(|c| Ok(query_for_ids(c, &sql, course_ids, from_row)?))
    }

    fn consents(&self) -> Result<Vec<Consent>> {
        self.read(|c| {
            let mut stmt = c.prepare(&format!("SELECT {COLUMNS} FROM consents ORDER BY course_id"))?;
            let rows = stmt.query_map([], from_row)?;
            Ok(rows.collect::<sql::Result<_>>()?)
        })
    }
}
