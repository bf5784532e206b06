//! Sociometric status: the five groups, and the three ways of deciding them.
//!
//! A status is a signal for a conversation with the pupil, never a verdict on a child.

use std::cmp::Ordering;
use std::fmt;

use crate::distribution::ScoreTest;

/// A sociometric status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Status {
    Popular,
    Rejected,
    Neglected,
    Controversial,
    Average,
    /// Coie & Dodge only: outside every group (the method is not exhaustive).
    Unclassified,
}

impl Status {
    /// The English key used in JSON (`popular`, ...).
    pub fn key(self) -> &'static str {
        match self {
            Status::Popular => "popular",
            Status::Rejected => "rejected",
            Status::Neglected => "neglected",
            Status::Controversial => "controversial",
            Status::Average => "average",
            Status::Unclassified => "unclassified",
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// Which criteria decide the status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Criteria {
    /// SSrat's rating-scale criteria (Maassen, Akkermans & Van der Linden 1996). Ratings only.
    Ssrat,
    /// Newcomb & Bukowski (1983) probability criteria, in SSrat's general form.
    NewcombBukowski,
    /// Coie, Dodge & Coppotelli (1982) standard scores.
    CoieDodge,
}

/// Which standard deviation Coie & Dodge z-scores divide by. The choice changes statuses
/// (SSrat's example 5: pupils 2 and 4 are popular with one, unclassified with the other).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SdConvention {
    /// Divide the sum of squares by N.
    Population,
    /// Divide the sum of squares by N - 1.
    Sample,
}

/// How ratings become "liked most" / "liked least" nominations for Newcomb & Bukowski, Coie
/// & Dodge and the sociogram.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NominationRecoding {
    /// What SSrat 1.1 does: only the highest rating counts as "liked most" and only the
    /// lowest as "liked least". Its output for example 1 (7-point) shows this: pupil 2 got
    /// five 7s and four 6s and SSrat reports LM = 5. The default, so we match SSrat.
    Extremes,
    /// What SSrat's manual describes: every rating above the midpoint is "liked most", every
    /// rating below it "liked least".
    AroundMidpoint,
}

impl NominationRecoding {
    /// The nomination a rating becomes: 1 = liked least, 2 = neutral, 3 = liked most.
    pub fn recode(self, rating: u8, points: u8) -> u8 {
        let midpoint = points.div_ceil(2);
        match self {
            NominationRecoding::Extremes if rating >= points => 3,
            NominationRecoding::Extremes if rating <= 1 => 1,
            NominationRecoding::Extremes => 2,
            NominationRecoding::AroundMidpoint => match rating.cmp(&midpoint) {
                Ordering::Greater => 3,
                Ordering::Less => 1,
                Ordering::Equal => 2,
            },
        }
    }
}

/// The four received totals of a pupil, each tested against its null distribution.
///
/// For SSrat's criteria: sympathy S, antipathy A, preference P and impact I of the ratings.
/// For Newcomb & Bukowski: liked most LM (in `sympathy`), liked least LL (in `antipathy`),
/// and impact SI = LM + LL (in `impact`); `preference` holds the recoded rating sum for
/// ratings and is absent for nominations.
#[derive(Debug, Clone, PartialEq)]
pub struct ReceivedScores {
    pub sympathy: ScoreTest,
    pub antipathy: ScoreTest,
    pub preference: Option<ScoreTest>,
    pub impact: ScoreTest,
}

/// SSrat's rating criteria, in SSrat's order (the four are mutually exclusive anyway).
pub fn ssrat_status(scores: &ReceivedScores, alpha: f64) -> Status {
    let s = scores.sympathy.versus_expected();
    let a = scores.antipathy.versus_expected();
    let (preference_high, preference_low) =
        scores.preference.as_ref().map_or((false, false), |p| {
            (p.significantly_high(alpha), p.significantly_low(alpha))
        });
    let impact = &scores.impact;
    use Ordering::{Greater, Less};
    if preference_high && s == Greater && a == Less {
        Status::Popular
    } else if preference_low && s == Less && a == Greater {
        Status::Rejected
    } else if impact.significantly_high(alpha) && s == Greater && a == Greater {
        Status::Controversial
    } else if impact.significantly_low(alpha) && s == Less && a == Less {
        Status::Neglected
    } else {
        Status::Average
    }
}

