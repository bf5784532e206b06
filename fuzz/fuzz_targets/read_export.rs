//! Any bytes: the reader must not panic, line ranges must be ordered and inside the file,
//! and reading through a tiny buffer must give exactly what reading from memory gives.
#![no_main]

use std::io::BufReader;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(chat) = erbij_chat::read(data) else {
        return;
    };
    let lines = data.split(|b| *b == b'\n').count() as u32;
    let mut previous_last = 0;
    for event in &chat.events {
        assert!(event.lines.first > previous_last);
        assert!(event.lines.first <= event.lines.last);
        assert!(event.lines.last <= lines);
        previous_last = event.lines.last;
    }
    let mut streamed = erbij_chat::Events::new(BufReader::with_capacity(7, data), &chat.format);
    let events: Vec<erbij_chat::Event> = streamed.by_ref().collect();
    assert_eq!(events, chat.events);
    assert_eq!(streamed.into_diagnostics(), chat.diagnostics);
    let mut summary = erbij_chat::ChatSummary::new();
    events.iter().for_each(|e| summary.add(e));
});
