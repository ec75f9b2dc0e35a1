//! The same configuration gives bit-identical results on the CPU path, run after run, natively and on
//! wasm32. Both targets check the same fingerprints below: if either drifts (a platform math call, a
//! summation order that depends on the target, a hash-map iteration), this test fails there.
//!
//! Run on wasm32 with `cargo test -p imlab-engine --target wasm32-unknown-unknown --test determinism`
//! (Node.js, via wasm-bindgen-test-runner).

use imlab_engine::{Experiment, ExperimentConfig};

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

/// FNV-1a over the exact bit patterns.
fn fingerprint(params: &[f32], extra: &[f64]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut eat = |bytes: &[u8]| {
        for &b in bytes {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01B3);
        }
    };
    for p in params {
        eat(&p.to_bits().to_le_bytes());
    }
    for e in extra {
        eat(&e.to_bits().to_le_bytes());
    }
    h
}

fn run(config: ExperimentConfig, steps: u64) -> u64 {
    let mut exp = Experiment::new(config).expect("valid config");
    exp.train_steps(steps).expect("trains");
    let snap = exp.snapshot();
    let mut extra: Vec<f64> = exp.data.x.clone();
    extra.push(snap.test_loss);
    extra.extend(snap.history.iter().map(|h| h.train_loss));
    fingerprint(&exp.state().params, &extra)
}

#[test]
fn default_experiment_is_bit_identical_across_targets() {
    let a = run(ExperimentConfig::default(), 300);
    let b = run(ExperimentConfig::default(), 300);
    assert_eq!(a, b, "two runs in one process differ");
    assert_eq!(
        a, EXPECTED_DEFAULT,
        "fingerprint {a:#018x} differs from the one recorded natively on x86_64; the CPU path is not bit-identical across targets"
    );
}

/// Recorded natively (x86_64). Changes only when the default experiment or the engine's arithmetic changes
/// on purpose; update it then, and check the wasm32 run agrees.
const EXPECTED_DEFAULT: u64 = 0xb453_4f6e_1765_bce1;
