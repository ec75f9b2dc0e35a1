//! Point edits (points added to or removed from the training split by clicking the plot): applied
//! to the training split only, reproducible, validated, and carried by JSON and links.

use std::collections::BTreeMap;

use imlab_engine::dataset::{
    round_coordinate, AddedPoint, ClassCounts, DatasetSpec, PointEdits, RemovedPoint,
};
use imlab_engine::link::{parse_fragment, to_fragment};
use imlab_engine::resample::SamplerSpec;
use imlab_engine::{EngineError, Experiment, ExperimentConfig};

fn removal_of(e: &Experiment, row: usize) -> RemovedPoint {
    let r = e.train.row(row);
    RemovedPoint {
        x: round_coordinate(r[0]),
        y: round_coordinate(r[1]),
    }
}

fn with_edits(edits: PointEdits) -> ExperimentConfig {
    let mut c = ExperimentConfig::default();
    c.dataset.edits = edits;
    c
}

#[test]
fn edits_change_the_training_split_only() {
    let plain = Experiment::new(ExperimentConfig::default()).unwrap();
    let removed = removal_of(&plain, 7);
    let edits = PointEdits {
        add: vec![
            AddedPoint {
                class: 1,
                x: 0.5,
                y: -1.25,
            },
            AddedPoint {
                class: 1,
                x: 1.5,
                y: 0.25,
            },
        ],
        remove: vec![removed],
    };
    let edited = Experiment::new(with_edits(edits)).unwrap();
    // The test split and the generated data are exactly the seed's.
    assert_eq!(edited.test, plain.test);
    assert_eq!(edited.data, plain.data);
    // One row out (row 7, class of row 7), two of class 1 in, appended last.
    let mut expected = plain.train.class_counts();
    expected[plain.train.y[7]] -= 1;
    expected[1] += 2;
    assert_eq!(edited.train.class_counts(), expected);
    assert_eq!(edited.train.len(), plain.train.len() + 1);
    let n = edited.train.len();
    assert_eq!(edited.train.row(n - 2), &[0.5, -1.25]);
    assert_eq!(edited.train.row(n - 1), &[1.5, 0.25]);
    assert_eq!(edited.train.row(7), plain.train.row(8));
    assert_eq!(edited.edits.removed, 1);
    assert_eq!(edited.edits.added, 2);
    assert_eq!(edited.edits.unmatched, 0);
    // The snapshot's training counts follow (what the class-counts panel shows).
    assert_eq!(edited.snapshot().train_counts, expected);
    assert_eq!(edited.snapshot().test_counts, plain.snapshot().test_counts);
}

#[test]
fn edited_experiments_are_reproducible() {
    let plain = Experiment::new(ExperimentConfig::default()).unwrap();
    let config = with_edits(PointEdits {
        add: vec![AddedPoint {
            class: 1,
            x: -0.3,
            y: 0.9,
        }],
        remove: vec![removal_of(&plain, 0), removal_of(&plain, 100)],
    });
    let run = |c: &ExperimentConfig| {
        let mut e = Experiment::new(c.clone()).unwrap();
        e.train_steps(3 * e.steps_per_epoch()).unwrap();
        (e.state().params, e.snapshot())
    };
    let a = run(&config);
    let b = run(&config);
    assert_eq!(a, b);
    // And they train on something else than the unedited data.
    assert_ne!(a.0, run(&ExperimentConfig::default()).0);
}

#[test]
fn a_removal_that_matches_nothing_is_counted_not_guessed() {
    let plain = Experiment::new(ExperimentConfig::default()).unwrap();
    let mut config = with_edits(PointEdits {
        remove: vec![removal_of(&plain, 3)],
        ..Default::default()
    });
    // Another seed draws other points: the named point is not there any more.
    config.seed = 43;
    let other = Experiment::new(config.clone()).unwrap();
    assert_eq!(other.edits.unmatched, 1);
    assert_eq!(other.edits.removed, 0);
    config.dataset.edits = PointEdits::default();
    assert_eq!(other.train, Experiment::new(config).unwrap().train);
}

#[test]
fn invalid_edits_are_refused_naming_what_to_fix() {
    let class_2 = with_edits(PointEdits {
        add: vec![AddedPoint {
            class: 2,
            x: 0.0,
            y: 0.0,
        }],
        ..Default::default()
    });
    match Experiment::new(class_2) {
        Err(EngineError::InvalidConfig { key, message }) => {
            assert_eq!(key, "dataset.edits.add");
            assert!(message.contains("classes 0 to 1"), "{message}");
        }
        other => panic!("{:?}", other.err()),
    }
    let nan = with_edits(PointEdits {
        add: vec![AddedPoint {
            class: 0,
            x: f64::INFINITY,
            y: 0.0,
        }],
        ..Default::default()
    });
    assert!(nan.validate().is_err());
    // Edits need 2-feature data: a 3-feature Gaussian mixture refuses them.
    let mut three_d = with_edits(PointEdits {
        add: vec![AddedPoint {
            class: 0,
            x: 0.0,
            y: 0.0,
        }],
        ..Default::default()
    });
    three_d.dataset = DatasetSpec {
        generator: imlab_engine::dataset::Generator::Blobs,
        counts: ClassCounts::Explicit {
            counts: vec![30, 30],
        },
        mixture: Some(vec![
            vec![imlab_engine::dataset::GaussianComponent {
                mean: vec![0.0, 0.0, 0.0],
                spread: 1.0,
                weight: 1.0,
            }],
            vec![imlab_engine::dataset::GaussianComponent {
                mean: vec![3.0, 3.0, 3.0],
                spread: 1.0,
                weight: 1.0,
            }],
        ]),
        edits: three_d.dataset.edits.clone(),
        ..DatasetSpec::default()
    };
    let e = Experiment::new(three_d).err().expect("refused");
    assert!(e.to_string().contains("2-feature"), "{e}");
}

