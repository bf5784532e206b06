//! The evidence of a case: the upload form (with the warning about nude images of minors
//! before anything is chosen), the files with their hashes, the findings of the chat
//! exports and downloads, the custody log for the coordinator, and the bundle export.

use askama::Template;
use axum::Form;
use axum::extract::{Multipart, Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use erbij_core::cases::{CaseId, NewStep, StepKind};
use erbij_core::evidence::{
    BundleOptions, CaseEvidence, CustodyRecord, EvidenceAct, EvidenceId, NewEvidence,
};
use erbij_core::{Date, Platform};
use serde::Deserialize;

use super::{
    FileView, FindingView, file_field, file_response, finding_views, local_time, multipart_error,
    report_language, text_field,
};
use crate::auth::{Session, blocking};
use crate::error::{AppError, ErrorMarker};
use crate::pages::{Flash, Page, back_to, render};
use crate::state::AppState;

/// One line of the custody log as the coordinator reads it.
#[derive(Debug, Clone)]
pub struct CustodyView {
    pub seq: i64,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub file: String,
    pub reason: String,
    pub hash: String,
}

#[derive(Template)]
#[template(path = "evidence_case.html")]
struct CasePage {
    page: Page,
    case_id: i64,
    pupil_name: String,
    files: Vec<FileView>,
    findings: Vec<FindingView>,
    errors: Vec<String>,
    may_export: bool,
    may_take: bool,
    custody: Option<Vec<CustodyView>>,
    today: String,
    max_mb: usize,
}

fn custody_view(tr: &crate::i18n::Tr, entry: &CustodyRecord) -> CustodyView {
    CustodyView {
        seq: entry.seq,
        at: local_time(entry.at),
        actor: entry.field("actor").unwrap_or_default(),
        action: tr.t(&format!("evidence-action-{}", entry.action)),
        file: entry.field("file").unwrap_or_default(),
        reason: entry.field("reason").unwrap_or_default(),
        hash: entry.hash.chars().take(12).collect(),
    }
}

/// `GET /cases/{id}/evidence`.
pub async fn page(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<i64>,
    axum::extract::Query(flash): axum::extract::Query<Flash>,
) -> Result<Response, AppError> {
    let actor = session.actor().clone();
    let language = report_language(session.lang);
    let (evidence, analysis, custody) = blocking(&state, move |p: &Platform| {
        let evidence: CaseEvidence = p.case_evidence(&actor, CaseId(id))?;
        let analysis = if evidence.files.iter().any(|f| f.kind.is_analysable()) {
            Some(p.analyse_case(&actor, CaseId(id), language)?)
        } else {
            None
        };
        let custody = if evidence.may(EvidenceAct::SeeCustody) {
            Some(p.case_custody(&actor, CaseId(id))?)
        } else {
            None
        };
        Ok::<_, erbij_core::evidence::EvidenceError>((evidence, analysis, custody))
    })
    .await??;
    let tr = session.tr();
    let findings = analysis
        .as_ref()
        .map(|a| finding_views(&tr, a, &evidence.files))
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
    render(&CasePage {
        page: session.page("cases").with_flash(&flash),
        case_id: id,
        pupil_name: evidence.pupil_name.clone(),
        files: evidence
            .files
            .iter()
            .map(|f| FileView::new(&tr, f))
            .collect(),
        findings,
        errors,
        may_export: evidence.may(EvidenceAct::Export),
        may_take: evidence.may(EvidenceAct::TakeFinding) && evidence.case.closing.is_none(),
        custody: custody.map(|c| c.iter().map(|e| custody_view(&tr, e)).collect()),
        today: Date::in_amsterdam(state.platform.now()).to_string(),
        max_mb: erbij_core::evidence::MAX_FILE_BYTES / (1024 * 1024),
    })
}

/// The fields of an upload (page and API).
#[derive(Debug, Default)]
pub(crate) struct UploadForm {
    pub csrf: String,
    pub evidence: NewEvidence,
    pub has_file: bool,
}

pub(crate) async fn read_upload(mut multipart: Multipart) -> Result<UploadForm, AppError> {
    let mut form = UploadForm::default();
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|e| multipart_error(&e))?
    {
        match field.name().unwrap_or_default() {
            "csrf" => form.csrf = text_field(field).await?,
            "description" => form.evidence.description = text_field(field).await?,
            "made_on" => form.evidence.made_on = text_field(field).await?,
            "handed_in_by" => form.evidence.handed_in_by = text_field(field).await?,
            "exporter" => form.evidence.exporter = text_field(field).await?,
            "corrects" => {
                let text = text_field(field).await?;
                form.evidence.corrects = text.trim().parse::<i64>().ok().map(EvidenceId);
            }
            "file" => {
                let (name, bytes) = file_field(field).await?;
                form.has_file = !bytes.is_empty() || !name.is_empty();
                form.evidence.file_name = name;
                form.evidence.bytes = bytes;
            }
            _ => {}
        }
    }
    Ok(form)
}

