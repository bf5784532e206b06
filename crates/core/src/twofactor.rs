//! Two-factor login: a time-based code from an authenticator app (TOTP, RFC 6238) after the
//! password or the school's sign-in, with single-use recovery codes for a lost phone.
//!
//! Who must use it: every role that sees case files and evidence (coordinator, confidential
//! adviser, care coordinator) and administrators; teachers when the school switches it on
//! for everyone, or by their own choice. Someone who must but has not set it up yet gets
//! [`TWO_FACTOR_GRACE_SECONDS`] from their first such login (every login in that time
//! lands on the set-up page); after that, a login only opens the set-up step.

use totp_rs::{Algorithm, TOTP};

use crate::auth::{ChallengePurpose, ChallengeRecord, SchoolSettings};
use crate::platform::require_manager;
use crate::security::{hash_token, new_secret_token, random_bytes};
use crate::store::UserRecord;
use crate::{
    AccessError, Actor, LoginError, Platform, Role, SessionInfo, StoreError, Timestamp, UserId,
};

/// Seconds per code (what every authenticator app uses).
pub const TOTP_STEP_SECONDS: i64 = 30;
/// Digits per code.
pub const TOTP_DIGITS: usize = 6;
/// Codes of one step before and after now are accepted too (a phone's clock drifts).
const TOTP_SKEW_STEPS: i64 = 1;
/// 160 bits, RFC 4226's recommended secret length for HMAC-SHA-1.
const SECRET_BYTES: usize = 20;
/// How long someone who must use two-factor may log in without it, from their first login
/// that asked for it (Microsoft Entra gives 14 days; a school's data warrants less).
pub const TWO_FACTOR_GRACE_SECONDS: i64 = 7 * 86_400;
/// A half-finished login expires after ten minutes.
pub const CHALLENGE_LIFETIME_SECONDS: i64 = 600;
/// Wrong codes per half-finished login before it ends (back to the password).
pub const MAX_CODE_ATTEMPTS: i64 = 5;
/// Recovery codes made at a time.
pub const RECOVERY_CODE_COUNT: usize = 10;
/// Symbols in a recovery code (5 bits each).
pub const RECOVERY_CODE_SYMBOLS: usize = 24;
/// Crockford's base32: no i, l, o or u, so codes read aloud and typed back survive.
const RECOVERY_ALPHABET: &[u8; 32] = b"0123456789abcdefghjkmnpqrstvwxyz";

/// Whether this role must use two-factor login at this school.
pub fn two_factor_required(role: Role, settings: &SchoolSettings) -> bool {
    match role {
        Role::Administrator
        | Role::Coordinator
        | Role::ConfidentialAdviser
        | Role::CareCoordinator => true,
        Role::Teacher => settings.two_factor_for_all,
    }
}

/// The hash function of a TOTP (RFC 6238 allows SHA-1, SHA-256 and SHA-512; apps use SHA-1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TotpHash {
    Sha1,
    Sha256,
    Sha512,
}

/// The code of `secret` at Unix time `time` (RFC 6238, 30-second steps).
pub fn totp_code(hash: TotpHash, digits: usize, secret: &[u8], time: u64) -> String {
    let algorithm = match hash {
        TotpHash::Sha1 => Algorithm::SHA1,
        TotpHash::Sha256 => Algorithm::SHA256,
        TotpHash::Sha512 => Algorithm::SHA512,
    };
    TOTP::new_unchecked(
        algorithm,
        digits,
        0,
        TOTP_STEP_SECONDS.unsigned_abs(),
        secret.to_vec(),
    )
    .generate(time)
}

/// A TOTP secret as users' apps hold it.
#[derive(Clone, PartialEq, Eq)]
pub struct TotpSecret(Vec<u8>);

impl std::fmt::Debug for TotpSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TotpSecret(..)")
    }
}

impl TotpSecret {
    pub fn generate() -> Result<TotpSecret, AccessError> {
        Ok(TotpSecret(random_bytes::<SECRET_BYTES>()?.to_vec()))
    }

