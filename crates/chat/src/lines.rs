//! Splitting a byte stream into lines without holding more than one.

use std::io::{self, BufRead};

/// One line longer than this is cut (WhatsApp messages stop at 65 536 characters); the rest
/// of it is skipped so memory stays bounded whatever the file holds.
pub(crate) const MAX_LINE: usize = 1 << 20;

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Lines of a `BufRead`, `\n` or `\r\n` removed, the byte-order mark removed from the first.
///
/// A line that lies whole in the reader's buffer is handed out in place (no copy); only a
/// line that straddles two fills is gathered in `buf`.
#[derive(Debug)]
pub(crate) struct LineReader<R> {
    reader: R,
    buf: Vec<u8>,
    /// Bytes of the line handed out in place, consumed on the next call.
    pending_consume: usize,
    /// 1-based number of the line last returned.
    pub number: u32,
    /// The line last returned was longer than [`MAX_LINE`] and was cut.
    pub truncated: bool,
}

fn fill<R: BufRead>(reader: &mut R) -> io::Result<(usize, Option<usize>)> {
    loop {
        match reader.fill_buf() {
            Ok(bytes) => return Ok((bytes.len(), memchr::memchr(b'\n', bytes))),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        }
    }
}

fn tidy(line: &[u8], first: bool) -> &[u8] {
    let mut line = line;
    if first {
        line = line.strip_prefix(BOM).unwrap_or(line);
    }
    if let [rest @ .., b'\r'] = line {
        line = rest;
    }
    line
}

impl<R: BufRead> LineReader<R> {
    pub fn new(reader: R) -> Self {
        LineReader {
            reader,
            buf: Vec::new(),
            pending_consume: 0,
            number: 0,
            truncated: false,
        }
    }

    pub fn next_line(&mut self) -> io::Result<Option<(u32, &[u8])>> {
        if self.pending_consume > 0 {
            self.reader.consume(self.pending_consume);
            self.pending_consume = 0;
        }
        self.buf.clear();
        self.truncated = false;
        let (len, newline) = fill(&mut self.reader)?;
        if len == 0 {
            return Ok(None);
        }
        if let Some(at) = newline.filter(|at| *at <= MAX_LINE) {
            self.pending_consume = at + 1;
            self.number = self.number.saturating_add(1);
            let first = self.number == 1;
            // The buffer is not empty, so this returns it again without reading.
            let bytes = self.reader.fill_buf()?;
            let line = bytes.get(..at).unwrap_or(bytes);
            return Ok(Some((self.number, tidy(line, first))));
        }
        loop {
            let (len, newline) = fill(&mut self.reader)?;
            if len == 0 {
                break;
            }
            let (take, done) = match newline {
                Some(at) => (at, true),
                None => (len, false),
            };
            let room = MAX_LINE.saturating_sub(self.buf.len());
            if take > room {
                self.truncated = true;
            }
            let bytes = self.reader.fill_buf()?;
            self.buf
                .extend_from_slice(&bytes[..take.min(room).min(bytes.len())]);
            self.reader.consume(if done { take + 1 } else { take });
            if done {
                break;
            }
        }
        self.number = self.number.saturating_add(1);
        let first = self.number == 1;
        Ok(Some((self.number, tidy(&self.buf, first))))
    }
}

/// Where `: ` first occurs: the end of the author's name in `Name: text`.
pub(crate) fn colon_space(text: &str) -> Option<usize> {
    colon_space_bytes(text.as_bytes())
}

pub(crate) fn colon_space_bytes(bytes: &[u8]) -> Option<usize> {
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
    fn lines_across_buffer_fills_and_overlong_lines() {
        let text = b"een\ntwee drie vier\n\nvijf";
        let mut reader = LineReader::new(std::io::BufReader::with_capacity(3, &text[..]));
        let mut out = Vec::new();
        while let Some((n, line)) = reader.next_line().unwrap() {
            out.push((n, line.to_vec()));
        }
        assert_eq!(
            out,
            vec![
                (1, b"een".to_vec()),
                (2, b"twee drie vier".to_vec()),
                (3, b"".to_vec()),
                (4, b"vijf".to_vec())
            ]
        );
        let long = vec![b'x'; MAX_LINE + 10];
        let mut reader = LineReader::new(&long[..]);
        let (_, line) = reader.next_line().unwrap().unwrap();
        assert_eq!(line.len(), MAX_LINE);
        assert!(reader.truncated);
        assert!(reader.next_line().unwrap().is_none());
    }

    #[test]
    fn finds_the_author_separator() {
        assert_eq!(colon_space("Alice: 16:08 hoi"), Some(5));
        assert_eq!(colon_space("16:08"), None);
    }
}
