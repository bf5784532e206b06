//! The yearly anonymous monitor of social safety (the school's legal duty): a short
//! questionnaire answered with codes that belong to a class, never to a pupil.
//!
//! Anonymity is structural, not a promise: a monitor code is drawn per class and printed on
//! a slip without a name; answering deletes the code and stores the answer with its class
//! only (no code, no pupil, no time, a random id), so nothing in the database links an
//! answer to a pupil. A group of fewer than [`MONITOR_MIN_GROUP`] respondents shows no
//! figure at all, anywhere: with four answers a mentor could guess who said what; nor does a
//! class whose figure would give a hidden one away by subtraction, nor anything while the
//! monitor is still open.
//!
//! Access: the coordinator (anti-pestcoördinator) starts, closes and reads the monitor;
//! every other role may not (`Forbidden`).

use std::collections::{BTreeMap, BTreeSet};

use crate::platform::{AccessError, Actor};
use crate::store::StoreError;
use crate::surveys::{amsterdam_date, new_code, normalise_code};
use crate::{ClassId, Date, Platform, Role, SchoolId, Timestamp};

/// A random row id for an answer (62 bits from the operating system's generator), so that
/// neither the ids nor SQLite's row order (by id) say in which order answers arrived.
pub fn random_answer_id() -> Result<i64, StoreError> {
    let mut bytes = [0u8; 8];
    getrandom::getrandom(&mut bytes).map_err(|e| StoreError::Backend(e.to_string()))?;
    Ok((u64::from_le_bytes(bytes) >> 2) as i64 + 1)
}

/// Fewer respondents than this in a group: no figure is shown for it.
pub const MONITOR_MIN_GROUP: usize = 5;

/// One monitor (usually one per school year).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MonitorRound {
    pub id: i64,
    pub school_id: SchoolId,
    /// "2025-2026".
    pub title: String,
    pub opens_on: Date,
    pub closed_at: Option<Timestamp>,
    pub created_at: Timestamp,
}

/// The questions and their answer options (keys; the texts are in the `.ftl` files).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum MonitorQuestion {
    /// "Ik voel me veilig op school."
    SafeSchool,
    /// "Ik voel me veilig online (apps, sociale media, games)."
    SafeOnline,
    /// "Ben je dit schooljaar buitengesloten in een groepsapp?"
    LeftOutInApp,
    /// "Ben je dit schooljaar gepest?"
    Bullied,
    /// "Aan wie zou je het vertellen als je gepest wordt?" (more than one answer)
    WouldTell,
}

impl MonitorQuestion {
    pub const ALL: [MonitorQuestion; 5] = [
        MonitorQuestion::SafeSchool,
        MonitorQuestion::SafeOnline,
        MonitorQuestion::LeftOutInApp,
        MonitorQuestion::Bullied,
        MonitorQuestion::WouldTell,
    ];
    pub fn key(self) -> &'static str {
        match self {
            MonitorQuestion::SafeSchool => "safe_school",
            MonitorQuestion::SafeOnline => "safe_online",
            MonitorQuestion::LeftOutInApp => "left_out_in_app",
            MonitorQuestion::Bullied => "bullied",
            MonitorQuestion::WouldTell => "would_tell",
        }
    }
    /// The answer options, in the order the page shows them.
    pub fn options(self) -> &'static [&'static str] {
        match self {
            MonitorQuestion::SafeSchool | MonitorQuestion::SafeOnline => {
                &["never", "sometimes", "mostly", "always"]
            }
            MonitorQuestion::LeftOutInApp | MonitorQuestion::Bullied => {
                &["no", "once", "more_often"]
            }
            MonitorQuestion::WouldTell => &[
                "mentor",
                "other_teacher",
                "parent",
                "friend",
                "adviser",
                "nobody",
            ],
        }
    }
    /// More than one option may be ticked.
    pub fn multiple(self) -> bool {
        self == MonitorQuestion::WouldTell
    }
}

