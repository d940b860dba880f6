// Minifies the package's JavaScript in place (scripts/build-wasm.sh, on
// wasm/pkg/*.js; the sources in wasm/js stay readable), with esbuild from
// wasm/examples/node_modules:
//
//   node wasm/tools/minify.mjs FILE.js...
//
// Top-level names (exported classes keep their `name`) and exports stay as
// written. Bundler hints survive: minifying drops every comment, so in a
// file that has `import(/* webpackIgnore: true */ /* @vite-ignore */ x)` or
// `new URL(/* webpackIgnore: true */ x, import.meta.url)` the hints are put
// back on each import() and new URL() whose argument is not a string literal
// (the build fails unless that finds exactly as many sites as the source
// has). Such a file keeps its constants uninlined, so a specifier held in a
// variable (api.js's "node:fs/promises") never becomes a literal a bundler
// would try to resolve.

import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(new URL("../examples/package.json", import.meta.url));
const esbuild = require("esbuild");

const IMPORT_HINT = "/* webpackIgnore: true */ /* @vite-ignore */ ";
const URL_HINT = "/* webpackIgnore: true */ ";
// A call whose first argument is not a string literal (minified output).
const DYNAMIC_IMPORT = /\bimport\((?=[^"'`)])/g;
const DYNAMIC_URL = /\bnew URL\((?=[^"'`)])/g;

function count(text, needle) {
  return text.split(needle).length - 1;
}

function minify(file) {
  const source = readFileSync(file, "utf8");
  const imports = count(source, `import(${IMPORT_HINT}`);
  const urls = count(source, `new URL(${URL_HINT}`);
  const hinted = imports + urls > 0;
  const { code } = esbuild.transformSync(source, {
    loader: "js",
    minifyWhitespace: true,
    minifyIdentifiers: true,
    minifySyntax: !hinted,
    legalComments: "none",
    sourcefile: file,
  });
  let out = code;
  if (hinted) {
    const foundImports = (out.match(DYNAMIC_IMPORT) ?? []).length;
    const foundUrls = (out.match(DYNAMIC_URL) ?? []).length;
    if (foundImports !== imports || foundUrls !== urls) {
      throw new Error(
        `${file}: ${imports} hinted import() and ${urls} hinted new URL() in the source, ` +
          `${foundImports} and ${foundUrls} non-literal ones after minifying`,
      );
    }
    out = out.replace(DYNAMIC_IMPORT, `import(${IMPORT_HINT}`).replace(DYNAMIC_URL, `new URL(${URL_HINT}`);
  }
  writeFileSync(file, out);
}

for (const file of process.argv.slice(2)) minify(file);
