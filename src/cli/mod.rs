//! The command line: arguments (clap), the file to open, and dispatch to the
//! commands in `records` (people, courses), `sessions` (log, plan, edit, rm, list,
//! check), `status` (status, protocols), `remind` (remind and its --setup),
//! `report` (the one-page course report) and
//! `files` (export, import, doctor, demo);
//! `present` holds the tables, lines and JSON they share.

mod diary;
mod events;
mod files;
mod photos;
mod present;
mod recalls;
mod records;
mod remind;
mod report;
mod rules;
mod sessions;
mod status;

use std::path::PathBuf;

use chrono::{DateTime, Utc};
use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};

use crate::domain::rules::Rules;
use crate::domain::time::{TimeError, Zone, parse_when};
use crate::domain::{Device, Reaction, SessionStatus, SkinType};
use crate::store::{Store, StoreError};

/// A terminal logbook for a course of microneedling treatments.
#[derive(Debug, Parser)]
#[command(name = "needlelog", version, about, long_about = None)]
pub struct Cli {
    /// The database file [default: the platform data folder's needlelog.db]
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
    /// Delete a session
    Rm {
        id: i64,
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
    /// Who needs a session: overdue, this week, next week, maintenance, lapsed
    Due {
        /// Look this far ahead: 14d, 3w
        #[arg(long, value_name = "DURATION", default_value = "14d")]
        within: String,
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    Json,
    Csv,
    Ics,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// One self-contained page (prints on one sheet)
    Html,
    /// The same facts as Markdown
    Md,
}

#[derive(Debug, Subcommand)]
pub enum PersonCommand {
    /// Add a person (a client, or someone you log for)
    Add {
        name: String,
        #[arg(long, value_name = "I..VI")]
        skin_type: Option<SkinType>,
        #[arg(long, default_value = "")]
        notes: String,
        /// Date of birth (YYYY-MM-DD): tells namesakes apart
        #[arg(long, value_name = "DATE")]
        born: Option<chrono::NaiveDate>,
        /// A phone number or an email
        #[arg(long, default_value = "")]
        contact: String,
    },
    /// List people
    List {
        /// Include archived people
        #[arg(long)]
        all: bool,
        /// Only those whose name or notes match these letters (fuzzy), best first
        #[arg(long, value_name = "TEXT")]
        search: Option<String>,
    },
    /// Change a person
    Edit {
        /// The name (namesakes: #ID, or the name with the date of birth)
        name: String,
        /// New name
        #[arg(long)]
        rename: Option<String>,
        #[arg(long, value_name = "I..VI")]
        skin_type: Option<SkinType>,
        #[arg(long)]
        notes: Option<String>,
        /// Date of birth (YYYY-MM-DD)
        #[arg(long, value_name = "DATE")]
        born: Option<chrono::NaiveDate>,
        /// A phone number or an email
        #[arg(long)]
        contact: Option<String>,
        /// Hide from lists (their data is kept)
        #[arg(long, conflicts_with = "unarchive")]
        archive: bool,
        #[arg(long)]
        unarchive: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum CourseCommand {
    /// Start a course; sessions and interval default to the concern's protocol
    Add(CourseFields),
    /// List courses (active ones unless --all)
    List {
        #[arg(long)]
        all: bool,
        #[arg(long)]
        person: Option<String>,
    },
    /// Everything about one course
    Show { id: i64 },
    /// Change a course (past sessions are never rewritten)
    Edit {
        id: i64,
        #[command(flatten)]
        fields: CourseFields,
        #[arg(long)]
        status: Option<crate::domain::CourseStatus>,
    },
    /// Mark a course completed
    Close { id: i64 },
    /// Record the consent given for a course: when, to what, and to photos
    Consent {
        id: i64,
        /// What was agreed: the consent text or the document's name
        #[arg(long)]
        what: String,
        /// The day it was given [default: today]
        #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
        on: Option<String>,
        /// Photos may be taken and kept
        #[arg(long)]
        photos: bool,
    },
    /// End a course's recall (it leaves `due` and the app's Due list) or put it
    /// off (--snooze 4w); a later course of the same concern ends it too
    Recall {
        id: i64,
        /// No more recalls for this course
        #[arg(long, conflicts_with = "snooze", required_unless_present = "snooze")]
        done: bool,
        /// Put it off this long: 2w, 30d
        #[arg(long, value_name = "DURATION")]
        snooze: Option<String>,
    },
}

#[derive(Debug, Args)]
pub struct CourseFields {
    /// rejuvenation, collagen-induction, scars, acne-scars, deep-scars, wrinkles, stretch-marks, hyperpigmentation, large-pores
    #[arg(long)]
    pub concern: Option<String>,
    /// Areas, comma-separated, any name (those with depth guidance: needlelog rules show)
    #[arg(long = "area", value_delimiter = ',')]
    pub areas: Vec<String>,
    /// Whose course [default: Me, or the only person]
    #[arg(long)]
    pub person: Option<String>,
    /// Target number of sessions
    #[arg(long)]
    pub sessions: Option<u32>,
    /// Time between sessions, e.g. 4-6w or 21-28d
    #[arg(long)]
    pub interval: Option<String>,
    /// Maintenance spacing after the course, e.g. 3-6m
    #[arg(long)]
    pub maintenance: Option<String>,
    #[arg(long)]
    pub device: Option<Device>,
    /// The day the course starts
    #[arg(long, allow_hyphen_values = true)]
    pub start: Option<String>,
    /// Where the sessions take place (a clinic's name or address): calendars show it
    #[arg(long)]
    pub place: Option<String>,
    #[arg(long)]
    pub notes: Option<String>,
}

/// Details of a session, shared by `log`, `plan` and `edit`.
#[derive(Debug, Args, Default)]
pub struct SessionFields {
    /// pen, roller, rf (radio-frequency microneedling) or other; the model with --model
    #[arg(long)]
    pub device: Option<Device>,
    /// The device's model in words ("SkinPen Precision", "Dermapen 4"); a new
    /// session of the course takes the last one's when not given
    #[arg(long)]
    pub model: Option<String>,
    /// Needle depth in mm for every area, or AREA=MM,AREA=MM
    #[arg(long)]
    pub depth: Option<String>,
    #[arg(long)]
    pub passes: Option<u32>,
    #[arg(long)]
    pub serum: Option<String>,
    /// Lot number of the serum
    #[arg(long)]
    pub lot: Option<String>,
    /// Numbing product and time
    #[arg(long)]
    pub numbing: Option<String>,
    /// 0 (none) to 10
    #[arg(long, value_parser = clap::value_parser!(u8).range(0..=10))]
    pub pain: Option<u8>,
    #[arg(long)]
    pub reaction: Option<Reaction>,
    /// How your skin looks, 1 to 10
    #[arg(long, value_parser = clap::value_parser!(u8).range(1..=10))]
    pub rating: Option<u8>,
    /// self, or the clinic's name
    #[arg(long)]
    pub provider: Option<String>,
    /// A photo to keep with the session: PATH, or AREA=PATH for the area it shows
    /// (repeat for more; JPEG, PNG or WebP, copied into the photo store)
    #[arg(long = "photo", value_name = "[AREA=]PATH")]
    pub photos: Vec<String>,
    #[arg(long)]
    pub notes: Option<String>,
}

#[derive(Debug, Args)]
pub struct DiaryArgs {
    /// The course whose last done session it is about [default: the active one]
    #[arg(long)]
    pub course: Option<i64>,
    /// The done session it is about [default: the course's last one]
    #[arg(long, conflicts_with = "course")]
    pub session: Option<i64>,
    /// Which day after the session (0 is its own day) [default: today's]
    #[arg(long)]
    pub day: Option<u32>,
    #[arg(long, value_name = "0-3", value_parser = clap::value_parser!(u8).range(0..=3))]
    pub redness: Option<u8>,
    #[arg(long, value_name = "0-3", value_parser = clap::value_parser!(u8).range(0..=3))]
    pub swelling: Option<u8>,
    #[arg(long, value_name = "0-3", value_parser = clap::value_parser!(u8).range(0..=3))]
    pub flaking: Option<u8>,
    #[arg(long, value_name = "0-3", value_parser = clap::value_parser!(u8).range(0..=3))]
    pub tightness: Option<u8>,
    /// A line of words: how it feels, what helped
    #[arg(long)]
    pub note: Option<String>,
}

#[derive(Debug, Args)]
pub struct LogArgs {
    #[arg(long)]
    pub course: Option<i64>,
    /// This person's active course (a few letters will do)
    #[arg(long, value_name = "NAME", conflicts_with = "course")]
    pub person: Option<String>,
    /// When it was done [default: now]
    #[arg(long, value_name = "DATETIME", allow_hyphen_values = true)]
    pub at: Option<String>,
    /// Mark this planned session done instead of adding one
    #[arg(long, value_name = "ID", conflicts_with = "course")]
    pub done: Option<i64>,
    /// The contraindication questions answered before it: "none", or the ids that
    /// applied, comma-separated (needlelog protocols --json lists them)
    #[arg(long, value_name = "none|ID,ID")]
    pub screening: Option<String>,
    #[command(flatten)]
    pub fields: SessionFields,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    #[arg(long)]
    pub course: Option<i64>,
    /// Only this person's sessions
    #[arg(long, value_name = "NAME")]
    pub person: Option<String>,
    /// From this day (or time) on
    #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
    pub since: Option<String>,
    /// Up to this day (included) or time
    #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
    pub until: Option<String>,
    /// Sessions that used this serum lot
    #[arg(long)]
    pub lot: Option<String>,
    /// Sessions whose serum's name holds this text
    #[arg(long, value_name = "TEXT")]
    pub serum: Option<String>,
    /// Sessions that treated this area
    #[arg(long)]
    pub area: Option<String>,
    #[arg(long)]
    pub status: Option<SessionStatus>,
    /// Show at most this many (1 or more)
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..))]
    pub limit: Option<u32>,
}

#[derive(Debug, Args)]
pub struct RemindArgs {
    /// Tell what starts within this long from now: 90m, 24h, 3d, 2w
    #[arg(long, value_name = "DURATION", default_value = "24h")]
    pub within: String,
    /// Show each as a desktop notification (printed when none can be shown)
    #[arg(long)]
    pub notify: bool,
    /// Tell again what was told already
    #[arg(long)]
    pub again: bool,
    /// Print a ready-to-paste snippet that runs `remind --notify` every 15 minutes
    /// (installs nothing)
    #[arg(long, value_enum, value_name = "TARGET")]
    pub setup: Option<SetupTarget>,
}

/// Where `remind --setup` runs the reminders from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SetupTarget {
    /// A crontab line
    Cron,
    /// A systemd user service and timer
    Systemd,
    /// A launchd agent (macOS)
    Launchd,
}

