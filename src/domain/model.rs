//! The things needlelog keeps: people, courses and sessions.
//!
//! Plain data, no storage and no drawing. Instants are `DateTime<Utc>`; the local
//! offset at entry is kept beside them so an exported file says what the clock on
//! the wall read when the session was logged.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// Defines a fieldless enum that reads from and writes to fixed lower-case keys.
macro_rules! keyed_enum {
    ($(#[$meta:meta])* $name:ident, $what:literal { $($variant:ident => $key:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub enum $name {
            $(#[serde(rename = $key)] $variant),+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn key(self) -> &'static str {
                match self { $($name::$variant => $key),+ }
            }

            /// Every accepted key, for error messages: `a|b|c`.
            pub fn choices() -> String {
                [$($key),+].join("|")
            }
        }

        impl std::str::FromStr for $name {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, String> {
                let wanted = s.trim();
                $name::ALL
                    .iter()
                    .copied()
                    .find(|v| v.key().eq_ignore_ascii_case(wanted))
                    .ok_or_else(|| format!("unknown {} \"{}\": use {}", $what, s, $name::choices()))
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.key())
            }
        }
    };
}

keyed_enum!(
    /// The tool used for a session.
    Device, "device" {
        Pen => "pen",
        Roller => "roller",
        Rf => "rf",
        Other => "other",
    }
);

keyed_enum!(
    /// Redness after a session.
    Reaction, "reaction" {
        None => "none",
        Mild => "mild",
        Moderate => "moderate",
        Severe => "severe",
    }
);

keyed_enum!(
    /// Where a session stands. A voided one was done, then voided (see
    /// [`Void`]): it stays on record and counts nowhere.
    SessionStatus, "session status" {
        Planned => "planned",
        Done => "done",
        Cancelled => "cancelled",
        Voided => "voided",
    }
);

/// Why a record no longer counts: who voided it, when and why. A clinical
/// record is voided rather than deleted: it stays in the file, is shown as
/// voided, and can be brought back (`trash restore`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Void {
    pub at: DateTime<Utc>,
    /// Who voided it (the file's practitioner, else the login name).
    pub by: String,
    pub reason: String,
}

keyed_enum!(
    /// Where a course stands.
    CourseStatus, "course status" {
        Active => "active",
        Paused => "paused",
        Completed => "completed",
    }
);

keyed_enum!(
    /// Before (pre-care) or after (post-care) a session.
    CarePhase, "care phase" {
        Pre => "pre",
        Post => "post",
    }
);

keyed_enum!(
    /// Fitzpatrick skin type.
    SkinType, "skin type" {
        I => "i",
        II => "ii",
        III => "iii",
        IV => "iv",
        V => "v",
        VI => "vi",
    }
);

impl SkinType {
    /// Roman numerals as people write them.
    pub fn label(self) -> String {
        self.key().to_ascii_uppercase()
    }
}

/// Whose skin.
#[derive(Debug, Clone, PartialEq)]
pub struct Person {
    pub id: i64,
    pub name: String,
    pub skin_type: Option<SkinType>,
    pub notes: String,
    pub archived: bool,
    /// Tells namesakes apart; optional.
    pub born_on: Option<NaiveDate>,
    /// A phone number or an email, in words; optional.
    pub contact: String,
    /// Goes up by one with every saved change (0 until stored and changed).
    pub revision: i64,
}

impl Person {
    /// The name, told apart from namesakes when there are any: `Ana Ruiz (b.
    /// 1984-03-02)`, else `Ana Ruiz (#7)`.
    pub fn told_apart(&self, namesakes: bool) -> String {
        match (namesakes, self.born_on) {
            (false, _) => self.name.clone(),
            (true, Some(day)) => format!("{} (b. {day})", self.name),
            (true, None) => format!("{} (#{})", self.name, self.id),
        }
    }

    /// The person a new file starts with: whoever uses it.
    pub const ME: &'static str = "Me";

    pub fn is_me(&self) -> bool {
        self.name == Person::ME
    }
}

keyed_enum!(
    /// Whose file it is: one person's own log, or a practitioner's of many clients.
    FileKind, "kind of file" {
        Patient => "patient",
        Practitioner => "practitioner",
    }
);

