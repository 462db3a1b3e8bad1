//! Every key, from the key tables: the screens' (everywhere, then each screen's
//! own) and the pop-ups', each listed once.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::framed;
use crate::app::Tab;
use crate::app::keys::{
    BINDINGS, Binding, CHECKLIST_KEYS, ChecklistAction, FORM_KEYS, FormAction, SCREENING_KEYS, Scope, ScreeningAction,
};
use crate::ui::centered;
use crate::ui::theme::Theme;

/// The widest a column of keys is drawn: the key, and what it does in full.
fn column_width(lines: &[(Option<&str>, &str)]) -> u16 {
    let widest =
        lines.iter().map(|(key, text)| key.map_or(0, |_| KEY_WIDTH) + crate::text::width(text)).max().unwrap_or(0);
    u16::try_from(widest + 2).unwrap_or(u16::MAX)
}

/// How wide the keys' own column is.
const KEY_WIDTH: usize = 8;

pub(super) fn draw(frame: &mut Frame, theme: &Theme, area: Rect, own_rules: bool, first: usize) {
    let popup = centered(area, 78, area.height.saturating_sub(2));
    let inner = framed(frame, theme, popup, "Keys · Esc closes this");
    // The note wraps to two rows on a narrow screen, with the → that pages.
    let note_rows = if inner.width < 100 { 2 } else { 1 };
    let [keys_area, note_area] = Layout::vertical([Constraint::Fill(1), Constraint::Length(note_rows)]).areas(inner);
    // (key, text): a section's title has no key.
    let mut lines: Vec<(Option<&str>, &str)> = Vec::new();
    let mut section = |title: &'static str, entries: Vec<(&'static str, &'static str)>| {
        lines.push((None, title));
        lines.extend(entries.into_iter().map(|(key, help)| (Some(key), help)));
    };
    section("Everywhere", listed(BINDINGS, |b| b.scope == Scope::Everywhere));
    for tab in Tab::ALL {
        section(tab.title(), listed(BINDINGS, |b| b.scope == Scope::On(tab)));
    }
    // Pop-ups: quitting works as everywhere, so it is not repeated.
    section("In a form", listed(FORM_KEYS, |b| b.action != FormAction::Quit));
    section("Checklist", listed(CHECKLIST_KEYS, |b| b.action != ChecklistAction::Quit));
    section("Before saving", listed(SCREENING_KEYS, |b| b.action != ScreeningAction::Quit));

    // Fill columns top to bottom, each as wide as its longest line: as many as
    // fit side by side, never overlapping; the rest are a → away.
    let rows = usize::from(keys_area.height).max(1);
    let width = column_width(&lines);
    let fit = usize::from((keys_area.width / width.max(1)).max(1));
    let columns: Vec<&[(Option<&str>, &str)]> = lines.chunks(rows).collect();
    let first = first.min(columns.len().saturating_sub(fit));
    let shown = &columns[first..(first + fit).min(columns.len())];
    let areas = Layout::horizontal(vec![Constraint::Length(width); shown.len()]).split(keys_area);
    for (chunk, column) in shown.iter().zip(areas.iter()) {
        let drawn: Vec<Line> = chunk
            .iter()
            .map(|(key, text)| match key {
                None => Line::styled(*text, theme.title()),
                Some(key) => Line::from(vec![
                    Span::styled(format!("{key:<w$}", w = KEY_WIDTH), theme.key()),
                    Span::styled(*text, theme.text()),
                ]),
            })
            .collect();
        frame.render_widget(Paragraph::new(drawn), *column);
    }
    let more = match (first > 0, first + fit < columns.len()) {
        (false, true) => "→ more keys · ",
        (true, true) => "← → more keys · ",
        (true, false) => "← back · ",
        (false, false) => "",
    };
    let note = if own_rules {
        "Your own rules are in use (needlelog rules show). Not medical advice."
    } else {
        "A logbook, not medical advice: your practitioner's word comes first."
    };
    let note = Line::from(vec![Span::styled(more, theme.key()), Span::styled(note, theme.dim())]);
    frame.render_widget(Paragraph::new(note).wrap(Wrap { trim: true }), note_area);
}

/// The labelled bindings of a table that `keep` keeps, as (keys, what they do).
fn listed<A>(table: &[Binding<A>], keep: impl Fn(&Binding<A>) -> bool) -> Vec<(&'static str, &'static str)> {
    table.iter().filter(|b| !b.label.is_empty() && keep(b)).map(|b| (b.label, b.help)).collect()
}
