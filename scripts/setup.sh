#!/usr/bin/env bash
# Installs what scripts/test.sh needs on a Debian bookworm machine with rustup,
# Python 3 and Node.js 20 (docs/BUILDING.md says why each piece):
#   apt:   rustc-web cargo-web rust-web-src lld-22 (wasm32 std from source),
#          chromium (browser tests); rustup toolchain `web` -> /usr
#   cargo: wasm-bindgen-cli 0.2.130 (matches the crate's exact pin),
#          cargo-fuzz 0.13.2 (the fuzz smoke suite; needs the machine's nightly
#          toolchain), both `cargo install --locked` at exact versions
#   pip:   .venv with maturin, pytest, numpy, pillow, zxing-cpp, segno, qrcode
#          (benchmark peer), mypy (stubtest), dask[distributed] (scale-out test)
#   npm:   wasm/node_modules from wasm/package-lock.json (binaryen, playwright-core);
#          wasm/examples/node_modules from wasm/examples/package-lock.json (Vite,
#          webpack, esbuild, React: the bundler examples and their browser tests)
# Every step is skipped when its result is already there, and every network
# step has a timeout so that an offline machine fails instead of hanging.
# Nothing already installed is replaced: a wasm-bindgen or cargo-fuzz of another
# version stops the script with the command to run (or set
# CIVIQR_SETUP_REPLACE_TOOLS=1), and apt installs only new packages: it stops
# rather than upgrade an installed one (CIVIQR_SETUP_ALLOW_UPGRADES=1 allows it).
set -euo pipefail
cd "$(dirname "$0")/.."

WASM_BINDGEN_VERSION=0.2.130
CARGO_FUZZ_VERSION=0.13.2
APT_PACKAGES=(rustc-web cargo-web rust-web-src lld-22 chromium)
PY_MODULES=(maturin pytest numpy PIL zxingcpp segno qrcode mypy distributed)
PY_PACKAGES=("maturin>=1.9,<2" pytest numpy pillow zxing-cpp segno qrcode mypy "dask[distributed]")

export PATH="$HOME/.cargo/bin:$PATH"
export DEBIAN_FRONTEND=noninteractive

log() { printf '[setup] %s\n' "$*"; }
die() { printf '[setup] FAILED: %s\n' "$*" >&2; exit 1; }

# quietly CMD...: runs CMD with its output kept aside, shown only if it fails.
quietly() {
    local out status=0
    out="$(mktemp -t civiqr-setup.XXXXXX)"
    "$@" >"$out" 2>&1 </dev/null || status=$?
    if [ "$status" -ne 0 ]; then
        tail -n 40 "$out" >&2
        [ "$status" -eq 124 ] && printf '[setup] (timed out)\n' >&2
    fi
    rm -f "$out"
    return "$status"
}

SUDO=()
if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || die "not root and no sudo: cannot install apt packages"
    SUDO=(sudo -n)
fi

# --- wasm-bindgen-cli: the slowest step (a ~8 min compile), started first and
# run in the background while the downloads below proceed.
wasm_bindgen_pid=""
wasm_bindgen_log=""
have_wasm_bindgen() {
    [ "$(wasm-bindgen --version 2>/dev/null)" = "wasm-bindgen $WASM_BINDGEN_VERSION" ] &&
        [ "$(wasm-bindgen-test-runner --version 2>/dev/null)" = "wasm-bindgen-test-runner $WASM_BINDGEN_VERSION" ]
}
# cargo_install_args TOOL VERSION BINARY: `cargo install` arguments for an
# exact, locked version; --force only when another version of BINARY is there
# and CIVIQR_SETUP_REPLACE_TOOLS=1 says that it may be replaced.
cargo_install_args() {
    local crate=$1 version=$2 binary=$3
    local args=(install --quiet --locked "$crate" --version "$version")
    if command -v "$binary" >/dev/null; then
        [ "${CIVIQR_SETUP_REPLACE_TOOLS:-0}" = 1 ] ||
            die "$("$binary" --version 2>/dev/null | head -n 1) is installed at $(command -v "$binary");
civiqr needs $crate $version. Replace it with
    cargo install --locked --force $crate --version $version
or run this script with CIVIQR_SETUP_REPLACE_TOOLS=1."
        args+=(--force)
    fi
    printf '%s\n' "${args[@]}"
}
if have_wasm_bindgen; then
    log "wasm-bindgen-cli $WASM_BINDGEN_VERSION: present"
