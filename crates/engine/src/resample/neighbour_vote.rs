//! Helpers the neighbour-based under-samplers share: the k-NN vote of scikit-learn's
//! `KNeighborsClassifier.predict` (uniform weights) and `scipy.stats.mode`, row gathering, and the
//! "not enough rows for k neighbours" error that scikit-learn raises as
//! `Expected n_neighbors <= n_samples_fit`.

use crate::dataset::Dataset;
use crate::error::{EngineError, Result};
use crate::neighbors::kneighbors;

/// The most frequent label; a tie goes to the smallest label (scipy's `mode`, sklearn's vote).
pub(crate) fn vote(labels: impl IntoIterator<Item = usize>, n_classes: usize) -> usize {
    let mut counts = vec![0usize; n_classes];
    for l in labels {
        counts[l] += 1;
    }
    let mut best = 0;
    for (c, &n) in counts.iter().enumerate() {
        if n > counts[best] {
            best = c;
        }
    }
    best
}

/// Features of `rows` of `data`, row-major.
pub(crate) fn gather(data: &Dataset, rows: &[usize]) -> Vec<f64> {
    let mut x = Vec::with_capacity(rows.len() * data.n_features);
    for &i in rows {
        x.extend_from_slice(data.row(i));
    }
    x
}

/// Rows of class `class`, ascending.
pub(crate) fn class_rows(data: &Dataset, class: usize) -> Vec<usize> {
    (0..data.len()).filter(|&i| data.y[i] == class).collect()
}

/// Error for a neighbour query that asks for more rows than the reference set holds.
pub(crate) fn too_few_rows(key: &str, asked: usize, available: usize, what: &str) -> EngineError {
    EngineError::config(
        key,
        format!(
            "{asked} neighbours are needed but {what} has only {available} row(s); lower {key}"
        ),
    )
}

/// Predicts the label of each of `query` (rows of `data`) with a k-NN classifier fitted on `fit`
/// (rows of `data`, duplicates allowed). As with scikit-learn's `predict` on training rows, a query
/// row that is also in `fit` votes for itself.
pub(crate) fn knn_predict(
    data: &Dataset,
    fit: &[usize],
    query: &[usize],
    k: usize,
) -> Result<Vec<usize>> {
    if k > fit.len() {
        return Err(too_few_rows(
            "n_neighbors",
            k,
            fit.len(),
            "the reference set",
        ));
    }
    let fit_x = gather(data, fit);
    let query_x = gather(data, query);
    let nn = kneighbors(&fit_x, &query_x, data.n_features, k);
    Ok(nn
        .chunks(k.max(1))
        .map(|row| vote(row.iter().map(|&j| data.y[fit[j]]), data.n_classes))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vote_ties_go_to_the_smallest_label() {
        assert_eq!(vote([2, 1, 2, 1], 3), 1);
        assert_eq!(vote([2, 2, 0], 3), 2);
        assert_eq!(vote([2], 3), 2);
    }
}
