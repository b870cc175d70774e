//! Personal data kept no longer than needed. Three things hold a visitor's contact
//! details ([`Holder`]): an issue (name and phone), a letter to the mayor's mailbox (name
//! and phone) and a proposal for the month's topic (an optional phone). Each keeps them
//! until it is settled and then a set retention time (a background job, and `omk-server
//! purge`), or erases them at once on request (`omk-server erase <number or code>`). The
//! issue, letter or proposal itself stays, and each erasure is written to the audit log in
//! the same transaction. The same transaction drops what the idempotency claims hold of
//! the erased details; once it is committed the storage's old copies are scrubbed
//! (`Db::scrub_erased`): SQLite's write-ahead log is emptied, PostgreSQL's old row
//! versions vacuumed.

use omk_api::AuditAction;

use crate::db::audit::Record;
use crate::db::{self, Db};
use crate::{auth, clock};

/// What holds a visitor's contact details, and when it is settled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Holder {
    /// An issue: settled once resolved or closed.
    Issue,
    /// A letter to the mayor's mailbox: settled once declined or replied.
    Letter,
    /// A proposal for the month's topic: settled once rejected or merged, or when its
    /// month's cycle closes.
    Proposal,
}

impl Holder {
    pub const ALL: [Holder; 3] = [Holder::Issue, Holder::Letter, Holder::Proposal];

    /// What a typed number or code names, in its canonical form: a letter's `ML-` code, a
    /// proposal's `PR-` code or an issue's tracking number.
    pub fn of_code(typed: &str) -> Option<(Holder, String)> {
        if let Some(code) = omk_api::mailbox::normalise_code(typed) {
            return Some((Holder::Letter, code));
        }
        if typed.trim().to_ascii_uppercase().starts_with("PR")
            && let Ok(code) = omk_api::tracking::parse("PR", typed)
        {
            return Some((Holder::Proposal, code));
        }
        omk_api::tracking::normalise(typed).map(|number| (Holder::Issue, number))
    }

    /// Its name in the audit log's details and in the command line's answers.
    pub fn noun(self) -> &'static str {
        match self {
            Holder::Issue => "issue",
            Holder::Letter => "letter",
            Holder::Proposal => "proposal",
        }
    }

    async fn erase_one(
        self,
        tx: &mut sqlx::Transaction<'static, sqlx::Any>,
        code: &str,
    ) -> Result<bool, sqlx::Error> {
        match self {
            Holder::Issue => db::issues::erase_contact(tx, code).await,
            Holder::Letter => db::letters::erase_contact(tx, code).await,
            Holder::Proposal => db::proposals::erase_contact(tx, code).await,
        }
    }

    async fn erase_settled_before(
        self,
        tx: &mut sqlx::Transaction<'static, sqlx::Any>,
        before: i64,
    ) -> Result<Vec<String>, sqlx::Error> {
        match self {
            Holder::Issue => db::issues::erase_contacts_settled_before(tx, before).await,
            Holder::Letter => db::letters::erase_contacts_settled_before(tx, before).await,
            Holder::Proposal => db::proposals::erase_contacts_settled_before(tx, before).await,
        }
    }

    /// Drops the contact part of the idempotency claims of what lost its details.
    async fn forget_claims(
        self,
        tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    ) -> Result<u64, sqlx::Error> {
        match self {
            Holder::Issue => db::idempotency::forget_erased_contacts(tx).await,
            Holder::Letter => db::letters::forget_erased_claims(tx).await,
            Holder::Proposal => db::proposals::forget_erased_claims(tx).await,
        }
    }

    /// The audit detail of an erasure: the issue's stays as it always was.
    fn detail(self, why: &str) -> String {
        match self {
            Holder::Issue => why.to_owned(),
            other => format!("{}, {why}", other.noun()),
        }
    }
}

