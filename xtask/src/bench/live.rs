//! `cargo xtask bench live`: rating posted → `metrics` event at each of many simulated kiosks,
//! and → figure changed in one real Chromium kiosk among them, against a bare axum broadcast
//! stream with the same clients, rate and frame size. A baseline in which any client missed a
//! post stops the bench: it would be no figure to compare with.

use std::fmt::Write as _;

use serde_json::{Value, json};

use super::procs::{self, Server};
use super::report::{Headline, Part, ms, ratio, thousands};
use crate::error::{Error, Result};
use crate::progress::Step;

/// Ratings posted per second.
const RATE: &str = "20";
/// Seconds of posting.
const SECS: &str = "10";
/// Open files besides the connections: the database, logs, the browser's pipes.
const SPARE_FILES: u64 = 1024;

/// Runs each client count against the server and against the baseline: `clients` when given,
/// else 1,000 (and 10,000 unless `quick`).
pub fn run(quick: bool, clients: &[usize]) -> Result<Part> {
    let counts: &[usize] = match (clients, quick) {
        ([_, ..], _) => clients,
        ([], true) => &[1_000],
        ([], false) => &[1_000, 10_000],
    };
    let most = counts.iter().copied().max().unwrap_or(0) as u64;
    procs::raise_open_files(most + SPARE_FILES)?;
    let mut md = String::from("# Live updates: post → event at every kiosk\n\n");
    let _ = writeln!(
        md,
        "{RATE} ratings/s for {SECS} s, each POST sent only after the previous one's answer. \
         Every simulated kiosk holds `/api/v1/metrics/stream` open and times post sent → first \
         `metrics` or `update` event whose `ratings_today` counts that post. The baseline is a \
         bare axum server that broadcasts one frame per POST through a tokio broadcast channel, \
         its `data:` as long as the longest update frame the server sent in the same run (the \
         frame column). A baseline in which some client missed a post stops the bench. Memory is \
         the server's resident set after every client subscribed less before, per connection. \
         The browser figure is one headless Chromium on `?view=figures`: post sent → text of \
         `[data-testid=figure-ratings-today]` changed (`Date.now()` in the page).\n"
    );
    md.push_str("| clients | server | frame | subscribed | posts | p50 | p99 | max | every post seen by | memory / connection |\n| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    let mut headlines = Vec::new();
    let mut data = Vec::new();
    for &clients in counts {
        let (ours, bare) = pair(clients)?;
        for (name, run) in [("omk-server", &ours), ("bare broadcast", &bare)] {
            let _ = writeln!(
                md,
                "| {} | {name} | {} B | {} | {} | {} | {} | {} | {} | {} |",
                thousands(clients as u64),
                run["frame_bytes"],
                run["subscribed"],
                run["posts"],
                ms(&run["latency"]["p50_ms"]),
                ms(&run["latency"]["p99_ms"]),
                ms(&run["latency"]["max_ms"]),
                run["clients_that_saw_every_post"],
                kib(&run["server_rss_per_connection_bytes"]),
            );
        }
        let label = thousands(clients as u64);
        let frame = &ours["frame_bytes"];
        headlines.push(
            Headline::new(
                format!("SSE post → event p99, {label} clients, {frame} B frames"),
                ms(&ours["latency"]["p99_ms"]),
            )
            .against(
                ms(&bare["latency"]["p99_ms"]),
                ratio(&ours["latency"]["p99_ms"], &bare["latency"]["p99_ms"]),
            )
            .note("bar: under 250 ms at 10,000 and under 1.5× the bare broadcast"),
        );
        headlines.push(
            Headline::new(
                format!("SSE post → event p50, {label} clients, {frame} B frames"),
                ms(&ours["latency"]["p50_ms"]),
            )
            .against(
                ms(&bare["latency"]["p50_ms"]),
                ratio(&ours["latency"]["p50_ms"], &bare["latency"]["p50_ms"]),
            ),
        );
        headlines.push(Headline::new(
            format!("server memory per stream, {label} clients"),
            kib(&ours["server_rss_per_connection_bytes"]),
        ));
        let browser = &ours["browser"]["latency"];
        if !browser.is_null() {
            let _ = writeln!(
                md,
                "| {label} | Chromium kiosk (post → figure changed) | | 1 | {} | {} | {} | {} | | |",
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

/// Bytes as KiB with one decimal, `—` when unknown.
fn kib(bytes: &Value) -> String {
    bytes
        .as_f64()
        .map_or_else(|| "—".to_owned(), |b| format!("{:.1} KiB", b / 1024.0))
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
        &args(server.addr, server.pid(), clients, true),
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
        &args(baseline.addr, baseline.pid(), clients, false),
        &format!("bench-live-{clients}-baseline"),
    );
    let bare = step.finish(result);
    baseline.stop();
    let bare = bare?;
    let complete = bare["clients_that_saw_every_post"].as_u64().unwrap_or(0);
    if complete < clients as u64 {
        return Err(Error::UnsoundBaseline { clients, complete });
    }
    Ok((ours, bare))
}

fn args(addr: std::net::SocketAddr, pid: u32, clients: usize, browser: bool) -> Vec<String> {
    let mut args: Vec<String> = [
        "live",
        "--addr",
        &addr.to_string(),
        "--server-pid",
        &pid.to_string(),
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
