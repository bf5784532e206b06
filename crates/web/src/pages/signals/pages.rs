//! The pages: record a sign (pupil page with the timeline), one sign with its trace,
//! "Aandacht nodig", the coordinator's rules, the class grid.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use erbij_core::{
    ClassId, Date, EarlyWarningRule, PupilId, Role, RuleKind, SignalError, SignalId, SignalInput,
    SignalKind, SignalRecord, TimelineItem,
};
use serde::Deserialize;

use crate::auth::{Session, blocking};
use crate::error::AppError;
use crate::i18n::{Lang, Tr};
use crate::pages::{Flash, Page, PupilView, back_to, redirect_on_invalid, render};
use crate::state::AppState;

/// A kind of sign as the pages show it.
#[derive(Debug, Clone)]
pub struct KindView {
    pub key: &'static str,
    pub label: &'static str,
    pub guidance: &'static str,
    pub in_class: bool,
}

fn kind_view(kind: SignalKind, lang: Lang) -> KindView {
    let (label, guidance) = match lang {
        Lang::Nl => (kind.label_nl(), kind.guidance_nl()),
        Lang::En => (kind.label_en(), kind.guidance_en()),
    };
    KindView {
        key: kind.as_str(),
        label,
        guidance,
        in_class: kind.seen_in_class(),
    }
}

fn label(kind: SignalKind, lang: Lang) -> &'static str {
    match lang {
        Lang::Nl => kind.label_nl(),
        Lang::En => kind.label_en(),
    }
}

pub(crate) use crate::i18n::{show_date, show_time};

/// A sign on the timeline or the sign page.
#[derive(Debug, Clone)]
pub struct SignalView {
    pub id: i64,
    pub kind: &'static str,
    pub label: &'static str,
    pub seen_on: String,
    pub seen_on_iso: String,
    pub note: String,
    pub seen_by: String,
    pub recorded_at: String,
    pub class_name: String,
    pub withdrawn: bool,
    pub trace: Vec<String>,
    pub may_change: bool,
    pub may_undo: bool,
}

fn signal_view(
    tr: &Tr,
    signal: &SignalRecord,
    changes: &[erbij_core::SignalChange],
    class_name: String,
    may_change: bool,
    may_undo: bool,
) -> SignalView {
    let lang = tr.lang;
    let trace = changes
        .iter()
        .map(|c| {
            let when = show_time(c.changed_at, lang);
            let before = format!(
                "{}, {}{}",
                label(c.old_kind, lang),
                show_date(c.old_seen_on, lang),
                if c.old_note.is_empty() {
                    String::new()
                } else {
                    format!(", “{}”", c.old_note)
                }
            );
            match c.action {
                erbij_core::ChangeAction::Corrected => tr.format(
                    "signals-trace-corrected",
                    &[
                        ("who", c.changed_by_name.as_str()),
                        ("when", when.as_str()),
                        ("before", before.as_str()),
                    ],
                ),
                erbij_core::ChangeAction::Withdrawn => {
                    let mut line = tr.format(
                        "signals-trace-withdrawn",
                        &[("who", c.changed_by_name.as_str()), ("when", when.as_str())],
                    );
                    if !c.reason.is_empty() {
                        line.push_str(": ");
                        line.push_str(&c.reason);
                    }
                    line
                }
            }
        })
        .collect();
    SignalView {
        id: signal.id.0,
        kind: signal.kind.as_str(),
        label: label(signal.kind, lang),
        seen_on: show_date(signal.seen_on, lang),
        seen_on_iso: signal.seen_on.to_string(),
        note: signal.note.clone(),
        seen_by: signal.recorded_by_name.clone(),
        recorded_at: show_time(signal.recorded_at, lang),
        class_name,
        withdrawn: signal.is_withdrawn(),
        trace,
        may_change,
        may_undo,
    }
}

/// One line of the timeline.
#[derive(Debug, Clone)]
pub enum EntryView {
    Signal(SignalView),
    ClassMove {
        on: String,
        text: String,
    },
    SurveyFlag {
        on: String,
        text: String,
        href: String,
    },
}

