//! JSON API under `/api/v1`, authenticated with personal bearer tokens, with the same
//! access rules as the pages (they are the same use cases). Described in `openapi.json`.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use erbij_core::{AccessError, ClassId, ClassRecord, NewPupil, PupilId, PupilRecord};
use serde::{Deserialize, Serialize};

use crate::auth::{ApiActor, blocking};
use crate::error::AppError;
use crate::state::AppState;

const OPENAPI: &str = include_str!("../assets/openapi.json");
/// Each capability describes its own paths and schemas; they are merged into the platform's
/// document once.
const OPENAPI_PARTS: &[&str] = &[
    include_str!("../assets/openapi/signals.json"),
    include_str!("../assets/openapi/surveys.json"),
    include_str!("../assets/openapi/monitor.json"),
    include_str!("../assets/openapi/cases.json"),
    include_str!("../assets/openapi/evidence.json"),
    include_str!("../assets/openapi/lessons.json"),
    include_str!("../assets/openapi/hardening.json"),
];

/// The whole OpenAPI document: the platform's paths and schemas plus every capability's.
fn openapi_document() -> &'static str {
    static DOC: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DOC.get_or_init(|| {
        let Ok(mut doc) = serde_json::from_str::<serde_json::Value>(OPENAPI) else {
            return OPENAPI.to_string();
        };
        for part in OPENAPI_PARTS {
            let Ok(part) = serde_json::from_str::<serde_json::Value>(part) else {
                continue;
            };
            for section in ["paths", "components"] {
                let Some(items) = part.get(section).and_then(|v| v.as_object()) else {
                    continue;
                };
                for (key, value) in items {
                    if section == "components" {
                        // components.schemas, components.parameters, ...: merge one level down.
                        if let (Some(target), Some(entries)) = (
                            doc[section][key.as_str()].as_object_mut(),
                            value.as_object(),
                        ) {
                            for (name, entry) in entries {
                                target.insert(name.clone(), entry.clone());
                            }
                            continue;
                        }
                    }
                    doc[section][key.as_str()] = value.clone();
                }
            }
        }
        doc.to_string()
    })
}

pub async fn openapi() -> Response {
    (
        [(header::CONTENT_TYPE, "application/json")],
        openapi_document(),
    )
        .into_response()
}

#[derive(Debug, Serialize)]
pub struct ClassJson {
    id: i64,
    name: String,
}

impl From<ClassRecord> for ClassJson {
    fn from(c: ClassRecord) -> Self {
        ClassJson {
            id: c.id.0,
            name: c.name,
        }
    }
}

#[derive(Debug, Serialize)]
pub struct PupilJson {
    id: i64,
    class_id: i64,
    given_name: String,
    infix: String,
    family_name: String,
    external_id: Option<String>,
    left_on: Option<String>,
}

impl From<PupilRecord> for PupilJson {
    fn from(p: PupilRecord) -> Self {
        PupilJson {
            id: p.id.0,
            class_id: p.class_id.0,
            given_name: p.given_name,
            infix: p.infix,
            family_name: p.family_name,
            external_id: p.external_id,
            left_on: p.left_on.map(|d| d.to_string()),
        }
    }
}

pub async fn list_classes(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
) -> Result<Json<Vec<ClassJson>>, AppError> {
    let classes = blocking(&state, move |p| p.classes(&actor)).await??;
    Ok(Json(classes.into_iter().map(ClassJson::from).collect()))
}

#[derive(Debug, Deserialize)]
pub struct ClassBody {
    name: String,
}

pub async fn create_class(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Json(body): Json<ClassBody>,
) -> Result<Response, AppError> {
    let class = blocking(&state, move |p| p.create_class(&actor, &body.name)).await??;
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, format!("/api/v1/classes/{}", class.id))],
        Json(ClassJson::from(class)),
    )
        .into_response())
}

pub async fn get_class(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(id): Path<i64>,
) -> Result<Json<ClassJson>, AppError> {
    Ok(Json(
        blocking(&state, move |p| p.class(&actor, ClassId(id)))
            .await??
            .into(),
    ))
}

pub async fn update_class(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(id): Path<i64>,
    Json(body): Json<ClassBody>,
) -> Result<Json<ClassJson>, AppError> {
    Ok(Json(
        blocking(&state, move |p| {
            p.rename_class(&actor, ClassId(id), &body.name)
        })
        .await??
        .into(),
    ))
}

#[derive(Debug, Deserialize, Default)]
pub struct ArchiveClassBody {
    #[serde(default)]
    archived_on: Option<String>,
}

pub async fn archive_class(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(id): Path<i64>,
    body: Option<Json<ArchiveClassBody>>,
) -> Result<Json<ClassJson>, AppError> {
    let date = body.and_then(|Json(b)| b.archived_on);
    Ok(Json(
        blocking(&state, move |p| {
            p.archive_class(&actor, ClassId(id), date.as_deref())
        })
        .await??
        .into(),
    ))
}

pub async fn list_pupils(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(id): Path<i64>,
) -> Result<Json<Vec<PupilJson>>, AppError> {
    let pupils = blocking(&state, move |p| p.pupils_of_class(&actor, ClassId(id))).await??;
    Ok(Json(pupils.into_iter().map(PupilJson::from).collect()))
}

#[derive(Debug, Deserialize)]
pub struct PupilBody {
    given_name: String,
    #[serde(default)]
    infix: String,
    family_name: String,
    #[serde(default)]
    external_id: Option<String>,
    #[serde(default)]
    class_id: Option<i64>,
}

impl PupilBody {
    fn parse(&self) -> Result<NewPupil, AccessError> {
        Ok(NewPupil::parse(
            &self.given_name,
            &self.infix,
            &self.family_name,
            self.external_id.as_deref().unwrap_or(""),
        )?)
    }
}

pub async fn create_pupil(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(id): Path<i64>,
    Json(body): Json<PupilBody>,
) -> Result<Response, AppError> {
    let pupil = blocking(&state, move |p| -> Result<_, AccessError> {
        p.class(&actor, ClassId(id))?;
        p.create_pupil(&actor, ClassId(id), body.parse()?)
    })
    .await??;
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, format!("/api/v1/pupils/{}", pupil.id))],
        Json(PupilJson::from(pupil)),
    )
        .into_response())
}

pub async fn get_pupil(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(id): Path<i64>,
) -> Result<Json<PupilJson>, AppError> {
    Ok(Json(
        blocking(&state, move |p| p.pupil(&actor, PupilId(id)))
            .await??
            .into(),
    ))
}

pub async fn update_pupil(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(id): Path<i64>,
    Json(body): Json<PupilBody>,
) -> Result<Json<PupilJson>, AppError> {
    let pupil = blocking(&state, move |p| -> Result<_, AccessError> {
        p.pupil(&actor, PupilId(id))?;
        p.update_pupil(
            &actor,
            PupilId(id),
            body.parse()?,
            body.class_id.map(ClassId),
        )
    })
    .await??;
    Ok(Json(pupil.into()))
}

#[derive(Debug, Deserialize, Default)]
pub struct ArchiveBody {
    #[serde(default)]
    left_on: Option<String>,
}

pub async fn archive_pupil(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(id): Path<i64>,
    body: Option<Json<ArchiveBody>>,
) -> Result<Json<PupilJson>, AppError> {
    let left_on = body.and_then(|Json(b)| b.left_on);
    Ok(Json(
        blocking(&state, move |p| {
            p.archive_pupil(&actor, PupilId(id), left_on.as_deref())
        })
        .await??
        .into(),
    ))
}
