//! Timeline: the current course drawn over time. One lane per kind of window,
//! a labelled axis, a vertical "now" line, a legend, the selected event explained,
//! and, when there is room, the events as a list.
//!
//! `plot` is a pure function of (events, now, viewport, size) returning text lines,
//! so it is tested without a terminal.

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc, Weekday};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, List, ListItem, ListState, Paragraph, Wrap};

use super::empty_state;
use super::theme::Theme;
use crate::app::App;
use crate::app::timeline::{TimelineView, Zoom};
use crate::domain::rules::CourseRules;
use crate::domain::time::{Zone, local_date, resolve_local_lenient};
use crate::domain::timeline::{Event, EventKind};
use crate::text;

/// Width of the lane labels on the left.
const GUTTER: u16 = 12;

/// The lanes, top to bottom, with the kinds drawn in each.
const LANES: [(&str, &[EventKind]); 6] = [
    ("Sessions", &[EventKind::Done, EventKind::Planned, EventKind::Cancelled]),
    ("Pre-care", &[EventKind::PreCare]),
    ("Sensitive", &[EventKind::Sensitive, EventKind::Diary]),
    ("Next window", &[EventKind::NextWindow, EventKind::Overdue]),
    ("Remodeling", &[EventKind::Remodeling]),
    ("Results", &[EventKind::FinalResults, EventKind::Maintenance]),
];

/// What marks the legend explains, in order; the hours and months come from the rules.
fn legend(course: &CourseRules) -> [(&'static str, String); 13] {
    [
        ("●", "done".into()),
        ("○", "planned".into()),
        ("✗", "cancelled".into()),
        ("▒", "pre-care".into()),
        ("░", "earlier pre-care".into()),
        ("█", format!("first {} h", course.most_intense_hours)),
        ("▓", "sensitive".into()),
        ("✎", "diary".into()),
        ("═", "next window".into()),
        ("!", "overdue".into()),
        ("─", format!("remodeling (┄ to {} months)", course.remodeling_months[1])),
        ("★", "final results".into()),
        ("↻", "maintenance".into()),
    ]
}

/// The legend, its entries packed into lines of at most `width` columns.
fn legend_lines(width: usize, theme: &Theme, course: &CourseRules) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    let mut spans: Vec<Span> = Vec::new();
    let mut used = 0;
    for (mark, name) in legend(course) {
        let len = mark.chars().count() + name.chars().count() + 3;
        if used + len > width && !spans.is_empty() {
            lines.push(Line::from(std::mem::take(&mut spans)));
            used = 0;
        }
        spans.push(Span::styled(mark, theme.key()));
        spans.push(Span::styled(format!(" {name}  "), theme.dim()));
        used += len;
    }
    if !spans.is_empty() {
        lines.push(Line::from(spans));
    }
    lines
}

/// A symbol per kind, for lists.
pub(super) fn symbol(kind: EventKind) -> &'static str {
    match kind {
        EventKind::Done => "●",
        EventKind::Planned => "○",
        EventKind::Cancelled => "✗",
        EventKind::PreCare => "▒",
        EventKind::Sensitive => "▓",
        EventKind::NextWindow => "═",
        EventKind::Overdue => "!",
        EventKind::Remodeling => "─",
        EventKind::FinalResults => "★",
        EventKind::Maintenance => "↻",
        EventKind::Diary => "✎",
    }
}

/// `Tue 10 Mar 10:00` for moments, `7 Feb – 21 Feb 2026` for day windows.
pub(super) fn span_text(e: &Event, zone: &Zone) -> String {
    let day = |t: DateTime<Utc>| t.with_timezone(zone).format("%a %-d %b %Y").to_string();
    match (e.kind, e.to) {
        (EventKind::NextWindow | EventKind::Maintenance | EventKind::Overdue | EventKind::Remodeling, Some(to)) => {
            format!("{} – {}", day(e.from), day(to - Duration::seconds(1)))
        }
        (EventKind::FinalResults, _) => day(e.from),
        (_, Some(to)) => format!("{} – {}", text::when_short(e.from, zone), text::when_short(to, zone)),
        (_, None) => text::when(e.from, zone),
    }
}

/// How long a window lasts, in words.
fn duration_text(e: &Event) -> Option<String> {
    let d = e.to? - e.from;
    Some(if d <= Duration::hours(72) {
        format!("{} h", d.num_hours())
    } else if d < Duration::days(60) {
        format!("{} days", d.num_days())
    } else {
        format!("about {} months", (d.num_days() as f64 / 30.4).round())
    })
}

