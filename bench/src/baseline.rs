//! Bare axum servers that the project's server is compared with in the same run: a "hello"
//! handler, a broadcast event stream fed by POSTs, and a static folder with compression.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::serve::ListenerExt;
use bytes::Bytes;
use futures::StreamExt;
use tokio::sync::broadcast;
use tokio_stream::wrappers::BroadcastStream;
use tower_http::compression::CompressionLayer;
use tower_http::services::ServeDir;

/// What a baseline server does.
#[derive(Debug, Clone, clap::Subcommand)]
pub enum Baseline {
    /// Answers every request with `hello`.
    Hello,
    /// `GET /api/v1/metrics/stream` subscribes to a broadcast; every `POST /api/v1/ratings`
    /// counts and broadcasts one `metrics` frame of about `frame_bytes`.
    Sse {
        #[arg(long, default_value_t = 1200)]
        frame_bytes: usize,
    },
    /// Serves a folder, compressed with brotli or gzip as the client asks: the build's
    /// precompressed copies where there are some, on the fly otherwise.
    Static { dir: PathBuf },
}

/// The broadcast behind the stream baseline.
#[derive(Clone)]
struct Feed {
    tx: broadcast::Sender<Bytes>,
    count: Arc<AtomicI64>,
    frame_bytes: usize,
}

/// Serves `baseline` on `listen` until the process is interrupted.
pub async fn serve(listen: SocketAddr, baseline: Baseline) -> Result<(), String> {
    let app = match baseline {
        Baseline::Hello => Router::new().fallback(|| async { "hello" }),
        Baseline::Sse { frame_bytes } => {
            let (tx, _) = broadcast::channel(64);
            let feed = Feed {
                tx,
                count: Arc::new(AtomicI64::new(0)),
                frame_bytes,
            };
            Router::new()
                .route("/api/v1/metrics/stream", get(stream))
                .route("/api/v1/ratings", post(rate))
                .with_state(feed)
        }
        Baseline::Static { dir } => Router::new()
            .fallback_service(ServeDir::new(dir).precompressed_br().precompressed_gzip())
            .layer(CompressionLayer::new()),
    };
    // Nagle's algorithm off, as in the project's server.
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .map_err(|e| format!("binding {listen}: {e}"))?
        .tap_io(|tcp| {
            let _ = tcp.set_nodelay(true);
        });
    axum::serve(listener, app)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
        .map_err(|e| format!("serving: {e}"))
}

/// One frame: a JSON object with the count, padded to about `frame_bytes`.
fn frame(count: i64, frame_bytes: usize) -> Bytes {
    let data = format!("{{\"ratings_today\":{count},\"pad\":\"\"}}");
    let pad = "x".repeat(frame_bytes.saturating_sub(data.len()));
    Bytes::from(format!(
        "id: {count}\nevent: metrics\ndata: {{\"ratings_today\":{count},\"pad\":\"{pad}\"}}\n\n"
    ))
}

async fn stream(State(feed): State<Feed>) -> Response {
    let rx = feed.tx.subscribe();
    let first = frame(feed.count.load(Ordering::SeqCst), feed.frame_bytes);
    let updates = BroadcastStream::new(rx).filter_map(|f| std::future::ready(f.ok()));
    let body = futures::stream::once(std::future::ready(first))
        .chain(updates)
        .map(Ok::<_, Infallible>);
    let mut response = Body::from_stream(body).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        header::HeaderValue::from_static("text/event-stream"),
    );
    response
}

async fn rate(State(feed): State<Feed>) -> impl IntoResponse {
    let count = feed.count.fetch_add(1, Ordering::SeqCst) + 1;
    let _ = feed.tx.send(frame(count, feed.frame_bytes));
    (StatusCode::CREATED, "{}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_are_padded_to_the_asked_size() {
        let bytes = frame(42, 1000);
        let text = std::str::from_utf8(&bytes).expect("utf-8");
        let data = text
            .lines()
            .find_map(|l| l.strip_prefix("data: "))
            .expect("data line");
        assert_eq!(data.len(), 1000);
        assert_eq!(
            crate::wire::json_integer(data.as_bytes(), "ratings_today"),
            Some(42)
        );
    }
}
