#!/usr/bin/env bash
# Fuzzes the link parser, the CSV importer and config validation with cargo-fuzz (libFuzzer), each
# for the given number of seconds (default 600). cargo-fuzz needs nightly-only compiler flags; the
# stable toolchain accepts them with RUSTC_BOOTSTRAP=1. New corpus entries land in fuzz/corpus/.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
SECONDS_EACH="${1:-600}"
if ! cargo fuzz --version >/dev/null 2>&1; then
  log "cargo install cargo-fuzz (once)"
  cargo install cargo-fuzz --locked
fi
cd "$ROOT/fuzz"
export RUSTC_BOOTSTRAP=1
for target in link csv config; do
  log "fuzz $target for ${SECONDS_EACH}s"
  cargo fuzz run "$target" "corpus/$target" -- -max_total_time="$SECONDS_EACH" -max_len=4096 -timeout=10 -print_final_stats=1 2>&1 | tail -n 12
done