    /// Reads the base32 form (spaces and case ignored).
    pub fn from_base32(text: &str) -> Option<TotpSecret> {
        let clean: String = text
            .chars()
            .filter(|c| !c.is_whitespace())
            .map(|c| c.to_ascii_uppercase())
            .collect();
        base32_decode(&clean)
            .filter(|b| b.len() >= 16)
            .map(TotpSecret)
    }

    /// Base32 without padding, as authenticator apps expect.
    pub fn base32(&self) -> String {
        base32_encode(&self.0)
    }

    /// The base32 secret in groups of four, for typing it over by hand.
    pub fn base32_grouped(&self) -> String {
        let text = self.base32();
        text.as_bytes()
            .chunks(4)
            .map(|c| String::from_utf8_lossy(c).into_owned())
            .collect::<Vec<_>>()
            .join(" ")
    }

    pub fn code_at(&self, time: Timestamp) -> String {
        totp_code(
            TotpHash::Sha1,
            TOTP_DIGITS,
            &self.0,
            u64::try_from(time).unwrap_or(0),
        )
    }

    /// The 30-second step whose code this is, within one step of `now`; `None` when wrong.
    /// Every candidate is compared in constant time.
    pub fn matching_step(&self, code: &str, now: Timestamp) -> Option<i64> {
        let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
        if code.len() != TOTP_DIGITS || !code.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let current = now.div_euclid(TOTP_STEP_SECONDS);
        let mut found = None;
        for step in (current - TOTP_SKEW_STEPS)..=(current + TOTP_SKEW_STEPS) {
            let expected = self.code_at(step * TOTP_STEP_SECONDS);
            if crate::security::same_bytes(expected.as_bytes(), code.as_bytes()) {
                found = Some(step);
            }
        }
        found
    }

    /// The `otpauth://` URI an authenticator app reads from the QR code.
    pub fn otpauth_uri(&self, issuer: &str, account: &str) -> String {
        let label = format!("{}:{}", uri_encode(issuer), uri_encode(account));
        format!(
            "otpauth://totp/{label}?secret={}&issuer={}&algorithm=SHA1&digits={TOTP_DIGITS}&period={TOTP_STEP_SECONDS}",
            self.base32(),
            uri_encode(issuer)
        )
    }
}

fn uri_encode(text: &str) -> String {
    let mut out = String::new();
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'@' => {
                out.push(char::from(byte))
            }
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

const BASE32: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

fn base32_encode(bytes: &[u8]) -> String {
    let mut out = String::new();
    let (mut buffer, mut bits) = (0u32, 0u32);
    for &byte in bytes {
        buffer = (buffer << 8) | u32::from(byte);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(char::from(BASE32[((buffer >> bits) & 31) as usize]));
        }
    }
    if bits > 0 {
        out.push(char::from(BASE32[((buffer << (5 - bits)) & 31) as usize]));
    }
    out
}

fn base32_decode(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let (mut buffer, mut bits) = (0u32, 0u32);
    for c in text.trim_end_matches('=').bytes() {
        let value = BASE32.iter().position(|&b| b == c)?;
        buffer = (buffer << 5) | u32::try_from(value).ok()?;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push(((buffer >> bits) & 0xff) as u8);
        }
    }
    Some(out)
}

/// A new recovery code, `xxxx-xxxx-xxxx-xxxx-xxxx-xxxx`: 24 symbols of 5 bits, 120 random
/// bits, so a plain SHA-256 is an allowed way to store it (ASVS 5.0 V6.5.2 asks a slow,
/// salted hash below 112 bits).
fn new_recovery_code() -> Result<String, AccessError> {
    let bytes = random_bytes::<RECOVERY_CODE_SYMBOLS>()?;
    let mut out = String::with_capacity(RECOVERY_CODE_SYMBOLS + RECOVERY_CODE_SYMBOLS / 4 - 1);
    for (i, b) in bytes.iter().enumerate() {
        if i > 0 && i % 4 == 0 {
            out.push('-');
        }
        out.push(char::from(RECOVERY_ALPHABET[usize::from(b & 31)]));
    }
    Ok(out)
}

