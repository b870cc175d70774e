//! A kiosk's memory over many visits in one real Chromium, never reloaded
//! (`refresh_after_resets=0`): ratings posted at a steady rate (live updates), visitors who start
//! a session, walk every screen (the program's pages and an event's detail included), sometimes
//! rate, and walk away until the idle reset. WebAssembly memory and the JS heap after a forced
//! GC are read at a baseline visit and at the last one; the bar is less than 5 % growth.

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

/// The most memory may grow between the baseline visit and the last, in percent.
pub const BAR_PERCENT: f64 = 5.0;

/// Before the kiosk's scripts run: `Date.now` that the bench can move on, so an idle reset comes
/// at once instead of after the timeout; the instance's exports (its memory is the wasm heap),
/// which Trunk hands to an event; and the visitor, who walks the screens from inside the page, so
/// that the driver runs one script per visit rather than one per tap and wait (each of those
/// would leave its own compiled script and wrappers in the heap being measured).
const PAGE_SETUP: &str = r#"(() => {
    const realNow = Date.now.bind(Date);
    let skew = 0;
    Date.now = () => realNow() + skew;
    addEventListener('TrunkApplicationStarted', e => { window.__omkWasm = e.detail && e.detail.wasm; });
    const sleep = ms => new Promise(done => setTimeout(done, ms));
    const until = async (what, probe, ms) => {
        const end = performance.now() + ms;
        for (;;) {
            if (probe()) return;
            if (performance.now() > end) throw new Error(`waited ${ms} ms for ${what}`);
            await sleep(50);
        }
    };
    const present = css => until(css, () => !!document.querySelector(css), 10000);
    const tap = async id => {
        const css = `[data-testid="${id}"]`;
        await present(css);
        const e = document.querySelector(css);
        e.dispatchEvent(new PointerEvent('pointerdown', { bubbles: true }));
        e.click();
    };
    const text = css => { const e = document.querySelector(css); return e ? e.textContent : ''; };
    // The program's pages: the next page when there is one, then the first card's detail and back.
    const program = async () => {
        await present('[data-testid=event-card]');
        const next = document.querySelector('[data-testid=events-next]');
        if (next && !next.disabled) {
            const before = text('[data-testid=events-page]');
            await tap('events-next');
            await until('the next page', () => text('[data-testid=events-page]') !== before
                && !!document.querySelector('[data-testid=event-card]'), 10000);
        }
        await tap('event-open');
        await present('[data-testid=event-detail]');
        await tap('event-back');
        await present('[data-testid=event-card]');
    };
    window.__omkVisit = async (screens, submit, skipMs) => {
        await tap('attract-start');
        for (const [nav, screen] of screens) {
            await tap(nav);
            await present(screen);
            if (nav === 'nav-events') await program();
            if (submit && nav === 'nav-rate') await tap('rate-satisfied');
        }
        skew += skipMs;
        await until('the idle reset', () => !!document.querySelector('[data-testid=attract]'), 20000);
    };
})();"#;

/// One visit, walked by the page's own visitor: `null` when it got back to the attract screen,
/// else what went wrong.
const VISIT: &str = "const done = arguments[arguments.length - 1];
    window.__omkVisit(arguments[0], arguments[1], arguments[2])
        .then(() => done(null), e => done(String(e)));";

/// What `soak` does.
#[derive(Debug, clap::Args)]
pub struct SoakArgs {
    /// The server, `127.0.0.1:PORT`.
    #[arg(long)]
    addr: SocketAddr,
    /// Visits after the warm-up one.
    #[arg(long, default_value_t = 500)]
    visits: usize,
    /// The visit whose figures growth is measured from (what the first visits allocate once is
    /// not growth).
    #[arg(long, default_value_t = 20)]
    baseline: usize,
    /// Ratings posted per second from outside (each one a live update on the kiosk).
    #[arg(long, default_value_t = 20.0)]
    rate: f64,
    /// The kiosk's idle timeout, seconds (the widget's floor is 5).
    #[arg(long, default_value_t = 5)]
    idle: u32,
    /// The idle warning's countdown, seconds.
    #[arg(long, default_value_t = 2)]
    warning: u32,
    /// A visitor rates on the spot every this many visits.
    #[arg(long, default_value_t = 3)]
    rate_every: usize,
    /// Read the figures every this many visits.
    #[arg(long, default_value_t = 20)]
    sample_every: usize,
    /// From the baseline visit on, sample the JS heap's allocations (CDP
    /// `HeapProfiler.startSampling`) and report the sites whose objects are still alive at the
    /// end. Off by default: the profiler's own bookkeeping is not what the bar measures.
    #[arg(long)]
    heap_sampling: bool,
}

