//! Parents by the article's rules: the parents' page of a case (the rule per pupil, the
//! conversation with the pupil in secondary school, the letters), the letter's print page,
//! sending it, the school's letter templates and school type, and parents' addresses by hand.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use erbij_core::cases::CaseId;
use erbij_core::cases::letters::{
    Consent, LetterKind, LetterLang, ParentStep, ParentsOverview, TalkDecision, default_template,
};
use erbij_core::{Date, PupilId, SchoolKind};
use serde::Deserialize;

use super::api::case_error;
use crate::auth::{Session, blocking};
use crate::error::AppError;
use crate::i18n::{Lang, Tr};
use crate::pages::{Flash, Page, back_to, render};
use crate::state::AppState;

/// One pupil's parents on the page.
#[derive(Debug, Clone)]
pub struct ParentView {
    pub pupil_id: i64,
    pub name: String,
    pub kind: &'static str,
    pub side: String,
    /// `talk_first`, `waiting`, `offer`.
    pub state: &'static str,
    pub rule: String,
    pub talk: String,
    pub consent: String,
    pub emails: String,
    pub has_email: bool,
    pub sent: bool,
}

fn parent_views(tr: &Tr, overview: &ParentsOverview) -> Vec<ParentView> {
    overview
        .entries
        .iter()
        .map(|e| {
            let state = match e.step {
                ParentStep::TalkFirst => "talk_first",
                ParentStep::Waiting => "waiting",
                _ => "offer",
            };
            let rule = match e.step {
                ParentStep::InformDirectly => tr.t("parents-rule-po"),
                ParentStep::TalkFirst => tr.t("parents-rule-vo-talk"),
                ParentStep::Waiting => tr.t("parents-rule-vo-waiting"),
                ParentStep::InformAfterTalk(_) => tr.t("parents-rule-vo-after"),
            };
            let talk = e
                .talk
                .as_ref()
                .map(|t| {
                    let mut text = tr.format(
                        "parents-talk-done",
                        &[
                            ("date", &t.decided_on.dutch()),
                            (
                                "decision",
                                &tr.t(&format!(
                                    "parents-decision-{}",
                                    t.decision.as_str().replace('_', "-")
                                )),
                            ),
                        ],
                    );
                    if !t.note.is_empty() {
                        text.push_str(" · ");
                        text.push_str(&t.note);
                    }
                    text
                })
                .unwrap_or_default();
            let consent = match (e.consent, e.age) {
                (Consent::Parents, Some(age)) => {
                    tr.t1("parents-consent-parents-age", "age", &age.to_string())
                }
                (Consent::Parents, None) => tr.t("parents-consent-parents"),
                (Consent::Pupil, age) => tr.t1(
                    "parents-consent-pupil",
                    "age",
                    &age.map(|a| a.to_string()).unwrap_or_default(),
                ),
                (Consent::Unknown, _) => tr.t("parents-consent-unknown"),
            };
            ParentView {
                pupil_id: e.pupil.id.0,
                name: e.pupil.full_name(),
                kind: e.kind.as_str(),
                side: tr.t(&format!("parents-side-{}", e.kind.as_str())),
                state,
                rule,
                talk,
                consent,
                emails: e
                    .emails
                    .iter()
                    .map(|m| m.as_str().to_string())
                    .collect::<Vec<_>>()
                    .join(", "),
                has_email: !e.emails.is_empty(),
                sent: e.sent,
            }
        })
        .collect()
}

#[derive(Template)]
#[template(path = "cases_parents.html")]
struct ParentsPage {
    page: Page,
    case_id: i64,
    pupil_name: String,
    class_name: String,
    school_kind: String,
    is_vo: bool,
    closed: bool,
    parents: Vec<ParentView>,
    class_addresses: usize,
    class_letter_sent: bool,
    lang: &'static str,
    today: String,
}

fn lang_of(session: &Session) -> LetterLang {
    match session.lang {
        Lang::En => LetterLang::En,
        _ => LetterLang::Nl,
    }
}

