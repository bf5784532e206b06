//! Class surveys (sociometry rounds with pupil codes) and the yearly anonymous social-safety monitor.
//!
//! A round belongs to one class. Starting it gives every current pupil of the class a code
//! (10 characters of Crockford base32: 50 bits, typed on a phone without ambiguity). The code
//! is the pupil's only credential: it reaches one round of one class and nothing else.
//! Results come from `erbij-sociometry` on the answers written in the CSV format of
//! `erbij sociometry`, so the web shows exactly what the command line prints; no rule of the
//! engine is repeated here.
//!
//! Access (written once, in [`allowed`], tested as a table below):
//! - the mentor (a teacher assigned to the class), the coordinator and the care coordinator
//!   start and close rounds, print slips and see results;
//! - raw answers (the CSV, who chose whom, the sociogram) are for the mentor and the care
//!   coordinator; the coordinator sees them only when the school allows it;
//! - administrator and confidential adviser see the class but not its surveys (`Forbidden`);
//! - another teacher's class is `NotFound`, like everywhere.

pub mod monitor;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use erbij_sociometry::sociogram::{Labels, Language, SociogramOptions, render_svg};
use erbij_sociometry::{
    Criteria, GroupAnalysis, NominationRecoding, Options, Question, Scale, SdConvention, Survey,
    analyse, read_survey,
};

use crate::platform::{AccessError, Actor};
use crate::store::{PupilRecord, StoreError};
use crate::{ClassId, Date, Platform, PupilId, Role, SchoolId, Timestamp};

/// The engine's status, as results carry it.
pub use erbij_sociometry::Status;

pub use monitor::{
    MONITOR_MIN_GROUP, MonitorAnswer, MonitorQuestion, MonitorRound, MonitorStore, MonitorSummary,
    MonitorTally,
};

/// The database id of a survey round.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SurveyId(pub i64);

impl std::fmt::Display for SurveyId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// Crockford's base32 without I, L, O and U: no letter is mistaken for a digit.
pub const CODE_ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
/// Characters in a code: 10 x 5 bits = 50 bits.
pub const CODE_LENGTH: usize = 10;

/// A new random code (50 bits from the operating system's generator).
pub fn new_code() -> Result<String, StoreError> {
    let mut bytes = [0u8; CODE_LENGTH];
    getrandom::getrandom(&mut bytes).map_err(|e| StoreError::Backend(e.to_string()))?;
    Ok(bytes
        .iter()
        .map(|b| char::from(CODE_ALPHABET[usize::from(b & 31)]))
        .collect())
}

/// A code as typed: case, spaces, dashes ignored; `o`/`i`/`l` read as `0`/`1`/`1`, as
/// Crockford intends. `None` when it cannot be a code at all (no database query needed).
pub fn normalise_code(raw: &str) -> Option<String> {
    let mut out = String::with_capacity(CODE_LENGTH);
    for c in raw.chars() {
        let c = match c.to_ascii_uppercase() {
            ' ' | '-' | '.' => continue,
            'O' => '0',
            'I' | 'L' => '1',
            c => c,
        };
        if !c.is_ascii() || !CODE_ALPHABET.contains(&(c as u8)) {
            return None;
        }
        out.push(c);
        if out.len() > CODE_LENGTH {
            return None;
        }
    }
    (out.len() == CODE_LENGTH).then_some(out)
}

/// `ABCDE-FGHJK`: how a slip shows a code.
pub fn display_code(code: &str) -> String {
    if code.len() == CODE_LENGTH {
        format!("{}-{}", &code[..5], &code[5..])
    } else {
        code.to_string()
    }
}

/// A question of a nomination round.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum NominationQuestion {
    /// "Met wie werk/speel je graag samen?"
    Positive,
    /// "Met wie liever niet?" (only when the school allows it).
    Negative,
    /// "Wie wordt er wel eens buitengesloten?"
    LeftOut,
}

impl NominationQuestion {
    pub const ALL: [NominationQuestion; 3] = [
        NominationQuestion::Positive,
        NominationQuestion::Negative,
        NominationQuestion::LeftOut,
    ];
    pub fn key(self) -> &'static str {
        match self {
            NominationQuestion::Positive => "positive",
            NominationQuestion::Negative => "negative",
            NominationQuestion::LeftOut => "left_out",
        }
    }
    pub fn parse(raw: &str) -> Option<NominationQuestion> {
        NominationQuestion::ALL
            .into_iter()
            .find(|q| q.key() == raw.trim())
    }
}

/// What a round asks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RoundKind {
    /// Every classmate on a smiley scale of 3, 5 or 7 points (midpoint neutral).
    Ratings { scale: u8 },
    /// Choices per question, at most `max_choices` per question when set.
    Nominations {
        questions: Vec<NominationQuestion>,
        max_choices: Option<u32>,
    },
}

impl RoundKind {
    pub fn key(&self) -> &'static str {
        match self {
            RoundKind::Ratings { .. } => "ratings",
            RoundKind::Nominations { .. } => "nominations",
        }
    }
}

/// A survey round of one class.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SurveyRound {
    pub id: SurveyId,
    pub school_id: SchoolId,
    pub class_id: ClassId,
    pub kind: RoundKind,
    pub opens_on: Date,
    pub closes_on: Option<Date>,
    /// Set when someone closed the round.
    pub closed_at: Option<Timestamp>,
    pub created_at: Timestamp,
}

impl SurveyRound {
    /// Open for answers on `today` (closed by hand, or after its closing date, is closed).
    pub fn is_open(&self, today: Date) -> bool {
        self.closed_at.is_none()
            && today >= self.opens_on
            && self.closes_on.is_none_or(|last| today <= last)
    }
    pub fn is_closed(&self, today: Date) -> bool {
        self.closed_at.is_some() || self.closes_on.is_some_and(|last| today > last)
    }
}

/// A new round as the store keeps it.
#[derive(Debug, Clone)]
pub struct NewRound {
    pub school_id: SchoolId,
    pub class_id: ClassId,
    pub kind: RoundKind,
    pub opens_on: Date,
    pub closes_on: Option<Date>,
    pub created_by: crate::UserId,
    pub created_at: Timestamp,
}

/// One pupil's code in a round.
#[derive(Clone, PartialEq, Eq)]
pub struct SurveyCode {
    pub pupil_id: PupilId,
    pub code: String,
    pub answered: bool,
}

// Codes are credentials: never in logs.
impl std::fmt::Debug for SurveyCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SurveyCode")
            .field("pupil_id", &self.pupil_id)
            .field("answered", &self.answered)
            .finish_non_exhaustive()
    }
}

/// One stored choice or rating: `question` is `rating` for ratings.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct AnswerRow {
    pub from: PupilId,
    pub to: PupilId,
    pub question: String,
    pub value: i64,
}

/// The school's survey settings.
#[derive(Debug, Clone, PartialEq)]
pub struct SurveySettings {
    /// May rounds ask "Met wie liever niet?" (off by default).
    pub allow_negative: bool,
    /// May the coordinator see raw answers (who chose whom), not only statuses.
    pub coordinator_sees_answers: bool,
    /// Significance level for the statuses (SSrat's and Newcomb & Bukowski's criteria).
    pub alpha: f64,
}

impl Default for SurveySettings {
    fn default() -> Self {
        SurveySettings {
            allow_negative: false,
            coordinator_sees_answers: false,
            alpha: 0.05,
        }
    }
}

/// What a code opens: its round, its pupil, and whether an answer is stored already.
#[derive(Debug, Clone)]
pub struct CodeTarget {
    pub school_id: SchoolId,
    pub round: SurveyRound,
    pub pupil_id: PupilId,
    pub answered: bool,
}

/// A pupil's answer as sent by the answer page or the API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AnswerInput {
    Ratings(BTreeMap<i64, i64>),
    Nominations(BTreeMap<String, Vec<i64>>),
}

