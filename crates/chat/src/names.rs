//! Names as WhatsApp writes them, made comparable.
//!
//! Phones wrap phone numbers in bidi embeddings (`U+202A … U+202C`), put a left-to-right mark
//! before system text and no-break spaces inside numbers (`+31 6 12345678`). The same person
//! must come out as the same name wherever they appear, so these marks go; the raw line keeps
//! them for evidence.

use crate::Person;
use crate::tables::LanguageTable;

/// Bidi controls and zero-width characters that never belong to a name: LRM/RLM, the bidi
/// embeddings and isolates phones put around numbers and @mentions, zero-width (non-)joiners,
/// BOM. The one table for every reader and matcher of names.
pub fn is_invisible_mark(c: char) -> bool {
    matches!(
        c,
        '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}'
    )
}

/// Invisible marks removed, no-break spaces made spaces, whitespace trimmed.
pub(crate) fn clean_name(raw: &str) -> String {
    let mut out = String::new();
    clean_name_into(raw, &mut out);
    out
}

/// [`clean_name`] written into `out` (cleared first), so its buffer can be reused.
pub(crate) fn clean_name_into(raw: &str, out: &mut String) {
    out.clear();
    if raw.is_ascii() {
        // `str::trim` on ASCII text: tab to carriage return and space (vertical tab included,
        // which `trim_ascii` would keep).
        let is_space = |b: &u8| matches!(b, 0x09..=0x0D | b' ');
        let bytes = raw.as_bytes();
        if !bytes.first().is_some_and(is_space) && !bytes.last().is_some_and(is_space) {
            out.push_str(raw);
            return;
        }
        let start = bytes
            .iter()
            .position(|b| !is_space(b))
            .unwrap_or(bytes.len());
        let end = bytes
            .iter()
            .rposition(|b| !is_space(b))
            .map_or(start, |at| at + 1);
        out.push_str(raw.get(start..end).unwrap_or(""));
        return;
    }
    out.reserve(raw.len());
    for c in raw.chars() {
        if is_invisible_mark(c) {
            continue;
        }
        if c == '\u{00A0}' || c == '\u{202F}' {
            out.push(' ');
        } else {
            out.push(c);
        }
    }
    let end = out.trim_end().len();
    out.truncate(end);
    let leading = out.len() - out.trim_start().len();
    out.drain(..leading);
}

/// Leading invisible marks removed (WhatsApp puts `U+200E` before system text).
pub(crate) fn trim_marks(text: &str) -> &str {
    text.trim_start_matches(is_invisible_mark)
}

/// One person: the exporter when the name is one of the language's forms for "you".
pub(crate) fn person(raw: &str, table: &LanguageTable) -> Person {
    let name = clean_name(raw);
    if table.exporter.contains(&name.as_str()) {
        Person::Exporter
    } else {
        Person::Named(name)
    }
}

/// A list such as `Jan, Mila, Daan en u` (Dutch), `A, B and C` (English) or `A، B وC`
/// (Arabic).
pub(crate) fn people(raw: &str, table: &LanguageTable) -> Vec<Person> {
    let (head, last) = match raw.rfind(table.list_and) {
        Some(at) => (&raw[..at], Some(&raw[at + table.list_and.len()..])),
        None => (raw, None),
    };
    // `, ` and, on Arabic phones, the Arabic comma `، `.
    let mut out: Vec<Person> = head
        .split(", ")
        .flat_map(|part| part.split("، "))
        .filter(|part| !part.trim().is_empty())
        .map(|part| person(part, table))
        .collect();
    if let Some(last) = last.filter(|l| !l.trim().is_empty()) {
        out.push(person(last, table));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tables::{en, nl};

    #[test]
    fn phone_numbers_lose_their_bidi_marks_and_no_break_spaces() {
        assert_eq!(
            clean_name("\u{200E}\u{202A}+31\u{00A0}6\u{00A0}12345678\u{202C}"),
            "+31 6 12345678"
        );
    }

    #[test]
    fn the_exporter_has_one_identity() {
        assert_eq!(person("u", &nl::TABLE), Person::Exporter);
        assert_eq!(person("You", &en::TABLE), Person::Exporter);
        assert_eq!(person("Ursula", &nl::TABLE), Person::Named("Ursula".into()));
    }

    #[test]
    fn lists_split_on_commas_and_the_last_and() {
        let names = people("Jan, Mila, Daan en u", &nl::TABLE);
        assert_eq!(
            names,
            vec![
                Person::Named("Jan".into()),
                Person::Named("Mila".into()),
                Person::Named("Daan".into()),
                Person::Exporter
            ]
        );
        assert_eq!(people("A and B", &en::TABLE).len(), 2);
        assert_eq!(
            people("Sanne", &nl::TABLE),
            vec![Person::Named("Sanne".into())]
        );
    }
}
