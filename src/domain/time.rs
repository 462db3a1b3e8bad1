//! Reading the dates, times and intervals people type, and calendar arithmetic in
//! the user's own time zone.
//!
//! Everything takes `now` and the zone as parameters: nothing here reads the clock.

use chrono::{
    DateTime, Days, Duration, FixedOffset, Local, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, Offset, TimeZone,
    Utc,
};

use super::model::{DayRange, MonthRange};

/// The one-line hint shown whenever a date cannot be read.
pub const DATE_HINT: &str = "use YYYY-MM-DD [HH:MM], today, yesterday, +4w ...";

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TimeError {
    #[error("cannot read date \"{0}\": {DATE_HINT}")]
    Unreadable(String),
    #[error("{0} does not exist in your time zone (the clocks change then): pick another time")]
    Skipped(NaiveDateTime),
    #[error("cannot read interval \"{0}\": use a range such as 4-6w, 21-28d or 30d")]
    Interval(String),
    #[error("\"{0}\" is not a date needlelog keeps: use a year from 1900 to 2200")]
    OutOfRange(String),
    #[error("cannot read duration \"{0}\": use a number and a unit, such as 90m, 24h, 3d or 2w (up to a year)")]
    Duration(String),
}

/// The time zone the user lives in: the system's, or a fixed offset (for tests and
/// reproducible runs). Implements chrono's `TimeZone`, so every function here takes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Zone {
    Local,
    Fixed(FixedOffset),
}

impl Zone {
    /// UTC, the zone of the tests.
    pub fn utc() -> Zone {
        Zone::Fixed(Utc.fix())
    }
}

impl TimeZone for Zone {
    type Offset = FixedOffset;

    fn from_offset(offset: &FixedOffset) -> Self {
        Zone::Fixed(*offset)
    }

    #[allow(deprecated)]
    fn offset_from_local_date(&self, local: &NaiveDate) -> LocalResult<FixedOffset> {
        match self {
            Zone::Local => Local.offset_from_local_date(local),
            Zone::Fixed(f) => LocalResult::Single(*f),
        }
    }

    fn offset_from_local_datetime(&self, local: &NaiveDateTime) -> LocalResult<FixedOffset> {
        match self {
            Zone::Local => local_offsets(local),
            Zone::Fixed(f) => LocalResult::Single(*f),
        }
    }

    #[allow(deprecated)]
    fn offset_from_utc_date(&self, utc: &NaiveDate) -> FixedOffset {
        match self {
            Zone::Local => Local.offset_from_utc_date(utc),
            Zone::Fixed(f) => *f,
        }
    }

    fn offset_from_utc_datetime(&self, utc: &NaiveDateTime) -> FixedOffset {
        match self {
            Zone::Local => Local.offset_from_utc_datetime(utc),
            Zone::Fixed(f) => *f,
        }
    }
}

/// The offsets a wall-clock time can have in the system zone, worked out from the
/// zone's offsets a day either side: one, two when the clocks go back (the
/// earlier instant first), none when they skip it. The system library's own
/// answer gives only one of the two.
fn local_offsets(local: &NaiveDateTime) -> LocalResult<FixedOffset> {
    let offset_at = |utc: &NaiveDateTime| Local.offset_from_utc_datetime(utc).fix();
    let day = chrono::TimeDelta::days(1);
    let (Some(before), Some(after)) = (local.checked_sub_signed(day), local.checked_add_signed(day)) else {
        return Local.offset_from_local_datetime(local);
    };
    // The instant `local` names with `offset`, if the zone has that offset then.
    let fits = |offset: FixedOffset| {
        let utc = local.checked_sub_signed(chrono::TimeDelta::seconds(i64::from(offset.local_minus_utc())))?;
        (offset_at(&utc) == offset).then_some((utc, offset))
    };
    // Most days the offset a day either side is the same: one look more says so.
    let (early, late) = (offset_at(&before), offset_at(&after));
    let (first, second) = match early == late {
        true => (fits(early), None),
        false => (fits(early), fits(late)),
    };
    match (first, second) {
        (Some((a, one)), Some((b, other))) if a <= b => LocalResult::Ambiguous(one, other),
        (Some((_, one)), Some((_, other))) => LocalResult::Ambiguous(other, one),
        (Some((_, one)), None) | (None, Some((_, one))) => LocalResult::Single(one),
        (None, None) => Local.offset_from_local_datetime(local),
    }
}

