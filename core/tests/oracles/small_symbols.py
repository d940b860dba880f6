"""Reads the symbols civiqr wrote (JSON lines on stdin: text, symbology,
version, ec, rows of 0/1) with zxing-cpp, and for Micro QR compares with
segno. Prints one JSON summary line. Run by core/tests/small_oracles.rs."""
import json
import sys

import numpy as np
import segno
import zxingcpp

FORMATS = {"micro": zxingcpp.BarcodeFormat.MicroQRCode, "rmqr": zxingcpp.BarcodeFormat.RMQRCode}
summary = {"cases": 0, "zxing_read": 0, "segno_cases": 0, "segno_same_matrix": 0,
           "segno_not_smaller": 0, "failures": []}
for line in sys.stdin:
    case = json.loads(line)
    summary["cases"] += 1
    dark = np.array([[c == "1" for c in row] for row in case["rows"]], dtype=bool)
    dark = np.pad(dark, 2, constant_values=False)
    img = np.kron(np.where(dark, 0, 255).astype(np.uint8), np.ones((3, 3), dtype=np.uint8))
    found = zxingcpp.read_barcodes(img, formats=FORMATS[case["symbology"]])
    if [r.text for r in found] == [case["text"]]:
        summary["zxing_read"] += 1
    else:
        summary["failures"].append(
            f"zxing-cpp: {case['version']}-{case['ec']} {case['text'][:20]!r}: {[r.text for r in found]}")
    if case["symbology"] == "micro":
        summary["segno_cases"] += 1
        error = None if case["version"] == "M1" else case["ec"]
        # segno's own size choice is never smaller than ours (our mode split
        # is optimal); data it cannot fit at all counts as ours smaller.
        try:
            auto = segno.make_micro(case["text"], error=error, boost_error=False)
            if int(auto.designator[1]) >= int(case["version"][1]):
                summary["segno_not_smaller"] += 1
            else:
                summary["failures"].append(f"segno smaller: {auto.designator} vs {case['version']}")
        except segno.DataOverflowError:
            summary["segno_not_smaller"] += 1
            summary["segno_overflow"] = summary.get("segno_overflow", 0) + 1
        # segno's segmentation differs from the optimal one on mixed data, and
        # it adds a spurious byte in some byte-mode cases (segno#148): only
        # single-mode data without bytes is compared module by module.
        if case["single_mode"]:
            q = segno.make_micro(case["text"], version=case["version"], error=error, boost_error=False)
            rows = ["".join("1" if b else "0" for b in row) for row in q.matrix]
            if rows == case["rows"]:
                summary["segno_same_matrix"] += 1
            else:
                summary["failures"].append(f"segno matrix: {case['version']}-{case['ec']} {case['text']!r}")
print(json.dumps(summary))
