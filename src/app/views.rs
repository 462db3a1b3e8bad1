//! The Sessions and People screens' own state: their rows and selections, kept on
//! the same records across reloads. (The Timeline's is in `timeline`.)

use std::collections::HashMap;

use crate::domain::Person;
use crate::summary::CourseSummary;

/// The Due list looks this many days ahead.
pub const DUE_WITHIN_DAYS: i64 = 13;

/// `selected` moved by `delta` rows within `len` rows.
pub fn moved(selected: usize, delta: i64, len: usize) -> usize {
    let last = i64::try_from(len.saturating_sub(1)).unwrap_or(i64::MAX);
    let moved = i64::try_from(selected).unwrap_or(0).saturating_add(delta).clamp(0, last);
    usize::try_from(moved).unwrap_or(0)
}

/// The Sessions screen: the current course's sessions, newest first (or those
/// matching `filter`, best first).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SessionsView {
    pub selected: usize,
    /// What `/` typed; empty when not finding.
    pub filter: String,
}

/// Which list of the People screen has the keys.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Pane {
    #[default]
    People,
    Due,
}

/// A row of the People screen's left list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeopleRow {
    Person(i64),
    Course(i64),
}

/// A person's courses among `pairs` (sorted by person).
fn courses_of(pairs: &[(i64, i64)], person: i64) -> impl Iterator<Item = i64> + '_ {
    let from = pairs.partition_point(|&(p, _)| p < person);
    let to = pairs.partition_point(|&(p, _)| p <= person);
    pairs[from..to].iter().map(|&(_, course)| course)
}

/// A finished course the Due list recalls (its maintenance open, or lately
/// lapsed), as the lists show it. A practice has thousands: each is worked out
/// when the lists are read, and read whole only when it is opened.
#[derive(Debug, Clone, PartialEq)]
pub struct Recalled {
    pub recall: crate::summary::Recall,
    pub person: std::sync::Arc<Person>,
    /// Shared by every line of the same concern, and of the same areas: thousands
    /// of lines name a dozen concerns.
    pub concern: std::sync::Arc<str>,
    pub areas: std::sync::Arc<[String]>,
    pub phase: crate::domain::windows::Phase,
    /// Main sessions done, of the target.
    pub done: (u32, u32),
}

/// What a course's line in the People lists shows, from a course loaded with
/// where it stands or from a [`Recalled`] one.
#[derive(Debug, Clone, Copy)]
pub struct CourseLine<'a> {
    pub person: &'a Person,
    pub concern: &'a str,
    pub areas: &'a [String],
    pub status: crate::domain::CourseStatus,
    /// Where it stands, when loaded (a recalled one is complete).
    pub state: Option<&'a crate::domain::windows::CourseState>,
    pub phase: &'a crate::domain::windows::Phase,
    /// Main sessions done, of the target.
    pub done: (u32, u32),
}

impl CourseLine<'_> {
    /// `Ana Ruiz ▸ Acne scars (cheeks)`.
    pub fn title(&self, rules: &crate::domain::rules::Rules) -> String {
        crate::summary::course_title(&self.person.name, self.concern, self.areas, rules)
    }
}

/// The People screen: people with their loaded courses, and the Due list.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PeopleView {
    pub rows: Vec<PeopleRow>,
    pub selected: usize,
    /// The Due list's entries (lapsed ones aside), grouped, most urgent first.
    pub due: Vec<crate::summary::Recall>,
    /// How many courses have lapsed (shown as one line, not listed).
    pub lapsed: usize,
    pub due_selected: usize,
    pub pane: Pane,
    /// What `/` typed: only people (with their courses) matching it are listed,
    /// best first. Empty when not finding.
    pub filter: String,
    /// Courses whose recall was ended or put off: not in the Due list.
    pub quiet: std::collections::HashSet<i64>,
    /// How long a missed maintenance stays recalled (the rules' `recall_months`).
    pub recall_months: u32,
    /// Of the people the filter found, how many by who they are (name, date of
    /// birth, contact) rather than by their notes or courses.
    pub found_by_name: usize,
    /// What `/` searches, made once per reload rather than once per key: each
    /// person's who they are, then that with what else is said of them (notes,
    /// their courses' concerns and areas).
    /// Held once: who they are is how the whole begins, up to the length kept.
    searched: Vec<(i64, String, usize)>,
    /// The letters each `searched` entry holds ([`crate::find::letters`]): who
    /// lacks a letter of the query is passed over before the finder runs.
    letters: Vec<u32>,
    /// What each query typed since the last reload found (indexes into
    /// `searched`, best first, and how many by who they are): a backspace finds
    /// its answer here, and a letter more searches only what the query before it
    /// found.
    found: Vec<(String, Vec<usize>, usize)>,
    /// Each person's courses, sorted by person: (person, course).
    pairs: Vec<(i64, i64)>,
}

