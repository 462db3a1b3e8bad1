//! The SQLite store on real temp files: creation, migration, refusal of files that
//! are not ours, and round trips of every record.

use crate::common::{Place, on_both};
use needlelog::store::prelude::*;
use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use chrono::{NaiveDate, TimeZone, Utc};
use needlelog::domain::CarePhase;
use needlelog::domain::{
    AreaDepth, Course, CourseStatus, CustomItem, DayRange, Device, MonthRange, Reaction, Session, SessionStatus,
};
use needlelog::store::{CourseFilter, MIGRATIONS, SessionFilter, Settle, Store, StoreError, current_version};

fn course(person_id: i64) -> Course {
    Course {
        id: 0,
        person_id,
        concern: "acne-scars".into(),
        areas: vec!["cheeks".into(), "forehead".into()],
        sessions_target: 6,
        interval: DayRange { min: 28, max: 42 },
        maintenance: MonthRange { min: 3, max: 6 },
        device: Device::Pen,
        status: CourseStatus::Active,
        started_on: NaiveDate::from_ymd_opt(2026, 9, 1).unwrap(),
        notes: "left side worse".into(),
        final_rating: None,
        place: "Clinic Lumen, 4 Rue Haute".into(),
        void: None,
        revision: 0,
    }
}

fn full_session(course_id: i64) -> Session {
    let mut s = Session::new(
        course_id,
        Utc.with_ymd_and_hms(2026, 9, 1, 14, 0, 0).unwrap(),
        7200,
        SessionStatus::Done,
        Device::Pen,
    );
    s.depths = Some(vec![AreaDepth { area: "cheeks".into(), mm: 1.0 }, AreaDepth { area: "forehead".into(), mm: 0.5 }]);
    s.passes = Some(4);
    s.serum = Some("hyaluronic acid".into());
    s.lot = Some("HA-221".into());
    s.numbing = Some("lidocaine 20 min".into());
    s.pain = Some(3);
    s.reaction = Some(Reaction::Mild);
    s.rating = Some(7);
    s.provider = Some("Clinic Nord".into());
    s.notes = "fine, \"pinpoint\" bleeding".into();
    s
}

fn assert_untouched(path: &Path, before: &[u8], err: StoreError, wanted: &str) {
    let message = err.to_string();
    assert!(message.contains(wanted), "{message}");
    assert!(message.contains(&path.display().to_string()), "names the file: {message}");
    assert!(!message.contains('\n'), "one line: {message}");
    assert_eq!(fs::read(path).unwrap(), before, "the file is left byte-for-byte untouched");
}

#[test]
fn a_fresh_file_is_private_and_has_me() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("deep/er/needlelog.db");
    let store = Store::open_default(&path).unwrap();
    let people = store.people(false).unwrap();
    assert_eq!(people.len(), 1);
    assert_eq!(people[0].name, "Me");
    assert_eq!(store.schema_version().unwrap(), current_version());
    assert_eq!(fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
    assert_eq!(fs::metadata(path.parent().unwrap()).unwrap().permissions().mode() & 0o777, 0o700);
    drop(store);
    // Opening again changes nothing and adds no second "Me".
    assert_eq!(Store::open(&path).unwrap().people(false).unwrap().len(), 1);
}

on_both! {
    fn every_field_of_a_session_survives_a_round_trip(place: &Place) {
        let mut store = place.open("n.db");
        let course_id = store.add_course(&course(1)).unwrap();
        let mut session = full_session(course_id);
        session.id = store.add_session(&session).unwrap();
        assert_eq!(store.session(session.id).unwrap(), session);

        let before = session.clone();
        session.depths.as_mut().unwrap().truncate(1);
        session.reaction = None;
        session.at = Utc.with_ymd_and_hms(2026, 9, 2, 9, 0, 0).unwrap();
        store.save_session_edit(&before, &session, &Settle::default()).unwrap();
        session.revision += 1;
        assert_eq!(store.session(session.id).unwrap(), session, "every change counts a revision");

        let stored = store.course(course_id).unwrap();
        assert_eq!(stored, Course { id: course_id, ..course(1) });
    }
}

on_both! {
    fn a_removed_session_comes_back_from_the_trash_whole(place: &Place) {
        let path = "n.db";
        let mut store = place.open(path);
        let course_id = store.add_course(&course(1)).unwrap();
        let planned = Session { status: SessionStatus::Planned, ..full_session(course_id) };
        let id = store.add_session(&planned).unwrap();
        let now = Utc.with_ymd_and_hms(2026, 9, 1, 15, 0, 0).unwrap();
        store.set_tick(id, "post-no-swimming", true, now).unwrap();
        let before = store.session(id).unwrap();
        let item = store.remove_session(id, "", now).unwrap();
        assert_eq!((item.kind.as_str(), item.record_id, item.course_id, item.at), ("session", id, course_id, before.at));
        assert!(matches!(store.session(id), Err(StoreError::NotFound { .. })));
        assert!(store.ticks_of(&[id]).unwrap().is_empty(), "ticks go with their session");
        assert!(store.sessions_of(&[course_id]).unwrap().is_empty(), "the trash counts nowhere");
        assert_eq!(store.trash().unwrap(), std::slice::from_ref(&item));
        // Another handle (a restart) finds it there.
        drop(store);
        let mut store = place.open(path);
        store.restore_from_trash(item.id).unwrap();
        assert_eq!(store.session(id).unwrap(), before, "every field, depths included");
        assert_eq!(store.ticks_of(&[id]).unwrap().len(), 1);
        assert!(store.trash().unwrap().is_empty());
        // Emptying by age.
        store.remove_session(id, "", now).unwrap();
        assert_eq!(store.empty_trash(Some(now - chrono::Duration::days(1)), false).unwrap(), 0, "newer than that");
        assert_eq!(store.empty_trash(Some(now + chrono::Duration::days(1)), false).unwrap(), 1);
    }
}

