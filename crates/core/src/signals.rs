//! Signals and early warning: the signs a teacher records about a pupil, the pupil's
//! timeline, and the early-warning rules ("Aandacht nodig").
//!
//! The article's first message to teachers is that they mostly see only the effects of
//! (online) exclusion, so they should watch for a handful of signs. A sign is recorded in
//! seconds, kept with who saw it, and combined across teachers: when signs pile up by the
//! school's own rules, the pupil appears on the early-warning list with the rule that fired
//! and the signs behind it.
//!
//! Access (written once, in [`SignalAccess`], tested as a table below):
//! - a teacher sees and records signs only for pupils of classes assigned to them; any
//!   other pupil is `NotFound`, like a pupil that does not exist;
//! - the coordinator, the confidential adviser and the care coordinator see and record
//!   signs for every pupil of the school;
//! - the administrator manages accounts and sees no signs: a pupil's signs, a sign and the
//!   class grid are `NotFound` for them (as the case file does for case contents); the
//!   school-wide early-warning list and its rules are `Forbidden` (there is no object to
//!   hide, only a role that may not look);
//! - a sign is corrected or withdrawn by the teacher who recorded it or by the coordinator
//!   (`Forbidden` for others who can see it); undo (a real delete) is for the recorder only,
//!   within [`UNDO_SECONDS`] of recording;
//! - the early-warning rules are set by the coordinator; the others who see signs may read them.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::fmt;

use crate::platform::{AccessError, Actor};
use crate::{
    ClassId, ClassRecord, Date, Platform, PupilId, PupilRecord, Role, SchoolId, StoreError,
    Timestamp, UserId,
};

/// A note is short: what was seen, not a report. Longer text is refused with a message.
pub const NOTE_MAX_CHARS: usize = 1000;
/// A sign can be undone (deleted without trace) this long after it was recorded; later it
/// is withdrawn, which keeps a trace.
pub const UNDO_SECONDS: i64 = 60;
/// Rules cannot look further back than a school year.
pub const MAX_WINDOW_DAYS: i64 = 366;
/// A school keeps a handful of rules; more is not a policy anyone can read.
pub const MAX_RULES: usize = 10;

/// The database id of a recorded sign.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SignalId(pub i64);

impl fmt::Display for SignalId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// The kinds of sign: the article's five a teacher sees in class, and what pupils or
/// parents report about online life. The strings are the API's contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SignalKind {
    AbsentIll,
    Nickname,
    ChosenLast,
    AloneAtBreak,
    Lingers,
    RemovedFromGroup,
    IgnoredInGroup,
    NotLikedUnfollowed,
    Other,
}

impl SignalKind {
    pub const ALL: [SignalKind; 9] = [
        SignalKind::AloneAtBreak,
        SignalKind::ChosenLast,
        SignalKind::Nickname,
        SignalKind::AbsentIll,
        SignalKind::Lingers,
        SignalKind::RemovedFromGroup,
        SignalKind::IgnoredInGroup,
        SignalKind::NotLikedUnfollowed,
        SignalKind::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SignalKind::AbsentIll => "absent_ill",
            SignalKind::Nickname => "nickname",
            SignalKind::ChosenLast => "chosen_last",
            SignalKind::AloneAtBreak => "alone_at_break",
            SignalKind::Lingers => "lingers",
            SignalKind::RemovedFromGroup => "removed_from_group",
            SignalKind::IgnoredInGroup => "ignored_in_group",
            SignalKind::NotLikedUnfollowed => "not_liked_unfollowed",
            SignalKind::Other => "other",
        }
    }

    /// Exactly the contract strings; anything else is `None`.
    pub fn parse(raw: &str) -> Option<SignalKind> {
        let wanted = raw.trim();
        SignalKind::ALL.into_iter().find(|k| k.as_str() == wanted)
    }

    /// Whether the sign is one a teacher sees in class (the article's five) rather than
    /// one reported about online life.
    pub fn seen_in_class(self) -> bool {
        matches!(
            self,
            SignalKind::AbsentIll
                | SignalKind::Nickname
                | SignalKind::ChosenLast
                | SignalKind::AloneAtBreak
                | SignalKind::Lingers
        )
    }

    /// The short Dutch name, as the glossary words it.
    pub fn label_nl(self) -> &'static str {
        match self {
            SignalKind::AbsentIll => "vaak ziek of afwezig",
            SignalKind::Nickname => "anderen gebruiken een bijnaam",
            SignalKind::ChosenLast => "als laatste gekozen",
            SignalKind::AloneAtBreak => "alleen in de pauze",
            SignalKind::Lingers => "blijft hangen in het lokaal",
            SignalKind::RemovedFromGroup => "uit een groepsapp verwijderd",
            SignalKind::IgnoredInGroup => "genegeerd in een groepsapp",
            SignalKind::NotLikedUnfollowed => "niet geliket of ontvolgd",
            SignalKind::Other => "iets anders",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            SignalKind::AbsentIll => "often ill or absent",
            SignalKind::Nickname => "others use a nickname",
            SignalKind::ChosenLast => "chosen last",
            SignalKind::AloneAtBreak => "alone at break",
            SignalKind::Lingers => "lingers in the classroom",
            SignalKind::RemovedFromGroup => "removed from a group chat",
            SignalKind::IgnoredInGroup => "ignored in a group chat",
            SignalKind::NotLikedUnfollowed => "not liked or unfollowed",
            SignalKind::Other => "something else",
        }
    }

    /// One line of plain Dutch: what to look at (from the article).
    pub fn guidance_nl(self) -> &'static str {
        match self {
            SignalKind::AbsentIll => {
                "De leerling is vaak ziek of afwezig: let op of dat samenvalt met groepswerk, gym, pauzes of uitjes."
            }
            SignalKind::Nickname => {
                "Andere leerlingen gebruiken een bijnaam voor de leerling: let op wie hem gebruikt en hoe de leerling reageert."
            }
            SignalKind::ChosenLast => {
                "Wanneer er groepjes gevormd worden, wordt de leerling regelmatig als laatste gekozen."
            }
            SignalKind::AloneAtBreak => {
                "De leerling is vaak alleen tijdens de pauze: kijk of dat zo blijft en of de leerling aansluiting zoekt."
            }
            SignalKind::Lingers => {
                "Voor en na de les blijft de leerling in het lokaal hangen: vaak om de gang of het schoolplein te ontlopen."
            }
            SignalKind::RemovedFromGroup => {
                "Uit de klassen-WhatsAppgroep gegooid, of er is stiekem een nieuwe groep zonder deze leerling: vraag wie het zag."
            }
            SignalKind::IgnoredInGroup => {
                "Berichten van deze ene leerling worden genegeerd, of er wordt geroddeld terwijl de leerling niet in de groep zit."
            }
            SignalKind::NotLikedUnfollowed => {
                "Posts van de leerling worden bewust niet geliket, of klasgenoten ontvolgen de leerling."
            }
            SignalKind::Other => {
                "Iets anders dat je zorgen baart: beschrijf kort wat je zag (verplicht bij dit signaal)."
            }
        }
    }

    pub fn guidance_en(self) -> &'static str {
        match self {
            SignalKind::AbsentIll => {
                "The pupil is often ill or absent: notice whether it coincides with group work, PE, breaks or trips."
            }
            SignalKind::Nickname => {
                "Other pupils use a nickname for the pupil: notice who uses it and how the pupil reacts."
            }
            SignalKind::ChosenLast => "When groups are formed, the pupil is regularly chosen last.",
            SignalKind::AloneAtBreak => {
                "The pupil is often alone at break: see whether it lasts and whether the pupil seeks company."
            }
            SignalKind::Lingers => {
                "The pupil lingers in the classroom before and after the lesson, often to avoid the corridor or playground."
            }
            SignalKind::RemovedFromGroup => {
                "Thrown out of the class WhatsApp group, or a new group was made without this pupil: ask who saw it."
            }
            SignalKind::IgnoredInGroup => {
                "Messages of this one pupil are ignored, or there is gossip while the pupil is not in the group."
            }
            SignalKind::NotLikedUnfollowed => {
                "The pupil's posts are deliberately not liked, or classmates unfollow the pupil."
            }
            SignalKind::Other => {
                "Something else that worries you: describe briefly what you saw (required for this sign)."
            }
        }
    }
}

