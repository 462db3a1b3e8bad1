//! The report's two graphics, as small inline SVG: the course on a time axis
//! (sessions, sensitive hours, the next window, collagen remodeling, results,
//! maintenance) and the ratings trend. Colours come from the page's CSS classes,
//! so print and screen agree.

use std::fmt::Write;

use chrono::{Datelike, NaiveDate};

use super::Timeline;

const WIDTH: f64 = 720.0;
const LABELS: f64 = 118.0;
const RIGHT: f64 = 10.0;

/// The course as lanes over its days.
pub(super) fn timeline(t: &Timeline) -> String {
    let lanes = ["Sessions", "Sensitive (72 h)", "Next window", "Collagen", "Results"];
    let lane_y = |i: usize| 16.0 + 20.0 * i as f64;
    let axis_y = lane_y(lanes.len()) - 2.0;
    let height = axis_y + 22.0;
    let span = (t.to - t.from).num_days().max(1) as f64;
    let x = |d: NaiveDate| LABELS + ((d - t.from).num_days() as f64 / span) * (WIDTH - LABELS - RIGHT);
    let day_width = (WIDTH - LABELS - RIGHT) / span;

    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg class="timeline" viewBox="0 0 {WIDTH} {height}" role="img" aria-label="The course on a time axis" xmlns="http://www.w3.org/2000/svg">"#
    );
    for (i, label) in lanes.iter().enumerate() {
        let y = lane_y(i);
        let _ = write!(svg, r#"<text class="lane" x="0" y="{:.1}">{}</text>"#, y + 4.0, escape(label));
        let _ = write!(svg, r#"<line class="guide" x1="{LABELS}" y1="{y:.1}" x2="{:.1}" y2="{y:.1}"/>"#, WIDTH - RIGHT);
    }
    // The month axis.
    let _ = write!(
        svg,
        r#"<line class="axis" x1="{LABELS}" y1="{axis_y:.1}" x2="{:.1}" y2="{axis_y:.1}"/>"#,
        WIDTH - RIGHT
    );
    let months = month_starts(t.from, t.to);
    let every = months.len().div_ceil(12).max(1);
    for (i, m) in months.iter().enumerate().filter(|(i, _)| i % every == 0) {
        let label = if i == 0 || m.month() == 1 { m.format("%b %Y").to_string() } else { m.format("%b").to_string() };
        let mx = x(*m);
        let _ = write!(
            svg,
            r#"<line class="tick" x1="{mx:.1}" y1="{axis_y:.1}" x2="{mx:.1}" y2="{:.1}"/><text class="month" x="{mx:.1}" y="{:.1}">{}</text>"#,
            axis_y + 4.0,
            axis_y + 15.0,
            escape(&label)
        );
    }
    // Collagen remodeling, the next window and maintenance as bars.
    let bar = |svg: &mut String, class: &str, lane: usize, from: NaiveDate, to: NaiveDate| {
        let (a, b) = (x(from.max(t.from)), x(to.min(t.to)) + day_width);
        if b > a {
            let _ = write!(
                svg,
                r#"<rect class="{class}" x="{a:.1}" y="{:.1}" width="{:.1}" height="10" rx="2"/>"#,
                lane_y(lane) - 5.0,
                (b - a).max(2.0)
            );
        }
    };
    for (from, until) in &t.sensitive {
        bar(&mut svg, "sensitive", 1, *from, *until);
    }
    if let Some(w) = t.next_window {
        bar(&mut svg, "window", 2, w.earliest, w.latest);
    }
    if let Some((from, to)) = t.remodeling {
        bar(&mut svg, "collagen", 3, from, to);
    }
    if let Some(m) = t.maintenance {
        bar(&mut svg, "maintenance", 4, m.earliest, m.latest);
    }
    for (day, done) in &t.sessions {
        let class = if *done { "done" } else { "planned" };
        let _ = write!(
            svg,
            r#"<circle class="{class}" cx="{:.1}" cy="{:.1}" r="5"/>"#,
            x(*day) + day_width / 2.0,
            lane_y(0)
        );
    }
    if let Some(day) = t.results {
        let (cx, cy) = (x(day) + day_width / 2.0, lane_y(4));
        let _ = write!(
            svg,
            r#"<path class="results" d="M{cx:.1} {:.1} L{:.1} {cy:.1} L{cx:.1} {:.1} L{:.1} {cy:.1} Z"/>"#,
            cy - 6.0,
            cx + 6.0,
            cy + 6.0,
            cx - 6.0
        );
    }
    if (t.from..=t.to).contains(&t.today) {
        let tx = x(t.today) + day_width / 2.0;
        let _ = write!(
            svg,
            r#"<line class="today" x1="{tx:.1}" y1="4" x2="{tx:.1}" y2="{axis_y:.1}"/><text class="today-label" x="{tx:.1}" y="{:.1}">today</text>"#,
            height - 1.0
        );
    }
    svg.push_str("</svg>");
    svg
}

/// The ratings given at each session (1–10), and the final one.
pub(super) fn ratings(points: &[(usize, u8)], final_rating: Option<u8>) -> String {
    let (w, h, left, top, bottom) = (360.0, 136.0, 28.0, 16.0, 22.0);
    let last = points.iter().map(|(n, _)| *n).max().unwrap_or(1) + usize::from(final_rating.is_some());
    let slots = last.max(2) as f64;
    let x = |n: f64| left + (n - 1.0) / (slots - 1.0) * (w - left - 16.0);
    let y = |r: u8| top + (10.0 - f64::from(r)) / 9.0 * (h - top - bottom);
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg class="ratings" viewBox="0 0 {w} {h}" role="img" aria-label="Ratings, 1 to 10, session by session" xmlns="http://www.w3.org/2000/svg">"#
    );
    for r in [1u8, 5, 10] {
        let _ = write!(
            svg,
            r#"<line class="guide" x1="{left}" y1="{0:.1}" x2="{1:.1}" y2="{0:.1}"/><text class="lane" x="0" y="{2:.1}">{r}</text>"#,
            y(r),
            w - 8.0,
            y(r) + 4.0
        );
    }
    let path: Vec<String> = points.iter().map(|(n, r)| format!("{:.1},{:.1}", x(*n as f64), y(*r))).collect();
    if path.len() > 1 {
        let _ = write!(svg, r#"<polyline class="trend" points="{}"/>"#, path.join(" "));
    }
    for (n, r) in points {
        let (cx, cy) = (x(*n as f64), y(*r));
        let _ = write!(
            svg,
            r#"<circle class="done" cx="{cx:.1}" cy="{cy:.1}" r="4"/><text class="value" x="{cx:.1}" y="{:.1}">{r}</text><text class="month" x="{cx:.1}" y="{:.1}">#{n}</text>"#,
            cy - 7.0,
            h - 6.0
        );
    }
    if let Some(r) = final_rating {
        let (cx, cy) = (x(last as f64), y(r));
        let _ = write!(
            svg,
            r#"<path class="results" d="M{cx:.1} {:.1} L{:.1} {cy:.1} L{cx:.1} {:.1} L{:.1} {cy:.1} Z"/><text class="value" x="{cx:.1}" y="{:.1}">{r}</text><text class="month" x="{cx:.1}" y="{:.1}">final</text>"#,
            cy - 6.0,
            cx + 6.0,
            cy + 6.0,
            cx - 6.0,
            cy - 9.0,
            h - 6.0
        );
    }
    svg.push_str("</svg>");
    svg
}

/// The first day of each month after `from` up to `to`.
fn month_starts(from: NaiveDate, to: NaiveDate) -> Vec<NaiveDate> {
    let mut out = Vec::new();
    let mut m = NaiveDate::from_ymd_opt(from.year(), from.month(), 1)
        .and_then(|d| d.checked_add_months(chrono::Months::new(1)));
    while let Some(day) = m.filter(|d| *d <= to) {
        out.push(day);
        m = day.checked_add_months(chrono::Months::new(1));
    }
    out
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_between_two_days() {
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(month_starts(d(2026, 1, 5), d(2026, 3, 1)), [d(2026, 2, 1), d(2026, 3, 1)]);
        assert!(month_starts(d(2026, 1, 5), d(2026, 1, 30)).is_empty());
    }

    #[test]
    fn ratings_draw_a_point_per_session_and_the_final_one() {
        let svg = ratings(&[(1, 4), (2, 6), (3, 7)], Some(8));
        assert_eq!(svg.matches("<circle").count(), 3);
        assert!(svg.contains("<polyline"));
        assert!(svg.contains(">final</text>"));
    }
}
