//! Exports from phones set to the languages pupils in Dutch classes most often use besides
//! Dutch and English: the phone language is named, and a removal is found as in Dutch.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use erbij_chat::{EventKind, Language, Person, SystemEvent};
use erbij_detect::{Analyzer, FindingKind, Roster, Thresholds};

fn class() -> Roster {
    Roster::from_csv(
        "name,aliases\nMila de Vries,\nSanne Jansen,\nDaan Visser,\nFleur de Jong,\nNoah Smit,\nLiam Peters,\n",
    )
    .unwrap()
}

/// One class group per language: created by Sanne, Mila, Daan and the exporter added, a few
/// messages, then Sanne removes Mila. `(language, header, lines)`.
fn exports() -> Vec<(Language, String)> {
    let make = |header: &dyn Fn(u32, u32) -> String, lines: &[String]| -> String {
        lines
            .iter()
            .enumerate()
            .map(|(i, line)| {
                let i = u32::try_from(i).unwrap();
                // The removal comes a week after the rest.
                format!("{}{line}\n", header(if i < 7 { 1 } else { 8 }, i))
            })
            .collect()
    };
    let messages = ["Sanne: hallo", "Mila: hi", "Daan: hoi", "Fleur: yo"];
    let with = |system: [&str; 4]| -> Vec<String> {
        let mut out = vec![
            system[0].to_owned(),
            system[1].to_owned(),
            system[2].to_owned(),
        ];
        out.extend(messages.iter().map(|m| m.to_string()));
        out.push(system[3].to_owned());
        out.push("Daan: oké".to_owned());
        out
    };
    let de = with([
        "Sanne hat die Gruppe „Klasse 2B“ erstellt",
        "Sanne hat Mila, Daan und Fleur hinzugefügt",
        "Sanne hat dich hinzugefügt",
        "Sanne hat Mila entfernt",
    ]);
    let fr = with([
        "Sanne a créé le groupe « Classe 2B »",
        "Sanne a ajouté Mila, Daan et Fleur",
        "Sanne vous a ajouté",
        "Sanne a retiré Mila",
    ]);
    let es = with([
        "Sanne creó el grupo “Clase 2B”",
        "Sanne añadió a Mila, Daan y Fleur",
        "Sanne te añadió",
        "Sanne eliminó a Mila",
    ]);
    let tr = with([
        "Sanne, “Sınıf 2B” grubunu oluşturdu",
        "Sanne, Mila, Daan ve Fleur kişilerini ekledi",
        "Sanne sizi ekledi",
        "Sanne, Mila kişisini çıkardı",
    ]);
    let ar = with([
        "Sanne أنشأ المجموعة “Klas 2B”",
        "Sanne أضاف Mila، Daan وFleur",
        "Sanne أضافك",
        "Sanne أزال Mila",
    ]);
    let pl = with([
        "Sanne utworzył(a) grupę „Klasa 2B”",
        "Sanne dodał(a) Mila, Daan i Fleur",
        "Sanne dodał(a) Cię",
        "Sanne usunął(-ęła) Mila",
    ]);
    vec![
        (
            Language::German,
            make(&|d, m| format!("0{d}.09.25, 19:0{m} - \u{200E}"), &de),
        ),
        (
            Language::French,
            make(&|d, m| format!("0{d}/09/2025 19:0{m} - "), &fr),
        ),
        (
            Language::Spanish,
            make(&|d, m| format!("{d}/9/25, 19:0{m} - "), &es),
        ),
        (
            Language::Turkish,
            make(&|d, m| format!("{d}.09.2025 19:0{m} - "), &tr),
        ),
        (
            Language::Arabic,
            make(&|d, m| format!("0{d}/09/2025, 19:0{m} - \u{200F}"), &ar),
        ),
        (
            Language::Polish,
            make(&|d, m| format!("{d}.09.2025, 19:0{m} - "), &pl),
        ),
    ]
}

#[test]
fn each_language_is_named_and_its_membership_lines_are_read() {
    for (language, text) in exports() {
        let chat = erbij_chat::read(text.as_bytes()).unwrap();
        assert_eq!(chat.format.language, language, "{text}");
        assert!(chat.format.language_recognised, "{text}");
        let systems: Vec<&SystemEvent> = chat
            .events
            .iter()
            .filter_map(|e| match &e.kind {
                EventKind::System(s) => Some(s),
                EventKind::Message(_) => None,
            })
            .collect();
        let sanne = Person::Named("Sanne".into());
        let named = |n: &str| Person::Named(n.into());
        assert!(
            matches!(systems[0], SystemEvent::Created { by, group: Some(_) } if *by == sanne),
            "{language:?}: {:?}",
            systems[0]
        );
        assert_eq!(
            *systems[1],
            SystemEvent::Added {
                by: sanne.clone(),
                who: vec![named("Mila"), named("Daan"), named("Fleur")]
            },
            "{language:?}"
        );
        assert_eq!(
            *systems[2],
            SystemEvent::Added {
                by: sanne.clone(),
                who: vec![Person::Exporter]
            },
            "{language:?}"
        );
        assert_eq!(
            *systems[3],
            SystemEvent::Removed {
                by: sanne.clone(),
                who: vec![named("Mila")]
            },
            "{language:?}"
        );
        assert_eq!(systems.len(), 4, "{language:?}");
        // Nothing unread; `01/09/2025` alone cannot show whether the day comes first.
        assert!(
            chat.diagnostics.iter().all(|d| matches!(
                d.kind,
                erbij_chat::DiagnosticKind::DateOrderUndecided { .. }
            )),
            "{language:?}: {:?}",
            chat.diagnostics
        );
    }
}

#[test]
fn a_removal_is_found_in_every_language() {
    for (language, text) in exports() {
        let chat = erbij_chat::read(text.as_bytes()).unwrap();
        let mut analyzer = Analyzer::new(Some(class()), Thresholds::default());
        analyzer.add_events(&chat.events, Some("Liam"));
        let report = analyzer.finish();
        let removed: Vec<_> = report
            .findings
            .iter()
            .filter(|f| f.kind == FindingKind::Removed)
            .collect();
        assert_eq!(removed.len(), 1, "{language:?}: {:?}", report.findings);
        assert_eq!(removed[0].subject, "Mila de Vries", "{language:?}");
        assert_eq!(removed[0].actors, ["Sanne Jansen"], "{language:?}");
    }
}
