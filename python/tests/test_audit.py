"""civiqr.audit: a folder of sign photos in known states gives the statuses
those states call for, the same files as `civiqr audit` byte for byte (in one
process and over a Dask local cluster, where only paths cross the
scheduler), results that pickle, and typed errors for a bad manifest."""

from __future__ import annotations

import datetime
import importlib.util
import os
import pathlib
import pickle
import subprocess
import sys

import pytest

import civiqr

EXAMPLES = pathlib.Path(__file__).resolve().parents[1] / "examples"
TODAY = datetime.date(2026, 12, 3)
URL = "https://example.org/sign/{}"
# A 5x5 patch of wrong modules: a third of a version 3-M block's correction.
PATCH = [(10 + i, 12 + j) for i in range(5) for j in range(5)]

# Each photo's file (under the photo folder) and the status it must get.
EXPECTED = {
    "a1.jpg": "ok",
    "a2-damaged.jpg": "replace",
    "a3.jpg": "ok",
    "a3-again.jpg": "duplicate",
    "a4-signed.jpg": "ok",
    "a5-forged.jpg": "bad_signature",
    "blank.png": "unreadable",
    "broken.jpg": "unreadable",
    "day2/a1-later.jpg": "duplicate",
    "sticker.jpg": "unknown",
}


@pytest.fixture(scope="module")
def example():
    sys.path.insert(0, str(EXAMPLES))
    try:
        import scale_out

        yield scale_out
    finally:
        sys.path.remove(str(EXAMPLES))


@pytest.fixture(scope="module")
def field(example, tmp_path_factory):
    """Photos of signs in known states, their manifest and a trust file."""
    from PIL import Image

    root = tmp_path_factory.mktemp("field")
    photos = root / "photos"
    (photos / "day2").mkdir(parents=True)
    town = civiqr.SigningKey.from_seed(bytes(range(32)), "Town")
    forger = civiqr.SigningKey.from_seed(bytes(range(1, 33)), "Town")
    payloads = {f"A{i}": URL.format(f"A{i}") for i in (1, 2, 3)}
    payloads["A4"] = civiqr.sign(URL.format("A4"), town)
    forged = civiqr.sign(URL.format("A5"), forger)
    payloads["A5"] = civiqr.sign(URL.format("A5"), town)
    shots = [("a1.jpg", payloads["A1"], []), ("a2-damaged.jpg", payloads["A2"], PATCH),
             ("a3.jpg", payloads["A3"], []), ("a3-again.jpg", payloads["A3"], PATCH[:2]),
             ("a4-signed.jpg", payloads["A4"], []), ("a5-forged.jpg", forged, []),
             ("day2/a1-later.jpg", payloads["A1"], PATCH[:3]),
             ("sticker.jpg", "https://example.net/pay-here", [])]
    for n, (name, text, flips) in enumerate(shots):
        example.field_photo(civiqr.encode(text, ec="M", version=None), str(photos / name),
                            flips, seed=n)
    Image.new("L", (200, 150), 255).save(photos / "blank.png")
    (photos / "broken.jpg").write_bytes(b"\xff\xd8 not really a JPEG")
    (photos / ".hidden.jpg").write_bytes(b"skipped: hidden")
    (photos / "notes.txt").write_text("skipped: not an image extension")
    manifest = root / "manifest.csv"
    rows = ["id,payload,key_id"] + [
        f"{i},{p},{town.key_id if i in ('A4', 'A5') else ''}" for i, p in payloads.items()]
    manifest.write_bytes(("\r\n".join(rows) + "\r\n").encode())
    trust = root / "town.trust.json"
    trust.write_text(civiqr.TrustList().with_key(town).to_json())
    return root, photos, manifest, trust


def cli_audit(field, out: pathlib.Path) -> None:
    """`civiqr audit` on the photo folder, writing out/cli.{csv,json,html}."""
    cli = os.environ.get("CIVIQR_CLI")
    if not cli:
        pytest.skip("CIVIQR_CLI (the civiqr binary, as scripts/test.sh sets it) not given")
    root, photos, manifest, trust = field
    run = subprocess.run(
        [cli, "audit", str(photos), "--manifest", str(manifest), "--trust", str(trust),
         "--report", str(out / "cli.html"), "--csv", str(out / "cli.csv"),
         "--json", str(out / "cli.json"), "--today", TODAY.isoformat(), "--quiet"],
        capture_output=True, text=True)
    assert run.returncode == 1, run.stderr  # 1: something needs attention


