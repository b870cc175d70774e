//! The live stream: a snapshot at once, one update per change carrying only
//! the parts that moved, the whole snapshot again after reconnection, and a
//! server that shuts down with streams open.

use std::time::Duration;

use axum::body::{Body, BodyDataStream};
use axum::http::Request;
use futures::StreamExt;
use omk_api::{Metrics, MetricsUpdate};
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tower::ServiceExt;

use crate::support::TestApp;

/// One parsed SSE event.
#[derive(Debug)]
struct SseEvent {
    id: u64,
    name: String,
    data: String,
}

/// Reads SSE events off a body, across chunk boundaries.
struct SseReader {
    body: BodyDataStream,
    buffer: String,
    /// The figures as the stream has brought them so far.
    figures: Option<Metrics>,
    /// Inflates a gzip body as it arrives, once its header is read.
    gzip: Option<Gunzip>,
}

/// A gzip body read as it arrives: its header, then deflate data inflated chunk by chunk.
struct Gunzip {
    header: Vec<u8>,
    inflate: flate2::Decompress,
    /// The body as received, to check whole once it ends.
    raw: Vec<u8>,
    /// The plain text inflated so far.
    plain: Vec<u8>,
}

impl Gunzip {
    /// What `chunk` adds to the plain text.
    fn feed(&mut self, mut chunk: &[u8]) -> Vec<u8> {
        self.raw.extend_from_slice(chunk);
        let missing = omk_server::sse_gzip::HEADER.len() - self.header.len();
        let (head, rest) = chunk.split_at(missing.min(chunk.len()));
        self.header.extend_from_slice(head);
        chunk = rest;
        let mut plain = Vec::with_capacity(64 * 1024);
        let before = self.inflate.total_in();
        self.inflate
            .decompress_vec(chunk, &mut plain, flate2::FlushDecompress::Sync)
            .expect("valid deflate data");
        assert_eq!(
            (self.inflate.total_in() - before) as usize,
            chunk.len(),
            "every chunk is inflated as it arrives"
        );
        self.plain.extend_from_slice(&plain);
        plain
    }
}

impl SseReader {
    async fn open(app: &TestApp, last_event_id: Option<u64>) -> SseReader {
        SseReader::open_with(app, last_event_id, false).await
    }

    /// Opens the stream, asking for gzip when `gzip` is set.
    async fn open_with(app: &TestApp, last_event_id: Option<u64>, gzip: bool) -> SseReader {
        let mut request = Request::get("/api/v1/metrics/stream");
        if let Some(id) = last_event_id {
            request = request.header("last-event-id", id.to_string());
        }
        if gzip {
            request = request.header("accept-encoding", "gzip, deflate, br");
        }
        let response = app
            .router
            .clone()
            .oneshot(request.body(Body::empty()).expect("request"))
            .await
            .expect("infallible");
        assert_eq!(response.status().as_u16(), 200);
        assert_eq!(
            response.headers()["content-type"].to_str().unwrap_or(""),
            "text/event-stream"
        );
        let encoding = response.headers().get("content-encoding");
        assert_eq!(encoding.is_some_and(|e| e == "gzip"), gzip, "{encoding:?}");
        SseReader {
            body: response.into_body().into_data_stream(),
            buffer: String::new(),
            figures: None,
            gzip: gzip.then(|| Gunzip {
                header: Vec::new(),
                inflate: flate2::Decompress::new(false),
                raw: Vec::new(),
                plain: Vec::new(),
            }),
        }
    }

    /// The next event (comments and `retry:` skipped), or `None` after 5 s.
    async fn next(&mut self) -> Option<SseEvent> {
        self.next_within(Duration::from_secs(5)).await
    }

