//! `erbij analyze` with Instagram/TikTok downloads: the two scenarios end to end,
//! and bad input that must end in a clear message and exit 1, never a panic.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn data(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../social/tests/data")
        .join(path)
}

fn roster() -> PathBuf {
    data("scenario/klas-2b-accounts.csv")
}

fn erbij(args: &[&std::ffi::OsStr]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_erbij"))
        .args(args)
        .output()
        .expect("erbij runs")
}

fn analyze_json(files: &[PathBuf]) -> (Output, serde_json::Value) {
    let mut args: Vec<&std::ffi::OsStr> = vec![
        "analyze".as_ref(),
        "--format".as_ref(),
        "json".as_ref(),
        "--roster".as_ref(),
    ];
    let roster = roster();
    args.push(roster.as_os_str());
    args.extend(files.iter().map(|f| f.as_os_str()));
    let output = erbij(&args);
    let json = serde_json::from_slice(&output.stdout).unwrap_or(serde_json::Value::Null);
    (output, json)
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// A scratch folder for this test only.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("erbij-social-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn four_classmates_unfollowing_within_a_day_is_one_unfollow_cluster() {
    // Handed in newest first: the zips' own times put them in order.
    let (output, json) = analyze_json(&[
        data("scenario/within-a-day-2.zip"),
        data("scenario/within-a-day-1.zip"),
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let findings = json["findings"].as_array().unwrap();
    let clusters: Vec<_> = findings
        .iter()
        .filter(|f| f["kind"] == "unfollow_cluster")
        .collect();
    assert_eq!(clusters.len(), 1, "{findings:#?}");
    let cluster = clusters[0];
    assert_eq!(cluster["subject"], "Mila de Vries");
    assert_eq!(
        cluster["actors"],
        serde_json::json!(["Daan Visser", "Fleur de Jong", "Jan Bakker", "Noah Smit"])
    );
    assert_eq!(cluster["confidence"], "high");
    assert_eq!(cluster["downloads"], serde_json::json!([1, 0]));
    assert_eq!(cluster["evidence"].as_array().unwrap().len(), 8);
    assert_eq!(
        cluster["evidence"][0]["entry"],
        "connections/followers_and_following/followers_1.json"
    );
    assert_eq!(cluster["evidence"][0]["position"], 3);
    assert!(
        cluster["evidence"][0]["file"]
            .as_str()
            .unwrap()
            .ends_with("within-a-day-1.zip")
    );
    assert!(
        cluster["explanation"]
            .as_str()
            .unwrap()
            .contains("een screenshot is daarvoor het bewijs")
    );
    let account = &json["social_accounts"][0];
    assert_eq!(account["pupil"], "Mila de Vries");
    assert_eq!(account["order"], "made_at");
    // Dated downloads are in their true order: the newest followers leaving is the very
    // pattern reported, not a sign that the files were handed in the wrong way round.
    assert_eq!(account["order_doubts"], serde_json::json!([]));
    assert_eq!(account["unfollows"].as_array().unwrap().len(), 4);
    assert_eq!(json["downloads"].as_array().unwrap().len(), 2);
}

#[test]
fn classmates_unfollowing_weeks_apart_is_no_cluster() {
    let (output, json) = analyze_json(&[
        data("scenario/weeks-apart-1.zip"),
        data("scenario/weeks-apart-2.zip"),
        data("scenario/weeks-apart-3.zip"),
        data("scenario/weeks-apart-4.zip"),
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(
        !json["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["kind"] == "unfollow_cluster"),
        "{json:#}"
    );
    let unfollows: Vec<&str> = json["social_accounts"][0]["unfollows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["pupil"].as_str().unwrap())
        .collect();
    assert_eq!(unfollows, ["Jan Bakker", "Daan Visser", "Fleur de Jong"]);
}

#[test]
fn the_text_report_says_what_a_download_cannot_show() {
    let roster = roster();
    let one = data("scenario/within-a-day-1.zip");
    let two = data("scenario/within-a-day-2.zip");
    let output = erbij(&[
        "analyze".as_ref(),
        "--roster".as_ref(),
        roster.as_os_str(),
        one.as_os_str(),
        two.as_os_str(),
    ]);
    assert_eq!(output.status.code(), Some(0));
    let text = String::from_utf8(output.stdout).unwrap();
    // Paragraphs are wrapped; compare words, not line breaks.
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(text.contains("Samen ontvolgd (zekerheid: hoog)"), "{text}");
    assert!(
        text.contains("likes op de eigen berichten staan niet in een download"),
        "{text}"
    );
    assert!(text.contains("screenshot is daarvoor het bewijs"), "{text}");
    assert!(text.contains("Klasgenoten die Mila de Vries volgen: Sanne Jansen, Liam Peters"));
}

#[test]
fn a_download_beside_a_chat_export_is_one_report() {
    let roster = roster();
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    // An Android export, and an iPhone one whose first character is `[` like a JSON array.
    let chat = examples.join("klas-2b.txt");
    let iphone_chat = examples.join("feestje-zonder-mila.txt");
    let download = data("tiktok-activity");
    let output = erbij(&[
        "analyze".as_ref(),
        "--format".as_ref(),
        "json".as_ref(),
        "--roster".as_ref(),
        roster.as_os_str(),
        chat.as_os_str(),
        download.as_os_str(),
        iphone_chat.as_os_str(),
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["chats"].as_array().unwrap().len(), 2);
    assert_eq!(json["chats"][1]["variant"], "ios");
    assert_eq!(json["downloads"].as_array().unwrap().len(), 1);
    assert_eq!(json["downloads"][0]["platform"], "tiktok");
    assert_eq!(json["downloads"][0]["account"], "milaaa");
    let following: Vec<&str> = json["social_accounts"][0]["classmates_following"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["pupil"].as_str().unwrap())
        .collect();
    assert_eq!(following, ["Sanne Jansen", "Jan Bakker"]);
}

fn assert_refused(path: &Path, expected: &str) {
    let output = erbij(&["analyze".as_ref(), path.as_os_str()]);
    let message = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{message}");
    assert!(message.contains(expected), "{message}");
    assert!(!message.contains("panicked"), "{message}");
    assert!(message.contains(&path.display().to_string()), "{message}");
}

#[test]
fn the_html_download_asks_for_the_json_variant_with_exit_1() {
    assert_refused(
        &data("instagram-html"),
        "Dit is de HTML-versie van de Instagram-download",
    );
    assert_refused(
        &data("instagram-html/connections/followers_and_following/followers_1.html"),
        "kies bij 'Indeling' JSON",
    );
}

#[test]
fn the_tiktok_text_download_asks_for_json_with_exit_1() {
    assert_refused(
        &data("tiktok-txt"),
        "tekstversie (TXT) van de TikTok-download",
    );
}

#[test]
fn a_download_of_another_kind_is_refused_with_exit_1() {
    assert_refused(
        &data("not-a-download"),
        "Dit is geen Instagram- of TikTok-download met volgers",
    );
}

#[test]
fn a_truncated_zip_is_refused_with_exit_1() {
    let dir = scratch("truncated");
    let bytes = std::fs::read(data("scenario/within-a-day-1.zip")).unwrap();
    let path = dir.join("mila-afgebroken.zip");
    std::fs::write(&path, &bytes[..bytes.len() / 2]).unwrap();
    let output = erbij(&["analyze".as_ref(), path.as_os_str()]);
    let message = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{message}");
    assert!(message.contains("mila-afgebroken.zip"), "{message}");
    assert!(!message.contains("panicked"), "{message}");
    // Recognised as a download by its first entry's name, so the advice fits.
    assert!(message.contains("Is het helemaal gedownload?"), "{message}");
    assert!(!message.contains("WhatsApp"), "{message}");
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn a_200_mb_json_file_is_refused_without_reading_it() {
    let dir = scratch("huge");
    let path = dir.join("user_data.json");
    {
        use std::io::Write;
        let mut file = std::fs::File::create(&path).unwrap();
        file.write_all(b"{\"Activity\": ").unwrap();
        // Sparse: the test takes no disk space or time; erbij sees a 200 MB file.
        file.set_len(200 * 1024 * 1024).unwrap();
    }
    assert_refused(&path, "groter dan 64 MB");
    // The same file inside a download folder.
    assert_refused(&dir, "groter dan 64 MB");
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn a_roster_that_cannot_be_read_is_exit_1() {
    let missing = data("scenario/bestaat-niet.csv");
    let zip = data("scenario/within-a-day-1.zip");
    let output = erbij(&[
        "analyze".as_ref(),
        "--roster".as_ref(),
        missing.as_os_str(),
        zip.as_os_str(),
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("bestaat-niet.csv"));
}

#[test]
fn the_html_report_holds_the_downloads_section_and_no_other_host() {
    let roster = roster();
    let one = data("scenario/within-a-day-1.zip");
    let two = data("scenario/within-a-day-2.zip");
    let output = erbij(&[
        "analyze".as_ref(),
        "--format".as_ref(),
        "html".as_ref(),
        "--roster".as_ref(),
        roster.as_os_str(),
        one.as_os_str(),
        two.as_os_str(),
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let html = String::from_utf8(output.stdout).unwrap();
    let section = html
        .find("<h2 id=\"downloads\">")
        .expect("downloads section");
    assert!(section < html.find("</main>").unwrap());
    assert!(html.contains("<article class=\"finding high\">"), "{html}");
    assert!(html.contains("Samen ontvolgd"));
    assert!(html.contains("Daan Visser, Fleur de Jong, Jan Bakker en Noah Smit"));
    assert!(html.contains("likes op de eigen berichten staan niet in een download"));
    assert!(
        !html.contains("src=\"http"),
        "no page refers to another host"
    );
}

#[test]
fn an_unfollow_cluster_is_a_finding_per_pupil_beside_the_chat_findings() {
    let roster = roster();
    let chat = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/klas-2b.txt");
    let one = data("scenario/within-a-day-1.zip");
    let two = data("scenario/within-a-day-2.zip");
    let files = [chat.as_os_str(), one.as_os_str(), two.as_os_str()];

    let mut args: Vec<&std::ffi::OsStr> = vec!["analyze".as_ref(), "--roster".as_ref()];
    args.push(roster.as_os_str());
    args.extend(files);
    let output = erbij(&args);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = String::from_utf8(output.stdout).unwrap();
    // Mila's section of the findings per pupil holds the removal, the cluster and the
    // gossip, most serious first.
    let section = text
        .split("\n== ")
        .find(|s| s.starts_with("Mila de Vries (3)"))
        .unwrap_or_else(|| panic!("{text}"));
    let removed = section.find("[hoog] Uit de groep verwijderd").unwrap();
    let cluster = section
        .find("[hoog] Samen ontvolgd — Instagram, tussen download 1 en download 2")
        .unwrap_or_else(|| panic!("{section}"));
    let gossip = section
        .find("[hoog] Negatief besproken terwijl afwezig")
        .unwrap();
    assert!(removed < cluster && cluster < gossip, "{section}");
    assert!(section.contains(
        "within-a-day-1.zip, connections/followers_and_following/followers_1.json, item 3: daanv volgt, sinds 2025-09-01T12:00:00"
    ), "{section}");
    assert!(section.contains("within-a-day-2.zip: daanv staat niet meer bij de volgers"));

    let (output, json) = analyze_json(&[chat.clone(), one.clone(), two.clone()]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let findings = json["findings"].as_array().unwrap();
    let kinds: Vec<&str> = findings
        .iter()
        .map(|f| f["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["removed", "unfollow_cluster", "absent_gossip"]);
    let cluster = &findings[1];
    assert_eq!(cluster["subject"], "Mila de Vries");
    assert_eq!(cluster["platform"], "instagram");
    assert_eq!(cluster["downloads"], serde_json::json!([0, 1]));
    assert!(cluster.get("chat").is_none(), "{cluster}");
    let evidence = cluster["evidence"].as_array().unwrap();
    assert_eq!(evidence.len(), 8);
    assert_eq!(evidence[0]["download"], 0);
    assert_eq!(evidence[0]["account"], "daanv");
    assert_eq!(evidence[0]["position"], 3);
    assert_eq!(
        evidence[0]["entry"],
        "connections/followers_and_following/followers_1.json"
    );
    assert_eq!(
        evidence[0]["text"],
        "daanv volgt, sinds 2025-09-01T12:00:00"
    );
    assert!(
        evidence[0]["file"]
            .as_str()
            .unwrap()
            .ends_with("within-a-day-1.zip")
    );
    assert_eq!(evidence[1]["download"], 1);
    assert!(evidence[1]["entry"].is_null() && evidence[1]["position"].is_null());
    assert!(evidence.iter().all(|e| e.get("line").is_none()));
    // The chat findings keep their chat-line evidence.
    assert_eq!(
        findings[0]["evidence"][0],
        serde_json::json!({"chat": 0, "line": 22, "text": findings[0]["evidence"][0]["text"]})
    );
    assert_eq!(findings[0]["chat"], 0);
}

/// `followers_1.json` taken out of one of the scenario's zips, as a pupil hands in only that.
fn followers_file_from(zip_name: &str, dir: &Path) -> PathBuf {
    let file = std::fs::File::open(data(zip_name)).unwrap();
    let mut archive = zip::ZipArchive::new(file).unwrap();
    let mut entry = archive
        .by_name("connections/followers_and_following/followers_1.json")
        .unwrap();
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(&mut entry, &mut bytes).unwrap();
    std::fs::create_dir_all(dir).unwrap();
    let path = dir.join("followers_1.json");
    std::fs::write(&path, bytes).unwrap();
    path
}

#[test]
fn a_followers_file_alone_is_named_by_exporter_in_text_json_and_html() {
    let dir = scratch("followers-only");
    let first = followers_file_from("scenario/within-a-day-1.zip", &dir.join("1"));
    let second = followers_file_from("scenario/within-a-day-2.zip", &dir.join("2"));
    let run = |format: &str, named: bool| -> String {
        let roster = roster();
        let owner_first = format!("{}=Mila", first.display());
        let owner_second = format!("{}=Mila", second.display());
        let mut args: Vec<&std::ffi::OsStr> = vec![
            "analyze".as_ref(),
            "--format".as_ref(),
            format.as_ref(),
            "--roster".as_ref(),
            roster.as_os_str(),
        ];
        if named {
            for owner in [&owner_first, &owner_second] {
                args.push("--exporter".as_ref());
                args.push(owner.as_ref());
            }
        }
        args.extend([first.as_os_str(), second.as_os_str()]);
        let output = erbij(&args);
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        String::from_utf8(output.stdout).unwrap()
    };
    // Without --exporter the report can only say "de leerling".
    let text = run("text", false);
    assert!(text.contains("== de leerling"), "{text}");

    let text = run("text", true);
    assert!(!text.contains("== de leerling"), "{text}");
    assert!(text.contains("van Mila (opgegeven)"), "{text}");
    assert!(text.contains("== Mila de Vries"), "{text}");

    let json: serde_json::Value = serde_json::from_str(&run("json", true)).unwrap();
    assert_eq!(json["downloads"][0]["account"], serde_json::Value::Null);
    assert_eq!(json["downloads"][0]["exporter"], "Mila");
    assert_eq!(json["social_accounts"][0]["pupil"], "Mila de Vries");
    let clusters: Vec<_> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["kind"] == "unfollow_cluster")
        .collect();
    assert_eq!(clusters.len(), 1, "{json:#}");
    assert_eq!(clusters[0]["subject"], "Mila de Vries");

    let html = run("html", true);
    assert!(html.contains("van Mila (opgegeven)"), "{html}");
    assert!(!html.contains(">de leerling<"), "{html}");
}
