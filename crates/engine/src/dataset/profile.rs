//! Per-class sizes of the long-tailed benchmark splits (methods-spec §C.2–C.4).
//!
//! Class 0 is the largest. Everything is computed in f64 through [`crate::math`] so that the counts
//! equal the reference code's exactly (an f32 power can land one below an integer and truncate wrong).
//! Tested against `tools/fixtures/datasets.py`, which re-implements the reference formulas in Python.

use crate::math;

/// Exponential long tail (Cui et al. 2019; Cao et al. 2019; Menon et al. 2021 "Exp"):
/// `n_i = int(n_max · (1/ρ)^(i/(K−1)))`, written as `kaidic/LDAM-DRW`
/// `imbalance_cifar.py::get_img_num_per_cls` writes it (`img_max * imb_factor**(cls_idx/(cls_num−1))`,
/// `imb_factor = 1/ρ`), so that the last bit, and therefore the truncation, agrees.
/// `classes` must be at least 2 and `rho` at least 1 (checked by the caller).
pub fn exponential(n_max: usize, rho: f64, classes: usize) -> Vec<usize> {
    let imb_factor = 1.0 / rho;
    let last = (classes - 1) as f64;
    (0..classes)
        .map(|i| (n_max as f64 * math::pow(imb_factor, i as f64 / last)) as usize)
        .collect()
}

/// Step profile (Buda et al. 2018 §3.1; Cao et al. 2019): `round(µ·K)` minority classes with
/// `int(n_max · (1/ρ))` samples each (Cao's `int(img_max * imb_factor)`), the rest `n_max`.
/// Workbench rule: the minority classes are the **last** ones (Cao's `'step'` code), so that class 0 is
/// always the largest as in the other profiles. Rounding is half away from zero.
pub fn step(n_max: usize, rho: f64, mu: f64, classes: usize) -> Vec<usize> {
    let minority_classes = step_minority_classes(mu, classes);
    let n_min = (n_max as f64 * (1.0 / rho)) as usize;
    (0..classes)
        .map(|i| {
            if i >= classes - minority_classes {
                n_min
            } else {
                n_max
            }
        })
        .collect()
}

/// How many classes the step profile makes minority: `round(µ·K)`, half away from zero.
pub fn step_minority_classes(mu: f64, classes: usize) -> usize {
    (mu * classes as f64).round() as usize
}

/// Linear profile (Buda et al. 2018 §3.1). The paper leaves rounding open; workbench rule
/// (methods-spec §C.4): `n_i = round(n_max − i·(n_max − n_min)/(K−1))` with
/// `n_min = max(1, round(n_max/ρ))`, rounding half away from zero.
pub fn linear(n_max: usize, rho: f64, classes: usize) -> Vec<usize> {
    let n_min = (n_max as f64 / rho).round().max(1.0);
    let top = n_max as f64;
    let span = top - n_min;
    let last = (classes - 1) as f64;
    // `i·(n_max − n_min)` is an exact integer product; dividing last keeps one rounding, as the formula reads.
    (0..classes)
        .map(|i| (top - i as f64 * span / last).round() as usize)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cifar10_lt_counts_match_the_spec() {
        assert_eq!(
            exponential(5000, 100.0, 10),
            [5000, 2997, 1796, 1077, 645, 387, 232, 139, 83, 50]
        );
        assert_eq!(exponential(500, 100.0, 100).iter().sum::<usize>(), 10_847);
    }

    #[test]
    fn step_puts_minority_last() {
        assert_eq!(step(100, 10.0, 0.5, 4), [100, 100, 10, 10]);
        assert_eq!(step(100, 10.0, 0.5, 3), [100, 10, 10]);
    }

    #[test]
    fn linear_has_constant_difference() {
        assert_eq!(linear(100, 10.0, 4), [100, 70, 40, 10]);
        assert_eq!(linear(3, 5000.0, 3), [3, 2, 1]);
    }
}
