//! What the case templates show, already translated and formatted.

use erbij_core::cases::{
    CaseFile, CaseRight, CaseStatus, CaseSummary, DueCheck, Hold, PersonRole, StepKind,
};
use erbij_core::{Date, PupilRecord, Role, UserRecord};

use crate::i18n::Tr;

fn key(prefix: &str, value: &str) -> String {
    format!("{prefix}-{}", value.replace('_', "-"))
}

pub(crate) fn status_label(tr: &Tr, status: CaseStatus) -> String {
    tr.t(&key("case-status", status.as_str()))
}

/// The status as people read it: a closed case says how it ended ("gesloten — opgelost").
fn status_text(tr: &Tr, status: CaseStatus, case: &erbij_core::cases::CaseRecord) -> String {
    match &case.closing {
        Some(closing) if status == CaseStatus::Closed => format!(
            "{} — {}",
            status_label(tr, status),
            tr.t(&key("case-close", closing.outcome.as_str()))
        ),
        _ => status_label(tr, status),
    }
}

pub(crate) fn hold_text(tr: &Tr, hold: Hold) -> String {
    match hold {
        Hold::NotChecked { due } => tr.t1("case-hold-not-checked", "date", &due.dutch()),
        Hold::NotKept { outcome, due } => tr.format(
            "case-hold-not-kept",
            &[
                ("outcome", &tr.t(&key("case-outcome", outcome.as_str()))),
                ("date", &due.dutch()),
            ],
        ),
    }
}

#[derive(Debug, Clone)]
pub struct CaseListItem {
    pub id: i64,
    pub pupil_name: String,
    pub status: String,
    pub status_class: &'static str,
    pub opened_on: String,
    pub next_check: String,
    pub summary: String,
}

impl CaseListItem {
    pub fn new(tr: &Tr, c: &CaseSummary) -> Self {
        CaseListItem {
            id: c.case.id.0,
            pupil_name: c
                .pupil
                .as_ref()
                .map(PupilRecord::full_name)
                .unwrap_or_default(),
            status: status_text(tr, c.status, &c.case),
            status_class: status_class(c.status),
            opened_on: c.case.opened_on.dutch(),
            next_check: c.next_check.map(|d| d.dutch()).unwrap_or_default(),
            summary: c.case.summary.chars().take(140).collect(),
        }
    }
}

fn status_class(status: CaseStatus) -> &'static str {
    match status {
        CaseStatus::Open => "status-open",
        CaseStatus::WaitingForCheck => "status-waiting",
        CaseStatus::Closed => "status-closed",
    }
}

#[derive(Debug, Clone)]
pub struct DueCheckView {
    pub case_id: i64,
    pub agreement_id: i64,
    pub pupil_name: String,
    pub text: String,
    pub due: String,
    pub overdue: bool,
}

impl DueCheckView {
    pub fn new(d: &DueCheck, today: Date) -> Self {
        DueCheckView {
            case_id: d.case_id.0,
            agreement_id: d.agreement.id.0,
            pupil_name: d
                .pupil
                .as_ref()
                .map(PupilRecord::full_name)
                .unwrap_or_default(),
            text: d.agreement.text.chars().take(160).collect(),
            due: d.due.dutch(),
            overdue: d.due < today,
        }
    }
}

#[derive(Debug, Clone)]
pub struct PersonView {
    pub name: String,
    pub role: String,
    pub outside: bool,
}

#[derive(Debug, Clone)]
pub struct StepView {
    pub on: String,
    pub kind: String,
    pub who: String,
    pub pupils: String,
    pub note: String,
}

#[derive(Debug, Clone)]
pub struct CheckView {
    pub on: String,
    pub outcome: String,
    pub kept: bool,
    pub note: String,
    pub next: String,
}

#[derive(Debug, Clone)]
pub struct AgreementView {
    pub id: i64,
    pub text: String,
    pub pupils: String,
    pub check_on: String,
    pub holds: bool,
    pub hold_text: String,
    pub checks: Vec<CheckView>,
}

