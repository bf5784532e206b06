//! SSrat's own output for its examples 1 and 5, reproduced pupil for pupil: statuses at
//! alpha .10, .05 and .01 for SSrat's criteria and for Newcomb & Bukowski's, and the four
//! totals SSrat prints (tr.S, tr.A, tr.P, tr.I) and its number of assessors.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;

use erbij_sociometry::{Criteria, Options, Scale, Status, Survey, analyse, read_survey};

struct Expected {
    respondent: String,
    assessors: usize,
    totals: [u32; 4],
    statuses: [Status; 3],
    newcomb_bukowski: bool,
}

fn status(name: &str) -> Status {
    match name {
        "Popular" => Status::Popular,
        "Rejected" => Status::Rejected,
        "Neglected" => Status::Neglected,
        "Controversial" => Status::Controversial,
        "Average" => Status::Average,
        other => panic!("unknown SSrat status {other}"),
    }
}

fn read_expected(path: &Path) -> Vec<Expected> {
    let text = std::fs::read_to_string(path).unwrap();
    let mut lines = text.lines();
    let header: Vec<String> = lines
        .next()
        .unwrap()
        .split(',')
        .map(|h| h.trim_matches('"').to_string())
        .collect();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    lines
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            let f: Vec<&str> = line.split(',').map(|v| v.trim_matches('"')).collect();
            let num = |name: &str| f[col(name)].parse::<u32>().unwrap();
            Expected {
                respondent: f[col("respid")].to_string(),
                assessors: num("nrAss") as usize,
                totals: [num("tr.S"), num("tr.A"), num("tr.P"), num("tr.I")],
                statuses: [
                    status(f[col("SS.10")]),
                    status(f[col("SS.05")]),
                    status(f[col("SS.01")]),
                ],
                newcomb_bukowski: f[col("nb")] == "TRUE",
            }
        })
        .collect()
}

fn check_example(name: &str, scale: Scale) {
    let Some(fixtures) = erbij_testkit::shared_fixtures() else {
        return;
    };
    let dir = fixtures.join("sociometry/ssrat");
    let survey = read_survey(
        &std::fs::read_to_string(dir.join(format!("{name}.ratings.csv"))).unwrap(),
        scale,
    )
    .unwrap();
    let Survey::Ratings(groups) = &survey else {
        panic!("ratings expected")
    };
    assert_eq!(groups.len(), 1);
    let expected = read_expected(&dir.join(format!("{name}.expected.csv")));
    assert_eq!(
        expected.len(),
        2 * groups[0].pupils.len(),
        "SSrat and NB rows for every pupil"
    );
    let mut compared = 0;
    for (criteria, nb) in [(Criteria::Ssrat, false), (Criteria::NewcombBukowski, true)] {
        for (a, alpha) in [0.10, 0.05, 0.01].into_iter().enumerate() {
            let options = Options {
                criteria,
                alpha,
                ..Options::default()
            };
            let analysis = &analyse(&survey, &options)[0];
            for want in expected.iter().filter(|e| e.newcomb_bukowski == nb) {
                let pupil = analysis
                    .pupils
                    .iter()
                    .find(|p| p.id == want.respondent)
                    .unwrap();
                assert_eq!(
                    pupil.status,
                    Some(want.statuses[a]),
                    "{name}, {criteria:?}, alpha {alpha}, pupil {}",
                    want.respondent
                );
                let received = pupil.received.as_ref().unwrap();
                let preference = received.preference.as_ref().unwrap();
                assert_eq!(
                    [
                        received.sympathy.observed,
                        received.antipathy.observed,
                        preference.observed,
                        received.impact.observed
                    ],
                    want.totals,
                    "{name}, {criteria:?}, pupil {}: tr.S, tr.A, tr.P, tr.I",
                    want.respondent
                );
                assert_eq!(received.sympathy.assessors, want.assessors);
                compared += 1;
            }
        }
    }
    assert_eq!(compared, 3 * expected.len());
}

#[test]
fn example1_seven_point_scale_matches_ssrat_for_both_criteria_at_three_alphas() {
    check_example("example1", Scale::Seven);
}

#[test]
fn example5_three_point_scale_matches_ssrat_for_both_criteria_at_three_alphas() {
    check_example("example5", Scale::Three);
}

#[test]
fn every_class_of_the_longitudinal_data_is_read_and_classified() {
    let Some(fixtures) = erbij_testkit::shared_fixtures() else {
        return;
    };
    for year in ["Ss96", "Ss97", "Ss98"] {
        let path = fixtures.join(format!("sociometry/ssrat/{year}.ratings.csv"));
        let survey = read_survey(&std::fs::read_to_string(path).unwrap(), Scale::Seven).unwrap();
        let analyses = analyse(&survey, &Options::default());
        assert_eq!(analyses.len(), 8, "{year}: eight classes");
        for group in &analyses {
            assert!(group.pupils.len() >= 17, "{year} {}", group.id);
            for pupil in &group.pupils {
                let received = pupil.received.as_ref().unwrap();
                let tails = received.preference.as_ref().unwrap().tails.unwrap();
                assert!(tails.lower > 0.0 && tails.lower <= 1.0);
                assert!(tails.upper > 0.0 && tails.upper <= 1.0);
                // SSrat's criteria compare sympathy only with its expectation.
                assert!(received.sympathy.tails.is_none());
            }
        }
    }
}
