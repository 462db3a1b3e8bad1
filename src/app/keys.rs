//! Every key in tables: one for the screens and one for each pop-up (form,
//! checklist, screening questions, confirmation, help). The tables drive the key
//! handling, the footer, the pop-ups' hint lines and the help overlay, so they
//! cannot disagree. Keys a table does not name go to the focused text field.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// The screens, in tab order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Tab {
    Today,
    Timeline,
    Sessions,
    People,
    Photos,
}

impl Tab {
    pub const ALL: [Tab; 5] = [Tab::Today, Tab::Timeline, Tab::Sessions, Tab::People, Tab::Photos];

    pub fn title(self) -> &'static str {
        match self {
            Tab::Today => "Today",
            Tab::Timeline => "Timeline",
            Tab::Sessions => "Sessions",
            Tab::People => "People",
            Tab::Photos => "Photos",
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

/// A key as the tables name it: a code, with or without Ctrl.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    pub code: KeyCode,
    pub ctrl: bool,
}

/// Suspends the app (the shell's `fg` brings it back), wherever the keys are.
pub const SUSPEND: Key = Key::ctrl('z');

impl Key {
    const fn plain(code: KeyCode) -> Key {
        Key { code, ctrl: false }
    }

    const fn ctrl(c: char) -> Key {
        Key { code: KeyCode::Char(c), ctrl: true }
    }

    pub fn matches(self, key: &KeyEvent) -> bool {
        self.code == key.code && self.ctrl == key.modifiers.contains(KeyModifiers::CONTROL)
    }
}

/// What a key asks for on a screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Quit,
    Suspend,
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
    /// Today: answer "did it happen?" for a planned session whose time has passed.
    Happened,
    /// Today: note how the skin is today in the recovery diary of the last session.
    Diary,
    Plan,
    /// Give a course's results a final rating (on and after results day).
    RateResults,
    /// Narrow the People or Sessions list as you type.
    Find,
    /// Record an adverse event against the selected session.
    AdverseEvent,
    /// Correct (or void) the selected session's latest adverse event.
    CorrectEvent,
    /// The selected session's notes, whole.
    Notes,
    /// The day's bookings, with what needs attention before each visit.
    DaySheet,
    /// Photos for the course itself, of no session (results day).
    AddCoursePhotos,
    /// Write the current course's one-page report (and open it where there is a display).
    Report,
    AddPerson,
    Select,
    /// Archive a person, or mark a course complete.
    ArchiveOrComplete,
    /// People, Due list: put the selected recall off four weeks.
    SnoozeRecall,
    /// People: the keys act on the people list (left).
    FocusPeople,
    /// People: the keys act on the Due list (right).
    FocusDue,
    Checklist,
    ZoomIn,
    ZoomOut,
    ScrollBack,
    ScrollForward,
    PageBack,
    PageForward,
    /// Put now in the middle of the timeline.
    JumpToNow,
    PrevEvent,
    NextEvent,
    /// Photos: the previous (or next) picture.
    PrevPhoto,
    NextPhoto,
    /// Photos: the selected picture large (again: the strips).
    ShowPhoto,
    /// Photos: pick the selected picture for a comparison.
    PickPhoto,
    /// Photos: before and after, side by side.
    ComparePhotos,
    /// Photos: back to the strips.
    PhotosBack,
}

impl Action {
    /// Whether the action changes the records (refused while they cannot be
    /// reached: a server away).
    pub fn writes(self) -> bool {
        matches!(
            self,
            Action::NewCourse
                | Action::AddSession
                | Action::Edit
                | Action::Delete
                | Action::Undo
                | Action::MarkDone
                | Action::Happened
                | Action::Diary
                | Action::Plan
                | Action::RateResults
                | Action::AdverseEvent
                | Action::CorrectEvent
                | Action::AddCoursePhotos
                | Action::AddPerson
                | Action::ArchiveOrComplete
                | Action::SnoozeRecall
        )
    }
}

