//! Every finding kind, and the look-alikes that must stay quiet, on hand-written Dutch and
//! English exports read by the real reader.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use erbij_detect::{Analyzer, Confidence, Finding, FindingKind, Report, Roster, Thresholds};

/// An export as WhatsApp writes it, one line per string.
macro_rules! chat {
    ($($line:expr),* $(,)?) => {{
        let lines: Vec<String> = vec![$($line.to_string()),*];
        lines.join("\n") + "\n"
    }};
}

fn roster(names: &[&str]) -> Roster {
    let csv = std::iter::once("name,aliases".to_string())
        .chain(names.iter().map(|n| format!("{n},")))
        .collect::<Vec<_>>()
        .join("\n");
    Roster::from_csv(&csv).unwrap()
}

fn class() -> Roster {
    roster(&[
        "Mila de Vries",
        "Sanne Jansen",
        "Jan Bakker",
        "Daan Visser",
        "Fleur de Jong",
        "Noah Smit",
        "Liam Peters",
    ])
}

fn analyze(exports: &[(&str, Option<&str>)], roster: Roster) -> Report {
    let mut analyzer = Analyzer::new(Some(roster), Thresholds::default());
    for (text, exporter) in exports {
        let chat = erbij_chat::read(text.as_bytes()).unwrap();
        analyzer.add_events(&chat.events, *exporter);
    }
    analyzer.finish()
}

fn kinds(report: &Report) -> Vec<&'static str> {
    report.findings.iter().map(|f| f.kind.as_str()).collect()
}

fn only(report: &Report, kind: FindingKind) -> Vec<&Finding> {
    report.findings.iter().filter(|f| f.kind == kind).collect()
}

fn lines(finding: &Finding) -> Vec<u32> {
    finding
        .evidence
        .iter()
        .map(|e| e.as_line().expect("chat findings quote chat lines").line)
        .collect()
}

/// The class group of 2B, as Liam's phone exported it.
fn class_group_start() -> Vec<String> {
    vec![
        "01-09-2025 19:02 - Sanne heeft de groep Klas 2B gemaakt".into(),
        "01-09-2025 19:02 - Sanne heeft Jan, Mila, Daan, Fleur, Noah en u toegevoegd".into(),
        "01-09-2025 19:03 - Sanne: Hoi allemaal!".into(),
        "01-09-2025 19:04 - Jan: Yesss".into(),
        "01-09-2025 19:05 - Mila: Leuk! Weet iemand wanneer de toets is?".into(),
    ]
}

fn with(mut start: Vec<String>, more: &[&str]) -> String {
    start.extend(more.iter().map(|s| s.to_string()));
    start.join("\n") + "\n"
}

#[test]
fn a_pupil_removed_from_the_class_group_is_found_with_the_system_line() {
    let text = with(
        class_group_start(),
        &[
            "04-09-2025 21:03 - Jan: Mila is echt zo irritant",
            "04-09-2025 21:03 - Jan heeft Mila verwijderd",
            "04-09-2025 21:05 - Sanne: ok",
        ],
    );
    let report = analyze(&[(&text, Some("Liam"))], class());
    assert_eq!(kinds(&report), ["removed"]);
    let f = &report.findings[0];
    assert_eq!(f.subject, "Mila de Vries");
    assert_eq!(f.actors, ["Jan Bakker"]);
    assert_eq!(f.confidence, Confidence::High);
    assert_eq!(lines(f), [7]);
    assert!(
        f.evidence[0]
            .as_line()
            .unwrap()
            .text
            .contains("Jan heeft Mila verwijderd")
    );
    assert!(f.explanation_nl.contains("Jan Bakker heeft Mila de Vries op 04-09-2025 om 21:03 uit de groep ‘Klas 2B’ verwijderd"), "{}", f.explanation_nl);
    assert!(f.explanation_en.contains("removed Mila de Vries"));
}

#[test]
fn leaving_on_ones_own_is_not_a_removal() {
    let text = with(
        class_group_start(),
        &[
            "05-09-2025 08:20 - Noah heeft de groep verlaten",
            "05-09-2025 08:21 - Sanne: jammer",
        ],
    );
    let report = analyze(&[(&text, Some("Liam"))], class());
    assert!(report.findings.is_empty(), "{:?}", kinds(&report));
    let noah = report.groups[0]
        .members
        .iter()
        .find(|m| m.person == "Noah Smit")
        .unwrap();
    assert_eq!(noah.facts.last().unwrap().how.as_str(), "left");
}