#[derive(Template)]
#[template(path = "signals_pupil.html")]
struct PupilSignalsPage {
    page: Page,
    pupil: PupilView,
    class_id: i64,
    class_name: String,
    archived: bool,
    kinds: Vec<KindView>,
    today: String,
    entries: Vec<EntryView>,
    just_recorded: Option<SignalView>,
    /// The pupil's cases the user may see: (id, opened, closed or empty).
    cases: Vec<(i64, String, String)>,
}

#[derive(Debug, Deserialize, Default)]
pub struct PupilQuery {
    #[serde(default)]
    recorded: Option<i64>,
    #[serde(default)]
    done: Option<String>,
    #[serde(default)]
    error: Option<String>,
}

/// The pupil page of signals: the sign buttons (one tap records) and the timeline.
pub async fn pupil_page(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<i64>,
    Query(query): Query<PupilQuery>,
) -> Result<Response, AppError> {
    let actor = session.actor().clone();
    let tr = session.tr();
    let (timeline, recorded) = blocking(&state, move |p| -> Result<_, AppError> {
        let timeline = p.pupil_timeline(&actor, PupilId(id))?;
        let recorded = query
            .recorded
            .and_then(|sid| {
                timeline.entries.iter().find_map(|e| match &e.item {
                    TimelineItem::Signal { signal, .. } if signal.id.0 == sid => {
                        Some(signal.clone())
                    }
                    _ => None,
                })
            })
            .filter(|s| p.may_undo(&actor, s));
        let may: Vec<(i64, bool, bool)> = timeline
            .entries
            .iter()
            .filter_map(|e| match &e.item {
                TimelineItem::Signal { signal, .. } => Some((
                    signal.id.0,
                    p.may_change(&actor, signal),
                    p.may_undo(&actor, signal),
                )),
                _ => None,
            })
            .collect();
        // The pupil's cases, for those who may see them (none for the administrator).
        let cases: Vec<(i64, Date, Option<Date>)> = p
            .cases(&actor)?
            .into_iter()
            .filter(|c| c.case.pupil_id == timeline.pupil.id)
            .map(|c| {
                (
                    c.case.id.0,
                    c.case.opened_on,
                    c.case.closing.as_ref().map(|x| x.closed_on),
                )
            })
            .collect();
        Ok(((timeline, may, cases), recorded))
    })
    .await??;
    let (timeline, may, cases) = timeline;
    let lang = tr.lang;
    let entries = timeline
        .entries
        .iter()
        .map(|e| match &e.item {
            TimelineItem::Signal {
                signal,
                changes,
                class_name,
            } => {
                let (change, undo) = may
                    .iter()
                    .find(|(id, _, _)| *id == signal.id.0)
                    .map(|(_, c, u)| (*c, *u))
                    .unwrap_or((false, false));
                EntryView::Signal(signal_view(
                    &tr,
                    signal,
                    changes,
                    class_name.clone(),
                    change,
                    undo,
                ))
            }
            TimelineItem::SurveyFlag(flag) => EntryView::SurveyFlag {
                on: show_date(e.on, lang),
                text: match lang {
                    Lang::Nl => flag.reason_nl.clone(),
                    Lang::En => flag.reason_en.clone(),
                },
                href: format!("/surveys/{}", flag.round_id),
            },
            TimelineItem::ClassMove(m) => EntryView::ClassMove {
                on: show_date(m.moved_on, lang),
                text: tr.format(
                    "signals-timeline-moved",
                    &[
                        ("from", m.from_class_name.as_str()),
                        ("to", m.to_class_name.as_str()),
                    ],
                ),
            },
        })
        .collect();
    let flash = Flash {
        done: query.done,
        error: query.error,
    };
    let just_recorded = recorded.map(|s| signal_view(&tr, &s, &[], String::new(), true, true));
    render(&PupilSignalsPage {
        page: session.page("classes").with_flash(&flash),
        pupil: PupilView::from(&timeline.pupil),
        class_id: timeline.class.id.0,
        class_name: timeline.class.name.clone(),
        archived: timeline.pupil.left_on.is_some(),
        kinds: SignalKind::ALL
            .into_iter()
            .map(|k| kind_view(k, lang))
            .collect(),
        today: state.platform.today().to_string(),
        entries,
        just_recorded,
        cases: cases
            .into_iter()
            .map(|(id, opened, closed)| {
                (
                    id,
                    tr.t1("case-timeline-opened", "date", &show_date(opened, lang)),
                    closed
                        .map(|d| tr.t1("case-timeline-closed", "date", &show_date(d, lang)))
                        .unwrap_or_default(),
                )
            })
            .collect(),
    })
}

