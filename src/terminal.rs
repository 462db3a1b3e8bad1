//! The terminal and the event loop: draw, wait for a key, a paste, a mouse event, a
//! resize or the next tick; look for other processes' writes every second and move
//! the clock on. The terminal is restored on quit, on error, on panic, and when a
//! signal ends the app (SIGTERM, SIGHUP — even when the parent ignored it, as
//! `nohup` does — and SIGINT). Ctrl-Z and SIGTSTP suspend it properly: the
//! terminal is given back first, and taken again and redrawn on SIGCONT.

use std::io;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use crossterm::event::{
    self, DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture, Event,
};
use crossterm::execute;
use crossterm::terminal::{EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode};
use signal_hook::consts::{SIGCONT, SIGHUP, SIGINT, SIGTERM, SIGTSTP};

use crate::app::App;

/// How often the records are checked for writes by other processes or laptops
/// (and signals looked at): often enough that another's write shows within a
/// second, reading included.
const EXTERNAL_CHECK: Duration = Duration::from_millis(500);
/// How often the clock moves on (windows and checklists follow it).
const CLOCK_TICK: Duration = Duration::from_secs(30);
/// How often decoded pictures are looked for while some are on their way.
const PICTURE_CHECK: Duration = Duration::from_millis(15);

/// Signals that arrived since the loop last looked.
struct Signals {
    quit: Arc<AtomicBool>,
    stop: Arc<AtomicBool>,
    resumed: Arc<AtomicBool>,
    /// Set by SIGTERM and SIGHUP, never cleared: the watchdog's cue.
    ending: Arc<AtomicBool>,
}

impl Signals {
    fn register() -> io::Result<Signals> {
        let signals = Signals {
            quit: Arc::new(AtomicBool::new(false)),
            stop: Arc::new(AtomicBool::new(false)),
            resumed: Arc::new(AtomicBool::new(false)),
            ending: Arc::new(AtomicBool::new(false)),
        };
        for signal in [SIGTERM, SIGHUP, SIGINT] {
            signal_hook::flag::register(signal, Arc::clone(&signals.quit))?;
        }
        for signal in [SIGTERM, SIGHUP] {
            signal_hook::flag::register(signal, Arc::clone(&signals.ending))?;
        }
        signal_hook::flag::register(SIGTSTP, Arc::clone(&signals.stop))?;
        signal_hook::flag::register(SIGCONT, Arc::clone(&signals.resumed))?;
        Ok(signals)
    }
}

/// Takes over the terminal, runs the app until it quits, and gives the terminal
/// back: on quit, on error, on panic and on a signal.
pub fn run(app: &mut App, clock_offset: chrono::Duration, graphics: Graphics) -> io::Result<()> {
    let signals = Signals::register()?;
    let finished = watchdog(&signals);
    let mut terminal = ratatui::init();
    // ratatui's hook restores the screen; ours also releases the mouse and paste first.
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let _ = execute!(io::stdout(), DisableMouseCapture, DisableBracketedPaste);
        previous(info);
    }));
    let _ = execute!(io::stdout(), EnableMouseCapture, EnableBracketedPaste);
    if let Some(picker) = graphics_picker(graphics) {
        app.use_picker(picker);
    }
    let result = event_loop(&mut terminal, app, clock_offset, &signals);
    let _ = execute!(io::stdout(), DisableMouseCapture, DisableBracketedPaste);
    ratatui::restore();
    finished.store(true, Ordering::Relaxed);
    result
}

/// Whether to ask the terminal for its own graphics (`NEEDLELOG_GRAPHICS`,
/// `--graphics`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Graphics {
    /// Ask where the terminal is likely to answer (kitty, foot, WezTerm, ghostty,
    /// iTerm2, Warp; never inside tmux).
    #[default]
    Auto,
    /// Always ask.
    Query,
    /// Never ask: half-block characters, which every terminal shows.
    Halfblocks,
}

/// How pictures are drawn: the terminal's own graphics (kitty, sixel, iTerm2)
/// when it says it has them, else the half-block characters every terminal shows
/// (None keeps those). The terminal is asked once, before any key is read, and
/// only where it is likely to answer: a terminal that does not would hold the
/// start up.
fn graphics_picker(graphics: Graphics) -> Option<ratatui_image::picker::Picker> {
    let var = |name: &str| std::env::var(name).unwrap_or_default();
    let ask = match graphics {
        Graphics::Halfblocks => false,
        Graphics::Query => true,
        Graphics::Auto => {
            let term = var("TERM");
            let program = var("TERM_PROGRAM");
            var("TMUX").is_empty()
                && (!var("KITTY_WINDOW_ID").is_empty()
                    || term.contains("kitty")
                    || term.contains("foot")
                    || term.contains("wezterm")
                    || term.contains("ghostty")
                    || ["iTerm.app", "WezTerm", "ghostty", "WarpTerminal"].contains(&program.as_str()))
        }
    };
    if !ask {
        return None;
    }
    ratatui_image::picker::Picker::from_query_stdio().ok()
}

/// How long the loop has to end after a hang-up or SIGTERM before the watchdog ends
/// the process itself.
const GRACE: Duration = Duration::from_secs(2);

