//! The lossless, versioned JSON document: `needlelog export --format json` and
//! `needlelog import`.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, Offset, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::CarePhase;
use crate::domain::rules::Rules;
use crate::domain::validate::{check_course, check_custom_item, check_id, check_person, check_tick};
use crate::domain::{
    AreaDepth, Course, CourseStatus, CustomItem, DayRange, Device, MonthRange, Person, Photo, PhotoFormat, Reaction,
    Session, SessionStatus, SkinType, Snapshot, TRAIL_KINDS, Tick, Void,
};

/// The `format` field of every document.
pub const FORMAT: &str = "needlelog";
/// The document version this build writes and reads.
pub const VERSION: u32 = 1;

/// The document as read (written part by part: see `write_document`). Sessions
/// and ticks become records as each is parsed: a million are never held twice.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Document {
    format: String,
    version: u32,
    people: Vec<PersonDoc>,
    courses: Vec<CourseDoc>,
    sessions: Vec<SessionRead>,
    ticks: Vec<TickRead>,
    custom_items: Vec<CustomItemDoc>,
    /// The edit trail (left out when empty).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    edits: Vec<crate::domain::Edit>,
    /// Adverse events (left out when none).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    events: Vec<crate::domain::AdverseEvent>,
    /// The recovery diary (left out when empty).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    diary: Vec<crate::domain::DiaryEntry>,
    /// Consents on record (left out when none).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    consents: Vec<crate::domain::Consent>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct PersonDoc {
    id: i64,
    name: String,
    skin_type: Option<SkinType>,
    notes: String,
    archived: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    born_on: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    contact: String,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct CourseDoc {
    id: i64,
    person_id: i64,
    concern: String,
    areas: Vec<String>,
    sessions_target: u32,
    interval_days: DayRange,
    maintenance_months: MonthRange,
    device: Device,
    status: CourseStatus,
    started_on: NaiveDate,
    notes: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    final_rating: Option<u8>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    place: String,
    /// Who voided the course, when and why (absent: it stands).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    void: Option<Void>,
    /// Its photos of no session (a photo of results day); a session's are with it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    photos: Vec<PhotoRecordDoc>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct SessionDoc {
    id: i64,
    course_id: i64,
    /// The wall-clock time of entry, with its offset: the instant and the offset in one.
    at: DateTime<FixedOffset>,
    status: SessionStatus,
    device: Device,
    depths: Vec<AreaDepth>,
    passes: Option<u32>,
    serum: Option<String>,
    lot: Option<String>,
    numbing: Option<String>,
    pain: Option<u8>,
    reaction: Option<Reaction>,
    rating: Option<u8>,
    provider: Option<String>,
    /// The photos' records (their pictures are in the photo store beside the
    /// file); documents from before the store list paths instead.
    photos: Vec<PhotoDoc>,
    notes: String,
    /// The contraindications that applied when asked (absent: none were asked).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    screening: Option<Vec<String>>,
    /// The device's model (absent: not given).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    device_model: Option<String>,
    /// Who voided the session, when and why (its status is then `voided`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    void: Option<Void>,
    /// Done past the course's own sessions: maintenance (said for readers; an
    /// import works it out again).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    maintenance: bool,
}

/// A session of a document, made a record as it is parsed, with its photos.
struct SessionRead {
    session: Session,
    photos: Vec<PhotoDoc>,
}

impl<'de> Deserialize<'de> for SessionRead {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = SessionDoc::deserialize(deserializer)?;
        // Every field named: a new one does not build until it is read.
        let SessionDoc {
            id,
            course_id,
            at,
            status,
            device,
            depths,
            passes,
            serum,
            lot,
            numbing,
            pain,
            reaction,
            rating,
            provider,
            photos,
            notes,
            screening,
            device_model,
            void,
            maintenance: _, // worked out again from the sessions
        } = s;
        let session = Session {
            id,
            course_id,
            at: at.with_timezone(&Utc),
            utc_offset_s: at.offset().local_minus_utc(),
            status,
            device,
            depths: Some(depths),
            passes,
            serum,
            lot,
            numbing,
            pain,
            reaction,
            rating,
            provider,
            notes,
            screening,
            device_model,
            void,
            revision: 0,
        };
        Ok(SessionRead { session, photos })
    }
}

/// A tick of a document, made a record as it is parsed.
struct TickRead(Tick);

impl<'de> Deserialize<'de> for TickRead {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let TickDoc { session_id, item_id, ticked_at } = TickDoc::deserialize(deserializer)?;
        Ok(TickRead(Tick { session_id, item_id, ticked_at }))
    }
}

