// The shipped, wasm-opt'ed package (wasm/pkg from scripts/build-wasm.sh) as an
// ES-module user loads it, run by Node's test runner.
import assert from "node:assert/strict";
import { test } from "node:test";

import { decode, encode, grade, init, isReady } from "../pkg/civiqr.js";
import { decodePixels, encode as rawEncode } from "../pkg/civiqr_wasm.js";
import { render } from "./pixels.mjs";

const URL_TEXT = "https://example.org/mobilier/banc-0042";

test("decode and encode before init() throw a clear Error", () => {
  assert.equal(isReady(), false);
  assert.throws(() => encode("x"), { name: "Error", message: /await init\(\) first/ });
});

// Loads the .wasm next to civiqr.js (read from disk under Node).
const loading = init();
assert.equal(init(), loading, "init() twice gives the same promise");
await loading;
assert.equal(isReady(), true);

test("the npm package leaves the grader out and says where it is", () => {
  const image = { data: new Uint8Array(16).fill(255), width: 4, height: 4 };
  assert.throws(() => grade(image), { name: "Error", message: /scripts\/build-wasm.sh --grade/ });
});

test("encode returns the SVG, the parameters and the modules", () => {
  const code = encode(URL_TEXT);
  assert.equal(code.version, 3);
  assert.equal(code.size, 29);
  assert.equal(code.ec, "M");
  assert.ok(code.mask >= 0 && code.mask <= 7);
  assert.match(code.svg, /<svg[\s>]/);
  assert.match(code.svg, /<path/);
  assert.ok(code.modules instanceof Uint8Array);
  assert.equal(code.modules.length, 29 * 29);
  // The top-left finder pattern: a dark 7x7 ring.
  assert.equal(code.modules[0], 1);
  assert.equal(code.modules[6], 1);
  assert.equal(code.modules[7], 0);
});

test("encode options: EC level, version, mask, colours, bytes", () => {
  const code = encode(new Uint8Array([0, 1, 2, 250, 255]), { ec: "H", version: 5, mask: 3, dark: "#003366", light: "transparent", quietZone: 2 });
  assert.equal(code.ec, "H");
  assert.equal(code.version, 5);
  assert.equal(code.size, 37);
  assert.equal(code.mask, 3);
  assert.match(code.svg, /stroke="#036"/); // shortest form of #003366
  assert.equal(encode("x", { minVersion: 7 }).version, 7);
});

