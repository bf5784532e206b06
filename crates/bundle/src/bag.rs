//! A BagIt bag (RFC 8493, version 1.0) serialised as a zip with one top-level folder:
//! `bagit.txt`, `bag-info.txt`, `manifest-sha256.txt` (which is also `sha256sum -c`
//! format), `tagmanifest-sha256.txt`, a Dutch `LEESMIJ.txt`, and the payload under `data/`.
//!
//! [`write_zip`] builds one; [`verify_zip`] checks one without unpacking it: every payload
//! file against the manifest (altered, missing, extra), the tag files against the tag
//! manifest, and the custody log's chain against itself and against the head recorded in
//! `bag-info.txt`. Reading is bounded: entries are hashed as they stream, and a bag that
//! would inflate past [`MAX_TOTAL_BYTES`] is refused.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{self, Cursor, Read, Seek, Write};

use sha2::{Digest, Sha256};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipArchive, ZipWriter};

use crate::custody::{ChainBreak, hex, sha256_hex, verify_chain};

/// Where the custody log sits in the bag.
pub const CUSTODY_LOG: &str = "data/bewaarketen.jsonl";
/// `bag-info.txt` labels that pin the custody log's length and last hash, so that cutting
/// entries off its end is noticed too.
pub const LOG_ENTRIES_LABEL: &str = "Custody-Log-Entries";
pub const LOG_HEAD_LABEL: &str = "Custody-Log-Head";
/// The most bytes a bag may inflate to while being verified.
pub const MAX_TOTAL_BYTES: u64 = 8 << 30;
/// Tag files and the custody log are read into memory up to this size.
const MAX_TEXT_BYTES: u64 = 64 << 20;
/// More entries than this is not one of our bags.
const MAX_ENTRIES: usize = 100_000;

/// What goes into a bag.
#[derive(Debug, Clone, Default)]
pub struct BagContents {
    /// The top-level folder in the zip, e.g. `erbij-dossier-12`.
    pub root: String,
    /// `bag-info.txt` labels and values in order (`Payload-Oxum` is added).
    pub info: Vec<(String, String)>,
    /// Payload files: path below `data/` and bytes.
    pub payload: Vec<(String, Vec<u8>)>,
    /// The text of `LEESMIJ.txt`.
    pub readme: String,
}

/// One line of a tag file value: no line breaks.
fn one_line(value: &str) -> String {
    value
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// Manifest paths encode CR, LF and `%` (RFC 8493, 2.1.3).
fn encode_path(path: &str) -> String {
    path.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn decode_path(path: &str) -> String {
    path.replace("%0D", "\r")
        .replace("%0d", "\r")
        .replace("%0A", "\n")
        .replace("%0a", "\n")
        .replace("%25", "%")
}

/// Writes the bag as a zip.
pub fn write_zip(bag: &BagContents) -> io::Result<Vec<u8>> {
    let root = bag.root.trim_matches('/');
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    let text = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .unix_permissions(0o644);
    // Screenshots and zips are compressed already: stored, so export stays quick.
    let stored = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Stored)
        .unix_permissions(0o644)
        .large_file(true);
    let mut manifest = String::new();
    let mut octets: u64 = 0;
    for (path, bytes) in &bag.payload {
        let path = format!("data/{path}");
        manifest.push_str(&format!("{}  {}\n", sha256_hex(bytes), encode_path(&path)));
        octets += bytes.len() as u64;
        let textual = path.ends_with(".txt") || path.ends_with(".jsonl") || path.ends_with(".html");
        zip.start_file(
            format!("{root}/{path}"),
            if textual { text } else { stored },
        )
        .map_err(io::Error::other)?;
        zip.write_all(bytes)?;
    }
    let bagit = "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n".to_owned();
    let mut info = String::new();
    for (label, value) in &bag.info {
        info.push_str(&format!("{}: {}\n", one_line(label), one_line(value)));
    }
    info.push_str(&format!("Payload-Oxum: {octets}.{}\n", bag.payload.len()));
    let tags = [
        ("bagit.txt", bagit),
        ("bag-info.txt", info),
        ("manifest-sha256.txt", manifest),
        ("LEESMIJ.txt", bag.readme.clone()),
    ];
    let mut tagmanifest = String::new();
    for (name, content) in &tags {
        tagmanifest.push_str(&format!("{}  {name}\n", sha256_hex(content.as_bytes())));
        zip.start_file(format!("{root}/{name}"), text)
            .map_err(io::Error::other)?;
        zip.write_all(content.as_bytes())?;
    }
    zip.start_file(format!("{root}/tagmanifest-sha256.txt"), text)
        .map_err(io::Error::other)?;
    zip.write_all(tagmanifest.as_bytes())?;
    Ok(zip.finish().map_err(io::Error::other)?.into_inner())
}

/// Something wrong with a bag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// The zip or its required tag files cannot be read.
    NotABag(String),
    /// A payload file whose bytes differ from its manifest line.
    Altered(String),
    /// In the manifest, not in the bag.
    Missing(String),
    /// In the bag, not in the manifest.
    Extra(String),
    /// A tag file whose bytes differ from the tag manifest.
    TagAltered(String),
    /// The custody log's chain breaks.
    Chain(ChainBreak),
    /// The custody log is shorter or longer than `bag-info.txt` says, or ends elsewhere.
    LogHead,
    /// `Payload-Oxum` does not match the payload.
    Oxum,
}

