//! The contraindication questions asked before a done session is saved: a
//! reminder, never a block.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};

use super::{framed, hint_line};
use crate::app::App;
use crate::app::form::Form;
use crate::app::keys::{SCREENING_HINTS, SCREENING_KEYS, hints};
use crate::ui::centered;
use crate::ui::theme::Theme;

pub(super) fn draw(
    frame: &mut Frame,
    app: &App,
    theme: &Theme,
    area: Rect,
    form: &Form,
    ticked: &[bool],
    cursor: usize,
) {
    let items = &app.rules.contraindications;
    let height = u16::try_from(items.len()).unwrap_or(u16::MAX).saturating_add(7);
    let popup = centered(area, 70, height.min(area.height.saturating_sub(1)));
    let inner = framed(frame, theme, popup, "Before you save: anything of these today?");
    let [list_area, message_area, keys_area] =
        Layout::vertical([Constraint::Fill(1), Constraint::Length(2), Constraint::Length(1)]).areas(inner);
    let mut lines = Vec::new();
    for (i, (item, on)) in items.iter().zip(ticked).enumerate() {
        let mark = if *on { "[x] " } else { "[ ] " };
        let style = if i == cursor { theme.selected() } else { theme.text() };
        lines.push(Line::styled(format!("{mark}{}", item.text), style));
    }
    let visible = usize::from(list_area.height).max(1);
    let first = cursor.saturating_sub(visible - 1);
    let lines: Vec<Line> = lines.into_iter().skip(first).take(visible).collect();
    frame.render_widget(Paragraph::new(lines), list_area);
    let warning = form.fields.iter().find_map(|f| f.warning.clone());
    let message = if ticked.iter().any(|t| *t) {
        Line::styled(
            "! Microneedling may not be right today: talk it over with your provider. Saving is still up to you.",
            theme.warn(),
        )
    } else if let Some(w) = warning {
        Line::styled(format!("! {w}"), theme.warn())
    } else {
        Line::styled("A reminder, not a diagnosis: none of these stop you saving.", theme.dim())
    };
    frame.render_widget(Paragraph::new(message).wrap(Wrap { trim: true }), message_area);
    let keys = hint_line(theme, &hints(SCREENING_KEYS, SCREENING_HINTS), " · ");
    frame.render_widget(Paragraph::new(keys), keys_area);
}
