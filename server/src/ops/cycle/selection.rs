//! The admins' work from the shortlist to the choice: the score's weights (until voting
//! opens), the candidates (while screening), representatives' single-use codes (until
//! voting closes) and the choice of the month's topic (while voting; a candidate other than
//! the top score needs a public reason). Each change is audited in its own transaction.

use omk_api::reference::valid_slug;
use omk_api::{
    AuditAction, CandidateInput, CandidateView, ChoiceInput, CodeRequest, Components, CycleStage,
    FieldError, IssuedCodes, List, Month, ProblemKind, ProposalState, Weights, cycle::score,
};
use sha2::{Digest, Sha256};
use sqlx::{Any, Transaction};

use super::{shortlist, view};
use crate::auth::Actor;
use crate::db;
use crate::db::cycles::CycleRow;
use crate::live::Change;
use crate::ops::{OpError, Ops, audited, check};
use crate::tracking;

/// The prefix of representatives' codes.
pub const CODE_PREFIX: &str = "RV";

/// The stored hash of a representative's code for `month` (its canonical form). Codes carry
/// 60 random bits, so their hashes cannot be searched back to them.
pub fn code_hash(month: &str, code: &str) -> String {
    let mut hasher = Sha256::new();
    hasher.update(b"omk-representative-code\n");
    hasher.update(month.as_bytes());
    hasher.update(b"\n");
    hasher.update(code.as_bytes());
    hex::encode(hasher.finalize())
}

async fn cycle_in(tx: &mut Transaction<'static, Any>, month: Month) -> Result<CycleRow, OpError> {
    db::cycles::find(tx, month).await?.ok_or(OpError::NotFound)
}

