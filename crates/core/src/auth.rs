//! What two-factor login, school sign-in and retention store: a school's security settings,
//! a user's second factor and recovery codes, half-finished logins (a password was right,
//! the code is still due) and pending OpenID Connect requests.
//!
//! Secrets are kept as SHA-256 hashes where they only need checking (challenge tokens,
//! recovery codes, OIDC state); the TOTP secret is kept as written, because the server
//! needs it to compute the expected code.

use std::fmt;

use crate::{PupilId, SchoolId, StoreError, Timestamp, UserId};

/// The default retention period: two years after a pupil left.
pub const DEFAULT_RETENTION_DAYS: i64 = 730;

/// A school's login and retention settings (the administrator's "Beveiliging" page).
#[derive(Clone, PartialEq, Eq)]
pub struct SchoolSettings {
    pub school_id: SchoolId,
    /// Require two-factor login for every account, teachers included.
    pub two_factor_for_all: bool,
    /// Everything about a pupil is deleted this many days after the day they left.
    pub retention_days: i64,
    /// Sign-in with the school's OpenID provider, when configured.
    pub oidc: Option<OidcConfig>,
    /// Create an account (as a teacher) for an unknown address from the school's provider.
    pub oidc_create_accounts: bool,
}

impl SchoolSettings {
    pub fn defaults(school_id: SchoolId) -> SchoolSettings {
        SchoolSettings {
            school_id,
            two_factor_for_all: false,
            retention_days: DEFAULT_RETENTION_DAYS,
            oidc: None,
            oidc_create_accounts: false,
        }
    }
}

impl fmt::Debug for SchoolSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SchoolSettings")
            .field("school_id", &self.school_id)
            .field("two_factor_for_all", &self.two_factor_for_all)
            .field("retention_days", &self.retention_days)
            .field("oidc", &self.oidc)
            .field("oidc_create_accounts", &self.oidc_create_accounts)
            .finish()
    }
}

/// The school's OpenID provider and erbij's registration there.
#[derive(Clone, PartialEq, Eq)]
pub struct OidcConfig {
    /// `https://login.microsoftonline.com/{tenant}/v2.0`, `https://accounts.google.com`, ...
    pub issuer: String,
    pub client_id: String,
    pub client_secret: String,
}

// The client secret is a credential: never in logs.
impl fmt::Debug for OidcConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OidcConfig")
            .field("issuer", &self.issuer)
            .field("client_id", &self.client_id)
            .finish_non_exhaustive()
    }
}

/// A user's second factor.
#[derive(Clone, PartialEq, Eq)]
pub struct TwoFactorRecord {
    pub user_id: UserId,
    pub school_id: SchoolId,
    /// Base32 TOTP secret; `None` before enrolment started.
    pub secret: Option<String>,
    /// Set once the first code was right: from then on every login asks for a code.
    pub confirmed_at: Option<Timestamp>,
    /// The last 30-second step whose code was accepted: a code is never accepted twice.
    pub last_step: i64,
    /// The first login while two-factor was required but not set up.
    pub grace_started_at: Option<Timestamp>,
}

impl fmt::Debug for TwoFactorRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TwoFactorRecord")
            .field("user_id", &self.user_id)
            .field("school_id", &self.school_id)
            .field("confirmed_at", &self.confirmed_at)
            .field("grace_started_at", &self.grace_started_at)
            .finish_non_exhaustive()
    }
}

/// What a half-finished login still needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChallengePurpose {
    /// A code from the authenticator app (or a recovery code).
    Verify,
    /// Setting up the authenticator app first: two-factor is required and the grace period
    /// is over.
    Enrol,
}

impl ChallengePurpose {
    pub fn as_str(self) -> &'static str {
        match self {
            ChallengePurpose::Verify => "verify",
            ChallengePurpose::Enrol => "enrol",
        }
    }
    pub fn parse(raw: &str) -> Option<ChallengePurpose> {
        match raw {
            "verify" => Some(ChallengePurpose::Verify),
            "enrol" => Some(ChallengePurpose::Enrol),
            _ => None,
        }
    }
}

