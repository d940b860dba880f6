// civiqr demo page: a camera scanner and a live generator.
//
// URL parameters (used by the browser tests): worker=0 decodes on the main
// thread; autostart=1 opens the camera without a click.
//
// Signed codes (docs/SIGNING.md): every code read gets a verdict against the
// trust file the visitor loads (none at first): green "verified: <issuer>",
// neutral "unsigned", red for an invalid signature, an unknown or expired key.

import { Scanner, TrustList, decode, encode, init } from "./pkg/civiqr.js";

const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);

// Exposed for the end-to-end tests and for curious visitors.
const demo = { results: [], verdicts: [], frames: [], scanner: null, ready: false, error: null };
window.civiqrDemo = demo;

// --- scanner --------------------------------------------------------------

const video = $("video");
const overlay = $("overlay");
const outline = $("outline");
let outlineTimer = 0;

function setStatus(text, isError = false) {
  $("status").textContent = text;
  $("status").classList.toggle("error", isError);
}

function drawOutline(corners) {
  if (video.videoWidth) overlay.setAttribute("viewBox", `0 0 ${video.videoWidth} ${video.videoHeight}`);
  outline.setAttribute("points", corners.map((p) => `${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(" "));
  clearTimeout(outlineTimer);
  outlineTimer = setTimeout(() => outline.setAttribute("points", ""), 400);
}

let trust = null; // the TrustList loaded from the visitor's trust file

// "valid" is green, "unsigned" neutral, everything else red: a code that
// claims a signature which does not check out is worse than an unsigned one.
function showVerdict(v) {
  const box = $("signature");
  box.hidden = false;
  box.className = `verdict ${v.status === "valid" ? "valid" : v.status === "unsigned" ? "unsigned" : "bad"}`;
  box.dataset.status = v.status;
  const text = {
    valid: `✔ verified: ${v.issuer}`,
    unsigned: "unsigned: no signature to check",
    invalid: "✖ signature invalid: do not trust",
    unknown_key: `✖ signed by an unknown key (${v.keyId}): do not trust`,
    expired: `✖ ${v.issuer}: the key has expired: do not trust`,
  }[v.status] ?? v.summary;
  box.textContent = text;
  demo.verdicts.push(v.status);
}

// Decoded text is put in the page as text (textContent, never HTML), and the
// characters that reorder or hide text (C0 and C1 controls but tab and
// newline, bidirectional overrides and isolates, zero-width and other format
// characters) are shown as escapes, as the CLI shows them: a payload cannot
// pass for another.
const HIDDEN =
  /[\0-\x08\x0b-\x1f\x7f-\x9f\xad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\u{110bd}\u{110cd}\u{13430}-\u{1343f}\u{1bca0}-\u{1bca3}\u{1d173}-\u{1d17a}\u{e0001}\u{e0020}-\u{e007f}]/gu;
const visible = (text) =>
  text.replace(HIDDEN, (c) => {
    const n = c.codePointAt(0);
    return n < 0x20 || n === 0x7f ? `\\x${n.toString(16).padStart(2, "0")}` : `\\u{${n.toString(16)}}`;
  });

function showResult(result) {
  const text = result.text ?? `(${result.bytes.length} bytes of binary data)`;
  $("result").textContent = visible(text);
  demo.results.push(text);
  if (result.signature) showVerdict(result.signature);
}

const scanner = new Scanner(video, showResult, {
  worker: params.get("worker") !== "0",
  trust: [], // no keys until a trust file is loaded: signed codes are "unknown_key"
  onFrame(results, info) {
    demo.frames.push(info);
    if (demo.frames.length > 500) demo.frames.shift();
    if (results.length > 0) drawOutline(results[0].corners);
    if (demo.frames.length % 10 === 0) {
      const recent = demo.frames.slice(-30).map((f) => f.decodeMs).sort((a, b) => a - b);
      const median = recent[recent.length >> 1];
      $("stats").textContent = `${info.width}x${info.height}, ${median.toFixed(1)} ms per frame (median), ${info.worker ? "in a worker" : "on the main thread"}` +
        (info.source === "track" ? " reading the camera itself" : "");
    }
  },
  onError(e) {
    setStatus(e.message, true);
  },
});
demo.scanner = scanner;

async function fillCameras() {
  const cameras = await scanner.listCameras();
  const select = $("camera");
  select.replaceChildren(
    ...cameras.map((c) => {
      const option = document.createElement("option");
      option.value = c.id;
      option.textContent = c.label;
      return option;
    }),
  );
  const current = video.srcObject?.getVideoTracks()[0]?.getSettings().deviceId;
  if (current) select.value = current;
  select.disabled = cameras.length < 2;
}

async function start() {
  setStatus("Opening the camera...");
  $("start").disabled = true;
  try {
    await scanner.start();
    setStatus(`Scanning (${scanner.usesWorker ? "worker" : "main thread"}). Hold a QR Code in view.`);
    demo.ready = true;
    $("stop").disabled = false;
    $("torch").hidden = !scanner.hasTorch();
    await fillCameras();
  } catch (e) {
    demo.error = e.message;
    setStatus(e.message, true);
    $("start").disabled = false;
  }
}

$("start").addEventListener("click", start);
$("stop").addEventListener("click", async () => {
  await scanner.stop();
  setStatus("Camera off.");
  $("start").disabled = false;
  $("stop").disabled = true;
  $("torch").hidden = true;
});
let torchOn = false;
$("torch").addEventListener("click", async () => {
  torchOn = await scanner.setTorch(!torchOn);
  $("torch").textContent = torchOn ? "Torch off" : "Torch";
});
$("camera").addEventListener("change", (e) => scanner.setCamera(e.target.value).catch((err) => setStatus(err.message, true)));

// A photo instead of the camera (iOS home-screen apps, denied permission).
$("file").addEventListener("change", async (e) => {
  const file = e.target.files?.[0];
  if (!file) return;
  try {
    await init();
    const bitmap = await createImageBitmap(file);
    const scale = Math.min(1, 2000 / Math.max(bitmap.width, bitmap.height));
    const canvas = document.createElement("canvas");
    canvas.width = Math.round(bitmap.width * scale);
    canvas.height = Math.round(bitmap.height * scale);
    const ctx = canvas.getContext("2d", { willReadFrequently: true });
    ctx.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    const found = decode(ctx.getImageData(0, 0, canvas.width, canvas.height), { tryHarder: true });
    if (found.length === 0) setStatus("No QR Code found in the photo.", true);
    else {
      const list = trust ?? new TrustList();
      for (const r of found) r.signature = list.verify(r);
      found.forEach(showResult);
      setStatus(`Read ${found.length} code(s) from the photo.`);
    }
  } catch (err) {
    setStatus(err.message, true);
  }
});

// The town's trust file: JSON, key id -> issuer, public key, dates.
$("trust").addEventListener("change", async (e) => {
  const file = e.target.files?.[0];
  if (!file) return;
  try {
    await init();
    const list = new TrustList(await file.text());
    await scanner.setTrust(list);
    trust = list;
    $("trusted").textContent = `Trusted keys: ${list.keyIds.join(", ") || "none"} (from ${file.name}).`;
    $("trusted").classList.remove("error");
    demo.trusted = list.keyIds;
  } catch (err) {
    $("trusted").textContent = `${file.name}: ${err.message}`;
    $("trusted").classList.add("error");
  }
});

if (params.get("autostart") === "1") start();

// --- generator ------------------------------------------------------------

let downloadUrl = null;

function regenerate() {
  const text = $("text").value;
  try {
    const code = encode(text, { ec: $("ec").value });
    $("svg").innerHTML = code.svg; // our own SVG: a single <path>, no script
    $("info").textContent = `Version ${code.version} (${code.size} x ${code.size} modules), level ${code.ec}, mask ${code.mask}, ${new TextEncoder().encode(text).length} bytes.`;
    $("info").classList.remove("error");
    if (downloadUrl) URL.revokeObjectURL(downloadUrl);
    downloadUrl = URL.createObjectURL(new Blob([code.svg], { type: "image/svg+xml" }));
    $("download").href = downloadUrl;
  } catch (e) {
    $("svg").replaceChildren();
    $("info").textContent = e.message;
    $("info").classList.add("error");
  }
}

init().then(
  () => {
    $("text").addEventListener("input", regenerate);
    $("ec").addEventListener("change", regenerate);
    regenerate();
  },
  (e) => setStatus(`Could not load civiqr: ${e.message}`, true),
);
