//! The pupil's answer pages: `/s` (type the code), `/s/{code}` (the questions, prefilled
//! with the pupil's own answer), and the thank-you page. No account, no JavaScript; nothing
//! about any other pupil's answers. A wrong code gets a friendly page, never a 500.

use std::collections::{BTreeMap, BTreeSet};

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use erbij_core::surveys::{
    AnswerError, AnswerInput, CodeView, NominationQuestion, RoundKind, normalise_code,
};
use serde::Deserialize;

use super::{code_guard, note_wrong_code};
use crate::auth::{Visitor, blocking};
use crate::error::AppError;
use crate::pages::lessons::{field, form_pairs};
use crate::pages::{Page, render};
use crate::ratelimit::ClientIp;
use crate::security::{RenderedPage, see_other};
use crate::state::AppState;

/// Where a typed code that is not a survey code may lead instead: the yearly monitor's
/// codes are answered on their own page. The monitor's pages fill this in (one call,
/// here); `None` means "no such code" and the pupil sees the friendly message.
pub(crate) async fn monitor_code_redirect(state: &AppState, typed: &str) -> Option<String> {
    super::monitor::monitor_code_target(state, typed).await
}

#[derive(Template)]
#[template(path = "surveys_code.html")]
struct CodePage {
    page: Page,
    code: String,
}

fn code_page(visitor: &Visitor, status: StatusCode, problem: Option<&str>, code: &str) -> Response {
    let mut page = Page::anonymous(visitor.lang, &visitor.path, "");
    page.active = "pupil";
    if let Some(key) = problem {
        page.problem = page.tr.t(key);
    }
    let mut response = render(&CodePage {
        page,
        code: code.chars().take(20).collect(),
    })
    .unwrap_or_else(IntoResponse::into_response);
    if status != StatusCode::OK {
        *response.status_mut() = status;
        response.extensions_mut().insert(RenderedPage);
    }
    response
}

#[derive(Debug, Deserialize, Default)]
pub struct CodeQuery {
    #[serde(default)]
    code: Option<String>,
}

/// `GET /s` (and `/s?code=...` from its form).
pub async fn enter_code(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    visitor: Visitor,
    Query(query): Query<CodeQuery>,
) -> Response {
    let Some(typed) = query
        .code
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty())
    else {
        return code_page(&visitor, StatusCode::OK, None, "");
    };
    if let Err(refused) = code_guard(&state, ip) {
        return too_many_guesses(&visitor, &refused);
    }
    match normalise_code(typed) {
        Some(code) => see_other(&format!("/s/{code}")),
        None => {
            if let Some(target) = monitor_code_redirect(&state, typed).await {
                return see_other(&target);
            }
            note_wrong_code(&state, ip);
            code_page(
                &visitor,
                StatusCode::NOT_FOUND,
                Some("surveys-pupil-unknown-code"),
                typed,
            )
        }
    }
}

/// A classmate on the form.
#[derive(Debug)]
pub struct Mate {
    pub id: i64,
    pub name: String,
    /// Ratings: the chosen point (0: none). Nominations: unused.
    pub rating: i64,
}

impl Mate {
    pub fn rated(&self, point: &i64) -> bool {
        self.rating == *point
    }
}

/// A nomination question on the form.
#[derive(Debug)]
pub struct QuestionView {
    pub key: &'static str,
    pub text: String,
    /// Chosen pupil ids.
    pub chosen: Vec<i64>,
    pub nobody: bool,
}

impl QuestionView {
    pub fn has(&self, id: &i64) -> bool {
        self.chosen.contains(id)
    }
}

#[derive(Template)]
#[template(path = "surveys_answer.html")]
struct AnswerPage {
    page: Page,
    code: String,
    own_name: String,
    open: bool,
    answered: bool,
    ratings: bool,
    points: Vec<(i64, String)>,
    mates: Vec<Mate>,
    questions: Vec<QuestionView>,
    max_choices: u32,
}

fn point_labels(page: &Page, scale: u8) -> Vec<(i64, String)> {
    let mid = (i64::from(scale) + 1) / 2;
    (1..=i64::from(scale))
        .map(|p| {
            let label = if p == 1 {
                page.tr.t("surveys-point-lowest")
            } else if p == i64::from(scale) {
                page.tr.t("surveys-point-highest")
            } else if p == mid {
                page.tr.t("surveys-point-neutral")
            } else {
                String::new()
            };
            (p, label)
        })
        .collect()
}

