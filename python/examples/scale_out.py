"""Make and read many QR codes across processes, and audit a folder of
field photos over Dask.

    python scale_out.py [COUNT] [OUTDIR] [--dask]
    python scale_out.py audit [COUNT] [OUTDIR] [--workers N]

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

`audit` makes COUNT photos of signs (most fine, some damaged, some not in
the manifest, a duplicate, an unreadable file) and a manifest in OUTDIR,
audits them in one process and on a Dask local cluster, checks that both
give the same rows, and prints photos per second. The Dask audit
(`audit_dask`) sends only file names through the scheduler: each worker
reads its photos itself and loads the manifest and trust list once; the
results (civiqr.PhotoAudit, frozen dataclasses) come back to the client,
where the duplicates are marked over all of them, as `civiqr audit` does.
On a real cluster the photos and the manifest must be at the same paths on
every worker (a shared file system), or read by the workers from object
storage as bytes (civiqr.audit_photo(data, manifest, name=key)).
"""

from __future__ import annotations

import concurrent.futures
import datetime
import functools
import os
import pathlib
import sys
import time
from typing import TYPE_CHECKING, Callable, Iterable, Optional

import civiqr

if TYPE_CHECKING:
    import distributed

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


# --- The field audit over Dask ---------------------------------------------

@functools.lru_cache(maxsize=4)
def _load_inputs(manifest_path: str, trust_paths: tuple[str, ...],
                 _stamps: tuple[tuple[int, int], ...]) -> tuple[civiqr.Manifest, Optional[civiqr.TrustList]]:
    trust = civiqr.load_trust(*trust_paths) if trust_paths else None
    return civiqr.Manifest.load(manifest_path), trust


def worker_inputs(manifest_path: str, trust_paths: tuple[str, ...] = ()
                  ) -> tuple[civiqr.Manifest, Optional[civiqr.TrustList]]:
    """The manifest and trust list, loaded once per worker process (cached by
    path, size and modification time, so a changed file is read again)."""
    stamps = tuple((s.st_size, s.st_mtime_ns) for s in map(os.stat, (manifest_path, *trust_paths)))
    return _load_inputs(manifest_path, trust_paths, stamps)


def audit_chunk(paths: list[str], manifest_path: str, trust_paths: tuple[str, ...],
                today: datetime.date) -> list[civiqr.PhotoAudit]:
    """Worker: audit photos that it reads itself (rows only, no pictures)."""
    manifest, trust = worker_inputs(manifest_path, trust_paths)
    return [civiqr.audit_photo(p, manifest, trust=trust, today=today) for p in paths]


def submit_audit(client: "distributed.Client", photos: list[str], manifest_path: str,
                 trust_paths: tuple[str, ...] = (), today: Optional[datetime.date] = None,
                 chunk: int = 64) -> list["distributed.Future[list[civiqr.PhotoAudit]]"]:
    """One task per chunk of photo paths; the date is fixed here so that every
    worker checks signatures as on the same day."""
    civiqr.Manifest.load(manifest_path)  # a broken manifest fails here, not on every worker
    today = today or datetime.datetime.now(datetime.timezone.utc).date()
    return client.map(audit_chunk, chunks(photos, chunk), manifest_path=manifest_path,
                      trust_paths=tuple(trust_paths), today=today)


def audit_dask(photos: list[str], manifest_path: str, trust_paths: tuple[str, ...] = (), *,
               today: Optional[datetime.date] = None, client: Optional["distributed.Client"] = None,
               workers: int = 2, chunk: int = 64) -> list[civiqr.PhotoAudit]:
    """Audit `photos` (paths, e.g. civiqr.list_photos(folder)) on `client`'s
    cluster, or on a local cluster of `workers` processes; duplicates are
    marked at the end over all photos. Write the files with
    civiqr.write_audit(result, csv=..., json=...)."""
    if client is None:
        from dask.distributed import Client, LocalCluster

        with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                          dashboard_address=None) as cluster, Client(cluster) as own:
            return audit_dask(photos, manifest_path, trust_paths, today=today, client=own,
                              chunk=chunk)
    futures = submit_audit(client, photos, manifest_path, trust_paths, today, chunk)
    return civiqr.mark_duplicates(p for part in client.gather(futures) for p in part)


