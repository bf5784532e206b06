//! Any bytes as a `.zip`: opening it and reading its chat must not panic.
#![no_main]

use std::io::{BufReader, Cursor};

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(mut archive) = erbij_chat::ExportArchive::open(Cursor::new(data), "fuzz.zip") else {
        return;
    };
    let _ = archive.media().len();
    let _ = archive.chat_title();
    if let Ok(reader) = archive.chat_reader() {
        if let Ok(format) = erbij_chat::detect_format(BufReader::new(reader), "fuzz.zip") {
            if let Ok(reader) = archive.chat_reader() {
                let _ = erbij_chat::Events::new(BufReader::new(reader), &format).count();
            }
        }
    }
});