def statuses(photos, folder) -> dict[str, str]:
    return {os.path.relpath(r.file, folder): r.status for r in civiqr.audit_rows(photos)}


def test_known_states_and_the_cli_files(field, tmp_path):
    root, photos, manifest, trust = field
    seen = []
    result = civiqr.audit(photos, manifest=manifest, trust=trust, today=TODAY,
                          report=tmp_path / "py.html", csv=tmp_path / "py.csv",
                          json=tmp_path / "py.json", jobs=2,
                          progress=lambda done, total, bad: seen.append((done, total, bad)))
    assert statuses(result.photos, photos) == EXPECTED
    assert seen[-1] == (10, 10, 2) and len(seen) == 10
    s = result.summary
    assert (s.photos, s.codes, s.ok, s.replace, s.unreadable, s.unknown, s.bad_signature,
            s.duplicate, s.suspect, s.needs_attention) == (10, 8, 3, 1, 2, 1, 1, 2, 2, True)
    rows = {os.path.relpath(r.file, photos): r for r in result.rows}
    assert rows["a4-signed.jpg"].signature == "valid"
    assert rows["a5-forged.jpg"].signature == "unknown_key"
    assert rows["a2-damaged.jpg"].ec_used >= 0.5 and rows["a2-damaged.jpg"].wrong_modules >= 20
    assert rows["a3.jpg"].id == rows["a3-again.jpg"].id == "A3"
    assert "also seen in" in rows["a3-again.jpg"].reason
    assert rows["broken.jpg"].reason.startswith("cannot read the photo")
    # The report has pictures; the same bytes as the CLI's three files.
    assert all(p.thumbnail for p in result.photos if p.error is None)
    cli_audit(field, tmp_path)
    for ext in ("csv", "json", "html"):
        py, cli = (tmp_path / f"py.{ext}").read_bytes(), (tmp_path / f"cli.{ext}").read_bytes()
        assert py == cli, ext
    assert civiqr.audit_csv(result.photos).encode() == (tmp_path / "cli.csv").read_bytes()


def test_photo_by_photo_pickles_and_marks_duplicates_at_the_end(field):
    root, photos, manifest, trust = field
    m, t = civiqr.Manifest.load(manifest), civiqr.load_trust(trust)
    files = civiqr.list_photos(photos)
    assert [os.path.relpath(f, photos) for f in files] == sorted(
        EXPECTED, key=lambda f: pathlib.PurePath(f).parts)
    one = [civiqr.audit_photo(f, m, trust=t, today=TODAY) for f in files]
    assert all(p.thumbnail is None for p in one)  # rows only unless pictures=True
    assert "duplicate" not in statuses(one, photos).values()
    marked = civiqr.mark_duplicates(one)
    assert statuses(marked, photos) == EXPECTED
    for value in (marked, m, t, civiqr.AuditSummary.of(marked), civiqr.Thresholds()):
        assert pickle.loads(pickle.dumps(value)) == value or isinstance(value, civiqr.TrustList)
    back = pickle.loads(pickle.dumps(t))
    assert back.key_ids == t.key_ids and back.to_json() == t.to_json()
    assert pickle.loads(pickle.dumps(m)).find(URL.format("A1")) == "A1"
    # From bytes, named as asked; the same row as from the path.
    data = (photos / "a1.jpg").read_bytes()
    by_bytes = civiqr.audit_photo(data, m, trust=t, today=TODAY, name=files[0])
    assert by_bytes == one[0]


def test_thresholds_move_the_status(field):
    root, photos, manifest, _ = field
    m = civiqr.Manifest.load(manifest)
    lenient = civiqr.Thresholds(watch_ec_used=0.9, replace_ec_used=1.0, ok_min_grade=1)
    p = civiqr.audit_photo(photos / "a2-damaged.jpg", m, today=TODAY, thresholds=lenient)
    assert p.rows[0].status in ("ok", "watch") and p.rows[0].status != "replace"
    with pytest.raises(civiqr.AuditError, match="replace"):
        civiqr.Thresholds(watch_ec_used=0.6, replace_ec_used=0.5)
    with pytest.raises(civiqr.AuditError):
        civiqr.Thresholds(ok_min_grade=7)
    with pytest.raises(TypeError):
        civiqr.Thresholds(ok_min_grade="B")  # type: ignore[arg-type]


