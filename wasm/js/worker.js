// civiqr scanner worker: decodes the frames the Scanner posts, off the main
// thread. A module worker loaded from the package's own directory, so a page
// needs only `worker-src 'self'` (no blob: URLs).
//
// Messages in:  {id, width, height, data: ArrayBuffer (RGBA), options}
// Messages out: {id, results, ms} or {id, error}; {ready: true} once loaded,
//               {ready: false, error} if the module could not be loaded.

import { decode, init } from "./civiqr.js";

init().then(
  () => self.postMessage({ ready: true }),
  (e) => self.postMessage({ ready: false, error: String(e?.message ?? e) }),
);

self.onmessage = async (event) => {
  const { id, width, height, data, options } = event.data;
  try {
    await init();
    const t0 = performance.now();
    const results = decode({ data: new Uint8Array(data), width, height }, options);
    const ms = performance.now() - t0;
    self.postMessage({ id, results, ms });
  } catch (e) {
    self.postMessage({ id, error: String(e?.message ?? e) });
  }
};
