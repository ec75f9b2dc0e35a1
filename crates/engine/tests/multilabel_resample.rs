//! ML-ROS, ML-RUS and MLSMOTE: behaviour tests of their invariants (no Python reference exists:
//! scikit-multilearn has none of them). Counts, the direction of IRLbl, where synthetic points
//! lie, the label-set rule, and determinism per seed.

use imlab_engine::multilabel::resample::{
    LabelSetRule, MlRos, MlRus, Mlsmote, MlsmoteInterpolation, MultilabelData,
};
use imlab_engine::multilabel::{ImbalanceMeasures, LabelEntry, LabelMatrix, MAX_LABELS};
use imlab_engine::resample::Origin;
use imlab_engine::rng::Rng;

/// 80 samples, 3 features, 4 labels with a long tail of frequencies (~0.6, 0.3, 0.12, 0.05);
/// label 3 rides along with label 2 half the time (co-occurrence).
fn data(seed: u64) -> MultilabelData {
    let mut r = Rng::stream(seed, "test-data");
    let n = 80;
    let mut x = Vec::new();
    let mut entries = Vec::new();
    for i in 0..n {
        let f: Vec<f64> = (0..3).map(|_| r.normal()).collect();
        let l0 = r.uniform() < 0.6;
        let l1 = r.uniform() < 0.3;
        let l2 = r.uniform() < 0.12 || i == 0 || i == 1;
        let l3 = (l2 && r.uniform() < 0.5) || i == 2 || i == 3;
        x.extend(f.iter().map(|v| v + if l3 { 2.0 } else { 0.0 }));
        for b in [l0 || i == 4, l1 || i == 5, l2, l3] {
            entries.push(if b {
                LabelEntry::Positive
            } else {
                LabelEntry::Negative
            });
        }
    }
    MultilabelData::new(x, 3, LabelMatrix::new(entries, 4, MAX_LABELS).unwrap()).unwrap()
}

fn measures(d: &MultilabelData) -> ImbalanceMeasures {
    ImbalanceMeasures::compute(&d.labels).unwrap()
}

#[test]
fn ml_ros_clones_minority_bags_until_the_budget_or_mean_ir() {
    let d = data(1);
    let before = measures(&d);
    let minority = before.minority_labels();
    assert!(!minority.is_empty());
    let out = MlRos { percentage: 25.0 }
        .resample(&d, &mut Rng::stream(7, "multilabel_sampler"))
        .unwrap();
    let clones: Vec<usize> = out
        .origins
        .iter()
        .filter_map(|o| match o {
            Origin::Duplicate { index } => Some(*index),
            _ => None,
        })
        .collect();
    // At most ⌊80·25/100⌋ = 20 clones; fewer only when every minority bag reached MeanIR.
    assert!(clones.len() <= 20 && !clones.is_empty());
    assert_eq!(out.data.n_samples(), 80 + clones.len());
    if clones.len() < 20 {
        let after = measures(&out.data);
        for &l in &minority {
            assert!(
                after.ir_lbl[l] <= before.mean_ir,
                "bag {l} left before MeanIR"
            );
        }
    }
    // A small budget binds exactly: ⌊80·5/100⌋ = 4.
    let small = MlRos { percentage: 5.0 }
        .resample(&d, &mut Rng::stream(7, "multilabel_sampler"))
        .unwrap();
    assert_eq!(small.data.n_samples(), 84);
    for (k, &c) in clones.iter().enumerate() {
        assert!(
            minority.iter().any(|&l| d.labels.is_positive(c, l)),
            "clone of row {c} carries no minority label"
        );
        assert_eq!(out.data.labels.row(80 + k), d.labels.row(c));
        assert_eq!(out.data.row(80 + k), d.row(c));
    }
    let after = measures(&out.data);
    for &l in &minority {
        assert!(
            after.ir_lbl[l] <= before.ir_lbl[l],
            "IRLbl of label {l} rose"
        );
    }
    assert!(after.mean_ir < before.mean_ir);
    // Same seed, same clones; another seed, other clones.
    let again = MlRos { percentage: 25.0 }
        .resample(&d, &mut Rng::stream(7, "multilabel_sampler"))
        .unwrap();
    assert_eq!(again, out);
    let other = MlRos { percentage: 25.0 }
        .resample(&d, &mut Rng::stream(8, "multilabel_sampler"))
        .unwrap();
    assert_ne!(other.origins, out.origins);
}

#[test]
fn ml_rus_deletes_majority_bag_samples() {
    let d = data(2);
    let before = measures(&d);
    let majority: Vec<usize> = (0..4)
        .filter(|&l| before.ir_lbl[l] <= before.mean_ir)
        .collect();
    let out = MlRus { percentage: 20.0 }
        .resample(&d, &mut Rng::stream(3, "multilabel_sampler"))
        .unwrap();
    assert!(!out.removed.is_empty() && out.removed.len() <= 16);
    assert_eq!(out.data.n_samples() + out.removed.len(), 80);
    for &r in &out.removed {
        assert!(majority.iter().any(|&l| d.labels.is_positive(r, l)));
    }
    // Kept rows in input order, each an original.
    let kept: Vec<usize> = out
        .origins
        .iter()
        .map(|o| match o {
            Origin::Original { index } => *index,
            other => panic!("{other:?}"),
        })
        .collect();
    assert!(kept.windows(2).all(|w| w[0] < w[1]));
    assert!(measures(&out.data).mean_ir <= before.mean_ir);
    let again = MlRus { percentage: 20.0 }
        .resample(&d, &mut Rng::stream(3, "multilabel_sampler"))
        .unwrap();
    assert_eq!(again, out);
}

