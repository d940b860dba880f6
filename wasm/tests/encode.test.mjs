// encode() for Micro QR and rMQR and encodeSplit() for structured append,
// with the options Python's civiqr.encode takes; every symbol is read back.
import assert from "node:assert/strict";
import { test } from "node:test";

import { decode, encode, encodeSplit, init } from "../pkg/civiqr.js";
import { render } from "./pixels.mjs";

await init();

const readBack = (code) => decode(render(code, { quiet: 2 }));

test("Micro QR: the smallest version, a forced one, and the read-back", () => {
  const code = encode("BANC 42", { symbol: "micro" });
  assert.deepEqual([code.symbology, code.versionName, code.size, code.width, code.height], ["micro", "M3", 15, 15, 15]);
  assert.equal(code.modules.length, 15 * 15);
  assert.match(code.svg, /viewBox="-2 -2 19 19"/, "2-module quiet zone by default");
  const [r] = readBack(code);
  assert.deepEqual([r.text, r.symbology, r.versionName, r.ec], ["BANC 42", "micro", "M3", "M"]);
  assert.deepEqual([code.version, r.version], [3, 3], "the same number as the CLI and Python");

  const m4 = encode("12345", { symbol: "micro", version: "M4", ec: "Q", mask: 2 });
  assert.deepEqual([m4.versionName, m4.ec, m4.mask, m4.size], ["M4", "Q", 2, 17]);
  assert.equal(readBack(m4)[0].text, "12345");
  assert.equal(encode("12345", { symbol: "MICRO", ec: "l" }).versionName, "M1", "names in any case, as core parses them");
});

test("rMQR: least area within maxHeight / maxWidth, a forced version, and the read-back", () => {
  const code = encode("HELLO WORLD 123", { symbol: "rmqr", maxHeight: 9 });
  assert.equal(code.symbology, "rmqr");
  assert.equal(code.height, 9);
  assert.equal(code.size, code.width);
  assert.equal(code.versionName, `R9x${code.width}`);
  assert.equal(code.modules.length, code.width * code.height);
  assert.equal(readBack(code)[0].text, "HELLO WORLD 123");

  const forced = encode("HELLO", { symbol: "rmqr", version: "R11x77", ec: "H" });
  assert.deepEqual([forced.versionName, forced.width, forced.height, forced.ec], ["R11x77", 77, 11, "H"]);
  const [r] = readBack(forced);
  assert.deepEqual([r.text, r.versionName, r.symbology], ["HELLO", "R11x77", "rmqr"]);
  assert.deepEqual([forced.version, r.version], [14, 14], "R11x77 is the 14th size of ISO/IEC 23941");
});

test("kanji: false writes Japanese text as UTF-8 bytes, true as Kanji mode", () => {
  const text = "公園のベンチ";
  const kanji = encode(text, { kanji: true });
  const utf8 = encode(text, { kanji: false });
  assert.ok(kanji.size <= utf8.size);
  assert.equal(readBack(utf8)[0].text, text);
  assert.equal(readBack(kanji)[0].text, text);
});

test("encodeSplit: structured append parts that read back and merge to the message", () => {
  const message = "Tour de l'Horloge, 1870. ".repeat(12);
  const parts = encodeSplit(message, { maxVersion: 4, ec: "L" });
  assert.ok(parts.length > 1);
  let joined = "";
  parts.forEach((p, i) => {
    assert.equal(p.symbology, "qr");
    assert.ok(p.version <= 4);
    assert.deepEqual([p.structuredAppend.index, p.structuredAppend.count], [i, parts.length]);
    const [r] = readBack(p);
    assert.deepEqual(r.structuredAppend, p.structuredAppend);
    joined += r.text;
  });
  assert.equal(joined, message);
  // All parts carry the XOR of the message's bytes.
  const parity = new TextEncoder().encode(message).reduce((a, b) => a ^ b, 0);
  assert.ok(parts.every((p) => p.structuredAppend.parity === parity));

  const three = encodeSplit(new Uint8Array(300).map((_, i) => i), { parts: 3 });
  assert.equal(three.length, 3);
  assert.deepEqual(Array.from(three.flatMap((p) => Array.from(readBack(p)[0].bytes))), Array.from({ length: 300 }, (_, i) => i % 256));

  const one = encodeSplit("short");
  assert.equal(one.length, 1);
  assert.equal(one[0].structuredAppend, undefined, "auto: one symbol without a header when it fits");
  assert.equal(encodeSplit("short", { parts: 1 })[0].structuredAppend.count, 1);
});

test("bad encode options throw an Error naming the problem", () => {
  const bad = [
    [{ symbol: "microqr" }, /symbol: unknown symbology "microqr": must be qr, micro or rmqr/],
    [{ symbol: "micro", version: 3 }, /version 3 is not a Micro QR version/],
    [{ version: "M2" }, /version M2 is not a QR Code version/],
    [{ symbol: "rmqr", version: "R12x43" }, /version/],
    [{ symbol: "micro", mask: 5 }, /mask/],
    [{ version: "" }, /version must be a number 1-40 or a name/],
    [{ symbol: 2 }, /symbol must be a string/],
    [{ kanji: 1 }, /kanji must be true or false/],
    [{ maxHeight: -1 }, /maxHeight must be an integer/],
    [{ symbol: "micro", maxVersion: 2 }, /minVersion and maxVersion are QR Code versions/],
    [{ symbol: "rmqr", maxHeight: 5 }, /no rMQR version within 5 x any modules/],
  ];
  for (const [options, message] of bad) {
    assert.throws(() => encode("12345", options), { name: "Error", message }, JSON.stringify(options));
  }
  assert.throws(() => encode("x".repeat(100), { symbol: "micro" }), { name: "Error", message: /data too long/ });
  assert.throws(() => encodeSplit("x", { parts: 17 }), { name: "Error", message: /parts/ });
  assert.throws(() => encodeSplit("x", { parts: 0 }), { name: "Error", message: /parts/ });
  assert.throws(() => encodeSplit("x", { symbol: "micro" }), { name: "Error", message: /unknown option "symbol"/ });
  assert.throws(() => encodeSplit("x".repeat(5000), { maxVersion: 1 }), { name: "Error", message: /does not fit 16 symbols/ });
  assert.throws(() => encodeSplit(7), { name: "Error", message: /encodeSplit\(\) takes a string or a Uint8Array/ });
  assert.equal(encode("still fine", { symbol: "micro" }).symbology, "micro");
});
