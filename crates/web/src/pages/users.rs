//! Accounts of the school (administrators only).

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::response::Response;
use erbij_core::Role;
use serde::Deserialize;

use crate::auth::{Session, blocking};
use crate::error::AppError;
use crate::pages::{Flash, Page, back_to, redirect_on_invalid, render, role_label};
use crate::state::AppState;

#[derive(Debug)]
pub struct UserRow {
    pub name: String,
    pub email: String,
    pub role: String,
}

#[derive(Debug)]
pub struct RoleOption {
    pub value: &'static str,
    pub label: String,
}

/// A security event as the administrator reads it.
#[derive(Debug)]
pub struct EventRow {
    pub at: String,
    pub text: String,
}

#[derive(Template)]
#[template(path = "users.html")]
struct UsersPage {
    page: Page,
    users: Vec<UserRow>,
    roles: Vec<RoleOption>,
    events: Vec<EventRow>,
}

pub async fn list(
    State(state): State<AppState>,
    session: Session,
    Query(flash): Query<Flash>,
) -> Result<Response, AppError> {
    let actor = session.actor().clone();
    let (users, events) = blocking(&state, move |p| {
        Ok::<_, erbij_core::AccessError>((p.users(&actor)?, p.security_events(&actor)?))
    })
    .await??;
    let tr = session.tr();
    let events = events
        .iter()
        .map(|e| EventRow {
            at: erbij_core::hardening::amsterdam_time(e.at),
            text: tr.t1(
                match e.kind {
                    erbij_core::SecurityEventKind::ThrottledFromOneSource => {
                        "hardening-event-throttled-one"
                    }
                    erbij_core::SecurityEventKind::ThrottledFromManySources => {
                        "hardening-event-throttled-many"
                    }
                },
                "name",
                e.user_name.as_deref().unwrap_or("-"),
            ),
        })
        .collect();
    render(&UsersPage {
        page: session.page("users").with_flash(&flash),
        users: users
            .iter()
            .map(|u| UserRow {
                name: u.name.clone(),
                email: u.email.to_string(),
                role: role_label(&tr, u.role),
            })
            .collect(),
        roles: Role::ALL
            .iter()
            .rev()
            .map(|r| RoleOption {
                value: r.as_str(),
                label: role_label(&tr, *r),
            })
            .collect(),
        events,
    })
}

#[derive(Deserialize)]
pub struct UserForm {
    csrf: String,
    name: String,
    email: String,
    role: String,
    password: String,
}

pub async fn create(
    State(state): State<AppState>,
    session: Session,
    Form(form): Form<UserForm>,
) -> Result<Response, AppError> {
    session.check_csrf(&form.csrf)?;
    let actor = session.actor().clone();
    let result = blocking(&state, move |p| -> Result<_, AppError> {
        let role = Role::parse(&form.role).map_err(erbij_core::AccessError::from)?;
        Ok(p.add_user(&actor, &form.email, &form.name, role, &form.password)?)
    })
    .await?;
    match result {
        Ok(_) => Ok(back_to("/users", "done=done-user-created")),
        Err(err) => redirect_on_invalid("/users", err),
    }
}