#[test]
fn a_class_left_with_one_training_row_gets_the_samplers_error_not_a_panic() {
    let mut config = ExperimentConfig {
        sampler: SamplerSpec::Smote(Default::default()),
        ..ExperimentConfig::default()
    };
    config.dataset.counts = ClassCounts::Explicit {
        counts: vec![40, 5],
    };
    let plain = Experiment::new(ExperimentConfig {
        sampler: SamplerSpec::None,
        ..config.clone()
    })
    .unwrap();
    let minority: Vec<usize> = (0..plain.train.len())
        .filter(|&i| plain.train.y[i] == 1)
        .collect();
    assert!(minority.len() >= 2, "{minority:?}");
    // Leave one training row of class 1.
    config.dataset.edits.remove = minority[1..]
        .iter()
        .map(|&i| removal_of(&plain, i))
        .collect();
    match Experiment::new(config.clone()) {
        Err(e) => {
            let m = e.to_string();
            assert!(m.contains("class 1") && m.contains("it has 1"), "{m}");
        }
        Ok(_) => panic!("SMOTE accepted one minority row"),
    }
    // Removing every training row of a class is refused by the edits themselves.
    config.dataset.edits.remove = minority.iter().map(|&i| removal_of(&plain, i)).collect();
    config.sampler = SamplerSpec::None;
    match Experiment::new(config) {
        Err(EngineError::TooFewSamples {
            class: 1, count: 0, ..
        }) => {}
        other => panic!("{:?}", other.err()),
    }
}

#[test]
fn edits_round_trip_through_json_and_links() {
    let config = with_edits(PointEdits {
        add: vec![
            AddedPoint {
                class: 0,
                x: 0.5,
                y: -1.25,
            },
            AddedPoint {
                class: 1,
                x: 2.0,
                y: 0.0,
            },
        ],
        remove: vec![RemovedPoint {
            x: 0.153281,
            y: -0.412007,
        }],
    });
    let json = config.to_json();
    assert!(json.contains(r#""0:0.5:-1.25""#), "{json}");
    assert_eq!(ExperimentConfig::from_json(&json).unwrap(), config);

    let link = to_fragment(&config, &BTreeMap::new());
    assert!(
        link.contains("dataset.edits.add=[0:0.5:-1.25,1:2:0]")
            && link.contains("dataset.edits.remove=[0.153281:-0.412007]"),
        "{link}"
    );
    let p = parse_fragment(&link, &ExperimentConfig::default());
    assert!(p.issues.is_empty(), "{:?}", p.issues);
    assert_eq!(p.config, config);
    // Without brackets, one item or several, as people type lists.
    let p = parse_fragment(
        "v=2&dataset.edits.add=0:0.5:-1.25,1:2:0&dataset.edits.remove=0.153281:-0.412007",
        &ExperimentConfig::default(),
    );
    assert!(p.issues.is_empty(), "{:?}", p.issues);
    assert_eq!(p.config, config);
    // Read on top of a config that already has edits (the list is then typed by the template).
    let p = parse_fragment("dataset.edits.add=1:1:1", &config);
    assert!(p.issues.is_empty(), "{:?}", p.issues);
    assert_eq!(p.config.dataset.edits.add.len(), 1);
    assert_eq!(p.config.dataset.edits.remove, config.dataset.edits.remove);
}

#[test]
fn a_tampered_edit_names_the_bad_key() {
    let base = ExperimentConfig::default();
    // Not the class:x:y form: the key is named, the rest of the link applies.
    let p = parse_fragment("v=2&seed=5&dataset.edits.add=[0:0.5]", &base);
    assert_eq!(p.config.seed, 5);
    assert!(p.config.dataset.edits.is_empty());
    assert_eq!(p.issues.len(), 1, "{:?}", p.issues);
    assert_eq!(p.issues[0].key, "dataset.edits.add");
    assert!(p.issues[0].message.contains("class:x:y"), "{:?}", p.issues);
    // Well formed but a class moons does not have: refused when the experiment is built.
    let p = parse_fragment("v=2&dataset.edits.add=[5:0:0]", &base);
    assert!(p.issues.is_empty(), "{:?}", p.issues);
    let e = Experiment::new(p.config).err().expect("class 5 refused");
    assert!(e.to_string().contains("dataset.edits.add"), "{e}");
    // A coordinate out of the box: validation names the key and keeps the previous config.
    let p = parse_fragment("v=2&dataset.edits.remove=[1e300:0]", &base);
    assert_eq!(p.config, base);
    assert_eq!(p.issues.len(), 1, "{:?}", p.issues);
    assert_eq!(p.issues[0].key, "dataset.edits.remove");
    let p = parse_fragment("v=2&dataset.edits.remove=[nope]", &base);
    assert_eq!(p.issues[0].key, "dataset.edits.remove");
}

#[test]
fn configs_without_edits_read_and_write_as_before() {
    let c = ExperimentConfig::default();
    assert!(!c.to_json().contains("edits"));
    assert_eq!(
        to_fragment(&c, &BTreeMap::new()),
        format!("v={}", imlab_engine::experiment::CONFIG_VERSION)
    );
}
