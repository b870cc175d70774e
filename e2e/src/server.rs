//! The real reference server, started in-process on a free port with a fresh
//! SQLite file and the built widget from `OMK_DIST`.

use std::path::PathBuf;

use omk_server::config::Config;
use omk_server::{RunningServer, spawn};
use sqlx::SqlitePool;

use crate::Result;

/// A running server with its own temporary database.
pub struct TestServer {
    running: RunningServer,
    db: PathBuf,
    _dir: tempfile::TempDir,
}

impl TestServer {
    /// Starts a seeded server. Fails clearly when the widget is not built.
    pub async fn start() -> Result<TestServer> {
        let dist = dist_dir()?;
        let dir = tempfile::tempdir()?;
        let db = dir.path().join("omk.db");
        let mut config = Config::for_database(format!("sqlite://{}", db.display()));
        config.dist = dist;
        let running = spawn(config).await?;
        Ok(TestServer {
            running,
            db,
            _dir: dir,
        })
    }

    /// The page's URL, for example `http://127.0.0.1:40123/`.
    pub fn url(&self) -> String {
        format!("http://{}/", self.running.addr)
    }

    /// A read connection to the server's database file, for checking rows.
    pub async fn db(&self) -> Result<SqlitePool> {
        Ok(SqlitePool::connect(&format!("sqlite://{}", self.db.display())).await?)
    }

    /// Stops the server gracefully.
    pub async fn stop(self) {
        self.running.shutdown().await;
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
