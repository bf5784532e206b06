//! Meld het: the pupils' report page at `/m/{code}` (no account, no JavaScript needed,
//! rate-limited per address, no address stored), its thank-you page, and the coordinator's
//! side: the reports, the school's code with a QR poster, opening a case from a report.

use std::time::Duration;

use askama::Template;
use axum::Form;
use axum::extract::{Multipart, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use erbij_core::evidence::{EvidenceId, NewReport, ReportId, ReportRecord};
use erbij_core::{AccessError, PupilId, SchoolRecord};
use serde::Deserialize;

use super::{FileView, file_field, file_response, local_time, multipart_error, text_field};
use crate::auth::{Session, Visitor, blocking};
use crate::error::{AppError, ErrorMarker};
use crate::i18n::Tr;
use crate::pages::{Flash, Page, back_to, render, render_with_status};
use crate::ratelimit::{ClientIp, Verdict};
use crate::state::AppState;

/// Reports one address may send per window: enough for a class on one school network
/// sharing an address, not enough to flood the coordinator.
pub const REPORTS_PER_WINDOW: u32 = 20;
pub const REPORT_WINDOW: Duration = Duration::from_secs(10 * 60);

#[derive(Template)]
#[template(path = "evidence_meld.html")]
struct MeldPage {
    page: Page,
    code: String,
    school_name: String,
    what: String,
    name: String,
    class: String,
    max_mb: usize,
}

#[derive(Template)]
#[template(path = "evidence_meld_thanks.html")]
struct ThanksPage {
    page: Page,
    school_name: String,
    anonymous: bool,
}

fn meld_page(visitor: &Visitor, school: &SchoolRecord, code: &str) -> MeldPage {
    let mut page = Page::anonymous(visitor.lang, &visitor.path, "");
    page.tr = Tr::new(visitor.lang, school.kind);
    MeldPage {
        page,
        code: code.to_owned(),
        school_name: school.name.clone(),
        what: String::new(),
        name: String::new(),
        class: String::new(),
        max_mb: erbij_core::evidence::MAX_FILE_BYTES / (1024 * 1024),
    }
}

/// The school whose report code this is. Wrong codes count against the address with the
/// survey codes' budget (`surveys::code_guard`): 404 until the budget is spent, then 429
/// with `Retry-After` before anything is looked up, so the short school codes cannot be
/// guessed.
pub(crate) async fn school_of(
    state: &AppState,
    ip: &ClientIp,
    code: &str,
) -> Result<SchoolRecord, AppError> {
    crate::pages::surveys::code_guard(state, ip.0)?;
    let code = code.to_owned();
    match blocking(state, move |p| p.school_for_report_code(&code)).await? {
        Ok(school) => Ok(school),
        Err(AccessError::NotFound) => {
            crate::pages::surveys::note_wrong_code(state, ip.0);
            Err(AppError::NotFound)
        }
        Err(other) => Err(AppError::from(other)),
    }
}

/// `GET /m/{code}`: the report form.
pub async fn meld_form(
    State(state): State<AppState>,
    visitor: Visitor,
    ip: ClientIp,
    Path(code): Path<String>,
) -> Result<Response, AppError> {
    let school = school_of(&state, &ip, &code).await?;
    render(&meld_page(&visitor, &school, &code.to_ascii_lowercase()))
}

/// Reads a pupil's report from a multipart body (page and API).
pub(crate) async fn read_report(mut multipart: Multipart) -> Result<NewReport, AppError> {
    let mut report = NewReport::default();
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|e| multipart_error(&e))?
    {
        match field.name().unwrap_or_default() {
            "what" => report.what = text_field(field).await?,
            "name" => report.name = text_field(field).await?,
            "class" => report.class = text_field(field).await?,
            "file" => {
                let (name, bytes) = file_field(field).await?;
                if !bytes.is_empty() {
                    report.file = Some((name, bytes));
                }
            }
            _ => {}
        }
    }
    Ok(report)
}

/// 429 with the report page's own words.
pub(crate) fn too_many(retry_after: u64) -> Response {
    let mut response = (
        StatusCode::TOO_MANY_REQUESTS,
        [(axum::http::header::RETRY_AFTER, retry_after.to_string())],
    )
        .into_response();
    response.extensions_mut().insert(ErrorMarker {
        message_key: "error-report-too-many",
    });
    response
}