impl PeopleView {
    /// Rebuilds the rows and the Due list, keeping each selection on its record:
    /// from the courses loaded and the finished ones recalled (those loaded too,
    /// opened, count as loaded).
    pub fn rebuild(&mut self, people: &[std::sync::Arc<Person>], courses: &[CourseSummary], recalled: &[Recalled]) {
        let loaded: std::collections::HashSet<i64> = courses.iter().map(|c| c.course.id).collect();
        let recalled: Vec<&Recalled> = recalled.iter().filter(|r| !loaded.contains(&r.recall.course_id)).collect();
        // Each person's courses, in the order given: (person, course) pairs sorted
        // by person, not a list for each of thousands of people.
        let lines = courses
            .iter()
            .map(|c| (c.person.id, c.course.id, c.course.concern.as_str(), c.course.areas.as_slice()))
            .chain(recalled.iter().map(|r| (r.person.id, r.recall.course_id, &*r.concern, &*r.areas)));
        self.pairs = lines.clone().map(|(person, course, ..)| (person, course)).collect();
        self.pairs.sort_by_key(|&(person, _)| person);
        let concerns: HashMap<i64, (&str, &[String])> =
            lines.map(|(_, course, concern, areas)| (course, (concern, areas))).collect();
        let pairs = &self.pairs;
        self.searched = people
            .iter()
            .map(|p| {
                let who = crate::find::who(p);
                let mut whole = format!("{who} {}", p.notes);
                for (concern, areas) in courses_of(pairs, p.id).filter_map(|id| concerns.get(&id)) {
                    whole.push(' ');
                    whole.push_str(&concern.replace('-', " "));
                    whole.push(' ');
                    whole.push_str(&areas.join(" "));
                }
                whole.shrink_to_fit();
                (p.id, whole, who.len())
            })
            .collect();
        self.letters = self.searched.iter().map(|(_, whole, _)| crate::find::letters(whole)).collect();
        self.found.clear();
        self.rebuild_rows();
        self.rebuild_due(courses, &recalled);
    }

    /// The people rows for the filter as it is (what a key typed in `/` redoes),
    /// keeping the selection on its record.
    pub fn rebuild_rows(&mut self) {
        let row = self.rows.get(self.selected).copied();
        self.rows.clear();
        let listed: Vec<i64> = if self.filter.trim().is_empty() {
            self.searched.iter().map(|(id, ..)| *id).collect()
        } else {
            let (found, by_name) = self.find(&self.filter.clone());
            self.found_by_name = by_name;
            found.iter().filter_map(|i| self.searched.get(*i).map(|(id, ..)| *id)).collect()
        };
        for id in listed {
            self.rows.push(PeopleRow::Person(id));
            self.rows.extend(courses_of(&self.pairs, id).map(PeopleRow::Course));
        }
        self.rows.shrink_to_fit();
        if let Some(i) = row.and_then(|r| self.rows.iter().position(|x| *x == r)) {
            self.selected = i;
        }
        self.selected = moved(self.selected, 0, self.rows.len());
    }

    /// What `query` finds among `searched` (indexes, best first) and how many by
    /// who they are, from what an earlier query found where it can be.
    fn find(&mut self, query: &str) -> (Vec<usize>, usize) {
        if let Some((_, found, by_name)) = self.found.iter().find(|(q, ..)| q == query) {
            return (found.clone(), *by_name);
        }
        // A query with letters added finds among what it found before (not so
        // for negation or an end anchor, which widen or move the match).
        let narrows = !query.contains(['!', '$', '\\']);
        let before = self
            .found
            .iter()
            .filter(|(q, ..)| narrows && !q.trim().is_empty() && query.starts_with(q.as_str()))
            .max_by_key(|(q, ..)| q.len())
            .map(|(_, found, _)| found.clone());
        let mut candidates: Vec<usize> = before.unwrap_or_else(|| (0..self.searched.len()).collect());
        let needed = crate::find::needed_letters(query);
        candidates.retain(|i| self.letters.get(*i).is_some_and(|l| crate::find::could_match(needed, *l)));
        // In the people's own order, so ties rank as a search of everyone ranks them.
        candidates.sort_unstable();
        let ranked = crate::find::rank_people(
            query,
            candidates
                .into_iter()
                .filter_map(|i| self.searched.get(i).map(|(_, whole, who)| (i, &whole[..*who], whole.as_str()))),
        );
        let by_name = ranked.iter().filter(|f| f.by_name).count();
        let found: Vec<usize> = ranked.into_iter().map(|f| f.item).collect();
        if self.found.len() >= 32 {
            self.found.remove(0);
        }
        self.found.push((query.to_string(), found.clone(), by_name));
        (found, by_name)
    }

