//! How dates, times and amounts are written for people, in their local time.
//! `phase` words where a course stands, `reminder` what `remind` tells and the
//! status line.

mod phase;
mod reminder;

pub use phase::{badge, sessions_done};
pub use reminder::{booking_note, recall, reminder, status_counts, status_line};

use chrono::{DateTime, NaiveDate, TimeZone, Utc};

/// `Tue 24 Nov 2026 10:00` in `tz`.
pub fn when<Tz: TimeZone>(at: DateTime<Utc>, tz: &Tz) -> String
where
    Tz::Offset: std::fmt::Display,
{
    at.with_timezone(tz).format("%a %-d %b %Y %H:%M").to_string()
}

/// `24 Nov 2026 10:00` in `tz`: for a table's narrow column.
pub fn when_compact<Tz: TimeZone>(at: DateTime<Utc>, tz: &Tz) -> String
where
    Tz::Offset: std::fmt::Display,
{
    at.with_timezone(tz).format("%-d %b %Y %H:%M").to_string()
}

/// `Tue 24 Nov 10:00` in `tz` (no year).
pub fn when_short<Tz: TimeZone>(at: DateTime<Utc>, tz: &Tz) -> String
where
    Tz::Offset: std::fmt::Display,
{
    at.with_timezone(tz).format("%a %-d %b %H:%M").to_string()
}

/// `yesterday 10:00`, `today 18:30`, `tomorrow 09:00`, else `Mon 21 Dec 10:00`.
pub fn relative<Tz: TimeZone>(at: DateTime<Utc>, now: DateTime<Utc>, tz: &Tz) -> String
where
    Tz::Offset: std::fmt::Display,
{
    let local = at.with_timezone(tz);
    let days = (local.date_naive() - now.with_timezone(tz).date_naive()).num_days();
    let time = local.format("%H:%M");
    match days {
        -1 => format!("yesterday {time}"),
        0 => format!("today {time}"),
        1 => format!("tomorrow {time}"),
        _ => when_short(at, tz),
    }
}

/// `Tue 24 Nov 2026`.
pub fn day(d: NaiveDate) -> String {
    d.format("%a %-d %b %Y").to_string()
}

/// `24 Nov`.
pub fn day_short(d: NaiveDate) -> String {
    d.format("%-d %b").to_string()
}

/// `2026-11-24 10:00` in `tz`, the form the date reader accepts back.
pub fn input<Tz: TimeZone>(at: DateTime<Utc>, tz: &Tz) -> String
where
    Tz::Offset: std::fmt::Display,
{
    at.with_timezone(tz).format("%Y-%m-%d %H:%M").to_string()
}

/// The first `max` characters of `s` on one line, with `…` when cut. Reads no
/// more of `s` than it shows, however long `s` is.
pub fn abbreviate(s: &str, max: usize) -> String {
    let flat = |c: char| if c.is_control() { ' ' } else { c };
    let mut head: String = s.chars().take(max + 1).map(flat).collect();
    if head.chars().count() <= max {
        return head;
    }
    head = head.chars().take(max.saturating_sub(1)).collect();
    head.push('…');
    head
}

/// The start of a long text for a details pane: at most `max` characters, line
/// breaks shown as `⏎`, and how much more there is. Cheap for megabytes of notes.
pub fn preview(s: &str, max: usize) -> String {
    let end = s.char_indices().nth(max).map_or(s.len(), |(i, _)| i);
    let shown = printable(&s[..end]);
    if end == s.len() {
        return shown;
    }
    let more = s.len() - end;
    let amount =
        if more >= 1024 { format!("{} KB", more / 1024) } else { plural(i64::try_from(more).unwrap_or(0), "byte") };
    format!("{shown} … ({amount} more: e opens the session)")
}

/// `text` safe to print to a terminal: control characters (escape sequences, bells,
/// line breaks) and bidirectional overrides are shown as visible symbols, never
/// sent raw.
pub fn printable(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\n' => '⏎',
            '\u{1b}' => '␛',
            c if c.is_control() => char::from_u32(0x2400 + u32::from(c)).filter(|_| u32::from(c) < 0x20).unwrap_or('�'),
            c if is_bidi_control(c) => '�',
            c => c,
        })
        .collect()
}

