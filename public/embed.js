// Open Month Kiosk — embed loader.
//
//   <script src="https://kiosk.example.gov.cn/embed.js" defer></script>
//   <open-month-widget backend="https://kiosk.example.gov.cn" view="events" lang="zh-CN"></open-month-widget>
//
// Defines <open-month-widget>: each element mounts its own widget in a shadow
// root, so the host page's CSS cannot change it and its CSS cannot leak out.
// The WebAssembly module is loaded once, from where this script came from,
// and shared by every element on the page.
(() => {
  "use strict";
  if (customElements.get("open-month-widget")) return;

  const script = document.currentScript;
  const base = new URL(".", script ? script.src : document.baseURI).href;
  // The module must not mount a full-page kiosk when it starts.
  window.omkEmbedded = true;
  let module = null;
  // Fetches, beside the module, what a single-screen view needs at once: the chunk loader and the
  // screens' chunk (the build gives these their content-hashed names).
  let screensPreloaded = false;
  const preloadScreens = () => {
    if (screensPreloaded) return;
    screensPreloaded = true;
    for (const [rel, name, as] of [["modulepreload", "__wasm_split.js"], ["preload", "split_omk_screens.wasm", "fetch"]]) {
      const link = document.createElement("link");
      link.rel = rel;
      if (as) link.as = as;
      link.crossOrigin = "anonymous";
      link.href = new URL(name, base).href;
      document.head.append(link);
    }
  };
  const load = () => {
    if (!module) {
      module = import(new URL("open-month-kiosk.js", base).href).then(async (m) => {
        await m.default({ module_or_path: new URL("open-month-kiosk_bg.wasm", base).href });
        return m;
      });
    }
    return module;
  };

  // Attributes a host may set; `data-` forms are accepted too. `backend` and
  // `allow-backend-from-url` are the host's to set: a link's `?omk-…` parameters may not.
  const SETTINGS = [
    "backend", "allow-backend-from-url", "view", "lang", "theme", "idle-timeout", "idle-warning",
    "kiosk-id", "refresh-after-resets", "event", "number", "dwell", "seniors", "contrast",
  ];

  class OpenMonthWidget extends HTMLElement {
    connectedCallback() {
      if (this.omkId !== undefined) return;
      this.omkId = null;
      const root = this.shadowRoot || this.attachShadow({ mode: "open" });
      const style = document.createElement("link");
      style.rel = "stylesheet";
      style.href = new URL("main.css", base).href;
      const host = document.createElement("div");
      host.className = "omk-host";
      root.replaceChildren(style, host);
      const settings = {};
      for (const name of SETTINGS) {
        const value = this.getAttribute(name) ?? this.getAttribute("data-" + name);
        if (value !== null) settings[name] = value;
      }
      if (settings.view && settings.view.trim() !== "kiosk") preloadScreens();
      load()
        .then((m) => {
          if (!this.isConnected) return;
          this.omkId = m.mount_widget(host, settings, base);
        })
        .catch((error) => {
          host.textContent = "Open Month Kiosk could not start: " + error;
          host.setAttribute("role", "alert");
        });
    }

    disconnectedCallback() {
      if (typeof this.omkId === "number") {
        load().then((m) => m.unmount_widget(this.omkId));
      }
      this.omkId = undefined;
    }
  }

  customElements.define("open-month-widget", OpenMonthWidget);
})();