/// Why an answer was refused; each has a message for the pupil (see the web's `.ftl` files).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AnswerProblem {
    #[error("a pupil cannot choose or rate themselves")]
    SelfChoice,
    #[error("pupil {0} is not in this survey's class")]
    NotInClass(i64),
    #[error("rating {value} is not on the scale 1 to {points}")]
    OffScale { value: i64, points: u8 },
    #[error("more than {max} choices for `{question}`")]
    TooMany { question: String, max: u32 },
    #[error("pupil {0} is chosen twice")]
    Twice(i64),
    #[error("question `{0}` is not asked in this survey")]
    UnknownQuestion(String),
    #[error("this survey asks for {0}")]
    WrongKind(&'static str),
    #[error("no rating given")]
    NoRating,
}

impl AnswerProblem {
    /// Translation key of the message.
    pub fn key(&self) -> &'static str {
        match self {
            AnswerProblem::SelfChoice => "surveys-error-self",
            AnswerProblem::NotInClass(_) => "surveys-error-not-in-class",
            AnswerProblem::OffScale { .. } => "surveys-error-off-scale",
            AnswerProblem::TooMany { .. } => "surveys-error-too-many",
            AnswerProblem::Twice(_) => "surveys-error-twice",
            AnswerProblem::UnknownQuestion(_) => "surveys-error-unknown-question",
            AnswerProblem::WrongKind(_) => "surveys-error-wrong-kind",
            AnswerProblem::NoRating => "surveys-error-no-rating",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AnswerError {
    /// No such code (or not a code at all).
    #[error("unknown code")]
    UnknownCode,
    /// The round is closed (or not open yet): answers can no longer change.
    #[error("the survey is closed")]
    Closed,
    #[error(transparent)]
    Invalid(#[from] AnswerProblem),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Why a round could not be started.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RoundProblem {
    #[error("kind must be `ratings` or `nominations`")]
    UnknownKind,
    #[error("a rating scale has 3, 5 or 7 points")]
    BadScale,
    #[error("unknown question `{0}`; use positive, negative or left_out")]
    UnknownQuestion(String),
    #[error("the school does not ask `negative` (see the survey settings)")]
    NegativeNotAllowed,
    #[error("a nomination round needs at least one question")]
    NoQuestions,
    #[error("max_choices must be between 1 and 50")]
    BadMaxChoices,
    #[error("the closing date is before the opening date")]
    ClosesBeforeOpening,
    #[error("`{0}` is not a date (YYYY-MM-DD)")]
    BadDate(String),
    #[error("the class has no pupils")]
    NoPupils,
    #[error("criteria must be ssrat, nb or cd (ssrat only for ratings)")]
    BadCriteria,
    #[error("alpha must be between 0 and 1, for example 0.05")]
    BadAlpha,
}

impl RoundProblem {
    pub fn key(&self) -> &'static str {
        match self {
            RoundProblem::UnknownKind => "surveys-error-kind",
            RoundProblem::BadScale => "surveys-error-scale",
            RoundProblem::UnknownQuestion(_) => "surveys-error-unknown-question",
            RoundProblem::NegativeNotAllowed => "surveys-error-negative-off",
            RoundProblem::NoQuestions => "surveys-error-no-questions",
            RoundProblem::BadMaxChoices => "surveys-error-max-choices",
            RoundProblem::ClosesBeforeOpening => "surveys-error-dates",
            RoundProblem::BadDate(_) => "error-invalid-date",
            RoundProblem::NoPupils => "surveys-error-no-pupils",
            RoundProblem::BadCriteria => "surveys-error-criteria",
            RoundProblem::BadAlpha => "surveys-error-alpha",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SurveyError {
    #[error(transparent)]
    Access(#[from] AccessError),
    #[error(transparent)]
    Invalid(#[from] RoundProblem),
}

impl From<StoreError> for SurveyError {
    fn from(err: StoreError) -> Self {
        SurveyError::Access(AccessError::from(err))
    }
}

/// A round to start, as typed in the form or sent to the API (not yet validated).
#[derive(Debug, Clone, Default)]
pub struct RoundRequest {
    pub kind: String,
    pub scale: Option<i64>,
    pub questions: Vec<String>,
    pub max_choices: Option<i64>,
    pub opens_on: Option<String>,
    pub closes_on: Option<String>,
}

/// What may be done with a class's surveys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SurveyAction {
    /// Start and close rounds, print slips.
    Manage,
    /// Statuses, counts and flags.
    Results,
    /// Raw answers: the CSV, who chose whom, the sociogram.
    Answers,
    /// Change the school's survey settings.
    Settings,
}

/// The access rule of this capability, for an actor who can see the class (`is_mentor`:
/// a teacher assigned to it).
pub fn allowed(
    role: Role,
    is_mentor: bool,
    action: SurveyAction,
    settings: &SurveySettings,
) -> bool {
    match action {
        SurveyAction::Manage | SurveyAction::Results => match role {
            Role::Teacher => is_mentor,
            Role::Coordinator | Role::CareCoordinator => true,
            Role::Administrator | Role::ConfidentialAdviser => false,
        },
        SurveyAction::Answers => match role {
            Role::Teacher => is_mentor,
            Role::CareCoordinator => true,
            Role::Coordinator => settings.coordinator_sees_answers,
            Role::Administrator | Role::ConfidentialAdviser => false,
        },
        SurveyAction::Settings => matches!(role, Role::Coordinator | Role::Administrator),
    }
}

/// The status criteria of a results request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CriteriaChoice {
    Ssrat,
    NewcombBukowski,
    CoieDodge,
}

impl CriteriaChoice {
    pub fn parse(raw: &str) -> Option<CriteriaChoice> {
        match raw.trim() {
            "ssrat" => Some(CriteriaChoice::Ssrat),
            "nb" => Some(CriteriaChoice::NewcombBukowski),
            "cd" => Some(CriteriaChoice::CoieDodge),
            _ => None,
        }
    }
    pub fn key(self) -> &'static str {
        match self {
            CriteriaChoice::Ssrat => "ssrat",
            CriteriaChoice::NewcombBukowski => "nb",
            CriteriaChoice::CoieDodge => "cd",
        }
    }
}

/// One pupil's line of the results.
#[derive(Debug, Clone, PartialEq)]
pub struct PupilResult {
    pub pupil_id: PupilId,
    /// First name (with an initial where two share one).
    pub name: String,
    /// `None` when the engine could not decide (or the pupil is not in the answers at all).
    pub status: Option<Status>,
    pub took_part: bool,
    pub chosen: u32,
    pub mutual: u32,
    pub left_out_by: u32,
    pub not_chosen: bool,
    pub no_mutual_friend: bool,
    /// Named left out significantly more often than chance (the engine's test).
    pub left_out_significant: bool,
}

/// Why a pupil is flagged for the mentor's attention.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FlagReason {
    Rejected,
    Neglected,
    NotChosen,
    NoMutualFriend,
    NamedLeftOut,
}

impl FlagReason {
    pub fn key(self) -> &'static str {
        match self {
            FlagReason::Rejected => "surveys-flag-rejected",
            FlagReason::Neglected => "surveys-flag-neglected",
            FlagReason::NotChosen => "surveys-flag-not-chosen",
            FlagReason::NoMutualFriend => "surveys-flag-no-mutual",
            FlagReason::NamedLeftOut => "surveys-flag-left-out",
        }
    }
}

/// Named left out by at least this many classmates: a flag, whatever the test says.
pub const LEFT_OUT_FLAG_MIN: u32 = 3;

/// A pupil to look at after a round.
#[derive(Debug, Clone, PartialEq)]
pub struct SurveyFlag {
    pub pupil_id: PupilId,
    pub name: String,
    pub reasons: Vec<FlagReason>,
    /// For `NamedLeftOut`: by how many.
    pub left_out_by: u32,
}

/// What changed since the class's previous round.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Trend {
    pub previous: Option<SurveyRound>,
    /// (pupil, name, status before, status now) where neglected/rejected was entered or left.
    pub changes: Vec<(PupilId, String, Option<Status>, Option<Status>)>,
    /// Pupils who had a mutual friend and have none now.
    pub lost_last_mutual: Vec<(PupilId, String)>,
}

/// The results of one round.
#[derive(Debug, Clone)]
pub struct SurveyResults {
    pub round: SurveyRound,
    pub criteria: CriteriaChoice,
    pub alpha: f64,
    pub respondents: usize,
    pub class_size: usize,
    pub pupils: Vec<PupilResult>,
    /// The engine's analysis (none without any answer), for the sociogram.
    pub analysis: Option<GroupAnalysis>,
    pub flags: Vec<SurveyFlag>,
    pub trend: Trend,
    /// May the actor see raw answers (sociogram, CSV)?
    pub shows_answers: bool,
}

impl SurveyResults {
    /// The sociogram SVG from `erbij-sociometry`, with first names or with numbers, and
    /// with who named whom as left out when `left_out` (off unless the mentor asks).
    pub fn sociogram_svg(&self, names: bool, english: bool, left_out: bool) -> Option<String> {
        let analysis = self.analysis.as_ref()?;
        let mut labelled = analysis.clone();
        if names {
            let by_id: HashMap<String, &str> = self
                .pupils
                .iter()
                .map(|p| (p.pupil_id.0.to_string(), p.name.as_str()))
                .collect();
            for pupil in &mut labelled.pupils {
                if let Some(name) = by_id.get(&pupil.id) {
                    pupil.id = (*name).to_string();
                }
            }
        }
        Some(render_svg(
            &labelled,
            &SociogramOptions {
                labels: if names {
                    Labels::Names
                } else {
                    Labels::Numbers
                },
                language: if english {
                    Language::English
                } else {
                    Language::Dutch
                },
                left_out,
            },
        ))
    }

