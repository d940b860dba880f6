// civiqr for the web: the pixels of any image source a page holds (ImageData,
// <img>, SVG <image>, canvases, ImageBitmap, VideoFrame, <video>, Blob/File),
// and decodeImage(), the asynchronous decode() over them.
//
// Sources are drawn at their intrinsic size onto a 2D canvas (off-DOM where
// OffscreenCanvas exists) and read back; Blobs are decoded by the browser's
// own image decoders (createImageBitmap). Errors follow the Shape Detection
// API: InvalidStateError for a source with no picture yet (or a closed
// one), SecurityError from the browser for a cross-origin picture, TypeError
// for anything that is not an image.

import { decode, grade, init } from "./api.js";

/** A DOMException named `name` (an Error with that name where there is none). */
export function domError(name, message) {
  const text = `civiqr: ${message}`;
  return typeof DOMException === "function"
    ? new DOMException(text, name)
    : Object.assign(new Error(text), { name });
}

const isA = (value, type) => typeof globalThis[type] === "function" && value instanceof globalThis[type];

// One 2D context, reused from call to call (a video is read frame after
// frame); drawn and read back in one synchronous step, so calls never mix.
let reader = null;

// A cleared w x h 2D context that reads back quickly.
function context2d(w, h) {
  if (!reader) {
    const canvas = typeof OffscreenCanvas === "function" ? new OffscreenCanvas(w, h) : document.createElement("canvas");
    reader = canvas.getContext("2d", { willReadFrequently: true });
    if (!reader) throw domError("NotSupportedError", "this browser gives no 2D canvas to read pixels with");
  }
  const canvas = reader.canvas;
  if (canvas.width !== w || canvas.height !== h) Object.assign(canvas, { width: w, height: h });
  else reader.clearRect(0, 0, w, h); // transparent pixels must not show the last picture
  return reader;
}

// The source drawn at w x h and read back; null when it has no pixels.
function drawn(source, w, h) {
  if (!(w > 0 && h > 0)) return null;
  const ctx = context2d(w, h);
  try {
    ctx.drawImage(source, 0, 0, w, h);
    return ctx.getImageData(0, 0, w, h);
  } catch (e) {
    reader = null; // a cross-origin picture taints the canvas for good
    throw e;
  }
}

// A bitmap of the source made by the browser, drawn and closed.
async function viaBitmap(source, what) {
  if (typeof createImageBitmap !== "function") {
    throw domError("NotSupportedError", `this browser cannot decode ${what} (no createImageBitmap)`);
  }
  let bitmap;
  try {
    bitmap = await createImageBitmap(source);
  } catch (e) {
    if (e?.name === "SecurityError") throw e;
    throw domError("InvalidStateError", `${what} could not be decoded as an image (${e?.message ?? e})`);
  }
  try {
    return drawn(bitmap, bitmap.width, bitmap.height);
  } finally {
    bitmap.close();
  }
}

async function imgPixels(img) {
  if (!img.complete) {
    try {
      await img.decode(); // waits for the picture to load
    } catch {
      throw domError("InvalidStateError", `the <img> could not be loaded or decoded (src "${img.currentSrc || img.src}")`);
    }
  }
  if (img.naturalWidth === 0 || img.naturalHeight === 0) {
    const why = img.currentSrc || img.src ? `is broken (src "${img.currentSrc || img.src}")` : "has no src";
    throw domError("InvalidStateError", `the <img> has no picture: it ${why}`);
  }
  return drawn(img, img.naturalWidth, img.naturalHeight);
}

function videoPixels(video) {
  if (video.readyState < 2) {
    throw domError(
      "InvalidStateError",
      `the <video> has no frame yet (readyState ${video.readyState}, ${video.videoWidth} x ${video.videoHeight}): ` +
        "wait for its loadeddata event",
    );
  }
  return drawn(video, video.videoWidth, video.videoHeight);
}

/**
 * The pixels of `source` as an ImageData (or the `{data, width, height}`
 * given), or null when it has no pixels (zero width or height). Rejects
 * with a DOMException named InvalidStateError for an image not loaded or
 * broken, a video without a frame, a closed ImageBitmap or VideoFrame, a
 * detached ImageData or an undecodable Blob; SecurityError for a
 * cross-origin picture; TypeError for anything else.
 */
export async function imagePixels(source) {
  if (source === null || typeof source !== "object") {
    throw new TypeError(`civiqr: ${String(source)} is not an image source`);
  }
  if (isA(source, "Blob")) return viaBitmap(source, `the ${source.type || "untyped"} Blob`);
  if (isA(source, "HTMLImageElement")) return imgPixels(source);
  if (isA(source, "SVGImageElement")) return viaBitmap(source, "the SVG <image>");
  if (isA(source, "HTMLVideoElement")) return videoPixels(source);
  if (isA(source, "HTMLCanvasElement") || isA(source, "OffscreenCanvas")) {
    return drawn(source, source.width, source.height);
  }
  if (isA(source, "ImageBitmap")) {
    // A bitmap cannot be made empty: 0 x 0 means close() was called.
    if (source.width === 0) throw domError("InvalidStateError", "the ImageBitmap is closed");
    return drawn(source, source.width, source.height);
  }
  if (isA(source, "VideoFrame")) {
    if (source.format === null) throw domError("InvalidStateError", "the VideoFrame is closed");
    return drawn(source, source.displayWidth, source.displayHeight);
  }
  if ("data" in source && "width" in source && "height" in source) {
    if (source.width === 0 || source.height === 0) return null;
    // A transferred buffer reads as empty.
    if (source.data?.byteLength === 0) throw domError("InvalidStateError", "the image's pixel buffer is detached");
    return source;
  }
  throw new TypeError(
    `civiqr: cannot read pixels from ${source.constructor?.name ?? "this object"}: give ImageData, ` +
      "an <img>, SVG <image>, <canvas>, OffscreenCanvas, ImageBitmap, VideoFrame, <video>, Blob or File",
  );
}

/**
 * decode() for any image source (see imagePixels), loading the module first
 * if needed. Resolves to the results ([] for an image without pixels).
 */
export async function decodeImage(source, options) {
  await init();
  const pixels = await imagePixels(source);
  return pixels ? decode(pixels, options) : [];
}

/**
 * grade() for any image source (see imagePixels), loading the module first
 * if needed. Resolves to the graded results ([] for an image without pixels).
 */
export async function gradeImage(source, options) {
  await init();
  const pixels = await imagePixels(source);
  return pixels ? grade(pixels, options) : [];
}
