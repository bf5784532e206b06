//! PostgreSQL through the blocking `postgres` client, with a small pool of connections.
//! Callers in async code run store calls on blocking threads, where this client may run
//! its own small runtime.

use std::sync::Mutex;

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
];
const MAX_IDLE: usize = 8;

pub struct PostgresBackend {
    config: Config,
    schema: Option<String>,
    idle: Mutex<Vec<Client>>,
}

// The connection config holds the password: show neither it nor the URL.
impl std::fmt::Debug for PostgresBackend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PostgresBackend")
            .field("schema", &self.schema)
            .finish_non_exhaustive()
    }
}

fn backend_error(err: postgres::Error) -> StoreError {
    if err.code() == Some(&SqlState::UNIQUE_VIOLATION) {
        StoreError::Conflict("a row with these values already exists".into())
    } else {
        StoreError::Backend(err.to_string())
    }
}

fn quote_ident(name: &str) -> Result<String, StoreError> {
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return Err(StoreError::Backend(format!("invalid schema name `{name}`")));
    }
    Ok(format!("\"{name}\""))
}

impl PostgresBackend {
    pub fn connect(url: &str, schema: Option<&str>) -> Result<PostgresBackend, StoreError> {
        let config: Config = url.parse().map_err(|e: postgres::Error| {
            StoreError::Backend(format!("invalid database URL: {e}"))
        })?;
        let backend = PostgresBackend {
            config,
            schema: schema.map(str::to_string),
            idle: Mutex::new(Vec::new()),
        };
        let mut client = backend.new_client()?;
        if let Some(schema) = &backend.schema {
            client
                .batch_execute(&format!(
                    "CREATE SCHEMA IF NOT EXISTS {}",
                    quote_ident(schema)?
                ))
                .map_err(backend_error)?;
        }
        migrate(&mut client)?;
        backend.put_back(client);
        Ok(backend)
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
        let idle = self
            .idle
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .pop();
        match idle {
            Some(client) if !client.is_closed() => Ok(client),
            _ => self.new_client(),
        }
    }

    fn put_back(&self, client: Client) {
        if client.is_closed() {
            return;
        }
        let mut idle = self
            .idle
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if idle.len() < MAX_IDLE {
            idle.push(client);
        }
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