on_both! {
    /// A done session with an infection is voided, never erased: it stays with its
    /// event, counts nowhere, the trail says who did it and why, no purge of the
    /// trash takes it on a practitioner's file, and `trash restore` brings it back.
    fn a_done_session_is_voided_with_its_event_and_comes_back(place: &Place) {
        use needlelog::domain::{AdverseEvent, FileKind};
        let mut store = place.open("n.db");
        store.set_file_kind(FileKind::Practitioner).unwrap();
        store.set_practitioner("Dr Ines Lee").unwrap();
        let person = store.add_person("Ana", None, "").unwrap();
        let course_id = store.add_course(&course(person)).unwrap();
        let id = store.add_session(&full_session(course_id)).unwrap();
        let now = Utc.with_ymd_and_hms(2026, 9, 3, 9, 0, 0).unwrap();
        store.set_clock(now);
        let event = AdverseEvent {
            id: 0,
            session_id: id,
            kind: "infection".into(),
            noticed_on: NaiveDate::from_ymd_opt(2026, 9, 2).unwrap(),
            severity: 2,
            notes: "pus".into(),
            resolved_on: None,
            void: None,
        };
        let event_id = store.add_event(&event, now.date_naive()).unwrap();
        assert_eq!(store.course(course_id).unwrap().id, course_id);
        let standing = |store: &Store| store.courses_standing(CourseFilter::default()).unwrap()[0].1.done;
        assert_eq!(standing(&store), 1);

        let item = store.remove_session(id, "logged for the wrong client", now).unwrap();
        assert_eq!(item.kind, "void");
        let voided = store.session(id).unwrap();
        assert_eq!(voided.status, SessionStatus::Voided);
        let void = voided.void.clone().unwrap();
        assert_eq!((void.by.as_str(), void.reason.as_str()), ("Dr Ines Lee", "logged for the wrong client"));
        assert_eq!(standing(&store), 0, "a voided session counts nowhere");
        assert!(store.sessions(SessionFilter::default()).unwrap().is_empty(), "lists leave it out");
        assert_eq!(store.sessions(SessionFilter { with_voided: true, ..Default::default() }).unwrap().len(), 1);
        assert_eq!(store.events(false).unwrap()[0].id, event_id, "its event stays with it");
        assert!(store.lots().unwrap().is_empty(), "its lot counts nowhere either");
        // Nothing purges it here: not the trash's age, not emptying it by hand.
        assert_eq!(store.empty_trash(None, false).unwrap(), 0);
        assert_eq!(store.trash_counts().unwrap(), (0, 1));
        let trail = store.trail(needlelog::store::TrailFilter { session_id: Some(id), ..Default::default() }).unwrap();
        let void_row = trail.iter().find(|e| e.field == "voided").unwrap();
        assert_eq!((void_row.by.as_str(), void_row.new.as_str()), ("Dr Ines Lee", "logged for the wrong client"));
        assert!(trail.iter().any(|e| e.kind == "event" && e.field == "recorded"), "{trail:?}");
        // Edits wait until it is back.
        let edited = Session { notes: "changed".into(), ..voided.clone() };
        assert!(matches!(store.save_session_edit(&voided, &edited, &Settle::default()), Err(StoreError::Invalid(_))));

        store.restore_from_trash(item.id).unwrap();
        let back = store.session(id).unwrap();
        assert_eq!((back.status, back.void), (SessionStatus::Done, None));
        assert_eq!(standing(&store), 1);
        assert!(store.trail(Default::default()).unwrap().iter().any(|e| e.field == "restored" && e.record_id == id));
    }
}

on_both! {
    /// Events follow a done session, from its day up to today; they can be
    /// corrected (each change in the trail) and voided, never deleted.
    fn events_are_checked_corrected_and_voided(place: &Place) {
        use needlelog::domain::AdverseEvent;
        let mut store = place.open("n.db");
        let course_id = store.add_course(&course(1)).unwrap();
        let done = store.add_session(&full_session(course_id)).unwrap();
        let planned = store.add_session(&Session { status: SessionStatus::Planned, ..full_session(course_id) }).unwrap();
        let today = NaiveDate::from_ymd_opt(2026, 9, 10).unwrap();
        let day = |d| NaiveDate::from_ymd_opt(2026, 9, d).unwrap();
        let event = |session_id, noticed_on| AdverseEvent {
            id: 0,
            session_id,
            kind: "bruising".into(),
            noticed_on,
            severity: 1,
            notes: String::new(),
            resolved_on: None,
            void: None,
        };
        let refused = |store: &mut Store, e: AdverseEvent| match store.add_event(&e, today) {
            Err(StoreError::Invalid(message)) => message,
            other => panic!("{other:?}"),
        };
        assert!(refused(&mut store, event(planned, day(2))).contains("was done"));
        assert!(refused(&mut store, event(done, day(1) - chrono::Days::new(400))).contains("before session"));
        assert!(refused(&mut store, event(done, day(11))).contains("after today"));
        let id = store.add_event(&event(done, day(2)), today).unwrap();
        let corrected = AdverseEvent { id, severity: 2, notes: "wider than it looked".into(), ..event(done, day(3)) };
        store.edit_event(&corrected, today).unwrap();
        let stored = store.event(id).unwrap();
        assert_eq!((stored.severity, stored.noticed_on), (2, day(3)));
        let fields: Vec<String> =
            store.trail(Default::default()).unwrap().into_iter().filter(|e| e.kind == "event").map(|e| e.field).collect();
        assert_eq!(fields, ["recorded", "noticed", "severity", "notes"]);
        store.void_event(id, "it was the next client's").unwrap();
        assert!(store.event(id).unwrap().void.is_some());
        assert!(store.events(true).unwrap().is_empty(), "a voided event is not open");
        assert!(matches!(store.edit_event(&corrected, today), Err(StoreError::Invalid(_))));
        assert!(matches!(store.void_event(id, "again"), Err(StoreError::Invalid(_))));
    }
}

on_both! {
    fn ticks_and_custom_items_are_kept_per_session_and_course(place: &Place) {
        let mut store = place.open("n.db");
        let course_id = store.add_course(&course(1)).unwrap();
        let id = store.add_session(&full_session(course_id)).unwrap();
        let now = Utc.with_ymd_and_hms(2026, 9, 1, 15, 0, 0).unwrap();
        store.set_tick(id, "post-hands-off", true, now).unwrap();
        store.set_tick(id, "post-hands-off", true, now).unwrap();
        assert_eq!(store.ticks_of(&[id]).unwrap().len(), 1, "ticking twice keeps one tick");
        store.set_tick(id, "post-hands-off", false, now).unwrap();
        assert!(store.ticks_of(&[id]).unwrap().is_empty());
        assert!(matches!(store.set_tick(999, "x", true, now), Err(StoreError::NotFound { .. })));

        let item =
            CustomItem { id: 0, course_id, phase: CarePhase::Post, text: "Ice pack".into(), from_hours: 0, to_hours: 12 };
        let item_id = store.add_custom_item(&item).unwrap();
        assert_eq!(store.custom_items(course_id).unwrap(), vec![CustomItem { id: item_id, ..item }]);
        store.remove_custom_item(item_id).unwrap();
        assert!(store.custom_items(course_id).unwrap().is_empty());
    }
}

