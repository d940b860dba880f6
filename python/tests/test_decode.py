"""civiqr.decode as Python callers use it: every input type, bad input,
pickling, threads, and the labelled sample images."""

from __future__ import annotations

import errno
import io
import os
import pathlib
import pickle
import threading

import numpy as np
import pytest
from PIL import Image

import civiqr

URL = "https://example.org/mobilier/banc-0042"
SAMPLES = pathlib.Path(__file__).resolve().parents[2].parent / "shared" / "samples"
SAMPLES_MISSING = (f"the labelled sample images are not at {SAMPLES} "
                   "(a directory beside the checkout, not in the repository: docs/BUILDING.md)")


def picture(code: civiqr.QrCode, scale: int = 4, quiet: int = 4) -> np.ndarray:
    dark = np.pad(np.array(code.matrix, dtype=bool), quiet, constant_values=False)
    return np.kron(np.where(dark, 0, 255).astype(np.uint8), np.ones((scale, scale), dtype=np.uint8))


@pytest.fixture(scope="module")
def grey() -> np.ndarray:
    return picture(civiqr.encode(URL, ec="Q"))


def test_grey_array(grey):
    found = civiqr.decode(grey)
    assert [d.text for d in found] == [URL]
    d = found[0]
    assert (d.symbology, d.version, d.ec, d.bytes) == ("qr", civiqr.encode(URL, ec="Q").version, "Q", URL.encode())
    assert len(d.corners) == 4 and not d.mirrored and not d.inverted
    # Top-left corner at the quiet zone, 4 modules of 4 px in.
    assert abs(d.corners[0][0] - 16) < 1.5 and abs(d.corners[0][1] - 16) < 1.5


def test_rgb_rgba_strided_and_pil(grey):
    rgb = np.dstack([grey, grey, grey])
    rgba = np.dstack([grey, grey, grey, np.full_like(grey, 255)])
    assert [d.text for d in civiqr.decode(rgb)] == [URL]
    assert [d.text for d in civiqr.decode(rgba)] == [URL]
    # A non-contiguous view (every other column of a wider image).
    wide = np.repeat(grey, 2, axis=1)[:, ::2]
    assert not wide.flags["C_CONTIGUOUS"]
    assert [d.text for d in civiqr.decode(wide)] == [URL]
    assert [d.text for d in civiqr.decode(Image.fromarray(grey))] == [URL]
    # Column-major, a single-channel 3-D array, and a view rotated 180 degrees.
    assert [d.text for d in civiqr.decode(np.asfortranarray(grey))] == [URL]
    assert [d.text for d in civiqr.decode(grey[:, :, None])] == [URL]
    assert [d.text for d in civiqr.decode(grey[::-1, ::-1])] == [URL]


@pytest.mark.parametrize("mode", ["1", "L", "RGB", "P", "I", "CMYK"])
def test_pil_modes(mode):
    img = civiqr.encode(URL, ec="Q").to_pil(scale=4).convert(mode)
    assert [d.text for d in civiqr.decode(img)] == [URL]


@pytest.mark.parametrize("mode", ["RGBA", "LA"])
def test_pil_transparent_background_reads_as_light(mode):
    # As from a PNG file: transparent pixels count as white, not black.
    img = civiqr.encode(URL, ec="Q").to_pil(scale=4, light="transparent").convert(mode)
    assert [d.text for d in civiqr.decode(img)] == [URL]


def test_file_bytes_and_paths(grey, tmp_path):
    buf = io.BytesIO()
    Image.fromarray(grey).save(buf, format="PNG")
    assert [d.text for d in civiqr.decode(buf.getvalue())] == [URL]
    path = tmp_path / "banc.png"
    path.write_bytes(buf.getvalue())
    assert [d.text for d in civiqr.decode(path)] == [URL]
    assert [d.text for d in civiqr.decode(str(path))] == [URL]


def test_unreadable_paths_raise_what_open_raises(tmp_path):
    missing = tmp_path / "missing.png"
    with pytest.raises(FileNotFoundError) as e:
        civiqr.decode(missing)
    assert e.value.errno == errno.ENOENT and e.value.filename == str(missing)
    with pytest.raises(FileNotFoundError):
        civiqr.decode(str(missing))
    with pytest.raises(IsADirectoryError) as e:
        civiqr.decode(tmp_path)
    assert e.value.errno == errno.EISDIR and e.value.filename == str(tmp_path)
    # Neither is a civiqr error: `except civiqr.DecodeError` is for bad images.
    assert not isinstance(e.value, civiqr.CiviqrError)


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0,
                    reason="PermissionError needs a POSIX user that file modes apply to "
                           "(this runs as root, who can read any file)")
def test_unreadable_file_raises_permission_error(tmp_path):
    locked = tmp_path / "locked.png"
    locked.write_bytes(b"\x89PNG")
    locked.chmod(0)
    with pytest.raises(PermissionError) as e:
        civiqr.decode(locked)
    assert e.value.errno == errno.EACCES and e.value.filename == str(locked)