/// The local calendar day of an instant.
pub fn local_date<Tz: TimeZone>(at: DateTime<Utc>, tz: &Tz) -> NaiveDate {
    at.with_timezone(tz).date_naive()
}

/// The wall-clock time of an instant in `tz`.
pub fn local_naive<Tz: TimeZone>(at: DateTime<Utc>, tz: &Tz) -> NaiveDateTime {
    at.with_timezone(tz).naive_local()
}

/// Seconds east of UTC in `tz` at `at`.
pub fn offset_seconds<Tz: TimeZone>(at: DateTime<Utc>, tz: &Tz) -> i32 {
    tz.offset_from_utc_datetime(&at.naive_utc()).fix().local_minus_utc()
}

/// The instant a wall-clock time names. A time that happens twice (clocks going
/// back) is the first one; a time the clocks skip is an error.
pub fn resolve_local<Tz: TimeZone>(local: NaiveDateTime, tz: &Tz) -> Result<DateTime<Utc>, TimeError> {
    match tz.from_local_datetime(&local) {
        LocalResult::Single(t) => Ok(t.with_timezone(&Utc)),
        LocalResult::Ambiguous(first, _) => Ok(first.with_timezone(&Utc)),
        LocalResult::None => Err(TimeError::Skipped(local)),
    }
}

/// Like [`resolve_local`] but moves a skipped wall-clock time forward to the first
/// one that exists: right for computed defaults, where there is nobody to ask.
pub fn resolve_local_lenient<Tz: TimeZone>(local: NaiveDateTime, tz: &Tz) -> DateTime<Utc> {
    let mut probe = local;
    for _ in 0..8 {
        if let Ok(t) = resolve_local(probe, tz) {
            return t;
        }
        probe += Duration::minutes(30);
    }
    // No zone skips more than a few hours; treat the wall time as UTC as a last resort.
    probe.and_utc()
}

/// `at` moved by `hours`, stopping at the ends of time instead of overflowing: a
/// value no check let through can never make a command fail on arithmetic.
pub fn after_hours(at: DateTime<Utc>, hours: i64) -> DateTime<Utc> {
    let moved = chrono::TimeDelta::try_hours(hours).and_then(|d| at.checked_add_signed(d));
    moved.unwrap_or(if hours < 0 { DateTime::<Utc>::MIN_UTC } else { DateTime::<Utc>::MAX_UTC })
}

/// `date` plus `days` calendar days.
pub fn add_days(date: NaiveDate, days: u32) -> NaiveDate {
    date.checked_add_days(Days::new(u64::from(days))).unwrap_or(NaiveDate::MAX)
}

/// `date` plus `months` calendar months (the 31st becomes the month's last day).
pub fn add_months(date: NaiveDate, months: u32) -> NaiveDate {
    date.checked_add_months(chrono::Months::new(months)).unwrap_or(NaiveDate::MAX)
}

/// Reads a date and optional time the way people type them:
/// `2026-11-23`, `2026-11-23 14:00`, `2026-11-23T14:00`, `now`, `today`,
/// `yesterday 18:30`, `tomorrow 10:00`, `+4w`, `-3d`, `+2h`, `+4w 10:00`.
///
/// Without a time, the time of day of `now` is kept.
pub fn parse_when<Tz: TimeZone>(input: &str, now: DateTime<Utc>, tz: &Tz) -> Result<DateTime<Utc>, TimeError> {
    let at = parse_any_year(input, now, tz)?;
    if super::validate::check_instant("", at).is_err() {
        return Err(TimeError::OutOfRange(input.trim().to_string()));
    }
    Ok(at)
}

