//! A compressed kiosk day in one real Chromium: ratings posted at a steady rate (live updates),
//! visitors who start a session, walk every screen, sometimes rate, and walk away until the idle
//! reset; the JS heap, DOM nodes and listeners after a forced GC at the start and at the end.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::browser::{Browser, Heap};
use crate::conn::Conn;
use crate::stats::round3;
use crate::wire;

/// Each screen's navigation button and the element that shows it is on.
const SCREENS: &[(&str, &str)] = &[
    ("nav-events", "[data-testid=events-screen]"),
    ("nav-figures", "[data-testid=figures-panel]"),
    ("nav-rate", "[data-testid=rate-screen]"),
    ("nav-report", "[data-testid=report-screen]"),
    ("nav-vote", "[data-testid=vote-screen]"),
    ("nav-lookup", "[data-testid=lookup-screen]"),
];

/// What `soak` does.
#[derive(Debug, clap::Args)]
pub struct SoakArgs {
    /// The server, `127.0.0.1:PORT`.
    #[arg(long)]
    addr: SocketAddr,
    /// Seconds of simulated day.
    #[arg(long, default_value_t = 120.0)]
    secs: f64,
    /// Ratings posted per second from outside (each one a live update on the kiosk).
    #[arg(long, default_value_t = 20.0)]
    rate: f64,
    /// The kiosk's idle timeout, seconds (the widget's floor is 5).
    #[arg(long, default_value_t = 5)]
    idle: u32,
    /// The idle warning's countdown, seconds.
    #[arg(long, default_value_t = 2)]
    warning: u32,
    /// A visitor rates on the spot every this many sessions.
    #[arg(long, default_value_t = 3)]
    rate_every: usize,
}

/// Runs the day and reports the memory figures.
pub async fn run(args: &SoakArgs) -> Result<Value, String> {
    let browser = Browser::start().await?;
    let result = day(&browser, args).await;
    browser.close().await;
    result
}

async fn day(browser: &Browser, args: &SoakArgs) -> Result<Value, String> {
    let url = format!(
        "http://{}/?idle={}&idle_warning_secs={}&refresh_after_resets=0",
        args.addr, args.idle, args.warning
    );
    // Trunk hands the instance's exports to this event; its memory is the wasm heap.
    browser
        .cdp(
            "Page.addScriptToEvaluateOnNewDocument",
            json!({ "source": "addEventListener('TrunkApplicationStarted', e => { window.__omkWasm = e.detail && e.detail.wasm; });" }),
        )
        .await?;
    browser.goto(&url).await?;
    browser.wait_present("[data-testid=attract]").await?;

    let stop = Arc::new(AtomicBool::new(false));
    let posted = Arc::new(AtomicU64::new(0));
    let poster = tokio::spawn(post_until(
        args.addr,
        args.rate,
        Arc::clone(&stop),
        Arc::clone(&posted),
    ));

    // One session before the first sample, so what every session allocates once is not counted
    // as growth.
    session(browser, args, true).await?;
    let start = browser.heap_after_gc().await?;
    let start_page = page(browser).await?;
    let started = Instant::now();
    let posted_at_start = posted.load(Ordering::SeqCst);
    let deadline = started + Duration::from_secs_f64(args.secs);
    let mut sessions = 0usize;
    let mut submissions = 0usize;
    let mut samples = vec![sample(0.0, start, &start_page)];
    let mut failure = None;
    while Instant::now() < deadline {
        sessions += 1;
        let submit = args.rate_every > 0 && sessions.is_multiple_of(args.rate_every);
        if let Err(e) = session(browser, args, submit).await {
            failure = Some(e);
            break;
        }
        if submit {
            submissions += 1;
        }
        if sessions.is_multiple_of(5) {
            let heap = browser.heap_after_gc().await?;
            let page = page(browser).await?;
            samples.push(sample(started.elapsed().as_secs_f64(), heap, &page));
        }
    }
    stop.store(true, Ordering::SeqCst);
    let (ok, errors) = poster
        .await
        .map_err(|e| format!("the poster task failed: {e}"))?;
    let end = browser.heap_after_gc().await?;
    let end_page = page(browser).await?;
    samples.push(sample(started.elapsed().as_secs_f64(), end, &end_page));
    if let Some(e) = failure {
        return Err(format!("session {sessions} failed: {e}"));
    }
    let growth = |a: f64, b: f64| round3(b - a);
    let percent = |a: f64, b: f64| {
        if a > 0.0 {
            round3((b - a) / a * 100.0)
        } else {
            0.0
        }
    };
    Ok(json!({
        "secs": round3(started.elapsed().as_secs_f64()),
        "idle_timeout_secs": args.idle,
        "idle_warning_secs": args.warning,
        "idle_resets": sessions,
        "submissions": submissions,
        "live_updates_posted": posted.load(Ordering::SeqCst).saturating_sub(posted_at_start),
        "posts_ok_total": ok,
        "post_errors": errors,
        "start": sample(0.0, start, &start_page),
        "end": sample(started.elapsed().as_secs_f64(), end, &end_page),
        "growth": {
            "js_heap_used_bytes": growth(start.js_heap_used, end.js_heap_used),
            "js_heap_used_percent": percent(start.js_heap_used, end.js_heap_used),
            "nodes": growth(start.nodes, end.nodes),
            "js_event_listeners": growth(start.listeners, end.listeners),
            "attached_nodes": growth(num(&start_page["attached_nodes"]), num(&end_page["attached_nodes"])),
            "wasm_memory_bytes": growth(num(&start_page["wasm_memory_bytes"]), num(&end_page["wasm_memory_bytes"])),
        },
        "samples": samples,
    }))
}

