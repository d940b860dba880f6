// Per-frame decode time in Chromium on 640x480 fake-camera frames: civiqr and
// zxing-wasm in the same page on the same ImageData (bench-browser.js); then
// the Scanner's frame-to-result time against its decode() time in the same
// run, for each way frames reach the worker (taking turns in blocks of 25
// frames), FRAMES frames each, medians and means.
//
//   scripts/build-wasm.sh && node wasm/tools/bench-browser.mjs [FRAMES] [NOISE]
//   scripts/build-wasm-simd.sh && CIVIQR_ALT_PKG=target/wasm-simd/pkg \
//       node wasm/tools/bench-browser.mjs 200 [NOISE]     # and a simd128 build
//
// NOISE: peak-to-peak sensor noise in the video (default 24, as the e2e test).

import { cp, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

import { chromium } from "playwright-core";

import { serve } from "./serve.mjs";
import { writeY4m } from "./y4m.mjs";

const TEXT = "https://example.org/s/BANC-0042?src=qr";
const frames = Number(process.argv[2] ?? 120);
const tmp = await mkdtemp(join(tmpdir(), "civiqr-bench-"));
const video = join(tmp, "camera.y4m");
const noise = Number(process.argv[3] ?? 24);
await writeY4m(video, TEXT, { frames: 30, noise });
// CIVIQR_ALT_PKG=DIR: another build of wasm/pkg (e.g. simd128), copied
// under wasm/dist/ to be served, and timed beside it as "civiqr (alt)".
const altDir = process.env.CIVIQR_ALT_PKG;
let alt = "";
if (altDir) {
  await cp(altDir, fileURLToPath(new URL("../dist/alt-pkg/", import.meta.url)), { recursive: true });
  alt = `&alt=${encodeURIComponent("../dist/alt-pkg/civiqr.js")}`;
}
// Cross-origin isolated: performance.now() in steps of 5 µs, not 100 µs.
const site = await serve(fileURLToPath(new URL("..", import.meta.url)), 0, { isolated: true });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  headless: true,
  args: [
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--use-fake-ui-for-media-stream",
    "--use-fake-device-for-media-stream", `--use-file-for-fake-video-capture=${video}`,
  ],
});
try {
  const page = await browser.newPage();
  page.on("pageerror", (e) => console.error(`page error: ${e.message}`));
  await page.goto(`${site.url}tools/bench-browser.html?frames=${frames}&text=${encodeURIComponent(TEXT)}${alt}`);
  await page.waitForFunction(() => window.benchResult, null, { timeout: 300000 });
  const r = await page.evaluate(() => window.benchResult);
  if (r.error) throw new Error(r.error);
  console.log(`Chromium ${browser.version()}, ${r.width}x${r.height} fake-camera frames (noise ${noise}), ${r.frames} frames, main thread\n`);
  console.log("| reader | frames read | median ms | p90 ms | mean ms |");
  console.log("|---|---|---|---|---|");
  for (const [name, s] of Object.entries(r.readers)) {
    console.log(`| ${name} | ${s.read}/${r.frames} | ${s.median.toFixed(2)} | ${s.p90.toFixed(2)} | ${s.mean.toFixed(2)} |`);
  }
  const clock = r.isolated ? "5 µs" : "100 µs";
  console.log(`\nScanner, frames whose code was read (clock steps of ${clock}); ratio of means = mean frame-to-result / mean decode():\n`);
  console.log("| frames from | pixels reach decode() as | frames | frame-to-result ms median / mean | decode() ms median / mean | ratio of means | median ratio |");
  console.log("|---|---|---|---|---|---|---|");
  for (const sc of r.scanners) {
    const from = sc.source === "track" ? "camera track, read in the worker" : "<video>, on the page";
    console.log(
      `| ${from} | ${sc.pixels}${sc.worker ? "" : " (main thread)"} | ${sc.frames} | ${sc.frameMedian.toFixed(2)} / ${sc.frameMean.toFixed(2)} | ` +
        `${sc.decodeMedian.toFixed(2)} / ${sc.decodeMean.toFixed(2)} | ${(sc.frameMean / sc.decodeMean).toFixed(2)} | ${sc.ratioMedian.toFixed(2)} |`,
    );
  }
  console.log(`\nA postMessage round trip to an idle worker from a video frame callback: ${r.roundTripMs.toFixed(2)} ms (median of 60).`);
  if (r.hopMs !== null) {
    console.log(`One message from a worker reading the camera track to the page: ${r.hopMs.toFixed(2)} ms (median of 60).`);
    console.log(`Frames that worker read while the page's thread was busy for 600 ms: ${r.blocked.during} (${r.blocked.before} in the 600 ms before).`);
  }
} finally {
  await browser.close();
  site.server.close();
  await rm(tmp, { recursive: true, force: true });
}
