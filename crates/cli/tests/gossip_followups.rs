//! Gossip follow-ups: after a message naming a pupil, a negative remark with a personal
//! pronoun counts for that pupil only within minutes; "die" (mostly a determiner) is no
//! such pronoun.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::process::Command;

const CHAT: &str = "01-09-2025 09:00 - Jan: hoi allemaal\n\
01-09-2025 09:01 - Mila: hoi\n\
01-09-2025 09:02 - Sanne: hallo\n\
01-09-2025 09:03 - Daan: yo\n\
01-09-2025 09:30 - Jan heeft Mila verwijderd\n\
01-09-2025 10:00 - Sanne: Mila had vandaag een nieuwe jas\n\
01-09-2025 10:01 - Daan: die jas is echt lelijk\n\
01-09-2025 11:00 - Sanne: Mila zat bij de bushalte\n\
01-09-2025 11:01 - Jan: die bushalte is zo stom\n\
01-09-2025 12:00 - Daan: Mila komt morgen ook naar de training\n\
02-09-2025 16:00 - Jan: ze is zo irritant\n";

#[test]
fn determiners_and_remarks_a_day_later_are_not_gossip_about_the_pupil_named() {
    let dir = std::env::temp_dir().join(format!("erbij-followups-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("klas.txt");
    std::fs::write(&path, CHAT).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_erbij"))
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
    let gossip: Vec<&serde_json::Value> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["kind"] == "absent_gossip")
        .collect();
    assert!(gossip.is_empty(), "{gossip:?}");
    // Within minutes and with a personal pronoun it still counts.
    let close = CHAT
        .replace(
            "02-09-2025 16:00 - Jan: ze is zo irritant",
            "01-09-2025 12:01 - Jan: ze is zo irritant",
        )
        .replace("die jas is echt lelijk", "ze is echt lelijk")
        .replace("die bushalte is zo stom", "zij is zo stom");
    std::fs::write(&path, close).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_erbij"))
        .args(["analyze", "--format", "json"])
        .arg(&path)
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        json["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["kind"] == "absent_gossip"),
        "{}",
        json["findings"]
    );
}
