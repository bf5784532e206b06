//! Prevention (issue 13): the dilemma bank, live sessions with anonymous voting and the board, class agreements and the poster, and their JSON API.
//!
//! Handlers translate between HTTP and the use cases in `erbij_core::lessons`; they never
//! decide access. `teacher.rs` holds the bank, the board and its live stream, `agreements.rs`
//! the class agreements and the poster, `pupil.rs` the pages pupils reach with a code, and
//! `api.rs` the JSON API.

mod agreements;
mod api;
pub mod live;
mod pupil;
mod teacher;

use std::time::Duration;

use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use erbij_core::{BankLanguage, LessonError};

use crate::error::{AppError, ErrorMarker};
use crate::i18n::Lang;
use crate::ratelimit::Verdict;
use crate::routes::Routes;
use crate::security::{read_cookie, set_cookie};
use crate::state::AppState;

pub use teacher::{ClassPanel, HomeReminder, class_panel, home_reminders};

/// This capability's routes (pages and `/api/v1`), registered with the others in
/// `routes.rs` so the authorization test sees them.
pub(crate) fn routes(routes: Routes) -> Routes {
    routes
        .add("/lessons", &["GET"], get(teacher::overview))
        .add("/lessons/dilemmas", &["POST"], post(teacher::add_dilemma))
        .add(
            "/lessons/dilemmas/{id}/visibility",
            &["POST"],
            post(teacher::set_visibility),
        )
        .add("/lessons/sessions", &["POST"], post(teacher::start_session))
        .add("/lessons/sessions/{id}", &["GET"], get(teacher::board))
        .add(
            "/lessons/sessions/{id}/events",
            &["GET"],
            get(teacher::events),
        )
        .add(
            "/lessons/sessions/{id}/step",
            &["POST"],
            post(teacher::step),
        )
        .add("/lessons/sessions/{id}/end", &["POST"], post(teacher::end))
        .add("/lessons/agreements", &["POST"], post(agreements::open))
        .add("/lessons/agreements/{id}", &["GET"], get(agreements::show))
        .add(
            "/lessons/agreements/{id}/proposals",
            &["POST"],
            post(agreements::add_proposal),
        )
        .add(
            "/lessons/agreements/{id}/remove",
            &["POST"],
            post(agreements::remove_proposal),
        )
        .add(
            "/lessons/agreements/{id}/voting",
            &["POST"],
            post(agreements::open_voting),
        )
        .add(
            "/lessons/agreements/{id}/settle",
            &["POST"],
            post(agreements::settle),
        )
        .add(
            "/lessons/agreements/{id}/review",
            &["POST"],
            post(agreements::review),
        )
        .add(
            "/lessons/agreements/{id}/poster",
            &["GET"],
            get(agreements::poster),
        )
        .add("/l", &["GET"], get(pupil::enter_code))
        .add("/l/{join_code}", &["GET"], get(pupil::page))
        .add("/l/{join_code}/vote", &["POST"], post(pupil::vote))
        .add("/l/{join_code}/propose", &["POST"], post(pupil::propose))
        .add("/l/{join_code}/ballot", &["POST"], post(pupil::ballot))
        .add(
            "/api/v1/dilemmas",
            &["GET", "POST"],
            get(api::list_dilemmas).post(api::create_dilemma),
        )
        .add(
            "/api/v1/dilemma-sessions",
            &["POST"],
            post(api::create_session),
        )
        .add(
            "/api/v1/dilemma-sessions/{id}",
            &["GET"],
            get(api::get_session),
        )
        .add(
            "/api/v1/dilemma-sessions/{id}/advance",
            &["POST"],
            post(api::advance),
        )
        .add(
            "/api/v1/dilemma-sessions/{id}/results",
            &["GET"],
            get(api::results),
        )
        .add("/api/v1/votes", &["POST"], post(api::vote))
        .add("/api/v1/agreement-rounds", &["POST"], post(api::open_round))
        .add(
            "/api/v1/agreement-rounds/{id}",
            &["GET"],
            get(api::get_round),
        )
        .add(
            "/api/v1/agreement-rounds/{id}/settle",
            &["POST"],
            post(api::settle_round),
        )
        .add(
            "/api/v1/classes/{id}/agreements",
            &["GET"],
            get(api::class_agreements),
        )
        .add("/api/v1/agreement-proposals", &["POST"], post(api::propose))
        .add("/api/v1/agreement-votes", &["POST"], post(api::ballot))
}

