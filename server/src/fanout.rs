//! Live updates across instances that share one PostgreSQL database: each
//! instance announces its own changes with `NOTIFY`, and `LISTEN`s for the
//! others', recomputing its figures for its own stream clients when one
//! arrives. The listener reconnects when its connection drops, and then
//! recomputes once, since notifications sent meanwhile are lost.

use std::time::Duration;

use crate::db::{self, Db};
use crate::live::{Change, Live};

/// The first wait before reconnecting a lost listener; it doubles up to [`MAX_BACKOFF`].
const FIRST_BACKOFF: Duration = Duration::from_millis(500);
/// The longest wait between reconnection attempts.
const MAX_BACKOFF: Duration = Duration::from_secs(30);

/// This instance's name on the channel, so it can ignore its own notifications.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fanout {
    instance: String,
}

impl Fanout {
    /// A fan-out with a fresh random instance name.
    pub fn new() -> Result<Fanout, getrandom::Error> {
        let mut bytes = [0u8; 8];
        getrandom::fill(&mut bytes)?;
        Ok(Fanout {
            instance: hex::encode(bytes),
        })
    }

    /// Tells the other instances that this one changed stored data.
    pub async fn announce(&self, db: &Db, change: Change) {
        let payload = format!("{} {}", self.instance, change_name(change));
        if let Err(err) = db::notify::notify(db, &payload).await {
            tracing::warn!(%err, "cannot notify the other instances of a change");
        }
    }

    /// What a notification asks of this instance: `None` for its own or an unreadable one.
    pub fn read(&self, payload: &str) -> Option<Change> {
        let (instance, change) = payload.split_once(' ')?;
        if instance == self.instance {
            return None;
        }
        match change {
            "metrics" => Some(Change::Metrics),
            "topics" => Some(Change::Topics),
            "program" => Some(Change::Program),
            _ => None,
        }
    }

    /// Listens for the other instances' changes until the feed closes,
    /// reconnecting with backoff whenever the connection is lost.
    pub async fn listen(self, db: Db, live: Live) {
        let mut closed = live.closed();
        let mut backoff = FIRST_BACKOFF;
        let mut connected_before = false;
        loop {
            let connect = tokio::select! {
                result = db::notify::listener(&db) => result,
                _ = closed.wait_for(|c| *c) => return,
            };
            let mut listener = match connect {
                Ok(listener) => listener,
                Err(err) => {
                    tracing::warn!(%err, retry_in = ?backoff, "cannot listen for the other instances' changes");
                    tokio::select! {
                        () = tokio::time::sleep(backoff) => {}
                        _ = closed.wait_for(|c| *c) => return,
                    }
                    backoff = (backoff * 2).min(MAX_BACKOFF);
                    continue;
                }
            };
            backoff = FIRST_BACKOFF;
            if connected_before {
                tracing::info!("listening for the other instances' changes again");
            }
            connected_before = true;
            live.listening();
            // Changes made before the listener was up went unheard: catch up.
            // An unchanged snapshot sends nothing to the stream clients.
            live.changed_elsewhere(Change::Topics);
            loop {
                let received = tokio::select! {
                    received = listener.try_recv() => received,
                    _ = closed.wait_for(|c| *c) => return,
                };
                match received {
                    Ok(Some(notification)) => {
                        if let Some(change) = self.read(notification.payload()) {
                            live.heard(change);
                        }
                    }
                    // The connection dropped and was made again: whatever was
                    // sent in between is lost, so recompute.
                    Ok(None) => live.changed_elsewhere(Change::Topics),
                    Err(err) => {
                        tracing::warn!(%err, "lost the listener connection");
                        break;
                    }
                }
            }
        }
    }
}

fn change_name(change: Change) -> &'static str {
    match change {
        Change::Metrics => "metrics",
        Change::Topics => "topics",
        Change::Program => "program",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_instance_ignores_its_own_notifications() {
        let a = Fanout {
            instance: "aaaa".into(),
        };
        assert_eq!(a.read("aaaa topics"), None);
        assert_eq!(a.read("bbbb topics"), Some(Change::Topics));
        assert_eq!(a.read("bbbb metrics"), Some(Change::Metrics));
        assert_eq!(a.read("bbbb program"), Some(Change::Program));
        assert_eq!(a.read("bbbb"), None);
        assert_eq!(a.read("bbbb something"), None);
    }

    #[test]
    fn instance_names_are_fresh_and_fit_a_notification() {
        let a = Fanout::new().map(|f| f.instance).unwrap_or_default();
        let b = Fanout::new().map(|f| f.instance).unwrap_or_default();
        assert_eq!(a.len(), 16);
        assert_ne!(a, b);
        assert!(a.chars().all(|c| c.is_ascii_hexdigit()));
    }
}
