// civiqr scanner worker: decodes the frames the Scanner posts, off the main
// thread. A module worker loaded from the package's own directory, so a page
// needs only `worker-src 'self'` (no blob: URLs).
//
// Messages in, cheapest first:
//   {id, frame: VideoFrame, rect, options}: the pixels copied straight out of
//       the frame (VideoFrame.copyTo), no canvas; for YUV frames only the
//       luma plane is decoded, which is the grey image the reader wants;
//   {id, bitmap: ImageBitmap, options}: drawn into an OffscreenCanvas here;
//   {id, width, height, data: ArrayBuffer (RGBA), options}.
// Messages out: {id, results, ms} or {id, error}; {id, unsupported: true}
//   when this browser cannot read that kind of frame here (the Scanner then
//   sends another kind); {ready: true} once loaded, {ready: false, error} if
//   the module could not be loaded.

import { decode, init } from "./api.js";

init().then(
  () => self.postMessage({ ready: true }),
  (e) => self.postMessage({ ready: false, error: String(e?.message ?? e) }),
);

let canvas = null;
let ctx = null;
let frameBuffer = new ArrayBuffer(0);

// 8-bit formats whose first plane is luma (Y).
const YUV = new Set(["I420", "I420A", "I422", "I422A", "I444", "I444A", "NV12"]);
const RGB = new Set(["RGBA", "RGBX", "BGRA", "BGRX"]);

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

// The rectangle of a VideoFrame as grey (YUV: the Y plane) or RGBA pixels,
// or null when its format is one this worker does not read.
async function framePixels(frame, rect) {
  const format = frame.format;
  const rgb = RGB.has(format);
  if (!YUV.has(format) && !rgb) return null;
  // BGR frames are converted to RGBA while copying (the reader's grey
  // weights assume RGBA order); a browser without copyTo's `format` option
  // copies BGRA as it is, which swaps the red and blue weights only.
  const copyOptions = rgb ? { rect, format: "RGBA" } : { rect };
  const size = frame.allocationSize(copyOptions);
  if (frameBuffer.byteLength < size) frameBuffer = new ArrayBuffer(size);
  const layout = await frame.copyTo(frameBuffer, copyOptions);
  const { width, height } = rect;
  const { offset, stride } = layout[0];
  const bpp = rgb ? 4 : 1;
  const row = width * bpp;
  let data = new Uint8Array(frameBuffer, offset, stride * (height - 1) + row);
  if (stride !== row) {
    // Padded rows: pack them, as decode() wants width x height pixels.
    const packed = new Uint8Array(row * height);
    for (let y = 0; y < height; y++) packed.set(data.subarray(y * stride, y * stride + row), y * row);
    data = packed;
  }
  return { data, width, height };
}

// The pixels of a message, or null when this browser cannot read them here.
async function messagePixels(msg) {
  if (msg.frame) {
    try {
      return await framePixels(msg.frame, msg.rect);
    } finally {
      msg.frame.close();
    }
  }
  if (msg.bitmap) {
    if (typeof OffscreenCanvas === "undefined") {
      msg.bitmap.close();
      return null;
    }
    return bitmapPixels(msg.bitmap);
  }
  return { data: new Uint8Array(msg.data), width: msg.width, height: msg.height };
}

self.onmessage = async (event) => {
  const msg = event.data;
  const { id, options } = msg;
  try {
    await init();
    let image;
    try {
      image = await messagePixels(msg);
    } catch {
      image = null; // copyTo or the canvas refused this frame
    }
    if (image === null) {
      self.postMessage({ id, unsupported: true });
      return;
    }
    const t0 = performance.now();
    const results = decode({ data: image.data, width: image.width, height: image.height }, options);
    const ms = performance.now() - t0;
    self.postMessage({ id, results, ms });
  } catch (e) {
    self.postMessage({ id, error: String(e?.message ?? e) });
  }
};
