#!/usr/bin/env python3
"""Prints the speed table of docs/BENCHMARKS.md from criterion's results of one run.

Usage: cargo bench -p civiqr-benches --bench encode && python3 scripts/bench-table.py
Each cell is the median time; the ratio is peer time / civiqr time (how many
times faster civiqr is), all measured in the same `cargo bench` run.
"""
import json
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent / "target" / "criterion"
PAYLOADS = [
    ("url_M", "URL (38 B) at M"),
    ("bytes500_Q", "500 bytes at Q"),
    ("bytes2900_L", "2900 bytes at L"),
    ("digits7000_L", "7000 digits at L"),
]


def median_ns(group, lib):
    path = ROOT / group / lib / "new" / "estimates.json"
    if not path.exists():
        return None
    return json.loads(path.read_text())["median"]["point_estimate"]


def fmt(ns):
    if ns is None:
        return "-"
    if ns >= 1e6:
        return f"{ns / 1e6:.2f} ms"
    return f"{ns / 1e3:.1f} µs"


def table(kind, peers):
    print(f"\n{kind}: median time, and peer time / civiqr time\n")
    print("| payload | civiqr | " + " | ".join(peers) + " |")
    print("|---|---|" + "---|" * len(peers))
    worst = None
    for key, label in PAYLOADS:
        group = f"{kind}_{key}"
        ours = median_ns(group, "civiqr")
        cells = [label, fmt(ours)]
        for peer in peers:
            theirs = median_ns(group, peer)
            if ours and theirs:
                ratio = theirs / ours
                cells.append(f"{fmt(theirs)} ({ratio:.1f}x)")
                worst = ratio if worst is None else min(worst, ratio)
            else:
                cells.append(fmt(theirs))
        print("| " + " | ".join(cells) + " |")
    return worst


if not ROOT.exists():
    sys.exit("no criterion results: run `cargo bench -p civiqr-benches --bench encode` first")
w1 = table("matrix", ["fast_qr", "qrcodegen", "qrcode"])
w2 = table("svg", ["fast_qr", "qrcode"])
print(f"\nslowest ratio: matrix {w1 and round(w1, 1)}x, svg {w2 and round(w2, 1)}x (above 1 = civiqr faster)")
