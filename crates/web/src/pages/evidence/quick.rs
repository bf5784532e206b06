//! A quick look from the class page: chat exports or downloads analysed with the class as
//! the roster, nothing stored. The files wait in this process's memory for half an hour so
//! the teacher can still save them to a case; then they are forgotten.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use askama::Template;
use axum::Form;
use axum::extract::{Multipart, Path, State};
use axum::response::Response;
use erbij_core::cases::CaseId;
use erbij_core::evidence::{AnalysedFile, NewEvidence};
use erbij_core::{ClassId, SchoolId, UserId, new_secret_token};
use serde::Deserialize;

use super::{FindingView, file_field, finding_views, multipart_error, report_language, text_field};
use crate::auth::{Session, blocking};
use crate::error::AppError;
use crate::pages::{Page, back_to, render};
use crate::state::AppState;

const KEEP_FOR: Duration = Duration::from_secs(30 * 60);
/// All waiting quick looks together hold at most this much.
const MAX_PENDING_BYTES: usize = 200 * 1024 * 1024;
/// Files in one quick look.
const MAX_FILES: usize = 10;

struct Pending {
    school: SchoolId,
    user: UserId,
    class: ClassId,
    files: Vec<AnalysedFile>,
    created: Instant,
}

fn pending() -> &'static Mutex<HashMap<String, Pending>> {
    static PENDING: OnceLock<Mutex<HashMap<String, Pending>>> = OnceLock::new();
    PENDING.get_or_init(Mutex::default)
}

fn remember(id: String, entry: Pending) {
    let mut map = pending()
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    map.retain(|_, p| p.created.elapsed() < KEEP_FOR);
    let size = |p: &Pending| p.files.iter().map(|f| f.bytes.len()).sum::<usize>();
    let incoming = size(&entry);
    while map.values().map(size).sum::<usize>() + incoming > MAX_PENDING_BYTES {
        let Some(oldest) = map
            .iter()
            .min_by_key(|(_, p)| p.created)
            .map(|(k, _)| k.clone())
        else {
            break;
        };
        map.remove(&oldest);
    }
    map.insert(id, entry);
}

#[derive(Debug, Clone)]
pub struct CaseChoice {
    pub id: i64,
    pub label: String,
}

#[derive(Template)]
#[template(path = "evidence_quick.html")]
struct QuickPage {
    page: Page,
    class_id: i64,
    class_name: String,
    analysed: bool,
    files: Vec<String>,
    findings: Vec<FindingView>,
    errors: Vec<String>,
    pending_id: String,
    cases: Vec<CaseChoice>,
    max_mb: usize,
}

fn quick_page(session: &Session, class_id: i64, class_name: String) -> QuickPage {
    QuickPage {
        page: session.page("classes"),
        class_id,
        class_name,
        analysed: false,
        files: Vec::new(),
        findings: Vec::new(),
        errors: Vec::new(),
        pending_id: String::new(),
        cases: Vec::new(),
        max_mb: erbij_core::evidence::MAX_FILE_BYTES / (1024 * 1024),
    }
}

/// `GET /classes/{id}/quick-look`.
pub async fn form(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let actor = session.actor().clone();
    let language = report_language(session.lang);
    let class = blocking(&state, move |p| {
        p.quick_look(&actor, ClassId(id), &[], language)?;
        p.class(&actor, ClassId(id))
    })
    .await??;
    render(&quick_page(&session, id, class.name))
}

