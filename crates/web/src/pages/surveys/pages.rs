//! The mentor's survey pages: the class page's section (start, list, close), the printable
//! slips with QR codes, and the results with the sociogram and the trend.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use erbij_core::ClassId;
use erbij_core::surveys::Status;
use erbij_core::surveys::{
    ClassSurveys, NominationQuestion, RoundKind, RoundRequest, SurveyAction, SurveyId,
    SurveyResults, SurveySettings, display_code,
};
use serde::Deserialize;

use super::survey_error;
use crate::auth::{Session, blocking};
use crate::error::AppError;
use crate::i18n::{Lang, Tr};
use crate::pages::{Flash, Page, back_to, redirect_on_invalid, render};
use crate::state::AppState;

/// The status in the interface's words.
pub(crate) fn status_label(tr: &Tr, status: Option<Status>) -> String {
    match status {
        Some(s) => tr.t(&format!("surveys-status-{}", s.key())),
        None => tr.t("surveys-status-none"),
    }
}

/// What a round asks, in one line ("Keuzes: samen, buitengesloten · max. 3").
pub(crate) fn kind_line(tr: &Tr, kind: &RoundKind) -> String {
    match kind {
        RoundKind::Ratings { scale } => {
            tr.t1("surveys-kind-ratings-line", "scale", &scale.to_string())
        }
        RoundKind::Nominations {
            questions,
            max_choices,
        } => {
            let asked: Vec<String> = questions
                .iter()
                .map(|q| tr.t(&format!("surveys-q-short-{}", q.key().replace('_', "-"))))
                .collect();
            let mut line = tr.t1(
                "surveys-kind-nominations-line",
                "questions",
                &asked.join(", "),
            );
            if let Some(max) = max_choices {
                line.push_str(" · ");
                line.push_str(&tr.t1("surveys-max-line", "max", &max.to_string()));
            }
            line
        }
    }
}

pub(crate) use crate::i18n::show_date;

/// One round on the class page.
#[derive(Debug)]
pub struct RoundRow {
    pub id: i64,
    pub kind: String,
    pub dates: String,
    pub answered: String,
    pub open: bool,
    pub closed: bool,
}

/// The class page's survey section (`surveys_class_panel.html`).
#[derive(Debug, Default)]
pub struct SurveyPanel {
    pub shown: bool,
    pub class_id: i64,
    pub may_manage: bool,
    pub allow_negative: bool,
    pub today: String,
    pub rounds: Vec<RoundRow>,
    /// (pupil id, name, reason)
    pub flags: Vec<(i64, String, String)>,
}

/// The class page's survey section for this actor (not shown when they may not see it).
pub(crate) fn class_panel(
    platform: &erbij_core::Platform,
    actor: &erbij_core::Actor,
    class: ClassId,
    tr: &Tr,
) -> Result<SurveyPanel, AppError> {
    let Some(surveys) = platform.class_surveys(actor, class)? else {
        return Ok(SurveyPanel::default());
    };
    let ClassSurveys {
        may_manage,
        allow_negative,
        rounds,
        flags,
    } = surveys;
    let today = erbij_core::surveys::amsterdam_date(platform.now());
    Ok(SurveyPanel {
        shown: true,
        class_id: class.0,
        may_manage,
        allow_negative,
        today: today.to_string(),
        rounds: rounds
            .iter()
            .map(|r| RoundRow {
                id: r.round.id.0,
                kind: kind_line(tr, &r.round.kind),
                dates: match r.round.closes_on {
                    Some(last) => format!(
                        "{} – {}",
                        show_date(r.round.opens_on, tr.lang),
                        show_date(last, tr.lang)
                    ),
                    None => show_date(r.round.opens_on, tr.lang),
                },
                answered: tr.format(
                    "surveys-answered-count",
                    &[
                        ("answered", &r.answered.to_string()),
                        ("count", &r.pupils.to_string()),
                    ],
                ),
                open: r.open,
                closed: r.round.is_closed(today),
            })
            .collect(),
        flags: flags
            .into_iter()
            .map(|(f, nl, en)| {
                (
                    f.pupil_id.0,
                    f.name,
                    if tr.lang == Lang::En { en } else { nl },
                )
            })
            .collect(),
    })
}

#[derive(Debug, Deserialize, Default)]
pub struct StartForm {
    csrf: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    scale: Option<String>,
    #[serde(default)]
    q_positive: Option<String>,
    #[serde(default)]
    q_negative: Option<String>,
    #[serde(default)]
    q_left_out: Option<String>,
    #[serde(default)]
    max_choices: Option<String>,
    #[serde(default)]
    opens_on: Option<String>,
    #[serde(default)]
    closes_on: Option<String>,
}

