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

/// Every warning of the form, whole, one per line: each field's (a field may
/// hold several, said apart with "; "), labelled.
fn warnings(form: &Form) -> Vec<String> {
    form.fields
        .iter()
        .filter_map(|f| Some((f.label, f.warning.as_deref()?)))
        .flat_map(|(label, w)| w.split("; ").map(move |one| format!("! {label}: {one}")))
        .collect()
}

/// How many rows `lines` take wrapped to `width`.
fn rows(lines: &[String], width: u16) -> u16 {
    let width = usize::from(width.max(1));
    let n: usize = lines.iter().map(|l| crate::text::width(l).div_ceil(width).max(1)).sum();
    u16::try_from(n).unwrap_or(u16::MAX)
}

pub(super) fn draw(frame: &mut Frame, theme: &Theme, area: Rect, form: &Form) {
    let note_height = if form.note.is_some() { 2 } else { 0 };
    // Every warning is read before saving: the dialog grows to hold them, up to
    // what the screen allows; what is left is counted on the last line.
    let all = warnings(form);
    let quiet = form.confirm_discard || form.error.is_some() || form.fields.iter().any(|f| f.error.is_some());
    let wanted_warnings = if quiet || all.is_empty() { 2 } else { rows(&all, 70).max(2) + 1 };
    let fields = u16::try_from(form.fields.len()).unwrap_or(u16::MAX);
    let wanted = fields.saturating_add(4 + note_height + wanted_warnings);
    let popup = centered(area, 72, wanted.min(area.height.saturating_sub(1)));
    let inner = framed(frame, theme, popup, &form.title);
    // The fields keep at least three rows (they scroll to the focused one).
    let room = inner.height.saturating_sub(note_height + 1 + 3.min(fields));
    let message_height = wanted_warnings.min(room.max(2));
    let [fields_area, note_area, message_area, keys_area] = Layout::vertical([
        Constraint::Fill(1),
        Constraint::Length(note_height),
        Constraint::Length(message_height),
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
    } else if !all.is_empty() {
        // Every warning, whole; then what Enter does with them.
        let head = match &form.acknowledged {
            Some(_) => "Enter again saves it as it is:",
            None => "Worth a look before saving (you can still save):",
        };
        let mut lines = vec![Line::styled(head, theme.warn())];
        let mut used = 1;
        for (i, w) in all.iter().enumerate() {
            let need = rows(std::slice::from_ref(w), message_area.width);
            let last_row = message_area.height.saturating_sub(used);
            if need > last_row || (i + 1 < all.len() && need == last_row) {
                lines
                    .push(Line::styled(format!("… and {} more (on the fields marked !)", all.len() - i), theme.warn()));
                break;
            }
            used += need;
            lines.push(Line::styled(w.clone(), theme.warn()));
        }
        frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), message_area);
        let mut shown = hints(FORM_KEYS, FORM_HINTS);
        shown.extend([("Ctrl-U", "clear"), ("Ctrl-W", "word")]);
        frame.render_widget(Paragraph::new(hint_line(theme, &shown, " · ")), keys_area);
        return;
    } else if let Some(w) = &form.acknowledged {
        Line::styled(format!("! Enter again saves it as it is — {w}"), theme.warn())
    } else {
        Line::styled(focused.map(|f| f.hint.clone()).unwrap_or_default(), theme.dim())
    };
    frame.render_widget(Paragraph::new(message).wrap(Wrap { trim: true }), message_area);
    let mut shown = hints(FORM_KEYS, FORM_HINTS);
    shown.extend([("Ctrl-U", "clear"), ("Ctrl-W", "word")]);
    let keys = hint_line(theme, &shown, " · ");
    frame.render_widget(Paragraph::new(keys), keys_area);
}
