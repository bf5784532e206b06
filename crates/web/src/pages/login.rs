//! First run, login, logout and the language switch.
//!
//! Before login there is no session to hold a CSRF token, so these forms use a
//! double-submit token: a random value in a cookie and in the form, which a page on
//! another site can neither read nor set.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::http::header::{RETRY_AFTER, SET_COOKIE};
use axum::response::{IntoResponse, Response};
use erbij_core::{LoginError, SchoolKind, SetupError, new_secret_token};
use serde::Deserialize;

use std::time::Duration;

use crate::auth::{Session, Visitor, blocking, looks_like_secret};
use crate::error::AppError;
use crate::i18n::Lang;
use crate::pages::{Page, render_with_status};
use crate::ratelimit::{ClientIp, Verdict};
use crate::request_log::auth_event;
use crate::security::{read_cookie, same_secret, see_other, set_cookie};
use crate::state::AppState;

const SESSION_COOKIE: &str = "erbij_session";
const LOGIN_CSRF_COOKIE: &str = "erbij_csrf";

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    page: Page,
    csrf: String,
    email: String,
    /// `/login/oidc` when one school has sign-in with its provider set up.
    school_sign_in: String,
}

async fn school_sign_in(state: &AppState) -> String {
    match blocking(state, |p| p.only_oidc_school()).await {
        Ok(Ok(Some(_))) => "/login/oidc".to_string(),
        _ => String::new(),
    }
}

#[derive(Template)]
#[template(path = "setup.html")]
struct SetupPage {
    page: Page,
    csrf: String,
    school: String,
    kind: String,
    name: String,
    email: String,
}

/// The visitor's double-submit token, and the `Set-Cookie` when a new one was made.
fn login_csrf(visitor: &Visitor) -> Result<(String, Option<String>), AppError> {
    match read_cookie(&visitor.headers, LOGIN_CSRF_COOKIE, visitor.https)
        .filter(|t| looks_like_secret(t))
    {
        Some(token) => Ok((token, None)),
        None => {
            let token = new_secret_token().map_err(|e| AppError::Internal(e.to_string()))?;
            let cookie = set_cookie(LOGIN_CSRF_COOKIE, &token, visitor.https, None);
            Ok((token, Some(cookie)))
        }
    }
}

fn check_login_csrf(visitor: &Visitor, submitted: &str) -> Result<(), AppError> {
    let cookie =
        read_cookie(&visitor.headers, LOGIN_CSRF_COOKIE, visitor.https).unwrap_or_default();
    if same_secret(&cookie, submitted) {
        Ok(())
    } else {
        Err(AppError::BadCsrf)
    }
}

fn with_cookie(mut response: Response, cookie: Option<String>) -> Response {
    if let Some(value) = cookie.and_then(|c| c.parse().ok()) {
        response.headers_mut().append(SET_COOKIE, value);
    }
    response
}

pub async fn login_form(
    State(state): State<AppState>,
    visitor: Visitor,
    Query(flash): Query<crate::pages::Flash>,
) -> Result<Response, AppError> {
    let (csrf, cookie) = login_csrf(&visitor)?;
    let page = Page::anonymous(visitor.lang, &visitor.path, "").with_flash(&flash);
    let response = render_with_status(
        StatusCode::OK,
        &LoginPage {
            page,
            csrf,
            email: String::new(),
            school_sign_in: school_sign_in(&state).await,
        },
    )?;
    Ok(with_cookie(response, cookie))
}

#[derive(Deserialize)]
pub struct LoginForm {
    csrf: String,
    email: String,
    password: String,
}

