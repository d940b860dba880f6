"""The package as installed: where it comes from, its public names, the
exception hierarchy, the stubs (mypy.stubtest), and that no input makes the
compiled module panic into Python."""

from __future__ import annotations

import importlib.util
import pathlib
import random
import subprocess
import sys

import numpy as np
import pytest

import civiqr
from civiqr import payload as P


def test_installed_from_a_wheel_not_the_source_tree():
    here = pathlib.Path(civiqr.__file__).resolve()
    assert "site-packages" in here.parts, here
    assert (here.parent / "py.typed").exists() and (here.parent / "_civiqr.pyi").exists()


def test_public_names():
    assert set(civiqr.__all__) == {
        "CiviqrError", "DecodeError", "Decoded", "EncodeError", "PayloadError", "QrCode",
        "RenderError", "SignError", "SigningKey", "TrustError", "TrustList", "Verification",
        "decode", "encode", "Grade", "grade", "load_key", "load_trust", "payload", "sign",
        "verify", "BatchError", "BatchReport", "RowError", "batch", "AuditError", "AuditResult",
        "AuditRow", "AuditSummary", "CodeAudit", "Manifest", "ManifestError", "PhotoAudit",
        "Thresholds", "audit", "audit_csv", "audit_html", "audit_json", "audit_photo", "audit_rows",
        "list_photos", "mark_duplicates", "write_audit", "VideoDecoder",
    }
    assert civiqr.QrCode.__module__ == "civiqr"
    # The wheel's version is the Cargo workspace's.
    cargo = (pathlib.Path(__file__).resolve().parents[2] / "Cargo.toml").read_text()
    assert f'version = "{civiqr.__version__}"' in cargo


def test_error_hierarchy():
    for cls in (civiqr.EncodeError, civiqr.DecodeError, civiqr.RenderError, civiqr.PayloadError,
                civiqr.SignError, civiqr.TrustError, civiqr.AuditError, civiqr.ManifestError):
        assert issubclass(cls, civiqr.CiviqrError) and issubclass(cls, ValueError)
        assert cls.__module__ == "civiqr"
    assert not issubclass(civiqr.CiviqrError, ValueError)


@pytest.mark.skipif(importlib.util.find_spec("mypy") is None, reason="mypy not installed")
def test_stubs_match_the_module():
    out = subprocess.run([sys.executable, "-m", "mypy.stubtest", "civiqr"],
                         capture_output=True, text=True, cwd="/")
    assert out.returncode == 0, out.stdout + out.stderr


@pytest.mark.skipif(importlib.util.find_spec("mypy") is None, reason="mypy not installed")
def test_package_passes_mypy_strict():
    out = subprocess.run([sys.executable, "-m", "mypy", "--strict", "--no-incremental", "-p", "civiqr"],
                         capture_output=True, text=True, cwd="/")
    assert out.returncode == 0, out.stdout + out.stderr


@pytest.mark.skipif(importlib.util.find_spec("mypy") is None, reason="mypy not installed")
def test_typed_usage_checks(tmp_path):
    script = tmp_path / "use.py"
    script.write_text(
        "import civiqr\n"
        "from civiqr import payload\n"
        "code: civiqr.QrCode = civiqr.encode('x', ec='Q', version=2)\n"
        "n: int = code.size + code.version + code.mask\n"
        "svg: str = code.to_svg(scale=2, dark=(0, 0, 0))\n"
        "png: bytes = code.to_png(size_mm=20.0)\n"
        "code.save('x.pdf', quiet_zone=2)\n"
        "found: list[civiqr.Decoded] = civiqr.decode(png)\n"
        "texts = [d.text for d in found if d.ec == 'Q']\n"
        "w: payload.Payload = payload.parse('WIFI:S:x;;')\n"
        "s: str = payload.Wifi('x', password='12345678').encode().to_svg()\n"
        "g: payload.Geo = payload.Geo.parse('geo:1,2')\n"
        "lat: float = g.lat\n"
        "m = civiqr.Manifest.load('manifest.csv')\n"
        "p: civiqr.PhotoAudit = civiqr.audit_photo('sign.jpg', m, thresholds=civiqr.Thresholds())\n"
        "rows: list[civiqr.AuditRow] = civiqr.mark_duplicates([p])[0].rows\n"
        "r: civiqr.AuditResult = civiqr.audit(['photos'], manifest=m, csv='a.csv', jobs=2)\n"
        "bad: int = r.summary.suspect + len(civiqr.audit_csv(r.photos))\n"
    )
    out = subprocess.run([sys.executable, "-m", "mypy", "--strict", "--no-incremental", str(script)],
                         capture_output=True, text=True, cwd=tmp_path)
    assert out.returncode == 0, out.stdout + out.stderr


def test_random_input_never_panics():
    """Every entry point, fed random values, returns or raises an Exception
    (never pyo3's PanicException, which is a BaseException)."""
    rng = random.Random(2026)
    code = civiqr.encode("x")
    manifest = civiqr.Manifest.from_csv("id,payload\nA1,x\n")

    def junk():
        return rng.choice([
            None, True, -1, 0, 2**70, 1.5, float("nan"), "", "L", "é" * rng.randrange(5000),
            bytes(rng.randrange(256) for _ in range(rng.randrange(3000))), (1, 2, 3, 4, 5), [1],
            "#ff000080", "transparent", rng.randrange(-5, 50),
        ])

    calls = [
        lambda: civiqr.encode(junk(), ec=junk(), version=junk(), mask=junk()),
        lambda: civiqr.encode(junk(), boost_ec=junk()),
        lambda: code.to_png(scale=junk(), quiet_zone=junk(), dark=junk()),
        lambda: code.to_pdf(size_mm=junk(), dpi=junk(), light=junk()),
        lambda: code.to_eps(scale=junk()),
        lambda: code.to_text(quiet_zone=junk()),
        lambda: civiqr.decode(junk()),
        lambda: civiqr.decode(np.frombuffer(bytes(rng.randrange(256) for _ in range(400)),
                                            dtype=np.uint8).reshape(20, 20)),
        lambda: P.parse(junk()),
        lambda: P.from_fields(rng.choice(P.KINDS), {"name": junk(), "iban": junk(), "ssid": junk()}),
        lambda: P.Epc(junk(), junk(), amount=junk()),
        lambda: P.Geo(junk(), junk(), alt=junk()),
        lambda: P.Wifi(junk(), password=junk(), auth=junk()),
        lambda: civiqr.audit_photo(junk(), manifest, pictures=rng.random() < 0.5),
        lambda: civiqr.Manifest.from_csv(junk()),
        lambda: civiqr.Manifest.from_json(junk()),
        lambda: civiqr._civiqr._audit_text([{"file": junk(), "error": junk(), "thumbnail": junk(),
                                            "codes": [{"row": {"file": junk(), "status": junk()},
                                                       "picture": junk()}]}], junk()),
        lambda: civiqr._civiqr._mark_duplicates(junk()),
    ]
    for _ in range(600):
        try:
            rng.choice(calls)()
        except Exception:
            pass
