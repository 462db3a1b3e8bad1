//! The photo store from the command line: pictures copied in by content, private,
//! checked on the way in (every bad file refused whole), kept through exports,
//! imports, the trash and files from before the store; and `doctor` on the store.

use crate::common;

use std::path::{Path, PathBuf};

use common::{declaring, json, ok, run, with_exif, write_picture};

/// A fresh file with Ana's course on her cheeks and forehead, and a folder of pictures.
fn setup() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("data").join("needlelog.db");
    std::fs::create_dir_all(db.parent().unwrap()).unwrap();
    let pictures = dir.path().join("camera");
    std::fs::create_dir_all(&pictures).unwrap();
    let at = ["--now", "2026-11-01 09:00"];
    ok(&db, &[&["init", "--patient"][..], &at].concat());
    ok(&db, &[&["course", "add", "--concern", "acne-scars", "--area", "cheeks,forehead"][..], &at].concat());
    (dir, db, pictures)
}

fn log(db: &Path, at: &str, extra: &[&str]) -> common::Run {
    run(db, &[&["log", "--at", at, "--depth", "1.0", "--screening", "none", "--now", at][..], extra].concat())
}

fn store_files(db: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(db.parent().unwrap().join("photos")) else { return Vec::new() };
    let mut files: Vec<PathBuf> = entries.map(|e| e.unwrap().path()).filter(|p| p.is_file()).collect();
    files.sort();
    files
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[test]
fn a_logged_photo_is_copied_in_by_its_hash_privately_and_outlives_the_original() {
    let (_dir, db, pictures) = setup();
    let before = pictures.join("before.jpg");
    write_picture(&before, 64, 48, 10);
    let r = log(&db, "2026-11-02 10:00", &["--photo", &format!("cheeks={}", before.display())]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("Kept photo (#1) in"), "{}", r.stdout);
    let files = store_files(&db);
    assert_eq!(files.len(), 1);
    let bytes = std::fs::read(&before).unwrap();
    let hash = needlelog::photos::intake::hash_of(&bytes);
    assert_eq!(files[0].file_name().unwrap().to_string_lossy(), format!("{hash}.jpg"));
    assert_eq!(std::fs::read(&files[0]).unwrap(), bytes, "stored as it came");
    // Shown once, its smaller copies are cached beside it.
    let store = needlelog::photos::PhotoStore::beside(&db);
    needlelog::photos::thumbs::load(
        &store,
        &hash,
        needlelog::domain::PhotoFormat::Jpeg,
        needlelog::photos::thumbs::Size::Thumb,
    )
    .unwrap();
    #[cfg(unix)]
    {
        assert_eq!(mode(&files[0]), 0o600);
        assert_eq!(mode(files[0].parent().unwrap()), 0o700);
        let thumbs = files[0].parent().unwrap().join(".thumbs");
        assert_eq!(mode(&thumbs), 0o700);
        for t in std::fs::read_dir(&thumbs).unwrap() {
            assert_eq!(mode(&t.unwrap().path()), 0o600);
        }
    }
    // The user's own copy can go: the log keeps its picture.
    std::fs::remove_file(&before).unwrap();
    let listed = json(&db, &["--json", "photo", "list"]);
    assert_eq!(listed[0]["area"], "cheeks");
    assert_eq!(listed[0]["original_name"], "before.jpg");
    assert_eq!(listed[0]["missing"], false);
    assert_eq!(listed[0]["hash"], hash);

    // The same picture again, on the next session: stored once, two records.
    let copy = pictures.join("copy.jpg");
    std::fs::write(&copy, &bytes).unwrap();
    let r = log(&db, "2026-12-01 10:00", &["--photo", copy.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(store_files(&db).len(), 1);
    assert_eq!(json(&db, &["--json", "photo", "list"]).as_array().unwrap().len(), 2);
    // The same picture twice in one command: taken once.
    let r = log(
        &db,
        "2026-12-29 10:00",
        &["--photo", copy.to_str().unwrap(), "--photo", &format!("cheeks={}", copy.display())],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("Kept photo (#3)"), "{}", r.stdout);
    // And twice on one session: said, not added.
    let r = run(&db, &["photo", "add", "2", copy.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("already photo 2 of session #2"), "{}", r.stderr);
    assert!(!r.stdout.contains("Kept"), "{}", r.stdout);
}

#[test]
fn every_kind_of_bad_file_is_refused_by_name_and_nothing_is_stored() {
    let (_dir, db, pictures) = setup();
    let good = pictures.join("good.jpg");
    write_picture(&good, 64, 48, 0);
    let jpeg = std::fs::read(&good).unwrap();
    let heic = [&[0, 0, 0, 0x18][..], b"ftypheic", &[0; 16]].concat();
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("notes.txt", b"just some text\n".to_vec(), "not a JPEG, PNG or WebP"),
        ("empty.jpg", Vec::new(), "is empty"),
        ("cut.jpg", jpeg[..jpeg.len() / 2].to_vec(), "damaged or cut short"),
        ("IMG_0001.HEIC", heic, "convert it to JPEG"),
        ("scan.pdf", b"%PDF-1.7\n%...".to_vec(), "is a PDF"),
        ("bomb.jpg", declaring(&jpeg, 50_000, 50_000), "50000×50000"),
        ("anim.gif", b"GIF89a\x01\0\x01\0".to_vec(), "is a GIF"),
    ];
    for (name, bytes, says) in &cases {
        let path = pictures.join(name);
        std::fs::write(&path, bytes).unwrap();
        // As a session's photo: neither the session nor the picture is kept.
        let r = log(&db, "2026-11-02 10:00", &["--photo", path.to_str().unwrap()]);
        assert_eq!(r.code, 2, "{name}: {}", r.stderr);
        assert!(r.stderr.contains(name) && r.stderr.contains(says), "{name}: {}", r.stderr);
        assert_eq!(r.stderr.trim().lines().count(), 1, "{name}: one line: {}", r.stderr);
        // Beside a good one: all or nothing.
        let r = run(&db, &["photo", "add", "1", good.to_str().unwrap(), path.to_str().unwrap()]);
        assert!(r.code == 2 || r.stderr.contains("session 1 does not exist"), "{name}: {}", r.stderr);
    }
    let missing = run(&db, &["photo", "add", "1", "/no/such/photo.jpg"]);
    assert_ne!(missing.code, 0);
    assert!(json(&db, &["--json", "list"]).as_array().unwrap().is_empty(), "no session was logged");
    assert!(store_files(&db).is_empty(), "nothing was stored");
    // With a session there, the same all-or-nothing holds.
    assert_eq!(log(&db, "2026-11-02 10:00", &[]).code, 0);
    let bad = pictures.join("cut.jpg");
    let r = run(&db, &["photo", "add", "1", good.to_str().unwrap(), bad.to_str().unwrap()]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(store_files(&db).is_empty());
    assert!(json(&db, &["--json", "photo", "list"]).as_array().unwrap().is_empty());
}

#[test]
fn exif_orientation_turns_the_picture_upright_and_its_date_is_when_it_was_taken() {
    let (_dir, db, pictures) = setup();
    let plain = pictures.join("plain.jpg");
    write_picture(&plain, 80, 40, 0);
    let turned = pictures.join("turned.jpg");
    std::fs::write(&turned, with_exif(&std::fs::read(&plain).unwrap(), 6, Some("2026:11:02 10:15:30"))).unwrap();
    assert_eq!(log(&db, "2026-11-02 10:00", &["--photo", turned.to_str().unwrap()]).code, 0);
    let listed = json(&db, &["--json", "photo", "list"]);
    assert_eq!(listed[0]["taken"], "2026-11-02T10:15:30");
    let inspected = needlelog::photos::inspect(&turned).unwrap();
    assert_eq!((inspected.width, inspected.height), (40, 80), "turned a quarter");
    let store = needlelog::photos::PhotoStore::beside(&db);
    let hash = listed[0]["hash"].as_str().unwrap();
    for size in [needlelog::photos::thumbs::Size::View, needlelog::photos::thumbs::Size::Thumb] {
        let shown = needlelog::photos::thumbs::load(&store, hash, needlelog::domain::PhotoFormat::Jpeg, size).unwrap();
        assert!(shown.height() > shown.width(), "{size:?} is upright");
    }
}

#[test]
fn png_and_webp_are_kept_with_the_area_from_the_option() {
    let (_dir, db, pictures) = setup();
    assert_eq!(log(&db, "2026-11-02 10:00", &[]).code, 0);
    let (png, webp) = (pictures.join("a.png"), pictures.join("b.webp"));
    write_picture(&png, 30, 20, 1);
    write_picture(&webp, 30, 20, 2);
    let r = run(&db, &["photo", "add", "1", png.to_str().unwrap(), webp.to_str().unwrap(), "--area", "Forehead"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("Kept 2 photos (#1, #2)"), "{}", r.stdout);
    let listed = json(&db, &["--json", "photo", "list", "--course", "1"]);
    let formats: Vec<&str> = listed.as_array().unwrap().iter().map(|p| p["format"].as_str().unwrap()).collect();
    assert_eq!(formats, ["png", "webp"]);
    assert!(listed.as_array().unwrap().iter().all(|p| p["area"] == "forehead"));
    // A planned session's photo (the "before" taken at the booking) is said too.
    let r = run(&db, &["plan", "--now", "2026-11-03 09:00", "--photo", png.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("Kept photo (#3)"), "{}", r.stdout);
    let names: Vec<String> = store_files(&db).iter().map(|p| p.extension().unwrap().to_string_lossy().into()).collect();
    assert_eq!(names.len(), 2);
    assert!(names.contains(&"png".to_string()) && names.contains(&"webp".to_string()));
}

#[test]
fn removing_a_photo_asks_first_and_its_picture_goes_when_nothing_uses_it() {
    let (_dir, db, pictures) = setup();
    let p = pictures.join("p.jpg");
    write_picture(&p, 20, 20, 3);
    assert_eq!(log(&db, "2026-11-02 10:00", &["--photo", p.to_str().unwrap()]).code, 0);
    assert_eq!(log(&db, "2026-12-01 10:00", &["--photo", p.to_str().unwrap()]).code, 0);
    let r = run(&db, &["photo", "rm", "1"]);
    assert_eq!(r.code, 2, "no terminal to ask: {}", r.stderr);
    assert!(r.stderr.contains("--yes"));
    let r = run(&db, &["photo", "rm", "1", "--yes"]);
    assert!(r.stdout.contains("the picture stays"), "{}", r.stdout);
    assert_eq!(store_files(&db).len(), 1);
    let hash = json(&db, &["--json", "photo", "list"])[0]["hash"].as_str().unwrap().to_string();
    let store = needlelog::photos::PhotoStore::beside(&db);
    needlelog::photos::thumbs::load(
        &store,
        &hash,
        needlelog::domain::PhotoFormat::Jpeg,
        needlelog::photos::thumbs::Size::View,
    )
    .unwrap();
    let r = run(&db, &["photo", "rm", "2", "--yes"]);
    assert!(r.stdout.contains("and its picture"), "{}", r.stdout);
    assert!(store_files(&db).is_empty());
    assert!(!db.parent().unwrap().join("photos/.thumbs").read_dir().unwrap().any(|_| true), "thumbnails went too");
}

#[test]
fn a_deleted_session_keeps_its_pictures_in_the_trash_and_restore_brings_the_records_back() {
    let (_dir, db, pictures) = setup();
    let p = pictures.join("p.jpg");
    write_picture(&p, 20, 20, 4);
    assert_eq!(log(&db, "2026-11-02 10:00", &["--photo", &format!("cheeks={}", p.display())]).code, 0);
    // Voided, a done session keeps its pictures with it.
    ok(&db, &["rm", "1", "--yes"]);
    assert_eq!(json(&db, &["--json", "photo", "list"]).as_array().unwrap().len(), 1);
    ok(&db, &["trash", "restore", "1"]);
    // Cancelled, it goes to the trash whole.
    ok(&db, &["edit", "1", "--status", "cancelled"]);
    ok(&db, &["rm", "1", "--yes"]);
    assert!(json(&db, &["--json", "photo", "list"]).as_array().unwrap().is_empty());
    assert_eq!(store_files(&db).len(), 1, "the trash still refers to it");
    let doctor = ok(&db, &["doctor"]);
    assert!(doctor.contains("photos       0 kept in") && doctor.contains(": ok"), "{doctor}");
    let trash = json(&db, &["--json", "trash"]);
    let id = trash[0]["id"].as_i64().unwrap().to_string();
    ok(&db, &["trash", "restore", &id]);
    let listed = json(&db, &["--json", "photo", "list"]);
    assert_eq!(listed[0]["area"], "cheeks");
    assert_eq!(listed[0]["missing"], false);
}

#[test]
fn json_carries_the_records_and_an_import_without_the_pictures_marks_them_missing() {
    let (dir, db, pictures) = setup();
    let p = pictures.join("p.jpg");
    write_picture(&p, 20, 20, 5);
    assert_eq!(log(&db, "2026-11-02 10:00", &["--photo", &format!("cheeks={}", p.display())]).code, 0);
    let export = dir.path().join("out.json");
    ok(&db, &["export", "--format", "json", "-o", export.to_str().unwrap()]);
    let doc: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&export).unwrap()).unwrap();
    let photo = &doc["sessions"][0]["photos"][0];
    assert_eq!(photo["area"], "cheeks");
    assert_eq!(photo["original_name"], "p.jpg");
    assert_eq!(photo["hash"].as_str().unwrap().len(), 64);

    let elsewhere = dir.path().join("elsewhere");
    std::fs::create_dir_all(&elsewhere).unwrap();
    let other = elsewhere.join("n.db");
    ok(&other, &["import", export.to_str().unwrap()]);
    let listed = json(&other, &["--json", "photo", "list"]);
    assert_eq!(listed[0]["missing"], true);
    let r = run(&other, &["photo", "list"]);
    assert!(r.stdout.contains("missing from the store"), "{}", r.stdout);
    let doctor = run(&other, &["doctor"]);
    assert!(
        doctor.stdout.contains("photo 1:") && doctor.stdout.contains("is missing from the store"),
        "{}",
        doctor.stdout
    );
    // Exported again, the record is as it was.
    let again = dir.path().join("again.json");
    ok(&other, &["export", "--format", "json", "-o", again.to_str().unwrap()]);
    let doc2: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&again).unwrap()).unwrap();
    assert_eq!(doc2["sessions"][0]["photos"], doc["sessions"][0]["photos"]);

    // A record with a hash that is not one is refused whole.
    let bad = std::fs::read_to_string(&export).unwrap().replace(photo["hash"].as_str().unwrap(), "../../etc/passwd");
    let bad_path = dir.path().join("bad.json");
    std::fs::write(&bad_path, bad).unwrap();
    let third = elsewhere.join("third.db");
    let r = run(&third, &["import", bad_path.to_str().unwrap()]);
    assert_ne!(r.code, 0);
    assert!(r.stderr.contains("SHA-256"), "{}", r.stderr);
}

#[test]
fn photos_named_by_path_are_moved_into_the_store_and_the_missing_ones_are_reported() {
    let (dir, db, pictures) = setup();
    assert_eq!(log(&db, "2026-11-02 10:00", &[]).code, 0);
    let kept = pictures.join("kept.jpg");
    write_picture(&kept, 20, 20, 6);
    let gone = pictures.join("gone.jpg");
    // As a file from before the store held them: paths in the session's row.
    let paths = serde_json::json!([kept.to_str().unwrap(), gone.to_str().unwrap()]).to_string();
    rusqlite::Connection::open(&db).unwrap().execute("UPDATE sessions SET photos = ?1 WHERE id = 1", [paths]).unwrap();
    let r = run(&db, &["status"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("moved 1 photo named by path"), "{}", r.stderr);
    assert!(r.stderr.contains("1 could not be moved"), "{}", r.stderr);
    let listed = json(&db, &["--json", "photo", "list"]);
    assert_eq!(listed.as_array().unwrap().len(), 1);
    assert_eq!(listed[0]["original_name"], "kept.jpg");
    let doctor = ok(&db, &["doctor"]);
    assert!(doctor.contains("gone.jpg from before the photo store"), "{doctor}");
    // Once moved, quiet.
    assert!(!run(&db, &["status"]).stderr.contains("moved"));

    // An export from before the store lists paths: never read by themselves (an
    // export may come from anyone), but listed for the user to add.
    let old = serde_json::json!({"format": "needlelog", "version": 1});
    let mut doc: serde_json::Value = serde_json::from_str(&ok(&db, &["export", "--format", "json"])).unwrap();
    doc["sessions"][0]["photos"] = serde_json::json!([kept.to_str().unwrap()]);
    assert_eq!(doc["format"], old["format"]);
    let file = dir.path().join("old.json");
    std::fs::write(&file, doc.to_string()).unwrap();
    let fresh_dir = dir.path().join("fresh");
    std::fs::create_dir_all(&fresh_dir).unwrap();
    let fresh = fresh_dir.join("n.db");
    let r = run(&fresh, &["import", file.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("1 photo named by path in the export was not read: add it with"), "{}", r.stderr);
    assert!(!run(&fresh, &["status"]).stderr.contains("moved"));
    assert_eq!(json(&fresh, &["--json", "photo", "list"]).as_array().unwrap().len(), 0);
    assert!(!fresh_dir.join("photos").exists(), "nothing was read into the store");
    let doctor = ok(&fresh, &["doctor"]);
    assert!(doctor.contains("kept.jpg from before the photo store"), "{doctor}");
    ok(&fresh, &["photo", "add", "1", kept.to_str().unwrap()]);
    let listed = json(&fresh, &["--json", "photo", "list"]);
    assert_eq!(listed.as_array().unwrap().len(), 1, "{listed}");
    assert_eq!(listed[0]["missing"], false);
}

#[test]
fn doctor_finds_pictures_nothing_uses_and_pictures_that_changed() {
    let (_dir, db, pictures) = setup();
    let p = pictures.join("p.jpg");
    write_picture(&p, 20, 20, 7);
    assert_eq!(log(&db, "2026-11-02 10:00", &["--photo", p.to_str().unwrap()]).code, 0);
    let store = db.parent().unwrap().join("photos");
    let stray = store.join(format!("{}.jpg", "ab".repeat(32)));
    std::fs::write(&stray, b"x").unwrap();
    let r = run(&db, &["doctor"]);
    assert!(r.stdout.contains("1 picture(s) nothing refers to"), "{}", r.stdout);
    assert_eq!(r.code, 1, "the stray file's content does not match its name either");
    std::fs::remove_file(&stray).unwrap();
    let orphan = pictures.join("orphan.jpg");
    write_picture(&orphan, 10, 10, 8);
    let hash = needlelog::photos::intake::hash_of(&std::fs::read(&orphan).unwrap());
    std::fs::copy(&orphan, store.join(format!("{hash}.jpg"))).unwrap();
    let r = run(&db, &["doctor", "--fix"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("removed 1 picture(s)"), "{}", r.stdout);
    assert_eq!(store_files(&db).len(), 1);
    // A picture changed on disk is a damaged one.
    std::fs::write(&store_files(&db)[0], b"changed").unwrap();
    let r = run(&db, &["doctor"]);
    assert_eq!(r.code, 1);
    assert!(r.stdout.contains("no longer matches its name"), "{}", r.stdout);
}

#[test]
fn a_merge_brings_new_photo_records_and_a_salvage_keeps_them() {
    let (dir, db, pictures) = setup();
    let (a, b) = (pictures.join("a.jpg"), pictures.join("b.jpg"));
    write_picture(&a, 20, 20, 9);
    write_picture(&b, 20, 20, 10);
    assert_eq!(log(&db, "2026-11-02 10:00", &["--photo", a.to_str().unwrap()]).code, 0);
    let first = dir.path().join("first.json");
    ok(&db, &["export", "--format", "json", "-o", first.to_str().unwrap()]);
    let copy = db.parent().unwrap().join("copy.db");
    ok(&copy, &["import", first.to_str().unwrap()]);
    // A second photo on the same session, merged into the copy: only it comes.
    ok(&db, &["photo", "add", "1", b.to_str().unwrap(), "--area", "cheeks"]);
    let second = dir.path().join("second.json");
    ok(&db, &["export", "--format", "json", "-o", second.to_str().unwrap()]);
    ok(&copy, &["import", "--merge", second.to_str().unwrap()]);
    let listed = json(&copy, &["--json", "photo", "list"]);
    assert_eq!(listed.as_array().unwrap().len(), 2, "{listed}");
    assert!(listed.as_array().unwrap().iter().all(|p| p["missing"] == false), "same folder, same store");
    ok(&copy, &["import", "--merge", second.to_str().unwrap()]);
    assert_eq!(json(&copy, &["--json", "photo", "list"]).as_array().unwrap().len(), 2, "merging again adds nothing");

    let saved = db.parent().unwrap().join("salvaged.db");
    ok(&db, &["doctor", "--salvage", saved.to_str().unwrap()]);
    let listed = json(&saved, &["--json", "photo", "list"]);
    assert_eq!(listed.as_array().unwrap().len(), 2, "{listed}");
}

#[test]
fn backups_keep_the_pictures_and_a_restore_brings_them_back() {
    let (dir, db, pictures) = setup();
    let p = pictures.join("p.jpg");
    write_picture(&p, 20, 20, 11);
    assert_eq!(log(&db, "2026-11-02 10:00", &["--photo", p.to_str().unwrap()]).code, 0);
    let name = store_files(&db)[0].file_name().unwrap().to_owned();
    // The next day's first write makes the day's copy, and its pictures come along.
    assert_eq!(log(&db, "2026-11-03 10:00", &[]).code, 0);
    let pool = db.parent().unwrap().join("backups").join("photos");
    assert!(pool.join(&name).is_file(), "the backups keep the picture");
    #[cfg(unix)]
    assert_eq!(mode(&pool), 0o700);

    // A copy elsewhere carries its pictures beside it.
    let away = dir.path().join("away");
    std::fs::create_dir_all(&away).unwrap();
    let copy = away.join("copy.db");
    ok(&db, &["backup", "-o", copy.to_str().unwrap()]);
    let kept = away.join("photos").join(&name);
    assert!(kept.is_file());
    #[cfg(unix)]
    assert_eq!(mode(&kept), 0o600);
    assert_eq!(json(&copy, &["--json", "photo", "list"])[0]["missing"], false);

    // The store is lost; restoring the copy brings the picture back.
    std::fs::remove_dir_all(db.parent().unwrap().join("photos")).unwrap();
    assert_eq!(json(&db, &["--json", "photo", "list"])[0]["missing"], true);
    let r = run(&db, &["restore", copy.to_str().unwrap(), "--yes"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("Brought back 1 picture(s)"), "{}", r.stdout);
    assert_eq!(json(&db, &["--json", "photo", "list"])[0]["missing"], false);
}

#[test]
fn a_picture_leaves_the_backups_when_no_kept_copy_refers_to_it() {
    let (_dir, db, pictures) = setup();
    let p = pictures.join("p.jpg");
    write_picture(&p, 20, 20, 12);
    assert_eq!(log(&db, "2026-11-02 10:00", &["--photo", p.to_str().unwrap()]).code, 0);
    ok(&db, &["photo", "rm", "1", "--yes", "--now", "2026-11-03 09:00"]);
    let pool = db.parent().unwrap().join("backups").join("photos");
    let start = chrono::NaiveDate::from_ymd_opt(2026, 11, 4).unwrap();
    let mut seen_in_pool = false;
    for day in 0..60 {
        let now = format!("{} 09:00", start + chrono::Days::new(day));
        ok(&db, &["person", "add", &format!("Client {day}"), "--now", &now]);
        seen_in_pool |= std::fs::read_dir(&pool).map(|d| d.count() > 0).unwrap_or(false);
    }
    assert!(seen_in_pool, "kept while a copy referred to it");
    assert_eq!(std::fs::read_dir(&pool).unwrap().count(), 0, "gone once every such copy was rotated out");
}

#[test]
fn a_photo_of_results_day_belongs_to_the_course_and_travels_with_it() {
    let (dir, db, pictures) = setup();
    let p = pictures.join("p.jpg");
    write_picture(&p, 20, 20, 7);
    assert_eq!(log(&db, "2026-11-02 10:00", &["--photo", &format!("cheeks={}", p.display())]).code, 0);
    let results = pictures.join("results.jpg");
    write_picture(&results, 24, 20, 90);
    let r = run(&db, &["photo", "add", "--course", "1", &format!("cheeks={}", results.display())]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("Kept photo (#2)"), "{}", r.stdout);
    let listed = json(&db, &["--json", "photo", "list", "--course", "1"]);
    assert_eq!((listed[1]["session"].as_i64(), listed[1]["course"].as_i64()), (None, Some(1)), "{listed}");
    let table = ok(&db, &["photo", "list"]);
    assert!(table.lines().any(|l| l.starts_with("2 ") && l.contains(" – ")), "no session: {table}");
    // Neither a session nor a course: said, nothing kept.
    let r = run(&db, &["photo", "add", "soon", results.to_str().unwrap()]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("\"soon\" is not a session's id"), "{}", r.stderr);
    let r = run(&db, &["photo", "add", "--course", "9", results.to_str().unwrap()]);
    assert_ne!(r.code, 0, "{}", r.stdout);

    // The export carries it with its course; an import and a merge keep it there.
    let export = dir.path().join("out.json");
    ok(&db, &["export", "--format", "json", "-o", export.to_str().unwrap()]);
    let doc: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&export).unwrap()).unwrap();
    assert_eq!(doc["courses"][0]["photos"][0]["original_name"], "results.jpg");
    assert_eq!(doc["sessions"][0]["photos"].as_array().unwrap().len(), 1);
    let other = dir.path().join("other.db");
    ok(&other, &["import", export.to_str().unwrap()]);
    let again: serde_json::Value = serde_json::from_str(&ok(&other, &["export", "--format", "json"])).unwrap();
    assert_eq!(again["courses"][0]["photos"], doc["courses"][0]["photos"]);
    let merged = dir.path().join("merged.db");
    ok(&merged, &["import", "--merge", export.to_str().unwrap()]);
    ok(&merged, &["import", "--merge", export.to_str().unwrap()]);
    assert_eq!(json(&merged, &["--json", "photo", "list"]).as_array().unwrap().len(), 2, "merged once");
    // A salvage keeps it too.
    let saved = dir.path().join("salvaged.db");
    ok(&db, &["doctor", "--salvage", saved.to_str().unwrap()]);
    let listed = json(&saved, &["--json", "photo", "list"]);
    assert!(listed.as_array().unwrap().iter().any(|p| p["session"].is_null() && p["course"] == 1), "{listed}");
    // Removed, it says whose it was.
    let r = ok(&db, &["photo", "rm", "2", "--yes"]);
    assert!(r.contains("course 1"), "{r}");
}
