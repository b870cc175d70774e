//! The public view of a cycle, built from stored rows: the stages with their planned days
//! and entered moments, the weights, the shortlist with its tallies and scores, and the
//! choice (each later part of the cycle adds its own parts here).

use omk_api::{CandidateView, Choice, CycleSummary, CycleView, Month, StagePlan, Weights};

use super::shortlist;
use crate::clock::format_day;
use crate::db;
use crate::ops::{OpError, Ops};

/// `month`'s cycle as the public sees it; `None` when the month has none.
pub async fn of(ops: Ops<'_>, month: Month) -> Result<Option<CycleView>, OpError> {
    let mut conn = ops.db.pool().acquire().await?;
    let Some(cycle) = db::cycles::find(&mut conn, month).await? else {
        return Ok(None);
    };
    let stages = db::cycles::stages(&mut conn, month)
        .await?
        .into_iter()
        .map(|s| StagePlan {
            stage: s.stage,
            planned: format_day(s.planned_day),
            entered_at: s.entered_at,
        })
        .collect();
    let key = month.to_string();
    let counted = shortlist::counted(&mut conn, &key).await?;
    let scores = shortlist::scores(&mut conn, &cycle, &counted).await?;
    let candidates = counted
        .into_iter()
        .enumerate()
        .map(|(i, c)| CandidateView {
            id: c.candidate.id,
            title_zh: c.candidate.title_zh,
            title_en: c.candidate.title_en,
            lead_unit: c.candidate.lead_unit,
            category: c.candidate.category,
            proposals: c.proposals,
            hotline: c.counts.hotline,
            proposal_count: c.counts.proposals,
            public_votes: c.counts.public,
            representative_votes: c.counts.representatives,
            score: scores.as_ref().and_then(|s| s.get(i).copied()),
        })
        .collect();
    let scores_frozen = cycle.stage > omk_api::CycleStage::Voting;
    Ok(Some(CycleView {
        month: cycle.month,
        stage: cycle.stage,
        stages,
        weights: cycle.weights.and_then(Weights::from_array),
        candidates,
        scores_frozen,
        choice: cycle.chosen.map(|candidate| Choice {
            candidate,
            reason: cycle.choice_reason,
        }),
        public_proposals: db::proposals::public_count(&mut conn, &key).await?,
        outcome: crate::ops::outcome::view(&mut conn, month, ops.clock.now()).await?,
    }))
}

/// The current cycle: the one of the server's current month (UTC+8) if it exists, else the
/// latest one not closed.
pub async fn current(ops: Ops<'_>) -> Result<Option<CycleView>, OpError> {
    let now_month = Month::of_moment(ops.clock.now());
    let month = {
        let mut conn = ops.db.pool().acquire().await?;
        db::cycles::current(&mut conn, now_month).await?
    };
    match month {
        Some(month) => of(ops, month).await,
        None => Ok(None),
    }
}

/// Every cycle, newest month first, with its chosen topic.
pub async fn archive(ops: Ops<'_>) -> Result<Vec<CycleSummary>, OpError> {
    let mut conn = ops.db.pool().acquire().await?;
    let cycles = db::cycles::list(&mut conn).await?;
    let mut summaries = Vec::with_capacity(cycles.len());
    for c in cycles {
        let chosen = match &c.chosen {
            Some(id) => db::topics::candidates(&mut conn, &c.month.to_string())
                .await?
                .into_iter()
                .find(|t| &t.id == id),
            None => None,
        };
        summaries.push(CycleSummary {
            month: c.month,
            stage: c.stage,
            chosen: c.chosen.clone(),
            chosen_title_zh: chosen.as_ref().map(|t| t.title_zh.clone()),
            chosen_title_en: chosen.map(|t| t.title_en),
        });
    }
    Ok(summaries)
}
