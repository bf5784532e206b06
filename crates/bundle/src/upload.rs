//! What an uploaded evidence file is, decided by its bytes (magic numbers), not by the name
//! alone: a `.png` that is not a PNG is refused, a zip that would inflate far beyond its
//! size (a zip bomb) is refused, and the name is reduced to a plain file name.

use std::io::{Cursor, Read};

/// The kinds of evidence a case takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FileKind {
    Png,
    Jpeg,
    Heic,
    Pdf,
    /// An e-mail as saved by a mail program (`.eml`).
    Email,
    /// A chat export as text (`.txt`).
    ChatText,
    /// A zip: a WhatsApp export with media, or an Instagram/TikTok download.
    Zip,
    /// A single JSON file of a data download.
    Json,
}

impl FileKind {
    pub const ALL: [FileKind; 8] = [
        FileKind::Png,
        FileKind::Jpeg,
        FileKind::Heic,
        FileKind::Pdf,
        FileKind::Email,
        FileKind::ChatText,
        FileKind::Zip,
        FileKind::Json,
    ];

    /// The contract name (database, API).
    pub fn as_str(self) -> &'static str {
        match self {
            FileKind::Png => "png",
            FileKind::Jpeg => "jpeg",
            FileKind::Heic => "heic",
            FileKind::Pdf => "pdf",
            FileKind::Email => "eml",
            FileKind::ChatText => "txt",
            FileKind::Zip => "zip",
            FileKind::Json => "json",
        }
    }

    pub fn parse(raw: &str) -> Option<FileKind> {
        FileKind::ALL.into_iter().find(|k| k.as_str() == raw)
    }

    /// The media type the content endpoint answers with.
    pub fn media_type(self) -> &'static str {
        match self {
            FileKind::Png => "image/png",
            FileKind::Jpeg => "image/jpeg",
            FileKind::Heic => "image/heic",
            FileKind::Pdf => "application/pdf",
            FileKind::Email => "message/rfc822",
            FileKind::ChatText => "text/plain; charset=utf-8",
            FileKind::Zip => "application/zip",
            FileKind::Json => "application/json",
        }
    }

    /// Whether the analysis reads it (chat exports and data downloads).
    pub fn is_analysable(self) -> bool {
        matches!(self, FileKind::ChatText | FileKind::Zip | FileKind::Json)
    }

    pub fn is_image(self) -> bool {
        matches!(self, FileKind::Png | FileKind::Jpeg | FileKind::Heic)
    }
}

/// Why a file is refused; each has a message key in `evidence.ftl`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    Empty,
    /// The extension is not one we take.
    UnknownType,
    /// The name says one kind, the bytes another (a fake PNG).
    ContentMismatch,
    /// A zip that inflates far beyond its size, or lists too much.
    ZipBomb,
    /// A zip whose directory cannot be read.
    DamagedZip,
    /// A text file that is not UTF-8 text.
    NotText,
}

impl Refusal {
    pub fn key(self) -> &'static str {
        match self {
            Refusal::Empty => "error-evidence-empty",
            Refusal::UnknownType => "error-evidence-type",
            Refusal::ContentMismatch => "error-evidence-mismatch",
            Refusal::ZipBomb => "error-evidence-zip-bomb",
            Refusal::DamagedZip => "error-evidence-zip-damaged",
            Refusal::NotText => "error-evidence-not-text",
        }
    }
}

/// A zip may hold at most this many entries.
pub const MAX_ZIP_ENTRIES: usize = 100_000;
/// A zip may inflate to at most this many bytes in total.
pub const MAX_ZIP_INFLATED: u64 = 2 << 30;
/// Deflate compresses text 3-10 times; beyond this an entry is a bomb.
pub const MAX_ZIP_RATIO: u64 = 200;

/// The last path component, without control characters; `bestand` when nothing is left.
/// `../../etc/passwd` becomes `passwd`, `C:\x\y.png` becomes `y.png`.
pub fn clean_file_name(raw: &str) -> String {
    let last = raw.rsplit(['/', '\\']).next().unwrap_or(raw);
    let cleaned: String = last
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'))
        .collect();
    let cleaned = cleaned.trim().trim_start_matches('.').trim().to_owned();
    let cleaned: String = cleaned.chars().take(150).collect();
    if cleaned.is_empty() {
        "bestand".to_owned()
    } else {
        cleaned
    }
}

fn extension(name: &str) -> String {
    name.rsplit_once('.')
        .map(|(_, ext)| ext.to_ascii_lowercase())
        .unwrap_or_default()
}

fn is_heic(bytes: &[u8]) -> bool {
    bytes.get(4..8) == Some(b"ftyp")
        && bytes.get(8..12).is_some_and(|brand| {
            [
                b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1",
            ]
            .iter()
            .any(|b| brand == *b)
        })
}

fn is_zip(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06")
}