/// A thread that makes sure the app ends when its terminal is gone: a closed
/// terminal (the window closed, the line hung up) can leave the terminal library
/// reading end-of-file for ever instead of returning, and then no flag is looked
/// at. When the terminal has hung up, or SIGTERM/SIGHUP came, and the loop has not
/// ended within [`GRACE`], the process exits. Every write is one transaction, so
/// the file stays sound (as after a kill). Returns the flag that says the loop ended.
fn watchdog(signals: &Signals) -> Arc<AtomicBool> {
    let finished = Arc::new(AtomicBool::new(false));
    let (done, ending, quit) = (Arc::clone(&finished), Arc::clone(&signals.ending), Arc::clone(&signals.quit));
    std::thread::spawn(move || {
        let mut since: Option<Instant> = None;
        while !done.load(Ordering::Relaxed) {
            std::thread::sleep(Duration::from_millis(200));
            if since.is_none() && (ending.load(Ordering::Relaxed) || terminal_hung_up()) {
                quit.store(true, Ordering::Relaxed);
                since = Some(Instant::now());
            }
            if since.is_some_and(|t| t.elapsed() > GRACE) && !done.load(Ordering::Relaxed) {
                std::process::exit(129);
            }
        }
    });
    finished
}

/// Has the allocator give large blocks (the lists of thousands of courses and
/// people) their own mappings, returned to the system when freed. Left to itself,
/// glibc raises that threshold each time such a block is freed and keeps later
/// ones in its heap, where what a reload frees stays counted against the app
/// (3 MB of 37 at a million sessions). For the app, which runs for hours.
pub fn return_large_blocks() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: sets one allocator parameter, before any threads start; no pointers.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 256 * 1024);
    }
}

/// True when the terminal on standard input has hung up (its window is closed).
fn terminal_hung_up() -> bool {
    let mut fd = libc::pollfd { fd: 0, events: 0, revents: 0 };
    // SAFETY: one valid pollfd, a zero timeout; poll only writes `revents`.
    let ready = unsafe { libc::poll(&mut fd, 1, 0) };
    ready > 0 && fd.revents & (libc::POLLHUP | libc::POLLERR | libc::POLLNVAL) != 0
}

fn event_loop(
    terminal: &mut ratatui::DefaultTerminal,
    app: &mut App,
    clock_offset: chrono::Duration,
    signals: &Signals,
) -> io::Result<()> {
    let now = || -> DateTime<Utc> { Utc::now() + clock_offset };
    let mut last_check = Instant::now();
    let mut last_tick = Instant::now();
    loop {
        if signals.quit.swap(false, Ordering::Relaxed) {
            app.quit = true;
        }
        if app.quit {
            return Ok(());
        }
        if signals.stop.swap(false, Ordering::Relaxed) || std::mem::take(&mut app.suspend) {
            suspend(terminal, signals)?;
        } else if signals.resumed.swap(false, Ordering::Relaxed) {
            // Stopped from outside (SIGSTOP) and continued: take the terminal again.
            take_back(terminal)?;
        }
        let size = terminal.draw(|frame| crate::ui::draw(frame, app))?.area;
        app.too_small = crate::ui::too_small(size);
        // The first frame is on screen: now every list, before any key.
        if app.is_opening() {
            app.finish_opening();
            continue;
        }
        let mut wait = EXTERNAL_CHECK.saturating_sub(last_check.elapsed());
        // Pictures are decoded on other threads: look for them often while any are due.
        if app.pictures_pending() || app.photo_check_pending() {
            wait = wait.min(PICTURE_CHECK);
        }
        if app.take_pictures() || app.take_photo_check() {
            continue;
        }
        match event::poll(wait) {
            Ok(true) => match event::read() {
                Ok(Event::Key(key)) => app.handle_key(key),
                Ok(Event::Paste(text)) => app.handle_paste(&text),
                Ok(Event::Mouse(mouse)) => app.handle_mouse(mouse),
                // The next draw uses the new size.
                Ok(_) => {}
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                // The terminal is gone (closed window, hung-up line): end cleanly.
                Err(e) => return Err(e),
            },
            Ok(false) => {}
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
        if last_tick.elapsed() >= CLOCK_TICK {
            last_tick = Instant::now();
            last_check = Instant::now();
            app.set_now(now());
        } else if last_check.elapsed() >= EXTERNAL_CHECK {
            last_check = Instant::now();
            app.check_external_changes();
        }
    }
}

/// Gives the terminal back, stops the process, and takes the terminal again
/// when the shell continues it.
fn suspend(terminal: &mut ratatui::DefaultTerminal, signals: &Signals) -> io::Result<()> {
    let _ = execute!(io::stdout(), DisableMouseCapture, DisableBracketedPaste, LeaveAlternateScreen);
    let _ = disable_raw_mode();
    // SIGSTOP cannot be caught: the process stops here until SIGCONT.
    signal_hook::low_level::raise(signal_hook::consts::SIGSTOP)?;
    signals.resumed.store(false, Ordering::Relaxed);
    take_back(terminal)
}

/// Raw mode, the alternate screen, mouse and paste again, and a full redraw.
fn take_back(terminal: &mut ratatui::DefaultTerminal) -> io::Result<()> {
    enable_raw_mode()?;
    execute!(io::stdout(), EnterAlternateScreen, EnableMouseCapture, EnableBracketedPaste)?;
    terminal.clear()
}
