//! SQLite: bundled, WAL journal, `synchronous=FULL` (a confirmed import survives a power
//! cut), a busy timeout so the admin commands can write while the server runs, one writer
//! connection and a few readers.

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard};

use erbij_core::StoreError;
use rusqlite::types::{Value as SqlValue, ValueRef};
use rusqlite::{Connection, ErrorCode, OpenFlags, TransactionBehavior};

use crate::sql::{Backend, Exec, Row, Value};

const READERS: usize = 8;
const MIGRATIONS: &[(i64, &str)] = &[
    (1, include_str!("../migrations/sqlite_0001_platform.sql")),
    (
        2,
        include_str!("../migrations/sqlite_0002_class_archive.sql"),
    ),
    (3, include_str!("../migrations/sqlite_0003_signals.sql")),
    (4, include_str!("../migrations/sqlite_0004_surveys.sql")),
    (5, include_str!("../migrations/sqlite_0005_cases.sql")),
    (6, include_str!("../migrations/sqlite_0006_evidence.sql")),
    (7, include_str!("../migrations/sqlite_0007_lessons.sql")),
    (8, include_str!("../migrations/sqlite_0008_hardening.sql")),
    (9, include_str!("../migrations/sqlite_0009_auth.sql")),
];

#[derive(Debug)]
pub struct SqliteBackend {
    path: std::path::PathBuf,
    writer: Mutex<Connection>,
    readers: Vec<Mutex<Connection>>,
    next_reader: AtomicUsize,
}

fn backend_error(err: rusqlite::Error) -> StoreError {
    match &err {
        rusqlite::Error::SqliteFailure(code, _) if code.code == ErrorCode::ConstraintViolation => {
            StoreError::Conflict("a row with these values already exists".into())
        }
        _ => StoreError::Backend(err.to_string()),
    }
}

fn configure(conn: &Connection) -> Result<(), StoreError> {
    conn.busy_timeout(std::time::Duration::from_secs(10))
        .map_err(backend_error)?;
    conn.execute_batch(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA secure_delete = ON;",
    )
    .map_err(backend_error)
}

fn lock(mutex: &Mutex<Connection>) -> MutexGuard<'_, Connection> {
    // A panic while holding the lock cannot leave a half-applied transaction (SQLite rolls
    // back), so a poisoned lock is safe to reuse.
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl SqliteBackend {
    pub fn open(path: &Path) -> Result<SqliteBackend, StoreError> {
        let mut writer = Connection::open(path).map_err(backend_error)?;
        configure(&writer)?;
        migrate(&mut writer)?;
        let mut readers = Vec::with_capacity(READERS);
        for _ in 0..READERS {
            let reader = Connection::open_with_flags(
                path,
                OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )
            .map_err(backend_error)?;
            reader
                .busy_timeout(std::time::Duration::from_secs(10))
                .map_err(backend_error)?;
            readers.push(Mutex::new(reader));
        }
        Ok(SqliteBackend {
            path: path.to_path_buf(),
            writer: Mutex::new(writer),
            readers,
            next_reader: AtomicUsize::new(0),
        })
    }

    /// The PRAGMA values in force (for the conformance tests).
    pub fn pragmas(&self) -> Result<(String, i64), StoreError> {
        let conn = lock(&self.writer);
        let mode: String = conn
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .map_err(backend_error)?;
        let sync: i64 = conn
            .query_row("PRAGMA synchronous", [], |r| r.get(0))
            .map_err(backend_error)?;
        Ok((mode, sync))
    }
}

fn migrate(conn: &mut Connection) -> Result<(), StoreError> {
    conn.execute_batch(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY)",
    )
    .map_err(backend_error)?;
    for (version, sql) in MIGRATIONS {
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(backend_error)?;
        let done: i64 = tx
            .query_row(
                "SELECT COUNT(*) FROM schema_migrations WHERE version = ?1",
                [version],
                |r| r.get(0),
            )
            .map_err(backend_error)?;
        if done == 0 {
            tx.execute_batch(sql).map_err(backend_error)?;
            tx.execute(
                "INSERT INTO schema_migrations (version) VALUES (?1)",
                [version],
            )
            .map_err(backend_error)?;
        }
        tx.commit().map_err(backend_error)?;
    }
    Ok(())
}

