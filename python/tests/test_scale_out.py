"""The scale-out example (python/examples/scale_out.py): work split over
processes with concurrent.futures (and Dask when installed) gives every
code back, and what crosses the process boundary pickles."""

from __future__ import annotations

import concurrent.futures
import importlib.util
import pathlib
import sys

import pytest

import civiqr

EXAMPLE = pathlib.Path(__file__).resolve().parents[1] / "examples" / "scale_out.py"


@pytest.fixture(scope="module")
def example():
    # Imported by name (not from a file spec) so that worker processes can
    # unpickle references to its functions.
    sys.path.insert(0, str(EXAMPLE.parent))
    try:
        yield importlib.import_module("scale_out")
    finally:
        sys.path.remove(str(EXAMPLE.parent))


def test_process_pool_makes_and_reads_every_code(example, tmp_path):
    ids = example.item_ids(300)
    results = example.run_pool(ids, str(tmp_path), workers=2, chunksize=16)
    example.check(results, ids)
    assert len(list(tmp_path.glob("*.png"))) == 300
    d = results[ids[7]][0]
    assert isinstance(d, civiqr.Decoded) and d.ec == "Q"


def test_symbols_and_errors_cross_processes(example):
    with concurrent.futures.ProcessPoolExecutor(2) as pool:
        codes = list(pool.map(civiqr.encode, ["a", "b", b"\x00bytes"]))
        assert codes == [civiqr.encode("a"), civiqr.encode("b"), civiqr.encode(b"\x00bytes")]
        with pytest.raises(civiqr.EncodeError):
            pool.submit(civiqr.encode, "9" * 9000).result()
        with pytest.raises(civiqr.PayloadError) as e:
            pool.submit(civiqr.payload.Geo, 99, 0).result()
        assert e.value.field == "lat"


@pytest.mark.skipif(importlib.util.find_spec("distributed") is None, reason="dask.distributed not installed")
def test_dask_local_cluster(example, tmp_path):
    ids = example.item_ids(200)
    results = example.run_dask(ids, str(tmp_path), workers=2, chunk=50)
    example.check(results, ids)
