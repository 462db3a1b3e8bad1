//! Photos: the current course's pictures as a strip per session, one large, or
//! two side by side (the before/after). Pictures are drawn from what the app's
//! loader decoded; one still on its way shows as "…", one that cannot be shown
//! as its name and why.

use ratatui::Frame;
use ratatui::layout::{Alignment, Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};
use ratatui_image::protocol::StatefulProtocol;
use ratatui_image::{Resize, StatefulImage};

use super::empty_state;
use super::theme::Theme;
use crate::app::photos::Slot;
use crate::app::{App, PhotosMode, Strip};
use crate::domain::Photo;
use crate::photos::thumbs::Size;
use crate::text;

/// A thumbnail tile in the strips, borders included.
const TILE_WIDTH: u16 = 18;
const TILE_HEIGHT: u16 = 8;
/// A session's strip: its heading and a row of tiles.
const STRIP_HEIGHT: u16 = TILE_HEIGHT + 1;

pub(super) fn draw(frame: &mut Frame, app: &App, theme: &Theme, area: Rect) {
    if app.current_summary().is_none() {
        empty_state(frame, theme, area, &["No course yet — press n to start one", "", "Photos belong to a course."]);
        return;
    }
    if app.photos.is_empty() {
        empty_state(
            frame,
            theme,
            area,
            &[
                "No photos in this course yet",
                "",
                "Add them in a session's form (e on Sessions, the Photos field),",
                "or here with a: the course's own, of no session (results day).",
                "needlelog photo add SESSION PATH, or --course ID PATH, does the same.",
                "",
                "Same light, same angle, same distance each time: change shows best that way.",
            ],
        );
        return;
    }
    match app.photos_view.mode {
        PhotosMode::Strips => draw_strips(frame, app, theme, area),
        PhotosMode::One => draw_one(frame, app, theme, area),
        PhotosMode::Compare(a, b) => draw_compare(frame, app, theme, area, a, b),
    }
}

/// The photos grouped by strip, in order: (strip, indexes into `app.photos`).
fn strips(app: &App) -> Vec<(Strip, Vec<usize>)> {
    let mut out: Vec<(Strip, Vec<usize>)> = Vec::new();
    for (i, p) in app.photos.iter().enumerate() {
        match out.last_mut() {
            Some((strip, indexes)) if *strip == Strip::of(p) => indexes.push(i),
            _ => out.push((Strip::of(p), vec![i])),
        }
    }
    out
}

/// The local day of a session of the current course.
fn session_day(app: &App, session_id: i64) -> Option<chrono::NaiveDate> {
    app.current_summary()
        .and_then(|c| c.sessions.iter().find(|s| s.id == session_id))
        .map(|s| crate::domain::time::local_date(s.at, &app.zone))
}

/// "Session 2 of 6 · Tue 3 Nov 2026", or "The course · Sat 18 Dec 2027" for the
/// course's own photos of a day.
fn strip_heading(app: &App, strip: Strip) -> String {
    match strip {
        Strip::Session(id) => {
            let label = text::capitalized(&app.session_label(id));
            match session_day(app, id).map(text::day) {
                Some(day) => format!("{label} · {day}"),
                None => label,
            }
        }
        Strip::Course(day) => format!("The course · {}", text::day(day)),
    }
}

/// "Session 2 of 6", or "the course" for a photo of no session.
fn whose_label(app: &App, photo: &Photo) -> String {
    match photo.session_id {
        Some(id) => app.session_label(id),
        None => "the course".into(),
    }
}

