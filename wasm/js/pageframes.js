// civiqr camera scanner: frames taken from the <video> on the page and sent
// to the worker one at a time, cheapest way first (a VideoFrame, an
// ImageBitmap, ImageData), or drawn for decoding on the page itself. The
// Scanner uses this where the worker cannot read the camera track
// (track.js), and when decoding on the main thread.

import { evenGeometry, plainFrame } from "./frames.js";

export class PageFrames {
  constructor() {
    this.canvas = null;
    this.ctx = null;
    this.pending = new Map(); // worker request id -> resolve
    this.nextId = 1;
    this.bitmaps = undefined; // false once ImageBitmap frames failed
    this.videoFrames = undefined; // false once VideoFrame frames failed
  }

  /** Hands a worker's answer to the request waiting for it. */
  answer(msg) {
    const done = this.pending.get(msg.id);
    this.pending.delete(msg.id);
    done?.(msg);
  }

  /** Fails every request in flight (the worker died). */
  failAll() {
    for (const done of this.pending.values()) done({ error: "worker failed" });
    this.pending.clear();
  }

  /**
   * The frame's pixels through `worker`: {msg, g, pixels}, with the
   * geometry actually decoded; getImageData on this thread when the
   * cheaper ways are missing.
   */
  async read(worker, video, g, options) {
    const read = (await this.viaVideoFrame(worker, video, g, options)) ?? (await this.viaBitmap(worker, video, g, options));
    if (read) return read;
    const data = this.pixels(video, g).data.buffer;
    return { msg: await this.ask(worker, { width: g.dw, height: g.dh, data, options }, [data]), g, pixels: "imagedata" };
  }

  // The frame's pixels as ImageData, drawn on the main thread.
  pixels(video, g) {
    if (!this.canvas) {
      this.canvas = document.createElement("canvas");
      this.ctx = this.canvas.getContext("2d", { alpha: false, willReadFrequently: true });
    }
    if (this.canvas.width !== g.dw || this.canvas.height !== g.dh) {
      this.canvas.width = g.dw;
      this.canvas.height = g.dh;
    }
    const ctx = this.ctx;
    ctx.imageSmoothingEnabled = g.dw !== g.sw;
    ctx.drawImage(video, g.sx, g.sy, g.sw, g.sh, 0, 0, g.dw, g.dh);
    return ctx.getImageData(0, 0, g.dw, g.dh);
  }

  // Sends a frame to the worker and waits for its answer.
  ask(worker, message, transfer) {
    return new Promise((resolve, reject) => {
      const id = this.nextId++;
      this.pending.set(id, resolve);
      try {
        worker.postMessage({ id, ...message }, transfer);
      } catch (e) {
        this.pending.delete(id); // e.g. a VideoFrame this browser cannot transfer
        reject(e);
      }
    });
  }

  // Cheapest: the frame itself goes to the worker, which copies the pixels
  // out of it (luma only for YUV frames) without any canvas. Null when
  // VideoFrame is missing, the frame needs scaling, or the worker cannot
  // read it; the geometry may move by a pixel (even offsets for chroma).
  async viaVideoFrame(worker, video, g, options) {
    if (this.videoFrames === false || typeof VideoFrame !== "function" || g.dw !== g.sw || g.dh !== g.sh) {
      return null;
    }
    let frame;
    try {
      frame = new VideoFrame(video);
    } catch {
      this.videoFrames = false;
      return null;
    }
    if (!plainFrame(frame)) {
      frame.close();
      this.videoFrames = false;
      return null;
    }
    const vr = frame.visibleRect;
    const even = evenGeometry(g, vr.width, vr.height);
    if (vr.width !== video.videoWidth || vr.height !== video.videoHeight || even === null) {
      frame.close(); // the video is changing size: this frame goes the slower way
      return null;
    }
    const rect = { x: vr.x + even.sx, y: vr.y + even.sy, width: even.sw, height: even.sh };
    let msg;
    try {
      msg = await this.ask(worker, { frame, rect, options }, [frame]);
    } catch {
      frame.close();
      msg = { unsupported: true };
    }
    if (msg.unsupported) {
      this.videoFrames = false;
      return null;
    }
    return { msg, g: even, pixels: "videoframe" };
  }

  // Next: an ImageBitmap of the frame (scaled by the browser), drawn into
  // the worker's OffscreenCanvas. Null where that fails.
  async viaBitmap(worker, video, g, options) {
    if (this.bitmaps === false || typeof createImageBitmap !== "function") return null;
    let msg = null;
    try {
      const resize = g.dw !== g.sw ? { resizeWidth: g.dw, resizeHeight: g.dh, resizeQuality: "medium" } : {};
      const bitmap = await createImageBitmap(video, g.sx, g.sy, g.sw, g.sh, resize);
      if (bitmap.width === g.dw && bitmap.height === g.dh) {
        msg = await this.ask(worker, { bitmap, options }, [bitmap]);
        if (msg.unsupported) msg = null;
      } else {
        bitmap.close(); // resize options ignored by this browser
      }
    } catch {
      msg = null;
    }
    if (msg === null) this.bitmaps = false;
    return msg && { msg, g, pixels: "bitmap" };
  }
}