#[test]
fn a_removal_undone_within_minutes_is_a_low_confidence_removal_only() {
    let text = with(
        class_group_start(),
        &[
            "04-09-2025 21:03 - Jan heeft Mila verwijderd",
            "04-09-2025 21:05 - Jan heeft Mila toegevoegd",
            "04-09-2025 21:05 - Jan: sorry verkeerde knop",
        ],
    );
    let report = analyze(&[(&text, Some("Liam"))], class());
    assert_eq!(kinds(&report), ["removed"]);
    assert_eq!(report.findings[0].confidence, Confidence::Low);
    assert_eq!(lines(&report.findings[0]), [6, 7]);
}

#[test]
fn a_pupil_added_and_removed_within_minutes_is_found_once() {
    let text = chat! {
        "19-09-2025 19:35 - Sanne heeft Mila toegevoegd",
        "19-09-2025 19:35 - Jan: 😂😂",
        "19-09-2025 19:36 - Sanne heeft Mila verwijderd",
    };
    let report = analyze(&[(&text, None)], class());
    assert_eq!(kinds(&report), ["added_and_removed"]);
    assert_eq!(lines(&report.findings[0]), [1, 3]);
    assert_eq!(report.findings[0].actors, ["Sanne Jansen"]);
}

#[test]
fn an_english_group_named_against_a_pupil_is_targeted() {
    let text = chat! {
        "9/12/25, 7:34 PM - Jan created group \"Party without Mila\"",
        "9/12/25, 7:34 PM - Jan added Sanne, Daan and Fleur",
        "9/12/25, 7:35 PM - Daan: lol",
    };
    let report = analyze(&[(&text, None)], class());
    let found = only(&report, FindingKind::TargetedGroupName);
    assert_eq!(found.len(), 1, "{:?}", kinds(&report));
    assert_eq!(found[0].subject, "Mila de Vries");
    assert_eq!(lines(found[0]), [1]);
}

#[test]
fn a_friendly_group_name_with_a_member_in_it_is_not_targeted() {
    let text = chat! {
        "12-09-2025 19:34 - Mila heeft de groep Zonder Mila geen feest gemaakt",
        "12-09-2025 19:34 - Mila heeft Sanne, Jan, Daan, Fleur, Noah en Liam toegevoegd",
        "12-09-2025 19:35 - Sanne: haha top",
    };
    let report = analyze(&[(&text, None)], class());
    assert!(report.findings.is_empty(), "{:?}", kinds(&report));
}

#[test]
fn the_shipped_feestje_example_shows_its_three_patterns() {
    let class_text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/klas-2b.txt"
    ))
    .unwrap();
    let feestje = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/feestje-zonder-mila.txt"
    ))
    .unwrap();
    let report = analyze(&[(&class_text, None), (&feestje, None)], class());
    let found: Vec<(&str, &str)> = report
        .findings
        .iter()
        .map(|f| (f.kind.as_str(), f.subject.as_str()))
        .collect();
    for expected in [
        ("added_and_removed", "Mila de Vries"),
        ("removed", "Mila de Vries"),
        ("targeted_group_name", "Mila de Vries"),
        ("shadow_group", "Mila de Vries"),
        ("absent_gossip", "Mila de Vries"),
    ] {
        assert!(
            found.contains(&expected),
            "{expected:?} missing in {found:?}"
        );
    }
    assert!(
        !found
            .iter()
            .any(|(k, s)| *k == "removed" && *s == "Noah Smit"),
        "Noah left on his own"
    );
}

fn other_group(name: &str, members: &str) -> String {
    chat! {
        format!("15-09-2025 16:00 - Sanne heeft de groep {name} gemaakt"),
        format!("15-09-2025 16:00 - Sanne heeft {members} toegevoegd"),
        "15-09-2025 16:01 - Jan: top",
    }
}

