//! `imlab sweep --gpu`: the runs train side by side on the native GPU (`imlab_gpu::SideBySide`,
//! up to `MAX_MEMBERS` in one dispatch per kernel), grouped as the browser groups them: consecutive
//! runs that can share a dispatch. Each is scored by the engine's own code (`sweep::outcome_of`),
//! so the rows have the CPU path's columns and agree with its rows within the GPU parity bounds
//! (crates/gpu/tests/side_by_side.rs), not byte for byte. A run the kernels do not cover trains
//! on the CPU path.

use imlab_engine::dataset::MemorySource;
use imlab_engine::sweep::{outcome_of, run_one, Row, RunSpec};
use imlab_engine::Experiment;
use imlab_gpu::{compatible, supported, GpuContext, SideBySide, MAX_MEMBERS};

/// Optimizer steps per member and submission.
const STEPS_PER_SUBMISSION: usize = 256;

/// Runs `runs` side by side on the default adapter, calling `progress(done, row)` as each finishes;
/// rows in run order. Fails only when no GPU can be opened, or the GPU fails mid-sweep.
pub fn run_all_gpu(
    runs: &[RunSpec],
    files: &MemorySource,
    progress: &dyn Fn(usize, &Row),
) -> Result<Vec<Row>, String> {
    let ctx = pollster::block_on(GpuContext::new())
        .map_err(|e| format!("--gpu: {e}. Run without --gpu to train on the CPU (all cores)"))?;
    let mut rows = Vec::with_capacity(runs.len());
    let mut group: Vec<(&RunSpec, Experiment)> = Vec::new();
    let mut emit = |row: Row, rows: &mut Vec<Row>| {
        rows.push(row);
        progress(rows.len(), rows.last().expect("just pushed"));
    };
    for spec in runs {
        if spec.config.task == imlab_engine::experiment::TaskKind::Multilabel {
            // No GPU kernels for sigmoid outputs: the run trains on the CPU, as an unsupported one.
            flush(&ctx, &mut group, &mut rows, &mut emit)?;
            emit(run_one(spec, files), &mut rows);
            continue;
        }
        let exp = match Experiment::new_with(spec.config.clone(), files) {
            Ok(exp) => exp,
            Err(e) => {
                flush(&ctx, &mut group, &mut rows, &mut emit)?;
                emit(outcome_of(spec, Err(e.to_string())).row, &mut rows);
                continue;
            }
        };
        if supported(&exp).is_err() {
            flush(&ctx, &mut group, &mut rows, &mut emit)?;
            emit(run_one(spec, files), &mut rows);
            continue;
        }
        let fits = group.len() < MAX_MEMBERS
            && group
                .first()
                .is_none_or(|(_, first)| compatible(first, &exp).is_none());
        if !fits {
            flush(&ctx, &mut group, &mut rows, &mut emit)?;
        }
        group.push((spec, exp));
    }
    flush(&ctx, &mut group, &mut rows, &mut emit)?;
    Ok(rows)
}

/// Trains the group to the end side by side and emits its rows in run order.
fn flush(
    ctx: &GpuContext,
    group: &mut Vec<(&RunSpec, Experiment)>,
    rows: &mut Vec<Row>,
    emit: &mut dyn FnMut(Row, &mut Vec<Row>),
) -> Result<(), String> {
    if group.is_empty() {
        return Ok(());
    }
    let (specs, exps): (Vec<&RunSpec>, Vec<Experiment>) = std::mem::take(group).into_iter().unzip();
    let mut sbs = SideBySide::new(ctx, exps).map_err(|e| format!("--gpu: {e}"))?;
    pollster::block_on(sbs.run_to_end(STEPS_PER_SUBMISSION))
        .map_err(|e| format!("--gpu: the GPU failed during the sweep ({e}); run without --gpu"))?;
    for (spec, trained) in specs.into_iter().zip(sbs.into_results()) {
        emit(
            outcome_of(spec, trained.as_ref().map_err(Clone::clone)).row,
            rows,
        );
    }
    Ok(())
}
