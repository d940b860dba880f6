"""The exception hierarchy; the compiled module raises these classes."""

from __future__ import annotations

from typing import Any, Optional

__all__ = ["AuditError", "BatchError", "CiviqrError", "DecodeError", "EncodeError", "ManifestError", "PayloadError",
           "RenderError", "SignError", "TrustError"]


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


class AuditError(CiviqrError, ValueError):
    """An audit option is unusable (thresholds out of range or in the wrong order)."""


class ManifestError(AuditError):
    """A batch manifest cannot be read: no id or payload column, a malformed
    line, over the size limit. The message starts with the file and line."""

    file: Optional[str] = None
    """The manifest file (or the name given for text)."""
    line: Optional[int] = None
    """The line at fault (the header is line 1; a JSON manifest's line), when known."""

    def __reduce__(self) -> tuple[Any, ...]:
        return (_manifest_error, (self.args, self.file, self.line))


def _manifest_error(args: tuple[Any, ...], file: Optional[str], line: Optional[int]) -> ManifestError:
    err = ManifestError(*args)
    err.file, err.line = file, line
    return err


def _payload_error(args: tuple[Any, ...], field: Optional[str]) -> PayloadError:
    err = PayloadError(*args)
    err.field = field
    return err


# Shown (and pickled) under the package that exports them.
for _cls in (AuditError, BatchError, CiviqrError, DecodeError, EncodeError, ManifestError, PayloadError,
             RenderError, SignError, TrustError):
    _cls.__module__ = "civiqr"
del _cls
