//! One row per session, for spreadsheets (RFC 4180 quoting, header first). A cell
//! a spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, a tab or
//! a carriage return) is written with a leading `'`, as OWASP advises.

use std::collections::HashMap;

use chrono::{FixedOffset, Offset, Utc};

use crate::domain::{Session, Snapshot};

/// The columns, in order. A session's row is built as an array of the same
/// length, so a column added here and not there (or there and not here) does not
/// build.
const HEADER: [&str; COLUMNS] = [
    "session_id",
    "person",
    "course_id",
    "concern",
    "areas",
    "date",
    "at",
    "status",
    "kind",
    "device",
    "device_model",
    "depths_mm",
    "passes",
    "serum",
    "lot",
    "numbing",
    "pain",
    "reaction",
    "rating",
    "provider",
    "photos",
    "notes",
    "screening",
    "adverse_events",
    "voided",
];
const COLUMNS: usize = 25;

/// Every session, oldest first; dates are the wall clock at entry. The error is
/// the CSV writer's (none is expected writing to memory, but none is dropped).
pub fn to_csv(snapshot: &Snapshot) -> Result<String, String> {
    let mut bytes = Vec::new();
    write_csv_from(snapshot, &mut bytes)?;
    String::from_utf8(bytes).map_err(|e| format!("the CSV is not text: {e}"))
}

/// [`to_csv`] of a file's records, written to `out` as they are read (a row at a
/// time, sessions a chunk at a time); how many sessions it wrote.
pub fn write_csv(store: &dyn crate::store::Records, out: &mut dyn std::io::Write) -> Result<usize, String> {
    super::Stored(store).whole(|parts| write_csv_from(parts, out))
}

/// What a row needs of its course: whose, the concern, the areas.
struct CourseCells {
    person_id: i64,
    concern: std::rc::Rc<str>,
    areas: String,
}

fn write_csv_from(parts: &dyn super::Parts, out: &mut dyn std::io::Write) -> Result<usize, String> {
    let rest = parts.rest()?;
    let mut people: HashMap<i64, String> = HashMap::new();
    parts.people(&mut |p| {
        people.insert(p.id, p.name.clone());
        Ok(())
    })?;
    // Each course as its rows need it, the concerns (a few) shared.
    let mut concerns: HashMap<String, std::rc::Rc<str>> = HashMap::new();
    let mut courses: HashMap<i64, CourseCells> = HashMap::new();
    let mut targets: HashMap<i64, u32> = HashMap::new();
    parts.courses(&mut |c| {
        let concern = concerns.entry(c.concern.clone()).or_insert_with(|| c.concern.as_str().into()).clone();
        courses.insert(c.id, CourseCells { person_id: c.person_id, concern, areas: c.areas.join(";") });
        targets.insert(c.id, c.sessions_target);
        Ok(())
    })?;
    let mut maintenance = std::collections::HashSet::new();
    parts.done_by_course(&mut |done| {
        maintenance.extend(crate::domain::windows::maintenance_among(&targets, done));
        Ok(())
    })?;
    let mut events: HashMap<i64, Vec<&crate::domain::AdverseEvent>> = HashMap::new();
    for e in &rest.events {
        events.entry(e.session_id).or_default().push(e);
    }
    let mut photos: HashMap<i64, Vec<String>> = HashMap::new();
    for p in &rest.photos {
        let name = match &p.area {
            Some(area) => format!("{area}={}", p.original_name),
            None => p.original_name.clone(),
        };
        // A course's own photos (of no session) have no session row to sit in.
        if let Some(session) = p.session_id {
            photos.entry(session).or_default().push(name);
        }
    }
    let mut out = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(out);
    let failed = |e: csv::Error| format!("the CSV could not be written: {e}");
    out.write_record(HEADER).map_err(failed)?;
    let mut written = 0;
    parts.sessions(crate::store::SessionOrder::OldestFirst, &mut |s| {
        let course = courses.get(&s.course_id);
        let person = course.and_then(|c| people.get(&c.person_id)).map_or("", String::as_str);
        let cells = course.map(|c| (&*c.concern, c.areas.as_str()));
        let row = row(s, person, cells, photos.get(&s.id), events.get(&s.id), maintenance.contains(&s.id));
        written += 1;
        out.write_record(row.iter().map(|cell| guard(cell).into_owned().into_bytes())).map_err(failed)
    })?;
    out.flush().map_err(|e| format!("the CSV could not be written: {e}"))?;
    Ok(written)
}

