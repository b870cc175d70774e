//! The live feed: one stream on `/metrics/stream` per widget, kept open while the page is
//! shown and torn down with the widget (the link, its reconnection and its pause while the
//! page is hidden are `omk_web::stream`'s). It carries the figures (a whole `metrics`
//! snapshot first, then `update` events with the parts that moved, merged into it), kept
//! in the offline cache as they change, and the vote tally (`topics`).

use leptos::prelude::*;
use omk_api::{Metrics, StreamEventName, Topic};
use omk_web::stream::{Listener, follow, metrics_listeners};

use super::Backend;

/// The state of the live link, as the visitor sees it: connecting, live, or reconnecting.
pub use omk_web::stream::LinkState;

/// The latest figures and tally, and the state of the link that brings them.
#[derive(Debug, Clone, Copy)]
pub struct LiveFeed {
    pub metrics: RwSignal<Option<Metrics>>,
    pub topics: RwSignal<Option<Vec<Topic>>>,
    pub state: RwSignal<LinkState>,
    /// When the last snapshot arrived (`Date.now()` milliseconds).
    pub received_at: RwSignal<Option<f64>>,
}

/// Opens the live feed for this widget, provides it as context, and tears it
/// down when the widget goes.
pub fn provide_live_feed(backend: &Backend) -> LiveFeed {
    let live = LiveFeed {
        metrics: RwSignal::new(None),
        topics: RwSignal::new(None),
        state: RwSignal::new(LinkState::Connecting),
        received_at: RwSignal::new(None),
    };
    // Until the stream answers, show the last figures this kiosk saw.
    if let Some(cached) = super::cache::recall("/metrics")
        && let Ok(metrics) = serde_json::from_str::<Metrics>(&cached.body)
    {
        live.metrics.set(Some(metrics));
        live.received_at.set(Some(cached.at));
    }
    let mut listeners = metrics_listeners(live.metrics, live.state, move |metrics| {
        let now = js_sys::Date::now();
        if let Ok(whole) = serde_json::to_string(metrics) {
            super::cache::store("/metrics", &whole, now);
        }
        live.received_at.set(Some(now));
    });
    listeners.push(Listener::new(
        StreamEventName::Topics.as_str(),
        move |text| {
            if let Ok(topics) = serde_json::from_str::<Vec<Topic>>(text) {
                live.topics.set(Some(topics));
            }
        },
    ));
    follow(backend.url("/metrics/stream"), live.state, listeners);
    provide_context(live);
    live
}

/// The live feed of the enclosing widget.
pub fn use_live_feed() -> LiveFeed {
    expect_context::<LiveFeed>()
}