/// The stored form of a recovery code as typed: case, spaces and dashes ignored, and the
/// letters people mistake for digits read as those digits. 120 random bits make a fast hash
/// enough (as for session ids). Codes of 16 symbols (80 bits) made before codes grew still
/// work until they are used or renewed.
pub fn recovery_code_hash(typed: &str) -> Option<String> {
    let normal: String = typed
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| match c.to_ascii_lowercase() {
            'o' => '0',
            'i' | 'l' => '1',
            other => other,
        })
        .collect();
    ((normal.len() == RECOVERY_CODE_SYMBOLS || normal.len() == 16)
        && normal.bytes().all(|b| RECOVERY_ALPHABET.contains(&b)))
    .then(|| hash_token(&format!("recovery:{normal}")))
}

fn new_recovery_codes() -> Result<(Vec<String>, Vec<String>), AccessError> {
    let mut codes = Vec::with_capacity(RECOVERY_CODE_COUNT);
    let mut hashes = Vec::with_capacity(RECOVERY_CODE_COUNT);
    for _ in 0..RECOVERY_CODE_COUNT {
        let code = new_recovery_code()?;
        hashes.push(recovery_code_hash(&code).unwrap_or_default());
        codes.push(code);
    }
    Ok((codes, hashes))
}

/// What the account page shows about the actor's second factor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TwoFactorStatus {
    pub enrolled: bool,
    pub required: bool,
    /// Until when a required but missing second factor is tolerated.
    pub grace_until: Option<Timestamp>,
    pub recovery_codes_left: i64,
}

/// A secret being set up, for the QR code and for typing over.
#[derive(Debug, Clone)]
pub struct Enrolment {
    pub secret: TotpSecret,
    pub uri: String,
}

/// Why a code at login was not accepted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SecondFactorError {
    /// The half-finished login is unknown, expired or used up: log in again.
    #[error("the login has expired; log in again")]
    Expired,
    #[error("the code is wrong")]
    WrongCode { attempts_left: i64 },
    #[error(transparent)]
    Access(#[from] AccessError),
}

impl From<StoreError> for SecondFactorError {
    fn from(err: StoreError) -> Self {
        SecondFactorError::Access(AccessError::from(err))
    }
}

/// A login that still needs its second step: the secret for the cookie, and which step.
#[derive(Clone, PartialEq, Eq)]
pub struct Challenge {
    pub token: String,
    pub purpose: ChallengePurpose,
}

impl std::fmt::Debug for Challenge {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Challenge")
            .field("purpose", &self.purpose)
            .finish_non_exhaustive()
    }
}

const ISSUER: &str = "erbij";

impl Platform {
    /// After a right password or school sign-in: a session, or the second step still due.
    pub(crate) fn after_first_factor(
        &self,
        user: &UserRecord,
    ) -> Result<(String, SessionInfo), LoginError> {
        let now = self.now();
        let store = self.store();
        let settings = store.school_settings(user.school_id)?;
        let record = store.two_factor(user.school_id, user.id)?;
        let purpose = if record.as_ref().is_some_and(|r| r.confirmed_at.is_some()) {
            Some(ChallengePurpose::Verify)
        } else if two_factor_required(user.role, &settings) {
            let started = store.start_two_factor_grace(user.school_id, user.id, now)?;
            (now >= started + TWO_FACTOR_GRACE_SECONDS).then_some(ChallengePurpose::Enrol)
        } else {
            None
        };
        let Some(purpose) = purpose else {
            return self.open_session(user).map_err(LoginError::from);
        };
        let token = new_secret_token()?;
        store.create_challenge(
            &hash_token(&token),
            &ChallengeRecord {
                user_id: user.id,
                school_id: user.school_id,
                purpose,
                attempts: 0,
                expires_at: now + CHALLENGE_LIFETIME_SECONDS,
            },
        )?;
        Err(LoginError::SecondFactor(Challenge { token, purpose }))
    }

