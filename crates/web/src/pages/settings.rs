//! The administrator's security settings: two-factor for everyone, the retention period,
//! sign-in with the school's OpenID provider, colleagues' two-factor status (with a reset
//! for a lost phone) and what the retention job deleted.

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::response::Response;
use erbij_core::Date;
use erbij_core::auth::SettingsError;
use serde::Deserialize;

use crate::auth::{Session, blocking};
use crate::error::AppError;
use crate::pages::{Flash, Page, back_to, render, role_label};
use crate::routes::Routes;
use crate::state::AppState;

pub(crate) fn routes(routes: Routes) -> Routes {
    use axum::routing::{get, post};
    routes
        .add("/settings", &["GET"], get(show))
        .add("/settings/security", &["POST"], post(save_security))
        .add("/settings/sign-in", &["POST"], post(save_sign_in))
}

#[derive(Debug)]
pub struct AccountRow {
    pub id: i64,
    pub name: String,
    pub role: String,
    pub two_factor: bool,
}

#[derive(Debug)]
pub struct RunRow {
    pub date: String,
    pub cutoff: String,
    pub pupils: i64,
    pub files: i64,
}

#[derive(Template)]
#[template(path = "auth_settings.html")]
struct SettingsPage {
    page: Page,
    two_factor_for_all: bool,
    retention_days: String,
    oidc_on: bool,
    issuer: String,
    client_id: String,
    create_accounts: bool,
    redirect_uri: String,
    accounts: Vec<AccountRow>,
    runs: Vec<RunRow>,
    surveys: erbij_core::surveys::SurveySettings,
}

pub async fn show(
    State(state): State<AppState>,
    headers: axum::http::HeaderMap,
    session: Session,
    Query(flash): Query<Flash>,
) -> Result<Response, AppError> {
    let actor = session.actor().clone();
    let (settings, accounts, runs, surveys) = blocking(&state, move |p| -> Result<_, AppError> {
        Ok((
            p.school_settings(&actor)?,
            p.accounts_security(&actor)?,
            p.retention_runs(&actor)?,
            p.survey_settings(&actor)?,
        ))
    })
    .await??;
    let tr = session.tr();
    let redirect_uri = crate::pages::oidc::redirect_uri(&state, &headers, session.https);
    render(&SettingsPage {
        page: session.page("settings").with_flash(&flash),
        two_factor_for_all: settings.two_factor_for_all,
        retention_days: settings.retention_days.to_string(),
        oidc_on: settings.oidc.is_some(),
        issuer: settings
            .oidc
            .as_ref()
            .map(|o| o.issuer.clone())
            .unwrap_or_default(),
        client_id: settings
            .oidc
            .as_ref()
            .map(|o| o.client_id.clone())
            .unwrap_or_default(),
        create_accounts: settings.oidc_create_accounts,
        redirect_uri,
        accounts: accounts
            .into_iter()
            .map(|a| AccountRow {
                id: a.user.id.0,
                name: a.user.name.clone(),
                role: role_label(&tr, a.user.role),
                two_factor: a.two_factor,
            })
            .collect(),
        runs: runs
            .into_iter()
            .take(20)
            .map(|r| RunRow {
                date: Date::from_timestamp(r.ran_at).to_string(),
                cutoff: r.cutoff,
                pupils: r.pupils_deleted,
                files: r.files_deleted,
            })
            .collect(),
        surveys,
    })
}

fn refused(err: SettingsError) -> Result<Response, AppError> {
    let key = match err {
        SettingsError::RetentionOutOfRange => "error-auth-retention-range",
        SettingsError::IssuerNotHttps => "error-auth-issuer",
        SettingsError::ClientId => "error-auth-client-id",
        SettingsError::ClientSecret => "error-auth-client-secret",
        SettingsError::Access(e) => return Err(e.into()),
    };
    Ok(back_to("/settings", &format!("error={key}")))
}

#[derive(Deserialize)]
pub struct SecurityForm {
    csrf: String,
    #[serde(default)]
    two_factor_for_all: Option<String>,
    retention_days: String,
}

pub async fn save_security(
    State(state): State<AppState>,
    session: Session,
    Form(form): Form<SecurityForm>,
) -> Result<Response, AppError> {
    session.check_csrf(&form.csrf)?;
    let Ok(days) = form.retention_days.trim().parse::<i64>() else {
        return Ok(back_to("/settings", "error=error-auth-retention-range"));
    };
    let actor = session.actor().clone();
    let for_all = form.two_factor_for_all.is_some();
    match blocking(&state, move |p| {
        p.save_security_settings(&actor, for_all, days)
    })
    .await?
    {
        Ok(_) => Ok(back_to("/settings", "done=done-auth-settings-saved")),
        Err(err) => refused(err),
    }
}

#[derive(Deserialize)]
pub struct SignInForm {
    csrf: String,
    #[serde(default)]
    enabled: Option<String>,
    #[serde(default)]
    issuer: String,
    #[serde(default)]
    client_id: String,
    #[serde(default)]
    client_secret: String,
    #[serde(default)]
    create_accounts: Option<String>,
}

pub async fn save_sign_in(
    State(state): State<AppState>,
    session: Session,
    Form(form): Form<SignInForm>,
) -> Result<Response, AppError> {
    session.check_csrf(&form.csrf)?;
    let actor = session.actor().clone();
    let enabled = form.enabled.is_some();
    let create = form.create_accounts.is_some();
    match blocking(&state, move |p| {
        let provider = enabled.then_some((
            form.issuer.as_str(),
            form.client_id.as_str(),
            form.client_secret.as_str(),
        ));
        p.save_sign_in_settings(&actor, provider, create)
    })
    .await?
    {
        Ok(_) => Ok(back_to("/settings", "done=done-auth-settings-saved")),
        Err(err) => refused(err),
    }
}
