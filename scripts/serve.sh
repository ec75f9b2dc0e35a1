#!/usr/bin/env bash
# Installs whatever is missing for building, builds the release app and serves it at
# http://127.0.0.1:8080. Idempotent; quick when everything is already there.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ensure_build_tools
cd "$ROOT"
trunk build --release --offline
log "serving http://127.0.0.1:8080 (Ctrl-C to stop)"
exec node "$ROOT/tests/e2e/serve.mjs" "$ROOT/dist" 8080