    /// The half-finished login behind a challenge cookie, if it is still open.
    pub fn challenge(&self, token: &str) -> Result<Option<ChallengeRecord>, StoreError> {
        let hash = hash_token(token);
        let Some(record) = self.store().challenge(&hash)? else {
            return Ok(None);
        };
        if record.expires_at <= self.now() || record.attempts >= MAX_CODE_ATTEMPTS {
            self.store().delete_challenge(&hash)?;
            return Ok(None);
        }
        Ok(Some(record))
    }

    fn challenged_user(
        &self,
        token: &str,
    ) -> Result<(ChallengeRecord, UserRecord), SecondFactorError> {
        let record = self.challenge(token)?.ok_or(SecondFactorError::Expired)?;
        let user = self
            .store()
            .user(record.school_id, record.user_id)?
            .ok_or(SecondFactorError::Expired)?;
        Ok((record, user))
    }

    fn wrong_code(&self, token: &str) -> Result<SecondFactorError, StoreError> {
        let attempts = self.store().count_challenge_attempt(&hash_token(token))?;
        if attempts >= MAX_CODE_ATTEMPTS {
            self.store().delete_challenge(&hash_token(token))?;
            return Ok(SecondFactorError::Expired);
        }
        Ok(SecondFactorError::WrongCode {
            attempts_left: MAX_CODE_ATTEMPTS - attempts,
        })
    }

    /// The login's second step: a code from the app, or an unused recovery code.
    pub fn complete_second_factor(
        &self,
        token: &str,
        code: &str,
    ) -> Result<(String, SessionInfo), SecondFactorError> {
        let (record, user) = self.challenged_user(token)?;
        if record.purpose != ChallengePurpose::Verify {
            return Err(SecondFactorError::Expired);
        }
        let store = self.store();
        let accepted = match self.check_app_code(&user, code)? {
            Some(step) => store.accept_two_factor_step(user.school_id, user.id, step)?,
            None => match recovery_code_hash(code) {
                Some(hash) => {
                    store.use_recovery_code(user.school_id, user.id, &hash, self.now())?
                }
                None => false,
            },
        };
        if !accepted {
            return Err(self.wrong_code(token)?);
        }
        store.delete_challenge(&hash_token(token))?;
        Ok(self.open_session(&user)?)
    }

    fn check_app_code(&self, user: &UserRecord, code: &str) -> Result<Option<i64>, StoreError> {
        let Some(record) = self.store().two_factor(user.school_id, user.id)? else {
            return Ok(None);
        };
        let Some(secret) = record.secret.as_deref().and_then(TotpSecret::from_base32) else {
            return Ok(None);
        };
        Ok(secret
            .matching_step(code, self.now())
            .filter(|step| *step > record.last_step))
    }

    /// Set-up during login (required, grace period over): the secret to show.
    pub fn challenge_enrolment(&self, token: &str) -> Result<Enrolment, SecondFactorError> {
        let (record, user) = self.challenged_user(token)?;
        if record.purpose != ChallengePurpose::Enrol {
            return Err(SecondFactorError::Expired);
        }
        Ok(self.pending_enrolment(&user)?)
    }

    /// Finishes set-up during login: the session and the recovery codes (shown once).
    pub fn complete_challenge_enrolment(
        &self,
        token: &str,
        code: &str,
    ) -> Result<(String, SessionInfo, Vec<String>), SecondFactorError> {
        let (record, user) = self.challenged_user(token)?;
        if record.purpose != ChallengePurpose::Enrol {
            return Err(SecondFactorError::Expired);
        }
        let Some(codes) = self.confirm_pending(&user, code)? else {
            return Err(self.wrong_code(token)?);
        };
        self.store().delete_challenge(&hash_token(token))?;
        let (session, info) = self.open_session(&user)?;
        // A new login factor: sessions opened before it (with the password alone) end.
        self.end_other_sessions(&user, &session)?;
        Ok((session, info, codes))
    }

