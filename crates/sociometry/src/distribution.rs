//! Exact null distributions of received scores, and how a pupil's total compares with them.
//!
//! The model is SSrat's (Maassen & Landsheer 1998; R package SSrat 1.1, `R/calcgroup.R`):
//! under the null hypothesis every assessor hands out the scores they actually gave, but to
//! classmates at random. So the score assessor `i` gives to a given classmate is a draw from
//! `i`'s own empirical distribution of scores over everyone `i` assessed, and a pupil's
//! total is the sum of independent draws, one per assessor who assessed that pupil. Its
//! distribution is the exact convolution of the per-assessor distributions (for 0/1
//! nominations this is the Poisson-binomial distribution with `p_i` = nominations given by
//! `i` / classmates `i` could nominate). No normal approximation anywhere.

use std::cmp::Ordering;

use crate::expectation::Expectation;

/// A square matrix of integer scores: `score(assessor, assessed)`, `None` where the assessor
/// gave no score (self, missing answer, or an assessor who did not take part).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScoreMatrix {
    size: usize,
    cells: Vec<Option<u32>>,
}

impl ScoreMatrix {
    /// An empty matrix for `size` pupils.
    pub fn new(size: usize) -> ScoreMatrix {
        ScoreMatrix {
            size,
            cells: vec![None; size * size],
        }
    }

    /// Number of pupils.
    pub fn size(&self) -> usize {
        self.size
    }

    /// The score `assessor` gave `assessed`, if any. Self-scores never count.
    pub fn get(&self, assessor: usize, assessed: usize) -> Option<u32> {
        if assessor == assessed {
            return None;
        }
        self.cells
            .get(assessor * self.size + assessed)
            .copied()
            .flatten()
    }

    /// Sets a score; out-of-range indices and self-scores are ignored.
    pub fn set(&mut self, assessor: usize, assessed: usize, score: Option<u32>) {
        if assessor == assessed || assessor >= self.size || assessed >= self.size {
            return;
        }
        if let Some(cell) = self.cells.get_mut(assessor * self.size + assessed) {
            *cell = score;
        }
    }

    /// A matrix with every score mapped through `f`.
    pub fn map(&self, f: impl Fn(u32) -> u32) -> ScoreMatrix {
        ScoreMatrix {
            size: self.size,
            cells: self.cells.iter().map(|cell| cell.map(&f)).collect(),
        }
    }
}

/// How one pupil's received total compares with its null distribution.
#[derive(Debug, Clone, PartialEq)]
pub struct ScoreTest {
    /// The total received.
    pub observed: u32,
    /// Number of assessors whose score counted.
    pub assessors: usize,
    /// Expected total under the null hypothesis (exact).
    pub expected: Expectation,
    /// P(X <= observed).
    pub lower_tail: f64,
    /// P(X >= observed).
    pub upper_tail: f64,
}

impl ScoreTest {
    /// Observed compared with expected, exactly (a count can equal its expectation).
    pub fn versus_expected(&self) -> Ordering {
        self.expected.observed_versus(self.observed)
    }

    /// Upper tail at or below `alpha`: significantly high.
    pub fn significantly_high(&self, alpha: f64) -> bool {
        at_most(self.upper_tail, alpha)
    }

    /// Lower tail at or below `alpha`: significantly low.
    pub fn significantly_low(&self, alpha: f64) -> bool {
        at_most(self.lower_tail, alpha)
    }
}

// Tail probabilities are sums of floating-point products; a tail that equals alpha in exact
// arithmetic must not be lost to rounding in the last bits, hence the relative tolerance.
fn at_most(probability: f64, alpha: f64) -> bool {
    probability <= alpha * (1.0 + 1e-9)
}

/// One assessor's empirical distribution of the scores they gave.
#[derive(Debug, Clone)]
struct AssessorDistribution {
    /// `probabilities[v]` = share of this assessor's scores equal to `v`.
    probabilities: Vec<f64>,
    /// Sum and count of the scores, for the exact expectation.
    sum: u64,
    count: u64,
}

