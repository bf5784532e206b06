//! The second pass: entries as events, one in flight at a time.

use std::io::Read;

use crate::diagnostic::{DateOrder, Diagnostic, DiagnosticKind};
use crate::format::{Format, Variant};
use crate::header::{self, Header};
use crate::lines::colon_space;
use crate::names::{clean_name_into, trim_marks};
use crate::text_lines::TextLines;
use crate::{Event, EventKind, LineRange, LocalDateTime, Message, Person, SystemEvent};
use crate::{message, system_lines};

/// Diagnostics kept per file; the rest are counted in one closing diagnostic, so a file of
/// nothing but odd lines cannot fill memory.
pub const MAX_DIAGNOSTICS: usize = 1000;

/// Strings kept from events handed back with [`Events::recycle`], at most this many.
const MAX_SPARE: usize = 4096;
/// Longer strings are not kept for reuse, so one long message does not stay in memory.
const MAX_SPARE_CAPACITY: usize = 64 * 1024;
/// Handed-back strings with more room than this beyond what they held are not kept either:
/// a caller may hand back thousands, and each should stay about the size events need.
const MAX_SPARE_SLACK: usize = 256;

/// The entries of an export as [`Event`]s, read lazily from a [`Read`] with the
/// [`Format`] the first pass found. Holds one entry at a time.
///
/// Three ways to take the events: as an [`Iterator`] of owned events; the same, handing each
/// used event back with [`Events::recycle`] so the next ones are built in its buffers; or
/// lent one at a time with [`Events::next_event`]. All three yield the same events.
#[derive(Debug)]
pub struct Events<R> {
    lines: TextLines<R>,
    format: Format,
    pending: Option<Pending>,
    /// The raw text of the pending entry once it is no longer one piece of the current chunk
    /// (the chunk ran out under it, or its lines end in `\r\n`).
    gathered: String,
    /// Buffers of events handed back, to build the next events in.
    spare: Vec<String>,
    /// The event [`Events::next_event`] lends out.
    lent: Option<Event>,
    previous_time: Option<LocalDateTime>,
    diagnostics: Diagnostics,
    in_text_before_first: bool,
    finished: bool,
}

#[derive(Debug)]
struct Diagnostics {
    kept: Vec<Diagnostic>,
    left_out: u64,
}

impl Diagnostics {
    fn add(&mut self, line: Option<u32>, kind: DiagnosticKind) {
        if self.kept.len() < MAX_DIAGNOSTICS {
            self.kept.push(Diagnostic { line, kind });
        } else {
            self.left_out += 1;
        }
    }

    fn close(&mut self) {
        if self.left_out > 0 {
            self.kept.push(Diagnostic {
                line: None,
                kind: DiagnosticKind::TooMany {
                    left_out: self.left_out,
                },
            });
            self.left_out = 0;
        }
    }
}

/// The entry being read. Its raw text is not copied while it lies in one piece in the
/// reader's chunk (nearly always): it is copied once, when the entry is complete.
#[derive(Debug)]
struct Pending {
    time: LocalDateTime,
    lines: LineRange,
    /// The raw text is `chunk[start..end]`, or in `Events::gathered` when `gathered`.
    start: usize,
    end: usize,
    gathered: bool,
    /// Where the text of a message (or of an unknown system line) starts in the raw text:
    /// the text is the rest of the raw text from there.
    text_start: usize,
    body: Body,
}

#[derive(Debug)]
enum Body {
    /// `first_line`: length of the text's first line, known when the entry starts.
    Message {
        author: Person,
        first_line: usize,
    },
    /// A system line no table knows; its text is kept.
    Unknown,
    System(SystemEvent),
}

impl<R: Read> Events<R> {
    /// Reads `reader` (the same bytes the first pass read) with `format`.
    pub fn new(reader: R, format: &Format) -> Self {
        Events {
            lines: TextLines::new(reader),
            format: format.clone(),
            pending: None,
            gathered: String::new(),
            spare: Vec::new(),
            lent: None,
            previous_time: None,
            diagnostics: Diagnostics {
                kept: format.diagnostics.clone(),
                left_out: 0,
            },
            in_text_before_first: false,
            finished: false,
        }
    }

    pub fn format(&self) -> &Format {
        &self.format
    }

