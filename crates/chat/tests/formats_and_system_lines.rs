//! Small hand-written exports: every header format, and every system event in Dutch and
//! English, on Android and iPhone.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use erbij_chat::{
    DateOrder, DiagnosticKind, EventKind, Language, MediaKind, Person, SystemEvent, Variant, read,
};

fn named(name: &str) -> Person {
    Person::Named(name.into())
}

fn system(line: &str) -> SystemEvent {
    let chat = read(line.as_bytes()).unwrap();
    assert_eq!(chat.events.len(), 1, "{line}");
    match &chat.events[0].kind {
        EventKind::System(s) => s.clone(),
        EventKind::Message(m) => panic!("read as a message: {line} -> {m:?}"),
    }
}

/// Each line as an Android and an iPhone entry.
fn both(text: &str) -> [SystemEvent; 2] {
    let android = system(&format!("12-09-2025 19:34 - \u{200E}{text}"));
    let iphone = system(&format!("[12-09-2025 19:34:02] \u{200E}{text}"));
    assert_eq!(android, iphone, "{text}");
    [android, iphone]
}

fn one(text: &str) -> SystemEvent {
    both(text)[0].clone()
}

#[test]
fn every_dutch_system_event() {
    use SystemEvent::*;
    let cases: Vec<(&str, SystemEvent)> = vec![
        (
            "Jan heeft de groep Klas 2B gemaakt",
            Created {
                by: named("Jan"),
                group: Some("Klas 2B".into()),
            },
        ),
        (
            "U hebt de groep “Klas 2B” gemaakt",
            Created {
                by: Person::Exporter,
                group: Some("Klas 2B".into()),
            },
        ),
        (
            "Jan heeft deze groep aangemaakt",
            Created {
                by: named("Jan"),
                group: None,
            },
        ),
        (
            "Je hebt deze groep aangemaakt",
            Created {
                by: Person::Exporter,
                group: None,
            },
        ),
        (
            "Jan heeft groep “Feestje: zaterdag” aangemaakt",
            Created {
                by: named("Jan"),
                group: Some("Feestje: zaterdag".into()),
            },
        ),
        (
            "Jan heeft Mila toegevoegd",
            Added {
                by: named("Jan"),
                who: vec![named("Mila")],
            },
        ),
        (
            "Jan heeft Sanne, Daan en u toegevoegd",
            Added {
                by: named("Jan"),
                who: vec![named("Sanne"), named("Daan"), Person::Exporter],
            },
        ),
        (
            "U hebt Mila toegevoegd",
            Added {
                by: Person::Exporter,
                who: vec![named("Mila")],
            },
        ),
        (
            "Je hebt Mila en Noah toegevoegd",
            Added {
                by: Person::Exporter,
                who: vec![named("Mila"), named("Noah")],
            },
        ),
        (
            "Mila is toegevoegd",
            AddedUnattributed {
                who: vec![named("Mila")],
            },
        ),
        (
            "U bent toegevoegd",
            AddedUnattributed {
                who: vec![Person::Exporter],
            },
        ),
        (
            "Jan heeft Mila verwijderd",
            Removed {
                by: named("Jan"),
                who: vec![named("Mila")],
            },
        ),
        (
            "Jan heeft u verwijderd",
            Removed {
                by: named("Jan"),
                who: vec![Person::Exporter],
            },
        ),
        (
            "U hebt Mila verwijderd",
            Removed {
                by: Person::Exporter,
                who: vec![named("Mila")],
            },
        ),
        (
            "Je hebt Mila verwijderd",
            Removed {
                by: Person::Exporter,
                who: vec![named("Mila")],
            },
        ),
        ("Mila heeft de groep verlaten", Left { who: named("Mila") }),
        (
            "U hebt de groep verlaten",
            Left {
                who: Person::Exporter,
            },
        ),
        (
            "Mila neemt deel via de uitnodigingslink van deze groep",
            JoinedViaLink { who: named("Mila") },
        ),
        (
            "Mila is deelnemer geworden via de uitnodigingslink van deze groep",
            JoinedViaLink { who: named("Mila") },
        ),
        (
            "Mila neemt deel via uw uitnodiging",
            JoinedViaInvite { who: named("Mila") },
        ),
        (
            "Jan heeft het onderwerp gewijzigd naar “Feestje zonder Mila”",
            SubjectChanged {
                by: named("Jan"),
                from: None,
                to: "Feestje zonder Mila".into(),
            },
        ),
        (
            "Jan heeft het onderwerp gewijzigd van \"Klas 2B\" naar \"Klas 2B zonder Mila\"",
            SubjectChanged {
                by: named("Jan"),
                from: Some("Klas 2B".into()),
                to: "Klas 2B zonder Mila".into(),
            },
        ),
        (
            "Jan heeft de groepsnaam gewijzigd van ‘Klas 2B’ naar ‘Feestje’",
            SubjectChanged {
                by: named("Jan"),
                from: Some("Klas 2B".into()),
                to: "Feestje".into(),
            },
        ),
        (
            "U hebt de groepsnaam gewijzigd naar “Feestje”",
            SubjectChanged {
                by: Person::Exporter,
                from: None,
                to: "Feestje".into(),
            },
        ),
        (
            "Jan heeft de groepsafbeelding gewijzigd",
            IconChanged { by: named("Jan") },
        ),
        (
            "Jan heeft de groepsafbeelding verwijderd",
            IconDeleted { by: named("Jan") },
        ),
        (
            "Jan heeft de groepsbeschrijving gewijzigd",
            DescriptionChanged { by: named("Jan") },
        ),
        (
            "U bent nu beheerder",
            AdminChanged {
                who: Person::Exporter,
                admin: true,
            },
        ),
        (
            "U bent nu een beheerder",
            AdminChanged {
                who: Person::Exporter,
                admin: true,
            },
        ),
        (
            "Sanne is nu beheerder",
            AdminChanged {
                who: named("Sanne"),
                admin: true,
            },
        ),
        (
            "U bent geen beheerder meer",
            AdminChanged {
                who: Person::Exporter,
                admin: false,
            },
        ),
        (
            "+31 6 11111111 is gewijzigd naar +31 6 22222222",
            NumberChanged {
                who: named("+31 6 11111111"),
                new: Some(named("+31 6 22222222")),
            },
        ),
        (
            "Jan heeft het telefoonnummer gewijzigd naar een nieuw nummer. Tik om een bericht te sturen of het nieuwe nummer toe te voegen.",
            NumberChanged {
                who: named("Jan"),
                new: None,
            },
        ),
        (
            "Uw beveiligingscode met Jan is gewijzigd. Tik voor meer informatie.",
            SecurityCodeChanged { who: named("Jan") },
        ),
        (
            "Berichten en oproepen worden end-to-end versleuteld. Niemand buiten deze chat kan ze lezen of beluisteren, zelfs WhatsApp niet. Tik voor meer informatie.",
            EncryptionNotice,
        ),
    ];
    for (text, expected) in cases {
        assert_eq!(one(text), expected, "{text}");
    }
}

