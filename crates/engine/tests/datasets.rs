//! Dataset module against the reference values written by `tools/fixtures/datasets.py`
//! (scikit-learn 1.9.1 loaders, `StandardScaler`, `make_circles`/`make_moons`; the profile formulas of
//! methods-spec §C), plus the behaviour the spec promises (bounds, streams, errors).

use std::path::PathBuf;

use imlab_engine::dataset::csv::{self, CsvError, CsvOptions, LabelColumn, MAX_BYTES};
use imlab_engine::dataset::{
    bundled, content_hash, profile, subsample_indices, BundledName, ClassCounts, DataOrigin,
    Dataset, DatasetSpec, GaussianComponent, Generator, LabelNoise, MemorySource, MAX_ROWS,
};
use imlab_engine::rng::Rng;
use imlab_engine::EngineError;
use serde_json::Value;

fn fixture(name: &str) -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn data_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../public/data")
}

fn bundled_text(name: BundledName) -> String {
    std::fs::read_to_string(data_dir().join(name.file_name())).unwrap()
}

fn f64s(v: &Value) -> Vec<f64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect()
}

fn usizes(v: &Value) -> Vec<usize> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_u64().unwrap() as usize)
        .collect()
}

fn close(a: f64, b: f64, tol: f64) -> bool {
    (a - b).abs() <= tol * (1.0 + b.abs())
}

fn opts(label_column: LabelColumn, standardize: bool) -> CsvOptions {
    CsvOptions {
        label_column,
        features: None,
        standardize,
    }
}

// ---------------------------------------------------------------------------------------------------
// Profiles (methods-spec §C)

#[test]
fn profiles_match_the_reference_formulas() {
    let f = fixture("datasets_profiles.json");
    let list = f["profiles"].as_array().unwrap();
    assert!(list.len() > 200);
    for p in list {
        let n_max = p["n_max"].as_u64().unwrap() as usize;
        let rho = p["rho"].as_f64().unwrap();
        let k = p["classes"].as_u64().unwrap() as usize;
        let want = usizes(&p["counts"]);
        let got = match p["kind"].as_str().unwrap() {
            "exponential" => profile::exponential(n_max, rho, k),
            "linear" => profile::linear(n_max, rho, k),
            "step" => profile::step(n_max, rho, p["mu"].as_f64().unwrap(), k),
            other => panic!("unknown profile {other}"),
        };
        assert_eq!(got, want, "{p}");
    }
}

#[test]
fn long_tail_counts_quoted_in_the_spec() {
    let exp = |n_max, rho, classes| {
        ClassCounts::Exponential {
            n_max,
            rho,
            classes,
        }
        .resolve()
        .unwrap()
    };
    assert_eq!(
        exp(5000, 100.0, 10),
        [5000, 2997, 1796, 1077, 645, 387, 232, 139, 83, 50]
    );
    assert_eq!(exp(5000, 100.0, 10).iter().sum::<usize>(), 12_406);
    assert_eq!(
        exp(5000, 10.0, 10),
        [5000, 3871, 2997, 2320, 1796, 1391, 1077, 834, 645, 500]
    );
    assert_eq!(
        exp(5000, 200.0, 10),
        [5000, 2775, 1540, 854, 474, 263, 146, 81, 45, 25]
    );
    assert_eq!(exp(500, 100.0, 100).iter().sum::<usize>(), 10_847);
    // Buda's step grid point (MNIST n_max 5000, ρ = 10, µ = 0.5) and Cao's CIFAR-10 step ρ = 100.
    let step = ClassCounts::Step {
        n_max: 5000,
        rho: 100.0,
        mu: 0.5,
        classes: 10,
    };
    assert_eq!(
        step.resolve().unwrap(),
        [5000, 5000, 5000, 5000, 5000, 50, 50, 50, 50, 50]
    );
}

