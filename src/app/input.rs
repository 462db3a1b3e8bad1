//! A text input with a cursor: the only place that edits typed or pasted text.
//! One line, or (for notes) lines kept as typed and shown as `⏎`.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// The longest text a one-line field takes, in characters.
pub const LINE_CHARS: usize = crate::domain::validate::LINE_MAX;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextInput {
    value: String,
    /// Cursor position in characters (0 ..= length).
    cursor: usize,
    /// The most characters it takes.
    limit: usize,
    /// Line breaks are kept (notes) rather than turned into spaces.
    multiline: bool,
}

impl Default for TextInput {
    fn default() -> Self {
        TextInput::new("")
    }
}

impl TextInput {
    /// A one-line input.
    pub fn new(value: impl Into<String>) -> Self {
        let value: String = value.into();
        let cursor = value.chars().count();
        TextInput { value, cursor, limit: LINE_CHARS, multiline: false }
    }

    /// An input for notes: line breaks kept, up to `limit` characters.
    pub fn notes(value: impl Into<String>, limit: usize) -> Self {
        TextInput { limit, multiline: true, ..TextInput::new(value) }
    }

    pub fn limit(&self) -> usize {
        self.limit
    }

    /// Inserts pasted text at the cursor in one step (linear in its length): line
    /// breaks become spaces in a one-line field, other control characters go.
    /// Returns how many characters did not fit.
    pub fn paste(&mut self, text: &str) -> usize {
        let multiline = self.multiline;
        // Terminals paste line breaks as CR (tmux, most emulators), files as LF or CRLF.
        let text = text.replace("\r\n", "\n").replace('\r', "\n");
        let cleaned = text.chars().filter_map(|c| match c {
            '\n' | '\t' if multiline => Some(c),
            '\n' | '\t' => Some(' '),
            c if c.is_control() => None,
            c => Some(c),
        });
        let room = self.limit.saturating_sub(self.len());
        let mut kept = String::new();
        let mut dropped = 0;
        for (i, c) in cleaned.enumerate() {
            if i < room {
                kept.push(c);
            } else {
                dropped += 1;
            }
        }
        let at = self.byte_at(self.cursor);
        self.value.insert_str(at, &kept);
        self.cursor += kept.chars().count();
        dropped
    }

    pub fn value(&self) -> &str {
        &self.value
    }

    pub fn cursor(&self) -> usize {
        self.cursor
    }

    /// Replaces the text (the cursor goes to its end); a notes input stays one.
    pub fn set(&mut self, value: impl Into<String>) {
        *self = TextInput { limit: self.limit, multiline: self.multiline, ..TextInput::new(value) };
    }

    fn len(&self) -> usize {
        self.value.chars().count()
    }

    fn byte_at(&self, char_index: usize) -> usize {
        self.value.char_indices().nth(char_index).map_or(self.value.len(), |(i, _)| i)
    }

    /// Applies an editing key. Returns true when the key was used.
    pub fn handle(&mut self, key: KeyEvent) -> bool {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        match key.code {
            KeyCode::Char('a') if ctrl => self.cursor = 0,
            KeyCode::Char('e') if ctrl => self.cursor = self.len(),
            KeyCode::Char('u') if ctrl => {
                let at = self.byte_at(self.cursor);
                self.value.replace_range(..at, "");
                self.cursor = 0;
            }
            KeyCode::Char('k') if ctrl => {
                let at = self.byte_at(self.cursor);
                self.value.truncate(at);
            }
            KeyCode::Char('w') if ctrl => self.delete_word(),
            KeyCode::Char(c) if !ctrl && !c.is_control() => {
                if self.len() < self.limit {
                    let at = self.byte_at(self.cursor);
                    self.value.insert(at, c);
                    self.cursor += 1;
                }
            }
            KeyCode::Backspace if self.cursor > 0 => {
                let at = self.byte_at(self.cursor - 1);
                self.value.remove(at);
                self.cursor -= 1;
            }
            KeyCode::Delete if self.cursor < self.len() => {
                let at = self.byte_at(self.cursor);
                self.value.remove(at);
            }
            KeyCode::Left => self.cursor = self.cursor.saturating_sub(1),
            KeyCode::Right => self.cursor = (self.cursor + 1).min(self.len()),
            KeyCode::Home => self.cursor = 0,
            KeyCode::End => self.cursor = self.len(),
            KeyCode::Backspace | KeyCode::Delete => {}
            _ => return false,
        }
        true
    }

