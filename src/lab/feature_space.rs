//! The feature-space view: where the network puts each point just before its classifier (the
//! penultimate-layer features `h(x)`, [`imlab_engine::model::Mlp::penultimate_features`]), on the
//! plane of the training features' two principal components, with the class means, the global
//! mean and the classifier vectors `w_c` — the objects of neural collapse (Papyan, Han & Donoho,
//! PNAS 2020) and of minority collapse (Fang, He, Long & Su, PNAS 2021), seen directly.
//!
//! Choices:
//! - **The plane** is recomputed from the current model on every call (once per animation frame
//!   while the panel is open): the PCA of the centred features of the sampled original training
//!   rows (not standardised: the geometry of the features is the point, and the classifier vectors
//!   live in the same space). Test and synthetic rows are projected onto it, never fitted.
//! - **Stable orientation:** the plane's basis is Procrustes-rotated (rotation or reflection within
//!   the plane, the closed form of the 2 × 2 orthogonal Procrustes problem) to best match the
//!   previous frame's axes, so the picture turns only as much as the plane itself turns, and the
//!   previous axes warm-start the next frame's subspace iteration (a few rounds per frame then
//!   suffice). The first frame of an experiment orders its axes by variance and signs each so its
//!   largest entry is positive, like the input plane (`projection.rs`).
//! - **Arrows:** the classifier vectors are projected onto the same plane (as directions from the
//!   global mean) and share one scale factor, so their relative lengths and angles are kept: the
//!   longest arrow is as long as the farthest class mean is from the global mean (half the point
//!   cloud's radius while the means still coincide). A vector mostly orthogonal to the plane shows
//!   short, as it should.
//! - **Cost cap:** at most [`MAX_TRAIN_ROWS`] original training rows (every k-th, in order) fit the
//!   plane and are drawn, and at most [`MAX_OTHER_ROWS`] test rows and synthetic rows each are
//!   drawn; below the caps the class means are exact, above them they are the sample's.
//! - The model read is [`imlab_engine::Experiment::model`], the engine's state (which the WebGPU
//!   path adopts every frame), without τ-normalisation.

use imlab_engine::model::MlpWorkspace;
use imlab_engine::Experiment;
use serde::Serialize;

use super::marks::{Marks, PointRef};
use super::pca::{dot, principal_plane, signed};
use super::projection::Plane;

/// Original training rows that fit the plane and are drawn.
pub const MAX_TRAIN_ROWS: usize = 1000;
/// Test rows, and synthetic rows, drawn (each list).
pub const MAX_OTHER_ROWS: usize = 500;
/// Subspace-iteration rounds for an experiment's first frame, and for later frames warm-started
/// from the previous plane.
const COLD_ITERATIONS: usize = 100;
const WARM_ITERATIONS: usize = 6;

/// What the panel shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum FeatureMode {
    #[default]
    Features,
    /// The inputs, on the boundary panel's plane.
    Inputs,
}

/// One drawn point and the row it is.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FeaturePoint {
    pub x: f64,
    pub y: f64,
    pub class: usize,
    pub at: PointRef,
}

/// A square window `centre ± half` holding everything drawn (equal scales keep angles true).
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Window {
    pub centre: [f64; 2],
    pub half: f64,
}

impl Window {
    /// Fractions of the canvas (0..1, y down) of a plane point.
    pub fn to_unit(self, x: f64, y: f64) -> (f64, f64) {
        (
            0.5 + (x - self.centre[0]) / (2.0 * self.half),
            0.5 - (y - self.centre[1]) / (2.0 * self.half),
        )
    }

    /// The plane point at canvas fractions `(u, v)`.
    pub fn plane_point(&self, u: f64, v: f64) -> (f64, f64) {
        (
            self.centre[0] + (u - 0.5) * 2.0 * self.half,
            self.centre[1] - (v - 0.5) * 2.0 * self.half,
        )
    }
}

