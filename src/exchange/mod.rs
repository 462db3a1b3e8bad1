//! Files for other programs: the lossless JSON document (export and import), CSV
//! for spreadsheets and iCalendar for calendars. Pure: text in, text out.

pub mod csv;
pub mod ics;
pub mod json;