fn nearest_in_bag(d: &MultilabelData, base: usize, label: usize, k: usize) -> Vec<usize> {
    let mut o: Vec<(f64, usize)> = (0..d.n_samples())
        .filter(|&i| i != base && d.labels.is_positive(i, label))
        .map(|i| {
            let s: f64 = d
                .row(base)
                .iter()
                .zip(d.row(i))
                .map(|(a, b)| (a - b) * (a - b))
                .sum();
            (s, i)
        })
        .collect();
    o.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    o.into_iter().take(k).map(|(_, i)| i).collect()
}

#[test]
fn mlsmote_synthesises_between_a_base_and_a_bag_neighbour() {
    let d = data(3);
    let before = measures(&d);
    let minority = before.minority_labels();
    for interpolation in [
        MlsmoteInterpolation::PerFeature,
        MlsmoteInterpolation::Segment,
    ] {
        let m = Mlsmote {
            k_neighbors: 5,
            label_set: LabelSetRule::Ranking,
            interpolation,
        };
        let out = m
            .resample(&d, &Rng::stream(11, "multilabel_sampler"))
            .unwrap();
        let expected: usize = minority
            .iter()
            .map(|&l| before.positives[l])
            .filter(|&c| c >= 2)
            .sum();
        assert_eq!(out.data.n_samples(), 80 + expected);
        // Rows are grouped label by label: walk the minority labels in order.
        let mut row = 80;
        for &l in &minority {
            for base in (0..80).filter(|&i| d.labels.is_positive(i, l)) {
                let Origin::Synthetic { base: b, neighbor } = out.origins[row] else {
                    panic!("row {row} is not synthetic");
                };
                assert_eq!(b, base);
                let near = nearest_in_bag(&d, base, l, 5);
                assert!(
                    near.contains(&neighbor),
                    "neighbour {neighbor} not among the 5 nearest"
                );
                let (xs, xn, s) = (d.row(base), d.row(neighbor), out.data.row(row));
                let mut ratios = Vec::new();
                for f in 0..3 {
                    let (lo, hi) = (xs[f].min(xn[f]), xs[f].max(xn[f]));
                    assert!(s[f] >= lo - 1e-12 && s[f] <= hi + 1e-12, "outside the box");
                    if (xn[f] - xs[f]).abs() > 1e-9 {
                        ratios.push((s[f] - xs[f]) / (xn[f] - xs[f]));
                    }
                }
                if interpolation == MlsmoteInterpolation::Segment {
                    assert!(
                        ratios.windows(2).all(|w| (w[0] - w[1]).abs() < 1e-9),
                        "off the segment"
                    );
                }
                // Ranking: labels of more than half of base + 5 neighbours; the minority label
                // itself is always kept (every voter carries it).
                for j in 0..4 {
                    let votes = usize::from(d.labels.is_positive(base, j))
                        + near.iter().filter(|&&o| d.labels.is_positive(o, j)).count();
                    assert_eq!(
                        out.data.labels.is_positive(row, j),
                        2 * votes > near.len() + 1,
                        "label {j} of synthetic row {row}"
                    );
                }
                assert!(out.data.labels.is_positive(row, l));
                row += 1;
            }
        }
        let after = measures(&out.data);
        assert!(
            after.mean_ir < before.mean_ir,
            "MeanIR {} -> {}",
            before.mean_ir,
            after.mean_ir
        );
        assert_eq!(
            m.resample(&d, &Rng::stream(11, "multilabel_sampler"))
                .unwrap(),
            out
        );
        assert_ne!(
            m.resample(&d, &Rng::stream(12, "multilabel_sampler"))
                .unwrap()
                .data
                .x,
            out.data.x
        );
    }
}

#[test]
fn mlsmote_union_and_intersection_bound_ranking() {
    let d = data(4);
    let run = |rule| {
        Mlsmote {
            k_neighbors: 3,
            label_set: rule,
            interpolation: MlsmoteInterpolation::PerFeature,
        }
        .resample(&d, &Rng::stream(5, "multilabel_sampler"))
        .unwrap()
    };
    let (u, r, i) = (
        run(LabelSetRule::Union),
        run(LabelSetRule::Ranking),
        run(LabelSetRule::Intersection),
    );
    let count = |o: &imlab_engine::multilabel::resample::MultilabelResampled| {
        (80..o.data.n_samples())
            .map(|row| {
                (0..4)
                    .filter(|&j| o.data.labels.is_positive(row, j))
                    .count()
            })
            .sum::<usize>()
    };
    assert!(count(&u) >= count(&r) && count(&r) >= count(&i));
    assert!(count(&u) > count(&i));
}

#[test]
fn bad_settings_are_refused() {
    let d = data(5);
    let mut r = Rng::stream(0, "x");
    assert!(MlRos { percentage: 0.0 }.resample(&d, &mut r).is_err());
    assert!(MlRus { percentage: 150.0 }.resample(&d, &mut r).is_err());
    let e = Mlsmote {
        k_neighbors: 0,
        ..Mlsmote::default()
    }
    .resample(&d, &r)
    .unwrap_err();
    assert!(e.to_string().contains("k_neighbors"), "{e}");
    // A label with no positive has no IRLbl.
    let y =
        LabelMatrix::from_rows(&vec![vec![LabelEntry::Positive, LabelEntry::Negative]; 3]).unwrap();
    let no_pos = MultilabelData::new(vec![0.0; 3], 1, y).unwrap();
    assert!(MlRos::default().resample(&no_pos, &mut r).is_err());
    assert!(MultilabelData::new(vec![f64::NAN; 3], 1, no_pos.labels.clone()).is_err());
}
