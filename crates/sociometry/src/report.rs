//! The text table and JSON document of an analysis, and the sociogram file names.
//!
//! Pure presentation: every function takes analysed groups and returns a `String` or a
//! `serde_json::Value`. Nothing here reads or writes files; the caller prints and writes.
//! Status texts are phrased as a reason for a conversation, never as a verdict on a child.

use std::fmt::Write as _;

use serde_json::{Value, json};

use crate::sociogram::Language;
use crate::{
    Criteria, GroupAnalysis, GroupNote, NominationRecoding, PupilAnalysis, Question, ScoreTest,
    SdConvention, Status, SurveyKind,
};

/// The whole text report: one block per group, separated by a blank line.
pub fn text_report(analyses: &[GroupAnalysis], language: Language) -> String {
    analyses
        .iter()
        .map(|g| group_text(g, language))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The whole JSON document, `{"groups": [...]}`. `svg_paths` holds, per group in order, the
/// path its sociogram was written to (empty when none were written).
pub fn json_document(analyses: &[GroupAnalysis], svg_paths: &[String]) -> Value {
    let groups: Vec<Value> = analyses
        .iter()
        .enumerate()
        .map(|(i, g)| group_json(g, svg_paths.get(i).map(String::as_str)))
        .collect();
    json!({ "groups": groups })
}

/// File names for one sociogram per group, in order: `sociogram-{stem}.svg`, with `-2`, `-3`,
/// ... added when two groups' ids come down to the same stem.
pub fn sociogram_file_names(analyses: &[GroupAnalysis]) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for analysis in analyses {
        let stem = file_stem(&analysis.id);
        let mut name = format!("sociogram-{stem}.svg");
        let mut n = 2;
        while names.contains(&name) {
            name = format!("sociogram-{stem}-{n}.svg");
            n += 1;
        }
        names.push(name);
    }
    names
}

/// A group id made safe as part of a file name: anything but letters, digits, `-` and `_`
/// becomes `_`; an empty id becomes `groep`.
pub fn file_stem(id: &str) -> String {
    let stem: String = id
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if stem.is_empty() {
        "groep".to_string()
    } else {
        stem
    }
}

fn criteria_key(criteria: Criteria) -> &'static str {
    match criteria {
        Criteria::Ssrat => "ssrat",
        Criteria::NewcombBukowski => "nb",
        Criteria::CoieDodge => "cd",
    }
}

/// One score test: observed and expected score, assessors and the one-sided p-values.
pub fn test_json(test: &ScoreTest) -> Value {
    json!({
        "observed": test.observed,
        "expected": test.expected.value(),
        "assessors": test.assessors,
        "p_low": test.tails.map(|t| t.lower),
        "p_high": test.tails.map(|t| t.upper),
    })
}

fn count(analysis: &GroupAnalysis, question: Question, pupil: usize) -> (Option<u32>, Option<u32>) {
    analysis
        .ties
        .counts
        .iter()
        .find(|c| c.question == question)
        .map_or((None, None), |c| {
            (
                c.received.get(pupil).copied(),
                c.given.get(pupil).copied().flatten(),
            )
        })
}

