//! The detectors on the generated evaluation set: every kind at precision >= 0.95 and
//! recall >= 0.90, nothing at all on the control chats, and the look-alikes quiet.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use erbij_eval::{Plant, evaluate, generate};

#[test]
fn every_kind_meets_its_precision_and_recall_on_320_generated_cases() {
    let evaluation = evaluate(2025, 320);
    assert!(evaluation.cases >= 200 && evaluation.chats >= 200);
    for (kind, tally) in &evaluation.per_kind {
        assert!(tally.true_positives + tally.false_negatives >= 20, "{kind}: too few planted");
        assert!(tally.precision() >= 0.95, "{kind}: precision {:.3}\n{}", tally.precision(), evaluation.table());
        assert!(tally.recall() >= 0.90, "{kind}: recall {:.3}\n{}", tally.recall(), evaluation.table());
    }
    assert!(evaluation.control_cases >= 20);
    assert_eq!(evaluation.findings_on_controls, 0, "{:?}", evaluation.mistakes);
    assert!(evaluation.look_alike_failures.is_empty(), "{:?}", evaluation.look_alike_failures);
}

#[test]
fn the_set_covers_both_languages_every_plant_and_varied_sizes() {
    let cases: Vec<_> = (0..320).map(|i| generate(2025, i)).collect();
    for plant in Plant::ALL {
        assert!(cases.iter().filter(|c| c.plant == plant).count() >= 20, "{plant:?}");
    }
    assert!(cases.iter().any(|c| c.exports[0].text.contains("\u{202F}PM - ")), "English");
    assert!(cases.iter().any(|c| c.exports[0].text.contains(" heeft ")), "Dutch");
    assert!(cases.iter().any(|c| c.exports[0].text.starts_with('[')), "iPhone");
    let sizes: Vec<usize> = cases.iter().map(|c| c.class_size).collect();
    assert!(sizes.iter().min() <= Some(&9) && sizes.iter().max() >= Some(&25));
    // The same seed gives the same chats.
    assert_eq!(generate(2025, 17).exports[0].text, cases[17].exports[0].text);
}

#[test]
fn look_alikes_are_reported_as_what_they_are() {
    // A pupil who left is in the timeline as "left", never removed.
    let case = (0..64).map(|i| generate(2025, i)).find(|c| c.plant == Plant::LeftOnOwn).unwrap();
    let report = erbij_eval::analyze_case(&case).unwrap();
    assert!(report.findings.is_empty());
    assert!(report.groups[0].members.iter().any(|m| m.facts.iter().any(|f| f.how.as_str() == "left")));
    // A removal undone within minutes: removed, low confidence, never added_and_removed.
    let case = (0..64).map(|i| generate(2025, i)).find(|c| c.plant == Plant::RemovalUndone).unwrap();
    let report = erbij_eval::analyze_case(&case).unwrap();
    let kinds: Vec<&str> = report.findings.iter().map(|f| f.kind.as_str()).collect();
    assert_eq!(kinds, ["removed"]);
    assert_eq!(report.findings[0].confidence, erbij_detect::Confidence::Low);
}
