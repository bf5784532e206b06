//! The JSON API of signals and early warning, and the administrator's teacher assignments.

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use erbij_core::{
    AccessError, ClassId, EarlyWarningRule, PupilId, RuleKind, RuleSet, SchoolKind, SignalChange,
    SignalError, SignalId, SignalInput, SignalKind, SignalRecord, Timestamp, UserId, UserRecord,
    WarningEntry,
};
use serde::{Deserialize, Serialize};

use crate::auth::{ApiActor, blocking};
use crate::error::AppError;
use crate::i18n::{Lang, Tr};
use crate::security::RenderedPage;
use crate::state::AppState;

/// `2026-03-02T08:15:00Z`.
pub(crate) fn rfc3339(ts: Timestamp) -> String {
    let day = erbij_core::Date::from_timestamp(ts);
    let seconds = ts.rem_euclid(86_400);
    format!(
        "{day}T{:02}:{:02}:{:02}Z",
        seconds / 3600,
        seconds / 60 % 60,
        seconds % 60
    )
}

#[derive(Debug, Serialize)]
pub struct SignalJson {
    id: i64,
    pupil_id: i64,
    /// The pupil's class when the sign was recorded.
    class_id: i64,
    kind: &'static str,
    seen_on: String,
    note: String,
    seen_by: i64,
    seen_by_name: String,
    recorded_at: String,
    withdrawn: bool,
    withdrawn_at: Option<String>,
    withdrawn_by: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    trace: Option<Vec<ChangeJson>>,
}

impl From<SignalRecord> for SignalJson {
    fn from(s: SignalRecord) -> Self {
        SignalJson {
            id: s.id.0,
            pupil_id: s.pupil_id.0,
            class_id: s.class_id.0,
            kind: s.kind.as_str(),
            seen_on: s.seen_on.to_string(),
            note: s.note,
            seen_by: s.recorded_by.0,
            seen_by_name: s.recorded_by_name,
            recorded_at: rfc3339(s.recorded_at),
            withdrawn: s.withdrawn_at.is_some(),
            withdrawn_at: s.withdrawn_at.map(rfc3339),
            withdrawn_by: s.withdrawn_by.map(|u| u.0),
            trace: None,
        }
    }
}

#[derive(Debug, Serialize)]
pub struct ChangeJson {
    action: &'static str,
    by: i64,
    by_name: String,
    at: String,
    previous: PreviousJson,
    reason: String,
}

#[derive(Debug, Serialize)]
pub struct PreviousJson {
    kind: &'static str,
    seen_on: String,
    note: String,
}

impl From<SignalChange> for ChangeJson {
    fn from(c: SignalChange) -> Self {
        ChangeJson {
            action: c.action.as_str(),
            by: c.changed_by.0,
            by_name: c.changed_by_name,
            at: rfc3339(c.changed_at),
            previous: PreviousJson {
                kind: c.old_kind.as_str(),
                seen_on: c.old_seen_on.to_string(),
                note: c.old_note,
            },
            reason: c.reason,
        }
    }
}

/// A refused field: 422 with the field's name and a message in English and Dutch.
pub(crate) fn invalid_field(field: &str, message_en: String, key: &str) -> Response {
    let nl = Tr::new(Lang::Nl, SchoolKind::Secondary).t(key);
    let mut response = (
        StatusCode::UNPROCESSABLE_ENTITY,
        Json(serde_json::json!({
            "error": "invalid",
            "field": field,
            "message": message_en,
            "message_nl": nl,
        })),
    )
        .into_response();
    response.extensions_mut().insert(RenderedPage);
    response
}

/// A signals error as an API response.
pub(crate) fn signal_error(err: SignalError) -> Response {
    match err {
        SignalError::Access(access) => AppError::from(access).into_response(),
        SignalError::Input(input) => invalid_field(input.field(), input.to_string(), input.key()),
    }
}

