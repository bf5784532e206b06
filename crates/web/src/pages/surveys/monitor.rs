//! The yearly anonymous monitor of social safety: the coordinator's pages (start, slips,
//! results, CSV for the yearly report), the pupils' answer page (`/m`, `/m/{code}`) and the
//! monitor's JSON API.
//!
//! `/m/{code}` is shared with the pupils' report page (Meld het): a monitor code is ten
//! Crockford characters, a school's report code eight lowercase ones, so the code's form
//! says which page is meant. Handlers never decide access (`erbij_core::surveys::monitor`)
//! and never log a code.

use std::collections::BTreeMap;

use askama::Template;
use axum::Json;
use axum::body::Body;
use axum::extract::{Path, Query, Request, State};
use axum::handler::Handler;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use erbij_core::surveys::monitor::{MonitorAnswerError, monitor_csv, suppression_reason};
use erbij_core::surveys::{
    MONITOR_MIN_GROUP, MonitorQuestion, MonitorRound, MonitorSummary, MonitorTally, display_code,
    normalise_code,
};
use serde::Deserialize;
use serde_json::{Value, json};

use super::{code_guard, csv_response, note_wrong_code};
use crate::auth::{ApiActor, Session, Visitor, blocking};
use crate::error::AppError;
use crate::i18n::Tr;
use crate::pages::{Flash, Page, back_to, render, render_with_status};
use crate::ratelimit::ClientIp;
use crate::routes::{FORM_BODY_LIMIT, Routes};
use crate::security::see_other;
use crate::state::AppState;

/// The monitor's routes; `/m/{school_code}` is registered by evidence and dispatches here
/// for monitor codes ([`code_get`], [`code_post`]).
pub(crate) fn routes(routes: Routes) -> Routes {
    routes
        .add("/monitor", &["GET", "POST"], get(list).post(start))
        .add("/monitor/{id}", &["GET"], get(show))
        .add("/monitor/{id}/close", &["POST"], post(close))
        .add("/monitor/{id}/slips", &["GET"], get(slips))
        .add("/monitor/{id}/results.csv", &["GET"], get(csv))
        .add("/m", &["GET"], get(enter_code))
        .add("/api/v1/monitors/{id}", &["GET"], get(api_show))
        .add("/api/v1/monitors/{id}/close", &["POST"], post(api_close))
        .add("/api/v1/monitors/{id}/codes", &["GET"], get(api_codes))
        .add("/api/v1/monitors/{id}/results.csv", &["GET"], get(api_csv))
        .add("/api/v1/monitor-answers", &["POST"], post(api_answer))
}

fn round_json(round: &MonitorRound) -> Value {
    json!({
        "id": round.id,
        "title": round.title,
        "opens_on": round.opens_on.to_string(),
        "closed": round.closed_at.is_some(),
    })
}

fn question_key(q: MonitorQuestion) -> String {
    format!("monitor-q-{}", q.key().replace('_', "-"))
}

fn option_key(option: &str) -> String {
    format!("monitor-o-{}", option.replace('_', "-"))
}

// ---- the coordinator's pages ----

#[derive(Debug, Clone)]
struct MonitorLine {
    id: i64,
    title: String,
    opens_on: String,
    closed: bool,
}

#[derive(Template)]
#[template(path = "monitor_list.html")]
struct ListPage {
    page: Page,
    monitors: Vec<MonitorLine>,
    suggested_title: String,
}

fn suggested_title(today: erbij_core::Date) -> String {
    let start = if today.month() >= 8 {
        today.year()
    } else {
        today.year() - 1
    };
    format!("{start}-{}", start + 1)
}

/// `GET /monitor`: the school's monitors and the form to start this year's.
pub async fn list(
    State(state): State<AppState>,
    session: Session,
    Query(flash): Query<Flash>,
) -> Result<Response, AppError> {
    let actor = session.actor().clone();
    let (monitors, today) =
        blocking(&state, move |p| p.monitors(&actor).map(|m| (m, p.today()))).await??;
    let page = session.page("monitor").with_flash(&flash);
    render(&ListPage {
        monitors: monitors
            .iter()
            .map(|m| MonitorLine {
                id: m.id,
                title: m.title.clone(),
                opens_on: m.opens_on.dutch(),
                closed: m.closed_at.is_some(),
            })
            .collect(),
        suggested_title: suggested_title(today),
        page,
    })
}

