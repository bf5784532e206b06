//! Matching a line's text against the language tables' templates.

use std::sync::{Arc, LazyLock};

use memchr::memmem;

use crate::names::{people, person};
use crate::tables::{LanguageTable, Meaning, TABLES};
use crate::{Language, Person, SystemEvent};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Slot {
    By,
    Who,
    Group,
    From,
    To,
    New,
    Any,
}

#[derive(Debug, Clone)]
enum Piece {
    /// The literal and a searcher for it, built once.
    Literal(&'static str, Arc<memmem::Finder<'static>>),
    Slot(Slot),
}

#[derive(Debug)]
struct Template {
    meaning: Meaning,
    pieces: Vec<Piece>,
    /// The literal the text must start with, if the template starts with one.
    prefix: Option<&'static str>,
    /// The literal the text must end with (a final `.` allowed), if the template ends in one.
    suffix: Option<&'static str>,
}

impl Template {
    /// Cheap checks that reject almost every line before the search for middle literals.
    fn may_match(&self, text: &str) -> bool {
        if let Some(prefix) = self.prefix {
            // The first byte first: a call to compare whole strings costs more than most
            // templates need to be rejected.
            if text.as_bytes().first() != prefix.as_bytes().first() || !text.starts_with(prefix) {
                return false;
            }
        }
        if let Some(suffix) = self.suffix {
            let body = text.strip_suffix('.').unwrap_or(text);
            let last = suffix.as_bytes().last();
            if (text.as_bytes().last() != last || !text.ends_with(suffix))
                && (body.as_bytes().last() != last || !body.ends_with(suffix))
            {
                return false;
            }
        }
        true
    }
}

/// The first byte of a template's prefix and the last of its suffix (0: none), side by side
/// for a tight first look at every template.
#[derive(Debug, Clone, Copy)]
struct QuickCheck {
    first: u8,
    last: u8,
}

impl QuickCheck {
    /// `false` when the text cannot match (the text's first and last two bytes given).
    #[inline(always)]
    fn may_match(self, first: u8, last: u8, before_last: u8) -> bool {
        (self.first == 0 || self.first == first)
            && (self.last == 0 || self.last == last || (last == b'.' && self.last == before_last))
    }
}

#[derive(Debug)]
struct CompiledTable {
    table: &'static LanguageTable,
    templates: Vec<Template>,
    /// One per template, in the same order.
    quick: Vec<QuickCheck>,
    /// Final literals of templates with a free-text slot (a group name may hold `: `).
    free_text_endings: Vec<&'static str>,
    /// How the encryption notices begin.
    encryption_prefixes: Vec<&'static str>,
}

static COMPILED: LazyLock<Vec<CompiledTable>> =
    LazyLock::new(|| TABLES.iter().map(|table| compile(table)).collect());

fn compile(table: &'static LanguageTable) -> CompiledTable {
    let templates: Vec<Template> = table
        .templates
        .iter()
        .map(|(meaning, text)| {
            let pieces = pieces(text);
            let prefix = match pieces.first() {
                Some(Piece::Literal(l, _)) => Some(*l),
                _ => None,
            };
            let suffix = match pieces.last() {
                Some(Piece::Literal(l, _)) if pieces.len() > 1 => Some(*l),
                _ => None,
            };
            Template {
                meaning: *meaning,
                pieces,
                prefix,
                suffix,
            }
        })
        .collect();
    let encryption_prefixes = templates
        .iter()
        .filter(|t| t.meaning == Meaning::EncryptionNotice)
        .filter_map(|t| t.prefix)
        .collect();
    let mut free_text_endings = Vec::new();
    for template in &templates {
        let free = template.pieces.iter().any(|p| {
            matches!(
                p,
                Piece::Slot(Slot::Group | Slot::From | Slot::To | Slot::Any)
            )
        });
        if let (true, Some(Piece::Literal(end, _))) = (free, template.pieces.last()) {
            if !free_text_endings.contains(end) {
                free_text_endings.push(*end);
            }
        }
    }
    let quick = templates
        .iter()
        .map(|t| QuickCheck {
            first: t
                .prefix
                .and_then(|p| p.as_bytes().first().copied())
                .unwrap_or(0),
            last: t
                .suffix
                .and_then(|s| s.as_bytes().last().copied())
                .unwrap_or(0),
        })
        .collect();
    CompiledTable {
        table,
        templates,
        quick,
        free_text_endings,
        encryption_prefixes,
    }
}

