// The shipped, wasm-opt'ed package (wasm/pkg from scripts/build-wasm.sh) as an
// ES-module user loads it, run by Node's test runner.
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { test } from "node:test";

import { decodePixels, encode, initSync } from "../pkg/civiqr_wasm.js";

const wasm = await readFile(new URL("../pkg/civiqr_wasm_bg.wasm", import.meta.url));
initSync({ module: wasm });

test("encode returns the symbol's parameters and an SVG", () => {
  const code = encode("https://example.org/mobilier/banc-0042");
  assert.equal(code.version, 3);
  assert.equal(code.size, 29);
  assert.equal(code.ec, "M");
  assert.ok(code.mask >= 0 && code.mask <= 7);
  assert.match(code.svg, /<svg[\s>]/);
  assert.match(code.svg, /<path/);
  code.free();
});

test("over-long input throws an Error with the encoder's message", () => {
  assert.throws(() => encode("7".repeat(8000)), {
    name: "Error",
    message: /data too long/,
  });
});

test("non-ASCII text encodes", () => {
  const code = encode("Bänke für alle – 公園");
  assert.ok(code.version >= 1 && code.version <= 40);
  code.free();
});

test("decodePixels: blank image gives no result, bad sizes throw, module keeps working", () => {
  const blank = new Uint8Array(64 * 48 * 4).fill(255);
  assert.deepEqual(decodePixels(blank, 64, 48), []);
  assert.throws(() => decodePixels(blank, 65, 48), { name: "Error", message: /do not make a 65 x 48 image/ });
  assert.throws(() => decodePixels(blank, 0xffffffff, 0xffffffff), { name: "Error" });
  assert.deepEqual(decodePixels(new Uint8Array(64 * 48).fill(0), 64, 48), []);
  assert.equal(encode("still alive").version, 1);
});
