//! Checks every record must pass before it is saved, whether typed in a form, given
//! on the command line or read from an imported file: people, courses, one's own
//! checklist items, ticks, and the bounds any stored value keeps to (so nothing in
//! a file can make a command fail on arithmetic). Sessions: see `entry`, which
//! calls [`check_bounds_of_session`].

use std::ops::RangeInclusive;

use chrono::{DateTime, Datelike, NaiveDate, Utc};

use super::model::{Course, CustomItem, Person, Session, Tick};
use super::rules::Rules;

/// How many sessions a course may aim for.
pub const SESSIONS_TARGET: RangeInclusive<u32> = 1..=50;
/// Years a date may fall in: a typo such as a stray minus sign never gets stored.
pub const YEARS: RangeInclusive<i32> = 1900..=2200;
/// Characters in a name.
pub const NAME_MAX: usize = 80;
/// Characters in a one-line field (serum, lot, numbing, provider, a photo path).
pub const LINE_MAX: usize = 500;
/// Bytes of notes.
pub const NOTES_MAX: usize = 64 * 1024;
/// Areas in one course.
pub const AREAS_MAX: usize = 20;
/// How far a checklist window may reach from its session, in hours (a year).
pub const WINDOW_MAX_HOURS: i64 = 366 * 24;
/// Seconds a clock may be from UTC.
pub const OFFSET_MAX_SECONDS: i32 = 14 * 3600;
/// Ids above this are refused: they would exhaust the ids after them.
pub const ID_MAX: i64 = 1 << 53;

/// Why a record cannot be saved, in one line, and the field it is about when it
/// is about one (a form marks that field; `name`, `contact`, `born`, `notes`,
/// `kind`, `severity`, `noticed`, `resolved`, `day`, `note`, a diary sign…).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct Invalid {
    pub message: String,
    pub field: Option<&'static str>,
}

impl Invalid {
    pub fn new(message: impl Into<String>) -> Invalid {
        Invalid { message: message.into(), field: None }
    }

    /// The same, about `field` (unless it already names one).
    pub fn on(self, field: &'static str) -> Invalid {
        Invalid { field: self.field.or(Some(field)), ..self }
    }
}

/// Checks a course's concern, areas and numbers.
pub fn check_course(course: &Course, rules: &Rules) -> Result<(), Invalid> {
    let invalid = |message: String| Err(Invalid::new(message));
    // A stored course may name a concern that is not (or no longer) in the rules:
    // it keeps the numbers it was started with. Starting one needs a known concern.
    let concern = course.concern.as_str();
    if concern.trim().is_empty() || concern.chars().count() > AREA_MAX || concern != concern.trim() {
        return invalid(format!("a course needs a concern: use one of {}", rules.concern_keys()));
    }
    check_line("a concern", concern)?;
    if course.areas.is_empty() {
        return invalid(format!("a course needs at least one area: use {}", rules.area_keys()));
    }
    if course.areas.len() > AREAS_MAX {
        return invalid(format!("{} areas in one course: use at most {AREAS_MAX}", course.areas.len()));
    }
    if let Some(twice) = course.areas.iter().enumerate().find(|(i, a)| course.areas[..*i].contains(a)) {
        return invalid(format!("the area {} is named twice: name each area once", twice.1));
    }
    for area in &course.areas {
        check_area(area)?;
    }
    if !SESSIONS_TARGET.contains(&course.sessions_target) {
        let (lo, hi) = (SESSIONS_TARGET.start(), SESSIONS_TARGET.end());
        return invalid(format!("{} sessions is not a course: use {lo} to {hi}", course.sessions_target));
    }
    let i = course.interval;
    if i.min == 0 || i.min > i.max || i.max > 730 {
        return invalid(format!("an interval of {}–{} days is not possible: use e.g. 4-6w", i.min, i.max));
    }
    let m = course.maintenance;
    if m.min == 0 || m.min > m.max || m.max > 60 {
        return invalid(format!("maintenance every {}–{} months is not possible: use e.g. 3-6m", m.min, m.max));
    }
    if let Some(r) = course.final_rating.filter(|r| !(1..=10).contains(r)) {
        return invalid(format!("a final rating of {r}: use 1 to 10"));
    }
    check_day("the start date", course.started_on)?;
    check_line("the place", &course.place)?;
    if course.place.chars().count() > PLACE_MAX {
        return invalid(format!("a place can be at most {PLACE_MAX} characters"));
    }
    check_notes(&course.notes)
}