#[test]
fn a_group_with_the_class_but_one_is_a_shadow_group() {
    let class_text = with(class_group_start(), &[]);
    let shadow = other_group("Verjaardag", "Jan, Daan, Fleur, Noah en u");
    let report = analyze(
        &[(&class_text, Some("Liam")), (&shadow, Some("Liam"))],
        class(),
    );
    assert_eq!(kinds(&report), ["shadow_group"]);
    let f = &report.findings[0];
    assert_eq!(f.subject, "Mila de Vries");
    assert_eq!(f.confidence, Confidence::High);
    assert!(f.explanation_nl.contains("op één of twee na"));
}

#[test]
fn a_sports_team_with_part_of_the_class_is_not_a_shadow_group() {
    let class_text = with(class_group_start(), &[]);
    let team = other_group("Voetbal JO14", "Jan, Daan en u");
    let report = analyze(
        &[(&class_text, Some("Liam")), (&team, Some("Liam"))],
        class(),
    );
    assert!(report.findings.is_empty(), "{:?}", kinds(&report));
}

/// A class chat over three weeks in which Mila's messages get no answer and the others'
/// messages do; `answer_mila` turns her into an ordinary member.
fn ignored_chat(mila_turns: usize, answer_mila: bool) -> String {
    let mut lines = class_group_start();
    let others = ["Sanne", "Jan", "Daan", "Fleur", "Noah"];
    for i in 0..40usize {
        let day = 2 + i / 2;
        let hour = 10 + (i % 2) * 5;
        let a = others[i % 5];
        let b = others[(i + 2) % 5];
        lines.push(format!(
            "{day:02}-09-2025 {hour:02}:00 - {a}: Wie heeft het huiswerk van vandaag?"
        ));
        lines.push(format!("{day:02}-09-2025 {hour:02}:02 - {b}: Ik, sturen?"));
        lines.push(format!("{day:02}-09-2025 {hour:02}:03 - {a}: Graag"));
        if i < mila_turns {
            lines.push(format!(
                "{day:02}-09-2025 {hour:02}:40 - Mila: Gaan jullie morgen ook naar de bieb?"
            ));
            if answer_mila {
                lines.push(format!("{day:02}-09-2025 {hour:02}:42 - {b}: Ja leuk"));
            }
        }
    }
    lines.join("\n") + "\n"
}

#[test]
fn a_member_nobody_answers_is_ignored_with_both_rates_in_the_explanation() {
    let report = analyze(&[(&ignored_chat(24, false), Some("Liam"))], class());
    assert_eq!(kinds(&report), ["ignored"]);
    let f = &report.findings[0];
    assert_eq!(f.subject, "Mila de Vries");
    match &f.statistics {
        Some(erbij_detect::Statistics::Ignored {
            turns,
            taken_up,
            others_rate,
            p_holm,
            ..
        }) => {
            // 24 in the loop plus her first message on day one, which nobody answered either.
            assert_eq!((*turns, *taken_up), (25, 0));
            assert!(*others_rate > 0.6, "{others_rate}");
            assert!(*p_holm < 0.01);
        }
        other => panic!("{other:?}"),
    }
    assert!(
        f.explanation_nl.contains("op 0 van de 25 berichten (0%)"),
        "{}",
        f.explanation_nl
    );
    assert_eq!(f.evidence.len(), 3);
}

#[test]
fn a_quiet_member_or_an_answered_one_is_not_ignored() {
    let report = analyze(&[(&ignored_chat(8, false), Some("Liam"))], class());
    assert!(report.findings.is_empty(), "quiet: {:?}", kinds(&report));
    let report = analyze(&[(&ignored_chat(24, true), Some("Liam"))], class());
    assert!(report.findings.is_empty(), "answered: {:?}", kinds(&report));
}

#[test]
fn gossip_about_a_removed_pupil_by_several_classmates_is_a_pattern() {
    let text = with(
        class_group_start(),
        &[
            "04-09-2025 21:03 - Jan heeft Mila verwijderd",
            "05-09-2025 08:12 - Jan: Mila is zo stom, niemand wil haar erbij",
            "05-09-2025 08:13 - Daan: Mila eruit 🤡",
            "05-09-2025 08:15 - Sanne: Ga weg met Mila haha",
            "05-09-2025 08:20 - Fleur: Waarom is Mila weg?",
        ],
    );
    let report = analyze(&[(&text, Some("Liam"))], class());
    let gossip = only(&report, FindingKind::AbsentGossip);
    assert_eq!(gossip.len(), 1, "{:?}", kinds(&report));
    assert_eq!(lines(gossip[0]), [7, 8, 9]);
    assert_eq!(
        gossip[0].actors,
        ["Jan Bakker", "Daan Visser", "Sanne Jansen"]
    );
    assert_eq!(gossip[0].confidence, Confidence::High);
}

