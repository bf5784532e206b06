//! The queries, written once for both databases: `$1`-style parameters (the SQLite backend
//! rewrites them to `?1`), BIGINT/TEXT values only, dates as `YYYY-MM-DD` text and times as
//! UTC seconds.

use std::fmt;

use erbij_core::{
    ClassId, ClassName, ClassRecord, Date, Email, ImportOutcome, ImportRow, NewUser, PupilId,
    PupilRecord, Role, SchoolId, SchoolKind, SchoolName, SchoolRecord, SessionRecord, Store,
    StoreError, Timestamp, TokenRecord, UserId, UserRecord,
};

/// A parameter or column value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    Int(Option<i64>),
    Text(Option<String>),
}

impl From<i64> for Value {
    fn from(v: i64) -> Self {
        Value::Int(Some(v))
    }
}
impl From<Option<i64>> for Value {
    fn from(v: Option<i64>) -> Self {
        Value::Int(v)
    }
}
impl From<&str> for Value {
    fn from(v: &str) -> Self {
        Value::Text(Some(v.to_string()))
    }
}
impl From<Option<String>> for Value {
    fn from(v: Option<String>) -> Self {
        Value::Text(v)
    }
}

pub type Row = Vec<Value>;

pub(crate) fn corrupt(what: &str) -> StoreError {
    StoreError::Backend(format!("unexpected value in column {what}"))
}

pub(crate) trait RowExt {
    fn int(&self, i: usize) -> Result<i64, StoreError>;
    fn opt_int(&self, i: usize) -> Result<Option<i64>, StoreError>;
    fn text(&self, i: usize) -> Result<String, StoreError>;
    fn opt_text(&self, i: usize) -> Result<Option<String>, StoreError>;
}

impl RowExt for Row {
    fn int(&self, i: usize) -> Result<i64, StoreError> {
        self.opt_int(i)?.ok_or_else(|| corrupt(&i.to_string()))
    }
    fn opt_int(&self, i: usize) -> Result<Option<i64>, StoreError> {
        match self.get(i) {
            Some(Value::Int(v)) => Ok(*v),
            Some(Value::Text(None)) => Ok(None),
            _ => Err(corrupt(&i.to_string())),
        }
    }
    fn text(&self, i: usize) -> Result<String, StoreError> {
        self.opt_text(i)?.ok_or_else(|| corrupt(&i.to_string()))
    }
    fn opt_text(&self, i: usize) -> Result<Option<String>, StoreError> {
        match self.get(i) {
            Some(Value::Text(v)) => Ok(v.clone()),
            Some(Value::Int(None)) => Ok(None),
            _ => Err(corrupt(&i.to_string())),
        }
    }
}

/// One connection (or transaction) that runs statements.
pub trait Exec {
    fn query(&mut self, sql: &str, params: &[Value]) -> Result<Vec<Row>, StoreError>;
    fn execute(&mut self, sql: &str, params: &[Value]) -> Result<u64, StoreError>;
}

/// A database: runs a closure on a reading connection, or inside one write transaction.
pub trait Backend: Send + Sync + fmt::Debug {
    fn read<T>(
        &self,
        f: impl FnOnce(&mut dyn Exec) -> Result<T, StoreError>,
    ) -> Result<T, StoreError>;
    /// Commits when `f` returns `Ok`, rolls back otherwise.
    fn write<T>(
        &self,
        f: impl FnOnce(&mut dyn Exec) -> Result<T, StoreError>,
    ) -> Result<T, StoreError>;
    /// Appended to a `SELECT` inside `write` that claims rows other processes may claim at
    /// the same time (the jobs table). SQLite has one writer, so nothing is needed there.
    fn claim_clause(&self) -> &'static str {
        ""
    }
    /// The files the database lives in are still there (SQLite keeps answering from a
    /// deleted file's open handle, so `SELECT 1` cannot tell).
    fn files_present(&self) -> Result<(), String> {
        Ok(())
    }
    /// Moves committed changes out of any log into the database file (SQLite's WAL), so
    /// deleted rows leave no copy behind there. Nothing to do on PostgreSQL.
    fn checkpoint(&self) -> Result<(), StoreError> {
        Ok(())
    }
}