/// `POST /classes/{id}/surveys`: starts a round from the class page, then the slips.
pub async fn start(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<i64>,
    Form(form): Form<StartForm>,
) -> Result<Response, AppError> {
    session.check_csrf(&form.csrf)?;
    let actor = session.actor().clone();
    let path = format!("/classes/{id}");
    let number = |raw: &Option<String>| -> Result<Option<i64>, AppError> {
        match raw.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => Ok(None),
            Some(text) => text
                .parse::<i64>()
                .map(Some)
                .map_err(|_| AppError::BadRequest("surveys-error-max-choices")),
        }
    };
    let parsed = (|| -> Result<RoundRequest, AppError> {
        let mut questions = Vec::new();
        for (on, q) in [
            (&form.q_positive, NominationQuestion::Positive),
            (&form.q_negative, NominationQuestion::Negative),
            (&form.q_left_out, NominationQuestion::LeftOut),
        ] {
            if on.is_some() {
                questions.push(q.key().to_string());
            }
        }
        if form.kind == "nominations" && questions.is_empty() {
            return Err(AppError::BadRequest("surveys-error-no-questions"));
        }
        Ok(RoundRequest {
            kind: form.kind.clone(),
            scale: number(&form.scale).map_err(|_| AppError::BadRequest("surveys-error-scale"))?,
            questions,
            max_choices: number(&form.max_choices)?,
            opens_on: form.opens_on.clone(),
            closes_on: form.closes_on.clone(),
        })
    })();
    let request = match parsed {
        Ok(r) => r,
        Err(err) => return redirect_on_invalid(&path, err),
    };
    match blocking(&state, move |p| {
        p.start_survey(&actor, ClassId(id), &request)
    })
    .await?
    .map_err(survey_error)
    {
        Ok((round, _)) => Ok(back_to(
            &format!("/surveys/{}", round.id),
            "done=done-surveys-started",
        )),
        Err(AppError::BadRequest(key)) => Ok(back_to(&path, &format!("error={key}"))),
        Err(other) => Err(other),
    }
}

#[derive(Debug, Deserialize)]
pub struct CsrfForm {
    csrf: String,
}

/// `POST /surveys/{id}/close`.
pub async fn close(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<i64>,
    Form(form): Form<CsrfForm>,
) -> Result<Response, AppError> {
    session.check_csrf(&form.csrf)?;
    let actor = session.actor().clone();
    blocking(&state, move |p| p.close_survey(&actor, SurveyId(id))).await??;
    Ok(back_to(
        &format!("/surveys/{id}"),
        "done=done-surveys-closed",
    ))
}

/// One slip.
#[derive(Debug)]
pub struct Slip {
    pub name: String,
    pub code: String,
    pub qr: String,
}

#[derive(Template)]
#[template(path = "surveys_slips.html")]
struct SlipsPage {
    page: Page,
    class_name: String,
    base: String,
    slips: Vec<Slip>,
    survey_id: i64,
}

/// The address pupils reach: the configured public address, else the request's host.
fn public_base(state: &AppState, headers: &HeaderMap, https: bool) -> String {
    match &state.config.public_url {
        Some(url) => url.trim_end_matches('/').to_string(),
        None => crate::pages::lessons::join_base(headers, https),
    }
}

/// `GET /surveys/{id}/slips`: one A4 of slips (first name, code, QR code to `/s/{code}`).
pub async fn slips(
    State(state): State<AppState>,
    headers: HeaderMap,
    session: Session,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let actor = session.actor().clone();
    let (round, codes, class) = blocking(&state, move |p| -> Result<_, AppError> {
        let (round, codes) = p.survey_codes(&actor, SurveyId(id))?;
        let class = p.class(&actor, round.class_id)?;
        Ok((round, codes, class))
    })
    .await??;
    let pupils: Vec<erbij_core::PupilRecord> = codes.iter().map(|(p, _)| p.clone()).collect();
    let labels = erbij_core::surveys::pupil_labels(&pupils);
    let base = public_base(&state, &headers, session.https);
    let slips = codes
        .iter()
        .map(|(pupil, code)| Slip {
            name: labels.get(&pupil.id).cloned().unwrap_or_default(),
            code: display_code(&code.code),
            qr: crate::qr::svg(&format!("{base}/s/{}", code.code), 96).unwrap_or_default(),
        })
        .collect();
    render(&SlipsPage {
        page: session.page("classes"),
        class_name: class.name,
        base,
        slips,
        survey_id: round.id.0,
    })
}

/// One line of the results table.
#[derive(Debug)]
pub struct ResultRow {
    pub number: usize,
    pub pupil_id: i64,
    pub name: String,
    pub status: String,
    pub status_key: &'static str,
    pub chosen: u32,
    pub mutual: u32,
    pub left_out_by: u32,
    pub notes: Vec<String>,
}

