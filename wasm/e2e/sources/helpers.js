// Page-side helpers of sources.test.mjs: codes drawn on canvases, and
// promises for media events.

/** A <canvas> showing `code` (an encode() result), 4 px per module, 4-module quiet zone. */
export function codeCanvas(code) {
  const side = (code.size + 8) * 4;
  const canvas = Object.assign(document.createElement("canvas"), { width: side, height: side });
  const ctx = canvas.getContext("2d");
  ctx.fillStyle = "#fff";
  ctx.fillRect(0, 0, side, side);
  ctx.fillStyle = "#000";
  for (let y = 0; y < code.size; y++) {
    for (let x = 0; x < code.size; x++) {
      if (code.modules[y * code.size + x]) ctx.fillRect((x + 4) * 4, (y + 4) * 4, 4, 4);
    }
  }
  return canvas;
}

/** Resolves when `target` fires `type` (rejects on "error"). */
export function once(target, type) {
  return new Promise((ok, fail) => {
    target.addEventListener(type, ok, { once: true });
    target.addEventListener("error", () => fail(new Error(`${type}: error event`)), { once: true });
  });
}

/** What a promise settled to: the rawValues, or the error's name and message. */
export async function outcome(promise) {
  try {
    const found = await promise;
    return { values: found.map((d) => d.rawValue ?? d.text) };
  } catch (e) {
    return { error: e.name, message: e.message, isTypeError: e instanceof TypeError };
  }
}
