"""Times Python's civiqr.batch against `civiqr batch` on the same table and
checks that both write the same files, byte for byte.

Makes a CSV of N rows (default 10,000: street-furniture URLs, one bad row in
a thousand), then runs each, into a fresh folder, with --format svg,png and
the default workers, and with --jobs 1; best of 3 wall times (RUNS=N to change). Exits 1 when
the two folders differ.

usage: python3 scripts/bench-batch-python.py [N]   (from the repository root,
after `cargo build --release -p civiqr-cli`; the civiqr wheel importable by
the Python running it; CIVIQR_CLI overrides the CLI's path)
"""

import filecmp
import os
import shutil
import subprocess
import sys
import tempfile
import time

import civiqr

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RUNS = int(os.environ.get("RUNS", "3"))
CLI = os.environ.get("CIVIQR_CLI", os.path.join(ROOT, "target", "release", "civiqr"))


def table(path, n):
    with open(path, "w", encoding="utf-8") as f:
        f.write("id,url,label\n")
        for i in range(n):
            url = "not a url" if i % 1000 == 999 else f"https://ville.example/mobilier/{i}"
            f.write(f"banc-{i:05},{url},Banc {i}\n")


def best_of(runs, fn):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def same_folders(a, b):
    names = sorted(os.listdir(a))
    if names != sorted(os.listdir(b)):
        return False
    _, mismatch, errors = filecmp.cmpfiles(a, b, names, shallow=False)
    return not mismatch and not errors


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    work = tempfile.mkdtemp(prefix="civiqr-bench-py-")
    csv = os.path.join(work, "assets.csv")
    table(csv, n)
    print(f"| {n:,} rows, svg+png | CLI `civiqr batch` | Python `civiqr.batch` |")
    print("|---|---:|---:|")
    identical = True
    for jobs in (None, 1):
        outs = {}

        def cli():
            out = outs["cli"] = os.path.join(work, "cli")
            shutil.rmtree(out, ignore_errors=True)
            cmd = [CLI, "batch", csv, "--out", out, "--format", "svg,png", "--quiet"]
            cmd += ["--jobs", str(jobs)] if jobs else []
            if subprocess.run(cmd, stderr=subprocess.DEVNULL).returncode != 1:  # 1: bad rows
                raise SystemExit("the CLI run failed")

        def py():
            out = outs["py"] = os.path.join(work, "py")
            shutil.rmtree(out, ignore_errors=True)
            report = civiqr.batch(csv, out=out, formats="svg,png", jobs=jobs)
            assert report.rows_done == n - n // 1000, report.rows_done

        t_cli, t_py = best_of(RUNS, cli), best_of(RUNS, py)
        label = "default workers" if jobs is None else f"--jobs {jobs}"
        print(f"| {label} | {t_cli:.2f} s | {t_py:.2f} s |")
        identical &= same_folders(outs["cli"], outs["py"])
    print(f"\nsame files, byte for byte: {'yes' if identical else 'NO'}")
    shutil.rmtree(work, ignore_errors=True)
    sys.exit(0 if identical else 1)


if __name__ == "__main__":
    main()