#[test]
fn profile_parameters_are_bounded() {
    let bad = [
        ClassCounts::Exponential {
            n_max: 100,
            rho: 0.5,
            classes: 3,
        },
        ClassCounts::Exponential {
            n_max: 100,
            rho: f64::NAN,
            classes: 3,
        },
        ClassCounts::Linear {
            n_max: MAX_ROWS + 1,
            rho: 2.0,
            classes: 3,
        },
        ClassCounts::Step {
            n_max: 100,
            rho: 2.0,
            mu: 0.1,
            classes: 2,
        },
        ClassCounts::Step {
            n_max: 100,
            rho: 2.0,
            mu: 1.0,
            classes: 4,
        },
        // A huge class count must be refused before anything is allocated.
        ClassCounts::Ratio {
            majority: 10,
            ratio: 0.5,
            classes: usize::MAX,
        },
        ClassCounts::Exponential {
            n_max: 100_000,
            rho: 1.0,
            classes: 3,
        },
        ClassCounts::Explicit {
            counts: vec![usize::MAX, 2],
        },
    ];
    for b in bad {
        assert!(b.resolve().is_err(), "{b:?} should be rejected");
    }
}

// ---------------------------------------------------------------------------------------------------
// Generators

fn spec(generator: Generator, counts: Vec<usize>, noise: f64) -> DatasetSpec {
    DatasetSpec {
        generator,
        counts: ClassCounts::Explicit { counts },
        noise,
        ..DatasetSpec::default()
    }
}

fn sorted_points(x: &[f64], y: &[usize]) -> Vec<(usize, f64, f64)> {
    let mut p: Vec<(usize, f64, f64)> = y
        .iter()
        .enumerate()
        .map(|(i, &c)| (c, x[2 * i], x[2 * i + 1]))
        .collect();
    p.sort_by(|a, b| {
        a.0.cmp(&b.0)
            .then(a.1.total_cmp(&b.1))
            .then(a.2.total_cmp(&b.2))
    });
    p
}

