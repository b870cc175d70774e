//! Sustained request rate: a fixed number of keep-alive connections, each sending one request
//! after another for a fixed time.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::conn::Conn;
use crate::stats::{self, Summary, round3};
use crate::wire;

/// What `ingest` sends.
#[derive(Debug, clap::Args)]
pub struct IngestArgs {
    /// The server, `127.0.0.1:PORT`.
    #[arg(long)]
    addr: SocketAddr,
    /// The path each request goes to.
    #[arg(long)]
    path: String,
    /// The JSON body of each POST (each with a fresh Idempotency-Key).
    #[arg(long)]
    body: String,
    /// Connections, each with one request in flight.
    #[arg(long, default_value_t = 32)]
    connections: usize,
    /// Seconds to keep sending.
    #[arg(long, default_value_t = 5.0)]
    secs: f64,
}

/// What one connection saw.
struct Tally {
    statuses: BTreeMap<u16, u64>,
    latencies: Vec<u32>,
    error: Option<String>,
}

/// Runs the load and reports requests per second, statuses and latencies.
pub async fn run(args: &IngestArgs) -> Result<Value, String> {
    let host = args.addr.to_string();
    let started = Instant::now();
    let deadline = started + Duration::from_secs_f64(args.secs);
    let mut tasks = Vec::new();
    for _ in 0..args.connections {
        let (host, path, body, addr) = (
            host.clone(),
            args.path.clone(),
            args.body.clone(),
            args.addr,
        );
        tasks.push(tokio::spawn(async move {
            let mut tally = Tally {
                statuses: BTreeMap::new(),
                latencies: Vec::new(),
                error: None,
            };
            let mut conn = match Conn::connect(addr).await {
                Ok(conn) => conn,
                Err(e) => {
                    tally.error = Some(e);
                    return tally;
                }
            };
            while Instant::now() < deadline {
                let request = wire::post_json(&host, &path, &body);
                let sent = Instant::now();
                match conn.request(&request).await {
                    Ok(status) => {
                        *tally.statuses.entry(status).or_default() += 1;
                        tally
                            .latencies
                            .push(u32::try_from(sent.elapsed().as_micros()).unwrap_or(u32::MAX));
                    }
                    Err(e) => {
                        tally.error = Some(e);
                        break;
                    }
                }
            }
            tally
        }));
    }
    let mut statuses: BTreeMap<u16, u64> = BTreeMap::new();
    let mut latencies = Vec::new();
    let mut errors = Vec::new();
    for task in tasks {
        let tally = task
            .await
            .map_err(|e| format!("a connection task failed: {e}"))?;
        for (status, n) in tally.statuses {
            *statuses.entry(status).or_default() += n;
        }
        latencies.extend(tally.latencies);
        errors.extend(tally.error);
    }
    let secs = started.elapsed().as_secs_f64();
    let total: u64 = statuses.values().sum();
    let ok: u64 = statuses
        .iter()
        .filter(|(status, _)| (200..300).contains(*status))
        .map(|(_, n)| n)
        .sum();
    errors.sort();
    errors.dedup();
    Ok(json!({
        "connections": args.connections,
        "secs": round3(secs),
        "requests": total,
        "ok": ok,
        "ok_per_sec": round3(ok as f64 / secs),
        "statuses": statuses.iter().map(|(k, v)| (k.to_string(), json!(v))).collect::<serde_json::Map<_, _>>(),
        "latency": stats::json_or_null(Summary::of_micros(&mut latencies)),
        "connection_errors": errors,
    }))
}
