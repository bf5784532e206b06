//! The queries of two-factor login, school sign-in and retention (see `erbij_core::auth`),
//! written once for both databases.

use erbij_core::auth::{
    ChallengePurpose, ChallengeRecord, DEFAULT_RETENTION_DAYS, OidcConfig, OidcRequest,
    RetentionRun, SchoolSettings, TwoFactorRecord,
};
use erbij_core::{AuthStore, PupilId, SchoolId, StoreError, Timestamp, UserId};

use crate::sql::{Backend, Row, RowExt, SqlStore, Value, all, corrupt, one};

const SETTINGS_COLUMNS: &str = "school_id, two_factor_for_all, retention_days, oidc_issuer, \
     oidc_client_id, oidc_client_secret, oidc_create_accounts";

fn settings_from(row: &Row) -> Result<SchoolSettings, StoreError> {
    let oidc = match (row.opt_text(3)?, row.opt_text(4)?, row.opt_text(5)?) {
        (Some(issuer), Some(client_id), Some(client_secret)) => Some(OidcConfig {
            issuer,
            client_id,
            client_secret,
        }),
        _ => None,
    };
    Ok(SchoolSettings {
        school_id: SchoolId(row.int(0)?),
        two_factor_for_all: row.int(1)? != 0,
        retention_days: row.int(2)?,
        oidc,
        oidc_create_accounts: row.int(6)? != 0,
    })
}

fn two_factor_from(row: &Row) -> Result<TwoFactorRecord, StoreError> {
    Ok(TwoFactorRecord {
        user_id: UserId(row.int(0)?),
        school_id: SchoolId(row.int(1)?),
        secret: row.opt_text(2)?,
        confirmed_at: row.opt_int(3)?,
        last_step: row.int(4)?,
        grace_started_at: row.opt_int(5)?,
    })
}

fn run_from(row: &Row) -> Result<RetentionRun, StoreError> {
    Ok(RetentionRun {
        school_id: SchoolId(row.int(0)?),
        ran_at: row.int(1)?,
        cutoff: row.text(2)?,
        pupils_deleted: row.int(3)?,
        files_deleted: row.int(4)?,
    })
}

fn flag(value: bool) -> Value {
    Value::from(i64::from(value))
}

impl<B: Backend> AuthStore for SqlStore<B> {
    fn school_settings(&self, school: SchoolId) -> Result<SchoolSettings, StoreError> {
        let rows = self.query(
            &format!("SELECT {SETTINGS_COLUMNS} FROM school_settings WHERE school_id = $1"),
            &[school.0.into()],
        )?;
        Ok(one(rows, settings_from)?.unwrap_or_else(|| SchoolSettings::defaults(school)))
    }

    fn save_school_settings(&self, s: &SchoolSettings) -> Result<(), StoreError> {
        let (issuer, client_id, secret) = match &s.oidc {
            Some(o) => (
                Some(o.issuer.clone()),
                Some(o.client_id.clone()),
                Some(o.client_secret.clone()),
            ),
            None => (None, None, None),
        };
        self.execute(
            "INSERT INTO school_settings (school_id, two_factor_for_all, retention_days, \
             oidc_issuer, oidc_client_id, oidc_client_secret, oidc_create_accounts) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) \
             ON CONFLICT (school_id) DO UPDATE SET two_factor_for_all = $2, retention_days = $3, \
             oidc_issuer = $4, oidc_client_id = $5, oidc_client_secret = $6, oidc_create_accounts = $7",
            &[
                s.school_id.0.into(),
                flag(s.two_factor_for_all),
                s.retention_days.into(),
                issuer.into(),
                client_id.into(),
                secret.into(),
                flag(s.oidc_create_accounts),
            ],
        )
        .map(|_| ())
    }

    fn two_factor(
        &self,
        school: SchoolId,
        user: UserId,
    ) -> Result<Option<TwoFactorRecord>, StoreError> {
        let rows = self.query(
            "SELECT user_id, school_id, secret, confirmed_at, last_step, grace_started_at \
             FROM two_factor WHERE school_id = $1 AND user_id = $2",
            &[school.0.into(), user.0.into()],
        )?;
        one(rows, two_factor_from)
    }

