//! `erbij serve`: opens the store (SQLite in the data folder, or PostgreSQL), applies
//! migrations, optionally loads the demo school, and serves the web app until SIGINT or
//! SIGTERM. Settings come from flags, then `ERBIJ_*` variables, then a TOML file.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context, Result};
use erbij_core::{Clock, Platform, Store, SystemClock};
use serde::Deserialize;

/// Where the data lives; shared by `serve` and the admin commands.
#[derive(Debug, Clone, clap::Args)]
pub struct StoreArgs {
    /// Folder for the SQLite database and the encrypted evidence files [env: ERBIJ_DATA_DIR] [default: ./erbij-data]
    #[arg(long, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// Use PostgreSQL instead of SQLite, e.g. postgres://erbij@localhost/erbij [env: ERBIJ_DATABASE_URL]
    #[arg(long, value_name = "URL")]
    pub database_url: Option<String>,
    /// A TOML file with the same settings (listen, data_dir, database_url, https, trust_forwarded_proto) [env: ERBIJ_CONFIG]
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Address to listen on [env: ERBIJ_LISTEN] [default: 127.0.0.1:8080]
    #[arg(long, value_name = "ADDR")]
    listen: Option<String>,
    #[command(flatten)]
    store: StoreArgs,
    /// Load a fictional demo school and print its logins.
    #[arg(long)]
    demo: bool,
    /// The app is reached over HTTPS: Secure + __Host- cookies, HSTS [env: ERBIJ_HTTPS=1]
    #[arg(long)]
    https: bool,
    /// Trust X-Forwarded-Proto from the reverse proxy in front [env: ERBIJ_TRUST_FORWARDED_PROTO=1]
    #[arg(long)]
    trust_forwarded_proto: bool,
    /// The address people reach erbij at, e.g. https://erbij.school.example: links in mail
    /// and the school sign-in's return address [env: ERBIJ_PUBLIC_URL] [default: http://LISTEN]
    #[arg(long, value_name = "URL")]
    public_url: Option<String>,
    #[command(flatten)]
    oidc: crate::signin::OidcArgs,
    #[command(flatten)]
    mail: crate::mail::MailArgs,
}

/// The TOML file's keys.
#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    listen: Option<String>,
    data_dir: Option<PathBuf>,
    database_url: Option<String>,
    https: Option<bool>,
    trust_forwarded_proto: Option<bool>,
    public_url: Option<String>,
}

/// Where the store is. The URL may hold a password, so Debug never shows it.
pub enum Database {
    Sqlite(PathBuf),
    Postgres(String),
}

impl std::fmt::Debug for Database {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Database::Sqlite(dir) => write!(f, "SQLite in {}", dir.display()),
            Database::Postgres(_) => f.write_str("PostgreSQL (URL hidden)"),
        }
    }
}

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

fn env_flag(name: &str) -> bool {
    env(name).is_some_and(|v| v == "1" || v.eq_ignore_ascii_case("true"))
}

fn read_file_config(path: Option<PathBuf>) -> Result<FileConfig> {
    let Some(path) = path.or_else(|| env("ERBIJ_CONFIG").map(PathBuf::from)) else {
        return Ok(FileConfig::default());
    };
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("cannot read the configuration file {}", path.display()))?;
    toml::from_str(&text)
        .with_context(|| format!("{} is not a valid erbij configuration", path.display()))
}

impl StoreArgs {
    /// The data folder: the SQLite database and the evidence vault (with PostgreSQL, the
    /// vault alone).
    fn data_dir(&self, file: &FileConfig) -> PathBuf {
        self.data_dir
            .clone()
            .or_else(|| env("ERBIJ_DATA_DIR").map(PathBuf::from))
            .or_else(|| file.data_dir.clone())
            .unwrap_or_else(|| PathBuf::from("erbij-data"))
    }

    fn resolve(self, file: &FileConfig) -> Database {
        if let Some(url) = self
            .database_url
            .or_else(|| env("ERBIJ_DATABASE_URL"))
            .or_else(|| file.database_url.clone())
        {
            return Database::Postgres(url);
        }
        Database::Sqlite(
            self.data_dir
                .or_else(|| env("ERBIJ_DATA_DIR").map(PathBuf::from))
                .or_else(|| file.data_dir.clone())
                .unwrap_or_else(|| PathBuf::from("erbij-data")),
        )
    }

    /// Where the arguments (and the configuration file or variables) point.
    pub fn database(self) -> Result<Database> {
        let file = read_file_config(self.config.clone())?;
        Ok(self.resolve(&file))
    }