on_both! {
    /// Own items and ticks asked for by the thousand (what lists of running courses
    /// ask) are read in other ways than for a few: both ways say the same.
    fn own_items_and_ticks_of_many_courses_are_those_of_each(place: &Place) {
        let mut store = place.open("n.db");
        let now = Utc.with_ymd_and_hms(2026, 9, 1, 15, 0, 0).unwrap();
        let mut courses = Vec::new();
        let mut sessions = Vec::new();
        for i in 0..150i64 {
            let course_id = store.add_course(&course(1)).unwrap();
            courses.push(course_id);
            let session = store.add_session(&full_session(course_id)).unwrap();
            sessions.push(session);
            if i % 7 == 0 {
                let text = format!("Own item {i}");
                let item = CustomItem { id: 0, course_id, phase: CarePhase::Post, text, from_hours: 0, to_hours: 12 };
                store.add_custom_item(&item).unwrap();
            }
            if i % 5 == 0 {
                store.set_tick(session, "post-hands-off", true, now).unwrap();
            }
        }
        let one_by_one: Vec<CustomItem> = courses.iter().flat_map(|&c| store.custom_items(c).unwrap()).collect();
        assert_eq!(one_by_one.len(), 22);
        assert_eq!(store.custom_items_of(&courses).unwrap(), one_by_one);
        assert_eq!(store.custom_items_of(&courses[..10]).unwrap(), one_by_one[..2]);
        let first_hundred: Vec<CustomItem> =
            one_by_one.iter().filter(|i| courses[..100].contains(&i.course_id)).cloned().collect();
        assert_eq!(first_hundred.len(), 15);
        assert_eq!(store.custom_items_of(&courses[..100]).unwrap(), first_hundred);
        let mut ticked = Vec::new();
        store.each_tick(&sessions, &mut |session, item: &str| ticked.push((session, item.to_string()))).unwrap();
        ticked.sort();
        let each: Vec<(i64, String)> =
            sessions.iter().flat_map(|&s| store.ticks_of(&[s]).unwrap()).map(|t| (t.session_id, t.item_id)).collect();
        assert_eq!(ticked, each);
        assert_eq!(ticked.len(), 30);
    }
}

on_both! {
    /// People asked for by the thousand are read in another way than a few: both
    /// give each one asked for once, and nobody else.
    fn people_asked_for_by_the_thousand_are_those_asked_for(place: &Place) {
        let mut store = place.open("n.db");
        let ids: Vec<i64> = (0..700).map(|i| store.add_person(&format!("Client {i}"), None, "").unwrap()).collect();
        let one_by_one = |wanted: &[i64]| -> Vec<(i64, String)> {
            let mut people: Vec<(i64, String)> =
                wanted.iter().map(|&id| store.person(id).unwrap()).map(|p| (p.id, p.name)).collect();
            people.sort();
            people.dedup();
            people
        };
        let read = |wanted: &[i64]| -> Vec<(i64, String)> {
            let mut people: Vec<(i64, String)> =
                store.people_by_ids(wanted).unwrap().into_iter().map(|p| (p.id, p.name)).collect();
            people.sort();
            people
        };
        // Every third person, backwards, some twice, with ids nobody has.
        let mut many: Vec<i64> = ids.iter().rev().step_by(3).copied().collect();
        many.extend_from_slice(&ids[..40]);
        assert!(many.len() > 256);
        let found = one_by_one(&many);
        many.extend([-1, 0, 999_999]);
        assert_eq!(read(&many), found);
        assert_eq!(found.len(), 260);
        let few = &ids[100..110];
        assert_eq!(read(few), one_by_one(few));
        assert_eq!(read(&[]), Vec::new());
    }
}

on_both! {
    fn namesakes_are_told_apart_by_id_or_date_of_birth(place: &Place) {
        let mut store = place.open("n.db");
        let first = store.add_person("Ana Ruiz", None, "").unwrap();
        assert_eq!(store.person_by_name("ANA RUIZ").unwrap().id, first, "a name alone, any case");
        let second = store.add_person("ana ruiz", None, "").unwrap();
        assert!(store.add_person("   ", None, "").is_err());
        let err = store.person_by_name("Ana Ruiz").unwrap_err().to_string();
        let expected = format!("2 people are called \"Ana Ruiz\": Ana Ruiz (#{first}), ana ruiz (#{second})");
        assert!(err.starts_with(&expected), "{err}");
        assert_eq!(store.person_by_name(&format!("#{second}")).unwrap().id, second);
        let mut ana = store.person(second).unwrap();
        ana.born_on = NaiveDate::from_ymd_opt(1984, 3, 2);
        ana.contact = "+34 600 000 000".into();
        store.update_person(&ana).unwrap();
        assert_eq!(store.person_by_name("Ana Ruiz (1984-03-02)").unwrap().id, second);
        assert_eq!(store.person_by_name("ana ruiz 1984-03-02").unwrap().contact, "+34 600 000 000");
    }
}

#[test]
fn an_older_file_is_backed_up_then_migrated() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("needlelog.db");
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(MIGRATIONS[0]).unwrap();
        conn.pragma_update(None, "application_id", needlelog::store::APPLICATION_ID).unwrap();
        conn.pragma_update(None, "user_version", 1).unwrap();
        conn.execute("INSERT INTO people (name) VALUES ('Old friend')", []).unwrap();
        // A course with its person and sessions, and an old orphan depth (doctor's
        // business): the steps that rebuild tables keep the one and pass the other.
        conn.execute_batch(
            "PRAGMA foreign_keys = OFF; \
             INSERT INTO courses (person_id, concern, areas, sessions_target, interval_min_days, interval_max_days, \
             maintenance_min_months, maintenance_max_months, device, status, started_on) \
             VALUES (2, 'scars', 'cheeks', 4, 28, 42, 3, 6, 'pen', 'active', '2026-01-01'); \
             INSERT INTO sessions (course_id, at_utc, utc_offset, status, device) VALUES (1, '2026-01-05T10:00:00Z', 0, 'done', 'pen'); \
             INSERT INTO session_depths (session_id, area, depth_mm) VALUES (1, 'cheeks', 0.5), (99, 'cheeks', 0.5);",
        )
        .unwrap();
    }
    let mut store = Store::open(&path).unwrap();
    // The copy is the file as it was (taken through SQLite's online backup: the
    // same rows and schema, its header's counters its own).
    let copy = rusqlite::Connection::open(dir.path().join("needlelog.db.bak-v1")).unwrap();
    let version: i64 = copy.pragma_query_value(None, "user_version", |r| r.get(0)).unwrap();
    assert_eq!(version, 1);
    let names: Vec<String> = copy
        .prepare("SELECT name FROM people ORDER BY id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert!(names.contains(&"Old friend".to_string()), "{names:?}");
    let depths: i64 = copy.query_row("SELECT count(*) FROM session_depths", [], |r| r.get(0)).unwrap();
    assert_eq!(depths, 2, "the orphan depth too: the copy is the file as it was");
    assert_eq!(store.schema_version().unwrap(), current_version());
    assert_eq!(store.people(false).unwrap().len(), 2, "data kept");
    assert_eq!(store.course(1).unwrap().person_id, 2, "the course still points at its person");
    let course_id = store.add_course(&course(1)).unwrap();
    assert!(store.custom_items(course_id).unwrap().is_empty(), "v2 tables exist");
    drop(store);
    // Migrating is done once: a second open makes no new backup.
    fs::remove_file(dir.path().join("needlelog.db.bak-v1")).unwrap();
    Store::open(&path).unwrap();
    assert!(!dir.path().join("needlelog.db.bak-v1").exists());
}

