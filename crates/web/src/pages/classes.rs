//! Classes: the list, a class page with its pupils and teachers, and the CSV export.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use erbij_core::{ClassId, ClassRecord, NewPupil, Role, UserId};
use erbij_import::csv_field;
use serde::Deserialize;

use crate::auth::{Session, blocking};
use crate::error::AppError;
use crate::pages::{Flash, Page, PupilView, back_to, redirect_on_invalid, render, role_label};
use crate::state::AppState;

#[derive(Debug)]
pub struct ClassRow {
    pub id: i64,
    pub name: String,
    pub pupils: usize,
    pub archived_on: String,
}

#[derive(Template)]
#[template(path = "classes.html")]
struct ClassesPage {
    page: Page,
    classes: Vec<ClassRow>,
    archived: Vec<ClassRow>,
}

pub async fn list(
    State(state): State<AppState>,
    session: Session,
    Query(flash): Query<Flash>,
) -> Result<Response, AppError> {
    let actor = session.actor().clone();
    let lang = session.tr().lang;
    let classes = blocking(&state, move |p| -> Result<Vec<ClassRow>, AppError> {
        let mut rows = Vec::new();
        for class in p.classes(&actor)? {
            let pupils = p
                .pupils_of_class(&actor, class.id)?
                .iter()
                .filter(|p| p.left_on.is_none())
                .count();
            rows.push(ClassRow {
                id: class.id.0,
                name: class.name,
                pupils,
                archived_on: class
                    .archived_on
                    .map(|d| crate::i18n::show_date(d, lang))
                    .unwrap_or_default(),
            });
        }
        Ok(rows)
    })
    .await??;
    let (archived, classes): (Vec<_>, Vec<_>) =
        classes.into_iter().partition(|c| !c.archived_on.is_empty());
    render(&ClassesPage {
        page: session.page("classes").with_flash(&flash),
        classes,
        archived,
    })
}

#[derive(Deserialize)]
pub struct NameForm {
    csrf: String,
    name: String,
}

pub async fn create(
    State(state): State<AppState>,
    session: Session,
    Form(form): Form<NameForm>,
) -> Result<Response, AppError> {
    session.check_csrf(&form.csrf)?;
    let actor = session.actor().clone();
    match blocking(&state, move |p| p.create_class(&actor, &form.name))
        .await?
        .map_err(AppError::from)
    {
        Ok(class) => Ok(back_to(
            &format!("/classes/{}", class.id),
            "done=done-class-created",
        )),
        Err(err) => redirect_on_invalid("/classes", err),
    }
}

#[derive(Debug)]
pub struct UserView {
    pub id: i64,
    pub name: String,
    pub role: String,
}

#[derive(Template)]
#[template(path = "class.html")]
struct ClassPage {
    page: Page,
    class: ClassRecord,
    archived_on: String,
    today: String,
    current: Vec<PupilView>,
    archived: Vec<PupilView>,
    teachers: Vec<UserView>,
    candidates: Vec<UserView>,
    lessons: crate::pages::lessons::ClassPanel,
    surveys: crate::pages::surveys::SurveyPanel,
}

pub async fn show(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<i64>,
    Query(flash): Query<Flash>,
) -> Result<Response, AppError> {
    let actor = session.actor().clone();
    let tr = session.tr();
    let panel_tr = tr;
    let (class, pupils, teachers, users, lessons, surveys) =
        blocking(&state, move |p| -> Result<_, AppError> {
            let (class, pupils, teachers) = p.class_overview(&actor, ClassId(id))?;
            let users = if actor.role == Role::Administrator {
                p.users(&actor)?
            } else {
                Vec::new()
            };
            let lessons = crate::pages::lessons::class_panel(p, &actor, ClassId(id));
            let surveys = crate::pages::surveys::class_panel(p, &actor, ClassId(id), &panel_tr)?;
            Ok((class, pupils, teachers, users, lessons, surveys))
        })
        .await??;
    let view = |u: &erbij_core::UserRecord| UserView {
        id: u.id.0,
        name: u.name.clone(),
        role: role_label(&tr, u.role),
    };
    let candidates = users
        .iter()
        .filter(|u| !teachers.iter().any(|t| t.id == u.id))
        .map(view)
        .collect();
    let (archived, current): (Vec<_>, Vec<_>) = pupils
        .iter()
        .map(PupilView::from)
        .partition(|p| !p.left_on.is_empty());
    render(&ClassPage {
        page: session.page("classes").with_flash(&flash),
        archived_on: class
            .archived_on
            .map(|d| crate::i18n::show_date(d, session.tr().lang))
            .unwrap_or_default(),
        today: erbij_core::Date::from_timestamp(state.platform.now()).to_string(),
        class,
        current,
        archived,
        teachers: teachers.iter().map(view).collect(),
        candidates,
        lessons,
        surveys,
    })
}

