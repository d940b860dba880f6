// Answers every message at once, or, given a stream of camera frames, sends
// the time each frame was read (on the shared clock): bench-browser.js times
// the round trip to an idle worker and the one-way message from a worker
// reading the track, the floors under the Scanner's frame-to-result overhead.
self.onmessage = async (event) => {
  if (!event.data?.readable) {
    self.postMessage(event.data);
    return;
  }
  const reader = event.data.readable.getReader();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    value.close();
    self.postMessage(performance.timeOrigin + performance.now());
  }
};
