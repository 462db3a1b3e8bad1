//! Running the real binary from tests.

#![allow(dead_code)]

use std::path::Path;
use std::process::Command;

pub(crate) const BIN: &str = env!("CARGO_BIN_EXE_needlelog");

/// The moment every command a test runs takes as now, unless it passes `--now`:
/// no result depends on the day the suite runs. (A far date given to the whole
/// suite, e.g. under libfaketime, must change nothing.)
pub(crate) const FIXED_NOW: &str = "2026-11-24 09:00";

/// Variables of the caller's shell that would change what the binary does.
const OURS: [&str; 6] = [
    "NEEDLELOG_DB",
    "NEEDLELOG_CONFIG",
    "NEEDLELOG_KEEP_BACKUPS",
    "NEEDLELOG_TRASH_DAYS",
    "NEEDLELOG_GRAPHICS",
    "NEEDLELOG_TEST_PAUSE",
];

/// The binary at `FIXED_NOW` (a `--now` among the arguments wins), with none of
/// the caller's `NEEDLELOG_*` settings.
pub(crate) fn needlelog() -> Command {
    let mut cmd = on_the_real_clock();
    cmd.env("NEEDLELOG_NOW", FIXED_NOW);
    cmd
}

/// The state folder (the list of calendars kept current) of the commands a test
/// runs on `db`: beside it, so tests never share one nor touch the user's.
pub(crate) fn state_beside(db: &Path) -> std::path::PathBuf {
    db.parent().unwrap_or(Path::new(".")).join("state")
}

/// The binary on the real clock, for the few tests that check the clock itself;
/// they assert nothing that a date can break.
pub(crate) fn on_the_real_clock() -> Command {
    let mut cmd = Command::new(BIN);
    cmd.env_remove("NEEDLELOG_NOW");
    without_our_settings(&mut cmd);
    cmd
}

/// Leaves out the caller's `NEEDLELOG_*` settings, and keeps the state folder
/// out of the user's (see `state_beside`).
fn without_our_settings(cmd: &mut Command) {
    let ours = std::env::temp_dir().join(format!("needlelog-suite-{}", std::process::id()));
    cmd.env("XDG_STATE_HOME", &ours).env("XDG_CACHE_HOME", ours.join("cache"));
    for var in OURS {
        cmd.env_remove(var);
    }
}

