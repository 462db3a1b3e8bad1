//! Rows of `recall_state`: recalls a practitioner ended or put off.

use super::prelude::*;
use super::sql::{self, params};
use chrono::NaiveDate;

use super::records::RecallStore;
use super::{Result, Store};

impl RecallStore for Store {
    fn end_recall(&mut self, id: i64, day: NaiveDate) -> Result<()> {
        self.course(id)?;
        let stamp = self.stamped()?;
        self.write(|tx| {
            stamp.note(tx, ("recall", id), "recall", "", format!("ended {day}"))?;
            tx.execute(
                "INSERT INTO recall_state (course_id, done_on, snoozed_until) VALUES (?1, ?2, NULL) \
                 ON CONFLICT (course_id) DO UPDATE SET done_on = ?2, snoozed_until = NULL",
                params![id, day.to_string()],
            )?;
            Ok(())
        })
    }

    fn snooze_recall(&mut self, id: i64, day: NaiveDate) -> Result<()> {
        self.course(id)?;
        let stamp = self.stamped()?;
        self.write(|tx| {
            stamp.note(tx, ("recall", id), "recall", "", format!("put off until {day}"))?;
            tx.execute(
                "INSERT INTO recall_state (course_id, done_on, snoozed_until) VALUES (?1, NULL, ?2) \
                 ON CONFLICT (course_id) DO UPDATE SET done_on = NULL, snoozed_until = ?2",
                params![id, day.to_string()],
            )?;
            Ok(())
        })
    }

    fn quiet_recalls(&self, today: NaiveDate) -> Result<std::collections::HashSet<i64>> {
        self.read(|c| {
            let mut stmt =
                c.prepare_cached("SELECT course_id FROM recall_state WHERE done_on IS NOT NULL OR snoozed_until > ?1")?;
            let rows = stmt.query_map([today.to_string()], |r| r.get(0))?;
            Ok(rows.collect::<sql::Result<_>>()?)
        })
    }
}
