//! What can go wrong reading a download, said in Dutch (for teachers) and English.
//!
//! Errors stop the reading of one download; diagnostics are things worth knowing about a
//! download that was read.

use std::fmt;

use crate::Platform;

/// The language of a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Language {
    #[default]
    Dutch,
    English,
}

/// Why a download could not be read at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadError {
    /// The zip could not be opened: damaged, not a zip, or cut off while downloading.
    DamagedZip { file: String, detail: String },
    /// The zip lists more entries than any real download holds.
    TooManyEntries {
        file: String,
        count: usize,
        limit: usize,
    },
    /// The download was made in HTML; we read only JSON.
    HtmlVariant { platform: Platform },
    /// TikTok's plain-text (`.txt`) download; we read only JSON.
    TextVariant { platform: Platform },
    /// A JSON entry is larger than we read into memory.
    EntryTooLarge { entry: String, limit: u64 },
    /// A needed entry could not be read or inflated.
    EntryDamaged { entry: String, detail: String },
    /// A needed entry is password-protected.
    EntryEncrypted { entry: String },
    /// A needed entry is not valid JSON.
    InvalidJson {
        entry: String,
        line: usize,
        column: usize,
        detail: String,
    },
    /// Nothing in the input is an Instagram or TikTok follower list; `found` says what was
    /// there (a few entry names or JSON keys), so a teacher can see what was handed in.
    NotADownload { found: Vec<String> },
    /// A follower file of a known kind whose structure is not the one we know; `found`
    /// lists the keys or value kinds we saw instead.
    UnexpectedStructure { entry: String, found: Vec<String> },
}

impl ReadError {
    pub fn message(&self, language: Language) -> String {
        use Language::{Dutch, English};
        match (self, language) {
            (ReadError::DamagedZip { file, detail }, Dutch) => format!(
                "{file} is geen leesbaar zip-bestand ({detail}). Is het helemaal gedownload? \
                 Download het opnieuw, of geef de uitgepakte map."
            ),
            (ReadError::DamagedZip { file, detail }, English) => format!(
                "{file} is not a readable zip file ({detail}). Was it downloaded completely? \
                 Download it again, or hand in the unpacked folder."
            ),
            (ReadError::TooManyEntries { file, count, limit }, Dutch) => format!(
                "{file} bevat {count} bestanden, meer dan de {limit} die een echte download \
                 heeft; erbij leest het niet."
            ),
            (ReadError::TooManyEntries { file, count, limit }, English) => format!(
                "{file} holds {count} files, more than the {limit} a real download has; \
                 erbij does not read it."
            ),
            (ReadError::HtmlVariant { platform }, Dutch) => format!(
                "Dit is de HTML-versie van de {platform}-download. erbij leest alleen de \
                 JSON-versie: vraag de download opnieuw aan en kies bij 'Indeling' JSON \
                 (bij Instagram: Accountcentrum > Je informatie downloaden)."
            ),
            (ReadError::HtmlVariant { platform }, English) => format!(
                "This is the HTML version of the {platform} download. erbij reads only the \
                 JSON version: request the download again and choose JSON as the format \
                 (Instagram: Accounts Center > Download your information)."
            ),
            (ReadError::TextVariant { platform }, Dutch) => format!(
                "Dit is de tekstversie (TXT) van de {platform}-download. erbij leest alleen \
                 de JSON-versie: vraag de download opnieuw aan en kies JSON als bestandsindeling."
            ),
            (ReadError::TextVariant { platform }, English) => format!(
                "This is the text (TXT) version of the {platform} download. erbij reads only \
                 the JSON version: request the download again and choose JSON as the file format."
            ),
            (ReadError::EntryTooLarge { entry, limit }, Dutch) => format!(
                "{entry} is groter dan {} MB; zo'n groot bestand leest erbij niet in. \
                 Vraag een download aan met alleen 'Volgers en gevolgd' (Instagram) of \
                 alleen het profiel en de activiteit (TikTok).",
                limit / (1024 * 1024)
            ),
            (ReadError::EntryTooLarge { entry, limit }, English) => format!(
                "{entry} is larger than {} MB; erbij does not read a file that large. \
                 Request a download with only 'Followers and following' (Instagram) or \
                 only the profile and activity (TikTok).",
                limit / (1024 * 1024)
            ),
            (ReadError::EntryDamaged { entry, detail }, Dutch) => {
                format!("{entry} kon niet gelezen worden ({detail}); is de download beschadigd?")
            }
            (ReadError::EntryDamaged { entry, detail }, English) => {
                format!("{entry} could not be read ({detail}); is the download damaged?")
            }
            (ReadError::EntryEncrypted { entry }, Dutch) => format!(
                "{entry} is met een wachtwoord beveiligd; geef de download zonder wachtwoord."
            ),
            (ReadError::EntryEncrypted { entry }, English) => {
                format!("{entry} is password-protected; hand in the download without a password.")
            }
            (
                ReadError::InvalidJson {
                    entry,
                    line,
                    column,
                    detail,
                },
                Dutch,
            ) => format!(
                "{entry}, regel {line}, kolom {column}: geen geldige JSON ({detail}). \
                 Is het bestand afgekapt of met de hand bewerkt?"
            ),
            (
                ReadError::InvalidJson {
                    entry,
                    line,
                    column,
                    detail,
                },
                English,
            ) => format!(
                "{entry}, line {line}, column {column}: not valid JSON ({detail}). \
                 Was the file cut off or edited by hand?"
            ),
            (ReadError::NotADownload { found }, Dutch) => format!(
                "Dit is geen Instagram- of TikTok-download met volgers (gevonden: {}). \
                 Geef de JSON-download van Instagram (map followers_and_following) of \
                 TikTok (user_data.json).",
                found_list(found, "niets")
            ),
            (ReadError::NotADownload { found }, English) => format!(
                "This is not an Instagram or TikTok download with followers (found: {}). \
                 Hand in the JSON download of Instagram (folder followers_and_following) or \
                 TikTok (user_data.json).",
                found_list(found, "nothing")
            ),
            (ReadError::UnexpectedStructure { entry, found }, Dutch) => format!(
                "{entry} heeft een opbouw die erbij niet kent (gevonden: {}); erbij raadt \
                 niet. Meld dit, met deze melding, aan de beheerder van erbij.",
                found_list(found, "niets")
            ),
            (ReadError::UnexpectedStructure { entry, found }, English) => format!(
                "{entry} has a structure erbij does not know (found: {}); erbij does not \
                 guess. Report this, with this message, to erbij's maintainers.",
                found_list(found, "nothing")
            ),
        }
    }
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message(Language::Dutch))
    }
}

