//! The timestamp that starts every entry of an export, matched byte by byte.
//!
//! No regular expressions: this runs on every line of files of hundreds of megabytes, and a
//! line that does not start with a digit, `[` or a left-to-right mark is rejected at once.

/// The shape of an entry header: everything about it except the numbers. One export uses one
/// shape throughout, so a line in another shape (a forward pasted from another phone) is text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct Shape {
    /// iPhone: `[02-05-2022 16:08:13] `; Android: `02-05-2022 16:08 - `.
    pub bracketed: bool,
    /// `-`, `/` or `.`.
    pub date_sep: u8,
    /// A comma between date and time (`5/2/22, 16:08`).
    pub comma: bool,
    /// `2022-05-02`: the year comes first.
    pub year_first: bool,
    /// 2 or 4.
    pub year_digits: u8,
    /// The time has seconds (iPhone).
    pub seconds: bool,
    /// `4:08 PM` instead of `16:08`.
    pub twelve_hour: bool,
    /// iPhone exports of 2015-2017: no brackets, the time (with seconds) followed by `: `
    /// (`13/06/15 10:59:59: Naam: tekst`).
    pub colon: bool,
}

impl Shape {
    /// Written by an iPhone: in brackets, or (older) with `: ` after the time.
    pub fn iphone(&self) -> bool {
        self.bracketed || self.colon
    }
}

/// A parsed header: its shape, the raw numbers and where the entry's text starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Header {
    pub shape: Shape,
    /// The three date numbers in the order written.
    pub date: [u16; 3],
    pub hour: u8,
    pub minute: u8,
    pub second: u8,
    /// `Some(true)` for PM, `Some(false)` for AM, `None` on a 24-hour clock.
    pub pm: Option<bool>,
    /// Byte offset of the entry's text (after `] ` or ` - `).
    pub body: usize,
}

const LRM: &[u8] = "\u{200E}".as_bytes();
const NBSP: &[u8] = "\u{00A0}".as_bytes();
const NNBSP: &[u8] = "\u{202F}".as_bytes();

/// Parses the header at the start of `line` (without its line break), or `None`.
#[inline]
pub(crate) fn parse(line: &[u8]) -> Option<Header> {
    let first = *line.first()?;
    if !(first.is_ascii_digit() || first == b'[' || first == LRM[0]) {
        return None;
    }
    let mut i = 0;
    if line.starts_with(LRM) {
        // iPhone writes a left-to-right mark before the header of attachments.
        i = LRM.len();
    }
    let bracketed = line.get(i) == Some(&b'[');
    if bracketed {
        i += 1;
    }
    let (a, a_digits, next) = number(line, i, 4)?;
    let date_sep = *line.get(next)?;
    if !matches!(date_sep, b'-' | b'/' | b'.') {
        return None;
    }
    let (b, b_digits, next) = number(line, next + 1, 2)?;
    if *line.get(next)? != date_sep {
        return None;
    }
    let (c, c_digits, mut i) = number(line, next + 1, 4)?;
    let year_first = a_digits == 4;
    let year_digits = if year_first {
        if c_digits > 2 || b_digits > 2 {
            return None;
        }
        4
    } else {
        if a_digits > 2 || !(c_digits == 2 || c_digits == 4) {
            return None;
        }
        c_digits as u8
    };
    let comma = line.get(i) == Some(&b',');
    if comma {
        i += 1;
    }
    if line.get(i) != Some(&b' ') {
        return None;
    }
    i += 1;
    let (hour, _, next) = number(line, i, 2)?;
    let time_sep = *line.get(next)?;
    if time_sep != b':' && time_sep != b'.' {
        return None;
    }
    let (minute, minute_digits, mut i) = number(line, next + 1, 2)?;
    if minute_digits != 2 {
        return None;
    }
    let mut second = 0;
    let seconds = line.get(i) == Some(&time_sep);
    if seconds {
        let (s, s_digits, next) = number(line, i + 1, 2)?;
        if s_digits != 2 {
            return None;
        }
        second = s;
        i = next;
    }
    let mut pm = None;
    if let Some(space) = meridiem_space(&line[i..])
        .filter(|space| matches!(line.get(i + space), Some(b'A' | b'P' | b'a' | b'p')))
    {
        let rest = &line[i + space..];
        for (word, is_pm) in MERIDIEMS {
            if rest.starts_with(word.as_bytes()) {
                pm = Some(*is_pm);
                i += space + word.len();
                break;
            }
        }
    }
    let rest = &line[i..];
    let mut colon = false;
    let body = if bracketed {
        if rest.starts_with(b"] ") {
            i + 2
        } else if rest == b"]" {
            i + 1
        } else {
            return None;
        }
    } else if rest.starts_with(b" - ") {
        i + 3
    } else if rest == b" -" {
        i + 2
    } else if seconds && rest.starts_with(b": ") {
        // Older iPhones: `13/06/15 10:59:59: Naam: tekst` (always with seconds, so an
        // Android time `16:08` followed by text is never taken for one).
        colon = true;
        i + 2
    } else {
        return None;
    };
    let shape = Shape {
        bracketed,
        date_sep,
        comma,
        year_first,
        year_digits,
        seconds,
        twelve_hour: pm.is_some(),
        colon,
    };
    Some(Header {
        shape,
        date: [a, b, c],
        hour: u8::try_from(hour).ok()?,
        minute: u8::try_from(minute).ok()?,
        second: u8::try_from(second).ok()?,
        pm,
        body,
    })
}