fn answer_page(page: Page, view: &CodeView, input: Option<&AnswerInput>) -> AnswerPage {
    let own_ratings: BTreeMap<i64, i64> = match input {
        Some(AnswerInput::Ratings(r)) => r.clone(),
        _ => view
            .own
            .iter()
            .filter(|r| r.question == "rating")
            .map(|r| (r.to.0, r.value))
            .collect(),
    };
    let own_choices = |q: NominationQuestion| -> Vec<i64> {
        match input {
            Some(AnswerInput::Nominations(n)) => n.get(q.key()).cloned().unwrap_or_default(),
            _ => view
                .own
                .iter()
                .filter(|r| r.question == q.key())
                .map(|r| r.to.0)
                .collect(),
        }
    };
    let (ratings, points, questions, max_choices) = match &view.target.round.kind {
        RoundKind::Ratings { scale } => (true, point_labels(&page, *scale), Vec::new(), 0),
        RoundKind::Nominations {
            questions,
            max_choices,
        } => (
            false,
            Vec::new(),
            questions
                .iter()
                .map(|q| {
                    let chosen = own_choices(*q);
                    QuestionView {
                        key: q.key(),
                        text: page
                            .tr
                            .t(&format!("surveys-q-{}", q.key().replace('_', "-"))),
                        nobody: chosen.is_empty() && view.target.answered,
                        chosen,
                    }
                })
                .collect(),
            max_choices.unwrap_or(0),
        ),
    };
    AnswerPage {
        code: view.code.clone(),
        own_name: view.own_name.clone(),
        open: view.open,
        answered: view.target.answered,
        ratings,
        points,
        mates: view
            .classmates
            .iter()
            .map(|(id, name)| Mate {
                id: id.0,
                name: name.clone(),
                rating: own_ratings.get(&id.0).copied().unwrap_or(0),
            })
            .collect(),
        questions,
        max_choices,
        page,
    }
}

fn pupil_page(visitor: &Visitor) -> Page {
    let mut page = Page::anonymous(visitor.lang, &visitor.path, "");
    page.active = "pupil";
    page
}

/// The code page for an address that guessed too often: 429 with `Retry-After`, like every
/// other refusal of the code limit.
fn too_many_guesses(visitor: &Visitor, refused: &AppError) -> Response {
    let mut page = code_page(
        visitor,
        StatusCode::TOO_MANY_REQUESTS,
        Some("surveys-error-too-many-guesses"),
        "",
    );
    if let AppError::TooManyRequests { retry_after_secs } = refused {
        if let Ok(value) = axum::http::HeaderValue::from_str(&retry_after_secs.to_string()) {
            page.headers_mut()
                .insert(axum::http::header::RETRY_AFTER, value);
        }
    }
    page
}

/// Looks a code up for a page; a wrong code is the code page with the friendly message.
async fn open(
    state: &AppState,
    ip: std::net::IpAddr,
    visitor: &Visitor,
    code: &str,
) -> Result<CodeView, Response> {
    if let Err(refused) = code_guard(state, ip) {
        return Err(too_many_guesses(visitor, &refused));
    }
    let lookup = code.to_string();
    match blocking(state, move |p| p.open_code(&lookup)).await {
        Ok(Ok(view)) => Ok(view),
        Ok(Err(AnswerError::UnknownCode)) => {
            if let Some(target) = monitor_code_redirect(state, code).await {
                return Err(see_other(&target));
            }
            note_wrong_code(state, ip);
            Err(code_page(
                visitor,
                StatusCode::NOT_FOUND,
                Some("surveys-pupil-unknown-code"),
                code,
            ))
        }
        Ok(Err(other)) => Err(super::answer_error(other).into_response()),
        Err(err) => Err(err.into_response()),
    }
}

/// `GET /s/{code}`: the questions.
pub async fn page(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    visitor: Visitor,
    Path(code): Path<String>,
) -> Response {
    let view = match open(&state, ip, &visitor, &code).await {
        Ok(v) => v,
        Err(response) => return response,
    };
    // The address holds the code as typed; show it normalised.
    if view.code != code {
        return see_other(&format!("/s/{}", view.code));
    }
    render(&answer_page(pupil_page(&visitor), &view, None))
        .unwrap_or_else(IntoResponse::into_response)
}