    fn start_two_factor_grace(
        &self,
        school: SchoolId,
        user: UserId,
        now: Timestamp,
    ) -> Result<Timestamp, StoreError> {
        self.backend().write(|db| {
            db.execute(
                "INSERT INTO two_factor (user_id, school_id, grace_started_at) VALUES ($2, $1, $3) \
                 ON CONFLICT (user_id) DO NOTHING",
                &[school.0.into(), user.0.into(), now.into()],
            )?;
            db.execute(
                "UPDATE two_factor SET grace_started_at = $3 \
                 WHERE school_id = $1 AND user_id = $2 AND grace_started_at IS NULL",
                &[school.0.into(), user.0.into(), now.into()],
            )?;
            let rows = db.query(
                "SELECT grace_started_at FROM two_factor WHERE school_id = $1 AND user_id = $2",
                &[school.0.into(), user.0.into()],
            )?;
            rows.first()
                .ok_or_else(|| corrupt("two_factor.grace_started_at"))?
                .int(0)
        })
    }

    fn set_pending_two_factor(
        &self,
        school: SchoolId,
        user: UserId,
        secret: &str,
    ) -> Result<(), StoreError> {
        self.execute(
            "INSERT INTO two_factor (user_id, school_id, secret) VALUES ($2, $1, $3) \
             ON CONFLICT (user_id) DO UPDATE SET secret = $3, confirmed_at = NULL \
             WHERE two_factor.school_id = $1",
            &[school.0.into(), user.0.into(), secret.into()],
        )
        .map(|_| ())
    }

    fn confirm_two_factor(
        &self,
        school: SchoolId,
        user: UserId,
        step: i64,
        now: Timestamp,
        recovery_code_hashes: &[String],
    ) -> Result<(), StoreError> {
        self.backend().write(|db| {
            db.execute(
                "UPDATE two_factor SET confirmed_at = $3, last_step = $4 \
                 WHERE school_id = $1 AND user_id = $2",
                &[school.0.into(), user.0.into(), now.into(), step.into()],
            )?;
            replace_codes(db, school, user, recovery_code_hashes)
        })
    }

    fn accept_two_factor_step(
        &self,
        school: SchoolId,
        user: UserId,
        step: i64,
    ) -> Result<bool, StoreError> {
        Ok(self.execute(
            "UPDATE two_factor SET last_step = $3 \
             WHERE school_id = $1 AND user_id = $2 AND confirmed_at IS NOT NULL AND last_step < $3",
            &[school.0.into(), user.0.into(), step.into()],
        )? == 1)
    }

    fn delete_two_factor(&self, school: SchoolId, user: UserId) -> Result<(), StoreError> {
        self.backend().write(|db| {
            db.execute(
                "DELETE FROM recovery_codes WHERE school_id = $1 AND user_id = $2",
                &[school.0.into(), user.0.into()],
            )?;
            db.execute(
                "DELETE FROM two_factor WHERE school_id = $1 AND user_id = $2",
                &[school.0.into(), user.0.into()],
            )?;
            db.execute(
                "DELETE FROM login_challenges WHERE school_id = $1 AND user_id = $2",
                &[school.0.into(), user.0.into()],
            )
            .map(|_| ())
        })
    }

    fn replace_recovery_codes(
        &self,
        school: SchoolId,
        user: UserId,
        hashes: &[String],
    ) -> Result<(), StoreError> {
        self.backend()
            .write(|db| replace_codes(db, school, user, hashes))
    }

    fn use_recovery_code(
        &self,
        school: SchoolId,
        user: UserId,
        hash: &str,
        now: Timestamp,
    ) -> Result<bool, StoreError> {
        Ok(self.execute(
            "UPDATE recovery_codes SET used_at = $4 \
             WHERE school_id = $1 AND user_id = $2 AND code_hash = $3 AND used_at IS NULL",
            &[school.0.into(), user.0.into(), hash.into(), now.into()],
        )? >= 1)
    }

    fn unused_recovery_codes(&self, school: SchoolId, user: UserId) -> Result<i64, StoreError> {
        let rows = self.query(
            "SELECT COUNT(*) FROM recovery_codes \
             WHERE school_id = $1 AND user_id = $2 AND used_at IS NULL",
            &[school.0.into(), user.0.into()],
        )?;
        rows.first().map_or(Ok(0), |r| r.int(0))
    }

    fn create_challenge(&self, token_hash: &str, c: &ChallengeRecord) -> Result<(), StoreError> {
        self.backend().write(|db| {
            // Expired half-finished logins are swept whenever a new one starts.
            db.execute(
                "DELETE FROM login_challenges WHERE expires_at <= $1",
                &[(c.expires_at - erbij_core::twofactor::CHALLENGE_LIFETIME_SECONDS).into()],
            )?;
            db.execute(
                "INSERT INTO login_challenges (token_hash, school_id, user_id, purpose, attempts, expires_at) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
                &[
                    token_hash.into(),
                    c.school_id.0.into(),
                    c.user_id.0.into(),
                    c.purpose.as_str().into(),
                    c.attempts.into(),
                    c.expires_at.into(),
                ],
            )
            .map(|_| ())
        })
    }

