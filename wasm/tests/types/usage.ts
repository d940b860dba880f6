// Compile-only check of the package's TypeScript declarations (civiqr.d.ts):
// `tsc -p wasm/tests/types` must pass, including the expected errors.
import {
  BarcodeDetector, Scanner, TrustList, decode, decodeImage, encode, encodeSplit, getBarcodeDetector, grade, gradeImage,
  imagePixels, init, verify, type DecodeResult, type GradeResult, type DetectedBarcode, type EncodeResult, type Verification,
} from "../../pkg/civiqr.js";
import { BarcodeDetector as Polyfilled } from "../../pkg/polyfill.js";

export async function usage(video: HTMLVideoElement, ctx: CanvasRenderingContext2D): Promise<string[]> {
  await init();
  await init(new URL("./civiqr_wasm_bg.wasm", import.meta.url));
  const results: DecodeResult[] = decode(ctx.getImageData(0, 0, 640, 480), { tryHarder: true, maxSymbols: 2 });
  decode({ data: new Uint8Array(4), width: 1, height: 1 });
  const [first] = results;
  const tl: { x: number; y: number } = first.corners[0];
  const level: "L" | "M" | "Q" | "H" = first.ec;
  const code: EncodeResult = encode("https://example.org", { ec: "Q", mask: 3, dark: "#036" });
  encode(new Uint8Array([1, 2, 3]));
  const dark: number = code.modules[0];
  const graded: GradeResult[] = grade(ctx.getImageData(0, 0, 640, 480), { aperturePx: 4, calibration: [[20, 0.05], [240, 0.9]] });
  const letter: "A" | "B" | "C" | "D" | "F" | undefined = graded[0].grade?.letter;
  const ec: number | null | undefined = graded[0].grade?.parameters.unused_error_correction.value;
  await gradeImage(video, { tryHarder: true });

  // @ts-expect-error: an unknown option
  decode({ data: new Uint8Array(4), width: 1, height: 1 }, { speed: 3 });
  // @ts-expect-error: EC levels are letters
  encode("x", { ec: "X" });
  // @ts-expect-error: numbers are not encodable
  encode(42);

  const scanner = new Scanner(video, (r) => console.log(r.text, r.corners), {
    maxScansPerSecond: 10,
    scanRegion: (w, h) => ({ x: w / 4, y: h / 4, width: w / 2, height: h / 2 }),
    inversion: "alternate",
    onFrame: (found, info) => {
      const source: "track" | "video" = info.source;
      console.log(found.length, info.decodeMs, info.frameMs, info.worker, info.pixels, source);
    },
  });
  await scanner.start();
  const trust = new TrustList('{"ABCDE": {"issuer": "X", "public_key": "00"}}', [{}]);
  const verdict: Verification = trust.verify(first, { today: new Date() });
  const status: "valid" | "invalid" | "unknown_key" | "expired" | "unsigned" = verify("text", trust).status;
  console.log(verdict.issuer, verdict.keyId, status, trust.size, first.signature?.summary);
  await scanner.setTrust(trust).catch(() => scanner.setTrust(null));
  // @ts-expect-error: a trust list is not a number
  new Scanner(video, () => {}, { trust: 3 });
  scanner.pause();
  await scanner.resume();
  const cameras = await Scanner.listCameras();
  if (cameras.length > 1) await scanner.setCamera(cameras[1].id);
  if (scanner.hasTorch()) await scanner.setTorch(true);
  await scanner.stop();
  // @ts-expect-error: inversion modes are named
  new Scanner(video, () => {}, { inversion: "sometimes" });
  return [first.text ?? "", String(tl.x), level, String(dark)];
}

export async function detection(img: HTMLImageElement, file: File, frame: VideoFrame): Promise<string[]> {
  const formats = await BarcodeDetector.getSupportedFormats();
  const detector = new BarcodeDetector({ formats: ["qr_code", "micro_qr_code"], tryHarder: true });
  const found: DetectedBarcode[] = await detector.detect(img);
  const box: DOMRectReadOnly = found[0].boundingBox;
  const symbology: "qr" | "micro" | "rmqr" = found[0].symbology;
  await detector.detect(file);
  await new Polyfilled().detect(frame);
  const results: DecodeResult[] = await decodeImage(new OffscreenCanvas(1, 1), { symbologies: ["micro"] });
  const pixels = await imagePixels(file);
  const any = await getBarcodeDetector({ formats: ["qr_code"] });
  const values = (await any.detect(img)).map((d) => d.rawValue);
  const micro: EncodeResult = encode("BANC 42", { symbol: "micro", version: "M3" });
  const rmqr = encode("BANC 42", { symbol: "rmqr", maxHeight: 9 });
  const parts: EncodeResult[] = encodeSplit("long text", { parts: "auto", maxVersion: 5 });
  encodeSplit(new Uint8Array(3), { parts: 2 });
  // @ts-expect-error: not a format name
  new BarcodeDetector({ formats: ["aztec"] });
  // @ts-expect-error: "microqr" is not a symbology name
  encode("x", { symbol: "microqr" });
  // @ts-expect-error: encodeSplit writes QR Codes only
  encodeSplit("x", { symbol: "micro" });
  // @ts-expect-error: a string is not an image source
  await decodeImage("code.png");
  return [...formats, String(box.width), symbology, String(results.length), String(pixels?.width), ...values,
    micro.versionName, String(rmqr.height), String(parts[0].structuredAppend?.count)];
}
