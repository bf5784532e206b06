//! Lines as text for the second pass, validated as UTF-8 a chunk at a time.
//!
//! Checking each short line on its own costs more than the rest of reading it; a chunk of
//! 256 KiB is checked at memory speed and then cut into `&str` lines for free. A chunk with
//! bytes that are not UTF-8 is converted line by line instead, so the lines can be reported.

use std::io::{self, Read};

use crate::lines::MAX_LINE;

const CHUNK: usize = 256 * 1024;
const BOM: &str = "\u{FEFF}";

/// One line: its 1-based number, its text (line break and `\r` removed) and whether bytes
/// in it were not UTF-8 (replaced by `�`).
pub(crate) struct TextLine<'a> {
    pub number: u32,
    pub text: &'a str,
    /// Where `text` starts in [`TextLines::chunk`].
    pub start: usize,
    pub invalid_utf8: bool,
}

#[derive(Debug)]
pub(crate) struct TextLines<R> {
    reader: R,
    /// Complete lines (each ending in `\n`, except the last one of the file).
    chunk: String,
    pos: usize,
    /// Bytes read after the chunk's last line break.
    carry: Vec<u8>,
    /// Line ordinals (0-based within the chunk) that held invalid UTF-8, ascending.
    invalid: Vec<u32>,
    invalid_next: usize,
    ordinal_in_chunk: u32,
    number: u32,
    eof: bool,
    /// The rest of an overlong line is being skipped.
    skipping: bool,
}

impl<R: Read> TextLines<R> {
    pub fn new(reader: R) -> Self {
        TextLines {
            reader,
            chunk: String::new(),
            pos: 0,
            carry: Vec::new(),
            invalid: Vec::new(),
            invalid_next: 0,
            ordinal_in_chunk: 0,
            number: 0,
            eof: false,
            skipping: false,
        }
    }

    /// The number of the line the next call would return, less one.
    pub fn number(&self) -> u32 {
        self.number
    }

    /// The chunk the lines handed out lie in; it changes only when [`Self::next_line`] is
    /// called while [`Self::chunk_used_up`].
    pub fn chunk(&self) -> &str {
        &self.chunk
    }

    /// Every line of the current chunk has been handed out: the next call replaces it.
    pub fn chunk_used_up(&self) -> bool {
        self.pos >= self.chunk.len()
    }

