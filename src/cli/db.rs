//! `needlelog db copy FROM TO`: every record and photo between a file and a
//! PostgreSQL server, one way or the other, with progress on a terminal.

use std::io::{IsTerminal, Write};
use std::path::Path;

use super::context::{CliError, CliResult, Output};
use crate::photos::PhotoStore;
use crate::store::server::{self, Address, Copied, Server};
use crate::text::printable;

/// Copies from `from` to `to`: one a file, the other a server.
pub(super) fn copy(from: &str, to: &str, json: bool) -> CliResult<Output> {
    let mut progress = Progress::on_terminal();
    let (copied, from_shown, to_shown) = match (server::is_address(from), server::is_address(to)) {
        (true, true) => {
            return Err(CliError::Usage(
                "db copy moves records between a file and a server; between two servers use pg_dump and pg_restore"
                    .into(),
            ));
        }
        (false, false) => {
            return Err(CliError::Usage(
                "db copy moves records between a file and a server (postgresql://USER@HOST/DATABASE); \
                 for a copy of a file use needlelog backup -o FILE"
                    .into(),
            ));
        }
        (false, true) => {
            let path = Path::new(from);
            if !path.is_file() {
                return Err(CliError::Usage(format!(
                    "{}: no such needlelog file to copy from",
                    printable(&path.display().to_string())
                )));
            }
            let address = Address::parse(to)?;
            let file = super::open_store(Some(path.to_path_buf()))?;
            let mut server = Server::connect(&address)?;
            let copied =
                server.copy_from_file(&file, &PhotoStore::beside(path), &mut |t, n, of| progress.show(t, n, of));
            (copied, printable(&path.display().to_string()), address.to_string())
        }
        (true, false) => {
            let address = Address::parse(from)?;
            let path = Path::new(to);
            let mut server = Server::connect(&address)?;
            let copied = server.copy_to_file(path, &PhotoStore::beside(path), &mut |t, n, of| progress.show(t, n, of));
            (copied, address.to_string(), printable(&path.display().to_string()))
        }
    };
    progress.clear();
    let copied = copied?;
    let mut out = Output::default();
    if json {
        let rows: serde_json::Map<String, serde_json::Value> =
            copied.rows.iter().map(|(t, n)| (t.to_string(), (*n).into())).collect();
        let value = serde_json::json!({
            "from": from_shown,
            "to": to_shown,
            "rows": rows,
            "photos": copied.photos,
            "photos_missing": copied.photos_missing,
        });
        out.stdout = format!("{}\n", serde_json::to_string_pretty(&value).unwrap_or_default());
        out.exact = true;
    } else {
        out.stdout = format!("Copied {from_shown} to {to_shown}: {}.\n", said(&copied));
    }
    if !copied.photos_missing.is_empty() {
        out.warnings.push(format!(
            "{} the records name {} not at {from_shown} to copy, so {to_shown} lacks {} too ({}); needlelog doctor \
             on a file lists them",
            crate::text::plural(copied.photos_missing.len() as i64, "photo"),
            if copied.photos_missing.len() == 1 { "was" } else { "were" },
            if copied.photos_missing.len() == 1 { "it" } else { "them" },
            copied.photos_missing.join(", ")
        ));
    }
    Ok(out)
}

/// What was copied, in words: people, courses and sessions always, the rest
/// when there are any.
fn said(copied: &Copied) -> String {
    let counted = [
        ("people", "person", "people", true),
        ("courses", "course", "courses", true),
        ("sessions", "session", "sessions", true),
        ("adverse_events", "adverse event", "adverse events", false),
        ("recovery_diary", "diary entry", "diary entries", false),
        ("consents", "consent", "consents", false),
        ("trash", "record in the trash", "records in the trash", false),
        ("edit_trail", "change in the trail", "changes in the trail", false),
    ];
    let mut parts: Vec<String> = counted
        .iter()
        .map(|&(table, one, many, always)| (copied.of(table), one, many, always))
        .filter(|&(n, _, _, always)| always || n > 0)
        .map(|(n, one, many, _)| format!("{n} {}", if n == 1 { one } else { many }))
        .collect();
    if copied.photos > 0 {
        parts.push(crate::text::plural(copied.photos as i64, "photo"));
    }
    parts.join(", ")
}

/// Where a copy is, on standard error when that is a terminal: one line
/// written over, gone when the copy ends.
struct Progress {
    shown: bool,
    on: bool,
}

impl Progress {
    fn on_terminal() -> Progress {
        Progress { shown: false, on: std::io::stderr().is_terminal() }
    }

    fn show(&mut self, table: &str, n: u64, of: u64) {
        if !self.on {
            return;
        }
        let mut err = std::io::stderr().lock();
        let then = if n == of && of > 0 && table != "photos" { ", then its indexes" } else { "" };
        let _ = write!(err, "\r\x1b[2Kcopying {}: {} of {}{then}", table.replace('_', " "), grouped(n), grouped(of));
        let _ = err.flush();
        self.shown = true;
    }

    fn clear(&mut self) {
        if self.shown {
            let _ = write!(std::io::stderr(), "\r\x1b[2K");
            self.shown = false;
        }
    }
}

/// `1016510` as `1,016,510`.
fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// An address as typed, shown without its password (or in words, when it does
/// not read as one).
fn shown(text: &str) -> String {
    Address::parse(text).map_or_else(|_| "a server address".to_string(), |a| a.to_string())
}

