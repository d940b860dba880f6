// The camera Scanner's frame plan (frames.js), shared by the page and the
// worker: which frames decode in full, and which views they look at.
import assert from "node:assert/strict";
import { test } from "node:test";

import { frameOptions, framePlan } from "../pkg/frames.js";

test("every fullDecodeEvery-th frame decodes in full, the others quick", () => {
  const kinds = Array.from({ length: 9 }, (_, n) => (framePlan(n, 3, "alternate").quick ? "q" : "F")).join("");
  assert.equal(kinds, "FqqFqqFqq");
  for (let n = 0; n < 12; n++) assert.equal(framePlan(n, 1, "alternate").quick, false);
});

test("full frames see every view (whole or centre, normal or inverted) whatever the period", () => {
  for (const every of [1, 2, 3, 4, 5, 8]) {
    const views = new Set();
    for (let n = 0; n < 4 * every; n++) {
      const plan = framePlan(n, every, "alternate");
      if (!plan.quick) views.add(`${plan.phase % 2}/${plan.inverted}`);
    }
    assert.equal(views.size, 4, `fullDecodeEvery ${every}: ${[...views]}`);
  }
});

test("a period of 1 keeps the plan of a scanner that decodes every frame in full", () => {
  for (let n = 0; n < 16; n++) {
    const plan = framePlan(n, 1, "alternate");
    assert.equal(plan.phase, n);
    assert.equal(plan.inverted, n % 4 >= 2);
    assert.equal(framePlan(n, 1, "normal").inverted, false);
    assert.equal(framePlan(n, 1, "both").inverted, true);
  }
});

test("a frame's options: the user's, with its inversion and look", () => {
  const user = { maxSymbols: 4, tryHarder: true };
  assert.deepEqual(frameOptions(user, framePlan(1, 3, "alternate")), { ...user, tryInverted: false, quick: true });
  assert.deepEqual(frameOptions(user, framePlan(6, 3, "alternate")), { ...user, tryInverted: true, quick: false });
  // A user's quick: true makes every frame quick.
  assert.equal(frameOptions({ quick: true }, framePlan(0, 3, "alternate")).quick, true);
});
