//! `erbij analyze`: read chat exports and Instagram/TikTok downloads, run the exclusion
//! detectors, print a report.
//!
//! A thin layer: readers (`erbij-chat`, `erbij-social`) -> detectors (`erbij-detect`) ->
//! report (`erbij-report`). Each file is read twice (format, then events), reopened in between,
//! and the events stream through the summary and the detectors without being kept, so
//! memory stays bounded whatever the file's size. A file that cannot be read is reported
//! and the others still analysed; the exit code is then 1.

use std::fs::File;
use std::io::{self, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use erbij_chat::{Event, Events, ExportArchive, Language, ReadError, detect_format};
use erbij_detect::{Analyzer, NameSource, Roster, Thresholds};
use erbij_report::{Analysis, ChatInfo, DownloadInfo, FileError};

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
    /// `FILE=NAME` for one.
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
    let mut analyzer = Analyzer::new(roster, thresholds);
    // One file has nothing to be aligned with: keep no message fingerprints.
    analyzer.keep_fingerprints(args.files.len() > 1);
    let mut analysis = Analysis::default();
    for path in &args.files {
        // Instagram/TikTok downloads are recognised by content; everything else is a chat.
        if let Some(read) = social_downloads::try_read(path, args.lang.into()) {
            let file = path.display().to_string();
            match read {
                Ok(download) => {
                    analysis
                        .downloads
                        .push(DownloadInfo::new(file.clone(), &download));
                    analyzer.add_download(file, download);
                }
                Err(message) => {
                    eprintln!("erbij analyze: {message}");
                    analysis.errors.push(FileError { file, message });
                }
            }
            continue;
        }
        let exporter = exporter_for(&args.exporter, path);
        match analyze_file(path, language, &mut analyzer, exporter.as_deref()) {
            Ok(chat) => analysis.chats.push(chat),
            Err(err) => {
                let message = err.message(language);
                eprintln!("erbij analyze: {message}");
                analysis.errors.push(FileError {
                    file: path.display().to_string(),
                    message,
                });
            }
        }
    }
    if !analysis.chats.is_empty() || !analysis.downloads.is_empty() {
        analysis.report = Some(analyzer.finish());
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

fn is_zip(path: &Path) -> io::Result<bool> {
    let mut magic = [0u8; 4];
    let mut file = File::open(path)?;
    let n = file.read(&mut magic)?;
    Ok(n == 4 && magic == *b"PK\x03\x04")
}

const BUFFER: usize = 256 * 1024;
/// Events handed from the reading thread to the detecting one at a time.
const BATCH: usize = 1024;

/// Runs `pass` on a fresh reader of the chat text: the file itself, or its zip entry.
fn with_chat_text<T>(
    path: &Path,
    name: &str,
    zip: bool,
    pass: impl FnOnce(&mut dyn Read) -> Result<T, ReadError>,
) -> Result<T, ReadError> {
    let io_error = |source| ReadError::Io {
        name: name.to_owned(),
        source,
    };
    let mut file = File::open(path).map_err(io_error)?;
    if zip {
        let mut archive = ExportArchive::open(file, name)?;
        let mut entry = archive.chat_reader()?;
        pass(&mut entry)
    } else {
        pass(&mut file)
    }
}

/// What the CLI keeps of an archive beyond its chat text.
struct ExportArchiveInfo {
    title: Option<String>,
    media: usize,
}

impl From<&ExportArchive<File>> for ExportArchiveInfo {
    fn from(archive: &ExportArchive<File>) -> Self {
        ExportArchiveInfo {
            title: archive.chat_title(),
            media: archive.media().len(),
        }
    }
}

fn analyze_file(
    path: &Path,
    language: Language,
    analyzer: &mut Analyzer,
    exporter: Option<&str>,
) -> Result<ChatInfo, ReadError> {
    let name = path.display().to_string();
    let zip = is_zip(path).map_err(|source| ReadError::Io {
        name: name.clone(),
        source,
    })?;
    let archive_info = if zip {
        let file = File::open(path).map_err(|source| ReadError::Io {
            name: name.clone(),
            source,
        })?;
        Some(ExportArchiveInfo::from(&ExportArchive::open(file, &name)?))
    } else {
        None
    };
    // The first pass reads line by line through a buffer; the second reads big chunks itself.
    let format = with_chat_text(path, &name, zip, |reader| {
        detect_format(BufReader::with_capacity(BUFFER, reader), &name)
    })?;
    // Reading and detecting run side by side: this thread reads, a second one feeds the
    // detectors, which also gather the chat's summary; used batches come back to be freed.
    let (diagnostics, facts) = with_chat_text(path, &name, zip, |reader| {
        let mut events = Events::new(reader, &format);
        let scanner = analyzer.scan_chat(exporter);
        std::thread::scope(|scope| {
            let (sender, receiver) = std::sync::mpsc::sync_channel::<Vec<Event>>(8);
            // Used batches go back to be freed here, which balances the two threads' work.
            let (returner, returned) = std::sync::mpsc::channel::<Vec<Event>>();
            let worker = scope.spawn(move || {
                let mut scanner = scanner;
                for batch in receiver {
                    for event in &batch {
                        scanner.push(event);
                    }
                    let _ = returner.send(batch);
                }
                scanner.finish()
            });
            let mut batch = Vec::with_capacity(BATCH);
            for event in events.by_ref() {
                batch.push(event);
                if batch.len() == BATCH {
                    let mut next = returned.try_recv().unwrap_or_default();
                    next.clear();
                    next.reserve(BATCH);
                    let full = std::mem::replace(&mut batch, next);
                    if sender.send(full).is_err() {
                        break;
                    }
                }
            }
            if !batch.is_empty() {
                let _ = sender.send(batch);
            }
            drop(sender);
            let facts = worker.join().map_err(|_| ReadError::Io {
                name: name.clone(),
                source: io::Error::other(
                    "interne fout bij het analyseren / internal error while analysing",
                ),
            })?;
            Ok((events.into_diagnostics(), facts))
        })
    })?;
    let mut facts = facts;
    // Every name source feeds the group's name, each with where it was read.
    if let Some(name) = &format.group_hint {
        facts.add_name_hint(NameSource::EncryptionNotice, name, name);
    }
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    if let Some(title) = archive_info.as_ref().and_then(|a| a.title.clone()) {
        facts.add_name_hint(NameSource::ZipTitle, &title, &title);
    }
    if let Some(title) = erbij_chat::title_from_file_name(&file_name) {
        let source = if zip {
            NameSource::ZipTitle
        } else {
            NameSource::FileName
        };
        facts.add_name_hint(source, &title, &file_name);
    }
    let group = format
        .group_hint
        .clone()
        .or_else(|| facts.group_name().map(str::to_string))
        .or_else(|| facts.name_hints.first().map(|h| h.name.clone()));
    let info = ChatInfo {
        file: name,
        platform: "whatsapp".into(),
        variant: format.variant.code().into(),
        language: format.language.code().into(),
        group,
        messages: facts.messages,
        system_events: facts.system_events,
        participants: facts.participants(),
        start: facts.start,
        end: facts.end,
        diagnostics: diagnostics
            .iter()
            .map(|d| (d.line, d.kind.message(language)))
            .collect(),
        media_files: archive_info.map(|a| a.media),
        membership: facts.membership.clone(),
    };
    analyzer.add(facts);
    Ok(info)
}
