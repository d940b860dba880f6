#!/usr/bin/env python3
"""Generates a labelled corpus of distorted QR codes for reader comparisons.

Usage: scripts/make-distortions.py OUT_DIR [--per-kind N] [--seed S]
then:  scripts/reader-compare.py OUT_DIR   (civiqr vs zxing-cpp, per kind)

Symbols are made by segno (an independent encoder), so a reader bug cannot
cancel out an encoder bug. Each kind gets its own folder of PNG/JPEG images,
each with the expected text beside it (`.txt`), the layout of
../shared/samples. Kinds: rotation, perspective, curved (wrapped round a
pole), frame (a 640x480 frame, one small code in clutter), blur, noise, lowcontrast, uneven (light falling off), glare, night
(dark and noisy), jpeg, small (under 2.5 px per module), occlusion, clutter
(busy background), inverted, and mixed (several of these at once, as a phone
sees them). The street kinds of issue 21 come last (so the older kinds keep
their images for a seed): cylinder (wrapped 90-160 degrees round a pole, seen
in perspective), far (1.8-2.6 px per module in a 640x480 frame, blurred,
noisy, JPEG), engraved (grooves in a brushed-metal plate) and logo (EC H, a
large logo over the centre, tilted under warm light), then nested (a small
code printed inside the centre of a larger EC H one: both must be read; the
inner text is in `NAME.2.txt`), and farcam (far, through a phone camera's
pipeline: colour Bayer sensor with shot noise, demosaicing, sharpening and a
colour JPEG with 4:2:0 chroma). Only when named in `--kinds`: brushed (an
engraved plate whose streaks run at any angle and fade along their length;
engraved's streaks follow the image's rows) and covered (one or two patches of
20-45% of the symbol's side over it, dark, grey or light: a sticker, mud,
paint). `--kinds a,b` makes only
those kinds (each kind's images depend only on the seed, not on the others).

`--keep-structure` draws each covered image's finder patterns (with their
separators) and timing patterns back over the patches, the same image
otherwise: what a reader still misses there is damage past correction, not a
symbol it could not locate (docs/READER-LOG.md, "Codes under a sticker: what
locating them better could still read").
"""
import argparse
import io
import math
import pathlib
import random

import numpy as np
import segno
from PIL import Image, ImageDraw, ImageFilter

KINDS = ["frame", "rotation", "perspective", "curved", "blur", "noise", "lowcontrast", "uneven",
         "glare", "night", "jpeg", "small", "occlusion", "clutter", "inverted", "mixed",
         "cylinder", "far", "engraved", "logo", "nested", "farcam", "brushed", "covered"]
# Made only when named in --kinds: added after the benchmarks' seeds were
# set, so that a run without --kinds still writes the same 22 kinds.
OPT_IN = {"brushed", "covered"}

SERVICES = ["https://www.saint-omer.fr/", "https://paiement.example.org/horodateur/",
            "SMSTO:+33612345678:STOP ", "geo:50.7500,2.2520?q=", "https://tourisme.example.fr/site/"]


def payload(rng):
    base = rng.choice(SERVICES)
    tail = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz0123456789-") for _ in range(rng.randint(4, 90)))
    return base + tail


def sheet(text, rng, px=8):
    """The symbol as a float image (1 = light) with a 4-module quiet zone, px per module."""
    qr = segno.make_qr(text, error=rng.choice("lmqh"), boost_error=False)
    m = np.array(qr.matrix, dtype=np.float32)
    m = np.pad(1.0 - m, 4, constant_values=1.0)
    return np.kron(m, np.ones((px, px), dtype=np.float32)), m.shape[0]


def sheet_version(text, rng, versions, errors="lmqh", px=8):
    """`sheet`, at a version drawn from `versions`: the text is cut until it fits."""
    version, error = rng.choice(versions), rng.choice(errors)
    while True:
        try:
            qr = segno.make_qr(text, version=version, error=error, boost_error=False)
            break
        except segno.DataOverflowError:
            text = text[:-1]
    m = np.pad(1.0 - np.array(qr.matrix, dtype=np.float32), 4, constant_values=1.0)
    return text, np.kron(m, np.ones((px, px), dtype=np.float32)), m.shape[0]


