//! Every field of a person, a course and a session, named here one by one (no
//! `..`): a new field does not build until this test gives it a value of its
//! own, and then the test fails until the file, JSON, CSV and the report carry it.

use chrono::{NaiveDate, TimeZone, Utc};
use needlelog::domain::{
    AreaDepth, Course, CourseStatus, DayRange, Device, MonthRange, Person, Reaction, Rules, Session, SessionStatus,
    SkinType, Snapshot, Void,
};
use needlelog::store::Store;
use needlelog::store::prelude::*;

/// The time the test runs at (never the machine's clock).
fn at() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 24, 9, 0, 0).unwrap()
}

fn person() -> Person {
    Person {
        id: 0,
        name: "Quinn Vale".into(),
        skin_type: Some(SkinType::IV),
        notes: "person-notes-41".into(),
        archived: false,
        born_on: Some(NaiveDate::from_ymd_opt(1984, 3, 2).unwrap()),
        contact: "contact-42@example.org".into(),
        revision: 0,
    }
}

fn course(person_id: i64) -> Course {
    Course {
        id: 0,
        person_id,
        concern: "acne-scars".into(),
        areas: vec!["cheeks".into(), "forehead".into()],
        sessions_target: 5,
        interval: DayRange { min: 29, max: 43 },
        maintenance: MonthRange { min: 7, max: 11 },
        device: Device::Pen,
        status: CourseStatus::Active,
        started_on: NaiveDate::from_ymd_opt(2026, 9, 1).unwrap(),
        notes: "course-notes-43".into(),
        place: "place-44".into(),
        final_rating: Some(8),
        void: None,
        revision: 0,
    }
}

fn session(course_id: i64) -> Session {
    Session {
        id: 0,
        course_id,
        at: Utc.with_ymd_and_hms(2026, 9, 1, 10, 0, 0).unwrap(),
        utc_offset_s: 3600,
        status: SessionStatus::Done,
        device: Device::Pen,
        device_model: Some("model-45".into()),
        depths: Some(vec![
            AreaDepth { area: "cheeks".into(), mm: 1.25 },
            AreaDepth { area: "forehead".into(), mm: 0.5 },
        ]),
        passes: Some(3),
        serum: Some("serum-46".into()),
        lot: Some("LOT-47".into()),
        numbing: Some("numbing-48".into()),
        pain: Some(6),
        reaction: Some(Reaction::Moderate),
        rating: Some(9),
        provider: Some("provider-49".into()),
        screening: Some(vec!["screening-50".into()]),
        notes: "session-notes-51".into(),
        void: None,
        revision: 0,
    }
}

/// The same session, voided: who, when and why travel with it.
fn voided(course_id: i64) -> Session {
    Session {
        status: SessionStatus::Voided,
        at: Utc.with_ymd_and_hms(2026, 10, 6, 10, 0, 0).unwrap(),
        void: Some(Void { at: at(), by: "by-53".into(), reason: "void-reason-52".into() }),
        ..session(course_id)
    }
}

/// The texts a session's export must show, one per field that has one.
const SESSION_TEXTS: [&str; 9] = [
    "model-45",
    "1.25",
    "serum-46",
    "LOT-47",
    "numbing-48",
    "moderate",
    "provider-49",
    "screening-50",
    "session-notes-51",
];

fn filled() -> (tempfile::TempDir, Store, Person, Course, [Session; 2]) {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("fields.db")).unwrap();
    let person_id = store.add_person_with(&person()).unwrap();
    let course_id = store.add_course(&course(person_id)).unwrap();
    let ids = [store.add_session(&session(course_id)).unwrap(), store.add_session(&voided(course_id)).unwrap()];
    let person = store.person(person_id).unwrap();
    let course = store.course(course_id).unwrap();
    let sessions = ids.map(|id| store.session(id).unwrap());
    (dir, store, person, course, sessions)
}

#[test]
fn every_field_is_kept_by_the_file() {
    let (_dir, _store, p, c, [s, v]) = filled();
    assert_eq!(p, Person { id: p.id, revision: p.revision, ..person() });
    assert_eq!(c, Course { id: c.id, person_id: c.person_id, revision: c.revision, ..course(c.person_id) });
    assert_eq!(s, Session { id: s.id, revision: s.revision, ..session(c.id) });
    assert_eq!(v, Session { id: v.id, revision: v.revision, ..voided(c.id) });
}

#[test]
fn every_field_goes_out_in_json_and_comes_back() {
    let (_dir, store, p, c, s) = filled();
    let snapshot = store.snapshot().unwrap();
    let text = needlelog::exchange::json::to_json(&snapshot);
    let back = needlelog::exchange::json::from_json(&text, Rules::embedded(), at()).unwrap();
    let Snapshot { people, courses, sessions, .. } = back;
    assert_eq!(people.into_iter().find(|x| x.id == p.id), Some(p));
    assert_eq!(courses, [c]);
    assert_eq!(sessions, s);
}

