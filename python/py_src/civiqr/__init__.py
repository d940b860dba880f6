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
from ._audit import (AuditResult, AuditRow, AuditSummary, CodeAudit, Manifest, PhotoAudit, Thresholds,
                     audit, audit_csv, audit_html, audit_json, audit_photo, audit_rows, list_photos,
                     mark_duplicates, write_audit)
from ._batch import BatchReport, RowError, batch
from ._civiqr import QrCode, encode
from ._decode import Decoded, VideoDecoder, decode
from ._grade import Grade, grade
from ._errors import (AuditError, BatchError, CiviqrError, DecodeError, EncodeError, ManifestError,
                      PayloadError, RenderError, SignError, TrustError)
from ._sign import SigningKey, TrustList, Verification, load_key, load_trust, sign, verify

try:
    __version__ = version("civiqr")
except PackageNotFoundError:  # imported from a source tree without installing
    __version__ = "0+unknown"
del PackageNotFoundError, version

__all__ = ["AuditError", "AuditResult", "AuditRow", "AuditSummary", "BatchError", "BatchReport",
           "CiviqrError", "CodeAudit", "DecodeError", "Decoded", "EncodeError", "Grade", "Manifest",
           "ManifestError", "PayloadError", "PhotoAudit", "QrCode", "RenderError", "RowError",
           "SignError", "SigningKey", "Thresholds", "TrustError", "TrustList", "Verification",
           "VideoDecoder", "audit", "audit_csv", "audit_html", "audit_json", "audit_photo",
           "audit_rows", "batch", "decode", "encode", "grade", "list_photos", "load_key",
           "load_trust", "mark_duplicates", "payload", "sign", "verify", "write_audit"]
