//! `shadow_group` (P2): a group with the whole class but one or two. Exports show members
//! only through system lines and writing, so "missing" means "never seen in the group" and
//! the confidence says how well the membership is known. A group for part of the class (a
//! sports team, a project group) covers too little of the class to be flagged.

use std::collections::HashSet;

use crate::finding::{Confidence, Evidence, Finding, FindingKind, FindingSource, How, Statistics};
use crate::group::{Group, GroupChange, PersonKey};
use crate::roster::{PupilId, Roster};
use crate::thresholds::Thresholds;
use crate::wording::{group_en, group_nl, list_en, list_nl, when_en, when_nl};

/// The pupils a group holds at its end or ever held without being removed (leaving on
/// one's own still counts as having been invited), plus whether its maker is unnamed.
fn members(group: &Group) -> (HashSet<PupilId>, HashSet<PupilId>) {
    let mut kept = HashSet::new();
    let mut removed = HashSet::new();
    for key in group.ever_members() {
        let PersonKey::Pupil(id) = key else { continue };
        let last = group.membership_events(key).last().map(|(_, how)| *how);
        if last == Some(How::Removed) {
            removed.insert(id);
        } else {
            kept.insert(id);
        }
    }
    (kept, removed)
}

/// Observed coverage of a class: members (with one unnamed exporter counted as a classmate).
pub fn coverage(group: &Group, class: &HashSet<PupilId>) -> f64 {
    if class.is_empty() {
        return 0.0;
    }
    let (kept, _) = members(group);
    let inside = kept.intersection(class).count()
        + usize::from(group.exporter_unresolved && kept.len() < class.len());
    inside.min(class.len()) as f64 / class.len() as f64
}

