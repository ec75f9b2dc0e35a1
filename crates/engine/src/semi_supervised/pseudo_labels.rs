//! The unlabeled pool (a share of the training split whose labels are withheld), confidence-
//! thresholded pseudo-labels, and their per-class precision: under imbalance the base classifier
//! favours the head classes, so the pseudo-labels inherit its bias (Yang & Xu 2020, §3.1), and the
//! report shows by how much.

use serde::{Deserialize, Serialize};

use crate::rng::Rng;

/// Splits the row indices `0..labels.len()` into (labeled, pool): in each class, `round(f · n_c)`
/// rows chosen at random (the caller's stream) go to the pool, but every class keeps at least one
/// labeled row (a class with one row keeps it). Both lists are in increasing order, so the rows
/// keep the split's order.
pub fn withhold_pool(
    labels: &[usize],
    n_classes: usize,
    fraction: f64,
    rng: &mut Rng,
) -> (Vec<usize>, Vec<usize>) {
    let mut by_class: Vec<Vec<usize>> = vec![Vec::new(); n_classes];
    for (i, &y) in labels.iter().enumerate() {
        if y < n_classes {
            by_class[y].push(i);
        }
    }
    let mut pool = Vec::new();
    for rows in &mut by_class {
        let n = rows.len();
        let take = ((fraction * n as f64).round() as usize).min(n.saturating_sub(1));
        rng.shuffle(rows);
        pool.extend_from_slice(&rows[..take]);
    }
    pool.sort_unstable();
    let mut in_pool = vec![false; labels.len()];
    pool.iter().for_each(|&i| in_pool[i] = true);
    let labeled = (0..labels.len()).filter(|&i| !in_pool[i]).collect();
    (labeled, pool)
}

/// Each row's pseudo-label: the arg-max class of its probabilities (`n × k`, row-major) when that
/// probability reaches `confidence` (compared in f32), else `None` (the row is left out). Ties go to the lower class.
pub fn pseudo_label(probs: &[f32], k: usize, confidence: f64) -> Vec<Option<usize>> {
    probs
        .chunks_exact(k.max(1))
        .map(|p| {
            let (best, &pmax) =
                p.iter()
                    .enumerate()
                    .fold((0, &f32::NEG_INFINITY), |acc, (c, v)| {
                        if *v > *acc.1 {
                            (c, v)
                        } else {
                            acc
                        }
                    });
            // In the probabilities' own precision: 0.9 as f32 is below 0.9 as f64.
            (pmax >= confidence as f32).then_some(best)
        })
        .collect()
}

/// One class of the pseudo-label report.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PseudoLabelClass {
    /// Pool rows whose (withheld) label is this class.
    pub in_pool: usize,
    /// Pool rows given this class as pseudo-label.
    pub assigned: usize,
    /// Of those, how many truly are this class.
    pub correct: usize,
    /// `correct / assigned` (`None` when nothing was assigned).
    pub precision: Option<f64>,
    /// `correct / in_pool`: the share of the class's pool rows it got back (`None` when absent).
    pub recall: Option<f64>,
}

/// What pseudo-labelling did to the pool.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PseudoLabelReport {
    pub confidence: f64,
    pub pool_size: usize,
    /// Rows whose confidence reached the threshold (trained on in stage 2).
    pub accepted: usize,
    /// Correct pseudo-labels over accepted rows (`None` when none was accepted).
    pub accuracy: Option<f64>,
    pub per_class: Vec<PseudoLabelClass>,
}

impl PseudoLabelReport {
    /// The report of `assigned` pseudo-labels against the pool's withheld labels `truth`.
    pub fn new(assigned: &[Option<usize>], truth: &[usize], k: usize, confidence: f64) -> Self {
        let mut per_class = vec![(0usize, 0usize, 0usize); k];
        let (mut accepted, mut correct_all) = (0, 0);
        for (a, &t) in assigned.iter().zip(truth) {
            if t < k {
                per_class[t].0 += 1;
            }
            if let Some(c) = *a {
                accepted += 1;
                if c < k {
                    per_class[c].1 += 1;
                    if c == t {
                        per_class[c].2 += 1;
                        correct_all += 1;
                    }
                }
            }
        }
        let ratio = |a: usize, b: usize| (b > 0).then(|| a as f64 / b as f64);
        PseudoLabelReport {
            confidence,
            pool_size: truth.len(),
            accepted,
            accuracy: ratio(correct_all, accepted),
            per_class: per_class
                .into_iter()
                .map(|(in_pool, assigned, correct)| PseudoLabelClass {
                    in_pool,
                    assigned,
                    correct,
                    precision: ratio(correct, assigned),
                    recall: ratio(correct, in_pool),
                })
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pool_takes_the_share_of_each_class_and_leaves_one_labeled_row() {
        let labels: Vec<usize> = [vec![0; 100], vec![1; 10], vec![2; 1]].concat();
        let (labeled, pool) = withhold_pool(&labels, 3, 0.5, &mut Rng::stream(1, "unlabeled_pool"));
        let count = |rows: &[usize], c: usize| rows.iter().filter(|&&i| labels[i] == c).count();
        assert_eq!(
            (count(&pool, 0), count(&pool, 1), count(&pool, 2)),
            (50, 5, 0)
        );
        assert_eq!(labeled.len() + pool.len(), labels.len());
        assert!(labeled.windows(2).all(|w| w[0] < w[1]) && pool.windows(2).all(|w| w[0] < w[1]));
        // Everything withheld still leaves one labeled row per class.
        let (labeled, _) = withhold_pool(&labels, 3, 1.0, &mut Rng::stream(1, "x"));
        assert_eq!(labeled.len(), 3);
    }

    #[test]
    fn pseudo_labels_keep_only_confident_rows() {
        let probs = [0.95f32, 0.05, 0.4, 0.6, 0.5, 0.5, 0.1, 0.9];
        assert_eq!(
            pseudo_label(&probs, 2, 0.9),
            vec![Some(0), None, None, Some(1)]
        );
        assert_eq!(
            pseudo_label(&probs, 2, 0.5),
            vec![Some(0), Some(1), Some(0), Some(1)]
        );
    }

    #[test]
    fn the_report_counts_precision_and_recall_per_class() {
        // Pool truth: 0,0,0,1,1; pseudo: 0,0,None,0,1.
        let r = PseudoLabelReport::new(
            &[Some(0), Some(0), None, Some(0), Some(1)],
            &[0, 0, 0, 1, 1],
            2,
            0.9,
        );
        assert_eq!((r.pool_size, r.accepted), (5, 4));
        assert_eq!(r.accuracy, Some(0.75));
        assert_eq!(r.per_class[0].precision, Some(2.0 / 3.0));
        assert_eq!(r.per_class[0].recall, Some(2.0 / 3.0));
        assert_eq!(r.per_class[1].precision, Some(1.0));
        assert_eq!(r.per_class[1].recall, Some(0.5));
        let none = PseudoLabelReport::new(&[None], &[1], 2, 0.99);
        assert_eq!((none.accuracy, none.per_class[1].precision), (None, None));
    }
}
