//! The first pass: what kind of export a file is.
//!
//! Day/month order, header shape and phone language can only be told from the whole file
//! (`5/2/22` is 5 February or 2 May until a `13/2/22` turns up), so the reader reads it twice:
//! this pass keeps a few counters per header shape and nothing per line.

use std::io::BufRead;

use crate::ReadError;
use crate::diagnostic::{DateOrder, Diagnostic, DiagnosticKind};
use crate::header::{self, Shape};
use crate::lines::{LineReader, colon_space_bytes};
use crate::names::clean_name;
use crate::system_lines;
use crate::tables::TABLES;

/// The phone language of an export (the language WhatsApp wrote its own lines in), and the
/// language diagnostics are rendered in (Dutch, else English).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Language {
    Dutch,
    English,
    German,
    French,
    Spanish,
    Turkish,
    Arabic,
    Polish,
}

impl Language {
    /// Every phone language the reader knows, Dutch first.
    pub const ALL: [Language; 8] = [
        Language::Dutch,
        Language::English,
        Language::German,
        Language::French,
        Language::Spanish,
        Language::Turkish,
        Language::Arabic,
        Language::Polish,
    ];

    /// `nl`, `en`, `de`, `fr`, `es`, `tr`, `ar`, `pl` (ISO 639-1).
    pub fn code(self) -> &'static str {
        match self {
            Language::Dutch => "nl",
            Language::English => "en",
            Language::German => "de",
            Language::French => "fr",
            Language::Spanish => "es",
            Language::Turkish => "tr",
            Language::Arabic => "ar",
            Language::Polish => "pl",
        }
    }

    /// From the code [`Language::code`] gives.
    pub fn from_code(code: &str) -> Option<Language> {
        Language::ALL.into_iter().find(|l| l.code() == code)
    }
}

/// Which WhatsApp made the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Variant {
    Android,
    Ios,
}

impl Variant {
    /// `android` / `ios`, as in the JSON contract.
    pub fn code(self) -> &'static str {
        match self {
            Variant::Android => "android",
            Variant::Ios => "ios",
        }
    }
}

/// What the first pass learned: enough to read the file's entries in the second.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Format {
    pub variant: Variant,
    pub language: Language,
    pub date_order: DateOrder,
    pub twelve_hour: bool,
    /// The group's name at export time where the file shows it (iPhone writes the encryption
    /// notice "from" the group).
    pub group_hint: Option<String>,
    /// Whether any line told the phone's language (a system line or placeholder of a known
    /// table). When none did, `language` is only the reader's default, not a finding.
    pub language_recognised: bool,
    /// Lines that start an entry in the file's own header format.
    pub entries: u64,
    /// About the file as a whole (an undecidable day/month order).
    pub diagnostics: Vec<Diagnostic>,
    pub(crate) shape: Shape,
}

/// Counters for one header shape.
#[derive(Debug, Default)]
struct ShapeStats {
    count: u64,
    /// A first number above 12: it cannot be a month.
    first_above_12: u64,
    /// A second number above 12: it cannot be a month.
    second_above_12: u64,
    /// Steps back in time if the order is day-month / month-day.
    back_if_day_first: u64,
    back_if_month_first: u64,
    previous_day_first: Option<i64>,
    previous_month_first: Option<i64>,
}

/// At most this many distinct header shapes are tracked; more is noise, not an export.
const MAX_SHAPES: usize = 32;

/// Reads the whole of `reader` once and tells its format. `name` is only used in the error.
pub fn detect_format<R: BufRead>(reader: R, name: &str) -> Result<Format, ReadError> {
    let mut lines = LineReader::new(reader);
    let mut shapes: Vec<(Shape, ShapeStats)> = Vec::new();
    let mut votes = vec![0u64; TABLES.len()];
    let mut group_hint: Option<String> = None;
    loop {
        let line = match lines.next_line() {
            Ok(Some((_, line))) => line,
            Ok(None) => break,
            Err(source) => {
                return Err(ReadError::Io {
                    name: name.to_owned(),
                    source,
                });
            }
        };
        let Some(h) = header::parse(line) else {
            continue;
        };
        let stats = match shapes.iter().position(|(s, _)| *s == h.shape) {
            Some(i) => &mut shapes[i].1,
            None if shapes.len() < MAX_SHAPES => {
                shapes.push((h.shape, ShapeStats::default()));
                let last = shapes.len() - 1;
                &mut shapes[last].1
            }
            None => continue,
        };
        count_dates(stats, &h);
        let body = &line[h.body..];
        let early = stats.count <= EARLY_ENTRIES;
        if needs_vote(&votes, h.shape.iphone() && early, &group_hint) {
            vote(body, h.shape.iphone(), early, &mut votes, &mut group_hint);
        }
    }
    let Some((shape, stats)) = shapes.into_iter().max_by_key(|(_, s)| s.count) else {
        return Err(ReadError::NotAnExport {
            name: name.to_owned(),
        });
    };
    let mut diagnostics = Vec::new();
    let date_order = decide_date_order(&shape, &stats, &mut diagnostics);
    // Dutch (the first table) wins a tie: this is a Dutch product.
    let mut best = 0;
    for (i, v) in votes.iter().enumerate() {
        if *v > votes[best] {
            best = i;
        }
    }
    let language = TABLES[best].language;
    Ok(Format {
        variant: if shape.iphone() {
            Variant::Ios
        } else {
            Variant::Android
        },
        language,
        date_order,
        twelve_hour: shape.twelve_hour,
        group_hint: if shape.iphone() { group_hint } else { None },
        language_recognised: votes.iter().any(|v| *v > 0),
        entries: stats.count,
        diagnostics,
        shape,
    })
}