def bilinear(img, x, y, fill=1.0):
    h, w = img.shape
    x0, y0 = np.floor(x).astype(int), np.floor(y).astype(int)
    fx, fy = x - x0, y - y0
    out = np.zeros_like(x, dtype=np.float32)
    for dy in (0, 1):
        for dx in (0, 1):
            xx, yy = x0 + dx, y0 + dy
            inside = (xx >= 0) & (yy >= 0) & (xx < w) & (yy < h)
            v = np.where(inside, img[np.clip(yy, 0, h - 1), np.clip(xx, 0, w - 1)], fill)
            out += v * (fx if dx else 1 - fx) * (fy if dy else 1 - fy)
    return out


def warp(src, modules, rng, module_px, angle=0.0, tilt=(0.0, 0.0), curve=0.0, size=None, centre=None):
    """Maps the sheet into an output image: scale to module_px, rotate, tilt, wrap on a cylinder."""
    spx = src.shape[0] / modules  # sheet pixels per module
    side = modules * module_px
    W, H = size or (int(side * 1.6) + 16,) * 2
    cx, cy = centre or (W / 2, H / 2)
    ys, xs = np.mgrid[0:H, 0:W].astype(np.float32)
    # Two-by-two supersampling, averaged afterwards.
    acc = np.zeros((H, W), dtype=np.float32)
    for oy in (0.25, 0.75):
        for ox in (0.25, 0.75):
            x = (xs + ox - cx) / (side / 2)
            y = (ys + oy - cy) / (side / 2)
            # Perspective: a projective map with w = 1 + a x + b y.
            wgt = 1.0 - tilt[0] * x - tilt[1] * y
            x, y = x / wgt, y / wgt
            c, s = math.cos(angle), math.sin(angle)
            x, y = c * x + s * y, -s * x + c * y
            if curve:
                # Seen from the front, a label on a cylinder of radius r (in
                # half-widths): image x = r sin(arc / r).
                r = 1.0 / curve
                x = np.where(np.abs(x) < r, r * np.arcsin(np.clip(x / r, -1, 1)), 99.0)
            u = (x * side / 2 + side / 2) / module_px * spx
            v = (y * side / 2 + side / 2) / module_px * spx
            acc += bilinear(src, u, v)
    return acc / 4.0


def photometric(img, rng, dark=20, light=235):
    return dark + img * (light - dark)


def to_image(a):
    return Image.fromarray(np.clip(a, 0, 255).astype(np.uint8), "L")


def blur(a, radius):
    return np.asarray(to_image(a).filter(ImageFilter.GaussianBlur(radius)), dtype=np.float32)


def noise(a, rng, sigma):
    return a + np.random.default_rng(rng.randint(0, 2**31)).normal(0, sigma, a.shape)


def gradient(a, rng, drop):
    h, w = a.shape
    ang = rng.uniform(0, 2 * math.pi)
    ys, xs = np.mgrid[0:h, 0:w]
    t = ((xs - w / 2) * math.cos(ang) + (ys - h / 2) * math.sin(ang)) / max(w, h) + 0.5
    return a * (1 - drop * t)


def glare(a, rng, module_px):
    h, w = a.shape
    cx, cy = rng.uniform(0.3, 0.7) * w, rng.uniform(0.3, 0.7) * h
    r = rng.uniform(0.08, 0.2) * min(w, h)
    ys, xs = np.mgrid[0:h, 0:w]
    d2 = ((xs - cx) ** 2 + (ys - cy) ** 2) / (r * r)
    return a + 200 * np.exp(-d2)