#[test]
fn files_that_are_not_ours_are_refused_and_untouched() {
    let dir = tempfile::tempdir().unwrap();

    let random = dir.path().join("random.db");
    let bytes: Vec<u8> = (0..4096u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
    fs::write(&random, &bytes).unwrap();
    assert_untouched(&random, &bytes, Store::open(&random).unwrap_err(), "not a SQLite database");

    let empty = dir.path().join("empty.db");
    fs::write(&empty, b"").unwrap();
    assert_untouched(&empty, b"", Store::open(&empty).unwrap_err(), "the file is empty");

    let foreign = dir.path().join("other.db");
    rusqlite::Connection::open(&foreign).unwrap().execute_batch("CREATE TABLE songs (title TEXT);").unwrap();
    let before = fs::read(&foreign).unwrap();
    assert_untouched(&foreign, &before, Store::open(&foreign).unwrap_err(), "another program");

    let newer = dir.path().join("newer.db");
    drop(Store::open(&newer).unwrap());
    rusqlite::Connection::open(&newer).unwrap().pragma_update(None, "user_version", 99).unwrap();
    let before = fs::read(&newer).unwrap();
    let err = Store::open(&newer).unwrap_err();
    assert_untouched(&newer, &before, err, "written by a newer needlelog (schema v99");
}

#[test]
fn a_truncated_file_reports_damage_without_writing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("n.db");
    {
        let mut store = Store::open(&path).unwrap();
        let course_id = store.add_course(&course(1)).unwrap();
        for _ in 0..200 {
            store.add_session(&full_session(course_id)).unwrap();
        }
    }
    let whole = fs::read(&path).unwrap();
    let cut = &whole[..whole.len() / 2];
    fs::write(&path, cut).unwrap();
    let outcome = Store::open(&path).and_then(|s| s.sessions(SessionFilter::default()));
    let err = outcome.unwrap_err();
    assert!(matches!(err, StoreError::Corrupt { .. }), "{err}");
    assert_eq!(fs::read(&path).unwrap(), cut);
}

#[test]
fn a_folder_that_cannot_be_created_is_reported() {
    // /sys refuses new entries even to root.
    let err = Store::open_default(Path::new("/sys/needlelog-test/needlelog.db")).unwrap_err();
    assert_eq!(
        err.to_string(),
        "cannot write to /sys/needlelog-test/needlelog.db: the file or its folder is read-only"
    );
}

on_both! {
    fn active_courses_are_listed_newest_first(place: &Place) {
        let mut store = place.open("n.db");
        let ana = store.add_person("Ana", None, "").unwrap();
        let first = store.add_course(&course(1)).unwrap();
        let second =
            store.add_course(&Course { started_on: NaiveDate::from_ymd_opt(2026, 10, 1).unwrap(), ..course(ana) }).unwrap();
        store.set_course_status(first, CourseStatus::Completed).unwrap();
        let active = store.courses(CourseFilter { active_only: true, ..Default::default() }).unwrap();
        assert_eq!(active.iter().map(|c| c.id).collect::<Vec<_>>(), vec![second]);
        let all = store.courses(CourseFilter::default()).unwrap();
        assert_eq!(all.iter().map(|c| c.id).collect::<Vec<_>>(), vec![second, first]);
        let anas = store.courses(CourseFilter { person_id: Some(ana), ..Default::default() }).unwrap();
        assert_eq!(anas.len(), 1);
    }
}

on_both! {
    fn a_snapshot_imports_into_a_fresh_file_unchanged(place: &Place) {
        let mut source = place.open("a.db");
        let ana = source.add_person("Ana", Some(needlelog::domain::SkinType::III), "prefers mornings").unwrap();
        let course_id = source.add_course(&course(ana)).unwrap();
        let s1 = source.add_session(&full_session(course_id)).unwrap();
        let gone = source.add_session(&Session { status: SessionStatus::Planned, ..full_session(course_id) }).unwrap();
        source.remove_session(gone, "", Utc.with_ymd_and_hms(2026, 9, 2, 9, 0, 0).unwrap()).unwrap();
        source.add_session(&full_session(course_id)).unwrap();
        source.set_tick(s1, "post-hands-off", true, Utc.with_ymd_and_hms(2026, 9, 1, 15, 0, 0).unwrap()).unwrap();
        let item =
            CustomItem { id: 0, course_id, phase: CarePhase::Pre, text: "Shave".into(), from_hours: -12, to_hours: 0 };
        source.add_custom_item(&item).unwrap();
        let snapshot = source.snapshot().unwrap();

        let mut target = place.open("b.db");
        let counts = target.import(&snapshot).unwrap();
        assert_eq!((counts.people, counts.courses, counts.sessions, counts.ticks, counts.custom_items), (1, 1, 2, 1, 1));
        // Everything as it was, and the trail says the import happened.
        let mut imported = target.snapshot().unwrap();
        let import = imported.edits.pop().unwrap();
        assert_eq!((import.kind.as_str(), import.field.as_str()), ("file", "import"));
        // The trail follows the records the document holds (not the one in the trash).
        let followed: Vec<_> =
            snapshot.edits.iter().filter(|e| !(e.kind == "session" && e.record_id == gone)).cloned().collect();
        assert_eq!(imported.edits, followed);
        imported.edits = snapshot.edits.clone();
        assert_eq!(imported, snapshot);

        // The same document again holds duplicates: refused, nothing added.
        let err = target.import(&snapshot).unwrap_err();
        assert!(err.to_string().contains("is already in this file; nothing imported"), "{err}");
        assert_eq!(target.snapshot().unwrap().sessions, snapshot.sessions);
    }
}

