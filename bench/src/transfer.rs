//! Bytes over the wire in headless Chromium: what a first visit and a repeat visit of each page
//! receive, request by request, counted from Chromium's own network events (headers and bodies
//! as they arrived, compressed); an open event stream, which Chromium does not count until it
//! ends, is counted by making its request again (see [`crate::replay`]).

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::browser::Browser;
use crate::replay;

/// What `transfer` measures.
#[derive(Debug, clap::Args)]
pub struct TransferArgs {
    /// The pages, as a JSON array of `{ "name", "url", "ready", "tap"?, "then"? }`: `ready` is
    /// the CSS selector that means the page is up; `tap` a `data-testid` to tap after that, and
    /// `then` the selector that means what it opened is up.
    #[arg(long)]
    pages: String,
    /// How long the network must stay quiet before a page counts as loaded.
    #[arg(long, default_value_t = 1000)]
    quiet_ms: u64,
}

/// One page to visit.
#[derive(Debug, serde::Deserialize)]
struct Page {
    name: String,
    url: String,
    ready: String,
    #[serde(default)]
    tap: Option<String>,
    #[serde(default)]
    then: Option<String>,
}

/// One request as Chromium's network events tell it.
#[derive(Debug, Default, Clone)]
struct Request {
    url: String,
    kind: String,
    status: i64,
    encoding: String,
    /// Monotonic seconds (DevTools clock).
    sent: f64,
    finished: Option<f64>,
    /// Bytes received: the final count once loading finished, else the sum of data received.
    bytes: f64,
    /// Decoded bytes received, for a response still open.
    decoded: f64,
    from_cache: bool,
}

/// Visits each page once with an empty cache and once more with the cache of the first visit.
pub async fn run(args: &TransferArgs) -> Result<Value, String> {
    let pages: Vec<Page> =
        serde_json::from_str(&args.pages).map_err(|e| format!("--pages: {e}"))?;
    let browser = Browser::start_with(omk_chromium::Options {
        browser_log: false,
        network_log: true,
    })
    .await?;
    let result = measure(&browser, &pages, Duration::from_millis(args.quiet_ms)).await;
    browser.close().await;
    result
}

async fn measure(browser: &Browser, pages: &[Page], quiet: Duration) -> Result<Value, String> {
    let mut out = serde_json::Map::new();
    for page in pages {
        forget_everything(browser, &page.url).await?;
        let first = visit(browser, page, quiet).await?;
        browser.goto("about:blank").await?;
        drain(browser).await?;
        let repeat = visit(browser, page, quiet).await?;
        out.insert(
            page.name.clone(),
            json!({ "url": page.url, "first": first, "repeat": repeat }),
        );
    }
    Ok(Value::Object(out))
}

/// A new visitor: no cache, no cookies, nothing stored for the page's origin.
async fn forget_everything(browser: &Browser, url: &str) -> Result<(), String> {
    browser.goto("about:blank").await?;
    browser.cdp("Network.clearBrowserCache", json!({})).await?;
    browser
        .cdp("Network.clearBrowserCookies", json!({}))
        .await?;
    browser
        .cdp(
            "Storage.clearDataForOrigin",
            json!({ "origin": origin(url), "storageTypes": "all" }),
        )
        .await?;
    drain(browser).await?;
    Ok(())
}

/// `scheme://host:port` of a URL.
fn origin(url: &str) -> String {
    let after_scheme = url.find("://").map_or(0, |at| at + 3);
    let end = url[after_scheme..]
        .find('/')
        .map_or(url.len(), |at| after_scheme + at);
    url[..end].to_owned()
}

