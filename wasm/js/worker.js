// civiqr scanner worker: decodes the frames the Scanner posts, off the main
// thread. A module worker loaded from the package's own directory, so a page
// needs only `worker-src 'self'` (no blob: URLs).
//
// Messages in:  {id, width, height, data: ArrayBuffer (RGBA), options}
//               or {id, bitmap: ImageBitmap, options} (read here through an
//               OffscreenCanvas, sparing the page's main thread)
// Messages out: {id, results, ms} or {id, error}; {id, noBitmaps: true} when
//               this browser has no OffscreenCanvas; {ready: true} once
//               loaded, {ready: false, error} if the module could not be loaded.

import { decode, init } from "./api.js";

init().then(
  () => self.postMessage({ ready: true }),
  (e) => self.postMessage({ ready: false, error: String(e?.message ?? e) }),
);

let canvas = null;
let ctx = null;

// The bitmap's pixels, drawn into a reused OffscreenCanvas.
function bitmapPixels(bitmap) {
  if (!canvas) {
    canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    ctx = canvas.getContext("2d", { alpha: false, willReadFrequently: true });
  }
  if (canvas.width !== bitmap.width || canvas.height !== bitmap.height) {
    canvas.width = bitmap.width;
    canvas.height = bitmap.height;
  }
  ctx.drawImage(bitmap, 0, 0);
  bitmap.close();
  return ctx.getImageData(0, 0, canvas.width, canvas.height);
}

self.onmessage = async (event) => {
  const { id, bitmap, options } = event.data;
  if (bitmap && typeof OffscreenCanvas === "undefined") {
    bitmap.close();
    self.postMessage({ id, noBitmaps: true });
    return;
  }
  try {
    await init();
    const image = bitmap ? bitmapPixels(bitmap) : { ...event.data, data: new Uint8Array(event.data.data) };
    const t0 = performance.now();
    const results = decode({ data: image.data, width: image.width, height: image.height }, options);
    const ms = performance.now() - t0;
    self.postMessage({ id, results, ms });
  } catch (e) {
    self.postMessage({ id, error: String(e?.message ?? e) });
  }
};
