//! Backups of the SQLite database while the server runs (SQLite's online backup: one
//! consistent snapshot, writers go on), and their restore into an empty data folder.
//! PostgreSQL backups are made by `pg_dump` (see the binary's `erbij backup`).

use std::path::Path;

use erbij_core::StoreError;
use rusqlite::{Connection, OpenFlags};

use crate::files::{DATABASE_FILE, create_private_file, secure_data_dir};

/// The first bytes of every SQLite database file.
pub const SQLITE_MAGIC: &[u8] = b"SQLite format 3\0";

fn err(what: String) -> StoreError {
    StoreError::Backend(what)
}

/// What a backup or restore holds, to print and to check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BackupSummary {
    pub schema_version: i64,
    pub schools: i64,
    pub users: i64,
    pub pupils: i64,
}

fn summary(conn: &Connection) -> Result<BackupSummary, StoreError> {
    let count = |sql: &str| -> Result<i64, StoreError> {
        conn.query_row(sql, [], |r| r.get(0))
            .map_err(|e| err(format!("this is not an erbij database ({e})")))
    };
    Ok(BackupSummary {
        schema_version: count("SELECT COALESCE(MAX(version), 0) FROM schema_migrations")?,
        schools: count("SELECT COUNT(*) FROM schools")?,
        users: count("SELECT COUNT(*) FROM users")?,
        pupils: count("SELECT COUNT(*) FROM pupils")?,
    })
}

/// Copies the data folder's database into `out` (created 0600; an existing file is not
/// overwritten) in one consistent snapshot, while other processes may write.
pub fn backup_sqlite(data_dir: &Path, out: &Path) -> Result<BackupSummary, StoreError> {
    let source_path = data_dir.join(DATABASE_FILE);
    if !source_path.is_file() {
        return Err(err(format!(
            "there is no erbij database in {} (looked for {DATABASE_FILE}); pass the --data-dir the server uses",
            data_dir.display()
        )));
    }
    if out.exists() {
        return Err(err(format!(
            "{} already exists; erbij does not overwrite a file, choose a new name",
            out.display()
        )));
    }
    let source = Connection::open_with_flags(&source_path, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(|e| err(format!("cannot open {}: {e}", source_path.display())))?;
    source
        .busy_timeout(std::time::Duration::from_secs(10))
        .map_err(|e| err(e.to_string()))?;
    create_private_file(out)?;
    let result = (|| {
        let mut target = Connection::open(out)
            .map_err(|e| err(format!("cannot write {}: {e}", out.display())))?;
        {
            let backup = rusqlite::backup::Backup::new(&source, &mut target)
                .map_err(|e| err(format!("cannot start the backup: {e}")))?;
            copy_all(&backup).map_err(|e| err(format!("the backup failed: {e}")))?;
        }
        // A backup file is a plain database file: no WAL beside it.
        target
            .execute_batch("PRAGMA journal_mode = DELETE;")
            .map_err(|e| err(e.to_string()))?;
        check(&target)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(out);
    }
    result
}

/// All pages in one step, so the copy is one read transaction: one snapshot. A writer
/// holding the lock at that moment makes it wait and try again (up to 30 s).
fn copy_all(backup: &rusqlite::backup::Backup<'_, '_>) -> Result<(), String> {
    use rusqlite::backup::StepResult;
    for _ in 0..300 {
        match backup.step(-1).map_err(|e| e.to_string())? {
            StepResult::Done => return Ok(()),
            StepResult::More | StepResult::Busy | StepResult::Locked => {
                std::thread::sleep(std::time::Duration::from_millis(100));
            }
            _ => std::thread::sleep(std::time::Duration::from_millis(100)),
        }
    }
    Err("the database stayed busy for 30 seconds".into())
}

fn check(conn: &Connection) -> Result<BackupSummary, StoreError> {
    let integrity: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .map_err(|e| err(format!("the file is not a readable database ({e})")))?;
    if integrity != "ok" {
        return Err(err(format!("the database is damaged: {integrity}")));
    }
    summary(conn)
}

/// Restores a backup made by [`backup_sqlite`] into a data folder that holds no database
/// yet. The backup file is checked first (integrity, erbij's tables); the restored
/// database is made 0600 and migrated by the next open.
pub fn restore_sqlite(backup: &Path, data_dir: &Path) -> Result<BackupSummary, StoreError> {
    let target_path = data_dir.join(DATABASE_FILE);
    if target_path.exists()
        && std::fs::metadata(&target_path)
            .map(|m| m.len() > 0)
            .unwrap_or(true)
    {
        return Err(err(format!(
            "{} already holds a database; restore into an empty data folder (a new --data-dir), then point the server at it",
            data_dir.display()
        )));
    }
    let source = Connection::open_with_flags(backup, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(|e| err(format!("cannot open {}: {e}", backup.display())))?;
    let found = check(&source)?;
    secure_data_dir(data_dir)?;
    create_private_file(&target_path)?;
    let result = (|| {
        let mut target = Connection::open(&target_path)
            .map_err(|e| err(format!("cannot write {}: {e}", target_path.display())))?;
        {
            let backup = rusqlite::backup::Backup::new(&source, &mut target)
                .map_err(|e| err(format!("cannot start the restore: {e}")))?;
            copy_all(&backup).map_err(|e| err(format!("the restore failed: {e}")))?;
        }
        target
            .execute_batch("PRAGMA journal_mode = WAL;")
            .map_err(|e| err(e.to_string()))?;
        check(&target)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&target_path);
    }
    let restored = result?;
    if restored != found {
        return Err(err("the restored database differs from the backup".into()));
    }
    Ok(restored)
}
