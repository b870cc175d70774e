//! Live-update latency: many simulated kiosks hold the metrics event stream open while ratings
//! are posted at a steady rate; each client times post sent → the first `metrics` event whose
//! `ratings_today` counts that post. Optionally one real Chromium kiosk on the figures screen
//! times post sent → the figure on screen changed.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde_json::{Value, json};
use tokio::sync::{Semaphore, watch};

use crate::browser::Browser;
use crate::conn::Conn;
use crate::stats::{self, Summary, round3};
use crate::wire::{self, SseParser};

/// The stream every client subscribes to.
const STREAM: &str = "/api/v1/metrics/stream";
/// Where ratings go.
const RATINGS: &str = "/api/v1/ratings";
/// The rating every post sends.
const RATING: &str = r#"{"level":"satisfied"}"#;
/// The figure the browser kiosk watches.
const FIGURE: &str = "[data-testid=figure-ratings-today]";
/// How many clients connect at once.
const CONNECT_AT_ONCE: usize = 128;
/// How long all clients may take to subscribe.
const SUBSCRIBE_TIMEOUT: Duration = Duration::from_secs(120);
/// The events whose data carries `ratings_today`: a whole snapshot, or the parts of a change.
const COUNTED_EVENTS: [&[u8]; 2] = [b"metrics", b"update"];
/// How long after the last post the clients may take to see it.
const SETTLE: Duration = Duration::from_secs(10);

/// What `live` does.
#[derive(Debug, clap::Args)]
pub struct LiveArgs {
    /// The server, `127.0.0.1:PORT`.
    #[arg(long)]
    addr: SocketAddr,
    /// Simulated kiosks.
    #[arg(long, default_value_t = 1000)]
    clients: usize,
    /// Ratings posted per second.
    #[arg(long, default_value_t = 20.0)]
    rate: f64,
    /// Seconds of posting.
    #[arg(long, default_value_t = 10.0)]
    secs: f64,
    /// Also watch one real Chromium kiosk on `?view=figures`.
    #[arg(long)]
    browser: bool,
    /// The server's process id, to report its resident memory per subscribed connection.
    #[arg(long)]
    server_pid: Option<u32>,
}

/// When each post was sent: nanoseconds since the run's start (0 = not yet) and wall-clock ms.
struct Sends {
    epoch: Instant,
    at: Vec<AtomicU64>,
    wall_ms: Vec<AtomicU64>,
}

impl Sends {
    fn new(posts: usize) -> Sends {
        Sends {
            epoch: Instant::now(),
            at: (0..=posts).map(|_| AtomicU64::new(0)).collect(),
            wall_ms: (0..=posts).map(|_| AtomicU64::new(0)).collect(),
        }
    }

    fn now(&self) -> u64 {
        u64::try_from(self.epoch.elapsed().as_nanos()).unwrap_or(u64::MAX)
    }

    /// Marks post `k` (1-based) as sent now.
    fn mark(&self, k: usize) {
        let wall = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| u64::try_from(d.as_micros()).unwrap_or(0));
        self.wall_ms[k].store(wall, Ordering::Release);
        self.at[k].store(self.now().max(1), Ordering::Release);
    }

    fn posts(&self) -> usize {
        self.at.len() - 1
    }
}

/// What one simulated kiosk saw.
#[derive(Default)]
struct Seen {
    latencies: Vec<u32>,
    counted: usize,
    frame_bytes: usize,
    error: Option<String>,
}

/// Runs the subscribers, the posts and (optionally) the browser kiosk.
pub async fn run(args: &LiveArgs) -> Result<Value, String> {
    let posts = (args.rate * args.secs).round().max(1.0) as usize;
    let sends = Arc::new(Sends::new(posts));
    let browser = if args.browser {
        Some(open_kiosk(args.addr).await?)
    } else {
        None
    };
    let result = measure(args, &sends, browser.as_ref().map(|(b, base)| (b, *base))).await;
    if let Some((browser, _)) = browser {
        browser.close().await;
    }
    result
}

