//! Evidence (issue 12): uploads into the encrypted vault, custody log, bundle export, chat
//! analysis in the case and as a quick look from the class page, the pupils' report page
//! (Meld het) with the coordinator's side of it, and their JSON API.
//!
//! Handlers translate between HTTP and the use cases in `erbij_core::evidence`; they never
//! decide access.

mod api;
mod case;
mod quick;
pub(crate) mod reports;

use axum::extract::DefaultBodyLimit;
use axum::extract::multipart::{Field, MultipartError};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use erbij_core::evidence::{
    CaseAnalysis, EvidenceError, EvidenceId, EvidenceRecord, ReportLanguage,
};

use crate::error::AppError;
use crate::i18n::{Lang, Tr};
use crate::routes::Routes;

/// Bodies that carry one evidence file: the file limit and room for the form's fields.
pub const EVIDENCE_BODY_LIMIT: usize = erbij_core::evidence::MAX_FILE_BYTES + 256 * 1024;

/// This capability's routes (pages and `/api/v1`), registered with the others in
/// `routes.rs` so the authorization test sees them.
pub(crate) fn routes(routes: Routes) -> Routes {
    let upload = DefaultBodyLimit::max(EVIDENCE_BODY_LIMIT);
    routes
        .add(
            "/cases/{id}/evidence",
            &["GET", "POST"],
            get(case::page).post(case::upload).layer(upload),
        )
        .add("/cases/{id}/bundle", &["POST"], post(case::bundle))
        .add(
            "/cases/{id}/findings/step",
            &["POST"],
            post(case::take_finding),
        )
        .add("/evidence/{id}/view", &["GET"], get(case::view))
        .add("/evidence/{id}/download", &["POST"], post(case::download))
        .add(
            "/classes/{id}/quick-look",
            &["GET", "POST"],
            get(quick::form).post(quick::analyse).layer(upload),
        )
        .add(
            "/classes/{id}/quick-look/save",
            &["POST"],
            post(quick::save),
        )
        .add("/reports", &["GET"], get(reports::list))
        .add("/reports/poster", &["GET"], get(reports::poster))
        .add("/reports/{id}", &["GET"], get(reports::show))
        .add(
            "/reports/{id}/files/{file_id}",
            &["GET"],
            get(reports::file),
        )
        .add("/reports/{id}/case", &["POST"], post(reports::open_case))
        .add(
            "/m/{school_code}",
            &["GET", "POST"],
            // A monitor code (ten characters) is the yearly monitor's questionnaire.
            get(super::surveys::monitor::code_get)
                .post(super::surveys::monitor::code_post)
                .layer(upload),
        )
        .add(
            "/api/v1/cases/{id}/evidence",
            &["GET", "POST"],
            get(api::list).post(api::upload).layer(upload),
        )
        .add("/api/v1/cases/{id}/findings", &["GET"], get(api::findings))
        .add("/api/v1/cases/{id}/bundle", &["GET"], get(api::bundle))
        .add("/api/v1/evidence/{id}/content", &["GET"], get(api::content))
        .add(
            "/api/v1/reports/{school_code}",
            &["POST"],
            post(api::report).layer(upload),
        )
}

/// Whether a path takes an evidence file (its 413 explains the evidence limit).
pub(crate) fn is_upload_path(path: &str) -> bool {
    path.starts_with("/m/")
        || path.starts_with("/api/v1/reports/")
        || path.ends_with("/evidence")
        || path.ends_with("/quick-look")
}

pub(crate) fn report_language(lang: Lang) -> ReportLanguage {
    match lang {
        Lang::Nl => ReportLanguage::Dutch,
        Lang::En => ReportLanguage::English,
    }
}

pub(crate) fn multipart_error(err: &MultipartError) -> AppError {
    if err.status() == StatusCode::PAYLOAD_TOO_LARGE {
        AppError::TooLarge
    } else {
        AppError::BadRequest("error-bad-request")
    }
}

