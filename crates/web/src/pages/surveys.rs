//! Class surveys and the yearly monitor (issue 10): rounds, pupil codes and slips, the answer page, results with the sociogram, and their JSON API.
//!
//! Handlers translate between HTTP and the use cases in `erbij_core::surveys`; they never
//! decide access.

use crate::routes::Routes;

/// This capability's routes (pages and `/api/v1`), registered with the others in
/// `routes.rs` so the authorization test sees them.
pub(crate) fn routes(routes: Routes) -> Routes {
    routes
}
