//! Expected totals as exact fractions.
//!
//! A received count can equal its expectation exactly (for example one negative nomination
//! when the class gave exactly N-1 of them), and then neither "more than expected" nor "less
//! than expected" holds. Floating point would turn that tie into a coin flip, so expectations
//! are kept as fractions and compared with integers exactly.

use std::cmp::Ordering;

/// An expected total: a fraction `numerator / denominator` with a positive denominator
/// (not necessarily reduced; equality compares values).
#[derive(Debug, Clone, Copy)]
pub struct Expectation {
    numerator: i128,
    denominator: i128,
}

fn gcd(mut a: i128, mut b: i128) -> i128 {
    a = a.abs();
    b = b.abs();
    while b != 0 {
        let r = a % b;
        a = b;
        b = r;
    }
    a.max(1)
}

impl PartialEq for Expectation {
    fn eq(&self, other: &Expectation) -> bool {
        self.numerator * other.denominator == other.numerator * self.denominator
    }
}

impl Eq for Expectation {}

// Reducing costs a gcd (slow on i128); it is only worth it once the numbers grow.
const REDUCE_ABOVE: i128 = 1 << 62;

impl Expectation {
    /// Zero.
    pub const ZERO: Expectation = Expectation {
        numerator: 0,
        denominator: 1,
    };

    /// `numerator / denominator` (a zero denominator counts as zero).
    pub fn fraction(numerator: i128, denominator: i128) -> Expectation {
        if denominator == 0 {
            return Expectation::ZERO;
        }
        let sign = if denominator < 0 { -1 } else { 1 };
        if numerator.abs() < REDUCE_ABOVE && denominator.abs() < REDUCE_ABOVE {
            return Expectation {
                numerator: sign * numerator,
                denominator: sign * denominator,
            };
        }
        let g = gcd(numerator, denominator);
        Expectation {
            numerator: sign * numerator / g,
            denominator: sign * denominator / g,
        }
    }

    /// Σ sum_i / count_i over `(sum, count)` pairs: the expected total when assessor `i` gives a
    /// random one of their own scores.
    pub fn sum_of_means(parts: impl IntoIterator<Item = (u64, u64)>) -> Expectation {
        parts
            .into_iter()
            .fold(Expectation::ZERO, |total, (sum, count)| {
                total.plus(Expectation::fraction(i128::from(sum), i128::from(count)))
            })
    }

    /// Exact sum. Classes have at most a few dozen distinct denominators (numbers of
    /// classmates assessed), so i128 does not overflow in practice; if it would, the sum is
    /// rounded to a denominator of 10^18, which still decides every comparison with an integer
    /// count that is not within 10^-18 of the expectation.
    pub fn plus(self, other: Expectation) -> Expectation {
        if self.denominator == other.denominator {
            if let Some(numerator) = self.numerator.checked_add(other.numerator) {
                return Expectation::fraction(numerator, self.denominator);
            }
        }
        if self.numerator == 0 {
            return other;
        }
        if other.numerator == 0 {
            return self;
        }
        let g = gcd(self.denominator, other.denominator);
        let exact = (|| {
            let left = self.numerator.checked_mul(other.denominator / g)?;
            let right = other.numerator.checked_mul(self.denominator / g)?;
            let denominator = (self.denominator / g).checked_mul(other.denominator)?;
            Some(Expectation::fraction(left.checked_add(right)?, denominator))
        })();
        exact.unwrap_or_else(|| {
            let scale = 1_000_000_000_000_000_000i128;
            let value = self.value() + other.value();
            Expectation::fraction((value * scale as f64).round() as i128, scale)
        })
    }

    /// The expectation as a decimal number (for display).
    pub fn value(self) -> f64 {
        self.numerator as f64 / self.denominator as f64
    }

    /// How an observed integer count compares with this expectation, exactly.
    pub fn observed_versus(self, observed: u32) -> Ordering {
        (i128::from(observed) * self.denominator).cmp(&self.numerator)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nine_assessors_giving_one_negative_nomination_each_expect_exactly_one() {
        // Ten pupils, each of the nine assessors named one of their nine classmates.
        let expected = Expectation::sum_of_means((0..9).map(|_| (1, 9)));
        assert_eq!(expected.observed_versus(1), Ordering::Equal);
        assert_eq!(expected.observed_versus(0), Ordering::Less);
        assert_eq!(expected.observed_versus(2), Ordering::Greater);
    }

    #[test]
    fn fractions_with_different_denominators_add_exactly() {
        let e = Expectation::fraction(1, 3).plus(Expectation::fraction(1, 6));
        assert_eq!(e, Expectation::fraction(1, 2));
        assert_eq!(
            Expectation::fraction(2, 3)
                .plus(Expectation::fraction(1, 3))
                .observed_versus(1),
            Ordering::Equal
        );
    }
}
