//! One group's survey in, statuses, counts, exclusion reports and ties out.

use std::cmp::Ordering;
use std::sync::Arc;

use crate::distribution::{Need, ScoreMatrix, ScoreTest, received_scores, test_received_scores};
use crate::expectation::Expectation;
use crate::status::{
    Criteria, NominationRecoding, ReceivedScores, SdConvention, StandardScores, Status, coie_dodge,
    newcomb_bukowski_status, ssrat_status,
};
use crate::survey::{NominationGroup, Question, RatingGroup, Scale};
use crate::ties::{Ties, analyse_ties};

/// How to analyse.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Options {
    pub criteria: Criteria,
    /// One-sided significance level for the probability criteria (SSrat reports .10/.05/.01).
    pub alpha: f64,
    /// Standard deviation convention for Coie & Dodge.
    pub sd: SdConvention,
    /// How ratings become nominations (Newcomb & Bukowski, Coie & Dodge, ties).
    pub recoding: NominationRecoding,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            criteria: Criteria::Ssrat,
            alpha: 0.05,
            sd: SdConvention::Population,
            recoding: NominationRecoding::Extremes,
        }
    }
}

/// Why a group's statuses could not be decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupNote {
    /// SSrat's criteria need ratings; this group answered nomination questions.
    SsratNeedsRatings,
    /// Statuses need both the positive and the negative question; this one was not asked.
    QuestionMissing(Question),
}

/// What kind of answers the group gave.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SurveyKind {
    Ratings(Scale),
    Nominations,
}

/// Peer-reported exclusion of one pupil: how many classmates said this pupil is left out.
#[derive(Debug, Clone, PartialEq)]
pub struct ExclusionReport {
    pub test: ScoreTest,
    /// More often than chance (upper tail ≤ alpha and above the expectation).
    pub significant: bool,
}

/// Everything computed for one pupil.
#[derive(Debug, Clone, PartialEq)]
pub struct PupilAnalysis {
    pub id: String,
    pub took_part: bool,
    /// `None` when the group's statuses could not be decided (see the group's notes).
    pub status: Option<Status>,
    /// Received totals and tests (SSrat and Newcomb & Bukowski criteria).
    pub received: Option<ReceivedScores>,
    /// Standard scores (Coie & Dodge).
    pub standard: Option<StandardScores>,
    /// Peer-reported exclusion, when the `left_out` question was asked.
    pub left_out: Option<ExclusionReport>,
}

/// Everything computed for one group.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupAnalysis {
    pub id: String,
    pub kind: SurveyKind,
    pub options: Options,
    pub pupils: Vec<PupilAnalysis>,
    /// Shared between the analyses of one survey with different criteria.
    pub ties: Arc<Ties>,
    pub notes: Vec<GroupNote>,
}

fn shifted(test: ScoreTest, per_assessor: u32) -> ScoreTest {
    // Scores were shifted down by `per_assessor` to keep distributions short; shift back.
    let assessors = test.assessors as u32;
    ScoreTest {
        observed: test.observed + per_assessor * assessors,
        expected: test.expected.plus(Expectation::fraction(
            i128::from(per_assessor * assessors),
            1,
        )),
        ..test
    }
}

/// Puts the four received totals of each pupil together.
fn combine(
    sympathy: Vec<ScoreTest>,
    antipathy: Vec<ScoreTest>,
    preference: Option<Vec<ScoreTest>>,
    impact: Vec<ScoreTest>,
) -> Vec<ReceivedScores> {
    let mut preference = preference.map(Vec::into_iter);
    sympathy
        .into_iter()
        .zip(antipathy)
        .zip(impact)
        .map(|((sympathy, antipathy), impact)| ReceivedScores {
            sympathy,
            antipathy,
            preference: preference.as_mut().and_then(Iterator::next),
            impact,
        })
        .collect()
}

/// Preference totals of ratings shifted down by one (so the lowest rating is 0 and the
/// distributions stay short), shifted back afterwards.
fn preference_of(
    matrix: &ScoreMatrix,
    transform: impl Fn(u32) -> u32 + Copy,
    need: Need,
) -> Vec<ScoreTest> {
    received_scores(matrix, move |v| transform(v).saturating_sub(1), need)
        .into_iter()
        .map(|t| shifted(t, 1))
        .collect()
}

