// Open Month Kiosk — iframe sizing for host pages that cannot load the
// custom element (for example under a strict Content-Security-Policy).
//
//   <iframe data-omk-frame src="https://kiosk.example.gov.cn/?view=figures" title="…"></iframe>
//   <script src="https://kiosk.example.gov.cn/frame-host.js" defer></script>
//
// The widget in the frame posts its height; this script accepts the message
// only from the frame's own origin and window, then sizes the frame to fit.
(() => {
  "use strict";
  window.addEventListener("message", (event) => {
    const data = event.data;
    if (!data || data.type !== "omk:resize" || typeof data.height !== "number") return;
    for (const frame of document.querySelectorAll("iframe[data-omk-frame]")) {
      let origin;
      try {
        origin = new URL(frame.src, document.baseURI).origin;
      } catch {
        continue;
      }
      if (frame.contentWindow === event.source && origin === event.origin) {
        const height = Math.max(120, Math.min(Math.ceil(data.height), 20000));
        frame.style.height = height + "px";
      }
    }
  });
})();
