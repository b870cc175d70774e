//! SQL for the `cycles` and `cycle_stages` tables: a month's cycle, where it is, the day
//! planned for each stage and the moment each was entered, its weights and its choice.

use omk_api::{CycleStage, Month};
use sqlx::{AnyConnection, Row};

/// A cycle as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CycleRow {
    pub month: Month,
    pub stage: CycleStage,
    pub created_at: i64,
    /// Representatives, public, hotline, proposals (whole percentages); `None` until set.
    pub weights: Option<[i64; 4]>,
    /// The chosen candidate (a topic id) and the public reason given with it.
    pub chosen: Option<String>,
    pub choice_reason: Option<String>,
}

/// One stage of a cycle as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StageRow {
    pub stage: CycleStage,
    /// The planned local day number.
    pub planned_day: i64,
    pub entered_at: Option<i64>,
}

fn stage_of(text: &str) -> Result<CycleStage, sqlx::Error> {
    CycleStage::parse(text).ok_or_else(|| sqlx::Error::Decode(format!("stage {text:?}").into()))
}

fn month_of(text: &str) -> Result<Month, sqlx::Error> {
    Month::parse(text).ok_or_else(|| sqlx::Error::Decode(format!("month {text:?}").into()))
}

const COLUMNS: &str = "month, stage, created_at, w_representatives, w_public, w_hotline, \
                       w_proposals, chosen, choice_reason";

fn cycle_row(r: &sqlx::any::AnyRow) -> Result<CycleRow, sqlx::Error> {
    let weights: [Option<i64>; 4] = [
        r.try_get("w_representatives")?,
        r.try_get("w_public")?,
        r.try_get("w_hotline")?,
        r.try_get("w_proposals")?,
    ];
    let weights = match weights {
        [Some(a), Some(b), Some(c), Some(d)] => Some([a, b, c, d]),
        _ => None,
    };
    Ok(CycleRow {
        month: month_of(&r.try_get::<String, _>("month")?)?,
        stage: stage_of(&r.try_get::<String, _>("stage")?)?,
        created_at: r.try_get("created_at")?,
        weights,
        chosen: r.try_get("chosen")?,
        choice_reason: r.try_get("choice_reason")?,
    })
}

/// Creates the cycle of `month` at `soliciting`, entered at `now`, with one planned day per
/// stage (in stage order); `false` when the month already has a cycle.
pub async fn insert(
    conn: &mut AnyConnection,
    month: Month,
    planned_days: &[i64],
    now: i64,
) -> Result<bool, sqlx::Error> {
    let created = sqlx::query(
        "INSERT INTO cycles (month, stage, created_at) VALUES ($1, $2, $3) \
         ON CONFLICT (month) DO NOTHING",
    )
    .bind(month.to_string())
    .bind(CycleStage::Soliciting.as_str())
    .bind(now)
    .execute(&mut *conn)
    .await?
    .rows_affected()
        == 1;
    if !created {
        return Ok(false);
    }
    for (position, (stage, day)) in CycleStage::ALL.iter().zip(planned_days).enumerate() {
        let entered = (*stage == CycleStage::Soliciting).then_some(now);
        sqlx::query(
            "INSERT INTO cycle_stages (month, stage, position, planned_day, entered_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(month.to_string())
        .bind(stage.as_str())
        .bind(i64::try_from(position).unwrap_or(0))
        .bind(*day)
        .bind(entered)
        .execute(&mut *conn)
        .await?;
    }
    Ok(true)
}

/// The cycle of `month`, if there is one.
pub async fn find(conn: &mut AnyConnection, month: Month) -> Result<Option<CycleRow>, sqlx::Error> {
    let sql = format!("SELECT {COLUMNS} FROM cycles WHERE month = $1");
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(month.to_string())
        .fetch_optional(&mut *conn)
        .await?
        .as_ref()
        .map(cycle_row)
        .transpose()
}

/// The stages of `month`'s cycle, in order.
pub async fn stages(conn: &mut AnyConnection, month: Month) -> Result<Vec<StageRow>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT stage, planned_day, entered_at FROM cycle_stages WHERE month = $1 \
         ORDER BY position",
    )
    .bind(month.to_string())
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(StageRow {
                stage: stage_of(&r.try_get::<String, _>("stage")?)?,
                planned_day: r.try_get("planned_day")?,
                entered_at: r.try_get("entered_at")?,
            })
        })
        .collect()
}

