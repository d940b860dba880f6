// civiqr for the web: the package's entry module. The encoder, reader and
// signature checks are in api.js, the camera scanner in scanner.js; both sit
// on api.js, so no module imports the one that imports it.

export * from "./api.js";
export { Scanner, chooseBackCamera } from "./scanner.js";
