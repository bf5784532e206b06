//! The typed events of a chat export.
//!
//! Events own their text, so a caller can keep what it needs while the reader streams on;
//! every event carries the 1-based source lines it came from and the raw text of those
//! lines, which is the evidence a teacher is shown.

use crate::LocalDateTime;

/// 1-based, inclusive range of lines in the file as handed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LineRange {
    pub first: u32,
    pub last: u32,
}

impl LineRange {
    pub fn single(line: u32) -> Self {
        LineRange {
            first: line,
            last: line,
        }
    }
}

/// Someone named in an export: a contact name or phone number as the exporter's phone
/// shows it, or the exporter themself (`u`, `U hebt`, `Je hebt`, `You`), whose own name the
/// file never states.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Person {
    Exporter,
    /// Bidi and invisible marks stripped, whitespace trimmed; otherwise as written.
    Named(String),
}

impl Person {
    /// The name as written, or `None` for the exporter.
    pub fn name(&self) -> Option<&str> {
        match self {
            Person::Exporter => None,
            Person::Named(name) => Some(name),
        }
    }
}

/// What kind of attachment a message stood for. Exports list media, they never hold it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MediaKind {
    /// `<Media weggelaten>` / `<Media omitted>`: exported without media, kind unknown.
    Omitted,
    Image,
    Video,
    Audio,
    Sticker,
    Gif,
    Document,
    Contact,
    Location,
    /// Attached, but of a kind the file name does not tell.
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub author: Person,
    /// The message text, lines joined with `\n`; placeholders (`Dit bericht is verwijderd`,
    /// `<Media weggelaten>`) are kept as written.
    pub text: String,
    pub media: Option<MediaKind>,
    /// The message was deleted (`Dit bericht is verwijderd`, `U hebt dit bericht verwijderd.`,
    /// `This message was deleted`).
    pub deleted: bool,
    /// The export marked the message as edited (`<Dit bericht is bewerkt>`, `<This message was edited>`).
    pub edited: bool,
}

/// A line WhatsApp wrote itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SystemEvent {
    /// The group was made; Android names it (`heeft de groep X gemaakt`), iPhone does not.
    Created {
        by: Person,
        group: Option<String>,
    },
    /// One or more people added (`A, B en C`).
    Added {
        by: Person,
        who: Vec<Person>,
    },
    /// One or more people removed by someone.
    Removed {
        by: Person,
        who: Vec<Person>,
    },
    Left {
        who: Person,
    },
    /// Joined through the group's invite link.
    JoinedViaLink {
        who: Person,
    },
    /// Joined by accepting an invitation (`neemt deel via uw uitnodiging`).
    JoinedViaInvite {
        who: Person,
    },
    /// The group's name changed; `from` is only known where WhatsApp wrote it.
    SubjectChanged {
        by: Person,
        from: Option<String>,
        to: String,
    },
    IconChanged {
        by: Person,
    },
    IconDeleted {
        by: Person,
    },
    DescriptionChanged {
        by: Person,
    },
    /// Someone became (or stopped being) an admin.
    AdminChanged {
        who: Person,
        admin: bool,
    },
    /// `X heeft zijn/haar nummer gewijzigd naar Y` / `X changed to Y`.
    NumberChanged {
        who: Person,
        new: Option<Person>,
    },
    /// The end-to-end encryption notice at the top of every export.
    EncryptionNotice,
    /// A line WhatsApp wrote that no table knows (yet); kept, with a diagnostic.
    Unknown {
        text: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EventKind {
    Message(Message),
    System(SystemEvent),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    pub time: LocalDateTime,
    pub lines: LineRange,
    /// The source lines exactly as in the file (line breaks normalised to `\n`): the evidence.
    pub raw: String,
    pub kind: EventKind,
}

/// Something the reader noticed that a person may need to know: an unknown system line, a
/// timestamp that goes backwards, an undecidable day/month order, a line it could not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// 1-based line, or `None` for the file as a whole.
    pub line: Option<u32>,
    pub message: String,
}