pub fn detect(
    groups: &[Group],
    class: &HashSet<PupilId>,
    class_group: Option<usize>,
    roster: &Roster,
    t: &Thresholds,
) -> Vec<Finding> {
    let mut findings = Vec::new();
    let Some(class_index) = class_group else {
        return findings;
    };
    let class_created = groups[class_index].created.or(groups[class_index].start);
    for (index, group) in groups.iter().enumerate() {
        if index == class_index || class.is_empty() {
            continue;
        }
        if let (Some(mine), Some(theirs)) = (group.created, groups[class_index].created) {
            if mine <= theirs {
                continue;
            }
        }
        let (kept, removed) = members(group);
        let mut missing_removed: Vec<PupilId> = class
            .iter()
            .copied()
            .filter(|p| removed.contains(p) && !kept.contains(p))
            .collect();
        let mut never_seen: Vec<PupilId> = class
            .iter()
            .copied()
            .filter(|p| !kept.contains(p) && !removed.contains(p))
            .collect();
        missing_removed.sort();
        never_seen.sort();
        // An unnamed exporter is a member we cannot name: perhaps one of the never-seen.
        // It lowers the confidence about the never-seen; it never hides them: a group that
        // lacks exactly one pupil is reported, "unless that pupil made the export".
        let exporter_slot = usize::from(group.exporter_unresolved && !never_seen.is_empty());
        let missing_all = missing_removed.len() + never_seen.len();
        let missing = missing_all - exporter_slot;
        let class_size = class.len();
        let covered = (class_size - missing) as f64 / class_size as f64;
        if missing_all == 0
            || missing as f64 > t.shadow_max_missing
            || covered < t.shadow_min_coverage
        {
            continue;
        }
        // What the export shows, for the explanation: seen members of the class.
        let seen_in_group = class_size - missing_all;
        // How well is the membership known?
        let system_members: HashSet<PersonKey> = group
            .events
            .iter()
            .flat_map(|e| match &e.change {
                GroupChange::Created { by, .. } => vec![*by],
                GroupChange::Added { who, by } => who.iter().copied().chain(*by).collect(),
                GroupChange::Joined { who, .. } => vec![*who],
                _ => Vec::new(),
            })
            .collect();
        let known_share = kept
            .iter()
            .filter(|p| system_members.contains(&PersonKey::Pupil(**p)))
            .count() as f64
            / kept.len().max(1) as f64;
        let (confidence, reason_nl, reason_en) = if group.chats.len() >= 2 {
            (
                Confidence::High,
                "Exports van meerdere leden laten dezelfde leden zien.",
                "Exports from several members show the same members.",
            )
        } else if group.created.is_some() && known_share >= 0.8 {
            (
                Confidence::High,
                "De export begint bij het maken van de groep en laat zien wie werd toegevoegd.",
                "The export starts when the group was made and shows who was added.",
            )
        } else if known_share >= 0.5 {
            (
                Confidence::Medium,
                "De meeste leden zijn bekend uit systeemregels, sommige alleen omdat ze schreven.",
                "Most members are known from system lines, some only because they wrote.",
            )
        } else {
            (
                Confidence::Low,
                "Wie lid was, is vooral afgeleid uit wie er schreef; stille leden zijn niet te zien.",
                "Membership is mostly inferred from who wrote; silent members cannot be seen.",
            )
        };
        let mut subjects: Vec<PupilId> = missing_removed.clone();
        let unsure = exporter_slot == 1;
        // Which of the never-seen is the exporter is unknown: name them all, carefully.
        subjects.extend(never_seen.iter().copied());
        let missing_names: Vec<String> = missing_removed
            .iter()
            .chain(never_seen.iter())
            .map(|p| roster.name(*p).to_string())
            .collect();
        let at = group.created.or(group.start);
        let Some(at) = at else { continue };
        let creation = group
            .events
            .iter()
            .find(|e| matches!(e.change, GroupChange::Created { .. }));
        let creator = creation.and_then(|e| match e.change {
            GroupChange::Created { by, .. } => Some(group.display(by, roster)),
            _ => None,
        });
        for subject in subjects {
            let name = roster.name(subject).to_string();
            let maybe_exporter = unsure && never_seen.contains(&subject);
            let mut evidence = Vec::new();
            if let Some(e) = creation {
                evidence.push(Evidence {
                    chat: e.chat,
                    line: e.line,
                    text: e.raw.clone(),
                });
            }
            for e in group
                .events
                .iter()
                .filter(|e| matches!(&e.change, GroupChange::Added { .. }))
                .take(3)
            {
                evidence.push(Evidence {
                    chat: e.chat,
                    line: e.line,
                    text: e.raw.clone(),
                });
            }
            for (e, how) in group.membership_events(PersonKey::Pupil(subject)) {
                if how == How::Removed {
                    evidence.push(Evidence {
                        chat: e.chat,
                        line: e.line,
                        text: e.raw.clone(),
                    });
                }
            }
            evidence.sort();
            evidence.dedup();
            let how_nl = if missing_removed.contains(&subject) {
                "werd eruit verwijderd"
            } else {
                "is er nooit in gezien"
            };
            let how_en = if missing_removed.contains(&subject) {
                "was removed from it"
            } else {
                "was never seen in it"
            };
            let (unsure_nl, unsure_en) = if maybe_exporter {
                (
                    format!(
                        " Tenzij {name} deze export zelf maakte: wie de export maakte, staat niet met naam in het bestand. Wie maakte deze export?"
                    ),
                    format!(
                        " Unless {name} made this export: the file does not name who made it. Who made this export?"
                    ),
                )
            } else {
                (String::new(), String::new())
            };
            let (confidence, reason_nl, reason_en) = if maybe_exporter {
                (
                    Confidence::Low,
                    "Wie de export maakte, is niet bekend; dat kan deze leerling zijn, die dan wel lid was.",
                    "Who made the export is not known; it may be this pupil, who then was a member.",
                )
            } else {
                (confidence, reason_nl, reason_en)
            };
            let creator_nl = creator
                .as_ref()
                .map(|c| format!(", gemaakt door {c}"))
                .unwrap_or_default();
            let creator_en = creator
                .as_ref()
                .map(|c| format!(", made by {c}"))
                .unwrap_or_default();
            findings.push(Finding {
                kind: FindingKind::ShadowGroup,
                subject: name.clone(),
                subject_pupil: Some(subject),
                actors: creator.clone().into_iter().collect(),
                source: FindingSource::Chat {
                    chat: group.primary(),
                    group: index,
                },
                at: Some(at),
                confidence,
                confidence_reason_nl: reason_nl.into(),
                confidence_reason_en: reason_en.into(),
                evidence: evidence.into_iter().map(Into::into).collect(),
                explanation_nl: format!(
                    "Naast de klassengroep bestaat {}{creator_nl} (vanaf {}). Daarin zitten {seen_in_group} van de {class_size} leerlingen van de klas, maar niet: {}. {name} {how_nl}.{unsure_nl} Een groep met de hele klas op één of twee na is een bekende manier om iemand buiten te sluiten.",
                    group_nl(group.name.as_deref()),
                    when_nl(at),
                    list_nl(&missing_names)
                ),
                explanation_en: format!(
                    "Besides the class group there is {}{creator_en} (from {}). It holds {seen_in_group} of the {class_size} pupils of the class, but not: {}. {name} {how_en}.{unsure_en} A group with the whole class but one or two is a known way to shut someone out.",
                    group_en(group.name.as_deref()),
                    when_en(at),
                    list_en(&missing_names)
                ),
                statistics: Some(Statistics::ShadowGroup { coverage: covered, class_size: class_size as u32, missing: missing_names.clone() }),
            });
        }
        let _ = class_created;
    }
    findings
}
