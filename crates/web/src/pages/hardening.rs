//! Hardening pages: the access log of one pupil (who viewed which of the pupil's pages,
//! when; never what was on them), for the coordinator.
//!
//! Handlers translate between HTTP and the use cases in `erbij_core::hardening`; they
//! never decide access.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::get;
use erbij_core::PupilId;

use crate::auth::{Session, blocking};
use crate::error::AppError;
use crate::pages::{Page, PupilView, render, role_label};
use crate::routes::Routes;
use crate::state::AppState;

pub(crate) fn routes(routes: Routes) -> Routes {
    routes.add("/pupils/{id}/access-log", &["GET"], get(access_log))
}

/// One line of the access log as shown.
#[derive(Debug)]
pub struct AccessRow {
    pub at: String,
    pub who: String,
    pub role: String,
    pub page: String,
}

#[derive(Template)]
#[template(path = "hardening_access_log.html")]
struct AccessLogPage {
    page: Page,
    pupil: PupilView,
    rows: Vec<AccessRow>,
}

pub async fn access_log(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let actor = session.actor().clone();
    let (pupil, entries) =
        blocking(&state, move |p| p.pupil_access_log(&actor, PupilId(id))).await??;
    let tr = session.tr();
    let rows = entries
        .iter()
        .map(|e| AccessRow {
            at: erbij_core::hardening::amsterdam_time(e.at),
            who: if e.user_name.is_empty() {
                tr.t("hardening-access-deleted-account")
            } else {
                e.user_name.clone()
            },
            role: e.role.map(|r| role_label(&tr, r)).unwrap_or_default(),
            page: page_label(&tr, &e.page, e.object_id),
        })
        .collect();
    render(&AccessLogPage {
        page: session.page("classes"),
        pupil: PupilView::from(&pupil),
        rows,
    })
}

fn page_label(tr: &crate::i18n::Tr, page: &str, object: Option<i64>) -> String {
    let key = match page {
        "profile" => "hardening-page-profile",
        "timeline" => "hardening-page-timeline",
        "case" => "hardening-page-case",
        "evidence" => "hardening-page-evidence",
        "data_export" => "hardening-page-data-export",
        _ => "hardening-page-other",
    };
    let label = tr.t(key);
    match object {
        Some(id) => format!("{label} #{id}"),
        None => label,
    }
}
