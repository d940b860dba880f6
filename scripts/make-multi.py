#!/usr/bin/env python3
"""Writes the many-codes and street-frame image set for scripts/multi-compare.py.

Usage: .venv/bin/python scripts/make-multi.py [OUT_DIR] [--civiqr BIN] [--seed S]

Kinds (one folder each, every image with a `.txt` beside it listing the texts
it holds, one per line; an empty `.txt` means no code):
- sheet-150, sheet-200, sheet-300: civiqr's own `batch --sheet a4` PDF (25
  codes of 30 mm with captions and cut marks) rasterised by pdftoppm at that
  dpi. Skipped with a note when pdftoppm or the civiqr binary is missing.
- grid: N x N codes (N = 2..10) drawn straight into pixels, 4-module quiet
  zones, 3-6 px per module; grid-tilt: the same photographed (turned 2-8
  degrees, slight blur and noise).
- many: one page of 500 small codes (version 1, 3 px per module).
- frame-empty: street-like frames without a code, 640x480 to 1280x720: sensor
  noise, brick and wood texture, text, building windows, foliage, and a mix.
- frame-code: the same backgrounds with one code (2.5-7 px per module, turned,
  tilted, blurred, noisy, JPEG), as a camera page sees it.

Symbols are made by segno (an independent encoder), except on the sheets,
which test civiqr's own print output. Deterministic for a given seed.
"""
import argparse
import io
import math
import pathlib
import random
import shutil
import subprocess
import tempfile

import numpy as np
import segno
from PIL import Image, ImageDraw, ImageFilter

SIZES = [(640, 480), (960, 540), (1280, 720)]
BACKGROUNDS = ["noise", "brick", "wood", "text", "windows", "foliage", "mixed"]


def matrix(text, error="m", border=4):
    """Light = 1.0, with a quiet zone of `border` modules."""
    qr = segno.make_qr(text, error=error, boost_error=False)
    return np.pad(1.0 - np.array(qr.matrix, dtype=np.float32), border, constant_values=1.0)


def grid_page(n, px, rng, prefix):
    """n x n codes side by side (each with its own quiet zone) on a white page."""
    texts = [f"https://example.org/{prefix}/{i:03d}-{rng.randrange(10**6):06d}" for i in range(n * n)]
    cells = [matrix(t) for t in texts]
    side = max(c.shape[0] for c in cells)
    page = np.ones((n * side, n * side), dtype=np.float32)
    for i, c in enumerate(cells):
        r, q = divmod(i, n)
        off = (side - c.shape[0]) // 2
        page[r * side + off:r * side + off + c.shape[0], q * side + off:q * side + off + c.shape[0]] = c
    margin = 2 * px * 4
    img = np.kron(page, np.ones((px, px), dtype=np.float32))
    img = np.pad(img, margin, constant_values=1.0)
    return Image.fromarray((img * 235 + 15).astype(np.uint8), "L"), texts


def photographed(img, rng):
    """A photo of a printed page: turned a little, soft, noisy."""
    angle = rng.uniform(2, 8) * rng.choice([-1, 1])
    out = img.rotate(angle, resample=Image.BILINEAR, expand=True, fillcolor=200)
    out = out.filter(ImageFilter.GaussianBlur(rng.uniform(0.4, 0.8)))
    a = np.asarray(out, dtype=np.float32) + np.random.default_rng(rng.randrange(1 << 30)).normal(0, 6, (out.height, out.width))
    return Image.fromarray(a.clip(0, 255).astype(np.uint8), "L")


