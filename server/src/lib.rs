//! The reference backend of Open Month Kiosk: the `/api/v1` HTTP API, the live
//! figures stream and the built widget, over SQLite or PostgreSQL.
//!
//! [`app`] builds the router (for in-process tests), [`spawn`] opens the
//! database and serves on a socket, and [`run`] is what the binary does.

pub mod assets;
pub mod auth;
pub mod cli;
pub mod client_addr;
pub mod clock;
pub mod commit;
pub mod config;
pub mod db;
pub mod deadlines;
pub mod error;
pub mod extract;
pub mod fanout;
pub mod head_timeout;
pub mod ics;
pub mod idempotency;
pub mod import;
pub mod live;
pub mod middleware;
pub mod openapi;
pub mod opendata;
pub mod ops;
pub mod privacy;
pub mod public_url;
pub mod qr;
pub mod ratelimit;
pub mod routes;
pub mod secrets;
pub mod security;
pub mod seed;
pub mod serve;
pub mod sse_gzip;
pub mod state;
pub mod streams;
pub mod tracking;
pub mod validators;

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::any;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::trace::TraceLayer;

pub use config::{Cli, Command, Config};
pub use db::{Db, DbError};
pub use error::AppError;
pub use state::AppState;

/// The largest request body any route reads.
pub const BODY_LIMIT: usize = 64 * 1024;