/// An import into a fresh file builds each index once its rows are in: the file
/// ends with the indexes a fresh file has, and sound; an import refused half-way
/// leaves them as they were.
#[test]
fn an_import_into_a_fresh_file_leaves_its_indexes_as_a_fresh_file_has_them() {
    let dir = tempfile::tempdir().unwrap();
    let mut source = Store::open(&dir.path().join("a.db")).unwrap();
    let ana = source.add_person("Ana", None, "").unwrap();
    let course_id = source.add_course(&course(ana)).unwrap();
    for _ in 0..3 {
        source.add_session(&full_session(course_id)).unwrap();
    }
    let snapshot = source.snapshot().unwrap();
    let schema = |path: &Path| -> Vec<(String, String)> {
        let conn = rusqlite::Connection::open(path).unwrap();
        let mut stmt = conn.prepare("SELECT name, ifnull(sql, '') FROM sqlite_master ORDER BY name").unwrap();
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap().map(Result::unwrap).collect()
    };
    let fresh = dir.path().join("fresh.db");
    drop(Store::open(&fresh).unwrap());
    let wanted = schema(&fresh);
    assert!(wanted.iter().any(|(name, _)| name == "sessions_by_course"), "{wanted:?}");
    assert!(wanted.iter().any(|(name, _)| name == "courses_running"), "{wanted:?}");

    // The last session is one the file refuses (passes out of bounds).
    let mut refused = snapshot.clone();
    refused.sessions.last_mut().unwrap().passes = Some(99);
    let path = dir.path().join("b.db");
    let mut target = Store::open(&path).unwrap();
    assert!(target.import(&refused).is_err());
    assert_eq!(schema(&path), wanted);
    assert_eq!(target.import(&snapshot).unwrap().sessions, 3);
    assert_eq!(schema(&path), wanted);
    drop(target);
    let conn = rusqlite::Connection::open(&path).unwrap();
    let check: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
    assert_eq!(check, "ok");
}

on_both! {
    fn an_import_with_a_dangling_reference_adds_nothing(place: &Place) {
        let mut store = place.open("n.db");
        let course_id = store.add_course(&course(1)).unwrap();
        let mut doc = store.snapshot().unwrap();
        let mut orphan = full_session(course_id);
        orphan.id = 50;
        orphan.course_id = 77;
        doc.sessions.push(orphan);
        let before = store.snapshot().unwrap();
        let err = store.import(&doc).unwrap_err();
        assert_eq!(err.to_string(), "session 50 points to course 77, which is not in the file; nothing imported");
        assert_eq!(store.snapshot().unwrap(), before);
    }
}

#[test]
fn a_named_file_in_a_missing_folder_is_reported_not_created() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("typo/needlelog.db");
    let err = Store::open(&path).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "cannot create {}: the folder {} does not exist; create it or pick another --db",
            path.display(),
            path.parent().unwrap().display()
        )
    );
    assert!(!path.parent().unwrap().exists());
}

#[test]
fn doctor_reports_a_sound_file() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("n.db")).unwrap();
    let course_id = store.add_course(&course(1)).unwrap();
    store.add_session(&full_session(course_id)).unwrap();
    let health = store.health().unwrap();
    assert!(health.is_ok(), "{health:?}");
    assert_eq!((health.people, health.courses, health.sessions), (1, 1, 1));
    assert_eq!(health.schema_version, current_version());
    assert!(health.bytes > 0);
}

on_both! {
    fn depths_that_were_not_loaded_are_never_written_over(place: &Place) {
        let mut store = place.open("n.db");
        let course_id = store.add_course(&course(1)).unwrap();
        let id = store.add_session(&full_session(course_id)).unwrap();

        // Lists read sessions without their depths, and say so.
        let mut listed = store.sessions_of(&[course_id]).unwrap().remove(0);
        assert_eq!(listed.depths, None, "not loaded is not the same as none");
        let base = listed.clone();
        listed.notes = "edited from a list".into();
        store.save_session_edit(&base, &listed, &Settle::default()).unwrap();
        let stored = store.session(id).unwrap();
        assert_eq!(stored.notes, "edited from a list");
        assert_eq!(stored.depths, full_session(course_id).depths, "the depths are kept");

        // A session with no depths at all clears them, as asked.
        store
            .save_session_edit(&stored, &Session { depths: Some(Vec::new()), ..stored.clone() }, &Settle::default())
            .unwrap();
        assert_eq!(store.session(id).unwrap().depths, Some(Vec::new()));
        // Inserting one whose depths are unknown would lose them: refused.
        assert!(store.add_session(&Session { depths: None, ..full_session(course_id) }).is_err());
    }
}

on_both! {
    fn an_edit_writes_only_what_it_changed_and_meets_changes_made_elsewhere(place: &Place) {
        use needlelog::store::{EditOutcome, Settle, StoreError};
        let path = "n.db";
        let mut app = place.open(path);
        let course_id = app.add_course(&course(1)).unwrap();
        let id = app.add_session(&full_session(course_id)).unwrap();
        // A form opens on the session...
        let opened = app.session(id).unwrap();
        // ...meanwhile another process changes notes, pain and serum.
        let mut cli = place.open(path);
        let theirs = Session {
            notes: "IMPORTANT: allergic to lidocaine".into(),
            pain: Some(8),
            serum: Some("Hyaluronic".into()),
            ..cli.session(id).unwrap()
        };
        cli.save_session_edit(&cli.session(id).unwrap(), &theirs, &Settle::default()).unwrap();

        // The form changes only the passes: theirs stay, mine is added.
        let mine = Session { passes: Some(6), ..opened.clone() };
        assert_eq!(app.save_session_edit(&opened, &mine, &Settle::default()).unwrap(), EditOutcome::Saved);
        let now = app.session(id).unwrap();
        assert_eq!((now.passes, now.pain), (Some(6), Some(8)));
        assert_eq!(now.notes, "IMPORTANT: allergic to lidocaine");
        assert_eq!(now.serum.as_deref(), Some("Hyaluronic"));
        assert_eq!(now.revision, 2, "two saves, two revisions");

        // The same field changed on both sides: nothing written, both values told.
        assert_eq!(opened.pain, Some(3));
        let mine = Session { pain: Some(5), ..opened.clone() };
        let Err(StoreError::Changed { conflicts, .. }) = app.save_session_edit(&opened, &mine, &Settle::default()) else {
            panic!("a conflict")
        };
        assert_eq!(conflicts.len(), 1);
        assert_eq!((conflicts[0].field, conflicts[0].theirs.as_str(), conflicts[0].mine.as_str()), ("pain", "8", "5"));
        assert_eq!(app.session(id).unwrap(), now, "nothing written");
        // Settled: keep mine.
        let settle = Settle { mine: vec!["pain"], ..Settle::default() };
        app.save_session_edit(&opened, &mine, &settle).unwrap();
        assert_eq!(app.session(id).unwrap().pain, Some(5));
        // Saving what is already there writes nothing.
        let same = app.session(id).unwrap();
        assert_eq!(app.save_session_edit(&same, &same.clone(), &Settle::default()).unwrap(), EditOutcome::Unchanged);
        assert_eq!(app.session(id).unwrap().revision, same.revision);
    }
}