#[derive(Debug, Deserialize)]
pub struct SignalForm {
    csrf: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    seen_on: String,
    #[serde(default)]
    note: String,
}

/// Records a sign from the pupil page; back to the page with "undo" for a minute.
pub async fn record(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<i64>,
    Form(form): Form<SignalForm>,
) -> Result<Response, AppError> {
    session.check_csrf(&form.csrf)?;
    let actor = session.actor().clone();
    let path = format!("/pupils/{id}/signals");
    let result = blocking(&state, move |p| {
        p.record_signal(
            &actor,
            PupilId(id),
            &SignalInput {
                kind: form.kind,
                seen_on: Some(form.seen_on),
                note: Some(form.note),
            },
        )
    })
    .await?;
    match result {
        Ok(signal) => Ok(back_to(&path, &format!("recorded={}", signal.id))),
        Err(err) => redirect_on_invalid(&path, page_error(err)),
    }
}

fn page_error(err: SignalError) -> AppError {
    match err {
        SignalError::Access(access) => AppError::from(access),
        SignalError::Input(input) => AppError::BadRequest(input.key()),
    }
}

#[derive(Debug, Deserialize)]
pub struct CsrfForm {
    csrf: String,
    #[serde(default)]
    reason: String,
}

pub async fn undo(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<i64>,
    Form(form): Form<CsrfForm>,
) -> Result<Response, AppError> {
    session.check_csrf(&form.csrf)?;
    let actor = session.actor().clone();
    let result = blocking(&state, move |p| p.undo_signal(&actor, SignalId(id))).await?;
    match result {
        Ok(signal) => Ok(back_to(
            &format!("/pupils/{}/signals", signal.pupil_id),
            "done=done-signals-undone",
        )),
        Err(err) => redirect_on_invalid(&format!("/signals/{id}"), page_error(err)),
    }
}

pub async fn withdraw(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<i64>,
    Form(form): Form<CsrfForm>,
) -> Result<Response, AppError> {
    session.check_csrf(&form.csrf)?;
    let actor = session.actor().clone();
    let result = blocking(&state, move |p| {
        p.withdraw_signal(&actor, SignalId(id), &form.reason)
    })
    .await?;
    match result {
        Ok(signal) => Ok(back_to(
            &format!("/pupils/{}/signals", signal.pupil_id),
            "done=done-signals-withdrawn",
        )),
        Err(err) => redirect_on_invalid(&format!("/signals/{id}"), page_error(err)),
    }
}

pub async fn correct(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<i64>,
    Form(form): Form<SignalForm>,
) -> Result<Response, AppError> {
    session.check_csrf(&form.csrf)?;
    let actor = session.actor().clone();
    let result = blocking(&state, move |p| {
        p.correct_signal(
            &actor,
            SignalId(id),
            &SignalInput {
                kind: form.kind,
                seen_on: Some(form.seen_on),
                note: Some(form.note),
            },
        )
    })
    .await?;
    match result {
        Ok(signal) => Ok(back_to(
            &format!("/pupils/{}/signals", signal.pupil_id),
            "done=done-signals-corrected",
        )),
        Err(err) => redirect_on_invalid(&format!("/signals/{id}"), page_error(err)),
    }
}

#[derive(Template)]
#[template(path = "signals_signal.html")]
struct SignalPage {
    page: Page,
    signal: SignalView,
    pupil: PupilView,
    kinds: Vec<KindView>,
    today: String,
}