#[derive(Serialize, Deserialize)]
#[serde(untagged)]
enum PhotoDoc {
    Record(PhotoRecordDoc),
    Path(String),
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct PhotoRecordDoc {
    id: i64,
    /// SHA-256 of the picture: its name in the photo store.
    hash: String,
    format: PhotoFormat,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    area: Option<String>,
    /// When it was taken, by the camera's clock.
    taken: NaiveDateTime,
    #[serde(default)]
    original_name: String,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct TickDoc {
    session_id: i64,
    item_id: String,
    ticked_at: DateTime<Utc>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct CustomItemDoc {
    id: i64,
    course_id: i64,
    phase: CarePhase,
    text: String,
    from_hours: i64,
    to_hours: i64,
}

/// Just enough of a document to tell which format and version it claims to be.
#[derive(Deserialize, Default)]
struct Head {
    format: Option<String>,
    version: Option<u32>,
}

/// Writes the whole file as a pretty-printed document.
pub fn to_json(snapshot: &Snapshot) -> String {
    let mut bytes = Vec::new();
    // Written to memory from memory: neither side can fail.
    let _ = write_document(snapshot, &mut bytes);
    String::from_utf8(bytes).unwrap_or_default()
}

/// Writes the file's records to `out` as the document [`to_json`] makes, read a
/// chunk at a time: an export of a million sessions holds a chunk, not the file.
/// Returns how many sessions it wrote.
pub fn write_json(store: &dyn crate::store::Records, out: &mut dyn std::io::Write) -> Result<usize, String> {
    super::Stored(store).whole(|parts| write_document(parts, out))
}

/// An array of the document, written as serde's pretty printer writes it, one
/// element at a time.
struct Array<'a> {
    out: &'a mut dyn std::io::Write,
    count: usize,
}

impl<'a> Array<'a> {
    fn open(out: &'a mut dyn std::io::Write, key: &str, first: bool) -> Result<Array<'a>, String> {
        let comma = if first { "" } else { "," };
        write!(out, "{comma}\n  \"{key}\": [").map_err(|e| e.to_string())?;
        Ok(Array { out, count: 0 })
    }

    fn push(&mut self, value: &impl Serialize) -> super::Written {
        let pretty = serde_json::to_string_pretty(value).map_err(|e| e.to_string())?;
        let comma = if self.count == 0 { "" } else { "," };
        let mut text = String::with_capacity(pretty.len() + 64);
        text.push_str(comma);
        for line in pretty.split('\n') {
            text.push_str("\n    ");
            text.push_str(line);
        }
        self.count += 1;
        self.out.write_all(text.as_bytes()).map_err(|e| e.to_string())
    }

    fn close(self) -> super::Written {
        let end = if self.count == 0 { "]" } else { "\n  ]" };
        self.out.write_all(end.as_bytes()).map_err(|e| e.to_string())
    }
}

/// The document, part by part, in the order and form of [`Document`]; how many
/// sessions it holds.
fn write_document(parts: &dyn super::Parts, out: &mut dyn std::io::Write) -> Result<usize, String> {
    let failed = |e: std::io::Error| e.to_string();
    let rest = parts.rest()?;
    let mut session_photos: std::collections::HashMap<i64, Vec<&Photo>> = std::collections::HashMap::new();
    let mut course_photos: std::collections::HashMap<i64, Vec<&Photo>> = std::collections::HashMap::new();
    for p in &rest.photos {
        match p.session_id {
            Some(id) => session_photos.entry(id).or_default().push(p),
            None => course_photos.entry(p.course_id).or_default().push(p),
        }
    }
    write!(out, "{{\n  \"format\": {},\n  \"version\": {VERSION},", serde_json::json!(FORMAT)).map_err(failed)?;
    // The opening brace's line ends before the first key; each key starts its line.
    let mut people = Array::open(out, "people", true)?;
    parts.people(&mut |p| people.push(&person_doc(p)))?;
    people.close()?;
    let mut targets: std::collections::HashMap<i64, u32> = std::collections::HashMap::new();
    let mut courses = Array::open(out, "courses", false)?;
    parts.courses(&mut |c| {
        targets.insert(c.id, c.sessions_target);
        courses.push(&course_doc(c, course_photos.get(&c.id).map(Vec::as_slice).unwrap_or_default()))
    })?;
    courses.close()?;
    let mut maintenance = std::collections::HashSet::new();
    parts.done_by_course(&mut |done| {
        maintenance.extend(crate::domain::windows::maintenance_among(&targets, done));
        Ok(())
    })?;
    let mut sessions = Array::open(out, "sessions", false)?;
    parts.sessions(crate::store::SessionOrder::ById, &mut |s| {
        let photos = session_photos.get(&s.id).map(Vec::as_slice).unwrap_or_default();
        sessions.push(&session_doc(s, photos, maintenance.contains(&s.id)))
    })?;
    let written = sessions.count;
    sessions.close()?;
    let mut ticks = Array::open(out, "ticks", false)?;
    parts.ticks(&mut |t| {
        ticks.push(&TickDoc { session_id: t.session_id, item_id: t.item_id.clone(), ticked_at: t.ticked_at })
    })?;
    ticks.close()?;
    let mut items = Array::open(out, "custom_items", false)?;
    for i in &rest.custom_items {
        items.push(&CustomItemDoc {
            id: i.id,
            course_id: i.course_id,
            phase: i.phase,
            text: i.text.clone(),
            from_hours: i.from_hours,
            to_hours: i.to_hours,
        })?;
    }
    items.close()?;
    // The trail, events, diary and consents are left out when there are none.
    fn optional<T: Serialize>(out: &mut dyn std::io::Write, key: &str, all: &[T]) -> super::Written {
        if all.is_empty() {
            return Ok(());
        }
        let mut array = Array::open(out, key, false)?;
        all.iter().try_for_each(|v| array.push(v))?;
        array.close()
    }
    optional(out, "edits", &rest.edits)?;
    optional(out, "events", &rest.events)?;
    optional(out, "diary", &rest.diary)?;
    optional(out, "consents", &rest.consents)?;
    out.write_all(b"\n}\n").map_err(failed)?;
    Ok(written)
}

fn person_doc(p: &Person) -> PersonDoc {
    PersonDoc {
        id: p.id,
        name: p.name.clone(),
        skin_type: p.skin_type,
        notes: p.notes.clone(),
        archived: p.archived,
        born_on: p.born_on,
        contact: p.contact.clone(),
    }
}

fn course_doc(c: &Course, photos: &[&Photo]) -> CourseDoc {
    CourseDoc {
        id: c.id,
        person_id: c.person_id,
        concern: c.concern.clone(),
        areas: c.areas.clone(),
        sessions_target: c.sessions_target,
        interval_days: c.interval,
        maintenance_months: c.maintenance,
        device: c.device,
        status: c.status,
        started_on: c.started_on,
        notes: c.notes.clone(),
        final_rating: c.final_rating,
        place: c.place.clone(),
        void: c.void.clone(),
        photos: photos.iter().map(|p| photo_doc(p)).collect(),
    }
}

/// A photo's record as the document carries it (where it belongs is where it sits).
fn photo_doc(p: &Photo) -> PhotoRecordDoc {
    let Photo { id, course_id: _, session_id: _, hash, format, area, taken, original_name } = p;
    PhotoRecordDoc {
        id: *id,
        hash: hash.clone(),
        format: *format,
        area: area.clone(),
        taken: *taken,
        original_name: original_name.clone(),
    }
}

fn session_doc(s: &Session, photos: &[&Photo], maintenance: bool) -> SessionDoc {
    // Every field named: a new one does not build until the document carries it.
    let Session {
        id,
        course_id,
        at,
        utc_offset_s,
        status,
        device,
        device_model,
        depths: _, // through `depths()`
        passes,
        serum,
        lot,
        numbing,
        pain,
        reaction,
        rating,
        provider,
        screening,
        notes,
        void,
        revision: _, // the file's own; an import starts each record anew
    } = s;
    let offset = FixedOffset::east_opt(*utc_offset_s).unwrap_or(Utc.fix());
    SessionDoc {
        id: *id,
        course_id: *course_id,
        at: at.with_timezone(&offset),
        status: *status,
        device: *device,
        depths: s.depths().to_vec(),
        passes: *passes,
        serum: serum.clone(),
        lot: lot.clone(),
        numbing: numbing.clone(),
        pain: *pain,
        reaction: *reaction,
        rating: *rating,
        provider: provider.clone(),
        photos: photos.iter().map(|p| PhotoDoc::Record(photo_doc(p))).collect(),
        notes: notes.clone(),
        screening: screening.clone(),
        device_model: device_model.clone(),
        void: void.clone(),
        maintenance,
    }
}

/// Reads a document, refusing anything that is not a complete, valid needlelog
/// export of a version this build knows. The error is one line.
pub fn from_json(text: &str, rules: &Rules, now: DateTime<Utc>) -> Result<Snapshot, String> {
    let head: Head = serde_json::from_str(text).map_err(|e| format!("not a needlelog JSON export ({e})"))?;
    check_head(&head)?;
    let doc: Document = serde_json::from_str(text).map_err(|e| format!("invalid needlelog export: {e}"))?;
    checked(doc, rules, now)
}

/// [`from_json`] of a file read as it is parsed: the text is never held whole.
/// `open` opens it (again, for the reason a document that does not parse is
/// refused: what it claims to be is read first).
pub fn from_json_reader<R: std::io::Read>(
    open: impl Fn() -> std::io::Result<R>,
    rules: &Rules,
    now: DateTime<Utc>,
) -> Result<Snapshot, String> {
    let reader = |r: R| std::io::BufReader::with_capacity(1 << 16, r);
    let opened = |e: std::io::Error| format!("cannot read it ({e})");
    match serde_json::from_reader::<_, Document>(reader(open().map_err(opened)?)) {
        Ok(doc) => {
            check_head(&Head { format: Some(doc.format.clone()), version: Some(doc.version) })?;
            checked(doc, rules, now)
        }
        Err(invalid) => {
            let head: Head = serde_json::from_reader(reader(open().map_err(opened)?))
                .map_err(|e| format!("not a needlelog JSON export ({e})"))?;
            check_head(&head)?;
            Err(format!("invalid needlelog export: {invalid}"))
        }
    }
}

/// Why a document read as it is parsed ([`feed_json`]) went in no further.
#[derive(Debug)]
pub enum Fed {
    /// Its parts are not in the order needlelog writes them (or it does not start
    /// by saying what it is): read it whole instead ([`from_json_reader`]), which
    /// takes any order and says what is wrong with one that is not an export.
    Unordered,
    /// The document is refused: one line saying why.
    Refused(String),
    /// The file being imported into said no.
    File(crate::store::StoreError),
}

/// The parts of a document in the order needlelog writes them; the first five
/// are in every document.
const PARTS: [&str; 9] =
    ["people", "courses", "sessions", "ticks", "custom_items", "edits", "events", "diary", "consents"];
const REQUIRED: usize = 5;
const KEYS: [&str; 11] = [
    "format",
    "version",
    "people",
    "courses",
    "sessions",
    "ticks",
    "custom_items",
    "edits",
    "events",
    "diary",
    "consents",
];

/// Reads a document from `reader` as it is parsed and hands each record, checked
/// as [`from_json`] checks it, to `sink` at once: a million sessions go through
/// a chunk of memory. The document must be in the order needlelog writes it
/// (`format`, `version`, then its parts in order); else [`Fed::Unordered`], and
/// nothing handed over need stand.
pub fn feed_json<R: std::io::Read>(
    reader: R,
    rules: &Rules,
    now: DateTime<Utc>,
    sink: &mut dyn crate::store::ImportSink,
) -> Result<(), Fed> {
    let mut de = serde_json::Deserializer::from_reader(std::io::BufReader::with_capacity(1 << 16, reader));
    let mut feed = Feed { checker: Checker::new(rules, now), sink, failed: None, head: Head::default(), next: 0 };
    let parsed = serde::Deserializer::deserialize_map(&mut de, DocumentVisitor(&mut feed)).and_then(|()| de.end());
    match (parsed, feed.failed.take()) {
        (_, Some(failed)) => Err(failed),
        // Until it has said what it is, a document read whole says it best.
        (Err(_), None) if feed.next < 2 => Err(Fed::Unordered),
        (Err(e), None) if e.is_eof() => {
            Err(Fed::Refused(format!("not a complete needlelog JSON export: it ends early, cut short? ({e})")))
        }
        (Err(e), None) => Err(Fed::Refused(format!("invalid needlelog export: {e}"))),
        (Ok(()), None) => feed.checker.sessions_over().map_err(Fed::Refused),
    }
}

/// What a document read as it is parsed is handed to, and how far it got.
struct Feed<'f, 'r> {
    checker: Checker<'r>,
    sink: &'f mut dyn crate::store::ImportSink,
    failed: Option<Fed>,
    head: Head,
    /// The key expected next: an index into [`KEYS`] (later ones may come first
    /// only when optional ones are left out).
    next: usize,
}

impl Feed<'_, '_> {
    /// Stops the parse with `failed` as the reason (the parser's own error, which
    /// would carry a position, is not the one told).
    fn fail<E: serde::de::Error>(&mut self, failed: Fed) -> E {
        self.failed = Some(failed);
        E::custom("stopped")
    }
}

struct DocumentVisitor<'a, 'f, 'r>(&'a mut Feed<'f, 'r>);

impl<'de> serde::de::Visitor<'de> for DocumentVisitor<'_, '_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a needlelog export")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let feed = self.0;
        while let Some(key) = map.next_key::<String>()? {
            let Some(at) = KEYS.iter().position(|k| *k == key) else {
                return Err(match feed.next < 2 {
                    true => feed.fail(Fed::Unordered),
                    false => serde::de::Error::unknown_field(&key, &KEYS),
                });
            };
            // In order, and only optional parts passed over.
            if at < feed.next || (at > feed.next && feed.next < 2 + REQUIRED) {
                return Err(feed.fail(Fed::Unordered));
            }
            feed.next = at + 1;
            match at {
                0 => feed.head.format = Some(map.next_value()?),
                1 => {
                    feed.head.version = Some(map.next_value()?);
                    if let Err(why) = check_head(&feed.head) {
                        return Err(feed.fail(Fed::Refused(why)));
                    }
                }
                _ => map.next_value_seed(PartSeed { part: at - 2, feed: &mut *feed })?,
            }
        }
        if feed.next < 2 + REQUIRED {
            // A document without a part it must have, or without saying what it is.
            return Err(match feed.next < 2 {
                true => feed.fail(Fed::Unordered),
                false => serde::de::Error::missing_field(PARTS[feed.next - 2]),
            });
        }
        Ok(())
    }
}