/// Ends dilemma sessions past their end time every few minutes, so their device traces
/// go even when nobody opens the board again. Idempotent, so several servers on one
/// database may all run it.
pub(crate) fn spawn_session_sweeper(platform: erbij_core::Platform) {
    tokio::spawn(async move {
        let mut every = tokio::time::interval(Duration::from_secs(300));
        loop {
            every.tick().await;
            let platform = platform.clone();
            if let Ok(Err(err)) =
                tokio::task::spawn_blocking(move || platform.end_expired_dilemma_sessions()).await
            {
                tracing::warn!(error = %err, "ending expired dilemma sessions failed");
            }
        }
    });
}

/// The device cookie: a random 256-bit value per phone, only ever stored hashed with the
/// session or round id (see `erbij_core::lessons::device_hash`).
pub(crate) const DEVICE_COOKIE: &str = "erbij_device";
/// Long enough for a lesson day; the cookie carries nothing but randomness.
const DEVICE_COOKIE_SECONDS: i64 = 12 * 3600;

/// Wrong codes allowed per address before code pages refuse for a while. A whole class
/// behind one school address typing a code wrong now and then stays far below it.
const CODE_MISSES: u32 = 30;
const CODE_MISS_WINDOW: Duration = Duration::from_secs(600);
const CODE_MISS_SCOPE: &str = "lesson-code-miss";

/// Messages with two arguments ("dilemma 2 of 5"), for the templates.
pub(crate) trait Tr2 {
    fn t2(&self, key: &str, a: &str, a_value: &str, b: &str, b_value: &str) -> String;
}

impl Tr2 for crate::i18n::Tr {
    fn t2(&self, key: &str, a: &str, a_value: &str, b: &str, b_value: &str) -> String {
        self.format(key, &[(a, a_value), (b, b_value)])
    }
}

pub(crate) fn bank_language(lang: Lang) -> BankLanguage {
    match lang {
        Lang::Nl => BankLanguage::Dutch,
        Lang::En => BankLanguage::English,
    }
}

/// The device's cookie, or a fresh one with the `Set-Cookie` value to send.
pub(crate) fn device_cookie(
    headers: &HeaderMap,
    https: bool,
) -> Result<(String, Option<String>), AppError> {
    if let Some(value) =
        read_cookie(headers, DEVICE_COOKIE, https).filter(|v| crate::auth::looks_like_secret(v))
    {
        return Ok((value, None));
    }
    let value = erbij_core::new_secret_token().map_err(|e| AppError::Internal(e.to_string()))?;
    let cookie = set_cookie(DEVICE_COOKIE, &value, https, Some(DEVICE_COOKIE_SECONDS));
    Ok((value, Some(cookie)))
}

/// Adds the `Set-Cookie` of a new device cookie to a response.
pub(crate) fn with_cookie(mut response: Response, cookie: Option<String>) -> Response {
    if let Some(cookie) = cookie.and_then(|c| header::HeaderValue::from_str(&c).ok()) {
        response.headers_mut().append(header::SET_COOKIE, cookie);
    }
    response
}

/// Refuses an address that typed too many wrong codes, before any lookup.
#[allow(clippy::result_large_err)] // handlers return the response as is
pub(crate) fn code_gate(state: &AppState, ip: std::net::IpAddr) -> Result<(), Response> {
    match state.limiter.is_limited(
        CODE_MISS_SCOPE,
        &ip.to_string(),
        CODE_MISSES,
        CODE_MISS_WINDOW,
    ) {
        Verdict::Allowed => Ok(()),
        Verdict::Limited { retry_after_secs } => Err(too_many(retry_after_secs)),
    }
}

/// Counts a wrong code against the address.
pub(crate) fn count_miss(state: &AppState, ip: std::net::IpAddr) {
    let _ = state.limiter.check(
        CODE_MISS_SCOPE,
        &ip.to_string(),
        CODE_MISSES,
        CODE_MISS_WINDOW,
    );
}

fn too_many(retry_after_secs: u64) -> Response {
    let mut response = (
        StatusCode::TOO_MANY_REQUESTS,
        [(header::RETRY_AFTER, retry_after_secs.to_string())],
    )
        .into_response();
    response.extensions_mut().insert(ErrorMarker {
        message_key: "error-lesson-too-many-codes",
    });
    response
}

