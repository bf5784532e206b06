//! `erbij sociometry`: read a class survey (ratings or nominations), print statuses and ties,
//! and optionally write one sociogram SVG per group.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use erbij_sociometry::report::{json_document, sociogram_file_names, text_report};
use erbij_sociometry::sociogram::{Labels, Language, SociogramOptions, render_svg};
use erbij_sociometry::{
    Criteria, GroupAnalysis, NominationRecoding, Options, Scale, SdConvention, Survey, analyse,
    read_survey,
};

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
    /// Also draw who named whom as left out in the sociogram (red dotted arrows).
    #[arg(long)]
    show_left_out: bool,
    /// How ratings become choices for nb, cd and the sociogram.
    #[arg(long, value_enum, default_value = "extremes")]
    recoding: RecodingArg,
}

/// Runs the subcommand: 0 when the answers were read, 1 when they cannot be, 2 on wrong usage.
pub fn run(args: Args) -> ExitCode {
    let language = match args.lang {
        LangArg::Nl => Language::Dutch,
        LangArg::En => Language::English,
    };
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
        match write_svgs(
            dir,
            &analyses,
            language,
            args.hide_names,
            args.show_left_out,
        ) {
            Ok(files) => svg_files = files,
            Err(message) => {
                eprintln!("{message}");
                return ExitCode::from(1);
            }
        }
    }
    let output = match args.format {
        FormatArg::Json => {
            let svg_paths: Vec<String> = svg_files
                .iter()
                .map(|path| path.display().to_string())
                .collect();
            let document = json_document(&analyses, &svg_paths);
            serde_json::to_string_pretty(&document).unwrap_or_default() + "\n"
        }
        FormatArg::Text => text_report(&analyses, language),
    };
    print!("{output}");
    ExitCode::SUCCESS
}

fn write_svgs(
    dir: &Path,
    analyses: &[GroupAnalysis],
    language: Language,
    hide_names: bool,
    left_out: bool,
) -> Result<Vec<PathBuf>, String> {
    std::fs::create_dir_all(dir)
        .map_err(|e| format!("{}: kan de map niet maken ({e})", dir.display()))?;
    let options = SociogramOptions {
        labels: if hide_names {
            Labels::Numbers
        } else {
            Labels::Names
        },
        language,
        left_out,
    };
    let mut written: Vec<PathBuf> = Vec::new();
    for (analysis, name) in analyses.iter().zip(sociogram_file_names(analyses)) {
        let path = dir.join(name);
        std::fs::write(&path, render_svg(analysis, &options))
            .map_err(|e| format!("{}: kan het bestand niet schrijven ({e})", path.display()))?;
        written.push(path);
    }
    Ok(written)
}
