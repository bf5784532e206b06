//! The case file (issue 11): cases, steps, agreements and checks, parents' letters, print view, and their JSON API.
//!
//! Handlers translate between HTTP and the use cases in `erbij_core::cases`; they never
//! decide access.

pub mod api;
mod parents;
mod views;

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use erbij_core::cases::{
    AgreementId, CaseError, CaseId, CheckOutcome, CloseOutcome, NewCase, NewCheck, NewStep, Origin,
    PersonRole, StepKind,
};
use erbij_core::{Date, PupilId, UserId};
use serde::Deserialize;

use crate::auth::{Session, blocking};
use crate::error::AppError;
use crate::pages::{Flash, Page, back_to, render};
use crate::routes::Routes;
use crate::state::AppState;

pub(crate) use views::{CaseListItem, CasePageView, DueCheckView};

/// This capability's routes (pages and `/api/v1`), registered with the others in
/// `routes.rs` so the authorization test sees them.
pub(crate) fn routes(routes: Routes) -> Routes {
    routes
        .add("/cases", &["GET", "POST"], get(list).post(create))
        .add("/cases/new", &["GET"], get(new_form))
        .add("/cases/{id}", &["GET"], get(show))
        .add("/cases/{id}/print", &["GET"], get(print))
        .add("/cases/{id}/people", &["POST"], post(add_person))
        .add("/cases/{id}/members", &["POST"], post(add_member))
        .add("/cases/{id}/steps", &["POST"], post(add_step))
        .add("/cases/{id}/agreements", &["POST"], post(add_agreement))
        .add("/agreements/{id}/checks", &["POST"], post(add_check))
        .add("/cases/{id}/close", &["POST"], post(close))
        .add("/cases/{id}/parents", &["GET"], get(parents::page))
        .add(
            "/cases/{id}/parents/talks",
            &["POST"],
            post(parents::save_talk),
        )
        .add("/cases/{id}/letters", &["POST"], post(parents::send))
        .add("/cases/{id}/letters/print", &["GET"], get(parents::print))
        .add(
            "/settings/letters",
            &["GET", "POST"],
            get(parents::settings).post(parents::save_template),
        )
        .add(
            "/settings/school-type",
            &["POST"],
            post(parents::save_school_kind),
        )
        .add(
            "/pupils/{id}/parents",
            &["POST"],
            post(parents::save_pupil_parents),
        )
        .add(
            "/api/v1/cases",
            &["GET", "POST"],
            get(api::list_cases).post(api::create_case),
        )
        .add("/api/v1/cases/{id}", &["GET"], get(api::get_case))
        .add(
            "/api/v1/cases/{id}/people",
            &["POST"],
            post(api::add_person),
        )
        .add("/api/v1/cases/{id}/steps", &["POST"], post(api::add_step))
        .add(
            "/api/v1/cases/{id}/agreements",
            &["POST"],
            post(api::add_agreement),
        )
        .add(
            "/api/v1/agreements/{id}/checks",
            &["POST"],
            post(api::add_check),
        )
        .add("/api/v1/cases/{id}/close", &["POST"], post(api::close_case))
}

#[derive(Template)]
#[template(path = "cases_list.html")]
struct ListPage {
    page: Page,
    cases: Vec<CaseListItem>,
    may_open: bool,
    /// "Aandacht nodig": pupils the early-warning rules flag, without an open case.
    attention: Vec<AttentionItem>,
}

/// A pupil on the early-warning list, with the reason and the signal to open a case from.
#[derive(Debug, Clone)]
pub struct AttentionItem {
    pub pupil_id: i64,
    pub name: String,
    pub class_name: String,
    pub reason: String,
    pub signal_ref: String,
}

