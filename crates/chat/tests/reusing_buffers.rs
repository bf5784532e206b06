//! The three ways to take events (owned, handed back with `recycle`, lent with `next_event`)
//! give the same events, on input that makes the reader gather an entry's text itself:
//! `\r\n` line ends, entries across chunk boundaries, long and unknown lines.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::Read;

use erbij_chat::{Event, EventKind, Events, Person, SystemEvent, detect_format, read};

/// Hands out at most `step` bytes per read, so chunks end in odd places.
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

/// A fictional export of about 700 KiB (more than two of the reader's chunks).
fn export(line_end: &str) -> String {
    let names = [
        "Sanne",
        "\u{202A}+31\u{00A0}6\u{00A0}12345678\u{202C}",
        "Daan",
        "Mila",
    ];
    let mut out = String::from("\u{FEFF}");
    for i in 0..6000u32 {
        let minute = i % 60;
        let hour = 8 + (i / 60) % 12;
        let day = 1 + (i / 720) % 28;
        let header = format!("{day:02}-03-2025 {hour:02}:{minute:02} - ");
        let name = names[(i % 4) as usize];
        match i % 9 {
            0 => out.push_str(&format!(
                "{header}{name}: regel een{line_end}regel twee{line_end}"
            )),
            1 => out.push_str(&format!(
                "{header}\u{200E}{name} heeft de groep verlaten{line_end}"
            )),
            2 => out.push_str(&format!(
                "{header}\u{200E}iets wat geen tabel kent {i}{line_end}nog een regel{line_end}"
            )),
            3 => out.push_str(&format!("{header}{name}: <Media weggelaten>{line_end}")),
            4 => out.push_str(&format!("{header}{name}: {}{line_end}", "lang ".repeat(40))),
            5 => out.push_str(&format!(
                "{header}{name}: Dit bericht is verwijderd{line_end}"
            )),
            6 => out.push_str(&format!(
                "{header}{name}: tot morgen <Dit bericht is bewerkt>{line_end}"
            )),
            7 => out.push_str(&format!(
                "{header}Mila heeft {name} toegevoegd{line_end}vervolg{line_end}"
            )),
            _ => out.push_str(&format!(
                "{header}{name}: {i}{line_end}{line_end}leeg ertussen{line_end}"
            )),
        }
    }
    out
}

fn owned(bytes: &[u8], step: usize) -> Vec<Event> {
    let format = detect_format(bytes, "chat").unwrap();
    Events::new(Trickle { data: bytes, step }, &format).collect()
}

fn recycled(bytes: &[u8], step: usize) -> Vec<Event> {
    let format = detect_format(bytes, "chat").unwrap();
    let mut events = Events::new(Trickle { data: bytes, step }, &format);
    let mut out = Vec::new();
    let mut held: Vec<Event> = Vec::new();
    while let Some(event) = events.next() {
        out.push(event.clone());
        held.push(event);
        if held.len() == 7 {
            held.drain(..).for_each(|used| events.recycle(used));
        }
    }
    out
}

fn lent(bytes: &[u8], step: usize) -> Vec<Event> {
    let format = detect_format(bytes, "chat").unwrap();
    let mut events = Events::new(Trickle { data: bytes, step }, &format);
    let mut out = Vec::new();
    while let Some(event) = events.next_event() {
        out.push(event.clone());
    }
    out
}

#[test]
fn owned_recycled_and_lent_events_are_the_same() {
    for line_end in ["\n", "\r\n"] {
        let text = export(line_end);
        let bytes = text.as_bytes();
        let expected = read(bytes).unwrap().events;
        assert_eq!(expected.len(), 6000);
        for step in [usize::MAX, 4096, 997] {
            assert_eq!(owned(bytes, step), expected, "owned, step {step}");
            assert_eq!(recycled(bytes, step), expected, "recycled, step {step}");
            assert_eq!(lent(bytes, step), expected, "lent, step {step}");
        }
    }
}

#[test]
fn crlf_and_lf_exports_give_the_same_events() {
    // With `\r\n` every entry of more than one line is gathered line by line; with `\n` it
    // is taken from the chunk in one piece.
    let lf = read(export("\n").as_bytes()).unwrap().events;
    let crlf = lent(export("\r\n").as_bytes(), 997);
    assert_eq!(lf, crlf);
}

#[test]
fn gathered_entries_keep_raw_text_and_message_text() {
    let text = export("\r\n");
    let events = lent(text.as_bytes(), 997);
    let first = &events[0];
    assert_eq!(first.raw, "01-03-2025 08:00 - Sanne: regel een\nregel twee");
    match &first.kind {
        EventKind::Message(m) => {
            assert_eq!(m.text, "regel een\nregel twee");
            assert_eq!(m.author, Person::Named("Sanne".into()));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!((first.lines.first, first.lines.last), (1, 2));
    match &events[2].kind {
        EventKind::System(SystemEvent::Unknown { text }) => {
            assert_eq!(text, "iets wat geen tabel kent 2\nnog een regel");
        }
        other => panic!("{other:?}"),
    }
    assert!(
        events[2]
            .raw
            .contains("\u{200E}iets wat geen tabel kent 2\nnog een regel")
    );
    match &events[1].kind {
        EventKind::System(SystemEvent::Left { who }) => {
            assert_eq!(who, &Person::Named("+31 6 12345678".into()));
        }
        other => panic!("{other:?}"),
    }
    for event in &events {
        assert!(!event.raw.contains('\r'));
    }
}
