//! k-means: greedy k-means++ seeding (Arthur & Vassilvitskii, "k-means++: The Advantages of Careful
//! Seeding", SODA 2007; `2 + ⌊ln k⌋` candidate trials as scikit-learn's `_kmeans_plusplus`), then
//! Lloyd's iterations until the assignment stops changing, with scikit-learn's rule for emptied
//! clusters. One implementation serves KMeans-SMOTE and cluster centroids. scikit-learn's
//! (MiniBatch)KMeans draws from numpy and cannot be matched bit for bit, so results are validated by
//! invariants (each row assigned to its nearest centre, centres are their members' means).

use crate::math;
use crate::neighbors::kneighbors;
use crate::rng::Rng;

/// Fitted clusters: `labels[i]` for every row, `centers` row-major `k × d`.
#[derive(Clone, Debug, PartialEq)]
pub struct KMeansFit {
    pub labels: Vec<usize>,
    pub centers: Vec<f64>,
    /// Lloyd iterations run.
    pub iterations: usize,
    /// Whether the assignment stopped changing before `max_iter`.
    pub converged: bool,
}

fn sq_dist(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(p, q)| (p - q) * (p - q)).sum()
}

/// Greedy k-means++ seeding, as scikit-learn's `_kmeans_plusplus`: the first centre uniform, each
/// next one the best (lowest potential) of `2 + ⌊ln k⌋` candidates drawn ∝ squared distance.
fn kmeans_plus_plus(x: &[f64], d: usize, k: usize, rng: &mut Rng) -> Vec<f64> {
    let n = x.len() / d;
    let row = |i: usize| &x[i * d..(i + 1) * d];
    let trials = 2 + math::ln(k as f64).floor() as usize;
    let first = rng.below(n);
    let mut centers = row(first).to_vec();
    let mut closest: Vec<f64> = (0..n).map(|i| sq_dist(row(i), row(first))).collect();
    let mut potential: f64 = closest.iter().sum();
    for _ in 1..k {
        let mut best: Option<(f64, usize, Vec<f64>)> = None;
        for _ in 0..trials {
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
                // Fewer distinct points than clusters: any row will do.
                rng.below(n)
            };
            let dist: Vec<f64> = (0..n)
                .map(|i| closest[i].min(sq_dist(row(i), row(cand))))
                .collect();
            let pot: f64 = dist.iter().sum();
            if best.as_ref().is_none_or(|b| pot < b.0) {
                best = Some((pot, cand, dist));
            }
        }
        let (pot, cand, dist) = best.expect("at least two trials");
        centers.extend_from_slice(row(cand));
        closest = dist;
        potential = pot;
    }
    centers
}

/// Clusters the rows of `x` (row-major, `d` columns) into `k` groups (capped at the row count).
/// Lloyd's algorithm until the assignment stops changing (or `max_iter`). Centres are always the
/// means of the labels returned; an emptied cluster takes the point farthest from its centre.
pub fn kmeans(x: &[f64], d: usize, k: usize, max_iter: usize, rng: &mut Rng) -> KMeansFit {
    let n = x.len().checked_div(d).unwrap_or(0);
    let k = k.min(n).max(1);
    if n == 0 {
        return KMeansFit {
            labels: Vec::new(),
            centers: vec![0.0; k * d],
            iterations: 0,
            converged: true,
        };
    }
    let mut centers = kmeans_plus_plus(x, d, k, rng);
    let mut labels = vec![usize::MAX; n];
    let mut iterations = 0;
    let mut converged = false;
    while iterations < max_iter.max(1) {
        iterations += 1;
        let assigned = kneighbors(&centers, x, d, 1);
        let mut new_labels = assigned.clone();
        // Relocate empty clusters to the points farthest from their centres (scikit-learn's rule),
        // taking only points whose cluster keeps at least one other member.
        let mut sizes = vec![0usize; k];
        for &l in &new_labels {
            sizes[l] += 1;
        }
        if sizes.contains(&0) {
            let mut far: Vec<(f64, usize)> = (0..n)
                .map(|i| {
                    let l = new_labels[i];
                    (
                        sq_dist(&x[i * d..(i + 1) * d], &centers[l * d..(l + 1) * d]),
                        i,
                    )
                })
                .collect();
            far.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
            let mut next = far.into_iter();
            for c in 0..k {
                if sizes[c] > 0 {
                    continue;
                }
                for (_, i) in next.by_ref() {
                    if sizes[new_labels[i]] > 1 {
                        sizes[new_labels[i]] -= 1;
                        new_labels[i] = c;
                        sizes[c] = 1;
                        break;
                    }
                }
            }
        }
        let unchanged = new_labels == labels;
        labels = new_labels;
        let mut sums = vec![0.0; k * d];
        for i in 0..n {
            let l = labels[i];
            for j in 0..d {
                sums[l * d + j] += x[i * d + j];
            }
        }
        for c in 0..k {
            let m = sizes[c].max(1) as f64;
            for j in 0..d {
                centers[c * d + j] = sums[c * d + j] / m;
            }
        }
        if unchanged {
            converged = true;
            break;
        }
    }
    KMeansFit {
        labels,
        centers,
        iterations,
        converged,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nearest(x: &[f64], centers: &[f64], d: usize) -> (usize, f64) {
        let mut best = (0, f64::INFINITY);
        for (c, ctr) in centers.chunks_exact(d).enumerate() {
            let s = sq_dist(x, ctr);
            if s < best.1 {
                best = (c, s);
            }
        }
        best
    }

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
