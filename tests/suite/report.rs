//! The one-page course report through the real binary: what it holds, what it
//! refuses, that user text stays text, and — with Chromium — that it prints on one
//! page with its key facts.

use std::path::Path;
use std::process::Command;

use crate::common;
use common::{ok, run};

const NOW: &str = "2026-07-20 12:00";

fn temp_db() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("needlelog.db");
    (dir, db)
}

/// A client with a hostile name and a six-session acne-scar course: five done
/// (ratings 4 to 8, long notes), one planned, two care items ticked.
fn six_sessions(db: &Path) {
    let name = "<script>alert(1)</script> Ana";
    ok(db, &["person", "add", name, "--skin-type", "iv", "--now", "2026-03-01 09:00"]);
    ok(
        db,
        &[
            "course",
            "add",
            "--person",
            name,
            "--concern",
            "acne-scars",
            "--area",
            "cheeks,forehead",
            "--now",
            "2026-03-01 09:00",
        ],
    );
    let notes = "Tolerated well; pinpoint bleeding on the left cheek, settled within the hour. <b>Bold</b> | pipes & \"quotes\". \
                 Advised gentle cleanser, no actives for 72 h, sunscreen outdoors. Follow-up photos taken in the same light.";
    let sessions = [
        ("2026-03-01 10:00", "4", "1.0"),
        ("2026-04-02 10:00", "5", "1.25"),
        ("2026-05-05 10:00", "6", "1.25"),
        ("2026-06-08 10:00", "7", "1.5"),
        ("2026-07-10 10:00", "8", "1.5"),
    ];
    for (at, rating, depth) in sessions {
        let depth = format!("cheeks={depth},forehead=0.5");
        ok(
            db,
            &[
                "log",
                "--at",
                at,
                "--now",
                at,
                "--depth",
                &depth,
                "--passes",
                "4",
                "--serum",
                "HA serum",
                "--lot",
                "L-2291",
                "--numbing",
                "lidocaine 5%, 30 min",
                "--pain",
                "4",
                "--reaction",
                "mild",
                "--rating",
                rating,
                "--provider",
                "Clinic Rosa",
                "--notes",
                notes,
                "--screening",
                if rating == "6" { "cold-sore" } else { "none" },
            ],
        );
    }
    ok(db, &["check", "post-no-actives", "--now", "2026-07-10 12:00"]);
    ok(db, &["check", "post-hands-off", "--now", "2026-07-10 12:00"]);
    ok(db, &["plan", "--now", "2026-07-10 12:00"]);
    ok(
        db,
        &[
            "event",
            "add",
            "4",
            "--kind",
            "bruising",
            "--severity",
            "1",
            "--on",
            "2026-06-09",
            "--resolved",
            "2026-06-12",
            "--notes",
            "left cheek; cold pack",
        ],
    );
}

#[test]
fn the_markdown_and_the_page_at_a_fixed_time() {
    let (_dir, db) = temp_db();
    six_sessions(&db);
    let md = ok(&db, &["report", "--format", "md", "--now", NOW]);
    insta::assert_snapshot!("report_markdown", md);
    let html = ok(&db, &["report", "--now", NOW]);
    insta::assert_snapshot!("report_html", html);
}

#[test]
fn user_text_is_text_and_nothing_is_fetched() {
    let (_dir, db) = temp_db();
    six_sessions(&db);
    let html = ok(&db, &["report", "--now", NOW]);
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; Ana"), "the name shows as text");
    assert!(html.contains("&lt;b&gt;Bold&lt;/b&gt;"));
    let lower = html.to_lowercase();
    assert!(!lower.contains("<script"), "no script at all");
    for fetch in ["src=", "href=", "url(", "@import", "<link", "<img", "<iframe"] {
        assert!(!lower.contains(fetch), "the page refers to something outside it: {fetch}");
    }
    assert!(html.contains("default-src 'none'"), "and tells the browser so");
    assert!(html.contains("A logbook, not medical advice."));
}

