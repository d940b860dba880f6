"""Type stubs for the compiled module civiqr._civiqr."""

from __future__ import annotations

import datetime
import os
from typing import Any, Callable, Literal, Optional, Protocol, Union, final, overload

import numpy as np
import numpy.typing as npt
from PIL import Image as _PILImage

__all__ = [
    "QrCode", "encode", "_restore", "_decode_pixels", "_decode_file_bytes", "_decode_path",
    "_grade_pixels", "_grade_file_bytes", "_grade_path",
    "_payload_build", "_payload_parse", "_payload_parse_kind", "_url_from_template", "MAX_FILE_BYTES",
    "SigningKey", "TrustList", "_sign", "_verify", "_batch", "_load_key", "_load_trust_file",
    "_trust_restore", "Manifest", "_manifest_restore", "_check_thresholds", "_list_photos",
    "_audit_path",
    "_audit_bytes", "_mark_duplicates", "_audit_rows", "_audit_summary", "_audit_text",
    "_audit_write",
]

class _BinaryWriter(Protocol):
    """A binary file object: open(..., "wb"), io.BytesIO, sys.stdout.buffer, ..."""

    def write(self, data: bytes, /) -> Any: ...

_Target = Union[str, os.PathLike[str], _BinaryWriter]
"""Where save() and the to_* methods write: a path or a binary file object."""

_Color = Union[str, tuple[int, int, int], tuple[int, int, int, int]]
"""A colour: "black", "#1a2b3c", "#1a2b3c80", "transparent", or (r, g, b[, a]) of 0-255."""

