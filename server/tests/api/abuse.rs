//! The server under abuse, asserting outcomes (never timings): slow-header sockets are
//! closed while health checks answer; one client's streams hit their cap, and a full
//! server refuses more; guessed lookups reach 429; a hundred thousand client addresses
//! leave the limiter bounded; a full database makes readiness fail and writes answer 503
//! with nothing half-written.

use std::net::SocketAddr;
use std::time::Duration;

use omk_server::config::Config;
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::support::{TestApp, fresh_key, post_request};

/// A real server on a free port over a fresh SQLite file, with `adjust` applied.
async fn real_server(
    adjust: impl FnOnce(&mut Config),
) -> (omk_server::RunningServer, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut config =
        Config::for_database(format!("sqlite://{}", dir.path().join("omk.db").display()));
    config.web.dist = dir.path().join("dist");
    adjust(&mut config);
    let server = omk_server::spawn(config).await.expect("server starts");
    (server, dir)
}

/// The status code of `GET path` on a fresh connection, with extra header lines.
async fn status_of(addr: SocketAddr, path: &str, extra: &str) -> (u16, String, TcpStream) {
    let mut stream = TcpStream::connect(addr).await.expect("connects");
    let request = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\n{extra}\r\n");
    stream
        .write_all(request.as_bytes())
        .await
        .expect("request sent");
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        let n = stream.read(&mut byte).await.expect("reads");
        if n == 0 {
            break;
        }
        head.push(byte[0]);
    }
    let head = String::from_utf8_lossy(&head).into_owned();
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, head.to_ascii_lowercase(), stream)
}

#[tokio::test]
async fn slow_header_sockets_are_closed_while_health_checks_answer() {
    let (server, _dir) = real_server(|c| c.connections.header_timeout_secs = 1).await;
    let addr = server.addr;
    let mut slow = Vec::new();
    for _ in 0..300 {
        let mut socket = TcpStream::connect(addr).await.expect("connects");
        socket
            .write_all(b"GET / HTTP/1.1\r\nH")
            .await
            .expect("sent");
        slow.push(socket);
    }
    let (health, _, _) = status_of(addr, "/healthz", "").await;
    assert_eq!(health, 200, "health checks answer while 300 sockets dawdle");
    // Each socket keeps sending a byte now and then; the server answers 408 and closes it
    // anyway.
    let mut closed = 0;
    let mut answered = 0;
    for mut socket in slow {
        let mut received = Vec::new();
        let outcome = tokio::time::timeout(Duration::from_secs(30), async {
            let mut buf = [0u8; 1024];
            loop {
                let _ = socket.write_all(b"o").await;
                match tokio::time::timeout(Duration::from_millis(300), socket.read(&mut buf)).await
                {
                    Ok(Ok(0) | Err(_)) => return true,
                    Ok(Ok(n)) => received.extend_from_slice(&buf[..n]),
                    Err(_) => {}
                }
            }
        })
        .await;
        if outcome == Ok(true) {
            closed += 1;
        }
        let text = String::from_utf8_lossy(&received);
        if text.starts_with("HTTP/1.1 408") && text.contains("/problems/timed-out") {
            answered += 1;
        }
    }
    assert_eq!(
        answered, 300,
        "every slow-header socket is told why, with a problem"
    );
    assert_eq!(
        closed, 300,
        "every slow-header socket is closed by the server"
    );
    let (health, _, _) = status_of(addr, "/healthz", "").await;
    assert_eq!(health, 200);
    server.shutdown().await;
}

