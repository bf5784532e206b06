//! The unfollow analysis on downloads built the way the platforms make them: the two
//! scenarios of the issue, and one test per kind of result.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use erbij_detect::unfollow::{
    AccountList, ClusterConfidence, HandedIn, MIN_UNFOLLOW_CLUSTER, OrderBasis, UnfollowCluster,
    analyse,
};
use erbij_detect::{Confidence, Language, Roster};
use erbij_social::{Download, MemoryEntries, Moment, read_download};

/// The class list of the issue's example, read the way `--roster` reads it.
const ROSTER: &str = "name,aliases,accounts
Mila de Vries,Mil,instagram:mila.devries|tiktok:milaaa
Sanne Jansen,,instagram:sanne.jansen|tiktok:sannej
Jan Bakker,,instagram:jan.bakker|tiktok:jantje_b
Daan Visser,,instagram:daanv
Fleur de Jong,,instagram:fleurdj|tiktok:fleur.dj
Noah Smit,,instagram:noah.smit|tiktok:noahsmit
Liam Peters,,instagram:liam.p|tiktok:liampeters
";

fn class() -> AccountList {
    AccountList::from_roster(&Roster::from_csv(ROSTER).unwrap())
}

const SEPT_1: i64 = 1_756_713_600; // 2025-09-01 08:00 UTC

/// The entries of Mila's Instagram download with these followers (newer layout).
fn mila_download(followers: &[&str]) -> Vec<(String, Vec<u8>)> {
    let items: Vec<String> = followers
        .iter()
        .enumerate()
        .map(|(i, name)| {
            format!(
                r#"{{"title": "", "media_list_data": [], "string_list_data": [{{"href": "https://www.instagram.com/{name}", "value": "{name}", "timestamp": {}}}]}}"#,
                SEPT_1 + i as i64 * 3_600
            )
        })
        .collect();
    vec![
        (
            "connections/followers_and_following/followers_1.json".into(),
            format!("[{}]", items.join(",")).into_bytes(),
        ),
        (
            "connections/followers_and_following/following.json".into(),
            br#"{"relationships_following": [{"title": "sanne.jansen", "string_list_data": [{"href": "https://www.instagram.com/_u/sanne.jansen", "timestamp": 1756717300}]}]}"#.to_vec(),
        ),
        (
            "personal_information/personal_information/personal_information.json".into(),
            br#"{"profile_user": [{"string_map_data": {"Username": {"value": "mila.devries"}}}]}"#.to_vec(),
        ),
    ]
}

/// A download that says when it was made (as a zip's entry times do), in UTC.
fn zipped(followers: &[&str], made: (u16, u8, u8, u8, u8)) -> Download {
    let made = Moment::from_utc_fields(made.0, made.1, made.2, made.3, made.4, 0);
    let mut source = MemoryEntries::new(mila_download(followers)).with_made_at(made);
    read_download(&mut source).unwrap()
}

fn unpacked(followers: &[&str]) -> Download {
    read_download(&mut MemoryEntries::new(mila_download(followers))).unwrap()
}

fn handed_in<'a>(downloads: &'a [(String, Download)]) -> Vec<HandedIn<'a>> {
    downloads
        .iter()
        .map(|(file, download)| HandedIn {
            file,
            download,
            owner_name: None,
        })
        .collect()
}

const CLASS_FOLLOWERS: [&str; 7] = [
    "sanne.jansen",
    "jan.bakker",
    "daanv",
    "fleurdj",
    "noah.smit",
    "liam.p",
    "voetbalclub.vv",
];