/// The current cycle: `now_month`'s if it exists, else the latest one not closed.
pub async fn current(
    conn: &mut AnyConnection,
    now_month: Month,
) -> Result<Option<Month>, sqlx::Error> {
    if find(conn, now_month).await?.is_some() {
        return Ok(Some(now_month));
    }
    let row = sqlx::query("SELECT month FROM cycles WHERE stage <> $1 ORDER BY month DESC LIMIT 1")
        .bind(CycleStage::Closed.as_str())
        .fetch_optional(&mut *conn)
        .await?;
    row.map(|r| month_of(&r.try_get::<String, _>("month")?))
        .transpose()
}

/// Every cycle, newest month first.
pub async fn list(conn: &mut AnyConnection) -> Result<Vec<CycleRow>, sqlx::Error> {
    let sql = format!("SELECT {COLUMNS} FROM cycles ORDER BY month DESC");
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(cycle_row).collect()
}

/// Moves `month`'s cycle from `from` to `to` if it is still at `from`, marking `to` entered
/// at `now`; `false` when it was not at `from` (someone moved it meanwhile). Inside the
/// move's transaction this write also holds the cycle against other moves until commit.
pub async fn move_stage(
    conn: &mut AnyConnection,
    month: Month,
    from: CycleStage,
    to: CycleStage,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let moved = sqlx::query("UPDATE cycles SET stage = $1 WHERE month = $2 AND stage = $3")
        .bind(to.as_str())
        .bind(month.to_string())
        .bind(from.as_str())
        .execute(&mut *conn)
        .await?
        .rows_affected()
        == 1;
    if moved {
        sqlx::query("UPDATE cycle_stages SET entered_at = $1 WHERE month = $2 AND stage = $3")
            .bind(now)
            .bind(month.to_string())
            .bind(to.as_str())
            .execute(&mut *conn)
            .await?;
    }
    Ok(moved)
}

/// The stage `month`'s cycle is at, read on `conn` (inside a transaction, after a write
/// of its own, it cannot change until commit).
pub async fn stage_of_month(
    conn: &mut AnyConnection,
    month: &str,
) -> Result<Option<CycleStage>, sqlx::Error> {
    let row = sqlx::query("SELECT stage FROM cycles WHERE month = $1")
        .bind(month.to_owned())
        .fetch_optional(&mut *conn)
        .await?;
    row.map(|r| stage_of(&r.try_get::<String, _>("stage")?))
        .transpose()
}

/// Sets `month`'s weights (representatives, public, hotline, proposals) if its cycle is
/// still at one of `stages`; `false` otherwise.
pub async fn set_weights(
    conn: &mut AnyConnection,
    month: Month,
    weights: [i64; 4],
    stages: &[CycleStage],
) -> Result<bool, sqlx::Error> {
    let allowed: Vec<String> = stages.iter().map(|s| format!("'{}'", s.as_str())).collect();
    let sql = format!(
        "UPDATE cycles SET w_representatives = $1, w_public = $2, w_hotline = $3, \
         w_proposals = $4 WHERE month = $5 AND stage IN ({})",
        allowed.join(", ")
    );
    let done = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(weights[0])
        .bind(weights[1])
        .bind(weights[2])
        .bind(weights[3])
        .bind(month.to_string())
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Records `month`'s choice if its cycle is at `stage`; `false` otherwise.
pub async fn set_choice(
    conn: &mut AnyConnection,
    month: Month,
    stage: CycleStage,
    candidate: &str,
    reason: Option<&str>,
    at: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE cycles SET chosen = $1, choice_reason = $2, chosen_at = $3 \
         WHERE month = $4 AND stage = $5",
    )
    .bind(candidate.to_owned())
    .bind(reason.map(str::to_owned))
    .bind(at)
    .bind(month.to_string())
    .bind(stage.as_str())
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Stores the hashes of fresh representatives' codes for `month`; `false` if one was
/// taken (nothing is then kept by the caller's transaction).
pub async fn insert_codes(
    conn: &mut AnyConnection,
    month: Month,
    hashes: &[String],
) -> Result<bool, sqlx::Error> {
    for hash in hashes {
        let done = sqlx::query(
            "INSERT INTO vote_codes (hash, month) VALUES ($1, $2) ON CONFLICT (hash) DO NOTHING",
        )
        .bind(hash.clone())
        .bind(month.to_string())
        .execute(&mut *conn)
        .await?;
        if done.rows_affected() != 1 {
            return Ok(false);
        }
    }
    Ok(true)
}

/// What claiming a representative's code found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeClaim {
    /// Unused until now; now used.
    Claimed,
    /// Used before.
    Used,
    /// No such code for the month.
    Unknown,
}

