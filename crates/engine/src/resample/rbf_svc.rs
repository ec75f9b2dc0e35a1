//! A small exact C-SVC with an RBF kernel, only to find support vectors for SVM-SMOTE.
//!
//! Dual solved by SMO with libsvm's second-order working-set selection (Fan, Chen, Lin, "Working Set
//! Selection Using Second Order Information for Training Support Vector Machines", JMLR 6, 2005),
//! following libsvm 3.x `Solver::Solve` / `select_working_set` as bundled in scikit-learn 1.9.1
//! (`SVC(kernel='rbf', C=1, gamma='scale', tol=1e-3)`), including the kernel rows held as f32 and
//! ties going to the later index. Multi-class is one-vs-one, as libsvm; the support vectors are the
//! rows with α > 0 in any pair. libsvm also shrinks the active set, which changes the path (not the
//! optimum), so rows with α at the edge of the tolerance can differ: `tests/over_samplers.rs`
//! compares the support set with scikit-learn's and requires near-total agreement.

use crate::dataset::Dataset;
use crate::math;

const TAU: f64 = 1e-12;

/// `gamma='scale'`: 1 / (n_features · Var(X)), the variance over every entry of X.
pub fn gamma_scale(train: &Dataset) -> f64 {
    let n = train.x.len() as f64;
    let mean = train.x.iter().sum::<f64>() / n;
    let var = train.x.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / n;
    if var > 0.0 {
        1.0 / (train.n_features as f64 * var)
    } else {
        1.0
    }
}

struct Kernel<'a> {
    x: &'a [f64],
    d: usize,
    rows: &'a [usize],
    sq: Vec<f64>,
    gamma: f64,
    cache: Vec<Option<Vec<f32>>>,
    order: std::collections::VecDeque<usize>,
    budget: usize,
}

impl<'a> Kernel<'a> {
    fn new(x: &'a [f64], d: usize, rows: &'a [usize], gamma: f64) -> Self {
        let sq = rows
            .iter()
            .map(|&r| x[r * d..(r + 1) * d].iter().map(|v| v * v).sum())
            .collect();
        // About 64 MiB of cached kernel rows.
        let budget = ((64usize << 20) / (4 * rows.len().max(1))).max(2);
        Kernel {
            x,
            d,
            rows,
            sq,
            gamma,
            cache: vec![None; rows.len()],
            order: Default::default(),
            budget,
        }
    }

    fn value(&self, i: usize, j: usize) -> f64 {
        let (a, b) = (self.rows[i], self.rows[j]);
        let dot: f64 = self.x[a * self.d..(a + 1) * self.d]
            .iter()
            .zip(&self.x[b * self.d..(b + 1) * self.d])
            .map(|(p, q)| p * q)
            .sum();
        math::exp(-self.gamma * (self.sq[i] + self.sq[j] - 2.0 * dot))
    }

    fn row(&mut self, i: usize) -> &[f32] {
        if self.cache[i].is_none() {
            if self.order.len() >= self.budget {
                if let Some(old) = self.order.pop_front() {
                    self.cache[old] = None;
                }
            }
            let r = (0..self.rows.len())
                .map(|j| self.value(i, j) as f32)
                .collect();
            self.cache[i] = Some(r);
            self.order.push_back(i);
        }
        self.cache[i].as_deref().unwrap_or(&[])
    }
}

