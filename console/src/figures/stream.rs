//! The live figures while the figures screen is open: the server's figures stream followed
//! through the client ([`crate::client::follow_figures`]: `metrics` snapshots, `update`s
//! merged into them, reopened with backoff when the browser gives up, paused while the page
//! is hidden) and closed when the screen goes.

use leptos::prelude::*;
use omk_api::Metrics;

pub use crate::client::LinkState;

/// The path of the live figures stream, under `/api/v1`.
pub const STREAM_PATH: &str = "/metrics/stream";

/// The figures as the stream brings them, and the state of the link.
#[derive(Debug, Clone, Copy)]
pub struct LiveMetrics {
    pub metrics: RwSignal<Option<Metrics>>,
    pub state: RwSignal<LinkState>,
}

/// Opens the stream for as long as the calling component lives.
pub fn use_live_metrics() -> LiveMetrics {
    let live = LiveMetrics {
        metrics: RwSignal::new(None),
        state: RwSignal::new(LinkState::Connecting),
    };
    crate::client::follow_figures(STREAM_PATH, live.metrics, live.state);
    live
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_link_state_has_words() {
        for state in [
            LinkState::Connecting,
            LinkState::Live,
            LinkState::Reconnecting,
        ] {
            for lang in omk_api::Lang::ALL {
                assert!(crate::i18n::catalogue(lang).has(state.message_key()));
            }
        }
    }
}
