"""civiqr.grade: the parameters of a clean render, damage found module by
module, options checked, results picklable."""

import pickle

import numpy as np
import pytest

import civiqr


def _render(code, scale=6, quiet=4, flip=()):
    matrix = np.array(code.matrix, dtype=bool)
    size = code.size
    for x, y in flip:
        matrix[y, x] = not matrix[y, x]
    padded = np.zeros((size + 2 * quiet, size + 2 * quiet), dtype=bool)
    padded[quiet:quiet + size, quiet:quiet + size] = matrix
    pixels = np.where(padded, 0, 255).astype(np.uint8)
    return np.kron(pixels, np.ones((scale, scale), dtype=np.uint8))


def test_a_clean_render_grades_4_on_every_parameter():
    code = civiqr.encode("https://example.org/bench/12", ec="Q")
    (g,) = civiqr.grade(_render(code))
    assert g.graded and g.text == "https://example.org/bench/12"
    assert (g.overall, g.letter, g.calibrated) == (4, "A", False)
    assert set(g.parameters) == set(civiqr._grade.PARAMETERS)
    assert all(m.grade == 4 for m in g.parameters.values()), g.parameters
    assert all(b.corrected == 0 and b.unused == 1.0 for b in g.blocks)
    assert g.wrong_modules == ()
    # The same from PNG bytes and from a path.
    png = code.to_png(scale=6)
    assert civiqr.grade(png)[0].overall == 4
    assert pickle.loads(pickle.dumps(g)) == g


def test_flipped_modules_are_found_and_cost_error_correction(tmp_path):
    code = civiqr.encode("https://example.org/bench/12", ec="M", version=3)
    flips = {(12, 14), (13, 17), (15, 20)}
    path = tmp_path / "damaged.png"
    from PIL import Image

    Image.fromarray(_render(code, flip=flips)).save(path)
    (g,) = civiqr.grade(str(path))
    assert set(g.wrong_modules) == flips
    assert sum(b.corrected for b in g.blocks) >= 1
    uec = g.parameters["unused_error_correction"]
    assert uec.value < 1.0


def test_calibration_and_aperture_are_checked():
    code = civiqr.encode("CAL")
    img = _render(code)
    (g,) = civiqr.grade(img, aperture_px=4, calibration=((0, 0.04), (255, 0.88)))
    assert g.calibrated
    assert g.parameters["symbol_contrast"].value == pytest.approx(0.84)
    with pytest.raises(civiqr.DecodeError):
        civiqr.grade(img, aperture_px=-1)
    with pytest.raises(civiqr.DecodeError):
        civiqr.grade(img, calibration=((200, 0.9), (10, 0.1)))
    with pytest.raises(civiqr.DecodeError):
        civiqr.grade(img, aperture_px=4, aperture_modules=0.5)
    with pytest.raises(TypeError):
        civiqr.grade(img, aperture_px="4px")
    with pytest.raises(TypeError):
        civiqr.grade(3.5)
    assert civiqr.grade(np.full((40, 40), 255, dtype=np.uint8)) == []