pub async fn rename(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<i64>,
    Form(form): Form<NameForm>,
) -> Result<Response, AppError> {
    session.check_csrf(&form.csrf)?;
    let actor = session.actor().clone();
    let path = format!("/classes/{id}");
    match blocking(&state, move |p| {
        p.rename_class(&actor, ClassId(id), &form.name)
    })
    .await?
    .map_err(AppError::from)
    {
        Ok(_) => Ok(back_to(&path, "done=done-saved")),
        Err(err) => redirect_on_invalid(&path, err),
    }
}

#[derive(Deserialize)]
pub struct ArchiveForm {
    csrf: String,
    #[serde(default)]
    archived_on: String,
}

pub async fn archive(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<i64>,
    Form(form): Form<ArchiveForm>,
) -> Result<Response, AppError> {
    session.check_csrf(&form.csrf)?;
    let actor = session.actor().clone();
    let path = format!("/classes/{id}");
    match blocking(&state, move |p| {
        p.archive_class(&actor, ClassId(id), Some(&form.archived_on))
    })
    .await?
    .map_err(AppError::from)
    {
        Ok(_) => Ok(back_to(&path, "done=done-class-archived")),
        Err(err) => redirect_on_invalid(&path, err),
    }
}

pub async fn restore(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<i64>,
    Form(form): Form<CsrfOnly>,
) -> Result<Response, AppError> {
    session.check_csrf(&form.csrf)?;
    let actor = session.actor().clone();
    blocking(&state, move |p| p.restore_class(&actor, ClassId(id))).await??;
    Ok(back_to(&format!("/classes/{id}"), "done=done-saved"))
}

#[derive(Deserialize)]
pub struct PupilForm {
    pub csrf: String,
    pub given_name: String,
    #[serde(default)]
    pub infix: String,
    pub family_name: String,
    #[serde(default)]
    pub external_id: String,
    pub class_id: Option<i64>,
}

pub async fn add_pupil(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<i64>,
    Form(form): Form<PupilForm>,
) -> Result<Response, AppError> {
    session.check_csrf(&form.csrf)?;
    let actor = session.actor().clone();
    let path = format!("/classes/{id}");
    let result = blocking(&state, move |p| -> Result<_, AppError> {
        // Visibility first: an invisible class is 404 whatever the form holds.
        p.class(&actor, ClassId(id))?;
        let pupil = NewPupil::parse(
            &form.given_name,
            &form.infix,
            &form.family_name,
            &form.external_id,
        )
        .map_err(erbij_core::AccessError::from)?;
        Ok(p.create_pupil(&actor, ClassId(id), pupil)?)
    })
    .await?;
    match result {
        Ok(_) => Ok(back_to(&path, "done=done-pupil-added")),
        Err(err) => redirect_on_invalid(&path, err),
    }
}

#[derive(Deserialize)]
pub struct TeacherForm {
    csrf: String,
    user_id: i64,
}

pub async fn assign_teacher(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<i64>,
    Form(form): Form<TeacherForm>,
) -> Result<Response, AppError> {
    session.check_csrf(&form.csrf)?;
    let actor = session.actor().clone();
    blocking(&state, move |p| {
        p.assign_teacher(&actor, ClassId(id), UserId(form.user_id))
    })
    .await??;
    Ok(back_to(&format!("/classes/{id}"), "done=done-saved"))
}

#[derive(Deserialize)]
pub struct CsrfOnly {
    csrf: String,
}

pub async fn unassign_teacher(
    State(state): State<AppState>,
    session: Session,
    Path((id, user_id)): Path<(i64, i64)>,
    Form(form): Form<CsrfOnly>,
) -> Result<Response, AppError> {
    session.check_csrf(&form.csrf)?;
    let actor = session.actor().clone();
    blocking(&state, move |p| {
        p.unassign_teacher(&actor, ClassId(id), UserId(user_id))
    })
    .await??;
    Ok(back_to(&format!("/classes/{id}"), "done=done-saved"))
}

/// The class list as a `;`-separated CSV for Excel, every cell formula-escaped.
pub async fn export_csv(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let actor = session.actor().clone();
    let (class, pupils) = blocking(&state, move |p| -> Result<_, AppError> {
        let class = p.class(&actor, ClassId(id))?;
        let pupils = p.pupils_of_class(&actor, class.id)?;
        Ok((class, pupils))
    })
    .await??;
    // A BOM makes Excel read the file as UTF-8.
    let mut out =
        String::from("\u{feff}roepnaam;tussenvoegsel;achternaam;klas;stamnummer;vertrokken\r\n");
    for pupil in &pupils {
        let fields = [
            pupil.given_name.as_str(),
            pupil.infix.as_str(),
            pupil.family_name.as_str(),
            class.name.as_str(),
            pupil.external_id.as_deref().unwrap_or(""),
            &pupil.left_on.map(|d| d.to_string()).unwrap_or_default(),
        ]
        .map(csv_field);
        out.push_str(&fields.join(";"));
        out.push_str("\r\n");
    }
    let filename: String = class
        .name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"klas-{filename}.csv\""),
            ),
        ],
        out,
    )
        .into_response())
}