impl AssessorDistribution {
    fn of(matrix: &ScoreMatrix, assessor: usize) -> Option<AssessorDistribution> {
        let scores: Vec<u32> = (0..matrix.size())
            .filter_map(|assessed| matrix.get(assessor, assessed))
            .collect();
        if scores.is_empty() {
            return None;
        }
        let max = scores.iter().copied().max().unwrap_or(0) as usize;
        let mut counts = vec![0u64; max + 1];
        for &score in &scores {
            if let Some(slot) = counts.get_mut(score as usize) {
                *slot += 1;
            }
        }
        let count = scores.len() as u64;
        Some(AssessorDistribution {
            probabilities: counts.iter().map(|&c| c as f64 / count as f64).collect(),
            sum: scores.iter().map(|&s| u64::from(s)).sum(),
            count,
        })
    }
}

fn convolve(left: &[f64], right: &[f64]) -> Vec<f64> {
    let mut out = vec![0.0; left.len() + right.len() - 1];
    for (a, &pa) in left.iter().enumerate() {
        if pa == 0.0 {
            continue;
        }
        for (b, &pb) in right.iter().enumerate() {
            if let Some(slot) = out.get_mut(a + b) {
                *slot += pa * pb;
            }
        }
    }
    out
}

/// Running sums from the left (`P(X <= x)`) and from the right (`P(X >= x)`).
#[derive(Debug, Clone)]
struct Cumulative {
    at_most: Vec<f64>,
    at_least: Vec<f64>,
}

impl Cumulative {
    fn of(pmf: &[f64]) -> Cumulative {
        let mut at_most = Vec::with_capacity(pmf.len());
        let mut running = 0.0;
        for &p in pmf {
            running += p;
            at_most.push(running);
        }
        let mut at_least = vec![0.0; pmf.len()];
        let mut running = 0.0;
        for (slot, &p) in at_least.iter_mut().zip(pmf).rev() {
            running += p;
            *slot = running;
        }
        Cumulative { at_most, at_least }
    }

    /// P(Y <= x), for any integer x.
    fn at_most(&self, x: i64) -> f64 {
        if x < 0 {
            0.0
        } else {
            self.at_most
                .get(x as usize)
                .copied()
                .unwrap_or_else(|| self.at_most.last().copied().unwrap_or(1.0))
        }
    }

    /// P(Y >= x), for any integer x.
    fn at_least(&self, x: i64) -> f64 {
        if x <= 0 {
            1.0
        } else {
            self.at_least.get(x as usize).copied().unwrap_or(0.0)
        }
    }
}

