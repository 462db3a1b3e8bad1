//! The report as one self-contained HTML page: inline CSS and SVG, no script, no
//! fonts or images fetched (a Content-Security-Policy says so to the browser),
//! every user text escaped by maud. Prints on one A4 or Letter page for a course of
//! six sessions; reads on a phone (the table scrolls sideways).

use maud::{DOCTYPE, Markup, PreEscaped, html};

use super::{CourseReport, DISCLAIMER, svg};
use crate::domain::SessionStatus;

const CSS: &str = r#"
:root { --ink: #1f2328; --muted: #59636e; --line: #d8dee4; --accent: #8250df;
  --sensitive: #cf222e; --window: #1a7f37; --collagen: #bf8700; --maint: #0969da; }
* { box-sizing: border-box; }
body { font: 14px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink);
  margin: 0 auto; max-width: 960px; padding: 16px; }
h1 { font-size: 20px; margin: 0 0 2px; }
h2 { font-size: 13px; text-transform: uppercase; letter-spacing: .06em; color: var(--muted); margin: 14px 0 6px; }
.who { color: var(--muted); margin: 0 0 10px; }
dl { display: grid; grid-template-columns: repeat(auto-fill, minmax(210px, 1fr)); gap: 4px 16px; margin: 0; }
dl div { border-top: 1px solid var(--line); padding-top: 3px; }
dt { font-size: 11px; color: var(--muted); }
dd { margin: 0; }
.protocol, .notes { margin: 6px 0 0; }
.table { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-size: 12px; }
th, td { text-align: left; vertical-align: top; padding: 3px 5px; border-bottom: 1px solid var(--line); }
th { font-size: 11px; color: var(--muted); font-weight: 600; white-space: nowrap; }
td.n { text-align: right; white-space: nowrap; }
.lot { white-space: nowrap; }
tr.planned td, tr.cancelled td { color: var(--muted); font-style: italic; }
tr.cancelled td { text-decoration: line-through; }
.graphs { display: grid; grid-template-columns: 2fr 1fr; gap: 12px; align-items: start; }
svg { width: 100%; height: auto; }
svg text { font: 10px system-ui, sans-serif; fill: var(--muted); }
svg .lane { text-anchor: start; }
svg .month, svg .value, svg .today-label { text-anchor: middle; }
svg .value { fill: var(--ink); }
svg .guide { stroke: var(--line); stroke-width: 1; }
svg .axis, svg .tick { stroke: var(--muted); stroke-width: 1; }
svg .done { fill: var(--accent); }
svg .planned { fill: #fff; stroke: var(--accent); stroke-width: 2; }
svg .sensitive { fill: var(--sensitive); }
svg .window { fill: var(--window); opacity: .75; }
svg .collagen { fill: var(--collagen); opacity: .55; }
svg .maintenance { fill: var(--maint); opacity: .6; }
svg .results { fill: var(--maint); }
svg .trend { fill: none; stroke: var(--accent); stroke-width: 2; }
svg .today { stroke: var(--ink); stroke-dasharray: 3 3; }
.legend { font-size: 11px; color: var(--muted); margin: 2px 0 0; }
footer { margin-top: 14px; padding-top: 6px; border-top: 1px solid var(--line); font-size: 11px; color: var(--muted); }
@page { margin: 12mm; }
@media print {
  body { font-size: 10px; padding: 0; max-width: none; }
  h1 { font-size: 16px; }
  h2 { margin: 8px 0 4px; }
  table { font-size: 8.5px; }
  th { font-size: 8px; }
  dt { font-size: 8px; }
  .graphs { grid-template-columns: 2fr 1fr; }
  tr, svg { break-inside: avoid; }
}
@media (max-width: 600px) { .graphs { grid-template-columns: 1fr; } }
"#;

/// The whole page.
pub fn page(r: &CourseReport) -> String {
    let markup: Markup = html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:";
                title { "Course report — " (r.person) " — " (r.title) }
                style { (PreEscaped(CSS)) }
            }
            body {
                header {
                    h1 { "Microneedling course report: " (r.title) }
                    p.who {
                        (r.person)
                        @if let Some(skin) = &r.skin_type { " · " (skin) }
                        " · made " (r.made)
                    }
                }
                section {
                    dl {
                        div { dt { "Concern" } dd { (r.concern) } }
                        div { dt { "Areas" } dd { (r.areas) } }
                        @for fact in &r.facts {
                            div { dt { (fact.label) } dd { (fact.value) } }
                        }
                    }
                    @if let Some(protocol) = &r.protocol {
                        p.protocol { "Usual protocol: " (protocol) }
                    }
                    @if !r.course_notes.is_empty() {
                        p.notes { "Notes: " (r.course_notes) }
                    }
                }
                section.graphs {
                    div {
                        h2 { "The course" }
                        (PreEscaped(svg::timeline(&r.timeline)))
                        p.legend { "● session done · ○ planned · red: sensitive skin · green: window for the next session · amber: collagen remodeling · ◆ final results · blue bar: maintenance" }
                    }
                    div {
                        h2 { "Ratings" }
                        @if r.ratings.is_empty() && r.final_rating.is_none() {
                            p.legend { "No ratings given yet." }
                        } @else {
                            (PreEscaped(svg::ratings(&r.ratings, r.final_rating)))
                            p.legend { "How the skin looked, 1–10, at each session" @if r.final_rating.is_some() { " and on results day" } "." }
                        }
                    }
                }
                section {
                    h2 { "Sessions" }
                    div.table {
                        table {
                            thead { tr {
                                th { "#" } th { "Date" } th { "Device" } th { "Depth" } th { "Passes" }
                                th { "Serum" } th { "Numbing" } th { "Pain" } th { "Reaction" } th { "Rating" }
                                th { "Provider" } th { "Care ticked" } th { "Notes" }
                            } }
                            tbody {
                                @for s in &r.sessions {
                                    tr class=(status_class(s.status)) {
                                        td.n { @match s.number { Some(_) => (s.place), None => (status_word(s.status)) } }
                                        td { (s.date) }
                                        td { (s.device) }
                                        td { (s.depths) }
                                        td.n { (s.passes) }
                                        td {
                                            (s.serum)
                                            @if !s.lot.is_empty() { " " span.lot { "lot " (s.lot) } }
                                        }
                                        td { (s.numbing) }
                                        td.n { (s.pain) }
                                        td { (s.reaction) }
                                        td.n { @if let Some(r) = s.rating { (r) "/10" } }
                                        td { (s.provider) }
                                        td.n { @if let Some((n, m)) = s.care { (n) " of " (m) } }
                                        td { (s.notes) }
                                    }
                                }
                                @if r.sessions.is_empty() {
                                    tr { td colspan="13" { "No sessions logged yet." } }
                                }
                            }
                        }
                    }
                    (legend("Adverse events: ", &r.events))
                    (legend("Recovery, from the diary: ", &r.recovery))
                    (legend("Voided (kept on record, counted nowhere): ", &r.voided))
                    @let screened: Vec<_> = r.sessions.iter().filter_map(|s| Some((s.number?, &s.screening))).collect();
                    @if !screened.is_empty() {
                        p.legend {
                            "Contraindications asked before each session: "
                            @for (i, (n, answer)) in screened.iter().enumerate() {
                                @if i > 0 { " · " }
                                "#" (n) " " (answer)
                            }
                        }
                    }
                }
                footer {
                    "Made with needlelog on " (r.made) ". " (DISCLAIMER)
                }
            }
        }
    };
    markup.into_string()
}

/// A labelled line of facts under the table (`Adverse events: … · …`); nothing
/// when there are none.
fn legend(label: &str, lines: &[String]) -> Markup {
    html! {
        @if !lines.is_empty() {
            p.legend {
                (label)
                @for (i, line) in lines.iter().enumerate() {
                    @if i > 0 { " · " }
                    (line)
                }
            }
        }
    }
}

fn status_class(status: SessionStatus) -> &'static str {
    match status {
        SessionStatus::Done => "done",
        SessionStatus::Planned => "planned",
        SessionStatus::Cancelled => "cancelled",
        SessionStatus::Voided => "voided",
    }
}

fn status_word(status: SessionStatus) -> &'static str {
    match status {
        SessionStatus::Done => "",
        SessionStatus::Planned => "planned",
        SessionStatus::Cancelled => "cancelled",
        SessionStatus::Voided => "voided",
    }
}