    /// The next event (comments and `retry:` skipped), or `None` after `wait`
    /// without one.
    async fn next_within(&mut self, wait: Duration) -> Option<SseEvent> {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            while let Some(end) = self.buffer.find("\n\n") {
                let block: String = self.buffer.drain(..end + 2).collect();
                let mut event = SseEvent {
                    id: 0,
                    name: String::new(),
                    data: String::new(),
                };
                for line in block.lines() {
                    if let Some(v) = line.strip_prefix("id: ") {
                        event.id = v
                            .parse()
                            .unwrap_or_else(|e| panic!("an unreadable event id {v:?}: {e}"));
                    } else if let Some(v) = line.strip_prefix("event: ") {
                        event.name = v.to_owned();
                    } else if let Some(v) = line.strip_prefix("data: ") {
                        event.data.push_str(v);
                    }
                }
                if !event.name.is_empty() {
                    return Some(event);
                }
            }
            let chunk = tokio::time::timeout_at(deadline, self.body.next())
                .await
                .ok()??
                .ok()?;
            let plain = match &mut self.gzip {
                Some(gunzip) => gunzip.feed(&chunk),
                None => chunk.to_vec(),
            };
            self.buffer.push_str(&String::from_utf8_lossy(&plain));
        }
    }

    /// The figures after the next `metrics` snapshot, or after the next
    /// `update` applied to the last snapshot, with the event's id.
    async fn next_metrics(&mut self) -> Option<(u64, Metrics)> {
        loop {
            let event = self.next().await?;
            match event.name.as_str() {
                "metrics" => {
                    let metrics: Metrics = serde_json::from_str(&event.data)
                        .unwrap_or_else(|e| panic!("not a Metrics ({e}): {}", event.data));
                    self.figures = Some(metrics.clone());
                    return Some((event.id, metrics));
                }
                "update" => {
                    let update: MetricsUpdate = serde_json::from_str(&event.data)
                        .unwrap_or_else(|e| panic!("not a MetricsUpdate ({e}): {}", event.data));
                    let figures = self
                        .figures
                        .as_mut()
                        .expect("an update comes after a snapshot");
                    figures.apply(update);
                    return Some((event.id, figures.clone()));
                }
                _ => {}
            }
        }
    }

    /// The first `update` whose ratings total is `total`, with its size; a frame computed
    /// before the write landed (another instance's, over PostgreSQL) may come first.
    async fn update_counting(&mut self, total: i64) -> (MetricsUpdate, usize) {
        for _ in 0..3 {
            let (_, update, bytes) = self.next_update().await.expect("an update");
            if update.headline.ratings_total == total {
                return (update, bytes);
            }
        }
        panic!("no update counted {total} ratings");
    }

    /// The next `update` event, read as one.
    async fn next_update(&mut self) -> Option<(u64, MetricsUpdate, usize)> {
        loop {
            let event = self.next().await?;
            if event.name == "update" {
                let update = serde_json::from_str(&event.data)
                    .unwrap_or_else(|e| panic!("not a MetricsUpdate ({e}): {}", event.data));
                return Some((event.id, update, event.data.len()));
            }
        }
    }
}

async fn stream_sends_the_current_figures_at_once() {
    let app = TestApp::seeded().await;
    let mut stream = SseReader::open(&app, None).await;
    let (id, metrics) = stream.next_metrics().await.expect("first snapshot");
    assert!(id > 0);
    assert_eq!(metrics.issues_collected, 4139);
}

async fn a_rating_reaches_open_streams_with_a_higher_id() {
    let app = TestApp::seeded().await;
    let mut stream = SseReader::open(&app, None).await;
    let (first_id, first) = stream.next_metrics().await.expect("first snapshot");
    let reply = app
        .post_json("/api/v1/ratings", &json!({"level": "very_satisfied"}))
        .await;
    assert_eq!(reply.status.as_u16(), 201);
    // A frame computed before the rating landed may still be on its way; the rating's
    // own frame follows it.
    let mut counted = None;
    for _ in 0..3 {
        let (id, next) = stream.next_metrics().await.expect("update");
        assert!(id > first_id);
        if next.ratings_total == first.ratings_total + 1 {
            counted = Some(next.ratings_total);
            break;
        }
        assert_eq!(
            next.ratings_total, first.ratings_total,
            "never counted twice"
        );
    }
    assert_eq!(counted, Some(first.ratings_total + 1));
}

