"""The exception hierarchy; the compiled module raises these classes."""

from __future__ import annotations

from typing import Any, Optional

__all__ = ["BatchError", "CiviqrError", "DecodeError", "EncodeError", "PayloadError", "RenderError", "SignError",
           "TrustError"]


class CiviqrError(Exception):
    """Base class of every error civiqr raises."""


class EncodeError(CiviqrError, ValueError):
    """The data or the options cannot make a QR Code (too long, bad version, ...)."""


class DecodeError(CiviqrError, ValueError):
    """The image itself is unusable: empty, too large, not an image file, wrong shape."""


class RenderError(CiviqrError, ValueError):
    """A render option is out of range (quiet zone, scale, colour, size, dpi, format)."""


class PayloadError(CiviqrError, ValueError):
    """A payload field is missing, malformed or too long, or text is not of the kind asked for."""

    field: Optional[str] = None
    """The field at fault ("iban", "ssid", ...), or None when the error is about the whole text."""

    def __reduce__(self) -> tuple[Any, ...]:
        # Keep `field` when the error crosses a process boundary.
        return (_payload_error, (self.args, self.field))


class SignError(CiviqrError, ValueError):
    """A key or key file is unusable, or the text cannot be signed."""


class TrustError(CiviqrError, ValueError):
    """A trust file is malformed (the message names the line, or the key id and field),
    or two trust files disagree about a key."""


class BatchError(CiviqrError):
    """A batch could not run (unusable table, sheet too large for the page,
    output folder busy with another batch) or could not write a manifest."""

    report: Any = None
    """The BatchReport when the rows were done but a manifest or the sheet
    could not be written; None otherwise."""


def _payload_error(args: tuple[Any, ...], field: Optional[str]) -> PayloadError:
    err = PayloadError(*args)
    err.field = field
    return err


# Shown (and pickled) under the package that exports them.
for _cls in (BatchError, CiviqrError, DecodeError, EncodeError, PayloadError, RenderError, SignError,
             TrustError):
    _cls.__module__ = "civiqr"
del _cls