#[derive(Debug, Deserialize, Default)]
pub struct StartForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    title: String,
}

/// `POST /monitor`: starts a monitor (codes for every pupil of every class).
pub async fn start(
    State(state): State<AppState>,
    session: Session,
    axum::Form(form): axum::Form<StartForm>,
) -> Result<Response, AppError> {
    session.check_csrf(&form.csrf)?;
    let actor = session.actor().clone();
    let round = blocking(&state, move |p| p.start_monitor(&actor, &form.title)).await??;
    Ok(back_to(
        &format!("/monitor/{}", round.id),
        "done=done-monitor-started",
    ))
}

/// One answer option's figure.
#[derive(Debug, Clone)]
struct OptionFigure {
    label: String,
    count: usize,
    percent: String,
    /// Bar width in steps of 5 percent (the CSS class `wN`: no inline style under the CSP).
    width: u32,
}

#[derive(Debug, Clone)]
struct QuestionFigures {
    text: String,
    multiple: bool,
    options: Vec<OptionFigure>,
}

#[derive(Debug, Clone)]
struct GroupView {
    name: String,
    respondents: usize,
    /// Empty when the group shows figures; otherwise why it does not.
    hidden_because: String,
    questions: Vec<QuestionFigures>,
}

fn group_view(tr: &Tr, t: &MonitorTally, school: bool) -> GroupView {
    let name = if school {
        tr.t("monitor-whole-school")
    } else {
        tr.t1("monitor-class", "class", &t.name)
    };
    let hidden_because = match suppression_reason(t) {
        None => String::new(),
        Some("protects_smaller_group") => tr.t("monitor-hidden-protects"),
        Some(_) => tr.t1(
            "monitor-hidden-small",
            "min",
            &MONITOR_MIN_GROUP.to_string(),
        ),
    };
    let mut questions: Vec<QuestionFigures> = Vec::new();
    for (question, option, count, pct) in &t.counts {
        let figure = OptionFigure {
            label: tr.t(&option_key(option)),
            count: *count,
            percent: match tr.lang {
                crate::i18n::Lang::Nl => format!("{pct:.1}").replace('.', ","),
                crate::i18n::Lang::En => format!("{pct:.1}"),
            },
            width: ((pct / 5.0).round() * 5.0).clamp(0.0, 100.0) as u32,
        };
        let text = tr.t(&question_key(*question));
        match questions.last_mut() {
            Some(last) if last.text == text => last.options.push(figure),
            _ => questions.push(QuestionFigures {
                text,
                multiple: question.multiple(),
                options: vec![figure],
            }),
        }
    }
    GroupView {
        name,
        respondents: if t.suppressed { 0 } else { t.respondents },
        hidden_because,
        questions,
    }
}

#[derive(Template)]
#[template(path = "monitor_results.html")]
struct ResultsPage {
    page: Page,
    id: i64,
    title: String,
    opens_on: String,
    closed: bool,
    unused_codes: usize,
    /// Classes with unused codes (name, name for a query string, how many), for printing
    /// one class's slips.
    slip_classes: Vec<(String, String, usize)>,
    min_group: usize,
    figures_shown: bool,
    school: GroupView,
    classes: Vec<GroupView>,
}

/// `GET /monitor/{id}`: counts and percentages for the school and per class.
pub async fn show(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<i64>,
    Query(flash): Query<Flash>,
) -> Result<Response, AppError> {
    let actor = session.actor().clone();
    let (summary, unused) = blocking(&state, move |p| {
        let summary = p.monitor_results(&actor, id)?;
        let (_, codes) = p.monitor_codes(&actor, id)?;
        Ok::<_, erbij_core::AccessError>((summary, codes))
    })
    .await??;
    let slip_classes: Vec<(String, String, usize)> = unused
        .iter()
        .map(|(name, codes)| (name.clone(), query_value(name), codes.len()))
        .collect();
    let unused: usize = slip_classes.iter().map(|(_, _, n)| n).sum();
    let page = session.page("monitor").with_flash(&flash);
    let tr = page.tr;
    render(&ResultsPage {
        id,
        title: summary.round.title.clone(),
        opens_on: summary.round.opens_on.dutch(),
        closed: summary.round.closed_at.is_some(),
        unused_codes: unused,
        slip_classes,
        min_group: MONITOR_MIN_GROUP,
        figures_shown: summary.figures_shown(),
        school: group_view(&tr, &summary.school, true),
        classes: summary
            .classes
            .iter()
            .map(|t| group_view(&tr, t, false))
            .collect(),
        page,
    })
}

