//! The readers against fixtures we wrote for each supported variant, unpacked and zipped,
//! and against input that is not what it should be.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::io::Cursor;

use common::*;
use erbij_social::{
    DiagnosticKind, Download, Language, MadeAtSource, MemoryEntries, Moment, Platform, ReadError,
    ZipEntries, read_download,
};

fn kinds_at(download: &Download) -> Vec<(Option<String>, Option<usize>, DiagnosticKind)> {
    download
        .diagnostics
        .iter()
        .map(|d| (d.entry.clone(), d.position, d.kind.clone()))
        .collect()
}

const FOLLOWERS_DIR: &str = "connections/followers_and_following";

#[test]
fn older_instagram_download_reads_value_entries_from_relationships_objects() {
    for download in [
        read_folder("instagram-older").unwrap(),
        read_zipped_folder("instagram-older").unwrap(),
    ] {
        assert_eq!(download.platform, Platform::Instagram);
        assert_eq!(download.owner.as_ref().unwrap().as_str(), "mila.devries");
        assert_eq!(
            names(&download.followers),
            ["sanne.jansen", "jan.bakker", "voetbalclub.vv"]
        );
        assert_eq!(
            names(&download.following),
            ["sanne.jansen", "daanv", "tante.ans"]
        );
        let jan = &download.followers.as_ref().unwrap()[1];
        assert_eq!(jan.since, Some(Moment::from_unix(1_756_713_600 + 7_200)));
        assert_eq!(jan.since.unwrap().to_string(), "2025-09-01T12:00:00");
        assert_eq!(&*jan.entry, format!("{FOLLOWERS_DIR}/followers.json"));
        assert_eq!(jan.position, 2);
        assert!(
            download.diagnostics.is_empty(),
            "{:?}",
            download.diagnostics
        );
    }
}

#[test]
fn newer_instagram_download_joins_pages_and_reads_title_entries() {
    let download = read_folder("instagram-newer").unwrap();
    assert_eq!(
        names(&download.followers),
        ["sanne.jansen", "jan.bakker", "fleurdj", "noah.smit"]
    );
    let noah = &download.followers.as_ref().unwrap()[3];
    assert_eq!(&*noah.entry, format!("{FOLLOWERS_DIR}/followers_2.json"));
    assert_eq!(noah.position, 2);
    assert_eq!(
        names(&download.following),
        ["sanne.jansen", "liam.p", "bakkerij_dorp"]
    );
    // The owner's user name under the Dutch key of a download made in Dutch.
    assert_eq!(download.owner.as_ref().unwrap().as_str(), "mila.devries");
    let following = format!("{FOLLOWERS_DIR}/following.json");
    assert_eq!(
        kinds_at(&download),
        [
            (
                Some(format!("{FOLLOWERS_DIR}/followers_2.json")),
                Some(2),
                DiagnosticKind::NameFromLink
            ),
            (
                Some(following.clone()),
                Some(3),
                DiagnosticKind::EntryWithoutTime
            ),
            (Some(following), Some(4), DiagnosticKind::EntryWithoutName),
        ]
    );
    // The same download zipped reads the same, and the zip says when it was made.
    let zipped = read_zipped_folder("instagram-newer").unwrap();
    assert_eq!(zipped.followers, download.followers);
    assert_eq!(zipped.following, download.following);
    assert_eq!(
        zipped.made_at,
        Some((
            // The zip's zone-less 12:00, read as Dutch (summer) time.
            Moment::from_utc_fields(2025, 10, 1, 10, 0, 0).unwrap(),
            MadeAtSource::ZipEntryTimes
        ))
    );
    assert_eq!(download.made_at, None);
}

#[test]
fn a_single_instagram_followers_page_handed_in_alone_is_read_by_its_content() {
    let files = fixture_files("instagram-newer");
    let page = files
        .iter()
        .find(|(path, _)| path.ends_with("followers_1.json"))
        .unwrap();
    // Renamed on purpose: the content decides, not the name.
    let mut source = MemoryEntries::new([("volgers-mila.json".to_owned(), page.1.clone())]);
    let download = read_download(&mut source).unwrap();
    assert_eq!(download.platform, Platform::Instagram);
    assert_eq!(names(&download.followers), ["sanne.jansen", "jan.bakker"]);
    assert_eq!(download.following, None);
    assert!(
        kinds_at(&download)
            .iter()
            .any(|k| k.2 == DiagnosticKind::OwnerUnknown)
    );
    assert!(
        kinds_at(&download)
            .iter()
            .any(|k| k.2 == DiagnosticKind::NoFollowing)
    );
}

