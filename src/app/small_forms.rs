//! The small forms: what hangs off a session or a course — an adverse event, a
//! page of the recovery diary, a checklist item of one's own — each with how its
//! text becomes a checked record (or errors beside the fields).

use chrono::{DateTime, NaiveDate, Utc};

use super::editors::{Editor, number};
use super::form::{Choice, Field, Form};
use crate::domain::rules::Rules;
use crate::domain::time::{Zone, local_date, parse_when};
use crate::domain::{CarePhase, Consent, CustomItem};

/// A form for a checklist item of one's own; `phase` picks the default window.
pub fn custom_item_form(course_id: i64, phase: Option<CarePhase>, rules: &Rules) -> (Form, Editor) {
    let windows = rules.custom_windows.iter().map(|w| Choice::new(w.key.clone(), w.label.clone())).collect();
    let wanted = phase.unwrap_or(CarePhase::Post);
    let default = rules.custom_windows.iter().find(|w| w.phase == wanted).map_or("", |w| w.key.as_str());
    let form = Form::new(
        "Add your own checklist item",
        vec![
            Field::text("text", "Item", "", "e.g. Take the antiviral; Ice pack for 10 minutes"),
            Field::picker("window", "Applies", windows, default),
        ],
    );
    let base = CustomItem { id: 0, course_id, phase: wanted, text: String::new(), from_hours: 0, to_hours: 1 };
    (form, Editor::CustomItem { item: base })
}

/// The form for an adverse event after `session_id`, noticed today by default.
pub fn event_form(session_id: i64, today: NaiveDate, rules: &Rules) -> (Form, Editor) {
    let kinds = rules.adverse_kinds.iter().map(|k| Choice::new(k.key.clone(), k.name.clone())).collect();
    let severities = ["0 none", "1 mild", "2 moderate", "3 severe"]
        .iter()
        .enumerate()
        .map(|(i, label)| Choice::new(i.to_string(), (*label).to_string()))
        .collect();
    let first = rules.adverse_kinds.first().map_or("", |k| k.key.as_str());
    let form = Form::new(
        "Record an adverse event",
        vec![
            Field::picker("kind", "What", kinds, first),
            Field::text(
                "noticed",
                "Noticed",
                today.to_string(),
                "the day it was noticed: 2026-03-02, today, yesterday",
            ),
            Field::picker("severity", "Severity", severities, "1"),
            Field::notes("notes", "Notes", "", "what it looked like and what was done"),
            Field::text("resolved", "Resolved", "", "the day it resolved, or empty while it lasts"),
        ],
    );
    let base = crate::domain::AdverseEvent {
        id: 0,
        session_id,
        kind: first.to_string(),
        noticed_on: today,
        severity: 1,
        notes: String::new(),
        resolved_on: None,
        void: None,
    };
    (form, Editor::Event { event: base })
}

/// The form correcting `event` (recorded already): the same fields, filled, and
/// why it was recorded in error — which, when given, voids it instead.
pub fn event_edit_form(event: &crate::domain::AdverseEvent, rules: &Rules) -> (Form, Editor) {
    let (mut form, _) = event_form(event.session_id, event.noticed_on, rules);
    form.title = format!("Correct adverse event {}", event.id);
    let set = |form: &mut Form, name: &str, value: String| {
        if let Some(field) = form.field_mut(name) {
            field.set_value(&value);
        }
    };
    set(&mut form, "kind", event.kind.clone());
    set(&mut form, "severity", event.severity.to_string());
    set(&mut form, "notes", event.notes.clone());
    set(&mut form, "resolved", event.resolved_on.map(|d| d.to_string()).unwrap_or_default());
    form.fields.push(Field::text(
        "void",
        "Void",
        "",
        "recorded in error? say why, and it is voided (kept, marked) instead of changed",
    ));
    (form, Editor::Event { event: event.clone() })
}

pub(super) fn read_event(
    form: &mut Form,
    base: &crate::domain::AdverseEvent,
    rules: &Rules,
    now: DateTime<Utc>,
    zone: &Zone,
) -> Option<crate::domain::AdverseEvent> {
    form.clear_messages();
    let day = |form: &mut Form, name: &'static str| -> Option<Option<NaiveDate>> {
        let typed = form.value(name).trim().to_string();
        if typed.is_empty() {
            return Some(None);
        }
        match parse_when(&typed, now, zone) {
            Ok(at) => Some(Some(local_date(at, zone))),
            Err(e) => {
                form.fail(name, e.to_string());
                None
            }
        }
    };
    let noticed = day(form, "noticed")?.unwrap_or_else(|| local_date(now, zone));
    let resolved = day(form, "resolved")?;
    let event = crate::domain::AdverseEvent {
        kind: form.value("kind").to_string(),
        noticed_on: noticed,
        severity: form.value("severity").parse().unwrap_or(1),
        notes: form.value("notes").to_string(),
        resolved_on: resolved,
        ..base.clone()
    };
    if let Err(e) = crate::domain::validate::check_event(&event, rules) {
        form.fail(e.field.unwrap_or("resolved"), e.message);
        return None;
    }
    // A reason to void it: said with the event, which the save voids.
    if form.field("void").is_some() {
        let reason = form.value("void").trim().to_string();
        if let Err(e) = crate::domain::validate::check_line("a reason", &reason) {
            form.fail("void", e.message);
            return None;
        }
        if !reason.is_empty() {
            let void = crate::domain::Void { at: now, by: String::new(), reason };
            return Some(crate::domain::AdverseEvent { void: Some(void), ..base.clone() });
        }
    }
    Some(event)
}

