//! Demo data: a realistic set of courses, dated relative to `now`, so every screen
//! has something to show (`needlelog --demo`, and the screen tests' fixture).

use chrono::{DateTime, Duration, NaiveTime, TimeZone, Utc};

use crate::domain::time::{local_date, offset_seconds, resolve_local_lenient};
use crate::domain::{AreaDepth, Course, CourseStatus, Device, Reaction, Rules, Session, SessionStatus, SkinType};
use crate::store::{Result, Store};

/// One session of a demo course, `days_ago` days before today at `hour`:00.
struct Visit {
    days_ago: i64,
    hour: u32,
    status: SessionStatus,
    mm: f64,
    rating: Option<u8>,
    pain: Option<u8>,
    reaction: Option<Reaction>,
    notes: &'static str,
}

const fn done(days_ago: i64, mm: f64, rating: u8, pain: u8, reaction: Reaction, notes: &'static str) -> Visit {
    Visit {
        days_ago,
        hour: 10,
        status: SessionStatus::Done,
        mm,
        rating: Some(rating),
        pain: Some(pain),
        reaction: Some(reaction),
        notes,
    }
}

/// Fills an empty store with three people and four courses:
/// - Me, acne scars: three sessions, the last yesterday (sensitive now), one planned;
/// - Ana Ruiz, large pores: the next window is open (due);
/// - Ben Okafor, wrinkles: the window closed a week ago (overdue);
/// - Ana Ruiz, dark spots: all three sessions done (complete).
pub fn fill<Tz: TimeZone>(store: &mut Store, rules: &Rules, now: DateTime<Utc>, tz: &Tz) -> Result<()> {
    let me = store.person_by_name("Me")?.id;
    let ana =
        store.add_person("Ana Ruiz", Some(SkinType::IV), "Prefers morning appointments; sensitive to lidocaine.")?;
    let ben = store.add_person("Ben Okafor", Some(SkinType::II), "")?;
    use Reaction::{Mild, Moderate, None as Calm};

    let acne = course(store, rules, me, "acne-scars", &["cheeks", "forehead"], Device::Pen, now, tz, 70)?;
    let mut acne_visits = vec![
        done(64, 1.0, 4, 5, Moderate, "First session; pinpoint bleeding on the cheeks."),
        done(33, 1.25, 5, 4, Mild, "Less redness than last time."),
        done(1, 1.5, 7, 4, Mild, "Texture already smoother."),
    ];
    acne_visits.push(Visit {
        days_ago: -27,
        hour: 10,
        status: SessionStatus::Planned,
        mm: 1.5,
        rating: None,
        pain: None,
        reaction: None,
        notes: "",
    });
    sessions(store, acne, &["cheeks", "forehead"], Device::Pen, "Clinic Lumen", &acne_visits, now, tz)?;

    let pores = course(store, rules, ana, "large-pores", &["nose", "cheeks"], Device::Pen, now, tz, 60)?;
    sessions(
        store,
        pores,
        &["nose", "cheeks"],
        Device::Pen,
        "self",
        &[
            done(55, 0.5, 5, 2, Calm, ""),
            done(30, 0.5, 6, 2, Mild, ""),
            done(23, 0.5, 6, 3, Calm, "Oily T-zone calmer."),
        ],
        now,
        tz,
    )?;

    let wrinkles = course(store, rules, ben, "wrinkles", &["forehead"], Device::Rf, now, tz, 100)?;
    sessions(
        store,
        wrinkles,
        &["forehead"],
        Device::Rf,
        "Clinic Lumen",
        &[done(95, 0.5, 4, 6, Moderate, "RF, two passes."), done(50, 0.5, 5, 5, Mild, "")],
        now,
        tz,
    )?;

    let spots = course(store, rules, ana, "hyperpigmentation", &["cheeks"], Device::Pen, now, tz, 150)?;
    sessions(
        store,
        spots,
        &["cheeks"],
        Device::Pen,
        "Clinic Lumen",
        &[
            done(140, 0.75, 5, 3, Mild, ""),
            done(105, 0.75, 7, 3, Calm, ""),
            done(70, 0.75, 8, 2, Calm, "Spots much lighter."),
        ],
        now,
        tz,
    )?;
    store.set_course_status(spots, CourseStatus::Completed)?;

    // Two post-care items already ticked after yesterday's session.
    if let Some(last) = store.sessions_of(&[acne])?.iter().filter(|s| s.is_done()).max_by_key(|s| s.at) {
        store.set_tick(last.id, "post-no-makeup", true, now)?;
        store.set_tick(last.id, "post-pillowcase", true, now)?;
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
fn course<Tz: TimeZone>(
    store: &mut Store,
    rules: &Rules,
    person_id: i64,
    concern: &str,
    areas: &[&str],
    device: Device,
    now: DateTime<Utc>,
    tz: &Tz,
    started_days_ago: i64,
) -> Result<i64> {
    let protocol = rules.protocol(concern).expect("demo concerns exist in the protocol table");
    let start = local_date(now - Duration::days(started_days_ago), tz);
    store.add_course(&Course {
        id: 0,
        person_id,
        concern: concern.into(),
        areas: areas.iter().map(|a| a.to_string()).collect(),
        sessions_target: protocol.typical,
        interval: protocol.interval(),
        maintenance: rules.course.maintenance(),
        device,
        status: CourseStatus::Active,
        started_on: start,
        notes: String::new(),
    })
}

#[allow(clippy::too_many_arguments)]
fn sessions<Tz: TimeZone>(
    store: &mut Store,
    course_id: i64,
    areas: &[&str],
    device: Device,
    provider: &str,
    visits: &[Visit],
    now: DateTime<Utc>,
    tz: &Tz,
) -> Result<()> {
    let today = local_date(now, tz);
    for v in visits {
        let day = if v.days_ago >= 0 {
            today - chrono::Days::new(v.days_ago.unsigned_abs())
        } else {
            today + chrono::Days::new(v.days_ago.unsigned_abs())
        };
        let at = resolve_local_lenient(day.and_time(NaiveTime::from_hms_opt(v.hour, 0, 0).unwrap_or_default()), tz);
        let mut s = Session::new(course_id, at, offset_seconds(at, tz), v.status, device);
        s.depths = areas.iter().map(|a| AreaDepth { area: a.to_string(), mm: area_depth(a, v.mm) }).collect();
        if v.status == SessionStatus::Done {
            s.passes = Some(4);
            s.serum = Some("Hyaluronic acid 2%".into());
            s.provider = Some(provider.into());
        }
        s.rating = v.rating;
        s.pain = v.pain;
        s.reaction = v.reaction;
        s.notes = v.notes.into();
        store.add_session(&s)?;
    }
    Ok(())
}

/// Thinner skin gets shallower needles.
fn area_depth(area: &str, mm: f64) -> f64 {
    match area {
        // Pens step in quarter millimetres.
        "forehead" | "nose" => ((mm / 2.0) * 4.0).round().max(1.0) / 4.0,
        _ => mm,
    }
}
