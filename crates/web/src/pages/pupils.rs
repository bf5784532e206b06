//! One pupil: edit names, number and class; archive with a leaving date; restore.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use erbij_core::{AccessError, ClassId, ClassRecord, Date, NewPupil, PupilId};
use serde::Deserialize;

use crate::auth::{Session, blocking};
use crate::error::AppError;
use crate::pages::classes::PupilForm;
use crate::pages::{Flash, Page, PupilView, back_to, redirect_on_invalid, render};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "pupil.html")]
struct PupilPage {
    page: Page,
    pupil: PupilView,
    class_name: String,
    classes: Vec<ClassRecord>,
    today: String,
    /// Parents' addresses, one per line, and the birth date (for letters from a case).
    parent_emails: String,
    birth_date: String,
}

pub async fn edit_form(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<i64>,
    Query(flash): Query<Flash>,
) -> Result<Response, AppError> {
    let actor = session.actor().clone();
    let (pupil, classes, (emails, birth)) = blocking(&state, move |p| -> Result<_, AppError> {
        let pupil = p.pupil(&actor, PupilId(id))?;
        // Editing is for administrators; others get 403 on a pupil they can see.
        if !actor.role.manages_school() {
            return Err(AppError::Forbidden);
        }
        p.record_pupil_view(&actor, pupil.id, erbij_core::PupilPage::Profile, None)?;
        let parents = p.pupil_parent_details(&actor, pupil.id)?;
        Ok((pupil, p.classes(&actor)?, parents))
    })
    .await??;
    let class_name = classes
        .iter()
        .find(|c| c.id == pupil.class_id)
        .map(|c| c.name.clone())
        .unwrap_or_default();
    render(&PupilPage {
        page: session.page("classes").with_flash(&flash),
        pupil: PupilView::from(&pupil),
        class_name,
        classes,
        today: Date::from_timestamp(state.platform.now()).to_string(),
        parent_emails: emails
            .iter()
            .map(|e| e.as_str())
            .collect::<Vec<_>>()
            .join("\n"),
        birth_date: birth.map(|d| d.to_string()).unwrap_or_default(),
    })
}

pub async fn update(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<i64>,
    Form(form): Form<PupilForm>,
) -> Result<Response, AppError> {
    session.check_csrf(&form.csrf)?;
    let actor = session.actor().clone();
    let path = format!("/pupils/{id}");
    let result = blocking(&state, move |p| -> Result<_, AppError> {
        p.pupil(&actor, PupilId(id))?;
        let pupil = NewPupil::parse(
            &form.given_name,
            &form.infix,
            &form.family_name,
            &form.external_id,
        )
        .map_err(AccessError::from)?;
        Ok(p.update_pupil(&actor, PupilId(id), pupil, form.class_id.map(ClassId))?)
    })
    .await?;
    match result {
        Ok(pupil) => Ok(back_to(
            &format!("/classes/{}", pupil.class_id),
            "done=done-saved",
        )),
        Err(err) => redirect_on_invalid(&path, err),
    }
}

#[derive(Deserialize)]
pub struct ArchiveForm {
    csrf: String,
    #[serde(default)]
    left_on: String,
}

pub async fn archive(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<i64>,
    Form(form): Form<ArchiveForm>,
) -> Result<Response, AppError> {
    session.check_csrf(&form.csrf)?;
    let actor = session.actor().clone();
    let path = format!("/pupils/{id}");
    match blocking(&state, move |p| {
        p.archive_pupil(&actor, PupilId(id), Some(&form.left_on))
    })
    .await?
    .map_err(AppError::from)
    {
        Ok(pupil) => Ok(back_to(
            &format!("/classes/{}", pupil.class_id),
            "done=done-archived",
        )),
        Err(err) => redirect_on_invalid(&path, err),
    }
}

#[derive(Deserialize)]
pub struct CsrfOnly {
    csrf: String,
}

pub async fn restore(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<i64>,
    Form(form): Form<CsrfOnly>,
) -> Result<Response, AppError> {
    session.check_csrf(&form.csrf)?;
    let actor = session.actor().clone();
    let pupil = blocking(&state, move |p| p.restore_pupil(&actor, PupilId(id))).await??;
    Ok(back_to(
        &format!("/classes/{}", pupil.class_id),
        "done=done-saved",
    ))
}