def test_bad_input_is_typed():
    with pytest.raises(TypeError):
        civiqr.decode(42)
    with pytest.raises(TypeError):
        civiqr.decode(np.zeros((10, 10), dtype=np.float32))
    with pytest.raises(civiqr.DecodeError):
        civiqr.decode(np.zeros((10, 10, 2), dtype=np.uint8))
    with pytest.raises(civiqr.DecodeError):
        civiqr.decode(np.zeros((0, 10), dtype=np.uint8))
    with pytest.raises(civiqr.DecodeError) as e:
        civiqr.decode(b"not an image")
    assert isinstance(e.value, ValueError) and isinstance(e.value, civiqr.CiviqrError)
    assert civiqr.decode(np.full((50, 60), 200, dtype=np.uint8)) == []
    for bad in ({"try_harder": "yes"}, {"pure": None}, {"try_inverted": 1}, {"quick": "no"},
                {"max_symbols": "3"},
                {"max_symbols": 2.0}, {"max_symbols": True}):
        with pytest.raises(TypeError):
            civiqr.decode(np.zeros((10, 10), dtype=np.uint8), **bad)
    for bad_count in (0, -1):
        with pytest.raises(civiqr.DecodeError, match="max_symbols"):
            civiqr.decode(np.zeros((10, 10), dtype=np.uint8), max_symbols=bad_count)
    assert civiqr.decode(np.zeros((10, 10), dtype=np.uint8), max_symbols=2**70) == []


def test_quick_decode_reads_a_code_in_a_video_frame():
    # A video loop's quick frames: a code of 4 px modules somewhere in a
    # noisy 640 x 480 frame reads in the first look; an empty frame reads
    # nothing either way.
    rng = np.random.default_rng(5)
    frame = rng.normal(150, 25, (480, 640)).clip(0, 255).astype(np.uint8)
    code = picture(civiqr.encode(URL, ec="M"))
    frame[100:100 + code.shape[0], 230:230 + code.shape[1]] = code
    assert [d.text for d in civiqr.decode(frame, quick=True)] == [URL]
    empty = rng.normal(150, 25, (480, 640)).clip(0, 255).astype(np.uint8)
    assert civiqr.decode(empty, quick=True) == []


FAR_AWAY = (pathlib.Path(__file__).resolve().parents[2] / "core" / "tests" / "fixtures" / "street"
            / "far-v6-1.9px.jpg")


def test_a_video_decoder_decodes_in_full_every_few_frames():
    # A far-away code (1.9 px a module after blur and JPEG) that only a full
    # decode reads, held in view for seven frames.
    expected = FAR_AWAY.with_suffix(".txt").read_text()
    frame = FAR_AWAY.read_bytes()
    assert civiqr.decode(frame, quick=True) == []
    video = civiqr.VideoDecoder(full_every=3)
    read = [[d.text for d in video.decode(frame)] for _ in range(7)]
    assert read == [[expected], [], [], [expected], [], [], [expected]]
    assert video.frames == 7
    # Every frame in full, and every frame quick.
    every = civiqr.VideoDecoder(full_every=1, symbologies=["qr"])
    assert all(every.decode(frame) for _ in range(3))
    never = civiqr.VideoDecoder(quick=True)
    assert not any(never.decode(frame) for _ in range(5))


def test_a_video_decoder_checks_its_options_before_the_first_frame():
    for bad, error in ((0, ValueError), (-2, ValueError), (2.0, TypeError), (True, TypeError),
                       ("4", TypeError)):
        with pytest.raises(error, match="full_every"):
            civiqr.VideoDecoder(full_every=bad)
    with pytest.raises(TypeError, match="unknown decode option"):
        civiqr.VideoDecoder(try_hard=True)
    with pytest.raises(TypeError, match="try_harder"):
        civiqr.VideoDecoder(try_harder="yes")
    with pytest.raises(civiqr.DecodeError, match="max_symbols"):
        civiqr.VideoDecoder(max_symbols=0)
    with pytest.raises(TypeError, match="symbologies"):
        civiqr.VideoDecoder(symbologies="qr")


def test_results_pickle(grey):
    d = civiqr.decode(grey)[0]
    assert pickle.loads(pickle.dumps(d)) == d


def test_threads_decode_concurrently(grey):
    results, errors = [], []

    def work():
        try:
            for _ in range(5):
                results.append(civiqr.decode(grey)[0].text)
        except Exception as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and results == [URL] * 20


@pytest.mark.skipif(not SAMPLES.exists(), reason=SAMPLES_MISSING)
def test_sample_images():
    ok = total = 0
    for img in sorted(SAMPLES.glob("qrcode-[1-6]/*")):
        if img.suffix not in (".png", ".jpg", ".webp"):
            continue
        txt = img.with_suffix(".txt")
        want = txt.read_bytes() if txt.exists() else img.with_suffix(".bin").read_bytes()
        total += 1
        ok += any(d.bytes == want or (d.text is not None and d.text.encode() == want) for d in civiqr.decode(img))
    print(f"civiqr.decode read {ok}/{total} sample images")
    assert ok >= 127