/// Opens the page, waits for it (and for what a tap opens), then for a quiet network, and
/// returns every request it made. A repeat visit keeps what the first stored, as a returning
/// visitor's browser does.
async fn visit(browser: &Browser, page: &Page, quiet: Duration) -> Result<Value, String> {
    browser.goto(&page.url).await?;
    browser.wait_present(&page.ready).await?;
    let mut requests = BTreeMap::new();
    settle(browser, quiet, &mut requests).await?;
    if let Some(tap) = &page.tap {
        browser.tap(tap).await?;
        if let Some(then) = &page.then {
            browser.wait_present(then).await?;
        }
        settle(browser, quiet, &mut requests).await?;
    }
    // Chromium counts an open event stream's compressed bytes only once it ends: the same
    // request is made again and counted on the wire.
    for request in requests.values_mut() {
        if request.kind == "EventSource" && request.finished.is_none() && request.decoded > 0.0 {
            let bytes =
                replay::stream_bytes(&request.url, &request.encoding, request.decoded as usize)
                    .await?;
            request.bytes = bytes as f64;
        }
    }
    Ok(summary(&requests))
}

/// Reads network events until none has come for `quiet`.
async fn settle(
    browser: &Browser,
    quiet: Duration,
    requests: &mut BTreeMap<String, Request>,
) -> Result<(), String> {
    let deadline = Instant::now() + crate::browser::WAIT;
    let mut last_event = Instant::now();
    loop {
        let mut network = false;
        for event in drain(browser).await? {
            // Every event is applied: no short-circuit.
            network |= apply(&event, requests);
        }
        if network {
            last_event = Instant::now();
        }
        if last_event.elapsed() >= quiet {
            return Ok(());
        }
        if Instant::now() > deadline {
            return Err("the network never went quiet".to_owned());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The network events logged since the last call.
async fn drain(browser: &Browser) -> Result<Vec<Value>, String> {
    let log = omk_chromium::network_log(&browser.client)
        .await
        .map_err(|e| format!("network log: {e}"))?;
    Ok(log
        .as_array()
        .map(|entries| {
            entries
                .iter()
                .filter_map(|entry| entry["message"].as_str())
                .filter_map(|text| serde_json::from_str::<Value>(text).ok())
                .map(|message| message["message"].clone())
                .collect()
        })
        .unwrap_or_default())
}

/// Folds one DevTools event into the requests; whether it was a network event.
fn apply(event: &Value, requests: &mut BTreeMap<String, Request>) -> bool {
    let params = &event["params"];
    let Some(id) = params["requestId"].as_str() else {
        return false;
    };
    match event["method"].as_str().unwrap_or_default() {
        "Network.requestWillBeSent" => {
            let url = params["request"]["url"].as_str().unwrap_or_default();
            if url.starts_with("data:") || url.starts_with("blob:") {
                return false;
            }
            let request = requests.entry(id.to_owned()).or_default();
            request.url = url.to_owned();
            request.kind = params["type"].as_str().unwrap_or_default().to_owned();
            request.sent = params["timestamp"].as_f64().unwrap_or_default();
        }
        "Network.responseReceived" => {
            let Some(request) = requests.get_mut(id) else {
                return false;
            };
            let response = &params["response"];
            request.status = response["status"].as_i64().unwrap_or_default();
            request.kind = params["type"].as_str().unwrap_or(&request.kind).to_owned();
            request.from_cache = response["fromDiskCache"] == true
                || response["fromPrefetchCache"] == true
                || response["fromServiceWorker"] == true;
            request.encoding = header(&response["headers"], "content-encoding");
        }
        "Network.requestServedFromCache" => {
            if let Some(request) = requests.get_mut(id) {
                request.from_cache = true;
            }
        }
        "Network.dataReceived" => {
            let Some(request) = requests.get_mut(id) else {
                return false;
            };
            if request.finished.is_none() {
                // An event stream's chunks report no encoded length until it ends; it is sent
                // uncompressed, so its data length is what arrived (framing aside).
                let encoded = params["encodedDataLength"].as_f64().unwrap_or_default();
                let data = params["dataLength"].as_f64().unwrap_or_default();
                request.bytes += if encoded > 0.0 { encoded } else { data };
                request.decoded += data;
            }
        }
        "Network.loadingFinished" => {
            let Some(request) = requests.get_mut(id) else {
                return false;
            };
            request.finished = params["timestamp"].as_f64();
            request.bytes = params["encodedDataLength"].as_f64().unwrap_or_default();
        }
        "Network.loadingFailed" => {
            let Some(request) = requests.get_mut(id) else {
                return false;
            };
            request.finished = params["timestamp"].as_f64();
        }
        _ => return false,
    }
    true
}

/// A response header, whatever its case.
fn header(headers: &Value, name: &str) -> String {
    headers
        .as_object()
        .and_then(|all| {
            all.iter()
                .find(|(key, _)| key.eq_ignore_ascii_case(name))
                .and_then(|(_, value)| value.as_str())
        })
        .unwrap_or_default()
        .to_owned()
}

/// Total bytes and every request, times in ms from the first request.
fn summary(requests: &BTreeMap<String, Request>) -> Value {
    let start = requests
        .values()
        .map(|r| r.sent)
        .fold(f64::INFINITY, f64::min);
    let mut list: Vec<&Request> = requests.values().collect();
    list.sort_by(|a, b| a.sent.total_cmp(&b.sent));
    let ms = |t: f64| ((t - start) * 1000.0 * 10.0).round() / 10.0;
    let total: f64 = list.iter().map(|r| r.bytes).sum();
    json!({
        "bytes": total,
        "requests": list.iter().map(|r| json!({
            "url": r.url,
            "type": r.kind,
            "status": r.status,
            "encoding": r.encoding,
            "bytes": r.bytes,
            "from_cache": r.from_cache,
            "sent_ms": ms(r.sent),
            "finished_ms": r.finished.map(ms),
        })).collect::<Vec<_>>(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(method: &str, params: Value) -> Value {
        json!({ "method": method, "params": params })
    }

    #[test]
    fn origins_end_before_the_path() {
        assert_eq!(
            origin("http://127.0.0.1:80/?view=events"),
            "http://127.0.0.1:80"
        );
        assert_eq!(origin("http://h"), "http://h");
    }

    #[test]
    fn a_finished_request_counts_its_final_bytes_and_a_stream_its_data_so_far() {
        let mut requests = BTreeMap::new();
        let events = [
            event(
                "Network.requestWillBeSent",
                json!({ "requestId": "1", "timestamp": 1.0, "type": "Script",
                        "request": { "url": "http://h/app.js" } }),
            ),
            event(
                "Network.responseReceived",
                json!({ "requestId": "1", "type": "Script", "response": {
                    "status": 200, "headers": { "Content-Encoding": "br" } } }),
            ),
            event(
                "Network.dataReceived",
                json!({ "requestId": "1", "encodedDataLength": 500 }),
            ),
            event(
                "Network.loadingFinished",
                json!({ "requestId": "1", "timestamp": 1.5, "encodedDataLength": 812 }),
            ),
            event(
                "Network.requestWillBeSent",
                json!({ "requestId": "2", "timestamp": 1.2, "type": "EventSource",
                        "request": { "url": "http://h/api/v1/metrics/stream" } }),
            ),
            event(
                "Network.dataReceived",
                json!({ "requestId": "2", "encodedDataLength": 300 }),
            ),
            event(
                "Network.dataReceived",
                json!({ "requestId": "2", "encodedDataLength": 0, "dataLength": 200 }),
            ),
            event(
                "Network.requestWillBeSent",
                json!({ "requestId": "3", "timestamp": 1.3, "request": { "url": "data:x" } }),
            ),
            event("Page.loadEventFired", json!({ "timestamp": 2.0 })),
        ];
        let applied: Vec<bool> = events.iter().map(|e| apply(e, &mut requests)).collect();
        assert_eq!(
            applied,
            [true, true, true, true, true, true, true, false, false]
        );
        let summary = summary(&requests);
        assert_eq!(summary["bytes"], 1312.0);
        assert_eq!(summary["requests"][0]["encoding"], "br");
        assert_eq!(summary["requests"][0]["finished_ms"], 500.0);
        assert_eq!(summary["requests"][1]["bytes"], 500.0);
        assert_eq!(summary["requests"][1]["finished_ms"], Value::Null);
    }
}
