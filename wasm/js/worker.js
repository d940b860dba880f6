// civiqr scanner worker: decodes camera frames off the main thread. A module
// worker loaded from the package's own directory, so a page needs only
// `worker-src 'self'` (no blob: URLs).
//
// Where the page can hand over the camera track's frames (Chromium's
// MediaStreamTrackProcessor; its ReadableStream transferred here), this
// worker reads every frame itself, applies the Scanner's frame policy (rate,
// one frame at a time, region, size, inversion) and posts only results
// (track.js). Messages in: {stream, readable, settings} starts reading,
// {settings} updates the policy, {ack: stream} says the page has taken the
// last results, {stream, stop: true} stops reading. Messages out:
// {stream, results, ms, t0, g, pixels}, {stream, error}, or
// {stream, unsupported: true} when these frames cannot be read here (the
// page then takes frames from the <video> again).
//
// Otherwise the page posts frames one at a time, cheapest first:
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
import { evenGeometry, frameGeometry, frameOptions, framePlan, plainFrame } from "./frames.js";

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

// One frame posted by the page: decode it and answer.
async function answerFrame(msg) {
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
}

// The camera track's frames: the stream being read (an id from the page),
// the page's frame policy, and whether the page still has results to take.
const track = { stream: 0, reader: null, settings: null, frame: 0, lastScan: -Infinity, unacked: false };

function stopReading() {
  track.reader?.cancel().catch(() => {});
  track.reader = null;
}

// Reads the stream's frames as they come; frames that arrive while the page
// is paused, too soon for maxScansPerSecond, or before the page took the
// last results are dropped unread.
async function readTrack(stream, reader) {
  for (;;) {
    let chunk;
    try {
      chunk = await reader.read();
    } catch {
      return; // cancelled, or the track ended
    }
    if (chunk.done) return;
    const frame = chunk.value;
    const t0 = performance.now();
    const s = track.settings;
    if (stream !== track.stream || s.paused || track.unacked || t0 - track.lastScan < s.interval) {
      frame.close();
      if (stream !== track.stream) return;
      continue;
    }
    track.lastScan = t0;
    const out = await scanTrackFrame(frame, s);
    if (stream !== track.stream) return;
    if (out === null) continue; // nothing to decode in this frame
    track.unacked = !out.unsupported;
    // t0 on the page's clock: both clocks count from their own timeOrigin.
    self.postMessage({ stream, t0: performance.timeOrigin + t0, ...out });
    if (out.unsupported) {
      stopReading();
      return;
    }
  }
}

// Decodes one frame of the track under settings `s`; closes the frame.
async function scanTrackFrame(frame, s) {
  try {
    await init();
    if (!plainFrame(frame)) return { unsupported: true };
    const vr = frame.visibleRect;
    const n = track.frame++;
    const region = s.region;
    const plan = framePlan(n, s.fullDecodeEvery, s.inversion);
    let g = frameGeometry(vr.width, vr.height, region, s.maxDecodeSize, plan.phase);
    if (g.sw <= 0 || g.sh <= 0) return null;
    let image;
    let pixels;
    try {
      if (g.dw === g.sw && g.dh === g.sh) {
        g = evenGeometry(g, vr.width, vr.height);
        if (g === null) return null;
        image = await framePixels(frame, { x: vr.x + g.sx, y: vr.y + g.sy, width: g.sw, height: g.sh });
        pixels = "videoframe";
      } else if (typeof OffscreenCanvas !== "undefined") {
        const size = { resizeWidth: g.dw, resizeHeight: g.dh, resizeQuality: "medium" };
        const bitmap = await createImageBitmap(frame, g.sx, g.sy, g.sw, g.sh, size);
        // A browser that ignores the resize options would put corners off.
        image = bitmap.width === g.dw && bitmap.height === g.dh ? bitmapPixels(bitmap) : bitmap.close();
        pixels = "bitmap";
      }
    } catch {
      image = null; // copyTo or createImageBitmap refused this frame
    }
    if (!image) return { unsupported: true };
    const options = frameOptions(s.decodeOptions, plan);
    const t = performance.now();
    const results = decode(image, options);
    return { results, ms: performance.now() - t, g, pixels, quick: options.quick };
  } catch (e) {
    return { error: String(e?.message ?? e) };
  } finally {
    frame.close();
  }
}

function trackMessage(msg) {
  if ("settings" in msg) track.settings = msg.settings;
  if ("ack" in msg) {
    if (msg.ack === track.stream) track.unacked = false;
  } else if (msg.readable) {
    stopReading();
    Object.assign(track, { stream: msg.stream, reader: msg.readable.getReader(), unacked: false });
    readTrack(track.stream, track.reader);
  } else if (msg.stop && msg.stream === track.stream) {
    stopReading();
    track.stream = 0;
  }
}

self.onmessage = (event) => {
  const msg = event.data;
  if ("id" in msg) answerFrame(msg);
  else trackMessage(msg);
};
