#!/usr/bin/env bash
# Builds the npm package (scripts/build-wasm.sh -> wasm/pkg/) and the demo
# site wasm/dist/: the page, its script and style from wasm/demo/, and the
# package under wasm/dist/pkg/. Serve it with
#   node wasm/tools/serve.mjs wasm/dist        (http://127.0.0.1:8080/)
# or any static server that sends .wasm as application/wasm. The camera needs
# a secure context: https://, or http://localhost / 127.0.0.1.
#
# --no-wasm: reuse the existing wasm/pkg/ (only reassemble the site).
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '[build-web] %s\n' "$*"; }

if [ "${1:-}" != "--no-wasm" ]; then
    scripts/build-wasm.sh
fi
[ -f wasm/pkg/civiqr.js ] || { echo "[build-web] FAILED: wasm/pkg is missing: run scripts/build-wasm.sh" >&2; exit 1; }

rm -rf wasm/dist
mkdir -p wasm/dist
cp wasm/demo/index.html wasm/demo/demo.js wasm/demo/demo.css wasm/dist/
cp -r wasm/pkg wasm/dist/pkg
log "demo site: wasm/dist/ (serve: node wasm/tools/serve.mjs wasm/dist)"
