//! Demo data: a realistic set of courses, dated relative to `now`, so every screen
//! has something to show (`needlelog --demo`, and the screen tests' fixture).

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, TimeZone, Utc};

use crate::domain::time::{local_date, offset_seconds, resolve_local_lenient};
use crate::domain::{
    AreaDepth, Course, CourseStatus, Device, Person, Reaction, Rules, Session, SessionStatus, SkinType, Snapshot, Tick,
};
use crate::store::Result;
use crate::store::prelude::*;

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
pub fn fill<Tz: TimeZone>(store: &mut dyn Records, rules: &Rules, now: DateTime<Utc>, tz: &Tz) -> Result<()> {
    // Changes made while filling are stamped with the demo's clock.
    store.set_clock(now);
    let me = store.person_by_name(Person::ME)?.id;
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
    store: &mut dyn Records,
    rules: &Rules,
    person_id: i64,
    concern: &str,
    areas: &[&str],
    device: Device,
    now: DateTime<Utc>,
    tz: &Tz,
    started_days_ago: i64,
) -> Result<i64> {
    // Own rules may switch a demo concern off: the example keeps the built-in one.
    let protocol = rules
        .protocol(concern)
        .or_else(|| Rules::embedded().protocol(concern))
        .ok_or_else(|| crate::store::StoreError::Invalid(format!("the demo's concern {concern} is unknown")))?;
    let start = local_date(now - Duration::days(started_days_ago), tz);
    let course = Course {
        areas: areas.iter().map(|a| a.to_string()).collect(),
        device,
        ..rules.new_course(person_id, protocol, start)
    };
    store.add_course(&course)
}

#[allow(clippy::too_many_arguments)]
fn sessions<Tz: TimeZone>(
    store: &mut dyn Records,
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
        s.depths = Some(areas.iter().map(|a| AreaDepth { area: a.to_string(), mm: area_depth(a, v.mm) }).collect());
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

/// A small, fast, seeded random source (SplitMix64): the same seed gives the same
/// file on every machine.
struct Dice(u64);

impl Dice {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A whole number in `lo..=hi`.
    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        let span = u64::try_from(hi - lo + 1).unwrap_or(1).max(1);
        lo + i64::try_from(self.next() % span).unwrap_or(0)
    }

    fn chance(&mut self, percent: i64) -> bool {
        self.range(1, 100) <= percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        let i = usize::try_from(self.range(0, i64::try_from(items.len()).unwrap_or(1) - 1)).unwrap_or(0);
        &items[i]
    }
}

const FIRST: [&str; 40] = [
    "Ana", "Ben", "Chloé", "Dev", "Emma", "Farid", "Grace", "Hugo", "Ines", "Jonas", "Kaya", "Liam", "Mara", "Nico",
    "Olga", "Pablo", "Quinn", "Rosa", "Sami", "Tara", "Umar", "Vera", "Wen", "Ximena", "Yusuf", "Zoe", "Aiko", "Bruno",
    "Carla", "Dario", "Elif", "Felix", "Greta", "Hana", "Ivo", "Jade", "Kofi", "Lena", "Milo", "Nadia",
];
const LAST: [&str; 50] = [
    "Ruiz", "Okafor", "Martin", "Patel", "Novak", "Haddad", "Kim", "Rossi", "Silva", "Berg", "Costa", "Dubois",
    "Evans", "Fischer", "Garcia", "Hansen", "Ito", "Jensen", "Kowalski", "Lopez", "Meyer", "Nguyen", "Olsen", "Petrov",
    "Quist", "Rahman", "Santos", "Tanaka", "Usman", "Varga", "Weber", "Xu", "Yilmaz", "Zimmer", "Abbott", "Baker",
    "Chen", "Diaz", "Eze", "Ford", "Gomez", "Hill", "Ibsen", "Jones", "Khan", "Lund", "Moreau", "Nash", "Ortiz",
    "Price",
];
const NOTES: [&str; 6] = [
    "Pinpoint bleeding as expected.",
    "Slight swelling, settled by evening.",
    "Texture smoother than last time.",
    "Asked to go gentler on the forehead.",
    "Redness gone the next day.",
    "Happy with progress.",
];

