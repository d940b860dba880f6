"""civiqr.encode as Python callers use it, checked against zxing-cpp's reader."""

from __future__ import annotations

import doctest

import numpy as np
import pytest
import zxingcpp

import civiqr

URL = "https://example.org/mobilier/banc-0042"


def to_image(code: civiqr.QrCode, scale: int = 4, quiet: int = 4) -> np.ndarray:
    """Black-on-white 8-bit picture of the matrix with a quiet zone."""
    dark = np.array(code.matrix, dtype=bool)
    assert dark.shape == (code.size, code.size)
    dark = np.pad(dark, quiet, constant_values=False)
    pixels = np.where(dark, 0, 255).astype(np.uint8)
    return np.kron(pixels, np.ones((scale, scale), dtype=np.uint8))


def read_one(code: civiqr.QrCode) -> zxingcpp.Barcode:
    results = zxingcpp.read_barcodes(to_image(code))
    assert len(results) == 1, f"zxing-cpp found {len(results)} symbols"
    assert results[0].format == zxingcpp.BarcodeFormat.QRCode
    return results[0]


def test_url_round_trips_through_zxing():
    code = civiqr.encode(URL)
    assert (code.version, code.ec, code.size) == (3, "M", 29)
    assert 0 <= code.mask <= 7
    assert read_one(code).text == URL


def test_bytes_round_trip_exactly():
    data = bytes(range(256))[::3] + b"\x00\xff\xfe"
    result = read_one(civiqr.encode(data, ec="L"))
    assert result.bytes == data


@pytest.mark.parametrize("ec", ["L", "M", "Q", "H"])
def test_forced_options_are_honoured(ec):
    code = civiqr.encode("CIVIQR 2026", ec=ec.lower(), version=5, mask=6)
    assert (code.version, code.ec, code.mask, code.size) == (5, ec, 6, 37)
    assert read_one(code).text == "CIVIQR 2026"


def test_boost_ec_raises_level_within_version():
    plain = civiqr.encode("12345", ec="L")
    boosted = civiqr.encode("12345", ec="L", boost_ec=True)
    assert plain.version == boosted.version == 1
    assert (plain.ec, boosted.ec) == ("L", "H")


def test_svg_draws_the_modules():
    svg = civiqr.encode(URL).to_svg()
    assert "<svg" in svg and "<path" in svg


def test_repr_names_the_parameters():
    code = civiqr.encode(URL, mask=2)
    assert repr(code) == f"QrCode(version=3, ec='M', mask=2, size=29, data=\"{URL}\")"
    assert repr(civiqr.encode(b"\x00\x01")).endswith("data=<2 bytes>)")
    assert repr(civiqr.encode("x" * 100)).endswith("data=\"" + "x" * 40 + "…\")")


def test_too_long_data_is_an_encode_error():
    with pytest.raises(civiqr.EncodeError, match="data too long") as info:
        civiqr.encode("7" * 8000)
    # Callers may catch it as either base class.
    assert isinstance(info.value, civiqr.CiviqrError)
    assert isinstance(info.value, ValueError)


@pytest.mark.parametrize(
    "options, message",
    [
        ({"ec": "X"}, "error-correction level"),
        ({"version": 41}, "version 41"),
        ({"version": 0}, "version 0"),
        ({"version": -3}, "invalid version"),
        ({"version": 10**30}, "invalid version"),
        ({"version": 300}, "version 300"),
        ({"mask": -1}, "invalid mask -1"),
        ({"mask": 8}, "mask 8"),
        ({"version": 1, "ec": "H"}, "data too long"),
    ],
)
def test_bad_options_are_encode_errors(options, message):
    with pytest.raises(civiqr.EncodeError, match=message):
        civiqr.encode("HELLO WORLD 0123456789", **options)


@pytest.mark.parametrize(
    "args, kwargs",
    [
        ((42,), {}),
        ((None,), {}),
        ((bytearray(b"x"),), {}),
        (("x",), {"ec": 1}),
        (("x",), {"version": "3"}),
        (("x",), {"version": True}),
        (("x",), {"mask": 2.0}),
        (("x",), {"boost_ec": "yes"}),
        (("x", "M"), {}),
    ],
)
def test_wrong_types_are_type_errors(args, kwargs):
    with pytest.raises(TypeError):
        civiqr.encode(*args, **kwargs)


def test_package_docstring_example():
    failures, tried = doctest.testmod(civiqr)
    assert tried > 0 and failures == 0


def test_micro_qr_and_rmqr_are_written_and_pickle():
    import pickle

    import zxingcpp

    micro = civiqr.encode("BANC 42", symbol="micro")
    assert (micro.symbology, micro.version_name, micro.size) == ("micro", "M3", 15)
    assert micro.version == 3  # the same number as the CLI's JSON and JavaScript
    strip = civiqr.encode("https://example.org/lamp/17", symbol="rmqr", max_height=9, ec="H")
    assert strip.symbology == "rmqr" and strip.version_name.startswith(("R7x", "R9x"))
    assert strip.matrix.shape[0] <= 9 < strip.matrix.shape[1]
    forced = civiqr.encode("12", symbol="rmqr", version="R11x27")
    assert (forced.version_name, forced.version) == ("R11x27", 11)
    for code, fmt, text in [(micro, zxingcpp.BarcodeFormat.MicroQRCode, "BANC 42"),
                            (strip, zxingcpp.BarcodeFormat.RMQRCode, "https://example.org/lamp/17")]:
        img = np.kron(np.pad(np.where(code.matrix, 0, 255).astype(np.uint8), 2, constant_values=255),
                      np.ones((4, 4), dtype=np.uint8))
        assert [r.text for r in zxingcpp.read_barcodes(img, formats=fmt)] == [text]
        assert pickle.loads(pickle.dumps(code)) == code
    with pytest.raises(civiqr.EncodeError, match="no error-correction level"):
        civiqr.encode("x", symbol="rmqr", ec="L")
    with pytest.raises(civiqr.EncodeError, match="unknown symbol"):
        civiqr.encode("x", symbol="aztec")
    with pytest.raises(TypeError):
        civiqr.encode("x", symbol="micro", version=2)
