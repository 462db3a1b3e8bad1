//! The options of each command (clap): one enum per group of subcommands, one
//! struct per set of fields that several commands share.

use clap::{Args, Subcommand, ValueEnum};

use crate::domain::{Device, Reaction, SessionStatus, SkinType};

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
        /// Who took it [default: the file's practitioner, else your login name]
        #[arg(long, value_name = "NAME")]
        by: Option<String>,
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
    /// Void a course started by mistake: it and its done sessions stay on record,
    /// counted nowhere; its planned sessions are cancelled (trash restore undoes it)
    Void {
        id: i64,
        #[arg(long, value_name = "TEXT")]
        reason: String,
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
    /// Add a separate session even with one booked within 12 hours (which the
    /// visit otherwise completes)
    #[arg(long, conflicts_with = "done")]
    pub another: bool,
    /// Start blank: take nothing from the course's last session
    #[arg(long)]
    pub fresh: bool,
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
    /// Voided sessions too (shown as voided)
    #[arg(long)]
    pub all: bool,
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
    /// Correct one: what is given changes, the rest stays (each change in the trail)
    Edit {
        id: i64,
        #[arg(long)]
        kind: Option<String>,
        #[arg(long, value_parser = clap::value_parser!(u8).range(0..=3))]
        severity: Option<u8>,
        /// The day it was noticed
        #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
        on: Option<String>,
        #[arg(long)]
        notes: Option<String>,
        /// The day it resolved ("open" if it has not)
        #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
        resolved: Option<String>,
    },
    /// Void one recorded in error: it stays on record, marked, with why
    Void {
        id: i64,
        #[arg(long, value_name = "TEXT")]
        reason: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum PhotoCommand {
    /// Keep pictures with a session, or with a course (results day): copied into
    /// the photo store beside the file (JPEG, PNG or WebP; the same picture twice
    /// is kept once)
    Add {
        /// The session's id (needlelog list shows them), then the pictures: PATH,
        /// or AREA=PATH; with --course, the pictures only
        #[arg(required = true, value_name = "SESSION [AREA=]PATH")]
        args: Vec<String>,
        /// Keep them with this course rather than a session (a photo of results day)
        #[arg(long, value_name = "ID")]
        course: Option<i64>,
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
    /// Empty the trash, or only what was deleted longer ago than --older-than.
    /// Voided records stay on a practitioner's file; on one's own file they go
    /// too, for good, once confirmed
    Empty {
        /// e.g. 30d or 4w
        #[arg(long, value_name = "DURATION")]
        older_than: Option<String>,
        /// Do not ask
        #[arg(long)]
        yes: bool,
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

/// `needlelog db …`
#[derive(Debug, Subcommand)]
pub enum DbCommand {
    /// Copy every record and photo from a file into an empty server database, or
    /// from a server into a new file (FROM and TO: a file, or postgresql://USER@HOST/DATABASE)
    Copy {
        /// Where the records are: a needlelog file or a server address
        from: String,
        /// Where they go: an empty server database, or a file that does not exist yet
        to: String,
    },
}
