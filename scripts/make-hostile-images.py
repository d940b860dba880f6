#!/usr/bin/env python3
"""Writes the image files of the memory probes (docs/RELIABILITY.md) into DIR.

Usage: python3 scripts/make-hostile-images.py DIR

  rgba16-64mp.png   8000 x 8000 16-bit RGBA, white (512 MB at full depth)
  rgb16-64mp.png    8000 x 8000 16-bit RGB, white (384 MB at full depth)
  icc-1gib.png      64 x 64 grey whose iCCP chunk inflates to 1 GiB
  text-1gib.png     64 x 64 grey whose zTXt chunk inflates to 1 GiB

PNG is written by hand (chunks, zlib, CRC) so that any colour type, bit depth
and ancillary chunk can be made; only the standard library is needed.
"""
import pathlib
import struct
import sys
import zlib


def chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def ihdr(width: int, height: int, depth: int, colour: int) -> bytes:
    return chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, depth, colour, 0, 0, 0))


def idat_rows(row: bytes, height: int) -> bytes:
    """The same row (filter byte 0 + samples) `height` times, deflated in a stream."""
    z = zlib.compressobj(1)
    parts = [z.compress(b"\0" + row) for _ in range(height)]
    parts.append(z.flush())
    return chunk(b"IDAT", b"".join(parts))


def inflating_to(n: int) -> bytes:
    """A zlib stream of `n` zero bytes (about n / 1000 bytes long)."""
    z = zlib.compressobj(9)
    block = bytes(1 << 20)
    out = [z.compress(block) for _ in range(n >> 20)]
    out.append(z.flush())
    return b"".join(out)


def write(path: pathlib.Path, chunks: list) -> None:
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + b"".join(chunks) + chunk(b"IEND", b""))
    print(f"{path}: {path.stat().st_size:,} bytes")


def main() -> None:
    out = pathlib.Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    side = 8000
    write(out / "rgba16-64mp.png", [ihdr(side, side, 16, 6), idat_rows(b"\xff" * (8 * side), side)])
    write(out / "rgb16-64mp.png", [ihdr(side, side, 16, 2), idat_rows(b"\xff" * (6 * side), side)])
    small = [ihdr(64, 64, 8, 0)]
    pixels = idat_rows(b"\xff" * 64, 64)
    bomb = inflating_to(1 << 30)
    write(out / "icc-1gib.png", small + [chunk(b"iCCP", b"profile\0\0" + bomb), pixels])
    write(out / "text-1gib.png", small + [chunk(b"zTXt", b"Comment\0\0" + bomb), pixels])


if __name__ == "__main__":
    main()