/// Tests every pupil's received total in `matrix` against its exact null distribution.
///
/// Every pupil who gave at least one score is an assessor; a pupil's total counts the
/// assessors (other than the pupil) who scored that pupil. In the common case (every
/// assessor scored everyone) the leave-one-out distributions come from prefix and suffix
/// convolutions, so a class costs about two full convolutions instead of one per pupil.
pub fn test_received_scores(matrix: &ScoreMatrix) -> Vec<ScoreTest> {
    let size = matrix.size();
    let assessors: Vec<(usize, AssessorDistribution)> = (0..size)
        .filter_map(|i| AssessorDistribution::of(matrix, i).map(|d| (i, d)))
        .collect();
    let count = assessors.len();

    // prefix[k] = convolution of assessors[0..k]; suffix[k] = of assessors[k..].
    let mut prefix: Vec<Vec<f64>> = Vec::with_capacity(count + 1);
    prefix.push(vec![1.0]);
    for (_, distribution) in &assessors {
        let next = convolve(
            prefix.last().map_or(&[1.0][..], Vec::as_slice),
            &distribution.probabilities,
        );
        prefix.push(next);
    }
    let mut suffix: Vec<Vec<f64>> = vec![vec![1.0]; count + 1];
    for k in (0..count).rev() {
        let next = match (suffix.get(k + 1), assessors.get(k)) {
            (Some(later), Some((_, distribution))) => convolve(&distribution.probabilities, later),
            _ => vec![1.0],
        };
        if let Some(slot) = suffix.get_mut(k) {
            *slot = next;
        }
    }
    let suffix_cumulative: Vec<Cumulative> = suffix.iter().map(|pmf| Cumulative::of(pmf)).collect();

    (0..size)
        .map(|assessed| {
            let position = assessors.iter().position(|(i, _)| *i == assessed);
            let scoring: Vec<&(usize, AssessorDistribution)> = assessors
                .iter()
                .filter(|(i, _)| *i != assessed && matrix.get(*i, assessed).is_some())
                .collect();
            let observed: u32 = scoring
                .iter()
                .filter_map(|(i, _)| matrix.get(*i, assessed))
                .sum();
            let expected = Expectation::sum_of_means(scoring.iter().map(|(_, d)| (d.sum, d.count)));
            let every_other_assessor_scored =
                scoring.len() + usize::from(position.is_some()) == count;
            let (lower_tail, upper_tail) = if every_other_assessor_scored {
                // Leave out this pupil's own distribution (or nobody's, if they gave none).
                let split = position.unwrap_or(count);
                let skip = usize::from(position.is_some());
                match (prefix.get(split), suffix_cumulative.get(split + skip)) {
                    (Some(left), Some(right)) => tails_of_sum(left, right, observed),
                    _ => (1.0, 1.0),
                }
            } else {
                let pmf = scoring
                    .iter()
                    .fold(vec![1.0], |acc, (_, d)| convolve(&acc, &d.probabilities));
                let whole = Cumulative::of(&pmf);
                (
                    whole.at_most(i64::from(observed)),
                    whole.at_least(i64::from(observed)),
                )
            };
            ScoreTest {
                observed,
                assessors: scoring.len(),
                expected,
                lower_tail: lower_tail.min(1.0),
                upper_tail: upper_tail.min(1.0),
            }
        })
        .collect()
}

/// P(X + Y <= t) and P(X + Y >= t) for independent X (pmf `left`) and Y (cumulative `right`).
fn tails_of_sum(left: &[f64], right: &Cumulative, observed: u32) -> (f64, f64) {
    let t = i64::from(observed);
    let mut lower = 0.0;
    let mut upper = 0.0;
    for (x, &p) in left.iter().enumerate() {
        if p == 0.0 {
            continue;
        }
        let rest = t - x as i64;
        lower += p * right.at_most(rest);
        upper += p * right.at_least(rest);
    }
    (lower, upper)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn brute_force(matrix: &ScoreMatrix, assessed: usize) -> (f64, f64) {
        let mut pmf = vec![1.0];
        for i in 0..matrix.size() {
            if i == assessed || matrix.get(i, assessed).is_none() {
                continue;
            }
            if let Some(d) = AssessorDistribution::of(matrix, i) {
                pmf = convolve(&pmf, &d.probabilities);
            }
        }
        let observed: u32 = (0..matrix.size())
            .filter_map(|i| matrix.get(i, assessed))
            .sum();
        let c = Cumulative::of(&pmf);
        (
            c.at_most(i64::from(observed)),
            c.at_least(i64::from(observed)),
        )
    }

    #[test]
    fn leave_one_out_by_prefix_and_suffix_equals_direct_convolution() {
        let size = 7;
        let mut matrix = ScoreMatrix::new(size);
        for i in 0..size {
            for j in 0..size {
                matrix.set(i, j, Some(((i * 3 + j * 5) % 4) as u32));
            }
        }
        // One pupil gave nothing (did not take part) and one answer is missing.
        for j in 0..size {
            matrix.set(6, j, None);
        }
        matrix.set(2, 4, None);
        let tests = test_received_scores(&matrix);
        for (assessed, test) in tests.iter().enumerate() {
            let (lower, upper) = brute_force(&matrix, assessed);
            assert!((test.lower_tail - lower).abs() < 1e-12, "pupil {assessed}");
            assert!((test.upper_tail - upper).abs() < 1e-12, "pupil {assessed}");
        }
        assert_eq!(tests[4].assessors, 4);
        assert_eq!(tests[6].assessors, 6);
    }
}