/// A body that is not the JSON we expect: 422 naming what serde could not read.
fn bad_json(rejection: JsonRejection) -> Response {
    let detail = rejection.body_text();
    let field = ["kind", "seen_on", "note", "user_id", "rules", "reason"]
        .into_iter()
        .find(|f| detail.contains(&format!("`{f}`")))
        .unwrap_or("body");
    if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
        return AppError::TooLarge.into_response();
    }
    invalid_field(
        field,
        format!("{field}: the request body is not the expected JSON ({detail})"),
        "error-signals-bad-json",
    )
}

#[derive(Debug, Deserialize)]
pub struct SignalBody {
    kind: String,
    #[serde(default)]
    seen_on: Option<String>,
    #[serde(default)]
    note: Option<String>,
}

impl SignalBody {
    fn input(self) -> SignalInput {
        SignalInput {
            kind: self.kind,
            seen_on: self.seen_on,
            note: self.note,
        }
    }
}

pub async fn record_signal(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(id): Path<i64>,
    body: Result<Json<SignalBody>, JsonRejection>,
) -> Result<Response, AppError> {
    let body = match body {
        Ok(Json(body)) => body,
        Err(rejection) => {
            // Hide the pupil's existence from those who may not see it before judging the body.
            blocking(&state, move |p| {
                p.signals_of_pupil(&actor, PupilId(id), false).map(|_| ())
            })
            .await??;
            return Ok(bad_json(rejection));
        }
    };
    let result = blocking(&state, move |p| {
        p.record_signal(&actor, PupilId(id), &body.input())
    })
    .await?;
    Ok(match result {
        Ok(signal) => (
            StatusCode::CREATED,
            [(header::LOCATION, format!("/api/v1/signals/{}", signal.id))],
            Json(SignalJson::from(signal)),
        )
            .into_response(),
        Err(err) => signal_error(err),
    })
}

#[derive(Debug, Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    include_withdrawn: Option<String>,
}

pub async fn list_signals(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(id): Path<i64>,
    Query(query): Query<ListQuery>,
) -> Result<Json<Vec<SignalJson>>, AppError> {
    let include = matches!(
        query.include_withdrawn.as_deref(),
        Some("true" | "1" | "yes")
    );
    let signals = blocking(&state, move |p| {
        p.signals_of_pupil(&actor, PupilId(id), include)
    })
    .await??;
    Ok(Json(signals.into_iter().map(SignalJson::from).collect()))
}

pub async fn get_signal(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(id): Path<i64>,
) -> Result<Json<SignalJson>, AppError> {
    let (signal, changes) = blocking(&state, move |p| p.signal(&actor, SignalId(id))).await??;
    let mut json = SignalJson::from(signal);
    json.trace = Some(changes.into_iter().map(ChangeJson::from).collect());
    Ok(Json(json))
}

#[derive(Debug, Deserialize)]
pub struct CorrectBody {
    #[serde(default)]
    kind: Option<String>,
    #[serde(default)]
    seen_on: Option<String>,
    #[serde(default)]
    note: Option<String>,
}

pub async fn correct_signal(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(id): Path<i64>,
    body: Result<Json<CorrectBody>, JsonRejection>,
) -> Result<Response, AppError> {
    let result = blocking(&state, move |p| {
        let (current, _) = p.signal(&actor, SignalId(id))?;
        let body = match body {
            Ok(Json(body)) => body,
            Err(rejection) => return Ok(Err(bad_json(rejection))),
        };
        // Fields left out keep their value.
        let input = SignalInput {
            kind: body
                .kind
                .unwrap_or_else(|| current.kind.as_str().to_string()),
            seen_on: Some(body.seen_on.unwrap_or_else(|| current.seen_on.to_string())),
            note: Some(body.note.unwrap_or(current.note)),
        };
        Ok::<_, AccessError>(
            p.correct_signal(&actor, SignalId(id), &input)
                .map_err(signal_error),
        )
    })
    .await??;
    Ok(match result {
        Ok(signal) => Json(SignalJson::from(signal)).into_response(),
        Err(response) => response,
    })
}

#[derive(Debug, Deserialize, Default)]
pub struct WithdrawBody {
    #[serde(default)]
    reason: Option<String>,
}

