#!/usr/bin/env python3
"""Writes the image set of the web reader benchmark (wasm/tools/bench-node.mjs).

23 camera-like scenes of QR Codes made by segno (an independent encoder):
clean, rotated, perspective, blur, noise, low contrast, inverted, a small code
in a 1280x720 frame, JPEG, uneven light, logo occlusion, dense versions; then
30 street scenes from scripts/make-distortions.py (the first six of its
perspective, curved, night, glare and mixed kinds, seed 1: the same images as
its corpus), the kinds where readers differ most.
Each image is stored as raw RGBA (what a canvas gives a web page) in
target/web-bench/NAME.rgba, listed with its size and expected text in
target/web-bench/manifest.json. Deterministic (fixed seeds).

With `--frames MULTI_DIR` it writes instead the street frames of a set made by
scripts/make-multi.py (frame-code and frame-empty, upright; a code-free frame's
text is empty), for the camera schedule of bench-node.mjs (CAMERA=N).

Usage: .venv/bin/python scripts/web-bench-images.py [OUT_DIR] [--frames MULTI_DIR]
"""

import argparse
import importlib.util
import io
import json
import random
from pathlib import Path

import numpy as np
import segno
from PIL import Image, ImageFilter

ARGS = argparse.ArgumentParser()
ARGS.add_argument("out", nargs="?", default="target/web-bench")
ARGS.add_argument("--frames", default=None)
ARGS = ARGS.parse_args()
OUT = Path(ARGS.out)
URL = "https://example.org/mobilier/banc-0042"


def symbol(text, error="m", scale=6, border=4, version=None):
    """The symbol as a grey PIL image, black on white, with a quiet zone."""
    qr = segno.make_qr(text, error=error, version=version, boost_error=False)
    rows = np.array([list(r) for r in qr.matrix_iter(scale=1, border=border)], dtype=np.uint8)
    grey = np.where(rows == 1, 0, 255).astype(np.uint8)
    return Image.fromarray(np.kron(grey, np.ones((scale, scale), dtype=np.uint8)), "L")


