//! Turns class survey answers into sociometric statuses, ties, subgroups and a sociogram.
//!
//! The statuses reproduce the reference methods exactly: SSrat's rating criteria and
//! Newcomb & Bukowski's probability criteria as SSrat 1.1 computes them (R package by
//! Maassen & Landsheer, Utrecht University; its `calcgroup`), with exact convolutions of
//! each assessor's own score distribution and exact comparisons with expectations, and
//! Coie & Dodge's standard scores with the standard-deviation convention as a parameter.
//!
//! This crate is pure: it reads text handed to it and returns values. It must never do I/O,
//! log answers or pupil names, know of databases or HTTP, or present a status as a verdict
//! on a child: a status is a signal for a conversation.

pub mod analysis;
pub mod distribution;
pub mod expectation;
pub mod input;
pub mod report;
pub mod sociogram;
pub mod status;
pub mod survey;
pub mod ties;

pub use analysis::{
    ExclusionReport, GroupAnalysis, GroupNote, Options, PupilAnalysis, SurveyKind,
    analyse_nominations, analyse_ratings, analyse_ratings_all_criteria,
};
pub use distribution::{ScoreMatrix, ScoreTest};
pub use expectation::Expectation;
pub use input::{InputError, Survey, read_survey};
pub use status::{
    Criteria, NominationRecoding, ReceivedScores, SdConvention, StandardScores, Status,
};
pub use survey::{NominationGroup, Question, Rating, RatingGroup, Scale};
pub use ties::Ties;

/// Analyses every group of a survey.
pub fn analyse(survey: &Survey, options: &Options) -> Vec<GroupAnalysis> {
    match survey {
        Survey::Ratings(groups) => groups.iter().map(|g| analyse_ratings(g, options)).collect(),
        Survey::Nominations(groups) => groups
            .iter()
            .map(|g| analyse_nominations(g, options))
            .collect(),
    }
}
