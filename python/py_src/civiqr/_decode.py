"""civiqr.decode: accepts numpy arrays, PIL images, encoded image bytes and
paths, and hands pixels, file bytes or paths to the compiled reader."""

from __future__ import annotations

import dataclasses
import errno
import inspect
import os
from typing import TYPE_CHECKING, Any, Optional, Sequence, Union

from . import _civiqr
from ._errors import DecodeError

if TYPE_CHECKING:
    from .payload import Payload

__all__ = ["Decoded", "decode"]


@dataclasses.dataclass(frozen=True)
class Decoded:
    """One symbol read from an image."""

    text: Optional[str]
    """The content as text (per its ECI, else UTF-8 / Shift JIS / ISO-8859-1 by
    inspection), or None when it is not valid text."""
    bytes: bytes
    """The exact payload bytes."""
    symbology: str
    """"qr", "micro" (Micro QR) or "rmqr"."""
    version: int
    """Version number: QR Code 1-40, Micro QR 1-4, rMQR 1-32 (the order of ISO/IEC 23941's sizes): see version_name."""
    version_name: str
    """The version of any symbology: "7", "M3", "R13x77"."""
    ec: str
    mask: int
    eci: Optional[int]
    corners: tuple[tuple[float, float], ...]
    """Top-left, top-right, bottom-right, bottom-left, in image pixels."""
    mirrored: bool
    inverted: bool
    structured_append: Optional[tuple[int, int, int]]
    """(index, count, parity) when the symbol is part of a structured-append set."""
    model1: bool = False
    """True for a QR Code Model 1 symbol (the original design, versions 1-14,
    symbology identifier ]Q0); symbology is "qr" for both models."""

    @property
    def payload(self) -> Optional["Payload"]:
        """The text classified by civiqr.payload.parse (a Wifi, Url, ..., or
        Text), or None when the content is not text."""
        from .payload import parse

        return None if self.text is None else parse(self.text)


Image = Union[bytes, bytearray, memoryview, str, "os.PathLike[str]", Any]


def decode(
    image: Image,
    *,
    try_harder: bool = False,
    try_inverted: bool = True,
    quick: bool = False,
    pure: bool = False,
    max_symbols: int = 1024,
    symbologies: Optional[Sequence[str]] = None,
) -> list[Decoded]:
    """Find and decode the QR Codes, Micro QR Codes and rMQR Codes in an image.

    image: a numpy array (H x W, H x W x 3 RGB or H x W x 4 RGBA, dtype uint8,
    any strides), a PIL image, the bytes of an image file (PNG, JPEG, WebP, GIF,
    BMP, TIFF) or the path of one. The GIL is released while decoding.

    symbologies: the kinds to look for, any of "qr", "micro", "rmqr" (default:
    all three; fewer is faster on images without codes).

    quick: only the first look (the local threshold's scans), for video
    frames: about a quarter of the time on a frame without a code, and most codes
    near the camera still read; far-away, wrapped, engraved and blurred ones
    need a full decode, so decode every fourth frame or so in full.

    Returns the symbols whose error correction succeeded (an empty list when
    there is none). Raises civiqr.DecodeError when the image itself is unusable,
    TypeError when `image` is of an unsupported type, and for a path that
    cannot be read the OSError that `open` raises (FileNotFoundError,
    IsADirectoryError, PermissionError, with errno and filename).
    """
    return _decode_with(image, _reader_options(try_harder=try_harder, try_inverted=try_inverted,
                                               quick=quick, pure=pure, max_symbols=max_symbols,
                                               symbologies=symbologies))


def _reader_options(*, try_harder: bool = False, try_inverted: bool = True, quick: bool = False,
                    pure: bool = False, max_symbols: int = 1024,
                    symbologies: Optional[Sequence[str]] = None) -> dict[str, Any]:
    """`decode`'s options, checked, as the native reader takes them."""
    opts = _options(try_harder=try_harder, try_inverted=try_inverted, quick=quick,
                    pure=pure, max_symbols=max_symbols)
    if symbologies is not None:
        if isinstance(symbologies, str):
            raise TypeError("symbologies must be a sequence of names, not a str")
        opts["symbologies"] = [str(s) for s in symbologies]
    return opts


def _decode_with(image: Image, opts: dict[str, Any]) -> list[Decoded]:
    """`decode` with options from `_reader_options`."""
    if isinstance(image, (bytes, bytearray, memoryview)):
        found = _civiqr._decode_file_bytes(bytes(image), **opts)
    elif isinstance(image, (str, os.PathLike)):
        # civiqr reads the file itself: the size limit is checked before
        # reading, and the GIL is released meanwhile. fsdecode keeps bytes
        # paths working (undecodable bytes travel as surrogate escapes).
        path = os.fsdecode(image)
        _check_readable(path)
        found = _civiqr._decode_path(path, **opts)
    elif hasattr(image, "__array_interface__") and hasattr(image, "dtype"):
        found = _decode_array(image, opts)
    elif hasattr(image, "convert") and hasattr(image, "size") and hasattr(image, "tobytes"):
        found = _decode_pil(image, opts)
    else:
        raise TypeError(
            "image must be a numpy array, a PIL image, image file bytes or a path, "
            f"not {type(image).__name__}")
    return [Decoded(corners=tuple(d.pop("corners")), **d) for d in found]


