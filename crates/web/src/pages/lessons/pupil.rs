//! The pages pupils reach with a code: no account, no JavaScript needed, nothing about
//! other pupils. One code page serves a dilemma session or an agreement round.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use erbij_core::{LessonError, Phase, RoundPhase};
use serde::Deserialize;

#[allow(unused_imports)]
use super::Tr2;
use super::{
    bank_language, code_gate, count_miss, device_cookie, error_key, field, form_pairs, ids,
    lesson_error, live, with_cookie,
};
use crate::auth::{Visitor, blocking};
use crate::error::AppError;
use crate::pages::{Flash, Page, render};
use crate::ratelimit::ClientIp;
use crate::security::see_other;
use crate::state::AppState;

/// A per-device form token (double submit): the vote form carries a value derived from the
/// device cookie, so another site cannot make a visitor's browser vote.
fn form_token(device: &str) -> String {
    erbij_core::hash_token(&format!("erbij-form:{device}"))[..32].to_string()
}

#[derive(Template)]
#[template(path = "lessons_join.html")]
struct JoinPage {
    page: Page,
    code: String,
}

#[derive(Debug, Deserialize, Default)]
pub struct CodeQuery {
    #[serde(default)]
    code: Option<String>,
}

/// `/l`: the page to type the code on (the address on the board).
pub async fn enter_code(
    visitor: Visitor,
    Query(query): Query<CodeQuery>,
) -> Result<Response, AppError> {
    if let Some(code) = query
        .code
        .as_deref()
        .and_then(erbij_core::lessons::normalize_code)
    {
        return Ok(see_other(&format!("/l/{code}")));
    }
    let mut page = Page::anonymous(visitor.lang, &visitor.path, "");
    if query.code.is_some() {
        page.problem = page.tr.t("error-lesson-unknown-code");
    }
    render(&JoinPage {
        page,
        code: String::new(),
    })
}

#[derive(Template)]
#[template(path = "lessons_pupil.html")]
struct PupilPage {
    page: Page,
    code: String,
    token: String,
    kind: &'static str,
    title: String,
    situation: String,
    choices: Vec<String>,
    dilemma_id: i64,
    voted: bool,
    waiting: bool,
    number: usize,
    count: usize,
    proposals: Vec<(i64, String)>,
    votes_per_pupil: i64,
    refresh: bool,
    /// What the page shows, for `lessons.js`: it re-reads the page while the pupil waits
    /// and reloads once this changes (without JavaScript: a `<noscript>` refresh).
    state: String,
}

/// `/l/{join_code}`: the current dilemma to vote on, or the agreement round.
pub async fn page(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    visitor: Visitor,
    Path(code): Path<String>,
    Query(flash): Query<Flash>,
) -> Result<Response, Response> {
    code_gate(&state, ip)?;
    let (device, cookie) =
        device_cookie(&visitor.headers, visitor.https).map_err(IntoResponse::into_response)?;
    let lang = bank_language(visitor.lang);
    let lookup_code = code.clone();
    let token = form_token(&device);
    let loaded = blocking(&state, move |p| -> Result<_, LessonError> {
        match p.join_session(&lookup_code, &device) {
            Ok(session) => {
                let current = session.current_dilemma();
                let dilemma = match current {
                    Some(id) => Some(p.session_dilemma(&session, id, lang)?),
                    None => None,
                };
                let voted = match current {
                    Some(id) => p.device_has_voted(&session, id, &device)?,
                    None => false,
                };
                Ok((Some((session, dilemma, voted)), None))
            }
            Err(LessonError::UnknownCode) => {
                let round = p.round_by_code(&lookup_code)?;
                let proposals = p.round_proposals_for_pupils(&round)?;
                let voted = p.device_cast_ballot(&round, &device)?;
                Ok((None, Some((round, proposals, voted))))
            }
            Err(other) => Err(other),
        }
    })
    .await
    .map_err(IntoResponse::into_response)?;
    let (session, round) = match loaded {
        Ok(v) => v,
        Err(err) => {
            if matches!(err, LessonError::UnknownCode) {
                count_miss(&state, ip);
            }
            return Err(with_cookie(pupil_error(&visitor, err), cookie));
        }
    };
    let mut page = Page::anonymous(visitor.lang, &visitor.path, "").with_flash(&flash);
    page.active = "pupil";
    let mut view = PupilPage {
        page,
        code: code.clone(),
        token,
        kind: "session",
        title: String::new(),
        situation: String::new(),
        choices: Vec::new(),
        dilemma_id: 0,
        voted: false,
        waiting: false,
        number: 0,
        count: 0,
        proposals: Vec::new(),
        votes_per_pupil: 0,
        refresh: false,
        state: String::new(),
    };
    if let Some((session, dilemma, voted)) = session {
        // A new phone on the board's joined count; a phone that voted already joined, and
        // its waiting page re-reading itself does not wake the board.
        if session.phase == Phase::Voting && !voted {
            live::notify(session.id);
        }
        view.number = session.position + 1;
        view.count = session.dilemma_ids.len();
        view.voted = voted;
        view.waiting = voted || session.phase != Phase::Voting;
        // The waiting notice says the vote was counted; the flash saying it too showed the
        // same sentence twice on a phone.
        if voted {
            view.page.notice.clear();
        }
        view.refresh = view.waiting;
        view.state = format!("{}-{}-{voted}", session.position, session.phase.as_str());
        if let Some(d) = dilemma {
            view.dilemma_id = d.id;
            view.title = d.title;
            view.situation = d.situation;
            view.choices = d.choices;
        }
    } else if let Some((round, proposals, voted)) = round {
        view.kind = match round.phase {
            RoundPhase::Proposing => "proposing",
            RoundPhase::Voting if voted => "ballot-cast",
            RoundPhase::Voting => "voting",
            RoundPhase::Settled => "settled",
        };
        view.refresh = view.kind == "ballot-cast";
        view.state = view.kind.to_string();
        view.votes_per_pupil = round.votes_per_pupil;
        view.proposals = proposals.into_iter().map(|p| (p.id, p.text)).collect();
    }
    let response = render(&view).map_err(IntoResponse::into_response)?;
    Ok(with_cookie(response, cookie))
}

