//! Editing the training points by clicking the plot: the config that adds a point of a class where
//! the user clicked, or takes out the training point nearest the click. The edits live in the
//! config (`dataset.edits`), so the link, the saved session and `imlab run --link` carry them.

use imlab_engine::dataset::{round_coordinate, AddedPoint, PointEdits, RemovedPoint};
use imlab_engine::ExperimentConfig;

use super::Lab;

/// Finest position step of an added point, as a fraction of the view's width: a click cannot aim
/// finer than a pixel, and shorter numbers keep the link readable.
const ADD_STEP_OF_SPAN: f64 = 1e-3;

/// `config` with a training point of `class` added at `(x, y)`, rounded to a step of about a
/// thousandth of `span` (the view's width in data units).
pub fn with_point_added(
    config: &ExperimentConfig,
    class: usize,
    x: f64,
    y: f64,
    span: f64,
) -> ExperimentConfig {
    let step = span.abs() * ADD_STEP_OF_SPAN;
    let decimals = if step.is_finite() && step > 0.0 {
        (-step.log10().floor()).clamp(0.0, 12.0) as usize
    } else {
        6
    };
    let round = |v: f64| format!("{v:.decimals$}").parse::<f64>().unwrap_or(v);
    let mut next = config.clone();
    next.dataset.edits.add.push(AddedPoint {
        class,
        x: round(x),
        y: round(y),
    });
    next
}

/// The config without the training point nearest `(x, y)` within `radius` (plane units), or `None`
/// when no training point is that close. A point the user added is dropped from the additions; a
/// generated one is named by its rounded coordinates among the removals.
pub fn with_point_removed(lab: &Lab, x: f64, y: f64, radius: f64) -> Option<ExperimentConfig> {
    let marks = lab.marks();
    let row = marks.nearest_train(x, y, radius)?;
    let mut next = lab.config().clone();
    let first_added = marks.first_added();
    if row >= first_added {
        let edits = &mut next.dataset.edits.add;
        if row - first_added < edits.len() {
            edits.remove(row - first_added);
        }
    } else {
        let r = lab.experiment().train.row(row);
        next.dataset.edits.remove.push(RemovedPoint {
            x: round_coordinate(r[0]),
            y: round_coordinate(r[1]),
        });
    }
    Some(next)
}

/// The config with no point edits.
pub fn without_edits(config: &ExperimentConfig) -> ExperimentConfig {
    let mut next = config.clone();
    next.dataset.edits = PointEdits::default();
    next
}

/// Point edits name coordinates of one data set: when `next` draws its rows from other data than
/// `current` (another generator, file, label column, feature choice or standardization), its edits
/// are dropped. Returns how many were. Class sizes, noise and the seed keep the edits: the plane is
/// the same.
pub fn drop_edits_on_new_data(current: &ExperimentConfig, next: &mut ExperimentConfig) -> usize {
    let (a, b) = (&current.dataset, &next.dataset);
    if a.generator == b.generator && a.source == b.source {
        return 0;
    }
    std::mem::take(&mut next.dataset.edits).len()
}

/// What the page says when [`drop_edits_on_new_data`] dropped `n` edits.
pub fn dropped_note(n: usize) -> String {
    let what = if n == 1 {
        "point edit was"
    } else {
        "point edits were"
    };
    format!("{n} {what} cleared: they were made on the previous data.")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_click_adds_a_rounded_training_point_of_the_chosen_class() {
        let lab = Lab::new(ExperimentConfig::default()).unwrap();
        let before = lab.snapshot().train_counts.clone();
        let config = with_point_added(lab.config(), 1, 0.123_456, -0.987_654, 4.8);
        assert_eq!(
            config.dataset.edits.add,
            vec![AddedPoint {
                class: 1,
                x: 0.123,
                y: -0.988
            }]
        );
        let lab = Lab::new(config).unwrap();
        assert_eq!(lab.snapshot().train_counts[1], before[1] + 1);
        assert_eq!(lab.snapshot().train_counts[0], before[0]);
        assert_eq!(lab.marks().added, 1);
        let last = lab.marks().train.last().copied().unwrap();
        assert_eq!((last.x, last.y, last.class), (0.123, -0.988, 1));
        assert!(lab
            .marks()
            .describe(crate::lab::marks::PointRef::Train(
                lab.marks().train.len() - 1
            ))
            .contains("added by you"));
    }

    #[test]
    fn shift_click_removes_an_added_point_or_names_a_generated_one() {
        let lab = Lab::new(ExperimentConfig::default()).unwrap();
        let added = Lab::new(with_point_added(lab.config(), 1, 0.5, 0.25, 4.8)).unwrap();
        // On the added point: the addition goes, no removal is written.
        let back = with_point_removed(&added, 0.5, 0.25, 1e-6).unwrap();
        assert!(back.dataset.edits.is_empty(), "{:?}", back.dataset.edits);
        // On a generated point: a removal by its rounded coordinates, and the row is gone.
        let m = lab.marks().train[10];
        let next = with_point_removed(&lab, m.x + 1e-9, m.y, 1e-6).unwrap();
        assert_eq!(next.dataset.edits.remove.len(), 1);
        let edited = Lab::new(next).unwrap();
        assert_eq!(edited.experiment().edits.removed, 1);
        let mut counts = lab.snapshot().train_counts.clone();
        counts[m.class] -= 1;
        assert_eq!(edited.snapshot().train_counts, counts);
        // Nothing near: nothing to do.
        assert!(with_point_removed(&lab, 1e6, 1e6, 0.01).is_none());
        assert!(without_edits(edited.config()).dataset.edits.is_empty());
    }

    #[test]
    fn added_points_do_not_move_the_view() {
        let lab = Lab::new(ExperimentConfig::default()).unwrap();
        let g = lab.grid().clone();
        // A click near the view's corner, outside the data.
        let (x, y) = g.plane_point(0.02, 0.02);
        let edited = Lab::new(with_point_added(lab.config(), 0, x, y, g.span)).unwrap();
        assert_eq!(edited.grid(), &g);
    }

    #[test]
    fn new_data_drops_the_edits_other_settings_keep_them() {
        let lab = Lab::new(ExperimentConfig::default()).unwrap();
        let edited = with_point_added(lab.config(), 1, 0.5, 0.25, 4.8);
        let mut same = edited.clone();
        same.seed += 1;
        same.dataset.noise *= 2.0;
        assert_eq!(drop_edits_on_new_data(&edited, &mut same), 0);
        assert_eq!(same.dataset.edits.len(), 1);
        let mut other = edited.clone();
        other.dataset.generator = imlab_engine::dataset::Generator::Spiral;
        assert_eq!(drop_edits_on_new_data(&edited, &mut other), 1);
        assert!(other.dataset.edits.is_empty());
        assert_eq!(
            dropped_note(1),
            "1 point edit was cleared: they were made on the previous data."
        );
    }

    #[test]
    fn a_point_a_link_placed_far_away_widens_the_view_to_show_it() {
        let lab = Lab::new(ExperimentConfig::default()).unwrap();
        let far = Lab::new(with_point_added(lab.config(), 1, 40.0, -25.0, 1.0)).unwrap();
        let g = far.grid();
        assert!(!lab.grid().contains(40.0, -25.0));
        assert!(
            g.contains(40.0, -25.0),
            "the view shows the far point: {g:?}"
        );
        // The data is still in view.
        for m in &lab.marks().train {
            assert!(g.contains(m.x, m.y));
        }
    }
}