#[test]
fn every_session_field_is_a_column_of_the_csv_and_a_line_of_the_report() {
    let (_dir, store, _p, c, _s) = filled();
    let csv = needlelog::exchange::csv::to_csv(&store.snapshot().unwrap()).unwrap();
    let row = csv.lines().nth(1).unwrap();
    let report = needlelog::report::gather(&store, c.id, Rules::embedded(), at(), &Utc).unwrap();
    let page = needlelog::report::html::page(&report);
    for text in SESSION_TEXTS {
        assert!(row.contains(text), "the CSV row leaves out {text}: {row}");
    }
    for text in ["model-45", "1.25", "serum-46", "LOT-47", "numbing-48", "provider-49"] {
        assert!(page.contains(text), "the report leaves out {text}");
    }
    // The voided one: its row says so, and the report's appendix keeps why.
    let voided = csv.lines().nth(2).unwrap();
    assert!(voided.contains(",voided,") && voided.contains("by-53: void-reason-52"), "{voided}");
    assert!(page.contains("void-reason-52") && page.contains("by by-53"), "the report's appendix keeps the void");
}

/// The export written as the file is read (a chunk at a time) is the document the
/// whole snapshot makes, byte for byte, with every kind of record in it.
#[test]
fn the_streamed_export_is_the_snapshot_document() {
    use needlelog::domain::{AdverseEvent, CarePhase, Consent, CustomItem, DiaryEntry, Photo, PhotoFormat, PhotoOf};
    let (_dir, mut store, _p, c, [s, _v]) = filled();
    store.set_tick(s.id, "post-no-makeup", true, at()).unwrap();
    let item = CustomItem {
        id: 0,
        course_id: c.id,
        phase: CarePhase::Post,
        text: "Cold pack".into(),
        from_hours: 0,
        to_hours: 24,
    };
    store.add_custom_item(&item).unwrap();
    let event = AdverseEvent {
        id: 0,
        session_id: s.id,
        kind: "bruising".into(),
        noticed_on: at().date_naive(),
        severity: 1,
        notes: "small".into(),
        resolved_on: None,
        void: None,
    };
    store.add_event(&event, at().date_naive()).unwrap();
    let day = DiaryEntry {
        session_id: s.id,
        day: 1,
        redness: Some(2),
        swelling: None,
        flaking: None,
        tightness: None,
        note: "warm".into(),
    };
    store.note_diary(&day).unwrap();
    store
        .record_consent(&Consent {
            course_id: c.id,
            given_on: at().date_naive(),
            what: "Form v3".into(),
            photos: true,
            by: String::new(),
        })
        .unwrap();
    let photo = |hash: char| Photo {
        id: 0,
        course_id: 0,
        session_id: None,
        hash: hash.to_string().repeat(64),
        format: PhotoFormat::Jpeg,
        area: Some("cheeks".into()),
        taken: at().naive_utc(),
        original_name: "p.jpg".into(),
    };
    store.attach_photos(PhotoOf::Session(s.id), &[photo('a')]).unwrap();
    store.attach_photos(PhotoOf::Course(c.id), &[photo('b')]).unwrap();
    let whole = needlelog::exchange::json::to_json(&store.snapshot().unwrap());
    let mut streamed = Vec::new();
    let written = needlelog::exchange::json::write_json(&store, &mut streamed).unwrap();
    assert_eq!(String::from_utf8(streamed).unwrap(), whole);
    assert_eq!(written, 2);
    for key in
        ["\"ticks\": [\n    {", "\"custom_items\": [\n    {", "\"events\"", "\"diary\"", "\"consents\"", "\"edits\""]
    {
        assert!(whole.contains(key), "{key} is in the document");
    }
    assert!(whole.contains(&"b".repeat(64)) && whole.contains(&"a".repeat(64)), "both photos");

    // CSV and the calendar too: streamed, each is what the snapshot makes.
    let snapshot = store.snapshot().unwrap();
    let mut csv = Vec::new();
    assert_eq!(needlelog::exchange::csv::write_csv(&store, &mut csv).unwrap(), 2);
    assert_eq!(String::from_utf8(csv).unwrap(), needlelog::exchange::csv::to_csv(&snapshot).unwrap());
    let names = needlelog::exchange::ics::Names::Full;
    let mut ics = Vec::new();
    needlelog::exchange::ics::write_ics(&store, Rules::embedded(), (at(), &Utc), None, names, &mut ics).unwrap();
    let calendar = needlelog::exchange::ics::to_ics_since(&snapshot, Rules::embedded(), at(), &Utc, None, names);
    assert!(calendar.contains("BEGIN:VEVENT"), "{calendar}");
    assert_eq!(String::from_utf8(ics).unwrap(), calendar);
}
