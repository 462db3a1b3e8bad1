//! The report as Markdown: the same facts as the page, for pasting into an email
//! or notes. User text is kept to one line per cell and cannot open a table cell,
//! a link or HTML.

use super::{CourseReport, DISCLAIMER};

pub fn document(r: &CourseReport) -> String {
    let mut out = String::new();
    let mut line = |s: String| {
        out.push_str(&s);
        out.push('\n');
    };
    line(format!("# Microneedling course report: {}", cell(&r.title)));
    line(String::new());
    let skin = r.skin_type.as_ref().map(|s| format!(" · {s}")).unwrap_or_default();
    line(format!("{}{skin} · made {}", cell(&r.person), r.made));
    line(String::new());
    line(format!("- **Concern:** {}", cell(&r.concern)));
    line(format!("- **Areas:** {}", cell(&r.areas)));
    for fact in &r.facts {
        line(format!("- **{}:** {}", fact.label, cell(&fact.value)));
    }
    if let Some(protocol) = &r.protocol {
        line(format!("- **Usual protocol:** {}", cell(protocol)));
    }
    if !r.course_notes.is_empty() {
        line(format!("- **Notes:** {}", cell(&r.course_notes)));
    }
    line(String::new());
    line("## Sessions".into());
    line(String::new());
    if r.sessions.is_empty() {
        line("No sessions logged yet.".into());
    } else {
        line("| # | Date | Device | Depth | Passes | Serum | Numbing | Pain | Reaction | Rating | Provider | Care ticked | Notes |".into());
        line("|---|---|---|---|---|---|---|---|---|---|---|---|---|".into());
        for s in &r.sessions {
            let number = match s.number {
                Some(_) => s.place.clone(),
                None => s.status.to_string(),
            };
            let rating = s.rating.map(|r| format!("{r}/10")).unwrap_or_default();
            let care = s.care.map(|(n, m)| format!("{n} of {m}")).unwrap_or_default();
            let serum = match (s.serum.is_empty(), s.lot.is_empty()) {
                (_, true) => s.serum.clone(),
                (true, false) => format!("lot {}", s.lot),
                (false, false) => format!("{} (lot {})", s.serum, s.lot),
            };
            line(format!(
                "| {number} | {} | {} | {} | {} | {} | {} | {} | {} | {rating} | {} | {care} | {} |",
                s.date,
                s.device,
                cell(&s.depths),
                s.passes,
                cell(&serum),
                cell(&s.numbing),
                s.pain,
                s.reaction,
                cell(&s.provider),
                cell(&s.notes)
            ));
        }
    }
    if !r.events.is_empty() {
        line(String::new());
        line("Adverse events:".into());
        for e in &r.events {
            line(format!("- {}", cell(e)));
        }
    }
    if !r.voided.is_empty() {
        line(String::new());
        line("Voided (kept on record, counted nowhere):".into());
        for v in &r.voided {
            line(format!("- {}", cell(v)));
        }
    }
    if !r.recovery.is_empty() {
        line(String::new());
        line(format!(
            "Recovery, from the diary: {}",
            r.recovery.iter().map(|l| cell(l)).collect::<Vec<_>>().join(" · ")
        ));
    }
    let screened: Vec<String> =
        r.sessions.iter().filter_map(|s| Some(format!("#{} {}", s.number?, cell(&s.screening)))).collect();
    if !screened.is_empty() {
        line(String::new());
        line(format!("Contraindications asked before each session: {}", screened.join(" · ")));
    }
    if !r.ratings.is_empty() || r.final_rating.is_some() {
        line(String::new());
        line("## Ratings".into());
        line(String::new());
        let mut trend: Vec<String> = r.ratings.iter().map(|(n, v)| format!("#{n}: {v}")).collect();
        if let Some(f) = r.final_rating {
            trend.push(format!("final: {f}"));
        }
        line(trend.join(" → "));
    }
    line(String::new());
    line(format!("---\nMade with needlelog on {}. {DISCLAIMER}", r.made));
    out
}

/// User text for one Markdown line or table cell: line breaks become spaces, and
/// the characters that would start a cell, a link, emphasis or HTML are escaped.
fn cell(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, ch) in text.chars().enumerate() {
        match ch {
            '\n' | '\r' | '\t' => out.push(' '),
            // `~~~` opens a fenced block; a leading `-`, `+` or `=` a list or a heading.
            c if matches!(c, '|' | '\\' | '[' | ']' | '*' | '_' | '`' | '#' | '~')
                || (i == 0 && matches!(c, '-' | '+' | '=')) =>
            {
                out.push('\\');
                out.push(c);
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_text_stays_in_its_cell() {
        assert_eq!(cell("a|b\nc"), "a\\|b c");
        assert_eq!(cell("~~~ Ana"), "\\~\\~\\~ Ana");
        assert_eq!(cell("- Ana-Lu"), "\\- Ana-Lu");
        assert_eq!(cell("<script>alert(1)</script>"), "&lt;script&gt;alert(1)&lt;/script&gt;");
        assert_eq!(cell("[link](http://x) *bold*"), "\\[link\\](http://x) \\*bold\\*");
    }
}
