//! Which pre- and post-care items apply at a given moment.
//!
//! Pre-care items hang off planned sessions, post-care items off done sessions; an
//! item applies from `session + from_hours` (included) to `session + to_hours`
//! (excluded). The windows are absolute hours, so they hold across a clock change.

use chrono::{DateTime, Utc};

use serde::Deserialize;

use super::model::{CarePhase, CustomItem, Session, SessionStatus};
use super::time::after_hours;

/// One thing to do or avoid, active from `from_hours` to `to_hours` around a
/// session (start included, end excluded).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct ChecklistItem {
    pub id: String,
    pub phase: CarePhase,
    pub text: String,
    pub from_hours: i64,
    pub to_hours: i64,
    #[serde(default)]
    pub source: String,
}

impl ChecklistItem {
    /// The id of the user's own item behind this one, if it is one of theirs.
    pub fn custom_id(&self) -> Option<i64> {
        self.id.strip_prefix(CUSTOM_PREFIX)?.parse().ok()
    }
}

/// Own items appear among the checklist items as `custom-<id>`.
const CUSTOM_PREFIX: &str = "custom-";

impl CustomItem {
    /// The id this item has among the checklist items.
    pub fn item_id(&self) -> String {
        format!("{CUSTOM_PREFIX}{}", self.id)
    }

    /// The item as the checklist sees it.
    pub fn to_item(&self) -> ChecklistItem {
        ChecklistItem {
            id: self.item_id(),
            phase: self.phase,
            text: self.text.clone(),
            from_hours: self.from_hours,
            to_hours: self.to_hours,
            source: "your own".into(),
        }
    }
}

/// One item that applies now, for one session.
#[derive(Debug, Clone, PartialEq)]
pub struct ActiveItem<'a> {
    pub item: &'a ChecklistItem,
    pub session_id: i64,
    pub session_at: DateTime<Utc>,
    /// When this item stops applying.
    pub until: DateTime<Utc>,
}

/// The window during which `item` applies around a session at `at`.
pub fn item_window(item: &ChecklistItem, at: DateTime<Utc>) -> (DateTime<Utc>, DateTime<Utc>) {
    (after_hours(at, item.from_hours), after_hours(at, item.to_hours))
}

fn applies_to(phase: CarePhase, status: SessionStatus) -> bool {
    matches!((phase, status), (CarePhase::Pre, SessionStatus::Planned) | (CarePhase::Post, SessionStatus::Done))
}