const MERIDIEMS: &[(&str, bool)] = &[
    ("AM", false),
    ("PM", true),
    ("am", false),
    ("pm", true),
    ("a.m.", false),
    ("p.m.", true),
    ("a. m.", false),
    ("p. m.", true),
];

/// The space before AM/PM: a plain space, a no-break space, or (newer exports) a narrow
/// no-break space.
fn meridiem_space(rest: &[u8]) -> Option<usize> {
    if rest.starts_with(b" ") {
        Some(1)
    } else if rest.starts_with(NNBSP) {
        Some(NNBSP.len())
    } else if rest.starts_with(NBSP) {
        Some(NBSP.len())
    } else {
        None
    }
}

/// Up to `max` ASCII digits from `start`: (value, digit count, index after them).
#[inline(always)]
fn number(line: &[u8], start: usize, max: usize) -> Option<(u16, usize, usize)> {
    // The first digit apart: every number has one, and most lines that are not headers
    // fail here.
    let mut value = digit(line, start)?;
    let mut count = 1;
    while count < max {
        match digit(line, start + count) {
            Some(d) => {
                value = value * 10 + d;
                count += 1;
            }
            None => break,
        }
    }
    Some((value, count, start + count))
}

#[inline(always)]
fn digit(line: &[u8], at: usize) -> Option<u16> {
    let d = line.get(at)?.wrapping_sub(b'0');
    if d <= 9 { Some(u16::from(d)) } else { None }
}

/// 24-hour hour from a header, or `None` when a 12-hour clock shows an impossible hour.
pub(crate) fn hour_24(header: &Header) -> Option<u8> {
    match header.pm {
        None => Some(header.hour),
        Some(_) if header.hour == 0 || header.hour > 12 => None,
        Some(false) => Some(header.hour % 12),
        Some(true) => Some(header.hour % 12 + 12),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_android_dutch() {
        let h = parse("02-05-2022 16:08 - Alice: Hoi".as_bytes()).unwrap();
        assert!(!h.shape.bracketed && !h.shape.comma && !h.shape.seconds);
        assert_eq!(h.date, [2, 5, 2022]);
        assert_eq!((h.hour, h.minute), (16, 8));
        assert_eq!(&"02-05-2022 16:08 - Alice: Hoi"[h.body..], "Alice: Hoi");
    }

    #[test]
    fn reads_iphone_with_leading_mark_and_seconds() {
        let line = "\u{200E}[02-05-2022 16:17:01] Dave: hoi";
        let h = parse(line.as_bytes()).unwrap();
        assert!(h.shape.bracketed && h.shape.seconds);
        assert_eq!(h.second, 1);
        assert_eq!(&line[h.body..], "Dave: hoi");
    }

    #[test]
    fn reads_twelve_hour_clock_with_narrow_space() {
        let line = "5/2/22, 4:08\u{202F}PM - Alice: hi";
        let h = parse(line.as_bytes()).unwrap();
        assert!(h.shape.twelve_hour && h.shape.comma);
        assert_eq!(hour_24(&h), Some(16));
        assert_eq!(&line[h.body..], "Alice: hi");
        let midnight = parse("5/2/22, 12:01 AM - A: b".as_bytes()).unwrap();
        assert_eq!(hour_24(&midnight), Some(0));
    }

    #[test]
    fn reads_the_iphone_formats_of_2015_to_2017_without_brackets() {
        let line = "13/06/15 10:59:59: Sanne: hoi";
        let h = parse(line.as_bytes()).unwrap();
        assert!(h.shape.colon && h.shape.seconds && !h.shape.bracketed && !h.shape.comma);
        assert!(h.shape.iphone());
        assert_eq!(h.date, [13, 6, 15]);
        assert_eq!((h.hour, h.minute, h.second), (10, 59, 59));
        assert_eq!(&line[h.body..], "Sanne: hoi");

        let line = "7/1/16, 4:56:55 PM: Name: text";
        let h = parse(line.as_bytes()).unwrap();
        assert!(h.shape.colon && h.shape.comma && h.shape.twelve_hour);
        assert_eq!(hour_24(&h), Some(16));
        assert_eq!(&line[h.body..], "Name: text");

        // Without seconds it stays text: an Android time followed by `: ` is not a header.
        assert!(parse(b"02-05-2022 16:08: Alice: Hoi").is_none());
    }

    #[test]
    fn a_forward_with_a_two_part_date_is_no_header() {
        assert!(parse(b"[5/2, 16:08] Alice: Hoi").is_none());
        assert!(parse(b"16:08 is de tijd").is_none());
        assert!(parse(b"2022").is_none());
        assert!(parse(b"").is_none());
    }
}
