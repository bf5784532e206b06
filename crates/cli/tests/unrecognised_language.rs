//! An export from a phone in a language erbij does not read is never "nothing found": the
//! language is said not to be recognised, and what could not be read is said, in text, JSON
//! and HTML.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::process::Command;

/// Italian: a language erbij does not read yet.
const ITALIAN: &str = "01/09/25, 19:00 - Sanne ha creato il gruppo \"Classe 2B\"\n\
01/09/25, 19:01 - Sanne ha aggiunto Mila\n\
01/09/25, 19:02 - Sanne: ciao\n\
01/09/25, 19:03 - Mila: ciao\n\
01/09/25, 19:04 - Daan: hoi\n\
02/09/25, 10:00 - Sanne ha rimosso Mila\n\
02/09/25, 10:01 - Daan: finalmente\n";

/// German, which erbij reads since its table was added: the removal is a finding.
const GERMAN: &str = "01.09.25, 19:00 - Sanne hat die Gruppe „Klasse 2B“ erstellt\n\
01.09.25, 19:01 - Sanne hat Mila, Daan und dich hinzugefügt\n\
01.09.25, 19:02 - Sanne: hallo\n\
01.09.25, 19:03 - Mila: hi\n\
01.09.25, 19:04 - Daan: hoi\n\
08.09.25, 10:00 - Sanne hat Mila entfernt\n\
08.09.25, 10:01 - Daan: endlich\n";

fn analyze(format: &str) -> String {
    analyze_export(ITALIAN, format, &[])
}

fn analyze_export(text: &str, format: &str, extra: &[&str]) -> String {
    let dir = std::env::temp_dir().join(format!(
        "erbij-language-{}-{}",
        std::process::id(),
        text.len()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("klas.txt");
    std::fs::write(&path, text).unwrap();
    let roster = dir.join("klas.csv");
    std::fs::write(
        &roster,
        "name,aliases\nMila de Vries,\nSanne Jansen,\nDaan Visser,\nNoah Smit,\n",
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_erbij"))
        .args(["analyze", "--format", format, "--roster"])
        .arg(&roster)
        .args(extra)
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn an_export_in_a_language_erbij_does_not_read_is_never_reported_as_nothing_found() {
    let text = analyze("text");
    assert!(!text.contains("geen patroon van buitensluiten"), "{text}");
    assert!(!text.contains("telefoon in het Nederlands"), "{text}");
    assert!(text.contains("taal van de telefoon niet herkend"), "{text}");
    assert!(
        text.contains("3 meldingen van WhatsApp in een taal of vorm die erbij nog niet leest"),
        "{text}"
    );

    let json: serde_json::Value = serde_json::from_str(&analyze("json")).unwrap();
    assert_eq!(json["chats"][0]["language"], "unknown");
    assert_eq!(json["chats"][0]["unreadable_system_lines"], 3);
    assert_eq!(json["unreadable"]["system_lines"], 3);

    let html = analyze("html");
    assert!(!html.contains("geen patroon van buitensluiten"));
    assert!(html.contains("in een taal of vorm die erbij nog niet leest"));
}

#[test]
fn a_german_export_is_read_and_its_removal_is_found() {
    let text = analyze_export(GERMAN, "text", &[]);
    assert!(text.contains("telefoon in het Duits"), "{text}");
    assert!(!text.contains("niet herkend"), "{text}");
    assert!(text.contains("Mila de Vries"), "{text}");
    assert!(!text.contains("nog niet leest"), "{text}");

    let json: serde_json::Value =
        serde_json::from_str(&analyze_export(GERMAN, "json", &[])).unwrap();
    assert_eq!(json["chats"][0]["language"], "de");
    assert_eq!(json["chats"][0]["language_recognised"], true);
    assert_eq!(json["chats"][0]["unreadable_system_lines"], 0);
    let findings = json["findings"].as_array().unwrap();
    let removed: Vec<_> = findings.iter().filter(|f| f["kind"] == "removed").collect();
    assert_eq!(removed.len(), 1, "{findings:?}");
    assert_eq!(removed[0]["subject"], "Mila de Vries");
}