/// The [`Store`] over either backend.
#[derive(Debug)]
pub struct SqlStore<B: Backend> {
    backend: B,
}

impl<B: Backend> SqlStore<B> {
    pub fn new(backend: B) -> Self {
        SqlStore { backend }
    }
    pub fn backend(&self) -> &B {
        &self.backend
    }
    pub(crate) fn query(&self, sql: &str, params: &[Value]) -> Result<Vec<Row>, StoreError> {
        self.backend.read(|db| db.query(sql, params))
    }
    pub(crate) fn execute(&self, sql: &str, params: &[Value]) -> Result<u64, StoreError> {
        self.backend.write(|db| db.execute(sql, params))
    }
}

pub(crate) const USER_COLUMNS: &str =
    "id, school_id, email, name, role, password_hash, failed_logins, locked_until";
pub(crate) const PUPIL_COLUMNS: &str =
    "id, school_id, class_id, given_name, infix, family_name, external_id, left_on";

pub(crate) fn school_from(row: &Row) -> Result<SchoolRecord, StoreError> {
    Ok(SchoolRecord {
        id: SchoolId(row.int(0)?),
        name: row.text(1)?,
        kind: SchoolKind::parse(&row.text(2)?).map_err(|_| corrupt("schools.kind"))?,
    })
}

pub(crate) fn user_from(row: &Row) -> Result<UserRecord, StoreError> {
    Ok(UserRecord {
        id: UserId(row.int(0)?),
        school_id: SchoolId(row.int(1)?),
        email: Email::new(&row.text(2)?).map_err(|_| corrupt("users.email"))?,
        name: row.text(3)?,
        role: Role::parse(&row.text(4)?).map_err(|_| corrupt("users.role"))?,
        password_hash: row.text(5)?,
        failed_logins: row.int(6)?,
        locked_until: row.opt_int(7)?,
    })
}

pub(crate) fn class_from(row: &Row) -> Result<ClassRecord, StoreError> {
    Ok(ClassRecord {
        id: ClassId(row.int(0)?),
        school_id: SchoolId(row.int(1)?),
        name: row.text(2)?,
        archived_on: match row.opt_text(3)? {
            Some(text) => Some(Date::parse(&text).map_err(|_| corrupt("classes.archived_on"))?),
            None => None,
        },
    })
}

pub(crate) fn pupil_from(row: &Row) -> Result<PupilRecord, StoreError> {
    Ok(PupilRecord {
        id: PupilId(row.int(0)?),
        school_id: SchoolId(row.int(1)?),
        class_id: ClassId(row.int(2)?),
        given_name: row.text(3)?,
        infix: row.text(4)?,
        family_name: row.text(5)?,
        external_id: row.opt_text(6)?,
        left_on: match row.opt_text(7)? {
            Some(text) => Some(Date::parse(&text).map_err(|_| corrupt("pupils.left_on"))?),
            None => None,
        },
    })
}

pub(crate) fn token_from(row: &Row) -> Result<TokenRecord, StoreError> {
    Ok(TokenRecord {
        id: row.int(0)?,
        user_id: UserId(row.int(1)?),
        school_id: SchoolId(row.int(2)?),
        label: row.text(3)?,
        created_at: row.int(4)?,
        revoked: row.opt_int(5)?.is_some(),
        // Tokens made before expiry existed last a year from their creation.
        expires_at: row
            .opt_int(6)?
            .unwrap_or(row.int(4)? + erbij_core::hardening::TOKEN_LIFETIME_SECONDS),
    })
}

pub(crate) fn one<T>(
    rows: Vec<Row>,
    f: impl Fn(&Row) -> Result<T, StoreError>,
) -> Result<Option<T>, StoreError> {
    rows.first().map(f).transpose()
}