#[test]
fn every_english_system_event() {
    use SystemEvent::*;
    let cases: Vec<(&str, SystemEvent)> = vec![
        (
            "Jan created group \"Class 2B\"",
            Created {
                by: named("Jan"),
                group: Some("Class 2B".into()),
            },
        ),
        (
            "You created group “Class 2B”",
            Created {
                by: Person::Exporter,
                group: Some("Class 2B".into()),
            },
        ),
        (
            "Jan created this group",
            Created {
                by: named("Jan"),
                group: None,
            },
        ),
        (
            "Jan added Mila",
            Added {
                by: named("Jan"),
                who: vec![named("Mila")],
            },
        ),
        (
            "Jan added Sanne, Daan and you",
            Added {
                by: named("Jan"),
                who: vec![named("Sanne"), named("Daan"), Person::Exporter],
            },
        ),
        (
            "You added Mila",
            Added {
                by: Person::Exporter,
                who: vec![named("Mila")],
            },
        ),
        (
            "Mila was added",
            AddedUnattributed {
                who: vec![named("Mila")],
            },
        ),
        (
            "Jan removed Mila",
            Removed {
                by: named("Jan"),
                who: vec![named("Mila")],
            },
        ),
        (
            "Jan removed you",
            Removed {
                by: named("Jan"),
                who: vec![Person::Exporter],
            },
        ),
        (
            "You removed Mila",
            Removed {
                by: Person::Exporter,
                who: vec![named("Mila")],
            },
        ),
        ("Mila left", Left { who: named("Mila") }),
        (
            "You left",
            Left {
                who: Person::Exporter,
            },
        ),
        (
            "Mila joined using this group's invite link",
            JoinedViaLink { who: named("Mila") },
        ),
        (
            "Mila joined using your invite",
            JoinedViaInvite { who: named("Mila") },
        ),
        (
            "Jan changed the subject from \"Class 2B\" to \"Party without Mila\"",
            SubjectChanged {
                by: named("Jan"),
                from: Some("Class 2B".into()),
                to: "Party without Mila".into(),
            },
        ),
        (
            "Jan changed the subject to “Party”",
            SubjectChanged {
                by: named("Jan"),
                from: None,
                to: "Party".into(),
            },
        ),
        (
            "Jan changed the group name to “Party”",
            SubjectChanged {
                by: named("Jan"),
                from: None,
                to: "Party".into(),
            },
        ),
        (
            "Jan changed this group's icon",
            IconChanged { by: named("Jan") },
        ),
        (
            "Jan deleted this group's icon",
            IconDeleted { by: named("Jan") },
        ),
        (
            "Jan changed the group description",
            DescriptionChanged { by: named("Jan") },
        ),
        (
            "You're now an admin",
            AdminChanged {
                who: Person::Exporter,
                admin: true,
            },
        ),
        (
            "You're no longer an admin",
            AdminChanged {
                who: Person::Exporter,
                admin: false,
            },
        ),
        (
            "+31 6 11111111 changed to +31 6 22222222",
            NumberChanged {
                who: named("+31 6 11111111"),
                new: Some(named("+31 6 22222222")),
            },
        ),
        (
            "Your security code with Jan changed. Tap to learn more.",
            SecurityCodeChanged { who: named("Jan") },
        ),
        (
            "Messages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them. Tap to learn more.",
            EncryptionNotice,
        ),
    ];
    for (text, expected) in cases {
        assert_eq!(one(text), expected, "{text}");
    }
}

