// civiqr camera scanner: the camera track's frames handed to the worker,
// which reads, decodes and answers each frame itself (worker.js), so a frame
// costs one message (the results) instead of a round trip from the page.
// Chromium has MediaStreamTrackProcessor on the page and transfers its
// stream of VideoFrames to a worker; elsewhere scanner.js takes frames from
// the <video> as before.

let nextStream = 1;

/** Whether this page can hand a camera track's frames to a worker. */
export function canReadTrack() {
  return typeof MediaStreamTrackProcessor === "function" && typeof VideoFrame === "function";
}

/**
 * Starts `worker` reading the frames of a clone of `track` (a clone, so the
 * worker can stop reading without touching the <video>'s track; torch and
 * zoom act on the camera both share). Returns {stream, stop()} or null when
 * this browser cannot transfer the stream. stop() ends the clone, which
 * ends the worker's stream too.
 */
export function readTrackInWorker(worker, track, settings) {
  let clone = null;
  try {
    clone = track.clone();
    // One frame buffered: after a slow decode the next frame read is the newest.
    const { readable } = new MediaStreamTrackProcessor({ track: clone, maxBufferSize: 1 });
    const stream = nextStream++;
    worker.postMessage({ stream, readable, settings }, [readable]);
    return {
      stream,
      stop() {
        clone.stop();
        worker.postMessage({ stream, stop: true });
      },
    };
  } catch {
    clone?.stop();
    return null;
  }
}

/**
 * The frame policy the worker applies, from the Scanner's options: a
 * function scanRegion is evaluated here, at the video's current size.
 */
export function trackSettings(options, video, paused) {
  let region = options.scanRegion;
  if (typeof region === "function") region = region(video.videoWidth, video.videoHeight);
  return {
    paused,
    interval: 1000 / Math.max(0.1, options.maxScansPerSecond),
    region: region ? { x: region.x, y: region.y, width: region.width, height: region.height } : null,
    maxDecodeSize: options.maxDecodeSize,
    inversion: options.inversion,
    fullDecodeEvery: options.fullDecodeEvery,
    decodeOptions: options.decodeOptions,
  };
}