/// The picture's content; what `window.imlab.featureSpace()` reports (without the points).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FeatureView {
    /// "features" or "inputs".
    pub mode: &'static str,
    #[serde(skip)]
    pub points: Vec<FeaturePoint>,
    /// Index in `points` from which the training points are the ones the user added.
    #[serde(skip)]
    pub first_added: usize,
    pub n_points: usize,
    /// Per class, the mean of its (sampled) original training points; `None` for an absent class.
    pub class_means: Vec<Option<[f64; 2]>>,
    pub global_mean: [f64; 2],
    /// Tips of the classifier-vector arrows drawn from the global mean, one per class; empty when
    /// the view has none (the inputs view of a network with hidden layers).
    pub arrows: Vec<[f64; 2]>,
    /// Plane units per unit of a projected classifier vector.
    pub arrow_scale: f64,
    /// Share of the training features' variance on each axis (`None` for the inputs view of
    /// two-feature data, drawn as it is).
    pub explained: Option<[f64; 2]>,
    /// Width of the penultimate layer.
    pub feature_dim: usize,
    pub hidden_layers: usize,
    pub window: Window,
    /// Virtual features of virtual-feature calibration's second stage (plane position, class),
    /// at most [`MAX_OTHER_ROWS`]: trained on, never evaluated, drawn apart (features view only).
    #[serde(skip)]
    pub virtual_points: Vec<(f64, f64, usize)>,
    /// How many virtual features the head trains on (all of them, not only those drawn).
    pub n_virtual: usize,
}

impl FeatureView {
    /// The point closest to `(x, y)` within `radius` (plane units).
    pub fn nearest(&self, x: f64, y: f64, radius: f64) -> Option<PointRef> {
        let mut best: Option<(f64, PointRef)> = None;
        for p in &self.points {
            let d2 = (p.x - x).powi(2) + (p.y - y).powi(2);
            if d2 <= radius * radius && best.is_none_or(|(b, _)| d2 < b) {
                best = Some((d2, p.at));
            }
        }
        best.map(|(_, r)| r)
    }

    /// Where the row `at` is drawn, if it is.
    pub fn position_of(&self, at: PointRef) -> Option<(f64, f64)> {
        self.points.iter().find(|p| p.at == at).map(|p| (p.x, p.y))
    }

    /// What the picture is, said under it: the layer and its plane, what the marks are, and what
    /// the row cap left out (`train_rows`: the training split's size).
    pub fn note(&self, train_rows: usize) -> String {
        let share = |e: [f64; 2]| format!("{:.0}% + {:.0}%", e[0] * 100.0, e[1] * 100.0);
        let mut text = match (self.mode, self.hidden_layers) {
            ("features", 0) => format!(
                "No hidden layers: the features are the inputs themselves ({} of them), shown on their first two principal components ({} of the variance).",
                self.feature_dim,
                share(self.explained.unwrap_or_default())
            ),
            ("features", _) => format!(
                "Penultimate layer ({} features) on its first two principal components ({} of the training rows' variance), recomputed every frame, orientation kept from frame to frame.",
                self.feature_dim,
                share(self.explained.unwrap_or_default())
            ),
            _ => match self.explained {
                Some(e) => format!(
                    "The inputs, on their first two principal components ({} of the variance) as in the boundary panel.",
                    share(e)
                ),
                None => "The inputs, as in the boundary panel.".to_string(),
            },
        };
        text.push_str(if self.arrows.is_empty() {
            " Large discs: class means; cross: the global mean. The classifier vectors act on the penultimate features, not on the inputs, so they are drawn in the features view only."
        } else {
            " Large discs: class means; cross: the global mean; arrows: the classifier vectors, projected on this plane, one scale for all (the longest reaches as far as the farthest class mean)."
        });
        if self.n_virtual > 0 {
            text.push_str(&format!(
                " Triangles: the {} virtual features the output layer is re-trained on (virtual-feature calibration), drawn from each class's calibrated Gaussian; never evaluated.",
                self.n_virtual
            ));
        }
        let shown = self
            .points
            .iter()
            .filter(|p| matches!(p.at, PointRef::Train(_)))
            .count();
        if shown < train_rows {
            text.push_str(&format!(
                " Showing {shown} of {train_rows} training rows (every k-th) to keep the page fast."
            ));
        }
        text
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|e| {
            serde_json::json!({ "error": format!("feature view not serialized: {e}") }).to_string()
        })
    }
}

/// The rows of one experiment that the view shows, and their inputs as the model reads them
/// (train sample, then test, then synthetic, row-major f32).
#[derive(Default)]
struct Sample {
    train: Vec<usize>,
    test: Vec<usize>,
    /// Indices into `Marks::synthetic`.
    synthetic: Vec<usize>,
    x: Vec<f32>,
}