    fn delete_word(&mut self) {
        let chars: Vec<char> = self.value.chars().collect();
        let mut start = self.cursor;
        while start > 0 && chars[start - 1] == ' ' {
            start -= 1;
        }
        while start > 0 && chars[start - 1] != ' ' {
            start -= 1;
        }
        let (from, to) = (self.byte_at(start), self.byte_at(self.cursor));
        self.value.replace_range(from..to, "");
        self.cursor = start;
    }

    /// The part of the text to show in `width` cells, and the cursor's column in it.
    pub fn visible(&self, width: usize) -> (String, usize) {
        let width = width.max(1);
        let first = (self.cursor + 1).saturating_sub(width);
        let shown: String = self
            .value
            .chars()
            .skip(first)
            .take(width)
            .map(|c| match c {
                '\n' => '⏎',
                '\t' => ' ',
                c => c,
            })
            .collect();
        (shown, self.cursor - first)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    fn typed(text: &str) -> TextInput {
        let mut input = TextInput::default();
        for c in text.chars() {
            input.handle(key(KeyCode::Char(c)));
        }
        input
    }

    #[test]
    fn types_moves_and_deletes_by_character() {
        let mut input = typed("0,5 mm");
        assert_eq!((input.value(), input.cursor()), ("0,5 mm", 6));
        input.handle(key(KeyCode::Home));
        input.handle(key(KeyCode::Right));
        input.handle(key(KeyCode::Delete));
        input.handle(key(KeyCode::Char('.')));
        assert_eq!(input.value(), "0.5 mm");
        input.handle(key(KeyCode::End));
        input.handle(key(KeyCode::Backspace));
        input.handle(key(KeyCode::Backspace));
        input.handle(key(KeyCode::Backspace));
        assert_eq!(input.value(), "0.5");
    }

    #[test]
    fn handles_wide_and_accented_characters() {
        let mut input = typed("crème");
        input.handle(key(KeyCode::Left));
        input.handle(key(KeyCode::Left));
        input.handle(key(KeyCode::Backspace));
        assert_eq!(input.value(), "crme");
        input.handle(key(KeyCode::Char('è')));
        assert_eq!(input.value(), "crème");
    }

    #[test]
    fn control_keys_edit_words_and_lines() {
        let mut input = typed("hyaluronic acid serum");
        input.handle(KeyEvent::new(KeyCode::Char('w'), KeyModifiers::CONTROL));
        assert_eq!(input.value(), "hyaluronic acid ");
        input.handle(KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL));
        assert_eq!((input.value(), input.cursor()), ("", 0));
        assert!(!input.handle(key(KeyCode::Enter)), "Enter is for the form");
        assert!(input.handle(key(KeyCode::Backspace)), "nothing to delete is still handled");
    }

    #[test]
    fn shows_the_part_around_the_cursor() {
        let input = typed("abcdefghij");
        assert_eq!(input.visible(4), ("hij".to_string(), 3));
        assert_eq!(TextInput::new("").visible(4), (String::new(), 0));
    }

    #[test]
    fn a_paste_keeps_line_breaks_only_in_notes_whatever_ends_the_lines() {
        let mut notes = TextInput::notes("", 100);
        assert_eq!(notes.paste("a\rb\r\nc\nd\u{1b}e\tf"), 0);
        assert_eq!(notes.value(), "a\nb\nc\nde\tf");
        let mut line = TextInput::new("");
        line.paste("a\rb\tc");
        assert_eq!(line.value(), "a b c");
        let mut small = TextInput::notes("", 3);
        assert_eq!(small.paste("abcdef"), 3, "what did not fit is counted");
        assert_eq!(small.value(), "abc");
    }
}
