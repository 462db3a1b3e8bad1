//! The recovery diary read back: by which day after a session each sign was gone,
//! to compare one session's recovery with another's.

use super::model::DiaryEntry;

/// Each sign's name and the day it was gone by, if it was.
pub type GoneBy = [(&'static str, Option<u32>); 4];

/// For each sign, in [`DiaryEntry::signs`] order: the first day from which it
/// stayed at 0 in what was noted, or `None` when it was still there on the last
/// day noted (or never noted).
pub fn gone_by(entries: &[DiaryEntry]) -> GoneBy {
    let mut sorted: Vec<&DiaryEntry> = entries.iter().collect();
    sorted.sort_by_key(|e| e.day);
    let names = ["redness", "swelling", "flaking", "tightness"];
    names.map(|name| {
        let noted: Vec<(u32, u8)> = sorted
            .iter()
            .filter_map(|e| e.signs().into_iter().find(|(n, _)| *n == name).and_then(|(_, v)| v).map(|v| (e.day, v)))
            .collect();
        // The day after the last one it showed, if something was noted after it.
        let last_seen = noted.iter().rposition(|(_, v)| *v > 0);
        let gone = match last_seen {
            None => noted.first().map(|(day, _)| *day),
            Some(i) => noted.get(i + 1).map(|(day, _)| *day),
        };
        (name, gone)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(day: u32, redness: Option<u8>, flaking: Option<u8>) -> DiaryEntry {
        DiaryEntry { session_id: 1, day, redness, swelling: None, flaking, tightness: None, note: String::new() }
    }

    #[test]
    fn a_sign_is_gone_from_the_day_it_stays_at_zero() {
        let diary = [entry(1, Some(2), None), entry(3, Some(0), Some(1)), entry(2, Some(1), Some(2))];
        let gone = gone_by(&diary);
        assert_eq!(gone[0], ("redness", Some(3)));
        assert_eq!(gone[2], ("flaking", None), "still flaking on the last day noted");
        assert_eq!(gone[1], ("swelling", None), "never noted");
        // Back after a day without it: gone only from the day after it last showed.
        let relapse =
            [entry(1, Some(1), None), entry(2, Some(0), None), entry(3, Some(1), None), entry(4, Some(0), None)];
        assert_eq!(gone_by(&relapse)[0], ("redness", Some(4)));
        assert_eq!(gone_by(&[entry(1, Some(0), None)])[0], ("redness", Some(1)));
    }
}
