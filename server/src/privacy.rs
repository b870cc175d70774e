//! Personal data kept no longer than needed: a visitor's name and phone are erased a set
//! time after their issue is resolved or closed (a background job, and `omk-server purge`),
//! or at once on request (`omk-server erase <tracking-no>`). The issue itself stays, and
//! each erasure is written to the audit log in the same transaction. The same transaction
//! drops what the idempotency claims hold of the erased details; once it is committed the
//! storage's old copies are scrubbed (`Db::scrub_erased`): SQLite's write-ahead log is
//! emptied, PostgreSQL's old row versions vacuumed.
//!
//! A letter to the mayor's mailbox is treated alike: its writer's name and phone go the
//! same retention time after the letter is settled (declined, or replied), or at once on
//! request (`omk-server erase <letter code>`); the letter and its reply stay.

use omk_api::AuditAction;

use crate::db::audit::Record;
use crate::db::{self, Db};
use crate::{auth, clock};

/// Erases the contact details of every issue resolved or closed more than `retention_days`
/// before `now`, on behalf of `actor`; returns how many issues had some.
pub async fn purge_contacts(
    db: &Db,
    now: i64,
    retention_days: u32,
    actor: &str,
) -> Result<u64, sqlx::Error> {
    let before = now - i64::from(retention_days) * clock::DAY;
    let mut tx = db.pool().begin().await?;
    let erased = db::issues::erase_contacts_settled_before(&mut tx, before).await?;
    if erased.is_empty() {
        tx.rollback().await?;
        return Ok(0);
    }
    db::idempotency::forget_erased_contacts(&mut tx).await?;
    for tracking_no in &erased {
        let record = Record {
            actor,
            action: AuditAction::ContactErased,
            issue: Some(tracking_no),
            detail: format!("retention {retention_days} days"),
        };
        db::audit::add(&mut *tx, &record, now).await?;
    }
    tx.commit().await?;
    scrub(db).await;
    Ok(u64::try_from(erased.len()).unwrap_or(u64::MAX))
}

/// Erases one issue's contact details on request, on behalf of `actor`; `false` when there
/// is no such issue.
pub async fn erase(db: &Db, tracking_no: &str, actor: &str, now: i64) -> Result<bool, sqlx::Error> {
    let mut tx = db.pool().begin().await?;
    if !db::issues::erase_contact(&mut tx, tracking_no).await? {
        return Ok(false);
    }
    db::idempotency::forget_erased_contacts(&mut tx).await?;
    let record = Record {
        actor,
        action: AuditAction::ContactErased,
        issue: Some(tracking_no),
        detail: "on request".into(),
    };
    db::audit::add(&mut *tx, &record, now).await?;
    tx.commit().await?;
    scrub(db).await;
    Ok(true)
}

/// Erases the writer's contact of every letter settled (declined or replied) more than
/// `retention_days` before `now`, on behalf of `actor`; returns how many letters had one.
pub async fn purge_letter_contacts(
    db: &Db,
    now: i64,
    retention_days: u32,
    actor: &str,
) -> Result<u64, sqlx::Error> {
    let before = now - i64::from(retention_days) * clock::DAY;
    let mut tx = db.pool().begin().await?;
    let erased = db::letters::erase_contacts_settled_before(&mut tx, before).await?;
    if erased.is_empty() {
        tx.rollback().await?;
        return Ok(0);
    }
    db::letters::forget_erased_claims(&mut tx).await?;
    for code in &erased {
        let record = Record {
            actor,
            action: AuditAction::ContactErased,
            issue: Some(code),
            detail: format!("letter, retention {retention_days} days"),
        };
        db::audit::add(&mut *tx, &record, now).await?;
    }
    tx.commit().await?;
    scrub(db).await;
    Ok(u64::try_from(erased.len()).unwrap_or(u64::MAX))
}

/// Erases one letter's contact on request, on behalf of `actor`; `false` when there is no
/// such letter.
pub async fn erase_letter(db: &Db, code: &str, actor: &str, now: i64) -> Result<bool, sqlx::Error> {
    let mut tx = db.pool().begin().await?;
    if !db::letters::erase_contact(&mut tx, code).await? {
        tx.rollback().await?;
        return Ok(false);
    }
    db::letters::forget_erased_claims(&mut tx).await?;
    let record = Record {
        actor,
        action: AuditAction::ContactErased,
        issue: Some(code),
        detail: "letter, on request".into(),
    };
    db::audit::add(&mut *tx, &record, now).await?;
    tx.commit().await?;
    scrub(db).await;
    Ok(true)
}

/// Scrubs the storage's old copies of what was just erased. The erasure stands if this
/// fails (it is committed); the next erasure, or SQLite's own checkpoints and
/// PostgreSQL's autovacuum, do it later.
async fn scrub(db: &Db) {
    if let Err(err) = db.scrub_erased().await {
        tracing::warn!(%err, "erased contact details may remain in old copies until the next erasure");
    }
}

/// Runs [`purge_contacts`] at start and then every hour until `closed` turns true.
pub async fn purge_job(
    db: Db,
    retention_days: u32,
    mut closed: tokio::sync::watch::Receiver<bool>,
) {
    let mut every = tokio::time::interval(std::time::Duration::from_secs(3600));
    loop {
        tokio::select! {
            _ = every.tick() => {}
            _ = closed.wait_for(|c| *c) => return,
        }
        match purge_contacts(&db, clock::now(), retention_days, auth::SYSTEM_ACTOR).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(n, "erased the contact details of settled issues"),
            Err(err) => tracing::warn!(%err, "cannot erase contact details"),
        }
        match purge_letter_contacts(&db, clock::now(), retention_days, auth::SYSTEM_ACTOR).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(n, "erased the contact details of settled letters"),
            Err(err) => tracing::warn!(%err, "cannot erase letters' contact details"),
        }
    }
}
