//! `ignored` counts only turns that invite a reply: a pupil who shares links and wishes
//! that nobody answers is not "ignored"; one whose questions go unanswered is, and the
//! explanation says which turns were counted.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::fmt::Write as _;
use std::process::Command;

fn chat(tim: &dyn Fn(usize) -> String) -> String {
    let mut out = String::new();
    for day in 0..42usize {
        let date = format!("{:02}-{:02}-2025", 1 + day % 28, 9 + day / 28);
        let _ = writeln!(out, "{date} 15:00 - Tim: {}", tim(day));
        let _ = writeln!(
            out,
            "{date} 17:00 - Sanne: wie gaat er zaterdag mee zwemmen"
        );
        let _ = writeln!(out, "{date} 17:01 - Daan: ik ga mee");
        let _ = writeln!(out, "{date} 17:02 - Mila: ik ook, hoe laat");
        let _ = writeln!(out, "{date} 17:03 - Liam: om twee uur bij het bad");
        let _ = writeln!(out, "{date} 17:04 - Sanne: top dan zie ik jullie daar");
        let _ = writeln!(out, "{date} 17:05 - Noah: ik kan helaas niet");
        let _ = writeln!(out, "{date} 17:06 - Daan: jammer joh");
    }
    out
}

fn findings(name: &str, text: &str) -> serde_json::Value {
    let dir = std::env::temp_dir().join(format!("erbij-ignored-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("klas.txt");
    std::fs::write(&path, text).unwrap();
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
    json["findings"].clone()
}

#[test]
fn links_and_wishes_nobody_answers_are_not_ignored_turns() {
    let links = chat(&|day| {
        if day % 3 == 0 {
            "Gefeliciteerd allemaal met de start van het jaar!".to_string()
        } else {
            format!("https://vm.tiktok.com/ZM{day}abc/")
        }
    });
    let found = findings("links", &links);
    assert!(
        !found
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["kind"] == "ignored"),
        "{found}"
    );
}

#[test]
fn questions_nobody_answers_are_and_the_explanation_says_what_counted() {
    let questions = chat(&|day| {
        if day % 3 == 0 {
            format!("https://vm.tiktok.com/ZM{day}abc/")
        } else {
            "zal ik ook meegaan zaterdag?".to_string()
        }
    });
    let found = findings("questions", &questions);
    let ignored = found
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["kind"] == "ignored" && f["subject"] == "Tim")
        .expect("Tim's questions go unanswered");
    let explanation = ignored["explanation"].as_str().unwrap();
    assert!(
        explanation.contains("Niet geteld: 14 links"),
        "{explanation}"
    );
}
