//! `window.imlab`: a small scripting surface for tests and curious users.
//! `window.imlab.snapshot()` returns the latest snapshot, with its config and backend, as JSON text
//! (in multi-label mode the multi-label report, with `"task": "multilabel"`).

use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsValue;

use crate::runner::Controller;

pub fn install(ctl: Controller) -> Result<(), JsValue> {
    let window = web_sys::window().ok_or_else(|| JsValue::from_str("no window"))?;
    let api = js_sys::Object::new();
    let snapshot = Closure::<dyn Fn() -> String>::new(move || {
        ctl.with_session(|s| match &s.ml {
            Some(ml) => ml.report_json("CPU"),
            None => s.lab.report(&s.backend_label).to_json(),
        })
        .unwrap_or_else(|| r#"{"error":"the experiment is being replaced; ask again"}"#.into())
    });
    js_sys::Reflect::set(&api, &"snapshot".into(), &snapshot.into_js_value())?;
    // `window.imlab.multilabel()`: the multi-label experiment's snapshot, co-occurrence matrices
    // and head-to-tail order as JSON ("null" in multi-class mode). In multi-label mode
    // `snapshot()` returns the same document.
    let multilabel = Closure::<dyn Fn() -> String>::new(move || {
        ctl.with_session(|s| s.ml.as_ref().map(|ml| ml.report_json("CPU")))
            .flatten()
            .unwrap_or_else(|| "null".into())
    });
    js_sys::Reflect::set(&api, &"multilabel".into(), &multilabel.into_js_value())?;
    // `window.imlab.boundaryDraws()`: decision-boundary redraws since load (redraw-rate tests).
    let draws = Closure::<dyn Fn() -> f64>::new(|| crate::charts::boundary::draw_count() as f64);
    js_sys::Reflect::set(&api, &"boundaryDraws".into(), &draws.into_js_value())?;
    // `window.imlab.featureSpace()`: the feature-space panel's latest view as JSON (class means,
    // global mean, arrow tips, explained variance, mode, draws), or "null" before its first view.
    let features =
        Closure::<dyn Fn() -> String>::new(crate::components::feature_space::latest_json);
    js_sys::Reflect::set(&api, &"featureSpace".into(), &features.into_js_value())?;
    // `window.imlab.setConfig(json)`: starts the experiment of a full config (the `config` of
    // `snapshot()`, edited); returns "ok" or why it was refused.
    let set_config = Closure::<dyn Fn(String) -> String>::new(move |text: String| {
        match serde_json::from_str::<imlab_engine::ExperimentConfig>(&text) {
            Ok(config) => {
                if ctl.apply_config(config) {
                    "ok".to_string()
                } else {
                    ctl.ui
                        .error
                        .get_untracked()
                        .unwrap_or_else(|| "the experiment is busy; try again".into())
                }
            }
            Err(e) => format!("config not read: {e}"),
        }
    });
    js_sys::Reflect::set(&api, &"setConfig".into(), &set_config.into_js_value())?;
    let bench = Closure::<dyn Fn(u32, u32) -> String>::new(bench_train);
    js_sys::Reflect::set(&api, &"benchTrain".into(), &bench.into_js_value())?;
    let bench_ml = Closure::<dyn Fn(u32, u32) -> String>::new(bench_train_multilabel);
    js_sys::Reflect::set(
        &api,
        &"benchTrainMultilabel".into(),
        &bench_ml.into_js_value(),
    )?;
    js_sys::Reflect::set(&window, &"imlab".into(), &api)?;
    Ok(())
}

/// `window.imlab.benchTrain(rows, epochs)`: times the engine's CPU training path in this wasm build
/// on the same experiment as the native `imlab bench train` (moons 1:10, MLP 2→32→32→2, Adam, batch
/// 256) and returns JSON with samples·epochs per second. It blocks the page while it runs: pause
/// training first; it is a benchmark, not a feature.
fn bench_train(rows: u32, epochs: u32) -> String {
    use imlab_engine::experiment::{training_benchmark, BENCH_TEST_FRACTION};
    let total = (f64::from(rows) / (1.0 - BENCH_TEST_FRACTION)).ceil() as usize;
    let config = training_benchmark(total, epochs.max(1) as usize, 256);
    let mut exp = match imlab_engine::Experiment::new(config) {
        Ok(e) => e,
        Err(e) => return serde_json::json!({ "error": e.to_string() }).to_string(),
    };
    let now = || {
        web_sys::window()
            .and_then(|w| w.performance())
            .map_or(0.0, |p| p.now())
    };
    let start = now();
    if let Err(e) = exp.train_to_end() {
        return serde_json::json!({ "error": e.to_string() }).to_string();
    }
    let seconds = (now() - start) / 1000.0;
    let samples = exp.step() as f64 * exp.batch_size() as f64;
    serde_json::json!({
        "implementation": "imlab wasm32 CPU path (this browser, main thread)",
        "train_rows": exp.train.len(),
        "epochs": epochs,
        "batch": exp.batch_size(),
        "seconds": seconds,
        "samples_epochs_per_s": samples / seconds.max(1e-9),
    })
    .to_string()
}

/// `window.imlab.benchTrainMultilabel(rows, epochs)`: the multi-label benchmark of
/// `imlab bench train --multilabel` (5 labels, sigmoid head, BCE) in this wasm build; blocks the
/// page like `benchTrain`.
fn bench_train_multilabel(rows: u32, epochs: u32) -> String {
    use imlab_engine::experiment::{multilabel_training_benchmark, BENCH_TEST_FRACTION};
    use imlab_engine::multilabel::MultilabelExperiment;
    let total = (f64::from(rows) / (1.0 - BENCH_TEST_FRACTION)).ceil() as usize;
    let config = multilabel_training_benchmark(total, epochs.max(1) as usize, 256);
    let mut exp = match MultilabelExperiment::new(config) {
        Ok(e) => e,
        Err(e) => return serde_json::json!({ "error": e.to_string() }).to_string(),
    };
    let start = crate::runner::now_ms();
    if let Err(e) = exp.train_to_end() {
        return serde_json::json!({ "error": e.to_string() }).to_string();
    }
    let seconds = (crate::runner::now_ms() - start) / 1000.0;
    let samples = exp.step() as f64 * exp.batch_size() as f64;
    serde_json::json!({
        "implementation": "imlab wasm32 CPU path, multi-label (this browser, main thread)",
        "train_rows": exp.train.n_samples(),
        "labels": exp.n_labels(),
        "epochs": epochs,
        "batch": exp.batch_size(),
        "seconds": seconds,
        "samples_epochs_per_s": samples / seconds.max(1e-9),
    })
    .to_string()
}
