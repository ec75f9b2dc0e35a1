//! Exact k-nearest neighbours (Euclidean), with the reference's tie rule: neighbours sorted by
//! distance, equal distances broken by the lower row index (methods-spec.md §0).

/// `k` nearest rows of `fit` (row-major, `d` columns) for each row of `query`, nearest first.
/// Returns row-major `n_query × k` indices. `k` is capped at the number of fitted rows.
pub fn kneighbors(fit: &[f64], query: &[f64], d: usize, k: usize) -> Vec<usize> {
    let n_fit = fit.len().checked_div(d).unwrap_or(0);
    let n_query = query.len().checked_div(d).unwrap_or(0);
    let k = k.min(n_fit);
    let mut out = Vec::with_capacity(n_query * k);
    let mut dist: Vec<(f64, usize)> = Vec::with_capacity(n_fit);
    for q in query.chunks_exact(d) {
        dist.clear();
        for (j, r) in fit.chunks_exact(d).enumerate() {
            let mut s = 0.0;
            for (a, b) in q.iter().zip(r) {
                let t = a - b;
                s += t * t;
            }
            dist.push((s, j));
        }
        let cmp = |a: &(f64, usize), b: &(f64, usize)| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1));
        if k < dist.len() {
            dist.select_nth_unstable_by(k, cmp);
            dist.truncate(k);
        }
        dist.sort_unstable_by(cmp);
        out.extend(dist.iter().map(|&(_, j)| j));
    }
    out
}

/// Neighbours of every row of `x` among the rows of `x` themselves, excluding the point: asks for
/// `k + 1` and drops the first returned column, exactly as imbalanced-learn does (with duplicates the
/// dropped one may be a twin rather than the point itself). Row-major `n × k`.
pub fn kneighbors_excluding_first(x: &[f64], d: usize, k: usize) -> Vec<usize> {
    let n = x.len().checked_div(d).unwrap_or(0);
    let kk = (k + 1).min(n);
    let all = kneighbors(x, x, d, kk);
    let mut out = Vec::with_capacity(n * kk.saturating_sub(1));
    for row in all.chunks(kk.max(1)) {
        out.extend_from_slice(&row[1.min(row.len())..]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ties_break_by_lower_index() {
        let fit = [0.0, 1.0, -1.0, 2.0];
        assert_eq!(kneighbors(&fit, &[0.0], 1, 3), vec![0, 1, 2]);
        assert_eq!(kneighbors_excluding_first(&fit, 1, 2)[..2], [1, 2]);
    }
}