/// Withdraws a sign: 204; it stays in the trace (`GET /api/v1/signals/{id}`) and stops counting.
pub async fn withdraw_signal(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(id): Path<i64>,
    body: Option<Json<WithdrawBody>>,
) -> Result<Response, AppError> {
    let reason = body.and_then(|Json(b)| b.reason).unwrap_or_default();
    let result = blocking(&state, move |p| {
        p.withdraw_signal(&actor, SignalId(id), &reason)
    })
    .await?;
    Ok(match result {
        Ok(_) => StatusCode::NO_CONTENT.into_response(),
        Err(err) => signal_error(err),
    })
}

#[derive(Debug, Serialize)]
pub struct WarningJson {
    pupil_id: i64,
    class_id: i64,
    rule: String,
    rules: Vec<String>,
    reason_nl: String,
    reason_en: String,
    signals: Vec<i64>,
}

impl From<WarningEntry> for WarningJson {
    fn from(e: WarningEntry) -> Self {
        WarningJson {
            pupil_id: e.pupil_id.0,
            class_id: e.class_id.0,
            rule: e.rule,
            rules: e.rules,
            reason_nl: e.reason_nl,
            reason_en: e.reason_en,
            signals: e.signals.into_iter().map(|s| s.0).collect(),
        }
    }
}

#[derive(Debug, Serialize)]
pub struct EarlyWarningJson {
    pupils: Vec<WarningJson>,
}

pub async fn early_warning(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
) -> Result<Json<EarlyWarningJson>, AppError> {
    let entries = blocking(&state, move |p| p.early_warning(&actor)).await??;
    Ok(Json(EarlyWarningJson {
        pupils: entries.into_iter().map(WarningJson::from).collect(),
    }))
}

#[derive(Debug, Serialize, Deserialize)]
pub struct RuleJson {
    /// `distinct_kinds`, `teachers` or `signals`.
    kind: String,
    min_count: i64,
    window_days: i64,
    /// The kinds of sign the rule counts; empty or left out: every kind.
    #[serde(default)]
    signal_kinds: Vec<String>,
    #[serde(default = "yes")]
    enabled: bool,
    #[serde(default, skip_deserializing)]
    description_nl: String,
    #[serde(default, skip_deserializing)]
    description_en: String,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Serialize, Deserialize)]
pub struct RulesJson {
    rules: Vec<RuleJson>,
    #[serde(default, skip_deserializing)]
    defaults: bool,
    #[serde(default, skip_deserializing)]
    updated_by_name: Option<String>,
    #[serde(default, skip_deserializing)]
    updated_at: Option<String>,
}

impl From<RuleSet> for RulesJson {
    fn from(set: RuleSet) -> Self {
        RulesJson {
            defaults: set.updated_at.is_none(),
            rules: set
                .rules
                .into_iter()
                .map(|r| RuleJson {
                    kind: r.kind.as_str().to_string(),
                    min_count: r.min_count,
                    window_days: r.window_days,
                    signal_kinds: r
                        .signal_kinds
                        .iter()
                        .map(|k| k.as_str().to_string())
                        .collect(),
                    enabled: r.enabled,
                    description_nl: r.describe_nl(),
                    description_en: r.describe_en(),
                })
                .collect(),
            updated_by_name: set.updated_by_name,
            updated_at: set.updated_at.map(rfc3339),
        }
    }
}

pub async fn rules(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
) -> Result<Json<RulesJson>, AppError> {
    let set = blocking(&state, move |p| p.early_warning_rules(&actor)).await??;
    Ok(Json(set.into()))
}