/// The last day after a session a diary entry may be for.
pub const DIARY_DAY_MAX: u32 = 366;
/// The longest diary note, in characters.
pub const DIARY_NOTE_MAX: usize = 300;

/// A diary entry: a day after the session, signs 0–3, a line of words.
pub fn check_diary(entry: &crate::domain::DiaryEntry) -> Result<(), Invalid> {
    if entry.day > DIARY_DAY_MAX {
        return Err(Invalid::new(format!(
            "day {} after a session: use 0 (the day itself) to {DIARY_DAY_MAX}",
            entry.day
        ))
        .on("day"));
    }
    for (name, value) in entry.signs() {
        if let Some(v) = value.filter(|v| *v > 3) {
            return Err(Invalid::new(format!("{name} {v}: use 0 (none) to 3 (strong)")).on(name));
        }
    }
    check_line("a diary note", &entry.note).map_err(|e| e.on("note"))?;
    if entry.note.chars().count() > DIARY_NOTE_MAX {
        return Err(Invalid::new(format!("a diary note can be at most {DIARY_NOTE_MAX} characters")).on("note"));
    }
    if entry.signs().iter().all(|(_, v)| v.is_none()) && entry.note.trim().is_empty() {
        return Err(Invalid::new("a diary entry needs a sign (redness, swelling, flaking, tightness) or a note"));
    }
    Ok(())
}

/// A consent record: what was agreed, on one line, on a day that can be.
pub fn check_consent(consent: &crate::domain::Consent) -> Result<(), Invalid> {
    if consent.what.trim().is_empty() {
        return Err(Invalid::new("say what was agreed: the consent text or the document's name"));
    }
    check_line("what was agreed", &consent.what)?;
    if consent.what.chars().count() > PLACE_MAX {
        return Err(Invalid::new(format!("what was agreed can be at most {PLACE_MAX} characters")));
    }
    check_line("who took it", &consent.by)?;
    if consent.by.chars().count() > NAME_MAX {
        return Err(Invalid::new(format!("who took it can be at most {NAME_MAX} characters")));
    }
    check_day("the consent date", consent.given_on)
}

/// The longest place (a clinic's name and address), in characters.
pub const PLACE_MAX: usize = 160;

/// The longest area name, in characters.
pub const AREA_MAX: usize = 40;

/// An area as stored: any name of one line, without the `,` and `=` that separate
/// areas and depths, in its normal form (see [`Rules::normal_area`]).
pub fn check_area(area: &str) -> Result<(), Invalid> {
    check_line("an area", area)?;
    if area.is_empty() || area.chars().count() > AREA_MAX {
        return Err(Invalid::new(format!("an area name needs 1 to {AREA_MAX} characters")));
    }
    if area.contains([',', '=']) {
        return Err(Invalid::new(format!("the area \"{area}\" holds , or =: those separate areas and depths")));
    }
    if Rules::normal_area(area) != area {
        return Err(Invalid::new(format!("the area \"{area}\" must be in lower case with single spaces")));
    }
    Ok(())
}

/// Areas as typed (`cheeks, Nose,cheeks`, `left knee`) as a set of keys, each once,
/// in the order first named. Commas separate areas; spaces do too when every word
/// is a known area (`cheeks nose`) and the words together are not one (`upper lip`).
/// Typed input goes through this; imports are refused when they name an area twice.
pub fn area_set<'a>(typed: impl IntoIterator<Item = &'a str>, rules: &Rules) -> Vec<String> {
    let mut areas: Vec<String> = Vec::new();
    let mut add = |key: String| {
        if !key.is_empty() && !areas.contains(&key) {
            areas.push(key);
        }
    };
    for piece in typed.into_iter().flat_map(|t| t.split(',')) {
        let whole = rules.area_key(piece);
        let words: Vec<&str> = piece.split_whitespace().collect();
        if !rules.knows_area(&whole) && words.len() > 1 && words.iter().all(|w| rules.knows_area(&rules.area_key(w))) {
            words.iter().for_each(|w| add(rules.area_key(w)));
        } else {
            add(whole);
        }
    }
    areas
}

/// Checks a person's name and notes.
pub fn check_person(person: &Person) -> Result<(), Invalid> {
    check_name(&person.name).map_err(|e| e.on("name"))?;
    check_line("a contact", &person.contact).map_err(|e| e.on("contact"))?;
    if person.contact.chars().count() > PLACE_MAX {
        return Err(Invalid::new(format!("a contact can be at most {PLACE_MAX} characters")).on("contact"));
    }
    if let Some(day) = person.born_on {
        check_day("the date of birth", day).map_err(|e| e.on("born"))?;
    }
    check_notes(&person.notes).map_err(|e| e.on("notes"))
}