/// Runs `cmd` (standard input closed) and fails if it has not ended within
/// `seconds`, killing it: for what must never block.
pub(crate) fn within(seconds: u64, cmd: &mut Command) -> std::process::Output {
    use std::process::Stdio;
    use std::time::{Duration, Instant};
    let mut child = cmd.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("it starts");
    let start = Instant::now();
    while child.try_wait().expect("it can be waited for").is_none() {
        if start.elapsed() > Duration::from_secs(seconds) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{cmd:?} still running after {seconds} s: it hangs");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().expect("its output is read")
}

/// Whether an outside tool a test drives is installed (it starts). Missing
/// on a developer's machine, the test says so and is skipped; missing in CI
/// (`CI` set, where `.ci/run` installs it), the test fails: a skip there would hide
/// a broken install.
pub(crate) fn have_tool(program: &str, package: &str) -> bool {
    if Command::new(program).arg("--version").output().is_ok() {
        return true;
    }
    let ci = std::env::var_os("CI").is_some_and(|v| !v.is_empty() && v != "false");
    assert!(!ci, "{program} is missing: .ci/run installs Debian's {package}; a test cannot be skipped in CI");
    eprintln!("SKIPPED: no {program} here (install Debian's {package}; CI does)");
    false
}

/// What a run of the binary printed and returned.
pub(crate) struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Runs `needlelog --db DB ARGS` in time zone `tz`, ignoring any NEEDLELOG_DB.
pub(crate) fn run_in(db: &Path, tz: &str, args: &[&str]) -> Run {
    let out = needlelog()
        .arg("--db")
        .arg(db)
        .args(args)
        .env("TZ", tz)
        .env("XDG_STATE_HOME", state_beside(db))
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
            without_our_settings(&mut c);
            c.env("NEEDLELOG_NOW", FIXED_NOW);
            c
        } else {
            needlelog()
        };
        let out = cmd.args(args).output().expect("the binary runs");
        let busy = String::from_utf8_lossy(&out.stderr).contains("Text file busy");
        if !busy {
            return out;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    panic!("the copied binary stayed busy");
}

/// A picture `w`×`h` with a gradient (so halves differ), as JPEG, PNG or WebP by
/// the path's extension.
pub(crate) fn write_picture(path: &Path, w: u32, h: u32, tint: u8) {
    let img = image::RgbImage::from_fn(w, h, |x, y| {
        image::Rgb([(x * 255 / w.max(1)) as u8, (y * 255 / h.max(1)) as u8, tint])
    });
    img.save(path).expect("the fixture picture is written");
}

/// A JPEG's bytes with an EXIF block in front saying `orientation` (1–8) and,
/// when given, the time taken (`2026:11:02 10:15:30`).
pub(crate) fn with_exif(jpeg: &[u8], orientation: u16, taken: Option<&str>) -> Vec<u8> {
    let entries: u16 = if taken.is_some() { 2 } else { 1 };
    let mut tiff = b"II*\0\x08\0\0\0".to_vec();
    tiff.extend_from_slice(&entries.to_le_bytes());
    // Orientation: SHORT, one value, kept in the entry.
    tiff.extend_from_slice(&[0x12, 0x01, 3, 0, 1, 0, 0, 0]);
    tiff.extend_from_slice(&orientation.to_le_bytes());
    tiff.extend_from_slice(&[0, 0]);
    let data_at = 8 + 2 + 12 * u32::from(entries) + 4;
    if taken.is_some() {
        // DateTime: ASCII, 20 bytes, after the IFD.
        tiff.extend_from_slice(&[0x32, 0x01, 2, 0, 20, 0, 0, 0]);
        tiff.extend_from_slice(&data_at.to_le_bytes());
    }
    tiff.extend_from_slice(&[0, 0, 0, 0]);
    if let Some(t) = taken {
        tiff.extend_from_slice(t.as_bytes());
        tiff.push(0);
    }
    let mut app1 = b"Exif\0\0".to_vec();
    app1.extend_from_slice(&tiff);
    let len = u16::try_from(app1.len() + 2).unwrap();
    let mut out = vec![0xFF, 0xD8, 0xFF, 0xE1];
    out.extend_from_slice(&len.to_be_bytes());
    out.extend_from_slice(&app1);
    out.extend_from_slice(&jpeg[2..]);
    out
}

/// A JPEG's bytes with its frame header claiming `w`×`h` (a decompression bomb).
pub(crate) fn declaring(jpeg: &[u8], w: u16, h: u16) -> Vec<u8> {
    let mut out = jpeg.to_vec();
    let sof = out.windows(2).position(|m| m[0] == 0xFF && (0xC0..=0xC2).contains(&m[1])).expect("a frame header");
    out[sof + 5..sof + 7].copy_from_slice(&h.to_be_bytes());
    out[sof + 7..sof + 9].copy_from_slice(&w.to_be_bytes());
    out
}

/// An export as a value, less the trail's rows that say an import happened:
/// what a file holds of what it was given.
pub(crate) fn export_without_imports(text: &str) -> serde_json::Value {
    let mut value: serde_json::Value = serde_json::from_str(text).unwrap();
    if let Some(edits) = value.get_mut("edits").and_then(|e| e.as_array_mut()) {
        edits.retain(|e| !(e["kind"] == "file" && e["field"] == "import"));
    }
    value
}

/// A database of its own on the test server, dropped at the end.
pub(crate) struct TestDb {
    admin: String,
    pub(crate) name: String,
    pub(crate) url: String,
}

impl TestDb {
    /// A new empty database, or `None` (the test skipped) when there is no server.
    pub(crate) fn new(tag: &str) -> Option<TestDb> {
        let admin = TestDb::server()?;
        let name = format!("nl_{}_{tag}", std::process::id());
        let mut client = postgres::Client::connect(&admin, postgres::NoTls).expect("the test server answers");
        client.batch_execute(&format!("DROP DATABASE IF EXISTS {name}")).unwrap();
        client.batch_execute(&format!("CREATE DATABASE {name}")).unwrap();
        let config: postgres::Config = admin.parse().unwrap();
        let url = replace_dbname(&admin, config.get_dbname().unwrap_or_default(), &name);
        Some(TestDb { admin, name, url })
    }

    /// The test server's address, or `None` (the test skipped) when there is
    /// none; under CI a missing server fails instead.
    pub(crate) fn server() -> Option<String> {
        let Some(admin) = std::env::var("NEEDLELOG_TEST_PG").ok().filter(|v| !v.is_empty()) else {
            let ci = std::env::var_os("CI").is_some_and(|v| !v.is_empty() && v != "false");
            assert!(!ci, "NEEDLELOG_TEST_PG is not set: .ci/run starts a PostgreSQL server for these tests");
            eprintln!("SKIPPED: no PostgreSQL server (set NEEDLELOG_TEST_PG=postgresql://USER:PASSWORD@HOST/DB)");
            return None;
        };
        Some(admin)
    }

    /// A connection to the server as the role that made the database (its
    /// owner), outside it.
    pub(crate) fn admin(&self) -> postgres::Client {
        postgres::Client::connect(&self.admin, postgres::NoTls).unwrap()
    }

    pub(crate) fn client(&self) -> postgres::Client {
        postgres::Client::connect(&self.url, postgres::NoTls).unwrap()
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Ok(mut client) = postgres::Client::connect(&self.admin, postgres::NoTls) {
            let _ = client.batch_execute(&format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name));
        }
    }
}

