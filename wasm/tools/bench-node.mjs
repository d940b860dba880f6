// Reader benchmark under Node.js: civiqr (wasm/pkg), zxing-wasm and jsQR on
// the same RGBA images (scripts/web-bench-images.py), in one run. Prints a
// Markdown table: per image, whether each reader got the exact text and its
// median time; then the counts and the median and mean times.
//
//   .venv/bin/python scripts/web-bench-images.py      # target/web-bench/
//   scripts/build-wasm.sh                              # wasm/pkg/
//   node wasm/tools/bench-node.mjs [IMAGE_DIR]
//   ONLY=civiqr node wasm/tools/bench-node.mjs        # one reader
//   CAMERA=4 node wasm/tools/bench-node.mjs DIR       # and the Scanner's schedule
//
// CAMERA=N adds civiqr's quick look as a reader and a last column for the
// Scanner's schedule (fullDecodeEvery N): each image as N frames, one full
// decode and N-1 quick ones, each frame one sample of the median and mean;
// read when the full decode reads it. The frames of make-multi.py's street
// set: scripts/web-bench-images.py DIR --frames MULTI_DIR.
//
// zxing-wasm and jsQR are dev-only npm dependencies (wasm/package.json),
// each with its defaults except QR Code as the only format for zxing-wasm.

import { readFile } from "node:fs/promises";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";

import jsQR from "jsqr";
import { prepareZXingModule, readBarcodes } from "zxing-wasm/reader";

// CIVIQR_PKG=/path/to/civiqr.js compares another build of the package.
const { decode, init } = await import(process.env.CIVIQR_PKG ?? "../pkg/civiqr.js");

const dir = new URL(`file://${process.argv[2] ? process.argv[2].replace(/\/?$/, "/") : `${process.cwd()}/target/web-bench/`}`);
const manifest = JSON.parse(await readFile(new URL("manifest.json", dir), "utf8"));

await init();
const zxingWasm = await readFile(fileURLToPath(import.meta.resolve("zxing-wasm/reader/zxing_reader.wasm")));
await prepareZXingModule({ overrides: { wasmBinary: zxingWasm }, fireImmediately: true });

const camera = Number(process.env.CAMERA ?? 0);
const readers = {
  civiqr: async (img) => decode(img).map((r) => r.text),
  ...(camera ? { "civiqr quick": async (img) => decode(img, { quick: true }).map((r) => r.text) } : {}),
  "zxing-wasm": async (img) =>
    (await readBarcodes(img, { formats: ["QRCode"] })).filter((r) => r.isValid).map((r) => r.text),
  jsQR: async (img) => {
    const r = jsQR(new Uint8ClampedArray(img.data.buffer), img.width, img.height);
    return r ? [r.data] : [];
  },
};

// Median time of one reader on one image: repeat up to 15 times or 400 ms.
async function time(read, img) {
  const texts = await read(img); // warm-up, and the answer
  const times = [];
  const budget = performance.now() + 400;
  while (times.length < 15 && (times.length === 0 || performance.now() < budget)) {
    const t0 = performance.now();
    await read(img);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { texts, ms: times[times.length >> 1] };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const fmt = (ms) => (ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2));

const names = Object.keys(readers).filter((n) => !process.env.ONLY || process.env.ONLY.split(",").includes(n));
const rows = [];
const stats = Object.fromEntries(names.map((n) => [n, { ok: 0, wrong: 0, times: [] }]));
for (const entry of manifest) {
  const data = new Uint8Array(await readFile(new URL(`${entry.name}.rgba`, dir)));
  const img = { data, width: entry.width, height: entry.height };
  const cells = [];
  for (const name of names) {
    const { texts, ms } = await time(readers[name], img);
    const ok = texts.includes(entry.text);
    const wrong = texts.some((t) => t !== entry.text);
    stats[name].ok += ok ? 1 : 0;
    stats[name].wrong += wrong ? 1 : 0;
    stats[name].times.push(ms);
    cells.push(`${ok ? "yes" : wrong ? "WRONG" : "no"} ${fmt(ms)}`);
  }
  rows.push(`| ${entry.name} (${entry.width}x${entry.height}) | ${cells.join(" | ")} |`);
}

console.log(`Node ${process.version}, ${manifest.length} images; cells: read? and median ms per image\n`);
console.log(`| image | ${names.join(" | ")} |`);
console.log(`|---|${names.map(() => "---").join("|")}|`);
for (const row of rows) console.log(row);
const columns = [...names];
if (camera && stats.civiqr && stats["civiqr quick"]) {
  // Per image: one full frame and camera - 1 quick ones.
  const full = stats.civiqr;
  const times = full.times.flatMap((ms, i) => [ms, ...Array(camera - 1).fill(stats["civiqr quick"].times[i])]);
  const name = `civiqr camera (${camera})`;
  stats[name] = { ok: full.ok, wrong: full.wrong + stats["civiqr quick"].wrong, times };
  columns.push(name);
}
console.log(`\n| | ${columns.join(" | ")} |`);
console.log(`|---|${columns.map(() => "---").join("|")}|`);
const summary = (f) => columns.map((n) => f(stats[n])).join(" | ");
console.log(`| **read** | ${summary((s) => `**${s.ok}/${manifest.length}**${s.wrong ? ` (${s.wrong} wrong)` : ""}`)} |`);
console.log(`| **median ms** | ${summary((s) => `**${fmt(median(s.times))}**`)} |`);
console.log(`| **mean ms** | ${summary((s) => fmt(s.times.reduce((a, b) => a + b, 0) / s.times.length))} |`);
