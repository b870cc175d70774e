//! The connection loop: HTTP/1.1 (and HTTP/2 with prior knowledge) with a time limit on
//! reading a request's headers, answered with a 408 problem (`head_timeout.rs`; idle
//! kept-alive connections are closed a little later by hyper's own timer), a cap on
//! open connections, and a graceful shutdown with a deadline: no new connections, the
//! live streams end, requests in flight get `--shutdown-grace-secs` to finish, then
//! whatever is left is closed.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto::Builder;
use hyper_util::server::graceful::GracefulShutdown;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tower::ServiceExt;

use crate::config::Config;
use crate::head_timeout::{HeadState, Watched};
use crate::live::Live;

/// The connection settings `config` asks for.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub header_timeout: Duration,
    pub max_connections: usize,
    pub grace: Duration,
}

impl Limits {
    pub fn of(config: &Config) -> Limits {
        Limits {
            header_timeout: Duration::from_secs(config.connections.header_timeout_secs.max(1)),
            max_connections: config.connections.max_connections.max(1),
            grace: Duration::from_secs(config.connections.shutdown_grace_secs),
        }
    }
}

/// Serves `router` on `listener` until `stop` resolves.
pub async fn serve(
    listener: TcpListener,
    slots: Arc<Semaphore>,
    router: Router,
    limits: Limits,
    live: Live,
    stop: impl std::future::Future<Output = ()>,
) -> std::io::Result<()> {
    let mut builder = Builder::new(TokioExecutor::new());
    builder
        .http1()
        .timer(TokioTimer::new())
        // A backstop, and the limit on idle kept-alive connections: a head that has begun
        // is answered with a 408 by `head_timeout` first.
        .header_read_timeout(limits.header_timeout + Duration::from_secs(5))
        .keep_alive(true);
    builder
        .http2()
        .timer(TokioTimer::new())
        .keep_alive_interval(Some(Duration::from_secs(30)));
    let builder = Arc::new(builder);
    let graceful = GracefulShutdown::new();
    tokio::pin!(stop);
    loop {
        let slot = tokio::select! {
            slot = slots.clone().acquire_owned() => match slot {
                Ok(slot) => slot,
                Err(_) => break,
            },
            () = &mut stop => break,
        };
        let (socket, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(err) => {
                    // Out of file descriptors and the like: wait, do not spin.
                    tracing::warn!(%err, "cannot accept a connection");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = &mut stop => break,
        };
        let _ = socket.set_nodelay(true);
        let router = router.clone();
        let head = HeadState::default();
        let watched = Watched::new(socket, head.clone(), limits.header_timeout);
        let service = hyper::service::service_fn(move |mut request: hyper::Request<Incoming>| {
            head.head_received();
            request
                .extensions_mut()
                .insert(ConnectInfo::<SocketAddr>(peer));
            let answer = router.clone().oneshot(request.map(axum::body::Body::new));
            let head = head.clone();
            async move {
                let response = answer.await;
                head.answered();
                response
            }
        });
        let connection = builder
            .serve_connection_with_upgrades(TokioIo::new(watched), service)
            .into_owned();
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            if let Err(err) = connection.await {
                tracing::debug!(%err, "connection ended with an error");
            }
            drop(slot);
        });
    }
    drop(listener);
    // Streams never end by themselves; end them so the connections can close.
    live.close();
    if tokio::time::timeout(limits.grace, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!("connections still open after the grace period were closed");
    }
    Ok(())
}
