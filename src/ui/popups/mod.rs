//! Pop-ups over the screen, one file each: help, a yes/no question, a form, the
//! contraindication questions and the checklist. Each clears its area and draws
//! its frame with [`framed`]; hint lines come from the pop-up's key table.

mod card;
mod checklist;
mod confirm;
mod conflict;
mod day;
mod find;
mod form;
mod help;
mod notes;
mod screening;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear};

use super::theme::Theme;
use crate::app::{App, Overlay};

pub(super) fn draw(frame: &mut Frame, app: &App, theme: &Theme, area: Rect) {
    match &app.overlay {
        None => {}
        Some(Overlay::Help { first }) => help::draw(frame, theme, area, app.rules.own.is_some(), *first),
        Some(Overlay::Find { input }) => find::draw(frame, app, theme, area, input),
        Some(Overlay::Day(sheet)) => day::draw(frame, app, theme, area, sheet),
        Some(Overlay::Notes { session_id, offset }) => notes::draw(frame, app, theme, area, *session_id, *offset),
        Some(Overlay::Card(card)) => card::draw(frame, app, theme, area, card),
        Some(Overlay::Confirm { question, .. }) => confirm::draw(frame, theme, area, question),
        Some(Overlay::Happened { question, .. }) => confirm::draw_happened(frame, theme, area, question),
        Some(Overlay::WhoseFile) => confirm::draw_whose_file(frame, theme, area),
        Some(Overlay::Form { form, .. }) => form::draw(frame, theme, area, form),
        Some(Overlay::Checklist { sessions, cursor, popped }) => {
            checklist::draw(frame, app, theme, area, sessions, *cursor, *popped)
        }
        Some(Overlay::Contraindications { form, ticked, cursor, .. }) => {
            screening::draw(frame, app, theme, area, form, ticked, *cursor)
        }
        Some(Overlay::Conflict { conflicts, keep_mine, cursor, .. }) => {
            conflict::draw(frame, theme, area, conflicts, keep_mine, *cursor)
        }
    }
}

/// Clears `area`, draws a titled frame on it and returns what is inside.
fn framed(frame: &mut Frame, theme: &Theme, area: Rect, title: &str) -> Rect {
    frame.render_widget(Clear, area);
    let block =
        Block::bordered().title(Span::styled(format!(" {title} "), theme.title())).border_style(theme.border(true));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    inner
}

/// `Enter save · Tab next field`: keys and what they do, from a key table.
fn hint_line(theme: &Theme, hints: &[(&'static str, &'static str)], separator: &'static str) -> Line<'static> {
    let mut spans = Vec::new();
    for (i, (key, help)) in hints.iter().enumerate() {
        if i > 0 {
            spans.push(Span::raw(separator));
        }
        spans.push(Span::styled(*key, theme.key()));
        spans.push(Span::raw(format!(" {help}")));
    }
    Line::from(spans)
}
