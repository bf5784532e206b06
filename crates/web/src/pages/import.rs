//! Pupil import: upload -> preview with column mapping and an error per bad line ->
//! confirm. The file waits in memory until "confirm"; nothing is stored before.

use std::collections::HashMap;
use std::sync::Arc;

use askama::Template;
use axum::Form;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::Response;
use erbij_core::{
    AccessError, ClassName, Email, ImportPlan, ImportRow, NewPupil, new_secret_token,
};
use erbij_import::{Field, FileError, Mapping, ParsedRow, Preview, RowProblem};

use crate::auth::{Session, blocking};
use crate::error::AppError;
use crate::i18n::Tr;
use crate::pages::{Page, render, render_with_status};
use crate::state::{AppState, PendingImport};

/// Rows shown in the preview table; the rest are counted.
const PREVIEW_ROWS: usize = 50;
/// Errors listed; the rest are counted.
const PREVIEW_ERRORS: usize = 200;
/// An upload not confirmed within an hour is forgotten.
const PENDING_SECONDS: i64 = 3600;
/// Uploads waiting per school: a school's next upload replaces its own oldest, never
/// another school's.
const MAX_PENDING_PER_SCHOOL: usize = 5;
/// Bytes waiting per school (two full-size pupil lists).
const MAX_PENDING_BYTES_PER_SCHOOL: usize = 2 * crate::routes::IMPORT_BODY_LIMIT;
/// Bytes waiting in the whole process; past it a new upload is refused (not another
/// school's evicted), so memory stays bounded whatever the number of schools.
const MAX_PENDING_BYTES: usize = 256 * 1024 * 1024;

#[derive(Debug)]
pub struct OptionView {
    pub value: &'static str,
    pub label: String,
    pub selected: bool,
}

#[derive(Debug)]
pub struct ColumnView {
    pub heading: String,
    pub options: Vec<OptionView>,
}

/// A row of the preview table with what confirming does to it.
#[derive(Debug)]
pub struct RowView {
    pub row: ParsedRow,
    /// "nieuw" / "bijwerken" (empty when the row cannot be saved as it is).
    pub status: String,
    pub parent_emails: String,
}

#[derive(Debug)]
pub struct PreviewView {
    pub import_id: String,
    pub summary: String,
    /// "12 nieuwe leerlingen, 3 bijgewerkt; nieuwe klassen: 2C, 3A".
    pub plan: String,
    pub has_parent_emails: bool,
    pub columns: Vec<ColumnView>,
    pub errors: Vec<String>,
    pub error_count: usize,
    pub rows: Vec<RowView>,
    pub row_count: usize,
}

#[derive(Template)]
#[template(path = "import.html")]
struct ImportPage {
    page: Page,
    preview: Option<PreviewView>,
}

