//! Your own rules on top of the built-in ones: the one place they are merged.
//!
//! A user's `protocols.toml`, `checklists.toml` and `depths.toml` have the shape of
//! the assets and hold only their differences. Records are matched by key or id: a
//! record with a built-in key changes the fields it names, a new key adds a record
//! (it must then say everything a record needs), and `enabled = false` switches a
//! built-in one off. Nothing here reads a file: callers pass the texts.
//!
//! A file is taken whole or not at all: the first problem stops the merge with
//! the file, line and column, what is wrong and how to fix it.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

use super::checklist::ChecklistItem;
use super::model::CarePhase;
use super::rules::{AdverseKind, AreaGuide, Caution, Contraindication, Protocol, RuleError, Rules};

/// Which of the three files a text is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum OwnKind {
    Protocols,
    Checklists,
    Depths,
}

impl OwnKind {
    pub const ALL: [OwnKind; 3] = [OwnKind::Protocols, OwnKind::Checklists, OwnKind::Depths];

    /// The file's name in the config folder.
    pub fn file_name(self) -> &'static str {
        match self {
            OwnKind::Protocols => "protocols.toml",
            OwnKind::Checklists => "checklists.toml",
            OwnKind::Depths => "depths.toml",
        }
    }
}

/// One of the user's files: which it is, the path to name in messages, its text.
#[derive(Debug, Clone)]
pub struct OwnFile {
    pub kind: OwnKind,
    pub path: String,
    pub text: String,
}

/// A problem in one of the user's files, at a line and column (1-based).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{path}:{line}:{column}: {message}")]
pub struct LayerError {
    pub path: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// Where a record of the effective rules comes from, when it is the user's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    pub path: String,
    pub line: usize,
    pub change: Change,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// A built-in record with these fields changed.
    Changed(Vec<&'static str>),
    /// A record of the user's own.
    Added,
    /// A built-in record switched off.
    SwitchedOff,
}

impl Origin {
    /// `~/.config/needlelog/protocols.toml:12`
    pub fn place(&self) -> String {
        format!("{}:{}", self.path, self.line)
    }
}

/// What the user's files did, for `rules show`, the help and `protocols`.
#[derive(Debug, Clone, Default)]
pub struct OwnRules {
    /// The files read, in order.
    pub files: Vec<String>,
    /// By subject (`concern/scars`, `item/pre-acids`, `area/face`, `course`,
    /// `limits`, `contraindication/x`, `adverse/x`, `caution/N`).
    pub origins: BTreeMap<String, Origin>,
}

impl OwnRules {
    pub fn origin(&self, subject: &str) -> Option<&Origin> {
        self.origins.get(subject)
    }

    /// The subjects switched off, in order.
    pub fn switched_off(&self) -> impl Iterator<Item = (&str, &Origin)> {
        self.origins.iter().filter(|(_, o)| o.change == Change::SwitchedOff).map(|(s, o)| (s.as_str(), o))
    }
}

/// The built-in rules with the user's files laid over them, checked as a whole.
pub fn layer(base: &Rules, files: &[OwnFile]) -> Result<Rules, LayerError> {
    let mut rules = base.clone();
    let mut own = OwnRules::default();
    for file in files {
        own.files.push(file.path.clone());
        let mut layer = Layer { file, own: &mut own };
        match file.kind {
            OwnKind::Protocols => layer.protocols(&mut rules)?,
            OwnKind::Checklists => layer.checklists(&mut rules)?,
            OwnKind::Depths => layer.depths(&mut rules)?,
        }
    }
    rules.course.pre_care_lead_hours = Rules::pre_care_lead(&rules.checklist, rules.course.pre_care_hours);
    if let Err(e) = rules.check() {
        return Err(blame(files, &own, e));
    }
    rules.own = (!files.is_empty()).then_some(own);
    Ok(rules)
}

/// Points a problem of the merged rules at the user's record behind it.
fn blame(files: &[OwnFile], own: &OwnRules, e: RuleError) -> LayerError {
    let hint = "fix that value in your file (needlelog rules show lists the built-in ones)";
    for subject in &e.subjects {
        if let Some(o) = own.origin(subject) {
            return LayerError {
                path: o.path.clone(),
                line: o.line,
                column: 1,
                message: format!("{}: {hint}", e.message),
            };
        }
    }
    let path = files.first().map_or_else(String::new, |f| f.path.clone());
    LayerError { path, line: 1, column: 1, message: format!("{}: {hint}", e.message) }
}

struct Layer<'a> {
    file: &'a OwnFile,
    own: &'a mut OwnRules,
}

