//! The benchmarks' headless Chromium: `omk-chromium`'s launcher (the one the browser suite uses)
//! and the page helpers the benchmarks need.

use std::time::{Duration, Instant};

use fantoccini::{Client, Locator};
use omk_chromium::Chromium;
use serde_json::{Value, json};

/// How long the page may take to reach an expected state.
pub const WAIT: Duration = Duration::from_secs(30);

/// A Chromium session and its chromedriver; both end on drop.
pub struct Browser {
    pub client: Client,
    chromium: Chromium,
}

impl Browser {
    /// Starts chromedriver and headless Chromium with a fresh profile.
    pub async fn start() -> Result<Browser, String> {
        Browser::start_with(omk_chromium::Options::default()).await
    }

    /// Starts chromedriver and headless Chromium with a fresh profile and these options.
    pub async fn start_with(options: omk_chromium::Options) -> Result<Browser, String> {
        let chromium = Chromium::start(options).await.map_err(|e| e.to_string())?;
        Ok(Browser {
            client: chromium.client.clone(),
            chromium,
        })
    }

    /// Sends a DevTools command and returns its result.
    pub async fn cdp(&self, cmd: &str, params: Value) -> Result<Value, String> {
        self.chromium
            .cdp(cmd, params)
            .await
            .map_err(|e| format!("{cmd}: {e}"))
    }

    /// Opens `url` (returns after the load event).
    pub async fn goto(&self, url: &str) -> Result<(), String> {
        self.client
            .goto(url)
            .await
            .map_err(|e| format!("opening {url}: {e}"))
    }

    /// Runs a script in the page and returns its result.
    pub async fn script(&self, js: &str) -> Result<Value, String> {
        self.client
            .execute(js, vec![])
            .await
            .map_err(|e| format!("script failed: {e}"))
    }

    /// Runs an asynchronous script with `args`; it ends by calling its last argument, whose
    /// value this returns.
    pub async fn script_async(&self, js: &str, args: Vec<Value>) -> Result<Value, String> {
        self.client
            .execute_async(js, args)
            .await
            .map_err(|e| format!("script failed: {e}"))
    }

    /// Polls a script every `every` until its result is not `null`, for at most [`WAIT`].
    pub async fn poll(&self, js: &str, every: Duration) -> Result<Value, String> {
        let deadline = Instant::now() + WAIT;
        loop {
            let value = self.script(js).await?;
            if !value.is_null() {
                return Ok(value);
            }
            if Instant::now() > deadline {
                return Err(format!("waited {} s for {js:?}", WAIT.as_secs()));
            }
            tokio::time::sleep(every).await;
        }
    }

    /// Waits for an element matching `css` to exist.
    pub async fn wait_for(&self, css: &str) -> Result<(), String> {
        self.client
            .wait()
            .at_most(WAIT)
            .for_element(Locator::Css(css))
            .await
            .map(|_| ())
            .map_err(|e| format!("waiting for {css}: {e}"))
    }

    /// Clicks the element with `data-testid` = `id`, once it exists.
    pub async fn click(&self, id: &str) -> Result<(), String> {
        let css = format!("[data-testid=\"{id}\"]");
        let element = self
            .client
            .wait()
            .at_most(WAIT)
            .for_element(Locator::Css(&css))
            .await
            .map_err(|e| format!("waiting for {css}: {e}"))?;
        element
            .click()
            .await
            .map_err(|e| format!("clicking {css}: {e}"))
    }

    /// Waits for `css` by polling a script, holding no element reference: chromedriver keeps every
    /// element it hands out alive, which a long run would count as detached DOM nodes.
    pub async fn wait_present(&self, css: &str) -> Result<(), String> {
        let probe = format!("return !!document.querySelector({});", json!(css));
        let deadline = Instant::now() + WAIT;
        while self.script(&probe).await? != Value::Bool(true) {
            if Instant::now() > deadline {
                return Err(format!("waiting for {css}: not there after {WAIT:?}"));
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        Ok(())
    }

    /// Taps the element with `data-testid` = `id` once it exists (pointer down, then click, as a
    /// finger would), through a script, holding no element reference (see [`Self::wait_present`]).
    pub async fn tap(&self, id: &str) -> Result<(), String> {
        let css = format!("[data-testid=\"{id}\"]");
        self.wait_present(&css).await?;
        let tap = format!(
            "const e = document.querySelector({});
             if (!e) return false;
             e.dispatchEvent(new PointerEvent('pointerdown', {{ bubbles: true }}));
             e.click();
             return true;",
            json!(css)
        );
        match self.script(&tap).await? {
            Value::Bool(true) => Ok(()),
            other => Err(format!("tapping {css}: {other}")),
        }
    }

    /// The page's JS heap, DOM nodes and event listeners after a forced garbage collection.
    pub async fn heap_after_gc(&self) -> Result<Heap, String> {
        self.cdp("Performance.enable", json!({})).await?;
        for _ in 0..3 {
            self.cdp("HeapProfiler.collectGarbage", json!({})).await?;
        }
        let metrics = self.cdp("Performance.getMetrics", json!({})).await?;
        let value = |name: &str| {
            metrics["metrics"]
                .as_array()
                .and_then(|all| all.iter().find(|m| m["name"] == name))
                .and_then(|m| m["value"].as_f64())
                .unwrap_or(0.0)
        };
        Ok(Heap {
            js_heap_used: value("JSHeapUsedSize"),
            nodes: value("Nodes"),
            listeners: value("JSEventListeners"),
        })
    }

    /// Ends the session and the driver.
    pub async fn close(self) {
        self.chromium.close().await;
    }
}

/// A page's memory figures (`Performance.getMetrics`).
#[derive(Debug, Clone, Copy)]
pub struct Heap {
    pub js_heap_used: f64,
    pub nodes: f64,
    pub listeners: f64,
}

impl Heap {
    pub fn to_json(self) -> Value {
        json!({
            "js_heap_used_bytes": self.js_heap_used,
            "nodes": self.nodes,
            "js_event_listeners": self.listeners,
        })
    }
}