fn draw_strips(frame: &mut Frame, app: &App, theme: &Theme, area: Rect) {
    let groups = strips(app);
    let selected = app.photos_view.selected;
    let at = groups.iter().position(|(_, ix)| ix.contains(&selected)).unwrap_or(0);
    let [heading, body] = Layout::vertical([Constraint::Length(1), Constraint::Fill(1)]).areas(area);
    let missing = app.photos.iter().filter(|p| !app.photo_files.contains(&p.hash)).count();
    let sessions = groups.iter().filter(|(strip, _)| matches!(strip, Strip::Session(_))).count();
    let own = app.photos.iter().filter(|p| p.session_id.is_none()).count();
    let mut top = vec![Span::styled(
        format!(
            " {} photo{} over {} session{}{}",
            app.photos.len(),
            if app.photos.len() == 1 { "" } else { "s" },
            sessions,
            if sessions == 1 { "" } else { "s" },
            if own > 0 { format!(", {own} of the course") } else { String::new() }
        ),
        theme.heading(),
    )];
    if missing > 0 {
        top.push(Span::styled(format!(" · {missing} missing from the store (needlelog doctor)"), theme.warn()));
    }
    if app.photos_view.picked.is_some() {
        top.push(Span::styled(" · one picked: select another and press v", theme.key()));
    }
    frame.render_widget(Paragraph::new(Line::from(top)), heading);
    let fits = usize::from((body.height / STRIP_HEIGHT).max(1));
    let first = at.saturating_sub(fits - 1);
    let per_row = usize::from((body.width.saturating_sub(1) / TILE_WIDTH).max(1));
    for (row, (strip, indexes)) in groups.iter().enumerate().skip(first).take(fits) {
        let y = body.y + u16::try_from(row - first).unwrap_or(0) * STRIP_HEIGHT;
        if y + STRIP_HEIGHT > body.y + body.height && row != first {
            break;
        }
        let line = Rect { x: body.x, y, width: body.width, height: 1 };
        let style = if row == at { theme.title() } else { theme.text() };
        frame.render_widget(Paragraph::new(Span::styled(format!(" {}", strip_heading(app, *strip)), style)), line);
        // The selected strip scrolls to keep the selected tile in view.
        let column = indexes.iter().position(|i| *i == selected).unwrap_or(0);
        let skip = if row == at { column.saturating_sub(per_row - 1) } else { 0 };
        let height = TILE_HEIGHT.min((body.y + body.height).saturating_sub(y + 1));
        for (n, &index) in indexes.iter().skip(skip).take(per_row).enumerate() {
            let x = body.x + 1 + u16::try_from(n).unwrap_or(0) * TILE_WIDTH;
            let tile = Rect { x, y: y + 1, width: TILE_WIDTH - 1, height };
            draw_tile(frame, app, theme, tile, index);
        }
        let hidden = indexes.len().saturating_sub(skip + per_row) + skip;
        if hidden > 0 {
            let more = format!("{hidden} more {}", if skip > 0 { "← →" } else { "→" });
            let w = u16::try_from(more.chars().count()).unwrap_or(0);
            let at = Rect { x: (body.x + body.width).saturating_sub(w + 1), y, width: w.min(body.width), height: 1 };
            frame.render_widget(Paragraph::new(Span::styled(more, theme.dim())), at);
        }
    }
}

/// One tile: the thumbnail in a frame, its area above and the day taken below.
fn draw_tile(frame: &mut Frame, app: &App, theme: &Theme, tile: Rect, index: usize) {
    let Some(photo) = app.photos.get(index) else { return };
    let selected = index == app.photos_view.selected;
    let picked = app.photos_view.picked == Some(photo.id);
    let area = photo.area.as_deref().map(text::printable).unwrap_or_else(|| "photo".into());
    let mark = if picked { "◆ " } else { "" };
    let block = Block::bordered()
        .border_style(if selected { theme.selected() } else { theme.border(false) })
        .title(Span::styled(format!("{mark}{area}"), if selected { theme.selected() } else { theme.text() }))
        .title_bottom(Line::styled(photo.taken.format("%-d %b %H:%M").to_string(), theme.dim()));
    let inner = block.inner(tile);
    frame.render_widget(block, tile);
    draw_picture(frame, app, theme, inner, photo, Size::Thumb);
}