#[test]
fn a_report_file_is_private_and_not_replaced_unasked() {
    use std::os::unix::fs::PermissionsExt;
    let (dir, db) = temp_db();
    six_sessions(&db);
    let out = dir.path().join("report.html");
    let out_arg = out.to_str().unwrap();
    let said = ok(&db, &["report", "-o", out_arg, "--now", NOW]);
    assert!(said.contains("Wrote the report of course 1"), "{said}");
    assert_eq!(std::fs::metadata(&out).unwrap().permissions().mode() & 0o777, 0o600);
    let again = run(&db, &["report", "-o", out_arg, "--now", NOW]);
    assert_eq!(again.code, 2, "{}", again.stderr);
    assert!(again.stderr.contains("add --force to replace it"), "{}", again.stderr);
    ok(&db, &["report", "-o", out_arg, "--force", "--format", "md", "--now", NOW]);
    assert!(std::fs::read_to_string(&out).unwrap().starts_with("# Microneedling course report"));
}

#[test]
fn which_course_when_none_is_named() {
    let (_dir, db) = temp_db();
    let none = run(&db, &["report"]);
    assert_eq!(none.code, 2);
    assert!(none.stderr.contains("no course yet"), "{}", none.stderr);
    six_sessions(&db);
    ok(&db, &["person", "add", "Bea", "--now", NOW]);
    ok(&db, &["course", "add", "--person", "Bea", "--concern", "rejuvenation", "--area", "neck", "--now", NOW]);
    let two = run(&db, &["report", "--now", NOW]);
    assert_eq!(two.code, 2);
    assert!(two.stderr.contains("pick one with --course ID or --person NAME"), "{}", two.stderr);
    assert!(two.stderr.contains("2 Bea ▸ General rejuvenation"), "{}", two.stderr);
    let bea = ok(&db, &["report", "--person", "Bea", "--format", "md", "--now", NOW]);
    assert!(bea.contains("General rejuvenation / texture (neck)") && bea.contains("No sessions logged yet."), "{bea}");
    let nobody = run(&db, &["report", "--person", "Zed"]);
    assert_eq!(nobody.code, 2, "a name nobody has is bad input: {}", nobody.stderr);
    assert!(nobody.stderr.contains("Zed"), "{}", nobody.stderr);
}

/// Chromium prints the page: one sheet, with the facts a reader looks for.
#[test]
fn the_page_prints_on_one_sheet_in_a_real_browser() {
    let browser = "chromium";
    if !common::have_tool(browser, "chromium") || !common::have_tool("pdfinfo", "poppler-utils") {
        return;
    }
    let (dir, db) = temp_db();
    six_sessions(&db);
    let html = dir.path().join("report.html");
    let pdf = dir.path().join("report.pdf");
    ok(&db, &["report", "-o", html.to_str().unwrap(), "--now", NOW]);
    let printed = Command::new("timeout")
        .arg("120")
        .arg(browser)
        .args(["--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer"])
        .arg(format!("--user-data-dir={}", dir.path().join("profile").display()))
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(format!("file://{}", html.display()))
        .output()
        .unwrap();
    assert!(pdf.exists(), "Chromium printed nothing: {}", String::from_utf8_lossy(&printed.stderr));
    let info = Command::new("pdfinfo").arg(&pdf).output().expect("pdfinfo (poppler-utils) runs");
    let info = String::from_utf8_lossy(&info.stdout);
    let pages = info.lines().find_map(|l| l.strip_prefix("Pages:")).map(str::trim);
    assert_eq!(pages, Some("1"), "{info}");
    let text = Command::new("pdftotext").arg(&pdf).arg("-").output().unwrap();
    // Cells wrap: words are compared, not lines.
    let text = String::from_utf8_lossy(&text.stdout).split_whitespace().collect::<Vec<_>>().join(" ");
    for fact in [
        "<script>alert(1)</script> Ana",
        "Acne scars",
        "5 of 6 done",
        "Final results",
        "L-2291",
        "Clinic Rosa",
        "Bruising 1/3",
        "A logbook, not medical advice.",
    ] {
        assert!(text.contains(fact), "the printed page lacks {fact:?}:\n{text}");
    }
}