/// One part of the document, its elements handed over as each is parsed.
struct PartSeed<'a, 'f, 'r> {
    part: usize,
    feed: &'a mut Feed<'f, 'r>,
}

impl<'de> serde::de::DeserializeSeed<'de> for PartSeed<'_, '_, '_> {
    type Value = ();

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de> serde::de::Visitor<'de> for PartSeed<'_, '_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "a list of {}", PARTS[self.part])
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let feed = self.feed;
        // Each element: checked, then handed over; a refusal ends the parse.
        macro_rules! each {
            ($doc:ty, |$x:ident| $hand:expr) => {
                while let Some($x) = seq.next_element::<$doc>()? {
                    let handed: Result<(), Fed> = (|| $hand)();
                    if let Err(failed) = handed {
                        return Err(feed.fail(failed));
                    }
                }
            };
        }
        let refused = Fed::Refused;
        let store = Fed::File;
        match PARTS[self.part] {
            "people" => each!(PersonDoc, |p| {
                let person = feed.checker.person(p).map_err(refused)?;
                feed.sink.person(&person).map_err(store)
            }),
            "courses" => each!(CourseDoc, |c| {
                let (course, photos) = feed.checker.course(c).map_err(refused)?;
                feed.sink.course(&course).map_err(store)?;
                photos.iter().try_for_each(|p| feed.sink.photo(p)).map_err(store)
            }),
            "sessions" => each!(SessionRead, |s| {
                let (session, photos, paths) = feed.checker.session(s).map_err(refused)?;
                feed.sink.session(&session, &paths).map_err(store)?;
                photos.iter().try_for_each(|p| feed.sink.photo(p)).map_err(store)
            }),
            "ticks" => each!(TickRead, |t| {
                let tick = feed.checker.tick(t).map_err(refused)?;
                feed.sink.tick(&tick).map_err(store)
            }),
            "custom_items" => each!(CustomItemDoc, |i| {
                let item = feed.checker.custom_item(i).map_err(refused)?;
                feed.sink.custom_item(&item).map_err(store)
            }),
            "edits" => each!(crate::domain::Edit, |e| {
                match feed.checker.edit(e).map_err(refused)? {
                    Some(edit) => feed.sink.edit(&edit).map_err(store),
                    None => Ok(()),
                }
            }),
            "events" => each!(crate::domain::AdverseEvent, |e| {
                let event = feed.checker.event(e).map_err(refused)?;
                feed.sink.event(&event).map_err(store)
            }),
            "diary" => each!(crate::domain::DiaryEntry, |d| {
                let entry = feed.checker.diary(d).map_err(refused)?;
                feed.sink.diary(&entry).map_err(store)
            }),
            _ => each!(crate::domain::Consent, |c| {
                let consent = feed.checker.consent(c).map_err(refused)?;
                feed.sink.consent(&consent).map_err(store)
            }),
        }
        Ok(())
    }
}