fn pieces(template: &'static str) -> Vec<Piece> {
    let mut out = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        if open > 0 {
            out.push(literal(&rest[..open]));
        }
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        let slot = match &rest[open + 1..open + close] {
            "by" => Slot::By,
            "who" => Slot::Who,
            "group" => Slot::Group,
            "from" => Slot::From,
            "to" => Slot::To,
            "new" => Slot::New,
            _ => Slot::Any,
        };
        out.push(Piece::Slot(slot));
        rest = &rest[open + close + 1..];
    }
    if !rest.is_empty() {
        out.push(literal(rest));
    }
    out
}

fn literal(text: &'static str) -> Piece {
    Piece::Literal(text, Arc::new(memmem::Finder::new(text.as_bytes())))
}

type Captures<'a> = [Option<&'a str>; 7];

fn slot_index(slot: Slot) -> usize {
    slot as usize
}

/// Matches `pieces` against all of `text`, trying every place a middle literal occurs.
fn matches<'a>(pieces: &[Piece], text: &'a str, captures: &mut Captures<'a>) -> bool {
    match pieces.split_first() {
        None => text.is_empty(),
        Some((Piece::Literal(literal, _), rest)) => {
            if rest.is_empty() {
                return text == *literal
                    || (text.len() == literal.len() + 1
                        && text.starts_with(literal)
                        && text.ends_with('.'));
            }
            match text.strip_prefix(literal) {
                Some(after) => matches(rest, after, captures),
                None => false,
            }
        }
        Some((Piece::Slot(slot), rest)) => match rest.split_first() {
            None => {
                if text.is_empty() && *slot != Slot::Any {
                    return false;
                }
                captures[slot_index(*slot)] = Some(text);
                true
            }
            Some((Piece::Literal(literal, finder), after_literal)) => {
                if after_literal.is_empty() {
                    // The literal ends the line (a final `.` allowed).
                    let body = if text.ends_with(literal) {
                        Some(text)
                    } else {
                        text.strip_suffix('.').filter(|t| t.ends_with(literal))
                    };
                    let Some(body) = body else { return false };
                    let captured = &body[..body.len() - literal.len()];
                    if captured.is_empty() {
                        return false;
                    }
                    captures[slot_index(*slot)] = Some(captured);
                    return true;
                }
                // The slot takes at least one character.
                let mut from = text.chars().next().map_or(text.len() + 1, char::len_utf8);
                while let Some(found) = text.get(from..).and_then(|t| finder.find(t.as_bytes())) {
                    let at = from + found;
                    if matches(&rest[1..], &text[at + literal.len()..], captures) {
                        captures[slot_index(*slot)] = Some(&text[..at]);
                        return true;
                    }
                    from = at + 1;
                    while !text.is_char_boundary(from) {
                        from += 1;
                    }
                }
                false
            }
            Some((Piece::Slot(_), _)) => false,
        },
    }
}

const QUOTES: &[char] = &['"', '“', '”', '‘', '’', '\'', '«', '»', '„'];

fn unquote(text: &str) -> String {
    let text = crate::names::trim_marks(text.trim());
    let inner = text
        .strip_prefix(QUOTES)
        .and_then(|t| t.strip_suffix(QUOTES))
        .unwrap_or(text);
    crate::names::clean_name(inner)
}

/// The system event `text` (the line after its header, marks included) stands for in this
/// language, or `None`.
pub(crate) fn match_line(language: Language, text: &str) -> Option<SystemEvent> {
    let compiled = COMPILED.iter().find(|c| c.table.language == language)?;
    match_in(compiled, text)
}

/// Like [`match_line`], trying the file's language first and then every other table.
pub(crate) fn match_any(language: Language, text: &str) -> Option<(Language, SystemEvent)> {
    if let Some(event) = match_line(language, text) {
        return Some((language, event));
    }
    COMPILED
        .iter()
        .filter(|c| c.table.language != language)
        .find_map(|c| match_in(c, text).map(|e| (c.table.language, e)))
}

