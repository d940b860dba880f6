#!/usr/bin/env python3
"""How much of a pole code's failure is the reader's geometry: each cylinder
image of `make-distortions.py` is made again (same seed, same bytes), read by
civiqr at the four rotations, and its modules are also sampled through the
generator's own model (the true wrap, distance and turn) with one global
threshold and decoded. An image the oracle reads but civiqr does not fails on
finding or fitting the wrap; one the oracle cannot read has lost its edge
modules to blur and noise.

Usage: .venv/bin/python scripts/cylinder-oracle.py [--seed S] [--per-kind N] [--failing]

Prints per image: version, module size at the front and at the edge (px),
half-angle (rad), civiqr's reads at 0/90/180/270 (x = read), and whether the
oracle reads; then the totals. `--failing` lists only images civiqr misses
at some rotation. civiqr is the package the interpreter imports (PYTHONPATH
selects a wheel).
"""
import argparse
import importlib.util
import io
import math
import pathlib
import random

import numpy as np
from PIL import Image

import civiqr

ROOT = pathlib.Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("distortions", ROOT / "scripts" / "make-distortions.py")
distortions = importlib.util.module_from_spec(spec)
spec.loader.exec_module(distortions)

# The parameters of the last cylinder drawn, caught on their way in.
drawn = {}
_cylinder = distortions.cylinder


def _catching(src, modules, module_px, half_angle, distance, angle):
    drawn.update(modules=modules, module_px=module_px, half_angle=half_angle,
                 distance=distance, angle=angle)
    return _cylinder(src, modules, module_px, half_angle, distance, angle)


distortions.cylinder = _catching


def module_centre(p, u, v):
    """Image point of sheet point (u, v) (modules, quiet zone included), by
    the generator's projection: the inverse of what `cylinder` renders."""
    modules = p["modules"]
    radius = (modules - 8) / 2 / p["half_angle"]
    cam = radius * (1 + p["distance"])
    focal = p["module_px"] * (cam - radius)
    side = int(modules * p["module_px"] * 1.5) + 16
    phi = (u - modules / 2) / radius
    depth = cam - radius * math.cos(phi)
    x, y = radius * math.sin(phi) / depth * focal, (v - modules / 2) / depth * focal
    c, s = math.cos(p["angle"]), math.sin(p["angle"])
    # Pixel i covers [i, i + 1): its centre is at i + 0.5 from the image's left.
    return c * x - s * y + side / 2 - 0.5, s * x + c * y + side / 2 - 0.5


def bilinear(grey, x, y):
    h, w = grey.shape
    x0, y0 = math.floor(x), math.floor(y)
    fx, fy = x - x0, y - y0

    def at(i, j):
        return grey[min(max(j, 0), h - 1), min(max(i, 0), w - 1)]

    return (at(x0, y0) * (1 - fx) * (1 - fy) + at(x0 + 1, y0) * fx * (1 - fy)
            + at(x0, y0 + 1) * (1 - fx) * fy + at(x0 + 1, y0 + 1) * fx * fy)


def oracle_reads(grey, p, text):
    """Samples every module through the true model, thresholds at the middle
    of the darkest and lightest tenths, and decodes the clean rendering."""
    dim = p["modules"] - 8
    levels = np.array([[bilinear(grey, *module_centre(p, 4.5 + col, 4.5 + row))
                        for col in range(dim)] for row in range(dim)])
    threshold = (np.percentile(levels, 10) + np.percentile(levels, 90)) / 2
    clean = np.pad(np.where(levels < threshold, 0, 255).astype(np.uint8), 4, constant_values=255)
    clean = np.kron(clean, np.ones((6, 6), dtype=np.uint8))
    return any(d.text == text for d in civiqr.decode(clean))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--per-kind", type=int, default=20)
    ap.add_argument("--failing", action="store_true")
    args = ap.parse_args()
    ki = distortions.KINDS.index("cylinder")
    totals = {"images": 0, "civiqr": 0, "oracle": 0, "missed": 0, "missed_oracle": 0}
    for i in range(args.per_kind):
        # The generator's own seeding (see make-distortions.py's main).
        rng = random.Random(args.seed * 1000003 + ki * 1009 + i)
        text, data, _ = distortions.make("cylinder", rng)
        p = dict(drawn)
        grey = np.asarray(Image.open(io.BytesIO(data)).convert("L"))
        reads = "".join(
            "x" if any(d.text == text for d in civiqr.decode(np.ascontiguousarray(np.rot90(grey, k=-k))))
            else "." for k in range(4))
        oracle = oracle_reads(grey.astype(np.float32), p, text)
        totals["images"] += 1
        totals["civiqr"] += reads.count("x")
        totals["oracle"] += oracle
        if reads != "xxxx":
            totals["missed"] += 1
            totals["missed_oracle"] += oracle
        if args.failing and reads == "xxxx":
            continue
        version = (p["modules"] - 8 - 17) // 4
        edge = p["module_px"] * math.cos(p["half_angle"])
        print(f"{i:03} v{version:<2} module {p['module_px']:.2f} px, edge {edge:.2f} px, "
              f"half-angle {p['half_angle']:.2f}: civiqr {reads}, oracle {'reads' if oracle else 'fails'}")
    print(f"seed {args.seed}: {totals['images']} images; civiqr {totals['civiqr']} of "
          f"{4 * totals['images']} image-rotations; the oracle reads {totals['oracle']}; of the "
          f"{totals['missed']} civiqr misses at some rotation, the oracle reads {totals['missed_oracle']}")


if __name__ == "__main__":
    main()