/// α of the binary problem on `rows` with labels `y` (±1), box [0, c], stopping at `tol`.
pub fn solve_binary(
    x: &[f64],
    d: usize,
    rows: &[usize],
    y: &[f64],
    c: f64,
    gamma: f64,
    tol: f64,
) -> Vec<f64> {
    let n = rows.len();
    let mut k = Kernel::new(x, d, rows, gamma);
    let qd: Vec<f64> = (0..n).map(|i| k.value(i, i)).collect();
    let mut alpha = vec![0.0; n];
    let mut g = vec![-1.0; n];
    let max_iter = (100 * n).max(10_000_000);
    let upper = |a: f64| a >= c;
    let lower = |a: f64| a <= 0.0;
    for _ in 0..max_iter {
        // Working set selection (libsvm WSS3).
        let mut gmax = f64::NEG_INFINITY;
        let mut gmax_idx = usize::MAX;
        for t in 0..n {
            if y[t] > 0.0 {
                if !upper(alpha[t]) && -g[t] >= gmax {
                    gmax = -g[t];
                    gmax_idx = t;
                }
            } else if !lower(alpha[t]) && g[t] >= gmax {
                gmax = g[t];
                gmax_idx = t;
            }
        }
        if gmax_idx == usize::MAX {
            break;
        }
        let i = gmax_idx;
        let qi: Vec<f32> = k.row(i).to_vec();
        let mut gmax2 = f64::NEG_INFINITY;
        let mut gmin_idx = usize::MAX;
        let mut obj_min = f64::INFINITY;
        for j in 0..n {
            let qij = y[i] * y[j] * f64::from(qi[j]);
            if y[j] > 0.0 {
                if !lower(alpha[j]) {
                    let grad_diff = gmax + g[j];
                    if g[j] >= gmax2 {
                        gmax2 = g[j];
                    }
                    if grad_diff > 0.0 {
                        let quad = qd[i] + qd[j] - 2.0 * y[i] * qij;
                        let obj = -(grad_diff * grad_diff) / if quad > 0.0 { quad } else { TAU };
                        if obj <= obj_min {
                            gmin_idx = j;
                            obj_min = obj;
                        }
                    }
                }
            } else if !upper(alpha[j]) {
                let grad_diff = gmax - g[j];
                if -g[j] >= gmax2 {
                    gmax2 = -g[j];
                }
                if grad_diff > 0.0 {
                    let quad = qd[i] + qd[j] + 2.0 * y[i] * qij;
                    let obj = -(grad_diff * grad_diff) / if quad > 0.0 { quad } else { TAU };
                    if obj <= obj_min {
                        gmin_idx = j;
                        obj_min = obj;
                    }
                }
            }
        }
        if gmax + gmax2 < tol || gmin_idx == usize::MAX {
            break;
        }
        let j = gmin_idx;
        let qj: Vec<f32> = k.row(j).to_vec();
        let q_ij = y[i] * y[j] * f64::from(qi[j]);
        let (old_i, old_j) = (alpha[i], alpha[j]);
        if y[i] != y[j] {
            let mut quad = qd[i] + qd[j] + 2.0 * q_ij;
            if quad <= 0.0 {
                quad = TAU;
            }
            let delta = (-g[i] - g[j]) / quad;
            let diff = alpha[i] - alpha[j];
            alpha[i] += delta;
            alpha[j] += delta;
            if diff > 0.0 {
                if alpha[j] < 0.0 {
                    alpha[j] = 0.0;
                    alpha[i] = diff;
                }
            } else if alpha[i] < 0.0 {
                alpha[i] = 0.0;
                alpha[j] = -diff;
            }
            if diff > 0.0 {
                if alpha[i] > c {
                    alpha[i] = c;
                    alpha[j] = c - diff;
                }
            } else if alpha[j] > c {
                alpha[j] = c;
                alpha[i] = c + diff;
            }
        } else {
            let mut quad = qd[i] + qd[j] - 2.0 * q_ij;
            if quad <= 0.0 {
                quad = TAU;
            }
            let delta = (g[i] - g[j]) / quad;
            let sum = alpha[i] + alpha[j];
            alpha[i] -= delta;
            alpha[j] += delta;
            if sum > c {
                if alpha[i] > c {
                    alpha[i] = c;
                    alpha[j] = sum - c;
                }
            } else if alpha[j] < 0.0 {
                alpha[j] = 0.0;
                alpha[i] = sum;
            }
            if sum > c {
                if alpha[j] > c {
                    alpha[j] = c;
                    alpha[i] = sum - c;
                }
            } else if alpha[i] < 0.0 {
                alpha[i] = 0.0;
                alpha[j] = sum;
            }
        }
        let (di, dj) = (alpha[i] - old_i, alpha[j] - old_j);
        for t in 0..n {
            let qti = y[t] * y[i] * f64::from(qi[t]);
            let qtj = y[t] * y[j] * f64::from(qj[t]);
            g[t] += qti * di + qtj * dj;
        }
    }
    alpha
}

/// Support vectors (ascending training-split indices) of a one-vs-one RBF C-SVC on `train`.
pub fn support_vectors(train: &Dataset, c: f64, gamma: f64, tol: f64) -> Vec<usize> {
    let counts = train.class_counts();
    let classes: Vec<usize> = (0..counts.len()).filter(|&k| counts[k] > 0).collect();
    let mut is_sv = vec![false; train.len()];
    for (a, &ca) in classes.iter().enumerate() {
        for &cb in &classes[a + 1..] {
            let rows: Vec<usize> = (0..train.len())
                .filter(|&i| train.y[i] == ca || train.y[i] == cb)
                .collect();
            let y: Vec<f64> = rows
                .iter()
                .map(|&i| if train.y[i] == ca { 1.0 } else { -1.0 })
                .collect();
            let alpha = solve_binary(&train.x, train.n_features, &rows, &y, c, gamma, tol);
            for (&r, &al) in rows.iter().zip(&alpha) {
                if al > 0.0 {
                    is_sv[r] = true;
                }
            }
        }
    }
    (0..train.len()).filter(|&i| is_sv[i]).collect()
}