#[tokio::test]
async fn one_client_hits_its_stream_cap_and_a_full_server_refuses_more() {
    let (server, _dir) = real_server(|c| {
        c.limits.trust_forwarded_for = true;
        c.limits.streams_per_client = 16;
        c.limits.max_streams = 20;
    })
    .await;
    let addr = server.addr;
    let mut open = Vec::new();
    let mut refused = None;
    for _ in 0..100 {
        let (status, head, stream) = status_of(
            addr,
            "/api/v1/metrics/stream",
            "X-Forwarded-For: 198.51.100.7\r\n",
        )
        .await;
        if status == 200 {
            open.push(stream);
        } else {
            refused = Some((status, head));
            break;
        }
    }
    assert_eq!(open.len(), 16, "one client's cap");
    let (status, head) = refused.expect("a refusal");
    assert_eq!(status, 429);
    assert!(head.contains("retry-after:"), "{head}");
    assert!(head.contains("application/problem+json"), "{head}");
    // Others may still come, up to the server's cap.
    let mut others = Vec::new();
    for n in 0..4 {
        let (status, _, stream) = status_of(
            addr,
            "/api/v1/metrics/stream",
            &format!("X-Forwarded-For: 203.0.113.{n}\r\n"),
        )
        .await;
        assert_eq!(status, 200);
        others.push(stream);
    }
    let (status, head, _) = status_of(
        addr,
        "/api/v1/metrics/stream",
        "X-Forwarded-For: 203.0.113.99\r\n",
    )
    .await;
    assert_eq!(status, 503, "the server's cap");
    assert!(head.contains("retry-after:"), "{head}");
    // A closed stream gives its slot back.
    drop(open.pop());
    let mut reopened = 0;
    for _ in 0..50 {
        let (status, _, stream) = status_of(
            addr,
            "/api/v1/metrics/stream",
            "X-Forwarded-For: 198.51.100.7\r\n",
        )
        .await;
        if status == 200 {
            reopened += 1;
            open.push(stream);
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(reopened, 1);
    server.shutdown().await;
}

/// Guessed tracking numbers: twenty a minute, then 429 with the wait until the next
/// guess; the server's clock is held still, so however slowly the guesses go, no token
/// comes back until the test moves the clock on.
#[tokio::test]
async fn guessing_tracking_numbers_reaches_429() {
    let app = TestApp::configured(|c| {
        c.demo = false;
        c.limits.lookups_per_minute = 20;
    })
    .await;
    app.state.clock.stop();
    let guess = |n: u64| omk_api::tracking::from_bits("OM", n.wrapping_mul(0x9E37_79B9_7F4A_7C15));
    let mut statuses = std::collections::BTreeMap::new();
    let mut waits = std::collections::BTreeSet::new();
    for n in 0..500u64 {
        let reply = app.get(&format!("/api/v1/issues/{}", guess(n))).await;
        *statuses.entry(reply.status.as_u16()).or_insert(0) += 1;
        if reply.status.as_u16() == 429 {
            reply.problem(429);
            waits.insert(retry_after(&reply));
        }
    }
    assert_eq!(statuses.get(&404), Some(&20), "{statuses:?}");
    assert_eq!(statuses.get(&429), Some(&480), "{statuses:?}");
    assert_eq!(waits, [3].into(), "one guess every three seconds");
    // Two seconds on, still nothing; at three, exactly one more guess.
    app.state.clock.advance(2);
    let early = app.get(&format!("/api/v1/issues/{}", guess(500))).await;
    early.problem(429);
    assert_eq!(retry_after(&early), 1);
    app.state.clock.advance(1);
    app.get(&format!("/api/v1/issues/{}", guess(501)))
        .await
        .problem(404);
    let again = app.get(&format!("/api/v1/issues/{}", guess(502))).await;
    again.problem(429);
    assert_eq!(retry_after(&again), 3);
    // A minute later the whole burst is back.
    app.state.clock.advance(60);
    for n in 600..620u64 {
        app.get(&format!("/api/v1/issues/{}", guess(n)))
            .await
            .problem(404);
    }
    app.get(&format!("/api/v1/issues/{}", guess(620)))
        .await
        .problem(429);
}

/// The seconds a 429 asks to wait.
fn retry_after(reply: &crate::support::Reply) -> u64 {
    reply.headers["retry-after"]
        .to_str()
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("a Retry-After in seconds: {:?}", reply.headers))
}

#[tokio::test]
async fn a_hundred_thousand_client_addresses_leave_the_limiter_bounded() {
    let app = TestApp::configured(|c| {
        c.demo = false;
        c.limits.trust_forwarded_for = true;
        c.limits.reads_per_minute = 600;
    })
    .await;
    for n in 0..100_000u32 {
        let address = std::net::Ipv4Addr::from(0x0A00_0000 | n);
        let reply = app
            .send(
                axum::http::Request::get("/api/v1/no-such-thing")
                    .header("x-forwarded-for", address.to_string())
                    .body(axum::body::Body::empty())
                    .expect("request"),
            )
            .await;
        assert_eq!(reply.status.as_u16(), 404);
    }
    let remembered = app.state.limits.reads.clients();
    let bound = 2 * omk_server::ratelimit::GENERATION;
    assert!(bound < 100_000, "the bound is below the number of clients");
    assert!(remembered <= bound, "{remembered} clients remembered");
}

/// Makes every pooled SQLite connection refuse to grow the file, as a full disk does.
async fn fill_the_disk(app: &TestApp, full: bool) {
    let pool = app.state.db.pool();
    let mut held = Vec::new();
    for _ in 0..8 {
        held.push(pool.acquire().await.expect("a connection"));
    }
    for conn in &mut held {
        let pages: i64 = if full {
            sqlx::query_scalar("PRAGMA page_count")
                .fetch_one(&mut **conn)
                .await
                .expect("page count")
        } else {
            1 << 30
        };
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "PRAGMA max_page_count = {pages}"
        )))
        .execute(&mut **conn)
        .await
        .expect("limit set");
    }
    let Some(conn) = held.first_mut() else {
        return;
    };
    if !full {
        for cleanup in [
            "DELETE FROM write_probe",
            "DELETE FROM issues WHERE tracking_no LIKE 'FILL-%'",
            "DELETE FROM idempotency_keys WHERE key LIKE 'fill-%'",
            "DELETE FROM audit_log WHERE actor = 'fill'",
        ] {
            // A rollback the pool still owes may hold the lock a moment.
            let mut freed = Err(sqlx::Error::PoolClosed);
            for _ in 0..100 {
                freed = sqlx::query(cleanup).execute(&mut **conn).await;
                if freed.is_ok() {
                    break;
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            freed.expect("space freed");
        }
        return;
    }
    // Fill the free space left in every table (and index) a submission writes to, with
    // ever smaller rows, until nothing fits.
    let fillers = [
        "INSERT INTO write_probe (data) VALUES ($1)",
        "INSERT INTO issues (tracking_no, category, description, place, status, created_at, \
         updated_at) VALUES ('FILL-' || $1 || random(), 'parking', 'x', 'x', 'closed', 0, 0)",
        "INSERT INTO idempotency_keys (key, request_hash, created_at) \
         VALUES ('fill-' || $1 || random(), 'x', 0)",
        "INSERT INTO audit_log (at, actor, action, detail) VALUES (0, 'fill', 'signed_in', $1)",
    ];
    // A refused row may only have met a full index page at its random key while the
    // table's last page, where a real row goes, still has room: a size is done only when
    // many rows in a row find no room anywhere.
    for filler in fillers {
        for size in [400, 40, 1] {
            let (mut inserted, mut refused_in_a_row) = (0, 0);
            while inserted < 20_000 && refused_in_a_row < 64 {
                let done = sqlx::query(filler)
                    .bind("x".repeat(size))
                    .execute(&mut **conn)
                    .await;
                match done {
                    Ok(_) => (inserted, refused_in_a_row) = (inserted + 1, 0),
                    Err(_) => refused_in_a_row += 1,
                }
            }
        }
    }
}

#[tokio::test]
async fn a_full_database_is_not_ready_and_writes_answer_503_with_nothing_half_written() {
    let app = TestApp::empty_with_categories(&["parking"]).await;
    let real_issues = || async {
        sqlx::query_scalar::<_, i64>(
            "SELECT COUNT(*) FROM issues WHERE tracking_no NOT LIKE 'FILL-%'",
        )
        .fetch_one(app.state.db.pool())
        .await
        .expect("counted")
    };
    assert_eq!(app.get("/readyz").await.status.as_u16(), 200);
    let before = real_issues().await;
    fill_the_disk(&app, true).await;
    app.get("/readyz").await.problem(503);
    let key = fresh_key();
    let body = json!({"category": "parking", "description": "路口长期积水，行人无法通过，请尽快处理这个问题",
                      "place": "东昌府区柳园街道", "fill_ms": 9000})
    .to_string();
    let refused = app
        .send(post_request(
            "/api/v1/issues",
            "application/json",
            Some(&key),
            body.clone(),
        ))
        .await;
    refused.problem(503);
    assert_eq!(real_issues().await, before, "nothing half-written");
    fill_the_disk(&app, false).await;
    assert_eq!(app.get("/readyz").await.status.as_u16(), 200);
    // Ready means ready: the kiosk's outbox sends the same request again, with the same
    // key, and it lands the first time.
    let stored = app
        .send(post_request(
            "/api/v1/issues",
            "application/json",
            Some(&key),
            body.clone(),
        ))
        .await;
    assert_eq!(
        stored.status.as_u16(),
        201,
        "the first write after /readyz said ready: {}",
        stored.text()
    );
    assert_eq!(real_issues().await, before + 1, "stored once, on the retry");
    let again = app
        .send(post_request(
            "/api/v1/issues",
            "application/json",
            Some(&key),
            body,
        ))
        .await;
    assert_eq!(again.status.as_u16(), 201, "{}", again.text());
    assert_eq!(again.body, stored.body, "the same receipt");
    assert_eq!(real_issues().await, before + 1, "and never twice");
}

/// SQLite rolls a whole transaction back by itself on some errors, a full disk among them,
/// and the ROLLBACK that follows then fails. The connection must not go back into use
/// still counting that transaction: its next "commit" would only release a savepoint and
/// leave an acknowledged write uncommitted.
#[tokio::test]
async fn a_connection_whose_transaction_sqlite_ended_is_not_used_again() {
    let app = TestApp::empty_with_categories(&["parking"]).await;
    if app.state.db.backend() != omk_server::db::Backend::Sqlite {
        return;
    }
    let pool = app.state.db.pool();
    {
        let mut tx = pool.begin().await.expect("a transaction");
        // What SQLite does on its own after a full disk, behind the pool's back.
        sqlx::raw_sql(sqlx::AssertSqlSafe("ROLLBACK"))
            .execute(&mut *tx)
            .await
            .expect("rolled back");
        assert!(tx.rollback().await.is_err(), "nothing left to roll back");
    }
    let mut held = Vec::new();
    for _ in 0..8 {
        held.push(pool.acquire().await.expect("a connection"));
    }
    for conn in &mut held {
        assert!(!sqlx::Connection::is_in_transaction(&**conn));
        sqlx::raw_sql(sqlx::AssertSqlSafe("BEGIN; ROLLBACK"))
            .execute(&mut **conn)
            .await
            .expect("a real transaction can begin");
    }
    drop(held);
    let key = fresh_key();
    let stored = app
        .send(post_request(
            "/api/v1/issues",
            "application/json",
            Some(&key),
            json!({"category": "parking", "description": "路灯损坏已经三天，夜间通行很不安全",
                   "place": "东昌府区柳园街道", "fill_ms": 9000})
            .to_string(),
        ))
        .await;
    assert_eq!(stored.status.as_u16(), 201, "{}", stored.text());
    for _ in 0..8 {
        let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM issues")
            .fetch_one(pool)
            .await
            .expect("counted");
        assert_eq!(count, 1, "committed, seen by every connection");
    }
}

/// `omk-server backup` copies the database while the server serves it.
#[tokio::test]
async fn a_backup_is_a_consistent_copy_made_while_serving() {
    let app = TestApp::seeded().await;
    let dir = tempfile::tempdir().expect("temp dir");
    let copy = dir.path().join("copy.db");
    app.state.db.backup_to(&copy).await.expect("backed up");
    let copied = omk_server::Db::connect(&format!("sqlite://{}", copy.display()))
        .await
        .expect("the copy opens");
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM issues")
        .fetch_one(copied.pool())
        .await
        .expect("counted");
    assert_eq!(count, app.issue_count().await);
}

/// A script posting votes and ratings as fast as it can gets no further than people at a
/// kiosk could: six of each a minute, then 429 with `Retry-After`.
#[tokio::test]
async fn a_script_votes_and_rates_no_faster_than_visitors_could() {
    let app = TestApp::configured(|c| {
        c.limits.votes_per_minute = 6;
        c.limits.ratings_per_minute = 6;
    })
    .await;
    app.state.clock.stop();
    let topic: serde_json::Value = app.get("/api/v1/topics").await.json();
    let topic = topic[0]["id"].as_str().expect("a topic").to_owned();
    let mut votes = std::collections::BTreeMap::new();
    let mut ratings = std::collections::BTreeMap::new();
    for _ in 0..100 {
        let vote = app
            .post_json("/api/v1/votes", &json!({"topic": topic}))
            .await;
        *votes.entry(vote.status.as_u16()).or_insert(0) += 1;
        let rating = app
            .post_json("/api/v1/ratings", &json!({"level": "very_satisfied"}))
            .await;
        *ratings.entry(rating.status.as_u16()).or_insert(0) += 1;
        if rating.status.as_u16() == 429 {
            assert_eq!(retry_after(&rating), 10);
        }
    }
    assert_eq!(votes.get(&201), Some(&6), "{votes:?}");
    assert_eq!(votes.get(&429), Some(&94), "{votes:?}");
    assert_eq!(ratings.get(&201), Some(&6), "{ratings:?}");
    assert_eq!(ratings.get(&429), Some(&94), "{ratings:?}");
    // One more of each every ten seconds of the server's clock, and not before.
    app.state.clock.advance(9);
    let early = app
        .post_json("/api/v1/ratings", &json!({"level": "satisfied"}))
        .await;
    early.problem(429);
    assert_eq!(retry_after(&early), 1);
    app.state.clock.advance(1);
    let rating = app
        .post_json("/api/v1/ratings", &json!({"level": "satisfied"}))
        .await;
    assert_eq!(rating.status.as_u16(), 201, "{}", rating.text());
    let vote = app
        .post_json("/api/v1/votes", &json!({"topic": topic}))
        .await;
    assert_eq!(vote.status.as_u16(), 201, "{}", vote.text());
    let vote = app
        .post_json("/api/v1/votes", &json!({"topic": topic}))
        .await;
    vote.problem(429);
    assert_eq!(retry_after(&vote), 10);
}

/// A request whose body never finishes arriving is answered with a 408 problem when its
/// time is up, not left hanging and not dropped without a word.
#[tokio::test]
async fn a_request_that_takes_too_long_is_answered_with_a_408_problem() {
    let (server, _dir) = real_server(|c| c.connections.request_timeout_secs = 1).await;
    let addr = server.addr;
    let mut socket = TcpStream::connect(addr).await.expect("connects");
    let head = format!(
        "POST /api/v1/ratings HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\n\
         Idempotency-Key: 3f2504e0-4f89-41d3-9a0c-0305e82c3301\r\nContent-Length: 100\r\n\r\n{{\"level\""
    );
    socket.write_all(head.as_bytes()).await.expect("sent");
    let mut answer = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(30), async {
        let mut buf = [0u8; 1024];
        loop {
            match socket.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    answer.extend_from_slice(&buf[..n]);
                    if answer.windows(4).any(|w| w == b"\r\n\r\n") && answer.ends_with(b"}") {
                        break;
                    }
                }
            }
        }
    })
    .await;
    assert!(read.is_ok(), "the server answered");
    let answer = String::from_utf8_lossy(&answer).into_owned();
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains("application/problem+json"), "{answer}");
    assert!(answer.contains("/problems/timed-out"), "{answer}");
    server.shutdown().await;
}

