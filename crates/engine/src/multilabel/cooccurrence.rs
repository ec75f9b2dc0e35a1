//! Label co-occurrence: how many samples carry both label `a` and label `b` (`YᵀY` of the 0/1
//! indicator matrix). The diagonal is each label's count. Shown for the true and the predicted
//! label sets side by side, it tells whether a model keeps the labels' dependence or collapses a
//! rare label into the one it usually comes with.

use crate::metrics::LabelIndicators;

/// The `L × L` co-occurrence counts of `y`, row-major and symmetric.
pub fn cooccurrence(y: &LabelIndicators) -> Vec<usize> {
    let l = y.n_labels;
    let mut counts = vec![0usize; l * l];
    let mut on = Vec::with_capacity(l);
    for row in y.bits.chunks(l.max(1)) {
        on.clear();
        on.extend((0..l).filter(|&j| row[j]));
        for &a in &on {
            for &b in &on {
                counts[a * l + b] += 1;
            }
        }
    }
    counts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_pairs_and_labels() {
        // Rows: {0,1}, {1}, {0,1,2}, {}.
        let bits = [
            true, true, false, false, true, false, true, true, true, false, false, false,
        ];
        let y = LabelIndicators::new(bits.to_vec(), 3).unwrap();
        let c = cooccurrence(&y);
        assert_eq!(c, vec![2, 2, 1, 2, 3, 1, 1, 1, 1]);
    }
}
