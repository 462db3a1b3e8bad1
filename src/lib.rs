//! needlelog: a terminal logbook for a course of microneedling treatments.
//!
//! The arrows point one way:
//! - `terminal` (event loop) → `ui` (drawing, pure) → `app` (state, keys, forms);
//! - `cli` (the command line) → `exchange` (JSON, CSV, iCalendar files);
//! - both → `summary` (where each course stands now) → `store` (the SQLite file,
//!   the only place that speaks SQL) → `domain` (rules, windows, checklists,
//!   recalls: pure, `now` passed in, nothing else of ours).
//!
//! `tests/suite/structure.rs` fails on any circle between these modules (or
//! between the files of `store/`).
//!
//! `text` words dates for people; `private_file` writes files that hold health
//! data; `kept_calendar` rewrites subscribed calendars after each change; `notify`
//! shows desktop notifications; `photos` keeps pictures in a store beside the
//! file and decodes them off the app's thread; `demo` makes example data.

pub mod app;
pub mod cli;
pub mod demo;
pub mod domain;
pub mod exchange;
pub mod find;
pub mod kept_calendar;
pub mod notify;
pub mod own_rules;
pub mod photos;
pub mod private_file;
pub mod report;
pub mod store;
pub mod summary;
pub mod terminal;
pub mod text;
pub mod ui;
