// End-to-end: hostile payloads in the demo page (issue 20). The fake camera
// shows a code holding HTML with an event handler, then one holding a
// right-to-left override. The page must put the first in as text (no element
// made, no handler run, no CSP violation reported) and show the override as a
// visible escape, so that `https://ex.org/<RLO>gnp.exe` cannot pass for a
// link to a .png.
//
//   scripts/build-web.sh && node --test wasm/e2e/

import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";

import { demoWithCamera, openPage } from "./browser.mjs";

const dist = fileURLToPath(new URL("../dist/", import.meta.url));
const HTML = `<img src=x onerror="window.civiqrPwned=1"><b>verified: Ville</b>`;
const RLO = "https://ex.org/\u202egnp.exe";

let demo;
before(async () => {
  demo = await demoWithCamera(dist, [HTML, RLO], { frames: 60 });
});
after(() => demo?.close());

// What #result holds once the page has read `text`.
async function shown(page, text) {
  await page.waitForFunction((t) => window.civiqrDemo.results.includes(t), text, { timeout: 20000 });
  await page.waitForFunction((t) => window.civiqrDemo.results.at(-1) === t, text, { timeout: 20000 });
  return page.evaluate(() => {
    const box = document.getElementById("result");
    return { text: box.textContent, elements: box.querySelectorAll("*").length, html: box.innerHTML };
  });
}

test("decoded HTML is shown as text and a bidi override as an escape", async () => {
  const { page, problems } = await openPage(demo.browser, `${demo.url}index.html`);
  try {
    await page.click("#start");

    const html = await shown(page, HTML);
    assert.equal(html.text, HTML);
    assert.equal(html.elements, 0, html.html);
    assert.equal(await page.evaluate(() => document.querySelectorAll("img[src=x], #result b").length), 0);

    const rlo = await shown(page, RLO);
    assert.equal(rlo.text, "https://ex.org/\\u{202e}gnp.exe");
    assert.ok(!rlo.text.includes("\u202e"));

    await page.evaluate(() => window.civiqrDemo.scanner.stop());
    assert.equal(await page.evaluate(() => window.civiqrPwned), undefined);
    assert.deepEqual(problems, []);
  } finally {
    await page.close();
  }
});
