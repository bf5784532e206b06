//! Turns an analysis into what a person reads: terminal text (Dutch by default), the JSON
//! contract of `erbij analyze`, or one self-contained HTML page with the membership
//! timeline drawn as a picture. Chat exports and Instagram/TikTok downloads are one
//! report: their findings are grouped per pupil together, most serious first.
//!
//! Pure: data in, a `String` out. It never does I/O, never refers to another host (no
//! external fonts, scripts or images), and escapes every piece of chat text it shows.

mod analyze;
mod html;
mod json;
mod labels;
mod text;

use erbij_chat::{LocalDateTime, MembershipChange};
use erbij_detect::Report;
use erbij_social::{Diagnostic, Download, MadeAtSource, Moment, Platform};

pub use analyze::{Content, Input, Options, ReadSeek, Source, analyze};
pub use erbij_detect::Language;
pub use html::render_html;
pub use json::render_json;
pub use text::render_text;

/// What the reader learnt about one file, for the `chats` part of a report.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ChatInfo {
    pub file: String,
    pub platform: String,
    /// `android` or `ios`.
    pub variant: String,
    /// The phone's language: `nl` or `en`, or `unknown` when no line told it (erbij never
    /// guesses Dutch).
    pub language: String,
    /// Lines WhatsApp wrote in a language erbij does not read (yet): who was added or
    /// removed there cannot be seen.
    pub unreadable_system_lines: u64,
    pub group: Option<String>,
    pub messages: u64,
    pub system_events: u64,
    pub participants: Vec<String>,
    pub start: Option<LocalDateTime>,
    pub end: Option<LocalDateTime>,
    pub diagnostics: Vec<(Option<u32>, String)>,
    /// Files in the .zip besides the chat (listed, never opened).
    pub media_files: Option<usize>,
    /// Created, added, removed, left, joined, renamed: in file order.
    pub membership: Vec<MembershipChange>,
}

/// What the reader learnt about one Instagram/TikTok download, for the `downloads` part of
/// a report (the lists themselves go to `erbij-detect`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DownloadInfo {
    pub file: String,
    pub platform: Platform,
    /// Whose account it is, when the download says so.
    pub account: Option<String>,
    /// Whose download it is as the one who handed it in said (`--exporter FILE=NAME`, the
    /// web form's "wie maakte deze export"), as given.
    pub exporter: Option<String>,
    pub made_at: Option<(Moment, MadeAtSource)>,
    /// The newest follow-start time in the download.
    pub newest_entry: Option<Moment>,
    /// List lengths; `None` when the download holds no such list.
    pub followers: Option<usize>,
    pub following: Option<usize>,
    pub diagnostics: Vec<Diagnostic>,
}

impl DownloadInfo {
    pub fn new(file: String, download: &Download) -> DownloadInfo {
        DownloadInfo {
            file,
            platform: download.platform,
            account: download.owner.as_ref().map(|o| o.as_str().to_owned()),
            exporter: None,
            made_at: download.made_at,
            newest_entry: download.newest_entry_time(),
            followers: download.followers.as_ref().map(Vec::len),
            following: download.following.as_ref().map(Vec::len),
            diagnostics: download.diagnostics.clone(),
        }
    }
}

/// A file that could not be read at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileError {
    pub file: String,
    pub message: String,
}

/// Everything one run of `erbij analyze` shows.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Analysis {
    /// One per chat export that was read, in the order given (the `chat` index of findings).
    pub chats: Vec<ChatInfo>,
    /// One per download that was read, in the order given (the `download` index of findings).
    pub downloads: Vec<DownloadInfo>,
    pub errors: Vec<FileError>,
    /// The detectors' result; `None` when no file could be read.
    pub report: Option<Report>,
}

/// The downloads' diagnostics speak the report's language.
fn social_language(language: Language) -> erbij_social::Language {
    match language {
        Language::Dutch => erbij_social::Language::Dutch,
        Language::English => erbij_social::Language::English,
    }
}

/// What could not be read in the chats, for the findings' summary: `(files, lines)`.
pub(crate) fn unreadable(analysis: &Analysis) -> (usize, u64) {
    let files = analysis
        .chats
        .iter()
        .filter(|c| c.unreadable_system_lines > 0 || c.language == "unknown")
        .count();
    let lines = analysis
        .chats
        .iter()
        .map(|c| c.unreadable_system_lines)
        .sum();
    (files, lines)
}

/// The sentence that replaces "nothing found" when part of the exports could not be read.
pub(crate) fn unreadable_sentence(lines: u64, language: Language) -> String {
    match language {
        Language::Dutch => format!(
            "{lines} {} van WhatsApp in een taal of vorm die erbij nog niet leest: of er iemand verwijderd of toegevoegd werd, is daar niet te zien. Geen bevinding betekent hier dus niet dat er niets gebeurde; lees die regels zelf.",
            if lines == 1 { "melding" } else { "meldingen" }
        ),
        Language::English => format!(
            "{lines} {} by WhatsApp in a language or form erbij does not read yet: whether someone was removed or added cannot be seen there. No finding here does not mean nothing happened; read those lines yourself.",
            if lines == 1 { "line" } else { "lines" }
        ),
    }
}
