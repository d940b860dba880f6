"""Times `civiqr batch` against the same job done with segno, in one run.

Makes a CSV of N street-furniture URLs (default 10,000), then runs, each into
a fresh folder: `civiqr batch --format svg,png` with --jobs 1 and with the
default (one worker per CPU), and scripts/bench_batch_segno.py (segno for the
symbols, zxing-cpp to re-read each PNG); then the idempotent rerun of each
(nothing changed, nothing rewritten). Prints wall time, peak memory (max RSS
of the process) and how many times slower the peer is, as a Markdown table.

usage: python3 scripts/bench-batch.py [N]   (run from the repository root,
needs `cargo build --release -p civiqr-cli` and .venv with segno, zxing-cpp, pillow)
"""

import os
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CIVIQR = os.path.join(ROOT, "target", "release", "civiqr")
PYTHON = os.path.join(ROOT, ".venv", "bin", "python")
SEGNO = os.path.join(ROOT, "scripts", "bench_batch_segno.py")


def run(cmd):
    """Wall seconds, CPU seconds (user + system) and peak RSS in MB of one
    command, which must succeed."""
    start = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(p.pid, 0)
    wall = time.perf_counter() - start
    err = p.stderr.read().decode(errors="replace")
    p.stderr.close()
    if status != 0:
        raise SystemExit("%s failed (%d): %s" % (cmd[0], status, err[-500:]))
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024.0


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    work = tempfile.mkdtemp(prefix="civiqr-bench-batch-")
    try:
        src = os.path.join(work, "assets.csv")
        with open(src, "w", encoding="utf-8") as f:
            f.write("id,url\n")
            kinds = ["banc", "arret", "horodateur", "fontaine", "panneau"]
            for i in range(n):
                k = kinds[i % len(kinds)]
                f.write("%s-%05d,https://example.org/mobilier/%s-%05d?src=qr\n" % (k, i, k, i))
        jobs = [
            ("civiqr batch --jobs 1", lambda out: [CIVIQR, "batch", src, "--out", out,
                                                     "--format", "svg,png", "--jobs", "1", "-q"]),
            ("civiqr batch (%d jobs)" % os.cpu_count(),
             lambda out: [CIVIQR, "batch", src, "--out", out, "--format", "svg,png", "-q"]),
            ("segno + zxing-cpp (Python)", lambda out: [PYTHON, SEGNO, src, out]),
        ]
        rows = []
        for name, cmd in jobs:
            out = os.path.join(work, "out-" + str(len(rows)))
            first = run(cmd(out))
            again = run(cmd(out))
            files = len(os.listdir(out))
            rows.append((name, first, again, files))
        peer_wall, peer_cpu = rows[-1][1][0], rows[-1][1][1]
        print("%d assets to SVG + PNG, verified, with manifest (%d CPUs):\n" % (n, os.cpu_count()))
        print("| tool | first run: wall | CPU (user + sys) | peak memory | rerun (no change) | files "
              "| peer / tool (wall) | peer / tool (CPU) |")
        print("|---|---|---|---|---|---|---|---|")
        for name, (wall, cpu, rss), (again, _, _), files in rows:
            print("| %s | %.2f s | %.2f s | %.0f MB | %.2f s | %d | %.1fx | %.1fx |" % (
                name, wall, cpu, rss, again, files, peer_wall / wall, peer_cpu / cpu))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
