"""civiqr.sign and civiqr.verify: signed codes (scheme civiqr-sig-2, see
docs/SIGNING.md). Conversions only; the compiled module does the cryptography."""

from __future__ import annotations

import dataclasses
import datetime
import os
from typing import Literal, Optional, Union

from . import _civiqr
from ._civiqr import SigningKey, TrustList
from ._decode import Decoded

__all__ = ["SigningKey", "TrustList", "Verification", "load_key", "load_trust", "sign", "verify"]

@dataclasses.dataclass(frozen=True)
class Verification:
    """What a verifier concluded about one code."""

    status: Literal["valid", "invalid", "unknown_key", "expired", "unsigned"]
    """"valid", "invalid" (the signature does not match the content, is
    truncated or has data after it), "unknown_key", "expired" or "unsigned"."""
    issuer: Optional[str]
    """The issuer for "valid" and "expired"; None otherwise (a name is never
    attached to a signature that did not verify)."""
    key_id: Optional[str]
    """The key id the signature names, when it is well formed."""
    content: bytes
    """The payload without its signature (all of it when unsigned)."""
    summary: str
    """A one-line verdict: "verified: Ville de Saint-Omer", "unsigned",
    "signature invalid: do not trust", ..."""

    @property
    def ok(self) -> bool:
        """True only for "valid"."""
        return self.status == "valid"


def sign(text: str, key: SigningKey) -> str:
    """The signed payload: `text` (a URL or plain text) followed by its
    signature tag. Encode it with civiqr.encode.

    Raises civiqr.SignError when the text already holds a signature or is a
    payload kind that a tag would break (Wi-Fi, vCard, EPC, tel:, ...).
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be str, not {type(text).__name__}")
    if not isinstance(key, SigningKey):
        raise TypeError(f"key must be a civiqr.SigningKey, not {type(key).__name__}")
    return _civiqr._sign(text, key)


def verify(
    data: Union[str, bytes, Decoded],
    trust: TrustList,
    *,
    today: Optional[datetime.date] = None,
) -> Verification:
    """Verify a code's payload (text, exact bytes, or a civiqr.Decoded)
    against the trusted keys. `today` decides key expiry (default: today's
    UTC date)."""
    if not isinstance(trust, TrustList):
        raise TypeError(f"trust must be a civiqr.TrustList, not {type(trust).__name__}")
    if isinstance(data, Decoded):
        data = data.bytes
    if today is None:
        today = datetime.datetime.now(datetime.timezone.utc).date()
    elif not isinstance(today, datetime.date):
        raise TypeError(f"today must be a datetime.date, not {type(today).__name__}")
    status, issuer, key_id, content_len, summary = _civiqr._verify(
        data, trust, (today.year, today.month, today.day))
    raw = data.encode("utf-8") if isinstance(data, str) else bytes(data)
    return Verification(status, issuer, key_id, raw[:content_len], summary)


def load_key(path: Union[str, "os.PathLike[str]"], *,
             insecure_permissions: bool = False) -> SigningKey:
    """Read a key file written by `civiqr keygen` or SigningKey.to_key_file.

    A key file that its group or other users can read is refused
    (civiqr.SignError), as OpenSSH refuses one, unless insecure_permissions
    is True. A file that cannot be opened raises the OSError `open` raises."""
    if not isinstance(insecure_permissions, bool):
        raise TypeError("insecure_permissions must be a bool")
    return _civiqr._load_key(os.fsdecode(path), insecure_permissions)


def load_trust(*paths: Union[str, "os.PathLike[str]"]) -> TrustList:
    """Read one or more trust files into one list (civiqr.TrustError when
    two give the same key id different entries)."""
    trust = TrustList()
    for path in paths:
        trust = trust.merged(_civiqr._load_trust_file(os.fsdecode(path)))
    return trust
