// BarcodeDetector with the W3C Shape Detection API's shape, under Node.js
// (pixels as {data, width, height}; the browser's image sources are tested in
// wasm/e2e/sources.test.mjs): formats, results, corner order, errors.
import assert from "node:assert/strict";
import { test } from "node:test";

import { BarcodeDetector, TrustList, decodeImage, encode, getBarcodeDetector, imagePixels, init } from "../pkg/civiqr.js";
import { render, twiceArea } from "./pixels.mjs";

const URL_TEXT = "https://example.org/mobilier/banc-0042";

await init();

test("getSupportedFormats lists the three QR formats by the polyfill's names", async () => {
  assert.deepEqual(await BarcodeDetector.getSupportedFormats(), ["qr_code", "micro_qr_code", "rm_qr_code"]);
});

test("the constructor refuses an empty or unknown format list with TypeError, as the spec does", () => {
  for (const formats of [[], ["unknown"], ["qr_code", "unknown"], ["ean_13"], ["QR_CODE"], "qr_code", 42]) {
    assert.throws(() => new BarcodeDetector({ formats }), TypeError, JSON.stringify(formats));
  }
  assert.throws(() => new BarcodeDetector({ formats: ["aztec"] }), { message: /unsupported barcode format "aztec"/ });
  assert.throws(() => new BarcodeDetector({ formats: [] }), { message: /must not be empty/ });
  assert.throws(() => new BarcodeDetector(7), TypeError);
  // Every supported list, options absent or null, and unknown keys (a WebIDL dictionary ignores them).
  for (const options of [undefined, null, {}, { formats: ["qr_code"] }, { formats: new Set(["rm_qr_code"]) }, { speed: 3 }]) {
    assert.ok(new BarcodeDetector(options) instanceof BarcodeDetector);
  }
});

test("detect resolves to the standard's fields with civiqr's beside them", async () => {
  const code = encode(URL_TEXT, { ec: "Q" });
  const [d, ...rest] = await new BarcodeDetector().detect(render(code));
  assert.equal(rest.length, 0);
  assert.equal(d.rawValue, URL_TEXT);
  assert.equal(d.format, "qr_code");
  // The symbol spans (16, 16) to (16 + 4 * size) at 4 px per module.
  const far = 16 + 4 * code.size;
  const box = d.boundingBox;
  for (const [got, want] of [[box.x, 16], [box.y, 16], [box.width, far - 16], [box.height, far - 16], [box.right, far], [box.bottom, far]]) {
    assert.ok(Math.abs(got - want) <= 2, `${JSON.stringify(box)}`);
  }
  assert.equal(d.cornerPoints.length, 4);
  [[16, 16], [far, 16], [far, far], [16, far]].forEach(([x, y], i) => {
    const p = d.cornerPoints[i];
    assert.ok(Math.abs(p.x - x) <= 2 && Math.abs(p.y - y) <= 2, `corner ${i}: ${JSON.stringify(p)}`);
  });
  assert.deepEqual([d.text, d.symbology, d.version, d.ec, d.mask], [URL_TEXT, "qr", code.version, "Q", code.mask]);
  assert.deepEqual(Array.from(d.bytes), Array.from(new TextEncoder().encode(URL_TEXT)));
});

test("formats narrow the search; Micro QR and rMQR come back with their own names", async () => {
  const micro = render(encode("BANC 42", { symbol: "micro" }), { quiet: 2 });
  const rmqr = render(encode("R 42", { symbol: "rmqr" }), { quiet: 2 });
  assert.deepEqual((await new BarcodeDetector().detect(micro)).map((d) => d.format), ["micro_qr_code"]);
  assert.deepEqual((await new BarcodeDetector().detect(rmqr)).map((d) => d.format), ["rm_qr_code"]);
  assert.deepEqual(await new BarcodeDetector({ formats: ["qr_code"] }).detect(micro), []);
  assert.deepEqual(await new BarcodeDetector({ formats: ["qr_code", "rm_qr_code"] }).detect(micro), []);
  assert.equal((await new BarcodeDetector({ formats: ["micro_qr_code"] }).detect(micro))[0].rawValue, "BANC 42");
});

