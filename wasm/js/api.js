// civiqr for the web: the functions over the WebAssembly module, which the
// entry module (civiqr.js), the scanner and its worker all import.
//
// A thin layer over the wasm-bindgen module (civiqr_wasm.js): it loads the
// .wasm that ships beside this file (never from a CDN), checks arguments,
// turns the Rust records into plain objects, and restarts the module if it
// ever traps, so one bad call cannot break every later one. All QR work is
// done in Rust (crate `civiqr`).

import initWasm, * as raw from "./civiqr_wasm.js";

let ready = null; // the promise of the first successful init()
let loaded = false;

/**
 * Loads and instantiates the WebAssembly module; resolves when `decode` and
 * `encode` can be called. Calling it again returns the same promise.
 *
 * `source` is optional: a URL (string or URL), a Response, an ArrayBuffer /
 * typed array with the .wasm bytes, or a WebAssembly.Module. By default the
 * file `civiqr_wasm_bg.wasm` next to this module is fetched (read from disk
 * under Node.js).
 */
export function init(source) {
  if (ready) return ready;
  ready = (async () => {
    let input = source ?? new URL("./civiqr_wasm_bg.wasm", import.meta.url);
    // webpackIgnore: a URL from the caller, not a file for webpack to bundle.
    if (typeof input === "string") input = new URL(/* webpackIgnore: true */ input, import.meta.url);
    if (input instanceof URL && input.protocol === "file:") {
      // Node.js: fetch() does not read file: URLs. The specifier is a
      // variable so that bundlers for the web leave this import alone.
      const fsModule = "node:fs/promises";
      const fs = await import(/* webpackIgnore: true */ /* @vite-ignore */ fsModule);
      input = await fs.readFile(input);
    }
    await initWasm({ module_or_path: input });
    loaded = true;
  })();
  ready.catch(() => {
    ready = null; // allow a retry, e.g. after a network error
  });
  return ready;
}

/** Whether `init()` has finished. */
export function isReady() {
  return loaded;
}

// Builds a config object in the module with makeConfig(), runs use(config)
// and frees the config. A trap (WebAssembly.RuntimeError) leaves the module's
// memory in an unknown state: nothing more is called in it, a fresh instance
// replaces it, and the caller gets an ordinary Error.
function call(makeConfig, use) {
  if (!loaded) {
    throw new Error("civiqr: the WebAssembly module is not loaded yet: await init() first");
  }
  let config;
  try {
    config = makeConfig();
    const result = use(config);
    config?.free();
    return result;
  } catch (e) {
    if (e instanceof WebAssembly.RuntimeError) {
      raw.__wbg_reset_state();
      throw new Error(`civiqr: internal error (${e.message}); the module was restarted`);
    }
    config?.free();
    throw e;
  }
}

function fail(message) {
  throw new Error(`civiqr: ${message}`);
}

function checkInt(name, value, min, max) {
  if (!Number.isInteger(value) || value < min || value > max) {
    fail(`${name} must be an integer from ${min} to ${max}, got ${String(value)}`);
  }
  return value;
}

function checkBool(name, value) {
  if (typeof value !== "boolean") fail(`${name} must be true or false, got ${String(value)}`);
  return value;
}

function checkOptions(options, known) {
  if (options === undefined || options === null) return {};
  if (typeof options !== "object") fail("options must be an object");
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) fail(`unknown option "${key}" (known: ${known.join(", ")})`);
  }
  return options;
}

// Pixel bytes of an ImageData / {data, width, height} as a Uint8Array view.
function pixelBytes(image) {
  if (image === null || typeof image !== "object") {
    fail("image must be an ImageData or {data, width, height}");
  }
  const { data, width, height } = image;
  checkInt("image.width", width, 1, 0x7fffffff);
  checkInt("image.height", height, 1, 0x7fffffff);
  let bytes;
  if (ArrayBuffer.isView(data)) {
    bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  } else if (data instanceof ArrayBuffer) {
    bytes = new Uint8Array(data);
  } else {
    fail("image.data must be a Uint8Array, Uint8ClampedArray or ArrayBuffer");
  }
  return { bytes, width, height };
}