/// The form's fields as an answer: `r{id}` = point for ratings; `{question}` = id
/// (repeated) and `none-{question}` for "niemand" for nominations.
fn read_form(view: &CodeView, pairs: &[(String, String)]) -> Result<AnswerInput, &'static str> {
    match &view.target.round.kind {
        RoundKind::Ratings { .. } => {
            let mut ratings = BTreeMap::new();
            for (key, value) in pairs {
                let Some(id) = key.strip_prefix('r').and_then(|n| n.parse::<i64>().ok()) else {
                    continue;
                };
                if value.trim().is_empty() {
                    continue;
                }
                let point = value
                    .trim()
                    .parse::<i64>()
                    .map_err(|_| "surveys-error-off-scale")?;
                ratings.insert(id, point);
            }
            Ok(AnswerInput::Ratings(ratings))
        }
        RoundKind::Nominations { questions, .. } => {
            let mut choices = BTreeMap::new();
            for q in questions {
                let chosen: Vec<i64> = pairs
                    .iter()
                    .filter(|(k, _)| k == q.key())
                    .map(|(_, v)| {
                        v.trim()
                            .parse::<i64>()
                            .map_err(|_| "surveys-error-not-in-class")
                    })
                    .collect::<Result<_, _>>()?;
                let nobody = !field(pairs, &format!("none-{}", q.key())).is_empty();
                if nobody && !chosen.is_empty() {
                    return Err("surveys-error-nobody-and-names");
                }
                // Someone ticked twice: the same id twice in the form.
                let unique: BTreeSet<i64> = chosen.iter().copied().collect();
                if unique.len() != chosen.len() {
                    return Err("surveys-error-twice");
                }
                choices.insert(q.key().to_string(), chosen);
            }
            Ok(AnswerInput::Nominations(choices))
        }
    }
}

/// `POST /s/{code}`: stores the answer (or replaces it), then the thank-you page.
pub async fn submit(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    visitor: Visitor,
    Path(code): Path<String>,
    body: String,
) -> Response {
    let view = match open(&state, ip, &visitor, &code).await {
        Ok(v) => v,
        Err(response) => return response,
    };
    let pairs = form_pairs(&body);
    let input = match read_form(&view, &pairs) {
        Ok(input) => input,
        Err(key) => return refused(&visitor, &view, None, key),
    };
    if !view.open {
        return refused(&visitor, &view, Some(&input), "surveys-error-closed");
    }
    let submitted = input.clone();
    let lookup = view.code.clone();
    match blocking(&state, move |p| p.submit_answer(&lookup, &submitted)).await {
        Ok(Ok(_)) => see_other(&format!("/s/{}/thanks", view.code)),
        Ok(Err(AnswerError::Invalid(problem))) => {
            refused(&visitor, &view, Some(&input), problem.key())
        }
        Ok(Err(AnswerError::Closed)) => {
            refused(&visitor, &view, Some(&input), "surveys-error-closed")
        }
        Ok(Err(other)) => super::answer_error(other).into_response(),
        Err(err) => err.into_response(),
    }
}

/// The form again with what was filled in and why it could not be stored.
fn refused(
    visitor: &Visitor,
    view: &CodeView,
    input: Option<&AnswerInput>,
    key: &'static str,
) -> Response {
    let mut page = pupil_page(visitor);
    page.problem = page.tr.t(key);
    let status = if key == "surveys-error-closed" {
        StatusCode::CONFLICT
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let mut response =
        render(&answer_page(page, view, input)).unwrap_or_else(IntoResponse::into_response);
    *response.status_mut() = status;
    response.extensions_mut().insert(RenderedPage);
    response
}

#[derive(Template)]
#[template(path = "surveys_thanks.html")]
struct ThanksPage {
    page: Page,
    code: String,
    open: bool,
    coordinator_sees: bool,
}

/// `GET /s/{code}/thanks`: stored, who can see it, and that it can still change.
pub async fn thanks(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    visitor: Visitor,
    Path(code): Path<String>,
) -> Response {
    let view = match open(&state, ip, &visitor, &code).await {
        Ok(v) => v,
        Err(response) => return response,
    };
    let lookup = view.clone();
    let settings = blocking(&state, move |p| p.code_survey_settings(&lookup))
        .await
        .and_then(|r| r.map_err(AppError::from));
    let settings = match settings {
        Ok(s) => s,
        Err(err) => return err.into_response(),
    };
    render(&ThanksPage {
        page: pupil_page(&visitor),
        code: view.code.clone(),
        open: view.open,
        coordinator_sees: settings.coordinator_sees_answers,
    })
    .unwrap_or_else(IntoResponse::into_response)
}