    /// Why a pupil stands out, in what the class reported ("17 klasgenoten noemen Mila als
    /// iemand die buitengesloten wordt. ..."), with the pupil's first name; `None` when
    /// there is nothing to explain.
    pub fn explanation(&self, pupil: PupilId, english: bool) -> Option<String> {
        let analysis = self.analysis.as_ref()?;
        let index = analysis
            .pupils
            .iter()
            .position(|p| p.id == pupil.0.to_string())?;
        let name = self
            .pupils
            .iter()
            .find(|p| p.pupil_id == pupil)?
            .name
            .as_str();
        erbij_sociometry::report::pupil_explanation(
            analysis,
            index,
            name,
            if english {
                Language::English
            } else {
                Language::Dutch
            },
        )
    }

    /// The note for a round with too few respondents for trustworthy statuses, or `None`.
    pub fn few_respondents_note(&self, english: bool) -> Option<String> {
        if self.respondents == 0 {
            return None;
        }
        erbij_sociometry::report::few_respondents_note(
            self.respondents,
            if english {
                Language::English
            } else {
                Language::Dutch
            },
        )
    }
}

/// Pupils as a pupil sees them: first names, with the family name's first letter where two
/// share a first name ("Sem B." and "Sem V.").
pub fn pupil_labels(pupils: &[PupilRecord]) -> HashMap<PupilId, String> {
    let mut count: HashMap<String, usize> = HashMap::new();
    for p in pupils {
        *count.entry(p.given_name.to_lowercase()).or_default() += 1;
    }
    pupils
        .iter()
        .map(|p| {
            let shared = count.get(&p.given_name.to_lowercase()).copied() > Some(1);
            let label = if shared {
                let initial: String = p.family_name.chars().take(1).collect();
                format!("{} {initial}.", p.given_name)
            } else {
                p.given_name.clone()
            };
            (p.id, label)
        })
        .collect()
}

/// The answers in the CSV format of `erbij sociometry` (pupil ids as `from`/`to`; one
/// `to`-less row for a pupil who took part and chose nobody). The group is `peiling-ID`.
pub fn answers_csv(round: &SurveyRound, respondents: &[PupilId], rows: &[AnswerRow]) -> String {
    let group = format!("peiling-{}", round.id);
    let mut out = String::new();
    match &round.kind {
        RoundKind::Ratings { .. } => {
            out.push_str("group,from,to,rating\n");
            for row in rows.iter().filter(|r| r.question == "rating") {
                out.push_str(&format!("{group},{},{},{}\n", row.from, row.to, row.value));
            }
        }
        RoundKind::Nominations { .. } => {
            out.push_str("group,from,to,question\n");
            let mut chose: BTreeSet<PupilId> = BTreeSet::new();
            for row in rows {
                if NominationQuestion::parse(&row.question).is_some() {
                    out.push_str(&format!(
                        "{group},{},{},{}\n",
                        row.from, row.to, row.question
                    ));
                    chose.insert(row.from);
                }
            }
            for pupil in respondents.iter().filter(|p| !chose.contains(p)) {
                out.push_str(&format!("{group},{pupil},,positive\n"));
            }
        }
    }
    out
}

/// The date in the Netherlands (Europe/Amsterdam: CET, CEST from the last Sunday of March
/// to the last Sunday of October, 01:00 UTC).
pub fn amsterdam_date(ts: Timestamp) -> Date {
    let utc = Date::from_timestamp(ts);
    let year = utc.year();
    let last_sunday = |month: u8| -> Timestamp {
        // Days from 1970-01-01 of the last day of the month, then back to Sunday.
        let days_in = |y: i32, m: u8| -> i64 {
            match m {
                1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
                4 | 6 | 9 | 11 => 30,
                _ if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
                _ => 28,
            }
        };
        let mut days: i64 = 0;
        for y in 1970..year {
            days += if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 {
                366
            } else {
                365
            };
        }
        for m in 1..=month {
            days += days_in(year, m);
        }
        let last = days - 1;
        // 1970-01-01 was a Thursday (weekday 4 with Sunday = 0).
        let weekday = (last + 4).rem_euclid(7);
        (last - weekday) * 86_400 + 3600
    };
    let summer = ts >= last_sunday(3) && ts < last_sunday(10);
    Date::from_timestamp(ts + if summer { 7200 } else { 3600 })
}

fn parse_date(raw: Option<&str>) -> Result<Option<Date>, RoundProblem> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(text) => Date::parse(text)
            .map(Some)
            .map_err(|_| RoundProblem::BadDate(text.chars().take(40).collect())),
    }
}

/// Storage for this capability. Every method that touches a school's data takes the
/// `SchoolId` and implementations filter on it in the query itself.
pub trait SurveyStore: Send + Sync + MonitorStore {
    /// Stores a round and its codes in one transaction. A code that already exists anywhere
    /// is `StoreError::Conflict` (the caller draws new codes).
    fn create_round(
        &self,
        round: &NewRound,
        codes: &[(PupilId, String)],
    ) -> Result<SurveyRound, StoreError>;
    fn round(&self, school: SchoolId, id: SurveyId) -> Result<Option<SurveyRound>, StoreError>;
    /// Newest first.
    fn rounds_of_class(
        &self,
        school: SchoolId,
        class: ClassId,
    ) -> Result<Vec<SurveyRound>, StoreError>;
    /// Closes a round (idempotent: the first closing time stays).
    fn close_round(&self, school: SchoolId, id: SurveyId, at: Timestamp) -> Result<(), StoreError>;
    fn round_codes(&self, school: SchoolId, id: SurveyId) -> Result<Vec<SurveyCode>, StoreError>;
    /// What a code opens. The code is the credential, so this is the one lookup not scoped
    /// by a school the caller names: the school comes from the code's row.
    fn survey_code(&self, code: &str) -> Result<Option<CodeTarget>, StoreError>;
    /// Replaces the pupil's answer in one transaction; `true` when it is the first.
    fn save_answer(
        &self,
        school: SchoolId,
        round: SurveyId,
        pupil: PupilId,
        rows: &[(PupilId, String, i64)],
        at: Timestamp,
    ) -> Result<bool, StoreError>;
    /// Every stored choice or rating of a round, sorted.
    fn answer_rows(&self, school: SchoolId, round: SurveyId) -> Result<Vec<AnswerRow>, StoreError>;
    fn survey_settings(&self, school: SchoolId) -> Result<SurveySettings, StoreError>;
    fn set_survey_settings(
        &self,
        school: SchoolId,
        settings: &SurveySettings,
    ) -> Result<(), StoreError>;
}

