//! The custody log: one JSON line per upload, view, download or export of evidence, each
//! carrying the SHA-256 of the entry before it, so an edited or removed entry breaks the
//! chain at that point.
//!
//! An entry's hash is the SHA-256 of its canonical text: the entry's fields without `hash`
//! as one JSON object with its keys sorted and no spaces. The line written to the log is
//! that object with `hash` added (keys sorted again). Anyone can recompute it with a few
//! lines of any language; `verify_chain` does it here.

use std::collections::BTreeMap;

use serde_json::Value;
use sha2::{Digest, Sha256};

/// The `prev` of the first entry: 64 zeros.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The fields of one entry as the caller fills them in; `seq` and `prev` are added by
/// [`seal`].
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct EntryFields {
    /// UTC, `YYYY-MM-DDTHH:MM:SSZ`.
    pub at: String,
    /// Who did it (the account's name and id, as the log shows them).
    pub actor: String,
    /// `upload`, `view`, `download`, `export`, `report`, ...
    pub action: String,
    /// The evidence file concerned, when one is.
    pub evidence: Option<i64>,
    pub file: Option<String>,
    pub sha256: Option<String>,
    /// Why (asked for a download or an export).
    pub reason: Option<String>,
}

/// A sealed entry: its canonical text (without `hash`), its hash and the full log line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sealed {
    pub seq: u64,
    pub canonical: String,
    pub hash: String,
    pub line: String,
}

/// Lowercase hex SHA-256.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 15)]));
    }
    out
}

fn canonical_text(map: &BTreeMap<String, Value>) -> String {
    // A BTreeMap serialises its keys in order whatever serde_json's features are.
    serde_json::to_string(map).unwrap_or_default()
}

/// Seals entry number `seq` (1-based) after the entry whose hash is `prev`.
pub fn seal(fields: &EntryFields, seq: u64, prev: &str) -> Sealed {
    let mut map = BTreeMap::new();
    map.insert("seq".to_owned(), Value::from(seq));
    map.insert("prev".to_owned(), Value::from(prev));
    map.insert("at".to_owned(), Value::from(fields.at.as_str()));
    map.insert("actor".to_owned(), Value::from(fields.actor.as_str()));
    map.insert("action".to_owned(), Value::from(fields.action.as_str()));
    let optional = |v: &Option<String>| v.as_deref().map_or(Value::Null, Value::from);
    map.insert(
        "evidence".to_owned(),
        fields.evidence.map_or(Value::Null, Value::from),
    );
    map.insert("file".to_owned(), optional(&fields.file));
    map.insert("sha256".to_owned(), optional(&fields.sha256));
    map.insert("reason".to_owned(), optional(&fields.reason));
    let canonical = canonical_text(&map);
    let hash = sha256_hex(canonical.as_bytes());
    map.insert("hash".to_owned(), Value::from(hash.as_str()));
    Sealed {
        seq,
        line: canonical_text(&map),
        canonical,
        hash,
    }
}

/// The stored canonical text plus its hash as the log line.
pub fn line_of(canonical: &str, hash: &str) -> String {
    match serde_json::from_str::<BTreeMap<String, Value>>(canonical) {
        Ok(mut map) => {
            map.insert("hash".to_owned(), Value::from(hash));
            canonical_text(&map)
        }
        Err(_) => canonical.to_owned(),
    }
}

/// Where and why a chain breaks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainBreak {
    /// 1-based line of the log.
    pub line: usize,
    pub problem: ChainProblem,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChainProblem {
    /// Not a JSON object with the fields an entry has.
    Unreadable,
    /// The entry's content does not match its own hash: it was edited.
    Edited,
    /// The entry does not point at the one before it: an entry was removed, added or moved.
    WrongPrevious,
    /// The sequence number is not the next one.
    WrongSequence { expected: u64, found: u64 },
}