const DECODE_OPTIONS = ["tryHarder", "tryInverted", "quick", "pure", "maxSymbols", "allowMirrored", "symbologies"];

// The checked decode options as the fields of a raw.DecodeConfig. Symbology
// names are parsed in Rust by core, so the CLI, Python and JavaScript refuse
// an unknown name with the same words.
function decodeSettings(options) {
  const o = checkOptions(options, DECODE_OPTIONS);
  const s = {};
  if (o.tryHarder !== undefined) s.tryHarder = checkBool("tryHarder", o.tryHarder);
  if (o.tryInverted !== undefined) s.tryInverted = checkBool("tryInverted", o.tryInverted);
  if (o.quick !== undefined) s.quick = checkBool("quick", o.quick);
  if (o.pure !== undefined) s.pure = checkBool("pure", o.pure);
  if (o.maxSymbols !== undefined) s.maxSymbols = checkInt("maxSymbols", o.maxSymbols, 1, 0xffffffff);
  if (o.allowMirrored !== undefined) s.allowMirrored = checkBool("allowMirrored", o.allowMirrored);
  if (o.symbologies !== undefined) {
    const list = o.symbologies;
    if (!Array.isArray(list) || list.length === 0 || !list.every((n) => typeof n === "string")) {
      fail('symbologies must be a non-empty array of "qr", "micro", "rmqr"');
    }
    s.symbologies = list;
  }
  return s;
}

// The binding's [index, count, parity] (empty when absent) as an object.
function appendHeader(sa) {
  return sa.length === 3 ? { index: sa[0], count: sa[1], parity: sa[2] } : undefined;
}

function plainResult(d) {
  const c = d.corners;
  const result = {
    text: d.text,
    bytes: d.bytes,
    symbology: d.symbology,
    version: d.version,
    versionName: d.versionName,
    ec: d.ec,
    mask: d.mask,
    eci: d.eci,
    corners: [0, 1, 2, 3].map((i) => ({ x: c[2 * i], y: c[2 * i + 1] })),
    mirrored: d.mirrored,
    inverted: d.inverted,
    model1: d.model1,
    structuredAppend: appendHeader(d.structuredAppend),
  };
  d.free();
  return result;
}

/**
 * Finds and decodes the QR Codes in an image: an `ImageData` or
 * `{data, width, height}` with 4 bytes per pixel (RGBA) or 1 (grey).
 * Returns an array of results (empty when none was found); throws an Error
 * for unusable input.
 */
export function decode(image, options) {
  const { bytes, width, height } = pixelBytes(image);
  const settings = decodeSettings(options);
  return call(
    () => Object.assign(new raw.DecodeConfig(), settings),
    (config) => raw.decodeWith(bytes, width, height, config).map(plainResult),
  );
}

const GRADE_OPTIONS = [...DECODE_OPTIONS, "aperturePx", "apertureModules", "calibration"];

function checkNumber(name, value) {
  if (typeof value !== "number" || !Number.isFinite(value)) {
    fail(`${name} must be a finite number, got ${String(value)}`);
  }
  return value;
}

// [[darkGrey, darkReflectance], [lightGrey, lightReflectance]] as the four
// numbers the binding takes; core checks the ranges.
function calibrationNumbers(c) {
  const shape = "calibration must be [[darkGrey, darkReflectance], [lightGrey, lightReflectance]]";
  if (!Array.isArray(c) || c.length !== 2 || !c.every((p) => Array.isArray(p) && p.length === 2)) {
    fail(shape);
  }
  return Float64Array.from(c.flat().map((v) => checkNumber("calibration", v)));
}

/**
 * Grades every symbol in an image (`ImageData` or `{data, width, height}`)
 * (the grader build only: `scripts/build-wasm.sh --grade`)
 * by the ISO/IEC 15415 method (docs/GRADING.md): each decode() result with
 * `grade`, the object `civiqr grade --json` prints (`overall`, `letter`,
 * `calibrated`, `parameters`, `blocks`, ...), or `grade: null` and
 * `ungraded` saying why. Options: decode()'s, `aperturePx` or
 * `apertureModules`, and `calibration`.
 */