fn parse_any_year<Tz: TimeZone>(input: &str, now: DateTime<Utc>, tz: &Tz) -> Result<DateTime<Utc>, TimeError> {
    let unreadable = || TimeError::Unreadable(input.to_string());
    let text = input.trim().to_ascii_lowercase();
    // An explicit offset after a time picks the instant: `2026-11-01 01:30 -05:00`, `… EST`.
    if let Some((rest, offset)) = text.rsplit_once(' ').and_then(|(rest, o)| Some((rest, explicit_offset(o)?)))
        && rest.rsplit_once([' ', 't']).is_some_and(|(_, time)| looks_like_time(time))
    {
        return parse_any_year(rest, now, &offset).map_err(|_| unreadable());
    }
    let now_local = local_naive(now, tz);
    if text == "now" {
        return Ok(now);
    }

    // Split off an optional trailing time: "2026-11-23 14:00", "tomorrow 10:00".
    let (day_part, time) = match text.rsplit_once([' ', 't']) {
        Some((day, time)) if looks_like_time(time) => (day.trim(), Some(parse_time(time).ok_or_else(unreadable)?)),
        _ => (text.as_str(), None),
    };

    // Relative offsets with an hour unit are absolute time; they take no clock time.
    if let Some((sign, n, unit)) = parse_offset(day_part) {
        if unit == 'h' {
            if time.is_some() {
                return Err(unreadable());
            }
            return now.checked_add_signed(Duration::hours(sign * n)).ok_or_else(unreadable);
        }
        let days = match unit {
            'd' => n,
            'w' => n.checked_mul(7).ok_or_else(unreadable)?,
            _ => return Err(unreadable()),
        };
        let day = shift_days(now_local.date(), sign * days).ok_or_else(unreadable)?;
        return resolve_local(day.and_time(time.unwrap_or(now_local.time())), tz);
    }

    let day = match day_part {
        "today" => now_local.date(),
        "yesterday" => shift_days(now_local.date(), -1).ok_or_else(unreadable)?,
        "tomorrow" => shift_days(now_local.date(), 1).ok_or_else(unreadable)?,
        other => NaiveDate::parse_from_str(other, "%Y-%m-%d").map_err(|_| unreadable())?,
    };
    resolve_local(day.and_time(time.unwrap_or(now_local.time())), tz)
}

/// True when a typed date ends with an explicit offset, which picks the instant.
pub fn names_offset(input: &str) -> bool {
    input.trim().to_ascii_lowercase().rsplit_once(' ').is_some_and(|(_, o)| explicit_offset(o).is_some())
}

/// `Z`, `UTC`, `+01:00`, `-0500`, `-05`, or a common abbreviation (`EST`, `CEST`…).
fn explicit_offset(token: &str) -> Option<FixedOffset> {
    let hours = |h: i32| FixedOffset::east_opt(h * 3600);
    match token {
        "z" | "utc" | "gmt" => return hours(0),
        "est" | "cdt" => return hours(-5),
        "edt" => return hours(-4),
        "cst" | "mdt" => return hours(-6),
        "mst" | "pdt" => return hours(-7),
        "pst" => return hours(-8),
        "bst" | "cet" | "ist" => return hours(1),
        "cest" | "eet" => return hours(2),
        "eest" => return hours(3),
        _ => {}
    }
    let sign = match token.chars().next()? {
        '+' => 1,
        '-' => -1,
        _ => return None,
    };
    let digits: String = token[1..].chars().filter(|c| *c != ':').collect();
    if !digits.chars().all(|c| c.is_ascii_digit()) || !matches!(digits.len(), 2 | 4) {
        return None;
    }
    let h: i32 = digits[..2].parse().ok()?;
    let m: i32 = digits.get(2..).filter(|m| !m.is_empty()).map_or(Some(0), |m| m.parse().ok())?;
    if h > 14 || m > 59 {
        return None;
    }
    FixedOffset::east_opt(sign * (h * 3600 + m * 60))
}

fn looks_like_time(s: &str) -> bool {
    s.contains(':') && s.chars().all(|c| c.is_ascii_digit() || c == ':')
}

fn parse_time(s: &str) -> Option<NaiveTime> {
    NaiveTime::parse_from_str(s, "%H:%M").or_else(|_| NaiveTime::parse_from_str(s, "%H:%M:%S")).ok()
}

