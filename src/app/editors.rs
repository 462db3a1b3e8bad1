//! The session, course and person forms: which fields they have, and how their
//! text becomes a checked record (or errors beside the fields).

use chrono::{DateTime, NaiveDate, Utc};

use super::form::{Choice, Field, Form};
use crate::domain::depth::parse_depths;
use crate::domain::entry::{self, EntryField, bounds, check_entry};
use crate::domain::rules::Rules;
use crate::domain::time::{Zone, local_date, offset_seconds, parse_interval, parse_when};
use crate::domain::validate::{SESSIONS_TARGET, check_course};
use crate::domain::{Course, CourseStatus, CustomItem, Device, Person, Reaction, Session, SessionStatus, SkinType};
use crate::text;

/// What reading a form takes besides the form: the rules, whose file it is, the
/// clock and zone, and the other sessions of the course (for the timing check).
pub struct Reading<'a> {
    pub others: &'a [Session],
    pub rules: &'a Rules,
    pub kind: crate::domain::FileKind,
    pub now: DateTime<Utc>,
    pub zone: &'a Zone,
    /// The pictures the Photos field names, as read off the drawing thread.
    pub photos: super::photo_check::Photos,
}

/// What a form edits, one kind of record per variant: the values it shows (and,
/// once read, the values typed), and — for a record already in the file — the
/// record as stored when the form opened. A save writes only the fields that
/// differ from the stored one; with no stored record it adds a new one. Each
/// variant carries its own kind of stored record, so they cannot be mixed up.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum Editor {
    Session {
        session: Session,
        course: Course,
        stored: Option<Session>,
        /// Pictures the Photos field named, checked, to attach on saving.
        photos: Vec<crate::photos::Pending>,
    },
    Course {
        course: Course,
        stored: Option<Course>,
        /// A new course's consent, when the form says it was given.
        consent: Option<crate::domain::Consent>,
        /// The person's skin type, when the form asked it (with a first course).
        skin: Option<SkinType>,
    },
    Person {
        person: Person,
        stored: Option<Person>,
    },
    CustomItem {
        item: CustomItem,
    },
    /// An adverse event recorded against a session.
    Event {
        event: crate::domain::AdverseEvent,
    },
    /// A day of the recovery diary after a done session.
    Diary {
        entry: crate::domain::DiaryEntry,
    },
    /// A course's final rating, on its own small form.
    FinalRating {
        course: Course,
        stored: Course,
    },
    /// The consent on record for a course (`c` on a client's card).
    Consent {
        consent: crate::domain::Consent,
    },
    /// Why a done session is voided (`d` on it): the record keeps the reason,
    /// which a practitioner's file asks for.
    Void {
        session_id: i64,
        reason: String,
        required: bool,
    },
    /// Pictures for the course itself, of no session (`a` on Photos): a photo of
    /// results day, say.
    CoursePhotos {
        course_id: i64,
        photos: Vec<crate::photos::Pending>,
    },
}

impl Editor {
    /// A stored session, shown with `change` applied (marking it done, say).
    pub fn session(stored: Session, course: Course, change: impl FnOnce(&mut Session)) -> Editor {
        let mut session = stored.clone();
        change(&mut session);
        Editor::Session { session, course, stored: Some(stored), photos: Vec::new() }
    }

    /// A stored course, or a new one (`stored` false).
    pub fn course(course: Course, stored: bool) -> Editor {
        Editor::Course { stored: stored.then(|| course.clone()), course, consent: None, skin: None }
    }

    /// A stored person, or a new one (`stored` false).
    pub fn person(person: Person, stored: bool) -> Editor {
        Editor::Person { stored: stored.then(|| person.clone()), person }
    }

    pub fn is_new(&self) -> bool {
        match self {
            Editor::Session { stored, .. } => stored.is_none(),
            Editor::Course { stored, .. } => stored.is_none(),
            Editor::Person { stored, .. } => stored.is_none(),
            Editor::CustomItem { .. } | Editor::Diary { .. } | Editor::CoursePhotos { .. } => true,
            Editor::Event { event } => event.id == 0,
            Editor::FinalRating { .. } | Editor::Void { .. } | Editor::Consent { .. } => false,
        }
    }

    /// The course whose sessions matter to the timing check, for a session.
    pub fn course_id(&self) -> Option<i64> {
        match self {
            Editor::Session { course, .. } => Some(course.id),
            _ => None,
        }
    }

