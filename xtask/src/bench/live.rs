//! `cargo xtask bench live`: rating posted → `metrics` event at each of many simulated kiosks,
//! and → figure changed in one real Chromium kiosk among them, against a bare axum broadcast
//! stream with the same clients, rate and frame size.

use std::fmt::Write as _;

use serde_json::{Value, json};

use super::procs::{self, Server};
use super::report::{Headline, Part, ms, ratio, thousands};
use crate::error::Result;
use crate::progress::Step;

/// Ratings posted per second.
const RATE: &str = "20";
/// Seconds of posting.
const SECS: &str = "10";

/// Runs each client count against the server and against the baseline.
pub fn run(quick: bool) -> Result<Part> {
    let counts: &[usize] = if quick { &[1_000] } else { &[1_000, 10_000] };
    let mut md = String::from("# Live updates: post → event at every kiosk\n\n");
    let _ = writeln!(
        md,
        "{RATE} ratings/s for {SECS} s, each POST sent only after the previous one's answer. \
         Every simulated kiosk holds `/api/v1/metrics/stream` open and times post sent → first \
         `metrics` event whose `ratings_today` counts that post. The baseline is a bare axum \
         server that broadcasts one frame of the same size per POST through a tokio broadcast \
         channel. The browser figure is one headless Chromium on `?view=figures`: post sent → \
         text of `[data-testid=figure-ratings-today]` changed (`Date.now()` in the page).\n"
    );
    md.push_str("| clients | server | subscribed | posts | p50 | p99 | max | every post seen by |\n| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    let mut headlines = Vec::new();
    let mut data = Vec::new();
    for &clients in counts {
        let (ours, bare) = pair(clients)?;
        for (name, run) in [("omk-server", &ours), ("bare broadcast", &bare)] {
            let _ = writeln!(
                md,
                "| {} | {name} | {} | {} | {} | {} | {} | {} |",
                thousands(clients as u64),
                run["subscribed"],
                run["posts"],
                ms(&run["latency"]["p50_ms"]),
                ms(&run["latency"]["p99_ms"]),
                ms(&run["latency"]["max_ms"]),
                run["clients_that_saw_every_post"]
            );
        }
        let label = thousands(clients as u64);
        headlines.push(
            Headline::new(
                format!("SSE post → event p99, {label} clients"),
                ms(&ours["latency"]["p99_ms"]),
            )
            .against(
                ms(&bare["latency"]["p99_ms"]),
                ratio(&ours["latency"]["p99_ms"], &bare["latency"]["p99_ms"]),
            ),
        );
        headlines.push(
            Headline::new(
                format!("SSE post → event p50, {label} clients"),
                ms(&ours["latency"]["p50_ms"]),
            )
            .against(
                ms(&bare["latency"]["p50_ms"]),
                ratio(&ours["latency"]["p50_ms"], &bare["latency"]["p50_ms"]),
            ),
        );
        let browser = &ours["browser"]["latency"];
        if !browser.is_null() {
            let _ = writeln!(
                md,
                "| {label} | Chromium kiosk (post → figure changed) | 1 | {} | {} | {} | {} | |",
                ours["browser"]["posts_seen"],
                ms(&browser["p50_ms"]),
                ms(&browser["p99_ms"]),
                ms(&browser["max_ms"])
            );
            headlines.push(
                Headline::new(
                    format!("post → figure changed in Chromium p99, among {label}"),
                    ms(&browser["p99_ms"]),
                )
                .note("bar: under 250 ms"),
            );
        }
        data.push(json!({ "clients": clients, "omk_server": ours, "bare_broadcast": bare }));
    }
    Ok(Part {
        name: "live",
        markdown: md,
        data: Value::Array(data),
        headlines,
    })
}

/// The server's run (with the browser kiosk), then the baseline's with the frame size it saw.
fn pair(clients: usize) -> Result<(Value, Value)> {
    let dir = procs::scratch(&format!("live-{clients}"))?;
    let server = Server::omk(&procs::sqlite_copy(&dir)?, "bench-live-server")?;
    let step = Step::start(
        "bench",
        format!("live {clients}"),
        "omk-server, simulated kiosks and one Chromium kiosk",
    );
    let result = procs::omk_bench(
        &step,
        &args(server.addr, clients, true),
        &format!("bench-live-{clients}"),
    );
    let ours = step.finish(result);
    server.stop();
    let ours = ours?;

    let frame_bytes = ours["frame_bytes"].as_u64().unwrap_or(1200).max(64);
    let baseline = Server::baseline(
        &["sse", "--frame-bytes", &frame_bytes.to_string()],
        "bench-live-baseline",
    )?;
    let step = Step::start(
        "bench",
        format!("live {clients} baseline"),
        &format!("bare axum broadcast, {frame_bytes} B frames"),
    );
    let result = procs::omk_bench(
        &step,
        &args(baseline.addr, clients, false),
        &format!("bench-live-{clients}-baseline"),
    );
    let bare = step.finish(result);
    baseline.stop();
    Ok((ours, bare?))
}

fn args(addr: std::net::SocketAddr, clients: usize, browser: bool) -> Vec<String> {
    let mut args: Vec<String> = [
        "live",
        "--addr",
        &addr.to_string(),
        "--clients",
        &clients.to_string(),
        "--rate",
        RATE,
        "--secs",
        SECS,
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    if browser {
        args.push("--browser".to_owned());
    }
    args
}
