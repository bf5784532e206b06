//! `erbij analyze`: read chat exports and report what they show.
//!
//! Each file is read twice (format, then events), reopened in between, so memory stays
//! bounded whatever the file's size. A file that cannot be read is reported and the others
//! still printed; the exit code is then 1.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use erbij_chat::{
    ChatSummary, Events, ExportArchive, Language, LocalDateTime, MembershipChange, Person,
    ReadError, SystemEvent, detect_format,
};
use serde::Serialize;

use crate::social_downloads;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    Text,
    Json,
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

#[derive(Debug, clap::Args)]
pub struct Args {
    /// WhatsApp exports: .txt or the .zip WhatsApp makes.
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    format: OutputFormat,
    /// Language of the text output and the diagnostics.
    #[arg(long, value_enum, default_value = "nl")]
    lang: Lang,
    /// Write the output to this file instead of standard output.
    #[arg(short = 'o', long = "output")]
    output: Option<PathBuf>,
    /// Class list: CSV with header `name,aliases[,accounts]` (accounts as
    /// `instagram:name|tiktok:name`).
    #[arg(long)]
    roster: Option<PathBuf>,
}

/// One chat as the JSON contract (`chats[]`) describes it.
#[derive(Debug, Serialize)]
struct ChatReport {
    file: String,
    platform: &'static str,
    variant: &'static str,
    language: &'static str,
    group: Option<String>,
    messages: u64,
    system_events: u64,
    participants: Vec<String>,
    start: Option<String>,
    end: Option<String>,
    diagnostics: Vec<DiagnosticReport>,
    /// Files in the .zip besides the chat (listed, never opened).
    #[serde(skip_serializing_if = "Option::is_none")]
    media_files: Option<usize>,
    #[serde(skip)]
    membership: Vec<MembershipChange>,
}

#[derive(Debug, Serialize)]
struct DiagnosticReport {
    line: Option<u32>,
    message: String,
}

#[derive(Debug, Serialize)]
struct FileError {
    file: String,
    message: String,
}

#[derive(Debug, Serialize)]
struct Report {
    chats: Vec<ChatReport>,
    findings: Vec<serde_json::Value>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    errors: Vec<FileError>,
    /// Instagram/TikTok data downloads handed in beside the chats.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    downloads: Vec<serde_json::Value>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    social_accounts: Vec<serde_json::Value>,
}

