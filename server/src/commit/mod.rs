//! Group commit: visitors' writes (ratings, issues, votes) queue for one task that stores
//! every write waiting at that moment in one transaction, and answers each write only
//! once that transaction is committed. One durable commit then carries many writes.
//!
//! Each write keeps its own outcome. It is validated before it is queued; its
//! idempotency key is claimed inside the batch, so a replay (even of a write earlier in
//! the same batch) answers the stored response; and when a write fails inside the batch
//! after it began writing, the batch is rolled back and each of its writes is stored
//! again in a transaction of its own, so only the write that fails gets a problem. A
//! failure of the storage itself (a full disk, a database that does not answer, a
//! failed commit) answers every write of the batch with the problem a lone write gets.

mod write;

use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use axum::http::StatusCode;
use axum::response::Response;
use futures::FutureExt;
use serde::Serialize;
use tokio::sync::{mpsc, oneshot};

use crate::clock::Clock;
use crate::db::{self, Db};
use crate::error::AppError;
use crate::idempotency::{self, IdempotencyKey};

pub use write::Write;
use write::{Applied, Failure};

/// How many writes may wait for the committer; beyond that, handlers wait to queue.
const QUEUE: usize = 4096;
/// The most writes one transaction carries.
const MAX_BATCH: usize = 256;

/// The handle handlers queue their writes on; cheap to clone.
#[derive(Debug, Clone)]
pub struct Committer {
    queue: mpsc::Sender<Job>,
    counts: Arc<Counts>,
}

/// What the committer has taken from the queue so far.
#[derive(Debug, Default)]
struct Counts {
    writes: AtomicU64,
    batches: AtomicU64,
}

/// The committer's gauges, for diagnostics and tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CommitStats {
    /// Writes waiting in the queue.
    pub queued: usize,
    /// Writes taken from the queue since the start.
    pub taken: u64,
    /// Batches taken from the queue since the start.
    pub batches: u64,
}

/// One queued write and where its answer goes.
#[derive(Debug)]
struct Job {
    key: String,
    request_hash: String,
    write: Write,
    reply: oneshot::Sender<Result<Committed, AppError>>,
}

/// A write's answer: what was stored, or the answer stored earlier for its key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Committed {
    status: StatusCode,
    body: String,
    replayed: bool,
}

impl Committed {
    /// Whether this answers a retry of a write stored before (nothing new was stored).
    pub fn is_replay(&self) -> bool {
        self.replayed
    }

    /// The HTTP answer; a replay carries the `Idempotent-Replayed` header.
    pub fn into_response(self) -> Response {
        if self.replayed {
            idempotency::replay(self.status.as_u16(), self.body)
        } else {
            idempotency::json_response(self.status, self.body)
        }
    }
}

impl Committer {
    /// Starts the committer over `db`. It runs until every handle is dropped.
    pub fn start(db: Db, clock: Clock) -> Committer {
        let (queue, jobs) = mpsc::channel(QUEUE);
        let counts = Arc::new(Counts::default());
        tokio::spawn(run(db, clock, jobs, counts.clone()));
        Committer { queue, counts }
    }

    /// How many writes wait, and how many were taken, in how many batches.
    pub fn stats(&self) -> CommitStats {
        CommitStats {
            queued: self.queue.max_capacity() - self.queue.capacity(),
            taken: self.counts.writes.load(Ordering::SeqCst),
            batches: self.counts.batches.load(Ordering::SeqCst),
        }
    }

    /// Queues `write`, sent as `request` to `scope` (for example `ratings`) with `key`,
    /// and waits until it is committed.
    pub async fn submit(
        &self,
        key: &IdempotencyKey,
        scope: &str,
        request: &impl Serialize,
        write: Write,
    ) -> Result<Committed, AppError> {
        let (reply, answer) = oneshot::channel();
        let job = Job {
            key: key.0.clone(),
            request_hash: idempotency::request_hash(scope, request)?,
            write,
            reply,
        };
        self.queue
            .send(job)
            .await
            .map_err(|_| AppError::Unavailable("the committer has stopped".into()))?;
        answer.await.map_err(|_| {
            AppError::Unavailable("the committer stopped before answering a write".into())
        })?
    }
}

