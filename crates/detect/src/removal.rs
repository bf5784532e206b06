//! P1 `removed` and P3 `added_and_removed`: a pupil thrown out of a group, or added and
//! thrown out again at once. Deterministic: the evidence is WhatsApp's own system line.
//! Leaving on one's own is not a removal: it stays in the timeline as "left".

use crate::finding::{Change, Confidence, Evidence, Finding, FindingKind, FindingSource, How};
use crate::group::{Group, GroupChange, GroupEvent, PersonKey};
use crate::roster::Roster;
use crate::thresholds::Thresholds;
use crate::wording::{group_en, group_nl, list_en, list_nl, when_en, when_nl};

fn evidence(event: &GroupEvent) -> Evidence {
    Evidence {
        chat: event.chat,
        line: event.line,
        text: event.raw.clone(),
    }
}

fn subject_pupil(key: PersonKey) -> Option<crate::roster::PupilId> {
    match key {
        PersonKey::Pupil(id) => Some(id),
        PersonKey::Local { .. } => None,
    }
}

pub fn detect(group_index: usize, group: &Group, roster: &Roster, t: &Thresholds) -> Vec<Finding> {
    let mut findings = Vec::new();
    let mut pairs: Vec<(PersonKey, &GroupEvent, &GroupEvent)> = Vec::new();
    // Each pupil's membership history, built once (a chat can hold thousands of removals).
    let mut histories: std::collections::HashMap<PersonKey, Vec<(&GroupEvent, How)>> =
        std::collections::HashMap::new();
    for event in &group.events {
        let GroupChange::Removed { by, who } = &event.change else {
            continue;
        };
        for (position, subject) in who.iter().enumerate() {
            let history = histories
                .entry(*subject)
                .or_insert_with(|| group.membership_events(*subject));
            let here = history.partition_point(|(e, _)| {
                (e.at, e.chat, e.line) < (event.at, event.chat, event.line)
            });
            // The add this removal answers: the subject's last membership change before it.
            let previous = here.checked_sub(1).and_then(|i| history.get(i));
            if let Some((added, How::Added | How::JoinedViaLink | How::JoinedViaInvite)) = previous
            {
                let seconds = added.at.seconds_until(event.at);
                let few_messages = added.chat == event.chat
                    && (event.messages_before.saturating_sub(added.messages_before) as f64)
                        <= t.added_removed_max_messages
                    && seconds as f64 <= t.added_removed_max_hours_with_few_messages * 3600.0;
                if seconds as f64 <= t.added_removed_max_minutes * 60.0 || few_messages {
                    pairs.push((*subject, added, event));
                    continue;
                }
            }
            findings.push(removed(
                group_index,
                group,
                roster,
                t,
                (history, here),
                event,
                *by,
                *subject,
                position,
            ));
        }
    }

    // One added_and_removed finding per pupil per group; repeats make it a cycle.
    let mut subjects: Vec<PersonKey> = pairs.iter().map(|(s, _, _)| *s).collect();
    subjects.sort();
    subjects.dedup();
    for subject in subjects {
        let mine: Vec<&(PersonKey, &GroupEvent, &GroupEvent)> =
            pairs.iter().filter(|(s, _, _)| *s == subject).collect();
        let Some((_, first_add, first_remove)) = mine.first() else {
            continue;
        };
        let mut actors: Vec<String> = Vec::new();
        let mut evidence_lines = Vec::new();
        for (_, added, removed) in &mine {
            for event in [added, removed] {
                let by = match &event.change {
                    GroupChange::Added { by, .. } => *by,
                    GroupChange::Removed { by, .. } => Some(*by),
                    _ => None,
                };
                if let Some(by) = by {
                    let name = group.display(by, roster);
                    if !actors.contains(&name) {
                        actors.push(name);
                    }
                }
                evidence_lines.push(evidence(event));
            }
        }
        let name = group.display(subject, roster);
        let seconds = first_add.at.seconds_until(first_remove.at);
        let duration_nl = if seconds < 120 {
            format!("{seconds} seconden")
        } else {
            format!("{} minuten", seconds / 60)
        };
        let duration_en = if seconds < 120 {
            format!("{seconds} seconds")
        } else {
            format!("{} minutes", seconds / 60)
        };
        let times = mine.len();
        let (cycle_nl, cycle_en) = if times >= 2 {
            (
                format!(" Dit gebeurde {times} keer: een herhaald patroon, geen vergissing."),
                format!(" This happened {times} times: a repeated pattern, not a slip."),
            )
        } else {
            (String::new(), String::new())
        };
        findings.push(Finding {
            kind: FindingKind::AddedAndRemoved,
            subject: name.clone(),
            subject_pupil: subject_pupil(subject),
            actors: actors.clone(),
            source: FindingSource::Chat {
                chat: first_add.chat,
                group: group_index,
            },
            at: Some(first_add.at),
            confidence: Confidence::High,
            confidence_reason_nl: "WhatsApp schreef het toevoegen en verwijderen zelf in de chat.".into(),
            confidence_reason_en: "WhatsApp itself wrote the add and the removal into the chat.".into(),
            evidence: evidence_lines.into_iter().map(Into::into).collect(),
            explanation_nl: format!(
                "{name} werd op {} aan {} toegevoegd en {duration_nl} later weer verwijderd (door {}). Iemand toevoegen en meteen weer verwijderen is een bekende vorm van buitensluiten: de leerling ziet even de groep (en vaak de naam) en ligt er dan weer uit.{cycle_nl}",
                when_nl(first_add.at),
                group_nl(group.name.as_deref()),
                list_nl(&actors)
            ),
            explanation_en: format!(
                "{name} was added to {} on {} and removed again {duration_en} later (by {}). Adding someone and removing them at once is a known form of exclusion: the pupil briefly sees the group (and often its name) and is then out again.{cycle_en}",
                group_en(group.name.as_deref()),
                when_en(first_add.at),
                list_en(&actors)
            ),
            statistics: None,
        });
    }
    findings
}

