//! The queries of hardening (see `erbij_core::hardening`), written once for both databases:
//! the login throttle, security events, the access log, the first-run claim, token
//! revocation and the health check.

use erbij_core::{
    AccessEntry, HardeningStore, HealthError, NewUser, PupilId, Role, SchoolId, SchoolKind,
    SchoolName, SchoolRecord, SecurityEvent, SecurityEventKind, StoreError, ThrottleState,
    Timestamp, UserId, UserRecord,
};

use crate::sql::{Backend, RowExt, SqlStore, USER_COLUMNS, corrupt, returned_id, user_from};

/// The newest migration; the health check wants at least this.
const SCHEMA_VERSION: i64 = 8;

impl<B: Backend> HardeningStore for SqlStore<B> {
    fn throttle_states(&self, keys: &[String]) -> Result<Vec<ThrottleState>, StoreError> {
        self.backend().read(|db| {
            let mut out = Vec::new();
            for key in keys {
                let rows = db.query(
                    "SELECT failures, next_allowed_at FROM login_throttle WHERE key = $1",
                    &[key.as_str().into()],
                )?;
                if let Some(row) = rows.first() {
                    out.push(ThrottleState {
                        failures: row.int(0)?,
                        next_allowed_at: row.int(1)?,
                    });
                }
            }
            Ok(out)
        })
    }

    fn record_login_failure(
        &self,
        keys: &[String],
        now: Timestamp,
        forget_before: Timestamp,
        delay: &dyn Fn(usize, i64) -> i64,
    ) -> Result<Vec<i64>, StoreError> {
        self.backend().write(|db| {
            let mut counts = Vec::with_capacity(keys.len());
            for (index, key) in keys.iter().enumerate() {
                // The upsert takes the row lock until commit, so two servers counting the
                // same key at once both count.
                let rows = db.query(
                    "INSERT INTO login_throttle (key, failures, next_allowed_at, updated_at) VALUES ($1, 1, 0, $2) \
                     ON CONFLICT (key) DO UPDATE SET \
                       failures = CASE WHEN login_throttle.updated_at < $3 THEN 1 ELSE login_throttle.failures + 1 END, \
                       updated_at = $2 \
                     RETURNING failures",
                    &[key.as_str().into(), now.into(), forget_before.into()],
                )?;
                let failures = rows.first().ok_or_else(|| corrupt("failures"))?.int(0)?;
                let wait = delay(index, failures);
                if wait > 0 {
                    db.execute(
                        "UPDATE login_throttle SET next_allowed_at = $2 WHERE key = $1",
                        &[key.as_str().into(), (now + wait).into()],
                    )?;
                }
                counts.push(failures);
            }
            Ok(counts)
        })
    }

    fn clear_login_failures(
        &self,
        keys: &[String],
        forget_before: Timestamp,
    ) -> Result<(), StoreError> {
        self.backend().write(|db| {
            for key in keys {
                db.execute(
                    "DELETE FROM login_throttle WHERE key = $1",
                    &[key.as_str().into()],
                )?;
            }
            // Old counters go too, so an attacker cycling addresses cannot grow the table
            // for longer than a day.
            db.execute(
                "DELETE FROM login_throttle WHERE updated_at < $1",
                &[forget_before.into()],
            )?;
            Ok(())
        })
    }

    fn add_security_event(
        &self,
        school: SchoolId,
        kind: SecurityEventKind,
        user: Option<UserId>,
        at: Timestamp,
    ) -> Result<(), StoreError> {
        self.execute(
            "INSERT INTO security_events (school_id, user_id, kind, at) VALUES ($1, $2, $3, $4)",
            &[
                school.0.into(),
                user.map(|u| u.0).into(),
                kind.as_str().into(),
                at.into(),
            ],
        )
        .map(|_| ())
    }

    fn security_events(
        &self,
        school: SchoolId,
        limit: i64,
    ) -> Result<Vec<SecurityEvent>, StoreError> {
        let rows = self.query(
            "SELECT e.at, e.kind, e.user_id, u.name FROM security_events e \
             LEFT JOIN users u ON u.id = e.user_id AND u.school_id = e.school_id \
             WHERE e.school_id = $1 ORDER BY e.at DESC, e.id DESC LIMIT $2",
            &[school.0.into(), limit.into()],
        )?;
        rows.iter()
            .map(|row| {
                Ok(SecurityEvent {
                    at: row.int(0)?,
                    kind: SecurityEventKind::parse(&row.text(1)?)
                        .ok_or_else(|| corrupt("security_events.kind"))?,
                    user_id: row.opt_int(2)?.map(UserId),
                    user_name: row.opt_text(3)?,
                })
            })
            .collect()
    }