/// A lesson error as a status with its own explanation.
pub(crate) fn lesson_error(err: LessonError) -> Response {
    let (status, key) = match err {
        LessonError::Access(access) => return AppError::from(access).into_response(),
        LessonError::Invalid(field) => (StatusCode::UNPROCESSABLE_ENTITY, field.key()),
        LessonError::ChoiceCount => (
            StatusCode::UNPROCESSABLE_ENTITY,
            "error-lesson-choice-count",
        ),
        LessonError::QuestionCount => (
            StatusCode::UNPROCESSABLE_ENTITY,
            "error-lesson-question-count",
        ),
        LessonError::DilemmaCount => (
            StatusCode::UNPROCESSABLE_ENTITY,
            "error-lesson-dilemma-count",
        ),
        LessonError::UnknownDilemma(_) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            "error-lesson-unknown-dilemma",
        ),
        LessonError::UnknownCode => (StatusCode::NOT_FOUND, "error-lesson-unknown-code"),
        LessonError::NotVoting => (StatusCode::CONFLICT, "error-lesson-not-voting"),
        LessonError::InvalidChoice => (StatusCode::UNPROCESSABLE_ENTITY, "error-lesson-choice"),
        LessonError::AlreadyVoted => (StatusCode::CONFLICT, "error-lesson-already-voted"),
        LessonError::Full => (StatusCode::CONFLICT, "error-lesson-full"),
        LessonError::Ended => (StatusCode::CONFLICT, "error-lesson-ended"),
        LessonError::WrongPhase => (StatusCode::CONFLICT, "error-lesson-wrong-phase"),
        LessonError::TooManyVotes(_) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            "error-lesson-too-many-votes",
        ),
        LessonError::ProposalLimit => (StatusCode::CONFLICT, "error-lesson-proposal-limit"),
        LessonError::EmptyList => (StatusCode::UNPROCESSABLE_ENTITY, "error-lesson-empty"),
        LessonError::InvalidDate(_) => (StatusCode::UNPROCESSABLE_ENTITY, "error-invalid-date"),
        LessonError::Store(store) => return AppError::from(store).into_response(),
    };
    let mut response = status.into_response();
    response
        .extensions_mut()
        .insert(ErrorMarker { message_key: key });
    response
}

/// The message key a lesson error shows on a page after a redirect.
pub(crate) fn error_key(err: &LessonError) -> Option<&'static str> {
    let response = lesson_error(err.clone());
    let key = response.extensions().get::<ErrorMarker>()?.message_key;
    let status = response.status();
    (status == StatusCode::UNPROCESSABLE_ENTITY || status == StatusCode::CONFLICT).then_some(key)
}

/// Decodes an `application/x-www-form-urlencoded` body, keeping repeated keys (checkbox
/// lists), which `axum::Form` cannot.
pub(crate) fn form_pairs(body: &str) -> Vec<(String, String)> {
    body.split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (percent_decode(k), percent_decode(v))
        })
        .collect()
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3])
                    .ok()
                    .and_then(|h| u8::from_str_radix(h, 16).ok());
                match hex {
                    Some(b) => {
                        out.push(b);
                        i += 2;
                    }
                    None => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

pub(crate) fn field<'a>(pairs: &'a [(String, String)], name: &str) -> &'a str {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map_or("", |(_, v)| v.as_str())
}

pub(crate) fn ids(pairs: &[(String, String)], name: &str) -> Vec<i64> {
    pairs
        .iter()
        .filter(|(k, _)| k == name)
        .filter_map(|(_, v)| v.trim().parse().ok())
        .collect()
}

/// The address pupils type, for the board: `host/l` (`/s` is the survey answer page).
pub(crate) fn join_base(headers: &HeaderMap, https: bool) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            h.chars()
                .all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c))
        })
        .unwrap_or("localhost");
    format!("{}://{host}", if https { "https" } else { "http" })
}

/// "K7P4QX" as "K7P 4QX": easier to read from the back of the class.
pub(crate) fn spaced_code(code: &str) -> String {
    if code.len() == 6 {
        format!("{} {}", &code[..3], &code[3..])
    } else {
        code.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_bodies_keep_repeated_keys_and_decode() {
        let pairs = form_pairs("dilemma=1&dilemma=5&text=W%C3%A9+zijn&x=%ZZ&y=%4");
        assert_eq!(ids(&pairs, "dilemma"), [1, 5]);
        assert_eq!(field(&pairs, "text"), "Wé zijn");
        assert_eq!(field(&pairs, "x"), "%ZZ");
        assert_eq!(field(&pairs, "y"), "%4");
    }
}
