//! One headless Chromium driven through chromedriver, with the DevTools protocol reached through
//! chromedriver's `goog/cdp/execute` passthrough.

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::wd::WebDriverCompatibleCommand;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};

/// How long the page may take to reach an expected state.
pub const WAIT: Duration = Duration::from_secs(30);

/// A Chromium session and its chromedriver; both end on drop.
pub struct Browser {
    pub client: Client,
    driver: Child,
    _profile: tempfile::TempDir,
}

/// A DevTools command sent through chromedriver.
#[derive(Debug)]
struct Cdp {
    cmd: String,
    params: Value,
}

impl WebDriverCompatibleCommand for Cdp {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/goog/cdp/execute",
            session_id.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _request_url: &url::Url) -> (http::Method, Option<String>) {
        let body = json!({ "cmd": self.cmd, "params": self.params });
        (http::Method::POST, Some(body.to_string()))
    }
}

impl Browser {
    /// Starts chromedriver (`CHROMEDRIVER`, default `/usr/bin/chromedriver`) on a free port with
    /// a fresh headless profile.
    pub async fn start() -> Result<Browser, String> {
        let driver_path =
            std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "/usr/bin/chromedriver".into());
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map_err(|e| format!("no free port: {e}"))?
            .port();
        let driver = Command::new(&driver_path)
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot start {driver_path} (install chromium-driver): {e}"))?;
        let profile = tempfile::tempdir().map_err(|e| format!("temporary profile: {e}"))?;
        let args = vec![
            "--headless=new".to_owned(),
            "--no-sandbox".to_owned(),
            "--disable-gpu".to_owned(),
            "--disable-quic".to_owned(),
            "--no-first-run".to_owned(),
            "--disable-background-networking".to_owned(),
            "--disable-component-update".to_owned(),
            "--disable-sync".to_owned(),
            "--disable-dev-shm-usage".to_owned(),
            "--disable-renderer-backgrounding".to_owned(),
            "--disable-background-timer-throttling".to_owned(),
            "--window-size=1280,1000".to_owned(),
            "--lang=zh-CN".to_owned(),
            format!("--user-data-dir={}", profile.path().display()),
        ];
        let mut options = json!({ "args": args });
        if let Ok(binary) = std::env::var("CHROME_BIN") {
            options["binary"] = json!(binary);
        }
        let mut caps = serde_json::Map::new();
        caps.insert("goog:chromeOptions".into(), options);
        let url = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + WAIT;
        let mut driver = Some(driver);
        let client = loop {
            match ClientBuilder::native()
                .capabilities(caps.clone())
                .connect(&url)
                .await
            {
                Ok(client) => break client,
                Err(e) if Instant::now() > deadline => {
                    if let Some(mut driver) = driver.take() {
                        let _ = driver.kill();
                        let _ = driver.wait();
                    }
                    return Err(format!("chromedriver did not start a session: {e}"));
                }
                Err(_) => tokio::time::sleep(Duration::from_millis(200)).await,
            }
        };
        Ok(Browser {
            client,
            driver: driver.ok_or("chromedriver went away")?,
            _profile: profile,
        })
    }

    /// Sends a DevTools command and returns its result.
    pub async fn cdp(&self, cmd: &str, params: Value) -> Result<Value, String> {
        self.client
            .issue_cmd(Cdp {
                cmd: cmd.to_owned(),
                params,
            })
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
    pub async fn close(mut self) {
        let _ = self.client.clone().close().await;
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.driver.kill();
        let _ = self.driver.wait();
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
