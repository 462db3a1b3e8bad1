//! A form: labelled fields, the focused one marked, errors and warnings beside them.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::{framed, hint_line};
use crate::app::form::{FieldKind, Form};
use crate::app::keys::{FORM_HINTS, FORM_KEYS, hints};
use crate::ui::centered;
use crate::ui::theme::Theme;

const LABEL_WIDTH: u16 = 12;

pub(super) fn draw(frame: &mut Frame, theme: &Theme, area: Rect, form: &Form) {
    let note_height = if form.note.is_some() { 2 } else { 0 };
    let wanted = u16::try_from(form.fields.len()).unwrap_or(u16::MAX).saturating_add(6 + note_height);
    let popup = centered(area, 72, wanted.min(area.height.saturating_sub(1)));
    let inner = framed(frame, theme, popup, &form.title);
    let [fields_area, note_area, message_area, keys_area] = Layout::vertical([
        Constraint::Fill(1),
        Constraint::Length(note_height),
        Constraint::Length(2),
        Constraint::Length(1),
    ])
    .areas(inner);
    if let Some(note) = &form.note {
        frame.render_widget(
            Paragraph::new(Line::styled(note.clone(), theme.warn())).wrap(Wrap { trim: true }),
            note_area,
        );
    }

    // Scroll the fields so the focused one is always visible.
    let visible = usize::from(fields_area.height).max(1);
    let first = form.focus.saturating_sub(visible - 1);
    for (row, (i, field)) in form.fields.iter().enumerate().skip(first).take(visible).enumerate() {
        let y = fields_area.y + u16::try_from(row).unwrap_or(0);
        let focused = i == form.focus;
        // Where you are (▶) and what is wrong (✗) or worth a look (!), side by side.
        let (status, status_style) = if field.error.is_some() {
            ("✗", theme.error())
        } else if field.warning.is_some() {
            ("!", theme.warn())
        } else {
            (" ", theme.text())
        };
        let mark = Line::from(vec![
            Span::styled(if focused { "▶" } else { " " }, theme.key()),
            Span::styled(status, status_style),
        ]);
        let label = Span::styled(
            format!("{:<w$}", field.label, w = usize::from(LABEL_WIDTH)),
            if focused { theme.title() } else { theme.dim() },
        );
        let value_x = fields_area.x + 2 + LABEL_WIDTH;
        let value_width = fields_area.width.saturating_sub(2 + LABEL_WIDTH);
        let row_area = Rect { x: fields_area.x, y, width: fields_area.width, height: 1 };
        let value = match &field.kind {
            FieldKind::Text(input) => {
                let (shown, cursor) = input.visible(usize::from(value_width.saturating_sub(1)));
                if focused && !form.confirm_discard {
                    let x = value_x + u16::try_from(cursor).unwrap_or(0);
                    frame.set_cursor_position(Position { x, y });
                }
                // A value just entered is selected: the first key typed replaces it.
                let selected = focused && form.selected && !shown.is_empty();
                Span::styled(shown, if selected { theme.selected() } else { theme.text() })
            }
            FieldKind::Picker { .. } => {
                let text = if focused { format!("◀ {} ▶", field.display()) } else { field.display().to_string() };
                Span::styled(text, theme.text())
            }
        };
        let mut spans = mark.spans;
        spans.extend([label, value]);
        frame.render_widget(Paragraph::new(Line::from(spans)), row_area);
    }

    let focused = form.fields.get(form.focus);
    let message = if form.confirm_discard {
        Line::styled("Discard your changes? y discards, any other key goes back", theme.warn())
    } else if let Some(e) = &form.error {
        Line::styled(format!("✗ {e}"), theme.error())
    } else if let Some(f) = form.fields.iter().find(|f| f.error.is_some()) {
        Line::styled(format!("✗ {}: {}", f.label, f.error.clone().unwrap_or_default()), theme.error())
    } else if let Some(w) = &form.acknowledged {
        Line::styled(format!("! Enter again saves it as it is — {w}"), theme.warn())
    } else if let Some(w) = focused.and_then(|f| f.warning.clone()) {
        Line::styled(format!("! {w} (you can still save)"), theme.warn())
    } else {
        Line::styled(focused.map(|f| f.hint.clone()).unwrap_or_default(), theme.dim())
    };
    frame.render_widget(Paragraph::new(message).wrap(Wrap { trim: true }), message_area);
    let mut shown = hints(FORM_KEYS, FORM_HINTS);
    shown.extend([("Ctrl-U", "clear"), ("Ctrl-W", "word")]);
    let keys = hint_line(theme, &shown, " · ");
    frame.render_widget(Paragraph::new(keys), keys_area);
}
