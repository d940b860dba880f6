// React with Vite: `vite react` (dev server), `vite build react`. JSX is
// compiled by Vite's own esbuild step; @vitejs/plugin-react is not needed,
// and its Fast Refresh preamble is an inline script that a strict CSP blocks.
import { defineConfig } from "vite";

import { CSP } from "../shared/csp.js";

export default defineConfig({
  esbuild: { jsx: "automatic" },
  // Vite's dependency scan sees main.jsx's imports but not the dev JSX
  // runtime the transform adds; found late, it is bundled and the page
  // reloads under the user (and under the browser test's first click).
  optimizeDeps: {
    include: ["react", "react-dom/client", "react/jsx-dev-runtime", "react/jsx-runtime"],
    exclude: ["civiqr"],
  },
  worker: { format: "es" },
  server: { headers: { "Content-Security-Policy": CSP } },
  preview: { headers: { "Content-Security-Policy": CSP } },
});
