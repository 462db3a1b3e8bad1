//! How dates, times and amounts are written for people, in their local time.

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
    fn formats_days_and_times() {
        let at = Utc.with_ymd_and_hms(2026, 11, 24, 10, 0, 0).unwrap();
        assert_eq!(when(at, &Utc), "Tue 24 Nov 2026 10:00");
        assert_eq!(when_short(at, &Utc), "Tue 24 Nov 10:00");
        assert_eq!(day_short(at.date_naive()), "24 Nov");
    }
}
