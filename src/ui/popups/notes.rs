//! A session's notes, whole: wrapped to the pop-up, scrolled with ↑↓, shown
//! through the one filter for stored text.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};

use super::{framed, hint_line};
use crate::app::App;
use crate::app::keys::{NOTES_HINTS, NOTES_KEYS, hints};
use crate::ui::centered;
use crate::ui::theme::Theme;

pub(super) fn draw(frame: &mut Frame, app: &App, theme: &Theme, area: Rect, session_id: i64, offset: u16) {
    let Some(session) = app.sessions().into_iter().find(|s| s.id == session_id) else { return };
    let title = format!("Notes · {}", crate::text::when(session.at, &app.zone));
    let popup = centered(area, 76, area.height.saturating_sub(2));
    let inner = framed(frame, theme, popup, &title);
    let [text_area, keys_area] = Layout::vertical([Constraint::Fill(1), Constraint::Length(1)]).areas(inner);
    let lines: Vec<Line> =
        crate::text::for_terminal(&session.notes).lines().map(|l| Line::styled(l.to_string(), theme.text())).collect();
    // Never scrolled past the end: the last rows stay in view.
    let width = usize::from(text_area.width.max(1));
    let rows: usize = lines.iter().map(|l| l.width().div_ceil(width).max(1)).sum();
    let most = u16::try_from(rows.saturating_sub(usize::from(text_area.height))).unwrap_or(u16::MAX);
    let text = Paragraph::new(lines).wrap(Wrap { trim: false }).scroll((offset.min(most), 0));
    frame.render_widget(text, text_area);
    frame.render_widget(Paragraph::new(hint_line(theme, &hints(NOTES_KEYS, NOTES_HINTS), " · ")), keys_area);
}
