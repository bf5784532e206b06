//! `targeted_group_name`: a group named (when made, or renamed) against a pupil who is not
//! in it: "Feestje zonder Mila", "Mila-vrije zone", "anti-Mila". A friendly name that
//! includes a member ("Zonder Mila geen feest" while Mila is in the group) is not flagged.

use crate::finding::{Confidence, Evidence, Finding, FindingKind, FindingSource, How, NameSource};
use crate::group::{Absence, Group, GroupChange, PersonKey, Presence};
use crate::roster::{NameMatch, PupilId, Roster};
use crate::text::{self, Word};
use crate::wording::{when_en, when_nl};

/// Words that, in a group name, aim it against the pupil named (METHODS.md P2).
const NEGATIONS: &[&str] = &[
    "zonder",
    "behalve",
    "geen",
    "niet",
    "anti",
    "without",
    "except",
    "no",
    "not",
    "minus",
    "excl",
    "exclusief",
    "tegen",
    "against",
];
const SUFFIXES: &[&str] = &["vrij", "vrije", "free", "loos", "loze"];
const PREFIXES: &[&str] = &["anti"];

/// The pupils a group name is aimed against.
pub fn targets(name: &str, roster: &Roster) -> Vec<PupilId> {
    let mut words = Vec::new();
    text::words_into(name, &mut words);
    // Split hyphenated words ("mila-vrij", "anti-mila") into parts that keep the capital.
    let mut parts: Vec<Word> = Vec::new();
    for word in words {
        for (i, part) in word.folded.split('-').filter(|p| !p.is_empty()).enumerate() {
            parts.push(Word {
                folded: part.to_string(),
                capitalised: if i == 0 { word.capitalised } else { true },
                at_mention: word.at_mention,
                sentence_start: word.sentence_start && i == 0,
                followed_by_pause: false,
            });
        }
    }
    let negated = parts
        .iter()
        .any(|w| NEGATIONS.contains(&w.folded.as_str()) || SUFFIXES.contains(&w.folded.as_str()));
    let mut found = Vec::new();
    for (i, word) in parts.iter().enumerate() {
        let previous = i.checked_sub(1).map(|p| &parts[p]);
        let mut candidates = vec![(word.clone(), negated)];
        for suffix in SUFFIXES {
            if let Some(stem) = word.folded.strip_suffix(suffix).filter(|s| s.len() >= 2) {
                candidates.push((
                    Word {
                        folded: stem.to_string(),
                        capitalised: true,
                        ..word.clone()
                    },
                    true,
                ));
            }
        }
        for prefix in PREFIXES {
            if let Some(rest) = word.folded.strip_prefix(prefix).filter(|s| s.len() >= 2) {
                candidates.push((
                    Word {
                        folded: rest.to_string(),
                        capitalised: true,
                        ..word.clone()
                    },
                    true,
                ));
            }
        }
        for (candidate, aimed) in candidates {
            if let NameMatch::Pupil(id) = roster.match_word(&candidate, previous) {
                if aimed && !found.contains(&id) {
                    found.push(id);
                }
            }
        }
    }
    found
}

pub fn detect(group_index: usize, group: &Group, roster: &Roster) -> Vec<Finding> {
    let mut findings = Vec::new();
    for event in &group.events {
        let (by, name, verb_nl, verb_en) = match &event.change {
            GroupChange::Created {
                by,
                name: Some(name),
            } => (*by, name, "maakte de groep", "created the group"),
            GroupChange::Renamed { by, to } => {
                (*by, to, "gaf de groep de naam", "renamed the group to")
            }
            _ => continue,
        };
        for pupil in targets(name, roster) {
            let key = PersonKey::Pupil(pupil);
            if by == key {
                continue;
            }
            let history = group.membership_events(key);
            let removed_later = history
                .iter()
                .find(|(e, how)| *how == How::Removed && e.at >= event.at);
            let presence = group.presence(key, event.at, event.chat, event.line);
            let (confidence, reason_nl, reason_en) = match (presence, removed_later) {
                (Presence::Absent(Absence::Removed | Absence::NotYetAdded), _) | (_, Some(_)) => (
                    Confidence::High,
                    "De naam staat in een systeemregel en de leerling werd verwijderd of pas later toegevoegd.",
                    "The name is in a system line and the pupil was removed or only added later.",
                ),
                (Presence::Absent(_), None) => (
                    Confidence::High,
                    "De naam staat in een systeemregel en de leerling was geen lid van de groep.",
                    "The name is in a system line and the pupil was not a member of the group.",
                ),
                (Presence::Unknown, None)
                    if !history
                        .iter()
                        .any(|(_, h)| h.change() == crate::finding::Change::In) =>
                {
                    (
                        Confidence::Medium,
                        "De naam staat in een systeemregel; dat de leerling geen lid was, is afgeleid (de maker van de export is onbekend).",
                        "The name is in a system line; that the pupil was not a member is inferred (the exporter is unknown).",
                    )
                }
                _ => continue,
            };
            let subject = roster.name(pupil).to_string();
            let actor = group.display(by, roster);
            let mut evidence = vec![Evidence {
                chat: event.chat,
                line: event.line,
                text: event.raw.clone(),
            }];
            if let Some((removal, _)) = removed_later {
                evidence.push(Evidence {
                    chat: removal.chat,
                    line: removal.line,
                    text: removal.raw.clone(),
                });
            }
            findings.push(Finding {
                kind: FindingKind::TargetedGroupName,
                subject: subject.clone(),
                subject_pupil: Some(pupil),
                actors: vec![actor.clone()],
                source: FindingSource::Chat {
                    chat: event.chat,
                    group: group_index,
                },
                at: Some(event.at),
                confidence,
                confidence_reason_nl: reason_nl.into(),
                confidence_reason_en: reason_en.into(),
                evidence: evidence.into_iter().map(Into::into).collect(),
                explanation_nl: format!(
                    "{actor} {verb_nl} ‘{name}’ ({}). De naam noemt {subject}, die geen lid van de groep is of eruit werd gezet: de naam zelf sluit {subject} buiten.",
                    when_nl(event.at)
                ),
                explanation_en: format!(
                    "{actor} {verb_en} ‘{name}’ ({}). The name mentions {subject}, who is not in the group or was put out of it: the name itself excludes {subject}.",
                    when_en(event.at)
                ),
                statistics: None,
            });
        }
    }
    findings.extend(from_other_sources(group_index, group, roster, &findings));
    findings
}