/// Reads a refused body to its end without keeping it (within the route's limit), so the
/// client gets its answer instead of a reset connection.
pub(crate) async fn drain(mut multipart: Multipart) {
    while let Ok(Some(mut field)) = multipart.next_field().await {
        while let Ok(Some(_)) = field.chunk().await {}
    }
}

/// Counts one report from this address; the address is a key in memory only.
pub(crate) fn limited(state: &AppState, ip: &ClientIp) -> Option<Response> {
    match state.limiter.check(
        "evidence-report",
        &ip.0.to_string(),
        REPORTS_PER_WINDOW,
        REPORT_WINDOW,
    ) {
        Verdict::Allowed => None,
        Verdict::Limited { retry_after_secs } => Some(too_many(retry_after_secs)),
    }
}

/// `POST /m/{code}` (multipart): stores the report and thanks the pupil.
pub async fn meld(
    State(state): State<AppState>,
    visitor: Visitor,
    ip: ClientIp,
    Path(code): Path<String>,
    multipart: Multipart,
) -> Result<Response, AppError> {
    if let Err(refused) = crate::pages::surveys::code_guard(&state, ip.0) {
        drain(multipart).await;
        return Err(refused);
    }
    if let Some(refused) = limited(&state, &ip) {
        drain(multipart).await;
        return Ok(refused);
    }
    let school = school_of(&state, &ip, &code).await?;
    let report = match read_report(multipart).await {
        Ok(report) => report,
        Err(AppError::TooLarge) => return Ok(super::case::too_large()),
        Err(err) => return Err(err),
    };
    let anonymous = report.name.trim().is_empty();
    let kept = (
        report.what.clone(),
        report.name.clone(),
        report.class.clone(),
    );
    let submit_code = code.clone();
    let submitted = blocking(&state, move |p| p.submit_report(&submit_code, report)).await?;
    let mut page = Page::anonymous(visitor.lang, &visitor.path, "");
    page.tr = Tr::new(visitor.lang, school.kind);
    match submitted {
        Ok(_) => render(&ThanksPage {
            page,
            school_name: school.name,
            anonymous,
        }),
        Err(erbij_core::evidence::EvidenceError::TooLarge) => Ok(super::case::too_large()),
        Err(err) => match AppError::from(err) {
            AppError::BadRequest(key) => {
                // The form again, with what the pupil wrote kept and why it did not go.
                let mut form = meld_page(&visitor, &school, &code.to_ascii_lowercase());
                form.page.problem = form.page.tr.t(key);
                form.what = kept.0;
                form.name = kept.1;
                form.class = kept.2;
                render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &form)
            }
            other => Err(other),
        },
    }
}

/// The address the school's pupils type: this server's own host.
fn report_url(headers: &HeaderMap, https: bool, code: &str) -> String {
    let host = headers
        .get(axum::http::header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            h.chars()
                .all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c))
        })
        .unwrap_or("localhost");
    format!("{}://{host}/m/{code}", if https { "https" } else { "http" })
}

#[derive(Debug, Clone)]
pub struct ReportView {
    pub id: i64,
    pub received: String,
    pub excerpt: String,
    pub who: String,
    pub unread: bool,
    pub case_id: String,
}

fn report_view(tr: &Tr, report: &ReportRecord) -> ReportView {
    let mut excerpt: String = report.what.chars().take(140).collect();
    if report.what.chars().count() > 140 {
        excerpt.push('…');
    }
    ReportView {
        id: report.id.0,
        received: local_time(report.received_at),
        excerpt,
        who: match (&report.reporter_name, &report.reporter_class) {
            (Some(name), Some(class)) => format!("{name} ({class})"),
            (Some(name), None) => name.clone(),
            _ => tr.t("evidence-report-anonymous"),
        },
        unread: report.read_at.is_none(),
        case_id: report.case_id.map(|c| c.0.to_string()).unwrap_or_default(),
    }
}

#[derive(Template)]
#[template(path = "evidence_reports.html")]
struct ReportsPage {
    page: Page,
    url: String,
    code: String,
    qr: String,
    reports: Vec<ReportView>,
}