pub async fn list(
    State(state): State<AppState>,
    session: Session,
    Query(flash): Query<Flash>,
) -> Result<Response, AppError> {
    let actor = session.actor().clone();
    let english = session.lang == crate::i18n::Lang::En;
    let (cases, attention) = blocking(&state, move |p| -> Result<_, AppError> {
        let cases = p.cases(&actor)?;
        // The list is for those who may see it; for others (the administrator) it is empty.
        let entries = p.early_warning(&actor).unwrap_or_default();
        let mut attention = Vec::new();
        if !entries.is_empty() {
            let pupils = p.pupils_for_early_warning(&actor)?;
            let classes = p.classes(&actor)?;
            for entry in entries {
                let Some(pupil) = pupils.get(&entry.pupil_id) else {
                    continue;
                };
                attention.push(AttentionItem {
                    pupil_id: pupil.id.0,
                    name: pupil.full_name(),
                    class_name: classes
                        .iter()
                        .find(|c| c.id == entry.class_id)
                        .map(|c| c.name.clone())
                        .unwrap_or_default(),
                    reason: if english {
                        entry.reason_en
                    } else {
                        entry.reason_nl
                    },
                    signal_ref: entry
                        .signals
                        .last()
                        .map(|s| s.0.to_string())
                        .unwrap_or_default(),
                });
            }
        }
        Ok((cases, attention))
    })
    .await??;
    let tr = session.tr();
    render(&ListPage {
        attention,
        cases: cases.iter().map(|c| CaseListItem::new(&tr, c)).collect(),
        may_open: session.actor().role != erbij_core::Role::Administrator,
        page: session.page("cases").with_flash(&flash),
    })
}

#[derive(Debug, Deserialize, Default)]
pub struct NewQuery {
    #[serde(default)]
    pupil: Option<i64>,
    #[serde(default)]
    origin: Option<String>,
    #[serde(rename = "ref", default)]
    origin_ref: Option<i64>,
    #[serde(default)]
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "cases_new.html")]
struct NewPage {
    page: Page,
    pupil_id: i64,
    pupil_name: String,
    origin: String,
    origin_ref: String,
    origin_label: String,
    choices: Vec<(String, Vec<(i64, String)>)>,
    /// Open cases of this pupil the actor may see (a warning, not a block).
    existing: Vec<i64>,
    /// The pupil has an open case the actor cannot see.
    existing_hidden: bool,
}

pub async fn new_form(
    State(state): State<AppState>,
    session: Session,
    Query(query): Query<NewQuery>,
) -> Result<Response, AppError> {
    let actor = session.actor().clone();
    if actor.role == erbij_core::Role::Administrator {
        return Err(AppError::Forbidden);
    }
    let wanted = query.pupil;
    let (pupil, classes, existing, existing_hidden) =
        blocking(&state, move |p| -> Result<_, AppError> {
            let pupil = match wanted {
                Some(id) => Some(p.pupil(&actor, PupilId(id))?),
                None => None,
            };
            let mut existing = Vec::new();
            let mut existing_hidden = false;
            if let Some(pupil) = &pupil {
                existing = p
                    .cases(&actor)?
                    .into_iter()
                    .filter(|c| c.case.pupil_id == pupil.id && c.case.closing.is_none())
                    .map(|c| c.case.id.0)
                    .collect();
                existing_hidden =
                    existing.is_empty() && p.pupils_with_open_case(&actor)?.contains(&pupil.id);
            }
            let mut classes = Vec::new();
            if pupil.is_none() {
                for class in p.classes(&actor)? {
                    if class.archived_on.is_some() {
                        continue;
                    }
                    let pupils = p
                        .pupils_of_class(&actor, class.id)?
                        .into_iter()
                        .filter(|x| x.left_on.is_none())
                        .map(|x| (x.id.0, x.sort_name()))
                        .collect();
                    classes.push((class.name, pupils));
                }
            }
            Ok((pupil, classes, existing, existing_hidden))
        })
        .await??;
    let tr = session.tr();
    let origin = query
        .origin
        .as_deref()
        .and_then(Origin::parse)
        .unwrap_or(Origin::Other);
    let flash = Flash {
        done: None,
        error: query.error.clone(),
    };
    render(&NewPage {
        pupil_id: pupil.as_ref().map_or(0, |p| p.id.0),
        pupil_name: pupil.as_ref().map(|p| p.full_name()).unwrap_or_default(),
        origin: origin.as_str().to_string(),
        origin_ref: query.origin_ref.map(|r| r.to_string()).unwrap_or_default(),
        origin_label: tr.t(&format!(
            "case-origin-{}",
            origin.as_str().replace('_', "-")
        )),
        choices: classes,
        existing,
        existing_hidden,
        page: session.page("cases").with_flash(&flash),
    })
}