#[test]
fn four_classmates_unfollowing_within_a_day_make_one_cluster_naming_the_four() {
    let downloads = vec![
        (
            "mila-1-okt.zip".to_owned(),
            zipped(&CLASS_FOLLOWERS, (2025, 10, 1, 18, 0)),
        ),
        (
            "mila-2-okt.zip".to_owned(),
            zipped(
                &["sanne.jansen", "liam.p", "voetbalclub.vv", "nieuwe.fan"],
                (2025, 10, 2, 17, 0),
            ),
        ),
    ];
    let analyses = analyse(&handed_in(&downloads), &class());
    assert_eq!(analyses.len(), 1);
    let mila = &analyses[0];
    assert_eq!(mila.subject.as_deref(), Some("Mila de Vries"));
    assert_eq!(mila.order, OrderBasis::MadeAt);
    assert_eq!(mila.unfollows.len(), 4);
    assert_eq!(mila.clusters.len(), 1);
    let cluster = &mila.clusters[0];
    assert_eq!(
        cluster.actors,
        ["Daan Visser", "Fleur de Jong", "Jan Bakker", "Noah Smit"]
    );
    assert_eq!((cluster.before, cluster.after), (0, 1));
    assert_eq!(cluster.span_hours(), Some(23));
    assert_eq!(cluster.confidence, ClusterConfidence::High);
    assert_eq!(cluster.confidence.confidence(), Confidence::High);
    assert_eq!(UnfollowCluster::KIND, "unfollow_cluster");
    assert_eq!(cluster.at().unwrap().to_string(), "2025-10-02T19:00:00");
    let evidence = cluster.evidence();
    assert_eq!(evidence.len(), 8);
    assert_eq!(evidence[0].file, "mila-1-okt.zip");
    assert_eq!(
        evidence[0].text(Language::Dutch),
        "daanv volgt, sinds 2025-09-01T12:00:00"
    );
    assert_eq!(evidence[1].file, "mila-2-okt.zip");
    assert_eq!(
        evidence[1].text(Language::Dutch),
        "daanv staat niet meer bij de volgers"
    );
    // The evidence: where each was still following.
    let jan = cluster
        .unfollows
        .iter()
        .find(|u| u.earlier.pupil == "Jan Bakker")
        .unwrap();
    assert_eq!(
        jan.earlier.entry,
        "connections/followers_and_following/followers_1.json"
    );
    assert_eq!(jan.earlier.position, 2);
    assert_eq!(jan.earlier.download, 0);
    assert_eq!(jan.later_download, 1);
    let nl = cluster.explanation(Language::Dutch);
    assert!(nl.starts_with("4 klasgenoten (Daan Visser, Fleur de Jong, Jan Bakker en Noah Smit) volgden Mila de Vries op Instagram niet meer"), "{nl}");
    assert!(nl.contains("binnen 48 uur"), "{nl}");
    assert!(nl.contains("Likes op de berichten"), "{nl}");
    assert!(
        cluster
            .explanation(Language::English)
            .contains("a screenshot is the evidence")
    );
}

#[test]
fn classmates_unfollowing_weeks_apart_make_no_cluster() {
    let d1 = zipped(&CLASS_FOLLOWERS, (2025, 9, 1, 18, 0));
    let d2 = zipped(
        &["sanne.jansen", "daanv", "fleurdj", "noah.smit", "liam.p"],
        (2025, 9, 15, 18, 0),
    );
    let d3 = zipped(
        &["sanne.jansen", "fleurdj", "noah.smit", "liam.p"],
        (2025, 9, 29, 18, 0),
    );
    let d4 = zipped(
        &["sanne.jansen", "noah.smit", "liam.p"],
        (2025, 10, 13, 18, 0),
    );
    // Handed in out of order: the zips' own times decide.
    let downloads = vec![
        ("c.zip".to_owned(), d3),
        ("a.zip".to_owned(), d1),
        ("d.zip".to_owned(), d4),
        ("b.zip".to_owned(), d2),
    ];
    let analyses = analyse(&handed_in(&downloads), &class());
    let mila = &analyses[0];
    assert_eq!(mila.order, OrderBasis::MadeAt);
    assert_eq!(mila.downloads, [1, 3, 0, 2]);
    let gone: Vec<&str> = mila
        .unfollows
        .iter()
        .map(|u| u.earlier.pupil.as_str())
        .collect();
    assert_eq!(gone, ["Jan Bakker", "Daan Visser", "Fleur de Jong"]);
    assert!(mila.clusters.is_empty(), "{:?}", mila.clusters);
    assert_eq!(MIN_UNFOLLOW_CLUSTER, 3);
}

#[test]
fn three_unfollows_between_downloads_weeks_apart_are_a_cluster_of_low_confidence() {
    let downloads = vec![
        (
            "a.zip".to_owned(),
            zipped(&CLASS_FOLLOWERS, (2025, 9, 1, 18, 0)),
        ),
        (
            "b.zip".to_owned(),
            zipped(
                &["sanne.jansen", "noah.smit", "liam.p"],
                (2025, 9, 29, 18, 0),
            ),
        ),
    ];
    let mila = &analyse(&handed_in(&downloads), &class())[0];
    assert_eq!(mila.clusters.len(), 1);
    let cluster = &mila.clusters[0];
    assert_eq!(
        cluster.actors,
        ["Daan Visser", "Fleur de Jong", "Jan Bakker"]
    );
    assert_eq!(cluster.confidence, ClusterConfidence::Low);
    assert!(cluster.confidence_reason(Language::Dutch).contains(
        "28 dagen uit elkaar; of zij tegelijk stopten of dagen na elkaar, is niet te zien"
    ));
}

