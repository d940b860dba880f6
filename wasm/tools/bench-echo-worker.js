// Answers every message at once: bench-browser.js times the round trip to an
// idle worker, the floor under the Scanner's frame-to-result overhead.
self.onmessage = (event) => self.postMessage(event.data);
