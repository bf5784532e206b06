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
    /// The address people reach erbij at (`https://erbij.school.example`), for the school
    /// sign-in's return address; without it the request's Host is used.
    pub public_url: Option<String>,
}

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
}

impl AppState {
    pub fn new(platform: Platform, config: AppConfig) -> AppState {
        AppState {
            platform,
            config,
            pending_imports: Arc::default(),
            limiter: Arc::default(),
        }
    }
}