def background(kind, w, h, rng):
    """A code-free street-like scene as a float array (0..255)."""
    nrng = np.random.default_rng(rng.randrange(1 << 30))
    base = Image.fromarray(nrng.normal(150, 30, (h // 48 + 2, w // 48 + 2)).clip(0, 255).astype(np.uint8), "L")
    img = base.resize((w, h), Image.BILINEAR)
    d = ImageDraw.Draw(img)
    if kind == "brick" or kind == "mixed":
        bh = rng.randint(12, 30)
        bw = bh * rng.randint(2, 3)
        for row, y in enumerate(range(0, h, bh)):
            shift = (row % 2) * bw // 2
            for x in range(-bw, w, bw):
                d.rectangle([x + shift, y, x + shift + bw - 3, y + bh - 3],
                            fill=int(nrng.normal(120, 25)), outline=60)
    if kind == "wood":
        ys = np.arange(h)[:, None]
        xs = np.arange(w)[None, :]
        grain = 128 + 60 * np.sin(ys / rng.uniform(3, 9) + 4 * np.sin(xs / rng.uniform(30, 90)))
        img = Image.fromarray(grain.clip(0, 255).astype(np.uint8), "L")
    if kind == "text" or kind == "mixed":
        d = ImageDraw.Draw(img)
        for _ in range(rng.randint(20, 60)):
            x, y = rng.randrange(w), rng.randrange(h)
            word = "".join(rng.choice("ABCDEFGHIJKLMNOPRSTUVW0123456789 ") for _ in range(rng.randint(4, 16)))
            d.text((x, y), word, fill=rng.choice([10, 30, 240]))
        for _ in range(rng.randint(5, 20)):
            # Signs with big bold letters: thick strokes, finder-like boxes.
            x, y, s = rng.randrange(w), rng.randrange(h), rng.randint(6, 20)
            for k in range(rng.randint(3, 8)):
                d.rectangle([x + k * 3 * s, y, x + k * 3 * s + 2 * s, y + 3 * s], outline=20, width=max(1, s // 2))
    if kind == "windows" or kind == "mixed":
        d = ImageDraw.Draw(img)
        ww, wh = rng.randint(10, 40), rng.randint(14, 50)
        gap = rng.randint(6, 20)
        for y in range(rng.randint(0, gap), h, wh + gap):
            for x in range(rng.randint(0, gap), w, ww + gap):
                d.rectangle([x, y, x + ww, y + wh], fill=rng.randint(20, 70), outline=200, width=2)
                d.line([x + ww // 2, y, x + ww // 2, y + wh], fill=200, width=2)
    if kind == "foliage" or kind == "mixed":
        d = ImageDraw.Draw(img)
        for _ in range(rng.randint(400, 1500)):
            x, y, r = rng.randrange(w), rng.randrange(h), rng.randint(2, 14)
            d.ellipse([x - r, y - r // 2, x + r, y + r // 2], fill=rng.choice([30, 60, 90, 200, 230]))
    a = np.asarray(img, dtype=np.float32)
    if kind == "noise" or kind == "mixed":
        a = a + nrng.normal(0, rng.uniform(10, 30), a.shape)
        # Salt and pepper, as a night sensor gives.
        speck = nrng.random(a.shape)
        a = np.where(speck < 0.01, 0, np.where(speck > 0.99, 255, a))
    return a.clip(0, 255)


def place_code(a, rng, text):
    """Draws one code into the scene: turned, tilted, 2.5-7 px per module."""
    h, w = a.shape
    m = matrix(text, error=rng.choice("lmqh"))
    n = m.shape[0]
    px = rng.uniform(2.5, 7)
    size = n * px
    cx, cy = rng.uniform(size / 2 + 4, w - size / 2 - 4), rng.uniform(size / 2 + 4, h - size / 2 - 4)
    angle = rng.uniform(0, 2 * math.pi)
    tx, ty = rng.uniform(-0.25, 0.25), rng.uniform(-0.25, 0.25)
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
    u, v = (xs - cx) / px, (ys - cy) / px
    c, s = math.cos(angle), math.sin(angle)
    ru, rv = c * u + s * v, -s * u + c * v
    k = 1 + tx * ru / n + ty * rv / n
    mu, mv = ru * k + n / 2, rv * k + n / 2
    inside = (mu >= 0) & (mv >= 0) & (mu < n) & (mv < n)
    mod = m[np.clip(mv.astype(int), 0, n - 1), np.clip(mu.astype(int), 0, n - 1)]
    return np.where(inside, 30 + mod * 190, a)


def camera(a, rng):
    img = Image.fromarray(a.clip(0, 255).astype(np.uint8), "L").filter(ImageFilter.GaussianBlur(rng.uniform(0.3, 1.0)))
    a = np.asarray(img, dtype=np.float32) + np.random.default_rng(rng.randrange(1 << 30)).normal(0, rng.uniform(2, 8), a.shape)
    buf = io.BytesIO()
    Image.fromarray(a.clip(0, 255).astype(np.uint8), "L").save(buf, "JPEG", quality=rng.randint(70, 95))
    return Image.open(io.BytesIO(buf.getvalue())).convert("L")


def write(out, kind, name, img, texts):
    folder = out / kind
    folder.mkdir(parents=True, exist_ok=True)
    img.save(folder / f"{name}.png")
    (folder / f"{name}.txt").write_text("".join(t + "\n" for t in texts))


def sheets(out, civiqr):
    pdftoppm = shutil.which("pdftoppm")
    if not pdftoppm or not civiqr:
        print("sheets skipped: needs pdftoppm (poppler-utils) and --civiqr BIN")
        return
    with tempfile.TemporaryDirectory() as tmp:
        tmp = pathlib.Path(tmp)
        rows = [f"S{i:03d},Bench {i}" for i in range(25)]
        (tmp / "assets.csv").write_text("id,label\n" + "\n".join(rows) + "\n")
        subprocess.run([civiqr, "batch", str(tmp / "assets.csv"), "--out", str(tmp / "out"),
                        "--template", "https://example.org/s/{id}", "--format", "svg",
                        "--sheet", "a4", "--size-mm", "30"], check=True, capture_output=True)
        texts = [f"https://example.org/s/S{i:03d}" for i in range(25)]
        for dpi in (150, 200, 300):
            subprocess.run([pdftoppm, "-r", str(dpi), "-gray", "-png", "-singlefile",
                            str(tmp / "out" / "sheet-a4.pdf"), str(tmp / "page")], check=True)
            write(out, f"sheet-{dpi}", "a4", Image.open(tmp / "page.png").convert("L"), texts)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out", nargs="?", default="target/multi")
    ap.add_argument("--civiqr", default=None, help="the civiqr binary, for the sheets")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    out = pathlib.Path(args.out)
    rng = random.Random(args.seed)
    sheets(out, args.civiqr)
    for n in range(2, 11):
        img, texts = grid_page(n, rng.randint(3, 6), rng, f"g{n}")
        write(out, "grid", f"{n}x{n}", img, texts)
        write(out, "grid-tilt", f"{n}x{n}", photographed(img, rng), texts)
    page = np.ones((20 * 29, 25 * 29), dtype=np.float32)
    texts = []
    for i in range(500):
        texts.append(f"P{i:03d}")
        r, q = divmod(i, 25)
        page[r * 29:(r + 1) * 29, q * 29:(q + 1) * 29] = matrix(texts[-1], error="l")
    img = np.pad(np.kron(page, np.ones((3, 3), dtype=np.float32)), 12, constant_values=1.0)
    write(out, "many", "500", Image.fromarray((img * 235 + 15).astype(np.uint8), "L"), texts)
    for i, kind in enumerate(BACKGROUNDS * 3):
        w, h = SIZES[i % len(SIZES)]
        for j in range(2):
            write(out, "frame-empty", f"{kind}-{i}-{j}", camera(background(kind, w, h, rng), rng), [])
            text = f"https://paiement.example.org/horodateur/{rng.randrange(10**8):08d}"
            scene = place_code(background(kind, w, h, rng), rng, text)
            write(out, "frame-code", f"{kind}-{i}-{j}", camera(scene, rng), [text])


if __name__ == "__main__":
    main()
