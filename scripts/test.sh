#!/usr/bin/env bash
# Installs whatever the tests need (build tools, Chromium + chromedriver, Mesa's Vulkan driver for
# wgpu, node packages) and runs every test: formatting, clippy, native unit/integration tests
# (engine, GPU parity on lavapipe, CLI), the engine on wasm32, and the end-to-end browser tests.
# Fails on the first failing step. Idempotent; quick when everything is already there.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ensure_build_tools
ensure_test_tools
cd "$ROOT"
export XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-$(mktemp -d)}"
# A one-off build gains nothing from incremental caches, which are a third of target/'s size.
export CARGO_INCREMENTAL="${CARGO_INCREMENTAL:-0}"

# A cold run of everything below leaves about 3 GB (target/ 2.5 GB, fuzz/target 0.4 GB; docs/ci.md).
# Say so at once rather than fail twenty minutes in with "No space left on device".
free_kb="$(df -Pk "$ROOT" | awk 'NR == 2 { print $4 }')"
if [ "${free_kb:-0}" -lt $((5 * 1024 * 1024)) ]; then
  log "warning: only $((free_kb / 1024)) MB free on the disk holding $ROOT; a cold run needs about 3 GB"
fi

step() { log "== $*"; }

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy (native, all targets)"
cargo clippy --workspace --all-targets -- -D warnings

step "cargo clippy (app and the GPU browser test on wasm32)"
cargo clippy -p imbalance-lab --target wasm32-unknown-unknown -- -D warnings
cargo clippy -p imlab-gpu --target wasm32-unknown-unknown --tests -- -D warnings

step "cargo test (native: engine, GPU parity on lavapipe, CLI)"
cargo test --workspace

step "engine determinism on wasm32 (Node.js): same fingerprint as native"
cargo test -p imlab-engine --target wasm32-unknown-unknown --test determinism

step "GPU kernels in headless Chromium (WebGPU on SwiftShader) against the CPU path"
# wasm-bindgen's runner gives the whole browser run 20 s by default; SwiftShader runs the kernels
# on the CPU, and on a loaded 2-core machine the side-by-side test alone can take longer. A slow
# run is not a failure; a wrong number still is.
CHROMEDRIVER="${CHROMEDRIVER:-$(command -v chromedriver)}" WASM_BINDGEN_TEST_TIMEOUT="${WASM_BINDGEN_TEST_TIMEOUT:-300}" \
  cargo test -p imlab-gpu --target wasm32-unknown-unknown --test browser -- --nocapture

step "fuzz the link, CSV and config parsers (20 s each; fails on a crash)"
FUZZ_SCRATCH=1 ./scripts/fuzz.sh 20

step "trunk build --release"
trunk build --release --offline

step "end-to-end tests in headless Chromium"
(cd tests/e2e && node --test --test-concurrency=1 ./*.test.mjs)