impl Platform {
    fn survey_class_access(
        &self,
        actor: &Actor,
        class: ClassId,
        action: SurveyAction,
    ) -> Result<SurveySettings, AccessError> {
        self.class(actor, class)?;
        let settings = self.store().survey_settings(actor.school_id)?;
        let mentor = actor.role == Role::Teacher
            && self
                .store()
                .is_assigned(actor.school_id, class, actor.user_id)?;
        if allowed(actor.role, mentor, action, &settings) {
            Ok(settings)
        } else {
            Err(AccessError::Forbidden)
        }
    }

    /// A round the actor may act on, with the school's settings.
    fn survey_access(
        &self,
        actor: &Actor,
        id: SurveyId,
        action: SurveyAction,
    ) -> Result<(SurveyRound, SurveySettings), AccessError> {
        let round = self
            .store()
            .round(actor.school_id, id)?
            .ok_or(AccessError::NotFound)?;
        let settings = self.survey_class_access(actor, round.class_id, action)?;
        Ok((round, settings))
    }

    /// May the actor do this with the class's surveys? (For showing links and buttons.)
    pub fn may_survey(&self, actor: &Actor, class: ClassId, action: SurveyAction) -> bool {
        self.survey_class_access(actor, class, action).is_ok()
    }

    pub fn survey_settings(&self, actor: &Actor) -> Result<SurveySettings, AccessError> {
        Ok(self.store().survey_settings(actor.school_id)?)
    }

    pub fn set_survey_settings(
        &self,
        actor: &Actor,
        settings: SurveySettings,
    ) -> Result<(), SurveyError> {
        if !allowed(
            actor.role,
            false,
            SurveyAction::Settings,
            &SurveySettings::default(),
        ) {
            return Err(AccessError::Forbidden.into());
        }
        if !(settings.alpha > 0.0 && settings.alpha < 1.0) {
            return Err(RoundProblem::BadAlpha.into());
        }
        Ok(self
            .store()
            .set_survey_settings(actor.school_id, &settings)?)
    }

    /// Starts a round: validates it, gives every current pupil of the class a code.
    pub fn start_survey(
        &self,
        actor: &Actor,
        class: ClassId,
        request: &RoundRequest,
    ) -> Result<(SurveyRound, Vec<SurveyCode>), SurveyError> {
        let settings = self.survey_class_access(actor, class, SurveyAction::Manage)?;
        let kind = match request.kind.trim() {
            "ratings" => {
                let scale = request.scale.unwrap_or(5);
                if ![3, 5, 7].contains(&scale) {
                    return Err(RoundProblem::BadScale.into());
                }
                RoundKind::Ratings { scale: scale as u8 }
            }
            "nominations" => {
                let mut questions = BTreeSet::new();
                let asked: Vec<&str> = if request.questions.is_empty() {
                    vec!["positive", "left_out"]
                } else {
                    request.questions.iter().map(String::as_str).collect()
                };
                for raw in asked {
                    let question = NominationQuestion::parse(raw).ok_or_else(|| {
                        RoundProblem::UnknownQuestion(raw.chars().take(40).collect())
                    })?;
                    if question == NominationQuestion::Negative && !settings.allow_negative {
                        return Err(RoundProblem::NegativeNotAllowed.into());
                    }
                    questions.insert(question);
                }
                if questions.is_empty() {
                    return Err(RoundProblem::NoQuestions.into());
                }
                let max_choices = match request.max_choices {
                    None => None,
                    Some(n @ 1..=50) => Some(n as u32),
                    Some(_) => return Err(RoundProblem::BadMaxChoices.into()),
                };
                RoundKind::Nominations {
                    questions: questions.into_iter().collect(),
                    max_choices,
                }
            }
            _ => return Err(RoundProblem::UnknownKind.into()),
        };
        let now = self.now();
        let opens_on = parse_date(request.opens_on.as_deref())?.unwrap_or(amsterdam_date(now));
        let closes_on = parse_date(request.closes_on.as_deref())?;
        if closes_on.is_some_and(|c| c < opens_on) {
            return Err(RoundProblem::ClosesBeforeOpening.into());
        }
        let pupils: Vec<PupilRecord> = self
            .store()
            .pupils_of_class(actor.school_id, class)?
            .into_iter()
            .filter(|p| p.left_on.is_none())
            .collect();
        if pupils.is_empty() {
            return Err(RoundProblem::NoPupils.into());
        }
        let new = NewRound {
            school_id: actor.school_id,
            class_id: class,
            kind,
            opens_on,
            closes_on,
            created_by: actor.user_id,
            created_at: now,
        };
        // 50-bit codes practically never collide; a collision just draws again.
        for _ in 0..5 {
            let codes = pupils
                .iter()
                .map(|p| Ok((p.id, new_code()?)))
                .collect::<Result<Vec<_>, StoreError>>()?;
            match self.store().create_round(&new, &codes) {
                Ok(round) => {
                    let codes = codes
                        .into_iter()
                        .map(|(pupil_id, code)| SurveyCode {
                            pupil_id,
                            code,
                            answered: false,
                        })
                        .collect();
                    return Ok((round, codes));
                }
                Err(StoreError::Conflict(_)) => continue,
                Err(other) => return Err(other.into()),
            }
        }
        Err(StoreError::Backend("could not draw unique codes".into()).into())
    }

    /// The rounds of a class, newest first.
    pub fn surveys_of_class(
        &self,
        actor: &Actor,
        class: ClassId,
    ) -> Result<Vec<SurveyRound>, AccessError> {
        self.survey_class_access(actor, class, SurveyAction::Results)?;
        Ok(self.store().rounds_of_class(actor.school_id, class)?)
    }

    pub fn survey(&self, actor: &Actor, id: SurveyId) -> Result<SurveyRound, AccessError> {
        Ok(self.survey_access(actor, id, SurveyAction::Results)?.0)
    }

    pub fn close_survey(&self, actor: &Actor, id: SurveyId) -> Result<SurveyRound, AccessError> {
        self.survey_access(actor, id, SurveyAction::Manage)?;
        self.store().close_round(actor.school_id, id, self.now())?;
        self.store()
            .round(actor.school_id, id)?
            .ok_or(AccessError::NotFound)
    }

    /// The codes with the pupils they belong to (for the slips).
    pub fn survey_codes(
        &self,
        actor: &Actor,
        id: SurveyId,
    ) -> Result<(SurveyRound, Vec<(PupilRecord, SurveyCode)>), AccessError> {
        let (round, _) = self.survey_access(actor, id, SurveyAction::Manage)?;
        let pupils: HashMap<PupilId, PupilRecord> = self
            .store()
            .pupils_of_class(actor.school_id, round.class_id)?
            .into_iter()
            .map(|p| (p.id, p))
            .collect();
        let mut out: Vec<(PupilRecord, SurveyCode)> = self
            .store()
            .round_codes(actor.school_id, id)?
            .into_iter()
            .filter_map(|c| pupils.get(&c.pupil_id).cloned().map(|p| (p, c)))
            .collect();
        out.sort_by_key(|(p, _)| p.sort_name().to_lowercase());
        Ok((round, out))
    }

    /// The answers in the CLI's CSV format (raw answers: mentor, care coordinator, and the
    /// coordinator when the school allows it).
    pub fn survey_answers_csv(&self, actor: &Actor, id: SurveyId) -> Result<String, AccessError> {
        let (round, _) = self.survey_access(actor, id, SurveyAction::Answers)?;
        let (respondents, rows) = self.round_answers(actor.school_id, &round)?;
        Ok(answers_csv(&round, &respondents, &rows))
    }

    fn round_answers(
        &self,
        school: SchoolId,
        round: &SurveyRound,
    ) -> Result<(Vec<PupilId>, Vec<AnswerRow>), StoreError> {
        let respondents: Vec<PupilId> = self
            .store()
            .round_codes(school, round.id)?
            .into_iter()
            .filter(|c| c.answered)
            .map(|c| c.pupil_id)
            .collect();
        let rows = self.store().answer_rows(school, round.id)?;
        Ok((respondents, rows))
    }