/// The name of an event, with its session number.
pub(super) fn event_name(app: &App, e: &Event) -> String {
    let name = e.kind.mark(app.rules).name.clone();
    let target = app.current_summary().map_or(u32::MAX, |s| s.course.sessions_target);
    match (e.kind, e.number) {
        // Past the course's own sessions: maintenance, counted apart.
        (EventKind::Done, Some(n)) if n > target => format!("Maintenance session {}", n - target),
        (EventKind::Done, Some(n)) => format!("{name} {n}"),
        (EventKind::PreCare, _) if e.light => format!("{name} (earlier items)"),
        _ => name,
    }
}

/// One cell of the plot: a character and whether it belongs to the selected event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Cell {
    pub ch: char,
    pub selected: bool,
}

/// The plot as rows of cells: a "now" marker row, one row per lane, the axis and
/// its labels. Pure: same input, same output.
pub(super) fn plot(
    events: &[Event],
    selected: Option<usize>,
    now: DateTime<Utc>,
    view: TimelineView,
    width: u16,
    zone: &Zone,
) -> Vec<Vec<Cell>> {
    let w = usize::from(width);
    let blank = Cell { ch: ' ', selected: false };
    let col = |t: DateTime<Utc>| view.column_of(t, width);
    let in_range = |c: i64| (0..i64::from(width)).contains(&c);
    let mut rows: Vec<Vec<Cell>> = vec![vec![blank; w]; LANES.len() + 3];

    let paint = |row: &mut Vec<Cell>, from: i64, to: i64, ch: char, sel: bool| {
        let lo = from.max(0);
        let hi = to.min(i64::from(width) - 1);
        for c in lo..=hi {
            if let Some(cell) = usize::try_from(c).ok().and_then(|c| row.get_mut(c)) {
                *cell = Cell { ch, selected: sel };
            }
        }
    };
    // Windows first, moments on top of them.
    let mut order: Vec<(usize, &Event)> = events.iter().enumerate().collect();
    order.sort_by_key(|(_, e)| e.to.is_none());
    for (index, e) in order {
        let Some(lane) = LANES.iter().position(|(_, kinds)| kinds.contains(&e.kind)) else { continue };
        let row = &mut rows[lane + 1];
        let sel = selected == Some(index);
        let start = col(e.from);
        match (e.kind, e.to) {
            (_, None) => {
                if in_range(start) {
                    let ch = match e.kind {
                        EventKind::Done => '●',
                        EventKind::Planned => '○',
                        EventKind::Cancelled => '✗',
                        EventKind::Diary => '✎',
                        _ => '★',
                    };
                    paint(row, start, start, ch, sel);
                }
            }
            (kind, Some(to)) => {
                let end = col(to - Duration::seconds(1)).max(start);
                let (main, split) = match kind {
                    EventKind::PreCare if e.light => ('░', None),
                    EventKind::PreCare => ('▒', None),
                    EventKind::Sensitive => ('▓', e.intense_until.map(|t| ('█', col(t - Duration::seconds(1))))),
                    EventKind::NextWindow => ('═', None),
                    EventKind::Overdue => ('!', None),
                    EventKind::Remodeling => ('┄', e.intense_until.map(|t| ('─', col(t - Duration::seconds(1))))),
                    _ => ('↻', None),
                };
                paint(row, start, end, main, sel);
                if let Some((ch, split_end)) = split {
                    paint(row, start, split_end.min(end), ch, sel);
                }
            }
        }
    }

    // The present: a marker above and a line through empty cells.
    let now_col = col(now);
    if in_range(now_col) {
        let c = usize::try_from(now_col).unwrap_or(0);
        // "▼ now" to the right of the line, or "now ▼" when that would run off.
        let (label, start) = if c + 5 <= w { ("▼ now", c) } else { ("now ▼", c.saturating_sub(4)) };
        for (i, ch) in label.chars().enumerate() {
            if let Some(cell) = rows[0].get_mut(start + i) {
                cell.ch = ch;
            }
        }
        for row in rows.iter_mut().take(LANES.len() + 1).skip(1) {
            if row[c].ch == ' ' {
                row[c].ch = '│';
            }
        }
    }

    // The axis: ticks at each day, Monday or first of the month, with labels.
    let axis_row = LANES.len() + 1;
    rows[axis_row] = vec![Cell { ch: '─', selected: false }; w];
    let first_day = local_date(view.start(width), zone);
    let last_day = local_date(view.start(width) + view.zoom.column() * i32::from(width), zone);
    let mut label_free_from = 0usize;
    let mut day = first_day;
    while day <= last_day {
        if let Some(label) = tick_label(day, view.zoom) {
            let at = resolve_local_lenient(day.and_hms_opt(0, 0, 0).unwrap_or_default(), zone);
            let c = col(at);
            if in_range(c) {
                let c = usize::try_from(c).unwrap_or(0);
                rows[axis_row][c].ch = '┬';
                let chars: Vec<char> = label.chars().collect();
                if c >= label_free_from && c + chars.len() <= w {
                    for (i, ch) in chars.iter().enumerate() {
                        rows[axis_row + 1][c + i].ch = *ch;
                    }
                    label_free_from = c + chars.len() + 1;
                }
            }
        }
        match day.succ_opt() {
            Some(next) => day = next,
            None => break,
        }
    }
    rows
}