/// The last bytes of every free-text template's final literal, to skip the comparisons.
static FREE_TEXT_LAST_BYTES: LazyLock<[bool; 256]> = LazyLock::new(|| {
    let mut set = [false; 256];
    for compiled in COMPILED.iter() {
        for end in &compiled.free_text_endings {
            if let Some(last) = end.as_bytes().last() {
                set[usize::from(*last)] = true;
            }
        }
    }
    set
});

/// Could a line whose text holds `: ` still be a system line? Only one naming a group (the
/// name may hold `: `); cheap, because it runs on every message.
pub(crate) fn may_be_free_text_system_line(text: &[u8]) -> bool {
    let text = text.trim_ascii_end();
    let Some(last) = text.last() else {
        return false;
    };
    // Quotes end in `"`, `'` or the last byte of `”`/`’`/`»` (0x9D, 0x99, 0xBB).
    if matches!(last, b'"' | b'\'' | 0x9D | 0x99 | 0xBB) {
        return text.ends_with(b"\"")
            || text.ends_with(b"'")
            || QUOTES.iter().any(|q| {
                let mut buf = [0u8; 4];
                text.ends_with(q.encode_utf8(&mut buf).as_bytes())
            });
    }
    let text = text.strip_suffix(b".").unwrap_or(text);
    if !text
        .last()
        .is_some_and(|b| FREE_TEXT_LAST_BYTES[usize::from(*b)])
    {
        return false;
    }
    COMPILED.iter().any(|c| {
        c.free_text_endings
            .iter()
            .any(|end| text.ends_with(end.as_bytes()))
    })
}

fn match_in(compiled: &CompiledTable, text: &str) -> Option<SystemEvent> {
    let table = compiled.table;
    let mut text = crate::names::trim_marks(text).trim_end();
    for hint in table.trailing_hints {
        if let Some(stripped) = text.strip_suffix(hint) {
            text = stripped;
            break;
        }
    }
    let bytes = text.as_bytes();
    let first = bytes.first().copied().unwrap_or(0);
    let last = bytes.last().copied().unwrap_or(0);
    let before_last = bytes.len().checked_sub(2).map_or(0, |at| bytes[at]);
    for (template, quick) in compiled.templates.iter().zip(&compiled.quick) {
        if !quick.may_match(first, last, before_last) || !template.may_match(text) {
            continue;
        }
        let mut captures: Captures = [None; 7];
        if !matches(&template.pieces, text, &mut captures) {
            continue;
        }
        // A name never holds `: `: `Alice: Jan heeft de groep verlaten` is a message.
        let names_ok = [Slot::By, Slot::Who, Slot::New]
            .iter()
            .filter_map(|s| captures[slot_index(*s)])
            .all(|name| !name.contains(": ") && !name.trim().is_empty());
        if !names_ok {
            continue;
        }
        return Some(build(template.meaning, &captures, table));
    }
    None
}

fn build(meaning: Meaning, captures: &Captures, table: &LanguageTable) -> SystemEvent {
    let one = |slot: Slot| {
        captures[slot_index(slot)]
            .map(|name| person(name, table))
            .unwrap_or(Person::Exporter)
    };
    let many = |slot: Slot| {
        captures[slot_index(slot)]
            .map(|names| people(names, table))
            .unwrap_or_else(|| vec![Person::Exporter])
    };
    let name = |slot: Slot| captures[slot_index(slot)].map(unquote);
    match meaning {
        Meaning::Created => SystemEvent::Created {
            by: one(Slot::By),
            group: name(Slot::Group),
        },
        Meaning::Added => SystemEvent::Added {
            by: one(Slot::By),
            who: many(Slot::Who),
        },
        Meaning::AddedUnattributed => SystemEvent::AddedUnattributed {
            who: many(Slot::Who),
        },
        Meaning::Removed => SystemEvent::Removed {
            by: one(Slot::By),
            who: many(Slot::Who),
        },
        Meaning::Left => SystemEvent::Left {
            who: one(Slot::Who),
        },
        Meaning::JoinedViaLink => SystemEvent::JoinedViaLink {
            who: one(Slot::Who),
        },
        Meaning::JoinedViaInvite => SystemEvent::JoinedViaInvite {
            who: one(Slot::Who),
        },
        Meaning::SubjectChanged => SystemEvent::SubjectChanged {
            by: one(Slot::By),
            from: name(Slot::From),
            to: name(Slot::To).unwrap_or_default(),
        },
        Meaning::IconChanged => SystemEvent::IconChanged { by: one(Slot::By) },
        Meaning::IconDeleted => SystemEvent::IconDeleted { by: one(Slot::By) },
        Meaning::DescriptionChanged => SystemEvent::DescriptionChanged { by: one(Slot::By) },
        Meaning::AdminGranted => SystemEvent::AdminChanged {
            who: one(Slot::Who),
            admin: true,
        },
        Meaning::AdminRevoked => SystemEvent::AdminChanged {
            who: one(Slot::Who),
            admin: false,
        },
        Meaning::NumberChanged => SystemEvent::NumberChanged {
            who: one(Slot::Who),
            new: captures[slot_index(Slot::New)].map(|n| person(n, table)),
        },
        Meaning::SecurityCodeChanged => SystemEvent::SecurityCodeChanged {
            who: one(Slot::Who),
        },
        Meaning::EncryptionNotice => SystemEvent::EncryptionNotice,
    }
}