/// A name: one line of at most [`NAME_MAX`] characters, not blank.
pub fn check_name(name: &str) -> Result<(), Invalid> {
    if name.trim().is_empty() {
        return Err(Invalid::new("a person needs a name"));
    }
    if name.chars().count() > NAME_MAX {
        return Err(Invalid::new(format!("a name can be at most {NAME_MAX} characters")));
    }
    check_line("a name", name)
}

/// Checks a photo record: a SHA-256 name, a known area form, a one-line name.
pub fn check_photo(photo: &crate::domain::Photo) -> Result<(), Invalid> {
    if !super::model::is_photo_hash(&photo.hash) {
        return Err(Invalid::new(format!("photo {}: {:?} is not a SHA-256 name", photo.id, photo.hash)));
    }
    if let Some(area) = &photo.area {
        check_area(area)?;
    }
    check_line("a photo's file name", &photo.original_name)
}

/// A one-line text: no line breaks or other control characters, not too long.
pub fn check_line(what: &str, text: &str) -> Result<(), Invalid> {
    if let Some(c) = text.chars().find(|c| c.is_control()) {
        return Err(Invalid::new(format!(
            "{what} holds a control character (U+{:04X}): type it on one line",
            u32::from(c)
        )));
    }
    if text.chars().count() > LINE_MAX {
        return Err(Invalid::new(format!("{what} is longer than {LINE_MAX} characters")));
    }
    Ok(())
}

/// Notes: up to [`NOTES_MAX`] bytes; line breaks and tabs, and no other control
/// character (an escape sequence in notes could drive a terminal that prints them).
pub fn check_notes(notes: &str) -> Result<(), Invalid> {
    if notes.len() > NOTES_MAX {
        return Err(Invalid::new(format!(
            "notes of {} KB: keep them under {} KB",
            notes.len() / 1024,
            NOTES_MAX / 1024
        )));
    }
    if let Some(c) = notes.chars().find(|c| c.is_control() && !matches!(c, '\n' | '\t' | '\r')) {
        return Err(Invalid::new(format!("the notes hold a control character (U+{:04X})", u32::from(c))));
    }
    Ok(())
}

/// A day within [`YEARS`].
pub fn check_day(what: &str, day: NaiveDate) -> Result<(), Invalid> {
    if YEARS.contains(&day.year()) {
        return Ok(());
    }
    Err(Invalid::new(format!(
        "{what} {day} is not a date needlelog keeps: use a year from {} to {}",
        YEARS.start(),
        YEARS.end()
    )))
}

/// An instant within [`YEARS`].
pub fn check_instant(what: &str, at: DateTime<Utc>) -> Result<(), Invalid> {
    check_day(what, at.date_naive())
}

/// An id a file can hold and still give out ids after it.
pub fn check_id(what: &str, id: i64) -> Result<(), Invalid> {
    if (1..ID_MAX).contains(&id) {
        return Ok(());
    }
    Err(Invalid::new(format!("{what} id {id} is out of range: ids run from 1 to {ID_MAX}")))
}

/// The bounds a session's stored values keep to, whatever else is said of it.
pub fn check_bounds_of_session(session: &Session) -> Result<(), Invalid> {
    check_instant("the session date", session.at)?;
    if session.utc_offset_s.abs() > OFFSET_MAX_SECONDS {
        return Err(Invalid::new(format!("a clock {} s from UTC does not exist: at most 14 h", session.utc_offset_s)));
    }
    for (what, text) in [
        ("the serum", &session.serum),
        ("the lot", &session.lot),
        ("the numbing", &session.numbing),
        ("the provider", &session.provider),
        ("the device's model", &session.device_model),
    ] {
        check_line(what, text.as_deref().unwrap_or_default())?;
    }
    for answer in session.screening.iter().flatten() {
        check_line("a screening answer", answer)?;
    }
    check_notes(&session.notes)
}

