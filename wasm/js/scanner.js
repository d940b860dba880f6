// civiqr camera scanner: the camera's lifecycle, frame pacing, the decoding
// worker and duplicate suppression (opening the camera is in camera.js, the
// track handed to the worker in track.js, frames taken from the <video> in
// pageframes.js). Decoding itself is civiqr's (decode() in api.js); these
// files only move pixels and results around.
//
// Choices, with the failure each one avoids (see docs/WEB.md, Scanner):
// - facingMode {ideal: "environment"}, never exact (OverconstrainedError on
//   laptops); then the main back lens by label, not the ultra-wide or tele
//   one that cannot focus close;
// - playsinline + muted + autoplay on the <video> (iOS Safari black screen);
// - frames at native resolution, the longer side capped by maxDecodeSize
//   (shrunk frames lose small and dense codes); when the frame is larger the
//   scanner alternates a reduced full frame with a native-resolution centre;
// - decoding in a module Worker, one frame in flight, at most
//   maxScansPerSecond (smooth page, less battery); main thread as fallback;
//   where the browser can hand the camera track's frames to the worker
//   (track.js), the worker reads and paces them itself: one message a frame;
// - a full decode every fourth frame (fullDecodeEvery), decode()'s cheaper
//   quick look between: a code in view stays there, and most frames hold none;
// - inverted (light on dark) codes tried on every other frame by default;
// - start/stop serialised, every track stopped on stop() (NotReadableError
//   when reopening), camera released while the page is hidden;
// - with a trust list, each result carries its signature verdict
//   (docs/SIGNING.md), checked on the main thread: a few codes a second, each
//   well under a millisecond.

import { TrustList, decode, init } from "./api.js";
import { openStream, scannerError } from "./camera.js";
import { frameGeometry, frameOptions, framePlan } from "./frames.js";
import { PageFrames } from "./pageframes.js";
import { canReadTrack, readTrackInWorker, trackSettings } from "./track.js";

export { chooseBackCamera } from "./camera.js";

const DEFAULTS = {
  worker: true,
  workerUrl: null,
  maxScansPerSecond: 15,
  scanRegion: null,
  maxDecodeSize: 1280,
  fullDecodeEvery: 4,
  inversion: "alternate",
  preferredCamera: "environment",
  duplicateTimeout: 1500,
  startTimeout: 6000,
  decodeOptions: {},
  onError: null,
  onFrame: null,
  trust: null,
};

/**
 * Reads QR Codes from a camera into `onResult(result)`, where result is a
 * decode() result whose corners are in the video's pixel coordinates.
 */
export class Scanner {
  constructor(video, onResult, options = {}) {
    if (typeof HTMLVideoElement !== "undefined" && !(video instanceof HTMLVideoElement)) {
      throw new Error("civiqr scanner: the first argument must be a <video> element");
    }
    if (typeof onResult !== "function") throw new Error("civiqr scanner: onResult must be a function");
    for (const key of Object.keys(options)) {
      if (!(key in DEFAULTS)) throw new Error(`civiqr scanner: unknown option "${key}"`);
    }
    this.video = video;
    this.onResult = onResult;
    this.options = { ...DEFAULTS, ...options };
    if (!["alternate", "both", "normal"].includes(this.options.inversion)) {
      throw new Error('civiqr scanner: inversion must be "alternate", "both" or "normal"');
    }
    const every = this.options.fullDecodeEvery;
    if (!Number.isInteger(every) || every < 1) {
      throw new Error(`civiqr scanner: fullDecodeEvery must be a whole number of frames from 1, not ${every}`);
    }
    this._stream = null;
    this._deviceId = null;
    this._active = false; // started and not stopped
    this._wanted = false; // the last call was start(), not stop()
    this._paused = false;
    this._queue = Promise.resolve();
    this._frame = 0;
    this._busy = false;
    this._lastScan = -Infinity;
    this._seen = new Map(); // key -> time last seen
    this._worker = null;
    this._workerState = "none"; // none | loading | ready | failed
    this._page = new PageFrames(); // frames taken from the <video>
    this._reader = null; // the worker reading the track: {stream, stop()}
    this._trackFrames = undefined; // false once the worker could not read the track
    this._sentSettings = ""; // the frame policy last sent to that worker (JSON)
    this._loopHandle = null;
    this._loopGeneration = 0;
    this._hiddenTimer = null;
    this._onVisibility = () => this._visibilityChanged();
    this._trust = null; // a TrustList once start() has loaded the module

    // iOS Safari: inline, muted playback, or the picture stays black.
    video.setAttribute("playsinline", "");
    video.setAttribute("muted", "");
    video.setAttribute("autoplay", "");
    video.playsInline = true;
    video.muted = true;
    video.autoplay = true;
  }

