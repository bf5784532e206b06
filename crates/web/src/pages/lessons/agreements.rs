//! Class agreements: the teacher opens a round, pupils propose and vote from their phones
//! (or the teacher types proposals in), the teacher settles the list, which becomes a
//! printable poster and shows on the class page with a date to discuss it again.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use erbij_core::lessons::{LessonAction, may};
use erbij_core::{ClassId, LessonError, RoundPhase};
use serde::Deserialize;

use super::teacher::{local_time, redirect_after};
use super::{field, form_pairs, ids, join_base, lesson_error, spaced_code};
use crate::auth::{Session, blocking};
use crate::error::AppError;
use crate::pages::{Flash, Page, render};
use crate::security::see_other;
use crate::state::AppState;

pub async fn open(
    State(state): State<AppState>,
    session: Session,
    body: String,
) -> Result<Response, AppError> {
    let pairs = form_pairs(&body);
    session.check_csrf(field(&pairs, "csrf"))?;
    let actor = session.actor().clone();
    let class: i64 = field(&pairs, "class_id").trim().parse().unwrap_or(0);
    let votes: Option<i64> = field(&pairs, "votes_per_pupil").trim().parse().ok();
    let result = blocking(&state, move |p| {
        p.open_agreement_round(&actor, ClassId(class), votes)
    })
    .await?;
    match result {
        Ok(round) => Ok(see_other(&format!("/lessons/agreements/{}", round.id))),
        Err(err) => redirect_after("/lessons", "", Err(err)),
    }
}

#[derive(Debug)]
pub struct ProposalView {
    pub id: i64,
    pub text: String,
    pub votes: i64,
    pub by_teacher: bool,
    pub chosen: bool,
    pub suggested: bool,
}

#[derive(Template)]
#[template(path = "lessons_round.html")]
struct RoundPage {
    page: Page,
    id: i64,
    class_id: i64,
    class_name: String,
    phase: String,
    phase_label: String,
    can_teach: bool,
    code_works: bool,
    code_spaced: String,
    join_base: String,
    qr: String,
    votes_per_pupil: i64,
    proposals: Vec<ProposalView>,
    chosen: Vec<ProposalView>,
    review_on: String,
    default_review: String,
    settled_at: String,
}

pub async fn show(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<i64>,
    headers: HeaderMap,
    Query(flash): Query<Flash>,
) -> Result<Response, AppError> {
    let actor = session.actor().clone();
    let loaded = blocking(&state, move |p| p.agreement_round(&actor, id)).await?;
    let (round, class, proposals) = match loaded {
        Ok(v) => v,
        Err(err) => return Ok(lesson_error(err)),
    };
    let now = state.platform.now();
    let https = crate::security::is_https(&state, &headers);
    let base = join_base(&headers, https);
    let code = round.join_code.clone().unwrap_or_default();
    let code_works = round.code_works(now);
    // The top of the vote is suggested for the final list: up to seven, what a poster holds.
    let proposals: Vec<ProposalView> = proposals
        .into_iter()
        .enumerate()
        .map(|(i, p)| ProposalView {
            id: p.id,
            text: p.text,
            votes: p.votes,
            by_teacher: p.by_teacher,
            chosen: p.chosen,
            suggested: i < 7 && (p.votes > 0 || round.phase == RoundPhase::Proposing),
        })
        .collect();
    let (chosen, proposals): (Vec<_>, Vec<_>) = proposals.into_iter().partition(|p| p.chosen);
    render(&RoundPage {
        page: session.page("lessons").with_flash(&flash),
        id,
        class_id: class.id.0,
        class_name: class.name,
        phase: round.phase.as_str().to_string(),
        phase_label: session
            .tr()
            .t(&format!("lesson-round-phase-{}", round.phase.as_str())),
        can_teach: may(session.actor().role, LessonAction::Teach),
        code_works,
        qr: if code_works {
            crate::qr::svg(&format!("{base}/l/{code}"), 200).unwrap_or_default()
        } else {
            String::new()
        },
        code_spaced: spaced_code(&code),
        join_base: format!("{base}/l"),
        votes_per_pupil: round.votes_per_pupil,
        proposals,
        chosen,
        review_on: round.review_on.map(|d| d.to_string()).unwrap_or_default(),
        default_review: erbij_core::Date::from_timestamp(now + 42 * 86_400).to_string(),
        settled_at: round.settled_at.map(local_time).unwrap_or_default(),
    })
}

