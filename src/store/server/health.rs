//! `needlelog doctor` on a server: what can be checked there. The server keeps
//! its own pages and references (no integrity check or broken reference to look
//! for); what is left is the schema's version, the trail's guard, the counts
//! the triggers keep, and the pictures in `photo_files`.

use super::schema::{self, TRAIL_GUARD};
use super::{Server, failure};
use crate::store::Result;

/// What `doctor` finds on a server.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ServerHealth {
    /// The address, without its password.
    pub address: String,
    pub bytes: i64,
    pub schema_version: i32,
    pub people: i64,
    pub courses: i64,
    pub sessions: i64,
    pub ticks: i64,
    pub custom_items: i64,
    pub trashed: i64,
    pub edits: i64,
    /// Both triggers that keep the trail whole are there and on.
    pub trail_guarded: bool,
    /// What the store's statements need of the server is there and on: ids for
    /// new rows, notices to the other laptops, the `nocase` collation.
    pub working: bool,
    /// Courses whose count of done sessions (or last one) is not what their
    /// sessions say: ids.
    pub miscounted: Vec<i64>,
    /// Pictures the records name: how many.
    pub photo_records: i64,
    /// Pictures named that the server does not hold (file names).
    pub photos_missing: Vec<String>,
    /// Pictures held whose bytes no longer match their hash.
    pub photos_mismatched: Vec<String>,
    /// Pictures held that no record nor the trash names.
    pub photos_unreferenced: Vec<String>,
}

impl ServerHealth {
    pub fn is_ok(&self) -> bool {
        self.trail_guarded
            && self.working
            && self.miscounted.is_empty()
            && self.photos_missing.is_empty()
            && self.photos_mismatched.is_empty()
    }
}

/// Courses whose kept counts differ from their sessions.
const MISCOUNTED: &str = "SELECT c.id FROM courses c LEFT JOIN LATERAL (
        SELECT count(*) AS n, (array_agg(s.id ORDER BY s.at_utc DESC, s.id DESC))[1] AS last
        FROM sessions s WHERE s.course_id = c.id AND s.status = 'done' AND s.voided_at IS NULL) d ON TRUE
    WHERE c.done_count <> d.n OR c.last_done_id IS DISTINCT FROM d.last ORDER BY c.id";

/// How many of the trail's two guards (triggers) are there and on.
const GUARDS_ON: &str = "SELECT count(*) FROM pg_trigger WHERE tgrelid = 'edit_trail'::regclass \
    AND tgname IN ('edit_trail_kept', 'edit_trail_whole') AND tgenabled <> 'D'";

/// Whether [`schema::workings`] are all in place and on.
fn working(tx: &mut postgres::Transaction<'_>) -> std::result::Result<bool, postgres::Error> {
    let row = tx.query_one(
        "SELECT (SELECT count(*) FROM pg_trigger WHERE tgname = 'needlelog_fill_id' AND tgenabled <> 'D'), \
                (SELECT count(*) FROM pg_trigger WHERE tgname = 'needlelog_changed' AND tgenabled <> 'D'), \
                EXISTS (SELECT 1 FROM pg_collation WHERE collname = 'nocase')",
        &[],
    )?;
    let (ids, notices, nocase): (i64, i64, bool) = (row.get(0), row.get(1), row.get(2));
    Ok(ids == schema::WITH_IDS.len() as i64 && notices == schema::TABLES.len() as i64 && nocase)
}

impl Server {
    /// Checks the database: reads only, once its records are at this build's
    /// version (brought up first, as a file is on opening).
    pub fn health(&mut self) -> Result<ServerHealth> {
        let address = self.address.clone();
        let at = |e: postgres::Error| failure(&address, &e);
        let version = self.upgrade()?;
        let mut tx = self.snapshot()?;
        let count = |tx: &mut postgres::Transaction<'_>, sql: &str| -> Result<i64> {
            Ok(tx.query_one(sql, &[]).map_err(at)?.get(0))
        };
        let names = |tx: &mut postgres::Transaction<'_>, sql: &str| -> Result<Vec<String>> {
            Ok(tx.query(sql, &[]).map_err(at)?.iter().map(|r| r.get(0)).collect())
        };
        let health = ServerHealth {
            address: address.to_string(),
            bytes: count(&mut tx, "SELECT pg_database_size(current_database())")?,
            schema_version: version,
            people: count(&mut tx, "SELECT count(*) FROM people")?,
            courses: count(&mut tx, "SELECT count(*) FROM courses")?,
            sessions: count(&mut tx, "SELECT count(*) FROM sessions")?,
            ticks: count(&mut tx, "SELECT count(*) FROM checklist_ticks")?,
            custom_items: count(&mut tx, "SELECT count(*) FROM custom_items")?,
            trashed: count(&mut tx, "SELECT count(*) FROM trash")?,
            edits: count(&mut tx, "SELECT count(*) FROM edit_trail")?,
            trail_guarded: count(&mut tx, GUARDS_ON)? == 2,
            working: working(&mut tx).map_err(at)?,
            miscounted: tx.query(MISCOUNTED, &[]).map_err(at)?.iter().map(|r| r.get(0)).collect(),
            photo_records: count(&mut tx, "SELECT count(*) FROM session_photos")?,
            photos_missing: names(
                &mut tx,
                "SELECT DISTINCT p.hash || '.' || CASE p.format WHEN 'jpeg' THEN 'jpg' ELSE p.format END \
                 FROM session_photos p WHERE NOT EXISTS (SELECT 1 FROM photo_files f WHERE f.hash = p.hash) ORDER BY 1",
            )?,
            photos_mismatched: names(
                &mut tx,
                "SELECT hash FROM photo_files WHERE encode(sha256(bytes), 'hex') <> hash ORDER BY hash",
            )?,
            photos_unreferenced: names(
                &mut tx,
                "SELECT f.hash FROM photo_files f WHERE NOT EXISTS (SELECT 1 FROM session_photos p WHERE p.hash = f.hash) \
                 AND NOT EXISTS (SELECT 1 FROM trash t WHERE position(f.hash IN t.payload) > 0) ORDER BY f.hash",
            )?,
        };
        tx.commit().map_err(at)?;
        Ok(health)
    }

    /// Mends what `doctor` can on a server, in one transaction: counts done
    /// sessions again where they are wrong, and puts the trail's guard and the
    /// server's workings back. Returns the courses counted again, and whether
    /// the guard, and the workings, were put back.
    pub fn mend(&mut self) -> Result<(Vec<i64>, bool, bool)> {
        let address = self.address.clone();
        let at = |e: postgres::Error| failure(&address, &e);
        self.upgrade()?;
        let mut tx = self.client.transaction().map_err(at)?;
        let miscounted: Vec<i64> = tx.query(MISCOUNTED, &[]).map_err(at)?.iter().map(|r| r.get(0)).collect();
        for id in &miscounted {
            tx.execute("SELECT needlelog_recount($1)", &[id]).map_err(at)?;
        }
        let guarded: i64 = tx.query_one(GUARDS_ON, &[]).map_err(at)?.get(0);
        let guard = guarded != 2;
        if guard {
            tx.batch_execute(TRAIL_GUARD).map_err(at)?;
        }
        let workings = !working(&mut tx).map_err(at)?;
        if workings {
            tx.batch_execute(&schema::workings()).map_err(at)?;
        }
        tx.commit().map_err(at)?;
        Ok((miscounted, guard, workings))
    }
}
