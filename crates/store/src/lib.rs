//! erbij's [`Store`](erbij_core::Store) on SQLite (embedded, the default) and PostgreSQL
//! (for a school board or a hosted service), with the migrations for both.
//!
//! The queries are written once, in the SQL both databases accept, over a two-method
//! backend ([`sql::Exec`]); each backend only connects, converts values and maps errors.
//! Every query on school data filters on `school_id`. This crate holds no access rules
//! (those live in `erbij-core`) and never logs row contents.

mod auth;
mod backup;
mod cases;
mod evidence;
mod files;
mod hardening;
mod jobs;
mod lessons;
mod postgres_backend;
mod signals;
mod sql;
mod sqlite_backend;
mod surveys;

use std::path::Path;

pub use backup::{BackupSummary, SQLITE_MAGIC, backup_sqlite, restore_sqlite};
pub use files::{DATABASE_FILE, PermissionFix, secure_data_dir};
pub use postgres_backend::PostgresBackend;
pub use sql::SqlStore;
pub use sqlite_backend::SqliteBackend;

use erbij_core::StoreError;

/// The store on an SQLite file, created and migrated when needed.
pub type SqliteStore = SqlStore<SqliteBackend>;
/// The store on a PostgreSQL database, migrated when needed.
pub type PostgresStore = SqlStore<PostgresBackend>;

/// Opens (creating if needed) `DIR/erbij.sqlite3` and applies migrations. The folder is
/// made 0700 and the database files 0600 (see [`secure_data_dir`], which the binary calls
/// first to report what it tightened).
pub fn open_sqlite_in(data_dir: &Path) -> Result<SqliteStore, StoreError> {
    secure_data_dir(data_dir)?;
    open_sqlite(&data_dir.join(DATABASE_FILE))
}

/// Opens (creating if needed, readable by the owner only) an SQLite database file and
/// applies migrations.
pub fn open_sqlite(path: &Path) -> Result<SqliteStore, StoreError> {
    files::create_private_file(path)?;
    Ok(SqlStore::new(SqliteBackend::open(path)?))
}

/// Connects to PostgreSQL and applies migrations. With `schema`, everything lives in that
/// schema (created when missing); tests use a fresh schema per run.
pub fn open_postgres(url: &str, schema: Option<&str>) -> Result<PostgresStore, StoreError> {
    Ok(SqlStore::new(PostgresBackend::connect(url, schema)?))
}