#[derive(Debug, Deserialize)]
pub struct CreateForm {
    csrf: String,
    pupil_id: i64,
    #[serde(default)]
    origin: String,
    #[serde(default)]
    origin_ref: String,
    #[serde(default)]
    summary: String,
}

pub async fn create(
    State(state): State<AppState>,
    session: Session,
    Form(form): Form<CreateForm>,
) -> Result<Response, AppError> {
    session.check_csrf(&form.csrf)?;
    let actor = session.actor().clone();
    let origin = Origin::parse(&form.origin).unwrap_or(Origin::Other);
    let origin_ref = form.origin_ref.trim().parse::<i64>().ok();
    let back = format!(
        "/cases/new?pupil={}&origin={}{}",
        form.pupil_id,
        origin.as_str(),
        origin_ref.map(|r| format!("&ref={r}")).unwrap_or_default()
    );
    let result = blocking(&state, move |p| {
        p.open_case(
            &actor,
            NewCase {
                pupil_id: PupilId(form.pupil_id),
                origin,
                origin_ref,
                summary: form.summary,
                owner_id: None,
            },
        )
    })
    .await?;
    match result {
        Ok(case) => Ok(back_to(
            &format!("/cases/{}", case.id),
            "done=done-case-opened",
        )),
        Err(CaseError::Invalid(key)) => Ok(back_to(&back, &format!("error={key}"))),
        Err(err) => Err(api::case_error(err)),
    }
}

#[derive(Template)]
#[template(path = "cases_case.html")]
struct CasePage {
    page: Page,
    view: CasePageView,
    /// How many evidence files the case holds (the list is on the evidence page).
    evidence_files: usize,
}

pub async fn show(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<i64>,
    Query(flash): Query<Flash>,
) -> Result<Response, AppError> {
    let actor = session.actor().clone();
    let (file, members, pupils, contacts, evidence_files) =
        blocking(&state, move |p| -> Result<_, AppError> {
            let file = p.open_case_file(&actor, CaseId(id))?;
            let members = p.case_member_candidates(&actor, CaseId(id))?;
            let pupils = p.case_pupil_choices(&actor, CaseId(id))?;
            let contacts = p.store().users(actor.school_id)?;
            let evidence_files = p.case_evidence(&actor, CaseId(id))?.files.len();
            Ok((file, members, pupils, contacts, evidence_files))
        })
        .await??;
    let tr = session.tr();
    let today = Date::in_amsterdam(state.platform.now());
    render(&CasePage {
        evidence_files,
        view: CasePageView::new(&tr, &file, &members, &pupils, &contacts, today),
        page: session.page("cases").with_flash(&flash),
    })
}

#[derive(Template)]
#[template(path = "cases_print.html")]
struct PrintPage {
    page: Page,
    view: CasePageView,
    printed_on: String,
    /// The evidence list (issue 12): every file with its SHA-256 in full.
    files: Vec<crate::pages::evidence::FileView>,
    /// The findings of the case's chat exports and downloads, with their quoted lines.
    findings: Vec<crate::pages::evidence::FindingView>,
    /// Files the analysis could not read, in words.
    errors: Vec<String>,
}

/// The reason the print view's custody entries give for decrypting a file.
const PRINT_REASON: &str = "afdrukweergave van het dossier";

