//! Your own rules: a config folder of files laid over the built-in rules, through
//! the real binary.

use crate::common;

use std::path::{Path, PathBuf};

struct Setup {
    _dir: tempfile::TempDir,
    db: PathBuf,
    config: PathBuf,
}

fn setup() -> Setup {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("log.db");
    let config = dir.path().join("config");
    std::fs::create_dir(&config).unwrap();
    Setup { _dir: dir, db, config }
}

struct Out {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(s: &Setup, args: &[&str]) -> Out {
    let out = common::needlelog()
        .arg("--db")
        .arg(&s.db)
        .arg("--config")
        .arg(&s.config)
        .args(args)
        .env("TZ", "UTC")
        .env_remove("NEEDLELOG_DB")
        .output()
        .unwrap();
    Out {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn ok(s: &Setup, args: &[&str]) -> Out {
    let out = run(s, args);
    assert_eq!(out.code, 0, "{args:?}: {}", out.stderr);
    out
}

fn json(s: &Setup, args: &[&str]) -> serde_json::Value {
    serde_json::from_str(&ok(s, args).stdout).unwrap()
}

fn write(s: &Setup, name: &str, text: &str) {
    std::fs::write(s.config.join(name), text).unwrap();
}

const PROTOCOLS: &str = r#"# our clinic
[[concern]]
key = "scars"
sessions = [3, 3]
typical = 3
interval_weeks = [4, 4]
source = "our scar protocol"

[[concern]]
key = "hair-loss"
name = "Hair loss (scalp)"
sessions = [6, 12]
typical = 6
interval_weeks = [2, 4]
"#;

const CHECKLISTS: &str = r#"[[item]]
id = "post-no-swimming"
enabled = false

[[item]]
id = "post-no-makeup"
text = "No make-up until tomorrow evening: our mineral powder after that"

[[item]]
id = "post-arnica"
phase = "post"
text = "Arnica gel morning and night"
from_hours = 0
to_hours = 96
"#;

const DEPTHS: &str = r#"[limits]
max_mm = 3.5

[[area]]
key = "knees"
name = "Knees"
usual_mm = [0.5, 1.0]
"#;

#[test]
fn an_own_concern_starts_a_course_with_its_numbers() {
    let s = setup();
    write(&s, "protocols.toml", PROTOCOLS);
    let added = ok(&s, &["course", "add", "--concern", "hair-loss", "--area", "scalp", "--now", "2026-11-02 09:00"]);
    assert!(added.stdout.contains("Hair loss (scalp) on scalp"), "{}", added.stdout);
    assert!(added.stdout.contains("6 sessions, every 14–28 days"), "{}", added.stdout);
    ok(&s, &["course", "add", "--concern", "scars", "--area", "face", "--now", "2026-11-02 09:00"]);
    let courses = json(&s, &["course", "list", "--json"]);
    let scars = courses.as_array().unwrap().iter().find(|c| c["concern"] == "scars").unwrap();
    assert_eq!(scars["sessions_target"], 3);
    assert_eq!(scars["areas"], serde_json::json!(["face"]));
    // Without the file the concern is unknown again; the course it made stays.
    std::fs::remove_file(s.config.join("protocols.toml")).unwrap();
    let refused = run(&s, &["course", "add", "--concern", "hair-loss", "--area", "scalp"]);
    assert_eq!(refused.code, 2);
    assert!(refused.stderr.contains("unknown concern \"hair-loss\""), "{}", refused.stderr);
    assert_eq!(json(&s, &["course", "list", "--json"]).as_array().unwrap().len(), 2);
}

#[test]
fn an_aftercare_sheet_of_ones_own() {
    let s = setup();
    write(&s, "checklists.toml", CHECKLISTS);
    ok(&s, &["course", "add", "--concern", "acne-scars", "--area", "cheeks", "--now", "2026-11-02 09:00"]);
    ok(&s, &["log", "--at", "2026-11-02 10:00", "--depth", "0.5", "--now", "2026-11-02 12:00"]);
    let status = json(&s, &["status", "--json", "--now", "2026-11-02 13:00"]);
    let items = status["courses"][0]["checklist"].as_array().unwrap();
    let ids: Vec<&str> = items.iter().filter_map(|i| i["id"].as_str()).collect();
    assert!(!ids.contains(&"post-no-swimming"), "{ids:?}");
    assert!(ids.contains(&"post-arnica"), "{ids:?}");
    let text = ok(&s, &["status", "--now", "2026-11-02 13:00"]).stdout;
    assert!(text.contains("our mineral powder"), "{text}");
    assert!(text.contains("Arnica gel morning and night"), "{text}");

    // A tick on an item the sheet then drops stays in the file and its exports.
    ok(&s, &["check", "post-arnica", "--now", "2026-11-03 10:00"]);
    std::fs::remove_file(s.config.join("checklists.toml")).unwrap();
    let export = json(&s, &["export", "--format", "json"]);
    assert!(export.to_string().contains("post-arnica"), "the tick is exported");
}

#[test]
fn areas_are_open_and_own_guidance_warns() {
    let s = setup();
    // Built-in new areas and any name at all.
    let face = ok(&s, &["course", "add", "--concern", "scars", "--area", "face", "--now", "2026-11-02 09:00"]);
    assert!(face.stderr.is_empty(), "{}", face.stderr);
    let knee = ok(&s, &["course", "add", "--concern", "scars", "--area", "Left Knee", "--now", "2026-11-02 09:00"]);
    assert!(knee.stderr.contains("no depth guidance for \"left knee\""), "{}", knee.stderr);
    assert!(knee.stderr.contains("depths.toml"), "{}", knee.stderr);
    let course = ok(&s, &["course", "show", "2"]).stdout;
    assert!(course.contains("left knee"), "{course}");
    // It keeps to the global limits, and says nothing more.
    let logged = ok(&s, &["log", "--course", "2", "--depth", "2.0", "--now", "2026-11-02 12:00"]);
    assert!(!logged.stderr.contains("guidance"), "said once: {}", logged.stderr);
    assert_eq!(run(&s, &["log", "--course", "2", "--depth", "3.2", "--now", "2026-11-02 12:00"]).code, 2);

    // With guidance of one's own, a deeper session is warned about; a wider limit holds.
    write(&s, "depths.toml", DEPTHS);
    ok(&s, &["course", "add", "--concern", "scars", "--area", "knees", "--now", "2026-11-03 09:00"]);
    let deep = ok(&s, &["log", "--course", "3", "--depth", "1.5", "--now", "2026-11-03 12:00"]);
    assert!(deep.stderr.contains("1.5 mm on knees is above the usual 0.5–1 mm"), "{}", deep.stderr);
    ok(&s, &["log", "--course", "3", "--depth", "3.4", "--at", "2026-12-10 10:00", "--now", "2026-12-10 12:00"]);
    let sessions = json(&s, &["list", "--course", "3", "--json"]);
    assert!(sessions.to_string().contains("3.4"), "{sessions}");
}

#[test]
fn bad_files_stop_before_the_database_is_touched() {
    let cases: &[(&str, &str, &str)] = &[
        ("protocols.toml", "[[concern]]\nkey = \"scars\"\nsessions = [3, 3\n", "protocols.toml:3:"),
        (
            "protocols.toml",
            "[[concern]]\nkey = \"scars\"\nsesions = [3, 3]\n",
            "protocols.toml:3:1: unknown field `sesions`",
        ),
        (
            "checklists.toml",
            "[[item]]\nid = \"pre-retinoid\"\ntext = \"x\"\n",
            "did you mean the built-in \"pre-retinoids\"",
        ),
        (
            "depths.toml",
            "[[area]]\nkey = \"knees\"\nusual_mm = [1.5, 0.5]\n",
            "depths.toml:1:1: knees: minimum 1.5 is above maximum 0.5",
        ),
        (
            "checklists.toml",
            "[[item]]\nid = \"post-no-makeup\"\nto_hours = -3\n",
            "post-no-makeup: window must end after it starts",
        ),
        ("depths.toml", "[[area]]\nkey = \"elbow\"\nenabled = false\n", "which is not a built-in one"),
    ];
    for (file, text, expected) in cases {
        let s = setup();
        write(&s, file, text);
        for args in [&["status"][..], &["log", "--depth", "0.5"], &["rules", "check"], &["rules", "show"]] {
            let out = run(&s, args);
            assert_eq!(out.code, 1, "{file} {args:?}: {}", out.stderr);
            assert!(out.stderr.contains(expected), "{file}: {}", out.stderr);
            assert_eq!(out.stderr.lines().count(), 1, "one line: {}", out.stderr);
            assert!(out.stdout.is_empty());
        }
        assert!(!s.db.exists(), "{file}: no database was made");
    }
}

#[test]
fn rules_show_says_where_each_value_comes_from() {
    let s = setup();
    write(&s, "protocols.toml", PROTOCOLS);
    write(&s, "checklists.toml", CHECKLISTS);
    write(&s, "depths.toml", DEPTHS);
    let shown = ok(&s, &["rules", "show"]).stdout;
    let shown = shown.replace(&s.config.display().to_string(), "CONFIG");
    insta::assert_snapshot!(shown);
    let as_json = json(&s, &["rules", "show", "--json"]);
    let scars = as_json["concerns"].as_array().unwrap().iter().find(|c| c["key"] == "scars").unwrap().clone();
    assert_eq!(scars["origin"]["line"], 2);
    assert_eq!(scars["origin"]["fields"], serde_json::json!(["sessions", "typical", "interval_weeks", "source"]));
    let rejuvenation = &as_json["concerns"][0];
    assert_eq!(rejuvenation["origin"], "built-in");
    assert_eq!(as_json["switched_off"][0]["subject"], "item/post-no-swimming");
    let checked = ok(&s, &["rules", "check"]).stdout;
    assert!(checked.contains("concern/hair-loss: adds it"), "{checked}");
    assert!(checked.contains("item/post-no-swimming: switches it off"), "{checked}");
    // `protocols` and the help say so too.
    assert!(ok(&s, &["protocols"]).stdout.contains("Your own rules are in use"));
}

#[test]
fn init_writes_private_starters_and_keeps_what_is_there() {
    let s = setup();
    let config = s.config.join("fresh");
    let out = common::needlelog().arg("--config").arg(&config).args(["rules", "init"]).output().unwrap();
    assert!(out.status.success());
    let said = String::from_utf8_lossy(&out.stdout);
    assert_eq!(said.matches("wrote ").count(), 3, "{said}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&config), 0o700);
        assert_eq!(mode(&config.join("protocols.toml")), 0o600);
    }
    std::fs::write(config.join("depths.toml"), "# mine\n").unwrap();
    let again = common::needlelog().arg("--config").arg(&config).args(["rules", "init"]).output().unwrap();
    let said = String::from_utf8_lossy(&again.stdout);
    assert_eq!(said.matches("kept ").count(), 3, "{said}");
    assert_eq!(std::fs::read_to_string(config.join("depths.toml")).unwrap(), "# mine\n");
    // The starters change nothing until uncommented.
    let check = common::needlelog().arg("--config").arg(&config).args(["rules", "check"]).output().unwrap();
    assert!(check.status.success(), "{}", String::from_utf8_lossy(&check.stderr));
}

#[test]
fn the_environment_names_the_folder() {
    let s = setup();
    write(&s, "protocols.toml", PROTOCOLS);
    let out = common::needlelog()
        .args(["protocols", "--json"])
        .env("NEEDLELOG_CONFIG", &s.config)
        .env_remove("NEEDLELOG_DB")
        .output()
        .unwrap();
    let value: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(value["concerns"].as_array().unwrap().iter().any(|c| c["key"] == "hair-loss"));
    assert_eq!(value["own_rules"].as_array().map(Vec::len), Some(1));
}
