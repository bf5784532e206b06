//! Hardening: the login throttle (held in the database, so it holds across several
//! servers), security events the administrator sees, the access log of pupils' pages, the
//! first run as one transaction, API token lifetimes and the health check.
//!
//! The throttle never locks an account: every failure past a free number of tries adds a
//! delay that grows (30 s, 1, 2, 4 ... minutes) up to [`THROTTLE_MAX_SECONDS`]. Attempts
//! during a delay are refused without looking at the password and do not count, so an
//! attacker cannot keep a user out for longer than one delay after their last counted
//! failure, and the delay is counted per (address, source), per source and, with a much
//! higher free number, per address across all sources. An address without an account is
//! throttled exactly like one with an account, and its password is checked against a
//! dummy hash, so neither the status nor the timing tells which addresses exist.

use crate::platform::{LoginError, SessionInfo, dummy_hash};
use crate::security::hash_token;
use crate::store::{StoreError, UserRecord};
use crate::{AccessError, Actor, Email, Platform, PupilId, Role, SchoolId, Timestamp, UserId};

/// Failures from one source on one address before delays begin.
pub const THROTTLE_FREE_PER_PAIR: i64 = 5;
/// Failures from one source (on any addresses) before delays begin.
pub const THROTTLE_FREE_PER_SOURCE: i64 = 30;
/// Failures on one address (from any sources) before delays begin.
pub const THROTTLE_FREE_PER_ACCOUNT: i64 = 50;
/// The first delay; each further failure doubles it.
pub const THROTTLE_BASE_SECONDS: i64 = 30;
/// The longest delay: a correct password is never refused for longer after the last failure.
pub const THROTTLE_MAX_SECONDS: i64 = 15 * 60;
/// Failures older than this are forgotten.
pub const THROTTLE_FORGET_SECONDS: i64 = 24 * 3600;
/// API tokens expire after a year unless made for less.
pub const TOKEN_LIFETIME_SECONDS: i64 = 365 * 24 * 3600;

/// The delay after `failures` failures when `free` are free: 0 while within the free ones.
pub fn throttle_delay(failures: i64, free: i64) -> i64 {
    if failures < free {
        return 0;
    }
    let exponent = u32::try_from((failures - free).min(20)).unwrap_or(20);
    THROTTLE_BASE_SECONDS
        .saturating_mul(1_i64 << exponent)
        .min(THROTTLE_MAX_SECONDS)
}

/// One throttle counter as stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThrottleState {
    pub failures: i64,
    pub next_allowed_at: Timestamp,
}

/// Something the administrator should know about (shown on the accounts page).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecurityEvent {
    pub at: Timestamp,
    pub kind: SecurityEventKind,
    pub user_id: Option<UserId>,
    /// The account's name, when the event is about an account that still exists.
    pub user_name: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecurityEventKind {
    /// Too many wrong passwords from one source: logins from there are delayed.
    ThrottledFromOneSource,
    /// Too many wrong passwords from many sources: every login to the account is delayed.
    ThrottledFromManySources,
}

impl SecurityEventKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SecurityEventKind::ThrottledFromOneSource => "throttled_one_source",
            SecurityEventKind::ThrottledFromManySources => "throttled_many_sources",
        }
    }
    pub fn parse(text: &str) -> Option<SecurityEventKind> {
        [
            SecurityEventKind::ThrottledFromOneSource,
            SecurityEventKind::ThrottledFromManySources,
        ]
        .into_iter()
        .find(|k| k.as_str() == text)
    }
}

/// A page about one pupil, as recorded in the access log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PupilPage {
    /// The pupil's own page (names, class, number).
    Profile,
    /// The pupil's timeline of signals and findings.
    Timeline,
    /// A case file (`object` is the case id).
    Case,
    /// An evidence item (`object` is the evidence id).
    Evidence,
    /// The AVG export of everything about the pupil.
    DataExport,
    /// Another page: a short, fixed name chosen by the capability (`survey_result`).
    Other(&'static str),
}

