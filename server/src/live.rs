//! The live feed behind `/metrics/stream`: recomputes the figures once per
//! change, numbers each change, and fans one serialised frame per change out
//! to every subscriber: only the parts that moved (a [`MetricsUpdate`]), or
//! the whole snapshot when a new day moves the trend. New and reconnecting
//! subscribers get the whole latest snapshot (and the tally frames they
//! missed). Over PostgreSQL it also tells the other instances of this one's
//! changes, and hears of theirs (see [`crate::fanout`]).

use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, AtomicU8, Ordering};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use bytes::Bytes;
use omk_api::{Metrics, MetricsUpdate, StreamEventName, Topic};
use tokio::sync::{Notify, broadcast, watch};
use tokio::task::JoinHandle;

use crate::clock::Clock;
use crate::db::{self, Backend, Db};
use crate::fanout::Fanout;
use crate::sse_gzip;

/// How many recent frames are kept for clients that reconnect.
const RING_CAPACITY: usize = 128;
/// How many frames a slow subscriber may fall behind before it skips ahead.
const CHANNEL_CAPACITY: usize = 64;
/// The longest the recompute rests under a steady stream of writes.
const MAX_REST: std::time::Duration = std::time::Duration::from_millis(500);

/// One numbered SSE event, serialised once and shared by every subscriber.
#[derive(Debug, Clone)]
pub struct Frame {
    pub id: u64,
    pub kind: StreamEventName,
    /// The complete `id:`/`event:`/`data:` block, ending in a blank line.
    pub bytes: Bytes,
    /// The same block deflated on its own, made by the first subscriber that takes gzip
    /// (not on the way from a write to the subscribers) and shared with the others.
    gzip: Arc<OnceLock<Bytes>>,
}

impl Frame {
    /// The frame of event `id`, of `kind`, carrying `data`.
    fn new(id: u64, kind: StreamEventName, data: &str) -> Frame {
        Frame {
            id,
            kind,
            bytes: Bytes::from(format!(
                "id: {id}\nevent: {}\ndata: {data}\n\n",
                kind.as_str()
            )),
            gzip: Arc::default(),
        }
    }

    /// The block as a gzip segment (see [`sse_gzip`]).
    pub fn gzip(&self) -> Bytes {
        self.gzip
            .get_or_init(|| sse_gzip::segment(&self.bytes))
            .clone()
    }
}

/// What changed, so the feed knows what to recompute.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// Ratings or issues changed: the figures.
    Metrics,
    /// A vote: the topic tally (and the figures).
    Topics,
    /// The program changed (an event created, edited or cancelled): the
    /// figures are recomputed so every instance answers from the same data.
    Program,
}

impl Change {
    /// The bit of this change in the set still to announce to other instances.
    fn bit(self) -> u8 {
        match self {
            Change::Metrics => 1,
            Change::Topics => 2,
            Change::Program => 4,
        }
    }
}

/// What this instance heard from the others over PostgreSQL: how often its listener
/// connected, and the changes they announced, by kind. A SQLite server hears nothing.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Heard {
    pub connected: u64,
    pub metrics: u64,
    pub topics: u64,
    pub program: u64,
}

#[derive(Debug)]
struct Log {
    next_id: u64,
    /// The frames sent, for replay; only the tally frames are replayed.
    ring: VecDeque<Frame>,
    /// The whole snapshot as of the latest change, under that change's id.
    latest_metrics: Option<Frame>,
    latest_topics: Option<Frame>,
    /// What the latest frames carry, to leave out snapshots that change nothing.
    metrics_value: Option<Metrics>,
    topics_value: Option<Vec<Topic>>,
}

#[derive(Debug)]
struct Inner {
    tx: broadcast::Sender<Frame>,
    log: Mutex<Log>,
    wake: Notify,
    /// A change came after the last recompute began.
    pending: AtomicBool,
    topics_dirty: AtomicBool,
    /// Local changes not yet announced to other instances, as [`Change::bit`]s.
    unannounced: AtomicU8,
    closed: watch::Sender<bool>,
    heard: watch::Sender<Heard>,
    /// The clock the figures are computed at (a test moves it).
    clock: Clock,
}

/// A handle on the live feed; cheap to clone.
#[derive(Debug, Clone)]
pub struct Live {
    inner: Arc<Inner>,
}