    /// Statuses, counts, flags and the trend of a round. `criteria` and `alpha` default to
    /// the engine's defaults for the kind (SSrat for ratings, Newcomb & Bukowski for
    /// nominations) and the school's alpha.
    pub fn survey_results(
        &self,
        actor: &Actor,
        id: SurveyId,
        criteria: Option<&str>,
        alpha: Option<&str>,
    ) -> Result<SurveyResults, SurveyError> {
        let (round, settings) = self.survey_access(actor, id, SurveyAction::Results)?;
        let mentor = actor.role == Role::Teacher;
        let shows_answers = allowed(actor.role, mentor, SurveyAction::Answers, &settings);
        let criteria = match criteria.map(str::trim).filter(|c| !c.is_empty()) {
            None => None,
            Some(raw) => Some(CriteriaChoice::parse(raw).ok_or(RoundProblem::BadCriteria)?),
        };
        let alpha = match alpha.map(str::trim).filter(|a| !a.is_empty()) {
            None => settings.alpha,
            Some(raw) => raw
                .replace(',', ".")
                .parse::<f64>()
                .ok()
                .filter(|a| *a > 0.0 && *a < 1.0)
                .ok_or(RoundProblem::BadAlpha)?,
        };
        let mut results = self.compute_results(actor.school_id, &round, criteria, alpha)?;
        results.shows_answers = shows_answers;
        // Trend: against the class's previous round (started before this one).
        let previous = self
            .store()
            .rounds_of_class(actor.school_id, round.class_id)?
            .into_iter()
            .filter(|r| (r.created_at, r.id) < (round.created_at, round.id))
            .max_by_key(|r| (r.created_at, r.id));
        if let Some(previous) = previous {
            let before = self.compute_results(actor.school_id, &previous, None, settings.alpha)?;
            results.trend = trend(&before, &results);
        }
        Ok(results)
    }

    fn compute_results(
        &self,
        school: SchoolId,
        round: &SurveyRound,
        criteria: Option<CriteriaChoice>,
        alpha: f64,
    ) -> Result<SurveyResults, SurveyError> {
        let (scale, ratings) = match round.kind {
            RoundKind::Ratings { scale } => (scale, true),
            RoundKind::Nominations { .. } => (5, false),
        };
        let criteria = match (criteria, ratings) {
            (Some(CriteriaChoice::Ssrat), false) => return Err(RoundProblem::BadCriteria.into()),
            (Some(c), _) => c,
            (None, true) => CriteriaChoice::Ssrat,
            (None, false) => CriteriaChoice::NewcombBukowski,
        };
        let pupils = self.store().pupils_of_class(school, round.class_id)?;
        let codes = self.store().round_codes(school, round.id)?;
        let labels = pupil_labels(&pupils);
        let (respondents, rows) = self.round_answers(school, round)?;
        let csv = answers_csv(round, &respondents, &rows);
        // Exactly what `erbij sociometry --scale S --criteria C --alpha A` does with this CSV.
        let options = Options {
            criteria: match criteria {
                CriteriaChoice::Ssrat => Criteria::Ssrat,
                CriteriaChoice::NewcombBukowski => Criteria::NewcombBukowski,
                CriteriaChoice::CoieDodge => Criteria::CoieDodge,
            },
            alpha,
            sd: SdConvention::Population,
            recoding: NominationRecoding::Extremes,
        };
        let analysis = if respondents.is_empty() {
            None
        } else {
            match read_survey(&csv, Scale::with_points(scale).unwrap_or(Scale::Five)) {
                Ok(survey @ (Survey::Ratings(_) | Survey::Nominations(_))) => {
                    analyse(&survey, &options).into_iter().next()
                }
                // Answers are validated before they are stored; an unreadable set means
                // the database was changed by hand.
                Err(errors) => {
                    return Err(StoreError::Backend(format!(
                        "stored answers do not read as a survey ({} problems)",
                        errors.len()
                    ))
                    .into());
                }
            }
        };
        let mut out = Vec::new();
        for code in &codes {
            let id = code.pupil_id;
            let name = labels.get(&id).cloned().unwrap_or_else(|| id.to_string());
            let mut line = PupilResult {
                pupil_id: id,
                name,
                status: None,
                took_part: code.answered,
                chosen: 0,
                mutual: 0,
                left_out_by: 0,
                not_chosen: true,
                no_mutual_friend: true,
                left_out_significant: false,
            };
            if let Some(analysis) = &analysis {
                if let Some(index) = analysis
                    .pupils
                    .iter()
                    .position(|p| p.id == id.0.to_string())
                {
                    let ties = &analysis.ties;
                    let received = |q: Question| {
                        ties.counts
                            .iter()
                            .find(|c| c.question == q)
                            .and_then(|c| c.received.get(index).copied())
                            .unwrap_or(0)
                    };
                    let pupil = &analysis.pupils[index];
                    line.status = pupil.status;
                    line.chosen = received(Question::Positive);
                    line.left_out_by = received(Question::LeftOut);
                    line.mutual = ties.mutual_degree.get(index).copied().unwrap_or(0);
                    line.not_chosen = ties.not_chosen.contains(&index);
                    line.no_mutual_friend = ties.without_mutual_friend.contains(&index);
                    line.left_out_significant =
                        pupil.left_out.as_ref().is_some_and(|l| l.significant);
                }
            }
            out.push(line);
        }
        out.sort_by_key(|p| p.name.to_lowercase());
        let flags = if analysis.is_some() {
            flags_of(&out)
        } else {
            Vec::new()
        };
        Ok(SurveyResults {
            round: round.clone(),
            criteria,
            alpha,
            respondents: respondents.len(),
            class_size: codes.len(),
            pupils: out,
            analysis,
            flags,
            trend: Trend::default(),
            shows_answers: false,
        })
    }

    /// Flags of the class's latest closed round with answers, for the class page and the
    /// early-warning list.
    pub fn survey_flags_of_class(
        &self,
        actor: &Actor,
        class: ClassId,
    ) -> Result<Option<(SurveyRound, Vec<SurveyFlag>)>, AccessError> {
        let settings = self.survey_class_access(actor, class, SurveyAction::Results)?;
        let today = amsterdam_date(self.now());
        let Some(round) = self
            .store()
            .rounds_of_class(actor.school_id, class)?
            .into_iter()
            .find(|r| r.is_closed(today))
        else {
            return Ok(None);
        };
        let results = self
            .compute_results(actor.school_id, &round, None, settings.alpha)
            .map_err(|e| match e {
                SurveyError::Access(a) => a,
                SurveyError::Invalid(p) => AccessError::Store(StoreError::Backend(p.to_string())),
            })?;
        Ok(Some((round, results.flags)))
    }

    // ---- the pupil's side: the code is the credential ----

    /// What a code opens, with the classmates to choose from (labels, sorted), if the code
    /// exists. The pupil's own stored answer comes along so it can be changed.
    pub fn open_code(&self, raw: &str) -> Result<CodeView, AnswerError> {
        let code = normalise_code(raw).ok_or(AnswerError::UnknownCode)?;
        let target = self
            .store()
            .survey_code(&code)?
            .ok_or(AnswerError::UnknownCode)?;
        let school = target.school_id;
        let pupils = self
            .store()
            .pupils_of_class(school, target.round.class_id)?;
        let in_round: BTreeSet<PupilId> = self
            .store()
            .round_codes(school, target.round.id)?
            .into_iter()
            .map(|c| c.pupil_id)
            .collect();
        let round_pupils: Vec<PupilRecord> = pupils
            .into_iter()
            .filter(|p| in_round.contains(&p.id))
            .collect();
        let labels = pupil_labels(&round_pupils);
        let mut classmates: Vec<(PupilId, String)> = round_pupils
            .iter()
            .filter(|p| p.id != target.pupil_id)
            .map(|p| (p.id, labels.get(&p.id).cloned().unwrap_or_default()))
            .collect();
        classmates.sort_by_key(|(_, l)| l.to_lowercase());
        let own: Vec<AnswerRow> = if target.answered {
            self.store()
                .answer_rows(school, target.round.id)?
                .into_iter()
                .filter(|r| r.from == target.pupil_id)
                .collect()
        } else {
            Vec::new()
        };
        let today = amsterdam_date(self.now());
        Ok(CodeView {
            code,
            open: target.round.is_open(today),
            own_name: labels.get(&target.pupil_id).cloned().unwrap_or_default(),
            target,
            classmates,
            own,
        })
    }