test("cornerPoints go clockwise from the symbol's top-left, turned or mirrored", async () => {
  const code = encode("TURN 42", { version: 2 });
  const detector = new BarcodeDetector({ formats: ["qr_code"] });
  const side = (code.size + 8) * 4;
  for (const [turns, mirror] of [[0, false], [1, false], [2, false], [3, false], [0, true], [1, true]]) {
    const [d] = await detector.detect(render(code, { turns, mirror }));
    const what = `turns ${turns}, mirror ${mirror}`;
    assert.equal(d.rawValue, "TURN 42", what);
    assert.ok(twiceArea(d.cornerPoints) > 0, `${what}: not clockwise: ${JSON.stringify(d.cornerPoints)}`);
    // The symbol's top-left (finder) corner of the upright picture is at
    // (16, 16); where it lands after mirroring and turning.
    let [x, y] = [mirror ? side - 16 : 16, 16];
    for (let t = 0; t < turns; t++) [x, y] = [side - y, x];
    const p = d.cornerPoints[0];
    assert.ok(Math.abs(p.x - x) <= 2 && Math.abs(p.y - y) <= 2, `${what}: first corner ${JSON.stringify(p)}, want ${x},${y}`);
    assert.equal(d.mirrored, mirror, what);
  }
});

test("empty results: no code, and an image of zero size", async () => {
  const detector = new BarcodeDetector();
  assert.deepEqual(await detector.detect({ data: new Uint8Array(64 * 48 * 4).fill(255), width: 64, height: 48 }), []);
  assert.deepEqual(await detector.detect({ data: new Uint8Array(0), width: 0, height: 0 }), []);
  assert.deepEqual(await detector.detect({ data: new Uint8Array(0), width: 640, height: 0 }), []);
  assert.deepEqual(await decodeImage({ data: new Uint8Array(0), width: 0, height: 10 }), []);
});

test("detect rejects a detached buffer (InvalidStateError), a non-image (TypeError), bad pixels (Error)", async () => {
  const detector = new BarcodeDetector();
  const img = render(encode("DETACH"));
  structuredClone(img.data.buffer, { transfer: [img.data.buffer] });
  await assert.rejects(detector.detect(img), { name: "InvalidStateError", message: /detached/ });
  for (const bad of [null, undefined, 42, "image.png", {}, { width: 3 }]) {
    await assert.rejects(detector.detect(bad), TypeError, String(bad));
  }
  await assert.rejects(detector.detect({ data: new Uint8Array(5), width: 4, height: 4 }), { name: "Error", message: /5 bytes do not make a 4 x 4 image/ });
  // Node.js has Blob but no image decoder: said so.
  await assert.rejects(detector.detect(new Blob([new Uint8Array(8)], { type: "image/png" })), { name: "NotSupportedError", message: /createImageBitmap/ });
  assert.equal((await detector.detect(render(encode("STILL OK"))))[0].rawValue, "STILL OK");
});

test("binary payloads: bytes exact, rawValue the text the reader gave them", async () => {
  // Bytes without an ECI read as ISO-8859-1, so every byte has a character.
  const bytes = new Uint8Array([0x00, 0xff, 0x80, 0x41]);
  const [d] = await new BarcodeDetector().detect(render(encode(bytes)));
  assert.deepEqual(Array.from(d.bytes), Array.from(bytes));
  assert.equal(d.rawValue, d.text);
  assert.equal(d.rawValue, "\u0000\u00ff\u0080A");
});

test("decode options and a trust list ride on the detector", async () => {
  const inverted = render(encode("NEG 42"), { invert: true });
  assert.equal((await new BarcodeDetector().detect(inverted)).length, 1);
  assert.deepEqual(await new BarcodeDetector({ tryInverted: false }).detect(inverted), []);
  const [d] = await new BarcodeDetector({ trust: "{}" }).detect(render(encode("plain text")));
  assert.equal(d.signature.status, "unsigned");
  await assert.rejects(new BarcodeDetector({ trust: "{not json" }).detect(render(encode("x"))), { message: /trust file 1/ });
  await assert.rejects(new BarcodeDetector({ maxSymbols: 0 }).detect(inverted), { message: /maxSymbols/ });
  assert.ok(new TrustList("{}") instanceof TrustList);
});

