"""The reader on generated street-camera distortions, against zxing-cpp.

The corpus comes from scripts/make-distortions.py (segno-encoded symbols:
rotation, perspective, curvature, blur, noise, low contrast, uneven light,
glare, night, JPEG, small modules, occlusion, clutter, inversion, a 640x480
frame, mixes of them, and the street kinds: a label wrapped round a pole, a
far-away code, an engraved plate, a big logo, a nested code whose two symbols
must both be read, a far-away code through a camera's colour pipeline), and
codes under a sticker.
civiqr must read at least the floor per kind,
never return other content, and read at least as many as zxing-cpp overall.
"""
import importlib.util
import pathlib
import sys

import pytest

import civiqr

ROOT = pathlib.Path(__file__).resolve().parents[2]
zxingcpp = pytest.importorskip("zxingcpp")
pytest.importorskip("segno")
pytest.importorskip("PIL")

# What civiqr read of 6 images per kind (seed 7) when this was written; a
# drop means the reader regressed. Raise them as it improves.
FLOORS = {
    "frame": 6, "rotation": 6, "perspective": 6, "curved": 6, "blur": 6, "noise": 6,
    "lowcontrast": 6, "uneven": 6, "glare": 6, "night": 6, "jpeg": 6, "small": 6,
    "occlusion": 6, "clutter": 6, "inverted": 6, "mixed": 6,
    # The street kinds (issue 21): wrapped 90-160 degrees round a pole,
    # far away (2 px modules, blur, JPEG), engraved, big logo at EC H.
    "cylinder": 6, "far": 6, "engraved": 6, "logo": 6,
    # A small code inside a larger one (NAME.2.txt): both symbols or none.
    "nested": 6,
    # Far away through a phone camera's pipeline (Bayer sensor, demosaicing,
    # sharpening, colour JPEG 4:2:0).
    "farcam": 5,
}


