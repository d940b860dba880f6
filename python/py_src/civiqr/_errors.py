"""The exception hierarchy; the compiled module raises these classes."""

from __future__ import annotations

__all__ = ["CiviqrError", "DecodeError", "EncodeError", "RenderError"]


class CiviqrError(Exception):
    """Base class of every error civiqr raises."""


class EncodeError(CiviqrError, ValueError):
    """The data or the options cannot make a QR Code (too long, bad version, ...)."""


class DecodeError(CiviqrError, ValueError):
    """The image itself is unusable: empty, too large, not an image file, wrong shape."""


class RenderError(CiviqrError, ValueError):
    """A render option is out of range."""


# Shown (and pickled) under the package that exports them.
for _cls in (CiviqrError, DecodeError, EncodeError, RenderError):
    _cls.__module__ = "civiqr"
del _cls
