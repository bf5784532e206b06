//! Splitting a byte stream into lines without holding more than one.

use std::io::{self, BufRead};

/// One line longer than this is cut (WhatsApp messages stop at 65 536 characters); the rest
/// of it is skipped so memory stays bounded whatever the file holds.
pub(crate) const MAX_LINE: usize = 1 << 20;

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Lines of a `BufRead`, `\n` or `\r\n` removed, the byte-order mark removed from the first.
#[derive(Debug)]
pub(crate) struct LineReader<R> {
    reader: R,
    buf: Vec<u8>,
    /// 1-based number of the line last returned.
    pub number: u32,
    /// The line last returned was longer than [`MAX_LINE`] and was cut.
    pub truncated: bool,
}

impl<R: BufRead> LineReader<R> {
    pub fn new(reader: R) -> Self {
        LineReader {
            reader,
            buf: Vec::with_capacity(256),
            number: 0,
            truncated: false,
        }
    }

    pub fn next_line(&mut self) -> io::Result<Option<(u32, &[u8])>> {
        self.buf.clear();
        self.truncated = false;
        let mut saw_any = false;
        loop {
            let available = match self.reader.fill_buf() {
                Ok(bytes) => bytes,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if available.is_empty() {
                if !saw_any {
                    return Ok(None);
                }
                break;
            }
            saw_any = true;
            let (take, done) = match memchr::memchr(b'\n', available) {
                Some(at) => (at, true),
                None => (available.len(), false),
            };
            let room = MAX_LINE.saturating_sub(self.buf.len());
            if take > room {
                self.truncated = true;
            }
            self.buf.extend_from_slice(&available[..take.min(room)]);
            self.reader.consume(if done { take + 1 } else { take });
            if done {
                break;
            }
        }
        self.number = self.number.saturating_add(1);
        let mut line: &[u8] = &self.buf;
        if self.number == 1 {
            line = line.strip_prefix(BOM).unwrap_or(line);
        }
        if let [rest @ .., b'\r'] = line {
            line = rest;
        }
        Ok(Some((self.number, line)))
    }
}

/// Where `: ` first occurs: the end of the author's name in `Name: text`.
pub(crate) fn colon_space(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    memchr::memchr_iter(b':', bytes).find(|&at| bytes.get(at + 1) == Some(&b' '))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(input: &[u8]) -> Vec<Vec<u8>> {
        let mut reader = LineReader::new(input);
        let mut out = Vec::new();
        while let Some((_, line)) = reader.next_line().unwrap() {
            out.push(line.to_vec());
        }
        out
    }

    #[test]
    fn strips_bom_and_crlf_and_keeps_empty_lines() {
        let lines = all(b"\xEF\xBB\xBFa\r\n\r\nb");
        assert_eq!(lines, vec![b"a".to_vec(), b"".to_vec(), b"b".to_vec()]);
    }

    #[test]
    fn finds_the_author_separator() {
        assert_eq!(colon_space("Alice: 16:08 hoi"), Some(5));
        assert_eq!(colon_space("16:08"), None);
    }
}