impl PupilPage {
    pub fn as_str(self) -> &'static str {
        match self {
            PupilPage::Profile => "profile",
            PupilPage::Timeline => "timeline",
            PupilPage::Case => "case",
            PupilPage::Evidence => "evidence",
            PupilPage::DataExport => "data_export",
            PupilPage::Other(name) => name,
        }
    }
}

/// One view of a pupil's page: who, when, which page. Never what was on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessEntry {
    pub at: Timestamp,
    /// `None` when the account was deleted since.
    pub user_id: Option<UserId>,
    pub user_name: String,
    pub role: Option<Role>,
    pub page: String,
    pub object_id: Option<i64>,
}

/// What the health check found wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HealthError {
    #[error("the database file {0} is missing")]
    FileMissing(String),
    #[error("the database has no erbij tables (schema version {found}, expected {expected})")]
    NotMigrated { found: i64, expected: i64 },
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Storage for the hardening use cases. Every method on a school's rows takes the
/// `SchoolId` and filters on it in the query itself.
pub trait HardeningStore: Send + Sync {
    /// The stored counters for these keys (missing keys have none).
    fn throttle_states(&self, keys: &[String]) -> Result<Vec<ThrottleState>, StoreError>;
    /// Counts one failure on every key in one transaction (a counter last touched before
    /// `forget_before` starts again at 1) and sets each key's next allowed time to
    /// `now + delay(index, failures)`. Returns the new failure counts, in order.
    fn record_login_failure(
        &self,
        keys: &[String],
        now: Timestamp,
        forget_before: Timestamp,
        delay: &dyn Fn(usize, i64) -> i64,
    ) -> Result<Vec<i64>, StoreError>;
    /// Forgets these counters (after a correct password), and every counter older than
    /// `forget_before`.
    fn clear_login_failures(
        &self,
        keys: &[String],
        forget_before: Timestamp,
    ) -> Result<(), StoreError>;

    fn add_security_event(
        &self,
        school: SchoolId,
        kind: SecurityEventKind,
        user: Option<UserId>,
        at: Timestamp,
    ) -> Result<(), StoreError>;
    /// The school's most recent events, newest first.
    fn security_events(
        &self,
        school: SchoolId,
        limit: i64,
    ) -> Result<Vec<SecurityEvent>, StoreError>;

    fn record_access(
        &self,
        school: SchoolId,
        pupil: PupilId,
        user: UserId,
        page: &str,
        object_id: Option<i64>,
        at: Timestamp,
    ) -> Result<(), StoreError>;
    /// Every recorded view of the pupil's pages, newest first.
    fn access_log(&self, school: SchoolId, pupil: PupilId) -> Result<Vec<AccessEntry>, StoreError>;
    /// Deletes the school's log entries older than `before`; returns how many.
    fn prune_access_log(&self, school: SchoolId, before: Timestamp) -> Result<u64, StoreError>;

    /// The first run in one transaction: claims the installation, then creates the school
    /// and its administrator. `None` when the installation was already claimed or has
    /// accounts (a concurrent first run lost).
    fn create_installation(
        &self,
        school_name: &crate::SchoolName,
        kind: crate::SchoolKind,
        user: &crate::NewUser,
        now: Timestamp,
    ) -> Result<Option<(crate::SchoolRecord, UserRecord)>, StoreError>;

    /// Revokes every token of a user (after a password change); returns how many.
    fn revoke_all_tokens(
        &self,
        school: SchoolId,
        user: UserId,
        at: Timestamp,
    ) -> Result<u64, StoreError>;

    /// Checks that the database is there and holds erbij's tables, not only that it
    /// answers `SELECT 1`.
    fn health(&self) -> Result<(), HealthError>;
}

/// The counters one login attempt touches.
#[derive(Debug, Clone)]
struct ThrottleKeys {
    /// (address, source), per source, per address: in this order everywhere.
    keys: [String; 3],
}

const FREE: [i64; 3] = [
    THROTTLE_FREE_PER_PAIR,
    THROTTLE_FREE_PER_SOURCE,
    THROTTLE_FREE_PER_ACCOUNT,
];