impl Live {
    /// Computes the first snapshot and starts the task that recomputes after
    /// each change (and, over PostgreSQL, hears of other instances' changes).
    /// The task runs until [`Live::close`].
    pub async fn start(db: Db, clock: Clock) -> Result<(Live, JoinHandle<()>), sqlx::Error> {
        let (tx, _) = broadcast::channel(CHANNEL_CAPACITY);
        // Ids start from the clock so they keep increasing across restarts.
        let first_id = u64::try_from(clock.now()).unwrap_or(0).saturating_mul(1000);
        let live = Live {
            inner: Arc::new(Inner {
                tx,
                log: Mutex::new(Log {
                    next_id: first_id.max(1),
                    ring: VecDeque::with_capacity(RING_CAPACITY),
                    latest_metrics: None,
                    latest_topics: None,
                    metrics_value: None,
                    topics_value: None,
                }),
                wake: Notify::new(),
                pending: AtomicBool::new(false),
                topics_dirty: AtomicBool::new(false),
                unannounced: AtomicU8::new(0),
                closed: watch::Sender::new(false),
                heard: watch::Sender::new(Heard::default()),
                clock,
            }),
        };
        live.recompute(&db, true).await?;
        let fanout = match db.backend() {
            Backend::Postgres => Some(Fanout::new().map_err(|e| {
                sqlx::Error::Protocol(format!("no randomness for the instance name: {e}"))
            })?),
            Backend::Sqlite => None,
        };
        let worker = live.clone();
        let handle = tokio::spawn(async move {
            match fanout {
                Some(fanout) => {
                    let listen = fanout.clone().listen(db.clone(), worker.clone());
                    tokio::join!(worker.run(db, Some(fanout)), listen);
                }
                None => worker.run(db, None).await,
            }
        });
        Ok((live, handle))
    }

    /// Notes a change this instance made. Bursts coalesce: while a recompute
    /// runs, further changes leave one pending wake-up, answered by one more
    /// recompute (and one announcement to the other instances).
    pub fn changed(&self, change: Change) {
        self.inner
            .unannounced
            .fetch_or(change.bit(), Ordering::SeqCst);
        self.changed_elsewhere(change);
    }

    /// Notes a change another instance made: recompute, announce nothing.
    pub fn changed_elsewhere(&self, change: Change) {
        if change == Change::Topics {
            self.inner.topics_dirty.store(true, Ordering::SeqCst);
        }
        self.inner.pending.store(true, Ordering::SeqCst);
        self.inner.wake.notify_one();
    }

    /// Notes a change another instance announced, and recomputes.
    pub fn heard(&self, change: Change) {
        self.inner.heard.send_modify(|heard| match change {
            Change::Metrics => heard.metrics += 1,
            Change::Topics => heard.topics += 1,
            Change::Program => heard.program += 1,
        });
        self.changed_elsewhere(change);
    }

    /// Notes that the listener for the other instances' changes is connected (again).
    pub fn listening(&self) {
        self.inner.heard.send_modify(|heard| heard.connected += 1);
    }

    /// A receiver of what this instance heard from the others, which changes with each.
    pub fn heard_so_far(&self) -> watch::Receiver<Heard> {
        self.inner.heard.subscribe()
    }

    /// Ends every open stream and stops the recompute task.
    pub fn close(&self) {
        self.inner.closed.send_replace(true);
    }

    /// A receiver that turns `true` once the feed is closed.
    pub fn closed(&self) -> watch::Receiver<bool> {
        self.inner.closed.subscribe()
    }

    /// The frames a new subscriber gets first, and the receiver for the rest.
    ///
    /// The whole latest snapshot is always among them: it stands for every
    /// figure update missed. With `last_event_id`, the tally frames after it
    /// are replayed if they are all still kept; without it, or if too much
    /// was missed, the latest tally is sent.
    pub fn subscribe(
        &self,
        last_event_id: Option<u64>,
    ) -> (Vec<Frame>, broadcast::Receiver<Frame>) {
        let log = self.lock();
        let rx = self.inner.tx.subscribe();
        let replayable = last_event_id.filter(|last| {
            *last < log.next_id && log.ring.front().is_some_and(|f| f.id <= last + 1)
        });
        let mut frames: Vec<Frame> = match replayable {
            Some(last) => log
                .ring
                .iter()
                .filter(|f| f.id > last && f.kind == StreamEventName::Topics)
                .cloned()
                .collect(),
            None => log.latest_topics.iter().cloned().collect(),
        };
        frames.extend(log.latest_metrics.iter().cloned());
        frames.sort_by_key(|f| f.id);
        (frames, rx)
    }

    /// The whole snapshot as of the latest change, for a subscriber that fell
    /// behind and skipped some updates.
    pub fn latest_metrics(&self) -> Option<Frame> {
        self.lock().latest_metrics.clone()
    }

    /// How many streams are subscribed now.
    pub fn subscribers(&self) -> usize {
        self.inner.tx.receiver_count()
    }

