//! The teacher's side of the dilemma lessons: the bank (with the school's own dilemmas and
//! the coordinator's hiding), starting a session, the board on the classroom screen and
//! its live stream.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::sse::{KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use erbij_core::lessons::{LessonAction, may};
use erbij_core::{
    AgeGroup, AgreementRoundRecord, ClassId, Dilemma, DilemmaSource, LessonError, NewDilemma,
    Phase, RoundPhase,
};
use serde::Deserialize;

#[allow(unused_imports)]
use super::Tr2;
use super::{
    bank_language, error_key, field, form_pairs, ids, join_base, lesson_error, live, spaced_code,
};
use crate::auth::{Session, blocking};
use crate::error::AppError;
use crate::pages::{Flash, Page, back_to, render};
use crate::state::AppState;

/// A dilemma as the templates show it.
#[derive(Debug, Clone)]
pub struct DilemmaView {
    pub id: i64,
    pub title: String,
    pub theme: String,
    pub situation: String,
    pub choices: Vec<String>,
    pub questions: Vec<String>,
    pub ages: String,
    pub age_note: String,
    pub own: bool,
    pub hidden: bool,
}

fn age_label(tr: &crate::i18n::Tr, ages: &[AgeGroup]) -> String {
    ages.iter()
        .map(|a| match a {
            AgeGroup::Groep78 => tr.t("lesson-age-primary"),
            AgeGroup::OnderbouwVo => tr.t("lesson-age-secondary"),
        })
        .collect::<Vec<_>>()
        .join(" · ")
}

fn view(tr: &crate::i18n::Tr, d: Dilemma) -> DilemmaView {
    DilemmaView {
        id: d.id,
        ages: age_label(tr, &d.ages),
        title: d.title,
        theme: d.theme,
        situation: d.situation,
        choices: d.choices,
        questions: d.questions,
        age_note: d.age_note,
        own: d.source == DilemmaSource::School,
        hidden: d.hidden,
    }
}

#[derive(Debug)]
pub struct ClassChoice {
    pub id: i64,
    pub name: String,
}

#[derive(Debug)]
pub struct SessionRow {
    pub id: i64,
    pub class_name: String,
    pub started: String,
    pub dilemmas: usize,
    pub live: bool,
}

#[derive(Debug)]
pub struct RoundRow {
    pub id: i64,
    pub class_name: String,
    pub phase: String,
    pub review_on: String,
    pub settled: bool,
}

#[derive(Template)]
#[template(path = "lessons_overview.html")]
struct OverviewPage {
    page: Page,
    can_teach: bool,
    can_curate: bool,
    age: String,
    dilemmas: Vec<DilemmaView>,
    hidden: Vec<DilemmaView>,
    classes: Vec<ClassChoice>,
    sessions: Vec<SessionRow>,
    rounds: Vec<RoundRow>,
    bank_size: usize,
}

#[derive(Debug, Deserialize, Default)]
pub struct OverviewQuery {
    #[serde(default)]
    age: Option<String>,
    #[serde(default)]
    done: Option<String>,
    #[serde(default)]
    error: Option<String>,
}

/// A timestamp as Amsterdam wall-clock "2026-12-05 10:15" (CET/CEST by the EU rule).
pub(crate) fn local_time(ts: i64) -> String {
    let date = erbij_core::Date::from_timestamp(ts);
    let year = date.year();
    // Last Sunday of March and of October, 01:00 UTC.
    let last_sunday = |month: u8| -> i64 {
        let first_next = if month == 12 {
            erbij_core::Date::new(year + 1, 1, 1)
        } else {
            erbij_core::Date::new(year, month + 1, 1)
        };
        let days = first_next.map(|d| days_since_epoch(&d)).unwrap_or(0) - 1;
        let weekday = (days + 4).rem_euclid(7); // 1970-01-01 was a Thursday (4); Sunday = 0
        (days - weekday) * 86_400 + 3600
    };
    let summer = ts >= last_sunday(3) && ts < last_sunday(10);
    let local = ts + if summer { 7200 } else { 3600 };
    let day = erbij_core::Date::from_timestamp(local);
    let secs = local.rem_euclid(86_400);
    format!("{day} {:02}:{:02}", secs / 3600, (secs % 3600) / 60)
}

