//! The neural-collapse measures of each epoch (`EpochRecord::collapse`, computed by the engine on
//! the original training split) as the curves the panel draws: NC1, the NC2 family and NC3 on one
//! logarithmic axis (they all tend to 0 and span decades as training enters its terminal phase,
//! which is how Papyan, Han & Donoho 2020 plot them), and the minority-collapse angles (degrees,
//! Fang et al. 2021) on their own linear axis.

use imlab_engine::experiment::EpochRecord;
use imlab_engine::representation::CollapseMeasures;

/// Which measure a curve shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CollapseCurve {
    Nc1,
    EquinormMeans,
    EquinormClassifiers,
    EquiangularMeans,
    EquiangularClassifiers,
    EtfDistanceMeans,
    EtfDistanceClassifiers,
    Nc3,
}

impl CollapseCurve {
    /// In drawing order (the headline NC1 and NC3 last, on top).
    pub const ALL: [CollapseCurve; 8] = [
        CollapseCurve::EquinormMeans,
        CollapseCurve::EquinormClassifiers,
        CollapseCurve::EquiangularMeans,
        CollapseCurve::EquiangularClassifiers,
        CollapseCurve::EtfDistanceMeans,
        CollapseCurve::EtfDistanceClassifiers,
        CollapseCurve::Nc3,
        CollapseCurve::Nc1,
    ];

    pub fn label(self) -> &'static str {
        match self {
            CollapseCurve::Nc1 => "NC1 within/between variability",
            CollapseCurve::EquinormMeans => "NC2 equinorm, means",
            CollapseCurve::EquinormClassifiers => "NC2 equinorm, classifiers",
            CollapseCurve::EquiangularMeans => "NC2 equiangularity, means",
            CollapseCurve::EquiangularClassifiers => "NC2 equiangularity, classifiers",
            CollapseCurve::EtfDistanceMeans => "NC2 distance to ETF, means",
            CollapseCurve::EtfDistanceClassifiers => "NC2 distance to ETF, classifiers",
            CollapseCurve::Nc3 => "NC3 self-duality",
        }
    }

    /// Dashed lines are the classifier-vector twins of the class-mean measures.
    pub fn dashed(self) -> bool {
        matches!(
            self,
            CollapseCurve::EquinormClassifiers
                | CollapseCurve::EquiangularClassifiers
                | CollapseCurve::EtfDistanceClassifiers
        )
    }

    fn of(self, m: &CollapseMeasures) -> Option<f64> {
        match self {
            CollapseCurve::Nc1 => m.nc1,
            CollapseCurve::EquinormMeans => m.equinorm_means,
            CollapseCurve::EquinormClassifiers => m.equinorm_classifiers,
            CollapseCurve::EquiangularMeans => m.equiangular_means,
            CollapseCurve::EquiangularClassifiers => m.equiangular_classifiers,
            CollapseCurve::EtfDistanceMeans => m.etf_distance_means,
            CollapseCurve::EtfDistanceClassifiers => m.etf_distance_classifiers,
            CollapseCurve::Nc3 => m.nc3,
        }
    }

    /// `(epoch, value)` for every epoch where the measure is defined and finite.
    pub fn points(self, history: &[EpochRecord]) -> Vec<(f64, f64)> {
        history
            .iter()
            .filter_map(|r| {
                let v = self.of(r.collapse.as_ref()?)?;
                v.is_finite().then_some((r.epoch as f64, v))
            })
            .collect()
    }
}

/// The minority-collapse angles, classifiers' and feature means', per epoch.
pub fn minority_angles(history: &[EpochRecord]) -> [Vec<(f64, f64)>; 2] {
    let pick = |f: fn(&CollapseMeasures) -> Option<f64>| {
        history
            .iter()
            .filter_map(|r| {
                let v = f(r.collapse.as_ref()?)?;
                v.is_finite().then_some((r.epoch as f64, v))
            })
            .collect()
    };
    [
        pick(|m| m.minority_angle_classifiers),
        pick(|m| m.minority_angle_means),
    ]
}

/// Whether any epoch has any measure: otherwise the panel says there are none yet.
pub fn any_measure(history: &[EpochRecord]) -> bool {
    CollapseCurve::ALL
        .iter()
        .any(|c| !c.points(history).is_empty())
        || minority_angles(history).iter().any(|a| !a.is_empty())
}

