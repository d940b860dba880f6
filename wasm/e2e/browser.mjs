// Shared by the browser tests: Debian's Chromium through playwright-core,
// with a fake camera playing a y4m file (shared/TOOLCHAIN.md recipe).

import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { chromium } from "playwright-core";

import { serve } from "../tools/serve.mjs";
import { writeY4m } from "../tools/y4m.mjs";

export const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";

/** A headless Chromium whose camera plays `video` (a .y4m file). */
export function launchWithCamera(video) {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-dev-shm-usage", // small /dev/shm in containers
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--use-fake-ui-for-media-stream",
      "--use-fake-device-for-media-stream",
      `--use-file-for-fake-video-capture=${video}`,
    ],
  });
}

/**
 * Opens `url`, collecting page errors, console errors and CSP violations into
 * `problems`; `init` (a function, given `arg`) runs in the page before its own scripts.
 */
export async function openPage(browser, url, { init, arg } = {}) {
  const page = await browser.newPage();
  const problems = [];
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(`console: ${m.text()}`);
  });
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => {
      console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  if (init) await page.addInitScript(init, arg);
  await page.goto(url);
  return { page, problems };
}

/**
 * The demo site in `dist` served locally and a Chromium whose camera shows
 * `texts` (writeY4m's options in `video`); `close()` stops both and removes
 * the video.
 */
export async function demoWithCamera(dist, texts, video = {}) {
  const tmp = await mkdtemp(join(tmpdir(), "civiqr-e2e-"));
  const file = join(tmp, "camera.y4m");
  await writeY4m(file, texts, video);
  const site = await serve(dist);
  const browser = await launchWithCamera(file);
  return {
    url: site.url,
    browser,
    async close() {
      await browser.close();
      site.server.close();
      await rm(tmp, { recursive: true, force: true });
    },
  };
}