/// One sign with its trace, and the forms to correct or withdraw it.
pub async fn signal_page(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<i64>,
    Query(flash): Query<Flash>,
) -> Result<Response, AppError> {
    let actor = session.actor().clone();
    let tr = session.tr();
    let (signal, changes, pupil, may_change, may_undo) =
        blocking(&state, move |p| -> Result<_, AppError> {
            let (signal, changes) = p.signal(&actor, SignalId(id))?;
            let pupil = p.pupil(&actor, signal.pupil_id)?;
            let change = p.may_change(&actor, &signal);
            let undo = p.may_undo(&actor, &signal);
            Ok((signal, changes, pupil, change, undo))
        })
        .await??;
    render(&SignalPage {
        page: session.page("classes").with_flash(&flash),
        signal: signal_view(&tr, &signal, &changes, String::new(), may_change, may_undo),
        pupil: PupilView::from(&pupil),
        kinds: SignalKind::ALL
            .into_iter()
            .map(|k| kind_view(k, tr.lang))
            .collect(),
        today: state.platform.today().to_string(),
    })
}

/// One pupil on "Aandacht nodig".
#[derive(Debug, Clone)]
pub struct WarningView {
    pub pupil_id: i64,
    pub name: String,
    pub class_name: String,
    pub class_id: i64,
    pub rule: String,
    pub reason: String,
    pub count: usize,
    /// "Open a case" for this pupil: the case's origin (`signal`, or `survey` for a survey
    /// flag) and the latest sign it came from (empty when none).
    pub origin: &'static str,
    pub origin_ref: String,
}

#[derive(Template)]
#[template(path = "signals_early_warning.html")]
struct EarlyWarningPage {
    page: Page,
    entries: Vec<WarningView>,
    rules: Vec<String>,
    may_set_rules: bool,
    may_open_case: bool,
}

/// "Aandacht nodig": the pupils for whom signs pile up.
pub async fn early_warning(
    State(state): State<AppState>,
    session: Session,
    Query(flash): Query<Flash>,
) -> Result<Response, AppError> {
    let actor = session.actor().clone();
    let role = actor.role;
    let tr = session.tr();
    let (entries, pupils, classes, rules) = blocking(&state, move |p| -> Result<_, AppError> {
        let entries = p.early_warning(&actor)?;
        let pupils = p.pupils_for_early_warning(&actor)?;
        let classes = p.classes(&actor)?;
        let rules = p.early_warning_rules(&actor)?;
        Ok((entries, pupils, classes, rules))
    })
    .await??;
    let lang = tr.lang;
    let entries = entries
        .into_iter()
        .map(|e| WarningView {
            pupil_id: e.pupil_id.0,
            name: pupils
                .get(&e.pupil_id)
                .map(|p| p.full_name())
                .unwrap_or_default(),
            class_name: classes
                .iter()
                .find(|c| c.id == e.class_id)
                .map(|c| c.name.clone())
                .unwrap_or_default(),
            class_id: e.class_id.0,
            rule: rule_name(&tr, &e.rule),
            reason: match lang {
                Lang::Nl => e.reason_nl,
                Lang::En => e.reason_en,
            },
            count: e.signals.len(),
            origin: if e.rule == "survey" {
                "survey"
            } else {
                "signal"
            },
            origin_ref: e
                .signals
                .last()
                .map(|s| s.0.to_string())
                .unwrap_or_default(),
        })
        .collect();
    render(&EarlyWarningPage {
        page: session.page("early-warning").with_flash(&flash),
        entries,
        rules: rules
            .rules
            .iter()
            .filter(|r| r.enabled)
            .map(|r| match lang {
                Lang::Nl => r.describe_nl(),
                Lang::En => r.describe_en(),
            })
            .collect(),
        may_set_rules: role == Role::Coordinator,
        may_open_case: role != Role::Administrator,
    })
}

fn rule_name(tr: &Tr, rule: &str) -> String {
    match rule {
        "distinct_kinds" => tr.t("signals-rule-distinct-kinds"),
        "teachers" => tr.t("signals-rule-teachers"),
        "signals" => tr.t("signals-rule-signals"),
        "survey" => tr.t("surveys-rule-name"),
        other => other.to_string(),
    }
}