/// The label of a tick on `day` at this zoom, or None when there is no tick.
fn tick_label(day: NaiveDate, zoom: Zoom) -> Option<String> {
    match zoom {
        Zoom::Day => Some(day.format("%a %-d").to_string()),
        Zoom::Week => (day.weekday() == Weekday::Mon).then(|| day.format("%-d %b").to_string()),
        Zoom::Month if day.day() == 1 && day.month() == 1 => Some(day.format("%b %Y").to_string()),
        Zoom::Month => (day.day() == 1).then(|| day.format("%b").to_string()),
    }
}

/// A lane label for each plot row.
fn row_label(row: usize) -> &'static str {
    match row {
        0 => "",
        r if r <= LANES.len() => LANES[r - 1].0,
        _ => "",
    }
}

fn cells_to_line(cells: &[Cell], theme: &Theme, base: Style) -> Line<'static> {
    let mut spans: Vec<Span> = Vec::new();
    let mut current = String::new();
    let mut current_sel = false;
    for cell in cells {
        if cell.selected != current_sel && !current.is_empty() {
            let style = if current_sel { theme.selected() } else { base };
            spans.push(Span::styled(std::mem::take(&mut current), style));
        }
        current_sel = cell.selected;
        current.push(cell.ch);
    }
    if !current.is_empty() {
        spans.push(Span::styled(current, if current_sel { theme.selected() } else { base }));
    }
    Line::from(spans)
}

pub(super) fn draw(frame: &mut Frame, app: &App, theme: &Theme, area: Rect) {
    if app.current_summary().is_none() {
        empty_state(
            frame,
            theme,
            area,
            &["No course yet — press n to start one", "", "The timeline shows a course over time."],
        );
        return;
    }
    let events = app.timeline_events();
    if events.is_empty() {
        empty_state(
            frame,
            theme,
            area,
            &["Nothing on the timeline yet", "", "a logs your first session; its windows follow."],
        );
        return;
    }
    let selected = app.timeline.selected.min(events.len() - 1);
    // On a short screen every lane and the axis stay; the legend gives way first,
    // then the explanation of the selected event shrinks to its first line.
    let mut legend = legend_lines(usize::from(area.width.saturating_sub(2)), theme, &app.rules.course);
    let about_rows = if area.height < 18 { 3 } else { 5 };
    let bare = 2 + 1 + u16::try_from(LANES.len()).unwrap_or(6) + 2;
    let legend_rows =
        u16::try_from(legend.len()).unwrap_or(2).min(area.height.saturating_sub(about_rows).saturating_sub(bare));
    legend.truncate(usize::from(legend_rows));
    let plot_height = bare + legend_rows;
    let [plot_area, about_area, list_area] =
        Layout::vertical([Constraint::Length(plot_height), Constraint::Length(about_rows), Constraint::Fill(1)])
            .areas(area);

    let title = format!(" Timeline · {} · +/- zoom · ←/→ scroll · t today · [/] events ", app.timeline.zoom.name());
    let block = Block::bordered().title(title).border_style(theme.border(true));
    let inner = block.inner(plot_area);
    frame.render_widget(block, plot_area);
    let plot_width = inner.width.saturating_sub(GUTTER);
    let rows = plot(&events, Some(selected), app.now, app.timeline, plot_width, &app.zone);
    let mut lines = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        let style = match i {
            0 => theme.warn(),
            r if r > LANES.len() => theme.dim(),
            _ => theme.key(),
        };
        let mut line = cells_to_line(row, theme, style);
        line.spans.insert(0, Span::styled(format!("{:<w$}", row_label(i), w = usize::from(GUTTER)), theme.dim()));
        lines.push(line);
    }
    let [plot_rows, legend_area] =
        Layout::vertical([Constraint::Fill(1), Constraint::Length(legend_rows)]).areas(inner);
    frame.render_widget(Paragraph::new(lines), plot_rows);
    frame.render_widget(Paragraph::new(legend), legend_area);

    let e = &events[selected];
    let mut head = vec![
        Span::styled(format!("{} {}", symbol(e.kind), event_name(app, e)), theme.title()),
        Span::styled(format!("  {}", span_text(e, &app.zone)), theme.text()),
    ];
    if let Some(d) = duration_text(e) {
        head.push(Span::styled(format!(" · {d}"), theme.dim()));
    }
    let about = vec![Line::from(head), Line::styled(e.kind.mark(app.rules).meaning.clone(), theme.text())];
    let block = Block::bordered().title(" Selected ").border_style(theme.border(false));
    frame.render_widget(Paragraph::new(about).wrap(Wrap { trim: true }).block(block), about_area);

    if list_area.height >= 5 {
        draw_list(frame, app, theme, list_area, &events, selected);
    }
}

