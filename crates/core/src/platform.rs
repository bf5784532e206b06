//! The use cases. Every one takes the [`Actor`] asking and applies the access rules:
//!
//! - everything is scoped to the actor's school; another school's object is `NotFound`;
//! - a teacher sees only the classes assigned to them (and their pupils); an unassigned
//!   class is `NotFound`, exactly like a class that does not exist;
//! - coordinator, confidential adviser and care coordinator see every class, read-only;
//! - only an administrator creates or changes accounts, classes and pupils (`Forbidden`
//!   for the others, on objects they can see).

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, OnceLock};

use crate::security::{
    PasswordError, hash_new_password, hash_password, hash_token, new_secret_token, verify_password,
};
use crate::store::{
    ClassRecord, NewUser, PupilRecord, SchoolRecord, SessionRecord, Store, StoreError, TokenRecord,
    UserRecord,
};
use crate::types::FieldError;
use crate::{
    ClassId, ClassName, Clock, Date, Email, PersonName, PupilId, Role, SchoolId, SchoolKind,
    SchoolName, Timestamp, UserId,
};

/// Failed logins from one source on one address before logins from there are delayed.
pub const LOCKOUT_THRESHOLD: i64 = crate::hardening::THROTTLE_FREE_PER_PAIR;
/// A login lasts a school day; then the teacher logs in again.
pub const SESSION_LIFETIME_SECONDS: i64 = 10 * 3600;

/// Who is asking: a logged-in user or an API token's owner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub user_id: UserId,
    pub school_id: SchoolId,
    pub role: Role,
}

