//! The suite's headless Chromium (started by `omk-chromium`, the launcher the benchmarks share)
//! and its console: every error a page logs fails the scenario unless that scenario expected it.

use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::{Client, Locator};
use omk_chromium::Chromium;
use serde_json::{Value, json};

use crate::Result;

/// How long a scenario waits for the page to reach an expected state.
pub const WAIT: Duration = Duration::from_secs(20);

/// The console of the browser session, shared with the [`Suite`](crate::Suite) so that it
/// can check it after every scenario.
#[derive(Clone)]
pub struct Console {
    client: Client,
    /// Substrings of the errors the running scenario causes on purpose.
    expected: Arc<Mutex<Vec<String>>>,
}

impl Console {
    /// Allows console errors that match `pattern` until the running scenario ends.
    pub fn expect_error(&self, pattern: &str) {
        if let Ok(mut expected) = self.expected.lock() {
            expected.push(pattern.to_owned());
        }
    }

    /// Ends a scenario: leaves the page (so nothing it logs later is counted against the next
    /// scenario), drains the console, forgets the expected errors and returns every error no
    /// expectation allowed.
    pub async fn finish_scenario(&self) -> Result<Vec<String>> {
        let left = self.client.goto("about:blank").await;
        let entries = omk_chromium::browser_log(&self.client).await;
        let expected = self
            .expected
            .lock()
            .map(|mut e| std::mem::take(&mut *e))
            .unwrap_or_default();
        left?;
        let entries = match entries? {
            Value::Array(entries) => entries,
            other => return Err(format!("the browser log is not a list: {other}").into()),
        };
        Ok(entries
            .iter()
            .filter(|e| e["level"] == "SEVERE")
            .map(|e| e["message"].as_str().unwrap_or_default().to_owned())
            .filter(|message| !expected.iter().any(|p| matches(message, p)))
            .collect())
    }
}

/// Whether `message` contains `pattern`, where a `*` in the pattern stands for any text.
fn matches(message: &str, pattern: &str) -> bool {
    let mut rest = message;
    for part in pattern.split('*') {
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    true
}

/// A Chromium session (the launcher the benchmarks share) and its console.
pub struct Browser {
    pub client: Client,
    console: Console,
    chromium: Chromium,
}

impl Browser {
    /// Starts chromedriver and a fresh headless Chromium profile that keeps what pages log.
    pub async fn start() -> Result<Browser> {
        let chromium = Chromium::start(omk_chromium::Options {
            browser_log: true,
            network_log: false,
        })
        .await?;
        let client = chromium.client.clone();
        let console = Console {
            client: client.clone(),
            expected: Arc::default(),
        };
        // Whatever the blank start page logged is no scenario's.
        console.finish_scenario().await?;
        Ok(Browser {
            client,
            console,
            chromium,
        })
    }

    /// The session's console, for the suite's check after every scenario.
    pub fn console(&self) -> Console {
        self.console.clone()
    }

    /// Declares that the running scenario makes pages log errors that contain `pattern`, where a
    /// `*` stands for any text: a URL and what became of it, such as `/api/v1/registrations -
    /// Failed to load resource: the server responded with a status of 409`, or
    /// `http://127.0.0.1:4000/api/v1/* - Failed to load resource: net::ERR_CONNECTION_REFUSED`.
    /// Any other console error fails the scenario. Forgotten when the scenario ends.
    pub fn expect_console_error(&self, pattern: &str) {
        self.console.expect_error(pattern);
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
        Ok(self.chromium.cdp(cmd, params).await?)
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
        self.wait_script_within(js, check, WAIT).await
    }

    /// [`Browser::wait_script`] with its own time limit, for what takes longer than [`WAIT`].
    pub async fn wait_script_within(
        &self,
        js: &str,
        check: impl Fn(&serde_json::Value) -> bool,
        limit: Duration,
    ) -> Result<serde_json::Value> {
        let deadline = Instant::now() + limit;
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

    /// Waits until the image with `data-testid` = `id` has loaded and has a size, and returns
    /// the URL it was loaded from.
    pub async fn loaded_image(&self, id: &str) -> Result<String> {
        let src = self
            .wait_script(
                &format!(
                    "const i = document.querySelector('[data-testid=\"{id}\"]');\
                     return i && i.complete && i.naturalWidth > 0 ? i.currentSrc : null;"
                ),
                |v| v.is_string(),
            )
            .await
            .map_err(|e| format!("image {id} never loaded: {e}"))?;
        Ok(src.as_str().unwrap_or_default().to_owned())
    }

    /// The URL of the page's latest request whose URL contains `part` (from the Resource
    /// Timing entries), so a test can ask the server the very question the page asked.
    pub async fn last_request(&self, part: &str) -> Result<String> {
        let url = self
            .script(&format!(
                "return performance.getEntriesByType('resource').map(e => e.name)\
                   .filter(n => n.includes({part:?})).pop() || null;"
            ))
            .await?;
        url.as_str()
            .map(str::to_owned)
            .ok_or_else(|| format!("the page made no request to {part}").into())
    }

    /// Waits until the page's outbox holds nothing: every write it made has been acknowledged
    /// (or refused for good) by the server.
    pub async fn outbox_drained(&self) -> Result<()> {
        self.outbox_drained_within(WAIT).await
    }

    /// [`Browser::outbox_drained`], waiting up to `limit` (retries back off after an outage).
    pub async fn outbox_drained_within(&self, limit: Duration) -> Result<()> {
        self.wait_script_within(
            "const o = localStorage.getItem('omk.outbox.v1');\
             return o ? JSON.parse(o).items.length : 0;",
            |v| v == &json!(0),
            limit,
        )
        .await
        .map_err(|e| format!("the outbox never emptied: {e}"))?;
        Ok(())
    }

    /// How many elements match `css` right now.
    pub async fn count(&self, css: &str) -> Result<usize> {
        Ok(self.client.find_all(Locator::Css(css)).await?.len())
    }

    /// Ends the session and the driver.
    pub async fn close(self) -> Result<()> {
        self.chromium.close().await;
        Ok(())
    }
}

/// A TCP port nobody is listening on right now.
pub fn free_port() -> Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

#[cfg(test)]
mod tests {
    use super::matches;

    #[test]
    fn patterns_match_text_in_order_with_stars_for_anything() {
        let refused = "http://127.0.0.1:4000/api/v1/issues - Failed to load resource: \
                       net::ERR_CONNECTION_REFUSED";
        assert!(matches(refused, "/api/v1/issues - Failed"));
        assert!(matches(
            refused,
            "127.0.0.1:4000/api/v1/* - * net::ERR_CONNECTION_REFUSED"
        ));
        assert!(!matches(refused, "127.0.0.1:4001/api/v1/*REFUSED"));
        assert!(!matches(refused, "REFUSED*/api/v1/"));
        assert!(!matches(refused, "status of 409"));
    }
}