/// 413 with the evidence page's own explanation.
pub(crate) fn too_large() -> Response {
    let mut response = axum::http::StatusCode::PAYLOAD_TOO_LARGE.into_response();
    response.extensions_mut().insert(ErrorMarker {
        message_key: "error-evidence-too-large",
    });
    response
}

/// `POST /cases/{id}/evidence` (multipart).
pub async fn upload(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<i64>,
    multipart: Multipart,
) -> Result<Response, AppError> {
    let form = match read_upload(multipart).await {
        Ok(form) => form,
        Err(AppError::TooLarge) => return Ok(too_large()),
        Err(err) => return Err(err),
    };
    session.check_csrf(&form.csrf)?;
    let path = format!("/cases/{id}/evidence");
    if !form.has_file {
        return Ok(back_to(&path, "error=error-evidence-no-file"));
    }
    let actor = session.actor().clone();
    let added = blocking(&state, move |p| {
        p.add_evidence(&actor, CaseId(id), form.evidence)
    })
    .await?;
    match added {
        Ok(record) => Ok(crate::security::see_other(&format!(
            "{path}?done=done-evidence-uploaded#file-{}",
            record.id.0
        ))),
        Err(erbij_core::evidence::EvidenceError::TooLarge) => Ok(too_large()),
        Err(err) => match AppError::from(err) {
            AppError::BadRequest(key) => Ok(back_to(&path, &format!("error={key}"))),
            other => Err(other),
        },
    }
}

/// `GET /evidence/{id}/view`: the file in the browser (pictures, text), logged as a view.
pub async fn view(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let actor = session.actor().clone();
    let (record, bytes) = blocking(&state, move |p| {
        p.evidence_content(&actor, EvidenceId(id), EvidenceAct::View, "")
    })
    .await??;
    if record.kind == erbij_core::evidence::FileKind::ChatText {
        // A chat export as numbered lines, so a finding's link lands on its line.
        return Ok(numbered_text(&session, &record, &bytes));
    }
    Ok(file_response(&record, bytes, false))
}

#[derive(Template)]
#[template(path = "evidence_text.html")]
struct TextPage {
    page: Page,
    file_name: String,
    sha256: String,
    lines: Vec<(usize, String)>,
}

fn numbered_text(
    session: &Session,
    record: &erbij_core::evidence::EvidenceRecord,
    bytes: &[u8],
) -> Response {
    let text = String::from_utf8_lossy(bytes);
    let lines = text
        .split('\n')
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim_end_matches('\r').to_owned()))
        .collect();
    render(&TextPage {
        page: session.page("cases"),
        file_name: record.file_name.clone(),
        sha256: record.sha256.clone(),
        lines,
    })
    .unwrap_or_else(IntoResponse::into_response)
}

#[derive(Debug, Deserialize)]
pub struct DownloadForm {
    csrf: String,
    #[serde(default)]
    reason: String,
}

