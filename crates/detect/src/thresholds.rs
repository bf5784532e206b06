//! Every number a detector decides by, named, with where it comes from. All of them can be
//! changed (`erbij analyze --threshold NAME=VALUE`) for research; the defaults are the
//! "(design)" values of METHODS.md section 2.5 unless the comment says otherwise.

use std::fmt;

/// P3: an add followed by a removal of the same pupil within this many minutes is
/// `added_and_removed` (METHODS.md P3, design: 10 min).
pub const ADDED_REMOVED_MAX_MINUTES: f64 = 10.0;
/// P3: ... or with at most this many messages in between (design: 5), provided it is still
/// the same day (`ADDED_REMOVED_MAX_HOURS_WITH_FEW_MESSAGES`): in a quiet group five messages
/// can span weeks, and a pupil who stayed a week was not "added and removed at once".
pub const ADDED_REMOVED_MAX_MESSAGES: f64 = 5.0;
pub const ADDED_REMOVED_MAX_HOURS_WITH_FEW_MESSAGES: f64 = 24.0;
/// P1: a removal undone (the pupil added back) within this many minutes is reported with
/// low confidence, a slip of the thumb being likely (design, from the look-alike).
pub const REMOVAL_UNDONE_MINUTES: f64 = 10.0;
/// P1: not re-added within this many hours makes a removal high-confidence (design: 24 h).
pub const REMOVAL_READD_HOURS: f64 = 24.0;
/// P1: the pupil's own message this shortly before the removal marks it as a reaction
/// (design: 15 min).
pub const REMOVAL_REACTION_MINUTES: f64 = 15.0;
/// A group whose observed members cover this share of the roster is a class group
/// (METHODS.md 2.5 preprocessing, design: 80 %).
pub const CLASS_GROUP_COVERAGE: f64 = 0.80;
/// P2: a shadow group covers at least this share of the class (design: 85 %) ...
pub const SHADOW_MIN_COVERAGE: f64 = 0.85;
/// ... and misses one or two pupils (design: 1 <= |M| <= 2).
pub const SHADOW_MAX_MISSING: f64 = 2.0;
/// P4: a turn is taken up when someone else names its author within this window (design: 30 min).
pub const UPTAKE_WINDOW_MINUTES: f64 = 30.0;
/// P4: ... or writes the next message within this time (design: 5 min). Smith & Williams
/// 2004 show that simply receiving no reply lowers belonging, so "no reply" is the signal.
pub const UPTAKE_NEXT_MESSAGE_MINUTES: f64 = 5.0;
/// P4: turns begun between these hours are not counted: nobody is expected to answer at
/// night (design: 23:00-07:00).
pub const NIGHT_START_HOUR: f64 = 23.0;
pub const NIGHT_END_HOUR: f64 = 7.0;
/// P4: at least this many turns before a member is tested (design: 15).
pub const IGNORED_MIN_TURNS: f64 = 15.0;
/// P4: effect size: the member's uptake at most this fraction of the others' (design: 0.5).
pub const IGNORED_MAX_RATE_RATIO: f64 = 0.5;
/// P4: Holm-corrected p-value below this (design: 0.01).
pub const IGNORED_ALPHA: f64 = 0.01;
/// P4: the unanswered turns fall in at least this many different weeks (design: 2), so one
/// bad evening is not a pattern.
pub const IGNORED_MIN_WEEKS: f64 = 2.0;
/// P5: at least this many negative mentions of an absent pupil (design: 3) ...
pub const GOSSIP_MIN_MENTIONS: f64 = 3.0;
/// ... by at least this many different authors (design: 2): one remark, or one person's
/// remarks, are not a group pattern ...
pub const GOSSIP_MIN_AUTHORS: f64 = 2.0;
/// ... within this many days (design: 7).
pub const GOSSIP_WINDOW_DAYS: f64 = 7.0;
/// P5: a negative message this many messages after a name mention, using a pronoun, counts
/// for that pupil (design: "the next 2 messages").
pub const GOSSIP_FOLLOWUP_MESSAGES: f64 = 2.0;
/// ... and within this many minutes of the mention (erbij's choice: a pronoun hours later
/// no longer refers to the pupil named; a remark 28 hours later was counted before).
pub const GOSSIP_FOLLOWUP_MINUTES: f64 = 10.0;
/// Two exports are of the same group when this share of the smaller one's messages (within
/// the time both cover) appears in the other at the same minute with the same text (erbij's
/// choice, following the alignment of minvws's DSA-WhatsApp-merger).
pub const SAME_GROUP_MIN_SHARED: f64 = 0.5;

