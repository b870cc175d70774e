//! No acknowledged submission is lost: the real binary is killed with
//! SIGKILL in the middle of a burst of issues and ratings (committed in shared
//! batches), started again on the same database, and every issue and rating it
//! answered 201 for is still there.

use std::net::SocketAddr;
use std::path::Path;
use std::process::Stdio;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use omk_api::{IssueReceipt, RatingReceipt};
use tokio::process::{Child, Command};

use crate::support::{fresh_database_url, store_categories};
use crate::wire::{post_json, request};

/// Tasks sending at once: half send issues, half ratings.
const SENDERS: usize = 16;
/// Writes each task sends at most.
const PER_SENDER: usize = 50;
/// Acknowledged writes after which the server is killed.
const KILL_AFTER: usize = 300;

/// The server binary on a free loopback port, ready to answer.
async fn start_server(database_url: &str, dir: &Path) -> (Child, SocketAddr) {
    let addr = {
        let probe = std::net::TcpListener::bind("127.0.0.1:0").expect("free port");
        probe.local_addr().expect("address")
    };
    let mut child = Command::new(env!("CARGO_BIN_EXE_omk-server"))
        .args(["--listen", &addr.to_string()])
        // From the environment: a PostgreSQL URL carries a password, which argv may not.
        .env("DATABASE_URL", database_url)
        .arg("--dist")
        .arg(dir.join("dist"))
        .args(["--writes-per-minute", "0", "--min-fill-ms", "0"])
        .args(["--reads-per-minute", "0", "--lookups-per-minute", "0"])
        .args(["--votes-per-minute", "0", "--ratings-per-minute", "0"])
        .env("RUST_LOG", "warn")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .kill_on_drop(true)
        .spawn()
        .expect("the server binary starts");
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if let Ok(reply) = request(addr, "GET", "/readyz", &[], "").await
            && reply.status == 200
        {
            return (child, addr);
        }
        if let Ok(Some(status)) = child.try_wait() {
            panic!("the server exited at start: {status}");
        }
        assert!(Instant::now() < deadline, "the server did not get ready");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn every_acknowledged_write_survives_a_kill_9_mid_burst() {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = fresh_database_url(dir.path()).await;
    // An empty database, so every stored issue is one of the burst's.
    let db = omk_server::Db::connect(&url).await.expect("database");
    db.migrate().await.expect("migrated");
    store_categories(&db, &["parking"]).await;
    db.close().await;
    let (mut server, addr) = start_server(&url, dir.path()).await;

    let acked = Arc::new(AtomicUsize::new(0));
    let senders: Vec<_> = (0..SENDERS)
        .map(|sender| {
            let acked = acked.clone();
            let rates = sender % 2 == 1;
            tokio::spawn(async move {
                let mut receipts = Vec::new();
                let mut refused = 0usize;
                for n in 0..PER_SENDER {
                    let sent = if rates {
                        post_json(addr, "/api/v1/ratings", r#"{"level":"satisfied"}"#).await
                    } else {
                        let body = format!(
                            r#"{{"fill_ms":5000,"category":"parking","description":"压测提交 {sender}-{n}：小区门口违章停车","place":"柳园街道"}}"#
                        );
                        post_json(addr, "/api/v1/issues", &body).await
                    };
                    match sent {
                        Ok(reply) if reply.status == 201 => {
                            receipts.push(reply.body);
                            acked.fetch_add(1, Ordering::SeqCst);
                        }
                        // A cut connection or a half-written answer: not acknowledged.
                        other => {
                            println!("sender {sender} stopped at {n}: {other:?}");
                            refused += 1;
                            break;
                        }
                    }
                }
                (rates, receipts, refused)
            })
        })
        .collect();

    let started = Instant::now();
    while acked.load(Ordering::SeqCst) < KILL_AFTER {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the burst stalled"
        );
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    server.start_kill().expect("SIGKILL");
    server.wait().await.expect("the killed server is reaped");

    let mut issues = Vec::new();
    let (mut ratings, mut cut_issues, mut cut_ratings) = (0usize, 0usize, 0usize);
    for sender in senders {
        let (rates, receipts, refused) = sender.await.expect("sender");
        if rates {
            for body in &receipts {
                let _: RatingReceipt = serde_json::from_str(body).expect("rating receipt");
            }
            ratings += receipts.len();
            cut_ratings += refused;
        } else {
            for body in &receipts {
                let receipt: IssueReceipt = serde_json::from_str(body).expect("issue receipt");
                issues.push(receipt.tracking_no);
            }
            cut_issues += refused;
        }
    }
    println!(
        "{} issues and {ratings} ratings acknowledged before SIGKILL, {} requests cut by it",
        issues.len(),
        cut_issues + cut_ratings
    );
    assert!(issues.len() + ratings >= KILL_AFTER);

    let (_again, addr) = start_server(&url, dir.path()).await;
    for tracking_no in &issues {
        let reply = request(
            addr,
            "GET",
            &format!("/api/v1/issues/{tracking_no}"),
            &[],
            "",
        )
        .await
        .expect("lookup");
        assert_eq!(reply.status, 200, "{tracking_no} lost after SIGKILL");
    }
    let metrics = request(addr, "GET", "/api/v1/metrics", &[], "")
        .await
        .expect("metrics");
    let metrics: omk_api::Metrics = serde_json::from_str(&metrics.body).expect("metrics");
    // The database started empty: every acknowledged write is stored, and at most one
    // more per cut request (written, but its answer lost).
    let within = |stored: i64, acknowledged: usize, cut: usize| {
        let acknowledged = i64::try_from(acknowledged).expect("a count");
        let cut = i64::try_from(cut).expect("a count");
        assert!(
            (acknowledged..=acknowledged + cut).contains(&stored),
            "{stored} stored, {acknowledged} acknowledged, {cut} cut"
        );
    };
    within(metrics.issues_collected, issues.len(), cut_issues);
    within(metrics.ratings_total, ratings, cut_ratings);
}

crate::on_every_backend!(every_acknowledged_write_survives_a_kill_9_mid_burst);