async fn a_change_sends_only_the_parts_that_moved() {
    let app = TestApp::seeded().await;
    let whole = app.get("/api/v1/metrics").await.text().len();
    let mut stream = SseReader::open(&app, None).await;
    let (_, first) = stream.next_metrics().await.expect("first snapshot");
    let mut follower = SseReader::open(&app, None).await;
    follower.next_metrics().await.expect("first snapshot");

    // A rating naming no unit moves the headline and today's point, not the ranking.
    let reply = app
        .post_json("/api/v1/ratings", &json!({"level": "satisfied"}))
        .await;
    assert_eq!(reply.status.as_u16(), 201, "{}", reply.text());
    let (update, bytes) = stream.update_counting(first.ratings_total + 1).await;
    assert_eq!(update.headline.ratings_total, first.ratings_total + 1);
    assert_eq!(update.headline.ratings_today, first.ratings_today + 1);
    assert_eq!(update.ranking, None);
    let today = update.today.expect("today's point moved");
    let last = first.trend.last().expect("a trend");
    assert_eq!(today.day, last.day);
    assert_eq!(today.ratings, last.ratings + 1);
    assert!(bytes * 4 < whole, "{bytes} B of {whole} B");

    // A rating naming a unit moves the ranking as well.
    let unit = first.ranking.first().expect("a ranked unit").unit.clone();
    let reply = app
        .post_json(
            "/api/v1/ratings",
            &json!({"level": "very_dissatisfied", "unit": unit}),
        )
        .await;
    assert_eq!(reply.status.as_u16(), 201, "{}", reply.text());
    let (update, _) = stream.update_counting(first.ratings_total + 2).await;
    let ranking = update.ranking.expect("the ranking moved");
    let score = ranking
        .iter()
        .find(|s| s.unit == unit)
        .expect("the unit is ranked");
    let before = first.ranking.first().expect("a ranked unit");
    assert_eq!(score.ratings, before.ratings + 1);

    // Merged into the first snapshot, the two updates give the figures of a fresh one.
    let total = first.ratings_total + 2;
    let mut merged = first;
    for _ in 0..4 {
        merged = follower.next_metrics().await.expect("an update").1;
        if merged.ratings_total == total {
            break;
        }
    }
    let mut fresh = SseReader::open(&app, None).await;
    let (_, now) = fresh.next_metrics().await.expect("a snapshot");
    assert_eq!(
        Metrics {
            as_of: now.as_of,
            ..merged
        },
        now
    );
}

async fn a_vote_sends_the_new_tally_as_a_topics_event() {
    let app = TestApp::seeded().await;
    let before: Vec<omk_api::Topic> = app.get("/api/v1/topics").await.json();
    let mut stream = SseReader::open(&app, None).await;
    stream.next_metrics().await.expect("first snapshot");
    // The current tally may come with the snapshot, before or after it: read
    // everything sent before the vote.
    while let Some(event) = stream.next_within(Duration::from_millis(300)).await {
        if event.name == "topics" {
            let topics: Vec<omk_api::Topic> = serde_json::from_str(&event.data).expect("topics");
            assert_eq!(
                topics, before,
                "the tally sent on connecting is the current one"
            );
        }
    }
    let reply = app
        .post_json("/api/v1/votes", &json!({"topic": "parking"}))
        .await;
    assert_eq!(reply.status.as_u16(), 201, "{}", reply.text());
    let topics = loop {
        let event = stream.next().await.expect("a topics event after the vote");
        if event.name == "topics" {
            let topics: Vec<omk_api::Topic> = serde_json::from_str(&event.data).expect("topics");
            break topics;
        }
    };
    let tally = |topics: &[omk_api::Topic]| -> Vec<(String, i64)> {
        topics.iter().map(|t| (t.id.clone(), t.votes)).collect()
    };
    let expected: Vec<(String, i64)> = tally(&before)
        .into_iter()
        .map(|(id, votes)| {
            let votes = if id == "parking" { votes + 1 } else { votes };
            (id, votes)
        })
        .collect();
    assert!(
        expected.iter().any(|(id, _)| id == "parking"),
        "{expected:?}"
    );
    assert_eq!(tally(&topics), expected);
}

async fn reconnecting_with_last_event_id_gets_the_whole_current_snapshot() {
    let app = TestApp::seeded().await;
    let mut live = SseReader::open(&app, None).await;
    let (mut seen, first) = live.next_metrics().await.expect("first snapshot");
    // The tally may come with the snapshot; `seen` is the last frame before any change.
    while let Some(event) = live.next_within(Duration::from_millis(300)).await {
        seen = seen.max(event.id);
    }
    // Three changes, each waited for on an open stream, so each is its own
    // update: (id, ratings_total) of every frame sent after `seen`.
    let mut sent = Vec::new();
    for n in 1..=3 {
        let reply = app
            .post_json("/api/v1/ratings", &json!({"level": "satisfied"}))
            .await;
        assert_eq!(reply.status.as_u16(), 201, "{}", reply.text());
        let (id, update, _) = live.next_update().await.expect("the update");
        assert_eq!(update.headline.ratings_total, first.ratings_total + n);
        sent.push((id, update.headline.ratings_total));
    }
    drop(live);
    assert!(sent.windows(2).all(|w| w[0].0 < w[1].0), "{sent:?}");
    assert!(sent[0].0 > seen, "{sent:?} after {seen}");

    // Reconnecting after `seen`, or after the first update, brings the whole
    // snapshot as of the last update, under its id, and nothing else.
    for last in [seen, sent[0].0] {
        let mut again = SseReader::open(&app, Some(last)).await;
        let event = again.next().await.expect("a snapshot");
        assert_eq!(event.name, "metrics", "{event:?}");
        let metrics: Metrics = serde_json::from_str(&event.data).expect("metrics");
        assert_eq!((event.id, metrics.ratings_total), sent[2]);
        let more = again.next_within(Duration::from_millis(500)).await;
        assert!(more.is_none(), "nothing more was sent: {more:?}");
    }
}