  /** The video input devices: [{id, label}] (labels appear after permission). */
  static async listCameras() {
    if (!navigator.mediaDevices?.enumerateDevices) return [];
    const devices = await navigator.mediaDevices.enumerateDevices();
    return devices
      .filter((d) => d.kind === "videoinput")
      .map((d, i) => ({ id: d.deviceId, label: d.label || `Camera ${i + 1}` }));
  }

  /** Same as the static method. */
  listCameras() {
    return Scanner.listCameras();
  }

  /** Whether decoding runs in a worker (known after start()). */
  get usesWorker() {
    return this._workerState === "ready";
  }

  /**
   * Opens the camera and starts scanning. Call it from a user gesture (a tap)
   * on iOS. Rejects with an Error whose name is NotAllowedError,
   * NotFoundError, NotReadableError or NotSupportedError. When stop() is
   * called before this start() got its turn (React StrictMode's mount,
   * unmount, mount), it resolves without opening the camera.
   */
  start() {
    this._wanted = true;
    return this._serial(async () => {
      // stop() was called before this start() ran (React StrictMode mounts,
      // unmounts and remounts at once): do not open the camera at all.
      if (!this._wanted) return;
      if (this._active) {
        this._paused = false;
        return;
      }
      if (typeof window !== "undefined" && window.isSecureContext === false) {
        throw scannerError("NotSupportedError", "the camera needs a secure page (https:// or localhost)");
      }
      if (!navigator.mediaDevices?.getUserMedia) {
        throw scannerError("NotSupportedError", "this browser has no camera access (navigator.mediaDevices)");
      }
      if (this.options.trust !== null && this._trust === null) {
        // Here, not in the constructor: a TrustList needs the module loaded.
        await init();
        this._trust = toTrustList(this.options.trust);
      }
      const decoder = this._prepareDecoder();
      decoder.catch(() => {}); // awaited below; not unhandled if the camera fails first
      await this._openCamera(this._deviceId ?? this.options.preferredCamera);
      try {
        await decoder;
      } catch (e) {
        this._closeCamera();
        throw scannerError("NotSupportedError", `the decoder could not be loaded: ${e?.message ?? e}`, e);
      }
      this._active = true;
      this._paused = false;
      document.addEventListener("visibilitychange", this._onVisibility);
      this._loop();
    });
  }

  /** Stops scanning and releases the camera (the light goes off). */
  stop() {
    this._wanted = false;
    return this._serial(async () => {
      this._active = false;
      this._paused = false;
      clearTimeout(this._hiddenTimer);
      document.removeEventListener("visibilitychange", this._onVisibility);
      this._closeCamera();
    });
  }

  /**
   * Replaces the trust list: a TrustList, trust-file JSON (text or parsed),
   * an array of them, or null to stop verifying. Results then carry
   * `signature: {status, issuer, keyId, summary}`. Throws when a trust file
   * is malformed (the old list stays).
   */
  async setTrust(trust) {
    if (trust === null) {
      this._trust = null;
    } else {
      await init();
      this._trust = toTrustList(trust);
    }
    this.options.trust = trust;
  }

  /** Stops decoding but keeps the camera open (the video keeps playing). */
  pause() {
    this._paused = true;
    this._readsTrack();
  }

  /** Resumes decoding after pause(). */
  resume() {
    this._paused = false;
    this._readsTrack();
    if (this._active && !this._stream) {
      return this._serial(() => this._openCamera(this._deviceId ?? this.options.preferredCamera));
    }
    return Promise.resolve();
  }