/// A document says it is a needlelog export of a version this build reads.
fn check_head(head: &Head) -> Result<(), String> {
    if head.format.as_deref() != Some(FORMAT) {
        return Err("not a needlelog JSON export (no \"format\": \"needlelog\" field)".into());
    }
    match head.version {
        Some(VERSION) => Ok(()),
        Some(v) => Err(format!("export version {v} is not supported (this build reads version {VERSION})")),
        None => Err("not a needlelog JSON export (no \"version\" field)".into()),
    }
}

/// The records of a document, each checked as typed input is and its references
/// found, collected into a snapshot.
fn checked(doc: Document, rules: &Rules, now: DateTime<Utc>) -> Result<Snapshot, String> {
    let mut snapshot = Snapshot::default();
    let mut checker = Checker::new(rules, now);
    // Every part named: a new one does not build until it is checked.
    let Document {
        format: _,
        version: _,
        people,
        courses,
        sessions,
        ticks,
        custom_items,
        edits,
        events,
        diary,
        consents,
    } = doc;
    for p in people {
        snapshot.people.push(checker.person(p)?);
    }
    for c in courses {
        let (course, photos) = checker.course(c)?;
        snapshot.courses.push(course);
        snapshot.photos.extend(photos);
    }
    for s in sessions {
        let (session, photos, paths) = checker.session(s)?;
        if !paths.is_empty() {
            snapshot.photo_paths.push((session.id, paths));
        }
        snapshot.sessions.push(session);
        snapshot.photos.extend(photos);
    }
    for t in ticks {
        snapshot.ticks.push(checker.tick(t)?);
    }
    for i in custom_items {
        snapshot.custom_items.push(checker.custom_item(i)?);
    }
    for e in edits {
        snapshot.edits.extend(checker.edit(e)?);
    }
    for e in events {
        snapshot.events.push(checker.event(e)?);
    }
    for d in diary {
        snapshot.diary.push(checker.diary(d)?);
    }
    for c in consents {
        snapshot.consents.push(checker.consent(c)?);
    }
    checker.sessions_over()?;
    Ok(snapshot)
}