/// Marks the code with `hash` of `month` used, if it was not. The row keeps no time and
/// no reference to the vote.
pub async fn claim_code(
    conn: &mut AnyConnection,
    month: &str,
    hash: &str,
) -> Result<CodeClaim, sqlx::Error> {
    let done =
        sqlx::query("UPDATE vote_codes SET used = 1 WHERE hash = $1 AND month = $2 AND used = 0")
            .bind(hash.to_owned())
            .bind(month.to_owned())
            .execute(&mut *conn)
            .await?;
    if done.rows_affected() == 1 {
        return Ok(CodeClaim::Claimed);
    }
    let found = sqlx::query("SELECT used FROM vote_codes WHERE hash = $1 AND month = $2")
        .bind(hash.to_owned())
        .bind(month.to_owned())
        .fetch_optional(&mut *conn)
        .await?;
    Ok(if found.is_some() {
        CodeClaim::Used
    } else {
        CodeClaim::Unknown
    })
}

/// A candidate's frozen score: its counts and score in hundredths.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrozenScore {
    pub topic: String,
    pub counts: omk_api::Components,
    pub hundredths: i64,
}

/// Stores `month`'s frozen scores.
pub async fn freeze_scores(
    conn: &mut AnyConnection,
    month: Month,
    scores: &[FrozenScore],
) -> Result<(), sqlx::Error> {
    for s in scores {
        sqlx::query(
            "INSERT INTO cycle_scores (month, topic, representative_votes, public_votes, \
             hotline, proposals, score_hundredths) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(month.to_string())
        .bind(s.topic.clone())
        .bind(s.counts.representatives)
        .bind(s.counts.public)
        .bind(s.counts.hotline)
        .bind(s.counts.proposals)
        .bind(s.hundredths)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// `month`'s frozen scores; empty until voting has closed.
pub async fn frozen_scores(
    conn: &mut AnyConnection,
    month: Month,
) -> Result<Vec<FrozenScore>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT topic, representative_votes, public_votes, hotline, proposals, score_hundredths \
         FROM cycle_scores WHERE month = $1",
    )
    .bind(month.to_string())
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(FrozenScore {
                topic: r.try_get("topic")?,
                counts: omk_api::Components {
                    representatives: r.try_get("representative_votes")?,
                    public: r.try_get("public_votes")?,
                    hotline: r.try_get("hotline")?,
                    proposals: r.try_get("proposals")?,
                },
                hundredths: r.try_get("score_hundredths")?,
            })
        })
        .collect()
}

/// Sets the moment `month`'s cycle entered `stage`, and puts the cycle there (the demo's,
/// laid out stage by stage).
pub async fn seed_stage(
    conn: &mut AnyConnection,
    month: Month,
    stage: CycleStage,
    entered_at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE cycles SET stage = $1 WHERE month = $2")
        .bind(stage.as_str())
        .bind(month.to_string())
        .execute(&mut *conn)
        .await?;
    sqlx::query("UPDATE cycle_stages SET entered_at = $1 WHERE month = $2 AND stage = $3")
        .bind(entered_at)
        .bind(month.to_string())
        .bind(stage.as_str())
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Marks the code with `hash` used (the demo's, whose representatives have voted).
pub async fn seed_used_code(conn: &mut AnyConnection, hash: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE vote_codes SET used = 1 WHERE hash = $1")
        .bind(hash.to_owned())
        .execute(&mut *conn)
        .await?;
    Ok(())
}
