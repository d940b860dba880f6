#!/usr/bin/env python3
"""Writes the small seed corpora of the fuzz targets into fuzz/seeds/TARGET/.

Usage: .venv/bin/python scripts/fuzz-seeds.py   (needs the civiqr wheel, Pillow)

Each seed is a valid input of its target's format (see fuzz/fuzz_targets/*.rs),
so the fuzzer starts from inputs that reach deep into the pipeline.
"""
import base64
import hashlib
import io
import json
import pathlib
import struct

import civiqr
from PIL import Image

ROOT = pathlib.Path(__file__).resolve().parent.parent / "fuzz" / "seeds"


def write(target, name, data):
    d = ROOT / target
    d.mkdir(parents=True, exist_ok=True)
    (d / name).write_bytes(data)


def grey(code, scale=1, quiet=4):
    """Rows of grey pixels (0 dark, 255 light) of a symbol with a quiet zone."""
    m = code.matrix
    n = code.size
    side = (n + 2 * quiet) * scale
    px = bytearray([255]) * (side * side)
    for y in range(n):
        for x in range(n):
            if m[y][x]:
                for dy in range(scale):
                    row = ((y + quiet) * scale + dy) * side
                    px[row + (x + quiet) * scale: row + (x + quiet + 1) * scale] = b"\0" * scale
    return side, bytes(px)


def bits(code):
    """The modules row by row, most significant bit first."""
    out, acc, k = bytearray(), 0, 0
    for row in code.matrix:
        for dark in row:
            acc = acc << 1 | int(bool(dark))
            k += 1
            if k == 8:
                out.append(acc)
                acc, k = 0, 0
    if k:
        out.append(acc << (8 - k))
    return bytes(out)


texts = ["HELLO WORLD", "https://example.org/banc-42", "0123456789012345", "点茗 テスト"]

for i, t in enumerate(texts):
    code = civiqr.encode(t, ec="L")
    side, px = grey(code, scale=2 if i % 2 else 1)
    # reader: width (u16 le), format 0 = grey, flags 0 = height from the buffer.
    write("reader", f"qr-{i}", struct.pack("<H", side) + b"\0\0" + px)
    # grid: version - 1, then the module bits.
    write("grid", f"v{code.version}-{i}", bytes([code.version - 1]) + bits(code))
    # encoder: EC/flags, min version, max version, mask/mode, then the data.
    write("encoder", f"text-{i}", bytes([0x40 | i, 1, 40, 9]) + t.encode())

# The rMQR sizes by version indicator (ISO/IEC 23941 Table 1), civiqr's order.
RMQR_SIZES = [f"R{h}x{w}" for h, ws in [(7, [43, 59, 77, 99, 139]), (9, [43, 59, 77, 99, 139]),
                                        (11, [27, 43, 59, 77, 99, 139]),
                                        (13, [27, 43, 59, 77, 99, 139]),
                                        (15, [43, 59, 77, 99, 139]), (17, [43, 59, 77, 99, 139])]
              for w in ws]
assert len(RMQR_SIZES) == 32

# small_grid: an even first byte picks Micro QR M1-M4 (v / 2 % 4), an odd one
# an rMQR size (v / 2 % 32 in civiqr's order of sizes), then the module bits.
for i, (text, version) in enumerate([("12345", "M1"), ("AB12", "M2"), ("micro", "M3"),
                                     ("https://ex.org", "M4")]):
    code = civiqr.encode(text, ec="L", symbol="micro",
                         version=version)
    write("small_grid", f"{version}", bytes([2 * (int(version[1]) - 1)]) + bits(code))
for i, text in enumerate(["https://example.org/lamp/17", "R7"]):
    code = civiqr.encode(text, ec="M", symbol="rmqr")
    index = RMQR_SIZES.index(code.version_name)
    write("small_grid", f"rmqr-{i}", bytes([2 * index + 1]) + bits(code))

# An RGBA frame with a symbol (format 2).
code = civiqr.encode("RGBA", ec="M")
side, px = grey(code, scale=2)
rgba = b"".join(bytes([v, v, v, 255]) for v in px)
write("reader", "rgba", struct.pack("<H", side) + b"\x02\0" + rgba)