#[derive(Debug, Deserialize, Default)]
pub struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

/// `POST /monitor/{id}/close`: no more answers; unused codes are deleted.
pub async fn close(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<i64>,
    axum::Form(form): axum::Form<CsrfForm>,
) -> Result<Response, AppError> {
    session.check_csrf(&form.csrf)?;
    let actor = session.actor().clone();
    blocking(&state, move |p| p.close_monitor(&actor, id)).await??;
    Ok(back_to(
        &format!("/monitor/{id}"),
        "done=done-monitor-closed",
    ))
}

/// The address pupils type (or the QR code holds): the configured public address, else
/// this server's host as the browser reached it.
fn answer_base(state: &AppState, headers: &HeaderMap) -> String {
    match &state.config.public_url {
        Some(url) => url.trim_end_matches('/').to_string(),
        None => {
            let https = crate::security::is_https(state, headers);
            crate::pages::lessons::join_base(headers, https)
        }
    }
}

#[derive(Debug, Clone)]
struct Slip {
    code: String,
    qr: String,
}

#[derive(Debug, Clone)]
struct ClassSlips {
    name: String,
    slips: Vec<Slip>,
}

#[derive(Template)]
#[template(path = "monitor_slips.html")]
struct SlipsPage {
    page: Page,
    id: i64,
    title: String,
    address: String,
    classes: Vec<ClassSlips>,
}

#[derive(Debug, Deserialize, Default)]
pub struct SlipsQuery {
    #[serde(default)]
    class: Option<String>,
}

/// `GET /monitor/{id}/slips`: A4 sheets of code slips per class (no names on them), each
/// with a QR code of its answer page drawn here.
pub async fn slips(
    State(state): State<AppState>,
    session: Session,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Query(query): Query<SlipsQuery>,
) -> Result<Response, AppError> {
    let actor = session.actor().clone();
    let (round, codes) = blocking(&state, move |p| p.monitor_codes(&actor, id)).await??;
    let base = answer_base(&state, &headers);
    let only = query.class.filter(|c| !c.trim().is_empty());
    let classes = codes
        .into_iter()
        .filter(|(name, _)| only.as_deref().is_none_or(|c| c == name))
        .map(|(name, codes)| ClassSlips {
            name,
            slips: codes
                .iter()
                .map(|code| Slip {
                    code: display_code(code),
                    qr: crate::qr::svg(&format!("{base}/m/{code}"), 120).unwrap_or_default(),
                })
                .collect(),
        })
        .collect();
    render(&SlipsPage {
        page: session.page("monitor"),
        id,
        title: round.title,
        address: format!("{base}/m"),
        classes,
    })
}

/// `GET /monitor/{id}/results.csv`: the figures for the yearly report.
pub async fn csv(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let actor = session.actor().clone();
    let summary = blocking(&state, move |p| p.monitor_results(&actor, id)).await??;
    Ok(csv_response(
        monitor_csv(&summary),
        &format!("monitor-{}.csv", file_safe(&summary.round.title)),
    ))
}

