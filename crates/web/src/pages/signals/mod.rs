//! Signals and early warning (issue 9): recording a sign, the pupil timeline, "Aandacht
//! nodig", the class grid, the coordinator's rule settings, and their JSON API (with the
//! administrator's teacher assignments).
//!
//! Handlers translate between HTTP and the use cases in `erbij_core::signals`; they never
//! decide access.

mod api;

use axum::extract::DefaultBodyLimit;
use axum::routing::{delete, get};

use crate::routes::Routes;

/// A sign's body may be larger than a form usually is, so that an oversized note (say
/// 100 KB) reaches the use case and is refused with a message that names the field,
/// instead of a bare 413.
const SIGNAL_BODY_LIMIT: usize = 512 * 1024;

/// This capability's routes (pages and `/api/v1`), registered with the others in
/// `routes.rs` so the authorization test sees them.
pub(crate) fn routes(routes: Routes) -> Routes {
    routes
        .add(
            "/api/v1/pupils/{id}/signals",
            &["GET", "POST"],
            get(api::list_signals)
                .post(api::record_signal)
                .layer(DefaultBodyLimit::max(SIGNAL_BODY_LIMIT)),
        )
        .add(
            "/api/v1/signals/{id}",
            &["GET", "PATCH", "DELETE"],
            get(api::get_signal)
                .patch(api::correct_signal)
                .delete(api::withdraw_signal)
                .layer(DefaultBodyLimit::max(SIGNAL_BODY_LIMIT)),
        )
        .add("/api/v1/early-warning", &["GET"], get(api::early_warning))
        .add(
            "/api/v1/early-warning/rules",
            &["GET", "PUT"],
            get(api::rules).put(api::save_rules),
        )
        .add("/api/v1/users", &["GET"], get(api::users))
        .add(
            "/api/v1/classes/{id}/teachers",
            &["GET", "POST"],
            get(api::class_teachers).post(api::assign_teacher),
        )
        .add(
            "/api/v1/classes/{id}/teachers/{user_id}",
            &["DELETE"],
            delete(api::unassign_teacher),
        )
}