#[test]
fn tiktok_activity_variant_reads_fans_and_following_lists() {
    for download in [
        read_folder("tiktok-activity").unwrap(),
        read_zipped_folder("tiktok-activity").unwrap(),
    ] {
        assert_eq!(download.platform, Platform::TikTok);
        assert_eq!(download.owner.as_ref().unwrap().as_str(), "milaaa");
        assert_eq!(
            names(&download.followers),
            ["sannej", "jantje_b", "randomfan123"]
        );
        assert_eq!(names(&download.following), ["sannej", "fleur.dj"]);
        let jan = &download.followers.as_ref().unwrap()[1];
        assert_eq!(jan.since, Moment::from_utc_fields(2025, 9, 3, 18, 30, 0));
        assert_eq!(&*jan.entry, "user_data.json: Activity > Follower List");
        assert_eq!(jan.position, 2);
        assert!(
            download.diagnostics.is_empty(),
            "{:?}",
            download.diagnostics
        );
    }
}

#[test]
fn tiktok_your_activity_variant_with_username_key_is_read_too() {
    let download = read_folder("tiktok-your-activity").unwrap();
    assert_eq!(download.owner.as_ref().unwrap().as_str(), "milaaa");
    assert_eq!(names(&download.followers), ["sannej", "noahsmit"]);
    assert_eq!(names(&download.following), ["sannej", "liampeters"]);
    assert_eq!(
        &*download.followers.as_ref().unwrap()[1].entry,
        "user_data_tiktok.json: Your Activity > Follower"
    );
    let zipped = read_zipped_folder("tiktok-your-activity").unwrap();
    assert_eq!(zipped.followers, download.followers);
}

#[test]
fn a_tiktok_file_handed_in_alone_is_recognised_by_content() {
    let files = fixture_files("tiktok-activity");
    let mut source = MemoryEntries::new([("export.json".to_owned(), files[0].1.clone())]);
    let download = read_download(&mut source).unwrap();
    assert_eq!(download.platform, Platform::TikTok);
    assert_eq!(names(&download.followers).len(), 3);
}

#[test]
fn tiktok_layout_we_do_not_know_is_reported_with_what_was_found() {
    let json = br#"{"Activity": {"Fan Overview": {"Count": 3}, "Like List": {}}, "Profile": {}}"#;
    let mut source = MemoryEntries::new([("user_data.json".to_owned(), json.to_vec())]);
    let err = read_download(&mut source).unwrap_err();
    let ReadError::UnexpectedStructure { entry, found } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(entry, "user_data.json");
    assert_eq!(
        found,
        &["Activity > Fan Overview", "Activity > Like List", "Profile"]
    );
    assert!(err.message(Language::Dutch).contains("erbij raadt niet"));
}

#[test]
fn tiktok_follower_section_in_an_unknown_shape_becomes_a_diagnostic() {
    let json = br#"{"Activity": {"Follower List": {"Fans": "hidden"},
                    "Following List": {"Following": [{"Date": "2025-09-01 10:00:00", "UserName": "a"}]}}}"#;
    let mut source = MemoryEntries::new([("user_data.json".to_owned(), json.to_vec())]);
    let download = read_download(&mut source).unwrap();
    assert_eq!(download.followers, None);
    assert_eq!(names(&download.following), ["a"]);
    assert!(download.diagnostics.iter().any(|d| matches!(
        &d.kind,
        DiagnosticKind::SectionNotUnderstood { section, found }
            if section == "user_data.json: Activity > Follower List" && found == &["Fans"]
    )));
}

#[test]
fn the_html_download_is_answered_with_a_request_for_json() {
    for result in [
        read_folder("instagram-html"),
        read_zipped_folder("instagram-html"),
    ] {
        let err = result.unwrap_err();
        assert_eq!(
            err,
            ReadError::HtmlVariant {
                platform: Platform::Instagram
            }
        );
        assert!(
            err.message(Language::Dutch)
                .contains("kies bij 'Indeling' JSON")
        );
        assert!(err.message(Language::English).contains("choose JSON"));
    }
    let page = fixture_files("instagram-html")
        .into_iter()
        .find(|(p, _)| p.ends_with("followers_1.html"))
        .unwrap();
    let mut source = MemoryEntries::new([page]);
    assert_eq!(
        read_download(&mut source).unwrap_err(),
        ReadError::HtmlVariant {
            platform: Platform::Instagram
        }
    );
}

