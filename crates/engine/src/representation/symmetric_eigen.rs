//! Eigen-decomposition of a small real symmetric matrix by the cyclic Jacobi method (Golub & Van
//! Loan, *Matrix Computations*, 4th ed., §8.5.3, with the stable rotation of Rutishauser), in f64.
//!
//! Why Jacobi: the matrices here are tiny (a Gram matrix of class means, at most a few dozen rows),
//! the method is short, needs no external crate, and — with a fixed sweep order and no randomness —
//! gives the same bits on every platform the engine runs on (native and wasm32).

/// Eigenvalues (descending) and eigenvectors (`vectors[j]` belongs to `values[j]`, unit length).
#[derive(Clone, Debug, PartialEq)]
pub struct SymmetricEigen {
    pub values: Vec<f64>,
    pub vectors: Vec<Vec<f64>>,
}

/// Sweeps after which the iteration stops even if not converged (Jacobi converges quadratically;
/// a handful of sweeps is typical).
const MAX_SWEEPS: usize = 64;

/// Eigen-decomposition of the symmetric `n × n` matrix `a` (row-major; only its symmetric part is
/// read, `(a + aᵀ)/2`). Returns `None` for a non-finite entry or a wrong length.
pub fn symmetric_eigen(a: &[f64], n: usize) -> Option<SymmetricEigen> {
    if a.len() != n * n || a.iter().any(|v| !v.is_finite()) {
        return None;
    }
    let mut m: Vec<f64> = (0..n * n)
        .map(|i| 0.5 * (a[i] + a[(i % n) * n + i / n]))
        .collect();
    let mut v = vec![0.0; n * n];
    for i in 0..n {
        v[i * n + i] = 1.0;
    }
    let frob: f64 = m.iter().map(|x| x * x).sum::<f64>().sqrt();
    for _ in 0..MAX_SWEEPS {
        let off: f64 = (0..n)
            .flat_map(|p| (0..n).filter(move |&q| q != p).map(move |q| (p, q)))
            .map(|(p, q)| m[p * n + q] * m[p * n + q])
            .sum::<f64>()
            .sqrt();
        if off <= 1e-15 * frob || off == 0.0 {
            break;
        }
        for p in 0..n {
            for q in p + 1..n {
                rotate(&mut m, &mut v, n, p, q);
            }
        }
    }
    let mut order: Vec<usize> = (0..n).collect();
    // Descending; ties keep the index order (a stable sort), so the result is deterministic.
    order.sort_by(|&i, &j| m[j * n + j].total_cmp(&m[i * n + i]));
    let values = order.iter().map(|&i| m[i * n + i]).collect();
    let vectors = order
        .iter()
        .map(|&j| (0..n).map(|r| v[r * n + j]).collect())
        .collect();
    Some(SymmetricEigen { values, vectors })
}

/// One Jacobi rotation annihilating `m[p][q]`: `m ← Jᵀ m J`, `v ← v J`.
fn rotate(m: &mut [f64], v: &mut [f64], n: usize, p: usize, q: usize) {
    let apq = m[p * n + q];
    if apq == 0.0 {
        return;
    }
    let app = m[p * n + p];
    let aqq = m[q * n + q];
    // θ = (a_qq − a_pp) / (2 a_pq); t = sign(θ) / (|θ| + √(θ² + 1)), the smaller root, which keeps
    // the rotation angle at most π/4 (the stable choice).
    let theta = (aqq - app) / (2.0 * apq);
    let t = if theta.is_infinite() {
        0.0
    } else {
        theta.signum() / (theta.abs() + (theta * theta + 1.0).sqrt())
    };
    let c = 1.0 / (t * t + 1.0).sqrt();
    let s = t * c;
    for k in 0..n {
        let mkp = m[k * n + p];
        let mkq = m[k * n + q];
        m[k * n + p] = c * mkp - s * mkq;
        m[k * n + q] = s * mkp + c * mkq;
    }
    for k in 0..n {
        let mpk = m[p * n + k];
        let mqk = m[q * n + k];
        m[p * n + k] = c * mpk - s * mqk;
        m[q * n + k] = s * mpk + c * mqk;
    }
    for k in 0..n {
        let vkp = v[k * n + p];
        let vkq = v[k * n + q];
        v[k * n + p] = c * vkp - s * vkq;
        v[k * n + q] = s * vkp + c * vkq;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// ‖A v − λ v‖ small for every pair, vectors orthonormal, values sorted.
    fn check(a: &[f64], n: usize) {
        let e = symmetric_eigen(a, n).unwrap();
        let scale = a.iter().map(|x| x.abs()).fold(1.0, f64::max);
        for (j, (lam, vec)) in e.values.iter().zip(&e.vectors).enumerate() {
            for r in 0..n {
                let av: f64 = (0..n).map(|c| a[r * n + c] * vec[c]).sum();
                assert!(
                    (av - lam * vec[r]).abs() < 1e-12 * scale,
                    "pair {j} row {r}"
                );
            }
            for (i, other) in e.vectors.iter().enumerate() {
                let dot: f64 = vec.iter().zip(other).map(|(x, y)| x * y).sum();
                let want = if i == j { 1.0 } else { 0.0 };
                assert!((dot - want).abs() < 1e-12, "{i},{j}: {dot}");
            }
        }
        assert!(e.values.windows(2).all(|w| w[0] >= w[1]), "{:?}", e.values);
    }

    #[test]
    fn decomposes_known_and_random_matrices() {
        // [[2, 1], [1, 2]]: eigenvalues 3 and 1.
        let e = symmetric_eigen(&[2.0, 1.0, 1.0, 2.0], 2).unwrap();
        assert!((e.values[0] - 3.0).abs() < 1e-14 && (e.values[1] - 1.0).abs() < 1e-14);
        check(&[2.0, 1.0, 1.0, 2.0], 2);
        // A deterministic pseudo-random symmetric 7 × 7 with a repeated zero block.
        let n = 7;
        let mut a = vec![0.0; n * n];
        for i in 0..n {
            for j in 0..=i {
                let v = ((i * 31 + j * 17) as f64 * 0.37).sin() * if i < 5 { 1.0 } else { 0.0 };
                a[i * n + j] = v;
                a[j * n + i] = v;
            }
        }
        check(&a, n);
        check(&[5.0], 1);
        assert!(symmetric_eigen(&[1.0, f64::NAN, f64::NAN, 1.0], 2).is_none());
        assert!(symmetric_eigen(&[1.0, 2.0], 2).is_none());
    }
}