/// A login whose first factor (password or school sign-in) was right.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChallengeRecord {
    pub user_id: UserId,
    pub school_id: SchoolId,
    pub purpose: ChallengePurpose,
    pub attempts: i64,
    pub expires_at: Timestamp,
}

/// A sign-in sent to the school's provider, waiting for its answer.
#[derive(Clone, PartialEq, Eq)]
pub struct OidcRequest {
    pub school_id: SchoolId,
    pub nonce: String,
    pub pkce_verifier: String,
    pub redirect_uri: String,
    pub expires_at: Timestamp,
}

impl fmt::Debug for OidcRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OidcRequest")
            .field("school_id", &self.school_id)
            .field("expires_at", &self.expires_at)
            .finish_non_exhaustive()
    }
}

/// One run of the retention job for one school: counts only, never names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetentionRun {
    pub school_id: SchoolId,
    pub ran_at: Timestamp,
    /// Pupils who left on or before this day were deleted.
    pub cutoff: String,
    pub pupils_deleted: i64,
    pub files_deleted: i64,
}

/// Storage for two-factor login, school sign-in and retention.
pub trait AuthStore: Send + Sync {
    /// The school's settings; the defaults when none were saved.
    fn school_settings(&self, school: SchoolId) -> Result<SchoolSettings, StoreError>;
    fn save_school_settings(&self, settings: &SchoolSettings) -> Result<(), StoreError>;

    fn two_factor(
        &self,
        school: SchoolId,
        user: UserId,
    ) -> Result<Option<TwoFactorRecord>, StoreError>;
    /// Records the start of the grace period once; returns when it started.
    fn start_two_factor_grace(
        &self,
        school: SchoolId,
        user: UserId,
        now: Timestamp,
    ) -> Result<Timestamp, StoreError>;
    /// Stores a new, unconfirmed secret (enrolment starts or starts over).
    fn set_pending_two_factor(
        &self,
        school: SchoolId,
        user: UserId,
        secret: &str,
    ) -> Result<(), StoreError>;
    /// Confirms enrolment at `step` and replaces the recovery codes, in one transaction.
    fn confirm_two_factor(
        &self,
        school: SchoolId,
        user: UserId,
        step: i64,
        now: Timestamp,
        recovery_code_hashes: &[String],
    ) -> Result<(), StoreError>;
    /// Accepts a code's step only if it is later than the last accepted one (atomic, so a
    /// code cannot be used twice, not even by two servers at once).
    fn accept_two_factor_step(
        &self,
        school: SchoolId,
        user: UserId,
        step: i64,
    ) -> Result<bool, StoreError>;
    /// Removes the second factor and the recovery codes (lost phone, or switched off).
    fn delete_two_factor(&self, school: SchoolId, user: UserId) -> Result<(), StoreError>;
    fn replace_recovery_codes(
        &self,
        school: SchoolId,
        user: UserId,
        hashes: &[String],
    ) -> Result<(), StoreError>;
    /// Marks an unused recovery code used; `false` when there is no such unused code.
    fn use_recovery_code(
        &self,
        school: SchoolId,
        user: UserId,
        hash: &str,
        now: Timestamp,
    ) -> Result<bool, StoreError>;
    fn unused_recovery_codes(&self, school: SchoolId, user: UserId) -> Result<i64, StoreError>;

    fn create_challenge(
        &self,
        token_hash: &str,
        challenge: &ChallengeRecord,
    ) -> Result<(), StoreError>;
    fn challenge(&self, token_hash: &str) -> Result<Option<ChallengeRecord>, StoreError>;
    /// Counts a wrong code; returns the attempts so far.
    fn count_challenge_attempt(&self, token_hash: &str) -> Result<i64, StoreError>;
    fn delete_challenge(&self, token_hash: &str) -> Result<(), StoreError>;

    fn create_oidc_request(
        &self,
        state_hash: &str,
        request: &OidcRequest,
    ) -> Result<(), StoreError>;
    /// Returns and deletes the request (a state is used once).
    fn take_oidc_request(&self, state_hash: &str) -> Result<Option<OidcRequest>, StoreError>;

