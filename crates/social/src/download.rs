//! What a download holds once read, and how we tell which kind it is: by what is inside,
//! never by what the file handed in is called.

use std::collections::HashSet;
use std::fmt;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::Arc;

use crate::error::{Diagnostic, DiagnosticKind, ReadError};
use crate::outline::{self, Outline};
use crate::source::{DownloadSource, EntryError, EntryInfo, MAX_JSON_ENTRY_BYTES};
use crate::time::Moment;
use crate::{instagram, tiktok};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Platform {
    Instagram,
    TikTok,
}

impl Platform {
    /// The prefix in a roster's `accounts` column: `instagram:mila.devries`.
    pub fn roster_key(self) -> &'static str {
        match self {
            Platform::Instagram => "instagram",
            Platform::TikTok => "tiktok",
        }
    }

    pub fn from_roster_key(key: &str) -> Option<Platform> {
        match key.trim().to_ascii_lowercase().as_str() {
            "instagram" | "insta" | "ig" => Some(Platform::Instagram),
            "tiktok" | "tik tok" | "tt" => Some(Platform::TikTok),
            _ => None,
        }
    }
}

impl fmt::Display for Platform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Platform::Instagram => "Instagram",
            Platform::TikTok => "TikTok",
        })
    }
}

/// An account name as both platforms treat it: without `@`, case-insensitive.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct AccountName(String);

impl AccountName {
    /// `None` for an empty name.
    pub fn new(raw: &str) -> Option<AccountName> {
        let name = raw
            .trim()
            .trim_start_matches('@')
            .trim_matches(|c: char| c.is_whitespace() || erbij_chat::is_invisible_mark(c))
            .to_lowercase();
        (!name.is_empty()).then_some(AccountName(name))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for AccountName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Which way a relationship points, seen from the download's owner.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    /// The account follows the owner.
    Follower,
    /// The owner follows the account.
    Following,
}

/// One item of a follower or following list, with where it was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Relationship {
    pub account: AccountName,
    /// When the follow began, as the download says. Downloads never say when one ended.
    pub since: Option<Moment>,
    /// The entry (file inside the download, and for TikTok the section) it was read
    /// from; shared by every item of that list.
    pub entry: Arc<str>,
    /// 1-based position in that entry's list.
    pub position: usize,
}

/// Finds accounts listed twice without keeping a second copy of every name: a set of
/// hashes, and a look at the list itself only when a hash was seen before.
#[derive(Debug, Default)]
pub(crate) struct DuplicateCheck {
    hashes: HashSet<u64>,
}

impl DuplicateCheck {
    pub(crate) fn is_duplicate(&mut self, account: &AccountName, list: &[Relationship]) -> bool {
        let mut hasher = DefaultHasher::new();
        account.hash(&mut hasher);
        !self.hashes.insert(hasher.finish()) && list.iter().any(|r| &r.account == account)
    }
}

/// Where `Download::made_at` came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MadeAtSource {
    /// The newest entry time in the zip: roughly when the platform packed it (zone-less;
    /// read as Dutch time, so up to two hours off).
    ZipEntryTimes,
    /// Given by the caller (e.g. read from the files' own metadata).
    Caller,
}

/// A data download, read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Download {
    pub platform: Platform,
    /// Whose account it is, when the download says so.
    pub owner: Option<AccountName>,
    pub made_at: Option<(Moment, MadeAtSource)>,
    /// `None` when the download holds no follower list at all (not the same as empty).
    pub followers: Option<Vec<Relationship>>,
    pub following: Option<Vec<Relationship>>,
    pub diagnostics: Vec<Diagnostic>,
}

impl Download {
    /// The newest follow-start time in the download: it was made no earlier than this.
    pub fn newest_entry_time(&self) -> Option<Moment> {
        self.followers
            .iter()
            .chain(self.following.iter())
            .flatten()
            .filter_map(|r| r.since)
            .max()
    }

    pub fn follower(&self, account: &AccountName) -> Option<&Relationship> {
        self.followers
            .as_deref()
            .and_then(|list| list.iter().find(|r| &r.account == account))
    }

    pub fn followed(&self, account: &AccountName) -> Option<&Relationship> {
        self.following
            .as_deref()
            .and_then(|list| list.iter().find(|r| &r.account == account))
    }
}

/// Whether bytes look like a download we read, without reading it: for the `erbij`
/// binary, to tell a download from a chat export by content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sniffed {
    /// Starts like JSON (object or array).
    Json,
    /// Starts like HTML.
    Html,
    /// A zip's local header.
    Zip,
    Other,
}