export function grade(image, options) {
  const { bytes, width, height } = pixelBytes(image);
  const { aperturePx, apertureModules, calibration, ...rest } = checkOptions(options, GRADE_OPTIONS);
  const settings = decodeSettings(rest);
  const px = aperturePx === undefined ? undefined : checkNumber("aperturePx", aperturePx);
  const modules =
    apertureModules === undefined ? undefined : checkNumber("apertureModules", apertureModules);
  const patches = calibration === undefined ? undefined : calibrationNumbers(calibration);
  return call(
    () => Object.assign(new raw.DecodeConfig(), settings),
    (config) =>
      raw.gradeWith(bytes, width, height, config, px, modules, patches).map((g) => {
        const result = plainResult(g.decoded);
        result.grade = g.grade === undefined ? null : JSON.parse(g.grade);
        if (g.ungraded !== undefined) result.ungraded = g.ungraded;
        g.free();
        return result;
      }),
  );
}

const ENCODE_OPTIONS = [
  "symbol", "ec", "version", "minVersion", "maxVersion", "mask", "boostEc", "eciUtf8", "kanji",
  "maxHeight", "maxWidth", "quietZone", "dark", "light", "allowLowContrast",
];

// The checked encode options as the fields of a raw.EncodeConfig. Names and
// versions ("micro", "M2", "R11x77") are parsed in Rust by core, as in the
// CLI and Python.
function encodeSettings(options, known = ENCODE_OPTIONS) {
  const o = checkOptions(options, known);
  const config = {};
  for (const key of ["symbol", "ec", "dark", "light"]) {
    if (o[key] === undefined) continue;
    if (typeof o[key] !== "string") fail(`${key} must be a string, got ${String(o[key])}`);
    config[key] = o[key];
  }
  const v = o.version;
  if (v !== undefined) {
    if (o.minVersion !== undefined || o.maxVersion !== undefined) {
      fail("give either version or minVersion/maxVersion");
    }
    if (typeof v === "number") config.version = String(checkInt("version", v, 1, 40));
    else if (typeof v === "string" && v !== "") config.version = v;
    else fail(`version must be a number 1-40 or a name such as "M2" or "R11x77", got ${String(v)}`);
  }
  const range = o.minVersion !== undefined || o.maxVersion !== undefined;
  if (range && config.symbol !== undefined && config.symbol.toLowerCase() !== "qr") {
    fail("minVersion and maxVersion are QR Code versions: give version for Micro QR or rMQR");
  }
  if (o.minVersion !== undefined) config.minVersion = checkInt("minVersion", o.minVersion, 1, 40);
  if (o.maxVersion !== undefined) config.maxVersion = checkInt("maxVersion", o.maxVersion, 1, 40);
  if (o.mask !== undefined) config.mask = checkInt("mask", o.mask, 0, 7);
  for (const key of ["boostEc", "eciUtf8", "kanji", "allowLowContrast"]) {
    if (o[key] !== undefined) config[key] = checkBool(key, o[key]);
  }
  for (const key of ["maxHeight", "maxWidth", "quietZone"]) {
    if (o[key] !== undefined) config[key] = checkInt(key, o[key], 0, 1000);
  }
  return config;
}

function plainCode(code) {
  const result = {
    svg: code.svg,
    size: code.size,
    width: code.width,
    height: code.height,
    symbology: code.symbology,
    version: code.version,
    versionName: code.versionName,
    ec: code.ec,
    mask: code.mask,
    modules: code.modules,
    structuredAppend: appendHeader(code.structuredAppend),
  };
  code.free();
  return result;
}

function checkData(data, name) {
  if (typeof data !== "string" && !(data instanceof Uint8Array)) {
    fail(`${name}() takes a string or a Uint8Array`);
  }
}