/// What a key asks for in a form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormAction {
    Save,
    NextField,
    PrevField,
    Cancel,
    Quit,
    /// Goes to the focused field: typing, ←/→ on a choice, Ctrl-U, Ctrl-W.
    Edit,
}

/// What a key asks for in a checklist.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChecklistAction {
    Up,
    Down,
    Tick,
    AddOwn,
    RemoveOwn,
    Close,
    Quit,
}

/// What a key asks for in the screening questions before a done session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScreeningAction {
    Up,
    Down,
    Tick,
    Save,
    Back,
    Quit,
}

/// What a key asks for when a save met changes made elsewhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConflictAction {
    Up,
    Down,
    /// Keep this field's value from here, or the one saved elsewhere.
    Toggle,
    Save,
    /// Start again from the record as it is now (what was typed here goes).
    Reopen,
    Back,
    Quit,
}

/// What a key asks for in a yes/no question.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConfirmAction {
    Yes,
    No,
    /// Neither: nothing happens (a question whose "no" does something, too).
    Cancel,
    Quit,
}

/// What a key answers to "did it happen?" about a planned session that passed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HappenedAction {
    Done,
    Moved,
    Cancelled,
    Later,
    Quit,
}

/// What a key asks for in the help overlay.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HelpAction {
    Close,
    /// The next column of keys, when they do not all fit.
    More,
    Back,
    Quit,
}

/// Where a screen binding applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scope {
    Everywhere,
    On(Tab),
}

/// Keys, how help and hint lines write them, and what they do.
pub struct Binding<A> {
    pub keys: &'static [Key],
    /// How help and hint lines write the keys; empty for the second of a pair
    /// (↓ after ↑) that its partner's label already names.
    pub label: &'static str,
    pub help: &'static str,
    pub action: A,
    pub scope: Scope,
}

const fn bind<A>(keys: &'static [Key], label: &'static str, help: &'static str, action: A, scope: Scope) -> Binding<A> {
    Binding { keys, label, help, action, scope }
}

/// A binding of a pop-up: it applies wherever the pop-up is open.
const fn pop<A>(keys: &'static [Key], label: &'static str, help: &'static str, action: A) -> Binding<A> {
    bind(keys, label, help, action, Scope::Everywhere)
}

use Action as A;
use KeyCode as K;
use Scope::{Everywhere as ALL, On};

const fn k(code: KeyCode) -> Key {
    Key::plain(code)
}

const fn c(ch: char) -> Key {
    Key::plain(KeyCode::Char(ch))
}