/// A recorded sign. `class_id` is the pupil's class when it was recorded: a pupil who moves
/// class keeps their signs, and the old class's teachers no longer see them.
#[derive(Clone, PartialEq, Eq)]
pub struct SignalRecord {
    pub id: SignalId,
    pub school_id: SchoolId,
    pub pupil_id: PupilId,
    pub class_id: ClassId,
    pub kind: SignalKind,
    pub seen_on: Date,
    pub note: String,
    pub recorded_by: UserId,
    /// The recorder's name (joined from the accounts), for "gezien door".
    pub recorded_by_name: String,
    pub recorded_at: Timestamp,
    pub withdrawn_at: Option<Timestamp>,
    pub withdrawn_by: Option<UserId>,
}

impl SignalRecord {
    pub fn is_withdrawn(&self) -> bool {
        self.withdrawn_at.is_some()
    }
}

// The note is about a child and the recorder is a person: keep both out of logs.
impl fmt::Debug for SignalRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SignalRecord")
            .field("id", &self.id)
            .field("school_id", &self.school_id)
            .field("pupil_id", &self.pupil_id)
            .field("kind", &self.kind)
            .field("seen_on", &self.seen_on)
            .field("withdrawn_at", &self.withdrawn_at)
            .finish_non_exhaustive()
    }
}

/// A sign to store (validated).
#[derive(Clone, PartialEq, Eq)]
pub struct NewSignal {
    pub school_id: SchoolId,
    pub pupil_id: PupilId,
    pub class_id: ClassId,
    pub kind: SignalKind,
    pub seen_on: Date,
    pub note: String,
    pub recorded_by: UserId,
    pub recorded_at: Timestamp,
}

impl fmt::Debug for NewSignal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NewSignal")
            .field("pupil_id", &self.pupil_id)
            .field("kind", &self.kind)
            .finish_non_exhaustive()
    }
}

/// A sign's new kind, date and note (validated).
#[derive(Clone, PartialEq, Eq)]
pub struct Correction {
    pub kind: SignalKind,
    pub seen_on: Date,
    pub note: String,
}

impl fmt::Debug for Correction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Correction")
            .field("kind", &self.kind)
            .field("seen_on", &self.seen_on)
            .finish_non_exhaustive()
    }
}

/// What happened to a sign after it was recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeAction {
    Corrected,
    Withdrawn,
}

impl ChangeAction {
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeAction::Corrected => "corrected",
            ChangeAction::Withdrawn => "withdrawn",
        }
    }
    pub fn parse(raw: &str) -> Option<ChangeAction> {
        match raw {
            "corrected" => Some(ChangeAction::Corrected),
            "withdrawn" => Some(ChangeAction::Withdrawn),
            _ => None,
        }
    }
}

/// The trace of a correction or withdrawal: who, when, and what the sign said before.
#[derive(Clone, PartialEq, Eq)]
pub struct SignalChange {
    pub signal_id: SignalId,
    pub action: ChangeAction,
    pub changed_by: UserId,
    pub changed_by_name: String,
    pub changed_at: Timestamp,
    pub old_kind: SignalKind,
    pub old_seen_on: Date,
    pub old_note: String,
    pub reason: String,
}

impl fmt::Debug for SignalChange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SignalChange")
            .field("signal_id", &self.signal_id)
            .field("action", &self.action)
            .field("changed_at", &self.changed_at)
            .finish_non_exhaustive()
    }
}

/// A pupil's move from one class to another, for the timeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClassMove {
    pub pupil_id: PupilId,
    pub from_class: ClassId,
    pub to_class: ClassId,
    pub from_class_name: String,
    pub to_class_name: String,
    pub moved_on: Date,
    pub moved_at: Timestamp,
    pub moved_by: Option<UserId>,
}

/// What an early-warning rule counts among a pupil's signs within its window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RuleKind {
    /// At least `min_count` different kinds of sign.
    DistinctKinds,
    /// Signs from at least `min_count` different teachers.
    Teachers,
    /// At least `min_count` signs in all (of the rule's kinds).
    Signals,
}

impl RuleKind {
    pub const ALL: [RuleKind; 3] = [
        RuleKind::DistinctKinds,
        RuleKind::Teachers,
        RuleKind::Signals,
    ];

    /// The `rule` field of an early-warning entry.
    pub fn as_str(self) -> &'static str {
        match self {
            RuleKind::DistinctKinds => "distinct_kinds",
            RuleKind::Teachers => "teachers",
            RuleKind::Signals => "signals",
        }
    }
    pub fn parse(raw: &str) -> Option<RuleKind> {
        RuleKind::ALL.into_iter().find(|k| k.as_str() == raw.trim())
    }
}

/// One of the school's early-warning rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EarlyWarningRule {
    pub kind: RuleKind,
    pub min_count: i64,
    /// A sign counts on the day it was seen and the `window_days - 1` days after.
    pub window_days: i64,
    /// The kinds of sign the rule counts; empty means every kind.
    pub signal_kinds: Vec<SignalKind>,
    pub enabled: bool,
}

impl EarlyWarningRule {
    /// Checks a rule typed by the coordinator.
    pub fn validate(&self) -> Result<(), SignalInputError> {
        if !(1..=50).contains(&self.min_count) {
            return Err(SignalInputError::RuleCount);
        }
        if !(1..=MAX_WINDOW_DAYS).contains(&self.window_days) {
            return Err(SignalInputError::RuleWindow);
        }
        if self.kind == RuleKind::DistinctKinds {
            let available = if self.signal_kinds.is_empty() {
                SignalKind::ALL.len()
            } else {
                self.signal_kinds.len()
            };
            if usize::try_from(self.min_count).unwrap_or(usize::MAX) > available {
                return Err(SignalInputError::RuleCountAboveKinds);
            }
        }
        Ok(())
    }

    fn counts(&self, kind: SignalKind) -> bool {
        self.signal_kinds.is_empty() || self.signal_kinds.contains(&kind)
    }

    /// "3 verschillende signalen in 28 dagen" (what the rule asks, for the settings page).
    pub fn describe_nl(&self) -> String {
        let n = self.min_count;
        let d = self.window_days;
        let what = match self.kind {
            RuleKind::DistinctKinds => format!("minstens {n} verschillende soorten signalen"),
            RuleKind::Teachers => {
                format!("signalen van minstens {n} verschillende leerkrachten")
            }
            RuleKind::Signals => format!("minstens {n} signalen"),
        };
        let mut text = format!("{what} binnen {d} dagen");
        if !self.signal_kinds.is_empty() {
            let kinds: Vec<&str> = self.signal_kinds.iter().map(|k| k.label_nl()).collect();
            text.push_str(&format!(" (alleen: {})", kinds.join(", ")));
        }
        text
    }

    pub fn describe_en(&self) -> String {
        let n = self.min_count;
        let d = self.window_days;
        let what = match self.kind {
            RuleKind::DistinctKinds => format!("at least {n} different kinds of sign"),
            RuleKind::Teachers => format!("signs from at least {n} different teachers"),
            RuleKind::Signals => format!("at least {n} signs"),
        };
        let mut text = format!("{what} within {d} days");
        if !self.signal_kinds.is_empty() {
            let kinds: Vec<&str> = self.signal_kinds.iter().map(|k| k.label_en()).collect();
            text.push_str(&format!(" (only: {})", kinds.join(", ")));
        }
        text
    }
}

/// The rules a school starts with (issue 9): at least 3 different kinds of sign within 28
/// days, or at least 2 teachers recording a sign within 14 days.
pub fn default_rules() -> Vec<EarlyWarningRule> {
    vec![
        EarlyWarningRule {
            kind: RuleKind::DistinctKinds,
            min_count: 3,
            window_days: 28,
            signal_kinds: Vec::new(),
            enabled: true,
        },
        EarlyWarningRule {
            kind: RuleKind::Teachers,
            min_count: 2,
            window_days: 14,
            signal_kinds: Vec::new(),
            enabled: true,
        },
    ]
}

/// The school's rules as stored, with who last changed them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleSet {
    pub rules: Vec<EarlyWarningRule>,
    /// `None` while the school uses the defaults.
    pub updated_by_name: Option<String>,
    pub updated_at: Option<Timestamp>,
}

/// One pupil on the early-warning list: which rule put them there, why in words, and the
/// signs behind it. Other sources (survey flags, ...) add entries with their own `rule`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WarningEntry {
    pub pupil_id: PupilId,
    pub class_id: ClassId,
    /// The first rule that fired (`distinct_kinds`, `teachers`, `signals`, or another
    /// source's own name).
    pub rule: String,
    /// Every rule that fired, the first one first.
    pub rules: Vec<String>,
    pub reason_nl: String,
    pub reason_en: String,
    pub signals: Vec<SignalId>,
}

