// End-to-end: signed codes in the demo page (docs/SIGNING.md). The fake camera
// shows the town's signed code for one second, then a forged sticker (the
// same signature replayed on another meter's URL), and loops. With the
// town's trust file loaded, the page must show the green "verified: <issuer>"
// verdict, then the red "signature invalid" one; without it, the signed code
// is red "unknown key". Test keys from wasm/tests/fixtures/signed.json.
//
//   scripts/build-web.sh && node --test wasm/e2e/

import assert from "node:assert/strict";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";

import { serve } from "../tools/serve.mjs";
import { writeY4m } from "../tools/y4m.mjs";
import { launchWithCamera, openPage } from "./browser.mjs";

const dist = fileURLToPath(new URL("../dist/", import.meta.url));
const fx = JSON.parse(await readFile(new URL("../tests/fixtures/signed.json", import.meta.url), "utf8"));

let tmp;
let site;
let browser;

before(async () => {
  tmp = await mkdtemp(join(tmpdir(), "civiqr-e2e-signed-"));
  const video = join(tmp, "camera.y4m");
  // 30 frames of each at 30 fps: one second each.
  await writeY4m(video, [fx.signed, fx.replayed], { frames: 60 });
  site = await serve(dist);
  browser = await launchWithCamera(video);
});

after(async () => {
  await browser?.close();
  site?.server.close();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

// The verdict box once its status is `status`.
async function verdict(page, status) {
  await page.waitForFunction((s) => document.getElementById("signature").dataset.status === s, status, {
    timeout: 20000,
  });
  return page.evaluate(() => {
    const box = document.getElementById("signature");
    return {
      text: box.textContent,
      className: box.className,
      hidden: box.hidden,
      background: getComputedStyle(box).backgroundColor,
      result: document.getElementById("result").textContent,
    };
  });
}

test("the demo shows the town's signed code as verified, then the forged sticker as invalid", async () => {
  const { page, problems } = await openPage(browser, `${site.url}index.html`);
  try {
    // The page checks expiry against today's date: this trust file has no dates.
    await page.setInputFiles("#trust", {
      name: "trust.json",
      mimeType: "application/json",
      buffer: Buffer.from(JSON.stringify(fx.trust)),
    });
    await page.waitForFunction((id) => document.getElementById("trusted").textContent.includes(id), fx.keyId);
    await page.click("#start");

    const good = await verdict(page, "valid");
    assert.equal(good.text, `✔ verified: ${fx.issuer}`);
    assert.equal(good.className, "verdict valid");
    assert.equal(good.hidden, false);
    assert.equal(good.background, "rgb(220, 247, 232)"); // green
    assert.equal(good.result, fx.signed);

    const forged = await verdict(page, "invalid");
    assert.equal(forged.text, "✖ signature invalid: do not trust");
    assert.equal(forged.className, "verdict bad");
    assert.equal(forged.background, "rgb(253, 227, 225)"); // red
    assert.equal(forged.result, fx.replayed);

    const verdicts = await page.evaluate(() => window.civiqrDemo.verdicts);
    assert.deepEqual(verdicts.slice(0, 2), ["valid", "invalid"]);
    await page.evaluate(() => window.civiqrDemo.scanner.stop());
    assert.deepEqual(problems, []);
  } finally {
    await page.close();
  }
});

test("without the town's trust file a signed code is an unknown key; a broken trust file is reported", async () => {
  const { page, problems } = await openPage(browser, `${site.url}index.html`);
  try {
    await page.setInputFiles("#trust", {
      name: "broken.json",
      mimeType: "application/json",
      buffer: Buffer.from(JSON.stringify({ [fx.keyId]: { issuer: "X" } })),
    });
    await page.waitForFunction(() => document.getElementById("trusted").classList.contains("error"));
    const message = await page.evaluate(() => document.getElementById("trusted").textContent);
    assert.match(message, new RegExp(`broken.json: .*key "${fx.keyId}": field "public_key" is missing`));

    await page.click("#start");
    const unknown = await verdict(page, "unknown_key");
    assert.equal(unknown.className, "verdict bad");
    assert.match(unknown.text, new RegExp(`unknown key \\(${fx.keyId}\\): do not trust`));
    await page.evaluate(() => window.civiqrDemo.scanner.stop());
    assert.deepEqual(problems, []);
  } finally {
    await page.close();
  }
});