/// A value for a query string: letters, digits and `-_.~` as they are, the rest
/// percent-encoded (UTF-8).
fn query_value(text: &str) -> String {
    let mut out = String::new();
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.~".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

fn file_safe(title: &str) -> String {
    title
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect()
}

// ---- the pupils' side ----

#[derive(Template)]
#[template(path = "monitor_code.html")]
struct CodePage {
    page: Page,
    thanks: bool,
}

#[derive(Debug, Deserialize, Default)]
pub struct CodeQuery {
    #[serde(default)]
    code: Option<String>,
    #[serde(default)]
    done: Option<String>,
}

fn code_page(visitor: &Visitor, problem: &str, thanks: bool) -> CodePage {
    let mut page = Page::anonymous(visitor.lang, &visitor.path, "");
    if !problem.is_empty() {
        page.problem = page.tr.t(problem);
    }
    CodePage { page, thanks }
}

/// `GET /m`: the page to type a monitor code on (`?code=` goes to its questionnaire);
/// after answering, the thank-you (`?done=1`).
pub async fn enter_code(
    visitor: Visitor,
    Query(query): Query<CodeQuery>,
) -> Result<Response, AppError> {
    if let Some(raw) = query.code.as_deref() {
        if let Some(code) = normalise_code(raw) {
            return Ok(see_other(&format!("/m/{code}")));
        }
        return render_with_status(
            StatusCode::NOT_FOUND,
            &code_page(&visitor, "monitor-error-unknown-code", false),
        );
    }
    render(&code_page(&visitor, "", query.done.is_some()))
}

#[derive(Debug, Clone)]
struct QuestionForm {
    key: &'static str,
    text: String,
    multiple: bool,
    options: Vec<(String, String, bool)>,
}

#[derive(Template)]
#[template(path = "monitor_form.html")]
struct FormPage {
    page: Page,
    code: String,
    title: String,
    questions: Vec<QuestionForm>,
}

fn form_page(visitor: &Visitor, code: &str, title: &str, picked: &[(String, String)]) -> FormPage {
    let page = Page::anonymous(visitor.lang, &visitor.path, "");
    let tr = page.tr;
    let questions = MonitorQuestion::ALL
        .into_iter()
        .map(|q| QuestionForm {
            key: q.key(),
            text: tr.t(&question_key(q)),
            multiple: q.multiple(),
            options: q
                .options()
                .iter()
                .map(|o| {
                    (
                        (*o).to_string(),
                        tr.t(&option_key(o)),
                        picked.iter().any(|(k, v)| k == q.key() && v == o),
                    )
                })
                .collect(),
        })
        .collect();
    FormPage {
        page,
        code: code.to_string(),
        title: title.to_string(),
        questions,
    }
}

/// Where a code typed on the survey page (`/s`) goes when it is an unused monitor code.
pub(crate) async fn monitor_code_target(state: &AppState, typed: &str) -> Option<String> {
    let code = normalise_code(typed)?;
    let lookup = code.clone();
    match blocking(state, move |p| p.open_monitor_code(&lookup)).await {
        Ok(Ok(_)) => Some(format!("/m/{code}")),
        _ => None,
    }
}

/// The code in `/m/{code}`.
fn path_code(request: &Request) -> String {
    request
        .uri()
        .path()
        .strip_prefix("/m/")
        .unwrap_or_default()
        .to_string()
}

/// `GET /m/{code}`: a monitor code's questionnaire; any other code is the school's report
/// page (Meld het).
pub async fn code_get(State(state): State<AppState>, request: Request) -> Response {
    let raw = path_code(&request);
    let Some(code) = normalise_code(&raw) else {
        return Handler::<_, AppState>::call(
            crate::pages::evidence::reports::meld_form,
            request,
            state,
        )
        .await;
    };
    let (parts, _) = request.into_parts();
    let visitor = visitor_of(&state, &parts).await;
    let ip = client_ip(&parts);
    monitor_form(state, visitor, ip, code)
        .await
        .unwrap_or_else(IntoResponse::into_response)
}

async fn visitor_of(state: &AppState, parts: &axum::http::request::Parts) -> Visitor {
    let mut parts = parts.clone();
    match <Visitor as axum::extract::FromRequestParts<AppState>>::from_request_parts(
        &mut parts, state,
    )
    .await
    {
        Ok(visitor) => visitor,
        Err(never) => match never {},
    }
}

fn client_ip(parts: &axum::http::request::Parts) -> std::net::IpAddr {
    parts
        .extensions
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|info| info.0.ip())
        .unwrap_or(std::net::IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED))
}