    /// Reads `form` into an editor of the same kind holding the typed values. On
    /// problems the fields are marked and None comes back.
    pub fn read(&self, form: &mut Form, r: &Reading<'_>) -> Option<Editor> {
        let (rules, now, zone) = (r.rules, r.now, r.zone);
        Some(match self {
            Editor::Session { session, course, stored, .. } => {
                let session = read_session(form, session, course, r);
                // Checked even when another field is wrong, so every problem shows at once.
                let photos = read_photos(form, &r.photos);
                Editor::Session { session: session?, course: course.clone(), stored: stored.clone(), photos: photos? }
            }
            Editor::Course { course, stored, .. } => {
                // A new course's form asks about consent: given today, or not yet.
                let consent = match form.field("consent").map(|_| form.value("consent")) {
                    Some("given" | "photos") => Some(crate::domain::Consent {
                        course_id: 0,
                        given_on: local_date(now, zone),
                        what: super::small_forms::CONSENT_WHAT.into(),
                        photos: form.value("consent") == "photos",
                        by: String::new(),
                    }),
                    _ => None,
                };
                let skin = form.field("skin").and_then(|f| f.value().parse::<SkinType>().ok());
                Editor::Course { course: read_course(form, course, rules)?, stored: stored.clone(), consent, skin }
            }
            Editor::Person { person, stored } => {
                Editor::Person { person: read_person(form, person)?, stored: stored.clone() }
            }
            Editor::CustomItem { item } => Editor::CustomItem { item: read_custom_item(form, item, rules)? },
            Editor::Event { event } => Editor::Event { event: read_event(form, event, rules, now, zone)? },
            Editor::Diary { entry } => Editor::Diary { entry: read_diary(form, entry)? },
            Editor::FinalRating { course, stored } => {
                form.clear_messages();
                let rating = number(form, "rating", (1, 10)).and_then(|v| u8::try_from(v).ok());
                if rating.is_none() && !form.has_errors() {
                    form.fail("rating", "how does your skin look now, from 1 to 10?");
                }
                if form.has_errors() {
                    return None;
                }
                Editor::FinalRating {
                    course: Course { final_rating: rating, ..course.clone() },
                    stored: stored.clone(),
                }
            }
            Editor::Consent { consent } => {
                Editor::Consent { consent: super::small_forms::read_consent(form, consent, now, zone)? }
            }
            Editor::Void { session_id, required, .. } => {
                form.clear_messages();
                let reason = form.value("reason").trim().to_string();
                if *required && reason.is_empty() {
                    form.fail("reason", "say why: the record keeps it (logged for the wrong client, say)");
                } else if let Err(e) = crate::domain::validate::check_line("a reason", &reason) {
                    form.fail("reason", e.message);
                }
                if form.has_errors() {
                    return None;
                }
                Editor::Void { session_id: *session_id, reason, required: *required }
            }
            Editor::CoursePhotos { course_id, .. } => {
                form.clear_messages();
                if form.value("photos").trim().is_empty() {
                    form.fail("photos", "name a picture: a path, or AREA=PATH");
                    return None;
                }
                Editor::CoursePhotos { course_id: *course_id, photos: read_photos(form, &r.photos)? }
            }
        })
    }
}

fn keyed<T: Copy>(all: &[T], key: impl Fn(T) -> &'static str, label: impl Fn(T) -> String) -> Vec<Choice> {
    all.iter().map(|v| Choice::new(key(*v), label(*v))).collect()
}

fn capitalized(s: &str) -> String {
    let mut chars = s.chars();
    chars.next().map(|c| c.to_uppercase().collect::<String>() + chars.as_str()).unwrap_or_default()
}

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

