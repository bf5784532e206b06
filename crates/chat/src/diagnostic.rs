//! What the reader tells a person about a file: typed, so it can be said in Dutch or English.

use std::fmt;

use crate::{Language, LocalDateTime};

/// Something the reader noticed that a person may need to know: an unknown system line, a
/// timestamp that goes backwards, an undecidable day/month order, a line it could not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// 1-based line, or `None` for the file as a whole.
    pub line: Option<u32>,
    pub kind: DiagnosticKind,
}

/// Day/month order of the dates in a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DateOrder {
    DayMonthYear,
    MonthDayYear,
    YearMonthDay,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DiagnosticKind {
    /// No date in the file tells day from month; `assumed` was taken.
    DateOrderUndecided { assumed: DateOrder },
    /// Some dates only fit day-first and others only month-first; the majority was taken.
    DateOrderConflicting { assumed: DateOrder },
    /// A line WhatsApp wrote that no table knows; kept as `SystemEvent::Unknown`.
    UnknownSystemLine,
    /// This entry's time is earlier than the one before it (kept as written: a phone that
    /// was offline sends late).
    TimeGoesBack {
        previous: LocalDateTime,
        this: LocalDateTime,
    },
    /// Lines before the first entry that belong to none.
    TextBeforeFirstEntry,
    /// A header in the file's own format with a date or time that does not exist; read as
    /// text of the entry before it.
    ImpossibleDate,
    /// Bytes that are not UTF-8, replaced by `�`.
    InvalidUtf8,
    /// Reading stopped: the file could not be read further.
    ReadFailed { reason: String },
    /// More diagnostics of this file were left out.
    TooMany { left_out: u64 },
}

fn order_nl(order: DateOrder) -> &'static str {
    match order {
        DateOrder::DayMonthYear => "dag-maand-jaar",
        DateOrder::MonthDayYear => "maand-dag-jaar",
        DateOrder::YearMonthDay => "jaar-maand-dag",
    }
}

fn order_en(order: DateOrder) -> &'static str {
    match order {
        DateOrder::DayMonthYear => "day-month-year",
        DateOrder::MonthDayYear => "month-day-year",
        DateOrder::YearMonthDay => "year-month-day",
    }
}

impl DiagnosticKind {
    /// The message in `language`, without the line number.
    pub fn message(&self, language: Language) -> String {
        match (self, language) {
            (Self::DateOrderUndecided { assumed }, Language::Dutch) => format!(
                "uit de datums is niet af te leiden wat dag en wat maand is; aangenomen: {}",
                order_nl(*assumed)
            ),
            (Self::DateOrderUndecided { assumed }, _) => format!(
                "the dates do not show which number is the day and which the month; assumed {}",
                order_en(*assumed)
            ),
            (Self::DateOrderConflicting { assumed }, Language::Dutch) => format!(
                "sommige datums passen alleen bij dag-maand, andere alleen bij maand-dag; aangenomen: {}",
                order_nl(*assumed)
            ),
            (Self::DateOrderConflicting { assumed }, _) => format!(
                "some dates only fit day-month and others only month-day; assumed {}",
                order_en(*assumed)
            ),
            (Self::UnknownSystemLine, Language::Dutch) => {
                "onbekende melding van WhatsApp; bewaard zoals ze er staat".into()
            }
            (Self::UnknownSystemLine, _) => "unknown WhatsApp notice; kept as written".into(),
            (Self::TimeGoesBack { previous, this }, Language::Dutch) => format!(
                "tijd loopt terug ({this} na {previous}); zo gelaten, een telefoon die offline was verstuurt later"
            ),
            (Self::TimeGoesBack { previous, this }, _) => format!(
                "time goes back ({this} after {previous}); kept, a phone that was offline sends late"
            ),
            (Self::TextBeforeFirstEntry, Language::Dutch) => {
                "tekst voor het eerste bericht; overgeslagen".into()
            }
            (Self::TextBeforeFirstEntry, _) => "text before the first message; skipped".into(),
            (Self::ImpossibleDate, Language::Dutch) => {
                "datum of tijd bestaat niet; gelezen als tekst van het bericht ervoor".into()
            }
            (Self::ImpossibleDate, _) => {
                "date or time does not exist; read as text of the message before".into()
            }
            (Self::InvalidUtf8, Language::Dutch) => {
                "tekens die geen UTF-8 zijn, vervangen door �".into()
            }
            (Self::InvalidUtf8, _) => "characters that are not UTF-8, replaced by �".into(),
            (Self::ReadFailed { reason }, Language::Dutch) => {
                format!("lezen gestopt: {reason}")
            }
            (Self::ReadFailed { reason }, _) => {
                format!("reading stopped: {reason}")
            }
            (Self::TooMany { left_out }, Language::Dutch) => {
                format!("nog {left_out} meldingen weggelaten")
            }
            (Self::TooMany { left_out }, _) => {
                format!("{left_out} more diagnostics left out")
            }
        }
    }
}

impl Diagnostic {
    /// `regel 17: …` / `line 17: …`.
    pub fn render(&self, language: Language) -> String {
        match (self.line, language) {
            (Some(line), Language::Dutch) => {
                format!("regel {line}: {}", self.kind.message(language))
            }
            (Some(line), _) => {
                format!("line {line}: {}", self.kind.message(language))
            }
            (None, _) => self.kind.message(language),
        }
    }
}

impl fmt::Display for Diagnostic {
    /// English, for logs and developers; users get [`Diagnostic::render`] in their language.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(Language::English))
    }
}
