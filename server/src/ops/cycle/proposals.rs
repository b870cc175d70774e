//! The moderation of visitors' proposals (by moderators and admins): publish one, merge it
//! into another published proposal of the month (both then show the link), or reject it
//! with a public reason; and the admins' audited view of a proposal's phone. Each is
//! written to the audit log in its own transaction; the audit holds codes, states and
//! reasons, never a phone.

use omk_api::{
    AuditAction, ModeratedProposal, Month, ProposalAction, ProposalContact, ProposalModeration,
    ProposalState, ProposalStatus,
};

use crate::auth::Actor;
use crate::db;
use crate::db::audit::Record;
use crate::db::proposals::ProposalRow;
use crate::ops::{OpError, Ops};

/// The public state of the proposal `code`, as its sender follows it.
pub fn status(row: &ProposalRow) -> Result<ProposalStatus, OpError> {
    Ok(ProposalStatus {
        code: row.code.clone(),
        month: Month::parse(&row.month)
            .ok_or_else(|| OpError::Internal("a stored month is not one".into()))?,
        title: row.title.clone(),
        state: row.state,
        reason: row.reason.clone(),
        merged_into: row.merged_into.clone(),
        candidate: row.topic.clone(),
        created_at: row.created_at,
    })
}

/// Publishes, merges or rejects the proposal `code`. Only a received or published proposal
/// is moderated (409 `conflict` otherwise); publishing needs a received one; a merge's
/// target must be another published proposal of the same month (422 `into`).
pub async fn moderate(
    ops: Ops<'_>,
    actor: &Actor,
    code: &str,
    input: &ProposalModeration,
) -> Result<ProposalStatus, OpError> {
    input.validate().map_err(OpError::Invalid)?;
    let now = ops.clock.now();
    let mut tx = ops.db.pool().begin().await?;
    let row = db::proposals::find(&mut tx, code)
        .await?
        .ok_or(OpError::NotFound)?;
    let from = row.state;
    let movable = match input.action {
        ProposalAction::Publish => from == ProposalState::Received,
        ProposalAction::Merge | ProposalAction::Reject => {
            matches!(from, ProposalState::Received | ProposalState::Published)
        }
    };
    if !movable {
        return Err(OpError::Conflict);
    }
    let reason = input.reason();
    let (to, into) = match input.action {
        ProposalAction::Publish => (ProposalState::Published, None),
        ProposalAction::Reject => (ProposalState::Rejected, None),
        ProposalAction::Merge => {
            let into = input.into().unwrap_or_default();
            let target = db::proposals::find(&mut tx, into).await?;
            let fits = target.is_some_and(|t| {
                t.code != row.code && t.month == row.month && t.state == ProposalState::Published
            });
            if !fits {
                return Err(OpError::field("into", "invalid_value"));
            }
            (ProposalState::Merged, Some(into))
        }
    };
    if !db::proposals::moderate(&mut tx, code, from, to, reason, into, now).await? {
        return Err(OpError::Conflict);
    }
    if let Some(into) = into {
        // What was merged into this one follows it, so every link stays one step long.
        db::proposals::remerge(&mut tx, code, into).await?;
    }
    let mut detail = format!("{code}: {} → {}", from.as_str(), to.as_str());
    if let Some(into) = into {
        detail.push_str(&format!(" into {into}"));
    }
    if let Some(reason) = reason {
        detail.push_str(&format!(" ({reason})"));
    }
    let record = Record {
        actor: &actor.login,
        action: AuditAction::ProposalModerated,
        issue: None,
        detail,
    };
    db::audit::add(&mut *tx, &record, now).await?;
    tx.commit().await?;
    let mut conn = ops.db.pool().acquire().await?;
    let row = db::proposals::find(&mut conn, code)
        .await?
        .ok_or(OpError::NotFound)?;
    status(&row)
}

/// Every proposal of `month` as moderators see it (without phones), oldest first.
pub async fn for_moderation(ops: Ops<'_>, month: Month) -> Result<Vec<ModeratedProposal>, OpError> {
    let mut conn = ops.db.pool().acquire().await?;
    if db::cycles::find(&mut conn, month).await?.is_none() {
        return Err(OpError::NotFound);
    }
    let rows = db::proposals::of_month(&mut conn, &month.to_string(), false).await?;
    Ok(rows
        .iter()
        .map(|row| ModeratedProposal {
            proposal: row.public(&rows),
            reason: row.reason.clone(),
            has_contact: row.has_contact,
            letter: row.origin_letter.clone(),
        })
        .collect())
}

/// Shows the phone of the proposal `code` to an admin, recorded in the audit log in the
/// same transaction before it is answered.
pub async fn contact(ops: Ops<'_>, actor: &Actor, code: &str) -> Result<ProposalContact, OpError> {
    let now = ops.clock.now();
    let mut tx = ops.db.pool().begin().await?;
    let phone = db::proposals::contact(&mut tx, code)
        .await?
        .ok_or(OpError::NotFound)?;
    let record = Record {
        actor: &actor.login,
        action: AuditAction::ContactViewed,
        issue: None,
        detail: format!("proposal {code}"),
    };
    db::audit::add(&mut *tx, &record, now).await?;
    tx.commit().await?;
    Ok(ProposalContact {
        code: code.to_owned(),
        phone,
    })
}
