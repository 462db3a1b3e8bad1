//! The clinical defaults, read from `assets/*.toml` (embedded at build time) once.
//!
//! Protocols per concern, course-level facts, needle-depth guidance and the
//! checklists. The texts and numbers live in the assets, not here.

use std::sync::OnceLock;

use serde::Deserialize;

use super::checklist::ChecklistItem;
use super::layering::OwnRules;
use super::model::{CarePhase, Course, CourseStatus, DayRange, Device, MonthRange};

const PROTOCOLS: &str = include_str!("../../assets/protocols.toml");
const CHECKLISTS: &str = include_str!("../../assets/checklists.toml");
const DEPTHS: &str = include_str!("../../assets/depths.toml");
const TIMELINE: &str = include_str!("../../assets/timeline.toml");

/// Everything the assets say.
#[derive(Debug, Clone)]
pub struct Rules {
    pub course: CourseRules,
    pub concerns: Vec<Protocol>,
    pub depth_limits: DepthLimits,
    pub areas: Vec<AreaGuide>,
    /// Notes by skin type for deeper needling or heat.
    pub cautions: Vec<Caution>,
    /// A word when a device is chosen (a roller).
    pub device_notes: Vec<DeviceNote>,
    /// Each Fitzpatrick skin type in a line, by key (`iv`).
    pub skin_types: std::collections::BTreeMap<String, String>,
    pub checklist: Vec<ChecklistItem>,
    pub contraindications: Vec<Contraindication>,
    /// The kinds of adverse event a session's record takes.
    pub adverse_kinds: Vec<AdverseKind>,
    pub custom_windows: Vec<CustomWindow>,
    pub marks: TimelineMarks,
    /// What the user's own rule files changed; `None` when there are none.
    pub own: Option<OwnRules>,
}

/// The most months any span of the rules may take (ten years).
pub const MOST_MONTHS: u32 = 120;
/// The most hours a checklist window or a span in hours may reach (a year).
pub const MOST_HOURS: i64 = 24 * 366;

/// Whether a rule's id or text has something to see: not empty, not only spaces,
/// control or zero-width characters.
fn visible(text: &str) -> bool {
    text.chars().any(|c| {
        !c.is_whitespace()
            && !c.is_control()
            && !matches!(c, '\u{00AD}' | '\u{200B}'..='\u{200F}' | '\u{2028}'..='\u{202E}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}')
    })
}

/// Why a set of rules does not hold together: the message, and the records
/// (`concern/scars`, `limits`) that may be behind it, most likely first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleError {
    pub subjects: Vec<String>,
    pub message: String,
}

impl RuleError {
    fn new(subjects: &[String], message: impl Into<String>) -> Self {
        RuleError { subjects: subjects.to_vec(), message: message.into() }
    }
}

/// A kind of adverse event (`bruising`), as people read it.
#[derive(Debug, Clone, Deserialize)]
pub struct AdverseKind {
    pub key: String,
    pub name: String,
}

/// A window the user can give a checklist item of their own.
#[derive(Debug, Clone, Deserialize)]
pub struct CustomWindow {
    pub key: String,
    pub label: String,
    pub phase: CarePhase,
    pub from_hours: i64,
    pub to_hours: i64,
}

/// A timeline mark's name and what it means.
#[derive(Debug, Clone, Deserialize)]
pub struct Mark {
    pub name: String,
    pub meaning: String,
}

/// The names and meanings of every kind of timeline mark.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TimelineMarks {
    pub done: Mark,
    pub planned: Mark,
    pub cancelled: Mark,
    pub pre_care: Mark,
    pub sensitive: Mark,
    pub next_window: Mark,
    pub overdue: Mark,
    pub remodeling: Mark,
    pub final_results: Mark,
    pub maintenance: Mark,
    pub diary: Mark,
}

