//! Two-factor login: the login's second step (a code, or setting up the app when the grace
//! period is over), the account page's set-up, recovery codes and switching off, and an
//! administrator's reset for a colleague who lost their phone.
//!
//! Between the password and the code the browser holds only a challenge cookie; a session
//! exists only after the second step.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::http::header::SET_COOKIE;
use axum::response::Response;
use erbij_core::auth::ChallengePurpose;
use erbij_core::twofactor::{Challenge, Enrolment, SecondFactorError};
use erbij_core::{AccessError, Date, UserId};
use serde::Deserialize;

use crate::auth::{Session, Visitor, blocking, looks_like_secret};
use crate::error::AppError;
use crate::pages::{Flash, Page, back_to, render, render_with_status};
use crate::request_log::auth_event;
use crate::routes::Routes;
use crate::security::{read_cookie, see_other, set_cookie};
use crate::state::AppState;

const CHALLENGE_COOKIE: &str = "erbij_2fa";
const SESSION_COOKIE: &str = "erbij_session";

pub(crate) fn routes(routes: Routes) -> Routes {
    use axum::routing::{get, post};
    routes
        .add(
            "/login/two-factor",
            &["GET", "POST"],
            get(second_step_form).post(second_step),
        )
        .add("/account/two-factor", &["GET"], get(account_page))
        .add(
            "/account/two-factor/confirm",
            &["POST"],
            post(confirm_enrolment),
        )
        .add(
            "/account/two-factor/recovery-codes",
            &["POST"],
            post(renew_recovery_codes),
        )
        .add("/account/two-factor/disable", &["POST"], post(disable))
        .add(
            "/users/{id}/two-factor/reset",
            &["POST"],
            post(reset_for_colleague),
        )
}

/// The answer to a right first factor that needs a second step: the challenge cookie and
/// the way to the code page.
pub fn to_second_step(visitor: &Visitor, challenge: &Challenge) -> Response {
    let mut response = see_other("/login/two-factor");
    let cookie = set_cookie(
        CHALLENGE_COOKIE,
        &challenge.token,
        visitor.https,
        Some(erbij_core::twofactor::CHALLENGE_LIFETIME_SECONDS),
    );
    if let Ok(value) = cookie.parse() {
        response.headers_mut().append(SET_COOKIE, value);
    }
    response
}

/// Where a login lands: the set-up page while someone who must use two-factor has not.
pub async fn landing_after_login(state: &AppState, session_token: String) -> &'static str {
    let status = blocking(state, move |p| -> Option<bool> {
        let info = p.session(&session_token).ok().flatten()?;
        let status = p.two_factor_status(&info.actor).ok()?;
        Some(status.required && !status.enrolled)
    })
    .await
    .ok()
    .flatten();
    if status == Some(true) {
        "/account/two-factor"
    } else {
        "/"
    }
}

fn session_cookie_response(location: &str, token: &str, https: bool) -> Response {
    let mut response = see_other(location);
    for cookie in [
        set_cookie(SESSION_COOKIE, token, https, None),
        set_cookie(CHALLENGE_COOKIE, "", https, Some(0)),
    ] {
        if let Ok(value) = cookie.parse() {
            response.headers_mut().append(SET_COOKIE, value);
        }
    }
    response
}

/// The QR code and the secret to type over.
#[derive(Debug, Default)]
pub struct EnrolmentView {
    pub qr_svg: String,
    pub secret: String,
}

fn enrolment_view(enrolment: &Enrolment) -> EnrolmentView {
    EnrolmentView {
        qr_svg: crate::qr::svg(&enrolment.uri, 200).unwrap_or_default(),
        secret: enrolment.secret.base32_grouped(),
    }
}

#[derive(Template)]
#[template(path = "auth_second_step.html")]
struct SecondStepPage {
    page: Page,
    csrf: String,
    enrol: bool,
    enrolment: EnrolmentView,
}

#[derive(Template)]
#[template(path = "auth_recovery_codes.html")]
struct RecoveryCodesPage {
    page: Page,
    codes: Vec<String>,
    next: &'static str,
}

fn challenge_token(visitor: &Visitor) -> Option<String> {
    read_cookie(&visitor.headers, CHALLENGE_COOKIE, visitor.https).filter(|t| looks_like_secret(t))
}

fn back_to_login(visitor: &Visitor) -> Response {
    let mut response = see_other("/login?error=error-auth-login-expired");
    if let Ok(value) = set_cookie(CHALLENGE_COOKIE, "", visitor.https, Some(0)).parse() {
        response.headers_mut().append(SET_COOKIE, value);
    }
    response
}