/// The error for `--db` naming a server, for the few commands that work on a
/// file alone (setting reminders up, which names the file in a schedule).
pub(super) fn not_a_file(text: &str) -> CliError {
    let shown = shown(text);
    CliError::Usage(format!(
        "--db {shown} names a PostgreSQL server, and this command works on a needlelog file; \
         schedule needlelog --db ADDRESS remind yourself, with the password in PGPASSWORD"
    ))
}

/// `needlelog doctor` on a server: what can be checked there (and, with `fix`,
/// mended first).
pub(super) fn doctor(text: &str, fix: bool, json: bool) -> CliResult<Output> {
    let address = Address::parse(text)?;
    let mut server = Server::connect(&address)?;
    let mut out = Output::default();
    if fix {
        let (recounted, guard, workings) = server.mend()?;
        for id in recounted {
            out.stdout.push_str(&format!("{:<18} course {id}: its done sessions counted again\n", "mended"));
        }
        if guard {
            out.stdout.push_str(&format!("{:<18} the trigger that keeps the edit trail whole\n", "put back"));
        }
        if workings {
            out.stdout.push_str(&format!("{:<18} the server's workings (ids, notices, nocase)\n", "put back"));
        }
    }
    let h = server.health()?;
    if json {
        let value = serde_json::json!({
            "server": h.address, "bytes": h.bytes, "schema_version": h.schema_version, "ok": h.is_ok(),
            "people": h.people, "courses": h.courses, "sessions": h.sessions, "ticks": h.ticks,
            "custom_items": h.custom_items, "trashed": h.trashed, "edits": h.edits,
            "trail_guarded": h.trail_guarded, "working": h.working, "miscounted_courses": h.miscounted,
            "photos": {
                "records": h.photo_records, "missing": h.photos_missing,
                "mismatched": h.photos_mismatched, "unreferenced": h.photos_unreferenced,
            },
        });
        out.stdout.push_str(&format!("{}\n", serde_json::to_string_pretty(&value).unwrap_or_default()));
        out.exact = true;
    } else {
        let mut say = |line: String| {
            out.stdout.push_str(&line);
            out.stdout.push('\n');
        };
        say(format!("server       {}", h.address));
        say(format!("size         {:.1} MB ({} bytes)", h.bytes as f64 / 1e6, h.bytes));
        say(format!("schema       v{} (this build writes v{})", h.schema_version, crate::store::current_version()));
        say(format!(
            "records      {} people, {} courses, {} sessions, {} ticks, {} own checklist items",
            h.people, h.courses, h.sessions, h.ticks, h.custom_items
        ));
        say(format!("trash        {} (kept 30 days)", h.trashed));
        say(format!(
            "edit trail   {} kept, {}",
            crate::text::plural(h.edits, "change"),
            if h.trail_guarded { "guarded by the server" } else { "NOT guarded: its trigger is gone or off" }
        ));
        say(format!(
            "workings     {}",
            if h.working {
                "ids, notices to other laptops, nocase: in place"
            } else {
                "NOT all in place (ids, notices to other laptops, nocase)"
            }
        ));
        say("references   kept by the server (foreign keys)".into());
        if h.miscounted.is_empty() {
            say("values       ok".into());
        } else {
            let ids: Vec<String> = h.miscounted.iter().take(20).map(i64::to_string).collect();
            say(format!(
                "values       {} courses count their done sessions wrongly: {}",
                h.miscounted.len(),
                ids.join(", ")
            ));
        }
        let mut photos = format!("photos       {} kept in the server", h.photo_records);
        if h.photos_missing.is_empty() && h.photos_mismatched.is_empty() && h.photos_unreferenced.is_empty() {
            photos.push_str(": ok");
        }
        say(photos);
        for (what, list) in
            [("missing", &h.photos_missing), ("changed", &h.photos_mismatched), ("unused", &h.photos_unreferenced)]
        {
            if !list.is_empty() {
                let more = if list.len() > 20 { format!(" … and {} more", list.len() - 20) } else { String::new() };
                say(format!("  {what:<10} {}{more}", list[..list.len().min(20)].join(", ")));
            }
        }
    }
    if h.is_ok() {
        return Ok(out);
    }
    let how = if !h.trail_guarded || !h.working || !h.miscounted.is_empty() {
        "needlelog doctor --fix mends the counts, the trail's guard and the workings"
    } else {
        "add the missing or changed pictures again from your own copies"
    };
    Err(CliError::After {
        output: out,
        error: Box::new(CliError::Failed(format!("{}: the server's records have problems; {how}", h.address))),
    })
}

/// The error for `backup` and `restore` given a server: what to use instead.
pub(super) fn no_backup_here(text: &str) -> CliError {
    let shown = shown(text);
    CliError::Usage(format!(
        "{shown} is a PostgreSQL server: back it up with pg_dump -Fc and put a dump back with pg_restore, \
         or write its records into a new file with needlelog backup -o FILE"
    ))
}

#[cfg(test)]
mod tests {
    #[test]
    fn counts_are_grouped_by_thousands() {
        assert_eq!(super::grouped(0), "0");
        assert_eq!(super::grouped(999), "999");
        assert_eq!(super::grouped(1000), "1,000");
        assert_eq!(super::grouped(1_016_510), "1,016,510");
    }
}
