//! Prints the GPU-against-CPU benchmark table (`imlab_gpu::bench`). Timings need an optimized
//! build: `cargo run --release -p imlab-gpu --example bench`, or (what produced the committed
//! numbers, reusing the dev dependency cache layout) `cargo run -p imlab-gpu --example bench
//! --config 'profile.dev.package.imlab-engine.opt-level=3'
//! --config 'profile.dev.package.imlab-gpu.opt-level=3' --config 'profile.dev.debug-assertions=false'`.
//! The table says "debug build" whenever debug assertions are on.
//!
//! `-- --full` uses the sizes issue 5 names for a real GPU: k-NN over 100,000 rows (minutes on a
//! software adapter, so not the default).

fn main() {
    let mut opts = imlab_gpu::bench::BenchOptions::default();
    for arg in std::env::args().skip(1) {
        match arg.as_str() {
            "--full" => opts.knn_rows = 100_000,
            other => {
                eprintln!("unknown argument `{other}`; the only option is --full");
                std::process::exit(2);
            }
        }
    }
    match imlab_gpu::bench::run(&opts) {
        Ok(table) => println!("{table}"),
        Err(e) => {
            eprintln!("benchmark failed: {e}");
            std::process::exit(1);
        }
    }
}