/// The read-out of the latest epoch's minority angle.
pub fn minority_angle_text(history: &[EpochRecord]) -> String {
    let Some(m) = history.iter().rev().find_map(|r| r.collapse.as_ref()) else {
        return "minority angle: no measures yet".to_string();
    };
    let deg = |v: Option<f64>| v.filter(|v| v.is_finite()).map(|v| format!("{v:.1}°"));
    match (
        deg(m.minority_angle_classifiers),
        deg(m.minority_angle_means),
    ) {
        (Some(c), Some(f)) => format!("minority angle {c} (classifiers), {f} (feature means)"),
        (Some(c), None) => format!("minority angle {c} (classifiers)"),
        (None, Some(f)) => format!("minority angle {f} (feature means)"),
        (None, None) => "minority angle undefined (it needs two minority classes)".to_string(),
    }
}

/// Decades `[lo, hi]` (powers of ten) covering every positive value; values at or below 0 are
/// drawn at the floor `10^lo` (an exact ETF gives NC2 = 0). `None` when there is nothing positive.
pub fn log_decades<'a>(series: impl Iterator<Item = &'a [(f64, f64)]>) -> Option<(i32, i32)> {
    let mut lo = f64::INFINITY;
    let mut hi = f64::NEG_INFINITY;
    for s in series {
        for &(_, v) in s {
            if v > 0.0 && v.is_finite() {
                lo = lo.min(v);
                hi = hi.max(v);
            }
        }
    }
    if lo > hi {
        return None;
    }
    let (a, b) = (lo.log10().floor() as i32, hi.log10().ceil() as i32);
    // At least one decade, and no more than eight below the top (a measure at 1e-15 is 0 to see).
    Some((a.max(b - 8).min(b - 1), b))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// From JSON, so fields the engine adds later keep their defaults here.
    fn record(epoch: u64, collapse: Option<CollapseMeasures>) -> EpochRecord {
        serde_json::from_value(serde_json::json!({
            "epoch": epoch,
            "step": epoch * 10,
            "train_loss": 1.0,
            "test_loss": 1.0,
            "collapse": collapse,
        }))
        .unwrap()
    }

    #[test]
    fn curves_read_the_measures_of_each_epoch_and_skip_the_undefined() {
        let history = vec![
            record(1, None),
            record(
                2,
                Some(CollapseMeasures {
                    nc1: Some(2.0),
                    nc3: Some(0.5),
                    minority_angle_classifiers: Some(40.25),
                    ..Default::default()
                }),
            ),
            record(
                3,
                Some(CollapseMeasures {
                    nc1: Some(0.02),
                    nc3: Some(f64::NAN),
                    minority_angle_classifiers: Some(23.44),
                    minority_angle_means: Some(30.0),
                    ..Default::default()
                }),
            ),
        ];
        assert_eq!(
            CollapseCurve::Nc1.points(&history),
            vec![(2.0, 2.0), (3.0, 0.02)]
        );
        assert_eq!(CollapseCurve::Nc3.points(&history), vec![(2.0, 0.5)]);
        assert!(CollapseCurve::EquinormMeans.points(&history).is_empty());
        assert!(any_measure(&history));
        assert_eq!(
            minority_angle_text(&history),
            "minority angle 23.4° (classifiers), 30.0° (feature means)"
        );
        let [c, m] = minority_angles(&history);
        assert_eq!(c.len(), 2);
        assert_eq!(m, vec![(3.0, 30.0)]);
        let nc1 = CollapseCurve::Nc1.points(&history);
        assert_eq!(log_decades([nc1.as_slice()].into_iter()), Some((-2, 1)));
    }

    #[test]
    fn no_measures_say_so() {
        let history = vec![record(1, None), record(2, None)];
        assert!(!any_measure(&history));
        assert_eq!(
            minority_angle_text(&history),
            "minority angle: no measures yet"
        );
        let two = vec![record(1, Some(CollapseMeasures::default()))];
        assert!(!any_measure(&two));
        assert!(minority_angle_text(&two).contains("undefined"));
        assert_eq!(log_decades(std::iter::empty()), None);
        assert_eq!(
            log_decades([[(0.0, 0.5)].as_slice()].into_iter()),
            Some((-1, 0))
        );
        assert_eq!(
            log_decades([[(0.0, 1e-15), (1.0, 3.0)].as_slice()].into_iter()),
            Some((-7, 1))
        );
    }
}
