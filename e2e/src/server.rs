//! The real reference server, started in-process on a free port with a fresh
//! SQLite file and the built widget from `OMK_DIST`; and a plain static host
//! on another port, for pages that embed the widget from a different origin.

use std::net::SocketAddr;
use std::path::PathBuf;

use omk_server::config::Config;
use omk_server::{RunningServer, spawn};
use sqlx::SqlitePool;
use tokio::task::JoinHandle;

use crate::Result;

/// A running server with its own temporary database.
pub struct TestServer {
    running: Option<RunningServer>,
    config: Config,
    db: PathBuf,
    _dir: tempfile::TempDir,
}

impl TestServer {
    /// Starts a seeded server. Fails clearly when the widget is not built.
    pub async fn start() -> Result<TestServer> {
        TestServer::start_with(|_| {}).await
    }

    /// Starts a seeded server after `adjust` has changed its configuration.
    pub async fn start_with(adjust: impl FnOnce(&mut Config)) -> Result<TestServer> {
        let dist = dist_dir()?;
        let dir = tempfile::tempdir()?;
        let db = dir.path().join("omk.db");
        let mut config = Config::for_database(format!("sqlite://{}", db.display()));
        config.web.dist = dist;
        config.web.console_dist = console_dir();
        // One browser is every visitor here: per-client read limits would count the
        // whole suite as one client.
        config.limits.reads_per_minute = 0;
        config.limits.lookups_per_minute = 0;
        config.limits.votes_per_minute = 0;
        config.limits.ratings_per_minute = 0;
        config.demo = true;
        adjust(&mut config);
        let running = spawn(config.clone()).await?;
        // Restarts come back on the same port, as a real server would.
        config.listen = running.addr;
        Ok(TestServer {
            running: Some(running),
            config,
            db,
            _dir: dir,
        })
    }

    /// The clock the server judges sessions and deadlines by: advancing it lets a test see
    /// a session expire without waiting.
    pub fn clock(&self) -> Option<omk_server::clock::Clock> {
        self.running.as_ref().map(|r| r.state.clock.clone())
    }

    /// The server's address.
    pub fn addr(&self) -> SocketAddr {
        self.config.listen
    }

    /// The origin, for example `http://127.0.0.1:40123`.
    pub fn origin(&self) -> String {
        format!("http://{}", self.addr())
    }

    /// The page's URL, for example `http://127.0.0.1:40123/`.
    pub fn url(&self) -> String {
        format!("{}/", self.origin())
    }

    /// A read connection to the server's database file, for checking rows.
    pub async fn db(&self) -> Result<SqlitePool> {
        Ok(SqlitePool::connect(&format!("sqlite://{}", self.db.display())).await?)
    }

    /// Counts rows with a query such as `SELECT COUNT(*) FROM ratings`.
    pub async fn count(&self, sql: &str) -> Result<i64> {
        let db = self.db().await?;
        let n: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_owned()))
            .fetch_one(&db)
            .await?;
        db.close().await;
        Ok(n)
    }

    /// Stops the server, leaving its database for a restart.
    pub async fn stop(&mut self) {
        if let Some(running) = self.running.take() {
            running.shutdown().await;
        }
    }

    /// Starts the server again on the same port and database.
    pub async fn restart(&mut self) -> Result<()> {
        self.stop().await;
        let mut config = self.config.clone();
        config.demo = false;
        self.running = Some(spawn(config).await?);
        Ok(())
    }
}

/// A static file host for the built widget on its own port: another origin.
pub struct StaticHost {
    pub addr: SocketAddr,
    task: JoinHandle<()>,
}

impl StaticHost {
    /// Serves `dist/` (and `public/examples` under `/examples`) on a free port, with a
    /// `config.json` whose deployer lets a page's URL choose the backend (the outbox
    /// scenarios put a proxy between the widget and the server that way).
    pub async fn start() -> Result<StaticHost> {
        let dist = dist_dir()?;
        let mut config: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(dist.join("config.json"))?)?;
        config["allow_backend_from_url"] = serde_json::Value::Bool(true);
        let app = axum::Router::new()
            .route(
                "/config.json",
                axum::routing::get(move || {
                    let config = config.clone();
                    async move { axum::Json(config) }
                }),
            )
            .fallback_service(tower_http::services::ServeDir::new(dist));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Ok(StaticHost { addr, task })
    }

    /// The origin, for example `http://127.0.0.1:40124`.
    pub fn origin(&self) -> String {
        format!("http://{}", self.addr)
    }
}

impl Drop for StaticHost {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// The built operators' console: `OMK_CONSOLE_DIST`, or `console/dist` in the repository.
pub fn console_dir() -> PathBuf {
    match std::env::var_os("OMK_CONSOLE_DIST") {
        Some(d) => PathBuf::from(d),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../console/dist"),
    }
}

/// The built widget: `OMK_DIST`, or `dist/` at the repository root.
pub fn dist_dir() -> Result<PathBuf> {
    let dist = match std::env::var_os("OMK_DIST") {
        Some(d) => PathBuf::from(d),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../dist"),
    };
    if !dist.join("index.html").is_file() {
        return Err(format!(
            "no built widget at {} — run `cargo xtask build` (or `cargo xtask test`) first",
            dist.display()
        )
        .into());
    }
    Ok(dist)
}