    fn challenge(&self, token_hash: &str) -> Result<Option<ChallengeRecord>, StoreError> {
        let rows = self.query(
            "SELECT school_id, user_id, purpose, attempts, expires_at \
             FROM login_challenges WHERE token_hash = $1",
            &[token_hash.into()],
        )?;
        one(rows, |row| {
            Ok(ChallengeRecord {
                school_id: SchoolId(row.int(0)?),
                user_id: UserId(row.int(1)?),
                purpose: ChallengePurpose::parse(&row.text(2)?)
                    .ok_or_else(|| corrupt("login_challenges.purpose"))?,
                attempts: row.int(3)?,
                expires_at: row.int(4)?,
            })
        })
    }

    fn count_challenge_attempt(&self, token_hash: &str) -> Result<i64, StoreError> {
        self.backend().write(|db| {
            db.execute(
                "UPDATE login_challenges SET attempts = attempts + 1 WHERE token_hash = $1",
                &[token_hash.into()],
            )?;
            let rows = db.query(
                "SELECT attempts FROM login_challenges WHERE token_hash = $1",
                &[token_hash.into()],
            )?;
            rows.first().map_or(Ok(i64::MAX), |r| r.int(0))
        })
    }

    fn delete_challenge(&self, token_hash: &str) -> Result<(), StoreError> {
        self.execute(
            "DELETE FROM login_challenges WHERE token_hash = $1",
            &[token_hash.into()],
        )
        .map(|_| ())
    }

    fn create_oidc_request(&self, state_hash: &str, r: &OidcRequest) -> Result<(), StoreError> {
        self.backend().write(|db| {
            db.execute(
                "DELETE FROM oidc_requests WHERE expires_at <= $1",
                &[(r.expires_at - 3600).into()],
            )?;
            db.execute(
                "INSERT INTO oidc_requests (state_hash, school_id, nonce, pkce_verifier, redirect_uri, expires_at) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
                &[
                    state_hash.into(),
                    r.school_id.0.into(),
                    r.nonce.as_str().into(),
                    r.pkce_verifier.as_str().into(),
                    r.redirect_uri.as_str().into(),
                    r.expires_at.into(),
                ],
            )
            .map(|_| ())
        })
    }

    fn take_oidc_request(&self, state_hash: &str) -> Result<Option<OidcRequest>, StoreError> {
        self.backend().write(|db| {
            let rows = db.query(
                "DELETE FROM oidc_requests WHERE state_hash = $1 \
                 RETURNING school_id, nonce, pkce_verifier, redirect_uri, expires_at",
                &[state_hash.into()],
            )?;
            one(rows, |row| {
                Ok(OidcRequest {
                    school_id: SchoolId(row.int(0)?),
                    nonce: row.text(1)?,
                    pkce_verifier: row.text(2)?,
                    redirect_uri: row.text(3)?,
                    expires_at: row.int(4)?,
                })
            })
        })
    }

    fn all_school_settings(&self) -> Result<Vec<SchoolSettings>, StoreError> {
        let rows = self.query(
            &format!(
                "SELECT s.id, COALESCE(t.two_factor_for_all, 0), COALESCE(t.retention_days, {DEFAULT_RETENTION_DAYS}), \
                 t.oidc_issuer, t.oidc_client_id, t.oidc_client_secret, COALESCE(t.oidc_create_accounts, 0) \
                 FROM schools s LEFT JOIN school_settings t ON t.school_id = s.id ORDER BY s.id"
            ),
            &[],
        )?;
        all(rows, settings_from)
    }

    fn pupils_left_on_or_before(
        &self,
        school: SchoolId,
        cutoff: &str,
    ) -> Result<Vec<PupilId>, StoreError> {
        // A pupil still in a class archived at the end of a school year left with it.
        let rows = self.query(
            "SELECT p.id FROM pupils p JOIN classes c ON c.id = p.class_id AND c.school_id = p.school_id \
             WHERE p.school_id = $1 AND COALESCE(p.left_on, c.archived_on) <= $2 \
             ORDER BY p.id",
            &[school.0.into(), cutoff.into()],
        )?;
        all(rows, |row| Ok(PupilId(row.int(0)?)))
    }