def test_bad_photos_are_rows_and_bad_manifests_are_typed_errors(field, tmp_path):
    root, photos, manifest, _ = field
    m = civiqr.Manifest.load(manifest)
    assert len(m) == 5 and m.ids == ["A1", "A2", "A3", "A4", "A5"]
    missing = civiqr.audit_photo(tmp_path / "gone.jpg", m, today=TODAY)
    assert missing.error and missing.rows[0].status == "unreadable"
    assert civiqr.audit_photo(b"", m, today=TODAY).rows[0].status == "unreadable"
    with pytest.raises(FileNotFoundError) as e:
        civiqr.Manifest.load(tmp_path / "none.csv")
    assert e.value.filename == str(tmp_path / "none.csv")
    bad = tmp_path / "bad.csv"
    bad.write_text("id,url\nA1,https://example.org/\n")
    with pytest.raises(civiqr.ManifestError) as e:
        civiqr.Manifest.load(bad)
    assert (e.value.file, e.value.line) == (str(bad), 1) and "payload" in str(e.value)
    assert str(bad) in str(e.value)
    bad.write_text('id,payload\nA1,x\n"A2,y\n')
    with pytest.raises(civiqr.ManifestError) as e:
        civiqr.Manifest.load(bad)
    # The line core names (its numbering is core's), as an attribute and in the message.
    assert e.value.line >= 2 and isinstance(e.value, ValueError)
    assert str(e.value).startswith(f"{bad}: line {e.value.line}: ")
    err = pickle.loads(pickle.dumps(e.value))
    assert (err.file, err.line, str(err)) == (e.value.file, e.value.line, str(e.value))
    with pytest.raises(civiqr.ManifestError) as e:
        civiqr.Manifest.from_json('[{"id": "A1"}]', name="m.json")
    assert e.value.file == "m.json" and e.value.line == 1
    with pytest.raises(TypeError):
        civiqr.audit_photo(photos / "a1.jpg", str(manifest), today=TODAY)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        civiqr.mark_duplicates(["a1.jpg"])  # type: ignore[list-item]
    # Data that is not an audit's is refused with the photo's index.
    p = civiqr.audit_photo(photos / "a1.jpg", m, today=TODAY)
    odd = civiqr.PhotoAudit(p.file, None, None, (civiqr.CodeAudit(
        civiqr.AuditRow(**{**vars(p.codes[0].row), "status": "great"})),))
    with pytest.raises(ValueError, match=r"photos\[1\]"):
        civiqr.audit_csv([p, odd])


@pytest.mark.skipif(importlib.util.find_spec("distributed") is None,
                    reason="dask.distributed not installed")
def test_dask_audit_gives_the_cli_rows_and_ships_only_paths(example, field, tmp_path):
    from dask.distributed import Client, LocalCluster, wait

    root, photos, manifest, trust = field
    files = civiqr.list_photos(photos)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster, Client(cluster) as client:
        futures = example.submit_audit(client, files, str(manifest), (str(trust),), TODAY, chunk=3)
        wait(futures)
        specs = client.run_on_scheduler(_task_specs)
        done = example.audit_dask(files, str(manifest), (str(trust),), today=TODAY, client=client,
                                  chunk=2)
        loads = {w: info.misses for w, info in client.run(example._load_inputs.cache_info).items()}
    # Four tasks of paths (and the manifest's and trust file's names, the date).
    assert len(specs) == 4 and all(name.startswith("audit_chunk") for name, _ in specs)
    leaves = [leaf for _, spec in specs for leaf in spec]
    assert all(isinstance(x, (str, datetime.date)) for x in leaves), leaves
    assert sorted(x for x in leaves if isinstance(x, str) and x in files) == sorted(files)
    # Each worker read the manifest and trust file once, however many tasks it ran.
    assert sorted(loads.values()) in ([1, 1], [0, 1])
    assert statuses(done, photos) == EXPECTED
    assert pickle.loads(pickle.dumps(done)) == done
    cli_audit(field, tmp_path)
    assert civiqr.audit_csv(done).encode() == (tmp_path / "cli.csv").read_bytes()
    assert civiqr.audit_json(done).encode() == (tmp_path / "cli.json").read_bytes()


def _task_specs(dask_scheduler) -> list[tuple[str, list]]:
    """Each task's name and the leaves of its arguments, as the scheduler holds them."""
    def leaves(x):
        if isinstance(x, (list, tuple)):
            return [y for item in x for y in leaves(item)]
        if isinstance(x, dict):
            return [y for item in x.values() for y in leaves(item)]
        return [x]

    return [(str(key), leaves((ts.run_spec.args, ts.run_spec.kwargs)))
            for key, ts in dask_scheduler.tasks.items()]