/// One anonymous answer: per question the options ticked (one, or several for `would_tell`;
/// none when skipped). Carries its class and nothing else.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MonitorAnswer {
    pub class_id: Option<ClassId>,
    pub choices: BTreeMap<MonitorQuestion, BTreeSet<String>>,
}

/// Counts for one group (a class, or the whole school).
#[derive(Debug, Clone, PartialEq)]
pub struct MonitorTally {
    /// `None` for the whole school.
    pub class_id: Option<ClassId>,
    pub name: String,
    pub respondents: usize,
    /// No figure is shown: fewer than [`MONITOR_MIN_GROUP`] respondents, or hidden so that
    /// a smaller group cannot be worked out by subtraction (`protects_other`). `counts` is
    /// empty then.
    pub suppressed: bool,
    /// Suppressed although it has enough respondents: the school's figure minus the shown
    /// classes would otherwise give the figure of a group under [`MONITOR_MIN_GROUP`].
    pub protects_other: bool,
    /// (question, option, count, percentage of respondents), only when not suppressed.
    pub counts: Vec<(MonitorQuestion, &'static str, usize, f64)>,
}

/// The monitor's results: the school, then every class.
#[derive(Debug, Clone, PartialEq)]
pub struct MonitorSummary {
    pub round: MonitorRound,
    pub school: MonitorTally,
    pub classes: Vec<MonitorTally>,
}

impl MonitorSummary {
    /// Counts and percentages exist only once the monitor is closed: while pupils are still
    /// answering, watching a figure change as one pupil sends would show that pupil's answer.
    /// Until then every group has its number of respondents only.
    pub fn figures_shown(&self) -> bool {
        self.round.closed_at.is_some()
    }
}

/// Storage of the monitor. No method takes or returns a pupil: there is none to store.
pub trait MonitorStore: Send + Sync {
    /// Stores a monitor and its codes (class, code) in one transaction; an existing code is
    /// `Conflict`.
    fn create_monitor(
        &self,
        school: SchoolId,
        title: &str,
        opens_on: Date,
        at: Timestamp,
        codes: &[(ClassId, String)],
    ) -> Result<MonitorRound, StoreError>;
    fn monitor(&self, school: SchoolId, id: i64) -> Result<Option<MonitorRound>, StoreError>;
    /// Newest first.
    fn monitors(&self, school: SchoolId) -> Result<Vec<MonitorRound>, StoreError>;
    fn close_monitor(&self, school: SchoolId, id: i64, at: Timestamp) -> Result<(), StoreError>;
    /// The codes not used yet, per class.
    fn monitor_codes(
        &self,
        school: SchoolId,
        id: i64,
    ) -> Result<Vec<(ClassId, String)>, StoreError>;
    /// The monitor and class a code opens (the code is the credential).
    fn monitor_code(&self, code: &str) -> Result<Option<(MonitorRound, ClassId)>, StoreError>;
    /// Deletes the code and stores the answer with its class, in one transaction; `false`
    /// when the code was used meanwhile.
    fn use_monitor_code(&self, code: &str, answer: &MonitorAnswer) -> Result<bool, StoreError>;
    fn monitor_answers(&self, school: SchoolId, id: i64) -> Result<Vec<MonitorAnswer>, StoreError>;
}

/// A class's name and its unused monitor codes.
pub type ClassCodes = (String, Vec<String>);

/// The access rule of the monitor.
pub fn may_run_monitor(role: Role) -> bool {
    role == Role::Coordinator
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MonitorAnswerError {
    #[error("unknown or used code")]
    UnknownCode,
    #[error("the monitor is closed")]
    Closed,
    #[error("unknown answer `{0}`")]
    Invalid(String),
    /// Not a single question answered: the code stays unused.
    #[error("no question answered")]
    Empty,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Counts one group, or suppresses it.
pub fn tally(class_id: Option<ClassId>, name: &str, answers: &[&MonitorAnswer]) -> MonitorTally {
    let respondents = answers.len();
    let suppressed = respondents < MONITOR_MIN_GROUP;
    let mut counts = Vec::new();
    if !suppressed {
        for question in MonitorQuestion::ALL {
            for option in question.options() {
                let n = answers
                    .iter()
                    .filter(|a| {
                        a.choices
                            .get(&question)
                            .is_some_and(|set| set.contains(*option))
                    })
                    .count();
                let pct = (n as f64) * 100.0 / (respondents as f64);
                counts.push((question, *option, n, (pct * 10.0).round() / 10.0));
            }
        }
    }
    MonitorTally {
        class_id,
        name: name.to_string(),
        respondents,
        suppressed,
        protects_other: false,
        counts,
    }
}

/// Complementary suppression. The school's figure is the sum of its classes, so if the
/// hidden classes (and `unlisted` answers of no listed class) hold between 1 and
/// [`MONITOR_MIN_GROUP`]` - 1` respondents together, the
/// school minus the shown classes would give their figure. The smallest shown class is
/// hidden too, until the hidden classes hold none or at least [`MONITOR_MIN_GROUP`].
pub fn protect_hidden_groups(classes: &mut [MonitorTally], unlisted: usize) {
    loop {
        let hidden: usize = unlisted
            + classes
                .iter()
                .filter(|t| t.suppressed)
                .map(|t| t.respondents)
                .sum::<usize>();
        if hidden == 0 || hidden >= MONITOR_MIN_GROUP {
            return;
        }
        let Some(smallest) = classes
            .iter_mut()
            .filter(|t| !t.suppressed)
            .min_by_key(|t| t.respondents)
        else {
            return;
        };
        smallest.suppressed = true;
        smallest.protects_other = true;
        smallest.counts.clear();
    }
}

/// Why a group shows no figure, as the CSV and the API name it.
pub fn suppression_reason(t: &MonitorTally) -> Option<&'static str> {
    match (t.suppressed, t.protects_other) {
        (false, _) => None,
        (true, false) => Some("fewer_than_5"),
        (true, true) => Some("protects_smaller_group"),
    }
}

/// A CSV field, quoted when needed, with a leading formula character neutralised so a
/// spreadsheet shows a class name as text.
fn csv_field(text: &str) -> String {
    let text = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    };
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

/// The monitor's figures for the school's yearly report: one line per group, question and
/// option (`group,class,respondents,question,option,count,percent,suppressed`); a group
/// without figures has one line with its reason and nothing else (`fewer_than_5`,
/// `protects_smaller_group`, or `until_closed` with the respondents while the monitor is
/// open).
pub fn monitor_csv(summary: &MonitorSummary) -> String {
    let mut out =
        String::from("group,class,respondents,question,option,count,percent,suppressed\n");
    let groups = std::iter::once(&summary.school).chain(summary.classes.iter());
    for t in groups {
        let (group, name) = match t.class_id {
            None => ("school", String::new()),
            Some(_) => ("class", csv_field(&t.name)),
        };
        if let Some(reason) = suppression_reason(t) {
            out.push_str(&format!("{group},{name},,,,,,{reason}\n"));
            continue;
        }
        if !summary.figures_shown() {
            out.push_str(&format!(
                "{group},{name},{},,,,,until_closed\n",
                t.respondents
            ));
            continue;
        }
        for (question, option, count, pct) in &t.counts {
            out.push_str(&format!(
                "{group},{name},{},{},{option},{count},{pct:.1},\n",
                t.respondents,
                question.key()
            ));
        }
    }
    out
}

impl Platform {
    fn monitor_access(
        &self,
        actor: &Actor,
        id: Option<i64>,
    ) -> Result<Option<MonitorRound>, AccessError> {
        let round = match id {
            Some(id) => Some(
                self.store()
                    .monitor(actor.school_id, id)?
                    .ok_or(AccessError::NotFound)?,
            ),
            None => None,
        };
        if may_run_monitor(actor.role) {
            Ok(round)
        } else {
            Err(AccessError::Forbidden)
        }
    }

    pub fn may_run_monitor(&self, actor: &Actor) -> bool {
        may_run_monitor(actor.role)
    }

    pub fn monitors(&self, actor: &Actor) -> Result<Vec<MonitorRound>, AccessError> {
        self.monitor_access(actor, None)?;
        Ok(self.store().monitors(actor.school_id)?)
    }

    /// Starts a monitor: one code per current pupil of every current class, on no pupil.
    pub fn start_monitor(&self, actor: &Actor, title: &str) -> Result<MonitorRound, AccessError> {
        self.monitor_access(actor, None)?;
        let title: String = title
            .trim()
            .chars()
            .filter(|c| !c.is_control())
            .take(60)
            .collect();
        let now = self.now();
        let title = if title.is_empty() {
            let today = amsterdam_date(now);
            let start = if today.to_string()[5..7] >= *"08" {
                today.year()
            } else {
                today.year() - 1
            };
            format!("{start}-{}", start + 1)
        } else {
            title
        };
        let mut codes = Vec::new();
        for class in self.store().classes(actor.school_id)? {
            if class.archived_on.is_some() {
                continue;
            }
            let pupils = self
                .store()
                .pupils_of_class(actor.school_id, class.id)?
                .into_iter()
                .filter(|p| p.left_on.is_none())
                .count();
            for _ in 0..pupils {
                codes.push((class.id, String::new()));
            }
        }
        for _ in 0..5 {
            for slot in &mut codes {
                slot.1 = new_code()?;
            }
            match self.store().create_monitor(
                actor.school_id,
                &title,
                amsterdam_date(now),
                now,
                &codes,
            ) {
                Ok(round) => return Ok(round),
                Err(StoreError::Conflict(_)) => continue,
                Err(other) => return Err(other.into()),
            }
        }
        Err(StoreError::Backend("could not draw unique codes".into()).into())
    }

    pub fn monitor(&self, actor: &Actor, id: i64) -> Result<MonitorRound, AccessError> {
        self.monitor_access(actor, Some(id))?
            .ok_or(AccessError::NotFound)
    }

    pub fn close_monitor(&self, actor: &Actor, id: i64) -> Result<MonitorRound, AccessError> {
        self.monitor_access(actor, Some(id))?;
        self.store()
            .close_monitor(actor.school_id, id, self.now())?;
        self.monitor(actor, id)
    }

    /// The unused codes per class name (for the slips), classes sorted.
    pub fn monitor_codes(
        &self,
        actor: &Actor,
        id: i64,
    ) -> Result<(MonitorRound, Vec<ClassCodes>), AccessError> {
        let round = self.monitor(actor, id)?;
        let classes = self.classes(actor)?;
        let codes = self.store().monitor_codes(actor.school_id, id)?;
        let mut out = Vec::new();
        for class in classes {
            let mine: Vec<String> = codes
                .iter()
                .filter(|(c, _)| *c == class.id)
                .map(|(_, code)| code.clone())
                .collect();
            if !mine.is_empty() {
                out.push((class.name, mine));
            }
        }
        Ok((round, out))
    }

    /// Counts and percentages for the school and per class; groups under five are empty.
    pub fn monitor_results(&self, actor: &Actor, id: i64) -> Result<MonitorSummary, AccessError> {
        let round = self.monitor(actor, id)?;
        let answers = self.store().monitor_answers(actor.school_id, id)?;
        let unused: BTreeSet<ClassId> = self
            .store()
            .monitor_codes(actor.school_id, id)?
            .into_iter()
            .map(|(c, _)| c)
            .collect();
        let all: Vec<&MonitorAnswer> = answers.iter().collect();
        let school = tally(None, "", &all);
        let mut classes = Vec::new();
        for class in self.classes(actor)? {
            let mine: Vec<&MonitorAnswer> = answers
                .iter()
                .filter(|a| a.class_id == Some(class.id))
                .collect();
            if !mine.is_empty() || unused.contains(&class.id) {
                classes.push(tally(Some(class.id), &class.name, &mine));
            }
        }
        // Answers of a class deleted since are in the school's figure only: hidden as well.
        let listed: usize = classes.iter().map(|t| t.respondents).sum();
        protect_hidden_groups(&mut classes, answers.len().saturating_sub(listed));
        let mut summary = MonitorSummary {
            round,
            school,
            classes,
        };
        if !summary.figures_shown() {
            summary.school.counts.clear();
            for t in &mut summary.classes {
                t.counts.clear();
            }
        }
        Ok(summary)
    }

    /// The monitor a code opens, if the code is unused and the monitor open.
    pub fn open_monitor_code(
        &self,
        raw: &str,
    ) -> Result<(MonitorRound, String), MonitorAnswerError> {
        let code = normalise_code(raw).ok_or(MonitorAnswerError::UnknownCode)?;
        let (round, _) = self
            .store()
            .monitor_code(&code)?
            .ok_or(MonitorAnswerError::UnknownCode)?;
        Ok((round, code))
    }

    /// Stores an anonymous answer and deletes the code. Unknown options are refused.
    pub fn submit_monitor_answer(
        &self,
        raw: &str,
        choices: &BTreeMap<String, Vec<String>>,
    ) -> Result<(), MonitorAnswerError> {
        let (round, code) = self.open_monitor_code(raw)?;
        if round.closed_at.is_some() {
            return Err(MonitorAnswerError::Closed);
        }
        let mut answer = MonitorAnswer::default();
        for (key, picked) in choices {
            let question = MonitorQuestion::ALL
                .into_iter()
                .find(|q| q.key() == key)
                .ok_or_else(|| MonitorAnswerError::Invalid(key.chars().take(40).collect()))?;
            if !question.multiple() && picked.len() > 1 {
                return Err(MonitorAnswerError::Invalid(key.clone()));
            }
            let mut set = BTreeSet::new();
            for option in picked {
                if !question.options().contains(&option.as_str()) {
                    return Err(MonitorAnswerError::Invalid(
                        option.chars().take(40).collect(),
                    ));
                }
                set.insert(option.clone());
            }
            if !set.is_empty() {
                answer.choices.insert(question, set);
            }
        }
        if answer.choices.is_empty() {
            return Err(MonitorAnswerError::Empty);
        }
        if self.store().use_monitor_code(&code, &answer)? {
            Ok(())
        } else {
            Err(MonitorAnswerError::UnknownCode)
        }
    }
}

/// The demo school's monitor of last school year: closed, with realistic answers in every
/// class, and one class where only four pupils answered (so the page shows why it has no
/// figure). Idempotent: skipped when a monitor with last year's title exists.
pub(crate) fn seed_demo(
    platform: &Platform,
    school: &crate::SchoolRecord,
) -> Result<(), crate::SetupError> {
    let store = platform.store();
    let today = platform.today();
    let start = if today.month() >= 8 {
        today.year() - 1
    } else {
        today.year() - 2
    };
    let title = format!("{start}-{}", start + 1);
    if store.monitors(school.id)?.iter().any(|m| m.title == title) {
        return Ok(());
    }
    let mut classes: Vec<(ClassId, String, usize)> = Vec::new();
    for class in store.classes(school.id)? {
        if class.archived_on.is_some() {
            continue;
        }
        let pupils = store
            .pupils_of_class(school.id, class.id)?
            .iter()
            .filter(|p| p.left_on.is_none())
            .count();
        if pupils > 0 {
            classes.push((class.id, class.name, pupils));
        }
    }
    classes.sort_by(|a, b| a.1.cmp(&b.1));
    let Ok(opens_on) = Date::new(start + 1, 3, 10) else {
        return Ok(());
    };
    let at = opens_on.amsterdam_time(9, 0);
    let mut codes = Vec::new();
    for (class, _, pupils) in &classes {
        for _ in 0..*pupils {
            codes.push((*class, new_code()?));
        }
    }
    let round = store.create_monitor(school.id, &title, opens_on, at, &codes)?;
    // A fixed pseudo-random sequence: the same demo every time.
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = move |n: u64| -> u64 {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state % n
    };
    let last = classes.len().saturating_sub(1);
    for (index, (class, _, pupils)) in classes.iter().enumerate() {
        // The last class answered in a lesson most were away from: four answers only.
        let answering = if index == last && classes.len() > 1 {
            4
        } else {
            pupils * 85 / 100
        };
        let mine: Vec<&String> = codes
            .iter()
            .filter(|(c, _)| c == class)
            .map(|(_, code)| code)
            .take(answering)
            .collect();
        for code in mine {
            let mut answer = MonitorAnswer {
                class_id: Some(*class),
                choices: BTreeMap::new(),
            };
            let mut pick = |question: MonitorQuestion, weights: &[u64]| {
                let total: u64 = weights.iter().sum();
                let mut roll = next(total);
                for (option, weight) in question.options().iter().zip(weights) {
                    if roll < *weight {
                        answer
                            .choices
                            .insert(question, [(*option).to_string()].into_iter().collect());
                        return;
                    }
                    roll -= weight;
                }
            };
            // never, sometimes, mostly, always
            pick(MonitorQuestion::SafeSchool, &[2, 10, 38, 50]);
            pick(MonitorQuestion::SafeOnline, &[4, 18, 40, 38]);
            // no, once, more often
            pick(MonitorQuestion::LeftOutInApp, &[72, 18, 10]);
            pick(MonitorQuestion::Bullied, &[80, 12, 8]);
            let mut tell = BTreeSet::new();
            for (option, chance) in [
                ("mentor", 45),
                ("other_teacher", 10),
                ("parent", 60),
                ("friend", 55),
                ("adviser", 8),
            ] {
                if next(100) < chance {
                    tell.insert(option.to_string());
                }
            }
            if tell.is_empty() {
                tell.insert("nobody".to_string());
            }
            answer.choices.insert(MonitorQuestion::WouldTell, tell);
            store.use_monitor_code(code, &answer)?;
        }
    }
    store.close_monitor(
        school.id,
        round.id,
        opens_on.add_days(14).amsterdam_time(16, 0),
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(safe: &str) -> MonitorAnswer {
        let mut a = MonitorAnswer::default();
        a.choices.insert(
            MonitorQuestion::SafeSchool,
            [safe.to_string()].into_iter().collect(),
        );
        a
    }

    #[test]
    fn four_respondents_show_no_figure_five_do() {
        let four: Vec<MonitorAnswer> = (0..4).map(|_| answer("always")).collect();
        let refs: Vec<&MonitorAnswer> = four.iter().collect();
        let t = tally(None, "2B", &refs);
        assert!(t.suppressed);
        assert!(t.counts.is_empty());
        let five: Vec<MonitorAnswer> = ["always", "always", "mostly", "never", "always"]
            .into_iter()
            .map(answer)
            .collect();
        let refs: Vec<&MonitorAnswer> = five.iter().collect();
        let t = tally(None, "2B", &refs);
        assert!(!t.suppressed);
        let always = t
            .counts
            .iter()
            .find(|(q, o, _, _)| *q == MonitorQuestion::SafeSchool && *o == "always")
            .map(|(_, _, n, p)| (*n, *p));
        assert_eq!(always, Some((3, 60.0)));
    }

    #[test]
    fn only_the_coordinator_runs_the_monitor() {
        for role in Role::ALL {
            assert_eq!(may_run_monitor(role), role == Role::Coordinator, "{role:?}");
        }
    }

    fn group(name: &str, respondents: usize) -> MonitorTally {
        let answers: Vec<MonitorAnswer> = (0..respondents).map(|_| answer("always")).collect();
        let refs: Vec<&MonitorAnswer> = answers.iter().collect();
        tally(Some(ClassId(respondents as i64)), name, &refs)
    }

    #[test]
    fn a_small_hidden_group_hides_the_smallest_shown_class_too() {
        // 4 hidden: the school minus 1A and 3H would give 2B's figure, so 3H (the smallest
        // shown) goes too; then 4 + 6 = 10 hidden is enough.
        let mut classes = vec![group("1A", 9), group("2B", 4), group("3H", 6)];
        protect_hidden_groups(&mut classes, 0);
        let shown: Vec<(&str, bool, bool)> = classes
            .iter()
            .map(|t| (t.name.as_str(), t.suppressed, t.protects_other))
            .collect();
        assert_eq!(
            shown,
            [
                ("1A", false, false),
                ("2B", true, false),
                ("3H", true, true)
            ]
        );
        assert!(classes[2].counts.is_empty());
        assert_eq!(suppression_reason(&classes[1]), Some("fewer_than_5"));
        assert_eq!(
            suppression_reason(&classes[2]),
            Some("protects_smaller_group")
        );
        // Nothing hidden, or five hidden together: nothing more to hide.
        let mut classes = vec![group("1A", 9), group("2B", 6)];
        protect_hidden_groups(&mut classes, 0);
        assert!(classes.iter().all(|t| !t.suppressed));
        let mut classes = vec![group("1A", 9), group("2B", 2), group("3H", 3)];
        protect_hidden_groups(&mut classes, 0);
        assert!(!classes[0].suppressed);
        // Answers of a deleted class count as hidden.
        let mut classes = vec![group("1A", 9), group("2B", 6)];
        protect_hidden_groups(&mut classes, 1);
        assert!(!classes[0].suppressed && classes[1].suppressed);
        // A zero-respondent class hides nothing.
        let mut classes = vec![group("1A", 9), group("2B", 0)];
        protect_hidden_groups(&mut classes, 0);
        assert!(!classes[0].suppressed);
    }

    #[test]
    fn the_csv_has_no_figure_for_a_hidden_group_and_neutralises_formulas() {
        let round = MonitorRound {
            id: 1,
            school_id: SchoolId(1),
            title: "2025-2026".into(),
            opens_on: Date::new(2026, 3, 10).unwrap_or_else(|_| unreachable!()),
            closed_at: Some(1),
            created_at: 0,
        };
        let summary = MonitorSummary {
            round,
            school: MonitorTally {
                class_id: None,
                ..group("", 9)
            },
            classes: vec![group("=1A", 5), group("2B", 4)],
        };
        let csv = monitor_csv(&summary);
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(
            lines[0],
            "group,class,respondents,question,option,count,percent,suppressed"
        );
        assert!(lines.contains(&"school,,9,safe_school,always,9,100.0,"));
        assert!(lines.contains(&"class,'=1A,5,safe_school,never,0,0.0,"));
        assert_eq!(
            lines.iter().filter(|l| l.starts_with("class,2B,")).count(),
            1
        );
        assert!(lines.contains(&"class,2B,,,,,,fewer_than_5"));
        // While open: respondents only.
        let mut open = summary.clone();
        open.round.closed_at = None;
        let csv = monitor_csv(&open);
        assert!(csv.contains("school,,9,,,,,until_closed\n"), "{csv}");
        assert!(csv.contains("class,2B,,,,,,fewer_than_5\n"), "{csv}");
        assert!(!csv.contains("safe_school"), "{csv}");
    }
}