/// Replaces the school's rules (coordinator).
pub async fn save_rules(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    body: Result<Json<RulesJson>, JsonRejection>,
) -> Result<Response, AppError> {
    let result = blocking(&state, move |p| {
        // Who may not change the rules hears so before their body is judged.
        p.early_warning_rules(&actor)?;
        if actor.role != erbij_core::Role::Coordinator {
            return Err(AccessError::Forbidden);
        }
        let body = match body {
            Ok(Json(body)) => body,
            Err(rejection) => return Ok(Err(bad_json(rejection))),
        };
        let mut rules = Vec::new();
        for rule in body.rules {
            let Some(kind) = RuleKind::parse(&rule.kind) else {
                return Ok(Err(invalid_field(
                    "kind",
                    format!(
                        "kind: `{}` is not a rule; use distinct_kinds, teachers or signals",
                        rule.kind.chars().take(40).collect::<String>()
                    ),
                    "error-signals-unknown-rule",
                )));
            };
            let mut kinds = Vec::new();
            for k in &rule.signal_kinds {
                match SignalKind::parse(k) {
                    Some(k) => kinds.push(k),
                    None => {
                        let err =
                            erbij_core::SignalInputError::UnknownKind(k.chars().take(40).collect());
                        return Ok(Err(invalid_field(
                            "signal_kinds",
                            err.to_string(),
                            err.key(),
                        )));
                    }
                }
            }
            rules.push(EarlyWarningRule {
                kind,
                min_count: rule.min_count,
                window_days: rule.window_days,
                signal_kinds: kinds,
                enabled: rule.enabled,
            });
        }
        Ok(p.save_early_warning_rules(&actor, &rules)
            .map_err(signal_error))
    })
    .await??;
    Ok(match result {
        Ok(set) => Json(RulesJson::from(set)).into_response(),
        Err(response) => response,
    })
}

#[derive(Debug, Serialize)]
pub struct UserJson {
    id: i64,
    email: String,
    name: String,
    role: &'static str,
}

impl From<UserRecord> for UserJson {
    fn from(u: UserRecord) -> Self {
        UserJson {
            id: u.id.0,
            email: u.email.to_string(),
            name: u.name,
            role: u.role.as_str(),
        }
    }
}

/// The school's accounts (administrator).
pub async fn users(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
) -> Result<Json<Vec<UserJson>>, AppError> {
    let users = blocking(&state, move |p| p.users(&actor)).await??;
    Ok(Json(users.into_iter().map(UserJson::from).collect()))
}

/// The teachers assigned to a class (whoever may see the class).
pub async fn class_teachers(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(id): Path<i64>,
) -> Result<Json<Vec<UserJson>>, AppError> {
    let users = blocking(&state, move |p| p.teachers_of_class(&actor, ClassId(id))).await??;
    Ok(Json(users.into_iter().map(UserJson::from).collect()))
}

#[derive(Debug, Deserialize)]
pub struct AssignBody {
    user_id: i64,
}

#[derive(Debug, Serialize)]
pub struct AssignmentJson {
    class_id: i64,
    user_id: i64,
}

/// Assigns a teacher: 201 when new, 200 when the assignment already existed.
pub async fn assign_teacher(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(id): Path<i64>,
    body: Result<Json<AssignBody>, JsonRejection>,
) -> Result<Response, AppError> {
    let result = blocking(&state, move |p| {
        // Visibility and role first: an unknown class is 404 and a teacher 403, whatever the body.
        p.class(&actor, ClassId(id))?;
        if !actor.role.manages_school() {
            return Err(AccessError::Forbidden);
        }
        let body = match body {
            Ok(Json(body)) => body,
            Err(rejection) => return Ok(Err(bad_json(rejection))),
        };
        let user = UserId(body.user_id);
        let existed = p
            .teachers_of_class(&actor, ClassId(id))?
            .iter()
            .any(|u| u.id == user);
        p.assign_teacher(&actor, ClassId(id), user)?;
        Ok(Ok((existed, user.0)))
    })
    .await??;
    Ok(match result {
        Ok((existed, user_id)) => {
            let status = if existed {
                StatusCode::OK
            } else {
                StatusCode::CREATED
            };
            (
                status,
                Json(AssignmentJson {
                    class_id: id,
                    user_id,
                }),
            )
                .into_response()
        }
        Err(response) => response,
    })
}

/// Removes an assignment: 204 (also when there was none).
pub async fn unassign_teacher(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path((id, user_id)): Path<(i64, i64)>,
) -> Result<Response, AppError> {
    blocking(&state, move |p| {
        p.unassign_teacher(&actor, ClassId(id), UserId(user_id))
    })
    .await??;
    Ok(StatusCode::NO_CONTENT.into_response())
}
