//! The live stream's link: one `EventSource` for as long as the reactive owner that opened
//! it lives, reopened with backoff when the browser gives up, closed on cleanup. A page the
//! browser keeps aside (the back/forward cache) holds no stream: it closes on `pagehide` and
//! opens again when the page is shown (a hidden page holding a connection starves the
//! browser's few connections per server). [`metrics_listeners`] reads the figures: a whole
//! `metrics` snapshot first, then `update` events with the parts that moved, merged into it.

use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};
use std::time::Duration;

use leptos::prelude::*;
use omk_api::{Metrics, MetricsUpdate, StreamEventName};
use send_wrapper::SendWrapper;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::{EventSource, MessageEvent};

/// The state of a live link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkState {
    /// First connection not yet open.
    Connecting,
    /// Open and receiving.
    Live,
    /// Lost (or paused while the page is hidden); being opened again.
    Reconnecting,
}

impl LinkState {
    /// The message key of what a figures screen says about it (`figures.connecting`,
    /// `figures.live`, `figures.reconnecting`).
    pub fn message_key(self) -> &'static str {
        match self {
            LinkState::Connecting => "figures.connecting",
            LinkState::Live => "figures.live",
            LinkState::Reconnecting => "figures.reconnecting",
        }
    }
}

/// The delay before reopening a stream after `attempt` failures: doubling from 1 s, capped
/// at 30 s.
pub fn backoff(attempt: u32) -> Duration {
    Duration::from_millis(1000u64.saturating_mul(1u64 << attempt.min(5)).min(30_000))
}

/// What one named event of the stream is handed to: its data, as text.
pub struct Listener {
    name: &'static str,
    callback: Closure<dyn FnMut(MessageEvent)>,
}

impl Listener {
    /// Hands each `name` event's data to `on_data`.
    pub fn new(name: &'static str, on_data: impl Fn(&str) + 'static) -> Listener {
        let callback = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            if let Some(text) = event.data().as_string() {
                on_data(&text);
            }
        });
        Listener { name, callback }
    }
}

/// The listeners that keep `metrics` up to date: a `metrics` snapshot replaces it, an
/// `update` is merged into it ([`Metrics::apply`]; never without a snapshot to apply it to).
/// Each sets `state` live and then calls `changed` with the figures as they now stand.
pub fn metrics_listeners(
    metrics: RwSignal<Option<Metrics>>,
    state: RwSignal<LinkState>,
    changed: impl Fn(&Metrics) + 'static,
) -> Vec<Listener> {
    let changed = Rc::new(changed);
    let show = move |whole: Metrics, changed: &dyn Fn(&Metrics)| {
        changed(&whole);
        metrics.set(Some(whole));
        state.set(LinkState::Live);
    };
    let on_update = changed.clone();
    vec![
        Listener::new(StreamEventName::Metrics.as_str(), move |text| {
            if let Ok(whole) = serde_json::from_str::<Metrics>(text) {
                show(whole, &*changed);
            }
        }),
        Listener::new(StreamEventName::Update.as_str(), move |text| {
            let Ok(update) = serde_json::from_str::<MetricsUpdate>(text) else {
                return;
            };
            // An update needs a snapshot to apply to; the stream always sends one first.
            let Some(mut whole) = metrics.get_untracked() else {
                return;
            };
            whole.apply(update);
            show(whole, &*on_update);
        }),
    ]
}

/// Follows the event stream at `url` for as long as the current reactive owner lives:
/// `listeners` get its events, `state` follows the link.
pub fn follow(url: String, state: RwSignal<LinkState>, listeners: Vec<Listener>) {
    let link = Rc::new_cyclic(|weak: &Weak<Link>| Link::new(url, state, listeners, weak));
    link.open();
    let hiding = SendWrapper::new(link.clone());
    let hide = window_event_listener(leptos::ev::pagehide, move |_| {
        hiding.pause();
        state.set(LinkState::Reconnecting);
    });
    let showing = SendWrapper::new(link.clone());
    let show = window_event_listener(leptos::ev::pageshow, move |_| {
        if showing.is_paused() {
            showing.attempt.set(0);
            showing.open();
        }
    });
    let link = SendWrapper::new(link);
    on_cleanup(move || {
        hide.remove();
        show.remove();
        link.close();
    });
}

