// Type declarations for the civiqr web package (civiqr.js and the modules it re-exports).

/** A point in pixels; x to the right, y down. */
export interface Point {
  x: number;
  y: number;
}

/** A decoded symbol. */
export interface DecodeResult {
  /**
   * The content as text, or undefined when the bytes are not text in their charset. This
   * package has no tables for Big5, GB 2312/GBK/GB 18030 (and Hanzi mode) or EUC-KR: such
   * payloads come with `bytes` only (decode them with `TextDecoder` if needed).
   */
  text: string | undefined;
  /** The exact payload bytes. */
  bytes: Uint8Array;
  /** "qr" (Model 1 or 2), "micro" (Micro QR) or "rmqr": the names `symbologies` takes. */
  symbology: Symbology;
  /** Version number: QR Code 1-40, Micro QR 1-4, rMQR 1-32 (the order of ISO/IEC 23941's sizes): see versionName. */
  version: number;
  /** The version of any symbology: "7", "M3", "R13x77". */
  versionName: string;
  /** Error-correction level. */
  ec: "L" | "M" | "Q" | "H";
  /** Mask pattern, 0 to 7 (0 to 3 for Micro QR). */
  mask: number;
  /** The first ECI designator, if any. */
  eci: number | undefined;
  /** Corners of the symbol (without quiet zone): top-left, top-right, bottom-right, bottom-left. */
  corners: [Point, Point, Point, Point];
  /** Read as a mirror image. */
  mirrored: boolean;
  /** Light modules on a dark background. */
  inverted: boolean;
  /** A QR Code Model 1 symbol (the original design, versions 1-14; symbology stays "qr"). */
  model1: boolean;
  /** Present when the symbol is one part of a structured-append sequence. */
  structuredAppend: { index: number; count: number; parity: number } | undefined;
  /** Set by a Scanner that has a trust list: the signature verdict (docs/SIGNING.md). */
  signature?: Verification;
}

/** A signature verdict (scheme civiqr-sig-1, docs/SIGNING.md). */
export interface Verification {
  /**
   * "valid": signed by a trusted key within its dates; "invalid": the signature
   * does not match the content, is truncated or has data after it (do not trust);
   * "unknown_key": signed by a key not in the list; "expired": a trusted key
   * outside its validity dates; "unsigned": no signature.
   */
  status: "valid" | "invalid" | "unknown_key" | "expired" | "unsigned";
  /** The issuer, for "valid" and "expired" only. */
  issuer: string | undefined;
  /** The key id the signature names, when it is well formed. */
  keyId: string | undefined;
  /** One line for people: "verified: Ville de Saint-Omer", "unsigned", "signature invalid: do not trust"... */
  summary: string;
}

/** A trust file: JSON text, or the parsed object (key id -> entry). */
export type TrustFile =
  | string
  | Record<string, { issuer: string; public_key: string; not_before?: string | null; not_after?: string | null }>;

/** The public keys a verifier trusts (several trust files merged). Needs init() first. */
export class TrustList {
  /** Throws an Error naming the file and the line, or the key id and field, when one is malformed. */
  constructor(...files: (TrustFile | TrustFile[])[]);
  readonly keyIds: string[];
  readonly size: number;
  /** Verifies a decoded code (result, bytes or text); `today` decides key expiry (default now). */
  verify(data: DecodeResult | Uint8Array | string, options?: { today?: Date }): Verification;
}

/** Same as `trust.verify(data, options)`. */
export function verify(data: DecodeResult | Uint8Array | string, trust: TrustList, options?: { today?: Date }): Verification;

/** Pixels: 4 bytes per pixel (RGBA, as ImageData) or 1 (grey), row by row. */
export interface ImageLike {
  data: Uint8Array | Uint8ClampedArray | ArrayBuffer;
  width: number;
  height: number;
}