/// The screens' keys: a screen's own first, then those that work everywhere.
pub const BINDINGS: &[Binding<Action>] = &[
    bind(&[c('?')], "?", "help", A::Help, ALL),
    bind(&[c('q'), Key::ctrl('c')], "q", "quit", A::Quit, ALL),
    bind(&[SUSPEND], "Ctrl-Z", "suspend", A::Suspend, ALL),
    bind(&[k(K::Tab)], "", "next screen", A::NextTab, ALL),
    bind(&[k(K::BackTab)], "", "previous screen", A::PrevTab, ALL),
    bind(&[c('1')], "Tab 1-5", "screens", A::GoTo(Tab::Today), ALL),
    bind(&[c('2')], "", "Timeline", A::GoTo(Tab::Timeline), ALL),
    bind(&[c('3')], "", "Sessions", A::GoTo(Tab::Sessions), ALL),
    bind(&[c('4')], "", "People", A::GoTo(Tab::People), ALL),
    bind(&[c('5')], "", "Photos", A::GoTo(Tab::Photos), ALL),
    bind(&[k(K::Up), c('k')], "↑↓ jk", "move", A::Up, ALL),
    bind(&[k(K::Down), c('j')], "", "move down", A::Down, ALL),
    bind(&[k(K::PageUp)], "PgUp gG", "page, ends", A::PageUp, ALL),
    bind(&[k(K::PageDown)], "", "page down", A::PageDown, ALL),
    bind(&[k(K::Home), c('g')], "", "first", A::Top, ALL),
    bind(&[k(K::End), c('G')], "", "last", A::Bottom, ALL),
    bind(&[c('n')], "n", "new course", A::NewCourse, ALL),
    bind(&[c('c')], "c", "checklist", A::Checklist, ALL),
    bind(&[c('R')], "R", "course report", A::Report, ALL),
    bind(&[c('/')], "/", "find", A::Find, ALL),
    bind(&[c('D')], "D", "day sheet", A::DaySheet, ALL),
    bind(&[c('a')], "a", "log session", A::AddSession, On(Tab::Today)),
    bind(&[c('p')], "p", "plan next", A::Plan, On(Tab::Today)),
    bind(&[c('r')], "r", "rate the results", A::RateResults, On(Tab::Today)),
    bind(&[c('h')], "h", "did it happen?", A::Happened, On(Tab::Today)),
    bind(&[c('d')], "d", "recovery diary", A::Diary, On(Tab::Today)),
    bind(&[c('a')], "a", "add", A::AddSession, On(Tab::Sessions)),
    bind(&[c('e'), k(K::Enter)], "e", "edit", A::Edit, On(Tab::Sessions)),
    bind(&[c('d'), k(K::Delete)], "d u", "delete, undo", A::Delete, On(Tab::Sessions)),
    bind(&[c('u')], "", "undo", A::Undo, On(Tab::Sessions)),
    bind(&[c('m')], "m", "mark done", A::MarkDone, On(Tab::Sessions)),
    bind(&[c('v')], "v", "adverse event", A::AdverseEvent, On(Tab::Sessions)),
    bind(&[c('V')], "V", "correct or void its event", A::CorrectEvent, On(Tab::Sessions)),
    bind(&[c('N')], "N", "its notes, whole", A::Notes, On(Tab::Sessions)),
    bind(&[c('p')], "p", "plan next", A::Plan, On(Tab::Sessions)),
    bind(&[k(K::Enter)], "Enter", "open", A::Select, On(Tab::People)),
    bind(&[c('a')], "a", "add person", A::AddPerson, On(Tab::People)),
    bind(&[c('e')], "e", "edit", A::Edit, On(Tab::People)),
    bind(&[c('x')], "x z", "archive; recalls", A::ArchiveOrComplete, On(Tab::People)),
    bind(&[c('z')], "", "put a recall off 4 weeks", A::SnoozeRecall, On(Tab::People)),
    bind(&[k(K::Left), c('h')], "←/→", "people, due list", A::FocusPeople, On(Tab::People)),
    bind(&[k(K::Right), c('l')], "", "due list", A::FocusDue, On(Tab::People)),
    bind(&[c('+'), c('=')], "+/-", "zoom", A::ZoomIn, On(Tab::Timeline)),
    bind(&[c('-')], "", "zoom out", A::ZoomOut, On(Tab::Timeline)),
    bind(&[k(K::Left), c('h')], "←→ hl", "scroll", A::ScrollBack, On(Tab::Timeline)),
    bind(&[k(K::Right), c('l')], "", "scroll later", A::ScrollForward, On(Tab::Timeline)),
    bind(&[k(K::PageUp)], "PgUp/Dn", "scroll a page", A::PageBack, On(Tab::Timeline)),
    bind(&[k(K::PageDown)], "", "scroll a page on", A::PageForward, On(Tab::Timeline)),
    bind(&[c('['), k(K::Up), c('k')], "[ ]", "events", A::PrevEvent, On(Tab::Timeline)),
    bind(&[c(']'), k(K::Down), c('j')], "", "next event", A::NextEvent, On(Tab::Timeline)),
    bind(&[c('t')], "t", "today", A::JumpToNow, On(Tab::Timeline)),
    bind(&[c('a')], "a", "log session", A::AddSession, On(Tab::Timeline)),
    bind(&[k(K::Left), c('h')], "←→ ↑↓", "photos, sessions", A::PrevPhoto, On(Tab::Photos)),
    bind(&[k(K::Right), c('l')], "", "next photo", A::NextPhoto, On(Tab::Photos)),
    bind(&[k(K::Enter)], "Enter", "large", A::ShowPhoto, On(Tab::Photos)),
    bind(&[c('v')], "v", "compare", A::ComparePhotos, On(Tab::Photos)),
    bind(&[c('a')], "a", "add to the course", A::AddCoursePhotos, On(Tab::Photos)),
    bind(&[c(' ')], "space", "pick two", A::PickPhoto, On(Tab::Photos)),
    bind(&[k(K::Esc)], "Esc", "back", A::PhotosBack, On(Tab::Photos)),
];