#[test]
fn an_unknown_system_line_is_kept_with_a_diagnostic() {
    let chat =
        read("12-09-2025 19:34 - \u{200E}Jan heeft iets nieuws gedaan\n".as_bytes()).unwrap();
    assert_eq!(
        chat.events[0].kind,
        EventKind::System(SystemEvent::Unknown {
            text: "Jan heeft iets nieuws gedaan".into()
        })
    );
    assert_eq!(chat.diagnostics[0].line, Some(1));
    assert_eq!(chat.diagnostics[0].kind, DiagnosticKind::UnknownSystemLine);
    assert_eq!(
        chat.diagnostics[0].render(Language::Dutch),
        "regel 1: onbekende melding van WhatsApp; bewaard zoals ze er staat"
    );
}

#[test]
fn a_message_quoting_a_system_line_stays_a_message() {
    let chat = read("12-09-2025 19:34 - Sanne: Jan heeft Mila verwijderd\n".as_bytes()).unwrap();
    match &chat.events[0].kind {
        EventKind::Message(m) => assert_eq!(m.text, "Jan heeft Mila verwijderd"),
        other => panic!("{other:?}"),
    }
}

struct Case {
    text: &'static str,
    variant: Variant,
    order: DateOrder,
    first: &'static str,
}

#[test]
fn header_formats() {
    let cases = [
        Case {
            text: "02-05-2022 16:08 - Alice: a\n13-05-2022 09:00 - Bob: b\n",
            variant: Variant::Android,
            order: DateOrder::DayMonthYear,
            first: "2022-05-02T16:08:00",
        },
        Case {
            text: "5/2/22, 4:08\u{202F}PM - Alice: a\n5/13/22, 9:00\u{202F}AM - Bob: b\n",
            variant: Variant::Android,
            order: DateOrder::MonthDayYear,
            first: "2022-05-02T16:08:00",
        },
        Case {
            text: "02/05/2022, 16:08 - Alice: a\n13/05/2022, 09:00 - Bob: b\n",
            variant: Variant::Android,
            order: DateOrder::DayMonthYear,
            first: "2022-05-02T16:08:00",
        },
        Case {
            text: "02.05.22, 16:08 - Alice: a\n",
            variant: Variant::Android,
            order: DateOrder::DayMonthYear,
            first: "2022-05-02T16:08:00",
        },
        Case {
            text: "2022-05-02 16:08 - Alice: a\n",
            variant: Variant::Android,
            order: DateOrder::YearMonthDay,
            first: "2022-05-02T16:08:00",
        },
        Case {
            text: "[02-05-2022 16:08:13] Alice: a\n",
            variant: Variant::Ios,
            order: DateOrder::DayMonthYear,
            first: "2022-05-02T16:08:13",
        },
        Case {
            text: "[5/2/22, 4:08:13 PM] Alice: a\n[5/13/22, 9:00:00 AM] Bob: b\n",
            variant: Variant::Ios,
            order: DateOrder::MonthDayYear,
            first: "2022-05-02T16:08:13",
        },
        Case {
            text: "\u{FEFF}[02.05.22, 16:08:13] Alice: a\r\n",
            variant: Variant::Ios,
            order: DateOrder::DayMonthYear,
            first: "2022-05-02T16:08:13",
        },
    ];
    for case in cases {
        let chat = read(case.text.as_bytes()).unwrap();
        assert_eq!(chat.format.variant, case.variant, "{}", case.text);
        assert_eq!(chat.format.date_order, case.order, "{}", case.text);
        assert_eq!(chat.events[0].time.to_string(), case.first, "{}", case.text);
        match &chat.events[0].kind {
            EventKind::Message(m) => {
                assert_eq!(m.author, named("Alice"));
                assert_eq!(m.text, "a");
            }
            other => panic!("{other:?}"),
        }
    }
}