/// Where the sender ends in an iPhone encryption notice (`Klas: 2B: ‎Berichten en …`): the
/// group name may itself hold `: `, so every `: ` is tried.
pub(crate) fn encryption_notice_sender(body: &str) -> Option<usize> {
    let bytes = body.as_bytes();
    memchr::memchr_iter(b':', bytes)
        .filter(|&at| bytes.get(at + 1) == Some(&b' '))
        .find(|&at| is_encryption_notice(&body[at + 2..]))
}

/// Does a message's text start like an encryption notice? iPhone writes the notice as if the
/// group itself had sent it (`[…] Klas 2B: ‎Berichten en gesprekken worden …`).
pub(crate) fn is_encryption_notice(text: &str) -> bool {
    let text = crate::names::trim_marks(text);
    COMPILED
        .iter()
        .any(|c| c.encryption_prefixes.iter().any(|p| text.starts_with(p)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn named(n: &str) -> Person {
        Person::Named(n.into())
    }

    #[test]
    fn removal_needs_the_specific_icon_template_first() {
        assert_eq!(
            match_line(Language::Dutch, "Jan heeft de groepsafbeelding verwijderd"),
            Some(SystemEvent::IconDeleted { by: named("Jan") })
        );
        assert_eq!(
            match_line(Language::Dutch, "\u{200E}Jan heeft Mila verwijderd"),
            Some(SystemEvent::Removed {
                by: named("Jan"),
                who: vec![named("Mila")]
            })
        );
    }

    #[test]
    fn a_message_that_quotes_a_system_line_is_not_one() {
        assert_eq!(
            match_line(Language::Dutch, "Alice: Jan heeft de groep verlaten"),
            None
        );
    }

    #[test]
    fn subject_changes_keep_group_names_with_colons_and_quotes() {
        assert_eq!(
            match_line(
                Language::English,
                "Alice changed the subject from \"Klas: 2B\" to \"Klas 2B zonder Mila\""
            ),
            Some(SystemEvent::SubjectChanged {
                by: named("Alice"),
                from: Some("Klas: 2B".into()),
                to: "Klas 2B zonder Mila".into()
            })
        );
        assert!(may_be_free_text_system_line(
            "Alice changed the subject to \"A: b\"".as_bytes()
        ));
        assert!(may_be_free_text_system_line(
            "Jan heeft het onderwerp gewijzigd naar “A: b”".as_bytes()
        ));
        assert!(!may_be_free_text_system_line(b"Alice: hoi"));
    }

    #[test]
    fn trailing_hints_and_final_periods_are_ignored() {
        assert_eq!(
            match_line(
                Language::Dutch,
                "Jan heeft de groepsbeschrijving gewijzigd. Tik om te bekijken."
            ),
            Some(SystemEvent::DescriptionChanged { by: named("Jan") })
        );
        assert_eq!(
            match_line(
                Language::English,
                "Your security code with Bob changed. Tap to learn more."
            ),
            Some(SystemEvent::SecurityCodeChanged { who: named("Bob") })
        );
    }
}