#[derive(Debug, Args)]
pub struct PlanArgs {
    #[arg(long)]
    pub course: Option<i64>,
    /// This person's active course (a few letters will do)
    #[arg(long, value_name = "NAME", conflicts_with = "course")]
    pub person: Option<String>,
    /// When [default: the first day of the next window, at the last session's time]
    #[arg(long, value_name = "DATETIME", allow_hyphen_values = true)]
    pub at: Option<String>,
    /// Book another session although one is booked already
    #[arg(long)]
    pub another: bool,
    /// Record a plan for a time already passed (with --at)
    #[arg(long, requires = "at")]
    pub past: bool,
    #[command(flatten)]
    pub fields: SessionFields,
}

#[derive(Debug, Args)]
pub struct EditArgs {
    pub id: i64,
    #[arg(long, value_name = "DATETIME", allow_hyphen_values = true)]
    pub at: Option<String>,
    #[arg(long)]
    pub status: Option<SessionStatus>,
    /// Save only if the session is still at this revision (see `list --json`)
    #[arg(long, value_name = "REVISION")]
    pub if_rev: Option<i64>,
    #[command(flatten)]
    pub fields: SessionFields,
}

#[derive(Subcommand, Debug)]
pub enum EventCommand {
    /// Record one against a session
    Add {
        session: i64,
        /// bruising, swelling, bleeding, infection, pih, breakout, other
        #[arg(long)]
        kind: String,
        /// 0 none, 1 mild, 2 moderate, 3 severe
        #[arg(long, value_parser = clap::value_parser!(u8).range(0..=3))]
        severity: u8,
        /// The day it was noticed [default: today]
        #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
        on: Option<String>,
        /// What it looked like and what was done
        #[arg(long, default_value = "")]
        notes: String,
        /// The day it resolved, if it has
        #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
        resolved: Option<String>,
    },
    /// Every event, newest first
    List {
        /// Only those not resolved yet
        #[arg(long)]
        open: bool,
    },
    /// Mark one resolved
    Resolve {
        id: i64,
        /// The day it resolved [default: today]
        #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
        on: Option<String>,
    },
}