/// What each screen's footer shows, in order; help and quit end every footer.
const FOOTERS: [(Tab, &[Action]); 5] = [
    (Tab::Today, &[A::AddSession, A::Plan, A::Checklist, A::NewCourse]),
    (Tab::Timeline, &[A::ZoomIn, A::ScrollBack, A::PrevEvent, A::JumpToNow]),
    (Tab::Sessions, &[A::AddSession, A::Edit, A::Delete, A::MarkDone, A::AdverseEvent, A::Plan]),
    (Tab::People, &[A::Select, A::AddPerson, A::NewCourse, A::Edit, A::ArchiveOrComplete, A::FocusPeople]),
    (Tab::Photos, &[A::PrevPhoto, A::ShowPhoto, A::ComparePhotos, A::PickPhoto, A::PhotosBack]),
];

pub const FORM_KEYS: &[Binding<FormAction>] = &[
    pop(&[k(K::Enter), Key::ctrl('s')], "Enter", "save", FormAction::Save),
    pop(&[k(K::Tab), k(K::Down)], "Tab", "next field", FormAction::NextField),
    pop(&[k(K::BackTab), k(K::Up)], "S-Tab", "previous field", FormAction::PrevField),
    pop(&[k(K::Esc)], "Esc", "cancel", FormAction::Cancel),
    pop(&[k(K::Left), k(K::Right)], "←→", "choose", FormAction::Edit),
    pop(&[Key::ctrl('u')], "Ctrl-U", "clear the field", FormAction::Edit),
    pop(&[Key::ctrl('w')], "Ctrl-W", "delete a word", FormAction::Edit),
    pop(&[Key::ctrl('c')], "Ctrl-C", "quit", FormAction::Quit),
];

/// The form's hint line.
pub const FORM_HINTS: &[FormAction] = &[FormAction::Save, FormAction::NextField, FormAction::Cancel];

pub const CHECKLIST_KEYS: &[Binding<ChecklistAction>] = &[
    pop(&[k(K::Up), c('k')], "↑↓", "move", ChecklistAction::Up),
    pop(&[k(K::Down), c('j')], "", "move down", ChecklistAction::Down),
    pop(&[c(' '), c('x')], "Space", "tick", ChecklistAction::Tick),
    pop(&[c('a')], "a", "add your own", ChecklistAction::AddOwn),
    pop(&[c('d'), k(K::Delete)], "d", "remove yours", ChecklistAction::RemoveOwn),
    pop(&[k(K::Enter), k(K::Esc), c('c'), c('q')], "Enter", "close", ChecklistAction::Close),
    pop(&[Key::ctrl('c')], "Ctrl-C", "quit", ChecklistAction::Quit),
];

pub const CHECKLIST_HINTS: &[ChecklistAction] =
    &[ChecklistAction::Tick, ChecklistAction::AddOwn, ChecklistAction::RemoveOwn, ChecklistAction::Close];

/// A checklist that opened by itself: its own keys only (`a`, `d` act on the screen).
pub const CHECKLIST_POPPED_HINTS: &[ChecklistAction] = &[ChecklistAction::Tick, ChecklistAction::Close];