#[derive(Template)]
#[template(path = "surveys_results.html")]
struct ResultsPage {
    page: Page,
    survey_id: i64,
    class_id: i64,
    class_name: String,
    kind: String,
    dates: String,
    open: bool,
    closed: bool,
    may_manage: bool,
    respondents: usize,
    answered_line: String,
    criteria: &'static str,
    ratings: bool,
    alpha: String,
    rows: Vec<ResultRow>,
    shows_answers: bool,
    names: bool,
    sociogram: String,
    has_left_out: bool,
    /// The sociogram draws who named whom as left out (`?left_out=1`).
    left_out_shown: bool,
    /// The same page with the left-out arrows switched the other way.
    left_out_toggle: String,
    /// (name, what the class reported) for each pupil who stands out.
    explanations: Vec<(String, String)>,
    /// Fewer than 10 respondents: the statuses cannot be trusted (empty otherwise).
    few_respondents: String,
    trend_previous: String,
    trend_changes: Vec<String>,
    trend_lost: Vec<String>,
}

#[derive(Debug, Deserialize, Default)]
pub struct ResultsQuery {
    #[serde(default)]
    criteria: Option<String>,
    #[serde(default)]
    alpha: Option<String>,
    #[serde(default)]
    labels: Option<String>,
    #[serde(default)]
    left_out: Option<String>,
    #[serde(default)]
    done: Option<String>,
    #[serde(default)]
    error: Option<String>,
}

/// `GET /surveys/{id}`: statuses, counts, flags, the sociogram and the trend.
pub async fn results(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<i64>,
    Query(query): Query<ResultsQuery>,
) -> Result<Response, AppError> {
    let actor = session.actor().clone();
    let criteria = query.criteria.clone();
    let alpha = query.alpha.clone();
    let loaded = blocking(&state, move |p| -> Result<_, AppError> {
        let results = p
            .survey_results(&actor, SurveyId(id), criteria.as_deref(), alpha.as_deref())
            .map_err(survey_error)?;
        let class = p.class(&actor, results.round.class_id)?;
        let may_manage = p.may_survey(&actor, class.id, SurveyAction::Manage);
        Ok((results, class, may_manage))
    })
    .await?;
    let (results, class, may_manage) = match loaded {
        Ok(v) => v,
        // A criteria or alpha the engine cannot use: the page with the defaults and why.
        Err(AppError::BadRequest(key)) => {
            return Ok(back_to(&format!("/surveys/{id}"), &format!("error={key}")));
        }
        Err(other) => return Err(other),
    };
    let tr = session.tr();
    let names = query.labels.as_deref() != Some("numbers");
    let left_out = query.left_out.as_deref() == Some("1");
    let flash = Flash {
        done: query.done,
        error: query.error,
    };
    render(&results_page(
        session.page("classes").with_flash(&flash),
        &tr,
        &results,
        class.name,
        may_manage,
        names,
        left_out,
        erbij_core::surveys::amsterdam_date(state.platform.now()),
    ))
}

