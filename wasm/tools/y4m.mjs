// Writes a y4m video (YUV 4:2:0) of a QR Code for Chromium's fake camera
// (--use-file-for-fake-video-capture): the symbol from civiqr's encoder,
// drawn slightly rotated on a mottled grey surface, drifting a little from
// frame to frame, with sensor-like noise. Chromium loops the file.
//
//   node wasm/tools/y4m.mjs OUT.y4m "text" [WIDTH HEIGHT FRAMES]

import { open } from "node:fs/promises";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";

import { encode, init } from "../pkg/civiqr.js";

/**
 * Writes `frames` frames showing `text` (grey: U = V = 128); `noise` is the
 * peak-to-peak amplitude of the uniform sensor noise added to each pixel;
 * `invert` draws light modules on a dark sticker. `text` may be an array:
 * the frames are then split evenly between the texts, in order (a genuine
 * code, then a sticker pasted over it).
 */
export async function writeY4m(
  path,
  text,
  { width = 640, height = 480, frames = 30, modulePx = 6, angle = 8, noise = 24, invert = false } = {},
) {
  await init();
  const codes = (Array.isArray(text) ? text : [text]).map((t) => encode(t));
  const file = await open(path, "w");
  try {
    await file.write(`YUV4MPEG2 W${width} H${height} F30:1 Ip A1:1 C420jpeg\n`);
    const luma = new Uint8Array(width * height);
    const chroma = new Uint8Array((width >> 1) * (height >> 1) * 2).fill(128);
    let seed = 7;
    const rand = () => {
      seed = (seed * 1664525 + 1013904223) >>> 0;
      return seed / 4294967296;
    };
    for (let f = 0; f < frames; f++) {
      const code = codes[Math.min(codes.length - 1, Math.floor((f * codes.length) / frames))];
      const side = code.size + 8; // with the quiet zone
      const a = ((angle + 2 * Math.sin(f / 5)) * Math.PI) / 180;
      const cos = Math.cos(a);
      const sin = Math.sin(a);
      const cx = width / 2 + 10 * Math.sin(f / 7);
      const cy = height / 2 + 6 * Math.cos(f / 9);
      for (let y = 0; y < height; y++) {
        for (let x = 0; x < width; x++) {
          // Inverse rotation into module coordinates of the symbol.
          const dx = x - cx;
          const dy = y - cy;
          const mx = (cos * dx + sin * dy) / modulePx + side / 2 - 4;
          const my = (-sin * dx + cos * dy) / modulePx + side / 2 - 4;
          let v;
          if (mx >= -4 && my >= -4 && mx < code.size + 4 && my < code.size + 4) {
            const ix = Math.floor(mx);
            const iy = Math.floor(my);
            const dark = ix >= 0 && iy >= 0 && ix < code.size && iy < code.size && code.modules[iy * code.size + ix] === 1;
            v = dark !== invert ? 40 : 215;
          } else {
            v = 150 + 25 * Math.sin(x / 37) * Math.cos(y / 29); // the surface around the sticker
          }
          luma[y * width + x] = Math.max(16, Math.min(235, v + (rand() - 0.5) * noise));
        }
      }
      await file.write("FRAME\n");
      await file.write(luma);
      await file.write(chroma);
    }
  } finally {
    await file.close();
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [out, text, w, h, n] = process.argv.slice(2);
  if (!out || text === undefined) {
    console.error('usage: node wasm/tools/y4m.mjs OUT.y4m "text" [WIDTH HEIGHT FRAMES]');
    process.exit(2);
  }
  await writeY4m(out, text, { width: Number(w ?? 640), height: Number(h ?? 480), frames: Number(n ?? 30) });
}
