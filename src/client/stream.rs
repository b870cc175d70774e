//! The live feed: one `EventSource` on `/metrics/stream` per widget, kept
//! open, reopened with backoff when the browser gives up, closed on cleanup.
//! A page the browser keeps aside (the back/forward cache) holds no stream:
//! it closes on `pagehide` and opens again when the page is shown.
//! It carries the figures (a whole `metrics` snapshot first, then `update`
//! events with the parts that moved, merged into it) and the vote tally
//! (`topics`).

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use leptos::prelude::*;
use omk_api::{Metrics, MetricsUpdate, StreamEventName, Topic};
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::{EventSource, MessageEvent};

use super::Backend;

/// The state of the live link, as the visitor sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkState {
    /// First connection not yet open.
    Connecting,
    /// Open and receiving.
    Live,
    /// Lost; the browser or the widget is trying again.
    Reconnecting,
}

/// The latest figures and tally, and the state of the link that brings them.
#[derive(Debug, Clone, Copy)]
pub struct LiveFeed {
    pub metrics: RwSignal<Option<Metrics>>,
    pub topics: RwSignal<Option<Vec<Topic>>>,
    pub state: RwSignal<LinkState>,
    /// When the last snapshot arrived (`Date.now()` milliseconds).
    pub received_at: RwSignal<Option<f64>>,
}

/// The delay before reopening a stream after `attempt` failures: doubling
/// from 1 s, capped at 30 s.
pub fn backoff(attempt: u32) -> Duration {
    Duration::from_millis(1000u64.saturating_mul(1u64 << attempt.min(5)).min(30_000))
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
    let url = backend.url("/metrics/stream");
    let link = Rc::new(RefCell::new(Link::default()));
    open(url.clone(), live, link.clone(), 0);
    // A hidden page keeps no connection: the browser gives each server only a few.
    let hiding = send_wrapper::SendWrapper::new(link.clone());
    let hide = window_event_listener(leptos::ev::pagehide, move |_| {
        hiding.borrow_mut().pause();
        live.state.set(LinkState::Reconnecting);
    });
    let showing = send_wrapper::SendWrapper::new(link.clone());
    let show = window_event_listener(leptos::ev::pageshow, move |_| {
        let link = (*showing).clone();
        let paused = link.borrow().is_paused();
        if paused {
            open(url.clone(), live, link, 0);
        }
    });
    let link = send_wrapper::SendWrapper::new(link);
    on_cleanup(move || {
        hide.remove();
        show.remove();
        link.borrow_mut().close();
    });
    provide_context(live);
    live
}

/// The live feed of the enclosing widget.
pub fn use_live_feed() -> LiveFeed {
    expect_context::<LiveFeed>()
}

/// One open `EventSource` with the callbacks it holds, plus a pending reopen.
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
        self.pause();
    }

    /// Closes the stream for now, without giving it up.
    fn pause(&mut self) {
        if let Some(source) = self.source.take() {
            source.close();
        }
        if let Some(retry) = self.retry.take() {
            retry.clear();
        }
        self.callbacks.clear();
    }

    /// Whether the stream was paused and may be opened again.
    fn is_paused(&self) -> bool {
        !self.closed && self.source.is_none() && self.retry.is_none()
    }
}

fn open(url: String, live: LiveFeed, link: Rc<RefCell<Link>>, attempt: u32) {
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
            let now = js_sys::Date::now();
            super::cache::store("/metrics", &text, now);
            live.metrics.set(Some(metrics));
            live.received_at.set(Some(now));
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
        let now = js_sys::Date::now();
        if let Ok(whole) = serde_json::to_string(&metrics) {
            super::cache::store("/metrics", &whole, now);
        }
        live.metrics.set(Some(metrics));
        live.received_at.set(Some(now));
        live.state.set(LinkState::Live);
    });
    let on_topics = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
        let Some(text) = event.data().as_string() else {
            return;
        };
        if let Ok(topics) = serde_json::from_str::<Vec<Topic>>(&text) {
            live.topics.set(Some(topics));
        }
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
        // The browser retries by itself unless it gave up (CLOSED); then we do.
        let gave_up = link
            .borrow()
            .source
            .as_ref()
            .is_some_and(|s| s.ready_state() == EventSource::CLOSED);
        if gave_up {
            let next = attempt.saturating_add(1);
            schedule_reopen(error_url.clone(), live, link, next);
        }
    });

    let listen = |name: &str, cb: &Closure<dyn FnMut(MessageEvent)>| {
        let _ = source.add_event_listener_with_callback(name, cb.as_ref().unchecked_ref());
    };
    listen(StreamEventName::Metrics.as_str(), &on_metrics);
    listen(StreamEventName::Update.as_str(), &on_update);
    listen(StreamEventName::Topics.as_str(), &on_topics);
    listen("open", &on_open);
    listen("error", &on_error);

    let mut state = link.borrow_mut();
    if let Some(old) = state.source.replace(source) {
        old.close();
    }
    state.callbacks = vec![on_metrics, on_update, on_topics, on_open, on_error];
}

fn schedule_reopen(url: String, live: LiveFeed, link: Rc<RefCell<Link>>, attempt: u32) {
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
        assert_eq!(backoff(1), Duration::from_secs(2));
        assert_eq!(backoff(4), Duration::from_secs(16));
        assert_eq!(backoff(5), Duration::from_secs(30));
        assert_eq!(backoff(40), Duration::from_secs(30));
    }
}
