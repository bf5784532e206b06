//! Ties per class: counts per question, mutual choices, reciprocity, density, subgroups.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use erbij_sociometry::{Criteria, Options, Question, Scale, Survey, analyse, read_survey};

#[test]
fn reciprocity_density_and_the_pupils_without_a_mutual_friend_are_counted_by_hand() {
    // Ana <-> Bo mutual; Ana -> Cas; Cas -> Dex; Dex chose nobody; Eef was absent.
    // Pairs: one mutual (M = 1), two one-way (A = 2): reciprocity 2M / (2M + A) = 0.5.
    // Choices made 4 of 4 participants x 4 classmates = 16 possible: density 0.25.
    let text = "group,from,to,question\n\
                1A,Ana,Bo,positive\n1A,Bo,Ana,positive\n1A,Ana,Cas,positive\n1A,Cas,Dex,positive\n\
                1A,Dex,,positive\n1A,Cas,Eef,negative\n1A,Bo,Eef,negative\n";
    let survey = read_survey(text, Scale::Five).unwrap();
    let Survey::Nominations(groups) = &survey else {
        panic!()
    };
    let names = &groups[0].pupils;
    assert_eq!(names, &["Ana", "Bo", "Cas", "Dex", "Eef"]);
    let options = Options {
        criteria: Criteria::NewcombBukowski,
        ..Options::default()
    };
    let ties = analyse(&survey, &options).remove(0).ties;
    assert_eq!(ties.mutual_pairs, vec![(0, 1)]);
    assert_eq!(ties.reciprocity, Some(0.5));
    assert_eq!(ties.density, Some(0.25));
    assert_eq!(ties.not_chosen, vec![4]);
    assert_eq!(ties.without_mutual_friend, vec![2, 3, 4]);
    assert_eq!(ties.components, vec![vec![0, 1]]);
    assert!(ties.cliques.is_empty());
    let negative = ties
        .counts
        .iter()
        .find(|c| c.question == Question::Negative)
        .unwrap();
    assert_eq!(negative.received, vec![0, 0, 0, 0, 2]);
    assert_eq!(
        negative.given,
        vec![Some(0), Some(1), Some(1), Some(0), None]
    );
}

#[test]
fn ratings_become_choices_as_ssrat_recodes_them_for_the_sociogram() {
    // On a 5-point scale only a 5 is a choice and only a 1 a "rather not" (SSrat 1.1).
    let text = "group,from,to,rating\n2C,A,B,5\n2C,B,A,5\n2C,A,C,4\n2C,C,A,1\n2C,B,C,2\n2C,C,B,3\n";
    let survey = read_survey(text, Scale::Five).unwrap();
    let analysis = analyse(&survey, &Options::default()).remove(0);
    assert_eq!(analysis.ties.mutual_pairs, vec![(0, 1)]);
    let positive = analysis
        .ties
        .counts
        .iter()
        .find(|c| c.question == Question::Positive)
        .unwrap();
    assert_eq!(positive.received, vec![1, 1, 0]);
    let negative = analysis
        .ties
        .counts
        .iter()
        .find(|c| c.question == Question::Negative)
        .unwrap();
    assert_eq!(negative.received, vec![1, 0, 0]);
}