/// A callback an `EventSource` holds, under the event name it listens to.
type Callback = (&'static str, Closure<dyn FnMut(MessageEvent)>);

/// One stream: the open `EventSource` (if any), the callbacks every source it opens gets, a
/// pending reopen, and how many times in a row the browser gave up.
struct Link {
    url: String,
    state: RwSignal<LinkState>,
    source: RefCell<Option<EventSource>>,
    callbacks: RefCell<Vec<Callback>>,
    retry: RefCell<Option<TimeoutHandle>>,
    attempt: Cell<u32>,
    closed: Cell<bool>,
}

impl Link {
    fn new(
        url: String,
        state: RwSignal<LinkState>,
        listeners: Vec<Listener>,
        weak: &Weak<Link>,
    ) -> Link {
        let mut callbacks: Vec<Callback> = listeners
            .into_iter()
            .map(|Listener { name, callback }| (name, callback))
            .collect();
        let on_open = Closure::<dyn FnMut(MessageEvent)>::new(move |_event: MessageEvent| {
            state.set(LinkState::Live);
        });
        let weak = weak.clone();
        let on_error = Closure::<dyn FnMut(MessageEvent)>::new(move |_event: MessageEvent| {
            state.set(LinkState::Reconnecting);
            if let Some(link) = weak.upgrade() {
                link.gave_up();
            }
        });
        callbacks.push(("open", on_open));
        callbacks.push(("error", on_error));
        Link {
            url,
            state,
            source: RefCell::new(None),
            callbacks: RefCell::new(callbacks),
            retry: RefCell::new(None),
            attempt: Cell::new(0),
            closed: Cell::new(false),
        }
    }

    /// Opens a new `EventSource` (closing any older one), or schedules another try.
    fn open(self: &Rc<Self>) {
        if self.closed.get() {
            return;
        }
        let Ok(source) = EventSource::new(&self.url) else {
            self.state.set(LinkState::Reconnecting);
            self.schedule_reopen();
            return;
        };
        for (name, callback) in self.callbacks.borrow().iter() {
            let _ =
                source.add_event_listener_with_callback(name, callback.as_ref().unchecked_ref());
        }
        if let Some(old) = self.source.borrow_mut().replace(source) {
            old.close();
        }
    }

    /// After an error: the browser retries by itself unless it gave up (CLOSED); then the
    /// link does, later each time.
    fn gave_up(self: &Rc<Self>) {
        let closed = self
            .source
            .borrow()
            .as_ref()
            .is_some_and(|s| s.ready_state() == EventSource::CLOSED);
        if closed {
            self.attempt.set(self.attempt.get().saturating_add(1));
            self.schedule_reopen();
        }
    }

    fn schedule_reopen(self: &Rc<Self>) {
        let weak = Rc::downgrade(self);
        let handle = set_timeout_with_handle(
            move || {
                if let Some(link) = weak.upgrade() {
                    link.retry.borrow_mut().take();
                    link.open();
                }
            },
            backoff(self.attempt.get()),
        );
        if let Ok(handle) = handle {
            self.retry.borrow_mut().replace(handle);
        }
    }

    /// Closes the stream for now, without giving it up.
    fn pause(&self) {
        if let Some(source) = self.source.borrow_mut().take() {
            source.close();
        }
        if let Some(retry) = self.retry.borrow_mut().take() {
            retry.clear();
        }
    }

    /// Whether the stream was paused and may be opened again.
    fn is_paused(&self) -> bool {
        !self.closed.get() && self.source.borrow().is_none() && self.retry.borrow().is_none()
    }

    /// Closes the stream for good and lets its callbacks go.
    fn close(&self) {
        self.closed.set(true);
        self.pause();
        self.callbacks.borrow_mut().clear();
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