/// Sets `month`'s weights; refused once voting has opened (409 `weights-locked`).
pub async fn set_weights(
    ops: Ops<'_>,
    actor: &Actor,
    month: Month,
    weights: &Weights,
) -> Result<Weights, OpError> {
    weights.validate().map_err(OpError::Invalid)?;
    let now = ops.clock.now();
    let mut tx = ops.db.pool().begin().await?;
    let cycle = cycle_in(&mut tx, month).await?;
    if cycle.stage >= CycleStage::Voting
        || !db::cycles::set_weights(
            &mut tx,
            month,
            weights.as_array(),
            &[CycleStage::Soliciting, CycleStage::Screening],
        )
        .await?
    {
        return Err(OpError::Refused(ProblemKind::WeightsLocked));
    }
    let [r, p, h, q] = weights.as_array();
    audited(
        &mut tx,
        actor,
        AuditAction::WeightsSet,
        format!("{month}: {r}/{p}/{h}/{q}"),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(*weights)
}

/// Creates or replaces the candidate `id` of `month`'s shortlist, while screening (409
/// `wrong-stage` otherwise). An id that names a topic of another month, or the plain
/// monthly question, conflicts (409).
pub async fn put_candidate(
    ops: Ops<'_>,
    actor: &Actor,
    month: Month,
    id: &str,
    input: &CandidateInput,
) -> Result<CandidateView, OpError> {
    let mut errors = input.validate().err().unwrap_or_default();
    if !valid_slug(id) {
        errors.insert(0, FieldError::new("id", "invalid_value"));
    }
    check(errors)?;
    let key = month.to_string();
    let now = ops.clock.now();
    let mut tx = ops.db.pool().begin().await?;
    let cycle = cycle_in(&mut tx, month).await?;
    if cycle.stage != CycleStage::Screening {
        return Err(OpError::Refused(ProblemKind::WrongStage));
    }
    let mut errors = Vec::new();
    if !db::lists::is_active(&mut *tx, List::Units, input.lead_unit.trim()).await? {
        errors.push(FieldError::new("lead_unit", "invalid_value"));
    }
    let category = input.category.trim();
    if db::categories::routes_in(&mut tx, &[category])
        .await?
        .is_empty()
    {
        errors.push(FieldError::new("category", "unknown_category"));
    }
    let month_proposals = db::proposals::of_month(&mut tx, &key, false).await?;
    let codes: Vec<String> = input
        .proposals
        .iter()
        .map(|c| c.trim().to_owned())
        .collect();
    let linkable = |code: &String| {
        month_proposals
            .iter()
            .any(|p| &p.code == code && p.state == ProposalState::Published)
    };
    if !codes.iter().all(linkable) {
        errors.push(FieldError::new("proposals", "invalid_value"));
    }
    check(errors)?;
    match db::topics::month_of(&mut tx, id).await? {
        Some(Some(other)) if other != key => return Err(OpError::Conflict),
        Some(None) => return Err(OpError::Conflict),
        _ => {}
    }
    db::topics::put_candidate(&mut tx, &key, id, input).await?;
    db::proposals::link(&mut tx, &key, id, &codes).await?;
    audited(
        &mut tx,
        actor,
        AuditAction::CandidateSaved,
        format!("{key}/{id}"),
        now,
    )
    .await?;
    tx.commit().await?;
    ops.changed(Change::Topics).await;
    view::of(ops, month)
        .await?
        .and_then(|v| v.candidates.into_iter().find(|c| c.id == id))
        .ok_or_else(|| OpError::Internal("a stored candidate was not found".into()))
}

/// Issues `request.count` fresh single-use codes for `month`'s representatives, until voting
/// closes (409 `wrong-stage` after); the codes are answered this once and stored hashed.
pub async fn issue_codes(
    ops: Ops<'_>,
    actor: &Actor,
    month: Month,
    request: &CodeRequest,
) -> Result<IssuedCodes, OpError> {
    request.validate().map_err(OpError::Invalid)?;
    let key = month.to_string();
    let now = ops.clock.now();
    let mut tx = ops.db.pool().begin().await?;
    let cycle = cycle_in(&mut tx, month).await?;
    if cycle.stage > CycleStage::Voting {
        return Err(OpError::Refused(ProblemKind::WrongStage));
    }
    let mut codes = Vec::with_capacity(request.count as usize);
    while codes.len() < request.count as usize {
        let code = tracking::generate_with_prefix(CODE_PREFIX)
            .map_err(|e| OpError::Internal(format!("no randomness: {e}")))?;
        if !codes.contains(&code) {
            codes.push(code);
        }
    }
    let hashes: Vec<String> = codes.iter().map(|c| code_hash(&key, c)).collect();
    if !db::cycles::insert_codes(&mut tx, month, &hashes).await? {
        return Err(OpError::Internal("a fresh code was taken".into()));
    }
    audited(
        &mut tx,
        actor,
        AuditAction::CodesIssued,
        format!("{key}: {} codes", codes.len()),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(IssuedCodes { month, codes })
}

/// The positions of the top score on `month`'s shortlist as counted in `conn` now, with the
/// candidates in order, or `None` without weights.
async fn counted_top(
    conn: &mut sqlx::AnyConnection,
    cycle: &CycleRow,
) -> Result<(Vec<shortlist::Counted>, Vec<score::Score>), OpError> {
    let counted = shortlist::counted(conn, &cycle.month.to_string()).await?;
    let weights = cycle
        .weights
        .and_then(Weights::from_array)
        .ok_or_else(|| OpError::Refused(ProblemKind::StageNotReady))?;
    let counts: Vec<Components> = counted.iter().map(|c| c.counts).collect();
    let scores = score::scores(&weights, &counts);
    Ok((counted, scores))
}

/// Chooses `month`'s topic among its candidates while voting (409 `wrong-stage`
/// otherwise); a candidate other than the top provisional score needs a public reason.
pub async fn choose(
    ops: Ops<'_>,
    actor: &Actor,
    month: Month,
    input: &ChoiceInput,
) -> Result<omk_api::Choice, OpError> {
    input.validate().map_err(OpError::Invalid)?;
    let candidate = input.candidate.trim();
    let now = ops.clock.now();
    let mut tx = ops.db.pool().begin().await?;
    let cycle = cycle_in(&mut tx, month).await?;
    if cycle.stage != CycleStage::Voting {
        return Err(OpError::Refused(ProblemKind::WrongStage));
    }
    let (counted, scores) = counted_top(&mut tx, &cycle).await?;
    let Some(at) = counted.iter().position(|c| c.candidate.id == candidate) else {
        return Err(OpError::field("candidate", "unknown_candidate"));
    };
    let reason = input.reason();
    if !score::top(&scores).contains(&at) && reason.is_none() {
        return Err(OpError::field("reason", "required"));
    }
    if !db::cycles::set_choice(&mut tx, month, CycleStage::Voting, candidate, reason, now).await? {
        return Err(OpError::Conflict);
    }
    let detail = match reason {
        Some(reason) => format!("{month}: {candidate} ({reason})"),
        None => format!("{month}: {candidate}"),
    };
    audited(&mut tx, actor, AuditAction::CandidateChosen, detail, now).await?;
    tx.commit().await?;
    Ok(omk_api::Choice {
        candidate: candidate.to_owned(),
        reason: reason.map(str::to_owned),
    })
}

/// Freezes `cycle`'s scores inside the move out of voting and checks its choice against
/// them: a choice that is no longer the top score without a reason stops the move.
pub async fn freeze(tx: &mut Transaction<'static, Any>, cycle: &CycleRow) -> Result<(), OpError> {
    let Some(chosen) = cycle.chosen.as_deref() else {
        return Err(OpError::Refused(ProblemKind::StageNotReady));
    };
    let (counted, scores) = counted_top(tx, cycle).await?;
    let frozen: Vec<db::cycles::FrozenScore> = counted
        .iter()
        .zip(&scores)
        .map(|(c, s)| db::cycles::FrozenScore {
            topic: c.candidate.id.clone(),
            counts: c.counts,
            hundredths: s.hundredths(),
        })
        .collect();
    db::cycles::freeze_scores(tx, cycle.month, &frozen).await?;
    let top = score::top(&scores);
    let chosen_at = counted.iter().position(|c| c.candidate.id == chosen);
    if cycle.choice_reason.is_none() && !chosen_at.is_some_and(|at| top.contains(&at)) {
        return Err(OpError::Refused(ProblemKind::StageNotReady));
    }
    Ok(())
}