/// A logged-in session as the web layer needs it.
#[derive(Debug, Clone)]
pub struct SessionInfo {
    pub actor: Actor,
    pub user_name: String,
    pub school: SchoolRecord,
    pub csrf_token: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AccessError {
    /// Does not exist, or the actor may not know it exists.
    #[error("not found")]
    NotFound,
    /// The actor may see this but not change it.
    #[error("not allowed for this role")]
    Forbidden,
    #[error(transparent)]
    Invalid(#[from] FieldError),
    #[error("invalid date: {0}")]
    InvalidDate(String),
    #[error(transparent)]
    Password(#[from] PasswordError),
    #[error("already exists: {0}")]
    Conflict(String),
    #[error("the current password is wrong")]
    WrongPassword,
    /// The e-mail address cannot be used for a new account. Said the same way whether
    /// it belongs to this school or another, so it reveals nothing about other schools.
    #[error("this e-mail address cannot be used for a new account")]
    EmailUnavailable,
    #[error(transparent)]
    Store(StoreError),
}

impl From<StoreError> for AccessError {
    fn from(err: StoreError) -> Self {
        match err {
            StoreError::Conflict(what) => AccessError::Conflict(what),
            other => AccessError::Store(other),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LoginError {
    /// Unknown address or wrong password: the two are not told apart.
    #[error("e-mail address or password is wrong")]
    InvalidCredentials,
    /// Too many failures; try again after `until`.
    #[error("account locked after repeated failures")]
    Locked { until: Timestamp },
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Password(#[from] PasswordError),
    /// The first factor was right; the second step (a code, or setting up the app) is due.
    #[error("a second login step is needed")]
    SecondFactor(crate::twofactor::Challenge),
}

impl From<AccessError> for LoginError {
    fn from(err: AccessError) -> Self {
        match err {
            AccessError::Store(e) => LoginError::Store(e),
            AccessError::Password(e) => LoginError::Password(e),
            other => LoginError::Store(StoreError::Backend(other.to_string())),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SetupError {
    #[error("this installation already has accounts")]
    AlreadySetUp,
    #[error(transparent)]
    Invalid(#[from] FieldError),
    #[error(transparent)]
    Password(#[from] PasswordError),
    #[error("no school named `{0}`")]
    UnknownSchool(String),
    #[error("no account with the address {0}")]
    UnknownAccount(String),
    #[error("there are several schools; name one with --school")]
    SchoolRequired,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A pupil as typed in a form or sent to the API, validated.
#[derive(Debug, Clone)]
pub struct NewPupil {
    pub given_name: PersonName,
    pub infix: String,
    pub family_name: PersonName,
    pub external_id: Option<String>,
}

impl NewPupil {
    pub fn parse(
        given: &str,
        infix: &str,
        family: &str,
        external_id: &str,
    ) -> Result<NewPupil, FieldError> {
        Ok(NewPupil {
            given_name: PersonName::new(given)?,
            infix: PersonName::infix(infix)?,
            family_name: PersonName::new(family)?,
            external_id: parse_external_id(external_id)?,
        })
    }
}

fn parse_external_id(raw: &str) -> Result<Option<String>, FieldError> {
    let id = raw.trim();
    if id.is_empty() {
        return Ok(None);
    }
    if id.chars().count() > 40 {
        return Err(FieldError::TooLong {
            field: "stamnummer",
            max: 40,
        });
    }
    if id.chars().any(char::is_control) {
        return Err(FieldError::ControlCharacters {
            field: "stamnummer",
        });
    }
    Ok(Some(id.to_string()))
}

/// One validated row of a pupil import.
#[derive(Debug, Clone)]
pub struct ImportRow {
    pub class_name: ClassName,
    pub pupil: NewPupil,
    /// The parents' addresses from the file; empty leaves the stored ones as they are,
    /// otherwise they replace them (the pupil administration is the source).
    pub parent_emails: Vec<Email>,
}

/// What confirming an import would do, for the preview: nothing is stored.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ImportPlan {
    /// Per row, in order: `true` when the row updates a pupil who is already stored.
    pub updates: Vec<bool>,
    /// Classes the import would create, in the order the file first names them.
    pub new_classes: Vec<String>,
}

impl ImportPlan {
    pub fn created(&self) -> usize {
        self.updates.iter().filter(|u| !**u).count()
    }

    pub fn updated(&self) -> usize {
        self.updates.iter().filter(|u| **u).count()
    }
}

/// What an import changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ImportOutcome {
    pub classes_created: usize,
    pub pupils_created: usize,
    pub pupils_updated: usize,
}

/// The use cases, over a store and a clock.
#[derive(Debug, Clone)]
pub struct Platform {
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
    /// Evidence bytes (encrypted at rest); the binary picks the implementation.
    vault: Arc<dyn crate::evidence::Vault>,
}

pub(crate) fn dummy_hash() -> &'static str {
    // Verifying against a real hash for unknown addresses keeps their timing like a wrong
    // password's, so the login form does not reveal which addresses have accounts.
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| hash_password("erbij timing equaliser").unwrap_or_default())
}

impl Platform {
    pub fn new(store: Arc<dyn Store>, clock: Arc<dyn Clock>) -> Platform {
        Platform {
            store,
            clock,
            vault: Arc::new(crate::evidence::NoVault),
        }
    }

    /// The same platform keeping evidence in `vault`.
    pub fn with_vault(mut self, vault: Arc<dyn crate::evidence::Vault>) -> Platform {
        self.vault = vault;
        self
    }

    pub fn vault(&self) -> &Arc<dyn crate::evidence::Vault> {
        &self.vault
    }

    pub fn store(&self) -> &Arc<dyn Store> {
        &self.store
    }

    pub fn now(&self) -> Timestamp {
        self.clock.now()
    }

    pub fn is_empty_installation(&self) -> Result<bool, StoreError> {
        Ok(self.store.count_users()? == 0)
    }

    // ---- schools and accounts (operator and first run) ----

    /// `erbij school add`: the operator on the server's command line.
    pub fn add_school(&self, name: &str, kind: SchoolKind) -> Result<SchoolRecord, SetupError> {
        Ok(self.store.create_school(&SchoolName::new(name)?, kind)?)
    }

    /// Finds a school by id or by exact name.
    pub fn find_school(&self, name_or_id: &str) -> Result<Option<SchoolRecord>, StoreError> {
        let schools = self.store.schools()?;
        let wanted = name_or_id.trim();
        Ok(schools
            .into_iter()
            .find(|s| s.id.0.to_string() == wanted || s.name.eq_ignore_ascii_case(wanted)))
    }

    /// `erbij user add`: the operator, trusted because they hold the database. On an empty
    /// installation a named school that does not exist yet is created.
    pub fn operator_add_user(
        &self,
        school: Option<&str>,
        school_kind: SchoolKind,
        email: &str,
        name: &str,
        role: Role,
        password: &str,
    ) -> Result<(SchoolRecord, UserRecord), SetupError> {
        let email = Email::new(email)?;
        let name = PersonName::new(name)?;
        let school = match school {
            Some(wanted) => match self.find_school(wanted)? {
                Some(found) => found,
                None if self.is_empty_installation()? => self.add_school(wanted, school_kind)?,
                None => return Err(SetupError::UnknownSchool(wanted.chars().take(80).collect())),
            },
            None => {
                let mut schools = self.store.schools()?;
                if schools.len() == 1 {
                    schools.remove(0)
                } else {
                    return Err(SetupError::SchoolRequired);
                }
            }
        };
        let password_hash = hash_new_password(password, &email)?;
        let user = self.store.create_user(&NewUser {
            school_id: school.id,
            email,
            name: name.to_string(),
            role,
            password_hash,
        })?;
        Ok((school, user))
    }

    /// The browser's first-run page: creates the school and its first administrator, only
    /// while the installation has no accounts at all.
    pub fn setup_first_administrator(
        &self,
        school_name: &str,
        kind: SchoolKind,
        email: &str,
        name: &str,
        password: &str,
    ) -> Result<UserRecord, SetupError> {
        if !self.is_empty_installation()? {
            return Err(SetupError::AlreadySetUp);
        }
        let school_name = SchoolName::new(school_name)?;
        let email = Email::new(email)?;
        let name = PersonName::new(name)?;
        let password_hash = hash_new_password(password, &email)?;
        // One transaction that first claims the installation: twenty first runs at once
        // make one school, and the others are told it is already set up.
        let created = self.store.create_installation(
            &school_name,
            kind,
            &NewUser {
                school_id: SchoolId(0),
                email,
                name: name.to_string(),
                role: Role::Administrator,
                password_hash,
            },
            self.clock.now(),
        )?;
        created
            .map(|(_, user)| user)
            .ok_or(SetupError::AlreadySetUp)
    }

    /// An administrator adds an account to their own school.
    pub fn add_user(
        &self,
        actor: &Actor,
        email: &str,
        name: &str,
        role: Role,
        password: &str,
    ) -> Result<UserRecord, AccessError> {
        require_manager(actor)?;
        let email = Email::new(email)?;
        let name = PersonName::new(name)?;
        let password_hash = hash_new_password(password, &email)?;
        match self.store.create_user(&NewUser {
            school_id: actor.school_id,
            email,
            name: name.to_string(),
            role,
            password_hash,
        }) {
            Ok(user) => Ok(user),
            // The address is the login name across the installation; whether it belongs to
            // this school or another is not said.
            Err(StoreError::Conflict(_)) => Err(AccessError::EmailUnavailable),
            Err(other) => Err(other.into()),
        }
    }

    /// The accounts of the actor's school (administrators only).
    pub fn users(&self, actor: &Actor) -> Result<Vec<UserRecord>, AccessError> {
        require_manager(actor)?;
        Ok(self.store.users(actor.school_id)?)
    }

    // ---- login, sessions, tokens ----

    /// Checks the password and opens a session. Returns the session secret for the cookie.
    /// The login throttle applies (see [`crate::hardening`]); the source is "local".
    pub fn login(&self, email: &str, password: &str) -> Result<(String, SessionInfo), LoginError> {
        self.login_from(email, password, "local")
    }

    pub(crate) fn open_session(
        &self,
        user: &UserRecord,
    ) -> Result<(String, SessionInfo), AccessError> {
        let token = new_secret_token()?;
        let record = SessionRecord {
            user_id: user.id,
            school_id: user.school_id,
            csrf_token: new_secret_token()?,
            expires_at: self.clock.now() + SESSION_LIFETIME_SECONDS,
        };
        self.store
            .create_session(&hash_token(&token), &record, self.clock.now())?;
        let info = self
            .session_info(user, record.csrf_token)?
            .ok_or(AccessError::NotFound)?;
        Ok((token, info))
    }

    fn session_info(
        &self,
        user: &UserRecord,
        csrf_token: String,
    ) -> Result<Option<SessionInfo>, StoreError> {
        let Some(school) = self.store.school(user.school_id)? else {
            return Ok(None);
        };
        Ok(Some(SessionInfo {
            actor: Actor {
                user_id: user.id,
                school_id: user.school_id,
                role: user.role,
            },
            user_name: user.name.clone(),
            school,
            csrf_token,
        }))
    }

    /// The session behind a cookie's secret, if it exists and has not expired.
    pub fn session(&self, token: &str) -> Result<Option<SessionInfo>, StoreError> {
        let hash = hash_token(token);
        let Some((session, user, school)) = self.store.session_context(&hash)? else {
            return Ok(None);
        };
        if session.expires_at <= self.clock.now() {
            self.store.delete_session(&hash)?;
            return Ok(None);
        }
        Ok(Some(SessionInfo {
            actor: Actor {
                user_id: user.id,
                school_id: user.school_id,
                role: user.role,
            },
            user_name: user.name,
            school,
            csrf_token: session.csrf_token,
        }))
    }

    pub fn logout(&self, token: &str) -> Result<(), StoreError> {
        self.store.delete_session(&hash_token(token))
    }

    /// Changes the actor's own password and ends their other sessions.
    pub fn change_password(
        &self,
        actor: &Actor,
        session_token: &str,
        current: &str,
        new: &str,
    ) -> Result<(), AccessError> {
        let user = self
            .store
            .user(actor.school_id, actor.user_id)?
            .ok_or(AccessError::NotFound)?;
        if !verify_password(current, &user.password_hash) {
            return Err(AccessError::WrongPassword);
        }
        let hash = hash_new_password(new, &user.email)?;
        self.store
            .set_password_hash(actor.school_id, actor.user_id, &hash)?;
        // A token made with the old password must not outlive it.
        self.store
            .revoke_all_tokens(actor.school_id, actor.user_id, self.clock.now())?;
        self.store.delete_other_sessions(
            actor.school_id,
            actor.user_id,
            &hash_token(session_token),
        )?;
        Ok(())
    }

    /// `erbij token create`: a new API token for the account with this address.
    pub fn operator_create_token(
        &self,
        email: &str,
        label: &str,
    ) -> Result<(String, TokenRecord), SetupError> {
        self.operator_create_token_valid_for(email, label, None)
    }

    /// `erbij token create --days N`: a token that expires after `valid_for_seconds`
    /// (a year when `None`).
    pub fn operator_create_token_valid_for(
        &self,
        email: &str,
        label: &str,
        valid_for_seconds: Option<i64>,
    ) -> Result<(String, TokenRecord), SetupError> {
        let email = Email::new(email)?;
        let user = self
            .store
            .user_by_email(&email)?
            .ok_or_else(|| SetupError::UnknownAccount(email.to_string()))?;
        let token = new_secret_token()?;
        let now = self.clock.now();
        let record = self.store.create_token(
            &hash_token(&token),
            user.school_id,
            user.id,
            label,
            now,
            now + valid_for_seconds.unwrap_or(crate::hardening::TOKEN_LIFETIME_SECONDS),
        )?;
        Ok((token, record))
    }

    /// A new API token for the actor themselves (account page).
    pub fn create_token(
        &self,
        actor: &Actor,
        label: &str,
    ) -> Result<(String, TokenRecord), AccessError> {
        let label: String = label
            .trim()
            .chars()
            .filter(|c| !c.is_control())
            .take(60)
            .collect();
        let token = new_secret_token()?;
        let now = self.clock.now();
        let record = self.store.create_token(
            &hash_token(&token),
            actor.school_id,
            actor.user_id,
            &label,
            now,
            now + crate::hardening::TOKEN_LIFETIME_SECONDS,
        )?;
        Ok((token, record))
    }

    pub fn tokens(&self, actor: &Actor) -> Result<Vec<TokenRecord>, AccessError> {
        Ok(self.store.tokens(actor.school_id, actor.user_id)?)
    }

    pub fn revoke_token(&self, actor: &Actor, token_id: i64) -> Result<(), AccessError> {
        if self
            .store
            .revoke_token(actor.school_id, actor.user_id, token_id)?
        {
            Ok(())
        } else {
            Err(AccessError::NotFound)
        }
    }

    /// The actor behind an API bearer token, if the token exists, has not expired and is
    /// not revoked.
    pub fn authenticate_token(&self, token: &str) -> Result<Option<Actor>, StoreError> {
        let Some(record) = self.store.token_by_hash(&hash_token(token))? else {
            return Ok(None);
        };
        if record.expires_at <= self.clock.now() {
            return Ok(None);
        }
        let Some(user) = self.store.user(record.school_id, record.user_id)? else {
            return Ok(None);
        };
        Ok(Some(Actor {
            user_id: user.id,
            school_id: user.school_id,
            role: user.role,
        }))
    }

    // ---- classes ----

    /// The classes the actor may see, sorted by name.
    pub fn classes(&self, actor: &Actor) -> Result<Vec<ClassRecord>, AccessError> {
        let mut classes = if actor.role.sees_all_classes() {
            self.store.classes(actor.school_id)?
        } else {
            self.store
                .classes_of_teacher(actor.school_id, actor.user_id)?
        };
        classes.sort_by_key(|c| natural_key(&c.name));
        Ok(classes)
    }

    /// One class, if the actor may see it; otherwise `NotFound`.
    pub fn class(&self, actor: &Actor, id: ClassId) -> Result<ClassRecord, AccessError> {
        let class = self
            .store
            .class(actor.school_id, id)?
            .ok_or(AccessError::NotFound)?;
        if !actor.role.sees_all_classes()
            && !self.store.is_assigned(actor.school_id, id, actor.user_id)?
        {
            return Err(AccessError::NotFound);
        }
        Ok(class)
    }

    pub fn create_class(&self, actor: &Actor, name: &str) -> Result<ClassRecord, AccessError> {
        require_manager(actor)?;
        Ok(self
            .store
            .create_class(actor.school_id, &ClassName::new(name)?)?)
    }

    pub fn rename_class(
        &self,
        actor: &Actor,
        id: ClassId,
        name: &str,
    ) -> Result<ClassRecord, AccessError> {
        self.class(actor, id)?;
        require_manager(actor)?;
        let name = ClassName::new(name)?;
        self.store.rename_class(actor.school_id, id, &name)?;
        self.class(actor, id)
    }

    /// Archives a class that no longer exists, with the date (today when `None`).
    pub fn archive_class(
        &self,
        actor: &Actor,
        id: ClassId,
        archived_on: Option<&str>,
    ) -> Result<ClassRecord, AccessError> {
        self.class(actor, id)?;
        require_manager(actor)?;
        let date = match archived_on.map(str::trim).filter(|s| !s.is_empty()) {
            Some(text) => Date::parse(text).map_err(|e| AccessError::InvalidDate(e.0))?,
            None => Date::from_timestamp(self.clock.now()),
        };
        self.store
            .set_class_archived(actor.school_id, id, Some(date))?;
        self.class(actor, id)
    }

    /// Brings an archived class back.
    pub fn restore_class(&self, actor: &Actor, id: ClassId) -> Result<ClassRecord, AccessError> {
        self.class(actor, id)?;
        require_manager(actor)?;
        self.store.set_class_archived(actor.school_id, id, None)?;
        self.class(actor, id)
    }

    /// Everything the class page shows, checking visibility once.
    pub fn class_overview(
        &self,
        actor: &Actor,
        id: ClassId,
    ) -> Result<(ClassRecord, Vec<PupilRecord>, Vec<UserRecord>), AccessError> {
        let class = self.class(actor, id)?;
        let pupils = self.store.pupils_of_class(actor.school_id, id)?;
        let teachers = self.store.teachers_of_class(actor.school_id, id)?;
        Ok((class, pupils, teachers))
    }

    pub fn teachers_of_class(
        &self,
        actor: &Actor,
        id: ClassId,
    ) -> Result<Vec<UserRecord>, AccessError> {
        self.class(actor, id)?;
        Ok(self.store.teachers_of_class(actor.school_id, id)?)
    }

    /// Assigns an account of the same school to a class (mentor, teacher).
    pub fn assign_teacher(
        &self,
        actor: &Actor,
        class: ClassId,
        user: UserId,
    ) -> Result<(), AccessError> {
        self.class(actor, class)?;
        require_manager(actor)?;
        self.store
            .user(actor.school_id, user)?
            .ok_or(AccessError::NotFound)?;
        Ok(self.store.assign_teacher(actor.school_id, class, user)?)
    }

    pub fn unassign_teacher(
        &self,
        actor: &Actor,
        class: ClassId,
        user: UserId,
    ) -> Result<(), AccessError> {
        self.class(actor, class)?;
        require_manager(actor)?;
        Ok(self.store.unassign_teacher(actor.school_id, class, user)?)
    }

    // ---- pupils ----

    pub fn pupils_of_class(
        &self,
        actor: &Actor,
        class: ClassId,
    ) -> Result<Vec<PupilRecord>, AccessError> {
        self.class(actor, class)?;
        Ok(self.store.pupils_of_class(actor.school_id, class)?)
    }

    /// One pupil, if the actor may see the pupil's class.
    pub fn pupil(&self, actor: &Actor, id: PupilId) -> Result<PupilRecord, AccessError> {
        let pupil = self
            .store
            .pupil(actor.school_id, id)?
            .ok_or(AccessError::NotFound)?;
        self.class(actor, pupil.class_id)?;
        Ok(pupil)
    }

    pub fn create_pupil(
        &self,
        actor: &Actor,
        class: ClassId,
        pupil: NewPupil,
    ) -> Result<PupilRecord, AccessError> {
        self.class(actor, class)?;
        require_manager(actor)?;
        Ok(self.store.create_pupil(&PupilRecord {
            id: PupilId(0),
            school_id: actor.school_id,
            class_id: class,
            given_name: pupil.given_name.to_string(),
            infix: pupil.infix,
            family_name: pupil.family_name.to_string(),
            external_id: pupil.external_id,
            left_on: None,
        })?)
    }

    /// Changes a pupil's names, number and (optionally) class.
    pub fn update_pupil(
        &self,
        actor: &Actor,
        id: PupilId,
        pupil: NewPupil,
        class: Option<ClassId>,
    ) -> Result<PupilRecord, AccessError> {
        let mut record = self.pupil(actor, id)?;
        require_manager(actor)?;
        let old_class = record.class_id;
        if let Some(class) = class {
            self.class(actor, class)?;
            record.class_id = class;
        }
        record.given_name = pupil.given_name.to_string();
        record.infix = pupil.infix;
        record.family_name = pupil.family_name.to_string();
        record.external_id = pupil.external_id;
        self.store.update_pupil(&record)?;
        // The class history on the pupil's timeline (signals).
        self.note_class_move(actor, id, old_class, record.class_id)?;
        Ok(record)
    }

    /// Archives a pupil who left the school on `left_on` (today when `None`). The record
    /// stays for the retention period, which counts from this date.
    pub fn archive_pupil(
        &self,
        actor: &Actor,
        id: PupilId,
        left_on: Option<&str>,
    ) -> Result<PupilRecord, AccessError> {
        let mut record = self.pupil(actor, id)?;
        require_manager(actor)?;
        let date = match left_on.map(str::trim).filter(|s| !s.is_empty()) {
            Some(text) => Date::parse(text).map_err(|e| AccessError::InvalidDate(e.0))?,
            None => Date::from_timestamp(self.clock.now()),
        };
        record.left_on = Some(date);
        self.store.update_pupil(&record)?;
        Ok(record)
    }

    /// Brings an archived pupil back (archived by mistake).
    pub fn restore_pupil(&self, actor: &Actor, id: PupilId) -> Result<PupilRecord, AccessError> {
        let mut record = self.pupil(actor, id)?;
        require_manager(actor)?;
        record.left_on = None;
        self.store.update_pupil(&record)?;
        Ok(record)
    }

    /// Applies a confirmed import (administrators only).
    pub fn import_pupils(
        &self,
        actor: &Actor,
        rows: &[ImportRow],
    ) -> Result<ImportOutcome, AccessError> {
        require_manager(actor)?;
        let before = self.pupil_classes(actor.school_id)?;
        let outcome = self.store.import_pupils(actor.school_id, rows)?;
        // Pupils the import moved to another class: keep the class history (signals).
        for (pupil, class) in self.pupil_classes(actor.school_id)? {
            if let Some(old) = before.get(&pupil) {
                self.note_class_move(actor, pupil, *old, class)?;
            }
        }
        Ok(outcome)
    }

    /// What [`Platform::import_pupils`] would do with these rows, matching pupils the
    /// same way (by stamnummer in the school, else by name within the class, earlier rows
    /// of the same file included). Administrators only; stores nothing.
    pub fn plan_import(
        &self,
        actor: &Actor,
        rows: &[ImportRow],
    ) -> Result<ImportPlan, AccessError> {
        require_manager(actor)?;
        let classes: HashMap<String, ClassId> = self
            .store
            .classes(actor.school_id)?
            .into_iter()
            .map(|c| (c.name, c.id))
            .collect();
        let pupils = crate::signals::SignalStore::pupils_of_school(&*self.store, actor.school_id)?;
        let mut external_ids: HashSet<String> = pupils
            .iter()
            .filter_map(|p| p.external_id.clone())
            .collect();
        // (class name, given, infix, family) of stored pupils without a stamnummer.
        let class_names: HashMap<ClassId, &str> =
            classes.iter().map(|(n, id)| (*id, n.as_str())).collect();
        let mut names: HashSet<(String, String, String, String)> = pupils
            .iter()
            .filter(|p| p.external_id.is_none())
            .filter_map(|p| {
                Some((
                    class_names.get(&p.class_id)?.to_string(),
                    p.given_name.clone(),
                    p.infix.clone(),
                    p.family_name.clone(),
                ))
            })
            .collect();
        let mut plan = ImportPlan::default();
        for row in rows {
            let class = row.class_name.as_str().to_string();
            if !classes.contains_key(&class) && !plan.new_classes.contains(&class) {
                plan.new_classes.push(class.clone());
            }
            let pupil = &row.pupil;
            let known = match &pupil.external_id {
                Some(id) => !external_ids.insert(id.clone()),
                None => !names.insert((
                    class,
                    pupil.given_name.to_string(),
                    pupil.infix.clone(),
                    pupil.family_name.to_string(),
                )),
            };
            plan.updates.push(known);
        }
        Ok(plan)
    }
}

pub(crate) fn require_manager(actor: &Actor) -> Result<(), AccessError> {
    if actor.role.manages_school() {
        Ok(())
    } else {
        Err(AccessError::Forbidden)
    }
}

/// Sorts "groep 10" after "groep 9" and "1A" before "2A".
fn natural_key(name: &str) -> Vec<(u64, String)> {
    let mut key = Vec::new();
    let mut digits = String::new();
    let mut text = String::new();
    for c in name.to_lowercase().chars() {
        if c.is_ascii_digit() {
            if !text.is_empty() {
                key.push((u64::MAX, std::mem::take(&mut text)));
            }
            digits.push(c);
        } else {
            if !digits.is_empty() {
                key.push((digits.parse().unwrap_or(u64::MAX), String::new()));
                digits.clear();
            }
            text.push(c);
        }
    }
    if !digits.is_empty() {
        key.push((digits.parse().unwrap_or(u64::MAX), String::new()));
    }
    if !text.is_empty() {
        key.push((u64::MAX, text));
    }
    key
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_output_of_accounts_holds_no_name_address_or_hash() {
        let user = crate::UserRecord {
            id: UserId(7),
            school_id: SchoolId(1),
            email: Email::new("juf.anouk@school.example").unwrap_or_else(|_| unreachable!()),
            name: "Anouk Smit".into(),
            role: Role::Teacher,
            password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".into(),
            failed_logins: 0,
            locked_until: None,
        };
        let shown = format!("{user:?}");
        assert!(
            !shown.contains("Anouk") && !shown.contains("juf.anouk") && !shown.contains("argon2"),
            "{shown}"
        );
        assert!(
            shown.contains("school.example") && shown.contains("Teacher"),
            "{shown}"
        );
    }

    #[test]
    fn class_names_sort_naturally() {
        let mut names = vec!["groep 10", "groep 9", "2A", "1B", "1A"];
        names.sort_by_key(|n| natural_key(n));
        assert_eq!(names, ["1A", "1B", "2A", "groep 9", "groep 10"]);
    }
}