#[derive(Subcommand, Debug)]
pub enum PhotoCommand {
    /// Keep pictures with a session: copied into the photo store beside the file
    /// (JPEG, PNG or WebP; the same picture twice is kept once)
    Add {
        /// The session's id (needlelog list shows them)
        session: i64,
        /// The pictures: PATH, or AREA=PATH
        #[arg(required = true, value_name = "[AREA=]PATH")]
        paths: Vec<String>,
        /// The area they show, where a path does not say
        #[arg(long)]
        area: Option<String>,
    },
    /// The photos of a course (of every course without --course), and any missing
    List {
        #[arg(long)]
        course: Option<i64>,
    },
    /// Remove a photo's record; its picture goes too when nothing else uses it
    Rm {
        /// The photo's id (photo list shows them)
        id: i64,
        /// Do not ask (needed when not at a terminal)
        #[arg(long)]
        yes: bool,
    },
}

#[derive(Subcommand, Debug)]
pub enum TrashCommand {
    /// What the trash holds, newest first
    List,
    /// Put an entry back under its own id, with its depths and ticks
    Restore { id: i64 },
    /// Empty the trash, or only what was deleted longer ago than --older-than
    Empty {
        /// e.g. 30d or 4w
        #[arg(long, value_name = "DURATION")]
        older_than: Option<String>,
    },
}

