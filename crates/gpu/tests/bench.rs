//! The benchmark's table (`imlab_gpu::bench`) at tiny sizes: every row is a finite, positive
//! figure, and the side-by-side rows and notes are there for each member count asked for (the
//! bench itself refuses a side-by-side figure unless every member took every step).
#![cfg(not(target_arch = "wasm32"))]

mod common;

use imlab_gpu::bench::{run_on, BenchOptions};

use common::context;

/// The number at the start of a table cell ("123 samples/s", "4.56 ms").
fn figure(cell: &str) -> f64 {
    let number = cell.split_whitespace().next().unwrap_or_default();
    number
        .parse()
        .unwrap_or_else(|_| panic!("cell `{cell}` does not start with a number"))
}

#[test]
fn tiny_benchmark_rows_are_finite_and_positive() {
    let Some(ctx) = context() else { return };
    let o = BenchOptions {
        train_rows: 512,
        batch: 32,
        cpu_steps: 4,
        gpu_steps: 4,
        side_by_side_members: vec![1, 3],
        side_by_side_steps: 6,
        grid_points: 256,
        knn_rows: 64,
        knn_k: 3,
    };
    let table = run_on(&ctx, &o).expect("benchmark");
    eprintln!("{table}");
    let rows: Vec<Vec<&str>> = table
        .lines()
        .filter(|l| l.starts_with("| ") && !l.starts_with("| task"))
        .map(|l| l.split('|').map(str::trim).collect())
        .collect();
    // 2 training rows, 2 side-by-side rows, the grid, 2 k-NN rows.
    assert_eq!(rows.len(), 7, "{table}");
    for cells in &rows {
        for cell in &cells[2..=4] {
            let v = figure(cell.trim_end_matches('x'));
            assert!(v.is_finite() && v > 0.0, "{}: `{cell}`", cells[1]);
        }
    }
    for m in [1, 3] {
        let name = format!("{m} side by side (CPU: {m} in turn, 1 thread)");
        assert!(
            rows.iter().any(|c| c[1].ends_with(&name)),
            "no row for {m}: {table}"
        );
    }
    assert!(table.contains("line through M = 1 and M = 3"), "{table}");
}