/// One pupil as JSON: status, choices received and given, ties and the method's scores.
pub fn pupil_json(analysis: &GroupAnalysis, index: usize, pupil: &PupilAnalysis) -> Value {
    let ties = &analysis.ties;
    let mut received = serde_json::Map::new();
    let mut given = serde_json::Map::new();
    for question in [Question::Positive, Question::Negative, Question::LeftOut] {
        let (r, g) = count(analysis, question, index);
        if let Some(r) = r {
            received.insert(question.key().into(), json!(r));
            given.insert(question.key().into(), json!(g));
        }
    }
    let mut value = json!({
        "id": pupil.id,
        "status": pupil.status.map(Status::key),
        "took_part": pupil.took_part,
        "received": received,
        "given": given,
        "mutual": ties.mutual_degree.get(index).copied().unwrap_or(0),
        "not_chosen": ties.not_chosen.contains(&index),
        "no_mutual_friend": ties.without_mutual_friend.contains(&index),
    });
    if let (Some(scores), Some(map)) = (&pupil.received, value.as_object_mut()) {
        let mut s = serde_json::Map::new();
        s.insert("sympathy".into(), test_json(&scores.sympathy));
        s.insert("antipathy".into(), test_json(&scores.antipathy));
        if let Some(p) = &scores.preference {
            s.insert("preference".into(), test_json(p));
        }
        s.insert("impact".into(), test_json(&scores.impact));
        map.insert("scores".into(), Value::Object(s));
    }
    if let (Some(cd), Some(map)) = (&pupil.standard, value.as_object_mut()) {
        map.insert(
            "coie_dodge".into(),
            json!({
                "liked_most": cd.liked_most, "liked_least": cd.liked_least,
                "z_liked_most": cd.z_liked_most, "z_liked_least": cd.z_liked_least,
                "social_preference": cd.preference, "social_impact": cd.impact,
            }),
        );
    }
    if let (Some(left_out), Some(map)) = (&pupil.left_out, value.as_object_mut()) {
        map.insert(
            "left_out".into(),
            json!({
                "named": left_out.test.observed,
                "expected": left_out.test.expected.value(),
                "assessors": left_out.test.assessors,
                "p_high": left_out.test.tails.map(|t| t.upper),
                "significant": left_out.significant,
            }),
        );
    }
    value
}

/// One group as JSON; `svg` is the path its sociogram was written to, if any.
pub fn group_json(analysis: &GroupAnalysis, svg: Option<&str>) -> Value {
    let ties = &analysis.ties;
    let name = |i: &usize| {
        analysis
            .pupils
            .get(*i)
            .map(|p| p.id.clone())
            .unwrap_or_default()
    };
    let names = |list: &[usize]| list.iter().map(name).collect::<Vec<_>>();
    let lists = |lists: &[Vec<usize>]| lists.iter().map(|l| names(l)).collect::<Vec<_>>();
    let (kind, scale) = match analysis.kind {
        SurveyKind::Ratings(scale) => ("ratings", Some(scale.points())),
        SurveyKind::Nominations => ("nominations", None),
    };
    let notes: Vec<Value> = analysis
        .notes
        .iter()
        .map(|note| match note {
            GroupNote::SsratNeedsRatings => json!({"kind": "ssrat_needs_ratings"}),
            GroupNote::QuestionMissing(q) => {
                json!({"kind": "question_missing", "question": q.key()})
            }
        })
        .chain(
            (respondents(analysis) < MIN_RESPONDENTS)
                .then(|| json!({"kind": "few_respondents", "respondents": respondents(analysis)})),
        )
        .collect();
    json!({
        "id": analysis.id,
        "kind": kind,
        "scale": scale,
        "criteria": criteria_key(analysis.options.criteria),
        "alpha": analysis.options.alpha,
        "sd": match analysis.options.sd { SdConvention::Population => "population", SdConvention::Sample => "sample" },
        "notes": notes,
        "pupils": analysis.pupils.iter().enumerate().map(|(i, p)| pupil_json(analysis, i, p)).collect::<Vec<_>>(),
        "mutual_pairs": ties.mutual_pairs.iter().map(|(a, b)| [name(a), name(b)]).collect::<Vec<_>>(),
        "reciprocity": ties.reciprocity,
        "density": ties.density,
        "components": lists(&ties.components),
        "cliques": lists(&ties.cliques),
        "communities": lists(&ties.communities),
        "svg": svg,
    })
}

/// The status in the reader's language; `(geen)` / `(none)` when there is none.
pub fn status_word(status: Option<Status>, language: Language) -> &'static str {
    match (status, language) {
        (None, Language::Dutch) => "(geen)",
        (None, Language::English) => "(none)",
        (Some(Status::Popular), Language::Dutch) => "populair",
        (Some(Status::Rejected), Language::Dutch) => "afgewezen",
        (Some(Status::Neglected), Language::Dutch) => "genegeerd",
        (Some(Status::Controversial), Language::Dutch) => "controversieel",
        (Some(Status::Average), Language::Dutch) => "gemiddeld",
        (Some(Status::Unclassified), Language::Dutch) => "niet ingedeeld",
        (Some(s), Language::English) => s.key(),
    }
}

