// End-to-end: the example apps of wasm/examples (docs/WEB.md, Bundlers),
// each built by its bundler from the package installed in
// wasm/examples/node_modules/civiqr as npm would install it (a copy of
// wasm/pkg, not a link), served with the strict CSP and opened in Chromium
// with a fake camera. For each: the code is read, decoding runs in the
// Worker with the pixels copied from a VideoFrame, the .wasm is fetched from
// the app's own output, and there is no console error or CSP violation.
// The React example runs in Vite's dev server under StrictMode: the camera
// is opened once and released when the component unmounts.
//
//   scripts/setup.sh && scripts/build-wasm.sh && node --test wasm/e2e/bundlers.test.mjs

import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { access, cp, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath, pathToFileURL } from "node:url";

import { serve } from "../tools/serve.mjs";
import { writeY4m } from "../tools/y4m.mjs";
import { launchWithCamera, openPage } from "./browser.mjs";

const TEXT = "https://example.org/s/BANC-0042?src=qr";
const examples = fileURLToPath(new URL("../examples/", import.meta.url));
const pkg = fileURLToPath(new URL("../pkg/", import.meta.url));
const modules = join(examples, "node_modules");

let tmp;
let browser;
let vite; // the vite module from wasm/examples/node_modules

before(async () => {
  await access(join(modules, "vite")).catch(() => {
    throw new Error("wasm/examples/node_modules is missing: run scripts/setup.sh");
  });
  await access(join(pkg, "civiqr.js")).catch(() => {
    throw new Error("wasm/pkg is missing: run scripts/build-wasm.sh");
  });
  await rm(join(modules, "civiqr"), { recursive: true, force: true });
  await cp(pkg, join(modules, "civiqr"), { recursive: true });
  // A dev-server cache from an older package would hide a change to it.
  await rm(join(modules, ".vite"), { recursive: true, force: true });
  vite = await import(pathToFileURL(join(modules, "vite/dist/node/index.js")).href);
  tmp = await mkdtemp(join(tmpdir(), "civiqr-bundlers-"));
  const video = join(tmp, "camera.y4m");
  await writeY4m(video, TEXT, { frames: 20 });
  browser = await launchWithCamera(video);
});

after(async () => {
  await browser?.close();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

// Runs `node SCRIPT ARGS...` in wasm/examples; rejects with its output when it fails.
function node(script, ...args) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], { cwd: examples, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve(out) : reject(new Error(`${script} exited ${code}:\n${out}`))));
  });
}

// Vite's dev server for an example folder on a free 127.0.0.1 port.
async function viteDev(folder) {
  const server = await vite.createServer({
    root: join(examples, folder),
    configFile: join(examples, folder, "vite.config.js"),
    server: { host: "127.0.0.1", port: 0, strictPort: true },
    logLevel: "error",
  });
  await server.listen();
  return { server, url: server.resolvedUrls.local[0] };
}

// The .wasm and worker-script responses of a page, as [{url, status, type}].
function watchResponses(page) {
  const seen = [];
  page.context().on("response", (r) => {
    const url = r.url();
    if (/\.wasm(\?|$)/.test(url) || /worker/.test(url)) {
      seen.push({ url, status: r.status(), type: r.headers()["content-type"] ?? "" });
    }
  });
  return seen;
}

// Opens an example page, presses Start and checks what every bundler must give.
async function scanExample(url, wasmFrom) {
  const { page, problems } = await openPage(browser, url);
  const responses = watchResponses(page);
  try {
    await page.click("#start");
    await page.waitForFunction((t) => document.getElementById("result").textContent === t, TEXT, { timeout: 20000 });
    const state = await page.evaluate(() => ({
      usesWorker: window.civiqrExample.scanner.usesWorker,
      frame: window.civiqrExample.lastFrame,
      status: document.getElementById("status").textContent,
    }));
    assert.equal(state.usesWorker, true, state.status);
    assert.equal(state.frame.worker, true);
    // Chromium hands the camera track to the bundled worker, which copies
    // the pixels out of each VideoFrame.
    assert.equal(state.frame.source, "track");
    assert.equal(state.frame.pixels, "videoframe");
    const wasm = responses.filter((r) => /\.wasm(\?|$)/.test(r.url));
    assert.ok(wasm.length >= 1, `no .wasm was fetched: ${JSON.stringify(responses)}`);
    for (const r of wasm) {
      assert.ok(r.url.startsWith(wasmFrom), `${r.url} is not under ${wasmFrom}`);
      assert.equal(r.status, 200, r.url);
      assert.equal(r.type, "application/wasm", r.url);
    }
    await page.click("#stop");
    await page.waitForFunction(() => document.getElementById("status").textContent === "Stopped");
    assert.equal(await page.evaluate(() => document.getElementById("video").srcObject), null);
    assert.deepEqual(problems, []);
  } finally {
    await page.close();
  }
}

// A built example: `build` writes FOLDER/dist, which is served with the CSP.
async function builtExample(folder, build, root, assets) {
  await build();
  const site = await serve(join(examples, folder, root));
  try {
    await scanExample(`${site.url}`, `${site.url}${assets}`);
  } finally {
    site.server.close();
  }
}

test("Vite: vite build", async () => {
  await builtExample("vite", () => node("node_modules/vite/bin/vite.js", "build", "vite", "--logLevel", "warn"), "dist", "assets/");
});

test("Vite: the dev server (civiqr excluded from pre-bundling)", async () => {
  const dev = await viteDev("vite");
  try {
    // The dev server serves the package's own files (under /@fs/ or /node_modules/).
    await scanExample(dev.url, dev.url);
  } finally {
    await dev.server.close();
  }
});

test("webpack 5", async () => {
  const config = "webpack/webpack.config.js";
  await builtExample("webpack", () => node("node_modules/webpack-cli/bin/cli.js", "--config", config), ".", "dist/");
});

test("esbuild", async () => {
  await builtExample("esbuild", () => node("esbuild/build.mjs"), ".", "dist/");
});

test("React StrictMode (Vite dev server): the camera opens once and is released on unmount", async () => {
  const dev = await viteDev("react");
  // Counts the streams the page opens.
  const init = () => {
    const streams = [];
    window.civiqrStreams = streams;
    const open = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
    navigator.mediaDevices.getUserMedia = async (constraints) => {
      const stream = await open(constraints);
      streams.push(stream);
      return stream;
    };
  };
  const { page, problems } = await openPage(browser, dev.url, { init });
  try {
    await page.click("#toggle");
    await page.waitForFunction((t) => document.getElementById("result").textContent === t, TEXT, { timeout: 20000 });
    const open = await page.evaluate(() => ({
      streams: window.civiqrStreams.length,
      live: window.civiqrStreams.flatMap((s) => s.getTracks()).filter((t) => t.readyState === "live").length,
      usesWorker: window.civiqrExample.scanner.usesWorker,
    }));
    assert.deepEqual(open, { streams: 1, live: 1, usesWorker: true });
    await page.click("#toggle");
    await page.waitForFunction(() => document.querySelector("video") === null);
    await page.waitForFunction(() =>
      window.civiqrStreams.every((s) => s.getTracks().every((t) => t.readyState === "ended")),
    );
    assert.equal(await page.evaluate(() => window.civiqrStreams.length), 1);
    // A dependency the dev server finds late reloads the page under the user.
    const loaded = await page.evaluate(() => performance.getEntriesByType("navigation")[0].type);
    assert.equal(loaded, "navigate", "the dev server reloaded the page");
    assert.deepEqual(problems, []);
  } finally {
    await page.close();
    await dev.server.close();
  }
});
