// civiqr for the web: BarcodeDetector with the shape of the W3C Shape
// Detection API (wicg.github.io/shape-detection-api), reading QR Code, Micro
// QR and rMQR, and getBarcodeDetector(), which prefers the browser's own
// detector when it reads the formats asked for.

import { TrustList, decode, init } from "./api.js";
import { domError, imagePixels } from "./image.js";

// Format names of the `barcode-detector` polyfill and zxing for the two
// symbologies the standard's list lacks.
const FORMATS = { qr_code: "qr", micro_qr_code: "micro", rm_qr_code: "rmqr" };
const FORMAT_OF = { qr: "qr_code", micro: "micro_qr_code", rmqr: "rm_qr_code" };
const DECODE_OPTIONS = ["tryHarder", "tryInverted", "quick", "pure", "maxSymbols", "allowMirrored"];

function rect(x, y, width, height) {
  if (typeof DOMRectReadOnly === "function") return DOMRectReadOnly.fromRect({ x, y, width, height });
  return { x, y, width, height, top: y, right: x + width, bottom: y + height, left: x };
}

// The standard's fields over civiqr's result. Corners come as the symbol's
// TL, TR, BR, BL: clockwise on screen unless the symbol was read mirrored,
// when the order after TL is reversed. rawValue is the text, or for a payload
// that is not text in its charset, one character per byte (Latin-1).
function detected(r, trust) {
  let points = r.corners.map(({ x, y }) => ({ x, y }));
  let twiceArea = 0; // shoelace sum: positive when clockwise with y down
  points.forEach((p, i) => {
    const q = points[(i + 1) % 4];
    twiceArea += p.x * q.y - q.x * p.y;
  });
  if (twiceArea < 0) points = [points[0], points[3], points[2], points[1]];
  const xs = points.map((p) => p.x);
  const ys = points.map((p) => p.y);
  const [x, y] = [Math.min(...xs), Math.min(...ys)];
  const rawValue = r.text ?? String.fromCharCode(...r.bytes);
  const result = {
    boundingBox: rect(x, y, Math.max(...xs) - x, Math.max(...ys) - y),
    rawValue,
    format: FORMAT_OF[r.symbology],
    cornerPoints: points,
    ...r,
  };
  if (trust) result.signature = trust.verify(r.bytes);
  return result;
}

/**
 * The Shape Detection API's BarcodeDetector, read by civiqr. Options:
 * `formats` ("qr_code", "micro_qr_code", "rm_qr_code"; default all three),
 * and civiqr's own `trust` (results get `signature`), decode options
 * (tryHarder, tryInverted, quick, pure, maxSymbols, allowMirrored) and
 * `fullDecodeEvery`: for detect() called on successive video frames, every
 * Nth call decodes in full and the others quick, as the Scanner does
 * (default 1: every call in full). Other keys are ignored, as a WebIDL
 * dictionary ignores them.
 */
export class BarcodeDetector {
  #symbologies;
  #options = {};
  #trust;
  #trustList = null;
  #every = 1;
  #calls = 0;

  constructor(options = {}) {
    // As a WebIDL dictionary: undefined and null are empty, other primitives wrong.
    options ??= {};
    if (typeof options !== "object" && typeof options !== "function") {
      throw new TypeError("civiqr: BarcodeDetector options must be an object");
    }
    const { formats, trust } = options;
    if (formats === undefined) {
      this.#symbologies = Object.values(FORMATS);
    } else {
      if (typeof formats === "string" || typeof formats?.[Symbol.iterator] !== "function") {
        throw new TypeError("civiqr: BarcodeDetector formats must be a sequence of format names");
      }
      const list = [...formats].map(String);
      if (list.length === 0) throw new TypeError("civiqr: BarcodeDetector formats must not be empty");
      for (const f of list) {
        if (!Object.hasOwn(FORMATS, f)) {
          throw new TypeError(`civiqr: unsupported barcode format "${f}" (civiqr reads ${Object.keys(FORMATS).join(", ")})`);
        }
      }
      this.#symbologies = [...new Set(list.map((f) => FORMATS[f]))];
    }
    for (const key of DECODE_OPTIONS) {
      if (options[key] !== undefined) this.#options[key] = options[key];
    }
    this.#trust = trust ?? null;
    const every = options.fullDecodeEvery ?? 1;
    if (!Number.isInteger(every) || every < 1) {
      throw new TypeError(`civiqr: fullDecodeEvery must be a whole number of calls from 1, not ${every}`);
    }
    this.#every = every;
  }

  /** Resolves to the formats civiqr reads: qr_code, micro_qr_code, rm_qr_code. */
  static async getSupportedFormats() {
    return Object.keys(FORMATS);
  }

  /**
   * Resolves to the codes in `source` (any image source: see imagePixels in
   * image.js), each `{boundingBox, rawValue, format, cornerPoints}` plus
   * civiqr's result fields; [] for an image of zero size.
   */
  async detect(source) {
    try {
      await init();
    } catch (e) {
      throw domError("NotSupportedError", `barcode detection is unavailable: ${e?.message ?? e}`);
    }
    const pixels = await imagePixels(source);
    if (!pixels) return [];
    if (this.#trust !== null && this.#trustList === null) {
      // Here, not in the constructor: a TrustList needs the module loaded.
      this.#trustList = this.#trust instanceof TrustList ? this.#trust : new TrustList(this.#trust);
    }
    const options = { ...this.#options, symbologies: this.#symbologies };
    if (this.#calls++ % this.#every !== 0) options.quick = true;
    const found = decode(pixels, options);
    return found.map((r) => detected(r, this.#trustList));
  }
}

/**
 * A BarcodeDetector for `options.formats` (default ["qr_code"]): the
 * browser's own when it has one that reads all of them, else civiqr's.
 * civiqr's options (trust, tryHarder...) always choose civiqr's, since the
 * browser's would ignore them.
 */
export async function getBarcodeDetector(options = {}) {
  const Native = globalThis.BarcodeDetector;
  const civiqrOnly = ["trust", "fullDecodeEvery", ...DECODE_OPTIONS].some((k) => options?.[k] !== undefined);
  if (typeof Native === "function" && Native !== BarcodeDetector && !civiqrOnly) {
    const wanted = options?.formats ?? ["qr_code"];
    try {
      const supported = await Native.getSupportedFormats();
      if ([...wanted].every((f) => supported.includes(f))) return new Native({ ...options, formats: [...wanted] });
    } catch {
      // A detector that cannot list its formats is not used.
    }
  }
  return new BarcodeDetector(options);
}
