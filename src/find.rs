//! Finding a record by a few typed letters: fuzzy, case- and accent-insensitive
//! ("zoe kh" finds "Zoë Khan"), through nucleo's matcher (helix's and
//! television's). Used by `/` in the app, `person list --search`, and the
//! "did you mean" of a name or lot that is not there. People found by their
//! name come before those found by their notes (see [`rank_people`]).

use nucleo_matcher::pattern::{CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher, Utf32Str};

/// A query, ready to score many texts.
pub struct Finder {
    pattern: Pattern,
    matcher: Matcher,
    buf: Vec<char>,
}

impl Finder {
    /// `None` for a query of only spaces: everything matches it.
    pub fn new(query: &str) -> Option<Finder> {
        if query.trim().is_empty() {
            return None;
        }
        Some(Finder {
            pattern: Pattern::parse(query, CaseMatching::Ignore, Normalization::Smart),
            matcher: Matcher::new(Config::DEFAULT),
            buf: Vec::new(),
        })
    }

    /// How well `text` matches (higher is better), `None` when it does not.
    pub fn score(&mut self, text: &str) -> Option<u32> {
        self.pattern.score(Utf32Str::new(text, &mut self.buf), &mut self.matcher)
    }
}

/// A name as namesakes share it: letters without their accents, in lower case,
/// words single-spaced ("Zoë  KHAN" and "zoe khan" are one name).
pub fn folded(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    fold_into(text, &mut out);
    out
}

/// The letters a to z that `text` holds, accents and case aside, as bits: a text
/// lacking a letter of a query cannot match it ([`could_match`]).
pub fn letters(text: &str) -> u32 {
    folded(text).bytes().filter(u8::is_ascii_lowercase).fold(0, |bits, b| bits | 1 << (b - b'a'))
}

/// The letters every text `query` matches holds (none for a negated part, `!`).
pub fn needed_letters(query: &str) -> u32 {
    if query.contains('!') { 0 } else { letters(query) }
}

/// Whether a text holding `letters` may match a query needing `needed`: false only
/// when it lacks one of them.
pub fn could_match(needed: u32, letters: u32) -> bool {
    needed & !letters == 0
}

/// [`folded`] into `out` (cleared first): one buffer for a pass over many names.
pub fn fold_into(text: &str, out: &mut String) {
    use nucleo_matcher::chars::{normalize, to_lower_case};
    out.clear();
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        match word.is_ascii() {
            true => out.extend(word.chars().map(|c| c.to_ascii_lowercase())),
            false => out.extend(word.chars().map(|c| to_lower_case(normalize(c))).filter(|c| !c.is_whitespace())),
        }
    }
}

/// The items whose text matches `query`, best first (ties keep their order).
pub fn rank<T>(query: &str, items: impl IntoIterator<Item = (T, String)>) -> Vec<T> {
    let Some(mut finder) = Finder::new(query) else { return items.into_iter().map(|(t, _)| t).collect() };
    let mut scored: Vec<(u32, usize, T)> = items
        .into_iter()
        .enumerate()
        .filter_map(|(i, (item, text))| finder.score(&text).map(|s| (s, i, item)))
        .collect();
    scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    scored.into_iter().map(|(_, _, item)| item).collect()
}

/// A person found by a query, and whether it was by who they are.
pub struct Found<T> {
    pub item: T,
    /// Matched in the name, date of birth or contact (else only in notes,
    /// concerns or areas).
    pub by_name: bool,
}

/// The items `query` finds, those found by who they are (`who`: name, date of
/// birth, contact) first, then those found only by what else is said of them
/// (`whole`: who followed by notes, concerns, areas, so a query may span both) —
/// each tier best first. A surname alone lists the people so called before anyone
/// whose notes or areas hold it.
pub fn rank_people<T, S: AsRef<str>>(query: &str, items: impl IntoIterator<Item = (T, S, S)>) -> Vec<Found<T>> {
    let Some(mut finder) = Finder::new(query) else {
        return items.into_iter().map(|(item, _, _)| Found { item, by_name: true }).collect();
    };
    let mut scored: Vec<(bool, u32, usize, T)> = items
        .into_iter()
        .enumerate()
        .filter_map(|(i, (item, who, whole))| match finder.score(who.as_ref()) {
            Some(s) => Some((true, s, i, item)),
            None => finder.score(whole.as_ref()).map(|s| (false, s, i, item)),
        })
        .collect();
    scored.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.cmp(&a.1)).then(a.2.cmp(&b.2)));
    scored.into_iter().map(|(by_name, _, _, item)| Found { item, by_name }).collect()
}

/// Up to `max` of `names` closest to `typed`, for "did you mean": fuzzy matches
/// first, then names sharing its first letters.
pub fn closest<'a>(typed: &str, names: impl IntoIterator<Item = &'a str> + Clone, max: usize) -> Vec<&'a str> {
    let mut found: Vec<&str> = rank(typed, names.clone().into_iter().map(|n| (n, n.to_string())));
    if found.is_empty() {
        let start: String = typed.trim().chars().take(2).collect::<String>().to_lowercase();
        if !start.is_empty() {
            found = names.into_iter().filter(|n| n.to_lowercase().starts_with(&start)).collect();
        }
    }
    found.truncate(max);
    found
}

