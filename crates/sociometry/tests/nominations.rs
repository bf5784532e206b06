//! Newcomb & Bukowski on nominations: the exact Poisson-binomial probabilities, checked by
//! hand and by enumerating every way the assessors could have handed out their choices.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::cmp::Ordering;

use erbij_sociometry::{
    Criteria, GroupNote, NominationGroup, Options, Question, Scale, Status, Survey,
    analyse_nominations, read_survey,
};

fn group(
    pupils: &[&str],
    positive: &[(&str, &str)],
    negative: &[(&str, &str)],
    took_part: &[&str],
) -> NominationGroup {
    let mut group = NominationGroup::new("test", pupils.iter().map(|p| p.to_string()).collect());
    let index = |name: &str| pupils.iter().position(|p| *p == name).unwrap();
    group.ask(Question::Positive);
    group.ask(Question::Negative);
    for name in took_part {
        group.mark_took_part(index(name));
    }
    for (from, to) in positive {
        group.nominate(Question::Positive, index(from), index(to));
    }
    for (from, to) in negative {
        group.nominate(Question::Negative, index(from), index(to));
    }
    group
}

fn nb(alpha: f64) -> Options {
    Options {
        criteria: Criteria::NewcombBukowski,
        alpha,
        ..Options::default()
    }
}

#[test]
fn hand_computed_tail_probabilities_with_unequal_nominations_and_an_absent_pupil() {
    // Ana names three of her four classmates (p = 3/4), Bo one (1/4), Cas two (1/2), Dex
    // took part but named nobody (0). Eef was absent: assessed, never an assessor.
    let g = group(
        &["Ana", "Bo", "Cas", "Dex", "Eef"],
        &[
            ("Ana", "Bo"),
            ("Ana", "Cas"),
            ("Ana", "Dex"),
            ("Bo", "Ana"),
            ("Cas", "Ana"),
            ("Cas", "Bo"),
        ],
        &[],
        &["Ana", "Bo", "Cas", "Dex"],
    );
    let analysis = analyse_nominations(&g, &nb(0.05));
    let ana = analysis.pupils[0].received.as_ref().unwrap();
    // Ana is named by Bo and Cas: P(X >= 2) = 1/4 · 1/2 · (Dex can never) = 1/8.
    assert_eq!(ana.sympathy.observed, 2);
    assert_eq!(ana.sympathy.assessors, 3);
    assert!((ana.sympathy.tails.unwrap().upper - 1.0 / 8.0).abs() < 1e-15);
    assert!((ana.sympathy.tails.unwrap().lower - 1.0).abs() < 1e-15);
    assert_eq!(ana.sympathy.expected.value(), 0.75);
    // Eef, absent, is named by nobody out of four assessors: P(X <= 0) = 1/4 · 3/4 · 1/2 · 1.
    let eef = &analysis.pupils[4];
    assert!(!eef.took_part);
    let eef_received = eef.received.as_ref().unwrap();
    assert_eq!(eef_received.sympathy.assessors, 4);
    assert!((eef_received.sympathy.tails.unwrap().lower - 3.0 / 32.0).abs() < 1e-15);
    assert_eq!(eef_received.sympathy.expected.value(), 1.5);
    // Dex chose nobody but took part; Eef did not take part and is not "chose nobody".
    let positive = analysis
        .ties
        .counts
        .iter()
        .find(|c| c.question == Question::Positive)
        .unwrap();
    assert_eq!(
        positive.given,
        vec![Some(3), Some(1), Some(2), Some(0), None]
    );
    assert_eq!(positive.received, vec![2, 2, 1, 1, 0]);
}

/// All ways the assessors could have handed out exactly as many nominations as they did.
fn enumerate_tails(group: &NominationGroup, question: Question, target: usize) -> (f64, f64, u32) {
    let matrix = &group.nominations[&question];
    let n = group.pupils.len();
    // Per assessor: the probability that a random choice set of their size includes target,
    // counted by listing every subset of their classmates of that size.
    let mut pmf = vec![1.0f64];
    let mut observed = 0;
    for i in 0..n {
        if i == target || !group.took_part[i] {
            continue;
        }
        let given = (0..n).filter(|&j| matrix.get(i, j) == Some(1)).count() as u32;
        observed += matrix.get(i, target).unwrap();
        let others: Vec<usize> = (0..n).filter(|&j| j != i).collect();
        let (mut with, mut total) = (0u32, 0u32);
        for mask in 0u32..(1 << others.len()) {
            if mask.count_ones() == given {
                total += 1;
                if others
                    .iter()
                    .enumerate()
                    .any(|(bit, &j)| j == target && mask & (1 << bit) != 0)
                {
                    with += 1;
                }
            }
        }
        let p = f64::from(with) / f64::from(total);
        let mut next = vec![0.0; pmf.len() + 1];
        for (k, &q) in pmf.iter().enumerate() {
            next[k] += q * (1.0 - p);
            next[k + 1] += q * p;
        }
        pmf = next;
    }
    let lower = pmf.iter().take(observed as usize + 1).sum();
    let upper = pmf.iter().skip(observed as usize).sum();
    (lower, upper, observed)
}