async fn monitor_form(
    state: AppState,
    visitor: Visitor,
    ip: std::net::IpAddr,
    code: String,
) -> Result<Response, AppError> {
    code_guard(&state, ip)?;
    let lookup = code.clone();
    let opened = blocking(&state, move |p| p.open_monitor_code(&lookup)).await?;
    match opened {
        Ok((round, code)) => render(&form_page(&visitor, &code, &round.title, &[])),
        Err(err) => refused(&state, &visitor, ip, err),
    }
}

/// A refused code as the code page again, with the reason.
fn refused(
    state: &AppState,
    visitor: &Visitor,
    ip: std::net::IpAddr,
    err: MonitorAnswerError,
) -> Result<Response, AppError> {
    match err {
        MonitorAnswerError::UnknownCode => {
            note_wrong_code(state, ip);
            render_with_status(
                StatusCode::NOT_FOUND,
                &code_page(visitor, "monitor-error-unknown-code", false),
            )
        }
        MonitorAnswerError::Closed => render_with_status(
            StatusCode::CONFLICT,
            &code_page(visitor, "monitor-error-closed", false),
        ),
        MonitorAnswerError::Invalid(_) | MonitorAnswerError::Empty => {
            Err(AppError::BadRequest("monitor-error-empty"))
        }
        MonitorAnswerError::Store(store) => Err(AppError::from(store)),
    }
}

/// The ticked options of a posted questionnaire (only the questions' own fields).
fn choices_of(pairs: &[(String, String)]) -> BTreeMap<String, Vec<String>> {
    let mut choices: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (key, value) in pairs {
        if MonitorQuestion::ALL.iter().any(|q| q.key() == key) && !value.is_empty() {
            let list = choices.entry(key.clone()).or_default();
            if !list.contains(value) {
                list.push(value.clone());
            }
        }
    }
    choices
}

/// `POST /m/{code}`: stores a monitor answer (the code is deleted in the same transaction);
/// any other code is a pupil's report (Meld het).
pub async fn code_post(State(state): State<AppState>, request: Request) -> Response {
    let raw = path_code(&request);
    let Some(code) = normalise_code(&raw) else {
        return Handler::<_, AppState>::call(crate::pages::evidence::reports::meld, request, state)
            .await;
    };
    let (parts, body) = request.into_parts();
    let visitor = visitor_of(&state, &parts).await;
    let ip = client_ip(&parts);
    submit_form(state, visitor, ip, code, body)
        .await
        .unwrap_or_else(IntoResponse::into_response)
}

async fn submit_form(
    state: AppState,
    visitor: Visitor,
    ip: std::net::IpAddr,
    code: String,
    body: Body,
) -> Result<Response, AppError> {
    code_guard(&state, ip)?;
    let bytes = axum::body::to_bytes(body, FORM_BODY_LIMIT)
        .await
        .map_err(|_| AppError::TooLarge)?;
    let pairs = crate::pages::lessons::form_pairs(&String::from_utf8_lossy(&bytes));
    let choices = choices_of(&pairs);
    let lookup = code.clone();
    let result = blocking(&state, move |p| {
        p.submit_monitor_answer(&lookup, &choices)
            .map(|()| None)
            .or_else(|err| match err {
                // Nothing ticked: the form again, the code still unused.
                MonitorAnswerError::Empty | MonitorAnswerError::Invalid(_) => {
                    let title = p.open_monitor_code(&lookup).map(|(r, _)| r.title);
                    title.map(|t| Some((t, err)))
                }
                other => Err(other),
            })
    })
    .await?;
    match result {
        Ok(None) => Ok(see_other("/m?done=1")),
        Ok(Some((title, _))) => {
            let mut form = form_page(&visitor, &code, &title, &pairs);
            form.page.problem = form.page.tr.t("monitor-error-empty");
            render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &form)
        }
        Err(err) => refused(&state, &visitor, ip, err),
    }
}

// ---- the JSON API ----

/// `GET /api/v1/monitors/{id}`.
pub async fn api_show(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(id): Path<i64>,
) -> Result<Json<Value>, AppError> {
    let round = blocking(&state, move |p| p.monitor(&actor, id)).await??;
    Ok(Json(round_json(&round)))
}

