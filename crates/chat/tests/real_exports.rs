//! The four real exports of one test group (minvws-dsa, May 2022): exact counts, counted by
//! hand from the files, and the traps they hold.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use erbij_chat::{
    DateOrder, DiagnosticKind, Event, EventKind, Language, Person, SystemEvent, Variant, read,
};

fn export(name: &str) -> Option<erbij_chat::Chat> {
    let dir = erbij_testkit::shared_fixtures()?.join("whatsapp/minvws-dsa");
    let bytes = std::fs::read(dir.join(name)).unwrap();
    Some(read(&bytes).unwrap())
}

fn counts(events: &[Event]) -> (usize, usize) {
    let messages = events
        .iter()
        .filter(|e| matches!(e.kind, EventKind::Message(_)))
        .count();
    (messages, events.len() - messages)
}

fn system_at(events: &[Event], line: u32) -> &SystemEvent {
    let event = events.iter().find(|e| e.lines.first == line).unwrap();
    match &event.kind {
        EventKind::System(s) => s,
        EventKind::Message(m) => panic!("line {line} read as a message: {m:?}"),
    }
}

fn message_at(events: &[Event], line: u32) -> &erbij_chat::Message {
    let event = events.iter().find(|e| e.lines.first == line).unwrap();
    match &event.kind {
        EventKind::Message(m) => m,
        EventKind::System(s) => panic!("line {line} read as a system event: {s:?}"),
    }
}

fn named(name: &str) -> Person {
    Person::Named(name.into())
}

#[test]
fn alice_android_english_us_dates() {
    let Some(chat) = export("alice-android-en.txt") else {
        return;
    };
    assert_eq!(chat.format.variant, Variant::Android);
    assert_eq!(chat.format.language, Language::English);
    // Only `5/1/22` and `5/2/22`: undecidable from the numbers, US order assumed and said so.
    assert_eq!(chat.format.date_order, DateOrder::MonthDayYear);
    assert!(chat.diagnostics.iter().any(|d| matches!(
        d.kind,
        DiagnosticKind::DateOrderUndecided {
            assumed: DateOrder::MonthDayYear
        }
    )));
    assert_eq!(counts(&chat.events), (64, 4));
    assert_eq!(chat.events[1].time.to_string(), "2022-05-02T16:08:00");
    assert_eq!(
        system_at(&chat.events, 2),
        &SystemEvent::Created {
            by: Person::Exporter,
            group: Some("Test export".into())
        }
    );
    assert_eq!(
        system_at(&chat.events, 10),
        &SystemEvent::JoinedViaInvite {
            who: named("Dave Privé")
        }
    );
    assert_eq!(
        system_at(&chat.events, 78),
        &SystemEvent::Left {
            who: Person::Exporter
        }
    );
    assert!(message_at(&chat.events, 14).deleted);
}

#[test]
fn bob_android_english_forward_is_text() {
    let Some(chat) = export("bob-android-en.txt") else {
        return;
    };
    assert_eq!(counts(&chat.events), (69, 8));
    let forward = chat.events.iter().find(|e| e.lines.first == 19).unwrap();
    assert_eq!((forward.lines.first, forward.lines.last), (19, 23));
    let m = message_at(&chat.events, 19);
    assert_eq!(m.author, named("Bob"));
    assert!(
        m.text
            .ends_with("[5/2, 16:09] Bob: De taal is ingesteld op: Engels")
    );
    assert_eq!(m.text.lines().count(), 5);
    assert_eq!(
        system_at(&chat.events, 84),
        &SystemEvent::Added {
            by: named("+31 6 22222222"),
            who: vec![named("+31 6 33333333")]
        }
    );
    assert_eq!(
        system_at(&chat.events, 3),
        &SystemEvent::Added {
            by: named("Alice"),
            who: vec![Person::Exporter]
        }
    );
    // 16:24 then 16:20: kept as written, and said.
    let back: Vec<u32> = chat
        .diagnostics
        .iter()
        .filter(|d| matches!(d.kind, DiagnosticKind::TimeGoesBack { .. }))
        .filter_map(|d| d.line)
        .collect();
    assert_eq!(back, vec![34]);
    assert_eq!(
        message_at(&chat.events, 28).media,
        Some(erbij_chat::MediaKind::Omitted)
    );
}