impl std::error::Error for ReadError {}

/// Something worth knowing about a download that was read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The entry (file inside the download) it concerns, if one.
    pub entry: Option<String>,
    /// The 1-based position in that entry's list, if one.
    pub position: Option<usize>,
    pub kind: DiagnosticKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DiagnosticKind {
    /// A list item without an account name: left out.
    EntryWithoutName,
    /// A list item without a (readable) date: kept, without a date.
    EntryWithoutTime,
    /// The name came from the profile link, not from a name field.
    NameFromLink,
    /// The download holds no list of followers (not requested, or another layout).
    NoFollowers,
    /// The download holds no list of accounts followed.
    NoFollowing,
    /// The download does not say whose account it is.
    OwnerUnknown,
    /// A path in the zip was left out (it tried to leave the folder, or was unreadable).
    PathSkipped { path: String },
    /// A JSON section we looked in held something unexpected; `found` says what.
    SectionNotUnderstood { section: String, found: Vec<String> },
    /// The same account appears twice in one list; counted once.
    Duplicate { account: String },
}

impl Diagnostic {
    pub fn message(&self, language: Language) -> String {
        use Language::{Dutch, English};
        let place = match (&self.entry, self.position, language) {
            (Some(entry), Some(position), Dutch) => format!("{entry}, item {position}: "),
            (Some(entry), Some(position), English) => format!("{entry}, entry {position}: "),
            (Some(entry), None, _) => format!("{entry}: "),
            (None, _, _) => String::new(),
        };
        let text = match (&self.kind, language) {
            (DiagnosticKind::EntryWithoutName, Dutch) => "geen accountnaam; overgeslagen".into(),
            (DiagnosticKind::EntryWithoutName, English) => "no account name; skipped".into(),
            (DiagnosticKind::EntryWithoutTime, Dutch) => {
                "geen leesbare datum; meegenomen zonder datum".into()
            }
            (DiagnosticKind::EntryWithoutTime, English) => {
                "no readable date; kept without a date".into()
            }
            (DiagnosticKind::NameFromLink, Dutch) => {
                "accountnaam uit de profiellink gehaald (geen naamveld)".into()
            }
            (DiagnosticKind::NameFromLink, English) => {
                "account name taken from the profile link (no name field)".into()
            }
            (DiagnosticKind::NoFollowers, Dutch) => {
                "de download bevat geen lijst met volgers".into()
            }
            (DiagnosticKind::NoFollowers, English) => {
                "the download holds no list of followers".into()
            }
            (DiagnosticKind::NoFollowing, Dutch) => {
                "de download bevat geen lijst met gevolgde accounts; 'volgt niet terug' kan \
                 niet bepaald worden"
                    .into()
            }
            (DiagnosticKind::NoFollowing, English) => {
                "the download holds no list of accounts followed; 'does not follow back' \
                 cannot be determined"
                    .into()
            }
            (DiagnosticKind::OwnerUnknown, Dutch) => {
                "de download zegt niet van welk account hij is".into()
            }
            (DiagnosticKind::OwnerUnknown, English) => {
                "the download does not say whose account it is".into()
            }
            (DiagnosticKind::PathSkipped { path }, Dutch) => {
                format!("bestand {path} in de zip overgeslagen (ongeldig pad)")
            }
            (DiagnosticKind::PathSkipped { path }, English) => {
                format!("file {path} in the zip skipped (invalid path)")
            }
            (DiagnosticKind::SectionNotUnderstood { section, found }, Dutch) => format!(
                "onderdeel '{section}' niet begrepen (gevonden: {})",
                found_list(found, "niets")
            ),
            (DiagnosticKind::SectionNotUnderstood { section, found }, English) => format!(
                "section '{section}' not understood (found: {})",
                found_list(found, "nothing")
            ),
            (DiagnosticKind::Duplicate { account }, Dutch) => {
                format!("account {account} staat er twee keer in; één keer geteld")
            }
            (DiagnosticKind::Duplicate { account }, English) => {
                format!("account {account} appears twice; counted once")
            }
        };
        format!("{place}{text}")
    }
}

fn found_list(found: &[String], nothing: &str) -> String {
    if found.is_empty() {
        return nothing.to_owned();
    }
    const SHOWN: usize = 8;
    let mut text = found
        .iter()
        .take(SHOWN)
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join(", ");
    if found.len() > SHOWN {
        text.push_str(&format!(", … (+{})", found.len() - SHOWN));
    }
    text
}
