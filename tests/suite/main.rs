//! needlelog's integration tests, linked once: one module per area, sharing
//! `common` (running the real binary at a fixed time).
//!
//! Every command a test runs gets a fixed clock (`common::FIXED_NOW`, through
//! `NEEDLELOG_NOW`) unless it passes `--now` itself or says that it checks the
//! real clock; in-process tests pass `now` to the app and the store.

mod common;

mod backups;
mod boxed;
mod cli;
mod e2e_tmux;
mod faults;
mod fields;
mod fuzz;
mod hostile;
mod photos;
mod practice;
mod reminders;
mod report;
mod rules;
mod screens;
mod server;
mod store;
mod structure;
