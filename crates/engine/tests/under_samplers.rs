//! Under-sampling and cleaning samplers against imbalanced-learn 0.14.2 (methods-spec.md §A.2,
//! §A.8–§A.16, §A.18, §G.4–§G.5). Fixtures: `tools/fixtures/samplers_under.py`.
//!
//! Deterministic samplers: the kept-index *set* must equal the reference's `sample_indices_` for
//! every dataset and configuration in `under_expected.json` (CNN/OSS given the seed rows the
//! reference draws). Random under-sampling and cluster centroids: counts equal to the reference's,
//! plus distribution and geometric checks.

use std::collections::BTreeMap;
use std::fs;
use std::path::PathBuf;

use imlab_engine::dataset::Dataset;
use imlab_engine::resample::cluster_centroids::ClusterCentroidsFit;
use imlab_engine::resample::{
    removed_rows, tomek_links, AllKnn, ClusterCentroids, CondensedNearestNeighbour,
    EditedNearestNeighbours, KindSel, NearMiss, NeighbourhoodCleaningRule, OneSidedSelection,
    Origin, RandomUnderSampler, RepeatedEditedNearestNeighbours, SamplerSpec, SamplingStrategy,
    TomekLinks, Voting,
};
use imlab_engine::rng::Rng;
use serde_json::{json, Map, Value};

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("fixtures")
        .join(name)
}

fn load_csv(name: &str, n_classes: usize) -> Dataset {
    let text = fs::read_to_string(fixture(name)).expect("fixture CSV");
    let mut lines = text.lines();
    let d = lines.next().expect("header").split(',').count() - 1;
    let (mut x, mut y) = (Vec::new(), Vec::new());
    for line in lines.filter(|l| !l.is_empty()) {
        let cells: Vec<&str> = line.split(',').collect();
        for c in &cells[..d] {
            x.push(c.parse::<f64>().expect("float"));
        }
        y.push(cells[d].parse::<usize>().expect("label"));
    }
    Dataset::new(x, y, d, n_classes)
}

struct Case {
    method: String,
    params: Map<String, Value>,
    case: Value,
}

struct Fixture {
    name: String,
    data: Dataset,
    cases: Vec<Case>,
}

fn fixtures() -> Vec<Fixture> {
    let text = fs::read_to_string(fixture("under_expected.json")).expect("fixture JSON");
    let root: Value = serde_json::from_str(&text).expect("valid JSON");
    let mut out = Vec::new();
    for (name, ds) in root["datasets"].as_object().expect("datasets") {
        let k = ds["n_classes"].as_u64().unwrap() as usize;
        let data = load_csv(ds["file"].as_str().unwrap(), k);
        assert_eq!(data.len() as u64, ds["n"].as_u64().unwrap());
        let cases = ds["cases"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| Case {
                method: c["method"].as_str().unwrap().to_string(),
                params: c["params"].as_object().unwrap().clone(),
                case: c.clone(),
            })
            .collect();
        out.push(Fixture {
            name: name.clone(),
            data,
            cases,
        });
    }
    out
}

/// The reference's kept set, sorted.
fn expected_set(case: &Value, n: usize) -> Vec<usize> {
    let list = |v: &Value| -> Vec<usize> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|i| i.as_u64().unwrap() as usize)
            .collect()
    };
    if let Some(k) = case.get("kept") {
        list(k)
    } else {
        removed_rows(n, &list(&case["removed"]))
    }
}