/// The diary form for day `day` after session `session_id` (`place`: "session 3"),
/// filled with what `noted` holds for that day.
pub fn diary_form(session_id: i64, place: &str, day: u32, noted: Option<&crate::domain::DiaryEntry>) -> (Form, Editor) {
    let levels = || {
        ["–", "0 none", "1 mild", "2 marked", "3 strong"]
            .iter()
            .enumerate()
            .map(|(i, label)| {
                Choice::new(if i == 0 { String::new() } else { (i - 1).to_string() }, (*label).to_string())
            })
            .collect::<Vec<_>>()
    };
    let value = |v: Option<u8>| v.map(|v| v.to_string()).unwrap_or_default();
    let base = noted.cloned().unwrap_or(crate::domain::DiaryEntry {
        session_id,
        day,
        redness: None,
        swelling: None,
        flaking: None,
        tightness: None,
        note: String::new(),
    });
    let form = Form::new(
        format!("Recovery diary · {place}"),
        vec![
            Field::text("day", "Day", day.to_string(), "days after the session: 0 is its own day, 1 the next"),
            Field::picker("redness", "Redness", levels(), &value(base.redness)),
            Field::picker("swelling", "Swelling", levels(), &value(base.swelling)),
            Field::picker("flaking", "Flaking", levels(), &value(base.flaking)),
            Field::picker("tightness", "Tightness", levels(), &value(base.tightness)),
            Field::text("note", "Note", base.note.clone(), "a line: how it feels, what helped"),
        ],
    );
    (form, Editor::Diary { entry: base })
}

pub(super) fn read_diary(form: &mut Form, base: &crate::domain::DiaryEntry) -> Option<crate::domain::DiaryEntry> {
    form.clear_messages();
    let Some(day) = number(form, "day", (0, crate::domain::validate::DIARY_DAY_MAX)) else {
        if !form.has_errors() {
            form.fail("day", "which day after the session? 0 is its own day");
        }
        return None;
    };
    let level = |name: &str| form.value(name).parse::<u8>().ok();
    let entry = crate::domain::DiaryEntry {
        day,
        redness: level("redness"),
        swelling: level("swelling"),
        flaking: level("flaking"),
        tightness: level("tightness"),
        note: form.value("note").trim().to_string(),
        ..base.clone()
    };
    if let Err(e) = crate::domain::validate::check_diary(&entry) {
        form.fail(e.field.unwrap_or("note"), e.message);
        return None;
    }
    Some(entry)
}

pub(super) fn read_custom_item(form: &mut Form, base: &CustomItem, rules: &Rules) -> Option<CustomItem> {
    form.clear_messages();
    let text = form.value("text").trim().to_string();
    if text.is_empty() {
        form.fail("text", "write what to do or avoid");
        return None;
    }
    let w = rules.custom_windows.iter().find(|w| w.key == form.value("window"))?;
    Some(CustomItem { text, phase: w.phase, from_hours: w.from_hours, to_hours: w.to_hours, ..base.clone() })
}

/// What a consent form records when nothing else is typed.
pub(super) const CONSENT_WHAT: &str = "a course of microneedling";

/// The consent form of course `course_id`: what was agreed, when, to photos or
/// not, and who took it (the file's practitioner by default). The consent on
/// record, if any, fills it.
pub(super) fn consent_form(course_id: i64, on_record: Option<&Consent>, today: NaiveDate, by: &str) -> (Form, Editor) {
    let photos = vec![Choice::new("no", "no photos"), Choice::new("yes", "photos may be taken and kept")];
    let base = on_record.cloned().unwrap_or(Consent {
        course_id,
        given_on: today,
        what: CONSENT_WHAT.into(),
        photos: false,
        by: by.to_string(),
    });
    let form = Form::new(
        "Consent on record",
        vec![
            Field::text("what", "What", base.what.clone(), "what was agreed: the consent text or the document's name"),
            Field::text("given", "Given on", base.given_on.to_string(), "the day: 2026-03-02, today, yesterday"),
            Field::picker("photos", "Photos", photos, if base.photos { "yes" } else { "no" }),
            Field::text("by", "Taken by", base.by.clone(), "who took it"),
        ],
    );
    (form, Editor::Consent { consent: base })
}

pub(super) fn read_consent(form: &mut Form, base: &Consent, now: DateTime<Utc>, zone: &Zone) -> Option<Consent> {
    form.clear_messages();
    let given_on = match parse_when(form.value("given").trim(), now, zone) {
        Ok(at) => local_date(at, zone),
        Err(e) => {
            form.fail("given", e.to_string());
            base.given_on
        }
    };
    let consent = Consent {
        course_id: base.course_id,
        given_on,
        what: form.value("what").trim().to_string(),
        photos: form.value("photos") == "yes",
        by: form.value("by").trim().to_string(),
    };
    if let Err(e) = crate::domain::validate::check_consent(&consent) {
        let field = if consent.what.trim().is_empty() || e.message.contains("agreed") { "what" } else { "by" };
        form.fail(e.field.unwrap_or(field), e.message);
    }
    (!form.has_errors()).then_some(consent)
}
