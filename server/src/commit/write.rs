//! What queued writes do inside their batch's transaction: claim their idempotency keys
//! (or answer what a key already holds), store their rows, and record each answer with
//! its key; for a whole batch at once, or for one write alone.

use axum::http::StatusCode;
use omk_api::{
    AuditAction, IssueReceipt, Month, NewIssue, ProblemKind, RatingReceipt,
    RepresentativeVoteReceipt, VoteReceipt,
};
use sqlx::{Any, Transaction};

use std::collections::{BTreeSet, HashSet};

use super::{Committed, Job};
use crate::db::Backend;
use crate::db::audit::Record;
use crate::db::issues::IssueRow;
use crate::db::ratings::RatingRow;
use crate::error::AppError;
use crate::{auth, db, idempotency, tracking};

/// How many fresh tracking numbers an issue tries before giving up.
const TRACKING_ATTEMPTS: usize = 8;

/// A write a visitor sent, already validated against the stored reference data.
#[derive(Debug, Clone)]
pub enum Write {
    /// A rating, as it is stored.
    Rating(RatingRow),
    /// An issue, normalised, received at `at`. Its category is checked, and the issue
    /// routed, in the transaction that stores it.
    Issue { issue: NewIssue, at: i64 },
    /// A vote on an open topic, cast at `at`.
    Vote { topic: String, at: i64 },
    /// A representative's vote on a candidate of `month`, with the hash of the printed code
    /// it uses up; stored at the start of its day `day_start`, with no reference to the code.
    RepresentativeVote {
        month: String,
        code_hash: String,
        topic: String,
        day_start: i64,
    },
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

/// Claims the keys of `jobs` and stores their writes inside `tx`, with a few statements
/// for all the ratings and all the issues (votes, whose receipts carry the tally after
/// each, one by one); answers in the order of `jobs`.
///
/// A key listed twice is claimed by its first write; the later one is applied after the
/// others and answers what the first stored.
pub async fn apply_batch(
    tx: &mut Transaction<'static, Any>,
    backend: Backend,
    jobs: &[Job],
    now: i64,
) -> Result<Vec<Applied>, Failure> {
    let mut answers: Vec<Option<Applied>> = jobs.iter().map(|_| None).collect();
    let categories: Vec<&str> = jobs
        .iter()
        .filter_map(|job| match &job.write {
            Write::Issue { issue, .. } => Some(issue.category.as_str()),
            _ => None,
        })
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let routes = db::categories::routes_in(tx, &categories).await?;
    // A write refused here has written nothing, its key included.
    let mut fileable = Vec::with_capacity(jobs.len());
    for (i, job) in jobs.iter().enumerate() {
        match &job.write {
            Write::Issue { issue, .. } if !routes.contains_key(&issue.category) => {
                answers[i] = Some(Err(unknown_category()));
            }
            _ => fileable.push(i),
        }
    }
    let mut seen = HashSet::with_capacity(jobs.len());
    let (firsts, repeats): (Vec<usize>, Vec<usize>) = fileable
        .into_iter()
        .partition(|&i| seen.insert(jobs[i].key.as_str()));
    let claims: Vec<(&str, &str)> = firsts
        .iter()
        .map(|&i| (jobs[i].key.as_str(), jobs[i].request_hash.as_str()))
        .collect();
    let claimed = db::idempotency::claim_many(tx, &claims, now).await?;

    // Each answer, with the issue it filed if any.
    let mut bodies: Vec<(usize, String, Option<String>)> = Vec::with_capacity(firsts.len());
    let (mut ratings, mut issues) = (Vec::new(), Vec::new());
    for &i in &firsts {
        let job = &jobs[i];
        if !claimed.contains(&job.key) {
            answers[i] = Some(stored_answer(tx, &job.key, &job.request_hash).await?);
            continue;
        }
        match &job.write {
            Write::Rating(row) => ratings.push((i, row)),
            Write::Issue { issue, at } => {
                let unit = routes.get(&issue.category).cloned().flatten();
                issues.push((i, (issue, unit, *at)));
            }
            Write::Vote { topic, at } => bodies.push((i, store_vote(tx, topic, *at).await?, None)),
            Write::RepresentativeVote { .. } => {
                bodies.push((i, store_representative_vote(tx, &job.write).await?, None));
            }
        }
    }
    let rows: Vec<&RatingRow> = ratings.iter().map(|(_, row)| *row).collect();
    let ids = db::ratings::insert_batch(tx, backend, &rows).await?;
    for ((i, row), id) in ratings.iter().zip(ids) {
        let receipt = RatingReceipt {
            id,
            created_at: row.created_at,
        };
        bodies.push((*i, serde_json::to_string(&receipt)?, None));
    }
    let drafts: Vec<_> = issues.iter().map(|(_, draft)| draft.clone()).collect();
    let receipts = store_issues(tx, &drafts).await?;
    for ((i, _), receipt) in issues.iter().zip(receipts) {
        let body = serde_json::to_string(&receipt)?;
        bodies.push((*i, body, Some(receipt.tracking_no)));
    }
    let records: Vec<_> = bodies
        .iter()
        .map(|(i, body, issue)| db::idempotency::Answer {
            key: &jobs[*i].key,
            request_hash: &jobs[*i].request_hash,
            status: StatusCode::CREATED.as_u16(),
            response: body,
            issue: issue.as_deref(),
        })
        .collect();
    db::idempotency::record_many(tx, &records, now).await?;
    for (i, body, _) in bodies {
        answers[i] = Some(Ok(Committed {
            status: StatusCode::CREATED,
            body,
            replayed: false,
        }));
    }
    for &i in &repeats {
        let job = &jobs[i];
        answers[i] = Some(apply(tx, &job.key, &job.request_hash, &job.write, now).await?);
    }
    answers
        .into_iter()
        .map(|answer| {
            answer.ok_or_else(|| {
                Failure::Refused(AppError::Internal(
                    "a write of a batch was not applied".into(),
                ))
            })
        })
        .collect()
}

/// Claims `key` and stores `write` inside `tx`, or answers what the key holds.
pub async fn apply(
    tx: &mut Transaction<'static, Any>,
    key: &str,
    request_hash: &str,
    write: &Write,
    now: i64,
) -> Result<Applied, Failure> {
    let mut unit = None;
    if let Write::Issue { issue, .. } = write {
        let routes = db::categories::routes_in(tx, &[issue.category.as_str()]).await?;
        match routes.get(&issue.category) {
            Some(routed_to) => unit = routed_to.clone(),
            None => return Ok(Err(unknown_category())),
        }
    }
    if !db::idempotency::claim(tx, key, request_hash, now).await? {
        return Ok(stored_answer(tx, key, request_hash).await?);
    }
    let (body, filed) = match write {
        Write::Rating(row) => {
            let id = db::ratings::insert(tx, row).await?;
            let receipt = RatingReceipt {
                id,
                created_at: row.created_at,
            };
            (serde_json::to_string(&receipt)?, None)
        }
        Write::Issue { issue, at } => {
            let receipt = store_issue(tx, issue, &unit, *at).await?;
            (serde_json::to_string(&receipt)?, Some(receipt.tracking_no))
        }
        Write::Vote { topic, at } => (store_vote(tx, topic, *at).await?, None),
        Write::RepresentativeVote { .. } => (store_representative_vote(tx, write).await?, None),
    };
    let status = StatusCode::CREATED.as_u16();
    db::idempotency::record(tx, key, status, &body, filed.as_deref()).await?;
    Ok(Ok(Committed {
        status: StatusCode::CREATED,
        body,
        replayed: false,
    }))
}

/// What a key claimed before holds: by a committed write, or by one earlier in this
/// batch; either recorded its answer in the claim's own transaction.
async fn stored_answer(
    tx: &mut Transaction<'static, Any>,
    key: &str,
    request_hash: &str,
) -> Result<Applied, sqlx::Error> {
    Ok(match db::idempotency::find_in(tx, key).await? {
        Some(stored) if !idempotency::same_request(&stored.request_hash, request_hash) => {
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
    })
}

/// Stores a vote; its receipt is the tally with it.
async fn store_vote(
    tx: &mut Transaction<'static, Any>,
    topic: &str,
    at: i64,
) -> Result<String, Failure> {
    db::topics::vote(tx, topic, at).await?;
    let topics = db::topics::list_in(tx).await?;
    Ok(serde_json::to_string(&VoteReceipt { topics })?)
}

/// Uses up a representative's code and stores the vote it casts; a used or unknown code
/// fails the write (its batch is then stored write by write, so only it is refused).
async fn store_representative_vote(
    tx: &mut Transaction<'static, Any>,
    write: &Write,
) -> Result<String, Failure> {
    let Write::RepresentativeVote {
        month,
        code_hash,
        topic,
        day_start,
    } = write
    else {
        return Err(Failure::Refused(AppError::Internal(
            "not a representative's vote".into(),
        )));
    };
    match db::cycles::claim_code(tx, month, code_hash).await? {
        db::cycles::CodeClaim::Claimed => {}
        db::cycles::CodeClaim::Used => {
            return Err(Failure::Refused(AppError::Refused(ProblemKind::CodeUsed)));
        }
        db::cycles::CodeClaim::Unknown => {
            return Err(Failure::Refused(AppError::Refused(
                ProblemKind::CodeUnknown,
            )));
        }
    }
    let mut stored = false;
    for _ in 0..TRACKING_ATTEMPTS {
        let mut bytes = [0u8; 8];
        getrandom::fill(&mut bytes)
            .map_err(|e| Failure::Refused(AppError::Internal(format!("no randomness: {e}"))))?;
        // From 2^40 to 2^62: far above the counted ids, never near SQLite's largest.
        let id = (1i64 << 40) + (i64::from_be_bytes(bytes) & ((1i64 << 62) - 1));
        if db::topics::representative_vote(tx, id, topic, *day_start).await? {
            stored = true;
            break;
        }
    }
    if !stored {
        return Err(Failure::Refused(AppError::Internal(
            "no free vote id".into(),
        )));
    }
    let receipt = RepresentativeVoteReceipt {
        month: Month::parse(month)
            .ok_or_else(|| Failure::Refused(AppError::Internal("not a month".into())))?,
        candidate: topic.clone(),
        day: crate::clock::format_day(crate::clock::local_day(*day_start)),
    };
    Ok(serde_json::to_string(&receipt)?)
}

/// Stores issues under fresh tracking numbers, with their audit records, a few
/// statements for all; their receipts in order.
async fn store_issues(
    tx: &mut Transaction<'static, Any>,
    drafts: &[(&NewIssue, Option<String>, i64)],
) -> Result<Vec<IssueReceipt>, Failure> {
    let mut stored: Vec<Option<IssueRow>> = drafts.iter().map(|_| None).collect();
    for _ in 0..TRACKING_ATTEMPTS {
        let mut numbers = HashSet::new();
        let mut candidates = Vec::new();
        for (n, (issue, unit, at)) in drafts.iter().enumerate() {
            if stored[n].is_some() {
                continue;
            }
            let tracking_no = tracking::generate()
                .map_err(|e| Failure::Refused(AppError::Internal(format!("no randomness: {e}"))))?;
            // A number drawn twice in one round waits for the next round.
            if numbers.insert(tracking_no.clone()) {
                candidates.push((
                    n,
                    IssueRow::received(issue, tracking_no, (*unit).clone(), *at),
                ));
            }
        }
        if candidates.is_empty() {
            break;
        }
        let rows: Vec<IssueRow> = candidates.iter().map(|(_, row)| row.clone()).collect();
        let inserted = db::issues::insert_new(tx, &rows).await?;
        for (n, row) in candidates {
            if inserted.contains(&row.tracking_no) {
                stored[n] = Some(row);
            }
        }
    }
    let rows: Vec<IssueRow> = stored
        .into_iter()
        .collect::<Option<_>>()
        .ok_or_else(|| Failure::Refused(AppError::Internal("no free tracking number".into())))?;
    let records: Vec<(Record<'_>, i64)> = rows
        .iter()
        .map(|row| (submitted(row), row.created_at))
        .collect();
    db::audit::add_many(tx, &records).await?;
    Ok(rows
        .into_iter()
        .map(|row| IssueReceipt {
            tracking_no: row.tracking_no,
            status: row.status,
            created_at: row.created_at,
        })
        .collect())
}

/// The refusal of an issue whose category does not exist or is retired.
fn unknown_category() -> AppError {
    AppError::field("category", "unknown_category")
}

/// The audit record of a visitor's submission.
fn submitted(row: &IssueRow) -> Record<'_> {
    Record {
        actor: auth::VISITOR_ACTOR,
        action: AuditAction::IssueSubmitted,
        issue: Some(&row.tracking_no),
        detail: format!("{} → {}", row.category, row.unit.as_deref().unwrap_or("-")),
    }
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
            db::audit::add(&mut **tx, &submitted(&row), at).await?;
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