    fn pending_enrolment(&self, user: &UserRecord) -> Result<Enrolment, AccessError> {
        let existing = self.store().two_factor(user.school_id, user.id)?;
        if existing.as_ref().is_some_and(|r| r.confirmed_at.is_some()) {
            return Err(AccessError::Conflict(
                "two-factor login is already set up".into(),
            ));
        }
        let secret = match existing
            .and_then(|r| r.secret)
            .and_then(|s| TotpSecret::from_base32(&s))
        {
            Some(secret) => secret,
            None => {
                let secret = TotpSecret::generate()?;
                self.store()
                    .set_pending_two_factor(user.school_id, user.id, &secret.base32())?;
                secret
            }
        };
        let uri = secret.otpauth_uri(ISSUER, user.email.as_str());
        Ok(Enrolment { secret, uri })
    }

    /// Confirms a pending secret with its first code; `None` when the code is wrong.
    fn confirm_pending(
        &self,
        user: &UserRecord,
        code: &str,
    ) -> Result<Option<Vec<String>>, AccessError> {
        let Some(record) = self.store().two_factor(user.school_id, user.id)? else {
            return Ok(None);
        };
        if record.confirmed_at.is_some() {
            return Err(AccessError::Conflict(
                "two-factor login is already set up".into(),
            ));
        }
        let Some(secret) = record.secret.as_deref().and_then(TotpSecret::from_base32) else {
            return Ok(None);
        };
        let Some(step) = secret.matching_step(code, self.now()) else {
            return Ok(None);
        };
        let (codes, hashes) = new_recovery_codes()?;
        self.store()
            .confirm_two_factor(user.school_id, user.id, step, self.now(), &hashes)?;
        Ok(Some(codes))
    }

    fn own_user(&self, actor: &Actor) -> Result<UserRecord, AccessError> {
        self.store()
            .user(actor.school_id, actor.user_id)?
            .ok_or(AccessError::NotFound)
    }

    /// The actor's own second factor, for the account page.
    pub fn two_factor_status(&self, actor: &Actor) -> Result<TwoFactorStatus, AccessError> {
        let settings = self.store().school_settings(actor.school_id)?;
        let record = self.store().two_factor(actor.school_id, actor.user_id)?;
        let enrolled = record.as_ref().is_some_and(|r| r.confirmed_at.is_some());
        let required = two_factor_required(actor.role, &settings);
        Ok(TwoFactorStatus {
            enrolled,
            required,
            grace_until: (required && !enrolled)
                .then(|| record.and_then(|r| r.grace_started_at))
                .flatten()
                .map(|start| start + TWO_FACTOR_GRACE_SECONDS),
            recovery_codes_left: if enrolled {
                self.store()
                    .unused_recovery_codes(actor.school_id, actor.user_id)?
            } else {
                0
            },
        })
    }

    /// Starts (or continues) setting up the authenticator app from the account page.
    pub fn begin_enrolment(&self, actor: &Actor) -> Result<Enrolment, AccessError> {
        let user = self.own_user(actor)?;
        self.pending_enrolment(&user)
    }

    /// Confirms set-up with the first code; returns the recovery codes (shown once).
    /// `WrongPassword` stands for a wrong code. The actor's other sessions end (a changed
    /// login factor, ASVS V7.4.3); the one in `session_token` stays.
    pub fn confirm_enrolment(
        &self,
        actor: &Actor,
        session_token: &str,
        code: &str,
    ) -> Result<Vec<String>, AccessError> {
        let user = self.own_user(actor)?;
        let codes = self
            .confirm_pending(&user, code)?
            .ok_or(AccessError::WrongPassword)?;
        self.end_other_sessions(&user, session_token)?;
        Ok(codes)
    }

    fn end_other_sessions(
        &self,
        user: &UserRecord,
        session_token: &str,
    ) -> Result<(), AccessError> {
        Ok(self.store().delete_other_sessions(
            user.school_id,
            user.id,
            &hash_token(session_token),
        )?)
    }

