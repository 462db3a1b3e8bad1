//! The command line: which file to open, the app or a command, and dispatch to
//! the commands in `records` (people, courses), `sessions` (log, plan, edit, rm,
//! list, check), `status` (status, protocols), `remind` (remind and its --setup),
//! `report` (the one-page course report), `exchange` (export, import), `care`
//! (doctor, backup, restore, trash) and `demo`. `args` and `subcommands` say what
//! the command line takes (clap), `context` what each command works with and how
//! it fails; `present` holds the tables, lines and JSON they share.

mod args;
mod care;
mod context;
mod day;
mod db;
mod demo;
mod diary;
mod events;
mod exchange;
mod photos;
mod present;
mod recalls;
mod records;
mod remind;
mod report;
mod rules;
mod sessions;
mod status;
mod subcommands;

use std::path::PathBuf;

use chrono::{DateTime, Utc};
use clap::CommandFactory;

pub use args::{Cli, Command};
pub use context::{CliError, CliResult, Ctx, Output};
use context::{ask_yes, confirmed};
pub use subcommands::*;

use crate::domain::rules::Rules;
use crate::domain::time::{Zone, parse_when};
use crate::store::Store;
use crate::store::prelude::*;

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
        Some(path) if names_server(&path) => Err(db::not_a_file(&path.to_string_lossy())),
        Some(path) => Ok(path),
        None => default_db_path(),
    }
}