/// When `at` was typed as a wall-clock time the clocks show twice (they go back
/// then), which one it is and how to name the other.
pub fn twice_note<Tz: TimeZone>(at: DateTime<Utc>, typed: &str, tz: &Tz) -> Option<String>
where
    Tz::Offset: std::fmt::Display,
{
    if crate::domain::time::names_offset(typed) {
        return None;
    }
    let local = crate::domain::time::local_naive(at, tz);
    let chrono::LocalResult::Ambiguous(first, second) = tz.from_local_datetime(&local) else { return None };
    let (which, other) = if first.with_timezone(&Utc) == at { ("the first", second) } else { ("the second", first) };
    Some(format!(
        "{} happens twice that night (the clocks go back): this is {which}, at UTC{}; write \"{} {}\" for the other",
        local.format("%H:%M"),
        at.with_timezone(tz).format("%:z"),
        typed.trim(),
        other.format("%:z")
    ))
}

/// The columns `s` takes on a terminal (CJK and most emoji take two, combining
/// marks none).
pub fn width(s: &str) -> usize {
    unicode_width::UnicodeWidthStr::width(s)
}

/// `s` cut to at most `max` columns, with `…` when cut.
pub fn fit(s: &str, max: usize) -> String {
    if width(s) <= max {
        return s.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w + 1 > max {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    out
}

/// Text for a terminal: lines and tabs as they are, every other control character
/// and bidirectional override shown visibly. All the command line prints to a
/// terminal passes through here, so stored text can never drive the terminal.
pub fn for_terminal(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(|c| (c.is_control() && c != '\n' && c != '\t') || is_bidi_control(c)) {
        // Most output: shown as it is, not copied.
        return text.into();
    }
    text.split('\n')
        .map(|line| line.split('\t').map(printable).collect::<Vec<_>>().join("\t"))
        .collect::<Vec<_>>()
        .join("\n")
        .into()
}

fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}')
}

/// How a results date was estimated, in a few words for after the date.
pub fn results_basis(basis: crate::domain::windows::ResultsBasis) -> &'static str {
    use crate::domain::windows::ResultsBasis;
    match basis {
        ResultsBasis::Done => "",
        ResultsBasis::Planned => " (estimate from the sessions you planned)",
        ResultsBasis::EarliestDays => " (estimate: if the rest keep to the earliest days)",
        ResultsBasis::FromToday => " (estimate from today: the window has passed)",
    }
}

/// Where a default comes from, for people rather than for the code:
/// `seed: six treatments…` → `from the article the defaults draw on: six
/// treatments…`; `clinic` → `common clinic advice`.
pub fn source_words(source: &str) -> String {
    let (origin, detail) = match source.split_once(':') {
        Some((origin, detail)) => (origin.trim(), detail.trim()),
        None => (source.trim(), ""),
    };
    let said = match origin {
        "seed" => "from the article the defaults draw on",
        o if o.starts_with("clinic") => "common clinic advice",
        _ => return source.to_string(),
    };
    let extra = origin.strip_prefix("clinic").map(str::trim).filter(|e| !e.is_empty());
    match (detail.is_empty(), extra) {
        (false, _) => format!("{said}: {detail}"),
        (true, Some(extra)) => format!("{said} {extra}"),
        (true, None) => said.to_string(),
    }
}

/// An adverse event in a few words: `Bruising 1/3 · 5 Mar – open`.
pub fn adverse_event(e: &crate::domain::AdverseEvent, rules: &crate::domain::Rules) -> String {
    let until = e.resolved_on.map_or_else(|| "open".to_string(), day_short);
    format!("{} {}/3 · {} – {until}", rules.adverse_name(&e.kind), e.severity, day_short(e.noticed_on))
}