    fn require_current_code(&self, actor: &Actor, code: &str) -> Result<UserRecord, AccessError> {
        let user = self.own_user(actor)?;
        let step = self
            .check_app_code(&user, code)?
            .ok_or(AccessError::WrongPassword)?;
        if !self
            .store()
            .accept_two_factor_step(user.school_id, user.id, step)?
        {
            return Err(AccessError::WrongPassword);
        }
        Ok(user)
    }

    /// New recovery codes (the old ones stop working), after a current code; the actor's
    /// other sessions end.
    pub fn renew_recovery_codes(
        &self,
        actor: &Actor,
        session_token: &str,
        code: &str,
    ) -> Result<Vec<String>, AccessError> {
        let user = self.require_current_code(actor, code)?;
        let (codes, hashes) = new_recovery_codes()?;
        self.store()
            .replace_recovery_codes(user.school_id, user.id, &hashes)?;
        self.end_other_sessions(&user, session_token)?;
        Ok(codes)
    }

    /// Switches two-factor off for the actor, after a current code; `Forbidden` where it is
    /// required. The actor's other sessions end.
    pub fn disable_two_factor(
        &self,
        actor: &Actor,
        session_token: &str,
        code: &str,
    ) -> Result<(), AccessError> {
        let settings = self.store().school_settings(actor.school_id)?;
        if two_factor_required(actor.role, &settings) {
            return Err(AccessError::Forbidden);
        }
        let user = self.require_current_code(actor, code)?;
        self.store().delete_two_factor(user.school_id, user.id)?;
        self.end_other_sessions(&user, session_token)
    }