/// Looks at the first bytes only (a few hundred are enough).
pub fn sniff(head: &[u8]) -> Sniffed {
    if head.starts_with(b"PK\x03\x04") || head.starts_with(b"PK\x05\x06") {
        return Sniffed::Zip;
    }
    let text = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let mut significant = text.iter().copied().filter(|b| !b.is_ascii_whitespace());
    // The second character matters: an iPhone chat export starts with `[12-09-2025 ...`,
    // a JSON array of ours with `[{` (or `[]`), an object with `{"` (or `{}`).
    match (significant.next(), significant.next()) {
        (Some(b'{'), Some(b'"' | b'}')) | (Some(b'['), Some(b'{' | b']')) => Sniffed::Json,
        (Some(b'<'), Some(b'!' | b'h' | b'H' | b'?')) => Sniffed::Html,
        _ => Sniffed::Other,
    }
}

/// Whether a zip's or folder's entries are laid out like a download of Instagram or TikTok
/// (any variant, so that the HTML and TXT ones get their own message): for the `erbij`
/// binary, to tell a download from a chat export's zip before reading anything.
pub fn is_download_layout(entries: &[EntryInfo]) -> bool {
    entries.iter().any(|e| {
        instagram::is_relationship_file(e)
            || instagram::is_html_relationship_file(e)
            || tiktok::is_user_data_file(e)
            || tiktok::is_text_download_file(e)
    }) || mentions_instagram(entries)
}

/// The top-level folders of an Instagram download (2023 on), as public parsers list them.
const INSTAGRAM_TOP_FOLDERS: &[&str] = &[
    "ads_information",
    "apps_and_websites_off_of_instagram",
    "connections",
    "logged_information",
    "media",
    "personal_information",
    "preferences",
    "security_and_login_information",
    "your_instagram_activity",
];

/// Whether one path inside a zip looks like part of an Instagram or TikTok download: for
/// a damaged zip, whose list of entries cannot be read but whose first entry's name can.
pub fn is_download_path(path: &str) -> bool {
    let path = path.replace('\\', "/");
    let top = path.split('/').next().unwrap_or("");
    let entry = EntryInfo {
        path: path.clone(),
        size: 0,
    };
    INSTAGRAM_TOP_FOLDERS.contains(&top) || is_download_layout(std::slice::from_ref(&entry))
}

/// Whether the first bytes of a lone text file look like TikTok's TXT follower list.
pub fn is_tiktok_text_list(head: &[u8]) -> bool {
    tiktok::looks_like_text_download(head)
}

/// Reads a download from its entries: an Instagram JSON download (zip or folder, or a
/// single follower file), or a TikTok JSON download (`user_data.json`, zipped or not).
pub fn read_download(source: &mut dyn DownloadSource) -> Result<Download, ReadError> {
    let mut diagnostics: Vec<Diagnostic> = source
        .skipped_paths()
        .iter()
        .map(|path| Diagnostic {
            entry: None,
            position: None,
            kind: DiagnosticKind::PathSkipped { path: path.clone() },
        })
        .collect();
    let made_at = source.made_at();
    let entries: Vec<EntryInfo> = source.entries().to_vec();
    let mut download = if let [single] = entries.as_slice() {
        read_single_file(source, single)?
    } else {
        read_many_files(source, &entries)?
    };
    if download.made_at.is_none() {
        download.made_at = made_at;
    }
    diagnostics.append(&mut download.diagnostics);
    download.diagnostics = diagnostics;
    Ok(download)
}

fn read_single_file(
    source: &mut dyn DownloadSource,
    entry: &EntryInfo,
) -> Result<Download, ReadError> {
    let bytes = read_entry(source, &entry.path)?;
    match sniff(&bytes[..bytes.len().min(512)]) {
        Sniffed::Json => {}
        Sniffed::Html => return Err(html_error(&bytes, &entry.path)),
        Sniffed::Zip => {
            return Err(ReadError::NotADownload {
                found: vec![format!("{} (zip in zip)", entry.path)],
            });
        }
        Sniffed::Other if tiktok::looks_like_text_download(&bytes) => {
            return Err(ReadError::TextVariant {
                platform: Platform::TikTok,
            });
        }
        Sniffed::Other => {
            return Err(ReadError::NotADownload {
                found: vec![entry.path.clone()],
            });
        }
    }
    let outline = parse_outline(&bytes, &entry.path)?;
    drop(bytes);
    if instagram::is_relationship_outline(&outline) {
        return instagram::read_single(outline, entry);
    }
    tiktok::read(outline, &entry.path)
}

