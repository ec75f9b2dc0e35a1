//! The results file of a browser sweep: the engine's writer, so the bytes are those `imlab sweep
//! --output x.csv` writes for the same grid; offered as a `data:` link the browser downloads.

use imlab_engine::sweep::{Grid, Results, RunOutcome};

/// The results of the runs finished so far (all of them, or fewer after Cancel, like one shard).
pub fn results(grid: &Grid, outcomes: &[RunOutcome]) -> Results {
    Results {
        sweep_id: grid.sweep_id(),
        runs_total: grid.len(),
        vary_keys: grid.axes.iter().map(|a| a.key.clone()).collect(),
        rows: outcomes.iter().map(|o| o.row.clone()).collect(),
    }
}

/// `text` as a `data:` URL of type `mime`.
pub fn data_url(mime: &str, text: &str) -> String {
    let encoded: String = js_sys::encode_uri_component(text).into();
    format!("data:{mime};charset=utf-8,{encoded}")
}
