//! The terminal and the event loop: draw, wait for a key, a mouse event, a resize
//! or the next tick; look for other processes' writes every second and move the
//! clock on. The terminal is restored on quit, on error and on panic.

use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use crossterm::event::{self, DisableMouseCapture, EnableMouseCapture, Event};
use crossterm::execute;

use crate::app::App;

/// How often the file is checked for writes by other processes.
const EXTERNAL_CHECK: Duration = Duration::from_secs(1);
/// How often the clock moves on (windows and checklists follow it).
const CLOCK_TICK: Duration = Duration::from_secs(30);

/// Takes over the terminal, runs the app until it quits, and gives the terminal
/// back: on quit, on error and on panic.
pub fn run(app: &mut App, clock_offset: chrono::Duration) -> std::io::Result<()> {
    let mut terminal = ratatui::init();
    // ratatui's hook restores the screen; ours also releases the mouse first.
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let _ = execute!(std::io::stdout(), DisableMouseCapture);
        previous(info);
    }));
    let _ = execute!(std::io::stdout(), EnableMouseCapture);
    let result = event_loop(&mut terminal, app, clock_offset);
    let _ = execute!(std::io::stdout(), DisableMouseCapture);
    ratatui::restore();
    result
}

fn event_loop(
    terminal: &mut ratatui::DefaultTerminal,
    app: &mut App,
    clock_offset: chrono::Duration,
) -> std::io::Result<()> {
    let now = || -> DateTime<Utc> { Utc::now() + clock_offset };
    let mut last_check = Instant::now();
    let mut last_tick = Instant::now();
    while !app.quit {
        terminal.draw(|frame| crate::ui::draw(frame, app))?;
        let wait = EXTERNAL_CHECK.saturating_sub(last_check.elapsed());
        if event::poll(wait)? {
            match event::read()? {
                Event::Key(key) => app.handle_key(key),
                Event::Mouse(mouse) => app.handle_mouse(mouse),
                // The next draw uses the new size.
                Event::Resize(..) => {}
                _ => {}
            }
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
    Ok(())
}