impl Problem {
    pub fn message(&self, dutch: bool) -> String {
        match (self, dutch) {
            (Problem::NotABag(why), true) => format!("geen leesbare bundel: {why}"),
            (Problem::NotABag(why), false) => format!("not a readable bundle: {why}"),
            (Problem::Altered(p), true) => format!("gewijzigd: {p}"),
            (Problem::Altered(p), false) => format!("altered: {p}"),
            (Problem::Missing(p), true) => format!("ontbreekt: {p}"),
            (Problem::Missing(p), false) => format!("missing: {p}"),
            (Problem::Extra(p), true) => format!("extra bestand: {p}"),
            (Problem::Extra(p), false) => format!("extra file: {p}"),
            (Problem::TagAltered(p), true) => format!("gewijzigd (tagbestand): {p}"),
            (Problem::TagAltered(p), false) => format!("altered (tag file): {p}"),
            (Problem::Chain(b), true) => {
                format!("bewaarketen ({CUSTODY_LOG}): {}", b.message(true))
            }
            (Problem::Chain(b), false) => {
                format!("custody log ({CUSTODY_LOG}): {}", b.message(false))
            }
            (Problem::LogHead, true) => format!(
                "bewaarketen ({CUSTODY_LOG}): het aantal regels of de laatste regel klopt niet met bag-info.txt (regels aan het eind weggehaald of toegevoegd)"
            ),
            (Problem::LogHead, false) => format!(
                "custody log ({CUSTODY_LOG}): its length or last entry does not match bag-info.txt (entries cut off or added at the end)"
            ),
            (Problem::Oxum, true) => {
                "Payload-Oxum in bag-info.txt klopt niet met de bestanden in data/".to_owned()
            }
            (Problem::Oxum, false) => {
                "Payload-Oxum in bag-info.txt does not match the files in data/".to_owned()
            }
        }
    }
}

/// What verifying a bag found.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Verdict {
    /// Payload files checked against the manifest.
    pub files: usize,
    pub payload_bytes: u64,
    /// Custody log entries whose chain holds.
    pub log_entries: u64,
    /// `bag-info.txt` as label-value pairs.
    pub info: Vec<(String, String)>,
    pub problems: Vec<Problem>,
}

impl Verdict {
    pub fn is_ok(&self) -> bool {
        self.problems.is_empty()
    }

    pub fn info_value(&self, label: &str) -> Option<&str> {
        self.info
            .iter()
            .find(|(l, _)| l.eq_ignore_ascii_case(label))
            .map(|(_, v)| v.as_str())
    }
}

fn parse_manifest(text: &str) -> BTreeMap<String, String> {
    text.lines()
        .filter_map(|line| {
            let line = line.trim_end_matches('\r');
            let (hash, path) = line.split_once(char::is_whitespace)?;
            let path = path.trim_start().trim_start_matches('*');
            Some((decode_path(path), hash.to_ascii_lowercase()))
        })
        .collect()
}

