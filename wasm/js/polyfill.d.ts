// Types of civiqr/polyfill: importing it sets globalThis.BarcodeDetector when
// the browser has none.

export { BarcodeDetector } from "./civiqr.js";
