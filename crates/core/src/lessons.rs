//! Prevention in class: the dilemma bank, live dilemma sessions with anonymous voting, and
//! class agreements.
//!
//! The use cases of this capability (as `impl Platform` blocks) and its access rules live
//! here; storage comes in through [`LessonStore`], which `erbij-store` implements.
//!
//! Anonymity is a property of what is stored, not of what is shown: a vote is a `+1` on a
//! counter (session, dilemma, choice). The only device trace is a SHA-256 of a random
//! per-device cookie *salted with the session id*, kept solely to refuse a second vote, and
//! deleted when the session ends. Nothing ties a counter to a device or a pupil.

mod bank;

use crate::platform::{AccessError, Actor};
use crate::store::StoreError;
use crate::types::FieldError;
use crate::{ClassId, ClassRecord, Date, Platform, Role, SchoolId, Timestamp, UserId};

pub use bank::BANK_SIZE;

/// School-made dilemmas get ids above this, so they never collide with the bank's.
pub const SCHOOL_DILEMMA_ID_OFFSET: i64 = 100_000;
/// A live session ends by itself this long after it started (a lesson, with margin).
pub const SESSION_LIFETIME_SECONDS: i64 = 3 * 3600;
/// An agreement round's code works this long (proposing and voting in one or two lessons).
pub const ROUND_CODE_LIFETIME_SECONDS: i64 = 8 * 3600;
/// Devices that may join one session or round: a class with room to spare, not a flood.
pub const MAX_PARTICIPANTS: i64 = 60;
/// Agreements one pupil may propose in a round.
pub const MAX_PROPOSALS_PER_DEVICE: i64 = 3;
/// Proposals a round holds at most.
pub const MAX_PROPOSALS_PER_ROUND: i64 = 60;
/// Votes each pupil has in an agreement round, unless the teacher chose otherwise.
pub const DEFAULT_AGREEMENT_VOTES: i64 = 3;
/// Dilemmas in one session at most.
pub const MAX_DILEMMAS_PER_SESSION: usize = 12;
/// Join codes: six characters from an alphabet without look-alikes (no 0/O, 1/I/L).
pub const JOIN_CODE_ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
pub const JOIN_CODE_LENGTH: usize = 6;

/// The language a bank dilemma is shown in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BankLanguage {
    Dutch,
    English,
}

/// The ages a dilemma suits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AgeGroup {
    /// groep 7-8 of primary school (10-12 years).
    Groep78,
    /// the first years of secondary school (12-15 years).
    OnderbouwVo,
}

impl AgeGroup {
    pub fn as_str(self) -> &'static str {
        match self {
            AgeGroup::Groep78 => "groep78",
            AgeGroup::OnderbouwVo => "onderbouw_vo",
        }
    }
    pub fn parse(raw: &str) -> Option<AgeGroup> {
        match raw.trim() {
            "groep78" => Some(AgeGroup::Groep78),
            "onderbouw_vo" => Some(AgeGroup::OnderbouwVo),
            _ => None,
        }
    }
}

/// Where a dilemma comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DilemmaSource {
    /// Written by erbij, compiled into the binary.
    Bank,
    /// Written by a teacher of this school.
    School,
}

/// A dilemma as shown to a teacher, in one language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dilemma {
    pub id: i64,
    pub source: DilemmaSource,
    /// The article's situation it comes from ("Feestje zonder Mila", "uit de groep gegooid").
    pub theme: String,
    pub title: String,
    pub situation: String,
    /// 2-4 choices; numbered from 1 in votes and results.
    pub choices: Vec<String>,
    /// 2-3 questions for the class conversation after the vote.
    pub questions: Vec<String>,
    pub ages: Vec<AgeGroup>,
    pub age_note: String,
    /// The coordinator hid it for this school.
    pub hidden: bool,
}

/// A school's own dilemma as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchoolDilemmaRecord {
    pub id: i64,
    pub school_id: SchoolId,
    pub created_by: UserId,
    pub title: String,
    pub situation: String,
    pub choices: Vec<String>,
    pub questions: Vec<String>,
    pub ages: Vec<AgeGroup>,
    pub created_at: Timestamp,
}

/// A dilemma a teacher typed, validated.
#[derive(Debug, Clone)]
pub struct NewDilemma {
    pub title: String,
    pub situation: String,
    pub choices: Vec<String>,
    pub questions: Vec<String>,
    pub ages: Vec<AgeGroup>,
}

fn clean(field: &'static str, raw: &str, max: usize) -> Result<String, FieldError> {
    let text = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.is_empty() {
        return Err(FieldError::Empty { field });
    }
    if text.chars().count() > max {
        return Err(FieldError::TooLong { field, max });
    }
    Ok(text)
}

impl NewDilemma {
    /// Validates a typed dilemma: a title, a situation, 2-4 choices and 1-3 questions (empty
    /// lines are skipped).
    pub fn parse(
        title: &str,
        situation: &str,
        choices: &[&str],
        questions: &[&str],
        ages: Vec<AgeGroup>,
    ) -> Result<NewDilemma, LessonError> {
        let title = clean("title", title, 100)?;
        let situation = clean("situation", situation, 1200)?;
        let choices: Vec<String> = choices
            .iter()
            .filter(|c| !c.trim().is_empty())
            .map(|c| clean("choice", c, 200))
            .collect::<Result<_, _>>()?;
        if !(2..=4).contains(&choices.len()) {
            return Err(LessonError::ChoiceCount);
        }
        let questions: Vec<String> = questions
            .iter()
            .filter(|c| !c.trim().is_empty())
            .map(|c| clean("question", c, 300))
            .collect::<Result<_, _>>()?;
        if !(1..=3).contains(&questions.len()) {
            return Err(LessonError::QuestionCount);
        }
        let ages = if ages.is_empty() {
            vec![AgeGroup::Groep78, AgeGroup::OnderbouwVo]
        } else {
            ages
        };
        Ok(NewDilemma {
            title,
            situation,
            choices,
            questions,
            ages,
        })
    }
}

/// Where a session stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Pupils vote; the board shows only how many joined and voted.
    Voting,
    /// The teacher revealed the bars; voting on this dilemma is closed.
    Results,
    /// The discussion questions are on the board.
    Discussion,
}

impl Phase {
    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Voting => "voting",
            Phase::Results => "results",
            Phase::Discussion => "discussion",
        }
    }
    pub fn parse(raw: &str) -> Option<Phase> {
        match raw {
            "voting" => Some(Phase::Voting),
            "results" => Some(Phase::Results),
            "discussion" => Some(Phase::Discussion),
            _ => None,
        }
    }
}

