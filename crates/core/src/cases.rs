//! The case file (pestdossier): people involved, steps, agreements and their checks, closing rules, parents' letters, reminders.
//!
//! The use cases of this capability (as `impl Platform` blocks) and its access rules live
//! here; storage comes in through [`CaseStore`], which `erbij-store` implements.
//!
//! - **Who sees a case** ([`case_right`]): the owner and the teachers they add; the
//!   coordinator, the confidential adviser and the care coordinator of the school. Not
//!   other teachers and not the administrator (who manages accounts, not pupils' cases):
//!   for them a case does not exist (`NotFound`). Every opening of a case is recorded.
//! - **How a case closes** ([`hold_of`]): not as "solved" while an agreement has no check on
//!   or after its check date, or its last check was not "kept"; a check that was not kept
//!   moves the check date to the new date it sets.

pub mod letters;

use std::fmt;

use crate::jobs::{JobContext, JobError, JobRecord, NewJob};
use crate::platform::AccessError;
use crate::store::{PupilRecord, StoreError, UserRecord};
use crate::{Actor, Date, Email, Platform, PupilId, Role, SchoolId, Timestamp, UserId};

macro_rules! id_type {
    ($name:ident, $what:literal) => {
        #[doc = concat!("The database id of a ", $what, ".")]
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(pub i64);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

id_type!(CaseId, "case");
id_type!(AgreementId, "agreement");

macro_rules! word_enum {
    ($(#[$doc:meta])* $name:ident { $($variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            /// The contract name (API, database).
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
            pub fn parse(raw: &str) -> Option<$name> {
                let wanted = raw.trim();
                $name::ALL.iter().copied().find(|v| v.as_str() == wanted)
            }
        }
    };
}

word_enum!(
    /// Where a case came from; linked and shown on the case.
    Origin { Signal = "signal", Survey = "survey", Report = "report", Chat = "chat", Other = "other" }
);
word_enum!(
    /// A pupil's part in the case.
    PersonRole { Excluded = "excluded", Excluding = "excluding", Bystander = "bystander" }
);
word_enum!(
    /// The article's steps.
    StepKind {
        ClassConversation = "class_conversation",
        PupilConversation = "pupil_conversation",
        ParentsInformed = "parents_informed",
        Referral = "referral",
        Note = "note",
    }
);
word_enum!(
    /// How an agreement was kept, at a check.
    CheckOutcome { Kept = "kept", NotKept = "not_kept", Partly = "partly" }
);
word_enum!(
    /// How a case ended.
    CloseOutcome { Solved = "solved", HandedOver = "handed_over", Other = "other" }
);
word_enum!(
    /// Where a case stands.
    CaseStatus { Open = "open", WaitingForCheck = "waiting_for_check", Closed = "closed" }
);

/// The job kind that reminds a case's owner of a check date.
pub const CHECK_REMINDER_JOB: &str = "case-check-reminder";
/// Reminders go out at this hour (Netherlands time) on the check date.
pub const REMINDER_HOUR: u8 = 7;
/// Notes and summaries are short: a case file is not a diary.
pub const MAX_TEXT: usize = 4000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Closing {
    pub outcome: CloseOutcome,
    pub note: String,
    pub closed_on: Date,
    pub closed_by: UserId,
    pub closed_at: Timestamp,
}

/// A case as stored.
#[derive(Clone, PartialEq, Eq)]
pub struct CaseRecord {
    pub id: CaseId,
    pub school_id: SchoolId,
    /// The pupil who is left out.
    pub pupil_id: PupilId,
    pub owner_id: UserId,
    pub opened_by: UserId,
    pub origin: Origin,
    /// The signal, survey flag, report or finding the case was opened from.
    pub origin_ref: Option<i64>,
    pub summary: String,
    pub opened_at: Timestamp,
    pub opened_on: Date,
    pub closing: Option<Closing>,
}

impl fmt::Debug for CaseRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CaseRecord")
            .field("id", &self.id)
            .field("school_id", &self.school_id)
            .field("origin", &self.origin)
            .field("closed", &self.closing.is_some())
            .finish_non_exhaustive()
    }
}

/// A person involved: a pupil of the school, or someone outside it by a free-text name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CasePerson {
    pub id: i64,
    pub pupil_id: Option<PupilId>,
    pub outside_name: Option<String>,
    pub role: PersonRole,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepRecord {
    pub id: i64,
    pub case_id: CaseId,
    pub kind: StepKind,
    pub on: Date,
    pub user_id: UserId,
    pub pupil_ids: Vec<PupilId>,
    pub note: String,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgreementRecord {
    pub id: AgreementId,
    pub case_id: CaseId,
    pub text: String,
    pub pupil_ids: Vec<PupilId>,
    /// The first check date.
    pub check_on: Date,
    pub created_by: UserId,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckRecord {
    pub id: i64,
    pub agreement_id: AgreementId,
    pub on: Date,
    pub outcome: CheckOutcome,
    pub note: String,
    pub next_check_on: Option<Date>,
    pub user_id: UserId,
    pub created_at: Timestamp,
}

/// One opening of a case page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseView {
    pub user_id: UserId,
    pub at: Timestamp,
}

/// Why an agreement keeps a case from closing as solved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hold {
    /// No check on or after the check date yet.
    NotChecked { due: Date },
    /// The last check found it not (fully) kept; the next check is due on `due`.
    NotKept { outcome: CheckOutcome, due: Date },
}

impl Hold {
    /// The date of the check still to do.
    pub fn due(self) -> Date {
        match self {
            Hold::NotChecked { due } | Hold::NotKept { due, .. } => due,
        }
    }
}

