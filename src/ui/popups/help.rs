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

pub(super) fn draw(frame: &mut Frame, theme: &Theme, area: Rect, own_rules: bool) {
    let popup = centered(area, 78, area.height.saturating_sub(2));
    let inner = framed(frame, theme, popup, "Keys · Esc closes this");
    let [keys_area, note_area] = Layout::vertical([Constraint::Fill(1), Constraint::Length(1)]).areas(inner);
    let mut lines = Vec::new();
    let mut section = |title: &'static str, entries: Vec<(&'static str, &'static str)>| {
        lines.push(Line::styled(title, theme.title()));
        lines.extend(entries.into_iter().map(|(key, help)| {
            Line::from(vec![Span::styled(format!("{key:<8}"), theme.key()), Span::styled(help, theme.text())])
        }));
    };
    section("Everywhere", listed(BINDINGS, |b| b.scope == Scope::Everywhere));
    for tab in Tab::ALL {
        section(tab.title(), listed(BINDINGS, |b| b.scope == Scope::On(tab)));
    }
    // Pop-ups: quitting works as everywhere, so it is not repeated.
    section("In a form", listed(FORM_KEYS, |b| b.action != FormAction::Quit));
    section("Checklist", listed(CHECKLIST_KEYS, |b| b.action != ChecklistAction::Quit));
    section("Before saving", listed(SCREENING_KEYS, |b| b.action != ScreeningAction::Quit));

    // Fill columns top to bottom.
    let rows = usize::from(keys_area.height).max(1);
    let columns = lines.len().div_ceil(rows).max(1);
    let areas =
        Layout::horizontal(vec![Constraint::Ratio(1, u32::try_from(columns).unwrap_or(1)); columns]).split(keys_area);
    for (chunk, column) in lines.chunks(rows).zip(areas.iter()) {
        frame.render_widget(Paragraph::new(chunk.to_vec()), *column);
    }
    let note = if own_rules {
        "Your own rules are in use (needlelog rules show). Not medical advice."
    } else {
        "A logbook, not medical advice: your practitioner's word comes first."
    };
    let note = Line::styled(note, theme.dim());
    frame.render_widget(Paragraph::new(note).wrap(Wrap { trim: true }), note_area);
}

/// The labelled bindings of a table that `keep` keeps, as (keys, what they do).
fn listed<A>(table: &[Binding<A>], keep: impl Fn(&Binding<A>) -> bool) -> Vec<(&'static str, &'static str)> {
    table.iter().filter(|b| !b.label.is_empty() && keep(b)).map(|b| (b.label, b.help)).collect()
}