export interface DecodeOptions {
  /** Second binarizer, every finder triple, rescaled copies. Default false. */
  tryHarder?: boolean;
  /** Also look for light-on-dark symbols. Default true. */
  tryInverted?: boolean;
  /**
   * Only the first look (the local threshold's scans): about half the time
   * on a camera frame without a code; far-away, wrapped, engraved and
   * blurred codes need a full decode. Default false.
   */
  quick?: boolean;
  /** The image is a clean, upright, computer-made symbol. Default false. */
  pure?: boolean;
  /** Stop after this many symbols. Default 1024, as core (a sheet of labels). */
  maxSymbols?: number;
  /** Read mirror-image symbols. Default true. */
  allowMirrored?: boolean;
  /**
   * Symbologies to look for. Default all three. Fewer is faster on frames
   * without a code, since Micro QR and rMQR are searched around finder
   * patterns no QR Code used.
   */
  symbologies?: Symbology[];
}

/** Symbology names, the same in JavaScript, the CLI and Python. */
export type Symbology = "qr" | "micro" | "rmqr";

export interface EncodeOptions {
  /** "qr" (default), "micro" (Micro QR M1-M4: EC L, M or Q) or "rmqr" (rMQR: EC M or H). */
  symbol?: Symbology;
  /** Error-correction level. Default "M". */
  ec?: "L" | "M" | "Q" | "H";
  /**
   * Exactly this version: 1-40 for QR Code, a name for the others ("M2", "R11x77").
   * Default: the smallest that fits (the least area for rMQR).
   */
  version?: number | string;
  /** QR Code: smallest version allowed. Default 1. */
  minVersion?: number;
  /** QR Code: largest version allowed. Default 40. */
  maxVersion?: number;
  /** Mask 0-7 (0-3 for Micro QR). Default: chosen by the penalty rules. */
  mask?: number;
  /** Raise the EC level while the version stays the same. Default false. */
  boostEc?: boolean;
  /** Write ECI 26 (UTF-8) before non-ASCII text. Default false. */
  eciUtf8?: boolean;
  /** Allow Kanji mode for JIS X 0208 characters. Default true. */
  kanji?: boolean;
  /** rMQR: tallest symbol allowed, in modules (7-17). */
  maxHeight?: number;
  /** rMQR: widest symbol allowed, in modules (27-139). */
  maxWidth?: number;
  /** Quiet zone of the SVG in modules. Default 4 for QR Code, 2 for Micro QR and rMQR. */
  quietZone?: number;
  /** Dark colour of the SVG: "#rgb", "#rrggbb", "#rrggbbaa" or a CSS name. Default "black". */
  dark?: string;
  /** Light colour of the SVG, "transparent" allowed. Default "white". */
  light?: string;
  /**
   * Draw colour pairs a camera cannot read (a grey difference under 30 %, or a "dark" colour
   * lighter than the light one); otherwise they are refused with an Error. Default false.
   */
  allowLowContrast?: boolean;
}

/** encodeSplit() options: the QR Code options of encode() and the number of parts. */
export interface SplitOptions extends Omit<EncodeOptions, "symbol" | "maxHeight" | "maxWidth"> {
  /** "auto" (default: as few as maxVersion allows; one symbol without a header when it fits) or 1-16. */
  parts?: number | "auto";
}

export interface EncodeResult {
  /** A standalone SVG document. */
  svg: string;
  /** Width in modules, without quiet zone (the side of square symbols). */
  size: number;
  /** Width in modules, without quiet zone. */
  width: number;
  /** Height in modules (7-17 for rMQR; `size` otherwise). */
  height: number;
  symbology: Symbology;
  /** Version number: QR Code 1-40, Micro QR 1-4, rMQR 1-32 (the order of ISO/IEC 23941's sizes): see versionName. */
  version: number;
  /** The version of any symbology: "7", "M3", "R13x77". */
  versionName: string;
  ec: "L" | "M" | "Q" | "H";
  mask: number;
  /** width * height bytes, row by row from the top left: 1 dark, 0 light. */
  modules: Uint8Array;
  /** Present on the parts encodeSplit() writes with a structured-append header. */
  structuredAppend: { index: number; count: number; parity: number } | undefined;
}

/**
 * Loads the WebAssembly module (by default civiqr_wasm_bg.wasm next to
 * civiqr.js). decode() and encode() throw until it has resolved.
 */
export function init(
  source?: string | URL | Response | BufferSource | WebAssembly.Module,
): Promise<void>;