    #[inline(always)]
    pub fn next_line(&mut self) -> io::Result<Option<TextLine<'_>>> {
        if self.pos >= self.chunk.len() && !self.refill()? {
            return Ok(None);
        }
        let line_start = self.pos;
        let rest = &self.chunk[self.pos..];
        let (line, advance) = match memchr::memchr(b'\n', rest.as_bytes()) {
            Some(at) => (&rest[..at], at + 1),
            None => (rest, rest.len()),
        };
        self.pos += advance;
        self.number = self.number.saturating_add(1);
        let mut line = line;
        let mut start = line_start;
        if self.number == 1 {
            if let Some(after) = line.strip_prefix(BOM) {
                line = after;
                start += BOM.len();
            }
        }
        line = line.strip_suffix('\r').unwrap_or(line);
        let ordinal = self.ordinal_in_chunk;
        self.ordinal_in_chunk += 1;
        let invalid_utf8 = self.invalid.get(self.invalid_next) == Some(&ordinal);
        if invalid_utf8 {
            self.invalid_next += 1;
        }
        Ok(Some(TextLine {
            number: self.number,
            text: line,
            start,
            invalid_utf8,
        }))
    }

    /// Reads the next chunk of complete lines; `false` at the end of the input.
    fn refill(&mut self) -> io::Result<bool> {
        let mut bytes = std::mem::take(&mut self.chunk).into_bytes();
        bytes.clear();
        bytes.append(&mut self.carry);
        self.pos = 0;
        self.ordinal_in_chunk = 0;
        self.invalid.clear();
        self.invalid_next = 0;
        loop {
            if self.skipping {
                match memchr::memchr(b'\n', &bytes) {
                    Some(at) => {
                        bytes.drain(..=at);
                        self.skipping = false;
                    }
                    None => bytes.clear(),
                }
            }
            if self.eof
                || (!self.skipping
                    && bytes.len() >= CHUNK
                    && memchr::memchr(b'\n', &bytes).is_some())
            {
                break;
            }
            let old = bytes.len();
            // `read_to_end` through `take` fills up to a chunk without zeroing it first, however
            // few bytes each read of the underlying reader returns.
            let n = (&mut self.reader)
                .take(CHUNK as u64)
                .read_to_end(&mut bytes)?;
            if n == 0 {
                self.eof = true;
                continue;
            }
            if self.skipping {
                continue;
            }
            if memchr::memchr(b'\n', &bytes[old..]).is_some() {
                break;
            }
            if bytes.len() > MAX_LINE && memchr::memchr(b'\n', &bytes).is_none() {
                // A line longer than anything WhatsApp writes: keep its start, skip the rest.
                bytes.truncate(MAX_LINE);
                bytes.push(b'\n');
                self.skipping = true;
                break;
            }
        }
        if bytes.is_empty() {
            self.chunk = String::new();
            return Ok(false);
        }
        let cut = if self.eof && !self.skipping {
            bytes.len()
        } else {
            memchr::memrchr(b'\n', &bytes).map_or(bytes.len(), |at| at + 1)
        };
        self.carry.extend_from_slice(&bytes[cut..]);
        bytes.truncate(cut);
        self.chunk = match String::from_utf8(bytes) {
            Ok(text) => text,
            Err(err) => self.lossy(err.into_bytes()),
        };
        Ok(!self.chunk.is_empty())
    }

    /// Converts line by line, noting which lines held bytes that are not UTF-8.
    fn lossy(&mut self, bytes: Vec<u8>) -> String {
        let mut out = String::with_capacity(bytes.len() + 16);
        for (ordinal, line) in bytes.split_inclusive(|b| *b == b'\n').enumerate() {
            let text = String::from_utf8_lossy(line);
            if matches!(text, std::borrow::Cow::Owned(_)) {
                self.invalid
                    .push(u32::try_from(ordinal).unwrap_or(u32::MAX));
            }
            out.push_str(&text);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(input: &[u8]) -> Vec<(u32, String, bool)> {
        let mut lines = TextLines::new(input);
        let mut out = Vec::new();
        while let Some(line) = lines.next_line().unwrap() {
            out.push((line.number, line.text.to_owned(), line.invalid_utf8));
        }
        out
    }

    #[test]
    fn splits_lines_and_strips_bom_and_crlf() {
        assert_eq!(
            all("\u{FEFF}a\r\n\r\nb".as_bytes()),
            vec![
                (1, "a".into(), false),
                (2, "".into(), false),
                (3, "b".into(), false)
            ]
        );
        assert!(all(b"").is_empty());
    }

    #[test]
    fn marks_the_lines_that_are_not_utf8() {
        let lines = all(b"goed\nfo\xFFut\ngoed\n");
        assert_eq!(lines[1], (2, "fo\u{FFFD}ut".into(), true));
        assert!(!lines[0].2 && !lines[2].2);
    }

    #[test]
    fn lines_across_chunks_and_overlong_lines() {
        let mut input = Vec::new();
        for i in 0..100_000 {
            input.extend_from_slice(format!("regel {i} met wat tekst é\n").as_bytes());
        }
        let lines = all(&input);
        assert_eq!(lines.len(), 100_000);
        assert_eq!(lines[99_999].1, "regel 99999 met wat tekst é");
        let mut long = vec![b'x'; MAX_LINE + CHUNK + 10];
        long.extend_from_slice(b"\nnext");
        let lines = all(&long);
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0].1.len(), MAX_LINE);
        assert_eq!(lines[1].1, "next");
    }
}