def make_distortions(out, *args):
    """Runs scripts/make-distortions.py into `out` with these arguments."""
    spec = importlib.util.spec_from_file_location("make_distortions", ROOT / "scripts" / "make-distortions.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    argv = sys.argv
    sys.argv = ["make-distortions.py", str(out), *args]
    try:
        module.main()
    finally:
        sys.argv = argv


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    out = tmp_path_factory.mktemp("distortions")
    make_distortions(out, "--per-kind", "6", "--seed", "7")
    return out


def test_reads_distorted_codes_at_least_as_well_as_zxing_cpp(corpus):
    from PIL import Image

    ours, theirs, report = 0, 0, []
    for kind, floor in FLOORS.items():
        folder = corpus / f"qrcode-{kind}"
        read = wrong = zx = 0
        for img in sorted(folder.iterdir()):
            if img.suffix == ".txt":
                continue
            want = {img.with_suffix(".txt").read_bytes().decode()}
            second = img.with_suffix(".2.txt")
            if second.exists():
                want.add(second.read_bytes().decode())
            found = {d.text for d in civiqr.decode(img)}
            read += want <= found
            wrong += bool(found - want)
            zx += want <= {r.text for r in zxingcpp.read_barcodes(Image.open(img))}
        report.append(f"{kind}: civiqr {read}/6, zxing-cpp {zx}/6")
        assert wrong == 0, f"{kind}: civiqr returned other content"
        assert read >= floor, f"{kind}: civiqr read {read}/6, floor {floor}\n" + "\n".join(report)
        ours += read
        theirs += zx
    print("\n".join(report) + f"\ntotal: civiqr {ours}, zxing-cpp {theirs}")
    assert ours >= theirs, "\n".join(report)


def test_codes_round_a_pole_at_every_quarter_turn():
    """Labels wrapped 90-160 degrees round a pole (the cylinder kind's tuning
    seed 101, 20 images, four rotations): at least the count the reader
    reached, never other content; zxing-cpp reads none of these."""
    from PIL import Image

    import tempfile
    with tempfile.TemporaryDirectory() as out:
        make_distortions(out, "--per-kind", "20", "--seed", "101", "--kinds", "cylinder")
        read = 0
        for img in sorted(pathlib.Path(out, "qrcode-cylinder").glob("*.png")):
            want = img.with_suffix(".txt").read_bytes().decode()
            picture = Image.open(img)
            for turn in (None, Image.Transpose.ROTATE_270, Image.Transpose.ROTATE_180, Image.Transpose.ROTATE_90):
                found = {d.text for d in civiqr.decode(picture if turn is None else picture.transpose(turn))}
                assert found <= {want}, f"{img.name}: other content {found}"
                read += want in found
    # What the reader reads today (19/19/19/18): a drop is a regression.
    assert read >= 75, f"{read}/80 image-rotations read round a pole"


def test_codes_under_a_sticker_read_wherever_zxing_cpp_reads_them():
    """The covered kind (one or two patches over the symbol, dark, grey or
    light; seed 13, held out when the reader was tuned on seeds 11 and 12),
    20 images at four rotations: at least the count the reader reached, never
    other content, and every image-rotation zxing-cpp reads."""
    from PIL import Image

    import tempfile
    with tempfile.TemporaryDirectory() as out:
        make_distortions(out, "--per-kind", "20", "--seed", "13", "--kinds", "covered")
        read = zx = 0
        for img in sorted(pathlib.Path(out, "qrcode-covered").glob("*.png")):
            want = img.with_suffix(".txt").read_bytes().decode()
            picture = Image.open(img)
            for turn in (None, Image.Transpose.ROTATE_270, Image.Transpose.ROTATE_180, Image.Transpose.ROTATE_90):
                turned = picture if turn is None else picture.transpose(turn)
                found = {d.text for d in civiqr.decode(turned)}
                assert found <= {want}, f"{img.name}: other content {found}"
                theirs = want in {r.text for r in zxingcpp.read_barcodes(turned)}
                assert want in found or not theirs, f"{img.name} {turn}: read by zxing-cpp alone"
                read += want in found
                zx += theirs
    # What the reader reads today (66/80; zxing-cpp 28): a drop is a regression.
    print(f"under a sticker: civiqr {read}/80, zxing-cpp {zx}/80")
    assert read >= 66, f"{read}/80 image-rotations read under a sticker (zxing-cpp {zx})"


def test_reads_every_code_of_a_frame_with_several():
    """Two to four codes, each turned, in one 800x600 frame: all are read."""
    import io
    import random

    import numpy as np
    import segno
    from PIL import Image

    rng = random.Random(3)
    total = read = theirs = 0
    for trial in range(12):
        frame = Image.new("L", (800, 600), 230)
        texts, boxes = [], []
        for k in range(rng.randint(2, 4)):
            text = f"https://www.saint-omer.fr/arret/{trial}-{k}-" + "".join(
                rng.choice("abcdef0123") for _ in range(rng.randint(3, 30)))
            buf = io.BytesIO()
            segno.make_qr(text, error="m").save(buf, kind="png", scale=rng.randint(3, 5), border=4)
            buf.seek(0)
            sym = Image.open(buf).convert("L").rotate(rng.uniform(0, 360), expand=True, fillcolor=230)
            for _ in range(50):
                x, y = rng.randint(0, 800 - sym.width), rng.randint(0, 600 - sym.height)
                if all(x + sym.width < bx or bx + bw < x or y + sym.height < by or by + bh < y
                       for bx, by, bw, bh in boxes):
                    boxes.append((x, y, sym.width, sym.height))
                    frame.paste(sym, (x, y))
                    texts.append(text)
                    break
        pixels = np.array(frame)
        found = [d.text for d in civiqr.decode(pixels)]
        assert set(found) <= set(texts), "civiqr returned content that is not in the frame"
        assert len(found) == len(set(found)), "civiqr returned a code twice"
        total += len(texts)
        read += len(set(texts) & set(found))
        theirs += len(set(texts) & {r.text for r in zxingcpp.read_barcodes(pixels)})
    print(f"several codes per frame: civiqr {read}/{total}, zxing-cpp {theirs}/{total}")
    assert read == total
