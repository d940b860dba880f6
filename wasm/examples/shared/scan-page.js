// The scanner page the bundler examples share (index.html of each): Start
// opens the camera, every code read goes into #result, Stop releases the
// camera. `window.civiqrExample` exposes the scanner and the last frame's
// info (thread, how the pixels were read) for the browser tests.

import { Scanner } from "civiqr";

export function mountScanPage() {
  const video = document.getElementById("video");
  const result = document.getElementById("result");
  const status = document.getElementById("status");
  const state = { scanner: null, lastFrame: null };
  const scanner = new Scanner(video, (r) => (result.textContent = r.text ?? "(binary data)"), {
    onFrame: (_results, info) => (state.lastFrame = info),
    onError: (e) => (status.textContent = e.message),
  });
  state.scanner = scanner;
  // From a tap: iOS Safari opens the camera only in a user gesture.
  document.getElementById("start").addEventListener("click", async () => {
    status.textContent = "Opening the camera...";
    try {
      await scanner.start();
      status.textContent = `Scanning (decoding in ${scanner.usesWorker ? "a worker" : "the main thread"})`;
    } catch (e) {
      status.textContent = e.message;
    }
  });
  document.getElementById("stop").addEventListener("click", async () => {
    await scanner.stop();
    status.textContent = "Stopped";
  });
  window.civiqrExample = state;
}
