"""QrCode as Python callers use it: the matrix, every renderer and its
options, save() by extension, PIL, notebooks, pickling, and bad options."""

from __future__ import annotations

import io
import pickle
import subprocess
import sys

import numpy as np
import pytest
from PIL import Image

import civiqr

URL = "https://example.org/mobilier/banc-0042"


@pytest.fixture(scope="module")
def code() -> civiqr.QrCode:
    return civiqr.encode(URL, ec="Q")


def test_matrix_is_a_writable_numpy_bool_array(code):
    m = code.matrix
    assert isinstance(m, np.ndarray) and m.dtype == np.bool_ and m.shape == (code.size, code.size)
    # Finder pattern: dark ring, light ring, dark 3x3 centre.
    assert m[0, :7].all() and not m[1, 1:6].any() and m[2:5, 2:5].all()
    m[0, 0] = False  # a copy: the symbol is unchanged
    assert code.matrix[0, 0]


def test_matrix_without_numpy_is_a_list_of_rows():
    # A fresh interpreter in which `import numpy` fails.
    script = (
        "import sys; sys.modules['numpy'] = None\n"
        "import civiqr\n"
        "m = civiqr.encode('HELLO').matrix\n"
        "assert type(m) is list and len(m) == 21 and all(type(r) is list and len(r) == 21 for r in m)\n"
        "assert m[0][:7] == [True] * 7 and type(m[0][0]) is bool\n"
        "print('ok')\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert out.stdout.strip() == "ok", out.stderr


def test_png_round_trips_through_both_readers(code):
    zxingcpp = pytest.importorskip("zxingcpp")  # no wheel for every Python (3.9)
    png = code.to_png(scale=3, quiet_zone=2)
    img = Image.open(io.BytesIO(png))
    assert img.size == ((code.size + 4) * 3,) * 2
    assert [d.text for d in civiqr.decode(png)] == [URL]
    assert [r.text for r in zxingcpp.read_barcodes(img)] == [URL]


def test_pil_image_matches_the_options(code):
    img = code.to_pil(scale=2, dark="#102030", light=(250, 240, 230))
    assert isinstance(img, Image.Image)
    assert img.size == ((code.size + 8) * 2,) * 2
    rgb = img.convert("RGB")
    assert rgb.getpixel((0, 0)) == (250, 240, 230)
    assert rgb.getpixel((8, 8)) == (0x10, 0x20, 0x30)  # the finder's corner
    assert [d.text for d in civiqr.decode(img)] == [URL]


def test_svg_options_and_notebook_repr(code):
    assert code._repr_svg_() == code.to_svg()
    svg = code.to_svg(dark="navy", light="transparent", quiet_zone=1, size_mm=30)
    assert svg.startswith("<svg") and 'width="30mm"' in svg and "#000080" in svg


def test_colours_a_camera_cannot_read_are_refused_unless_allowed(code):
    # The CLI's rule, from core: under 30 % grey difference, or inverted.
    for dark, light, says in [("#ccc", "white", "differ by 20.0 %"), ("white", "black", "lighter one")]:
        with pytest.raises(civiqr.RenderError, match=says):
            code.to_png(dark=dark, light=light)
    png = code.to_png(dark="#ccc", allow_low_contrast=True)
    assert png.startswith(b"\x89PNG")
    assert code.to_svg(dark="#b2b2b2").startswith("<svg")  # 30.1 %: drawn
    with pytest.raises(TypeError, match="True or False"):
        code.to_png(allow_low_contrast=1)


@pytest.mark.parametrize(
    "ext, magic",
    [("svg", b"<svg"), ("png", b"\x89PNG"), ("pdf", b"%PDF"), ("eps", b"%!PS"), ("txt", b"#######")],
)
def test_save_picks_the_format_from_the_extension(code, tmp_path, ext, magic):
    path = tmp_path / f"banc.{ext}"
    code.save(path)
    data = path.read_bytes()
    assert data.startswith(magic) or magic in data[:200]
    code.save(str(path), scale=2)  # str paths too


def test_save_matches_the_to_methods(code, tmp_path):
    code.save(tmp_path / "a.png", scale=3)
    assert (tmp_path / "a.png").read_bytes() == code.to_png(scale=3)
    code.save(tmp_path / "a.SVG")
    assert (tmp_path / "a.SVG").read_text() == code.to_svg()
    code.save(tmp_path / "a.pdf", size_mm=25)
    assert (tmp_path / "a.pdf").read_bytes() == code.to_pdf(size_mm=25)
    code.save(tmp_path / "a.eps")
    assert (tmp_path / "a.eps").read_text() == code.to_eps()
    code.save(tmp_path / "a.txt", quiet_zone=0)
    text = (tmp_path / "a.txt").read_text()
    assert text == code.to_text(quiet_zone=0)
    rows = text.splitlines()
    assert rows == ["".join("#" if v else "." for v in row) for row in code.matrix]
    code.save(tmp_path / "no-extension", format="svg")
    assert (tmp_path / "no-extension").read_text() == code.to_svg()


def test_save_errors(code, tmp_path):
    with pytest.raises(civiqr.RenderError, match="jpg"):
        code.save(tmp_path / "a.jpg")
    with pytest.raises(civiqr.RenderError):
        code.save(tmp_path / "a.png", format="gif")
    with pytest.raises(FileNotFoundError) as e:
        code.save(tmp_path / "missing-dir" / "a.png")
    assert "missing-dir" in str(e.value) and "os error" not in str(e.value)
    with pytest.raises(TypeError):
        code.save(42)


def test_save_writes_binary_file_objects(code, tmp_path):
    buf = io.BytesIO()
    code.save(buf, format="png", scale=3)
    assert buf.getvalue() == code.to_png(scale=3)
    buf = io.BytesIO()
    code.save(buf, format="svg")
    assert buf.getvalue().decode() == code.to_svg()
    # A file from open() names its format by its name, as a path does.
    with open(tmp_path / "a.pdf", "wb") as f:
        code.save(f, size_mm=25)
    assert (tmp_path / "a.pdf").read_bytes() == code.to_pdf(size_mm=25)
    with pytest.raises(civiqr.RenderError, match="format="):
        code.save(io.BytesIO())
    with pytest.raises(TypeError, match="binary mode"):
        code.save(io.StringIO(), format="svg")


class _Trickle:
    """A raw writer that takes at most 100 bytes per call, as raw files may."""

    def __init__(self) -> None:
        self.data = bytearray()

    def write(self, b: bytes) -> int:
        self.data += b[:100]
        return min(len(b), 100)


def test_to_methods_write_paths_and_file_objects(code, tmp_path):
    for method, ext in (("to_png", "png"), ("to_pdf", "pdf"), ("to_svg", "svg"),
                        ("to_eps", "eps"), ("to_text", "txt")):
        render = getattr(code, method)
        want = render(quiet_zone=2)
        want = want.encode() if isinstance(want, str) else want
        path = tmp_path / f"code.{ext}"
        assert render(path, quiet_zone=2) is None
        assert path.read_bytes() == want
        assert render(str(path), quiet_zone=2) is None
        buf = io.BytesIO()
        assert render(buf, quiet_zone=2) is None and buf.getvalue() == want
        trickle = _Trickle()
        render(target=trickle, quiet_zone=2)
        assert bytes(trickle.data) == want
    with pytest.raises(FileNotFoundError) as e:
        code.to_png(tmp_path / "missing-dir" / "a.png")
    assert e.value.filename == str(tmp_path / "missing-dir" / "a.png")
    with pytest.raises(TypeError, match="binary mode"):
        code.to_svg(io.StringIO())
    with pytest.raises(TypeError, match="path"):
        code.to_png(42)


@pytest.mark.parametrize(
    "opts, error",
    [
        ({"scale": 0}, civiqr.RenderError),
        ({"scale": -1}, civiqr.RenderError),
        ({"scale": 2**40}, civiqr.RenderError),
        ({"quiet_zone": 5000}, civiqr.RenderError),
        ({"dpi": 0}, civiqr.RenderError),
        ({"size_mm": -3}, civiqr.RenderError),
        ({"size_mm": float("nan")}, civiqr.RenderError),
        ({"size_mm": float("inf")}, civiqr.RenderError),
        ({"dark": "not-a-colour"}, civiqr.RenderError),
        ({"dark": (1, 2)}, civiqr.RenderError),
        ({"dark": (1, 2, 300)}, civiqr.RenderError),
        ({"scale": 4000}, civiqr.RenderError),  # beyond the 100-megapixel limit
        ({"scale": 2.0}, TypeError),
        ({"scale": True}, TypeError),
        ({"dark": 0x000000}, TypeError),
        ({"size_mm": "30"}, TypeError),
        ({"colour": "red"}, TypeError),
    ],
)
def test_bad_render_options(code, opts, error):
    with pytest.raises(error):
        code.to_png(**opts)
    if error is civiqr.RenderError:
        assert issubclass(error, ValueError)


def test_pickle_and_equality():
    for code in [
        civiqr.encode(URL),
        civiqr.encode(b"\x00\xffbytes", ec="H"),
        civiqr.encode("12345", ec="L", boost_ec=True),
        civiqr.encode("Grüße 漢字", eci_utf8=True),
        civiqr.encode("漢字テスト", kanji=False, mask=5),
    ]:
        back = pickle.loads(pickle.dumps(code))
        assert back == code and hash(back) == hash(code)
        assert (back.version, back.ec, back.mask) == (code.version, code.ec, code.mask)
        assert (back.matrix == code.matrix).all()
    assert civiqr.encode("a") != civiqr.encode("b")
    assert civiqr.encode("a") != "a"


def test_to_pil_without_pillow_says_what_to_install():
    script = (
        "import sys; sys.modules['PIL'] = None\n"
        "import civiqr\n"
        "try:\n"
        "    civiqr.encode('x').to_pil()\n"
        "except ImportError as e:\n"
        "    print('ImportError', 'pip install pillow' in str(e))\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert out.stdout.strip() == "ImportError True", out.stderr


def test_segments_show_the_mode_split():
    assert civiqr.encode("HELLO WORLD 0123456789012345").segments == [
        ("alphanumeric", 12), ("numeric", 16)]
    assert civiqr.encode(b"\x00\xff").segments == [("byte", 2)]
    assert civiqr.encode("é", eci_utf8=True).segments == [("eci", 26), ("byte", 2)]


def test_numpy_integers_are_accepted_where_ints_are():
    code = civiqr.encode("x", version=np.int64(3), mask=np.uint8(2))
    assert (code.version, code.mask) == (3, 2)
    assert code.to_png(scale=np.int32(2), quiet_zone=np.int64(1)) == code.to_png(scale=2, quiet_zone=1)
    with pytest.raises(TypeError):
        code.to_png(scale=np.float64(2))
    with pytest.raises(TypeError):
        code.to_png(scale=np.True_)
    with pytest.raises(civiqr.RenderError):
        code.to_png(scale=np.int64(-2))
    assert code.to_svg(size_mm=np.float32(20)) == code.to_svg(size_mm=20)
