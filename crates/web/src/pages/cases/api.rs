//! `/api/v1` for cases: the same use cases as the pages, as JSON.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use erbij_core::cases::{
    AgreementId, AgreementRecord, CaseError, CaseFile, CaseId, CheckOutcome, CheckRecord,
    CloseOutcome, Hold, NewCase, NewCheck, NewStep, Origin, PersonRole, StepKind, StepRecord,
};
use erbij_core::{Date, PupilId, UserId};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::auth::{ApiActor, blocking};
use crate::error::AppError;
use crate::security::RenderedPage;
use crate::state::AppState;

pub(crate) fn case_error(err: CaseError) -> AppError {
    match err {
        CaseError::Access(e) => AppError::from(e),
        CaseError::Invalid(key) => AppError::BadRequest(key),
        CaseError::HeldOpen(_) => AppError::Conflict,
    }
}

fn parse_date(raw: &str) -> Result<Date, AppError> {
    Date::parse(raw).map_err(|_| AppError::BadRequest("error-invalid-date"))
}

fn hold_json(hold: Hold) -> Value {
    match hold {
        Hold::NotChecked { due } => json!({"reason": "not_checked", "due": due.to_string()}),
        Hold::NotKept { outcome, due } => {
            json!({"reason": "not_kept", "outcome": outcome.as_str(), "due": due.to_string()})
        }
    }
}

fn step_json(s: &StepRecord) -> Value {
    json!({
        "id": s.id, "kind": s.kind.as_str(), "on": s.on.to_string(), "user_id": s.user_id.0,
        "pupil_ids": s.pupil_ids.iter().map(|p| p.0).collect::<Vec<_>>(), "note": s.note,
    })
}

fn check_json(c: &CheckRecord) -> Value {
    json!({
        "id": c.id, "agreement_id": c.agreement_id.0, "on": c.on.to_string(),
        "outcome": c.outcome.as_str(), "note": c.note,
        "next_check_on": c.next_check_on.map(|d| d.to_string()), "user_id": c.user_id.0,
    })
}

fn agreement_json(a: &AgreementRecord) -> Value {
    json!({
        "id": a.id.0, "case_id": a.case_id.0, "text": a.text,
        "pupil_ids": a.pupil_ids.iter().map(|p| p.0).collect::<Vec<_>>(),
        "check_on": a.check_on.to_string(),
    })
}

/// The whole case as JSON (`GET /api/v1/cases/{id}` and the answers that return a case).
pub(crate) fn case_json(file: &CaseFile) -> Value {
    let case = &file.case;
    json!({
        "id": case.id.0,
        "pupil_id": case.pupil_id.0,
        "pupil_name": file.pupil.full_name(),
        "class_name": file.class_name,
        "origin": case.origin.as_str(),
        "origin_ref": case.origin_ref,
        "summary": case.summary,
        "status": file.status.as_str(),
        "owner_id": case.owner_id.0,
        "owner_name": file.owner.as_ref().map(|u| u.name.clone()),
        "opened_on": case.opened_on.to_string(),
        "opened_at": case.opened_at,
        "members": file.members.iter().map(|u| json!({"id": u.id.0, "name": u.name})).collect::<Vec<_>>(),
        "people": file.people.iter().map(|p| json!({
            "id": p.person.id,
            "pupil_id": p.person.pupil_id.map(|id| id.0),
            "name": p.pupil.as_ref().map(|x| x.full_name()).or_else(|| p.person.outside_name.clone()),
            "role": p.person.role.as_str(),
        })).collect::<Vec<_>>(),
        "steps": file.steps.iter().map(step_json).collect::<Vec<_>>(),
        "agreements": file.agreements.iter().map(|a| {
            let mut value = agreement_json(&a.agreement);
            value["checks"] = a.checks.iter().map(check_json).collect::<Vec<_>>().into();
            value["holds_open"] = a.hold.is_some().into();
            value["next_check_on"] = a.hold.map(|h| h.due().to_string()).into();
            value["hold"] = a.hold.map(hold_json).unwrap_or(Value::Null);
            value
        }).collect::<Vec<_>>(),
        "closed": case.closing.as_ref().map(|c| json!({
            "outcome": c.outcome.as_str(), "note": c.note, "on": c.closed_on.to_string(),
            "closed_by": c.closed_by.0,
        })),
    })
}

fn created(location: String, body: Value) -> Response {
    (
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        Json(body),
    )
        .into_response()
}

#[derive(Debug, Deserialize)]
pub struct CaseBody {
    pupil_id: i64,
    #[serde(default)]
    origin: Option<String>,
    #[serde(default)]
    origin_ref: Option<i64>,
    #[serde(default)]
    summary: String,
    #[serde(default)]
    owner_id: Option<i64>,
}

pub async fn create_case(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Json(body): Json<CaseBody>,
) -> Result<Response, AppError> {
    let origin = match body.origin.as_deref() {
        None => Origin::Other,
        Some(raw) => Origin::parse(raw).ok_or(AppError::BadRequest("error-case-origin"))?,
    };
    let file = blocking(&state, move |p| -> Result<CaseFile, AppError> {
        let case = p
            .open_case(
                &actor,
                NewCase {
                    pupil_id: PupilId(body.pupil_id),
                    origin,
                    origin_ref: body.origin_ref,
                    summary: body.summary,
                    owner_id: body.owner_id.map(UserId),
                },
            )
            .map_err(case_error)?;
        Ok(p.case_file(&actor, case.id)?)
    })
    .await??;
    Ok(created(
        format!("/api/v1/cases/{}", file.case.id),
        case_json(&file),
    ))
}