/// `POST /evidence/{id}/download`: the original bytes, with the reason logged.
pub async fn download(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<i64>,
    Form(form): Form<DownloadForm>,
) -> Result<Response, AppError> {
    session.check_csrf(&form.csrf)?;
    let actor = session.actor().clone();
    let check_actor = actor.clone();
    let record = blocking(&state, move |p| {
        p.evidence_record(&check_actor, EvidenceId(id), EvidenceAct::Download)
    })
    .await??
    .0;
    let back = format!(
        "/cases/{}/evidence",
        record.case_id.map(|c| c.0).unwrap_or_default()
    );
    if form.reason.trim().is_empty() {
        return Ok(back_to(&back, "error=error-evidence-reason"));
    }
    let reason = form.reason;
    let (record, bytes) = blocking(&state, move |p| {
        p.evidence_content(&actor, EvidenceId(id), EvidenceAct::Download, &reason)
    })
    .await??;
    Ok(file_response(&record, bytes, true))
}

#[derive(Debug, Deserialize)]
pub struct BundleForm {
    csrf: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    pseudonymise: Option<String>,
}

pub(crate) fn zip_response(name: &str, bytes: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, "application/zip".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                super::content_disposition(name, false),
            ),
        ],
        bytes,
    )
        .into_response()
}

/// `POST /cases/{id}/bundle`: the bundle as a zip, the export logged with its reason.
pub async fn bundle(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<i64>,
    Form(form): Form<BundleForm>,
) -> Result<Response, AppError> {
    session.check_csrf(&form.csrf)?;
    let back = format!("/cases/{id}/evidence");
    let actor = session.actor().clone();
    let check_actor = actor.clone();
    blocking(&state, move |p| {
        p.evidence_case(&check_actor, CaseId(id), EvidenceAct::Export)
    })
    .await??;
    if form.reason.trim().is_empty() {
        return Ok(back_to(&back, "error=error-evidence-reason"));
    }
    let options = BundleOptions {
        reason: form.reason,
        pseudonymise: form.pseudonymise.is_some(),
    };
    let language = report_language(session.lang);
    let (name, zip) = blocking(&state, move |p| {
        p.export_bundle(&actor, CaseId(id), &options, language)
    })
    .await??;
    Ok(zip_response(&name, zip))
}

#[derive(Debug, Deserialize)]
pub struct TakeForm {
    csrf: String,
    note: String,
}

/// `POST /cases/{id}/findings/step`: a finding taken into the case as a step
/// ("bevinding besproken").
pub async fn take_finding(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<i64>,
    Form(form): Form<TakeForm>,
) -> Result<Response, AppError> {
    session.check_csrf(&form.csrf)?;
    let actor = session.actor().clone();
    let note = form.note;
    let logged = blocking(&state, move |p| {
        p.evidence_case(&actor, CaseId(id), EvidenceAct::TakeFinding)?;
        let today = p.today();
        p.log_step(
            &actor,
            CaseId(id),
            NewStep {
                kind: StepKind::Note,
                on: today,
                pupil_ids: Vec::new(),
                note,
            },
        )
        .map_err(|err| match err {
            erbij_core::cases::CaseError::Access(access) => {
                erbij_core::evidence::EvidenceError::Access(access)
            }
            erbij_core::cases::CaseError::Invalid(key) => {
                erbij_core::evidence::EvidenceError::Invalid(key)
            }
            erbij_core::cases::CaseError::HeldOpen(_) => {
                erbij_core::evidence::EvidenceError::Invalid("error-evidence-step")
            }
        })
    })
    .await?;
    let back = format!("/cases/{id}/evidence");
    match logged {
        Ok(_) => Ok(back_to(&back, "done=done-evidence-step")),
        Err(err) => match AppError::from(err) {
            AppError::BadRequest(key) => Ok(back_to(&back, &format!("error={key}"))),
            other => Err(other),
        },
    }
}
