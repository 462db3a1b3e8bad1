//! Needle-depth checks: a typo is refused, a depth beyond the usual range for the
//! area is kept with a warning.

use super::model::{AreaDepth, Device, SkinType};
use super::rules::Rules;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum DepthError {
    #[error("depth {mm} mm is outside {min}–{max} mm: check for a typo")]
    OutOfRange { mm: f64, min: f64, max: f64 },
    #[error("cannot read depth \"{0}\": use a number of mm such as 0.5, or AREA=MM,AREA=MM")]
    Unreadable(String),
}

/// Reads `--depth`: either one number for every area of the course, or
/// `area=mm,area=mm`.
pub fn parse_depths(input: &str, course_areas: &[String], rules: &Rules) -> Result<Vec<AreaDepth>, DepthError> {
    let text = input.trim();
    let depths: Vec<AreaDepth> = if text.contains('=') {
        text.split(',')
            .map(|pair| {
                let (area, mm) = pair.split_once('=').ok_or_else(|| DepthError::Unreadable(pair.to_string()))?;
                Ok(AreaDepth { area: rules.area_key(area), mm: parse_mm(mm)? })
            })
            .collect::<Result<_, _>>()?
    } else {
        let mm = parse_mm(text)?;
        course_areas.iter().map(|area| AreaDepth { area: area.clone(), mm }).collect()
    };
    for d in &depths {
        check_range(d.mm, rules)?;
    }
    Ok(depths)
}

fn parse_mm(s: &str) -> Result<f64, DepthError> {
    let trimmed = s.trim().trim_end_matches("mm").trim();
    match trimmed.parse::<f64>() {
        Ok(mm) if mm.is_finite() => Ok((mm * 100.0).round() / 100.0),
        _ => Err(DepthError::Unreadable(s.trim().to_string())),
    }
}

/// Refuses a depth no device can reach.
pub fn check_range(mm: f64, rules: &Rules) -> Result<(), DepthError> {
    let l = &rules.depth_limits;
    if mm < l.min_mm || mm > l.max_mm {
        return Err(DepthError::OutOfRange { mm, min: l.min_mm, max: l.max_mm });
    }
    Ok(())
}

/// Whether a provider name means the person treated themselves at home.
pub fn is_self_provider(provider: &str) -> bool {
    matches!(provider.trim().to_ascii_lowercase().as_str(), "self" | "me" | "myself" | "home")
}

/// Warnings for depths above the usual range of their area, or above the home limit
/// when the session was done at home.
/// The skin-type cautions that apply to a session at `depths` with `device` for
/// skin type `skin`, worded: notes, never a block.
pub fn cautions(skin: Option<SkinType>, depths: &[AreaDepth], device: Device, rules: &Rules) -> Vec<String> {
    let Some(skin) = skin else { return Vec::new() };
    let deepest = depths.iter().map(|d| d.mm).fold(0.0_f64, f64::max);
    rules
        .cautions
        .iter()
        .filter(|c| c.skin_types.contains(&skin))
        .filter(|c| {
            let deep = c.above_mm.is_some_and(|mm| deepest > mm);
            let heat = c.devices.contains(&device);
            deep || heat || (c.above_mm.is_none() && c.devices.is_empty())
        })
        .map(|c| c.text.replace("{type}", &skin.label()))
        .collect()
}

/// What a person of skin type `skin` should know before any session: every
/// caution for that type, in a line (empty when none).
pub fn skin_note(skin: Option<SkinType>, rules: &Rules) -> Vec<String> {
    let Some(skin) = skin else { return Vec::new() };
    rules
        .cautions
        .iter()
        .filter(|c| c.skin_types.contains(&skin))
        .map(|c| c.text.replace("{type}", &skin.label()))
        .collect()
}

/// On a practitioner's file (`professional`), depths within an area's
/// professional range are their work and say nothing.
pub fn depth_warnings(
    depths: &[AreaDepth],
    device: Device,
    at_home: bool,
    professional: bool,
    rules: &Rules,
) -> Vec<String> {
    let mut warnings = Vec::new();
    let home_max = rules.depth_limits.home_max_mm;
    for d in depths {
        let Some(guide) = rules.area(&d.area) else { continue };
        let [lo, hi] = guide.usual_mm;
        if (at_home || device == Device::Roller) && d.mm > home_max {
            warnings.push(format!(
                "{} mm on {} is deeper than the {} mm advised for home devices",
                d.mm,
                guide.name.to_lowercase(),
                home_max
            ));
        } else if professional && (guide.professional || guide.professional_mm.is_some_and(|[_, phi]| d.mm <= phi)) {
            continue;
        } else if d.mm > hi {
            let extra = match (guide.professional_mm, &guide.professional_note) {
                (Some([plo, phi]), Some(note)) if d.mm <= phi => format!("; {plo}–{phi} mm is for {note}"),
                _ => String::new(),
            };
            warnings.push(format!(
                "{} mm on {} is above the usual {lo}–{hi} mm{extra}",
                d.mm,
                guide.name.to_lowercase()
            ));
        }
    }
    warnings
}

