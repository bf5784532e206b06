//! erbij's domain: schools, accounts and roles, classes and pupils, and the use cases that
//! act on them with their access rules.
//!
//! Every rule about who may see or change what lives here, in [`Platform`], so the web
//! pages, the JSON API and the command line cannot disagree. An object the caller may not
//! see is reported as [`AccessError::NotFound`], never as "forbidden", so its existence does
//! not leak. The crate never speaks HTTP or SQL: storage comes in through the [`Store`]
//! trait, time through the [`Clock`] trait.

pub mod auth;
pub mod cases;
mod clock;
pub mod data_export;
mod date;
pub mod demo;
pub mod evidence;
pub mod hardening;
pub mod jobs;
pub mod lessons;
pub mod mail;
pub mod oidc;
mod platform;
pub mod retention;
mod security;
pub mod signals;
mod store;
pub mod surveys;
pub mod twofactor;
mod types;

pub use auth::AuthStore;
pub use cases::CaseStore;
pub use clock::{Clock, FixedClock, SystemClock, Timestamp};
pub use date::{Date, DateError};
pub use evidence::EvidenceStore;
pub use hardening::{
    AccessEntry, HardeningStore, HealthError, LoginAttempt, PupilPage, SecurityEvent,
    SecurityEventKind, ThrottleState,
};
pub use jobs::JobStore;
pub use lessons::{
    AgeGroup, AgreementRoundRecord, BallotOutcome, BankLanguage, Dilemma, DilemmaSessionRecord,
    DilemmaSource, LessonError, LessonStore, LiveCounts, NewDilemma, Phase, ProposalOutcome,
    ProposalRecord, ReviewDue, RoundPhase, SchoolDilemmaRecord, Tally, VoteOutcome,
};
pub use platform::{
    AccessError, Actor, ImportOutcome, ImportRow, LOCKOUT_THRESHOLD, LoginError, NewPupil,
    Platform, SESSION_LIFETIME_SECONDS, SessionInfo, SetupError,
};
pub use security::{
    PasswordError, hash_new_password, hash_password, hash_token, new_secret_token, verify_password,
};
pub use signals::{
    ChangeAction, ClassGrid, ClassMove, Correction, EarlyWarningRule, NewSignal, PupilTimeline,
    RuleKind, RuleSet, SignalChange, SignalError, SignalId, SignalInput, SignalInputError,
    SignalKind, SignalRecord, SignalStore, TimelineEntry, TimelineItem, WarningEntry,
};
pub use store::{
    ClassRecord, NewUser, PupilRecord, SchoolRecord, SessionRecord, Store, StoreError, TokenRecord,
    UserRecord,
};
pub use surveys::{MonitorStore, SurveyId, SurveyStore};
pub use types::{
    ClassId, ClassName, Email, FieldError, PersonName, PupilId, Role, SchoolId, SchoolKind,
    SchoolName, UserId, is_invisible_format,
};
