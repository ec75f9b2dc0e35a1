//! The plane of largest variance of centred rows: shared by the input plane of data with more than
//! two features ([`super::Plane`]) and the feature-space view ([`super::FeatureSpace`]).
//!
//! Subspace (block power) iteration on two vectors, re-orthonormalised every round, then a
//! Rayleigh–Ritz step (the 2 × 2 eigenproblem inside the found plane) so the first axis carries the
//! most variance. The covariance matrix is formed only when that is cheaper than multiplying by the
//! rows every round (few features, many rows); otherwise `C v = Zᵀ(Z v)/n` is applied directly,
//! which keeps a 256-wide penultimate layer affordable in every animation frame. A warm start
//! (the previous frame's axes) lets a few rounds per frame track a plane that moves slowly.

/// Two orthonormal axes of the plane and the variance along each; `total` is the rows' total
/// variance (the trace of their covariance).
#[derive(Clone, Debug, PartialEq)]
pub struct PrincipalPlane {
    pub axes: [Vec<f64>; 2],
    pub variance: [f64; 2],
    pub total: f64,
}

impl PrincipalPlane {
    /// Share of the total variance each axis explains (0 when there is no variance).
    pub fn explained(&self) -> [f64; 2] {
        let t = if self.total > 0.0 { self.total } else { 1.0 };
        [self.variance[0] / t, self.variance[1] / t]
    }
}

/// The leading plane of `n` centred rows of `z` (row-major, `d` columns), after `iterations`
/// rounds started from `start` (or a fixed start when `None` or of another width).
pub fn principal_plane(
    z: &[f64],
    n: usize,
    d: usize,
    start: Option<&[Vec<f64>; 2]>,
    iterations: usize,
) -> PrincipalPlane {
    let n_f = n.max(1) as f64;
    let total = z[..n * d].iter().map(|v| v * v).sum::<f64>() / n_f;
    let cov = (n * d * d / 2 + 4 * iterations * d * d < 8 * iterations * n * d)
        .then(|| covariance(z, n, d));
    let apply = |v: &[f64]| -> Vec<f64> {
        match &cov {
            Some(c) => (0..d).map(|a| dot(&c[a * d..(a + 1) * d], v)).collect(),
            None => {
                let mut out = vec![0.0; d];
                for row in z[..n * d].chunks_exact(d.max(1)) {
                    let p = dot(row, v) / n_f;
                    for (o, r) in out.iter_mut().zip(row) {
                        *o += p * r;
                    }
                }
                out
            }
        }
    };
    let mut axes = match start {
        Some(s) if s[0].len() == d && s[1].len() == d => s.clone(),
        _ => fixed_start(d),
    };
    orthonormalise(&mut axes);
    for _ in 0..iterations {
        let mut next = [apply(&axes[0]), apply(&axes[1])];
        if orthonormalise(&mut next) {
            axes = next;
        } else {
            break;
        }
    }
    // Rayleigh–Ritz: diagonalise the covariance restricted to the plane.
    let (c0, c1) = (apply(&axes[0]), apply(&axes[1]));
    let (b00, b01, b11) = (dot(&axes[0], &c0), dot(&axes[0], &c1), dot(&axes[1], &c1));
    let phi = 0.5 * (2.0 * b01).atan2(b00 - b11);
    let (c, s) = (phi.cos(), phi.sin());
    let first: Vec<f64> = axes[0]
        .iter()
        .zip(&axes[1])
        .map(|(a, b)| c * a + s * b)
        .collect();
    let second: Vec<f64> = axes[0]
        .iter()
        .zip(&axes[1])
        .map(|(a, b)| -s * a + c * b)
        .collect();
    let l0 = c * c * b00 + 2.0 * c * s * b01 + s * s * b11;
    let l1 = s * s * b00 - 2.0 * c * s * b01 + c * c * b11;
    let (axes, variance) = if l0 >= l1 {
        ([first, second], [l0, l1])
    } else {
        ([second, first], [l1, l0])
    };
    PrincipalPlane {
        axes,
        variance: [variance[0].max(0.0), variance[1].max(0.0)],
        total,
    }
}

fn covariance(z: &[f64], n: usize, d: usize) -> Vec<f64> {
    let n_f = n.max(1) as f64;
    let mut cov = vec![0.0; d * d];
    for row in z[..n * d].chunks_exact(d.max(1)) {
        for (a, &za) in row.iter().enumerate() {
            for (b, &zb) in row.iter().enumerate().skip(a) {
                cov[a * d + b] += za * zb / n_f;
            }
        }
    }
    for a in 0..d {
        for b in 0..a {
            cov[a * d + b] = cov[b * d + a];
        }
    }
    cov
}