/// The session form, filled from `session`.
pub fn session_form(title: &str, session: &Session, course: &Course, zone: &Zone) -> Form {
    let statuses = keyed(SessionStatus::ALL, SessionStatus::key, |s| capitalized(s.key()));
    let devices = keyed(Device::ALL, Device::key, |d| match d {
        Device::Pen => "Pen (SkinPen, Dermapen…)".into(),
        Device::Roller => "Roller".into(),
        Device::Rf => "RF microneedling".into(),
        Device::Other => "Other".into(),
    });
    let mut reactions = vec![Choice::new("", "—")];
    reactions.extend(keyed(Reaction::ALL, Reaction::key, |r| capitalized(r.key())));
    let depth_hint = if course.areas.len() > 1 {
        format!(
            "mm for every area, or {}",
            course.areas.iter().map(|a| format!("{a}=0.5")).collect::<Vec<_>>().join(",")
        )
    } else {
        "mm, e.g. 0.5".to_string()
    };
    let depths = match session.depths() {
        [] => String::new(),
        all if all.iter().all(|d| d.mm == all[0].mm) && all.len() == course.areas.len() => all[0].mm.to_string(),
        _ => session.depths_text(","),
    };
    Form::new(
        title,
        vec![
            Field::text("when", "When", text::input(session.at, zone), "2026-11-23 14:00, today, yesterday 18:30, +4w"),
            Field::picker("status", "Status", statuses, session.status.key()),
            Field::picker("device", "Device", devices, session.device.key()),
            Field::text("depth", "Depth (mm)", depths, depth_hint),
            Field::text("passes", "Passes", opt(session.passes), {
                let (lo, hi) = bounds(&entry::PASSES);
                format!("{lo} to {hi}")
            }),
            Field::text("pain", "Pain 0–10", opt(session.pain), "0 none … 10 worst"),
            Field::picker("reaction", "Redness", reactions, session.reaction.map_or("", Reaction::key)),
            Field::text("rating", "Skin 1–10", opt(session.rating), "how your skin looks today"),
            Field::text("serum", "Serum", session.serum.clone().unwrap_or_default(), "product used"),
            Field::text("lot", "Lot", session.lot.clone().unwrap_or_default(), "serum lot number"),
            Field::text("numbing", "Numbing", session.numbing.clone().unwrap_or_default(), "product and minutes"),
            Field::text("provider", "Provider", session.provider.clone().unwrap_or_default(), "self, or the clinic"),
            Field::text(
                "model",
                "Model",
                session.device_model.clone().unwrap_or_default(),
                "the device's model: SkinPen Precision, Dermapen 4 (last time's is offered)",
            ),
            Field::text(
                "photos",
                "Add photos",
                "",
                "paths, comma separated (~ works); AREA=PATH says the area: cheeks=~/before.jpg",
            ),
            Field::notes("notes", "Notes", session.notes.clone(), ""),
        ],
    )
}

/// Reads the session form into `base` and checks it with the one rule for every
/// session ([`check_entry`]). On problems, marks the fields and returns None;
/// warnings (depth guidance, timing) sit on their fields and do not block.
fn read_session(form: &mut Form, base: &Session, course: &Course, r: &Reading<'_>) -> Option<Session> {
    let (rules, now, zone) = (r.rules, r.now, r.zone);
    form.clear_messages();
    // What the user did not touch stays exactly as it was (seconds, spaces, the
    // instant of an hour the clocks show twice): only typed fields are read.
    let touched = |form: &Form, name: &str| form.field(name).is_some_and(|f| f.touched);
    let mut s = base.clone();
    if touched(form, "when") {
        match parse_when(form.value("when"), now, zone) {
            Ok(at) => {
                s.at = at;
                s.utc_offset_s = offset_seconds(at, zone);
            }
            Err(e) => form.fail("when", e.to_string()),
        }
    }
    if touched(form, "status") {
        s.status = form.value("status").parse().unwrap_or(s.status);
    }
    if touched(form, "device") {
        s.device = form.value("device").parse().unwrap_or(s.device);
    }
    if touched(form, "depth") {
        let depth = form.value("depth").trim().to_string();
        if depth.is_empty() {
            s.depths = Some(Vec::new());
        } else {
            match parse_depths(&depth, &course.areas, rules) {
                Ok(d) => s.depths = Some(d),
                Err(e) => form.fail("depth", e.to_string()),
            }
        }
    }
    if touched(form, "passes") {
        s.passes = number(form, "passes", bounds(&entry::PASSES));
    }
    if touched(form, "pain") {
        s.pain = number(form, "pain", bounds(&entry::PAIN)).and_then(|v| u8::try_from(v).ok());
    }
    if touched(form, "rating") {
        s.rating = number(form, "rating", bounds(&entry::RATING)).and_then(|v| u8::try_from(v).ok());
    }
    if touched(form, "reaction") {
        s.reaction = form.value("reaction").parse().ok();
    }
    let optional = |v: &str| Some(v.trim().to_string()).filter(|v| !v.is_empty());
    for (name, value) in
        [("serum", &mut s.serum), ("lot", &mut s.lot), ("numbing", &mut s.numbing), ("model", &mut s.device_model)]
    {
        if touched(form, name) {
            *value = optional(form.value(name));
        }
    }
    if touched(form, "provider") {
        s.provider = optional(form.value("provider"));
    }
    if touched(form, "notes") {
        s.notes = form.value("notes").trim().to_string();
    }
    if form.has_errors() {
        return None;
    }
    // A plan is for a time ahead, as the command line has it: a time already
    // past is logged as done (a), or moved on.
    if s.is_planned() && s.at <= now && (base.id == 0 || touched(form, "when")) {
        form.fail("when", "that time has already passed: plan a time ahead, or log the session as done with a");
    }
    let check = check_entry(&s, course, r.others, rules, r.kind, now, zone);
    for e in &check.errors {
        match field_name(e.field) {
            Some(name) => form.fail(name, e.message.clone()),
            None => form.error = Some(e.message.clone()),
        }
    }
    for w in &check.warnings {
        if let Some(f) = field_name(w.field).and_then(|name| form.field_mut(name)) {
            f.warning = Some(match f.warning.take() {
                Some(before) => format!("{before}; {}", w.message),
                None => w.message.clone(),
            });
        }
    }
    (!form.has_errors()).then_some(s)
}

