//! The surveys' JSON API under `/api/v1` (bearer tokens; `POST /api/v1/answers` takes no
//! token: the code is the credential).

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use erbij_core::ClassId;
use erbij_core::surveys::{
    AnswerInput, MonitorSummary, RoundKind, RoundRequest, SurveyId, SurveyResults, SurveyRound,
};
use serde::Deserialize;
use serde_json::{Value, json};

use super::{answer_error, code_guard, note_wrong_code, survey_error};
use crate::auth::{ApiActor, blocking};
use crate::error::AppError;
use crate::ratelimit::ClientIp;
use crate::state::AppState;

pub(super) fn round_json(round: &SurveyRound) -> Value {
    let (scale, questions, max_choices) = match &round.kind {
        RoundKind::Ratings { scale } => (Some(*scale), Vec::new(), None),
        RoundKind::Nominations {
            questions,
            max_choices,
        } => (
            None,
            questions.iter().map(|q| q.key()).collect(),
            *max_choices,
        ),
    };
    json!({
        "id": round.id.0,
        "class_id": round.class_id.0,
        "kind": round.kind.key(),
        "scale": scale,
        "questions": questions,
        "max_choices": max_choices,
        "opens_on": round.opens_on.to_string(),
        "closes_on": round.closes_on.map(|d| d.to_string()),
        "closed": round.closed_at.is_some(),
    })
}

#[derive(Debug, Deserialize, Default)]
pub struct CreateBody {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    scale: Option<i64>,
    #[serde(default)]
    questions: Vec<String>,
    #[serde(default)]
    max_choices: Option<i64>,
    #[serde(default)]
    opens_on: Option<String>,
    #[serde(default)]
    closes_on: Option<String>,
}

pub async fn create(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(id): Path<i64>,
    Json(body): Json<CreateBody>,
) -> Result<Response, AppError> {
    let request = RoundRequest {
        kind: body.kind,
        scale: body.scale,
        questions: body.questions,
        max_choices: body.max_choices,
        opens_on: body.opens_on,
        closes_on: body.closes_on,
    };
    let (round, codes) = blocking(&state, move |p| {
        p.start_survey(&actor, ClassId(id), &request)
    })
    .await?
    .map_err(survey_error)?;
    let mut doc = round_json(&round);
    doc["codes"] = codes
        .iter()
        .map(|c| json!({"pupil_id": c.pupil_id.0, "code": c.code}))
        .collect();
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, format!("/api/v1/surveys/{}", round.id))],
        Json(doc),
    )
        .into_response())
}

pub async fn list(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(id): Path<i64>,
) -> Result<Json<Value>, AppError> {
    let rounds = blocking(&state, move |p| p.surveys_of_class(&actor, ClassId(id))).await??;
    Ok(Json(Value::Array(rounds.iter().map(round_json).collect())))
}

pub async fn show(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(id): Path<i64>,
) -> Result<Json<Value>, AppError> {
    let round = blocking(&state, move |p| p.survey(&actor, SurveyId(id))).await??;
    Ok(Json(round_json(&round)))
}

pub async fn close(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(id): Path<i64>,
) -> Result<Json<Value>, AppError> {
    let round = blocking(&state, move |p| p.close_survey(&actor, SurveyId(id))).await??;
    Ok(Json(round_json(&round)))
}

#[derive(Debug, Deserialize, Default)]
pub struct ResultsQuery {
    criteria: Option<String>,
    alpha: Option<String>,
}

