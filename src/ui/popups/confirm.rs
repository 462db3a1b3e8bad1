//! A yes/no question.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};

use super::{framed, hint_line};
use crate::app::keys::{CONFIRM_HINTS, CONFIRM_KEYS, hints};
use crate::ui::centered;
use crate::ui::theme::Theme;

pub(super) fn draw(frame: &mut Frame, theme: &Theme, area: Rect, question: &str) {
    let width = u16::try_from(question.chars().count() + 6).unwrap_or(u16::MAX).clamp(30, area.width.saturating_sub(4));
    let popup = centered(area, width, 5);
    let inner = framed(frame, theme, popup, "Are you sure?");
    let lines = vec![
        Line::styled(question.to_string(), theme.text()),
        hint_line(theme, &hints(CONFIRM_KEYS, CONFIRM_HINTS), "   "),
    ];
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), inner);
}