/// Takes whatever is queued, up to [`MAX_BATCH`], commits it, and starts again.
async fn run(db: Db, clock: Clock, mut jobs: mpsc::Receiver<Job>, counts: Arc<Counts>) {
    let mut batch = Vec::with_capacity(MAX_BATCH);
    while jobs.recv_many(&mut batch, MAX_BATCH).await > 0 {
        counts.batches.fetch_add(1, Ordering::SeqCst);
        counts
            .writes
            .fetch_add(batch.len() as u64, Ordering::SeqCst);
        let taken = std::mem::replace(&mut batch, Vec::with_capacity(MAX_BATCH));
        // A bug in one batch must not stop every later write: its writes are answered
        // with 503 (their reply channels are dropped) and the next batch goes on.
        if AssertUnwindSafe(commit(&db, clock.now(), taken))
            .catch_unwind()
            .await
            .is_err()
        {
            tracing::error!("a batch of writes panicked; its writes were answered 503");
        }
    }
}

/// Why a batch could not be committed as a whole.
#[derive(Debug, thiserror::Error)]
enum BatchError {
    /// The storage failed: every write of the batch gets this.
    #[error("storage: {0}")]
    Storage(#[source] sqlx::Error),
    /// One write failed: the others may still be stored on their own.
    #[error("a write failed: {0}")]
    Write(Failure),
}

/// Commits `jobs` together at `now` and answers each; on a write's failure, stores each
/// alone.
async fn commit(db: &Db, now: i64, jobs: Vec<Job>) {
    match together(db, now, &jobs).await {
        Ok(answers) => {
            for (job, answer) in jobs.into_iter().zip(answers) {
                let _ = job.reply.send(answer);
            }
        }
        Err(BatchError::Storage(error)) => {
            tracing::warn!(%error, writes = jobs.len(), "a batch of writes failed");
            for job in jobs {
                let _ = job.reply.send(Err(AppError::database(&error)));
            }
        }
        Err(BatchError::Write(failure)) if jobs.len() == 1 => {
            if let Some(job) = jobs.into_iter().next() {
                let _ = job.reply.send(Err(failure.into()));
            }
        }
        Err(BatchError::Write(failure)) => {
            tracing::info!(%failure, writes = jobs.len(), "a write failed in a batch; storing each alone");
            for job in jobs {
                let answer = alone(db, now, &job).await;
                let _ = job.reply.send(answer);
            }
        }
    }
}

/// Every job in one transaction; their answers in order, valid once this returns.
async fn together(db: &Db, now: i64, jobs: &[Job]) -> Result<Vec<Applied>, BatchError> {
    let mut tx = db.pool().begin().await.map_err(BatchError::Storage)?;
    let answers = match write::apply_batch(&mut tx, db.backend(), jobs, now).await {
        Ok(answers) => answers,
        Err(failure) => {
            // Rolled back at once: a failed write must not keep its lock.
            if let Err(rollback) = tx.rollback().await {
                tracing::warn!(%rollback, "a failed batch could not be rolled back at once");
            }
            return Err(match failure {
                Failure::Db(error) if db::is_unwritable(&error) => BatchError::Storage(error),
                failure => BatchError::Write(failure),
            });
        }
    };
    tx.commit().await.map_err(BatchError::Storage)?;
    Ok(answers)
}

/// One job in a transaction of its own.
async fn alone(db: &Db, now: i64, job: &Job) -> Applied {
    let mut tx = db.pool().begin().await?;
    match write::apply(&mut tx, &job.key, &job.request_hash, &job.write, now).await {
        Ok(Ok(committed)) => {
            tx.commit().await?;
            Ok(committed)
        }
        // Refused before anything was written; nothing to keep.
        Ok(Err(refused)) => {
            tx.rollback().await?;
            Err(refused)
        }
        Err(failure) => {
            if let Err(rollback) = tx.rollback().await {
                tracing::warn!(%rollback, "a failed write could not be rolled back at once");
            }
            Err(failure.into())
        }
    }
}