/// How calendar titles name people.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum IcsNames {
    Full,
    Initials,
    None,
}

#[derive(Subcommand, Debug)]
pub enum RulesCommand {
    /// The rules in effect, and where each value comes from (built-in or your file:line)
    Show,
    /// Write commented starter files into the config folder (never overwrites)
    Init,
    /// Check your files and say what they change
    Check,
}

#[derive(Subcommand, Debug)]
pub enum BackupCommand {
    /// The copies in backups/, newest first
    List,
}

/// Why a command failed. Usage errors exit with 2, the rest with 1.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error("{0}")]
    Usage(String),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("{0}")]
    Failed(String),
    /// A command that failed after printing something worth keeping (doctor's report).
    #[error("{error}")]
    After { output: Output, error: Box<CliError> },
}

impl CliError {
    pub fn exit_code(&self) -> i32 {
        match self {
            CliError::Usage(_) => 2,
            CliError::After { error, .. } => error.exit_code(),
            _ => 1,
        }
    }

    /// What the command printed before it failed.
    pub fn output(&self) -> Option<&Output> {
        match self {
            CliError::After { output, .. } => Some(output),
            _ => None,
        }
    }
}

impl From<TimeError> for CliError {
    fn from(e: TimeError) -> Self {
        CliError::Usage(e.to_string())
    }
}

pub type CliResult<T> = Result<T, CliError>;

/// What a command produced: text for stdout and warnings for stderr.
#[derive(Debug, Default)]
pub struct Output {
    pub stdout: String,
    pub warnings: Vec<String>,
    /// Data to pass on byte for byte (JSON, an export, a completion script); any
    /// other output shows stored text safely (see `text::for_terminal`).
    pub exact: bool,
}

/// The state a command runs in.
pub struct Ctx {
    pub store: Store,
    pub now: DateTime<Utc>,
    pub tz: Zone,
    pub rules: &'static Rules,
    /// Whose file it is: a patient's or a practitioner's.
    pub kind: crate::domain::FileKind,
    pub json: bool,
    pub out: Output,
    /// Where JSON goes as it is written, when the caller gives one (the binary
    /// gives its standard output): a status of thousands of courses is megabytes,
    /// not worth holding. Without one, JSON is said like any other output.
    pub sink: Option<Box<dyn std::io::Write>>,
    /// The calendars this user keeps current (none without a home folder).
    pub kept: Option<crate::kept_calendar::KeptList>,
    /// How many backup copies to keep (`NEEDLELOG_KEEP_BACKUPS`).
    pub keep_backups: crate::store::backup::Keep,
}

