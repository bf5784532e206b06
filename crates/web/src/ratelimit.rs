//! In-memory rate limits for the pages anyone can reach with a code (survey answers, dilemma
//! votes, pupils' reports): a fixed number of attempts per window per key (usually the
//! client's address and the scope), then refused until the window ends. Memory is bounded:
//! past `MAX_KEYS` keys the expired ones are dropped, and if that is not enough the oldest.
//!
//! Limits here hold per server process; a limit that must hold across several servers (the
//! login throttle) lives in the database instead.

use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;

/// Keys kept at most; an attacker cycling addresses cannot grow memory past this.
pub const MAX_KEYS: usize = 100_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Allowed,
    /// Refused; the window ends after this many seconds.
    Limited {
        retry_after_secs: u64,
    },
}

#[derive(Debug, Clone, Copy)]
struct Window {
    started: Instant,
    count: u32,
}

#[derive(Debug, Default)]
pub struct RateLimiter {
    windows: Mutex<HashMap<(&'static str, String), Window>>,
}

impl RateLimiter {
    /// Counts one attempt for `key` in `scope` and says whether it may go on: at most
    /// `limit` attempts per `window`.
    pub fn check(&self, scope: &'static str, key: &str, limit: u32, window: Duration) -> Verdict {
        self.check_at(scope, key, limit, window, Instant::now())
    }

    pub fn check_at(
        &self,
        scope: &'static str,
        key: &str,
        limit: u32,
        window: Duration,
        now: Instant,
    ) -> Verdict {
        let Ok(mut windows) = self.windows.lock() else {
            // A poisoned lock means a panic elsewhere; refuse rather than allow unlimited.
            return Verdict::Limited {
                retry_after_secs: window.as_secs().max(1),
            };
        };
        if windows.len() >= MAX_KEYS {
            windows.retain(|_, w| now.duration_since(w.started) < window);
            if windows.len() >= MAX_KEYS {
                if let Some(oldest) = windows
                    .iter()
                    .min_by_key(|(_, w)| w.started)
                    .map(|(k, _)| k.clone())
                {
                    windows.remove(&oldest);
                }
            }
        }
        let entry = windows.entry((scope, key.to_string())).or_insert(Window {
            started: now,
            count: 0,
        });
        if now.duration_since(entry.started) >= window {
            *entry = Window {
                started: now,
                count: 0,
            };
        }
        if entry.count >= limit {
            let left = window.saturating_sub(now.duration_since(entry.started));
            return Verdict::Limited {
                retry_after_secs: left.as_secs().max(1),
            };
        }
        entry.count += 1;
        Verdict::Allowed
    }
}

impl RateLimiter {
    /// Whether `key` is over its limit in `scope` right now, without counting an attempt
    /// (so a refused client learns nothing, not even from a right code).
    pub fn is_limited(&self, scope: &'static str, key: &str, limit: u32, window: Duration) -> bool {
        let now = Instant::now();
        let Ok(windows) = self.windows.lock() else {
            return true;
        };
        windows
            .get(&(scope, key.to_string()))
            .is_some_and(|w| now.duration_since(w.started) < window && w.count >= limit)
    }
}

/// The address the request came from (the TCP peer). Behind a reverse proxy this is the
/// proxy; it is used only as a rate-limit key, never stored.
#[derive(Debug, Clone, Copy)]
pub struct ClientIp(pub IpAddr);

impl<S: Send + Sync> FromRequestParts<S> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let ip = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|info| info.0.ip())
            .unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED));
        Ok(ClientIp(ip))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allows_the_limit_then_refuses_until_the_window_ends() {
        let limiter = RateLimiter::default();
        let start = Instant::now();
        let window = Duration::from_secs(60);
        for _ in 0..5 {
            assert_eq!(
                limiter.check_at("code", "1.2.3.4", 5, window, start),
                Verdict::Allowed
            );
        }
        assert!(matches!(
            limiter.check_at(
                "code",
                "1.2.3.4",
                5,
                window,
                start + Duration::from_secs(10)
            ),
            Verdict::Limited {
                retry_after_secs: 50
            }
        ));
        // Another key and another scope are counted apart.
        assert_eq!(
            limiter.check_at("code", "5.6.7.8", 5, window, start),
            Verdict::Allowed
        );
        assert_eq!(
            limiter.check_at("vote", "1.2.3.4", 5, window, start),
            Verdict::Allowed
        );
        assert_eq!(
            limiter.check_at("code", "1.2.3.4", 5, window, start + window),
            Verdict::Allowed
        );
    }

    #[test]
    fn memory_stays_bounded() {
        let limiter = RateLimiter::default();
        let now = Instant::now();
        for i in 0..(MAX_KEYS + 10) {
            limiter.check_at("code", &i.to_string(), 1, Duration::from_secs(60), now);
        }
        let kept = limiter.windows.lock().map(|w| w.len()).unwrap_or(0);
        assert!(kept <= MAX_KEYS, "{kept} keys kept");
    }
}
