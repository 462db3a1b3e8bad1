//! What the command line takes: the top level (`Cli`: the global options, with the
//! `NEEDLELOG_*` variables each one reads) and the list of commands; their own
//! options are in `subcommands.rs`. Every setting from the environment is read
//! here, through clap, with its error.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use super::subcommands::*;

/// A terminal logbook for a course of microneedling treatments.
#[derive(Debug, Parser)]
#[command(name = "needlelog", version, about, long_about = None)]
pub struct Cli {
    /// The database file, or a PostgreSQL server (postgresql://USER@HOST/DB) [default: the platform data folder's needlelog.db]
    #[arg(long, global = true, env = "NEEDLELOG_DB", value_name = "PATH")]
    pub db: Option<PathBuf>,
    /// Pretend it is this time (YYYY-MM-DD [HH:MM], today, +4w ...)
    #[arg(long, global = true, env = "NEEDLELOG_NOW", value_name = "DATETIME", allow_hyphen_values = true)]
    pub now: Option<String>,
    /// Print data as JSON
    #[arg(long, global = true)]
    pub json: bool,
    /// The folder of your own rule files [default: the platform config folder, e.g. ~/.config/needlelog]
    #[arg(long, global = true, env = "NEEDLELOG_CONFIG", value_name = "DIR")]
    pub config: Option<PathBuf>,
    /// Open the app on a throw-away file filled with example courses
    #[arg(long)]
    pub demo: bool,
    /// How many daily and weekly backup copies to keep [default: 7d,4w]
    #[arg(long, global = true, hide = true, env = "NEEDLELOG_KEEP_BACKUPS", value_name = "7d,4w",
          value_parser = parse_keep)]
    pub keep_backups: Option<crate::store::backup::Keep>,
    /// How many days the trash keeps deleted sessions [default: 30]
    #[arg(long, global = true, hide = true, env = "NEEDLELOG_TRASH_DAYS", value_name = "DAYS",
          value_parser = parse_trash_days)]
    pub trash_days: Option<u32>,
    /// How the app draws pictures: auto, query (ask the terminal) or halfblocks
    #[arg(long, hide = true, env = "NEEDLELOG_GRAPHICS", value_name = "HOW", value_parser = parse_graphics)]
    pub graphics: Option<crate::terminal::Graphics>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Add, list and edit people
    #[command(subcommand)]
    Person(PersonCommand),
    /// Start, list, show, edit and close courses
    #[command(subcommand)]
    Course(CourseCommand),
    /// Log a session that was done (or mark a planned one done with --done)
    Log(LogArgs),
    /// Plan the next session (default: the first day of the next window)
    Plan(PlanArgs),
    /// Change a session
    Edit(EditArgs),
    /// Delete a planned or cancelled session (to the trash); a done one is
    /// voided: kept on record with who, when and why, counted nowhere
    Rm {
        id: i64,
        /// Why a done session is voided (asked for on a practitioner's file)
        #[arg(long, value_name = "TEXT")]
        reason: Option<String>,
        /// Do not ask
        #[arg(long)]
        yes: bool,
    },
    /// List sessions, newest first (filters combine)
    List(ListArgs),
    /// Every serum lot used, or with --lot who received one (a product recall)
    Lots {
        /// The people and sessions that received this lot
        #[arg(long)]
        lot: Option<String>,
    },
    /// The day sheet: each booking of a day (today by default) in time order,
    /// with the client, the course and what needs attention before the visit
    Day {
        /// The day: 2026-03-02, today, tomorrow, +1d
        #[arg(value_name = "DATE", allow_hyphen_values = true)]
        date: Option<String>,
        /// The seven days from that day
        #[arg(long)]
        week: bool,
    },
    /// Who needs a session: overdue, this week, next week, maintenance, lapsed
    Due {
        /// Look this far ahead: 14d, 3w
        #[arg(long, value_name = "DURATION", default_value = "14d")]
        within: String,
        /// A list to call or mail, as CSV: group, client, #id, date of birth,
        /// contact, course, day
        #[arg(long)]
        csv: bool,
        /// With --csv: write to this file instead of standard output (0600)
        #[arg(short, long, value_name = "FILE", requires = "csv")]
        output: Option<PathBuf>,
        /// Replace FILE if it exists
        #[arg(long, requires = "output")]
        force: bool,
    },
    /// Where every active course stands and what applies now
    Status {
        /// One short line for a shell prompt or a status bar (nothing when nothing applies)
        #[arg(long)]
        line: bool,
        /// Only this person's courses (a few letters will do)
        #[arg(long, value_name = "NAME")]
        person: Option<String>,
        /// Only courses that call for something now: pre-care, sensitive, due,
        /// overdue, maintenance, or a booked session that passed
        #[arg(long)]
        due: bool,
    },
    /// A one-page report of a course, to hand to a client or a doctor
    Report {
        #[arg(long)]
        course: Option<i64>,
        /// This person's current course
        #[arg(long, conflicts_with = "course")]
        person: Option<String>,
        #[arg(long, value_enum, default_value = "html")]
        format: ReportFormat,
        /// Write to this file (0600, whole or not at all) instead of standard output
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
        /// Replace FILE if it exists
        #[arg(long)]
        force: bool,
    },
    /// The recovery diary: how the skin is on the days after a session, 0 (none) to
    /// 3 (strong); without signs or a note, the diary and how recoveries compare
    Diary(DiaryArgs),
    /// Adverse events after a session (bruising, swelling, PIH…): add, list, resolve
    #[command(subcommand)]
    Event(EventCommand),
    /// Tell what is coming (pre-care, the sensitive days over, windows, overdue,
    /// maintenance, results day): each once, for running from cron
    Remind(RemindArgs),
    /// Tick a checklist item that applies now (or untick it with --undo)
    Check {
        /// The item's id, as `status` shows it
        item: String,
        /// The session the item belongs to [default: the one it is active for]
        #[arg(long)]
        session: Option<i64>,
        #[arg(long)]
        undo: bool,
    },
    /// Say whose file this is: your own log (the default) or a practitioner's of
    /// many clients; creates the file when there is none, and can change it later
    Init {
        /// A practitioner's file: clients, no "Me", no pop-ups that take keys,
        /// calendars with initials
        #[arg(long, conflicts_with = "patient")]
        practitioner: bool,
        /// One person's own log (the default)
        #[arg(long)]
        patient: bool,
        /// The practitioner's name: every change in the trail says it
        #[arg(long, value_name = "NAME", requires = "practitioner")]
        name: Option<String>,
    },
    /// Who changed what and when, oldest first
    Trail {
        /// Only what concerns this person (their courses, sessions and events)
        #[arg(long, value_name = "NAME", conflicts_with = "session")]
        person: Option<String>,
        /// Only what concerns this session (its events, diary, photos, ticks)
        #[arg(long, value_name = "ID")]
        session: Option<i64>,
    },
    /// Give the final rating of a course's results (1–10), from its results day on
    Rate {
        /// How the skin looks now, 1 (worst) to 10 (best)
        #[arg(value_parser = clap::value_parser!(u8).range(1..=10))]
        rating: u8,
        /// The course [default: the one active course]
        #[arg(long)]
        course: Option<i64>,
    },
    /// The default protocols and where their numbers come from
    Protocols,
    /// Your own rules (protocols, aftercare sheet, areas) laid over the built-in ones
    #[command(subcommand)]
    Rules(RulesCommand),
    /// Write everything as JSON (lossless), CSV or iCalendar
    Export {
        #[arg(long, value_enum, required_unless_present = "stop_keeping")]
        format: Option<ExportFormat>,
        /// Write to this file instead of standard output (0600, whole or not at all)
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
        /// Replace FILE if it exists
        #[arg(long)]
        force: bool,
        /// With --format ics -o FILE: rewrite FILE after every change from now on
        /// (running and recent courses), for a calendar app subscribed to it
        #[arg(long, requires = "output")]
        keep_current: bool,
        /// How calendar titles name people [default: full on your own log, initials
        /// on a practitioner's file]
        #[arg(long, value_enum)]
        names: Option<IcsNames>,
        /// A practitioner's calendar holds the last 30 days and what is ahead;
        /// --all keeps every past session too
        #[arg(long)]
        all: bool,
        /// Stop keeping FILE current (the file itself stays)
        #[arg(long, value_name = "FILE", conflicts_with_all = ["format", "output", "keep_current"])]
        stop_keeping: Option<PathBuf>,
    },
    /// Add the contents of a JSON export (all or nothing)
    Import {
        file: PathBuf,
        /// Merge by ids: records already here are skipped, new ones added, and one
        /// here with other content is a conflict (nothing merged unless --skip-conflicts)
        #[arg(long)]
        merge: bool,
        /// With --merge: merge the rest and list the conflicts
        #[arg(long, requires = "merge")]
        skip_conflicts: bool,
        /// With --merge: everyone in the file is this person here
        #[arg(long, value_name = "NAME", requires = "merge")]
        as_person: Option<String>,
    },
    /// Print a shell completion script
    Completions { shell: clap_complete::Shell },
    /// Check the file: integrity, references, values out of bounds, schema version and counts
    Doctor {
        /// Mend what is out of bounds: renumber ids that are too large, remove dates
        /// and windows no calendar holds (one transaction; says what it did)
        #[arg(long)]
        fix: bool,
        /// Copy every record that can still be read into a new file NEW and say what
        /// was lost (for a damaged file with no backup)
        #[arg(long, value_name = "NEW", conflicts_with = "fix")]
        salvage: Option<PathBuf>,
    },
    /// Copy the file now: into backups/ beside it (rotated), or to -o FILE
    Backup {
        #[command(subcommand)]
        command: Option<BackupCommand>,
        /// Write the copy to this file instead (0600, whole or not at all)
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Photos kept with sessions: add, list, remove
    Photo {
        #[command(subcommand)]
        command: PhotoCommand,
    },
    /// Deleted sessions, kept for 30 days (NEEDLELOG_TRASH_DAYS): list, restore, empty
    Trash {
        #[command(subcommand)]
        command: Option<TrashCommand>,
    },
    /// The records' place: copy them between a file and a PostgreSQL server
    Db {
        #[command(subcommand)]
        command: DbCommand,
    },
    /// Put a backup copy in place of the file (it is checked first; the current
    /// file is kept aside as FILE.before-restore-TIME)
    Restore {
        copy: PathBuf,
        /// Do not ask
        #[arg(long)]
        yes: bool,
    },
    /// Write a large example file (a practitioner's years of records)
    Demo {
        /// How many clients
        #[arg(long, default_value_t = 2000)]
        people: u32,
        /// How many years of history, up to now (or --now)
        #[arg(long, default_value_t = 10)]
        years: u32,
        /// The same seed and --now give the same file
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// The new file (must not exist)
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
}

/// `NEEDLELOG_KEEP_BACKUPS` / `--keep-backups`: `7d,4w`, each at most 1000.
fn parse_keep(text: &str) -> Result<crate::store::backup::Keep, String> {
    use crate::store::backup::Keep;
    Keep::parse(text).ok_or_else(|| {
        format!("use days and weeks such as 7d,4w (at most {} of each; NEEDLELOG_KEEP_BACKUPS sets it too)", Keep::MOST)
    })
}

/// `NEEDLELOG_GRAPHICS` / `--graphics`: auto, query, or halfblocks (off).
fn parse_graphics(text: &str) -> Result<crate::terminal::Graphics, String> {
    use crate::terminal::Graphics;
    match text.trim() {
        "auto" | "" => Ok(Graphics::Auto),
        "query" => Ok(Graphics::Query),
        "halfblocks" | "off" => Ok(Graphics::Halfblocks),
        _ => Err("use auto, query or halfblocks (NEEDLELOG_GRAPHICS sets it too)".into()),
    }
}

/// The most days `NEEDLELOG_TRASH_DAYS` may keep deleted sessions (ten years).
const MOST_TRASH_DAYS: u32 = 3650;

/// `NEEDLELOG_TRASH_DAYS` / `--trash-days`: a whole number of days, 1 to 3650.
fn parse_trash_days(text: &str) -> Result<u32, String> {
    text.trim().parse().ok().filter(|days| (1..=MOST_TRASH_DAYS).contains(days)).ok_or_else(|| {
        format!("use a whole number of days from 1 to {MOST_TRASH_DAYS}, such as 30 (NEEDLELOG_TRASH_DAYS sets it too)")
    })
}