pub const SCREENING_KEYS: &[Binding<ScreeningAction>] = &[
    pop(&[k(K::Up), c('k')], "↑↓", "move", ScreeningAction::Up),
    pop(&[k(K::Down), c('j')], "", "move down", ScreeningAction::Down),
    pop(&[c(' '), c('x')], "Space", "tick", ScreeningAction::Tick),
    pop(&[k(K::Enter)], "Enter", "save the session", ScreeningAction::Save),
    pop(&[k(K::Esc)], "Esc", "back to the form", ScreeningAction::Back),
    pop(&[Key::ctrl('c')], "Ctrl-C", "quit", ScreeningAction::Quit),
];

pub const SCREENING_HINTS: &[ScreeningAction] = &[ScreeningAction::Tick, ScreeningAction::Save, ScreeningAction::Back];

pub const CONFLICT_KEYS: &[Binding<ConflictAction>] = &[
    pop(&[k(K::Up), c('k')], "↑↓", "move", ConflictAction::Up),
    pop(&[k(K::Down), c('j')], "", "move down", ConflictAction::Down),
    pop(&[c(' '), c('x')], "Space", "mine or theirs", ConflictAction::Toggle),
    pop(&[k(K::Enter)], "Enter", "save", ConflictAction::Save),
    pop(&[c('r')], "r", "reopen theirs", ConflictAction::Reopen),
    pop(&[k(K::Esc)], "Esc", "back to the form", ConflictAction::Back),
    pop(&[Key::ctrl('c')], "Ctrl-C", "quit", ConflictAction::Quit),
];

pub const CONFLICT_HINTS: &[ConflictAction] =
    &[ConflictAction::Toggle, ConflictAction::Save, ConflictAction::Reopen, ConflictAction::Back];

pub const CONFIRM_KEYS: &[Binding<ConfirmAction>] = &[
    pop(&[c('y'), c('Y')], "y", "yes", ConfirmAction::Yes),
    pop(&[c('n'), c('N')], "n", "no", ConfirmAction::No),
    pop(&[k(K::Esc)], "Esc", "cancel", ConfirmAction::Cancel),
    pop(&[Key::ctrl('c')], "Ctrl-C", "quit", ConfirmAction::Quit),
];

pub const CONFIRM_HINTS: &[ConfirmAction] = &[ConfirmAction::Yes, ConfirmAction::No, ConfirmAction::Cancel];

/// What a key answers on a new file: whose log it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WhoseAction {
    Mine,
    Clients,
    Later,
}

pub const WHOSE_KEYS: &[Binding<WhoseAction>] = &[
    pop(&[c('m')], "m", "my own", WhoseAction::Mine),
    pop(&[c('c')], "c", "my clients", WhoseAction::Clients),
    pop(&[k(K::Esc)], "Esc", "later", WhoseAction::Later),
];

pub const HAPPENED_KEYS: &[Binding<HappenedAction>] = &[
    pop(&[c('d'), c('y')], "d", "it was done", HappenedAction::Done),
    pop(&[c('m')], "m", "moved", HappenedAction::Moved),
    pop(&[c('c'), c('x')], "c", "cancelled", HappenedAction::Cancelled),
    pop(&[k(K::Esc), c('q')], "Esc", "later", HappenedAction::Later),
    pop(&[Key::ctrl('c')], "Ctrl-C", "quit", HappenedAction::Quit),
];

pub const HAPPENED_HINTS: &[HappenedAction] =
    &[HappenedAction::Done, HappenedAction::Moved, HappenedAction::Cancelled, HappenedAction::Later];

/// What a key does while finding (`/`): any other key types into the query.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FindAction {
    Select,
    Clear,
    Up,
    Down,
    Quit,
}

pub const FIND_KEYS: &[Binding<FindAction>] = &[
    pop(&[k(K::Enter)], "Enter", "select", FindAction::Select),
    pop(&[k(K::Esc)], "Esc", "clear", FindAction::Clear),
    pop(&[k(K::Up)], "↑↓", "move", FindAction::Up),
    pop(&[k(K::Down)], "", "move down", FindAction::Down),
    pop(&[Key::ctrl('c')], "Ctrl-C", "quit", FindAction::Quit),
];

