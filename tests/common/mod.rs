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

/// Runs the binary as the user nobody (permissions do not bind root) when the tests
/// run as root, else as is. The root case runs a copy in `dir`, in case the build
/// folder is closed to nobody; a copy that another test thread's fork still holds
/// open for writing ("text file busy") is retried.
pub(crate) fn output_as_nobody(dir: &Path, args: &[&std::ffi::OsStr]) -> std::process::Output {
    let is_root = Command::new("id").arg("-u").output().map(|o| o.stdout == b"0\n").unwrap_or(false);
    let bin = dir.join("needlelog");
    if is_root && !bin.exists() {
        std::fs::copy(BIN, &bin).unwrap();
    }
    for _ in 0..100 {
        let mut cmd = if is_root {
            let mut c = Command::new("setpriv");
            c.args(["--reuid=65534", "--regid=65534", "--clear-groups"]).arg(&bin);
            c
        } else {
            Command::new(BIN)
        };
        let out = cmd.args(args).env_remove("NEEDLELOG_DB").output().expect("the binary runs");
        let busy = String::from_utf8_lossy(&out.stderr).contains("Text file busy");
        if !busy {
            return out;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    panic!("the copied binary stayed busy");
}