/// A practitioner's file: `people` clients over `years` years up to `now`, each
/// with courses one after another, maintenance sessions between them, and the
/// latest course still running for some. Deterministic for a given seed and `now`.
pub fn generate<Tz: TimeZone>(
    people: u32,
    years: u32,
    seed: u64,
    rules: &Rules,
    now: DateTime<Utc>,
    tz: &Tz,
) -> Snapshot {
    let mut snapshot = Snapshot::default();
    let made = generate_each(people, years, seed, rules, now, tz, &mut |made| {
        match made {
            Made::Person(p) => snapshot.people.push(p),
            Made::Course(c) => snapshot.courses.push(c),
            Made::Session(s) => snapshot.sessions.push(s),
            Made::Tick(t) => snapshot.ticks.push(t),
        }
        Ok::<(), std::convert::Infallible>(())
    });
    match made {
        Ok(()) => snapshot,
        Err(never) => match never {},
    }
}

/// One record of a demo file, as it is made.
pub enum Made {
    Person(Person),
    Course(Course),
    Session(Session),
    Tick(Tick),
}

/// [`generate`], each record handed to `each` as it is made (a million sessions
/// need not be held): a person before their courses, a course before its
/// sessions, a session before its ticks; the ids ascend. The same seed makes the
/// same records in the same order, so a reader wanting the ticks after every
/// session can make the file twice.
pub fn generate_each<Tz: TimeZone, E>(
    people: u32,
    years: u32,
    seed: u64,
    rules: &Rules,
    now: DateTime<Utc>,
    tz: &Tz,
    each: &mut dyn FnMut(Made) -> std::result::Result<(), E>,
) -> std::result::Result<(), E> {
    let mut dice = Dice(seed);
    let span_days = i64::from(years.max(1)) * 365;
    let first_day = now - Duration::days(span_days);
    let (mut course_id, mut session_id) = (0, 0);
    for p in 0..people {
        let person_id = i64::from(p) + 1;
        let base = format!("{} {}", FIRST[p as usize % FIRST.len()], LAST[(p as usize / FIRST.len()) % LAST.len()]);
        let name = if p as usize >= FIRST.len() * LAST.len() { format!("{base} {}", p + 1) } else { base };
        each(Made::Person(Person {
            id: person_id,
            name,
            skin_type: Some(*dice.pick(SkinType::ALL)),
            notes: if dice.chance(20) { "Prefers afternoons.".into() } else { String::new() },
            archived: dice.chance(3),
            // Drawn from the id, not the dice, so the rest of the file stays as it was.
            born_on: NaiveDate::from_ymd_opt(
                1958 + i32::try_from(p.wrapping_mul(7_919) % 45).unwrap_or(0),
                1 + p.wrapping_mul(31) % 12,
                1 + p.wrapping_mul(17) % 28,
            ),
            // Ofcom's numbers kept for drama: they ring nobody.
            contact: format!("07700 900{:03}", p % 1000),
            revision: 0,
        }))?;
        let mut day = first_day + Duration::days(dice.range(0, span_days / 5));
        while day < now {
            let protocol = dice.pick(&rules.concerns);
            let areas: Vec<String> = course_areas(&protocol.key, &mut dice);
            course_id += 1;
            let target = u32::try_from(dice.range(i64::from(protocol.sessions[0]), i64::from(protocol.sessions[1])))
                .unwrap_or(3);
            let interval = protocol.interval();
            let device = if dice.chance(15) {
                Device::Rf
            } else if dice.chance(10) {
                Device::Roller
            } else {
                Device::Pen
            };
            let mut course = Course {
                id: course_id,
                areas: areas.clone(),
                sessions_target: target,
                device,
                status: CourseStatus::Completed,
                ..rules.new_course(person_id, protocol, local_date(day, tz))
            };
            let mut at = day;
            let mut planned = false;
            // The course's own sessions and ticks, handed over after it (its status
            // is known once they are made).
            let mut made: Vec<Made> = Vec::new();
            for n in 0..target {
                if at > now {
                    // The rest of this course is still to come: plan the next one.
                    session_id += 1;
                    made.push(Made::Session(session(
                        session_id,
                        course_id,
                        at,
                        SessionStatus::Planned,
                        device,
                        &areas,
                        &mut dice,
                        rules,
                        tz,
                    )));
                    planned = true;
                    course.status = CourseStatus::Active;
                    break;
                }
                session_id += 1;
                let status = if dice.chance(3) { SessionStatus::Cancelled } else { SessionStatus::Done };
                let mut s = session(session_id, course_id, at, status, device, &areas, &mut dice, rules, tz);
                s.rating = Some(u8::try_from((4 + i64::from(n) + dice.range(-1, 1)).clamp(1, 10)).unwrap_or(5));
                let ticked = status == SessionStatus::Done && dice.chance(25);
                made.push(Made::Session(s));
                if ticked {
                    made.push(Made::Tick(Tick {
                        session_id,
                        item_id: "post-no-actives".into(),
                        ticked_at: at + Duration::hours(2),
                    }));
                    made.push(Made::Tick(Tick {
                        session_id,
                        item_id: "post-hands-off".into(),
                        ticked_at: at + Duration::hours(3),
                    }));
                }
                let late = if dice.chance(10) { dice.range(1, 20) } else { 0 };
                at += Duration::days(dice.range(i64::from(interval.min), i64::from(interval.max)) + late);
            }
            if !planned && at > now - Duration::days(i64::from(interval.max)) {
                course.status = CourseStatus::Active;
            }
            each(Made::Course(course))?;
            made.into_iter().try_for_each(&mut *each)?;
            // Maintenance sessions for a while, then a break before the next course.
            let mut next = at;
            for _ in 0..dice.range(0, 3) {
                next += Duration::days(dice.range(90, 180));
                if next > now {
                    break;
                }
                session_id += 1;
                each(Made::Session(session(
                    session_id,
                    course_id,
                    next,
                    SessionStatus::Done,
                    device,
                    &areas,
                    &mut dice,
                    rules,
                    tz,
                )))?;
            }
            day = next + Duration::days(dice.range(14, 90));
        }
    }
    Ok(())
}

