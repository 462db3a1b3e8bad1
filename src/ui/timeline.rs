//! Timeline: the current course's sessions and windows in time order, with the
//! present marked and the selected event explained.

use chrono::{DateTime, Utc};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, List, ListItem, ListState, Paragraph, Wrap};

use super::empty_state;
use super::theme::Theme;
use crate::app::App;
use crate::domain::time::Zone;
use crate::domain::timeline::{Event, EventKind};
use crate::text;

/// A symbol per kind, so the list reads without colour.
pub fn symbol(kind: EventKind) -> &'static str {
    match kind {
        EventKind::Done => "●",
        EventKind::Planned => "○",
        EventKind::Cancelled => "✗",
        EventKind::PreCare => "◔",
        EventKind::Sensitive => "▓",
        EventKind::NextWindow => "▭",
        EventKind::Overdue => "!",
        EventKind::Remodeling => "░",
        EventKind::FinalResults => "★",
        EventKind::Maintenance => "↻",
    }
}

/// `Tue 10 Mar 10:00` for moments, `7 Feb – 21 Feb 2026` for windows.
pub fn span_text(e: &Event, zone: &Zone) -> String {
    let day = |t: DateTime<Utc>| t.with_timezone(zone).format("%a %-d %b %Y").to_string();
    match (e.kind, e.to) {
        (EventKind::NextWindow | EventKind::Maintenance | EventKind::Overdue | EventKind::Remodeling, Some(to)) => {
            let last = to - chrono::Duration::seconds(1);
            format!("{} – {}", day(e.from), day(last))
        }
        (EventKind::FinalResults, _) => day(e.from),
        (_, Some(to)) => format!("{} – {}", text::when_short(e.from, zone), text::when_short(to, zone)),
        (_, None) => text::when(e.from, zone),
    }
}

/// The name of an event, with its session number.
pub fn event_name(app: &App, e: &Event) -> String {
    let name = e.kind.mark(app.rules).name.clone();
    match (e.kind, e.number) {
        (EventKind::Done, Some(n)) => format!("{name} {n}"),
        (EventKind::PreCare, _) if e.light => format!("{name} (earlier items)"),
        _ => name,
    }
}

pub fn draw(frame: &mut Frame, app: &App, theme: &Theme, area: Rect) {
    if app.current_summary().is_none() {
        empty_state(
            frame,
            theme,
            area,
            &[
                "No course yet — press n to start one",
                "",
                "The timeline shows a course over time.",
            ],
        );
        return;
    }
    let events = app.timeline_events();
    if events.is_empty() {
        empty_state(
            frame,
            theme,
            area,
            &[
                "Nothing on the timeline yet",
                "",
                "a logs your first session; its windows follow.",
            ],
        );
        return;
    }
    let [list_area, detail_area] = Layout::vertical([Constraint::Fill(1), Constraint::Length(5)]).areas(area);
    let now_index = events.iter().position(|e| e.from > app.now).unwrap_or(events.len());
    let mut items = Vec::new();
    for (i, e) in events.iter().enumerate() {
        if i == now_index {
            items.push(ListItem::new(Line::styled(
                format!("── now · {} ──", text::when(app.now, &app.zone)),
                theme.warn(),
            )));
        }
        let style = if e.light { theme.dim() } else { theme.text() };
        items.push(ListItem::new(Line::from(vec![
            Span::styled(format!("{} ", symbol(e.kind)), theme.key()),
            Span::styled(format!("{:<24} ", event_name(app, e)), style),
            Span::styled(span_text(e, &app.zone), theme.dim()),
        ])));
    }
    if now_index == events.len() {
        items.push(ListItem::new(Line::styled(
            format!("── now · {} ──", text::when(app.now, &app.zone)),
            theme.warn(),
        )));
    }
    let selected = app.timeline_sel.min(events.len() - 1);
    let row = if selected >= now_index { selected + 1 } else { selected };
    let list = List::new(items)
        .block(Block::bordered().title(" Timeline ").border_style(theme.border(true)))
        .highlight_style(theme.selected())
        .highlight_symbol("▶ ");
    let mut state = ListState::default().with_selected(Some(row));
    frame.render_stateful_widget(list, list_area, &mut state);

    let e = &events[selected];
    let lines = vec![
        Line::from(vec![
            Span::styled(format!("{} {}", symbol(e.kind), event_name(app, e)), theme.title()),
            Span::styled(format!("  {}", span_text(e, &app.zone)), theme.text()),
        ]),
        Line::styled(e.kind.mark(app.rules).meaning.clone(), theme.text()),
    ];
    let block = Block::bordered().title(" About ").border_style(theme.border(false));
    frame.render_widget(
        Paragraph::new(lines).wrap(Wrap { trim: true }).block(block),
        detail_area,
    );
}
