// The strict Content-Security-Policy the civiqr docs recommend (docs/WEB.md,
// Loading), sent by the example servers: no eval (only WebAssembly
// compilation), no inline script or style, workers from the site only.
// connect-src 'self' also covers the Vite dev server's WebSocket.
export const CSP =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; connect-src 'self'; " +
  "style-src 'self'; img-src 'self' data:; media-src 'self' blob: mediastream:";