/// Facts that hold for every course.
#[derive(Debug, Clone, Deserialize)]
pub struct CourseRules {
    pub final_results_months: u32,
    pub remodeling_months: [u32; 2],
    pub maintenance_months: [u32; 2],
    /// A missed maintenance recall ends this many months after its window.
    pub recall_months: u32,
    pub sensitive_hours: i64,
    pub most_intense_hours: i64,
    /// The day-before pre-care rules start this many hours before a session.
    pub pre_care_hours: i64,
    /// The earliest pre-care item starts this many hours before a session (at
    /// least `pre_care_hours`); worked out from the checklist, not read.
    #[serde(skip)]
    pub pre_care_lead_hours: i64,
    pub glow_days: [u32; 2],
    /// What Today says in the first days after a session (`{first}`, `{last}`:
    /// `glow_days`).
    pub glow_text: String,
    pub source: String,
}

impl CourseRules {
    /// The glow sentence with its days filled in.
    pub fn glow(&self) -> String {
        self.glow_text
            .replace("{first}", &self.glow_days[0].to_string())
            .replace("{last}", &self.glow_days[1].to_string())
    }

    pub fn maintenance(&self) -> MonthRange {
        MonthRange { min: self.maintenance_months[0], max: self.maintenance_months[1] }
    }
}

/// The default plan for one concern.
#[derive(Debug, Clone, Deserialize)]
pub struct Protocol {
    pub key: String,
    pub name: String,
    pub sessions: [u32; 2],
    pub typical: u32,
    pub interval_weeks: [u32; 2],
    pub note: String,
    pub source: String,
}

impl Protocol {
    pub fn interval(&self) -> DayRange {
        DayRange { min: self.interval_weeks[0] * 7, max: self.interval_weeks[1] * 7 }
    }

    /// `4–6` or `3` when the range is a single number.
    pub fn sessions_text(&self) -> String {
        range_text(self.sessions[0], self.sessions[1])
    }

    pub fn interval_text(&self) -> String {
        format!("{} weeks", range_text(self.interval_weeks[0], self.interval_weeks[1]))
    }
}

fn range_text(lo: u32, hi: u32) -> String {
    if lo == hi { lo.to_string() } else { format!("{lo}–{hi}") }
}

/// Hard limits on a needle depth, in mm.
#[derive(Debug, Clone, Deserialize)]
pub struct DepthLimits {
    pub min_mm: f64,
    pub max_mm: f64,
    pub home_max_mm: f64,
}

/// Usual needle depth for one area.
#[derive(Debug, Clone, Deserialize)]
pub struct AreaGuide {
    pub key: String,
    pub name: String,
    pub usual_mm: [f64; 2],
    #[serde(default)]
    pub professional_mm: Option<[f64; 2]>,
    #[serde(default)]
    pub professional_note: Option<String>,
    /// The whole usual range is professional work.
    #[serde(default)]
    pub professional: bool,
    /// Other names people type for this area (`décolleté` for the chest).
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Where the numbers come from.
    #[serde(default)]
    pub source: String,
}

/// A question asked before a session is logged.
#[derive(Debug, Clone, Deserialize)]
pub struct Contraindication {
    pub id: String,
    pub text: String,
}

#[derive(Deserialize)]
struct ProtocolsFile {
    course: CourseRules,
    concern: Vec<Protocol>,
}

#[derive(Deserialize)]
struct ChecklistsFile {
    item: Vec<ChecklistItem>,
    contraindication: Vec<Contraindication>,
    adverse: Vec<AdverseKind>,
    custom_window: Vec<CustomWindow>,
}

#[derive(Deserialize)]
struct DepthsFile {
    limits: DepthLimits,
    area: Vec<AreaGuide>,
    #[serde(default)]
    caution: Vec<Caution>,
    #[serde(default)]
    device_note: Vec<DeviceNote>,
    #[serde(default)]
    skin_types: std::collections::BTreeMap<String, String>,
}

/// What to say when `device` is chosen for a course or a session.
#[derive(Debug, Clone, Deserialize)]
pub struct DeviceNote {
    pub device: Device,
    pub text: String,
    pub source: String,
}

