"""The peer of `civiqr batch` for scripts/bench-batch.py, with segno (PyPI).

Does the same work for a CSV with `id,url` columns: one SVG and one PNG per
row (EC level M, 8 px per module, 4-module quiet zone), the PNG re-read with
zxing-cpp and compared byte for byte, files written through a temporary file
and a rename only when they changed, manifest.csv and manifest.json with the
SHA-256 of each file.

usage: python bench_batch_segno.py ASSETS.csv OUTDIR
"""

import csv
import hashlib
import io
import json
import os
import re
import sys

import segno
import zxingcpp
from PIL import Image


def stem(id_):
    s = re.sub(r"[^A-Za-z0-9._-]", "_", id_)
    return s if s == id_ else s[:55] + "-" + hashlib.sha256(id_.encode()).hexdigest()[:8]


def write_if_changed(path, data):
    try:
        with open(path, "rb") as f:
            if f.read() == data:
                return False
    except FileNotFoundError:
        pass
    tmp = os.path.join(os.path.dirname(path), "." + os.path.basename(path) + ".tmp%d" % os.getpid())
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, path)
    return True


def main(src, out):
    os.makedirs(out, exist_ok=True)
    entries = []
    with open(src, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            data = row["url"]
            qr = segno.make(data, error="m", micro=False, boost_error=False)
            svg, png = io.BytesIO(), io.BytesIO()
            qr.save(svg, kind="svg", scale=8, border=4)
            qr.save(png, kind="png", scale=8, border=4)
            found = zxingcpp.read_barcodes(Image.open(io.BytesIO(png.getvalue())))
            if len(found) != 1 or found[0].bytes != data.encode():
                raise SystemExit("verification failed for %s" % row["id"])
            files = []
            for ext, buf in (("svg", svg), ("png", png)):
                name = "%s.%s" % (stem(row["id"]), ext)
                write_if_changed(os.path.join(out, name), buf.getvalue())
                files.append({"name": name, "sha256": hashlib.sha256(buf.getvalue()).hexdigest()})
            entries.append({
                "id": row["id"], "kind": "url", "payload": data, "version": qr.version,
                "ec": qr.error.upper(), "mask": qr.mask, "files": files, "verified": True,
            })
    lines = io.StringIO()
    w = csv.writer(lines, lineterminator="\r\n")
    w.writerow(["id", "kind", "payload", "version", "ec", "mask", "files", "sha256", "verified"])
    for e in entries:
        w.writerow([e["id"], e["kind"], e["payload"], e["version"], e["ec"], e["mask"],
                    ";".join(x["name"] for x in e["files"]),
                    ";".join(x["sha256"] for x in e["files"]), "true"])
    write_if_changed(os.path.join(out, "manifest.csv"), lines.getvalue().encode())
    write_if_changed(os.path.join(out, "manifest.json"), json.dumps(entries, indent=0).encode())


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