fn looks_like_email(bytes: &[u8]) -> bool {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]);
    let mut headers = 0;
    for line in head.lines().take(60) {
        if line.is_empty() {
            break;
        }
        if let Some((name, _)) = line.split_once(':') {
            let name = name.to_ascii_lowercase();
            if [
                "from",
                "to",
                "subject",
                "date",
                "received",
                "return-path",
                "message-id",
                "mime-version",
                "delivered-to",
                "cc",
                "reply-to",
                "content-type",
            ]
            .contains(&name.as_str())
            {
                headers += 1;
            }
        }
    }
    headers >= 2
}

fn is_text(bytes: &[u8]) -> bool {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    !bytes.contains(&0) && std::str::from_utf8(bytes).is_ok()
}

/// Inflates every entry within a budget, so a bomb is found by what it does, not by the
/// sizes it claims.
pub fn inspect_zip(bytes: &[u8]) -> Result<(), Refusal> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| Refusal::DamagedZip)?;
    if zip.len() > MAX_ZIP_ENTRIES {
        return Err(Refusal::ZipBomb);
    }
    let mut budget = MAX_ZIP_INFLATED.min((bytes.len() as u64).saturating_mul(MAX_ZIP_RATIO));
    let mut buffer = vec![0u8; 64 * 1024];
    for index in 0..zip.len() {
        let mut entry = match zip.by_index(index) {
            Ok(entry) => entry,
            // Encrypted or of an unknown method: not unpacked, not a bomb.
            Err(_) => continue,
        };
        if entry.is_dir() {
            continue;
        }
        let compressed = entry.compressed_size().max(1);
        let mut inflated = 0u64;
        // A read error (damaged data) ends the entry: what could not be inflated is no bomb.
        while let Ok(n) = entry.read(&mut buffer) {
            if n == 0 {
                break;
            }
            inflated += n as u64;
            if inflated > budget || (inflated / compressed > MAX_ZIP_RATIO && inflated > 1 << 20) {
                return Err(Refusal::ZipBomb);
            }
        }
        budget -= inflated;
    }
    Ok(())
}

/// Decides what an uploaded file is by its name and its bytes.
pub fn classify(file_name: &str, bytes: &[u8]) -> Result<FileKind, Refusal> {
    if bytes.is_empty() {
        return Err(Refusal::Empty);
    }
    let check = |ok: bool, kind| {
        if ok {
            Ok(kind)
        } else {
            Err(Refusal::ContentMismatch)
        }
    };
    let kind = match extension(file_name).as_str() {
        "png" => check(bytes.starts_with(b"\x89PNG\r\n\x1a\n"), FileKind::Png)?,
        "jpg" | "jpeg" => check(bytes.starts_with(b"\xFF\xD8\xFF"), FileKind::Jpeg)?,
        "heic" | "heif" => check(is_heic(bytes), FileKind::Heic)?,
        "pdf" => check(bytes.starts_with(b"%PDF-"), FileKind::Pdf)?,
        "zip" => check(is_zip(bytes), FileKind::Zip)?,
        "eml" => {
            if !looks_like_email(bytes) {
                return Err(Refusal::ContentMismatch);
            }
            FileKind::Email
        }
        "txt" => {
            if !is_text(bytes) {
                return Err(Refusal::NotText);
            }
            FileKind::ChatText
        }
        "json" => {
            if !is_text(bytes) {
                return Err(Refusal::NotText);
            }
            FileKind::Json
        }
        _ => return Err(Refusal::UnknownType),
    };
    if kind == FileKind::Zip {
        inspect_zip(bytes)?;
    }
    Ok(kind)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn names_lose_their_folders_and_control_characters() {
        assert_eq!(clean_file_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_file_name("C:\\Users\\x\\shot.png"), "shot.png");
        assert_eq!(clean_file_name("a\u{0}b\nc\r.png"), "abc.png");
        assert_eq!(clean_file_name("../.."), "bestand");
        assert_eq!(clean_file_name(".hidden.txt"), "hidden.txt");
    }

    #[test]
    fn a_fake_png_is_refused_and_a_real_one_taken() {
        assert_eq!(
            classify("x.png", b"GIF89a...."),
            Err(Refusal::ContentMismatch)
        );
        assert_eq!(
            classify("x.png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"),
            Ok(FileKind::Png)
        );
        assert_eq!(classify("x.exe", b"MZ"), Err(Refusal::UnknownType));
        assert_eq!(classify("x.txt", b"\xff\xfe\0a"), Err(Refusal::NotText));
        assert_eq!(classify("x.txt", b""), Err(Refusal::Empty));
    }

    #[test]
    fn a_zip_bomb_is_refused() {
        let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        writer.start_file("_chat.txt", options).ok();
        let zeros = vec![0u8; 1 << 20];
        for _ in 0..8 {
            writer.write_all(&zeros).ok();
        }
        let bomb = writer.finish().map(Cursor::into_inner).unwrap_or_default();
        assert!(bomb.len() < 1 << 20, "{}", bomb.len());
        assert_eq!(classify("export.zip", &bomb), Err(Refusal::ZipBomb));
    }
}
