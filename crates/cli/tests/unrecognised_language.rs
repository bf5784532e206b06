//! An export from a phone in a language erbij does not read is never "nothing found": the
//! language is said not to be recognised, and what could not be read is said, in text, JSON
//! and HTML.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::process::Command;

const GERMAN: &str = "01.09.25, 19:00 - Sanne hat die Gruppe „Klasse 2B\" erstellt\n\
01.09.25, 19:01 - Sanne hat Mila hinzugefügt\n\
01.09.25, 19:02 - Sanne: hallo\n\
01.09.25, 19:03 - Mila: hi\n\
01.09.25, 19:04 - Daan: hoi\n\
02.09.25, 10:00 - Sanne hat Mila entfernt\n\
02.09.25, 10:01 - Daan: eindelijk\n";

fn analyze(format: &str) -> String {
    let dir = std::env::temp_dir().join(format!("erbij-german-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("klas.txt");
    std::fs::write(&path, GERMAN).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_erbij"))
        .args(["analyze", "--format", format])
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
fn a_german_export_is_never_reported_as_nothing_found() {
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
