//! The checklist of what applies now: tick items, add or remove one's own.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{framed, hint_line};
use crate::app::App;
use crate::app::keys::{CHECKLIST_HINTS, CHECKLIST_KEYS, CHECKLIST_POPPED_HINTS, hints};
use crate::domain::CarePhase;
use crate::domain::time::after_hours;
use crate::summary::ChecklistEntry;
use crate::ui::centered;
use crate::ui::theme::Theme;

/// What a session's checklist is about: `After your session yesterday 10:00 — 46 h
/// of sensitive skin left`.
pub(super) fn checklist_heading(app: &App, entries: &[&ChecklistEntry]) -> String {
    let Some(first) = entries.first() else { return String::new() };
    let when = crate::text::relative(first.session_at, app.now, &app.zone);
    let hours = |until: chrono::DateTime<chrono::Utc>| ((until - app.now).num_minutes() + 59).max(0) / 60;
    let whose = crate::text::whose(app.kind);
    match first.item.phase {
        CarePhase::Post => {
            let sensitive_until = after_hours(first.session_at, app.rules.course.sensitive_hours);
            if app.now < sensitive_until {
                format!("After {whose} session {when} — {} h of sensitive skin left", hours(sensitive_until))
            } else {
                let last = entries.iter().map(|e| e.until).max().unwrap_or(first.until);
                format!("After {whose} session {when} — aftercare until {}", crate::text::when_short(last, &app.zone))
            }
        }
        CarePhase::Pre => {
            format!("Before {whose} session {when} — {} to go", crate::text::countdown(hours(first.session_at)))
        }
    }
}

pub(super) fn draw(
    frame: &mut Frame,
    app: &App,
    theme: &Theme,
    area: Rect,
    sessions: &[i64],
    cursor: usize,
    popped: bool,
) {
    let entries = app.checklist_entries(sessions);
    // The popup's inner width: items wrap to it, never cut.
    let width = usize::from(area.width.min(84).saturating_sub(2)).max(20);
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
            let rows = crate::text::wrap(&format!("{mark}{}{own}", e.item.text), width, 4);
            let last = rows.len() - 1;
            for (i, row) in rows.into_iter().enumerate() {
                let mut spans = vec![Span::styled(row.clone(), style)];
                if i == last && crate::text::width(&row) + crate::text::width(&until) <= width {
                    spans.push(Span::styled(until.clone(), theme.dim()));
                } else if i == last && !until.is_empty() {
                    lines.push(Line::from(spans));
                    spans = vec![Span::styled(format!("    {}", until.trim_start()), theme.dim())];
                }
                lines.push(Line::from(spans));
            }
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
    // Opened by itself, it names only its own keys: every other key is the screen's.
    let shown = if popped { CHECKLIST_POPPED_HINTS } else { CHECKLIST_HINTS };
    let keys = hint_line(theme, &hints(CHECKLIST_KEYS, shown), " · ");
    frame.render_widget(Paragraph::new(keys), keys_area);
}
