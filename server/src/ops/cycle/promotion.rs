//! A letter or a published comment promoted to a proposal for a month's topic, by a
//! moderator or an admin (the route's role layer): checked, stored as a published proposal
//! with its origin, linked back from the letter or the comment, and written to the audit
//! log, in one transaction. A month that no longer takes proposals (past `screening`) is
//! refused (409 `proposals-closed`); a letter or comment promoted already conflicts (409).

use omk_api::{
    AuditAction, CycleStage, List, ProblemKind, Promotion, ProposalReceipt, ProposalState,
};
use sqlx::{Any, Transaction};

use crate::auth::Actor;
use crate::db::audit::Record;
use crate::db::proposals::{NewProposalRow, Origin};
use crate::db::{self};
use crate::ops::{OpError, Ops};
use crate::tracking;

/// Tries before giving up on a free proposal code (a clash is one in 2⁶⁰).
const CODE_ATTEMPTS: usize = 8;

/// Promotes the letter `code` to a proposal worded as `input` says.
pub async fn letter(
    ops: Ops<'_>,
    actor: &Actor,
    code: &str,
    input: &Promotion,
) -> Result<ProposalReceipt, OpError> {
    promote(ops, actor, Origin::Letter(code), input).await
}

/// Promotes the published comment `comment` of collection `collection` to a proposal.
pub async fn comment(
    ops: Ops<'_>,
    actor: &Actor,
    collection: i64,
    comment: i64,
    input: &Promotion,
) -> Result<ProposalReceipt, OpError> {
    let origin = Origin::Comment {
        collection,
        comment,
    };
    promote(ops, actor, origin, input).await
}

async fn promote(
    ops: Ops<'_>,
    actor: &Actor,
    origin: Origin<'_>,
    input: &Promotion,
) -> Result<ProposalReceipt, OpError> {
    input.validate().map_err(OpError::Invalid)?;
    let mut tx = ops.db.pool().begin().await?;
    match promoted(ops, actor, origin, input, &mut tx).await {
        Ok(receipt) => {
            tx.commit().await?;
            Ok(receipt)
        }
        Err(why) => {
            tx.rollback().await?;
            Err(why)
        }
    }
}

/// The promotion's steps inside `tx`.
async fn promoted(
    ops: Ops<'_>,
    actor: &Actor,
    origin: Origin<'_>,
    input: &Promotion,
    tx: &mut Transaction<'static, Any>,
) -> Result<ProposalReceipt, OpError> {
    let district = input.district.trim();
    if !db::lists::is_active(&mut **tx, List::Districts, district).await? {
        return Err(OpError::field("district", "unknown_district"));
    }
    let month = input.month.to_string();
    match db::cycles::stage_of_month(tx, &month).await? {
        None => return Err(OpError::field("month", "invalid_value")),
        Some(CycleStage::Soliciting | CycleStage::Screening) => {}
        Some(_) => return Err(OpError::Refused(ProblemKind::ProposalsClosed)),
    }
    let now = ops.clock.now();
    let code = store(tx, &month, input, district, origin, now).await?;
    let linked = match origin {
        Origin::Letter(letter) => db::letters::promote(tx, letter, &code).await?,
        Origin::Comment {
            collection,
            comment,
        } => db::consultations::promote(tx, collection, comment, &code).await?,
    };
    match linked {
        None => return Err(OpError::NotFound),
        Some(false) => return Err(OpError::Conflict),
        Some(true) => {}
    }
    let (issue, from) = match origin {
        Origin::Letter(letter) => (Some(letter), format!("letter {letter}")),
        Origin::Comment {
            collection,
            comment,
        } => (
            None,
            format!("comment {comment} of collection {collection}"),
        ),
    };
    let record = Record {
        actor: &actor.login,
        action: AuditAction::Promoted,
        issue,
        detail: format!("{from} → {code} ({month})"),
    };
    db::audit::add(&mut **tx, &record, now).await?;
    Ok(ProposalReceipt {
        code,
        month: input.month,
        state: ProposalState::Published,
        created_at: now,
    })
}

/// Stores the published proposal under a fresh code; answers with the code.
async fn store(
    tx: &mut Transaction<'static, Any>,
    month: &str,
    input: &Promotion,
    district: &str,
    origin: Origin<'_>,
    now: i64,
) -> Result<String, OpError> {
    for _ in 0..CODE_ATTEMPTS {
        let code = tracking::generate_with_prefix("PR")
            .map_err(|e| OpError::Internal(format!("no randomness: {e}")))?;
        let row = NewProposalRow {
            code: &code,
            month,
            title: input.title.trim(),
            text: input.text.trim(),
            district,
            phone: None,
            created_at: now,
        };
        if db::proposals::insert_promoted(tx, &row, origin).await? {
            return Ok(code);
        }
    }
    Err(OpError::Internal("no free proposal code".into()))
}
