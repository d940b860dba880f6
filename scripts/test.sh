#!/usr/bin/env bash
# The project's test command: installs the toolchain (scripts/setup.sh), then
# runs every suite, continues past failures, and ends with a summary whose last
# line is `suites: N passed, M failed`. Exits non-zero when any suite failed.
#
# Suites:
#   rust          cargo test --workspace (core, cli, benches crate, host builds
#                 of the wasm and python crates)
#   benches       the criterion benches, each run once in test mode
#   examples      every usage example in core/examples, run with its features
#                 (each exits non-zero when what it shows does not hold)
#   wasm          wasm-bindgen-test under Node.js (scripts/wasm-cargo.sh)
#   wasm-pkg      scripts/build-wasm.sh, then Node's test runner on the
#                 optimised wasm/pkg, and tsc on a usage file of its .d.ts
#   web-e2e       scripts/build-web.sh --no-wasm (demo site in wasm/dist), then
#                 the demo in Chromium (playwright-core) with fake cameras:
#                 scanning with and without the worker, corners, an inverted
#                 code, a small code in 1080p video, the generator, a signed
#                 code then a forged one (docs/SIGNING.md), decoded HTML and a
#                 bidi override shown as text; and the example apps of
#                 wasm/examples built with Vite (build and dev server),
#                 webpack 5, esbuild and React StrictMode, each scanning the
#                 fake camera under the strict CSP (docs/WEB.md, Bundlers)
#   audit-report  cli/tests/audit.rs writes a field-audit report of photos with
#                 known states, then wasm/e2e/audit-report.mjs opens it in
#                 Chromium: no console error or CSP violation, no external
#                 request, the summary counts as known (docs/AUDIT.md)
#   packaging     scripts/packaging.sh: the rust-version check against Cargo.lock,
#                 and what crates.io, PyPI and npm would receive (cargo publish
#                 --dry-run, maturin sdist, npm pack --dry-run on wasm/pkg)
#   python        maturin wheel, pip install into .venv, pytest python/tests
#   fuzz-smoke    every cargo-fuzz target for 10 s from its seeds (nightly;
#                 scripts/fuzz.sh, which also runs the long campaigns)
set -uo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

# A one-shot run gains nothing from incremental caches, and line tables keep
# file:line in backtraces: together they take a clean run's target/ from about
# 8.6 GB to 3.5 GB (docs/BUILDING.md).
export CARGO_INCREMENTAL=0 CARGO_PROFILE_DEV_DEBUG=line-tables-only

# The suites fail midway, in whatever compiles when the disk fills: say so first.
NEED_MB=6000
mkdir -p target
free_mb=$(df -Pm target | awk 'NR == 2 { print $4 }')
if [ -n "$free_mb" ] && [ "$free_mb" -lt "$NEED_MB" ]; then
    echo "[test] warning: ${free_mb} MB free on the disk of $PWD/target; a clean run needs about ${NEED_MB} MB"
fi

started=$SECONDS
if ! scripts/setup.sh; then
    echo "[test] setup failed: no suite was run"
    echo "suites: 0 passed, 1 failed"
    exit 1
fi
echo "[test] setup took $((SECONDS - started)) s"

results=()

# run_suite NAME COMMAND...: runs the command, records PASS/FAIL and the time.
run_suite() {
    local name=$1
    shift
    local t0=$SECONDS
    echo
    echo "=== [test] $name: $*"
    if "$@"; then
        results+=("PASS  $name ($((SECONDS - t0)) s)")
    else
        results+=("FAIL  $name ($((SECONDS - t0)) s, exit $?)")
    fi
}

examples_test() {
    local failed=0
    cargo run -q -p civiqr --example encode_svg || failed=1
    cargo run -q -p civiqr --features image --example decode_file || failed=1
    cargo run -q -p civiqr --features batch --example batch_rows || failed=1
    cargo run -q -p civiqr --features sign --example verify_signed || failed=1
    return $failed
}

wasm_test() {
    # --lib --tests: doc-tests report "ok" under this runner even when they fail.
    scripts/wasm-cargo.sh test -p civiqr-wasm --lib --tests
}

wasm_pkg_test() {
    scripts/build-wasm.sh --grade && scripts/build-wasm.sh && node --test wasm/tests/ && wasm/node_modules/.bin/tsc -p wasm/tests/types
}

web_e2e_test() {
    scripts/build-web.sh --no-wasm && node --test wasm/e2e/
}

audit_report_test() {
    local out=$PWD/target/audit-report
    rm -rf "$out"
    CIVIQR_AUDIT_REPORT_DIR=$out cargo test -q -p civiqr-cli --test audit &&
        CIVIQR_AUDIT_REPORT_DIR=$out node --test wasm/e2e/audit-report.mjs
}

python_test() {
    local wheels=target/wheels
    rm -f "$wheels"/civiqr-*.whl
    .venv/bin/maturin build --release --quiet -m python/Cargo.toml -i .venv/bin/python \
        --out "$wheels" || return 1
    local wheel
    wheel=$(ls "$wheels"/civiqr-*.whl) || return 1
    .venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps \
        --force-reinstall "$wheel" || return 1
    # The CLI built by the rust suite, for the key-file interop test.
    local cli="$PWD/target/debug/civiqr"
    [ -x "$cli" ] || cli=
    # Exit code 5 (no test collected) is left as it is: a failure.
    # -rs: every skipped test is listed with its reason.
    (cd python && CIVIQR_CLI=$cli ../.venv/bin/python -m pytest -rs -p no:cacheprovider tests)
}

run_suite rust cargo test --workspace --no-fail-fast
run_suite benches cargo test -p civiqr-benches --benches --no-fail-fast
run_suite examples examples_test
run_suite wasm wasm_test
run_suite wasm-pkg wasm_pkg_test
run_suite web-e2e web_e2e_test
run_suite audit-report audit_report_test
run_suite packaging scripts/packaging.sh
run_suite python python_test
run_suite fuzz-smoke scripts/fuzz.sh smoke

passed=0
failed=0
echo
echo "=== [test] summary ($((SECONDS - started)) s in all)"
for line in "${results[@]}"; do
    echo "  $line"
    case $line in
        PASS*) passed=$((passed + 1)) ;;
        *) failed=$((failed + 1)) ;;
    esac
done
echo "suites: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