#[test]
fn one_persons_remarks_or_kind_words_about_an_absent_pupil_are_not_gossip() {
    let text = with(
        class_group_start(),
        &[
            "04-09-2025 21:03 - Mila heeft de groep verlaten",
            "05-09-2025 08:12 - Jan: Mila is zo stom",
            "05-09-2025 08:13 - Jan: Mila eruit",
            "05-09-2025 08:14 - Jan: echt irritant die Mila",
            "05-09-2025 09:00 - Fleur: Ik mis Mila wel, ze is echt aardig",
            "05-09-2025 09:01 - Sanne: Wanneer komt Mila terug?",
            "05-09-2025 09:02 - Daan: Mila is niet irritant hoor",
        ],
    );
    let report = analyze(&[(&text, Some("Liam"))], class());
    assert!(report.findings.is_empty(), "{:?}", kinds(&report));
}

#[test]
fn english_gossip_after_a_removal() {
    let text = chat! {
        "9/1/25, 7:02 PM - Sanne created group \"Class 2B\"",
        "9/1/25, 7:02 PM - Sanne added Jan, Mila, Daan, Fleur and Noah",
        "9/4/25, 9:03 PM - Jan removed Mila",
        "9/5/25, 8:12 AM - Jan: nobody likes Mila anyway",
        "9/5/25, 8:13 AM - Daan: Mila is such a loser",
        "9/6/25, 8:15 AM - Sanne: Mila is so annoying",
    };
    let report = analyze(&[(&text, Some("Liam"))], class());
    assert_eq!(kinds(&report), ["removed", "absent_gossip"]);
}

#[test]
fn two_exports_of_one_group_merge_without_double_counting() {
    // Liam's phone and Sanne's phone; Sanne's contact names differ ("Jan B", "Mil").
    let liam = with(
        class_group_start(),
        &[
            "03-09-2025 17:00 - Daan: Wie gaat er mee naar het feest?",
            "03-09-2025 17:01 - Fleur: Ik!",
            "03-09-2025 17:02 - Jan: Zaterdag om acht",
            "04-09-2025 21:03 - Jan heeft Mila verwijderd",
        ],
    );
    let sanne = chat! {
        "01-09-2025 19:02 - U hebt de groep Klas 2B gemaakt",
        "01-09-2025 19:02 - U hebt Jan B, Mil, Daan, Fleur, Noah en Liam toegevoegd",
        "01-09-2025 19:03 - U: Hoi allemaal!",
        "01-09-2025 19:04 - Jan B: Yesss",
        "01-09-2025 19:05 - Mil: Leuk! Weet iemand wanneer de toets is?",
        "03-09-2025 17:00 - Daan: Wie gaat er mee naar het feest?",
        "03-09-2025 17:01 - Fleur: Ik!",
        "03-09-2025 17:02 - Jan B: Zaterdag om acht",
        "04-09-2025 21:03 - Jan B heeft Mil verwijderd",
    };
    let report = analyze(
        &[(&liam, Some("Liam")), (&sanne, None)],
        roster(&[
            "Mila de Vries,Mil",
            "Sanne Jansen",
            "Jan Bakker",
            "Daan Visser",
            "Fleur de Jong",
            "Noah Smit",
            "Liam Peters",
        ]),
    );
    assert_eq!(report.groups.len(), 1, "one group, two exports");
    assert_eq!(report.groups[0].chats.len(), 2);
    assert_eq!(kinds(&report), ["removed"]);
    let mila = report.groups[0]
        .members
        .iter()
        .find(|m| m.person == "Mila de Vries")
        .unwrap();
    let removal = mila
        .facts
        .iter()
        .find(|f| f.how.as_str() == "removed")
        .unwrap();
    assert_eq!(removal.seen_in_exports, 2);
}

#[test]
fn exports_of_different_groups_stay_apart() {
    let class_text = with(class_group_start(), &[]);
    let team = other_group("Voetbal", "Jan, Daan en u");
    let report = analyze(
        &[(&class_text, Some("Liam")), (&team, Some("Liam"))],
        class(),
    );
    assert_eq!(report.groups.len(), 2);
}

