//! Today: what matters now for the current course — the phase with a gauge, the
//! rules that apply, the next window, progress, results, and the skin ratings.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Bar, BarChart, BarGroup, Block, Paragraph, Wrap};

use super::theme::Theme;
use super::{empty_state, level};
use crate::app::App;
use crate::domain::windows::{Phase, ResultsBasis};
use crate::summary::CourseSummary;
use crate::text::{self, days_phrase, plural};

pub(super) fn draw(frame: &mut Frame, app: &App, theme: &Theme, area: Rect) {
    let Some(summary) = app.current_summary() else {
        empty_state(
            frame,
            theme,
            area,
            &[
                "No course yet — press n to start one",
                "",
                "Pick your concern (acne scars, wrinkles, pores…) and the areas;",
                "needlelog fills in the usual number of sessions and the spacing.",
                "",
                "? shows every key",
            ],
        );
        return;
    };
    let wide = area.width >= 100;
    let (now_area, course_area, chart_area) = if wide {
        let [left, right] = Layout::horizontal([Constraint::Percentage(55), Constraint::Percentage(45)]).areas(area);
        let [now_area, course_area] = Layout::vertical([Constraint::Fill(1), Constraint::Length(9)]).areas(left);
        let [last_area, protocol_area, chart_area] =
            Layout::vertical([Constraint::Length(8), Constraint::Length(6), Constraint::Fill(1)]).areas(right);
        draw_last_session(frame, app, summary, theme, last_area);
        draw_protocol(frame, app, summary, theme, protocol_area);
        (now_area, course_area, chart_area)
    } else {
        // On a short screen what applies now keeps the rows; the course block
        // keeps its first lines (sessions, window, plan, results).
        let bottom_rows = if area.height < 18 { 6 } else { 8 };
        let [now_area, bottom] = Layout::vertical([Constraint::Fill(1), Constraint::Length(bottom_rows)]).areas(area);
        let [course_area, chart_area] = Layout::horizontal([Constraint::Fill(1), Constraint::Length(26)]).areas(bottom);
        (now_area, course_area, chart_area)
    };
    draw_now(frame, app, summary, theme, now_area);
    draw_course(frame, app, summary, theme, course_area);
    draw_ratings(frame, summary, theme, chart_area);
}

/// The phase in words, and how far through it we are (0–1) with a gauge label.
fn headline(app: &App, s: &CourseSummary, width: u16) -> (String, Option<(f64, String)>) {
    let st = &s.state;
    let zone = &app.zone;
    let part = |done: i64, total: i64, unit: &str| {
        let total = total.max(1);
        (done.clamp(0, total) as f64 / total as f64, format!("{done} of {total} {unit} "))
    };
    match &st.phase {
        Phase::NotStarted => (format!("Not started — press a to log {} first session", text::whose(app.kind)), None),
        Phase::Paused => ("Paused — edit the course on People to resume".into(), None),
        Phase::Sensitive { until, hours_left, intense, .. } => {
            let first = app.rules.course.most_intense_hours;
            let until = text::when_short(*until, zone);
            let plain = format!("Sensitive skin — {hours_left} h left (until {until})");
            let said = [
                format!("{plain} · the first {first} h are the most intense"),
                format!("{plain}; first {first} h most intense"),
            ];
            let text = match intense {
                true => said.iter().find(|t| t.chars().count() <= usize::from(width)).unwrap_or(&said[0]).clone(),
                false => plain,
            };
            let total = app.rules.course.sensitive_hours;
            (text, Some(part(total - hours_left, total, "h")))
        }
        Phase::PreCare { at, hours_left, .. } => {
            let text = format!("Pre-care — session {} (in {hours_left} h)", text::when_short(*at, zone));
            let total = app.rules.course.pre_care_hours;
            (text, Some(part(total - hours_left, total, "h")))
        }
        Phase::Recovering { days } => {
            let since =
                st.last_done.map(|t| (st.today - crate::domain::time::local_date(t, zone)).num_days()).unwrap_or(0);
            let text = format!("Recovering — the next window opens {}", days_phrase(*days));
            (text, Some(part(since, since + days, "days")))
        }
        Phase::Due { days_left } => {
            let span = st.next_window.map(|w| (w.latest - w.earliest).num_days() + 1).unwrap_or(1);
            let text = match days_left {
                0 => "Due — today is the last day of the window".to_string(),
                d => format!("Due — the window closes {}", days_phrase(*d)),
            };
            (text, Some(part(span - days_left, span, "window days")))
        }
        Phase::Overdue { days_late } => {
            (format!("Overdue by {} — book the next session", plural(*days_late, "day")), None)
        }
        Phase::Complete { maintenance_from } => {
            (format!("Course complete — maintenance from {}", text::day(*maintenance_from)), None)
        }
        Phase::MaintenanceDue { late: 0, .. } => {
            let closes = st.maintenance.map(|w| (w.latest - st.today).num_days()).unwrap_or(0);
            (format!("Maintenance due — book a session; the window closes {}", days_phrase(closes)), None)
        }
        Phase::MaintenanceDue { late, .. } => {
            (format!("Maintenance overdue by {} — book a session when you can", plural(*late, "day")), None)
        }
        Phase::Booked { at, outside, .. } => {
            let what = if st.maintenance.is_some() { "maintenance session" } else { "next session" };
            let note = if *outside { " — outside its window: move it with e on Sessions" } else { "" };
            (format!("Booked — the {what} is {}{note}", text::relative(*at, app.now, zone)), None)
        }
    }
}

