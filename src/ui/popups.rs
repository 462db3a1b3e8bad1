//! Pop-ups over the screen: help, a yes/no question, a form, and the
//! contraindication questions. Each clears its area first.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

use super::centered;
use super::theme::Theme;
use crate::app::form::{FieldKind, Form};
use crate::app::keys::{BINDINGS, Scope};
use crate::app::{App, Overlay};
use crate::domain::CarePhase;
use crate::summary::ChecklistEntry;

pub(super) fn draw(frame: &mut Frame, app: &App, theme: &Theme, area: Rect) {
    match &app.overlay {
        None => {}
        Some(Overlay::Help) => draw_help(frame, theme, area),
        Some(Overlay::Confirm { question, .. }) => draw_confirm(frame, theme, area, question),
        Some(Overlay::Form { form, .. }) => draw_form(frame, theme, area, form),
        Some(Overlay::Checklist { sessions, cursor }) => draw_checklist(frame, app, theme, area, sessions, *cursor),
        Some(Overlay::Contraindications { form, ticked, cursor, .. }) => {
            draw_contraindications(frame, app, theme, area, form, ticked, *cursor)
        }
    }
}

fn framed(frame: &mut Frame, theme: &Theme, area: Rect, title: &str) -> Rect {
    frame.render_widget(Clear, area);
    let block =
        Block::bordered().title(Span::styled(format!(" {title} "), theme.title())).border_style(theme.border(true));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    inner
}

fn draw_help(frame: &mut Frame, theme: &Theme, area: Rect) {
    let popup = centered(area, 78, area.height.saturating_sub(2));
    let inner = framed(frame, theme, popup, "Keys");
    let [keys_area, note_area] = Layout::vertical([Constraint::Fill(1), Constraint::Length(3)]).areas(inner);
    let entry = |key: &str, help: &str| {
        Line::from(vec![Span::styled(format!("{key:<8}"), theme.key()), Span::styled(help.to_string(), theme.text())])
    };
    let sections: [(&str, Scope); 5] = [
        ("Everywhere", Scope::Everywhere),
        ("Today", Scope::On(crate::app::Tab::Today)),
        ("Timeline", Scope::On(crate::app::Tab::Timeline)),
        ("Sessions", Scope::On(crate::app::Tab::Sessions)),
        ("People", Scope::On(crate::app::Tab::People)),
    ];
    let mut lines = Vec::new();
    for (title, scope) in sections {
        lines.push(Line::styled(title, theme.title()));
        lines.extend(
            BINDINGS.iter().filter(|b| b.scope == scope && !b.label.is_empty()).map(|b| entry(b.label, b.help)),
        );
    }
    lines.push(Line::styled("In a form", theme.title()));
    for (key, help) in [("Tab ↑↓", "field"), ("←→", "choose"), ("Enter", "save"), ("Esc", "cancel"), ("Ctrl-C", "quit")]
    {
        lines.push(entry(key, help));
    }
    // Fill columns top to bottom.
    let rows = usize::from(keys_area.height).max(1);
    let columns = lines.len().div_ceil(rows).max(1);
    let areas =
        Layout::horizontal(vec![Constraint::Ratio(1, u32::try_from(columns).unwrap_or(1)); columns]).split(keys_area);
    for (chunk, column) in lines.chunks(rows).zip(areas.iter()) {
        frame.render_widget(Paragraph::new(chunk.to_vec()), *column);
    }
    let note = vec![
        Line::styled(
            "needlelog is a logbook, not medical advice: its numbers are published defaults and your practitioner's word comes first.",
            theme.dim(),
        ),
        Line::styled("Esc closes this.", theme.dim()),
    ];
    frame.render_widget(Paragraph::new(note).wrap(Wrap { trim: true }), note_area);
}

