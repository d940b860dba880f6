#!/usr/bin/env bash
# Builds a simd128 variant of the npm package for measurement, not shipping
# (docs/WEB.md, SIMD): the same crate and profile as scripts/build-wasm.sh
# with -Ctarget-feature=+simd128, in its own cargo target directory
# (target/wasm-simd, so the normal build's cache stays valid), written to
# target/wasm-simd/pkg with wasm/pkg's JavaScript. Compare the two with
#   CIVIQR_ALT_PKG=target/wasm-simd/pkg node wasm/tools/bench-browser.mjs 200 [NOISE]
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

TARGET=wasm32-unknown-unknown
DIR=target/wasm-simd
OUT=$DIR/pkg
WASM_OPT=wasm/node_modules/.bin/wasm-opt

die() { printf '[build-wasm-simd] FAILED: %s\n' "$*" >&2; exit 1; }
[ -f wasm/pkg/civiqr.js ] || die "wasm/pkg is missing: run scripts/build-wasm.sh first"

CARGO_TARGET_DIR=$DIR WASM_CARGO_SMALL=1 WASM_CARGO_RUSTFLAGS="-Ctarget-feature=+simd128" \
    scripts/wasm-cargo.sh build --profile wasm-release -p civiqr-wasm
rm -rf "$OUT"
wasm-bindgen --target web --experimental-reset-state-function --no-typescript --out-dir "$OUT" \
    "$DIR/$TARGET/wasm-release/civiqr_wasm.wasm"
# Same glue as wasm/pkg, minified as there (checked): only the module differs.
node wasm/tools/minify.mjs "$OUT/civiqr_wasm.js"
cmp -s "$OUT/civiqr_wasm.js" wasm/pkg/civiqr_wasm.js || die "wasm-bindgen glue differs from wasm/pkg's"
find wasm/pkg -maxdepth 1 -type f ! -name 'civiqr_wasm_bg.wasm' -exec cp {} "$OUT/" \;
module="$OUT/civiqr_wasm_bg.wasm"
# The same passes as scripts/build-wasm.sh, SIMD allowed.
"$WASM_OPT" -Oz -Oz --enable-simd --strip-producers --strip-target-features "$module" -o "$module.opt"
mv "$module.opt" "$module"
printf '[build-wasm-simd] %s: %s bytes (%s gzipped); wasm/pkg: %s bytes (%s gzipped)\n' "$module" \
    "$(stat -c %s "$module")" "$(gzip -9 -c "$module" | wc -c)" \
    "$(stat -c %s wasm/pkg/civiqr_wasm_bg.wasm)" "$(gzip -9 -c wasm/pkg/civiqr_wasm_bg.wasm | wc -c)"