/// Names read outside the system lines (the iPhone notice, the zip's title, the file name):
/// the name the group had when it was exported, so membership is judged at the export's end.
fn from_other_sources(
    group_index: usize,
    group: &Group,
    roster: &Roster,
    already: &[Finding],
) -> Vec<Finding> {
    let mut findings: Vec<Finding> = Vec::new();
    let system_names: Vec<String> = group
        .names
        .iter()
        .filter(|n| n.source == NameSource::SystemLine)
        .map(|n| text::fold(&n.name))
        .collect();
    for hint in group
        .names
        .iter()
        .filter(|n| n.source != NameSource::SystemLine)
    {
        if system_names.contains(&text::fold(&hint.name)) {
            continue;
        }
        let Some(end) = group.end else { continue };
        for pupil in targets(&hint.name, roster) {
            let key = PersonKey::Pupil(pupil);
            let done =
                |f: &Finding| f.subject_pupil == Some(pupil) && f.group() == Some(group_index);
            if already.iter().any(done) || findings.iter().any(done) {
                continue;
            }
            let presence = group.presence(key, end, hint.chat, u32::MAX);
            let (where_nl, where_en) = match hint.source {
                NameSource::EncryptionNotice => (
                    "de melding over versleuteling, die een iPhone met de naam van de groep schrijft",
                    "the encryption notice, which an iPhone writes with the group's name",
                ),
                NameSource::ZipTitle => (
                    "de naam van het exportbestand (.zip)",
                    "the name of the export file (.zip)",
                ),
                _ => ("de bestandsnaam van de export", "the export's file name"),
            };
            let (confidence, reason_nl, reason_en) = match (presence, hint.source.confidence()) {
                (Presence::Absent(_), Confidence::High) => (
                    Confidence::High,
                    format!(
                        "De naam komt uit {where_nl}; de leerling was geen lid toen de chat werd geëxporteerd."
                    ),
                    format!(
                        "The name comes from {where_en}; the pupil was not a member when the chat was exported."
                    ),
                ),
                (Presence::Absent(_), _) => (
                    Confidence::Medium,
                    format!(
                        "De naam komt uit {where_nl}, die iemand kan hebben veranderd; de leerling was geen lid toen de chat werd geëxporteerd."
                    ),
                    format!(
                        "The name comes from {where_en}, which someone may have changed; the pupil was not a member when the chat was exported."
                    ),
                ),
                (Presence::Unknown, _) => (
                    if hint.source.confidence() == Confidence::High {
                        Confidence::Medium
                    } else {
                        Confidence::Low
                    },
                    format!(
                        "De naam komt uit {where_nl}; dat de leerling geen lid was, is afgeleid (wie de export maakte, is niet bekend)."
                    ),
                    format!(
                        "The name comes from {where_en}; that the pupil was not a member is inferred (who made the export is not known)."
                    ),
                ),
                (Presence::Member, _) => continue,
            };
            let subject = roster.name(pupil).to_string();
            let evidence = Evidence {
                chat: hint.chat,
                line: hint.line.unwrap_or(0),
                text: hint.raw.clone().unwrap_or_else(|| hint.name.clone()),
            };
            findings.push(Finding {
                kind: FindingKind::TargetedGroupName,
                subject: subject.clone(),
                subject_pupil: Some(pupil),
                actors: Vec::new(),
                source: FindingSource::Chat {
                    chat: hint.chat,
                    group: group_index,
                },
                at: Some(end),
                confidence,
                confidence_reason_nl: reason_nl,
                confidence_reason_en: reason_en,
                evidence: vec![evidence.into()],
                explanation_nl: format!(
                    "De groep heet ‘{}’ (gelezen in {where_nl}). De naam noemt {subject}, die geen lid van de groep is: de naam zelf sluit {subject} buiten. Wie de groep zo noemde, staat niet in de export.",
                    hint.name
                ),
                explanation_en: format!(
                    "The group is called ‘{}’ (read in {where_en}). The name mentions {subject}, who is not in the group: the name itself excludes {subject}. Who gave it this name is not in the export.",
                    hint.name
                ),
                statistics: None,
            });
        }
    }
    findings
}
