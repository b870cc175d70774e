//! Personal data kept no longer than needed: a visitor's name and phone are erased a set
//! time after their issue is resolved or closed (a background job, and `omk-server purge`),
//! or at once on request (`omk-server erase <tracking-no>`). The issue itself stays.

use crate::clock;
use crate::db::{self, Db};

/// How long contact details are kept after an issue is resolved or closed, by default.
pub const DEFAULT_RETENTION_DAYS: u32 = 180;

const DAY_SECONDS: i64 = 86_400;

/// Erases the contact details of every issue resolved or closed more than `retention_days`
/// before `now`; returns how many issues had some.
pub async fn purge_contacts(db: &Db, now: i64, retention_days: u32) -> Result<u64, sqlx::Error> {
    let before = now - i64::from(retention_days) * DAY_SECONDS;
    db::issues::erase_contacts_settled_before(db, before).await
}

/// Runs [`purge_contacts`] at start and then every hour until `closed` turns true.
pub async fn purge_job(
    db: Db,
    retention_days: u32,
    mut closed: tokio::sync::watch::Receiver<bool>,
) {
    let mut every = tokio::time::interval(std::time::Duration::from_secs(3600));
    loop {
        tokio::select! {
            _ = every.tick() => {}
            _ = closed.wait_for(|c| *c) => return,
        }
        match purge_contacts(&db, clock::now(), retention_days).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(n, "erased the contact details of settled issues"),
            Err(err) => tracing::warn!(%err, "cannot erase contact details"),
        }
    }
}