fn draw_now(frame: &mut Frame, app: &App, s: &CourseSummary, theme: &Theme, area: Rect) {
    let block = Block::bordered().title(" Now ").border_style(theme.border(true));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let (text, ratio) = headline(app, s, inner.width);
    let head_lines =
        u16::try_from(text.chars().count().div_ceil(usize::from(inner.width.max(1)))).unwrap_or(1).clamp(1, 2);
    let [head, gauge, rest] =
        Layout::vertical([Constraint::Length(head_lines), Constraint::Length(1), Constraint::Fill(1)]).areas(inner);
    let head_text = Paragraph::new(Span::styled(text, theme.badge(level(&s.state.phase)))).wrap(Wrap { trim: true });
    frame.render_widget(head_text, head);
    if let Some((r, label)) = ratio {
        frame.render_widget(theme.line_gauge(r, label, theme.gauge()), gauge);
    }
    let mut lines = Vec::new();
    for &(id, at) in &s.state.unresolved {
        let place = s.session_place(id).replacen("session", "Session", 1);
        lines.push(Line::styled(
            format!("{place} was planned for {} — did it happen? Press h.", text::when_short(at, &app.zone)),
            theme.title(),
        ));
    }
    if app.kind == crate::domain::FileKind::Practitioner && app.consent.is_none() {
        lines.push(Line::styled(
            "No consent on record for this course: c on the client's card (4, Enter) records it.",
            theme.title(),
        ));
    }
    if s.state.final_results == Some(s.state.today)
        && s.state.results_basis == ResultsBasis::Done
        && s.course.final_rating.is_none()
    {
        let said = match app.kind {
            crate::domain::FileKind::Patient => {
                "Results day: about three months since your last session. Compare your photos (5, then v), and press r to rate how your skin looks now."
            }
            crate::domain::FileKind::Practitioner => {
                "Results day: about three months since the client's last session. Compare the photos (5, then v), and press r to rate how the skin looks now."
            }
        };
        lines.push(Line::styled(said, theme.title()));
    }
    if s.checklist.is_empty() {
        lines.push(Line::styled("Nothing special applies right now.", theme.dim()));
        if let Some(starts) = s.state.pre_care {
            let starts = starts.core;
            lines.push(Line::styled(format!("Pre-care starts {}.", text::when_short(starts, &app.zone)), theme.dim()));
        } else if s.state.phase == Phase::NotStarted {
            lines.push(Line::styled(
                "Booked your first session? Plan it with p: its pre-care list pops up the day before.",
                theme.dim(),
            ));
        }
    } else {
        let (done, total) = s.checklist_progress();
        lines.push(Line::from(vec![
            Span::styled("What applies now ", theme.title()),
            Span::styled(format!("· {done}/{total} ticked · c opens the checklist"), theme.dim()),
        ]));
        // Open items first; when they do not all fit, say how many more there are.
        let mut entries: Vec<_> = s.checklist.iter().collect();
        entries.sort_by_key(|e| e.done);
        // Rows left below what is said above; items wrap, so count their rows; at
        // least one item shows before "… and N more".
        let room = usize::from(rest.height).saturating_sub(lines.len());
        let width = usize::from(rest.width.max(1));
        let rows = |e: &&crate::summary::ChecklistEntry| (e.item.text.chars().count() + 2).div_ceil(width).max(1);
        let all_rows: usize = entries.iter().map(rows).sum();
        let mut shown = entries.len();
        if all_rows > room {
            let mut used = 1; // the "… and N more" line
            shown = entries
                .iter()
                .take_while(|e| {
                    used += rows(e);
                    used <= room
                })
                .count()
                .max(1);
        }
        for entry in &entries[..shown] {
            let (mark, style) = if entry.done { ("✓ ", theme.dim()) } else { ("• ", theme.text()) };
            lines.push(Line::from(vec![Span::styled(mark, style), Span::styled(entry.item.text.clone(), style)]));
        }
        if shown < entries.len() {
            lines.push(Line::styled(format!("… and {} more", entries.len() - shown), theme.dim()));
        }
    }
    // The first days after a session: the glow the seed article promises, below
    // what applies (a short screen keeps that).
    if let Some(last) = s.state.last_done {
        let since = (s.state.today - crate::domain::time::local_date(last, &app.zone)).num_days();
        if (0..=i64::from(app.rules.course.glow_days[1])).contains(&since) {
            lines.push(Line::styled(app.rules.course.glow(), theme.dim()));
        }
    }
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), rest);
}

