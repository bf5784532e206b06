//! Coie & Dodge standard scores: the standard-deviation convention is a parameter, and it
//! matters. Both conventions are tested on data where they disagree.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use erbij_sociometry::status::coie_dodge;
use erbij_sociometry::{
    Criteria, NominationGroup, Options, Question, Scale, SdConvention, Status, analyse,
    analyse_nominations, read_survey,
};

/// Six pupils whose received counts are LM = [1,4,4,1,2,4] and LL = [3,4,0,4,0,3].
fn six_pupils() -> NominationGroup {
    let liked_most = [1, 4, 4, 1, 2, 4];
    let liked_least = [3, 4, 0, 4, 0, 3];
    let mut group = NominationGroup::new("6C", (1..=6).map(|i| i.to_string()).collect());
    group.ask(Question::Positive);
    group.ask(Question::Negative);
    for i in 0..6 {
        group.mark_took_part(i);
    }
    for target in 0..6 {
        let others: Vec<usize> = (0..6).filter(|&i| i != target).collect();
        for &from in others.iter().take(liked_most[target]) {
            group.nominate(Question::Positive, from, target);
        }
        for &from in others.iter().rev().take(liked_least[target]) {
            group.nominate(Question::Negative, from, target);
        }
    }
    group
}

fn statuses(group: &NominationGroup, sd: SdConvention) -> Vec<Status> {
    let options = Options {
        criteria: Criteria::CoieDodge,
        sd,
        ..Options::default()
    };
    analyse_nominations(group, &options)
        .pupils
        .iter()
        .map(|p| p.status.unwrap())
        .collect()
}

#[test]
fn population_and_sample_sd_give_different_statuses_on_the_same_class() {
    let group = six_pupils();
    use Status::*;
    // Pupil 1: SP = -1.051 with population SD (rejected), -0.959 with sample SD (unclassified).
    // Pupil 6: SI = 1.055 (controversial) against 0.963 (SP 0.345: average).
    assert_eq!(
        statuses(&group, SdConvention::Population),
        vec![
            Rejected,
            Controversial,
            Popular,
            Rejected,
            Neglected,
            Controversial
        ]
    );
    assert_eq!(
        statuses(&group, SdConvention::Sample),
        vec![
            Unclassified,
            Controversial,
            Popular,
            Rejected,
            Neglected,
            Average
        ]
    );
}

#[test]
fn standard_scores_are_exact_for_a_hand_computed_case() {
    // LM = [0, 2, 4]: mean 2, population SD sqrt(8/3), sample SD 2.
    let population = coie_dodge(&[0, 2, 4], &[1, 1, 1], SdConvention::Population);
    let sample = coie_dodge(&[0, 2, 4], &[1, 1, 1], SdConvention::Sample);
    assert!((population[2].1.z_liked_most - 2.0 / (8.0f64 / 3.0).sqrt()).abs() < 1e-12);
    assert!((sample[2].1.z_liked_most - 1.0).abs() < 1e-12);
    // Nobody differs in LL: its z-scores are 0, never NaN.
    assert!(population.iter().all(|(_, s)| s.z_liked_least == 0.0));
}

#[test]
fn ssrat_example5_pupils_2_and_4_are_popular_only_with_population_sd() {
    let Some(fixtures) = erbij_testkit::shared_fixtures() else {
        return;
    };
    let text =
        std::fs::read_to_string(fixtures.join("sociometry/ssrat/example5.ratings.csv")).unwrap();
    let survey = read_survey(&text, Scale::Three).unwrap();
    let run = |sd| {
        let options = Options {
            criteria: Criteria::CoieDodge,
            sd,
            ..Options::default()
        };
        analyse(&survey, &options).remove(0)
    };
    let population = run(SdConvention::Population);
    let sample = run(SdConvention::Sample);
    for pupil in [1, 3] {
        assert_eq!(population.pupils[pupil].status, Some(Status::Popular));
        assert_eq!(sample.pupils[pupil].status, Some(Status::Unclassified));
        let sp_population = population.pupils[pupil].standard.unwrap().preference;
        let sp_sample = sample.pupils[pupil].standard.unwrap().preference;
        assert!((sp_population - 1.024).abs() < 5e-4, "{sp_population}");
        assert!((sp_sample - 0.971).abs() < 5e-4, "{sp_sample}");
    }
    // Everyone else gets the same status either way.
    for pupil in [0, 2, 4, 5, 6, 7, 8, 9] {
        assert_eq!(
            population.pupils[pupil].status,
            sample.pupils[pupil].status,
            "pupil {}",
            pupil + 1
        );
    }
}