pub async fn login(
    State(state): State<AppState>,
    visitor: Visitor,
    ClientIp(ip): ClientIp,
    Form(form): Form<LoginForm>,
) -> Result<Response, AppError> {
    check_login_csrf(&visitor, &form.csrf)?;
    let mut page = Page::anonymous(visitor.lang, &visitor.path, "");
    let refuse = |mut page: Page, key: &str, seconds: i64, csrf: String, email: String| {
        let minutes = ((seconds.max(1)) + 59) / 60;
        page.problem = page.tr.t1(key, "minutes", &minutes.to_string());
        let mut response = render_with_status(
            StatusCode::TOO_MANY_REQUESTS,
            &LoginPage {
                page,
                csrf,
                email,
                school_sign_in: String::new(),
            },
        )?;
        if let Ok(value) = seconds.max(1).to_string().parse() {
            response.headers_mut().insert(RETRY_AFTER, value);
        }
        Ok::<Response, AppError>(response)
    };
    // Per process and in memory: bounds what a flood from one address costs before the
    // database is asked anything.
    let per_minute = state
        .config
        .login_per_minute
        .unwrap_or(crate::state::DEFAULT_LOGIN_PER_MINUTE);
    if per_minute > 0 {
        if let Verdict::Limited { retry_after_secs } = state.limiter.check(
            "login",
            &ip.to_string(),
            per_minute,
            Duration::from_secs(60),
        ) {
            let seconds = i64::try_from(retry_after_secs).unwrap_or(60);
            auth_event("password", "refused-limit");
            return refuse(page, "error-login-locked", seconds, form.csrf, form.email);
        }
    }
    // A full hashing pool refuses before the database is asked: a flood from many
    // addresses then costs no query (measured: the class page on PostgreSQL, BENCHMARKS.md).
    if state.hasher.is_full() {
        auth_event("password", "refused-busy");
        return refuse(page, "hardening-login-busy", 5, form.csrf, form.email);
    }
    let (email, source) = (form.email.clone(), ip.to_string());
    let attempt = match blocking(&state, move |p| p.begin_login(&email, &source)).await? {
        Ok(attempt) => attempt,
        Err(LoginError::Locked { until }) => {
            auth_event("password", "refused-delay");
            let seconds = until - state.platform.now();
            return refuse(page, "error-login-locked", seconds, form.csrf, form.email);
        }
        Err(LoginError::Store(e)) => return Err(AppError::from(e)),
        Err(other) => return Err(AppError::Internal(other.to_string())),
    };
    // The password is checked on the hashing pool, never on the threads serving pages.
    let hash = attempt.password_hash().to_string();
    let Ok(password_ok) = state.hasher.verify(form.password, hash).await else {
        tracing::warn!("login refused: the password-checking queue is full");
        auth_event("password", "refused-busy");
        return refuse(page, "hardening-login-busy", 5, form.csrf, form.email);
    };
    let result = blocking(&state, move |p| p.finish_login(attempt, password_ok)).await?;
    let (status, problem) = match result {
        Ok((token, _)) => {
            auth_event("password", "success");
            let landing = crate::pages::twofactor::landing_after_login(&state, token.clone()).await;
            let mut response = see_other(landing);
            if let Ok(value) = set_cookie(SESSION_COOKIE, &token, visitor.https, None).parse() {
                response.headers_mut().append(SET_COOKIE, value);
            }
            return Ok(response);
        }
        Err(LoginError::SecondFactor(challenge)) => {
            auth_event("password", "second-step-due");
            return Ok(crate::pages::twofactor::to_second_step(
                &visitor, &challenge,
            ));
        }
        Err(LoginError::InvalidCredentials) => {
            auth_event("password", "failure");
            (StatusCode::UNAUTHORIZED, page.tr.t("error-login-failed"))
        }
        Err(LoginError::Locked { until }) => {
            tracing::warn!("login delayed after repeated wrong passwords");
            auth_event("password", "refused-delay");
            let seconds = until - state.platform.now();
            return refuse(page, "error-login-locked", seconds, form.csrf, form.email);
        }
        Err(LoginError::Store(e)) => return Err(AppError::from(e)),
        Err(LoginError::Password(e)) => return Err(AppError::Internal(e.to_string())),
    };
    page.problem = problem;
    render_with_status(
        status,
        &LoginPage {
            page,
            csrf: form.csrf,
            email: form.email,
            school_sign_in: school_sign_in(&state).await,
        },
    )
}

