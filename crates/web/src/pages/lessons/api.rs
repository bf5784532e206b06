//! The JSON API of lessons: the bank, sessions, votes and results, class agreements. Same
//! use cases and rules as the pages. Pupils' calls (`/votes`, `/agreement-proposals`,
//! `/agreement-votes`) need no token: the join code is the credential and the device
//! cookie is set on the first call.

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use erbij_core::{
    AgeGroup, AgreementRoundRecord, ClassId, Dilemma, DilemmaSessionRecord, DilemmaSource,
    LessonError, NewDilemma, ProposalRecord,
};
use serde::{Deserialize, Serialize};

use super::{bank_language, code_gate, count_miss, device_cookie, lesson_error, live, with_cookie};
use crate::auth::{ApiActor, blocking};
use crate::error::AppError;
use crate::i18n::Lang;
use crate::ratelimit::ClientIp;
use crate::security::is_https;
use crate::state::AppState;

#[derive(Debug, Deserialize, Default)]
pub struct LangQuery {
    #[serde(default)]
    lang: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct DilemmaJson {
    id: i64,
    title: String,
    choices: Vec<String>,
    situation: String,
    questions: Vec<String>,
    ages: Vec<&'static str>,
    age_note: String,
    theme: String,
    source: &'static str,
}

impl From<Dilemma> for DilemmaJson {
    fn from(d: Dilemma) -> Self {
        DilemmaJson {
            id: d.id,
            title: d.title,
            choices: d.choices,
            situation: d.situation,
            questions: d.questions,
            ages: d.ages.iter().map(|a| a.as_str()).collect(),
            age_note: d.age_note,
            theme: d.theme,
            source: match d.source {
                DilemmaSource::Bank => "bank",
                DilemmaSource::School => "school",
            },
        }
    }
}

#[allow(clippy::result_large_err)] // a response is what the handlers return anyway
fn done<T>(result: Result<Result<T, LessonError>, AppError>) -> Result<T, Response> {
    match result {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(err)) => Err(lesson_error(err)),
        Err(err) => Err(err.into_response()),
    }
}

pub async fn list_dilemmas(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Query(query): Query<LangQuery>,
) -> Result<Json<Vec<DilemmaJson>>, Response> {
    let lang = bank_language(
        query
            .lang
            .as_deref()
            .and_then(Lang::parse)
            .unwrap_or_default(),
    );
    let bank = done(blocking(&state, move |p| p.dilemma_bank(&actor, lang)).await)?;
    Ok(Json(bank.into_iter().map(DilemmaJson::from).collect()))
}

#[derive(Debug, Deserialize)]
pub struct NewDilemmaBody {
    title: String,
    situation: String,
    choices: Vec<String>,
    questions: Vec<String>,
    #[serde(default)]
    ages: Vec<String>,
}

pub async fn create_dilemma(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Json(body): Json<NewDilemmaBody>,
) -> Result<Response, Response> {
    let dilemma = done(
        blocking(&state, move |p| {
            let choices: Vec<&str> = body.choices.iter().map(String::as_str).collect();
            let questions: Vec<&str> = body.questions.iter().map(String::as_str).collect();
            let ages = body
                .ages
                .iter()
                .filter_map(|a| AgeGroup::parse(a))
                .collect();
            let new = NewDilemma::parse(&body.title, &body.situation, &choices, &questions, ages)?;
            p.add_school_dilemma(&actor, &new)
        })
        .await,
    )?;
    Ok((StatusCode::CREATED, Json(DilemmaJson::from(dilemma))).into_response())
}

#[derive(Debug, Serialize)]
pub struct SessionJson {
    id: i64,
    join_code: Option<String>,
    class_id: i64,
    dilemma_ids: Vec<i64>,
    position: usize,
    current_dilemma_id: Option<i64>,
    phase: &'static str,
    started_at: i64,
    expires_at: i64,
    ended: bool,
}