@final
class QrCode:
    """An encoded QR Code symbol.

    The render methods take these keywords (checked when rendering, errors
    are civiqr.RenderError; unknown keywords are a TypeError):
    quiet_zone: int = 4 (modules), scale: int = 8 (pixels per module),
    dark: Color = "black", light: Color = "white" ("transparent" leaves it
    undrawn), size_mm: float | None = None (whole image width incl. quiet
    zone), dpi: int = 300 (PNG pixel size for size_mm, pHYs, PDF/EPS module
    size when size_mm is unset), allow_low_contrast: bool = False (render
    colour pairs a camera cannot read: a grey difference under 30 % or an
    inverted pair, otherwise a RenderError).
    """

    @property
    def size(self) -> int:
        """Side length in modules, without the quiet zone."""
    @property
    def version(self) -> int:
        """Version number: QR Code 1-40, Micro QR 1-4, rMQR 1-32 (the order
        of ISO/IEC 23941's sizes): see version_name."""
    @property
    def version_name(self) -> str:
        """The version of any symbology: "7", "M3", "R13x77"."""
    @property
    def symbology(self) -> Literal["qr", "micro", "rmqr"]:
        """The kind of symbol."""
    @property
    def ec(self) -> Literal["L", "M", "Q", "H"]:
        """Error-correction level."""
    @property
    def mask(self) -> int:
        """Mask pattern number, 0 to 7."""
    @property
    def segments(self) -> list[tuple[str, int]]:
        """The data segments as (mode, count): ("byte", 38), ("numeric", 12),
        ("eci", 26), ..."""
    @property
    def matrix(self) -> Union[npt.NDArray[np.bool_], list[list[bool]]]:
        """Modules, True for dark, matrix[y][x], without the quiet zone: a numpy
        bool array of shape (size, size) when numpy is installed, else a list of rows."""
    @overload
    def to_svg(
        self, target: None = None, *, quiet_zone: int = ..., scale: int = ..., dark: _Color = ...,
        light: _Color = ..., size_mm: Optional[float] = ..., dpi: int = ...,
        allow_low_contrast: bool = ...,
    ) -> str:
        """The symbol as a standalone SVG document."""
    @overload
    def to_svg(
        self, target: _Target, *, quiet_zone: int = ..., scale: int = ..., dark: _Color = ...,
        light: _Color = ..., size_mm: Optional[float] = ..., dpi: int = ...,
        allow_low_contrast: bool = ...,
    ) -> None:
        """The symbol as a standalone SVG document, written to target (a path or a binary file
        object, as UTF-8); OSError (FileNotFoundError, ...) when it cannot be written."""
    @overload
    def to_png(
        self, target: None = None, *, quiet_zone: int = ..., scale: int = ..., dark: _Color = ...,
        light: _Color = ..., size_mm: Optional[float] = ..., dpi: int = ...,
        allow_low_contrast: bool = ...,
    ) -> bytes:
        """The symbol as a PNG image."""
    @overload
    def to_png(
        self, target: _Target, *, quiet_zone: int = ..., scale: int = ..., dark: _Color = ...,
        light: _Color = ..., size_mm: Optional[float] = ..., dpi: int = ...,
        allow_low_contrast: bool = ...,
    ) -> None:
        """The symbol as a PNG image, written to target (a path or a binary file
        object); OSError (FileNotFoundError, ...) when it cannot be written."""
    @overload
    def to_pdf(
        self, target: None = None, *, quiet_zone: int = ..., scale: int = ..., dark: _Color = ...,
        light: _Color = ..., size_mm: Optional[float] = ..., dpi: int = ...,
        allow_low_contrast: bool = ...,
    ) -> bytes:
        """The symbol as a one-page PDF document."""
    @overload
    def to_pdf(
        self, target: _Target, *, quiet_zone: int = ..., scale: int = ..., dark: _Color = ...,
        light: _Color = ..., size_mm: Optional[float] = ..., dpi: int = ...,
        allow_low_contrast: bool = ...,
    ) -> None:
        """The symbol as a one-page PDF document, written to target (a path or a binary file
        object); OSError (FileNotFoundError, ...) when it cannot be written."""
    @overload
    def to_eps(
        self, target: None = None, *, quiet_zone: int = ..., scale: int = ..., dark: _Color = ...,
        light: _Color = ..., size_mm: Optional[float] = ..., dpi: int = ...,
        allow_low_contrast: bool = ...,
    ) -> str:
        """The symbol as Encapsulated PostScript."""
    @overload
    def to_eps(
        self, target: _Target, *, quiet_zone: int = ..., scale: int = ..., dark: _Color = ...,
        light: _Color = ..., size_mm: Optional[float] = ..., dpi: int = ...,
        allow_low_contrast: bool = ...,
    ) -> None:
        """The symbol as Encapsulated PostScript, written to target (a path or a binary file
        object, as UTF-8); OSError (FileNotFoundError, ...) when it cannot be written."""
    @overload
    def to_text(
        self, target: None = None, *, quiet_zone: int = ..., scale: int = ..., dark: _Color = ...,
        light: _Color = ..., size_mm: Optional[float] = ..., dpi: int = ...,
        allow_low_contrast: bool = ...,
    ) -> str:
        """The symbol as text lines of '#' (dark) and '.' (light)."""
    @overload
    def to_text(
        self, target: _Target, *, quiet_zone: int = ..., scale: int = ..., dark: _Color = ...,
        light: _Color = ..., size_mm: Optional[float] = ..., dpi: int = ...,
        allow_low_contrast: bool = ...,
    ) -> None:
        """The symbol as text lines of '#' (dark) and '.' (light), written to
        target (a path or a binary file object, as UTF-8); OSError
        (FileNotFoundError, ...) when it cannot be written."""
    def save(
        self, target: _Target, *,
        format: Optional[Literal["svg", "png", "pdf", "eps", "txt", "unicode"]] = None,
        quiet_zone: int = ..., scale: int = ..., dark: _Color = ..., light: _Color = ...,
        size_mm: Optional[float] = ..., dpi: int = ...,
    ) -> None:
        """Write the symbol to target, a path or a binary file object, in the
        format `format` names, else the one of the path's extension (or of the
        file object's name: .svg, .png, .pdf, .eps, .txt). OSError
        (FileNotFoundError, ...) when the file cannot be written; RenderError
        for a file object without a name and no `format`."""
    def to_pil(
        self, *, quiet_zone: int = ..., scale: int = ..., dark: _Color = ..., light: _Color = ...,
        size_mm: Optional[float] = ..., dpi: int = ...,
    ) -> _PILImage.Image:
        """The symbol as a PIL image (needs Pillow; ImportError otherwise)."""
    def _repr_svg_(self) -> str: ...
    def __eq__(self, other: object, /) -> bool: ...
    def __hash__(self) -> int: ...
    def __reduce__(self) -> tuple[Any, ...]: ...

