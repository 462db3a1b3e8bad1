//! Running the real binary from tests.

#![allow(dead_code)]

use std::path::Path;
use std::process::Command;

pub(crate) const BIN: &str = env!("CARGO_BIN_EXE_needlelog");

/// What a run of the binary printed and returned.
pub(crate) struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Runs `needlelog --db DB ARGS` in time zone `tz`, ignoring any NEEDLELOG_DB.
pub(crate) fn run_in(db: &Path, tz: &str, args: &[&str]) -> Run {
    let out = Command::new(BIN)
        .arg("--db")
        .arg(db)
        .args(args)
        .env("TZ", tz)
        .env_remove("NEEDLELOG_DB")
        .output()
        .expect("the binary runs");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

pub(crate) fn run(db: &Path, args: &[&str]) -> Run {
    run_in(db, "UTC", args)
}

/// Runs and insists on success; returns stdout.
pub(crate) fn ok(db: &Path, args: &[&str]) -> String {
    let r = run(db, args);
    assert_eq!(r.code, 0, "{args:?} failed: {}", r.stderr);
    r.stdout
}

pub(crate) fn json(db: &Path, args: &[&str]) -> serde_json::Value {
    serde_json::from_str(&ok(db, args)).expect("valid JSON")
}