/// `POST /classes/{id}/quick-look` (multipart): the findings, nothing stored.
pub async fn analyse(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<i64>,
    mut multipart: Multipart,
) -> Result<Response, AppError> {
    let mut csrf = String::new();
    let mut exporter = String::new();
    let mut files = Vec::new();
    let mut total = 0usize;
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|e| multipart_error(&e))?
    {
        match field.name().unwrap_or_default() {
            "csrf" => csrf = text_field(field).await?,
            "exporter" => exporter = text_field(field).await?,
            "file" => {
                let (name, bytes) = match file_field(field).await {
                    Ok(file) => file,
                    Err(AppError::TooLarge) => return Ok(super::case::too_large()),
                    Err(err) => return Err(err),
                };
                total += bytes.len();
                if total > erbij_core::evidence::MAX_FILE_BYTES {
                    return Ok(super::case::too_large());
                }
                if !bytes.is_empty() && files.len() < MAX_FILES {
                    files.push((name, bytes));
                }
            }
            _ => {}
        }
    }
    session.check_csrf(&csrf)?;
    let path = format!("/classes/{id}/quick-look");
    if files.is_empty() {
        return Ok(back_to(&path, "error=error-evidence-no-file"));
    }
    let exporter = exporter.trim().to_owned();
    let inputs: Vec<AnalysedFile> = files
        .into_iter()
        .map(|(name, bytes)| AnalysedFile {
            name: erbij_core::evidence::clean_file_name(&name),
            bytes,
            exporter: (!exporter.is_empty()).then(|| exporter.clone()),
            evidence: None,
        })
        .collect();
    let actor = session.actor().clone();
    let language = report_language(session.lang);
    let run_inputs = inputs.clone();
    let (class, result, cases) = blocking(&state, move |p| {
        let result = p.quick_look(&actor, ClassId(id), &run_inputs, language)?;
        let class = p.class(&actor, ClassId(id))?;
        // Cases the teacher works in about pupils of this class, to save the files to.
        let cases: Vec<CaseChoice> = p
            .cases(&actor)
            .unwrap_or_default()
            .into_iter()
            .filter(|c| c.case.closing.is_none())
            .filter(|c| {
                c.pupil
                    .as_ref()
                    .is_some_and(|pupil| pupil.class_id == ClassId(id))
            })
            .map(|c| CaseChoice {
                id: c.case.id.0,
                label: format!(
                    "{} · {}",
                    c.pupil.map(|pupil| pupil.full_name()).unwrap_or_default(),
                    c.case.summary.chars().take(60).collect::<String>()
                ),
            })
            .collect();
        Ok::<_, erbij_core::AccessError>((class, result, cases))
    })
    .await??;
    let tr = session.tr();
    let pending_id = new_secret_token().map_err(|e| AppError::Internal(e.to_string()))?;
    let names = inputs.iter().map(|f| f.name.clone()).collect();
    remember(
        pending_id.clone(),
        Pending {
            school: session.actor().school_id,
            user: session.actor().user_id,
            class: ClassId(id),
            files: inputs,
            created: Instant::now(),
        },
    );
    let mut page = quick_page(&session, id, class.name);
    page.analysed = true;
    page.files = names;
    page.findings = finding_views(&tr, &result, &[]);
    page.errors = result
        .analysis
        .errors
        .iter()
        .map(|e| e.message.clone())
        .collect();
    page.pending_id = pending_id;
    page.cases = cases;
    render(&page)
}

#[derive(Debug, Deserialize)]
pub struct SaveForm {
    csrf: String,
    pending_id: String,
    case_id: i64,
    #[serde(default)]
    handed_in_by: String,
}

/// `POST /classes/{id}/quick-look/save`: the waiting files go into a case as evidence.
pub async fn save(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<i64>,
    Form(form): Form<SaveForm>,
) -> Result<Response, AppError> {
    session.check_csrf(&form.csrf)?;
    let actor = session.actor().clone();
    let check = actor.clone();
    let language = report_language(session.lang);
    blocking(&state, move |p| {
        p.quick_look(&check, ClassId(id), &[], language)
    })
    .await??;
    let entry = {
        let mut map = pending()
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        match map.get(&form.pending_id) {
            Some(p)
                if p.school == actor.school_id
                    && p.user == actor.user_id
                    && p.class == ClassId(id)
                    && p.created.elapsed() < KEEP_FOR =>
            {
                map.remove(&form.pending_id)
            }
            _ => None,
        }
    };
    let Some(entry) = entry else {
        return Ok(back_to(
            &format!("/classes/{id}/quick-look"),
            "error=error-evidence-quick-gone",
        ));
    };
    let case = CaseId(form.case_id);
    let handed_in_by = form.handed_in_by;
    let saved = blocking(&state, move |p| {
        for file in entry.files {
            p.add_evidence(
                &actor,
                case,
                NewEvidence {
                    file_name: file.name,
                    bytes: file.bytes,
                    handed_in_by: handed_in_by.clone(),
                    exporter: file.exporter.unwrap_or_default(),
                    description: String::new(),
                    made_on: String::new(),
                    corrects: None,
                },
            )?;
        }
        Ok::<_, erbij_core::evidence::EvidenceError>(())
    })
    .await?;
    match saved {
        Ok(()) => Ok(back_to(
            &format!("/cases/{}/evidence", case.0),
            "done=done-evidence-saved",
        )),
        Err(err) => match AppError::from(err) {
            AppError::BadRequest(key) => Ok(back_to(
                &format!("/classes/{id}/quick-look"),
                &format!("error={key}"),
            )),
            other => Err(other),
        },
    }
}
