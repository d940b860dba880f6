#!/usr/bin/env python3
"""civiqr against zxing-cpp on a set written by scripts/make-multi.py, image by
image in one process, timed in CPU time.

Usage: .venv/bin/python scripts/frame-cpu-compare.py [DIR] [--rotations] [--repeat N]
                                                     [--before PKGDIR] [--kinds a,b]
                                                     [--formats all|qr] [--camera N[,M...]]

Wall-clock times on a shared 2-core machine punish the longer decode: under a
load of 10 a 30 ms decode is preempted many times, a 2 ms one often not at all.
Here every decode is timed with time.thread_time() (the CPU time of the calling
thread: civiqr releases the GIL but decodes in that thread, as zxing-cpp does),
the readers take turns on each image and rotation, and each keeps its fastest
of N. `--before PKGDIR` times a second build of civiqr in the same turns: a
directory holding a `civiqr` package (e.g. from `pip install --target`), loaded
under another name. `civiqr` itself is whatever the interpreter imports (set
PYTHONPATH to test a wheel of a branch). `--kinds` keeps the named folders
(default: the street frames, frame-code and frame-empty). `--formats` sets what
both readers look for: `all` (default) QR Code, Micro QR and rMQR, civiqr's
default; `qr` QR Code alone. `--camera N` also times civiqr as the web
Scanner decodes a stream (fullDecodeEvery N; a list, each): each image as N frames, the
first decoded in full, the others with quick=True; each frame is one sample
of the median and mean, and an image counts as read when any of its N frames
reads it (a code in view stays in view for more than N frames).

Prints per kind: codes read of codes expected (misreads), and the median and
mean CPU ms per image with the ratio to zxing-cpp; then all kinds together.
"""
import argparse
import importlib.util
import pathlib
import statistics
import sys
import time

import numpy as np
import zxingcpp
from PIL import Image

import civiqr

ROOT = pathlib.Path(__file__).resolve().parent.parent
ap = argparse.ArgumentParser()
ap.add_argument("dir", nargs="?", default=str(ROOT / "target" / "multi"))
ap.add_argument("--rotations", action="store_true")
ap.add_argument("--repeat", type=int, default=3)
ap.add_argument("--before", default=None)
ap.add_argument("--kinds", default="frame-code,frame-empty")
ap.add_argument("--formats", choices=("all", "qr"), default="all")
ap.add_argument("--camera", default="")
args = ap.parse_args()

# The same symbologies for both readers: each one looked for costs time.
if args.formats == "qr":
    SYMBOLOGIES = ["qr"]
    ZXING_FORMATS = zxingcpp.BarcodeFormat.QRCode
else:
    SYMBOLOGIES = ["qr", "micro", "rmqr"]
    ZXING_FORMATS = (zxingcpp.BarcodeFormat.QRCode, zxingcpp.BarcodeFormat.MicroQRCode,
                     zxingcpp.BarcodeFormat.RMQRCode)


def load_before(pkgdir):
    """The civiqr package under `pkgdir`, imported as `civiqr_before`."""
    init = pathlib.Path(pkgdir) / "civiqr" / "__init__.py"
    spec = importlib.util.spec_from_file_location(
        "civiqr_before", init, submodule_search_locations=[str(init.parent)])
    module = importlib.util.module_from_spec(spec)
    sys.modules["civiqr_before"] = module
    spec.loader.exec_module(module)
    return module


def civiqr_frame(quick):
    return lambda img: {d.text for d in civiqr.decode(img, symbologies=SYMBOLOGIES, quick=quick)}


# Each reader is a list of frames: an image costs each of them once.
readers = {"civiqr": [civiqr_frame(False)]}
for every in (int(n) for n in args.camera.split(",") if n):
    readers[f"civiqr camera ({every})"] = [civiqr_frame(n > 0) for n in range(max(1, every))]
if args.before:
    before = load_before(args.before)
    readers["civiqr before"] = [lambda img: {
        d.text for d in before.decode(img, symbologies=SYMBOLOGIES)}]
readers["zxing-cpp"] = [lambda img: {
    r.text for r in zxingcpp.read_barcodes(img, formats=ZXING_FORMATS)}]

kinds = [k for k in args.kinds.split(",") if k]
rows = {name: [] for name in readers}
for kind in kinds:
    for path in sorted((pathlib.Path(args.dir) / kind).glob("*.png")):
        want = {t for t in path.with_suffix(".txt").read_text().splitlines() if t}
        pixels = np.asarray(Image.open(path).convert("L"))
        for rotation in (0, 90, 180, 270) if args.rotations else (0,):
            img = np.ascontiguousarray(np.rot90(pixels, k=-rotation // 90))
            best = {name: [float("inf")] * len(frames) for name, frames in readers.items()}
            texts = {name: set() for name in readers}
            for _ in range(args.repeat):
                for name, frames in readers.items():
                    for n, read in enumerate(frames):
                        t0 = time.thread_time()
                        texts[name] |= read(img)
                        best[name][n] = min(best[name][n], (time.thread_time() - t0) * 1000)
            for name in readers:
                rows[name].append({"kind": kind, "expected": len(want),
                                   "ok": len(want & texts[name]),
                                   "wrong": len(texts[name] - want), "ms": best[name]})


def line(label, pick):
    zx = [ms for r in pick(rows["zxing-cpp"]) for ms in r["ms"]]
    cells = []
    for name in readers:
        mine = pick(rows[name])
        ms = [ms for r in mine for ms in r["ms"]]
        med, mean = statistics.median(ms), statistics.mean(ms)
        ratio = (f" ({med / statistics.median(zx):.2f}x / {mean / statistics.mean(zx):.2f}x)"
                 if name != "zxing-cpp" else "")
        cells.append(f"{sum(r['ok'] for r in mine)}/{sum(r['expected'] for r in mine)} "
                     f"({sum(r['wrong'] for r in mine)}) {med:.2f} / {mean:.2f}{ratio}")
    print(f"| {label} | {len(zx)} | " + " | ".join(cells) + " |")


print("| kind | images | " + " | ".join(
    f"{n}: read (misreads) median / mean CPU ms" for n in readers) + " |")
print("|---|---:|" + "---:|" * len(readers))
for kind in kinds:
    line(kind, lambda rs, k=kind: [r for r in rs if r["kind"] == k])
if len(kinds) > 1:
    line("all", lambda rs: rs)
