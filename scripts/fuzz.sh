#!/usr/bin/env bash
# Runs the cargo-fuzz targets of fuzz/ (nightly toolchain, cargo-fuzz).
#
#   scripts/fuzz.sh smoke            each target for 10 s from its seeds (test.sh runs this)
#   scripts/fuzz.sh long [SECONDS]   each target until 10 million executions or
#                                    SECONDS (default 3600), one after the other
#   scripts/fuzz.sh long SECONDS T.. only the named targets
#
# Built without a sanitizer (`-s none`): civiqr forbids unsafe code, and the
# rate is 3-5x higher; `cargo +nightly fuzz run TARGET` runs one under ASan.
# Corpora grow in fuzz/corpus/TARGET (not committed; seeds in fuzz/seeds/TARGET).
# A crash stops that target and leaves its input in fuzz/artifacts/TARGET/.
# FUZZ_TIMEOUT (seconds, default 10) is libFuzzer's per-input wall-clock
# limit: raise it when the fuzzer shares the CPU at low priority, where a
# starved 0.3 s input can pass 10 s without hanging.
# Prints one summary line per target: executions, rate, corpus, result.
set -uo pipefail
cd "$(dirname "$0")/../fuzz"
export PATH="$HOME/.cargo/bin:$PATH"
TARGETS=(bitstream grid small_grid payload batch_csv batch_table encoder reader image_file trust_file distorted)

mode=${1:-smoke}
case $mode in
    smoke) seconds=10; runs=-1 ;;
    long) seconds=${2:-3600}; runs=10000000 ;;
    *) echo "usage: scripts/fuzz.sh smoke | long [SECONDS] [TARGET...]" >&2; exit 2 ;;
esac
if [ "$mode" = long ] && [ $# -gt 2 ]; then
    TARGETS=("${@:3}")
fi

cargo +nightly fuzz build -O -s none >/dev/null 2>build.log || { cat build.log; exit 1; }
bin=target/x86_64-unknown-linux-gnu/release
failed=0
for t in "${TARGETS[@]}"; do
    mkdir -p "corpus/$t" "artifacts/$t"
    log="artifacts/$t/last-run.log"
    "$bin/$t" -runs="$runs" -max_total_time="$seconds" -max_len=65536 -timeout="${FUZZ_TIMEOUT:-10}" \
        -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="artifacts/$t/" \
        "corpus/$t" "seeds/$t" >"$log" 2>&1
    rc=$?
    execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$')
    rate=$(grep -o 'exec/s: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*$')
    corpus=$(ls "corpus/$t" | wc -l)
    if [ $rc -eq 0 ]; then
        echo "[fuzz] $t: ${execs:-?} executions, ${rate:-?}/s, corpus $corpus, 0 crashes"
    else
        failed=1
        echo "[fuzz] $t: FAILED after ${execs:-?} executions (exit $rc); see fuzz/$log:"
        grep -E "panicked|ERROR|SUMMARY" "$log" | head -5
    fi
done
exit $failed
