//! Who is asking: the session behind the cookie (web pages) or the bearer token (API).

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use erbij_core::{Actor, Platform, SessionInfo};

use crate::error::AppError;
use crate::i18n::{Lang, Tr};
use crate::pages::Page;
use crate::security::{is_https, lang_of, read_cookie, same_secret, see_other};
use crate::state::AppState;

/// Runs a use case on a blocking thread (the store and password hashing block).
pub async fn blocking<T: Send + 'static>(
    state: &AppState,
    f: impl FnOnce(&Platform) -> T + Send + 'static,
) -> Result<T, AppError> {
    let platform = state.platform.clone();
    Ok(tokio::task::spawn_blocking(move || f(&platform)).await?)
}

/// Our secrets are 64 hex characters; anything else is not worth a database query.
pub fn looks_like_secret(value: &str) -> bool {
    value.len() == 64 && value.bytes().all(|b| b.is_ascii_hexdigit())
}

/// A logged-in user on a web page. Without a valid session the page redirects to `/login`.
#[derive(Debug, Clone)]
pub struct Session {
    pub token: String,
    pub info: SessionInfo,
    pub lang: Lang,
    pub https: bool,
    pub path: String,
}

impl Session {
    pub fn actor(&self) -> &Actor {
        &self.info.actor
    }

    pub fn tr(&self) -> Tr {
        Tr::new(self.lang, self.info.school.kind)
    }

    /// The context every template's frame needs.
    pub fn page(&self, active: &'static str) -> Page {
        Page::for_session(self, active)
    }

    /// The synchronizer check: the form must carry this session's CSRF token.
    pub fn check_csrf(&self, submitted: &str) -> Result<(), AppError> {
        if same_secret(submitted, &self.info.csrf_token) {
            Ok(())
        } else {
            Err(AppError::BadCsrf)
        }
    }
}

impl FromRequestParts<AppState> for Session {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let to_login = || see_other("/login");
        let https = is_https(state, &parts.headers);
        let Some(token) =
            read_cookie(&parts.headers, "erbij_session", https).filter(|t| looks_like_secret(t))
        else {
            return Err(to_login());
        };
        let lookup = token.clone();
        let info = blocking(state, move |p| p.session(&lookup))
            .await
            .map_err(IntoResponse::into_response)?;
        match info {
            Ok(Some(info)) => Ok(Session {
                token,
                info,
                lang: lang_of(&parts.headers),
                https: is_https(state, &parts.headers),
                path: parts.uri.path().to_string(),
            }),
            Ok(None) => Err(to_login()),
            Err(err) => Err(AppError::from(err).into_response()),
        }
    }
}

/// A visitor who may not be logged in (login and first-run pages).
#[derive(Debug, Clone)]
pub struct Visitor {
    pub lang: Lang,
    pub https: bool,
    pub headers: HeaderMap,
    pub path: String,
}

impl FromRequestParts<AppState> for Visitor {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        Ok(Visitor {
            lang: lang_of(&parts.headers),
            https: is_https(state, &parts.headers),
            headers: parts.headers.clone(),
            path: parts.uri.path().to_string(),
        })
    }
}

/// The owner of a valid `Authorization: Bearer` token. Anything else answers 401.
#[derive(Debug, Clone)]
pub struct ApiActor(pub Actor);

impl FromRequestParts<AppState> for ApiActor {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let unauthorized = || {
            crate::request_log::auth_event("api-token", "failure");
            StatusCode::UNAUTHORIZED.into_response()
        };
        let token = parts
            .headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(|t| t.trim().to_string())
            .filter(|t| looks_like_secret(t))
            .ok_or_else(unauthorized)?;
        match blocking(state, move |p| p.authenticate_token(&token))
            .await
            .map_err(IntoResponse::into_response)?
        {
            Ok(Some(actor)) => Ok(ApiActor(actor)),
            Ok(None) => Err(unauthorized()),
            Err(err) => Err(AppError::from(err).into_response()),
        }
    }
}