async fn measure(
    args: &LiveArgs,
    sends: &Arc<Sends>,
    kiosk: Option<(&Browser, i64)>,
) -> Result<Value, String> {
    let subscribed = Arc::new(AtomicUsize::new(0));
    let failed = Arc::new(AtomicUsize::new(0));
    let (stop_tx, stop_rx) = watch::channel(false);
    let gate = Arc::new(Semaphore::new(CONNECT_AT_ONCE));
    let rss_before = args.server_pid.and_then(rss_bytes);
    let connect_started = Instant::now();
    let mut clients = Vec::with_capacity(args.clients);
    for _ in 0..args.clients {
        let (sends, subscribed, failed, gate, stop) = (
            Arc::clone(sends),
            Arc::clone(&subscribed),
            Arc::clone(&failed),
            Arc::clone(&gate),
            stop_rx.clone(),
        );
        let addr = args.addr;
        clients.push(tokio::spawn(async move {
            let seen = subscriber(addr, &sends, &subscribed, &gate, stop).await;
            if seen.error.is_some() {
                failed.fetch_add(1, Ordering::SeqCst);
            }
            seen
        }));
    }
    let deadline = Instant::now() + SUBSCRIBE_TIMEOUT;
    while subscribed.load(Ordering::SeqCst) + failed.load(Ordering::SeqCst) < args.clients {
        if Instant::now() > deadline {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let connect_secs = connect_started.elapsed().as_secs_f64();
    let subscribed_count = subscribed.load(Ordering::SeqCst);
    tokio::time::sleep(Duration::from_millis(500)).await;
    let rss_subscribed = args.server_pid.and_then(rss_bytes);
    let rss_per_connection = match (rss_before, rss_subscribed) {
        (Some(before), Some(after)) if subscribed_count > 0 => {
            json!(after.saturating_sub(before) / subscribed_count as u64)
        }
        _ => Value::Null,
    };

    let post_result = post_steadily(args.addr, args.rate, sends).await;
    let settle = Instant::now() + SETTLE;
    while clients.iter().any(|c| !c.is_finished()) && Instant::now() < settle {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let _ = stop_tx.send(true);
    let (statuses, post_errors, post_answered) = post_result;

    let mut latencies = Vec::new();
    let mut complete = 0;
    let mut frame_bytes = 0;
    let mut errors = Vec::new();
    for client in clients {
        let seen = client
            .await
            .map_err(|e| format!("a subscriber task failed: {e}"))?;
        latencies.extend_from_slice(&seen.latencies);
        if seen.counted >= sends.posts() {
            complete += 1;
        }
        frame_bytes = frame_bytes.max(seen.frame_bytes);
        errors.extend(seen.error);
    }
    errors.sort();
    errors.dedup();
    errors.truncate(5);

    let browser = match kiosk {
        Some((browser, base)) => browser_latencies(browser, base, sends).await?,
        None => Value::Null,
    };
    Ok(json!({
        "clients": args.clients,
        "subscribed": subscribed_count,
        "connect_secs": round3(connect_secs),
        "posts": sends.posts(),
        "rate_per_sec": args.rate,
        "post_statuses": statuses,
        "post_errors": post_errors,
        "post_answered": post_answered,
        "frame_bytes": frame_bytes,
        "server_rss_before_bytes": rss_before,
        "server_rss_subscribed_bytes": rss_subscribed,
        "server_rss_per_connection_bytes": rss_per_connection,
        "clients_that_saw_every_post": complete,
        "latency": stats::json_or_null(Summary::of_micros(&mut latencies)),
        "subscriber_errors": errors,
        "browser": browser,
    }))
}

/// One simulated kiosk: subscribes, takes its first `ratings_today` as the base, then times
/// each post as the count passes it.
async fn subscriber(
    addr: SocketAddr,
    sends: &Sends,
    subscribed: &AtomicUsize,
    gate: &Semaphore,
    mut stop: watch::Receiver<bool>,
) -> Seen {
    let mut seen = Seen::default();
    let permit = gate.acquire().await;
    let stream = match Conn::connect(addr).await {
        Ok(conn) => conn.open_stream(&addr.to_string(), STREAM).await,
        Err(e) => Err(e),
    };
    drop(permit);
    let mut stream = match stream {
        Ok(stream) => stream,
        Err(e) => {
            seen.error = Some(e);
            return seen;
        }
    };
    let mut parser = SseParser::default();
    let mut base: Option<i64> = None;
    let mut body = Vec::with_capacity(8192);
    loop {
        let more = tokio::select! {
            more = stream.next(&mut body) => more,
            _ = stop.changed() => return seen,
        };
        let arrived = sends.now();
        match more {
            Ok(true) => {}
            Ok(false) => {
                seen.error = Some("the stream ended".to_owned());
                return seen;
            }
            Err(e) => {
                seen.error = Some(e);
                return seen;
            }
        }
        parser.feed(&body, |event| {
            if !COUNTED_EVENTS.contains(&event.name) {
                return;
            }
            let Some(count) = wire::json_integer(event.data, "ratings_today") else {
                return;
            };
            let Some(base) = base else {
                base = Some(count);
                subscribed.fetch_add(1, Ordering::SeqCst);
                return;
            };
            seen.frame_bytes = seen.frame_bytes.max(event.data.len());
            let reached = usize::try_from(count - base)
                .unwrap_or(0)
                .min(sends.posts());
            for k in seen.counted + 1..=reached {
                let sent = sends.at[k].load(Ordering::Acquire);
                if sent > 0 {
                    let micros = arrived.saturating_sub(sent) / 1000;
                    seen.latencies
                        .push(u32::try_from(micros).unwrap_or(u32::MAX));
                }
            }
            seen.counted = seen.counted.max(reached);
        });
        if seen.counted >= sends.posts() {
            return seen;
        }
    }
}

/// A process's resident memory now (`VmRSS` of `/proc/<pid>/status`), in bytes.
fn rss_bytes(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|kib| kib.parse::<u64>().ok())
        .map(|kib| kib * 1024)
}

/// Posts one rating every `1/rate` s on one keep-alive connection, each waiting for its answer
/// so the server commits them in order. Returns the statuses, the connection errors and how
/// long the answers took.
async fn post_steadily(addr: SocketAddr, rate: f64, sends: &Sends) -> (Value, Vec<String>, Value) {
    let host = addr.to_string();
    let interval = Duration::from_secs_f64(1.0 / rate.max(0.001));
    let start = tokio::time::Instant::now();
    let mut statuses = std::collections::BTreeMap::<String, u64>::new();
    let mut errors = Vec::new();
    let mut answered = Vec::new();
    let mut conn = None;
    for k in 1..=sends.posts() {
        tokio::time::sleep_until(start + interval * u32::try_from(k - 1).unwrap_or(u32::MAX)).await;
        if conn.is_none() {
            match Conn::connect(addr).await {
                Ok(c) => conn = Some(c),
                Err(e) => {
                    errors.push(e);
                    continue;
                }
            }
        }
        let request = wire::post_json(&host, RATINGS, RATING);
        sends.mark(k);
        let sent = Instant::now();
        if let Some(c) = conn.as_mut() {
            match c.request(&request).await {
                Ok(status) => {
                    answered.push(u32::try_from(sent.elapsed().as_micros()).unwrap_or(u32::MAX));
                    *statuses.entry(status.to_string()).or_default() += 1;
                }
                Err(e) => {
                    errors.push(e);
                    conn = None;
                }
            }
        }
    }
    errors.dedup();
    let answered = stats::json_or_null(Summary::of_micros(&mut answered));
    (json!(statuses), errors, answered)
}

/// Opens the figures screen in Chromium and starts recording every change of the ratings figure
/// with `Date.now()`. Returns the browser and the figure's first value.
async fn open_kiosk(addr: SocketAddr) -> Result<(Browser, i64), String> {
    let browser = Browser::start().await?;
    let opened = async {
        browser.goto(&format!("http://{addr}/?view=figures")).await?;
        browser.wait_for(FIGURE).await?;
        let js = format!(
            "const el = document.querySelector('{FIGURE}');
             return el && /[0-9]/.test(el.textContent) ? el.textContent : null;"
        );
        let first = browser.poll(&js, Duration::from_millis(100)).await?;
        let base = first
            .as_str()
            .and_then(wire::screen_integer)
            .ok_or_else(|| format!("the ratings figure reads {first}"))?;
        browser
            .script(&format!(
                "window.__omkChanges = [];
                 let last = document.querySelector('{FIGURE}').textContent;
                 new MutationObserver(() => {{
                   const el = document.querySelector('{FIGURE}');
                   const text = el ? el.textContent : '';
                   if (text !== last) {{ last = text; window.__omkChanges.push([Date.now(), text]); }}
                 }}).observe(document.body, {{ childList: true, subtree: true, characterData: true }});
                 return true;"
            ))
            .await?;
        Ok::<i64, String>(base)
    }
    .await;
    match opened {
        Ok(base) => Ok((browser, base)),
        Err(e) => {
            browser.close().await;
            Err(e)
        }
    }
}

/// Post sent → figure changed on screen, for every post the browser kiosk saw.
async fn browser_latencies(browser: &Browser, base: i64, sends: &Sends) -> Result<Value, String> {
    let changes = browser.script("return window.__omkChanges || [];").await?;
    let mut latencies = Vec::new();
    let mut counted = 0usize;
    for change in changes.as_array().into_iter().flatten() {
        let (Some(at), Some(value)) = (
            change[0].as_f64(),
            change[1].as_str().and_then(wire::screen_integer),
        ) else {
            continue;
        };
        let reached = usize::try_from(value - base)
            .unwrap_or(0)
            .min(sends.posts());
        for k in counted + 1..=reached {
            let sent_ms = sends.wall_ms[k].load(Ordering::Acquire) as f64 / 1000.0;
            if sent_ms > 0.0 {
                latencies.push(at - sent_ms);
            }
        }
        counted = counted.max(reached);
    }
    Ok(json!({
        "posts_seen": counted,
        "changes": changes.as_array().map_or(0, Vec::len),
        "latency": stats::json_or_null(Summary::of_millis(&latencies)),
    }))
}