/// One or two areas that suit the concern.
fn course_areas(concern: &str, dice: &mut Dice) -> Vec<String> {
    let choices: &[&str] = match concern {
        "stretch-marks" => &["body"],
        "large-pores" => &["nose", "cheeks"],
        "wrinkles" => &["forehead", "under-eye", "upper-lip", "neck"],
        _ => &["cheeks", "forehead", "chin-jaw", "nose"],
    };
    let first = dice.pick(choices).to_string();
    let mut areas = vec![first];
    if choices.len() > 1 && dice.chance(40) {
        let second = dice.pick(choices).to_string();
        if !areas.contains(&second) {
            areas.push(second);
        }
    }
    areas
}

#[allow(clippy::too_many_arguments)]
fn session<Tz: TimeZone>(
    id: i64,
    course_id: i64,
    at: DateTime<Utc>,
    status: SessionStatus,
    device: Device,
    areas: &[String],
    dice: &mut Dice,
    rules: &Rules,
    tz: &Tz,
) -> Session {
    let mut s = Session::new(course_id, at, offset_seconds(at, tz), status, device);
    s.id = id;
    if status == SessionStatus::Planned {
        return s;
    }
    s.depths = Some(
        areas
            .iter()
            .filter_map(|a| rules.area(a))
            .map(|g| {
                let quarter_steps =
                    dice.range((g.usual_mm[0] * 4.0).round() as i64, (g.usual_mm[1] * 4.0).round() as i64);
                AreaDepth { area: g.key.clone(), mm: (quarter_steps as f64 / 4.0).max(0.25) }
            })
            .collect(),
    );
    s.passes = Some(u32::try_from(dice.range(2, 6)).unwrap_or(4));
    s.pain = Some(u8::try_from(dice.range(1, 6)).unwrap_or(3));
    s.reaction = Some(*dice.pick(&[Reaction::None, Reaction::Mild, Reaction::Mild, Reaction::Moderate]));
    let serum = *dice.pick(&["Hyaluronic acid 2%", "Peptide serum", "Growth factors"]);
    // A new lot of each serum every quarter: "HA-26Q3".
    let prefix = match serum {
        "Peptide serum" => "PS",
        "Growth factors" => "GF",
        _ => "HA",
    };
    let quarter = (chrono::Datelike::month(&s.at) - 1) / 3 + 1;
    s.lot = Some(format!("{prefix}-{:02}Q{quarter}", chrono::Datelike::year(&s.at).rem_euclid(100)));
    s.serum = Some(serum.to_string());
    s.provider = Some("Clinic Lumen".into());
    if dice.chance(15) {
        s.notes = dice.pick(&NOTES).to_string();
    }
    s
}