impl Layer<'_> {
    fn parse<T: for<'de> Deserialize<'de>>(&self) -> Result<T, LayerError> {
        toml::from_str(&self.file.text).map_err(|e| {
            let at = e.span().map_or(0, |s| s.start);
            let message = e.message().trim().replace('\n', " ");
            let message = if message.starts_with("unknown field") {
                format!("{message} (check the spelling against needlelog rules show)")
            } else {
                message
            };
            self.error(at, message)
        })
    }

    fn error(&self, offset: usize, message: String) -> LayerError {
        let (line, column) = line_column(&self.file.text, offset);
        LayerError { path: self.file.path.clone(), line, column, message }
    }

    fn note(&mut self, subject: String, offset: usize, change: Change) {
        let (line, _) = line_column(&self.file.text, offset);
        self.own.origins.insert(subject, Origin { path: self.file.path.clone(), line, change });
    }

    fn protocols(&mut self, rules: &mut Rules) -> Result<(), LayerError> {
        let file: ProtocolsFile = self.parse()?;
        if let Some(course) = file.course {
            let at = course.span().start;
            let c = course.into_inner();
            let r = &mut rules.course;
            let mut changed = Vec::new();
            set(&mut r.final_results_months, c.final_results_months, "final_results_months", &mut changed);
            set(&mut r.remodeling_months, c.remodeling_months, "remodeling_months", &mut changed);
            set(&mut r.maintenance_months, c.maintenance_months, "maintenance_months", &mut changed);
            set(&mut r.recall_months, c.recall_months, "recall_months", &mut changed);
            set(&mut r.sensitive_hours, c.sensitive_hours, "sensitive_hours", &mut changed);
            set(&mut r.most_intense_hours, c.most_intense_hours, "most_intense_hours", &mut changed);
            set(&mut r.pre_care_hours, c.pre_care_hours, "pre_care_hours", &mut changed);
            set(&mut r.glow_days, c.glow_days, "glow_days", &mut changed);
            set(&mut r.source, c.source, "source", &mut changed);
            self.note("course".into(), at, Change::Changed(changed));
        }
        for record in file.concern {
            let at = record.span().start;
            let c = record.into_inner();
            let found = rules.concerns.iter().position(|p| p.key == c.key);
            let key = c.key.clone();
            match (found, c.enabled) {
                (found, Some(false)) => self.switch_off("concern", &key, found, &mut rules.concerns, at)?,
                (Some(i), _) => {
                    let p = &mut rules.concerns[i];
                    let mut changed = Vec::new();
                    set(&mut p.name, c.name, "name", &mut changed);
                    set(&mut p.sessions, c.sessions, "sessions", &mut changed);
                    set(&mut p.typical, c.typical, "typical", &mut changed);
                    set(&mut p.interval_weeks, c.interval_weeks, "interval_weeks", &mut changed);
                    set(&mut p.note, c.note, "note", &mut changed);
                    set(&mut p.source, c.source, "source", &mut changed);
                    self.note(format!("concern/{key}"), at, Change::Changed(changed));
                }
                (None, _) => {
                    let known = rules.concerns.iter().map(|p| p.key.as_str());
                    let missing = missing(&[
                        ("name", c.name.is_none()),
                        ("sessions", c.sessions.is_none()),
                        ("interval_weeks", c.interval_weeks.is_none()),
                    ]);
                    self.needs("concern", &key, known, &missing, at)?;
                    let sessions = c.sessions.unwrap_or_default();
                    rules.concerns.push(Protocol {
                        key: key.clone(),
                        name: c.name.unwrap_or_default(),
                        sessions,
                        typical: c.typical.unwrap_or(sessions[0]),
                        interval_weeks: c.interval_weeks.unwrap_or_default(),
                        note: c.note.unwrap_or_default(),
                        source: c.source.unwrap_or_else(|| "your own rules".into()),
                    });
                    self.note(format!("concern/{key}"), at, Change::Added);
                }
            }
        }
        Ok(())
    }

    fn checklists(&mut self, rules: &mut Rules) -> Result<(), LayerError> {
        let file: ChecklistsFile = self.parse()?;
        for record in file.item {
            let at = record.span().start;
            let c = record.into_inner();
            let key = c.id.clone();
            let found = rules.checklist.iter().position(|i| i.id == key);
            match (found, c.enabled) {
                (found, Some(false)) => self.switch_off("item", &key, found, &mut rules.checklist, at)?,
                (Some(i), _) => {
                    let item = &mut rules.checklist[i];
                    let mut changed = Vec::new();
                    set(&mut item.phase, c.phase, "phase", &mut changed);
                    set(&mut item.text, c.text, "text", &mut changed);
                    set(&mut item.from_hours, c.from_hours, "from_hours", &mut changed);
                    set(&mut item.to_hours, c.to_hours, "to_hours", &mut changed);
                    set(&mut item.source, c.source, "source", &mut changed);
                    self.note(format!("item/{key}"), at, Change::Changed(changed));
                }
                (None, _) => {
                    let known = rules.checklist.iter().map(|i| i.id.as_str());
                    let missing = missing(&[
                        ("phase", c.phase.is_none()),
                        ("text", c.text.is_none()),
                        ("from_hours", c.from_hours.is_none()),
                        ("to_hours", c.to_hours.is_none()),
                    ]);
                    self.needs("item", &key, known, &missing, at)?;
                    rules.checklist.push(ChecklistItem {
                        id: key.clone(),
                        phase: c.phase.unwrap_or(CarePhase::Post),
                        text: c.text.unwrap_or_default(),
                        from_hours: c.from_hours.unwrap_or_default(),
                        to_hours: c.to_hours.unwrap_or_default(),
                        source: c.source.unwrap_or_else(|| "your own rules".into()),
                    });
                    self.note(format!("item/{key}"), at, Change::Added);
                }
            }
        }
        for record in file.contraindication {
            let at = record.span().start;
            let c = record.into_inner();
            let found = rules.contraindications.iter().position(|q| q.id == c.id);
            let key = c.id;
            match (found, c.enabled) {
                (found, Some(false)) => {
                    self.switch_off("contraindication", &key, found, &mut rules.contraindications, at)?
                }
                (Some(i), _) => {
                    let mut changed = Vec::new();
                    set(&mut rules.contraindications[i].text, c.text, "text", &mut changed);
                    self.note(format!("contraindication/{key}"), at, Change::Changed(changed));
                }
                (None, _) => {
                    let known = rules.contraindications.iter().map(|q| q.id.as_str());
                    self.needs("contraindication", &key, known, &missing(&[("text", c.text.is_none())]), at)?;
                    let text = c.text.unwrap_or_default();
                    rules.contraindications.push(Contraindication { id: key.clone(), text });
                    self.note(format!("contraindication/{key}"), at, Change::Added);
                }
            }
        }
        for record in file.adverse {
            let at = record.span().start;
            let c = record.into_inner();
            let found = rules.adverse_kinds.iter().position(|k| k.key == c.key);
            let key = c.key;
            match (found, c.enabled) {
                (found, Some(false)) => self.switch_off("adverse", &key, found, &mut rules.adverse_kinds, at)?,
                (Some(i), _) => {
                    let mut changed = Vec::new();
                    set(&mut rules.adverse_kinds[i].name, c.name, "name", &mut changed);
                    self.note(format!("adverse/{key}"), at, Change::Changed(changed));
                }
                (None, _) => {
                    let known = rules.adverse_kinds.iter().map(|k| k.key.as_str());
                    self.needs("adverse event kind", &key, known, &missing(&[("name", c.name.is_none())]), at)?;
                    let name = c.name.unwrap_or_default();
                    rules.adverse_kinds.push(AdverseKind { key: key.clone(), name });
                    self.note(format!("adverse/{key}"), at, Change::Added);
                }
            }
        }
        Ok(())
    }

    fn depths(&mut self, rules: &mut Rules) -> Result<(), LayerError> {
        let file: DepthsFile = self.parse()?;
        if let Some(limits) = file.limits {
            let at = limits.span().start;
            let l = limits.into_inner();
            let r = &mut rules.depth_limits;
            let mut changed = Vec::new();
            set(&mut r.min_mm, l.min_mm, "min_mm", &mut changed);
            set(&mut r.max_mm, l.max_mm, "max_mm", &mut changed);
            set(&mut r.home_max_mm, l.home_max_mm, "home_max_mm", &mut changed);
            self.note("limits".into(), at, Change::Changed(changed));
        }
        for record in file.area {
            let at = record.span().start;
            let c = record.into_inner();
            let key = Rules::normal_area(&c.key);
            if key.is_empty() || key.contains([',', '=']) {
                return Err(self.error(at, format!("area key \"{}\": use a name without commas or =", c.key)));
            }
            let found = rules.areas.iter().position(|a| a.key == key);
            match (found, c.enabled) {
                (found, Some(false)) => self.switch_off("area", &key, found, &mut rules.areas, at)?,
                (Some(i), _) => {
                    let a = &mut rules.areas[i];
                    let mut changed = Vec::new();
                    set(&mut a.name, c.name, "name", &mut changed);
                    set(&mut a.usual_mm, c.usual_mm, "usual_mm", &mut changed);
                    if c.professional_mm.is_some() {
                        a.professional_mm = c.professional_mm;
                        changed.push("professional_mm");
                    }
                    if c.professional_note.is_some() {
                        a.professional_note = c.professional_note;
                        changed.push("professional_note");
                    }
                    set(&mut a.professional, c.professional, "professional", &mut changed);
                    set(&mut a.aliases, c.aliases, "aliases", &mut changed);
                    set(&mut a.source, c.source, "source", &mut changed);
                    self.note(format!("area/{key}"), at, Change::Changed(changed));
                }
                (None, _) => {
                    // An area of one's own needs only its usual depths: the name
                    // defaults to the key.
                    let known = rules.areas.iter().map(|a| a.key.as_str());
                    self.needs("area", &key, known, &missing(&[("usual_mm", c.usual_mm.is_none())]), at)?;
                    rules.areas.push(AreaGuide {
                        key: key.clone(),
                        name: c.name.unwrap_or_else(|| c.key.trim().to_string()),
                        usual_mm: c.usual_mm.unwrap_or_default(),
                        professional_mm: c.professional_mm,
                        professional_note: c.professional_note,
                        professional: c.professional.unwrap_or(false),
                        aliases: c.aliases.unwrap_or_default(),
                        source: c.source.unwrap_or_else(|| "your own rules".into()),
                    });
                    self.note(format!("area/{key}"), at, Change::Added);
                }
            }
        }
        for record in file.caution {
            let at = record.span().start;
            let n = rules.cautions.len();
            rules.cautions.push(record.into_inner());
            self.note(format!("caution/{n}"), at, Change::Added);
        }
        Ok(())
    }

    /// Removes the built-in record `key` (found at `found`), or says there is none.
    fn switch_off<T>(
        &mut self,
        what: &str,
        key: &str,
        found: Option<usize>,
        records: &mut Vec<T>,
        at: usize,
    ) -> Result<(), LayerError> {
        let Some(i) = found else {
            return Err(self.error(
                at,
                format!("enabled = false on {what} \"{key}\", which is not a built-in one: check the key"),
            ));
        };
        records.remove(i);
        self.note(format!("{}/{key}", subject_kind(what)), at, Change::SwitchedOff);
        Ok(())
    }

    /// A new record must say everything a record needs; an id close to a built-in
    /// one is most likely a typo, and says so.
    fn needs<'k>(
        &self,
        what: &str,
        key: &str,
        known: impl Iterator<Item = &'k str> + Clone,
        missing: &[&str],
        at: usize,
    ) -> Result<(), LayerError> {
        if missing.is_empty() {
            return Ok(());
        }
        let close = known.clone().find(|k| typo_of(key, k));
        let hint = match close {
            Some(k) => format!("; did you mean the built-in \"{k}\"?"),
            None => String::new(),
        };
        Err(self.error(
            at,
            format!("{what} \"{key}\" is not a built-in one, so it is new and needs {}{hint}", missing.join(", ")),
        ))
    }
}

