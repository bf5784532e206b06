//! PostgreSQL through the blocking `postgres` client, with a bounded pool of connections
//! (default [`DEFAULT_MAX_CONNECTIONS`], `ERBIJ_DATABASE_POOL` for `erbij serve`): a caller
//! waits for a free connection, at most [`POOL_WAIT`], instead of opening one more.
//! Callers in async code run store calls on blocking threads, where this client may run
//! its own small runtime.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex};
use std::time::Duration;

use erbij_core::StoreError;
use postgres::error::SqlState;
use postgres::types::{ToSql, Type};
use postgres::{Client, Config, GenericClient, NoTls};

use crate::sql::{Backend, Exec, Row, Value};

const MIGRATIONS: &[(i64, &str)] = &[
    (1, include_str!("../migrations/postgres_0001_platform.sql")),
    (
        2,
        include_str!("../migrations/postgres_0002_class_archive.sql"),
    ),
    (3, include_str!("../migrations/postgres_0003_signals.sql")),
    (4, include_str!("../migrations/postgres_0004_surveys.sql")),
    (5, include_str!("../migrations/postgres_0005_cases.sql")),
    (6, include_str!("../migrations/postgres_0006_evidence.sql")),
    (7, include_str!("../migrations/postgres_0007_lessons.sql")),
    (8, include_str!("../migrations/postgres_0008_hardening.sql")),
    (9, include_str!("../migrations/postgres_0009_auth.sql")),
];
/// Connections one process opens at most, unless set otherwise.
pub const DEFAULT_MAX_CONNECTIONS: usize = 16;
/// How long a caller waits for a free connection before the call fails.
pub const POOL_WAIT: Duration = Duration::from_secs(30);

/// The open connections: idle ones, and how many exist in all (idle and in use).
#[derive(Default)]
struct Pool {
    idle: Vec<Client>,
    open: usize,
}

pub struct PostgresBackend {
    config: Config,
    schema: Option<String>,
    pool: Mutex<Pool>,
    freed: Condvar,
    max: AtomicUsize,
}

// The connection config holds the password: show neither it nor the URL.
impl std::fmt::Debug for PostgresBackend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PostgresBackend")
            .field("schema", &self.schema)
            .finish_non_exhaustive()
    }
}

/// Waiting for a connection longer than this means the server is not there.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// No statement of erbij's runs longer; a stalled server answers an error, not silence.
const STATEMENT_TIMEOUT_MS: u64 = 30_000;

fn backend_error(err: postgres::Error) -> StoreError {
    if err.code() == Some(&SqlState::UNIQUE_VIOLATION) {
        StoreError::Conflict("a row with these values already exists".into())
    } else {
        StoreError::Backend(describe(&err))
    }
}

/// The client's own `Display` says only "db error"; the server's message is in the source.
fn describe(err: &postgres::Error) -> String {
    if let Some(db) = err.as_db_error() {
        return db.message().to_string();
    }
    match std::error::Error::source(err) {
        Some(source) => format!("{err}: {source}"),
        None => err.to_string(),
    }
}

/// Which database, where, as whom (never the password), for messages.
fn target(config: &Config) -> String {
    let host = config
        .get_hosts()
        .first()
        .map(|h| match h {
            postgres::config::Host::Tcp(name) => name.clone(),
            #[cfg(unix)]
            postgres::config::Host::Unix(path) => path.display().to_string(),
        })
        .unwrap_or_else(|| "localhost".into());
    let port = config.get_ports().first().copied().unwrap_or(5432);
    format!(
        "database `{}` on {host}:{port} as user `{}`",
        config.get_dbname().unwrap_or("(the user's name)"),
        config.get_user().unwrap_or("(none)")
    )
}

/// A connection failure at start, naming the database and what to do about it.
fn connect_error(config: &Config, err: &postgres::Error) -> StoreError {
    let what = target(config);
    let hint = match err.code() {
        Some(code) if *code == SqlState::INVALID_CATALOG_NAME => format!(
            "create it (for example `createdb -O {} {}`) or correct the database name in --database-url",
            config.get_user().unwrap_or("erbij"),
            config.get_dbname().unwrap_or("erbij")
        ),
        Some(code)
            if *code == SqlState::INVALID_PASSWORD
                || *code == SqlState::INVALID_AUTHORIZATION_SPECIFICATION =>
        {
            "check the user name and password in --database-url, and that pg_hba.conf lets this user in".into()
        }
        Some(code) if *code == SqlState::INSUFFICIENT_PRIVILEGE => {
            "give this user the right to create tables in the database (or its schema)".into()
        }
        Some(_) => "see PostgreSQL's message above".into(),
        None => "check that PostgreSQL runs and accepts connections at that host and port, and that --database-url names them".into(),
    };
    StoreError::Backend(format!(
        "cannot use the PostgreSQL {what}: {}; {hint}",
        describe(err)
    ))
}