else
    mapfile -t wasm_bindgen_install < <(cargo_install_args wasm-bindgen-cli "$WASM_BINDGEN_VERSION" wasm-bindgen)
    [ ${#wasm_bindgen_install[@]} -gt 0 ] || exit 1
    wasm_bindgen_log="$(mktemp -t civiqr-wasm-bindgen-cli.XXXXXX)"
    log "wasm-bindgen-cli $WASM_BINDGEN_VERSION: cargo install in the background (log: $wasm_bindgen_log)"
    # The crate's published lock file can name a dependency version that the
    # registry no longer serves (seen: webpki-roots 1.0.11 for 0.2.130); then
    # the same exact wasm-bindgen version is built from a fresh resolution.
    wasm_bindgen_unlocked=()
    for arg in "${wasm_bindgen_install[@]}"; do
        [ "$arg" = --locked ] || wasm_bindgen_unlocked+=("$arg")
    done
    (
        export CARGO_HTTP_TIMEOUT=60 CARGO_NET_RETRY=2
        timeout 3000 cargo "${wasm_bindgen_install[@]}" || {
            echo "[setup] locked install failed; retrying without --locked"
            timeout 3000 cargo "${wasm_bindgen_unlocked[@]}"
        }
    ) >"$wasm_bindgen_log" 2>&1 </dev/null &
    wasm_bindgen_pid=$!
    # Do not leave the compile running if a later step fails.
    trap '[ -n "$wasm_bindgen_pid" ] && kill "$wasm_bindgen_pid" 2>/dev/null; rm -f "$wasm_bindgen_log"' EXIT
fi

# --- apt packages
missing=()
for pkg in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q '^install ok installed$' || missing+=("$pkg")
done
if [ ${#missing[@]} -eq 0 ]; then
    log "apt: ${APT_PACKAGES[*]}: present"
else
    apt_opts=(-o Acquire::http::Timeout=30 -o Acquire::Retries=2 -o Dpkg::Use-Pty=0)
    # Update the lists only when they cannot supply the packages: a fresh
    # machine has none, and an old list may lack lld-22 or rustc-web 1.96.
    need_update=0
    for pkg in "${missing[@]}"; do
        candidate="$(apt-cache policy "$pkg" 2>/dev/null | awk '/Candidate:/ {print $2}')"
        if [ -z "$candidate" ] || [ "$candidate" = "(none)" ]; then need_update=1; fi
    done
    if [ "$need_update" = 0 ] && [[ " ${missing[*]} " == *" rustc-web "* ]]; then
        candidate="$(apt-cache policy rustc-web | awk '/Candidate:/ {print $2}')"
        dpkg --compare-versions "$candidate" ge 1.96 || need_update=1
    fi
    if [ "$need_update" = 1 ]; then
        log "apt-get update"
        quietly timeout 600 "${SUDO[@]}" apt-get "${apt_opts[@]}" update || die "apt-get update"
    fi
    # Only what is missing, without recommended extras, and never an upgrade of
    # an installed package: a dry run first lists what apt would upgrade.
    install_opts=(install -y --no-install-recommends --no-upgrade)
    upgrades="$(apt-get "${apt_opts[@]}" -s "${install_opts[@]}" "${missing[@]}" 2>/dev/null |
        awk '/^Inst [^ ]+ \[/ {print $2}' | tr '\n' ' ')"
    if [ -n "$upgrades" ] && [ "${CIVIQR_SETUP_ALLOW_UPGRADES:-0}" != 1 ]; then
        die "apt-get install ${missing[*]} would upgrade installed packages: $upgrades
Install them yourself, or run this script with CIVIQR_SETUP_ALLOW_UPGRADES=1."
    fi
    log "apt-get install --no-install-recommends --no-upgrade ${missing[*]}"
    quietly timeout 1800 "${SUDO[@]}" apt-get "${apt_opts[@]}" "${install_opts[@]}" "${missing[@]}" ||
        die "apt-get install ${missing[*]}"
fi
if ! rustup toolchain list 2>/dev/null | grep -q '^web\b'; then
    log "rustup toolchain link web /usr"
    rustup toolchain link web /usr || die "rustup toolchain link web /usr"
fi
cargo +web --version >/dev/null 2>&1 || die "cargo +web does not run"

# --- Python virtual environment
if [ ! -x .venv/bin/python ]; then
    log "python venv: creating .venv"
    quietly python3 -m venv .venv || die "python3 -m venv .venv"
fi
if .venv/bin/python - "${PY_MODULES[@]}" <<'EOF' 2>/dev/null
import importlib.util, sys
sys.exit(any(importlib.util.find_spec(m) is None for m in sys.argv[1:]))
EOF
then
    log "python packages: present"
else
    log "pip install ${PY_PACKAGES[*]}"
    quietly timeout 900 .venv/bin/python -m pip install --disable-pip-version-check \
        --timeout 30 --retries 2 "${PY_PACKAGES[@]}" || die "pip install"
fi

# --- npm packages for the wasm and browser tests, and the bundler examples
# `npm ls` fails (offline) when anything package.json asks for is missing.
# npm_ci DIR MARKER: `npm ci` in DIR (exact versions from its lock file)
# unless MARKER and everything package.json asks for are installed.
npm_ci() {
    local dir=$1 marker=$2
    if [ -e "$dir/node_modules/$marker" ] && (cd "$dir" && npm ls --all >/dev/null 2>&1); then
        log "npm packages ($dir/): present"
    else
        log "npm ci ($dir/)"
        quietly timeout 900 npm ci --prefix "$dir" --no-audit --no-fund --fetch-timeout=30000 \
            --fetch-retries=2 || die "npm ci in $dir/"
    fi
}
npm_ci wasm .bin/wasm-opt
npm_ci wasm/examples .bin/vite

# --- wait for the background wasm-bindgen-cli build
if [ -n "$wasm_bindgen_pid" ]; then
    log "waiting for cargo install wasm-bindgen-cli"
    if ! wait "$wasm_bindgen_pid" || ! have_wasm_bindgen; then
        tail -n 30 "$wasm_bindgen_log" >&2
        die "cargo install wasm-bindgen-cli --version $WASM_BINDGEN_VERSION"
    fi
    wasm_bindgen_pid=""
    log "wasm-bindgen-cli $WASM_BINDGEN_VERSION: installed"
fi

# --- cargo-fuzz (fuzz/; runs on the nightly toolchain, which rustup has here)
if [ "$(cargo-fuzz --version 2>/dev/null)" = "cargo-fuzz $CARGO_FUZZ_VERSION" ]; then
    log "cargo-fuzz $CARGO_FUZZ_VERSION: present"
else
    mapfile -t fuzz_install < <(cargo_install_args cargo-fuzz "$CARGO_FUZZ_VERSION" cargo-fuzz)
    [ ${#fuzz_install[@]} -gt 0 ] || exit 1
    log "cargo install --locked cargo-fuzz --version $CARGO_FUZZ_VERSION"
    CARGO_HTTP_TIMEOUT=60 CARGO_NET_RETRY=2 quietly timeout 1800 cargo "${fuzz_install[@]}" ||
        die "cargo install cargo-fuzz --version $CARGO_FUZZ_VERSION"
fi
log "done"
