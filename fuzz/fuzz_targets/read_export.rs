//! Any bytes: the reader must not panic, line ranges must be ordered and inside the file,
//! and reading a few bytes at a time must give exactly what reading from memory gives.
#![no_main]

use std::io::Read;

use libfuzzer_sys::fuzz_target;

/// Hands out at most `step` bytes per read, so every chunk and line boundary gets tried.
struct Trickle<'a> {
    data: &'a [u8],
    step: usize,
}

impl Read for Trickle<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.step.min(buf.len()).min(self.data.len());
        buf[..n].copy_from_slice(&self.data[..n]);
        self.data = &self.data[n..];
        Ok(n)
    }
}

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
    let step = 1 + data.first().map_or(0, |b| usize::from(*b % 13));
    let mut streamed = erbij_chat::Events::new(Trickle { data, step }, &chat.format);
    let events: Vec<erbij_chat::Event> = streamed.by_ref().collect();
    assert_eq!(events, chat.events);
    assert_eq!(streamed.into_diagnostics(), chat.diagnostics);
    let mut summary = erbij_chat::ChatSummary::new();
    events.iter().for_each(|e| summary.add(e));
});
