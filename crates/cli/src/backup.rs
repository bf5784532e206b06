//! `erbij backup --out FILE` and `erbij restore FILE`: a consistent copy while the server
//! runs, and its restore into an empty data folder or database.
//!
//! SQLite: SQLite's online backup (one snapshot; writers go on). PostgreSQL: `pg_dump` in
//! its custom format (one snapshot as well) and `pg_restore`, with the connection given
//! through `PG*` variables so the password never shows in the process list.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use anyhow::{Context, Result, bail};

use crate::serve::{Database, StoreArgs};

#[derive(Debug, clap::Args)]
pub struct BackupArgs {
    /// The backup file to write (must not exist yet).
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
    #[command(flatten)]
    store: StoreArgs,
}

#[derive(Debug, clap::Args)]
pub struct RestoreArgs {
    /// A file made by `erbij backup`.
    #[arg(value_name = "FILE")]
    file: PathBuf,
    #[command(flatten)]
    store: StoreArgs,
}

fn finish(command: &str, result: Result<()>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("erbij {command}: {err:#}");
            ExitCode::from(1)
        }
    }
}

pub fn backup(args: BackupArgs) -> ExitCode {
    finish(
        "backup",
        (|| {
            match args.store.database()? {
                Database::Sqlite(dir) => {
                    let summary = erbij_store::backup_sqlite(&dir, &args.out)?;
                    println!(
                        "backup written to {} ({} school(s), {} account(s), {} pupil(s), schema {})",
                        args.out.display(),
                        summary.schools,
                        summary.users,
                        summary.pupils,
                        summary.schema_version
                    );
                }
                Database::Postgres(url) => {
                    if args.out.exists() {
                        bail!(
                            "{} already exists; erbij does not overwrite a file, choose a new name",
                            args.out.display()
                        );
                    }
                    let out = args.out.to_string_lossy().into_owned();
                    run_pg_tool(
                        "pg_dump",
                        &[
                            "--format=custom",
                            "--no-owner",
                            "--no-privileges",
                            "--file",
                            &out,
                        ],
                        &url,
                    )?;
                    restrict(&args.out)?;
                    println!(
                        "backup written to {} (pg_dump custom format)",
                        args.out.display()
                    );
                }
            }
            Ok(())
        })(),
    )
}

pub fn restore(args: RestoreArgs) -> ExitCode {
    finish(
        "restore",
        (|| {
            let kind = backup_kind(&args.file)?;
            match (args.store.database()?, kind) {
                (Database::Sqlite(dir), BackupKind::Sqlite) => {
                    let summary = erbij_store::restore_sqlite(&args.file, &dir)?;
                    // Opening applies the migrations a newer erbij adds.
                    erbij_store::open_sqlite_in(&dir).with_context(|| {
                        format!("cannot open the restored database in {}", dir.display())
                    })?;
                    println!(
                        "restored into {} ({} school(s), {} account(s), {} pupil(s))",
                        dir.display(),
                        summary.schools,
                        summary.users,
                        summary.pupils
                    );
                }
                (Database::Postgres(url), BackupKind::PgDump) => {
                    let store = erbij_store::PostgresBackend::probe_empty(&url)?;
                    if !store {
                        bail!(
                            "the PostgreSQL database already holds erbij's tables; restore into a new, empty database (createdb), then point the server at it"
                        );
                    }
                    let file = args.file.to_string_lossy().into_owned();
                    // pg_restore wants the target named; the name alone holds no secret.
                    let dbname = erbij_store::PostgresBackend::libpq_env(&url)?
                        .into_iter()
                        .find(|(k, _)| *k == "PGDATABASE")
                        .map(|(_, v)| v)
                        .context("the database URL names no database")?;
                    let dbname = format!("--dbname={dbname}");
                    run_pg_tool(
                        "pg_restore",
                        &[
                            &dbname,
                            "--no-owner",
                            "--no-privileges",
                            "--exit-on-error",
                            "--single-transaction",
                            &file,
                        ],
                        &url,
                    )?;
                    erbij_store::open_postgres(&url, None)
                        .context("cannot open the restored PostgreSQL database")?;
                    println!("restored into the PostgreSQL database");
                }
                (Database::Sqlite(_), BackupKind::PgDump) => bail!(
                    "{} is a PostgreSQL backup; restore it with --database-url",
                    args.file.display()
                ),
                (Database::Postgres(_), BackupKind::Sqlite) => bail!(
                    "{} is an SQLite backup; restore it with --data-dir",
                    args.file.display()
                ),
            }
            Ok(())
        })(),
    )
}

enum BackupKind {
    Sqlite,
    PgDump,
}

fn backup_kind(file: &Path) -> Result<BackupKind> {
    use std::io::Read;
    let mut head = [0u8; 16];
    let mut opened =
        std::fs::File::open(file).with_context(|| format!("cannot read {}", file.display()))?;
    let read = opened.read(&mut head).unwrap_or(0);
    if read >= 16 && head == erbij_store::SQLITE_MAGIC {
        Ok(BackupKind::Sqlite)
    } else if head.starts_with(b"PGDMP") {
        Ok(BackupKind::PgDump)
    } else {
        bail!(
            "{} is not a backup made by `erbij backup` (neither an SQLite database nor a pg_dump file)",
            file.display()
        )
    }
}

/// Runs pg_dump or pg_restore against the URL's database.
fn run_pg_tool(tool: &str, args: &[&str], url: &str) -> Result<()> {
    let env = erbij_store::PostgresBackend::libpq_env(url)?;
    let output = Command::new(tool)
        .args(args)
        .env_remove("PGSERVICE")
        .envs(env)
        .output()
        .with_context(|| {
            format!("cannot run {tool}; install PostgreSQL's client tools (Debian: apt-get install postgresql-client) of at least the server's version")
        })?;
    if !output.status.success() {
        bail!(
            "{tool} failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    Ok(())
}

#[cfg(unix)]
fn restrict(path: &Path) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))
        .with_context(|| format!("cannot make {} private", path.display()))
}

#[cfg(not(unix))]
fn restrict(_path: &Path) -> Result<()> {
    Ok(())
}
