//! The Timeline screen's state: its zoom, the moment at the middle of the screen and
//! the selected event.

use chrono::{DateTime, Duration, Utc};

/// How much time one column of the timeline covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Zoom {
    /// One hour a column; ticks every day.
    Day,
    /// Twelve hours a column; ticks every Monday.
    Week,
    /// Three days a column; ticks every month.
    Month,
}

impl Zoom {
    pub fn column(self) -> Duration {
        match self {
            Zoom::Day => Duration::hours(1),
            Zoom::Week => Duration::hours(12),
            Zoom::Month => Duration::days(3),
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Zoom::Day => "days",
            Zoom::Week => "weeks",
            Zoom::Month => "months",
        }
    }

    pub fn zoom_in(self) -> Zoom {
        match self {
            Zoom::Month => Zoom::Week,
            _ => Zoom::Day,
        }
    }

    pub fn zoom_out(self) -> Zoom {
        match self {
            Zoom::Day => Zoom::Week,
            _ => Zoom::Month,
        }
    }
}

/// The timeline's viewport, independent of the terminal's size: the screen puts
/// `center` in its middle column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimelineView {
    pub zoom: Zoom,
    pub center: DateTime<Utc>,
    /// The selected event, an index into the current course's events.
    pub selected: usize,
}

impl TimelineView {
    pub fn new(now: DateTime<Utc>) -> TimelineView {
        TimelineView { zoom: Zoom::Month, center: now, selected: 0 }
    }

    /// A small step: eight columns.
    pub fn step(&self) -> Duration {
        self.zoom.column() * 8
    }

    /// A page: sixty columns.
    pub fn page(&self) -> Duration {
        self.zoom.column() * 60
    }

    /// The first instant shown in a plot `width` columns wide.
    pub fn start(&self, width: u16) -> DateTime<Utc> {
        self.center - self.zoom.column() * i32::from(width / 2)
    }

    /// The column of `t` in a plot `width` columns wide (may be off-screen).
    pub fn column_of(&self, t: DateTime<Utc>, width: u16) -> i64 {
        let offset = t - self.start(width);
        let col = self.zoom.column().num_seconds();
        offset.num_seconds().div_euclid(col)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn columns_count_from_the_left_edge() {
        let center = Utc.with_ymd_and_hms(2026, 11, 24, 12, 0, 0).unwrap();
        let view = TimelineView { zoom: Zoom::Day, ..TimelineView::new(center) };
        assert_eq!(view.column_of(center, 80), 40);
        assert_eq!(view.column_of(center - Duration::minutes(1), 80), 39);
        assert_eq!(view.column_of(center + Duration::hours(3), 80), 43);
        let month = TimelineView::new(center);
        assert_eq!(month.column_of(center + Duration::days(30), 80), 50);
        assert_eq!(Zoom::Day.zoom_out().zoom_out().zoom_out(), Zoom::Month);
        assert_eq!(Zoom::Month.zoom_in().zoom_in(), Zoom::Day);
    }
}