fn days_since_epoch(date: &erbij_core::Date) -> i64 {
    let text = date.to_string();
    let parts: Vec<i64> = text.split('-').filter_map(|p| p.parse().ok()).collect();
    let (y, m, d) = match parts.as_slice() {
        [y, m, d] => (*y, *m, *d),
        _ => return 0,
    };
    // Howard Hinnant's days_from_civil.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

pub async fn overview(
    State(state): State<AppState>,
    session: Session,
    Query(query): Query<OverviewQuery>,
) -> Result<Response, AppError> {
    let actor = session.actor().clone();
    let tr = session.tr();
    let lang = bank_language(session.lang);
    let age = query.age.clone().and_then(|a| AgeGroup::parse(&a));
    let loaded = blocking(&state, move |p| -> Result<_, LessonError> {
        let bank = if may(actor.role, LessonAction::Curate) {
            p.dilemma_bank_for_curation(&actor, lang)?
        } else {
            p.dilemma_bank(&actor, lang)?
        };
        let classes = p.classes(&actor)?;
        let mut sessions = Vec::new();
        let mut rounds = Vec::new();
        for class in classes.iter().filter(|c| c.archived_on.is_none()) {
            for s in p
                .dilemma_sessions_of_class(&actor, class.id)?
                .into_iter()
                .take(5)
            {
                sessions.push((class.name.clone(), s));
            }
            for r in p
                .agreement_rounds_of_class(&actor, class.id)?
                .into_iter()
                .take(3)
            {
                rounds.push((class.name.clone(), r));
            }
        }
        Ok((bank, classes, sessions, rounds))
    })
    .await?;
    let (bank, classes, sessions, rounds) = match loaded {
        Ok(v) => v,
        Err(err) => return Ok(lesson_error(err)),
    };
    let now = state.platform.now();
    let (hidden, dilemmas): (Vec<_>, Vec<_>) = bank
        .into_iter()
        .filter(|d| age.is_none_or(|a| d.ages.contains(&a)))
        .map(|d| view(&tr, d))
        .partition(|d| d.hidden);
    let mut sessions: Vec<SessionRow> = sessions
        .into_iter()
        .map(|(class_name, s)| SessionRow {
            id: s.id,
            class_name,
            started: local_time(s.started_at),
            dilemmas: s.dilemma_ids.len(),
            live: s.is_live(now),
        })
        .collect();
    sessions.sort_by_key(|s| std::cmp::Reverse(s.id));
    let rounds = rounds
        .into_iter()
        .map(|(class_name, r)| round_row(&tr, class_name, &r))
        .collect();
    let flash = Flash {
        done: query.done,
        error: query.error,
    };
    render(&OverviewPage {
        page: session.page("lessons").with_flash(&flash),
        can_teach: may(session.actor().role, LessonAction::Teach),
        can_curate: may(session.actor().role, LessonAction::Curate),
        age: age.map(|a| a.as_str().to_string()).unwrap_or_default(),
        dilemmas,
        hidden,
        classes: classes
            .into_iter()
            .filter(|c| c.archived_on.is_none())
            .map(|c| ClassChoice {
                id: c.id.0,
                name: c.name,
            })
            .collect(),
        sessions,
        rounds,
        bank_size: erbij_core::lessons::BANK_SIZE,
    })
}

fn round_row(tr: &crate::i18n::Tr, class_name: String, r: &AgreementRoundRecord) -> RoundRow {
    RoundRow {
        id: r.id,
        class_name,
        phase: tr.t(&format!("lesson-round-phase-{}", r.phase.as_str())),
        review_on: r.review_on.map(|d| d.to_string()).unwrap_or_default(),
        settled: r.phase == RoundPhase::Settled,
    }
}

pub async fn add_dilemma(
    State(state): State<AppState>,
    session: Session,
    body: String,
) -> Result<Response, AppError> {
    let pairs = form_pairs(&body);
    session.check_csrf(field(&pairs, "csrf"))?;
    let actor = session.actor().clone();
    let result = blocking(&state, move |p| {
        let choices: Vec<&str> = pairs
            .iter()
            .filter(|(k, _)| k == "choice")
            .map(|(_, v)| v.as_str())
            .collect();
        let questions: Vec<&str> = pairs
            .iter()
            .filter(|(k, _)| k == "question")
            .map(|(_, v)| v.as_str())
            .collect();
        let ages = pairs
            .iter()
            .filter(|(k, _)| k == "age")
            .filter_map(|(_, v)| AgeGroup::parse(v))
            .collect();
        let new = NewDilemma::parse(
            field(&pairs, "title"),
            field(&pairs, "situation"),
            &choices,
            &questions,
            ages,
        )?;
        p.add_school_dilemma(&actor, &new)
    })
    .await?;
    redirect_after(
        "/lessons",
        "#own",
        result.map(|_| "done-lesson-dilemma-added"),
    )
}

/// After a form: back with a confirmation, or with the reason it was refused.
pub(crate) fn redirect_after(
    path: &str,
    anchor: &str,
    result: Result<&'static str, LessonError>,
) -> Result<Response, AppError> {
    match result {
        Ok(done) => Ok(back_to(path, &format!("done={done}{anchor}"))),
        Err(err) => match error_key(&err) {
            Some(key) => Ok(back_to(path, &format!("error={key}{anchor}"))),
            None => Ok(lesson_error(err)),
        },
    }
}

#[derive(Debug, Deserialize)]
pub struct VisibilityForm {
    csrf: String,
    hidden: String,
}

pub async fn set_visibility(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<i64>,
    axum::Form(form): axum::Form<VisibilityForm>,
) -> Result<Response, AppError> {
    session.check_csrf(&form.csrf)?;
    let actor = session.actor().clone();
    let hide = form.hidden == "1";
    let result = blocking(&state, move |p| p.set_dilemma_hidden(&actor, id, hide)).await?;
    redirect_after(
        "/lessons",
        "",
        result.map(|_| {
            if hide {
                "done-lesson-hidden"
            } else {
                "done-lesson-shown"
            }
        }),
    )
}

pub async fn start_session(
    State(state): State<AppState>,
    session: Session,
    body: String,
) -> Result<Response, AppError> {
    let pairs = form_pairs(&body);
    session.check_csrf(field(&pairs, "csrf"))?;
    let actor = session.actor().clone();
    let class: i64 = field(&pairs, "class_id").trim().parse().unwrap_or(0);
    let chosen = ids(&pairs, "dilemma");
    let result = blocking(&state, move |p| {
        p.start_dilemma_session(&actor, ClassId(class), &chosen)
    })
    .await?;
    match result {
        Ok(s) => Ok(crate::security::see_other(&format!(
            "/lessons/sessions/{}",
            s.id
        ))),
        Err(err) => redirect_after("/lessons", "", Err(err)),
    }
}

#[derive(Debug)]
pub struct Bar {
    pub number: usize,
    pub label: String,
    pub votes: i64,
    pub percent: i64,
}

#[derive(Debug)]
pub struct FinishedDilemma {
    pub title: String,
    pub bars: Vec<Bar>,
    pub total: i64,
}

#[derive(Template)]
#[template(path = "lessons_board.html")]
struct BoardPage {
    page: Page,
    id: i64,
    class_id: i64,
    class_name: String,
    live: bool,
    can_teach: bool,
    code: String,
    code_spaced: String,
    join_url: String,
    join_base: String,
    qr: String,
    number: usize,
    count: usize,
    phase: String,
    dilemma: Option<DilemmaView>,
    joined: i64,
    votes: i64,
    bars: Vec<Bar>,
    step_label: String,
    finished: Vec<FinishedDilemma>,
    ends_at: String,
}

fn bars(choices: &[String], tallies: &[erbij_core::Tally], dilemma: i64) -> (Vec<Bar>, i64) {
    let total: i64 = tallies
        .iter()
        .filter(|t| t.dilemma_id == dilemma)
        .map(|t| t.votes)
        .sum();
    let bars = choices
        .iter()
        .enumerate()
        .map(|(i, label)| {
            let votes = tallies
                .iter()
                .find(|t| t.dilemma_id == dilemma && t.choice == i64::try_from(i + 1).unwrap_or(0))
                .map_or(0, |t| t.votes);
            Bar {
                number: i + 1,
                label: label.clone(),
                votes,
                percent: if total > 0 {
                    (votes * 100 + total / 2) / total
                } else {
                    0
                },
            }
        })
        .collect();
    (bars, total)
}

pub async fn board(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<i64>,
    headers: HeaderMap,
    Query(flash): Query<Flash>,
) -> Result<Response, AppError> {
    let actor = session.actor().clone();
    let lang = bank_language(session.lang);
    let tr = session.tr();
    let loaded = blocking(&state, move |p| -> Result<_, LessonError> {
        let (record, class) = p.dilemma_session(&actor, id)?;
        let counts = p.dilemma_live_counts(&actor, id)?;
        let (_, tallies) = p.dilemma_results(&actor, id)?;
        let mut dilemmas = Vec::new();
        for d in &record.dilemma_ids {
            dilemmas.push(p.dilemma(&actor, *d, lang)?);
        }
        Ok((record, class, counts, tallies, dilemmas))
    })
    .await?;
    let (record, class, counts, tallies, dilemmas) = match loaded {
        Ok(v) => v,
        Err(err) => return Ok(lesson_error(err)),
    };
    let now = state.platform.now();
    let live = record.is_live(now);
    let https = crate::security::is_https(&state, &headers);
    let base = join_base(&headers, https);
    let code = record.join_code.clone().unwrap_or_default();
    let join_url = format!("{base}/l/{code}");
    let current = dilemmas.get(record.position).cloned();
    let votes = current
        .as_ref()
        .and_then(|d| counts.votes.iter().find(|(id, _)| *id == d.id))
        .map_or(0, |(_, v)| *v);
    let (current_bars, _) = current
        .as_ref()
        .map(|d| bars(&d.choices, &tallies, d.id))
        .unwrap_or_default();
    let last = record.position + 1 >= record.dilemma_ids.len();
    let step_label = match record.phase {
        Phase::Voting => tr.t("lesson-step-reveal"),
        Phase::Results => tr.t("lesson-step-discuss"),
        Phase::Discussion if last => tr.t("lesson-step-finish"),
        Phase::Discussion => tr.t("lesson-step-next"),
    };
    let finished = dilemmas
        .iter()
        .map(|d| {
            let (bars, total) = bars(&d.choices, &tallies, d.id);
            FinishedDilemma {
                title: d.title.clone(),
                bars,
                total,
            }
        })
        .collect();
    let page = session.page("lessons").with_flash(&flash);
    render(&BoardPage {
        page,
        id,
        class_id: class.id.0,
        class_name: class.name,
        live,
        can_teach: may(session.actor().role, LessonAction::Teach),
        qr: if live {
            crate::qr::svg(&join_url, 220).unwrap_or_default()
        } else {
            String::new()
        },
        code_spaced: spaced_code(&code),
        code,
        join_url,
        join_base: format!("{base}/l"),
        number: record.position + 1,
        count: record.dilemma_ids.len(),
        phase: record.phase.as_str().to_string(),
        dilemma: current.map(|d| view(&tr, d)),
        joined: counts.joined,
        votes,
        bars: current_bars,
        step_label,
        finished,
        ends_at: local_time(record.expires_at),
    })
}

pub async fn events(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let actor = session.actor().clone();
    // Visibility first, so another class's board is 404 like its page.
    let check = actor.clone();
    if let Err(err) = blocking(&state, move |p| p.dilemma_session(&check, id)).await? {
        return Ok(lesson_error(err));
    }
    let stream = live::stream(state.platform.clone(), actor, id);
    Ok(Sse::new(stream)
        .keep_alive(KeepAlive::default())
        .into_response())
}

#[derive(Debug, Deserialize)]
pub struct CsrfForm {
    csrf: String,
}

pub async fn step(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<i64>,
    axum::Form(form): axum::Form<CsrfForm>,
) -> Result<Response, AppError> {
    session.check_csrf(&form.csrf)?;
    let actor = session.actor().clone();
    let result = blocking(&state, move |p| p.step_dilemma_session(&actor, id)).await?;
    live::notify(id);
    let path = format!("/lessons/sessions/{id}");
    match result {
        Ok(_) => Ok(crate::security::see_other(&path)),
        Err(err) => redirect_after(&path, "", Err(err)),
    }
}

pub async fn end(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<i64>,
    axum::Form(form): axum::Form<CsrfForm>,
) -> Result<Response, AppError> {
    session.check_csrf(&form.csrf)?;
    let actor = session.actor().clone();
    let result = blocking(&state, move |p| p.end_session(&actor, id)).await?;
    live::notify(id);
    let path = format!("/lessons/sessions/{id}");
    redirect_after(&path, "", result.map(|_| "done-lesson-session-ended"))
}

/// What the class page shows of this capability: the class's agreements and lessons.
#[derive(Debug, Default)]
pub struct ClassPanel {
    pub can_teach: bool,
    pub round_id: i64,
    pub agreements: Vec<String>,
    pub review_on: String,
    pub open_round: i64,
    pub sessions: Vec<SessionRow>,
}

/// The class page's lessons panel (empty when the actor may not see the class).
pub fn class_panel(
    platform: &erbij_core::Platform,
    actor: &erbij_core::Actor,
    class: ClassId,
) -> ClassPanel {
    let mut panel = ClassPanel {
        can_teach: may(actor.role, LessonAction::Teach),
        ..ClassPanel::default()
    };
    if let Ok(Some((round, chosen))) = platform.current_agreements(actor, class) {
        panel.round_id = round.id;
        panel.agreements = chosen.into_iter().map(|p| p.text).collect();
        panel.review_on = round.review_on.map(|d| d.to_string()).unwrap_or_default();
    }
    if let Ok(rounds) = platform.agreement_rounds_of_class(actor, class) {
        panel.open_round = rounds
            .iter()
            .find(|r| r.phase != RoundPhase::Settled && r.code_works(platform.now()))
            .map_or(0, |r| r.id);
    }
    if let Ok(sessions) = platform.dilemma_sessions_of_class(actor, class) {
        let now = platform.now();
        panel.sessions = sessions
            .into_iter()
            .take(5)
            .map(|s| SessionRow {
                id: s.id,
                class_name: String::new(),
                started: local_time(s.started_at),
                dilemmas: s.dilemma_ids.len(),
                live: s.is_live(now),
            })
            .collect();
    }
    panel
}

/// A class's agreements to discuss again soon, for the start page.
#[derive(Debug)]
pub struct HomeReminder {
    pub round_id: i64,
    pub class_id: i64,
    pub class_name: String,
    pub review_on: String,
    pub overdue: bool,
}

/// Settled agreements of the actor's classes due within two weeks (or overdue).
pub fn home_reminders(
    platform: &erbij_core::Platform,
    actor: &erbij_core::Actor,
) -> Vec<HomeReminder> {
    let today = erbij_core::Date::from_timestamp(platform.now());
    platform
        .agreement_reviews_due(actor, 14)
        .unwrap_or_default()
        .into_iter()
        .map(|r| HomeReminder {
            round_id: r.round_id,
            class_id: r.class_id.0,
            class_name: r.class_name,
            review_on: r.review_on.to_string(),
            overdue: r.review_on < today,
        })
        .collect()
}
