//! One row per session, for spreadsheets (RFC 4180 quoting, header first). A cell
//! a spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, a tab or
//! a carriage return) is written with a leading `'`, as OWASP advises.

use std::collections::HashMap;

use chrono::{FixedOffset, Offset, Utc};

use crate::domain::Snapshot;

const HEADER: [&str; 22] = [
    "session_id",
    "person",
    "course_id",
    "concern",
    "areas",
    "date",
    "at",
    "status",
    "device",
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
];

/// Every session, oldest first; dates are the wall clock at entry.
pub fn to_csv(snapshot: &Snapshot) -> String {
    let people: HashMap<i64, &str> = snapshot.people.iter().map(|p| (p.id, p.name.as_str())).collect();
    let courses: HashMap<i64, _> = snapshot.courses.iter().map(|c| (c.id, c)).collect();
    let mut events: HashMap<i64, Vec<&crate::domain::AdverseEvent>> = HashMap::new();
    for e in &snapshot.events {
        events.entry(e.session_id).or_default().push(e);
    }
    let mut photos: HashMap<i64, Vec<String>> = HashMap::new();
    for p in &snapshot.photos {
        let name = match &p.area {
            Some(area) => format!("{area}={}", p.original_name),
            None => p.original_name.clone(),
        };
        photos.entry(p.session_id).or_default().push(name);
    }
    let mut sessions: Vec<_> = snapshot.sessions.iter().collect();
    sessions.sort_by_key(|s| (s.at, s.id));

    let mut out = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(Vec::new());
    let mut rows = vec![HEADER.iter().map(|h| h.to_string()).collect::<Vec<_>>()];
    for s in sessions {
        let course = courses.get(&s.course_id);
        let person = course.and_then(|c| people.get(&c.person_id)).copied().unwrap_or("");
        let wall = s.at.with_timezone(&FixedOffset::east_opt(s.utc_offset_s).unwrap_or(Utc.fix()));
        let opt = |v: Option<String>| v.unwrap_or_default();
        rows.push(vec![
            s.id.to_string(),
            person.to_string(),
            s.course_id.to_string(),
            course.map(|c| c.concern.clone()).unwrap_or_default(),
            course.map(|c| c.areas.join(";")).unwrap_or_default(),
            wall.format("%Y-%m-%d").to_string(),
            wall.to_rfc3339(),
            s.status.key().into(),
            s.device.key().into(),
            s.depths_text(";"),
            opt(s.passes.map(|v| v.to_string())),
            opt(s.serum.clone()),
            opt(s.lot.clone()),
            opt(s.numbing.clone()),
            opt(s.pain.map(|v| v.to_string())),
            opt(s.reaction.map(|v| v.key().to_string())),
            opt(s.rating.map(|v| v.to_string())),
            opt(s.provider.clone()),
            photos.get(&s.id).map(|names| names.join(";")).unwrap_or_default(),
            s.notes.clone(),
            // Not asked: empty; asked and nothing applied: "none".
            match &s.screening {
                None => String::new(),
                Some(ids) if ids.is_empty() => "none".into(),
                Some(ids) => ids.join(";"),
            },
            // `bruising 1 2026-03-02..2026-03-05; pih 2 2026-03-10..open`
            events
                .get(&s.id)
                .into_iter()
                .flatten()
                .map(|e| {
                    let until = e.resolved_on.map_or_else(|| "open".to_string(), |d| d.to_string());
                    format!("{} {} {}..{until}", e.kind, e.severity, e.noticed_on)
                })
                .collect::<Vec<_>>()
                .join("; "),
        ]);
    }
    for row in rows {
        // Writing to memory cannot fail.
        let _ = out.write_record(row.iter().map(|cell| guard(cell).into_owned().into_bytes()));
    }
    String::from_utf8(out.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// A cell as text a spreadsheet shows, never runs.
fn guard(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{cell}").into() } else { cell.into() }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Course, Device, Person, Rules, Session, SessionStatus};
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
        let text = to_csv(&snapshot);
        let mut lines = text.split("\r\n");
        assert!(lines.next().unwrap().starts_with("session_id,person,course_id,concern,areas,date,at,status"));
        assert_eq!(
            lines.next().unwrap(),
            "3,\"Ana, R.\",1,scars,cheeks;nose,2026-09-01,2026-09-01T16:00:00+02:00,done,pen,,,,,,,,,,,\"said \"\"ouch\"\", then\nlaughed\",,"
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