class VideoDecoder:
    """Decodes the frames of a video as the web Scanner does: the first frame and
    every `full_every`-th after it in full, the others with the quick look
    (`decode(..., quick=True)`). A code in view stays there for many frames, so
    the far-away, wrapped and engraved ones that only a full decode reads are
    read within `full_every` frames, while frames without a code cost less than
    half of what full decodes would (at the default of 4).

    The keyword options are `decode`'s (`try_harder`, `try_inverted`, `pure`,
    `max_symbols`, `symbologies`; `quick=True` makes every frame quick) and are
    checked here, before the first frame.

    >>> import civiqr
    >>> video = civiqr.VideoDecoder(full_every=4)
    >>> frame = civiqr.encode("https://example.org/").to_png()
    >>> [d.text for d in video.decode(frame)], video.frames
    (['https://example.org/'], 1)
    """

    def __init__(self, full_every: int = 4, **options: Any) -> None:
        if isinstance(full_every, bool) or not isinstance(full_every, int):
            raise TypeError(f"full_every must be an int, not {type(full_every).__name__}")
        if full_every < 1:
            raise ValueError(f"full_every must be a whole number of frames from 1, not {full_every}")
        unknown = set(options) - set(inspect.signature(_reader_options).parameters)
        if unknown:
            raise TypeError(f"unknown decode option(s): {', '.join(sorted(unknown))}")
        self.full_every = full_every
        self.frames = 0
        self._options = _reader_options(**options)
        self._always_quick = self._options["quick"]

    def decode(self, frame: Image) -> list[Decoded]:
        """Decode the next frame (any image `decode` takes): in full on the first
        frame and every `full_every`-th after it, quick otherwise."""
        quick = self._always_quick or self.frames % self.full_every != 0
        self.frames += 1
        return _decode_with(frame, {**self._options, "quick": quick})


def _check_readable(path: str) -> None:
    """Raises what `open(path, "rb")` raises when the file cannot be read,
    so that callers can catch FileNotFoundError and the like as for any file."""
    if os.path.isdir(path):
        # open() raises IsADirectoryError on POSIX, PermissionError on Windows.
        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), path)
    with open(path, "rb"):
        pass


def _options(**given: Any) -> dict[str, Any]:
    """The reader options, type-checked: a string or None where a bool is
    expected is a mistake, not a truth value."""
    for name, value in given.items():
        if name == "max_symbols":
            if isinstance(value, bool) or not isinstance(value, int):
                raise TypeError(f"max_symbols must be an int, not {type(value).__name__}")
            if value < 1:
                raise DecodeError(f"max_symbols must be at least 1, not {value}")
            given[name] = min(value, 1 << 31)  # more than any image holds
        elif not isinstance(value, bool):
            raise TypeError(f"{name} must be a bool, not {type(value).__name__}")
    return given


def _decode_pil(image: Any, opts: dict[str, Any]) -> list[dict[str, Any]]:
    # Transparency must reach the reader (which puts transparent pixels over
    # white, as for files): convert("L") would drop alpha and turn a
    # transparent background black.
    if image.mode in ("L", "RGB", "RGBA"):
        pixels = image
    elif "A" in image.mode or "transparency" in image.info:
        pixels = image.convert("RGBA")
    else:
        pixels = image.convert("L")
    channels = {"L": 1, "RGB": 3, "RGBA": 4}[pixels.mode]
    width, height = pixels.size
    return _civiqr._decode_pixels(pixels.tobytes(), width, height, channels, **opts)


def _decode_array(array: Any, opts: dict[str, Any]) -> list[dict[str, Any]]:
    return _civiqr._decode_pixels(*_array_pixels(array), **opts)


def _array_pixels(array: Any) -> tuple[bytes, int, int, int]:
    """A numpy image as (packed bytes, width, height, channels), checked."""
    import numpy as np

    if array.dtype != np.uint8:
        raise TypeError(f"numpy images must have dtype uint8, not {array.dtype}")
    if array.ndim == 2:
        channels = 1
    elif array.ndim == 3 and array.shape[2] in (1, 3, 4):
        channels = array.shape[2]
    else:
        raise DecodeError(f"numpy images must be H x W or H x W x 1, 3 or 4, not shape {array.shape}")
    height, width = array.shape[0], array.shape[1]
    return np.ascontiguousarray(array).tobytes(), width, height, channels
