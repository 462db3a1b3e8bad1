//! What every command works with: the open file, the time it runs at, the rules,
//! and what it has to say (`Ctx`); how it fails (`CliError`, and its exit code);
//! and asking yes or no.

use chrono::{DateTime, Utc};

use crate::domain::rules::Rules;
use crate::domain::time::{TimeError, Zone, parse_when};
use crate::store::{Records, Store, StoreError};

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

/// Where an answer of any length goes as it is made: straight to the sink (the
/// binary's standard output) when there is one and nothing was said before it,
/// else onto what is said. Data passes byte for byte; text is shown safely (see
/// `text::for_terminal`). A reader that went away (`| head`) ends the writing,
/// not the command.
pub(super) struct Stream<'a> {
    to: StreamTo<'a>,
    exact: bool,
    closed: bool,
}

enum StreamTo<'a> {
    Sink(std::io::BufWriter<&'a mut Box<dyn std::io::Write>>),
    Said(&'a mut String),
}

impl<'a> Stream<'a> {
    /// Takes the context's sink and output apart from the rest, so the records
    /// can be read while it writes.
    pub(super) fn new(sink: &'a mut Option<Box<dyn std::io::Write>>, out: &'a mut Output, exact: bool) -> Stream<'a> {
        let to = match sink {
            Some(sink) if out.stdout.is_empty() => StreamTo::Sink(std::io::BufWriter::with_capacity(64 * 1024, sink)),
            _ => {
                out.exact |= exact;
                StreamTo::Said(&mut out.stdout)
            }
        };
        Stream { to, exact, closed: false }
    }

    /// Whether writing goes on: `Break` once the reader went away.
    pub(super) fn flow(&self) -> crate::store::Flow {
        match self.closed {
            true => crate::store::Flow::Break(()),
            false => crate::store::Flow::Continue(()),
        }
    }

    pub(super) fn write(&mut self, text: &str) {
        use std::io::Write;
        match &mut self.to {
            StreamTo::Said(said) => said.push_str(text),
            StreamTo::Sink(_) if self.closed => {}
            StreamTo::Sink(sink) => {
                let shown = match self.exact {
                    true => std::borrow::Cow::Borrowed(text),
                    false => crate::text::for_terminal(text),
                };
                self.closed = sink.write_all(shown.as_bytes()).is_err();
            }
        }
    }
}

/// Data written through a stream as any writer writes it (an export).
impl std::io::Write for Stream<'_> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        match &mut self.to {
            StreamTo::Said(said) => said.push_str(&String::from_utf8_lossy(bytes)),
            StreamTo::Sink(_) if self.closed => {}
            StreamTo::Sink(sink) => self.closed = sink.write_all(bytes).is_err(),
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match &mut self.to {
            StreamTo::Sink(sink) => sink.flush(),
            StreamTo::Said(_) => Ok(()),
        }
    }
}

impl Drop for Stream<'_> {
    fn drop(&mut self) {
        if let StreamTo::Sink(sink) = &mut self.to {
            let _ = std::io::Write::flush(sink);
        }
    }
}

/// What a command that cares for the file says when the records are not in one.
fn not_a_file() -> CliError {
    CliError::Usage("this command works on a needlelog file, and these records are not kept in one".into())
}

/// The state a command runs in.
pub struct Ctx {
    pub store: Box<dyn Records>,
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
    /// The SQLite file behind the records, for the commands that care for the
    /// file itself (doctor, backups, restore, photos kept beside it).
    pub(super) fn file(&self) -> CliResult<&Store> {
        self.store.file().ok_or_else(not_a_file)
    }

    /// [`Ctx::file`], to change it.
    pub(super) fn file_mut(&mut self) -> CliResult<&mut Store> {
        self.store.file_mut().ok_or_else(not_a_file)
    }

    pub(super) fn say(&mut self, line: impl AsRef<str>) {
        self.out.stdout.push_str(line.as_ref());
        self.out.stdout.push('\n');
    }

    /// Says the line `parts` make, each written once into the output.
    pub(super) fn say_parts(&mut self, parts: &[&str]) {
        parts.iter().for_each(|part| self.out.stdout.push_str(part));
        self.out.stdout.push('\n');
    }

    /// Room for `bytes` more of output: a list of thousands of lines is not
    /// copied each time the output outgrows its room.
    pub(super) fn room_for(&mut self, bytes: usize) {
        self.out.stdout.reserve(bytes);
    }

    pub(super) fn warn(&mut self, line: impl Into<String>) {
        self.out.warnings.push(line.into());
    }

    pub(super) fn print_json(&mut self, value: &impl serde::Serialize) {
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
    pub(super) fn person_named(&self, name: &str) -> CliResult<crate::domain::Person> {
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
    pub(super) fn person_found(&self, typed: &str) -> CliResult<crate::domain::Person> {
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
                    many.iter().filter(|o| crate::find::folded(&o.name) == crate::find::folded(&p.name)).count() > 1
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
    pub(super) fn when(&mut self, input: &str) -> CliResult<DateTime<Utc>> {
        let at = parse_when(input, self.now, &self.tz)?;
        if let Some(note) = crate::text::twice_note(at, input, &self.tz) {
            self.warn(note);
        }
        Ok(at)
    }
}

/// True when the user said yes (or `--yes` was given). No answers "Kept it.";
/// with no terminal to ask, `--yes` is needed to `what` (exit 2).
pub(super) fn confirmed(ctx: &mut Ctx, yes: bool, question: &str, what: &str) -> CliResult<bool> {
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
pub(super) fn ask_yes(question: &str) -> Option<bool> {
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