impl Sample {
    fn new(exp: &Experiment, marks: &Marks) -> Self {
        let train = every_kth(exp.train.len(), MAX_TRAIN_ROWS);
        let test = every_kth(exp.test.len(), MAX_OTHER_ROWS);
        let synthetic = every_kth(marks.synthetic.len(), MAX_OTHER_ROWS);
        let mut x = Vec::new();
        let mut push = |row: &[f64]| x.extend(row.iter().map(|&v| v as f32));
        train.iter().for_each(|&i| push(exp.train.row(i)));
        test.iter().for_each(|&i| push(exp.test.row(i)));
        for &j in &synthetic {
            if let Some(&r) = marks.synthetic_rows.get(j) {
                push(exp.resampled.data.row(r));
            }
        }
        Sample {
            train,
            test,
            synthetic,
            x,
        }
    }

    fn len(&self) -> usize {
        self.train.len() + self.test.len() + self.synthetic.len()
    }

    fn refs(&self) -> impl Iterator<Item = PointRef> + '_ {
        self.train
            .iter()
            .map(|&i| PointRef::Train(i))
            .chain(self.test.iter().map(|&i| PointRef::Test(i)))
            .chain(self.synthetic.iter().map(|&i| PointRef::Synthetic(i)))
    }
}

/// `min(n, cap)` indices spread evenly over `0..n`, in order.
fn every_kth(n: usize, cap: usize) -> Vec<usize> {
    if n <= cap {
        return (0..n).collect();
    }
    (0..cap).map(|i| i * n / cap).collect()
}

/// Keeps what one frame's view needs from the last: the experiment's row sample and the previous
/// plane (for the orientation and the warm start).
#[derive(Default)]
pub struct FeatureProjector {
    generation: Option<u64>,
    sample: Sample,
    previous: Option<[Vec<f64>; 2]>,
    ws: MlpWorkspace,
}

impl FeatureProjector {
    /// The features view of the current model; `generation` names the experiment (a new one
    /// starts a new sample and a new orientation).
    pub fn features(&mut self, exp: &Experiment, marks: &Marks, generation: u64) -> FeatureView {
        if self.generation != Some(generation) {
            self.sample = Sample::new(exp, marks);
            self.previous = None;
            self.generation = Some(generation);
        }
        let model = exp.model();
        let d = model.feature_dim();
        let n = self.sample.len();
        let h = model.penultimate_features_with(&self.sample.x, n, &mut self.ws);
        let n_train = self.sample.train.len();
        let row = |i: usize| &h[i * d..(i + 1) * d];
        let mut global = vec![0.0f64; d];
        for i in 0..n_train {
            for (g, &v) in global.iter_mut().zip(row(i)) {
                *g += f64::from(v) / n_train as f64;
            }
        }
        let mut z = Vec::with_capacity(n_train * d);
        for i in 0..n_train {
            z.extend(row(i).iter().zip(&global).map(|(&v, g)| f64::from(v) - g));
        }
        let previous = self.previous.as_ref().filter(|p| p[0].len() == d);
        let iterations = if previous.is_some() {
            WARM_ITERATIONS
        } else {
            COLD_ITERATIONS
        };
        let plane = principal_plane(&z, n_train, d, previous, iterations);
        let explained = plane.explained();
        let axes = match previous {
            Some(p) => procrustes(plane.axes, p),
            None => {
                let [mut a, mut b] = plane.axes;
                signed(&mut a);
                signed(&mut b);
                [a, b]
            }
        };
        let project = |v: &[f64]| (dot(v, &axes[0]), dot(v, &axes[1]));
        let mut centred = vec![0.0f64; d];
        let points: Vec<FeaturePoint> = self
            .sample
            .refs()
            .enumerate()
            .map(|(i, at)| {
                for (c, (&v, g)) in centred.iter_mut().zip(row(i).iter().zip(&global)) {
                    *c = f64::from(v) - g;
                }
                let (x, y) = project(&centred);
                FeaturePoint {
                    x,
                    y,
                    class: class_of(exp, at, marks),
                    at,
                }
            })
            .collect();
        let (w, _) = model.classifier_vectors();
        let directions: Vec<(f64, f64)> = w
            .chunks_exact(d.max(1))
            .map(|wc| {
                let wc: Vec<f64> = wc.iter().map(|&v| f64::from(v)).collect();
                project(&wc)
            })
            .collect();
        let view = assemble(
            "features",
            points,
            first_added(&self.sample.train, marks),
            (0.0, 0.0),
            &directions,
            exp,
        );
        // Virtual features already live in the penultimate space: centre them on the training
        // rows' global mean and project them on the same plane.
        let (virtual_points, n_virtual) = match exp.virtual_features() {
            Some((vx, vy)) if d > 0 && vx.len() == vy.len() * d => {
                let picked = every_kth(vy.len(), MAX_OTHER_ROWS);
                let pts: Vec<(f64, f64, usize)> = picked
                    .iter()
                    .map(|&i| {
                        for (c, (&v, g)) in centred
                            .iter_mut()
                            .zip(vx[i * d..(i + 1) * d].iter().zip(&global))
                        {
                            *c = f64::from(v) - g;
                        }
                        let (x, y) = project(&centred);
                        (x, y, vy[i])
                    })
                    .collect();
                (pts, vy.len())
            }
            _ => (Vec::new(), 0),
        };
        let window = if virtual_points.is_empty() {
            view.window
        } else {
            window_around(
                view.points
                    .iter()
                    .map(|p| (p.x, p.y))
                    .chain(view.arrows.iter().map(|a| (a[0], a[1])))
                    .chain(virtual_points.iter().map(|&(x, y, _)| (x, y)))
                    .chain(std::iter::once((view.global_mean[0], view.global_mean[1]))),
            )
        };
        self.previous = Some(axes);
        FeatureView {
            explained: Some(explained),
            feature_dim: d,
            window,
            virtual_points,
            n_virtual,
            ..view
        }
    }