/// Everything a source or a filter of the early-warning list may look at, read once.
#[derive(Debug)]
pub struct WarningContext<'a> {
    pub actor: &'a Actor,
    pub today: Date,
    /// The pupils the actor may see, at school (not archived), by id.
    pub pupils: &'a HashMap<PupilId, PupilRecord>,
}

/// A source of early-warning entries.
type WarningSource = fn(&Platform, &WarningContext<'_>) -> Result<Vec<WarningEntry>, StoreError>;
/// A filter: keeps an entry (`true`) or drops it.
type WarningFilter = fn(&Platform, &WarningContext<'_>, &WarningEntry) -> Result<bool, StoreError>;

/// The sources of the early-warning list, in order. Add a source here (survey flags, ...):
/// it returns entries with its own `rule` and both reasons.
const WARNING_SOURCES: &[WarningSource] =
    &[signal_rule_entries, crate::surveys::survey_warning_entries];

/// The filters every entry passes, in order. Add a filter here (a pupil with an open case
/// leaves the list, ...).
const WARNING_FILTERS: &[WarningFilter] = &[only_visible_pupils_at_school, no_open_case];

fn signal_rule_entries(
    platform: &Platform,
    ctx: &WarningContext<'_>,
) -> Result<Vec<WarningEntry>, StoreError> {
    let rules = platform.rule_set_of(ctx.actor.school_id)?.rules;
    let longest = rules
        .iter()
        .filter(|r| r.enabled)
        .map(|r| r.window_days)
        .max()
        .unwrap_or(0);
    if longest == 0 {
        return Ok(Vec::new());
    }
    let since = ctx.today.add_days(-(longest - 1));
    let signals = platform
        .store()
        .signals_seen_since(ctx.actor.school_id, since)?;
    let mut by_pupil: BTreeMap<PupilId, Vec<SignalRecord>> = BTreeMap::new();
    for signal in signals {
        if ctx.pupils.contains_key(&signal.pupil_id) {
            by_pupil.entry(signal.pupil_id).or_default().push(signal);
        }
    }
    let mut entries = Vec::new();
    for (pupil_id, signals) in by_pupil {
        let Some(pupil) = ctx.pupils.get(&pupil_id) else {
            continue;
        };
        for rule in rules.iter().filter(|r| r.enabled) {
            if let Some(entry) = evaluate_rule(rule, pupil, &signals, ctx.today) {
                entries.push(entry);
            }
        }
    }
    Ok(entries)
}

/// Applies one rule to one pupil's signs on `today`. Withdrawn signs and signs seen after
/// today never count.
pub fn evaluate_rule(
    rule: &EarlyWarningRule,
    pupil: &PupilRecord,
    signals: &[SignalRecord],
    today: Date,
) -> Option<WarningEntry> {
    let first_day = today.add_days(-(rule.window_days - 1));
    let mut counted: Vec<&SignalRecord> = signals
        .iter()
        .filter(|s| {
            s.pupil_id == pupil.id
                && !s.is_withdrawn()
                && s.seen_on >= first_day
                && s.seen_on <= today
                && rule.counts(s.kind)
        })
        .collect();
    // Newest first, so the reason names the latest signs first.
    counted.sort_by(|a, b| b.seen_on.cmp(&a.seen_on).then(b.id.cmp(&a.id)));
    let kinds: Vec<SignalKind> = {
        let mut seen = BTreeSet::new();
        counted
            .iter()
            .filter(|s| seen.insert(s.kind))
            .map(|s| s.kind)
            .collect()
    };
    let teachers: BTreeSet<UserId> = counted.iter().map(|s| s.recorded_by).collect();
    let have = match rule.kind {
        RuleKind::DistinctKinds => kinds.len(),
        RuleKind::Teachers => teachers.len(),
        RuleKind::Signals => counted.len(),
    };
    if i64::try_from(have).unwrap_or(i64::MAX) < rule.min_count {
        return None;
    }
    let kinds_nl: Vec<&str> = kinds.iter().map(|k| k.label_nl()).collect();
    let kinds_en: Vec<&str> = kinds.iter().map(|k| k.label_en()).collect();
    let (weeks_nl, weeks_en) = window_words(rule.window_days);
    let (reason_nl, reason_en) = match rule.kind {
        RuleKind::DistinctKinds => (
            format!(
                "{have} verschillende signalen in {weeks_nl}: {}",
                kinds_nl.join(", ")
            ),
            format!(
                "{have} different signs in {weeks_en}: {}",
                kinds_en.join(", ")
            ),
        ),
        RuleKind::Teachers => (
            format!(
                "{have} leerkrachten zagen een signaal in {weeks_nl}: {}",
                kinds_nl.join(", ")
            ),
            format!(
                "{have} teachers saw a sign in {weeks_en}: {}",
                kinds_en.join(", ")
            ),
        ),
        RuleKind::Signals => (
            format!("{have} signalen in {weeks_nl}: {}", kinds_nl.join(", ")),
            format!("{have} signs in {weeks_en}: {}", kinds_en.join(", ")),
        ),
    };
    Some(WarningEntry {
        pupil_id: pupil.id,
        class_id: pupil.class_id,
        rule: rule.kind.as_str().to_string(),
        rules: vec![rule.kind.as_str().to_string()],
        reason_nl,
        reason_en,
        signals: counted.iter().map(|s| s.id).collect(),
    })
}

/// "4 weken" for whole weeks, else "10 dagen".
fn window_words(days: i64) -> (String, String) {
    if days % 7 == 0 {
        let weeks = days / 7;
        if weeks == 1 {
            ("1 week".into(), "1 week".into())
        } else {
            (format!("{weeks} weken"), format!("{weeks} weeks"))
        }
    } else if days == 1 {
        ("1 dag".into(), "1 day".into())
    } else {
        (format!("{days} dagen"), format!("{days} days"))
    }
}

fn only_visible_pupils_at_school(
    _platform: &Platform,
    ctx: &WarningContext<'_>,
    entry: &WarningEntry,
) -> Result<bool, StoreError> {
    Ok(ctx.pupils.contains_key(&entry.pupil_id))
}

/// A pupil leaves the list when a case is opened for them (and returns when it closes).
fn no_open_case(
    platform: &Platform,
    ctx: &WarningContext<'_>,
    entry: &WarningEntry,
) -> Result<bool, StoreError> {
    Ok(!crate::cases::has_open_case(
        platform,
        ctx.actor.school_id,
        entry.pupil_id,
    )?)
}

/// One pupil appears once: entries of several rules or sources are merged, the first
/// rule first, the reasons joined, the signs together.
fn merge_per_pupil(entries: Vec<WarningEntry>) -> Vec<WarningEntry> {
    let mut merged: Vec<WarningEntry> = Vec::new();
    let mut index: HashMap<PupilId, usize> = HashMap::new();
    for entry in entries {
        match index.get(&entry.pupil_id) {
            Some(&i) => {
                let into = &mut merged[i];
                for rule in entry.rules {
                    if !into.rules.contains(&rule) {
                        into.rules.push(rule);
                    }
                }
                into.reason_nl.push_str("; ");
                into.reason_nl.push_str(&entry.reason_nl);
                into.reason_en.push_str("; ");
                into.reason_en.push_str(&entry.reason_en);
                for id in entry.signals {
                    if !into.signals.contains(&id) {
                        into.signals.push(id);
                    }
                }
            }
            None => {
                index.insert(entry.pupil_id, merged.len());
                merged.push(entry);
            }
        }
    }
    merged
}

/// An entry of a pupil's timeline: signs today, class history; later survey flags and
/// cases add their own variants.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TimelineItem {
    Signal {
        signal: SignalRecord,
        changes: Vec<SignalChange>,
        class_name: String,
    },
    ClassMove(ClassMove),
    /// A pupil flagged by a closed survey round of their class (for those who may see the
    /// class's survey results).
    SurveyFlag(crate::surveys::TimelineFlag),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimelineEntry {
    pub on: Date,
    /// Orders entries of one day (newest first).
    pub at: Timestamp,
    pub item: TimelineItem,
}

/// A pupil's timeline and what the page needs around it.
#[derive(Debug, Clone)]
pub struct PupilTimeline {
    pub pupil: PupilRecord,
    pub class: ClassRecord,
    pub entries: Vec<TimelineEntry>,
}

/// The class overview: which pupil had which signs in a period.
#[derive(Debug, Clone)]
pub struct ClassGrid {
    pub class: ClassRecord,
    pub from: Date,
    pub to: Date,
    /// Per pupil (in class order) the number of signs per kind (in [`SignalKind::ALL`] order).
    pub rows: Vec<(PupilRecord, [usize; 9])>,
    pub total: usize,
}

/// Why a sign (or a rule) typed by a person was refused. Each names its field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignalInputError {
    #[error(
        "kind: `{0}` is not a kind of sign; use absent_ill, nickname, chosen_last, alone_at_break, lingers, removed_from_group, ignored_in_group, not_liked_unfollowed or other"
    )]
    UnknownKind(String),
    #[error("seen_on: `{0}` is not a date; write it as YYYY-MM-DD, for example 2026-03-02")]
    InvalidDate(String),
    #[error("seen_on: {0} is in the future; a sign is recorded on or after the day it was seen")]
    FutureDate(Date),
    #[error("note: the note is {0} characters; keep it to at most 1000")]
    NoteTooLong(usize),
    #[error("note: a sign of kind `other` needs a short note that says what you saw")]
    NoteRequired,
    #[error("note: the note contains control characters")]
    NoteControl,
    #[error("pupil: the pupil has left the school (archived); signs cannot be added")]
    PupilArchived,
    #[error(
        "undo: a sign can be undone only within a minute, by who recorded it; withdraw it instead"
    )]
    UndoTooLate,
    #[error("signal: the sign has been withdrawn and cannot be changed")]
    AlreadyWithdrawn,
    #[error("min_count: a rule counts between 1 and 50")]
    RuleCount,
    #[error("window_days: a rule's window is between 1 and 366 days")]
    RuleWindow,
    #[error("min_count: the rule asks for more different kinds than it counts")]
    RuleCountAboveKinds,
    #[error("rules: at most 10 rules")]
    TooManyRules,
}