#[test]
fn carol_android_dutch() {
    let Some(chat) = export("carol-android-nl.txt") else {
        return;
    };
    assert_eq!(chat.format.language, Language::Dutch);
    assert_eq!(chat.format.date_order, DateOrder::DayMonthYear);
    assert!(chat.diagnostics.is_empty(), "{:?}", chat.diagnostics);
    assert_eq!(counts(&chat.events), (69, 9));
    assert_eq!(system_at(&chat.events, 1), &SystemEvent::EncryptionNotice);
    assert_eq!(
        system_at(&chat.events, 2),
        &SystemEvent::Created {
            by: named("Alice"),
            group: Some("Test export".into())
        }
    );
    assert_eq!(
        system_at(&chat.events, 83),
        &SystemEvent::AdminChanged {
            who: Person::Exporter,
            admin: true
        }
    );
    assert_eq!(
        system_at(&chat.events, 85),
        &SystemEvent::Added {
            by: Person::Exporter,
            who: vec![named("Alice")]
        }
    );
    assert_eq!(
        system_at(&chat.events, 86),
        &SystemEvent::JoinedViaInvite { who: named("Dave") }
    );
    // The quoted forward: one message of five lines, never messages of "Alice" or "Bob".
    let m = message_at(&chat.events, 20);
    assert_eq!(m.author, named("+31 6 11111111"));
    assert!(
        m.text
            .starts_with("[5/2, 16:08] Alice: Hoi, ik heb de chat gemaakt\n[5/2, 16:08] Alice:")
    );
    assert!(
        chat.events
            .iter()
            .all(|e| !(21..=24).contains(&e.lines.first))
    );
    let photo = message_at(&chat.events, 26);
    assert_eq!(photo.media, Some(erbij_chat::MediaKind::Image));
    assert!(photo.text.ends_with("\nDit is een foto"));
    assert!(
        chat.events[1]
            .raw
            .starts_with("02-05-2022 16:08 - \u{200E}Alice heeft")
    );
}

#[test]
fn dave_iphone_dutch() {
    let Some(chat) = export("dave-ios-nl.txt") else {
        return;
    };
    assert_eq!(chat.format.variant, Variant::Ios);
    assert_eq!(chat.format.language, Language::Dutch);
    assert_eq!(counts(&chat.events), (63, 12));
    // The encryption notice is written "by" the group: a system event, and the group's name.
    assert_eq!(system_at(&chat.events, 1), &SystemEvent::EncryptionNotice);
    assert_eq!(
        chat.format.group_hint.as_deref(),
        Some("Test export nieuwe naam")
    );
    assert!(!chat.events.iter().any(|e| matches!(&e.kind,
        EventKind::Message(m) if m.author == named("Test export nieuwe naam"))));
    assert_eq!(
        system_at(&chat.events, 2),
        &SystemEvent::Created {
            by: named("+31 6 12345678"),
            group: None
        }
    );
    assert_eq!(
        system_at(&chat.events, 74),
        &SystemEvent::AddedUnattributed {
            who: vec![named("+31 6 12345678")]
        }
    );
    assert_eq!(
        system_at(&chat.events, 72),
        &SystemEvent::Left {
            who: Person::Exporter
        }
    );
    assert_eq!(
        system_at(&chat.events, 81),
        &SystemEvent::SubjectChanged {
            by: named("+31 6 12345678"),
            from: None,
            to: "Test export nieuwe naam".into()
        }
    );
    assert_eq!(
        system_at(&chat.events, 82),
        &SystemEvent::IconChanged {
            by: named("+31 6 12345678")
        }
    );
    assert_eq!(
        system_at(&chat.events, 79),
        &SystemEvent::Added {
            by: named("+31 6 22222222"),
            who: vec![named("+31 6 11111111")]
        }
    );
    let forward = message_at(&chat.events, 11);
    assert!(
        forward
            .text
            .contains("\n[5/2, 16:08] Coen Goedhart: Ik heb een android")
    );
    assert!(message_at(&chat.events, 7).deleted);
    assert!(message_at(&chat.events, 9).deleted);
    assert_eq!(
        message_at(&chat.events, 17).media,
        Some(erbij_chat::MediaKind::Image)
    );
    assert_eq!(
        message_at(&chat.events, 20).media,
        Some(erbij_chat::MediaKind::Document)
    );
    // Bidi marks gone from names, kept in the raw line.
    assert!(chat.events[1].raw.contains('\u{202A}'));
    let back: Vec<u32> = chat
        .diagnostics
        .iter()
        .filter(|d| matches!(d.kind, DiagnosticKind::TimeGoesBack { .. }))
        .filter_map(|d| d.line)
        .collect();
    assert_eq!(back, vec![23]);
}