#[allow(clippy::too_many_arguments)]
fn removed(
    group_index: usize,
    group: &Group,
    roster: &Roster,
    t: &Thresholds,
    (history, here): (&[(&GroupEvent, How)], usize),
    event: &GroupEvent,
    by: PersonKey,
    subject: PersonKey,
    position: usize,
) -> Finding {
    let name = group.display(subject, roster);
    let actor = group.display(by, roster);
    let mut evidence_lines = vec![evidence(event)];
    // Was the pupil brought back, and how soon?
    let back = history
        .iter()
        .skip(here + 1)
        .find(|(_, how)| matches!(how, How::Added | How::JoinedViaLink | How::JoinedViaInvite))
        .map(|(e, _)| *e);
    let back_seconds = back.map(|b| event.at.seconds_until(b.at));
    let (confidence, reason_nl, reason_en, back_nl, back_en) = match back_seconds {
        Some(s) if s as f64 <= t.removal_undone_minutes * 60.0 => (
            Confidence::Low,
            format!("{name} werd binnen {} minuten weer toegevoegd: mogelijk een vergissing.", (s / 60).max(1)),
            format!("{name} was added back within {} minutes: possibly a slip.", (s / 60).max(1)),
            format!(" {name} werd {} minuten later weer toegevoegd, dus mogelijk was het een vergissing.", s / 60),
            format!(" {name} was added back {} minutes later, so it may have been a slip.", s / 60),
        ),
        Some(s) if s as f64 <= t.removal_readd_hours * 3600.0 => (
            Confidence::Medium,
            format!("{name} werd binnen een dag weer toegevoegd."),
            format!("{name} was added back within a day."),
            format!(" {name} werd na {} uur weer toegevoegd.", s / 3600),
            format!(" {name} was added back after {} hours.", s / 3600),
        ),
        _ => (
            Confidence::High,
            "WhatsApp schreef de verwijdering zelf in de chat, en de leerling werd niet teruggezet.".to_string(),
            "WhatsApp itself wrote the removal into the chat, and the pupil was not added back.".to_string(),
            if back.is_some() { String::new() } else { format!(" {name} is daarna niet meer toegevoegd.") },
            if back.is_some() { String::new() } else { format!(" {name} was not added back afterwards.") },
        ),
    };
    if let Some(back) = back {
        if back_seconds.is_some_and(|s| s as f64 <= t.removal_readd_hours * 3600.0) {
            evidence_lines.push(evidence(back));
        }
    }
    let mut extra_nl = String::new();
    let mut extra_en = String::new();
    if let Some(Some(last)) = event.last_message_of_removed.get(position) {
        let minutes = last.seconds_until(event.at) / 60;
        if minutes as f64 <= t.removal_reaction_minutes {
            extra_nl.push_str(&format!(" {name} had {minutes} minuten daarvoor zelf nog iets geschreven: de verwijdering lijkt een reactie daarop."));
            extra_en.push_str(&format!(" {name} had written something {minutes} minutes before: the removal looks like a reaction to it."));
        }
    }
    let earlier = history[..here]
        .iter()
        .rev()
        .take_while(|(e, _)| e.at.seconds_until(event.at) <= 30 * 86_400)
        .filter(|(e, how)| *how == How::Removed && e.at < event.at)
        .count();
    if earlier > 0 {
        extra_nl.push_str(&format!(
            " Het is de {}e keer binnen 30 dagen dat {name} wordt verwijderd.",
            earlier + 1
        ));
        extra_en.push_str(&format!(
            " It is removal number {} of {name} within 30 days.",
            earlier + 1
        ));
    }
    let _ = Change::Out;
    Finding {
        kind: FindingKind::Removed,
        subject: name.clone(),
        subject_pupil: subject_pupil(subject),
        actors: vec![actor.clone()],
        source: FindingSource::Chat {
            chat: event.chat,
            group: group_index,
        },
        at: Some(event.at),
        confidence,
        confidence_reason_nl: reason_nl,
        confidence_reason_en: reason_en,
        evidence: evidence_lines.into_iter().map(Into::into).collect(),
        explanation_nl: format!(
            "{actor} heeft {name} op {} uit {} verwijderd.{back_nl}{extra_nl}",
            when_nl(event.at),
            group_nl(group.name.as_deref())
        ),
        explanation_en: format!(
            "{actor} removed {name} from {} on {}.{back_en}{extra_en}",
            group_en(group.name.as_deref()),
            when_en(event.at)
        ),
        statistics: None,
    }
}