/// Reads a text field, bounded (form fields are short).
pub(crate) async fn text_field(field: Field<'_>) -> Result<String, AppError> {
    let bytes = field.bytes().await.map_err(|e| multipart_error(&e))?;
    if bytes.len() > 64 * 1024 {
        return Err(AppError::TooLarge);
    }
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// Reads a file field, refusing more than the evidence limit.
pub(crate) async fn file_field(mut field: Field<'_>) -> Result<(String, Vec<u8>), AppError> {
    let name = field.file_name().unwrap_or_default().to_owned();
    let mut bytes = Vec::new();
    while let Some(chunk) = field.chunk().await.map_err(|e| multipart_error(&e))? {
        if bytes.len() + chunk.len() > erbij_core::evidence::MAX_FILE_BYTES {
            return Err(AppError::TooLarge);
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok((name, bytes))
}

impl From<EvidenceError> for AppError {
    fn from(err: EvidenceError) -> Self {
        match err {
            EvidenceError::Access(access) => AppError::from(access),
            EvidenceError::Invalid(key) => AppError::BadRequest(key),
            EvidenceError::TooLarge => AppError::TooLarge,
            EvidenceError::CaseFull => AppError::BadRequest("error-evidence-case-full"),
            EvidenceError::Vault(vault) => AppError::Internal(vault.to_string()),
        }
    }
}

/// The bytes of a file as a response: inline only for pictures and plain text, never as
/// something a browser would run (sandboxed, no sniffing); everything else as a download.
pub(crate) fn file_response(record: &EvidenceRecord, bytes: Vec<u8>, download: bool) -> Response {
    use erbij_core::evidence::FileKind;
    let inline = !download
        && matches!(
            record.kind,
            FileKind::Png | FileKind::Jpeg | FileKind::ChatText | FileKind::Email | FileKind::Json
        );
    let media = match record.kind {
        // Shown as text, never interpreted.
        FileKind::Email | FileKind::Json if inline => "text/plain; charset=utf-8",
        kind => kind.media_type(),
    };
    let disposition = content_disposition(&record.file_name, inline);
    let mut response = (
        [
            (header::CONTENT_TYPE, media.to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    )
        .into_response();
    response.headers_mut().insert(
        "x-evidence-sha256",
        header::HeaderValue::from_str(&record.sha256)
            .unwrap_or(header::HeaderValue::from_static("")),
    );
    response.extensions_mut().insert(SandboxedContent);
    response
}

/// Marks a response whose body is a pupil's file: the CSP gets `sandbox`.
#[derive(Debug, Clone, Copy)]
pub struct SandboxedContent;

/// `attachment; filename="..."; filename*=UTF-8''...` with the name made header-safe.
pub(crate) fn content_disposition(name: &str, inline: bool) -> String {
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let mut encoded = String::new();
    for byte in name.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            encoded.push(char::from(byte));
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    format!(
        "{}; filename=\"{ascii}\"; filename*=UTF-8''{encoded}",
        if inline { "inline" } else { "attachment" }
    )
}

/// A quoted line of a finding, linked to its file and line.
#[derive(Debug, Clone)]
pub struct QuoteView {
    pub file_name: String,
    pub href: String,
    pub line: String,
    pub text: String,
}

/// One finding as the pages show it, from the JSON `erbij analyze` writes.
#[derive(Debug, Clone)]
pub struct FindingView {
    pub kind: String,
    pub kind_label: String,
    pub subject: String,
    pub actors: String,
    pub at: String,
    pub confidence: String,
    pub confidence_label: String,
    pub confidence_reason: String,
    pub explanation: String,
    pub quotes: Vec<QuoteView>,
    /// The step note when a teacher takes it into the case.
    pub step_note: String,
}

fn text_of(value: &serde_json::Value, key: &str) -> String {
    value
        .get(key)
        .and_then(serde_json::Value::as_str)
        .unwrap_or_default()
        .to_owned()
}

/// Findings with their quotes linked to the files they come from (`/evidence/{id}/view`
/// in a case; without a case, the file name only).
pub(crate) fn finding_views(
    tr: &Tr,
    result: &CaseAnalysis,
    files: &[EvidenceRecord],
) -> Vec<FindingView> {
    let findings = erbij_core::evidence::findings_json(&result.analysis, report_language(tr.lang));
    let file_of = |id: Option<EvidenceId>| id.and_then(|id| files.iter().find(|f| f.id == id));
    findings
        .iter()
        .map(|f| {
            let kind = text_of(f, "kind");
            let quotes: Vec<QuoteView> = f
                .get("evidence")
                .and_then(serde_json::Value::as_array)
                .map(|items| {
                    items
                        .iter()
                        .map(|e| {
                            let (index, list) =
                                match e.get("chat").and_then(serde_json::Value::as_u64) {
                                    Some(chat) => (chat as usize, &result.chat_files),
                                    None => (
                                        e.get("download")
                                            .and_then(serde_json::Value::as_u64)
                                            .unwrap_or(0)
                                            as usize,
                                        &result.download_files,
                                    ),
                                };
                            let evidence = list.get(index).copied().flatten();
                            let file = file_of(evidence);
                            let name = file.map(|f| f.file_name.clone()).unwrap_or_else(|| {
                                if e.get("chat").is_some() {
                                    result
                                        .analysis
                                        .chats
                                        .get(index)
                                        .map(|c| c.file.clone())
                                        .unwrap_or_default()
                                } else {
                                    result
                                        .analysis
                                        .downloads
                                        .get(index)
                                        .map(|d| d.file.clone())
                                        .unwrap_or_default()
                                }
                            });
                            let line = e
                                .get("line")
                                .and_then(serde_json::Value::as_u64)
                                .map(|l| l.to_string())
                                .or_else(|| {
                                    e.get("entry").and_then(|v| v.as_str()).map(str::to_owned)
                                })
                                .unwrap_or_default();
                            QuoteView {
                                href: file
                                    .map(|f| {
                                        if e.get("chat").is_some() {
                                            format!("/evidence/{}/view#line-{line}", f.id.0)
                                        } else {
                                            format!("/evidence/{}/view", f.id.0)
                                        }
                                    })
                                    .unwrap_or_default(),
                                file_name: name,
                                line,
                                text: text_of(e, "text"),
                            }
                        })
                        .collect()
                })
                .unwrap_or_default();
            let kind_label = tr.t(&format!("evidence-kind-{}", kind.replace('_', "-")));
            let subject = text_of(f, "subject");
            let first = quotes.first();
            let step_note = tr.format(
                "evidence-step-note",
                &[
                    ("kind", &kind_label),
                    ("subject", &subject),
                    (
                        "file",
                        &first.map(|q| q.file_name.clone()).unwrap_or_default(),
                    ),
                    ("line", &first.map(|q| q.line.clone()).unwrap_or_default()),
                ],
            );
            let confidence = text_of(f, "confidence");
            FindingView {
                kind_label,
                subject,
                actors: f
                    .get("actors")
                    .and_then(serde_json::Value::as_array)
                    .map(|a| {
                        a.iter()
                            .filter_map(|v| v.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    })
                    .unwrap_or_default(),
                at: text_of(f, "at").replace('T', " "),
                confidence_label: tr.t(&format!("evidence-confidence-{confidence}")),
                confidence,
                confidence_reason: text_of(f, "confidence_reason"),
                explanation: text_of(f, "explanation"),
                quotes,
                step_note,
                kind,
            }
        })
        .collect()
}

/// A file as the pages list it.
#[derive(Debug, Clone)]
pub struct FileView {
    pub id: i64,
    pub file_name: String,
    pub kind: String,
    pub size: String,
    pub sha256: String,
    pub description: String,
    pub made_on: String,
    pub handed_in_by: String,
    pub exporter: String,
    pub uploaded_at: String,
    pub corrects: String,
}

pub(crate) fn size_text(bytes: i64) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
    } else if bytes >= 1024 {
        format!("{} kB", bytes / 1024)
    } else {
        format!("{bytes} B")
    }
}

/// Amsterdam local time for people (`17-07-2026 14:05`).
pub(crate) fn local_time(at: erbij_core::Timestamp) -> String {
    erbij_core::Date::amsterdam_clock(at)
}

impl FileView {
    pub(crate) fn new(tr: &Tr, record: &EvidenceRecord) -> FileView {
        FileView {
            id: record.id.0,
            file_name: record.file_name.clone(),
            kind: tr.t(&format!("evidence-type-{}", record.kind.as_str())),
            size: size_text(record.size),
            sha256: record.sha256.clone(),
            description: record.description.clone(),
            made_on: record.made_on.map(|d| d.dutch()).unwrap_or_default(),
            handed_in_by: record.handed_in_by.clone(),
            exporter: record.exporter.clone().unwrap_or_default(),
            uploaded_at: local_time(record.uploaded_at),
            corrects: record.corrects.map(|c| c.0.to_string()).unwrap_or_default(),
        }
    }
}
