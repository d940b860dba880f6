"""civiqr: QR Code encoder with a Rust core.

>>> import civiqr
>>> code = civiqr.encode("https://example.org/", ec="Q")
>>> code.version, code.ec, code.size
(2, 'Q', 25)
"""

from __future__ import annotations

from ._civiqr import QrCode, encode
from ._errors import CiviqrError, EncodeError, RenderError

__all__ = ["CiviqrError", "EncodeError", "QrCode", "RenderError", "encode"]