/// A browser that takes gzip gets the same events, each readable as soon as it arrives, and a
/// body whose checksum holds when the server closes it.
async fn a_gzip_stream_brings_each_event_as_it_happens() {
    let app = TestApp::seeded().await;
    let mut plain = SseReader::open(&app, None).await;
    let mut gzip = SseReader::open_with(&app, None, true).await;
    let (id, first) = gzip.next_metrics().await.expect("the snapshot");
    assert_eq!(
        plain.next_metrics().await.expect("the snapshot"),
        (id, first.clone())
    );
    let reply = app
        .post_json("/api/v1/ratings", &json!({"level": "very_satisfied"}))
        .await;
    assert_eq!(reply.status.as_u16(), 201);
    // A frame computed before the rating landed may still be on its way; the rating's
    // own frame follows it.
    let mut counted = false;
    for _ in 0..3 {
        let (later, figures) = gzip.next_metrics().await.expect("an update");
        assert!(later > id);
        if figures.ratings_total == first.ratings_total + 1 {
            counted = true;
            break;
        }
    }
    assert!(counted, "the rating's update came through gzip");
    app.state.live.close();
    let mut rest = Vec::new();
    while let Some(Ok(chunk)) = gzip.body.next().await {
        rest.extend_from_slice(&chunk);
    }
    let gunzip = gzip.gzip.as_mut().expect("gzip");
    gunzip.raw.extend_from_slice(&rest);
    assert_eq!(gunzip.header, omk_server::sse_gzip::HEADER);
    let mut whole = Vec::new();
    std::io::Read::read_to_end(
        &mut flate2::read::GzDecoder::new(&gunzip.raw[..]),
        &mut whole,
    )
    .expect("a whole gzip body, its checksum and length right");
    assert!(whole.starts_with(&gunzip.plain), "the same text, whole");
    assert!(String::from_utf8_lossy(&whole).starts_with("retry: 2000\n\n"));
}

async fn spawned_server_answers_on_a_free_port_and_shuts_down_with_streams_open() {
    let dir = tempfile::tempdir().expect("temp dir");
    let config = omk_server::Config::for_database(
        crate::support::fresh_database_url(&dir.path().join("data")).await,
    );
    let server = omk_server::spawn(config).await.expect("server starts");
    assert_ne!(server.addr.port(), 0);

    let mut health = tokio::net::TcpStream::connect(server.addr)
        .await
        .expect("connect");
    health
        .write_all(b"GET /healthz HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n")
        .await
        .expect("write");
    let mut answer = String::new();
    health.read_to_string(&mut answer).await.expect("read");
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");

    let mut sse = tokio::net::TcpStream::connect(server.addr)
        .await
        .expect("connect");
    sse.write_all(b"GET /api/v1/metrics/stream HTTP/1.1\r\nhost: x\r\n\r\n")
        .await
        .expect("write");
    let mut buf = vec![0u8; 4096];
    let n = sse.read(&mut buf).await.expect("read");
    assert!(String::from_utf8_lossy(&buf[..n]).contains("text/event-stream"));

    tokio::time::timeout(Duration::from_secs(10), server.shutdown())
        .await
        .expect("graceful shutdown finishes with a stream open");
}

crate::on_every_backend!(
    stream_sends_the_current_figures_at_once,
    a_rating_reaches_open_streams_with_a_higher_id,
    a_change_sends_only_the_parts_that_moved,
    a_vote_sends_the_new_tally_as_a_topics_event,
    reconnecting_with_last_event_id_gets_the_whole_current_snapshot,
    a_gzip_stream_brings_each_event_as_it_happens,
    spawned_server_answers_on_a_free_port_and_shuts_down_with_streams_open,
);
