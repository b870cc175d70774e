//! The state every handler shares: the database and the live feed.

use std::sync::Arc;

use tokio::task::JoinHandle;

use crate::config::Config;
use crate::db::Db;
use crate::live::{Change, Live};

/// Shared by every handler through `State`; cheap to clone.
#[derive(Debug, Clone)]
pub struct AppState {
    pub db: Db,
    pub live: Live,
    pub config: Arc<Config>,
}

impl AppState {
    /// Builds the state over an open, migrated database and starts the live feed.
    /// The returned task recomputes the figures until `live.close()`.
    pub async fn new(db: Db, config: Config) -> Result<(AppState, JoinHandle<()>), sqlx::Error> {
        let (live, worker) = Live::start(db.clone()).await?;
        let config = Arc::new(config);
        Ok((AppState { db, live, config }, worker))
    }

    /// Tells the live feed that stored data changed.
    pub fn changed(&self, change: Change) {
        self.live.changed(change);
    }
}