/// An adverse event: a kind the rules list, severity 0–3, days a calendar holds,
/// resolved no earlier than noticed.
pub fn check_event(event: &crate::domain::AdverseEvent, rules: &Rules) -> Result<(), Invalid> {
    if !rules.adverse_kinds.iter().any(|k| k.key == event.kind) {
        let keys: Vec<&str> = rules.adverse_kinds.iter().map(|k| k.key.as_str()).collect();
        // Quoted with its control characters escaped, cut to 20 characters.
        let kind: String = event.kind.chars().take(20).collect();
        return Err(Invalid::new(format!("no adverse event kind {kind:?}: use one of {}", keys.join(", "))).on("kind"));
    }
    if event.severity > 3 {
        return Err(Invalid::new(format!(
            "severity {} is not 0–3 (0 none, 1 mild, 2 moderate, 3 severe)",
            event.severity
        ))
        .on("severity"));
    }
    check_day("the day noticed", event.noticed_on).map_err(|e| e.on("noticed"))?;
    if let Some(resolved) = event.resolved_on {
        check_day("the day resolved", resolved).map_err(|e| e.on("resolved"))?;
        if resolved < event.noticed_on {
            return Err(Invalid::new(format!("resolved {resolved} is before it was noticed ({})", event.noticed_on))
                .on("resolved"));
        }
    }
    check_notes(&event.notes).map_err(|e| e.on("notes"))
}

/// When an adverse event can have been noticed: after a session that was done,
/// from that session's day (on the wall clock it was logged at) up to `today`;
/// resolved no later than `today`.
pub fn check_event_timing(
    event: &crate::domain::AdverseEvent,
    session: &Session,
    today: NaiveDate,
) -> Result<(), Invalid> {
    if session.status != crate::domain::SessionStatus::Done {
        return Err(Invalid::new(format!(
            "session {} is {}: an adverse event follows a session that was done",
            session.id, session.status
        ))
        .on("session"));
    }
    // The day on the wall clock the session was logged at.
    let day = (session.at + chrono::Duration::seconds(i64::from(session.utc_offset_s))).date_naive();
    if event.noticed_on < day {
        return Err(Invalid::new(format!(
            "noticed {} is before session {} ({day}): an event is noticed on the day of its session or later",
            event.noticed_on, session.id
        ))
        .on("noticed"));
    }
    if event.noticed_on > today {
        return Err(Invalid::new(format!("noticed {} is after today ({today})", event.noticed_on)).on("noticed"));
    }
    if let Some(resolved) = event.resolved_on.filter(|d| *d > today) {
        return Err(Invalid::new(format!("resolved {resolved} is after today ({today})")).on("resolved"));
    }
    Ok(())
}

/// One's own checklist item: a text and a window of at most a year around its session.
pub fn check_custom_item(item: &CustomItem) -> Result<(), Invalid> {
    if item.text.trim().is_empty() {
        return Err(Invalid::new("a checklist item needs a text"));
    }
    check_line("a checklist item", &item.text)?;
    let reach = -WINDOW_MAX_HOURS..=WINDOW_MAX_HOURS;
    if !reach.contains(&item.from_hours) || !reach.contains(&item.to_hours) || item.from_hours >= item.to_hours {
        return Err(Invalid::new(format!(
            "a window from {} h to {} h: it must end after it starts, within a year of the session",
            item.from_hours, item.to_hours
        )));
    }
    Ok(())
}