/// What a status means, phrased as a reason to talk, never as a verdict on the child.
pub fn status_meaning(status: Status, language: Language) -> &'static str {
    match (status, language) {
        (Status::Popular, Language::Dutch) => {
            "Veel klasgenoten kiezen deze leerling, weinigen liever niet. Een sterke positie in de groep; kijk ook hoe de leerling die gebruikt."
        }
        (Status::Rejected, Language::Dutch) => {
            "Opvallend veel klasgenoten kiezen deze leerling liever niet, en weinigen kiezen hem of haar. Een signaal om met de leerling te praten over hoe het in de klas gaat."
        }
        (Status::Neglected, Language::Dutch) => {
            "Deze leerling wordt zelden gekozen, en zelden 'liever niet'. Dat zegt niet dat de klas de leerling niet ziet: lees ook wie de klas buitengesloten noemt. Vraag hoe de leerling zich in de groep voelt."
        }
        (Status::Controversial, Language::Dutch) => {
            "Deze leerling wordt door velen gekozen én door velen liever niet. Een signaal om te bespreken wat er in de groep speelt."
        }
        (Status::Average, Language::Dutch) => {
            "De keuzes voor deze leerling vallen niet op binnen de klas."
        }
        (Status::Unclassified, Language::Dutch) => {
            "Coie & Dodge delen niet iedereen in; deze leerling valt buiten hun vijf groepen. Geen signaal uit deze methode."
        }
        (Status::Popular, Language::English) => {
            "Many classmates choose this pupil, few would rather not. A strong position in the group; also look at how the pupil uses it."
        }
        (Status::Rejected, Language::English) => {
            "Notably many classmates would rather not choose this pupil, and few choose them. A signal to talk with the pupil about how things are going in class."
        }
        (Status::Neglected, Language::English) => {
            "This pupil is rarely chosen, and rarely 'rather not'. That does not mean the class does not see the pupil: also read whom the class names as left out. Ask how the pupil feels in the group."
        }
        (Status::Controversial, Language::English) => {
            "Many classmates choose this pupil and many would rather not. A signal to discuss what is going on in the group."
        }
        (Status::Average, Language::English) => {
            "The choices for this pupil do not stand out in the class."
        }
        (Status::Unclassified, Language::English) => {
            "Coie & Dodge do not classify everyone; this pupil falls outside their five groups. No signal from this method."
        }
    }
}

/// Fewer respondents than this, and a group's statuses cannot be trusted: a handful of
/// answers decides them (METHODS.md: the tests assume a class, not a few pupils).
pub const MIN_RESPONDENTS: usize = 10;

/// How many pupils of the group answered.
pub fn respondents(analysis: &GroupAnalysis) -> usize {
    analysis.pupils.iter().filter(|p| p.took_part).count()
}

/// The note for a group with fewer than [`MIN_RESPONDENTS`] respondents, or `None`.
pub fn few_respondents_note(respondents: usize, language: Language) -> Option<String> {
    (respondents < MIN_RESPONDENTS).then(|| match language {
        Language::Dutch => format!(
            "Let op: {} deden mee, minder dan {MIN_RESPONDENTS}. Bij zo weinig antwoorden zijn de statussen niet te vertrouwen; lees ze niet als uitkomst, en kijk liever wie wie noemt.",
            plural_nl(respondents, "leerling", "leerlingen")
        ),
        Language::English => format!(
            "Note: {respondents} {} took part, fewer than {MIN_RESPONDENTS}. With so few answers the statuses cannot be trusted; do not read them as a result, look at who names whom instead.",
            if respondents == 1 { "pupil" } else { "pupils" }
        ),
    })
}