fn assert_same_points(ours: &Dataset, reference: &Value) {
    let rx: Vec<f64> = reference["x"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(f64s)
        .collect();
    let ry = usizes(&reference["y"]);
    let a = sorted_points(&ours.x, &ours.y);
    let b = sorted_points(&rx, &ry);
    assert_eq!(a.len(), b.len());
    for (p, q) in a.iter().zip(&b) {
        assert_eq!(p.0, q.0);
        assert!(
            (p.1 - q.1).abs() < 1e-12 && (p.2 - q.2).abs() < 1e-12,
            "{p:?} vs {q:?}"
        );
    }
}

#[test]
fn circles_without_noise_are_make_circles() {
    let f = fixture("datasets_shapes.json");
    let d = spec(Generator::Circles, vec![7, 5], 0.0)
        .generate(&mut Rng::stream(1, "data"))
        .unwrap();
    assert_same_points(&d, &f["circles"]);
}

#[test]
fn moons_without_noise_are_make_moons() {
    let f = fixture("datasets_shapes.json");
    let d = spec(Generator::Moons, vec![6, 4], 0.0)
        .generate(&mut Rng::stream(1, "data"))
        .unwrap();
    assert_same_points(&d, &f["moons"]);
}

#[test]
fn every_generator_gives_the_asked_counts_and_is_reproducible() {
    for g in Generator::ALL {
        let (lo, hi) = g.class_range();
        for k in [lo, hi] {
            let counts: Vec<usize> = (0..k).map(|c| 40 + 7 * c).collect();
            let s = spec(g, counts.clone(), 0.2);
            let a = s.generate(&mut Rng::stream(5, "data")).unwrap();
            let b = s.generate(&mut Rng::stream(5, "data")).unwrap();
            let c = s.generate(&mut Rng::stream(6, "data")).unwrap();
            assert_eq!(a.class_counts(), counts, "{}", g.name());
            assert_eq!(a.n_features, 2);
            assert_eq!(a.n_classes, k);
            assert!(a.x.iter().all(|v| v.is_finite()));
            assert_eq!(a, b, "{} is not reproducible", g.name());
            assert_ne!(a.x, c.x, "{} ignores the seed", g.name());
            // rows are shuffled, not grouped by class
            assert!(a.y.windows(2).any(|w| w[0] > w[1]), "{}", g.name());
        }
        let too_many: Vec<usize> = vec![10; hi + 1];
        assert!(spec(g, too_many, 0.1).validate().is_err());
        assert_eq!(Generator::from_name(g.name()), Some(g));
    }
}

#[test]
fn noiseless_shapes_follow_their_rules() {
    let mut rng = Rng::stream(3, "data");
    let d = spec(Generator::Xor, vec![50, 30], 0.0)
        .generate(&mut rng)
        .unwrap();
    for i in 0..d.len() {
        let r = d.row(i);
        let class = usize::from((r[0] > 0.0) != (r[1] > 0.0));
        assert_eq!(class, d.y[i]);
        assert!(r.iter().all(|v| v.abs() <= 1.0));
    }

    let k = 5;
    let d = spec(Generator::Checkerboard, vec![60; k], 0.0)
        .generate(&mut rng)
        .unwrap();
    let half = 5.0 / 2.0; // max(4, K) = 5 cells per side
    for i in 0..d.len() {
        let r = d.row(i);
        let (col, row) = ((r[0] + half).floor(), (r[1] + half).floor());
        assert_eq!((col + row) as usize % k, d.y[i]);
    }

    let d = spec(Generator::Circles, vec![30, 20, 10], 0.0)
        .generate(&mut rng)
        .unwrap();
    for i in 0..d.len() {
        let r = d.row(i);
        let radius = (r[0] * r[0] + r[1] * r[1]).sqrt();
        assert!((radius - (3 - d.y[i]) as f64 / 3.0).abs() < 1e-12);
    }

    let d = spec(Generator::Spiral, vec![25, 25, 25], 0.0)
        .generate(&mut rng)
        .unwrap();
    for i in 0..d.len() {
        let r = d.row(i);
        let radius = (r[0] * r[0] + r[1] * r[1]).sqrt();
        assert!((0.1 - 1e-12..=1.0 + 1e-12).contains(&radius));
    }
}

#[test]
fn menon_two_gaussians_has_the_paper_moments() {
    let s = DatasetSpec::menon_two_gaussians(20_000);
    assert_eq!(s.validate().unwrap(), [19_000, 1_000]);
    let d = s.generate(&mut Rng::stream(11, "data")).unwrap();
    for class in 0..2 {
        let rows: Vec<&[f64]> = (0..d.len())
            .filter(|&i| d.y[i] == class)
            .map(|i| d.row(i))
            .collect();
        let n = rows.len() as f64;
        let want = if class == 0 { -1.0 } else { 1.0 };
        for j in 0..2 {
            let mean = rows.iter().map(|r| r[j]).sum::<f64>() / n;
            let var = rows.iter().map(|r| (r[j] - mean).powi(2)).sum::<f64>() / n;
            // 5 standard errors
            assert!((mean - want).abs() < 5.0 / n.sqrt(), "mean {mean}");
            assert!((var - 1.0).abs() < 5.0 * (2.0 / n).sqrt(), "var {var}");
        }
    }
}

#[test]
fn gaussian_mixture_blobs() {
    let comp = |mean: Vec<f64>, spread, weight| GaussianComponent {
        mean,
        spread,
        weight,
    };
    let mut s = spec(Generator::Blobs, vec![4000, 1000], 0.0);
    s.mixture = Some(vec![
        vec![
            comp(vec![-5.0, 0.0, 1.0], 0.5, 3.0),
            comp(vec![5.0, 0.0, 1.0], 0.5, 1.0),
        ],
        vec![comp(vec![0.0, 4.0, -1.0], 1.0, 1.0)],
    ]);
    let d = s.generate(&mut Rng::stream(2, "data")).unwrap();
    assert_eq!(d.n_features, 3);
    let class0: Vec<&[f64]> = (0..d.len())
        .filter(|&i| d.y[i] == 0)
        .map(|i| d.row(i))
        .collect();
    let left = class0.iter().filter(|r| r[0] < 0.0).count() as f64 / class0.len() as f64;
    assert!((left - 0.75).abs() < 0.03, "component share {left}");
    // A mixture that does not fit the classes is refused.
    s.mixture.as_mut().unwrap().pop();
    assert!(s.validate().is_err());
    let mut s2 = spec(Generator::Moons, vec![10, 10], 0.1);
    s2.mixture = Some(vec![vec![comp(vec![0.0], 1.0, 1.0)]; 2]);
    assert!(s2.validate().is_err());
}

#[test]
fn generated_sizes_are_bounded() {
    let s = spec(Generator::Blobs, vec![MAX_ROWS, 2], 0.1);
    assert!(s.validate().is_err());
    let s = spec(Generator::Moons, vec![10, 1], 0.1);
    assert!(matches!(
        s.validate(),
        Err(EngineError::TooFewSamples { class: 1, .. })
    ));
    let s = spec(Generator::Moons, vec![10, 10], 7.0);
    assert!(s.validate().is_err());
}

// ---------------------------------------------------------------------------------------------------
// Label noise

#[test]
fn label_noise_never_moves_points_and_flips_at_the_asked_rate() {
    let base = spec(Generator::Blobs, vec![3000, 2000, 1000], 0.5);
    let clean = base
        .load(&mut Rng::stream(9, "data"), &imlab_engine::dataset::NoData)
        .unwrap();
    assert!(clean.flipped.is_empty());

    let mut noisy_spec = base.clone();
    noisy_spec.label_noise = LabelNoise::Uniform { rate: 0.2 };
    let noisy = noisy_spec
        .load(&mut Rng::stream(9, "data"), &imlab_engine::dataset::NoData)
        .unwrap();
    assert_eq!(noisy.data.x, clean.data.x, "label noise moved points");
    let changed: Vec<usize> = (0..clean.data.len())
        .filter(|&i| clean.data.y[i] != noisy.data.y[i])
        .collect();
    assert_eq!(
        changed, noisy.flipped,
        "a uniform flip must change the class"
    );
    let n = clean.data.len() as f64;
    let rate = changed.len() as f64 / n;
    assert!(
        (rate - 0.2).abs() < 5.0 * (0.2 * 0.8 / n).sqrt(),
        "rate {rate}"
    );
    // flips go to each other class about equally
    let from0: Vec<usize> = changed
        .iter()
        .filter(|&&i| clean.data.y[i] == 0)
        .map(|&i| noisy.data.y[i])
        .collect();
    let to1 = from0.iter().filter(|&&c| c == 1).count() as f64 / from0.len() as f64;
    assert!((to1 - 0.5).abs() < 0.08, "to-1 share {to1}");

    // a higher rate flips a superset of rows (one uniform per row)
    let mut more = base.clone();
    more.label_noise = LabelNoise::Uniform { rate: 0.3 };
    let more = more
        .load(&mut Rng::stream(9, "data"), &imlab_engine::dataset::NoData)
        .unwrap();
    assert!(noisy.flipped.iter().all(|i| more.flipped.contains(i)));
}

#[test]
fn label_noise_toward_majority() {
    let mut s = spec(Generator::Circles, vec![300, 900, 200], 0.1);
    s.label_noise = LabelNoise::TowardMajority { rate: 0.25 };
    let clean = spec(Generator::Circles, vec![300, 900, 200], 0.1)
        .generate(&mut Rng::stream(4, "data"))
        .unwrap();
    let noisy = s
        .load(&mut Rng::stream(4, "data"), &imlab_engine::dataset::NoData)
        .unwrap();
    for &i in &noisy.flipped {
        assert_ne!(clean.y[i], 1);
        assert_eq!(noisy.data.y[i], 1);
    }
    let minority = 500.0;
    let rate = noisy.flipped.len() as f64 / minority;
    assert!((rate - 0.25).abs() < 5.0 * (0.25 * 0.75 / minority).sqrt());
    s.label_noise = LabelNoise::Uniform { rate: 0.7 };
    assert!(s.validate().is_err());
}

// ---------------------------------------------------------------------------------------------------
// Bundled datasets

#[test]
fn bundled_files_match_scikit_learn_loaders() {
    let f = fixture("datasets_bundled.json");
    let mut total_bytes = 0;
    for name in BundledName::ALL {
        let text = bundled_text(name);
        total_bytes += text.len();
        let want = &f["datasets"][name.name()];
        let t = bundled::parse(name, &text).unwrap();
        let d = &t.data;
        assert_eq!(d.len(), want["rows"].as_u64().unwrap() as usize);
        assert_eq!(d.n_features, want["features"].as_u64().unwrap() as usize);
        assert_eq!(d.class_counts(), usizes(&want["class_counts"]));
        assert_eq!(d.class_counts(), name.class_counts());
        let names: Vec<String> = want["feature_names"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap().to_string())
            .collect();
        assert_eq!(t.feature_names, names);
        assert_eq!(t.label_name, want["label_name"].as_str().unwrap());
        let class_names: Vec<&str> = want["class_names"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        assert_eq!(t.class_names, class_names);
        assert_eq!(d.row(0), &f64s(&want["first_row"])[..]);
        assert_eq!(d.row(d.len() - 1), &f64s(&want["last_row"])[..]);
        assert_eq!(&d.y[..20], &usizes(&want["first_labels"])[..]);
        for (j, m) in f64s(&want["column_means"]).iter().enumerate() {
            let ours = (0..d.len()).map(|i| d.row(i)[j]).sum::<f64>() / d.len() as f64;
            assert!(close(ours, *m, 1e-12), "{} column {j}", name.name());
        }
        assert_eq!(BundledName::from_name(name.name()), Some(name));
    }
    assert!(
        total_bytes < 1_000_000,
        "bundled data is {total_bytes} bytes"
    );
}

#[test]
fn bundled_parse_rejects_a_truncated_file() {
    let text = bundled_text(BundledName::Wine);
    let cut: String = text.lines().take(100).collect::<Vec<_>>().join("\n");
    let err = bundled::parse(BundledName::Wine, &cut).unwrap_err();
    assert!(err.to_string().contains("wine.csv"), "{err}");
}

#[test]
fn bundled_spec_subsamples_with_a_profile() {
    let mut files = MemorySource::new();
    files.add_bundled(BundledName::Digits, bundled_text(BundledName::Digits));
    let profile = ClassCounts::Exponential {
        n_max: 170,
        rho: 50.0,
        classes: 10,
    };
    let s = DatasetSpec {
        source: DataOrigin::Bundled {
            name: BundledName::Digits,
            subsample: Some(profile.clone()),
            standardize: false,
        },
        ..DatasetSpec::default()
    };
    let want = profile.resolve().unwrap();
    assert_eq!(s.validate().unwrap(), want);
    let a = s.load(&mut Rng::stream(1, "data"), &files).unwrap();
    assert_eq!(a.data.class_counts(), want);
    assert_eq!(a.class_names[3], "3");
    let kept = a.kept_rows.clone().unwrap();
    assert!(kept.windows(2).all(|w| w[0] < w[1]));
    let full = bundled::parse(BundledName::Digits, &bundled_text(BundledName::Digits)).unwrap();
    assert_eq!(a.data, full.data.select(&kept));

    // same seed, same rows; another seed, other rows
    let b = s.load(&mut Rng::stream(1, "data"), &files).unwrap();
    assert_eq!(a.kept_rows, b.kept_rows);
    let c = s.load(&mut Rng::stream(2, "data"), &files).unwrap();
    assert_ne!(a.kept_rows, c.kept_rows);

    // one class's choice does not depend on another class's count
    let mut counts2 = want.clone();
    counts2[9] += 10;
    let rng = Rng::stream(1, "data");
    let k1 = subsample_indices(&full.data, &want, &rng).unwrap();
    let k2 = subsample_indices(&full.data, &counts2, &rng).unwrap();
    let class0 = |k: &[usize]| -> Vec<usize> {
        k.iter().copied().filter(|&i| full.data.y[i] == 0).collect()
    };
    assert_eq!(class0(&k1), class0(&k2));

    // standardized by default; a missing file is a clear error
    let s2 = DatasetSpec {
        source: DataOrigin::Bundled {
            name: BundledName::Digits,
            subsample: None,
            standardize: true,
        },
        ..DatasetSpec::default()
    };
    let d = s2
        .generate_with(&mut Rng::stream(1, "data"), &files)
        .unwrap();
    assert_eq!(d.len(), 1797);
    let mean0 = (0..d.len()).map(|i| d.row(i)[10]).sum::<f64>() / d.len() as f64;
    assert!(mean0.abs() < 1e-12);
    assert!(
        d.row(0)[0] == 0.0,
        "pixel_0_0 is constant zero and must stay 0"
    );
    let err = s2.generate(&mut Rng::stream(1, "data")).unwrap_err();
    assert!(err.to_string().contains("not loaded"), "{err}");

    // asking for more rows than a class has
    let too_many = DatasetSpec {
        source: DataOrigin::Bundled {
            name: BundledName::Iris,
            subsample: Some(ClassCounts::Explicit {
                counts: vec![51, 10, 10],
            }),
            standardize: true,
        },
        ..DatasetSpec::default()
    };
    assert!(too_many.validate().is_err());
}

#[test]
fn bundled_dir_source_loads_every_file() {
    let files = MemorySource::new().with_bundled_dir(&data_dir()).unwrap();
    for name in BundledName::ALL {
        let s = DatasetSpec {
            source: DataOrigin::Bundled {
                name,
                subsample: None,
                standardize: true,
            },
            ..DatasetSpec::default()
        };
        let d = s
            .generate_with(&mut Rng::stream(0, "data"), &files)
            .unwrap();
        assert_eq!(d.len(), name.rows());
    }
}

// ---------------------------------------------------------------------------------------------------
// CSV import

#[test]
fn standardization_matches_standard_scaler() {
    let f = fixture("datasets_standardize.json");
    let text = bundled_text(BundledName::Wine);
    let t = csv::parse(text.as_bytes(), &opts(LabelColumn::Last, true)).unwrap();
    let s = t.standardization.as_ref().unwrap();
    for (a, b) in s.mean.iter().zip(f64s(&f["mean"])) {
        assert!(close(*a, b, 1e-13));
    }
    for (a, b) in s.std.iter().zip(f64s(&f["scale"])) {
        assert!(close(*a, b, 1e-13));
    }
    for (i, row) in f["first_rows"].as_array().unwrap().iter().enumerate() {
        for (a, b) in t.data.row(i).iter().zip(f64s(row)) {
            assert!((a - b).abs() < 1e-12, "{a} vs {b}");
        }
    }
    let last = t.data.row(t.data.len() - 1);
    for (a, b) in last.iter().zip(f64s(&f["last_row"])) {
        assert!((a - b).abs() < 1e-12);
    }
}

#[test]
fn csv_labels_quotes_and_line_endings() {
    let text = "\u{feff}\"width, cm\",height,\"the \"\"class\"\"\"\r\n1,2,10\r\n3,4,9\r\n5,6,10\r\n7,8,9\r\n\r\n9,1,100\r\n0,0,100\r\n";
    let t = csv::parse(text.as_bytes(), &CsvOptions::default()).unwrap();
    assert_eq!(t.feature_names, ["width, cm", "height"]);
    assert_eq!(t.label_name, "the \"class\"");
    // numeric labels sort numerically: 9 < 10 < 100
    assert_eq!(t.class_names, ["9", "10", "100"]);
    assert_eq!(t.data.y, [1, 0, 1, 0, 2, 2]);
    assert_eq!(
        t.data.x,
        [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 1.0, 0.0, 0.0]
    );

    // text labels sort by text; label chosen by name or index
    let text = "kind,a,b\ncat,1,2\ndog,3,4\nant,5,6\ncat,1,1\ndog,0,0\nant,2,2\n";
    let by_name = csv::parse(
        text.as_bytes(),
        &opts(LabelColumn::Name("kind".into()), false),
    )
    .unwrap();
    let by_index = csv::parse(text.as_bytes(), &opts(LabelColumn::Index(0), false)).unwrap();
    assert_eq!(by_name, by_index);
    assert_eq!(by_name.class_names, ["ant", "cat", "dog"]);
    assert_eq!(by_name.data.y, [1, 2, 0, 1, 2, 0]);
    assert_eq!(by_name.feature_names, ["a", "b"]);

    // a constant column standardizes to zeros
    let text = "a,b,y\n1,5,0\n2,5,0\n3,5,1\n4,5,1\n";
    let t = csv::parse(text.as_bytes(), &opts(LabelColumn::Last, true)).unwrap();
    assert!((0..4).all(|i| t.data.row(i)[1] == 0.0));
    assert_eq!(t.standardization.unwrap().std[1], 0.0);

    // semicolon-separated files (spreadsheet exports)
    let t = csv::parse(
        b"a;b;y\n1;2;x\n3;4;y\n5;6;x\n7;8;y\n",
        &CsvOptions::default(),
    )
    .unwrap();
    assert_eq!(t.data.n_features, 2);
}

#[test]
fn csv_errors_name_line_and_column() {
    let p = |text: &str| csv::parse(text.as_bytes(), &CsvOptions::default()).unwrap_err();
    assert_eq!(p(""), CsvError::Empty);
    assert_eq!(p("\n\n"), CsvError::Empty);
    assert_eq!(p("a,b\n"), CsvError::NoDataRows);
    assert_eq!(p("a\n1\n"), CsvError::TooFewColumns);
    assert_eq!(
        p("a,b,y\n1,2,0\n3,0\n"),
        CsvError::Ragged {
            line: 3,
            found: 2,
            expected: 3
        }
    );
    assert_eq!(
        p("a,b,y\n1,2,0\n1,x2,1\n"),
        CsvError::NonNumeric {
            line: 3,
            column: 2,
            name: "b".into(),
            value: "x2".into()
        }
    );
    assert_eq!(
        p("a,b,y\n1,2,0\n1,,1\n"),
        CsvError::Missing {
            line: 3,
            column: 2,
            name: "b".into()
        }
    );
    assert_eq!(
        p("a,b,y\nNaN,2,0\n1,2,1\n"),
        CsvError::NonFinite {
            line: 2,
            column: 1,
            name: "a".into(),
            value: "NaN".into()
        }
    );
    assert!(matches!(
        p("a,b,y\n1,inf,0\n"),
        CsvError::NonFinite { column: 2, .. }
    ));
    assert_eq!(
        p("a,b,y\n1,2,0\n3,4,0\n"),
        CsvError::SingleClass { label: "0".into() }
    );
    assert_eq!(
        p("a,y\n1,0\n2,0\n3,1\n"),
        CsvError::SingletonClass {
            label: "1".into(),
            line: 4
        }
    );
    assert_eq!(
        p("a,y\n1,0\n2,\n"),
        CsvError::EmptyLabel {
            line: 3,
            column: 2,
            name: "y".into()
        }
    );
    assert_eq!(
        p("a,y\n\"1,0\n2,1\n"),
        CsvError::UnterminatedQuote { line: 2 }
    );
    assert_eq!(p("a,y\n\"1\"x,0\n"), CsvError::TextAfterQuote { line: 2 });
    // a record spanning lines is named by its first line; later lines keep counting
    assert_eq!(
        p("\"a\nb\",y\n1,0\n2,0,5\n"),
        CsvError::Ragged {
            line: 4,
            found: 3,
            expected: 2
        }
    );
    assert!(matches!(
        csv::parse(b"a,y\n1,0\n", &opts(LabelColumn::Name("z".into()), false)),
        Err(CsvError::NoSuchColumn { .. })
    ));
    assert!(matches!(
        csv::parse(b"a,y\n1,0\n", &opts(LabelColumn::Index(2), false)),
        Err(CsvError::ColumnIndexOutOfRange {
            index: 2,
            columns: 2
        })
    ));
    assert!(matches!(
        csv::parse(&[0x61, 0x2c, 0xff, 0x0a], &CsvOptions::default()),
        Err(CsvError::NotUtf8 { offset: 2 })
    ));
    // messages say where and what
    let msg = p("a,b,y\n1,2,0\n1,x2,1\n").to_string();
    assert!(
        msg.contains("line 3") && msg.contains("\"b\"") && msg.contains("x2"),
        "{msg}"
    );
    let engine: EngineError = p("a,b,y\n1,2,0\n3,0\n").into();
    assert!(engine.to_string().contains("line 3"));
}

#[test]
fn csv_size_limits() {
    let big = vec![b'1'; MAX_BYTES + 1];
    assert!(matches!(
        csv::parse(&big, &CsvOptions::default()),
        Err(CsvError::TooLarge { .. })
    ));
    let header: Vec<String> = (0..1001).map(|j| format!("c{j}")).collect();
    let text = header.join(",") + "\n";
    assert!(matches!(
        csv::parse(text.as_bytes(), &CsvOptions::default()),
        Err(CsvError::TooManyColumns { columns: 1001, .. })
    ));
    let mut text = String::from("a,y\n");
    for i in 0..=MAX_ROWS {
        text.push_str(&format!("{},{}\n", i % 7, i % 2));
    }
    assert!(matches!(
        csv::parse(text.as_bytes(), &CsvOptions::default()),
        Err(CsvError::TooManyRows { .. })
    ));
    let mut text = String::from("a,y\n");
    for i in 0..202 {
        text.push_str(&format!("{i},{}\n", i / 2));
    }
    assert!(matches!(
        csv::parse(text.as_bytes(), &CsvOptions::default()),
        Err(CsvError::TooManyClasses { count: 101, .. })
    ));
}

#[test]
fn uploaded_spec_is_found_by_content_hash() {
    let bytes = bundled_text(BundledName::Iris).into_bytes();
    let mut files = MemorySource::new();
    let hash = files.add_upload(bytes.clone());
    assert_eq!(hash, content_hash(&bytes));
    let s = DatasetSpec {
        source: DataOrigin::Uploaded {
            hash: hash.clone(),
            label_column: LabelColumn::Name("target".into()),
            standardize: true,
            subsample: Some(ClassCounts::Step {
                n_max: 40,
                rho: 8.0,
                mu: 0.4,
                classes: 3,
            }),
            features: None,
        },
        label_noise: LabelNoise::Uniform { rate: 0.1 },
        ..DatasetSpec::default()
    };
    assert_eq!(s.validate().unwrap(), [40, 40, 5]);
    let loaded = s.load(&mut Rng::stream(3, "data"), &files).unwrap();
    assert_eq!(loaded.data.len(), 85);
    assert_eq!(loaded.class_names, ["0", "1", "2"]);
    assert_eq!(loaded.feature_names.len(), 4);

    // the spec survives JSON, and a link with another hash does not load these bytes
    let json = serde_json::to_string(&s).unwrap();
    let back: DatasetSpec = serde_json::from_str(&json).unwrap();
    assert_eq!(back, s);
    let mut other = s.clone();
    if let DataOrigin::Uploaded { hash, .. } = &mut other.source {
        *hash = content_hash(b"something else");
    }
    assert!(other
        .generate_with(&mut Rng::stream(3, "data"), &files)
        .is_err());
    if let DataOrigin::Uploaded { hash, .. } = &mut other.source {
        *hash = "not-a-hash".into();
    }
    assert!(other.validate().is_err());
    // a source that lies about the hash is caught
    struct Liar(Vec<u8>);
    impl imlab_engine::dataset::DataSource for Liar {
        fn bundled_text(&self, _: BundledName) -> Option<&str> {
            None
        }
        fn uploaded_bytes(&self, _: &str) -> Option<&[u8]> {
            Some(&self.0)
        }
    }
    let err = s
        .generate_with(
            &mut Rng::stream(3, "data"),
            &Liar(b"a,y\n1,0\n2,0\n".to_vec()),
        )
        .unwrap_err();
    assert!(err.to_string().contains("different file"), "{err}");
}

// ---------------------------------------------------------------------------------------------------
// Spec serialization

#[test]
fn default_spec_and_its_json_are_unchanged() {
    let d = DatasetSpec::default();
    assert_eq!(d.generator, Generator::Moons);
    assert_eq!(
        d.counts,
        ClassCounts::Ratio {
            majority: 500,
            ratio: 0.1,
            classes: 2
        }
    );
    assert_eq!(d.noise, 0.25);
    assert_eq!(d.validate().unwrap(), [500, 50]);
    // links made before sources and label noise existed still read, and the default writes the same
    let old = r#"{"generator":"moons","counts":{"kind":"ratio","majority":500,"ratio":0.1,"classes":2},"noise":0.25}"#;
    assert_eq!(serde_json::from_str::<DatasetSpec>(old).unwrap(), d);
    assert_eq!(serde_json::to_string(&d).unwrap(), old);

    let bundled: DatasetSpec = serde_json::from_str(
        r#"{"generator":"moons","counts":{"kind":"ratio","majority":500,"ratio":0.1,"classes":2},"noise":0.25,
            "source":{"kind":"bundled","name":"wine_quality_red","subsample":{"kind":"linear","n_max":100,"rho":10,"classes":6}}}"#,
    )
    .unwrap();
    assert_eq!(
        bundled.source,
        DataOrigin::Bundled {
            name: BundledName::WineQualityRed,
            subsample: Some(ClassCounts::Linear {
                n_max: 100,
                rho: 10.0,
                classes: 6
            }),
            standardize: true
        }
    );
    // wine quality has only 10 rows of quality 3: a profile asking 100 of class 0 is refused
    assert!(bundled.validate().is_err());

    let all = DatasetSpec {
        label_noise: LabelNoise::TowardMajority { rate: 0.1 },
        generator: Generator::TwoGaussians,
        ..DatasetSpec::default()
    };
    let json = serde_json::to_string(&all).unwrap();
    assert!(json.contains("toward_majority") && json.contains("two_gaussians"));
    assert_eq!(serde_json::from_str::<DatasetSpec>(&json).unwrap(), all);
}

#[test]
fn experiment_default_still_runs_on_the_default_dataset() {
    let config = imlab_engine::ExperimentConfig::default();
    config.validate().unwrap();
    let d = config
        .dataset
        .generate(&mut Rng::stream(config.seed, "data"))
        .unwrap();
    assert_eq!(d.class_counts(), [500, 50]);
}