def occlude(a, rng, modules, module_px):
    im = to_image(a)
    dr = ImageDraw.Draw(im)
    h, w = a.shape
    side = modules * module_px
    for _ in range(rng.randint(1, 3)):
        rw, rh = rng.uniform(0.05, 0.18) * side, rng.uniform(0.05, 0.18) * side
        x = w / 2 + rng.uniform(-0.3, 0.3) * side
        y = h / 2 + rng.uniform(-0.3, 0.3) * side
        dr.ellipse([x, y, x + rw, y + rh], fill=rng.choice([0, 40, 200, 255]))
    return np.asarray(im, dtype=np.float32)


def structure(src, modules):
    """A sheet like `src`, 1 on the finder patterns with their separators and on the timing
    patterns, 0 elsewhere (the symbol starts 4 modules in, after the quiet zone)."""
    n = modules - 8
    m = np.zeros((modules, modules), dtype=np.float32)
    for r0, c0 in [(4, 4), (4, 4 + n - 8), (4 + n - 8, 4)]:
        m[r0:r0 + 8, c0:c0 + 8] = 1
    m[4 + 6, 4:4 + n] = 1
    m[4:4 + n, 4 + 6] = 1
    px = src.shape[0] // modules
    return np.kron(m, np.ones((px, px), dtype=np.float32))


def cover(a, rng, modules, module_px):
    """One or two patches over the symbol, larger than `occlude`'s: a sticker, mud or paint
    (dark, grey or light), an ellipse, a box or a splat, each 20-45% of the symbol's side."""
    im = to_image(a)
    dr = ImageDraw.Draw(im)
    h, w = a.shape
    side = modules * module_px
    for _ in range(rng.choice([1, 1, 2])):
        rw, rh = rng.uniform(0.2, 0.45) * side, rng.uniform(0.2, 0.45) * side
        x = w / 2 + rng.uniform(-0.45, 0.45) * side - rw / 2
        y = h / 2 + rng.uniform(-0.45, 0.45) * side - rh / 2
        fill = rng.choice([25, 60, 128, 215, 250])
        shape = rng.choice(["ellipse", "box", "splat"])
        if shape == "ellipse":
            dr.ellipse([x, y, x + rw, y + rh], fill=fill)
        elif shape == "box":
            dr.rectangle([x, y, x + rw, y + rh], fill=fill)
        else:
            cx, cy, n = x + rw / 2, y + rh / 2, rng.randint(7, 13)
            pts = [(cx + math.cos(2 * math.pi * k / n) * rw / 2 * rng.uniform(0.5, 1.0),
                    cy + math.sin(2 * math.pi * k / n) * rh / 2 * rng.uniform(0.5, 1.0)) for k in range(n)]
            dr.polygon(pts, fill=fill)
    return np.asarray(im, dtype=np.float32)


def clutter_background(h, w, rng):
    im = Image.new("L", (w, h), rng.randint(150, 240))
    dr = ImageDraw.Draw(im)
    for _ in range(rng.randint(20, 60)):
        x, y = rng.uniform(0, w), rng.uniform(0, h)
        s = rng.uniform(3, 40)
        kind = rng.random()
        if kind < 0.4:
            dr.rectangle([x, y, x + s, y + s * rng.uniform(0.3, 2)], fill=rng.randint(0, 255))
        elif kind < 0.7:
            dr.line([x, y, x + rng.uniform(-80, 80), y + rng.uniform(-80, 80)], fill=rng.randint(0, 120),
                    width=rng.randint(1, 4))
        else:
            dr.text((x, y), "".join(rng.choice("ABCDEFGH0123456789") for _ in range(8)), fill=rng.randint(0, 90))
    return np.asarray(im, dtype=np.float32)


def edge_ratio(half_angle, distance):
    """Width of the symbol's edge column over the centre's, seen in
    perspective from `distance` radii in front of the surface: cos(half_angle)
    from afar, less up close, 0 where the edge meets the pole's outline."""
    k, c = 1 + distance, math.cos(half_angle)
    return (k * c - 1) * (k - 1) / (k - c) ** 2


