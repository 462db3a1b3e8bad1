//! Every key of the screens in one table: it drives the key handling, the footer
//! and the help overlay, so they cannot disagree. Forms and pop-ups read keys
//! themselves (they are typing, not commands).

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// The screens, in tab order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    Today,
    Timeline,
    Sessions,
    People,
}

impl Tab {
    pub const ALL: [Tab; 4] = [Tab::Today, Tab::Timeline, Tab::Sessions, Tab::People];

    pub fn title(self) -> &'static str {
        match self {
            Tab::Today => "Today",
            Tab::Timeline => "Timeline",
            Tab::Sessions => "Sessions",
            Tab::People => "People",
        }
    }

    pub fn index(self) -> usize {
        Tab::ALL.iter().position(|t| *t == self).unwrap_or(0)
    }
}

/// The row of the tab bar, under the header.
pub const TAB_ROW: u16 = 1;

/// The tab labels (` 1 Today `) and the columns where each starts and ends: the
/// tab bar draws them and mouse clicks are matched against them.
pub fn tab_spans() -> Vec<(Tab, String, u16, u16)> {
    let mut x = 1;
    let mut out = Vec::new();
    for (i, tab) in Tab::ALL.iter().enumerate() {
        let label = format!(" {} {} ", i + 1, tab.title());
        let width = u16::try_from(label.chars().count()).unwrap_or(0);
        out.push((*tab, label, x, x + width));
        x += width + 1;
    }
    out
}

/// The tab under a click at column `x` of the tab row.
pub fn tab_at(x: u16) -> Option<Tab> {
    tab_spans().into_iter().find(|(_, _, from, to)| (*from..*to).contains(&x)).map(|(tab, ..)| tab)
}

/// What a key asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Quit,
    Help,
    NextTab,
    PrevTab,
    GoTo(Tab),
    Up,
    Down,
    PageUp,
    PageDown,
    Top,
    Bottom,
    NewCourse,
    AddSession,
    Edit,
    Delete,
    Undo,
    MarkDone,
    Plan,
    AddPerson,
    Select,
    Archive,
    SwitchPane,
    Checklist,
    ZoomIn,
    ZoomOut,
    ScrollBack,
    ScrollForward,
    PageBack,
    PageForward,
    Today,
    PrevEvent,
    NextEvent,
}

/// Where a binding applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Everywhere,
    On(Tab),
}

pub struct Binding {
    pub keys: &'static [KeyCode],
    /// How the footer and help write the keys; empty for the second of a pair
    /// (↓ after ↑) that its partner's label already names.
    pub label: &'static str,
    pub help: &'static str,
    pub action: Action,
    pub scope: Scope,
    /// Shown in the footer (the rest only in help).
    pub footer: bool,
}

const fn bind(
    keys: &'static [KeyCode],
    label: &'static str,
    help: &'static str,
    action: Action,
    scope: Scope,
    footer: bool,
) -> Binding {
    Binding { keys, label, help, action, scope, footer }
}

use Action as A;
use KeyCode as K;
use Scope::{Everywhere as ALL, On};