impl SignalInputError {
    /// The field the message is about (the API's `field`).
    pub fn field(&self) -> &'static str {
        match self {
            SignalInputError::UnknownKind(_) => "kind",
            SignalInputError::InvalidDate(_) | SignalInputError::FutureDate(_) => "seen_on",
            SignalInputError::NoteTooLong(_)
            | SignalInputError::NoteRequired
            | SignalInputError::NoteControl => "note",
            SignalInputError::PupilArchived => "pupil",
            SignalInputError::UndoTooLate => "undo",
            SignalInputError::AlreadyWithdrawn => "signal",
            SignalInputError::RuleCount | SignalInputError::RuleCountAboveKinds => "min_count",
            SignalInputError::RuleWindow => "window_days",
            SignalInputError::TooManyRules => "rules",
        }
    }

    /// The translation key (web crate, `signals.ftl`).
    pub fn key(&self) -> &'static str {
        match self {
            SignalInputError::UnknownKind(_) => "error-signals-unknown-kind",
            SignalInputError::InvalidDate(_) => "error-signals-invalid-date",
            SignalInputError::FutureDate(_) => "error-signals-future-date",
            SignalInputError::NoteTooLong(_) => "error-signals-note-too-long",
            SignalInputError::NoteRequired => "error-signals-note-required",
            SignalInputError::NoteControl => "error-signals-note-control",
            SignalInputError::PupilArchived => "error-signals-pupil-archived",
            SignalInputError::UndoTooLate => "error-signals-undo-too-late",
            SignalInputError::AlreadyWithdrawn => "error-signals-already-withdrawn",
            SignalInputError::RuleCount => "error-signals-rule-count",
            SignalInputError::RuleWindow => "error-signals-rule-window",
            SignalInputError::RuleCountAboveKinds => "error-signals-rule-count-above-kinds",
            SignalInputError::TooManyRules => "error-signals-too-many-rules",
        }
    }
}

/// A signals use case failed: not allowed (or not visible), or refused input.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignalError {
    #[error(transparent)]
    Access(#[from] AccessError),
    #[error(transparent)]
    Input(#[from] SignalInputError),
}

impl From<StoreError> for SignalError {
    fn from(err: StoreError) -> Self {
        SignalError::Access(AccessError::from(err))
    }
}

/// A sign as typed in a form or sent to the API, before validation.
#[derive(Debug, Clone, Default)]
pub struct SignalInput {
    pub kind: String,
    pub seen_on: Option<String>,
    pub note: Option<String>,
}

/// A validated kind, date and note.
struct ValidSignal {
    kind: SignalKind,
    seen_on: Date,
    note: String,
}

fn validate(input: &SignalInput, today: Date) -> Result<ValidSignal, SignalInputError> {
    let kind = SignalKind::parse(&input.kind)
        .ok_or_else(|| SignalInputError::UnknownKind(input.kind.chars().take(40).collect()))?;
    let seen_on = match input
        .seen_on
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        Some(text) => Date::parse(text)
            .map_err(|_| SignalInputError::InvalidDate(text.chars().take(40).collect()))?,
        None => today,
    };
    if seen_on > today {
        return Err(SignalInputError::FutureDate(seen_on));
    }
    let note = clean_note(input.note.as_deref().unwrap_or(""))?;
    if kind == SignalKind::Other && note.is_empty() {
        return Err(SignalInputError::NoteRequired);
    }
    Ok(ValidSignal {
        kind,
        seen_on,
        note,
    })
}

/// Trims the note, keeps line breaks, refuses other control characters and long text.
pub fn clean_note(raw: &str) -> Result<String, SignalInputError> {
    let note = raw.trim().replace("\r\n", "\n");
    let length = note.chars().count();
    if length > NOTE_MAX_CHARS {
        return Err(SignalInputError::NoteTooLong(length));
    }
    if note
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t')
    {
        return Err(SignalInputError::NoteControl);
    }
    Ok(note)
}

/// What an actor may do with signs. The one place these rules are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignalAction {
    /// See a visible pupil's signs, timeline and the class grid; record a sign.
    SeeAndRecord,
    /// Correct or withdraw a sign (`own`: the actor recorded it).
    Change { own: bool },
    /// Undo a sign within a minute (`own`: the actor recorded it).
    Undo { own: bool },
    /// The school-wide early-warning list.
    SeeList,
    /// Read the school's early-warning rules.
    SeeRules,
    /// Change the school's early-warning rules.
    SetRules,
}

/// The access rules of this capability (see the module docs). Pupil visibility (a
/// teacher's own classes, the actor's school) is checked before, by [`Platform::pupil`].
#[derive(Debug)]
pub struct SignalAccess;

impl SignalAccess {
    pub fn decide(role: Role, action: SignalAction) -> Result<(), AccessError> {
        use SignalAction::*;
        match (role, action) {
            // The administrator manages accounts and sees no signs: objects stay hidden,
            // school-wide pages say "not for your role".
            (Role::Administrator, SeeAndRecord | Change { .. } | Undo { .. }) => {
                Err(AccessError::NotFound)
            }
            (Role::Administrator, SeeList | SeeRules | SetRules) => Err(AccessError::Forbidden),
            (_, SeeAndRecord | SeeList | SeeRules) => Ok(()),
            (_, Change { own: true }) | (Role::Coordinator, Change { own: false }) => Ok(()),
            (_, Change { own: false }) => Err(AccessError::Forbidden),
            (_, Undo { own: true }) => Ok(()),
            (_, Undo { own: false }) => Err(AccessError::Forbidden),
            (Role::Coordinator, SetRules) => Ok(()),
            (_, SetRules) => Err(AccessError::Forbidden),
        }
    }
}

