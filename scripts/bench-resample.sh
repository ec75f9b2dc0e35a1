#!/usr/bin/env bash
# Benchmarks our samplers against imbalanced-learn's on the same generated data and prints one
# table (method, rows, features, classes, ours, imblearn, ratio, check).
#
#   scripts/bench-resample.sh [--quick] [any other `imlab bench-resample` flag]
#
# --quick: 10k rows only (a minute or two); the full run adds 100k rows and takes several minutes
# (imbalanced-learn's cleaners at 100k × 20 are slow; each of its cases is capped at 120 s).
# The pinned reference (scikit-learn 1.9.1, imbalanced-learn 0.14.2) is installed from PyPI into
# .tools/bench-venv the first time; IMLAB_BENCH_VENV=/path/to/venv uses an existing one instead.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

SKLEARN_VERSION="1.9.1"
IMBLEARN_VERSION="0.14.2"
VENV="${IMLAB_BENCH_VENV:-$TOOLS/bench-venv}"

have_reference() {
  "$VENV/bin/python" - <<PY >/dev/null 2>&1
import imblearn, sklearn
assert imblearn.__version__ == "$IMBLEARN_VERSION" and sklearn.__version__ == "$SKLEARN_VERSION"
PY
}

if ! have_reference; then
  log "creating $VENV with scikit-learn $SKLEARN_VERSION and imbalanced-learn $IMBLEARN_VERSION (once)"
  python3 -m venv "$VENV" || { apt_install python3-venv && python3 -m venv "$VENV"; }
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check \
    "scikit-learn==$SKLEARN_VERSION" "imbalanced-learn==$IMBLEARN_VERSION"
  have_reference || { log "the reference did not install into $VENV"; exit 1; }
fi

log "cargo build --release -p imlab-cli"
cargo build --release --quiet -p imlab-cli

log "machine: $(nproc) core(s), load average $(cut -d' ' -f1-3 /proc/loadavg)"
DATA_DIR="$(mktemp -d)"
trap 'rm -rf "$DATA_DIR"' EXIT
"$ROOT/target/release/imlab" bench-resample \
  --python "$VENV/bin/python" --script "$ROOT/tools/bench/imblearn_resample.py" \
  --dir "$DATA_DIR" "$@"
log "load average after the run: $(cut -d' ' -f1-3 /proc/loadavg)"
