//! GPU k-nearest neighbours against the engine's `neighbors::kneighbors` (the CPU reference, itself
//! tested against scikit-learn's tie rule).
//!
//! On small-integer coordinates every squared distance is exact in f32 and f64, so the GPU must
//! return exactly the CPU's indices, ties (broken by lower index) included. On real-valued data
//! the GPU sums in f32 and the CPU in f64, so queries whose k+1 nearest distances lie within 1e-4
//! relative of each other are near-ties the two may order differently; they are left out and the
//! rest must match exactly.

mod common;

use imlab_engine::neighbors::kneighbors;
use imlab_engine::rng::Rng;
use imlab_gpu::GpuNeighbors;
use pollster::block_on;

use common::context;

fn integer_points(rng: &mut Rng, n: usize, d: usize, range: usize) -> Vec<f32> {
    (0..n * d).map(|_| rng.below(range) as f32).collect()
}

fn to_f64(v: &[f32]) -> Vec<f64> {
    v.iter().map(|&x| f64::from(x)).collect()
}

fn sq_dist(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| (x - y) * (x - y)).sum()
}

#[test]
fn integer_data_matches_exactly_including_ties() {
    let Some(ctx) = context() else { return };
    let nn = GpuNeighbors::new(&ctx);
    let mut rng = Rng::from_seed(7);
    // (fit rows, query rows, features, coordinate range): ranges 6 and 4 make ties common; 20
    // features × 501 rows spans several workgroup tiles (201 rows each).
    for (n_fit, n_query, d, range) in [(300, 200, 2, 6), (501, 130, 20, 4), (900, 70, 2, 1000)] {
        let fit = integer_points(&mut rng, n_fit, d, range);
        let query = integer_points(&mut rng, n_query, d, range);
        for k in [1, 5, 32] {
            let gpu = block_on(nn.kneighbors(&fit, &query, d, k)).expect("gpu knn");
            let cpu = kneighbors(&to_f64(&fit), &to_f64(&query), d, k);
            let gpu_idx: Vec<usize> = gpu.indices.iter().map(|&i| i as usize).collect();
            assert_eq!(gpu.k, k);
            assert_eq!(gpu_idx, cpu, "n_fit {n_fit}, d {d}, range {range}, k {k}");
            for (q, row) in cpu.chunks(k).enumerate() {
                for (c, &j) in row.iter().enumerate() {
                    let want = sq_dist(
                        &to_f64(&query[q * d..(q + 1) * d]),
                        &to_f64(&fit[j * d..(j + 1) * d]),
                    );
                    assert_eq!(f64::from(gpu.sq_distances[q * k + c]), want);
                }
            }
        }
    }
}

#[test]
fn real_valued_data_matches_away_from_near_ties() {
    let Some(ctx) = context() else { return };
    let nn = GpuNeighbors::new(&ctx);
    let mut rng = Rng::from_seed(11);
    for d in [2, 20] {
        let (n_fit, n_query, k) = (700, 250, 10);
        let fit: Vec<f32> = (0..n_fit * d).map(|_| rng.normal() as f32).collect();
        let query: Vec<f32> = (0..n_query * d).map(|_| rng.normal() as f32).collect();
        let (fit64, query64) = (to_f64(&fit), to_f64(&query));
        let gpu = block_on(nn.kneighbors(&fit, &query, d, k)).expect("gpu knn");
        let cpu_wide = kneighbors(&fit64, &query64, d, k + 1);
        let mut checked = 0;
        for q in 0..n_query {
            let qrow = &query64[q * d..(q + 1) * d];
            let dists: Vec<f64> = cpu_wide[q * (k + 1)..(q + 1) * (k + 1)]
                .iter()
                .map(|&j| sq_dist(qrow, &fit64[j * d..(j + 1) * d]))
                .collect();
            if dists.windows(2).any(|w| w[1] - w[0] <= 1e-4 * w[1]) {
                continue;
            }
            checked += 1;
            let want = &cpu_wide[q * (k + 1)..q * (k + 1) + k];
            let got: Vec<usize> = gpu.indices[q * k..(q + 1) * k]
                .iter()
                .map(|&i| i as usize)
                .collect();
            assert_eq!(got, want, "d {d}, query {q}");
        }
        assert!(
            checked * 10 >= n_query * 8,
            "only {checked} of {n_query} queries were tie-free"
        );
    }
}

#[test]
fn pairwise_distances_match_cpu() {
    let Some(ctx) = context() else { return };
    let nn = GpuNeighbors::new(&ctx);
    let mut rng = Rng::from_seed(3);
    let d = 5;
    let (n_fit, n_query) = (123, 45);
    let fit: Vec<f32> = (0..n_fit * d).map(|_| rng.normal() as f32).collect();
    let query: Vec<f32> = (0..n_query * d).map(|_| rng.normal() as f32).collect();
    let gpu = block_on(nn.pairwise_sq_distances(&fit, &query, d)).expect("pairwise");
    assert_eq!(gpu.len(), n_fit * n_query);
    for q in 0..n_query {
        for j in 0..n_fit {
            let want = sq_dist(
                &to_f64(&query[q * d..(q + 1) * d]),
                &to_f64(&fit[j * d..(j + 1) * d]),
            );
            let got = f64::from(gpu[q * n_fit + j]);
            assert!(
                (got - want).abs() <= 1e-6 * want.max(1.0),
                "({q}, {j}): {got} vs {want}"
            );
        }
    }
}

#[test]
fn k_is_capped_and_bounded() {
    let Some(ctx) = context() else { return };
    let nn = GpuNeighbors::new(&ctx);
    let fit = [0.0f32, 3.0, 1.0];
    let got = block_on(nn.kneighbors(&fit, &[0.9], 1, 10)).expect("knn");
    assert_eq!((got.k, got.indices), (3, vec![2, 0, 1]));
    assert!(block_on(nn.kneighbors(&fit, &[0.9], 1, 33)).is_err());
    assert!(block_on(nn.kneighbors(&fit, &[0.9, 1.0], 3, 1)).is_err());
}
