//! Exact null distributions of received scores, and how a pupil's total compares with them.
//!
//! The model is SSrat's (Maassen & Landsheer 1998; R package SSrat 1.1, described in its
//! `calcgroup` documentation and pinned down here by reproducing SSrat's own output):
//! under the null hypothesis every assessor hands out the scores they actually gave, but to
//! classmates at random. So the score assessor `i` gives to a given classmate is a draw from
//! `i`'s own empirical distribution of scores over everyone `i` assessed, and a pupil's
//! total is the sum of independent draws, one per assessor who assessed that pupil. Its
//! distribution is the exact convolution of the per-assessor distributions (for 0/1
//! nominations this is the Poisson-binomial distribution with `p_i` = nominations given by
//! `i` / classmates `i` could nominate). No normal approximation anywhere.
//!
//! The assessor's distribution includes the score they gave the pupil being tested: leaving
//! it out does not reproduce SSrat's output for its example 1, including it does (checked on
//! both examples at three alphas). An assessor who skipped a pupil is left out of that
//! pupil's distribution; their distribution is over the scores they did give.

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

    /// The scores `assessor` gave, indexed by the assessed pupil (the self-score is always `None`).
    pub fn row(&self, assessor: usize) -> &[Option<u32>] {
        self.cells
            .get(assessor * self.size..(assessor + 1) * self.size)
            .unwrap_or(&[])
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
    /// The tail probabilities, when the criteria needed them (SSrat's criteria only compare
    /// sympathy and antipathy with their expectations, so their tails are not computed).
    pub tails: Option<Tails>,
}

/// Tail probabilities of an observed total under its null distribution.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Tails {
    /// P(X <= observed).
    pub lower: f64,
    /// P(X >= observed).
    pub upper: f64,
}

impl ScoreTest {
    /// Observed compared with expected, exactly (a count can equal its expectation).
    pub fn versus_expected(&self) -> Ordering {
        self.expected.observed_versus(self.observed)
    }

    /// Upper tail at or below `alpha`: significantly high.
    pub fn significantly_high(&self, alpha: f64) -> bool {
        self.tails.is_some_and(|t| at_most(t.upper, alpha))
    }

    /// Lower tail at or below `alpha`: significantly low.
    pub fn significantly_low(&self, alpha: f64) -> bool {
        self.tails.is_some_and(|t| at_most(t.lower, alpha))
    }
}

// Tail probabilities are sums of floating-point products; a tail that equals alpha in exact
// arithmetic must not be lost to rounding in the last bits, hence the relative tolerance.
fn at_most(probability: f64, alpha: f64) -> bool {
    probability <= alpha * (1.0 + 1e-9)
}

/// One assessor's scores: sum and count (for the expectation) and, when tails are needed,
/// where their empirical distribution (`P(score = v)` at index `v`) lies in the flat buffer.
#[derive(Debug, Clone, Copy)]
struct AssessorDistribution {
    sum: u64,
    count: u64,
    pmf: (usize, usize),
}

impl AssessorDistribution {
    fn of(
        row: &[Option<u32>],
        transform: impl Fn(u32) -> u32,
        pmfs: Option<&mut Vec<f64>>,
    ) -> AssessorDistribution {
        // Scores are small (a rating scale has at most 9 points), so count them on the stack
        // and fall back to a vector only for unusually large scores.
        let mut small = [0u64; 16];
        let mut large: Vec<u64> = Vec::new();
        let (mut sum, mut count, mut max) = (0u64, 0u64, 0usize);
        for &score in row.iter().flatten() {
            let score = transform(score);
            sum += u64::from(score);
            count += 1;
            if pmfs.is_none() {
                continue;
            }
            let index = score as usize;
            max = max.max(index);
            match small.get_mut(index) {
                Some(slot) => *slot += 1,
                None => {
                    if large.len() <= index {
                        large.resize(index + 1, 0);
                    }
                    if let Some(slot) = large.get_mut(index) {
                        *slot += 1;
                    }
                }
            }
        }
        let mut range = (0, 0);
        if let (Some(pmfs), true) = (pmfs, count > 0) {
            let start = pmfs.len();
            let counts =
                |v: usize| small.get(v).copied().unwrap_or(0) + large.get(v).copied().unwrap_or(0);
            pmfs.extend((0..=max).map(|v| counts(v) as f64 / count as f64));
            range = (start, pmfs.len());
        }
        AssessorDistribution {
            sum,
            count,
            pmf: range,
        }
    }
}