    /// The inputs view: the sampled rows on the boundary panel's plane. Arrows only where the
    /// plane is the model's own two inputs and there is no hidden layer (the classifier vectors
    /// then live in the input plane).
    pub fn inputs(
        &mut self,
        exp: &Experiment,
        marks: &Marks,
        plane: &Plane,
        generation: u64,
    ) -> FeatureView {
        if self.generation != Some(generation) {
            self.sample = Sample::new(exp, marks);
            self.previous = None;
            self.generation = Some(generation);
        }
        let points: Vec<FeaturePoint> = self
            .sample
            .refs()
            .filter_map(|at| {
                marks.get(at).map(|m| FeaturePoint {
                    x: m.x,
                    y: m.y,
                    class: m.class,
                    at,
                })
            })
            .collect();
        let n_train = self.sample.train.len();
        let mut global = (0.0, 0.0);
        for p in &points[..n_train.min(points.len())] {
            global.0 += p.x / n_train as f64;
            global.1 += p.y / n_train as f64;
        }
        let model = exp.model();
        let directions: Vec<(f64, f64)> =
            if exp.config().model.hidden.is_empty() && plane.shows_boundary() {
                let (w, _) = model.classifier_vectors();
                w.chunks_exact(2)
                    .map(|wc| (f64::from(wc[0]), f64::from(wc[1])))
                    .collect()
            } else {
                Vec::new()
            };
        let view = assemble(
            "inputs",
            points,
            first_added(&self.sample.train, marks),
            global,
            &directions,
            exp,
        );
        let explained = match plane {
            Plane::Features => None,
            Plane::Pca { explained, .. } => Some(*explained),
        };
        FeatureView {
            explained,
            feature_dim: model.feature_dim(),
            ..view
        }
    }
}

fn class_of(exp: &Experiment, at: PointRef, marks: &Marks) -> usize {
    match at {
        PointRef::Train(i) => exp.train.y[i],
        PointRef::Test(i) => exp.test.y[i],
        PointRef::Synthetic(i) => marks.synthetic.get(i).map_or(0, |m| m.class),
    }
}

/// Index in the sampled training rows of the first row the user added.
fn first_added(train: &[usize], marks: &Marks) -> usize {
    let first = marks.first_added();
    train
        .iter()
        .position(|&i| i >= first)
        .unwrap_or(train.len())
}