    /// Opens the store the arguments point at, applying migrations.
    pub fn open(self) -> Result<Arc<dyn Store>> {
        let file = read_file_config(self.config.clone())?;
        open_database(&self.resolve(&file))
    }
}

pub fn open_database(database: &Database) -> Result<Arc<dyn Store>> {
    Ok(match database {
        Database::Sqlite(dir) => Arc::new({
            // Children's names and password hashes: only this account may read them.
            let fixes = erbij_store::secure_data_dir(dir).with_context(|| {
                format!(
                    "cannot make the data folder {} private (chmod 700 it, or choose another with --data-dir)",
                    dir.display()
                )
            })?;
            for fix in fixes {
                eprintln!("erbij: {fix}");
            }
            erbij_store::open_sqlite_in(dir)
                .with_context(|| format!("cannot open the database in {}", dir.display()))?
        }),
        Database::Postgres(url) => Arc::new({
            let store = erbij_store::open_postgres(url, None)
                .context("cannot open the PostgreSQL database")?;
            // Connections per process; several servers on one PostgreSQL each open up
            // to this many (PostgreSQL's max_connections is 100 by default).
            if let Some(pool) = env("ERBIJ_DATABASE_POOL") {
                let size: usize = pool
                    .parse()
                    .with_context(|| format!("ERBIJ_DATABASE_POOL=`{pool}` is not a number"))?;
                store.backend().set_max_connections(size);
            }
            store
        }),
    })
}

pub fn run(args: Args) -> ExitCode {
    match serve(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("erbij serve: {err:#}");
            ExitCode::from(1)
        }
    }
}

fn init_logging() {
    let level = match env("ERBIJ_LOG").as_deref() {
        Some("debug") => tracing::Level::DEBUG,
        Some("warn") => tracing::Level::WARN,
        _ => tracing::Level::INFO,
    };
    use std::io::IsTerminal;
    // Logs go to stderr; stdout carries what the operator needs (address, demo logins).
    let _ = tracing_subscriber::fmt()
        .with_max_level(level)
        .with_target(false)
        .with_ansi(std::io::stderr().is_terminal())
        .with_writer(std::io::stderr)
        .try_init();
}