@pytest.mark.skipif(not SAMPLES.exists(), reason=SAMPLES_MISSING)
def test_model1_symbols_say_so():
    (d,) = civiqr.decode(SAMPLES / "qrcode-2" / "qr-model-1.png")
    assert d.text == "QR Code Model 1 " and d.model1 and d.symbology == "qr"
    assert pickle.loads(pickle.dumps(d)) == d
    (d,) = civiqr.decode(SAMPLES / "qrcode-2" / "1.png")
    assert not d.model1


def test_gil_is_released_while_decoding():
    """Python threads keep running while civiqr decodes: the longest pause the
    main thread sees is far shorter than the decode (with the GIL held it
    would be the whole decode)."""
    import time

    # Noise large enough that one decode takes well over a scheduler tick,
    # however fast the reader gets.
    side = 1000
    while True:
        noise = (np.random.default_rng(1).random((side, side)) > 0.5).astype(np.uint8) * 255
        t0 = time.perf_counter()
        civiqr.decode(noise, try_harder=True)
        if time.perf_counter() - t0 > 0.15 or side >= 8000:
            break
        side *= 2
    started, done = threading.Event(), threading.Event()
    took = []

    def work():
        started.set()
        t0 = time.perf_counter()
        civiqr.decode(noise, try_harder=True)
        took.append(time.perf_counter() - t0)
        done.set()

    worker = threading.Thread(target=work)
    worker.start()
    started.wait()
    longest, last = 0.0, time.perf_counter()
    while not done.is_set():
        now = time.perf_counter()
        longest, last = max(longest, now - last), now
    worker.join()
    assert took[0] > 0.1, "decode too fast to tell"
    assert longest < took[0] / 3, f"main thread paused {longest:.3f} s of a {took[0]:.3f} s decode"


def test_many_threads_encode_and_decode_their_own_codes():
    """Eight threads each encode, render and decode 25 different codes at
    once; every result must be that thread's own text (no shared state)."""
    from concurrent.futures import ThreadPoolExecutor

    def work(t):
        out = []
        for i in range(25):
            text = f"https://example.org/t{t}/asset-{i:04d}"
            png = civiqr.encode(text).to_png(scale=3)
            found = civiqr.decode(png)
            out.append((text, [d.text for d in found]))
        return out

    with ThreadPoolExecutor(max_workers=8) as pool:
        for results in pool.map(work, range(8)):
            for text, found in results:
                assert found == [text]


def test_random_input_raises_only_civiqr_or_type_errors():
    """Arbitrary bytes, sizes and shapes: a result, civiqr.CiviqrError or
    TypeError, never a PanicException or another crash."""
    import random

    import numpy as np

    rng = random.Random(8)
    for _ in range(300):
        kind = rng.randrange(4)
        try:
            if kind == 0:
                civiqr.decode(bytes(rng.randrange(256) for _ in range(rng.randrange(64))))
            elif kind == 1:
                shape = tuple(rng.randrange(0, 40) for _ in range(rng.choice([1, 2, 3, 4])))
                civiqr.decode(np.random.default_rng(rng.randrange(1 << 30)).integers(
                    0, 256, shape, dtype=np.uint8))
            elif kind == 2:
                civiqr.decode(b"\x89PNG\r\n\x1a\n" + bytes(rng.randrange(256) for _ in range(40)))
            else:
                n = rng.randrange(0, 3000)
                civiqr.encode(bytes(rng.randrange(256) for _ in range(n)),
                              ec=rng.choice("LMQH"), mask=rng.choice([None, *range(8)]))
        except (civiqr.CiviqrError, TypeError):
            pass
def test_micro_qr_and_rmqr_are_read_by_default_and_can_be_left_out():
    import zxingcpp

    cases = [("BANC 42", zxingcpp.BarcodeFormat.MicroQRCode, "micro"),
             ("https://example.org/lamp/17", zxingcpp.BarcodeFormat.RMQRCode, "rmqr")]
    for text, fmt, name in cases:
        img = np.array(zxingcpp.write_barcode_to_image(zxingcpp.create_barcode(text, fmt), scale=4))
        found = civiqr.decode(img)
        assert [(d.symbology, d.text) for d in found] == [(name, text)]
        assert found[0].version_name[0] == ("M" if name == "micro" else "R")
        assert civiqr.decode(img, symbologies=["qr"]) == []
    with pytest.raises(civiqr.DecodeError, match="unknown symbology"):
        civiqr.decode(img, symbologies=["aztec"])
    with pytest.raises(TypeError):
        civiqr.decode(img, symbologies="qr")
