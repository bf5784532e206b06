//! The evidence API under `/api/v1`, with the same rules as the pages (the same use cases).

use axum::Json;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use erbij_core::cases::CaseId;
use erbij_core::evidence::{BundleOptions, EvidenceAct, EvidenceId, EvidenceRecord};
use serde::Deserialize;
use serde_json::{Value, json};

use super::report_language;
use crate::auth::{ApiActor, blocking};
use crate::error::AppError;
use crate::i18n::Lang;
use crate::ratelimit::ClientIp;
use crate::state::AppState;

fn file_json(record: &EvidenceRecord) -> Value {
    json!({
        "id": record.id.0,
        "case_id": record.case_id.map(|c| c.0),
        "file_name": record.file_name,
        "kind": record.kind.as_str(),
        "size": record.size,
        "sha256": record.sha256,
        "description": record.description,
        "made_on": record.made_on.map(|d| d.to_string()),
        "handed_in_by": record.handed_in_by,
        "exporter": record.exporter,
        "uploaded_at": erbij_core::evidence::utc_text(record.uploaded_at),
        "corrects": record.corrects.map(|c| c.0),
    })
}

/// `GET /api/v1/cases/{id}/evidence`: the case's files.
pub async fn list(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let evidence = blocking(&state, move |p| p.case_evidence(&actor, CaseId(id))).await??;
    Ok(Json(evidence.files.iter().map(file_json).collect::<Vec<_>>()).into_response())
}

/// `POST /api/v1/cases/{id}/evidence` (multipart: `file`, `description`, `made_on`,
/// `handed_in_by`, `exporter`): 201 with `{"id", "sha256", "size", "findings"}`.
pub async fn upload(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(id): Path<i64>,
    multipart: Multipart,
) -> Result<Response, AppError> {
    let form = super::case::read_upload(multipart).await?;
    if !form.has_file {
        return Err(AppError::BadRequest("error-evidence-no-file"));
    }
    let language = report_language(Lang::Nl);
    let (record, findings) = blocking(&state, move |p| {
        let bytes = form.evidence.bytes.clone();
        let record = p.add_evidence(&actor, CaseId(id), form.evidence)?;
        let analysis = p.analyse_one(&actor, CaseId(id), &record, bytes, language)?;
        let findings = erbij_core::evidence::findings_json(&analysis.analysis, language);
        Ok::<_, erbij_core::evidence::EvidenceError>((record, findings))
    })
    .await??;
    let mut body = file_json(&record);
    if let Some(object) = body.as_object_mut() {
        object.insert("findings".into(), Value::Array(findings));
    }
    Ok((StatusCode::CREATED, Json(body)).into_response())
}

#[derive(Debug, Deserialize)]
pub struct LangQuery {
    #[serde(default)]
    lang: Option<String>,
}

/// `GET /api/v1/cases/{id}/findings`: the findings of every chat export and download of
/// the case, as `erbij analyze --format json` writes them (`?lang=en` for English).
pub async fn findings(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(id): Path<i64>,
    Query(query): Query<LangQuery>,
) -> Result<Response, AppError> {
    let lang = query
        .lang
        .as_deref()
        .and_then(Lang::parse)
        .unwrap_or(Lang::Nl);
    let language = report_language(lang);
    let (analysis, files) = blocking(&state, move |p| {
        let evidence = p.case_evidence(&actor, CaseId(id))?;
        let analysis = p.analyse_case(&actor, CaseId(id), language)?;
        Ok::<_, erbij_core::evidence::EvidenceError>((analysis, evidence.files))
    })
    .await??;
    let findings = erbij_core::evidence::findings_json(&analysis.analysis, language);
    Ok(Json(json!({
        "files": files.iter().map(file_json).collect::<Vec<_>>(),
        "chat_files": analysis.chat_files.iter().map(|f| f.map(|id| id.0)).collect::<Vec<_>>(),
        "download_files": analysis.download_files.iter().map(|f| f.map(|id| id.0)).collect::<Vec<_>>(),
        "findings": findings,
        "errors": analysis.analysis.errors.iter().map(|e| json!({"file": e.file, "message": e.message})).collect::<Vec<_>>(),
    }))
    .into_response())
}

#[derive(Debug, Deserialize)]
pub struct ReasonQuery {
    #[serde(default)]
    reason: Option<String>,
    #[serde(default)]
    pseudonymise: Option<bool>,
}

/// `GET /api/v1/evidence/{id}/content`: the original bytes, logged as a download.
pub async fn content(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(id): Path<i64>,
    Query(query): Query<ReasonQuery>,
) -> Result<Response, AppError> {
    let reason = query
        .reason
        .filter(|r| !r.trim().is_empty())
        .unwrap_or_else(|| "via de API".to_owned());
    let (record, bytes) = blocking(&state, move |p| {
        p.evidence_content(&actor, EvidenceId(id), EvidenceAct::Download, &reason)
    })
    .await??;
    Ok(super::file_response(&record, bytes, true))
}

/// `GET /api/v1/cases/{id}/bundle`: the BagIt bundle (`?reason=`, `?pseudonymise=true`).
pub async fn bundle(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(id): Path<i64>,
    Query(query): Query<ReasonQuery>,
) -> Result<Response, AppError> {
    let options = BundleOptions {
        reason: query
            .reason
            .filter(|r| !r.trim().is_empty())
            .unwrap_or_else(|| "export via de API".to_owned()),
        pseudonymise: query.pseudonymise.unwrap_or(false),
    };
    let language = report_language(Lang::Nl);
    let (name, zip) = blocking(&state, move |p| {
        p.export_bundle(&actor, CaseId(id), &options, language)
    })
    .await??;
    Ok(super::case::zip_response(&name, zip))
}

/// `POST /api/v1/reports/{school_code}` (multipart: `what`, `name`, `class`, `file`; no
/// token): 201 `{"status": "received"}` and nothing else, about this report or others.
pub async fn report(
    State(state): State<AppState>,
    ip: ClientIp,
    Path(code): Path<String>,
    multipart: Multipart,
) -> Result<Response, AppError> {
    if let Err(refused) = crate::pages::surveys::code_guard(&state, ip.0) {
        super::reports::drain(multipart).await;
        return Err(refused);
    }
    if let Some(refused) = super::reports::limited(&state, &ip) {
        super::reports::drain(multipart).await;
        return Ok(refused);
    }
    if let Err(unknown) = super::reports::school_of(&state, &ip, &code).await {
        super::reports::drain(multipart).await;
        return Err(unknown);
    }
    let report = super::reports::read_report(multipart).await?;
    blocking(&state, move |p| p.submit_report(&code, report)).await??;
    Ok((StatusCode::CREATED, Json(json!({"status": "received"}))).into_response())
}
