//! The start page (your classes) and the health check.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use erbij_core::ClassRecord;

use crate::auth::{Session, blocking, looks_like_secret};
use crate::error::AppError;
use crate::pages::{Page, render, role_label};
use crate::security::{read_cookie, see_other};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    page: Page,
    role_text: String,
    classes: Vec<ClassRecord>,
    reminders: Vec<crate::pages::lessons::HomeReminder>,
}

/// `/`: the dashboard when logged in, else the first-run page (empty installation) or login.
pub async fn home(
    State(state): State<AppState>,
    headers: axum::http::HeaderMap,
    session: Result<Session, Response>,
) -> Result<Response, AppError> {
    let Ok(session) = session else {
        let has_cookie =
            read_cookie(&headers, "erbij_session").is_some_and(|t| looks_like_secret(&t));
        let empty = blocking(&state, |p| p.is_empty_installation()).await??;
        return Ok(see_other(if empty && !has_cookie {
            "/setup"
        } else {
            "/login"
        }));
    };
    let actor = session.actor().clone();
    let (classes, reminders) = blocking(&state, move |p| {
        p.classes(&actor)
            .map(|classes| (classes, crate::pages::lessons::home_reminders(p, &actor)))
    })
    .await??;
    let tr = session.tr();
    render(&HomePage {
        role_text: role_label(&tr, session.actor().role),
        page: session.page("home"),
        classes,
        reminders,
    })
}

/// 200 when the database answers, 503 otherwise.
pub async fn healthz(State(state): State<AppState>) -> Response {
    match blocking(&state, |p| p.store().ping()).await {
        Ok(Ok(())) => (StatusCode::OK, "ok").into_response(),
        _ => {
            tracing::warn!("health check: database does not answer");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response()
        }
    }
}
