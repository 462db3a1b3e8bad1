//! Sessions: the current course's sessions, newest first, and the selected one
//! in full.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Cell, Paragraph, Row, Table, TableState, Wrap};

use super::empty_state;
use super::theme::Theme;
use crate::app::App;
use crate::domain::{Session, SessionStatus};
use crate::text;

/// A status as a symbol and a word, readable without colour.
pub(super) fn status_mark(status: SessionStatus) -> &'static str {
    match status {
        SessionStatus::Done => "✓ done",
        SessionStatus::Planned => "○ planned",
        SessionStatus::Cancelled => "✗ cancelled",
        SessionStatus::Voided => "⊘ voided",
    }
}

pub(super) fn draw(frame: &mut Frame, app: &App, theme: &Theme, area: Rect) {
    if app.current_summary().is_none() {
        empty_state(frame, theme, area, &["No course yet — press n to start one", "", "Sessions belong to a course."]);
        return;
    }
    let sessions = app.sessions();
    if sessions.is_empty() {
        empty_state(
            frame,
            theme,
            area,
            &["No sessions in this course yet", "", "a logs a session you had · p plans the next one"],
        );
        return;
    }
    let (list_area, detail_area) = if area.width >= 120 {
        let [l, d] = Layout::horizontal([Constraint::Fill(1), Constraint::Length(44)]).areas(area);
        (l, d)
    } else {
        let [l, d] = Layout::vertical([Constraint::Fill(1), Constraint::Length(9)]).areas(area);
        (l, d)
    };
    draw_table(frame, app, &sessions, theme, list_area);
    if let Some(s) = sessions.get(app.sessions_view.selected) {
        draw_detail(frame, app, s, theme, detail_area);
    }
}

fn draw_table(frame: &mut Frame, app: &App, sessions: &[&Session], theme: &Theme, area: Rect) {
    let wide = area.width >= 100;
    let mut header = vec!["When", "Status", "Depth mm"];
    if wide {
        header.extend(["Device", "Passes", "Serum"]);
    }
    header.extend(["Pain", "Redness", "Skin", "Notes"]);
    let dash = |v: Option<String>| v.unwrap_or_else(|| "–".into());
    let rows: Vec<Row> = sessions
        .iter()
        .map(|s| {
            let mut cells = vec![
                Cell::from(s.at.with_timezone(&app.zone).format("%-d %b %y %H:%M").to_string()),
                Cell::from(status_mark(s.status)),
                Cell::from(if s.depths().is_empty() {
                    "–".to_string()
                } else if wide {
                    s.depths_text(" ")
                } else {
                    s.depths_brief()
                }),
            ];
            if wide {
                cells.push(Cell::from(s.device.key()));
                cells.push(Cell::from(dash(s.passes.map(|p| p.to_string()))));
                cells.push(Cell::from(text::abbreviate(s.serum.as_deref().unwrap_or("–"), 16)));
            }
            cells.extend([
                Cell::from(dash(s.pain.map(|p| p.to_string()))),
                Cell::from(dash(s.reaction.map(|r| r.key().to_string()))),
                Cell::from(dash(s.rating.map(|r| r.to_string()))),
                Cell::from(text::abbreviate(&s.notes, 40)),
            ]);
            let style = match s.status {
                SessionStatus::Done => theme.text(),
                // Kept on record, counted nowhere: struck through.
                SessionStatus::Voided => theme.dim().add_modifier(ratatui::style::Modifier::CROSSED_OUT),
                SessionStatus::Planned | SessionStatus::Cancelled => theme.dim(),
            };
            Row::new(cells).style(style)
        })
        .collect();
    let mut widths =
        vec![Constraint::Length(15), Constraint::Length(11), Constraint::Length(if wide { 26 } else { 14 })];
    if wide {
        widths.extend([Constraint::Length(6), Constraint::Length(6), Constraint::Length(16)]);
    }
    widths.extend([Constraint::Length(4), Constraint::Length(8), Constraint::Length(4), Constraint::Fill(1)]);
    let title = format!(" Sessions ({}) ", sessions.len());
    let table = Table::new(rows, widths)
        .header(Row::new(header).style(theme.title()))
        .block(Block::bordered().title(title).border_style(theme.border(true)))
        .row_highlight_style(theme.selected())
        .highlight_symbol("▶ ");
    let mut state = TableState::default().with_selected(Some(app.sessions_view.selected));
    frame.render_stateful_widget(table, area, &mut state);
}

/// How much of a session's notes the details show.
const NOTES_SHOWN: usize = 600;

