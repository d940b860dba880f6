// End-to-end: the Scanner on harder fake cameras (one Chromium per video):
// an inverted sticker (light modules on dark), and a small code in a
// 1920x1080 video, which the Scanner reads from the native-resolution centre
// crop it alternates with the reduced full frame.
//
//   scripts/build-web.sh && node --test wasm/e2e/

import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";

import { serve } from "../tools/serve.mjs";
import { writeY4m } from "../tools/y4m.mjs";
import { launchWithCamera, openPage } from "./browser.mjs";

const dist = fileURLToPath(new URL("../dist/", import.meta.url));
let tmp;
let site;

before(async () => {
  tmp = await mkdtemp(join(tmpdir(), "civiqr-e2e-cameras-"));
  site = await serve(dist);
});

after(async () => {
  site?.server.close();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

// Runs a Scanner with `options` on the camera for up to `ms`; returns the
// texts reported and the sizes of the frames decoded.
async function scan(video, options, ms) {
  const browser = await launchWithCamera(video);
  try {
    const { page, problems } = await openPage(browser, `${site.url}index.html`);
    const out = await page.evaluate(
      async ({ options, ms }) => {
        const { Scanner } = await import("./pkg/civiqr.js");
        const video = document.createElement("video");
        document.body.append(video);
        const texts = [];
        const sizes = new Set();
        let readIn = null; // the size of the first frame a code was read in
        const scanner = new Scanner(video, (r) => texts.push(r.text), {
          ...options,
          onFrame: (found, info) => {
            sizes.add(`${info.width}x${info.height}`);
            if (found.length > 0) readIn ??= `${info.width}x${info.height}`;
          },
        });
        await scanner.start();
        const deadline = performance.now() + ms;
        while (texts.length === 0 && performance.now() < deadline) await new Promise((r) => setTimeout(r, 50));
        const videoSize = `${video.videoWidth}x${video.videoHeight}`;
        await scanner.destroy();
        return { texts, sizes: [...sizes].sort(), videoSize, readIn };
      },
      { options, ms },
    );
    assert.deepEqual(problems, []);
    return out;
  } finally {
    await browser.close();
  }
}

test("an inverted code is read with the default inversion setting, not with inversion off", async () => {
  const video = join(tmp, "inverted.y4m");
  await writeY4m(video, "NEGATIVE STICKER 7", { frames: 10, invert: true, noise: 8 });
  const on = await scan(video, {}, 15000);
  assert.deepEqual(on.texts, ["NEGATIVE STICKER 7"]);
  const off = await scan(video, { inversion: "normal" }, 2500);
  assert.deepEqual(off.texts, []);
});

test("a small code in a 1080p video is read from the native-resolution centre crop", async () => {
  const video = join(tmp, "small-1080p.y4m");
  await writeY4m(video, "https://example.org/s/LAMPADAIRE-17", {
    width: 1920,
    height: 1080,
    frames: 4,
    modulePx: 1.7,
    angle: 0,
    noise: 4,
  });
  const r = await scan(video, {}, 20000);
  assert.equal(r.videoSize, "1920x1080");
  assert.deepEqual(r.texts, ["https://example.org/s/LAMPADAIRE-17"]);
  // 1.7 px modules become 1.1 px in the reduced 1280x720 frame: too small.
  assert.equal(r.readIn, "1280x1080", `frame sizes: ${r.sizes}`);
});
