#!/usr/bin/env bash
# The `packaging` suite: checks what each registry would receive, without
# uploading and without full builds (cargo's verify build is skipped; set
# PACKAGING_VERIFY=1 to build the packaged crates as `cargo publish` does).
#   rust-version  scripts/check-msrv.py: no locked dependency needs a newer Rust
#   crates.io     civiqr and civiqr-cli: `cargo publish --dry-run` of both (the
#                 CLI depends on civiqr 0.1.0, which only exists on crates.io
#                 once civiqr is published: cargo packages the two together),
#                 and each package's file list: README and both LICENSE files
#                 in, tests, corpora and fuzz seeds out
#   PyPI          `maturin sdist`: metadata (readme, licence files, URLs) and files
#   npm           `npm pack --dry-run` in wasm/pkg (built by the wasm-pkg suite):
#                 exactly package.json's `files`, README and LICENSE files included;
#                 every `exports` target packed, every JavaScript entry with `types`
# Prints each package's size. Exits non-zero when any check fails.
set -uo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
MATURIN=${MATURIN:-.venv/bin/maturin}

failed=0
log() { printf '[packaging] %s\n' "$*"; }
fail() { printf '[packaging] FAILED: %s\n' "$*" >&2; failed=1; }
tmp=$(mktemp -d -t civiqr-packaging.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

# --- rust-version
scripts/check-msrv.py || fail "rust-version (scripts/check-msrv.py)"

# --- crates.io: file lists
# check_list CRATE: the files `cargo package` would put in CRATE's .crate.
check_list() {
    local crate=$1 list="$tmp/$1.list"
    if ! cargo package --list --allow-dirty -p "$crate" >"$list" 2>"$tmp/$crate.err"; then
        cat "$tmp/$crate.err" >&2
        fail "cargo package --list -p $crate"
        return
    fi
    local want
    for want in Cargo.toml README.md LICENSE-MIT LICENSE-APACHE src/main.rs src/lib.rs; do
        case $want in
            src/main.rs) [ "$crate" = civiqr-cli ] || continue ;;
            src/lib.rs) [ "$crate" = civiqr ] || continue ;;
        esac
        grep -qx "$want" "$list" || fail "$crate: $want is not in the package"
    done
    # Tests, their corpora and fixtures, and fuzz seeds stay in the repository.
    local extra
    extra=$(grep -E '^(tests|benches|fuzz|fixtures|samples|corpus)/|\.(png|jpe?g|webp|gif|bmp|tiff?|csv|xlsx?|ods|py)$' "$list")
    [ -z "$extra" ] || fail "$crate: files that the package should not carry:"$'\n'"$extra"
    log "$crate: $(wc -l <"$list") files"
}
check_list civiqr
check_list civiqr-cli

# --- crates.io: publish dry run of both crates together
verify=(--no-verify)
[ "${PACKAGING_VERIFY:-0}" = 1 ] && verify=()
if cargo publish --dry-run --allow-dirty "${verify[@]}" -p civiqr -p civiqr-cli >"$tmp/publish.log" 2>&1; then
    # "ignoring test ..." is cargo noting that tests are left out, as intended.
    grep -E '^ *(Packaged|Uploading)|^(warning|error)' "$tmp/publish.log" |
        grep -vE 'ignoring (test|bench|example) |aborting upload due to dry run' |
        sed 's/^ */[packaging] /'
    if grep -E '^(warning|error)' "$tmp/publish.log" |
        grep -vqE 'ignoring (test|bench) |aborting upload due to dry run'; then
        fail "cargo publish --dry-run printed warnings (above)"
    fi
else
    cat "$tmp/publish.log" >&2
    fail "cargo publish --dry-run -p civiqr -p civiqr-cli"
fi

# --- PyPI: source distribution
if [ ! -x "$MATURIN" ]; then
    fail "$MATURIN not found: run scripts/setup.sh (or set MATURIN)"
elif "$MATURIN" sdist -m python/Cargo.toml --out "$tmp/sdist" >"$tmp/sdist.log" 2>&1; then
    sdist=$(ls "$tmp"/sdist/civiqr-*.tar.gz)
    files=$(tar tzf "$sdist")
    pkg_info=$(tar xzf "$sdist" -O --wildcards '*/PKG-INFO')
    for want in LICENSE-MIT LICENSE-APACHE README.md pyproject.toml py_src/civiqr/py.typed \
        py_src/civiqr/_civiqr.pyi; do
        grep -q "^civiqr-[^/]*/$want\$" <<<"$files" || fail "sdist: $want is missing"
    done
    for field in 'License-Expression: MIT OR Apache-2.0' 'License-File: LICENSE-MIT' \
        'License-File: LICENSE-APACHE' 'Project-URL: Repository' 'Classifier: ' \
        'Description-Content-Type: text/markdown' 'Provides-Extra: numpy' 'Provides-Extra: pil'; do
        grep -qF "$field" <<<"$pkg_info" || fail "sdist PKG-INFO has no \"$field\""
    done
    log "sdist: $(basename "$sdist"), $(wc -l <<<"$files") files, $(stat -c %s "$sdist") bytes"
else
    cat "$tmp/sdist.log" >&2
    fail "maturin sdist -m python/Cargo.toml"
fi

# --- npm: the package wasm/pkg
if [ ! -f wasm/pkg/package.json ]; then
    fail "wasm/pkg is missing: run scripts/build-wasm.sh first (the wasm-pkg suite does)"
elif (cd wasm/pkg && npm pack --dry-run --json) >"$tmp/npm.json" 2>"$tmp/npm.err"; then
    node - "$tmp/npm.json" wasm/pkg/package.json <<'JS' || fail "npm pack --dry-run: contents"
const fs = require("fs");
const [packed] = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const manifest = JSON.parse(fs.readFileSync(process.argv[3], "utf8"));
const got = packed.files.map((f) => f.path).sort();
const want = [...manifest.files, "package.json"].sort();
const missing = want.filter((f) => !got.includes(f));
const extra = got.filter((f) => !want.includes(f));
for (const f of ["README.md", "LICENSE-MIT", "LICENSE-APACHE"]) {
  if (!want.includes(f)) console.error(`package.json "files" lacks ${f}`);
}
// Each entry point: its files packed, and types beside every JavaScript entry.
const problems = [];
for (const [entry, target] of Object.entries(manifest.exports)) {
  const conditions = typeof target === "string" ? { default: target } : target;
  for (const file of Object.values(conditions)) {
    if (!got.includes(file.replace(/^\.\//, ""))) problems.push(`exports["${entry}"]: ${file} is not packed`);
  }
  if (/\.js$/.test(conditions.default) && !conditions.types) problems.push(`exports["${entry}"] has no types`);
}
for (const p of problems) console.error(p);
if (missing.length) console.error(`missing from the package: ${missing.join(", ")}`);
if (extra.length) console.error(`not asked for by package.json: ${extra.join(", ")}`);
console.log(`[packaging] npm: ${packed.filename}, ${got.length} files, ` +
  `${packed.size} bytes packed, ${packed.unpackedSize} unpacked`);
process.exit(missing.length || extra.length || problems.length ? 1 : 0);
JS
else
    cat "$tmp/npm.err" >&2
    fail "npm pack --dry-run in wasm/pkg"
fi

[ "$failed" = 0 ] && log "all checks passed"
exit "$failed"
