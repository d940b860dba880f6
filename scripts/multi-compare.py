#!/usr/bin/env python3
"""civiqr against zxing-cpp on many-code pages and street frames, in one run.

Usage: .venv/bin/python scripts/multi-compare.py [DIR] [--rotations] [--repeat N] [--runs N]
                                                 [--bin MULTI_STATS]

DIR is a set written by scripts/make-multi.py (default target/multi). Both
readers get the same grey pixels in memory; each image's `.txt` lists the
texts it holds. Prints, per kind (folder): codes read of codes expected,
misreads (a symbol read with a text not on the list) and the median and mean
time per image with the ratio civiqr / zxing-cpp; then the same over all
street frames (frame-empty and frame-code together). `--bin` runs an
already built multi_stats (to compare builds without rebuilding). `--runs N`
reads the whole set N times, the two readers taking turns, and keeps each
image's fastest time per reader: on a loaded machine a stretch of load then
falls on both readers' runs alike.
"""
import argparse
import json
import pathlib
import statistics
import subprocess
import time

import numpy as np
import zxingcpp
from PIL import Image

ROOT = pathlib.Path(__file__).resolve().parent.parent
ap = argparse.ArgumentParser()
ap.add_argument("dir", nargs="?", default=str(ROOT / "target" / "multi"))
ap.add_argument("--rotations", action="store_true")
ap.add_argument("--repeat", type=int, default=1)
ap.add_argument("--runs", type=int, default=1)
ap.add_argument("--bin", default=None)
args = ap.parse_args()

extra = (["--rotations"] if args.rotations else []) + ["--repeat", str(args.repeat)]
cmd = [args.bin] if args.bin else ["cargo", "run", "--quiet", "--release", "-p", "civiqr-tools",
                                   "--bin", "multi_stats", "--"]


def run_civiqr():
    out = subprocess.run(cmd + [args.dir] + extra, cwd=ROOT, check=True, capture_output=True,
                         text=True).stdout
    return [json.loads(line) for line in out.splitlines() if line.startswith("{")]


def run_zxing(recs):
    rows = []
    for rec in recs:
        path = pathlib.Path(rec["file"])
        want = {t for t in path.with_suffix(".txt").read_text().splitlines() if t}
        img = np.asarray(Image.open(path).convert("L"))
        img = np.ascontiguousarray(np.rot90(img, k=-rec["rotation"] // 90))
        ms = float("inf")
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            found = zxingcpp.read_barcodes(img, formats=zxingcpp.BarcodeFormat.QRCode)
            ms = min(ms, (time.perf_counter() - t0) * 1000)
        texts = {r.text for r in found}
        rows.append({"file": rec["file"], "rotation": rec["rotation"], "expected": len(want),
                     "ok": len(want & texts), "wrong": len(texts - want), "ms": ms})
    return rows


def fastest(best, now):
    # Same images in the same order each run; reads do not depend on time.
    return now if best is None else [dict(b, ms=min(b["ms"], n["ms"])) for b, n in zip(best, now)]


ours = theirs = None
for _ in range(max(1, args.runs)):
    ours = fastest(ours, run_civiqr())
    theirs = fastest(theirs, run_zxing(ours))


def kind(r):
    return pathlib.Path(r["file"]).parent.name


def line(name, a, b):
    ta, tb = [r["ms"] for r in a], [r["ms"] for r in b]
    ma, mb = statistics.median(ta), statistics.median(tb)
    ea, eb = statistics.mean(ta), statistics.mean(tb)
    exp = sum(r["expected"] for r in a)
    print(f"| {name} | {len(a)} | {sum(r['ok'] for r in a)}/{exp} ({sum(r['wrong'] for r in a)}) "
          f"| {sum(r['ok'] for r in b)}/{exp} ({sum(r['wrong'] for r in b)}) "
          f"| {ma:.2f} / {mb:.2f} ({ma / mb:.2f}x) | {ea:.2f} / {eb:.2f} ({ea / eb:.2f}x) |")


print("| kind | images | civiqr read (misreads) | zxing-cpp read (other) "
      "| median ms civiqr / zxing-cpp | mean ms civiqr / zxing-cpp |")
print("|---|---:|---:|---:|---:|---:|")
for k in sorted({kind(r) for r in ours}):
    line(k, [r for r in ours if kind(r) == k], [r for r in theirs if kind(r) == k])
frames = [i for i, r in enumerate(ours) if kind(r).startswith("frame-")]
if frames:
    line("all street frames", [ours[i] for i in frames], [theirs[i] for i in frames])

# Images where one reads a code the other misses.
for a, b in zip(ours, theirs):
    if a["ok"] != b["ok"]:
        print(f"{kind(a)}/{pathlib.Path(a['file']).name} rot {a['rotation']}: civiqr {a['ok']}, "
              f"zxing-cpp {b['ok']} of {a['expected']}")
