//! The find bar of `/`: what is typed, how many match, and its keys. The list
//! above narrows as it changes.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{framed, hint_line};
use crate::app::input::TextInput;
use crate::app::keys::{FIND_HINTS, FIND_KEYS, hints};
use crate::app::{App, PeopleRow, Tab};
use crate::ui::theme::Theme;

pub(super) fn draw(frame: &mut Frame, app: &App, theme: &Theme, area: Rect, input: &TextInput) {
    let height = 4.min(area.height);
    let bar = Rect { y: area.y + area.height.saturating_sub(height), height, ..area };
    let (what, found) = match app.tab {
        Tab::Sessions => ("sessions", app.sessions().len()),
        _ => {
            let people = app.people_view.rows.iter().filter(|r| matches!(r, PeopleRow::Person(_))).count();
            ("people", people)
        }
    };
    let inner = framed(frame, theme, bar, &format!("Find {what}"));
    let (shown, cursor) = input.visible(usize::from(inner.width.saturating_sub(16)));
    let count = if input.value().trim().is_empty() { String::new() } else { format!("   {found} found") };
    let lines = vec![
        Line::from(vec![
            Span::styled("/ ", theme.key()),
            Span::raw(shown),
            Span::styled(count, if found == 0 { theme.error() } else { theme.dim() }),
        ]),
        hint_line(theme, &hints(FIND_KEYS, FIND_HINTS), " · "),
    ];
    frame.render_widget(Paragraph::new(lines), inner);
    let x = inner.x.saturating_add(2).saturating_add(u16::try_from(cursor).unwrap_or(u16::MAX));
    if x < inner.right() {
        frame.set_cursor_position((x, inner.y));
    }
}
