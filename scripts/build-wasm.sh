#!/usr/bin/env bash
# Builds the WebAssembly package wasm/pkg/ (ES module for browsers and Node,
# wasm-bindgen --target web), size-optimised with binaryen's wasm-opt -Oz.
#
# Compiler: a rustup toolchain with the wasm32-unknown-unknown target when one
# is installed (a developer's machine), else Debian's rustc-web building std
# from source (this machine kind: see shared/TOOLCHAIN.md and scripts/setup.sh).
# wasm-opt: the npm package in wasm/node_modules (Debian's binaryen 108 writes
# broken modules from wasm-bindgen 0.2.130 output).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

TARGET=wasm32-unknown-unknown
OUT=wasm/pkg
WASM_OPT=wasm/node_modules/.bin/wasm-opt

log() { printf '[build-wasm] %s\n' "$*"; }
die() { printf '[build-wasm] FAILED: %s\n' "$*" >&2; exit 1; }

command -v wasm-bindgen >/dev/null || die "wasm-bindgen not found: run scripts/setup.sh"
[ -x "$WASM_OPT" ] || die "$WASM_OPT not found: run scripts/setup.sh"

# Only lists what is installed: never triggers a download.
if timeout 30 rustup target list --installed 2>/dev/null | grep -qx "$TARGET"; then
    log "cargo build --release --target $TARGET (rustup target)"
    cargo build --release --target "$TARGET" -p civiqr-wasm
else
    log "cargo +web build --release --target $TARGET -Zbuild-std (Debian rustc-web)"
    RUSTC_BOOTSTRAP=1 \
    CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER=/usr/lib/llvm-22/bin/wasm-ld \
        cargo +web build --release --target "$TARGET" -Zbuild-std=std,panic_abort -p civiqr-wasm
fi

log "wasm-bindgen --target web --out-dir $OUT"
rm -rf "$OUT"
wasm-bindgen --target web --out-dir "$OUT" "target/$TARGET/release/civiqr_wasm.wasm"

module="$OUT/civiqr_wasm_bg.wasm"
before=$(stat -c %s "$module")
"$WASM_OPT" -Oz "$module" -o "$module.opt"
mv "$module.opt" "$module"
log "wasm-opt -Oz: $before -> $(stat -c %s "$module") bytes"
log "done: $OUT/"