pub fn run(args: Args) -> ExitCode {
    let language = Language::from(args.lang);
    let mut report = Report {
        chats: Vec::new(),
        findings: Vec::new(),
        errors: Vec::new(),
        downloads: Vec::new(),
        social_accounts: Vec::new(),
    };
    let social_lang = match language {
        Language::Dutch => social_downloads::Lang::Dutch,
        Language::English => social_downloads::Lang::English,
    };
    let roster = match social_downloads::load_roster(args.roster.as_deref(), social_lang) {
        Ok(roster) => roster,
        Err(message) => {
            eprintln!("erbij analyze: {message}");
            return ExitCode::from(1);
        }
    };
    let mut downloads = social_downloads::Downloads::default();
    for path in &args.files {
        // Instagram/TikTok downloads are recognised by content; everything else is a chat.
        if let Some(read) = downloads.try_read(path, social_lang) {
            if let Err(message) = read {
                eprintln!("erbij analyze: {message}");
                report.errors.push(FileError {
                    file: path.display().to_string(),
                    message,
                });
            }
            continue;
        }
        match analyze_file(path, language) {
            Ok(chat) => report.chats.push(chat),
            Err(err) => {
                let message = err.message(language);
                eprintln!("erbij analyze: {message}");
                report.errors.push(FileError {
                    file: path.display().to_string(),
                    message,
                });
            }
        }
    }
    let social = downloads.analyse(roster.as_ref());
    report.findings.extend(social.findings_json(social_lang));
    report.downloads = social.downloads_json(social_lang);
    report.social_accounts = social.accounts_json();
    let rendered = match args.format {
        OutputFormat::Json => match serde_json::to_string_pretty(&report) {
            Ok(json) => json + "\n",
            Err(err) => {
                eprintln!("erbij analyze: {err}");
                return ExitCode::from(1);
            }
        },
        OutputFormat::Text => {
            let mut text = render_text(&report, language);
            if !downloads.is_empty() {
                if !text.is_empty() {
                    text.push('\n');
                }
                text.push_str(&social.render_text(social_lang));
            }
            text
        }
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
        match language {
            Language::Dutch => eprintln!("erbij analyze: kan niet schrijven naar {target}: {err}"),
            Language::English => eprintln!("erbij analyze: cannot write to {target}: {err}"),
        }
        return ExitCode::from(1);
    }
    if report.errors.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

fn is_zip(path: &Path) -> io::Result<bool> {
    let mut magic = [0u8; 4];
    let mut file = File::open(path)?;
    let n = file.read(&mut magic)?;
    Ok(n == 4 && magic == *b"PK\x03\x04")
}

const BUFFER: usize = 256 * 1024;

/// Runs `pass` on a fresh reader of the chat text: the file itself, or its zip entry.
fn with_chat_text<T>(
    path: &Path,
    name: &str,
    zip: bool,
    pass: impl FnOnce(&mut dyn BufRead) -> Result<T, ReadError>,
) -> Result<T, ReadError> {
    let io_error = |source| ReadError::Io {
        name: name.to_owned(),
        source,
    };
    let file = File::open(path).map_err(io_error)?;
    if zip {
        let mut archive = ExportArchive::open(file, name)?;
        let entry = archive.chat_reader()?;
        pass(&mut BufReader::with_capacity(BUFFER, entry))
    } else {
        pass(&mut BufReader::with_capacity(BUFFER, file))
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

fn analyze_file(path: &Path, language: Language) -> Result<ChatReport, ReadError> {
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
    let format = with_chat_text(path, &name, zip, |reader| detect_format(reader, &name))?;
    let (summary, diagnostics) = with_chat_text(path, &name, zip, |reader| {
        Ok(summarise(Events::new(reader, &format)))
    })?;
    let group = format
        .group_hint
        .clone()
        .or_else(|| summary.last_group_name.clone())
        .or_else(|| archive_info.as_ref().and_then(|a| a.title.clone()));
    Ok(ChatReport {
        file: name,
        platform: "whatsapp",
        variant: format.variant.code(),
        language: format.language.code(),
        group,
        messages: summary.messages,
        system_events: summary.system_events,
        participants: summary.participants.clone(),
        start: summary.start.map(|t| t.to_string()),
        end: summary.end.map(|t| t.to_string()),
        diagnostics: diagnostics
            .iter()
            .map(|d| DiagnosticReport {
                line: d.line,
                message: d.kind.message(language),
            })
            .collect(),
        media_files: archive_info.map(|a| a.media),
        membership: summary.membership,
    })
}

fn summarise<R: BufRead>(mut events: Events<R>) -> (ChatSummary, Vec<erbij_chat::Diagnostic>) {
    let mut summary = ChatSummary::new();
    for event in events.by_ref() {
        summary.add(&event);
    }
    (summary, events.into_diagnostics())
}

// ---- text output -------------------------------------------------------------------------

fn render_text(report: &Report, language: Language) -> String {
    let mut out = String::new();
    for (i, chat) in report.chats.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        render_chat(&mut out, chat, language);
    }
    out
}

fn short_time(time: &str) -> String {
    // `2025-09-01T08:00:05` -> `01-09-2025 08:00`
    let (date, clock) = time.split_once('T').unwrap_or((time, ""));
    let parts: Vec<&str> = date.split('-').collect();
    match parts.as_slice() {
        [y, m, d] => format!("{d}-{m}-{y} {}", clock.get(..5).unwrap_or(clock)),
        _ => time.to_owned(),
    }
}

fn time_text(time: LocalDateTime) -> String {
    short_time(&time.to_string())
}

fn render_chat(out: &mut String, chat: &ChatReport, language: Language) {
    let nl = language == Language::Dutch;
    let phone = match (chat.variant, nl) {
        ("ios", _) => "iPhone",
        _ => "Android",
    };
    let phone_language = match (chat.language, nl) {
        ("nl", true) => "Nederlands",
        ("en", true) => "Engels",
        ("nl", false) => "Dutch",
        _ => "English",
    };
    out.push_str(&format!("{}\n", chat.file));
    if nl {
        out.push_str(&format!(
            "  WhatsApp-export ({phone}, telefoon in het {phone_language})\n"
        ));
        out.push_str(&format!(
            "  Groep: {}\n",
            chat.group.as_deref().unwrap_or("(naam niet in de export)")
        ));
    } else {
        out.push_str(&format!(
            "  WhatsApp export ({phone}, phone in {phone_language})\n"
        ));
        out.push_str(&format!(
            "  Group: {}\n",
            chat.group.as_deref().unwrap_or("(name not in the export)")
        ));
    }
    if let (Some(start), Some(end)) = (&chat.start, &chat.end) {
        let (label, to) = if nl {
            ("Periode", "tot")
        } else {
            ("Period", "to")
        };
        out.push_str(&format!(
            "  {label}: {} {to} {}\n",
            short_time(start),
            short_time(end)
        ));
    }
    if nl {
        out.push_str(&format!(
            "  Berichten: {}, meldingen van WhatsApp: {}\n",
            chat.messages, chat.system_events
        ));
        out.push_str(&format!(
            "  Deelnemers gezien ({}): {}\n",
            chat.participants.len(),
            chat.participants.join(", ")
        ));
    } else {
        out.push_str(&format!(
            "  Messages: {}, WhatsApp notices: {}\n",
            chat.messages, chat.system_events
        ));
        out.push_str(&format!(
            "  Members seen ({}): {}\n",
            chat.participants.len(),
            chat.participants.join(", ")
        ));
    }
    if let Some(media) = chat.media_files {
        if nl {
            out.push_str(&format!(
                "  Mediabestanden in de zip: {media} (niet geopend)\n"
            ));
        } else {
            out.push_str(&format!("  Media files in the zip: {media} (not opened)\n"));
        }
    }
    let mut changes: Vec<&MembershipChange> = chat.membership.iter().collect();
    changes.sort_by_key(|c| c.time);
    out.push_str(if nl {
        "  Wie kwam erbij, wie ging eruit:\n"
    } else {
        "  Who joined, who left:\n"
    });
    if changes.is_empty() {
        out.push_str(if nl { "    (geen)\n" } else { "    (none)\n" });
    }
    for change in changes {
        let line = if nl { "regel" } else { "line" };
        out.push_str(&format!(
            "    {line} {:>5}  {}  {}\n",
            change.lines.first,
            time_text(change.time),
            describe(&change.event, language)
        ));
    }
    if !chat.diagnostics.is_empty() {
        out.push_str(if nl { "  Opmerkingen:\n" } else { "  Notes:\n" });
        for d in &chat.diagnostics {
            match d.line {
                Some(line) => out.push_str(&format!(
                    "    {} {line}: {}\n",
                    if nl { "regel" } else { "line" },
                    d.message
                )),
                None => out.push_str(&format!("    {}\n", d.message)),
            }
        }
    }
}

fn person(p: &Person, language: Language) -> String {
    match (p, language) {
        (Person::Named(name), _) => name.clone(),
        (Person::Exporter, Language::Dutch) => "wie de export maakte".into(),
        (Person::Exporter, Language::English) => "the exporter".into(),
    }
}

fn people(list: &[Person], language: Language) -> String {
    let names: Vec<String> = list.iter().map(|p| person(p, language)).collect();
    let and = if language == Language::Dutch {
        " en "
    } else {
        " and "
    };
    match names.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{}{and}{last}", rest.join(", ")),
        Some((last, _)) => last.clone(),
        None => String::new(),
    }
}

/// One membership change in words.
fn describe(event: &SystemEvent, language: Language) -> String {
    let nl = language == Language::Dutch;
    let p = |x: &Person| person(x, language);
    let ps = |x: &[Person]| people(x, language);
    match event {
        SystemEvent::Created { by, group } => match (group, nl) {
            (Some(g), true) => format!("{} maakte de groep \"{g}\"", p(by)),
            (None, true) => format!("{} maakte de groep", p(by)),
            (Some(g), false) => format!("{} created the group \"{g}\"", p(by)),
            (None, false) => format!("{} created the group", p(by)),
        },
        SystemEvent::Added { by, who } if nl => format!("{} voegde {} toe", p(by), ps(who)),
        SystemEvent::Added { by, who } => format!("{} added {}", p(by), ps(who)),
        SystemEvent::AddedUnattributed { who } if nl => format!("{} toegevoegd", ps(who)),
        SystemEvent::AddedUnattributed { who } => format!("{} added", ps(who)),
        SystemEvent::Removed { by, who } if nl => format!("{} verwijderde {}", p(by), ps(who)),
        SystemEvent::Removed { by, who } => format!("{} removed {}", p(by), ps(who)),
        SystemEvent::Left { who } if nl => format!("{} verliet de groep", p(who)),
        SystemEvent::Left { who } => format!("{} left", p(who)),
        SystemEvent::JoinedViaLink { who } if nl => {
            format!("{} kwam erbij via de uitnodigingslink", p(who))
        }
        SystemEvent::JoinedViaLink { who } => format!("{} joined via the invite link", p(who)),
        SystemEvent::JoinedViaInvite { who } if nl => {
            format!("{} kwam erbij via een uitnodiging", p(who))
        }
        SystemEvent::JoinedViaInvite { who } => format!("{} joined via an invitation", p(who)),
        SystemEvent::SubjectChanged { by, from, to } => match (from, nl) {
            (Some(f), true) => format!("{} hernoemde de groep van \"{f}\" naar \"{to}\"", p(by)),
            (None, true) => format!("{} hernoemde de groep naar \"{to}\"", p(by)),
            (Some(f), false) => format!("{} renamed the group from \"{f}\" to \"{to}\"", p(by)),
            (None, false) => format!("{} renamed the group to \"{to}\"", p(by)),
        },
        other => format!("{other:?}"),
    }
}
