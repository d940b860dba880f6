"""Type stubs for the compiled module civiqr._civiqr."""

from __future__ import annotations

from typing import Literal, Optional, Union, final

@final
class QrCode:
    """An encoded QR Code symbol."""

    @property
    def size(self) -> int:
        """Side length in modules, without the quiet zone."""
    @property
    def version(self) -> int:
        """Version number, 1 to 40."""
    @property
    def ec(self) -> Literal["L", "M", "Q", "H"]:
        """Error-correction level."""
    @property
    def mask(self) -> int:
        """Mask pattern number, 0 to 7."""
    @property
    def matrix(self) -> list[list[bool]]:
        """Rows top to bottom of modules left to right, True for dark: matrix[y][x]."""
    def to_svg(self) -> str:
        """The symbol as a standalone SVG document."""

def encode(
    data: Union[str, bytes],
    *,
    ec: Literal["L", "M", "Q", "H", "l", "m", "q", "h"] = "M",
    version: Optional[int] = None,
    mask: Optional[int] = None,
    boost_ec: bool = False,
) -> QrCode:
    """Encode text or bytes into the smallest QR Code that holds it.

    ec: error-correction level (default "M"). version: force a version 1-40
    (default: the smallest that fits). mask: force a mask 0-7 (default: lowest
    penalty). boost_ec: raise the EC level while the version still fits.

    Raises civiqr.EncodeError when the data does not fit or an option is out of
    range, TypeError when an argument has the wrong type.
    """

MAX_FILE_BYTES: int

def _decode_pixels(
    data: bytes, width: int, height: int, channels: int, *, try_harder: bool = False,
    try_inverted: bool = True, pure: bool = False, max_symbols: int = 16,
) -> list[dict]: ...
def _decode_file_bytes(
    data: bytes, *, try_harder: bool = False, try_inverted: bool = True, pure: bool = False,
    max_symbols: int = 16,
) -> list[dict]: ...
