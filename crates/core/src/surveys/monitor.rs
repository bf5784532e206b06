//! The yearly anonymous monitor of social safety (the school's legal duty): a short
//! questionnaire answered with codes that belong to a class, never to a pupil.
//!
//! Anonymity is structural, not a promise: a monitor code is drawn per class and printed on
//! a slip without a name; answering deletes the code and stores the answer with its class
//! only (no code, no pupil, no time), so nothing in the database links an answer to a
//! pupil. A group of fewer than [`MONITOR_MIN_GROUP`] respondents shows no figure at all,
//! anywhere: with four answers a mentor could guess who said what.
//!
//! Access: the coordinator (anti-pestcoördinator) starts, closes and reads the monitor;
//! every other role may not (`Forbidden`).

use std::collections::{BTreeMap, BTreeSet};

use crate::platform::{AccessError, Actor};
use crate::store::StoreError;
use crate::surveys::{amsterdam_date, new_code, normalise_code};
use crate::{ClassId, Date, Platform, Role, SchoolId, Timestamp};

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
    /// Fewer than [`MONITOR_MIN_GROUP`] respondents: `counts` is empty and nothing is shown.
    pub suppressed: bool,
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
        counts,
    }
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
        let all: Vec<&MonitorAnswer> = answers.iter().collect();
        let school = tally(None, "", &all);
        let mut classes = Vec::new();
        for class in self.classes(actor)? {
            let mine: Vec<&MonitorAnswer> = answers
                .iter()
                .filter(|a| a.class_id == Some(class.id))
                .collect();
            let had_codes = !mine.is_empty()
                || self
                    .store()
                    .monitor_codes(actor.school_id, id)?
                    .iter()
                    .any(|(c, _)| *c == class.id);
            if had_codes {
                classes.push(tally(Some(class.id), &class.name, &mine));
            }
        }
        Ok(MonitorSummary {
            round,
            school,
            classes,
        })
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
        if self.store().use_monitor_code(&code, &answer)? {
            Ok(())
        } else {
            Err(MonitorAnswerError::UnknownCode)
        }
    }
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
}
