//! `cargo xtask bench ingest`: sustained ratings/s and issues/s with durable writes, over SQLite
//! and (when it can be had) PostgreSQL, against a bare axum "hello" handler given the same
//! requests; and each server's peak resident memory.

use std::fmt::Write as _;

use serde_json::{Value, json};

use super::procs::{self, Server};
use super::report::{Better, Headline, Part, mib, ratio};
use crate::error::Result;
use crate::postgres::{self, Availability};
use crate::progress::{self, Step};
use crate::tools;

/// Connections, each with one request in flight: as many kiosks sending at once. Writes are
/// committed in batches of whatever waits, so the figure depends on this; the baseline gets the
/// same connections. 32 left the committer's batches too small to measure what it can take.
const CONNECTIONS: &str = "256";
/// What is written: name, path, body.
const KINDS: &[(&str, &str, &str)] = &[
    ("ratings", "/api/v1/ratings", r#"{"level":"satisfied"}"#),
    (
        "issues",
        "/api/v1/issues",
        r#"{"fill_ms":5000,"category":"parking","description":"benchmark issue text","place":"东昌府区"}"#,
    ),
];
/// The database the PostgreSQL runs use, made afresh each run.
const PG_DATABASE: &str = "omk_bench";

/// Runs every kind on every backend, and the baseline.
pub fn run(quick: bool) -> Result<Part> {
    let secs = if quick { "5" } else { "15" };
    let mut backends = vec![("SQLite", procs::sqlite_copy(&procs::scratch("ingest")?)?)];
    match postgres_url()? {
        Ok(url) => backends.push(("PostgreSQL", url)),
        Err(why) => progress::note("bench", &format!("PostgreSQL runs are skipped: {why}")),
    }

    let hello = Server::baseline(&["hello"], "bench-ingest-hello")?;
    let step = Step::start("bench", "ingest hello", "bare axum hello, same requests");
    let result = procs::omk_bench(
        &step,
        &args(hello.addr, KINDS[0].1, KINDS[0].2, secs),
        "bench-ingest-hello",
    );
    let hello_rss = hello.peak_rss();
    let baseline = step.finish(result);
    hello.stop();
    let baseline = baseline?;
    let base_rate = &baseline["ok_per_sec"];

    let mut md = String::from("# Ingest: sustained writes against a bare axum handler\n\n");
    let _ = writeln!(
        md,
        "{CONNECTIONS} keep-alive connections, one request in flight each, for {secs} s per row; \
         every POST has its own Idempotency-Key; the write limit and minimum fill time are off. \
         Writes are acknowledged only once committed (concurrent writes share a commit). \
         SQLite runs in WAL mode with `synchronous=FULL`. The baseline answers `hello` to the \
         same requests. Peak RSS is the server process's `VmHWM`.\n"
    );
    md.push_str("| server | writes | ok/s | ratio to hello | p50 | p99 | statuses | peak RSS |\n| --- | --- | ---: | ---: | ---: | ---: | --- | ---: |\n");
    row(
        &mut md,
        "bare axum hello",
        "—",
        &baseline,
        base_rate,
        hello_rss,
    );
    let mut headlines = Vec::new();
    let mut data =
        vec![json!({ "server": "hello", "result": baseline, "peak_rss_bytes": hello_rss })];
    for (backend, url) in &backends {
        for (kind, path, body) in KINDS {
            let server = Server::omk(url, &format!("bench-ingest-{kind}-server"))?;
            let step = Step::start(
                "bench",
                format!("ingest {kind} {backend}"),
                &format!("{CONNECTIONS} connections for {secs} s"),
            );
            let result = procs::omk_bench(
                &step,
                &args(server.addr, path, body, secs),
                &format!("bench-ingest-{kind}-{}", backend.to_lowercase()),
            );
            let rss = server.peak_rss();
            let result = step.finish(result);
            server.stop();
            let result = result?;
            row(
                &mut md,
                &format!("omk-server, {backend}"),
                kind,
                &result,
                base_rate,
                rss,
            );
            headlines.push(
                Headline::new(
                    format!("{kind}/s, {backend}"),
                    format!("{:.0}/s", result["ok_per_sec"].as_f64().unwrap_or(0.0)),
                )
                .against(
                    format!("{:.0}/s (hello)", base_rate.as_f64().unwrap_or(0.0)),
                    ratio(&result["ok_per_sec"], base_rate),
                )
                .better(Better::Higher)
                .note(rss.map_or_else(String::new, |b| format!("peak RSS {}", mib(b as f64)))),
            );
            data.push(json!({
                "server": "omk-server",
                "backend": backend,
                "kind": kind,
                "result": result,
                "peak_rss_bytes": rss,
            }));
        }
    }
    Ok(Part {
        name: "ingest",
        markdown: md,
        data: Value::Array(data),
        headlines,
    })
}

fn row(md: &mut String, server: &str, kind: &str, result: &Value, base: &Value, rss: Option<u64>) {
    let statuses = result["statuses"]
        .as_object()
        .map(|all| {
            all.iter()
                .map(|(code, n)| format!("{code}×{n}"))
                .collect::<Vec<_>>()
                .join(" ")
        })
        .unwrap_or_default();
    let _ = writeln!(
        md,
        "| {server} | {kind} | {:.0} | {} | {} | {} | {statuses} | {} |",
        result["ok_per_sec"].as_f64().unwrap_or(0.0),
        super::report::times(ratio(&result["ok_per_sec"], base)),
        super::report::ms(&result["latency"]["p50_ms"]),
        super::report::ms(&result["latency"]["p99_ms"]),
        rss.map_or_else(|| "—".to_owned(), |b| mib(b as f64)),
    );
}

fn args(addr: std::net::SocketAddr, path: &str, body: &str, secs: &str) -> Vec<String> {
    [
        "ingest",
        "--addr",
        &addr.to_string(),
        "--path",
        path,
        "--body",
        body,
        "--connections",
        CONNECTIONS,
        "--secs",
        secs,
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect()
}

/// A freshly made and seeded `omk_bench` database next to the tests' one, or why there is none.
fn postgres_url() -> Result<Result<String, String>> {
    let step = Step::start(
        "bench",
        "postgres",
        "starting the cluster, role and database",
    );
    let result = postgres::prepare(&step);
    let availability = step.finish(result)?;
    let test_url = match availability {
        Availability::Ready(url) => url,
        Availability::Unavailable(why) => return Ok(Err(why)),
    };
    let Some((server, _)) = test_url.rsplit_once('/') else {
        return Ok(Err(format!("cannot read the database out of {test_url}")));
    };
    let url = format!("{server}/{PG_DATABASE}");
    let step = Step::start("bench", "postgres database", PG_DATABASE);
    let result = step.run(
        tools::command("psql")
            .arg(&test_url)
            .args(["-qAt", "-v", "ON_ERROR_STOP=1"])
            .args([
                "-c",
                &format!("DROP DATABASE IF EXISTS {PG_DATABASE} WITH (FORCE)"),
            ])
            .args(["-c", &format!("CREATE DATABASE {PG_DATABASE}")])
            .env("PGCONNECT_TIMEOUT", "10"),
        "bench-postgres-database",
    );
    step.finish(result)?;
    procs::seed(&url, "bench-seed-postgres")?;
    Ok(Ok(url))
}
