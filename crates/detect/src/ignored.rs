//! `ignored` (P4): a member whose turns are taken up far less often than the others'.
//! A test, not a count: each member's uptake against the pooled uptake of the others with an
//! exact one-sided binomial test, Holm-corrected over every member, and flagged only with
//! enough turns, a large effect, a small corrected p-value and in more than one week.
//! Uptake is counted in the longest export of the group, so merged exports never count a
//! turn twice.

use crate::finding::{Confidence, Evidence, Finding, FindingKind, FindingSource, Statistics};
use crate::group::{Group, PersonKey};
use crate::roster::Roster;
use crate::scan::{ChatFacts, SkippedTurns};
use crate::stats::{binomial_lower_tail, holm};
use crate::thresholds::Thresholds;
use crate::wording::{group_en, group_nl, p_value, percent};

pub fn detect(
    group_index: usize,
    group: &Group,
    facts: &[ChatFacts],
    roster: &Roster,
    t: &Thresholds,
) -> Vec<Finding> {
    let chat = group.primary();
    let Some(chat_facts) = facts.iter().find(|f| f.chat == chat) else {
        return Vec::new();
    };
    let tallies = &chat_facts.uptake;
    let total_turns: u64 = tallies.iter().map(|t| u64::from(t.turns)).sum();
    let total_taken: u64 = tallies.iter().map(|t| u64::from(t.taken_up)).sum();
    let tested: Vec<usize> = (0..tallies.len())
        .filter(|i| tallies[*i].turns > 0)
        .collect();
    if tested.len() < 3 {
        // With one or two members writing there is no "rest of the group" to compare with.
        return Vec::new();
    }
    let mut p_values = Vec::new();
    let mut others = Vec::new();
    for &i in &tested {
        let tally = &tallies[i];
        let others_turns = total_turns - u64::from(tally.turns);
        let others_taken = total_taken - u64::from(tally.taken_up);
        let others_rate = if others_turns == 0 {
            0.0
        } else {
            others_taken as f64 / others_turns as f64
        };
        p_values.push(binomial_lower_tail(
            u64::from(tally.taken_up),
            u64::from(tally.turns),
            others_rate,
        ));
        others.push((others_turns, others_taken, others_rate));
    }
    let adjusted = holm(&p_values);
    let mut findings = Vec::new();
    for (position, &i) in tested.iter().enumerate() {
        let tally = &tallies[i];
        let (others_turns, others_taken, others_rate) = others[position];
        let rate = f64::from(tally.taken_up) / f64::from(tally.turns);
        let weeks = tally.weeks_not_taken_up.len() as u32;
        if f64::from(tally.turns) < t.ignored_min_turns
            || rate > t.ignored_max_rate_ratio * others_rate
            || adjusted[position] >= t.ignored_alpha
            || f64::from(weeks) < t.ignored_min_weeks
        {
            continue;
        }
        let key = group.key(chat, i as u32);
        let name = group.display(key, roster);
        let p = adjusted[position];
        let (confidence, reason_nl, reason_en) = if p < t.ignored_alpha / 10.0 && tally.turns >= 30
        {
            (
                Confidence::High,
                "Veel berichten en een heel duidelijk verschil.",
                "Many messages and a very clear difference.",
            )
        } else {
            (
                Confidence::Medium,
                "Een duidelijk verschil, maar met minder berichten; let op wat er in de klas gebeurt.",
                "A clear difference, but from fewer messages; watch what happens in class.",
            )
        };
        let Some(at) = chat_facts.start else { continue };
        findings.push(Finding {
            kind: FindingKind::Ignored,
            subject: name.clone(),
            subject_pupil: match key {
                PersonKey::Pupil(id) => Some(id),
                PersonKey::Local { .. } => None,
            },
            actors: Vec::new(),
            source: FindingSource::Chat {
                chat,
                group: group_index,
            },
            at: Some(at),
            confidence,
            confidence_reason_nl: reason_nl.into(),
            confidence_reason_en: reason_en.into(),
            evidence: tally
                .examples
                .iter()
                .map(|(line, text)| Evidence { chat, line: *line, text: text.clone() }.into())
                .collect(),
            explanation_nl: format!(
                "In {} kreeg {name} op {} van de {} berichten ({}) binnen {} minuten een reactie of werd {name} genoemd. Bij de anderen was dat {} ({} van {}). Zo'n groot verschil is bijna nooit toeval (kans {}, gecorrigeerd voor het testen van iedereen). Geteld zijn alleen berichten die om een reactie vragen: vragen, voorstellen, iemand aanspreken, gewone opmerkingen. {}",
                group_nl(group.name.as_deref()),
                tally.taken_up,
                tally.turns,
                percent(rate),
                t.uptake_next_message_minutes,
                percent(others_rate),
                others_taken,
                others_turns,
                p_value(p),
                skipped_nl(&tally.skipped)
            ),
            explanation_en: format!(
                "In {}, {name} got a reaction (or was named) within {} minutes on {} of {} messages ({}). For the others it was {} ({} of {}). A difference this large is almost never chance (probability {}, corrected for testing everyone). Only messages that invite a reply are counted: questions, proposals, addressing someone, ordinary remarks. {}",
                group_en(group.name.as_deref()),
                t.uptake_next_message_minutes,
                tally.taken_up,
                tally.turns,
                percent(rate),
                percent(others_rate),
                others_taken,
                others_turns,
                p_value(p).replace(',', "."),
                skipped_en(&tally.skipped)
            ),
            statistics: Some(Statistics::Ignored {
                turns: tally.turns,
                taken_up: tally.taken_up,
                rate,
                others_turns: others_turns as u32,
                others_taken_up: others_taken as u32,
                others_rate,
                p_value: p_values[position],
                p_holm: p,
                weeks,
            }),
        });
    }
    findings
}

fn skipped_parts(s: &SkippedTurns, nl: bool) -> Vec<String> {
    let mut parts = Vec::new();
    let mut add = |n: u32, one_nl: &str, many_nl: &str, one_en: &str, many_en: &str| {
        if n > 0 {
            let word = match (nl, n == 1) {
                (true, true) => one_nl,
                (true, false) => many_nl,
                (false, true) => one_en,
                (false, false) => many_en,
            };
            parts.push(format!("{n} {word}"));
        }
    };
    add(s.links, "link", "links", "link", "links");
    add(
        s.media,
        "foto of andere bijlage",
        "foto's of andere bijlagen",
        "photo or other attachment",
        "photos or other attachments",
    );
    add(
        s.greetings,
        "groet of felicitatie",
        "groeten of felicitaties",
        "greeting or wish",
        "greetings or wishes",
    );
    add(
        s.announcements,
        "lange aankondiging",
        "lange aankondigingen",
        "long announcement",
        "long announcements",
    );
    add(
        s.night,
        "bericht 's nachts",
        "berichten 's nachts",
        "night-time message",
        "night-time messages",
    );
    parts
}

fn skipped_nl(s: &SkippedTurns) -> String {
    let parts = skipped_parts(s, true);
    if parts.is_empty() {
        "Van deze leerling viel geen bericht af; verwijderde berichten tellen nooit mee.".into()
    } else {
        format!(
            "Niet geteld: {}; verwijderde berichten tellen nooit mee.",
            crate::wording::list_nl(&parts)
        )
    }
}

fn skipped_en(s: &SkippedTurns) -> String {
    let parts = skipped_parts(s, false);
    if parts.is_empty() {
        "None of this pupil's messages was left out; deleted messages never count.".into()
    } else {
        format!(
            "Not counted: {}; deleted messages never count.",
            crate::wording::list_en(&parts)
        )
    }
}
