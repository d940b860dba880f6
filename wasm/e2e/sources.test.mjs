// End-to-end: BarcodeDetector.detect() and decodeImage() on every image
// source a page holds, in Chromium (playwright-core), under the demo's CSP:
// ImageData, <img>, SVG <image>, <canvas>, OffscreenCanvas, ImageBitmap,
// VideoFrame, <video> (the fake camera), Blob and File; the errors for
// sources with no picture; a cross-origin picture; the package in a Worker.
//
//   scripts/build-wasm.sh && node --test wasm/e2e/sources.test.mjs

import assert from "node:assert/strict";
import { cp, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";

import { encode, init } from "../pkg/civiqr.js";
import { serve } from "../tools/serve.mjs";
import { writeY4m } from "../tools/y4m.mjs";
import { launchWithCamera, openPage } from "./browser.mjs";

const here = (p) => fileURLToPath(new URL(p, import.meta.url));

let tmp;
let site;
let other; // a second origin, for the cross-origin picture
let browser;
let page;
let problems;

before(async () => {
  tmp = await mkdtemp(join(tmpdir(), "civiqr-e2e-sources-"));
  const root = join(tmp, "site");
  await cp(here("./sources/"), root, { recursive: true });
  await cp(here("../pkg/"), join(root, "pkg"), { recursive: true });
  await init();
  await writeFile(join(root, "code.svg"), encode("SVG 42").svg);
  const video = join(tmp, "camera.y4m");
  await writeY4m(video, "VIDEO 42", { frames: 10, noise: 0, angle: 0 });
  site = await serve(root);
  other = await serve(root);
  browser = await launchWithCamera(video);
  ({ page, problems } = await openPage(browser, site.url));
});

after(async () => {
  await browser?.close();
  site?.server.close();
  other?.server.close();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

// An encode() result as the page gets it (modules as an array).
function code(text) {
  const c = encode(text);
  return { size: c.size, modules: Array.from(c.modules) };
}

test("detect() without init() loads the module itself", async () => {
  const got = await page.evaluate(async (code) => {
    const { BarcodeDetector, isReady } = await import("/pkg/civiqr.js");
    const { codeCanvas } = await import("/helpers.js");
    const before = isReady();
    const found = await new BarcodeDetector().detect(codeCanvas(code));
    return { before, values: found.map((d) => d.rawValue), box: found[0].boundingBox instanceof DOMRectReadOnly };
  }, code("FIRST"));
  assert.deepEqual(got, { before: false, values: ["FIRST"], box: true });
});

test("every image source reads the code, in detect() and in decodeImage()", async () => {
  const got = await page.evaluate(async (code) => {
    const civiqr = await import("/pkg/civiqr.js");
    const { codeCanvas, once } = await import("/helpers.js");
    const canvas = codeCanvas(code);
    const { width: w, height: h } = canvas;
    const png = await new Promise((ok) => canvas.toBlob(ok, "image/png"));
    const img = new Image();
    img.src = canvas.toDataURL();
    await img.decode();
    const loading = new Image(); // detect() waits for it to load
    loading.src = canvas.toDataURL("image/jpeg", 0.95);
    const ns = "http://www.w3.org/2000/svg";
    const svg = document.createElementNS(ns, "svg");
    const svgImage = document.createElementNS(ns, "image");
    svgImage.setAttribute("href", "/code.svg");
    svgImage.setAttribute("width", "200");
    svgImage.setAttribute("height", "200");
    svg.append(svgImage);
    document.body.append(svg);
    await once(svgImage, "load");
    const offscreen = new OffscreenCanvas(w, h);
    offscreen.getContext("2d").drawImage(canvas, 0, 0);
    const video = Object.assign(document.createElement("video"), { muted: true, playsInline: true });
    video.srcObject = await navigator.mediaDevices.getUserMedia({ video: true });
    document.body.append(video);
    await video.play();
    while (video.readyState < 2) await once(video, "timeupdate");
    const sources = {
      ImageData: canvas.getContext("2d").getImageData(0, 0, w, h),
      HTMLImageElement: img,
      "HTMLImageElement, loading": loading,
      SVGImageElement: svgImage,
      HTMLCanvasElement: canvas,
      OffscreenCanvas: offscreen,
      ImageBitmap: await createImageBitmap(canvas),
      VideoFrame: new VideoFrame(canvas, { timestamp: 0 }),
      "VideoFrame of the camera": new VideoFrame(video, { timestamp: 0 }),
      HTMLVideoElement: video,
      Blob: png,
      File: new File([png], "code.png", { type: "image/png" }),
    };
    const detector = new civiqr.BarcodeDetector();
    const out = {};
    for (const [name, source] of Object.entries(sources)) {
      const found = await detector.detect(source);
      const decoded = await civiqr.decodeImage(source, { symbologies: ["qr"] });
      out[name] = [found.map((d) => `${d.format}:${d.rawValue}`).join(), decoded.map((r) => r.text).join()];
    }
    sources.VideoFrame.close();
    sources["VideoFrame of the camera"].close();
    sources.ImageBitmap.close();
    video.srcObject.getTracks().forEach((t) => t.stop());
    return out;
  }, code("SOURCE 42"));
  const want = (text) => [`qr_code:${text}`, text];
  assert.deepEqual(got, {
    ImageData: want("SOURCE 42"),
    HTMLImageElement: want("SOURCE 42"),
    "HTMLImageElement, loading": want("SOURCE 42"),
    SVGImageElement: want("SVG 42"),
    HTMLCanvasElement: want("SOURCE 42"),
    OffscreenCanvas: want("SOURCE 42"),
    ImageBitmap: want("SOURCE 42"),
    VideoFrame: want("SOURCE 42"),
    "VideoFrame of the camera": want("VIDEO 42"),
    HTMLVideoElement: want("VIDEO 42"),
    Blob: want("SOURCE 42"),
    File: want("SOURCE 42"),
  });
});

test("sources without a picture: InvalidStateError, [] for zero size, TypeError for non-images", async () => {
  const got = await page.evaluate(async (code) => {
    const civiqr = await import("/pkg/civiqr.js");
    const { codeCanvas, outcome } = await import("/helpers.js");
    const canvas = codeCanvas(code);
    const broken = () => {
      const i = new Image();
      i.src = "data:image/png;base64,AAAA";
      return i;
    };
    const cases = {
      "img without src": () => new Image(),
      "broken img, loading": broken,
      "broken img, failed": async () => {
        const i = broken();
        await new Promise((ok) => (i.onerror = ok));
        return i;
      },
      "video without a frame": () => document.createElement("video"),
      "closed ImageBitmap": async () => {
        const b = await createImageBitmap(canvas);
        b.close();
        return b;
      },
      "closed VideoFrame": () => {
        const f = new VideoFrame(canvas, { timestamp: 0 });
        f.close();
        return f;
      },
      "detached ImageData": () => {
        const d = canvas.getContext("2d").getImageData(0, 0, 10, 10);
        structuredClone(d.data.buffer, { transfer: [d.data.buffer] });
        return d;
      },
      "Blob of text": () => new Blob(["not a picture"], { type: "text/plain" }),
      "SVG image without href": () => document.createElementNS("http://www.w3.org/2000/svg", "image"),
      "0 x 0 canvas": () => Object.assign(document.createElement("canvas"), { width: 0, height: 0 }),
      "0 x 5 OffscreenCanvas": () => new OffscreenCanvas(0, 5),
      "a <div>": () => document.createElement("div"),
      "a URL string": () => "/code.svg",
    };
    const detector = new civiqr.BarcodeDetector();
    const out = {};
    for (const [name, make] of Object.entries(cases)) {
      out[name] = [await outcome(detector.detect(await make())), await outcome(civiqr.decodeImage(await make()))];
    }
    return out;
  }, code("ERRORS"));
  const invalid = { "img without src": /has no src/, "broken img, loading": /could not be loaded|is broken/,
    "broken img, failed": /is broken/, "video without a frame": /has no frame yet \(readyState 0, 0 x 0\)/,
    "closed ImageBitmap": /closed/, "closed VideoFrame": /closed/, "detached ImageData": /detached/,
    "Blob of text": /text\/plain Blob could not be decoded/, "SVG image without href": /SVG <image> could not be decoded/ };
  for (const [name, message] of Object.entries(invalid)) {
    for (const o of got[name]) {
      assert.equal(o.error, "InvalidStateError", `${name}: ${JSON.stringify(o)}`);
      assert.match(o.message, message, name);
    }
  }
  for (const name of ["0 x 0 canvas", "0 x 5 OffscreenCanvas"]) assert.deepEqual(got[name], [{ values: [] }, { values: [] }], name);
  for (const name of ["a <div>", "a URL string"]) {
    for (const o of got[name]) assert.equal(o.isTypeError, true, `${name}: ${JSON.stringify(o)}`);
  }
});

test("the package in a module Worker detects in a transferred ImageBitmap", async () => {
  const got = await page.evaluate(async (code) => {
    const { codeCanvas } = await import("/helpers.js");
    const worker = new Worker("/detect-worker.js", { type: "module" });
    const bitmap = await createImageBitmap(codeCanvas(code));
    const reply = new Promise((ok) => (worker.onmessage = (e) => ok(e.data)));
    worker.postMessage({ source: bitmap }, [bitmap]);
    const data = await reply;
    worker.terminate();
    return data;
  }, code("WORKER 42"));
  assert.deepEqual(got, { values: ["WORKER 42"], box: true });
});

test("a cross-origin picture is refused with SecurityError", async () => {
  // The demo's CSP allows no other origin's images: lifted for this page only.
  const context = await browser.newContext({ bypassCSP: true });
  try {
    const p = await context.newPage();
    await p.goto(site.url);
    const got = await p.evaluate(async (url) => {
      const civiqr = await import("/pkg/civiqr.js");
      const { outcome } = await import("/helpers.js");
      const img = new Image();
      img.src = url;
      await img.decode();
      const canvas = Object.assign(document.createElement("canvas"), { width: 300, height: 300 });
      canvas.getContext("2d").drawImage(img, 0, 0);
      const detector = new civiqr.BarcodeDetector();
      const same = new Image();
      same.src = "/code.svg";
      await same.decode();
      return [
        await outcome(detector.detect(canvas)),
        await outcome(detector.detect(img)),
        // The tainted read leaves nothing behind (same size: no canvas resize).
        await outcome(detector.detect(same)),
      ];
    }, `${other.url}code.svg`);
    for (const o of got.slice(0, 2)) assert.equal(o.error, "SecurityError", JSON.stringify(o));
    assert.deepEqual(got[2], { values: ["SVG 42"] });
  } finally {
    await context.close();
  }
});

test("civiqr/polyfill gives Chromium on Linux (no BarcodeDetector) civiqr's", async () => {
  const got = await page.evaluate(async (code) => {
    const before = typeof globalThis.BarcodeDetector;
    await import("/pkg/polyfill.js");
    const { codeCanvas } = await import("/helpers.js");
    const found = await new BarcodeDetector({ formats: ["qr_code"] }).detect(codeCanvas(code));
    return { before, values: found.map((d) => d.rawValue) };
  }, code("POLYFILL"));
  assert.deepEqual(got, { before: "undefined", values: ["POLYFILL"] });
});

test("no console error or CSP violation on the page", () => {
  assert.deepEqual(problems, []);
});
