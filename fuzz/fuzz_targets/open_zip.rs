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
    let format = match archive.chat_reader() {
        Ok(reader) => erbij_chat::detect_format(BufReader::new(reader), "fuzz.zip"),
        Err(_) => return,
    };
    let Ok(format) = format else { return };
    if let Ok(reader) = archive.chat_reader() {
        let _ = erbij_chat::Events::new(reader, &format).count();
    }
});
