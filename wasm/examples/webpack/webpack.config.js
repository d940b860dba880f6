// webpack 5: `webpack --config webpack/webpack.config.js` (output in
// webpack/dist). Nothing civiqr-specific: webpack emits the .wasm that
// `new URL("./civiqr_wasm_bg.wasm", import.meta.url)` names as an asset and
// the worker that `new Worker(new URL("./worker.js", import.meta.url))`
// names as its own chunk, both inside node_modules.
import { fileURLToPath } from "node:url";

export default {
  mode: "production",
  context: fileURLToPath(new URL(".", import.meta.url)),
  entry: { main: "./main.js" },
  output: {
    path: fileURLToPath(new URL("dist/", import.meta.url)),
    filename: "[name].js",
    chunkFilename: "[name].[contenthash].js",
    assetModuleFilename: "[name].[contenthash][ext]",
    clean: true,
  },
  // The .wasm (about 350 KB, 165 KB gzipped) is loaded by the worker, not
  // at page load: no size warning for it.
  performance: { assetFilter: (file) => !file.endsWith(".wasm") },
};