impl Ctx {
    fn say(&mut self, line: impl AsRef<str>) {
        self.out.stdout.push_str(line.as_ref());
        self.out.stdout.push('\n');
    }

    fn warn(&mut self, line: impl Into<String>) {
        self.out.warnings.push(line.into());
    }

    fn print_json(&mut self, value: &impl serde::Serialize) {
        if self.out.stdout.is_empty()
            && let Some(sink) = self.sink.as_mut()
        {
            use std::io::Write;
            let mut out = std::io::BufWriter::with_capacity(64 * 1024, sink);
            // A closed pipe (`needlelog status --json | head`) ends the output, not the command.
            let _ = serde_json::to_writer_pretty(&mut out, value)
                .map_err(std::io::Error::from)
                .and_then(|()| out.write_all(b"\n"))
                .and_then(|()| out.flush());
            return;
        }
        // Written straight onto what is said already, not copied twice.
        let mut bytes = std::mem::take(&mut self.out.stdout).into_bytes();
        let _ = serde_json::to_writer_pretty(&mut bytes, value);
        bytes.push(b'\n');
        self.out.stdout =
            String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
    }

    /// The person called `name`; when there is none, the closest names (exit 2).
    fn person_named(&self, name: &str) -> CliResult<crate::domain::Person> {
        match self.store.person_by_name(name) {
            Err(StoreError::Conflict(message)) => Err(CliError::Usage(message)),
            Err(StoreError::NotFound { .. }) => {
                let people = self.store.people(true)?;
                let close = crate::find::closest(name, people.iter().map(|p| p.name.as_str()), 5);
                let shown = crate::text::printable(name.trim());
                Err(CliError::Usage(if close.is_empty() {
                    format!("nobody is called \"{shown}\" (needlelog person list shows everyone)")
                } else {
                    let close: Vec<String> = close.iter().map(|n| crate::text::printable(n)).collect();
                    format!("nobody is called \"{shown}\"; closest: {}", close.join(", "))
                }))
            }
            other => Ok(other?),
        }
    }

    /// The person `typed` names: by name (any case), else the one the letters find
    /// as `/` does in the app; several found lists a few (exit 2).
    fn person_found(&self, typed: &str) -> CliResult<crate::domain::Person> {
        match self.store.person_by_name(typed) {
            Err(StoreError::NotFound { .. }) => {}
            // Namesakes: which one is bad input, said with how to name one.
            Err(StoreError::Conflict(message)) => return Err(CliError::Usage(message)),
            other => return Ok(other?),
        }
        let people = self.store.people(true)?;
        let found = crate::find::rank(typed, people.iter().map(|p| (p.clone(), p.name.clone())));
        match found.as_slice() {
            [only] => Ok(only.clone()),
            [] => self.person_named(typed),
            many => {
                let namesakes = |p: &crate::domain::Person| {
                    many.iter().filter(|o| o.name.eq_ignore_ascii_case(&p.name)).count() > 1
                };
                let shown: Vec<String> =
                    many.iter().take(10).map(|p| crate::text::printable(&p.told_apart(namesakes(p)))).collect();
                let more = if many.len() > 10 { format!(" and {} more", many.len() - 10) } else { String::new() };
                Err(CliError::Usage(format!(
                    "\"{}\" finds {} people: {}{more}; type more of the name",
                    crate::text::printable(typed.trim()),
                    many.len(),
                    shown.join(", ")
                )))
            }
        }
    }

    /// Reads a date the user typed, relative to `now`; a wall-clock time that happens twice is the first, and says so.
    fn when(&mut self, input: &str) -> CliResult<DateTime<Utc>> {
        let at = parse_when(input, self.now, &self.tz)?;
        if let Some(note) = crate::text::twice_note(at, input, &self.tz) {
            self.warn(note);
        }
        Ok(at)
    }
}

