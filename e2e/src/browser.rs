//! One headless Chromium, driven over WebDriver by a chromedriver child process.

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::wd::WebDriverCompatibleCommand;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};

use crate::Result;

/// How long a scenario waits for the page to reach an expected state.
pub const WAIT: Duration = Duration::from_secs(20);

/// A DevTools command sent through chromedriver's `goog/cdp/execute`.
#[derive(Debug)]
struct Cdp {
    cmd: &'static str,
    params: Value,
}

impl WebDriverCompatibleCommand for Cdp {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> std::result::Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/goog/cdp/execute",
            session_id.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _request_url: &url::Url) -> (::http::Method, Option<String>) {
        let body = json!({ "cmd": self.cmd, "params": self.params });
        (::http::Method::POST, Some(body.to_string()))
    }
}

/// A Chromium session and the chromedriver that runs it; both end on drop.
pub struct Browser {
    pub client: Client,
    driver: Child,
    _profile: tempfile::TempDir,
}

impl Browser {
    /// Starts chromedriver (`CHROMEDRIVER`, default `/usr/bin/chromedriver`)
    /// on a free port and opens a fresh headless Chromium profile.
    pub async fn start() -> Result<Browser> {
        let driver_path =
            std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "/usr/bin/chromedriver".into());
        let port = free_port()?;
        let driver = Command::new(&driver_path)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot start {driver_path} (install chromium-driver): {e}"))?;
        let profile = tempfile::tempdir()?;
        let mut args = vec![
            "--headless=new".to_owned(),
            "--no-sandbox".to_owned(),
            "--disable-gpu".to_owned(),
            "--disable-quic".to_owned(),
            "--no-first-run".to_owned(),
            "--disable-background-networking".to_owned(),
            "--disable-component-update".to_owned(),
            "--disable-sync".to_owned(),
            "--disable-dev-shm-usage".to_owned(),
            "--window-size=1280,1000".to_owned(),
            "--lang=zh-CN".to_owned(),
        ];
        args.push(format!("--user-data-dir={}", profile.path().display()));
        let mut options = json!({ "args": args });
        if let Ok(binary) = std::env::var("CHROME_BIN") {
            options["binary"] = json!(binary);
        }
        let mut caps = serde_json::Map::new();
        caps.insert("goog:chromeOptions".into(), options);
        let url = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + WAIT;
        let client = loop {
            match ClientBuilder::native()
                .capabilities(caps.clone())
                .connect(&url)
                .await
            {
                Ok(client) => break client,
                Err(e) if Instant::now() > deadline => {
                    return Err(format!("chromedriver did not start a session: {e}").into());
                }
                Err(_) => tokio::time::sleep(Duration::from_millis(200)).await,
            }
        };
        Ok(Browser {
            client,
            driver,
            _profile: profile,
        })
    }

    /// Opens `url` and waits for the widget to have mounted.
    pub async fn open(&self, url: &str) -> Result<()> {
        self.client.goto(url).await?;
        self.wait_for("[data-testid=lang-toggle]").await?;
        Ok(())
    }

    /// Waits until an element matching `css` exists, and returns it.
    pub async fn wait_for(&self, css: &str) -> Result<Element> {
        self.client
            .wait()
            .at_most(WAIT)
            .for_element(Locator::Css(css))
            .await
            .map_err(|e| format!("waiting for {css}: {e}").into())
    }

    /// The element with `data-testid` = `id`, once it exists.
    pub async fn testid(&self, id: &str) -> Result<Element> {
        self.wait_for(&format!("[data-testid=\"{id}\"]")).await
    }

    /// Clicks the element with `data-testid` = `id`.
    pub async fn click(&self, id: &str) -> Result<()> {
        self.testid(id).await?.click().await?;
        Ok(())
    }

    /// Types into the element with `data-testid` = `id`.
    pub async fn type_into(&self, id: &str, text: &str) -> Result<()> {
        self.testid(id).await?.send_keys(text).await?;
        Ok(())
    }

    /// Waits until the text of `data-testid` = `id` satisfies `check`, and returns it.
    pub async fn wait_text(&self, id: &str, check: impl Fn(&str) -> bool) -> Result<String> {
        let deadline = Instant::now() + WAIT;
        let mut last = String::new();
        loop {
            if let Ok(el) = self
                .client
                .find(Locator::Css(&format!("[data-testid=\"{id}\"]")))
                .await
            {
                last = el.text().await.unwrap_or_default();
                if check(&last) {
                    return Ok(last);
                }
            }
            if Instant::now() > deadline {
                return Err(format!("text of {id} never matched; last seen {last:?}").into());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Sends a DevTools command (`Network.setBlockedURLs`, …) and returns its result.
    pub async fn cdp(&self, cmd: &'static str, params: Value) -> Result<Value> {
        Ok(self.client.issue_cmd(Cdp { cmd, params }).await?)
    }

    /// Runs a script in the page and returns its JSON result.
    pub async fn script(&self, js: &str) -> Result<serde_json::Value> {
        Ok(self.client.execute(js, vec![]).await?)
    }

    /// Waits until `check` holds for the value of a script, and returns it.
    pub async fn wait_script(
        &self,
        js: &str,
        check: impl Fn(&serde_json::Value) -> bool,
    ) -> Result<serde_json::Value> {
        let deadline = Instant::now() + WAIT;
        loop {
            let value = self.script(js).await?;
            if check(&value) {
                return Ok(value);
            }
            if Instant::now() > deadline {
                return Err(
                    format!("script {js:?} never satisfied the check; last {value}").into(),
                );
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Opens the kiosk and leaves the attract screen.
    pub async fn start_kiosk(&self, url: &str) -> Result<()> {
        self.open(url).await?;
        self.click("attract-start").await?;
        self.wait_for("[data-testid=nav-events]").await?;
        Ok(())
    }

    /// How many elements match `css` right now.
    pub async fn count(&self, css: &str) -> Result<usize> {
        Ok(self.client.find_all(Locator::Css(css)).await?.len())
    }

    /// Ends the session and the driver.
    pub async fn close(mut self) -> Result<()> {
        let closed = self.client.clone().close().await;
        let _ = self.driver.kill();
        let _ = self.driver.wait();
        closed?;
        Ok(())
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.driver.kill();
    }
}

/// A TCP port nobody is listening on right now.
pub fn free_port() -> Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}