test("colours a camera cannot read are refused unless allowLowContrast", () => {
  assert.throws(() => encode("x", { dark: "#ccc" }), { name: "Error", message: /differ by 20\.0 % in grey, readers need 30 %/ });
  assert.throws(() => encode("x", { dark: "white", light: "black" }), { message: /lighter one/ });
  assert.match(encode("x", { dark: "#ccc", allowLowContrast: true }).svg, /#ccc/);
  assert.throws(() => encode("x", { allowLowContrast: "yes" }), { message: /allowLowContrast/ });
});

test("a sheet of 20 codes gives 20 results by default, maxSymbols caps it", () => {
  // 5 x 4 labels, grey pixels, each code drawn by render() into its cell.
  const cells = Array.from({ length: 20 }, (_, i) => render(encode(`https://example.org/s/${i}`), { channels: 1, scale: 3 }));
  const cw = Math.max(...cells.map((c) => c.width));
  const ch = Math.max(...cells.map((c) => c.height));
  const width = cw * 5;
  const data = new Uint8Array(width * ch * 4).fill(255);
  cells.forEach((c, i) => {
    const [x0, y0] = [(i % 5) * cw, Math.floor(i / 5) * ch];
    for (let y = 0; y < c.height; y++) data.set(c.data.subarray(y * c.width, (y + 1) * c.width), (y0 + y) * width + x0);
  });
  const sheet = { data, width, height: ch * 4 };
  const texts = decode(sheet).map((r) => r.text).sort();
  assert.deepEqual(texts, cells.map((_, i) => `https://example.org/s/${i}`).sort());
  assert.equal(decode(sheet, { maxSymbols: 3 }).length, 3);
});

test("bad encode input throws an Error naming the problem", () => {
  assert.throws(() => encode("7".repeat(8000)), { name: "Error", message: /data too long/ });
  assert.throws(() => encode("x", { ec: "X" }), { name: "Error", message: /error-correction level "X": must be L, M, Q or H/ });
  assert.throws(() => encode("x", { version: 41 }), { name: "Error", message: /version must be an integer from 1 to 40/ });
  assert.throws(() => encode("x", { mask: 8 }), { name: "Error", message: /mask/ });
  assert.throws(() => encode("x", { colour: "red" }), { name: "Error", message: /unknown option "colour"/ });
  assert.throws(() => encode("x", { dark: "not-a-colour" }), { name: "Error", message: /not-a-colour/ });
  assert.throws(() => encode(42), { name: "Error", message: /string or a Uint8Array/ });
  assert.throws(() => encode("x".repeat(100), { maxVersion: 2 }), { name: "Error" });
  assert.equal(encode("still alive").version, 1);
});

test("round trip: encoded text decodes from RGBA pixels with its parameters and corners", () => {
  const code = encode(URL_TEXT, { ec: "Q" });
  const found = decode(render(code, { scale: 4 }));
  assert.equal(found.length, 1);
  const r = found[0];
  assert.equal(r.text, URL_TEXT);
  assert.deepEqual(Array.from(r.bytes), Array.from(new TextEncoder().encode(URL_TEXT)));
  assert.equal(r.symbology, "qr");
  assert.equal(r.version, code.version);
  assert.equal(r.ec, "Q");
  assert.equal(r.mask, code.mask);
  assert.equal(r.eci, undefined);
  assert.equal(r.mirrored, false);
  assert.equal(r.inverted, false);
  assert.equal(r.structuredAppend, undefined);
  // TL, TR, BR, BL of the symbol drawn from (16, 16) at 4 px per module.
  const far = 16 + 4 * code.size;
  const expected = [[16, 16], [far, 16], [far, far], [16, far]];
  r.corners.forEach((p, i) => {
    assert.ok(Math.abs(p.x - expected[i][0]) <= 2 && Math.abs(p.y - expected[i][1]) <= 2, `corner ${i}: ${JSON.stringify(p)}`);
  });
});

test("round trip: grey pixels, bytes, non-ASCII text, inverted symbols", () => {
  const bytes = new Uint8Array([0xff, 0x00, 0x80, 0x41]);
  const fromBytes = decode(render(encode(bytes), { channels: 1 }));
  assert.deepEqual(Array.from(fromBytes[0].bytes), Array.from(bytes));

  const text = "Bänke für alle – 公園";
  assert.equal(decode(render(encode(text), { channels: 1, scale: 3 }))[0].text, text);

  const inverted = decode(render(encode("NEGATIVE 42"), { invert: true }));
  assert.equal(inverted.length, 1);
  assert.equal(inverted[0].text, "NEGATIVE 42");
  assert.equal(inverted[0].inverted, true);
  assert.deepEqual(decode(render(encode("NEGATIVE 42"), { invert: true }), { tryInverted: false }), []);
  // The quick first look (the Scanner's frames between full decodes) reads a plain code too.
  assert.equal(decode(render(encode("QUICK 7"), { turns: 1 }), { quick: true })[0].text, "QUICK 7");
});

test("ImageData-like input: Uint8ClampedArray and ArrayBuffer data", () => {
  const img = render(encode("clamped"));
  assert.equal(decode({ ...img, data: new Uint8ClampedArray(img.data.buffer) })[0].text, "clamped");
  assert.equal(decode({ ...img, data: img.data.buffer })[0].text, "clamped");
});

test("bad decode input throws an Error and the module keeps working", () => {
  const blank = new Uint8Array(64 * 48 * 4).fill(255);
  assert.deepEqual(decode({ data: blank, width: 64, height: 48 }), []);
  assert.throws(() => decode({ data: blank, width: 65, height: 48 }), { name: "Error", message: /do not make a 65 x 48 image/ });
  assert.throws(() => decode({ data: blank, width: 0, height: 48 }), { name: "Error", message: /image.width/ });
  assert.throws(() => decode({ data: blank, width: 1.5, height: 48 }), { name: "Error", message: /image.width/ });
  assert.throws(() => decode({ data: blank, width: 0x7fffffff, height: 0x7fffffff }), { name: "Error" });
  for (const bad of [NaN, -1, -64, Infinity, "64", undefined, null, 2 ** 53]) {
    assert.throws(() => decode({ data: blank, width: bad, height: 48 }), { name: "Error", message: /image.width/ }, String(bad));
    assert.throws(() => decode({ data: blank, width: 64, height: bad }), { name: "Error", message: /image.height/ }, String(bad));
  }
  // A buffer one byte short of the image.
  assert.throws(() => decode({ data: blank.subarray(1), width: 64, height: 48 }), { name: "Error", message: /12287 bytes do not make a 64 x 48 image/ });
  assert.throws(() => encode(42), { name: "Error" });
  assert.throws(() => encode("x", { version: NaN }), { name: "Error", message: /version/ });
  assert.throws(() => encode("x", { mask: -1 }), { name: "Error", message: /mask/ });
  assert.throws(() => decode({ data: [1, 2, 3], width: 1, height: 3 }), { name: "Error", message: /image.data/ });
  assert.throws(() => decode(null), { name: "Error", message: /ImageData/ });
  assert.throws(() => decode({ data: blank, width: 64, height: 48 }, { tryHarder: "yes" }), { name: "Error", message: /tryHarder/ });
  assert.throws(() => decode({ data: blank, width: 64, height: 48 }, { quick: 1 }), { name: "Error", message: /quick/ });
  assert.throws(() => decode({ data: blank, width: 64, height: 48 }, { maxSymbols: 0 }), { name: "Error", message: /maxSymbols/ });
  assert.throws(() => decode({ data: blank, width: 64, height: 48 }, { speed: 1 }), { name: "Error", message: /unknown option/ });
  assert.throws(() => decode({ data: blank, width: 64, height: 48 }, { symbologies: [] }), { name: "Error", message: /symbologies/ });
  assert.throws(() => decode({ data: blank, width: 64, height: 48 }, { symbologies: ["aztec"] }), { name: "Error", message: /unknown symbology "aztec"/ });
  const code = encode(URL_TEXT);
  assert.equal(decode(render(code))[0].text, URL_TEXT);
  // Narrowed to the other symbologies, the QR Code is not looked for.
  assert.deepEqual(decode(render(code), { symbologies: ["micro", "rmqr"] }), []);
  assert.equal(decode(render(code), { symbologies: ["qr"] })[0].symbology, "qr");
});

test("random pixels of many sizes never throw and never yield a symbol", () => {
  let seed = 12345;
  const rand = () => {
    seed = (seed * 1103515245 + 12345) >>> 0;
    return seed >>> 24;
  };
  for (const [w, h] of [[1, 1], [1, 500], [3, 7], [21, 21], [100, 37], [640, 480]]) {
    for (const channels of [1, 4]) {
      const data = new Uint8Array(w * h * channels);
      for (let i = 0; i < data.length; i++) data[i] = rand() < 128 ? 0 : 255;
      assert.deepEqual(decode({ data, width: w, height: h }), []);
    }
  }
});

test("the first binding (encode, decodePixels) still works", () => {
  const code = rawEncode("still here");
  assert.equal(code.version, 1);
  code.free();
  const blank = new Uint8Array(64 * 48).fill(0);
  assert.deepEqual(decodePixels(blank, 64, 48), []);
  assert.throws(() => decodePixels(blank, 65, 48), { name: "Error", message: /do not make a 65 x 48 image/ });
});

test("chooseBackCamera picks the main back lens, not the ultra-wide or tele one", async () => {
  const { chooseBackCamera } = await import("../pkg/civiqr.js");
  const cams = (...labels) => labels.map((label, i) => ({ kind: "videoinput", deviceId: `id${i}`, label }));
  const pick = (...labels) => chooseBackCamera(cams(...labels))?.label ?? null;
  assert.equal(pick("Front Camera", "Back Ultra Wide Camera", "Back Camera", "Back Telephoto Camera", "Back Dual Wide Camera"), "Back Camera");
  assert.equal(pick("camera2 1, facing front", "camera2 2, facing back", "camera2 0, facing back"), "camera2 0, facing back");
  assert.equal(pick("Frontkamera", "Rückseitige Ultraweitwinkelkamera", "Rückkamera"), "Rückkamera");
  // Only an ultra-wide back camera: better than none.
  assert.equal(pick("Front Camera", "Back Ultra Wide Camera"), "Back Ultra Wide Camera");
  // Desktop webcams, or labels hidden before permission: no choice made.
  assert.equal(pick("Integrated Camera"), null);
  assert.equal(pick("", ""), null);
});
