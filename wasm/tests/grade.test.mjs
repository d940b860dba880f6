// JavaScript grade() in the grader build (wasm/pkg-grade, from
// scripts/build-wasm.sh --grade): the same ISO/IEC 15415 grading as
// `civiqr grade`, on renders whose true state the test knows.
import assert from "node:assert/strict";
import { test } from "node:test";

import { encode, grade, init } from "../pkg-grade/civiqr.js";
import { render } from "./pixels.mjs";

await init();

const TEXT = "https://ville.example/stationnement/horodateur-0117";
const PARAMETERS = [
  "decode", "symbol_contrast", "minimum_reflectance", "minimum_edge_contrast", "modulation",
  "reflectance_margin", "fixed_pattern_damage", "axial_nonuniformity", "grid_nonuniformity",
  "unused_error_correction", "print_growth",
];

test("a clean render grades A (4.0) on every parameter, uncalibrated", () => {
  const [g] = grade(render(encode(TEXT, { ec: "Q" }), { scale: 6 }));
  assert.equal(g.text, TEXT);
  assert.equal(g.grade.overall, 4);
  assert.equal(g.grade.letter, "A");
  assert.equal(g.grade.calibrated, false);
  assert.deepEqual(Object.keys(g.grade.parameters).sort(), [...PARAMETERS].sort());
  for (const name of PARAMETERS) assert.equal(g.grade.parameters[name].grade, 4, name);
  assert.equal(g.grade.wrong_modules, 0);
  assert.ok(g.grade.blocks.length > 0 && g.grade.blocks.every((b) => b.corrected === 0));
});

test("flipped modules are counted and use error correction", () => {
  const code = encode(TEXT, { ec: "H", version: 7, mask: 2 });
  const scale = 5;
  const image = render(code, { scale });
  // Invert a 3x3 block of data modules in the bottom-right corner (clear of the finders and alignment patterns).
  for (let my = code.size - 4; my < code.size - 1; my++) {
    for (let mx = code.size - 4; mx < code.size - 1; mx++) {
      for (let y = 0; y < scale; y++) {
        for (let x = 0; x < scale; x++) {
          const i = (((my + 4) * scale + y) * image.width + (mx + 4) * scale + x) * 4;
          const v = 255 - image.data[i];
          image.data.fill(v, i, i + 3);
        }
      }
    }
  }
  const [g] = grade(image);
  assert.equal(g.text, TEXT);
  assert.equal(g.grade.wrong_modules, 9);
  assert.ok(g.grade.blocks.some((b) => b.corrected > 0));
  assert.ok(g.grade.parameters.unused_error_correction.value < 1);
  assert.equal(g.grade.parameters.decode.grade, 4);
});

test("grey ink lowers symbol contrast", () => {
  const image = render(encode(TEXT), { scale: 6 });
  for (let i = 0; i < image.data.length; i += 4) {
    if (image.data[i] === 0) image.data.fill(150, i, i + 3);
  }
  const [g] = grade(image);
  // SC = (255 - 150) / 255 = 0.41: grade C, which is then the overall grade.
  assert.equal(g.grade.parameters.symbol_contrast.grade, 2);
  assert.equal(g.grade.overall, 2);
  assert.equal(g.grade.letter, "C");
});

test("an aperture and a calibration make the grade calibrated", () => {
  const image = render(encode(TEXT), { scale: 6 });
  const [g] = grade(image, { aperturePx: 4, calibration: [[0, 0.05], [255, 0.9]] });
  assert.equal(g.grade.calibrated, true);
  assert.equal(g.grade.aperture_px, 4);
});

test("an rMQR symbol is graded with its own patterns and blocks", () => {
  const [g] = grade(render(encode("R-17", { symbol: "rmqr" }), { scale: 6 }));
  assert.equal(g.text, "R-17");
  assert.equal(g.symbology, "rmqr");
  assert.ok(g.ungraded == null);
  assert.equal(g.grade.letter, "A");
  const names = g.grade.segments.map((s) => s.name);
  assert.ok(names.includes("SFP") && names.includes("CFP"), names.join(" "));
});

test("bad options and images throw an Error naming the problem", () => {
  const image = render(encode(TEXT), { scale: 4 });
  assert.throws(() => grade(image, { aperturePx: 3, apertureModules: 0.8 }), /either aperturePx or apertureModules/);
  assert.throws(() => grade(image, { aperturePx: -1 }), /aperture/);
  assert.throws(() => grade(image, { aperturePx: "3" }), /aperturePx must be a finite number/);
  assert.throws(() => grade(image, { calibration: [0, 1] }), /calibration must be/);
  assert.throws(() => grade(image, { calibration: [[300, 0.1], [255, 0.9]] }), /grey level 300/);
  assert.throws(() => grade(image, { lens: 3 }), /unknown option "lens"/);
  assert.throws(() => grade({ data: new Uint8Array(10), width: 4, height: 4 }), /10 bytes do not make a 4 x 4 image/);
  assert.deepEqual(grade({ data: new Uint8Array(64 * 64).fill(255), width: 64, height: 64 }), []);
});