#[test]
fn undated_downloads_are_compared_in_the_order_given_with_low_confidence() {
    let downloads = vec![
        ("eerst".to_owned(), unpacked(&CLASS_FOLLOWERS)),
        ("daarna".to_owned(), unpacked(&["liam.p"])),
    ];
    let mila = &analyse(&handed_in(&downloads), &class())[0];
    assert_eq!(mila.order, OrderBasis::GivenOrder);
    assert_eq!(mila.clusters.len(), 1);
    assert_eq!(mila.clusters[0].actors.len(), 5);
    assert_eq!(mila.clusters[0].confidence, ClusterConfidence::Low);
    assert!(mila.clusters[0].explanation(Language::Dutch).contains(
        "tussen download 1 en download 2 (de downloads zeggen niet wanneer ze gemaakt zijn)"
    ));
}

#[test]
fn unfollows_spread_over_downloads_within_48_hours_are_one_cluster() {
    let downloads = vec![
        (
            "a.zip".to_owned(),
            zipped(&CLASS_FOLLOWERS, (2025, 10, 1, 8, 0)),
        ),
        (
            "b.zip".to_owned(),
            zipped(
                &["sanne.jansen", "daanv", "fleurdj", "liam.p"],
                (2025, 10, 1, 20, 0),
            ),
        ),
        (
            "c.zip".to_owned(),
            zipped(&["sanne.jansen", "daanv", "liam.p"], (2025, 10, 2, 20, 0)),
        ),
    ];
    let mila = &analyse(&handed_in(&downloads), &class())[0];
    // 2 between a and b, 1 between b and c: no pair reaches three, the 36 hours do.
    assert_eq!(mila.unfollows.len(), 3);
    assert_eq!(mila.clusters.len(), 1);
    let cluster = &mila.clusters[0];
    assert_eq!(cluster.actors, ["Fleur de Jong", "Jan Bakker", "Noah Smit"]);
    assert_eq!((cluster.before, cluster.after), (0, 2));
    assert_eq!(cluster.span_hours(), Some(36));
    assert_eq!(cluster.confidence, ClusterConfidence::High);
}

#[test]
fn one_download_shows_classmates_who_follow_and_who_do_not_follow_back() {
    let mut entries = mila_download(&[
        "sanne.jansen",
        "jan.bakker",
        "fleurdj",
        "noah.smit",
        "voetbalclub.vv",
    ]);
    entries[1].1 = br#"{"relationships_following": [
        {"title": "sanne.jansen", "string_list_data": [{"href": "https://www.instagram.com/_u/sanne.jansen", "timestamp": 1756717300}]},
        {"title": "liam.p", "string_list_data": [{"href": "https://www.instagram.com/_u/liam.p", "timestamp": 1756733600}]},
        {"title": "bakkerij_dorp", "string_list_data": [{"href": "https://www.instagram.com/_u/bakkerij_dorp", "timestamp": 1756733600}]}]}"#
        .to_vec();
    let download = read_download(&mut MemoryEntries::new(entries)).unwrap();
    let downloads = vec![("mila.zip".to_owned(), download)];
    let mila = &analyse(&handed_in(&downloads), &class())[0];
    let following: Vec<&str> = mila
        .classmates_following
        .iter()
        .map(|c| c.pupil.as_str())
        .collect();
    assert_eq!(
        following,
        ["Sanne Jansen", "Jan Bakker", "Fleur de Jong", "Noah Smit"]
    );
    let not_back: Vec<&str> = mila
        .not_following_back
        .as_ref()
        .unwrap()
        .iter()
        .map(|c| c.pupil.as_str())
        .collect();
    assert_eq!(not_back, ["Liam Peters"]);
    assert!(mila.unfollows.is_empty());
    assert!(mila.clusters.is_empty());
}

