//! The month's cycle: creating it with its plan, and moving it to its next stage. A move
//! is forward only, one stage at a time, by an admin; it checks the requirements of the
//! stage it enters inside its own transaction ([`guards`]), records the move with both
//! stages in the audit log in that transaction, and then tells the live feed (public votes
//! open and close with the `voting` stage).

pub mod guards;
pub mod promotion;
pub mod proposals;
pub mod selection;
pub mod shortlist;
pub mod signals;
pub mod view;

use omk_api::{AuditAction, CycleInput, CycleStage, CycleView, Month, StageMove};

use super::{OpError, Ops};
use crate::auth::Actor;
use crate::db;
use crate::db::audit::Record;
use crate::live::Change;

/// Creates `input.month`'s cycle at `soliciting` with its planned days; a month that
/// already has one is refused (409 `conflict`).
pub async fn create(ops: Ops<'_>, actor: &Actor, input: &CycleInput) -> Result<CycleView, OpError> {
    let days = input.validate().map_err(OpError::Invalid)?;
    let now = ops.clock.now();
    let mut tx = ops.db.pool().begin().await?;
    if !db::cycles::insert(&mut tx, input.month, &days, now).await? {
        return Err(OpError::Conflict);
    }
    let record = Record {
        actor: &actor.login,
        action: AuditAction::CycleCreated,
        issue: None,
        detail: input.month.to_string(),
    };
    db::audit::add(&mut *tx, &record, now).await?;
    tx.commit().await?;
    ops.changed(Change::Topics).await;
    view::of(ops, input.month).await?.ok_or(OpError::NotFound)
}

/// Moves `month`'s cycle to `to`, which must be the stage after the current one (409
/// `wrong-stage` for a move back, to the same stage or past the next one), once the
/// requirements of `to` are met (409 `stage-not-ready`): all checked, and the move stored
/// and audited, in one transaction.
pub async fn advance(
    ops: Ops<'_>,
    actor: &Actor,
    month: Month,
    step: &StageMove,
) -> Result<CycleView, OpError> {
    let now = ops.clock.now();
    let mut tx = ops.db.pool().begin().await?;
    let cycle = db::cycles::find(&mut tx, month)
        .await?
        .ok_or(OpError::NotFound)?;
    let from = cycle.stage;
    if from.next() != Some(step.to) {
        return Err(OpError::Refused(omk_api::ProblemKind::WrongStage));
    }
    // The write first: it holds the cycle against a concurrent move until commit, so the
    // requirements are judged on what this move will commit with.
    if !db::cycles::move_stage(&mut tx, month, from, step.to, now).await? {
        return Err(OpError::Conflict);
    }
    guards::may_enter(&mut tx, &cycle, step.to, now).await?;
    let record = Record {
        actor: &actor.login,
        action: AuditAction::StageMoved,
        issue: None,
        detail: format!("{month}: {} → {}", from.as_str(), step.to.as_str()),
    };
    db::audit::add(&mut *tx, &record, now).await?;
    tx.commit().await?;
    ops.changed(Change::Topics).await;
    view::of(ops, month).await?.ok_or(OpError::NotFound)
}

/// The stage a visitor's write on `month` finds, judged now: `None` without a cycle.
pub async fn stage_now(ops: Ops<'_>, month: Month) -> Result<Option<CycleStage>, OpError> {
    let mut conn = ops.db.pool().acquire().await?;
    Ok(db::cycles::find(&mut conn, month).await?.map(|c| c.stage))
}