    fn delete_pupil(
        &self,
        school: SchoolId,
        pupil: PupilId,
    ) -> Result<Option<Vec<String>>, StoreError> {
        let params = [school.0.into(), pupil.0.into()];
        self.backend().write(|db| {
            // The files of the pupil's cases, and of reports that became one of them (a
            // report's file is copied into the case under the same blob).
            let blobs = db.query(
                "SELECT DISTINCT f.blob FROM evidence_files f WHERE f.school_id = $1 AND ( \
                 f.case_id IN (SELECT id FROM cases WHERE school_id = $1 AND pupil_id = $2) \
                 OR f.report_id IN (SELECT r.id FROM evidence_reports r JOIN cases c ON c.id = r.case_id \
                 WHERE r.school_id = $1 AND c.school_id = $1 AND c.pupil_id = $2))",
                &params,
            )?;
            db.execute(
                "DELETE FROM evidence_reports WHERE school_id = $1 AND case_id IN \
                 (SELECT id FROM cases WHERE school_id = $1 AND pupil_id = $2)",
                &params,
            )?;
            if db.execute(
                "DELETE FROM pupils WHERE school_id = $1 AND id = $2",
                &params,
            )? == 0
            {
                return Ok(None);
            }
            let blobs = all(blobs, |row| row.text(0))?;
            Ok(Some(unreferenced(db, school, blobs)?))
        })
    }

    fn delete_reports_received_before(
        &self,
        school: SchoolId,
        before: Timestamp,
    ) -> Result<(u64, Vec<String>), StoreError> {
        let params = [school.0.into(), before.into()];
        self.backend().write(|db| {
            let blobs = db.query(
                "SELECT DISTINCT f.blob FROM evidence_files f JOIN evidence_reports r ON r.id = f.report_id \
                 WHERE f.school_id = $1 AND r.school_id = $1 AND r.case_id IS NULL AND r.received_at < $2",
                &params,
            )?;
            let deleted = db.execute(
                "DELETE FROM evidence_reports WHERE school_id = $1 AND case_id IS NULL AND received_at < $2",
                &params,
            )?;
            let blobs = all(blobs, |row| row.text(0))?;
            Ok((deleted, unreferenced(db, school, blobs)?))
        })
    }

    fn flush_deletes(&self) -> Result<(), StoreError> {
        self.backend().checkpoint()
    }

    fn log_retention_run(&self, run: &RetentionRun) -> Result<(), StoreError> {
        self.execute(
            "INSERT INTO retention_runs (school_id, ran_at, cutoff, pupils_deleted, files_deleted) \
             VALUES ($1, $2, $3, $4, $5)",
            &[
                run.school_id.0.into(),
                run.ran_at.into(),
                run.cutoff.as_str().into(),
                run.pupils_deleted.into(),
                run.files_deleted.into(),
            ],
        )
        .map(|_| ())
    }

    fn retention_runs(&self, school: SchoolId) -> Result<Vec<RetentionRun>, StoreError> {
        let rows = self.query(
            "SELECT school_id, ran_at, cutoff, pupils_deleted, files_deleted FROM retention_runs \
             WHERE school_id = $1 ORDER BY ran_at DESC, id DESC",
            &[school.0.into()],
        )?;
        all(rows, run_from)
    }
}

/// The blobs of `blobs` that no evidence row of the school refers to any more.
fn unreferenced(
    db: &mut dyn crate::sql::Exec,
    school: SchoolId,
    blobs: Vec<String>,
) -> Result<Vec<String>, StoreError> {
    let mut free = Vec::with_capacity(blobs.len());
    for blob in blobs {
        let used = db.query(
            "SELECT 1 FROM evidence_files WHERE school_id = $1 AND blob = $2 LIMIT 1",
            &[school.0.into(), blob.as_str().into()],
        )?;
        if used.is_empty() {
            free.push(blob);
        }
    }
    Ok(free)
}

fn replace_codes(
    db: &mut dyn crate::sql::Exec,
    school: SchoolId,
    user: UserId,
    hashes: &[String],
) -> Result<(), StoreError> {
    db.execute(
        "DELETE FROM recovery_codes WHERE school_id = $1 AND user_id = $2",
        &[school.0.into(), user.0.into()],
    )?;
    for hash in hashes {
        db.execute(
            "INSERT INTO recovery_codes (school_id, user_id, code_hash) VALUES ($1, $2, $3)",
            &[school.0.into(), user.0.into(), hash.as_str().into()],
        )?;
    }
    Ok(())
}