fn parse_info(text: &str) -> Vec<(String, String)> {
    let mut pairs: Vec<(String, String)> = Vec::new();
    for line in text.lines() {
        if line.starts_with([' ', '\t']) {
            // A continuation line (RFC 8493, 2.2.2).
            if let Some(last) = pairs.last_mut() {
                last.1.push(' ');
                last.1.push_str(line.trim());
            }
        } else if let Some((label, value)) = line.split_once(':') {
            pairs.push((label.trim().to_owned(), value.trim().to_owned()));
        }
    }
    pairs
}

/// Streams an entry through SHA-256, counting against the total budget.
fn hash_entry(reader: &mut dyn Read, budget: &mut u64) -> io::Result<(String, u64)> {
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 64 * 1024];
    let mut total = 0u64;
    loop {
        let n = reader.read(&mut buffer)?;
        if n == 0 {
            break;
        }
        total += n as u64;
        if total > *budget {
            return Err(io::Error::other("bundle inflates beyond the limit"));
        }
        hasher.update(&buffer[..n]);
    }
    *budget -= total;
    Ok((hex(&hasher.finalize()), total))
}

fn read_text(reader: &mut dyn Read) -> io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    reader.take(MAX_TEXT_BYTES + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_TEXT_BYTES {
        return Err(io::Error::other("tag file too large"));
    }
    Ok(bytes)
}

