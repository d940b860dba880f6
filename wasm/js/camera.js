// civiqr camera scanner: opening the camera and choosing the lens, and the
// Errors a page can show for camera failures (scanner.js uses these).

// Lens names to avoid when choosing a back camera (English, German, French,
// Spanish, Italian labels seen in the wild).
const AVOID_LENS = /ultra|wide|weitwinkel|grand[- ]angle|gran angular|grandangolo|tele|zoom|macro|depth|dual|triple|infrared|\bir\b/i;
const BACK_LENS = /back|rear|environment|rück|arrière|trasera|posteriore|traseira|achter|facing back/i;
const FRONT_LENS = /front|user|face|vorder|avant|frontal|anteriore/i;

/** Picks the main back camera from enumerateDevices() output, or null. */
export function chooseBackCamera(devices) {
  const cams = devices.filter((d) => d.kind === "videoinput" && d.label);
  const back = cams.filter((d) => BACK_LENS.test(d.label) && !FRONT_LENS.test(d.label));
  if (back.length === 0) return null;
  const plain = back.filter((d) => !AVOID_LENS.test(d.label));
  // Android names its lenses "camera2 N, facing back": the lowest N is the
  // main one. Otherwise keep the enumeration order.
  const byIndex = (d) => {
    const m = /camera2? (\d+)/i.exec(d.label);
    return m ? Number(m[1]) : 1000;
  };
  const pool = plain.length > 0 ? plain : back;
  return [...pool].sort((a, b) => byIndex(a) - byIndex(b))[0];
}

export function scannerError(name, message, cause) {
  const e = new Error(`civiqr scanner: ${message}`, { cause });
  e.name = name;
  return e;
}

// A getUserMedia failure as an Error that says what to do.
function cameraError(e) {
  switch (e?.name) {
    case "NotAllowedError":
    case "SecurityError":
      return scannerError("NotAllowedError", "camera permission denied; allow the camera in the browser's site settings, or choose a photo instead", e);
    case "NotFoundError":
    case "OverconstrainedError":
      return scannerError("NotFoundError", "no camera found", e);
    case "NotReadableError":
    case "AbortError":
      return scannerError("NotReadableError", "the camera is in use by another application or tab", e);
    default:
      return scannerError(e?.name || "Error", String(e?.message ?? e), e);
  }
}

/**
 * Opens the camera: "environment" (then the main back lens, once labels are
 * visible), "user", or a deviceId; loosens the constraints on
 * OverconstrainedError. Resolves to the MediaStream; rejects with an Error
 * from cameraError().
 */
export async function openStream(which) {
  const size = { width: { ideal: 1920 }, height: { ideal: 1080 } };
  const byFacing = which === "environment" || which === "user";
  const video = byFacing
    ? { facingMode: { ideal: which }, ...size }
    : { deviceId: { exact: which }, ...size };
  let stream;
  try {
    stream = await navigator.mediaDevices.getUserMedia({ video, audio: false });
  } catch (e) {
    if (e?.name !== "OverconstrainedError") throw cameraError(e);
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: true, audio: false });
    } catch (e2) {
      throw cameraError(e2);
    }
  }
  // facingMode alone often gives the ultra-wide lens: once labels are
  // visible, switch to the main back camera if another one was opened.
  if (which === "environment") {
    try {
      const devices = await navigator.mediaDevices.enumerateDevices();
      const best = chooseBackCamera(devices);
      const current = stream.getVideoTracks()[0]?.getSettings?.().deviceId;
      if (best && current && best.deviceId !== current) {
        // One stream at a time: a second getUserMedia while the first is
        // live fails with NotReadableError on some phones.
        stream.getTracks().forEach((t) => t.stop());
        stream = await navigator.mediaDevices
          .getUserMedia({ video: { deviceId: { exact: best.deviceId }, ...size }, audio: false })
          .catch(() => navigator.mediaDevices.getUserMedia({ video, audio: false }));
      }
    } catch (e) {
      if (!stream.active) throw cameraError(e);
      // else keep the stream we have
    }
  }
  return stream;
}