fn draw_confirm(frame: &mut Frame, theme: &Theme, area: Rect, question: &str) {
    let width = u16::try_from(question.chars().count() + 6).unwrap_or(u16::MAX).clamp(30, area.width.saturating_sub(4));
    let popup = centered(area, width, 5);
    let inner = framed(frame, theme, popup, "Are you sure?");
    let lines = vec![
        Line::styled(question.to_string(), theme.text()),
        Line::from(vec![
            Span::styled("y", theme.key()),
            Span::raw(" yes   "),
            Span::styled("n", theme.key()),
            Span::raw("/"),
            Span::styled("Esc", theme.key()),
            Span::raw(" no"),
        ]),
    ];
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), inner);
}

const LABEL_WIDTH: u16 = 12;

fn draw_form(frame: &mut Frame, theme: &Theme, area: Rect, form: &Form) {
    let wanted = u16::try_from(form.fields.len()).unwrap_or(u16::MAX).saturating_add(6);
    let popup = centered(area, 72, wanted.min(area.height.saturating_sub(1)));
    let inner = framed(frame, theme, popup, &form.title);
    let [fields_area, message_area, keys_area] =
        Layout::vertical([Constraint::Fill(1), Constraint::Length(2), Constraint::Length(1)]).areas(inner);

    // Scroll the fields so the focused one is always visible.
    let visible = usize::from(fields_area.height).max(1);
    let first = form.focus.saturating_sub(visible - 1);
    for (row, (i, field)) in form.fields.iter().enumerate().skip(first).take(visible).enumerate() {
        let y = fields_area.y + u16::try_from(row).unwrap_or(0);
        let focused = i == form.focus;
        let mark = if field.error.is_some() {
            Span::styled("✗ ", theme.error())
        } else if field.warning.is_some() {
            Span::styled("! ", theme.warn())
        } else if focused {
            Span::styled("▶ ", theme.key())
        } else {
            Span::raw("  ")
        };
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
                Span::styled(shown, theme.text())
            }
            FieldKind::Picker { .. } => {
                let text = if focused { format!("◀ {} ▶", field.display()) } else { field.display().to_string() };
                Span::styled(text, theme.text())
            }
        };
        frame.render_widget(Paragraph::new(Line::from(vec![mark, label, value])), row_area);
    }

    let focused = form.fields.get(form.focus);
    let message = if form.confirm_discard {
        Line::styled("Discard your changes? y discards, any other key goes back", theme.warn())
    } else if let Some(e) = &form.error {
        Line::styled(format!("✗ {e}"), theme.error())
    } else if let Some(f) = form.fields.iter().find(|f| f.error.is_some()) {
        Line::styled(format!("✗ {}: {}", f.label, f.error.clone().unwrap_or_default()), theme.error())
    } else if let Some(w) = focused.and_then(|f| f.warning.clone()) {
        Line::styled(format!("! {w} (you can still save)"), theme.warn())
    } else {
        Line::styled(focused.map(|f| f.hint.clone()).unwrap_or_default(), theme.dim())
    };
    frame.render_widget(Paragraph::new(message).wrap(Wrap { trim: true }), message_area);
    let keys = Line::from(vec![
        Span::styled("Enter", theme.key()),
        Span::raw(" save · "),
        Span::styled("Tab", theme.key()),
        Span::raw(" next field · "),
        Span::styled("Esc", theme.key()),
        Span::raw(" cancel"),
    ]);
    frame.render_widget(Paragraph::new(keys), keys_area);
}

fn draw_contraindications(
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
    let keys = Line::from(vec![
        Span::styled("Space", theme.key()),
        Span::raw(" tick · "),
        Span::styled("Enter", theme.key()),
        Span::raw(" save the session · "),
        Span::styled("Esc", theme.key()),
        Span::raw(" back to the form"),
    ]);
    frame.render_widget(Paragraph::new(keys), keys_area);
}

