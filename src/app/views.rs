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
}

impl PeopleView {
    /// Rebuilds the rows and the Due list, keeping each selection on its record.
    pub fn rebuild(&mut self, people: &[std::sync::Arc<Person>], courses: &[CourseSummary]) {
        let row = self.rows.get(self.selected).copied();
        let due_before = self.selected_due();
        // Each person's courses, in the order given: (person, course) pairs sorted
        // by person, not a list for each of thousands of people.
        let mut pairs: Vec<(i64, i64)> = courses.iter().map(|c| (c.person.id, c.course.id)).collect();
        pairs.sort_by_key(|&(person, _)| person);
        let courses_of = |person: i64| {
            let from = pairs.partition_point(|&(p, _)| p < person);
            let to = pairs.partition_point(|&(p, _)| p <= person);
            pairs[from..to].iter().map(|&(_, course)| course)
        };
        self.rows.clear();
        let listed: Vec<&Person> = if self.filter.trim().is_empty() {
            people.iter().map(|p| p.as_ref()).collect()
        } else {
            let concerns: HashMap<i64, &CourseSummary> = courses.iter().map(|c| (c.course.id, c)).collect();
            let rest = |p: &Person| {
                let mut text = p.notes.clone();
                for c in courses_of(p.id).filter_map(|id| concerns.get(&id)) {
                    text.push(' ');
                    text.push_str(&c.course.concern.replace('-', " "));
                    text.push(' ');
                    text.push_str(&c.course.areas.join(" "));
                }
                text
            };
            let found = crate::find::rank_people(
                &self.filter,
                people.iter().map(|p| (p.as_ref(), crate::find::who(p), rest(p))),
            );
            self.found_by_name = found.iter().filter(|f| f.by_name).count();
            found.into_iter().map(|f| f.item).collect()
        };
        for p in listed {
            self.rows.push(PeopleRow::Person(p.id));
            self.rows.extend(courses_of(p.id).map(PeopleRow::Course));
        }
        let recalls = crate::summary::recalls(
            courses.iter().map(|c| (&c.course, c.person.as_ref(), &c.state)),
            DUE_WITHIN_DAYS,
            &self.quiet,
            self.recall_months,
        );
        let mut due = recalls;
        let listed = due.len();
        due.retain(|r| r.group != crate::summary::RecallGroup::Lapsed);
        self.lapsed = listed - due.len();
        self.due = due;
        if let Some(i) = row.and_then(|r| self.rows.iter().position(|x| *x == r)) {
            self.selected = i;
        }
        if let Some(i) = due_before.and_then(|id| self.due.iter().position(|r| r.course_id == id)) {
            self.due_selected = i;
        }
        self.selected = moved(self.selected, 0, self.rows.len());
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

    #[test]
    fn moving_stays_within_the_list() {
        assert_eq!(moved(0, -1, 5), 0);
        assert_eq!(moved(3, 10, 5), 4);
        assert_eq!(moved(3, i64::MIN / 2, 5), 0);
        assert_eq!(moved(2, 0, 0), 0);
    }
}