/// A dilemma session as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DilemmaSessionRecord {
    pub id: i64,
    pub school_id: SchoolId,
    pub class_id: ClassId,
    pub created_by: UserId,
    /// `None` once the session has ended: the code no longer opens anything.
    pub join_code: Option<String>,
    pub dilemma_ids: Vec<i64>,
    /// Index into `dilemma_ids` of the dilemma on the board.
    pub position: usize,
    pub phase: Phase,
    pub started_at: Timestamp,
    pub expires_at: Timestamp,
    pub ended_at: Option<Timestamp>,
}

impl DilemmaSessionRecord {
    pub fn is_live(&self, now: Timestamp) -> bool {
        self.ended_at.is_none() && now < self.expires_at
    }
    pub fn current_dilemma(&self) -> Option<i64> {
        self.dilemma_ids.get(self.position).copied()
    }
}

/// What happened to a vote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VoteOutcome {
    Counted,
    /// This device already voted on this dilemma.
    AlreadyVoted,
    /// The session has as many devices as it takes.
    Full,
}

/// The counts the board shows live.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LiveCounts {
    /// Devices that joined the session.
    pub joined: i64,
    /// Votes per dilemma id (all choices together).
    pub votes: Vec<(i64, i64)>,
}

/// One counter: votes for one choice (from 1) of one dilemma of one session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tally {
    pub dilemma_id: i64,
    pub choice: i64,
    pub votes: i64,
}

/// A round of class agreements.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoundPhase {
    /// Pupils and the teacher propose agreements.
    Proposing,
    /// Pupils vote for the ones they support.
    Voting,
    /// The teacher settled the final list.
    Settled,
}

