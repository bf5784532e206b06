//! Text decoding: UTF-8 first (with or without byte-order mark), Windows-1252 otherwise,
//! which is what Excel on a Dutch Windows machine writes as "CSV (gescheiden door lijstscheidingsteken)".

use crate::FileError;

/// Windows-1252's 0x80..=0x9F; the rest of the byte range is Latin-1.
const CP1252_HIGH: [char; 32] = [
    '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8d}', 'Ž', '\u{8f}',
    '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9d}', 'ž', 'Ÿ',
];

/// Decodes bytes to text and names the encoding found.
pub fn decode_text(bytes: &[u8]) -> Result<(String, &'static str), FileError> {
    if bytes.is_empty() {
        return Err(FileError::Empty);
    }
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(FileError::NotText("UTF-16 (Unicode text)"));
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return Err(FileError::NotText("an Excel workbook (.xlsx)"));
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Err(FileError::NotText("an old Excel workbook (.xls)"));
    }
    if bytes.contains(&0) {
        return Err(FileError::NotText("a binary file"));
    }
    let bytes = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok((text.to_string(), "UTF-8"));
    }
    let text = bytes
        .iter()
        .map(|&b| match b {
            0x80..=0x9F => CP1252_HIGH[usize::from(b - 0x80)],
            _ => char::from(b),
        })
        .collect();
    Ok((text, "Windows-1252"))
}
