//! A save met changes made elsewhere to the same fields: each field with the value
//! saved elsewhere and the one typed here, and which will be kept.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::{framed, hint_line};
use crate::app::keys::{CONFLICT_HINTS, CONFLICT_KEYS, hints};
use crate::store::FieldConflict;
use crate::text;
use crate::ui::centered;
use crate::ui::theme::Theme;

pub(super) fn draw(
    frame: &mut Frame,
    theme: &Theme,
    area: Rect,
    conflicts: &[FieldConflict],
    keep_mine: &[bool],
    cursor: usize,
) {
    let height = u16::try_from(conflicts.len() * 2).unwrap_or(u16::MAX).saturating_add(6);
    let popup = centered(area, 76, height.min(area.height.saturating_sub(1)));
    let inner = framed(frame, theme, popup, "Changed elsewhere since you opened this");
    let [list_area, note_area, keys_area] =
        Layout::vertical([Constraint::Fill(1), Constraint::Length(2), Constraint::Length(1)]).areas(inner);
    let width = usize::from(list_area.width).saturating_sub(22).max(8);
    let mut lines = Vec::new();
    for (i, (c, mine)) in conflicts.iter().zip(keep_mine).enumerate() {
        let style = if i == cursor { theme.selected() } else { theme.text() };
        let keep = if *mine { "keep mine  " } else { "keep theirs" };
        lines.push(Line::from(vec![
            Span::styled(format!("{:<10}", c.field), style),
            Span::styled(format!(" {keep}"), theme.key()),
        ]));
        let value = |v: &str| text::abbreviate(&text::printable(v), width);
        lines.push(Line::from(vec![
            Span::styled(format!("  theirs {} ", value(&c.theirs)), if *mine { theme.dim() } else { theme.text() }),
            Span::styled(format!("· mine {}", value(&c.mine)), if *mine { theme.text() } else { theme.dim() }),
        ]));
    }
    let visible = usize::from(list_area.height).max(2);
    let first = (cursor * 2).saturating_sub(visible.saturating_sub(2));
    frame.render_widget(Paragraph::new(lines.into_iter().skip(first).take(visible).collect::<Vec<_>>()), list_area);
    let note = Line::styled(
        "Everything else you changed is kept, and so is what was changed elsewhere in other fields.",
        theme.dim(),
    );
    frame.render_widget(Paragraph::new(note).wrap(Wrap { trim: true }), note_area);
    frame.render_widget(Paragraph::new(hint_line(theme, &hints(CONFLICT_KEYS, CONFLICT_HINTS), " · ")), keys_area);
}