/// An inclusive range of whole days (the gap between sessions).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayRange {
    pub min: u32,
    pub max: u32,
}

/// An inclusive range of whole months (maintenance spacing).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthRange {
    pub min: u32,
    pub max: u32,
}

/// One concern on one or more areas for one person.
#[derive(Debug, Clone, PartialEq)]
pub struct Course {
    pub id: i64,
    pub person_id: i64,
    /// A key of the protocol table (`acne-scars`, ...).
    pub concern: String,
    /// Area keys of the depth table (`cheeks`, ...).
    pub areas: Vec<String>,
    pub sessions_target: u32,
    pub interval: DayRange,
    pub maintenance: MonthRange,
    pub device: Device,
    pub status: CourseStatus,
    pub started_on: NaiveDate,
    pub notes: String,
    /// Where the sessions take place (a clinic's name or address); may be empty.
    pub place: String,
    /// How the skin looked when the results were judged (1–10), once given.
    pub final_rating: Option<u8>,
    /// Set when the course was voided (started by mistake): it is listed,
    /// counted and recalled nowhere, and its done sessions are voided with it.
    pub void: Option<Void>,
    /// Goes up by one with every saved change.
    pub revision: i64,
}

/// Needle depth used on one area.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AreaDepth {
    pub area: String,
    pub mm: f64,
}

/// One treatment, done, planned or cancelled.
#[derive(Debug, Clone, PartialEq)]
pub struct Session {
    pub id: i64,
    pub course_id: i64,
    pub at: DateTime<Utc>,
    /// Seconds east of UTC on the wall clock when the session was entered.
    pub utc_offset_s: i32,
    pub status: SessionStatus,
    pub device: Device,
    /// The device's model in words ("SkinPen Precision"), when given.
    pub device_model: Option<String>,
    /// Needle depths per area; `None` when the session was read without them
    /// (lists that never show them). Saving a session whose depths were not
    /// loaded leaves the stored ones as they are.
    pub depths: Option<Vec<AreaDepth>>,
    pub passes: Option<u32>,
    pub serum: Option<String>,
    pub lot: Option<String>,
    pub numbing: Option<String>,
    pub pain: Option<u8>,
    pub reaction: Option<Reaction>,
    pub rating: Option<u8>,
    pub provider: Option<String>,
    /// The contraindications that applied when asked before the session (ids from
    /// the rules); `Some(vec![])` when none did, `None` when none were asked.
    pub screening: Option<Vec<String>>,
    pub notes: String,
    /// Who voided it, when and why: set exactly when `status` is `Voided`.
    pub void: Option<Void>,
    /// Goes up by one with every saved change.
    pub revision: i64,
}

impl Session {
    /// A session with every optional detail empty.
    pub fn new(course_id: i64, at: DateTime<Utc>, utc_offset_s: i32, status: SessionStatus, device: Device) -> Self {
        Session {
            id: 0,
            course_id,
            at,
            utc_offset_s,
            status,
            device,
            device_model: None,
            depths: Some(Vec::new()),
            passes: None,
            serum: None,
            lot: None,
            numbing: None,
            pain: None,
            reaction: None,
            rating: None,
            provider: None,
            screening: None,
            notes: String::new(),
            void: None,
            revision: 0,
        }
    }

    pub fn is_done(&self) -> bool {
        self.status == SessionStatus::Done
    }

    pub fn is_planned(&self) -> bool {
        self.status == SessionStatus::Planned
    }

    /// The depths as far as they were loaded: none when they were not.
    pub fn depths(&self) -> &[AreaDepth] {
        self.depths.as_deref().unwrap_or_default()
    }

