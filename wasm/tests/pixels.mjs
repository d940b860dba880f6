// Draws an encode() result as pixels for the tests (not a test file itself):
// `scale` px per module, a `quiet`-module border, 4 bytes (RGBA) or 1 (grey)
// per pixel, optionally light on dark, mirrored left to right, or turned
// `turns` quarter turns clockwise.

export function render(code, { scale = 4, quiet = 4, channels = 4, invert = false, mirror = false, turns = 0 } = {}) {
  const w = (code.width + 2 * quiet) * scale;
  const h = (code.height + 2 * quiet) * scale;
  const [outW, outH] = turns % 2 ? [h, w] : [w, h];
  const data = new Uint8Array(outW * outH * channels);
  for (let y = 0; y < outH; y++) {
    for (let x = 0; x < outW; x++) {
      // (x, y) in the output comes from (sx, sy) of the upright picture.
      let [sx, sy] = [[x, y], [y, outW - 1 - x], [outW - 1 - x, outH - 1 - y], [outH - 1 - y, x]][turns % 4];
      if (mirror) sx = w - 1 - sx;
      const mx = Math.floor(sx / scale) - quiet;
      const my = Math.floor(sy / scale) - quiet;
      const inside = mx >= 0 && my >= 0 && mx < code.width && my < code.height;
      const dark = inside && code.modules[my * code.width + mx] === 1;
      const v = dark !== invert ? 0 : 255;
      const i = (y * outW + x) * channels;
      data.fill(v, i, i + Math.min(channels, 3));
      if (channels === 4) data[i + 3] = 255;
    }
  }
  return { data, width: outW, height: outH };
}

/** Twice the signed area of a polygon; positive when clockwise on screen (y down). */
export function twiceArea(points) {
  let sum = 0;
  points.forEach((p, i) => {
    const q = points[(i + 1) % points.length];
    sum += p.x * q.y - q.x * p.y;
  });
  return sum;
}