/// The events as a list, with the present marked.
fn draw_list(frame: &mut Frame, app: &App, theme: &Theme, area: Rect, events: &[Event], selected: usize) {
    let now_index = events.iter().position(|e| e.from > app.now).unwrap_or(events.len());
    let now_line =
        || ListItem::new(Line::styled(format!("── now · {} ──", text::when(app.now, &app.zone)), theme.warn()));
    let mut items = Vec::new();
    for (i, e) in events.iter().enumerate() {
        if i == now_index {
            items.push(now_line());
        }
        let style = if e.light { theme.dim() } else { theme.text() };
        items.push(ListItem::new(Line::from(vec![
            Span::styled(format!("{} ", symbol(e.kind)), theme.key()),
            Span::styled(format!("{:<26} ", event_name(app, e)), style),
            Span::styled(span_text(e, &app.zone), theme.dim()),
        ])));
    }
    if now_index == events.len() {
        items.push(now_line());
    }
    let row = if selected >= now_index { selected + 1 } else { selected };
    let list = List::new(items)
        .block(Block::bordered().title(" Events ").border_style(theme.border(false)))
        .highlight_style(theme.selected())
        .highlight_symbol("▶ ");
    let mut state = ListState::default().with_selected(Some(row));
    frame.render_stateful_widget(list, area, &mut state);
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(d: u32, h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, d, h, 0, 0).unwrap()
    }

    fn text_of(rows: &[Vec<Cell>]) -> Vec<String> {
        rows.iter().map(|r| r.iter().map(|c| c.ch).collect()).collect()
    }

    #[test]
    fn a_session_and_its_sensitive_window_at_day_zoom() {
        let done = Event {
            kind: EventKind::Done,
            from: at(7, 10),
            to: None,
            session_id: Some(1),
            number: Some(1),
            intense_until: None,
            light: false,
        };
        let sensitive =
            Event { kind: EventKind::Sensitive, to: Some(at(10, 10)), intense_until: Some(at(8, 10)), ..done.clone() };
        let view = TimelineView { zoom: Zoom::Day, ..TimelineView::new(at(8, 12)) };
        // 96 columns of an hour: from Mar 6 12:00 to Mar 10 12:00.
        let rows = plot(&[done, sensitive], Some(0), at(8, 12), view, 96, &Zone::utc());
        let text = text_of(&rows);
        assert_eq!(text[0].find('▼').map(|b| text[0][..b].chars().count()), Some(48), "now in the middle");
        let sessions = text[1].chars().collect::<Vec<_>>();
        assert_eq!(sessions[22], '●', "Mar 7 10:00 is 22 h from the left edge");
        assert!(rows[1][22].selected);
        let sensitive: Vec<char> = text[3].chars().collect();
        assert_eq!(sensitive[22], '█');
        assert_eq!(sensitive[45], '█', "the last of the first 24 h");
        assert_eq!(sensitive[46], '▓');
        assert_eq!(sensitive[93], '▓', "72 h end at column 94");
        assert_eq!(sensitive[94], ' ');
        assert_eq!(sensitive[48], '▓', "the now line does not hide a window");
        assert_eq!(text[2].chars().nth(48), Some('│'), "the now line crosses empty lanes");
        let labels = &text[8];
        assert!(labels.starts_with("            Sat 7"), "ticks at local midnight: {labels:?}");
    }

    #[test]
    fn ticks_follow_the_zoom() {
        let day = |m, d| NaiveDate::from_ymd_opt(2026, m, d).unwrap();
        assert_eq!(tick_label(day(11, 23), Zoom::Week).as_deref(), Some("23 Nov"), "a Monday");
        assert_eq!(tick_label(day(11, 24), Zoom::Week), None);
        assert_eq!(tick_label(day(12, 1), Zoom::Month).as_deref(), Some("Dec"));
        assert_eq!(tick_label(day(1, 1), Zoom::Month).as_deref(), Some("Jan 2026"));
        assert_eq!(tick_label(day(12, 2), Zoom::Month), None);
    }
}
