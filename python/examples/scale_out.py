"""Make and read many QR codes across processes.

    python scale_out.py [COUNT] [OUTDIR] [--dask]

Generates COUNT signage codes (one PNG per street-furniture item) in OUTDIR
with a pool of worker processes, reads every file back in the pool, checks
that each decodes to its own URL, and prints the time of each step.

What crosses the process boundary is small and picklable: work items are
(id, directory) tuples; the workers write the PNGs themselves and return
(id, path, version); decoding returns civiqr.Decoded records (frozen
dataclasses). civiqr.QrCode objects pickle too (as their data and
version/EC/mask, rebuilt on arrival), but sending PNG files or bytes is
cheaper than rebuilding symbols in the parent.

`--dask` runs the same functions on a Dask local cluster (dask.distributed,
processes) instead of concurrent.futures.
"""

from __future__ import annotations

import concurrent.futures
import os
import pathlib
import sys
import time
from typing import Iterable, Optional

import civiqr

URL = "https://example.org/mobilier/{}"


def make_one(item: tuple[str, str]) -> tuple[str, str, int]:
    """Worker: encode one item's URL and write its PNG."""
    item_id, outdir = item
    code = civiqr.encode(URL.format(item_id), ec="Q")
    path = os.path.join(outdir, f"{item_id}.png")
    code.save(path, scale=6)
    return item_id, path, code.version


def read_one(path: str) -> tuple[str, list[civiqr.Decoded]]:
    """Worker: decode one file."""
    return path, civiqr.decode(path)


def make_chunk(items: list[tuple[str, str]]) -> list[tuple[str, str, int]]:
    return [make_one(item) for item in items]


def read_chunk(paths: list[str]) -> list[tuple[str, list[civiqr.Decoded]]]:
    return [read_one(path) for path in paths]


def chunks(seq: list, size: int) -> list[list]:
    return [seq[i:i + size] for i in range(0, len(seq), size)]


def item_ids(count: int) -> list[str]:
    return [f"banc-{i:06d}" for i in range(count)]


def run_pool(ids: Iterable[str], outdir: str, workers: Optional[int] = None,
             chunksize: int = 64) -> dict[str, list[civiqr.Decoded]]:
    """Generates and reads back with concurrent.futures; returns id -> results."""
    items = [(i, outdir) for i in ids]
    with concurrent.futures.ProcessPoolExecutor(workers) as pool:
        made = list(pool.map(make_one, items, chunksize=chunksize))
        read = list(pool.map(read_one, [path for _i, path, _v in made], chunksize=chunksize))
    return {pathlib.Path(path).stem: found for path, found in read}


def run_dask(ids: Iterable[str], outdir: str, workers: int = 2,
             chunk: int = 250) -> dict[str, list[civiqr.Decoded]]:
    """The same work on a Dask local cluster of worker processes, one task
    per chunk of items (a task per code would cost more in scheduling than
    the code itself)."""
    from dask.distributed import Client, LocalCluster

    items = [(i, outdir) for i in ids]
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster, Client(cluster) as client:
        made = [m for part in client.gather(client.map(make_chunk, chunks(items, chunk)))
                for m in part]
        paths = [path for _i, path, _v in made]
        read = [r for part in client.gather(client.map(read_chunk, chunks(paths, chunk)))
                for r in part]
    return {pathlib.Path(path).stem: found for path, found in read}


def check(results: dict[str, list[civiqr.Decoded]], ids: list[str]) -> None:
    """Every item decodes to exactly its own URL."""
    assert sorted(results) == sorted(ids)
    bad = [i for i in ids if [d.text for d in results[i]] != [URL.format(i)]]
    assert not bad, f"{len(bad)} codes did not read back, e.g. {bad[:3]}"


def main(argv: list[str]) -> None:
    use_dask = "--dask" in argv
    args = [a for a in argv if not a.startswith("--")]
    count = int(args[0]) if args else 2000
    outdir = args[1] if len(args) > 1 else "scale-out-codes"
    os.makedirs(outdir, exist_ok=True)
    ids = item_ids(count)

    t0 = time.perf_counter()
    for i in ids:  # one process, for comparison
        read_one(make_one((i, outdir))[1])
    one = time.perf_counter() - t0

    t0 = time.perf_counter()
    # (Dask's time includes starting and stopping its cluster, about a second.)
    results = run_dask(ids, outdir) if use_dask else run_pool(ids, outdir)
    many = time.perf_counter() - t0
    check(results, ids)
    engine = "Dask LocalCluster" if use_dask else "ProcessPoolExecutor"
    print(f"{count} codes made and read back: one process {one:.2f} s, "
          f"{engine} ({os.cpu_count()} CPUs) {many:.2f} s, all correct")


if __name__ == "__main__":
    main(sys.argv[1:])