/// The moment the command runs at: `--now` or the clock.
pub fn resolve_now(cli_now: Option<&str>) -> CliResult<DateTime<Utc>> {
    let clock = Utc::now();
    match cli_now {
        Some(text) => Ok(parse_when(text, clock, &Zone::Local)?),
        None => Ok(clock),
    }
}

/// The file `--db` or `NEEDLELOG_DB` names, else the one in the data folder.
fn db_path(cli_db: Option<PathBuf>) -> CliResult<PathBuf> {
    match cli_db {
        Some(path) => Ok(path),
        None => default_db_path(),
    }
}

fn default_db_path() -> CliResult<PathBuf> {
    directories::ProjectDirs::from("", "", "needlelog")
        .map(|dirs| dirs.data_dir().join("needlelog.db"))
        .ok_or_else(|| CliError::Failed("cannot find a data folder (is HOME set?); pass --db PATH".into()))
}

/// Opens `--db` / `NEEDLELOG_DB` (whose folder must exist), or `needlelog.db` in
/// the platform data folder (created on first use).
pub fn open_store(cli_db: Option<PathBuf>) -> CliResult<Store> {
    if let Some(path) = cli_db {
        // A FIFO, a device or a folder would block or be misread: only files.
        if std::fs::metadata(&path).is_ok_and(|m| !m.is_file()) {
            return Err(CliError::Usage(format!(
                "{}: not a regular file; --db takes a needlelog file or a name for a new one",
                crate::text::printable(&path.display().to_string())
            )));
        }
        return Ok(Store::open(&path)?);
    }
    Ok(Store::open_default(&default_db_path()?)?)
}

impl Cli {
    /// No subcommand on a terminal (or `--demo`): the full-screen app.
    pub fn wants_app(&self) -> bool {
        use std::io::IsTerminal;
        self.command.is_none() && (self.demo || (std::io::stdin().is_terminal() && std::io::stdout().is_terminal()))
    }
}

/// Opens the full-screen app on the chosen file (or a demo file) and runs it.
pub fn open_app(cli: Cli) -> CliResult<()> {
    use std::io::IsTerminal;
    if !std::io::stdout().is_terminal() {
        return Err(CliError::Usage("the app needs a terminal; use a subcommand such as status".into()));
    }
    crate::terminal::return_large_blocks();
    let rules = own_rules(cli.config.clone())?;
    let clock = Utc::now();
    let now = resolve_now(cli.now.as_deref())?;
    let zone = Zone::Local;
    let (store, demo_file) = if cli.demo {
        let path = std::env::temp_dir().join(format!("needlelog-demo-{}.db", std::process::id()));
        let _ = std::fs::remove_file(&path);
        let mut store = Store::open(&path)?;
        crate::demo::fill(&mut store, rules, now, &zone)?;
        (store, Some(path))
    } else {
        let mut store = open_store(cli.db)?;
        store.take_daily_care(now, cli.keep_backups.unwrap_or_default(), cli.trash_days.unwrap_or(30));
        // Photos named by path in an older file join the store (doctor lists any left).
        let photos = crate::photos::PhotoStore::beside(store.path());
        if store.legacy_photo_paths().is_ok_and(|paths| !paths.is_empty()) {
            let _ = crate::photos::move_legacy(&mut store, &photos);
        }
        (store, None)
    };
    // The course opened on is drawn first; the lists are read right after.
    let mut app = crate::app::App::opening(store, rules, now, zone);
    app.color = std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let display = ["DISPLAY", "WAYLAND_DISPLAY"].iter().any(|v| std::env::var_os(v).is_some_and(|v| !v.is_empty()));
    app.open_reports = cfg!(target_os = "macos") || display;
    let outcome = crate::terminal::run(&mut app, now - clock, cli.graphics.unwrap_or_default());
    drop(app);
    if let Some(path) = demo_file {
        let _ = std::fs::remove_file(&path);
    }
    outcome.map_err(|e| CliError::Failed(format!("the terminal failed: {e}")))
}