/// The form of `a` on Photos: pictures for the course itself.
pub fn course_photos_form() -> Form {
    Form::new(
        "Add photos to the course (of no session: results day, say)",
        vec![Field::text(
            "photos",
            "Photos",
            "",
            "paths, comma separated (~ works); AREA=PATH says the area: cheeks=~/results.jpg",
        )],
    )
}

/// The pictures the Photos field names, checked (JPEG, PNG or WebP, whole) off
/// the drawing thread: a problem marks the field and names the file; while they
/// are read the field says so and the save goes on by itself when they are.
fn read_photos(form: &mut Form, photos: &super::photo_check::Photos) -> Option<Vec<crate::photos::Pending>> {
    match photos {
        super::photo_check::Photos::Checked(Ok(pending)) => Some(pending.clone()),
        super::photo_check::Photos::Checked(Err(e)) => {
            form.fail("photos", text::printable(e));
            None
        }
        super::photo_check::Photos::Checking => {
            form.fail("photos", "reading the pictures… the session is saved once they are checked");
            None
        }
    }
}

/// The form field that shows what the entry rule says about `field` (None: the
/// form as a whole).
fn field_name(field: EntryField) -> Option<&'static str> {
    match field {
        EntryField::When => Some("when"),
        EntryField::Depth => Some("depth"),
        EntryField::Passes => Some("passes"),
        EntryField::Pain => Some("pain"),
        EntryField::Rating => Some("rating"),
        EntryField::Notes => Some("notes"),
        EntryField::Device => Some("device"),
        EntryField::Details => None,
    }
}

/// A whole number between `lo` and `hi`, or None when empty; marks the field otherwise.
pub(super) fn number(form: &mut Form, name: &'static str, (lo, hi): (u32, u32)) -> Option<u32> {
    let text = form.value(name).trim().to_string();
    if text.is_empty() {
        return None;
    }
    match text.parse::<u32>() {
        Ok(n) if (lo..=hi).contains(&n) => Some(n),
        _ => {
            form.fail(name, format!("use a whole number from {lo} to {hi}"));
            None
        }
    }
}

/// The course form, filled from `course`.
pub fn course_form(title: &str, course: &Course, people: &[std::sync::Arc<Person>], rules: &Rules) -> Form {
    let people_choices = people
        .iter()
        .filter(|p| !p.archived || p.id == course.person_id)
        .map(|p| Choice::new(p.id.to_string(), p.name.clone()))
        .collect();
    let mut concerns: Vec<Choice> = rules
        .concerns
        .iter()
        .map(|p| {
            Choice::new(p.key.clone(), format!("{} · {} sessions, {}", p.name, p.sessions_text(), p.interval_text()))
        })
        .collect();
    // A course keeps a concern the rules no longer have.
    if rules.protocol(&course.concern).is_none() && !course.concern.is_empty() {
        concerns.push(Choice::new(course.concern.clone(), format!("{} (not in the rules now)", course.concern)));
    }
    let devices = keyed(Device::ALL, Device::key, |d| capitalized(d.key()));
    let statuses = keyed(CourseStatus::ALL, CourseStatus::key, |s| capitalized(s.key()));
    Form::new(
        title,
        vec![
            Field::picker("person", "Person", people_choices, &course.person_id.to_string()),
            Field::picker("concern", "Concern", concerns, &course.concern),
            Field::text("areas", "Areas", course.areas.join(", "), areas_hint(rules)),
            Field::text("sessions", "Sessions", course.sessions_target.to_string(), "target number of sessions"),
            Field::text("interval", "Interval", interval_text(course), "between sessions: 4-6w, 21-28d"),
            Field::text(
                "maintenance",
                "Maintenance",
                format!("{}-{}m", course.maintenance.min, course.maintenance.max),
                "a maintenance session every 3-6m after the course (as the command line takes it)",
            ),
            Field::picker("device", "Device", devices, course.device.key()),
            Field::text("start", "Started", course.started_on.to_string(), "YYYY-MM-DD"),
            Field::picker("status", "Status", statuses, course.status.key()),
            Field::text("place", "Place", course.place.clone(), "where the sessions take place: calendars show it"),
            Field::notes("notes", "Notes", course.notes.clone(), ""),
        ],
    )
}