impl ChainBreak {
    pub fn message(&self, dutch: bool) -> String {
        let line = self.line;
        match (&self.problem, dutch) {
            (ChainProblem::Unreadable, true) => format!("regel {line} is geen leesbare logregel"),
            (ChainProblem::Unreadable, false) => format!("line {line} is not a readable entry"),
            (ChainProblem::Edited, true) => {
                format!("regel {line} is gewijzigd (de inhoud klopt niet met de eigen hash)")
            }
            (ChainProblem::Edited, false) => {
                format!("line {line} was edited (its content does not match its own hash)")
            }
            (ChainProblem::WrongPrevious, true) => format!(
                "regel {line} verwijst niet naar de regel ervoor: er is een regel weggehaald, toegevoegd of verplaatst"
            ),
            (ChainProblem::WrongPrevious, false) => format!(
                "line {line} does not point at the entry before it: an entry was removed, added or moved"
            ),
            (ChainProblem::WrongSequence { expected, found }, true) => format!(
                "regel {line} heeft volgnummer {found}, verwacht {expected}: er ontbreekt een regel of er is er een toegevoegd"
            ),
            (ChainProblem::WrongSequence { expected, found }, false) => format!(
                "line {line} has sequence number {found}, expected {expected}: an entry is missing or was added"
            ),
        }
    }
}

/// A chain that holds: how many entries and the last entry's hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainHead {
    pub entries: u64,
    pub head: String,
}

/// Checks every entry of a log (JSON lines): its own hash, its `prev` and its `seq`.
/// Returns the first break.
pub fn verify_chain(log: &str) -> Result<ChainHead, ChainBreak> {
    let mut prev = GENESIS.to_owned();
    let mut entries = 0u64;
    for (index, raw) in log.lines().enumerate() {
        let line = index + 1;
        if raw.trim().is_empty() {
            continue;
        }
        let broken = |problem| ChainBreak { line, problem };
        let Ok(mut map) = serde_json::from_str::<BTreeMap<String, Value>>(raw) else {
            return Err(broken(ChainProblem::Unreadable));
        };
        let (Some(Value::String(hash)), Some(found_prev), Some(seq)) = (
            map.remove("hash"),
            map.get("prev").and_then(Value::as_str).map(str::to_owned),
            map.get("seq").and_then(Value::as_u64),
        ) else {
            return Err(broken(ChainProblem::Unreadable));
        };
        if sha256_hex(canonical_text(&map).as_bytes()) != hash {
            return Err(broken(ChainProblem::Edited));
        }
        if seq != entries + 1 {
            return Err(broken(ChainProblem::WrongSequence {
                expected: entries + 1,
                found: seq,
            }));
        }
        if found_prev != prev {
            return Err(broken(ChainProblem::WrongPrevious));
        }
        prev = hash;
        entries += 1;
    }
    Ok(ChainHead {
        entries,
        head: prev,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn log(n: u64) -> Vec<String> {
        let mut prev = GENESIS.to_owned();
        (1..=n)
            .map(|seq| {
                let sealed = seal(
                    &EntryFields {
                        at: format!("2026-03-0{seq}T10:00:00Z"),
                        actor: "Anouk Smit (#3)".into(),
                        action: "view".into(),
                        evidence: Some(7),
                        ..EntryFields::default()
                    },
                    seq,
                    &prev,
                );
                prev = sealed.hash.clone();
                sealed.line
            })
            .collect()
    }

    #[test]
    fn a_sealed_log_verifies_and_line_of_rebuilds_the_line() {
        let lines = log(3);
        let head = verify_chain(&lines.join("\n")).unwrap_or_else(|b| panic!("{b:?}"));
        assert_eq!(head.entries, 3);
        let sealed = seal(&EntryFields::default(), 1, GENESIS);
        assert_eq!(line_of(&sealed.canonical, &sealed.hash), sealed.line);
    }

    #[test]
    fn an_edited_entry_breaks_at_that_entry() {
        let mut lines = log(3);
        lines[1] = lines[1].replace("\"view\"", "\"download\"");
        let broken = verify_chain(&lines.join("\n")).err();
        assert_eq!(
            broken.map(|b| (b.line, b.problem)),
            Some((2, ChainProblem::Edited))
        );
    }

    #[test]
    fn a_removed_entry_breaks_at_the_next() {
        let mut lines = log(3);
        lines.remove(1);
        let broken = verify_chain(&lines.join("\n")).err();
        assert_eq!(broken.map(|b| b.line), Some(2));
    }
}