/// Checks a document's records one at a time, in the document's order, as typed
/// input is checked, and finds what each points to among those before it. It
/// holds ids, not records: a course's areas (shared between courses with the
/// same ones), a session's id and whether it was done.
struct Checker<'r> {
    rules: &'r Rules,
    now: DateTime<Utc>,
    people: std::collections::HashSet<i64>,
    courses: std::collections::HashMap<i64, std::rc::Rc<[String]>>,
    areas: std::collections::HashSet<std::rc::Rc<[String]>>,
    /// Each session's id shifted left by one, with 1 when it was done or voided
    /// (ids are below 2^53); in id order once sessions are over.
    sessions: Vec<i64>,
    sessions_sorted: bool,
    items: std::collections::HashSet<i64>,
}

/// "course 4 points to person 9, which is not in the file".
fn missing(what: &str, id: i64, target: &str, target_id: i64) -> String {
    format!("{what} {id} points to {target} {target_id}, which is not in the file")
}

fn twice(what: &str, id: i64) -> String {
    format!("{what} {id} appears twice in the file")
}

impl<'r> Checker<'r> {
    fn new(rules: &'r Rules, now: DateTime<Utc>) -> Checker<'r> {
        Checker {
            rules,
            now,
            people: Default::default(),
            courses: Default::default(),
            areas: Default::default(),
            sessions: Vec::new(),
            sessions_sorted: true,
            items: Default::default(),
        }
    }

    fn person(&mut self, p: PersonDoc) -> Result<Person, String> {
        let PersonDoc { id, name, skin_type, notes, archived, born_on, contact } = p;
        let person = Person { id, name, skin_type, notes, archived, born_on, contact, revision: 0 };
        check_id("person", id).and_then(|()| check_person(&person)).map_err(|e| format!("person {id}: {e}"))?;
        if !self.people.insert(id) {
            return Err(twice("person", id));
        }
        Ok(person)
    }

    fn course(&mut self, c: CourseDoc) -> Result<(Course, Vec<Photo>), String> {
        let CourseDoc {
            id,
            person_id,
            concern,
            areas,
            sessions_target,
            interval_days,
            maintenance_months,
            device,
            status,
            started_on,
            notes,
            final_rating,
            place,
            void,
            photos,
        } = c;
        let course = Course {
            id,
            person_id,
            concern,
            areas,
            sessions_target,
            interval: interval_days,
            maintenance: maintenance_months,
            device,
            status,
            started_on,
            notes,
            final_rating,
            place,
            void,
            revision: 0,
        };
        check_id("course", id)
            .and_then(|()| check_course(&course, self.rules))
            .map_err(|e| format!("course {id}: {e}"))?;
        if !self.people.contains(&person_id) {
            return Err(missing("course", id, "person", person_id));
        }
        let areas: std::rc::Rc<[String]> = match self.areas.get(course.areas.as_slice()) {
            Some(shared) => std::rc::Rc::clone(shared),
            None => {
                let shared: std::rc::Rc<[String]> = course.areas.clone().into();
                self.areas.insert(std::rc::Rc::clone(&shared));
                shared
            }
        };
        if self.courses.insert(id, areas).is_some() {
            return Err(twice("course", id));
        }
        let photos = photos.into_iter().map(|r| photo_of(r, id, None)).collect::<Vec<_>>();
        for p in &photos {
            crate::domain::validate::check_photo(p).map_err(|err| format!("a photo of course {id}: {err}"))?;
        }
        Ok((course, photos))
    }

    fn session(&mut self, read: SessionRead) -> Result<(Session, Vec<Photo>, Vec<String>), String> {
        let SessionRead { session: s, photos: docs } = read;
        check_id("session", s.id).map_err(|e| format!("session {}: {e}", s.id))?;
        let Some(areas) = self.courses.get(&s.course_id) else {
            return Err(missing("session", s.id, "course", s.course_id));
        };
        if (s.status == SessionStatus::Voided) != s.void.is_some() {
            return Err(format!(
                "session {}: a voided session says who voided it, when and why, and only it does",
                s.id
            ));
        }
        if let Some(void) = &s.void {
            crate::domain::validate::check_line("who voided it", &void.by)
                .and_then(|()| crate::domain::validate::check_line("a reason", &void.reason))
                .map_err(|e| format!("session {}: {e}", s.id))?;
        }
        let check = crate::domain::entry::record_errors(&s, areas, self.rules, self.now);
        if let Some(e) = check.first_error() {
            return Err(format!("session {}: {e}", s.id));
        }
        let mut photos = Vec::new();
        let mut paths = Vec::new();
        for p in docs {
            match p {
                PhotoDoc::Record(r) => {
                    let photo = photo_of(r, s.course_id, Some(s.id));
                    crate::domain::validate::check_photo(&photo)
                        .map_err(|err| format!("a photo of session {}: {err}", s.id))?;
                    photos.push(photo);
                }
                PhotoDoc::Path(path) => {
                    crate::domain::validate::check_line("a photo's path", &path)
                        .map_err(|err| format!("a photo of session {}: {err}", s.id))?;
                    paths.push(path);
                }
            }
        }
        let kept = i64::from(s.is_done() || s.void.is_some());
        let entry = (s.id << 1) | kept;
        if self.sessions.last().is_some_and(|last| *last >> 1 >= s.id) {
            self.sessions_sorted = false;
        }
        self.sessions.push(entry);
        Ok((s, photos, paths))
    }

    /// Ends the sessions: from here on they are looked up (and an id given twice
    /// is found, when they were not in id order).
    fn sessions_over(&mut self) -> Result<(), String> {
        if self.sessions_sorted {
            return Ok(());
        }
        self.sessions.sort_unstable();
        if let Some(pair) = self.sessions.windows(2).find(|w| w[0] >> 1 == w[1] >> 1) {
            return Err(twice("session", pair[0] >> 1));
        }
        self.sessions_sorted = true;
        Ok(())
    }

    /// Whether session `id` is in the document, and if so whether it was done
    /// (or voided after it was).
    fn session_kept(&mut self, id: i64) -> Result<Option<bool>, String> {
        self.sessions_over()?;
        Ok(match self.sessions.binary_search_by_key(&id, |e| e >> 1) {
            Ok(at) => Some(self.sessions[at] & 1 == 1),
            Err(_) => None,
        })
    }

    fn tick(&mut self, t: TickRead) -> Result<Tick, String> {
        let TickRead(t) = t;
        check_tick(&t).map_err(|e| format!("a tick of session {}: {e}", t.session_id))?;
        if self.session_kept(t.session_id)?.is_none() {
            return Err(format!(
                "a tick of \"{}\" points to session {}, which is not in the file",
                text_safe(&t.item_id),
                t.session_id
            ));
        }
        Ok(t)
    }

    fn custom_item(&mut self, i: CustomItemDoc) -> Result<CustomItem, String> {
        self.sessions_over()?;
        let CustomItemDoc { id, course_id, phase, text, from_hours, to_hours } = i;
        let item = CustomItem { id, course_id, phase, text, from_hours, to_hours };
        check_id("checklist item", id)
            .and_then(|()| check_custom_item(&item))
            .map_err(|e| format!("checklist item {id}: {e}"))?;
        if !self.courses.contains_key(&course_id) {
            return Err(missing("checklist item", id, "course", course_id));
        }
        if !self.items.insert(id) {
            return Err(twice("checklist item", id));
        }
        Ok(item)
    }

    /// An edit of the trail, checked; none when the record it follows is not in
    /// the document (an event's is known only later: see [`crate::store::ImportSink`]).
    fn edit(&mut self, e: crate::domain::Edit) -> Result<Option<crate::domain::Edit>, String> {
        self.sessions_over()?;
        let line = |text: &str| crate::domain::validate::check_line("an edit", text);
        let kind_known = TRAIL_KINDS.contains(&e.kind.as_str());
        // The file itself (its practitioner, an import) is record 0.
        let checked = (if e.kind == "file" && e.record_id == 0 { Ok(()) } else { check_id("record", e.record_id) })
            .and_then(|()| line(&e.field))
            .and_then(|()| line(&e.source))
            .and_then(|()| crate::domain::validate::check_notes(&e.old))
            .and_then(|()| crate::domain::validate::check_notes(&e.new));
        if !kind_known || checked.is_err() {
            return Err(format!("edit of {} {}: not one needlelog keeps", text_safe(&e.kind), e.record_id));
        }
        let held = match crate::domain::Follows::of(&e.kind) {
            Some(crate::domain::Follows::Session) => self.session_kept(e.record_id)?.is_some(),
            Some(crate::domain::Follows::Course) => self.courses.contains_key(&e.record_id),
            Some(crate::domain::Follows::Person) => self.people.contains(&e.record_id),
            Some(crate::domain::Follows::Event | crate::domain::Follows::File) => true,
            None => false,
        };
        Ok(held.then_some(e))
    }

    fn event(&mut self, e: crate::domain::AdverseEvent) -> Result<crate::domain::AdverseEvent, String> {
        check_id("adverse event", e.id)
            .and_then(|()| crate::domain::validate::check_event(&e, self.rules))
            .map_err(|err| format!("adverse event {}: {err}", e.id))?;
        if self.session_kept(e.session_id)?.is_none() {
            return Err(format!(
                "adverse event {} belongs to session {}, which the file does not hold",
                e.id, e.session_id
            ));
        }
        Ok(e)
    }

    fn diary(&mut self, d: crate::domain::DiaryEntry) -> Result<crate::domain::DiaryEntry, String> {
        crate::domain::validate::check_diary(&d).map_err(|err| format!("diary of session {}: {err}", d.session_id))?;
        if self.session_kept(d.session_id)? != Some(true) {
            return Err(format!(
                "the diary of session {} (day {}) needs that session, done, in the file",
                d.session_id, d.day
            ));
        }
        Ok(d)
    }

    fn consent(&mut self, c: crate::domain::Consent) -> Result<crate::domain::Consent, String> {
        self.sessions_over()?;
        crate::domain::validate::check_consent(&c)
            .map_err(|err| format!("the consent of course {}: {err}", c.course_id))?;
        if !self.courses.contains_key(&c.course_id) {
            return Err(format!("a consent belongs to course {}, which the file does not hold", c.course_id));
        }
        Ok(c)
    }
}

/// A photo's record from a document, where it sits.
fn photo_of(r: PhotoRecordDoc, course_id: i64, session_id: Option<i64>) -> Photo {
    let PhotoRecordDoc { id, hash, format, area, taken, original_name } = r;
    Photo { id, course_id, session_id, hash, format, area, taken, original_name }
}

/// A short, printable form of a value from a document, for a message.
fn text_safe(s: &str) -> String {
    crate::text::printable(&crate::text::abbreviate(s, 20))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{AdverseEvent, Consent, DiaryEntry, Edit};
    use crate::store::{ImportSink, Result as StoreResult};

    /// What a sink was handed, in order.
    #[derive(Default)]
    struct Seen(Vec<String>);

    impl ImportSink for Seen {
        fn person(&mut self, p: &Person) -> StoreResult<()> {
            self.0.push(format!("person {}", p.id));
            Ok(())
        }
        fn course(&mut self, c: &Course) -> StoreResult<()> {
            self.0.push(format!("course {}", c.id));
            Ok(())
        }
        fn session(&mut self, s: &Session, paths: &[String]) -> StoreResult<()> {
            self.0.push(format!("session {} ({} paths)", s.id, paths.len()));
            Ok(())
        }
        fn photo(&mut self, p: &Photo) -> StoreResult<()> {
            self.0.push(format!("photo {}", p.id));
            Ok(())
        }
        fn tick(&mut self, t: &Tick) -> StoreResult<()> {
            self.0.push(format!("tick {}", t.session_id));
            Ok(())
        }
        fn custom_item(&mut self, i: &CustomItem) -> StoreResult<()> {
            self.0.push(format!("item {}", i.id));
            Ok(())
        }
        fn edit(&mut self, e: &Edit) -> StoreResult<()> {
            self.0.push(format!("edit {}", e.field));
            Ok(())
        }
        fn event(&mut self, e: &AdverseEvent) -> StoreResult<()> {
            self.0.push(format!("event {}", e.id));
            Ok(())
        }
        fn diary(&mut self, d: &DiaryEntry) -> StoreResult<()> {
            self.0.push(format!("diary {}", d.session_id));
            Ok(())
        }
        fn consent(&mut self, c: &Consent) -> StoreResult<()> {
            self.0.push(format!("consent {}", c.course_id));
            Ok(())
        }
    }

    fn now() -> DateTime<Utc> {
        "2026-11-24T09:00:00Z".parse().unwrap_or_default()
    }

    fn document() -> String {
        let rules = Rules::embedded();
        let zone = crate::domain::time::Zone::utc();
        to_json(&crate::demo::generate(3, 1, 7, rules, now(), &zone))
    }

    /// An export is handed over as parsed, in its order; the same with its parts
    /// in another order is not read this way at all.
    #[test]
    fn a_document_in_its_own_order_is_handed_over_as_it_is_parsed() {
        let rules = Rules::embedded();
        let text = document();
        let mut seen = Seen::default();
        let fed = feed_json(text.as_bytes(), rules, now(), &mut seen);
        assert!(fed.is_ok(), "{fed:?}");
        let whole = from_json(&text, rules, now()).unwrap_or_default();
        let sessions = seen.0.iter().filter(|s| s.starts_with("session ")).count();
        assert_eq!(sessions, whole.sessions.len());
        assert!(sessions > 3);
        let first = |what: &str| seen.0.iter().position(|s| s.starts_with(what));
        assert!(first("person") < first("course") && first("course") < first("session"));
        assert!(first("session") < first("tick"), "{:?}", seen.0);

        // Parts moved: the people after the courses.
        let people_at = text.find("\n  \"people\"").unwrap_or_default();
        let courses_at = text.find("\n  \"courses\"").unwrap_or_default();
        let sessions_at = text.find("\n  \"sessions\"").unwrap_or_default();
        let moved = format!(
            "{}{}{}{}",
            &text[..people_at],
            &text[courses_at..sessions_at],
            &text[people_at..courses_at],
            &text[sessions_at..]
        );
        assert!(matches!(feed_json(moved.as_bytes(), rules, now(), &mut Seen::default()), Err(Fed::Unordered)));
        // Not an export at all: read whole, which says so.
        assert!(matches!(feed_json(&b"[[["[..], rules, now(), &mut Seen::default()), Err(Fed::Unordered)));
        // A newer version, said first: refused at once.
        let newer = text.replacen("\"version\": 1", "\"version\": 2", 1);
        let Err(Fed::Refused(why)) = feed_json(newer.as_bytes(), rules, now(), &mut Seen::default()) else {
            panic!("refused")
        };
        assert!(why.contains("export version 2 is not supported"), "{why}");
        // A key it does not know, and a part it must have left out.
        let unknown = text.replacen("\"ticks\"", "\"tocks\"", 1);
        let Err(Fed::Refused(why)) = feed_json(unknown.as_bytes(), rules, now(), &mut Seen::default()) else {
            panic!("refused")
        };
        assert!(why.contains("unknown field `tocks`"), "{why}");
        let ticks_at = text.find("\n  \"ticks\"").unwrap_or_default();
        let items_at = text.find("\n  \"custom_items\"").unwrap_or_default();
        let without = format!("{}{}", &text[..ticks_at], &text[items_at..]);
        // An edit of a session the document does not hold has nothing to follow.
        let stray = r#"{"kind": "session", "record_id": 424242, "field": "notes", "old": "", "new": "x", "at": "2026-11-01T09:00:00Z", "source": "cli", "by": ""}"#;
        let with_stray = match text.find("\n  \"edits\": [") {
            Some(at) => format!("{}\n  \"edits\": [{stray},{}", &text[..at], &text[at + "\n  \"edits\": [".len()..]),
            None => text.replacen(
                "\n  \"custom_items\": []",
                &format!("\n  \"custom_items\": [],\n  \"edits\": [{stray}]"),
                1,
            ),
        };
        assert!(with_stray.contains("424242"));
        let mut seen = Seen::default();
        assert!(feed_json(with_stray.as_bytes(), rules, now(), &mut seen).is_ok());
        assert!(!seen.0.iter().any(|s| s == "edit notes"), "{:?}", seen.0);
        let whole = from_json(&with_stray, rules, now()).unwrap_or_default();
        assert!(!whole.edits.iter().any(|e| e.record_id == 424242));
        // (Read whole, which names it.)
        assert!(matches!(feed_json(without.as_bytes(), rules, now(), &mut Seen::default()), Err(Fed::Unordered)));
        let why = from_json(&without, rules, now()).err().unwrap_or_default();
        assert!(why.contains("missing field `ticks`"), "{why}");
    }
}