    fn record_access(
        &self,
        school: SchoolId,
        pupil: PupilId,
        user: UserId,
        page: &str,
        object_id: Option<i64>,
        at: Timestamp,
    ) -> Result<(), StoreError> {
        // The pupil must belong to the school: the insert selects it from there.
        self.execute(
            "INSERT INTO access_log (school_id, pupil_id, user_id, page, object_id, at) \
             SELECT p.school_id, p.id, $3, $4, $5, $6 FROM pupils p WHERE p.school_id = $1 AND p.id = $2",
            &[
                school.0.into(),
                pupil.0.into(),
                user.0.into(),
                page.into(),
                object_id.into(),
                at.into(),
            ],
        )
        .map(|_| ())
    }

    fn access_log(&self, school: SchoolId, pupil: PupilId) -> Result<Vec<AccessEntry>, StoreError> {
        let rows = self.query(
            "SELECT a.at, a.user_id, u.name, u.role, a.page, a.object_id FROM access_log a \
             LEFT JOIN users u ON u.id = a.user_id AND u.school_id = a.school_id \
             WHERE a.school_id = $1 AND a.pupil_id = $2 ORDER BY a.at DESC, a.id DESC",
            &[school.0.into(), pupil.0.into()],
        )?;
        rows.iter()
            .map(|row| {
                Ok(AccessEntry {
                    at: row.int(0)?,
                    user_id: row.opt_int(1)?.map(UserId),
                    user_name: row.opt_text(2)?.unwrap_or_default(),
                    role: row
                        .opt_text(3)?
                        .map(|r| Role::parse(&r).map_err(|_| corrupt("users.role")))
                        .transpose()?,
                    page: row.text(4)?,
                    object_id: row.opt_int(5)?,
                })
            })
            .collect()
    }

    fn prune_access_log(&self, school: SchoolId, before: Timestamp) -> Result<u64, StoreError> {
        self.execute(
            "DELETE FROM access_log WHERE school_id = $1 AND at < $2",
            &[school.0.into(), before.into()],
        )
    }

    fn create_installation(
        &self,
        school_name: &SchoolName,
        kind: SchoolKind,
        user: &NewUser,
        now: Timestamp,
    ) -> Result<Option<(SchoolRecord, UserRecord)>, StoreError> {
        self.backend().write(|db| {
            // A concurrent first run waits here on the row until the winner commits, then
            // inserts nothing.
            let claimed = db.query(
                "INSERT INTO installation (id, created_at) VALUES (1, $1) ON CONFLICT (id) DO NOTHING RETURNING id",
                &[now.into()],
            )?;
            if claimed.is_empty() {
                return Ok(None);
            }
            let users = db.query("SELECT COUNT(*) FROM users", &[])?;
            if users.first().ok_or_else(|| corrupt("count"))?.int(0)? > 0 {
                return Ok(None);
            }
            let rows = db.query(
                "INSERT INTO schools (name, kind) VALUES ($1, $2) RETURNING id",
                &[school_name.as_str().into(), kind.as_str().into()],
            )?;
            let school = SchoolRecord {
                id: SchoolId(returned_id(&rows)?),
                name: school_name.to_string(),
                kind,
            };
            let rows = db.query(
                &format!(
                    "INSERT INTO users (school_id, email, name, role, password_hash) VALUES ($1, $2, $3, $4, $5) RETURNING {USER_COLUMNS}"
                ),
                &[
                    school.id.0.into(),
                    user.email.as_str().into(),
                    user.name.as_str().into(),
                    user.role.as_str().into(),
                    user.password_hash.as_str().into(),
                ],
            )?;
            let created = user_from(rows.first().ok_or_else(|| corrupt("users"))?)?;
            Ok(Some((school, created)))
        })
    }

    fn revoke_all_tokens(
        &self,
        school: SchoolId,
        user: UserId,
        at: Timestamp,
    ) -> Result<u64, StoreError> {
        self.execute(
            "UPDATE api_tokens SET revoked_at = $3 WHERE school_id = $1 AND user_id = $2 AND revoked_at IS NULL",
            &[school.0.into(), user.0.into(), at.max(1).into()],
        )
    }

    fn health(&self) -> Result<(), HealthError> {
        self.backend()
            .files_present()
            .map_err(HealthError::FileMissing)?;
        let found = self
            .query(
                "SELECT COALESCE(MAX(version), 0) FROM schema_migrations",
                &[],
            )
            .map_err(|_| HealthError::NotMigrated {
                found: 0,
                expected: SCHEMA_VERSION,
            })?
            .first()
            .ok_or_else(|| corrupt("schema_migrations"))?
            .int(0)?;
        if found < SCHEMA_VERSION {
            return Err(HealthError::NotMigrated {
                found,
                expected: SCHEMA_VERSION,
            });
        }
        // A real table: the tables may be gone while the migrations table stays.
        self.query("SELECT id FROM users LIMIT 1", &[])?;
        self.query("SELECT id FROM pupils LIMIT 1", &[])?;
        Ok(())
    }
}
