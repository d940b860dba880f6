"""civiqr.batch: the same files, manifests and row errors as `civiqr batch`,
a report, a progress callback whose exception stops the run."""

from __future__ import annotations

import csv
import io
import os
import re
import subprocess
import threading

import pytest

import civiqr

ROWS = [
    {"id": "banc-0042", "type": "", "url": "https://example.org/b/42", "name": "", "iban": "",
     "amount": "", "text": "", "label": "Banc 42"},
    {"id": "meter-7", "type": "epc", "url": "", "name": "Tresor Public",
     "iban": "FR7630006000011234567890189", "amount": "2.40", "text": "Stationnement",
     "label": "Horodateur"},
    {"id": "bad-iban", "type": "epc", "url": "", "name": "A",
     "iban": "FR7630006000011234567890188", "amount": "", "text": "", "label": ""},
    {"id": "", "type": "", "url": "https://example.org/no-id", "name": "", "iban": "",
     "amount": "", "text": "", "label": ""},
    {"id": "banc-0042", "type": "", "url": "https://example.org/again", "name": "", "iban": "",
     "amount": "", "text": "", "label": ""},
    {"id": "=HYPERLINK(\"http://evil.example/\")", "type": "", "url": "https://example.org/f",
     "name": "", "iban": "", "amount": "", "text": "", "label": "Rue de l’Église – Cœur"},
    {"id": "n\x00l", "type": "", "url": "https://example.org/n", "name": "", "iban": "",
     "amount": "", "text": "", "label": ""},
]


def write_csv(path, rows):
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)


def cli():
    path = os.environ.get("CIVIQR_CLI")
    if not path:
        pytest.skip("CIVIQR_CLI not set: the CLI to compare with is needed")
    return path


def folder_bytes(folder):
    return {name: (folder / name).read_bytes() for name in sorted(os.listdir(folder))}


@pytest.mark.parametrize("given", ["path", "rows", "bytes"])
def test_same_files_manifest_and_row_errors_as_the_cli(tmp_path, given):
    table = tmp_path / "assets.csv"
    write_csv(table, ROWS)
    by_cli, by_py = tmp_path / "cli", tmp_path / "py"
    done = subprocess.run([cli(), "batch", table, "--out", by_cli, "--format", "svg,png,pdf",
                           "--sheet", "a4", "--ec", "Q"], capture_output=True, text=True)
    assert done.returncode == 1, done.stderr
    source = {"path": table, "rows": ROWS, "bytes": table.read_bytes()}[given]
    report = civiqr.batch(source, out=by_py, formats=["svg", "png", "pdf"], sheet="a4", ec="Q")
    assert folder_bytes(by_py) == folder_bytes(by_cli)
    assert report.rows_done == 3 and not report.ok
    # The row errors are those the CLI prints, by line, in the same words.
    printed = dict(re.findall(r"line (\d+): (.*)", done.stderr))
    for e in report.row_errors:
        assert printed[str(e.line)].startswith(e.problem), (e, printed)
    assert [e.line for e in report.row_errors] == [4, 5, 6, 8]
    assert [e.column for e in report.row_errors] == ["iban", "id", "id", "id"]
    if given == "path":
        assert report.row_errors[0].file == str(table)
        assert report.read_as.startswith("CSV")
    assert "U+0000" in report.row_errors[3].problem
    assert len(report.files_written) == 3 * 3 + 3  # three rows' files, two manifests, the sheet


def test_manifest_cells_are_spreadsheet_safe(tmp_path):
    civiqr.batch(ROWS[5:6], out=tmp_path, formats="svg")
    manifest = (tmp_path / "manifest.csv").read_text(encoding="utf-8")
    row = next(csv.reader(io.StringIO(manifest.splitlines()[1])))
    assert row[0] == "'=HYPERLINK(\"http://evil.example/\")"


def test_grade_records_each_rasters_grade_in_both_manifests(tmp_path):
    report = civiqr.batch(ROWS[:2], out=tmp_path, formats="svg", grade=True)
    assert report.warnings == []
    rows = list(csv.DictReader(io.StringIO((tmp_path / "manifest.csv").read_text("utf-8"))))
    assert [r["grade"] for r in rows] == ["4.0", "4.0"]
    import json
    entries = json.loads((tmp_path / "manifest.json").read_text("utf-8"))
    for e in entries:
        assert e["grade"]["overall"] == 4.0 and e["grade"]["letter"] == "A"
        assert all(p["grade"] == 4 for p in e["grade"]["parameters"].values())