/// What a session's checklist is about: `After your session yesterday 10:00 — 46 h
/// of sensitive skin left`.
pub(super) fn checklist_heading(app: &App, entries: &[&ChecklistEntry]) -> String {
    let Some(first) = entries.first() else { return String::new() };
    let when = crate::text::relative(first.session_at, app.now, &app.zone);
    let hours = |until: chrono::DateTime<chrono::Utc>| ((until - app.now).num_minutes() + 59).max(0) / 60;
    match first.item.phase {
        CarePhase::Post => {
            let sensitive_until = first.session_at + chrono::Duration::hours(app.rules.course.sensitive_hours);
            if app.now < sensitive_until {
                format!("After your session {when} — {} h of sensitive skin left", hours(sensitive_until))
            } else {
                let last = entries.iter().map(|e| e.until).max().unwrap_or(first.until);
                format!("After your session {when} — aftercare until {}", crate::text::when_short(last, &app.zone))
            }
        }
        CarePhase::Pre => format!("Before your session {when} — {} h to go", hours(first.session_at)),
    }
}

fn draw_checklist(frame: &mut Frame, app: &App, theme: &Theme, area: Rect, sessions: &[i64], cursor: usize) {
    let entries = app.checklist_entries(sessions);
    let mut lines: Vec<Line> = Vec::new();
    let mut selected_line = 0;
    let mut groups: Vec<i64> = Vec::new();
    for e in &entries {
        if !groups.contains(&e.session_id) {
            groups.push(e.session_id);
        }
    }
    let single = groups.len() == 1;
    let title = if single { checklist_heading(app, &entries) } else { "What applies now".to_string() };
    for session in &groups {
        let group: Vec<&ChecklistEntry> = entries.iter().copied().filter(|e| e.session_id == *session).collect();
        if !single {
            lines.push(Line::styled(checklist_heading(app, &group), theme.title()));
        }
        for e in group {
            let index = entries.iter().position(|x| std::ptr::eq(*x, e)).unwrap_or(0);
            if index == cursor {
                selected_line = lines.len();
            }
            let mark = if e.done { "[x] " } else { "[ ] " };
            let own = if e.item.custom_id().is_some() { " (yours)" } else { "" };
            let style = if index == cursor {
                theme.selected()
            } else if e.done {
                theme.dim()
            } else {
                theme.text()
            };
            // Pre-care items all end at the session (in the title); post-care ones vary.
            let until = match e.item.phase {
                CarePhase::Post => format!("  until {}", crate::text::relative(e.until, app.now, &app.zone)),
                CarePhase::Pre => String::new(),
            };
            lines.push(Line::from(vec![
                Span::styled(format!("{mark}{}{own}", e.item.text), style),
                Span::styled(until, theme.dim()),
            ]));
        }
    }
    let done = entries.iter().filter(|e| e.done).count();
    let height = u16::try_from(lines.len()).unwrap_or(u16::MAX).saturating_add(5);
    let popup = centered(area, 84, height.min(area.height.saturating_sub(1)));
    let inner = framed(frame, theme, popup, &title);
    let [list_area, progress_area, keys_area] =
        Layout::vertical([Constraint::Fill(1), Constraint::Length(1), Constraint::Length(1)]).areas(inner);
    let visible = usize::from(list_area.height).max(1);
    let first = selected_line.saturating_sub(visible - 1);
    let shown: Vec<Line> = lines.into_iter().skip(first).take(visible).collect();
    frame.render_widget(Paragraph::new(shown), list_area);
    let progress = if entries.is_empty() {
        "Nothing applies any more.".to_string()
    } else {
        format!("{done}/{} ticked", entries.len())
    };
    frame.render_widget(Paragraph::new(Line::styled(progress, theme.dim())), progress_area);
    let keys = Line::from(vec![
        Span::styled("Space", theme.key()),
        Span::raw(" tick · "),
        Span::styled("a", theme.key()),
        Span::raw(" add your own · "),
        Span::styled("d", theme.key()),
        Span::raw(" remove yours · "),
        Span::styled("Enter", theme.key()),
        Span::raw(" close"),
    ]);
    frame.render_widget(Paragraph::new(keys), keys_area);
}
