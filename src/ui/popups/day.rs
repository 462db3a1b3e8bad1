//! The day sheet: a day's bookings in time order — the time, the client, the
//! course and its place — each with what needs attention before the visit.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{List, ListItem, ListState, Paragraph};

use super::{framed, hint_line};
use crate::app::keys::{DAY_HINTS, DAY_KEYS, hints};
use crate::app::{App, DaySheet};
use crate::ui::centered;
use crate::ui::theme::Theme;

pub(super) fn draw(frame: &mut Frame, app: &App, theme: &Theme, area: Rect, sheet: &DaySheet) {
    let count = match sheet.bookings.len() {
        0 => "no bookings".to_string(),
        n => crate::text::plural(i64::try_from(n).unwrap_or(0), "booking"),
    };
    let title = format!("Day sheet · {} · {count}", crate::text::day(sheet.day));
    let popup = centered(area, area.width.saturating_sub(4).max(40), area.height.saturating_sub(2));
    let inner = framed(frame, theme, popup, &title);
    let [list_area, keys_area] = Layout::vertical([Constraint::Fill(1), Constraint::Length(1)]).areas(inner);
    if sheet.bookings.is_empty() {
        let said = "Nothing booked this day: ←/→ look at the days around it.";
        frame.render_widget(Paragraph::new(Line::styled(said, theme.dim())), list_area);
    } else {
        let width = usize::from(list_area.width.saturating_sub(4)).max(20);
        let items: Vec<ListItem> = sheet
            .bookings
            .iter()
            .map(|b| {
                let time = b.at.with_timezone(&app.zone).format("%H:%M").to_string();
                let head = Line::from(vec![
                    Span::styled(format!("{time}  "), theme.key()),
                    Span::styled(crate::text::printable(&b.client), theme.title()),
                    Span::styled(format!(" · {}", b.course), theme.text()),
                ]);
                // What needs attention, wrapped under the booking.
                let said =
                    if b.attention.is_empty() { "nothing to note".to_string() } else { b.attention.join(" · ") };
                let mut lines = vec![head];
                lines.extend(
                    crate::text::wrap(&crate::text::printable(&said), width.saturating_sub(7), 0)
                        .into_iter()
                        .map(|l| Line::styled(format!("       {l}"), theme.warn())),
                );
                ListItem::new(lines)
            })
            .collect();
        let list = List::new(items).highlight_style(theme.selected()).highlight_symbol("▶ ");
        let mut state = ListState::default().with_selected(Some(sheet.cursor));
        frame.render_stateful_widget(list, list_area, &mut state);
    }
    frame.render_widget(Paragraph::new(hint_line(theme, &hints(DAY_KEYS, DAY_HINTS), " · ")), keys_area);
}
