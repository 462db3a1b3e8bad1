//! A yes/no question, and "did it happen?" about a planned session that passed.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};

use super::{framed, hint_line};
use crate::app::keys::{CONFIRM_HINTS, CONFIRM_KEYS, HAPPENED_HINTS, HAPPENED_KEYS, WHOSE_KEYS, WhoseAction, hints};
use crate::ui::centered;
use crate::ui::theme::Theme;

pub(super) fn draw(frame: &mut Frame, theme: &Theme, area: Rect, question: &str) {
    let hint = hint_line(theme, &hints(CONFIRM_KEYS, CONFIRM_HINTS), "   ");
    ask(frame, theme, area, "Are you sure?", question, hint);
}

pub(super) fn draw_whose_file(frame: &mut Frame, theme: &Theme, area: Rect) {
    let popup = centered(area, 68, 9);
    let inner = framed(frame, theme, popup, "Welcome to needlelog");
    let lines = vec![
        Line::styled("Whose log is this?", theme.title()),
        Line::default(),
        Line::styled("m  my own: one person's course (yours)", theme.text()),
        Line::styled("c  my clients: a practitioner's file — many people, no pop-ups,", theme.text()),
        Line::styled("   calendars with initials (needlelog init changes it later)", theme.text()),
        Line::default(),
        hint_line(theme, &hints(WHOSE_KEYS, &[WhoseAction::Later]), "   "),
    ];
    frame.render_widget(Paragraph::new(lines), inner);
}

pub(super) fn draw_happened(frame: &mut Frame, theme: &Theme, area: Rect, question: &str) {
    let hint = hint_line(theme, &hints(HAPPENED_KEYS, HAPPENED_HINTS), "   ");
    ask(frame, theme, area, "Did it happen?", question, hint);
}

fn ask(frame: &mut Frame, theme: &Theme, area: Rect, title: &str, question: &str, hint: Line<'static>) {
    let longest = question.chars().count().max(hint.width());
    let width = u16::try_from(longest + 6).unwrap_or(u16::MAX).clamp(30, area.width.saturating_sub(4));
    let rows =
        u16::try_from(question.chars().count().div_ceil(usize::from(width.saturating_sub(4).max(1)))).unwrap_or(1);
    let popup = centered(area, width, rows + 3);
    let inner = framed(frame, theme, popup, title);
    let lines = vec![Line::styled(question.to_string(), theme.text()), hint];
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), inner);
}
