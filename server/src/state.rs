//! The state every handler shares: the database and its committer, the live feed, the
//! clock and the sign-in back-off.

use std::sync::Arc;

use tokio::task::JoinHandle;

use crate::auth::guard::SignInGuard;
use crate::clock::Clock;
use crate::commit::Committer;
use crate::config::Config;
use crate::db::Db;
use crate::live::{Change, Live};
use crate::opendata::Packages;
use crate::ratelimit::Limits;
use crate::streams::StreamSlots;

/// Shared by every handler through `State`; cheap to clone.
#[derive(Debug, Clone)]
pub struct AppState {
    pub db: Db,
    /// Where visitors' writes queue to be committed together.
    pub committer: Committer,
    pub live: Live,
    pub config: Arc<Config>,
    /// The clock sessions and deadlines are judged by.
    pub clock: Clock,
    /// Failed sign-ins and token attempts by client and login; the password check slots.
    pub sign_in: Arc<SignInGuard>,
    /// The open live streams, by client.
    pub streams: StreamSlots,
    /// The per-client request limits, judged by `clock`.
    pub limits: Limits,
    /// The open-data package being served.
    pub opendata: Arc<Packages>,
}

impl AppState {
    /// Builds the state over an open, migrated database and starts the live feed.
    /// The returned task recomputes the figures until `live.close()`.
    pub async fn new(db: Db, config: Config) -> Result<(AppState, JoinHandle<()>), sqlx::Error> {
        let clock = Clock::default();
        let (live, worker) = Live::start(db.clone(), clock.clone()).await?;
        let streams = StreamSlots::new(config.limits.streams_per_client, config.limits.max_streams);
        let limits = Limits::new(&config, clock.clone());
        let committer = Committer::start(db.clone(), clock.clone());
        let config = Arc::new(config);
        Ok((
            AppState {
                db,
                committer,
                live,
                config,
                sign_in: Arc::new(SignInGuard::new(clock.clone())),
                clock,
                streams,
                limits,
                opendata: Arc::default(),
            },
            worker,
        ))
    }

    /// Tells the live feed that stored data changed.
    pub fn changed(&self, change: Change) {
        self.live.changed(change);
    }
}
