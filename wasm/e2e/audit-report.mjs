// The field-audit report (docs/AUDIT.md) in Chromium: it must open from a
// file with no console error, no CSP violation and no request for anything
// but its own data: pictures, and show the summary counts of the photos'
// known states. The report and the counts come from cli/tests/audit.rs run
// with CIVIQR_AUDIT_REPORT_DIR (scripts/test.sh, suite audit-report):
//
//   CIVIQR_AUDIT_REPORT_DIR=target/audit-report cargo test -p civiqr-cli --test audit
//   CIVIQR_AUDIT_REPORT_DIR=target/audit-report node --test wasm/e2e/audit-report.mjs

import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { test } from "node:test";
import { pathToFileURL } from "node:url";

import { chromium } from "playwright-core";

// Not ./browser.mjs: its camera helpers import the built wasm package,
// which this test does not need.
const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";

const dir = resolve(process.env.CIVIQR_AUDIT_REPORT_DIR ?? "target/audit-report");

test("the audit report opens cleanly and shows the known counts", async () => {
  const expected = JSON.parse(await readFile(resolve(dir, "expected.json"), "utf8"));
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  try {
    const url = pathToFileURL(resolve(dir, "audit.html")).href;
    const page = await browser.newPage();
    const [problems, requests] = [[], []];
    page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
    page.on("console", (m) => {
      if (m.type() === "error") problems.push(`console: ${m.text()}`);
    });
    page.on("request", (r) => requests.push(r.url()));
    // Violations are reported as console errors too; listened for explicitly.
    await page.addInitScript(() => {
      document.addEventListener("securitypolicyviolation", (e) => {
        console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`);
      });
    });
    await page.goto(url, { waitUntil: "load" });
    const counts = await page.$$eval("[data-count]", (els) =>
      Object.fromEntries(els.map((e) => [e.dataset.count, Number(e.textContent)])));
    assert.deepEqual(counts, expected);
    const cards = await page.$$eval("article.card", (els) => els.map((e) => e.dataset.status));
    assert.equal(cards.length, 9);
    assert.equal(cards[0], "bad_signature", "most urgent first");
    assert.equal(cards.at(-1), "ok", "fine cards last");
    const broken = await page.$$eval("img", (imgs) =>
      imgs.filter((i) => !i.complete || i.naturalWidth === 0).map((i) => i.alt));
    assert.deepEqual(broken, [], "every picture decodes");
    assert.equal(await page.$("script"), null, "no script");
    const foreign = requests.filter((u) => !u.startsWith("data:") && u !== url);
    assert.deepEqual(foreign, [], "no external resource");
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
  }
});