/// The open events of `events`, the most severe first: up to `shown` of them,
/// then how many more (so a severe one is never out of sight). `None` when
/// none is open.
pub fn open_events(
    events: &[crate::domain::AdverseEvent],
    rules: &crate::domain::Rules,
    shown: usize,
) -> Option<String> {
    let mut open: Vec<&crate::domain::AdverseEvent> = events.iter().filter(|e| e.is_open()).collect();
    open.sort_by_key(|e| (std::cmp::Reverse(e.severity), e.noticed_on, e.id));
    let mut said: Vec<String> = open.iter().take(shown).map(|e| adverse_event(e, rules)).collect();
    if open.len() > shown {
        said.push(format!("and {} more", open.len() - shown));
    }
    (!said.is_empty()).then(|| said.join(" · "))
}

/// A countdown in hours up to two days, in days beyond: `30 h`, `7 days`.
/// `text` broken at spaces into lines of at most `width` columns; lines after the
/// first start with `indent` spaces. A word longer than a line is cut.
pub fn wrap(text: &str, width: usize, indent: usize) -> Vec<String> {
    let mut lines = vec![String::new()];
    for word in text.split(' ') {
        let line = lines.last_mut().map_or(0, |l| self::width(l));
        let room = if lines.len() == 1 { width } else { width.saturating_sub(indent) + indent };
        if line > 0 && line + 1 + self::width(word) > room {
            lines.push(" ".repeat(indent));
        }
        let current = lines.last_mut().expect("one line at least");
        if !current.trim().is_empty() {
            current.push(' ');
        }
        current.push_str(word);
    }
    lines.into_iter().map(|l| fit(&l, width)).collect()
}

/// Whose session the app speaks of: "your" in one's own log, "the client's" in a
/// practitioner's.
pub fn whose(kind: crate::domain::FileKind) -> &'static str {
    match kind {
        crate::domain::FileKind::Patient => "your",
        crate::domain::FileKind::Practitioner => "the client's",
    }
}

/// The contraindication answers kept with a session, in words: `none applied`,
/// the ids that did, or `not recorded` when none were asked.
pub fn screening(answers: Option<&[String]>) -> String {
    match answers {
        None => "not recorded".to_string(),
        Some([]) => "none applied".to_string(),
        Some(ids) => ids.join(", "),
    }
}

/// `text` with its first letter in upper case.
pub fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// How recoveries compare, a line per sign noted: `redness gone by day 2 after
/// session 3, day 3 after session 1`. `sessions` pairs each session's place in
/// its course with its diary, latest first.
pub fn recovery_comparison(sessions: &[(u32, Vec<crate::domain::DiaryEntry>)]) -> Vec<String> {
    let gone: Vec<(u32, crate::domain::recovery::GoneBy)> = sessions
        .iter()
        .filter(|(_, d)| !d.is_empty())
        .map(|(place, d)| (*place, crate::domain::recovery::gone_by(d)))
        .collect();
    let mut lines = Vec::new();
    for sign in 0..4 {
        let parts: Vec<String> = gone
            .iter()
            .filter_map(|(place, g)| g[sign].1.map(|day| format!("day {day} after session {place}")))
            .collect();
        if let (Some(name), false) = (gone.first().map(|(_, g)| g[sign].0), parts.is_empty()) {
            lines.push(format!("{name} gone by {}", parts.join(", ")));
        }
    }
    lines
}

/// The note a course gets once, when it names areas without depth guidance.
pub fn unguided_areas(areas: &[&String], rules: &crate::domain::Rules) -> Option<String> {
    if areas.is_empty() {
        return None;
    }
    let names: Vec<String> = areas.iter().map(|a| format!("\"{a}\"")).collect();
    let l = &rules.depth_limits;
    Some(format!(
        "no depth guidance for {}: depths there are only held to {}–{} mm; \
         add an [[area]] to depths.toml in your config folder for warnings (needlelog rules init)",
        names.join(", "),
        l.min_mm,
        l.max_mm
    ))
}

/// Hours to go in words: `30 h`, or whole days past two (`7 days` for 7 days
/// and 2 hours, as the status beside it counts them).
pub fn countdown(hours: i64) -> String {
    if hours > 48 { plural(hours.div_euclid(24), "day") } else { format!("{hours} h") }
}

