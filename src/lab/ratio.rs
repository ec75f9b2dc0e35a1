//! The minority:majority ratio control: reading it from a config, writing it into one, and saying
//! it in words.

use imlab_engine::dataset::ClassCounts;
use imlab_engine::ExperimentConfig;

/// Range of the ratio slider. 0.01 with 500 majority samples still leaves 5 minority samples, enough
/// for a stratified split.
pub const RATIO_MIN: f64 = 0.01;
pub const RATIO_MAX: f64 = 1.0;
pub const RATIO_STEP: f64 = 0.01;

/// The config's minority:majority ratio: the `Ratio` profile's value, or smallest/largest class
/// for explicit counts.
pub fn minority_ratio(config: &ExperimentConfig) -> f64 {
    match &config.dataset.counts {
        ClassCounts::Ratio { ratio, .. } => *ratio,
        other => {
            let counts = other.resolve().unwrap_or_default();
            let max = counts.iter().copied().max().unwrap_or(1).max(1);
            let min = counts.iter().copied().min().unwrap_or(0);
            min as f64 / max as f64
        }
    }
}

/// `config` with its class counts set to `ratio`, keeping the majority size and number of classes.
/// The value is snapped to the slider's step so a dragged slider and a typed link agree.
pub fn with_minority_ratio(config: &ExperimentConfig, ratio: f64) -> ExperimentConfig {
    let ratio = (ratio / RATIO_STEP).round() * RATIO_STEP;
    let ratio = ratio.clamp(RATIO_MIN, RATIO_MAX);
    let (majority, classes) = match &config.dataset.counts {
        ClassCounts::Ratio {
            majority, classes, ..
        } => (*majority, *classes),
        other => {
            let counts = other.resolve().unwrap_or_default();
            (
                counts.iter().copied().max().unwrap_or(500),
                counts.len().max(2),
            )
        }
    };
    let mut next = config.clone();
    next.dataset.counts = ClassCounts::Ratio {
        majority,
        ratio,
        classes,
    };
    next
}

/// "1 : 10" for 0.1, "1 : 1" for 1, "1 : 3.3" for 0.3.
pub fn ratio_label(ratio: f64) -> String {
    if !(ratio.is_finite() && ratio > 0.0) {
        return "–".into();
    }
    let inv = 1.0 / ratio;
    if (inv - inv.round()).abs() < 0.05 {
        format!("1 : {}", inv.round())
    } else {
        format!("1 : {inv:.1}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_ratio_is_one_in_ten() {
        let c = ExperimentConfig::default();
        assert!((minority_ratio(&c) - 0.1).abs() < 1e-12);
        assert_eq!(ratio_label(minority_ratio(&c)), "1 : 10");
    }

    #[test]
    fn setting_the_ratio_changes_only_the_counts() {
        let c = ExperimentConfig::default();
        let d = with_minority_ratio(&c, 0.3);
        assert!((minority_ratio(&d) - 0.3).abs() < 1e-12);
        assert_eq!(d.dataset.counts.resolve().unwrap(), vec![500, 150]);
        assert_eq!(d.seed, c.seed);
        assert_eq!(d.model, c.model);
        // Out-of-range and off-step values are clamped and snapped.
        assert!((minority_ratio(&with_minority_ratio(&c, 7.0)) - 1.0).abs() < 1e-12);
        assert!((minority_ratio(&with_minority_ratio(&c, 0.0)) - RATIO_MIN).abs() < 1e-12);
        assert!((minority_ratio(&with_minority_ratio(&c, 0.123)) - 0.12).abs() < 1e-12);
    }

    #[test]
    fn labels() {
        assert_eq!(ratio_label(1.0), "1 : 1");
        assert_eq!(ratio_label(0.01), "1 : 100");
        assert_eq!(ratio_label(0.3), "1 : 3.3");
        assert_eq!(ratio_label(f64::NAN), "–");
    }
}
