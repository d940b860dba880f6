#!/usr/bin/env bash
# Runs the bounded-read and image-memory probes of docs/RELIABILITY.md
# against a civiqr binary and prints one Markdown row per probe: the command,
# exit code, peak RSS (GNU time) and the first line of standard error.
#
#   python3 scripts/make-hostile-images.py /tmp/hostile
#   scripts/probe-limits.sh target/release/civiqr /tmp/hostile
#
# Each probe runs under a 3 GB address-space limit (prlimit --as) and a 120 s
# timeout, so that an unbounded read fails instead of exhausting the machine.
set -uo pipefail
bin=$(realpath "$1")
img=$(realpath "$2")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

truncate -s 1G big-trust.json          # sparse: 1 GB of zeros, no disk
mkfifo pipe.png
"$bin" keygen --out town.key --issuer "Probe" >/dev/null 2>&1
cp town.key shared.key && chmod 644 shared.key

probe() {
    local shown=$1; shift
    local err rc rss
    /usr/bin/time -o time.txt -f "%M" timeout 120 prlimit --as=3000000000 "$@" \
        >/dev/null 2>stderr.txt </dev/null
    rc=$?
    rss=$(tail -1 time.txt)
    err=$(grep -v "^Command\|^timeout" stderr.txt | head -1 | cut -c1-110 | sed 's/|/\\|/g')
    printf '| `%s` | %s | %s MB | %s |\n' "$shown" "$rc" "$((rss / 1024))" "$err"
}

echo "| probe | exit | peak RSS | stderr |"
echo "|---|---:|---:|---|"
probe "decode /dev/zero" "$bin" decode /dev/zero
cat /dev/zero > pipe.png 2>/dev/null &
writer=$!
probe "decode FIFO (cat /dev/zero > FIFO)" "$bin" decode pipe.png
probe "decode - < /dev/zero" sh -c "exec \"$bin\" decode - < /dev/zero"
probe "decode --trust TRUST(1 GB) x.png" "$bin" decode --trust big-trust.json x.png
probe "decode --trust /dev/zero x.png" "$bin" decode --trust /dev/zero x.png
probe "encode --input /dev/zero" "$bin" encode --input /dev/zero -o out.svg
probe "encode - < /dev/zero" sh -c "exec \"$bin\" encode - -o out.svg < /dev/zero"
probe "encode URL --sign-key /dev/zero" "$bin" encode https://e.org --sign-key /dev/zero -o out.svg
probe "encode URL --sign-key KEY(0644)" "$bin" encode https://e.org --sign-key shared.key -o out.svg
probe "decode rgba16-64mp.png" "$bin" decode "$img/rgba16-64mp.png"
probe "decode rgb16-64mp.png" "$bin" decode "$img/rgb16-64mp.png"
probe "decode icc-1gib.png" "$bin" decode "$img/icc-1gib.png"
probe "decode text-1gib.png" "$bin" decode "$img/text-1gib.png"
/usr/bin/time -o time.txt -f "%M" prlimit --as=700000000 "$bin" decode "$img/rgba16-64mp.png" \
    >/dev/null 2>stderr.txt
rc=$?
printf '| `%s` | %s | %s MB | %s |\n' "prlimit --as=700000000 decode rgba16-64mp.png" "$rc" \
    "$(( $(tail -1 time.txt) / 1024 ))" "$(grep -v '^Command' stderr.txt | head -1 | cut -c1-110)"
# The writer ends by itself when the reader closes the FIFO (SIGPIPE).
kill "$writer" 2>/dev/null || true