/// `n unit` or `n units`.
pub fn plural(n: i64, unit: &str) -> String {
    if n == 1 { format!("1 {unit}") } else { format!("{n} {unit}s") }
}

/// A short human form of a day count: `in 5 days`, `tomorrow`, `3 days ago`.
pub fn days_phrase(days: i64) -> String {
    match days {
        0 => "today".to_string(),
        1 => "tomorrow".to_string(),
        -1 => "yesterday".to_string(),
        d if d > 0 => format!("in {d} days"),
        d => format!("{} days ago", -d),
    }
}

/// A photo in a list: its area and the name it came with ("cheeks: IMG_0412.jpg").
pub fn photo_label(p: &crate::domain::Photo) -> String {
    let name = if p.original_name.is_empty() { format!("photo {}", p.id) } else { printable(&p.original_name) };
    match &p.area {
        Some(area) => format!("{}: {name}", printable(area)),
        None => name,
    }
}

/// How far apart two days are ("84 days apart", "the same day").
pub fn days_apart(a: NaiveDate, b: NaiveDate) -> String {
    match (b - a).num_days().abs() {
        0 => "the same day".into(),
        1 => "1 day apart".into(),
        n => format!("{n} days apart"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_most_severe_open_event_is_never_out_of_sight() {
        let rules = crate::domain::Rules::embedded();
        let day = |d| NaiveDate::from_ymd_opt(2026, 3, d).unwrap();
        let event = |id, kind: &str, severity| crate::domain::AdverseEvent {
            id,
            session_id: 1,
            kind: kind.into(),
            noticed_on: day(2),
            severity,
            notes: String::new(),
            resolved_on: None,
            void: None,
        };
        let events = [event(1, "bruising", 1), event(2, "swelling", 1), event(3, "infection", 3)];
        let said = open_events(&events, rules, 2).unwrap();
        assert!(said.starts_with("Signs of infection 3/3"), "{said}");
        assert!(said.ends_with("and 1 more"), "{said}");
        assert_eq!(open_events(&[], rules, 2), None);
    }

    #[test]
    fn abbreviates_on_one_line() {
        assert_eq!(abbreviate("short", 10), "short");
        assert_eq!(abbreviate("a\nb", 10), "a b");
        assert_eq!(abbreviate("a long note here", 7), "a long…");
    }

    #[test]
    fn names_nearby_days() {
        let now = Utc.with_ymd_and_hms(2026, 11, 24, 9, 0, 0).unwrap();
        let at = |d, h| Utc.with_ymd_and_hms(2026, 11, d, h, 0, 0).unwrap();
        assert_eq!(relative(at(23, 10), now, &Utc), "yesterday 10:00");
        assert_eq!(relative(at(24, 18), now, &Utc), "today 18:00");
        assert_eq!(relative(at(25, 9), now, &Utc), "tomorrow 09:00");
        assert_eq!(relative(at(21, 9), now, &Utc), "Sat 21 Nov 09:00");
    }

    #[test]
    fn sources_in_words_for_people() {
        assert_eq!(source_words("seed: six treatments"), "from the article the defaults draw on: six treatments");
        assert_eq!(source_words("seed"), "from the article the defaults draw on");
        assert_eq!(source_words("clinic"), "common clinic advice");
        assert_eq!(source_words("clinic (Chu 2021)"), "common clinic advice (Chu 2021)");
    }

    #[test]
    fn formats_days_and_times() {
        let at = Utc.with_ymd_and_hms(2026, 11, 24, 10, 0, 0).unwrap();
        assert_eq!(when(at, &Utc), "Tue 24 Nov 2026 10:00");
        assert_eq!(when_short(at, &Utc), "Tue 24 Nov 10:00");
        assert_eq!(day_short(at.date_naive()), "24 Nov");
    }

    #[test]
    fn wrapping_breaks_at_spaces_and_indents() {
        assert_eq!(
            wrap("[ ] Don't wash, scrub or pick", 14, 4),
            ["[ ] Don't", "    wash,", "    scrub or", "    pick"]
        );
        assert_eq!(wrap("short", 20, 4), ["short"]);
    }
}
