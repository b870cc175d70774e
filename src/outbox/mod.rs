//! The one way the widget writes. Every issue, rating, vote and registration
//! gets an idempotency key, is stored in local storage *before* it is sent,
//! is sent until the backend acknowledges it (backoff with full jitter,
//! honouring `Retry-After`, across reloads and network cuts), and is removed
//! only on acknowledgement or on a refusal that no retry can fix. Each goes only to
//! the origin of the backend it was made for; one that carries a name or phone and is
//! still unsent after a day is deleted unsent, and the header says how many were.

pub mod queue;

use std::cell::{Cell, RefCell};
use std::marker::PhantomData;
use std::rc::Rc;
use std::sync::Arc;
use std::time::Duration;

use leptos::prelude::*;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::client::{Backend, ClientError};
use crate::ids::new_key;
use crate::origin::Origin;
use crate::page_signal::PageSignal;

use queue::{Destination, Queue, retry_delay_ms};

/// Where the outbox lives in local storage.
pub const STORAGE_KEY: &str = "omk.outbox.v1";
/// Where this tab keeps its name, so a reload resumes its own claims.
const TAB_KEY: &str = "omk.tab";
/// How many answers are kept in memory for screens to pick up.
const OUTCOMES_KEPT: usize = 64;

/// What became of a write, as the worker saw it.
#[derive(Debug, Clone, PartialEq)]
enum Outcome {
    /// Acknowledged; the backend's answer as JSON text.
    Sent(String),
    /// Refused for a reason that retrying cannot fix.
    Refused(ClientError),
}

/// Where a write stands, with the backend's answer typed as the screen expects it.
#[derive(Debug, Clone, PartialEq)]
pub enum Delivery<T> {
    /// Saved in the outbox; not acknowledged yet (it may be offline for a while).
    Saved,
    /// Acknowledged, with the backend's receipt.
    Delivered(T),
    /// Refused for a reason that retrying cannot fix; the write is gone from the outbox.
    Refused(ClientError),
}

impl<T> Delivery<T> {
    /// Whether the backend has answered, either way.
    pub fn is_settled(&self) -> bool {
        !matches!(self, Delivery::Saved)
    }
}

/// A write handed to the outbox, whose answer is a `T` (`Pending<IssueReceipt>` for an
/// issue). Reading it is tracked: a view or effect that reads it follows the write. It
/// holds no reactive node of its own, so it may outlive the view that made it (a form that
/// gives way to a "saved" note) without being disposed with it.
pub struct Pending<T> {
    key: Arc<str>,
    outcomes: PageSignal<Vec<(String, Outcome)>>,
    answer: PhantomData<fn() -> T>,
}

impl<T> Clone for Pending<T> {
    fn clone(&self) -> Self {
        Pending {
            key: self.key.clone(),
            outcomes: self.outcomes,
            answer: PhantomData,
        }
    }
}

impl<T> PartialEq for Pending<T> {
    fn eq(&self, other: &Self) -> bool {
        self.key == other.key
    }
}

impl<T: DeserializeOwned> Pending<T> {
    /// Where the write stands now (tracked).
    pub fn get(&self) -> Delivery<T> {
        self.outcomes
            .with(|all| match all.iter().find(|(k, _)| **k == *self.key) {
                None => Delivery::Saved,
                Some((_, Outcome::Sent(body))) => serde_json::from_str(body)
                    .map(Delivery::Delivered)
                    .unwrap_or(Delivery::Refused(ClientError::Decode)),
                Some((_, Outcome::Refused(error))) => Delivery::Refused(error.clone()),
            })
    }
}

/// The outbox of this widget instance.
#[derive(Clone, Copy)]
pub struct Outbox {
    outcomes: PageSignal<Vec<(String, Outcome)>>,
    pending: PageSignal<usize>,
    expired: PageSignal<usize>,
    to: StoredValue<Destination>,
    worker: StoredValue<Option<send_wrapper::SendWrapper<Rc<Worker>>>>,
}

impl Outbox {
    /// Stores a write to `path`, for this widget's backend only, and starts sending it.
    /// The answer, once it comes, is read as a `T`.
    pub fn submit<B: Serialize, T>(&self, path: &str, body: &B) -> Pending<T> {
        let key = new_key();
        let body = serde_json::to_string(body).unwrap_or_default();
        let to = self.to.get_value();
        let mut queue = store::load();
        queue.push(
            key.clone(),
            path.to_owned(),
            body,
            to.backend.as_ref(),
            js_sys::Date::now(),
        );
        store::save(&queue);
        self.pending.set(queue.waiting_for(&to));
        self.kick();
        Pending {
            key: Arc::from(key),
            outcomes: self.outcomes,
            answer: PhantomData,
        }
    }

    /// How many writes are still waiting to go to this widget's backend (tracked).
    pub fn pending(&self) -> usize {
        self.pending.get()
    }

    /// How many unsent writes with contact details this widget deleted because they
    /// waited a day (tracked); kept until the widget goes, for whoever looks after it.
    pub fn expired(&self) -> usize {
        self.expired.get()
    }

    /// Forgets every answer held for screens, for the next visitor. Unsent
    /// writes stay: they are the one thing kept across sessions.
    pub fn forget_outcomes(&self) {
        self.outcomes.set(Vec::new());
    }

    fn kick(&self) {
        if let Some(worker) = self.worker.get_value() {
            let worker: Rc<Worker> = (*worker).clone();
            wasm_bindgen_futures::spawn_local(worker.drain());
        }
    }
}