pub const BINDINGS: &[Binding] = &[
    bind(&[K::Char('?')], "?", "help", A::Help, ALL, true),
    bind(&[K::Char('q')], "q", "quit", A::Quit, ALL, true),
    bind(&[K::Tab], "Tab", "next screen", A::NextTab, ALL, false),
    bind(&[K::BackTab], "S-Tab", "previous screen", A::PrevTab, ALL, false),
    bind(&[K::Char('1')], "1-4", "go to a screen", A::GoTo(Tab::Today), ALL, false),
    bind(&[K::Char('2')], "", "Timeline", A::GoTo(Tab::Timeline), ALL, false),
    bind(&[K::Char('3')], "", "Sessions", A::GoTo(Tab::Sessions), ALL, false),
    bind(&[K::Char('4')], "", "People", A::GoTo(Tab::People), ALL, false),
    bind(&[K::Up, K::Char('k')], "↑↓ jk", "move", A::Up, ALL, false),
    bind(&[K::Down, K::Char('j')], "", "move down", A::Down, ALL, false),
    bind(&[K::PageUp], "PgUp/Dn", "a page", A::PageUp, ALL, false),
    bind(&[K::PageDown], "", "page down", A::PageDown, ALL, false),
    bind(&[K::Home, K::Char('g')], "g G", "first, last", A::Top, ALL, false),
    bind(&[K::End, K::Char('G')], "", "last", A::Bottom, ALL, false),
    bind(&[K::Char('n')], "n", "new course", A::NewCourse, ALL, false),
    bind(&[K::Char('c')], "c", "checklist", A::Checklist, ALL, false),
    bind(&[K::Char('a')], "a", "log session", A::AddSession, On(Tab::Today), true),
    bind(&[K::Char('p')], "p", "plan next", A::Plan, On(Tab::Today), true),
    bind(&[K::Char('c')], "c", "checklist", A::Checklist, On(Tab::Today), true),
    bind(&[K::Char('n')], "n", "new course", A::NewCourse, On(Tab::Today), true),
    bind(&[K::Char('a')], "a", "add", A::AddSession, On(Tab::Sessions), true),
    bind(&[K::Char('e'), K::Enter], "e", "edit", A::Edit, On(Tab::Sessions), true),
    bind(&[K::Char('d'), K::Delete], "d", "delete", A::Delete, On(Tab::Sessions), true),
    bind(&[K::Char('u')], "u", "undo", A::Undo, On(Tab::Sessions), true),
    bind(&[K::Char('m')], "m", "mark done", A::MarkDone, On(Tab::Sessions), true),
    bind(&[K::Char('p')], "p", "plan next", A::Plan, On(Tab::Sessions), true),
    bind(&[K::Enter], "Enter", "make current", A::Select, On(Tab::People), true),
    bind(&[K::Char('a')], "a", "add person", A::AddPerson, On(Tab::People), true),
    bind(&[K::Char('n')], "n", "new course", A::NewCourse, On(Tab::People), true),
    bind(&[K::Char('e')], "e", "edit", A::Edit, On(Tab::People), true),
    bind(&[K::Char('x')], "x", "archive", A::Archive, On(Tab::People), true),
    bind(&[K::Left, K::Right, K::Char('h'), K::Char('l')], "←/→", "switch list", A::SwitchPane, On(Tab::People), true),
    bind(&[K::Char('+'), K::Char('=')], "+/-", "zoom", A::ZoomIn, On(Tab::Timeline), true),
    bind(&[K::Char('-')], "", "zoom out", A::ZoomOut, On(Tab::Timeline), false),
    bind(&[K::Left, K::Char('h')], "←→ hl", "scroll", A::ScrollBack, On(Tab::Timeline), true),
    bind(&[K::Right, K::Char('l')], "", "scroll later", A::ScrollForward, On(Tab::Timeline), false),
    bind(&[K::PageUp], "PgUp/Dn", "scroll a page", A::PageBack, On(Tab::Timeline), false),
    bind(&[K::PageDown], "", "scroll a page on", A::PageForward, On(Tab::Timeline), false),
    bind(&[K::Char('['), K::Up, K::Char('k')], "[ ]", "events", A::PrevEvent, On(Tab::Timeline), true),
    bind(&[K::Char(']'), K::Down, K::Char('j')], "", "next event", A::NextEvent, On(Tab::Timeline), false),
    bind(&[K::Char('t')], "t", "today", A::Today, On(Tab::Timeline), true),
    bind(&[K::Char('a')], "a", "log session", A::AddSession, On(Tab::Timeline), false),
];

/// The action of a key on a screen: the screen's own bindings first.
pub fn action_for(tab: Tab, key: KeyEvent) -> Option<Action> {
    if key.modifiers.contains(KeyModifiers::CONTROL) {
        return match key.code {
            KeyCode::Char('c') => Some(Action::Quit),
            _ => None,
        };
    }
    let matches = |b: &&Binding| b.keys.contains(&key.code);
    BINDINGS
        .iter()
        .filter(|b| b.scope == On(tab))
        .find(matches)
        .or_else(|| BINDINGS.iter().filter(|b| b.scope == Scope::Everywhere).find(matches))
        .map(|b| b.action)
}

/// The footer of a screen: its own keys, then help and quit.
pub fn footer(tab: Tab) -> Vec<(&'static str, &'static str)> {
    let own = BINDINGS.iter().filter(|b| b.footer && b.scope == On(tab));
    let global = BINDINGS.iter().filter(|b| b.footer && b.scope == Scope::Everywhere);
    own.chain(global).map(|b| (b.label, b.help)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    #[test]
    fn screen_keys_come_before_global_ones() {
        assert_eq!(action_for(Tab::Sessions, key(KeyCode::Char('a'))), Some(Action::AddSession));
        assert_eq!(action_for(Tab::People, key(KeyCode::Char('a'))), Some(Action::AddPerson));
        assert_eq!(action_for(Tab::People, key(KeyCode::Enter)), Some(Action::Select));
        assert_eq!(action_for(Tab::Sessions, key(KeyCode::Enter)), Some(Action::Edit));
        assert_eq!(action_for(Tab::Timeline, key(KeyCode::Char('3'))), Some(Action::GoTo(Tab::Sessions)));
        assert_eq!(action_for(Tab::Today, key(KeyCode::Char('z'))), None);
        assert_eq!(
            action_for(Tab::Today, KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL)),
            Some(Action::Quit)
        );
    }

    #[test]
    fn every_footer_ends_with_help_and_quit() {
        for tab in Tab::ALL {
            let footer = footer(tab);
            assert_eq!(footer[footer.len() - 2..], [("?", "help"), ("q", "quit")]);
        }
    }
}