    /// Stores (or replaces) a pupil's answer. `Ok(true)` the first time.
    pub fn submit_answer(&self, raw_code: &str, input: &AnswerInput) -> Result<bool, AnswerError> {
        let view = self.open_code(raw_code)?;
        if !view.open {
            return Err(AnswerError::Closed);
        }
        let rows = validate_answer(&view, input)?;
        let first = self.store().save_answer(
            view.target.school_id,
            view.target.round.id,
            view.target.pupil_id,
            &rows,
            self.now(),
        )?;
        Ok(first)
    }
}

/// A code opened by a pupil.
#[derive(Debug, Clone)]
pub struct CodeView {
    pub code: String,
    pub target: CodeTarget,
    pub open: bool,
    pub own_name: String,
    /// The other pupils of the round, with the labels a pupil sees.
    pub classmates: Vec<(PupilId, String)>,
    /// The pupil's own stored answer.
    pub own: Vec<AnswerRow>,
}

/// Checks an answer against its round and turns it into rows `(to, question, value)`.
pub fn validate_answer(
    view: &CodeView,
    input: &AnswerInput,
) -> Result<Vec<(PupilId, String, i64)>, AnswerProblem> {
    let me = view.target.pupil_id;
    let classmates: BTreeSet<i64> = view.classmates.iter().map(|(p, _)| p.0).collect();
    let check_pupil = |id: i64| -> Result<PupilId, AnswerProblem> {
        if id == me.0 {
            Err(AnswerProblem::SelfChoice)
        } else if classmates.contains(&id) {
            Ok(PupilId(id))
        } else {
            Err(AnswerProblem::NotInClass(id))
        }
    };
    let mut rows = Vec::new();
    match (&view.target.round.kind, input) {
        (RoundKind::Ratings { scale }, AnswerInput::Ratings(ratings)) => {
            if ratings.is_empty() {
                return Err(AnswerProblem::NoRating);
            }
            for (to, value) in ratings {
                let to = check_pupil(*to)?;
                if !(1..=i64::from(*scale)).contains(value) {
                    return Err(AnswerProblem::OffScale {
                        value: *value,
                        points: *scale,
                    });
                }
                rows.push((to, "rating".to_string(), *value));
            }
        }
        (
            RoundKind::Nominations {
                questions,
                max_choices,
            },
            AnswerInput::Nominations(choices),
        ) => {
            for (question, chosen) in choices {
                let asked = NominationQuestion::parse(question)
                    .filter(|q| questions.contains(q))
                    .ok_or_else(|| {
                        AnswerProblem::UnknownQuestion(question.chars().take(40).collect())
                    })?;
                if let Some(max) = max_choices {
                    if chosen.len() > *max as usize {
                        return Err(AnswerProblem::TooMany {
                            question: asked.key().to_string(),
                            max: *max,
                        });
                    }
                }
                let mut seen = BTreeSet::new();
                for id in chosen {
                    let to = check_pupil(*id)?;
                    if !seen.insert(to) {
                        return Err(AnswerProblem::Twice(*id));
                    }
                    rows.push((to, asked.key().to_string(), 1));
                }
            }
        }
        (RoundKind::Ratings { .. }, _) => return Err(AnswerProblem::WrongKind("ratings")),
        (RoundKind::Nominations { .. }, _) => {
            return Err(AnswerProblem::WrongKind("nominations"));
        }
    }
    Ok(rows)
}

fn flags_of(pupils: &[PupilResult]) -> Vec<SurveyFlag> {
    let mut flags = Vec::new();
    for p in pupils {
        let mut reasons = Vec::new();
        match p.status {
            Some(Status::Rejected) => reasons.push(FlagReason::Rejected),
            Some(Status::Neglected) => reasons.push(FlagReason::Neglected),
            _ => {}
        }
        if p.not_chosen {
            reasons.push(FlagReason::NotChosen);
        }
        // A pupil who did not take part cannot have a mutual choice: no flag for that.
        if p.took_part && p.no_mutual_friend {
            reasons.push(FlagReason::NoMutualFriend);
        }
        if p.left_out_by >= LEFT_OUT_FLAG_MIN || p.left_out_significant {
            reasons.push(FlagReason::NamedLeftOut);
        }
        if !reasons.is_empty() {
            flags.push(SurveyFlag {
                pupil_id: p.pupil_id,
                name: p.name.clone(),
                reasons,
                left_out_by: p.left_out_by,
            });
        }
    }
    flags
}

fn trend(before: &SurveyResults, now: &SurveyResults) -> Trend {
    let watched = |s: Option<Status>| matches!(s, Some(Status::Neglected | Status::Rejected));
    let old: HashMap<PupilId, &PupilResult> =
        before.pupils.iter().map(|p| (p.pupil_id, p)).collect();
    let mut out = Trend {
        previous: Some(before.round.clone()),
        ..Trend::default()
    };
    for p in &now.pupils {
        let Some(was) = old.get(&p.pupil_id) else {
            continue;
        };
        if (watched(was.status) || watched(p.status)) && was.status != p.status {
            out.changes
                .push((p.pupil_id, p.name.clone(), was.status, p.status));
        }
        if was.mutual > 0 && p.mutual == 0 && p.took_part {
            out.lost_last_mutual.push((p.pupil_id, p.name.clone()));
        }
    }
    out
}

/// "12 maart" / "12 March": how a reason names a round's date.
pub fn date_words(date: Date) -> (String, String) {
    const NL: [&str; 12] = [
        "januari",
        "februari",
        "maart",
        "april",
        "mei",
        "juni",
        "juli",
        "augustus",
        "september",
        "oktober",
        "november",
        "december",
    ];
    const EN: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let m = usize::from(date.month().clamp(1, 12)) - 1;
    (
        format!("{} {}", date.day(), NL[m]),
        format!("{} {}", date.day(), EN[m]),
    )
}

/// Why a pupil is flagged, in plain words, naming the round by its date:
/// "volgens de peiling van 12 maart door niemand gekozen".
pub fn flag_reason(flag: &SurveyFlag, round: &SurveyRound) -> (String, String) {
    let (date_nl, date_en) = date_words(round.opens_on);
    let mut nl = Vec::new();
    let mut en = Vec::new();
    for reason in &flag.reasons {
        let (a, b) = match reason {
            FlagReason::Rejected => (
                "door veel klasgenoten afgewezen (status afgewezen)".to_string(),
                "rejected by many classmates (status rejected)".to_string(),
            ),
            // Nobody chose them: said once, with the status.
            FlagReason::Neglected if flag.reasons.contains(&FlagReason::NotChosen) => (
                "door niemand gekozen (status genegeerd)".to_string(),
                "chosen by nobody (status neglected)".to_string(),
            ),
            FlagReason::NotChosen if flag.reasons.contains(&FlagReason::Neglected) => continue,
            FlagReason::Neglected => (
                "nauwelijks gekozen (status genegeerd)".to_string(),
                "hardly chosen (status neglected)".to_string(),
            ),
            FlagReason::NotChosen => (
                "door niemand gekozen".to_string(),
                "chosen by nobody".to_string(),
            ),
            FlagReason::NoMutualFriend => (
                "zonder wederzijdse vriend".to_string(),
                "without a mutual friend".to_string(),
            ),
            FlagReason::NamedLeftOut => (
                format!(
                    "door {} klasgenoten genoemd als buitengesloten",
                    flag.left_out_by
                ),
                format!("named as left out by {} classmates", flag.left_out_by),
            ),
        };
        nl.push(a);
        en.push(b);
    }
    (
        format!("volgens de peiling van {date_nl} {}", join_words(&nl, "en")),
        format!(
            "according to the survey of {date_en}: {}",
            join_words(&en, "and")
        ),
    )
}

fn join_words(parts: &[String], and: &str) -> String {
    match parts {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} {and} {last}", rest.join(", ")),
    }
}

/// A round with how many of its pupils answered (for the class page).
#[derive(Debug, Clone)]
pub struct RoundSummary {
    pub round: SurveyRound,
    pub answered: usize,
    pub pupils: usize,
    pub open: bool,
}

