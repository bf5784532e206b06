//! erbij's [`Store`](erbij_core::Store) on SQLite (embedded, the default) and PostgreSQL
//! (for a school board or a hosted service), with the migrations for both.
//!
//! The queries are written once, in the SQL both databases accept, over a two-method
//! backend ([`sql::Exec`]); each backend only connects, converts values and maps errors.
//! Every query on school data filters on `school_id`. This crate holds no access rules
//! (those live in `erbij-core`) and never logs row contents.

mod cases;
mod evidence;
mod hardening;
mod jobs;
mod lessons;
mod postgres_backend;
mod signals;
mod sql;
mod sqlite_backend;
mod surveys;

use std::path::Path;

pub use postgres_backend::PostgresBackend;
pub use sql::SqlStore;
pub use sqlite_backend::SqliteBackend;

use erbij_core::StoreError;

/// The store on an SQLite file, created and migrated when needed.
pub type SqliteStore = SqlStore<SqliteBackend>;
/// The store on a PostgreSQL database, migrated when needed.
pub type PostgresStore = SqlStore<PostgresBackend>;

/// Opens (creating if needed) `DIR/erbij.sqlite3` and applies migrations.
pub fn open_sqlite_in(data_dir: &Path) -> Result<SqliteStore, StoreError> {
    std::fs::create_dir_all(data_dir)
        .map_err(|e| StoreError::Backend(format!("cannot create {}: {e}", data_dir.display())))?;
    open_sqlite(&data_dir.join("erbij.sqlite3"))
}

/// Opens (creating if needed) an SQLite database file and applies migrations.
pub fn open_sqlite(path: &Path) -> Result<SqliteStore, StoreError> {
    Ok(SqlStore::new(SqliteBackend::open(path)?))
}

/// Connects to PostgreSQL and applies migrations. With `schema`, everything lives in that
/// schema (created when missing); tests use a fresh schema per run.
pub fn open_postgres(url: &str, schema: Option<&str>) -> Result<PostgresStore, StoreError> {
    Ok(SqlStore::new(PostgresBackend::connect(url, schema)?))
}