/// Storage for this capability. Every method that touches a school's data takes the
/// `SchoolId` and implementations filter on it in the query itself.
pub trait SignalStore: Send + Sync {
    fn create_signal(&self, signal: &NewSignal) -> Result<SignalRecord, StoreError>;
    fn signal(&self, school: SchoolId, id: SignalId) -> Result<Option<SignalRecord>, StoreError>;
    /// Every sign of a pupil, withdrawn ones included, newest first (seen_on, then id).
    fn signals_of_pupil(
        &self,
        school: SchoolId,
        pupil: PupilId,
    ) -> Result<Vec<SignalRecord>, StoreError>;
    /// Signs not withdrawn, seen on or after `since`, of the whole school.
    fn signals_seen_since(
        &self,
        school: SchoolId,
        since: Date,
    ) -> Result<Vec<SignalRecord>, StoreError>;
    /// Signs not withdrawn, seen in `from..=to`, of the pupils now in `class`.
    fn signals_of_class(
        &self,
        school: SchoolId,
        class: ClassId,
        from: Date,
        to: Date,
    ) -> Result<Vec<SignalRecord>, StoreError>;
    /// Corrects a sign and keeps the previous values as a change, in one transaction;
    /// `false` when there is no such sign (or it is withdrawn).
    fn correct_signal(
        &self,
        school: SchoolId,
        id: SignalId,
        correction: &Correction,
        by: UserId,
        at: Timestamp,
    ) -> Result<bool, StoreError>;
    /// Marks a sign withdrawn and keeps a change; `false` when there is no such sign or it
    /// was withdrawn already.
    fn withdraw_signal(
        &self,
        school: SchoolId,
        id: SignalId,
        by: UserId,
        at: Timestamp,
        reason: &str,
    ) -> Result<bool, StoreError>;
    /// Deletes a sign for good (undo within a minute).
    fn delete_signal(&self, school: SchoolId, id: SignalId) -> Result<bool, StoreError>;
    /// The changes of every sign of a pupil, oldest first.
    fn signal_changes_of_pupil(
        &self,
        school: SchoolId,
        pupil: PupilId,
    ) -> Result<Vec<SignalChange>, StoreError>;
    /// Every pupil of the school (archived ones included).
    fn pupils_of_school(&self, school: SchoolId) -> Result<Vec<PupilRecord>, StoreError>;
    /// The school's rules; `None` while it never saved any (then the defaults apply).
    fn early_warning_rules(&self, school: SchoolId) -> Result<Option<RuleSet>, StoreError>;
    /// Replaces the school's rules in one transaction.
    fn save_early_warning_rules(
        &self,
        school: SchoolId,
        rules: &[EarlyWarningRule],
        by: UserId,
        at: Timestamp,
    ) -> Result<(), StoreError>;
    fn record_class_move(&self, school: SchoolId, change: &ClassMove) -> Result<(), StoreError>;
    /// A pupil's class moves, oldest first, with the classes' names.
    fn class_moves(&self, school: SchoolId, pupil: PupilId) -> Result<Vec<ClassMove>, StoreError>;
}

/// Correcting or withdrawing: the access table's rule for this actor and this sign.
fn may_change_signal(actor: &Actor, signal: &SignalRecord) -> Result<(), AccessError> {
    SignalAccess::decide(
        actor.role,
        SignalAction::Change {
            own: signal.recorded_by == actor.user_id,
        },
    )
}

impl Platform {
    /// Today in the Netherlands: the default date of a sign and the end of every window.
    pub fn today(&self) -> Date {
        Date::in_amsterdam(self.now())
    }

    /// A pupil whose signs the actor may see (and record): `NotFound` otherwise.
    fn pupil_for_signals(&self, actor: &Actor, pupil: PupilId) -> Result<PupilRecord, AccessError> {
        SignalAccess::decide(actor.role, SignalAction::SeeAndRecord)?;
        self.pupil(actor, pupil)
    }

    /// A sign the actor may see: its pupil must be visible to them.
    fn visible_signal(&self, actor: &Actor, id: SignalId) -> Result<SignalRecord, AccessError> {
        SignalAccess::decide(actor.role, SignalAction::SeeAndRecord)?;
        let signal = self
            .store()
            .signal(actor.school_id, id)?
            .ok_or(AccessError::NotFound)?;
        self.pupil(actor, signal.pupil_id)?;
        Ok(signal)
    }

    /// Records a sign for a pupil; "seen by" is the actor, the date defaults to today.
    pub fn record_signal(
        &self,
        actor: &Actor,
        pupil: PupilId,
        input: &SignalInput,
    ) -> Result<SignalRecord, SignalError> {
        let pupil = self.pupil_for_signals(actor, pupil)?;
        if pupil.left_on.is_some() {
            return Err(SignalInputError::PupilArchived.into());
        }
        let valid = validate(input, self.today())?;
        Ok(self.store().create_signal(&NewSignal {
            school_id: actor.school_id,
            pupil_id: pupil.id,
            class_id: pupil.class_id,
            kind: valid.kind,
            seen_on: valid.seen_on,
            note: valid.note,
            recorded_by: actor.user_id,
            recorded_at: self.now(),
        })?)
    }

    /// A pupil's signs, newest first; withdrawn ones only when asked for.
    pub fn signals_of_pupil(
        &self,
        actor: &Actor,
        pupil: PupilId,
        include_withdrawn: bool,
    ) -> Result<Vec<SignalRecord>, AccessError> {
        let pupil = self.pupil_for_signals(actor, pupil)?;
        let mut signals = self.store().signals_of_pupil(actor.school_id, pupil.id)?;
        if !include_withdrawn {
            signals.retain(|s| !s.is_withdrawn());
        }
        Ok(signals)
    }

    /// One sign with its trace (corrections, withdrawal).
    pub fn signal(
        &self,
        actor: &Actor,
        id: SignalId,
    ) -> Result<(SignalRecord, Vec<SignalChange>), AccessError> {
        let signal = self.visible_signal(actor, id)?;
        let changes = self
            .store()
            .signal_changes_of_pupil(actor.school_id, signal.pupil_id)?
            .into_iter()
            .filter(|c| c.signal_id == id)
            .collect();
        Ok((signal, changes))
    }

    /// Whether the actor may still undo this sign (recorder, within a minute).
    pub fn may_undo(&self, actor: &Actor, signal: &SignalRecord) -> bool {
        signal.recorded_by == actor.user_id
            && !signal.is_withdrawn()
            && self.now() - signal.recorded_at <= UNDO_SECONDS
    }

    /// Whether the actor may correct or withdraw this sign.
    pub fn may_change(&self, actor: &Actor, signal: &SignalRecord) -> bool {
        may_change_signal(actor, signal).is_ok()
    }

    /// A sign the actor may see and correct or withdraw.
    fn changeable_signal(&self, actor: &Actor, id: SignalId) -> Result<SignalRecord, SignalError> {
        let signal = self.visible_signal(actor, id)?;
        may_change_signal(actor, &signal)?;
        Ok(signal)
    }

    /// Undoes a sign just recorded: deleted without trace, by its recorder, within a minute.
    pub fn undo_signal(&self, actor: &Actor, id: SignalId) -> Result<SignalRecord, SignalError> {
        let signal = self.visible_signal(actor, id)?;
        SignalAccess::decide(
            actor.role,
            SignalAction::Undo {
                own: signal.recorded_by == actor.user_id,
            },
        )?;
        if !self.may_undo(actor, &signal) {
            return Err(SignalInputError::UndoTooLate.into());
        }
        self.store().delete_signal(actor.school_id, id)?;
        Ok(signal)
    }

    /// Withdraws a sign: it stops counting and stays in the trace (who, when, why).
    /// Withdrawing a withdrawn sign changes nothing.
    pub fn withdraw_signal(
        &self,
        actor: &Actor,
        id: SignalId,
        reason: &str,
    ) -> Result<SignalRecord, SignalError> {
        let signal = self.changeable_signal(actor, id)?;
        if signal.is_withdrawn() {
            return Ok(signal);
        }
        let reason = clean_note(reason)?;
        self.store()
            .withdraw_signal(actor.school_id, id, actor.user_id, self.now(), &reason)?;
        Ok(self.visible_signal(actor, id)?)
    }

    /// Corrects a sign's kind, date or note; the previous values stay in the trace.
    pub fn correct_signal(
        &self,
        actor: &Actor,
        id: SignalId,
        input: &SignalInput,
    ) -> Result<SignalRecord, SignalError> {
        let signal = self.changeable_signal(actor, id)?;
        if signal.is_withdrawn() {
            return Err(SignalInputError::AlreadyWithdrawn.into());
        }
        let valid = validate(input, self.today())?;
        if valid.kind == signal.kind && valid.seen_on == signal.seen_on && valid.note == signal.note
        {
            return Ok(signal);
        }
        self.store().correct_signal(
            actor.school_id,
            id,
            &Correction {
                kind: valid.kind,
                seen_on: valid.seen_on,
                note: valid.note,
            },
            actor.user_id,
            self.now(),
        )?;
        Ok(self.visible_signal(actor, id)?)
    }

