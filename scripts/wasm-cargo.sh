#!/usr/bin/env bash
# Runs `cargo SUBCOMMAND --target wasm32-unknown-unknown ARGS...` with the
# compiler at hand, e.g. `scripts/wasm-cargo.sh test -p civiqr-wasm --lib --tests`:
#   - a rustup toolchain with the wasm32-unknown-unknown target, when one is
#     installed (a developer's machine);
#   - else Debian's rustc-web (`cargo +web`, see scripts/setup.sh), building
#     std from source with -Zbuild-std (docs/BUILDING.md).
# Tests run under Node.js through wasm-bindgen-test-runner either way.
#
# WASM_CARGO_SMALL=1 (set by scripts/build-wasm.sh) additionally builds std
# for size and makes panics abort at once without formatting a message
# (-Cpanic=immediate-abort): in the browser a panic is a trap either way, and
# this saves about 17 KB gzipped. It applies to the std-from-source build only.
# WASM_CARGO_RUSTFLAGS adds flags for the wasm32 target in both cases (e.g.
# -Ctarget-feature=+simd128, scripts/build-wasm-simd.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
[ $# -ge 1 ] || { echo "usage: $0 SUBCOMMAND [CARGO ARGS...]" >&2; exit 2; }

TARGET=wasm32-unknown-unknown
subcommand=$1
shift
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner

# `rustup target list --installed` only lists: it never triggers a download.
extra=${WASM_CARGO_RUSTFLAGS:-}
if timeout 30 rustup target list --installed 2>/dev/null | grep -qx "$TARGET"; then
    [ -z "$extra" ] || export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="$extra"
    exec cargo "$subcommand" --target "$TARGET" "$@"
else
    small=()
    if [ "${WASM_CARGO_SMALL:-0}" = 1 ]; then
        small=(-Zbuild-std-features=optimize_for_size)
        export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="-Zunstable-options -Cpanic=immediate-abort"
    fi
    if [ -n "$extra" ]; then
        export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="${CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS:-} $extra"
    fi
    # RUSTC_BOOTSTRAP only here: -Zbuild-std is a nightly flag.
    RUSTC_BOOTSTRAP=1 \
    CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER=/usr/lib/llvm-22/bin/wasm-ld \
        exec cargo +web "$subcommand" --target "$TARGET" -Zbuild-std=std,panic_abort "${small[@]}" "$@"
fi
