//! `erbij analyze` with the detectors: the findings contract, the three report formats, the
//! research flags, a real browser rendering the HTML report, and quiet logs.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::PathBuf;
use std::process::{Command, Output};

fn example(name: &str) -> PathBuf {
    erbij_testkit::workspace_root().join("examples").join(name)
}

fn analyze(extra: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_erbij"))
        .arg("analyze")
        .arg("--roster")
        .arg(example("klas-2b.csv"))
        .args(extra)
        .arg(example("klas-2b.txt"))
        .arg(example("feestje-zonder-mila.txt"))
        .output()
        .unwrap()
}

fn json(extra: &[&str]) -> serde_json::Value {
    let mut args = vec!["--format", "json"];
    args.extend_from_slice(extra);
    let out = analyze(&args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn kinds(report: &serde_json::Value) -> Vec<String> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["kind"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn findings_follow_the_json_contract_with_roster_names() {
    let report = json(&[]);
    let findings = report["findings"].as_array().unwrap();
    assert!(!findings.is_empty());
    for f in findings {
        for field in [
            "kind",
            "subject",
            "actors",
            "chat",
            "at",
            "confidence",
            "evidence",
            "explanation",
        ] {
            assert!(f.get(field).is_some(), "{field} missing in {f}");
        }
        assert!(["high", "medium", "low"].contains(&f["confidence"].as_str().unwrap()));
        for e in f["evidence"].as_array().unwrap() {
            assert!(
                e["chat"].is_u64() && e["line"].is_u64() && e["text"].is_string(),
                "{e}"
            );
        }
    }
    let removed = findings.iter().find(|f| f["kind"] == "removed").unwrap();
    assert_eq!(removed["subject"], "Mila de Vries");
    assert_eq!(removed["actors"], serde_json::json!(["Jan Bakker"]));
    assert_eq!(removed["chat"], 0);
    assert_eq!(removed["at"], "2025-09-04T21:03:00");
    assert_eq!(removed["evidence"][0]["line"], 22);
    assert!(
        removed["evidence"][0]["text"]
            .as_str()
            .unwrap()
            .contains("Jan heeft Mila verwijderd")
    );
    let mut found = kinds(&report);
    found.sort();
    assert_eq!(
        found,
        [
            "absent_gossip",
            "added_and_removed",
            "removed",
            "shadow_group",
            "shadow_group",
            "targeted_group_name"
        ]
    );
    // Liam is never seen in the party group; the file does not name its maker, who may be
    // Liam: reported, at low confidence, "unless Liam made this export".
    let liam = findings
        .iter()
        .find(|f| f["kind"] == "shadow_group" && f["subject"] == "Liam Peters")
        .unwrap();
    assert_eq!(liam["confidence"], "low");
    assert!(
        liam["explanation"]
            .as_str()
            .unwrap()
            .contains("Tenzij Liam Peters deze export zelf maakte")
    );
    // Noah left on his own: in the timeline as "left", never a finding.
    let noah = report["groups"][0]["members"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["person"] == "Noah Smit")
        .unwrap();
    assert_eq!(
        noah["facts"].as_array().unwrap().last().unwrap()["how"],
        "left"
    );
}

#[test]
fn english_reports_on_request() {
    let report = json(&["--lang", "en"]);
    assert!(
        report["findings"][0]["explanation"]
            .as_str()
            .unwrap()
            .contains("removed again")
    );
    let out = analyze(&["--lang", "en"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("Findings per pupil, most serious first"),
        "{text}"
    );
}

#[test]
fn the_text_report_groups_per_pupil_most_serious_first() {
    let out = analyze(&[]);
    let text = String::from_utf8(out.stdout).unwrap();
    let mila = text.find("== Mila de Vries (5)").unwrap();
    let first = text[mila..]
        .find("[hoog] Toegevoegd en meteen weer verwijderd")
        .unwrap();
    let later = text[mila..]
        .find("Negatief besproken terwijl afwezig")
        .unwrap();
    assert!(first < later);
    assert!(
        text.contains("klas-2b.txt regel 22: 04-09-2025 21:03 - \u{200e}Jan heeft Mila verwijderd"),
        "{text}"
    );
}

#[test]
fn thresholds_can_be_set_for_research_and_bad_ones_are_usage_errors() {
    let strict = json(&["--threshold", "gossip_min_authors=4"]);
    assert!(!kinds(&strict).contains(&"absent_gossip".to_string()));
    let out = analyze(&["--threshold", "gossip_min_authors"]);
    assert_eq!(out.status.code(), Some(2));
    let out = analyze(&["--threshold", "no_such_threshold=1"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("ignored_alpha"));
}

#[test]
fn a_bad_roster_is_explained_with_its_line() {
    let dir = std::env::temp_dir().join(format!("erbij-roster-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let roster = dir.join("klas.csv");
    std::fs::write(&roster, "naam\nMila\n").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_erbij"))
        .arg("analyze")
        .arg("--roster")
        .arg(&roster)
        .arg(example("klas-2b.txt"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("regel 1: de kolom `name` ontbreekt"));
}

#[test]
fn no_chat_text_or_pupil_names_in_the_log_output() {
    for format in ["text", "json", "html"] {
        let out = analyze(&["--format", format]);
        assert_eq!(out.status.code(), Some(0));
        let stderr = String::from_utf8_lossy(&out.stderr);
        for secret in [
            "Mila", "Jan", "Sanne", "Daan", "Fleur", "Noah", "Liam", "irritant", "eruit", "Feestje",
        ] {
            assert!(
                !stderr.contains(secret),
                "{format}: stderr mentions {secret}: {stderr}"
            );
        }
    }
}

/// Each test writes its own file: tests run in parallel.
fn html_report(name: &str) -> (PathBuf, String) {
    let dir = erbij_testkit::artifacts_dir();
    let target = dir.join(name);
    let out = analyze(&["--format", "html", "-o", target.to_str().unwrap()]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let html = std::fs::read_to_string(&target).unwrap();
    (target, html)
}

#[test]
fn the_html_report_is_self_contained_escaped_and_quotes_the_lines() {
    let (_, html) = html_report("klas-2b-report-static.html");
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("<html lang=\"nl\">"));
    for forbidden in [
        "<script", "<link", "http://", "https://", "src=", "@import", "url(",
    ] {
        assert!(!html.contains(forbidden), "found {forbidden}");
    }
    assert!(html.contains("@media print"));
    assert!(html.contains("<svg role=\"img\""));
    assert!(html.contains("\u{200e}Jan heeft Mila verwijderd"));
    assert!(html.contains("Daan: Mila eruit 🤡"));
    assert!(html.contains("Samenvatting per leerling"));
}

#[test]
fn the_html_report_escapes_chat_text() {
    let dir = std::env::temp_dir().join(format!("erbij-escape-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let chat = dir.join("chat.txt");
    std::fs::write(
        &chat,
        "01-09-2025 19:02 - Sanne heeft de groep <b>Klas</b> gemaakt\n01-09-2025 19:03 - Jan heeft Mila verwijderd\n01-09-2025 19:04 - Jan: <script>alert(1)</script> Mila eruit\n",
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_erbij"))
        .args(["analyze", "--format", "html"])
        .arg(&chat)
        .output()
        .unwrap();
    let html = String::from_utf8(out.stdout).unwrap();
    assert!(
        !html.contains("<script>") && !html.contains("<b>Klas"),
        "{html}"
    );
    assert!(html.contains("&lt;b&gt;Klas&lt;/b&gt;"));
}

#[test]
fn the_html_report_renders_in_headless_chromium() {
    let Some((chromium, _driver)) = erbij_testkit::browser() else {
        return;
    };
    let (report, _) = html_report("klas-2b-report.html");
    let artifacts = erbij_testkit::artifacts_dir();
    let profile = std::env::temp_dir().join(format!("erbij-chromium-{}", std::process::id()));
    let url = format!("file://{}", report.display());
    let common = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--window-size=1280,2000",
    ];
    let screenshot = artifacts.join("report.png");
    let _ = std::fs::remove_file(&screenshot);
    let out = Command::new(&chromium)
        .args(common)
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("--screenshot={}", screenshot.display()))
        .arg(&url)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let png = std::fs::read(&screenshot).unwrap();
    assert!(png.starts_with(b"\x89PNG"), "not a PNG");
    assert!(
        png.len() > 20_000,
        "screenshot suspiciously small: {} bytes",
        png.len()
    );
    let out = Command::new(&chromium)
        .args(common)
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg("--dump-dom")
        .arg(&url)
        .output()
        .unwrap();
    assert!(out.status.success());
    let dom = String::from_utf8_lossy(&out.stdout);
    assert!(
        dom.contains("Jan heeft Mila verwijderd"),
        "quoted removal line missing"
    );
    assert!(
        dom.contains("Sanne: Ga weg met Mila haha"),
        "quoted gossip line missing"
    );
    assert!(dom.contains("<svg"), "timeline picture missing");
    let _ = std::fs::remove_dir_all(&profile);
}

#[test]
fn the_exporter_can_be_named_and_ambiguous_names_are_counted_not_guessed() {
    let dir = std::env::temp_dir().join(format!("erbij-ambiguous-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let roster = dir.join("klas.csv");
    std::fs::write(
        &roster,
        "name,aliases\nMila de Vries,\nSanne Jansen,\nSanne Visser,\nJan Bakker,\nLiam Peters,\n",
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_erbij"))
        .args([
            "analyze",
            "--format",
            "json",
            "--exporter",
            "Liam",
            "--roster",
        ])
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
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let chat = &report["chats"][0];
    assert_eq!(chat["ambiguous_authors"], serde_json::json!(["Sanne"]));
    let members = report["groups"][0]["members"].as_array().unwrap();
    assert!(
        members.iter().any(|m| m["person"] == "Liam Peters"),
        "the exporter 'u' is Liam"
    );
    // Sanne fits two pupils: never made the subject or actor of a finding.
    for f in report["findings"].as_array().unwrap() {
        assert!(!f["subject"].as_str().unwrap().starts_with("Sanne "), "{f}");
        for actor in f["actors"].as_array().unwrap() {
            assert!(!actor.as_str().unwrap().starts_with("Sanne "), "{f}");
        }
    }
}

#[test]
fn four_real_exports_of_one_group_merge_into_one_timeline() {
    let Some(fixtures) = erbij_testkit::shared_fixtures() else {
        return;
    };
    let dir = fixtures.join("whatsapp/minvws-dsa");
    let out = Command::new(env!("CARGO_BIN_EXE_erbij"))
        .args(["analyze", "--format", "json"])
        .args(
            [
                "alice-android-en.txt",
                "bob-android-en.txt",
                "carol-android-nl.txt",
                "dave-ios-nl.txt",
            ]
            .map(|f| dir.join(f)),
        )
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let groups = report["groups"].as_array().unwrap();
    assert_eq!(groups.len(), 1, "one group, four exports");
    assert_eq!(groups[0]["chats"].as_array().unwrap().len(), 4);
    // A test group where people leave and come back: nothing to report.
    assert_eq!(report["findings"], serde_json::json!([]));
    // Alice leaving at 16:28 is in all four exports and counted once.
    let alice = groups[0]["members"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["person"] == "Alice")
        .unwrap();
    let left: Vec<&serde_json::Value> = alice["facts"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["how"] == "left")
        .collect();
    assert_eq!(left.len(), 1);
    assert_eq!(left[0]["seen_in_exports"], 4);
}