    async fn run(&self, db: Db, fanout: Option<Fanout>) {
        let mut closed = self.closed();
        loop {
            tokio::select! {
                () = self.inner.wake.notified() => {}
                _ = closed.wait_for(|c| *c) => return,
            }
            let unannounced = self.inner.unannounced.swap(0, Ordering::SeqCst);
            if let Some(fanout) = &fanout {
                for change in [Change::Metrics, Change::Topics, Change::Program] {
                    if unannounced & change.bit() != 0 {
                        fanout.announce(&db, change).await;
                    }
                }
            }
            let topics = self.inner.topics_dirty.swap(false, Ordering::SeqCst);
            self.inner.pending.store(false, Ordering::SeqCst);
            let started = tokio::time::Instant::now();
            if let Err(err) = self.recompute(&db, topics).await {
                tracing::error!(%err, "cannot recompute the live figures");
            }
            // Writes that keep coming while the figures are recomputed would keep the
            // recompute running back to back, taking a core from the writes themselves:
            // under such a load it rests as long as it ran before the next one.
            if self.inner.pending.load(Ordering::SeqCst) {
                let rest = started.elapsed().min(MAX_REST);
                tokio::select! {
                    () = tokio::time::sleep(rest) => {}
                    _ = closed.wait_for(|c| *c) => return,
                }
            }
        }
    }

    /// Recomputes the figures (and the tally) and publishes what differs
    /// from the last frame of its kind; an unchanged snapshot sends nothing.
    async fn recompute(&self, db: &Db, topics: bool) -> Result<(), sqlx::Error> {
        let metrics = db::metrics::snapshot(db, self.inner.clock.now()).await?;
        // `None`: unchanged; `Some(None)`: send the whole snapshot.
        let update = {
            let log = self.lock();
            match &log.metrics_value {
                None => Some(None),
                Some(old) => {
                    let same_moment = Metrics {
                        as_of: old.as_of,
                        ..metrics.clone()
                    };
                    (same_moment != *old).then(|| old.update_to(&metrics))
                }
            }
        };
        if let Some(update) = update {
            self.publish_metrics(&metrics, update.as_ref());
            self.lock().metrics_value = Some(metrics);
        }
        if topics {
            let tally = db::topics::list(db).await?;
            let changed = self.lock().topics_value.as_ref() != Some(&tally);
            if changed {
                if let Some(data) = to_json(&tally) {
                    let mut log = self.lock();
                    let frame = log.frame(StreamEventName::Topics, &data);
                    log.latest_topics = Some(frame.clone());
                    self.send(&mut log, frame);
                }
                self.lock().topics_value = Some(tally);
            }
        }
        Ok(())
    }

    /// Sends `update` (or, without one, the whole snapshot) to the
    /// subscribers, and keeps the whole snapshot for later ones under the
    /// same id.
    fn publish_metrics(&self, metrics: &Metrics, update: Option<&MetricsUpdate>) {
        let Some(whole) = to_json(metrics) else {
            return;
        };
        let part = match update {
            Some(update) => match to_json(update) {
                Some(part) => Some(part),
                None => return,
            },
            None => None,
        };
        let mut log = self.lock();
        let whole = log.frame(StreamEventName::Metrics, &whole);
        log.latest_metrics = Some(whole.clone());
        let sent = match part {
            Some(part) => Frame::new(whole.id, StreamEventName::Update, &part),
            None => whole,
        };
        self.send(&mut log, sent);
    }

    /// Keeps `frame` for replay and sends it to every subscriber; the log
    /// stays locked meanwhile, so a new subscriber gets each frame either
    /// among its first ones or from its receiver, never both.
    fn send(&self, log: &mut Log, frame: Frame) {
        if log.ring.len() == RING_CAPACITY {
            log.ring.pop_front();
        }
        log.ring.push_back(frame.clone());
        // No subscriber is not an error: the frame is kept for later ones.
        let _ = self.inner.tx.send(frame);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Log> {
        self.inner
            .log
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }
}

impl Log {
    /// A frame under the next id.
    fn frame(&mut self, kind: StreamEventName, data: &str) -> Frame {
        let id = self.next_id;
        self.next_id += 1;
        Frame::new(id, kind, data)
    }
}

/// `value` as JSON; `None`, logged, if it cannot be serialised.
fn to_json(value: &impl serde::Serialize) -> Option<String> {
    match serde_json::to_string(value) {
        Ok(data) => Some(data),
        Err(err) => {
            tracing::error!(%err, "cannot serialise a live frame");
            None
        }
    }
}
