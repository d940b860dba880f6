#!/usr/bin/env python3
"""Compares two builds of the reader on the same images, in one run.

Usage: scripts/reader-diff.py OLD_SAMPLE_STATS NEW_SAMPLE_STATS DIR [DIR...]

Each binary is a build of `civiqr-tools`'s sample_stats (e.g. one copied aside
before a change, one after). The two read every image of each DIR at the four
rotations, alternating per directory; prints the reads and misreads of each,
every image-rotation whose outcome differs, and the median and mean time.
Exits 1 when the outcomes differ, so it can gate a behaviour-preserving change.
"""
import json
import statistics
import subprocess
import sys


def run(binary, folder):
    out = subprocess.run([binary, folder], check=True, capture_output=True, text=True).stdout
    return {(r["file"], r["rotation"]): r for r in map(json.loads, filter(None, out.splitlines()))
            if r}


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    old_bin, new_bin, folders = sys.argv[1], sys.argv[2], sys.argv[3:]
    differ = 0
    for folder in folders:
        old, new = run(old_bin, folder), run(new_bin, folder)
        for name, rows in (("old", old), ("new", new)):
            ms = [r["ms"] for r in rows.values()]
            print(f"{folder} {name}: {sum(r['ok'] for r in rows.values())}/{len(rows)} read, "
                  f"{sum(r['other'] for r in rows.values())} misreads, "
                  f"median {statistics.median(ms):.3f} ms, mean {statistics.mean(ms):.3f} ms")
        for key in sorted(set(old) | set(new)):
            a, b = old.get(key), new.get(key)
            outcome = lambda r: r and (r["ok"], r["other"], r["found"])
            if outcome(a) != outcome(b):
                differ += 1
                print(f"  differs: {key[0]} at {key[1]}: {outcome(a)} -> {outcome(b)}")
    print(f"{differ} image-rotations differ")
    sys.exit(1 if differ else 0)


main()
