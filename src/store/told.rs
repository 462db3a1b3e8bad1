//! Rows of `reminders_told`: which reminders `needlelog remind` has already given,
//! so a run from cron every 15 minutes says each one once.

use super::sql::{self, params};
use chrono::{DateTime, Duration, Utc};

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
            // Each key looked up by the table's own key: `key IN (…)` sorted the
            // twenty thousand of a practice's run first, at twice the time.
            let mut stmt =
                c.prepare_cached("SELECT t.key FROM json_each(?1) AS j JOIN reminders_told AS t ON t.key = j.value")?;
            let rows = stmt.query_map([list], |r| r.get(0))?;
            Ok(rows.collect::<sql::Result<Vec<String>>>()?)
        })
    }

    fn mark_told(&mut self, keys: &[String], now: DateTime<Utc>) -> Result<()> {
        // One statement for them all: a practice's run tells thousands. One told
        // before (`--again`) keeps when it was first told: it is remembered far
        // longer than it stays due either way, and its row is not written again.
        let list = serde_json::to_string(keys).unwrap_or_else(|_| "[]".into());
        self.write(|tx| {
            tx.execute(
                "INSERT INTO reminders_told (key, told_at) SELECT value, ?2 FROM json_each(?1) WHERE true \
                 ON CONFLICT DO NOTHING",
                params![list, instant_text(now)],
            )?;
            let forget = instant_text(now - Duration::days(REMEMBER_DAYS));
            tx.execute("DELETE FROM reminders_told WHERE told_at < ?1", [forget])?;
            Ok(())
        })
    }
}
