// A React component that scans while it is mounted. Under StrictMode (in
// development) React mounts, unmounts and mounts every component again at
// once; the Scanner makes that open the camera only once: the first
// scanner's stop() comes before its start() has run, so it never opens it.
import { StrictMode, useEffect, useRef, useState } from "react";
import { createRoot } from "react-dom/client";
import { Scanner } from "civiqr";

/** The camera view; calls onText with each code's text. */
function QrScanner({ onText }) {
  const video = useRef(null);
  const onTextRef = useRef(onText);
  const [error, setError] = useState(null);
  useEffect(() => {
    onTextRef.current = onText;
  });
  useEffect(() => {
    const scanner = new Scanner(video.current, (r) => onTextRef.current(r.text ?? "(binary data)"));
    window.civiqrExample = { scanner }; // for the browser test
    scanner.start().catch((e) => setError(e.message));
    // Unmounting releases the camera and ends the worker.
    return () => {
      scanner.destroy();
    };
  }, []);
  return (
    <>
      <video ref={video} width={320} />
      {error && <p role="alert">{error}</p>}
    </>
  );
}

function App() {
  const [open, setOpen] = useState(false);
  const [text, setText] = useState("");
  return (
    <main>
      <h1>civiqr with React</h1>
      <button id="toggle" type="button" onClick={() => setOpen((o) => !o)}>
        {open ? "Close the scanner" : "Scan a QR Code"}
      </button>
      {open && <QrScanner onText={setText} />}
      <p>
        Read: <output id="result">{text}</output>
      </p>
    </main>
  );
}

createRoot(document.getElementById("root")).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
