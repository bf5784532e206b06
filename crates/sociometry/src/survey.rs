//! What a class survey holds: the pupils of a group, who took part, and their answers.

use std::collections::BTreeMap;
use std::fmt;

use crate::distribution::ScoreMatrix;

/// A rating scale with 3, 5, 7 or 9 points and a neutral midpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scale {
    Three,
    Five,
    Seven,
    Nine,
}

impl Scale {
    /// The scale with this many points, if it is one SSrat knows.
    pub fn with_points(points: u8) -> Option<Scale> {
        match points {
            3 => Some(Scale::Three),
            5 => Some(Scale::Five),
            7 => Some(Scale::Seven),
            9 => Some(Scale::Nine),
            _ => None,
        }
    }

    /// Number of points (the highest rating).
    pub fn points(self) -> u8 {
        match self {
            Scale::Three => 3,
            Scale::Five => 5,
            Scale::Seven => 7,
            Scale::Nine => 9,
        }
    }

    /// The neutral midpoint (R + 1 on a 2R + 1 point scale).
    pub fn midpoint(self) -> u8 {
        self.points().div_ceil(2)
    }
}

impl fmt::Display for Scale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.points())
    }
}

/// A rating on a scale: always within `1..=points`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rating {
    value: u8,
}

impl Rating {
    /// A rating, or `None` when `value` is not on `scale`.
    pub fn new(value: u8, scale: Scale) -> Option<Rating> {
        (1..=scale.points())
            .contains(&value)
            .then_some(Rating { value })
    }

    /// The rating's value.
    pub fn value(self) -> u8 {
        self.value
    }
}

/// One rating survey of one group: every pupil rates every classmate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RatingGroup {
    /// The group's id (for SSrat data: `school-group`).
    pub id: String,
    /// The pupils' ids (names or numbers), in the order they were first seen.
    pub pupils: Vec<String>,
    /// The scale the ratings are on.
    pub scale: Scale,
    /// `ratings.get(assessor, assessed)`: the rating given, `None` when missing. A pupil
    /// who gave no rating at all did not take part: assessed, but no assessor.
    pub ratings: ScoreMatrix,
}

impl RatingGroup {
    /// Whether pupil `index` gave at least one rating.
    pub fn took_part(&self, index: usize) -> bool {
        (0..self.pupils.len()).any(|j| self.ratings.get(index, j).is_some())
    }
}

/// A nomination question.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Question {
    /// "Met wie ... je graag?" (liked most).
    Positive,
    /// "Met wie ... je liever niet?" (liked least).
    Negative,
    /// "Wie wordt er vaak buitengesloten?" (peer-reported exclusion).
    LeftOut,
}

impl Question {
    /// The name used in CSV files and JSON.
    pub fn key(self) -> &'static str {
        match self {
            Question::Positive => "positive",
            Question::Negative => "negative",
            Question::LeftOut => "left_out",
        }
    }

    /// Parses the CSV name.
    pub fn from_key(key: &str) -> Option<Question> {
        match key {
            "positive" => Some(Question::Positive),
            "negative" => Some(Question::Negative),
            "left_out" => Some(Question::LeftOut),
            _ => None,
        }
    }
}

/// One nomination survey of one group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NominationGroup {
    /// The group's id.
    pub id: String,
    /// The pupils' ids, in the order they were first seen.
    pub pupils: Vec<String>,
    /// Who took part. A pupil who did not is assessed but is no assessor, and is never
    /// counted as "chose nobody".
    pub took_part: Vec<bool>,
    /// Per question asked in this group: `1` where the assessor named the classmate, `0`
    /// where they did not; `None` for pupils who did not take part.
    pub nominations: BTreeMap<Question, ScoreMatrix>,
}

impl NominationGroup {
    /// A group with these pupils and no answers yet.
    pub fn new(id: impl Into<String>, pupils: Vec<String>) -> NominationGroup {
        let took_part = vec![false; pupils.len()];
        NominationGroup {
            id: id.into(),
            pupils,
            took_part,
            nominations: BTreeMap::new(),
        }
    }

    /// Marks `pupil` as having taken part in every question of the group, choosing nobody
    /// until nominations are added.
    pub fn mark_took_part(&mut self, pupil: usize) {
        match self.took_part.get_mut(pupil) {
            Some(flag) if !*flag => *flag = true,
            _ => return,
        }
        let size = self.pupils.len();
        for matrix in self.nominations.values_mut() {
            for j in 0..size {
                if matrix.get(pupil, j).is_none() {
                    matrix.set(pupil, j, Some(0));
                }
            }
        }
    }

    /// Declares that `question` was asked (every participant chose nobody so far).
    pub fn ask(&mut self, question: Question) {
        if self.nominations.contains_key(&question) {
            // Participants' rows were filled when the question was first asked, or when
            // they were marked as taking part.
            return;
        }
        let size = self.pupils.len();
        let took_part = self.took_part.clone();
        let matrix = self
            .nominations
            .entry(question)
            .or_insert_with(|| ScoreMatrix::new(size));
        for (i, took) in took_part.iter().enumerate() {
            if *took {
                for j in 0..size {
                    if matrix.get(i, j).is_none() {
                        matrix.set(i, j, Some(0));
                    }
                }
            }
        }
    }

    /// Records that `from` named `to` for `question` (`from` takes part, the question is asked).
    pub fn nominate(&mut self, question: Question, from: usize, to: usize) {
        self.ask(question);
        self.mark_took_part(from);
        if let Some(matrix) = self.nominations.get_mut(&question) {
            matrix.set(from, to, Some(1));
        }
    }
}