    /// The pupil's timeline: every sign of every teacher (withdrawn ones marked), and the
    /// class history, newest first.
    pub fn pupil_timeline(
        &self,
        actor: &Actor,
        pupil: PupilId,
    ) -> Result<PupilTimeline, AccessError> {
        let pupil = self.pupil_for_signals(actor, pupil)?;
        let class = self.class(actor, pupil.class_id)?;
        // Every view of a pupil's timeline is in the access log (hardening, issue 14).
        self.record_pupil_view(actor, pupil.id, crate::PupilPage::Timeline, None)?;
        let school = actor.school_id;
        let class_names: HashMap<ClassId, String> = self
            .store()
            .classes(school)?
            .into_iter()
            .map(|c| (c.id, c.name))
            .collect();
        let mut changes: HashMap<SignalId, Vec<SignalChange>> = HashMap::new();
        for change in self.store().signal_changes_of_pupil(school, pupil.id)? {
            changes.entry(change.signal_id).or_default().push(change);
        }
        let mut entries: Vec<TimelineEntry> = Vec::new();
        for signal in self.store().signals_of_pupil(school, pupil.id)? {
            entries.push(TimelineEntry {
                on: signal.seen_on,
                at: signal.recorded_at,
                item: TimelineItem::Signal {
                    changes: changes.remove(&signal.id).unwrap_or_default(),
                    class_name: class_names
                        .get(&signal.class_id)
                        .cloned()
                        .unwrap_or_default(),
                    signal,
                },
            });
        }
        for change in self.store().class_moves(school, pupil.id)? {
            entries.push(TimelineEntry {
                on: change.moved_on,
                at: change.moved_at,
                item: TimelineItem::ClassMove(change),
            });
        }
        for (on, at, flag) in self.survey_flags_of_pupil(actor, &pupil)? {
            entries.push(TimelineEntry {
                on,
                at,
                item: TimelineItem::SurveyFlag(flag),
            });
        }
        entries.sort_by(|a, b| b.on.cmp(&a.on).then(b.at.cmp(&a.at)));
        Ok(PupilTimeline {
            pupil,
            class,
            entries,
        })
    }

    /// The school's rules (the defaults until the coordinator saves their own).
    pub(crate) fn rule_set_of(&self, school: SchoolId) -> Result<RuleSet, StoreError> {
        Ok(self
            .store()
            .early_warning_rules(school)?
            .unwrap_or_else(|| RuleSet {
                rules: default_rules(),
                updated_by_name: None,
                updated_at: None,
            }))
    }

    pub fn early_warning_rules(&self, actor: &Actor) -> Result<RuleSet, AccessError> {
        SignalAccess::decide(actor.role, SignalAction::SeeRules)?;
        Ok(self.rule_set_of(actor.school_id)?)
    }

    /// Replaces the school's rules (coordinator).
    pub fn save_early_warning_rules(
        &self,
        actor: &Actor,
        rules: &[EarlyWarningRule],
    ) -> Result<RuleSet, SignalError> {
        SignalAccess::decide(actor.role, SignalAction::SetRules)?;
        if rules.len() > MAX_RULES {
            return Err(SignalInputError::TooManyRules.into());
        }
        for rule in rules {
            rule.validate()?;
        }
        self.store()
            .save_early_warning_rules(actor.school_id, rules, actor.user_id, self.now())?;
        Ok(self.rule_set_of(actor.school_id)?)
    }

    /// The pupils the actor may see, at school (archived pupils left out), by id.
    fn visible_pupils_at_school(
        &self,
        actor: &Actor,
    ) -> Result<HashMap<PupilId, PupilRecord>, AccessError> {
        let all = self.store().pupils_of_school(actor.school_id)?;
        let visible: Option<HashSet<ClassId>> = if actor.role.sees_all_classes() {
            None
        } else {
            Some(self.classes(actor)?.into_iter().map(|c| c.id).collect())
        };
        Ok(all
            .into_iter()
            .filter(|p| p.left_on.is_none())
            .filter(|p| visible.as_ref().is_none_or(|v| v.contains(&p.class_id)))
            .map(|p| (p.id, p))
            .collect())
    }

    /// "Aandacht nodig": the pupils the actor may see for whom signs pile up by the school's
    /// rules (and, as they are added, other sources), each once, with the rule that fired,
    /// the reason in words and the signs behind it. Sorted by class, then by the number of
    /// signs (most first).
    pub fn early_warning(&self, actor: &Actor) -> Result<Vec<WarningEntry>, AccessError> {
        SignalAccess::decide(actor.role, SignalAction::SeeList)?;
        let pupils = self.visible_pupils_at_school(actor)?;
        let ctx = WarningContext {
            actor,
            today: self.today(),
            pupils: &pupils,
        };
        // 1. Every source adds entries (signal rules first, then other sources).
        let mut entries = Vec::new();
        for source in WARNING_SOURCES {
            entries.extend(source(self, &ctx)?);
        }
        // 2. Every filter may drop an entry.
        let mut kept = Vec::with_capacity(entries.len());
        'entries: for entry in entries {
            for filter in WARNING_FILTERS {
                if !filter(self, &ctx, &entry)? {
                    continue 'entries;
                }
            }
            kept.push(entry);
        }
        // 3. One entry per pupil.
        let mut merged = merge_per_pupil(kept);
        merged.sort_by(|a, b| {
            a.class_id
                .cmp(&b.class_id)
                .then(b.signals.len().cmp(&a.signals.len()))
                .then(a.pupil_id.cmp(&b.pupil_id))
        });
        Ok(merged)
    }

    /// The visible pupils of the school, by id (for the list's names).
    pub fn pupils_for_early_warning(
        &self,
        actor: &Actor,
    ) -> Result<HashMap<PupilId, PupilRecord>, AccessError> {
        SignalAccess::decide(actor.role, SignalAction::SeeList)?;
        self.visible_pupils_at_school(actor)
    }

    /// Signs of the pupils now in a class, per pupil and kind, in `from..=to` (default:
    /// this school term).
    pub fn class_signal_grid(
        &self,
        actor: &Actor,
        class: ClassId,
        from: Option<Date>,
        to: Option<Date>,
    ) -> Result<ClassGrid, AccessError> {
        SignalAccess::decide(actor.role, SignalAction::SeeAndRecord)?;
        let class = self.class(actor, class)?;
        let today = self.today();
        let (term_from, term_to) = school_term(today);
        let from = from.unwrap_or(term_from);
        let to = to.unwrap_or(term_to.min(today));
        let pupils = self.store().pupils_of_class(actor.school_id, class.id)?;
        let signals = self
            .store()
            .signals_of_class(actor.school_id, class.id, from, to)?;
        let mut counts: HashMap<PupilId, [usize; 9]> = HashMap::new();
        for signal in &signals {
            let Some(column) = SignalKind::ALL.iter().position(|k| *k == signal.kind) else {
                continue;
            };
            counts.entry(signal.pupil_id).or_insert([0; 9])[column] += 1;
        }
        let rows = pupils
            .into_iter()
            .map(|p| {
                let row = counts.get(&p.id).copied().unwrap_or([0; 9]);
                (p, row)
            })
            .collect();
        Ok(ClassGrid {
            class,
            from,
            to,
            rows,
            total: signals.len(),
        })
    }

    /// Keeps the class history when a pupil changes class (from the pupil page or an import).
    pub(crate) fn note_class_move(
        &self,
        actor: &Actor,
        pupil: PupilId,
        from: ClassId,
        to: ClassId,
    ) -> Result<(), StoreError> {
        if from == to {
            return Ok(());
        }
        self.store().record_class_move(
            actor.school_id,
            &ClassMove {
                pupil_id: pupil,
                from_class: from,
                to_class: to,
                from_class_name: String::new(),
                to_class_name: String::new(),
                moved_on: self.today(),
                moved_at: self.now(),
                moved_by: Some(actor.user_id),
            },
        )
    }

    /// The class of every pupil of the school, to compare before and after an import.
    pub(crate) fn pupil_classes(
        &self,
        school: SchoolId,
    ) -> Result<HashMap<PupilId, ClassId>, StoreError> {
        Ok(self
            .store()
            .pupils_of_school(school)?
            .into_iter()
            .map(|p| (p.id, p.class_id))
            .collect())
    }
}

/// The school term a day falls in, as Dutch schools roughly split the year: 1 August to
/// 30 November, 1 December to 31 March, 1 April to 31 July.
pub fn school_term(day: Date) -> (Date, Date) {
    let y = day.year();
    let date = |y: i32, m: u8, d: u8| Date::new(y, m, d).unwrap_or(day);
    match day.month() {
        8..=11 => (date(y, 8, 1), date(y, 11, 30)),
        12 => (date(y, 12, 1), date(y + 1, 3, 31)),
        1..=3 => (date(y - 1, 12, 1), date(y, 3, 31)),
        _ => (date(y, 4, 1), date(y, 7, 31)),
    }
}

// ---- demo ----

