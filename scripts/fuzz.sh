#!/usr/bin/env bash
# Fuzzes the link parser, the CSV importer (and its preview reader), the multi-label CSV importer
# and config validation with
# cargo-fuzz (libFuzzer), each for the given number of seconds (default 600). Fails on the first
# crash, leaving the input under fuzz/artifacts/. cargo-fuzz needs nightly-only compiler flags; the
# stable toolchain accepts them with RUSTC_BOOTSTRAP=1.
#
# New corpus entries land in fuzz/corpus/<target>/ (commit them after `cargo fuzz cmin`), unless
# FUZZ_SCRATCH=1 (what scripts/test.sh sets): then they go to a temporary folder and the committed
# corpus is only read.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
SECONDS_EACH="${1:-600}"
if ! cargo fuzz --version >/dev/null 2>&1; then
  log "cargo install cargo-fuzz (once)"
  cargo install cargo-fuzz --locked
fi
cd "$ROOT/fuzz"
export RUSTC_BOOTSTRAP=1
for target in link csv multilabel_csv config; do
  dirs=("corpus/$target")
  if [ "${FUZZ_SCRATCH:-0}" = 1 ]; then
    scratch="$(mktemp -d)"
    dirs=("$scratch" "corpus/$target")
  fi
  log "fuzz $target for ${SECONDS_EACH}s"
  cargo fuzz run "$target" "${dirs[@]}" -- -max_total_time="$SECONDS_EACH" -max_len=4096 -timeout=10 -print_final_stats=1 2>&1 | tail -n 12
  if [ "${FUZZ_SCRATCH:-0}" = 1 ]; then rm -rf "$scratch"; fi
done