/// `GET /cases/{id}/print`: the whole case on A4 for a meeting with parents or the
/// board. An opening like the case page (the access log); the findings are computed from
/// the files, so each chat export or download read for them is a custody `view` entry.
/// The file list shows hashes, never the files, so a print is not a download.
pub async fn print(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let actor = session.actor().clone();
    let language = crate::pages::evidence::report_language(session.lang);
    let (file, evidence, analysis) = blocking(&state, move |p| -> Result<_, AppError> {
        let file = p.open_case_file(&actor, CaseId(id))?;
        let evidence = p.case_evidence(&actor, CaseId(id))?;
        let analysis = if evidence.files.iter().any(|f| f.kind.is_analysable()) {
            Some(p.analyse_case_because(&actor, CaseId(id), language, PRINT_REASON)?)
        } else {
            None
        };
        Ok((file, evidence, analysis))
    })
    .await??;
    let tr = session.tr();
    let today = Date::in_amsterdam(state.platform.now());
    let findings = analysis
        .as_ref()
        .map(|a| crate::pages::evidence::finding_views(&tr, a, &evidence.files))
        .unwrap_or_default();
    let errors = analysis
        .as_ref()
        .map(|a| {
            a.analysis
                .errors
                .iter()
                .map(|e| e.message.clone())
                .collect()
        })
        .unwrap_or_default();
    render(&PrintPage {
        view: CasePageView::new(&tr, &file, &[], &[], &[], today),
        printed_on: today.dutch(),
        files: evidence
            .files
            .iter()
            .map(|f| crate::pages::evidence::FileView::new(&tr, f))
            .collect(),
        findings,
        errors,
        page: session.page("cases"),
    })
}

/// Runs a form's use case and returns to the case page with a message; refused input goes
/// back with the reason.
async fn case_form<T: Send + 'static>(
    state: &AppState,
    session: &Session,
    case_path: String,
    anchor: &str,
    done: &str,
    f: impl FnOnce(&erbij_core::Platform, &erbij_core::Actor) -> Result<T, CaseError> + Send + 'static,
) -> Result<Response, AppError> {
    let actor = session.actor().clone();
    match blocking(state, move |p| f(p, &actor)).await? {
        Ok(_) => Ok(back_to(&case_path, &format!("done={done}{anchor}"))),
        Err(CaseError::Invalid(key)) => Ok(back_to(&case_path, &format!("error={key}{anchor}"))),
        Err(CaseError::HeldOpen(_)) => Ok(back_to(
            &case_path,
            &format!("error=error-case-held-open{anchor}"),
        )),
        Err(err) => Err(api::case_error(err)),
    }
}

fn form_date(raw: &str) -> Result<Date, CaseError> {
    Date::parse(raw).map_err(|_| CaseError::Invalid("error-invalid-date"))
}

fn pupil_list(raw: &[String]) -> Vec<PupilId> {
    raw.iter()
        .filter_map(|v| v.trim().parse::<i64>().ok())
        .map(PupilId)
        .collect()
}

#[derive(Debug, Deserialize)]
pub struct PersonForm {
    csrf: String,
    #[serde(default)]
    pupil_id: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    role: String,
}

pub async fn add_person(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<i64>,
    Form(form): Form<PersonForm>,
) -> Result<Response, AppError> {
    session.check_csrf(&form.csrf)?;
    case_form(
        &state,
        &session,
        format!("/cases/{id}"),
        "#people",
        "done-saved",
        move |p, actor| {
            let role =
                PersonRole::parse(&form.role).ok_or(CaseError::Invalid("error-case-role"))?;
            let pupil = form.pupil_id.trim().parse::<i64>().ok().map(PupilId);
            p.add_case_person(actor, CaseId(id), pupil, &form.name, role)
        },
    )
    .await
}

#[derive(Debug, Deserialize)]
pub struct MemberForm {
    csrf: String,
    #[serde(default)]
    user_id: String,
}

pub async fn add_member(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<i64>,
    Form(form): Form<MemberForm>,
) -> Result<Response, AppError> {
    session.check_csrf(&form.csrf)?;
    case_form(
        &state,
        &session,
        format!("/cases/{id}"),
        "#members",
        "done-saved",
        move |p, actor| {
            let user = form
                .user_id
                .trim()
                .parse::<i64>()
                .map_err(|_| CaseError::Invalid("error-case-unknown-user"))?;
            p.add_case_member(actor, CaseId(id), UserId(user))
        },
    )
    .await
}