/// The thresholds in force.
#[derive(Debug, Clone, PartialEq)]
pub struct Thresholds {
    pub added_removed_max_minutes: f64,
    pub added_removed_max_messages: f64,
    pub added_removed_max_hours_with_few_messages: f64,
    pub removal_undone_minutes: f64,
    pub removal_readd_hours: f64,
    pub removal_reaction_minutes: f64,
    pub class_group_coverage: f64,
    pub shadow_min_coverage: f64,
    pub shadow_max_missing: f64,
    pub uptake_window_minutes: f64,
    pub uptake_next_message_minutes: f64,
    pub night_start_hour: f64,
    pub night_end_hour: f64,
    pub ignored_min_turns: f64,
    pub ignored_max_rate_ratio: f64,
    pub ignored_alpha: f64,
    pub ignored_min_weeks: f64,
    pub gossip_min_mentions: f64,
    pub gossip_min_authors: f64,
    pub gossip_window_days: f64,
    pub gossip_followup_messages: f64,
    pub gossip_followup_minutes: f64,
    pub same_group_min_shared: f64,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            added_removed_max_minutes: ADDED_REMOVED_MAX_MINUTES,
            added_removed_max_messages: ADDED_REMOVED_MAX_MESSAGES,
            added_removed_max_hours_with_few_messages: ADDED_REMOVED_MAX_HOURS_WITH_FEW_MESSAGES,
            removal_undone_minutes: REMOVAL_UNDONE_MINUTES,
            removal_readd_hours: REMOVAL_READD_HOURS,
            removal_reaction_minutes: REMOVAL_REACTION_MINUTES,
            class_group_coverage: CLASS_GROUP_COVERAGE,
            shadow_min_coverage: SHADOW_MIN_COVERAGE,
            shadow_max_missing: SHADOW_MAX_MISSING,
            uptake_window_minutes: UPTAKE_WINDOW_MINUTES,
            uptake_next_message_minutes: UPTAKE_NEXT_MESSAGE_MINUTES,
            night_start_hour: NIGHT_START_HOUR,
            night_end_hour: NIGHT_END_HOUR,
            ignored_min_turns: IGNORED_MIN_TURNS,
            ignored_max_rate_ratio: IGNORED_MAX_RATE_RATIO,
            ignored_alpha: IGNORED_ALPHA,
            ignored_min_weeks: IGNORED_MIN_WEEKS,
            gossip_min_mentions: GOSSIP_MIN_MENTIONS,
            gossip_min_authors: GOSSIP_MIN_AUTHORS,
            gossip_window_days: GOSSIP_WINDOW_DAYS,
            gossip_followup_messages: GOSSIP_FOLLOWUP_MESSAGES,
            gossip_followup_minutes: GOSSIP_FOLLOWUP_MINUTES,
            same_group_min_shared: SAME_GROUP_MIN_SHARED,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ThresholdError {
    Syntax(String),
    Unknown(String),
    BadValue { name: String, value: String },
}

impl fmt::Display for ThresholdError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ThresholdError::Syntax(s) => write!(f, "`{s}`: schrijf een drempel als NAAM=WAARDE"),
            ThresholdError::Unknown(name) => write!(
                f,
                "onbekende drempel `{name}`; bekend zijn: {}",
                Thresholds::NAMES.join(", ")
            ),
            ThresholdError::BadValue { name, value } => {
                write!(f, "drempel `{name}`: `{value}` is geen getal van 0 of meer")
            }
        }
    }
}

impl std::error::Error for ThresholdError {}