fn read_many_files(
    source: &mut dyn DownloadSource,
    entries: &[EntryInfo],
) -> Result<Download, ReadError> {
    if entries.iter().any(instagram::is_relationship_file) {
        return instagram::read(source, entries);
    }
    if entries.iter().any(instagram::is_html_relationship_file) {
        return Err(ReadError::HtmlVariant {
            platform: Platform::Instagram,
        });
    }
    if let Some(user_data) = entries.iter().find(|e| tiktok::is_user_data_file(e)) {
        let bytes = read_entry(source, &user_data.path)?;
        if sniff(&bytes[..bytes.len().min(512)]) == Sniffed::Html {
            return Err(ReadError::HtmlVariant {
                platform: Platform::TikTok,
            });
        }
        let outline = parse_outline(&bytes, &user_data.path)?;
        drop(bytes);
        return tiktok::read(outline, &user_data.path);
    }
    if entries.iter().any(tiktok::is_text_download_file) {
        return Err(ReadError::TextVariant {
            platform: Platform::TikTok,
        });
    }
    if entries.iter().any(|e| e.file_name().ends_with(".html")) && mentions_instagram(entries) {
        return Err(ReadError::HtmlVariant {
            platform: Platform::Instagram,
        });
    }
    Err(ReadError::NotADownload {
        found: entries.iter().take(8).map(|e| e.path.clone()).collect(),
    })
}

fn mentions_instagram(entries: &[EntryInfo]) -> bool {
    entries.iter().any(|e| {
        e.path.contains("your_instagram_activity") || e.path.contains("followers_and_following")
    })
}

fn html_error(bytes: &[u8], path: &str) -> ReadError {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(64 * 1024)]).to_lowercase();
    if head.contains("instagram") {
        ReadError::HtmlVariant {
            platform: Platform::Instagram,
        }
    } else if head.contains("tiktok") {
        ReadError::HtmlVariant {
            platform: Platform::TikTok,
        }
    } else {
        ReadError::NotADownload {
            found: vec![format!("{path} (HTML)")],
        }
    }
}

/// Reads one entry within [`MAX_JSON_ENTRY_BYTES`], turning source errors into messages.
pub(crate) fn read_entry(
    source: &mut dyn DownloadSource,
    path: &str,
) -> Result<Vec<u8>, ReadError> {
    source
        .read(path, MAX_JSON_ENTRY_BYTES)
        .map_err(|err| match err {
            EntryError::TooLarge { limit } => ReadError::EntryTooLarge {
                entry: path.to_owned(),
                limit,
            },
            EntryError::Encrypted => ReadError::EntryEncrypted {
                entry: path.to_owned(),
            },
            EntryError::Damaged(detail) => ReadError::EntryDamaged {
                entry: path.to_owned(),
                detail,
            },
            EntryError::NotFound => ReadError::EntryDamaged {
                entry: path.to_owned(),
                detail: "not found".to_owned(),
            },
        })
}

pub(crate) fn parse_outline(bytes: &[u8], path: &str) -> Result<Outline, ReadError> {
    outline::parse(bytes).map_err(|err| json_error(&err, path))
}

pub(crate) fn json_error(err: &serde_json::Error, path: &str) -> ReadError {
    ReadError::InvalidJson {
        entry: path.to_owned(),
        line: err.line(),
        column: err.column(),
        detail: match err.classify() {
            serde_json::error::Category::Eof => {
                "het bestand houdt midden in op / ends early".into()
            }
            serde_json::error::Category::Syntax => "syntaxfout / syntax error".into(),
            serde_json::error::Category::Data => "onverwachte waarde / unexpected value".into(),
            serde_json::error::Category::Io => "leesfout / read error".into(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffing_tells_json_and_html_from_chat_exports() {
        assert_eq!(sniff(b"[\n  {\"title\": \"\"}]"), Sniffed::Json);
        assert_eq!(sniff(b"\xEF\xBB\xBF{\"Activity\": {}}"), Sniffed::Json);
        assert_eq!(sniff(b"[]"), Sniffed::Json);
        assert_eq!(sniff(b"<!DOCTYPE html><html>"), Sniffed::Html);
        assert_eq!(sniff(b"<html lang=\"nl\">"), Sniffed::Html);
        assert_eq!(sniff(b"PK\x03\x04rest"), Sniffed::Zip);
        // iPhone and Android chat exports.
        assert_eq!(sniff(b"[12-09-2025 19:34:02] Jan: hoi"), Sniffed::Other);
        assert_eq!(sniff(b"02-05-2022 16:08 - Naam: tekst"), Sniffed::Other);
        assert_eq!(
            sniff(b"\xE2\x80\x8E[02-05-2022 16:08:13] Naam: tekst"),
            Sniffed::Other
        );
        assert_eq!(sniff(b"<Media weggelaten>"), Sniffed::Other);
    }
}