/** Whether init() has finished. */
export function isReady(): boolean;

/** Decodes every QR Code in the image. Throws an Error for unusable input. */
export function decode(image: ImageData | ImageLike, options?: DecodeOptions): DecodeResult[];

/** Encodes text or bytes into the smallest symbol the options allow. Throws an Error if it cannot. */
export function encode(data: string | Uint8Array, options?: EncodeOptions): EncodeResult;

/** Writes text or bytes over up to 16 QR Codes with structured append. Throws an Error if it cannot. */
export function encodeSplit(data: string | Uint8Array, options?: SplitOptions): EncodeResult[];

/**
 * Anything decodeImage() and BarcodeDetector.detect() read: the browser's
 * image sources (Blobs are decoded by the browser), or pixels as ImageLike.
 */
export type ImageSource =
  | ImageData
  | ImageLike
  | HTMLImageElement
  | SVGImageElement
  | HTMLCanvasElement
  | OffscreenCanvas
  | ImageBitmap
  | VideoFrame
  | HTMLVideoElement
  | Blob;

/**
 * The pixels of an image source, drawn at its intrinsic size; null when it has
 * no pixels (zero width or height). Rejects with a DOMException named
 * InvalidStateError for an image not loaded or broken, a video without a frame,
 * a closed ImageBitmap or VideoFrame, a detached ImageData or an undecodable
 * Blob; SecurityError for a cross-origin picture; TypeError for a non-image.
 */
export function imagePixels(source: ImageSource): Promise<ImageData | ImageLike | null>;

/** decode() for any image source, loading the module first if needed; [] for a zero-size image. */
export function decodeImage(source: ImageSource, options?: DecodeOptions): Promise<DecodeResult[]>;

/** One ISO/IEC 15415 parameter: its measured value (null when not measurable) and grade 0-4. */
export interface GradeMeasure {
  value: number | null;
  grade: number;
}

/** The grade object `civiqr grade --json` prints (docs/cli-grade.schema.json). */
export interface SymbolGrade {
  /** The overall grade, 0.0-4.0: the lowest parameter's. */
  overall: number;
  letter: "A" | "B" | "C" | "D" | "F";
  /** False unless both an aperture and a calibration were given: the reflectance grades are indicative. */
  calibrated: boolean;
  aperture_px: number;
  parameters: {
    decode: GradeMeasure;
    symbol_contrast: GradeMeasure;
    minimum_reflectance: GradeMeasure;
    minimum_edge_contrast: GradeMeasure;
    modulation: GradeMeasure;
    reflectance_margin: GradeMeasure;
    fixed_pattern_damage: GradeMeasure;
    axial_nonuniformity: GradeMeasure;
    grid_nonuniformity: GradeMeasure;
    unused_error_correction: GradeMeasure;
    print_growth: GradeMeasure;
  };
  /** Per error-correction block: codewords, how many were corrected, the unused share. */
  blocks: {
    data_codewords: number;
    ec_codewords: number;
    misdecode_protection: number;
    corrected: number;
    unused: number | null;
  }[];
  /** Fixed-pattern segments with their grade and wrong modules. */
  segments: { name: string; grade: number; wrong: number }[];
  wrong_modules: number;
}

export interface GradeOptions extends DecodeOptions {
  /** The synthetic aperture in pixels (give this or apertureModules; default 0.8 module). */
  aperturePx?: number;
  /** The synthetic aperture as a fraction of the module. */
  apertureModules?: number;
  /** Two patches photographed with the symbol: [[darkGrey, darkReflectance], [lightGrey, lightReflectance]], reflectances 0-1. */
  calibration?: [[number, number], [number, number]];
}

/** A decode() result with its grade, or grade null and the reason. */
export interface GradeResult extends DecodeResult {
  grade: SymbolGrade | null;
  /** Why the symbol was not graded (e.g. "symbology not graded" for QR Model 1). */
  ungraded?: string;
}

/**
 * Grades every symbol in the image by the ISO/IEC 15415 method. Throws an Error for unusable input or
 * options, and in the npm package, which leaves the grader out for size: build wasm/pkg-grade with
 * `scripts/build-wasm.sh --grade` to use it.
 */