    /// What the reader noticed so far (all of it once the iterator has ended).
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.diagnostics.kept
    }

    pub fn into_diagnostics(mut self) -> Vec<Diagnostic> {
        self.diagnostics.close();
        self.diagnostics.kept
    }

    /// Hands back an event the caller is done with: the next events are built in its
    /// buffers instead of new ones, which saves allocating and freeing three strings per
    /// event. Optional; the events are the same either way.
    pub fn recycle(&mut self, used: Event) {
        self.keep_buffers(used, MAX_SPARE_SLACK);
    }

    /// Keeps the strings of `used` whose spare room is at most `slack` bytes.
    fn keep_buffers(&mut self, used: Event, slack: usize) {
        let Event { raw, kind, .. } = used;
        self.keep_spare(raw, slack);
        match kind {
            EventKind::Message(Message { author, text, .. }) => {
                self.keep_spare(text, slack);
                if let Person::Named(name) = author {
                    self.keep_spare(name, slack);
                }
            }
            EventKind::System(SystemEvent::Unknown { text }) => self.keep_spare(text, slack),
            EventKind::System(_) => {}
        }
    }

    /// The next event, lent until the next call: the cheapest way to read, as every event
    /// is built in the buffers of the one before.
    pub fn next_event(&mut self) -> Option<&Event> {
        if let Some(used) = self.lent.take() {
            // One set of buffers: no need to keep them small.
            self.keep_buffers(used, MAX_SPARE_CAPACITY);
        }
        self.lent = self.next();
        self.lent.as_ref()
    }

    fn keep_spare(&mut self, buffer: String, slack: usize) {
        if self.spare.len() < MAX_SPARE
            && buffer.capacity() <= MAX_SPARE_CAPACITY
            && buffer.capacity() - buffer.len() <= slack
        {
            self.spare.push(buffer);
        }
    }
}

/// `text` in a spare buffer if there is one, else in a new string.
#[inline(always)]
fn string_from(spare: &mut Vec<String>, text: &str) -> String {
    match spare.pop() {
        Some(mut buffer) => {
            buffer.clear();
            buffer.push_str(text);
            buffer
        }
        None => text.to_owned(),
    }
}

fn time_of(format: &Format, h: &Header) -> Option<LocalDateTime> {
    let [a, b, c] = h.date;
    let (year, month, day) = match format.date_order {
        DateOrder::DayMonthYear => (c, b, a),
        DateOrder::MonthDayYear => (c, a, b),
        DateOrder::YearMonthDay => (a, b, c),
    };
    let year = if h.shape.year_digits == 2 {
        2000 + year
    } else {
        year
    };
    let hour = header::hour_24(h)?;
    LocalDateTime::new(
        year,
        u8::try_from(month).ok()?,
        u8::try_from(day).ok()?,
        hour,
        h.minute,
        h.second,
    )
}

/// What the entry whose first line's text (after the header) is `body` holds, and where
/// its text starts in `body`.
fn classify(
    format: &Format,
    diagnostics: &mut Diagnostics,
    spare: &mut Vec<String>,
    body: &str,
    line: u32,
) -> (Body, usize) {
    let language = format.language;
    match colon_space(body) {
        None => match system_lines::match_any(language, body) {
            Some((_, event)) => (Body::System(event), body.len()),
            None => {
                diagnostics.add(Some(line), DiagnosticKind::UnknownSystemLine);
                (Body::Unknown, body.len() - trim_marks(body).len())
            }
        },
        Some(at) => {
            if system_lines::may_be_free_text_system_line(body.as_bytes()) {
                if let Some((_, event)) = system_lines::match_any(language, body) {
                    return (Body::System(event), body.len());
                }
            }
            if format.variant == Variant::Ios
                && system_lines::encryption_notice_sender(body).is_some()
            {
                return (Body::System(SystemEvent::EncryptionNotice), body.len());
            }
            let mut name = spare.pop().unwrap_or_default();
            clean_name_into(&body[..at], &mut name);
            (
                Body::Message {
                    author: Person::Named(name),
                    first_line: body.len() - (at + 2),
                },
                at + 2,
            )
        }
    }
}

