//! Disparity between classes' accuracies (per-class recall), the fairness literature's group gap
//! with classes as groups: max − min gap, min/max ratio (the "disparate impact" ratio form), the
//! population standard deviation across classes, and the worst class (Wu et al., CVPR 2021, and Xu
//! et al., "To be Robust or to be Fair", ICML 2021, report the worst-class robust accuracy).
//! Classes absent from the test split (recall undefined) are left out.

use serde::{Deserialize, Serialize};

/// `None` where undefined (no class present; the ratio when every recall is 0).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Disparity {
    /// `max_c r_c − min_c r_c`.
    pub gap: Option<f64>,
    /// `min_c r_c / max_c r_c` (1: parity).
    pub ratio: Option<f64>,
    /// `sqrt(mean_c (r_c − r̄)²)` (ddof 0, as `numpy.std`).
    pub std_dev: Option<f64>,
    /// The class with the lowest recall (lowest index on a tie) and that recall.
    pub worst_class: Option<usize>,
    pub worst_accuracy: Option<f64>,
}

impl Disparity {
    /// The measures of per-class recalls (`None`: class absent).
    pub fn of(recalls: &[Option<f64>]) -> Self {
        let present: Vec<(usize, f64)> = recalls
            .iter()
            .enumerate()
            .filter_map(|(c, r)| r.map(|r| (c, r)))
            .collect();
        if present.is_empty() {
            return Disparity::default();
        }
        let (mut worst, mut max) = (present[0], present[0].1);
        for &(c, r) in &present[1..] {
            if r < worst.1 {
                worst = (c, r);
            }
            max = max.max(r);
        }
        let m = present.len() as f64;
        let mean = present.iter().map(|p| p.1).sum::<f64>() / m;
        let var = present
            .iter()
            .map(|p| (p.1 - mean) * (p.1 - mean))
            .sum::<f64>()
            / m;
        Disparity {
            gap: Some(max - worst.1),
            ratio: (max > 0.0).then(|| worst.1 / max),
            std_dev: Some(var.sqrt()),
            worst_class: Some(worst.0),
            worst_accuracy: Some(worst.1),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn measures_of_known_recalls() {
        // numpy: r = [0.9, 0.5, 0.7]; np.ptp(r) = 0.4, min/max = 5/9, np.std(r) = 0.163299316...
        let d = Disparity::of(&[Some(0.9), Some(0.5), None, Some(0.7)]);
        assert!((d.gap.unwrap() - 0.4).abs() < 1e-12);
        assert!((d.ratio.unwrap() - 5.0 / 9.0).abs() < 1e-12);
        assert!((d.std_dev.unwrap() - 0.163_299_316_185_545_2).abs() < 1e-12);
        assert_eq!(d.worst_class, Some(1));
        assert_eq!(d.worst_accuracy, Some(0.5));
        let zero = Disparity::of(&[Some(0.0), Some(0.0)]);
        assert_eq!(zero.ratio, None);
        assert_eq!(zero.gap, Some(0.0));
        assert_eq!(Disparity::of(&[None]), Disparity::default());
    }
}
