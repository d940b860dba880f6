// civiqr/polyfill: sets globalThis.BarcodeDetector to civiqr's when the
// browser has none (Firefox, Safari, desktop Chrome on Windows and Linux).
// A browser's own detector is never replaced; use getBarcodeDetector() from
// the main entry to choose by the formats it reads.

import { BarcodeDetector } from "./detector.js";

if (typeof globalThis.BarcodeDetector !== "function") globalThis.BarcodeDetector = BarcodeDetector;

export { BarcodeDetector };