/// `postgresql://…/old?…` with `new` as the database.
pub(crate) fn replace_dbname(url: &str, old: &str, new: &str) -> String {
    let (head, query) = url.split_once('?').map_or((url, None), |(h, q)| (h, Some(q)));
    let head = head.strip_suffix(old).map_or_else(|| format!("{head}/{new}"), |h| format!("{h}{new}"));
    match query {
        Some(q) => format!("{head}?{q}"),
        None => head,
    }
}

/// Where a test's records are kept: files in a folder of its own, or (the
/// server's pass) a database of its own on the test server for each name.
pub(crate) struct Place {
    dir: tempfile::TempDir,
    /// On the server: the test's tag, and the databases made so far by name.
    server: Option<(String, Databases)>,
}

/// A test's databases on the server, by the name it calls its records.
type Databases = std::cell::RefCell<Vec<(String, TestDb)>>;

impl Place {
    pub(crate) fn file() -> Place {
        Place { dir: tempfile::tempdir().unwrap(), server: None }
    }

    /// `None` (the test skipped) when there is no server.
    pub(crate) fn server(tag: &str) -> Option<Place> {
        // Asked here, so that a missing server skips (or fails under CI) at once.
        // Database names are short (a server cuts them at 63 bytes): a test's tag
        // stands for its name.
        use std::hash::{Hash, Hasher};
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        tag.hash(&mut hasher);
        let tag = format!("{:08x}", hasher.finish() as u32);
        TestDb::server()?;
        Some(Place { dir: tempfile::tempdir().unwrap(), server: Some((tag, Default::default())) })
    }

    pub(crate) fn on_server(&self) -> bool {
        self.server.is_some()
    }

    /// The records called `name` (a file in the folder; a database on the
    /// server), opened anew: two calls are two connections to the same records.
    pub(crate) fn open(&self, name: &str) -> needlelog::store::Store {
        match &self.server {
            None => needlelog::store::Store::open(&self.dir.path().join(name)).unwrap(),
            Some(_) => needlelog::store::Store::open_server(&self.address(name)).unwrap(),
        }
    }

    /// What `--db` takes for the records called `name`.
    pub(crate) fn address(&self, name: &str) -> String {
        let Some((tag, databases)) = &self.server else {
            return self.dir.path().join(name).display().to_string();
        };
        let key: String = name.chars().filter(char::is_ascii_alphanumeric).collect();
        let mut databases = databases.borrow_mut();
        if let Some((_, db)) = databases.iter().find(|(k, _)| *k == key) {
            return db.url.clone();
        }
        let db = TestDb::new(&format!("{tag}_{key}")).expect("the test server answers");
        let url = db.url.clone();
        databases.push((key, db));
        url
    }

    /// Runs `sql` on the records called `name` from outside needlelog (as
    /// someone at the `sqlite3` or `psql` prompt would).
    pub(crate) fn shell(&self, name: &str, sql: &str) {
        match &self.server {
            None => rusqlite::Connection::open(self.dir.path().join(name)).unwrap().execute_batch(sql).unwrap(),
            Some(_) => {
                postgres::Client::connect(&self.address(name), postgres::NoTls).unwrap().batch_execute(sql).unwrap()
            }
        }
    }

    /// Opens the records at `address` (what [`Place::address`] gives): for
    /// threads, which cannot share the place.
    pub(crate) fn open_at(address: &str) -> needlelog::store::Store {
        match needlelog::store::server::is_address(address) {
            true => needlelog::store::Store::open_server(address).unwrap(),
            false => needlelog::store::Store::open(Path::new(address)).unwrap(),
        }
    }

    /// A folder for the test's other files (documents, exports, pictures).
    pub(crate) fn folder(&self) -> &Path {
        self.dir.path()
    }
}

/// Tests of the records, each run twice: on a file (`…::file`) and on a
/// server (`…::server`, skipped without one), given the [`Place`].
macro_rules! on_both {
    ($($(#[$meta:meta])* fn $name:ident($place:ident: &Place) $body:block)*) => {$(
        $(#[$meta])*
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            fn body($place: &crate::common::Place) $body

            #[test]
            fn file() {
                body(&crate::common::Place::file());
            }

            #[test]
            fn server() {
                if let Some(place) = crate::common::Place::server(stringify!($name)) {
                    body(&place);
                }
            }
        }
    )*};
}
pub(crate) use on_both;
