// Vite: `vite build vite` (output in vite/dist) and `vite vite` (dev server).
import { defineConfig } from "vite";

import { CSP } from "../shared/csp.js";

export default defineConfig({
  // Serve civiqr as it is in the dev server: pre-bundling would move its
  // modules to node_modules/.vite/deps, where the .wasm and worker.js it
  // loads by `new URL(..., import.meta.url)` are not.
  optimizeDeps: { exclude: ["civiqr"] },
  // civiqr's worker is a module worker.
  worker: { format: "es" },
  server: { headers: { "Content-Security-Policy": CSP } },
  preview: { headers: { "Content-Security-Policy": CSP } },
});