/// The surveys part of a class page.
#[derive(Debug, Clone)]
pub struct ClassSurveys {
    pub may_manage: bool,
    pub allow_negative: bool,
    pub rounds: Vec<RoundSummary>,
    /// Flags of the latest closed round.
    pub flags: Vec<(SurveyFlag, String, String)>,
}

/// A survey flag of a pupil's timeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimelineFlag {
    pub round_id: SurveyId,
    pub reason_nl: String,
    pub reason_en: String,
}

impl Platform {
    /// The school's survey settings for a pupil's opened code (the thank-you page says who
    /// sees the answers, which depends on them).
    pub fn code_survey_settings(&self, view: &CodeView) -> Result<SurveySettings, StoreError> {
        self.store().survey_settings(view.target.school_id)
    }

    /// The class page's survey section; `None` when the actor may not see the class's
    /// surveys (administrator, confidential adviser).
    pub fn class_surveys(
        &self,
        actor: &Actor,
        class: ClassId,
    ) -> Result<Option<ClassSurveys>, AccessError> {
        let settings = match self.survey_class_access(actor, class, SurveyAction::Results) {
            Ok(s) => s,
            Err(AccessError::Forbidden) => return Ok(None),
            Err(other) => return Err(other),
        };
        let may_manage = self.may_survey(actor, class, SurveyAction::Manage);
        let today = amsterdam_date(self.now());
        let mut rounds = Vec::new();
        for round in self.store().rounds_of_class(actor.school_id, class)? {
            let codes = self.store().round_codes(actor.school_id, round.id)?;
            rounds.push(RoundSummary {
                answered: codes.iter().filter(|c| c.answered).count(),
                pupils: codes.len(),
                open: round.is_open(today),
                round,
            });
        }
        let flags = match self.survey_flags_of_class(actor, class)? {
            Some((round, flags)) => flags
                .into_iter()
                .map(|f| {
                    let (nl, en) = flag_reason(&f, &round);
                    (f, nl, en)
                })
                .collect(),
            None => Vec::new(),
        };
        Ok(Some(ClassSurveys {
            may_manage,
            allow_negative: settings.allow_negative,
            rounds,
            flags,
        }))
    }

    /// Survey flags of one pupil from every closed round of their class, newest first, for
    /// the timeline (empty when the actor may not see the class's survey results).
    pub fn survey_flags_of_pupil(
        &self,
        actor: &Actor,
        pupil: &PupilRecord,
    ) -> Result<Vec<(Date, Timestamp, TimelineFlag)>, AccessError> {
        let Ok(settings) = self.survey_class_access(actor, pupil.class_id, SurveyAction::Results)
        else {
            return Ok(Vec::new());
        };
        let today = amsterdam_date(self.now());
        let mut out = Vec::new();
        for round in self
            .store()
            .rounds_of_class(actor.school_id, pupil.class_id)?
            .into_iter()
            .filter(|r| r.is_closed(today))
        {
            let results = self
                .compute_results(actor.school_id, &round, None, settings.alpha)
                .map_err(results_access)?;
            if let Some(flag) = results.flags.iter().find(|f| f.pupil_id == pupil.id) {
                let (reason_nl, reason_en) = flag_reason(flag, &round);
                out.push((
                    round.opens_on,
                    round.closed_at.unwrap_or(round.created_at),
                    TimelineFlag {
                        round_id: round.id,
                        reason_nl,
                        reason_en,
                    },
                ));
            }
        }
        Ok(out)
    }
}

fn results_access(err: SurveyError) -> AccessError {
    match err {
        SurveyError::Access(a) => a,
        SurveyError::Invalid(p) => AccessError::Store(StoreError::Backend(p.to_string())),
    }
}

/// The early-warning source of surveys: every flagged pupil of the latest closed round of
/// each class the actor may see survey results of, with the reason in words.
pub(crate) fn survey_warning_entries(
    platform: &Platform,
    ctx: &crate::signals::WarningContext<'_>,
) -> Result<Vec<crate::signals::WarningEntry>, StoreError> {
    let actor = ctx.actor;
    let settings = platform.store().survey_settings(actor.school_id)?;
    // The pupils in the context are the actor's visible ones: a teacher's are those of
    // the classes they are assigned to (their mentor classes).
    if !allowed(
        actor.role,
        actor.role == Role::Teacher,
        SurveyAction::Results,
        &settings,
    ) {
        return Ok(Vec::new());
    }
    let classes: BTreeSet<ClassId> = ctx.pupils.values().map(|p| p.class_id).collect();
    let mut entries = Vec::new();
    for class in classes {
        let Some(round) = platform
            .store()
            .rounds_of_class(actor.school_id, class)?
            .into_iter()
            .find(|r| r.is_closed(ctx.today))
        else {
            continue;
        };
        let results = match platform.compute_results(actor.school_id, &round, None, settings.alpha)
        {
            Ok(r) => r,
            Err(SurveyError::Access(AccessError::Store(e))) => return Err(e),
            Err(_) => continue,
        };
        for flag in &results.flags {
            if !ctx.pupils.contains_key(&flag.pupil_id) {
                continue;
            }
            let (reason_nl, reason_en) = flag_reason(flag, &round);
            entries.push(crate::signals::WarningEntry {
                pupil_id: flag.pupil_id,
                class_id: class,
                rule: "survey".to_string(),
                rules: vec!["survey".to_string()],
                reason_nl,
                reason_en,
                signals: Vec::new(),
            });
        }
    }
    Ok(entries)
}

