//! The public view of a cycle, built from stored rows: the stages with their planned days
//! and entered moments (each part of the cycle adds its own parts here).

use omk_api::{CycleSummary, CycleView, Month, StagePlan};

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
    Ok(Some(CycleView {
        month: cycle.month,
        stage: cycle.stage,
        stages,
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

/// Every cycle, newest month first.
pub async fn archive(ops: Ops<'_>) -> Result<Vec<CycleSummary>, OpError> {
    let mut conn = ops.db.pool().acquire().await?;
    Ok(db::cycles::list(&mut conn)
        .await?
        .into_iter()
        .map(|c| CycleSummary {
            month: c.month,
            stage: c.stage,
        })
        .collect())
}