pub const FIND_HINTS: &[FindAction] = &[FindAction::Select, FindAction::Clear, FindAction::Up];

/// What a key does on a client's card.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CardAction {
    Up,
    Down,
    Open,
    Log,
    Plan,
    NewCourse,
    EditPerson,
    Consent,
    Close,
    Quit,
}

pub const CARD_KEYS: &[Binding<CardAction>] = &[
    pop(&[k(K::Up), c('k')], "↑↓", "course", CardAction::Up),
    pop(&[k(K::Down), c('j')], "", "next course", CardAction::Down),
    pop(&[k(K::Enter)], "Enter", "open", CardAction::Open),
    pop(&[c('a')], "a", "log", CardAction::Log),
    pop(&[c('p')], "p", "plan", CardAction::Plan),
    pop(&[c('n')], "n", "new course", CardAction::NewCourse),
    pop(&[c('e')], "e", "edit person", CardAction::EditPerson),
    pop(&[c('c')], "c", "consent", CardAction::Consent),
    pop(&[k(K::Esc), c('q')], "Esc", "close", CardAction::Close),
    pop(&[Key::ctrl('c')], "Ctrl-C", "quit", CardAction::Quit),
];

pub const CARD_HINTS: &[CardAction] = &[
    CardAction::Open,
    CardAction::Log,
    CardAction::Plan,
    CardAction::NewCourse,
    CardAction::EditPerson,
    CardAction::Consent,
    CardAction::Close,
];

/// What a key does on the day sheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DayAction {
    Up,
    Down,
    PrevDay,
    NextDay,
    Today,
    Open,
    Log,
    Close,
    Quit,
}

pub const DAY_KEYS: &[Binding<DayAction>] = &[
    pop(&[k(K::Up), c('k')], "↑↓", "booking", DayAction::Up),
    pop(&[k(K::Down), c('j')], "", "next booking", DayAction::Down),
    pop(&[k(K::Left), c('h')], "←→", "day", DayAction::PrevDay),
    pop(&[k(K::Right), c('l')], "", "next day", DayAction::NextDay),
    pop(&[c('t')], "t", "today", DayAction::Today),
    pop(&[k(K::Enter)], "Enter", "the client", DayAction::Open),
    pop(&[c('a')], "a", "log it", DayAction::Log),
    pop(&[k(K::Esc), c('q'), c('D')], "Esc", "close", DayAction::Close),
    pop(&[Key::ctrl('c')], "Ctrl-C", "quit", DayAction::Quit),
];

pub const DAY_HINTS: &[DayAction] =
    &[DayAction::Up, DayAction::PrevDay, DayAction::Today, DayAction::Open, DayAction::Log, DayAction::Close];

/// What a key does to a session's notes shown whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotesAction {
    Down,
    Up,
    Close,
    Quit,
}

pub const NOTES_KEYS: &[Binding<NotesAction>] = &[
    pop(&[k(K::Down), c('j'), k(K::PageDown), c(' ')], "↑↓", "scroll", NotesAction::Down),
    pop(&[k(K::Up), c('k'), k(K::PageUp)], "", "scroll up", NotesAction::Up),
    pop(&[k(K::Esc), k(K::Enter), c('q'), c('N')], "Esc", "close", NotesAction::Close),
    pop(&[Key::ctrl('c')], "Ctrl-C", "quit", NotesAction::Quit),
];

pub const NOTES_HINTS: &[NotesAction] = &[NotesAction::Down, NotesAction::Close];

