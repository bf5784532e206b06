//! `erbij verify` on evidence bundles: a good one, and each kind of damage named. The good
//! bundle is also checked by the reference BagIt validator (`bagit.py --validate`) and by
//! `sha256sum -c` on its manifest.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::{Cursor, Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;

use erbij_bundle::{BagContents, EntryFields, GENESIS, LOG_ENTRIES_LABEL, LOG_HEAD_LABEL, seal};

const ROOT: &str = "erbij-dossier-7";

fn temp_dir(name: &str) -> PathBuf {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    let dir = std::env::temp_dir().join(format!(
        "erbij-verify-{name}-{}-{nanos}",
        std::process::id()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn custody_log() -> (String, u64, String) {
    let mut prev = GENESIS.to_owned();
    let mut text = String::new();
    let actions = ["upload", "upload", "view", "download", "export"];
    for (i, action) in actions.iter().enumerate() {
        let sealed = seal(
            &EntryFields {
                at: format!("2026-03-0{}T10:00:00Z", i + 1),
                actor: "Anouk Smit (account 4)".into(),
                action: (*action).into(),
                evidence: Some(1),
                file: Some("klas 2B.txt".into()),
                sha256: Some("ab".repeat(32)),
                reason: (*action == "download").then(|| "gesprek met ouders".into()),
            },
            i as u64 + 1,
            &prev,
        );
        prev = sealed.hash.clone();
        text.push_str(&sealed.line);
        text.push('\n');
    }
    (text, actions.len() as u64, prev)
}

fn good_bundle() -> Vec<u8> {
    let (log, entries, head) = custody_log();
    erbij_bundle::write_zip(&BagContents {
        root: ROOT.into(),
        info: vec![
            ("Source-Organization".into(), "Het Baken College".into()),
            ("External-Identifier".into(), "dossier 7".into()),
            (LOG_ENTRIES_LABEL.into(), entries.to_string()),
            (LOG_HEAD_LABEL.into(), head),
        ],
        payload: vec![
            (
                "originelen/klas 2B.txt".into(),
                b"02-05-2022 16:08 - Sanne: hoi\n".to_vec(),
            ),
            (
                "originelen/screenshot.png".into(),
                b"\x89PNG\r\n\x1a\nrest".to_vec(),
            ),
            (
                "bevindingen/klas 2B.html".into(),
                b"<!doctype html><p>Geen bevindingen</p>".to_vec(),
            ),
            ("bewaarketen.jsonl".into(), log.into_bytes()),
        ],
        readme: "Deze bundel is een BagIt-tas.\n".into(),
    })
    .unwrap()
}

fn entries(zip: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut archive = zip::ZipArchive::new(Cursor::new(zip)).unwrap();
    (0..archive.len())
        .map(|i| {
            let mut entry = archive.by_index(i).unwrap();
            let mut bytes = Vec::new();
            entry.read_to_end(&mut bytes).unwrap();
            (entry.name().to_owned(), bytes)
        })
        .collect()
}

fn rezip(files: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, bytes) in files {
        writer
            .start_file(name.as_str(), zip::write::SimpleFileOptions::default())
            .unwrap();
        writer.write_all(bytes).unwrap();
    }
    writer.finish().unwrap().into_inner()
}

fn damaged(change: impl FnOnce(&mut Vec<(String, Vec<u8>)>)) -> Vec<u8> {
    let mut files = entries(&good_bundle());
    change(&mut files);
    rezip(&files)
}

fn file_mut<'a>(files: &'a mut [(String, Vec<u8>)], suffix: &str) -> &'a mut Vec<u8> {
    &mut files
        .iter_mut()
        .find(|(n, _)| n.ends_with(suffix))
        .unwrap()
        .1
}

fn verify(bundle: &[u8], name: &str) -> (i32, String) {
    let dir = temp_dir(name);
    let path = dir.join("bundel.zip");
    std::fs::write(&path, bundle).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_erbij"))
        .arg("verify")
        .arg(&path)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

#[test]
fn a_good_bundle_verifies_with_a_one_line_summary() {
    let (code, out) = verify(&good_bundle(), "good");
    assert_eq!(code, 0, "{out}");
    assert_eq!(out.lines().count(), 1, "{out}");
    assert!(out.starts_with("OK: "), "{out}");
    assert!(
        out.contains("4 bestanden") && out.contains("5 regels"),
        "{out}"
    );
}

#[test]
fn one_altered_byte_names_the_file() {
    let bundle = damaged(|files| {
        file_mut(files, "screenshot.png")[9] ^= 1;
    });
    let (code, out) = verify(&bundle, "altered");
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("gewijzigd: data/originelen/screenshot.png"),
        "{out}"
    );
    assert!(!out.contains("klas 2B.txt"), "{out}");
}