/// A kept-alive connection that stays idle is closed by the server.
#[tokio::test]
async fn an_idle_kept_alive_connection_is_closed() {
    let (server, _dir) = real_server(|c| c.connections.header_timeout_secs = 1).await;
    let (status, _, mut stream) = status_of(server.addr, "/healthz", "").await;
    assert_eq!(status, 200);
    let closed = tokio::time::timeout(Duration::from_secs(60), async {
        let mut buf = [0u8; 256];
        loop {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => return true,
                Ok(_) => {}
            }
        }
    })
    .await;
    assert_eq!(
        closed,
        Ok(true),
        "the idle connection was closed by the server"
    );
    server.shutdown().await;
}

/// However many clients connect at once, no more connections are open than the cap, and
/// those that waited are served once others close.
#[tokio::test]
async fn connections_beyond_the_cap_wait_to_be_accepted() {
    let (server, _dir) = real_server(|c| {
        c.connections.max_connections = 3;
        c.connections.header_timeout_secs = 30;
    })
    .await;
    let mut held = Vec::new();
    for _ in 0..10 {
        held.push(TcpStream::connect(server.addr).await.expect("connects"));
    }
    let mut highest = 0;
    for _ in 0..500 {
        highest = highest.max(server.open_connections());
        if highest == 3 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(highest, 3, "the cap is reached");
    for _ in 0..50 {
        assert!(server.open_connections() <= 3);
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    drop(held);
    let (status, _, _) = status_of(server.addr, "/healthz", "").await;
    assert_eq!(status, 200, "a waiting client is served once others close");
    assert!(server.open_connections() <= 3);
    server.shutdown().await;
}