/// Newcomb & Bukowski's criteria in SSrat's decision order: popular, rejected,
/// controversial, neglected, average.
pub fn newcomb_bukowski_status(scores: &ReceivedScores, alpha: f64) -> Status {
    let liked_most_high = scores.sympathy.significantly_high(alpha);
    let liked_least_high = scores.antipathy.significantly_high(alpha);
    let lm = scores.sympathy.versus_expected();
    let ll = scores.antipathy.versus_expected();
    use Ordering::{Greater, Less};
    if liked_most_high && ll == Less {
        Status::Popular
    } else if liked_least_high && lm == Less {
        Status::Rejected
    } else if (liked_most_high && ll == Greater) || (liked_least_high && lm == Greater) {
        Status::Controversial
    } else if scores.impact.significantly_low(alpha) {
        Status::Neglected
    } else {
        Status::Average
    }
}

/// A pupil's Coie & Dodge standard scores.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StandardScores {
    pub liked_most: u32,
    pub liked_least: u32,
    pub z_liked_most: f64,
    pub z_liked_least: f64,
    /// Social preference, re-standardised.
    pub preference: f64,
    /// Social impact, re-standardised.
    pub impact: f64,
}

fn standardise(values: &[f64], sd: SdConvention) -> Vec<f64> {
    let n = values.len() as f64;
    if values.is_empty() {
        return Vec::new();
    }
    let mean = values.iter().sum::<f64>() / n;
    let squares: f64 = values.iter().map(|v| (v - mean) * (v - mean)).sum();
    let divisor = match sd {
        SdConvention::Population => n,
        SdConvention::Sample => n - 1.0,
    };
    let deviation = if divisor > 0.0 {
        (squares / divisor).sqrt()
    } else {
        0.0
    };
    values
        .iter()
        .map(|v| {
            if deviation > 0.0 {
                (v - mean) / deviation
            } else {
                0.0
            }
        })
        .collect()
}

/// Coie, Dodge & Coppotelli (1982): standardise LM and LL within the class, SP = zLM - zLL
/// and SI = zLM + zLL re-standardised, then the five groups; everyone else `Unclassified`.
/// The signs of zLM and zLL are decided on the integer counts (count × N against the class
/// sum), so a count equal to the class mean is neither above nor below it.
pub fn coie_dodge(
    liked_most: &[u32],
    liked_least: &[u32],
    sd: SdConvention,
) -> Vec<(Status, StandardScores)> {
    let n = liked_most.len().min(liked_least.len());
    let as_f64 = |v: &[u32]| v.iter().take(n).map(|&x| f64::from(x)).collect::<Vec<_>>();
    let z_lm = standardise(&as_f64(liked_most), sd);
    let z_ll = standardise(&as_f64(liked_least), sd);
    let preference_raw: Vec<f64> = z_lm.iter().zip(&z_ll).map(|(a, b)| a - b).collect();
    let impact_raw: Vec<f64> = z_lm.iter().zip(&z_ll).map(|(a, b)| a + b).collect();
    let preference = standardise(&preference_raw, sd);
    let impact = standardise(&impact_raw, sd);
    let sum_lm: u64 = liked_most.iter().take(n).map(|&x| u64::from(x)).sum();
    let sum_ll: u64 = liked_least.iter().take(n).map(|&x| u64::from(x)).sum();
    let sign = |count: u32, sum: u64| (u64::from(count) * n as u64).cmp(&sum);
    (0..n)
        .map(|i| {
            let lm = liked_most.get(i).copied().unwrap_or(0);
            let ll = liked_least.get(i).copied().unwrap_or(0);
            let scores = StandardScores {
                liked_most: lm,
                liked_least: ll,
                z_liked_most: z_lm.get(i).copied().unwrap_or(0.0),
                z_liked_least: z_ll.get(i).copied().unwrap_or(0.0),
                preference: preference.get(i).copied().unwrap_or(0.0),
                impact: impact.get(i).copied().unwrap_or(0.0),
            };
            let lm_sign = sign(lm, sum_lm);
            let ll_sign = sign(ll, sum_ll);
            use Ordering::{Greater, Less};
            let status = if scores.preference > 1.0 && lm_sign == Greater && ll_sign == Less {
                Status::Popular
            } else if scores.preference < -1.0 && ll_sign == Greater && lm_sign == Less {
                Status::Rejected
            } else if scores.impact < -1.0 && lm_sign == Less && ll_sign == Less {
                Status::Neglected
            } else if scores.impact > 1.0 && lm_sign == Greater && ll_sign == Greater {
                Status::Controversial
            } else if scores.preference > -0.5 && scores.preference < 0.5 {
                Status::Average
            } else {
                Status::Unclassified
            };
            (status, scores)
        })
        .collect()
}