/// `+4w` → (1, 4, 'w'); `-3d` → (-1, 3, 'd').
fn parse_offset(s: &str) -> Option<(i64, i64, char)> {
    let sign = match s.chars().next()? {
        '+' => 1,
        '-' => -1,
        _ => return None,
    };
    let unit = s.chars().last()?;
    let digits = s.get(1..s.len() - 1)?;
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) || digits.len() > 5 {
        return None;
    }
    Some((sign, digits.parse().ok()?, unit))
}

fn shift_days(date: NaiveDate, days: i64) -> Option<NaiveDate> {
    let magnitude = Days::new(days.unsigned_abs());
    if days >= 0 { date.checked_add_days(magnitude) } else { date.checked_sub_days(magnitude) }
}

/// Reads an interval between sessions: `4-6w`, `21-28d`, `30d`, `4w`.
pub fn parse_interval(input: &str) -> Result<DayRange, TimeError> {
    let (lo, hi) = parse_range(input, &[('d', 1), ('w', 7)]).ok_or_else(|| TimeError::Interval(input.to_string()))?;
    Ok(DayRange { min: lo, max: hi })
}

/// Reads a length of time to look ahead: `90m`, `24h`, `3d`, `2w` (`0` for none),
/// up to a year.
pub fn parse_duration(input: &str) -> Result<Duration, TimeError> {
    let bad = || TimeError::Duration(input.to_string());
    let text = input.trim().to_ascii_lowercase();
    if text == "0" {
        return Ok(Duration::zero());
    }
    let split = text.find(|c: char| !c.is_ascii_digit()).ok_or_else(bad)?;
    let (number, unit) = text.split_at(split);
    let n: i64 = number.parse().map_err(|_| bad())?;
    let minutes = match unit.trim() {
        "m" | "min" | "minutes" => n,
        "h" | "hours" => n.checked_mul(60).ok_or_else(bad)?,
        "d" | "days" => n.checked_mul(24 * 60).ok_or_else(bad)?,
        "w" | "weeks" => n.checked_mul(7 * 24 * 60).ok_or_else(bad)?,
        _ => return Err(bad()),
    };
    if minutes > 366 * 24 * 60 {
        return Err(bad());
    }
    Ok(Duration::minutes(minutes))
}

/// Reads a maintenance spacing in months: `3-6m`, `6m`, `3-6`.
pub fn parse_months(input: &str) -> Result<MonthRange, String> {
    parse_range(input, &[('m', 1)])
        .map(|(min, max)| MonthRange { min, max })
        .ok_or_else(|| format!("cannot read months \"{input}\": use a range such as 3-6m"))
}