impl ThrottleKeys {
    fn new(email: &str, source: &str) -> ThrottleKeys {
        // Hashed: the table holds neither addresses nor client addresses.
        let email = email.trim().to_lowercase();
        let source = if source.is_empty() { "local" } else { source };
        ThrottleKeys {
            keys: [
                hash_token(&format!("pair\u{0}{email}\u{0}{source}")),
                hash_token(&format!("source\u{0}{source}")),
                hash_token(&format!("account\u{0}{email}")),
            ],
        }
    }
}

/// A login in progress: the throttle allowed it; the password still has to be checked
/// (on the web layer's hashing pool) against [`LoginAttempt::password_hash`].
#[derive(Debug)]
pub struct LoginAttempt {
    keys: ThrottleKeys,
    user: Option<UserRecord>,
}

impl LoginAttempt {
    /// The hash to verify the password against: the account's, or a dummy one for an
    /// unknown address, so both take as long.
    pub fn password_hash(&self) -> &str {
        match &self.user {
            Some(user) => &user.password_hash,
            None => dummy_hash(),
        }
    }
}

/// Whether a new password is acceptable: long enough (checked when hashing), not on the
/// list of common passwords, and not containing the account's e-mail address or its
/// name part. No composition rules (NIST SP 800-63B, OWASP ASVS 6.2).
pub fn check_password_policy(
    password: &str,
    email: Option<&Email>,
) -> Result<(), crate::PasswordError> {
    let lowered = password.trim().to_lowercase();
    if let Some(email) = email {
        let address = email.as_str();
        let local = address.split('@').next().unwrap_or("");
        if lowered.contains(address) || (local.chars().count() >= 4 && lowered.contains(local)) {
            return Err(crate::PasswordError::ContainsEmail);
        }
    }
    if is_common_password(&lowered) {
        return Err(crate::PasswordError::Common);
    }
    Ok(())
}

/// The 10,000 most common passwords of zxcvbn's list (MIT, from public breach data),
/// plus Dutch ones; compared lower-cased, also with trailing digits and symbols removed,
/// so `Welkom2024!` counts as `welkom`.
fn is_common_password(lowered: &str) -> bool {
    use std::collections::HashSet;
    use std::sync::OnceLock;
    static LIST: OnceLock<HashSet<&'static str>> = OnceLock::new();
    let list = LIST.get_or_init(|| {
        include_str!("common_passwords.txt")
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect()
    });
    let base = lowered.trim_end_matches(|c: char| !c.is_alphabetic());
    let base = base.trim_start_matches(|c: char| !c.is_alphanumeric());
    list.contains(lowered)
        || (base.chars().count() >= 4 && list.contains(base))
        || is_one_repeated(lowered)
}

/// `aaaaaaaaaa`, `abcabcabcabc`, `1212121212`: a short piece repeated.
fn is_one_repeated(text: &str) -> bool {
    let chars: Vec<char> = text.chars().collect();
    (1..=4).any(|period| {
        chars.len() >= period * 3
            && chars
                .iter()
                .enumerate()
                .all(|(i, c)| chars[i % period] == *c)
    })
}

impl Platform {
    /// Step one of a login: is this address allowed to try from this source now? Looks up
    /// the account (unknown addresses go on like known ones).
    pub fn begin_login(&self, email: &str, source: &str) -> Result<LoginAttempt, LoginError> {
        let now = self.now();
        let keys = ThrottleKeys::new(email, source);
        let states = self.store().throttle_states(&keys.keys)?;
        if let Some(until) = states
            .iter()
            .map(|s| s.next_allowed_at)
            .filter(|at| *at > now)
            .max()
        {
            return Err(LoginError::Locked { until });
        }
        let user = match Email::new(email) {
            Ok(email) => self.store().user_by_email(&email)?,
            Err(_) => None,
        };
        Ok(LoginAttempt { keys, user })
    }