fn draw_course(frame: &mut Frame, app: &App, s: &CourseSummary, theme: &Theme, area: Rect) {
    let block = Block::bordered().title(" Course ").border_style(theme.border(false));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let st = &s.state;
    let [progress, rest] = Layout::vertical([Constraint::Length(1), Constraint::Fill(1)]).areas(inner);
    let ratio = f64::from(st.sessions_done) / f64::from(st.sessions_target.max(1));
    let label = match st.maintenance_done {
        0 => format!("{} of {} sessions ", st.sessions_done, st.sessions_target),
        n => format!("{} of {} sessions + {n} maintenance ", st.sessions_done, st.sessions_target),
    };
    frame.render_widget(theme.line_gauge(ratio, label, theme.good()), progress);
    let row = |label: &str, value: String| {
        Line::from(vec![Span::styled(format!("{label:<12}"), theme.dim()), Span::styled(value, theme.text())])
    };
    let today = st.today;
    let mut lines = Vec::new();
    if let Some(w) = st.next_window {
        let countdown = if today < w.earliest {
            format!("opens {}", days_phrase((w.earliest - today).num_days()))
        } else if today <= w.latest {
            format!("closes {}", days_phrase((w.latest - today).num_days()))
        } else {
            format!("closed {}", days_phrase((w.latest - today).num_days()))
        };
        lines.push(row(
            "Next window",
            format!("{} – {} · {countdown}", text::day_short(w.earliest), text::day_short(w.latest)),
        ));
    }
    if let Some((_, at)) = st.next_planned {
        let planned = match text::booking_note(st, &app.zone) {
            Some(note) => format!("{} — {note}", text::when(at, &app.zone)),
            None => text::when(at, &app.zone),
        };
        lines.push(row("Planned", planned));
    }
    if let Some(w) = st.maintenance {
        lines.push(row("Maintenance", format!("{} – {}", text::day_short(w.earliest), text::day(w.latest))));
    }
    if let Some(open) = text::open_events(&app.session_events, app.rules, 2) {
        lines.push(row("Open event", open));
    }
    // What to keep in mind for this person: the cautions for their skin type.
    if let Some(caution) = crate::domain::depth::skin_note(s.person.skin_type, app.rules).into_iter().next() {
        lines.push(row("Caution", caution));
    }
    if let Some(results) = st.final_results {
        let estimate = match st.results_basis {
            ResultsBasis::Done => "",
            ResultsBasis::Planned => " (from your plan)",
            ResultsBasis::FromToday => " (estimate from today)",
            ResultsBasis::EarliestDays => " (estimate)",
        };
        let rated = s.course.final_rating.map(|r| format!(" · rated {r}/10")).unwrap_or_default();
        lines.push(row("Results", format!("{}{estimate}{rated}", text::day(results))));
    }
    if let Some(end) = st.remodeling_end {
        lines.push(row("Collagen", format!("building until {}", text::day(end))));
    }
    if lines.is_empty() {
        lines.push(Line::styled("Windows appear after the first session.", theme.dim()));
    }
    frame.render_widget(Paragraph::new(lines), rest);
}