  /** Switches to the camera with this deviceId (or "environment" / "user"). */
  setCamera(id) {
    return this._serial(async () => {
      this._deviceId = id;
      if (this._stream) {
        this._closeCamera();
        await this._openCamera(id);
      }
    });
  }

  /** Whether the current camera has a torch that can be switched on. */
  hasTorch() {
    const track = this._track();
    if (!track) return false;
    const caps = typeof track.getCapabilities === "function" ? track.getCapabilities() : {};
    return caps.torch === true || "torch" in (track.getSettings?.() ?? {});
  }

  /** Switches the torch on or off; resolves to the new state. */
  setTorch(on) {
    return this._serial(async () => {
      const track = this._track();
      if (!track || !this.hasTorch()) return false;
      try {
        await track.applyConstraints({ advanced: [{ torch: !!on }] });
      } catch (e) {
        if (on) throw scannerError("NotSupportedError", "the torch could not be switched on", e);
      }
      // Some devices ignore torch:false: reopening the camera switches it off.
      if (!on && track.getSettings?.().torch) {
        this._closeCamera();
        await this._openCamera(this._deviceId ?? this.options.preferredCamera);
      }
      return !!on;
    });
  }

  /** Stops the camera and the worker for good. */
  async destroy() {
    await this.stop();
    this._worker?.terminate();
    this._worker = null;
    this._workerState = "none";
  }

  // --- internals ---------------------------------------------------------

  _serial(fn) {
    const run = this._queue.then(fn);
    this._queue = run.catch(() => {});
    return run;
  }

  _track() {
    return this._stream?.getVideoTracks()[0] ?? null;
  }

  async _openCamera(which) {
    const stream = await openStream(which);
    this._stream = stream;
    this.video.srcObject = stream;
    let playing = true;
    try {
      await this.video.play();
    } catch (e) {
      // Autoplay refused (not started from a tap): frames still arrive once
      // the user interacts; report it but keep the stream.
      playing = false;
      this._report(scannerError("NotAllowedError", "video playback was blocked; start the scanner from a tap", e));
    }
    // A stream that never delivers a frame (iOS home-screen apps, some
    // drivers) would leave a black box: fail the start instead.
    if (playing && this.video.readyState < 2) {
      const gotFrame = await new Promise((resolve) => {
        const done = (ok) => {
          clearTimeout(timer);
          this.video.removeEventListener("loadeddata", onData);
          resolve(ok);
        };
        const onData = () => done(true);
        const timer = setTimeout(() => done(this.video.readyState >= 2), this.options.startTimeout);
        this.video.addEventListener("loadeddata", onData);
      });
      if (!gotFrame) {
        this._closeCamera();
        throw scannerError(
          "NotReadableError",
          `the camera gave no picture within ${this.options.startTimeout / 1000} s (in a home-screen app, open the page in the browser, or choose a photo)`,
        );
      }
    }
    // Continuous focus, where offered; capabilities are often empty at first.
    setTimeout(() => {
      const track = this._track();
      if (!track || typeof track.getCapabilities !== "function") return;
      const caps = track.getCapabilities();
      if (Array.isArray(caps.focusMode) && caps.focusMode.includes("continuous")) {
        track.applyConstraints({ advanced: [{ focusMode: "continuous" }] }).catch(() => {});
      }
    }, 500);
  }

  _closeCamera() {
    this._reader?.stop();
    this._reader = null;
    if (this._stream) {
      for (const track of this._stream.getTracks()) {
        track.stop();
        this._stream.removeTrack(track);
      }
    }
    this._stream = null;
    this.video.srcObject = null;
  }

  _visibilityChanged() {
    if (!this._active) return;
    clearTimeout(this._hiddenTimer);
    if (document.hidden) {
      // Release the camera shortly after the page goes to the background.
      this._hiddenTimer = setTimeout(() => {
        if (document.hidden && this._active) this._serial(async () => this._closeCamera());
      }, 300);
    } else if (!this._stream) {
      this._serial(() => this._openCamera(this._deviceId ?? this.options.preferredCamera)).catch((e) =>
        this._report(e),
      );
    }
  }