    /// Every school's id with its settings (the retention job).
    fn all_school_settings(&self) -> Result<Vec<SchoolSettings>, StoreError>;
    /// Pupils of a school who left on or before `cutoff` (`YYYY-MM-DD`): archived with that
    /// date, or still in a class archived on or before it.
    fn pupils_left_on_or_before(
        &self,
        school: SchoolId,
        cutoff: &str,
    ) -> Result<Vec<PupilId>, StoreError>;
    /// Deletes a pupil in one transaction: every row about them goes with it (`ON DELETE
    /// CASCADE`: signals, survey codes and answers, cases with their steps, evidence rows and
    /// custody, parents, the access log), and so do the pupils' reports (Meld het) that
    /// became one of their cases. `None` when there was no such pupil; otherwise the vault
    /// blob names no row refers to any more, for the caller to remove.
    fn delete_pupil(
        &self,
        school: SchoolId,
        pupil: PupilId,
    ) -> Result<Option<Vec<String>>, StoreError>;
    /// Deletes reports (Meld het) received before `before` that never became a case, with
    /// their evidence rows; returns how many reports and the blob names no row refers to
    /// any more.
    fn delete_reports_received_before(
        &self,
        school: SchoolId,
        before: Timestamp,
    ) -> Result<(u64, Vec<String>), StoreError>;
    /// After deleting: makes sure deleted rows are gone from the database files too
    /// (SQLite: a WAL checkpoint, so no copy of an old page stays in the log). Best effort.
    fn flush_deletes(&self) -> Result<(), StoreError>;
    fn log_retention_run(&self, run: &RetentionRun) -> Result<(), StoreError>;
    fn retention_runs(&self, school: SchoolId) -> Result<Vec<RetentionRun>, StoreError>;
}

/// The shortest and longest retention period a school may set (one month, ten years).
pub const RETENTION_DAYS_RANGE: std::ops::RangeInclusive<i64> = 30..=3650;

/// Why a settings form was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SettingsError {
    #[error("the retention period must be between 30 and 3650 days")]
    RetentionOutOfRange,
    #[error("the issuer must be an https address (http only on this machine)")]
    IssuerNotHttps,
    #[error("the client id is missing or too long")]
    ClientId,
    #[error("the client secret is missing or too long")]
    ClientSecret,
    #[error(transparent)]
    Access(#[from] crate::AccessError),
}

impl From<StoreError> for SettingsError {
    fn from(err: StoreError) -> Self {
        SettingsError::Access(err.into())
    }
}

/// Whether an issuer address may be used: https, or plain http to this machine only
/// (a provider running beside erbij, and the tests).
pub fn issuer_allowed(issuer: &str) -> bool {
    let issuer = issuer.trim();
    if issuer.len() > 300 || issuer.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return false;
    }
    if let Some(rest) = issuer.strip_prefix("https://") {
        return !rest.is_empty() && !rest.starts_with('/');
    }
    if let Some(rest) = issuer.strip_prefix("http://") {
        let host = rest.split(['/', ':']).next().unwrap_or("");
        return matches!(host, "127.0.0.1" | "localhost");
    }
    false
}

fn with_sign_in(
    mut settings: SchoolSettings,
    provider: Option<(&str, &str, &str)>,
    create_accounts: bool,
) -> Result<SchoolSettings, SettingsError> {
    settings.oidc = match provider {
        None => None,
        Some((issuer, client_id, secret)) => {
            let issuer = issuer.trim().trim_end_matches('/').to_string();
            if !issuer_allowed(&issuer) {
                return Err(SettingsError::IssuerNotHttps);
            }
            let client_id = client_id.trim().to_string();
            if client_id.is_empty()
                || client_id.len() > 200
                || client_id.chars().any(char::is_control)
            {
                return Err(SettingsError::ClientId);
            }
            let secret = match secret.trim() {
                "" => settings
                    .oidc
                    .as_ref()
                    .map(|o| o.client_secret.clone())
                    .unwrap_or_default(),
                given => given.to_string(),
            };
            if secret.is_empty() || secret.len() > 500 || secret.chars().any(char::is_control) {
                return Err(SettingsError::ClientSecret);
            }
            Some(OidcConfig {
                issuer,
                client_id,
                client_secret: secret,
            })
        }
    };
    settings.oidc_create_accounts = create_accounts && settings.oidc.is_some();
    Ok(settings)
}