    /// An administrator resets a colleague's second factor (lost phone): the colleague sets
    /// it up again at their next login and their sessions end.
    pub fn reset_two_factor(&self, actor: &Actor, user: UserId) -> Result<(), AccessError> {
        let target = self
            .store()
            .user(actor.school_id, user)
            .map_err(AccessError::from)?
            .ok_or(AccessError::NotFound)?;
        require_manager(actor)?;
        self.store()
            .delete_two_factor(target.school_id, target.id)?;
        self.store()
            .delete_other_sessions(target.school_id, target.id, "")?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // RFC 6238, appendix B: the seeds are ASCII digits of the hash's output length.
    const SEED_SHA1: &[u8] = b"12345678901234567890";
    const SEED_SHA256: &[u8] = b"12345678901234567890123456789012";
    const SEED_SHA512: &[u8] = b"1234567890123456789012345678901234567890123456789012345678901234";

    #[test]
    fn codes_match_the_rfc_6238_test_vectors() {
        let vectors: &[(u64, &str, &str, &str)] = &[
            (59, "94287082", "46119246", "90693936"),
            (1_111_111_109, "07081804", "68084774", "25091201"),
            (1_111_111_111, "14050471", "67062674", "99943326"),
            (1_234_567_890, "89005924", "91819424", "93441116"),
            (2_000_000_000, "69279037", "90698825", "38618901"),
            (20_000_000_000, "65353130", "77737706", "47863826"),
        ];
        for (time, sha1, sha256, sha512) in vectors {
            assert_eq!(
                totp_code(TotpHash::Sha1, 8, SEED_SHA1, *time),
                *sha1,
                "{time}"
            );
            assert_eq!(
                totp_code(TotpHash::Sha256, 8, SEED_SHA256, *time),
                *sha256,
                "{time}"
            );
            assert_eq!(
                totp_code(TotpHash::Sha512, 8, SEED_SHA512, *time),
                *sha512,
                "{time}"
            );
        }
    }

    #[test]
    fn a_code_is_accepted_one_step_either_side_and_no_further() {
        let secret = TotpSecret(SEED_SHA1.to_vec());
        let now = 1_111_111_111;
        let code = secret.code_at(now);
        assert_eq!(code.len(), 6);
        assert_eq!(code, "050471", "the last six digits of the RFC's 14050471");
        let step = now / 30;
        assert_eq!(secret.matching_step(&code, now), Some(step));
        assert_eq!(secret.matching_step(&code, now + 30), Some(step));
        assert_eq!(secret.matching_step(&code, now - 30), Some(step));
        assert_eq!(secret.matching_step(&code, now + 60), None);
        assert_eq!(secret.matching_step(&code, now - 60), None);
        assert_eq!(secret.matching_step("050 471", now), Some(step));
        assert_eq!(secret.matching_step("12345", now), None);
        assert_eq!(secret.matching_step("abcdef", now), None);
    }

    #[test]
    fn secrets_round_trip_through_base32_and_make_an_otpauth_uri() {
        let secret = TotpSecret(SEED_SHA1.to_vec());
        assert_eq!(secret.base32(), "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
        assert_eq!(
            TotpSecret::from_base32("gezd gnbv gy3t qojq gezd gnbv gy3t qojq"),
            Some(secret.clone())
        );
        assert_eq!(TotpSecret::from_base32("GEZD"), None, "too short");
        assert_eq!(
            TotpSecret::from_base32("1111111111111111"),
            None,
            "not base32"
        );
        assert_eq!(
            secret.otpauth_uri("erbij", "juf.anouk@school.example"),
            "otpauth://totp/erbij:juf.anouk@school.example?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=erbij&algorithm=SHA1&digits=6&period=30"
        );
        let fresh = TotpSecret::generate().unwrap_or_else(|_| secret.clone());
        assert_eq!(fresh.base32().len(), 32);
        assert_ne!(fresh, secret);
    }

    #[test]
    fn recovery_codes_are_random_and_forgive_case_dashes_and_look_alikes() {
        let (codes, hashes) = new_recovery_codes().unwrap_or_default();
        assert_eq!(codes.len(), RECOVERY_CODE_COUNT);
        // 24 symbols of 32 in groups of four: 120 bits.
        assert_eq!(codes[0].len(), 29);
        for code in &codes {
            let symbols: Vec<u8> = code.bytes().filter(|b| *b != b'-').collect();
            assert_eq!(symbols.len(), RECOVERY_CODE_SYMBOLS, "{code}");
            assert!(
                symbols.iter().all(|b| RECOVERY_ALPHABET.contains(b)),
                "{code}"
            );
            assert_eq!(code.matches('-').count(), 5, "{code}");
        }
        let unique: std::collections::HashSet<_> = hashes.iter().collect();
        assert_eq!(unique.len(), RECOVERY_CODE_COUNT);
        assert_eq!(
            recovery_code_hash(&codes[0].to_uppercase().replace('-', " ")),
            Some(hashes[0].clone())
        );
        assert_eq!(
            recovery_code_hash("abcd-efgh-0000-1111"),
            recovery_code_hash("ABCD EFGH OOOO ilIL")
        );
        assert_eq!(recovery_code_hash("123456"), None);
        // A code of the older length (16 symbols) is still read; other lengths are not.
        assert!(recovery_code_hash("abcd-efgh-0000-1111").is_some());
        assert_eq!(recovery_code_hash("abcd-efgh-0000-1111-2222"), None);
    }

    #[test]
    fn two_factor_is_required_for_the_roles_that_see_cases_and_for_all_when_the_school_says() {
        let mut settings = SchoolSettings::defaults(crate::SchoolId(1));
        let table = [
            (Role::Administrator, true, true),
            (Role::Coordinator, true, true),
            (Role::ConfidentialAdviser, true, true),
            (Role::CareCoordinator, true, true),
            (Role::Teacher, false, true),
        ];
        for (role, by_default, for_all) in table {
            settings.two_factor_for_all = false;
            assert_eq!(two_factor_required(role, &settings), by_default, "{role:?}");
            settings.two_factor_for_all = true;
            assert_eq!(two_factor_required(role, &settings), for_all, "{role:?}");
        }
    }
}