def pole_distance(half_angle, draw):
    """The camera's distance in radii for a draw in [3, 8]: that range where
    it keeps the edge columns at least half of cos(half_angle) of the
    centre's width (issue 21's geometry), else as far beyond the nearest such
    distance. Up close a strong wrap hides its edge columns behind the pole's
    outline, which no reader can read."""
    nearest = 3.0
    while edge_ratio(half_angle, nearest) < 0.5 * math.cos(half_angle):
        nearest += 0.1
    return draw + nearest - 3.0


def cylinder(src, modules, module_px, half_angle, distance, angle):
    """The sheet wrapped round a pole so that the symbol (quiet zone aside)
    covers 2 * half_angle radians of it, seen in perspective from `distance`
    radii in front of the surface, turned by `angle` in the image plane.
    Module widths at the edges are `edge_ratio` of the centre's, and the
    top and bottom edges bow (the edges are farther from the camera)."""
    spx = src.shape[0] / modules
    radius = (modules - 8) / 2 / half_angle  # in modules
    cam = radius * (1 + distance)  # camera to axis
    focal = module_px * (cam - radius)  # px per module at the front
    side = int(modules * module_px * 1.5) + 16
    ys, xs = np.mgrid[0:side, 0:side].astype(np.float32)
    acc = np.zeros((side, side), dtype=np.float32)
    c, s = math.cos(angle), math.sin(angle)
    for oy in (0.25, 0.75):
        for ox in (0.25, 0.75):
            px, py = xs + ox - side / 2, ys + oy - side / 2
            px, py = c * px + s * py, -s * px + c * py
            a, b = px / focal, py / focal
            # The ray (t a, t b, cam - t) meets x^2 + z^2 = radius^2 (axis at 0).
            q = a * a + 1
            disc = cam * cam - q * (cam * cam - radius * radius)
            t = (cam - np.sqrt(np.maximum(disc, 0))) / q
            phi = np.arctan2(t * a, cam - t)
            u = np.where(disc > 0, radius * phi + modules / 2, -99.0)
            v = np.where(disc > 0, t * b + modules / 2, -99.0)
            acc += bilinear(src * 0.9 + 0.1, u * spx, v * spx, fill=-1.0)
    # Beyond the pole's outline: the street behind it.
    return np.where(acc < 0, 0.45, np.clip(acc, 0, 1) / 0.9 - 0.1 / 0.9)


