//! Prints the GPU-against-CPU benchmark table (`imlab_gpu::bench`). Run optimized, e.g.
//! `cargo run -p imlab-gpu --example bench --config 'profile.dev.package.imlab-engine.opt-level=3' --config 'profile.dev.package.imlab-gpu.opt-level=3'`
//! or with `--release`.

fn main() {
    match imlab_gpu::bench::run(&imlab_gpu::bench::BenchOptions::default()) {
        Ok(table) => println!("{table}"),
        Err(e) => {
            eprintln!("benchmark failed: {e}");
            std::process::exit(1);
        }
    }
}
