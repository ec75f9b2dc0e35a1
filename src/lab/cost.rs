//! What one animation frame of training costs on the page's main thread, bounded so that no
//! experiment (a link, a preset, a typed setting) can freeze the tab. After every frame that trained,
//! the page evaluates the network on the decision grid, the test split and the original training
//! rows, and every frame that trains runs at least one optimizer step however long it takes (see
//! `budget.rs`); a network too large for that is refused with a message, before anything runs.

use imlab_engine::{EngineError, Experiment};

/// Most floating-point operations one frame may need. The CPU path in the browser does about 2–4
/// GFLOP/s, so this keeps a frame of the largest accepted experiment near a quarter of a second
/// (the default experiment needs about 8 million).
pub const MAX_FRAME_FLOPS: f64 = 6e8;

/// Operations of one frame: a forward pass (2 per weight) over `eval_rows` rows and one training
/// step (forward and backward, about 6 per weight) over `batch` rows.
pub fn frame_flops(weights: usize, eval_rows: usize, batch: usize) -> f64 {
    2.0 * weights as f64 * eval_rows as f64 + 6.0 * weights as f64 * batch as f64
}

/// Refuses an experiment whose frames would block the page, naming what to change.
pub fn check(exp: &Experiment, grid_cells: usize) -> Result<(), EngineError> {
    let eval_rows = grid_cells + exp.test.len() + exp.train.len();
    let flops = frame_flops(exp.model().n_params(), eval_rows, exp.batch_size());
    if flops <= MAX_FRAME_FLOPS {
        return Ok(());
    }
    Err(EngineError::config(
        "model.hidden",
        format!(
            "this network needs about {:.0} million operations per frame of training and drawing, \
             more than the {:.0} million that keep the page responsive; use fewer or narrower hidden \
             layers or a smaller batch here, or run it with `imlab run`",
            flops / 1e6,
            MAX_FRAME_FLOPS / 1e6
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use imlab_engine::optim::OptimizerSpec;
    use imlab_engine::ExperimentConfig;

    fn with_hidden(hidden: Vec<usize>, batch: usize) -> Experiment {
        let mut cfg = ExperimentConfig::default();
        cfg.model.hidden = hidden;
        cfg.batch_size = batch;
        cfg.optimizer = OptimizerSpec::default();
        Experiment::new(cfg).unwrap()
    }

    #[test]
    fn the_default_and_moderate_networks_pass() {
        let cells = crate::lab::GRID_SIZE * crate::lab::GRID_SIZE;
        check(
            &Experiment::new(ExperimentConfig::default()).unwrap(),
            cells,
        )
        .unwrap();
        check(&with_hidden(vec![64, 64, 64], 32), cells).unwrap();
        check(&with_hidden(vec![128, 128], 256), cells).unwrap();
    }

    #[test]
    fn networks_that_would_block_the_page_are_refused_by_name() {
        let cells = crate::lab::GRID_SIZE * crate::lab::GRID_SIZE;
        let err = check(&with_hidden(vec![256; 4], 32), cells).unwrap_err();
        assert!(err.to_string().contains("model.hidden"), "{err}");
        assert!(err.to_string().contains("imlab run"), "{err}");
        // Without a grid (more than two features) the batch alone can be too much.
        assert!(check(&with_hidden(vec![256; 4], 4096), 0).is_err());
    }
}
