//! Signals and early warning (issue 9): recording a sign, the pupil timeline, "Aandacht nodig", the class grid, and their JSON API.
//!
//! Handlers translate between HTTP and the use cases in `erbij_core::signals`; they never
//! decide access.

use crate::routes::Routes;

/// This capability's routes (pages and `/api/v1`), registered with the others in
/// `routes.rs` so the authorization test sees them.
pub(crate) fn routes(routes: Routes) -> Routes {
    routes
}