/// A refused code or step as a page a pupil understands.
fn pupil_error(visitor: &Visitor, err: LessonError) -> Response {
    let response = lesson_error(err);
    let status = response.status();
    if status == StatusCode::NOT_FOUND {
        // The join page again, with the reason: the pupil can type the code once more.
        let mut page = Page::anonymous(visitor.lang, &visitor.path, "");
        page.problem = page.tr.t("error-lesson-unknown-code");
        let mut rendered = render(&JoinPage {
            page,
            code: String::new(),
        })
        .unwrap_or_else(IntoResponse::into_response);
        *rendered.status_mut() = StatusCode::NOT_FOUND;
        rendered
            .extensions_mut()
            .insert(crate::security::RenderedPage);
        return rendered;
    }
    response
}

/// Back to the code page after a pupil's form, with a message.
fn back(code: &str, result: Result<&'static str, LessonError>) -> Response {
    let code: String = code.chars().filter(char::is_ascii_alphanumeric).collect();
    match result {
        Ok(done) => see_other(&format!("/l/{code}?done={done}")),
        Err(err) => match error_key(&err) {
            Some(key) => see_other(&format!("/l/{code}?error={key}")),
            None => lesson_error(err),
        },
    }
}

/// Checks the device cookie and the form's token; without them the pupil joins first.
fn device_of(headers: &HeaderMap, https: bool, pairs: &[(String, String)]) -> Option<String> {
    let device = crate::security::read_cookie(headers, super::DEVICE_COOKIE, https)
        .filter(|v| crate::auth::looks_like_secret(v))?;
    crate::security::same_secret(field(pairs, "token"), &form_token(&device)).then_some(device)
}

pub async fn vote(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    Path(code): Path<String>,
    body: String,
) -> Result<Response, Response> {
    code_gate(&state, ip)?;
    let pairs = form_pairs(&body);
    let Some(device) = device_of(
        &headers,
        crate::security::is_https(&state, &headers),
        &pairs,
    ) else {
        return Ok(back(&code, Ok("done-lesson-joined")));
    };
    let dilemma: i64 = field(&pairs, "dilemma_id").parse().unwrap_or(0);
    let choice: i64 = field(&pairs, "choice").parse().unwrap_or(0);
    let vote_code = code.clone();
    let result = blocking(&state, move |p| {
        p.vote(&vote_code, dilemma, choice, &device)
    })
    .await
    .map_err(IntoResponse::into_response)?;
    match result {
        Ok(session) => {
            live::notify(session.id);
            Ok(back(&code, Ok("done-lesson-voted")))
        }
        Err(LessonError::UnknownCode) => {
            count_miss(&state, ip);
            Ok(back(&code, Err(LessonError::UnknownCode)))
        }
        Err(err) => Ok(back(&code, Err(err))),
    }
}

pub async fn propose(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    Path(code): Path<String>,
    body: String,
) -> Result<Response, Response> {
    code_gate(&state, ip)?;
    let pairs = form_pairs(&body);
    let Some(device) = device_of(
        &headers,
        crate::security::is_https(&state, &headers),
        &pairs,
    ) else {
        return Ok(back(&code, Ok("done-lesson-joined")));
    };
    let text = field(&pairs, "text").to_string();
    let propose_code = code.clone();
    let result = blocking(&state, move |p| {
        p.propose_agreement(&propose_code, &text, &device)
    })
    .await
    .map_err(IntoResponse::into_response)?;
    if matches!(result, Err(LessonError::UnknownCode)) {
        count_miss(&state, ip);
    }
    Ok(back(&code, result.map(|_| "done-lesson-proposed")))
}

pub async fn ballot(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    Path(code): Path<String>,
    body: String,
) -> Result<Response, Response> {
    code_gate(&state, ip)?;
    let pairs = form_pairs(&body);
    let Some(device) = device_of(
        &headers,
        crate::security::is_https(&state, &headers),
        &pairs,
    ) else {
        return Ok(back(&code, Ok("done-lesson-joined")));
    };
    let picked = ids(&pairs, "proposal");
    let ballot_code = code.clone();
    let result = blocking(&state, move |p| {
        p.cast_ballot(&ballot_code, &picked, &device)
    })
    .await
    .map_err(IntoResponse::into_response)?;
    if matches!(result, Err(LessonError::UnknownCode)) {
        count_miss(&state, ip);
    }
    Ok(back(&code, result.map(|_| "done-lesson-ballot")))
}