impl RoundPhase {
    pub fn as_str(self) -> &'static str {
        match self {
            RoundPhase::Proposing => "proposing",
            RoundPhase::Voting => "voting",
            RoundPhase::Settled => "settled",
        }
    }
    pub fn parse(raw: &str) -> Option<RoundPhase> {
        match raw {
            "proposing" => Some(RoundPhase::Proposing),
            "voting" => Some(RoundPhase::Voting),
            "settled" => Some(RoundPhase::Settled),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgreementRoundRecord {
    pub id: i64,
    pub school_id: SchoolId,
    pub class_id: ClassId,
    pub created_by: UserId,
    pub join_code: Option<String>,
    pub phase: RoundPhase,
    pub votes_per_pupil: i64,
    pub opened_at: Timestamp,
    pub expires_at: Timestamp,
    pub settled_at: Option<Timestamp>,
    /// When the class discusses the agreements again.
    pub review_on: Option<Date>,
}

impl AgreementRoundRecord {
    pub fn code_works(&self, now: Timestamp) -> bool {
        self.phase != RoundPhase::Settled && now < self.expires_at && self.join_code.is_some()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProposalRecord {
    pub id: i64,
    pub round_id: i64,
    pub text: String,
    /// Proposed by the teacher (typed in during the lesson) rather than from a phone.
    pub by_teacher: bool,
    pub votes: i64,
    /// On the settled list.
    pub chosen: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProposalOutcome {
    Added(i64),
    /// This device proposed as many as it may, or the round is full.
    LimitReached,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BallotOutcome {
    Counted,
    AlreadyVoted,
}

/// A settled list whose date to discuss it again is near or past.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewDue {
    pub round_id: i64,
    pub class_id: ClassId,
    pub class_name: String,
    pub review_on: Date,
}

/// Why a lesson use case refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LessonError {
    #[error(transparent)]
    Access(#[from] AccessError),
    #[error(transparent)]
    Invalid(#[from] FieldError),
    #[error("a dilemma needs 2 to 4 choices")]
    ChoiceCount,
    #[error("a dilemma needs 1 to 3 discussion questions")]
    QuestionCount,
    #[error("pick 1 to {MAX_DILEMMAS_PER_SESSION} dilemmas from the bank")]
    DilemmaCount,
    #[error("dilemma {0} is not in this school's bank")]
    UnknownDilemma(i64),
    /// The code is wrong, or the session or round ended.
    #[error("no live session or round with this code")]
    UnknownCode,
    #[error("this dilemma is not open for voting now")]
    NotVoting,
    #[error("choose one of the choices, numbered from 1")]
    InvalidChoice,
    #[error("this device already voted")]
    AlreadyVoted,
    #[error("the session is full")]
    Full,
    #[error("the session has ended")]
    Ended,
    #[error("not possible in this phase of the round")]
    WrongPhase,
    #[error("too many votes: {0} at most")]
    TooManyVotes(i64),
    #[error("the proposal limit is reached")]
    ProposalLimit,
    #[error("choose at least one agreement for the final list")]
    EmptyList,
    #[error("invalid date: {0}")]
    InvalidDate(String),
    #[error(transparent)]
    Store(StoreError),
}

impl From<StoreError> for LessonError {
    fn from(err: StoreError) -> Self {
        LessonError::Access(AccessError::from(err))
    }
}

/// Storage for this capability. Every method that touches a school's data takes the
/// `SchoolId` and implementations filter on it in the query itself; the code lookups are
/// the exception (a code is the pupil's credential and finds its own school).
pub trait LessonStore: Send + Sync {
    fn school_dilemmas(&self, school: SchoolId) -> Result<Vec<SchoolDilemmaRecord>, StoreError>;
    fn create_school_dilemma(
        &self,
        school: SchoolId,
        by: UserId,
        dilemma: &NewDilemma,
        now: Timestamp,
    ) -> Result<SchoolDilemmaRecord, StoreError>;
    /// Ids of the dilemmas the coordinator hid for this school.
    fn hidden_dilemmas(&self, school: SchoolId) -> Result<Vec<i64>, StoreError>;
    fn set_dilemma_hidden(
        &self,
        school: SchoolId,
        dilemma: i64,
        hidden: bool,
        by: UserId,
        now: Timestamp,
    ) -> Result<(), StoreError>;

    /// Stores a new session; `Conflict` when the join code is taken (the caller retries).
    fn create_dilemma_session(
        &self,
        session: &DilemmaSessionRecord,
    ) -> Result<DilemmaSessionRecord, StoreError>;
    fn dilemma_session(
        &self,
        school: SchoolId,
        id: i64,
    ) -> Result<Option<DilemmaSessionRecord>, StoreError>;
    /// The session that holds this join code (ended sessions hold none).
    fn dilemma_session_by_code(
        &self,
        code: &str,
    ) -> Result<Option<DilemmaSessionRecord>, StoreError>;
    /// Newest first.
    fn dilemma_sessions_of_class(
        &self,
        school: SchoolId,
        class: ClassId,
    ) -> Result<Vec<DilemmaSessionRecord>, StoreError>;
    /// Moves the board; `false` when there is no such session or it has ended.
    fn set_dilemma_position(
        &self,
        school: SchoolId,
        id: i64,
        position: usize,
        phase: Phase,
    ) -> Result<bool, StoreError>;
    /// Ends a session: clears the join code and deletes every device trace (participants,
    /// voter hashes); only the totals stay.
    fn end_dilemma_session(
        &self,
        school: SchoolId,
        id: i64,
        now: Timestamp,
    ) -> Result<(), StoreError>;
    /// Ends every session past its end time, in every school; returns how many.
    fn end_expired_dilemma_sessions(&self, now: Timestamp) -> Result<u64, StoreError>;
    /// Records a device joining (idempotent); `false` when the session is full.
    fn join_dilemma_session(
        &self,
        session: &DilemmaSessionRecord,
        device_hash: &str,
    ) -> Result<bool, StoreError>;
    /// In one transaction: joins the device when needed, records that it voted on this
    /// dilemma (refusing a second time) and adds one to the choice's counter.
    fn record_dilemma_vote(
        &self,
        session: &DilemmaSessionRecord,
        dilemma: i64,
        choice: i64,
        device_hash: &str,
    ) -> Result<VoteOutcome, StoreError>;
    /// Whether this device voted on this dilemma (while the session lives).
    fn has_voted(&self, session: i64, dilemma: i64, device_hash: &str) -> Result<bool, StoreError>;
    fn dilemma_tallies(&self, school: SchoolId, session: i64) -> Result<Vec<Tally>, StoreError>;
    fn dilemma_live_counts(&self, school: SchoolId, session: i64)
    -> Result<LiveCounts, StoreError>;

    fn create_agreement_round(
        &self,
        round: &AgreementRoundRecord,
    ) -> Result<AgreementRoundRecord, StoreError>;
    fn agreement_round(
        &self,
        school: SchoolId,
        id: i64,
    ) -> Result<Option<AgreementRoundRecord>, StoreError>;
    fn agreement_round_by_code(
        &self,
        code: &str,
    ) -> Result<Option<AgreementRoundRecord>, StoreError>;
    /// Newest first.
    fn agreement_rounds_of_class(
        &self,
        school: SchoolId,
        class: ClassId,
    ) -> Result<Vec<AgreementRoundRecord>, StoreError>;
    /// Most votes first, then oldest first.
    fn agreement_proposals(
        &self,
        school: SchoolId,
        round: i64,
    ) -> Result<Vec<ProposalRecord>, StoreError>;
    /// Adds a proposal; a pupil's (`device_hash` given) counts against their limit.
    fn add_agreement_proposal(
        &self,
        round: &AgreementRoundRecord,
        text: &str,
        device_hash: Option<&str>,
    ) -> Result<ProposalOutcome, StoreError>;
    fn remove_agreement_proposal(
        &self,
        school: SchoolId,
        round: i64,
        proposal: i64,
    ) -> Result<bool, StoreError>;
    fn set_round_phase(
        &self,
        school: SchoolId,
        round: i64,
        phase: RoundPhase,
    ) -> Result<bool, StoreError>;
    /// One ballot per device: adds one vote to each proposal (ids of this round only).
    fn cast_agreement_ballot(
        &self,
        round: &AgreementRoundRecord,
        proposals: &[i64],
        device_hash: &str,
    ) -> Result<BallotOutcome, StoreError>;
    /// Whether this device cast its ballot in this round.
    fn has_cast_ballot(&self, round: i64, device_hash: &str) -> Result<bool, StoreError>;
    /// Marks the chosen proposals, settles the round, clears its code and deletes the
    /// device traces.
    fn settle_agreement_round(
        &self,
        school: SchoolId,
        round: i64,
        chosen: &[i64],
        review_on: Date,
        now: Timestamp,
    ) -> Result<bool, StoreError>;
    fn set_agreement_review(
        &self,
        school: SchoolId,
        round: i64,
        review_on: Date,
    ) -> Result<bool, StoreError>;
    /// Settled rounds of these classes whose review date is on or before `until`.
    fn agreement_reviews_due(
        &self,
        school: SchoolId,
        until: Date,
    ) -> Result<Vec<ReviewDue>, StoreError>;
}

/// What an actor may do with lessons, once they can see the class concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LessonAction {
    /// Read the bank, a class's sessions, results and agreements.
    View,
    /// Run a dilemma session or an agreement round for a class; add the school's own dilemmas.
    Teach,
    /// Hide (or show again) a dilemma for the whole school.
    Curate,
}

/// The access rule of this capability, written once (see the table test below). Whether
/// the actor sees the class at all is the platform's class rule (`NotFound` otherwise).
pub fn may(role: Role, action: LessonAction) -> bool {
    match action {
        LessonAction::View => true,
        // Mentors teach the lessons; the anti-bullying coordinator often gives them too.
        LessonAction::Teach => matches!(role, Role::Teacher | Role::Coordinator),
        LessonAction::Curate => role == Role::Coordinator,
    }
}

fn require(actor: &Actor, action: LessonAction) -> Result<(), AccessError> {
    if may(actor.role, action) {
        Ok(())
    } else {
        Err(AccessError::Forbidden)
    }
}

/// Normalises what a pupil typed ("k7p 4qx", "K7P-4QX") to the stored form.
pub fn normalize_code(raw: &str) -> Option<String> {
    let code: String = raw
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    (code.len() == JOIN_CODE_LENGTH && code.bytes().all(|b| JOIN_CODE_ALPHABET.contains(&b)))
        .then_some(code)
}

/// A fresh random join code.
pub fn new_join_code() -> Result<String, StoreError> {
    let mut bytes = [0u8; JOIN_CODE_LENGTH * 2];
    getrandom::getrandom(&mut bytes).map_err(|e| StoreError::Backend(e.to_string()))?;
    let mut code = String::with_capacity(JOIN_CODE_LENGTH);
    // Rejection sampling keeps every character equally likely.
    let limit = 256 - (256 % JOIN_CODE_ALPHABET.len());
    for byte in bytes {
        if usize::from(byte) < limit && code.len() < JOIN_CODE_LENGTH {
            code.push(char::from(
                JOIN_CODE_ALPHABET[usize::from(byte) % JOIN_CODE_ALPHABET.len()],
            ));
        }
    }
    while code.len() < JOIN_CODE_LENGTH {
        let mut one = [0u8; 1];
        getrandom::getrandom(&mut one).map_err(|e| StoreError::Backend(e.to_string()))?;
        if usize::from(one[0]) < limit {
            code.push(char::from(
                JOIN_CODE_ALPHABET[usize::from(one[0]) % JOIN_CODE_ALPHABET.len()],
            ));
        }
    }
    Ok(code)
}

/// What is kept of a device in one session or round: SHA-256 of the scope and the device's
/// random cookie, so the same phone leaves unrelated traces in two sessions.
pub fn device_hash(scope: &str, id: i64, device_cookie: &str) -> String {
    crate::hash_token(&format!("erbij-{scope}-{id}:{device_cookie}"))
}

/// The dilemmas the bank holds for a school (built in and its own), hidden ones included
/// (marked), in the bank's order.
fn all_dilemmas(
    platform: &Platform,
    school: SchoolId,
    language: BankLanguage,
) -> Result<Vec<Dilemma>, StoreError> {
    let hidden = platform.store().hidden_dilemmas(school)?;
    let mut out: Vec<Dilemma> = bank::dilemmas(language);
    for own in platform.store().school_dilemmas(school)? {
        out.push(Dilemma {
            id: SCHOOL_DILEMMA_ID_OFFSET + own.id,
            source: DilemmaSource::School,
            theme: String::new(),
            title: own.title,
            situation: own.situation,
            choices: own.choices,
            questions: own.questions,
            ages: own.ages,
            age_note: String::new(),
            hidden: false,
        });
    }
    for dilemma in &mut out {
        dilemma.hidden = hidden.contains(&dilemma.id);
    }
    Ok(out)
}

fn seconds_to_date(ts: Timestamp) -> Date {
    Date::from_timestamp(ts)
}

impl Platform {
    // ---- the bank ----

    /// The dilemmas the actor may use: the bank and the school's own, without hidden ones.
    pub fn dilemma_bank(
        &self,
        actor: &Actor,
        language: BankLanguage,
    ) -> Result<Vec<Dilemma>, LessonError> {
        require(actor, LessonAction::View)?;
        Ok(all_dilemmas(self, actor.school_id, language)?
            .into_iter()
            .filter(|d| !d.hidden)
            .collect())
    }

    /// Every dilemma with its hidden mark, for the coordinator who curates the bank.
    pub fn dilemma_bank_for_curation(
        &self,
        actor: &Actor,
        language: BankLanguage,
    ) -> Result<Vec<Dilemma>, LessonError> {
        require(actor, LessonAction::Curate)?;
        Ok(all_dilemmas(self, actor.school_id, language)?)
    }

    /// One dilemma (hidden ones too: an old session may have used it).
    pub fn dilemma(
        &self,
        actor: &Actor,
        id: i64,
        language: BankLanguage,
    ) -> Result<Dilemma, LessonError> {
        all_dilemmas(self, actor.school_id, language)?
            .into_iter()
            .find(|d| d.id == id)
            .ok_or(LessonError::Access(AccessError::NotFound))
    }

    pub fn add_school_dilemma(
        &self,
        actor: &Actor,
        dilemma: &NewDilemma,
    ) -> Result<Dilemma, LessonError> {
        require(actor, LessonAction::Teach)?;
        let stored = self.store().create_school_dilemma(
            actor.school_id,
            actor.user_id,
            dilemma,
            self.now(),
        )?;
        self.dilemma(
            actor,
            SCHOOL_DILEMMA_ID_OFFSET + stored.id,
            BankLanguage::Dutch,
        )
    }

    pub fn set_dilemma_hidden(
        &self,
        actor: &Actor,
        id: i64,
        hidden: bool,
    ) -> Result<(), LessonError> {
        self.dilemma(actor, id, BankLanguage::Dutch)?;
        require(actor, LessonAction::Curate)?;
        Ok(self.store().set_dilemma_hidden(
            actor.school_id,
            id,
            hidden,
            actor.user_id,
            self.now(),
        )?)
    }

    // ---- live sessions ----

    /// Starts a session for a class with the chosen dilemmas (in that order).
    pub fn start_dilemma_session(
        &self,
        actor: &Actor,
        class: ClassId,
        dilemma_ids: &[i64],
    ) -> Result<DilemmaSessionRecord, LessonError> {
        self.class(actor, class)?;
        require(actor, LessonAction::Teach)?;
        if dilemma_ids.is_empty() || dilemma_ids.len() > MAX_DILEMMAS_PER_SESSION {
            return Err(LessonError::DilemmaCount);
        }
        let usable = self.dilemma_bank(actor, BankLanguage::Dutch)?;
        let mut ids = Vec::new();
        for id in dilemma_ids {
            if !usable.iter().any(|d| d.id == *id) {
                return Err(LessonError::UnknownDilemma(*id));
            }
            if !ids.contains(id) {
                ids.push(*id);
            }
        }
        let now = self.now();
        // Ending expired sessions here keeps their device traces from outliving them even
        // when no background job runs.
        self.store().end_expired_dilemma_sessions(now)?;
        for _ in 0..8 {
            let record = DilemmaSessionRecord {
                id: 0,
                school_id: actor.school_id,
                class_id: class,
                created_by: actor.user_id,
                join_code: Some(new_join_code()?),
                dilemma_ids: ids.clone(),
                position: 0,
                phase: Phase::Voting,
                started_at: now,
                expires_at: now + SESSION_LIFETIME_SECONDS,
                ended_at: None,
            };
            match self.store().create_dilemma_session(&record) {
                Err(StoreError::Conflict(_)) => continue,
                other => return Ok(other?),
            }
        }
        Err(LessonError::Store(StoreError::Backend(
            "no free join code after 8 tries".into(),
        )))
    }

    /// A session the actor may see (through its class), ended by the clock when due.
    pub fn dilemma_session(
        &self,
        actor: &Actor,
        id: i64,
    ) -> Result<(DilemmaSessionRecord, ClassRecord), LessonError> {
        let mut session = self
            .store()
            .dilemma_session(actor.school_id, id)?
            .ok_or(AccessError::NotFound)?;
        let class = self.class(actor, session.class_id)?;
        if session.ended_at.is_none() && self.now() >= session.expires_at {
            self.store()
                .end_dilemma_session(actor.school_id, id, self.now())?;
            session.ended_at = Some(session.expires_at);
            session.join_code = None;
        }
        Ok((session, class))
    }

    fn teachable_session(
        &self,
        actor: &Actor,
        id: i64,
    ) -> Result<DilemmaSessionRecord, LessonError> {
        let (session, _) = self.dilemma_session(actor, id)?;
        require(actor, LessonAction::Teach)?;
        if !session.is_live(self.now()) {
            return Err(LessonError::Ended);
        }
        Ok(session)
    }

    pub fn dilemma_sessions_of_class(
        &self,
        actor: &Actor,
        class: ClassId,
    ) -> Result<Vec<DilemmaSessionRecord>, LessonError> {
        self.class(actor, class)?;
        Ok(self
            .store()
            .dilemma_sessions_of_class(actor.school_id, class)?)
    }

    /// The board's next step: voting -> results -> discussion -> the next dilemma's vote;
    /// after the last dilemma's discussion the session ends.
    pub fn step_dilemma_session(
        &self,
        actor: &Actor,
        id: i64,
    ) -> Result<DilemmaSessionRecord, LessonError> {
        let session = self.teachable_session(actor, id)?;
        match session.phase {
            Phase::Voting => self.set_phase(actor, &session, session.position, Phase::Results),
            Phase::Results => self.set_phase(actor, &session, session.position, Phase::Discussion),
            Phase::Discussion => self.advance_dilemma_session(actor, id),
        }
    }

    /// Shows the bars now (from voting), without moving on.
    pub fn reveal_dilemma_results(
        &self,
        actor: &Actor,
        id: i64,
    ) -> Result<DilemmaSessionRecord, LessonError> {
        let session = self.teachable_session(actor, id)?;
        let phase = match session.phase {
            Phase::Voting => Phase::Results,
            other => other,
        };
        self.set_phase(actor, &session, session.position, phase)
    }

    /// The next dilemma (its vote opens), whatever the phase; after the last one the
    /// session ends and only its totals stay.
    pub fn advance_dilemma_session(
        &self,
        actor: &Actor,
        id: i64,
    ) -> Result<DilemmaSessionRecord, LessonError> {
        let session = self.teachable_session(actor, id)?;
        let next = session.position + 1;
        if next >= session.dilemma_ids.len() {
            return self.end_session(actor, id);
        }
        self.set_phase(actor, &session, next, Phase::Voting)
    }

    /// Ends the session now.
    pub fn end_session(&self, actor: &Actor, id: i64) -> Result<DilemmaSessionRecord, LessonError> {
        let (session, _) = self.dilemma_session(actor, id)?;
        require(actor, LessonAction::Teach)?;
        if session.ended_at.is_none() {
            self.store()
                .end_dilemma_session(actor.school_id, id, self.now())?;
        }
        Ok(self.dilemma_session(actor, id)?.0)
    }

    fn set_phase(
        &self,
        actor: &Actor,
        session: &DilemmaSessionRecord,
        position: usize,
        phase: Phase,
    ) -> Result<DilemmaSessionRecord, LessonError> {
        if !self
            .store()
            .set_dilemma_position(actor.school_id, session.id, position, phase)?
        {
            return Err(LessonError::Ended);
        }
        Ok(self.dilemma_session(actor, session.id)?.0)
    }

    pub fn dilemma_results(
        &self,
        actor: &Actor,
        id: i64,
    ) -> Result<(DilemmaSessionRecord, Vec<Tally>), LessonError> {
        let (session, _) = self.dilemma_session(actor, id)?;
        let tallies = self.store().dilemma_tallies(actor.school_id, id)?;
        Ok((session, tallies))
    }

    pub fn dilemma_live_counts(&self, actor: &Actor, id: i64) -> Result<LiveCounts, LessonError> {
        let (session, _) = self.dilemma_session(actor, id)?;
        Ok(self
            .store()
            .dilemma_live_counts(actor.school_id, session.id)?)
    }

    // ---- pupils (a code, no account) ----

    /// The live session behind a code; `UnknownCode` for a wrong, ended or expired one.
    pub fn session_by_code(&self, code: &str) -> Result<DilemmaSessionRecord, LessonError> {
        let code = normalize_code(code).ok_or(LessonError::UnknownCode)?;
        let session = self
            .store()
            .dilemma_session_by_code(&code)?
            .ok_or(LessonError::UnknownCode)?;
        if !session.is_live(self.now()) {
            self.store()
                .end_dilemma_session(session.school_id, session.id, self.now())?;
            return Err(LessonError::UnknownCode);
        }
        Ok(session)
    }

    /// A pupil's device joins; `Full` past [`MAX_PARTICIPANTS`].
    pub fn join_session(
        &self,
        code: &str,
        device_cookie: &str,
    ) -> Result<DilemmaSessionRecord, LessonError> {
        let session = self.session_by_code(code)?;
        let hash = device_hash("session", session.id, device_cookie);
        if !self.store().join_dilemma_session(&session, &hash)? {
            return Err(LessonError::Full);
        }
        Ok(session)
    }

    /// Whether this device already voted on the session's current dilemma.
    pub fn device_has_voted(
        &self,
        session: &DilemmaSessionRecord,
        dilemma: i64,
        device_cookie: &str,
    ) -> Result<bool, LessonError> {
        let hash = device_hash("session", session.id, device_cookie);
        Ok(self.store().has_voted(session.id, dilemma, &hash)?)
    }

    /// A pupil's vote: the dilemma must be the one on the board, in its voting phase;
    /// `choice` counts from 1.
    pub fn vote(
        &self,
        code: &str,
        dilemma: i64,
        choice: i64,
        device_cookie: &str,
    ) -> Result<DilemmaSessionRecord, LessonError> {
        let session = self.session_by_code(code)?;
        if !session.dilemma_ids.contains(&dilemma) {
            return Err(LessonError::UnknownDilemma(dilemma));
        }
        if session.current_dilemma() != Some(dilemma) || session.phase != Phase::Voting {
            return Err(LessonError::NotVoting);
        }
        let choices = bank::choice_count(self, session.school_id, dilemma)?;
        if choice < 1 || choice > choices {
            return Err(LessonError::InvalidChoice);
        }
        let hash = device_hash("session", session.id, device_cookie);
        match self
            .store()
            .record_dilemma_vote(&session, dilemma, choice, &hash)?
        {
            VoteOutcome::Counted => Ok(session),
            VoteOutcome::AlreadyVoted => Err(LessonError::AlreadyVoted),
            VoteOutcome::Full => Err(LessonError::Full),
        }
    }

    /// A dilemma as a pupil sees it in a session (the school's language choice is the page's).
    pub fn session_dilemma(
        &self,
        session: &DilemmaSessionRecord,
        id: i64,
        language: BankLanguage,
    ) -> Result<Dilemma, LessonError> {
        all_dilemmas(self, session.school_id, language)?
            .into_iter()
            .find(|d| d.id == id)
            .ok_or(LessonError::UnknownDilemma(id))
    }

    /// Ends every session past its end time (run by the server now and then).
    pub fn end_expired_dilemma_sessions(&self) -> Result<u64, StoreError> {
        self.store().end_expired_dilemma_sessions(self.now())
    }

    // ---- class agreements ----

    /// Opens a round of class agreements with a code for the pupils' phones.
    pub fn open_agreement_round(
        &self,
        actor: &Actor,
        class: ClassId,
        votes_per_pupil: Option<i64>,
    ) -> Result<AgreementRoundRecord, LessonError> {
        self.class(actor, class)?;
        require(actor, LessonAction::Teach)?;
        let votes = votes_per_pupil
            .unwrap_or(DEFAULT_AGREEMENT_VOTES)
            .clamp(1, 10);
        let now = self.now();
        for _ in 0..8 {
            let record = AgreementRoundRecord {
                id: 0,
                school_id: actor.school_id,
                class_id: class,
                created_by: actor.user_id,
                join_code: Some(new_join_code()?),
                phase: RoundPhase::Proposing,
                votes_per_pupil: votes,
                opened_at: now,
                expires_at: now + ROUND_CODE_LIFETIME_SECONDS,
                settled_at: None,
                review_on: None,
            };
            // Codes are shared with dilemma sessions: one page takes both.
            if self
                .store()
                .dilemma_session_by_code(record.join_code.as_deref().unwrap_or(""))?
                .is_some()
            {
                continue;
            }
            match self.store().create_agreement_round(&record) {
                Err(StoreError::Conflict(_)) => continue,
                other => return Ok(other?),
            }
        }
        Err(LessonError::Store(StoreError::Backend(
            "no free join code after 8 tries".into(),
        )))
    }

    pub fn agreement_round(
        &self,
        actor: &Actor,
        id: i64,
    ) -> Result<(AgreementRoundRecord, ClassRecord, Vec<ProposalRecord>), LessonError> {
        let round = self
            .store()
            .agreement_round(actor.school_id, id)?
            .ok_or(AccessError::NotFound)?;
        let class = self.class(actor, round.class_id)?;
        let proposals = self.store().agreement_proposals(actor.school_id, id)?;
        Ok((round, class, proposals))
    }

    fn teachable_round(&self, actor: &Actor, id: i64) -> Result<AgreementRoundRecord, LessonError> {
        let (round, _, _) = self.agreement_round(actor, id)?;
        require(actor, LessonAction::Teach)?;
        Ok(round)
    }

    pub fn agreement_rounds_of_class(
        &self,
        actor: &Actor,
        class: ClassId,
    ) -> Result<Vec<AgreementRoundRecord>, LessonError> {
        self.class(actor, class)?;
        Ok(self
            .store()
            .agreement_rounds_of_class(actor.school_id, class)?)
    }

    /// The class's current agreements: the newest settled round and its chosen proposals.
    pub fn current_agreements(
        &self,
        actor: &Actor,
        class: ClassId,
    ) -> Result<Option<(AgreementRoundRecord, Vec<ProposalRecord>)>, LessonError> {
        let rounds = self.agreement_rounds_of_class(actor, class)?;
        let Some(round) = rounds.into_iter().find(|r| r.phase == RoundPhase::Settled) else {
            return Ok(None);
        };
        let chosen = self
            .store()
            .agreement_proposals(actor.school_id, round.id)?
            .into_iter()
            .filter(|p| p.chosen)
            .collect();
        Ok(Some((round, chosen)))
    }

    /// The teacher types a proposal in during the lesson (any phase but settled).
    pub fn add_teacher_proposal(
        &self,
        actor: &Actor,
        round: i64,
        text: &str,
    ) -> Result<i64, LessonError> {
        let round = self.teachable_round(actor, round)?;
        if round.phase == RoundPhase::Settled {
            return Err(LessonError::WrongPhase);
        }
        let text = clean("agreement", text, 200)?;
        match self.store().add_agreement_proposal(&round, &text, None)? {
            ProposalOutcome::Added(id) => Ok(id),
            ProposalOutcome::LimitReached => Err(LessonError::ProposalLimit),
        }
    }

    /// The teacher takes a proposal off (a duplicate, or one that names a pupil).
    pub fn remove_proposal(
        &self,
        actor: &Actor,
        round: i64,
        proposal: i64,
    ) -> Result<(), LessonError> {
        let round = self.teachable_round(actor, round)?;
        if round.phase == RoundPhase::Settled {
            return Err(LessonError::WrongPhase);
        }
        if self
            .store()
            .remove_agreement_proposal(actor.school_id, round.id, proposal)?
        {
            Ok(())
        } else {
            Err(AccessError::NotFound.into())
        }
    }

    /// Proposing -> voting.
    pub fn open_agreement_voting(
        &self,
        actor: &Actor,
        round: i64,
    ) -> Result<AgreementRoundRecord, LessonError> {
        let record = self.teachable_round(actor, round)?;
        if record.phase != RoundPhase::Proposing {
            return Err(LessonError::WrongPhase);
        }
        self.store()
            .set_round_phase(actor.school_id, round, RoundPhase::Voting)?;
        Ok(self.agreement_round(actor, round)?.0)
    }

    /// The teacher settles the final list (at least one proposal) and the date to discuss it
    /// again (six weeks on when not given).
    pub fn settle_agreements(
        &self,
        actor: &Actor,
        round: i64,
        chosen: &[i64],
        review_on: Option<&str>,
    ) -> Result<AgreementRoundRecord, LessonError> {
        let (record, _, proposals) = self.agreement_round(actor, round)?;
        require(actor, LessonAction::Teach)?;
        if record.phase == RoundPhase::Settled {
            return Err(LessonError::WrongPhase);
        }
        let chosen: Vec<i64> = chosen
            .iter()
            .copied()
            .filter(|id| proposals.iter().any(|p| p.id == *id))
            .collect();
        if chosen.is_empty() {
            return Err(LessonError::EmptyList);
        }
        let review = parse_review_date(review_on, self.now())?;
        self.store()
            .settle_agreement_round(actor.school_id, round, &chosen, review, self.now())?;
        self.schedule_review_reminder(actor.school_id, round, review)?;
        Ok(self.agreement_round(actor, round)?.0)
    }

    /// After discussing the agreements again: the next date.
    pub fn set_agreement_review(
        &self,
        actor: &Actor,
        round: i64,
        review_on: Option<&str>,
    ) -> Result<AgreementRoundRecord, LessonError> {
        let record = self.teachable_round(actor, round)?;
        if record.phase != RoundPhase::Settled {
            return Err(LessonError::WrongPhase);
        }
        let review = parse_review_date(review_on, self.now())?;
        self.store()
            .set_agreement_review(actor.school_id, round, review)?;
        self.schedule_review_reminder(actor.school_id, round, review)?;
        Ok(self.agreement_round(actor, round)?.0)
    }

    /// The reminder to discuss a settled list again, on its date at
    /// [`crate::cases::REMINDER_HOUR`]. Once per round and date: settling or saving the same
    /// date again adds nothing; a new date gets its own reminder and the old one sends
    /// nothing (the job checks the date still holds).
    fn schedule_review_reminder(
        &self,
        school: SchoolId,
        round: i64,
        due: Date,
    ) -> Result<(), StoreError> {
        let payload = serde_json::json!({"round_id": round, "due": due.to_string()});
        self.schedule_job(&crate::jobs::NewJob {
            school_id: Some(school),
            kind: REVIEW_REMINDER_JOB.into(),
            dedupe_key: format!("{REVIEW_REMINDER_JOB}:{round}:{due}"),
            payload: payload.to_string(),
            due_at: due.amsterdam_time(crate::cases::REMINDER_HOUR, 0),
        })
        .map(|_| ())
    }

    /// Settled lists of the actor's classes to discuss again within `days` (or overdue).
    pub fn agreement_reviews_due(
        &self,
        actor: &Actor,
        days: i64,
    ) -> Result<Vec<ReviewDue>, LessonError> {
        let until = seconds_to_date(self.now() + days * 86_400);
        let visible: Vec<ClassId> = self.classes(actor)?.into_iter().map(|c| c.id).collect();
        Ok(self
            .store()
            .agreement_reviews_due(actor.school_id, until)?
            .into_iter()
            .filter(|r| visible.contains(&r.class_id))
            .collect())
    }

    /// The open round behind a code.
    pub fn round_by_code(&self, code: &str) -> Result<AgreementRoundRecord, LessonError> {
        let code = normalize_code(code).ok_or(LessonError::UnknownCode)?;
        let round = self
            .store()
            .agreement_round_by_code(&code)?
            .ok_or(LessonError::UnknownCode)?;
        if !round.code_works(self.now()) {
            return Err(LessonError::UnknownCode);
        }
        Ok(round)
    }

    /// The proposals pupils vote on, without vote counts (pupils see no tallies).
    pub fn round_proposals_for_pupils(
        &self,
        round: &AgreementRoundRecord,
    ) -> Result<Vec<ProposalRecord>, LessonError> {
        let mut proposals = self
            .store()
            .agreement_proposals(round.school_id, round.id)?;
        proposals.sort_by_key(|p| p.id);
        for p in &mut proposals {
            p.votes = 0;
        }
        Ok(proposals)
    }

    pub fn propose_agreement(
        &self,
        code: &str,
        text: &str,
        device_cookie: &str,
    ) -> Result<i64, LessonError> {
        let round = self.round_by_code(code)?;
        if round.phase != RoundPhase::Proposing {
            return Err(LessonError::WrongPhase);
        }
        let text = clean("agreement", text, 200)?;
        let hash = device_hash("round", round.id, device_cookie);
        match self
            .store()
            .add_agreement_proposal(&round, &text, Some(&hash))?
        {
            ProposalOutcome::Added(id) => Ok(id),
            ProposalOutcome::LimitReached => Err(LessonError::ProposalLimit),
        }
    }

    pub fn cast_ballot(
        &self,
        code: &str,
        proposals: &[i64],
        device_cookie: &str,
    ) -> Result<(), LessonError> {
        let round = self.round_by_code(code)?;
        if round.phase != RoundPhase::Voting {
            return Err(LessonError::WrongPhase);
        }
        let mut picked: Vec<i64> = proposals.to_vec();
        picked.sort_unstable();
        picked.dedup();
        if picked.is_empty() {
            return Err(LessonError::EmptyList);
        }
        if i64::try_from(picked.len()).unwrap_or(i64::MAX) > round.votes_per_pupil {
            return Err(LessonError::TooManyVotes(round.votes_per_pupil));
        }
        let hash = device_hash("round", round.id, device_cookie);
        match self.store().cast_agreement_ballot(&round, &picked, &hash)? {
            BallotOutcome::Counted => Ok(()),
            BallotOutcome::AlreadyVoted => Err(LessonError::AlreadyVoted),
        }
    }

    pub fn device_cast_ballot(
        &self,
        round: &AgreementRoundRecord,
        device_cookie: &str,
    ) -> Result<bool, LessonError> {
        let hash = device_hash("round", round.id, device_cookie);
        Ok(self.store().has_cast_ballot(round.id, &hash)?)
    }
}

/// The job that reminds the class's teachers, on the date the class agreed, to discuss its
/// agreements again.
pub const REVIEW_REMINDER_JOB: &str = "lessons-review-reminder";

/// The review reminder job: one mail to each teacher of the class (the round's maker when
/// the class has none), with the class's name and a link, never a pupil's name or an
/// agreement's text. Nothing is sent when the list got another date meanwhile.
pub(crate) fn run_review_reminder(
    context: &crate::jobs::JobContext<'_>,
    job: &crate::jobs::JobRecord,
) -> Result<(), crate::jobs::JobError> {
    use crate::jobs::JobError;
    let value: serde_json::Value = serde_json::from_str(&job.payload)
        .map_err(|_| JobError::Fail("review reminder payload is not JSON".into()))?;
    let (Some(school), Some(round), Some(due)) = (
        job.school_id,
        value.get("round_id").and_then(serde_json::Value::as_i64),
        value
            .get("due")
            .and_then(|v| v.as_str())
            .and_then(|d| Date::parse(d).ok()),
    ) else {
        return Err(JobError::Fail("review reminder payload incomplete".into()));
    };
    let store = context.platform.store();
    let Some(record) = store.agreement_round(school, round)? else {
        return Ok(());
    };
    if record.phase != RoundPhase::Settled || record.review_on != Some(due) {
        return Ok(());
    }
    let Some(class) = store.class(school, record.class_id)? else {
        return Ok(());
    };
    if class.archived_on.is_some() {
        return Ok(());
    }
    let mut to = store.teachers_of_class(school, class.id)?;
    if to.is_empty() {
        to.extend(store.user(school, record.created_by)?);
    }
    let link = format!(
        "{}/lessons/agreements/{round}",
        context.public_url.trim_end_matches('/')
    );
    let subject = format!(
        "erbij: klassenafspraken {class} opnieuw bespreken / discuss class agreements {class} again",
        class = class.name
    );
    for teacher in to {
        let body = format!(
            "Beste {name},\n\n\
             Vandaag ({date}) bespreekt klas {class} de klassenafspraken over online gedrag \
             opnieuw, zoals de klas heeft afgesproken. Hier staan de afspraken en de poster; \
             kies na het gesprek de volgende datum:\n\n{link}\n\n\
             Je krijgt deze herinnering één keer.\n\n\
             --\n\
             Today ({date}) class {class} is due to discuss its class agreements about online \
             behaviour again, as the class agreed. The agreements and the poster are here; \
             after the talk, pick the next date:\n\n{link}\n\n\
             You get this reminder once.\n",
            name = teacher.name,
            date = due.dutch(),
            class = class.name,
        );
        context.platform.queue_mail(
            Some(school),
            &format!("{REVIEW_REMINDER_JOB}:{round}:{due}:{}", teacher.id.0),
            &teacher.email,
            &subject,
            &body,
        )?;
    }
    Ok(())
}

fn parse_review_date(raw: Option<&str>, now: Timestamp) -> Result<Date, LessonError> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        Some(text) => Date::parse(text).map_err(|e| LessonError::InvalidDate(e.0)),
        None => Ok(seconds_to_date(now + 42 * 86_400)),
    }
}

/// Adds this capability's fictional data to the demo school (idempotent: `--demo` reloads
/// an existing demo school): one finished dilemma session and one settled list of
/// agreements in 2B, made once.
pub(crate) fn seed_demo(
    platform: &crate::Platform,
    school: &crate::SchoolRecord,
) -> Result<(), crate::SetupError> {
    let store = platform.store();
    let Some(class) = store
        .classes(school.id)?
        .into_iter()
        .find(|c| c.name == "2B")
    else {
        return Ok(());
    };
    let Some(mentor) = store
        .teachers_of_class(school.id, class.id)?
        .into_iter()
        .find(|u| u.role == Role::Teacher)
    else {
        return Ok(());
    };
    let actor = Actor {
        user_id: mentor.id,
        school_id: school.id,
        role: mentor.role,
    };
    let to_setup = |e: LessonError| crate::SetupError::Store(StoreError::Backend(e.to_string()));
    if store
        .dilemma_sessions_of_class(school.id, class.id)?
        .is_empty()
    {
        // 27 pupils, 26 present; the splits are what a real 2B might vote.
        let plan: [(i64, &[i64]); 3] = [(1, &[4, 17, 5]), (2, &[3, 9, 14]), (5, &[11, 12, 3])];
        let ids: Vec<i64> = plan.iter().map(|(id, _)| *id).collect();
        let session = platform
            .start_dilemma_session(&actor, class.id, &ids)
            .map_err(to_setup)?;
        let code = session.join_code.clone().unwrap_or_default();
        for (index, (dilemma, splits)) in plan.iter().enumerate() {
            let mut device = 0;
            for (choice, count) in splits.iter().enumerate() {
                for _ in 0..*count {
                    device += 1;
                    platform
                        .vote(
                            &code,
                            *dilemma,
                            i64::try_from(choice).unwrap_or(0) + 1,
                            &format!("demo-device-{device}"),
                        )
                        .map_err(to_setup)?;
                }
            }
            if index + 1 < plan.len() {
                platform
                    .advance_dilemma_session(&actor, session.id)
                    .map_err(to_setup)?;
            }
        }
        platform.end_session(&actor, session.id).map_err(to_setup)?;
    }
    if store
        .agreement_rounds_of_class(school.id, class.id)?
        .is_empty()
    {
        let round = platform
            .open_agreement_round(&actor, class.id, Some(3))
            .map_err(to_setup)?;
        let code = round.join_code.clone().unwrap_or_default();
        let proposals = [
            "We maken geen groep met de hele klas min één.",
            "Wie iemand uit de klassenapp haalt, zegt in de groep waarom.",
            "We sturen geen screenshots door van berichten van een ander.",
            "We praten in de groep niet over iemand die er niet in zit.",
            "Als iemand genegeerd wordt, reageren we wél.",
            "Na 21.00 uur geen berichten in de klassenapp.",
            "Foto's van anderen alleen met toestemming.",
            "Ruzie los je niet op in de groep maar face to face.",
        ];
        let mut ids = Vec::new();
        for (i, text) in proposals.iter().enumerate() {
            ids.push(
                platform
                    .propose_agreement(&code, text, &format!("demo-pupil-{}", i % 6))
                    .map_err(to_setup)?,
            );
        }
        platform
            .open_agreement_voting(&actor, round.id)
            .map_err(to_setup)?;
        // Ballots of 25 pupils, three votes each, leaning to the first five.
        for pupil in 0..25usize {
            let picks: Vec<i64> = (0..3)
                .map(|k| {
                    ids[(pupil * 3 + k * (1 + pupil % 4)) % if pupil % 3 == 0 { 8 } else { 5 }]
                })
                .collect();
            let _ = platform.cast_ballot(&code, &picks, &format!("demo-ballot-{pupil}"));
        }
        let (_, _, ranked) = platform
            .agreement_round(&actor, round.id)
            .map_err(to_setup)?;
        let chosen: Vec<i64> = ranked.iter().take(5).map(|p| p.id).collect();
        let review = seconds_to_date(platform.now() + 35 * 86_400).to_string();
        platform
            .settle_agreements(&actor, round.id, &chosen, Some(&review))
            .map_err(to_setup)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_access_rule_as_a_table() {
        use LessonAction::*;
        // role:                       view   teach  curate
        let table = [
            (Role::Administrator, [true, false, false]),
            (Role::Coordinator, [true, true, true]),
            (Role::ConfidentialAdviser, [true, false, false]),
            (Role::CareCoordinator, [true, false, false]),
            (Role::Teacher, [true, true, false]),
        ];
        for (role, expected) in table {
            for (action, allowed) in [View, Teach, Curate].into_iter().zip(expected) {
                assert_eq!(may(role, action), allowed, "{role:?} {action:?}");
            }
        }
    }

    #[test]
    fn codes_are_six_unambiguous_characters_and_typing_is_forgiven() {
        for _ in 0..200 {
            let code = new_join_code().unwrap_or_default();
            assert_eq!(code.len(), JOIN_CODE_LENGTH);
            assert!(
                code.bytes().all(|b| JOIN_CODE_ALPHABET.contains(&b)),
                "{code}"
            );
            assert_eq!(normalize_code(&code).as_deref(), Some(code.as_str()));
        }
        assert_eq!(normalize_code("k7p 4qx").as_deref(), Some("K7P4QX"));
        assert_eq!(normalize_code("K7P-4QX").as_deref(), Some("K7P4QX"));
        assert_eq!(normalize_code("K0P4QX"), None, "0 is not in the alphabet");
        assert_eq!(normalize_code("K7P4Q"), None);
    }

    #[test]
    fn a_device_leaves_unrelated_traces_in_two_sessions() {
        let a = device_hash("session", 1, "cookie");
        let b = device_hash("session", 2, "cookie");
        assert_ne!(a, b);
        assert_eq!(a.len(), 64);
        assert!(!a.contains("cookie"));
    }

    #[test]
    fn a_typed_dilemma_needs_two_to_four_choices_and_a_question() {
        let ok = NewDilemma::parse("T", "S", &["a", "b", ""], &["q"], vec![]);
        assert!(ok.is_ok());
        assert_eq!(
            NewDilemma::parse("T", "S", &["a"], &["q"], vec![]).err(),
            Some(LessonError::ChoiceCount)
        );
        assert_eq!(
            NewDilemma::parse("T", "S", &["a", "b"], &[""], vec![]).err(),
            Some(LessonError::QuestionCount)
        );
    }
}