fn serve(args: Args) -> Result<()> {
    init_logging();
    let file = read_file_config(args.store.config.clone())?;
    let listen = args
        .listen
        .or_else(|| env("ERBIJ_LISTEN"))
        .or_else(|| file.listen.clone())
        .unwrap_or_else(|| "127.0.0.1:8080".into());
    let address: SocketAddr = listen
        .parse()
        .with_context(|| format!("`{listen}` is not an address like 127.0.0.1:8080"))?;
    let config = erbij_web::AppConfig {
        https: args.https || env_flag("ERBIJ_HTTPS") || file.https.unwrap_or(false),
        trust_forwarded_proto: args.trust_forwarded_proto
            || env_flag("ERBIJ_TRUST_FORWARDED_PROTO")
            || file.trust_forwarded_proto.unwrap_or(false),
        public_url: args
            .public_url
            .clone()
            .or_else(|| env("ERBIJ_PUBLIC_URL"))
            .or_else(|| file.public_url.clone()),
        login_per_minute: env("ERBIJ_LOGIN_PER_MINUTE")
            .map(|v| {
                v.parse()
                    .with_context(|| format!("ERBIJ_LOGIN_PER_MINUTE=`{v}` is not a number"))
            })
            .transpose()?,
        hash_threads: env("ERBIJ_HASH_THREADS")
            .map(|v| {
                v.parse()
                    .with_context(|| format!("ERBIJ_HASH_THREADS=`{v}` is not a number"))
            })
            .transpose()?,
        hash_queue: None,
        max_connections: env("ERBIJ_MAX_CONNECTIONS")
            .map(|v| {
                v.parse()
                    .with_context(|| format!("ERBIJ_MAX_CONNECTIONS=`{v}` is not a number"))
            })
            .transpose()?,
        header_read_timeout: None,
    };
    let data_dir = args.store.data_dir(&file);
    let database = args.store.resolve(&file);
    // Evidence files are encrypted under a key from ERBIJ_EVIDENCE_KEY or DATA/evidence.key.
    let vault = erbij_vault::FileVault::open(&data_dir).map_err(|err| {
        anyhow::anyhow!(
            "cannot open the evidence vault in {}: {err}",
            data_dir.display()
        )
    })?;
    // Opened before the async runtime starts: the PostgreSQL client runs its own.
    let store = open_database(&database)?;
    tracing::info!(database = ?database, "database ready");
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let platform = Platform::new(store, clock).with_vault(Arc::new(vault));
    // Blobs whose rows are gone (a case or pupil deleted) are deleted too.
    match platform.sweep_evidence_blobs() {
        Ok(0) => {}
        Ok(removed) => tracing::info!(removed, "evidence files without a case deleted"),
        Err(err) => tracing::warn!(error = %err, "could not sweep the evidence vault"),
    }
    args.oidc.apply(&platform)?;
    if args.demo {
        let accounts =
            erbij_core::demo::load_demo(&platform).context("cannot load the demo school")?;
        println!(
            "Demo school \"{}\" loaded. Log in with (passwords are new at every start):",
            erbij_core::demo::DEMO_SCHOOL
        );
        for account in &accounts {
            println!(
                "  {:<20} {:<38} {}",
                account.role.as_str(),
                account.email,
                account.password
            );
        }
    }
    // Asked before the async runtime starts: the store is blocking, and the PostgreSQL
    // client must not run inside a runtime's thread (it panics there).
    let empty_installation = platform.is_empty_installation().unwrap_or(false);
    // Store calls and password hashing run on blocking threads. As many as the SQLite readers
    // (8) measured best on 2 cores: tokio's default of 512 made 50 concurrent users thrash on
    // the connection locks (class page median 10 ms -> 4 ms, see BENCHMARKS.md).
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .max_blocking_threads(8)
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    // The PostgreSQL client closes its connections with a runtime of its own, which panics
    // inside another runtime: this clone keeps the store alive until the server's runtime
    // is gone, so the connections close here, on a plain thread.
    let keep_store_until_runtime_is_gone = platform.clone();
    // Background jobs (reminders, mail) run on a thread of their own: the store is blocking.
    let mailer: Arc<dyn erbij_core::mail::Mailer> = if args.demo {
        let outbox = crate::mail::FileMailer::new(data_dir.join("demo-outbox.mbox"));
        println!(
            "Demo mail is not sent: it is written to {}",
            outbox.path().display()
        );
        Arc::new(outbox)
    } else {
        match args.mail.smtp()? {
            Some(smtp) => {
                tracing::info!(server = %smtp.description, "mail goes out over SMTP");
                Arc::new(smtp)
            }
            None => {
                tracing::warn!(
                    "no mail server configured (--smtp-host): reminders and letters wait in the queue"
                );
                Arc::new(erbij_core::mail::NoMailer)
            }
        }
    };
    // One public address for both: links in mail and the school sign-in's return address.
    let public_url = config.public_url.clone();
    let jobs_interval = args.mail.jobs_interval()?;
    let runner_slot = std::sync::Arc::new(std::sync::Mutex::new(None));
    let runner_holder = runner_slot.clone();
    let runner_platform = platform.clone();
    let served = runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(address).await.with_context(|| format!("cannot listen on {address}"))?;
        let local = listener.local_addr().context("no local address")?;
        // Links in mail point at the address people use; by default the one bound here.
        let public_url = public_url.unwrap_or_else(|| format!("http://{local}"));
        let runner = erbij_core::jobs::Runner::start(
            runner_platform,
            mailer,
            public_url,
            jobs_interval,
            |err| tracing::warn!(error = %err, "background jobs: the database does not answer"),
        );
        if let Ok(mut slot) = runner_holder.lock() {
            *slot = Some(runner);
        }
        println!("erbij is running at http://{local}/ (stop with Ctrl+C)");
        if empty_installation {
            println!("No accounts yet: open http://{local}/setup to create the school and its administrator.");
        }
        let state = erbij_web::AppState::new(platform, config);
        erbij_web::serve(listener, state, shutdown_signal()).await.context("the server stopped with an error")?;
        tracing::info!("stopped");
        Ok(())
    });
    if let Some(runner) = runner_slot.lock().ok().and_then(|mut slot| slot.take()) {
        runner.stop();
    }
    drop(runtime);
    drop(keep_store_until_runtime_is_gone);
    served
}

/// Completes on Ctrl+C or SIGTERM; requests in flight are finished first.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_database_url_never_reaches_debug_output() {
        let shown = format!(
            "{:?}",
            Database::Postgres("postgres://erbij:geheim-wachtwoord@db.example/erbij".into())
        );
        assert_eq!(shown, "PostgreSQL (URL hidden)");
        assert_eq!(
            format!("{:?}", Database::Sqlite(PathBuf::from("erbij-data"))),
            "SQLite in erbij-data"
        );
    }
}