/// A tick: when it was ticked.
pub fn check_tick(tick: &Tick) -> Result<(), Invalid> {
    check_instant("the tick date", tick.ticked_at)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::model::{DayRange, MonthRange};
    use chrono::NaiveDate;

    fn course() -> Course {
        let rules = Rules::embedded();
        let started = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        Course { areas: vec!["forehead".into()], ..rules.new_course(1, rules.protocol("wrinkles").unwrap(), started) }
    }

    #[test]
    fn courses_need_known_concerns_named_areas_and_sane_numbers() {
        let rules = Rules::embedded();
        assert_eq!(check_course(&course(), rules), Ok(()));
        let bad = [
            Course { concern: " ".into(), ..course() },
            Course { areas: vec![], ..course() },
            Course { areas: vec!["Elbow".into()], ..course() },
            Course { areas: vec!["left=knee".into()], ..course() },
            Course { sessions_target: 0, ..course() },
            Course { interval: DayRange { min: 42, max: 28 }, ..course() },
            Course { maintenance: MonthRange { min: 0, max: 6 }, ..course() },
        ];
        for c in bad {
            assert!(check_course(&c, rules).is_err(), "{c:?}");
        }
        // Any area is a course's to name; one without guidance only keeps to the limits.
        assert_eq!(check_course(&Course { areas: vec!["elbow".into()], ..course() }, rules), Ok(()));
        let twice = Course { areas: vec!["cheeks".into(), "nose".into(), "cheeks".into()], ..course() };
        assert_eq!(
            check_course(&twice, rules).unwrap_err().message,
            "the area cheeks is named twice: name each area once"
        );
        let many = Course { areas: vec!["cheeks".into(); 21], ..course() };
        assert!(check_course(&many, rules).unwrap_err().message.starts_with("21 areas"));
        let old = Course { started_on: NaiveDate::from_ymd_opt(0, 1, 1).unwrap(), ..course() };
        assert!(check_course(&old, rules).is_err());
    }

    #[test]
    fn typed_areas_are_a_set() {
        let rules = Rules::embedded();
        assert_eq!(area_set(["cheeks, Nose,cheeks", " NOSE ", "forehead"], rules), ["cheeks", "nose", "forehead"]);
        assert!(area_set([" , "], rules).is_empty());
        assert_eq!(
            area_set(["cheeks nose", "Upper lip", "Chin / jaw"], rules),
            ["cheeks", "nose", "upper-lip", "chin-jaw"]
        );
        assert_eq!(area_set(["Left  Knee, face, Décolleté"], rules), ["left knee", "face", "chest"]);
        assert!(check_area("left knee").is_ok());
        assert!(check_area("Left knee").is_err());
        assert!(check_area("a=b").is_err());
        assert!(check_area(&"x".repeat(AREA_MAX + 1)).is_err());
    }

    #[test]
    fn stored_values_keep_to_bounds() {
        use chrono::TimeZone;
        let person = |name: &str| Person {
            id: 1,
            name: name.into(),
            skin_type: None,
            notes: String::new(),
            archived: false,
            born_on: None,
            contact: String::new(),
            revision: 0,
        };
        assert!(check_person(&person("Ana")).is_ok());
        assert!(check_person(&person(&"x".repeat(81))).is_err());
        assert!(check_person(&person("Eve\u{0}")).is_err());
        assert!(check_person(&person("Eve\x1b]0;pwned\x07")).is_err());
        assert!(check_person(&person("  ")).is_err());
        assert!(check_id("course", 9_223_372_036_854_775_807).is_err());
        assert!(check_id("course", 0).is_err());
        assert!(check_id("course", 12).is_ok());
        let item = |from, to| CustomItem {
            id: 1,
            course_id: 1,
            phase: crate::domain::CarePhase::Post,
            text: "Ice".into(),
            from_hours: from,
            to_hours: to,
        };
        assert!(check_custom_item(&item(0, 72)).is_ok());
        assert!(check_custom_item(&item(0, 1_000_000_000_000)).is_err());
        assert!(check_custom_item(&item(-10_000, 0)).is_err());
        assert!(check_custom_item(&item(5, 5)).is_err());
        let at = |y| Utc.with_ymd_and_hms(y, 1, 1, 0, 0, 0).unwrap();
        assert!(check_instant("the date", at(1900)).is_ok());
        assert!(check_instant("the date", at(2200)).is_ok());
        assert_eq!(
            check_instant("the date", at(-2026)).unwrap_err().message,
            "the date -2026-01-01 is not a date needlelog keeps: use a year from 1900 to 2200"
        );
        assert!(check_instant("the date", at(2201)).is_err());
    }

    #[test]
    fn errors_name_the_field_they_are_about() {
        use crate::domain::{AdverseEvent, Person};
        let person = Person {
            id: 0,
            name: "Ana".into(),
            skin_type: None,
            notes: String::new(),
            archived: false,
            born_on: None,
            contact: String::new(),
            revision: 0,
        };
        let field = |p: Person| check_person(&p).unwrap_err().field;
        assert_eq!(field(Person { name: "A".repeat(81), ..person.clone() }), Some("name"));
        assert_eq!(field(Person { contact: "x\ny".into(), ..person.clone() }), Some("contact"));
        assert_eq!(field(Person { born_on: NaiveDate::from_ymd_opt(1700, 1, 1), ..person.clone() }), Some("born"));
        assert_eq!(field(Person { notes: "\u{1b}[2J".into(), ..person }), Some("notes"));
        let rules = Rules::embedded();
        let day = |d| NaiveDate::from_ymd_opt(2026, 11, d).unwrap();
        let event = AdverseEvent {
            id: 0,
            session_id: 1,
            kind: "bruising".into(),
            severity: 1,
            noticed_on: day(10),
            resolved_on: None,
            notes: String::new(),
            void: None,
        };
        let field = |e: AdverseEvent| check_event(&e, rules).unwrap_err().field;
        assert_eq!(field(AdverseEvent { kind: "rash".into(), ..event.clone() }), Some("kind"));
        assert_eq!(field(AdverseEvent { severity: 7, ..event.clone() }), Some("severity"));
        assert_eq!(field(AdverseEvent { resolved_on: Some(day(2)), ..event }), Some("resolved"));
    }
}
