//! `absent_gossip` (P5): a pupil talked about negatively while not in the group, by several
//! classmates within a week. One remark, or one person's remarks, are not a pattern; a
//! pupil named kindly while absent ("ik mis Mila") is not negative and not flagged.

use std::collections::{HashMap, HashSet};

use crate::finding::{Confidence, Evidence, Finding, FindingKind, FindingSource, Statistics};
use crate::group::{Absence, Group, PersonKey, Presence};
use crate::roster::{PupilId, Roster};
use crate::scan::ChatFacts;
use crate::thresholds::Thresholds;
use crate::wording::{group_en, group_nl, list_en, list_nl, when_en, when_nl};

struct AbsentMention<'a> {
    author: PersonKey,
    absence: Absence,
    mention: &'a crate::scan::MentionFact,
    chat: usize,
}

pub fn detect(
    group_index: usize,
    group: &Group,
    facts: &[ChatFacts],
    roster: &Roster,
    t: &Thresholds,
) -> Vec<Finding> {
    let mut by_pupil: HashMap<PupilId, Vec<AbsentMention>> = HashMap::new();
    let mut seen: HashSet<(u64, PupilId)> = HashSet::new();
    for chat in &group.chats {
        let Some(chat_facts) = facts.iter().find(|f| f.chat == *chat) else {
            continue;
        };
        for mention in &chat_facts.mentions {
            // The same message in two exports of the group counts once.
            if !seen.insert((mention.fingerprint, mention.pupil)) {
                continue;
            }
            let key = PersonKey::Pupil(mention.pupil);
            let Presence::Absent(absence) = group.presence(key, mention.at, *chat, mention.line)
            else {
                continue;
            };
            if mention.negative {
                by_pupil
                    .entry(mention.pupil)
                    .or_default()
                    .push(AbsentMention {
                        author: group.key(*chat, mention.author),
                        absence,
                        mention,
                        chat: *chat,
                    });
            }
        }
    }
    let window = (t.gossip_window_days * 86_400.0) as i64;
    let mut findings = Vec::new();
    let mut pupils: Vec<PupilId> = by_pupil.keys().copied().collect();
    pupils.sort();
    for pupil in pupils {
        let mut mentions = by_pupil.remove(&pupil).unwrap_or_default();
        mentions.sort_by_key(|m| (m.mention.at, m.chat, m.mention.line));
        // The first week-long window with enough remarks by enough people.
        let mut chosen: Option<(usize, usize)> = None;
        for start in 0..mentions.len() {
            let end = mentions[start..]
                .iter()
                .take_while(|m| mentions[start].mention.at.seconds_until(m.mention.at) <= window)
                .count()
                + start;
            let authors: HashSet<PersonKey> =
                mentions[start..end].iter().map(|m| m.author).collect();
            if (end - start) as f64 >= t.gossip_min_mentions
                && authors.len() as f64 >= t.gossip_min_authors
            {
                chosen = Some((start, end));
                break;
            }
        }
        let Some((start, end)) = chosen else { continue };
        let window_mentions = &mentions[start..end];
        let mut authors: Vec<String> = Vec::new();
        for m in window_mentions {
            let name = group.display(m.author, roster);
            if !authors.contains(&name) {
                authors.push(name);
            }
        }
        let evidence: Vec<Evidence> = window_mentions
            .iter()
            .flat_map(|m| {
                m.mention.evidence.iter().map(move |(line, text)| Evidence {
                    chat: m.chat,
                    line: *line,
                    text: text.clone(),
                })
            })
            .collect();
        let by_system = window_mentions.iter().all(|m| {
            matches!(
                m.absence,
                Absence::Removed | Absence::Left | Absence::NotYetAdded
            )
        });
        let weak = window_mentions.iter().filter(|m| m.mention.weak).count();
        let (confidence, reason_nl, reason_en) = if weak * 2 > window_mentions.len() {
            (
                Confidence::Low,
                "De meeste opmerkingen zijn alleen door emoji negatief.",
                "Most remarks are negative only through emoji.",
            )
        } else if by_system {
            (
                Confidence::High,
                "Dat de leerling geen lid was, staat in systeemregels; de opmerkingen bevatten scheldwoorden of uitsluitende zinnen.",
                "System lines show the pupil was not a member; the remarks contain insults or excluding phrases.",
            )
        } else {
            (
                Confidence::Medium,
                "De leerling is nooit in de groep gezien, maar stille leden zijn in een export niet te zien.",
                "The pupil was never seen in the group, but silent members do not show in an export.",
            )
        };
        let name = roster.name(pupil).to_string();
        let first = window_mentions[0].mention.at;
        let last = window_mentions[window_mentions.len() - 1].mention.at;
        let days = first.seconds_until(last) as f64 / 86_400.0;
        let count = window_mentions.len();
        let why_nl = match window_mentions[0].absence {
            Absence::Removed => "nadat die eruit was verwijderd",
            Absence::Left => "nadat die de groep had verlaten",
            Absence::NotYetAdded => "voordat die was toegevoegd",
            Absence::NeverSeen => "terwijl die geen lid van de groep is",
        };
        let why_en = match window_mentions[0].absence {
            Absence::Removed => "after being removed from it",
            Absence::Left => "after leaving it",
            Absence::NotYetAdded => "before being added",
            Absence::NeverSeen => "while not a member of the group",
        };
        findings.push(Finding {
            kind: FindingKind::AbsentGossip,
            subject: name.clone(),
            subject_pupil: Some(pupil),
            actors: authors.clone(),
            source: FindingSource::Chat {
                chat: window_mentions[0].chat,
                group: group_index,
            },
            at: Some(first),
            confidence,
            confidence_reason_nl: reason_nl.into(),
            confidence_reason_en: reason_en.into(),
            evidence: evidence.into_iter().map(Into::into).collect(),
            explanation_nl: format!(
                "In {} werd vanaf {} {count} keer negatief over {name} geschreven door {} ({} leerlingen), {why_nl}. {name} kon dit dus niet lezen of erop reageren. Eén opmerking is geen patroon; dit wel.",
                group_nl(group.name.as_deref()),
                when_nl(first),
                list_nl(&authors),
                authors.len()
            ),
            explanation_en: format!(
                "In {}, from {} on, {count} negative remarks about {name} were written by {} ({} pupils), {why_en}. {name} could not read or answer them. One remark is not a pattern; this is.",
                group_en(group.name.as_deref()),
                when_en(first),
                list_en(&authors),
                authors.len()
            ),
            statistics: Some(Statistics::Gossip {
                negative_mentions: count as u32,
                authors: authors.len() as u32,
                days,
            }),
        });
    }
    findings
}