#[cfg(test)]
mod tests {

    #[test]
    fn darker_skin_gets_a_caution_for_deeper_needling_and_for_heat() {
        let rules = Rules::embedded();
        let at = |mm: f64| vec![AreaDepth { area: "cheeks".into(), mm }];
        let deep = cautions(Some(SkinType::V), &at(1.5), Device::Pen, rules);
        assert_eq!(deep.len(), 1);
        assert!(deep[0].contains("skin type V") && deep[0].contains("PIH"), "{deep:?}");
        assert!(cautions(Some(SkinType::II), &at(0.5), Device::Pen, rules).is_empty());
        assert!(cautions(Some(SkinType::II), &at(1.5), Device::Rf, rules).is_empty());
        assert!(cautions(Some(SkinType::V), &at(0.5), Device::Pen, rules).is_empty());
        let heat = cautions(Some(SkinType::VI), &at(0.5), Device::Rf, rules);
        assert!(heat.len() == 1 && heat[0].starts_with("RF adds heat"), "{heat:?}");
        assert!(cautions(None, &at(2.0), Device::Rf, rules).is_empty(), "no skin type, no guess");
        assert_eq!(skin_note(Some(SkinType::IV), rules).len(), 2);
    }

    use super::*;

    fn areas(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn one_number_applies_to_every_area_of_the_course() {
        let rules = Rules::embedded();
        let d = parse_depths("0.5", &areas(&["forehead", "cheeks"]), rules).unwrap();
        assert_eq!(
            d,
            vec![AreaDepth { area: "forehead".into(), mm: 0.5 }, AreaDepth { area: "cheeks".into(), mm: 0.5 }]
        );
        let d = parse_depths("cheeks=1.0, Forehead=0.25mm", &[], rules).unwrap();
        assert_eq!(d[1], AreaDepth { area: "forehead".into(), mm: 0.25 });
    }

    #[test]
    fn typos_and_unknown_areas_are_refused() {
        let rules = Rules::embedded();
        let err = parse_depths("30", &areas(&["cheeks"]), rules).unwrap_err();
        assert_eq!(err.to_string(), "depth 30 mm is outside 0.1–3 mm: check for a typo");
        assert!(parse_depths("0.05", &areas(&["cheeks"]), rules).is_err());
        assert!(parse_depths("NaN", &areas(&["cheeks"]), rules).is_err());
        assert!(parse_depths("inf", &areas(&["cheeks"]), rules).is_err());
        assert_eq!(parse_depths("Left Knee=1", &[], rules).unwrap()[0].area, "left knee");
        assert!(parse_depths("3.0", &areas(&["cheeks"]), rules).is_ok());
        assert!(parse_depths("0.1", &areas(&["cheeks"]), rules).is_ok());
    }

    #[test]
    fn depths_beyond_guidance_warn() {
        let rules = Rules::embedded();
        let ok = [AreaDepth { area: "cheeks".into(), mm: 1.0 }];
        assert!(depth_warnings(&ok, Device::Pen, false, false, rules).is_empty());
        let scar = [AreaDepth { area: "cheeks".into(), mm: 2.0 }];
        assert_eq!(
            depth_warnings(&scar, Device::Pen, false, false, rules),
            ["2 mm on cheeks is above the usual 0.5–1 mm; 1.5–2.5 mm is for scar work by a professional"]
        );
        let eye = [AreaDepth { area: "under-eye".into(), mm: 0.5 }];
        assert_eq!(
            depth_warnings(&eye, Device::Pen, false, false, rules),
            ["0.5 mm on under-eye is above the usual 0.2–0.3 mm"]
        );
        let roller = [AreaDepth { area: "body".into(), mm: 1.5 }];
        assert_eq!(
            depth_warnings(&roller, Device::Roller, false, false, rules),
            ["1.5 mm on body (stretch marks) is deeper than the 1 mm advised for home devices"]
        );
    }
}