fn quote_ident(name: &str) -> Result<String, StoreError> {
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return Err(StoreError::Backend(format!("invalid schema name `{name}`")));
    }
    Ok(format!("\"{name}\""))
}

impl PostgresBackend {
    pub fn connect(url: &str, schema: Option<&str>) -> Result<PostgresBackend, StoreError> {
        let mut config: Config = url.parse().map_err(|e: postgres::Error| {
            StoreError::Backend(format!(
                "the database URL is not valid ({}); write it like postgres://erbij:PASSWORD@localhost/erbij",
                describe(&e)
            ))
        })?;
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(CONNECT_TIMEOUT);
        }
        // The URL's own `options` win where they set the same (they come later).
        let options = config.get_options().unwrap_or("").to_string();
        if !options.contains("statement_timeout") {
            config.options(&format!(
                "-c statement_timeout={STATEMENT_TIMEOUT_MS} {options}"
            ));
        }
        let backend = PostgresBackend {
            config,
            schema: schema.map(str::to_string),
            pool: Mutex::new(Pool::default()),
            freed: Condvar::new(),
            max: AtomicUsize::new(DEFAULT_MAX_CONNECTIONS),
        };
        let mut client = backend
            .config
            .connect(NoTls)
            .map_err(|e| connect_error(&backend.config, &e))?;
        if let Some(schema) = &backend.schema {
            client
                .batch_execute(&format!(
                    "CREATE SCHEMA IF NOT EXISTS {}",
                    quote_ident(schema)?
                ))
                .map_err(backend_error)?;
        }
        if let Some(schema) = &backend.schema {
            client
                .batch_execute(&format!("SET search_path TO {}", quote_ident(schema)?))
                .map_err(backend_error)?;
        }
        migrate(&mut client).map_err(|e| {
            StoreError::Backend(format!(
                "cannot prepare the PostgreSQL {}: {e}",
                target(&backend.config)
            ))
        })?;
        backend.lock_pool().open += 1;
        backend.put_back(client);
        Ok(backend)
    }

    /// Sets how many connections this process opens at most (at least 2).
    pub fn set_max_connections(&self, max: usize) {
        self.max.store(max.max(2), Ordering::SeqCst);
    }

    pub fn max_connections(&self) -> usize {
        self.max.load(Ordering::SeqCst)
    }

    /// Connections open now (idle and in use).
    pub fn open_connections(&self) -> usize {
        self.lock_pool().open
    }

    fn lock_pool(&self) -> std::sync::MutexGuard<'_, Pool> {
        self.pool
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn new_client(&self) -> Result<Client, StoreError> {
        let mut client = self.config.connect(NoTls).map_err(backend_error)?;
        if let Some(schema) = &self.schema {
            client
                .batch_execute(&format!("SET search_path TO {}", quote_ident(schema)?))
                .map_err(backend_error)?;
        }
        Ok(client)
    }

    fn take_client(&self) -> Result<Client, StoreError> {
        let deadline = std::time::Instant::now() + POOL_WAIT;
        let mut pool = self.lock_pool();
        loop {
            if let Some(client) = pool.idle.pop() {
                if client.is_closed() {
                    pool.open = pool.open.saturating_sub(1);
                    continue;
                }
                return Ok(client);
            }
            if pool.open < self.max_connections() {
                pool.open += 1;
                drop(pool);
                return self.new_client().inspect_err(|_| {
                    self.lock_pool().open -= 1;
                    self.freed.notify_one();
                });
            }
            let now = std::time::Instant::now();
            if now >= deadline {
                return Err(StoreError::Backend(format!(
                    "all {} database connections stayed busy for {} s",
                    self.max_connections(),
                    POOL_WAIT.as_secs()
                )));
            }
            pool = self
                .freed
                .wait_timeout(pool, deadline - now)
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .0;
        }
    }

    fn put_back(&self, client: Client) {
        let mut pool = self.lock_pool();
        if client.is_closed() {
            pool.open = pool.open.saturating_sub(1);
        } else {
            pool.idle.push(client);
        }
        drop(pool);
        self.freed.notify_one();
    }

    /// The `PG*` variables that point libpq tools (pg_dump, pg_restore) at the URL's
    /// database, so the password is not on their command line.
    pub fn libpq_env(url: &str) -> Result<Vec<(&'static str, String)>, StoreError> {
        let config: Config = url.parse().map_err(|e: postgres::Error| {
            StoreError::Backend(format!("the database URL is not valid ({})", describe(&e)))
        })?;
        let mut env = Vec::new();
        if let Some(host) = config.get_hosts().first() {
            env.push((
                "PGHOST",
                match host {
                    postgres::config::Host::Tcp(name) => name.clone(),
                    #[cfg(unix)]
                    postgres::config::Host::Unix(path) => path.display().to_string(),
                },
            ));
        }
        if let Some(port) = config.get_ports().first() {
            env.push(("PGPORT", port.to_string()));
        }
        if let Some(user) = config.get_user() {
            env.push(("PGUSER", user.to_string()));
        }
        if let Some(password) = config.get_password() {
            env.push(("PGPASSWORD", String::from_utf8_lossy(password).into_owned()));
        }
        if let Some(db) = config.get_dbname() {
            env.push(("PGDATABASE", db.to_string()));
        }
        Ok(env)
    }

    /// Whether the URL's database holds no erbij tables yet (a restore's target).
    pub fn probe_empty(url: &str) -> Result<bool, StoreError> {
        let config: Config = url.parse().map_err(|e: postgres::Error| {
            StoreError::Backend(format!("the database URL is not valid ({})", describe(&e)))
        })?;
        let mut client = config
            .connect(NoTls)
            .map_err(|e| connect_error(&config, &e))?;
        let row = client
            .query_one("SELECT to_regclass('schema_migrations') IS NULL", &[])
            .map_err(backend_error)?;
        Ok(row.get(0))
    }

    /// Drops this store's schema with everything in it (test clean-up).
    pub fn drop_schema(&self) -> Result<(), StoreError> {
        let Some(schema) = &self.schema else {
            return Ok(());
        };
        let mut client = self.take_client()?;
        client
            .batch_execute(&format!(
                "DROP SCHEMA IF EXISTS {} CASCADE",
                quote_ident(schema)?
            ))
            .map_err(backend_error)
    }
}