/// Moves photos older files (or imports of them) name by path into the photo
/// store. Cheap when there are none (a partial index); a file that cannot take
/// the write is left for the command itself to report.
fn move_photo_paths(ctx: &mut Ctx) {
    if ctx.store.legacy_photo_paths().map_or(true, |paths| paths.is_empty()) {
        return;
    }
    let store = crate::photos::PhotoStore::beside(ctx.store.path());
    if let Ok((moved, left)) = crate::photos::move_legacy(&mut ctx.store, &store) {
        if moved > 0 {
            ctx.warn(format!(
                "moved {moved} photo{} named by path into {}",
                if moved == 1 { "" } else { "s" },
                crate::text::printable(&store.dir().display().to_string())
            ));
        }
        if !left.is_empty() {
            let what = if moved > 0 { String::new() } else { " of the photos named by path".to_string() };
            ctx.warn(format!(
                "{}{what} could not be moved (needlelog doctor lists them; add them with photo add)",
                left.len()
            ));
        }
    }
}

/// The built-in rules with the user's own files over them; a bad file stops the
/// command here, before the terminal or the database is touched (exit 1).
fn own_rules(given: Option<PathBuf>) -> CliResult<&'static Rules> {
    let folder = crate::own_rules::folder(given);
    crate::own_rules::load(folder.as_deref()).map_err(|e| CliError::Failed(format!("{e} (your own rules)")))
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

/// True when the user said yes (or `--yes` was given). No answers "Kept it.";
/// with no terminal to ask, `--yes` is needed to `what` (exit 2).
fn confirmed(ctx: &mut Ctx, yes: bool, question: &str, what: &str) -> CliResult<bool> {
    if yes {
        return Ok(true);
    }
    match ask_yes(question) {
        None => Err(CliError::Usage(format!("refusing to {what} without --yes"))),
        Some(false) => {
            ctx.say("Kept it.");
            Ok(false)
        }
        Some(true) => Ok(true),
    }
}

/// Asks a yes/no question on the terminal; None when there is no terminal to ask.
fn ask_yes(question: &str) -> Option<bool> {
    use std::io::{BufRead, IsTerminal, Write};
    if !std::io::stdin().is_terminal() {
        return None;
    }
    eprint!("{question} [y/N] ");
    let _ = std::io::stderr().flush();
    let mut answer = String::new();
    let _ = std::io::stdin().lock().read_line(&mut answer);
    Some(matches!(answer.trim(), "y" | "Y" | "yes"))
}

/// Runs one command of the command line. `None` (no subcommand) prints the status.
/// JSON goes to `sink` as it is written when one is given (see [`Ctx::sink`]);
/// everything else is in the returned output.
pub fn run(cli: Cli, sink: Option<Box<dyn std::io::Write>>) -> CliResult<Output> {
    if cli.demo {
        return Err(CliError::Usage("--demo opens the app: use it without a subcommand".into()));
    }
    let command = cli.command.unwrap_or(Command::Status { line: false, person: None, due: false });
    let config = crate::own_rules::folder(cli.config.clone());
    // Starter files are written whatever the files there say.
    if let Command::Rules(RulesCommand::Init) = command {
        return rules::init(config.as_deref());
    }
    let rules = own_rules(cli.config.clone())?;
    // Commands that need no file.
    match &command {
        Command::Rules(RulesCommand::Show) => return Ok(rules::show(rules, config.as_deref(), cli.json)),
        Command::Rules(_) => return Ok(rules::check(rules, config.as_deref())),
        Command::Completions { shell } => {
            let mut buf = Vec::new();
            clap_complete::generate(*shell, &mut Cli::command(), "needlelog", &mut buf);
            return Ok(Output {
                stdout: String::from_utf8_lossy(&buf).into_owned(),
                warnings: Vec::new(),
                exact: true,
            });
        }
        Command::Protocols => return Ok(status::protocols(rules, cli.json)),
        Command::Demo { people, years, seed, out } => {
            let now = resolve_now(cli.now.as_deref())?;
            return files::demo(rules, now, *people, *years, *seed, out);
        }
        Command::Remind(RemindArgs { setup: Some(target), .. }) => {
            return remind::setup(*target, &db_path(cli.db)?);
        }
        // A status line for a prompt never creates a file where there is none.
        Command::Status { line: true, .. } if !db_path(cli.db.clone())?.exists() => return Ok(Output::default()),
        // A file to restore may be too damaged to open: it is not opened first.
        Command::Restore { copy, yes } => {
            let now = resolve_now(cli.now.as_deref())?;
            return files::restore(&db_path(cli.db)?, copy, *yes, now);
        }
        _ => {}
    }
    let now = resolve_now(cli.now.as_deref())?;
    let mut store = open_store(cli.db)?;
    store.read_through_memory_map()?;
    store.take_daily_care(now, cli.keep_backups.unwrap_or_default(), cli.trash_days.unwrap_or(30));
    store.set_clock(now);
    let kind = store.file_kind()?;
    let kept = crate::kept_calendar::KeptList::of_this_user();
    let keep_backups = cli.keep_backups.unwrap_or_default();
    let mut ctx = Ctx {
        store,
        now,
        tz: Zone::Local,
        rules,
        kind,
        json: cli.json,
        out: Output::default(),
        sink,
        kept,
        keep_backups,
    };
    move_photo_paths(&mut ctx);
    let commits = ctx.store.commits();
    let done = dispatch(&mut ctx, command);
    if ctx.store.commits() != commits
        && let Some(list) = &ctx.kept
    {
        for line in crate::kept_calendar::refresh(&ctx.store, list, ctx.rules, ctx.now, &ctx.tz) {
            ctx.warn(line);
        }
    }
    ctx.out.exact |= ctx.json;
    for line in ctx.store.take_skipped() {
        ctx.warn(line);
    }
    match done {
        Ok(()) => Ok(ctx.out),
        Err(error) if ctx.out.stdout.is_empty() && ctx.out.warnings.is_empty() => Err(error),
        Err(error) => Err(CliError::After { output: ctx.out, error: Box::new(error) }),
    }
}