on_both! {
    /// Lists of many courses read each course from where it stands (the count and the
    /// last done session its row keeps through triggers, and its planned sessions);
    /// they must say exactly what reading every session says, at any moment, across a
    /// change of clocks, and after every kind of write to the sessions.
    fn a_course_listed_from_where_it_stands_says_what_all_its_sessions_say(place: &Place) {
        use needlelog::domain::Rules;
        use needlelog::summary::{summarize, summarize_listed};
        let rules = Rules::embedded();
        let berlin = chrono_tz::Europe::Berlin;
        let made = Utc.with_ymd_and_hms(2026, 11, 24, 9, 0, 0).unwrap();
        let mut store = place.open("practice.db");
        store.import(&needlelog::demo::generate(80, 4, 7, rules, made, &berlin)).unwrap();

        let agree = |store: &Store, now: chrono::DateTime<Utc>| {
            for filter in [
                CourseFilter { active_only: true, ..Default::default() },
                CourseFilter { unfinished_only: true, ..Default::default() },
            ] {
                let listed = summarize_listed(store, filter, &[], &[], rules, now, &berlin).unwrap();
                let whole = summarize(store, store.courses(filter).unwrap(), rules, now, &berlin).unwrap();
                assert!(!listed.is_empty());
                assert_eq!(listed.len(), whole.len());
                for (l, w) in listed.iter().zip(&whole) {
                    assert_eq!(l.course, w.course);
                    assert!(!l.whole && w.whole);
                    assert_eq!(l.state, w.state, "course {} at {now}", w.course.id);
                    assert_eq!(l.checklist, w.checklist, "course {} at {now}", w.course.id);
                    for s in &l.sessions {
                        assert_eq!(l.session_label(s.id), w.session_label(s.id));
                    }
                }
            }
            // Finished courses, for maintenance, the same way.
            for (course, standing) in
                needlelog::summary::finished_in_maintenance_range(store, rules, now, |_, _| true).unwrap()
            {
                use needlelog::domain::windows::{course_state, course_state_counted};
                let all = store.sessions_of(&[course.id]).unwrap();
                let listed =
                    course_state_counted(&course, &standing.sessions, standing.counted(), &rules.course, now, &berlin);
                assert_eq!(listed, course_state(&course, &all, &rules.course, now, &berlin), "course {}", course.id);
            }
        };
        // Now, in the middle of sessions, across the spring change of clocks, and with
        // the clock set back before sessions marked done.
        for now in [
            made,
            made + chrono::Duration::hours(30),
            Utc.with_ymd_and_hms(2026, 3, 29, 0, 30, 0).unwrap(),
            Utc.with_ymd_and_hms(2025, 7, 1, 8, 0, 0).unwrap(),
            made + chrono::Duration::days(60),
        ] {
            agree(&store, now);
        }

        // Every kind of write: the last done session removed, a done one moved later,
        // one cancelled, a planned one marked done, one moved to another course, one
        // brought back from the trash.
        let courses = store.courses(CourseFilter { active_only: true, ..Default::default() }).unwrap();
        let done_of = |store: &Store, course: i64| -> Vec<Session> {
            let mut s: Vec<Session> =
                store.sessions_of(&[course]).unwrap().into_iter().filter(|s| s.status == SessionStatus::Done).collect();
            s.sort_by_key(|s| s.at);
            s
        };
        let (a, b, c) = (courses[0].id, courses[1].id, courses[2].id);
        let last = done_of(&store, a).pop().unwrap();
        let trashed = store.remove_session(last.id, "recorded twice", made).unwrap();
        agree(&store, made);
        let mut moved = done_of(&store, b)[0].clone();
        let base = moved.clone();
        moved.at = made - chrono::Duration::hours(5);
        store.save_session_edit(&base, &moved, &Settle::default()).unwrap();
        agree(&store, made);
        let mut cancelled = done_of(&store, c).pop().unwrap();
        let base = cancelled.clone();
        cancelled.status = SessionStatus::Cancelled;
        store.save_session_edit(&base, &cancelled, &Settle::default()).unwrap();
        agree(&store, made);
        let planned = store
            .sessions_of(&courses.iter().map(|c| c.id).collect::<Vec<_>>())
            .unwrap()
            .into_iter()
            .find(|s| s.status == SessionStatus::Planned)
            .expect("the demo books sessions ahead");
        let mut marked = planned.clone();
        marked.status = SessionStatus::Done;
        store.save_session_edit(&planned, &marked, &Settle::default()).unwrap();
        agree(&store, made);
        // No edit moves a session to another course: the shell does, and the
        // triggers keep both courses' standing all the same.
        let elsewhere = done_of(&store, b).pop().unwrap();
        place.shell("practice.db", &format!("UPDATE sessions SET course_id = {c} WHERE id = {}", elsewhere.id));
        agree(&store, made);
        store.restore_from_trash(trashed.id).unwrap();
        agree(&store, made);
        let mut fresh = Session::new(a, made - chrono::Duration::hours(2), 3600, SessionStatus::Done, Device::Pen);
        fresh.depths = Some(vec![AreaDepth { area: "cheeks".into(), mm: 0.5 }]);
        store.add_session(&fresh).unwrap();
        agree(&store, made);
        agree(&store, made + chrono::Duration::hours(30));

        // A finished course with maintenance sessions: its results day is judged from
        // its last main session, which its row keeps through a void of that session
        // and a change of the course's target, without reading the course whole.
        let later = made + chrono::Duration::hours(30);
        let finished = needlelog::summary::finished_in_maintenance_range(&store, rules, later, |_, _| true).unwrap();
        let (course, standing) = finished
            .iter()
            .find(|(c, s)| s.done > c.sessions_target + 2 && s.sessions.iter().filter(|x| x.is_done()).count() == 1)
            .expect("the demo has courses with maintenance sessions, each read from its row");
        let dones = done_of(&store, course.id);
        let main = &dones[usize::try_from(course.sessions_target).unwrap() - 1];
        assert_eq!(standing.last_main, Some(main.at));
        agree(&store, later);
        store.remove_session(main.id, "logged twice", made).unwrap();
        let main = &done_of(&store, course.id)[usize::try_from(course.sessions_target).unwrap() - 1];
        let row = |store: &Store| {
            let all = needlelog::summary::finished_in_maintenance_range(store, rules, later, |_, _| true).unwrap();
            all.into_iter().find(|(c, _)| c.id == course.id).unwrap()
        };
        assert_eq!(row(&store).1.last_main, Some(main.at), "the next done one is the last main one now");
        agree(&store, later);
        let base = row(&store).0;
        let edited = Course { sessions_target: base.sessions_target + 1, ..base.clone() };
        store.save_course_edit(&base, &edited, &Settle::default()).unwrap();
        let main = &done_of(&store, course.id)[usize::try_from(edited.sessions_target).unwrap() - 1];
        assert_eq!(row(&store).1.last_main, Some(main.at), "one more main session");
        agree(&store, later);
    }
}