#[test]
fn a_missing_file_is_named() {
    let bundle = damaged(|files| files.retain(|(n, _)| !n.ends_with("klas 2B.txt")));
    let (code, out) = verify(&bundle, "missing");
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("ontbreekt: data/originelen/klas 2B.txt"),
        "{out}"
    );
}

#[test]
fn an_extra_file_is_named() {
    let bundle = damaged(|files| {
        files.push((
            format!("{ROOT}/data/originelen/nep.png"),
            b"\x89PNG".to_vec(),
        ));
    });
    let (code, out) = verify(&bundle, "extra");
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("extra bestand: data/originelen/nep.png"),
        "{out}"
    );
}

#[test]
fn an_edited_custody_entry_is_named_by_its_line() {
    let bundle = damaged(|files| {
        let log = file_mut(files, "bewaarketen.jsonl");
        let text = String::from_utf8(log.clone()).unwrap();
        *log = text
            .replacen("gesprek met ouders", "gesprek met oudere", 1)
            .into_bytes();
    });
    let (code, out) = verify(&bundle, "edited");
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("gewijzigd: data/bewaarketen.jsonl"), "{out}");
    assert!(out.contains("regel 4 is gewijzigd"), "{out}");
}

#[test]
fn a_removed_custody_entry_breaks_the_chain_at_the_next_line() {
    let bundle = damaged(|files| {
        let log = file_mut(files, "bewaarketen.jsonl");
        let text = String::from_utf8(log.clone()).unwrap();
        let kept: Vec<&str> = text
            .lines()
            .enumerate()
            .filter(|(i, _)| *i != 2)
            .map(|(_, l)| l)
            .collect();
        *log = format!("{}\n", kept.join("\n")).into_bytes();
    });
    let (code, out) = verify(&bundle, "removed");
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("regel 3 heeft volgnummer 4"), "{out}");
}

#[test]
fn cutting_the_last_custody_entry_is_noticed_too() {
    let bundle = damaged(|files| {
        let log = file_mut(files, "bewaarketen.jsonl");
        let text = String::from_utf8(log.clone()).unwrap();
        let kept: Vec<&str> = text.lines().take(4).collect();
        *log = format!("{}\n", kept.join("\n")).into_bytes();
    });
    let (code, out) = verify(&bundle, "cut");
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("bag-info.txt"), "{out}");
}

#[test]
fn not_a_zip_is_a_clear_error() {
    let (code, out) = verify(b"dit is geen zip", "garbage");
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("geen leesbare bundel"), "{out}");
}

fn unpack(bundle: &[u8], dir: &Path) -> PathBuf {
    for (name, bytes) in entries(bundle) {
        let path = dir.join(&name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
    dir.join(ROOT)
}

/// Also used by the web's browser test on a downloaded bundle.
#[test]
fn the_reference_validator_and_sha256sum_accept_the_good_bundle_and_refuse_a_bad_one() {
    let dir = temp_dir("bagit");
    let bag = unpack(&good_bundle(), &dir);
    let sums = Command::new("sha256sum")
        .args(["-c", "manifest-sha256.txt"])
        .current_dir(&bag)
        .output()
        .unwrap();
    assert!(
        sums.status.success(),
        "{}",
        String::from_utf8_lossy(&sums.stdout)
    );
    if !erbij_testkit::python_module("bagit", "ERBIJ_REQUIRE_BAGIT") {
        return;
    }
    let valid = Command::new("python3")
        .args(["-m", "bagit", "--validate"])
        .arg(&bag)
        .output()
        .unwrap();
    assert!(
        valid.status.success(),
        "{}",
        String::from_utf8_lossy(&valid.stderr)
    );
    let bad_dir = temp_dir("bagit-bad");
    let bad = unpack(
        &damaged(|files| file_mut(files, "screenshot.png")[9] ^= 1),
        &bad_dir,
    );
    let invalid = Command::new("python3")
        .args(["-m", "bagit", "--validate"])
        .arg(&bad)
        .output()
        .unwrap();
    assert!(!invalid.status.success());
}