fn require_admin(session: &Session) -> Result<(), AppError> {
    if session.actor().role.manages_school() {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

pub async fn upload_form(session: Session) -> Result<Response, AppError> {
    require_admin(&session)?;
    render(&ImportPage {
        page: session.page("import"),
        preview: None,
    })
}

fn field_label(tr: &Tr, field: Field) -> String {
    tr.t(&format!(
        "import-field-{}",
        field.as_str().replace('_', "-")
    ))
}

fn problem_text(tr: &Tr, line: usize, problem: &RowProblem) -> String {
    let line = line.to_string();
    match problem {
        RowProblem::Missing(field) => tr.format(
            "import-row-missing",
            &[("line", &line), ("field", &field_label(tr, *field))],
        ),
        RowProblem::TooLong(field) => tr.format(
            "import-row-too-long",
            &[("line", &line), ("field", &field_label(tr, *field))],
        ),
        RowProblem::ControlCharacters(field) => tr.format(
            "import-row-control",
            &[("line", &line), ("field", &field_label(tr, *field))],
        ),
        RowProblem::WrongColumnCount { found, expected } => tr.format(
            "import-row-columns",
            &[
                ("line", &line),
                ("found", &found.to_string()),
                ("expected", &expected.to_string()),
            ],
        ),
        RowProblem::DuplicateExternalId { first_line } => tr.format(
            "import-row-duplicate",
            &[("line", &line), ("first", &first_line.to_string())],
        ),
        RowProblem::BadEmail { value } => {
            tr.format("import-row-bad-email", &[("line", &line), ("value", value)])
        }
    }
}

fn file_error_text(tr: &Tr, err: &FileError) -> String {
    match err {
        FileError::Empty => tr.t("import-file-empty"),
        FileError::NotText(looks_like) => {
            let what = tr.t(match *looks_like {
                "UTF-16 (Unicode text)" => "import-looks-utf16",
                "an Excel workbook (.xlsx)" => "import-looks-xlsx",
                "an old Excel workbook (.xls)" => "import-looks-xls",
                _ => "import-looks-binary",
            });
            tr.t1("import-file-not-text", "what", &what)
        }
        FileError::TooManyRows { max } => tr.t1("import-file-too-many", "max", &max.to_string()),
        FileError::MissingColumn(column) => tr.t1("import-file-missing-column", "column", column),
    }
}

/// The rows the platform can store, each with its index in `rows`.
fn import_rows(rows: &[ParsedRow]) -> Vec<(usize, ImportRow)> {
    rows.iter()
        .enumerate()
        .filter_map(|(i, r)| {
            Some((
                i,
                ImportRow {
                    class_name: ClassName::new(&r.class_name).ok()?,
                    pupil: NewPupil::parse(&r.given_name, &r.infix, &r.family_name, &r.external_id)
                        .ok()?,
                    parent_emails: r
                        .parent_emails
                        .iter()
                        .filter_map(|e| Email::new(e).ok())
                        .collect(),
                },
            ))
        })
        .collect()
}

/// Asks the platform what confirming would do: per preview row `Some(updates)`.
async fn plan(
    state: &AppState,
    session: &Session,
    rows: &[ParsedRow],
) -> Result<(Vec<Option<bool>>, ImportPlan), AppError> {
    let import = import_rows(rows);
    let actor = session.actor().clone();
    let only_rows: Vec<ImportRow> = import.iter().map(|(_, r)| r.clone()).collect();
    let plan = blocking(state, move |p| p.plan_import(&actor, &only_rows))
        .await?
        .map_err(|e: AccessError| AppError::from(e))?;
    let mut per_row = vec![None; rows.len()];
    for ((index, _), updates) in import.iter().zip(&plan.updates) {
        if let Some(slot) = per_row.get_mut(*index) {
            *slot = Some(*updates);
        }
    }
    Ok((per_row, plan))
}

fn preview_view(
    tr: &Tr,
    import_id: String,
    preview: Preview,
    planned: Option<(Vec<Option<bool>>, ImportPlan)>,
) -> PreviewView {
    let (per_row, plan_text) = match planned {
        Some((per_row, plan)) => {
            let mut text = tr.format(
                "import-plan",
                &[
                    ("created", &plan.created().to_string()),
                    ("updated", &plan.updated().to_string()),
                ],
            );
            text.push(' ');
            text.push_str(&if plan.new_classes.is_empty() {
                tr.t("import-plan-no-classes")
            } else {
                tr.format(
                    "import-plan-classes",
                    &[
                        ("count", &plan.new_classes.len().to_string()),
                        ("classes", &plan.new_classes.join(", ")),
                    ],
                )
            });
            (per_row, text)
        }
        None => (Vec::new(), String::new()),
    };
    let has_parent_emails = preview.mapping.0.contains(&Field::ParentEmail);
    let columns = preview
        .headings
        .iter()
        .zip(&preview.mapping.0)
        .map(|(heading, chosen)| ColumnView {
            heading: heading.clone(),
            options: Field::ALL
                .iter()
                .map(|f| OptionView {
                    value: f.as_str(),
                    label: field_label(tr, *f),
                    selected: f == chosen,
                })
                .collect(),
        })
        .collect();
    let separator = tr.t(match preview.separator {
        ';' => "import-separator-semicolon",
        ',' => "import-separator-comma",
        _ => "import-separator-tab",
    });
    let summary = tr.format(
        "import-summary",
        &[
            ("rows", &preview.rows.len().to_string()),
            ("errors", &preview.errors.len().to_string()),
            ("encoding", preview.encoding),
            ("separator", &separator),
        ],
    );
    PreviewView {
        import_id,
        summary,
        plan: plan_text,
        has_parent_emails,
        columns,
        errors: preview
            .errors
            .iter()
            .take(PREVIEW_ERRORS)
            .map(|e| problem_text(tr, e.line, &e.problem))
            .collect(),
        error_count: preview.errors.len(),
        row_count: preview.rows.len(),
        rows: preview
            .rows
            .into_iter()
            .zip(per_row.into_iter().chain(std::iter::repeat(None)))
            .take(PREVIEW_ROWS)
            .map(|(row, updates)| RowView {
                status: match updates {
                    Some(true) => tr.t("import-status-update"),
                    Some(false) => tr.t("import-status-new"),
                    None => String::new(),
                },
                parent_emails: row.parent_emails.join(", "),
                row,
            })
            .collect(),
    }
}

/// A file whose rows cannot be read until the person picks the columns: show the mapping
/// with the problem, and keep the file waiting.
fn mapping_only(
    session: &Session,
    import_id: String,
    headings: Vec<String>,
    mapping: Mapping,
    problem: String,
) -> Result<Response, AppError> {
    let tr = session.tr();
    let preview = Preview {
        separator: ';',
        encoding: "",
        headings,
        mapping,
        rows: Vec::new(),
        errors: Vec::new(),
    };
    let mut view = preview_view(&tr, import_id, preview, None);
    view.summary = String::new();
    let mut page = session.page("import");
    page.problem = problem;
    render_with_status(
        StatusCode::UNPROCESSABLE_ENTITY,
        &ImportPage {
            page,
            preview: Some(view),
        },
    )
}

fn upload_problem(session: &Session, text: String) -> Result<Response, AppError> {
    let mut page = session.page("import");
    page.problem = text;
    render_with_status(
        StatusCode::UNPROCESSABLE_ENTITY,
        &ImportPage {
            page,
            preview: None,
        },
    )
}

pub async fn upload(
    State(state): State<AppState>,
    session: Session,
    mut multipart: Multipart,
) -> Result<Response, AppError> {
    require_admin(&session)?;
    let mut csrf = String::new();
    let mut bytes = Vec::new();
    let mut default_class = String::new();
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|e| multipart_error(&e))?
    {
        match field.name() {
            Some("csrf") => csrf = field.text().await.map_err(|e| multipart_error(&e))?,
            Some("default_class") => {
                default_class = field.text().await.map_err(|e| multipart_error(&e))?
            }
            Some("file") => {
                bytes = field
                    .bytes()
                    .await
                    .map_err(|e| multipart_error(&e))?
                    .to_vec()
            }
            _ => {}
        }
    }
    session.check_csrf(&csrf)?;
    let tr = session.tr();
    let bytes = Arc::new(bytes);
    let parse_bytes = bytes.clone();
    let class_for_parse = default_class.clone();
    let preview = tokio::task::spawn_blocking(move || {
        erbij_import::preview_with(&parse_bytes, None, &class_for_parse)
    })
    .await?;
    let import_id = new_secret_token().map_err(|e| AppError::Internal(e.to_string()))?;
    let preview = match preview {
        Ok(preview) => preview,
        Err(err @ FileError::MissingColumn(_)) => {
            let Ok((headings, mapping)) = erbij_import::headings(&bytes) else {
                return upload_problem(&session, file_error_text(&tr, &err));
            };
            if !remember(
                &state,
                &import_id,
                PendingImport {
                    school_id: session.actor().school_id,
                    user_id: session.actor().user_id,
                    bytes,
                    default_class,
                    created_at: state.platform.now(),
                },
            ) {
                return upload_problem(&session, tr.t("hardening-import-busy"));
            }
            return mapping_only(
                &session,
                import_id,
                headings,
                mapping,
                file_error_text(&tr, &err),
            );
        }
        Err(err) => return upload_problem(&session, file_error_text(&tr, &err)),
    };
    if !remember(
        &state,
        &import_id,
        PendingImport {
            school_id: session.actor().school_id,
            user_id: session.actor().user_id,
            bytes,
            default_class,
            created_at: state.platform.now(),
        },
    ) {
        return upload_problem(&session, tr.t("hardening-import-busy"));
    }
    let planned = plan(&state, &session, &preview.rows).await?;
    render(&ImportPage {
        page: session.page("import"),
        preview: Some(preview_view(&tr, import_id, preview, Some(planned))),
    })
}

fn multipart_error(err: &axum::extract::multipart::MultipartError) -> AppError {
    if err.status() == StatusCode::PAYLOAD_TOO_LARGE {
        AppError::TooLarge
    } else {
        AppError::BadRequest("error-bad-request")
    }
}

/// Keeps an upload until it is confirmed; `false` when the server holds too much already.
fn remember(state: &AppState, id: &str, pending: PendingImport) -> bool {
    let mut map = state
        .pending_imports
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let now = state.platform.now();
    map.retain(|_, p| now - p.created_at < PENDING_SECONDS);
    let school = pending.school_id;
    // Make room among this school's own uploads only.
    loop {
        let own: Vec<(&String, &PendingImport)> =
            map.iter().filter(|(_, p)| p.school_id == school).collect();
        let own_bytes: usize = own.iter().map(|(_, p)| p.bytes.len()).sum();
        if own.len() < MAX_PENDING_PER_SCHOOL
            && own_bytes + pending.bytes.len() <= MAX_PENDING_BYTES_PER_SCHOOL
        {
            break;
        }
        let Some(oldest) = own
            .iter()
            .min_by_key(|(_, p)| p.created_at)
            .map(|(k, _)| (*k).clone())
        else {
            break;
        };
        map.remove(&oldest);
    }
    let total: usize = map.values().map(|p| p.bytes.len()).sum();
    if total + pending.bytes.len() > MAX_PENDING_BYTES {
        tracing::warn!("pupil list refused: the server holds too many unconfirmed uploads");
        return false;
    }
    map.insert(id.to_string(), pending);
    true
}

/// `POST /import/confirm`: `action=remap` previews again with the chosen mapping;
/// `action=confirm` stores the good rows.
pub async fn confirm(
    State(state): State<AppState>,
    session: Session,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, AppError> {
    session.check_csrf(form.get("csrf").map(String::as_str).unwrap_or(""))?;
    require_admin(&session)?;
    let import_id = form.get("import_id").cloned().unwrap_or_default();
    let pending = {
        let map = state
            .pending_imports
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        map.get(&import_id).cloned()
    };
    let pending = pending
        .filter(|p| {
            p.school_id == session.actor().school_id && p.user_id == session.actor().user_id
        })
        .ok_or(AppError::BadRequest("error-import-expired"))?;
    let mut fields = Vec::new();
    for index in 0.. {
        match form.get(&format!("map_{index}")) {
            Some(value) => fields.push(Field::parse(value).unwrap_or(Field::Ignore)),
            None => break,
        }
    }
    let tr = session.tr();
    let bytes = pending.bytes.clone();
    let default_class = pending.default_class.clone();
    let chosen = Mapping(fields);
    let mapping_for_parse = chosen.clone();
    let preview = tokio::task::spawn_blocking(move || {
        erbij_import::preview_with(&bytes, Some(mapping_for_parse), &default_class)
    })
    .await?;
    let preview = match preview {
        Ok(preview) => preview,
        Err(err @ FileError::MissingColumn(_)) => {
            let headings = erbij_import::headings(&pending.bytes)
                .map(|(h, _)| h)
                .unwrap_or_default();
            let mapping = if chosen.0.len() == headings.len() {
                chosen
            } else {
                erbij_import::auto_mapping(&headings)
            };
            return mapping_only(
                &session,
                import_id,
                headings,
                mapping,
                file_error_text(&tr, &err),
            );
        }
        Err(err) => return upload_problem(&session, file_error_text(&tr, &err)),
    };
    if form.get("action").map(String::as_str) != Some("confirm") {
        let planned = plan(&state, &session, &preview.rows).await?;
        return render(&ImportPage {
            page: session.page("import"),
            preview: Some(preview_view(&tr, import_id, preview, Some(planned))),
        });
    }
    let rows: Vec<ImportRow> = import_rows(&preview.rows)
        .into_iter()
        .map(|(_, row)| row)
        .collect();
    let actor = session.actor().clone();
    let outcome = blocking(&state, move |p| p.import_pupils(&actor, &rows))
        .await?
        .map_err(|e: AccessError| AppError::from(e))?;
    state
        .pending_imports
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .remove(&import_id);
    tracing::info!(
        created = outcome.pupils_created,
        updated = outcome.pupils_updated,
        classes = outcome.classes_created,
        "pupil import confirmed"
    );
    let mut page = session.page("import");
    page.notice = tr.format(
        "import-done",
        &[
            ("created", &outcome.pupils_created.to_string()),
            ("updated", &outcome.pupils_updated.to_string()),
            ("classes", &outcome.classes_created.to_string()),
        ],
    );
    render(&ImportPage {
        page,
        preview: None,
    })
}
