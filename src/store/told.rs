//! Rows of `reminders_told`: which reminders `needlelog remind` has already given,
//! so a run from cron every 15 minutes says each one once.

use chrono::{DateTime, Duration, Utc};
use rusqlite::params;

use super::records::ToldStore;
use super::row::instant_text;
use super::{Result, Store};

/// How long a told reminder is remembered: far longer than any reminder stays due.
const REMEMBER_DAYS: i64 = 400;

impl ToldStore for Store {
    fn told(&self, keys: &[String]) -> Result<Vec<String>> {
        if keys.is_empty() {
            return Ok(Vec::new());
        }
        let list = serde_json::to_string(keys).unwrap_or_else(|_| "[]".into());
        self.read(|c| {
            let mut stmt =
                c.prepare_cached("SELECT key FROM reminders_told WHERE key IN (SELECT value FROM json_each(?1))")?;
            let rows = stmt.query_map([list], |r| r.get(0))?;
            Ok(rows.collect::<rusqlite::Result<Vec<String>>>()?)
        })
    }

    fn mark_told(&mut self, keys: &[String], now: DateTime<Utc>) -> Result<()> {
        self.write(|tx| {
            let mut stmt = tx.prepare_cached("INSERT OR REPLACE INTO reminders_told (key, told_at) VALUES (?1, ?2)")?;
            for key in keys {
                stmt.execute(params![key, instant_text(now)])?;
            }
            let forget = instant_text(now - Duration::days(REMEMBER_DAYS));
            tx.execute("DELETE FROM reminders_told WHERE told_at < ?1", [forget])?;
            Ok(())
        })
    }
}
