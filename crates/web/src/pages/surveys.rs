//! Class surveys and the yearly monitor (issue 10): rounds, pupil codes and slips, the answer page, results with the sociogram, and their JSON API.
//!
//! Handlers translate between HTTP and the use cases in `erbij_core::surveys`; they never
//! decide access. Pupil-facing pages (`/s`, `/s/{code}`) need no account and no JavaScript.

mod api;
pub(crate) mod monitor;
pub(crate) mod pages;
pub(crate) mod pupil;

pub(crate) use pages::{SurveyPanel, class_panel};

use std::net::IpAddr;
use std::time::Duration;

use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use erbij_core::surveys::{AnswerError, SurveyError};

use crate::error::AppError;
use crate::ratelimit::Verdict;
use crate::routes::Routes;
use crate::state::AppState;

/// Wrong codes one client address may try per window before every code request from it is
/// refused (429) until the window ends. A class typing codes makes a few typos; someone
/// guessing makes thousands. 50-bit codes leave a guesser nothing within this budget.
pub const WRONG_CODE_LIMIT: u32 = 200;
pub const WRONG_CODE_WINDOW: Duration = Duration::from_secs(15 * 60);
const CODE_SCOPE: &str = "survey-code";

/// Refuses a client that guessed too often, before the code is even looked up. Shared by
/// every page reached with a code a pupil types: survey and monitor codes and the school's
/// report code (Meld het), so one budget of wrong guesses covers them all.
pub(crate) fn code_guard(state: &AppState, ip: IpAddr) -> Result<(), AppError> {
    match state.limiter.is_limited(
        CODE_SCOPE,
        &ip.to_string(),
        WRONG_CODE_LIMIT,
        WRONG_CODE_WINDOW,
    ) {
        Verdict::Allowed => Ok(()),
        Verdict::Limited { retry_after_secs } => {
            Err(AppError::TooManyRequests { retry_after_secs })
        }
    }
}

/// Counts a wrong code for this client.
pub(crate) fn note_wrong_code(state: &AppState, ip: IpAddr) {
    let _: Verdict = state.limiter.check(
        CODE_SCOPE,
        &ip.to_string(),
        WRONG_CODE_LIMIT,
        WRONG_CODE_WINDOW,
    );
}

pub(crate) fn survey_error(err: SurveyError) -> AppError {
    match err {
        SurveyError::Access(access) => AppError::from(access),
        SurveyError::Invalid(problem) => AppError::BadRequest(problem.key()),
    }
}

pub(crate) fn answer_error(err: AnswerError) -> AppError {
    match err {
        AnswerError::UnknownCode => AppError::NotFound,
        AnswerError::Closed => AppError::ClosedSurvey,
        AnswerError::Invalid(problem) => AppError::BadRequest(problem.key()),
        AnswerError::Store(store) => AppError::from(store),
    }
}

pub(crate) fn csv_response(csv: String, file_name: &str) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file_name}\""),
            ),
        ],
        csv,
    )
        .into_response()
}

/// This capability's routes (pages and `/api/v1`), registered with the others in
/// `routes.rs` so the authorization test sees them.
pub(crate) fn routes(routes: Routes) -> Routes {
    monitor::routes(routes)
        .add("/classes/{id}/surveys", &["POST"], post(pages::start))
        .add("/surveys/{id}", &["GET"], get(pages::results))
        .add("/surveys/{id}/close", &["POST"], post(pages::close))
        .add("/surveys/{id}/slips", &["GET"], get(pages::slips))
        .add(
            "/surveys/{id}/answers.csv",
            &["GET"],
            get(pages::answers_csv),
        )
        .add("/settings/surveys", &["POST"], post(pages::save_settings))
        .add("/s", &["GET"], get(pupil::enter_code))
        .add(
            "/s/{code}",
            &["GET", "POST"],
            get(pupil::page).post(pupil::submit),
        )
        .add("/s/{code}/thanks", &["GET"], get(pupil::thanks))
        .add(
            "/api/v1/classes/{id}/surveys",
            &["GET", "POST"],
            get(api::list).post(api::create),
        )
        .add("/api/v1/surveys/{id}", &["GET"], get(api::show))
        .add("/api/v1/surveys/{id}/close", &["POST"], post(api::close))
        .add("/api/v1/surveys/{id}/results", &["GET"], get(api::results))
        .add(
            "/api/v1/surveys/{id}/answers.csv",
            &["GET"],
            get(api::answers_csv),
        )
        .add("/api/v1/answers", &["POST"], post(api::answer))
        .add(
            "/api/v1/monitors",
            &["GET", "POST"],
            get(api::monitors).post(api::start_monitor),
        )
        .add(
            "/api/v1/monitors/{id}/results",
            &["GET"],
            get(api::monitor_results),
        )
}
