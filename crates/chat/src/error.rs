//! Why a file could not be read at all.

use std::fmt;
use std::io;

use crate::Language;

/// A file the reader could not use at all. Anything less (odd lines, unknown notices) is a
/// [`crate::Diagnostic`] instead.
#[derive(Debug)]
pub enum ReadError {
    /// Not one line in the file starts like a WhatsApp entry.
    NotAnExport { name: String },
    /// The file (or the zip entry) could not be read.
    Io { name: String, source: io::Error },
    /// The `.zip` is not one WhatsApp makes, or is unsafe to unpack.
    Archive {
        name: String,
        problem: ArchiveProblem,
    },
}

/// What is wrong with a `.zip`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ArchiveProblem {
    /// The zip itself is damaged or of a kind we do not read (encrypted, other compression).
    Unreadable {
        reason: String,
    },
    /// No `_chat.txt` or `WhatsApp Chat with ….txt` inside.
    NoChat,
    TooManyEntries {
        entries: usize,
        limit: usize,
    },
    /// The chat would unpack to more than the limit, or far more than it is packed
    /// (a zip bomb).
    TooLarge {
        limit: u64,
    },
}

impl ReadError {
    pub fn name(&self) -> &str {
        match self {
            ReadError::NotAnExport { name }
            | ReadError::Io { name, .. }
            | ReadError::Archive { name, .. } => name,
        }
    }

    /// What happened and what was expected, in `language`, naming the file.
    pub fn message(&self, language: Language) -> String {
        let name = self.name();
        match (self, language) {
            (ReadError::NotAnExport { .. }, Language::Dutch) => format!(
                "{name}: dit is geen WhatsApp-export. Verwacht: het .txt-bestand of de .zip die WhatsApp maakt met \"Chat exporteren\", met regels als \"12-09-2025 19:34 - Naam: tekst\" (Android) of \"[12-09-2025 19:34:02] Naam: tekst\" (iPhone)."
            ),
            (ReadError::NotAnExport { .. }, _) => format!(
                "{name}: this is not a WhatsApp export. Expected: the .txt file or the .zip WhatsApp makes with \"Export chat\", with lines such as \"12/09/2025, 19:34 - Name: text\" (Android) or \"[12/09/2025, 19:34:02] Name: text\" (iPhone)."
            ),
            (ReadError::Io { source, .. }, Language::Dutch) => {
                format!("{name}: kan het bestand niet lezen: {source}")
            }
            (ReadError::Io { source, .. }, _) => {
                format!("{name}: cannot read the file: {source}")
            }
            (ReadError::Archive { problem, .. }, Language::Dutch) => match problem {
                ArchiveProblem::Unreadable { reason } => {
                    format!(
                        "{name}: de .zip is beschadigd of van een soort die erbij niet leest ({reason}). Verwacht: de .zip die WhatsApp maakt."
                    )
                }
                ArchiveProblem::NoChat => format!(
                    "{name}: in de .zip staat geen chat (_chat.txt of \"WhatsApp-chat met ….txt\"). Verwacht: de .zip die WhatsApp maakt met \"Chat exporteren\"."
                ),
                ArchiveProblem::TooManyEntries { entries, limit } => format!(
                    "{name}: de .zip bevat {entries} bestanden, meer dan de {limit} die erbij opent."
                ),
                ArchiveProblem::TooLarge { limit } => format!(
                    "{name}: de chat in de .zip pakt uit tot meer dan {limit} bytes of veel meer dan hij ingepakt is; erbij opent hem niet."
                ),
            },
            (ReadError::Archive { problem, .. }, _) => match problem {
                ArchiveProblem::Unreadable { reason } => {
                    format!(
                        "{name}: the .zip is damaged or of a kind erbij does not read ({reason}). Expected: the .zip WhatsApp makes."
                    )
                }
                ArchiveProblem::NoChat => format!(
                    "{name}: the .zip holds no chat (_chat.txt or \"WhatsApp Chat with ….txt\"). Expected: the .zip WhatsApp makes with \"Export chat\"."
                ),
                ArchiveProblem::TooManyEntries { entries, limit } => format!(
                    "{name}: the .zip holds {entries} files, more than the {limit} erbij opens."
                ),
                ArchiveProblem::TooLarge { limit } => format!(
                    "{name}: the chat in the .zip unpacks to more than {limit} bytes or far more than it is packed; erbij does not open it."
                ),
            },
        }
    }
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message(Language::English))
    }
}

impl std::error::Error for ReadError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ReadError::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}