    /// Depths in short: `1.5` when every area had the same, else `ch 1.5 fo .75`.
    pub fn depths_brief(&self) -> String {
        let depths = self.depths();
        // One depth everywhere: the number alone; else each area by its first
        // letters (`ch 1.5 fo .75`), so a narrow column still says which is which.
        if let Some(first) = depths.first()
            && depths.iter().all(|d| d.mm == first.mm)
        {
            return first.mm.to_string();
        }
        let short = |mm: f64| {
            let text = mm.to_string();
            text.strip_prefix("0.").map_or(text.clone(), |rest| format!(".{rest}"))
        };
        depths
            .iter()
            .map(|d| format!("{} {}", d.area.chars().take(2).collect::<String>(), short(d.mm)))
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// Depths as `area=mm` pairs joined with `sep`.
    pub fn depths_text(&self, sep: &str) -> String {
        self.depths().iter().map(|d| format!("{}={}", d.area, d.mm)).collect::<Vec<_>>().join(sep)
    }
}

/// A checklist item ticked for one session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tick {
    pub session_id: i64,
    pub item_id: String,
    pub ticked_at: DateTime<Utc>,
}

/// A checklist item a person added to one of their courses.
#[derive(Debug, Clone, PartialEq)]
pub struct CustomItem {
    pub id: i64,
    pub course_id: i64,
    pub phase: CarePhase,
    pub text: String,
    pub from_hours: i64,
    pub to_hours: i64,
}

/// Everything in one file, in a form independent of storage.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Snapshot {
    pub people: Vec<Person>,
    pub courses: Vec<Course>,
    pub sessions: Vec<Session>,
    pub ticks: Vec<Tick>,
    pub custom_items: Vec<CustomItem>,
    /// The edit trail: every change to a field of a stored record.
    pub edits: Vec<Edit>,
    /// Adverse events recorded against sessions.
    pub events: Vec<AdverseEvent>,
    /// The recovery diary: how the skin was on the days after each session.
    pub diary: Vec<DiaryEntry>,
    /// Consent on record, per course.
    pub consents: Vec<Consent>,
    /// The photos' records (the pictures are files in the photo store).
    pub photos: Vec<Photo>,
    /// Photos named by path in documents from before the photo store: (session
    /// id, paths), moved into the store after an import when the files exist.
    pub photo_paths: Vec<(i64, Vec<String>)>,
}

/// The consent given for a course: the day, what was agreed (the text or the
/// document's name), and whether photos may be taken.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Consent {
    pub course_id: i64,
    pub given_on: NaiveDate,
    pub what: String,
    #[serde(default)]
    pub photos: bool,
    /// Who took it (the practitioner); empty when not said.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub by: String,
}

/// How the skin was on day `day` after a done session (the session's own day is
/// day 0): redness, swelling, flaking and tightness from 0 (none) to 3 (strong),
/// each optional, and a line of words.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DiaryEntry {
    pub session_id: i64,
    pub day: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redness: Option<u8>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub swelling: Option<u8>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flaking: Option<u8>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tightness: Option<u8>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
}

impl DiaryEntry {
    /// The four signs with their names, in order.
    pub fn signs(&self) -> [(&'static str, Option<u8>); 4] {
        [
            ("redness", self.redness),
            ("swelling", self.swelling),
            ("flaking", self.flaking),
            ("tightness", self.tightness),
        ]
    }
}

/// Something beyond the expected redness after a session, as a practitioner records
/// it: what, noticed when, how bad (0–3), what was done, resolved when.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct AdverseEvent {
    pub id: i64,
    pub session_id: i64,
    /// A key of the rules' adverse event kinds (`bruising`).
    pub kind: String,
    pub noticed_on: NaiveDate,
    pub severity: u8,
    pub notes: String,
    pub resolved_on: Option<NaiveDate>,
    /// Who voided it (recorded in error), when and why.
    #[serde(default)]
    pub void: Option<Void>,
}

impl AdverseEvent {
    /// Not resolved yet (and not voided: one recorded in error is never open).
    pub fn is_open(&self) -> bool {
        self.resolved_on.is_none() && self.void.is_none()
    }
}

/// One field of a stored record changed: what it was, what it became, when and
/// from where. The trail only grows.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Edit {
    /// What kind of record changed: one of [`TRAIL_KINDS`].
    pub kind: String,
    pub record_id: i64,
    /// The field as people name it (`depth`, `notes`, `when`).
    pub field: String,
    pub old: String,
    pub new: String,
    pub at: DateTime<Utc>,
    /// `app` or `cli`.
    pub source: String,
    /// Who made the change: the file's practitioner, else the login name (empty
    /// in rows from before names were kept).
    #[serde(default)]
    pub by: String,
}