pub async fn list_cases(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
) -> Result<Json<Value>, AppError> {
    let cases = blocking(&state, move |p| p.cases(&actor)).await??;
    Ok(Json(
        cases
            .iter()
            .map(|c| {
                json!({
                    "id": c.case.id.0, "pupil_id": c.case.pupil_id.0,
                    "status": c.status.as_str(), "origin": c.case.origin.as_str(),
                    "opened_on": c.case.opened_on.to_string(),
                    "next_check_on": c.next_check.map(|d| d.to_string()),
                })
            })
            .collect::<Vec<_>>()
            .into(),
    ))
}

pub async fn get_case(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(id): Path<i64>,
) -> Result<Json<Value>, AppError> {
    let file = blocking(&state, move |p| p.open_case_file(&actor, CaseId(id))).await??;
    Ok(Json(case_json(&file)))
}

#[derive(Debug, Deserialize)]
pub struct PersonBody {
    #[serde(default)]
    pupil_id: Option<i64>,
    #[serde(default)]
    name: String,
    role: String,
}

pub async fn add_person(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(id): Path<i64>,
    Json(body): Json<PersonBody>,
) -> Result<Response, AppError> {
    let role = PersonRole::parse(&body.role).ok_or(AppError::BadRequest("error-case-role"))?;
    let pupil = body.pupil_id.map(PupilId);
    let person_id = blocking(&state, move |p| {
        p.add_case_person(&actor, CaseId(id), pupil, &body.name, role)
    })
    .await?
    .map_err(case_error)?;
    Ok(created(
        format!("/api/v1/cases/{id}"),
        json!({"id": person_id, "case_id": id, "pupil_id": body.pupil_id, "role": role.as_str()}),
    ))
}

#[derive(Debug, Deserialize)]
pub struct StepBody {
    kind: String,
    on: String,
    #[serde(default)]
    pupil_ids: Vec<i64>,
    #[serde(default)]
    note: String,
}

pub async fn add_step(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(id): Path<i64>,
    Json(body): Json<StepBody>,
) -> Result<Response, AppError> {
    let kind = StepKind::parse(&body.kind).ok_or(AppError::BadRequest("error-case-step-kind"))?;
    let step = NewStep {
        kind,
        on: parse_date(&body.on)?,
        pupil_ids: body.pupil_ids.into_iter().map(PupilId).collect(),
        note: body.note,
    };
    let step = blocking(&state, move |p| p.log_step(&actor, CaseId(id), step))
        .await?
        .map_err(case_error)?;
    Ok(created(format!("/api/v1/cases/{id}"), step_json(&step)))
}

#[derive(Debug, Deserialize)]
pub struct AgreementBody {
    text: String,
    #[serde(default)]
    pupil_ids: Vec<i64>,
    check_on: String,
}

pub async fn add_agreement(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(id): Path<i64>,
    Json(body): Json<AgreementBody>,
) -> Result<Response, AppError> {
    let check_on = parse_date(&body.check_on)?;
    let pupils: Vec<PupilId> = body.pupil_ids.into_iter().map(PupilId).collect();
    let agreement = blocking(&state, move |p| {
        p.add_agreement(&actor, CaseId(id), &body.text, &pupils, check_on)
    })
    .await?
    .map_err(case_error)?;
    Ok(created(
        format!("/api/v1/cases/{id}"),
        agreement_json(&agreement),
    ))
}

#[derive(Debug, Deserialize)]
pub struct CheckBody {
    on: String,
    outcome: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    next_check_on: Option<String>,
}

pub async fn add_check(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(id): Path<i64>,
    Json(body): Json<CheckBody>,
) -> Result<Response, AppError> {
    let outcome =
        CheckOutcome::parse(&body.outcome).ok_or(AppError::BadRequest("error-case-outcome"))?;
    let next_check_on = match body.next_check_on.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(raw) => Some(parse_date(raw)?),
    };
    let check = NewCheck {
        on: parse_date(&body.on)?,
        outcome,
        note: body.note,
        next_check_on,
    };
    let (case, check) = blocking(&state, move |p| {
        p.check_agreement(&actor, AgreementId(id), check)
    })
    .await?
    .map_err(case_error)?;
    Ok(created(format!("/api/v1/cases/{case}"), check_json(&check)))
}

#[derive(Debug, Deserialize)]
pub struct CloseBody {
    outcome: String,
    #[serde(default)]
    note: String,
}

pub async fn close_case(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(id): Path<i64>,
    Json(body): Json<CloseBody>,
) -> Result<Response, AppError> {
    let outcome = CloseOutcome::parse(&body.outcome)
        .ok_or(AppError::BadRequest("error-case-close-outcome"))?;
    let result = blocking(
        &state,
        move |p| -> Result<Result<CaseFile, CaseError>, AppError> {
            match p.close_case(&actor, CaseId(id), outcome, &body.note) {
                Ok(_) => Ok(Ok(p.case_file(&actor, CaseId(id))?)),
                Err(err) => Ok(Err(err)),
            }
        },
    )
    .await??;
    match result {
        Ok(file) => Ok(Json(case_json(&file)).into_response()),
        Err(CaseError::HeldOpen(holds)) => {
            let agreements: Vec<Value> = holds
                .iter()
                .map(|(a, hold)| {
                    let mut value = agreement_json(a);
                    value["hold"] = hold_json(*hold);
                    value
                })
                .collect();
            let mut response = (
                StatusCode::CONFLICT,
                Json(json!({
                    "error": "agreements_hold_case_open",
                    "message": "Het dossier kan nog niet als opgelost worden gesloten: deze afspraken zijn nog niet gecontroleerd of niet nagekomen.",
                    "agreements": agreements,
                })),
            )
                .into_response();
            response.extensions_mut().insert(RenderedPage);
            Ok(response)
        }
        Err(other) => Err(case_error(other)),
    }
}