pub async fn second_step_form(
    State(state): State<AppState>,
    visitor: Visitor,
) -> Result<Response, AppError> {
    let Some(token) = challenge_token(&visitor) else {
        return Ok(back_to_login(&visitor));
    };
    let result = blocking(&state, move |p| -> Result<_, SecondFactorError> {
        let Some(challenge) = p.challenge(&token)? else {
            return Err(SecondFactorError::Expired);
        };
        match challenge.purpose {
            ChallengePurpose::Verify => Ok(None),
            ChallengePurpose::Enrol => p.challenge_enrolment(&token).map(Some),
        }
    })
    .await?;
    let enrolment = match result {
        Ok(enrolment) => enrolment,
        Err(SecondFactorError::Expired) => return Ok(back_to_login(&visitor)),
        Err(SecondFactorError::WrongCode { .. }) => None,
        Err(SecondFactorError::Access(e)) => return Err(e.into()),
    };
    // The challenge cookie is the credential here; the form carries it too (double
    // submit), so a page on another site cannot post a code into this login.
    let csrf = read_cookie(&visitor.headers, CHALLENGE_COOKIE, visitor.https).unwrap_or_default();
    render(&SecondStepPage {
        page: Page::anonymous(visitor.lang, &visitor.path, ""),
        csrf,
        enrol: enrolment.is_some(),
        enrolment: enrolment.as_ref().map(enrolment_view).unwrap_or_default(),
    })
}

#[derive(Deserialize)]
pub struct CodeForm {
    csrf: String,
    code: String,
}

pub async fn second_step(
    State(state): State<AppState>,
    visitor: Visitor,
    Form(form): Form<CodeForm>,
) -> Result<Response, AppError> {
    let Some(token) = challenge_token(&visitor) else {
        return Ok(back_to_login(&visitor));
    };
    if !crate::security::same_secret(&token, &form.csrf) {
        return Err(AppError::BadCsrf);
    }
    let lookup = token.clone();
    let purpose = blocking(&state, move |p| p.challenge(&lookup)).await??;
    let Some(challenge) = purpose else {
        return Ok(back_to_login(&visitor));
    };
    let code = form.code;
    let (result, enrol) = match challenge.purpose {
        ChallengePurpose::Verify => {
            let token = token.clone();
            let result = blocking(&state, move |p| p.complete_second_factor(&token, &code))
                .await?
                .map(|(session, _)| (session, Vec::new()));
            (result, false)
        }
        ChallengePurpose::Enrol => {
            let token = token.clone();
            let result = blocking(&state, move |p| {
                p.complete_challenge_enrolment(&token, &code)
            })
            .await?
            .map(|(session, _, codes)| (session, codes));
            (result, true)
        }
    };
    auth_event(
        "second-step",
        match &result {
            Ok(_) => "success",
            Err(SecondFactorError::WrongCode { .. }) => "failure",
            Err(SecondFactorError::Expired) => "expired",
            Err(SecondFactorError::Access(_)) => "error",
        },
    );
    match result {
        Ok((session, codes)) if codes.is_empty() => {
            Ok(session_cookie_response("/", &session, visitor.https))
        }
        Ok((session, codes)) => {
            // The recovery codes are shown once, on the page that also sets the session.
            let mut response = render(&RecoveryCodesPage {
                page: Page::anonymous(visitor.lang, &visitor.path, ""),
                codes,
                next: "/",
            })?;
            for cookie in [
                set_cookie(SESSION_COOKIE, &session, visitor.https, None),
                set_cookie(CHALLENGE_COOKIE, "", visitor.https, Some(0)),
            ] {
                if let Ok(value) = cookie.parse() {
                    response.headers_mut().append(SET_COOKIE, value);
                }
            }
            Ok(response)
        }
        Err(SecondFactorError::Expired) => Ok(back_to_login(&visitor)),
        Err(SecondFactorError::WrongCode { attempts_left }) => {
            let lookup = token.clone();
            let enrolment = if enrol {
                blocking(&state, move |p| p.challenge_enrolment(&lookup))
                    .await?
                    .ok()
            } else {
                None
            };
            let mut page = Page::anonymous(visitor.lang, &visitor.path, "");
            page.problem = page
                .tr
                .t1("auth-code-wrong", "attempts", &attempts_left.to_string());
            render_with_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &SecondStepPage {
                    page,
                    csrf: token,
                    enrol,
                    enrolment: enrolment.as_ref().map(enrolment_view).unwrap_or_default(),
                },
            )
        }
        Err(SecondFactorError::Access(e)) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "auth_account.html")]