#[test]
fn the_tiktok_text_download_is_answered_with_a_request_for_json() {
    assert_eq!(
        read_folder("tiktok-txt").unwrap_err(),
        ReadError::TextVariant {
            platform: Platform::TikTok
        }
    );
    let single = fixture_files("tiktok-txt").into_iter().next().unwrap();
    assert_eq!(
        read_download(&mut MemoryEntries::new([single])).unwrap_err(),
        ReadError::TextVariant {
            platform: Platform::TikTok
        }
    );
}

#[test]
fn a_download_of_another_kind_says_what_it_holds() {
    let err = read_folder("not-a-download").unwrap_err();
    assert_eq!(
        err,
        ReadError::NotADownload {
            found: vec![
                "Takeout/Contacts/contacts.json".into(),
                "Takeout/archive_browser.json".into()
            ]
        }
    );
    assert!(
        err.message(Language::Dutch)
            .starts_with("Dit is geen Instagram- of TikTok-download")
    );
    let single = MemoryEntries::new([("x.json".to_owned(), br#"{"contacts": []}"#.to_vec())]);
    assert_eq!(
        read_download(&mut { single }).unwrap_err(),
        ReadError::NotADownload {
            found: vec!["contacts".into()]
        }
    );
}

#[test]
fn a_truncated_zip_is_a_clear_error() {
    let bytes = zip_bytes(&fixture_files("instagram-older"), (2025, 10, 1, 12, 0));
    for cut in [bytes.len() / 2, bytes.len() - 10, 30, 0] {
        let err = ZipEntries::open(Cursor::new(bytes[..cut].to_vec()), "mila.zip").unwrap_err();
        assert!(matches!(err, ReadError::DamagedZip { ref file, .. } if file == "mila.zip"));
        assert!(
            err.message(Language::Dutch)
                .contains("Is het helemaal gedownload?")
        );
    }
}

#[test]
fn a_zip_whose_entry_data_is_damaged_names_the_entry() {
    let mut bytes = zip_bytes(&fixture_files("instagram-older"), (2025, 10, 1, 12, 0));
    // Overwrite the first entry's compressed data (just after its 30-byte header and name).
    let name_len = usize::from(bytes[26]) + usize::from(bytes[27]) * 256;
    let start = 30 + name_len;
    for byte in &mut bytes[start..start + 40] {
        *byte = 0xFF;
    }
    let err = read_zip(bytes).unwrap_err();
    assert!(
        matches!(err, ReadError::EntryDamaged { ref entry, .. } | ReadError::InvalidJson { ref entry, .. } if entry.ends_with("followers.json")),
        "{err:?}"
    );
}

#[test]
fn a_json_entry_above_the_limit_is_refused_before_it_is_inflated() {
    // Stored, not deflated, so the test builds quickly: 65 MiB of one JSON string.
    let big = erbij_social::MAX_JSON_ENTRY_BYTES as usize + 1024 * 1024;
    let mut json = Vec::with_capacity(big);
    json.extend_from_slice(b"[\"");
    json.resize(big - 2, b'a');
    json.extend_from_slice(b"\"]");
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored)
        .large_file(false);
    use std::io::Write;
    writer
        .start_file(
            "connections/followers_and_following/followers_1.json",
            options,
        )
        .unwrap();
    writer.write_all(&json).unwrap();
    drop(json);
    let bytes = writer.finish().unwrap().into_inner();
    let err = read_zip(bytes).unwrap_err();
    assert_eq!(
        err,
        ReadError::EntryTooLarge {
            entry: "connections/followers_and_following/followers_1.json".into(),
            limit: erbij_social::MAX_JSON_ENTRY_BYTES
        }
    );
    assert!(err.message(Language::Dutch).contains("groter dan 64 MB"));
}

#[test]
fn a_path_leaving_the_download_is_skipped_and_reported() {
    let mut files = fixture_files("instagram-older");
    files.push(("../../buiten.json".to_owned(), b"{}".to_vec()));
    let download = read_zip(zip_bytes(&files, (2025, 10, 1, 12, 0))).unwrap();
    assert_eq!(names(&download.followers).len(), 3);
    assert_eq!(
        download.diagnostics[0].kind,
        DiagnosticKind::PathSkipped {
            path: "../../buiten.json".into()
        }
    );
}

#[test]
fn broken_json_names_the_file_line_and_column() {
    let json = b"[\n  {\"title\": \"a\",\n   \"string_list_data\": [\n";
    let mut source = MemoryEntries::new([
        (
            "connections/followers_and_following/followers_1.json".to_owned(),
            json.to_vec(),
        ),
        (
            "connections/followers_and_following/following.json".to_owned(),
            b"{}".to_vec(),
        ),
    ]);
    let err = read_download(&mut source).unwrap_err();
    let ReadError::InvalidJson { entry, line, .. } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(
        entry,
        "connections/followers_and_following/followers_1.json"
    );
    assert_eq!(*line, 4);
    assert!(err.message(Language::Dutch).contains("regel 4"));
}

#[test]
fn arbitrary_bytes_never_panic() {
    // A cheap, deterministic fuzz: mutate the fixtures' bytes and read them all.
    let mut seed: u64 = 0x5eed;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for name in [
        "instagram-older",
        "instagram-newer",
        "tiktok-activity",
        "tiktok-your-activity",
    ] {
        let files = fixture_files(name);
        let zipped = zip_bytes(&files, (2025, 10, 1, 12, 0));
        for _ in 0..200 {
            let mut mutated = files.clone();
            for (_, bytes) in &mut mutated {
                if !bytes.is_empty() {
                    let at = (next() as usize) % bytes.len();
                    bytes[at] = next() as u8;
                    let cut = (next() as usize) % (bytes.len() + 1);
                    if next() % 4 == 0 {
                        bytes.truncate(cut);
                    }
                }
            }
            let _ = read_download(&mut MemoryEntries::new(mutated));
            let mut zip = zipped.clone();
            let at = (next() as usize) % zip.len();
            zip[at] = next() as u8;
            let _ = read_zip(zip);
        }
    }
}

#[test]
fn a_single_path_tells_a_download_from_a_chat_export() {
    use erbij_social::is_download_path;
    assert!(is_download_path(
        "your_instagram_activity/likes/liked_posts.json"
    ));
    assert!(is_download_path(
        "connections/followers_and_following/followers_1.json"
    ));
    assert!(is_download_path("user_data_tiktok.json"));
    assert!(!is_download_path("_chat.txt"));
    assert!(!is_download_path("WhatsApp Chat - Klas 2B.txt"));
    assert!(!is_download_path("00000012-PHOTO-2025-09-01-19-02-03.jpg"));
}

#[test]
fn an_account_listed_twice_is_counted_once_and_a_missing_list_is_said() {
    let followers = br#"[
        {"title": "", "string_list_data": [{"href": "https://www.instagram.com/sanne.jansen", "value": "sanne.jansen", "timestamp": 1756713600}]},
        {"title": "", "string_list_data": [{"href": "https://www.instagram.com/Sanne.Jansen", "value": "Sanne.Jansen", "timestamp": 1756713600}]}
    ]"#;
    let mut source = MemoryEntries::new([
        (
            format!("{FOLLOWERS_DIR}/followers_1.json"),
            followers.to_vec(),
        ),
        (
            "personal_information/personal_information.json".to_owned(),
            br#"{"profile_user": []}"#.to_vec(),
        ),
    ]);
    let download = read_download(&mut source).unwrap();
    assert_eq!(names(&download.followers), ["sanne.jansen"]);
    let messages: Vec<String> = download
        .diagnostics
        .iter()
        .map(|d| d.message(Language::English))
        .collect();
    assert_eq!(
        messages,
        [
            format!("{FOLLOWERS_DIR}/followers_1.json, entry 2: account sanne.jansen appears twice; counted once"),
            "the download does not say whose account it is".to_owned(),
            "the download holds no list of accounts followed; 'does not follow back' cannot be determined".to_owned(),
        ]
    );
    assert_eq!(
        download.diagnostics[0].message(Language::Dutch),
        format!(
            "{FOLLOWERS_DIR}/followers_1.json, item 2: account sanne.jansen staat er twee keer in; één keer geteld"
        )
    );

    let mut only_following = MemoryEntries::new([(
        format!("{FOLLOWERS_DIR}/following.json"),
        br#"{"relationships_following": []}"#.to_vec(),
    )]);
    let download = read_download(&mut only_following).unwrap();
    assert_eq!(download.followers, None);
    assert_eq!(download.following, Some(Vec::new()));
    assert!(
        download
            .diagnostics
            .iter()
            .any(|d| d.kind == DiagnosticKind::NoFollowers)
    );
}