/// A rule row on the settings page.
#[derive(Debug, Clone)]
pub struct RuleRow {
    pub index: usize,
    pub kind: &'static str,
    pub min_count: i64,
    pub window_days: i64,
    pub enabled: bool,
    pub kinds: Vec<KindChoice>,
    pub description: String,
}

#[derive(Debug, Clone)]
pub struct KindChoice {
    pub kind: KindView,
    pub checked: bool,
}

#[derive(Debug, Clone)]
pub struct RuleKindOption {
    pub key: &'static str,
    pub name: String,
}

#[derive(Debug, Clone)]
pub struct GridRow {
    pub pupil: PupilView,
    pub cells: Vec<String>,
    pub total: String,
    pub has_signs: bool,
}

#[derive(Template)]
#[template(path = "signals_rules.html")]
struct RulesPage {
    page: Page,
    rows: Vec<RuleRow>,
    rule_kinds: Vec<RuleKindOption>,
    may_edit: bool,
    defaults: bool,
    updated: String,
    /// The school's survey settings (the coordinator sets them here too).
    surveys: erbij_core::surveys::SurveySettings,
}

fn rule_rows(rules: &[EarlyWarningRule], lang: Lang) -> Vec<RuleRow> {
    rules
        .iter()
        .enumerate()
        .map(|(index, r)| RuleRow {
            index,
            kind: r.kind.as_str(),
            min_count: r.min_count,
            window_days: r.window_days,
            enabled: r.enabled,
            kinds: SignalKind::ALL
                .into_iter()
                .map(|k| KindChoice {
                    kind: kind_view(k, lang),
                    checked: r.signal_kinds.contains(&k),
                })
                .collect(),
            description: match lang {
                Lang::Nl => r.describe_nl(),
                Lang::En => r.describe_en(),
            },
        })
        .collect()
}

pub async fn rules_page(
    State(state): State<AppState>,
    session: Session,
    Query(flash): Query<Flash>,
) -> Result<Response, AppError> {
    let actor = session.actor().clone();
    let role = actor.role;
    let tr = session.tr();
    let (set, surveys) = blocking(&state, move |p| -> Result<_, AppError> {
        Ok((p.early_warning_rules(&actor)?, p.survey_settings(&actor)?))
    })
    .await??;
    let mut rules = set.rules.clone();
    let may_edit = role == Role::Coordinator;
    if may_edit {
        // One empty row to add a rule.
        rules.push(EarlyWarningRule {
            kind: RuleKind::Signals,
            min_count: 3,
            window_days: 28,
            signal_kinds: Vec::new(),
            enabled: false,
        });
    }
    let updated = match (&set.updated_by_name, set.updated_at) {
        (Some(who), Some(at)) => tr.format(
            "signals-rules-updated",
            &[("who", who.as_str()), ("when", &show_time(at, tr.lang))],
        ),
        _ => String::new(),
    };
    render(&RulesPage {
        page: session.page("early-warning").with_flash(&flash),
        rows: rule_rows(&rules, tr.lang),
        rule_kinds: RuleKind::ALL
            .into_iter()
            .map(|k| RuleKindOption {
                key: k.as_str(),
                name: rule_name(&tr, k.as_str()),
            })
            .collect(),
        may_edit,
        defaults: set.updated_at.is_none(),
        updated,
        surveys,
    })
}