  _report(e) {
    if (typeof this.options.onError === "function") this.options.onError(e);
  }

  // Starts the worker (or the main-thread module); resolves when either can decode.
  async _prepareDecoder() {
    if (this._workerState === "ready" || this._workerState === "failed") return;
    if (this.options.worker && typeof Worker !== "undefined") {
      this._workerState = "loading";
      const ok = await new Promise((resolve) => {
        let worker;
        try {
          // The literal new Worker(new URL(...), {type}) form is the one
          // bundlers (Vite, webpack) recognise and emit the worker for.
          worker = this.options.workerUrl
            ? new Worker(this.options.workerUrl, { type: "module" })
            : new Worker(new URL("./worker.js", import.meta.url), { type: "module" });
        } catch {
          resolve(false);
          return;
        }
        const timer = setTimeout(() => resolve(false), 10000);
        worker.onmessage = (event) => {
          const msg = event.data;
          if ("ready" in msg) {
            clearTimeout(timer);
            if (msg.ready) {
              this._worker = worker;
              resolve(true);
            } else {
              worker.terminate();
              resolve(false);
            }
            return;
          }
          if ("stream" in msg) {
            this._trackResult(msg);
            return;
          }
          this._page.answer(msg);
        };
        worker.onerror = () => {
          clearTimeout(timer);
          worker.terminate();
          // Fail every frame in flight; later frames go to the main thread.
          this._page.failAll();
          this._reader?.stop();
          this._reader = null;
          if (this._worker === worker) this._worker = null;
          this._workerState = "failed";
          resolve(false);
        };
      });
      if (ok) {
        this._workerState = "ready";
        return;
      }
    }
    this._workerState = "failed";
    await init();
  }

  _loop() {
    if (!this._active) return;
    const video = this.video;
    // A stop() and start() in quick succession must not leave two loops.
    const generation = ++this._loopGeneration;
    const next = () => {
      if (!this._active || generation !== this._loopGeneration) return;
      if (this._reader) {
        // The worker paces the frames: the page only looks for changed
        // settings (a scanRegion function, options) now and then, and
        // stays idle between frames, ready for the results.
        this._loopHandle = setTimeout(tick, 250);
      } else if (typeof video.requestVideoFrameCallback === "function") {
        this._loopHandle = video.requestVideoFrameCallback(tick);
      } else {
        this._loopHandle = requestAnimationFrame(tick);
      }
    };
    const tick = () => {
      const now = performance.now();
      const interval = 1000 / Math.max(0.1, this.options.maxScansPerSecond);
      // Where the worker reads the track it paces the frames itself.
      const ready = !this._paused && !this._busy && this._stream && video.readyState >= 2;
      if (!this._readsTrack() && ready && now - this._lastScan >= interval) {
        this._lastScan = now;
        this._busy = true;
        this._scanFrame()
          .catch((e) => this._report(e))
          .finally(() => {
            this._busy = false;
          });
      }
      next();
    };
    next();
  }

  // The source rectangle of this frame and the size it is drawn at.
  _frameGeometry(phase) {
    let region = this.options.scanRegion;
    if (typeof region === "function") region = region(this.video.videoWidth, this.video.videoHeight);
    return frameGeometry(this.video.videoWidth, this.video.videoHeight, region, this.options.maxDecodeSize, phase);
  }

  // Hands the camera track's frames to the worker where this browser can;
  // whether the worker now reads them.
  _startTrackReader() {
    const track = this._track();
    if (this._trackFrames === false || this._workerState !== "ready" || !track || this.video.readyState < 2) return false;
    if (!canReadTrack()) {
      this._trackFrames = false;
      return false;
    }
    const settings = trackSettings(this.options, this.video, this._paused);
    this._reader = readTrackInWorker(this._worker, track, settings);
    this._sentSettings = JSON.stringify(settings);
    if (!this._reader) this._trackFrames = false;
    return this._reader !== null;
  }