#[test]
fn the_iphone_formats_of_2015_to_2017_without_brackets() {
    // Refused as "geen WhatsApp-export" before: no brackets, `: ` after the seconds.
    let dutch = "13/06/15 10:59:59: Sanne heeft de groep Klas 2B gemaakt\n\
13/06/15 11:00:02: Sanne heeft Mila toegevoegd\n\
13/06/15 11:01:10: Sanne: Hoi allemaal\n\
tweede regel\n\
14/06/15 09:12:00: Sanne heeft Mila verwijderd\n";
    let chat = read(dutch.as_bytes()).unwrap();
    assert_eq!(chat.format.variant, Variant::Ios);
    assert_eq!(chat.format.date_order, DateOrder::DayMonthYear);
    assert_eq!(chat.format.language, Language::Dutch);
    assert_eq!(chat.events.len(), 4);
    assert_eq!(chat.events[0].time.to_string(), "2015-06-13T10:59:59");
    match &chat.events[2].kind {
        EventKind::Message(m) => {
            assert_eq!(m.author, named("Sanne"));
            assert_eq!(m.text, "Hoi allemaal\ntweede regel");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        chat.events[3].kind,
        EventKind::System(SystemEvent::Removed {
            by: named("Sanne"),
            who: vec![named("Mila")],
        })
    );

    let english = "7/1/16, 4:56:55 PM: Alice: hi\n7/13/16, 9:00:01 AM: Bob: text: with a colon\n";
    let chat = read(english.as_bytes()).unwrap();
    assert_eq!(chat.format.variant, Variant::Ios);
    assert_eq!(chat.format.date_order, DateOrder::MonthDayYear);
    assert_eq!(chat.events[0].time.to_string(), "2016-07-01T16:56:55");
    match &chat.events[1].kind {
        EventKind::Message(m) => {
            assert_eq!(m.author, named("Bob"));
            assert_eq!(m.text, "text: with a colon");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_line_in_another_header_format_is_text() {
    let text = "02-05-2022 16:08 - Alice: kijk\n[02-05-2022 16:07:00] Bob: doorgestuurd\n02-05-2022 16:09 - Bob: ok\n";
    let chat = read(text.as_bytes()).unwrap();
    assert_eq!(chat.events.len(), 2);
    assert_eq!(
        (chat.events[0].lines.first, chat.events[0].lines.last),
        (1, 2)
    );
    match &chat.events[0].kind {
        EventKind::Message(m) => {
            assert_eq!(m.text, "kijk\n[02-05-2022 16:07:00] Bob: doorgestuurd")
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn media_deleted_and_edited_messages() {
    let text = "02-05-2022 16:08 - Alice: <Media weggelaten>\n\
                02-05-2022 16:09 - Bob: Dit bericht is verwijderd\n\
                02-05-2022 16:10 - Alice: PTT-20220502-WA0001.opus (bestand bijgevoegd)\n\
                02-05-2022 16:11 - Bob: klopt niet <Dit bericht is bewerkt>\n";
    let chat = read(text.as_bytes()).unwrap();
    let messages: Vec<&erbij_chat::Message> = chat
        .events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::Message(m) => Some(m),
            _ => None,
        })
        .collect();
    assert_eq!(messages[0].media, Some(MediaKind::Omitted));
    assert!(messages[1].deleted);
    assert_eq!(messages[2].media, Some(MediaKind::Audio));
    assert!(messages[3].edited && !messages[3].deleted);
}

#[test]
fn nothing_of_an_export_is_an_error_naming_the_file() {
    let err = erbij_chat::read_named(b"hallo\nwereld\n", "boodschappen.txt").unwrap_err();
    let nl = err.message(Language::Dutch);
    assert!(
        nl.starts_with("boodschappen.txt: dit is geen WhatsApp-export"),
        "{nl}"
    );
    assert!(
        err.message(Language::English)
            .contains("not a WhatsApp export")
    );
    assert!(read(b"").is_err());
}

#[test]
fn impossible_dates_and_text_before_the_first_entry_are_diagnosed() {
    let text = "een kop\n02-05-2022 16:08 - Alice: a\n31-02-2022 16:09 - Alice: b\n";
    let chat = read(text.as_bytes()).unwrap();
    assert_eq!(chat.events.len(), 1);
    let kinds: Vec<(Option<u32>, DiagnosticKind)> = chat
        .diagnostics
        .iter()
        .map(|d| (d.line, d.kind.clone()))
        .collect();
    assert_eq!(
        kinds,
        vec![
            (Some(1), DiagnosticKind::TextBeforeFirstEntry),
            (Some(3), DiagnosticKind::ImpossibleDate)
        ]
    );
}

#[test]
fn day_first_is_proven_by_a_day_above_twelve() {
    let text = "5/2/22, 16:08 - Alice: a\n13/2/22, 16:09 - Alice: b\n";
    let chat = read(text.as_bytes()).unwrap();
    assert_eq!(chat.format.date_order, DateOrder::DayMonthYear);
    assert!(chat.diagnostics.is_empty());
    assert_eq!(chat.events[0].time.to_string(), "2022-02-05T16:08:00");
}
