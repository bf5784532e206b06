//! The storage interface the use cases need. `erbij-store` implements it for SQLite and
//! PostgreSQL; one conformance suite holds both to the same behaviour.
//!
//! Every method that touches a school's data takes the [`SchoolId`] and implementations
//! must filter on it in the query itself, so no call can reach another school's rows.

use std::fmt;

use crate::platform::{ImportOutcome, ImportRow};
use crate::{
    ClassId, ClassName, Date, Email, PupilId, Role, SchoolId, SchoolKind, SchoolName, Timestamp,
    UserId,
};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StoreError {
    /// A uniqueness rule was broken (an e-mail address or class name that already exists).
    #[error("already exists: {0}")]
    Conflict(String),
    /// The database could not be reached or answered with an error.
    #[error("database error: {0}")]
    Backend(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchoolRecord {
    pub id: SchoolId,
    pub name: String,
    pub kind: SchoolKind,
}

#[derive(Clone, PartialEq, Eq)]
pub struct UserRecord {
    pub id: UserId,
    pub school_id: SchoolId,
    pub email: Email,
    pub name: String,
    pub role: Role,
    pub password_hash: String,
    pub failed_logins: i64,
    pub locked_until: Option<Timestamp>,
}

// The hash is a secret and the name and address are personal data: keep them out of logs.
impl fmt::Debug for UserRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UserRecord")
            .field("id", &self.id)
            .field("school_id", &self.school_id)
            .field("email", &self.email)
            .field("role", &self.role)
            .field("failed_logins", &self.failed_logins)
            .finish_non_exhaustive()
    }
}

#[derive(Clone)]
pub struct NewUser {
    pub school_id: SchoolId,
    pub email: Email,
    pub name: String,
    pub role: Role,
    pub password_hash: String,
}

impl fmt::Debug for NewUser {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NewUser")
            .field("school_id", &self.school_id)
            .field("email", &self.email)
            .field("role", &self.role)
            .finish_non_exhaustive()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClassRecord {
    pub id: ClassId,
    pub school_id: SchoolId,
    pub name: String,
    /// Set when the class no longer exists (end of the school year); kept for retention.
    pub archived_on: Option<Date>,
}

#[derive(Clone, PartialEq, Eq)]
pub struct PupilRecord {
    pub id: PupilId,
    pub school_id: SchoolId,
    pub class_id: ClassId,
    pub given_name: String,
    pub infix: String,
    pub family_name: String,
    /// stamnummer / leerlingnummer from the pupil administration; the key for re-imports.
    pub external_id: Option<String>,
    /// The day the pupil left; retention periods count from here.
    pub left_on: Option<Date>,
}

impl PupilRecord {
    /// "Mila de Vries".
    pub fn full_name(&self) -> String {
        [
            self.given_name.as_str(),
            self.infix.as_str(),
            self.family_name.as_str(),
        ]
        .into_iter()
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
    }
    /// "Vries, Mila de": how Dutch school lists sort and show names.
    pub fn sort_name(&self) -> String {
        let mut out = format!("{}, {}", self.family_name, self.given_name);
        if !self.infix.is_empty() {
            out.push(' ');
            out.push_str(&self.infix);
        }
        out
    }
}

impl fmt::Debug for PupilRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PupilRecord")
            .field("id", &self.id)
            .field("school_id", &self.school_id)
            .field("class_id", &self.class_id)
            .field("left_on", &self.left_on)
            .finish_non_exhaustive()
    }
}

#[derive(Clone, PartialEq, Eq)]
pub struct SessionRecord {
    pub user_id: UserId,
    pub school_id: SchoolId,
    pub csrf_token: String,
    pub expires_at: Timestamp,
}

impl fmt::Debug for SessionRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SessionRecord")
            .field("user_id", &self.user_id)
            .field("school_id", &self.school_id)
            .field("expires_at", &self.expires_at)
            .finish_non_exhaustive()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenRecord {
    pub id: i64,
    pub user_id: UserId,
    pub school_id: SchoolId,
    pub label: String,
    pub created_at: Timestamp,
    pub revoked: bool,
    /// After this the token no longer works.
    pub expires_at: Timestamp,
}