def test_progress_is_called_with_done_total_failed(tmp_path):
    rows = [{"id": f"a{i}", "url": f"https://example.org/{i}"} for i in range(20)]
    seen = []
    threads = set()
    report = civiqr.batch(rows, out=tmp_path, formats="svg",
                          progress=lambda d, t, f: (seen.append((d, t, f)),
                                                    threads.add(threading.get_ident())))
    assert report.rows_done == 20
    assert seen[-1] == (20, 20, 0) and [d for d, _, _ in seen] == list(range(1, 21))
    assert threads == {threading.get_ident()}


def test_an_exception_in_progress_stops_the_run_and_is_raised(tmp_path):
    rows = [{"id": f"a{i}", "url": f"https://example.org/{i}"} for i in range(200)]

    class Enough(Exception):
        pass

    def progress(done, total, failed):
        if done == 5:
            raise Enough(done)

    with pytest.raises(Enough):
        civiqr.batch(rows, out=tmp_path, formats="svg", jobs=1, progress=progress)
    assert not (tmp_path / "manifest.csv").exists()
    written = [n for n in os.listdir(tmp_path) if n.endswith(".svg")]
    assert 5 <= len(written) < 200
    assert not [n for n in os.listdir(tmp_path) if n.startswith(".")]
    # The folder is free again and a rerun finishes the job.
    assert civiqr.batch(rows, out=tmp_path, formats="svg").rows_done == 200


def test_the_gil_is_released_while_rows_are_written(tmp_path):
    rows = [{"id": f"a{i}", "url": f"https://example.org/{i}"} for i in range(300)]
    ticks = []
    stop = threading.Event()

    def count():
        while not stop.is_set():
            ticks.append(1)
            stop.wait(0.001)

    t = threading.Thread(target=count)
    t.start()
    civiqr.batch(rows, out=tmp_path, formats="svg,png", jobs=1)
    stop.set()
    t.join()
    assert len(ticks) > 10


def test_whole_run_errors(tmp_path):
    with pytest.raises(FileNotFoundError):
        civiqr.batch(tmp_path / "missing.csv", out=tmp_path / "out")
    with pytest.raises(civiqr.BatchError, match="no id column"):
        civiqr.batch([{"name": "x"}], out=tmp_path / "out")
    with pytest.raises(civiqr.BatchError, match="does not fit"):
        civiqr.batch(ROWS[:1], out=tmp_path / "out", sheet="a4", size_mm=400)
    with pytest.raises(ValueError, match="formats"):
        civiqr.batch(ROWS[:1], out=tmp_path / "out", formats="txt")
    (tmp_path / "out2" / "manifest.csv" / "x").mkdir(parents=True)
    with pytest.raises(civiqr.BatchError, match="manifest.csv") as info:
        civiqr.batch(ROWS[:1], out=tmp_path / "out2", formats="svg")
    assert info.value.report.rows_done == 1


def test_a_busy_folder_is_refused(tmp_path):
    cli_path = cli()
    rows = "id,url\n" + "".join(f"a{i},https://example.org/{i}\n" for i in range(3000))
    table = tmp_path / "t.csv"
    table.write_text(rows)
    out = tmp_path / "out"
    out.mkdir()
    other = subprocess.Popen([cli_path, "batch", table, "--out", out, "--quiet"])
    try:
        while not (out / ".civiqr-batch.lock").exists() and other.poll() is None:
            pass
        if other.poll() is not None:
            pytest.skip("the CLI run finished before the Python one could start")
        with pytest.raises(civiqr.BatchError, match="another civiqr batch"):
            civiqr.batch(table, out=out)
    finally:
        other.wait()


def test_signed_rows_with_a_key_or_a_key_file(tmp_path):
    key = civiqr.SigningKey.generate("Ville de Saint-Omer")
    key_file = tmp_path / "town.key"
    key_file.write_text(key.to_key_file())
    key_file.chmod(0o600)  # a key others can read is refused, as OpenSSH does
    for given, out in [(key, tmp_path / "a"), (key_file, tmp_path / "b")]:
        report = civiqr.batch(ROWS[:1], out=out, formats="svg", sign_key=given)
        assert report.rows_done == 1
        assert key.key_id in (out / "manifest.csv").read_text(encoding="utf-8")