/// Erases the contact details of every `holder` settled more than `retention_days` before
/// `now`, on behalf of `actor`; returns how many had some.
pub async fn purge(
    db: &Db,
    holder: Holder,
    now: i64,
    retention_days: u32,
    actor: &str,
) -> Result<u64, sqlx::Error> {
    let before = now - i64::from(retention_days) * clock::DAY;
    let mut tx = db.pool().begin().await?;
    let erased = holder.erase_settled_before(&mut tx, before).await?;
    if erased.is_empty() {
        tx.rollback().await?;
        return Ok(0);
    }
    holder.forget_claims(&mut tx).await?;
    for code in &erased {
        let record = Record {
            actor,
            action: AuditAction::ContactErased,
            issue: Some(code),
            detail: holder.detail(&format!("retention {retention_days} days")),
        };
        db::audit::add(&mut *tx, &record, now).await?;
    }
    tx.commit().await?;
    scrub(db).await;
    Ok(u64::try_from(erased.len()).unwrap_or(u64::MAX))
}

/// Erases the contact details of every issue resolved or closed more than `retention_days`
/// before `now`, on behalf of `actor`; returns how many issues had some.
pub async fn purge_contacts(
    db: &Db,
    now: i64,
    retention_days: u32,
    actor: &str,
) -> Result<u64, sqlx::Error> {
    purge(db, Holder::Issue, now, retention_days, actor).await
}

/// Erases the writer's contact of every letter settled (declined or replied) more than
/// `retention_days` before `now`, on behalf of `actor`; returns how many letters had one.
pub async fn purge_letter_contacts(
    db: &Db,
    now: i64,
    retention_days: u32,
    actor: &str,
) -> Result<u64, sqlx::Error> {
    purge(db, Holder::Letter, now, retention_days, actor).await
}

/// Erases the contact details `holder` keeps under `code` on request, on behalf of
/// `actor`; `false` when there is no such thing.
pub async fn erase_held(
    db: &Db,
    holder: Holder,
    code: &str,
    actor: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let mut tx = db.pool().begin().await?;
    if !holder.erase_one(&mut tx, code).await? {
        tx.rollback().await?;
        return Ok(false);
    }
    holder.forget_claims(&mut tx).await?;
    let record = Record {
        actor,
        action: AuditAction::ContactErased,
        issue: Some(code),
        detail: holder.detail("on request"),
    };
    db::audit::add(&mut *tx, &record, now).await?;
    tx.commit().await?;
    scrub(db).await;
    Ok(true)
}

/// Erases one issue's contact details on request, on behalf of `actor`; `false` when there
/// is no such issue.
pub async fn erase(db: &Db, tracking_no: &str, actor: &str, now: i64) -> Result<bool, sqlx::Error> {
    erase_held(db, Holder::Issue, tracking_no, actor, now).await
}

/// Scrubs the storage's old copies of what was just erased. The erasure stands if this
/// fails (it is committed); the next erasure, or SQLite's own checkpoints and
/// PostgreSQL's autovacuum, do it later.
async fn scrub(db: &Db) {
    if let Err(err) = db.scrub_erased().await {
        tracing::warn!(%err, "erased contact details may remain in old copies until the next erasure");
    }
}

/// Runs [`purge`] for every holder at start and then every hour until `closed` turns true.
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
        for holder in Holder::ALL {
            match purge(
                &db,
                holder,
                clock::now(),
                retention_days,
                auth::SYSTEM_ACTOR,
            )
            .await
            {
                Ok(0) => {}
                Ok(n) => {
                    tracing::info!(n, holder = holder.noun(), "erased settled contact details")
                }
                Err(err) => {
                    tracing::warn!(%err, holder = holder.noun(), "cannot erase contact details")
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_typed_code_names_its_holder() {
        let letter = omk_api::tracking::from_bits("ML", 7);
        let proposal = omk_api::tracking::from_bits("PR", 7);
        let issue = omk_api::tracking::from_bits("OM", 7);
        assert_eq!(
            Holder::of_code(&letter.to_lowercase()),
            Some((Holder::Letter, letter))
        );
        assert_eq!(
            Holder::of_code(&proposal.to_lowercase()),
            Some((Holder::Proposal, proposal))
        );
        assert_eq!(Holder::of_code(&issue), Some((Holder::Issue, issue)));
        assert_eq!(Holder::of_code("#"), None);
    }
}