    /// Step two: the password was checked. Opens a session, or counts the failure.
    pub fn finish_login(
        &self,
        attempt: LoginAttempt,
        password_ok: bool,
    ) -> Result<(String, SessionInfo), LoginError> {
        let now = self.now();
        let forget_before = now - THROTTLE_FORGET_SECONDS;
        match attempt.user {
            Some(user) if password_ok => {
                // The source's counter stays: it may be guessing at other addresses.
                self.store().clear_login_failures(
                    &[attempt.keys.keys[0].clone(), attempt.keys.keys[2].clone()],
                    forget_before,
                )?;
                self.after_first_factor(&user)
            }
            user => {
                let failures = self.store().record_login_failure(
                    &attempt.keys.keys,
                    now,
                    forget_before,
                    &|index, failures| throttle_delay(failures, FREE[index.min(2)]),
                )?;
                if let Some(user) = &user {
                    // Told once, when the delays begin.
                    let kinds = [
                        (
                            failures.first(),
                            FREE[0],
                            SecurityEventKind::ThrottledFromOneSource,
                        ),
                        (
                            failures.get(2),
                            FREE[2],
                            SecurityEventKind::ThrottledFromManySources,
                        ),
                    ];
                    for (count, free, kind) in kinds {
                        if count == Some(&free) {
                            self.store().add_security_event(
                                user.school_id,
                                kind,
                                Some(user.id),
                                now,
                            )?;
                        }
                    }
                }
                let until = failures
                    .iter()
                    .enumerate()
                    .map(|(i, f)| throttle_delay(*f, FREE[i.min(2)]))
                    .max()
                    .filter(|delay| *delay > 0)
                    .map(|delay| now + delay);
                Err(match until {
                    Some(until) => LoginError::Locked { until },
                    None => LoginError::InvalidCredentials,
                })
            }
        }
    }

    /// A whole login on the calling thread (command line, tests): begin, verify, finish.
    pub fn login_from(
        &self,
        email: &str,
        password: &str,
        source: &str,
    ) -> Result<(String, SessionInfo), LoginError> {
        let attempt = self.begin_login(email, source)?;
        let ok = crate::verify_password(password, attempt.password_hash());
        self.finish_login(attempt, ok)
    }

    /// Recent security events of the actor's school (administrators only).
    pub fn security_events(&self, actor: &Actor) -> Result<Vec<SecurityEvent>, AccessError> {
        if !actor.role.manages_school() {
            return Err(AccessError::Forbidden);
        }
        Ok(self.store().security_events(actor.school_id, 50)?)
    }

    /// Records that `actor` viewed a page about `pupil` (who, when, which page; never its
    /// content). Call it from every page that shows a pupil's data, after the access check.
    pub fn record_pupil_view(
        &self,
        actor: &Actor,
        pupil: PupilId,
        page: PupilPage,
        object_id: Option<i64>,
    ) -> Result<(), StoreError> {
        self.store().record_access(
            actor.school_id,
            pupil,
            actor.user_id,
            page.as_str(),
            object_id,
            self.now(),
        )
    }

    /// Who viewed which of the pupil's pages, newest first: the coordinator only (others
    /// who can see the pupil get `Forbidden`).
    pub fn pupil_access_log(
        &self,
        actor: &Actor,
        pupil: PupilId,
    ) -> Result<(crate::PupilRecord, Vec<AccessEntry>), AccessError> {
        let record = self.pupil(actor, pupil)?;
        if actor.role != Role::Coordinator {
            return Err(AccessError::Forbidden);
        }
        Ok((record, self.store().access_log(actor.school_id, pupil)?))
    }

    /// Deletes the school's access-log entries older than the retention period (called by
    /// the retention job).
    pub fn prune_access_log(
        &self,
        school: SchoolId,
        retention_seconds: i64,
    ) -> Result<u64, StoreError> {
        self.store()
            .prune_access_log(school, self.now() - retention_seconds)
    }

    /// The health check: the database answers within the store's timeouts and holds
    /// erbij's tables.
    pub fn health(&self) -> Result<(), HealthError> {
        self.store().health()
    }

