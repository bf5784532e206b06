//! The `.zip` WhatsApp makes: one chat text and the media, listed, never unpacked.
//!
//! Entries are never written anywhere, so path tricks (`../`, absolute names) cannot reach
//! the disk; only the chat entry is decompressed, through a reader that stops at a size limit
//! and at an implausible compression ratio (zip bombs).

use std::io::{self, Read, Seek};

use crate::error::{ArchiveProblem, ReadError};

/// More entries than this is not a chat export (a year of a busy class group with media has
/// a few thousand).
pub const MAX_ENTRIES: usize = 100_000;
/// The chat text may unpack to at most this many bytes.
pub const MAX_CHAT_BYTES: u64 = 4 << 30;
/// Text deflates about 3–10 times; far beyond that is a bomb.
pub const MAX_RATIO: u64 = 200;

/// An opened export `.zip`.
#[derive(Debug)]
pub struct ExportArchive<R> {
    zip: zip::ZipArchive<R>,
    name: String,
    chat_index: usize,
    chat_entry: String,
    chat_size: u64,
    media: Vec<String>,
}

fn unreadable(name: &str, err: impl std::fmt::Display) -> ReadError {
    ReadError::Archive {
        name: name.to_owned(),
        problem: ArchiveProblem::Unreadable {
            reason: err.to_string(),
        },
    }
}

/// The file part of an entry name (`folder/_chat.txt` -> `_chat.txt`).
fn base_name(entry: &str) -> &str {
    entry.rsplit(['/', '\\']).next().unwrap_or(entry)
}

/// The group or contact name in an export's file name, as WhatsApp names the file it
/// shares: `WhatsApp-chat met Klas 2B.txt`, `WhatsApp Chat with Klas 2B.zip`,
/// `WhatsApp Chat - Klas 2B.zip` (iPhone); a copy's ` (1)` is dropped. `None` for any other
/// name (`_chat.txt`, a name the pupil chose).
pub fn title_from_file_name(name: &str) -> Option<String> {
    let base = base_name(name);
    let lower = base.to_ascii_lowercase();
    let stem = if lower.ends_with(".txt") || lower.ends_with(".zip") {
        &base[..base.len() - 4]
    } else {
        base
    };
    let stem = match stem.rsplit_once(" (") {
        Some((before, copy))
            if copy.ends_with(')')
                && copy.len() > 1
                && copy[..copy.len() - 1].bytes().all(|b| b.is_ascii_digit()) =>
        {
            before
        }
        _ => stem,
    };
    [
        "WhatsApp Chat with ",
        "WhatsApp-chat met ",
        "WhatsApp Chat - ",
        "WhatsApp-Chat mit ",
        "WhatsApp Chat mit ",
    ]
    .iter()
    .find_map(|p| stem.strip_prefix(p))
    .map(str::trim)
    .filter(|t| !t.is_empty())
    .map(str::to_owned)
}

fn is_chat_name(base: &str) -> bool {
    base == "_chat.txt"
        || (base.ends_with(".txt")
            && (base.starts_with("WhatsApp Chat with ")
                || base.starts_with("WhatsApp-chat met ")
                || base.starts_with("WhatsApp Chat - ")))
}

impl<R: Read + Seek> ExportArchive<R> {
    /// Opens the archive and finds its chat; `name` is used in errors.
    pub fn open(reader: R, name: &str) -> Result<Self, ReadError> {
        let mut zip = zip::ZipArchive::new(reader).map_err(|e| unreadable(name, e))?;
        if zip.len() > MAX_ENTRIES {
            return Err(ReadError::Archive {
                name: name.to_owned(),
                problem: ArchiveProblem::TooManyEntries {
                    entries: zip.len(),
                    limit: MAX_ENTRIES,
                },
            });
        }
        let mut chat: Option<(usize, String, u64, u64)> = None;
        let mut fallback: Option<(usize, String, u64, u64)> = None;
        let mut media = Vec::new();
        for i in 0..zip.len() {
            let entry = zip.by_index_raw(i).map_err(|e| unreadable(name, e))?;
            if entry.is_dir() {
                continue;
            }
            let entry_name = entry.name().to_owned();
            let found = (i, entry_name.clone(), entry.size(), entry.compressed_size());
            let base = base_name(&entry_name);
            if chat.is_none() && is_chat_name(base) {
                chat = Some(found);
            } else {
                if fallback.is_none() && base.ends_with(".txt") {
                    fallback = Some(found);
                }
                media.push(entry_name);
            }
        }
        let Some((chat_index, chat_entry, size, compressed)) = chat.or(fallback) else {
            return Err(ReadError::Archive {
                name: name.to_owned(),
                problem: ArchiveProblem::NoChat,
            });
        };
        media.retain(|m| *m != chat_entry);
        if size > MAX_CHAT_BYTES || size > compressed.saturating_mul(MAX_RATIO).max(1 << 20) {
            return Err(ReadError::Archive {
                name: name.to_owned(),
                problem: ArchiveProblem::TooLarge {
                    limit: MAX_CHAT_BYTES,
                },
            });
        }
        Ok(ExportArchive {
            zip,
            name: name.to_owned(),
            chat_index,
            chat_entry,
            chat_size: size,
            media,
        })
    }

    /// The chat entry's name inside the zip.
    pub fn chat_entry(&self) -> &str {
        &self.chat_entry
    }

    /// The group or contact name in the entry name (`WhatsApp Chat with Klas 2B.txt`).
    pub fn chat_title(&self) -> Option<String> {
        title_from_file_name(&self.chat_entry)
    }

    /// Every other file in the zip (photos, voice notes, documents), by name; not read.
    pub fn media(&self) -> &[String] {
        &self.media
    }

    /// A reader of the chat text, stopping with an error past its declared size.
    pub fn chat_reader(&mut self) -> Result<impl Read + '_, ReadError> {
        let limit = self.chat_size;
        let name = self.name.clone();
        let entry = self
            .zip
            .by_index(self.chat_index)
            .map_err(|e| unreadable(&name, e))?;
        Ok(Limited {
            inner: entry,
            left: limit,
        })
    }
}

/// Errors (rather than silently stopping) when an entry unpacks to more than it declared.
struct Limited<R> {
    inner: R,
    left: u64,
}

impl<R: Read> Read for Limited<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.left == 0 {
            let mut probe = [0u8; 1];
            return match self.inner.read(&mut probe)? {
                0 => Ok(0),
                _ => Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    "zip entry is larger than it declares",
                )),
            };
        }
        let max = usize::try_from(self.left)
            .unwrap_or(usize::MAX)
            .min(buf.len());
        let n = self.inner.read(&mut buf[..max])?;
        self.left -= n as u64;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::title_from_file_name as t;

    #[test]
    fn titles_from_file_names() {
        assert_eq!(
            t("WhatsApp-chat met Feestje zonder Mila.txt").as_deref(),
            Some("Feestje zonder Mila")
        );
        assert_eq!(
            t("/tmp/x/WhatsApp Chat - Feestje zonder Mila 🎉.zip").as_deref(),
            Some("Feestje zonder Mila 🎉")
        );
        assert_eq!(
            t("WhatsApp Chat with Klas 2B (1).zip").as_deref(),
            Some("Klas 2B")
        );
        assert_eq!(
            t("WhatsApp Chat with Klas (2B).txt").as_deref(),
            Some("Klas (2B)")
        );
        assert_eq!(t("_chat.txt"), None);
        assert_eq!(t("mijn chat.txt"), None);
    }
}