    /// The Due list, keeping its selection on its course.
    fn rebuild_due(&mut self, courses: &[CourseSummary], recalled: &[&Recalled]) {
        let due_before = self.selected_due();
        let mut due = crate::summary::recalls(
            courses.iter().map(|c| (&c.course, c.person.as_ref(), &c.state)),
            DUE_WITHIN_DAYS,
            &self.quiet,
            self.recall_months,
        );
        due.extend(recalled.iter().map(|r| r.recall.clone()));
        crate::domain::recall::sort(&mut due);
        let listed = due.len();
        due.retain(|r| r.group != crate::summary::RecallGroup::Lapsed);
        self.lapsed = listed - due.len();
        self.due = due;
        if let Some(i) = due_before.and_then(|id| self.due.iter().position(|r| r.course_id == id)) {
            self.due_selected = i;
        }
        self.due_selected = moved(self.due_selected, 0, self.due.len());
    }

    /// Moves the focused list's selection.
    pub fn move_by(&mut self, delta: i64) {
        match self.pane {
            Pane::People => self.selected = moved(self.selected, delta, self.rows.len()),
            Pane::Due => self.due_selected = moved(self.due_selected, delta, self.due.len()),
        }
    }

    /// The row the keys act on: the focused list's selection (a Due entry is its course).
    pub fn focused_row(&self) -> Option<PeopleRow> {
        match self.pane {
            Pane::People => self.selected_row(),
            Pane::Due => self.selected_due().map(PeopleRow::Course),
        }
    }

    /// The selected row of the people list.
    pub fn selected_row(&self) -> Option<PeopleRow> {
        self.rows.get(self.selected).copied()
    }

    /// The course selected in the Due list.
    pub fn selected_due(&self) -> Option<i64> {
        self.due.get(self.due_selected).map(|r| r.course_id)
    }

    /// Selects a person's row and gives the people list the keys.
    pub fn select_person(&mut self, id: i64) {
        if let Some(i) = self.rows.iter().position(|r| *r == PeopleRow::Person(id)) {
            self.selected = i;
            self.pane = Pane::People;
        }
    }
}

/// A client's card: who they are and every course they had, with its sessions.
#[derive(Debug, Clone)]
pub struct Card {
    pub person: Person,
    /// Every course of theirs, newest first, sessions with their depths.
    pub courses: Vec<CourseSummary>,
    /// The course selected on the card.
    pub cursor: usize,
    /// Their adverse events, across every course.
    pub events: Vec<crate::domain::AdverseEvent>,
    /// The consents on record for their courses.
    pub consents: Vec<crate::domain::Consent>,
}

impl PartialEq for Card {
    fn eq(&self, other: &Self) -> bool {
        let ids = |c: &Card| c.courses.iter().map(|s| (s.course.id, s.course.revision)).collect::<Vec<_>>();
        self.person == other.person && self.cursor == other.cursor && ids(self) == ids(other)
    }
}

impl Card {
    /// Their sessions done, across every course, oldest first.
    pub fn done_sessions(&self) -> Vec<&crate::domain::Session> {
        let mut done: Vec<_> = self.courses.iter().flat_map(|c| c.sessions.iter()).filter(|s| s.is_done()).collect();
        done.sort_by_key(|s| (s.at, s.id));
        done
    }

    /// The course selected on the card.
    pub fn selected(&self) -> Option<&CourseSummary> {
        self.courses.get(self.cursor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(id: i64, name: &str, notes: &str) -> std::sync::Arc<Person> {
        std::sync::Arc::new(Person {
            id,
            name: name.into(),
            skin_type: None,
            notes: notes.into(),
            archived: false,
            born_on: None,
            contact: String::new(),
            revision: 0,
        })
    }

    /// Typing letter by letter (and back) finds what a fresh search of the whole
    /// query finds, in the same order.
    #[test]
    fn a_query_typed_a_letter_at_a_time_finds_what_it_finds_at_once() {
        let names = ["Zoë Khan", "Kofi Khan", "Ana Ruiz", "Hana Kahn", "Khalid Noor", "Ken Ha", "Nkhan Ola"];
        let people: Vec<_> = names
            .iter()
            .enumerate()
            .map(|(i, n)| person(i64::try_from(i).unwrap() + 1, n, if i == 2 { "khan's sister" } else { "" }))
            .collect();
        let mut typed = PeopleView::default();
        typed.rebuild(&people, &[], &[]);
        let steps = ["k", "kh", "kha", "khan", "kha", "kh", "k h", "k ha", "!k", "k", "kh$", "khan"];
        for query in steps {
            typed.filter = query.into();
            typed.rebuild_rows();
            let mut fresh = PeopleView { filter: query.into(), ..Default::default() };
            fresh.rebuild(&people, &[], &[]);
            assert_eq!(typed.rows, fresh.rows, "after {query:?}");
            assert_eq!(typed.found_by_name, fresh.found_by_name, "after {query:?}");
        }
    }

    #[test]
    fn moving_stays_within_the_list() {
        assert_eq!(moved(0, -1, 5), 0);
        assert_eq!(moved(3, 10, 5), 4);
        assert_eq!(moved(3, i64::MIN / 2, 5), 0);
        assert_eq!(moved(2, 0, 0), 0);
    }
}