/// `GET /cases/{id}/parents`.
pub async fn page(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<i64>,
    Query(flash): Query<Flash>,
) -> Result<Response, AppError> {
    let actor = session.actor().clone();
    let (overview, file) = blocking(&state, move |p| -> Result<_, AppError> {
        p.record_case_opened(&actor, CaseId(id))?;
        Ok((
            p.case_parents(&actor, CaseId(id))?,
            p.case_file(&actor, CaseId(id))?,
        ))
    })
    .await??;
    let tr = session.tr();
    let is_vo = overview.school_kind == SchoolKind::Secondary;
    render(&ParentsPage {
        case_id: id,
        pupil_name: file.pupil.full_name(),
        class_name: overview.class_name.clone(),
        school_kind: tr.t(if is_vo {
            "parents-school-vo"
        } else {
            "parents-school-po"
        }),
        is_vo,
        closed: overview.closed,
        parents: parent_views(&tr, &overview),
        class_addresses: overview.class_addresses,
        class_letter_sent: overview.class_letter_sent,
        lang: lang_of(&session).as_str(),
        today: Date::in_amsterdam(state.platform.now()).to_string(),
        page: session.page("cases").with_flash(&flash),
    })
}

#[derive(Debug, Deserialize)]
pub struct TalkForm {
    csrf: String,
    #[serde(default)]
    pupil_id: String,
    #[serde(default)]
    decision: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    on: String,
}

/// `POST /cases/{id}/parents/talks`: the conversation with the pupil (secondary school).
pub async fn save_talk(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<i64>,
    Form(form): Form<TalkForm>,
) -> Result<Response, AppError> {
    session.check_csrf(&form.csrf)?;
    let actor = session.actor().clone();
    let back = format!("/cases/{id}/parents");
    let result = blocking(&state, move |p| {
        let decision = TalkDecision::parse(&form.decision).ok_or(
            erbij_core::cases::CaseError::Invalid("error-parents-decision"),
        )?;
        let pupil =
            form.pupil_id.trim().parse::<i64>().map_err(|_| {
                erbij_core::cases::CaseError::Invalid("error-letter-pupil-not-in-case")
            })?;
        let on = Date::parse(&form.on)
            .map_err(|_| erbij_core::cases::CaseError::Invalid("error-invalid-date"))?;
        p.record_parent_talk(&actor, CaseId(id), PupilId(pupil), decision, &form.note, on)
    })
    .await?;
    match result {
        Ok(talk) => Ok(back_to(
            &back,
            &format!("done=done-saved#parents-{}", talk.pupil_id.0),
        )),
        Err(erbij_core::cases::CaseError::Invalid(key)) => {
            Ok(back_to(&back, &format!("error={key}")))
        }
        Err(err) => Err(case_error(err)),
    }
}

#[derive(Debug, Deserialize, Default)]
pub struct LetterQuery {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    pupil: Option<i64>,
    #[serde(default)]
    lang: String,
}

#[derive(Template)]
#[template(path = "cases_letter.html")]
struct LetterPage {
    page: Page,
    case_id: i64,
    lang: &'static str,
    subject: String,
    body: String,
    addresses: usize,
}

