//! k-means (Lloyd's iterations from a greedy k-means++ start: Arthur & Vassilvitskii, "k-means++:
//! The Advantages of Careful Seeding", SODA 2007; greedy variant with 2 + ⌊ln k⌋ candidate trials as
//! in scikit-learn's `_kmeans_plusplus`). Deterministic given the stream. scikit-learn's
//! (MiniBatch)KMeans draws from numpy and cannot be matched bit for bit, so results are validated by
//! invariants (each row assigned to its nearest centre, centres are their members' means).

use crate::rng::Rng;

/// Fitted clusters: `labels[i]` for every row, `centers` row-major `k × d`.
#[derive(Clone, Debug, PartialEq)]
pub struct KMeansFit {
    pub labels: Vec<usize>,
    pub centers: Vec<f64>,
    pub iterations: usize,
}

fn sq(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| (x - y) * (x - y)).sum()
}

fn nearest(x: &[f64], centers: &[f64], d: usize) -> (usize, f64) {
    let mut best = (0, f64::INFINITY);
    for (c, ctr) in centers.chunks_exact(d).enumerate() {
        let s = sq(x, ctr);
        if s < best.1 {
            best = (c, s);
        }
    }
    best
}

/// Greedy k-means++ seeding.
fn seed_centers(x: &[f64], d: usize, k: usize, rng: &mut Rng) -> Vec<f64> {
    let n = x.len() / d;
    let row = |i: usize| &x[i * d..(i + 1) * d];
    let mut centers = Vec::with_capacity(k * d);
    centers.extend_from_slice(row(rng.below(n)));
    let mut closest: Vec<f64> = (0..n).map(|i| sq(row(i), &centers[..d])).collect();
    let trials = 2 + (k as f64).ln() as usize;
    for _ in 1..k {
        let potential: f64 = closest.iter().sum();
        let mut best: Option<(f64, usize, Vec<f64>)> = None;
        for _ in 0..trials {
            // A row with probability ∝ its squared distance to the nearest centre so far.
            let cand = if potential > 0.0 {
                let target = rng.uniform() * potential;
                let mut acc = 0.0;
                let mut pick = n - 1;
                for (i, &c) in closest.iter().enumerate() {
                    acc += c;
                    if acc > target {
                        pick = i;
                        break;
                    }
                }
                pick
            } else {
                rng.below(n)
            };
            let next: Vec<f64> = (0..n)
                .map(|i| closest[i].min(sq(row(i), row(cand))))
                .collect();
            let pot: f64 = next.iter().sum();
            if best.as_ref().is_none_or(|b| pot < b.0) {
                best = Some((pot, cand, next));
            }
        }
        let (_, cand, next) = best.expect("at least one trial");
        centers.extend_from_slice(row(cand));
        closest = next;
    }
    centers
}

/// Clusters the rows of `x` (row-major, `d` columns) into `k` groups (capped at the row count).
/// Stops when no label changes or after `max_iter` Lloyd iterations; an emptied cluster keeps its
/// previous centre.
pub fn kmeans(x: &[f64], d: usize, k: usize, max_iter: usize, rng: &mut Rng) -> KMeansFit {
    let n = x.len().checked_div(d).unwrap_or(0);
    let k = k.min(n).max(1);
    if n == 0 {
        return KMeansFit {
            labels: Vec::new(),
            centers: vec![0.0; k * d],
            iterations: 0,
        };
    }
    let mut centers = seed_centers(x, d, k, rng);
    let mut labels = vec![usize::MAX; n];
    let mut iterations = 0;
    for _ in 0..max_iter.max(1) {
        iterations += 1;
        let mut changed = false;
        for (i, l) in labels.iter_mut().enumerate() {
            let (c, _) = nearest(&x[i * d..(i + 1) * d], &centers, d);
            if *l != c {
                *l = c;
                changed = true;
            }
        }
        if !changed {
            break;
        }
        let mut sum = vec![0.0; k * d];
        let mut count = vec![0usize; k];
        for (i, &l) in labels.iter().enumerate() {
            count[l] += 1;
            for j in 0..d {
                sum[l * d + j] += x[i * d + j];
            }
        }
        for c in 0..k {
            if count[c] > 0 {
                for j in 0..d {
                    centers[c * d + j] = sum[c * d + j] / count[c] as f64;
                }
            }
        }
    }
    KMeansFit {
        labels,
        centers,
        iterations,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn separated_blobs_are_found_and_labels_are_nearest_centres() {
        let mut rng = Rng::from_seed(2);
        let mut x = Vec::new();
        for c in 0..3 {
            for _ in 0..50 {
                x.push(10.0 * c as f64 + 0.3 * rng.normal());
                x.push(0.3 * rng.normal());
            }
        }
        let fit = kmeans(&x, 2, 3, 100, &mut Rng::from_seed(7));
        for c in 0..3 {
            let first = fit.labels[c * 50];
            assert!(fit.labels[c * 50..(c + 1) * 50].iter().all(|&l| l == first));
        }
        for (i, &l) in fit.labels.iter().enumerate() {
            assert_eq!(nearest(&x[2 * i..2 * i + 2], &fit.centers, 2).0, l);
        }
    }
}