/**
 * Encodes text (string) or bytes (Uint8Array) into the smallest symbol the
 * options allow: a QR Code, or a Micro QR or rMQR with `symbol`. Returns
 * `{svg, size, width, height, symbology, version, versionName, ec, mask,
 * modules}` where `modules` is a Uint8Array of width*height (row by row,
 * 1 = dark).
 */
export function encode(data, options) {
  checkData(data, "encode");
  const settings = encodeSettings(options);
  return call(
    () => Object.assign(new raw.EncodeConfig(), settings),
    (config) =>
      plainCode(typeof data === "string" ? raw.encodeText(data, config) : raw.encodeBytes(data, config)),
  );
}

const SPLIT_OPTIONS = [...ENCODE_OPTIONS.filter((k) => !["symbol", "maxHeight", "maxWidth"].includes(k)), "parts"];

/**
 * Writes a message over up to 16 QR Codes with structured append. `parts`:
 * "auto" (default; as few as `maxVersion` allows, one symbol without a
 * header when it fits) or exactly 1 to 16. Returns an array of encode()
 * results, each with `structuredAppend: {index, count, parity}`.
 */
export function encodeSplit(data, options) {
  checkData(data, "encodeSplit");
  const { parts = "auto", ...rest } = checkOptions(options, SPLIT_OPTIONS);
  const n = parts === "auto" ? 0 : checkInt('parts (or "auto")', parts, 1, 16);
  const settings = encodeSettings(rest, SPLIT_OPTIONS);
  return call(
    () => Object.assign(new raw.EncodeConfig(), settings),
    (config) => {
      const codes =
        typeof data === "string" ? raw.encodeTextSplit(data, n, config) : raw.encodeBytesSplit(data, n, config);
      return codes.map(plainCode);
    },
  );
}

// --- signed codes (docs/SIGNING.md) ---------------------------------------------

// A trust file as JSON text: given as text, or as the parsed object.
function trustText(file, i) {
  if (typeof file === "string") return file;
  if (file !== null && typeof file === "object" && !Array.isArray(file)) return JSON.stringify(file);
  return fail(`trust file ${i + 1} must be JSON text or a parsed JSON object`);
}

/**
 * The public keys a verifier trusts: one or more trust files (JSON text or
 * parsed objects, as `civiqr keygen --trust-out` writes them), merged.
 * Throws an Error naming the file and the line, or the key id and field,
 * when one is malformed. Needs init() first.
 */
export class TrustList {
  constructor(...files) {
    // The texts are kept, not a module object, so a restarted module
    // (after a trap) does not leave this list dangling.
    this._files = files.flat().map(trustText);
    this._keyIds = call(() => null, () => raw.trustKeyIds(this._files));
    Object.freeze(this._files);
  }

  /** The key ids in the list. */
  get keyIds() {
    return [...this._keyIds];
  }

  /** How many keys are trusted. */
  get size() {
    return this._keyIds.length;
  }

  /**
   * Verifies a decoded code: a decode() result, its bytes (Uint8Array) or
   * its text. `today` (a Date; default now) decides key expiry. Returns
   * `{status, issuer, keyId, summary}`, status one of "valid", "invalid",
   * "unknown_key", "expired", "unsigned".
   */
  verify(data, { today } = {}) {
    let bytes;
    if (typeof data === "string") bytes = new TextEncoder().encode(data);
    else if (data instanceof Uint8Array) bytes = data;
    else if (data?.bytes instanceof Uint8Array) bytes = data.bytes;
    else fail("verify() takes a decode() result, a Uint8Array or a string");
    const when = today ?? new Date();
    if (!(when instanceof Date) || Number.isNaN(when.getTime())) fail("today must be a valid Date");
    const seconds = Math.floor(when.getTime() / 1000);
    return call(
      () => null,
      () => {
        const v = raw.verifySignature(this._files, bytes, seconds);
        const result = { status: v.status, issuer: v.issuer, keyId: v.keyId, summary: v.summary };
        v.free();
        return result;
      },
    );
  }
}

/** Same as `trust.verify(data, options)`. */
export function verify(data, trust, options) {
  if (!(trust instanceof TrustList)) fail("verify() needs a TrustList");
  return trust.verify(data, options);
}