#[test]
fn tiktok_accounts_match_through_the_tiktok_column_only() {
    let json = br#"{"Activity": {
        "Follower List": {"FansList": [{"Date": "2025-09-01 09:00:00", "UserName": "sannej"}, {"Date": "2025-09-03 18:30:00", "UserName": "jantje_b"}, {"Date": "2025-09-04 12:00:00", "UserName": "randomfan123"}]},
        "Following List": {"Following": [{"Date": "2025-09-01 09:05:00", "UserName": "sannej"}, {"Date": "2025-09-05 20:00:00", "UserName": "fleur.dj"}, {"Date": "2025-09-05 20:01:00", "UserName": "milaaa"}]}},
        "Profile": {"Profile Information": {"ProfileMap": {"userName": "milaaa"}}}}"#;
    let download = read_download(&mut MemoryEntries::new([(
        "user_data.json".to_owned(),
        json.to_vec(),
    )]))
    .unwrap();
    let downloads = vec![("tiktok.json".to_owned(), download)];
    let mila = &analyse(&handed_in(&downloads), &class())[0];
    assert_eq!(mila.subject.as_deref(), Some("Mila de Vries"));
    let following: Vec<&str> = mila
        .classmates_following
        .iter()
        .map(|c| c.pupil.as_str())
        .collect();
    assert_eq!(following, ["Sanne Jansen", "Jan Bakker"]);
    let not_back: Vec<&str> = mila
        .not_following_back
        .as_ref()
        .unwrap()
        .iter()
        .map(|c| c.pupil.as_str())
        .collect();
    assert_eq!(not_back, ["Fleur de Jong"]);
}

#[test]
fn downloads_handed_in_the_wrong_way_round_raise_a_doubt() {
    // Undated: compared in the order given, newest first by mistake. The "earlier" one
    // then holds a follow (nieuwe.fan) more recent than anything in the "later" one.
    let mut newest_first = mila_download(&["sanne.jansen", "liam.p"]);
    newest_first[0].1 = br#"[{"title": "", "string_list_data": [{"href": "", "value": "sanne.jansen", "timestamp": 1756713600}]},
        {"title": "", "string_list_data": [{"href": "", "value": "nieuwe.fan", "timestamp": 1759320000}]}]"#
        .to_vec();
    let downloads = vec![
        (
            "nieuw".to_owned(),
            read_download(&mut MemoryEntries::new(newest_first)).unwrap(),
        ),
        ("oud".to_owned(), unpacked(&CLASS_FOLLOWERS)),
    ];
    let mila = &analyse(&handed_in(&downloads), &class())[0];
    assert_eq!(mila.order, OrderBasis::GivenOrder);
    assert_eq!(mila.order_doubts, [(0, 1)]);
    // In the right order there is no doubt.
    let right: Vec<_> = downloads.into_iter().rev().collect();
    assert!(
        analyse(&handed_in(&right), &class())[0]
            .order_doubts
            .is_empty()
    );
}

#[test]
fn roster_accounts_may_be_profile_links_or_carry_an_at_sign() {
    let roster = Roster::from_csv(
        "name,aliases,accounts\nSanne Jansen,,instagram:https://www.instagram.com/Sanne.Jansen/|tiktok:@sannej\n",
    )
    .unwrap();
    let class = AccountList::from_roster(&roster);
    use erbij_detect::unfollow::ClassAccounts;
    use erbij_social::{AccountName, Platform};
    let sanne = Some("Sanne Jansen".to_owned());
    assert_eq!(
        class.pupil_for(
            Platform::Instagram,
            &AccountName::new("sanne.jansen").unwrap()
        ),
        sanne
    );
    assert_eq!(
        class.pupil_for(Platform::TikTok, &AccountName::new("SanneJ").unwrap()),
        sanne
    );
    assert_eq!(
        class.pupil_for(Platform::Instagram, &AccountName::new("sannej").unwrap()),
        None
    );
}

#[test]
fn without_a_follower_list_nobody_is_said_not_to_follow_back() {
    let following_only = vec![(
        "connections/followers_and_following/following.json".to_owned(),
        br#"{"relationships_following": [{"title": "sanne.jansen", "string_list_data": [{"href": "", "timestamp": 1756713600}]}]}"#.to_vec(),
    )];
    let downloads = vec![(
        "volgt.zip".to_owned(),
        read_download(&mut MemoryEntries::new(following_only)).unwrap(),
    )];
    let analysis = &analyse(&handed_in(&downloads), &class())[0];
    assert!(analysis.classmates_following.is_empty());
    assert_eq!(analysis.not_following_back, None);
}

