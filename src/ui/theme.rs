//! Every style in one place. Without colour (`NO_COLOR`) the same meaning is
//! carried by bold, reverse, dim and underline, and by the symbols the screens use.

use ratatui::style::{Color, Modifier, Style};

#[derive(Debug, Clone, Copy)]
pub struct Theme {
    color: bool,
}

impl Theme {
    pub fn new(color: bool) -> Theme {
        Theme { color }
    }

    fn fg(&self, color: Color) -> Style {
        if self.color { Style::new().fg(color) } else { Style::new() }
    }

    pub fn text(&self) -> Style {
        Style::new()
    }

    pub fn title(&self) -> Style {
        self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
    }

    /// A heading inside a list (the Due list's groups).
    pub fn heading(&self) -> Style {
        self.fg(Color::Yellow).add_modifier(Modifier::BOLD)
    }

    pub fn dim(&self) -> Style {
        if self.color { Style::new().fg(Color::DarkGray) } else { Style::new().add_modifier(Modifier::DIM) }
    }

    pub fn key(&self) -> Style {
        self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
    }

    pub fn selected(&self) -> Style {
        if self.color {
            Style::new().bg(Color::Blue).fg(Color::White).add_modifier(Modifier::BOLD)
        } else {
            Style::new().add_modifier(Modifier::REVERSED)
        }
    }

    pub fn tab_active(&self) -> Style {
        self.fg(Color::Yellow).add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
    }

    pub fn good(&self) -> Style {
        self.fg(Color::Green)
    }

    pub fn warn(&self) -> Style {
        self.fg(Color::Yellow).add_modifier(Modifier::BOLD)
    }

    pub fn error(&self) -> Style {
        self.fg(Color::Red).add_modifier(Modifier::BOLD)
    }

    pub fn border(&self, focused: bool) -> Style {
        match (focused, self.color) {
            (true, true) => Style::new().fg(Color::Cyan),
            (true, false) => Style::new().add_modifier(Modifier::BOLD),
            (false, _) => self.dim(),
        }
    }

    pub fn gauge(&self) -> Style {
        self.fg(Color::Cyan)
    }

    /// A line gauge `ratio` full, in `filled` colour. Without colour the two parts
    /// would look alike, so they are drawn with different characters (━━━┄┄┄).
    pub fn line_gauge<'a>(&self, ratio: f64, label: String, filled: Style) -> ratatui::widgets::LineGauge<'a> {
        let gauge = ratatui::widgets::LineGauge::default()
            .ratio(ratio.clamp(0.0, 1.0))
            .label(label)
            .filled_style(filled)
            .unfilled_style(self.dim());
        if self.color { gauge } else { gauge.filled_symbol("━").unfilled_symbol("┄") }
    }

    /// A phase badge: calm, due, or needing attention.
    pub fn badge(&self, level: Level) -> Style {
        match level {
            Level::Calm => self.fg(Color::Green).add_modifier(Modifier::BOLD),
            Level::Act => self.warn(),
            Level::Alert => self.error(),
        }
    }
}

/// How much a phase asks of the user.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Calm,
    Act,
    Alert,
}
