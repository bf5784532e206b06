//! The user's own account: password change and personal API tokens.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use erbij_core::{Date, UserRecord};
use serde::Deserialize;

use crate::auth::{Session, blocking};
use crate::error::AppError;
use crate::pages::{Flash, Page, back_to, redirect_on_invalid, render, role_label};
use crate::state::AppState;

#[derive(Debug)]
pub struct TokenView {
    pub id: i64,
    pub label: String,
    pub created: String,
    pub revoked: bool,
}

#[derive(Template)]
#[template(path = "account.html")]
struct AccountPage {
    page: Page,
    email: String,
    role_text: String,
    tokens: Vec<TokenView>,
    new_token: String,
}

async fn account_page(
    state: &AppState,
    session: &Session,
    flash: &Flash,
    new_token: String,
) -> Result<Response, AppError> {
    let actor = session.actor().clone();
    let (user, tokens) = blocking(state, move |p| -> Result<(UserRecord, _), AppError> {
        let user = p
            .store()
            .user(actor.school_id, actor.user_id)?
            .ok_or(AppError::NotFound)?;
        Ok((user, p.tokens(&actor)?))
    })
    .await??;
    let tr = session.tr();
    render(&AccountPage {
        page: session.page("account").with_flash(flash),
        email: user.email.to_string(),
        role_text: role_label(&tr, user.role),
        tokens: tokens
            .into_iter()
            .map(|t| TokenView {
                id: t.id,
                label: t.label,
                created: Date::from_timestamp(t.created_at).to_string(),
                revoked: t.revoked,
            })
            .collect(),
        new_token,
    })
}

pub async fn show(
    State(state): State<AppState>,
    session: Session,
    Query(flash): Query<Flash>,
) -> Result<Response, AppError> {
    account_page(&state, &session, &flash, String::new()).await
}

#[derive(Deserialize)]
pub struct PasswordForm {
    csrf: String,
    current: String,
    new: String,
}

pub async fn change_password(
    State(state): State<AppState>,
    session: Session,
    Form(form): Form<PasswordForm>,
) -> Result<Response, AppError> {
    session.check_csrf(&form.csrf)?;
    let actor = session.actor().clone();
    let token = session.token.clone();
    match blocking(&state, move |p| {
        p.change_password(&actor, &token, &form.current, &form.new)
    })
    .await?
    .map_err(AppError::from)
    {
        Ok(()) => Ok(back_to("/account", "done=done-password-changed")),
        Err(err) => redirect_on_invalid("/account", err),
    }
}

#[derive(Deserialize)]
pub struct TokenForm {
    csrf: String,
    label: String,
}

/// Creates a token and shows it once; only its hash is kept.
pub async fn create_token(
    State(state): State<AppState>,
    session: Session,
    Form(form): Form<TokenForm>,
) -> Result<Response, AppError> {
    session.check_csrf(&form.csrf)?;
    let actor = session.actor().clone();
    let (token, _) = blocking(&state, move |p| p.create_token(&actor, &form.label)).await??;
    account_page(&state, &session, &Flash::default(), token).await
}

#[derive(Deserialize)]
pub struct CsrfOnly {
    csrf: String,
}

pub async fn revoke_token(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<i64>,
    Form(form): Form<CsrfOnly>,
) -> Result<Response, AppError> {
    session.check_csrf(&form.csrf)?;
    let actor = session.actor().clone();
    blocking(&state, move |p| p.revoke_token(&actor, id)).await??;
    Ok(back_to("/account", "done=done-token-revoked"))
}
