//! A form: labelled fields (text inputs and pickers), one focused, with an error
//! or warning beside each. Knows nothing of what the fields mean; `editors` does.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::input::TextInput;
use super::keys::{FORM_KEYS, FormAction, lookup};

/// One option of a picker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    pub key: String,
    pub label: String,
}

impl Choice {
    pub fn new(key: impl Into<String>, label: impl Into<String>) -> Self {
        Choice { key: key.into(), label: label.into() }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum FieldKind {
    Text(TextInput),
    Picker { options: Vec<Choice>, index: usize },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// What the editor calls it.
    pub name: &'static str,
    pub label: &'static str,
    pub kind: FieldKind,
    /// A short line on what to type, shown when the field has focus.
    pub hint: String,
    pub error: Option<String>,
    pub warning: Option<String>,
    /// The user changed this field.
    pub touched: bool,
}

impl Field {
    pub fn text(name: &'static str, label: &'static str, value: impl Into<String>, hint: impl Into<String>) -> Field {
        Field {
            name,
            label,
            kind: FieldKind::Text(TextInput::new(value)),
            hint: hint.into(),
            error: None,
            warning: None,
            touched: false,
        }
    }

    /// A notes field: line breaks kept, up to the notes limit.
    pub fn notes(name: &'static str, label: &'static str, value: impl Into<String>, hint: &str) -> Field {
        let limit = crate::domain::validate::NOTES_MAX;
        Field { kind: FieldKind::Text(TextInput::notes(value, limit)), ..Field::text(name, label, "", hint) }
    }

    pub fn picker(name: &'static str, label: &'static str, options: Vec<Choice>, selected: &str) -> Field {
        let index = options.iter().position(|c| c.key == selected).unwrap_or(0);
        Field {
            name,
            label,
            kind: FieldKind::Picker { options, index },
            hint: "←/→ to choose".into(),
            error: None,
            warning: None,
            touched: false,
        }
    }

    /// The text typed, or the key of the chosen option.
    pub fn value(&self) -> &str {
        match &self.kind {
            FieldKind::Text(input) => input.value(),
            FieldKind::Picker { options, index } => options.get(*index).map_or("", |c| c.key.as_str()),
        }
    }

    /// What to draw as the field's content.
    pub fn display(&self) -> &str {
        match &self.kind {
            FieldKind::Text(input) => input.value(),
            FieldKind::Picker { options, index } => options.get(*index).map_or("", |c| c.label.as_str()),
        }
    }

    pub fn set_text(&mut self, value: impl Into<String>) {
        if let FieldKind::Text(input) = &mut self.kind {
            input.set(value);
        }
    }

    /// Sets what the field holds: its text, or the option with this key (a key
    /// the picker does not have leaves it as it is).
    pub fn set_value(&mut self, value: &str) {
        match &mut self.kind {
            FieldKind::Text(input) => input.set(value),
            FieldKind::Picker { options, index } => {
                if let Some(i) = options.iter().position(|c| c.key == value) {
                    *index = i;
                }
            }
        }
    }
}

/// What a key did to the form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormEvent {
    Nothing,
    /// The named field's value changed.
    Changed(&'static str),
    Submit,
    Cancel,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Form {
    pub title: String,
    pub fields: Vec<Field>,
    pub focus: usize,
    /// Something was changed since the form opened.
    pub dirty: bool,
    /// Esc was pressed with changes: asking whether to throw them away.
    pub confirm_discard: bool,
    /// A problem with the form as a whole (e.g. the save failed).
    pub error: Option<String>,
    /// What to keep in mind while filling it in (the client's notes and cautions).
    pub note: Option<String>,
    /// A warning that asks for a second Enter (a session too close to another),
    /// once it has been shown: the next Enter saves.
    pub acknowledged: Option<String>,
    /// A letter was typed on the focused choice: the next ones are typing, not picking.
    typing: bool,
    /// The focused text field's value is selected, as when a field is entered in
    /// any form: the first key typed replaces it, a movement key keeps it.
    pub selected: bool,
}

impl Form {
    pub fn new(title: impl Into<String>, fields: Vec<Field>) -> Form {
        Form {
            title: title.into(),
            fields,
            focus: 0,
            dirty: false,
            confirm_discard: false,
            acknowledged: None,
            selected: true,
            error: None,
            note: None,
            typing: false,
        }
    }

    pub fn field(&self, name: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.name == name)
    }

    pub fn field_mut(&mut self, name: &str) -> Option<&mut Field> {
        self.fields.iter_mut().find(|f| f.name == name)
    }

    /// The value of a field, empty when there is no such field.
    pub fn value(&self, name: &str) -> &str {
        self.field(name).map_or("", Field::value)
    }

    pub fn clear_messages(&mut self) {
        self.error = None;
        for f in &mut self.fields {
            f.error = None;
            f.warning = None;
        }
    }

    /// Puts the focus on the named field.
    pub fn focus_on(&mut self, name: &str) {
        if let Some(i) = self.fields.iter().position(|f| f.name == name) {
            self.focus = i;
        }
    }

    /// Sets an error on a field and moves the focus to the first field in error.
    pub fn fail(&mut self, name: &str, message: impl Into<String>) {
        if let Some(f) = self.field_mut(name) {
            f.error = Some(message.into());
        }
        if let Some(first) = self.fields.iter().position(|f| f.error.is_some()) {
            self.focus = first;
            self.selected = true;
        }
    }

    pub fn has_errors(&self) -> bool {
        self.error.is_some() || self.fields.iter().any(|f| f.error.is_some())
    }

    /// One key, as the form's key table reads it.
    pub fn handle(&mut self, key: KeyEvent) -> FormEvent {
        self.act(lookup(FORM_KEYS, &key).unwrap_or(FormAction::Edit), key)
    }

    /// What a key does, once its action is known; `key` is typed into the field
    /// for [`FormAction::Edit`]. Quitting is the app's business, not the form's.
    pub fn act(&mut self, action: FormAction, key: KeyEvent) -> FormEvent {
        if self.confirm_discard {
            return match key.code {
                KeyCode::Char('y') | KeyCode::Char('Y') => FormEvent::Cancel,
                _ => {
                    self.confirm_discard = false;
                    FormEvent::Nothing
                }
            };
        }
        let count = self.fields.len().max(1);
        match action {
            FormAction::Cancel if self.dirty => {
                self.confirm_discard = true;
                FormEvent::Nothing
            }
            FormAction::Cancel => FormEvent::Cancel,
            FormAction::Save => FormEvent::Submit,
            // Tab stops at the last field and Shift-Tab at the first: no wrapping
            // round onto a field by accident.
            FormAction::NextField => {
                self.focus = (self.focus + 1).min(count - 1);
                self.typing = false;
                self.selected = true;
                FormEvent::Nothing
            }
            FormAction::PrevField => {
                self.focus = self.focus.saturating_sub(1);
                self.typing = false;
                self.selected = true;
                FormEvent::Nothing
            }
            FormAction::Quit => FormEvent::Nothing,
            FormAction::Edit => self.edit_focused(key),
        }
    }

    /// Pastes text into the focused text field (a choice takes no paste). Returns
    /// what changed, and how many characters did not fit with the field's limit.
    pub fn paste(&mut self, text: &str) -> (FormEvent, Option<(usize, usize)>) {
        if self.confirm_discard {
            return (FormEvent::Nothing, None);
        }
        let Some(field) = self.fields.get_mut(self.focus) else { return (FormEvent::Nothing, None) };
        let FieldKind::Text(input) = &mut field.kind else { return (FormEvent::Nothing, None) };
        let before = input.value().len();
        // A paste, like a typed key, replaces a selected value.
        if std::mem::take(&mut self.selected) && !text.is_empty() {
            input.set("");
        }
        let dropped = input.paste(text);
        let cut = (dropped > 0).then_some((dropped, input.limit()));
        if input.value().len() == before {
            return (FormEvent::Nothing, cut);
        }
        field.touched = true;
        field.error = None;
        self.dirty = true;
        self.acknowledged = None;
        (FormEvent::Changed(field.name), cut)
    }

    fn edit_focused(&mut self, key: KeyEvent) -> FormEvent {
        let Some(field) = self.fields.get_mut(self.focus) else {
            return FormEvent::Nothing;
        };
        let before = field.value().to_string();
        let letter = matches!(key.code, KeyCode::Char(c) if c.is_alphanumeric());
        let selected = std::mem::take(&mut self.selected);
        match &mut field.kind {
            FieldKind::Text(input) => {
                // The first key typed into a field just entered replaces what was
                // there (a date pre-filled, say); Backspace clears it; a movement
                // key keeps it and edits from there.
                let typed = matches!(key.code, KeyCode::Char(_))
                    && !key.modifiers.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
                let erase = matches!(key.code, KeyCode::Backspace | KeyCode::Delete);
                if selected && (typed || erase) && !input.value().is_empty() {
                    input.set("");
                    if typed {
                        input.handle(key);
                    }
                } else {
                    input.handle(key);
                }
            }
            FieldKind::Picker { options, index } => {
                let n = options.len().max(1);
                let typing = self.typing;
                match key.code {
                    KeyCode::Left => *index = (*index + n - 1) % n,
                    KeyCode::Right => *index = (*index + 1) % n,
                    // A first letter picks the one option it starts (when only one
                    // does); letters typed after it are words typed into the wrong
                    // field, and change nothing.
                    KeyCode::Char(c) if !typing && c.is_alphanumeric() => {
                        let c = c.to_lowercase().to_string();
                        let starting: Vec<usize> =
                            (0..n).filter(|&i| options[i].label.to_lowercase().starts_with(&c)).collect();
                        if let [only] = starting.as_slice() {
                            *index = *only;
                        }
                    }
                    _ => {}
                }
            }
        }
        if matches!(field.kind, FieldKind::Picker { .. }) {
            self.typing = letter;
        }
        if field.value() == before {
            return FormEvent::Nothing;
        }
        field.touched = true;
        field.error = None;
        self.dirty = true;
        self.acknowledged = None;
        FormEvent::Changed(field.name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crossterm::event::KeyModifiers;

    fn press(form: &mut Form, code: KeyCode) -> FormEvent {
        form.handle(KeyEvent::new(code, KeyModifiers::NONE))
    }

    fn form() -> Form {
        Form::new(
            "Test",
            vec![
                Field::text("when", "When", "today", "a date"),
                Field::picker(
                    "device",
                    "Device",
                    vec![Choice::new("pen", "Pen"), Choice::new("roller", "Roller")],
                    "pen",
                ),
            ],
        )
    }

    #[test]
    fn tab_moves_focus_and_keys_edit_the_focused_field() {
        let mut f = form();
        assert_eq!(press(&mut f, KeyCode::Char('!')), FormEvent::Changed("when"));
        assert_eq!(f.value("when"), "!", "the first key replaces the value the form opened with");
        press(&mut f, KeyCode::Char('?'));
        assert_eq!(f.value("when"), "!?", "the next ones type on");
        press(&mut f, KeyCode::Tab);
        assert_eq!(press(&mut f, KeyCode::Right), FormEvent::Changed("device"));
        assert_eq!(f.value("device"), "roller");
        assert_eq!(press(&mut f, KeyCode::Char('p')), FormEvent::Changed("device"));
        assert_eq!(f.value("device"), "pen");
        press(&mut f, KeyCode::Tab);
        assert_eq!(f.focus, 1, "Tab stops at the last field");
        press(&mut f, KeyCode::BackTab);
        press(&mut f, KeyCode::BackTab);
        assert_eq!(f.focus, 0, "and Shift-Tab at the first");
        assert_eq!(press(&mut f, KeyCode::Enter), FormEvent::Submit);
    }

    #[test]
    fn typing_words_into_a_choice_never_flips_it() {
        let statuses =
            vec![Choice::new("planned", "Planned"), Choice::new("done", "Done"), Choice::new("cancelled", "Cancelled")];
        let devices = vec![
            Choice::new("pen", "Pen"),
            Choice::new("roller", "Roller"),
            Choice::new("rf", "RF"),
            Choice::new("other", "Other"),
        ];
        let mut f = Form::new(
            "t",
            vec![
                Field::picker("status", "Status", statuses, "done"),
                Field::picker("device", "Device", devices, "pen"),
            ],
        );
        for c in "skin felt tight".chars() {
            press(&mut f, KeyCode::Char(c));
        }
        assert_eq!(f.value("status"), "done", "words typed into a choice change nothing");
        press(&mut f, KeyCode::Tab);
        for c in "roller".chars() {
            press(&mut f, KeyCode::Char(c));
        }
        assert_eq!(f.value("device"), "pen", "r is both Roller and RF; the rest is typing");
        press(&mut f, KeyCode::Left);
        press(&mut f, KeyCode::Char('o'));
        assert_eq!(f.value("device"), "other", "a first letter alone picks the one option it starts");
    }

    #[test]
    fn esc_asks_before_throwing_changes_away() {
        let mut clean = form();
        assert_eq!(press(&mut clean, KeyCode::Esc), FormEvent::Cancel);

        let mut f = form();
        press(&mut f, KeyCode::Char('x'));
        assert_eq!(press(&mut f, KeyCode::Esc), FormEvent::Nothing);
        assert!(f.confirm_discard);
        assert_eq!(press(&mut f, KeyCode::Char('n')), FormEvent::Nothing);
        assert!(!f.confirm_discard);
        assert_eq!(f.value("when"), "x", "kept");
        press(&mut f, KeyCode::Esc);
        assert_eq!(press(&mut f, KeyCode::Char('y')), FormEvent::Cancel);
    }

    #[test]
    fn errors_move_focus_to_the_first_bad_field() {
        let mut f = form();
        f.focus = 1;
        f.fail("when", "cannot read date");
        assert_eq!(f.focus, 0);
        assert!(f.has_errors());
        f.clear_messages();
        assert!(!f.has_errors());
    }

    #[test]
    fn a_field_entered_is_selected_until_a_key_says_otherwise() {
        let mut f = Form::new(
            "t",
            vec![Field::text("when", "When", "2026-11-23 09:01", ""), Field::text("notes", "Notes", "kept", "")],
        );
        // Moving first keeps the value and edits from there.
        press(&mut f, KeyCode::End);
        press(&mut f, KeyCode::Backspace);
        assert_eq!(f.value("when"), "2026-11-23 09:0");
        // Entering a field selects it again: typing replaces, Backspace clears.
        press(&mut f, KeyCode::Tab);
        press(&mut f, KeyCode::Backspace);
        assert_eq!(f.value("notes"), "");
        press(&mut f, KeyCode::BackTab);
        for c in "2026-11-23 10:30".chars() {
            press(&mut f, KeyCode::Char(c));
        }
        assert_eq!(f.value("when"), "2026-11-23 10:30", "not 2026-11-23 09:02026-11-23 10:30");
    }
}
