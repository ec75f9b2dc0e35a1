#!/usr/bin/env bash
# Benchmarks the engine's CPU training path against scikit-learn's MLPClassifier in one run, on the
# same rows: moons 1:10, MLP 2-32-32-2 ReLU, Adam, batch 256, E epochs. Prints a table (best and
# median of R repetitions, samples·epochs per second, ratio to scikit-learn).
#
#   ROWS=100000 EPOCHS=5 BATCH=256 REPEAT=3 ./scripts/bench-train.sh
#
# PYTHON picks the interpreter with scikit-learn (default: /work/venv-oracle/bin/python, else python3).
# Some machines here force OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE (older OpenBLAS builds need them);
# they slow a current numpy, so scikit-learn is timed both as the environment sets them and with both
# unset for that one command. The ratio is to the second (fastest honest) row.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
ROWS="${ROWS:-100000}"
EPOCHS="${EPOCHS:-5}"
BATCH="${BATCH:-256}"
REPEAT="${REPEAT:-3}"
PYTHON="${PYTHON:-/work/venv-oracle/bin/python}"
[ -x "$PYTHON" ] || PYTHON=python3

cargo build --release -q -p imlab-cli
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2
target/release/imlab bench train --rows "$ROWS" --epochs "$EPOCHS" --batch "$BATCH" \
  --repeat "$REPEAT" --data-out "$tmp/rows.csv" >"$tmp/native.json"

common=(tools/bench/sklearn_mlp.py --data "$tmp/rows.csv" --native "$tmp/native.json"
  --epochs "$EPOCHS" --batch "$BATCH" --repeat "$REPEAT")
others=()
if [ -n "${OPENBLAS_CORETYPE:-}${OPENBLAS_L2_SIZE:-}" ]; then
  "$PYTHON" "${common[@]}" --sklearn-json "$tmp/sk_env.json" \
    --label "scikit-learn (OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-unset} as set here)" >/dev/null
  others=(--other "$tmp/sk_env.json")
fi
env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE "$PYTHON" "${common[@]}" "${others[@]}" \
  --label "scikit-learn MLPClassifier (OPENBLAS_CORETYPE unset)"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2

# The multi-label row: the same network with one sigmoid per label (5 labels, BCE) beside
# MLPClassifier fitting the same rows' indicator matrix.
echo >&2
echo "multi-label (5 labels, BCE / indicator targets):" >&2
target/release/imlab bench train --multilabel --rows "$ROWS" --epochs "$EPOCHS" --batch "$BATCH" \
  --repeat "$REPEAT" --data-out "$tmp/ml_rows.csv" >"$tmp/ml_native.json"
env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE "$PYTHON" tools/bench/sklearn_mlp.py \
  --data "$tmp/ml_rows.csv" --native "$tmp/ml_native.json" --epochs "$EPOCHS" --batch "$BATCH" \
  --repeat "$REPEAT" --label "scikit-learn MLPClassifier, indicator targets (OPENBLAS unset)"

# The same experiment in the release wasm build, in headless Chromium (if dist/ is built).
if [ -f "$ROOT/dist/index.html" ] && [ -d "$ROOT/tests/e2e/node_modules/playwright-core" ]; then
  echo "wasm32 in headless Chromium (same experiment, main thread):" >&2
  (cd "$ROOT/tests/e2e" && node bench-wasm.mjs "$ROWS" "$EPOCHS" "$REPEAT")
  echo "wasm32 in headless Chromium, multi-label (same experiment as the multi-label row):" >&2
  (cd "$ROOT/tests/e2e" && node bench-wasm.mjs "$ROWS" "$EPOCHS" "$REPEAT" multilabel)
else
  echo "(skipping the wasm run: build dist/ with trunk and install tests/e2e first)" >&2
fi