def brushed_metal(h, w, rng, turned=False):
    """A brass plate's grey: streaks along one direction, fine grain. With
    `turned`, the streaks run at any angle to the image's rows and fade in
    and out along their length (a plate brushed by hand, seen at an angle)."""
    g = np.random.default_rng(rng.randint(0, 2**31))
    if not turned:
        streaks = np.repeat(g.normal(0, 1, (h, 1)), w, axis=1)
    else:
        side = int(math.ceil(math.hypot(h, w))) + 4
        streaks = np.repeat(g.normal(0, 1, (side, 1)), side, axis=1)
        # Each streak's strength varies, 0.4-1.6 times engraved's, over about
        # 100 px along it.
        fade = np.asarray(to_image(128 + 60 * g.normal(0, 1, (side, side // 100 + 2))).resize(
            (side, side), Image.BILINEAR), dtype=np.float32)
        streaks *= 1 + np.clip(fade - 128, -60, 60) / 100
        im = to_image(128 + 40 * streaks).rotate(rng.uniform(0, 180), Image.BILINEAR)
        y0, x0 = (side - h) // 2, (side - w) // 2
        streaks = (np.asarray(im, dtype=np.float32)[y0:y0 + h, x0:x0 + w] - 128) / 40
    streaks = np.asarray(to_image(128 + 40 * streaks).filter(ImageFilter.GaussianBlur(1)), dtype=np.float32) - 128
    return rng.uniform(140, 185) + 0.35 * streaks + g.normal(0, 3, (h, w))


def logo(src, modules, rng):
    """A logo over the centre of the sheet: a light box with a dark emblem,
    covering a square 0.28-0.36 of the symbol's side (EC H restores 30 %)."""
    spx = src.shape[0] // modules
    sym = modules - 8
    half = rng.uniform(0.28, 0.36) * sym * spx / 2
    mid = src.shape[0] / 2
    im = to_image(src * 255)
    dr = ImageDraw.Draw(im)
    dr.rounded_rectangle([mid - half, mid - half, mid + half, mid + half], radius=half / 4, fill=250)
    r = half * 0.7
    dr.ellipse([mid - r, mid - r, mid + r, mid + r], fill=rng.randint(0, 90))
    dr.text((mid - r / 2, mid - r / 4), "CIVI", fill=240)
    return np.asarray(im, dtype=np.float32) / 255


def nested(rng):
    """An outer symbol at EC H (versions 4-10) with a small one (versions 1-3,
    turned by a multiple of 90 degrees) printed over its centre on a light
    margin of 0.5-2 inner modules, the inner symbol 0.15-0.3 of the outer's
    side and 2.5-4.5 px per module."""
    outer_text, src, modules = sheet_version(payload(rng), rng, range(4, 11), errors="h", px=1)
    inner_text, inner, inner_modules = sheet_version(payload(rng), rng, range(1, 4), px=1)
    frac, inner_px = rng.uniform(0.15, 0.3), rng.uniform(2.5, 4.5)
    module_px = inner_px * (inner_modules - 8) / (frac * (modules - 8))
    spx = 12  # sheet pixels per outer module
    sheet_px = np.kron(src, np.ones((spx, spx), dtype=np.float32))
    inner = np.rot90(inner, rng.randint(0, 3))
    margin = rng.uniform(0.5, 2.0)  # inner modules of light round the inner symbol
    box_modules = inner_modules - 8 + 2 * margin
    n = int(round(frac * (modules - 8) * spx * box_modules / (inner_modules - 8)))
    # Sheet pixel i of the box shows inner module 4 - margin + (i + 0.5) * box_modules / n.
    idx = np.floor(4 - margin + (np.arange(n) + 0.5) * box_modules / n).astype(int)
    top = (sheet_px.shape[0] - n) // 2
    sheet_px[top:top + n, top:top + n] = inner[np.ix_(idx, idx)]
    return outer_text, inner_text, sheet_px, modules, module_px


def camera(rgb, rng):
    """A phone camera's pipeline on a linear RGB scene (0-255, H x W x 3):
    lens blur, an RGGB Bayer sensor with shot and read noise, bilinear
    demosaicing, an unsharp mask, then a colour JPEG at quality 70-95 with
    4:2:0 chroma subsampling. Returns the JPEG's bytes."""
    g = np.random.default_rng(rng.randint(0, 2**31))
    optics = rng.uniform(0.4, 0.9)
    rgb = np.stack([blur(rgb[..., c], optics) for c in range(3)], axis=-1)
    h, w, _ = rgb.shape
    ys, xs = np.mgrid[0:h, 0:w]
    channel = np.where(ys % 2 == 0, np.where(xs % 2 == 0, 0, 1), np.where(xs % 2 == 0, 1, 2))
    raw = np.take_along_axis(rgb, channel[..., None], axis=2)[..., 0]
    # Shot noise grows with the square root of the signal; read noise is flat.
    gain = rng.uniform(0.05, 0.25)
    raw = raw + g.normal(0, 1, raw.shape) * np.sqrt(gain * np.maximum(raw, 0) + rng.uniform(1, 4))
    # Demosaicing: green interpolated, red and blue as green plus their
    # interpolated difference from it (colour-difference demosaicing).
    kernel = np.array([[0.25, 0.5, 0.25], [0.5, 1.0, 0.5], [0.25, 0.5, 0.25]], dtype=np.float32)

    def spread(values, mask):
        return conv3(values * mask, kernel) / np.maximum(conv3(mask, kernel), 1e-6)

    out = np.zeros_like(rgb)
    green = (channel == 1).astype(np.float32)
    out[..., 1] = np.where(channel == 1, raw, spread(raw, green))
    for c in (0, 2):
        mask = (channel == c).astype(np.float32)
        out[..., c] = out[..., 1] + spread(raw - out[..., 1], mask)
    sharp = rng.uniform(0.2, 0.6)
    out = np.stack([out[..., c] + sharp * (out[..., c] - blur(out[..., c], 1.0)) for c in range(3)], axis=-1)
    buf = io.BytesIO()
    Image.fromarray(np.clip(out, 0, 255).astype(np.uint8), "RGB").save(
        buf, "JPEG", quality=rng.randint(70, 95), subsampling="4:2:0")
    return buf.getvalue()


def conv3(a, k):
    """`a` convolved with the 3x3 kernel `k`, edges repeated."""
    p = np.pad(a, 1, mode="edge")
    h, w = a.shape
    return sum(k[dy, dx] * p[dy:dy + h, dx:dx + w] for dy in range(3) for dx in range(3))


def far_frame(text, rng, angle):
    """A far-away code (1.8-2.6 px per module, versions 1-10, tilt up to 0.1)
    anywhere in a 640x480 frame of clutter (sub-pixel phase: the centre is
    not on the pixel grid). Returns the text that fitted, the grey frame and
    the mask of the background (1 off the symbol's sheet)."""
    text, src, modules = sheet_version(text, rng, range(1, 11))
    module_px = rng.uniform(1.8, 2.6)
    tilt = (rng.uniform(-0.1, 0.1), rng.uniform(-0.1, 0.1))
    half = modules * module_px * 0.75
    centre = (rng.uniform(half, 640 - half), rng.uniform(half, 480 - half))
    a = warp(src, modules, rng, module_px, angle, tilt, 0.0, (640, 480), centre)
    mask = warp(np.zeros_like(src), modules, rng, module_px, angle, tilt, 0.0, (640, 480), centre)
    a = np.where(mask < 0.5, photometric(a, rng, rng.uniform(15, 50), rng.uniform(190, 240)),
                 clutter_background(480, 640, rng))
    return text, a, mask


def far_camera(rng):
    """`far_frame` under a tinted light, its clutter coloured, through `camera`."""
    text, grey, mask = far_frame(payload(rng), rng, rng.uniform(0, 2 * math.pi))
    tint = np.array([rng.uniform(0.85, 1.1), 1.0, rng.uniform(0.7, 1.05)], dtype=np.float32)
    rgb = grey[..., None] * tint[None, None, :]
    # Coloured clutter: the background's channels drift apart.
    shade = clutter_background(480, 640, rng) / 255
    rgb[..., 0] = np.where(mask < 0.5, rgb[..., 0], rgb[..., 0] * (0.6 + 0.6 * shade))
    return text, camera(rgb, rng), "jpg"


def make_street(kind, rng):
    """The street kinds: a pole, a far-away code, an engraved plate, a logo."""
    text = payload(rng)
    angle = rng.uniform(0, 2 * math.pi)
    if kind == "cylinder":
        text, src, modules = sheet_version(text, rng, range(1, 11))
        module_px, half_angle = rng.uniform(3.0, 9.0), rng.uniform(0.8, 1.4)
        distance = pole_distance(half_angle, rng.uniform(3.0, 8.0))
        a = cylinder(src, modules, module_px, half_angle, distance, angle)
        a = noise(blur(photometric(a, rng), 0.5), rng, 2)
    elif kind == "far":
        text, a, _ = far_frame(text, rng, angle)
        a = noise(blur(a, rng.uniform(0.4, 0.9)), rng, rng.uniform(1.5, 4))
        return jpeg(text, a, rng.randint(70, 95))
    elif kind in ("engraved", "brushed"):
        text, src, modules = sheet_version(text, rng, range(1, 8))
        module_px = rng.uniform(3.0, 6.0)
        tilt = (rng.uniform(-0.2, 0.2), rng.uniform(-0.2, 0.2))
        groove = 1 - warp(src, modules, rng, module_px, angle, tilt)
        soft = blur(groove * 255, module_px * 0.15) / 255
        gy, gx = np.gradient(soft)
        light = rng.uniform(0, 2 * math.pi)
        # A groove is darker inside and lit along the wall facing the light.
        relief = (gx * math.cos(light) + gy * math.sin(light)) * module_px * rng.uniform(20, 40)
        plate = brushed_metal(*groove.shape, rng, turned=kind == "brushed")
        a = plate - soft * rng.uniform(22, 40) + relief
        a = noise(blur(a, 0.6), rng, 2)
    else:  # logo
        text, src, modules = sheet_version(text, rng, range(2, 11), errors="h")
        src = logo(src, modules, rng)
        tilt = (rng.uniform(-0.3, 0.3), rng.uniform(-0.3, 0.3))
        a = warp(src, modules, rng, rng.uniform(3.0, 6.0), angle, tilt)
        a = gradient(photometric(a, rng, 35, rng.uniform(170, 225)), rng, rng.uniform(0.2, 0.5))
        a = noise(blur(a, rng.uniform(0.4, 1.0)), rng, 3)
        return jpeg(text, a, rng.randint(60, 90))
    buf = io.BytesIO()
    to_image(a).save(buf, "PNG")
    return text, buf.getvalue(), "png"


def jpeg(text, a, quality):
    buf = io.BytesIO()
    to_image(a).save(buf, "JPEG", quality=quality)
    return text, buf.getvalue(), "jpg"


def make(kind, rng, keep_structure=False):
    if kind in ("cylinder", "far", "engraved", "logo", "brushed"):
        return make_street(kind, rng)
    if kind == "farcam":
        return far_camera(rng)
    if kind == "nested":
        text, inner_text, src, modules, module_px = nested(rng)
        angle = rng.uniform(0, 2 * math.pi)
        tilt = (rng.uniform(-0.15, 0.15), rng.uniform(-0.15, 0.15))
        a = warp(src, modules, rng, module_px, angle, tilt)
        a = gradient(photometric(a, rng, rng.uniform(15, 50), rng.uniform(190, 240)), rng, rng.uniform(0.1, 0.4))
        a = noise(blur(a, rng.uniform(0.4, 0.9)), rng, rng.uniform(1.5, 4))
        text, data, ext = jpeg(text, a, rng.randint(70, 95))
        return text + "\0" + inner_text, data, ext
    text = payload(rng)
    src, modules = sheet(text, rng)
    angle = rng.uniform(0, 2 * math.pi)
    module_px = rng.uniform(3.0, 6.0)
    tilt, curve, size, centre = (0.0, 0.0), 0.0, None, None
    if kind == "rotation":
        pass
    elif kind == "frame":
        # A 640x480 camera frame with one small code somewhere in clutter.
        module_px = rng.uniform(2.2, 3.5)
        tilt = (rng.uniform(-0.15, 0.15), rng.uniform(-0.15, 0.15))
        size = (640, 480)
        half = modules * module_px * 0.75
        centre = (rng.uniform(half, 640 - half), rng.uniform(half, 480 - half))
    elif kind == "perspective":
        tilt = (rng.uniform(-0.35, 0.35), rng.uniform(-0.35, 0.35))
    elif kind == "curved":
        curve = rng.uniform(0.5, 0.9)
        module_px = rng.uniform(4.0, 7.0)
        angle = rng.choice([0.0, math.pi / 2, math.pi, 3 * math.pi / 2]) + rng.uniform(-0.15, 0.15)
    elif kind == "small":
        module_px = rng.uniform(1.6, 2.5)
    elif kind == "covered":
        tilt = (rng.uniform(-0.15, 0.15), rng.uniform(-0.15, 0.15))
    elif kind == "mixed":
        tilt = (rng.uniform(-0.25, 0.25), rng.uniform(-0.25, 0.25))
        curve = rng.choice([0.0, rng.uniform(0.3, 0.7)])
    if kind not in ("rotation", "mixed", "small", "curved"):
        angle = rng.uniform(-0.3, 0.3) + rng.choice([0, 0.5 * math.pi, math.pi, 1.5 * math.pi])
    a = warp(src, modules, rng, module_px, angle, tilt, curve, size, centre)
    h, w = a.shape
    dark, light = 20, 235
    if kind == "lowcontrast":
        mid = rng.uniform(90, 170)
        dark, light = mid - rng.uniform(15, 25), mid + rng.uniform(15, 25)
    if kind == "night":
        dark, light = 5, rng.uniform(45, 70)
    if kind in ("clutter", "frame"):
        bg = clutter_background(h, w, rng)
        mask = warp(np.zeros_like(src), modules, rng, module_px, angle, tilt, curve, size, centre)
        a = photometric(a, rng, dark, light)
        a = np.where(mask < 0.5, a, bg)
    else:
        a = photometric(a, rng, dark, light)
    if kind == "inverted":
        a = 255 - a
    if kind == "occlusion":
        a = occlude(a, rng, modules, module_px)
    if kind == "covered":
        before = a
        a = cover(a, rng, modules, module_px)
        if keep_structure:
            kept = warp(structure(src, modules), modules, rng, module_px, angle, tilt, curve, size, centre)
            a = np.where(kept > 0.01, before, a)
        a = blur(a, rng.uniform(0.3, 0.8))
    if kind in ("uneven", "mixed"):
        a = gradient(a, rng, rng.uniform(0.4, 0.75))
    if kind in ("glare",) or (kind == "mixed" and rng.random() < 0.3):
        a = glare(a, rng, module_px)
    if kind == "blur" or kind == "mixed":
        a = blur(a, module_px * rng.uniform(0.3, 0.6) if kind == "blur" else rng.uniform(0.5, 1.2))
    if kind in ("noise", "night", "mixed"):
        a = noise(a, rng, rng.uniform(15, 35) if kind == "noise" else rng.uniform(6, 14))
    else:
        a = noise(a, rng, 2)
    im = to_image(a)
    if kind in ("jpeg", "mixed"):
        buf = io.BytesIO()
        im.save(buf, "JPEG", quality=rng.randint(8, 25) if kind == "jpeg" else rng.randint(30, 70))
        return text, buf.getvalue(), "jpg"
    buf = io.BytesIO()
    im.save(buf, "PNG")
    return text, buf.getvalue(), "png"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--per-kind", type=int, default=12)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--kinds", help="comma-separated kinds (default: all)")
    ap.add_argument("--keep-structure", action="store_true",
                    help="covered: finder and timing patterns drawn back over the patches")
    args = ap.parse_args()
    out = pathlib.Path(args.out)
    kinds = args.kinds.split(",") if args.kinds else [k for k in KINDS if k not in OPT_IN]
    for kind in kinds:
        if kind not in KINDS:
            ap.error(f"unknown kind {kind!r}; kinds: {', '.join(KINDS)}")
    for ki, kind in enumerate(KINDS):
        if kind not in kinds:
            continue
        folder = out / f"qrcode-{kind}"  # the prefix sample_stats looks for
        folder.mkdir(parents=True, exist_ok=True)
        for i in range(args.per_kind):
            rng = random.Random(args.seed * 1000003 + ki * 1009 + i)
            text, data, ext = make(kind, rng, args.keep_structure)
            (folder / f"{i:03}.{ext}").write_bytes(data)
            # A second symbol's text (nested codes) goes beside the first's.
            for k, t in enumerate(text.split("\0")):
                (folder / (f"{i:03}.txt" if k == 0 else f"{i:03}.{k + 1}.txt")).write_bytes(t.encode())
    print(f"wrote {len(kinds) * args.per_kind} images to {out}")


if __name__ == "__main__":
    main()
