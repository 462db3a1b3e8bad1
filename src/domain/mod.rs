//! The rules of a course of treatments: pure functions of data and `now`.
//!
//! No SQL and no drawing here. `model` holds the records, `rules` the clinical
//! defaults from `assets/`, `time` date reading and calendar arithmetic, `windows`
//! where a course stands, `checklist` which care items apply, `depth` needle-depth
//! checks, `entry` what a session needs before it is saved, `validate` a course.

pub mod checklist;
pub mod depth;
pub mod entry;
pub mod layering;
pub mod model;
pub mod recall;
pub mod recovery;
pub mod reminders;
pub mod rules;
pub mod time;
pub mod timeline;
pub mod validate;
pub mod windows;

pub use model::*;
pub use rules::Rules;