def background(w, h, seed, level=170):
    """A mottled grey surface (street furniture, not a white page)."""
    rng = np.random.default_rng(seed)
    small = rng.normal(level, 18, (h // 40 + 2, w // 40 + 2)).clip(0, 255).astype(np.uint8)
    return Image.fromarray(small, "L").resize((w, h), Image.BILINEAR)


def place(sym, w=640, h=480, seed=1, at=None):
    img = background(w, h, seed)
    x, y = at if at else ((w - sym.width) // 2, (h - sym.height) // 2)
    img.paste(sym, (x, y))
    return img


def rotated(sym, degrees, w=640, h=480, seed=2):
    rgba = sym.convert("RGBA").rotate(degrees, resample=Image.BILINEAR, expand=True)
    img = background(w, h, seed).convert("RGBA")
    img.alpha_composite(rgba, ((w - rgba.width) // 2, (h - rgba.height) // 2))
    return img.convert("L")


def perspective_coeffs(dst, src):
    """PIL PERSPECTIVE coefficients mapping output points dst to input points src."""
    a = []
    for (x, y), (u, v) in zip(dst, src):
        a.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        a.append([0, 0, 0, x, y, 1, -v * x, -v * y])
    b = [c for p in src for c in p]
    return np.linalg.solve(np.array(a, dtype=float), np.array(b, dtype=float)).tolist()


def perspective(sym, quad, w=640, h=480, seed=3):
    """The symbol's square drawn onto the quadrilateral quad (TL, TR, BR, BL)."""
    s = sym.width
    coeffs = perspective_coeffs(quad, [(0, 0), (s, 0), (s, s), (0, s)])
    rgba = sym.convert("RGBA").transform((w, h), Image.PERSPECTIVE, coeffs, Image.BILINEAR)
    img = background(w, h, seed).convert("RGBA")
    img.alpha_composite(rgba)
    return img.convert("L")


def noisy(img, sigma, seed=4):
    rng = np.random.default_rng(seed)
    a = np.asarray(img, dtype=float) + rng.normal(0, sigma, (img.height, img.width))
    return Image.fromarray(a.clip(0, 255).astype(np.uint8), "L")


def contrast(img, lo, hi):
    a = np.asarray(img, dtype=float) / 255.0
    return Image.fromarray((lo + a * (hi - lo)).astype(np.uint8), "L")


def uneven(img, strength, seed=5):
    """A light gradient plus a soft shadow across the image."""
    h, w = img.height, img.width
    yy, xx = np.mgrid[0:h, 0:w]
    light = 1.0 - strength * (xx / w) * 0.8
    light -= strength * 0.5 * np.exp(-(((xx - w * 0.35) / (w * 0.15)) ** 2))
    a = np.asarray(img, dtype=float) * light.clip(0.15, 1)
    return Image.fromarray(a.clip(0, 255).astype(np.uint8), "L")


def jpeg(img, quality):
    buf = io.BytesIO()
    img.convert("RGB").save(buf, "JPEG", quality=quality)
    return Image.open(io.BytesIO(buf.getvalue())).convert("L")


def logo(sym, fraction):
    """A filled square logo over the middle of the symbol (needs level H)."""
    img = sym.copy()
    s = int(sym.width * fraction)
    x = (sym.width - s) // 2
    img.paste(Image.new("L", (s, s), 90), (x, x))
    return img


def scenes():
    url_m = symbol(URL, scale=6)
    yield "clean", URL, place(url_m)
    yield "clean-large-v10", "civiqr " * 24, place(symbol("civiqr " * 24, scale=5))
    yield "dense-v20-3px", "x" * 500, place(symbol("x" * 500, error="l", scale=3, border=2), 1280, 720)
    yield "rotated-15", URL, rotated(url_m, 15)
    yield "rotated-45", URL, rotated(url_m, 45)
    yield "rotated-170", URL, rotated(url_m, 170)
    yield "perspective-mild", URL, perspective(url_m, [(190, 110), (450, 130), (440, 380), (200, 360)])
    yield "perspective-strong", URL, perspective(url_m, [(120, 60), (540, 170), (520, 320), (150, 440)])
    yield "blur-1.5", URL, place(url_m).filter(ImageFilter.GaussianBlur(1.5))
    yield "blur-2.5", URL, place(url_m).filter(ImageFilter.GaussianBlur(2.5))
    yield "noise-20", URL, noisy(place(url_m), 20)
    yield "noise-60", URL, noisy(place(url_m), 60)
    yield "low-contrast", URL, contrast(place(url_m), 112, 140)
    yield "inverted", URL, Image.eval(place(url_m), lambda v: 255 - v)
    yield "small-in-720p", URL, place(symbol(URL, scale=3), 1280, 720, at=(900, 420))
    yield "jpeg-q30", URL, jpeg(place(url_m), 30)
    yield "jpeg-q10-rotated", URL, jpeg(rotated(url_m, 25), 10)
    yield "uneven-light", URL, uneven(place(url_m), 0.8)
    yield "shadow-perspective", URL, uneven(perspective(url_m, [(170, 100), (470, 120), (450, 400), (190, 380)]), 0.9)
    yield "logo-h", URL, place(logo(symbol(URL, error="h", scale=6), 0.2))
    tiny = symbol(URL, scale=3)
    tiny = tiny.resize((tiny.width // 2, tiny.height // 2), Image.BILINEAR)
    yield "tiny-1.5px", URL, place(tiny, 320, 240)
    yield "numeric", "0123456789" * 8, place(symbol("0123456789" * 8, scale=5))
    yield "blur-noise-jpeg", URL, jpeg(noisy(place(url_m).filter(ImageFilter.GaussianBlur(1.2)), 15), 40)


def street_scenes():
    """The first six images of the harder kinds of make-distortions.py, seed 1."""
    path = Path(__file__).with_name("make-distortions.py")
    spec = importlib.util.spec_from_file_location("make_distortions", path)
    md = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(md)
    for kind in ["perspective", "curved", "night", "glare", "mixed"]:
        ki = md.KINDS.index(kind)
        for i in range(6):
            # The seeding of make-distortions.py's main(), so these are its files.
            rng = random.Random(1 * 1000003 + ki * 1009 + i)
            text, data, _ext = md.make(kind, rng)
            yield f"street-{kind}-{i}", text, Image.open(io.BytesIO(data)).convert("L")


def street_frames(multi):
    """make-multi.py's street frames, with and without a code, upright."""
    for kind in ("frame-code", "frame-empty"):
        for path in sorted((Path(multi) / kind).glob("*.png")):
            texts = [t for t in path.with_suffix(".txt").read_text().splitlines() if t]
            yield f"{kind}-{path.stem}", texts[0] if texts else "", Image.open(path).convert("L")


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    manifest = []
    images = street_frames(ARGS.frames) if ARGS.frames else [*scenes(), *street_scenes()]
    for name, text, img in images:
        rgba = img.convert("RGBA")
        (OUT / f"{name}.rgba").write_bytes(rgba.tobytes())
        img.save(OUT / f"{name}.png")
        manifest.append({"name": name, "width": rgba.width, "height": rgba.height, "text": text})
    (OUT / "manifest.json").write_text(json.dumps(manifest, indent=1))
    print(f"{len(manifest)} images in {OUT}/")


if __name__ == "__main__":
    main()
