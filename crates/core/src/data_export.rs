//! A pupil's data on request (AVG inzage, article 15 GDPR): everything erbij holds about one
//! pupil, for the coordinator to hand over, as JSON and as a readable page.
//!
//! What it never shows, because it is other people's data or would put them at risk:
//! - who nominated or rated the pupil in a survey (only how many classmates did, per
//!   question), and nobody else's answers;
//! - who reported what: no reporter names, no report texts, no "handed in by" of evidence;
//! - other pupils: not the pupil of another case the pupil is involved in, not the people
//!   involved in the pupil's own cases, and names of other pupils, reporters and outside
//!   people are replaced by `[naam]` in every free text (notes, summaries, agreements, file
//!   names and descriptions);
//! - staff names: who recorded, wrote or viewed something is given as a role.
//!
//! Names of other pupils appear only where the pupil already knows them: the classmates
//! the pupil chose in a survey themselves, and the class names.

use std::collections::{BTreeMap, HashSet};

use crate::cases::CaseStatus;
use crate::hardening::{PupilPage, amsterdam_time};
use crate::{AccessError, Actor, Date, Platform, PupilId, Role};

/// What replaces another person's name in free text.
pub const REDACTED: &str = "[naam]";

/// Everything erbij holds about one pupil, ready to hand over.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PupilExport {
    /// When it was made (Dutch time, `YYYY-MM-DD HH:MM`).
    pub made_at: String,
    pub school: String,
    pub pupil: ExportPupil,
    /// The retention period and the day everything will be deleted (when the pupil left).
    pub retention_days: i64,
    pub delete_on: Option<Date>,
    pub class_moves: Vec<ExportClassMove>,
    pub signals: Vec<ExportSignal>,
    pub surveys: Vec<ExportSurvey>,
    pub cases: Vec<ExportCase>,
    /// Other pupils' cases the pupil is named in: the part and when, never whose case.
    pub involved: Vec<ExportInvolvement>,
    pub access: Vec<ExportAccess>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportPupil {
    pub given_name: String,
    pub infix: String,
    pub family_name: String,
    pub external_id: Option<String>,
    pub class: String,
    pub left_on: Option<Date>,
    pub birth_date: Option<Date>,
    pub parent_emails: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportClassMove {
    pub on: Date,
    pub from_class: String,
    pub to_class: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportSignal {
    pub kind: &'static str,
    pub label_nl: &'static str,
    pub seen_on: Date,
    pub class: String,
    pub note: String,
    pub withdrawn: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportSurvey {
    pub class: String,
    pub kind: &'static str,
    pub opens_on: Date,
    pub answered: bool,
    /// The pupil's own answers: (question, classmate, value).
    pub given: Vec<(String, String, i64)>,
    /// How many classmates named or rated the pupil, per question; never who.
    pub received: Vec<(String, i64)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportCase {
    pub opened_on: Date,
    pub origin: &'static str,
    pub summary: String,
    pub status: &'static str,
    pub closed_on: Option<Date>,
    pub outcome: Option<&'static str>,
    pub closing_note: String,
    pub steps: Vec<ExportStep>,
    pub agreements: Vec<ExportAgreement>,
    pub evidence: Vec<ExportEvidence>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportStep {
    pub kind: &'static str,
    pub on: Date,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportAgreement {
    pub text: String,
    pub check_on: Date,
    /// (date, outcome, note).
    pub checks: Vec<(Date, &'static str, String)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportEvidence {
    pub file_name: String,
    pub kind: String,
    pub size: i64,
    pub sha256: String,
    pub description: String,
    pub made_on: Option<Date>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportInvolvement {
    pub role: &'static str,
    pub opened_on: Date,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportAccess {
    pub at: String,
    pub role: Option<Role>,
    pub page: String,
}

/// Replaces every name of `names` (whole words, any case) in `text` by [`REDACTED`].
pub fn redact(text: &str, names: &[Vec<char>]) -> String {
    let chars: Vec<char> = text.chars().collect();
    let lower: Vec<char> = chars.iter().map(|c| fold(*c)).collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    'outer: while i < chars.len() {
        let at_start = i == 0 || !chars[i - 1].is_alphanumeric();
        if at_start {
            for name in names {
                let end = i + name.len();
                if end <= lower.len()
                    && lower[i..end] == name[..]
                    && (end == chars.len() || !chars[end].is_alphanumeric())
                {
                    out.push_str(REDACTED);
                    i = end;
                    continue 'outer;
                }
            }
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

fn fold(c: char) -> char {
    c.to_lowercase().next().unwrap_or(c)
}

/// The forms of a name to look for: the full name, given name and family name (parts of at
/// least two letters), longest first.
fn name_forms(
    names: impl IntoIterator<Item = String>,
    keep: &HashSet<Vec<char>>,
) -> Vec<Vec<char>> {
    let mut forms: Vec<Vec<char>> = names
        .into_iter()
        .map(|n| n.trim().chars().map(fold).collect::<Vec<char>>())
        .filter(|n| n.iter().filter(|c| c.is_alphabetic()).count() >= 2 && !keep.contains(n))
        .collect();
    forms.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
    forms.dedup();
    forms
}

/// A free-typed name ("Fenna Melder", "moeder van Mila"): the whole text and every word
/// of it that starts with a capital letter.
fn with_parts(text: &str) -> Vec<String> {
    let mut out = vec![text.to_string()];
    out.extend(
        text.split(|c: char| !c.is_alphanumeric() && c != '-' && c != '\'')
            .filter(|w| w.chars().next().is_some_and(char::is_uppercase))
            .map(str::to_string),
    );
    out
}

impl Platform {
    /// The AVG export of one pupil (the coordinator only; others who see the pupil get
    /// `Forbidden`). The view is recorded in the access log as `data_export`.
    pub fn pupil_data_export(
        &self,
        actor: &Actor,
        id: PupilId,
    ) -> Result<PupilExport, AccessError> {
        let pupil = self.pupil(actor, id)?;
        if actor.role != Role::Coordinator {
            return Err(AccessError::Forbidden);
        }
        let school = actor.school_id;
        let store = self.store();
        let classes: BTreeMap<i64, String> = store
            .classes(school)?
            .into_iter()
            .map(|c| (c.id.0, c.name.to_string()))
            .collect();
        let class_name = |id: crate::ClassId| classes.get(&id.0).cloned().unwrap_or_default();
        let all_pupils = store.pupils_of_school(school)?;
        let names_of: BTreeMap<i64, String> =
            all_pupils.iter().map(|p| (p.id.0, p.full_name())).collect();

        // The pupil's own names are never redacted (a classmate with the same given name is
        // then left too: the pupil's own name is theirs to read).
        let keep: HashSet<Vec<char>> = [
            pupil.full_name(),
            pupil.given_name.clone(),
            pupil.family_name.clone(),
        ]
        .into_iter()
        .map(|n| n.trim().chars().map(fold).collect())
        .collect();
        let mut others: Vec<String> = Vec::new();
        for other in all_pupils.iter().filter(|p| p.id != pupil.id) {
            others.push(other.full_name());
            others.push(other.given_name.clone());
            others.push(other.family_name.clone());
        }

        let my_cases: Vec<_> = store
            .cases(school)?
            .into_iter()
            .filter(|c| c.pupil_id == pupil.id)
            .collect();
        let my_case_ids: HashSet<i64> = my_cases.iter().map(|c| c.id.0).collect();
        for report in store.reports(school)? {
            if report.case_id.is_some_and(|c| my_case_ids.contains(&c.0)) {
                others.extend(
                    report
                        .reporter_name
                        .as_deref()
                        .map(with_parts)
                        .into_iter()
                        .flatten(),
                );
            }
        }
        let mut evidence_of = BTreeMap::new();
        for case in &my_cases {
            for person in store.case_people(school, case.id)? {
                others.extend(
                    person
                        .outside_name
                        .as_deref()
                        .map(with_parts)
                        .into_iter()
                        .flatten(),
                );
            }
            let files = store.evidence_of_case(school, case.id)?;
            for file in &files {
                others.extend(with_parts(&file.handed_in_by));
                others.extend(
                    file.exporter
                        .as_deref()
                        .map(with_parts)
                        .into_iter()
                        .flatten(),
                );
            }
            evidence_of.insert(case.id.0, files);
        }
        let names = name_forms(others, &keep);
        let clean = |text: &str| redact(text, &names);

        let mut cases = Vec::new();
        for case in &my_cases {
            let agreements = store.agreements(school, case.id)?;
            let checks = store.checks(school, case.id)?;
            let status = match (&case.closing, agreements.is_empty()) {
                (Some(_), _) => CaseStatus::Closed,
                (None, true) => CaseStatus::Open,
                (None, false) => CaseStatus::WaitingForCheck,
            };
            cases.push(ExportCase {
                opened_on: case.opened_on,
                origin: case.origin.as_str(),
                summary: clean(&case.summary),
                status: status.as_str(),
                closed_on: case.closing.as_ref().map(|c| c.closed_on),
                outcome: case.closing.as_ref().map(|c| c.outcome.as_str()),
                closing_note: case
                    .closing
                    .as_ref()
                    .map(|c| clean(&c.note))
                    .unwrap_or_default(),
                steps: store
                    .steps(school, case.id)?
                    .into_iter()
                    .map(|s| ExportStep {
                        kind: s.kind.as_str(),
                        on: s.on,
                        note: clean(&s.note),
                    })
                    .collect(),
                agreements: agreements
                    .iter()
                    .map(|a| ExportAgreement {
                        text: clean(&a.text),
                        check_on: a.check_on,
                        checks: checks
                            .iter()
                            .filter(|c| c.agreement_id == a.id)
                            .map(|c| (c.on, c.outcome.as_str(), clean(&c.note)))
                            .collect(),
                    })
                    .collect(),
                evidence: evidence_of
                    .get(&case.id.0)
                    .map(|files| {
                        files
                            .iter()
                            .map(|f| ExportEvidence {
                                file_name: clean(&f.file_name),
                                kind: f.kind.as_str().to_string(),
                                size: f.size,
                                sha256: f.sha256.clone(),
                                description: clean(&f.description),
                                made_on: f.made_on,
                            })
                            .collect()
                    })
                    .unwrap_or_default(),
            });
        }

        let mut involved = Vec::new();
        for case in store.cases(school)? {
            if case.pupil_id == pupil.id {
                continue;
            }
            for person in store.case_people(school, case.id)? {
                if person.pupil_id == Some(pupil.id) {
                    involved.push(ExportInvolvement {
                        role: person.role.as_str(),
                        opened_on: case.opened_on,
                    });
                }
            }
        }

        let signals = store
            .signals_of_pupil(school, pupil.id)?
            .into_iter()
            .map(|s| ExportSignal {
                kind: s.kind.as_str(),
                label_nl: s.kind.label_nl(),
                seen_on: s.seen_on,
                class: class_name(s.class_id),
                note: clean(&s.note),
                withdrawn: s.withdrawn_at.is_some(),
            })
            .collect();

        let mut surveys = Vec::new();
        for class in classes.keys() {
            for round in store.rounds_of_class(school, crate::ClassId(*class))? {
                let codes = store.round_codes(school, round.id)?;
                let Some(code) = codes.iter().find(|c| c.pupil_id == pupil.id) else {
                    continue;
                };
                let rows = store.answer_rows(school, round.id)?;
                let given = rows
                    .iter()
                    .filter(|r| r.from == pupil.id)
                    .map(|r| {
                        (
                            r.question.clone(),
                            names_of.get(&r.to.0).cloned().unwrap_or_default(),
                            r.value,
                        )
                    })
                    .collect();
                let mut received: BTreeMap<String, i64> = BTreeMap::new();
                for row in rows
                    .iter()
                    .filter(|r| r.to == pupil.id && r.from != pupil.id)
                {
                    *received.entry(row.question.clone()).or_default() += 1;
                }
                surveys.push(ExportSurvey {
                    class: class_name(round.class_id),
                    kind: round.kind.key(),
                    opens_on: round.opens_on,
                    answered: code.answered,
                    given,
                    received: received.into_iter().collect(),
                });
            }
        }

        let class_moves = store
            .class_moves(school, pupil.id)?
            .into_iter()
            .map(|m| ExportClassMove {
                on: m.moved_on,
                from_class: m.from_class_name,
                to_class: m.to_class_name,
            })
            .collect();

        // Recorded before the log is read, so the export shows its own making.
        self.record_pupil_view(actor, pupil.id, PupilPage::DataExport, None)?;
        let access = store
            .access_log(school, pupil.id)?
            .into_iter()
            .map(|e| ExportAccess {
                at: amsterdam_time(e.at),
                role: e.role,
                page: e.page,
            })
            .collect();
        let settings = store.school_settings(school)?;
        Ok(PupilExport {
            made_at: amsterdam_time(self.now()),
            school: store
                .school(school)?
                .map(|s| s.name.to_string())
                .unwrap_or_default(),
            pupil: ExportPupil {
                given_name: pupil.given_name.clone(),
                infix: pupil.infix.clone(),
                family_name: pupil.family_name.clone(),
                external_id: pupil.external_id.clone(),
                class: class_name(pupil.class_id),
                left_on: pupil.left_on,
                birth_date: store.pupil_birth_date(school, pupil.id)?,
                parent_emails: store
                    .parent_emails(school, pupil.id)?
                    .into_iter()
                    .map(|e| e.to_string())
                    .collect(),
            },
            retention_days: settings.retention_days,
            delete_on: pupil
                .left_on
                .map(|d| d.add_days(settings.retention_days + 1)),
            class_moves,
            signals,
            surveys,
            cases,
            involved,
            access,
        })
    }
}

impl PupilExport {
    /// The JSON form (`erbij-inzage-1`).
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::json;
        let date = |d: &Option<Date>| d.map(|d| d.to_string());
        json!({
            "format": "erbij-inzage-1",
            "made_at": self.made_at,
            "school": self.school,
            "pupil": {
                "given_name": self.pupil.given_name,
                "infix": self.pupil.infix,
                "family_name": self.pupil.family_name,
                "external_id": self.pupil.external_id,
                "class": self.pupil.class,
                "left_on": date(&self.pupil.left_on),
                "birth_date": date(&self.pupil.birth_date),
                "parent_emails": self.pupil.parent_emails,
            },
            "retention": {
                "days": self.retention_days,
                "delete_on": date(&self.delete_on),
            },
            "class_moves": self.class_moves.iter().map(|m| json!({
                "on": m.on.to_string(), "from": m.from_class, "to": m.to_class,
            })).collect::<Vec<_>>(),
            "signals": self.signals.iter().map(|s| json!({
                "kind": s.kind, "label_nl": s.label_nl, "seen_on": s.seen_on.to_string(),
                "class": s.class, "note": s.note, "withdrawn": s.withdrawn,
            })).collect::<Vec<_>>(),
            "surveys": self.surveys.iter().map(|s| json!({
                "class": s.class, "kind": s.kind, "opens_on": s.opens_on.to_string(),
                "answered": s.answered,
                "my_answers": s.given.iter().map(|(q, to, v)| json!({
                    "question": q, "classmate": to, "value": v,
                })).collect::<Vec<_>>(),
                "named_by_classmates": s.received.iter().map(|(q, n)| json!({
                    "question": q, "count": n,
                })).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
            "cases": self.cases.iter().map(|c| json!({
                "opened_on": c.opened_on.to_string(), "origin": c.origin,
                "summary": c.summary, "status": c.status,
                "closed_on": date(&c.closed_on), "outcome": c.outcome,
                "closing_note": c.closing_note,
                "steps": c.steps.iter().map(|s| json!({
                    "kind": s.kind, "on": s.on.to_string(), "note": s.note,
                })).collect::<Vec<_>>(),
                "agreements": c.agreements.iter().map(|a| json!({
                    "text": a.text, "check_on": a.check_on.to_string(),
                    "checks": a.checks.iter().map(|(on, outcome, note)| json!({
                        "on": on.to_string(), "outcome": outcome, "note": note,
                    })).collect::<Vec<_>>(),
                })).collect::<Vec<_>>(),
                "evidence": c.evidence.iter().map(|e| json!({
                    "file_name": e.file_name, "kind": e.kind, "size": e.size,
                    "sha256": e.sha256, "description": e.description,
                    "made_on": date(&e.made_on),
                })).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
            "involved_in_other_cases": self.involved.iter().map(|i| json!({
                "role": i.role, "opened_on": i.opened_on.to_string(),
            })).collect::<Vec<_>>(),
            "access_log": self.access.iter().map(|a| json!({
                "at": a.at, "role": a.role.map(Role::as_str), "page": a.page,
            })).collect::<Vec<_>>(),
            "withheld": [
                "who named or rated the pupil in a survey (only how many classmates did)",
                "who reported what, and the reports' texts",
                "the pupils of other cases and the people involved in the pupil's cases; other people's names in texts are replaced by [naam]",
                "staff names (given as roles)",
                "the evidence files' contents (available from the coordinator on request)"
            ],
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_redacted_as_whole_words_in_any_case() {
        let names = name_forms(
            [
                "Sanne Bakker".into(),
                "Sanne".into(),
                "Bakker".into(),
                "Jo".into(),
            ],
            &HashSet::new(),
        );
        assert_eq!(
            redact(
                "sanne bakker en SANNE lachten; Bakkerij niet, Jo wel.",
                &names
            ),
            "[naam] en [naam] lachten; Bakkerij niet, [naam] wel."
        );
        let keep: HashSet<Vec<char>> = ["mila".chars().collect()].into_iter().collect();
        let names = name_forms(["Mila".into(), "Özil".into()], &keep);
        assert_eq!(redact("Mila en özil", &names), "Mila en [naam]");
    }
}