struct SqliteExec<'a>(&'a Connection);

fn to_sqlite(sql: &str) -> String {
    // `$1` in the shared SQL is SQLite's `?1`: numbered, so a parameter may repeat.
    sql.replace('$', "?")
}

fn params(values: &[Value]) -> Vec<SqlValue> {
    values
        .iter()
        .map(|v| match v {
            Value::Int(Some(i)) => SqlValue::Integer(*i),
            Value::Text(Some(t)) => SqlValue::Text(t.clone()),
            Value::Int(None) | Value::Text(None) => SqlValue::Null,
        })
        .collect()
}

impl Exec for SqliteExec<'_> {
    fn query(&mut self, sql: &str, values: &[Value]) -> Result<Vec<Row>, StoreError> {
        let mut stmt = self
            .0
            .prepare_cached(&to_sqlite(sql))
            .map_err(backend_error)?;
        let columns = stmt.column_count();
        let mut rows = stmt
            .query(rusqlite::params_from_iter(params(values)))
            .map_err(backend_error)?;
        let mut out = Vec::new();
        while let Some(row) = rows.next().map_err(backend_error)? {
            let mut values = Vec::with_capacity(columns);
            for i in 0..columns {
                values.push(match row.get_ref(i).map_err(backend_error)? {
                    ValueRef::Null => Value::Int(None),
                    ValueRef::Integer(v) => Value::Int(Some(v)),
                    ValueRef::Real(v) => Value::Int(Some(v as i64)),
                    ValueRef::Text(t) | ValueRef::Blob(t) => {
                        Value::Text(Some(String::from_utf8_lossy(t).into_owned()))
                    }
                });
            }
            out.push(values);
        }
        Ok(out)
    }

    fn execute(&mut self, sql: &str, values: &[Value]) -> Result<u64, StoreError> {
        let mut stmt = self
            .0
            .prepare_cached(&to_sqlite(sql))
            .map_err(backend_error)?;
        let changed = stmt
            .execute(rusqlite::params_from_iter(params(values)))
            .map_err(backend_error)?;
        Ok(u64::try_from(changed).unwrap_or(u64::MAX))
    }
}

impl Backend for SqliteBackend {
    fn read<T>(
        &self,
        f: impl FnOnce(&mut dyn Exec) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let count = self.readers.len().max(1);
        let start = self.next_reader.fetch_add(1, Ordering::Relaxed) % count;
        // Take the first idle reader; wait for one only when all are busy.
        for offset in 0..count {
            if let Some(Ok(conn)) = self
                .readers
                .get((start + offset) % count)
                .map(Mutex::try_lock)
            {
                return f(&mut SqliteExec(&conn));
            }
        }
        match self.readers.get(start) {
            Some(reader) => f(&mut SqliteExec(&lock(reader))),
            None => f(&mut SqliteExec(&lock(&self.writer))),
        }
    }

    fn write<T>(
        &self,
        f: impl FnOnce(&mut dyn Exec) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let mut conn = lock(&self.writer);
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(backend_error)?;
        let out = f(&mut SqliteExec(&tx))?;
        tx.commit().map_err(backend_error)?;
        Ok(out)
    }

    fn checkpoint(&self) -> Result<(), StoreError> {
        // secure_delete zeroes deleted content in the database file; the WAL may still hold
        // older copies of those pages until a checkpoint copies them back and truncates it.
        let conn = lock(&self.writer);
        conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
            .map_err(backend_error)
    }

    fn files_present(&self) -> Result<(), String> {
        if self.path.is_file() {
            Ok(())
        } else {
            Err(self.path.display().to_string())
        }
    }
}