def encode(
    data: Union[str, bytes],
    *,
    ec: Literal["L", "M", "Q", "H", "l", "m", "q", "h"] = "M",
    version: Union[int, str, None] = None,
    mask: Optional[int] = None,
    boost_ec: bool = False,
    eci_utf8: bool = False,
    kanji: bool = True,
    symbol: Literal["qr", "micro", "rmqr"] = "qr",
    max_height: Optional[int] = None,
    max_width: Optional[int] = None,
) -> QrCode:
    """Encode text or bytes into the smallest QR Code that holds it.

    ec: error-correction level (default "M"). version: force a version 1-40
    (default: the smallest that fits). mask: force a mask 0-7 (default: lowest
    penalty). boost_ec: raise the EC level while the version still fits.
    eci_utf8: declare UTF-8 with ECI 26 (12 bits; strict readers). kanji:
    allow Kanji mode for JIS X 0208 characters.

    symbol: "micro" writes Micro QR (versions "M1"-"M4", EC L, M or Q, mask
    0-3), "rmqr" writes rMQR (versions "R7x43"-"R17x139", EC M or H, the least
    area within max_height / max_width modules).

    Raises civiqr.EncodeError when the data does not fit or an option is out of
    range, TypeError when an argument has the wrong type.
    """

def _restore(
    data: Union[str, bytes], ec: str, version: Union[int, str], mask: Optional[int],
    eci_utf8: bool, kanji: bool, symbol: str = "qr",
) -> QrCode: ...

MAX_FILE_BYTES: int

def _decode_pixels(
    data: bytes, width: int, height: int, channels: int, *, try_harder: bool = False,
    try_inverted: bool = True, quick: bool = False, pure: bool = False,
    max_symbols: int = 1024, symbologies: Optional[list[str]] = None,
) -> list[dict[str, Any]]: ...
def _decode_file_bytes(
    data: bytes, *, try_harder: bool = False, try_inverted: bool = True, quick: bool = False,
    pure: bool = False, max_symbols: int = 1024, symbologies: Optional[list[str]] = None,
) -> list[dict[str, Any]]: ...
def _decode_path(
    path: str, *, try_harder: bool = False, try_inverted: bool = True, quick: bool = False,
    pure: bool = False, max_symbols: int = 1024, symbologies: Optional[list[str]] = None,
) -> list[dict[str, Any]]: ...

_Patches = tuple[tuple[int, float], tuple[int, float]]

def _grade_pixels(
    data: bytes, width: int, height: int, channels: int, *, try_harder: bool = False,
    aperture_px: Optional[float] = None, aperture_modules: Optional[float] = None,
    calibration: Optional[_Patches] = None,
) -> list[dict[str, Any]]: ...
def _grade_file_bytes(
    data: bytes, *, try_harder: bool = False, aperture_px: Optional[float] = None,
    aperture_modules: Optional[float] = None, calibration: Optional[_Patches] = None,
) -> list[dict[str, Any]]: ...
def _grade_path(
    path: str, *, try_harder: bool = False, aperture_px: Optional[float] = None,
    aperture_modules: Optional[float] = None, calibration: Optional[_Patches] = None,
) -> list[dict[str, Any]]: ...

_Canonical = tuple[str, str, list[tuple[str, str]], Optional[str]]

def _payload_build(kind: str, fields: list[tuple[str, str]]) -> _Canonical: ...
def _payload_parse(text: str) -> _Canonical: ...
def _payload_parse_kind(kind: str, text: str) -> _Canonical: ...
def _url_from_template(template: str, values: dict[str, str]) -> _Canonical: ...

@final
class SigningKey:
    """An issuer's private Ed25519 signing key with its name and key id
    (scheme civiqr-sig-2, see docs/SIGNING.md). Errors are civiqr.SignError."""

    @staticmethod
    def generate(issuer: str) -> SigningKey:
        """A new key from os.urandom."""
    @staticmethod
    def from_seed(seed: bytes, issuer: str) -> SigningKey:
        """The key from a 32-byte Ed25519 seed."""
    @staticmethod
    def from_key_file(text: str) -> SigningKey:
        """Reads the text of a key file (as `civiqr keygen` writes it)."""
    def to_key_file(self) -> str:
        """The key file text; keep it readable by its owner only."""
    @property
    def key_id(self) -> str:
        """5 base32 characters naming the public key."""
    @property
    def issuer(self) -> str: ...
    @property
    def public_key(self) -> bytes:
        """The 32-byte Ed25519 public key."""