/// The skin type, asked with a first course: each type in a line, or not said.
pub fn skin_type_field(rules: &Rules) -> Field {
    let mut choices = vec![Choice::new("", "not said (the dark-mark cautions need it)")];
    choices.extend(SkinType::ALL.iter().map(|t| {
        let line = rules.skin_types.get(t.key()).map(String::as_str).unwrap_or_default();
        Choice::new(t.key(), format!("Type {} — {line}", t.label()))
    }));
    let mut field = Field::picker("skin", "Skin type", choices, "");
    field.hint = "Fitzpatrick type, by how the skin takes the sun: ←/→ to choose, or leave it".into();
    field
}

/// A new course's form; on a practitioner's file it asks whether consent was
/// given (recorded with the course).
pub fn new_course_form(
    title: &str,
    course: &Course,
    people: &[std::sync::Arc<Person>],
    rules: &Rules,
    kind: crate::domain::FileKind,
) -> Form {
    let mut form = course_form(title, course, people, rules);
    if kind == crate::domain::FileKind::Practitioner {
        let choices = vec![
            Choice::new("no", "not yet (c on the client's card records it)"),
            Choice::new("given", "given today, no photos"),
            Choice::new("photos", "given today, photos too"),
        ];
        form.fields.push(Field::picker("consent", "Consent", choices, "no"));
    }
    form
}

/// "comma-separated, any name; with depth guidance: forehead, …" in two lines.
fn areas_hint(rules: &Rules) -> String {
    let mut hint = "comma-separated, any name; with depth guidance:".to_string();
    for (i, area) in rules.areas.iter().enumerate() {
        if hint.len() + area.key.len() > 118 {
            hint.push_str(" …");
            break;
        }
        hint.push_str(if i == 0 { " " } else { ", " });
        hint.push_str(&area.key);
    }
    hint
}

fn interval_text(course: &Course) -> String {
    let i = course.interval;
    if i.min.is_multiple_of(7) && i.max.is_multiple_of(7) {
        format!("{}-{}w", i.min / 7, i.max / 7)
    } else {
        format!("{}-{}d", i.min, i.max)
    }
}

impl Editor {
    /// Follows a change of one field: a new concern fills in its protocol.
    pub fn changed(&self, form: &mut Form, field: &str, rules: &Rules) {
        if matches!(self, Editor::Course { .. }) && field == "concern" {
            prefill_from_concern(form, rules);
        }
    }
}

/// When the concern changes, fill the protocol's sessions and interval into the
/// fields the user has not typed in.
fn prefill_from_concern(form: &mut Form, rules: &Rules) {
    let Some(protocol) = rules.protocol(form.value("concern")) else {
        return;
    };
    let interval = format!("{}-{}w", protocol.interval_weeks[0], protocol.interval_weeks[1]);
    let typical = protocol.typical.to_string();
    for (name, value) in [("sessions", typical), ("interval", interval)] {
        if let Some(f) = form.field_mut(name).filter(|f| !f.touched) {
            f.set_text(value);
        }
    }
}