fn subject_kind(what: &str) -> &str {
    match what {
        "adverse event kind" => "adverse",
        other => other,
    }
}

fn set<T>(target: &mut T, value: Option<T>, name: &'static str, changed: &mut Vec<&'static str>) {
    if let Some(v) = value {
        *target = v;
        changed.push(name);
    }
}

fn missing<'a>(fields: &[(&'a str, bool)]) -> Vec<&'a str> {
    fields.iter().filter(|(_, absent)| *absent).map(|(name, _)| *name).collect()
}

/// Whether `a` is one small slip away from `b`: a letter added, dropped or changed.
fn typo_of(a: &str, b: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    if a == b || a.len().abs_diff(b.len()) > 1 {
        return false;
    }
    let start = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let end = a.iter().rev().zip(b.iter().rev()).take_while(|(x, y)| x == y).count();
    start + end + 1 >= a.len().max(b.len())
}

/// The 1-based line and column of a byte offset.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let mut end = offset.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let before = &text[..end];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ProtocolsFile {
    course: Option<Spanned<OwnCourse>>,
    #[serde(default)]
    concern: Vec<Spanned<OwnConcern>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OwnCourse {
    final_results_months: Option<u32>,
    remodeling_months: Option<[u32; 2]>,
    maintenance_months: Option<[u32; 2]>,
    recall_months: Option<u32>,
    sensitive_hours: Option<i64>,
    most_intense_hours: Option<i64>,
    pre_care_hours: Option<i64>,
    glow_days: Option<[u32; 2]>,
    source: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OwnConcern {
    key: String,
    enabled: Option<bool>,
    name: Option<String>,
    sessions: Option<[u32; 2]>,
    typical: Option<u32>,
    interval_weeks: Option<[u32; 2]>,
    note: Option<String>,
    source: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ChecklistsFile {
    #[serde(default)]
    item: Vec<Spanned<OwnItem>>,
    #[serde(default)]
    contraindication: Vec<Spanned<OwnQuestion>>,
    #[serde(default)]
    adverse: Vec<Spanned<OwnAdverse>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OwnItem {
    id: String,
    enabled: Option<bool>,
    phase: Option<CarePhase>,
    text: Option<String>,
    from_hours: Option<i64>,
    to_hours: Option<i64>,
    source: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OwnQuestion {
    id: String,
    enabled: Option<bool>,
    text: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OwnAdverse {
    key: String,
    enabled: Option<bool>,
    name: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DepthsFile {
    limits: Option<Spanned<OwnLimits>>,
    #[serde(default)]
    area: Vec<Spanned<OwnArea>>,
    #[serde(default)]
    caution: Vec<Spanned<Caution>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OwnLimits {
    min_mm: Option<f64>,
    max_mm: Option<f64>,
    home_max_mm: Option<f64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OwnArea {
    key: String,
    enabled: Option<bool>,
    name: Option<String>,
    usual_mm: Option<[f64; 2]>,
    professional_mm: Option<[f64; 2]>,
    professional_note: Option<String>,
    professional: Option<bool>,
    aliases: Option<Vec<String>>,
    source: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn own(kind: OwnKind, text: &str) -> OwnFile {
        OwnFile { kind, path: format!("/cfg/{}", kind.file_name()), text: text.to_string() }
    }

    fn layered(files: &[OwnFile]) -> Result<Rules, LayerError> {
        layer(Rules::embedded(), files)
    }

    #[test]
    fn a_change_keeps_the_rest_of_the_record() {
        let rules = layered(&[own(
            OwnKind::Protocols,
            "[[concern]]\nkey = \"scars\"\nsessions = [3, 3]\ntypical = 3\ninterval_weeks = [4, 4]\n",
        )])
        .unwrap();
        let scars = rules.protocol("scars").unwrap();
        assert_eq!((scars.sessions, scars.typical, scars.interval_weeks), ([3, 3], 3, [4, 4]));
        assert_eq!(scars.name, "Scars (general)");
        let origin = rules.own.as_ref().unwrap().origin("concern/scars").unwrap();
        assert_eq!(origin.place(), "/cfg/protocols.toml:1");
        assert_eq!(origin.change, Change::Changed(vec!["sessions", "typical", "interval_weeks"]));
        assert_eq!(rules.concerns.len(), Rules::embedded().concerns.len());
    }

    #[test]
    fn a_new_concern_is_added_and_a_built_in_one_switched_off() {
        let text = "[[concern]]\nkey = \"hair-loss\"\nname = \"Hair loss\"\nsessions = [6, 12]\ninterval_weeks = [2, 4]\n\n\
                    [[concern]]\nkey = \"large-pores\"\nenabled = false\n";
        let rules = layered(&[own(OwnKind::Protocols, text)]).unwrap();
        let hair = rules.protocol("hair-loss").unwrap();
        assert_eq!((hair.typical, hair.source.as_str()), (6, "your own rules"));
        assert!(rules.protocol("large-pores").is_none());
        let off: Vec<_> = rules.own.as_ref().unwrap().switched_off().map(|(s, o)| (s, o.line)).collect();
        assert_eq!(off, [("concern/large-pores", 7)]);
    }

    #[test]
    fn checklist_items_change_text_switch_off_and_add() {
        let text = "[[item]]\nid = \"pre-wash\"\ntext = \"Wash with the cleanser we gave you\"\n\n\
                    [[item]]\nid = \"pre-bare-skin\"\nenabled = false\n\n\
                    [[item]]\nid = \"post-arnica\"\nphase = \"post\"\ntext = \"Arnica gel twice a day\"\nfrom_hours = 0\nto_hours = 96\n";
        let rules = layered(&[own(OwnKind::Checklists, text)]).unwrap();
        let item = |id: &str| rules.checklist.iter().find(|i| i.id == id);
        assert_eq!(item("pre-wash").unwrap().text, "Wash with the cleanser we gave you");
        assert!(item("pre-bare-skin").is_none());
        assert_eq!(item("post-arnica").unwrap().to_hours, 96);
        assert_eq!(rules.course.pre_care_lead_hours, Rules::embedded().course.pre_care_lead_hours);
    }

    #[test]
    fn an_earlier_item_moves_the_pre_care_lead() {
        let text =
            "[[item]]\nid = \"pre-tan\"\nphase = \"pre\"\ntext = \"No fake tan\"\nfrom_hours = -504\nto_hours = 0\n";
        assert_eq!(layered(&[own(OwnKind::Checklists, text)]).unwrap().course.pre_care_lead_hours, 504);
    }

    #[test]
    fn areas_of_ones_own_and_a_wider_limit() {
        let text = "[limits]\nmax_mm = 3.5\n\n[[area]]\nkey = \"Knees\"\nusual_mm = [0.5, 1.5]\n";
        let rules = layered(&[own(OwnKind::Depths, text)]).unwrap();
        assert_eq!(rules.depth_limits.max_mm, 3.5);
        assert_eq!(rules.depth_limits.min_mm, 0.1);
        let knees = rules.area("knees").unwrap();
        assert_eq!((knees.name.as_str(), knees.usual_mm), ("Knees", [0.5, 1.5]));
    }

    #[test]
    fn no_files_means_no_own_rules() {
        assert!(layered(&[]).unwrap().own.is_none());
    }

    fn error(kind: OwnKind, text: &str) -> String {
        layered(&[own(kind, text)]).unwrap_err().to_string()
    }

    #[test]
    fn bad_files_name_the_place_and_the_fix() {
        assert_eq!(
            error(OwnKind::Protocols, "[[concern]]\nkey = \"scars\"\nsessions = [3, 3\n"),
            error(OwnKind::Protocols, "[[concern]]\nkey = \"scars\"\nsessions = [3, 3\n")
        );
        let syntax = error(OwnKind::Protocols, "[[concern]]\nkey = \"scars\"\nsessions = [3, 3\n");
        assert!(syntax.starts_with("/cfg/protocols.toml:3:"), "{syntax}");
        let unknown = error(OwnKind::Protocols, "[[concern]]\nkey = \"scars\"\nsesions = [3, 3]\n");
        assert!(unknown.starts_with("/cfg/protocols.toml:3:1: unknown field `sesions`"), "{unknown}");
        let typo = error(OwnKind::Checklists, "\n[[item]]\nid = \"pre-retinoid\"\ntext = \"x\"\n");
        assert!(typo.starts_with("/cfg/checklists.toml:2:1: item \"pre-retinoid\" is not a built-in one"), "{typo}");
        assert!(
            typo.contains("needs phase, from_hours, to_hours; did you mean the built-in \"pre-retinoids\"?"),
            "{typo}"
        );
        let backwards = error(OwnKind::Depths, "[[area]]\nkey = \"knees\"\nusual_mm = [1.5, 0.5]\n");
        assert!(backwards.starts_with("/cfg/depths.toml:1:1: knees: minimum 1.5 is above maximum 0.5"), "{backwards}");
        let window = error(OwnKind::Checklists, "# mine\n[[item]]\nid = \"post-no-makeup\"\nto_hours = -3\n");
        assert!(
            window.starts_with("/cfg/checklists.toml:2:1: post-no-makeup: window must end after it starts"),
            "{window}"
        );
        let off = error(OwnKind::Depths, "[[area]]\nkey = \"elbow\"\nenabled = false\n");
        assert!(off.contains("enabled = false on area \"elbow\", which is not a built-in one"), "{off}");
        let wrong_type = error(OwnKind::Protocols, "[course]\nsensitive_hours = \"three days\"\n");
        assert!(wrong_type.starts_with("/cfg/protocols.toml:2:"), "{wrong_type}");
    }

    #[test]
    fn a_limit_that_cuts_a_built_in_area_points_at_the_limit() {
        let narrow = error(OwnKind::Depths, "\n\n[limits]\nmax_mm = 2.0\n");
        assert!(narrow.starts_with("/cfg/depths.toml:3:1: "), "{narrow}");
    }

    #[test]
    fn every_concern_switched_off_is_refused() {
        let text: String = Rules::embedded()
            .concerns
            .iter()
            .map(|p| format!("[[concern]]\nkey = \"{}\"\nenabled = false\n", p.key))
            .collect();
        assert!(error(OwnKind::Protocols, &text).contains("at least one concern"));
    }

    #[test]
    fn lines_and_columns_count_characters() {
        assert_eq!(line_column("ab\ncdé\nf", 0), (1, 1));
        assert_eq!(line_column("ab\ncdé\nf", 4), (2, 2));
        assert_eq!(line_column("ab\ncdé\nf", 8), (3, 1));
        assert!(typo_of("pre-retinoid", "pre-retinoids"));
        assert!(!typo_of("face", "nose"));
    }
}
