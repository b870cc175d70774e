//! No acknowledged submission is lost: the real binary is killed with
//! SIGKILL in the middle of a burst of issues and ratings (committed in shared
//! batches), started again on the same database, and every issue and rating it
//! answered 201 for is still there, once. The test proves the kill came mid-burst:
//! writes had been acknowledged and others were sent and unanswered when it died.

use std::net::SocketAddr;
use std::path::Path;
use std::process::Stdio;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
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

/// What one sender saw.
#[derive(Default)]
struct Sent {
    /// Acknowledged issues: tracking number and description.
    issues: Vec<(String, String)>,
    /// Acknowledged ratings' ids.
    ratings: Vec<i64>,
    /// Descriptions of issues sent before the kill whose answer never came.
    cut_issues: Vec<String>,
    /// Ratings sent before the kill whose answer never came.
    cut_ratings: usize,
    /// Requests that failed having been sent after the kill.
    after_kill: usize,
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
    let killed = Arc::new(AtomicBool::new(false));
    // Requests sent and not yet answered.
    let in_flight = Arc::new(AtomicUsize::new(0));
    let senders: Vec<_> = (0..SENDERS)
        .map(|sender| {
            let (acked, killed, in_flight) = (acked.clone(), killed.clone(), in_flight.clone());
            let rates = sender % 2 == 1;
            tokio::spawn(async move {
                let mut seen = Sent::default();
                for n in 0..PER_SENDER {
                    let description = format!("压测提交 {sender}-{n}：小区门口违章停车");
                    let before_kill = !killed.load(Ordering::SeqCst);
                    in_flight.fetch_add(1, Ordering::SeqCst);
                    let sent = if rates {
                        post_json(addr, "/api/v1/ratings", r#"{"level":"satisfied"}"#).await
                    } else {
                        let body = format!(
                            r#"{{"fill_ms":5000,"category":"parking","description":"{description}","place":"柳园街道"}}"#
                        );
                        post_json(addr, "/api/v1/issues", &body).await
                    };
                    in_flight.fetch_sub(1, Ordering::SeqCst);
                    match sent {
                        Ok(reply) if reply.status == 201 => {
                            if rates {
                                let receipt: RatingReceipt =
                                    serde_json::from_str(&reply.body).expect("rating receipt");
                                seen.ratings.push(receipt.id);
                            } else {
                                let receipt: IssueReceipt =
                                    serde_json::from_str(&reply.body).expect("issue receipt");
                                seen.issues.push((receipt.tracking_no, description));
                            }
                            acked.fetch_add(1, Ordering::SeqCst);
                        }
                        // A cut connection or a half-written answer: not acknowledged.
                        other => {
                            println!("sender {sender} stopped at {n}: {other:?}");
                            match (before_kill, rates) {
                                (false, _) => seen.after_kill += 1,
                                (true, true) => seen.cut_ratings += 1,
                                (true, false) => seen.cut_issues.push(description),
                            }
                            break;
                        }
                    }
                }
                seen
            })
        })
        .collect();

    let started = Instant::now();
    // Killed once enough writes were acknowledged and while half the senders wait for an
    // answer: answers come in shared batches, so between two batches none may be waiting.
    while acked.load(Ordering::SeqCst) < KILL_AFTER
        || in_flight.load(Ordering::SeqCst) < SENDERS / 2
    {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the burst stalled"
        );
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    killed.store(true, Ordering::SeqCst);
    server.start_kill().expect("SIGKILL");
    server.wait().await.expect("the killed server is reaped");

    let mut all = Sent::default();
    for sender in senders {
        let seen = sender.await.expect("sender");
        all.issues.extend(seen.issues);
        all.ratings.extend(seen.ratings);
        all.cut_issues.extend(seen.cut_issues);
        all.cut_ratings += seen.cut_ratings;
        all.after_kill += seen.after_kill;
    }
    let cut = all.cut_issues.len() + all.cut_ratings;
    println!(
        "{} issues and {} ratings acknowledged before SIGKILL, {cut} requests in flight cut by \
         it, {} refused after it",
        all.issues.len(),
        all.ratings.len(),
        all.after_kill
    );
    // The kill came mid-burst: writes had been acknowledged, others were sent and still
    // unanswered when the server died, and no sender had run out of writes to send.
    assert!(all.issues.len() + all.ratings.len() >= KILL_AFTER);
    assert!(
        cut >= 1,
        "no request was in flight when the server was killed"
    );
    assert!(
        !all.issues.is_empty() && !all.ratings.is_empty(),
        "both kinds of write were acknowledged"
    );
    assert_eq!(
        cut + all.after_kill,
        SENDERS,
        "every sender was still sending when the server died"
    );

    let (_again, addr) = start_server(&url, dir.path()).await;
    for (tracking_no, _) in &all.issues {
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
    // What is stored, read straight from the database: each acknowledged write once,
    // under its own number, and nothing that was not sent before the kill.
    let db = omk_server::Db::connect(&url).await.expect("database");
    let rows: Vec<(String, String)> = sqlx::query_as("SELECT tracking_no, description FROM issues")
        .fetch_all(db.pool())
        .await
        .expect("issues read");
    let stored: std::collections::BTreeMap<&str, &str> = rows
        .iter()
        .map(|(no, text)| (no.as_str(), text.as_str()))
        .collect();
    let mut texts: Vec<&str> = rows.iter().map(|(_, text)| text.as_str()).collect();
    texts.sort_unstable();
    let before_dedup = texts.len();
    texts.dedup();
    assert_eq!(texts.len(), before_dedup, "an issue stored twice");
    for (tracking_no, description) in &all.issues {
        assert_eq!(
            stored.get(tracking_no.as_str()),
            Some(&description.as_str()),
            "{tracking_no} stored as acknowledged"
        );
    }
    let acknowledged: std::collections::BTreeSet<&str> =
        all.issues.iter().map(|(_, text)| text.as_str()).collect();
    let in_flight: std::collections::BTreeSet<&str> =
        all.cut_issues.iter().map(String::as_str).collect();
    for text in &texts {
        assert!(
            acknowledged.contains(text) || in_flight.contains(text),
            "{text} stored, but never acknowledged nor in flight at the kill"
        );
    }
    let rating_ids: Vec<i64> = sqlx::query_scalar::<_, i64>("SELECT id FROM ratings")
        .fetch_all(db.pool())
        .await
        .expect("ratings read");
    let rating_ids: std::collections::BTreeSet<i64> = rating_ids.into_iter().collect();
    for id in &all.ratings {
        assert!(rating_ids.contains(id), "rating {id} lost after SIGKILL");
    }
    let extra = rating_ids.len() - all.ratings.len();
    assert!(
        extra <= all.cut_ratings,
        "{extra} ratings stored beyond the {} acknowledged, with only {} in flight",
        all.ratings.len(),
        all.cut_ratings
    );
    db.close().await;
}

crate::on_every_backend!(every_acknowledged_write_survives_a_kill_9_mid_burst);