/// `POST /api/v1/monitors/{id}/close`.
pub async fn api_close(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(id): Path<i64>,
) -> Result<Json<Value>, AppError> {
    let round = blocking(&state, move |p| p.close_monitor(&actor, id)).await??;
    Ok(Json(round_json(&round)))
}

/// `GET /api/v1/monitors/{id}/codes`: the unused codes per class, for printing elsewhere.
pub async fn api_codes(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(id): Path<i64>,
) -> Result<Json<Value>, AppError> {
    let (round, classes) = blocking(&state, move |p| p.monitor_codes(&actor, id)).await??;
    let mut doc = round_json(&round);
    doc["classes"] = classes
        .iter()
        .map(|(name, codes)| json!({"name": name, "codes": codes}))
        .collect();
    Ok(Json(doc))
}

/// `GET /api/v1/monitors/{id}/results.csv`.
pub async fn api_csv(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let summary: MonitorSummary =
        blocking(&state, move |p| p.monitor_results(&actor, id)).await??;
    Ok(csv_response(
        monitor_csv(&summary),
        &format!("monitor-{}.csv", file_safe(&summary.round.title)),
    ))
}

#[derive(Debug, Deserialize)]
pub struct MonitorAnswerBody {
    #[serde(default)]
    code: String,
    /// question -> one option, or a list (several only for `would_tell`).
    #[serde(default)]
    answers: BTreeMap<String, Value>,
}

/// `POST /api/v1/monitor-answers` (no token: the code is the credential): 201 once; the
/// code is gone afterwards (404).
pub async fn api_answer(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    Json(body): Json<MonitorAnswerBody>,
) -> Result<Response, AppError> {
    code_guard(&state, ip)?;
    let mut choices: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (question, value) in body.answers {
        let list = match value {
            Value::String(one) => vec![one],
            Value::Array(many) => many
                .into_iter()
                .map(|v| match v {
                    Value::String(s) => Ok(s),
                    _ => Err(AppError::BadRequest("monitor-error-invalid")),
                })
                .collect::<Result<_, _>>()?,
            Value::Null => continue,
            _ => return Err(AppError::BadRequest("monitor-error-invalid")),
        };
        choices.insert(question, list);
    }
    let code = body.code;
    let result = blocking(&state, move |p| p.submit_monitor_answer(&code, &choices)).await?;
    match result {
        Ok(()) => Ok((StatusCode::CREATED, Json(json!({"stored": true}))).into_response()),
        Err(MonitorAnswerError::UnknownCode) => {
            note_wrong_code(&state, ip);
            Err(AppError::NotFound)
        }
        Err(MonitorAnswerError::Closed) => Err(AppError::ClosedSurvey),
        Err(MonitorAnswerError::Invalid(_)) => Err(AppError::BadRequest("monitor-error-invalid")),
        Err(MonitorAnswerError::Empty) => Err(AppError::BadRequest("monitor-error-empty")),
        Err(MonitorAnswerError::Store(store)) => Err(AppError::from(store)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_questions_fields_count_and_twice_is_once() {
        let pairs = vec![
            ("csrf".to_string(), "x".to_string()),
            ("safe_school".to_string(), "always".to_string()),
            ("would_tell".to_string(), "mentor".to_string()),
            ("would_tell".to_string(), "parent".to_string()),
            ("would_tell".to_string(), "parent".to_string()),
            ("bullied".to_string(), String::new()),
        ];
        let choices = choices_of(&pairs);
        assert_eq!(choices.len(), 2);
        assert_eq!(choices["would_tell"], vec!["mentor", "parent"]);
    }

    #[test]
    fn the_title_follows_the_school_year() {
        let date = |s: &str| erbij_core::Date::parse(s).unwrap_or_else(|_| unreachable!());
        assert_eq!(suggested_title(date("2026-03-10")), "2025-2026");
        assert_eq!(suggested_title(date("2026-09-01")), "2026-2027");
    }

    #[test]
    fn class_names_are_encoded_for_the_slips_link() {
        assert_eq!(query_value("2B"), "2B");
        assert_eq!(query_value("H4 & co"), "H4%20%26%20co");
        assert_eq!(query_value("3é"), "3%C3%A9");
    }
}