/// Adds this capability's fictional data to the demo school (idempotent: `--demo` reloads
/// an existing demo school).
///
/// Every class gets one closed round three weeks ago; 2B's is a ratings round in which one
/// pupil (the sixth) is rated low by nearly everyone (rejected) and one (the fifteenth)
/// gets only neutral ratings (neglected). 2B also has an open nominations round that a
/// few pupils answered.
pub(crate) fn seed_demo(
    platform: &crate::Platform,
    school: &crate::SchoolRecord,
) -> Result<(), crate::SetupError> {
    let store = platform.store();
    let users = store.users(school.id)?;
    let Some(coordinator) = users
        .iter()
        .find(|u| u.role == Role::Coordinator)
        .or_else(|| users.first())
    else {
        return Ok(());
    };
    let now = platform.now();
    let today = amsterdam_date(now);
    for (class_index, class) in store.classes(school.id)?.iter().enumerate() {
        if !store.rounds_of_class(school.id, class.id)?.is_empty() {
            continue; // seeded before
        }
        let mut pupils: Vec<PupilRecord> = store
            .pupils_of_class(school.id, class.id)?
            .into_iter()
            .filter(|p| p.left_on.is_none())
            .collect();
        pupils.sort_by_key(|p| p.sort_name().to_lowercase());
        if pupils.len() < 6 {
            continue;
        }
        let is_2b = class.name == "2B";
        let mut rng = DemoRng(0x9E37_79B9_7F4A_7C15 ^ (class_index as u64 + 1));
        let kind = if is_2b {
            RoundKind::Ratings { scale: 5 }
        } else {
            RoundKind::Nominations {
                questions: vec![NominationQuestion::Positive, NominationQuestion::LeftOut],
                max_choices: Some(3),
            }
        };
        let round = demo_round(
            platform,
            school,
            class.id,
            coordinator.id,
            kind.clone(),
            today.add_days(-21),
            now - 21 * 86_400,
            &pupils,
        )?;
        let n = pupils.len();
        for (i, from) in pupils.iter().enumerate() {
            // The last two pupils did not take part.
            if i >= n - 2 {
                continue;
            }
            let mut rows = Vec::new();
            match kind {
                RoundKind::Ratings { .. } => {
                    for (j, to) in pupils.iter().enumerate() {
                        if i == j {
                            continue;
                        }
                        let value = if j == 5 {
                            // Rejected: low from nearly everyone.
                            if rng.below(10) == 0 { 2 } else { 1 }
                        } else if j == 14 {
                            3 // Neglected: nobody feels strongly.
                        } else if i / 4 == j / 4 || (i + 2 * j) % 7 == 0 {
                            5 // friends: the same little group, and some others
                        } else if (i + j) % 6 == 0 {
                            1 // everyone dislikes a few, spread evenly
                        } else {
                            2 + ((i * 5 + j * 3) % 3) as i64
                        };
                        rows.push((to.id, "rating".to_string(), value));
                    }
                }
                RoundKind::Nominations { .. } => {
                    // Friends within a group of four, mutual as a rule; the eighth pupil
                    // is chosen by nobody and named as left out by several.
                    let group: Vec<usize> = (0..n)
                        .filter(|j| *j != i && j / 4 == i / 4 && *j != 7)
                        .collect();
                    for j in group.into_iter().take(3) {
                        rows.push((pupils[j].id, "positive".to_string(), 1));
                    }
                    if i != 7 && rng.below(3) == 0 {
                        rows.push((pupils[7].id, "left_out".to_string(), 1));
                    }
                }
            }
            store.save_answer(school.id, round.id, from.id, &rows, now - 21 * 86_400 + 600)?;
        }
        store.close_round(school.id, round.id, now - 20 * 86_400)?;
        if is_2b {
            let open = demo_round(
                platform,
                school,
                class.id,
                coordinator.id,
                RoundKind::Nominations {
                    questions: vec![NominationQuestion::Positive, NominationQuestion::LeftOut],
                    max_choices: Some(3),
                },
                today,
                now - 3600,
                &pupils,
            )?;
            for (i, from) in pupils.iter().enumerate().take(6) {
                let to = &pupils[(i + 1) % 6];
                store.save_answer(
                    school.id,
                    open.id,
                    from.id,
                    &[(to.id, "positive".to_string(), 1)],
                    now - 1800,
                )?;
            }
        }
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
fn demo_round(
    platform: &crate::Platform,
    school: &crate::SchoolRecord,
    class: ClassId,
    by: crate::UserId,
    kind: RoundKind,
    opens_on: Date,
    at: Timestamp,
    pupils: &[PupilRecord],
) -> Result<SurveyRound, crate::SetupError> {
    let codes = pupils
        .iter()
        .map(|p| Ok((p.id, new_code()?)))
        .collect::<Result<Vec<_>, StoreError>>()?;
    Ok(platform.store().create_round(
        &NewRound {
            school_id: school.id,
            class_id: class,
            kind,
            opens_on,
            closes_on: None,
            created_by: by,
            created_at: at,
        },
        &codes,
    )?)
}

/// A small deterministic generator for the demo's answers (the same school every time).
struct DemoRng(u64);

impl DemoRng {
    fn below(&mut self, n: u64) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 33) % n.max(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_have_fifty_bits_from_the_unambiguous_alphabet() {
        let code = new_code().unwrap_or_default();
        assert_eq!(code.len(), CODE_LENGTH);
        assert!(code.bytes().all(|b| CODE_ALPHABET.contains(&b)));
        assert!(!code.contains(['I', 'L', 'O', 'U']));
        // 32 symbols = 5 bits each.
        assert_eq!(CODE_ALPHABET.len(), 32);
        const { assert!(CODE_LENGTH * 5 >= 40) };
    }

    #[test]
    fn typed_codes_are_normalised_as_crockford_reads_them() {
        assert_eq!(normalise_code("abcde-fghjk").as_deref(), Some("ABCDEFGHJK"));
        assert_eq!(normalise_code("o1l2i34567").as_deref(), Some("0112134567"));
        assert_eq!(normalise_code("ABCDEFGHJ"), None);
        assert_eq!(normalise_code("ABCDEFGHJKM"), None);
        assert_eq!(normalise_code("ABCDEFGHJU"), None);
        assert_eq!(normalise_code("ABCDÉFGHJK"), None);
    }

    #[test]
    fn the_access_table() {
        use Role::*;
        let off = SurveySettings::default();
        let on = SurveySettings {
            coordinator_sees_answers: true,
            ..SurveySettings::default()
        };
        // role, mentor, manage, results, answers (off), answers (on)
        let table = [
            (Administrator, false, false, false, false, false),
            (Coordinator, false, true, true, false, true),
            (ConfidentialAdviser, false, false, false, false, false),
            (CareCoordinator, false, true, true, true, true),
            (Teacher, true, true, true, true, true),
            (Teacher, false, false, false, false, false),
        ];
        for (role, mentor, manage, results, answers_off, answers_on) in table {
            assert_eq!(
                allowed(role, mentor, SurveyAction::Manage, &off),
                manage,
                "{role:?}"
            );
            assert_eq!(
                allowed(role, mentor, SurveyAction::Results, &off),
                results,
                "{role:?}"
            );
            assert_eq!(
                allowed(role, mentor, SurveyAction::Answers, &off),
                answers_off,
                "{role:?}"
            );
            assert_eq!(
                allowed(role, mentor, SurveyAction::Answers, &on),
                answers_on,
                "{role:?}"
            );
        }
        assert!(allowed(Coordinator, false, SurveyAction::Settings, &off));
        assert!(!allowed(Teacher, true, SurveyAction::Settings, &off));
    }

    #[test]
    fn amsterdam_dates_follow_summer_time() {
        // 2026-03-12 23:30 UTC is already the 13th in Amsterdam (CET, +1).
        let winter = 1_773_358_200;
        assert_eq!(Date::from_timestamp(winter).to_string(), "2026-03-12");
        assert_eq!(amsterdam_date(winter).to_string(), "2026-03-13");
        // 2026-07-01 22:30 UTC is 00:30 on the 2nd (CEST, +2); 21:30 UTC is still the 1st.
        let summer = 1_782_945_000;
        assert_eq!(Date::from_timestamp(summer).to_string(), "2026-07-01");
        assert_eq!(amsterdam_date(summer).to_string(), "2026-07-02");
        assert_eq!(amsterdam_date(summer - 3600).to_string(), "2026-07-01");
    }

    #[test]
    fn flag_reasons_name_the_round_by_its_date_in_plain_words() {
        let round = SurveyRound {
            id: SurveyId(1),
            school_id: SchoolId(1),
            class_id: ClassId(1),
            kind: RoundKind::Ratings { scale: 5 },
            opens_on: Date::new(2026, 3, 12).unwrap_or_else(|_| Date::from_timestamp(0)),
            closes_on: None,
            closed_at: Some(0),
            created_at: 0,
        };
        let flag = |reasons: Vec<FlagReason>, left_out_by| SurveyFlag {
            pupil_id: PupilId(1),
            name: "Mila".into(),
            reasons,
            left_out_by,
        };
        let (nl, en) = flag_reason(&flag(vec![FlagReason::NotChosen], 0), &round);
        assert_eq!(nl, "volgens de peiling van 12 maart door niemand gekozen");
        assert_eq!(en, "according to the survey of 12 March: chosen by nobody");
        let (nl, _) = flag_reason(
            &flag(vec![FlagReason::Neglected, FlagReason::NotChosen], 0),
            &round,
        );
        assert_eq!(
            nl,
            "volgens de peiling van 12 maart door niemand gekozen (status genegeerd)"
        );
        let (nl, _) = flag_reason(
            &flag(
                vec![
                    FlagReason::Rejected,
                    FlagReason::NoMutualFriend,
                    FlagReason::NamedLeftOut,
                ],
                4,
            ),
            &round,
        );
        assert_eq!(
            nl,
            "volgens de peiling van 12 maart door veel klasgenoten afgewezen (status afgewezen), \
             zonder wederzijdse vriend en door 4 klasgenoten genoemd als buitengesloten"
        );
        assert_eq!(date_words(round.opens_on).0, "12 maart");
    }

    #[test]
    fn two_pupils_with_one_first_name_get_an_initial() {
        let pupil = |id: i64, given: &str, family: &str| PupilRecord {
            id: PupilId(id),
            school_id: SchoolId(1),
            class_id: ClassId(1),
            given_name: given.into(),
            infix: String::new(),
            family_name: family.into(),
            external_id: None,
            left_on: None,
        };
        let labels = pupil_labels(&[
            pupil(1, "Sem", "Bakker"),
            pupil(2, "Sem", "Visser"),
            pupil(3, "Mila", "Jansen"),
        ]);
        assert_eq!(labels[&PupilId(1)], "Sem B.");
        assert_eq!(labels[&PupilId(2)], "Sem V.");
        assert_eq!(labels[&PupilId(3)], "Mila");
    }
}
