// A module worker for sources.test.mjs: the package imported in a Worker,
// detecting in the ImageBitmap or OffscreenCanvas it is sent.
import { BarcodeDetector } from "../pkg/civiqr.js";

self.onmessage = async ({ data }) => {
  try {
    const found = await new BarcodeDetector({ formats: ["qr_code"] }).detect(data.source);
    self.postMessage({ values: found.map((d) => d.rawValue), box: found[0]?.boundingBox instanceof DOMRectReadOnly });
  } catch (e) {
    self.postMessage({ error: e.name, message: e.message });
  }
};
