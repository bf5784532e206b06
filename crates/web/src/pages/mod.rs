//! The HTML pages, one module per capability, with their templates in `templates/`.

pub mod account;
pub mod cases;
pub mod classes;
pub mod evidence;
pub mod hardening;
pub mod home;
pub mod import;
pub mod lessons;
pub mod login;
pub mod oidc;
pub mod pupils;
pub mod settings;
pub mod signals;
pub mod surveys;
pub mod twofactor;
pub mod users;

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use erbij_core::{PupilRecord, Role, SchoolKind};

use crate::auth::Session;
use crate::error::AppError;
use crate::i18n::{Lang, Tr};
use crate::security::RenderedPage;

/// What the page frame (`base.html`) shows.
#[derive(Debug, Clone)]
pub struct Page {
    pub tr: Tr,
    pub csrf: String,
    pub logged_in: bool,
    pub is_admin: bool,
    /// Receives pupils' reports (Meld het): the coordinator and the confidential adviser.
    pub sees_reports: bool,
    /// The coordinator reads who viewed a pupil's pages (the access log).
    pub is_coordinator: bool,
    pub user_name: String,
    pub school_name: String,
    pub active: &'static str,
    pub language_href: String,
    pub other_lang: &'static str,
    /// A confirmation ("saved") or a problem, both already translated.
    pub notice: String,
    pub problem: String,
}

fn language_href(lang: Lang, path: &str) -> String {
    let next: String = path
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || "/-_.".contains(*c))
        .collect();
    format!("/language/{}?next={next}", lang.other().code())
}

impl Page {
    pub fn for_session(session: &Session, active: &'static str) -> Page {
        Page {
            tr: session.tr(),
            csrf: session.info.csrf_token.clone(),
            logged_in: true,
            is_admin: session.info.actor.role == Role::Administrator,
            sees_reports: erbij_core::evidence::sees_reports(session.info.actor.role),
            is_coordinator: session.info.actor.role == Role::Coordinator,
            user_name: session.info.user_name.clone(),
            school_name: session.info.school.name.clone(),
            active,
            language_href: language_href(session.lang, &session.path),
            other_lang: session.lang.other().code(),
            notice: String::new(),
            problem: String::new(),
        }
    }

    pub fn anonymous(lang: Lang, path: &str, csrf: &str) -> Page {
        Page {
            tr: Tr::new(lang, SchoolKind::Secondary),
            csrf: csrf.to_string(),
            logged_in: false,
            is_admin: false,
            sees_reports: false,
            is_coordinator: false,
            user_name: String::new(),
            school_name: String::new(),
            active: "",
            language_href: language_href(lang, path),
            other_lang: lang.other().code(),
            notice: String::new(),
            problem: String::new(),
        }
    }

    /// Shows the messages named in `?done=` / `?error=` after a redirect. Only keys of our
    /// own message files are shown, so the query string cannot put text on the page.
    pub fn with_flash(mut self, flash: &Flash) -> Page {
        if let Some(key) = flash.done.as_deref().filter(|k| k.starts_with("done-")) {
            let text = self.tr.t(key);
            if text != key {
                self.notice = text;
            }
        }
        if let Some(key) = flash
            .error
            .as_deref()
            .filter(|k| k.starts_with("error-") || k.starts_with("surveys-error-"))
        {
            let text = self.tr.t(key);
            if text != key {
                self.problem = text;
            }
        }
        self
    }
}

/// `?done=...&error=...` after a form redirect.
#[derive(Debug, Default, serde::Deserialize)]
pub struct Flash {
    pub done: Option<String>,
    pub error: Option<String>,
}

/// Renders a template into a response.
pub fn render(template: &impl Template) -> Result<Response, AppError> {
    template
        .render()
        .map(|html| Html(html).into_response())
        .map_err(|e| AppError::Internal(e.to_string()))
}

/// Renders a form again with a problem, keeping the status honest (422) and the body.
pub fn render_with_status(
    status: StatusCode,
    template: &impl Template,
) -> Result<Response, AppError> {
    let mut response = render(template)?;
    *response.status_mut() = status;
    response.extensions_mut().insert(RenderedPage);
    Ok(response)
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    page: Page,
    title: String,
    message: String,
}

/// The error page for a status, in the visitor's language.
pub fn render_error_page(tr: Tr, status: StatusCode, key: &str) -> String {
    let mut page = Page::anonymous(tr.lang, "/", "");
    page.tr = tr;
    let title = match status {
        StatusCode::NOT_FOUND => tr.t("error-title-not-found"),
        StatusCode::FORBIDDEN => tr.t("error-title-forbidden"),
        StatusCode::PAYLOAD_TOO_LARGE => tr.t("error-title-too-large"),
        s if s.is_client_error() => tr.t("error-title-bad-request"),
        _ => tr.t("error-title-internal"),
    };
    let template = ErrorPage {
        page,
        title,
        message: tr.t(key),
    };
    template.render().unwrap_or_else(|_| "erbij".to_string())
}

/// The role's name in the interface (beheerder, anti-pestcoördinator, ...).
pub fn role_label(tr: &Tr, role: Role) -> String {
    tr.t(&format!("role-{}", role.as_str().replace('_', "-")))
}

/// A pupil as the templates show it.
#[derive(Debug, Clone)]
pub struct PupilView {
    pub id: i64,
    pub class_id: i64,
    pub given_name: String,
    pub infix: String,
    pub family_name: String,
    pub external_id: String,
    pub left_on: String,
    pub full_name: String,
    pub sort_name: String,
}

impl From<&PupilRecord> for PupilView {
    fn from(p: &PupilRecord) -> Self {
        PupilView {
            id: p.id.0,
            class_id: p.class_id.0,
            given_name: p.given_name.clone(),
            infix: p.infix.clone(),
            family_name: p.family_name.clone(),
            external_id: p.external_id.clone().unwrap_or_default(),
            left_on: p.left_on.map(|d| d.to_string()).unwrap_or_default(),
            full_name: p.full_name(),
            sort_name: p.sort_name(),
        }
    }
}

/// Redirect after a form, with a message key for the next page.
pub fn back_to(path: &str, query: &str) -> Response {
    crate::security::see_other(&format!("{path}?{query}"))
}

/// Turns a refused input into a redirect that shows why; other errors stay errors.
pub fn redirect_on_invalid(path: &str, err: AppError) -> Result<Response, AppError> {
    match err {
        AppError::BadRequest(key) => Ok(back_to(path, &format!("error={key}"))),
        AppError::Conflict => Ok(back_to(path, "error=error-conflict")),
        other => Err(other),
    }
}
