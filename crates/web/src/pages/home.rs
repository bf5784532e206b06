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
    /// "Vandaag te checken": agreements in the user's own cases due today or earlier.
    checks_due: Vec<crate::pages::cases::DueCheckView>,
}

/// `/`: the dashboard when logged in, else the first-run page (empty installation) or login.
pub async fn home(
    State(state): State<AppState>,
    headers: axum::http::HeaderMap,
    session: Result<Session, Response>,
) -> Result<Response, AppError> {
    let Ok(session) = session else {
        let has_cookie = read_cookie(
            &headers,
            "erbij_session",
            crate::security::is_https(&state, &headers),
        )
        .is_some_and(|t| looks_like_secret(&t));
        let empty = blocking(&state, |p| p.is_empty_installation()).await??;
        return Ok(see_other(if empty && !has_cookie {
            "/setup"
        } else {
            "/login"
        }));
    };
    let actor = session.actor().clone();
    let (classes, due) = blocking(&state, move |p| -> Result<_, AppError> {
        Ok((p.classes(&actor)?, p.checks_due(&actor)?))
    })
    .await??;
    let today = p_today(&state);
    let checks_due = due
        .iter()
        .map(|d| crate::pages::cases::DueCheckView::new(d, today))
        .collect();
    let tr = session.tr();
    render(&HomePage {
        role_text: role_label(&tr, session.actor().role),
        page: session.page("home"),
        classes,
        checks_due,
    })
}

fn p_today(state: &AppState) -> erbij_core::Date {
    erbij_core::Date::in_amsterdam(state.platform.now())
}

/// 200 when the database answers, 503 otherwise.
pub async fn healthz(State(state): State<AppState>) -> Response {
    // A real table, within a time limit: a load balancer must hear "no" rather than wait.
    let check = blocking(&state, |p| p.health());
    let reason = match tokio::time::timeout(HEALTH_TIMEOUT, check).await {
        Ok(Ok(Ok(()))) => return (StatusCode::OK, "ok").into_response(),
        Ok(Ok(Err(err))) => err.to_string(),
        Ok(Err(_)) => "the health check failed".to_string(),
        Err(_) => format!(
            "the database did not answer within {} seconds",
            HEALTH_TIMEOUT.as_secs()
        ),
    };
    tracing::warn!(reason = %reason, "health check failed");
    let mut response = (
        StatusCode::SERVICE_UNAVAILABLE,
        format!("database unavailable: {reason}"),
    )
        .into_response();
    // The reason is the body: not replaced by the error page.
    response
        .extensions_mut()
        .insert(crate::security::RenderedPage);
    response
}

/// How long `/healthz` waits for the database.
const HEALTH_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(3);