/// `GET /cases/{id}/letters/print?kind=excluded|excluding|class&pupil=..&lang=nl|en`.
pub async fn print(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<i64>,
    Query(query): Query<LetterQuery>,
) -> Result<Response, AppError> {
    let actor = session.actor().clone();
    let lang = LetterLang::parse(&query.lang).unwrap_or(lang_of(&session));
    let pupil = query.pupil.map(PupilId);
    let result = blocking(&state, move |p| {
        p.record_case_opened(&actor, CaseId(id))
            .map_err(erbij_core::cases::CaseError::from)?;
        let kind = LetterKind::parse(&query.kind)
            .ok_or(erbij_core::cases::CaseError::Invalid("error-letter-kind"))?;
        p.case_letter(&actor, CaseId(id), kind, pupil, lang)
    })
    .await?;
    // A letter the rules do not offer yet: back to the parents' page, which says why.
    let letter = match result {
        Ok(letter) => letter,
        Err(erbij_core::cases::CaseError::Invalid(key)) => {
            return Ok(back_to(
                &format!("/cases/{id}/parents"),
                &format!("error={key}"),
            ));
        }
        Err(err) => return Err(case_error(err)),
    };
    render(&LetterPage {
        case_id: id,
        lang: lang.as_str(),
        subject: letter.subject,
        body: letter.body,
        addresses: letter.recipients.len(),
        page: session.page("cases"),
    })
}

#[derive(Debug, Deserialize)]
pub struct SendForm {
    csrf: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    pupil_id: String,
    #[serde(default)]
    lang: String,
}

/// `POST /cases/{id}/letters`: mails the letter to the known addresses, once.
pub async fn send(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<i64>,
    Form(form): Form<SendForm>,
) -> Result<Response, AppError> {
    session.check_csrf(&form.csrf)?;
    let actor = session.actor().clone();
    let back = format!("/cases/{id}/parents");
    let fallback = lang_of(&session);
    let result = blocking(&state, move |p| {
        let kind = LetterKind::parse(&form.kind)
            .ok_or(erbij_core::cases::CaseError::Invalid("error-letter-kind"))?;
        let pupil = form.pupil_id.trim().parse::<i64>().ok().map(PupilId);
        let lang = LetterLang::parse(&form.lang).unwrap_or(fallback);
        p.send_case_letter(&actor, CaseId(id), kind, pupil, lang)
    })
    .await?;
    match result {
        Ok(sent) if sent.queued == 0 => Ok(back_to(&back, "done=done-letter-already-sent")),
        Ok(_) => Ok(back_to(&back, "done=done-letter-sent")),
        Err(erbij_core::cases::CaseError::Invalid(key)) => {
            Ok(back_to(&back, &format!("error={key}")))
        }
        Err(err) => Err(case_error(err)),
    }
}

/// One template on the settings page.
#[derive(Debug, Clone)]
pub struct TemplateView {
    pub kind: &'static str,
    pub lang: &'static str,
    pub title: String,
    pub subject: String,
    pub body: String,
    pub own: bool,
    pub placeholders: String,
}

#[derive(Template)]
#[template(path = "cases_letter_settings.html")]
struct SettingsPage {
    page: Page,
    is_vo: bool,
    templates: Vec<TemplateView>,
}

/// `GET /settings/letters`: the school type and the letter templates (coordinator,
/// administrator).
pub async fn settings(
    State(state): State<AppState>,
    session: Session,
    Query(flash): Query<Flash>,
) -> Result<Response, AppError> {
    let actor = session.actor().clone();
    if !erbij_core::Platform::may_edit_letters(&actor) {
        return Err(AppError::Forbidden);
    }
    let (kind, templates) = blocking(&state, move |p| -> Result<_, AppError> {
        let kind = p.school_kind(&actor)?;
        let mut out = Vec::new();
        for letter in LetterKind::ALL {
            for lang in LetterLang::ALL {
                let (subject, body, own) = p.letter_template(&actor, letter, lang)?;
                let default = default_template(letter, lang);
                out.push((
                    letter,
                    lang,
                    subject,
                    body.clone(),
                    own && (default.1 != body),
                ));
            }
        }
        Ok((kind, out))
    })
    .await??;
    let tr = session.tr();
    render(&SettingsPage {
        is_vo: kind == SchoolKind::Secondary,
        templates: templates
            .into_iter()
            .map(|(kind, lang, subject, body, own)| TemplateView {
                kind: kind.as_str(),
                lang: lang.as_str(),
                title: format!(
                    "{} ({})",
                    tr.t(&format!("letters-kind-{}", kind.as_str())),
                    lang.as_str().to_uppercase()
                ),
                subject,
                body,
                own,
                placeholders: kind
                    .placeholders()
                    .iter()
                    .map(|p| format!("{{{p}}}"))
                    .collect::<Vec<_>>()
                    .join(" "),
            })
            .collect(),
        page: session.page("settings").with_flash(&flash),
    })
}

