"""The encoder against independent tools from PyPI: zxing-cpp's reader reads
every version and EC level back exactly; segno draws bit-identical symbols
for the same forced parameters; zxing-cpp's writer never needs a smaller
version; our SVG is smaller than segno's."""

from __future__ import annotations

import io
import random

import numpy as np
import pytest
import segno
import zxingcpp

import civiqr

LEVELS = ["L", "M", "Q", "H"]


def picture(code: civiqr.QrCode, scale: int = 2, quiet: int = 4) -> np.ndarray:
    dark = np.pad(np.array(code.matrix, dtype=bool), quiet, constant_values=False)
    return np.kron(np.where(dark, 0, 255).astype(np.uint8), np.ones((scale, scale), dtype=np.uint8))


@pytest.mark.parametrize("ec", LEVELS)
def test_every_version_reads_back_with_zxing_cpp(ec):
    rng = random.Random(ec)
    for version in range(1, 41):
        data = bytes(rng.randrange(256) for _ in range(version * 6))
        try:
            code = civiqr.encode(data, ec=ec, version=version)
        except civiqr.EncodeError:
            data = data[: version * 2]
            code = civiqr.encode(data, ec=ec, version=version)
        assert (code.version, code.ec) == (version, ec)
        found = zxingcpp.read_barcodes(picture(code), formats=zxingcpp.BarcodeFormat.QRCode)
        assert [r.bytes for r in found] == [data], f"version {version}-{ec}"


def test_matrices_match_segno_with_forced_parameters():
    rng = random.Random(7)
    for _ in range(200):
        version = rng.randrange(1, 41)
        ec = rng.choice(LEVELS)
        mask = rng.randrange(8)
        data = "".join(rng.choice("abcdefxyz-_/") for _ in range(rng.randrange(1, 1 + version * 4)))
        try:
            ours = civiqr.encode(data.encode(), ec=ec, version=version, mask=mask)
        except civiqr.EncodeError:
            continue
        theirs = segno.make(data, version=version, error=ec.lower(), mask=mask, mode="byte", boost_error=False)
        assert np.array_equal(np.array(ours.matrix, dtype=bool), np.array(theirs.matrix, dtype=bool)), (
            version, ec, mask, data)


def zxing_version(text: str, ec: str) -> int:
    b = zxingcpp.create_barcode(text, zxingcpp.BarcodeFormat.QRCode, ec_level=ec)
    size = np.array(zxingcpp.write_barcode_to_image(b, scale=1, add_quiet_zones=False)).shape[0]
    return (size - 17) // 4


def test_never_larger_than_zxing_cpp_writer():
    rng = random.Random(11)
    texts = [
        "https://example.org/mobilier/banc-0042",
        "https://example.org/pay?meter=000123456789012345&zone=B",
        "東京都千代田区丸の内一丁目 https://example.jp/map?id=1234567890123",
        "SMSTO:+33612345678:STATIONNEMENT 4521 ZONE B",
    ]
    for _ in range(300):
        parts = []
        for _ in range(rng.randrange(1, 8)):
            alphabet = rng.choice(["0123456789", "ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:", "abcdefghijklmnop?=&", "東京都駅前"])
            parts.append("".join(rng.choice(alphabet) for _ in range(rng.randrange(1, 60))))
        texts.append("".join(parts))
    smaller = 0
    for text in texts:
        for ec in LEVELS:
            ours = civiqr.encode(text, ec=ec).version
            theirs = zxing_version(text, ec)
            assert ours <= theirs, (text, ec, ours, theirs)
            smaller += ours < theirs
    print(f"civiqr smaller than zxing-cpp's writer on {smaller}/{len(texts) * 4}, never larger")


def test_svg_smaller_than_segno_at_version_40():
    rng = random.Random(40)
    data = bytes(rng.choice(b"abcdefghijklmnopqrstuvwxyz,.-_") for _ in range(2900))
    ours = civiqr.encode(data, ec="L").to_svg()
    buf = io.BytesIO()
    segno.make(data, version=40, error="l", mode="byte", boost_error=False).save(buf, kind="svg")
    assert civiqr.encode(data, ec="L").version == 40
    print(f"version-40 SVG: civiqr {len(ours)} bytes, segno {len(buf.getvalue())} bytes")
    assert len(ours) < len(buf.getvalue())
