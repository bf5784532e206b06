//! What every handler shares.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use erbij_core::{Platform, SchoolId, Timestamp, UserId};

/// Settings that change how the app talks HTTP.
#[derive(Debug, Clone, Default)]
pub struct AppConfig {
    /// The app is reached over HTTPS: cookies get `Secure` and the `__Host-` prefix, and
    /// responses carry HSTS.
    pub https: bool,
    /// Believe `X-Forwarded-Proto: https` from a reverse proxy in front of the app. Only set
    /// this when nothing but that proxy can reach the app.
    pub trust_forwarded_proto: bool,
    /// Login attempts per minute from one client address, counted in this process
    /// (`None`: [`DEFAULT_LOGIN_PER_MINUTE`]; `Some(0)`: no limit, for benchmarks).
    pub login_per_minute: Option<u32>,
    /// Threads that check passwords (`None`: half the cores).
    pub hash_threads: Option<usize>,
    /// Password checks that may wait for a thread; more are answered with 429.
    pub hash_queue: Option<usize>,
}

/// Logins per minute from one address: a class logging in at once behind one school
/// router fits; a flood does not.
pub const DEFAULT_LOGIN_PER_MINUTE: u32 = 60;
/// Password checks waiting at most (each check takes ~50 ms on one core).
pub const DEFAULT_HASH_QUEUE: usize = 32;

/// An uploaded pupil list waiting for the administrator's confirmation. Held in memory
/// only: nothing reaches the database before "confirm".
#[derive(Debug, Clone)]
pub struct PendingImport {
    pub school_id: SchoolId,
    pub user_id: UserId,
    pub bytes: Arc<Vec<u8>>,
    pub default_class: String,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone)]
pub struct AppState {
    pub platform: Platform,
    pub config: AppConfig,
    pub(crate) pending_imports: Arc<Mutex<HashMap<String, PendingImport>>>,
    /// Per-process limits for pages reached with a code (see `ratelimit`).
    pub limiter: Arc<crate::ratelimit::RateLimiter>,
    /// The bounded pool that checks passwords (see `hashing`).
    pub hasher: Arc<crate::hashing::HashPool>,
}

impl AppState {
    pub fn new(platform: Platform, config: AppConfig) -> AppState {
        AppState {
            platform,
            pending_imports: Arc::default(),
            limiter: Arc::default(),
            hasher: Arc::new(crate::hashing::HashPool::new(
                config
                    .hash_threads
                    .unwrap_or_else(crate::hashing::HashPool::default_threads),
                config.hash_queue.unwrap_or(DEFAULT_HASH_QUEUE),
            )),
            config,
        }
    }
}