@final
class TrustList:
    """The public keys a verifier trusts, by key id. Errors are civiqr.TrustError."""

    def __init__(self) -> None: ...
    @staticmethod
    def from_json(text: str) -> TrustList:
        """Reads the text of a trust file."""
    def with_key(
        self, key: SigningKey, *, not_before: Optional[datetime.date] = None,
        not_after: Optional[datetime.date] = None,
    ) -> TrustList:
        """A copy with key's public key added, valid between the dates (inclusive;
        None: no limit)."""
    def merged(self, other: TrustList) -> TrustList:
        """A new list holding the keys of both."""
    def to_json(self) -> str:
        """The trust file text."""
    @property
    def key_ids(self) -> list[str]: ...
    def __len__(self) -> int: ...
    def __reduce__(self) -> tuple[Any, ...]: ...

def _trust_restore(text: str) -> TrustList: ...

def _sign(content: str, key: SigningKey) -> str: ...
def _load_key(path: str, insecure_permissions: bool) -> SigningKey: ...
def _load_trust_file(path: str) -> TrustList: ...
def _verify(
    data: Union[str, bytes], trust: TrustList, today: tuple[int, int, int],
) -> tuple[
    Literal["valid", "invalid", "unknown_key", "expired", "unsigned"], Optional[str], Optional[str],
    int, str,
]: ...

def _batch(
    table: Union[str, bytes, tuple[list[str], list[list[str]]]], out: str, *,
    name: Optional[str] = None, formats: Optional[list[str]] = None,
    template: Optional[str] = None, sign_key: Optional[SigningKey] = None,
    sheet: Optional[Literal["a4", "a3", "letter"]] = None, grid: Optional[str] = None,
    grid_margins: Optional[tuple[float, float]] = None,
    grid_gutter: Optional[tuple[float, float]] = None,
    ec: Optional[Literal["L", "M", "Q", "H"]] = None, max_version: Optional[int] = None,
    quiet_zone: int = 4, scale: Optional[int] = None, dpi: Optional[int] = None,
    size_mm: Optional[float] = None, reading_distance: Union[float, str, None] = None,
    verify: bool = True, grade: bool = False, jobs: Optional[int] = None, delimiter: Optional[str] = None,
    encoding: Literal["auto", "utf-8", "windows-1252"] = "auto",
    sheet_name: Optional[str] = None,
    progress: Optional[Callable[[int, int, int], Any]] = None,
) -> dict[str, Any]:
    """Runs a batch (civiqr.batch converts its arguments and the report)."""

@final
class Manifest:
    """A batch manifest (manifest.csv or manifest.json as `civiqr batch` writes
    them), its assets found by exact payload. Errors are civiqr.ManifestError
    (naming the file and line) or the OSError `open` raises."""

    @staticmethod
    def load(path: Union[str, os.PathLike[str]]) -> Manifest:
        """Reads a manifest file: JSON when its name ends in .json, else CSV."""
    @staticmethod
    def from_csv(text: str, *, name: str = "manifest.csv") -> Manifest:
        """Reads the text of a CSV manifest; name names it in errors."""
    @staticmethod
    def from_json(text: str, *, name: str = "manifest.json") -> Manifest:
        """Reads the text of a JSON manifest; name names it in errors."""
    def find(self, payload: str) -> Optional[str]:
        """The id of the asset whose payload is exactly payload, or None."""
    @property
    def ids(self) -> list[str]:
        """Every asset's id, in file order."""
    @property
    def name(self) -> str:
        """The file (or the name given) it was read from."""
    def __len__(self) -> int: ...
    def __reduce__(self) -> tuple[Any, ...]: ...

def _manifest_restore(name: str, assets: Any) -> Manifest: ...
def _check_thresholds(limits: tuple[int, int, float, float]) -> None: ...

_Photos = list[dict[str, Any]]

def _list_photos(paths: list[str]) -> list[Any]:
    """The photos civiqr audit reads for these arguments (core's rule)."""
def _audit_path(
    path: str, manifest: Manifest, trust: Optional[TrustList], settings: dict[str, Any],
) -> dict[str, Any]:
    """Audits one photo file (civiqr.audit_photo checks the settings)."""
def _audit_bytes(
    file: str, data: bytes, manifest: Manifest, trust: Optional[TrustList],
    settings: dict[str, Any],
) -> dict[str, Any]: ...
def _mark_duplicates(photos: _Photos) -> _Photos: ...
def _audit_rows(photos: _Photos) -> list[dict[str, Any]]: ...
def _audit_summary(photos: _Photos) -> dict[str, int]: ...
def _audit_text(photos: _Photos, kind: Literal["csv", "json", "html"], title: str = "") -> str: ...
def _audit_write(
    photos: _Photos, *, title: str, report: Optional[str] = None, csv: Optional[str] = None,
    json: Optional[str] = None,
) -> None: ...