/// Storage for the platform. Implementations are cheap to share (`Arc<dyn Store>`) and
/// blocking: async callers run them on a blocking thread.
/// Each capability's storage is its own trait (in that capability's module); `Store` is all
/// of them, so `Arc<dyn Store>` reaches every method.
pub trait Store:
    Send
    + Sync
    + fmt::Debug
    + crate::SignalStore
    + crate::SurveyStore
    + crate::CaseStore
    + crate::EvidenceStore
    + crate::LessonStore
    + crate::JobStore
    + crate::HardeningStore
{
    /// Answers when the database answers (`/healthz`).
    fn ping(&self) -> Result<(), StoreError>;

    fn count_users(&self) -> Result<i64, StoreError>;
    fn create_school(
        &self,
        name: &SchoolName,
        kind: SchoolKind,
    ) -> Result<SchoolRecord, StoreError>;
    fn school(&self, id: SchoolId) -> Result<Option<SchoolRecord>, StoreError>;
    fn schools(&self) -> Result<Vec<SchoolRecord>, StoreError>;

    fn create_user(&self, user: &NewUser) -> Result<UserRecord, StoreError>;
    /// E-mail addresses are unique across the installation: they are the login name.
    fn user_by_email(&self, email: &Email) -> Result<Option<UserRecord>, StoreError>;
    fn user(&self, school: SchoolId, id: UserId) -> Result<Option<UserRecord>, StoreError>;
    fn users(&self, school: SchoolId) -> Result<Vec<UserRecord>, StoreError>;
    fn set_password_hash(
        &self,
        school: SchoolId,
        user: UserId,
        hash: &str,
    ) -> Result<(), StoreError>;
    fn set_login_failures(
        &self,
        user: UserId,
        failures: i64,
        locked_until: Option<Timestamp>,
    ) -> Result<(), StoreError>;

    fn create_session(
        &self,
        token_hash: &str,
        session: &SessionRecord,
        now: Timestamp,
    ) -> Result<(), StoreError>;
    fn session(&self, token_hash: &str) -> Result<Option<SessionRecord>, StoreError>;
    /// A session with its user and school, in one query: every page asks for it.
    fn session_context(
        &self,
        token_hash: &str,
    ) -> Result<Option<(SessionRecord, UserRecord, SchoolRecord)>, StoreError>;
    fn delete_session(&self, token_hash: &str) -> Result<(), StoreError>;
    /// Ends every session of a user but the one given (after a password change).
    fn delete_other_sessions(
        &self,
        school: SchoolId,
        user: UserId,
        keep_token_hash: &str,
    ) -> Result<(), StoreError>;

    fn create_token(
        &self,
        token_hash: &str,
        school: SchoolId,
        user: UserId,
        label: &str,
        now: Timestamp,
        expires_at: Timestamp,
    ) -> Result<TokenRecord, StoreError>;
    /// Only tokens that are not revoked.
    fn token_by_hash(&self, token_hash: &str) -> Result<Option<TokenRecord>, StoreError>;
    fn tokens(&self, school: SchoolId, user: UserId) -> Result<Vec<TokenRecord>, StoreError>;
    /// Revokes one of the user's own tokens; `false` when there is no such token.
    fn revoke_token(
        &self,
        school: SchoolId,
        user: UserId,
        token_id: i64,
    ) -> Result<bool, StoreError>;

    fn create_class(&self, school: SchoolId, name: &ClassName) -> Result<ClassRecord, StoreError>;
    fn class(&self, school: SchoolId, id: ClassId) -> Result<Option<ClassRecord>, StoreError>;
    fn classes(&self, school: SchoolId) -> Result<Vec<ClassRecord>, StoreError>;
    fn classes_of_teacher(
        &self,
        school: SchoolId,
        user: UserId,
    ) -> Result<Vec<ClassRecord>, StoreError>;
    fn rename_class(
        &self,
        school: SchoolId,
        id: ClassId,
        name: &ClassName,
    ) -> Result<bool, StoreError>;
    /// Archives (`Some(date)`) or restores (`None`) a class; `false` when there is no such class.
    fn set_class_archived(
        &self,
        school: SchoolId,
        id: ClassId,
        archived_on: Option<Date>,
    ) -> Result<bool, StoreError>;
    /// Idempotent: assigning twice keeps one assignment.
    fn assign_teacher(
        &self,
        school: SchoolId,
        class: ClassId,
        user: UserId,
    ) -> Result<(), StoreError>;
    fn unassign_teacher(
        &self,
        school: SchoolId,
        class: ClassId,
        user: UserId,
    ) -> Result<(), StoreError>;
    fn teachers_of_class(
        &self,
        school: SchoolId,
        class: ClassId,
    ) -> Result<Vec<UserRecord>, StoreError>;
    fn is_assigned(
        &self,
        school: SchoolId,
        class: ClassId,
        user: UserId,
    ) -> Result<bool, StoreError>;

    /// Stores a new pupil; `pupil.id` is ignored and the stored record returned.
    fn create_pupil(&self, pupil: &PupilRecord) -> Result<PupilRecord, StoreError>;
    fn pupil(&self, school: SchoolId, id: PupilId) -> Result<Option<PupilRecord>, StoreError>;
    /// Sorted by family name, then given name.
    fn pupils_of_class(
        &self,
        school: SchoolId,
        class: ClassId,
    ) -> Result<Vec<PupilRecord>, StoreError>;
    /// Replaces every field but id and school; `false` when there is no such pupil.
    fn update_pupil(&self, pupil: &PupilRecord) -> Result<bool, StoreError>;

    /// Applies an import in one transaction: classes are found by name or created; a pupil
    /// is found by external id (stamnummer), else by name within the class, and updated,
    /// else created. All or nothing.
    fn import_pupils(
        &self,
        school: SchoolId,
        rows: &[ImportRow],
    ) -> Result<ImportOutcome, StoreError>;
}