fn dispatch(ctx: &mut Ctx, command: Command) -> CliResult<()> {
    match command {
        Command::Person(cmd) => records::person(ctx, cmd),
        Command::Course(cmd) => records::course(ctx, cmd),
        Command::Log(args) => sessions::log(ctx, args),
        Command::Plan(args) => sessions::plan(ctx, args),
        Command::Edit(args) => sessions::edit(ctx, args),
        Command::Rm { id, yes } => sessions::remove(ctx, id, yes),
        Command::List(args) => sessions::list(ctx, args),
        Command::Lots { lot } => recalls::lots(ctx, lot.as_deref()),
        Command::Due { within } => recalls::due(ctx, &within),
        Command::Check { item, session, undo } => sessions::check(ctx, &item, session, undo),
        Command::Status { line: false, person, due } => status::status(ctx, person.as_deref(), due),
        Command::Status { line: true, .. } => status::line(ctx),
        Command::Remind(args) => remind::remind(ctx, &args),
        Command::Event(cmd) => events::event(ctx, cmd),
        Command::Diary(args) => diary::diary(ctx, args),
        Command::Init { practitioner, .. } => records::init(ctx, practitioner),
        Command::Report { course, person, format, output, force } => {
            report::report(ctx, course, person.as_deref(), format, output, force)
        }
        Command::Export { stop_keeping: Some(file), .. } => files::stop_keeping(ctx, &file),
        Command::Export { format, output, force, keep_current, names, all, .. } => {
            let format = format.unwrap_or(ExportFormat::Json);
            files::export(ctx, files::ExportOptions { format, output, force, keep_current, names, all })
        }
        Command::Import { file, merge: false, .. } => files::import(ctx, &file),
        Command::Import { file, skip_conflicts, as_person, .. } => {
            files::merge(ctx, &file, skip_conflicts, as_person.as_deref())
        }
        Command::Doctor { fix, salvage: None } => files::doctor(ctx, fix),
        Command::Doctor { salvage: Some(out), .. } => files::salvage(ctx, &out),
        Command::Backup { command: Some(BackupCommand::List), .. } => files::backup_list(ctx),
        Command::Backup { command: None, output } => files::backup(ctx, output),
        Command::Restore { .. } => Ok(()),
        Command::Trash { command } => files::trash(ctx, command.unwrap_or(TrashCommand::List)),
        Command::Photo { command } => photos::photo(ctx, command),
        Command::Completions { .. } | Command::Protocols | Command::Demo { .. } | Command::Rules(_) => Ok(()),
    }
}