fn sample(at_secs: f64, heap: Heap, page: &Value) -> Value {
    let mut value = heap.to_json();
    value["at_secs"] = json!(round3(at_secs));
    value["attached_nodes"] = page["attached_nodes"].clone();
    value["wasm_memory_bytes"] = page["wasm_memory_bytes"].clone();
    value
}

fn num(value: &Value) -> f64 {
    value.as_f64().unwrap_or(0.0)
}

/// Elements in the document (the rest of `Nodes` is detached or text) and the size of the
/// WebAssembly memory, which `JSHeapUsedSize` does not include and which never shrinks.
async fn page(browser: &Browser) -> Result<Value, String> {
    browser
        .script(
            "const w = window.__omkWasm;
             return { attached_nodes: document.getElementsByTagName('*').length,
                      wasm_memory_bytes: w && w.memory ? w.memory.buffer.byteLength : null };",
        )
        .await
}

/// One visitor: leaves the attract screen, walks every screen (rating on the rate screen when
/// `submit`), then walks away; returns once the idle reset has brought the attract screen back.
async fn session(browser: &Browser, args: &SoakArgs, submit: bool) -> Result<(), String> {
    // Taps and waits go through scripts: WebDriver element handles would keep every screen's
    // nodes alive and show up as a leak that is the driver's, not the widget's.
    browser.tap("attract-start").await?;
    for (nav, screen) in SCREENS {
        browser.tap(nav).await?;
        browser.wait_present(screen).await?;
        if submit && *nav == "nav-rate" {
            browser.tap("rate-satisfied").await?;
        }
    }
    let reset_within = Duration::from_secs(u64::from(args.idle + args.warning) + 20);
    let deadline = Instant::now() + reset_within;
    loop {
        tokio::time::sleep(Duration::from_millis(250)).await;
        let back = browser
            .script("return !!document.querySelector('[data-testid=attract]');")
            .await?;
        if back == Value::Bool(true) {
            return Ok(());
        }
        if Instant::now() > deadline {
            return Err(format!("no idle reset within {} s", reset_within.as_secs()));
        }
    }
}

/// Posts ratings at `rate` per second until `stop`; returns how many succeeded and the errors.
async fn post_until(
    addr: SocketAddr,
    rate: f64,
    stop: Arc<AtomicBool>,
    posted: Arc<AtomicU64>,
) -> (u64, Vec<String>) {
    if rate <= 0.0 {
        // No live updates: a day of sessions alone.
        return (0, Vec::new());
    }
    let host = addr.to_string();
    let mut interval = tokio::time::interval(Duration::from_secs_f64(1.0 / rate));
    interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut errors = Vec::new();
    let mut conn: Option<Conn> = None;
    while !stop.load(Ordering::SeqCst) && errors.len() < 20 {
        interval.tick().await;
        if conn.is_none() {
            match Conn::connect(addr).await {
                Ok(c) => conn = Some(c),
                Err(e) => {
                    errors.push(e);
                    continue;
                }
            }
        }
        let request = wire::post_json(&host, "/api/v1/ratings", r#"{"level":"satisfied"}"#);
        if let Some(c) = conn.as_mut() {
            match c.request(&request).await {
                Ok(status) if (200..300).contains(&status) => {
                    posted.fetch_add(1, Ordering::SeqCst);
                }
                Ok(status) => errors.push(format!("a rating was answered {status}")),
                Err(e) => {
                    errors.push(e);
                    conn = None;
                }
            }
        }
    }
    errors.dedup();
    (posted.load(Ordering::SeqCst), errors)
}