/// Every item active at `now` for any of `sessions` (one course's), ordered by
/// session time and then by the items' own order. A pre-care item is listed once,
/// for the nearest session ahead, however many planned sessions it would apply to.
/// Aftercare that lasts (sunscreen outdoors) hands over `handover_hours` before the
/// course's next session, when that session's own pre-care begins.
pub fn active_items<'a>(
    items: impl IntoIterator<Item = &'a ChecklistItem> + Clone,
    sessions: &[Session],
    now: DateTime<Utc>,
    handover_hours: i64,
) -> Vec<ActiveItem<'a>> {
    let mut ordered: Vec<&Session> = sessions.iter().filter(|s| s.status != SessionStatus::Cancelled).collect();
    ordered.sort_by_key(|s| s.at);
    let mut active: Vec<ActiveItem<'a>> = Vec::new();
    for (i, session) in ordered.iter().enumerate() {
        let handover = ordered.get(i + 1).map(|next| after_hours(next.at, -handover_hours));
        for item in items.clone().into_iter().filter(|i| applies_to(i.phase, session.status)) {
            let (from, mut until) = item_window(item, session.at);
            if item.phase == CarePhase::Post
                && let Some(handover) = handover
            {
                until = until.min(handover.max(from));
            }
            let listed = || active.iter().any(|a| a.item.phase == CarePhase::Pre && a.item.id == item.id);
            if from <= now && now < until && !(item.phase == CarePhase::Pre && listed()) {
                active.push(ActiveItem { item, session_id: session.id, session_at: session.at, until });
            }
        }
    }
    active
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::model::Device;
    use crate::domain::rules::Rules;
    use crate::domain::time::resolve_local;
    use chrono::NaiveDateTime;
    use chrono_tz::America::New_York;

    fn ny(s: &str) -> DateTime<Utc> {
        resolve_local(NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap(), &New_York).unwrap()
    }

    fn session(id: i64, at: &str, status: SessionStatus) -> Session {
        let mut s = Session::new(1, ny(at), 0, status, Device::Pen);
        s.id = id;
        s
    }

    fn ids(items: &[ChecklistItem], sessions: &[Session], now: &str) -> Vec<String> {
        active_items(items, sessions, ny(now), 24).iter().map(|a| a.item.id.clone()).collect()
    }

    #[test]
    fn two_sessions_ahead_share_one_list_of_pre_care() {
        let rules = Rules::embedded();
        let planned = [
            session(3, "2026-05-20 10:00", SessionStatus::Planned),
            session(2, "2026-05-10 10:00", SessionStatus::Planned),
        ];
        let active = active_items(&rules.checklist, &planned, ny("2026-05-09 12:00"), 24);
        let mut ids: Vec<&str> = active.iter().map(|a| a.item.id.as_str()).collect();
        let count = ids.len();
        ids.dedup();
        assert_eq!(ids.len(), count, "each item once: {ids:?}");
        assert!(active.iter().all(|a| a.session_id == 2), "for the nearest session ahead");
        assert!(ids.contains(&"pre-sunburn-laser"), "{ids:?}");
    }

    #[test]
    fn pre_care_starts_exactly_24_hours_before_and_ends_at_the_session() {
        let rules = Rules::embedded();
        let planned = [session(2, "2026-05-10 10:00", SessionStatus::Planned)];
        let before = ids(&rules.checklist, &planned, "2026-05-09 09:59");
        assert!(!before.contains(&"pre-retinoids".to_string()));
        assert!(before.contains(&"pre-acids".to_string()), "week-ahead items apply earlier");
        let at_24h = ids(&rules.checklist, &planned, "2026-05-09 10:00");
        assert!(at_24h.contains(&"pre-retinoids".to_string()));
        assert!(at_24h.iter().all(|id| id.starts_with("pre-")));
        assert!(ids(&rules.checklist, &planned, "2026-05-10 10:00").is_empty());
    }

    #[test]
    fn post_care_runs_from_the_session_for_its_own_window() {
        let rules = Rules::embedded();
        let done = [session(1, "2026-05-10 10:00", SessionStatus::Done)];
        assert!(ids(&rules.checklist, &done, "2026-05-10 09:59").is_empty());
        let at_session = ids(&rules.checklist, &done, "2026-05-10 10:00");
        assert!(at_session.contains(&"post-nothing-on-skin".to_string()));
        assert!(at_session.contains(&"post-no-swimming".to_string()));
        assert!(!at_session.contains(&"post-sunscreen".to_string()));
        let at_72h = ids(&rules.checklist, &done, "2026-05-13 10:00");
        assert!(!at_72h.contains(&"post-no-swimming".to_string()));
        assert!(at_72h.contains(&"post-sunscreen".to_string()));
        assert!(at_72h.contains(&"post-red-flags".to_string()));
    }

    #[test]
    fn each_pre_care_item_shows_from_its_own_start() {
        let rules = Rules::embedded();
        let planned = [session(1, "2026-06-15 10:00", SessionStatus::Planned)];
        let at = |now: &str| ids(&rules.checklist, &planned, now);
        assert!(at("2026-05-31 09:59").is_empty());
        assert_eq!(at("2026-06-01 10:00"), ["pre-sunburn-laser"], "two weeks ahead");
        assert!(at("2026-06-08 10:00").contains(&"pre-acids".to_string()), "a week ahead");
        assert!(!at("2026-06-12 09:59").contains(&"pre-nsaids".to_string()));
        assert!(at("2026-06-12 10:00").contains(&"pre-nsaids".to_string()), "3 days ahead");
        assert!(at("2026-06-14 10:00").contains(&"pre-retinoids".to_string()), "the day before");
    }

    #[test]
    fn sunscreen_outdoors_lasts_until_the_next_sessions_pre_care() {
        let rules = Rules::embedded();
        let only = [session(1, "2026-05-10 10:00", SessionStatus::Done)];
        // The article: sunscreen outdoors after 72 h, from then on (not just a week).
        assert!(ids(&rules.checklist, &only, "2026-05-30 10:00").contains(&"post-sunscreen".to_string()));
        let booked = [only[0].clone(), session(2, "2026-06-07 10:00", SessionStatus::Planned)];
        assert!(ids(&rules.checklist, &booked, "2026-06-06 09:59").contains(&"post-sunscreen".to_string()));
        let day_before = ids(&rules.checklist, &booked, "2026-06-06 10:00");
        assert!(!day_before.contains(&"post-sunscreen".to_string()), "the bare-faced day takes over");
        assert!(day_before.contains(&"pre-bare-skin".to_string()));
    }

    #[test]
    fn windows_are_real_hours_across_the_clock_change() {
        let rules = Rules::embedded();
        let done = [session(1, "2026-03-07 10:00", SessionStatus::Done)];
        // 72 h after 10:00 EST on Saturday is 11:00 EDT on Tuesday.
        assert!(ids(&rules.checklist, &done, "2026-03-10 10:30").contains(&"post-no-swimming".to_string()));
        assert!(!ids(&rules.checklist, &done, "2026-03-10 11:00").contains(&"post-no-swimming".to_string()));
        let planned = [session(2, "2026-03-08 12:00", SessionStatus::Planned)];
        // 24 h before 12:00 EDT on Sunday is 11:00 EST on Saturday.
        assert!(!ids(&rules.checklist, &planned, "2026-03-07 10:59").contains(&"pre-wash".to_string()));
        assert!(ids(&rules.checklist, &planned, "2026-03-07 11:00").contains(&"pre-wash".to_string()));
    }

    #[test]
    fn moving_a_planned_session_moves_its_pre_care() {
        let rules = Rules::embedded();
        let mut planned = [session(2, "2026-05-10 10:00", SessionStatus::Planned)];
        assert!(ids(&rules.checklist, &planned, "2026-05-09 12:00").contains(&"pre-wash".to_string()));
        planned[0].at = ny("2026-05-12 10:00");
        assert!(!ids(&rules.checklist, &planned, "2026-05-09 12:00").contains(&"pre-wash".to_string()));
        assert!(ids(&rules.checklist, &planned, "2026-05-11 12:00").contains(&"pre-wash".to_string()));
    }

    #[test]
    fn cancelled_sessions_have_no_checklist() {
        let rules = Rules::embedded();
        let cancelled = [session(3, "2026-05-10 10:00", SessionStatus::Cancelled)];
        assert!(ids(&rules.checklist, &cancelled, "2026-05-10 12:00").is_empty());
        assert!(ids(&rules.checklist, &cancelled, "2026-05-09 12:00").is_empty());
    }
}