/// A fixed start no eigenvector is orthogonal to by construction (non-symmetric entries).
fn fixed_start(d: usize) -> [Vec<f64>; 2] {
    let first = (0..d).map(|i| 1.0 + i as f64 / d as f64).collect();
    let second = (0..d)
        .map(|i| if i % 2 == 0 { 1.0 } else { -1.0 } * (2.0 - i as f64 / d as f64))
        .collect();
    [first, second]
}

/// Sign convention for a fresh plane (one with no previous orientation to follow): the
/// largest-magnitude entry of an axis is positive.
pub fn signed(v: &mut [f64]) {
    let big = v
        .iter()
        .copied()
        .fold(0.0f64, |m, x| if x.abs() > m.abs() { x } else { m });
    if big < 0.0 {
        v.iter_mut().for_each(|x| *x = -*x);
    }
}

pub fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// Gram–Schmidt on the pair; false when the first vector vanishes (no variance at all). A second
/// vector that vanishes (one-dimensional data) is left at zero.
fn orthonormalise(axes: &mut [Vec<f64>; 2]) -> bool {
    if normalise(&mut axes[0]) == 0.0 {
        return false;
    }
    let [first, second] = axes;
    let p = dot(first, second);
    for (s, f) in second.iter_mut().zip(first.iter()) {
        *s -= p * f;
    }
    if normalise(second) == 0.0 {
        second.iter_mut().for_each(|x| *x = 0.0);
    }
    true
}

pub fn normalise(v: &mut [f64]) -> f64 {
    let norm = v.iter().map(|x| x * x).sum::<f64>().sqrt();
    if norm > 1e-150 && norm.is_finite() {
        v.iter_mut().for_each(|x| *x /= norm);
        norm
    } else {
        0.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Rows with variance 9, 4 and 1 along three rotated orthogonal directions, padded with zero
    /// columns to `width`.
    fn rows(width: usize) -> (Vec<f64>, [Vec<f64>; 3]) {
        let s = 1.0 / 2f64.sqrt();
        let pad = |mut v: Vec<f64>| {
            v.resize(width, 0.0);
            v
        };
        let dirs = [
            pad(vec![s, s, 0.0]),
            pad(vec![0.0, 0.0, 1.0]),
            pad(vec![s, -s, 0.0]),
        ];
        let mut z = Vec::new();
        for (k, sd) in [3.0, 2.0, 1.0].iter().enumerate() {
            for sign in [-1.0, 1.0] {
                z.extend(dirs[k].iter().map(|v| sign * sd * v * 3f64.sqrt()));
            }
        }
        (z, dirs)
    }

    #[test]
    fn finds_the_two_largest_directions_in_order_by_either_product() {
        // Three columns: the covariance is formed; forty (more than the rows): rows are multiplied.
        for width in [3, 40] {
            let (z, dirs) = rows(width);
            let p = principal_plane(&z, 6, width, None, 200);
            assert!((p.total - 14.0).abs() < 1e-9, "{p:?}");
            assert!(dot(&p.axes[0], &dirs[0]).abs() > 1.0 - 1e-6, "{p:?}");
            assert!(dot(&p.axes[1], &dirs[1]).abs() > 1.0 - 1e-6, "{p:?}");
            assert!((p.variance[0] - 9.0).abs() < 1e-6 && (p.variance[1] - 4.0).abs() < 1e-6);
            assert!((p.explained()[0] - 9.0 / 14.0).abs() < 1e-6);
            assert!(dot(&p.axes[0], &p.axes[1]).abs() < 1e-9);
        }
    }

    #[test]
    fn a_warm_start_on_the_answer_stays_there_and_flat_data_gives_no_nan() {
        let (z, dirs) = rows(3);
        let start = [dirs[0].clone(), dirs[1].clone()];
        let p = principal_plane(&z, 6, 3, Some(&start), 2);
        assert!(dot(&p.axes[0], &dirs[0]).abs() > 1.0 - 1e-9);
        let flat = principal_plane(&[0.0; 12], 4, 3, None, 50);
        assert!(flat.axes.iter().flatten().all(|v| v.is_finite()));
        assert_eq!(flat.variance, [0.0, 0.0]);
        let line = principal_plane(&[1.0, -1.0], 2, 1, None, 50);
        assert_eq!(line.axes[1], vec![0.0]);
        assert!((line.variance[0] - 1.0).abs() < 1e-12);
    }
}