/// Verifies a zipped bag.
pub fn verify_zip<R: Read + Seek>(reader: R) -> Verdict {
    let mut verdict = Verdict::default();
    let not_a_bag = |why: String| Verdict {
        problems: vec![Problem::NotABag(why)],
        ..Verdict::default()
    };
    let mut zip = match ZipArchive::new(reader) {
        Ok(zip) => zip,
        Err(err) => return not_a_bag(err.to_string()),
    };
    if zip.len() > MAX_ENTRIES {
        return not_a_bag(format!("more than {MAX_ENTRIES} entries"));
    }
    let names: Vec<String> = (0..zip.len())
        .filter_map(|i| zip.by_index_raw(i).ok().map(|e| e.name().to_owned()))
        .collect();
    // The bag's root: the folder holding the shallowest `bagit.txt`.
    let Some(root) = names
        .iter()
        .filter(|n| *n == "bagit.txt" || n.ends_with("/bagit.txt"))
        .min_by_key(|n| n.matches('/').count())
        .map(|n| n.trim_end_matches("bagit.txt").to_owned())
    else {
        return not_a_bag("bagit.txt is missing".to_owned());
    };
    let mut budget = MAX_TOTAL_BYTES;
    let mut payload: BTreeMap<String, String> = BTreeMap::new();
    let mut tags: BTreeMap<String, String> = BTreeMap::new();
    let mut texts: BTreeMap<String, String> = BTreeMap::new();
    let mut outside = Vec::new();
    for index in 0..zip.len() {
        let mut entry = match zip.by_index(index) {
            Ok(entry) => entry,
            Err(err) => return not_a_bag(err.to_string()),
        };
        if entry.is_dir() {
            continue;
        }
        let name = entry.name().to_owned();
        let Some(relative) = name.strip_prefix(&root).map(str::to_owned) else {
            outside.push(name);
            continue;
        };
        let wanted_text = matches!(
            relative.as_str(),
            "bag-info.txt" | "manifest-sha256.txt" | "tagmanifest-sha256.txt"
        ) || relative == CUSTODY_LOG;
        if wanted_text {
            let bytes = match read_text(&mut entry) {
                Ok(bytes) => bytes,
                Err(err) => return not_a_bag(format!("{relative}: {err}")),
            };
            let hash = sha256_hex(&bytes);
            let text = String::from_utf8_lossy(&bytes).into_owned();
            if relative.starts_with("data/") {
                verdict.payload_bytes += text.len() as u64;
                payload.insert(relative.clone(), hash);
            } else {
                tags.insert(relative.clone(), hash);
            }
            texts.insert(relative, text);
            continue;
        }
        match hash_entry(&mut entry, &mut budget) {
            Ok((hash, size)) => {
                if relative.starts_with("data/") {
                    verdict.payload_bytes += size;
                    payload.insert(relative, hash);
                } else {
                    tags.insert(relative, hash);
                }
            }
            Err(err) => return not_a_bag(format!("{relative}: {err}")),
        }
    }
    let Some(manifest) = texts.get("manifest-sha256.txt") else {
        return not_a_bag("manifest-sha256.txt is missing".to_owned());
    };
    let manifest = parse_manifest(manifest);
    for (path, expected) in &manifest {
        match payload.get(path) {
            None => verdict.problems.push(Problem::Missing(path.clone())),
            Some(found) if found != expected => {
                verdict.problems.push(Problem::Altered(path.clone()));
            }
            Some(_) => verdict.files += 1,
        }
    }
    for path in payload.keys() {
        if !manifest.contains_key(path) {
            verdict.problems.push(Problem::Extra(path.clone()));
        }
    }
    // Tag files: those the tag manifest lists must match; any other file besides the
    // required ones is extra.
    let tagmanifest = texts
        .get("tagmanifest-sha256.txt")
        .map(|t| parse_manifest(t))
        .unwrap_or_default();
    if !texts.contains_key("tagmanifest-sha256.txt") {
        verdict
            .problems
            .push(Problem::Missing("tagmanifest-sha256.txt".to_owned()));
    }
    for (path, expected) in &tagmanifest {
        match tags.get(path) {
            None => verdict.problems.push(Problem::Missing(path.clone())),
            Some(found) if found != expected => {
                verdict.problems.push(Problem::TagAltered(path.clone()));
            }
            Some(_) => {}
        }
    }
    let known: BTreeSet<&str> = ["tagmanifest-sha256.txt"].into_iter().collect();
    for path in tags.keys() {
        if !tagmanifest.contains_key(path) && !known.contains(path.as_str()) {
            verdict.problems.push(Problem::Extra(path.clone()));
        }
    }
    verdict
        .problems
        .extend(outside.into_iter().map(Problem::Extra));
    verdict.info = texts
        .get("bag-info.txt")
        .map(|t| parse_info(t))
        .unwrap_or_default();
    if let Some(oxum) = verdict.info_value("Payload-Oxum") {
        let expected = format!("{}.{}", verdict.payload_bytes, payload.len());
        if oxum != expected {
            verdict.problems.push(Problem::Oxum);
        }
    }
    if let Some(log) = texts.get(CUSTODY_LOG) {
        match verify_chain(log) {
            Ok(head) => {
                verdict.log_entries = head.entries;
                let entries = verdict.info_value(LOG_ENTRIES_LABEL).map(str::to_owned);
                let last = verdict.info_value(LOG_HEAD_LABEL).map(str::to_owned);
                let matches = entries.is_none_or(|e| e == head.entries.to_string())
                    && last.is_none_or(|h| h == head.head);
                if !matches {
                    verdict.problems.push(Problem::LogHead);
                }
            }
            Err(broken) => verdict.problems.push(Problem::Chain(broken)),
        }
    } else if manifest.contains_key(CUSTODY_LOG) {
        // Reported as missing above.
    }
    verdict
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::custody::{EntryFields, GENESIS, seal};

    fn sample() -> BagContents {
        let first = seal(
            &EntryFields {
                at: "2026-03-02T09:00:00Z".into(),
                actor: "Anouk Smit".into(),
                action: "upload".into(),
                evidence: Some(1),
                ..EntryFields::default()
            },
            1,
            GENESIS,
        );
        BagContents {
            root: "erbij-dossier-1".into(),
            info: vec![
                ("Source-Organization".into(), "Het Baken".into()),
                (LOG_ENTRIES_LABEL.into(), "1".into()),
                (LOG_HEAD_LABEL.into(), first.hash.clone()),
            ],
            payload: vec![
                (
                    "originelen/scherm afbeelding.png".into(),
                    vec![0x89, b'P', 1, 2],
                ),
                (
                    "bewaarketen.jsonl".into(),
                    format!("{}\n", first.line).into_bytes(),
                ),
            ],
            readme: "Controleer met sha256sum -c manifest-sha256.txt\n".into(),
        }
    }

    #[test]
    fn a_written_bag_verifies() {
        let zip = write_zip(&sample()).unwrap_or_default();
        let verdict = verify_zip(Cursor::new(zip));
        assert_eq!(verdict.problems, []);
        assert_eq!(verdict.files, 2);
        assert_eq!(verdict.log_entries, 1);
        assert_eq!(verdict.info_value("Source-Organization"), Some("Het Baken"));
    }

    #[test]
    fn manifest_paths_with_percent_and_newlines_round_trip() {
        assert_eq!(decode_path(&encode_path("a%b\nc")), "a%b\nc");
    }
}