pub const HELP_KEYS: &[Binding<HelpAction>] = &[
    pop(&[k(K::Esc), k(K::Enter), c('?'), c('q')], "Esc", "close", HelpAction::Close),
    pop(&[k(K::Right), c('l'), k(K::PageDown), k(K::Down), c('j')], "→", "more keys", HelpAction::More),
    pop(&[k(K::Left), c('h'), k(K::PageUp), k(K::Up), c('k')], "←", "back", HelpAction::Back),
    pop(&[Key::ctrl('c')], "Ctrl-C", "quit", HelpAction::Quit),
];

/// The action a key has in a pop-up's table.
pub fn lookup<A: Copy>(table: &[Binding<A>], key: &KeyEvent) -> Option<A> {
    table.iter().find(|b| b.keys.iter().any(|k| k.matches(key))).map(|b| b.action)
}

/// `(label, help)` of the first labelled binding of each action, in the order given:
/// a pop-up's hint line.
pub fn hints<A: Copy + PartialEq>(table: &[Binding<A>], actions: &[A]) -> Vec<(&'static str, &'static str)> {
    actions
        .iter()
        .filter_map(|a| table.iter().find(|b| b.action == *a && !b.label.is_empty()))
        .map(|b| (b.label, b.help))
        .collect()
}

/// The action of a key on a screen: the screen's own bindings first.
pub fn action_for(tab: Tab, key: KeyEvent) -> Option<Action> {
    let matches = |b: &&Binding<Action>| b.keys.iter().any(|k| k.matches(&key));
    BINDINGS
        .iter()
        .filter(|b| b.scope == On(tab))
        .find(matches)
        .or_else(|| BINDINGS.iter().filter(|b| b.scope == Scope::Everywhere).find(matches))
        .map(|b| b.action)
}

/// The footer of a screen: its own keys, then help and quit.
pub fn footer(tab: Tab) -> Vec<(&'static str, &'static str)> {
    let own = FOOTERS.iter().find(|(t, _)| *t == tab).map_or(&[][..], |(_, actions)| *actions);
    let shown = |action: &Action| {
        let on_screen = BINDINGS.iter().filter(|b| b.scope == On(tab) && b.action == *action);
        let everywhere = BINDINGS.iter().filter(|b| b.scope == Scope::Everywhere && b.action == *action);
        on_screen.chain(everywhere).find(|b| !b.label.is_empty())
    };
    own.iter().chain(&[A::Help, A::Quit]).filter_map(shown).map(|b| (b.label, b.help)).collect()
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
        assert_eq!(action_for(Tab::Sessions, KeyEvent::new(KeyCode::Char('a'), KeyModifiers::CONTROL)), None);
    }

    #[test]
    fn pop_up_tables_name_every_key_they_take() {
        assert_eq!(
            lookup(FORM_KEYS, &KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL)),
            Some(FormAction::Save)
        );
        assert_eq!(lookup(FORM_KEYS, &key(KeyCode::Char('s'))), None, "typed into the field");
        assert_eq!(lookup(CHECKLIST_KEYS, &key(KeyCode::Char('q'))), Some(ChecklistAction::Close));
        assert_eq!(lookup(CONFIRM_KEYS, &key(KeyCode::Char('1'))), None);
        assert_eq!(hints(CONFIRM_KEYS, CONFIRM_HINTS), [("y", "yes"), ("n", "no"), ("Esc", "cancel")]);
    }

    #[test]
    fn each_screen_key_is_listed_once() {
        let mut seen = std::collections::HashSet::new();
        for b in BINDINGS.iter().filter(|b| !b.label.is_empty()) {
            assert!(seen.insert((b.scope, b.label, b.help)), "{} {} listed twice", b.label, b.help);
        }
        for (tab, actions) in FOOTERS {
            assert_eq!(footer(tab).len(), actions.len() + 2, "every footer action has a binding on {tab:?}");
        }
    }

    #[test]
    fn every_footer_ends_with_help_and_quit() {
        for tab in Tab::ALL {
            let footer = footer(tab);
            assert_eq!(footer[footer.len() - 2..], [("?", "help"), ("q", "quit")]);
        }
    }
}