fn migrate(client: &mut Client) -> Result<(), StoreError> {
    client
        .batch_execute("CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY)")
        .map_err(backend_error)?;
    for (version, sql) in MIGRATIONS {
        let mut tx = client.transaction().map_err(backend_error)?;
        // Serialises migrations when several processes start at once.
        tx.batch_execute("LOCK TABLE schema_migrations IN EXCLUSIVE MODE")
            .map_err(backend_error)?;
        let done: i64 = tx
            .query_one(
                "SELECT COUNT(*) FROM schema_migrations WHERE version = $1",
                &[version],
            )
            .map_err(backend_error)?
            .get(0);
        if done == 0 {
            tx.batch_execute(sql).map_err(backend_error)?;
            tx.execute(
                "INSERT INTO schema_migrations (version) VALUES ($1)",
                &[version],
            )
            .map_err(backend_error)?;
        }
        tx.commit().map_err(backend_error)?;
    }
    Ok(())
}

struct PgExec<'a, C: GenericClient>(&'a mut C);

fn params(values: &[Value]) -> Vec<&(dyn ToSql + Sync)> {
    values
        .iter()
        .map(|v| match v {
            Value::Int(i) => i as &(dyn ToSql + Sync),
            Value::Text(t) => t as &(dyn ToSql + Sync),
        })
        .collect()
}

impl<C: GenericClient> Exec for PgExec<'_, C> {
    fn query(&mut self, sql: &str, values: &[Value]) -> Result<Vec<Row>, StoreError> {
        let rows = self.0.query(sql, &params(values)).map_err(backend_error)?;
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            let mut values = Vec::with_capacity(row.len());
            for (i, column) in row.columns().iter().enumerate() {
                let ty = column.type_();
                values.push(if *ty == Type::INT8 {
                    Value::Int(row.try_get::<_, Option<i64>>(i).map_err(backend_error)?)
                } else if *ty == Type::INT4 {
                    Value::Int(
                        row.try_get::<_, Option<i32>>(i)
                            .map_err(backend_error)?
                            .map(i64::from),
                    )
                } else {
                    Value::Text(row.try_get::<_, Option<String>>(i).map_err(backend_error)?)
                });
            }
            out.push(values);
        }
        Ok(out)
    }

    fn execute(&mut self, sql: &str, values: &[Value]) -> Result<u64, StoreError> {
        self.0.execute(sql, &params(values)).map_err(backend_error)
    }
}

impl Backend for PostgresBackend {
    fn claim_clause(&self) -> &'static str {
        " FOR UPDATE SKIP LOCKED"
    }

    fn read<T>(
        &self,
        f: impl FnOnce(&mut dyn Exec) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let mut client = self.take_client()?;
        let out = f(&mut PgExec(&mut client));
        self.put_back(client);
        out
    }

    fn write<T>(
        &self,
        f: impl FnOnce(&mut dyn Exec) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let mut client = self.take_client()?;
        let result = (|| {
            let mut tx = client.transaction().map_err(backend_error)?;
            let out = f(&mut PgExec(&mut tx))?;
            tx.commit().map_err(backend_error)?;
            Ok(out)
        })();
        self.put_back(client);
        result
    }
}
