//! What a cycle needs before it enters a stage, checked inside the move's transaction
//! (after the move's own write, so nothing changes under the check before commit).
//!
//! The selection part checks the stages up to the choice: `voting` needs at least
//! [`MIN_CANDIDATES`] candidates and the weights; `meeting` needs a chosen candidate (the
//! scores are frozen in the same transaction). The later stages' rules (`decided`,
//! `closed`…) belong to the outcome part: [`later_stages`] is where they plug in.

use omk_api::{CycleStage, ProblemKind};
use sqlx::{Any, Transaction};

use crate::db;
use crate::db::cycles::CycleRow;
use crate::ops::OpError;

/// The fewest candidates a vote is opened on.
pub const MIN_CANDIDATES: usize = 2;

/// Refuses the move into `stage` unless its requirements are met (409 `stage-not-ready`).
pub async fn may_enter(
    tx: &mut Transaction<'static, Any>,
    cycle: &CycleRow,
    stage: CycleStage,
    now: i64,
) -> Result<(), OpError> {
    match stage {
        CycleStage::Soliciting | CycleStage::Screening => Ok(()),
        CycleStage::Voting => voting_ready(tx, cycle).await,
        CycleStage::Meeting => choice_made(tx, cycle, now).await,
        later => later_stages(tx, cycle, later, now).await,
    }
}

/// The refusal of a move whose requirements are not met.
pub fn not_ready() -> OpError {
    OpError::Refused(ProblemKind::StageNotReady)
}

/// Voting opens on a shortlist of at least [`MIN_CANDIDATES`] with the weights set.
async fn voting_ready(tx: &mut Transaction<'static, Any>, cycle: &CycleRow) -> Result<(), OpError> {
    let candidates = db::topics::count_in_month(tx, &cycle.month.to_string()).await?;
    if usize::try_from(candidates).unwrap_or(0) < MIN_CANDIDATES || cycle.weights.is_none() {
        return Err(not_ready());
    }
    Ok(())
}

/// The meeting needs a chosen candidate; leaving voting freezes the scores, and a choice
/// that is not the frozen top score needs its public reason.
async fn choice_made(
    tx: &mut Transaction<'static, Any>,
    cycle: &CycleRow,
    now: i64,
) -> Result<(), OpError> {
    let _ = now;
    super::selection::freeze(tx, cycle).await
}

/// The rules of the stages after the meeting belong to the outcome part
/// ([`crate::ops::outcome::may_enter`]: a decision with a measure and the meeting over
/// before `decided`, a follow-up measure before `closed` when "not solved" outnumbers
/// "solved").
pub async fn later_stages(
    tx: &mut Transaction<'static, Any>,
    cycle: &CycleRow,
    stage: CycleStage,
    now: i64,
) -> Result<(), OpError> {
    crate::ops::outcome::may_enter(tx, cycle, stage, now).await
}