impl Thresholds {
    pub const NAMES: &'static [&'static str] = &[
        "added_removed_max_minutes",
        "added_removed_max_messages",
        "added_removed_max_hours_with_few_messages",
        "removal_undone_minutes",
        "removal_readd_hours",
        "removal_reaction_minutes",
        "class_group_coverage",
        "shadow_min_coverage",
        "shadow_max_missing",
        "uptake_window_minutes",
        "uptake_next_message_minutes",
        "night_start_hour",
        "night_end_hour",
        "ignored_min_turns",
        "ignored_max_rate_ratio",
        "ignored_alpha",
        "ignored_min_weeks",
        "gossip_min_mentions",
        "gossip_min_authors",
        "gossip_window_days",
        "gossip_followup_messages",
        "gossip_followup_minutes",
        "same_group_min_shared",
    ];

    fn slot(&mut self, name: &str) -> Option<&mut f64> {
        Some(match name {
            "added_removed_max_minutes" => &mut self.added_removed_max_minutes,
            "added_removed_max_messages" => &mut self.added_removed_max_messages,
            "added_removed_max_hours_with_few_messages" => {
                &mut self.added_removed_max_hours_with_few_messages
            }
            "removal_undone_minutes" => &mut self.removal_undone_minutes,
            "removal_readd_hours" => &mut self.removal_readd_hours,
            "removal_reaction_minutes" => &mut self.removal_reaction_minutes,
            "class_group_coverage" => &mut self.class_group_coverage,
            "shadow_min_coverage" => &mut self.shadow_min_coverage,
            "shadow_max_missing" => &mut self.shadow_max_missing,
            "uptake_window_minutes" => &mut self.uptake_window_minutes,
            "uptake_next_message_minutes" => &mut self.uptake_next_message_minutes,
            "night_start_hour" => &mut self.night_start_hour,
            "night_end_hour" => &mut self.night_end_hour,
            "ignored_min_turns" => &mut self.ignored_min_turns,
            "ignored_max_rate_ratio" => &mut self.ignored_max_rate_ratio,
            "ignored_alpha" => &mut self.ignored_alpha,
            "ignored_min_weeks" => &mut self.ignored_min_weeks,
            "gossip_min_mentions" => &mut self.gossip_min_mentions,
            "gossip_min_authors" => &mut self.gossip_min_authors,
            "gossip_window_days" => &mut self.gossip_window_days,
            "gossip_followup_messages" => &mut self.gossip_followup_messages,
            "gossip_followup_minutes" => &mut self.gossip_followup_minutes,
            "same_group_min_shared" => &mut self.same_group_min_shared,
            _ => return None,
        })
    }

    /// Sets one threshold from `NAME=VALUE`.
    pub fn set(&mut self, assignment: &str) -> Result<(), ThresholdError> {
        let (name, value) = assignment
            .split_once('=')
            .ok_or_else(|| ThresholdError::Syntax(assignment.to_string()))?;
        let (name, value) = (name.trim(), value.trim());
        let parsed: f64 = value
            .parse()
            .ok()
            .filter(|v: &f64| v.is_finite() && *v >= 0.0)
            .ok_or_else(|| ThresholdError::BadValue {
                name: name.to_string(),
                value: value.to_string(),
            })?;
        let slot = self
            .slot(name)
            .ok_or_else(|| ThresholdError::Unknown(name.to_string()))?;
        *slot = parsed;
        Ok(())
    }

    pub fn get(&self, name: &str) -> Option<f64> {
        self.clone().slot(name).map(|v| *v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_named_threshold_can_be_set_and_read() {
        for name in Thresholds::NAMES {
            let mut t = Thresholds::default();
            t.set(&format!("{name}=3.5")).unwrap();
            assert_eq!(t.get(name), Some(3.5), "{name}");
        }
    }

    #[test]
    fn bad_assignments_are_explained() {
        let mut t = Thresholds::default();
        assert!(matches!(
            t.set("ignored_alpha"),
            Err(ThresholdError::Syntax(_))
        ));
        assert!(
            t.set("bogus=1")
                .unwrap_err()
                .to_string()
                .contains("ignored_alpha")
        );
        assert!(matches!(
            t.set("ignored_alpha=-1"),
            Err(ThresholdError::BadValue { .. })
        ));
        assert_eq!(t, Thresholds::default());
    }
}