/// What was done last time: what a practitioner looks up before the next session.
fn draw_last_session(frame: &mut Frame, app: &App, s: &CourseSummary, theme: &Theme, area: Rect) {
    let block = Block::bordered().title(" Last session ").border_style(theme.border(false));
    let Some(last) = s.sessions.iter().rev().find(|x| x.is_done()) else {
        let text = Paragraph::new(Line::styled("None yet.", theme.dim())).block(block);
        frame.render_widget(text, area);
        return;
    };
    let row = |label: &str, value: String| {
        Line::from(vec![Span::styled(format!("{label:<8}"), theme.dim()), Span::styled(value, theme.text())])
    };
    let opt = |v: &Option<String>| v.clone().unwrap_or_else(|| "–".into());
    let lines = vec![
        row("When", format!("{} · {}", text::when(last.at, &app.zone), last.device)),
        row("Depth", if last.depths().is_empty() { "–".into() } else { format!("{} mm", last.depths_text(", ")) }),
        row("Passes", last.passes.map_or("–".into(), |p| p.to_string())),
        row("Serum", opt(&last.serum)),
        row("Redness", last.reaction.map_or("–".into(), |r| r.key().to_string())),
        row("Notes", if last.notes.is_empty() { "–".into() } else { text::preview(&last.notes, 300) }),
    ];
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }).block(block), area);
}

/// The protocol this course follows, and where its numbers come from.
fn draw_protocol(frame: &mut Frame, app: &App, s: &CourseSummary, theme: &Theme, area: Rect) {
    let block = Block::bordered().title(" Protocol ").border_style(theme.border(false));
    let c = &s.course;
    let mut lines = vec![Line::styled(
        format!(
            "{} sessions, every {}–{} days; maintenance every {}–{} months",
            c.sessions_target, c.interval.min, c.interval.max, c.maintenance.min, c.maintenance.max
        ),
        theme.text(),
    )];
    if let Some(p) = app.rules.protocol(&c.concern) {
        lines.push(Line::styled(format!("{} Source — {}", p.note, p.source), theme.dim()));
    }
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }).block(block), area);
}

fn draw_ratings(frame: &mut Frame, s: &CourseSummary, theme: &Theme, area: Rect) {
    let block = Block::bordered().title(" Skin rating by session ").border_style(theme.border(false));
    let rated: Vec<(usize, u8)> = s
        .sessions
        .iter()
        .filter(|x| x.is_done())
        .enumerate()
        .filter_map(|(i, x)| x.rating.map(|r| (i + 1, r)))
        .collect();
    if rated.is_empty() {
        let text = Paragraph::new(Line::styled(
            "Rate your skin 1–10 when you log a session; the trend shows here.",
            theme.dim(),
        ))
        .wrap(Wrap { trim: true })
        .block(block);
        frame.render_widget(text, area);
        return;
    }
    let bars: Vec<Bar> = rated
        .iter()
        .map(|(n, r)| Bar::default().value(u64::from(*r)).label(Line::from(format!("#{n}"))).style(theme.gauge()))
        .collect();
    let chart = BarChart::default()
        .block(block)
        .data(BarGroup::default().bars(&bars))
        .bar_width(3)
        .bar_gap(1)
        .max(10)
        .value_style(theme.selected());
    frame.render_widget(chart, area);
}