#[derive(Debug, Clone)]
pub struct HoldView {
    pub agreement_id: i64,
    pub text: String,
    pub reason: String,
}

#[derive(Debug, Clone)]
pub struct ContactView {
    pub role: String,
    pub name: String,
}

/// The whole case page.
#[derive(Debug, Clone)]
pub struct CasePageView {
    pub id: i64,
    pub pupil_name: String,
    pub class_name: String,
    pub status: String,
    pub status_class: &'static str,
    pub origin: String,
    /// Where the origin can be looked at (a sign, a pupil's report), or empty.
    pub origin_href: String,
    pub summary: String,
    pub owner_name: String,
    pub opened_on: String,
    pub is_closed: bool,
    pub closed_text: String,
    pub closed_note: String,
    pub closed_on: String,
    pub may_manage: bool,
    pub oversee: bool,
    pub holds: Vec<HoldView>,
    pub people: Vec<PersonView>,
    pub members: Vec<String>,
    pub member_candidates: Vec<(i64, String)>,
    pub steps: Vec<StepView>,
    pub agreements: Vec<AgreementView>,
    pub pupil_choices: Vec<(i64, String)>,
    /// Pupils on the case (checkboxes for steps and agreements).
    pub involved: Vec<(i64, String, bool)>,
    /// The involved pupil not yet spoken to alone, suggested by the step form.
    pub next_to_talk_id: i64,
    pub next_to_talk_name: String,
    pub contacts: Vec<ContactView>,
    pub views: Vec<(String, String)>,
    pub today: String,
    pub default_check: String,
}

