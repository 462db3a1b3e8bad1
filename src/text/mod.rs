//! How dates, times and amounts are written for people, in their local time.
//! `phase` words where a course stands.

mod phase;

pub use phase::badge;

use chrono::{DateTime, NaiveDate, TimeZone, Utc};

/// `Tue 24 Nov 2026 10:00` in `tz`.
pub fn when<Tz: TimeZone>(at: DateTime<Utc>, tz: &Tz) -> String
where
    Tz::Offset: std::fmt::Display,
{
    at.with_timezone(tz).format("%a %-d %b %Y %H:%M").to_string()
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

/// The first `max` characters of `s` on one line, with `…` when cut.
pub fn abbreviate(s: &str, max: usize) -> String {
    let flat: String = s.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    if flat.chars().count() <= max {
        return flat;
    }
    let mut cut: String = flat.chars().take(max.saturating_sub(1)).collect();
    cut.push('…');
    cut
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
            '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => '�',
            c => c,
        })
        .collect()
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

#[cfg(test)]
mod tests {
    use super::*;

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
    fn formats_days_and_times() {
        let at = Utc.with_ymd_and_hms(2026, 11, 24, 10, 0, 0).unwrap();
        assert_eq!(when(at, &Utc), "Tue 24 Nov 2026 10:00");
        assert_eq!(when_short(at, &Utc), "Tue 24 Nov 10:00");
        assert_eq!(day_short(at.date_naive()), "24 Nov");
    }
}
