//! Time to interactive in headless Chromium: navigation start → the first event card from the
//! server in the widget, and → first contentful paint of the widget and of an empty Leptos
//! counter, loads interleaved, with the browser cache cleared before each.

use std::time::Duration;

use serde_json::{Value, json};

use crate::browser::Browser;
use crate::stats::{self, round3};

/// What `tti` measures.
#[derive(Debug, clap::Args)]
pub struct TtiArgs {
    /// The widget's page, e.g. `http://127.0.0.1:8080/?view=events`.
    #[arg(long)]
    widget: String,
    /// The counter's page, served by a static server.
    #[arg(long)]
    counter: String,
    /// Loads of each page.
    #[arg(long, default_value_t = 5)]
    loads: usize,
}

/// The element that means "interactive" on the widget's events screen.
const WIDGET_READY: &str = "[data-testid=event-card]";
/// The element that means "interactive" on the counter.
const COUNTER_READY: &str = "button";

/// Installed before any of the page's scripts: records `performance.now()` when `SELECTOR` first
/// matches.
const OBSERVER: &str = r"(() => {
  const sel = SELECTOR;
  const check = () => {
    if (window.__omkSeen === undefined && document.querySelector(sel)) {
      window.__omkSeen = performance.now();
      obs.disconnect();
    }
  };
  const obs = new MutationObserver(check);
  obs.observe(document, { childList: true, subtree: true });
})();";

/// Read after the load event, until both figures are there.
const READ: &str = r"
  const paint = performance.getEntriesByType('paint').find(e => e.name === 'first-contentful-paint');
  if (window.__omkSeen === undefined || !paint) return null;
  const nav = performance.getEntriesByType('navigation')[0];
  const bytes = performance.getEntriesByType('resource').reduce((sum, r) => sum + (r.transferSize || 0), nav ? nav.transferSize : 0);
  return { seen: window.__omkSeen, fcp: paint.startTime, load: nav ? nav.loadEventEnd : null, transfer: bytes };
";

/// One page's loads.
#[derive(Default)]
struct Loads {
    seen: Vec<f64>,
    fcp: Vec<f64>,
    load: Vec<f64>,
    transfer: Vec<f64>,
}

impl Loads {
    fn to_json(&self) -> Value {
        json!({
            "loads": self.seen.len(),
            "ready_ms": { "median": round3(stats::median(&self.seen)), "all": self.seen },
            "fcp_ms": { "median": round3(stats::median(&self.fcp)), "all": self.fcp },
            "load_event_ms": round3(stats::median(&self.load)),
            "transfer_bytes": stats::median(&self.transfer),
        })
    }
}

/// Loads each page `loads` times and reports medians and ratios.
pub async fn run(args: &TtiArgs) -> Result<Value, String> {
    let browser = Browser::start().await?;
    let result = measure(&browser, args).await;
    browser.close().await;
    result
}

async fn measure(browser: &Browser, args: &TtiArgs) -> Result<Value, String> {
    browser.cdp("Network.enable", json!({})).await?;
    let mut widget = Loads::default();
    let mut counter = Loads::default();
    // One unmeasured load of each warms the server and the browser's own start-up.
    for (url, ready) in [(&args.widget, WIDGET_READY), (&args.counter, COUNTER_READY)] {
        load(browser, url, ready).await?;
    }
    for _ in 0..args.loads {
        for (url, ready, into) in [
            (&args.widget, WIDGET_READY, &mut widget),
            (&args.counter, COUNTER_READY, &mut counter),
        ] {
            let figures = load(browser, url, ready).await?;
            let get = |key: &str| figures[key].as_f64().unwrap_or(0.0);
            into.seen.push(round3(get("seen")));
            into.fcp.push(round3(get("fcp")));
            into.load.push(get("load"));
            into.transfer.push(get("transfer"));
        }
    }
    let ratio = |a: f64, b: f64| if b > 0.0 { round3(a / b) } else { 0.0 };
    let widget_ready = stats::median(&widget.seen);
    let widget_fcp = stats::median(&widget.fcp);
    let counter_fcp = stats::median(&counter.fcp);
    Ok(json!({
        "widget": widget.to_json(),
        "counter": counter.to_json(),
        "widget_ready_selector": WIDGET_READY,
        "counter_ready_selector": COUNTER_READY,
        "ratio_widget_ready_to_counter_fcp": ratio(widget_ready, counter_fcp),
        "ratio_widget_fcp_to_counter_fcp": ratio(widget_fcp, counter_fcp),
    }))
}

/// One cold load of `url`: the cache cleared, the observer installed, then the figures read.
async fn load(browser: &Browser, url: &str, ready: &str) -> Result<Value, String> {
    browser.goto("about:blank").await?;
    browser.cdp("Network.clearBrowserCache", json!({})).await?;
    let source = OBSERVER.replace("SELECTOR", &json!(ready).to_string());
    let added = browser
        .cdp(
            "Page.addScriptToEvaluateOnNewDocument",
            json!({ "source": source }),
        )
        .await?;
    browser.goto(url).await?;
    let figures = browser.poll(READ, Duration::from_millis(50)).await;
    if let Some(identifier) = added["identifier"].as_str() {
        browser
            .cdp(
                "Page.removeScriptToEvaluateOnNewDocument",
                json!({ "identifier": identifier }),
            )
            .await?;
    }
    figures.map_err(|e| format!("{url}: {e}"))
}
