//! The points drawn on the plane: the training split, the test split, and the rows a sampler
//! synthesized, which are drawn apart and never evaluated. Each mark keeps where it came from so
//! hovering it can say so.

use imlab_engine::dataset::Dataset;
use imlab_engine::resample::{Origin, Resampled};

use super::projection::Plane;

/// One point: its position on the plane (the first two features, or principal components) and its
/// class.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Mark {
    pub x: f64,
    pub y: f64,
    pub class: usize,
}

/// Which list a mark is in, and its index there.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PointRef {
    Train(usize),
    Test(usize),
    Synthetic(usize),
}

/// A list of marks and how to name one of them.
type MarkList<'a> = (&'a [Mark], fn(usize) -> PointRef);

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Marks {
    pub train: Vec<Mark>,
    pub test: Vec<Mark>,
    pub synthetic: Vec<Mark>,
    /// For each synthetic mark, the training rows it was made from: `(base, neighbour)` for the
    /// SMOTE family, `(row, row)` for a smoothed copy.
    pub parents: Vec<(usize, usize)>,
    /// For each synthetic mark, its row in the resampled training set.
    pub synthetic_rows: Vec<usize>,
    /// How many of the last training marks are points the user added (the dataset's point edits).
    pub added: usize,
}

impl Marks {
    pub fn new(train: &Dataset, test: &Dataset, resampled: &Resampled, plane: &Plane) -> Self {
        let mut synthetic = Vec::new();
        let mut parents = Vec::new();
        let mut synthetic_rows = Vec::new();
        for (i, o) in resampled.origin.iter().enumerate() {
            let from = match *o {
                Origin::Synthetic { base, neighbor } => (base, neighbor),
                Origin::Smoothed { index } => (index, index),
                _ => continue,
            };
            synthetic.push(mark(&resampled.data, i, plane));
            parents.push(from);
            synthetic_rows.push(i);
        }
        Marks {
            train: (0..train.len()).map(|i| mark(train, i, plane)).collect(),
            test: (0..test.len()).map(|i| mark(test, i, plane)).collect(),
            synthetic,
            parents,
            synthetic_rows,
            added: 0,
        }
    }

    /// Index of the first training mark the user added (`train.len()` when none was).
    pub fn first_added(&self) -> usize {
        self.train.len().saturating_sub(self.added)
    }

    /// The training mark closest to `(x, y)` within `radius` (plane units): what a removal click
    /// takes out.
    pub fn nearest_train(&self, x: f64, y: f64, radius: f64) -> Option<usize> {
        let mut best: Option<(f64, usize)> = None;
        for (i, m) in self.train.iter().enumerate() {
            let d2 = (m.x - x).powi(2) + (m.y - y).powi(2);
            if d2 <= radius * radius && best.is_none_or(|(b, _)| d2 < b) {
                best = Some((d2, i));
            }
        }
        best.map(|(_, i)| i)
    }

    pub fn get(&self, r: PointRef) -> Option<&Mark> {
        match r {
            PointRef::Train(i) => self.train.get(i),
            PointRef::Test(i) => self.test.get(i),
            PointRef::Synthetic(i) => self.synthetic.get(i),
        }
    }

    /// The mark closest to `(x, y)` within `radius` (plane units), test and synthetic marks first
    /// on ties since they are drawn on top.
    pub fn nearest(&self, x: f64, y: f64, radius: f64) -> Option<PointRef> {
        let mut best: Option<(f64, PointRef)> = None;
        let lists: [MarkList; 3] = [
            (&self.test, PointRef::Test),
            (&self.synthetic, PointRef::Synthetic),
            (&self.train, PointRef::Train),
        ];
        for (marks, make) in lists {
            for (i, m) in marks.iter().enumerate() {
                let d2 = (m.x - x).powi(2) + (m.y - y).powi(2);
                if d2 <= radius * radius && best.is_none_or(|(b, _)| d2 < b) {
                    best = Some((d2, make(i)));
                }
            }
        }
        best.map(|(_, r)| r)
    }

    /// One line saying what the point is and where it came from.
    pub fn describe(&self, r: PointRef) -> String {
        let Some(m) = self.get(r) else {
            return String::new();
        };
        match r {
            PointRef::Train(i) if i >= self.first_added() => format!(
                "train row {i} · class {} · added by you · trained on, never evaluated",
                m.class
            ),
            PointRef::Train(i) => format!("train row {i} · class {}", m.class),
            PointRef::Test(i) => {
                format!("test row {i} · class {} · evaluated, never trained on", m.class)
            }
            PointRef::Synthetic(i) => match self.parents.get(i) {
                Some(&(a, b)) if a == b => format!(
                    "synthetic · class {} · smoothed copy of train row {a} · trained on, never evaluated",
                    m.class
                ),
                Some(&(a, b)) => format!(
                    "synthetic · class {} · between train rows {a} and {b} · trained on, never evaluated",
                    m.class
                ),
                None => format!("synthetic · class {}", m.class),
            },
        }
    }
}

fn mark(data: &Dataset, i: usize, plane: &Plane) -> Mark {
    let (x, y) = plane.project(data.row(i));
    Mark {
        x,
        y,
        class: data.y[i],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use imlab_engine::{Experiment, ExperimentConfig};

    #[test]
    fn one_mark_per_row_and_no_synthetic_without_a_sampler() {
        let e = Experiment::new(ExperimentConfig::default()).unwrap();
        let m = Marks::new(&e.train, &e.test, &e.resampled, &Plane::Features);
        assert_eq!(m.train.len(), e.train.len());
        assert_eq!(m.test.len(), e.test.len());
        assert!(m.synthetic.is_empty());
        assert_eq!(m.train[3].class, e.train.y[3]);
        assert_eq!(m.test[0].x, e.test.row(0)[0]);
    }

    #[test]
    fn synthetic_marks_know_their_parents_and_hovering_finds_them() {
        let cfg = ExperimentConfig {
            sampler: imlab_engine::resample::SamplerSpec::Smote(Default::default()),
            ..Default::default()
        };
        let e = Experiment::new(cfg).unwrap();
        let m = Marks::new(&e.train, &e.test, &e.resampled, &Plane::Features);
        assert!(!m.synthetic.is_empty());
        assert_eq!(m.parents.len(), m.synthetic.len());
        let (base, _) = m.parents[0];
        assert_eq!(e.train.y[base], m.synthetic[0].class);
        let s = m.synthetic[0];
        assert_eq!(m.nearest(s.x, s.y, 1e-9), Some(PointRef::Synthetic(0)));
        assert!(m
            .describe(PointRef::Synthetic(0))
            .contains("never evaluated"));
        let t = m.test[2];
        assert_eq!(m.nearest(t.x, t.y, 1e-9), Some(PointRef::Test(2)));
        assert_eq!(m.nearest(1e9, 1e9, 1.0), None);
    }
}