/// A picture, or what stands in for it.
fn draw_picture(frame: &mut Frame, app: &App, theme: &Theme, area: Rect, photo: &Photo, size: Size) {
    if area.width == 0 || area.height == 0 {
        return;
    }
    let mut pictures = app.pictures.borrow_mut();
    match pictures.slots.get_mut(&(photo.hash.clone(), size)) {
        Some(Slot::Ready(protocol)) => {
            // Scaled to the space given, up as well as down (a thumbnail fills its
            // half of a comparison).
            let image = StatefulImage::<StatefulProtocol>::default().resize(Resize::Scale(None));
            frame.render_stateful_widget(image, area, protocol.as_mut());
        }
        Some(Slot::Failed(why)) => {
            let lines = vec![
                Line::styled(text::abbreviate(&text::printable(&photo.original_name), 60), theme.text()),
                Line::styled(why.clone(), theme.warn()),
            ];
            frame.render_widget(Paragraph::new(lines).alignment(Alignment::Center).wrap(Wrap { trim: true }), area);
        }
        Some(Slot::Loading) | None => {
            let middle = Rect { y: area.y + area.height / 2, height: 1, ..area };
            frame.render_widget(Paragraph::new(Span::styled("…", theme.dim())).centered(), middle);
        }
    }
}

/// "Session 2 of 6 · Tue 3 Nov 2026 · cheeks: IMG_0412.jpg"
fn caption(app: &App, photo: &Photo) -> String {
    format!("{} · {}", strip_heading(app, Strip::of(photo)), text::photo_label(photo))
}

fn draw_one(frame: &mut Frame, app: &App, theme: &Theme, area: Rect) {
    let Some(photo) = app.selected_photo() else { return };
    let [picture, under] = Layout::vertical([Constraint::Fill(1), Constraint::Length(1)]).areas(area);
    let block = Block::bordered()
        .border_style(theme.border(true))
        .title(Span::styled(format!(" {} of {} ", app.photos_view.selected + 1, app.photos.len()), theme.heading()));
    let inner = block.inner(picture);
    frame.render_widget(block, picture);
    draw_picture(frame, app, theme, inner, photo, app.large_size());
    let taken = format!(" · taken {}", photo.taken.format("%-d %b %Y %H:%M"));
    frame.render_widget(
        Paragraph::new(Span::styled(format!("{}{taken}", caption(app, photo)), theme.text())).centered(),
        under,
    );
}

fn draw_compare(frame: &mut Frame, app: &App, theme: &Theme, area: Rect, a: i64, b: i64) {
    let (Some(before), Some(after)) = (app.photos.iter().find(|p| p.id == a), app.photos.iter().find(|p| p.id == b))
    else {
        return;
    };
    let [heading, body] = Layout::vertical([Constraint::Length(1), Constraint::Fill(1)]).areas(area);
    let what = match (&before.area, &after.area) {
        (Some(x), Some(y)) if x == y => format!("{} · ", text::printable(x)),
        _ => String::new(),
    };
    // Each picture keeps its own day: when it was taken (its EXIF date, else the
    // file's time) — a results-day photo is of results day — unless that day
    // cannot be (before its session, or after today): then its session's.
    let today = crate::domain::time::local_date(app.now, &app.zone);
    let day = |p: &Photo| {
        let session = p.session_id.and_then(|id| session_day(app, id));
        let own = p.taken.date();
        match session {
            Some(s) if own < s || own > today => s,
            _ => own,
        }
    };
    let apart = format!("{what}{}", text::days_apart(day(before), day(after)));
    frame.render_widget(Paragraph::new(Span::styled(apart, theme.heading())).centered(), heading);
    let [left, right] = Layout::horizontal([Constraint::Fill(1), Constraint::Fill(1)]).areas(body);
    for (side, photo, word) in [(left, before, "Before"), (right, after, "After")] {
        let day = text::day(day(photo));
        let label = text::capitalized(&whose_label(app, photo));
        let block = Block::bordered()
            .border_style(theme.border(false))
            .title(Span::styled(format!(" {word}: {label} "), theme.heading()))
            .title_bottom(Line::styled(format!(" {day} "), theme.text()));
        let inner = block.inner(side);
        frame.render_widget(block, side);
        draw_picture(frame, app, theme, inner, photo, app.large_size());
    }
}