/// Why the server could not start or run.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    #[error(transparent)]
    Db(#[from] DbError),
    #[error("cannot seed the demo data: {0}")]
    Seed(#[source] sqlx::Error),
    #[error("cannot start the live feed: {0}")]
    Live(#[source] sqlx::Error),
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("server error: {0}")]
    Serve(#[from] std::io::Error),
    #[error("{path}: {source}")]
    File {
        path: String,
        source: std::io::Error,
    },
    #[error("{path} was not imported, and nothing was written:\n{report}")]
    Rejected { path: String, report: String },
    #[error("nothing was written: {0}")]
    Invalid(String),
    #[error("cannot start: {0}")]
    Config(String),
}

/// The whole application: the API under `/api/v1`, health checks, and the
/// widget's files at `/`.
pub fn app(state: AppState) -> Router {
    let config = state.config.clone();
    let limits = state.limits.clone();
    let request_timeout = Duration::from_secs(config.connections.request_timeout_secs.max(1));
    let router = Router::new()
        .nest(
            omk_api::API_PREFIX,
            routes::api_router(state.clone())
                .layer(axum::middleware::from_fn(validators::validate))
                .layer(DefaultBodyLimit::max(BODY_LIMIT)),
        )
        .route("/api", any(middleware::api_not_found))
        .route("/api/{*rest}", any(middleware::api_not_found))
        .merge(routes::health::router())
        .nest_service("/console", console_files(&config.web.console_dist))
        .fallback_service(static_files(&config.web.dist))
        .layer(axum::middleware::from_fn_with_state(
            request_timeout,
            middleware::time_limit,
        ))
        .layer(axum::middleware::from_fn_with_state(
            limits,
            ratelimit::limit_requests,
        ))
        .layer(CatchPanicLayer::custom(middleware::panic_response))
        .layer(axum::middleware::from_fn(middleware::localise_problems));
    security::harden(router, &config)
        .layer(CompressionLayer::new())
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// The widget's files at `/`.
fn static_files(dist: &Path) -> axum::Router {
    axum::Router::new()
        .fallback_service(assets::files(dist))
        .layer(axum::middleware::from_fn(assets::cache_policy))
}

/// The operators' console at `/console/`, with its own CSP (never framed).
fn console_files(console_dist: &Path) -> axum::Router {
    let policy = security::console_policy(console_dist);
    axum::Router::new()
        .fallback_service(assets::files(console_dist))
        .layer(axum::middleware::from_fn(assets::cache_policy))
        .layer(tower_http::set_header::SetResponseHeaderLayer::overriding(
            axum::http::header::CONTENT_SECURITY_POLICY,
            policy,
        ))
}

/// Opens and migrates the database named by `config`, seeding the demo data
/// into an empty one when `demo` is set.
pub async fn open_database(config: &Config) -> Result<Db, ServerError> {
    let db = Db::connect(&config.database_url).await?;
    db.migrate().await?;
    if config.demo && seed::seed_if_empty(&db).await.map_err(ServerError::Seed)? {
        tracing::info!("seeded the demo data");
        let sign_ins = seed::demo_operators(&db)
            .await
            .map_err(|e| ServerError::Invalid(e.to_string()))?;
        // Shown once, on the console only: the passwords are stored as hashes.
        println!("Demo operators for the console (passwords shown only now):");
        for sign_in in sign_ins {
            println!("{}", sign_in.line());
        }
    }
    Ok(db)
}

/// A server running in the background.
#[derive(Debug)]
pub struct RunningServer {
    /// The address it listens on (the real port when 0 was asked for).
    pub addr: SocketAddr,
    /// The state its handlers share.
    pub state: AppState,
    stop: oneshot::Sender<()>,
    serve: JoinHandle<std::io::Result<()>>,
    /// Slots for open connections, and how many there are.
    connections: (Arc<tokio::sync::Semaphore>, usize),
    live_worker: JoinHandle<()>,
}

impl RunningServer {
    /// How many connections are open now.
    pub fn open_connections(&self) -> usize {
        let (slots, max) = &self.connections;
        max.saturating_sub(slots.available_permits())
    }

    /// The base URL, for example `http://127.0.0.1:41234`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Stops accepting connections, ends the live streams, lets requests in
    /// flight finish, and closes the database.
    pub async fn shutdown(self) {
        if let Err(err) = self.stop_and_wait().await {
            tracing::error!(%err, "server stopped with an error");
        }
    }

    async fn stop_and_wait(self) -> Result<(), ServerError> {
        // The serve task may already have ended; then there is nobody to tell.
        let _ = self.stop.send(());
        let served = self.serve.await;
        self.state.live.close();
        let _ = self.live_worker.await;
        self.state.db.close().await;
        match served {
            Ok(result) => result.map_err(ServerError::Serve),
            Err(join) => Err(ServerError::Serve(std::io::Error::other(join))),
        }
    }
}

/// Opens the database, binds the listener and serves in a background task.
pub async fn spawn(config: Config) -> Result<RunningServer, ServerError> {
    security::check(&config).map_err(ServerError::Config)?;
    let db = open_database(&config).await?;
    let listener = TcpListener::bind(config.listen)
        .await
        .map_err(|source| ServerError::Bind {
            addr: config.listen,
            source,
        })?;
    let addr = listener.local_addr()?;
    let (state, live_worker) = AppState::new(db, config).await.map_err(ServerError::Live)?;
    tokio::spawn(idempotency::purge_expired(
        state.db.clone(),
        state.live.closed(),
    ));
    tokio::spawn(privacy::purge_job(
        state.db.clone(),
        state.config.issues.contact_retention_days,
        state.live.closed(),
    ));
    let (stop, stopped) = oneshot::channel::<()>();
    let live = state.live.clone();
    let router = app(state.clone());
    let limits = serve::Limits::of(&state.config);
    let connections = Arc::new(tokio::sync::Semaphore::new(limits.max_connections));
    let serve = tokio::spawn(serve::serve(
        listener,
        connections.clone(),
        router,
        limits,
        live,
        async move {
            let _ = stopped.await;
        },
    ));
    tracing::info!(%addr, "listening");
    Ok(RunningServer {
        addr,
        state,
        stop,
        serve,
        connections: (connections, limits.max_connections),
        live_worker,
    })
}

/// What the binary does for the parsed command line: serve (the default), or one of the
/// commands of [`cli`].
pub async fn run(cli: Cli) -> Result<(), ServerError> {
    let config = cli.config;
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => {
            let server = spawn(config).await?;
            shutdown_signal().await;
            tracing::info!("shutting down");
            server.stop_and_wait().await
        }
        command => cli::run(config, command).await,
    }
}

/// Resolves on Ctrl-C or SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(err) = tokio::signal::ctrl_c().await {
            tracing::error!(%err, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(err) => {
                tracing::error!(%err, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = terminate => {}
    }
}