/// Class means, arrows scaled as the module doc says, and the window.
fn assemble(
    mode: &'static str,
    points: Vec<FeaturePoint>,
    first_added: usize,
    global: (f64, f64),
    directions: &[(f64, f64)],
    exp: &Experiment,
) -> FeatureView {
    let k = exp.data.n_classes;
    let mut sums = vec![(0.0, 0.0, 0usize); k];
    for p in points.iter().filter(|p| matches!(p.at, PointRef::Train(_))) {
        if let Some(s) = sums.get_mut(p.class) {
            *s = (s.0 + p.x, s.1 + p.y, s.2 + 1);
        }
    }
    let class_means: Vec<Option<[f64; 2]>> = sums
        .iter()
        .map(|&(x, y, n)| (n > 0).then(|| [x / n as f64, y / n as f64]))
        .collect();
    let dist = |x: f64, y: f64| ((x - global.0).powi(2) + (y - global.1).powi(2)).sqrt();
    let reach_means = class_means
        .iter()
        .flatten()
        .map(|m| dist(m[0], m[1]))
        .fold(0.0f64, f64::max);
    let cloud = points
        .iter()
        .map(|p| dist(p.x, p.y))
        .filter(|v| v.is_finite())
        .fold(0.0f64, f64::max);
    let reach = if reach_means > 1e-3 * cloud {
        reach_means
    } else {
        0.5 * cloud
    };
    let longest = directions
        .iter()
        .map(|&(x, y)| x.hypot(y))
        .fold(0.0f64, f64::max);
    let arrow_scale = if longest > 0.0 && reach > 0.0 {
        reach / longest
    } else {
        0.0
    };
    let arrows: Vec<[f64; 2]> = directions
        .iter()
        .map(|&(x, y)| [global.0 + arrow_scale * x, global.1 + arrow_scale * y])
        .collect();
    let window = window_around(
        points
            .iter()
            .map(|p| (p.x, p.y))
            .chain(arrows.iter().map(|a| (a[0], a[1])))
            .chain(std::iter::once(global)),
    );
    FeatureView {
        mode,
        n_points: points.len(),
        points,
        first_added,
        class_means,
        global_mean: [global.0, global.1],
        arrows,
        arrow_scale,
        explained: None,
        feature_dim: 0,
        hidden_layers: exp.config().model.hidden.len(),
        window,
        virtual_points: Vec::new(),
        n_virtual: 0,
    }
}

/// The smallest square holding every finite point, with an 8 % margin (a unit square around the
/// origin when there is nothing to hold).
fn window_around(points: impl Iterator<Item = (f64, f64)>) -> Window {
    let mut lo = [f64::INFINITY; 2];
    let mut hi = [f64::NEG_INFINITY; 2];
    for (x, y) in points.filter(|p| p.0.is_finite() && p.1.is_finite()) {
        lo = [lo[0].min(x), lo[1].min(y)];
        hi = [hi[0].max(x), hi[1].max(y)];
    }
    if lo[0] > hi[0] {
        return Window {
            centre: [0.0, 0.0],
            half: 1.0,
        };
    }
    let half = ((hi[0] - lo[0]).max(hi[1] - lo[1]) / 2.0 * 1.08).max(1e-6);
    Window {
        centre: [(lo[0] + hi[0]) / 2.0, (lo[1] + hi[1]) / 2.0],
        half,
    }
}