#[derive(Debug, Deserialize)]
pub struct TemplateForm {
    csrf: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    lang: String,
    #[serde(default)]
    subject: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    reset: String,
}

/// `POST /settings/letters`: saves one template (or returns it to the default).
pub async fn save_template(
    State(state): State<AppState>,
    session: Session,
    Form(form): Form<TemplateForm>,
) -> Result<Response, AppError> {
    session.check_csrf(&form.csrf)?;
    let actor = session.actor().clone();
    let anchor = format!("#letter-{}-{}", form.kind, form.lang);
    let result = blocking(&state, move |p| {
        let kind = LetterKind::parse(&form.kind)
            .ok_or(erbij_core::cases::CaseError::Invalid("error-letter-kind"))?;
        let lang = LetterLang::parse(&form.lang)
            .ok_or(erbij_core::cases::CaseError::Invalid("error-letter-kind"))?;
        let (subject, body) = if form.reset.is_empty() {
            (form.subject.as_str(), form.body.as_str())
        } else {
            ("", "")
        };
        p.save_letter_template(&actor, kind, lang, subject, body)
    })
    .await?;
    match result {
        Ok(()) => Ok(back_to(
            "/settings/letters",
            &format!("done=done-saved{anchor}"),
        )),
        Err(erbij_core::cases::CaseError::Invalid(key)) => Ok(back_to(
            "/settings/letters",
            &format!("error={key}{anchor}"),
        )),
        Err(err) => Err(case_error(err)),
    }
}

#[derive(Debug, Deserialize)]
pub struct SchoolKindForm {
    csrf: String,
    #[serde(default)]
    kind: String,
}

/// `POST /settings/school-type`: primary (po) or secondary (vo).
pub async fn save_school_kind(
    State(state): State<AppState>,
    session: Session,
    Form(form): Form<SchoolKindForm>,
) -> Result<Response, AppError> {
    session.check_csrf(&form.csrf)?;
    let actor = session.actor().clone();
    let result = blocking(&state, move |p| {
        let kind = SchoolKind::parse(&form.kind)
            .map_err(|_| erbij_core::cases::CaseError::Invalid("error-school-kind"))?;
        p.set_school_kind(&actor, kind)
    })
    .await?;
    match result {
        Ok(()) => Ok(back_to("/settings/letters", "done=done-saved")),
        Err(erbij_core::cases::CaseError::Invalid(key)) => {
            Ok(back_to("/settings/letters", &format!("error={key}")))
        }
        Err(err) => Err(case_error(err)),
    }
}

#[derive(Debug, Deserialize)]
pub struct PupilParentsForm {
    csrf: String,
    #[serde(default)]
    parent_emails: String,
    #[serde(default)]
    birth_date: String,
}

/// `POST /pupils/{id}/parents`: parents' addresses and birth date by hand (administrator).
pub async fn save_pupil_parents(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<i64>,
    Form(form): Form<PupilParentsForm>,
) -> Result<Response, AppError> {
    session.check_csrf(&form.csrf)?;
    let actor = session.actor().clone();
    let back = format!("/pupils/{id}");
    let result = blocking(&state, move |p| {
        p.set_pupil_parent_details(&actor, PupilId(id), &form.parent_emails, &form.birth_date)
    })
    .await?;
    match result {
        Ok(()) => Ok(back_to(&back, "done=done-saved#parents")),
        Err(erbij_core::cases::CaseError::Invalid(key)) => {
            Ok(back_to(&back, &format!("error={key}#parents")))
        }
        Err(err) => Err(case_error(err)),
    }
}
