//! Turns an analysis into what a person reads: terminal text (Dutch by default), the JSON
//! contract of `erbij analyze`, or one self-contained HTML page with the membership
//! timeline drawn as a picture.
//!
//! Pure: data in, a `String` out. It never does I/O, never refers to another host (no
//! external fonts, scripts or images), and escapes every piece of chat text it shows.

mod html;
mod json;
mod labels;
mod text;

use erbij_chat::{LocalDateTime, MembershipChange};
use erbij_detect::Report;

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
    /// The phone's language: `nl` or `en`.
    pub language: String,
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

/// A file that could not be read at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileError {
    pub file: String,
    pub message: String,
}

/// Everything one run of `erbij analyze` shows.
#[derive(Debug, Clone, PartialEq)]
pub struct Analysis {
    /// One per file that was read, in the order given (the `chat` index of findings).
    pub chats: Vec<ChatInfo>,
    pub errors: Vec<FileError>,
    /// The detectors' result; `None` when no file could be read.
    pub report: Option<Report>,
}