/// One account as the security settings page lists it.
#[derive(Debug, Clone)]
pub struct AccountSecurity {
    pub user: crate::UserRecord,
    pub two_factor: bool,
}

impl crate::Platform {
    /// The school's settings (administrators only).
    pub fn school_settings(
        &self,
        actor: &crate::Actor,
    ) -> Result<SchoolSettings, crate::AccessError> {
        crate::platform::require_manager(actor)?;
        Ok(self.store().school_settings(actor.school_id)?)
    }

    /// Every account of the school with whether it uses two-factor login (administrators).
    pub fn accounts_security(
        &self,
        actor: &crate::Actor,
    ) -> Result<Vec<AccountSecurity>, crate::AccessError> {
        crate::platform::require_manager(actor)?;
        let mut out = Vec::new();
        for user in self.store().users(actor.school_id)? {
            let two_factor = self
                .store()
                .two_factor(actor.school_id, user.id)?
                .is_some_and(|r| r.confirmed_at.is_some());
            out.push(AccountSecurity { user, two_factor });
        }
        Ok(out)
    }

    /// Two-factor for everyone, and the retention period.
    pub fn save_security_settings(
        &self,
        actor: &crate::Actor,
        two_factor_for_all: bool,
        retention_days: i64,
    ) -> Result<SchoolSettings, SettingsError> {
        crate::platform::require_manager(actor)?;
        if !RETENTION_DAYS_RANGE.contains(&retention_days) {
            return Err(SettingsError::RetentionOutOfRange);
        }
        let mut settings = self.store().school_settings(actor.school_id)?;
        settings.two_factor_for_all = two_factor_for_all;
        settings.retention_days = retention_days;
        self.store().save_school_settings(&settings)?;
        Ok(settings)
    }

    /// Sign-in with the school's OpenID provider: `None` switches it off. An empty secret
    /// keeps the one saved before (the form never shows it).
    pub fn save_sign_in_settings(
        &self,
        actor: &crate::Actor,
        provider: Option<(&str, &str, &str)>,
        create_accounts: bool,
    ) -> Result<SchoolSettings, SettingsError> {
        crate::platform::require_manager(actor)?;
        let settings = self.store().school_settings(actor.school_id)?;
        let settings = with_sign_in(settings, provider, create_accounts)?;
        self.store().save_school_settings(&settings)?;
        Ok(settings)
    }

    /// `erbij serve --oidc-issuer ...`: the operator sets a school's sign-in at start.
    pub fn operator_configure_sign_in(
        &self,
        school: Option<&str>,
        provider: (&str, &str, &str),
        create_accounts: bool,
    ) -> Result<crate::SchoolRecord, SettingsError> {
        let school = match school {
            Some(wanted) => self.find_school(wanted)?,
            None => {
                let mut schools = self.store().schools()?;
                (schools.len() == 1).then(|| schools.remove(0))
            }
        }
        .ok_or(SettingsError::Access(crate::AccessError::NotFound))?;
        let settings = self.store().school_settings(school.id)?;
        let settings = with_sign_in(settings, Some(provider), create_accounts)?;
        self.store().save_school_settings(&settings)?;
        Ok(school)
    }

    /// The retention job's runs at the school, newest first (administrators).
    pub fn retention_runs(
        &self,
        actor: &crate::Actor,
    ) -> Result<Vec<RetentionRun>, crate::AccessError> {
        crate::platform::require_manager(actor)?;
        Ok(self.store().retention_runs(actor.school_id)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issuers_must_be_https_or_this_machine() {
        assert!(issuer_allowed("https://login.microsoftonline.com/abc/v2.0"));
        assert!(issuer_allowed("https://accounts.google.com"));
        assert!(issuer_allowed("http://127.0.0.1:4000"));
        assert!(issuer_allowed("http://localhost:4000/oidc"));
        assert!(!issuer_allowed("http://idp.school.example"));
        assert!(!issuer_allowed("http://127.0.0.1.evil.example"));
        assert!(!issuer_allowed("https://"));
        assert!(!issuer_allowed("ftp://x"));
        assert!(!issuer_allowed("https://a b"));
    }
}