// The page's inputs are independent choices of the request; a struct would only rename them.
#[allow(clippy::too_many_arguments)]
fn results_page(
    page: Page,
    tr: &Tr,
    results: &SurveyResults,
    class_name: String,
    may_manage: bool,
    names: bool,
    left_out: bool,
    today: erbij_core::Date,
) -> ResultsPage {
    let english = tr.lang == Lang::En;
    let round = &results.round;
    let flagged: std::collections::HashMap<i64, &erbij_core::surveys::SurveyFlag> =
        results.flags.iter().map(|f| (f.pupil_id.0, f)).collect();
    // Numbers as the sociogram gives them: the engine's pupil order (by id).
    let order: Vec<i64> = results
        .analysis
        .as_ref()
        .map(|a| {
            a.pupils
                .iter()
                .filter_map(|p| p.id.parse::<i64>().ok())
                .collect()
        })
        .unwrap_or_default();
    let rows = results
        .pupils
        .iter()
        .map(|p| {
            let mut notes = Vec::new();
            if p.not_chosen {
                notes.push(tr.t("surveys-note-not-chosen"));
            }
            if p.took_part && p.no_mutual_friend {
                notes.push(tr.t("surveys-note-no-mutual"));
            }
            if !p.took_part {
                notes.push(tr.t("surveys-note-did-not-answer"));
            }
            if let Some(flag) = flagged.get(&p.pupil_id.0) {
                if flag
                    .reasons
                    .contains(&erbij_core::surveys::FlagReason::NamedLeftOut)
                {
                    notes.push(tr.t1("surveys-note-left-out", "count", &p.left_out_by.to_string()));
                }
            }
            ResultRow {
                number: order
                    .iter()
                    .position(|id| *id == p.pupil_id.0)
                    .map_or(0, |i| i + 1),
                pupil_id: p.pupil_id.0,
                name: p.name.clone(),
                status: status_label(tr, p.status),
                status_key: p.status.map_or("none", |s| s.key()),
                chosen: p.chosen,
                mutual: p.mutual,
                left_out_by: p.left_out_by,
                notes,
            }
        })
        .collect();
    let sociogram = if results.shows_answers {
        results
            .sociogram_svg(names, english, left_out)
            .unwrap_or_default()
    } else {
        String::new()
    };
    let trend = &results.trend;
    let trend_changes = trend
        .changes
        .iter()
        .map(|(_, name, before, now)| {
            tr.format(
                "surveys-trend-change",
                &[
                    ("name", name.as_str()),
                    ("before", &status_label(tr, *before)),
                    ("now", &status_label(tr, *now)),
                ],
            )
        })
        .collect();
    let trend_lost = trend
        .lost_last_mutual
        .iter()
        .map(|(_, name)| tr.t1("surveys-trend-lost-mutual", "name", name))
        .collect();
    ResultsPage {
        page,
        survey_id: round.id.0,
        class_id: round.class_id.0,
        class_name,
        kind: kind_line(tr, &round.kind),
        dates: match round.closes_on {
            Some(last) => format!(
                "{} – {}",
                show_date(round.opens_on, tr.lang),
                show_date(last, tr.lang)
            ),
            None => show_date(round.opens_on, tr.lang),
        },
        open: round.is_open(today),
        closed: round.is_closed(today),
        may_manage,
        respondents: results.respondents,
        answered_line: tr.format(
            "surveys-answered-count",
            &[
                ("answered", &results.respondents.to_string()),
                ("count", &results.class_size.to_string()),
            ],
        ),
        criteria: results.criteria.key(),
        ratings: matches!(round.kind, RoundKind::Ratings { .. }),
        alpha: results.alpha.to_string(),
        rows,
        shows_answers: results.shows_answers,
        names,
        sociogram,
        has_left_out: matches!(&round.kind, RoundKind::Nominations { questions, .. } if questions.contains(&NominationQuestion::LeftOut)),
        left_out_shown: left_out,
        left_out_toggle: format!(
            "/surveys/{}?criteria={}&alpha={}{}{}#sociogram",
            round.id.0,
            results.criteria.key(),
            results.alpha,
            if names { "" } else { "&labels=numbers" },
            if left_out { "" } else { "&left_out=1" }
        ),
        explanations: results
            .pupils
            .iter()
            .filter_map(|p| {
                results
                    .explanation(p.pupil_id, english)
                    .map(|e| (p.name.clone(), e))
            })
            .collect(),
        few_respondents: results.few_respondents_note(english).unwrap_or_default(),
        trend_previous: trend
            .previous
            .as_ref()
            .map(|r| show_date(r.opens_on, tr.lang))
            .unwrap_or_default(),
        trend_changes,
        trend_lost,
    }
}

/// `GET /surveys/{id}/answers.csv`: the answers in `erbij sociometry`'s format.
pub async fn answers_csv(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let actor = session.actor().clone();
    let csv = blocking(&state, move |p| p.survey_answers_csv(&actor, SurveyId(id))).await??;
    Ok(super::csv_response(csv, &format!("peiling-{id}.csv")))
}

#[derive(Debug, Deserialize)]
pub struct SettingsForm {
    csrf: String,
    #[serde(default)]
    allow_negative: Option<String>,
    #[serde(default)]
    coordinator_sees_answers: Option<String>,
    #[serde(default)]
    alpha: String,
}

/// `POST /settings/surveys`: the school's survey settings (administrator, coordinator).
pub async fn save_settings(
    State(state): State<AppState>,
    session: Session,
    Form(form): Form<SettingsForm>,
) -> Result<Response, AppError> {
    session.check_csrf(&form.csrf)?;
    let actor = session.actor().clone();
    let back = if actor.role == erbij_core::Role::Administrator {
        "/settings"
    } else {
        "/early-warning/rules"
    };
    let Some(alpha) = form
        .alpha
        .trim()
        .replace(',', ".")
        .parse::<f64>()
        .ok()
        .filter(|a| *a > 0.0 && *a < 1.0)
    else {
        return Ok(back_to(back, "error=surveys-error-alpha"));
    };
    let settings = SurveySettings {
        allow_negative: form.allow_negative.is_some(),
        coordinator_sees_answers: form.coordinator_sees_answers.is_some(),
        alpha,
    };
    match blocking(&state, move |p| p.set_survey_settings(&actor, settings))
        .await?
        .map_err(survey_error)
    {
        Ok(()) => Ok(back_to(back, "done=done-surveys-settings")),
        Err(err) => redirect_on_invalid(back, err),
    }
}