pub async fn add_proposal(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<i64>,
    body: String,
) -> Result<Response, AppError> {
    let pairs = form_pairs(&body);
    session.check_csrf(field(&pairs, "csrf"))?;
    let actor = session.actor().clone();
    let text = field(&pairs, "text").to_string();
    let result = blocking(&state, move |p| p.add_teacher_proposal(&actor, id, &text)).await?;
    redirect_after(
        &format!("/lessons/agreements/{id}"),
        "",
        result.map(|_| "done-lesson-proposed"),
    )
}

pub async fn remove_proposal(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<i64>,
    body: String,
) -> Result<Response, AppError> {
    let pairs = form_pairs(&body);
    session.check_csrf(field(&pairs, "csrf"))?;
    let actor = session.actor().clone();
    let proposal: i64 = field(&pairs, "proposal_id").trim().parse().unwrap_or(0);
    let result = blocking(&state, move |p| p.remove_proposal(&actor, id, proposal)).await?;
    redirect_after(
        &format!("/lessons/agreements/{id}"),
        "",
        result.map(|_| "done-lesson-removed"),
    )
}

#[derive(Debug, Deserialize)]
pub struct CsrfForm {
    csrf: String,
}

pub async fn open_voting(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<i64>,
    axum::Form(form): axum::Form<CsrfForm>,
) -> Result<Response, AppError> {
    session.check_csrf(&form.csrf)?;
    let actor = session.actor().clone();
    let result = blocking(&state, move |p| p.open_agreement_voting(&actor, id)).await?;
    redirect_after(
        &format!("/lessons/agreements/{id}"),
        "",
        result.map(|_| "done-lesson-voting-open"),
    )
}

pub async fn settle(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<i64>,
    body: String,
) -> Result<Response, AppError> {
    let pairs = form_pairs(&body);
    session.check_csrf(field(&pairs, "csrf"))?;
    let actor = session.actor().clone();
    let chosen = ids(&pairs, "proposal");
    let review = field(&pairs, "review_on").to_string();
    let result = blocking(&state, move |p| {
        p.settle_agreements(&actor, id, &chosen, Some(&review))
    })
    .await?;
    redirect_after(
        &format!("/lessons/agreements/{id}"),
        "",
        result.map(|_| "done-lesson-settled"),
    )
}

pub async fn review(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<i64>,
    body: String,
) -> Result<Response, AppError> {
    let pairs = form_pairs(&body);
    session.check_csrf(field(&pairs, "csrf"))?;
    let actor = session.actor().clone();
    let review = field(&pairs, "review_on").to_string();
    let result: Result<_, LessonError> = blocking(&state, move |p| {
        p.set_agreement_review(&actor, id, Some(&review))
    })
    .await?;
    redirect_after(
        &format!("/lessons/agreements/{id}"),
        "",
        result.map(|_| "done-lesson-review-set"),
    )
}

#[derive(Template)]
#[template(path = "lessons_poster.html")]
struct PosterPage {
    page: Page,
    id: i64,
    size: &'static str,
    class_name: String,
    agreements: Vec<String>,
    settled_on: String,
    review_on: String,
}

#[derive(Debug, Deserialize, Default)]
pub struct PosterQuery {
    #[serde(default)]
    size: Option<String>,
}

pub async fn poster(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<i64>,
    Query(query): Query<PosterQuery>,
) -> Result<Response, AppError> {
    let actor = session.actor().clone();
    let loaded = blocking(&state, move |p| p.agreement_round(&actor, id)).await?;
    let (round, class, proposals) = match loaded {
        Ok(v) => v,
        Err(err) => return Ok(lesson_error(err)),
    };
    if round.phase != RoundPhase::Settled {
        return Ok(lesson_error(LessonError::WrongPhase));
    }
    render(&PosterPage {
        page: session.page("lessons"),
        id,
        size: if query.size.as_deref() == Some("a3") {
            "a3"
        } else {
            "a4"
        },
        class_name: class.name,
        agreements: proposals
            .into_iter()
            .filter(|p| p.chosen)
            .map(|p| p.text)
            .collect(),
        settled_on: round
            .settled_at
            .map(|t| erbij_core::Date::from_timestamp(t).to_string())
            .unwrap_or_default(),
        review_on: round.review_on.map(|d| d.to_string()).unwrap_or_default(),
    })
}
