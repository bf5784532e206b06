//! Group names wherever WhatsApp writes them: an iPhone export names the group only as the
//! sender of its encryption notice; an Android export whose maker was added later names it
//! only in the file name. Both feed `targeted_group_name`, with where the name came from.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::process::Command;

fn analyze(dir: &std::path::Path, file: &str, text: &str) -> serde_json::Value {
    std::fs::create_dir_all(dir).unwrap();
    let path = dir.join(file);
    std::fs::write(&path, text).unwrap();
    let roster = dir.join("klas.csv");
    std::fs::write(
        &roster,
        "name,aliases\nMila de Vries,\nSanne Bakker,\nDaan Smit,\nNoah Jansen,\n",
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_erbij"))
        .args(["analyze", "--format", "json", "--roster"])
        .arg(&roster)
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn temp(name: &str) -> std::path::PathBuf {
    std::env::temp_dir().join(format!("erbij-names-{name}-{}", std::process::id()))
}

#[test]
fn the_iphone_notice_names_the_group_and_the_name_excludes_mila() {
    let chat = "[01-09-2025 19:00:00] Feestje zonder Mila 🎉: \u{200e}Berichten en gesprekken worden end-to-end versleuteld. Niemand buiten deze chat kan ze lezen of beluisteren, zelfs WhatsApp niet.\n\
[01-09-2025 19:00:00] \u{200e}Sanne heeft deze groep aangemaakt\n\
[01-09-2025 19:00:05] \u{200e}Sanne heeft Daan toegevoegd\n\
[01-09-2025 19:00:06] \u{200e}Sanne heeft Noah toegevoegd\n\
[01-09-2025 19:01:00] Sanne: zaterdag bij mij!\n\
[01-09-2025 19:02:00] Daan: top\n\
[01-09-2025 19:03:00] Noah: ik neem chips mee\n";
    let json = analyze(&temp("ios"), "_chat.txt", chat);
    let group = &json["groups"][0];
    assert_eq!(group["name"], "Feestje zonder Mila 🎉");
    assert_eq!(group["name_source"], "encryption_notice");
    let finding = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["kind"] == "targeted_group_name")
        .expect("targeted_group_name from the notice");
    assert_eq!(finding["subject"], "Mila de Vries");
    assert_eq!(finding["evidence"][0]["line"], 1);
}

#[test]
fn the_android_file_name_names_the_group_when_no_line_does() {
    let chat = "01-09-2025 19:00 - Berichten en oproepen worden end-to-end versleuteld. Niemand buiten deze chat kan ze lezen of beluisteren, zelfs WhatsApp niet. Tik voor meer informatie.\n\
01-09-2025 19:00 - \u{200e}Sanne heeft u toegevoegd\n\
01-09-2025 19:01 - Sanne: zaterdag bij mij!\n\
01-09-2025 19:02 - Daan: top\n\
01-09-2025 19:03 - Noah: ik neem chips mee\n";
    let json = analyze(
        &temp("android"),
        "WhatsApp-chat met Feestje zonder Mila.txt",
        chat,
    );
    let group = &json["groups"][0];
    assert_eq!(group["name"], "Feestje zonder Mila");
    assert_eq!(group["name_source"], "file_name");
    assert_eq!(group["name_confidence"], "medium");
    let finding = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["kind"] == "targeted_group_name")
        .expect("targeted_group_name from the file name");
    assert_eq!(finding["subject"], "Mila de Vries");
    assert_ne!(finding["confidence"], "high", "a file name can be changed");
}