struct AccountPage {
    page: Page,
    enrolled: bool,
    required: bool,
    grace_until: String,
    codes_left: String,
    enrolment: EnrolmentView,
}

pub async fn account_page(
    State(state): State<AppState>,
    session: Session,
    Query(flash): Query<Flash>,
) -> Result<Response, AppError> {
    let actor = session.actor().clone();
    let (status, enrolment) = blocking(&state, move |p| -> Result<_, AccessError> {
        let status = p.two_factor_status(&actor)?;
        let enrolment = if status.enrolled {
            None
        } else {
            Some(p.begin_enrolment(&actor)?)
        };
        Ok((status, enrolment))
    })
    .await??;
    let mut page = session.page("account").with_flash(&flash);
    if status.required && !status.enrolled && page.problem.is_empty() && page.notice.is_empty() {
        page.notice = match status.grace_until {
            Some(until) => page.tr.t1(
                "auth-required-until",
                "date",
                &Date::from_timestamp(until).to_string(),
            ),
            None => page.tr.t("auth-required"),
        };
    }
    render(&AccountPage {
        page,
        enrolled: status.enrolled,
        required: status.required,
        grace_until: status
            .grace_until
            .map(|t| Date::from_timestamp(t).to_string())
            .unwrap_or_default(),
        codes_left: status.recovery_codes_left.to_string(),
        enrolment: enrolment.as_ref().map(enrolment_view).unwrap_or_default(),
    })
}

fn code_refused(err: AccessError) -> Result<Response, AppError> {
    match err {
        AccessError::WrongPassword => Ok(back_to(
            "/account/two-factor",
            "error=error-auth-code-wrong",
        )),
        AccessError::Conflict(_) => Ok(back_to(
            "/account/two-factor",
            "error=error-auth-already-enrolled",
        )),
        AccessError::Forbidden => Ok(back_to("/account/two-factor", "error=error-auth-required")),
        other => Err(other.into()),
    }
}

pub async fn confirm_enrolment(
    State(state): State<AppState>,
    session: Session,
    Form(form): Form<CodeForm>,
) -> Result<Response, AppError> {
    session.check_csrf(&form.csrf)?;
    let actor = session.actor().clone();
    let token = session.token.clone();
    match blocking(&state, move |p| {
        p.confirm_enrolment(&actor, &token, &form.code)
    })
    .await?
    {
        Ok(codes) => render(&RecoveryCodesPage {
            page: session.page("account"),
            codes,
            next: "/account/two-factor",
        }),
        Err(err) => code_refused(err),
    }
}

pub async fn renew_recovery_codes(
    State(state): State<AppState>,
    session: Session,
    Form(form): Form<CodeForm>,
) -> Result<Response, AppError> {
    session.check_csrf(&form.csrf)?;
    let actor = session.actor().clone();
    let token = session.token.clone();
    match blocking(&state, move |p| {
        p.renew_recovery_codes(&actor, &token, &form.code)
    })
    .await?
    {
        Ok(codes) => render(&RecoveryCodesPage {
            page: session.page("account"),
            codes,
            next: "/account/two-factor",
        }),
        Err(err) => code_refused(err),
    }
}

pub async fn disable(
    State(state): State<AppState>,
    session: Session,
    Form(form): Form<CodeForm>,
) -> Result<Response, AppError> {
    session.check_csrf(&form.csrf)?;
    let actor = session.actor().clone();
    let token = session.token.clone();
    match blocking(&state, move |p| {
        p.disable_two_factor(&actor, &token, &form.code)
    })
    .await?
    {
        Ok(()) => Ok(back_to("/account/two-factor", "done=done-auth-disabled")),
        Err(err) => code_refused(err),
    }
}

#[derive(Deserialize)]
pub struct CsrfForm {
    csrf: String,
}

pub async fn reset_for_colleague(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<i64>,
    Form(form): Form<CsrfForm>,
) -> Result<Response, AppError> {
    session.check_csrf(&form.csrf)?;
    let actor = session.actor().clone();
    blocking(&state, move |p| p.reset_two_factor(&actor, UserId(id))).await??;
    Ok(back_to("/settings", "done=done-auth-reset"))
}
