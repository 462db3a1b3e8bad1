//! A client's card: who they are, every course they had, what was used last time,
//! reactions and ratings so far, and what comes next — what a practitioner checks
//! before the next session.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{List, ListItem, ListState, Paragraph, Wrap};

use super::{framed, hint_line};
use crate::app::App;
use crate::app::keys::{CARD_HINTS, CARD_KEYS, hints};
use crate::app::views::Card;
use crate::domain::time::local_date;
use crate::domain::{CourseStatus, Reaction};
use crate::text;
use crate::ui::theme::Theme;
use crate::ui::{centered, level};

pub(super) fn draw(frame: &mut Frame, app: &App, theme: &Theme, area: Rect, card: &Card) {
    let popup = centered(area, area.width.saturating_sub(2).min(110), area.height.saturating_sub(2));
    let p = &card.person;
    // Who exactly, and how to reach them: what a recall call needs.
    let mut title = format!("{} · #{}", p.name, p.id);
    if let Some(born) = p.born_on {
        title.push_str(&format!(" · b. {born}"));
    }
    if !p.contact.is_empty() {
        title.push_str(&format!(" · {}", p.contact));
    }
    if let Some(skin) = p.skin_type {
        title.push_str(&format!(" · skin type {}", skin.label()));
    }
    if p.archived {
        title.push_str(" · archived");
    }
    let inner = framed(frame, theme, popup, &title);
    let facts = facts(app, theme, card);
    let fact_rows = u16::try_from(facts.len()).unwrap_or(u16::MAX);
    let [courses_area, facts_area, keys_area] =
        Layout::vertical([Constraint::Min(3), Constraint::Length(fact_rows), Constraint::Length(1)]).areas(inner);

    let items: Vec<ListItem> = card
        .courses
        .iter()
        .map(|c| {
            let st = &c.state;
            let status = match c.course.status {
                CourseStatus::Active => text::badge(st),
                other => other.key().to_string(),
            };
            let first = c.sessions.iter().find(|s| s.is_done()).map(|s| local_date(s.at, &app.zone));
            let last = st.last_done.map(|at| local_date(at, &app.zone));
            let dates = match (first, last) {
                (Some(a), Some(b)) if a != b => format!("{} – {}", text::day_short(a), text::day(b)),
                (Some(a), _) => text::day(a),
                _ => format!("from {}", text::day(c.course.started_on)),
            };
            let current = if app.current == Some(c.course.id) { "▸ " } else { "" };
            ListItem::new(vec![
                Line::from(vec![
                    Span::raw(current),
                    Span::styled(
                        format!("{} ({})", app.rules.concern_name(&c.course.concern), c.course.areas.join(", ")),
                        theme.title(),
                    ),
                    Span::styled(format!(" · {}/{} done · {dates}", st.sessions_done, st.sessions_target), theme.dim()),
                ]),
                Line::from(vec![Span::raw("  "), Span::styled(status, theme.badge(level(&st.phase)))]),
            ])
        })
        .collect();
    let heading = format!("Courses ({})", card.courses.len());
    let list = if items.is_empty() {
        List::new(vec![ListItem::new(Line::styled("No course yet: n starts one.", theme.dim()))])
    } else {
        List::new(items)
    }
    .block(ratatui::widgets::Block::new().title(Span::styled(heading, theme.heading())))
    .highlight_style(theme.selected())
    .highlight_symbol("▶ ");
    let mut state = ListState::default().with_selected((!card.courses.is_empty()).then_some(card.cursor));
    frame.render_stateful_widget(list, courses_area, &mut state);
    frame.render_widget(Paragraph::new(facts).wrap(Wrap { trim: false }), facts_area);
    frame.render_widget(Paragraph::new(hint_line(theme, &hints(CARD_KEYS, CARD_HINTS), " · ")), keys_area);
}