  // Sends the worker reading the track the current frame policy, when it changed.
  _sendTrackSettings() {
    if (!this._reader) return;
    const settings = trackSettings(this.options, this.video, this._paused);
    const json = JSON.stringify(settings);
    if (json === this._sentSettings) return;
    this._sentSettings = json;
    this._worker.postMessage({ settings });
  }

  // Whether the worker reads the track's frames (started here if it can);
  // a throwing scanRegion function or uncloneable decodeOptions are reported.
  _readsTrack() {
    try {
      if (this._reader || this._startTrackReader()) this._sendTrackSettings();
    } catch (e) {
      this._report(e);
    }
    return this._reader !== null;
  }

  // A frame the worker read from the track: its results, an error, or word
  // that it cannot read this track (then frames come from the <video>).
  _trackResult(msg) {
    if (msg.stream !== this._reader?.stream) return; // a stream already stopped
    if (msg.unsupported) {
      this._reader.stop();
      this._reader = null;
      this._trackFrames = false;
      return;
    }
    // The worker's t0 is on the shared clock (timeOrigin + now).
    const frameMs = performance.timeOrigin + performance.now() - msg.t0;
    try {
      if (msg.error) throw new Error(`civiqr scanner: ${msg.error}`);
      if (this._active) {
        this._deliver(msg.results, msg.g, { decodeMs: msg.ms, frameMs, pixels: msg.pixels, source: "track", quick: msg.quick });
      }
    } catch (e) {
      this._report(e);
    } finally {
      this._worker?.postMessage({ ack: msg.stream });
    }
  }

  async _scanFrame() {
    const plan = framePlan(this._frame, this.options.fullDecodeEvery, this.options.inversion);
    let g = this._frameGeometry(plan.phase);
    if (g.sw <= 0 || g.sh <= 0) return;
    this._frame++;
    const options = frameOptions(this.options.decodeOptions, plan);

    const t0 = performance.now();
    let results;
    let decodeMs;
    let pixels = "imagedata";
    if (this._worker && this._workerState === "ready") {
      const read = await this._page.read(this._worker, this.video, g, options);
      if (read.msg.error) throw new Error(`civiqr scanner: ${read.msg.error}`);
      ({ g, pixels } = read);
      results = read.msg.results;
      decodeMs = read.msg.ms;
    } else {
      const image = this._page.pixels(this.video, g);
      await init();
      results = decode(image, options);
      decodeMs = performance.now() - t0;
    }
    const frameMs = performance.now() - t0;
    if (this._active) this._deliver(results, g, { decodeMs, frameMs, pixels, source: "video", quick: options.quick });
  }

  // A decoded frame's results to onFrame and (new codes) onResult; `g` is
  // the frame's geometry, `frame` how it was read (FrameInfo's fields).
  _deliver(results, g, frame) {
    // Corners back into video pixels.
    const kx = g.sw / g.dw;
    const ky = g.sh / g.dh;
    for (const r of results) {
      r.corners = r.corners.map((p) => ({ x: g.sx + p.x * kx, y: g.sy + p.y * ky }));
      if (this._trust) r.signature = this._trust.verify(r.bytes);
    }
    if (typeof this.options.onFrame === "function") {
      const worker = !!this._worker;
      const pixelsInWorker = worker && frame.pixels !== "imagedata";
      const info = { width: g.dw, height: g.dh, worker, pixelsInWorker, ...frame };
      this.options.onFrame(results, info);
    }
    const now = performance.now();
    for (const r of results) {
      const key = r.text ?? Array.from(r.bytes).join(",");
      const last = this._seen.get(key);
      this._seen.set(key, now);
      if (last === undefined || now - last > this.options.duplicateTimeout) this.onResult(r);
    }
    // Forget codes not seen for a while, so the map stays small.
    for (const [key, t] of this._seen) {
      if (now - t > this.options.duplicateTimeout) this._seen.delete(key);
    }
  }
}

// The Scanner's `trust` option as a TrustList.
function toTrustList(trust) {
  if (trust instanceof TrustList) return trust;
  return new TrustList(...(Array.isArray(trust) ? trust : [trust]));
}
