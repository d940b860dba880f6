// End-to-end: the demo site (wasm/dist from scripts/build-web.sh) in Debian's
// Chromium, driven by playwright-core, with a fake camera playing a y4m video
// of a QR Code that civiqr encoded. The page must show the code's text in
// #result and draw the outline, once decoding in the worker and once on the
// main thread, with no Content-Security-Policy violation; the generator must
// draw the SVG live.
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

const TEXT = "https://example.org/s/BANC-0042?src=qr";
const dist = fileURLToPath(new URL("../dist/", import.meta.url));

let tmp;
let site;
let browser;

before(async () => {
  tmp = await mkdtemp(join(tmpdir(), "civiqr-e2e-"));
  const video = join(tmp, "camera.y4m");
  await writeY4m(video, TEXT, { frames: 20 });
  site = await serve(dist);
  browser = await launchWithCamera(video);
});

after(async () => {
  await browser?.close();
  site?.server.close();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

// Opens the demo page with these URL parameters.
function openDemo(query) {
  return openPage(browser, `${site.url}index.html${query}`);
}

for (const [label, query, inWorker] of [
  ["worker", "?autostart=1", true],
  ["main thread (worker disabled)", "?autostart=1&worker=0", false],
]) {
  test(`the camera scanner shows the code's text (${label})`, async () => {
    const { page, problems } = await openDemo(query);
    try {
      await page.waitForFunction((t) => document.getElementById("result").textContent === t, TEXT, {
        timeout: 20000,
      });
      const state = await page.evaluate(() => ({
        usesWorker: window.civiqrDemo.scanner.usesWorker,
        frames: window.civiqrDemo.frames.length,
        worker: window.civiqrDemo.frames.at(-1)?.worker,
        pixelsInWorker: window.civiqrDemo.frames.at(-1)?.pixelsInWorker,
        pixels: window.civiqrDemo.frames.at(-1)?.pixels,
        source: window.civiqrDemo.frames.at(-1)?.source,
        status: document.getElementById("status").textContent,
      }));
      assert.equal(state.usesWorker, inWorker, state.status);
      assert.equal(state.worker, inWorker);
      // Chromium has VideoFrame: the worker copies the pixels out of it.
      assert.equal(state.pixelsInWorker, inWorker);
      assert.equal(state.pixels, inWorker ? "videoframe" : "imagedata");
      // Chromium hands the camera track's frames to the worker, which reads
      // them itself; the page only gets results.
      assert.equal(state.source, inWorker ? "track" : "video");
      // The outline polygon got the four corners.
      await page.waitForFunction(() => document.getElementById("outline").getAttribute("points").split(" ").length === 4, null, {
        timeout: 5000,
      });
      // One code in view: reported once, not on every frame.
      await page.waitForTimeout(500);
      const reported = await page.evaluate(() => window.civiqrDemo.results.length);
      assert.equal(reported, 1);
      // stop() releases the camera: no live track remains.
      const live = await page.evaluate(async () => {
        await window.civiqrDemo.scanner.stop();
        const v = document.getElementById("video");
        return v.srcObject === null;
      });
      assert.equal(live, true);
      assert.deepEqual(problems, []);
    } finally {
      await page.close();
    }
  });
}

// As in Safari and Firefox (no way to hand the camera track to a worker),
// and in a browser without WebCodecs (no VideoFrame either): the page takes
// the frames from the <video> and the worker still decodes them.
for (const [missing, pixels] of [
  ["MediaStreamTrackProcessor", "videoframe"],
  ["VideoFrame", "bitmap"],
]) {
  test(`without ${missing} the page sends the worker the <video>'s frames (${pixels})`, async () => {
    const { page, problems } = await openPage(browser, `${site.url}index.html?autostart=1`, {
      init: (name) => delete globalThis[name],
      arg: missing,
    });
    try {
      await page.waitForFunction((t) => document.getElementById("result").textContent === t, TEXT, { timeout: 20000 });
      const frame = await page.evaluate(() => window.civiqrDemo.frames.at(-1));
      assert.equal(frame.worker, true);
      assert.equal(frame.source, "video");
      assert.equal(frame.pixels, pixels);
      assert.deepEqual(problems, []);
    } finally {
      await page.close();
    }
  });
}

test("frames the worker cannot read from the track (rotated) send it back to the <video>'s frames", async () => {
  // A processor whose frames say they are rotated a quarter turn: their
  // pixels are not the video's, so the worker must not decode them.
  const { page, problems } = await openPage(browser, `${site.url}index.html?autostart=1`, {
    init: () => {
      const Processor = globalThis.MediaStreamTrackProcessor;
      globalThis.MediaStreamTrackProcessor = class {
        constructor(init) {
          const turn = new TransformStream({
            transform(frame, out) {
              out.enqueue(new VideoFrame(frame, { rotation: 90 }));
              frame.close();
            },
          });
          this.readable = new Processor(init).readable.pipeThrough(turn);
        }
      };
    },
  });
  try {
    await page.waitForFunction((t) => document.getElementById("result").textContent === t, TEXT, { timeout: 20000 });
    const frames = await page.evaluate(() => window.civiqrDemo.frames.map((f) => f.source));
    assert.ok(frames.length > 0);
    assert.ok(frames.every((source) => source === "video"), frames.join(" "));
    assert.deepEqual(problems, []);
  } finally {
    await page.close();
  }
});

// pause() stops decoding, resume() restarts it and stop() ends every track
// (clones included: the camera light goes off), both when a worker that
// cannot load leaves decoding to the main thread and when the worker reads
// the camera track itself.
for (const [label, workerUrl, worker, source] of [
  ["a worker that cannot load: the main thread decodes", "./pkg/no-such-worker.js", false, "video"],
  ["the worker reads the camera track", null, true, "track"],
]) {
  test(`${label}; pause(), resume() and stop() act on decoding and the camera`, async () => {
    const { page, problems } = await openDemo("");
    try {
      const state = await page.evaluate(
        async ({ text, workerUrl }) => {
          const tracks = [];
          const clone = MediaStreamTrack.prototype.clone;
          MediaStreamTrack.prototype.clone = function () {
            const c = clone.call(this);
            tracks.push(c);
            return c;
          };
          const { Scanner } = await import("./pkg/civiqr.js");
          const video = document.createElement("video");
          document.body.append(video);
          const seen = [];
          const sources = new Set();
          let frames = 0;
          let kinds = ""; // F a full decode, q a quick one, frame by frame
          const scanner = new Scanner(video, (r) => seen.push(r.text), {
            workerUrl,
            onFrame: (_r, info) => {
              frames++;
              kinds += info.quick ? "q" : "F";
              sources.add(info.source);
            },
          });
          await scanner.start();
          tracks.push(...video.srcObject.getTracks());
          const wait = async (done, ms) => {
            const deadline = performance.now() + ms;
            while (!done() && performance.now() < deadline) await new Promise((r) => setTimeout(r, 50));
          };
          await wait(() => seen.includes(text), 15000);
          scanner.pause();
          await new Promise((r) => setTimeout(r, 200)); // a frame in flight may finish
          const pausedAt = frames;
          await new Promise((r) => setTimeout(r, 500));
          const afterPause = frames;
          await scanner.resume();
          await wait(() => frames > afterPause + 3, 5000);
          const resumed = frames > afterPause;
          await scanner.stop();
          const live = tracks.filter((t) => t.readyState !== "ended").length;
          const usesWorker = scanner.usesWorker;
          await scanner.destroy();
          return { usesWorker, seen, kinds, sources: [...sources], pausedAt, afterPause, resumed, live, released: video.srcObject === null };
        },
        { text: TEXT, workerUrl },
      );
      assert.equal(state.usesWorker, worker);
      assert.deepEqual(state.seen, [TEXT]);
      assert.deepEqual(state.sources, [source]);
      // Every fourth frame decoded in full (fullDecodeEvery's default), the others quick.
      assert.match(state.kinds, /^(Fqqq)+(F|Fq|Fqq)?$/);
      assert.equal(state.afterPause, state.pausedAt);
      assert.equal(state.resumed, true);
      assert.equal(state.live, 0);
      assert.equal(state.released, true);
      if (worker) assert.deepEqual(problems, []);
    } finally {
      await page.close();
    }
  });
}

test("corners are in video pixels with a scan region and with reduced frames", async () => {
  const { page } = await openDemo("");
  try {
    const centres = await page.evaluate(async (text) => {
      const { Scanner } = await import("./pkg/civiqr.js");
      const video = document.createElement("video");
      document.body.append(video);
      const out = {};
      for (const [name, options] of [
        // Odd offsets: the VideoFrame path moves them to even ones (chroma
        // planes), and the corners must still land in video pixels.
        ["region", { scanRegion: (w, h) => ({ x: w / 2 - 199, y: h / 2 - 179, width: 400, height: 360 }) }],
        ["reduced", { maxDecodeSize: 400 }],
      ]) {
        let found = null;
        const scanner = new Scanner(video, () => {}, {
          ...options,
          onFrame: (results, info) => {
            // Reduced frames alternate with native-resolution centre crops
            // (400x400 here); which of the two reads first depends on timing,
            // so the reduced case waits for a reduced (400x300) frame.
            const wanted = name !== "reduced" || info.height === 300;
            if (wanted && results[0]?.text === text) found = { corners: results[0].corners, info };
          },
        });
        await scanner.start();
        const deadline = performance.now() + 15000;
        while (!found && performance.now() < deadline) await new Promise((r) => setTimeout(r, 50));
        await scanner.destroy();
        if (!found) return { error: `${name}: nothing read` };
        const c = found.corners;
        out[name] = {
          x: c.reduce((s, p) => s + p.x, 0) / 4,
          y: c.reduce((s, p) => s + p.y, 0) / 4,
          side: Math.hypot(c[1].x - c[0].x, c[1].y - c[0].y),
          width: found.info.width,
          height: found.info.height,
          source: found.info.source,
        };
      }
      return out;
    }, TEXT);
    assert.equal(centres.error, undefined, centres.error);
    // The video's code: centred within about 12 px, 29 modules of 6 px.
    for (const [name, c] of Object.entries(centres)) {
      assert.ok(Math.abs(c.x - 320) < 16 && Math.abs(c.y - 240) < 12, `${name}: centre ${c.x}, ${c.y}`);
      assert.ok(Math.abs(c.side - 174) < 10, `${name}: side ${c.side}`);
    }
    assert.deepEqual([centres.region.width, centres.region.height], [400, 360]);
    assert.deepEqual([centres.reduced.width, centres.reduced.height], [400, 300]);
    // Both cut and scaled in the worker, from the camera track's frames.
    assert.deepEqual([centres.region.source, centres.reduced.source], ["track", "track"]);
  } finally {
    await page.close();
  }
});

test("the generator draws the SVG live and reports errors", async () => {
  const { page, problems } = await openDemo("");
  try {
    await page.waitForSelector("#svg svg path");
    assert.match(await page.textContent("#info"), /Version 3 \(29 x 29 modules\), level M/);
    await page.fill("#text", "7".repeat(8000));
    await page.waitForFunction(() => /data too long/.test(document.getElementById("info").textContent));
    assert.equal(await page.locator("#svg svg").count(), 0);
    await page.fill("#text", "BANC 42");
    await page.selectOption("#ec", "H");
    await page.waitForFunction(() => /level H/.test(document.getElementById("info").textContent));
    assert.equal(await page.locator("#svg svg").count(), 1);
    assert.deepEqual(problems, []);
  } finally {
    await page.close();
  }
});