/// Who a person is, as searched first: their name, date of birth and contact.
pub fn who(p: &crate::domain::Person) -> String {
    let born = p.born_on.map(|d| d.to_string()).unwrap_or_default();
    format!("{} {born} {}", p.name, p.contact)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_few_letters_find_a_name_whatever_the_case_and_accents() {
        let names = ["Ana Ruiz", "Zoë Khan", "Zoe Park", "Kha Zo"].map(String::from);
        let found = rank("zoe kh", names.iter().map(|n| (n.as_str(), n.clone())));
        assert_eq!(found.first(), Some(&"Zoë Khan"));
        assert!(!found.contains(&"Ana Ruiz"));
        assert_eq!(rank("ZOE", names.iter().map(|n| (n.as_str(), n.clone()))).len(), 2, "Zoë and Zoe");
    }

    #[test]
    fn names_fold_to_their_letters_without_case_accents_or_extra_spaces() {
        assert_eq!(folded("  Ana   RUIZ "), "ana ruiz");
        assert_eq!(folded("Zoë  Khan"), "zoe khan");
        assert_eq!(folded("ZOË\tkhan"), folded("zoe khan"));
        assert_eq!(folded("Zoë Khan"), folded("Zoe KHAN"), "mixed words: the plain one and the accented one");
        let mut buffer = String::from("left over");
        fold_into("Émile Dubois", &mut buffer);
        assert_eq!(buffer, "emile dubois");
        assert_eq!(folded(""), "");
    }

    #[test]
    fn a_text_without_a_letter_of_the_query_is_passed_over() {
        let zoe = letters("Zoë Khan · cheeks");
        assert!(could_match(needed_letters("zoe kh"), zoe));
        assert!(could_match(needed_letters("ZOË"), zoe), "case and accents aside");
        assert!(!could_match(needed_letters("zoe q"), zoe), "no q");
        assert!(could_match(needed_letters("!q"), zoe), "a negated letter needs none");
        assert!(could_match(needed_letters("12 -"), zoe), "only letters count");
        // Never passed over where the finder would find it.
        for (query, text) in [("kh", "Zoë Khan"), ("zo", "ZOË"), ("chk", "cheeks khan"), ("^an", "Ana")] {
            assert_eq!(rank(query, [(1, text.to_string())]).len(), 1, "{query} finds {text}");
            assert!(could_match(needed_letters(query), letters(text)), "{query} in {text}");
        }
    }

    /// Thousands of people rank by who they are first, then best first, then in order.
    #[test]
    fn many_people_rank_as_one_pass_would() {
        let people: Vec<(usize, String, String)> = (0..10_000)
            .map(|i| (i, format!("Person {i} {}", ["Khan", "Kahn", "Chen", "Ruiz"][i % 4]), format!("notes {}", i % 7)))
            .collect();
        for query in ["khan", "kh 12", "notes 3", "zzz"] {
            let mut finder = Finder::new(query).unwrap();
            let mut expected: Vec<(bool, u32, usize)> = people
                .iter()
                .filter_map(|(i, who, rest)| match finder.score(who) {
                    Some(s) => Some((true, s, *i)),
                    None => finder.score(&format!("{who} {rest}")).map(|s| (false, s, *i)),
                })
                .collect();
            expected.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.cmp(&a.1)).then(a.2.cmp(&b.2)));
            let found =
                rank_people(query, people.iter().map(|(i, who, rest)| (*i, who.clone(), format!("{who} {rest}"))));
            let found: Vec<(bool, usize)> = found.into_iter().map(|f| (f.by_name, f.item)).collect();
            let expected: Vec<(bool, usize)> = expected.into_iter().map(|(b, _, i)| (b, i)).collect();
            assert_eq!(found, expected, "{query}");
        }
    }

    #[test]
    fn an_empty_query_keeps_everything_in_order() {
        assert_eq!(rank("  ", [(1, "b".to_string()), (2, "a".to_string())]), [1, 2]);
    }

    #[test]
    fn did_you_mean() {
        let names = ["Ana Ruiz", "Anna Roe", "Bea Lind"];
        assert_eq!(closest("ana ruis", names, 3).first(), Some(&"Ana Ruiz"));
        assert_eq!(closest("Bee", names, 3), ["Bea Lind"]);
        assert!(closest("xyz", names, 3).is_empty());
    }

    /// (name, notes and areas) of a practice.
    const PEOPLE: [(&str, &str); 5] = [
        ("Quinn Abbott", "cheeks chin"),
        ("Liam Chen", "Prefers afternoons"),
        ("Quinn Chen", "forehead"),
        ("Liam Price", ""),
        ("Ana Cheever", "cheeks"),
    ];

    fn found(query: &str) -> Vec<(&'static str, bool)> {
        rank_people(query, PEOPLE.iter().map(|(name, rest)| (*name, name.to_string(), format!("{name} {rest}"))))
            .into_iter()
            .map(|f| (f.item, f.by_name))
            .collect()
    }

    #[test]
    fn names_come_before_notes_and_areas() {
        // A surname alone: the Chens first, then who has "che…" only in notes or areas.
        let chen = found("chen");
        assert_eq!(&chen[..2], [("Liam Chen", true), ("Quinn Chen", true)]);
        assert!(chen[2..].iter().all(|(_, by_name)| !by_name), "{chen:?}");
        // A first name and two letters of the surname.
        assert_eq!(found("liam pr")[0], ("Liam Price", true));
        assert_eq!(found("quinn ch")[0], ("Quinn Chen", true));
        // Only in the notes: found, below.
        assert_eq!(found("afternoons"), [("Liam Chen", false)]);
    }
}