fn plural_nl(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Why this pupil stands out, in what the class reported: how many classmates named the
/// pupil as left out, chose them, or would rather not; `None` for a pupil with nothing to
/// explain (no status of concern, named as left out by fewer than 3 and not significantly).
/// `name` is how the reader knows the pupil (the id in the CLI, the first name on the web).
pub fn pupil_explanation(
    analysis: &GroupAnalysis,
    index: usize,
    name: &str,
    language: Language,
) -> Option<String> {
    let pupil = analysis.pupils.get(index)?;
    let english = language == Language::English;
    let (left_out, _) = count(analysis, Question::LeftOut, index);
    let left_out = left_out.unwrap_or(0);
    let left_out_stands_out =
        left_out >= 3 || pupil.left_out.as_ref().is_some_and(|r| r.significant);
    let concern = matches!(
        pupil.status,
        Some(Status::Rejected | Status::Neglected | Status::Controversial)
    );
    if !concern && !left_out_stands_out {
        return None;
    }
    let (chosen, _) = count(analysis, Question::Positive, index);
    let (rather_not, _) = count(analysis, Question::Negative, index);
    let chosen = chosen.unwrap_or(0);
    let rather_not = rather_not.unwrap_or(0);
    let classmates = |n: u32| {
        if english {
            format!("{n} {}", if n == 1 { "classmate" } else { "classmates" })
        } else {
            format!("{n} {}", if n == 1 { "klasgenoot" } else { "klasgenoten" })
        }
    };
    let times = |n: u32| {
        if english {
            format!("{n} {}", if n == 1 { "time" } else { "times" })
        } else {
            format!("{n} keer")
        }
    };
    let mut sentences = Vec::new();
    if left_out > 0 {
        sentences.push(if english {
            format!(
                "{} {} {name} as someone who is left out.",
                classmates(left_out),
                if left_out == 1 { "names" } else { "name" }
            )
        } else {
            format!(
                "{} {} {name} als iemand die buitengesloten wordt.",
                classmates(left_out),
                if left_out == 1 { "noemt" } else { "noemen" }
            )
        });
    }
    let status = pupil.status.map(|s| status_word(Some(s), language));
    match pupil.status {
        Some(Status::Neglected) => {
            sentences.push(if english {
                format!(
                    "{name} was chosen {} and 'rather not' {}: hence the status {}.",
                    times(chosen),
                    times(rather_not),
                    status.unwrap_or_default()
                )
            } else {
                format!(
                    "{name} werd {} gekozen en {} 'liever niet': daarom de status {}.",
                    times(chosen),
                    times(rather_not),
                    status.unwrap_or_default()
                )
            });
            sentences.push(if left_out > 0 {
                if english {
                    format!(
                        "The class does see {name}: it sees {name} standing outside the group. Talk with {name} about how things are going in class."
                    )
                } else {
                    format!(
                        "De klas ziet {name} dus wel: als iemand die erbuiten staat. Praat met {name} over hoe het in de klas gaat."
                    )
                }
            } else if english {
                format!("Ask {name} how they feel in the group.")
            } else {
                format!("Vraag {name} hoe die zich in de groep voelt.")
            });
        }
        Some(Status::Rejected) => sentences.push(if english {
            format!(
                "{} would rather not choose {name}, {} {} {name}: hence the status {}. A signal to talk with {name} about how things are going in class.",
                classmates(rather_not),
                classmates(chosen),
                if chosen == 1 { "chooses" } else { "choose" },
                status.unwrap_or_default()
            )
        } else {
            format!(
                "{} kiezen {name} liever niet, {} {} {name} wel: daarom de status {}. Een signaal om met {name} te praten over hoe het in de klas gaat.",
                classmates(rather_not),
                classmates(chosen),
                if chosen == 1 { "kiest" } else { "kiezen" },
                status.unwrap_or_default()
            )
        }),
        Some(Status::Controversial) => sentences.push(if english {
            format!(
                "{} {} {name} and {} would rather not: hence the status {}. A signal to discuss what is going on in the group.",
                classmates(chosen),
                if chosen == 1 { "chooses" } else { "choose" },
                classmates(rather_not),
                status.unwrap_or_default()
            )
        } else {
            format!(
                "{} {} {name} graag en {} liever niet: daarom de status {}. Een signaal om te bespreken wat er in de groep speelt.",
                classmates(chosen),
                if chosen == 1 { "kiest" } else { "kiezen" },
                classmates(rather_not),
                status.unwrap_or_default()
            )
        }),
        _ => sentences.push(if english {
            format!("Talk with {name} about how things are going in class.")
        } else {
            format!("Praat met {name} over hoe het in de klas gaat.")
        }),
    }
    Some(sentences.join(" "))
}

/// One group as a text table with its ties, subgroups and what the statuses mean.
pub fn group_text(analysis: &GroupAnalysis, language: Language) -> String {
    let english = language == Language::English;
    let ties = &analysis.ties;
    let tr = |nl: &'static str, en: &'static str| if english { en } else { nl };
    let decimal = |x: f64, places: usize| {
        let s = format!("{x:.places$}");
        if english { s } else { s.replace('.', ",") }
    };
    let name = |i: &usize| {
        analysis
            .pupils
            .get(*i)
            .map(|p| p.id.clone())
            .unwrap_or_default()
    };
    let list = |l: &[usize]| {
        if l.is_empty() {
            tr("niemand", "nobody").to_string()
        } else {
            l.iter().map(name).collect::<Vec<_>>().join(", ")
        }
    };
    let criteria = match analysis.options.criteria {
        Criteria::Ssrat => "SSrat",
        Criteria::NewcombBukowski => "Newcomb & Bukowski",
        Criteria::CoieDodge => "Coie & Dodge",
    };
    let participants = analysis.pupils.iter().filter(|p| p.took_part).count();
    let mut out = String::new();
    let method = match analysis.options.criteria {
        Criteria::CoieDodge => format!(
            "{criteria}, {} {}",
            tr("standaarddeviatie", "standard deviation"),
            match analysis.options.sd {
                SdConvention::Population => tr("populatie (N)", "population (N)"),
                SdConvention::Sample => tr("steekproef (N-1)", "sample (N-1)"),
            }
        ),
        _ => format!("{criteria}, alpha {}", decimal(analysis.options.alpha, 2)),
    };
    let kind = match analysis.kind {
        SurveyKind::Ratings(scale) => {
            format!("{} {scale}", tr("beoordelingen, schaal", "ratings, scale"))
        }
        SurveyKind::Nominations => tr("nominaties", "nominations").to_string(),
    };
    let _ = writeln!(
        out,
        "{} {} — {} {}, {} {} — {kind} — {method}",
        tr("Groep", "Group"),
        analysis.id,
        analysis.pupils.len(),
        tr("leerlingen", "pupils"),
        participants,
        tr("deden mee", "took part"),
    );
    for note in &analysis.notes {
        let message = match note {
            GroupNote::SsratNeedsRatings => tr(
                "SSrat-criteria vragen beoordelingen; kies --criteria nb of cd.",
                "SSrat criteria need ratings; choose --criteria nb or cd.",
            ),
            GroupNote::QuestionMissing(Question::Positive) => tr(
                "Geen status: de positieve vraag ('met wie graag') is niet gesteld.",
                "No status: the positive question was not asked.",
            ),
            GroupNote::QuestionMissing(_) => tr(
                "Geen status: de vraag 'met wie liever niet' is niet gesteld; keuzes en subgroepen staan hieronder wel.",
                "No status: the 'rather not' question was not asked; choices and subgroups are shown below.",
            ),
        };
        let _ = writeln!(out, "{message}");
    }
    if let Some(note) = few_respondents_note(participants, language) {
        let _ = writeln!(out, "{note}");
    }
    out.push('\n');
    let ssrat = analysis.options.criteria == Criteria::Ssrat;
    let mut header = vec![
        tr("Leerling", "Pupil").to_string(),
        tr("Deed mee", "Took part").to_string(),
        "Status".to_string(),
        tr("Gekozen", "Chosen").to_string(),
        tr("Liever niet", "Rather not").to_string(),
        tr("Wederzijds", "Mutual").to_string(),
    ];
    if ssrat {
        header.push(tr("Sympathie", "Sympathy").to_string());
        header.push(tr("Antipathie", "Antipathy").to_string());
    }
    if analysis.options.criteria == Criteria::CoieDodge {
        header.push("z-SP".to_string());
        header.push("z-SI".to_string());
    }
    let asked_left_out = ties.counts.iter().any(|c| c.question == Question::LeftOut);
    if asked_left_out {
        header.push(tr("Buitengesloten genoemd", "Named as left out").to_string());
    }
    header.push(tr("Opvallend", "Notable").to_string());
    let mut rows = vec![header];
    for (i, pupil) in analysis.pupils.iter().enumerate() {
        let (positive, _) = count(analysis, Question::Positive, i);
        let (negative, _) = count(analysis, Question::Negative, i);
        let mut row = vec![
            pupil.id.clone(),
            if pupil.took_part {
                tr("ja", "yes")
            } else {
                tr("nee", "no")
            }
            .to_string(),
            status_word(pupil.status, language).to_string(),
            positive.map_or("-".into(), |c| c.to_string()),
            negative.map_or("-".into(), |c| c.to_string()),
            ties.mutual_degree.get(i).copied().unwrap_or(0).to_string(),
        ];
        if ssrat {
            let scores = pupil.received.as_ref();
            row.push(scores.map_or("-".into(), |s| s.sympathy.observed.to_string()));
            row.push(scores.map_or("-".into(), |s| s.antipathy.observed.to_string()));
        }
        if analysis.options.criteria == Criteria::CoieDodge {
            row.push(
                pupil
                    .standard
                    .map_or("-".into(), |s| decimal(s.preference, 2)),
            );
            row.push(pupil.standard.map_or("-".into(), |s| decimal(s.impact, 2)));
        }
        let mut notable = Vec::new();
        if asked_left_out {
            let (named, _) = count(analysis, Question::LeftOut, i);
            row.push(named.map_or("-".into(), |c| c.to_string()));
            if let Some(report) = pupil.left_out.as_ref().filter(|r| r.significant) {
                let p = report.test.tails.map_or(1.0, |t| t.upper);
                let p = if p < 0.001 {
                    format!("< {}", decimal(0.001, 3))
                } else {
                    format!("= {}", decimal(p, 3))
                };
                notable.push(format!(
                    "{} (p {p})",
                    tr(
                        "vaker buitengesloten genoemd dan toeval",
                        "named as left out more than chance"
                    ),
                ));
            }
        }
        if ties.not_chosen.contains(&i) {
            notable.push(tr("door niemand gekozen", "chosen by nobody").to_string());
        }
        if pupil.took_part && ties.without_mutual_friend.contains(&i) {
            notable.push(tr("geen wederzijdse keuze", "no mutual choice").to_string());
        }
        if !pupil.took_part {
            notable.push(
                tr(
                    "deed niet mee (wel gekozen kunnen worden)",
                    "did not take part (could still be chosen)",
                )
                .to_string(),
            );
        }
        row.push(notable.join("; "));
        rows.push(row);
    }
    let widths: Vec<usize> = (0..rows.first().map_or(0, Vec::len))
        .map(|c| {
            rows.iter()
                .map(|r| r.get(c).map_or(0, |s| s.chars().count()))
                .max()
                .unwrap_or(0)
        })
        .collect();
    for row in &rows {
        let line: Vec<String> = row
            .iter()
            .zip(&widths)
            .map(|(cell, width)| {
                format!(
                    "{cell}{}",
                    " ".repeat(width.saturating_sub(cell.chars().count()))
                )
            })
            .collect();
        let _ = writeln!(out, "{}", line.join("  ").trim_end());
    }
    out.push('\n');
    if let SurveyKind::Ratings(scale) = analysis.kind {
        let explanation = match analysis.options.recoding {
            NominationRecoding::Extremes => format!(
                "{} {scale} / 1",
                tr(
                    "Gekozen / liever niet: hoe vaak de leerling het hoogste / laagste cijfer kreeg:",
                    "Chosen / rather not: how often the pupil got the highest / lowest rating:"
                )
            ),
            NominationRecoding::AroundMidpoint => tr(
                "Gekozen / liever niet: hoe vaak de leerling een cijfer boven / onder het midden kreeg.",
                "Chosen / rather not: how often the pupil got a rating above / below the midpoint.",
            )
            .to_string(),
        };
        let _ = writeln!(out, "{explanation}");
    }
    if let Some(r) = ties.reciprocity {
        let _ = writeln!(
            out,
            "{}: {} {}, {} {}",
            tr("Wederzijdsheid", "Reciprocity"),
            decimal(r, 2),
            tr("(2M / (2M + A))", "(2M / (2M + A))"),
            tr("dichtheid", "density"),
            ties.density.map_or("-".into(), |d| decimal(d, 2))
        );
    }
    let _ = writeln!(
        out,
        "{}: {}",
        tr("Door niemand gekozen", "Chosen by nobody"),
        list(&ties.not_chosen)
    );
    let without: Vec<usize> = ties
        .without_mutual_friend
        .iter()
        .copied()
        .filter(|&i| ties.took_part.get(i).copied().unwrap_or(false))
        .collect();
    let _ = writeln!(
        out,
        "{}: {}",
        tr("Zonder wederzijdse keuze", "Without a mutual choice"),
        list(&without)
    );
    let absent: Vec<usize> = (0..analysis.pupils.len())
        .filter(|&i| !ties.took_part.get(i).copied().unwrap_or(false))
        .collect();
    let _ = writeln!(
        out,
        "{}: {}",
        tr("Deden niet mee", "Did not take part"),
        list(&absent)
    );
    for (title, groups) in [
        (
            tr("Groepjes (wederzijdse keuzes)", "Groups (mutual choices)"),
            &ties.components,
        ),
        (
            tr(
                "Hechte groepjes (3+ die elkaar allemaal kiezen)",
                "Cliques (3+ all choosing each other)",
            ),
            &ties.cliques,
        ),
        (
            tr("Subgroepen (modulariteit)", "Subgroups (modularity)"),
            &ties.communities,
        ),
    ] {
        let shown: Vec<String> = groups.iter().map(|g| format!("[{}]", list(g))).collect();
        let _ = writeln!(
            out,
            "{title}: {}",
            if shown.is_empty() {
                tr("geen", "none").to_string()
            } else {
                shown.join(" ")
            }
        );
    }
    let explained: Vec<String> = analysis
        .pupils
        .iter()
        .enumerate()
        .filter_map(|(i, p)| {
            pupil_explanation(analysis, i, &p.id, language).map(|e| format!("- {}: {e}", p.id))
        })
        .collect();
    if !explained.is_empty() {
        let _ = writeln!(
            out,
            "\n{}",
            tr(
                "Wat de klas over deze leerlingen meldde:",
                "What the class reported about these pupils:"
            )
        );
        for line in explained {
            let _ = writeln!(out, "{line}");
        }
    }
    let mut present: Vec<Status> = analysis.pupils.iter().filter_map(|p| p.status).collect();
    present.sort();
    present.dedup();
    if !present.is_empty() {
        let _ = writeln!(
            out,
            "\n{}",
            tr("Wat de statussen betekenen:", "What the statuses mean:")
        );
        for status in present {
            let _ = writeln!(
                out,
                "- {}: {}",
                status_word(Some(status), language),
                status_meaning(status, language)
            );
        }
        let _ = writeln!(
            out,
            "{}",
            tr(
                "Een status is een signaal voor een gesprek, nooit een oordeel over een kind.",
                "A status is a signal for a conversation, never a verdict on a child."
            )
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{NominationGroup, Options, analyse_nominations};

    fn analysed(id: &str) -> GroupAnalysis {
        let mut group = NominationGroup::new(id, vec!["Anna".to_string(), "Bram".to_string()]);
        group.ask(Question::Positive);
        analyse_nominations(&group, &Options::default())
    }

    #[test]
    fn file_stems_keep_letters_digits_dashes_and_underscores_only() {
        assert_eq!(file_stem("groep-7b_2024"), "groep-7b_2024");
        assert_eq!(file_stem("7/B klas"), "7_B_klas");
        assert_eq!(file_stem("groep é"), "groep_é");
        assert_eq!(file_stem(""), "groep");
    }

    #[test]
    fn groups_with_the_same_stem_get_numbered_file_names() {
        let analyses = [
            analysed("7/B"),
            analysed("7?B"),
            analysed("7B"),
            analysed("7 B"),
        ];
        assert_eq!(
            sociogram_file_names(&analyses),
            [
                "sociogram-7_B.svg",
                "sociogram-7_B-2.svg",
                "sociogram-7B.svg",
                "sociogram-7_B-3.svg",
            ]
        );
    }

    #[test]
    fn the_json_document_names_each_groups_sociogram_only_when_written() {
        let analyses = [analysed("a"), analysed("b")];
        let without = json_document(&analyses, &[]);
        assert_eq!(without["groups"][0]["svg"], Value::Null);
        assert_eq!(without["groups"][1]["svg"], Value::Null);
        let paths = [
            "out/sociogram-a.svg".to_string(),
            "out/sociogram-b.svg".to_string(),
        ];
        let with = json_document(&analyses, &paths);
        assert_eq!(with["groups"][0]["svg"], "out/sociogram-a.svg");
        assert_eq!(with["groups"][1]["svg"], "out/sociogram-b.svg");
        assert_eq!(with["groups"][1]["id"], "b");
    }
}