/// The lines under the courses: notes, last time, reactions, ratings, next.
fn facts<'a>(app: &App, theme: &Theme, card: &'a Card) -> Vec<Line<'a>> {
    let label = |s: &'static str| Span::styled(format!("{s:<12}"), theme.dim());
    let mut lines = Vec::new();
    if !card.person.notes.is_empty() {
        lines.push(Line::from(vec![label("Notes"), Span::raw(text::abbreviate(&card.person.notes, 200))]));
    }
    // The selected course's consent; on a practitioner's file a missing one is
    // said (a reminder, never a block).
    if let Some(course) = card.courses.get(card.cursor) {
        match card.consents.iter().find(|k| k.course_id == course.course.id) {
            Some(k) => {
                let photos = if k.photos { "photos included" } else { "no photos" };
                let said = format!("{} ({}, {photos})", k.what, text::day_short(k.given_on));
                lines.push(Line::from(vec![label("Consent"), Span::raw(said)]));
            }
            None if app.kind == crate::domain::FileKind::Practitioner => lines
                .push(Line::from(vec![label("Consent"), Span::styled("none on record for this course", theme.warn())])),
            None => {}
        }
    }
    let done = card.done_sessions();
    match done.last() {
        Some(last) => {
            let depths: Vec<String> = last.depths().iter().map(|d| format!("{} {} mm", d.area, d.mm)).collect();
            let mut used = vec![text::day(local_date(last.at, &app.zone)), last.device.to_string()];
            if !depths.is_empty() {
                used.push(depths.join(", "));
            }
            if let Some(serum) = &last.serum {
                used.push(match &last.lot {
                    Some(lot) => format!("{serum} (lot {lot})"),
                    None => serum.clone(),
                });
            }
            lines.push(Line::from(vec![label("Last time"), Span::raw(used.join(" · "))]));
        }
        None => lines.push(Line::from(vec![label("Last time"), Span::styled("no session yet", theme.dim())])),
    }
    let reactions: Vec<String> = Reaction::ALL
        .iter()
        .filter_map(|r| {
            let n = done.iter().filter(|s| s.reaction == Some(*r)).count();
            (n > 0).then(|| format!("{r} {n}"))
        })
        .collect();
    if !reactions.is_empty() {
        lines.push(Line::from(vec![label("Reactions"), Span::raw(reactions.join(" · "))]));
    }
    let answers: Vec<String> = done
        .iter()
        .rev()
        .take(3)
        .map(|s| {
            let answer = text::screening(s.screening.as_deref());
            format!("{}: {answer}", text::day_short(local_date(s.at, &app.zone)))
        })
        .collect();
    if !answers.is_empty() {
        lines.push(Line::from(vec![label("Screening"), Span::raw(answers.join(" · "))]));
    }
    let ratings: Vec<String> = done.iter().filter_map(|s| s.rating).map(|r| r.to_string()).collect();
    if !ratings.is_empty() {
        let recent = &ratings[ratings.len().saturating_sub(10)..];
        lines.push(Line::from(vec![label("Ratings"), Span::raw(recent.join(" → "))]));
    }
    if let Some(open) = text::open_events(&card.events, app.rules, 2) {
        lines.push(Line::from(vec![label("Open events"), Span::styled(open, theme.warn())]));
    }
    if let Some(c) = card.courses.iter().find(|c| c.course.status == CourseStatus::Active) {
        let st = &c.state;
        let next = match (st.next_planned, st.next_window, st.maintenance) {
            (Some((_, at)), _, _) => format!("booked {}", text::when(at, &app.zone)),
            (None, Some(w), _) => {
                format!("{} · window {} – {}", text::badge(st), text::day_short(w.earliest), text::day(w.latest))
            }
            (None, None, Some(m)) => format!("maintenance {} – {}", text::day_short(m.earliest), text::day(m.latest)),
            _ => text::badge(st),
        };
        lines.push(Line::from(vec![label("Next"), Span::styled(next, theme.badge(level(&st.phase)))]));
    }
    lines
}