/// What every criterion needs from a rating survey: participation, the recoded choices and
/// the ties (which do not depend on the criterion).
struct PreparedRatings<'a> {
    group: &'a RatingGroup,
    took_part: Vec<bool>,
    recoded: ScoreMatrix,
    liked_most: ScoreMatrix,
    liked_least: ScoreMatrix,
    ties: Arc<Ties>,
}

impl<'a> PreparedRatings<'a> {
    fn new(group: &'a RatingGroup, recoding: NominationRecoding) -> PreparedRatings<'a> {
        let points = group.scale.points();
        let size = group.pupils.len();
        let took_part: Vec<bool> = (0..size).map(|i| group.took_part(i)).collect();
        let recoded = group
            .ratings
            .map(|r| u32::from(recoding.recode(u8::try_from(r).unwrap_or(u8::MAX), points)));
        let liked_most = recoded.map(|c| u32::from(c == 3));
        let liked_least = recoded.map(|c| u32::from(c == 1));
        let ties = Arc::new(analyse_ties(
            &took_part,
            &[
                (Question::Positive, &liked_most),
                (Question::Negative, &liked_least),
            ],
        ));
        PreparedRatings {
            group,
            took_part,
            recoded,
            liked_most,
            liked_least,
            ties,
        }
    }

    fn analyse(&self, options: &Options) -> GroupAnalysis {
        let group = self.group;
        let size = group.pupils.len();
        let midpoint = u32::from(group.scale.midpoint());
        let (statuses, received, standard) = match options.criteria {
            Criteria::Ssrat => {
                // SSrat's criteria test preference and impact; sympathy and antipathy are only
                // compared with their expectations, so their tails are not computed.
                let r = &group.ratings;
                let scores = combine(
                    received_scores(r, |v| v.saturating_sub(midpoint), Need::ExpectationOnly),
                    received_scores(r, |v| midpoint.saturating_sub(v), Need::ExpectationOnly),
                    Some(preference_of(r, |v| v, Need::Tails)),
                    received_scores(r, |v| v.abs_diff(midpoint), Need::Tails),
                );
                let statuses = scores
                    .iter()
                    .map(|s| Some(ssrat_status(s, options.alpha)))
                    .collect();
                (
                    statuses,
                    scores.into_iter().map(Some).collect(),
                    vec![None; size],
                )
            }
            Criteria::NewcombBukowski => {
                // Liked most (the top rating), liked least (the bottom one) and impact are
                // tested; the recoded preference sum is reported as SSrat does.
                let c = &self.recoded;
                let scores = combine(
                    received_scores(c, |v| u32::from(v == 3), Need::Tails),
                    received_scores(c, |v| u32::from(v == 1), Need::Tails),
                    Some(preference_of(c, |v| v, Need::ExpectationOnly)),
                    received_scores(c, |v| u32::from(v != 2), Need::Tails),
                );
                let statuses = scores
                    .iter()
                    .map(|s| Some(newcomb_bukowski_status(s, options.alpha)))
                    .collect();
                (
                    statuses,
                    scores.into_iter().map(Some).collect(),
                    vec![None; size],
                )
            }
            Criteria::CoieDodge => {
                let (statuses, standard) =
                    coie_dodge_of(&self.liked_most, &self.liked_least, options.sd);
                (statuses, vec![None; size], standard)
            }
        };
        GroupAnalysis {
            id: group.id.clone(),
            kind: SurveyKind::Ratings(group.scale),
            options: *options,
            pupils: assemble(
                &group.pupils,
                &self.took_part,
                statuses,
                received,
                standard,
                vec![None; size],
            ),
            ties: Arc::clone(&self.ties),
            notes: Vec::new(),
        }
    }
}

/// Analyses a rating survey.
pub fn analyse_ratings(group: &RatingGroup, options: &Options) -> GroupAnalysis {
    PreparedRatings::new(group, options.recoding).analyse(options)
}

/// Analyses a rating survey with SSrat's, Newcomb & Bukowski's and Coie & Dodge's criteria
/// (in that order), sharing the recoding and the ties. `options.criteria` is ignored.
pub fn analyse_ratings_all_criteria(group: &RatingGroup, options: &Options) -> Vec<GroupAnalysis> {
    let prepared = PreparedRatings::new(group, options.recoding);
    [
        Criteria::Ssrat,
        Criteria::NewcombBukowski,
        Criteria::CoieDodge,
    ]
    .into_iter()
    .map(|criteria| {
        prepared.analyse(&Options {
            criteria,
            ..*options
        })
    })
    .collect()
}

fn received_counts(matrix: &ScoreMatrix) -> Vec<u32> {
    let size = matrix.size();
    (0..size)
        .map(|j| (0..size).filter_map(|i| matrix.get(i, j)).sum())
        .collect()
}

type CoieDodgeColumns = (Vec<Option<Status>>, Vec<Option<StandardScores>>);

fn coie_dodge_of(
    liked_most: &ScoreMatrix,
    liked_least: &ScoreMatrix,
    sd: SdConvention,
) -> CoieDodgeColumns {
    coie_dodge(
        &received_counts(liked_most),
        &received_counts(liked_least),
        sd,
    )
    .into_iter()
    .map(|(status, scores)| (Some(status), Some(scores)))
    .unzip()
}

fn assemble(
    ids: &[String],
    took_part: &[bool],
    statuses: Vec<Option<Status>>,
    received: Vec<Option<ReceivedScores>>,
    standard: Vec<Option<StandardScores>>,
    left_out: Vec<Option<ExclusionReport>>,
) -> Vec<PupilAnalysis> {
    let mut statuses = statuses.into_iter();
    let mut received = received.into_iter();
    let mut standard = standard.into_iter();
    let mut left_out = left_out.into_iter();
    ids.iter()
        .enumerate()
        .map(|(k, id)| PupilAnalysis {
            id: id.clone(),
            took_part: took_part.get(k).copied().unwrap_or(false),
            status: statuses.next().flatten(),
            received: received.next().flatten(),
            standard: standard.next().flatten(),
            left_out: left_out.next().flatten(),
        })
        .collect()
}

/// Analyses a nomination survey (Newcomb & Bukowski or Coie & Dodge; SSrat's criteria need
/// ratings and give a note instead of statuses).
pub fn analyse_nominations(group: &NominationGroup, options: &Options) -> GroupAnalysis {
    let size = group.pupils.len();
    let positive = group.nominations.get(&Question::Positive);
    let negative = group.nominations.get(&Question::Negative);
    let mut notes = Vec::new();
    let mut statuses = vec![None; size];
    let mut received = vec![None; size];
    let mut standard = vec![None; size];
    match (options.criteria, positive, negative) {
        (Criteria::Ssrat, _, _) => notes.push(GroupNote::SsratNeedsRatings),
        (_, None, _) => notes.push(GroupNote::QuestionMissing(Question::Positive)),
        (_, _, None) => notes.push(GroupNote::QuestionMissing(Question::Negative)),
        (Criteria::NewcombBukowski, Some(lm), Some(ll)) => {
            let mut impact = ScoreMatrix::new(size);
            for i in 0..size {
                for j in 0..size {
                    if let (Some(a), Some(b)) = (lm.get(i, j), ll.get(i, j)) {
                        impact.set(i, j, Some(a + b));
                    }
                }
            }
            let scores = combine(
                test_received_scores(lm),
                test_received_scores(ll),
                None,
                test_received_scores(&impact),
            );
            statuses = scores
                .iter()
                .map(|s| Some(newcomb_bukowski_status(s, options.alpha)))
                .collect();
            received = scores.into_iter().map(Some).collect();
        }
        (Criteria::CoieDodge, Some(lm), Some(ll)) => {
            (statuses, standard) = coie_dodge_of(lm, ll, options.sd);
        }
    }
    let left_out = group
        .nominations
        .get(&Question::LeftOut)
        .map(|matrix| {
            test_received_scores(matrix)
                .into_iter()
                .map(|test| {
                    let significant = test.significantly_high(options.alpha)
                        && test.versus_expected() == Ordering::Greater;
                    Some(ExclusionReport { test, significant })
                })
                .collect()
        })
        .unwrap_or_else(|| vec![None; size]);
    let questions: Vec<(Question, &ScoreMatrix)> =
        group.nominations.iter().map(|(q, m)| (*q, m)).collect();
    let ties = Arc::new(analyse_ties(&group.took_part, &questions));
    GroupAnalysis {
        id: group.id.clone(),
        kind: SurveyKind::Nominations,
        options: *options,
        pupils: assemble(
            &group.pupils,
            &group.took_part,
            statuses,
            received,
            standard,
            left_out,
        ),
        ties,
        notes,
    }
}
