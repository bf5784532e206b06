//! What a message's text says about itself: deleted, media, edited.

use crate::MediaKind;
use crate::names::trim_marks;
use crate::tables::TABLES;

/// Flags read from a message's text (kept as written).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Flags {
    pub media: Option<MediaKind>,
    pub deleted: bool,
    pub edited: bool,
}

/// Placeholders are short or hold `<`/`(`; anything else is ordinary text and skipped fast.
fn may_hold_placeholder(first_line: &str) -> bool {
    first_line.len() <= 64 || memchr::memchr2(b'<', b'(', first_line.as_bytes()).is_some()
}

pub(crate) fn flags(text: &str) -> Flags {
    let mut flags = Flags::default();
    let trimmed = text.trim_end();
    if trimmed.ends_with('>') {
        flags.edited = TABLES
            .iter()
            .any(|t| t.edited.iter().any(|e| trimmed.ends_with(e)));
    }
    let first_line = text.split('\n').next().unwrap_or("");
    if !may_hold_placeholder(first_line) {
        return flags;
    }
    let first = trim_marks(first_line.trim());
    let without_period = first.strip_suffix('.').unwrap_or(first);
    for table in TABLES {
        if table
            .deleted
            .iter()
            .any(|d| *d == first || *d == without_period)
        {
            flags.deleted = true;
            return flags;
        }
        if let Some((_, kind)) = table.media_omitted.iter().find(|(m, _)| *m == first) {
            flags.media = Some(*kind);
            return flags;
        }
        if let Some(file) = first.strip_suffix(table.attached_suffix) {
            flags.media = Some(kind_of_file(file));
            return flags;
        }
        if let Some(at) = first.find(table.attached_prefix) {
            let file = &first[at + table.attached_prefix.len()..];
            flags.media = Some(kind_of_file(file.trim_end_matches('>')));
            return flags;
        }
    }
    flags
}

/// Which language a placeholder text is in, if it is one.
pub(crate) fn placeholder_language(text: &str) -> Option<crate::Language> {
    let first_line = text.split('\n').next().unwrap_or("");
    if !may_hold_placeholder(first_line) {
        return None;
    }
    let first = trim_marks(first_line.trim());
    let without_period = first.strip_suffix('.').unwrap_or(first);
    TABLES
        .iter()
        .find(|t| {
            t.deleted
                .iter()
                .any(|d| *d == first || *d == without_period)
                || t.media_omitted.iter().any(|(m, _)| *m == first)
                || first.ends_with(t.attached_suffix)
                || first.contains(t.attached_prefix)
        })
        .map(|t| t.language)
}

/// The kind of an attachment from its file name (`IMG-20220502-WA0003.jpg`,
/// `00000014-PHOTO-2022-05-02-16-17-01.jpg`, `PTT-….opus`).
pub(crate) fn kind_of_file(name: &str) -> MediaKind {
    let name = trim_marks(name.trim());
    let upper = name.to_ascii_uppercase();
    let has = |marker: &str| upper.starts_with(marker) || upper.contains(&format!("-{marker}"));
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
    let extension = upper.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
    match extension.trim() {
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
