"""civiqr.grade: ISO/IEC 15415 print-quality parameters of the QR Codes in an
image (method and limits: docs/GRADING.md), for the same image types as
civiqr.decode."""

from __future__ import annotations

import dataclasses
import os
from typing import Any, Optional

from . import _civiqr
from ._decode import Image, _array_pixels, _check_readable, _options
from ._errors import DecodeError

__all__ = ["Grade", "Measure", "grade"]

PARAMETERS = ("decode", "symbol_contrast", "minimum_reflectance", "minimum_edge_contrast",
              "modulation", "reflectance_margin", "fixed_pattern_damage",
              "axial_nonuniformity", "grid_nonuniformity", "unused_error_correction",
              "print_growth")


@dataclasses.dataclass(frozen=True)
class Measure:
    """A parameter's value (None when it could not be measured) and grade 4..0."""

    value: Optional[float]
    grade: int


@dataclasses.dataclass(frozen=True)
class Block:
    """One Reed-Solomon block in the reference decode."""

    data_codewords: int
    ec_codewords: int
    misdecode_protection: int
    corrected: int
    """Codewords the reference decode corrected."""
    unused: float
    """1 - (e + 2t) / (d - p)."""


@dataclasses.dataclass(frozen=True)
class Grade:
    """One symbol found in the image and its grade (graded is False for QR Model
    1, which is read but not graded: the other fields are then empty)."""

    text: Optional[str]
    symbology: str
    version_name: str
    graded: bool
    overall: Optional[int] = None
    """The lowest graded parameter, 4 (A) to 0 (F)."""
    letter: Optional[str] = None
    calibrated: bool = False
    """False unless an aperture and a calibration were given: reflectance-based
    grades are then indicative only."""
    aperture_px: Optional[float] = None
    parameters: dict[str, Measure] = dataclasses.field(default_factory=dict)
    blocks: tuple[Block, ...] = ()
    wrong_modules: tuple[tuple[int, int], ...] = ()
    """(x, y) of the modules that read the other colour than the corrected symbol."""


def grade(
    image: Image,
    *,
    try_harder: bool = False,
    aperture_px: Optional[float] = None,
    aperture_modules: Optional[float] = None,
    calibration: Optional[tuple[tuple[int, float], tuple[int, float]]] = None,
) -> list[Grade]:
    """Grade every QR Code and Micro QR symbol in an image (numpy array, PIL image, image file bytes or
    path, as for civiqr.decode).

    aperture_px / aperture_modules: the synthetic aperture's diameter in pixels or
    as a fraction of the module (default 0.8 module). calibration: two patches
    ((dark_grey, dark_reflectance), (light_grey, light_reflectance)), reflectances
    in 0..1. With both an aperture and a calibration, `calibrated` is True.

    Raises civiqr.DecodeError for an unusable image or option, TypeError for an
    unsupported image type, and OSError for a path that cannot be read.
    """
    opts: dict[str, Any] = _options(try_harder=try_harder)
    opts.update(_measuring(aperture_px, aperture_modules, calibration))
    if isinstance(image, (bytes, bytearray, memoryview)):
        found = _civiqr._grade_file_bytes(bytes(image), **opts)
    elif isinstance(image, (str, os.PathLike)):
        path = os.fsdecode(image)
        _check_readable(path)
        found = _civiqr._grade_path(path, **opts)
    elif hasattr(image, "__array_interface__") and hasattr(image, "dtype"):
        found = _civiqr._grade_pixels(*_array_pixels(image), **opts)
    elif hasattr(image, "convert") and hasattr(image, "size") and hasattr(image, "tobytes"):
        pixels = image if image.mode in ("L", "RGB", "RGBA") else image.convert("RGBA")
        channels = {"L": 1, "RGB": 3, "RGBA": 4}[pixels.mode]
        width, height = pixels.size
        found = _civiqr._grade_pixels(pixels.tobytes(), width, height, channels, **opts)
    else:
        raise TypeError(
            "image must be a numpy array, a PIL image, image file bytes or a path, "
            f"not {type(image).__name__}")
    return [_grade_of(d) for d in found]


def _measuring(
    aperture_px: Optional[float],
    aperture_modules: Optional[float],
    calibration: Optional[tuple[tuple[int, float], tuple[int, float]]],
) -> dict[str, Any]:
    """The aperture and calibration keywords, type-checked (also for civiqr.audit)."""
    opts: dict[str, Any] = {}
    for name, value in (("aperture_px", aperture_px), ("aperture_modules", aperture_modules)):
        if value is not None:
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise TypeError(f"{name} must be a number, not {type(value).__name__}")
            opts[name] = float(value)
    if calibration is not None:
        try:
            (dg, dr), (lg, lr) = calibration
            opts["calibration"] = ((int(dg), float(dr)), (int(lg), float(lr)))
        except (TypeError, ValueError) as e:
            raise DecodeError(
                "calibration must be ((dark_grey, dark_r), (light_grey, light_r))") from e
        if not all(0 <= g <= 255 for g in (dg, lg)):
            raise DecodeError("calibration grey levels must be 0 to 255")
    return opts


def _grade_of(d: dict[str, Any]) -> Grade:
    params = {name: Measure(*d["parameters"][name]) for name in PARAMETERS} if d["graded"] else {}
    blocks = tuple(Block(*b) for b in d.get("blocks", ()))
    wrong = tuple(tuple(m) for m in d.get("wrong_modules", ()))
    rest = {k: v for k, v in d.items() if k not in ("parameters", "blocks", "wrong_modules")}
    return Grade(parameters=params, blocks=blocks, wrong_modules=wrong, **rest)