fn convolve(left: &[f64], right: &[f64]) -> Vec<f64> {
    // Loop over the short operand outside and the long one inside: the inner loop is then a
    // plain multiply-add over two slices, which the compiler vectorises.
    let (long, short) = if left.len() >= right.len() {
        (left, right)
    } else {
        (right, left)
    };
    let mut out = vec![0.0; long.len() + short.len() - 1];
    for (shift, &weight) in short.iter().enumerate() {
        if weight == 0.0 {
            continue;
        }
        if let Some(window) = out.get_mut(shift..shift + long.len()) {
            for (slot, &p) in window.iter_mut().zip(long) {
                *slot += p * weight;
            }
        }
    }
    out
}

/// Appends the running sums of `pmf` from the left (`P(X <= x)`) to `at_most`.
fn append_cumulative(pmf: &[f64], at_most: &mut Vec<f64>) {
    let mut running = 0.0;
    at_most.extend(pmf.iter().map(|&p| {
        running += p;
        running
    }));
}

/// `out` = `left` * `right` (convolution); `out` must hold `left.len() + right.len() - 1` zeros.
fn convolve_into(left: &[f64], right: &[f64], out: &mut [f64]) {
    let (long, short) = if left.len() >= right.len() {
        (left, right)
    } else {
        (right, left)
    };
    for (shift, &weight) in short.iter().enumerate() {
        if weight == 0.0 {
            continue;
        }
        if let Some(window) = out.get_mut(shift..shift + long.len()) {
            for (slot, &p) in window.iter_mut().zip(long) {
                *slot += p * weight;
            }
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
    received_scores(matrix, |score| score, Need::Tails)
}

/// Totals and exact expectations only, without the (costlier) tail probabilities.
pub fn expected_received_scores(matrix: &ScoreMatrix) -> Vec<ScoreTest> {
    received_scores(matrix, |score| score, Need::ExpectationOnly)
}

/// Whether the tail probabilities are needed or only the expectation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Need {
    Tails,
    ExpectationOnly,
}

/// Tests the received totals of `transform(score)` for every score in `matrix` (so sympathy,
/// antipathy, preference and impact all come from one rating matrix without copies of it).
pub(crate) fn received_scores(
    matrix: &ScoreMatrix,
    transform: impl Fn(u32) -> u32 + Copy,
    need: Need,
) -> Vec<ScoreTest> {
    let size = matrix.size();
    let with_tails = need == Need::Tails;
    // Everything lives in a few flat buffers with (start, end) ranges: a class needs hundreds
    // of short distributions, and allocating each one separately would cost more than the
    // arithmetic.
    let mut given: Vec<AssessorDistribution> = Vec::with_capacity(size);
    let mut pmfs: Vec<f64> = Vec::with_capacity(size * 8);
    for i in 0..size {
        given.push(AssessorDistribution::of(
            matrix.row(i),
            transform,
            with_tails.then_some(&mut pmfs),
        ));
    }
    let mut assessors: Vec<usize> = Vec::with_capacity(size);
    assessors.extend((0..size).filter(|&i| given.get(i).is_some_and(|d| d.count > 0)));
    let count = assessors.len();
    let pmf_of = |k: usize| {
        assessors
            .get(k)
            .and_then(|&i| given.get(i))
            .and_then(|d| pmfs.get(d.pmf.0..d.pmf.1))
            .unwrap_or(&[1.0][..])
    };

    // prefix k = convolution of assessors[0..k]; suffix k = of assessors[k..], kept only as
    // its cumulative sums (that is all the tails need).
    // Sizes are known up front (each convolution adds len - 1), so reserve once.
    // Prefix k has length 1 + Σ_{j<k} (len_j − 1), suffix k 1 + Σ_{j>=k} (len_j − 1).
    let (prefix_total, suffix_total, full_length) = if with_tails {
        let growth: Vec<usize> = (0..count).map(|k| pmf_of(k).len() - 1).collect();
        let full = 1 + growth.iter().sum::<usize>();
        let mut prefix_total = 1;
        let mut length = 1;
        for g in &growth {
            length += g;
            prefix_total += length;
        }
        let mut suffix_total = 1;
        let mut length = 1;
        for g in growth.iter().rev() {
            length += g;
            suffix_total += length;
        }
        (prefix_total, suffix_total, full)
    } else {
        (0, 0, 0)
    };
    let mut prefix: Vec<f64> = Vec::with_capacity(prefix_total);
    prefix.push(1.0);
    let mut prefix_ranges: Vec<(usize, usize)> = Vec::with_capacity(count + 1);
    prefix_ranges.push((0, 1));
    let mut suffix_at_most: Vec<f64> = Vec::with_capacity(suffix_total);
    let mut suffix_ranges: Vec<(usize, usize)> = vec![(0, 0); count + 1];
    if with_tails {
        for k in 0..count {
            let (start, end) = prefix_ranges.last().copied().unwrap_or((0, 1));
            let right = pmf_of(k);
            let new_start = prefix.len();
            let new_len = (end - start) + right.len() - 1;
            prefix.resize(new_start + new_len, 0.0);
            let (old, new) = prefix.split_at_mut(new_start);
            if let Some(left) = old.get(start..end) {
                convolve_into(left, right, new);
            }
            prefix_ranges.push((new_start, new_start + new_len));
        }
        let mut running: Vec<f64> = Vec::with_capacity(full_length);
        running.push(1.0);
        let mut scratch: Vec<f64> = Vec::with_capacity(full_length);
        let mut record = |k: usize, pmf: &[f64], at_most: &mut Vec<f64>| {
            let start = at_most.len();
            append_cumulative(pmf, at_most);
            if let Some(slot) = suffix_ranges.get_mut(k) {
                *slot = (start, at_most.len());
            }
        };
        record(count, &running, &mut suffix_at_most);
        for k in (0..count).rev() {
            let left = pmf_of(k);
            scratch.clear();
            scratch.resize(running.len() + left.len() - 1, 0.0);
            convolve_into(left, &running, &mut scratch);
            std::mem::swap(&mut running, &mut scratch);
            record(k, &running, &mut suffix_at_most);
        }
    }

    // One pass over the rows gives every pupil's total and number of assessors.
    let mut observed_of = vec![0u32; size];
    let mut scoring_of = vec![0usize; size];
    for &i in &assessors {
        for ((cell, observed), scoring) in matrix
            .row(i)
            .iter()
            .zip(observed_of.iter_mut())
            .zip(scoring_of.iter_mut())
        {
            if let Some(score) = cell {
                *observed += transform(*score);
                *scoring += 1;
            }
        }
    }
    // When every assessor scored the same number of classmates (no missing answers), a
    // pupil's expectation is the class total minus their own share, over that one denominator.
    let first_count = assessors
        .first()
        .and_then(|&i| given.get(i))
        .map_or(0, |d| d.count);
    let uniform = assessors
        .iter()
        .all(|&i| given.get(i).is_some_and(|d| d.count == first_count));
    let total_sum: u64 = assessors
        .iter()
        .filter_map(|&i| given.get(i))
        .map(|d| d.sum)
        .sum();

    (0..size)
        .map(|assessed| {
            let observed = observed_of.get(assessed).copied().unwrap_or(0);
            let scoring = scoring_of.get(assessed).copied().unwrap_or(0);
            let own = given.get(assessed).filter(|d| d.count > 0);
            let self_is_assessor = own.is_some();
            let every_other_assessor_scored = scoring + usize::from(self_is_assessor) == count;
            let tails = if !with_tails {
                None
            } else if every_other_assessor_scored {
                // Leave out this pupil's own distribution (or nobody's, if they gave none).
                let split = if self_is_assessor {
                    assessors.partition_point(|&i| i < assessed)
                } else {
                    count
                };
                let skip = usize::from(self_is_assessor);
                let left = prefix_ranges
                    .get(split)
                    .and_then(|&(a, b)| prefix.get(a..b));
                let right = suffix_ranges
                    .get(split + skip)
                    .and_then(|&(a, b)| suffix_at_most.get(a..b));
                match (left, right) {
                    (Some(left), Some(at_most)) => Some(tails_of_sum(left, at_most, observed)),
                    _ => None,
                }
            } else {
                // Some assessor skipped this pupil: convolve the ones who did.
                let pmf = assessors
                    .iter()
                    .filter(|&&i| i != assessed && matrix.get(i, assessed).is_some())
                    .filter_map(|&i| given.get(i).and_then(|d| pmfs.get(d.pmf.0..d.pmf.1)))
                    .fold(vec![1.0], |acc, d| convolve(&acc, d));
                let mut at_most = Vec::new();
                append_cumulative(&pmf, &mut at_most);
                Some(tails_of_sum(&[1.0], &at_most, observed))
            };
            ScoreTest {
                observed,
                assessors: scoring,
                expected: if every_other_assessor_scored && uniform {
                    Expectation::fraction(
                        i128::from(total_sum - own.map_or(0, |d| d.sum)),
                        i128::from(first_count),
                    )
                } else {
                    let mut means = MeanSum::default();
                    for &i in &assessors {
                        if let (true, Some(d)) = (
                            i != assessed && matrix.get(i, assessed).is_some(),
                            given.get(i),
                        ) {
                            means.add(d.sum, d.count);
                        }
                    }
                    means.total()
                },
                tails: tails.map(|(lower, upper)| Tails {
                    lower: lower.min(1.0),
                    upper: upper.min(1.0),
                }),
            }
        })
        .collect()
}

/// Σ sum_i / count_i, with sums of equal denominators added as integers first (in a class
/// nearly every assessor scored the same number of classmates).
#[derive(Debug, Default)]
struct MeanSum {
    first: Option<(u64, u64)>,
    others: Vec<(u64, u64)>,
}

impl MeanSum {
    fn add(&mut self, sum: u64, count: u64) {
        match &mut self.first {
            None => self.first = Some((sum, count)),
            Some((total, c)) if *c == count => *total += sum,
            Some(_) => self.others.push((sum, count)),
        }
    }

    fn total(self) -> Expectation {
        Expectation::sum_of_means(self.first.into_iter().chain(self.others))
    }
}

/// P(X + Y <= t) and P(X + Y >= t) for independent X (pmf `left`) and Y (cumulative sums
/// `at_most`, `at_most[y]` = P(Y <= y)).
///
/// The upper tail is 1 − P(X + Y <= t − 1): exact up to rounding in the last bits, which
/// is far below any significance level. The lower tail is one dot product over the range
/// where the cumulative sums are not simply 0 or 1, so the inner loop vectorises: this is the
/// hot loop of a whole class's analysis.
fn tails_of_sum(left: &[f64], at_most: &[f64], observed: u32) -> (f64, f64) {
    let lower = lower_tail_of_sum(left, at_most, observed);
    let upper = if observed == 0 {
        1.0
    } else {
        (1.0 - lower_tail_of_sum(left, at_most, observed - 1)).max(0.0)
    };
    (lower, upper)
}

fn lower_tail_of_sum(left: &[f64], at_most: &[f64], observed: u32) -> f64 {
    let t = observed as usize;
    let l = left.len();
    let n = at_most.len();
    if n == 0 {
        return 1.0;
    }
    let total_right = at_most.get(n - 1).copied().unwrap_or(1.0);
    // P(Y <= t - x) is the whole of Y for x <= t - (n - 1), a partial sum for
    // t - (n - 1) < x <= t, and nothing beyond t.
    let full_end = l.min((t + 2).saturating_sub(n));
    let partial_end = l.min(t + 1);
    let mut lower: f64 = left
        .get(..full_end)
        .map_or(0.0, |xs| xs.iter().sum::<f64>())
        * total_right;
    if full_end < partial_end {
        // x in full_end..partial_end pairs with t - x in (t - partial_end + 1)..=(t - full_end).
        if let (Some(xs), Some(ys)) = (
            left.get(full_end..partial_end),
            at_most.get(t + 1 - partial_end..=t - full_end),
        ) {
            lower += xs
                .iter()
                .zip(ys.iter().rev())
                .map(|(a, b)| a * b)
                .sum::<f64>();
        }
    }
    lower
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
            let mut own = Vec::new();
            let d = AssessorDistribution::of(matrix.row(i), |score| score, Some(&mut own));
            if d.count > 0 {
                pmf = convolve(&pmf, &own);
            }
        }
        let observed = (0..matrix.size())
            .filter_map(|i| matrix.get(i, assessed))
            .sum::<u32>() as usize;
        let lower = pmf.iter().take(observed + 1).sum();
        let upper = pmf.iter().skip(observed).sum();
        (lower, upper)
    }

    #[test]
    fn tails_of_a_sum_equal_the_naive_double_loop_for_every_observed_total() {
        let left = [0.1, 0.0, 0.3, 0.6];
        for right_pmf in [
            vec![1.0],
            vec![0.5, 0.5],
            vec![0.2, 0.3, 0.1, 0.0, 0.4, 0.0, 0.0],
        ] {
            let mut at_most = Vec::new();
            append_cumulative(&right_pmf, &mut at_most);
            for t in 0..(left.len() + right_pmf.len() + 3) as u32 {
                let (mut lower, mut upper) = (0.0, 0.0);
                for (x, p) in left.iter().enumerate() {
                    for (y, q) in right_pmf.iter().enumerate() {
                        if x + y <= t as usize {
                            lower += p * q;
                        }
                        if x + y >= t as usize {
                            upper += p * q;
                        }
                    }
                }
                let (fast_lower, fast_upper) = tails_of_sum(&left, &at_most, t);
                assert!(
                    (fast_lower - lower).abs() < 1e-12,
                    "lower, t = {t}, {right_pmf:?}"
                );
                assert!(
                    (fast_upper - upper).abs() < 1e-12,
                    "upper, t = {t}, {right_pmf:?}"
                );
            }
        }
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
            let tails = test.tails.unwrap();
            assert!((tails.lower - lower).abs() < 1e-12, "pupil {assessed}");
            assert!((tails.upper - upper).abs() < 1e-12, "pupil {assessed}");
        }
        assert_eq!(tests[4].assessors, 4);
        assert_eq!(tests[6].assessors, 6);
    }
}
