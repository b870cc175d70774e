//! The live figures: one `EventSource` on the server's figures stream while the figures
//! screen is open, its `metrics` events read as [`Metrics`] and its `update` events merged
//! into them ([`Metrics::apply`]), reopened with backoff when the
//! browser gives up, and closed when the screen goes.

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use leptos::prelude::*;
use omk_api::{Metrics, MetricsUpdate, StreamEventName};
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::{EventSource, MessageEvent};

/// The path of the live figures stream, under `/api/v1`.
pub const STREAM_PATH: &str = "/metrics/stream";

/// The state of the live link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkState {
    Connecting,
    Live,
    Reconnecting,
}

impl LinkState {
    /// The message key of what the screen says about it.
    pub fn message_key(self) -> &'static str {
        match self {
            LinkState::Connecting => "figures.connecting",
            LinkState::Live => "figures.live",
            LinkState::Reconnecting => "figures.reconnecting",
        }
    }
}

/// The delay before reopening the stream after `attempt` failures: doubling from 1 s, at
/// most 30 s.
pub fn backoff(attempt: u32) -> Duration {
    Duration::from_millis(1000u64.saturating_mul(1u64 << attempt.min(5)).min(30_000))
}

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
    let url = crate::client::url(STREAM_PATH);
    let link = Rc::new(RefCell::new(Link::default()));
    open(url, live, link.clone(), 0);
    let link = send_wrapper::SendWrapper::new(link);
    on_cleanup(move || link.borrow_mut().close());
    live
}

/// The open `EventSource` with the callbacks it holds, and a pending reopen.
#[derive(Default)]
struct Link {
    source: Option<EventSource>,
    callbacks: Vec<Closure<dyn FnMut(MessageEvent)>>,
    retry: Option<TimeoutHandle>,
    closed: bool,
}

impl Link {
    fn close(&mut self) {
        self.closed = true;
        if let Some(source) = self.source.take() {
            source.close();
        }
        if let Some(retry) = self.retry.take() {
            retry.clear();
        }
        self.callbacks.clear();
    }
}

fn open(url: String, live: LiveMetrics, link: Rc<RefCell<Link>>, attempt: u32) {
    if link.borrow().closed {
        return;
    }
    let Ok(source) = EventSource::new(&url) else {
        live.state.set(LinkState::Reconnecting);
        schedule_reopen(url, live, link, attempt);
        return;
    };
    let on_metrics = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
        let Some(text) = event.data().as_string() else {
            return;
        };
        if let Ok(metrics) = serde_json::from_str::<Metrics>(&text) {
            live.metrics.set(Some(metrics));
            live.state.set(LinkState::Live);
        }
    });
    let on_update = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
        let Some(text) = event.data().as_string() else {
            return;
        };
        let Ok(update) = serde_json::from_str::<MetricsUpdate>(&text) else {
            return;
        };
        // An update needs a snapshot to apply to; the stream always sends one first.
        let Some(mut metrics) = live.metrics.get_untracked() else {
            return;
        };
        metrics.apply(update);
        live.metrics.set(Some(metrics));
        live.state.set(LinkState::Live);
    });
    let on_open = Closure::<dyn FnMut(MessageEvent)>::new(move |_event: MessageEvent| {
        live.state.set(LinkState::Live);
    });
    let weak = Rc::downgrade(&link);
    let error_url = url.clone();
    let on_error = Closure::<dyn FnMut(MessageEvent)>::new(move |_event: MessageEvent| {
        live.state.set(LinkState::Reconnecting);
        let Some(link) = weak.upgrade() else {
            return;
        };
        // The browser retries by itself unless it gave up (CLOSED); then the console does.
        let gave_up = link
            .borrow()
            .source
            .as_ref()
            .is_some_and(|s| s.ready_state() == EventSource::CLOSED);
        if gave_up {
            schedule_reopen(error_url.clone(), live, link, attempt.saturating_add(1));
        }
    });
    let listen = |name: &str, callback: &Closure<dyn FnMut(MessageEvent)>| {
        let _ = source.add_event_listener_with_callback(name, callback.as_ref().unchecked_ref());
    };
    listen(StreamEventName::Metrics.as_str(), &on_metrics);
    listen(StreamEventName::Update.as_str(), &on_update);
    listen("open", &on_open);
    listen("error", &on_error);
    let mut state = link.borrow_mut();
    if let Some(old) = state.source.replace(source) {
        old.close();
    }
    state.callbacks = vec![on_metrics, on_update, on_open, on_error];
}

fn schedule_reopen(url: String, live: LiveMetrics, link: Rc<RefCell<Link>>, attempt: u32) {
    let weak = Rc::downgrade(&link);
    let handle = set_timeout_with_handle(
        move || {
            if let Some(link) = weak.upgrade() {
                link.borrow_mut().retry = None;
                open(url, live, link, attempt);
            }
        },
        backoff(attempt),
    );
    if let Ok(handle) = handle {
        link.borrow_mut().retry = Some(handle);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_then_caps() {
        assert_eq!(backoff(0), Duration::from_secs(1));
        assert_eq!(backoff(3), Duration::from_secs(8));
        assert_eq!(backoff(5), Duration::from_secs(30));
        assert_eq!(backoff(99), Duration::from_secs(30));
    }

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