fn expected_counts(case: &Value) -> Vec<usize> {
    case["counts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_u64().unwrap() as usize)
        .collect()
}

fn counts_of(data: &Dataset, rows: &[usize]) -> Vec<usize> {
    let mut c = vec![0; data.n_classes];
    for &i in rows {
        c[data.y[i]] += 1;
    }
    c
}

fn seeds_of(case: &Value) -> BTreeMap<usize, Vec<usize>> {
    case["seeds"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(c, rows)| {
            (
                c.parse().unwrap(),
                rows.as_array()
                    .unwrap()
                    .iter()
                    .map(|v| v.as_u64().unwrap() as usize)
                    .collect(),
            )
        })
        .collect()
}

/// The fixture's parameters as a `SamplerSpec` (through serde, as a saved config would be read).
fn spec(kind: &str, params: &Map<String, Value>, extra: Value) -> SamplerSpec {
    let mut obj = Map::new();
    obj.insert("kind".into(), Value::String(kind.into()));
    for (k, v) in params {
        match k.as_str() {
            "random_state" => {}
            "n_seeds_S" => {
                obj.insert("n_seeds_s".into(), v.clone());
            }
            _ => {
                obj.insert(k.clone(), v.clone());
            }
        }
    }
    for (k, v) in extra.as_object().unwrap() {
        obj.insert(k.clone(), v.clone());
    }
    serde_json::from_value(Value::Object(obj)).expect("params deserialize")
}

/// Kept rows (imblearn order, duplicates kept) for the deterministic samplers, plus RENN's n_iter.
fn run_deterministic(c: &Case, data: &Dataset) -> Option<(Vec<usize>, Option<usize>)> {
    let p = &c.params;
    let out = match c.method.as_str() {
        "tomek" => match spec("tomek", p, json!({})) {
            SamplerSpec::TomekLinks(s) => (s.sample_indices(data).unwrap(), None),
            _ => unreachable!(),
        },
        "enn" => match spec("enn", p, json!({})) {
            SamplerSpec::EditedNearestNeighbours(s) => (s.sample_indices(data).unwrap(), None),
            _ => unreachable!(),
        },
        "renn" => match spec("renn", p, json!({})) {
            SamplerSpec::RepeatedEditedNearestNeighbours(s) => {
                let r = s.run(data).unwrap();
                (r.kept, Some(r.n_iter))
            }
            _ => unreachable!(),
        },
        "allknn" => match spec("allknn", p, json!({})) {
            SamplerSpec::AllKnn(s) => (s.sample_indices(data).unwrap(), None),
            _ => unreachable!(),
        },
        "ncr" => match spec("ncr", p, json!({})) {
            SamplerSpec::NeighbourhoodCleaningRule(s) => (s.sample_indices(data).unwrap(), None),
            _ => unreachable!(),
        },
        "nearmiss" => match spec("nearmiss", p, json!({})) {
            SamplerSpec::NearMiss(s) => (s.sample_indices(data).unwrap(), None),
            _ => unreachable!(),
        },
        "cnn" | "cnn_compat" => {
            let compat = c.method == "cnn_compat";
            match spec("cnn", p, json!({ "imblearn_compat": compat })) {
                SamplerSpec::CondensedNearestNeighbour(s) => (
                    s.run_with_seeds(data, &seeds_of(&c.case)).unwrap().kept,
                    None,
                ),
                _ => unreachable!(),
            }
        }
        "oss" => match spec("oss", p, json!({})) {
            SamplerSpec::OneSidedSelection(s) => (
                s.run_with_seeds(data, &seeds_of(&c.case)).unwrap().kept,
                None,
            ),
            _ => unreachable!(),
        },
        _ => return None,
    };
    Some(out)
}

fn check_methods(methods: &[&str]) {
    let mut checked = 0;
    for f in fixtures() {
        for c in f
            .cases
            .iter()
            .filter(|c| methods.contains(&c.method.as_str()))
        {
            assert!(
                c.case.get("error").is_none(),
                "fixture has an error case the test does not handle"
            );
            let (kept, n_iter) = run_deterministic(c, &f.data).unwrap();
            let label = format!("{} {} {:?}", f.name, c.method, c.params);
            let got = counts_of(&f.data, &kept);
            assert_eq!(got, expected_counts(&c.case), "counts: {label}");
            check_a18(&f.name, &c.method, &c.params, &got);
            let mut set = kept.clone();
            set.sort_unstable();
            set.dedup();
            let want = expected_set(&c.case, f.data.len());
            if set != want {
                let extra: Vec<_> = set
                    .iter()
                    .filter(|i| want.binary_search(i).is_err())
                    .collect();
                let missing: Vec<_> = want
                    .iter()
                    .filter(|i| set.binary_search(i).is_err())
                    .collect();
                panic!("kept set differs: {label}; kept but not in reference {extra:?}; missing {missing:?}");
            }
            if let Some(it) = c.case.get("n_iter") {
                assert_eq!(
                    n_iter,
                    Some(it.as_u64().unwrap() as usize),
                    "n_iter: {label}"
                );
            }
            checked += 1;
        }
    }
    assert!(checked > 0, "no fixture case for {methods:?}");
}

#[test]
fn tomek_links_match_reference() {
    check_methods(&["tomek"]);
}

#[test]
fn enn_matches_reference() {
    check_methods(&["enn"]);
}

#[test]
fn renn_matches_reference_including_n_iter() {
    check_methods(&["renn"]);
}

#[test]
fn allknn_matches_reference() {
    check_methods(&["allknn"]);
}

#[test]
fn ncr_matches_reference() {
    check_methods(&["ncr"]);
}

#[test]
fn nearmiss_matches_reference() {
    check_methods(&["nearmiss"]);
}

#[test]
fn cnn_compat_matches_reference_given_seeds() {
    check_methods(&["cnn_compat"]);
}

#[test]
fn cnn_default_matches_intended_rule_given_seeds() {
    check_methods(&["cnn"]);
}

#[test]
fn oss_matches_reference_given_seeds() {
    check_methods(&["oss"]);
}

/// methods-spec.md §A.18: the imbalanced-learn user guide's counts (dataset `userguide`), typed in
/// from the table. `check_methods` compares the engine's counts with these directly.
fn a18_counts(method: &str, params: &Map<String, Value>) -> Option<[usize; 3]> {
    let p = Value::Object(params.clone());
    let auto1 = json!({"random_state": 0, "n_seeds_S": 1, "sampling_strategy": "auto"});
    Some(match method {
        "tomek" if p == json!({"sampling_strategy": "auto"}) => [64, 249, 4654],
        "tomek" if p == json!({"sampling_strategy": "all"}) => [55, 249, 4654],
        "enn" if p == json!({"n_neighbors": 3, "kind_sel": "all"}) => [64, 213, 4568],
        "enn" if p == json!({"n_neighbors": 3, "kind_sel": "mode"}) => [64, 234, 4666],
        "renn" if p == json!({}) => [64, 208, 4551],
        "allknn" if p == json!({}) => [64, 220, 4601],
        "cnn_compat" if p == auto1 => [64, 24, 115],
        "oss" if p == auto1 => [64, 174, 4404],
        "ncr" if p == json!({"n_neighbors": 11}) => [64, 193, 4535],
        "ncr" if p == json!({}) => [64, 228, 4630],
        "nearmiss" if p == json!({"version": 1}) || p == json!({"version": 2}) => [64, 64, 64],
        "nearmiss" if p == json!({"version": 3}) => [64, 44, 56],
        "rus" if p == json!({"sampling_strategy": "auto"}) => [64, 64, 64],
        "cluster_centroids" if p == json!({}) => [64, 64, 64],
        _ => return None,
    })
}

fn check_a18(dataset: &str, method: &str, params: &Map<String, Value>, got: &[usize]) {
    if dataset != "userguide" {
        return;
    }
    if let Some(want) = a18_counts(method, params) {
        assert_eq!(got, &want[..], "§A.18 counts: {method} {params:?}");
    }
}

/// Every row of the §A.18 table is exercised by the user-guide fixture (so `check_methods`,
/// the RUS and the cluster-centroid tests compare the engine with each of them).
#[test]
fn userguide_fixture_covers_section_a18() {
    let f = fixtures()
        .into_iter()
        .find(|f| f.name == "userguide")
        .unwrap();
    assert_eq!(f.data.class_counts(), vec![64, 262, 4674]);
    let mut rows = 0;
    for c in &f.cases {
        if let Some(want) = a18_counts(&c.method, &c.params) {
            assert_eq!(
                expected_counts(&c.case),
                want.to_vec(),
                "{} {:?}",
                c.method,
                c.params
            );
            rows += 1;
        }
    }
    // Tomek ×2, ENN ×2, RENN, AllKNN, CNN, OSS, NCR ×2, NearMiss-1/-2/-3, RUS, cluster centroids.
    assert_eq!(rows, 15);
    let renn = f
        .cases
        .iter()
        .find(|c| c.method == "renn" && c.params.is_empty())
        .unwrap();
    assert_eq!(renn.case["n_iter"], 4);
}

#[test]
fn tomek_links_are_mutual_nearest_neighbours_of_different_classes() {
    let data = load_csv("under_toy_c.csv", 4);
    let pairs = tomek_links::links(&data);
    assert!(!pairs.is_empty());
    // 'all' removes exactly both ends of every link.
    let kept = TomekLinks {
        sampling_strategy: SamplingStrategy::All,
    }
    .sample_indices(&data)
    .unwrap();
    let removed = removed_rows(data.len(), &kept);
    let outcome = TomekLinks {
        sampling_strategy: SamplingStrategy::All,
    }
    .run(&data)
    .unwrap();
    assert_eq!(outcome.links, pairs);
    assert_eq!(outcome.removed, removed);
    let mut ends: Vec<usize> = pairs.iter().flat_map(|&(a, b)| [a, b]).collect();
    ends.sort_unstable();
    assert_eq!(ends, removed);
    let sq = |a: &[f64], b: &[f64]| -> f64 { a.iter().zip(b).map(|(p, q)| (p - q).powi(2)).sum() };
    for &(a, b) in &pairs {
        assert!(a < b);
        assert_ne!(data.y[a], data.y[b]);
        let dab = sq(data.row(a), data.row(b));
        for i in (0..data.len()).filter(|&i| i != a && i != b) {
            assert!(sq(data.row(a), data.row(i)) > dab && sq(data.row(b), data.row(i)) > dab);
        }
    }
}

#[test]
fn cleaners_report_their_removals() {
    let data = load_csv("under_toy_c.csv", 4);
    let ncr = NeighbourhoodCleaningRule::default().run(&data).unwrap();
    let mut union = ncr.removed_by_enn.clone();
    union.extend(&ncr.removed_near_minority);
    union.sort_unstable();
    union.dedup();
    assert_eq!(union, removed_rows(data.len(), &ncr.kept));
    assert!(ncr.misclassified_minority.iter().all(|&i| data.y[i] == 3));
    assert!(!ncr.removed_near_minority.is_empty());
    let nm3 = NearMiss {
        version: 3,
        ..Default::default()
    }
    .run(&data)
    .unwrap();
    for &(class, asked, kept) in &nm3.shortfalls {
        assert!(kept < asked);
        assert_eq!(counts_of(&data, &nm3.kept)[class], kept);
    }
    let renn = RepeatedEditedNearestNeighbours::default()
        .run(&data)
        .unwrap();
    assert_eq!(renn.removed_per_pass.len(), renn.n_iter);
    let removed: usize = renn.removed_per_pass.iter().map(Vec::len).sum();
    assert_eq!(removed, data.len() - renn.kept.len());
    let allknn = AllKnn::default().run(&data).unwrap();
    let removed: usize = allknn.removed_per_pass.iter().map(Vec::len).sum();
    assert_eq!(removed, data.len() - allknn.kept.len());
    let oss = OneSidedSelection::default()
        .run(&data, &Rng::stream(2, "sampler"))
        .unwrap();
    let mut all: Vec<usize> = oss.kept.clone();
    all.extend(&oss.removed_by_selection);
    all.extend(&oss.removed_by_tomek);
    all.sort_unstable();
    assert_eq!(
        all,
        (0..data.len()).collect::<Vec<_>>(),
        "OSS partitions the rows"
    );
}

#[test]
fn random_under_sampler_counts_match_reference() {
    let mut checked = 0;
    for f in fixtures() {
        for c in f.cases.iter().filter(|c| c.method == "rus") {
            let s = match spec("rus", &c.params, json!({})) {
                SamplerSpec::RandomUnderSampler(s) => s,
                _ => unreachable!(),
            };
            for replacement in [false, true] {
                let s = RandomUnderSampler {
                    replacement,
                    ..s.clone()
                };
                let mut rng = Rng::stream(3, "sampler");
                let r = s.fit_resample(&f.data, &mut rng).unwrap();
                assert_eq!(
                    r.data.class_counts(),
                    expected_counts(&c.case),
                    "{} {:?}",
                    f.name,
                    c.params
                );
                check_a18(&f.name, "rus", &c.params, &r.data.class_counts());
                for (row, o) in r.origin.iter().enumerate() {
                    let Origin::Original { index } = *o else {
                        panic!("random under-sampling only keeps original rows")
                    };
                    assert_eq!(r.data.row(row), f.data.row(index));
                    assert_eq!(r.data.y[row], f.data.y[index]);
                }
            }
            checked += 1;
        }
    }
    assert!(checked >= 15);
}

/// Each row of a targeted class is equally likely to be kept (χ² at p = 0.001), without and with
/// replacement, over 2000 independent draws.
#[test]
fn random_under_sampler_draws_uniformly() {
    let data = load_csv("under_toy_a.csv", 2); // 160 / 40: class 0 keeps 40
    let rows0: Vec<usize> = (0..data.len()).filter(|&i| data.y[i] == 0).collect();
    let n0 = rows0.len() as f64;
    let keep = 40.0;
    let runs = 2000;
    for replacement in [false, true] {
        let s = RandomUnderSampler {
            replacement,
            ..Default::default()
        };
        let mut hits = vec![0usize; data.len()];
        for seed in 0..runs {
            let kept = s
                .sample_indices(&data, &mut Rng::stream(seed, "sampler"))
                .unwrap();
            let mut class0: Vec<usize> = kept.iter().copied().filter(|&i| data.y[i] == 0).collect();
            assert_eq!(class0.len(), 40);
            assert_eq!(kept.len() - class0.len(), 40, "class 1 is kept whole");
            if !replacement {
                class0.sort_unstable();
                class0.dedup();
                assert_eq!(class0.len(), 40, "no row twice without replacement");
            }
            for i in class0 {
                hits[i] += 1;
            }
        }
        let p = keep / n0;
        let expected = runs as f64 * p;
        // Without replacement a row's count is Binomial(runs, p): variance expected·(1 − p).
        let var = if replacement {
            expected
        } else {
            expected * (1.0 - p)
        };
        let chi2: f64 = rows0
            .iter()
            .map(|&i| (hits[i] as f64 - expected).powi(2) / var)
            .sum();
        assert!(
            chi2 < 219.85,
            "χ²(159) = {chi2} (replacement {replacement})"
        );
        assert!(chi2 > 110.0, "suspiciously even: χ²(159) = {chi2}");
    }
}

fn check_clusters(data: &Dataset, fit: &ClusterCentroidsFit, voting: Voting) {
    let d = data.n_features;
    for (ci, cl) in fit.clusters.iter().enumerate() {
        assert!(!cl.members.is_empty(), "empty cluster");
        for j in 0..d {
            let mean: f64 =
                cl.members.iter().map(|&i| data.row(i)[j]).sum::<f64>() / cl.members.len() as f64;
            assert!(
                (mean - cl.centroid[j]).abs() <= 1e-12 * (1.0 + mean.abs()),
                "centroid is not the mean of its members"
            );
        }
        assert!(cl.members.iter().all(|&i| data.y[i] == cl.class));
        assert_eq!(data.y[cl.nearest_row], cl.class);
        let row = fit
            .resampled
            .origin
            .iter()
            .position(|o| match (voting, o) {
                (Voting::Soft, Origin::Centroid { cluster }) => *cluster == ci,
                (Voting::Hard, Origin::Original { index }) => *index == cl.nearest_row,
                _ => false,
            })
            .expect("each cluster yields a row");
        let want = match voting {
            Voting::Soft => cl.centroid.clone(),
            Voting::Hard => data.row(cl.nearest_row).to_vec(),
        };
        assert_eq!(fit.resampled.data.row(row), &want[..]);
    }
    // Members partition each targeted class and sit nearest their own centroid when converged.
    for &(class, _, converged) in &fit.iterations {
        let cls: Vec<_> = fit.clusters.iter().filter(|c| c.class == class).collect();
        let mut all: Vec<usize> = cls.iter().flat_map(|c| c.members.clone()).collect();
        all.sort_unstable();
        let rows: Vec<usize> = (0..data.len()).filter(|&i| data.y[i] == class).collect();
        assert_eq!(all, rows);
        assert!(converged, "k-means did not converge for class {class}");
        let sq =
            |a: &[f64], b: &[f64]| -> f64 { a.iter().zip(b).map(|(p, q)| (p - q).powi(2)).sum() };
        for c in &cls {
            for &i in &c.members {
                let own = sq(data.row(i), &c.centroid);
                assert!(cls.iter().all(|o| own <= sq(data.row(i), &o.centroid)));
            }
        }
    }
}

#[test]
fn cluster_centroids_counts_match_reference_and_centroids_are_means() {
    let mut checked = 0;
    for f in fixtures() {
        for c in f.cases.iter().filter(|c| c.method == "cluster_centroids") {
            let s = match spec("cluster_centroids", &c.params, json!({})) {
                SamplerSpec::ClusterCentroids(s) => s,
                _ => unreachable!(),
            };
            for voting in [Voting::Soft, Voting::Hard] {
                let s = ClusterCentroids {
                    voting,
                    ..s.clone()
                };
                let fit = s.fit(&f.data, &Rng::stream(1, "sampler")).unwrap();
                let got = fit.resampled.data.class_counts();
                assert_eq!(got, expected_counts(&c.case), "{} {:?}", f.name, c.params);
                check_a18(&f.name, "cluster_centroids", &c.params, &got);
                check_clusters(&f.data, &fit, voting);
            }
            checked += 1;
        }
    }
    assert!(checked >= 9);
}

#[test]
fn seeded_runs_are_reproducible_and_consistent() {
    let data = load_csv("under_toy_c.csv", 4);
    for kind in ["rus", "cnn", "oss", "cluster_centroids"] {
        let s: SamplerSpec = serde_json::from_value(json!({ "kind": kind })).unwrap();
        s.validate().unwrap();
        let a = s.apply(&data, &mut Rng::stream(5, "sampler")).unwrap();
        let b = s.apply(&data, &mut Rng::stream(5, "sampler")).unwrap();
        assert_eq!(a, b, "{kind}");
        // 'auto' never touches the minority (class 3, 30 rows).
        assert_eq!(a.data.class_counts()[3], 30, "{kind}");
    }
    // CNN: each condensed class starts from one seed of its own class and keeps it.
    let cnn = CondensedNearestNeighbour::default();
    let out = cnn.run(&data, &Rng::stream(5, "sampler")).unwrap();
    for (class, seeds) in &out.seeds {
        assert_eq!(seeds.len(), 1);
        assert_eq!(data.y[seeds[0]], *class);
        assert!(out.kept.contains(&seeds[0]));
        assert_ne!(*class, 3);
    }
}

#[test]
fn sampler_specs_round_trip_and_name_themselves() {
    let cases = [
        (json!({"kind": "rus"}), "rus"),
        (
            json!({"kind": "tomek", "sampling_strategy": "all"}),
            "tomek",
        ),
        (json!({"kind": "enn", "kind_sel": "mode"}), "enn"),
        (json!({"kind": "renn"}), "renn"),
        (json!({"kind": "allknn", "allow_minority": true}), "allknn"),
        (json!({"kind": "cnn", "imblearn_compat": true}), "cnn"),
        (json!({"kind": "oss"}), "oss"),
        (json!({"kind": "ncr", "n_neighbors": 11}), "ncr"),
        (json!({"kind": "nearmiss"}), "nearmiss1"),
        (json!({"kind": "nearmiss", "version": 2}), "nearmiss2"),
        (json!({"kind": "nearmiss", "version": 3}), "nearmiss3"),
        (
            json!({"kind": "cluster_centroids", "voting": "hard"}),
            "cluster_centroids",
        ),
    ];
    for (v, name) in cases {
        let s: SamplerSpec = serde_json::from_value(v.clone()).unwrap();
        assert_eq!(s.name(), name);
        let back: SamplerSpec = serde_json::from_value(serde_json::to_value(&s).unwrap()).unwrap();
        assert_eq!(back, s);
    }
    let s: SamplerSpec = serde_json::from_value(json!({"kind": "enn"})).unwrap();
    assert_eq!(
        s,
        SamplerSpec::EditedNearestNeighbours(EditedNearestNeighbours::default())
    );
    let SamplerSpec::EditedNearestNeighbours(e) = s else {
        unreachable!()
    };
    assert_eq!((e.n_neighbors, e.kind_sel), (3, KindSel::All));
}

#[test]
fn bad_settings_and_data_are_explained() {
    let data = load_csv("under_toy_d.csv", 3); // 90 / 40 / 20
    let err = |r: Result<Vec<usize>, imlab_engine::EngineError>| r.unwrap_err().to_string();
    // More neighbours than minority rows (scikit-learn: n_neighbors <= n_samples_fit).
    let e = err(NearMiss {
        n_neighbors: 21,
        ..Default::default()
    }
    .sample_indices(&data));
    assert!(e.contains("n_neighbors") && e.contains("20"), "{e}");
    let e = err(NearMiss {
        version: 3,
        n_neighbors_ver3: 91,
        sampling_strategy: SamplingStrategy::Majority,
        ..Default::default()
    }
    .sample_indices(&data));
    assert!(e.contains("n_neighbors_ver3"), "{e}");
    // NearMiss-2 sums all minority distances when asked for more (as the reference does).
    assert!(NearMiss {
        version: 2,
        n_neighbors: 21,
        ..Default::default()
    }
    .sample_indices(&data)
    .is_ok());
    let e = err(EditedNearestNeighbours {
        n_neighbors: 150,
        ..Default::default()
    }
    .sample_indices(&data));
    assert!(e.contains("151"), "{e}");
    assert!(NearMiss {
        version: 4,
        ..Default::default()
    }
    .validate()
    .is_err());
    assert!(NeighbourhoodCleaningRule {
        threshold_cleaning: 0.0,
        ..Default::default()
    }
    .validate()
    .is_err());
    assert!(EditedNearestNeighbours {
        n_neighbors: 0,
        ..Default::default()
    }
    .validate()
    .is_err());
    // Cleaning samplers take class lists, not counts or ratios; under-samplers the reverse.
    let counts: SamplingStrategy = "0:10".parse().unwrap();
    assert!(TomekLinks {
        sampling_strategy: counts.clone()
    }
    .sample_indices(&data)
    .is_err());
    assert!(NearMiss {
        sampling_strategy: counts,
        ..Default::default()
    }
    .sample_indices(&data)
    .is_ok());
    assert!(NearMiss {
        sampling_strategy: SamplingStrategy::Classes(vec![0]),
        ..Default::default()
    }
    .sample_indices(&data)
    .is_err());
    // Seeds must belong to the class they start.
    let mut seeds = BTreeMap::new();
    let row_of_2 = (0..data.len()).find(|&i| data.y[i] == 2).unwrap();
    seeds.insert(0, vec![row_of_2]);
    seeds.insert(1, vec![row_of_2]);
    assert!(CondensedNearestNeighbour::default()
        .run_with_seeds(&data, &seeds)
        .is_err());
    // A single class cannot be resampled.
    let one = Dataset::new(vec![0.0, 1.0, 2.0], vec![0, 0, 0], 1, 1);
    assert!(TomekLinks::default().sample_indices(&one).is_err());
}

/// Every under-sampler runs inside an experiment (default moons, 500:50) and only keeps or
/// summarises training rows.
#[test]
fn every_under_sampler_runs_in_an_experiment() {
    use imlab_engine::{Experiment, ExperimentConfig};
    let kinds = [
        json!({"kind": "rus"}),
        json!({"kind": "tomek"}),
        json!({"kind": "enn", "kind_sel": "mode"}),
        json!({"kind": "renn"}),
        json!({"kind": "allknn"}),
        json!({"kind": "cnn"}),
        json!({"kind": "cnn", "imblearn_compat": true}),
        json!({"kind": "oss"}),
        json!({"kind": "ncr"}),
        json!({"kind": "nearmiss", "version": 3}),
        json!({"kind": "cluster_centroids"}),
        json!({"kind": "cluster_centroids", "voting": "hard"}),
    ];
    for kind in kinds {
        let config = ExperimentConfig {
            sampler: serde_json::from_value(kind.clone()).unwrap(),
            ..Default::default()
        };
        let exp = Experiment::new(config).unwrap();
        let (train, r) = (&exp.train, &exp.resampled);
        let before = train.class_counts();
        let after = r.data.class_counts();
        assert_eq!(after[1], before[1], "{kind}: the minority is kept whole");
        assert!(after[0] < before[0], "{kind}: the majority shrinks");
        assert_eq!(r.origin.len(), r.data.len());
        for (row, o) in r.origin.iter().enumerate() {
            match *o {
                Origin::Original { index } => {
                    assert_eq!(r.data.row(row), train.row(index), "{kind}");
                    assert_eq!(r.data.y[row], train.y[index]);
                }
                Origin::Centroid { .. } => assert_eq!(kind["kind"], "cluster_centroids"),
                other => panic!("{kind}: an under-sampler made a row of origin {other:?}"),
            }
        }
    }
}