pub async fn setup_form(
    State(state): State<AppState>,
    visitor: Visitor,
) -> Result<Response, AppError> {
    if !blocking(&state, |p| p.is_empty_installation()).await?? {
        return Ok(see_other("/login"));
    }
    let (csrf, cookie) = login_csrf(&visitor)?;
    let page = Page::anonymous(visitor.lang, &visitor.path, "");
    let template = SetupPage {
        page,
        csrf,
        school: String::new(),
        kind: "vo".into(),
        name: String::new(),
        email: String::new(),
    };
    Ok(with_cookie(
        render_with_status(StatusCode::OK, &template)?,
        cookie,
    ))
}

#[derive(Deserialize)]
pub struct SetupForm {
    csrf: String,
    school: String,
    kind: String,
    name: String,
    email: String,
    password: String,
}

pub async fn setup(
    State(state): State<AppState>,
    visitor: Visitor,
    Form(form): Form<SetupForm>,
) -> Result<Response, AppError> {
    check_login_csrf(&visitor, &form.csrf)?;
    let kind = SchoolKind::parse(&form.kind).unwrap_or(SchoolKind::Secondary);
    let (school, name, email, password) = (
        form.school.clone(),
        form.name.clone(),
        form.email.clone(),
        form.password.clone(),
    );
    let result = blocking(&state, move |p| {
        p.setup_first_administrator(&school, kind, &email, &name, &password)?;
        p.login(&email, &password)
            .map_err(|e| SetupError::Store(erbij_core::StoreError::Backend(e.to_string())))
    })
    .await?;
    let key = match result {
        Ok((token, _)) => {
            let mut response = see_other("/");
            if let Ok(value) = set_cookie(SESSION_COOKIE, &token, visitor.https, None).parse() {
                response.headers_mut().append(SET_COOKIE, value);
            }
            return Ok(response);
        }
        Err(SetupError::AlreadySetUp) => return Ok(see_other("/login")),
        Err(SetupError::Invalid(field)) => field.key(),
        Err(SetupError::Password(e)) if e.key().is_some() => e.key().unwrap_or_default(),
        Err(other) => return Err(AppError::Internal(other.to_string())),
    };
    let mut page = Page::anonymous(visitor.lang, &visitor.path, "");
    page.problem = page.tr.t(key);
    let template = SetupPage {
        page,
        csrf: form.csrf,
        school: form.school,
        kind: form.kind,
        name: form.name,
        email: form.email,
    };
    render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &template)
}

#[derive(Deserialize)]
pub struct CsrfForm {
    pub csrf: String,
}

pub async fn logout(
    State(state): State<AppState>,
    session: Session,
    Form(form): Form<CsrfForm>,
) -> Result<Response, AppError> {
    session.check_csrf(&form.csrf)?;
    let token = session.token.clone();
    blocking(&state, move |p| p.logout(&token)).await??;
    let mut response = see_other("/login");
    if let Ok(value) = set_cookie(SESSION_COOKIE, "", session.https, Some(0)).parse() {
        response.headers_mut().append(SET_COOKIE, value);
    }
    Ok(response)
}

#[derive(Deserialize)]
pub struct NextPath {
    next: Option<String>,
}

/// Sets the language cookie and goes back. Only a path on this site is followed.
pub async fn language(
    Path(lang): Path<String>,
    Query(query): Query<NextPath>,
    visitor: Visitor,
) -> Result<Response, AppError> {
    let lang = Lang::parse(&lang).ok_or(AppError::NotFound)?;
    let next = query
        .next
        .filter(|n| {
            n.starts_with('/')
                && !n.starts_with("//")
                && !n.starts_with("/language/")
                && n.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "/-_.".contains(c))
        })
        .unwrap_or_else(|| "/".to_string());
    let mut response = see_other(&next);
    let cookie = format!(
        "{}; Max-Age=31536000",
        set_cookie("erbij_lang", lang.code(), visitor.https, None)
    );
    if let Ok(value) = cookie.parse() {
        response.headers_mut().append(SET_COOKIE, value);
    }
    Ok(response.into_response())
}