/// Runs the visits and reports the memory figures.
pub async fn run(args: &SoakArgs) -> Result<Value, String> {
    if args.baseline == 0 || args.baseline >= args.visits {
        return Err(format!(
            "--baseline {} must be at least 1 and below --visits {}",
            args.baseline, args.visits
        ));
    }
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
    browser
        .cdp(
            "Page.addScriptToEvaluateOnNewDocument",
            json!({ "source": PAGE_SETUP }),
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

    // One visit before anything is read, so the screens' code and first fetches are in.
    visit(browser, args, true).await?;
    let started = Instant::now();
    let mut samples = vec![read(browser, 0, 0.0).await?];
    let mut baseline = None;
    let mut submissions = 0usize;
    let mut failure = None;
    let mut done = 0usize;
    for n in 1..=args.visits {
        let submit = args.rate_every > 0 && n.is_multiple_of(args.rate_every);
        if let Err(e) = visit(browser, args, submit).await {
            failure = Some(format!("visit {n} failed: {e}"));
            break;
        }
        done = n;
        if submit {
            submissions += 1;
        }
        if n == args.baseline || n == args.visits || n.is_multiple_of(args.sample_every.max(1)) {
            let sample = read(browser, n, started.elapsed().as_secs_f64()).await?;
            eprintln!(
                "[soak] visit {n}: wasm memory {} B, JS heap after GC {} B",
                sample["wasm_memory_bytes"], sample["js_heap_used_bytes"]
            );
            if n == args.baseline {
                baseline = Some(sample.clone());
                if args.heap_sampling {
                    browser.cdp("HeapProfiler.enable", json!({})).await?;
                    browser
                        .cdp(
                            "HeapProfiler.startSampling",
                            json!({ "samplingInterval": 256 }),
                        )
                        .await?;
                }
            }
            samples.push(sample);
        }
    }
    stop.store(true, Ordering::SeqCst);
    let (ok, errors) = poster
        .await
        .map_err(|e| format!("the poster task failed: {e}"))?;
    if let Some(e) = failure {
        return Err(e);
    }
    let surviving = if args.heap_sampling {
        browser
            .cdp("HeapProfiler.collectGarbage", json!({}))
            .await?;
        let profile = browser
            .cdp("HeapProfiler.getSamplingProfile", json!({}))
            .await?;
        surviving_sites(&profile["profile"]["head"])
    } else {
        Value::Null
    };
    let start = baseline.ok_or("no baseline sample")?;
    let end = samples.last().cloned().ok_or("no samples")?;
    let growth = |key: &str| round3(num(&end[key]) - num(&start[key]));
    let percent = |key: &str| {
        let a = num(&start[key]);
        if a > 0.0 {
            round3((num(&end[key]) - a) / a * 100.0)
        } else {
            0.0
        }
    };
    let wasm_percent = percent("wasm_memory_bytes");
    let heap_percent = percent("js_heap_used_bytes");
    Ok(json!({
        "secs": round3(started.elapsed().as_secs_f64()),
        "visits": done,
        "baseline_visit": args.baseline,
        "idle_timeout_secs": args.idle,
        "idle_warning_secs": args.warning,
        "submissions": submissions,
        "live_updates_posted": posted.load(Ordering::SeqCst),
        "posts_ok_total": ok,
        "post_errors": errors,
        "start": start,
        "end": end,
        "growth": {
            "js_heap_used_bytes": growth("js_heap_used_bytes"),
            "js_heap_used_percent": heap_percent,
            "wasm_memory_bytes": growth("wasm_memory_bytes"),
            "wasm_memory_percent": wasm_percent,
            "nodes": growth("nodes"),
            "js_event_listeners": growth("js_event_listeners"),
            "attached_nodes": growth("attached_nodes"),
        },
        "bar_percent": BAR_PERCENT,
        "bar_met": wasm_percent < BAR_PERCENT && heap_percent < BAR_PERCENT,
        "samples": samples,
        "surviving_allocation_sites": surviving,
    }))
}

/// The allocation sites whose sampled objects are still alive, largest first: each with its
/// bytes and the call stack that allocated them (innermost first); and the bytes by the script
/// at the bottom of the stack (an empty name is a script with no file: the driver's).
fn surviving_sites(head: &Value) -> Value {
    let mut by_script = std::collections::BTreeMap::<String, f64>::new();
    for child in head["children"].as_array().into_iter().flatten() {
        let url = child["callFrame"]["url"].as_str().unwrap_or("").to_owned();
        *by_script.entry(url).or_default() += subtree_bytes(child);
    }
    json!({ "by_script": by_script, "top": top_sites(head) })
}

fn subtree_bytes(node: &Value) -> f64 {
    num(&node["selfSize"])
        + node["children"]
            .as_array()
            .into_iter()
            .flatten()
            .map(subtree_bytes)
            .sum::<f64>()
}

fn top_sites(head: &Value) -> Value {
    fn walk(node: &Value, stack: &mut Vec<String>, out: &mut Vec<(f64, String)>) {
        let frame = &node["callFrame"];
        let name = frame["functionName"].as_str().unwrap_or("");
        let url = frame["url"].as_str().unwrap_or("");
        let file = url.rsplit('/').next().unwrap_or(url);
        stack.push(format!(
            "{} ({file}:{})",
            if name.is_empty() { "(anonymous)" } else { name },
            frame["lineNumber"]
        ));
        let own = num(&node["selfSize"]);
        if own > 0.0 {
            let path: Vec<&str> = stack.iter().rev().take(6).map(String::as_str).collect();
            out.push((own, path.join(" < ")));
        }
        for child in node["children"].as_array().into_iter().flatten() {
            walk(child, stack, out);
        }
        stack.pop();
    }
    let mut sites = Vec::new();
    walk(head, &mut Vec::new(), &mut sites);
    sites.sort_by(|a, b| b.0.total_cmp(&a.0));
    Value::Array(
        sites
            .into_iter()
            .take(15)
            .map(|(bytes, stack)| json!({ "bytes": bytes, "stack": stack }))
            .collect(),
    )
}

/// The figures after a forced GC, on the attract screen, after `visit` visits.
async fn read(browser: &Browser, visit: usize, at_secs: f64) -> Result<Value, String> {
    let heap: Heap = browser.heap_after_gc().await?;
    let page = browser
        .script(
            "const w = window.__omkWasm;
             return { attached_nodes: document.getElementsByTagName('*').length,
                      wasm_memory_bytes: w && w.memory ? w.memory.buffer.byteLength : null };",
        )
        .await?;
    let mut value = heap.to_json();
    value["visit"] = json!(visit);
    value["at_secs"] = json!(round3(at_secs));
    value["attached_nodes"] = page["attached_nodes"].clone();
    value["wasm_memory_bytes"] = page["wasm_memory_bytes"].clone();
    Ok(value)
}

fn num(value: &Value) -> f64 {
    value.as_f64().unwrap_or(0.0)
}

/// One visitor: leaves the attract screen, walks every screen (the program's next page and an
/// event's detail, and a rating when `submit`), then walks away; the kiosk's clock is moved past
/// the idle timeout and its warning, and this returns once the reset has brought the attract
/// screen back. The page's own visitor does it all (see [`PAGE_SETUP`]).
async fn visit(browser: &Browser, args: &SoakArgs, submit: bool) -> Result<(), String> {
    let skip_ms = (u64::from(args.idle + args.warning) + 1) * 1000;
    let outcome = browser
        .script_async(VISIT, vec![json!(SCREENS), json!(submit), json!(skip_ms)])
        .await?;
    match outcome {
        Value::Null => Ok(()),
        other => Err(other.to_string()),
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
