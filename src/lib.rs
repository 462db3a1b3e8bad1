//! needlelog: a terminal logbook for a course of microneedling treatments.
//!
//! Layers, each depending only on those after it: `cli` (the command line) →
//! `exchange` (JSON, CSV and iCalendar files) and `store` (the SQLite file, the only
//! place that speaks SQL) → `domain` (rules, windows, checklists; pure).

pub mod app;
pub mod cli;
pub mod demo;
pub mod domain;
pub mod exchange;
pub mod store;
pub mod summary;
pub mod text;
pub mod ui;
