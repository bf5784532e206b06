//! What a message's text says about itself: deleted, media, edited.

use std::sync::LazyLock;

use crate::names::trim_marks;
use crate::tables::TABLES;
use crate::{Language, MediaKind};

/// Flags read from a message's text (kept as written).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Flags {
    pub media: Option<MediaKind>,
    pub deleted: bool,
    pub edited: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Placeholder {
    Deleted,
    Media(MediaKind),
}

/// An exact placeholder text, its language and what it stands for.
type Exact = (&'static str, Language, Placeholder);

/// Every exact placeholder text of every language, for a lookup that compares lengths first.
static EXACT: LazyLock<Vec<Exact>> = LazyLock::new(|| {
    let mut out = Vec::new();
    for table in TABLES {
        for text in table.deleted {
            out.push((*text, table.language, Placeholder::Deleted));
        }
        for (text, kind) in table.media_omitted {
            out.push((*text, table.language, Placeholder::Media(*kind)));
        }
    }
    out
});

/// Longer first lines (without `)` or `>` at the end) cannot be placeholders.
static LONGEST_EXACT: LazyLock<usize> =
    LazyLock::new(|| EXACT.iter().map(|(t, _, _)| t.len()).max().unwrap_or(0));

/// The exact placeholders by length in bytes (up to 127; longer ones in the last slot), so a
/// text is only compared with the few of its own length: with eight languages a scan of all
/// of them on every short message would cost the reader its speed.
static EXACT_BY_LENGTH: LazyLock<Vec<Vec<Exact>>> = LazyLock::new(|| {
    let mut out = vec![Vec::new(); 129];
    for entry in EXACT.iter() {
        out[entry.0.len().min(128)].push(*entry);
    }
    out
});

fn exact(text: &str) -> Option<(Language, Placeholder)> {
    EXACT_BY_LENGTH[text.len().min(128)]
        .iter()
        .find(|(t, _, _)| *t == text)
        .map(|(_, language, placeholder)| (*language, *placeholder))
}

/// Last bytes a trimmed first line can end in and still be a placeholder: those of the
/// exact texts, and `)`, `>`, `.` (attachments, a final full stop).
static PLACEHOLDER_LAST_BYTES: LazyLock<[bool; 128]> = LazyLock::new(|| {
    let mut set = [false; 128];
    for (text, _, _) in EXACT.iter() {
        if let Some(slot) = text
            .as_bytes()
            .last()
            .and_then(|b| set.get_mut(usize::from(*b)))
        {
            *slot = true;
        }
    }
    for b in [b')', b'>', b'.'] {
        set[usize::from(b)] = true;
    }
    set
});

/// What the first line of a message stands for, if it is a placeholder WhatsApp wrote.
/// Runs on every message, so the last byte decides which (few) checks are worth making.
fn placeholder(first_line: &str) -> Option<(Language, Placeholder)> {
    let last = *first_line.as_bytes().last()?;
    // An ASCII last byte that `trim` keeps is the last byte of the trimmed line too; most
    // messages end in one no placeholder ends in.
    if last.is_ascii()
        && !matches!(last, 0x09..=0x0D | b' ')
        && !PLACEHOLDER_LAST_BYTES[usize::from(last)]
    {
        return None;
    }
    if first_line.len() > *LONGEST_EXACT + 8 && !matches!(last, b')' | b'>' | b' ') {
        return None;
    }
    let first = trim_marks(first_line.trim());
    match first.as_bytes().last()? {
        b')' => TABLES.iter().find_map(|t| {
            first
                .strip_suffix(t.attached_suffix)
                .map(|file| (t.language, Placeholder::Media(kind_of_file(file))))
        }),
        b'>' => exact(first).or_else(|| {
            TABLES.iter().find_map(|t| {
                let at = memchr::memmem::rfind(first.as_bytes(), t.attached_prefix.as_bytes())?;
                let file = &first[at + t.attached_prefix.len()..first.len() - 1];
                Some((t.language, Placeholder::Media(kind_of_file(file))))
            })
        }),
        b'.' => exact(first).or_else(|| exact(&first[..first.len() - 1])),
        _ => exact(first),
    }
}

#[cfg(test)]
pub(crate) fn flags(text: &str) -> Flags {
    let first_line = memchr::memchr(b'\n', text.as_bytes()).unwrap_or(text.len());
    flags_with_first_line(text, first_line)
}

/// Flags of a message whose first line is `text[..first_line]` (the reader knows it).
pub(crate) fn flags_with_first_line(text: &str, first_line: usize) -> Flags {
    let mut flags = Flags::default();
    // Most texts end in an ASCII byte that `trim_end` keeps: then only that byte can say
    // whether the text ends in `>`.
    let may_be_edited = match text.as_bytes().last() {
        Some(&last) if last.is_ascii() && !matches!(last, 0x09..=0x0D | b' ') => last == b'>',
        _ => true,
    };
    if may_be_edited {
        let trimmed = text.trim_end();
        if trimmed.ends_with('>') {
            flags.edited = TABLES
                .iter()
                .any(|t| t.edited.iter().any(|e| trimmed.ends_with(e)));
        }
    }
    let first_line = text.get(..first_line).unwrap_or(text);
    match placeholder(first_line) {
        Some((_, Placeholder::Deleted)) => flags.deleted = true,
        Some((_, Placeholder::Media(kind))) => flags.media = Some(kind),
        None => {}
    }
    flags
}

/// Which language a placeholder text is in, if it is one.
pub(crate) fn placeholder_language(text: &str) -> Option<Language> {
    let first_line = match memchr::memchr(b'\n', text.as_bytes()) {
        Some(at) => &text[..at],
        None => text,
    };
    placeholder(first_line).map(|(language, _)| language)
}

/// The kind of an attachment from its file name (`IMG-20220502-WA0003.jpg`,
/// `00000014-PHOTO-2022-05-02-16-17-01.jpg`, `PTT-….opus`).
pub(crate) fn kind_of_file(name: &str) -> MediaKind {
    let name = trim_marks(name.trim());
    // Markers compared without regard to case, in place: this runs on every attachment.
    let bytes = name.as_bytes();
    let marker_at = |at: usize, marker: &str| {
        bytes
            .get(at..at.saturating_add(marker.len()))
            .is_some_and(|found| found.eq_ignore_ascii_case(marker.as_bytes()))
    };
    let has = |marker: &str| {
        marker_at(0, marker)
            || memchr::memchr_iter(b'-', bytes).any(|dash| marker_at(dash + 1, marker))
    };
    if has("STK-") || has("STICKER-") {
        return MediaKind::Sticker;
    }
    if has("IMG-") || has("PHOTO-") {
        return MediaKind::Image;
    }
    if has("VID-") || has("VIDEO-") {
        return MediaKind::Video;
    }
    if has("PTT-") || has("AUD-") || has("AUDIO-") {
        return MediaKind::Audio;
    }
    if has("GIF-") {
        return MediaKind::Gif;
    }
    if has("DOC-") {
        return MediaKind::Document;
    }
    let extension = name
        .rsplit_once('.')
        .map(|(_, e)| e)
        .unwrap_or("")
        .trim()
        .to_ascii_uppercase();
    match extension.as_str() {
        "JPG" | "JPEG" | "PNG" | "HEIC" => MediaKind::Image,
        "WEBP" => MediaKind::Sticker,
        "MP4" | "MOV" | "3GP" => MediaKind::Video,
        "OPUS" | "OGG" | "M4A" | "MP3" | "AAC" => MediaKind::Audio,
        "GIF" => MediaKind::Gif,
        "VCF" => MediaKind::Contact,
        "PDF" | "DOC" | "DOCX" | "XLS" | "XLSX" | "PPT" | "PPTX" | "TXT" | "ODT" => {
            MediaKind::Document
        }
        _ => MediaKind::Other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_placeholders_in_both_languages() {
        assert!(flags("Dit bericht is verwijderd").deleted);
        assert!(flags("\u{200E}Dit bericht is verwijderd.").deleted);
        assert!(flags("You deleted this message").deleted);
        assert_eq!(flags("<Media weggelaten>").media, Some(MediaKind::Omitted));
        assert_eq!(
            flags("\u{200E}IMG-20220502-WA0001.jpg (bestand bijgevoegd)\nDit is een foto").media,
            Some(MediaKind::Image)
        );
        assert_eq!(
            flags(
                "Manifesto.pdf • \u{200E}116 pagina's \u{200E}<bijgevoegd: 00000017-Manifesto.pdf>"
            )
            .media,
            Some(MediaKind::Document)
        );
        assert!(flags("Tot morgen <Dit bericht is bewerkt>").edited);
        assert_eq!(flags("gewoon een bericht"), Flags::default());
    }
}