    /// `erbij token revoke`: revokes one token (`Some(id)`) or all of the account's tokens.
    pub fn operator_revoke_tokens(
        &self,
        email: &str,
        token_id: Option<i64>,
    ) -> Result<u64, crate::SetupError> {
        let email = Email::new(email)?;
        let user = self
            .store()
            .user_by_email(&email)?
            .ok_or_else(|| crate::SetupError::UnknownAccount(email.to_string()))?;
        match token_id {
            Some(id) => Ok(u64::from(self.store().revoke_token(
                user.school_id,
                user.id,
                id,
            )?)),
            None => Ok(self
                .store()
                .revoke_all_tokens(user.school_id, user.id, self.now())?),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_grow_from_the_free_tries_up_to_the_maximum() {
        assert_eq!(throttle_delay(4, 5), 0);
        assert_eq!(throttle_delay(5, 5), 30);
        assert_eq!(throttle_delay(6, 5), 60);
        assert_eq!(throttle_delay(7, 5), 120);
        assert_eq!(throttle_delay(9, 5), 480);
        assert_eq!(throttle_delay(10, 5), THROTTLE_MAX_SECONDS);
        assert_eq!(throttle_delay(10_000, 5), THROTTLE_MAX_SECONDS);
    }

    #[test]
    fn common_passwords_and_the_address_are_refused_long_passphrases_are_not() {
        let email = Email::new("juf.anouk@school.example").unwrap_or_else(|_| unreachable!());
        for refused in [
            "wachtwoord123",
            "Welkom2024!",
            "password1234",
            "qwertyuiop",
            "1234567890",
            "aaaaaaaaaaaa",
            "abcabcabcabc",
            "Football2025",
        ] {
            assert_eq!(
                check_password_policy(refused, Some(&email)),
                Err(crate::PasswordError::Common),
                "{refused}"
            );
        }
        assert_eq!(
            check_password_policy("juf.anouk@school.example1", Some(&email)),
            Err(crate::PasswordError::ContainsEmail)
        );
        assert_eq!(
            check_password_policy("JUF.ANOUK-rules-2025", Some(&email)),
            Err(crate::PasswordError::ContainsEmail)
        );
        for accepted in [
            "paars fietsje onder de brug",
            "kikker-lamp-zeven-wolk",
            "Tr0mpet!Zonnig",
        ] {
            assert_eq!(
                check_password_policy(accepted, Some(&email)),
                Ok(()),
                "{accepted}"
            );
        }
    }
}

/// A moment as people in the Netherlands read it: `2026-12-05 10:15` in Europe/Amsterdam
/// (CET, or CEST from the last Sunday of March 01:00 UTC to the last Sunday of October
/// 01:00 UTC, the EU rule).
pub fn amsterdam_time(ts: Timestamp) -> String {
    let offset = if is_eu_summer_time(ts) { 7200 } else { 3600 };
    let local = ts + offset;
    let date = crate::Date::from_timestamp(local);
    let seconds = local.rem_euclid(86_400);
    format!("{date} {:02}:{:02}", seconds / 3600, (seconds % 3600) / 60)
}

fn is_eu_summer_time(ts: Timestamp) -> bool {
    let year = crate::Date::from_timestamp(ts).year();
    let start = last_sunday_1am_utc(year, 3);
    let end = last_sunday_1am_utc(year, 10);
    ts >= start && ts < end
}

/// 01:00 UTC on the last Sunday of `month` (March or October: 31 days).
fn last_sunday_1am_utc(year: i32, month: u8) -> Timestamp {
    // Days from 1970-01-01 to the 31st of the month (Howard Hinnant's days_from_civil).
    let (y, m, d) = (i64::from(year), i64::from(month), 31_i64);
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    // 1970-01-01 was a Thursday: weekday 0 = Sunday is (days + 4) mod 7.
    let weekday = (days + 4).rem_euclid(7);
    (days - weekday) * 86_400 + 3600
}

#[cfg(test)]
mod time_tests {
    use super::amsterdam_time;

    #[test]
    fn amsterdam_time_follows_summer_and_winter_time() {
        // 2026-03-29 00:59 UTC is still winter time; 01:00 UTC starts summer time.
        assert_eq!(amsterdam_time(1_774_745_940), "2026-03-29 01:59");
        assert_eq!(amsterdam_time(1_774_746_000), "2026-03-29 03:00");
        // 2026-10-25 01:00 UTC ends it.
        assert_eq!(amsterdam_time(1_792_889_940), "2026-10-25 02:59");
        assert_eq!(amsterdam_time(1_792_890_000), "2026-10-25 02:00");
        assert_eq!(amsterdam_time(1_796_464_800), "2026-12-05 11:00");
    }
}