fn count_dates(stats: &mut ShapeStats, h: &header::Header) {
    stats.count += 1;
    if h.shape.year_first {
        return;
    }
    let [a, b, year] = h.date;
    let seconds = i64::from(h.hour) * 3600 + i64::from(h.minute) * 60 + i64::from(h.second);
    let key = |month: u16, day: u16| {
        ((i64::from(year) * 13 + i64::from(month)) * 32 + i64::from(day)) * 86_400 + seconds
    };
    if a > 12 {
        stats.first_above_12 += 1;
    } else {
        let k = key(a, b);
        if stats.previous_month_first.is_some_and(|p| k < p) {
            stats.back_if_month_first += 1;
        }
        stats.previous_month_first = Some(k);
    }
    if b > 12 {
        stats.second_above_12 += 1;
    } else {
        let k = key(b, a);
        if stats.previous_day_first.is_some_and(|p| k < p) {
            stats.back_if_day_first += 1;
        }
        stats.previous_day_first = Some(k);
    }
}

fn decide_date_order(
    shape: &Shape,
    stats: &ShapeStats,
    diagnostics: &mut Vec<Diagnostic>,
) -> DateOrder {
    if shape.year_first {
        return DateOrder::YearMonthDay;
    }
    let day_first_possible = stats.second_above_12 == 0;
    let month_first_possible = stats.first_above_12 == 0;
    match (day_first_possible, month_first_possible) {
        (true, false) => DateOrder::DayMonthYear,
        (false, true) => DateOrder::MonthDayYear,
        (false, false) => {
            let assumed = if stats.first_above_12 >= stats.second_above_12 {
                DateOrder::DayMonthYear
            } else {
                DateOrder::MonthDayYear
            };
            diagnostics.push(Diagnostic {
                line: None,
                kind: DiagnosticKind::DateOrderConflicting { assumed },
            });
            assumed
        }
        (true, true) => {
            // Going back in time is rare in a real chat; the order that does it less wins.
            if stats.back_if_day_first < stats.back_if_month_first {
                return DateOrder::DayMonthYear;
            }
            if stats.back_if_month_first < stats.back_if_day_first {
                return DateOrder::MonthDayYear;
            }
            // WhatsApp writes dates with `-` or `.` day first in every locale that uses them
            // (nl `02-05-2022`, de `02.05.22`): only `/` is used both ways.
            if shape.date_sep != b'/' {
                return DateOrder::DayMonthYear;
            }
            // `5/2/22, 16:08` (slashes, two-digit year, comma) is how US English phones write;
            // `02/05/2022` (four-digit year) is the British and European form.
            let assumed = if shape.date_sep == b'/' && shape.year_digits == 2 && shape.comma {
                DateOrder::MonthDayYear
            } else {
                DateOrder::DayMonthYear
            };
            diagnostics.push(Diagnostic {
                line: None,
                kind: DiagnosticKind::DateOrderUndecided { assumed },
            });
            assumed
        }
    }
}

/// Enough system lines tell the language; after that only dates are counted, which keeps the
/// first pass at the speed of splitting lines.
const ENOUGH_VOTES: u64 = 64;

/// iPhone writes its encryption notice (which names the group) at the top, and placeholders
/// only help when no system line does: both are looked for among the first entries only, so
/// a file without them does not slow the whole pass.
const EARLY_ENTRIES: u64 = 1000;

fn needs_vote(votes: &[u64], bracketed: bool, group_hint: &Option<String>) -> bool {
    votes.iter().sum::<u64>() < ENOUGH_VOTES || (bracketed && group_hint.is_none())
}

/// Counts evidence of the phone's language, and notes the group name iPhone shows. Works on
/// bytes: a line is only decoded when it may be a system line or a placeholder.
fn vote(
    body: &[u8],
    bracketed: bool,
    early: bool,
    votes: &mut [u64],
    group_hint: &mut Option<String>,
) {
    let decode = |bytes: &[u8]| String::from_utf8_lossy(bytes).into_owned();
    let language = TABLES[0].language;
    match colon_space_bytes(body) {
        None => {
            if let Some((found, _)) = system_lines::match_any(language, &decode(body)) {
                add_vote(votes, found);
            }
        }
        Some(at) => {
            if system_lines::may_be_free_text_system_line(body) {
                if let Some((found, _)) = system_lines::match_any(language, &decode(body)) {
                    add_vote(votes, found);
                    return;
                }
            }
            if bracketed && early && group_hint.is_none() {
                let text = decode(body);
                if let Some(sender) = system_lines::encryption_notice_sender(&text) {
                    *group_hint = Some(clean_name(&text[..sender]));
                    if let Some((found, _)) = system_lines::match_any(language, &text[sender + 2..])
                    {
                        add_vote(votes, found);
                    }
                    return;
                }
            }
            if early && votes.iter().sum::<u64>() < 8 {
                let text = decode(&body[at + 2..]);
                if let Some(found) = crate::message::placeholder_language(&text) {
                    add_vote(votes, found);
                }
            }
        }
    }
}

fn add_vote(votes: &mut [u64], language: crate::Language) {
    if let Some(i) = TABLES.iter().position(|t| t.language == language) {
        votes[i] += 1;
    }
}