/// Creates the outbox, resumes anything a previous page left unsent, and
/// keeps sending until the widget goes.
pub fn provide_outbox(backend: &Backend) -> Outbox {
    let page = web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .and_then(|o| Origin::parse(&o));
    let to = Destination {
        backend: backend.origin(page.as_ref()),
        page,
    };
    let outbox = Outbox {
        outcomes: PageSignal::new(Vec::new()),
        pending: PageSignal::new(store::load().waiting_for(&to)),
        expired: PageSignal::new(0),
        to: StoredValue::new(to.clone()),
        worker: StoredValue::new(None),
    };
    let worker = Rc::new(Worker {
        backend: backend.clone(),
        to,
        me: store::tab_name(),
        busy: Cell::new(false),
        stopped: Cell::new(false),
        outcomes: outbox.outcomes,
        pending: outbox.pending,
        expired: outbox.expired,
    });
    outbox
        .worker
        .set_value(Some(send_wrapper::SendWrapper::new(worker.clone())));
    let ticking = worker.clone();
    let tick = set_interval_with_handle(
        move || wasm_bindgen_futures::spawn_local(ticking.clone().drain()),
        Duration::from_secs(1),
    );
    let online = window_event_listener(leptos::ev::online, move |_| outbox.kick());
    let stopping = send_wrapper::SendWrapper::new(worker);
    on_cleanup(move || {
        stopping.stopped.set(true);
        if let Ok(tick) = tick {
            tick.clear();
        }
        online.remove();
    });
    outbox.kick();
    provide_context(outbox);
    outbox
}

/// The outbox of the enclosing widget.
pub fn use_outbox() -> Outbox {
    expect_context::<Outbox>()
}

/// Sends due items one at a time, each only to the origin it was made for; at most one
/// drain runs per tab.
struct Worker {
    backend: Backend,
    /// Where this widget sends.
    to: Destination,
    me: String,
    busy: Cell<bool>,
    stopped: Cell<bool>,
    outcomes: PageSignal<Vec<(String, Outcome)>>,
    pending: PageSignal<usize>,
    expired: PageSignal<usize>,
}

impl Worker {
    async fn drain(self: Rc<Self>) {
        if self.busy.replace(true) {
            return;
        }
        while !self.stopped.get() {
            let now = js_sys::Date::now();
            let mut queue = store::load();
            let gone = queue.expire(now);
            if gone > 0 {
                store::save(&queue);
                self.expired.update(|n| *n += gone);
            }
            let Some(item) = queue.next_due(now, &self.me, &self.to).cloned() else {
                self.pending.set(queue.waiting_for(&self.to));
                break;
            };
            if !queue.claim(&item.key, &self.me, now) {
                break;
            }
            store::save(&queue);
            let result = self
                .backend
                .post_raw(&item.path, &item.body, &item.key)
                .await;
            // Another tab may have changed the outbox meanwhile: read it again.
            let mut queue = store::load();
            let now = js_sys::Date::now();
            match result {
                Ok(body) => {
                    queue.remove(&item.key);
                    self.record(item.key, Outcome::Sent(body));
                }
                Err(failure) if failure.error.is_retryable() => {
                    let delay = retry_delay_ms(
                        item.attempts,
                        js_sys::Math::random(),
                        failure.retry_after_secs,
                    );
                    queue.retry_later(&item.key, now, delay);
                }
                Err(failure) => {
                    queue.remove(&item.key);
                    self.record(item.key, Outcome::Refused(failure.error));
                }
            }
            store::save(&queue);
            self.pending.set(queue.waiting_for(&self.to));
        }
        self.busy.set(false);
    }

    fn record(&self, key: String, outcome: Outcome) {
        self.outcomes.update(|all| {
            all.push((key, outcome));
            let excess = all.len().saturating_sub(OUTCOMES_KEPT);
            all.drain(..excess);
        });
    }
}

/// Local storage access, falling back to memory where storage is refused.
mod store {
    use super::*;

    thread_local! {
        static MEMORY: RefCell<Option<String>> = const { RefCell::new(None) };
    }

    fn local() -> Option<web_sys::Storage> {
        web_sys::window().and_then(|w| w.local_storage().ok().flatten())
    }

    pub fn load() -> Queue {
        let stored = match local() {
            Some(storage) => storage.get_item(STORAGE_KEY).ok().flatten(),
            None => MEMORY.with(|m| m.borrow().clone()),
        };
        Queue::parse(stored.as_deref())
    }

    pub fn save(queue: &Queue) {
        let json = queue.to_json();
        let stored = local().is_some_and(|s| {
            if queue.items.is_empty() {
                s.remove_item(STORAGE_KEY).is_ok()
            } else {
                s.set_item(STORAGE_KEY, &json).is_ok()
            }
        });
        if !stored {
            MEMORY.with(|m| *m.borrow_mut() = Some(json));
        }
    }

    /// This tab's name: kept in session storage so a reload keeps it.
    pub fn tab_name() -> String {
        let session = web_sys::window().and_then(|w| w.session_storage().ok().flatten());
        if let Some(name) = session
            .as_ref()
            .and_then(|s| s.get_item(TAB_KEY).ok().flatten())
        {
            return name;
        }
        let name = new_key();
        if let Some(s) = session {
            let _ = s.set_item(TAB_KEY, &name);
        }
        name
    }
}