/// The indexes that hold running and finished courses whole (lists read courses
/// from them alone) hold every column of a course: one added to the table and not
/// to them would quietly send each list back to the table.
#[test]
fn the_indexes_that_hold_courses_whole_hold_every_column() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("log.db");
    drop(Store::open(&path).unwrap());
    let conn = rusqlite::Connection::open(&path).unwrap();
    let names = |sql: &str| -> Vec<String> {
        let mut stmt = conn.prepare(sql).unwrap();
        stmt.query_map([], |r| r.get::<_, String>("name")).unwrap().map(Result::unwrap).collect()
    };
    let columns = names("SELECT name FROM pragma_table_info('courses')");
    assert!(columns.len() > 15 && columns.contains(&"last_done_device".to_string()), "{columns:?}");
    for index in ["courses_running", "courses_finished"] {
        let held = names(&format!("SELECT name FROM pragma_index_info('{index}')"));
        let missing: Vec<&String> = columns.iter().filter(|c| !held.contains(c)).collect();
        assert!(missing.is_empty(), "{index} does not hold {missing:?}: add them to it in a migration");
    }
}

/// A file at the schema step before the last, with `sql` run on it; returns
/// that step.
fn one_step_back(path: &Path, sql: &str) -> usize {
    let before = MIGRATIONS.len() - 1;
    let conn = rusqlite::Connection::open(path).unwrap();
    for step in &MIGRATIONS[..before] {
        conn.execute_batch(step).unwrap();
    }
    conn.pragma_update(None, "application_id", needlelog::store::APPLICATION_ID).unwrap();
    conn.pragma_update(None, "user_version", i64::try_from(before).unwrap()).unwrap();
    conn.execute_batch(sql).unwrap();
    before
}

/// The name as it is compared is kept on every way a person comes in: the
/// upgrade that adds it fills it for the people already there, an import and a
/// new person write it, and `doctor --fix` mends one gone wrong.
#[test]
fn a_name_as_compared_is_kept_however_a_person_comes_in() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    one_step_back(&path, "INSERT INTO people (name) VALUES ('Zoë Khan'), ('zoe   KHAN'), ('Ana Ruiz')");
    let mut store = Store::open(&path).unwrap();
    let named =
        |store: &Store, name: &str| -> Vec<i64> { store.people_named(name).unwrap().iter().map(|p| p.id).collect() };
    let id = |name: &str| store.people(true).unwrap().iter().find(|p| p.name == name).unwrap().id;
    let (zoe, zoe_too, ruiz) = (id("Zoë Khan"), id("zoe   KHAN"), id("Ana Ruiz"));
    assert_eq!(named(&store, "ZOE KHAN"), [zoe, zoe_too], "filled by the upgrade");
    assert_eq!(store.namesakes().unwrap(), [zoe, zoe_too].into_iter().collect());
    // An import into a new file, and a person added there.
    let doc = store.snapshot().unwrap();
    let mut other = Store::open(&dir.path().join("new.db")).unwrap();
    other.import(&doc).unwrap();
    let ana = other.add_person("ANA  Ruíz", None, "").unwrap();
    assert_eq!(named(&other, "zoë khan").len(), 2, "imported");
    assert_eq!(named(&other, "ana ruiz").len(), 2, "imported, and added");
    let people = other.people(true).unwrap();
    let asked: Vec<_> = people.iter().filter(|p| p.id == ana).collect();
    assert_eq!(other.namesakes_among(&asked).unwrap(), [ana].into_iter().collect());
    // A key gone wrong (written by hand) is found and mended.
    assert!(store.out_of_bounds().unwrap().is_empty());
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute("UPDATE people SET folded = 'someone else' WHERE id = ?1", [ruiz]).unwrap();
    }
    assert!(named(&store, "ana ruiz").is_empty());
    let found = store.out_of_bounds().unwrap();
    assert_eq!(found.len(), 1, "{found:?}");
    let said = format!("person {ruiz}: the key its namesakes are found by does not match its name");
    assert_eq!(found[0].to_string(), said);
    store.mend_out_of_bounds().unwrap();
    assert!(store.out_of_bounds().unwrap().is_empty());
    assert_eq!(named(&store, "ana ruiz"), [ruiz]);
}

/// An upgrade that fails names its step and the copy from before it, and leaves
/// the file at the last step that finished.
#[test]
fn a_failed_upgrade_says_which_step_and_where_the_copy_is() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    // Something in the way of the last step: an index of the name it creates.
    let last = one_step_back(
        &path,
        "INSERT INTO people (name) VALUES ('Old friend'); CREATE INDEX people_by_folded ON people(name);",
    );
    let err = Store::open(&path).unwrap_err().to_string();
    let copy = dir.path().join(format!("old.db.bak-v{last}"));
    assert!(err.contains(&format!("upgrading it, at schema step {}", last + 1)), "{err}");
    assert!(err.contains("index people_by_folded already exists"), "{err}");
    assert!(err.contains(&format!("the file as it was before (v{last}) is {}", copy.display())), "{err}");
    assert!(copy.exists());
    let conn = rusqlite::Connection::open(&path).unwrap();
    let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0)).unwrap();
    assert_eq!(version, i64::try_from(last).unwrap(), "the failed step changed nothing");
    let kept: i64 = conn.query_row("SELECT count(*) FROM people", [], |r| r.get(0)).unwrap();
    assert_eq!(kept, 2, "Me and the old friend");
}

