//! One headless Chromium, driven over WebDriver by a chromedriver child process, with DevTools
//! commands and chromedriver's other session extensions (`goog/cdp/execute`, `se/log`): the
//! launcher the browser suite and the benchmarks share.

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::error::CmdError;
use fantoccini::wd::WebDriverCompatibleCommand;
use fantoccini::{Client, ClientBuilder};
use serde_json::{Value, json};

/// How long chromedriver may take to open a session.
const START_WAIT: Duration = Duration::from_secs(30);

/// Why no browser could be had.
#[derive(Debug, thiserror::Error)]
pub enum LaunchError {
    #[error("no free port for chromedriver: {0}")]
    Port(#[source] std::io::Error),
    #[error("cannot start {path} (install chromium-driver): {source}")]
    Driver {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("temporary browser profile: {0}")]
    Profile(#[source] std::io::Error),
    #[error("chromedriver did not start a session: {0}")]
    Session(String),
}

/// How the browser starts.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Keep what pages log, to be drained with [`browser_log`].
    pub browser_log: bool,
    /// Keep the DevTools network events of every page, to be drained with [`network_log`].
    pub network_log: bool,
}

/// A Chromium session with a fresh profile and its chromedriver; both end on drop.
pub struct Chromium {
    pub client: Client,
    driver: Child,
    _profile: tempfile::TempDir,
}

/// A chromedriver extension command: a POST of `body` to `session/{id}/{path}`.
#[derive(Debug)]
struct SessionPost {
    path: &'static str,
    body: Value,
}

impl WebDriverCompatibleCommand for SessionPost {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/{}",
            session_id.unwrap_or_default(),
            self.path
        ))
    }

    fn method_and_body(&self, _request_url: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(self.body.to_string()))
    }
}

impl Chromium {
    /// Starts chromedriver (`CHROMEDRIVER`, default `/usr/bin/chromedriver`) on a free port and
    /// opens headless Chromium (`CHROME_BIN` when set) with a fresh profile, at 1280×1000 in
    /// zh-CN, with background throttling off so that hidden timers run as on a kiosk.
    pub async fn start(options: Options) -> Result<Chromium, LaunchError> {
        let path = std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "/usr/bin/chromedriver".into());
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .map_err(LaunchError::Port)?
            .port();
        let mut driver = Command::new(&path)
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|source| LaunchError::Driver {
                path: path.clone(),
                source,
            })?;
        let profile = match tempfile::tempdir() {
            Ok(profile) => profile,
            Err(err) => {
                stop(&mut driver);
                return Err(LaunchError::Profile(err));
            }
        };
        let args = [
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
            "--disable-renderer-backgrounding",
            "--disable-background-timer-throttling",
            "--window-size=1280,1000",
            "--lang=zh-CN",
        ]
        .map(str::to_owned)
        .into_iter()
        .chain([format!("--user-data-dir={}", profile.path().display())])
        .collect::<Vec<_>>();
        let mut chrome = json!({ "args": args });
        if let Ok(binary) = std::env::var("CHROME_BIN") {
            chrome["binary"] = json!(binary);
        }
        let mut caps = serde_json::Map::new();
        caps.insert("goog:chromeOptions".into(), chrome);
        let mut logs = serde_json::Map::new();
        if options.browser_log {
            logs.insert("browser".into(), json!("ALL"));
        }
        if options.network_log {
            logs.insert("performance".into(), json!("ALL"));
        }
        if !logs.is_empty() {
            caps.insert("goog:loggingPrefs".into(), Value::Object(logs));
        }
        let url = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + START_WAIT;
        let client = loop {
            match ClientBuilder::native()
                .capabilities(caps.clone())
                .connect(&url)
                .await
            {
                Ok(client) => break client,
                Err(err) if Instant::now() > deadline => {
                    stop(&mut driver);
                    return Err(LaunchError::Session(err.to_string()));
                }
                Err(_) => tokio::time::sleep(Duration::from_millis(200)).await,
            }
        };
        Ok(Chromium {
            client,
            driver,
            _profile: profile,
        })
    }

    /// Sends a DevTools command and returns its result.
    pub async fn cdp(&self, cmd: &str, params: Value) -> Result<Value, CmdError> {
        cdp(&self.client, cmd, params).await
    }

    /// Ends the session and the driver.
    pub async fn close(mut self) {
        let _ = self.client.clone().close().await;
        stop(&mut self.driver);
    }
}

/// Sends a DevTools command through a session's client and returns its result.
pub async fn cdp(client: &Client, cmd: &str, params: Value) -> Result<Value, CmdError> {
    let body = json!({ "cmd": cmd, "params": params });
    client
        .issue_cmd(SessionPost {
            path: "goog/cdp/execute",
            body,
        })
        .await
}

/// Drains what the session's pages logged since the last call (needs [`Options::browser_log`]).
pub async fn browser_log(client: &Client) -> Result<Value, CmdError> {
    drain(client, "browser").await
}

/// Drains the DevTools events (`Network.*`, `Page.*`) since the last call, each a log entry
/// whose `message` is the event as JSON (needs [`Options::network_log`]).
pub async fn network_log(client: &Client) -> Result<Value, CmdError> {
    drain(client, "performance").await
}

async fn drain(client: &Client, kind: &str) -> Result<Value, CmdError> {
    let body = json!({ "type": kind });
    client
        .issue_cmd(SessionPost {
            path: "se/log",
            body,
        })
        .await
}

impl Drop for Chromium {
    fn drop(&mut self) {
        stop(&mut self.driver);
    }
}

fn stop(driver: &mut Child) {
    let _ = driver.kill();
    let _ = driver.wait();
}