/// A note for some skin types when a session goes deeper than `above_mm` or uses
/// one of `devices` (either condition; a caution with neither always applies).
#[derive(Debug, Clone, Deserialize)]
pub struct Caution {
    pub skin_types: Vec<super::SkinType>,
    #[serde(default)]
    pub above_mm: Option<f64>,
    #[serde(default)]
    pub devices: Vec<Device>,
    /// The note; `{type}` stands for the skin type (`V`).
    pub text: String,
    pub source: String,
}

impl Rules {
    /// The rules built into this binary, parsed on first use.
    pub fn embedded() -> &'static Rules {
        static RULES: OnceLock<Rules> = OnceLock::new();
        RULES.get_or_init(|| {
            // The assets are part of the binary and checked by `assets_are_consistent`,
            // so a failure here is a build defect, not user input.
            Rules::parse(PROTOCOLS, CHECKLISTS, DEPTHS, TIMELINE).expect("embedded assets are valid")
        })
    }

    /// Parses and checks the three asset files.
    pub fn parse(protocols: &str, checklists: &str, depths: &str, timeline: &str) -> Result<Rules, String> {
        let p: ProtocolsFile = toml::from_str(protocols).map_err(|e| format!("protocols.toml: {e}"))?;
        let c: ChecklistsFile = toml::from_str(checklists).map_err(|e| format!("checklists.toml: {e}"))?;
        let d: DepthsFile = toml::from_str(depths).map_err(|e| format!("depths.toml: {e}"))?;
        let marks: TimelineMarks = toml::from_str(timeline).map_err(|e| format!("timeline.toml: {e}"))?;
        let lead = Rules::pre_care_lead(&c.item, p.course.pre_care_hours);
        let rules = Rules {
            course: CourseRules { pre_care_lead_hours: lead, ..p.course },
            concerns: p.concern,
            depth_limits: d.limits,
            areas: d.area,
            cautions: d.caution,
            device_notes: d.device_note,
            skin_types: d.skin_types,
            checklist: c.item,
            contraindications: c.contraindication,
            adverse_kinds: c.adverse,
            custom_windows: c.custom_window,
            marks,
            own: None,
        };
        rules.check().map_err(|e| e.message)?;
        Ok(rules)
    }

    /// How long before a session pre-care starts: the earliest pre-care item, and
    /// never less than `pre_care_hours`.
    pub(crate) fn pre_care_lead(items: &[ChecklistItem], pre_care_hours: i64) -> i64 {
        let earliest_item = items.iter().filter(|i| i.phase == CarePhase::Pre).map(|i| -i.from_hours).max();
        earliest_item.unwrap_or(0).max(pre_care_hours)
    }

    /// Whether the rules hold together; built-in and layered rules alike.
    pub(crate) fn check(&self) -> Result<(), RuleError> {
        let course = ["course".to_string()];
        let c = &self.course;
        ordered(&course, "remodeling_months", c.remodeling_months[0] as f64, c.remodeling_months[1] as f64)?;
        ordered(&course, "maintenance_months", c.maintenance_months[0] as f64, c.maintenance_months[1] as f64)?;
        ordered(&course, "glow_days", c.glow_days[0] as f64, c.glow_days[1] as f64)?;
        if c.maintenance_months[0] == 0 || c.final_results_months == 0 {
            return Err(RuleError::new(&course, "maintenance_months and final_results_months must be at least 1"));
        }
        if !(0 < c.most_intense_hours && c.most_intense_hours <= c.sensitive_hours) {
            return Err(RuleError::new(&course, "most_intense_hours must lie within sensitive_hours"));
        }
        if c.pre_care_hours <= 0 {
            return Err(RuleError::new(&course, "pre_care_hours must be more than 0"));
        }
        // Bounds that keep every date worked out from them on the calendar.
        let months = [
            ("final_results_months", c.final_results_months),
            ("remodeling_months", c.remodeling_months[1]),
            ("maintenance_months", c.maintenance_months[1]),
            ("recall_months", c.recall_months),
        ];
        for (name, value) in months {
            if value > MOST_MONTHS {
                return Err(RuleError::new(&course, format!("{name} must be at most {MOST_MONTHS} (10 years)")));
            }
        }
        for (name, value) in [("sensitive_hours", c.sensitive_hours), ("pre_care_hours", c.pre_care_hours)] {
            if value > MOST_HOURS {
                return Err(RuleError::new(&course, format!("{name} must be at most {MOST_HOURS} (a year)")));
            }
        }
        if c.glow_days[1] > 366 {
            return Err(RuleError::new(&course, "glow_days must be at most 366"));
        }
        if self.concerns.is_empty() {
            return Err(RuleError::new(&[], "at least one concern must stay switched on"));
        }
        for p in &self.concerns {
            let at = [format!("concern/{}", p.key)];
            ordered(&at, &p.key, p.sessions[0] as f64, p.sessions[1] as f64)?;
            ordered(&at, &p.key, p.interval_weeks[0] as f64, p.interval_weeks[1] as f64)?;
            if p.sessions[0] == 0 || !(p.sessions[0]..=p.sessions[1]).contains(&p.typical) {
                return Err(RuleError::new(&at, format!("{}: typical must lie within sessions", p.key)));
            }
            if p.interval_weeks[0] == 0 || p.sessions[1] > 20 || p.interval_weeks[1] > 104 {
                return Err(RuleError::new(&at, format!("{}: use 1–20 sessions, 1–104 weeks apart", p.key)));
            }
            if !visible(&p.key) || !visible(&p.name) || !visible(&p.source) {
                return Err(RuleError::new(
                    &at,
                    format!("\"{}\": every protocol needs a key, a name and a source", p.key),
                ));
            }
        }
        let limits = ["limits".to_string()];
        let l = &self.depth_limits;
        ordered(&limits, "depth limits", l.min_mm, l.max_mm)?;
        if !(l.min_mm > 0.0 && l.max_mm <= 10.0 && l.home_max_mm > 0.0) {
            return Err(RuleError::new(&limits, "depth limits must lie between 0 and 10 mm"));
        }
        for a in &self.areas {
            let at = [format!("area/{}", a.key), "limits".to_string()];
            ordered(&at, &a.key, a.usual_mm[0], a.usual_mm[1])?;
            if let Some([lo, hi]) = a.professional_mm {
                ordered(&at, &a.key, lo, hi)?;
            }
            if a.usual_mm[0] < l.min_mm || a.usual_mm[1] > l.max_mm {
                let message = format!("{}: usual depth outside the limits {}–{} mm", a.key, l.min_mm, l.max_mm);
                return Err(RuleError::new(&at, message));
            }
        }
        for item in &self.checklist {
            let at = [format!("item/{}", item.id)];
            if !visible(&item.id) {
                return Err(RuleError::new(&at, "a checklist item needs an id of visible letters"));
            }
            if item.from_hours.abs() > MOST_HOURS || item.to_hours.abs() > MOST_HOURS {
                let message =
                    format!("{}: a window must lie within {MOST_HOURS} hours (a year) of the session", item.id);
                return Err(RuleError::new(&at, message));
            }
            if item.from_hours >= item.to_hours {
                return Err(RuleError::new(&at, format!("{}: window must end after it starts", item.id)));
            }
            if item.custom_id().is_some() {
                let message = format!("{}: ids like this name a person's own items; pick another", item.id);
                return Err(RuleError::new(&at, message));
            }
            let fits = match item.phase {
                CarePhase::Pre => item.to_hours <= 0,
                CarePhase::Post => item.from_hours >= 0,
            };
            if !fits {
                let message = format!("{}: a {} item must lie on its side of the session", item.id, item.phase.key());
                return Err(RuleError::new(&at, message));
            }
            if !visible(&item.text) {
                return Err(RuleError::new(&at, format!("{}: an item needs a text", item.id)));
            }
        }
        for w in &self.custom_windows {
            let fits = match w.phase {
                CarePhase::Pre => w.to_hours <= 0,
                CarePhase::Post => w.from_hours >= 0,
            };
            if w.from_hours >= w.to_hours || !fits || w.from_hours.abs() > MOST_HOURS || w.to_hours.abs() > MOST_HOURS {
                let message = format!(
                    "custom window {}: must end after it starts, on its side of the session, within {MOST_HOURS} hours",
                    w.key
                );
                return Err(RuleError::new(&[], message));
            }
        }
        let keys = self.contraindications.iter().map(|i| ("contraindication", i.id.as_str(), i.text.as_str()));
        let keys = keys
            .chain(self.adverse_kinds.iter().map(|k| ("adverse", k.key.as_str(), k.name.as_str())))
            .chain(self.areas.iter().map(|a| ("area", a.key.as_str(), a.key.as_str())));
        for (kind, key, text) in keys {
            if !visible(key) || !visible(text) {
                return Err(RuleError::new(
                    &[format!("{kind}/{key}")],
                    format!("a {kind} needs an id and a name of visible letters"),
                ));
            }
        }
        unique("checklist item", "item", self.checklist.iter().map(|i| i.id.as_str()))?;
        unique("contraindication", "contraindication", self.contraindications.iter().map(|i| i.id.as_str()))?;
        unique("adverse event kind", "adverse", self.adverse_kinds.iter().map(|k| k.key.as_str()))?;
        unique("concern", "concern", self.concerns.iter().map(|i| i.key.as_str()))?;
        unique("area", "area", self.areas.iter().map(|i| i.key.as_str()))?;
        let mut names = std::collections::HashMap::new();
        for a in &self.areas {
            for name in std::iter::once(&a.key).chain(&a.aliases) {
                if let Some(other) = names.insert(Rules::normal_area(name), &a.key)
                    && other != &a.key
                {
                    let at = [format!("area/{}", a.key), format!("area/{other}")];
                    return Err(RuleError::new(&at, format!("\"{name}\" names both {other} and {}", a.key)));
                }
            }
        }
        Ok(())
    }

    /// A new active course of `protocol` for a person, with the protocol's
    /// defaults (sessions, interval) and the course-wide maintenance spacing.
    pub fn new_course(&self, person_id: i64, protocol: &Protocol, started_on: chrono::NaiveDate) -> Course {
        Course {
            id: 0,
            person_id,
            concern: protocol.key.clone(),
            areas: Vec::new(),
            sessions_target: protocol.typical,
            interval: protocol.interval(),
            maintenance: self.course.maintenance(),
            device: Device::Pen,
            status: CourseStatus::Active,
            started_on,
            notes: String::new(),
            place: String::new(),
            final_rating: None,
            void: None,
            revision: 0,
        }
    }

    pub fn protocol(&self, key: &str) -> Option<&Protocol> {
        self.concerns.iter().find(|p| p.key == key)
    }

    /// The guidance for the area stored as `key`; `None` for an area of the user's
    /// own without guidance (it keeps to the global depth limits).
    pub fn area(&self, key: &str) -> Option<&AreaGuide> {
        self.areas.iter().find(|a| a.key == key)
    }

    /// An area name as it is compared: trimmed, lower case, single spaces.
    pub fn normal_area(typed: &str) -> String {
        typed.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
    }

    /// The key an area typed as `typed` is kept under: a known area's key when the
    /// text is its key, name or one of its aliases (any case, `Chin / jaw`), else
    /// the text itself, trimmed, in lower case with single spaces (`left knee`).
    pub fn area_key(&self, typed: &str) -> String {
        let wanted = Rules::normal_area(typed);
        let squash = |s: &str| Rules::normal_area(s).replace([' ', '-', '/'], "");
        self.areas
            .iter()
            .find(|a| {
                a.key == wanted
                    || std::iter::once(&a.name).chain(&a.aliases).any(|n| Rules::normal_area(n) == wanted)
                    || squash(&a.key) == squash(&wanted)
                    || squash(&a.name) == squash(&wanted)
            })
            .map_or(wanted, |a| a.key.clone())
    }

    /// The word for choosing `device`, if there is one.
    pub fn device_note(&self, device: Device) -> Option<&str> {
        self.device_notes.iter().find(|n| n.device == device).map(|n| n.text.as_str())
    }

    /// Whether `key` names an area this set of rules knows.
    pub fn knows_area(&self, key: &str) -> bool {
        self.area(key).is_some()
    }

    pub fn concern_keys(&self) -> String {
        self.concerns.iter().map(|p| p.key.as_str()).collect::<Vec<_>>().join(", ")
    }

    pub fn area_keys(&self) -> String {
        self.areas.iter().map(|a| a.key.as_str()).collect::<Vec<_>>().join(", ")
    }

    /// The name of an adverse event kind, or the key itself when unknown.
    pub fn adverse_name<'a>(&'a self, key: &'a str) -> &'a str {
        self.adverse_kinds.iter().find(|k| k.key == key).map_or(key, |k| k.name.as_str())
    }

    /// The display name of a concern, or the key itself when unknown.
    pub fn concern_name<'a>(&'a self, key: &'a str) -> &'a str {
        self.protocol(key).map_or(key, |p| p.name.as_str())
    }
}

