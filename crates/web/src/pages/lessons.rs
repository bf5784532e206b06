//! Prevention (issue 13): the dilemma bank, live sessions with anonymous voting and the board, class agreements and the poster, and their JSON API.
//!
//! Handlers translate between HTTP and the use cases in `erbij_core::lessons`; they never
//! decide access.

use crate::routes::Routes;

/// This capability's routes (pages and `/api/v1`), registered with the others in
/// `routes.rs` so the authorization test sees them.
pub(crate) fn routes(routes: Routes) -> Routes {
    routes
}