#[test]
fn convolution_equals_enumeration_of_every_possible_choice_set() {
    let g = group(
        &["A", "B", "C", "D", "E", "F", "G"],
        &[
            ("A", "B"),
            ("A", "C"),
            ("A", "D"),
            ("A", "E"),
            ("B", "A"),
            ("C", "A"),
            ("C", "B"),
            ("E", "F"),
            ("F", "E"),
            ("F", "A"),
            ("F", "B"),
        ],
        &[
            ("A", "G"),
            ("B", "G"),
            ("C", "G"),
            ("E", "D"),
            ("F", "G"),
            ("F", "D"),
        ],
        &["A", "B", "C", "D", "E", "F"],
    );
    let analysis = analyse_nominations(&g, &nb(0.05));
    for target in 0..g.pupils.len() {
        let received = analysis.pupils[target].received.as_ref().unwrap();
        for (question, test) in [
            (Question::Positive, &received.sympathy),
            (Question::Negative, &received.antipathy),
        ] {
            let (lower, upper, observed) = enumerate_tails(&g, question, target);
            assert_eq!(test.observed, observed);
            assert!(
                (test.tails.unwrap().lower - lower).abs() < 1e-12,
                "{target} {question:?}"
            );
            assert!(
                (test.tails.unwrap().upper - upper).abs() < 1e-12,
                "{target} {question:?}"
            );
        }
    }
}

#[test]
fn a_count_equal_to_its_expectation_is_neither_above_nor_below_it() {
    // Four pupils, each names exactly one of three classmates as "liever niet": E(LL) = 1 for
    // everyone who all three others could name.
    let g = group(
        &["A", "B", "C", "D"],
        &[("A", "B"), ("B", "A"), ("C", "A"), ("D", "A")],
        &[("A", "D"), ("B", "D"), ("C", "B"), ("D", "C")],
        &["A", "B", "C", "D"],
    );
    let analysis = analyse_nominations(&g, &nb(0.05));
    let b = analysis.pupils[1].received.as_ref().unwrap();
    assert_eq!(b.antipathy.observed, 1);
    assert_eq!(b.antipathy.versus_expected(), Ordering::Equal);
}

#[test]
fn newcomb_bukowski_finds_the_popular_and_the_rejected_in_a_class_of_twelve() {
    let names: Vec<String> = (1..=12).map(|i| format!("p{i}")).collect();
    let refs: Vec<&str> = names.iter().map(String::as_str).collect();
    let mut positive = Vec::new();
    let mut negative = Vec::new();
    for from in &refs[1..] {
        positive.push((*from, "p1"));
        if *from != "p12" {
            negative.push((*from, "p12"));
        }
    }
    // A few more positive choices among the others, so the class is not degenerate.
    for (from, to) in [
        ("p1", "p2"),
        ("p2", "p3"),
        ("p3", "p4"),
        ("p4", "p5"),
        ("p5", "p6"),
        ("p6", "p2"),
    ] {
        positive.push((from, to));
    }
    let g = group(&refs, &positive, &negative, &refs);
    let analysis = analyse_nominations(&g, &nb(0.01));
    assert_eq!(analysis.pupils[0].status, Some(Status::Popular));
    assert_eq!(analysis.pupils[11].status, Some(Status::Rejected));
    assert!(analysis.notes.is_empty());
}

#[test]
fn the_long_csv_with_chose_nobody_absent_pupils_and_left_out_reads_as_documented() {
    let text = include_str!("data/klas-2b-35.nominations.csv");
    let survey = read_survey(text, Scale::Five).unwrap();
    let Survey::Nominations(groups) = &survey else {
        panic!("nominations expected")
    };
    let g = &groups[0];
    assert_eq!(g.pupils.len(), 35);
    let index = |name: &str| g.pupils.iter().position(|p| p == name).unwrap();
    // Gijs wrote an empty `to`: took part, chose nobody. Noah and Luuk appear only as `to`.
    assert!(g.took_part[index("Gijs")]);
    assert!(!g.took_part[index("Noah")]);
    assert!(!g.took_part[index("Luuk")]);
    let analysis = analyse_nominations(g, &nb(0.05));
    let positive = analysis
        .ties
        .counts
        .iter()
        .find(|c| c.question == Question::Positive)
        .unwrap();
    assert_eq!(positive.given[index("Gijs")], Some(0));
    assert_eq!(positive.given[index("Noah")], None);
    // Mila: nobody chooses her, she has no mutual friend, and many classmates say she is left out.
    assert!(analysis.ties.not_chosen.contains(&index("Mila")));
    assert!(analysis.ties.without_mutual_friend.contains(&index("Mila")));
    let mila = analysis.pupils[index("Mila")].left_out.as_ref().unwrap();
    assert!(
        mila.significant,
        "named {} times, expected {}",
        mila.test.observed,
        mila.test.expected.value()
    );
    assert!(
        analysis
            .pupils
            .iter()
            .filter(|p| p.left_out.as_ref().is_some_and(|l| l.significant))
            .count()
            == 1
    );
    // Jesse gets many "liever niet" nominations and few positive ones.
    assert_eq!(
        analysis.pupils[index("Jesse")].status,
        Some(Status::Rejected)
    );
}

#[test]
fn without_a_negative_question_no_status_is_invented() {
    let text =
        "group,from,to,question\n1A,Sanne,Jan,positive\n1A,Jan,Sanne,positive\n1A,Mila,,positive\n";
    let survey = read_survey(text, Scale::Five).unwrap();
    let Survey::Nominations(groups) = &survey else {
        panic!()
    };
    let analysis = analyse_nominations(&groups[0], &nb(0.05));
    assert_eq!(
        analysis.notes,
        vec![GroupNote::QuestionMissing(Question::Negative)]
    );
    assert!(analysis.pupils.iter().all(|p| p.status.is_none()));
    assert_eq!(analysis.ties.mutual_pairs, vec![(0, 1)]);
    assert_eq!(analysis.ties.reciprocity, Some(1.0));
}
