//! Runs a sweep's runs on several threads. Each run is independent and fully determined by its
//! config (every random draw comes from the config's seed), so the rows do not depend on the number
//! of threads or on which runs share a process; they are returned in run order.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use imlab_engine::dataset::MemorySource;
use imlab_engine::sweep::{run_one, Row, RunSpec};

/// Runs `runs` on `threads` threads (at least one), calling `progress(done, row)` as each finishes.
/// `files` holds the bundled datasets a config may name.
pub fn run_all(
    runs: &[RunSpec],
    files: &MemorySource,
    threads: usize,
    progress: &(dyn Fn(usize, &Row) + Sync),
) -> Vec<Row> {
    let next = AtomicUsize::new(0);
    let done = AtomicUsize::new(0);
    let rows: Mutex<Vec<Row>> = Mutex::new(Vec::with_capacity(runs.len()));
    std::thread::scope(|scope| {
        for _ in 0..threads.clamp(1, runs.len().max(1)) {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(spec) = runs.get(i) else { break };
                let row = run_one(spec, files);
                progress(done.fetch_add(1, Ordering::Relaxed) + 1, &row);
                // A poisoned lock only means another worker panicked; its rows are still valid.
                rows.lock().unwrap_or_else(|p| p.into_inner()).push(row);
            });
        }
    });
    let mut rows = rows.into_inner().unwrap_or_else(|p| p.into_inner());
    rows.sort_by_key(|r| r.run);
    rows
}
