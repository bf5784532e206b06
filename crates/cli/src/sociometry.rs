//! `erbij sociometry`: read a class survey (ratings or nominations), print statuses and ties,
//! and optionally write one sociogram SVG per group.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use erbij_sociometry::sociogram::{Labels, Language, SociogramOptions, render_svg};
use erbij_sociometry::{
    Criteria, GroupAnalysis, GroupNote, NominationRecoding, Options, PupilAnalysis, Question,
    Scale, ScoreTest, SdConvention, Status, Survey, SurveyKind, analyse, read_survey,
};
use serde_json::{Value, json};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum CriteriaArg {
    /// SSrat's rating-scale criteria (ratings only).
    Ssrat,
    /// Newcomb & Bukowski's probability criteria.
    Nb,
    /// Coie & Dodge's standard scores.
    Cd,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum FormatArg {
    Text,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum SdArg {
    /// Divide by N (the default).
    Population,
    /// Divide by N - 1.
    Sample,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum LangArg {
    Nl,
    En,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum RecodingArg {
    /// Only the highest / lowest rating counts as a choice (what SSrat 1.1 does).
    Extremes,
    /// Every rating above / below the midpoint counts (what SSrat's manual says).
    Midpoint,
}

fn parse_scale(text: &str) -> Result<u8, String> {
    match text.parse::<u8>() {
        Ok(points @ (3 | 5 | 7 | 9)) => Ok(points),
        _ => Err("de schaal moet 3, 5, 7 of 9 punten hebben".to_string()),
    }
}

fn parse_alpha(text: &str) -> Result<f64, String> {
    match text.replace(',', ".").parse::<f64>() {
        Ok(alpha) if alpha > 0.0 && alpha < 1.0 => Ok(alpha),
        _ => Err("alpha moet een getal tussen 0 en 1 zijn, bijvoorbeeld 0.05".to_string()),
    }
}

/// Arguments of `erbij sociometry`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// CSV with the answers: `group,from,to,rating`, `group,from,to,question`, or SSrat's
    /// `schoolid,groupid,respid,r01,...`.
    answers: PathBuf,
    /// Points on the rating scale (midpoint neutral).
    #[arg(long, default_value = "5", value_parser = parse_scale)]
    scale: u8,
    /// Status criteria (default: ssrat for ratings, nb for nominations).
    #[arg(long, value_enum)]
    criteria: Option<CriteriaArg>,
    /// One-sided significance level for ssrat and nb.
    #[arg(long, default_value = "0.05", value_parser = parse_alpha)]
    alpha: f64,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    format: FormatArg,
    /// Write one sociogram SVG per group into this folder.
    #[arg(long, value_name = "DIR")]
    svg: Option<PathBuf>,
    /// Standard deviation for Coie & Dodge z-scores.
    #[arg(long, value_enum, default_value = "population")]
    sd: SdArg,
    /// Language of the text output and the sociogram.
    #[arg(long, value_enum, default_value = "nl")]
    lang: LangArg,
    /// Numbers instead of names in the sociogram (for the digital board).
    #[arg(long)]
    hide_names: bool,
    /// How ratings become choices for nb, cd and the sociogram.
    #[arg(long, value_enum, default_value = "extremes")]
    recoding: RecodingArg,
}

/// Runs the subcommand: 0 when the answers were read, 1 when they cannot be, 2 on wrong usage.
pub fn run(args: Args) -> ExitCode {
    let english = args.lang == LangArg::En;
    let shown = args.answers.display();
    let bytes = match std::fs::read(&args.answers) {
        Ok(bytes) => bytes,
        Err(err) => {
            eprintln!("{shown}: kan het bestand niet lezen ({err}); controleer pad en rechten");
            return ExitCode::from(1);
        }
    };
    let Ok(text) = String::from_utf8(bytes) else {
        eprintln!("{shown}: het bestand is geen UTF-8-tekst; sla het op als CSV (UTF-8)");
        return ExitCode::from(1);
    };
    let scale = Scale::with_points(args.scale).unwrap_or(Scale::Five);
    let survey = match read_survey(&text, scale) {
        Ok(survey) => survey,
        Err(errors) => {
            for error in &errors {
                eprintln!("{shown}: {error}");
            }
            return ExitCode::from(1);
        }
    };
    let is_ratings = matches!(survey, Survey::Ratings(_));
    let criteria = match (args.criteria, is_ratings) {
        (Some(CriteriaArg::Ssrat), false) => {
            eprintln!(
                "--criteria ssrat vraagt beoordelingen (group,from,to,rating); {shown} bevat nominaties: gebruik --criteria nb of cd"
            );
            return ExitCode::from(2);
        }
        (Some(CriteriaArg::Ssrat), true) | (None, true) => Criteria::Ssrat,
        (Some(CriteriaArg::Nb), _) | (None, false) => Criteria::NewcombBukowski,
        (Some(CriteriaArg::Cd), _) => Criteria::CoieDodge,
    };
    let options = Options {
        criteria,
        alpha: args.alpha,
        sd: match args.sd {
            SdArg::Population => SdConvention::Population,
            SdArg::Sample => SdConvention::Sample,
        },
        recoding: match args.recoding {
            RecodingArg::Extremes => NominationRecoding::Extremes,
            RecodingArg::Midpoint => NominationRecoding::AroundMidpoint,
        },
    };
    let analyses = analyse(&survey, &options);
    if analyses.is_empty() {
        eprintln!("{shown}: er staan geen antwoorden in het bestand (alleen een kopregel)");
        return ExitCode::from(1);
    }
    let mut svg_files = Vec::new();
    if let Some(dir) = &args.svg {
        match write_svgs(dir, &analyses, english, args.hide_names) {
            Ok(files) => svg_files = files,
            Err(message) => {
                eprintln!("{message}");
                return ExitCode::from(1);
            }
        }
    }
    let output = match args.format {
        FormatArg::Json => {
            let groups: Vec<Value> = analyses
                .iter()
                .zip(svg_files.iter().map(Some).chain(std::iter::repeat(None)))
                .map(|(g, svg)| group_json(g, svg))
                .collect();
            let document = json!({ "groups": groups });
            serde_json::to_string_pretty(&document).unwrap_or_default() + "\n"
        }
        FormatArg::Text => analyses
            .iter()
            .map(|g| group_text(g, english))
            .collect::<Vec<_>>()
            .join("\n"),
    };
    print!("{output}");
    ExitCode::SUCCESS
}

fn file_stem(id: &str) -> String {
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

fn write_svgs(
    dir: &Path,
    analyses: &[GroupAnalysis],
    english: bool,
    hide_names: bool,
) -> Result<Vec<PathBuf>, String> {
    std::fs::create_dir_all(dir)
        .map_err(|e| format!("{}: kan de map niet maken ({e})", dir.display()))?;
    let options = SociogramOptions {
        labels: if hide_names {
            Labels::Numbers
        } else {
            Labels::Names
        },
        language: if english {
            Language::English
        } else {
            Language::Dutch
        },
    };
    let mut written: Vec<PathBuf> = Vec::new();
    for analysis in analyses {
        let stem = file_stem(&analysis.id);
        let mut path = dir.join(format!("sociogram-{stem}.svg"));
        let mut n = 2;
        while written.contains(&path) {
            path = dir.join(format!("sociogram-{stem}-{n}.svg"));
            n += 1;
        }
        std::fs::write(&path, render_svg(analysis, &options))
            .map_err(|e| format!("{}: kan het bestand niet schrijven ({e})", path.display()))?;
        written.push(path);
    }
    Ok(written)
}

fn criteria_key(criteria: Criteria) -> &'static str {
    match criteria {
        Criteria::Ssrat => "ssrat",
        Criteria::NewcombBukowski => "nb",
        Criteria::CoieDodge => "cd",
    }
}

fn test_json(test: &ScoreTest) -> Value {
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

fn pupil_json(analysis: &GroupAnalysis, index: usize, pupil: &PupilAnalysis) -> Value {
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

fn group_json(analysis: &GroupAnalysis, svg: Option<&PathBuf>) -> Value {
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
        "svg": svg.map(|p| p.display().to_string()),
    })
}

fn status_word(status: Option<Status>, english: bool) -> &'static str {
    match (status, english) {
        (None, false) => "(geen)",
        (None, true) => "(none)",
        (Some(Status::Popular), false) => "populair",
        (Some(Status::Rejected), false) => "afgewezen",
        (Some(Status::Neglected), false) => "genegeerd",
        (Some(Status::Controversial), false) => "controversieel",
        (Some(Status::Average), false) => "gemiddeld",
        (Some(Status::Unclassified), false) => "niet ingedeeld",
        (Some(s), true) => s.key(),
    }
}

/// What a status means, phrased as a reason to talk, never as a verdict on the child.
fn status_meaning(status: Status, english: bool) -> &'static str {
    match (status, english) {
        (Status::Popular, false) => {
            "Veel klasgenoten kiezen deze leerling, weinigen liever niet. Een sterke positie in de groep; kijk ook hoe de leerling die gebruikt."
        }
        (Status::Rejected, false) => {
            "Opvallend veel klasgenoten kiezen deze leerling liever niet, en weinigen kiezen hem of haar. Een signaal om met de leerling te praten over hoe het in de klas gaat."
        }
        (Status::Neglected, false) => {
            "Deze leerling wordt zelden genoemd, positief of negatief: de klas lijkt hem of haar weinig op te merken. Vraag hoe de leerling zich in de groep voelt."
        }
        (Status::Controversial, false) => {
            "Deze leerling wordt door velen gekozen én door velen liever niet. Een signaal om te bespreken wat er in de groep speelt."
        }
        (Status::Average, false) => "De keuzes voor deze leerling vallen niet op binnen de klas.",
        (Status::Unclassified, false) => {
            "Coie & Dodge delen niet iedereen in; deze leerling valt buiten hun vijf groepen. Geen signaal uit deze methode."
        }
        (Status::Popular, true) => {
            "Many classmates choose this pupil, few would rather not. A strong position in the group; also look at how the pupil uses it."
        }
        (Status::Rejected, true) => {
            "Notably many classmates would rather not choose this pupil, and few choose them. A signal to talk with the pupil about how things are going in class."
        }
        (Status::Neglected, true) => {
            "This pupil is rarely named, positively or negatively: the class seems to notice them little. Ask how the pupil feels in the group."
        }
        (Status::Controversial, true) => {
            "Many classmates choose this pupil and many would rather not. A signal to discuss what is going on in the group."
        }
        (Status::Average, true) => "The choices for this pupil do not stand out in the class.",
        (Status::Unclassified, true) => {
            "Coie & Dodge do not classify everyone; this pupil falls outside their five groups. No signal from this method."
        }
    }
}

fn group_text(analysis: &GroupAnalysis, english: bool) -> String {
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
            status_word(pupil.status, english).to_string(),
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
                status_word(Some(status), english),
                status_meaning(status, english)
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
