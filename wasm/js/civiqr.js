// civiqr for the web: the package's entry module. The encoder, reader and
// signature checks are in api.js, image sources in image.js, the standard
// BarcodeDetector in detector.js, the camera scanner in scanner.js; all sit
// on api.js, so no module imports the one that imports it.

export * from "./api.js";
export { decodeImage, gradeImage, imagePixels } from "./image.js";
export { BarcodeDetector, getBarcodeDetector } from "./detector.js";
export { Scanner, chooseBackCamera } from "./scanner.js";
