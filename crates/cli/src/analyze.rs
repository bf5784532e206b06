//! `erbij analyze`: read chat exports and Instagram/TikTok downloads, run the exclusion
//! detectors, print a report.
//!
//! A thin layer: it opens the files and hands them to `erbij_report::analyze` (readers ->
//! detectors, the same function the web app calls), then renders and writes the report.
//! Each file is reopened for every pass over it, so memory stays bounded whatever the
//! file's size. A file that cannot be read is reported and the others still analysed; the
//! exit code is then 1.

use std::fs::File;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use erbij_chat::Language;
use erbij_detect::{Roster, Thresholds};
use erbij_report::{Content, Input, Options, ReadSeek, Source};

use crate::social_downloads;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    Text,
    Json,
    Html,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Lang {
    Nl,
    En,
}

impl From<Lang> for Language {
    fn from(lang: Lang) -> Language {
        match lang {
            Lang::Nl => Language::Dutch,
            Lang::En => Language::English,
        }
    }
}

impl From<Lang> for erbij_social::Language {
    fn from(lang: Lang) -> erbij_social::Language {
        match lang {
            Lang::Nl => erbij_social::Language::Dutch,
            Lang::En => erbij_social::Language::English,
        }
    }
}

impl From<Lang> for erbij_report::Language {
    fn from(lang: Lang) -> erbij_report::Language {
        match lang {
            Lang::Nl => erbij_report::Language::Dutch,
            Lang::En => erbij_report::Language::English,
        }
    }
}

#[derive(Debug, clap::Args)]
pub struct Args {
    /// WhatsApp exports (.txt or the .zip WhatsApp makes) and Instagram/TikTok data
    /// downloads in JSON (.zip, unpacked folder, or user_data.json), recognised by content.
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// Class list: CSV with header `name,aliases[,accounts]` (aliases separated by `|`,
    /// accounts as `instagram:name|tiktok:name`).
    #[arg(long)]
    roster: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    format: OutputFormat,
    /// Language of the report and the diagnostics.
    #[arg(long, value_enum, default_value = "nl")]
    lang: Lang,
    /// Write the output to this file instead of standard output.
    #[arg(short = 'o', long = "output")]
    output: Option<PathBuf>,
    /// Who made an export, when known (the file never says): `NAME` for every file, or
    /// `FILE=NAME` for one. For an Instagram/TikTok download that does not name its account
    /// (only `followers_1.json`), the pupil whose download it is.
    #[arg(long, value_name = "[FILE=]NAME")]
    exporter: Vec<String>,
    /// Change a detector threshold for research (`NAME=VALUE`, repeatable); the names,
    /// defaults and their sources are in crates/detect/src/thresholds.rs, and an unknown
    /// name lists them all.
    #[arg(long = "threshold", value_name = "NAME=VALUE")]
    thresholds: Vec<String>,
}

pub fn run(args: Args) -> ExitCode {
    let language = Language::from(args.lang);
    let nl = language == Language::Dutch;
    let mut thresholds = Thresholds::default();
    for assignment in &args.thresholds {
        if let Err(err) = thresholds.set(assignment) {
            eprintln!("erbij analyze: --threshold {err}");
            return ExitCode::from(2);
        }
    }
    let roster = match &args.roster {
        None => None,
        Some(path) => match std::fs::read_to_string(path) {
            Ok(text) => match Roster::from_csv(&text) {
                Ok(roster) => Some(roster),
                Err(err) => {
                    eprintln!("erbij analyze: {}: {err}", path.display());
                    return ExitCode::from(1);
                }
            },
            Err(err) => {
                if nl {
                    eprintln!(
                        "erbij analyze: kan de klassenlijst {} niet lezen: {err}",
                        path.display()
                    );
                } else {
                    eprintln!(
                        "erbij analyze: cannot read the class list {}: {err}",
                        path.display()
                    );
                }
                return ExitCode::from(1);
            }
        },
    };
    // Files are opened here; reading and analysing them is erbij-report's `analyze`, the
    // same function the web app calls.
    let files: Vec<FileContent> = args.files.iter().map(|p| FileContent(p.clone())).collect();
    let inputs = args
        .files
        .iter()
        .zip(&files)
        .map(|(path, content)| Input {
            name: path.display().to_string(),
            source: if path.is_dir() {
                social_downloads::folder(path, args.lang.into())
            } else {
                Source::Content(content)
            },
            exporter: exporter_for(&args.exporter, path),
        })
        .collect();
    let analysis = erbij_report::analyze(
        inputs,
        Options {
            language: args.lang.into(),
            thresholds,
            roster,
        },
    );
    for error in &analysis.errors {
        eprintln!("erbij analyze: {}", error.message);
    }
    let report_language = erbij_report::Language::from(args.lang);
    let rendered = match args.format {
        OutputFormat::Json => erbij_report::render_json(&analysis, report_language),
        OutputFormat::Text => erbij_report::render_text(&analysis, report_language),
        OutputFormat::Html => erbij_report::render_html(&analysis, report_language),
    };
    let written = match &args.output {
        Some(out) => std::fs::write(out, rendered.as_bytes()),
        None => io::stdout().lock().write_all(rendered.as_bytes()),
    };
    if let Err(err) = written {
        let target = args
            .output
            .as_ref()
            .map_or_else(|| "stdout".to_owned(), |p| p.display().to_string());
        if nl {
            eprintln!("erbij analyze: kan niet schrijven naar {target}: {err}");
        } else {
            eprintln!("erbij analyze: cannot write to {target}: {err}");
        }
        return ExitCode::from(1);
    }
    if analysis.errors.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

/// `--exporter FILE=NAME` for this file, else a plain `--exporter NAME`.
fn exporter_for(exporters: &[String], path: &Path) -> Option<String> {
    let file_name = path.file_name().map(|n| n.to_string_lossy().to_string());
    let mut general = None;
    for value in exporters {
        match value.split_once('=') {
            Some((file, name)) => {
                let matches = Path::new(file) == path || Some(file.to_string()) == file_name;
                if matches {
                    return Some(name.trim().to_string());
                }
            }
            None => general = Some(value.trim().to_string()),
        }
    }
    general
}

/// A file on disk, reopened for each pass over it.
struct FileContent(PathBuf);

impl Content for FileContent {
    fn open(&self) -> io::Result<Box<dyn ReadSeek + '_>> {
        Ok(Box::new(File::open(&self.0)?))
    }
}