# bitstream: version - 1, then data codewords. Byte mode "ab"; numeric "012"
# with an ECI 26 designator; alphanumeric "AB"; structured append header.
write("bitstream", "byte", bytes([0, 0x40, 0x26, 0x16, 0x20, 0xEC, 0x11]))
write("bitstream", "eci-numeric", bytes([0, 0x71, 0xA1, 0x00, 0xC0, 0x30, 0x00, 0xEC]))
write("bitstream", "alnum", bytes([0, 0x20, 0x09, 0xCD, 0x00, 0xEC, 0x11]))
write("bitstream", "append", bytes([0, 0x30, 0x1F, 0x74, 0x02, 0x61, 0x62, 0x00]))
write("bitstream", "kanji-v10", bytes([9, 0x80, 0x04, 0xD9, 0x7C, 0x00, 0xEC]))

# image_file: one small file per format.
img = Image.frombytes("L", (side, side), px)
for fmt, ext in [("PNG", "png"), ("JPEG", "jpg"), ("GIF", "gif"), ("BMP", "bmp"),
                 ("TIFF", "tif"), ("WEBP", "webp")]:
    buf = io.BytesIO()
    img.save(buf, fmt)
    write("image_file", f"qr.{ext}", buf.getvalue())

payloads = [
    "https://www.saint-omer.fr/stationnement?zone=3",
    "WIFI:T:WPA;S:Mairie Invites;P:pa\\;ss;H:false;;",
    "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Martin;Anne\r\nFN:Anne Martin\r\nTEL:+33321000000\r\nEND:VCARD",
    "MECARD:N:Martin,Anne;TEL:+33321000000;EMAIL:a@example.org;;",
    "BCD\n002\n1\nSCT\n\nTresor Public\nFR7630006000011234567890189\nEUR2.40\n\n\nStationnement",
    "geo:50.75,2.25?q=Cathedrale",
    "SMSTO:+33600000000:STOP",
    "sms:+33600000000?body=hello",
    "tel:+33321000000",
    "mailto:mairie@example.org?subject=Banc",
    "url\nurl=https://example.org/a",
    "wifi\nssid=Net\nauth=WPA\npassword=secret",
    "epc\nname=Tresor Public\niban=FR7630006000011234567890189\namount=2.40",
]
for i, p in enumerate(payloads):
    write("payload", f"p{i}", p.encode())

csvs = [
    "id,url,label\nb1,https://example.org/b1,Banc 1\nb2,https://example.org/b2,Banc 2\n",
    "id,type,name,iban,amount,text\nm7,EPC,Tresor Public,FR7630006000011234567890189,2.40,Stationnement\n",
    "id,payload,distance\np,geo:1,2,3 m\n\"q,1\",\"tel:+33 3 21\",0.5\n",
]
for i, c in enumerate(csvs):
    write("batch_csv", f"c{i}", c.encode())

# trust_file: trust files as `keygen --trust-out` writes them (16-character
# key ids), as the first scheme wrote them (5-character ids), with dates,
# nulls and several keys; plus the edge cases the reader refuses.
def key_ids(public_key):
    digest = base64.b32encode(hashlib.sha512(public_key).digest()).decode()
    return digest[:16], digest[:5]


def trust_json(entries, legacy=False):
    members = []
    for issuer, pk, nb, na in entries:
        full, short = key_ids(pk)
        fields = [f'"issuer": {json.dumps(issuer)}', f'"public_key": "{pk.hex()}"']
        if nb is not None:
            fields.append(f'"not_before": {json.dumps(nb)}')
        if na is not None:
            fields.append(f'"not_after": {json.dumps(na)}')
        members.append(f'  "{short if legacy else full}": {{{", ".join(fields)}}}')
    return "{\n" + ",\n".join(members) + "\n}\n"


town = civiqr.SigningKey.from_seed(bytes(range(32)), "Ville de Saint-Omer (test key)")
capso = civiqr.SigningKey.from_seed(bytes([0x99]) * 32, "Communauté \"CAPSO\"")
entries = [(town.issuer, bytes(town.public_key), "2026-12-01", "2031-11-30"),
           (capso.issuer, bytes(capso.public_key), None, None)]
write("trust_file", "two-keys", trust_json(entries).encode())
write("trust_file", "legacy-ids", trust_json(entries, legacy=True).encode())
write("trust_file", "one-key-null-dates", trust_json(entries[1:]).replace(
    '"public_key"', '"not_before": null, "not_after": null, "public_key"').encode())
write("trust_file", "empty", b"{}")
write("trust_file", "escapes", trust_json([("Ville \u00e9\\ \t", bytes(town.public_key), None,
                                            "2030-02-29")]).encode())

print(f"seeds in {ROOT}")