pub(super) fn results_json(results: &SurveyResults) -> Value {
    json!({
        "survey_id": results.round.id.0,
        "kind": results.round.kind.key(),
        "criteria": results.criteria.key(),
        "alpha": results.alpha,
        "respondents": results.respondents,
        "class_size": results.class_size,
        "pupils": results.pupils.iter().map(|p| json!({
            "pupil_id": p.pupil_id.0,
            "status": p.status.map(|s| s.key()),
            "chosen": p.chosen,
            "mutual": p.mutual,
            "left_out_by": p.left_out_by,
            "took_part": p.took_part,
            "not_chosen": p.not_chosen,
            "no_mutual_friend": p.no_mutual_friend,
        })).collect::<Vec<_>>(),
        "flags": results.flags.iter().map(|f| json!({
            "pupil_id": f.pupil_id.0,
            "reasons": f.reasons.iter().map(|r| r.key().trim_start_matches("surveys-flag-")).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    })
}

pub async fn results(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(id): Path<i64>,
    Query(query): Query<ResultsQuery>,
) -> Result<Json<Value>, AppError> {
    let results = blocking(&state, move |p| {
        p.survey_results(
            &actor,
            SurveyId(id),
            query.criteria.as_deref(),
            query.alpha.as_deref(),
        )
    })
    .await?
    .map_err(survey_error)?;
    Ok(Json(results_json(&results)))
}

pub async fn answers_csv(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let csv = blocking(&state, move |p| p.survey_answers_csv(&actor, SurveyId(id))).await??;
    Ok(super::csv_response(csv, &format!("peiling-{id}.csv")))
}

#[derive(Debug, Deserialize)]
pub struct AnswerBody {
    #[serde(default)]
    code: String,
    #[serde(default)]
    ratings: Option<BTreeMap<String, i64>>,
    #[serde(default)]
    nominations: Option<BTreeMap<String, Vec<i64>>>,
}

pub async fn answer(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    Json(body): Json<AnswerBody>,
) -> Result<Response, AppError> {
    code_guard(&state, ip)?;
    let input = match (body.ratings, body.nominations) {
        (Some(ratings), None) => {
            let mut parsed = BTreeMap::new();
            for (pupil, value) in ratings {
                let pupil = pupil
                    .trim()
                    .parse::<i64>()
                    .map_err(|_| AppError::BadRequest("surveys-error-not-in-class"))?;
                parsed.insert(pupil, value);
            }
            AnswerInput::Ratings(parsed)
        }
        (None, Some(nominations)) => AnswerInput::Nominations(nominations),
        _ => return Err(AppError::BadRequest("surveys-error-answer-shape")),
    };
    let code = body.code;
    let result = blocking(&state, move |p| p.submit_answer(&code, &input)).await?;
    match result {
        Ok(first) => {
            let status = if first {
                StatusCode::CREATED
            } else {
                StatusCode::OK
            };
            Ok((status, Json(json!({"stored": true, "first": first}))).into_response())
        }
        Err(erbij_core::surveys::AnswerError::UnknownCode) => {
            note_wrong_code(&state, ip);
            Err(AppError::NotFound)
        }
        Err(other) => Err(answer_error(other)),
    }
}

pub(super) fn monitor_json(summary: &MonitorSummary) -> Value {
    let tally = |t: &erbij_core::surveys::MonitorTally| {
        let mut questions = serde_json::Map::new();
        for (question, option, count, pct) in &t.counts {
            let entry = questions
                .entry(question.key().to_string())
                .or_insert_with(|| json!({}));
            entry[*option] = json!({"count": count, "percent": pct});
        }
        json!({
            "class_id": t.class_id.map(|c| c.0),
            "name": t.name,
            "respondents": if t.suppressed { Value::Null } else { json!(t.respondents) },
            "suppressed": t.suppressed,
            "reason": erbij_core::surveys::monitor::suppression_reason(t),
            "answers": if t.suppressed || !summary.figures_shown() { Value::Null } else { Value::Object(questions) },
        })
    };
    json!({
        "id": summary.round.id,
        "title": summary.round.title,
        "closed": summary.round.closed_at.is_some(),
        "figures_shown": summary.figures_shown(),
        "min_group": erbij_core::surveys::MONITOR_MIN_GROUP,
        "school": tally(&summary.school),
        "classes": summary.classes.iter().map(tally).collect::<Vec<_>>(),
    })
}

pub async fn monitors(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
) -> Result<Json<Value>, AppError> {
    let rounds = blocking(&state, move |p| p.monitors(&actor)).await??;
    Ok(Json(Value::Array(
        rounds
            .iter()
            .map(|r| json!({"id": r.id, "title": r.title, "opens_on": r.opens_on.to_string(), "closed": r.closed_at.is_some()}))
            .collect(),
    )))
}

#[derive(Debug, Deserialize, Default)]
pub struct MonitorBody {
    #[serde(default)]
    title: String,
}

pub async fn start_monitor(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    body: Option<Json<MonitorBody>>,
) -> Result<Response, AppError> {
    let title = body.map(|Json(b)| b.title).unwrap_or_default();
    let round = blocking(&state, move |p| p.start_monitor(&actor, &title)).await??;
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, format!("/api/v1/monitors/{}", round.id))],
        Json(json!({"id": round.id, "title": round.title, "opens_on": round.opens_on.to_string(), "closed": false})),
    )
        .into_response())
}

pub async fn monitor_results(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(id): Path<i64>,
) -> Result<Json<Value>, AppError> {
    let summary = blocking(&state, move |p| p.monitor_results(&actor, id)).await??;
    Ok(Json(monitor_json(&summary)))
}