/// The closing rule for one agreement: `None` when its checks let the case close as solved.
///
/// Checks are taken in date order. A check that was not kept (or partly) holds the case
/// and moves the check date to its `next_check_on`; a kept check counts only on or after
/// the check date in force; a check before that date does not count.
pub fn hold_of(agreement: &AgreementRecord, checks: &[CheckRecord]) -> Option<Hold> {
    let mut mine: Vec<&CheckRecord> = checks
        .iter()
        .filter(|c| c.agreement_id == agreement.id)
        .collect();
    mine.sort_by_key(|c| (c.on, c.id));
    let mut due = agreement.check_on;
    let mut hold = Some(Hold::NotChecked { due });
    for check in mine {
        match check.outcome {
            CheckOutcome::Kept if check.on >= due => hold = None,
            // Early: does not count, and does not undo a later finding.
            CheckOutcome::Kept => {}
            outcome => {
                if let Some(next) = check.next_check_on {
                    due = due.max(next);
                }
                hold = Some(Hold::NotKept { outcome, due });
            }
        }
    }
    hold
}

/// What an actor may do with a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum CaseRight {
    /// Read the case and work in it: steps, agreements, checks, people, letters.
    Work,
    /// Also add teachers and close the case (the owner and the school's care roles).
    Manage,
    /// Also see who opened the case when (the coordinator).
    Oversee,
}

/// The access policy for cases, written once: `None` means the case does not exist for
/// this actor (404). `is_member` is whether the owner added the actor to the case.
pub fn case_right(actor: &Actor, case: &CaseRecord, is_member: bool) -> Option<CaseRight> {
    if actor.school_id != case.school_id {
        return None;
    }
    match actor.role {
        Role::Administrator => None,
        Role::Coordinator => Some(CaseRight::Oversee),
        Role::ConfidentialAdviser | Role::CareCoordinator => Some(CaseRight::Manage),
        Role::Teacher if case.owner_id == actor.user_id => Some(CaseRight::Manage),
        Role::Teacher if is_member => Some(CaseRight::Work),
        Role::Teacher => None,
    }
}

