//! What a multi-label sampler did, for the plot's "sampler's internals" overlay: MLSMOTE's
//! synthetic rows as segments from the seed sample toward the neighbour they were interpolated
//! toward, the samples ML-ROS cloned (with how often), the rows ML-RUS removed, and a summary that
//! names the minority labels (IRLbl above MeanIR, Charte et al. 2015) the sampler worked for.

use imlab_engine::multilabel::resample::{MultilabelData, MultilabelResampled};
use imlab_engine::multilabel::ImbalanceMeasures;
use imlab_engine::resample::Origin;

use super::multilabel::label_name;

#[derive(Clone, Debug, Default, PartialEq)]
pub struct MultilabelInternals {
    /// `(seed, synthetic, neighbour)` positions of each MLSMOTE row: the row lies on the segment.
    pub segments: Vec<[(f64, f64); 3]>,
    /// Positions of cloned samples and how many clones each got.
    pub cloned: Vec<((f64, f64), usize)>,
    /// Positions of removed rows.
    pub removed: Vec<(f64, f64)>,
    /// One sentence per fact, for the list under the plot.
    pub summary: Vec<String>,
}

fn at(data: &MultilabelData, i: usize) -> (f64, f64) {
    let d = data.n_features;
    (data.x[i * d], data.x.get(i * d + 1).copied().unwrap_or(0.0))
}

impl MultilabelInternals {
    /// From the training split `train` (before the sampler), what the sampler returned, and the
    /// split's imbalance measures.
    pub fn of(train: &MultilabelData, res: &MultilabelResampled, m: &ImbalanceMeasures) -> Self {
        let mut out = MultilabelInternals::default();
        let mut clones = vec![0usize; train.n_samples()];
        for (i, origin) in res.origins.iter().enumerate() {
            match *origin {
                Origin::Duplicate { index } => clones[index] += 1,
                Origin::Synthetic { base, neighbor } => {
                    out.segments
                        .push([at(train, base), at(&res.data, i), at(train, neighbor)])
                }
                _ => {}
            }
        }
        out.cloned = (clones.iter().enumerate())
            .filter(|(_, &c)| c > 0)
            .map(|(i, &c)| (at(train, i), c))
            .collect();
        out.removed = res.removed.iter().map(|&i| at(train, i)).collect();
        if out.segments.is_empty() && out.cloned.is_empty() && out.removed.is_empty() {
            return out;
        }
        let minority: Vec<String> = (0..m.ir_lbl.len())
            .filter(|&l| m.ir_lbl[l] > m.mean_ir)
            .map(label_name)
            .collect();
        out.summary.push(format!(
            "Minority labels (IRLbl above MeanIR = {:.2}): {}.",
            m.mean_ir,
            if minority.is_empty() {
                "none".into()
            } else {
                minority.join(", ")
            }
        ));
        if !out.segments.is_empty() {
            out.summary.push(format!(
                "{} synthetic rows, each on the segment from a sample of a minority label toward one of its neighbours (thin lines); its label set comes from the neighbours (the `label_set` rule).",
                out.segments.len()
            ));
        }
        if !out.cloned.is_empty() {
            let total: usize = out.cloned.iter().map(|c| c.1).sum();
            out.summary.push(format!(
                "{total} clones of {} samples carrying minority labels (double rings).",
                out.cloned.len()
            ));
        }
        if !out.removed.is_empty() {
            out.summary.push(format!(
                "{} rows removed from the bags of majority labels (grey squares; not trained on).",
                out.removed.len()
            ));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use crate::lab::MultilabelLab;
    use imlab_engine::experiment::TaskKind;
    use imlab_engine::link::parse_fragment;
    use imlab_engine::ExperimentConfig;

    fn lab(fragment: &str) -> MultilabelLab {
        let base = ExperimentConfig::default().switched_to(TaskKind::Multilabel);
        let parsed = parse_fragment(fragment, &base);
        assert!(parsed.issues.is_empty(), "{:?}", parsed.issues);
        MultilabelLab::new(parsed.config).unwrap()
    }

    #[test]
    fn each_sampler_is_shown_by_what_it_did() {
        let plain = lab("task=multilabel");
        assert!(plain.internals().summary.is_empty());

        let smote = lab("task=multilabel&multilabel.sampler.kind=mlsmote");
        let i = smote.internals();
        assert_eq!(i.segments.len(), smote.view().snapshot.added_rows);
        assert!(!i.segments.is_empty());
        // MLSMOTE interpolates per feature: each coordinate lies between seed and neighbour.
        for [a, s, b] in &i.segments {
            let between = |p: f64, q: f64, v: f64| p.min(q) - 1e-9 <= v && v <= p.max(q) + 1e-9;
            assert!(between(a.0, b.0, s.0) && between(a.1, b.1, s.1));
        }
        assert!(i.summary[0].starts_with("Minority labels"));

        let ros = lab("task=multilabel&multilabel.sampler.kind=ml_ros");
        let i = ros.internals();
        assert_eq!(
            i.cloned.iter().map(|c| c.1).sum::<usize>(),
            ros.view().snapshot.added_rows
        );

        let rus = lab("task=multilabel&multilabel.sampler.kind=ml_rus");
        let i = rus.internals();
        let s = &rus.view().snapshot;
        assert_eq!(i.removed.len(), s.train_rows - s.resampled_rows);
        assert!(i.summary.iter().any(|t| t.contains("removed")));
    }
}