export function grade(image: ImageData | ImageLike, options?: GradeOptions): GradeResult[];

/** grade() for any image source, loading the module first if needed; [] for a zero-size image. */
export function gradeImage(source: ImageSource, options?: GradeOptions): Promise<GradeResult[]>;

/** Format names: the standard's "qr_code", and the `barcode-detector` polyfill's names for the others. */
export type BarcodeFormat = "qr_code" | "micro_qr_code" | "rm_qr_code";

export interface BarcodeDetectorOptions {
  /** Formats to look for. Default all three. Empty or unknown names: TypeError. */
  formats?: BarcodeFormat[];
  /** civiqr: verify signed codes against these keys; each result then has `signature`. */
  trust?: TrustList | TrustFile | TrustFile[] | null;
  /** civiqr: reader options (see DecodeOptions). */
  tryHarder?: boolean;
  tryInverted?: boolean;
  quick?: boolean;
  pure?: boolean;
  maxSymbols?: number;
  allowMirrored?: boolean;
  /**
   * civiqr: for detect() on successive video frames, every this many calls one decodes in
   * full and the others take the quick first look (as the Scanner does). Default 1: every call in full.
   */
  fullDecodeEvery?: number;
}

/** A code found by BarcodeDetector: the standard's fields, then civiqr's DecodeResult. */
export interface DetectedBarcode extends DecodeResult {
  /** Smallest upright rectangle around cornerPoints (a DOMRectReadOnly in browsers). */
  boundingBox: DOMRectReadOnly;
  /** The text; for a payload that is not text in its charset, one character per byte (Latin-1). */
  rawValue: string;
  format: BarcodeFormat;
  /** The symbol's corners clockwise on screen, from its top-left (finder) corner. */
  cornerPoints: [Point, Point, Point, Point];
}

/** The W3C Shape Detection API's BarcodeDetector, read by civiqr (Window and Worker). */
export class BarcodeDetector {
  /** Throws TypeError for an empty `formats` or a format civiqr does not read. */
  constructor(options?: BarcodeDetectorOptions);
  /** Resolves to ["qr_code", "micro_qr_code", "rm_qr_code"]. */
  static getSupportedFormats(): Promise<BarcodeFormat[]>;
  /**
   * The codes in `source` ([] when none, or for a zero-size image). Rejects as
   * imagePixels() does, and with NotSupportedError when the module cannot load.
   */
  detect(source: ImageSource): Promise<DetectedBarcode[]>;
}

/** The detector getBarcodeDetector() returns: the browser's own (standard fields only) or civiqr's. */
export interface AnyBarcodeDetector {
  detect(source: ImageBitmapSource): Promise<
    { boundingBox: DOMRectReadOnly; rawValue: string; format: string; cornerPoints: Point[] }[]
  >;
}

/**
 * The browser's BarcodeDetector when it reads every format asked for (default
 * ["qr_code"]) and no civiqr option (trust, tryHarder...) is given; civiqr's otherwise.
 */
export function getBarcodeDetector(options?: BarcodeDetectorOptions): Promise<BarcodeDetector | AnyBarcodeDetector>;