/// The basis of the plane spanned by `axes` (orthonormal) closest to `previous`: the 2 × 2
/// orthogonal Procrustes problem, maximising `v₁·p₁ + v₂·p₂` over rotations and reflections of
/// the pair. With `M_ij = aᵢ·pⱼ`, a rotation by θ scores `cos θ (M₁₁+M₂₂) + sin θ (M₂₁−M₁₂)` and a
/// reflection `cos θ (M₁₁−M₂₂) + sin θ (M₁₂+M₂₁)`; each is best at its `atan2`.
fn procrustes(axes: [Vec<f64>; 2], previous: &[Vec<f64>; 2]) -> [Vec<f64>; 2] {
    let m = |i: usize, j: usize| dot(&axes[i], &previous[j]);
    let (m11, m12, m21, m22) = (m(0, 0), m(0, 1), m(1, 0), m(1, 1));
    let (rot_y, rot_x) = (m21 - m12, m11 + m22);
    let (ref_y, ref_x) = (m12 + m21, m11 - m22);
    // Columns of the 2 × 2 map R: v₁ = R₁₁a₁ + R₂₁a₂, v₂ = R₁₂a₁ + R₂₂a₂.
    let (r11, r21, r12, r22) = if rot_y.hypot(rot_x) >= ref_y.hypot(ref_x) {
        let t = rot_y.atan2(rot_x);
        (t.cos(), t.sin(), -t.sin(), t.cos())
    } else {
        let t = ref_y.atan2(ref_x);
        (t.cos(), t.sin(), t.sin(), -t.cos())
    };
    let combine = |p: f64, q: f64| -> Vec<f64> {
        axes[0]
            .iter()
            .zip(&axes[1])
            .map(|(a, b)| p * a + q * b)
            .collect()
    };
    [combine(r11, r21), combine(r12, r22)]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lab::{Lab, StepBudget};
    use imlab_engine::ExperimentConfig;

    fn trained(cfg: ExperimentConfig, steps: u64) -> Lab {
        let mut lab = Lab::new(cfg).unwrap();
        lab.train_cpu(StepBudget::new(steps, 1e9), &mut || 0.0)
            .unwrap();
        lab.refresh_cpu();
        lab
    }

    #[test]
    fn procrustes_undoes_a_rotation_and_a_reflection_within_the_plane() {
        let p = [vec![1.0, 0.0, 0.0], vec![0.0, 1.0, 0.0]];
        let (c, s) = (0.6f64, 0.8f64);
        let rotated = [vec![c, s, 0.0], vec![-s, c, 0.0]];
        let reflected = [vec![c, s, 0.0], vec![s, -c, 0.0]];
        for axes in [rotated, reflected] {
            let v = procrustes(axes, &p);
            for (got, want) in v.iter().flatten().zip(p.iter().flatten()) {
                assert!((got - want).abs() < 1e-12, "{v:?}");
            }
        }
    }

    #[test]
    fn the_view_projects_the_real_features_and_its_means_are_the_points_means() {
        let lab = trained(ExperimentConfig::default(), 200);
        let exp = lab.experiment();
        let mut proj = FeatureProjector::default();
        let v = proj.features(exp, lab.marks(), 0);
        assert_eq!(v.feature_dim, 16);
        assert_eq!(v.hidden_layers, 2);
        assert_eq!(
            v.n_points,
            exp.train.len().min(MAX_TRAIN_ROWS) + exp.test.len().min(MAX_OTHER_ROWS)
        );
        // Centred on the global mean of the training features.
        assert!(v.global_mean == [0.0, 0.0]);
        let train: Vec<&FeaturePoint> = v
            .points
            .iter()
            .filter(|p| matches!(p.at, PointRef::Train(_)))
            .collect();
        let mx = train.iter().map(|p| p.x).sum::<f64>() / train.len() as f64;
        assert!(mx.abs() < 1e-6, "{mx}");
        for c in 0..2 {
            let of: Vec<_> = train.iter().filter(|p| p.class == c).collect();
            let m = v.class_means[c].unwrap();
            let x = of.iter().map(|p| p.x).sum::<f64>() / of.len() as f64;
            assert!((x - m[0]).abs() < 1e-9);
        }
        let p = train[7];
        let e = v.explained.unwrap();
        assert!(
            e[0] >= e[1] && e[0] + e[1] <= 1.0 + 1e-9 && e[0] > 0.3,
            "{e:?}"
        );
        // Arrows: one per class, the longest as far from the global mean as the farthest mean.
        assert_eq!(v.arrows.len(), 2);
        let reach = v
            .class_means
            .iter()
            .flatten()
            .map(|m| m[0].hypot(m[1]))
            .fold(0.0, f64::max);
        let longest = v
            .arrows
            .iter()
            .map(|a| a[0].hypot(a[1]))
            .fold(0.0, f64::max);
        assert!(
            (reach - longest).abs() < 1e-9 * reach.max(1.0),
            "{reach} {longest}"
        );
        // Everything drawn is inside the window.
        for p in &v.points {
            let (u, w) = v.window.to_unit(p.x, p.y);
            assert!((0.0..=1.0).contains(&u) && (0.0..=1.0).contains(&w));
        }
        assert_eq!(v.nearest(p.x, p.y, 1e-12), Some(p.at));
        assert_eq!(v.position_of(p.at), Some((p.x, p.y)));
        assert!(v
            .note(exp.train.len())
            .contains("Penultimate layer (16 features)"));
        let json: serde_json::Value = serde_json::from_str(&v.to_json()).unwrap();
        assert_eq!(json["class_means"].as_array().unwrap().len(), 2);
        assert_eq!(json["mode"], "features");
    }

    #[test]
    fn the_orientation_holds_between_frames_and_follows_the_plane() {
        let mut lab = trained(ExperimentConfig::default(), 300);
        let mut proj = FeatureProjector::default();
        let first = proj.features(lab.experiment(), lab.marks(), 1);
        // The same model again: the warm-started, aligned plane gives the same picture.
        let again = proj.features(lab.experiment(), lab.marks(), 1);
        for (a, b) in first.points.iter().zip(&again.points) {
            assert!((a.x - b.x).abs() < 1e-3 * first.window.half, "{a:?} {b:?}");
            assert!((a.y - b.y).abs() < 1e-3 * first.window.half, "{a:?} {b:?}");
        }
        // A few more steps move the features a little; the picture must not flip or swap axes.
        lab.train_cpu(StepBudget::new(3, 1e9), &mut || 0.0).unwrap();
        let next = proj.features(lab.experiment(), lab.marks(), 1);
        let corr = |f: fn(&FeaturePoint) -> f64, g: fn(&FeaturePoint) -> f64| {
            first
                .points
                .iter()
                .zip(&next.points)
                .map(|(a, b)| f(a) * g(b))
                .sum::<f64>()
        };
        assert!(corr(|p| p.x, |p| p.x) > 0.0 && corr(|p| p.y, |p| p.y) > 0.0);
        assert!(corr(|p| p.x, |p| p.x).abs() > corr(|p| p.x, |p| p.y).abs());
        // A new experiment starts a fresh orientation (by the sign convention).
        let fresh = FeatureProjector::default().features(lab.experiment(), lab.marks(), 2);
        let other = proj.features(lab.experiment(), lab.marks(), 2);
        assert_eq!(fresh.points, other.points);
    }

    #[test]
    fn without_hidden_layers_the_features_are_the_inputs_and_caps_hold() {
        let mut cfg = ExperimentConfig::default();
        cfg.model.hidden = Vec::new();
        let lab = trained(cfg, 50);
        let exp = lab.experiment();
        let mut proj = FeatureProjector::default();
        let v = proj.features(exp, lab.marks(), 0);
        assert_eq!(v.feature_dim, 2);
        assert_eq!(v.hidden_layers, 0);
        // Two inputs, two components: the whole variance is on the plane.
        let e = v.explained.unwrap();
        assert!((e[0] + e[1] - 1.0).abs() < 1e-6, "{e:?}");
        // The projection of 2-D features onto their own plane is a rigid motion: distances between
        // rows are the inputs' distances.
        let (a, b) = (v.points[3], v.points[40]);
        let (PointRef::Train(i), PointRef::Train(j)) = (a.at, b.at) else {
            panic!()
        };
        let (ri, rj) = (exp.train.row(i), exp.train.row(j));
        let want = (ri[0] - rj[0]).hypot(ri[1] - rj[1]);
        assert!(((a.x - b.x).hypot(a.y - b.y) - want).abs() < 1e-5, "{want}");
        let inputs = proj.inputs(exp, lab.marks(), lab.plane(), 0);
        assert_eq!(inputs.mode, "inputs");
        assert!(v
            .note(exp.train.len())
            .starts_with("No hidden layers: the features are the inputs"));
        assert_eq!(inputs.explained, None);
        assert_eq!(
            inputs.arrows.len(),
            2,
            "softmax regression's vectors live in the input plane"
        );
        let m = lab.marks().train[0];
        assert_eq!((inputs.points[0].x, inputs.points[0].y), (m.x, m.y));
        // With hidden layers the inputs view has no arrows.
        let deep = trained(ExperimentConfig::default(), 1);
        let v =
            FeatureProjector::default().inputs(deep.experiment(), deep.marks(), deep.plane(), 0);
        assert!(v.arrows.is_empty());
        assert_eq!(every_kth(10, 4), vec![0, 2, 5, 7]);
        assert_eq!(every_kth(3, 4), vec![0, 1, 2]);
    }

    #[test]
    fn synthetic_rows_are_projected_apart_and_named_by_their_mark() {
        let cfg = ExperimentConfig {
            sampler: imlab_engine::resample::SamplerSpec::Smote(Default::default()),
            ..Default::default()
        };
        let lab = trained(cfg, 20);
        let v = FeatureProjector::default().features(lab.experiment(), lab.marks(), 0);
        let synth: Vec<_> = v
            .points
            .iter()
            .filter(|p| matches!(p.at, PointRef::Synthetic(_)))
            .collect();
        assert_eq!(synth.len(), lab.marks().synthetic.len().min(MAX_OTHER_ROWS));
        let PointRef::Synthetic(j) = synth[0].at else {
            panic!()
        };
        assert_eq!(synth[0].class, lab.marks().synthetic[j].class);
    }
}
