//! `/metrics` and `/metrics/stream`: the live figures, as one snapshot or as
//! Server-Sent Events; `/metrics/qr.svg` hands the figures page to a phone.

use std::convert::Infallible;
use std::sync::{Arc, LazyLock, Mutex, PoisonError};
use std::time::Duration;

use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use bytes::Bytes;
use futures::StreamExt;
use omk_api::Metrics;
use omk_api::StreamEventName;
use omk_api::metrics::StreamEvent;
use omk_api::params;
use tokio_stream::wrappers::errors::BroadcastStreamRecvError;
use tokio_stream::wrappers::{BroadcastStream, IntervalStream};

use crate::client_addr::Client;
use crate::error::AppError;
use crate::live::Frame;
use crate::openapi::{PhoneLink, Read};
use crate::public_url::PublicUrl;
use crate::state::AppState;
use crate::{db, qr, sse_gzip};

/// One piece of the stream: a frame, or a line of the stream's own.
#[derive(Debug, Clone)]
enum Chunk {
    Frame(Frame),
    /// Plain text and its gzip segment.
    Own(&'static (Bytes, Bytes)),
}

impl Chunk {
    /// How long a browser waits before reconnecting: the stream's first line.
    fn retry() -> Chunk {
        static RETRY: LazyLock<(Bytes, Bytes)> = LazyLock::new(|| own(b"retry: 2000\n\n"));
        Chunk::Own(&RETRY)
    }

    /// The comment that keeps an idle stream open.
    fn keep_alive() -> Chunk {
        static KEEP: LazyLock<(Bytes, Bytes)> = LazyLock::new(|| own(b": keep-alive\n\n"));
        Chunk::Own(&KEEP)
    }

    fn plain(&self) -> Bytes {
        match self {
            Chunk::Frame(frame) => frame.bytes.clone(),
            Chunk::Own((plain, _)) => plain.clone(),
        }
    }

    fn gzip(&self) -> Bytes {
        match self {
            Chunk::Frame(frame) => frame.gzip(),
            Chunk::Own((_, gzip)) => gzip.clone(),
        }
    }
}

fn own(plain: &'static [u8]) -> (Bytes, Bytes) {
    (Bytes::from_static(plain), sse_gzip::segment(plain))
}

impl From<Frame> for Chunk {
    fn from(frame: Frame) -> Chunk {
        Chunk::Frame(frame)
    }
}

fn lock(trailer: &Mutex<sse_gzip::Trailer>) -> std::sync::MutexGuard<'_, sse_gzip::Trailer> {
    trailer.lock().unwrap_or_else(PoisonError::into_inner)
}

/// How often an idle stream gets a comment, so proxies keep it open.
pub const KEEP_ALIVE: Duration = Duration::from_secs(15);

/// The metrics routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/metrics", get(snapshot))
        .route("/metrics/stream", get(stream))
        .route("/metrics/qr.svg", get(qr_code))
}

/// A QR code of the widget's figures page, for a hall display's visitors' phones.
#[utoipa::path(get, path = "/api/v1/metrics/qr.svg", tag = "metrics", operation_id = "figures_qr_code",
    responses((status = 200, description = "A QR code (SVG) of `{public URL}/?view=figures`", content_type = "image/svg+xml", body = String),
        PhoneLink))]
pub(crate) async fn qr_code(public: PublicUrl) -> Result<Response, AppError> {
    let svg = qr::svg(&public.figures_page()).map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(super::svg_response(svg))
}

/// Every figure, computed now.
#[utoipa::path(get, path = "/api/v1/metrics", tag = "metrics",
    responses((status = 200, body = Metrics), Read))]
pub(crate) async fn snapshot(State(state): State<AppState>) -> Result<Json<Metrics>, AppError> {
    Ok(Json(
        db::metrics::snapshot(&state.db, state.clock.now()).await?,
    ))
}

/// The live stream: the current figures at once, then one `update` event with
/// the parts that moved after every change (a whole `metrics` snapshot when a
/// new day moves the trend) and a `topics` event after every vote. A client
/// that reconnects with `Last-Event-ID` gets the whole current snapshot and
/// the tally frames it missed.
#[utoipa::path(get, path = "/api/v1/metrics/stream", tag = "metrics", params(params::LastEventId),
    responses((status = 200, description = "Server-Sent Events, each described here: `metrics` (a whole Metrics snapshot: first, and after falling behind or a new day), `update` (a MetricsUpdate: the parts of the figures that moved, to apply to the last snapshot) and `topics` (the tally); a comment every 15 s keeps the connection open; 429 when this client holds as many streams as it may, 503 when the server does",
        content_type = "text/event-stream", body = StreamEvent), Read))]
pub(crate) async fn stream(
    State(state): State<AppState>,
    Client(client): Client,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let permit = state.streams.acquire(client)?;
    let last_event_id = headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    let gzip = headers
        .get(header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .is_some_and(sse_gzip::accepts_gzip);
    let (first, rx) = state.live.subscribe(last_event_id);
    let first = futures::stream::iter(
        std::iter::once(Chunk::retry())
            .chain(first.into_iter().map(Chunk::from))
            .map(Ok::<_, Infallible>),
    );
    // A subscriber that fell behind gets the whole latest snapshot in place
    // of the updates it skipped, and then none of the updates it covers.
    let live = state.live.clone();
    let mut covered = 0;
    let updates = BroadcastStream::new(rx).filter_map(move |frame| {
        let chunk = match frame {
            Ok(frame) if frame.kind != StreamEventName::Topics && frame.id <= covered => None,
            Ok(frame) => Some(Chunk::from(frame)),
            Err(BroadcastStreamRecvError::Lagged(_)) => live.latest_metrics().map(|whole| {
                covered = whole.id;
                Chunk::from(whole)
            }),
        };
        std::future::ready(chunk.map(Ok))
    });
    let keep_alive = IntervalStream::new(tokio::time::interval_at(
        tokio::time::Instant::now() + KEEP_ALIVE,
        KEEP_ALIVE,
    ))
    .map(|_| Ok(Chunk::keep_alive()));
    let mut closed = state.live.closed();
    let chunks = first
        .chain(futures::stream::select(updates, keep_alive))
        .take_until(async move {
            let _ = closed.wait_for(|c| *c).await;
        })
        // The slot is given back when the stream ends, however it ends.
        .map(move |chunk| {
            let _held = &permit;
            chunk
        });
    let mut response = if gzip {
        let trailer = Arc::new(Mutex::new(sse_gzip::Trailer::default()));
        let counted = trailer.clone();
        let deflated = chunks.map(move |chunk| {
            chunk.map(|chunk| {
                lock(&counted).count(&chunk.plain());
                chunk.gzip()
            })
        });
        let header = Bytes::from_static(&sse_gzip::HEADER);
        let body = futures::stream::once(std::future::ready(Ok(header)))
            .chain(deflated)
            .chain(futures::stream::once(
                async move { Ok(lock(&trailer).finish()) },
            ));
        let mut response = Body::from_stream(body).into_response();
        response
            .headers_mut()
            .insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
        response
    } else {
        Body::from_stream(chunks.map(|chunk| chunk.map(|chunk| chunk.plain()))).into_response()
    };
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/event-stream"),
    );
    headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    headers.insert("x-accel-buffering", HeaderValue::from_static("no"));
    Ok(response)
}
