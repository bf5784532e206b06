//! The case file (issue 11): cases, steps, agreements and checks, parents' letters, print view, and their JSON API.
//!
//! Handlers translate between HTTP and the use cases in `erbij_core::cases`; they never
//! decide access.

use crate::routes::Routes;

/// This capability's routes (pages and `/api/v1`), registered with the others in
/// `routes.rs` so the authorization test sees them.
pub(crate) fn routes(routes: Routes) -> Routes {
    routes
}