/// The finished event of `pending`, whose raw text lies in `chunk` or `gathered`.
#[inline(always)]
fn into_event(
    pending: Pending,
    chunk: &str,
    gathered: &mut String,
    spare: &mut Vec<String>,
) -> Event {
    let raw = if pending.gathered {
        let replacement = spare.pop().unwrap_or_default();
        std::mem::replace(gathered, replacement)
    } else {
        string_from(spare, chunk.get(pending.start..pending.end).unwrap_or(""))
    };
    let text = || raw.get(pending.text_start..).unwrap_or("");
    let kind = match pending.body {
        Body::System(event) => EventKind::System(event),
        Body::Unknown => EventKind::System(SystemEvent::Unknown {
            text: string_from(spare, text()),
        }),
        Body::Message { author, first_line } => {
            let text = string_from(spare, text());
            let flags = message::flags_with_first_line(&text, first_line);
            EventKind::Message(Message {
                author,
                text,
                media: flags.media,
                deleted: flags.deleted,
                edited: flags.edited,
            })
        }
    };
    Event {
        time: pending.time,
        lines: pending.lines,
        raw,
        kind,
    }
}

impl<R: Read> Iterator for Events<R> {
    type Item = Event;

    fn next(&mut self) -> Option<Event> {
        if self.finished {
            return None;
        }
        let Events {
            lines,
            format,
            pending,
            gathered,
            spare,
            previous_time,
            diagnostics,
            in_text_before_first,
            finished,
            lent: _,
        } = self;
        loop {
            if lines.chunk_used_up() {
                // The next line replaces the chunk the pending entry's text lies in.
                if let Some(pending) = pending.as_mut().filter(|p| !p.gathered) {
                    gathered.clear();
                    gathered.push_str(lines.chunk().get(pending.start..pending.end).unwrap_or(""));
                    pending.gathered = true;
                }
            }
            let (number, start, len) = match lines.next_line() {
                Ok(Some(line)) => {
                    if line.invalid_utf8 {
                        diagnostics.add(Some(line.number), DiagnosticKind::InvalidUtf8);
                    }
                    (line.number, line.start, line.text.len())
                }
                Ok(None) => {
                    *finished = true;
                    diagnostics.close();
                    return pending
                        .take()
                        .map(|p| into_event(p, lines.chunk(), gathered, spare));
                }
                Err(e) => {
                    diagnostics.add(
                        Some(lines.number().saturating_add(1)),
                        DiagnosticKind::ReadFailed {
                            reason: e.to_string(),
                        },
                    );
                    *finished = true;
                    diagnostics.close();
                    return pending
                        .take()
                        .map(|p| into_event(p, lines.chunk(), gathered, spare));
                }
            };
            let chunk = lines.chunk();
            let text = chunk.get(start..start + len).unwrap_or("");
            let parsed = header::parse(text.as_bytes()).filter(|h| h.shape == format.shape);
            let header = match parsed {
                Some(h) => match time_of(format, &h) {
                    Some(time) => Some((h, time)),
                    None => {
                        diagnostics.add(Some(number), DiagnosticKind::ImpossibleDate);
                        None
                    }
                },
                None => None,
            };
            match header {
                Some((h, time)) => {
                    *in_text_before_first = false;
                    if let Some(previous) = *previous_time {
                        if time < previous {
                            diagnostics.add(
                                Some(number),
                                DiagnosticKind::TimeGoesBack {
                                    previous,
                                    this: time,
                                },
                            );
                        }
                    }
                    *previous_time = Some(time);
                    let (body, text_start) =
                        classify(format, diagnostics, spare, &text[h.body..], number);
                    let started = Pending {
                        time,
                        lines: LineRange::single(number),
                        start,
                        end: start + len,
                        gathered: false,
                        text_start: h.body + text_start,
                        body,
                    };
                    if let Some(done) = pending.replace(started) {
                        return Some(into_event(done, chunk, gathered, spare));
                    }
                }
                None => match pending {
                    Some(pending) => {
                        pending.lines.last = number;
                        if !pending.gathered && start == pending.end + 1 {
                            // The next line, after a `\n`: the raw text is still one piece.
                            pending.end = start + len;
                        } else {
                            if !pending.gathered {
                                gathered.clear();
                                gathered
                                    .push_str(chunk.get(pending.start..pending.end).unwrap_or(""));
                                pending.gathered = true;
                            }
                            gathered.push('\n');
                            gathered.push_str(text);
                        }
                    }
                    None => {
                        if !*in_text_before_first {
                            *in_text_before_first = true;
                            diagnostics.add(Some(number), DiagnosticKind::TextBeforeFirstEntry);
                        }
                    }
                },
            }
        }
    }
}
