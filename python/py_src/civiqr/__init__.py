"""civiqr: QR Code encoder and reader with a Rust core.

>>> import civiqr
>>> code = civiqr.encode("https://example.org/", ec="Q")
>>> code.version, code.ec, code.size
(2, 'Q', 25)
>>> [d.text for d in civiqr.decode(code.to_png())]
['https://example.org/']
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from . import payload
from ._batch import BatchReport, RowError, batch
from ._civiqr import QrCode, encode
from ._decode import Decoded, decode
from ._grade import Grade, grade
from ._errors import (BatchError, CiviqrError, DecodeError, EncodeError, PayloadError, RenderError,
                      SignError, TrustError)
from ._sign import SigningKey, TrustList, Verification, load_key, load_trust, sign, verify

try:
    __version__ = version("civiqr")
except PackageNotFoundError:  # imported from a source tree without installing
    __version__ = "0+unknown"
del PackageNotFoundError, version

__all__ = ["BatchError", "BatchReport", "CiviqrError", "DecodeError", "Decoded", "EncodeError",
           "Grade", "PayloadError", "QrCode", "RenderError", "RowError", "SignError", "SigningKey",
           "TrustError", "TrustList", "Verification", "batch", "decode", "encode", "grade", "load_key",
           "load_trust", "payload", "sign", "verify"]
