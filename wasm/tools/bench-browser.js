// Runs in the page of bench-browser.html (driven by bench-browser.mjs): reads
// camera frames into ImageData and times civiqr's decode() and zxing-wasm's
// readBarcodes() on the same pixels, alternating which goes first, on the
// main thread. Publishes window.benchResult.

import { Scanner, decode, init } from "../pkg/civiqr.js";
import { prepareZXingModule, readBarcodes } from "../node_modules/zxing-wasm/dist/es/reader/index.js";

const params = new URLSearchParams(location.search);
const FRAMES = Number(params.get("frames") ?? 120);
const EXPECTED = params.get("text");

async function run() {
  await init();
  // ?alt=URL: another build of the package (e.g. a simd128 one), timed as
  // "civiqr (alt)" on the same frames.
  const alt = params.get("alt") ? await import(params.get("alt")) : null;
  if (alt) await alt.init();
  await prepareZXingModule({
    overrides: { locateFile: (file) => new URL(`../node_modules/zxing-wasm/dist/reader/${file}`, import.meta.url).href },
    fireImmediately: true,
  });
  const video = document.getElementById("video");
  video.srcObject = await navigator.mediaDevices.getUserMedia({ video: { width: 640, height: 480 }, audio: false });
  await video.play();
  while (video.readyState < 2) await new Promise((r) => setTimeout(r, 20));
  const canvas = document.createElement("canvas");
  canvas.width = video.videoWidth;
  canvas.height = video.videoHeight;
  const ctx = canvas.getContext("2d", { alpha: false, willReadFrequently: true });

  const stats = { civiqr: { ms: [], read: 0 }, "zxing-wasm": { ms: [], read: 0 } };
  const readers = {
    civiqr: async (img) => decode(img).map((r) => r.text),
    "zxing-wasm": async (img) => (await readBarcodes(img, { formats: ["QRCode"] })).filter((r) => r.isValid).map((r) => r.text),
  };
  if (alt) {
    stats["civiqr (alt)"] = { ms: [], read: 0 };
    readers["civiqr (alt)"] = async (img) => alt.decode(img).map((r) => r.text);
  }
  const order = Object.keys(readers);
  for (let i = 0; i < FRAMES + 5; i++) {
    await new Promise((r) => video.requestVideoFrameCallback(r));
    ctx.drawImage(video, 0, 0);
    const img = ctx.getImageData(0, 0, canvas.width, canvas.height);
    for (const name of i % 2 ? [...order].reverse() : order) {
      const t0 = performance.now();
      const texts = await readers[name](img);
      const ms = performance.now() - t0;
      if (i < 5) continue; // warm-up
      stats[name].ms.push(ms);
      if (texts.includes(EXPECTED)) stats[name].read++;
    }
  }
  // The Scanner itself, decoding in its worker: time per frame from taking
  // the frame to its results on the page (frameMs) and inside decode()
  // (decodeMs), for each way frames reach the worker: the default (the
  // worker reads the camera track, where the browser can hand it over), then
  // frames taken from the <video> as VideoFrames and as ImageBitmaps (forced
  // by switching the faster ways off, as a browser without them would). The
  // three take turns in blocks of BLOCK frames, so a change in the machine's
  // load falls on all of them alike.
  video.srcObject.getTracks().forEach((t) => t.stop());
  const BLOCK = 25;
  const med = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
  const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const ways = [() => {}, (sc) => (sc._trackFrames = false), (sc) => (sc._trackFrames = sc._page.videoFrames = false)];
  const runs = ways.map((force) => {
    const scanned = { frameMs: [], decodeMs: [], ratio: [], skip: 0 };
    const scanVideo = document.createElement("video");
    document.body.append(scanVideo);
    const scanner = new Scanner(scanVideo, () => {}, {
      maxScansPerSecond: 30,
      onFrame: (results, info) => {
        // The first frames after each start() are warm-up.
        if (results[0]?.text !== EXPECTED || scanned.skip-- > 0) return;
        scanned.frameMs.push(info.frameMs);
        scanned.decodeMs.push(info.decodeMs);
        scanned.ratio.push(info.frameMs / info.decodeMs);
        Object.assign(scanned, { worker: info.worker, pixels: info.pixels, source: info.source });
      },
    });
    force(scanner);
    return { scanner, scanned, scanVideo };
  });
  while (runs.some((r) => r.scanned.frameMs.length < FRAMES)) {
    for (const { scanner, scanned } of runs) {
      const until = Math.min(FRAMES, scanned.frameMs.length + BLOCK);
      if (scanned.frameMs.length >= until) continue;
      scanned.skip = 3;
      await scanner.start();
      while (scanned.frameMs.length < until) await new Promise((r) => setTimeout(r, 20));
      await scanner.stop();
    }
  }
  const scanners = [];
  for (const { scanner, scanned, scanVideo } of runs) {
    await scanner.destroy();
    scanVideo.remove();
    scanners.push({
      frames: scanned.frameMs.length,
      worker: scanned.worker,
      pixels: scanned.pixels,
      source: scanned.source,
      frameMedian: med(scanned.frameMs),
      frameMean: mean(scanned.frameMs),
      decodeMedian: med(scanned.decodeMs),
      decodeMean: mean(scanned.decodeMs),
      ratioMedian: med(scanned.ratio),
    });
  }

  // The floor: a message to an idle worker and back, sent from a
  // requestVideoFrameCallback while the camera plays, as the Scanner sends.
  const echo = new Worker(new URL("./bench-echo-worker.js", import.meta.url));
  video.srcObject = await navigator.mediaDevices.getUserMedia({ video: { width: 640, height: 480 }, audio: false });
  await video.play();
  const trips = [];
  for (let i = 0; i < 60; i++) {
    await new Promise((r) => video.requestVideoFrameCallback(r));
    const t0 = performance.now();
    await new Promise((r) => {
      echo.onmessage = r;
      echo.postMessage(i);
    });
    trips.push(performance.now() - t0);
  }
  // The floor of the track path: the worker reads the camera track and
  // answers each frame at once; the page times each one-way message.
  // Then the page's thread is kept busy for 600 ms: the frames the worker
  // reads meanwhile show whether they pass through the page's thread.
  const hops = [];
  const readAt = [];
  let blocked = null;
  if (typeof MediaStreamTrackProcessor === "function") {
    const { readable } = new MediaStreamTrackProcessor({ track: video.srcObject.getVideoTracks()[0].clone() });
    echo.onmessage = (e) => {
      hops.push(performance.timeOrigin + performance.now() - e.data);
      readAt.push(e.data);
    };
    echo.postMessage({ readable }, [readable]);
    while (hops.length < 60) await new Promise((r) => setTimeout(r, 50));
    const from = performance.timeOrigin + performance.now();
    while (performance.timeOrigin + performance.now() - from < 600);
    await new Promise((r) => setTimeout(r, 300));
    const count = (a, b) => readAt.filter((t) => t >= a && t < b).length;
    blocked = { during: count(from, from + 600), before: count(from - 600, from) };
  }
  video.srcObject.getTracks().forEach((t) => t.stop());
  echo.terminate();

  const result = {
    roundTripMs: med(trips),
    hopMs: hops.length ? med(hops.slice(0, 60)) : null,
    blocked,
    isolated: crossOriginIsolated,
    width: canvas.width,
    height: canvas.height,
    frames: FRAMES,
    readers: {},
    scanners,
  };
  for (const [name, s] of Object.entries(stats)) {
    const sorted = [...s.ms].sort((a, b) => a - b);
    result.readers[name] = {
      read: s.read,
      median: sorted[sorted.length >> 1],
      p90: sorted[Math.floor(sorted.length * 0.9)],
      mean: sorted.reduce((a, b) => a + b, 0) / sorted.length,
    };
  }
  return result;
}

run().then(
  (r) => {
    window.benchResult = r;
    document.getElementById("out").textContent = JSON.stringify(r, null, 1);
  },
  (e) => {
    window.benchResult = { error: String(e?.stack ?? e) };
  },
);