#[test]
fn the_analyzer_reports_a_cluster_as_a_finding_with_download_evidence() {
    use erbij_detect::{Analyzer, FindingEvidence, FindingKind, FindingSource, Thresholds};
    let mut analyzer = Analyzer::new(
        Some(Roster::from_csv(ROSTER).unwrap()),
        Thresholds::default(),
    );
    analyzer.add_download(
        "mila-1-okt.zip".into(),
        zipped(&CLASS_FOLLOWERS, (2025, 10, 1, 18, 0)),
    );
    analyzer.add_download(
        "mila-2-okt.zip".into(),
        zipped(&["sanne.jansen", "liam.p"], (2025, 10, 2, 17, 0)),
    );
    let report = analyzer.finish();
    assert_eq!(report.findings.len(), 1);
    let finding = &report.findings[0];
    assert_eq!(finding.kind, FindingKind::UnfollowCluster);
    assert_eq!(finding.kind.as_str(), UnfollowCluster::KIND);
    assert_eq!(FindingKind::parse("unfollow_cluster"), Some(finding.kind));
    assert_eq!(finding.subject, "Mila de Vries");
    assert!(finding.subject_pupil.is_some());
    assert_eq!(finding.confidence, Confidence::High);
    assert_eq!(finding.chat(), None);
    assert!(matches!(
        finding.source,
        FindingSource::Downloads {
            before: 0,
            after: 1,
            ..
        }
    ));
    assert_eq!(finding.at.unwrap().to_string(), "2025-10-02T19:00:00");
    let FindingEvidence::Download(first) = &finding.evidence[0] else {
        panic!("{:?}", finding.evidence[0]);
    };
    assert_eq!(first.file, "mila-1-okt.zip");
    assert_eq!(first.position, Some(3));
    assert_eq!(
        finding.evidence[0].text(Language::English),
        "daanv follows, since 2025-09-01T12:00:00"
    );
    assert!(finding.explanation_nl.contains("screenshot"));
    assert_eq!(report.social_accounts.len(), 1);
    assert_eq!(report.roster_accounts, 13);
}

/// Only `followers_1.json`, as a pupil may hand in: the download does not say whose it is.
fn followers_only(followers: &[&str], made: (u16, u8, u8, u8, u8)) -> Download {
    let made = Moment::from_utc_fields(made.0, made.1, made.2, made.3, made.4, 0);
    let entries: Vec<(String, Vec<u8>)> = mila_download(followers).into_iter().take(1).collect();
    let mut source = MemoryEntries::new(entries).with_made_at(made);
    let download = read_download(&mut source).unwrap();
    assert_eq!(download.owner, None);
    download
}

#[test]
fn a_download_without_a_profile_is_the_pupil_the_caller_names() {
    use erbij_detect::{Analyzer, Thresholds};
    let run = |owner: Option<&str>| {
        let mut analyzer = Analyzer::new(
            Some(Roster::from_csv(ROSTER).unwrap()),
            Thresholds::default(),
        );
        analyzer.add_download_of(
            "followers-1-okt.json".into(),
            followers_only(&CLASS_FOLLOWERS, (2025, 10, 1, 18, 0)),
            owner,
        );
        analyzer.add_download_of(
            "followers-2-okt.json".into(),
            followers_only(&["sanne.jansen", "liam.p"], (2025, 10, 2, 17, 0)),
            owner,
        );
        analyzer.finish()
    };
    // Unnamed: "de leerling".
    let report = run(None);
    assert_eq!(report.findings.len(), 1);
    assert_eq!(
        report.findings[0].subject,
        erbij_detect::unfollow::UNNAMED_ACCOUNT_OWNER
    );
    // Named by the teacher ("Mila", matched to the class list).
    let report = run(Some("Mila"));
    assert_eq!(report.findings.len(), 1);
    assert_eq!(report.findings[0].subject, "Mila de Vries");
    assert!(report.findings[0].subject_pupil.is_some());
    assert_eq!(report.social_accounts.len(), 1);
    assert_eq!(
        report.social_accounts[0].subject.as_deref(),
        Some("Mila de Vries")
    );
    // Mila herself is not her own classmate.
    assert!(
        report.social_accounts[0]
            .classmates_following
            .iter()
            .all(|c| c.pupil != "Mila de Vries")
    );
}