pub(crate) fn all<T>(
    rows: Vec<Row>,
    f: impl Fn(&Row) -> Result<T, StoreError>,
) -> Result<Vec<T>, StoreError> {
    rows.iter().map(f).collect()
}

pub(crate) fn returned_id(rows: &[Row]) -> Result<i64, StoreError> {
    rows.first().ok_or_else(|| corrupt("RETURNING id"))?.int(0)
}

fn insert_pupil(db: &mut dyn Exec, pupil: &PupilRecord) -> Result<i64, StoreError> {
    let rows = db.query(
        "INSERT INTO pupils (school_id, class_id, given_name, infix, family_name, external_id, left_on) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        &[
            pupil.school_id.0.into(),
            pupil.class_id.0.into(),
            pupil.given_name.as_str().into(),
            pupil.infix.as_str().into(),
            pupil.family_name.as_str().into(),
            pupil.external_id.clone().into(),
            pupil.left_on.map(|d| d.to_string()).into(),
        ],
    )?;
    returned_id(&rows)
}

fn update_pupil_in(db: &mut dyn Exec, pupil: &PupilRecord) -> Result<u64, StoreError> {
    db.execute(
        "UPDATE pupils SET class_id = $3, given_name = $4, infix = $5, family_name = $6, external_id = $7, left_on = $8 \
         WHERE school_id = $1 AND id = $2",
        &[
            pupil.school_id.0.into(),
            pupil.id.0.into(),
            pupil.class_id.0.into(),
            pupil.given_name.as_str().into(),
            pupil.infix.as_str().into(),
            pupil.family_name.as_str().into(),
            pupil.external_id.clone().into(),
            pupil.left_on.map(|d| d.to_string()).into(),
        ],
    )
}

impl<B: Backend> Store for SqlStore<B> {
    fn ping(&self) -> Result<(), StoreError> {
        self.query("SELECT 1", &[]).map(|_| ())
    }

    fn count_users(&self) -> Result<i64, StoreError> {
        let rows = self.query("SELECT COUNT(*) FROM users", &[])?;
        rows.first().ok_or_else(|| corrupt("count"))?.int(0)
    }

    fn create_school(
        &self,
        name: &SchoolName,
        kind: SchoolKind,
    ) -> Result<SchoolRecord, StoreError> {
        let rows = self.backend.write(|db| {
            db.query(
                "INSERT INTO schools (name, kind) VALUES ($1, $2) RETURNING id",
                &[name.as_str().into(), kind.as_str().into()],
            )
        })?;
        Ok(SchoolRecord {
            id: SchoolId(returned_id(&rows)?),
            name: name.to_string(),
            kind,
        })
    }

    fn school(&self, id: SchoolId) -> Result<Option<SchoolRecord>, StoreError> {
        one(
            self.query(
                "SELECT id, name, kind FROM schools WHERE id = $1",
                &[id.0.into()],
            )?,
            school_from,
        )
    }

    fn schools(&self) -> Result<Vec<SchoolRecord>, StoreError> {
        all(
            self.query("SELECT id, name, kind FROM schools ORDER BY id", &[])?,
            school_from,
        )
    }

    fn create_user(&self, user: &NewUser) -> Result<UserRecord, StoreError> {
        let rows = self.backend.write(|db| {
            db.query(
                "INSERT INTO users (school_id, email, name, role, password_hash, failed_logins) \
                 VALUES ($1, $2, $3, $4, $5, 0) RETURNING id",
                &[
                    user.school_id.0.into(),
                    user.email.as_str().into(),
                    user.name.as_str().into(),
                    user.role.as_str().into(),
                    user.password_hash.as_str().into(),
                ],
            )
        })?;
        Ok(UserRecord {
            id: UserId(returned_id(&rows)?),
            school_id: user.school_id,
            email: user.email.clone(),
            name: user.name.clone(),
            role: user.role,
            password_hash: user.password_hash.clone(),
            failed_logins: 0,
            locked_until: None,
        })
    }

