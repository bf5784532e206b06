//! The `.zip` WhatsApp makes: the chat is found and read, media listed, bombs refused.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::{BufReader, Cursor, Write};

use erbij_chat::{ArchiveProblem, Events, ExportArchive, ReadError, detect_format};
use zip::write::SimpleFileOptions;

const CHAT: &str = "01-09-2025 19:02 - \u{200E}Sanne heeft de groep Klas 2B gemaakt\n01-09-2025 19:03 - Sanne: Hoi\n01-09-2025 19:04 - Jan: \u{200E}IMG-20250901-WA0003.jpg (bestand bijgevoegd)\n";

fn zip(entries: &[(&str, &[u8])], method: zip::CompressionMethod) -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(method);
    for (name, bytes) in entries {
        writer.start_file(*name, options).unwrap();
        writer.write_all(bytes).unwrap();
    }
    writer.finish().unwrap().into_inner()
}

#[test]
fn reads_the_chat_and_lists_the_media() {
    let bytes = zip(
        &[
            ("IMG-20250901-WA0003.jpg", b"\xFF\xD8not really a jpeg"),
            ("WhatsApp-chat met Klas 2B.txt", CHAT.as_bytes()),
            ("../../etc/evil.txt.jpg", b"path tricks are only names here"),
        ],
        zip::CompressionMethod::Deflated,
    );
    let mut archive = ExportArchive::open(Cursor::new(&bytes), "klas.zip").unwrap();
    assert_eq!(archive.chat_entry(), "WhatsApp-chat met Klas 2B.txt");
    assert_eq!(archive.chat_title().as_deref(), Some("Klas 2B"));
    assert_eq!(archive.media().len(), 2);
    let format = detect_format(BufReader::new(archive.chat_reader().unwrap()), "klas.zip").unwrap();
    let events: Vec<_> =
        Events::new(BufReader::new(archive.chat_reader().unwrap()), &format).collect();
    assert_eq!(events.len(), 3);
}

#[test]
fn finds_the_iphone_chat_name() {
    let bytes = zip(
        &[("_chat.txt", b"[01-09-2025 19:02:00] Sanne: Hoi\n")],
        zip::CompressionMethod::Stored,
    );
    let archive = ExportArchive::open(Cursor::new(&bytes), "x.zip").unwrap();
    assert_eq!(archive.chat_entry(), "_chat.txt");
    assert!(archive.media().is_empty());
}

#[test]
fn refuses_a_zip_without_a_chat_and_a_damaged_zip() {
    let bytes = zip(&[("foto.jpg", b"...")], zip::CompressionMethod::Stored);
    let err = ExportArchive::open(Cursor::new(&bytes), "x.zip").unwrap_err();
    assert!(matches!(
        err,
        ReadError::Archive {
            problem: ArchiveProblem::NoChat,
            ..
        }
    ));
    assert!(
        err.message(erbij_chat::Language::Dutch)
            .contains("in de .zip staat geen chat")
    );
    let err = ExportArchive::open(Cursor::new(b"PK\x03\x04 kapot".to_vec()), "x.zip").unwrap_err();
    assert!(matches!(
        err,
        ReadError::Archive {
            problem: ArchiveProblem::Unreadable { .. },
            ..
        }
    ));
}

#[test]
fn refuses_a_zip_bomb() {
    // 8 MiB of one byte deflates to a few KiB: a ratio no chat has.
    let bomb = vec![b'a'; 8 << 20];
    let bytes = zip(&[("_chat.txt", &bomb)], zip::CompressionMethod::Deflated);
    assert!(bytes.len() < 1 << 20);
    let err = ExportArchive::open(Cursor::new(&bytes), "bom.zip").unwrap_err();
    assert!(
        matches!(
            err,
            ReadError::Archive {
                problem: ArchiveProblem::TooLarge { .. },
                ..
            }
        ),
        "{err}"
    );
}