// Forms with checkboxes send repeated `pupil_ids` fields: such forms are read as pairs.
fn field(pairs: &[(String, String)], name: &str) -> String {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.clone())
        .unwrap_or_default()
}

fn fields(pairs: &[(String, String)], name: &str) -> Vec<String> {
    pairs
        .iter()
        .filter(|(k, _)| k == name)
        .map(|(_, v)| v.clone())
        .collect()
}

pub async fn add_step(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    session.check_csrf(&field(&pairs, "csrf"))?;
    case_form(
        &state,
        &session,
        format!("/cases/{id}"),
        "#steps",
        "done-case-step-saved",
        move |p, actor| {
            let kind = StepKind::parse(&field(&pairs, "kind"))
                .ok_or(CaseError::Invalid("error-case-step-kind"))?;
            let mut note = field(&pairs, "note");
            let referral = field(&pairs, "referral_to");
            if kind == StepKind::Referral && !referral.trim().is_empty() {
                note = format!("{}: {}", referral.trim(), note.trim());
            }
            p.log_step(
                actor,
                CaseId(id),
                NewStep {
                    kind,
                    on: form_date(&field(&pairs, "on"))?,
                    pupil_ids: pupil_list(&fields(&pairs, "pupil_ids")),
                    note,
                },
            )
        },
    )
    .await
}

pub async fn add_agreement(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    session.check_csrf(&field(&pairs, "csrf"))?;
    case_form(
        &state,
        &session,
        format!("/cases/{id}"),
        "#agreements",
        "done-case-agreement-saved",
        move |p, actor| {
            p.add_agreement(
                actor,
                CaseId(id),
                &field(&pairs, "text"),
                &pupil_list(&fields(&pairs, "pupil_ids")),
                form_date(&field(&pairs, "check_on"))?,
            )
        },
    )
    .await
}

#[derive(Debug, Deserialize)]
pub struct CheckForm {
    csrf: String,
    #[serde(default)]
    case_id: i64,
    #[serde(default)]
    on: String,
    #[serde(default)]
    outcome: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    next_check_on: String,
}

pub async fn add_check(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<i64>,
    Form(form): Form<CheckForm>,
) -> Result<Response, AppError> {
    session.check_csrf(&form.csrf)?;
    let actor = session.actor().clone();
    // The case page to return to: looked up, so a wrong `case_id` field cannot mislead.
    let case_id = blocking(&state, move |p| {
        p.store()
            .agreement(actor.school_id, AgreementId(id))
            .map(|a| a.map(|a| a.case_id))
    })
    .await??
    .map_or(form.case_id, |c| c.0);
    case_form(
        &state,
        &session,
        format!("/cases/{case_id}"),
        &format!("#agreement-{id}"),
        "done-case-check-saved",
        move |p, actor| {
            let outcome = CheckOutcome::parse(&form.outcome)
                .ok_or(CaseError::Invalid("error-case-outcome"))?;
            let next_check_on = match form.next_check_on.trim() {
                "" => None,
                raw => Some(form_date(raw)?),
            };
            p.check_agreement(
                actor,
                AgreementId(id),
                NewCheck {
                    on: form_date(&form.on)?,
                    outcome,
                    note: form.note,
                    next_check_on,
                },
            )
        },
    )
    .await
}

#[derive(Debug, Deserialize)]
pub struct CloseForm {
    csrf: String,
    #[serde(default)]
    outcome: String,
    #[serde(default)]
    note: String,
}

pub async fn close(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<i64>,
    Form(form): Form<CloseForm>,
) -> Result<Response, AppError> {
    session.check_csrf(&form.csrf)?;
    case_form(
        &state,
        &session,
        format!("/cases/{id}"),
        "#close",
        "done-case-closed",
        move |p, actor| {
            let outcome = CloseOutcome::parse(&form.outcome)
                .ok_or(CaseError::Invalid("error-case-close-outcome"))?;
            p.close_case(actor, CaseId(id), outcome, &form.note)
        },
    )
    .await
}