test("fullDecodeEvery: on successive frames every Nth detect() decodes in full, the others quick", async () => {
  // A code of 1 px modules in a 320 x 240 frame of noise: only a full decode
  // (which enlarges small images) reads it.
  let seed = 7;
  const random = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
  const data = Uint8Array.from({ length: 320 * 240 }, () => 150 + Math.floor(random() * 60));
  const code = render(encode(URL_TEXT), { scale: 1, channels: 1 });
  for (let y = 0; y < code.height; y++) {
    for (let x = 0; x < code.width; x++) data[(60 + y) * 320 + 100 + x] = code.data[y * code.width + x] ? 200 : 40;
  }
  const frame = { data, width: 320, height: 240 };
  const every2 = new BarcodeDetector({ fullDecodeEvery: 2 });
  const counts = [];
  for (let n = 0; n < 4; n++) counts.push((await every2.detect(frame)).length);
  assert.deepEqual(counts, [1, 0, 1, 0]);
  // By default every call decodes in full, as the standard's detect() does.
  const plain = new BarcodeDetector();
  assert.deepEqual([await plain.detect(frame), await plain.detect(frame)].map((r) => r.length), [1, 1]);
  for (const bad of [0, -1, 1.5, "2", NaN]) {
    assert.throws(() => new BarcodeDetector({ fullDecodeEvery: bad }), TypeError, String(bad));
  }
});

test("imagePixels passes ImageData-like objects through", async () => {
  const img = render(encode("PASS"));
  assert.equal(await imagePixels(img), img);
});

test("getBarcodeDetector prefers a native detector that reads the formats, else civiqr's", async (t) => {
  const made = [];
  let supported = ["qr_code", "ean_13"];
  class Native {
    constructor(options) {
      made.push(options);
    }
    static async getSupportedFormats() {
      if (supported === null) throw new Error("service unavailable");
      return supported;
    }
  }
  globalThis.BarcodeDetector = Native;
  t.after(() => delete globalThis.BarcodeDetector);

  assert.ok((await getBarcodeDetector()) instanceof Native);
  assert.deepEqual(made.pop(), { formats: ["qr_code"] });
  assert.ok((await getBarcodeDetector({ formats: ["qr_code", "ean_13"] })) instanceof Native);
  // civiqr's: a format the native one lacks, civiqr-only options, no QR support, a failing list.
  assert.ok((await getBarcodeDetector({ formats: ["micro_qr_code"] })) instanceof BarcodeDetector);
  assert.ok((await getBarcodeDetector({ tryHarder: true })) instanceof BarcodeDetector);
  assert.ok((await getBarcodeDetector({ fullDecodeEvery: 4 })) instanceof BarcodeDetector);
  supported = [];
  assert.ok((await getBarcodeDetector()) instanceof BarcodeDetector);
  supported = null;
  assert.ok((await getBarcodeDetector()) instanceof BarcodeDetector);
  delete globalThis.BarcodeDetector;
  assert.ok((await getBarcodeDetector()) instanceof BarcodeDetector);
  await assert.rejects(getBarcodeDetector({ formats: [] }), TypeError);
});

test("civiqr/polyfill never replaces a BarcodeDetector the platform has", async () => {
  // Setting it where there is none is tested in Chromium (wasm/e2e/sources.test.mjs).
  class Native {}
  globalThis.BarcodeDetector = Native;
  try {
    const { BarcodeDetector: exported } = await import("../pkg/polyfill.js");
    assert.equal(exported, BarcodeDetector);
    assert.equal(globalThis.BarcodeDetector, Native);
  } finally {
    delete globalThis.BarcodeDetector;
  }
});
