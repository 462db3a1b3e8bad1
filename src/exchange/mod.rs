//! Files for other programs: the lossless JSON document (export and import), CSV
//! for spreadsheets and iCalendar for calendars, each written from a snapshot in
//! memory or from the records as they are read ([`Parts`]).

pub mod csv;
pub mod ics;
pub mod json;

use crate::domain::{Course, CustomItem, Person, Photo, Session, Snapshot, Tick};
use crate::store::SessionOrder;

/// What an export is written from: a snapshot in memory, or the records of a
/// file read as they are written (a million sessions never in memory at once).
pub(crate) trait Parts {
    fn people(&self, each: &mut dyn FnMut(&Person) -> Written) -> Written;
    fn courses(&self, each: &mut dyn FnMut(&Course) -> Written) -> Written;
    /// Done sessions (not voided), each course's together, oldest first.
    fn done_by_course(&self, each: &mut dyn FnMut(&[Session]) -> Written) -> Written;
    fn sessions(&self, order: SessionOrder, each: &mut dyn FnMut(&Session) -> Written) -> Written;
    fn ticks(&self, each: &mut dyn FnMut(&Tick) -> Written) -> Written;
    /// The courses by id, a chunk at a time, each chunk with all its courses'
    /// sessions (voided ones too, with their depths).
    fn course_chunks(&self, each: &mut dyn FnMut(&[Course], &[Session]) -> Written) -> Written;
    fn rest(&self) -> Result<Rest, String>;
}

/// What a document holds few enough of to have in hand.
pub(crate) struct Rest {
    pub(crate) custom_items: Vec<CustomItem>,
    pub(crate) edits: Vec<crate::domain::Edit>,
    pub(crate) events: Vec<crate::domain::AdverseEvent>,
    pub(crate) diary: Vec<crate::domain::DiaryEntry>,
    pub(crate) consents: Vec<crate::domain::Consent>,
    pub(crate) photos: Vec<Photo>,
}

pub(crate) type Written = Result<(), String>;

impl Parts for Snapshot {
    fn people(&self, each: &mut dyn FnMut(&Person) -> Written) -> Written {
        self.people.iter().try_for_each(each)
    }
    fn courses(&self, each: &mut dyn FnMut(&Course) -> Written) -> Written {
        self.courses.iter().try_for_each(each)
    }
    fn done_by_course(&self, each: &mut dyn FnMut(&[Session]) -> Written) -> Written {
        let mut done: Vec<Session> = self.sessions.iter().filter(|s| s.is_done()).cloned().collect();
        done.sort_by_key(|s| (s.course_id, s.at, s.id));
        each(&done)
    }
    fn sessions(&self, order: SessionOrder, each: &mut dyn FnMut(&Session) -> Written) -> Written {
        let mut sessions: Vec<&Session> = self.sessions.iter().collect();
        match order {
            SessionOrder::ById => sessions.sort_by_key(|s| s.id),
            SessionOrder::OldestFirst => sessions.sort_by_key(|s| (s.at, s.id)),
            SessionOrder::NewestFirst => sessions.sort_by_key(|s| std::cmp::Reverse((s.at, s.id))),
        }
        sessions.into_iter().try_for_each(each)
    }
    fn ticks(&self, each: &mut dyn FnMut(&Tick) -> Written) -> Written {
        self.ticks.iter().try_for_each(each)
    }
    fn course_chunks(&self, each: &mut dyn FnMut(&[Course], &[Session]) -> Written) -> Written {
        each(&self.courses, &self.sessions)
    }
    fn rest(&self) -> Result<Rest, String> {
        Ok(Rest {
            custom_items: self.custom_items.clone(),
            edits: self.edits.clone(),
            events: self.events.clone(),
            diary: self.diary.clone(),
            consents: self.consents.clone(),
            photos: self.photos.clone(),
        })
    }
}

/// A file's records, read as the document is written.
pub(crate) struct Stored<'a>(pub(crate) &'a dyn crate::store::Records);

impl Stored<'_> {
    /// Writes with `write`, every part read in one read of the file: a write by
    /// another process meanwhile is in all of the export or in none of it.
    pub(crate) fn whole<T>(&self, write: impl FnOnce(&Self) -> Result<T, String>) -> Result<T, String> {
        let mut written = None;
        self.0
            .consistent(|| {
                written = Some(write(self));
                Ok(())
            })
            .map_err(|e| e.to_string())?;
        written.unwrap_or_else(|| Err("the export read nothing".into()))
    }
}

/// Runs a streamed read, `each` writing every record of each chunk; a write's
/// failure stops the reading and is what is said.
fn streamed<T>(
    read: impl FnOnce(&mut dyn FnMut(&[T]) -> crate::store::Result<crate::store::Flow>) -> crate::store::Result<()>,
    each: &mut dyn FnMut(&[T]) -> Written,
) -> Written {
    let mut failed = None;
    read(&mut |chunk| match each(chunk) {
        Ok(()) => Ok(crate::store::Flow::Continue(())),
        Err(e) => {
            failed = Some(e);
            Ok(crate::store::Flow::Break(()))
        }
    })
    .map_err(|e| e.to_string())?;
    failed.map_or(Ok(()), Err)
}

impl Parts for Stored<'_> {
    fn people(&self, each: &mut dyn FnMut(&Person) -> Written) -> Written {
        let mut people = self.0.people(true).map_err(|e| e.to_string())?;
        people.sort_by_key(|p| p.id);
        people.iter().try_for_each(each)
    }
    fn courses(&self, each: &mut dyn FnMut(&Course) -> Written) -> Written {
        streamed(|f| self.0.each_course_by_id(f), &mut |chunk: &[Course]| chunk.iter().try_for_each(&mut *each))
    }
    fn done_by_course(&self, each: &mut dyn FnMut(&[Session]) -> Written) -> Written {
        streamed(|f| self.0.each_done_by_course(f), each)
    }
    fn sessions(&self, order: SessionOrder, each: &mut dyn FnMut(&Session) -> Written) -> Written {
        let filter = crate::store::SessionFilter { with_voided: true, order, ..Default::default() };
        streamed(|f| self.0.each_session(filter, f), &mut |chunk: &[Session]| chunk.iter().try_for_each(&mut *each))
    }
    fn ticks(&self, each: &mut dyn FnMut(&Tick) -> Written) -> Written {
        streamed(|f| self.0.each_tick_by_session(f), &mut |chunk: &[Tick]| chunk.iter().try_for_each(&mut *each))
    }
    fn course_chunks(&self, each: &mut dyn FnMut(&[Course], &[Session]) -> Written) -> Written {
        streamed(|f| self.0.each_course_by_id(f), &mut |chunk: &[Course]| {
            let ids: Vec<i64> = chunk.iter().map(|c| c.id).collect();
            let read = || -> crate::store::Result<Vec<Session>> {
                let mut sessions = self.0.sessions_of(&ids)?;
                self.0.fill_depths(&mut sessions)?;
                Ok(sessions)
            };
            let sessions = read().map_err(|e| e.to_string())?;
            each(chunk, &sessions)
        })
    }
    fn rest(&self) -> Result<Rest, String> {
        let read = || -> crate::store::Result<Rest> {
            let mut events = self.0.events(false)?;
            events.sort_by_key(|e| e.id);
            Ok(Rest {
                custom_items: self.0.all_custom_items()?,
                edits: self.0.edits()?,
                events,
                diary: self.0.diary()?,
                consents: self.0.consents()?,
                photos: self.0.all_photos()?,
            })
        };
        read().map_err(|e| e.to_string())
    }
}