/// Saves the rules from the settings form: fields `kind_N`, `min_count_N`, `window_days_N`,
/// `enabled_N`, `kinds_N` (repeated) for each row N.
pub async fn save_rules(
    State(state): State<AppState>,
    session: Session,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let csrf = fields
        .iter()
        .find(|(k, _)| k == "csrf")
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    session.check_csrf(&csrf)?;
    let actor = session.actor().clone();
    if actor.role != Role::Coordinator {
        // Visible (the list and rules are the school's) but not for this role.
        blocking(&state, {
            let actor = actor.clone();
            move |p| p.early_warning_rules(&actor)
        })
        .await??;
        return Err(AppError::Forbidden);
    }
    let get = |name: String| {
        fields
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.trim().to_string())
    };
    let mut rules = Vec::new();
    for index in 0..=erbij_core::signals::MAX_RULES {
        let Some(kind) = get(format!("kind_{index}")) else {
            continue;
        };
        let enabled = get(format!("enabled_{index}")).is_some();
        let delete = get(format!("delete_{index}")).is_some();
        if delete {
            continue;
        }
        let Some(kind) = RuleKind::parse(&kind) else {
            return redirect_on_invalid(
                "/early-warning/rules",
                AppError::BadRequest("error-signals-unknown-rule"),
            );
        };
        let number = |name: &str| -> Option<i64> {
            get(format!("{name}_{index}")).and_then(|v| v.parse::<i64>().ok())
        };
        let (Some(min_count), Some(window_days)) = (number("min_count"), number("window_days"))
        else {
            return redirect_on_invalid(
                "/early-warning/rules",
                AppError::BadRequest("error-signals-rule-count"),
            );
        };
        let kind_field = format!("kinds_{index}");
        let signal_kinds: Vec<SignalKind> = fields
            .iter()
            .filter(|(k, _)| *k == kind_field)
            .filter_map(|(_, v)| SignalKind::parse(v))
            .collect();
        // The empty "new rule" row is only kept when switched on.
        let is_new_row = get(format!("new_{index}")).is_some();
        if is_new_row && !enabled {
            continue;
        }
        rules.push(EarlyWarningRule {
            kind,
            min_count,
            window_days,
            signal_kinds,
            enabled,
        });
    }
    let result = blocking(&state, move |p| p.save_early_warning_rules(&actor, &rules)).await?;
    match result {
        Ok(_) => Ok(back_to(
            "/early-warning/rules",
            "done=done-signals-rules-saved",
        )),
        Err(err) => redirect_on_invalid("/early-warning/rules", page_error(err)),
    }
}

#[derive(Template)]
#[template(path = "signals_class.html")]
struct ClassGridPage {
    page: Page,
    class_id: i64,
    class_name: String,
    period: String,
    from_iso: String,
    to_iso: String,
    kinds: Vec<KindView>,
    rows: Vec<GridRow>,
}

#[derive(Debug, Deserialize, Default)]
pub struct GridQuery {
    #[serde(default)]
    from: Option<String>,
    #[serde(default)]
    to: Option<String>,
}

/// The class overview for the mentor: signs per pupil and kind this term; prints on one page.
pub async fn class_grid(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<i64>,
    Query(query): Query<GridQuery>,
) -> Result<Response, AppError> {
    let actor = session.actor().clone();
    let tr = session.tr();
    let parse = |v: Option<String>| {
        v.filter(|s| !s.trim().is_empty())
            .map(|s| {
                Date::parse(&s).map_err(|_| AppError::BadRequest("error-signals-invalid-date"))
            })
            .transpose()
    };
    let from = parse(query.from)?;
    let to = parse(query.to)?;
    let grid = blocking(&state, move |p| {
        p.class_signal_grid(&actor, ClassId(id), from, to)
    })
    .await??;
    let lang = tr.lang;
    render(&ClassGridPage {
        page: session.page("classes"),
        class_id: grid.class.id.0,
        class_name: grid.class.name.clone(),
        period: tr.format(
            "signals-grid-period",
            &[
                ("from", show_date(grid.from, lang).as_str()),
                ("to", show_date(grid.to, lang).as_str()),
                ("count", grid.total.to_string().as_str()),
            ],
        ),
        from_iso: grid.from.to_string(),
        to_iso: grid.to.to_string(),
        kinds: SignalKind::ALL
            .into_iter()
            .map(|k| kind_view(k, lang))
            .collect(),
        rows: grid
            .rows
            .iter()
            .filter(|(p, _)| p.left_on.is_none())
            .map(|(p, counts)| {
                let total: usize = counts.iter().sum();
                let cell = |n: usize| if n == 0 { String::new() } else { n.to_string() };
                GridRow {
                    pupil: PupilView::from(p),
                    cells: counts.iter().map(|n| cell(*n)).collect(),
                    total: cell(total),
                    has_signs: total > 0,
                }
            })
            .collect(),
    })
}
