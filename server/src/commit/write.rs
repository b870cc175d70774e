//! What one queued write does inside its batch's transaction: claim its idempotency key
//! (or answer what the key already holds), store its rows, and record its answer with
//! the key.

use axum::http::StatusCode;
use omk_api::{AuditAction, IssueReceipt, NewIssue, RatingReceipt, VoteReceipt};
use sqlx::{Any, Transaction};

use super::Committed;
use crate::db::audit::Record;
use crate::db::issues::IssueRow;
use crate::db::ratings::RatingRow;
use crate::error::AppError;
use crate::{auth, clock, db, tracking};

/// How many fresh tracking numbers an issue tries before giving up.
const TRACKING_ATTEMPTS: usize = 8;

/// A write a visitor sent, already validated against the stored reference data.
#[derive(Debug, Clone)]
pub enum Write {
    /// A rating, as it is stored.
    Rating(RatingRow),
    /// An issue, normalised, routed to `unit`, received at `at`.
    Issue {
        issue: NewIssue,
        unit: Option<String>,
        at: i64,
    },
    /// A vote on an open topic, cast at `at`.
    Vote { topic: String, at: i64 },
}

/// A write's outcome when nothing of it is left half-done in the transaction: its
/// answer, or a refusal before it wrote anything.
pub type Applied = Result<Committed, AppError>;

/// A write failed after it began writing: the transaction must be rolled back.
#[derive(Debug, thiserror::Error)]
pub enum Failure {
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
    #[error("{0}")]
    Refused(AppError),
}

impl From<Failure> for AppError {
    fn from(failure: Failure) -> AppError {
        match failure {
            Failure::Db(error) => AppError::database(&error),
            Failure::Refused(error) => error,
        }
    }
}

impl From<serde_json::Error> for Failure {
    fn from(error: serde_json::Error) -> Failure {
        Failure::Refused(error.into())
    }
}

/// Claims `key` and stores `write` inside `tx`, or answers what the key holds.
pub async fn apply(
    tx: &mut Transaction<'static, Any>,
    key: &str,
    request_hash: &str,
    write: &Write,
) -> Result<Applied, Failure> {
    if !db::idempotency::claim(tx, key, request_hash, clock::now()).await? {
        // Claimed by a committed write, or by one earlier in this batch: either has
        // recorded its answer in the claim's own transaction.
        return Ok(match db::idempotency::find_in(tx, key).await? {
            Some(stored) if stored.request_hash != request_hash => {
                Err(AppError::IdempotencyKeyReused)
            }
            Some(db::idempotency::Stored {
                response: Some((status, body)),
                ..
            }) => Ok(Committed {
                status: StatusCode::from_u16(status).unwrap_or(StatusCode::OK),
                body,
                replayed: true,
            }),
            _ => Err(AppError::IdempotencyKeyInFlight),
        });
    }
    let body = match write {
        Write::Rating(row) => {
            let id = db::ratings::insert(tx, row).await?;
            serde_json::to_string(&RatingReceipt {
                id,
                created_at: row.created_at,
            })?
        }
        Write::Issue { issue, unit, at } => {
            serde_json::to_string(&store_issue(tx, issue, unit, *at).await?)?
        }
        Write::Vote { topic, at } => {
            db::topics::vote(tx, topic, *at).await?;
            let topics = db::topics::list_in(tx).await?;
            serde_json::to_string(&VoteReceipt { topics })?
        }
    };
    db::idempotency::record(tx, key, StatusCode::CREATED.as_u16(), &body).await?;
    Ok(Ok(Committed {
        status: StatusCode::CREATED,
        body,
        replayed: false,
    }))
}

/// Stores an issue under a fresh tracking number, with its audit record.
async fn store_issue(
    tx: &mut Transaction<'static, Any>,
    issue: &NewIssue,
    unit: &Option<String>,
    at: i64,
) -> Result<IssueReceipt, Failure> {
    for _ in 0..TRACKING_ATTEMPTS {
        let tracking_no = tracking::generate()
            .map_err(|e| Failure::Refused(AppError::Internal(format!("no randomness: {e}"))))?;
        let row = IssueRow::received(issue, tracking_no, unit.clone(), at);
        if db::issues::insert(tx, &row).await? {
            let record = Record {
                actor: auth::VISITOR_ACTOR,
                action: AuditAction::IssueSubmitted,
                issue: Some(&row.tracking_no),
                detail: format!("{} → {}", row.category, row.unit.as_deref().unwrap_or("-")),
            };
            db::audit::add(&mut **tx, &record, at).await?;
            return Ok(IssueReceipt {
                tracking_no: row.tracking_no,
                status: row.status,
                created_at: row.created_at,
            });
        }
    }
    Err(Failure::Refused(AppError::Internal(
        "no free tracking number".into(),
    )))
}
