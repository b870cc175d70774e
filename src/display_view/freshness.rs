//! How fresh the hall display's figures are, as plain data: live, or the last figures this
//! screen saw and how long ago, while it reconnects by itself.

use omk_web::stream::LinkState;

/// What the display says about its figures.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Freshness {
    /// Nothing seen yet; the link is on its way.
    Waiting,
    /// Figures from the live link (or saved ones while it first connects), this old.
    Updated { age_ms: f64 },
    /// The link is lost and being restored; the figures shown are this old.
    Offline { age_ms: f64 },
    /// The link is lost and this screen has no figures saved.
    OfflineEmpty,
}

impl Freshness {
    /// The freshness for the link's `state`, the moment the shown figures arrived
    /// (`Date.now()` ms, from the live link or the offline cache) and `now`.
    pub fn of(state: LinkState, received_at: Option<f64>, now: f64) -> Freshness {
        match (state, received_at) {
            (LinkState::Reconnecting, Some(at)) => Freshness::Offline {
                age_ms: (now - at).max(0.0),
            },
            (LinkState::Reconnecting, None) => Freshness::OfflineEmpty,
            (_, Some(at)) => Freshness::Updated {
                age_ms: (now - at).max(0.0),
            },
            (_, None) => Freshness::Waiting,
        }
    }

    /// The message key of what the display says.
    pub fn key(self) -> &'static str {
        match self {
            Freshness::Waiting => "display.waiting",
            Freshness::Updated { .. } => "display.updated",
            Freshness::Offline { .. } => "display.offline",
            Freshness::OfflineEmpty => "display.offline_empty",
        }
    }

    /// The age of the shown figures, when there are any.
    pub fn age_ms(self) -> Option<f64> {
        match self {
            Freshness::Updated { age_ms } | Freshness::Offline { age_ms } => Some(age_ms),
            Freshness::Waiting | Freshness::OfflineEmpty => None,
        }
    }

    /// Whether the link is down.
    pub fn is_offline(self) -> bool {
        matches!(self, Freshness::Offline { .. } | Freshness::OfflineEmpty)
    }

    /// The `data-freshness` value, for styles and tests.
    pub fn name(self) -> &'static str {
        match self {
            Freshness::Waiting => "waiting",
            Freshness::Updated { .. } => "updated",
            Freshness::Offline { .. } => "offline",
            Freshness::OfflineEmpty => "offline-empty",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lost_link_keeps_the_figures_with_their_age() {
        let f = Freshness::of(LinkState::Reconnecting, Some(1_000.0), 301_000.0);
        assert_eq!(f, Freshness::Offline { age_ms: 300_000.0 });
        assert_eq!(f.key(), "display.offline");
        assert_eq!(f.age_ms(), Some(300_000.0));
        assert!(f.is_offline());
        assert_eq!(
            Freshness::of(LinkState::Reconnecting, None, 5.0),
            Freshness::OfflineEmpty
        );
    }

    #[test]
    fn live_or_saved_figures_say_when_they_were_updated() {
        let live = Freshness::of(LinkState::Live, Some(10_000.0), 13_000.0);
        assert_eq!(live, Freshness::Updated { age_ms: 3_000.0 });
        assert!(!live.is_offline());
        // Saved figures while the link first connects.
        let saved = Freshness::of(LinkState::Connecting, Some(0.0), 120_000.0);
        assert_eq!(saved.age_ms(), Some(120_000.0));
        assert_eq!(saved.key(), "display.updated");
        assert_eq!(
            Freshness::of(LinkState::Connecting, None, 0.0),
            Freshness::Waiting
        );
        // A clock set back never shows a negative age.
        assert_eq!(
            Freshness::of(LinkState::Live, Some(5_000.0), 1_000.0).age_ms(),
            Some(0.0)
        );
    }
}
