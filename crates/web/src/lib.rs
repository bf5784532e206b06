//! erbij's web app and JSON API: the axum router, compiled templates (askama, escaped by
//! default), login sessions, CSRF protection, translations (Fluent, Dutch first), security
//! headers and the embedded assets.
//!
//! Handlers only translate between HTTP and the use cases in `erbij-core`; every access
//! rule lives there. This crate never speaks SQL, never loads anything from another host,
//! and never logs names, e-mail addresses, passwords or tokens.

mod api;
mod assets;
mod auth;
mod error;
pub mod hashing;
mod i18n;
mod pages;
pub mod qr;
pub mod ratelimit;
mod routes;
mod security;
mod state;

pub use i18n::{Lang, Tr, ftl_source, message_ids};
pub use routes::{RouteSpec, route_list};
pub use state::{AppConfig, AppState};

use axum::Router;

/// The whole application, ready to serve.
pub fn app(state: AppState) -> Router {
    routes::build()
        .router
        .with_state(state.clone())
        .layer(axum::middleware::from_fn(
            security::refuse_declared_oversize,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state,
            security::finish_response,
        ))
}

/// Serves `app` on `listener` until `shutdown` completes (SIGINT/SIGTERM in the binary).
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(
        listener,
        app(state).into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}
