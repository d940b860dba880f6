"""civiqr: QR Code encoder with a Rust core.

>>> import civiqr
>>> code = civiqr.encode("https://example.org/", ec="Q")
>>> code.version, code.ec, code.size
(2, 'Q', 25)
"""

from __future__ import annotations

from ._civiqr import QrCode, encode
from ._decode import Decoded, decode
from ._errors import CiviqrError, DecodeError, EncodeError, RenderError

__all__ = ["CiviqrError", "DecodeError", "Decoded", "EncodeError", "QrCode", "RenderError",
           "decode", "encode"]
