//! Reads WhatsApp chat exports into events.
//!
//! The reader never panics and never gives up on a file that is mostly readable:
//! it returns the events it could read and a diagnostic for every line it could not.
//! It knows nothing of pupils, classes, databases or HTTP; `erbij-detect` gives the
//! events their meaning.
//!
//! Reading is two passes over the same bytes, so memory does not grow with the file:
//! [`detect_format`] reads everything once to learn the header format, the day/month order
//! and the phone language; [`Events`] then yields one event at a time. [`read`] does both
//! for bytes already in memory. [`ExportArchive`] opens the `.zip` WhatsApp makes.
//! It does no I/O beyond reading what it is handed.

mod archive;
mod diagnostic;
mod error;
mod event;
mod format;
mod header;
mod lines;
mod message;
mod names;
mod reader;
mod summary;
mod system_lines;
mod tables;
mod text_lines;
mod time;

pub use archive::{ExportArchive, MAX_CHAT_BYTES, MAX_ENTRIES, MAX_RATIO, title_from_file_name};
pub use diagnostic::{DateOrder, Diagnostic, DiagnosticKind};
pub use error::{ArchiveProblem, ReadError};
pub use event::{Event, EventKind, LineRange, MediaKind, Message, Person, SystemEvent};
pub use format::{Format, Language, Variant, detect_format};
pub use names::is_invisible_mark;
pub use reader::{Events, MAX_DIAGNOSTICS};
pub use summary::{ChatSummary, MembershipChange};
pub use time::LocalDateTime;

/// A whole export read into memory: for tests and small inputs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chat {
    pub format: Format,
    pub events: Vec<Event>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Reads an export held in memory (both passes). Fails only when nothing in it is a
/// WhatsApp export.
pub fn read(bytes: &[u8]) -> Result<Chat, ReadError> {
    read_named(bytes, "chat")
}

/// Like [`read`], naming the input in the error.
pub fn read_named(bytes: &[u8], name: &str) -> Result<Chat, ReadError> {
    let format = detect_format(bytes, name)?;
    let mut events = Events::new(bytes, &format);
    let collected: Vec<Event> = events.by_ref().collect();
    Ok(Chat {
        format,
        events: collected,
        diagnostics: events.into_diagnostics(),
    })
}
