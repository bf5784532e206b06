//! One log line per request for the operator: method, route template, status, duration.
//! Never the path as requested (it holds ids), the query string, names or bodies: the
//! route template (`/pupils/{id}`) says which page without saying whose.

use std::time::Instant;

use axum::extract::{MatchedPath, Request};
use axum::middleware::Next;
use axum::response::Response;

pub async fn log_request(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map(|m| m.as_str().to_string())
        .unwrap_or_else(|| "(no route)".to_string());
    let response = next.run(request).await;
    let micros = started.elapsed().as_micros();
    tracing::info!(
        target: "erbij::request",
        method = %method,
        route = %route,
        status = response.status().as_u16(),
        ms = format_args!("{}.{:03}", micros / 1000, micros % 1000),
        "request"
    );
    response
}

/// One line per authentication attempt (ASVS V16.3.1): how (`password`, `second-step`,
/// `school-sign-in`, `api-token`) and the outcome (`success`, `second-step-due`, `failure`,
/// `refused-delay`, `refused-limit`, `refused-busy`, `expired`). Never who or from where: no
/// address, account, name or token (docs/PRIVACY.md, "Logs"). API tokens are logged when
/// refused; an accepted token shows as the request line of its route.
pub fn auth_event(method: &'static str, outcome: &'static str) {
    tracing::info!(target: "erbij::auth", method, outcome, "authentication");
}
