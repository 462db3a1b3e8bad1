//! Drawing: a pure function of the app's state. Header (person ▸ course, date,
//! phase badge), tabs, the current screen, the footer of keys, then any pop-up.

mod people;
mod photos;
mod popups;
mod sessions;
pub mod theme;
mod timeline;
mod today;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Wrap};

use self::theme::{Level, Theme};
use crate::app::App;
use crate::app::keys::{self, Tab};
use crate::domain::windows::Phase;

/// The smallest terminal the layout is drawn for.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 18;

pub fn draw(frame: &mut Frame, app: &App) {
    let area = frame.area();
    let theme = Theme::new(app.color);
    frame.render_widget(Clear, area);
    if too_small(area) {
        let message = format!("window too small (needs {MIN_WIDTH}×{MIN_HEIGHT}): make it larger");
        let y = area.height / 2;
        let line = Rect { x: area.x, y: area.y + y, width: area.width, height: 1.min(area.height) };
        frame.render_widget(Paragraph::new(message).centered().wrap(Wrap { trim: true }), line);
        return;
    }
    // A message longer than the line takes the rows it needs (up to three),
    // wrapped, rather than being cut.
    let footer_rows = app.flash.as_ref().map_or(1, |f| {
        let width = usize::from(area.width.max(1));
        u16::try_from((crate::text::width(&f.text) + 3).div_ceil(width).clamp(1, 3)).unwrap_or(1)
    });
    let [header, tabs, body, footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Fill(1),
        Constraint::Length(footer_rows),
    ])
    .areas(area);
    draw_header(frame, app, &theme, header);
    draw_tabs(frame, app, &theme, tabs);
    match app.tab {
        Tab::Today => today::draw(frame, app, &theme, body),
        Tab::Timeline => timeline::draw(frame, app, &theme, body),
        Tab::Sessions => sessions::draw(frame, app, &theme, body),
        Tab::People => people::draw(frame, app, &theme, body),
        Tab::Photos => photos::draw(frame, app, &theme, body),
    }
    draw_footer(frame, app, &theme, footer);
    popups::draw(frame, app, &theme, area);
}

fn draw_header(frame: &mut Frame, app: &App, theme: &Theme, area: Rect) {
    let date = app.now.with_timezone(&app.zone).format("%a %-d %b %Y").to_string();
    let (title, badge) = match app.current_summary() {
        Some(s) => {
            // Whose course, and which of theirs when they have had several.
            let which = match app.course_place {
                Some((n, of)) if of > 1 => format!(" · course {n} of {of}"),
                _ => String::new(),
            };
            let badge = (format!("[{}]", crate::text::badge(&s.state)), level(&s.state.phase));
            (format!("{}{which}", s.title_for(&app.shown_name(&s.person), app.rules)), Some(badge))
        }
        None => ("no course yet".to_string(), None),
    };
    let mut right = Vec::new();
    if app.away {
        right.push(Span::styled(" ✗ server away: read-only", theme.error()));
        right.push(Span::raw("  "));
    }
    right.push(Span::styled(date, theme.text()));
    if let Some((text, lvl)) = badge {
        right.push(Span::raw("  "));
        right.push(Span::styled(text, theme.badge(lvl)));
    }
    let right = Line::from(right);
    let right_width = u16::try_from(right.width()).unwrap_or(u16::MAX).min(area.width);
    let [left_area, right_area] =
        Layout::horizontal([Constraint::Fill(1), Constraint::Length(right_width + 1)]).areas(area);
    let brand = if area.width >= 100 { " needlelog  " } else { " " };
    let left = Line::from(vec![Span::styled(brand, theme.title()), Span::styled(title, theme.text())]);
    frame.render_widget(Paragraph::new(left), left_area);
    frame.render_widget(Paragraph::new(right).right_aligned(), right_area);
}

fn draw_tabs(frame: &mut Frame, app: &App, theme: &Theme, area: Rect) {
    let mut spans = vec![Span::raw(" ")];
    for (i, (tab, label, ..)) in keys::tab_spans().into_iter().enumerate() {
        if i > 0 {
            spans.push(Span::styled("│", theme.dim()));
        }
        let style = if tab == app.tab { theme.tab_active() } else { theme.dim() };
        spans.push(Span::styled(label, style));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

fn draw_footer(frame: &mut Frame, app: &App, theme: &Theme, area: Rect) {
    if let Some(flash) = &app.flash {
        let (mark, style) = match (flash.error, flash.done) {
            (true, _) => ("✗ ", theme.error()),
            (false, true) => ("✓ ", theme.good()),
            (false, false) => ("", theme.text()),
        };
        frame.render_widget(
            Paragraph::new(Line::from(vec![Span::styled(format!(" {mark}{}", flash.text), style)]))
                .wrap(Wrap { trim: false }),
            area,
        );
        return;
    }
    // Drop the screen's own keys from the end until the line fits; help and quit stay.
    let mut entries = keys::footer(app.tab);
    let width = |entries: &[(&str, &str)]| {
        entries.iter().map(|(k, h)| k.chars().count() + h.chars().count() + 4).sum::<usize>()
    };
    while entries.len() > 2 && width(&entries) > usize::from(area.width) {
        entries.remove(entries.len() - 3);
    }
    let mut spans = vec![Span::raw(" ")];
    for (i, (key, help)) in entries.into_iter().enumerate() {
        if i > 0 {
            spans.push(Span::styled(" · ", theme.dim()));
        }
        spans.push(Span::styled(key, theme.key()));
        spans.push(Span::raw(format!(" {help}")));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// Whether `area` is below the smallest size the screens are drawn at.
pub fn too_small(area: Rect) -> bool {
    area.width < MIN_WIDTH || area.height < MIN_HEIGHT
}

/// How much a phase asks of the user.
pub fn level(phase: &Phase) -> Level {
    match phase {
        Phase::Overdue { .. } => Level::Alert,
        Phase::MaintenanceDue { late, .. } if *late > 0 => Level::Alert,
        Phase::Due { .. } | Phase::MaintenanceDue { .. } | Phase::PreCare { .. } | Phase::Sensitive { .. } => {
            Level::Act
        }
        _ => Level::Calm,
    }
}

/// A rectangle of at most `width`×`height` in the middle of `area`.
pub fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let width = width.min(area.width);
    let height = height.min(area.height);
    Rect { x: area.x + (area.width - width) / 2, y: area.y + (area.height - height) / 2, width, height }
}

/// A screen with nothing to show yet, and the key that leads on.
fn empty_state(frame: &mut Frame, theme: &Theme, area: Rect, lines: &[&str]) {
    let text: Vec<Line> = lines
        .iter()
        .enumerate()
        .map(|(i, l)| if i == 0 { Line::styled(*l, theme.title()) } else { Line::styled(*l, theme.text()) })
        .collect();
    let height = u16::try_from(text.len()).unwrap_or(1);
    let box_area = centered(area, area.width.saturating_sub(4), height);
    frame.render_widget(Paragraph::new(text).centered().wrap(Wrap { trim: true }), box_area);
}