impl From<DilemmaSessionRecord> for SessionJson {
    fn from(s: DilemmaSessionRecord) -> Self {
        SessionJson {
            id: s.id,
            current_dilemma_id: if s.ended_at.is_some() {
                None
            } else {
                s.current_dilemma()
            },
            join_code: s.join_code,
            class_id: s.class_id.0,
            dilemma_ids: s.dilemma_ids,
            position: s.position,
            phase: s.phase.as_str(),
            started_at: s.started_at,
            expires_at: s.expires_at,
            ended: s.ended_at.is_some(),
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct NewSessionBody {
    class_id: i64,
    dilemma_ids: Vec<i64>,
}

pub async fn create_session(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Json(body): Json<NewSessionBody>,
) -> Result<Response, Response> {
    let session = done(
        blocking(&state, move |p| {
            p.start_dilemma_session(&actor, ClassId(body.class_id), &body.dilemma_ids)
        })
        .await,
    )?;
    Ok((
        StatusCode::CREATED,
        [(
            header::LOCATION,
            format!("/api/v1/dilemma-sessions/{}", session.id),
        )],
        Json(SessionJson::from(session)),
    )
        .into_response())
}

pub async fn get_session(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(id): Path<i64>,
) -> Result<Json<serde_json::Value>, Response> {
    let (session, counts) = done(
        blocking(&state, move |p| -> Result<_, LessonError> {
            let (session, _) = p.dilemma_session(&actor, id)?;
            let counts = p.dilemma_live_counts(&actor, id)?;
            Ok((session, counts))
        })
        .await,
    )?;
    let mut json = serde_json::to_value(SessionJson::from(session)).unwrap_or_default();
    json["joined"] = counts.joined.into();
    json["votes"] = counts
        .votes
        .iter()
        .map(|(d, v)| (d.to_string(), serde_json::Value::from(*v)))
        .collect::<serde_json::Map<_, _>>()
        .into();
    Ok(Json(json))
}

pub async fn advance(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(id): Path<i64>,
) -> Result<Json<SessionJson>, Response> {
    let session = done(blocking(&state, move |p| p.advance_dilemma_session(&actor, id)).await)?;
    live::notify(id);
    Ok(Json(session.into()))
}

#[derive(Debug, Serialize)]
pub struct DilemmaResult {
    dilemma_id: i64,
    /// Votes per choice, keyed by the choice's number (from 1); choices nobody chose are
    /// left out.
    counts: BTreeMap<String, i64>,
    total: i64,
}

#[derive(Debug, Serialize)]
pub struct ResultsJson {
    id: i64,
    ended: bool,
    dilemmas: Vec<DilemmaResult>,
}

pub async fn results(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(id): Path<i64>,
) -> Result<Json<ResultsJson>, Response> {
    let (session, tallies) = done(blocking(&state, move |p| p.dilemma_results(&actor, id)).await)?;
    let dilemmas = session
        .dilemma_ids
        .iter()
        .map(|dilemma| {
            let counts: BTreeMap<String, i64> = tallies
                .iter()
                .filter(|t| t.dilemma_id == *dilemma && t.votes > 0)
                .map(|t| (t.choice.to_string(), t.votes))
                .collect();
            DilemmaResult {
                dilemma_id: *dilemma,
                total: counts.values().sum(),
                counts,
            }
        })
        .collect();
    Ok(Json(ResultsJson {
        id: session.id,
        ended: session.ended_at.is_some(),
        dilemmas,
    }))
}

#[derive(Debug, Deserialize)]
pub struct VoteBody {
    join_code: String,
    dilemma_id: i64,
    choice: i64,
}

pub async fn vote(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    Json(body): Json<VoteBody>,
) -> Result<Response, Response> {
    code_gate(&state, ip)?;
    let (device, cookie) =
        device_cookie(&headers, is_https(&state, &headers)).map_err(IntoResponse::into_response)?;
    let dilemma = body.dilemma_id;
    let choice = body.choice;
    let result = blocking(&state, move |p| {
        p.vote(&body.join_code, body.dilemma_id, body.choice, &device)
    })
    .await;
    let session = match done(result) {
        Ok(session) => session,
        Err(response) => {
            if response.status() == StatusCode::NOT_FOUND {
                count_miss(&state, ip);
            }
            return Err(with_cookie(response, cookie));
        }
    };
    live::notify(session.id);
    let response = (
        StatusCode::CREATED,
        Json(serde_json::json!({"dilemma_id": dilemma, "choice": choice, "counted": true})),
    )
        .into_response();
    Ok(with_cookie(response, cookie))
}

#[derive(Debug, Serialize)]
pub struct RoundJson {
    id: i64,
    class_id: i64,
    join_code: Option<String>,
    phase: &'static str,
    votes_per_pupil: i64,
    expires_at: i64,
    settled_at: Option<i64>,
    review_on: Option<String>,
}

impl From<AgreementRoundRecord> for RoundJson {
    fn from(r: AgreementRoundRecord) -> Self {
        RoundJson {
            id: r.id,
            class_id: r.class_id.0,
            join_code: r.join_code,
            phase: r.phase.as_str(),
            votes_per_pupil: r.votes_per_pupil,
            expires_at: r.expires_at,
            settled_at: r.settled_at,
            review_on: r.review_on.map(|d| d.to_string()),
        }
    }
}

#[derive(Debug, Serialize)]
pub struct ProposalJson {
    id: i64,
    text: String,
    by_teacher: bool,
    votes: i64,
    chosen: bool,
}

impl From<ProposalRecord> for ProposalJson {
    fn from(p: ProposalRecord) -> Self {
        ProposalJson {
            id: p.id,
            text: p.text,
            by_teacher: p.by_teacher,
            votes: p.votes,
            chosen: p.chosen,
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct OpenRoundBody {
    class_id: i64,
    #[serde(default)]
    votes_per_pupil: Option<i64>,
}

pub async fn open_round(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Json(body): Json<OpenRoundBody>,
) -> Result<Response, Response> {
    let round = done(
        blocking(&state, move |p| {
            p.open_agreement_round(&actor, ClassId(body.class_id), body.votes_per_pupil)
        })
        .await,
    )?;
    Ok((StatusCode::CREATED, Json(RoundJson::from(round))).into_response())
}

pub async fn get_round(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(id): Path<i64>,
) -> Result<Json<serde_json::Value>, Response> {
    let (round, _, proposals) =
        done(blocking(&state, move |p| p.agreement_round(&actor, id)).await)?;
    let mut json = serde_json::to_value(RoundJson::from(round)).unwrap_or_default();
    json["proposals"] = serde_json::to_value(
        proposals
            .into_iter()
            .map(ProposalJson::from)
            .collect::<Vec<_>>(),
    )
    .unwrap_or_default();
    Ok(Json(json))
}

#[derive(Debug, Deserialize)]
pub struct SettleBody {
    proposal_ids: Vec<i64>,
    #[serde(default)]
    review_on: Option<String>,
}

pub async fn settle_round(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(id): Path<i64>,
    Json(body): Json<SettleBody>,
) -> Result<Json<RoundJson>, Response> {
    let round = done(
        blocking(&state, move |p| {
            p.settle_agreements(&actor, id, &body.proposal_ids, body.review_on.as_deref())
        })
        .await,
    )?;
    Ok(Json(round.into()))
}

pub async fn class_agreements(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(id): Path<i64>,
) -> Result<Json<serde_json::Value>, Response> {
    let current = done(blocking(&state, move |p| p.current_agreements(&actor, ClassId(id))).await)?;
    Ok(Json(match current {
        Some((round, chosen)) => serde_json::json!({
            "class_id": id,
            "round_id": round.id,
            "settled_at": round.settled_at,
            "review_on": round.review_on.map(|d| d.to_string()),
            "agreements": chosen.into_iter().map(|p| p.text).collect::<Vec<_>>(),
        }),
        None => serde_json::json!({"class_id": id, "round_id": null, "agreements": []}),
    }))
}

#[derive(Debug, Deserialize)]
pub struct ProposeBody {
    join_code: String,
    text: String,
}

pub async fn propose(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    Json(body): Json<ProposeBody>,
) -> Result<Response, Response> {
    code_gate(&state, ip)?;
    let (device, cookie) =
        device_cookie(&headers, is_https(&state, &headers)).map_err(IntoResponse::into_response)?;
    let result = blocking(&state, move |p| {
        p.propose_agreement(&body.join_code, &body.text, &device)
    })
    .await;
    match done(result) {
        Ok(id) => Ok(with_cookie(
            (StatusCode::CREATED, Json(serde_json::json!({"id": id}))).into_response(),
            cookie,
        )),
        Err(response) => {
            if response.status() == StatusCode::NOT_FOUND {
                count_miss(&state, ip);
            }
            Err(with_cookie(response, cookie))
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct BallotBody {
    join_code: String,
    proposal_ids: Vec<i64>,
}

pub async fn ballot(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    Json(body): Json<BallotBody>,
) -> Result<Response, Response> {
    code_gate(&state, ip)?;
    let (device, cookie) =
        device_cookie(&headers, is_https(&state, &headers)).map_err(IntoResponse::into_response)?;
    let result = blocking(&state, move |p| {
        p.cast_ballot(&body.join_code, &body.proposal_ids, &device)
    })
    .await;
    match done(result) {
        Ok(()) => Ok(with_cookie(
            (
                StatusCode::CREATED,
                Json(serde_json::json!({"counted": true})),
            )
                .into_response(),
            cookie,
        )),
        Err(response) => {
            if response.status() == StatusCode::NOT_FOUND {
                count_miss(&state, ip);
            }
            Err(with_cookie(response, cookie))
        }
    }
}