impl CasePageView {
    pub fn new(
        tr: &Tr,
        file: &CaseFile,
        candidates: &[UserRecord],
        pupils: &[(String, PupilRecord)],
        users: &[UserRecord],
        today: Date,
    ) -> Self {
        let case = &file.case;
        let names = |ids: &[erbij_core::PupilId]| {
            ids.iter()
                .map(|id| file.pupil_name(*id))
                .filter(|n| !n.is_empty())
                .collect::<Vec<_>>()
                .join(", ")
        };
        let user_name = |id: erbij_core::UserId| {
            users
                .iter()
                .chain(file.owner.iter())
                .chain(file.members.iter())
                .find(|u| u.id == id)
                .map(|u| u.name.clone())
                .unwrap_or_default()
        };
        let mut involved: Vec<(i64, String)> = Vec::new();
        for entry in &file.people {
            if let Some(p) = &entry.pupil {
                if !involved.iter().any(|(id, _)| *id == p.id.0) {
                    involved.push((p.id.0, p.full_name()));
                }
            }
        }
        let spoken: Vec<i64> = file
            .steps
            .iter()
            .filter(|s| s.kind == StepKind::PupilConversation)
            .flat_map(|s| s.pupil_ids.iter().map(|p| p.0))
            .collect();
        let next_to_talk = involved
            .iter()
            .find(|(id, _)| !spoken.contains(id))
            .cloned();
        let mut people: Vec<PersonView> = file
            .people
            .iter()
            .map(|entry| PersonView {
                name: entry
                    .pupil
                    .as_ref()
                    .map(PupilRecord::full_name)
                    .or_else(|| entry.person.outside_name.clone())
                    .unwrap_or_default(),
                role: tr.t(&key("case-role", entry.person.role.as_str())),
                outside: entry.pupil.is_none(),
            })
            .collect();
        // The pupil who is left out first, then those who exclude, then bystanders.
        let order = |role: &str| {
            PersonRole::ALL
                .iter()
                .position(|r| tr.t(&key("case-role", r.as_str())) == role)
                .unwrap_or(9)
        };
        people.sort_by_key(|p| order(&p.role));
        CasePageView {
            id: case.id.0,
            pupil_name: file.pupil.full_name(),
            class_name: file.class_name.clone(),
            status: status_text(tr, file.status, case),
            status_class: status_class(file.status),
            origin: tr.t(&key("case-origin", case.origin.as_str())),
            origin_href: match (case.origin, case.origin_ref) {
                (erbij_core::cases::Origin::Signal, Some(r)) => format!("/signals/{r}"),
                (erbij_core::cases::Origin::Report, Some(r)) => format!("/reports/{r}"),
                _ => String::new(),
            },
            summary: case.summary.clone(),
            owner_name: file
                .owner
                .as_ref()
                .map(|u| u.name.clone())
                .unwrap_or_default(),
            opened_on: case.opened_on.dutch(),
            is_closed: case.closing.is_some(),
            closed_text: case
                .closing
                .as_ref()
                .map(|c| {
                    tr.format(
                        "case-closed-as",
                        &[
                            ("outcome", &tr.t(&key("case-close", c.outcome.as_str()))),
                            ("date", &c.closed_on.dutch()),
                        ],
                    )
                })
                .unwrap_or_default(),
            closed_note: case
                .closing
                .as_ref()
                .map(|c| c.note.clone())
                .unwrap_or_default(),
            closed_on: case
                .closing
                .as_ref()
                .map(|c| c.closed_on.dutch())
                .unwrap_or_default(),
            may_manage: file.right >= CaseRight::Manage,
            oversee: file.right == CaseRight::Oversee,
            holds: file
                .holds()
                .into_iter()
                .map(|(a, h)| HoldView {
                    agreement_id: a.id.0,
                    text: a.text,
                    reason: hold_text(tr, h),
                })
                .collect(),
            people,
            members: file.members.iter().map(|u| u.name.clone()).collect(),
            member_candidates: candidates
                .iter()
                .map(|u| (u.id.0, u.name.clone()))
                .collect(),
            steps: file
                .steps
                .iter()
                .map(|s| StepView {
                    on: s.on.dutch(),
                    kind: tr.t(&key("case-step", s.kind.as_str())),
                    who: user_name(s.user_id),
                    pupils: names(&s.pupil_ids),
                    note: s.note.clone(),
                })
                .collect(),
            agreements: file
                .agreements
                .iter()
                .map(|a| AgreementView {
                    id: a.agreement.id.0,
                    text: a.agreement.text.clone(),
                    pupils: names(&a.agreement.pupil_ids),
                    check_on: a.agreement.check_on.dutch(),
                    holds: a.hold.is_some(),
                    hold_text: a.hold.map(|h| hold_text(tr, h)).unwrap_or_default(),
                    checks: a
                        .checks
                        .iter()
                        .map(|c| CheckView {
                            on: c.on.dutch(),
                            outcome: tr.t(&key("case-outcome", c.outcome.as_str())),
                            kept: c.outcome == erbij_core::cases::CheckOutcome::Kept,
                            note: c.note.clone(),
                            next: c.next_check_on.map(|d| d.dutch()).unwrap_or_default(),
                        })
                        .collect(),
                })
                .collect(),
            pupil_choices: pupils
                .iter()
                .map(|(class, p)| (p.id.0, format!("{class} · {}", p.sort_name())))
                .collect(),
            next_to_talk_id: next_to_talk.as_ref().map_or(0, |(id, _)| *id),
            involved: involved
                .iter()
                .map(|(id, name)| {
                    let suggested = next_to_talk.as_ref().is_some_and(|(n, _)| n == id);
                    (*id, name.clone(), suggested)
                })
                .collect(),
            next_to_talk_name: next_to_talk.map(|(_, n)| n).unwrap_or_default(),
            contacts: users
                .iter()
                .filter(|u| {
                    matches!(
                        u.role,
                        Role::Coordinator | Role::ConfidentialAdviser | Role::CareCoordinator
                    )
                })
                .map(|u| ContactView {
                    role: crate::pages::role_label(tr, u.role),
                    name: u.name.clone(),
                })
                .collect(),
            views: file
                .views
                .iter()
                .flatten()
                .map(|(v, name)| (name.clone(), Date::amsterdam_clock(v.at)))
                .collect(),
            today: today.to_string(),
            default_check: today.add_days(14).to_string(),
        }
    }
}