/// Whether `--db` names a PostgreSQL server rather than a file.
fn names_server(path: &std::path::Path) -> bool {
    path.to_str().is_some_and(crate::store::server::is_address)
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
        if names_server(&path) {
            return Ok(Store::open_server(&path.to_string_lossy())?);
        }
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
        store.take_daily_care(now, Zone::Local, cli.keep_backups.unwrap_or_default(), cli.trash_days.unwrap_or(30));
        store.set_login(&login_name());
        // Photos named by path in an older file join the store (doctor lists any left).
        let photos = crate::photos::PhotoStore::beside(store.path());
        if !store.on_server() && store.legacy_photo_paths().is_ok_and(|paths| !paths.is_empty()) {
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

/// The login name this runs as, for the trail when the file names no
/// practitioner: `USER`, else `LOGNAME`; nothing when neither reads as a name.
fn login_name() -> String {
    let name = std::env::var("USER").or_else(|_| std::env::var("LOGNAME")).unwrap_or_default();
    match crate::domain::validate::check_line("a login name", name.trim()) {
        Ok(()) => name.trim().chars().take(64).collect(),
        Err(_) => String::new(),
    }
}

/// Moves photos older files (or imports of them) name by path into the photo
/// store. Cheap when there are none (a partial index); a file that cannot take
/// the write is left for the command itself to report.
fn move_photo_paths(ctx: &mut Ctx) {
    let Some(file) = ctx.store.file_mut() else { return };
    if file.legacy_photo_paths().map_or(true, |paths| paths.is_empty()) {
        return;
    }
    let store = crate::photos::PhotoStore::beside(file.path());
    if let Ok((moved, left)) = crate::photos::move_legacy(file, &store) {
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
    // `--db` naming a server rather than a file.
    let server = cli.db.as_deref().filter(|p| names_server(p)).map(|p| p.to_string_lossy().into_owned());
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
        Command::Db { command: DbCommand::Copy { from, to } } => return db::copy(from, to, cli.json),
        Command::Demo { people, years, seed, out } => {
            let now = resolve_now(cli.now.as_deref())?;
            return demo::demo(rules, now, *people, *years, *seed, out);
        }
        Command::Remind(RemindArgs { setup: Some(target), .. }) => {
            return remind::setup(*target, &db_path(cli.db)?, cli.config.as_deref());
        }
        // A server's own care: what doctor can check there; a copy by hand is a
        // new file, as db copy writes it; the rest are pg_dump's.
        Command::Doctor { fix, salvage: None } if server.is_some() => {
            return db::doctor(server.as_deref().unwrap_or_default(), *fix, cli.json);
        }
        Command::Backup { command: None, output: Some(out) } if server.is_some() => {
            return db::copy(server.as_deref().unwrap_or_default(), &out.to_string_lossy(), cli.json);
        }
        Command::Backup { .. } | Command::Restore { .. } if server.is_some() => {
            return Err(db::no_backup_here(server.as_deref().unwrap_or_default()));
        }
        // A status line for a prompt never creates a file where there is none.
        Command::Status { line: true, .. } if server.is_none() && !db_path(cli.db.clone())?.exists() => {
            return Ok(Output::default());
        }
        // A file to restore may be too damaged to open: it is not opened first.
        Command::Restore { copy, yes } => {
            let now = resolve_now(cli.now.as_deref())?;
            return care::restore(&db_path(cli.db)?, copy, *yes, now);
        }
        _ => {}
    }
    let now = resolve_now(cli.now.as_deref())?;
    let mut store = open_store(cli.db)?;
    // No memory map: its pages would count as this process's memory, a whole
    // file's worth for a command that reads it all (a list of a million sessions).
    store.take_daily_care(now, Zone::Local, cli.keep_backups.unwrap_or_default(), cli.trash_days.unwrap_or(30));
    store.set_clock(now);
    store.set_login(&login_name());
    let kind = store.file_kind()?;
    let kept = crate::kept_calendar::KeptList::of_this_user();
    let keep_backups = cli.keep_backups.unwrap_or_default();
    let mut ctx = Ctx {
        store: Box::new(store),
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
        for line in crate::kept_calendar::refresh(&*ctx.store, list, ctx.rules, ctx.now, &ctx.tz) {
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
        Command::Rm { id, reason, yes } => sessions::remove(ctx, id, reason.as_deref(), yes),
        Command::List(args) => sessions::list(ctx, args),
        Command::Lots { lot } => recalls::lots(ctx, lot.as_deref()),
        Command::Due { within, csv: false, .. } => recalls::due(ctx, &within),
        Command::Due { within, csv: true, output, force } => recalls::due_csv(ctx, &within, output, force),
        Command::Day { date, week } => day::sheet(ctx, date.as_deref(), week),
        Command::Check { item, session, undo } => sessions::check(ctx, &item, session, undo),
        Command::Status { line: false, person, due } => status::status(ctx, person.as_deref(), due),
        Command::Status { line: true, .. } => status::line(ctx),
        Command::Remind(args) => remind::remind(ctx, &args),
        Command::Event(cmd) => events::event(ctx, cmd),
        Command::Diary(args) => diary::diary(ctx, args),
        Command::Init { practitioner, name, .. } => records::init(ctx, practitioner, name.as_deref()),
        Command::Trail { person, session } => records::trail(ctx, person.as_deref(), session),
        Command::Rate { rating, course } => records::rate(ctx, rating, course),
        Command::Report { course, person, format, output, force } => {
            report::report(ctx, course, person.as_deref(), format, output, force)
        }
        Command::Export { stop_keeping: Some(file), .. } => exchange::stop_keeping(ctx, &file),
        Command::Export { format, output, force, keep_current, names, all, .. } => {
            let format = format.unwrap_or(ExportFormat::Json);
            exchange::export(ctx, exchange::ExportOptions { format, output, force, keep_current, names, all })
        }
        Command::Import { file, merge: false, .. } => exchange::import(ctx, &file),
        Command::Import { file, skip_conflicts, as_person, .. } => {
            exchange::merge(ctx, &file, skip_conflicts, as_person.as_deref())
        }
        Command::Doctor { fix, salvage: None } => care::doctor(ctx, fix),
        Command::Doctor { salvage: Some(out), .. } => care::salvage(ctx, &out),
        Command::Backup { command: Some(BackupCommand::List), .. } => care::backup_list(ctx),
        Command::Backup { command: None, output } => care::backup(ctx, output),
        Command::Restore { .. } => Ok(()),
        Command::Trash { command } => care::trash(ctx, command.unwrap_or(TrashCommand::List)),
        Command::Photo { command } => photos::photo(ctx, command),
        Command::Completions { .. }
        | Command::Protocols
        | Command::Demo { .. }
        | Command::Rules(_)
        | Command::Db { .. } => Ok(()),
    }
}
