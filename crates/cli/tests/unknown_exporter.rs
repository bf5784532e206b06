//! Without `--exporter`, a pupil never seen in a group may be the one who made the export:
//! that lowers the confidence, it never hides the finding.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::process::Command;

#[test]
fn a_group_lacking_one_pupil_is_reported_unless_that_pupil_made_the_export() {
    let dir = std::env::temp_dir().join(format!("erbij-unknown-exporter-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let roster = dir.join("klas.csv");
    std::fs::write(
        &roster,
        "name,aliases\nSanne,\nDaan,\nMila,\nLiam,\nNoah,\n",
    )
    .unwrap();
    let class = dir.join("klas.txt");
    std::fs::write(
        &class,
        "01-09-2025 19:00 - Sanne: hoi klas\n01-09-2025 19:01 - Daan: hoi\n01-09-2025 19:02 - Mila: hallo\n01-09-2025 19:03 - Liam: yo\n01-09-2025 19:04 - Noah: hey\n",
    )
    .unwrap();
    let other = dir.join("feest.txt");
    std::fs::write(
        &other,
        "05-09-2025 20:00 - Sanne: zaterdag feest bij mij\n05-09-2025 20:01 - Daan: top\n05-09-2025 20:02 - Mila: ik kom\n05-09-2025 20:03 - Liam: ik ook\n",
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_erbij"))
        .args(["analyze", "--format", "json", "--roster"])
        .arg(&roster)
        .arg(&class)
        .arg(&other)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let finding = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["kind"] == "shadow_group")
        .expect("the group without Noah is reported");
    assert_eq!(finding["subject"], "Noah");
    assert_eq!(finding["confidence"], "low");
    let explanation = finding["explanation"].as_str().unwrap();
    assert!(
        explanation.contains("Tenzij Noah deze export zelf maakte"),
        "{explanation}"
    );
    assert!(
        explanation.contains("4 van de 5 leerlingen"),
        "{explanation}"
    );
    // The report asks who made the export.
    let group = json["groups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["chats"][0] == 1)
        .unwrap();
    assert_eq!(group["exporters"][0]["question"], "who_made_this_export");
    let text = Command::new(env!("CARGO_BIN_EXE_erbij"))
        .args(["analyze", "--roster"])
        .arg(&roster)
        .arg(&class)
        .arg(&other)
        .output()
        .unwrap();
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(text.contains("Wie maakte deze export?"), "{text}");
}