/// Adds this capability's fictional data to the demo school (idempotent: `--demo` reloads
/// an existing demo school). Signs spread over the last weeks, so that the early-warning
/// list shows three pupils, two of them in 2B (the demo mentor's class).
pub(crate) fn seed_demo(
    platform: &crate::Platform,
    school: &crate::SchoolRecord,
) -> Result<(), crate::SetupError> {
    let store = platform.store();
    let users = store.users(school.id)?;
    let classes = store.classes(school.id)?;
    let class_named = |name: &str| classes.iter().find(|c| c.name == name);
    let Some(class_2b) = class_named("2B") else {
        return Ok(());
    };
    // The mentor of 2B records most; another teacher (a subject teacher in 2B) and the care
    // coordinator add theirs, so both default rules fire somewhere.
    let teachers_2b = store.teachers_of_class(school.id, class_2b.id)?;
    let Some(mentor) = teachers_2b
        .iter()
        .find(|u| u.role == Role::Teacher)
        .or_else(|| users.iter().find(|u| u.role == Role::Teacher))
    else {
        return Ok(());
    };
    let colleague = users
        .iter()
        .find(|u| u.role == Role::Teacher && u.id != mentor.id)
        .or_else(|| users.iter().find(|u| u.role == Role::Coordinator))
        .unwrap_or(mentor);
    let care = users
        .iter()
        .find(|u| u.role == Role::CareCoordinator)
        .unwrap_or(mentor);
    let today = platform.today();
    let now = platform.now();
    // (class, pupil index in class order, kind, days ago, who: 0 mentor 1 colleague 2 care, note)
    const PLAN: &[(&str, usize, SignalKind, i64, u8, &str)] = &[
        // 2B, tenth pupil (the first has an open case in the demo and so is off the list): three kinds in four weeks -> distinct_kinds.
        (
            "2B",
            9,
            SignalKind::AloneAtBreak,
            3,
            0,
            "Zat weer alleen op de trap bij de aula.",
        ),
        ("2B", 9, SignalKind::ChosenLast, 9, 0, ""),
        (
            "2B",
            9,
            SignalKind::AbsentIll,
            16,
            1,
            "Derde keer ziek op een gymdag.",
        ),
        ("2B", 9, SignalKind::AloneAtBreak, 24, 0, ""),
        // 2B, fourth pupil: two teachers within two weeks -> teachers.
        (
            "2B",
            3,
            SignalKind::RemovedFromGroup,
            2,
            0,
            "Moeder meldt: uit de klassenapp gegooid.",
        ),
        ("2B", 3, SignalKind::Lingers, 6, 1, ""),
        // 2B, a pupil with one old sign: not on the list.
        ("2B", 7, SignalKind::Nickname, 40, 0, ""),
        ("2B", 11, SignalKind::ChosenLast, 5, 0, ""),
        // 3H: three kinds -> distinct_kinds, seen by the care coordinator too.
        (
            "3H",
            2,
            SignalKind::IgnoredInGroup,
            4,
            2,
            "Berichten krijgen nooit antwoord, zegt ze.",
        ),
        ("3H", 2, SignalKind::NotLikedUnfollowed, 11, 2, ""),
        (
            "3H",
            2,
            SignalKind::Nickname,
            20,
            1,
            "Klasgenoten noemen hem 'de bril'.",
        ),
        // 1A: a withdrawn sign does not count.
        ("1A", 5, SignalKind::AbsentIll, 8, 1, ""),
    ];
    for (class_name, index, kind, days_ago, who, note) in PLAN {
        let Some(class) = class_named(class_name) else {
            continue;
        };
        let pupils = store.pupils_of_class(school.id, class.id)?;
        let Some(pupil) = pupils.get(*index) else {
            continue;
        };
        let seen_on = today.add_days(-days_ago);
        let existing = store.signals_of_pupil(school.id, pupil.id)?;
        if existing
            .iter()
            .any(|s| s.kind == *kind && s.seen_on == seen_on)
        {
            continue;
        }
        let by = match who {
            0 => mentor.id,
            1 => colleague.id,
            _ => care.id,
        };
        let signal = store.create_signal(&NewSignal {
            school_id: school.id,
            pupil_id: pupil.id,
            class_id: class.id,
            kind: *kind,
            seen_on,
            note: (*note).to_string(),
            recorded_by: by,
            recorded_at: now - days_ago * 86_400,
        })?;
        if *class_name == "1A" {
            store.withdraw_signal(
                school.id,
                signal.id,
                by,
                now - days_ago * 86_400 + 3600,
                "Verkeerde leerling aangetikt.",
            )?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> Date {
        Date::parse(text).unwrap_or_else(|_| unreachable!())
    }

    fn pupil(id: i64, class: i64) -> PupilRecord {
        PupilRecord {
            id: PupilId(id),
            school_id: SchoolId(1),
            class_id: ClassId(class),
            given_name: "Mila".into(),
            infix: String::new(),
            family_name: "Vries".into(),
            external_id: None,
            left_on: None,
        }
    }

    fn sign(id: i64, kind: SignalKind, seen_on: &str, by: i64) -> SignalRecord {
        SignalRecord {
            id: SignalId(id),
            school_id: SchoolId(1),
            pupil_id: PupilId(7),
            class_id: ClassId(2),
            kind,
            seen_on: day(seen_on),
            note: String::new(),
            recorded_by: UserId(by),
            recorded_by_name: String::new(),
            recorded_at: 0,
            withdrawn_at: None,
            withdrawn_by: None,
        }
    }

    #[test]
    fn kinds_parse_from_exactly_their_contract_strings() {
        for kind in SignalKind::ALL {
            assert_eq!(SignalKind::parse(kind.as_str()), Some(kind));
            assert!(!kind.guidance_nl().is_empty() && !kind.guidance_en().is_empty());
        }
        assert_eq!(SignalKind::parse("Alone_At_Break"), None);
        assert_eq!(SignalKind::parse("bullied"), None);
        assert_eq!(
            SignalKind::ALL.iter().filter(|k| k.seen_in_class()).count(),
            5
        );
    }

    #[test]
    fn the_access_table_holds_for_every_role() {
        use SignalAction::*;
        let actions = [
            SeeAndRecord,
            Change { own: true },
            Change { own: false },
            Undo { own: true },
            Undo { own: false },
            SeeList,
            SeeRules,
            SetRules,
        ];
        let ok = Ok(());
        let nf = Err(AccessError::NotFound);
        let fb = Err(AccessError::Forbidden);
        let table: [(Role, [Result<(), AccessError>; 8]); 5] = [
            (
                Role::Administrator,
                [
                    nf.clone(),
                    nf.clone(),
                    nf.clone(),
                    nf.clone(),
                    nf.clone(),
                    fb.clone(),
                    fb.clone(),
                    fb.clone(),
                ],
            ),
            (
                Role::Coordinator,
                [
                    ok.clone(),
                    ok.clone(),
                    ok.clone(),
                    ok.clone(),
                    fb.clone(),
                    ok.clone(),
                    ok.clone(),
                    ok.clone(),
                ],
            ),
            (
                Role::ConfidentialAdviser,
                [
                    ok.clone(),
                    ok.clone(),
                    fb.clone(),
                    ok.clone(),
                    fb.clone(),
                    ok.clone(),
                    ok.clone(),
                    fb.clone(),
                ],
            ),
            (
                Role::CareCoordinator,
                [
                    ok.clone(),
                    ok.clone(),
                    fb.clone(),
                    ok.clone(),
                    fb.clone(),
                    ok.clone(),
                    ok.clone(),
                    fb.clone(),
                ],
            ),
            (
                Role::Teacher,
                [
                    ok.clone(),
                    ok.clone(),
                    fb.clone(),
                    ok.clone(),
                    fb.clone(),
                    ok.clone(),
                    ok.clone(),
                    fb.clone(),
                ],
            ),
        ];
        for (role, expected) in table {
            for (action, want) in actions.iter().zip(expected) {
                assert_eq!(
                    SignalAccess::decide(role, *action),
                    want,
                    "{role:?} {action:?}"
                );
            }
        }
    }

    #[test]
    fn three_kinds_count_on_day_28_of_the_window_and_not_on_day_29() {
        let rule = &default_rules()[0];
        let signals = [
            sign(1, SignalKind::AbsentIll, "2026-03-01", 1),
            sign(2, SignalKind::ChosenLast, "2026-03-10", 1),
            sign(3, SignalKind::AloneAtBreak, "2026-03-20", 1),
        ];
        let p = pupil(7, 2);
        // 2026-03-28 is the 28th day counting 2026-03-01 as the first.
        let entry = evaluate_rule(rule, &p, &signals, day("2026-03-28"));
        let entry = entry.unwrap_or_else(|| unreachable!("rule should fire on day 28"));
        assert_eq!(entry.rule, "distinct_kinds");
        assert_eq!(entry.signals, [SignalId(3), SignalId(2), SignalId(1)]);
        assert_eq!(
            entry.reason_nl,
            "3 verschillende signalen in 4 weken: alleen in de pauze, als laatste gekozen, vaak ziek of afwezig"
        );
        assert_eq!(
            entry.reason_en,
            "3 different signs in 4 weeks: alone at break, chosen last, often ill or absent"
        );
        assert_eq!(evaluate_rule(rule, &p, &signals, day("2026-03-29")), None);
    }

    #[test]
    fn the_same_kind_twice_is_one_kind() {
        let rule = &default_rules()[0];
        let signals = [
            sign(1, SignalKind::AloneAtBreak, "2026-03-01", 1),
            sign(2, SignalKind::AloneAtBreak, "2026-03-02", 1),
            sign(3, SignalKind::ChosenLast, "2026-03-03", 1),
        ];
        assert_eq!(
            evaluate_rule(rule, &pupil(7, 2), &signals, day("2026-03-05")),
            None
        );
    }

    #[test]
    fn a_withdrawn_sign_does_not_count() {
        let rule = &default_rules()[0];
        let mut withdrawn = sign(3, SignalKind::AloneAtBreak, "2026-03-20", 1);
        withdrawn.withdrawn_at = Some(5);
        let signals = [
            sign(1, SignalKind::AbsentIll, "2026-03-01", 1),
            sign(2, SignalKind::ChosenLast, "2026-03-10", 1),
            withdrawn,
        ];
        assert_eq!(
            evaluate_rule(rule, &pupil(7, 2), &signals, day("2026-03-21")),
            None
        );
    }

    #[test]
    fn two_teachers_within_14_days_fire_on_day_14_not_day_15() {
        let rule = &default_rules()[1];
        let signals = [
            sign(1, SignalKind::AloneAtBreak, "2026-03-01", 10),
            sign(2, SignalKind::AloneAtBreak, "2026-03-05", 11),
        ];
        let p = pupil(7, 2);
        let entry = evaluate_rule(rule, &p, &signals, day("2026-03-14"));
        assert_eq!(entry.map(|e| e.rule), Some("teachers".to_string()));
        assert_eq!(evaluate_rule(rule, &p, &signals, day("2026-03-15")), None);
        // One teacher twice is one teacher.
        let one = [
            sign(1, SignalKind::AloneAtBreak, "2026-03-01", 10),
            sign(2, SignalKind::ChosenLast, "2026-03-05", 10),
        ];
        assert_eq!(evaluate_rule(rule, &p, &one, day("2026-03-06")), None);
    }

    #[test]
    fn signs_of_a_pupil_who_moved_class_count_and_the_entry_names_the_new_class() {
        let rule = &default_rules()[0];
        let mut old = sign(1, SignalKind::AbsentIll, "2026-03-01", 1);
        old.class_id = ClassId(1);
        let signals = [
            old,
            sign(2, SignalKind::ChosenLast, "2026-03-10", 2),
            sign(3, SignalKind::AloneAtBreak, "2026-03-20", 2),
        ];
        let moved = pupil(7, 2);
        let entry = evaluate_rule(rule, &moved, &signals, day("2026-03-20"));
        assert_eq!(
            entry.map(|e| (e.class_id, e.signals.len())),
            Some((ClassId(2), 3))
        );
    }

    #[test]
    fn a_rule_limited_to_some_kinds_ignores_the_others_and_future_signs_never_count() {
        let rule = EarlyWarningRule {
            kind: RuleKind::Signals,
            min_count: 2,
            window_days: 10,
            signal_kinds: vec![SignalKind::RemovedFromGroup, SignalKind::IgnoredInGroup],
            enabled: true,
        };
        let signals = [
            sign(1, SignalKind::RemovedFromGroup, "2026-03-01", 1),
            sign(2, SignalKind::AloneAtBreak, "2026-03-02", 1),
            sign(3, SignalKind::IgnoredInGroup, "2026-03-09", 1),
        ];
        let p = pupil(7, 2);
        let entry = evaluate_rule(&rule, &p, &signals, day("2026-03-09"));
        assert_eq!(
            entry.as_ref().map(|e| e.signals.clone()),
            Some(vec![SignalId(3), SignalId(1)])
        );
        assert_eq!(
            entry.map(|e| e.reason_nl),
            Some(
                "2 signalen in 10 dagen: genegeerd in een groepsapp, uit een groepsapp verwijderd"
                    .into()
            )
        );
        // Seen "tomorrow" (a wrong date that slipped in) does not count today.
        assert_eq!(evaluate_rule(&rule, &p, &signals, day("2026-03-08")), None);
    }

    #[test]
    fn entries_of_one_pupil_merge_with_the_first_rule_first() {
        let a = WarningEntry {
            pupil_id: PupilId(1),
            class_id: ClassId(1),
            rule: "distinct_kinds".into(),
            rules: vec!["distinct_kinds".into()],
            reason_nl: "a".into(),
            reason_en: "a".into(),
            signals: vec![SignalId(1), SignalId(2)],
        };
        let b = WarningEntry {
            rule: "teachers".into(),
            rules: vec!["teachers".into()],
            reason_nl: "b".into(),
            reason_en: "b".into(),
            signals: vec![SignalId(2), SignalId(3)],
            ..a.clone()
        };
        let merged = merge_per_pupil(vec![a, b]);
        assert_eq!(merged.len(), 1);
        assert_eq!(merged[0].rule, "distinct_kinds");
        assert_eq!(merged[0].rules, ["distinct_kinds", "teachers"]);
        assert_eq!(merged[0].reason_nl, "a; b");
        assert_eq!(merged[0].signals, [SignalId(1), SignalId(2), SignalId(3)]);
    }

    #[test]
    fn input_is_checked_field_by_field() {
        let today = day("2026-03-02");
        let input = |kind: &str, seen_on: Option<&str>, note: &str| SignalInput {
            kind: kind.into(),
            seen_on: seen_on.map(Into::into),
            note: Some(note.into()),
        };
        assert_eq!(
            validate(&input("bullied", None, ""), today)
                .err()
                .map(|e| e.field()),
            Some("kind")
        );
        assert_eq!(
            validate(&input("lingers", Some("2026-03-03"), ""), today).err(),
            Some(SignalInputError::FutureDate(day("2026-03-03")))
        );
        assert_eq!(
            validate(&input("lingers", Some("gisteren"), ""), today)
                .err()
                .map(|e| e.field()),
            Some("seen_on")
        );
        assert_eq!(
            validate(&input("lingers", None, &"x".repeat(100_000)), today).err(),
            Some(SignalInputError::NoteTooLong(100_000))
        );
        assert_eq!(
            validate(&input("other", None, "  "), today).err(),
            Some(SignalInputError::NoteRequired)
        );
        let ok = validate(&input("lingers", None, " <b>hoi</b>\r\nregel 2 "), today);
        assert_eq!(
            ok.map(|v| (v.seen_on, v.note)),
            Ok((today, "<b>hoi</b>\nregel 2".to_string()))
        );
    }

    #[test]
    fn rules_refuse_impossible_counts_and_windows() {
        let mut rule = default_rules()[0].clone();
        assert_eq!(rule.validate(), Ok(()));
        rule.window_days = 0;
        assert_eq!(rule.validate(), Err(SignalInputError::RuleWindow));
        rule.window_days = 28;
        rule.signal_kinds = vec![SignalKind::Lingers, SignalKind::Nickname];
        assert_eq!(rule.validate(), Err(SignalInputError::RuleCountAboveKinds));
        rule.min_count = 0;
        assert_eq!(rule.validate(), Err(SignalInputError::RuleCount));
    }

    #[test]
    fn terms_split_the_school_year_in_three() {
        assert_eq!(
            school_term(day("2026-09-15")),
            (day("2026-08-01"), day("2026-11-30"))
        );
        assert_eq!(
            school_term(day("2027-01-10")),
            (day("2026-12-01"), day("2027-03-31"))
        );
        assert_eq!(
            school_term(day("2026-12-10")),
            (day("2026-12-01"), day("2027-03-31"))
        );
        assert_eq!(
            school_term(day("2027-05-10")),
            (day("2027-04-01"), day("2027-07-31"))
        );
    }
}
