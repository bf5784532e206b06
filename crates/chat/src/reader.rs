//! The second pass: entries as events, one in flight at a time.

use std::io::Read;

use crate::diagnostic::{DateOrder, Diagnostic, DiagnosticKind};
use crate::format::{Format, Variant};
use crate::header::{self, Header};
use crate::lines::colon_space;
use crate::names::{clean_name, trim_marks};
use crate::text_lines::{TextLine, TextLines};
use crate::{Event, EventKind, LineRange, LocalDateTime, Message, Person, SystemEvent};
use crate::{message, system_lines};

/// Diagnostics kept per file; the rest are counted in one closing diagnostic, so a file of
/// nothing but odd lines cannot fill memory.
pub const MAX_DIAGNOSTICS: usize = 1000;

/// The entries of an export as [`Event`]s, read lazily from a [`BufRead`] with the
/// [`Format`] the first pass found. Holds one entry at a time.
#[derive(Debug)]
pub struct Events<R> {
    lines: TextLines<R>,
    format: Format,
    pending: Option<Pending>,
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

#[derive(Debug)]
struct Pending {
    time: LocalDateTime,
    lines: LineRange,
    raw: String,
    body: Body,
}

#[derive(Debug)]
enum Body {
    Message { author: Person, text: String },
    System(SystemEvent),
}

impl<R: Read> Events<R> {
    /// Reads `reader` (the same bytes the first pass read) with `format`.
    pub fn new(reader: R, format: &Format) -> Self {
        Events {
            lines: TextLines::new(reader),
            format: format.clone(),
            pending: None,
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

fn classify(format: &Format, diagnostics: &mut Diagnostics, body: &str, line: u32) -> Body {
    let language = format.language;
    match colon_space(body) {
        None => match system_lines::match_any(language, body) {
            Some((_, event)) => Body::System(event),
            None => {
                diagnostics.add(Some(line), DiagnosticKind::UnknownSystemLine);
                Body::System(SystemEvent::Unknown {
                    text: trim_marks(body).to_owned(),
                })
            }
        },
        Some(at) => {
            if system_lines::may_be_free_text_system_line(body.as_bytes()) {
                if let Some((_, event)) = system_lines::match_any(language, body) {
                    return Body::System(event);
                }
            }
            if format.variant == Variant::Ios
                && system_lines::encryption_notice_sender(body).is_some()
            {
                return Body::System(SystemEvent::EncryptionNotice);
            }
            let text = &body[at + 2..];
            Body::Message {
                author: Person::Named(clean_name(&body[..at])),
                text: text.to_owned(),
            }
        }
    }
}

fn into_event(pending: Pending) -> Event {
    let kind = match pending.body {
        Body::System(event) => EventKind::System(event),
        Body::Message { author, text } => {
            let flags = message::flags(&text);
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
        raw: pending.raw,
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
            previous_time,
            diagnostics,
            in_text_before_first,
            finished,
        } = self;
        loop {
            let TextLine {
                number,
                text,
                invalid_utf8,
            } = match lines.next_line() {
                Ok(Some(line)) => line,
                Ok(None) => {
                    *finished = true;
                    diagnostics.close();
                    return pending.take().map(into_event);
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
                    return pending.take().map(into_event);
                }
            };
            if invalid_utf8 {
                diagnostics.add(Some(number), DiagnosticKind::InvalidUtf8);
            }
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
                    let body = classify(format, diagnostics, &text[h.body..], number);
                    let started = Pending {
                        time,
                        lines: LineRange::single(number),
                        raw: text.to_owned(),
                        body,
                    };
                    if let Some(done) = pending.replace(started) {
                        return Some(into_event(done));
                    }
                }
                None => match pending {
                    Some(pending) => {
                        pending.lines.last = number;
                        pending.raw.push('\n');
                        pending.raw.push_str(text);
                        match &mut pending.body {
                            Body::Message { text: body, .. }
                            | Body::System(SystemEvent::Unknown { text: body }) => {
                                body.push('\n');
                                body.push_str(text);
                            }
                            Body::System(_) => {}
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
