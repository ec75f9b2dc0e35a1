//! Prints the GPU-against-CPU benchmark table (`imlab_gpu::bench`). Timings need an optimized
//! build: `cargo run --release -p imlab-gpu --example bench`, or (what produced the committed
//! numbers, reusing the dev dependency cache layout) `cargo run -p imlab-gpu --example bench
//! --config 'profile.dev.package.imlab-engine.opt-level=3'
//! --config 'profile.dev.package.imlab-gpu.opt-level=3' --config 'profile.dev.debug-assertions=false'`.
//! The table says "debug build" whenever debug assertions are on.

fn main() {
    match imlab_gpu::bench::run(&imlab_gpu::bench::BenchOptions::default()) {
        Ok(table) => println!("{table}"),
        Err(e) => {
            eprintln!("benchmark failed: {e}");
            std::process::exit(1);
        }
    }
}
