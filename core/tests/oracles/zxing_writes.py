"""Writes Micro QR and rMQR symbols with zxing-cpp's writer (and Micro QR
with segno's) into the folder
given as argument (PNG, 3 pixels per module, quiet zone included) and prints
one JSON line per symbol: file, text, symbology, and the payload bytes as
hex (what zxing-cpp's reader returns for the symbol: its writer picks the
charset, ISO-8859-1 when the text fits it, without an ECI). Used by
core/tests/small_oracles.rs to check that civiqr reads what zxing-cpp writes."""
import json
import pathlib
import sys

import numpy as np
import segno
import zxingcpp
from PIL import Image

out = pathlib.Path(sys.argv[1])
texts = ["1", "12345", "HELLO", "MICRO QR 42", "hello", "Bench 7", "0123456789" * 3,
         "https://ex.org/a", "Grüße", "点茗", "RMQR STREET 2026", "lamp-post/17?x=1",
         "A" * 40, "9" * 70, "Tour de l'Horloge, 1512", "x" * 60, "3.14159265358979323846" * 5,
         "Parc de la Tête d'Or, entrée nord: plan du parc et horaires d'ouverture."]
formats = [("micro", zxingcpp.BarcodeFormat.MicroQRCode, ["L", "M", "Q"]),
           ("rmqr", zxingcpp.BarcodeFormat.RMQRCode, ["M", "H"])]
n = 0
for name, fmt, levels in formats:
    for ec in levels:
        for text in texts:
            try:
                b = zxingcpp.create_barcode(text, fmt, ec_level=ec)
            except Exception:
                continue  # too long for this symbology and level
            img = np.array(zxingcpp.write_barcode_to_image(b, scale=3))
            path = out / f"{name}-{ec}-{n}.png"
            Image.fromarray(img).save(path)
            payload = zxingcpp.read_barcode(img, formats=fmt).bytes.hex()
            print(json.dumps({"file": str(path), "text": text, "symbology": name, "hex": payload}))
            n += 1

# segno's Micro QR writer; the bytes expected are zxing-cpp's reading of the
# same image (segno#148: segno adds a 0x00 byte in some byte-mode cases, so
# the content both readers see is compared, not the input text).
for ec in ["L", "M", "Q"]:
    for text in texts:
        try:
            q = segno.make_micro(text, error=ec, boost_error=False)
        except Exception:
            continue
        dark = np.pad(np.array(q.matrix, dtype=bool), 2, constant_values=False)
        img = np.kron(np.where(dark, 0, 255).astype(np.uint8), np.ones((3, 3), dtype=np.uint8))
        found = zxingcpp.read_barcodes(img, formats=zxingcpp.BarcodeFormat.MicroQRCode)
        if len(found) != 1:
            continue
        path = out / f"segno-{ec}-{n}.png"
        Image.fromarray(img).save(path)
        print(json.dumps({"file": str(path), "text": text, "symbology": "micro",
                          "hex": found[0].bytes.hex()}))
        n += 1
