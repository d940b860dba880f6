#!/usr/bin/env python3
"""Where do low-contrast symbols stop reading? Writes a URL with civiqr
encode at each grey level of the dark colour on white, makes four
phone-photo-like copies of each (Gaussian blur 1.5 px, scaled to 2/3,
lighting falling from 80 % to 50 % across the frame, sensor noise sigma 6)
and counts how many civiqr decode reads. The measurement behind
MIN_SYMBOL_CONTRAST (docs/CLI.md).

    .venv/bin/python scripts/contrast-probe.py target/debug/civiqr
"""
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
from PIL import Image, ImageFilter

URL = "https://www.saint-omer.fr/stationnement/horodateur/0042"


def reads(civiqr, path):
    return subprocess.run([civiqr, "decode", str(path)], capture_output=True).returncode == 0


def photo(clean, out, rng):
    blurred = Image.fromarray(clean).filter(ImageFilter.GaussianBlur(1.5))
    h, w = clean.shape
    a = np.asarray(blurred.resize((w * 2 // 3, h * 2 // 3)), dtype=np.float64)
    a = a * np.linspace(0.8, 0.5, a.shape[1])[None, :] + rng.normal(0, 6, a.shape)
    Image.fromarray(np.clip(a, 0, 255).astype(np.uint8)).save(out)


def main():
    civiqr = sys.argv[1] if len(sys.argv) > 1 else "civiqr"
    rng = np.random.default_rng(1)
    with tempfile.TemporaryDirectory() as tmp:
        code, shot = Path(tmp, "code.png"), Path(tmp, "photo.png")
        print("dark     contrast  clean  photos read")
        for g in range(0x80, 0x100, 8):
            dark = f"#{g:02x}{g:02x}{g:02x}"
            subprocess.run(
                [civiqr, "encode", URL, "--dark", dark, "--scale", "6", "-o", code,
                 "--allow-low-contrast"],
                check=True, capture_output=True)
            clean = np.asarray(Image.open(code).convert("L"))
            n = 0
            for _ in range(4):
                photo(clean, shot, rng)
                n += reads(civiqr, shot)
            print(f"{dark}  {(255 - g) / 255:6.1%}   {reads(civiqr, code)!s:5}  {n}/4")


if __name__ == "__main__":
    main()
