//! One error type for handlers. It carries no page: the response middleware renders the
//! error page in the visitor's language (or JSON under `/api/`), so a status from any
//! source (a handler, an extractor's 413, an unknown route) looks the same.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use erbij_core::{AccessError, StoreError};

#[derive(Debug)]
pub enum AppError {
    NotFound,
    Forbidden,
    /// The form's CSRF token did not match: the page was old or the request forged.
    BadCsrf,
    /// Input the use case refused; the message key explains it.
    BadRequest(&'static str),
    Conflict,
    /// A survey that no longer takes answers (409).
    ClosedSurvey,
    /// Too many wrong codes from this address (429, with `Retry-After`).
    TooManyRequests {
        retry_after_secs: u64,
    },
    /// The request body is over the route's limit.
    TooLarge,
    Internal(String),
}

/// The error a response stands for; read by the response middleware.
#[derive(Debug, Clone, Copy)]
pub struct ErrorMarker {
    pub message_key: &'static str,
}

impl AppError {
    pub fn status(&self) -> StatusCode {
        match self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Forbidden | AppError::BadCsrf => StatusCode::FORBIDDEN,
            AppError::BadRequest(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Conflict | AppError::ClosedSurvey => StatusCode::CONFLICT,
            AppError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            AppError::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    pub fn message_key(&self) -> &'static str {
        match self {
            AppError::NotFound => "error-not-found",
            AppError::Forbidden => "error-forbidden",
            AppError::BadCsrf => "error-csrf",
            AppError::BadRequest(key) => key,
            AppError::Conflict => "error-conflict",
            AppError::ClosedSurvey => "surveys-error-closed",
            AppError::TooManyRequests { .. } => "surveys-error-too-many-guesses",
            AppError::TooLarge => "error-too-large",
            AppError::Internal(_) => "error-internal",
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        if let AppError::Internal(detail) = &self {
            // Logged once, here at the edge; store errors never hold names (queries are parameterised).
            tracing::error!(error = %detail, "request failed");
        }
        let mut response = self.status().into_response();
        if let AppError::TooManyRequests { retry_after_secs } = &self {
            if let Ok(value) = retry_after_secs.to_string().parse() {
                response
                    .headers_mut()
                    .insert(axum::http::header::RETRY_AFTER, value);
            }
        }
        response.extensions_mut().insert(ErrorMarker {
            message_key: self.message_key(),
        });
        response
    }
}

impl From<AccessError> for AppError {
    fn from(err: AccessError) -> Self {
        match err {
            AccessError::NotFound => AppError::NotFound,
            AccessError::Forbidden => AppError::Forbidden,
            AccessError::Invalid(field) => AppError::BadRequest(field.key()),
            AccessError::InvalidDate(_) => AppError::BadRequest("error-invalid-date"),
            AccessError::Password(e) if e.key().is_some() => {
                AppError::BadRequest(e.key().unwrap_or("error-bad-request"))
            }
            AccessError::EmailUnavailable => AppError::BadRequest("hardening-email-unavailable"),
            AccessError::WrongPassword => AppError::BadRequest("error-wrong-password"),
            AccessError::Conflict(_) => AppError::Conflict,
            AccessError::Password(other) => AppError::Internal(other.to_string()),
            AccessError::Store(store) => AppError::Internal(store.to_string()),
        }
    }
}

impl From<StoreError> for AppError {
    fn from(err: StoreError) -> Self {
        AppError::from(AccessError::from(err))
    }
}

impl From<tokio::task::JoinError> for AppError {
    fn from(err: tokio::task::JoinError) -> Self {
        AppError::Internal(err.to_string())
    }
}