/// `lo-hi<unit>` or `n<unit>`, scaled by the unit's factor; the unit may be left off
/// when only one is allowed. Zero-length and reversed ranges are refused.
fn parse_range(input: &str, units: &[(char, u32)]) -> Option<(u32, u32)> {
    let text = input.trim().to_ascii_lowercase();
    let (body, factor) = match text.chars().last() {
        Some(c) if c.is_ascii_alphabetic() => (&text[..text.len() - 1], units.iter().find(|(u, _)| *u == c)?.1),
        Some(_) if units.len() == 1 => (text.as_str(), units[0].1),
        _ => return None,
    };
    let (lo, hi) = match body.split_once('-') {
        Some((lo, hi)) => (lo.trim().parse::<u32>().ok()?, hi.trim().parse::<u32>().ok()?),
        None => {
            let n = body.trim().parse::<u32>().ok()?;
            (n, n)
        }
    };
    if lo == 0 || lo > hi || hi > 1000 {
        return None;
    }
    Some((lo * factor, hi * factor))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::America::New_York;

    fn ny(s: &str) -> DateTime<Utc> {
        let naive = NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap();
        resolve_local(naive, &New_York).unwrap()
    }

    fn show(t: DateTime<Utc>) -> String {
        t.with_timezone(&New_York).format("%Y-%m-%d %H:%M").to_string()
    }

    #[test]
    fn reads_every_documented_form() {
        let now = ny("2026-11-23 09:15");
        let cases = [
            ("2026-11-23", "2026-11-23 09:15"),
            ("2026-11-23 14:00", "2026-11-23 14:00"),
            ("2026-11-23T14:00", "2026-11-23 14:00"),
            ("today", "2026-11-23 09:15"),
            ("now", "2026-11-23 09:15"),
            ("yesterday 18:30", "2026-11-22 18:30"),
            ("tomorrow 10:00", "2026-11-24 10:00"),
            ("Tomorrow 10:00", "2026-11-24 10:00"),
            ("+4w", "2026-12-21 09:15"),
            ("-3d", "2026-11-20 09:15"),
            ("+1d 08:00", "2026-11-24 08:00"),
            ("+2h", "2026-11-23 11:15"),
        ];
        for (input, want) in cases {
            assert_eq!(show(parse_when(input, now, &New_York).unwrap()), want, "{input}");
        }
    }

    #[test]
    fn refuses_what_it_cannot_read() {
        let now = ny("2026-11-23 09:15");
        for bad in
            ["31/31/26", "", "2026-13-01", "2026-11-23 25:00", "+w", "+4y", "next tuesday", "+999999999w", "+2h 10:00"]
        {
            let err = parse_when(bad, now, &New_York).unwrap_err();
            assert!(matches!(err, TimeError::Unreadable(_)), "{bad}: {err}");
        }
        assert_eq!(
            parse_when("31/31/26", now, &New_York).unwrap_err().to_string(),
            "cannot read date \"31/31/26\": use YYYY-MM-DD [HH:MM], today, yesterday, +4w ..."
        );
    }

    #[test]
    fn week_offsets_are_calendar_days_across_the_clock_change() {
        // 2026-03-08 02:00 EST → 03:00 EDT. One week later is the same wall time.
        let now = ny("2026-03-05 10:00");
        assert_eq!(show(parse_when("+1w", now, &New_York).unwrap()), "2026-03-12 10:00");
        assert_eq!(
            parse_when("2026-03-08 02:30", now, &New_York),
            Err(TimeError::Skipped(NaiveDate::from_ymd_opt(2026, 3, 8).unwrap().and_hms_opt(2, 30, 0).unwrap()))
        );
        let skipped = NaiveDate::from_ymd_opt(2026, 3, 8).unwrap().and_hms_opt(2, 30, 0).unwrap();
        assert_eq!(show(resolve_local_lenient(skipped, &New_York)), "2026-03-08 03:00");
    }

    #[test]
    fn reads_intervals_and_months() {
        assert_eq!(parse_interval("4-6w"), Ok(DayRange { min: 28, max: 42 }));
        assert_eq!(parse_interval("21-28d"), Ok(DayRange { min: 21, max: 28 }));
        assert_eq!(parse_interval("30d"), Ok(DayRange { min: 30, max: 30 }));
        for bad in ["6-4w", "0-4w", "4-6", "w", "4-6y", "-4w"] {
            assert!(parse_interval(bad).is_err(), "{bad}");
        }
        assert_eq!(parse_months("3-6m"), Ok(MonthRange { min: 3, max: 6 }));
        assert_eq!(parse_months("6"), Ok(MonthRange { min: 6, max: 6 }));
    }

    #[test]
    fn reads_durations_to_look_ahead() {
        assert_eq!(parse_duration("90m"), Ok(Duration::minutes(90)));
        assert_eq!(parse_duration("24h"), Ok(Duration::hours(24)));
        assert_eq!(parse_duration("3d"), Ok(Duration::days(3)));
        assert_eq!(parse_duration("2W"), Ok(Duration::weeks(2)));
        assert_eq!(parse_duration("0"), Ok(Duration::zero()));
        for bad in ["", "h", "24", "-3d", "3y", "1.5h", "99999999999999999999d", "400d"] {
            assert!(parse_duration(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn month_arithmetic_clamps_to_month_end() {
        let d = NaiveDate::from_ymd_opt(2026, 8, 31).unwrap();
        assert_eq!(add_months(d, 3), NaiveDate::from_ymd_opt(2026, 11, 30).unwrap());
        assert_eq!(add_days(d, 42), NaiveDate::from_ymd_opt(2026, 10, 12).unwrap());
    }
}