/// The kinds of record the trail follows: a record's fields, and the events of
/// its life (voided, restored, purged). `file` is the file itself (its
/// practitioner, an import), `void` and `course-void` the trash's entries.
pub const TRAIL_KINDS: &[&str] = &[
    "session",
    "course",
    "person",
    "event",
    "consent",
    "diary",
    "photo",
    "tick",
    "recall",
    "file",
    "void",
    "course-void",
];

/// Which record an edit of the trail follows, by its kind: what ties it to a
/// record when the records move (an import gives them new ids).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Follows {
    Session,
    Course,
    Person,
    Event,
    /// The file itself (record 0).
    File,
}

impl Follows {
    /// The record an edit of `kind` follows (none for a kind the trail does not keep).
    pub fn of(kind: &str) -> Option<Follows> {
        match kind {
            "session" | "diary" | "tick" | "photo" | "void" => Some(Follows::Session),
            "course" | "consent" | "recall" | "course-void" => Some(Follows::Course),
            "person" => Some(Follows::Person),
            "event" => Some(Follows::Event),
            "file" => Some(Follows::File),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_the_trail_keeps_follows_a_record() {
        for kind in TRAIL_KINDS {
            assert!(Follows::of(kind).is_some(), "{kind}");
        }
        assert_eq!(Follows::of("nonsense"), None);
    }

    #[test]
    fn keyed_enums_round_trip_and_explain_bad_keys() {
        for d in Device::ALL {
            assert_eq!(d.key().parse::<Device>(), Ok(*d));
        }
        assert_eq!(" Severe ".parse::<Reaction>(), Ok(Reaction::Severe));
        let err = "laser".parse::<Device>().unwrap_err();
        assert_eq!(err, "unknown device \"laser\": use pen|roller|rf|other");
        assert_eq!("iv".parse::<SkinType>().map(SkinType::label), Ok("IV".to_string()));
    }
}

/// The formats kept in the photo store.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PhotoFormat {
    Jpeg,
    Png,
    Webp,
}

impl PhotoFormat {
    /// The stored file's extension.
    pub fn extension(self) -> &'static str {
        match self {
            PhotoFormat::Jpeg => "jpg",
            PhotoFormat::Png => "png",
            PhotoFormat::Webp => "webp",
        }
    }

    /// The key in the file and in exports.
    pub fn key(self) -> &'static str {
        match self {
            PhotoFormat::Jpeg => "jpeg",
            PhotoFormat::Png => "png",
            PhotoFormat::Webp => "webp",
        }
    }
}

impl std::str::FromStr for PhotoFormat {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "jpeg" => Ok(PhotoFormat::Jpeg),
            "png" => Ok(PhotoFormat::Png),
            "webp" => Ok(PhotoFormat::Webp),
            other => Err(format!("unknown photo format {other:?}")),
        }
    }
}

/// Whether `text` names a picture of the photo store: a SHA-256 as 64 lowercase
/// hex digits. Nothing else read from a file may become part of a path.
pub fn is_photo_hash(text: &str) -> bool {
    text.len() == 64 && text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// A photo attached to a session. The picture itself is in the photo store
/// beside the file, named by `hash`; the same picture twice is stored once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Photo {
    pub id: i64,
    /// The course it belongs to.
    pub course_id: i64,
    /// The session it was taken at, if any: a photo of results day belongs to the
    /// course alone.
    pub session_id: Option<i64>,
    /// SHA-256 of the file, lower-case hex.
    pub hash: String,
    pub format: PhotoFormat,
    /// The area it shows (a key of the rules' areas, or the user's own), when said.
    pub area: Option<String>,
    /// When it was taken, by the camera's clock (else the file's time).
    pub taken: chrono::NaiveDateTime,
    /// The file name it came with.
    pub original_name: String,
}

/// What photos are added to: a session (and so its course), or a course alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhotoOf {
    Session(i64),
    Course(i64),
}

impl Photo {
    /// The stored file's name: `HASH.jpg`.
    pub fn file_name(&self) -> String {
        format!("{}.{}", self.hash, self.format.extension())
    }
}