def field_photo(code: civiqr.QrCode, path: str, flips: Iterable[tuple[int, int]] = (),
                scale: int = 5, seed: int = 0) -> None:
    """A photo-like JPEG of a sign: the code (with `flips` modules of the wrong
    colour) printed grey on light grey, on a larger noisy background."""
    import numpy as np
    from PIL import Image

    matrix = np.array(code.matrix, dtype=bool)
    for x, y in flips:
        matrix[y, x] = not matrix[y, x]
    sign = np.kron(np.pad(np.where(matrix, 45, 205), 4, constant_values=205),
                   np.ones((scale, scale)))
    rng = np.random.default_rng(seed)
    photo = rng.normal(120, 12, (480, 640))
    top, left = rng.integers(10, 480 - sign.shape[0] - 10), rng.integers(10, 640 - sign.shape[1] - 10)
    photo[top:top + sign.shape[0], left:left + sign.shape[1]] = sign + rng.normal(0, 6, sign.shape)
    Image.fromarray(photo.clip(0, 255).astype(np.uint8)).save(path, quality=90)


def make_field_photos(outdir: str, count: int) -> str:
    """COUNT photos of signs in OUTDIR/photos and their manifest; returns the
    manifest's path. Every 10th sign has a damaged patch, every 25th photo a
    code not in the manifest, every 50th a second photo of the previous sign,
    and one file is not an image."""
    os.makedirs(os.path.join(outdir, "photos"), exist_ok=True)
    lines = ["id,payload"]
    for n, item in enumerate(item_ids(count)):
        url = URL.format(item)
        if n % 50 == 49:
            url = URL.format(item_ids(count)[n - 1])
        elif n % 25 == 12:
            url = URL.format(f"x{n}").replace("example.org", "example.net")
        else:
            lines.append(f"{item},{url}")
        flips = [(10 + i, 12 + j) for i in range(3) for j in range(3)] if n % 10 == 9 else []
        field_photo(civiqr.encode(url, ec="M"), os.path.join(outdir, "photos", f"{item}.jpg"),
                    flips, seed=n)
    with open(os.path.join(outdir, "photos", "broken.jpg"), "wb") as f:
        f.write(b"not a photo")
    manifest = os.path.join(outdir, "manifest.csv")
    with open(manifest, "w", newline="") as f:
        f.write("\r\n".join(lines) + "\r\n")
    return manifest


def audit_main(args: list[str], workers: int) -> None:
    count = int(args[0]) if args else 400
    outdir = args[1] if len(args) > 1 else "scale-out-audit"
    manifest = make_field_photos(outdir, count)
    photos = civiqr.list_photos(os.path.join(outdir, "photos"))
    today = datetime.date(2026, 12, 3)

    def timed(run: Callable[[], list[civiqr.PhotoAudit]]) -> tuple[list[civiqr.PhotoAudit], float]:
        t0 = time.perf_counter()
        photos_done = run()
        return photos_done, len(photos) / (time.perf_counter() - t0)

    one, one_rate = timed(lambda: civiqr.audit(photos, manifest=manifest, today=today,
                                               jobs=1).photos)
    threads, threads_rate = timed(lambda: civiqr.audit(photos, manifest=manifest, today=today,
                                                       jobs=workers).photos)
    # (Dask's time includes starting and stopping its cluster.)
    many, dask_rate = timed(lambda: audit_dask(photos, manifest, today=today, workers=workers))
    assert civiqr.audit_csv(one) == civiqr.audit_csv(many) == civiqr.audit_csv(threads)
    s = civiqr.AuditSummary.of(many)
    print(f"{len(photos)} photos ({s.ok} ok, {s.watch} watch, {s.replace} replace, "
          f"{s.unreadable} unreadable, {s.unknown} unknown, {s.duplicate} duplicate), "
          f"photos/s: one thread {one_rate:.1f}, one process {workers} threads "
          f"{threads_rate:.1f}, Dask LocalCluster {workers} workers {dask_rate:.1f}; same rows")


def main(argv: list[str]) -> None:
    if argv[:1] == ["audit"]:
        args, workers, rest = [], 2, iter(argv[1:])
        for a in rest:
            if a == "--workers":
                workers = int(next(rest))
            else:
                args.append(a)
        audit_main(args, workers)
        return
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