/** A region of the video in video pixels. */
export interface Region {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface FrameInfo {
  /** Size of the decoded image in pixels. */
  width: number;
  height: number;
  /** Time inside decode(), in milliseconds. */
  decodeMs: number;
  /**
   * From taking the frame to having its results on the page: reading the pixels, decode(),
   * the messages between the worker and the page.
   */
  frameMs: number;
  /** Whether the frame was decoded in the worker. */
  worker: boolean;
  /** Whether the worker also read the pixels (from a VideoFrame or an ImageBitmap), sparing the main thread. */
  pixelsInWorker: boolean;
  /**
   * How the pixels reached decode(): copied out of a VideoFrame in the worker (no canvas),
   * an ImageBitmap drawn into the worker's OffscreenCanvas, or getImageData on the page.
   */
  pixels: "videoframe" | "bitmap" | "imagedata";
  /**
   * Where the frame came from: "track" when the worker read it straight from the camera
   * track (MediaStreamTrackProcessor, Chromium) and only the results crossed to the page;
   * "video" when the page took it from the <video> element (other browsers, or no worker).
   */
  source: "track" | "video";
  /** Whether the frame took the quick first look only (see ScannerOptions.fullDecodeEvery). */
  quick: boolean;
}

export interface ScannerOptions {
  /** Decode in a module Worker (main thread when unavailable). Default true. */
  worker?: boolean;
  /** Where worker.js is. Default: next to scanner.js. */
  workerUrl?: string | URL | null;
  /** Upper bound on decodes per second. Default 15. */
  maxScansPerSecond?: number;
  /** Part of the video to scan, or a function of the video size giving it. Default: the whole frame. */
  scanRegion?: Region | ((videoWidth: number, videoHeight: number) => Region) | null;
  /**
   * Longest side of the decoded image, in pixels. Larger frames alternate
   * between the whole frame reduced and the native-resolution centre. Default 1280.
   */
  maxDecodeSize?: number;
  /**
   * Every this many frames one is decoded in full; the others take the quick
   * first look only (decode()'s `quick`), which reads most codes near the
   * camera at about half the cost on a frame without a code. 1 decodes
   * every frame in full. Default 4.
   */
  fullDecodeEvery?: number;
  /** Inverted codes: tried on every other frame ("alternate", default), on every frame ("both") or never ("normal"). */
  inversion?: "alternate" | "both" | "normal";
  /** "environment" (main back lens, default), "user", or a deviceId. */
  preferredCamera?: string;
  /** A code is reported again only after it has been out of sight this long (ms). Default 1500. */
  duplicateTimeout?: number;
  /** start() fails with NotReadableError when the camera gives no frame within this time (ms). Default 6000. */
  startTimeout?: number;
  /** Passed to decode(); tryInverted and quick are set per frame by `inversion` and `fullDecodeEvery`. */
  decodeOptions?: DecodeOptions;
  /** Errors after start(): playback blocked, worker failure, reopening the camera. */
  onError?: ((error: Error) => void) | null;
  /** Every scanned frame with all its results (duplicates included), e.g. to draw outlines. */
  onFrame?: ((results: DecodeResult[], info: FrameInfo) => void) | null;
  /** Verify signed codes against these keys: each result then has `signature`. Default null. */
  trust?: TrustList | TrustFile | TrustFile[] | null;
}

export interface CameraInfo {
  id: string;
  label: string;
}

/** Reads QR Codes from the camera shown in `video`. */
export class Scanner {
  constructor(video: HTMLVideoElement, onResult: (result: DecodeResult) => void, options?: ScannerOptions);
  /** Video input devices; labels appear once permission was given. */
  static listCameras(): Promise<CameraInfo[]>;
  listCameras(): Promise<CameraInfo[]>;
  /** Whether frames are decoded in a worker (known after start()). */
  readonly usesWorker: boolean;
  /**
   * Opens the camera and starts scanning; call from a tap on iOS. Rejects with
   * an Error named NotAllowedError, NotFoundError, NotReadableError or NotSupportedError.
   * Resolves without opening the camera when stop() was called before it ran (React StrictMode).
   */
  start(): Promise<void>;
  /** Stops scanning and releases the camera. */
  stop(): Promise<void>;
  /** Stops decoding; the camera stays open. */
  pause(): void;
  resume(): Promise<void>;
  /** Switches camera: a deviceId from listCameras(), or "environment" / "user". */
  setCamera(id: string): Promise<void>;
  hasTorch(): boolean;
  /** Resolves to the torch state after the change (false when there is no torch). */
  setTorch(on: boolean): Promise<boolean>;
  /** stop() and end the worker. */
  destroy(): Promise<void>;
  /** Replaces the trust list (null: stop verifying); rejects when a trust file is malformed. */
  setTrust(trust: TrustList | TrustFile | TrustFile[] | null): Promise<void>;
}

/** The main back camera among enumerateDevices() results (not ultra-wide/tele), or null. */
export function chooseBackCamera(devices: MediaDeviceInfo[]): MediaDeviceInfo | null;
