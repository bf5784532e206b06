//! Every route of the app, registered in one place so the authorization test can list
//! them: a route added here without a row in that test's table fails the test.

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{MethodRouter, get, post};

use crate::state::AppState;
use crate::{api, assets, pages};

/// One registered route: method and path pattern (`/classes/{id}`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RouteSpec {
    pub method: &'static str,
    pub path: &'static str,
}

pub(crate) struct Routes {
    pub router: Router<AppState>,
    pub list: Vec<RouteSpec>,
}

impl Routes {
    pub(crate) fn add(
        mut self,
        path: &'static str,
        methods: &[&'static str],
        handler: MethodRouter<AppState>,
    ) -> Self {
        self.list
            .extend(methods.iter().map(|method| RouteSpec { method, path }));
        self.router = self.router.route(path, handler);
        self
    }
}

/// Request bodies larger than this are refused with 413 (forms are small).
pub const FORM_BODY_LIMIT: usize = 64 * 1024;
/// Pupil lists may be larger: 100,000 rows fit.
pub const IMPORT_BODY_LIMIT: usize = 16 * 1024 * 1024;

pub(crate) fn build() -> Routes {
    let routes = Routes {
        router: Router::new(),
        list: Vec::new(),
    };
    let routes = routes
        .add("/", &["GET"], get(pages::home::home))
        .add("/healthz", &["GET"], get(pages::home::healthz))
        .add("/assets/{file}", &["GET"], get(assets::asset))
        .add(
            "/setup",
            &["GET", "POST"],
            get(pages::login::setup_form).post(pages::login::setup),
        )
        .add(
            "/login",
            &["GET", "POST"],
            get(pages::login::login_form).post(pages::login::login),
        )
        .add("/logout", &["POST"], post(pages::login::logout))
        .add("/language/{lang}", &["GET"], get(pages::login::language))
        .add(
            "/classes",
            &["GET", "POST"],
            get(pages::classes::list).post(pages::classes::create),
        )
        .add(
            "/classes/{id}",
            &["GET", "POST"],
            get(pages::classes::show).post(pages::classes::rename),
        )
        .add(
            "/classes/{id}/archive",
            &["POST"],
            post(pages::classes::archive),
        )
        .add(
            "/classes/{id}/restore",
            &["POST"],
            post(pages::classes::restore),
        )
        .add(
            "/classes/{id}/export.csv",
            &["GET"],
            get(pages::classes::export_csv),
        )
        .add(
            "/classes/{id}/pupils",
            &["POST"],
            post(pages::classes::add_pupil),
        )
        .add(
            "/classes/{id}/teachers",
            &["POST"],
            post(pages::classes::assign_teacher),
        )
        .add(
            "/classes/{id}/teachers/{user_id}/remove",
            &["POST"],
            post(pages::classes::unassign_teacher),
        )
        .add(
            "/pupils/{id}",
            &["GET", "POST"],
            get(pages::pupils::edit_form).post(pages::pupils::update),
        )
        .add(
            "/pupils/{id}/archive",
            &["POST"],
            post(pages::pupils::archive),
        )
        .add(
            "/pupils/{id}/restore",
            &["POST"],
            post(pages::pupils::restore),
        )
        .add(
            "/import",
            &["GET", "POST"],
            get(pages::import::upload_form)
                .post(pages::import::upload)
                .layer(DefaultBodyLimit::max(IMPORT_BODY_LIMIT)),
        )
        .add("/import/confirm", &["POST"], post(pages::import::confirm))
        .add("/account", &["GET"], get(pages::account::show))
        .add(
            "/account/password",
            &["POST"],
            post(pages::account::change_password),
        )
        .add(
            "/account/tokens",
            &["POST"],
            post(pages::account::create_token),
        )
        .add(
            "/account/tokens/{id}/revoke",
            &["POST"],
            post(pages::account::revoke_token),
        )
        .add(
            "/users",
            &["GET", "POST"],
            get(pages::users::list).post(pages::users::create),
        )
        .add("/api/v1/openapi.json", &["GET"], get(api::openapi))
        .add(
            "/api/v1/classes",
            &["GET", "POST"],
            get(api::list_classes).post(api::create_class),
        )
        .add(
            "/api/v1/classes/{id}",
            &["GET", "PATCH"],
            get(api::get_class).patch(api::update_class),
        )
        .add(
            "/api/v1/classes/{id}/archive",
            &["POST"],
            post(api::archive_class),
        )
        .add(
            "/api/v1/classes/{id}/pupils",
            &["GET", "POST"],
            get(api::list_pupils).post(api::create_pupil),
        )
        .add(
            "/api/v1/pupils/{id}",
            &["GET", "PATCH"],
            get(api::get_pupil).patch(api::update_pupil),
        )
        .add(
            "/api/v1/pupils/{id}/archive",
            &["POST"],
            post(api::archive_pupil),
        );
    // Each capability registers its own routes in its module.
    let routes = pages::signals::routes(routes);
    let routes = pages::surveys::routes(routes);
    let routes = pages::cases::routes(routes);
    let routes = pages::evidence::routes(routes);
    let routes = pages::lessons::routes(routes);
    let routes = pages::hardening::routes(routes);
    let routes = pages::twofactor::routes(routes);
    let routes = pages::oidc::routes(routes);
    let routes = pages::settings::routes(routes);
    routes.fallback()
}

impl Routes {
    fn fallback(mut self) -> Self {
        self.router = self
            .router
            .fallback(|| async { crate::error::AppError::NotFound })
            .layer(DefaultBodyLimit::max(FORM_BODY_LIMIT));
        self
    }
}

/// The routes the app serves, for the authorization test and the OpenAPI check.
pub fn route_list() -> Vec<RouteSpec> {
    build().list
}