fn ordered(subjects: &[String], what: &str, lo: f64, hi: f64) -> Result<(), RuleError> {
    if lo <= hi { Ok(()) } else { Err(RuleError::new(subjects, format!("{what}: minimum {lo} is above maximum {hi}"))) }
}

fn unique<'a>(what: &str, kind: &str, keys: impl Iterator<Item = &'a str>) -> Result<(), RuleError> {
    let mut seen = std::collections::HashSet::new();
    for k in keys {
        if !seen.insert(k) {
            return Err(RuleError::new(&[format!("{kind}/{k}")], format!("{what} \"{k}\" appears twice")));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn assets_are_consistent() {
        let rules = Rules::parse(PROTOCOLS, CHECKLISTS, DEPTHS, TIMELINE).unwrap();
        let keys: Vec<_> = rules.concerns.iter().map(|p| p.key.as_str()).collect();
        assert_eq!(
            keys,
            [
                "rejuvenation",
                "collagen-induction",
                "scars",
                "acne-scars",
                "deep-scars",
                "wrinkles",
                "stretch-marks",
                "hyperpigmentation",
                "large-pores"
            ]
        );
        assert_eq!(rules.protocol("large-pores").unwrap().interval(), DayRange { min: 21, max: 28 });
        assert_eq!(rules.protocol("acne-scars").unwrap().sessions, [6, 6]);
        assert_eq!(rules.course.final_results_months, 3);
        assert_eq!(rules.course.sensitive_hours, 72);
        assert_eq!(rules.areas.len(), 16);
        assert!(rules.areas.iter().skip(8).all(|a| !a.source.is_empty()));
        assert!(rules.checklist.iter().any(|i| i.phase == CarePhase::Pre && i.from_hours == -168));
        assert_eq!(rules.contraindications.len(), 9);
    }

    #[test]
    fn inconsistent_assets_are_refused() {
        let swapped = PROTOCOLS.replacen("sessions = [4, 6]", "sessions = [6, 4]", 1);
        assert!(Rules::parse(&swapped, CHECKLISTS, DEPTHS, TIMELINE).unwrap_err().contains("rejuvenation"));
        let backwards = CHECKLISTS.replacen("to_hours = 0", "to_hours = -48", 1);
        assert!(Rules::parse(PROTOCOLS, &backwards, DEPTHS, TIMELINE).unwrap_err().contains("pre-retinoids"));
        let deep = DEPTHS.replacen("usual_mm = [0.25, 0.5]", "usual_mm = [0.25, 5.0]", 1);
        assert!(Rules::parse(PROTOCOLS, CHECKLISTS, &deep, TIMELINE).unwrap_err().contains("forehead"));
    }
}
