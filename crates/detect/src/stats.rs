//! The exact tests the detectors use: the one-sided binomial tail and Holm's correction.

/// ln(n!) exactly by summation for small n, by Stirling's series beyond (error < 1e-10).
fn ln_factorial(n: u64) -> f64 {
    if n < 256 {
        (2..=n).map(|k| (k as f64).ln()).sum()
    } else {
        let x = n as f64 + 1.0;
        // ln Γ(x) by Stirling's series.
        (x - 0.5) * x.ln() - x + 0.5 * (2.0 * std::f64::consts::PI).ln() + 1.0 / (12.0 * x)
            - 1.0 / (360.0 * x.powi(3))
            + 1.0 / (1260.0 * x.powi(5))
    }
}

/// P(X <= k) for X ~ Binomial(n, p): the lower tail, exact up to floating point.
pub fn binomial_lower_tail(k: u64, n: u64, p: f64) -> f64 {
    if k >= n || p <= 0.0 {
        return 1.0;
    }
    if p >= 1.0 {
        return 0.0;
    }
    let ln_n = ln_factorial(n);
    let (ln_p, ln_q) = (p.ln(), (1.0 - p).ln());
    let terms: Vec<f64> = (0..=k)
        .map(|i| {
            ln_n - ln_factorial(i) - ln_factorial(n - i) + i as f64 * ln_p + (n - i) as f64 * ln_q
        })
        .collect();
    let max = terms.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let sum: f64 = terms.iter().map(|t| (t - max).exp()).sum();
    (max + sum.ln()).exp().min(1.0)
}

/// Holm's step-down adjusted p-values, in the order given.
pub fn holm(p_values: &[f64]) -> Vec<f64> {
    let m = p_values.len();
    let mut order: Vec<usize> = (0..m).collect();
    order.sort_by(|a, b| p_values[*a].total_cmp(&p_values[*b]));
    let mut adjusted = vec![1.0; m];
    let mut running_max: f64 = 0.0;
    for (rank, index) in order.into_iter().enumerate() {
        let value = ((m - rank) as f64 * p_values[index]).min(1.0);
        running_max = running_max.max(value);
        adjusted[index] = running_max;
    }
    adjusted
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn binomial_tail_matches_known_values() {
        // R: pbinom(2, 10, 0.5) = 0.0546875
        assert!((binomial_lower_tail(2, 10, 0.5) - 0.0546875).abs() < 1e-12);
        // Exact sum with integers: P(X <= 3 | 25, 0.6) = 9.543127610398e-07
        let p = binomial_lower_tail(3, 25, 0.6);
        assert!((p - 9.543_127_610_398e-7).abs() < 1e-15, "{p}");
        // Large n stays finite and sensible: P(X <= 4900 | 10000, 0.5) = 0.0232927638 (exact)
        let p = binomial_lower_tail(4900, 10_000, 0.5);
        assert!((p - 0.023_292_763_8).abs() < 1e-8, "{p}");
        assert_eq!(binomial_lower_tail(10, 10, 0.3), 1.0);
    }

    #[test]
    fn holm_adjusts_step_down_and_monotone() {
        let adjusted = holm(&[0.01, 0.04, 0.03, 0.5]);
        assert_eq!(adjusted, vec![0.04, 0.09, 0.09, 0.5]);
    }
}