fn read_course(form: &mut Form, base: &Course, rules: &Rules) -> Option<Course> {
    form.clear_messages();
    let mut c = base.clone();
    c.person_id = form.value("person").parse().unwrap_or(base.person_id);
    c.concern = form.value("concern").to_string();
    c.areas = crate::domain::validate::area_set([form.value("areas")], rules);
    match c.areas.iter().find_map(|a| crate::domain::validate::check_area(a).err()) {
        Some(bad) => form.fail("areas", bad.message),
        None if c.areas.is_empty() => form.fail("areas", "name at least one area"),
        None => {
            let new: Vec<&String> =
                c.areas.iter().filter(|a| !base.areas.contains(a) && !rules.knows_area(a)).collect();
            if let Some(f) = form.field_mut("areas") {
                f.warning = text::unguided_areas(&new, rules);
            }
        }
    }
    match number(form, "sessions", bounds(&SESSIONS_TARGET)) {
        Some(n) => c.sessions_target = n,
        None if form.field("sessions").is_some_and(|f| f.error.is_none()) => {
            form.fail("sessions", "how many sessions?")
        }
        None => {}
    }
    match parse_interval(form.value("interval")) {
        Ok(i) => c.interval = i,
        Err(e) => form.fail("interval", e.to_string()),
    }
    match crate::domain::time::parse_months(form.value("maintenance")) {
        Ok(m) => c.maintenance = m,
        Err(e) => form.fail("maintenance", e),
    }
    c.device = form.value("device").parse().unwrap_or(c.device);
    c.status = form.value("status").parse().unwrap_or(c.status);
    match NaiveDate::parse_from_str(form.value("start").trim(), "%Y-%m-%d") {
        Ok(d) => c.started_on = d,
        Err(_) => form.fail("start", "use YYYY-MM-DD"),
    }
    c.place = form.value("place").trim().to_string();
    // Typed notes are trimmed; untouched ones stay exactly as they were.
    if form.field("notes").is_some_and(|f| f.touched) {
        c.notes = form.value("notes").trim().to_string();
    }
    if form.has_errors() {
        return None;
    }
    if let Err(e) = check_course(&c, rules) {
        form.error = Some(e.to_string());
        return None;
    }
    Some(c)
}

/// A new course for `person_id`, from the first protocol (None if the rules have none).
pub fn blank_course(person_id: i64, rules: &Rules, now: DateTime<Utc>, zone: &Zone) -> Option<Course> {
    Some(rules.new_course(person_id, rules.concerns.first()?, local_date(now, zone)))
}

/// The final rating of a course's results.
pub fn rating_form(course: &Course) -> Form {
    let value = course.final_rating.map(|r| r.to_string()).unwrap_or_default();
    Form::new("Rate the results", vec![Field::text("rating", "Skin 1–10", value, "how your skin looks now, all told")])
}

pub fn person_form(title: &str, person: &Person) -> Form {
    let mut skins = vec![Choice::new("", "—")];
    skins.extend(keyed(SkinType::ALL, SkinType::key, |s| format!("Type {}", s.label())));
    Form::new(
        title,
        vec![
            Field::text("name", "Name", person.name.clone(), "as you call them"),
            Field::picker("skin", "Skin type", skins, person.skin_type.map_or("", SkinType::key)),
            Field::text(
                "born",
                "Born",
                person.born_on.map(|d| d.to_string()).unwrap_or_default(),
                "YYYY-MM-DD, optional: tells namesakes apart",
            ),
            Field::text("contact", "Contact", person.contact.clone(), "a phone number or an email, optional"),
            Field::notes("notes", "Notes", person.notes.clone(), "allergies, preferences…"),
        ],
    )
}

fn read_person(form: &mut Form, base: &Person) -> Option<Person> {
    form.clear_messages();
    let touched = |name: &str| form.field(name).is_some_and(|f| f.touched);
    let mut p = base.clone();
    if touched("name") {
        p.name = form.value("name").trim().to_string();
    }
    if p.name.trim().is_empty() {
        form.fail("name", "a person needs a name");
        return None;
    }
    if touched("skin") {
        p.skin_type = form.value("skin").parse().ok();
    }
    if touched("notes") {
        p.notes = form.value("notes").trim().to_string();
    }
    if touched("born") {
        let typed = form.value("born").trim().to_string();
        p.born_on = match typed.as_str() {
            "" => None,
            day => match NaiveDate::parse_from_str(day, "%Y-%m-%d") {
                Ok(day) => Some(day),
                Err(_) => {
                    form.fail("born", "use YYYY-MM-DD, or leave it empty");
                    return None;
                }
            },
        };
    }
    if touched("contact") {
        p.contact = form.value("contact").trim().to_string();
    }
    if let Err(e) = crate::domain::validate::check_person(&p) {
        form.fail(e.field.unwrap_or("name"), e.message);
        return None;
    }
    Some(p)
}

pub use super::small_forms::{custom_item_form, diary_form, event_edit_form, event_form};
use super::small_forms::{read_custom_item, read_diary, read_event};
