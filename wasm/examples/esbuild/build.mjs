// esbuild: `node esbuild/build.mjs` (output in esbuild/dist). esbuild does
// not follow `new URL(..., import.meta.url)`, so civiqr's worker is bundled
// as a second entry point named worker.js and the .wasm is copied next to
// it: the scanner finds both beside the app's bundle. ESM output keeps
// import.meta.url (in iife or cjs output it is empty).
import { copyFile, rm } from "node:fs/promises";
import { fileURLToPath } from "node:url";

import * as esbuild from "esbuild";

const here = (path) => fileURLToPath(new URL(path, import.meta.url));
const civiqr = (file) => fileURLToPath(import.meta.resolve(`civiqr/${file}`));

await rm(here("dist"), { recursive: true, force: true });
await esbuild.build({
  entryPoints: { main: here("main.js"), worker: civiqr("worker.js") },
  bundle: true,
  format: "esm",
  minify: true,
  outdir: here("dist"),
  logLevel: "warning",
});
await copyFile(civiqr("civiqr_wasm_bg.wasm"), here("dist/civiqr_wasm_bg.wasm"));