/// `GET /reports`: the coordinator's reports, and the school's code to hand out.
pub async fn list(
    State(state): State<AppState>,
    session: Session,
    headers: HeaderMap,
    axum::extract::Query(flash): axum::extract::Query<Flash>,
) -> Result<Response, AppError> {
    let actor = session.actor().clone();
    let (code, reports) = blocking(&state, move |p| {
        let code = p.report_code(&actor)?;
        let reports = p.reports(&actor)?;
        Ok::<_, erbij_core::AccessError>((code, reports))
    })
    .await??;
    let tr = session.tr();
    let url = report_url(&headers, session.https, &code);
    render(&ReportsPage {
        page: session.page("reports").with_flash(&flash),
        qr: crate::qr::svg(&url, 200).unwrap_or_default(),
        url,
        code,
        reports: reports.iter().map(|r| report_view(&tr, r)).collect(),
    })
}

#[derive(Template)]
#[template(path = "evidence_poster.html")]
struct PosterPage {
    page: Page,
    url: String,
    qr: String,
}

/// `GET /reports/poster`: a printable poster with the code's QR.
pub async fn poster(
    State(state): State<AppState>,
    session: Session,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let actor = session.actor().clone();
    let code = blocking(&state, move |p| p.report_code(&actor)).await??;
    let url = report_url(&headers, session.https, &code);
    render(&PosterPage {
        page: session.page("reports"),
        qr: crate::qr::svg(&url, 320).unwrap_or_default(),
        url,
    })
}

#[derive(Debug, Clone)]
pub struct PupilChoice {
    pub id: i64,
    pub label: String,
}

#[derive(Template)]
#[template(path = "evidence_report.html")]
struct ReportPage {
    page: Page,
    report: ReportView,
    what: String,
    files: Vec<FileView>,
    pupils: Vec<PupilChoice>,
}

/// `GET /reports/{id}`: one report (marks it read).
pub async fn show(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<i64>,
    axum::extract::Query(flash): axum::extract::Query<Flash>,
) -> Result<Response, AppError> {
    let actor = session.actor().clone();
    let (report, files, pupils) = blocking(&state, move |p| {
        let (report, files) = p.report_detail(&actor, ReportId(id))?;
        let mut pupils = Vec::new();
        if report.case_id.is_none() {
            for class in p.classes(&actor)? {
                for pupil in p.pupils_of_class(&actor, class.id)? {
                    if pupil.left_on.is_none() {
                        pupils.push(PupilChoice {
                            id: pupil.id.0,
                            label: format!("{} ({})", pupil.sort_name(), class.name),
                        });
                    }
                }
            }
        }
        Ok::<_, erbij_core::AccessError>((report, files, pupils))
    })
    .await??;
    let tr = session.tr();
    render(&ReportPage {
        page: session.page("reports").with_flash(&flash),
        what: report.what.clone(),
        report: report_view(&tr, &report),
        files: files.iter().map(|f| FileView::new(&tr, f)).collect(),
        pupils,
    })
}

/// `GET /reports/{id}/files/{file_id}`: a file handed in with the report.
pub async fn file(
    State(state): State<AppState>,
    session: Session,
    Path((id, file_id)): Path<(i64, i64)>,
) -> Result<Response, AppError> {
    let actor = session.actor().clone();
    let (record, bytes) = blocking(&state, move |p| {
        p.report_file(&actor, ReportId(id), EvidenceId(file_id))
    })
    .await??;
    Ok(file_response(&record, bytes, false))
}

#[derive(Debug, Deserialize)]
pub struct OpenCaseForm {
    csrf: String,
    pupil_id: i64,
    #[serde(default)]
    summary: String,
}

/// `POST /reports/{id}/case`: opens a case from the report for the pupil it is about.
pub async fn open_case(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<i64>,
    Form(form): Form<OpenCaseForm>,
) -> Result<Response, AppError> {
    session.check_csrf(&form.csrf)?;
    let actor = session.actor().clone();
    let opened = blocking(&state, move |p| {
        p.open_case_from_report(&actor, ReportId(id), PupilId(form.pupil_id), &form.summary)
    })
    .await?;
    match opened {
        Ok(case) => Ok(crate::security::see_other(&format!("/cases/{}", case.0))),
        Err(err) => match AppError::from(err) {
            AppError::BadRequest(key) => {
                Ok(back_to(&format!("/reports/{id}"), &format!("error={key}")))
            }
            other => Err(other),
        },
    }
}
