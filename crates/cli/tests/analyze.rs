//! `erbij analyze` as a user runs it: exit codes, the JSON contract, the Dutch summary.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::PathBuf;
use std::process::Command;

fn erbij() -> Command {
    Command::new(env!("CARGO_BIN_EXE_erbij"))
}

fn example(name: &str) -> PathBuf {
    erbij_testkit::workspace_root().join("examples").join(name)
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("erbij-analyze-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn json_follows_the_contract() {
    let out = erbij()
        .args(["analyze", "--format", "json"])
        .arg(example("klas-2b.txt"))
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    // Without a roster the people of the chat are the class: Jan removing Mila is found.
    let findings = json["findings"].as_array().unwrap();
    assert!(
        findings.iter().any(|f| f["kind"] == "removed"
            && f["subject"] == "Mila"
            && f["evidence"][0]["line"] == 22),
        "{findings:?}"
    );
    let chat = &json["chats"][0];
    assert!(chat["file"].as_str().unwrap().ends_with("klas-2b.txt"));
    assert_eq!(chat["platform"], "whatsapp");
    assert_eq!(chat["variant"], "android");
    assert_eq!(chat["language"], "nl");
    assert_eq!(chat["group"], "Klas 2B");
    assert_eq!(chat["start"], "2025-09-01T19:02:00");
    assert!(chat["messages"].as_u64().unwrap() > 0);
    assert_eq!(chat["system_events"], 5);
    assert!(
        chat["participants"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p == "Mila")
    );
    assert!(chat["diagnostics"].is_array());
}

#[test]
fn the_text_summary_is_dutch_by_default_and_english_on_request() {
    let out = erbij()
        .arg("analyze")
        .arg(example("klas-2b.txt"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("Groep: Klas 2B"), "{text}");
    assert!(text.contains("Periode: 01-09-2025 19:02 tot"), "{text}");
    assert!(text.contains("Jan verwijderde Mila"), "{text}");
    let out = erbij()
        .args(["analyze", "--lang", "en"])
        .arg(example("feestje-zonder-mila.txt"))
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("Group: Feestje zonder Mila"), "{text}");
    assert!(text.contains("Sanne removed Mila"), "{text}");
    assert!(
        text.contains("Jan renamed the group to \"Feestje zonder Mila\""),
        "{text}"
    );
}

#[test]
fn an_unreadable_file_is_reported_and_the_others_still_printed() {
    let dir = temp_dir("unreadable");
    let not_chat = dir.join("boodschappen.txt");
    std::fs::write(&not_chat, "melk\nbrood\n").unwrap();
    let out = erbij()
        .args(["analyze", "--format", "json"])
        .arg(&not_chat)
        .arg(example("klas-2b.txt"))
        .arg(dir.join("bestaat-niet.txt"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("boodschappen.txt: dit is geen WhatsApp-export"),
        "{stderr}"
    );
    assert!(stderr.contains("bestaat-niet.txt"), "{stderr}");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["chats"].as_array().unwrap().len(), 1);
    assert_eq!(json["errors"].as_array().unwrap().len(), 2);
}

#[test]
fn wrong_usage_exits_2() {
    assert_eq!(
        erbij().arg("analyze").output().unwrap().status.code(),
        Some(2)
    );
    let out = erbij()
        .args(["analyze", "--format", "pdf"])
        .arg(example("klas-2b.txt"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn output_goes_to_a_file_with_o() {
    let dir = temp_dir("output");
    let target = dir.join("uit.json");
    let out = erbij()
        .args(["analyze", "--format", "json", "-o"])
        .arg(&target)
        .arg(example("klas-2b.txt"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.is_empty());
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(&target).unwrap()).unwrap();
    assert_eq!(json["chats"][0]["group"], "Klas 2B");
}

#[test]
fn the_real_iphone_export_counts_match() {
    let Some(fixtures) = erbij_testkit::shared_fixtures() else {
        return;
    };
    let out = erbij()
        .args(["analyze", "--format", "json"])
        .arg(fixtures.join("whatsapp/minvws-dsa/dave-ios-nl.txt"))
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let chat = &json["chats"][0];
    assert_eq!(chat["variant"], "ios");
    assert_eq!(chat["messages"], 63);
    assert_eq!(chat["system_events"], 12);
    assert_eq!(chat["group"], "Test export nieuwe naam");
    assert_eq!(chat["diagnostics"][0]["line"], 23);
}

#[test]
fn reads_the_zip_whatsapp_makes() {
    use std::io::Write;
    let dir = temp_dir("zip");
    let path = dir.join("WhatsApp-chat met Klas 2B.zip");
    let chat = std::fs::read(example("klas-2b.txt")).unwrap();
    let mut writer = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    writer
        .start_file("WhatsApp-chat met Klas 2B.txt", options)
        .unwrap();
    writer.write_all(&chat).unwrap();
    writer
        .start_file("IMG-20250901-WA0003.jpg", options)
        .unwrap();
    writer.write_all(b"not opened").unwrap();
    writer.finish().unwrap();
    let out = erbij()
        .args(["analyze", "--format", "json"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["chats"][0]["group"], "Klas 2B");
    assert_eq!(json["chats"][0]["system_events"], 5);
    assert_eq!(json["chats"][0]["media_files"], 1);
}

#[test]
fn the_class_list_downloaded_from_the_web_app_is_accepted_as_roster() {
    // Byte for byte what `/classes/{id}/export.csv` writes (BOM, `;`, CRLF, leaving date).
    let dir = temp_dir("export-roster");
    let roster = dir.join("klas-2B.csv");
    std::fs::write(
        &roster,
        "\u{feff}roepnaam;tussenvoegsel;achternaam;klas;stamnummer;vertrokken\r\n\
         Mila;de;Vries;2B;2001;\r\n\
         Sanne;;Jansen;2B;2002;\r\n\
         Jan;;Bakker;2B;2003;\r\n\
         Daan;;Visser;2B;2004;\r\n\
         Fleur;de;Jong;2B;2005;\r\n\
         Noah;;Smit;2B;2006;\r\n\
         Liam;;Peters;2B;2007;\r\n\
         Sem;;Vos;2B;2008;2025-07-01\r\n",
    )
    .unwrap();
    let out = erbij()
        .args(["analyze", "--format", "json", "--roster"])
        .arg(&roster)
        .arg(example("klas-2b.txt"))
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let findings = json["findings"].as_array().unwrap();
    assert!(
        findings
            .iter()
            .any(|f| f["kind"] == "removed" && f["subject"] == "Mila de Vries"),
        "{findings:?}"
    );
    // Sem left before the chat: no finding names him.
    assert!(
        !findings.iter().any(|f| f.to_string().contains("Sem Vos")),
        "{findings:?}"
    );
}