on_both! {
    fn namesakes_are_found_among_everyone_whatever_the_accents_and_case(place: &Place) {
        let mut store = place.open("n.db");
        let zoe = store.add_person("Zoë Khan", None, "").unwrap();
        let other = store.add_person("zoe  KHAN", None, "").unwrap();
        let ana = store.add_person("Ana Ruiz", None, "").unwrap();
        let found = store.namesakes().unwrap();
        assert_eq!(found, [zoe, other].into_iter().collect(), "Zoë shares her name; Ana and Me do not");
        assert!(!found.contains(&ana));
        // Asked of a few: the same answer, an accent or a space first included.
        let elodie = store.add_person("Élodie Roy", None, "").unwrap();
        let plain = store.add_person("elodie   roy", None, "").unwrap();
        let among = |store: &Store, ids: &[i64]| {
            let people = store.people_by_ids(ids).unwrap();
            store.namesakes_among(&people.iter().collect::<Vec<_>>()).unwrap()
        };
        assert_eq!(among(&store, &[ana, zoe, plain, 999]), [zoe, plain].into_iter().collect());
        assert_eq!(among(&store, &[elodie]), [elodie].into_iter().collect());
        assert!(among(&store, &[]).is_empty());
        // A name that begins as another does is no namesake of it.
        let lee = store.add_person("Ana Lee", None, "").unwrap();
        let anais = store.add_person("Anais Moreau", None, "").unwrap();
        let accent = store.add_person("Anaïs Roux", None, "").unwrap();
        assert!(among(&store, &[ana, lee, anais, accent]).is_empty());
        // A rename is compared as it is saved: Ana Lee becomes Ana Ruiz's namesake,
        // and Anaïs Roux, renamed Élodie Roy, joins the two of them.
        for (id, name) in [(lee, "ANA RUIZ"), (accent, "Elodie Roy")] {
            let mut person = store.person(id).unwrap();
            person.name = name.into();
            store.update_person(&person).unwrap();
        }
        assert_eq!(among(&store, &[ana, lee, anais]), [ana, lee].into_iter().collect());
        assert_eq!(store.people_named("élodie roy").unwrap().len(), 3);
        assert!(store.namesakes().unwrap().is_superset(&[ana, lee, accent, elodie, plain].into_iter().collect()));
        // Courses by id: those asked for, voided or not, in id order.
        let a = store.add_course(&course(ana)).unwrap();
        let b = store.add_course(&course(zoe)).unwrap();
        let listed: Vec<i64> = store.courses_by_ids(&[b, a, 999]).unwrap().iter().map(|c| c.id).collect();
        assert_eq!(listed, [a, b]);
    }
}

on_both! {
    /// What `remind` told is remembered from when it was first told (telling it
    /// again, `--again`, writes nothing), and forgotten 400 days on by a later run.
    fn what_was_told_is_remembered_from_its_first_telling(place: &Place) {
        let mut store = place.open("told.db");
        let first = Utc.with_ymd_and_hms(2026, 1, 5, 9, 0, 0).unwrap();
        let keys = |list: &[&str]| list.iter().map(|k| k.to_string()).collect::<Vec<_>>();
        let told = |store: &Store| {
            let mut told = store.told(&keys(&["a", "b", "c"])).unwrap();
            told.sort();
            told
        };
        store.mark_told(&keys(&["a", "b", "a"]), first).unwrap();
        assert_eq!(told(&store), ["a", "b"]);
        store.mark_told(&keys(&["a"]), first + chrono::Duration::days(300)).unwrap();
        store.mark_told(&keys(&["c"]), first + chrono::Duration::days(401)).unwrap();
        assert_eq!(told(&store), ["c"], "a and b were first told 401 days ago");
    }
}

on_both! {
    /// Two laptops (two connections) saving the same field of one session at the
    /// same moment: one is saved, the other meets it as a change made elsewhere
    /// and writes nothing; never both, never a save lost without a word.
    fn two_saves_of_one_session_at_once_meet_the_conflict(place: &Place) {
        use needlelog::store::{EditOutcome, StoreError};
        use std::sync::{Arc, Barrier};
        let mut store = place.open("n.db");
        let course_id = store.add_course(&course(1)).unwrap();
        let address = place.address("n.db");
        for round in 0..10 {
            let id = store.add_session(&full_session(course_id)).unwrap();
            let barrier = Arc::new(Barrier::new(2));
            let savers: Vec<_> = [4, 9]
                .into_iter()
                .map(|pain| {
                    let (address, barrier) = (address.clone(), Arc::clone(&barrier));
                    std::thread::spawn(move || {
                        let mut laptop = Place::open_at(&address);
                        let opened = laptop.session(id).unwrap();
                        let mine = Session { pain: Some(pain), ..opened.clone() };
                        barrier.wait();
                        laptop.save_session_edit(&opened, &mine, &Settle::default()).map(|outcome| (pain, outcome))
                    })
                })
                .collect();
            let outcomes: Vec<_> = savers.into_iter().map(|s| s.join().unwrap()).collect();
            let saved: Vec<u8> = outcomes.iter().filter_map(|o| o.as_ref().ok()).map(|(pain, _)| *pain).collect();
            assert_eq!(saved.len(), 1, "round {round}: {outcomes:?}");
            assert!(outcomes.iter().flatten().all(|(_, o)| *o == EditOutcome::Saved));
            let conflict = outcomes.iter().find_map(|o| o.as_ref().err()).unwrap();
            let StoreError::Changed { conflicts, .. } = conflict else { panic!("round {round}: {conflict}") };
            assert_eq!(conflicts.len(), 1, "{conflicts:?}");
            assert_eq!(conflicts[0].field, "pain");
            let now = store.session(id).unwrap();
            assert_eq!((now.pain, now.revision), (Some(saved[0]), 1), "round {round}: the one saved is kept");
        }
    }
}

on_both! {
    /// Thousands of sessions read in one go come whole and in order, however
    /// they are read (on a server, through a cursor a chunk at a time); a read
    /// stopped early leaves the records readable.
    fn many_sessions_are_read_whole_in_chunks(place: &Place) {
        use needlelog::domain::Rules;
        use needlelog::store::Flow;
        let made = Utc.with_ymd_and_hms(2026, 11, 24, 9, 0, 0).unwrap();
        let mut store = place.open("many.db");
        store.import(&needlelog::demo::generate(70, 6, 3, Rules::embedded(), made, &chrono_tz::UTC)).unwrap();
        let all = store.sessions(SessionFilter { order: needlelog::store::SessionOrder::ById, ..Default::default() }).unwrap();
        assert!(all.len() > 2000, "{} sessions: more than two chunks", all.len());
        assert!(all.windows(2).all(|w| w[0].id < w[1].id), "in order");
        assert!(all.iter().all(|s| s.depths.is_some()), "each with its depths");
        let mut first = 0;
        store
            .each_session(SessionFilter::default(), &mut |chunk| {
                first = chunk.len();
                Ok(Flow::Break(()))
            })
            .unwrap();
        assert!(first > 0 && first < all.len());
        assert_eq!(store.sessions(SessionFilter::default()).unwrap().len(), all.len(), "readable after");
    }
}