    fn user_by_email(&self, email: &Email) -> Result<Option<UserRecord>, StoreError> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE email = $1");
        one(self.query(&sql, &[email.as_str().into()])?, user_from)
    }

    fn user(&self, school: SchoolId, id: UserId) -> Result<Option<UserRecord>, StoreError> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE school_id = $1 AND id = $2");
        one(
            self.query(&sql, &[school.0.into(), id.0.into()])?,
            user_from,
        )
    }

    fn users(&self, school: SchoolId) -> Result<Vec<UserRecord>, StoreError> {
        let sql =
            format!("SELECT {USER_COLUMNS} FROM users WHERE school_id = $1 ORDER BY name, id");
        all(self.query(&sql, &[school.0.into()])?, user_from)
    }

    fn set_password_hash(
        &self,
        school: SchoolId,
        user: UserId,
        hash: &str,
    ) -> Result<(), StoreError> {
        self.execute(
            "UPDATE users SET password_hash = $3, failed_logins = 0, locked_until = NULL WHERE school_id = $1 AND id = $2",
            &[school.0.into(), user.0.into(), hash.into()],
        )
        .map(|_| ())
    }

    fn set_login_failures(
        &self,
        user: UserId,
        failures: i64,
        locked_until: Option<Timestamp>,
    ) -> Result<(), StoreError> {
        self.execute(
            "UPDATE users SET failed_logins = $2, locked_until = $3 WHERE id = $1",
            &[user.0.into(), failures.into(), locked_until.into()],
        )
        .map(|_| ())
    }

    fn create_session(
        &self,
        token_hash: &str,
        session: &SessionRecord,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        self.backend.write(|db| {
            // Expired sessions are swept whenever a new one starts.
            db.execute("DELETE FROM sessions WHERE expires_at <= $1", &[now.into()])?;
            db.execute(
                "INSERT INTO sessions (token_hash, school_id, user_id, csrf_token, created_at, expires_at) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
                &[
                    token_hash.into(),
                    session.school_id.0.into(),
                    session.user_id.0.into(),
                    session.csrf_token.as_str().into(),
                    now.into(),
                    session.expires_at.into(),
                ],
            )
        })?;
        Ok(())
    }

    fn session(&self, token_hash: &str) -> Result<Option<SessionRecord>, StoreError> {
        let rows = self.query(
            "SELECT user_id, school_id, csrf_token, expires_at FROM sessions WHERE token_hash = $1",
            &[token_hash.into()],
        )?;
        one(rows, |row| {
            Ok(SessionRecord {
                user_id: UserId(row.int(0)?),
                school_id: SchoolId(row.int(1)?),
                csrf_token: row.text(2)?,
                expires_at: row.int(3)?,
            })
        })
    }

    fn session_context(
        &self,
        token_hash: &str,
    ) -> Result<Option<(SessionRecord, UserRecord, SchoolRecord)>, StoreError> {
        let sql = format!(
            "SELECT s.user_id, s.school_id, s.csrf_token, s.expires_at, {}, sc.id, sc.name, sc.kind \
             FROM sessions s JOIN users u ON u.id = s.user_id AND u.school_id = s.school_id \
             JOIN schools sc ON sc.id = s.school_id WHERE s.token_hash = $1",
            USER_COLUMNS
                .split(", ")
                .map(|c| format!("u.{c}"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        one(self.query(&sql, &[token_hash.into()])?, |row| {
            let session = SessionRecord {
                user_id: UserId(row.int(0)?),
                school_id: SchoolId(row.int(1)?),
                csrf_token: row.text(2)?,
                expires_at: row.int(3)?,
            };
            let user = user_from(
                &row.get(4..12)
                    .ok_or_else(|| corrupt("session user"))?
                    .to_vec(),
            )?;
            let school = school_from(
                &row.get(12..15)
                    .ok_or_else(|| corrupt("session school"))?
                    .to_vec(),
            )?;
            Ok((session, user, school))
        })
    }

    fn delete_session(&self, token_hash: &str) -> Result<(), StoreError> {
        self.execute(
            "DELETE FROM sessions WHERE token_hash = $1",
            &[token_hash.into()],
        )
        .map(|_| ())
    }

    fn delete_other_sessions(
        &self,
        school: SchoolId,
        user: UserId,
        keep_token_hash: &str,
    ) -> Result<(), StoreError> {
        self.execute(
            "DELETE FROM sessions WHERE school_id = $1 AND user_id = $2 AND token_hash <> $3",
            &[school.0.into(), user.0.into(), keep_token_hash.into()],
        )
        .map(|_| ())
    }

    fn create_token(
        &self,
        token_hash: &str,
        school: SchoolId,
        user: UserId,
        label: &str,
        now: Timestamp,
        expires_at: Timestamp,
    ) -> Result<TokenRecord, StoreError> {
        let rows = self.backend.write(|db| {
            db.query(
                "INSERT INTO api_tokens (token_hash, school_id, user_id, label, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                &[token_hash.into(), school.0.into(), user.0.into(), label.into(), now.into(), expires_at.into()],
            )
        })?;
        Ok(TokenRecord {
            id: returned_id(&rows)?,
            user_id: user,
            school_id: school,
            label: label.to_string(),
            created_at: now,
            revoked: false,
            expires_at,
        })
    }

    fn token_by_hash(&self, token_hash: &str) -> Result<Option<TokenRecord>, StoreError> {
        let rows = self.query(
            "SELECT id, user_id, school_id, label, created_at, revoked_at, expires_at FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL",
            &[token_hash.into()],
        )?;
        one(rows, token_from)
    }

    fn tokens(&self, school: SchoolId, user: UserId) -> Result<Vec<TokenRecord>, StoreError> {
        let rows = self.query(
            "SELECT id, user_id, school_id, label, created_at, revoked_at, expires_at FROM api_tokens WHERE school_id = $1 AND user_id = $2 ORDER BY id",
            &[school.0.into(), user.0.into()],
        )?;
        all(rows, token_from)
    }

    fn revoke_token(
        &self,
        school: SchoolId,
        user: UserId,
        token_id: i64,
    ) -> Result<bool, StoreError> {
        // The revocation time is not needed beyond "revoked"; 1 keeps the row's meaning clear.
        let changed = self.execute(
            "UPDATE api_tokens SET revoked_at = 1 WHERE school_id = $1 AND user_id = $2 AND id = $3 AND revoked_at IS NULL",
            &[school.0.into(), user.0.into(), token_id.into()],
        )?;
        Ok(changed > 0)
    }

    fn create_class(&self, school: SchoolId, name: &ClassName) -> Result<ClassRecord, StoreError> {
        let rows = self.backend.write(|db| {
            db.query(
                "INSERT INTO classes (school_id, name) VALUES ($1, $2) RETURNING id",
                &[school.0.into(), name.as_str().into()],
            )
        })?;
        Ok(ClassRecord {
            id: ClassId(returned_id(&rows)?),
            school_id: school,
            name: name.to_string(),
            archived_on: None,
        })
    }

    fn class(&self, school: SchoolId, id: ClassId) -> Result<Option<ClassRecord>, StoreError> {
        one(
            self.query(
                "SELECT id, school_id, name, archived_on FROM classes WHERE school_id = $1 AND id = $2",
                &[school.0.into(), id.0.into()],
            )?,
            class_from,
        )
    }

    fn classes(&self, school: SchoolId) -> Result<Vec<ClassRecord>, StoreError> {
        all(
            self.query(
                "SELECT id, school_id, name, archived_on FROM classes WHERE school_id = $1 ORDER BY name",
                &[school.0.into()],
            )?,
            class_from,
        )
    }

    fn classes_of_teacher(
        &self,
        school: SchoolId,
        user: UserId,
    ) -> Result<Vec<ClassRecord>, StoreError> {
        let rows = self.query(
            "SELECT c.id, c.school_id, c.name, c.archived_on FROM classes c JOIN class_teachers t ON t.class_id = c.id AND t.school_id = c.school_id \
             WHERE c.school_id = $1 AND t.user_id = $2 ORDER BY c.name",
            &[school.0.into(), user.0.into()],
        )?;
        all(rows, class_from)
    }

    fn rename_class(
        &self,
        school: SchoolId,
        id: ClassId,
        name: &ClassName,
    ) -> Result<bool, StoreError> {
        Ok(self.execute(
            "UPDATE classes SET name = $3 WHERE school_id = $1 AND id = $2",
            &[school.0.into(), id.0.into(), name.as_str().into()],
        )? > 0)
    }

    fn set_class_archived(
        &self,
        school: SchoolId,
        id: ClassId,
        archived_on: Option<Date>,
    ) -> Result<bool, StoreError> {
        let changed = self.execute(
            "UPDATE classes SET archived_on = $3 WHERE school_id = $1 AND id = $2",
            &[
                school.0.into(),
                id.0.into(),
                archived_on.map(|d| d.to_string()).into(),
            ],
        )?;
        Ok(changed > 0)
    }

    fn assign_teacher(
        &self,
        school: SchoolId,
        class: ClassId,
        user: UserId,
    ) -> Result<(), StoreError> {
        self.execute(
            "INSERT INTO class_teachers (school_id, class_id, user_id) \
             SELECT $1, $2, $3 WHERE EXISTS (SELECT 1 FROM classes WHERE school_id = $1 AND id = $2) \
             AND EXISTS (SELECT 1 FROM users WHERE school_id = $1 AND id = $3) \
             AND NOT EXISTS (SELECT 1 FROM class_teachers WHERE school_id = $1 AND class_id = $2 AND user_id = $3)",
            &[school.0.into(), class.0.into(), user.0.into()],
        )
        .map(|_| ())
    }

    fn unassign_teacher(
        &self,
        school: SchoolId,
        class: ClassId,
        user: UserId,
    ) -> Result<(), StoreError> {
        self.execute(
            "DELETE FROM class_teachers WHERE school_id = $1 AND class_id = $2 AND user_id = $3",
            &[school.0.into(), class.0.into(), user.0.into()],
        )
        .map(|_| ())
    }

    fn teachers_of_class(
        &self,
        school: SchoolId,
        class: ClassId,
    ) -> Result<Vec<UserRecord>, StoreError> {
        let sql = format!(
            "SELECT {} FROM users u JOIN class_teachers t ON t.user_id = u.id AND t.school_id = u.school_id \
             WHERE u.school_id = $1 AND t.class_id = $2 ORDER BY u.name",
            USER_COLUMNS
                .split(", ")
                .map(|c| format!("u.{c}"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        all(
            self.query(&sql, &[school.0.into(), class.0.into()])?,
            user_from,
        )
    }

    fn is_assigned(
        &self,
        school: SchoolId,
        class: ClassId,
        user: UserId,
    ) -> Result<bool, StoreError> {
        let rows = self.query(
            "SELECT 1 FROM class_teachers WHERE school_id = $1 AND class_id = $2 AND user_id = $3",
            &[school.0.into(), class.0.into(), user.0.into()],
        )?;
        Ok(!rows.is_empty())
    }

    fn create_pupil(&self, pupil: &PupilRecord) -> Result<PupilRecord, StoreError> {
        let id = self.backend.write(|db| {
            // The class must belong to the pupil's school: checked in the same transaction.
            let class = db.query(
                "SELECT 1 FROM classes WHERE school_id = $1 AND id = $2",
                &[pupil.school_id.0.into(), pupil.class_id.0.into()],
            )?;
            if class.is_empty() {
                return Err(StoreError::Backend("class not in this school".into()));
            }
            insert_pupil(db, pupil)
        })?;
        Ok(PupilRecord {
            id: PupilId(id),
            ..pupil.clone()
        })
    }

    fn pupil(&self, school: SchoolId, id: PupilId) -> Result<Option<PupilRecord>, StoreError> {
        let sql = format!("SELECT {PUPIL_COLUMNS} FROM pupils WHERE school_id = $1 AND id = $2");
        one(
            self.query(&sql, &[school.0.into(), id.0.into()])?,
            pupil_from,
        )
    }

    fn pupils_of_class(
        &self,
        school: SchoolId,
        class: ClassId,
    ) -> Result<Vec<PupilRecord>, StoreError> {
        let sql = format!(
            "SELECT {PUPIL_COLUMNS} FROM pupils WHERE school_id = $1 AND class_id = $2 ORDER BY family_name, given_name, id"
        );
        all(
            self.query(&sql, &[school.0.into(), class.0.into()])?,
            pupil_from,
        )
    }

    fn update_pupil(&self, pupil: &PupilRecord) -> Result<bool, StoreError> {
        self.backend.write(|db| {
            let class = db.query(
                "SELECT 1 FROM classes WHERE school_id = $1 AND id = $2",
                &[pupil.school_id.0.into(), pupil.class_id.0.into()],
            )?;
            if class.is_empty() {
                return Ok(false);
            }
            Ok(update_pupil_in(db, pupil)? > 0)
        })
    }

    fn import_pupils(
        &self,
        school: SchoolId,
        rows: &[ImportRow],
    ) -> Result<ImportOutcome, StoreError> {
        self.backend.write(|db| {
            let mut outcome = ImportOutcome::default();
            let mut class_ids: std::collections::HashMap<String, ClassId> = std::collections::HashMap::new();
            for row in db.query("SELECT id, school_id, name, archived_on FROM classes WHERE school_id = $1", &[school.0.into()])? {
                let class = class_from(&row)?;
                class_ids.insert(class.name, class.id);
            }
            for row in rows {
                let class_id = match class_ids.get(row.class_name.as_str()) {
                    Some(id) => *id,
                    None => {
                        let inserted = db.query(
                            "INSERT INTO classes (school_id, name) VALUES ($1, $2) RETURNING id",
                            &[school.0.into(), row.class_name.as_str().into()],
                        )?;
                        let id = ClassId(returned_id(&inserted)?);
                        class_ids.insert(row.class_name.to_string(), id);
                        outcome.classes_created += 1;
                        id
                    }
                };
                let pupil = &row.pupil;
                let existing = match &pupil.external_id {
                    Some(external) => db.query(
                        &format!("SELECT {PUPIL_COLUMNS} FROM pupils WHERE school_id = $1 AND external_id = $2"),
                        &[school.0.into(), external.as_str().into()],
                    )?,
                    None => db.query(
                        &format!(
                            "SELECT {PUPIL_COLUMNS} FROM pupils WHERE school_id = $1 AND class_id = $2 AND given_name = $3 \
                             AND infix = $4 AND family_name = $5 AND external_id IS NULL"
                        ),
                        &[
                            school.0.into(),
                            class_id.0.into(),
                            pupil.given_name.as_str().into(),
                            pupil.infix.as_str().into(),
                            pupil.family_name.as_str().into(),
                        ],
                    )?,
                };
                let record = PupilRecord {
                    id: PupilId(0),
                    school_id: school,
                    class_id,
                    given_name: pupil.given_name.to_string(),
                    infix: pupil.infix.clone(),
                    family_name: pupil.family_name.to_string(),
                    external_id: pupil.external_id.clone(),
                    left_on: None,
                };
                match one(existing, pupil_from)? {
                    Some(found) => {
                        // A pupil in the new export is at school: a re-import clears a leaving date.
                        update_pupil_in(db, &PupilRecord { id: found.id, ..record })?;
                        outcome.pupils_updated += 1;
                    }
                    None => {
                        insert_pupil(db, &record)?;
                        outcome.pupils_created += 1;
                    }
                }
            }
            Ok(outcome)
        })
    }
}