#[test]
fn explanations_are_free_of_statistics_jargon_and_name_the_group() {
    let report = analyze(&[(&ignored_chat(24, false), Some("Liam"))], class());
    let f = &report.findings[0];
    assert!(f.explanation_nl.contains("Klas 2B"));
    assert!(!f.explanation_nl.contains("Holm") && !f.explanation_nl.contains("binomia"));
}

#[test]
fn english_added_and_removed_and_an_undone_removal() {
    let text = chat! {
        "9/1/25, 7:02 PM - Sanne created group \"Class 2B\"",
        "9/1/25, 7:02 PM - Sanne added Jan, Mila, Daan, Fleur and Noah",
        "9/19/25, 7:35 PM - Jan removed Mila",
        "9/19/25, 7:36 PM - Jan added Mila",
        "9/19/25, 7:36 PM - Jan: sorry wrong button",
        "9/20/25, 7:35 PM - Sanne added Liam",
        "9/20/25, 7:35 PM - Daan: 😂😂",
        "9/20/25, 7:37 PM - Sanne removed Liam",
    };
    let report = analyze(&[(&text, None)], class());
    let found: Vec<(&str, &str, Confidence)> = report
        .findings
        .iter()
        .map(|f| (f.kind.as_str(), f.subject.as_str(), f.confidence))
        .collect();
    assert_eq!(
        found,
        [
            ("added_and_removed", "Liam Peters", Confidence::High),
            ("removed", "Mila de Vries", Confidence::Low)
        ]
    );
}

#[test]
fn an_english_shadow_group_and_an_english_sports_team() {
    let class_text = chat! {
        "9/1/25, 7:02 PM - Sanne created group \"Class 2B\"",
        "9/1/25, 7:02 PM - Sanne added Jan, Mila, Daan, Fleur, Noah and you",
        "9/1/25, 7:03 PM - Sanne: Hi all!",
    };
    let party = chat! {
        "9/15/25, 4:00 PM - Jan created group \"Saturday\"",
        "9/15/25, 4:00 PM - Jan added Sanne, Daan, Fleur, Noah and you",
        "9/15/25, 4:01 PM - Sanne: nice",
    };
    let team = chat! {
        "9/15/25, 4:00 PM - Jan created group \"Football U14\"",
        "9/15/25, 4:00 PM - Jan added Daan and you",
        "9/15/25, 4:01 PM - Daan: training at 5",
    };
    let report = analyze(
        &[
            (&class_text, Some("Liam")),
            (&party, Some("Liam")),
            (&team, Some("Liam")),
        ],
        class(),
    );
    assert_eq!(kinds(&report), ["shadow_group"]);
    assert_eq!(report.findings[0].subject, "Mila de Vries");
    assert_eq!(report.groups.len(), 3);
}

#[test]
fn an_english_member_nobody_answers_is_ignored() {
    let mut lines = vec![
        "9/1/25, 9:00 AM - Sanne created group \"Class 2B\"".to_string(),
        "9/1/25, 9:00 AM - Sanne added Jan, Mila, Daan, Fleur and Noah".to_string(),
    ];
    let others = ["Sanne", "Jan", "Daan", "Fleur", "Noah"];
    for i in 0..40usize {
        let day = 2 + i / 2;
        let hour = if i % 2 == 0 { 3 } else { 9 };
        let (a, b) = (others[i % 5], others[(i + 2) % 5]);
        lines.push(format!(
            "9/{day}/25, {hour}:00 PM - {a}: Who has today's homework?"
        ));
        lines.push(format!(
            "9/{day}/25, {hour}:02 PM - {b}: Me, shall I send it?"
        ));
        lines.push(format!("9/{day}/25, {hour}:03 PM - {a}: Please"));
        if i < 20 {
            lines.push(format!(
                "9/{day}/25, {hour}:40 PM - Mila: Is anyone going to the library tomorrow?"
            ));
        }
    }
    let text = lines.join("\n") + "\n";
    let report = analyze(&[(&text, Some("Liam"))], class());
    assert_eq!(kinds(&report), ["ignored"]);
    assert!(
        report.findings[0]
            .explanation_en
            .contains("on 0 of 20 messages (0%)"),
        "{}",
        report.findings[0].explanation_en
    );
}
