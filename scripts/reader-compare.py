#!/usr/bin/env python3
"""civiqr's reader against zxing-cpp (PyPI) on the labelled samples, in one run.

Usage: scripts/reader-compare.py [SAMPLES_DIR]   (uses .venv's zxing-cpp and Pillow)

SAMPLE_STATS=PATH runs that build of sample_stats instead of `cargo run` (to
compare a build copied aside).

Both read the same decoded pixels (grey, in memory) at rotations 0/90/180/270;
prints per-folder and per-rotation counts of correct reads, misreads, and the
median and mean decode time per image with the ratio civiqr / zxing-cpp.
An image with a second symbol (a nested code, text in NAME.2.txt) reads only
when both are returned.
"""
import json
import os
import pathlib
import statistics
import subprocess
import sys
import time

import numpy as np
import zxingcpp
from PIL import Image

ROOT = pathlib.Path(__file__).resolve().parent.parent
samples = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "samples"

build = os.environ.get("SAMPLE_STATS")
command = [build] if build else ["cargo", "run", "--quiet", "--release", "-p", "civiqr-tools",
                                 "--bin", "sample_stats", "--"]
out = subprocess.run(command + [str(samples)], cwd=ROOT, check=True, capture_output=True,
                     text=True).stdout
ours = [json.loads(line) for line in out.splitlines() if line.startswith("{")]


def expected(path):
    txt = path.with_suffix(".txt")
    # Bytes, not read_text(): universal newlines would turn the payloads' CR LF into LF.
    return ("text", txt.read_bytes().decode("utf-8", errors="replace")) if txt.exists() else \
        ("bytes", path.with_suffix(".bin").read_bytes())


theirs = []
for rec in ours:
    if rec["rotation"] != 0:
        continue
    path = pathlib.Path(rec["file"])
    kind, want = expected(path)
    pixels = np.array(Image.open(path).convert("L"))
    for rotation in (0, 90, 180, 270):
        img = np.ascontiguousarray(np.rot90(pixels, k=-rotation // 90))
        t0 = time.perf_counter()
        found = zxingcpp.read_barcodes(img, formats=zxingcpp.BarcodeFormat.QRCode)
        ms = (time.perf_counter() - t0) * 1000
        ok = any((r.text == want) if kind == "text" else (r.bytes == want) for r in found)
        other = bool(found) and not ok
        second = path.with_suffix(".2.txt")
        if second.exists():
            texts = {want, second.read_bytes().decode("utf-8", errors="replace")}
            ok = texts <= {r.text for r in found}
            other = any(r.text not in texts for r in found)
        theirs.append({"file": rec["file"], "rotation": rotation, "ok": ok,
                       "other": other, "ms": ms})


def summary(rows, name):
    by_folder = {}
    for r in rows:
        key = (pathlib.Path(r["file"]).parent.name, r["rotation"])
        by_folder.setdefault(key, [0, 0])
        by_folder[key][0] += r["ok"]
        by_folder[key][1] += 1
    return by_folder


def table(rows_a, rows_b):
    a, b = summary(rows_a, "civiqr"), summary(rows_b, "zxing-cpp")
    print("| folder | rotation | civiqr | zxing-cpp |")
    print("|---|---|---|---|")
    for key in sorted(a):
        print(f"| {key[0]} | {key[1]} | {a[key][0]}/{a[key][1]} | {b.get(key, [0, 0])[0]}/{a[key][1]} |")
    for rot in (0, 90, 180, 270):
        ra = [r for r in rows_a if r["rotation"] == rot]
        rb = [r for r in rows_b if r["rotation"] == rot]
        print(f"rotation {rot:3}: civiqr {sum(r['ok'] for r in ra)}/{len(ra)} "
              f"(misreads {sum(r['other'] for r in ra)}), zxing-cpp {sum(r['ok'] for r in rb)}/{len(rb)} "
              f"(other content {sum(r['other'] for r in rb)})")
    folders = sorted({pathlib.Path(r["file"]).parent.name for r in rows_a})
    for folder in folders:
        ta = [r["ms"] for r in rows_a if pathlib.Path(r["file"]).parent.name == folder]
        tb = [r["ms"] for r in rows_b if pathlib.Path(r["file"]).parent.name == folder]
        print(f"{folder}: median ms civiqr {statistics.median(ta):.3f}, zxing-cpp {statistics.median(tb):.3f}")
    ma, mb = statistics.median(r["ms"] for r in rows_a), statistics.median(r["ms"] for r in rows_b)
    ea, eb = statistics.mean(r["ms"] for r in rows_a), statistics.mean(r["ms"] for r in rows_b)
    print(f"time per image: civiqr median {ma:.3f} ms mean {ea:.3f} ms; "
          f"zxing-cpp median {mb:.3f} ms mean {eb:.3f} ms; ratio civiqr/zxing-cpp "
          f"median {ma / mb:.2f} mean {ea / eb:.2f}")


table(ours, theirs)

# Where the two disagree: the images to look at next.
theirs_ok = {(r["file"], r["rotation"]): r["ok"] for r in theirs}
for r in sorted(ours, key=lambda r: (r["rotation"], r["file"])):
    mine, other = r["ok"], theirs_ok.get((r["file"], r["rotation"]), False)
    if mine != other:
        who = "only civiqr" if mine else "only zxing-cpp"
        print(f"{who:15} {r['rotation']:3} {pathlib.Path(r['file']).parent.name}/{pathlib.Path(r['file']).name}")
