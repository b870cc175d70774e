//! The demo's monthly cycles: the current month's, planned over the month.

use omk_api::{CycleStage, Month};

use crate::db;

/// The planned days of a month's stages, as offsets from its first day: proposals for a
/// week, screening, ten days of voting, the meeting, the decision, the work and the
/// evaluation.
const PLAN_OFFSETS: [i64; 8] = [0, 7, 10, 20, 22, 24, 26, 27];

/// The planned day numbers of `month`'s stages.
fn planned_days(month: Month) -> Vec<i64> {
    PLAN_OFFSETS
        .iter()
        .map(|offset| month.first_day() + offset)
        .collect()
}

/// Writes the cycle of `now`'s month inside `tx`.
pub async fn seed(tx: &mut sqlx::Transaction<'_, sqlx::Any>, now: i64) -> Result<(), sqlx::Error> {
    let month = Month::of_moment(now);
    debug_assert_eq!(CycleStage::ALL.len(), PLAN_OFFSETS.len());
    db::cycles::insert(tx, month, &planned_days(month), now).await?;
    Ok(())
}
