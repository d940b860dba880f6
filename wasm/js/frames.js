// Which part of a camera frame the Scanner decodes and how: shared by the
// page (scanner.js, frames taken from the <video>) and the worker (worker.js,
// frames read from the camera track), so both paths decode the same pixels.

/**
 * The source rectangle of frame number `n` of a vw x vh video and the size it
 * is decoded at: {sx, sy, sw, sh, dw, dh}. `region` is the scan region in
 * video pixels or null; a frame larger than `maxDecodeSize` alternates the
 * whole frame reduced (even n) with the native-resolution centre (odd n).
 */
export function frameGeometry(vw, vh, region, maxDecodeSize, n) {
  const cap = Math.max(64, maxDecodeSize);
  let sx = 0;
  let sy = 0;
  let sw = vw;
  let sh = vh;
  if (region) {
    sx = Math.max(0, Math.round(region.x));
    sy = Math.max(0, Math.round(region.y));
    sw = Math.min(vw - sx, Math.round(region.width));
    sh = Math.min(vh - sy, Math.round(region.height));
  } else if (Math.max(vw, vh) > cap && n % 2 === 1) {
    sw = Math.min(vw, cap);
    sh = Math.min(vh, cap);
    sx = Math.round((vw - sw) / 2);
    sy = Math.round((vh - sh) / 2);
  }
  const scale = Math.min(1, cap / Math.max(sw, sh));
  return { sx, sy, sw, sh, dw: Math.max(1, Math.round(sw * scale)), dh: Math.max(1, Math.round(sh * scale)) };
}

/**
 * The unscaled geometry `g` moved to even offsets and sizes, as VideoFrame
 * copies of YUV frames need (chroma planes), within a vw x vh frame; null
 * when less than 2 x 2 pixels remain.
 */
export function evenGeometry(g, vw, vh) {
  const sx = g.sx & ~1;
  const sy = g.sy & ~1;
  const sw = Math.min(g.sw + (g.sx - sx), vw - sx) & ~1;
  const sh = Math.min(g.sh + (g.sy - sy), vh - sy) & ~1;
  if (sw < 2 || sh < 2) return null;
  return { sx, sy, sw, sh, dw: sw, dh: sh };
}

/**
 * What frame number `n` does: {quick, phase, inverted}. Every `fullEvery`-th
 * frame decodes in full, the others take the quick first look; full frames
 * count a phase of their own, so that the views alternated by phase (whole
 * frame reduced or native centre, see frameGeometry; normal or inverted)
 * each get full decodes whatever `fullEvery` is.
 */
export function framePlan(n, fullEvery, inversion) {
  const quick = n % fullEvery !== 0;
  const phase = quick ? n : n / fullEvery;
  return { quick, phase, inverted: triesInverted(inversion, phase) };
}

/**
 * The Scanner's decodeOptions for a frame planned by framePlan: its inversion,
 * and quick on quick frames (on full frames, as the options say).
 */
export function frameOptions(decodeOptions, plan) {
  const quick = plan.quick || (decodeOptions?.quick ?? false);
  return { ...decodeOptions, tryInverted: plan.inverted, quick };
}

/** Whether frame number `n` looks for inverted codes under this `inversion` option. */
export function triesInverted(inversion, n) {
  return inversion === "both" || (inversion === "alternate" && n % 4 >= 2);
}

/** Whether a VideoFrame's pixels are the video's pixels (not rotated, mirrored or stretched). */
export function plainFrame(frame) {
  const vr = frame.visibleRect;
  return !!vr && !frame.rotation && !frame.flip && frame.displayWidth === vr.width && frame.displayHeight === vr.height;
}