/// A refusal from a case use case.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CaseError {
    #[error(transparent)]
    Access(#[from] AccessError),
    /// Input refused; the message key (in `cases.ftl`) says why and what to do.
    #[error("invalid input: {0}")]
    Invalid(&'static str),
    /// The case cannot close as solved: these agreements hold it open.
    #[error("agreements hold the case open")]
    HeldOpen(Vec<(AgreementRecord, Hold)>),
}

impl From<StoreError> for CaseError {
    fn from(err: StoreError) -> Self {
        CaseError::Access(AccessError::from(err))
    }
}

/// A new case as typed in a form or sent to the API.
#[derive(Debug, Clone)]
pub struct NewCase {
    pub pupil_id: PupilId,
    pub origin: Origin,
    pub origin_ref: Option<i64>,
    pub summary: String,
    /// Defaults to the actor when a teacher opens it, else the pupil's mentor.
    pub owner_id: Option<UserId>,
}

#[derive(Debug, Clone)]
pub struct NewStep {
    pub kind: StepKind,
    pub on: Date,
    pub pupil_ids: Vec<PupilId>,
    pub note: String,
}

#[derive(Debug, Clone)]
pub struct NewCheck {
    pub on: Date,
    pub outcome: CheckOutcome,
    pub note: String,
    pub next_check_on: Option<Date>,
}

/// One agreement with its checks and what it still needs.
#[derive(Debug, Clone)]
pub struct AgreementState {
    pub agreement: AgreementRecord,
    pub checks: Vec<CheckRecord>,
    pub hold: Option<Hold>,
}

/// A person involved, with the pupil's record when it is a pupil.
#[derive(Debug, Clone)]
pub struct PersonEntry {
    pub person: CasePerson,
    pub pupil: Option<PupilRecord>,
}

/// Everything a case page shows.
#[derive(Debug, Clone)]
pub struct CaseFile {
    pub case: CaseRecord,
    pub right: CaseRight,
    pub status: CaseStatus,
    pub pupil: PupilRecord,
    pub class_name: String,
    pub owner: Option<UserRecord>,
    pub members: Vec<UserRecord>,
    pub people: Vec<PersonEntry>,
    pub steps: Vec<StepRecord>,
    pub agreements: Vec<AgreementState>,
    /// Every pupil named anywhere in the case, by id (names for steps and agreements).
    pub pupils: Vec<PupilRecord>,
    /// Who opened the case page when: only for the coordinator.
    pub views: Option<Vec<(CaseView, String)>>,
}

impl CaseFile {
    pub fn holds(&self) -> Vec<(AgreementRecord, Hold)> {
        self.agreements
            .iter()
            .filter_map(|a| a.hold.map(|h| (a.agreement.clone(), h)))
            .collect()
    }
    pub fn pupil_name(&self, id: PupilId) -> String {
        self.pupils
            .iter()
            .find(|p| p.id == id)
            .map(PupilRecord::full_name)
            .unwrap_or_default()
    }
}

/// A case in a list.
#[derive(Debug, Clone)]
pub struct CaseSummary {
    pub case: CaseRecord,
    pub status: CaseStatus,
    pub pupil: Option<PupilRecord>,
    /// The earliest check still to do.
    pub next_check: Option<Date>,
}

/// A check due today or earlier, for the owner's start page.
#[derive(Debug, Clone)]
pub struct DueCheck {
    pub case_id: CaseId,
    pub agreement: AgreementRecord,
    pub due: Date,
    pub pupil: Option<PupilRecord>,
}

/// Storage for this capability. Every method that touches a school's data takes the
/// `SchoolId` and implementations filter on it in the query itself.
pub trait CaseStore: Send + Sync {
    fn create_case(&self, case: &CaseRecord) -> Result<CaseId, StoreError>;
    fn case(&self, school: SchoolId, id: CaseId) -> Result<Option<CaseRecord>, StoreError>;
    /// Every case of the school, newest first.
    fn cases(&self, school: SchoolId) -> Result<Vec<CaseRecord>, StoreError>;
    /// The cases a user owns or was added to, newest first.
    fn cases_of_user(&self, school: SchoolId, user: UserId) -> Result<Vec<CaseRecord>, StoreError>;
    /// Cases not closed, of any pupil (for the early-warning list).
    fn open_cases(&self, school: SchoolId) -> Result<Vec<CaseRecord>, StoreError>;
    fn close_case(
        &self,
        school: SchoolId,
        id: CaseId,
        closing: &Closing,
    ) -> Result<bool, StoreError>;

    fn add_case_member(
        &self,
        school: SchoolId,
        case: CaseId,
        user: UserId,
        at: Timestamp,
    ) -> Result<(), StoreError>;
    fn case_members(&self, school: SchoolId, case: CaseId) -> Result<Vec<UserId>, StoreError>;

    fn add_case_person(
        &self,
        school: SchoolId,
        case: CaseId,
        person: &CasePerson,
    ) -> Result<i64, StoreError>;
    fn case_people(&self, school: SchoolId, case: CaseId) -> Result<Vec<CasePerson>, StoreError>;

    fn add_step(&self, school: SchoolId, step: &StepRecord) -> Result<i64, StoreError>;
    fn steps(&self, school: SchoolId, case: CaseId) -> Result<Vec<StepRecord>, StoreError>;

    fn add_agreement(
        &self,
        school: SchoolId,
        agreement: &AgreementRecord,
    ) -> Result<AgreementId, StoreError>;
    fn agreement(
        &self,
        school: SchoolId,
        id: AgreementId,
    ) -> Result<Option<AgreementRecord>, StoreError>;
    fn agreements(
        &self,
        school: SchoolId,
        case: CaseId,
    ) -> Result<Vec<AgreementRecord>, StoreError>;
    fn add_check(&self, school: SchoolId, check: &CheckRecord) -> Result<i64, StoreError>;
    /// Every check of the case's agreements.
    fn checks(&self, school: SchoolId, case: CaseId) -> Result<Vec<CheckRecord>, StoreError>;

    fn record_case_view(
        &self,
        school: SchoolId,
        case: CaseId,
        user: UserId,
        at: Timestamp,
    ) -> Result<(), StoreError>;
    /// Newest first.
    fn case_views(&self, school: SchoolId, case: CaseId) -> Result<Vec<CaseView>, StoreError>;

    /// A pupil's birth date (optional: the pupil administration may not give it).
    fn pupil_birth_date(
        &self,
        school: SchoolId,
        pupil: PupilId,
    ) -> Result<Option<Date>, StoreError>;
    fn set_pupil_birth_date(
        &self,
        school: SchoolId,
        pupil: PupilId,
        birth_date: Option<Date>,
    ) -> Result<bool, StoreError>;
    /// The parents' e-mail addresses of a pupil.
    fn parent_emails(&self, school: SchoolId, pupil: PupilId) -> Result<Vec<Email>, StoreError>;
    /// Replaces the parents' addresses of a pupil.
    fn set_parent_emails(
        &self,
        school: SchoolId,
        pupil: PupilId,
        emails: &[Email],
    ) -> Result<bool, StoreError>;

    /// The school's own text of a letter template, if it changed the default.
    fn letter_template(
        &self,
        school: SchoolId,
        kind: &str,
        lang: &str,
    ) -> Result<Option<(String, String)>, StoreError>;
    fn set_letter_template(
        &self,
        school: SchoolId,
        kind: &str,
        lang: &str,
        subject: &str,
        body: &str,
    ) -> Result<(), StoreError>;

    /// The mentor's conversations with pupils about informing their parents, per pupil.
    fn parent_talks(
        &self,
        school: SchoolId,
        case: CaseId,
    ) -> Result<Vec<letters::ParentTalk>, StoreError>;
    /// Stores a conversation, replacing an earlier one with the same pupil in the case.
    fn set_parent_talk(
        &self,
        school: SchoolId,
        talk: &letters::ParentTalk,
    ) -> Result<(), StoreError>;
    /// The school type (primary/secondary), which decides the parents' rules.
    fn set_school_kind(&self, school: SchoolId, kind: crate::SchoolKind) -> Result<(), StoreError>;
}

fn clean(
    raw: &str,
    max: usize,
    may_be_empty: bool,
    key: &'static str,
) -> Result<String, CaseError> {
    let text = raw.trim().replace("\r\n", "\n");
    if text.is_empty() && !may_be_empty {
        return Err(CaseError::Invalid(key));
    }
    if text.chars().count() > max {
        return Err(CaseError::Invalid("error-case-text-too-long"));
    }
    if text
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t')
    {
        return Err(CaseError::Invalid("error-field-control"));
    }
    Ok(text)
}

impl Platform {
    /// The case with the actor's right on it; `NotFound` when the actor may not see it.
    pub fn case_visible(
        &self,
        actor: &Actor,
        id: CaseId,
    ) -> Result<(CaseRecord, CaseRight), AccessError> {
        let case = self
            .store()
            .case(actor.school_id, id)?
            .ok_or(AccessError::NotFound)?;
        let is_member = actor.role == Role::Teacher
            && case.owner_id != actor.user_id
            && self
                .store()
                .case_members(actor.school_id, id)?
                .contains(&actor.user_id);
        let right = case_right(actor, &case, is_member).ok_or(AccessError::NotFound)?;
        Ok((case, right))
    }

    /// Records that the actor opened the case (page, API, print view, evidence).
    pub fn record_case_opened(&self, actor: &Actor, id: CaseId) -> Result<(), AccessError> {
        self.case_visible(actor, id)?;
        Ok(self
            .store()
            .record_case_view(actor.school_id, id, actor.user_id, self.now())?)
    }

    fn case_for_work(
        &self,
        actor: &Actor,
        id: CaseId,
        need: CaseRight,
    ) -> Result<CaseRecord, CaseError> {
        let (case, right) = self.case_visible(actor, id)?;
        if right < need {
            return Err(AccessError::Forbidden.into());
        }
        if case.closing.is_some() {
            return Err(CaseError::Invalid("error-case-closed"));
        }
        Ok(case)
    }

    fn school_pupil(&self, actor: &Actor, id: PupilId) -> Result<PupilRecord, CaseError> {
        self.store()
            .pupil(actor.school_id, id)?
            .ok_or(CaseError::Invalid("error-case-unknown-pupil"))
    }

    /// Opens a case for a pupil the actor can see. Teachers own the cases they open; when
    /// a care role opens one, the pupil's mentor owns it (or the opener when the class has
    /// no teacher).
    pub fn open_case(&self, actor: &Actor, new: NewCase) -> Result<CaseRecord, CaseError> {
        let pupil = self.pupil(actor, new.pupil_id)?;
        if actor.role == Role::Administrator {
            return Err(AccessError::Forbidden.into());
        }
        let summary = clean(&new.summary, MAX_TEXT, false, "error-case-summary-empty")?;
        let owner_id = match (actor.role, new.owner_id) {
            (Role::Teacher, _) => actor.user_id,
            (_, Some(owner)) => {
                let user = self
                    .store()
                    .user(actor.school_id, owner)?
                    .ok_or(CaseError::Invalid("error-case-unknown-user"))?;
                if user.role == Role::Administrator {
                    return Err(CaseError::Invalid("error-case-owner-role"));
                }
                user.id
            }
            (_, None) => self
                .store()
                .teachers_of_class(actor.school_id, pupil.class_id)?
                .into_iter()
                .find(|t| t.role == Role::Teacher)
                .map_or(actor.user_id, |t| t.id),
        };
        let now = self.now();
        let mut case = CaseRecord {
            id: CaseId(0),
            school_id: actor.school_id,
            pupil_id: pupil.id,
            owner_id,
            opened_by: actor.user_id,
            origin: new.origin,
            origin_ref: new.origin_ref,
            summary,
            opened_at: now,
            opened_on: self.today(),
            closing: None,
        };
        case.id = self.store().create_case(&case)?;
        self.store().add_case_person(
            actor.school_id,
            case.id,
            &CasePerson {
                id: 0,
                pupil_id: Some(pupil.id),
                outside_name: None,
                role: PersonRole::Excluded,
            },
        )?;
        Ok(case)
    }

    /// The cases the actor may see, newest first. The administrator sees none.
    pub fn cases(&self, actor: &Actor) -> Result<Vec<CaseSummary>, AccessError> {
        let records = match actor.role {
            Role::Administrator => Vec::new(),
            Role::Teacher => self.store().cases_of_user(actor.school_id, actor.user_id)?,
            _ => self.store().cases(actor.school_id)?,
        };
        let mut out = Vec::with_capacity(records.len());
        for case in records {
            let agreements = self.agreement_states(actor.school_id, case.id)?;
            let next_check = agreements
                .iter()
                .filter_map(|a| a.hold.map(Hold::due))
                .min();
            out.push(CaseSummary {
                status: status_of(&case, &agreements),
                pupil: self.store().pupil(actor.school_id, case.pupil_id)?,
                next_check,
                case,
            });
        }
        Ok(out)
    }

    fn agreement_states(
        &self,
        school: SchoolId,
        case: CaseId,
    ) -> Result<Vec<AgreementState>, StoreError> {
        let agreements = self.store().agreements(school, case)?;
        let checks = self.store().checks(school, case)?;
        Ok(agreements
            .into_iter()
            .map(|agreement| {
                let mut mine: Vec<CheckRecord> = checks
                    .iter()
                    .filter(|c| c.agreement_id == agreement.id)
                    .cloned()
                    .collect();
                mine.sort_by_key(|c| (c.on, c.id));
                let hold = hold_of(&agreement, &mine);
                AgreementState {
                    agreement,
                    checks: mine,
                    hold,
                }
            })
            .collect())
    }

    /// The whole case, as the page and `GET /api/v1/cases/{id}` show it. Records the opening.
    pub fn open_case_file(&self, actor: &Actor, id: CaseId) -> Result<CaseFile, AccessError> {
        let file = self.case_file(actor, id)?;
        self.store()
            .record_case_view(actor.school_id, id, actor.user_id, self.now())?;
        Ok(file)
    }

    /// The whole case without recording an opening (after a form, the page records it).
    pub fn case_file(&self, actor: &Actor, id: CaseId) -> Result<CaseFile, AccessError> {
        let (case, right) = self.case_visible(actor, id)?;
        let school = actor.school_id;
        let store = self.store();
        let pupil = store
            .pupil(school, case.pupil_id)?
            .ok_or(AccessError::NotFound)?;
        let class_name = store
            .class(school, pupil.class_id)?
            .map(|c| c.name)
            .unwrap_or_default();
        let people_records = store.case_people(school, id)?;
        let steps = store.steps(school, id)?;
        let agreements = self.agreement_states(school, id)?;
        let mut pupil_ids: Vec<PupilId> = vec![case.pupil_id];
        pupil_ids.extend(people_records.iter().filter_map(|p| p.pupil_id));
        pupil_ids.extend(steps.iter().flat_map(|s| s.pupil_ids.iter().copied()));
        pupil_ids.extend(
            agreements
                .iter()
                .flat_map(|a| a.agreement.pupil_ids.iter().copied()),
        );
        pupil_ids.sort();
        pupil_ids.dedup();
        let mut pupils = Vec::new();
        for pid in pupil_ids {
            if let Some(p) = store.pupil(school, pid)? {
                pupils.push(p);
            }
        }
        let people = people_records
            .into_iter()
            .map(|person| PersonEntry {
                pupil: person
                    .pupil_id
                    .and_then(|pid| pupils.iter().find(|p| p.id == pid).cloned()),
                person,
            })
            .collect();
        let mut members = Vec::new();
        for user in store.case_members(school, id)? {
            if let Some(u) = store.user(school, user)? {
                members.push(u);
            }
        }
        let views = if right == CaseRight::Oversee {
            let users = store.users(school)?;
            Some(
                store
                    .case_views(school, id)?
                    .into_iter()
                    .map(|v| {
                        let name = users
                            .iter()
                            .find(|u| u.id == v.user_id)
                            .map(|u| u.name.clone())
                            .unwrap_or_default();
                        (v, name)
                    })
                    .collect(),
            )
        } else {
            None
        };
        Ok(CaseFile {
            status: status_of(&case, &agreements),
            owner: store.user(school, case.owner_id)?,
            case,
            right,
            pupil,
            class_name,
            members,
            people,
            steps,
            agreements,
            pupils,
            views,
        })
    }

    /// Adds a pupil of the school (or an outside person by name) with their part.
    pub fn add_case_person(
        &self,
        actor: &Actor,
        case: CaseId,
        pupil: Option<PupilId>,
        outside_name: &str,
        role: PersonRole,
    ) -> Result<i64, CaseError> {
        self.case_for_work(actor, case, CaseRight::Work)?;
        let person = match pupil {
            Some(id) => {
                let pupil = self.school_pupil(actor, id)?;
                let existing = self.store().case_people(actor.school_id, case)?;
                if let Some(found) = existing
                    .iter()
                    .find(|p| p.pupil_id == Some(pupil.id) && p.role == role)
                {
                    return Ok(found.id);
                }
                CasePerson {
                    id: 0,
                    pupil_id: Some(pupil.id),
                    outside_name: None,
                    role,
                }
            }
            None => CasePerson {
                id: 0,
                pupil_id: None,
                outside_name: Some(clean(outside_name, 120, false, "error-case-person-empty")?),
                role,
            },
        };
        Ok(self
            .store()
            .add_case_person(actor.school_id, case, &person)?)
    }

    /// The owner (or a care role) adds a teacher of the school to the case.
    pub fn add_case_member(
        &self,
        actor: &Actor,
        case: CaseId,
        user: UserId,
    ) -> Result<(), CaseError> {
        self.case_for_work(actor, case, CaseRight::Manage)?;
        let user = self
            .store()
            .user(actor.school_id, user)?
            .ok_or(CaseError::Invalid("error-case-unknown-user"))?;
        if user.role != Role::Teacher {
            return Err(CaseError::Invalid("error-case-member-role"));
        }
        Ok(self
            .store()
            .add_case_member(actor.school_id, case, user.id, self.now())?)
    }

    fn case_pupils(&self, actor: &Actor, ids: &[PupilId]) -> Result<Vec<PupilId>, CaseError> {
        let mut out = Vec::new();
        for id in ids {
            let pupil = self.school_pupil(actor, *id)?;
            if !out.contains(&pupil.id) {
                out.push(pupil.id);
            }
        }
        Ok(out)
    }

    fn not_in_future(&self, date: Date) -> Result<Date, CaseError> {
        if date > self.today() {
            return Err(CaseError::Invalid("error-case-date-in-future"));
        }
        Ok(date)
    }

    /// Logs a step (a conversation, parents informed, a referral, a note).
    pub fn log_step(
        &self,
        actor: &Actor,
        case: CaseId,
        step: NewStep,
    ) -> Result<StepRecord, CaseError> {
        self.case_for_work(actor, case, CaseRight::Work)?;
        let mut record = StepRecord {
            id: 0,
            case_id: case,
            kind: step.kind,
            on: self.not_in_future(step.on)?,
            user_id: actor.user_id,
            pupil_ids: self.case_pupils(actor, &step.pupil_ids)?,
            note: clean(&step.note, MAX_TEXT, true, "error-case-note-empty")?,
            created_at: self.now(),
        };
        if matches!(step.kind, StepKind::Note | StepKind::Referral) && record.note.is_empty() {
            return Err(CaseError::Invalid("error-case-note-empty"));
        }
        record.id = self.store().add_step(actor.school_id, &record)?;
        Ok(record)
    }

    /// Records an agreement with its check date and schedules the owner's reminder.
    pub fn add_agreement(
        &self,
        actor: &Actor,
        case: CaseId,
        text: &str,
        pupil_ids: &[PupilId],
        check_on: Date,
    ) -> Result<AgreementRecord, CaseError> {
        let record = self.case_for_work(actor, case, CaseRight::Work)?;
        if check_on < record.opened_on {
            return Err(CaseError::Invalid("error-case-check-before-opening"));
        }
        let mut agreement = AgreementRecord {
            id: AgreementId(0),
            case_id: case,
            text: clean(text, MAX_TEXT, false, "error-case-agreement-empty")?,
            pupil_ids: self.case_pupils(actor, pupil_ids)?,
            check_on,
            created_by: actor.user_id,
            created_at: self.now(),
        };
        agreement.id = self.store().add_agreement(actor.school_id, &agreement)?;
        self.schedule_check_reminder(actor.school_id, agreement.id, check_on)?;
        Ok(agreement)
    }

    fn schedule_check_reminder(
        &self,
        school: SchoolId,
        agreement: AgreementId,
        due: Date,
    ) -> Result<(), StoreError> {
        let mut payload = serde_json::Map::new();
        payload.insert("agreement_id".into(), agreement.0.into());
        payload.insert("due".into(), due.to_string().into());
        self.schedule_job(&NewJob {
            school_id: Some(school),
            kind: CHECK_REMINDER_JOB.into(),
            dedupe_key: format!("{CHECK_REMINDER_JOB}:{agreement}:{due}"),
            payload: serde_json::Value::Object(payload).to_string(),
            due_at: due.amsterdam_time(REMINDER_HOUR, 0),
        })
        .map(|_| ())
    }

    /// Records a check of an agreement. "Not kept" needs a new check date, which gets its
    /// own reminder.
    pub fn check_agreement(
        &self,
        actor: &Actor,
        agreement: AgreementId,
        check: NewCheck,
    ) -> Result<(CaseId, CheckRecord), CaseError> {
        let found = self
            .store()
            .agreement(actor.school_id, agreement)?
            .ok_or(AccessError::NotFound)?;
        self.case_for_work(actor, found.case_id, CaseRight::Work)?;
        let on = self.not_in_future(check.on)?;
        if on < found.created_at_date() {
            return Err(CaseError::Invalid("error-case-check-before-agreement"));
        }
        let next = match (check.outcome, check.next_check_on) {
            (CheckOutcome::Kept, _) => None,
            (CheckOutcome::NotKept, None) => {
                return Err(CaseError::Invalid("error-case-next-check-needed"));
            }
            (_, Some(next)) if next <= on => {
                return Err(CaseError::Invalid("error-case-next-check-after"));
            }
            (_, next) => next,
        };
        let mut record = CheckRecord {
            id: 0,
            agreement_id: agreement,
            on,
            outcome: check.outcome,
            note: clean(&check.note, MAX_TEXT, true, "error-case-note-empty")?,
            next_check_on: next,
            user_id: actor.user_id,
            created_at: self.now(),
        };
        record.id = self.store().add_check(actor.school_id, &record)?;
        if let Some(next) = next {
            self.schedule_check_reminder(actor.school_id, agreement, next)?;
        }
        Ok((found.case_id, record))
    }

    /// Closes a case. As "solved" only when no agreement holds it open ([`hold_of`]);
    /// "other" needs a note.
    pub fn close_case(
        &self,
        actor: &Actor,
        case: CaseId,
        outcome: CloseOutcome,
        note: &str,
    ) -> Result<CaseRecord, CaseError> {
        let mut record = self.case_for_work(actor, case, CaseRight::Manage)?;
        let note = clean(
            note,
            MAX_TEXT,
            outcome != CloseOutcome::Other,
            "error-case-close-note",
        )?;
        if outcome == CloseOutcome::Solved {
            let holds: Vec<(AgreementRecord, Hold)> = self
                .agreement_states(actor.school_id, case)?
                .into_iter()
                .filter_map(|a| a.hold.map(|h| (a.agreement, h)))
                .collect();
            if !holds.is_empty() {
                return Err(CaseError::HeldOpen(holds));
            }
        }
        let closing = Closing {
            outcome,
            note,
            closed_on: self.today(),
            closed_by: actor.user_id,
            closed_at: self.now(),
        };
        self.store().close_case(actor.school_id, case, &closing)?;
        record.closing = Some(closing);
        Ok(record)
    }

    /// Checks due today or earlier in the actor's own cases ("Vandaag te checken").
    pub fn checks_due(&self, actor: &Actor) -> Result<Vec<DueCheck>, AccessError> {
        if actor.role == Role::Administrator {
            return Ok(Vec::new());
        }
        let today = self.today();
        let mut out = Vec::new();
        for case in self.store().cases_of_user(actor.school_id, actor.user_id)? {
            if case.owner_id != actor.user_id || case.closing.is_some() {
                continue;
            }
            let pupil = self.store().pupil(actor.school_id, case.pupil_id)?;
            for state in self.agreement_states(actor.school_id, case.id)? {
                if let Some(hold) = state.hold.filter(|h| h.due() <= today) {
                    out.push(DueCheck {
                        case_id: case.id,
                        agreement: state.agreement,
                        due: hold.due(),
                        pupil: pupil.clone(),
                    });
                }
            }
        }
        out.sort_by_key(|d| (d.due, d.case_id));
        Ok(out)
    }

    /// Pupils who have a case that is not closed: the early-warning list leaves them out.
    pub fn pupils_with_open_case(&self, actor: &Actor) -> Result<Vec<PupilId>, AccessError> {
        let mut ids: Vec<PupilId> = self
            .store()
            .open_cases(actor.school_id)?
            .into_iter()
            .map(|c| c.pupil_id)
            .collect();
        ids.sort();
        ids.dedup();
        Ok(ids)
    }

    /// The teachers of the school the owner may add to a case.
    pub fn case_member_candidates(
        &self,
        actor: &Actor,
        case: CaseId,
    ) -> Result<Vec<UserRecord>, AccessError> {
        let (record, _) = self.case_visible(actor, case)?;
        let members = self.store().case_members(actor.school_id, case)?;
        Ok(self
            .store()
            .users(actor.school_id)?
            .into_iter()
            .filter(|u| {
                u.role == Role::Teacher && u.id != record.owner_id && !members.contains(&u.id)
            })
            .collect())
    }

    /// The pupils of the school that can be named in a case, sorted by class and name.
    pub fn case_pupil_choices(
        &self,
        actor: &Actor,
        case: CaseId,
    ) -> Result<Vec<(String, PupilRecord)>, AccessError> {
        self.case_visible(actor, case)?;
        let mut out = Vec::new();
        for class in self.store().classes(actor.school_id)? {
            if class.archived_on.is_some() {
                continue;
            }
            for pupil in self.store().pupils_of_class(actor.school_id, class.id)? {
                if pupil.left_on.is_none() {
                    out.push((class.name.clone(), pupil));
                }
            }
        }
        Ok(out)
    }
}

/// Whether a pupil has a case that is not closed (the early-warning list leaves them out).
pub(crate) fn has_open_case(
    platform: &Platform,
    school: SchoolId,
    pupil: PupilId,
) -> Result<bool, StoreError> {
    Ok(platform
        .store()
        .open_cases(school)?
        .iter()
        .any(|c| c.pupil_id == pupil))
}

impl AgreementRecord {
    fn created_at_date(&self) -> Date {
        Date::in_amsterdam(self.created_at)
    }
}

fn status_of(case: &CaseRecord, agreements: &[AgreementState]) -> CaseStatus {
    if case.closing.is_some() {
        CaseStatus::Closed
    } else if agreements.iter().any(|a| a.hold.is_some()) {
        CaseStatus::WaitingForCheck
    } else {
        CaseStatus::Open
    }
}

/// The check reminder job: mails the owner once on the check date, with a link only (no
/// pupil name). Nothing is sent when the check was already done or the case closed.
pub(crate) fn run_check_reminder(
    context: &JobContext<'_>,
    job: &JobRecord,
) -> Result<(), JobError> {
    let value: serde_json::Value = serde_json::from_str(&job.payload)
        .map_err(|_| JobError::Fail("reminder payload is not JSON".into()))?;
    let (Some(school), Some(agreement), Some(due)) = (
        job.school_id,
        value
            .get("agreement_id")
            .and_then(serde_json::Value::as_i64),
        value
            .get("due")
            .and_then(|v| v.as_str())
            .and_then(|d| Date::parse(d).ok()),
    ) else {
        return Err(JobError::Fail("reminder payload incomplete".into()));
    };
    let store = context.platform.store();
    // The agreement (or the pupil, by retention) may be gone: nothing to remind of.
    let Some(agreement) = store.agreement(school, AgreementId(agreement))? else {
        return Ok(());
    };
    let Some(case) = store.case(school, agreement.case_id)? else {
        return Ok(());
    };
    if case.closing.is_some() {
        return Ok(());
    }
    let checks = store.checks(school, case.id)?;
    match hold_of(&agreement, &checks) {
        Some(hold) if hold.due() == due => {}
        _ => return Ok(()),
    }
    let Some(owner) = store.user(school, case.owner_id)? else {
        return Ok(());
    };
    let link = format!(
        "{}/cases/{}#agreement-{}",
        context.public_url.trim_end_matches('/'),
        case.id,
        agreement.id
    );
    let subject = "erbij: vandaag een afspraak checken / an agreement to check today";
    let body = format!(
        "Beste {name},\n\n\
         Vandaag ({date}) staat in een pestdossier de controle van een afspraak gepland. \
         Ga na of de afspraak is nagekomen en leg de uitkomst vast:\n\n{link}\n\n\
         Je krijgt deze herinnering één keer. Namen staan om privacyredenen niet in deze mail.\n\n\
         --\n\
         Today ({date}) an agreement in a case file is due to be checked. Check whether it was \
         kept and record the outcome:\n\n{link}\n\n\
         You get this reminder once. Names are left out of this mail for privacy.\n",
        name = owner.name,
        date = due.dutch(),
    );
    context.platform.queue_mail(
        Some(school),
        &format!("{CHECK_REMINDER_JOB}:{}:{due}", agreement.id),
        &owner.email,
        subject,
        &body,
    )?;
    Ok(())
}

/// Adds this capability's fictional data to the demo school (idempotent: `--demo` reloads
/// an existing demo school): a case in each state for the mentor of 2B, one of them with a
/// check due today (its reminder goes to the demo outbox).
pub(crate) fn seed_demo(
    platform: &crate::Platform,
    school: &crate::SchoolRecord,
) -> Result<(), crate::SetupError> {
    let store = platform.store();
    if !store.cases(school.id)?.is_empty() {
        return Ok(());
    }
    let users = store.users(school.id)?;
    let Some(mentor) = users
        .iter()
        .find(|u| u.email.as_str() == "mentor.2b@devaart.example")
    else {
        return Ok(());
    };
    let Some(class) = store
        .classes(school.id)?
        .into_iter()
        .find(|c| c.name == "2B")
    else {
        return Ok(());
    };
    let pupils = store.pupils_of_class(school.id, class.id)?;
    if pupils.len() < 8 {
        return Ok(());
    }
    let now = platform.now();
    let today = Date::in_amsterdam(now);
    let day = 86_400;
    let ago = |days: i64| (now - days * day, today.add_days(-days));
    // (pupil, excluding, days ago opened, summary, agreement, check date offset, checks, closing)
    type Plan<'a> = (
        usize,
        usize,
        i64,
        &'a str,
        Option<(&'a str, i64)>,
        &'a [(i64, CheckOutcome, Option<i64>)],
        Option<CloseOutcome>,
    );
    let plans: [Plan<'_>; 4] = [
        (
            0,
            1,
            3,
            "Al twee weken alleen in de pauze; anderen gebruiken een bijnaam. Nog niet met de klas besproken.",
            None,
            &[],
            None,
        ),
        (
            2,
            3,
            14,
            "Verwijderd uit de klassenapp 2B; er is een nieuwe groep 'Feestje zonder ...' aangemaakt.",
            Some((
                "Iedereen wordt weer toegevoegd aan de klassenapp en niemand wordt meer verwijderd zonder overleg met de mentor.",
                14,
            )),
            &[],
            None,
        ),
        (
            4,
            5,
            40,
            "Werd als laatste gekozen bij groepjes en genegeerd in de groepsapp.",
            Some((
                "Bij groepswerk deelt de mentor de groepjes in; in de app reageert de klas gewoon op elkaar.",
                14,
            )),
            &[
                (14, CheckOutcome::NotKept, Some(28)),
                (28, CheckOutcome::Kept, None),
            ],
            Some(CloseOutcome::Solved),
        ),
        (
            6,
            7,
            60,
            "Vaak afwezig; ouders melden buitensluiten via Instagram.",
            None,
            &[],
            Some(CloseOutcome::HandedOver),
        ),
    ];
    for (victim, excluder, opened_days, summary, agreement, checks, closing) in plans {
        let (opened_at, opened_on) = ago(opened_days);
        let mut case = CaseRecord {
            id: CaseId(0),
            school_id: school.id,
            pupil_id: pupils[victim].id,
            owner_id: mentor.id,
            opened_by: mentor.id,
            origin: Origin::Signal,
            origin_ref: None,
            summary: summary.to_string(),
            opened_at,
            opened_on,
            closing: None,
        };
        case.id = store.create_case(&case)?;
        for (pupil, role) in [
            (victim, PersonRole::Excluded),
            (excluder, PersonRole::Excluding),
        ] {
            store.add_case_person(
                school.id,
                case.id,
                &CasePerson {
                    id: 0,
                    pupil_id: Some(pupils[pupil].id),
                    outside_name: None,
                    role,
                },
            )?;
        }
        for (kind, after, who, note) in [
            (
                StepKind::ClassConversation,
                1,
                vec![],
                "Klassengesprek over online buitensluiten.",
            ),
            (
                StepKind::PupilConversation,
                2,
                vec![victim],
                "Apart gesproken; wil graag weer meedoen.",
            ),
            (
                StepKind::PupilConversation,
                2,
                vec![excluder],
                "Apart gesproken; ziet in dat het pijn doet.",
            ),
        ] {
            if after > opened_days {
                continue;
            }
            store.add_step(
                school.id,
                &StepRecord {
                    id: 0,
                    case_id: case.id,
                    kind,
                    on: opened_on.add_days(after),
                    user_id: mentor.id,
                    pupil_ids: who.iter().map(|i| pupils[*i].id).collect(),
                    note: note.to_string(),
                    created_at: opened_at + after * day,
                },
            )?;
        }
        if let Some((text, check_after)) = agreement {
            let record = AgreementRecord {
                id: AgreementId(0),
                case_id: case.id,
                text: text.to_string(),
                pupil_ids: vec![pupils[excluder].id],
                check_on: opened_on.add_days(check_after),
                created_by: mentor.id,
                created_at: opened_at + 2 * day,
            };
            let id = store.add_agreement(school.id, &record)?;
            if closing.is_none() {
                platform.schedule_check_reminder(school.id, id, record.check_on)?;
            }
            for (after, outcome, next) in checks {
                store.add_check(
                    school.id,
                    &CheckRecord {
                        id: 0,
                        agreement_id: id,
                        on: opened_on.add_days(*after),
                        outcome: *outcome,
                        note: String::new(),
                        next_check_on: next.map(|n| opened_on.add_days(n)),
                        user_id: mentor.id,
                        created_at: opened_at + after * day,
                    },
                )?;
            }
        }
        if let Some(outcome) = closing {
            store.close_case(
                school.id,
                case.id,
                &Closing {
                    outcome,
                    note: match outcome {
                        CloseOutcome::HandedOver => "Overgedragen aan de zorgcoördinator.".into(),
                        _ => "Afspraken nagekomen; leerling voelt zich weer welkom.".into(),
                    },
                    closed_on: today.add_days(-1),
                    closed_by: mentor.id,
                    closed_at: now - day,
                },
            )?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> Date {
        Date::parse(s).unwrap_or_else(|_| unreachable!())
    }

    fn agreement(check_on: &str) -> AgreementRecord {
        AgreementRecord {
            id: AgreementId(1),
            case_id: CaseId(1),
            text: "Sanne zet Mila terug in de klasapp".into(),
            pupil_ids: vec![],
            check_on: date(check_on),
            created_by: UserId(1),
            created_at: 0,
        }
    }

    fn check(id: i64, on: &str, outcome: CheckOutcome, next: Option<&str>) -> CheckRecord {
        CheckRecord {
            id,
            agreement_id: AgreementId(1),
            on: date(on),
            outcome,
            note: String::new(),
            next_check_on: next.map(date),
            user_id: UserId(1),
            created_at: 0,
        }
    }

    #[test]
    fn an_agreement_without_a_check_holds_the_case_until_its_date() {
        let a = agreement("2026-03-16");
        assert_eq!(
            hold_of(&a, &[]),
            Some(Hold::NotChecked {
                due: date("2026-03-16")
            })
        );
    }

    #[test]
    fn a_kept_check_counts_on_the_check_date_but_not_the_day_before() {
        let a = agreement("2026-03-16");
        let early = [check(1, "2026-03-15", CheckOutcome::Kept, None)];
        assert_eq!(
            hold_of(&a, &early),
            Some(Hold::NotChecked {
                due: date("2026-03-16")
            })
        );
        let on_time = [check(1, "2026-03-16", CheckOutcome::Kept, None)];
        assert_eq!(hold_of(&a, &on_time), None);
        let late = [check(1, "2026-03-20", CheckOutcome::Kept, None)];
        assert_eq!(hold_of(&a, &late), None);
    }

    #[test]
    fn a_check_not_kept_moves_the_date_and_holds_until_a_kept_check_on_the_new_date() {
        let a = agreement("2026-03-16");
        let not_kept = check(1, "2026-03-16", CheckOutcome::NotKept, Some("2026-03-30"));
        assert_eq!(
            hold_of(&a, std::slice::from_ref(&not_kept)),
            Some(Hold::NotKept {
                outcome: CheckOutcome::NotKept,
                due: date("2026-03-30")
            })
        );
        // Kept the day before the new date: does not count yet.
        let early = check(2, "2026-03-29", CheckOutcome::Kept, None);
        assert!(hold_of(&a, &[not_kept.clone(), early]).is_some());
        let on_time = check(3, "2026-03-30", CheckOutcome::Kept, None);
        assert_eq!(hold_of(&a, &[not_kept.clone(), on_time.clone()]), None);
        // Kept, then later found not kept again: the last word holds it open.
        let again = check(4, "2026-04-02", CheckOutcome::Partly, Some("2026-04-16"));
        assert_eq!(
            hold_of(&a, &[not_kept, on_time, again]),
            Some(Hold::NotKept {
                outcome: CheckOutcome::Partly,
                due: date("2026-04-16")
            })
        );
    }

    #[test]
    fn who_sees_a_case_follows_one_table() {
        let case = CaseRecord {
            id: CaseId(1),
            school_id: SchoolId(1),
            pupil_id: PupilId(1),
            owner_id: UserId(10),
            opened_by: UserId(10),
            origin: Origin::Signal,
            origin_ref: None,
            summary: String::new(),
            opened_at: 0,
            opened_on: date("2026-03-02"),
            closing: None,
        };
        let actor = |role, user, school| Actor {
            user_id: UserId(user),
            school_id: SchoolId(school),
            role,
        };
        let table = [
            (actor(Role::Administrator, 1, 1), false, None),
            (
                actor(Role::Coordinator, 2, 1),
                false,
                Some(CaseRight::Oversee),
            ),
            (
                actor(Role::ConfidentialAdviser, 3, 1),
                false,
                Some(CaseRight::Manage),
            ),
            (
                actor(Role::CareCoordinator, 4, 1),
                false,
                Some(CaseRight::Manage),
            ),
            (actor(Role::Teacher, 10, 1), false, Some(CaseRight::Manage)),
            (actor(Role::Teacher, 11, 1), true, Some(CaseRight::Work)),
            (actor(Role::Teacher, 12, 1), false, None),
            (actor(Role::Coordinator, 20, 2), false, None),
            (actor(Role::Teacher, 10, 2), false, None),
        ];
        for (who, member, expected) in table {
            assert_eq!(case_right(&who, &case, member), expected, "{who:?}");
        }
    }
}
