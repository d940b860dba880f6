#!/bin/sh
# The worst cases of tools/src/bin/adversarial.rs in instructions (callgrind,
# civiqr::read::decode inclusive), each case decoded once with the default
# options and with try_harder: a count that does not depend on the machine's
# load, as the timed tables do.
# Usage: scripts/adversarial-instructions.sh   (needs valgrind)
set -eu
cd "$(dirname "$0")/.."
cargo build -q --release -p civiqr-tools --bin adversarial
bin=target/release/adversarial
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
count() {
    valgrind --tool=callgrind --callgrind-out-file="$out/cg" "$bin" --once "$@" > "$out/name" 2>/dev/null
    callgrind_annotate --inclusive=yes "$out/cg" 2>/dev/null \
        | awk '/civiqr::read::decode /{gsub(",", "", $1); printf "%.1f", $1 / 1e6; exit}'
}
echo "| case | default, M instructions | try_harder, M instructions |"
echo "|---|---:|---:|"
n=0
while [ $n -le 8 ]; do
    d=$(count $n)
    name=$(cat "$out/name")
    t=$(count $n --try-harder)
    echo "| $name | $d | $t |"
    n=$((n + 1))
done
