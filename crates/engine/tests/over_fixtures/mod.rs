//! Loading the over-sampler fixtures written by `tools/fixtures/samplers_over.py`.

#![allow(dead_code)]

use std::path::PathBuf;

use imlab_engine::dataset::Dataset;
use serde_json::Value;

pub fn fixture_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("fixtures")
        .join(name)
}

/// `over_<name>.csv`: feature columns then the label.
pub fn dataset(name: &str) -> Dataset {
    let text = std::fs::read_to_string(fixture_path(&format!("over_{name}.csv"))).unwrap();
    let mut lines = text.lines();
    let d = lines.next().unwrap().split(',').count() - 1;
    let mut x = Vec::new();
    let mut y = Vec::new();
    for line in lines {
        let mut it = line.split(',');
        for _ in 0..d {
            x.push(it.next().unwrap().parse::<f64>().unwrap());
        }
        y.push(it.next().unwrap().parse::<usize>().unwrap());
    }
    let k = y.iter().max().unwrap() + 1;
    Dataset::new(x, y, d, k)
}

pub fn expected() -> Value {
    let text = std::fs::read_to_string(fixture_path("over_expected.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

pub fn usizes(v: &Value) -> Vec<usize> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_u64().unwrap() as usize)
        .collect()
}

pub fn floats(v: &Value) -> Vec<f64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect()
}

pub fn matrix(v: &Value) -> Vec<f64> {
    v.as_array().unwrap().iter().flat_map(floats).collect()
}
