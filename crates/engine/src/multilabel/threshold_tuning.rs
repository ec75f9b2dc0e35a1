//! Per-label thresholds tuned for F1 on labelled data (the app's "tune on the training split"
//! button): for each label, the threshold of `p > t` that maximises that label's F1 over its
//! **known** entries (unknown entries of partial labels are left out, as the losses leave them
//! out). The classic plug-in rule for F1 (Lipton, Elkan & Naryanaswamy, "Optimal thresholding of
//! classifiers to maximize F1 measure", ECML-PKDD 2014): the best threshold is found among the
//! cuts of the sorted scores.
//!
//! Choices: only cuts between distinct probabilities are candidates (a cut inside a tie cannot be
//! expressed by a threshold); the threshold written is the midpoint between the last probability
//! kept positive and the first left negative (half the smallest one when every row is kept; keeping
//! rows of probability 0 cannot be expressed, since thresholds are at least 0), so a
//! score close to a training score is decided as that score was; on equal F1 the higher threshold
//! wins (fewer predicted positives). A label with no known positive has no F1 to maximise and
//! keeps `fallback`.

use super::labels::{LabelEntry, LabelMatrix};
use crate::{EngineError, Result};

/// One threshold per label for the probabilities `probs` (`n × L`, row-major) of the rows of
/// `labels`.
pub fn tune_per_label_f1(probs: &[f64], labels: &LabelMatrix, fallback: f64) -> Result<Vec<f64>> {
    let (n, l) = (labels.n_samples(), labels.n_labels());
    if probs.len() != n * l {
        return Err(EngineError::Data(format!(
            "{} probabilities for {n} rows of {l} labels",
            probs.len()
        )));
    }
    if probs.iter().any(|p| !p.is_finite()) {
        return Err(EngineError::Data(
            "a probability is not finite; the model diverged".into(),
        ));
    }
    Ok((0..l)
        .map(|label| {
            let mut known: Vec<(f64, bool)> = (0..n)
                .filter_map(|i| match labels.get(i, label) {
                    LabelEntry::Unknown => None,
                    e => Some((probs[i * l + label], e == LabelEntry::Positive)),
                })
                .collect();
            best_threshold(&mut known).unwrap_or(fallback)
        })
        .collect())
}

/// The F1-maximising threshold of `(probability, is_positive)` pairs; `None` without a positive.
fn best_threshold(rows: &mut [(f64, bool)]) -> Option<f64> {
    let positives = rows.iter().filter(|r| r.1).count();
    if positives == 0 {
        return None;
    }
    rows.sort_by(|a, b| b.0.total_cmp(&a.0));
    // Predicting nothing scores F1 = 0; any cut that keeps a positive does better.
    let (mut best_f1, mut best_t) = (0.0f64, None);
    let mut tp = 0usize;
    let mut i = 0;
    while i < rows.len() {
        // Take the whole run of equal probabilities: a threshold cannot split it.
        let p = rows[i].0;
        while i < rows.len() && rows[i].0 == p {
            tp += usize::from(rows[i].1);
            i += 1;
        }
        let kept = i;
        let f1 = 2.0 * tp as f64 / (kept + positives) as f64;
        // Keeping a run of probability 0 needs `p > t` with t < 0, which no rule accepts.
        let expressible = i < rows.len() || p > 0.0;
        if expressible && f1 > best_f1 {
            best_f1 = f1;
            let t = match rows.get(i) {
                Some(next) => (p + next.0) / 2.0,
                None => p / 2.0,
            };
            best_t = Some(t.clamp(0.0, 1.0));
        }
    }
    best_t
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::Rng;

    fn f1_at(rows: &[(f64, bool)], t: f64) -> f64 {
        let tp = rows.iter().filter(|r| r.1 && r.0 > t).count() as f64;
        let pred = rows.iter().filter(|r| r.0 > t).count() as f64;
        let pos = rows.iter().filter(|r| r.1).count() as f64;
        if pred + pos == 0.0 {
            0.0
        } else {
            2.0 * tp / (pred + pos)
        }
    }

    #[test]
    fn matches_an_exhaustive_search_over_every_cut() {
        let mut rng = Rng::stream(7, "tune");
        for case in 0..200 {
            let n = 1 + case % 40;
            // Coarse probabilities make ties common.
            let rows: Vec<(f64, bool)> = (0..n)
                .map(|_| {
                    let p = (rng.uniform() * 10.0).floor() / 10.0;
                    (p, rng.uniform() < 0.3 + 0.5 * p)
                })
                .collect();
            let mut sorted = rows.clone();
            let got = best_threshold(&mut sorted);
            if !rows.iter().any(|r| r.1) {
                assert_eq!(got, None);
                continue;
            }
            let t = got.unwrap();
            let best = rows
                .iter()
                .map(|r| r.0)
                .chain([0.0])
                .map(|c| f1_at(&rows, c))
                .fold(0.0, f64::max);
            assert!(
                (f1_at(&rows, t) - best).abs() < 1e-12,
                "case {case}: F1 {} at {t}, best {best}",
                f1_at(&rows, t)
            );
            assert!((0.0..=1.0).contains(&t));
        }
    }

    #[test]
    fn unknown_entries_are_left_out_and_labels_without_positives_fall_back() {
        use LabelEntry::*;
        let labels = LabelMatrix::from_rows(&[
            vec![Positive, Negative],
            vec![Unknown, Negative],
            vec![Negative, Negative],
        ])
        .unwrap();
        // Row 1's unknown entry has the highest score: counting it as negative would move the cut.
        let probs = [0.6, 0.2, 0.9, 0.1, 0.3, 0.4];
        let t = tune_per_label_f1(&probs, &labels, 0.5).unwrap();
        assert!((t[0] - 0.45).abs() < 1e-12, "{t:?}");
        assert_eq!(t[1], 0.5);
        assert!(tune_per_label_f1(&probs[..4], &labels, 0.5).is_err());
        let mut bad = probs;
        bad[0] = f64::NAN;
        assert!(tune_per_label_f1(&bad, &labels, 0.5).is_err());
    }
}
