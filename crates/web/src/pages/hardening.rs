//! Hardening pages: the access log of one pupil (who viewed which of the pupil's pages,
//! when; never what was on them), and the pupil's data on request (AVG inzage) as a page
//! and as JSON, for the coordinator.
//!
//! Handlers translate between HTTP and the use cases in `erbij_core::hardening`; they
//! never decide access.

use askama::Template;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use erbij_core::PupilId;
use erbij_core::data_export::PupilExport;

use crate::auth::{ApiActor, Session, blocking};
use crate::error::AppError;
use crate::pages::{Page, PupilView, render, role_label};
use crate::routes::Routes;
use crate::state::AppState;

pub(crate) fn routes(routes: Routes) -> Routes {
    routes
        .add("/pupils/{id}/access-log", &["GET"], get(access_log))
        .add("/pupils/{id}/data-export", &["GET"], get(data_export_page))
        .add(
            "/pupils/{id}/data-export.json",
            &["GET"],
            get(data_export_download),
        )
        .add(
            "/api/v1/pupils/{id}/data-export",
            &["GET"],
            get(data_export_api),
        )
}

#[derive(Template)]
#[template(path = "hardening_data_export.html")]
struct DataExportPage {
    page: Page,
    pupil: PupilView,
    export: PupilExport,
    roles: Vec<String>,
}

impl DataExportPage {
    /// The label of a contract word (`case-step` + `class_conversation`); the word itself
    /// when there is no translation.
    fn label(&self, prefix: &str, word: &str) -> String {
        let key = match (prefix, word) {
            ("hardening-page", "data_export") => "hardening-page-data-export".to_string(),
            _ => format!("{prefix}-{}", word.replace('_', "-")),
        };
        let text = self.page.tr.t(&key);
        if text == key { word.to_string() } else { text }
    }
}

/// The readable page of a pupil's data (printable; the JSON is linked from it).
pub async fn data_export_page(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let actor = session.actor().clone();
    let (pupil, export) = blocking(&state, move |p| {
        let export = p.pupil_data_export(&actor, PupilId(id))?;
        p.pupil(&actor, PupilId(id)).map(|pupil| (pupil, export))
    })
    .await??;
    let tr = session.tr();
    let roles = export
        .access
        .iter()
        .map(|a| a.role.map(|r| role_label(&tr, r)).unwrap_or_default())
        .collect();
    render(&DataExportPage {
        page: session.page("classes"),
        pupil: PupilView::from(&pupil),
        export,
        roles,
    })
}

/// The same as a JSON file to download.
pub async fn data_export_download(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let actor = session.actor().clone();
    let export = blocking(&state, move |p| p.pupil_data_export(&actor, PupilId(id))).await??;
    Ok((
        [(
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"inzage-leerling-{id}.json\""),
        )],
        Json(export.to_json()),
    )
        .into_response())
}

/// `GET /api/v1/pupils/{id}/data-export`.
pub async fn data_export_api(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let export = blocking(&state, move |p| p.pupil_data_export(&actor, PupilId(id))).await??;
    Ok(Json(export.to_json()).into_response())
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