fn draw_detail(frame: &mut Frame, app: &App, s: &Session, theme: &Theme, area: Rect) {
    let row = |label: &str, value: String| {
        Line::from(vec![Span::styled(format!("{label:<9}"), theme.dim()), Span::styled(value, theme.text())])
    };
    let opt = |v: &Option<String>| v.clone().unwrap_or_else(|| "–".into());
    let passes = s.passes.map_or(String::new(), |p| format!(", {p} passes"));
    let mut lines = vec![
        Line::from(vec![
            Span::styled(text::when(s.at, &app.zone), theme.title()),
            Span::styled(
                format!(
                    " · {} · {}{}{passes}",
                    status_mark(s.status),
                    s.device,
                    s.device_model.as_deref().map(|m| format!(" ({m})")).unwrap_or_default()
                ),
                theme.text(),
            ),
        ]),
        row("Depth", if s.depths().is_empty() { "–".into() } else { format!("{} mm", s.depths_text(", ")) }),
        row("Serum", format!("{} (lot {}) · numbing {}", opt(&s.serum), opt(&s.lot), opt(&s.numbing))),
        row(
            "Felt",
            format!(
                "pain {} · redness {} · skin {}",
                s.pain.map_or("–".into(), |p| format!("{p}/10")),
                s.reaction.map_or("–".into(), |r| r.key().to_string()),
                s.rating.map_or("–".into(), |r| format!("{r}/10")),
            ),
        ),
        row("By", opt(&s.provider)),
    ];
    if s.is_done() {
        // The contraindication answers kept with it.
        lines.push(row("Screened", text::screening(s.screening.as_deref())));
    }
    let photos: Vec<&crate::domain::Photo> = app.photos.iter().filter(|p| p.session_id == Some(s.id)).collect();
    if !photos.is_empty() {
        let missing = photos.iter().filter(|p| !app.photo_files.contains(&p.hash)).count();
        let names: Vec<String> = photos.iter().map(|p| text::photo_label(p)).collect();
        let missing = if missing > 0 { format!(" ({missing} missing from the store)") } else { String::new() };
        lines.push(row("Photos", format!("{}{missing} · 5 shows them", names.join(", "))));
    }
    for e in app.session_events.iter().filter(|e| e.session_id == s.id) {
        let notes = if e.notes.is_empty() { String::new() } else { format!(": {}", text::abbreviate(&e.notes, 60)) };
        let voided = if e.void.is_some() { " (voided)" } else { "" };
        lines.push(row("Event", format!("{}{voided}{notes}", text::adverse_event(e, app.rules))));
    }
    let diary: Vec<String> = app
        .diary
        .iter()
        .filter(|e| e.session_id == s.id)
        .map(|e| {
            let signs: Vec<String> = e.signs().iter().filter_map(|(n, v)| v.map(|v| format!("{n} {v}"))).collect();
            format!("day {}: {}", e.day, if signs.is_empty() { e.note.clone() } else { signs.join(", ") })
        })
        .collect();
    if !diary.is_empty() {
        lines.push(row("Diary", diary.join(" · ")));
        let compared = app.current_summary().map(|c| text::recovery_comparison(&c.diary_by_session(&app.diary)));
        if let Some(first) = compared.as_ref().and_then(|lines| lines.first()) {
            lines.push(row("Recovery", first.clone()));
        }
    }
    if let Some(void) = &s.void {
        let day = text::day_short(crate::domain::time::local_date(void.at, &app.zone));
        let by = if void.by.is_empty() { String::new() } else { format!(" by {}", void.by) };
        let why = if void.reason.is_empty() { "no reason given" } else { void.reason.as_str() };
        lines.push(row("Voided", format!("{day}{by}: {} · u brings it back", text::abbreviate(why, 60))));
    }
    if let Some(edits) = app.session_edits.get(&s.id) {
        // Amendments, newest first: what a field was, what it became, when, by
        // whom and where (its being added and voided are said above).
        let amendments: Vec<&crate::domain::Edit> =
            edits.iter().filter(|e| !matches!(e.field.as_str(), "added" | "voided")).collect();
        for e in amendments.iter().rev().take(3) {
            let day = text::day_short(crate::domain::time::local_date(e.at, &app.zone));
            let from = if e.by.is_empty() { e.source.clone() } else { format!("{}, {}", e.by, e.source) };
            let change = format!(
                "{} {} → {} on {day} ({from})",
                e.field,
                text::abbreviate(&e.old, 24),
                text::abbreviate(&e.new, 24),
            );
            lines.push(row("Changed", change));
        }
        if amendments.len() > 3 {
            lines.push(row("", format!("and {} earlier changes", amendments.len() - 3)));
        }
    }
    if !s.notes.is_empty() {
        lines.push(row("Notes", text::preview(&s.notes, NOTES_SHOWN)));
    }
    let block = Block::bordered().title(" Details ").border_style(theme.border(false));
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }).block(block), area);
}
