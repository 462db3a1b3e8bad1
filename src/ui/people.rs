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

pub fn draw(frame: &mut Frame, app: &App, theme: &Theme, area: Rect) {
    let [left, right] = if area.width >= 100 {
        Layout::horizontal([Constraint::Percentage(55), Constraint::Percentage(45)]).areas(area)
    } else {
        Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(area)
    };
    draw_people(frame, app, theme, left);
    draw_due(frame, app, theme, right);
}

fn draw_people(frame: &mut Frame, app: &App, theme: &Theme, area: Rect) {
    let items: Vec<ListItem> = app
        .people_rows()
        .into_iter()
        .map(|row| match row {
            PeopleRow::Person(id) => {
                let p = app.people.iter().find(|p| p.id == id);
                let name = p.map_or(String::new(), |p| p.name.clone());
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
                let Some(c) = app.courses.iter().find(|c| c.course.id == id) else {
                    return ListItem::new("");
                };
                let current = if app.current == Some(id) { "▸ " } else { "  " };
                let name = app.rules.concern_name(&c.course.concern);
                let badge = if c.course.status == CourseStatus::Active {
                    c.state.badge()
                } else {
                    c.course.status.key().to_string()
                };
                let style = if c.course.status == CourseStatus::Active {
                    theme.badge(level(&c.state.phase))
                } else {
                    theme.dim()
                };
                ListItem::new(vec![
                    Line::from(vec![
                        Span::raw(format!(" {current}")),
                        Span::styled(format!("{name} ({})", c.course.areas.join(", ")), theme.text()),
                    ]),
                    Line::from(vec![
                        Span::raw("     "),
                        Span::styled(badge, style),
                        Span::styled(
                            format!(" · {}/{} done", c.state.sessions_done, c.state.sessions_target),
                            theme.dim(),
                        ),
                    ]),
                ])
            }
        })
        .collect();
    let focused = app.pane == Pane::People;
    let list = List::new(items)
        .block(Block::bordered().title(" People & courses ").border_style(theme.border(focused)))
        .highlight_style(if focused { theme.selected() } else { theme.text() })
        .highlight_symbol("▶ ");
    let mut state = ListState::default().with_selected(Some(app.people_sel));
    frame.render_stateful_widget(list, area, &mut state);
}

fn draw_due(frame: &mut Frame, app: &App, theme: &Theme, area: Rect) {
    let due = app.due_list();
    let focused = app.pane == Pane::Due;
    let block = Block::bordered().title(format!(" Due ({}) ", due.len())).border_style(theme.border(focused));
    if due.is_empty() {
        let list =
            List::new(vec![ListItem::new(Line::styled("Nobody is due for a session.", theme.dim()))]).block(block);
        frame.render_widget(list, area);
        return;
    }
    let items: Vec<ListItem> = due
        .iter()
        .map(|c| {
            ListItem::new(vec![
                Line::from(vec![
                    Span::styled(c.person.name.clone(), theme.title()),
                    Span::raw(" · "),
                    Span::styled(c.state.badge(), theme.badge(level(&c.state.phase))),
                ]),
                Line::styled(
                    format!("  {} ({})", app.rules.concern_name(&c.course.concern), c.course.areas.join(", ")),
                    theme.dim(),
                ),
            ])
        })
        .collect();
    let list = List::new(items)
        .block(block)
        .highlight_style(if focused { theme.selected() } else { theme.text() })
        .highlight_symbol("▶ ");
    let mut state = ListState::default().with_selected(Some(app.due_sel));
    frame.render_stateful_widget(list, area, &mut state);
}
