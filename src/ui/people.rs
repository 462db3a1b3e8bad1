//! People: everyone with their courses, and the Due list across everyone — the
//! practitioner's view.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, List, ListItem, ListState};

use super::level;
use super::theme::Theme;
use crate::app::{App, Pane, PeopleRow};
use crate::domain::CourseStatus;

pub(super) fn draw(frame: &mut Frame, app: &App, theme: &Theme, area: Rect) {
    let [left, right] = if area.width >= 100 {
        Layout::horizontal([Constraint::Percentage(55), Constraint::Percentage(45)]).areas(area)
    } else {
        Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(area)
    };
    draw_people(frame, app, theme, left);
    draw_due(frame, app, theme, right);
}

fn draw_people(frame: &mut Frame, app: &App, theme: &Theme, area: Rect) {
    let rows = &app.people_view.rows;
    let height = |row: &PeopleRow| if matches!(row, PeopleRow::Course(_)) { 2 } else { 1 };
    // Build only the rows that can be seen: a practitioner may have thousands.
    let room = usize::from(area.height.saturating_sub(2)).max(1);
    let selected = app.people_view.selected.min(rows.len().saturating_sub(1));
    let mut first = selected;
    let mut used = rows.get(selected).map_or(0, height);
    while first > 0 && used + height(&rows[first - 1]) <= room {
        first -= 1;
        used += height(&rows[first]);
    }
    let mut items = Vec::new();
    let mut filled = 0;
    for row in rows.iter().skip(first) {
        if filled >= room {
            break;
        }
        filled += height(row);
        items.push(row_item(app, theme, *row));
    }
    let focused = app.people_view.pane == Pane::People;
    // Narrowed by `/`: how many were found, and how many of them by name.
    let found = app.people_view.rows.iter().filter(|r| matches!(r, PeopleRow::Person(_))).count();
    let title = match app.people_view.filter.trim().is_empty() {
        true => format!("People & courses ({})", app.people.len()),
        false => format!("Found {found}, {} by name", app.people_view.found_by_name),
    };
    let title = pane_title(theme, title, focused);
    let list = List::new(items)
        .block(Block::bordered().title(title).border_style(theme.border(focused)))
        .highlight_style(if focused { theme.selected() } else { theme.text() })
        .highlight_symbol("▶ ");
    let mut state = ListState::default().with_selected(Some(selected - first));
    frame.render_stateful_widget(list, area, &mut state);
}

/// A list's title: the list with the keys is marked and bright, the other dim.
fn pane_title(theme: &Theme, title: String, focused: bool) -> Span<'static> {
    if focused {
        Span::styled(format!(" ▸ {title} "), theme.title())
    } else {
        Span::styled(format!(" {title} "), theme.dim())
    }
}

fn row_item(app: &App, theme: &Theme, row: PeopleRow) -> ListItem<'static> {
    match row {
        PeopleRow::Person(id) => {
            let p = app.people.iter().find(|p| p.id == id);
            let name = p.map_or(String::new(), |p| app.shown_name(p));
            let mut spans = vec![Span::styled(name, theme.title())];
            if let Some(skin) = p.and_then(|p| p.skin_type) {
                spans.push(Span::styled(format!(" · type {}", skin.label()), theme.dim()));
            }
            if p.is_some_and(|p| p.archived) {
                spans.push(Span::styled(" (archived)", theme.dim()));
            }
            ListItem::new(Line::from(spans))
        }
        PeopleRow::Course(id) => {
            let Some(c) = app.course_line(id) else { return ListItem::new("") };
            let current = if app.current == Some(id) { "▸ " } else { "  " };
            let name = app.rules.concern_name(c.concern);
            let badge = match c.state {
                Some(state) if c.status == CourseStatus::Active => crate::text::badge(state),
                _ => c.status.key().to_string(),
            };
            let style = if c.status == CourseStatus::Active { theme.badge(level(c.phase)) } else { theme.dim() };
            ListItem::new(vec![
                Line::from(vec![
                    Span::raw(format!(" {current}")),
                    Span::styled(format!("{name} ({})", c.areas.join(", ")), theme.text()),
                ]),
                Line::from(vec![
                    Span::raw("     "),
                    Span::styled(badge, style),
                    Span::styled(format!(" · {}/{} done", c.done.0, c.done.1), theme.dim()),
                ]),
            ])
        }
    }
}

fn draw_due(frame: &mut Frame, app: &App, theme: &Theme, area: Rect) {
    // The entries as listed; a course's line is looked up only for those drawn.
    let view = &app.people_view;
    let due = &view.due;
    let focused = view.pane == Pane::Due;
    let block = Block::bordered()
        .title(pane_title(theme, format!("Due ({})", due.len()), focused))
        .border_style(theme.border(focused));
    if due.is_empty() && view.lapsed == 0 {
        let list =
            List::new(vec![ListItem::new(Line::styled("Nobody is due for a session.", theme.dim()))]).block(block);
        frame.render_widget(list, area);
        return;
    }
    // Group headings between the entries; the selection counts entries only. Only
    // the entries that can show are drawn (a practice may have thousands due): a
    // screenful before the selection, which the list scrolls to, and one after.
    let height = usize::from(area.height.saturating_sub(2));
    let first = view.due_selected.saturating_sub(height);
    let last = view.due_selected.saturating_add(height).min(due.len());
    let mut items: Vec<ListItem> = Vec::new();
    let mut selected_item = None;
    for (i, recall) in due.iter().enumerate().take(last).skip(first) {
        let Some(c) = app.course_line(recall.course_id) else { continue };
        if i == 0 || due[i - 1].group != recall.group {
            let count = due.iter().filter(|r| r.group == recall.group).count();
            items.push(ListItem::new(Line::styled(format!("{} ({count})", recall.group.title()), theme.heading())));
        }
        if i == view.due_selected {
            selected_item = Some(items.len());
        }
        items.push(ListItem::new(vec![
            Line::from(vec![
                Span::styled(app.shown_name(c.person), theme.title()),
                Span::raw(" · "),
                Span::styled(crate::text::recall(recall, &app.zone), theme.badge(level(c.phase))),
            ]),
            Line::styled(format!("  {} ({})", app.rules.concern_name(c.concern), c.areas.join(", ")), theme.dim()),
        ]));
    }
    if view.lapsed > 0 && last == due.len() {
        items.push(ListItem::new(Line::styled(
            format!("Lapsed ({}) · needlelog due lists them", view.lapsed),
            theme.dim(),
        )));
    }
    let list = List::new(items)
        .block(block)
        .highlight_style(if focused { theme.selected() } else { theme.text() })
        .highlight_symbol("▶ ");
    let mut state = ListState::default().with_selected(selected_item);
    frame.render_stateful_widget(list, area, &mut state);
}
