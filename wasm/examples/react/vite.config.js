// React with Vite: `vite react` (dev server), `vite build react`. JSX is
// compiled by Vite's own esbuild step; @vitejs/plugin-react is not needed,
// and its Fast Refresh preamble is an inline script that a strict CSP blocks.
import { defineConfig } from "vite";

import { CSP } from "../shared/csp.js";

export default defineConfig({
  esbuild: { jsx: "automatic" },
  optimizeDeps: { exclude: ["civiqr"] },
  worker: { format: "es" },
  server: { headers: { "Content-Security-Policy": CSP } },
  preview: { headers: { "Content-Security-Policy": CSP } },
});