/// One session's cells. Every field of the session is named here: a field added
/// to `Session` does not build until it has a column (or is said to have none).
fn row(
    s: &Session,
    person: &str,
    course: Option<(&str, &str)>,
    photos: Option<&Vec<String>>,
    events: Option<&Vec<&crate::domain::AdverseEvent>>,
    maintenance: bool,
) -> [String; COLUMNS] {
    let Session {
        id,
        course_id,
        at,
        utc_offset_s,
        status,
        device,
        device_model,
        depths: _, // written by `depths_text`
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
        revision: _, // the file's bookkeeping, not the session's
    } = s;
    let wall = at.with_timezone(&FixedOffset::east_opt(*utc_offset_s).unwrap_or(Utc.fix()));
    let opt = |v: &Option<String>| v.clone().unwrap_or_default();
    let num = |v: Option<String>| v.unwrap_or_default();
    [
        id.to_string(),
        person.to_string(),
        course_id.to_string(),
        course.map(|(concern, _)| concern.to_string()).unwrap_or_default(),
        course.map(|(_, areas)| areas.to_string()).unwrap_or_default(),
        wall.format("%Y-%m-%d").to_string(),
        wall.to_rfc3339(),
        status.key().into(),
        // Done past the course's own sessions: maintenance.
        match (status, maintenance) {
            (crate::domain::SessionStatus::Done, true) => "maintenance".into(),
            (crate::domain::SessionStatus::Done, false) => "main".into(),
            _ => String::new(),
        },
        device.key().into(),
        opt(device_model),
        s.depths_text(";"),
        num(passes.map(|v| v.to_string())),
        opt(serum),
        opt(lot),
        opt(numbing),
        num(pain.map(|v| v.to_string())),
        num(reaction.map(|v| v.key().to_string())),
        num(rating.map(|v| v.to_string())),
        opt(provider),
        photos.map(|names| names.join(";")).unwrap_or_default(),
        notes.clone(),
        // Not asked: empty; asked and nothing applied: "none".
        match screening {
            None => String::new(),
            Some(ids) if ids.is_empty() => "none".into(),
            Some(ids) => ids.join(";"),
        },
        // `bruising 1 2026-03-02..2026-03-05; pih 2 2026-03-10..open`
        events
            .into_iter()
            .flatten()
            .map(|e| {
                let until = e.resolved_on.map_or_else(|| "open".to_string(), |d| d.to_string());
                format!("{} {} {}..{until}", e.kind, e.severity, e.noticed_on)
            })
            .collect::<Vec<_>>()
            .join("; "),
        // `2026-12-06T10:00:00+00:00 Dr Lee: wrong client`
        void.as_ref()
            .map(|v| {
                let why = if v.reason.is_empty() { "no reason given" } else { v.reason.as_str() };
                format!("{} by {}: {why}", v.at.to_rfc3339(), v.by)
            })
            .unwrap_or_default(),
    ]
}

/// A cell as text a spreadsheet shows, never runs.
/// Any list as CSV, header first, each cell guarded like the sessions' (a list
/// to call or mail: `due --csv`).
pub fn table<const N: usize>(header: [&str; N], rows: impl IntoIterator<Item = [String; N]>) -> Result<String, String> {
    let mut out = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(Vec::new());
    let failed = |e: csv::Error| format!("the CSV could not be written: {e}");
    out.write_record(header).map_err(failed)?;
    for row in rows {
        out.write_record(row.iter().map(|cell| guard(cell).into_owned().into_bytes())).map_err(failed)?;
    }
    let bytes = out.into_inner().map_err(|e| format!("the CSV could not be written: {}", e.error()))?;
    String::from_utf8(bytes).map_err(|e| format!("the CSV is not text: {e}"))
}

fn guard(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{cell}").into() } else { cell.into() }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Course, Device, Person, Rules, SessionStatus};
    use chrono::{NaiveDate, TimeZone};

    #[test]
    fn quotes_commas_quotes_and_newlines() {
        let rules = Rules::embedded();
        let mut s = Session::new(
            1,
            Utc.with_ymd_and_hms(2026, 9, 1, 14, 0, 0).unwrap(),
            7200,
            SessionStatus::Done,
            Device::Pen,
        );
        s.id = 3;
        s.notes = "said \"ouch\", then\nlaughed".into();
        s.device_model = Some("SkinPen Precision".into());
        let snapshot = Snapshot {
            people: vec![Person {
                id: 1,
                name: "Ana, R.".into(),
                skin_type: None,
                notes: String::new(),
                archived: false,
                born_on: None,
                contact: String::new(),
                revision: 0,
            }],
            courses: vec![Course {
                id: 1,
                areas: vec!["cheeks".into(), "nose".into()],
                sessions_target: 3,
                ..rules.new_course(1, rules.protocol("scars").unwrap(), NaiveDate::from_ymd_opt(2026, 9, 1).unwrap())
            }],
            sessions: vec![s],
            ..Default::default()
        };
        let text = to_csv(&snapshot).unwrap();
        let mut lines = text.split("\r\n");
        assert!(lines.next().unwrap().starts_with("session_id,person,course_id,concern,areas,date,at,status"));
        assert_eq!(
            lines.next().unwrap(),
            "3,\"Ana, R.\",1,scars,cheeks;nose,2026-09-01,2026-09-01T16:00:00+02:00,done,main,pen,SkinPen Precision,,,,,,,,,,,\"said \"\"ouch\"\", then\nlaughed\",,,"
        );
    }

    #[test]
    fn cells_that_look_like_formulas_are_shown_as_text() {
        assert_eq!(guard("=cmd|' /C calc'!A0"), "'=cmd|' /C calc'!A0");
        for risky in ["+1", "-2+3", "@SUM(A1)", "\tx", "\rx"] {
            assert!(guard(risky).starts_with('\''), "{risky:?}");
        }
        assert_eq!(guard("Hyaluronic = fine"), "Hyaluronic = fine");
        assert_eq!(guard("2026-11-20T10:00:00-05:00"), "2026-11-20T10:00:00-05:00");
    }
}
